//! A meeting's outputs and their document numbers.

use db::{Conn, Result};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutputRow {
    pub id: i64,
    pub meeting_id: i64,
    pub congress_id: i64,
    pub agenda_item_id: Option<i64>,
    pub kind: String,
    pub prefix: String,
    pub year: i64,
    pub seq: i64,
    pub number: String,
    pub title: String,
    pub addressee: String,
    pub body: String,
    pub issued_on: String,
    pub item_id: Option<i64>,
}

const COLS: &str = "id, meeting_id, congress_id, agenda_item_id, kind, prefix, year, seq, number,
    title, addressee, body, issued_on, item_id";

pub async fn of_meeting(conn: &mut Conn, meeting_id: i64) -> Result<Vec<OutputRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLS} FROM meeting_output WHERE meeting_id = $1 ORDER BY id"
    ))
    .bind(meeting_id)
    .fetch_all(conn)
    .await
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<OutputRow>> {
    sqlx::query_as(&format!("SELECT {COLS} FROM meeting_output WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The next number under a 代字 in a congress's year: each 代字 counts its own.
pub async fn next_seq(conn: &mut Conn, congress_id: i64, prefix: &str, year: i64) -> Result<i64> {
    let n: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(seq) FROM meeting_output WHERE congress_id = $1 AND prefix = $2 AND year = $3",
    )
    .bind(congress_id)
    .bind(prefix)
    .bind(year)
    .fetch_one(conn)
    .await?;
    Ok(n.unwrap_or(0) + 1)
}

/// The 代字 the congress last used for each kind (清常发 for 决定…), to offer again.
pub async fn last_prefixes(conn: &mut Conn, congress_id: i64) -> Result<Vec<(String, String)>> {
    sqlx::query_as(
        "SELECT o.kind, o.prefix FROM meeting_output o
         WHERE o.congress_id = $1
           AND o.id = (SELECT MAX(x.id) FROM meeting_output x WHERE x.congress_id = $1 AND x.kind = o.kind)
         ORDER BY o.kind",
    )
    .bind(congress_id)
    .fetch_all(conn)
    .await
}

pub async fn insert(conn: &mut Conn, o: &OutputRow, now: i64) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO meeting_output (meeting_id, congress_id, agenda_item_id, kind, prefix, year, seq,
             number, title, addressee, body, issued_on, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
    )
    .bind(o.meeting_id)
    .bind(o.congress_id)
    .bind(o.agenda_item_id)
    .bind(&o.kind)
    .bind(&o.prefix)
    .bind(o.year)
    .bind(o.seq)
    .bind(&o.number)
    .bind(&o.title)
    .bind(&o.addressee)
    .bind(&o.body)
    .bind(&o.issued_on)
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn set_item(conn: &mut Conn, id: i64, item: i64, now: i64) -> Result<u64> {
    sqlx::query(
        "UPDATE meeting_output SET item_id = $1, updated_at = $2 WHERE id = $3 AND item_id IS NULL",
    )
    .bind(item)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await
    .map(|r| r.rows_affected())
}
