//! Activities deputies record and staff verify, or staff record for many.

use db::sql::{Page, Paged, Where};
use db::{Conn, Result};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ActivityRow {
    pub id: i64,
    pub congress_id: i64,
    pub deputy_id: i64,
    pub deputy_name: String,
    pub type_code: String,
    pub type_name: String,
    pub activity_date: String,
    pub place: String,
    pub minutes: i64,
    pub summary: String,
    pub state: String,
    pub reject_reason: String,
    pub batch_id: Option<i64>,
    pub created_at: i64,
}

const COLS: &str = "a.id, a.congress_id, a.deputy_id, d.name AS deputy_name, a.type_code,
    t.name AS type_name, a.activity_date, a.place, a.minutes, a.summary, a.state, a.reject_reason,
    a.batch_id, a.created_at";
const FROM: &str = "duty_activity a JOIN deputy d ON d.id = a.deputy_id JOIN activity_type t ON t.code = a.type_code";

pub struct NewActivity<'a> {
    pub congress_id: i64,
    pub deputy_id: i64,
    pub type_code: &'a str,
    pub activity_date: &'a str,
    pub place: &'a str,
    pub minutes: i64,
    pub summary: &'a str,
    pub state: &'a str,
    pub batch_id: Option<i64>,
    pub recorded_by: Option<i64>,
    pub now: i64,
}

pub async fn insert(conn: &mut Conn, a: &NewActivity<'_>) -> Result<i64> {
    let verified = a.state == crate::rules::ActivityState::Verified.code();
    sqlx::query_scalar(
        "INSERT INTO duty_activity (congress_id, deputy_id, type_code, activity_date, place, minutes,
            summary, state, batch_id, recorded_by, reviewed_by, reviewed_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
    )
    .bind(a.congress_id)
    .bind(a.deputy_id)
    .bind(a.type_code)
    .bind(a.activity_date)
    .bind(a.place)
    .bind(a.minutes)
    .bind(a.summary)
    .bind(a.state)
    .bind(a.batch_id)
    .bind(a.recorded_by)
    .bind(if verified { a.recorded_by } else { None })
    .bind(if verified { Some(a.now) } else { None })
    .bind(a.now)
    .fetch_one(conn)
    .await
}

/// The next batch number: entries made together share it.
pub async fn next_batch(conn: &mut Conn) -> Result<i64> {
    let n: Option<i64> = sqlx::query_scalar("SELECT MAX(batch_id) FROM duty_activity")
        .fetch_one(conn)
        .await?;
    Ok(n.unwrap_or(0) + 1)
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<ActivityRow>> {
    sqlx::query_as(&format!("SELECT {COLS} FROM {FROM} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Marks a pending activity verified or rejected; false when it was no longer pending.
pub async fn review(
    conn: &mut Conn,
    id: i64,
    state: &str,
    reason: &str,
    by: Option<i64>,
    now: i64,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE duty_activity SET state = $1, reject_reason = $2, reviewed_by = $3, reviewed_at = $4,
            updated_at = $4 WHERE id = $5 AND state = 'pending'",
    )
    .bind(state)
    .bind(reason)
    .bind(by)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Which activities a list shows.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// `None`: every congress.
    pub congresses: Option<Vec<i64>>,
    pub deputy_id: Option<i64>,
    pub state: Option<String>,
    pub type_code: Option<String>,
    /// Dates from and to, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
}

impl Filter {
    fn clause(&self) -> Where {
        let mut w = Where::new();
        if let Some(ids) = &self.congresses {
            w.in_list("a.congress_id", ids);
        }
        if let Some(d) = self.deputy_id {
            w.eq("a.deputy_id", d);
        }
        if let Some(s) = &self.state {
            w.eq("a.state", s.clone());
        }
        if let Some(t) = &self.type_code {
            w.eq("a.type_code", t.clone());
        }
        if let Some(f) = &self.from {
            w.raw("a.activity_date >= {}", vec![f.clone().into()]);
        }
        if let Some(t) = &self.to {
            w.raw("a.activity_date <= {}", vec![t.clone().into()]);
        }
        w
    }
}

/// A page of activities, the latest first (the queue: the oldest first).
pub async fn list(
    conn: &mut Conn,
    f: &Filter,
    page: Page,
    oldest_first: bool,
) -> Result<Paged<ActivityRow>> {
    let w = f.clause();
    let from_where = format!("{FROM}{}", w.sql());
    let (total, capped) = db::sql::count_capped(conn, &from_where, &w.args).await?;
    let order = if oldest_first {
        "a.id ASC"
    } else {
        "a.activity_date DESC, a.id DESC"
    };
    let sql = format!(
        "SELECT {COLS} FROM {from_where} ORDER BY {order}{}",
        page.sql()
    );
    let items = db::sql::bind_all(sqlx::query_as(&sql), &w.args)
        .fetch_all(conn)
        .await?;
    Ok(Paged {
        items,
        total,
        capped,
        page: page.page,
        per_page: page.per_page,
    })
}

/// Persons and 人次 of verified activities of a congress in a period, per type.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TypeCount {
    pub type_code: String,
    pub type_name: String,
    pub persons: i64,
    pub times: i64,
}

pub async fn counts(
    conn: &mut Conn,
    congress_id: i64,
    from: &str,
    to: &str,
) -> Result<Vec<TypeCount>> {
    sqlx::query_as(
        "SELECT a.type_code, t.name AS type_name, COUNT(DISTINCT a.deputy_id) AS persons, COUNT(*) AS times
         FROM duty_activity a JOIN activity_type t ON t.code = a.type_code
         WHERE a.congress_id = $1 AND a.state = 'verified' AND a.activity_date >= $2 AND a.activity_date <= $3
         GROUP BY a.type_code, t.name, t.position ORDER BY t.position",
    )
    .bind(congress_id)
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await
}
