//! The points: every occurrence that counts — verified activities and the
//! facts other capabilities hand over — summed per item with its cap, in SQL,
//! for every deputy of a congress in a year; and one deputy's occurrences for
//! the page that explains their total.

use app::handoff::DutyFactSources;
use db::sql::{Page, Paged};
use db::{Backend, Conn, Result};

/// Every occurrence of a congress in a period (`$1` congress, `$2`..`$3`
/// dates), optionally of one deputy (`$4`), with the columns
/// `deputy_id, type_code, fact_date, title, link, activity_id`.
pub fn occurrences_sql(sources: &DutyFactSources, backend: Backend, one_deputy: bool) -> String {
    let mine = if one_deputy {
        " AND a.deputy_id = $4"
    } else {
        ""
    };
    let theirs = if one_deputy {
        " AND f.deputy_id = $4"
    } else {
        ""
    };
    let mut parts = vec![format!(
        "SELECT a.deputy_id, a.type_code, a.activity_date AS fact_date, a.summary AS title,
                '' AS link, a.id AS activity_id
         FROM duty_activity a
         WHERE a.congress_id = $1 AND a.state = 'verified' AND a.activity_date >= $2 AND a.activity_date <= $3{mine}"
    )];
    for s in &sources.0 {
        parts.push(format!(
            "SELECT f.deputy_id, f.type_code, f.fact_date, f.title, f.link, CAST(NULL AS BIGINT) AS activity_id
             FROM ({}) f
             WHERE f.congress_id = $1 AND f.fact_date >= $2 AND f.fact_date <= $3{theirs}",
            s.sql(backend)
        ));
    }
    parts.join(" UNION ALL ")
}

/// Computes the scheme's totals and ranks for every deputy who held a
/// mandate of the congress in the year (those with nothing count 0), in one
/// statement: per deputy and item, occurrences × points bounded by the cap
/// (the same arithmetic as [`crate::rules::item_points`]), plus the
/// qualitative grades. Returns how many deputies were ranked.
pub async fn recompute(
    conn: &mut Conn,
    sources: &DutyFactSources,
    backend: Backend,
    scheme_id: i64,
    congress_id: i64,
    year: i64,
    now: i64,
) -> Result<u64> {
    let (from, to) = (format!("{year:04}-01-01"), format!("{year:04}-12-31"));
    sqlx::query("DELETE FROM score_total WHERE scheme_id = $1")
        .bind(scheme_id)
        .execute(&mut *conn)
        .await?;
    let occ = occurrences_sql(sources, backend, false);
    let sql = format!(
        "INSERT INTO score_total (scheme_id, deputy_id, points, ranking)
         SELECT $5, d.deputy_id, d.points, RANK() OVER (ORDER BY d.points DESC)
         FROM (
           SELECT m.deputy_id, COALESCE(c.points, 0) + COALESCE(g.points, 0) AS points
           FROM (SELECT DISTINCT dm.deputy_id FROM deputy_mandate dm JOIN term t ON t.id = dm.term_id
                 WHERE dm.congress_id = $1 AND t.start_date <= $3 AND t.end_date >= $2
                   AND (dm.terminated_on IS NULL OR dm.terminated_on >= $2)) m
           LEFT JOIN (
             SELECT x.deputy_id, SUM(x.pts) AS points FROM (
               SELECT o.deputy_id,
                 CASE WHEN i.cap IS NOT NULL AND COUNT(*) * i.points > i.cap THEN i.cap
                      WHEN i.cap IS NOT NULL AND COUNT(*) * i.points < -i.cap THEN -i.cap
                      ELSE COUNT(*) * i.points END AS pts
               FROM ({occ}) o
               JOIN score_item_type it ON it.scheme_id = $5 AND it.type_code = o.type_code
               JOIN score_item i ON i.id = it.item_id
               GROUP BY o.deputy_id, i.id, i.points, i.cap
             ) x GROUP BY x.deputy_id
           ) c ON c.deputy_id = m.deputy_id
           LEFT JOIN (
             SELECT gr.deputy_id, SUM(gr.points) AS points FROM score_grade gr
             JOIN score_item gi ON gi.id = gr.item_id WHERE gi.scheme_id = $5 GROUP BY gr.deputy_id
           ) g ON g.deputy_id = m.deputy_id
         ) d"
    );
    // $4 is the one-deputy filter, unused here; bound so the numbering holds.
    let n = sqlx::query(&sql)
        .bind(congress_id)
        .bind(&from)
        .bind(&to)
        .bind(0_i64)
        .bind(scheme_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    sqlx::query("UPDATE score_scheme SET computed_at = $1 WHERE id = $2")
        .bind(now)
        .bind(scheme_id)
        .execute(conn)
        .await?;
    Ok(n)
}

/// One occurrence as the explanation lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Occurrence {
    pub type_code: String,
    pub fact_date: String,
    pub title: String,
    pub link: String,
    pub activity_id: Option<i64>,
}

