//! Handling units (承办单位) and their contact people.

use db::sql::bind_all;
use db::{Conn, Page, Paged, Result, Where};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UnitRow {
    pub id: i64,
    pub congress_id: i64,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<i64>,
    pub path: String,
    pub credit_code: Option<String>,
    pub leader_name: String,
    pub leader_title: String,
    pub leader_user_id: Option<i64>,
    pub address: String,
    pub active: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLS: &str = "id, congress_id, name, kind, parent_id, path, credit_code, leader_name, leader_title, leader_user_id, address, active, created_at, updated_at";

/// The writable fields of a unit.
#[derive(Debug, Clone)]
pub struct UnitData {
    pub congress_id: i64,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<i64>,
    pub credit_code: Option<String>,
    pub leader_name: String,
    pub leader_title: String,
    pub leader_user_id: Option<i64>,
    pub address: String,
    pub active: bool,
}

pub async fn insert(
    conn: &mut Conn,
    d: &UnitData,
    parent_path: Option<&str>,
    now: i64,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO unit (congress_id, name, kind, parent_id, path, credit_code, leader_name, leader_title, leader_user_id, address, active, created_at, updated_at)
         VALUES ($1, $2, $3, $4, '', $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
    )
    .bind(d.congress_id)
    .bind(&d.name)
    .bind(&d.kind)
    .bind(d.parent_id)
    .bind(&d.credit_code)
    .bind(&d.leader_name)
    .bind(&d.leader_title)
    .bind(d.leader_user_id)
    .bind(&d.address)
    .bind(i64::from(d.active))
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    let path = format!("{}{id}/", parent_path.unwrap_or("/"));
    sqlx::query("UPDATE unit SET path = $1 WHERE id = $2")
        .bind(path)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

/// Updates a unit; its parent (and so its path) is changed by [`move_to`].
pub async fn update(conn: &mut Conn, id: i64, d: &UnitData, now: i64) -> Result<u64> {
    sqlx::query(
        "UPDATE unit SET name = $1, kind = $2, credit_code = $3, leader_name = $4, leader_title = $5,
         leader_user_id = $6, address = $7, active = $8, updated_at = $9 WHERE id = $10",
    )
    .bind(&d.name)
    .bind(&d.kind)
    .bind(&d.credit_code)
    .bind(&d.leader_name)
    .bind(&d.leader_title)
    .bind(d.leader_user_id)
    .bind(&d.address)
    .bind(i64::from(d.active))
    .bind(now)
    .bind(id)
    .execute(conn)
    .await
    .map(|r| r.rows_affected())
}

/// Moves a unit under another parent, rewriting the paths of its whole subtree.
pub async fn move_to(
    conn: &mut Conn,
    id: i64,
    old_path: &str,
    new_parent: Option<(i64, &str)>,
) -> Result<()> {
    let new_path = format!("{}{id}/", new_parent.map(|p| p.1).unwrap_or("/"));
    sqlx::query("UPDATE unit SET parent_id = $1 WHERE id = $2")
        .bind(new_parent.map(|p| p.0))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    // Both backends have SUBSTR and ||; PostgreSQL wants an INTEGER position.
    sqlx::query(
        "UPDATE unit SET path = $1 || SUBSTR(path, CAST($2 AS INTEGER)) WHERE path LIKE $3",
    )
    .bind(&new_path)
    .bind(old_path.chars().count() as i64 + 1)
    .bind(format!("{old_path}%"))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<UnitRow>> {
    sqlx::query_as(&format!("SELECT {COLS} FROM unit WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn find_by_credit_code(conn: &mut Conn, code: &str) -> Result<Option<UnitRow>> {
    sqlx::query_as(&format!("SELECT {COLS} FROM unit WHERE credit_code = $1"))
        .bind(code)
        .fetch_optional(conn)
        .await
}

pub async fn find_by_name(
    conn: &mut Conn,
    congress_id: i64,
    name: &str,
) -> Result<Option<UnitRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLS} FROM unit WHERE congress_id = $1 AND name = $2"
    ))
    .bind(congress_id)
    .bind(name)
    .fetch_optional(conn)
    .await
}

/// What a caller may see and asked for. `None` means no restriction.
#[derive(Debug, Default, Clone)]
pub struct UnitFilter {
    pub congress_ids: Option<Vec<i64>>,
    /// Units within this path (a unit and its children).
    pub within_path: Option<String>,
    pub only_id: Option<i64>,
    pub leader_user_id: Option<i64>,
    pub kind: Option<String>,
    pub name: Option<String>,
    pub active: Option<bool>,
}

fn where_of(f: &UnitFilter) -> Where {
    let mut w = Where::new();
    if let Some(ids) = &f.congress_ids {
        w.in_list("congress_id", ids);
    }
    if let Some(p) = &f.within_path {
        w.starts_with("path", p);
    }
    if let Some(id) = f.only_id {
        w.eq("id", id);
    }
    if let Some(id) = f.leader_user_id {
        w.eq("leader_user_id", id);
    }
    if let Some(k) = &f.kind {
        w.eq("kind", k.as_str());
    }
    if let Some(n) = &f.name {
        w.contains("name", n);
    }
    if let Some(a) = f.active {
        w.eq("active", i64::from(a));
    }
    w
}

pub async fn list(conn: &mut Conn, f: &UnitFilter, page: Page) -> Result<Paged<UnitRow>> {
    let w = where_of(f);
    let (total, capped) = db::sql::count_capped(conn, &format!("unit{}", w.sql()), &w.args).await?;
    let sql = format!(
        "SELECT {COLS} FROM unit{} ORDER BY path{}",
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

/// Rows for export, in batches by id (keyset), so a large list never sits in memory at once.
pub async fn batch_after(
    conn: &mut Conn,
    f: &UnitFilter,
    after_id: i64,
    limit: i64,
) -> Result<Vec<UnitRow>> {
    let mut w = where_of(f);
    w.raw("id > {}", vec![after_id.into()]);
    let sql = format!(
        "SELECT {COLS} FROM unit{} ORDER BY id LIMIT {limit}",
        w.sql()
    );
    bind_all(sqlx::query_as(&sql), &w.args)
        .fetch_all(conn)
        .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ContactRow {
    pub id: i64,
    pub unit_id: i64,
    pub name: String,
    pub title: String,
    pub phone_enc: Option<String>,
    pub position: i64,
}

pub async fn contacts(conn: &mut Conn, unit_id: i64) -> Result<Vec<ContactRow>> {
    sqlx::query_as(
        "SELECT id, unit_id, name, title, phone_enc, position FROM unit_contact WHERE unit_id = $1 ORDER BY position, id",
    )
    .bind(unit_id)
    .fetch_all(conn)
    .await
}

/// Replaces a unit's contact list.
pub async fn replace_contacts(
    conn: &mut Conn,
    unit_id: i64,
    contacts: &[(String, String, Option<String>)],
) -> Result<()> {
    sqlx::query("DELETE FROM unit_contact WHERE unit_id = $1")
        .bind(unit_id)
        .execute(&mut *conn)
        .await?;
    for (i, (name, title, phone_enc)) in contacts.iter().enumerate() {
        sqlx::query(
            "INSERT INTO unit_contact (unit_id, name, title, phone_enc, position) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(unit_id)
        .bind(name)
        .bind(title)
        .bind(phone_enc)
        .bind(i as i64)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn count_children(conn: &mut Conn, id: i64) -> Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM unit WHERE parent_id = $1")
        .bind(id)
        .fetch_one(conn)
        .await
}

/// Id and name of every unit of some congresses, for menus.
pub async fn names(conn: &mut Conn, congress_ids: &[i64]) -> Result<Vec<(i64, String)>> {
    let mut w = Where::new();
    w.in_list("congress_id", congress_ids);
    let sql = format!("SELECT id, name FROM unit{} ORDER BY path", w.sql());
    bind_all(sqlx::query_as(&sql), &w.args)
        .fetch_all(conn)
        .await
}

/// Congresses of the units a government leader is in charge of.
pub async fn congresses_led_by(conn: &mut Conn, user_id: i64) -> Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT DISTINCT congress_id FROM unit WHERE leader_user_id = $1 ORDER BY congress_id",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await
}

/// Id and name of the units matching a filter (a unit's subtree, say).
pub async fn names_where(conn: &mut Conn, f: &UnitFilter) -> Result<Vec<(i64, String)>> {
    let w = where_of(f);
    let sql = format!("SELECT id, name FROM unit{} ORDER BY path", w.sql());
    bind_all(sqlx::query_as(&sql), &w.args)
        .fetch_all(conn)
        .await
}
