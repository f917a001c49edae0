//! The use cases of renda. Each public function here is one thing a person
//! does: it checks that the actor may do it (data scope included), validates
//! the input into domain types, applies the rule, and writes everything —
//! including the audit record — in one transaction. HTML pages and the JSON
//! API both call these functions, so no rule or permission is written twice.

pub mod actor;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod channels;
pub mod congresses;
pub mod ctx;
pub mod dashboard;
pub mod de;
pub mod demo;
pub mod demo_suggestions;
pub mod deputies;
pub mod deputy_import;
pub mod documents;
pub mod error;
pub mod imports;
pub mod inbox;
pub mod logs;
pub mod notify;
pub mod options;
pub mod regions;
pub mod settings;
pub mod stats;
pub mod suggestions;
pub mod tokens;
pub mod unit_import;
pub mod units;
pub mod users;
mod validate;

pub use actor::Actor;
pub use ctx::Ctx;
pub use error::{Error, FieldError, Result};
