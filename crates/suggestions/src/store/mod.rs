//! The suggestion loop's SQL.

pub mod signers;
pub mod stats;
pub mod suggestions;
