//! 通知公告: notices staff post to chosen roles.

use db::sql::bind_all;
use db::{Conn, Page, Paged, Result, Where};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AnnouncementRow {
    pub id: i64,
    pub title: String,
    pub body: String,
    /// Role codes, comma-framed (",deputy,unit_head,").
    pub audience: String,
    pub congress_id: Option<i64>,
    pub posted_by: i64,
    pub posted_by_name: String,
    pub posted_at: i64,
    pub withdrawn_at: Option<i64>,
}

impl AnnouncementRow {
    pub fn roles(&self) -> impl Iterator<Item = &str> {
        self.audience.split(',').filter(|r| !r.is_empty())
    }
}

const COLS: &str =
    "id, title, body, audience, congress_id, posted_by, posted_by_name, posted_at, withdrawn_at";

pub struct NewAnnouncement<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub audience: &'a str,
    pub congress_id: Option<i64>,
    pub posted_by: i64,
    pub posted_by_name: &'a str,
    pub posted_at: i64,
}

pub async fn insert(conn: &mut Conn, a: &NewAnnouncement<'_>) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO announcement (title, body, audience, congress_id, posted_by, posted_by_name, posted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(a.title)
    .bind(a.body)
    .bind(a.audience)
    .bind(a.congress_id)
    .bind(a.posted_by)
    .bind(a.posted_by_name)
    .bind(a.posted_at)
    .fetch_one(conn)
    .await
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<AnnouncementRow>> {
    sqlx::query_as(&format!("SELECT {COLS} FROM announcement WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Marks a posted notice withdrawn; 0 rows when it already was.
pub async fn withdraw(conn: &mut Conn, id: i64, now: i64) -> Result<u64> {
    sqlx::query("UPDATE announcement SET withdrawn_at = $1 WHERE id = $2 AND withdrawn_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
}

/// Whose notices a list shows.
#[derive(Debug, Default, Clone)]
pub struct AnnouncementFilter {
    /// Only notices addressed to this role.
    pub role: Option<String>,
    /// Notices of these congresses and the platform-wide ones; `None`: all.
    pub congress_ids: Option<Vec<i64>>,
    /// And notices of the congresses this deputy holds a mandate in.
    pub deputy_id: Option<i64>,
    pub current_only: bool,
}

pub async fn list(
    conn: &mut Conn,
    f: &AnnouncementFilter,
    page: Page,
) -> Result<Paged<AnnouncementRow>> {
    let mut w = Where::new();
    if let Some(r) = &f.role {
        w.raw(
            "audience LIKE {} ESCAPE '\\'",
            vec![format!("%,{}%", db::sql::like_escape(&format!("{r},"))).into()],
        );
    }
    if let Some(ids) = &f.congress_ids {
        let mut marks: Vec<String> = ids.iter().map(|i| w.arg(*i)).collect();
        if marks.is_empty() {
            marks.push("NULL".into());
        }
        let mandates = match f.deputy_id {
            Some(d) => format!(
                " OR congress_id IN (SELECT congress_id FROM deputy_mandate WHERE deputy_id = {} AND status = 'in_office')",
                w.arg(d)
            ),
            None => String::new(),
        };
        w.raw(
            &format!(
                "(congress_id IS NULL OR congress_id IN ({}){mandates})",
                marks.join(", ")
            ),
            vec![],
        );
    }
    if f.current_only {
        w.raw("withdrawn_at IS NULL", vec![]);
    }
    let from = format!("announcement{}", w.sql());
    let (total, capped) = db::sql::count_capped(conn, &from, &w.args).await?;
    let sql = format!(
        "SELECT {COLS} FROM {from} ORDER BY posted_at DESC, id DESC{}",
        page.sql()
    );
    let items = bind_all(sqlx::query_as(&sql), &w.args)
        .fetch_all(&mut *conn)
        .await?;
    Ok(Paged {
        items,
        total,
        capped,
        page: page.page,
        per_page: page.per_page,
    })
}
