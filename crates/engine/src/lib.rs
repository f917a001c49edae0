//! The tracked-item engine: anything assigned to units and answered.

pub mod rules;
pub mod store;