/// A deputy's occurrences in a congress's year, by date (bounded: a deputy's
/// year holds a few hundred at most).
pub async fn occurrences_of(
    conn: &mut Conn,
    sources: &DutyFactSources,
    backend: Backend,
    congress_id: i64,
    deputy_id: i64,
    from: &str,
    to: &str,
) -> Result<Vec<Occurrence>> {
    let sql = format!(
        "SELECT o.type_code, o.fact_date, o.title, o.link, o.activity_id FROM ({}) o
         ORDER BY o.fact_date, o.type_code LIMIT 5000",
        occurrences_sql(sources, backend, true)
    );
    sqlx::query_as(&sql)
        .bind(congress_id)
        .bind(from)
        .bind(to)
        .bind(deputy_id)
        .fetch_all(conn)
        .await
}

/// A deputy's computed total and rank, when the scheme's totals were computed.
pub async fn total_of(
    conn: &mut Conn,
    scheme_id: i64,
    deputy_id: i64,
) -> Result<Option<(i64, i64)>> {
    sqlx::query_as(
        "SELECT points, ranking FROM score_total WHERE scheme_id = $1 AND deputy_id = $2",
    )
    .bind(scheme_id)
    .bind(deputy_id)
    .fetch_optional(conn)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RankRow {
    pub deputy_id: i64,
    pub name: String,
    pub delegation: String,
    pub professional_group: String,
    pub points: i64,
    pub ranking: i64,
}

/// A page of the ranking, optionally within a delegation or professional
/// group (ranks stay the congress's; the group's order is theirs).
pub async fn ranking(
    conn: &mut Conn,
    scheme_id: i64,
    congress_id: i64,
    delegation: &str,
    group: &str,
    page: Page,
) -> Result<Paged<RankRow>> {
    let mut w = db::sql::Where::new();
    w.eq("st.scheme_id", scheme_id);
    if !delegation.is_empty() {
        w.eq("dm.delegation", delegation.to_string());
    }
    if !group.is_empty() {
        w.eq("dm.professional_group", group.to_string());
    }
    let c = w.arg(congress_id);
    let from_where = format!(
        "score_total st JOIN deputy d ON d.id = st.deputy_id
         JOIN deputy_mandate dm ON dm.deputy_id = st.deputy_id AND dm.congress_id = {c}
           AND dm.id = (SELECT MAX(m2.id) FROM deputy_mandate m2 WHERE m2.deputy_id = st.deputy_id AND m2.congress_id = {c}){}",
        w.sql()
    );
    let (total, capped) = db::sql::count_capped(conn, &from_where, &w.args).await?;
    let sql = format!(
        "SELECT st.deputy_id, d.name, dm.delegation, dm.professional_group, st.points, st.ranking
         FROM {from_where} ORDER BY st.ranking, d.name, st.deputy_id{}",
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
