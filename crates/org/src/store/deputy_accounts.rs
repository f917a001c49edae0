//! Deputies as accounts are made for them: those in office without an
//! account, and the deputy picker.

use db::sql::bind_all;
use db::{Conn, Page, Paged, Result, Where};

/// A deputy in office, as a list or a picker shows them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SeatRow {
    pub deputy_id: i64,
    pub name: String,
    pub constituency: String,
    pub congress_id: i64,
    pub congress_name: String,
    /// 1 when an account is linked to the deputy.
    pub has_account: i64,
}

fn select(w: &Where) -> String {
    format!(
        "SELECT d.id AS deputy_id, d.name, m.constituency, m.congress_id, c.name AS congress_name,
                CASE WHEN EXISTS (SELECT 1 FROM app_user u WHERE u.deputy_id = d.id) THEN 1 ELSE 0 END AS has_account
         FROM deputy_mandate m JOIN deputy d ON d.id = m.deputy_id JOIN congress c ON c.id = m.congress_id{}",
        w.sql()
    )
}

/// Deputies in office in these congresses (`None`: all) with no account,
/// matching a name or a constituency, by congress and constituency.
pub async fn without_account(
    conn: &mut Conn,
    congress_ids: Option<&[i64]>,
    congress_id: Option<i64>,
    q: Option<&str>,
    page: Page,
) -> Result<Paged<SeatRow>> {
    let mut w = Where::new();
    w.raw("m.status = 'in_office'", vec![]);
    w.raw(
        "NOT EXISTS (SELECT 1 FROM app_user u WHERE u.deputy_id = d.id)",
        vec![],
    );
    if let Some(ids) = congress_ids {
        w.in_list("m.congress_id", ids);
    }
    if let Some(c) = congress_id {
        w.eq("m.congress_id", c);
    }
    if let Some(q) = q {
        let pat = format!("%{}%", db::sql::like_escape(q));
        w.raw(
            "(d.name LIKE {} ESCAPE '\\' OR m.constituency LIKE {} ESCAPE '\\')",
            vec![pat.clone().into(), pat.into()],
        );
    }
    let from = format!(
        "deputy_mandate m JOIN deputy d ON d.id = m.deputy_id JOIN congress c ON c.id = m.congress_id{}",
        w.sql()
    );
    let (total, capped) = db::sql::count_capped(conn, &from, &w.args).await?;
    let sql = format!(
        "{} ORDER BY m.congress_id, m.constituency, d.name, d.id{}",
        select(&w),
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

/// The seat of each of `ids` in office in these congresses, one per deputy.
pub async fn seats_of(
    conn: &mut Conn,
    congress_ids: Option<&[i64]>,
    ids: &[i64],
) -> Result<Vec<SeatRow>> {
    let mut w = Where::new();
    w.raw("m.status = 'in_office'", vec![]);
    w.in_list("d.id", ids);
    if let Some(c) = congress_ids {
        w.in_list("m.congress_id", c);
    }
    let sql = format!("{} ORDER BY d.id, m.congress_id", select(&w));
    let mut rows: Vec<SeatRow> = bind_all(sqlx::query_as(&sql), &w.args)
        .fetch_all(conn)
        .await?;
    rows.dedup_by_key(|r| r.deputy_id);
    Ok(rows)
}

/// Deputies in office matching a name or constituency, at most 20 (the picker).
pub async fn matching(
    conn: &mut Conn,
    congress_ids: Option<&[i64]>,
    q: &str,
) -> Result<Vec<SeatRow>> {
    let mut w = Where::new();
    w.raw("m.status = 'in_office'", vec![]);
    if let Some(c) = congress_ids {
        w.in_list("m.congress_id", c);
    }
    let pat = format!("%{}%", db::sql::like_escape(q));
    w.raw(
        "(d.name LIKE {} ESCAPE '\\' OR m.constituency LIKE {} ESCAPE '\\')",
        vec![pat.clone().into(), pat.into()],
    );
    let sql = format!("{} ORDER BY d.name, m.congress_id LIMIT 20", select(&w));
    bind_all(sqlx::query_as(&sql), &w.args)
        .fetch_all(conn)
        .await
}

/// Whether a username is taken.
pub async fn username_taken(conn: &mut Conn, username: &str) -> Result<bool> {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM app_user WHERE username = $1")
        .bind(username)
        .fetch_one(conn)
        .await
        .map(|n| n > 0)
}
