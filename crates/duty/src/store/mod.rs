//! The duty record's SQL: activities, the scoring scheme, and the points.

pub mod activities;
pub mod points;
pub mod scheme;

use db::{Conn, Result};

/// An activity type as the record offers it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TypeRow {
    pub code: String,
    pub name: String,
    pub source: String,
    pub active: i64,
}

/// Every activity type, in their order (a few dozen rows).
pub async fn types(conn: &mut Conn) -> Result<Vec<TypeRow>> {
    sqlx::query_as("SELECT code, name, source, active FROM activity_type ORDER BY position, code")
        .fetch_all(conn)
        .await
}
