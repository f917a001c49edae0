//! The suggestion loop's pages and API.

pub mod api;
pub mod pages;
pub mod types;
