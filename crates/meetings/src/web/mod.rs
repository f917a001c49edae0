//! The meetings' JSON API and pages.

pub mod api;
pub mod pages;
pub mod types;
