//! Files attached to suggestions and replies, kept in the database.

use db::{Conn, Result};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttachmentMeta {
    pub id: i64,
    pub owner_kind: String,
    pub owner_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha: String,
    pub created_at: i64,
}

#[expect(clippy::too_many_arguments, reason = "one column each")]
pub async fn insert(
    conn: &mut Conn,
    owner_kind: &str,
    owner_id: i64,
    file_name: &str,
    content_type: &str,
    sha: &str,
    content: &[u8],
    by: Option<i64>,
    now: i64,
) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO attachment (owner_kind, owner_id, file_name, content_type, size, sha, content, uploaded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(owner_kind)
    .bind(owner_id)
    .bind(file_name)
    .bind(content_type)
    .bind(content.len() as i64)
    .bind(sha)
    .bind(content.to_vec())
    .bind(by)
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn list(conn: &mut Conn, owner_kind: &str, owner_id: i64) -> Result<Vec<AttachmentMeta>> {
    sqlx::query_as(
        "SELECT id, owner_kind, owner_id, file_name, content_type, size, sha, created_at FROM attachment WHERE owner_kind = $1 AND owner_id = $2 ORDER BY id",
    )
    .bind(owner_kind)
    .bind(owner_id)
    .fetch_all(conn)
    .await
}

/// The attachments of several owners of one kind, in one query.
pub async fn list_many(
    conn: &mut Conn,
    owner_kind: &str,
    owner_ids: &[i64],
) -> Result<Vec<AttachmentMeta>> {
    let mut w = db::Where::new();
    w.eq("owner_kind", owner_kind);
    w.in_list("owner_id", owner_ids);
    let sql = format!(
        "SELECT id, owner_kind, owner_id, file_name, content_type, size, sha, created_at FROM attachment{} ORDER BY id",
        w.sql()
    );
    db::sql::bind_all(sqlx::query_as(&sql), &w.args)
        .fetch_all(conn)
        .await
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<(AttachmentMeta, Vec<u8>)>> {
    let meta: Option<AttachmentMeta> = sqlx::query_as(
        "SELECT id, owner_kind, owner_id, file_name, content_type, size, sha, created_at FROM attachment WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(meta) = meta else {
        return Ok(None);
    };
    let content: Vec<u8> = sqlx::query_scalar("SELECT content FROM attachment WHERE id = $1")
        .bind(id)
        .fetch_one(conn)
        .await?;
    Ok(Some((meta, content)))
}
