//! Years of the holiday calendar that an administrator added.

use db::{Conn, Result};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct YearRow {
    pub year: i64,
    pub source: String,
    pub created_by: Option<i64>,
    pub created_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RestRow {
    pub year: i64,
    pub first_day: String,
    pub last_day: String,
    pub name: String,
}

pub async fn years(conn: &mut Conn) -> Result<Vec<YearRow>> {
    sqlx::query_as("SELECT year, source, created_by, created_at FROM calendar_year ORDER BY year")
        .fetch_all(conn)
        .await
}

pub async fn rests(conn: &mut Conn) -> Result<Vec<RestRow>> {
    sqlx::query_as("SELECT year, first_day, last_day, name FROM calendar_rest ORDER BY first_day")
        .fetch_all(conn)
        .await
}

pub async fn workdays(conn: &mut Conn) -> Result<Vec<(i64, String)>> {
    sqlx::query_as("SELECT year, day FROM calendar_workday ORDER BY day")
        .fetch_all(conn)
        .await
}

pub async fn insert_year(
    conn: &mut Conn,
    year: i64,
    source: &str,
    created_by: Option<i64>,
    now: i64,
    rests: &[(String, String, String)],
    workdays: &[String],
) -> Result<()> {
    sqlx::query(
        "INSERT INTO calendar_year (year, source, created_by, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(year)
    .bind(source)
    .bind(created_by)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    for (first, last, name) in rests {
        sqlx::query(
            "INSERT INTO calendar_rest (year, first_day, last_day, name) VALUES ($1, $2, $3, $4)",
        )
        .bind(year)
        .bind(first)
        .bind(last)
        .bind(name)
        .execute(&mut *conn)
        .await?;
    }
    for d in workdays {
        sqlx::query("INSERT INTO calendar_workday (day, year) VALUES ($1, $2)")
            .bind(d)
            .bind(year)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Removes a year an administrator added (built-in years are not stored here).
pub async fn delete_year(conn: &mut Conn, year: i64) -> Result<u64> {
    sqlx::query("DELETE FROM calendar_workday WHERE year = $1")
        .bind(year)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM calendar_rest WHERE year = $1")
        .bind(year)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM calendar_year WHERE year = $1")
        .bind(year)
        .execute(&mut *conn)
        .await
        .map(|r| r.rows_affected())
}
