//! Administrative divisions (GB/T 2260 codes and 9-digit township codes).

use db::sql::bind_all;
use db::{Conn, Page, Paged, Result, Where};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RegionRow {
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_code: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLS: &str = "code, name, level, parent_code, created_at, updated_at";

pub async fn get(conn: &mut Conn, code: &str) -> Result<Option<RegionRow>> {
    sqlx::query_as(&format!("SELECT {COLS} FROM region WHERE code = $1"))
        .bind(code)
        .fetch_optional(conn)
        .await
}

pub async fn insert(
    conn: &mut Conn,
    code: &str,
    name: &str,
    level: &str,
    parent_code: Option<&str>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO region (code, name, level, parent_code, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(code)
    .bind(name)
    .bind(level)
    .bind(parent_code)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn rename(conn: &mut Conn, code: &str, name: &str, now: i64) -> Result<u64> {
    sqlx::query("UPDATE region SET name = $1, updated_at = $2 WHERE code = $3")
        .bind(name)
        .bind(now)
        .bind(code)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
}

#[derive(Debug, Default, Clone)]
pub struct RegionFilter {
    pub parent_code: Option<String>,
    /// Only divisions under this code (by code prefix), e.g. a county's townships.
    pub within: Option<String>,
    pub name: Option<String>,
    pub level: Option<String>,
}

pub async fn list(conn: &mut Conn, f: &RegionFilter, page: Page) -> Result<Paged<RegionRow>> {
    let mut w = Where::new();
    if let Some(p) = &f.parent_code {
        w.eq("parent_code", p.as_str());
    }
    if let Some(p) = &f.within {
        w.starts_with("code", p);
    }
    if let Some(n) = &f.name {
        w.contains("name", n);
    }
    if let Some(l) = &f.level {
        w.eq("level", l.as_str());
    }
    let (total, capped) =
        db::sql::count_capped(conn, &format!("region{}", w.sql()), &w.args).await?;
    let sql = format!(
        "SELECT {COLS} FROM region{} ORDER BY code{}",
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

pub async fn count_children(conn: &mut Conn, code: &str) -> Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM region WHERE parent_code = $1")
        .bind(code)
        .fetch_one(conn)
        .await
}

/// All divisions, for menus (a deployment holds hundreds, not millions).
pub async fn all(conn: &mut Conn) -> Result<Vec<RegionRow>> {
    sqlx::query_as(&format!("SELECT {COLS} FROM region ORDER BY code"))
        .fetch_all(conn)
        .await
}
