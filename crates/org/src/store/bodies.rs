//! Bodies of a congress and their dated memberships.
//!
//! A membership runs from `from_date` to `to_date` inclusive (ISO dates
//! compare as text); an open one has no `to_date`. "Members on a day" is one
//! range condition on the body's index.

use db::{Conn, Result};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BodyRow {
    pub id: i64,
    pub congress_id: i64,
    pub kind: String,
    pub name: String,
    /// Members in office today (filled by [`list`]).
    pub members: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub id: i64,
    pub body_id: i64,
    pub deputy_id: Option<i64>,
    pub name: String,
    pub position: String,
    pub from_date: String,
    pub to_date: Option<String>,
    pub end_reason: String,
}

const MEMBER_COLS: &str = "id, body_id, deputy_id, name, position, from_date, to_date, end_reason";

pub async fn insert(
    conn: &mut Conn,
    congress_id: i64,
    kind: &str,
    name: &str,
    now: i64,
) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO body (congress_id, kind, name, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $4) RETURNING id",
    )
    .bind(congress_id)
    .bind(kind)
    .bind(name)
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn get(conn: &mut Conn, id: i64, today: &str) -> Result<Option<BodyRow>> {
    sqlx::query_as(
        "SELECT b.id, b.congress_id, b.kind, b.name,
                (SELECT COUNT(*) FROM body_member m WHERE m.body_id = b.id AND m.from_date <= $2
                   AND (m.to_date IS NULL OR m.to_date >= $2)) AS members
         FROM body b WHERE b.id = $1",
    )
    .bind(id)
    .bind(today)
    .fetch_optional(conn)
    .await
}

/// The bodies of the given congresses, in the order of their kinds' importance.
pub async fn list(conn: &mut Conn, congress_ids: &[i64], today: &str) -> Result<Vec<BodyRow>> {
    if congress_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut w = db::Where::new();
    let today_at = w.arg(today.to_string());
    w.in_list("b.congress_id", congress_ids);
    let sql = format!(
        "SELECT b.id, b.congress_id, b.kind, b.name,
                (SELECT COUNT(*) FROM body_member m WHERE m.body_id = b.id AND m.from_date <= {today_at}
                   AND (m.to_date IS NULL OR m.to_date >= {today_at})) AS members
         FROM body b {}
         ORDER BY b.congress_id, CASE b.kind WHEN 'standing_committee' THEN 0 WHEN 'presidium' THEN 0
                  WHEN 'chairmen_council' THEN 1 WHEN 'special_committee' THEN 2
                  WHEN 'working_committee' THEN 3 ELSE 4 END, b.name",
        w.sql()
    );
    db::sql::bind_all(sqlx::query_as(&sql), &w.args)
        .fetch_all(conn)
        .await
}

pub async fn find_kind(conn: &mut Conn, congress_id: i64, kind: &str) -> Result<Option<i64>> {
    sqlx::query_scalar("SELECT id FROM body WHERE congress_id = $1 AND kind = $2 LIMIT 1")
        .bind(congress_id)
        .bind(kind)
        .fetch_optional(conn)
        .await
}

pub async fn find_name(conn: &mut Conn, congress_id: i64, name: &str) -> Result<Option<i64>> {
    sqlx::query_scalar("SELECT id FROM body WHERE congress_id = $1 AND name = $2")
        .bind(congress_id)
        .bind(name)
        .fetch_optional(conn)
        .await
}

pub struct NewMember<'a> {
    pub body_id: i64,
    pub deputy_id: Option<i64>,
    pub name: &'a str,
    pub position: &'a str,
    pub from_date: &'a str,
    pub to_date: Option<&'a str>,
}

pub async fn insert_member(conn: &mut Conn, m: &NewMember<'_>, now: i64) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO body_member (body_id, deputy_id, name, position, from_date, to_date, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(m.body_id)
    .bind(m.deputy_id)
    .bind(m.name)
    .bind(m.position)
    .bind(m.from_date)
    .bind(m.to_date)
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn get_member(conn: &mut Conn, id: i64) -> Result<Option<MemberRow>> {
    sqlx::query_as(&format!(
        "SELECT {MEMBER_COLS} FROM body_member WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub async fn end_member(
    conn: &mut Conn,
    id: i64,
    to_date: &str,
    reason: &str,
    now: i64,
) -> Result<u64> {
    sqlx::query(
        "UPDATE body_member SET to_date = $1, end_reason = $2, updated_at = $3
         WHERE id = $4 AND to_date IS NULL",
    )
    .bind(to_date)
    .bind(reason)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await
    .map(|r| r.rows_affected())
}

/// Everyone who has been a member, the serving first, by place and start.
pub async fn members(conn: &mut Conn, body_id: i64) -> Result<Vec<MemberRow>> {
    sqlx::query_as(&format!(
        "SELECT {MEMBER_COLS} FROM body_member WHERE body_id = $1
         ORDER BY CASE WHEN to_date IS NULL THEN 0 ELSE 1 END,
                  CASE position WHEN 'chair' THEN 0 WHEN 'vice_chair' THEN 1
                       WHEN 'secretary_general' THEN 2 ELSE 3 END, from_date, id"
    ))
    .bind(body_id)
    .fetch_all(conn)
    .await
}

/// The members on `date`: who could attend a meeting held that day.
pub async fn members_on(conn: &mut Conn, body_id: i64, date: &str) -> Result<Vec<MemberRow>> {
    sqlx::query_as(&format!(
        "SELECT {MEMBER_COLS} FROM body_member WHERE body_id = $1
           AND from_date <= $2 AND (to_date IS NULL OR to_date >= $2)
         ORDER BY CASE position WHEN 'chair' THEN 0 WHEN 'vice_chair' THEN 1
                       WHEN 'secretary_general' THEN 2 ELSE 3 END, from_date, id"
    ))
    .bind(body_id)
    .bind(date)
    .fetch_all(conn)
    .await
}

/// Whether this person (by deputy, else by name) already has a membership
/// of the body overlapping `from`..`to`.
pub struct Period<'a> {
    pub from: &'a str,
    pub to: Option<&'a str>,
    /// A membership left out of the comparison (the one being corrected).
    pub except: Option<i64>,
}

pub async fn overlapping(
    conn: &mut Conn,
    body_id: i64,
    deputy_id: Option<i64>,
    name: &str,
    p: &Period<'_>,
) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM body_member WHERE body_id = $1
           AND (($2 IS NOT NULL AND deputy_id = $2) OR ($2 IS NULL AND deputy_id IS NULL AND name = $3))
           AND (to_date IS NULL OR to_date >= $4)
           AND ($5 IS NULL OR from_date <= $5)
           AND ($6 IS NULL OR id <> $6)",
    )
    .bind(body_id)
    .bind(deputy_id)
    .bind(name)
    .bind(p.from)
    .bind(p.to)
    .bind(p.except)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// Corrects a membership entered wrongly (its place, dates or reason).
pub async fn correct_member(conn: &mut Conn, m: &MemberRow, now: i64) -> Result<u64> {
    sqlx::query(
        "UPDATE body_member SET position = $1, from_date = $2, to_date = $3, end_reason = $4, updated_at = $5
         WHERE id = $6",
    )
    .bind(&m.position)
    .bind(&m.from_date)
    .bind(&m.to_date)
    .bind(&m.end_reason)
    .bind(now)
    .bind(m.id)
    .execute(conn)
    .await
    .map(|r| r.rows_affected())
}
