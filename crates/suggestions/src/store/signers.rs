//! Co-signing beyond the deputies' own answers: an invitation the lead
//! withdraws, a co-signature given on paper that staff record, and the
//! invitations still waiting, for staff.

use db::sql::bind_all;
use db::{Conn, Page, Paged, Result, Where};

/// Removes an invitation not yet answered; the number of rows removed.
pub async fn withdraw(conn: &mut Conn, suggestion_id: i64, deputy_id: i64) -> Result<u64> {
    sqlx::query(
        "DELETE FROM suggestion_signer WHERE suggestion_id = $1 AND deputy_id = $2 AND role = 'cosigner' AND status = 'invited'",
    )
    .bind(suggestion_id)
    .bind(deputy_id)
    .execute(conn)
    .await
    .map(|r| r.rows_affected())
}

/// Confirms an invitation on the deputy's behalf, recording who did.
pub async fn confirm_on_paper(
    conn: &mut Conn,
    suggestion_id: i64,
    deputy_id: i64,
    recorded_by: Option<i64>,
    now: i64,
) -> Result<u64> {
    sqlx::query(
        "UPDATE suggestion_signer SET status = 'confirmed', responded_at = $1, recorded_by = $2
         WHERE suggestion_id = $3 AND deputy_id = $4 AND status = 'invited'",
    )
    .bind(now)
    .bind(recorded_by)
    .bind(suggestion_id)
    .bind(deputy_id)
    .execute(conn)
    .await
    .map(|r| r.rows_affected())
}

/// An invitation waiting for its answer, as staff list them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PendingRow {
    pub suggestion_id: i64,
    pub congress_id: i64,
    pub title: String,
    pub kind: String,
    pub lead_name: String,
    pub deputy_id: i64,
    pub deputy_name: String,
    pub constituency: String,
    pub has_account: i64,
    pub invited_at: i64,
}

/// Invitations not yet answered in these congresses (`None`: all), newest
/// first, matching a deputy's name or the title.
pub async fn pending(
    conn: &mut Conn,
    congress_ids: Option<&[i64]>,
    q: Option<&str>,
    page: Page,
) -> Result<Paged<PendingRow>> {
    let mut w = Where::new();
    w.raw("g.status = 'invited'", vec![]);
    if let Some(ids) = congress_ids {
        w.in_list("s.congress_id", ids);
    }
    if let Some(q) = q {
        let pat = format!("%{}%", db::sql::like_escape(q));
        w.raw(
            "(d.name LIKE {} ESCAPE '\\' OR s.title LIKE {} ESCAPE '\\' OR ld.name LIKE {} ESCAPE '\\')",
            vec![pat.clone().into(), pat.clone().into(), pat.into()],
        );
    }
    let from = format!(
        "suggestion_signer g JOIN suggestion s ON s.id = g.suggestion_id
         JOIN deputy d ON d.id = g.deputy_id JOIN deputy ld ON ld.id = s.lead_deputy_id{}",
        w.sql()
    );
    let (total, capped) = db::sql::count_capped(conn, &from, &w.args).await?;
    let sql = format!(
        "SELECT g.suggestion_id, s.congress_id, s.title, s.kind, ld.name AS lead_name, g.deputy_id, d.name AS deputy_name,
                COALESCE((SELECT m.constituency FROM deputy_mandate m WHERE m.deputy_id = g.deputy_id AND m.congress_id = s.congress_id
                          ORDER BY m.id DESC LIMIT 1), '') AS constituency,
                CASE WHEN EXISTS (SELECT 1 FROM app_user u WHERE u.deputy_id = g.deputy_id) THEN 1 ELSE 0 END AS has_account,
                g.invited_at
         FROM {from} ORDER BY g.invited_at DESC, g.suggestion_id DESC, d.name{}",
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
