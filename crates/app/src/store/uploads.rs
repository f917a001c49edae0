//! Uploaded spreadsheets between preview and confirmation.

use db::{Conn, Result};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UploadRow {
    pub id: i64,
    pub user_id: i64,
    pub kind: String,
    pub file_name: String,
    pub sha: String,
    pub content: Vec<u8>,
    pub congress_id: Option<i64>,
    pub created_at: i64,
    pub used_at: Option<i64>,
}

#[expect(clippy::too_many_arguments, reason = "one column each")]
pub async fn insert(
    conn: &mut Conn,
    user_id: i64,
    kind: &str,
    file_name: &str,
    sha: &str,
    content: &[u8],
    congress_id: Option<i64>,
    now: i64,
) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO import_upload (user_id, kind, file_name, sha, content, congress_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(user_id)
    .bind(kind)
    .bind(file_name)
    .bind(sha)
    .bind(content.to_vec())
    .bind(congress_id)
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<UploadRow>> {
    sqlx::query_as(
        "SELECT id, user_id, kind, file_name, sha, content, congress_id, created_at, used_at FROM import_upload WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Marks an upload used; returns false when it already was (a replayed confirmation).
pub async fn mark_used(conn: &mut Conn, id: i64, now: i64) -> Result<bool> {
    sqlx::query("UPDATE import_upload SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected() == 1)
}

/// Drops uploads older than a moment (their content is personal data).
pub async fn purge_before(conn: &mut Conn, before: i64) -> Result<u64> {
    sqlx::query("DELETE FROM import_upload WHERE created_at < $1")
        .bind(before)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
}
