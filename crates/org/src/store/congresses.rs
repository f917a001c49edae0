//! Congresses, their terms (届) and sessions (次会议).
//!
//! Each congress keeps a materialised path (`/1/4/`) so that "this congress and
//! those below it" is one prefix comparison on both backends.

use db::{Conn, Result};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CongressRow {
    pub id: i64,
    pub name: String,
    pub level: String,
    pub region_code: Option<String>,
    pub parent_id: Option<i64>,
    pub path: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLS: &str = "id, name, level, region_code, parent_id, path, created_at, updated_at";

pub async fn insert(
    conn: &mut Conn,
    name: &str,
    level: &str,
    region_code: Option<&str>,
    parent: Option<&CongressRow>,
    now: i64,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO congress (name, level, region_code, parent_id, path, created_at, updated_at)
         VALUES ($1, $2, $3, $4, '', $5, $5) RETURNING id",
    )
    .bind(name)
    .bind(level)
    .bind(region_code)
    .bind(parent.map(|p| p.id))
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    let path = format!("{}{id}/", parent.map(|p| p.path.as_str()).unwrap_or("/"));
    sqlx::query("UPDATE congress SET path = $1 WHERE id = $2")
        .bind(path)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

pub async fn rename(conn: &mut Conn, id: i64, name: &str, now: i64) -> Result<u64> {
    sqlx::query("UPDATE congress SET name = $1, updated_at = $2 WHERE id = $3")
        .bind(name)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<CongressRow>> {
    sqlx::query_as(&format!("SELECT {COLS} FROM congress WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn find_by_name(conn: &mut Conn, name: &str) -> Result<Option<CongressRow>> {
    sqlx::query_as(&format!("SELECT {COLS} FROM congress WHERE name = $1"))
        .bind(name)
        .fetch_optional(conn)
        .await
}

/// Every congress, ordered by path so a tree reads top-down (a deployment holds
/// at most a few hundred).
pub async fn all(conn: &mut Conn) -> Result<Vec<CongressRow>> {
    sqlx::query_as(&format!("SELECT {COLS} FROM congress ORDER BY path"))
        .fetch_all(conn)
        .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TermRow {
    pub id: i64,
    pub congress_id: i64,
    pub number: i64,
    pub start_date: String,
    pub end_date: String,
}

pub async fn insert_term(
    conn: &mut Conn,
    congress_id: i64,
    number: i64,
    start: &str,
    end: &str,
    now: i64,
) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO term (congress_id, number, start_date, end_date, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(congress_id)
    .bind(number)
    .bind(start)
    .bind(end)
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn terms(conn: &mut Conn, congress_id: i64) -> Result<Vec<TermRow>> {
    sqlx::query_as(
        "SELECT id, congress_id, number, start_date, end_date FROM term WHERE congress_id = $1 ORDER BY number DESC",
    )
    .bind(congress_id)
    .fetch_all(conn)
    .await
}

pub async fn all_terms(conn: &mut Conn) -> Result<Vec<TermRow>> {
    sqlx::query_as("SELECT id, congress_id, number, start_date, end_date FROM term ORDER BY congress_id, number")
        .fetch_all(conn)
        .await
}

pub async fn get_term(conn: &mut Conn, id: i64) -> Result<Option<TermRow>> {
    sqlx::query_as("SELECT id, congress_id, number, start_date, end_date FROM term WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn find_term(conn: &mut Conn, congress_id: i64, number: i64) -> Result<Option<TermRow>> {
    sqlx::query_as(
        "SELECT id, congress_id, number, start_date, end_date FROM term WHERE congress_id = $1 AND number = $2",
    )
    .bind(congress_id)
    .bind(number)
    .fetch_optional(conn)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub id: i64,
    pub term_id: i64,
    pub number: i64,
    pub start_date: String,
    pub end_date: String,
}

pub async fn insert_session(
    conn: &mut Conn,
    term_id: i64,
    number: i64,
    start: &str,
    end: &str,
    now: i64,
) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO congress_session (term_id, number, start_date, end_date, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(term_id)
    .bind(number)
    .bind(start)
    .bind(end)
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn sessions(conn: &mut Conn, term_id: i64) -> Result<Vec<SessionRow>> {
    sqlx::query_as(
        "SELECT id, term_id, number, start_date, end_date FROM congress_session WHERE term_id = $1 ORDER BY number",
    )
    .bind(term_id)
    .fetch_all(conn)
    .await
}

/// The congress's most recent session that has begun by `today`.
pub async fn latest_session(conn: &mut Conn, congress_id: i64, today: &str) -> Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT s.id FROM congress_session s JOIN term t ON t.id = s.term_id
         WHERE t.congress_id = $1 AND s.start_date <= $2 ORDER BY s.start_date DESC, s.id DESC LIMIT 1",
    )
    .bind(congress_id)
    .bind(today)
    .fetch_optional(conn)
    .await
}

pub async fn get_session(conn: &mut Conn, id: i64) -> Result<Option<SessionRow>> {
    sqlx::query_as(
        "SELECT id, term_id, number, start_date, end_date FROM congress_session WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}
