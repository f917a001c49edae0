//! Pure rules and types every capability of renda shares (the calendar,
//! identifiers, the organisation's vocabulary, roles, time). Nothing here performs I/O: every function is a
//! rule that can be tested exhaustively, and every rule that comes from a statute
//! cites its article in its doc comment.

pub mod bodies;
pub mod calendar;
mod coded;
pub mod holidays;
pub mod ids;
pub mod numerals;
pub mod org;
pub mod password;
pub mod roles;
pub mod time;
