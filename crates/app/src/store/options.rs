//! Lists an administrator edits (categories, refusal reasons, result categories).

use db::{Conn, Result};

/// The active labels of a list in order, or `None` when the list has never
/// been edited (no rows at all, active or not): one statement for both answers.
pub async fn labels(conn: &mut Conn, list: &str) -> Result<Option<Vec<String>>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT label, active FROM option_item WHERE list = $1 ORDER BY position, id",
    )
    .bind(list)
    .fetch_all(conn)
    .await?;
    if rows.is_empty() {
        return Ok(None);
    }
    Ok(Some(
        rows.into_iter()
            .filter(|(_, active)| *active == 1)
            .map(|(label, _)| label)
            .collect(),
    ))
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
