//! Login attempts: every attempt, successful or not, with where it came from.

use db::sql::bind_all;
use db::{Conn, Page, Paged, Result, Where};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LoginRow {
    pub id: i64,
    pub at: i64,
    pub username: String,
    pub user_id: Option<i64>,
    pub ip: String,
    pub user_agent: String,
    pub outcome: String,
}

pub async fn insert(
    conn: &mut Conn,
    at: i64,
    username: &str,
    user_id: Option<i64>,
    ip: &str,
    user_agent: &str,
    outcome: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO login_log (at, username, user_id, ip, user_agent, outcome) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(at)
    .bind(username)
    .bind(user_id)
    .bind(ip)
    .bind(user_agent)
    .bind(outcome)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Attempts from one address since a moment (for rate limiting).
/// Failed or refused attempts only: a county's offices often share one NAT
/// address, and a morning of successful logins must not lock them all out.
/// Failed attempts from an address since a moment. Refusals while the
/// address is blocked (`rate_limited`) do not count, so they never extend
/// the block (an office behind one address is not locked out for good).
pub async fn failures_from_ip_since(conn: &mut Conn, ip: &str, since: i64) -> Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM login_log WHERE ip = $1 AND at >= $2 AND outcome NOT IN ('success', 'password_ok', 'rate_limited')")
        .bind(ip)
        .bind(since)
        .fetch_one(conn)
        .await
}

/// The moment of the `nth` most recent failure from an address since a
/// moment (1 = the latest): when it leaves the window, the block ends.
pub async fn nth_failure_from_ip_since(
    conn: &mut Conn,
    ip: &str,
    since: i64,
    nth: i64,
) -> Result<Option<i64>> {
    sqlx::query_scalar("SELECT at FROM login_log WHERE ip = $1 AND at >= $2 AND outcome NOT IN ('success', 'password_ok', 'rate_limited') ORDER BY at DESC LIMIT 1 OFFSET $3")
        .bind(ip)
        .bind(since)
        .bind(nth.max(1) - 1)
        .fetch_optional(conn)
        .await
}

#[derive(Debug, Default, Clone)]
pub struct LoginFilter {
    pub username: Option<String>,
    pub ip: Option<String>,
    pub outcome: Option<String>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
}

pub async fn list(conn: &mut Conn, f: &LoginFilter, page: Page) -> Result<Paged<LoginRow>> {
    let mut w = Where::new();
    if let Some(u) = &f.username {
        w.contains("username", u);
    }
    if let Some(ip) = &f.ip {
        w.eq("ip", ip.as_str());
    }
    if let Some(o) = &f.outcome {
        w.eq("outcome", o.as_str());
    }
    if let Some(t) = f.from_ms {
        w.raw("at >= {}", vec![t.into()]);
    }
    if let Some(t) = f.to_ms {
        w.raw("at < {}", vec![t.into()]);
    }
    let (total, capped) =
        db::sql::count_capped(conn, &format!("login_log{}", w.sql()), &w.args).await?;
    let sql = format!(
        "SELECT id, at, username, user_id, ip, user_agent, outcome FROM login_log{} ORDER BY id DESC{}",
        w.sql(),
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
