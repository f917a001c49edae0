//! Lists an administrator edits (categories, refusal reasons, result categories).

use crate::{Conn, Result};

pub async fn labels(conn: &mut Conn, list: &str) -> Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT label FROM option_item WHERE list = $1 AND active = 1 ORDER BY position, id",
    )
    .bind(list)
    .fetch_all(conn)
    .await
}

pub async fn count(conn: &mut Conn, list: &str) -> Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM option_item WHERE list = $1")
        .bind(list)
        .fetch_one(conn)
        .await
}

/// Replaces a list: given labels become active in order, others inactive (kept for old records).
pub async fn replace(conn: &mut Conn, list: &str, labels: &[String]) -> Result<()> {
    sqlx::query("UPDATE option_item SET active = 0 WHERE list = $1")
        .bind(list)
        .execute(&mut *conn)
        .await?;
    for (i, l) in labels.iter().enumerate() {
        sqlx::query(
            "INSERT INTO option_item (list, label, position, active) VALUES ($1, $2, $3, 1)
             ON CONFLICT (list, label) DO UPDATE SET position = excluded.position, active = 1",
        )
        .bind(list)
        .bind(l)
        .bind(i as i64)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
