//! The foundation's pages and API.

pub mod api;
pub mod pages;
