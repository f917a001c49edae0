//! Pure rules and types of renda. Nothing here performs I/O: every function is a
//! rule that can be tested exhaustively, and every rule that comes from a statute
//! cites its article in its doc comment.

pub mod calendar;
pub mod ids;
pub mod org;
pub mod password;
pub mod roles;
pub mod suggestion;
pub mod time;
pub mod tracked;
