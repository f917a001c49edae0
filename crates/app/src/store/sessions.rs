//! Login sessions, kept in the database so that any instance can serve any
//! request. Only the SM3 hash of the session token is stored.

use db::{Conn, Result};

#[expect(clippy::too_many_arguments, reason = "one column each")]
pub async fn insert(
    conn: &mut Conn,
    token_hash: &str,
    user_id: i64,
    csrf: &str,
    stage: &str,
    now: i64,
    ip: &str,
    user_agent: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO user_session (token_hash, user_id, csrf_token, stage, created_at, last_seen_at, ip, user_agent)
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(csrf)
    .bind(stage)
    .bind(now)
    .bind(ip)
    .bind(user_agent)
    .execute(conn)
    .await
    .map(|_| ())
}

/// A session with its account, read in one statement: every authenticated
/// request asks this, so it is one round trip rather than two.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionWithUser {
    pub session_csrf_token: String,
    pub session_stage: String,
    pub session_last_seen_at: i64,
    #[sqlx(flatten)]
    pub user: crate::store::users::UserRow,
}

/// The account's columns, qualified for the join (not `u.*`: a column added
/// later must not change what this reads).
static USER_COLS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    crate::store::users::COLS
        .split(',')
        .map(|c| format!("u.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
});

pub async fn get_with_user(conn: &mut Conn, token_hash: &str) -> Result<Option<SessionWithUser>> {
    sqlx::query_as(&format!(
        "SELECT s.csrf_token AS session_csrf_token, s.stage AS session_stage,
                s.last_seen_at AS session_last_seen_at, {}
         FROM user_session s JOIN app_user u ON u.id = s.user_id WHERE s.token_hash = $1",
        *USER_COLS
    ))
    .bind(token_hash)
    .fetch_optional(conn)
    .await
}

pub async fn touch(conn: &mut Conn, token_hash: &str, now: i64) -> Result<()> {
    sqlx::query("UPDATE user_session SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(now)
        .bind(token_hash)
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn set_stage(conn: &mut Conn, token_hash: &str, stage: &str) -> Result<()> {
    sqlx::query("UPDATE user_session SET stage = $1 WHERE token_hash = $2")
        .bind(stage)
        .bind(token_hash)
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn delete(conn: &mut Conn, token_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM user_session WHERE token_hash = $1")
        .bind(token_hash)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Ends every session of a user except, optionally, one.
pub async fn delete_for_user(conn: &mut Conn, user_id: i64, except: Option<&str>) -> Result<()> {
    sqlx::query("DELETE FROM user_session WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(except.unwrap_or(""))
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn purge_idle(conn: &mut Conn, seen_before: i64) -> Result<u64> {
    sqlx::query("DELETE FROM user_session WHERE last_seen_at < $1")
        .bind(seen_before)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
}
