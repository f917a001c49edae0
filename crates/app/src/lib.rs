//! The context every use case runs in: who is acting ([`Actor`], sessions and
//! API tokens), the database and the key for personal data ([`Ctx`]), errors
//! with stable codes, audit records, notices, settings, the calendar in force,
//! editable lists, attachments and uploads. Capabilities build their use cases
//! on these; nothing here names a capability.

pub mod actor;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod channels;
pub mod checkpoint;
pub mod ctx;
pub mod de;
pub mod error;
pub mod handoff;
pub mod idempotency;
pub mod imports;
pub mod inbox;
pub mod local_rule;
pub mod notify;
pub mod options;
pub mod settings;
pub mod store;
pub mod validate;

pub use actor::Actor;
pub use ctx::Ctx;
pub use error::{Error, FieldError, Result};
