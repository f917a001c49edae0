//! The foundation's SQL: one module per aggregate.

pub mod announcements;
pub mod bodies;
pub mod congresses;
pub mod deputies;
pub mod deputy_accounts;
pub mod regions;
pub mod units;
