//! The suggestion loop's SQL.

pub mod stats;
pub mod suggestions;
