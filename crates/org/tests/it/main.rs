//! HTTP tests of the foundation, in one test binary (one link instead of one per file).

mod accounts;
mod announcements;
mod auth;
mod bodies;
mod roster;
