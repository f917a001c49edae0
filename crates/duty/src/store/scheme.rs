//! The scoring scheme of a congress for a year: items, the activity types
//! each counts, grade bands, and qualitative grades.

use db::{Conn, Result};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SchemeRow {
    pub id: i64,
    pub congress_id: i64,
    pub year: i64,
    pub name: String,
    pub computed_at: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ItemRow {
    pub id: i64,
    pub category: String,
    pub name: String,
    pub points: i64,
    pub cap: Option<i64>,
    pub qualitative: i64,
    pub position: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BandRow {
    pub id: i64,
    pub name: String,
    pub min_points: i64,
    pub stars: i64,
}

pub async fn find(conn: &mut Conn, congress_id: i64, year: i64) -> Result<Option<SchemeRow>> {
    sqlx::query_as(
        "SELECT id, congress_id, year, name, computed_at FROM score_scheme WHERE congress_id = $1 AND year = $2",
    )
    .bind(congress_id)
    .bind(year)
    .fetch_optional(conn)
    .await
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<SchemeRow>> {
    sqlx::query_as(
        "SELECT id, congress_id, year, name, computed_at FROM score_scheme WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The scheme of the latest year before this one, to copy from.
pub async fn latest_before(
    conn: &mut Conn,
    congress_id: i64,
    year: i64,
) -> Result<Option<SchemeRow>> {
    sqlx::query_as(
        "SELECT id, congress_id, year, name, computed_at FROM score_scheme
         WHERE congress_id = $1 AND year < $2 ORDER BY year DESC LIMIT 1",
    )
    .bind(congress_id)
    .bind(year)
    .fetch_optional(conn)
    .await
}

pub async fn insert(
    conn: &mut Conn,
    congress_id: i64,
    year: i64,
    name: &str,
    now: i64,
) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO score_scheme (congress_id, year, name, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id",
    )
    .bind(congress_id)
    .bind(year)
    .bind(name)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// The scheme changed: its totals are stale until computed again.
pub async fn touch(conn: &mut Conn, id: i64, now: i64) -> Result<()> {
    sqlx::query("UPDATE score_scheme SET computed_at = NULL, updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn items(conn: &mut Conn, scheme_id: i64) -> Result<Vec<ItemRow>> {
    sqlx::query_as(
        "SELECT id, category, name, points, cap, qualitative, position FROM score_item
         WHERE scheme_id = $1 ORDER BY position, id",
    )
    .bind(scheme_id)
    .fetch_all(conn)
    .await
}

/// (item, type code) of every counted type of the scheme.
pub async fn item_types(conn: &mut Conn, scheme_id: i64) -> Result<Vec<(i64, String)>> {
    sqlx::query_as("SELECT item_id, type_code FROM score_item_type WHERE scheme_id = $1")
        .bind(scheme_id)
        .fetch_all(conn)
        .await
}

pub struct NewItem<'a> {
    pub category: &'a str,
    pub name: &'a str,
    pub points: i64,
    pub cap: Option<i64>,
    pub qualitative: bool,
    pub types: &'a [String],
}

pub async fn add_item(conn: &mut Conn, scheme_id: i64, it: &NewItem<'_>, now: i64) -> Result<i64> {
    let pos: Option<i64> =
        sqlx::query_scalar("SELECT MAX(position) FROM score_item WHERE scheme_id = $1")
            .bind(scheme_id)
            .fetch_one(&mut *conn)
            .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO score_item (scheme_id, category, name, points, cap, qualitative, position, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(scheme_id)
    .bind(it.category)
    .bind(it.name)
    .bind(it.points)
    .bind(it.cap)
    .bind(i64::from(it.qualitative))
    .bind(pos.unwrap_or(0) + 10)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    for t in it.types {
        sqlx::query(
            "INSERT INTO score_item_type (scheme_id, item_id, type_code) VALUES ($1, $2, $3)",
        )
        .bind(scheme_id)
        .bind(id)
        .bind(t)
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct ItemOfScheme {
    scheme_id: i64,
    #[sqlx(flatten)]
    item: ItemRow,
}

/// An item and its scheme's id.
pub async fn item(conn: &mut Conn, id: i64) -> Result<Option<(i64, ItemRow)>> {
    let r: Option<ItemOfScheme> = sqlx::query_as(
        "SELECT scheme_id, id, category, name, points, cap, qualitative, position FROM score_item WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(r.map(|r| (r.scheme_id, r.item)))
}

pub async fn remove_item(conn: &mut Conn, id: i64) -> Result<()> {
    for sql in [
        "DELETE FROM score_item_type WHERE item_id = $1",
        "DELETE FROM score_grade WHERE item_id = $1",
        "DELETE FROM score_item WHERE id = $1",
    ] {
        sqlx::query(sql).bind(id).execute(&mut *conn).await?;
    }
    Ok(())
}

pub async fn bands(conn: &mut Conn, scheme_id: i64) -> Result<Vec<BandRow>> {
    sqlx::query_as(
        "SELECT id, name, min_points, stars FROM score_band WHERE scheme_id = $1 ORDER BY min_points DESC",
    )
    .bind(scheme_id)
    .fetch_all(conn)
    .await
}

pub async fn replace_bands(
    conn: &mut Conn,
    scheme_id: i64,
    bands: &[crate::rules::Band],
) -> Result<()> {
    sqlx::query("DELETE FROM score_band WHERE scheme_id = $1")
        .bind(scheme_id)
        .execute(&mut *conn)
        .await?;
    for b in bands {
        sqlx::query(
            "INSERT INTO score_band (scheme_id, name, min_points, stars) VALUES ($1, $2, $3, $4)",
        )
        .bind(scheme_id)
        .bind(&b.name)
        .bind(b.min)
        .bind(b.stars)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GradeRow {
    pub item_id: i64,
    pub points: i64,
    pub reason: String,
    pub given_at: i64,
}

pub async fn grades_of(conn: &mut Conn, scheme_id: i64, deputy_id: i64) -> Result<Vec<GradeRow>> {
    sqlx::query_as(
        "SELECT g.item_id, g.points, g.reason, g.given_at FROM score_grade g JOIN score_item i ON i.id = g.item_id
         WHERE i.scheme_id = $1 AND g.deputy_id = $2",
    )
    .bind(scheme_id)
    .bind(deputy_id)
    .fetch_all(conn)
    .await
}

pub async fn set_grade(
    conn: &mut Conn,
    item_id: i64,
    deputy_id: i64,
    points: i64,
    reason: &str,
    by: Option<i64>,
    now: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM score_grade WHERE item_id = $1 AND deputy_id = $2")
        .bind(item_id)
        .bind(deputy_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO score_grade (item_id, deputy_id, points, reason, given_by, given_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(item_id)
    .bind(deputy_id)
    .bind(points)
    .bind(reason)
    .bind(by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
