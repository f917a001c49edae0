//! The context's own SQL: accounts and sessions, notices, settings, the
//! calendar's entered years, editable lists, attachments and uploads.

pub mod api_tokens;
pub mod attachments;
pub mod calendar;
pub mod login_log;
pub mod notifications;
pub mod options;
pub mod sessions;
pub mod settings;
pub mod uploads;
pub mod users;
