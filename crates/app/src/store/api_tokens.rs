//! API tokens for integrations; only the SM3 hash of a token is stored.

use db::{Conn, Result};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub token_hash: String,
    pub prefix: String,
    pub role: String,
    pub data_scope: String,
    pub congress_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub created_by: i64,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

const COLS: &str = "id, name, token_hash, prefix, role, data_scope, congress_id, unit_id, created_by, created_at, expires_at, revoked_at, last_used_at";

#[derive(Debug, Clone)]
pub struct NewToken {
    pub name: String,
    pub token_hash: String,
    pub prefix: String,
    pub role: String,
    pub data_scope: String,
    pub congress_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub created_by: i64,
    pub expires_at: Option<i64>,
}

pub async fn insert(conn: &mut Conn, t: &NewToken, now: i64) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO api_token (name, token_hash, prefix, role, data_scope, congress_id, unit_id, created_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(&t.name)
    .bind(&t.token_hash)
    .bind(&t.prefix)
    .bind(&t.role)
    .bind(&t.data_scope)
    .bind(t.congress_id)
    .bind(t.unit_id)
    .bind(t.created_by)
    .bind(now)
    .bind(t.expires_at)
    .fetch_one(conn)
    .await
}

pub async fn by_hash(conn: &mut Conn, hash: &str) -> Result<Option<TokenRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLS} FROM api_token WHERE token_hash = $1"
    ))
    .bind(hash)
    .fetch_optional(conn)
    .await
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<TokenRow>> {
    sqlx::query_as(&format!("SELECT {COLS} FROM api_token WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// All tokens (an administrator's list; a deployment holds few).
pub async fn all(conn: &mut Conn) -> Result<Vec<TokenRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLS} FROM api_token ORDER BY id DESC LIMIT 500"
    ))
    .fetch_all(conn)
    .await
}

pub async fn revoke(conn: &mut Conn, id: i64, now: i64) -> Result<u64> {
    sqlx::query("UPDATE api_token SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
}

pub async fn touch(conn: &mut Conn, id: i64, now: i64) -> Result<()> {
    sqlx::query("UPDATE api_token SET last_used_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}
