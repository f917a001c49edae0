//! The in-app inbox and the outbound log of other channels (e-mail, later SMS).

use crate::store::users::Audience;
use db::sql::bind_all;
use db::{Conn, Page, Paged, Result, Where};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotificationRow {
    pub id: i64,
    pub user_id: i64,
    pub title: String,
    pub body: String,
    pub link: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

/// One notice to every member of the audiences, once per person, in a single
/// statement (a use case notifying a whole office should not cost a round trip
/// per person, nor one to look the people up). Returns the ids notified with
/// their e-mail addresses, for the outbox.
pub async fn insert_for_audiences(
    conn: &mut Conn,
    to: &[Audience],
    title: &str,
    body: &str,
    link: &str,
    now: i64,
) -> Result<Vec<(i64, Option<String>)>> {
    if to.is_empty() {
        return Ok(Vec::new());
    }
    let mut w = Where::new();
    let values = [w.arg(title), w.arg(body), w.arg(link), w.arg(now)].join(", ");
    let members = crate::store::users::audiences_select(to, &mut w);
    let sql = format!(
        "INSERT INTO notification (user_id, title, body, link, created_at)
         SELECT id, {values} FROM app_user WHERE id IN ({members}) ORDER BY id
         RETURNING user_id, (SELECT email FROM app_user u WHERE u.id = notification.user_id)"
    );
    let mut rows: Vec<(i64, Option<String>)> = bind_all(sqlx::query_as(&sql), &w.args)
        .fetch_all(conn)
        .await?;
    rows.sort_unstable_by_key(|(id, _)| *id);
    Ok(rows)
}

pub async fn list(conn: &mut Conn, user_id: i64, page: Page) -> Result<Paged<NotificationRow>> {
    let (total, capped) =
        db::sql::count_capped(conn, "notification WHERE user_id = $1", &[user_id.into()]).await?;
    let items = sqlx::query_as(&format!(
        "SELECT id, user_id, title, body, link, created_at, read_at FROM notification WHERE user_id = $1 ORDER BY id DESC{}",
        page.sql()
    ))
    .bind(user_id)
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

pub async fn unread(conn: &mut Conn, user_id: i64) -> Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM notification WHERE user_id = $1 AND read_at IS NULL")
        .bind(user_id)
        .fetch_one(conn)
        .await
}

pub async fn mark_read(conn: &mut Conn, user_id: i64, id: Option<i64>, now: i64) -> Result<u64> {
    let r = match id {
        Some(id) => {
            sqlx::query("UPDATE notification SET read_at = $1 WHERE user_id = $2 AND id = $3 AND read_at IS NULL")
                .bind(now)
                .bind(user_id)
                .bind(id)
                .execute(conn)
                .await?
        }
        None => {
            sqlx::query("UPDATE notification SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
                .bind(now)
                .bind(user_id)
                .execute(conn)
                .await?
        }
    };
    Ok(r.rows_affected())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub state: String,
    pub attempts: i64,
    pub last_error: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

pub async fn enqueue(
    conn: &mut Conn,
    channel: &str,
    recipient: &str,
    subject: &str,
    body: &str,
    now: i64,
) -> Result<()> {
    sqlx::query("INSERT INTO outbox (channel, recipient, subject, body, state, created_at) VALUES ($1, $2, $3, $4, 'pending', $5)")
        .bind(channel)
        .bind(recipient)
        .bind(subject)
        .bind(body)
        .bind(now)
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn pending(conn: &mut Conn, limit: i64) -> Result<Vec<OutboxRow>> {
    sqlx::query_as(&format!(
        "SELECT id, channel, recipient, subject, body, state, attempts, last_error, created_at, sent_at FROM outbox
         WHERE state = 'pending' ORDER BY id LIMIT {limit}"
    ))
    .fetch_all(conn)
    .await
}

pub async fn mark_sent(conn: &mut Conn, id: i64, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_at = $1 WHERE id = $2",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Records a failed attempt; after `max_attempts` the message is given up.
pub async fn mark_failed(conn: &mut Conn, id: i64, error: &str, max_attempts: i64) -> Result<()> {
    sqlx::query(
        "UPDATE outbox SET attempts = attempts + 1, last_error = $1,
         state = CASE WHEN attempts + 1 >= $2 THEN 'failed' ELSE 'pending' END WHERE id = $3",
    )
    .bind(error)
    .bind(max_attempts)
    .bind(id)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn recent_outbox(conn: &mut Conn, page: Page) -> Result<Paged<OutboxRow>> {
    let (total, capped) = db::sql::count_capped(conn, "outbox", &[]).await?;
    let items = sqlx::query_as(&format!(
        "SELECT id, channel, recipient, subject, body, state, attempts, last_error, created_at, sent_at FROM outbox ORDER BY id DESC{}",
        page.sql()
    ))
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
