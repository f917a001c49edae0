//! The foundation's use cases. Each public function is one thing a person
//! does: it checks that the actor may do it (data scope included), validates
//! the input, applies the rule, and writes everything, including the audit
//! record, in one transaction.

pub mod announcements;
pub mod bodies;
pub mod congresses;
pub mod dashboard;
pub mod demo;
pub mod demo_bodies;
pub mod deputies;
pub mod deputy_accounts;
pub mod deputy_import;
pub mod logs;
pub mod regions;
pub mod tokens;
pub mod unit_import;
pub mod units;
pub mod users;
