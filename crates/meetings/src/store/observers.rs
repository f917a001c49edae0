//! Citizens applying to observe a meeting.

use db::{Conn, Result};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ObserverRow {
    pub id: i64,
    pub meeting_id: i64,
    pub code: String,
    pub name: String,
    pub id_card_masked: String,
    pub phone_masked: String,
    pub status: String,
    pub decline_reason: String,
    pub signed_in_at: Option<i64>,
    pub created_at: i64,
}

const COLS: &str =
    "id, meeting_id, code, name, id_card_masked, phone_masked, status, decline_reason,
    signed_in_at, created_at";

pub struct NewObserver<'a> {
    pub meeting_id: i64,
    pub code: &'a str,
    pub name: &'a str,
    pub id_card_enc: &'a str,
    pub id_card_index: &'a str,
    pub id_card_masked: &'a str,
    pub phone_enc: &'a str,
    pub phone_masked: &'a str,
}

pub async fn insert(conn: &mut Conn, o: &NewObserver<'_>, now: i64) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO meeting_observer (meeting_id, code, name, id_card_enc, id_card_index, id_card_masked,
             phone_enc, phone_masked, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $9) RETURNING id",
    )
    .bind(o.meeting_id)
    .bind(o.code)
    .bind(o.name)
    .bind(o.id_card_enc)
    .bind(o.id_card_index)
    .bind(o.id_card_masked)
    .bind(o.phone_enc)
    .bind(o.phone_masked)
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn applied(conn: &mut Conn, meeting_id: i64, index: &str) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM meeting_observer WHERE meeting_id = $1 AND id_card_index = $2",
    )
    .bind(meeting_id)
    .bind(index)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

pub async fn of_meeting(conn: &mut Conn, meeting_id: i64) -> Result<Vec<ObserverRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLS} FROM meeting_observer WHERE meeting_id = $1 ORDER BY id LIMIT 1000"
    ))
    .bind(meeting_id)
    .fetch_all(conn)
    .await
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<ObserverRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLS} FROM meeting_observer WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub async fn by_code(conn: &mut Conn, code: &str) -> Result<Option<ObserverRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLS} FROM meeting_observer WHERE code = $1"
    ))
    .bind(code)
    .fetch_optional(conn)
    .await
}

/// Approves a pending application while places are left, in one statement
/// (two clerks approving at once cannot overfill the gallery on either database).
pub async fn approve_within(
    conn: &mut Conn,
    id: i64,
    meeting_id: i64,
    quota: i64,
    now: i64,
) -> Result<u64> {
    sqlx::query(
        "UPDATE meeting_observer SET status = 'approved', decline_reason = '', updated_at = $1
         WHERE id = $2 AND status = 'pending'
           AND (SELECT COUNT(*) FROM meeting_observer o
                WHERE o.meeting_id = $3 AND o.status IN ('approved', 'attended')) < $4",
    )
    .bind(now)
    .bind(id)
    .bind(meeting_id)
    .bind(quota)
    .execute(conn)
    .await
    .map(|r| r.rows_affected())
}

/// Places taken: approved (or already attended) applications.
pub async fn approved(conn: &mut Conn, meeting_id: i64) -> Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM meeting_observer WHERE meeting_id = $1 AND status IN ('approved', 'attended')",
    )
    .bind(meeting_id)
    .fetch_one(conn)
    .await
}

pub async fn set_status(
    conn: &mut Conn,
    id: i64,
    from: &str,
    to: &str,
    reason: &str,
    signed_in_at: Option<i64>,
    now: i64,
) -> Result<u64> {
    sqlx::query(
        "UPDATE meeting_observer SET status = $1, decline_reason = $2, signed_in_at = COALESCE($3, signed_in_at),
                updated_at = $4 WHERE id = $5 AND status = $6",
    )
    .bind(to)
    .bind(reason)
    .bind(signed_in_at)
    .bind(now)
    .bind(id)
    .bind(from)
    .execute(conn)
    .await
    .map(|r| r.rows_affected())
}

/// Approved applications of several meetings: (meeting, places taken).
pub async fn approved_of(conn: &mut Conn, meeting_ids: &[i64]) -> Result<Vec<(i64, i64)>> {
    if meeting_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut w = db::Where::new();
    w.in_list("meeting_id", meeting_ids);
    w.raw("status IN ('approved', 'attended')", Vec::new());
    let sql = format!(
        "SELECT meeting_id, COUNT(*) FROM meeting_observer{} GROUP BY meeting_id",
        w.sql()
    );
    db::sql::bind_all(sqlx::query_as(&sql), &w.args)
        .fetch_all(conn)
        .await
}
