//! Key-value settings an administrator edits; typed and defaulted in the service layer.

use db::{Conn, Result};

pub async fn all(conn: &mut Conn) -> Result<Vec<(String, String)>> {
    sqlx::query_as("SELECT key, value FROM setting ORDER BY key")
        .fetch_all(conn)
        .await
}

pub async fn set(conn: &mut Conn, key: &str, value: &str, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO setting (key, value, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(key)
    .bind(value)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
}
