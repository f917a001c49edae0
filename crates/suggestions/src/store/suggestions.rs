//! Deputies' suggestions and motions, and the deputies on them.

use db::sql::bind_all;
use db::{Conn, Page, Paged, Result, Where};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SuggestionRow {
    pub id: i64,
    pub congress_id: i64,
    pub session_id: Option<i64>,
    pub number: Option<i64>,
    pub kind: String,
    pub was_motion: i64,
    pub conversion_reason: String,
    pub title: String,
    pub content: String,
    pub grounds: String,
    pub category: String,
    pub by_delegation: String,
    pub lead_deputy_id: i64,
    pub lead_name: String,
    pub state: String,
    pub review_note: String,
    pub merged_into: Option<i64>,
    pub key_supervision: i64,
    pub supervising_leader: String,
    pub leading_official: String,
    pub confidential: i64,
    pub publication: String,
    pub withheld_reason: String,
    pub published_at: Option<i64>,
    pub item_id: Option<i64>,
    /// The state of its tracked item, once assigned.
    pub item_state: Option<String>,
    pub submitted_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const SELECT: &str = "SELECT s.id, s.congress_id, s.session_id, s.number, s.kind, s.was_motion, s.conversion_reason, s.title, s.content,
    s.grounds, s.category, s.by_delegation, s.lead_deputy_id, d.name AS lead_name, s.state, s.review_note, s.merged_into,
    s.key_supervision, s.supervising_leader, s.leading_official, s.confidential, s.publication, s.withheld_reason,
    s.published_at, s.item_id, ti.state AS item_state, s.submitted_at, s.created_at, s.updated_at
    FROM suggestion s JOIN deputy d ON d.id = s.lead_deputy_id LEFT JOIN tracked_item ti ON ti.id = s.item_id";

pub struct NewSuggestion<'a> {
    pub congress_id: i64,
    pub session_id: Option<i64>,
    pub kind: &'a str,
    pub title: &'a str,
    pub content: &'a str,
    pub grounds: &'a str,
    pub category: &'a str,
    pub by_delegation: &'a str,
    pub lead_deputy_id: i64,
}

pub async fn insert(conn: &mut Conn, s: &NewSuggestion<'_>, now: i64) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO suggestion (congress_id, session_id, kind, title, content, grounds, category, by_delegation, lead_deputy_id, state, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'draft', $10, $10) RETURNING id",
    )
    .bind(s.congress_id)
    .bind(s.session_id)
    .bind(s.kind)
    .bind(s.title)
    .bind(s.content)
    .bind(s.grounds)
    .bind(s.category)
    .bind(s.by_delegation)
    .bind(s.lead_deputy_id)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// Edits the text of a draft or returned suggestion.
pub async fn update_text(conn: &mut Conn, id: i64, s: &NewSuggestion<'_>, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE suggestion SET session_id = $1, kind = $2, title = $3, content = $4, grounds = $5, category = $6, by_delegation = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(s.session_id)
    .bind(s.kind)
    .bind(s.title)
    .bind(s.content)
    .bind(s.grounds)
    .bind(s.category)
    .bind(s.by_delegation)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<SuggestionRow>> {
    sqlx::query_as(&format!("{SELECT} WHERE s.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn by_item(conn: &mut Conn, item_id: i64) -> Result<Option<SuggestionRow>> {
    sqlx::query_as(&format!("{SELECT} WHERE s.item_id = $1"))
        .bind(item_id)
        .fetch_optional(conn)
        .await
}

pub async fn set_state(conn: &mut Conn, id: i64, state: &str, note: &str, now: i64) -> Result<()> {
    sqlx::query("UPDATE suggestion SET state = $1, review_note = $2, updated_at = $3 WHERE id = $4")
        .bind(state)
        .bind(note)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Submission: the state, the time, and the number within its session (or
/// between sessions, within the congress and year), taken in the writing
/// transaction so two submissions never share a number.
/// Marks a suggestion submitted and gives it the next number of its series
/// (the congress's session, or its between-sessions series) unless it already
/// has one (a suggestion returned for revision keeps its number). One
/// statement; the two forms of the series condition let both databases answer
/// the `MAX` from suggestion_number_idx rather than scan the congress's
/// suggestions, as an `OR … IS NULL` form would.
pub async fn submit(
    conn: &mut Conn,
    id: i64,
    congress_id: i64,
    session_id: Option<i64>,
    now: i64,
) -> Result<i64> {
    let mut w = Where::new();
    let (id, now, congress) = (w.arg(id), w.arg(now), w.arg(congress_id));
    let series = match session_id {
        Some(session) => format!("session_id = {}", w.arg(session)),
        None => "session_id IS NULL".to_string(),
    };
    let sql = format!(
        "UPDATE suggestion SET state = 'submitted', submitted_at = {now}, updated_at = {now},
             number = COALESCE(number, (SELECT COALESCE(MAX(number), 0) + 1 FROM suggestion
                 WHERE congress_id = {congress} AND {series} AND number IS NOT NULL))
         WHERE id = {id} RETURNING number"
    );
    db::sql::bind_all_scalar(sqlx::query_scalar(&sql), &w.args)
        .fetch_one(conn)
        .await
}

pub async fn convert_to_suggestion(conn: &mut Conn, id: i64, reason: &str, now: i64) -> Result<()> {
    sqlx::query("UPDATE suggestion SET kind = 'suggestion', was_motion = 1, conversion_reason = $1, updated_at = $2 WHERE id = $3")
        .bind(reason)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn set_category(conn: &mut Conn, id: i64, category: &str, now: i64) -> Result<()> {
    sqlx::query("UPDATE suggestion SET category = $1, updated_at = $2 WHERE id = $3")
        .bind(category)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn set_merged(conn: &mut Conn, id: i64, into: i64, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE suggestion SET state = 'merged', merged_into = $1, updated_at = $2 WHERE id = $3",
    )
    .bind(into)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn set_supervision(
    conn: &mut Conn,
    id: i64,
    on: bool,
    leader: &str,
    official: &str,
    now: i64,
) -> Result<()> {
    sqlx::query("UPDATE suggestion SET key_supervision = $1, supervising_leader = $2, leading_official = $3, updated_at = $4 WHERE id = $5")
        .bind(i64::from(on))
        .bind(leader)
        .bind(official)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn set_item(conn: &mut Conn, id: i64, item_id: i64, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE suggestion SET state = 'assigned', item_id = $1, updated_at = $2 WHERE id = $3",
    )
    .bind(item_id)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn set_publication(
    conn: &mut Conn,
    id: i64,
    publication: &str,
    reason: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE suggestion SET publication = $1, withheld_reason = $2, published_at = CASE WHEN $1 = 'published' THEN $3 ELSE NULL END, updated_at = $3 WHERE id = $4",
    )
    .bind(publication)
    .bind(reason)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn set_confidential(conn: &mut Conn, id: i64, on: bool, now: i64) -> Result<()> {
    sqlx::query("UPDATE suggestion SET confidential = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(on))
        .bind(now)
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}

#[derive(Debug, Default, Clone)]
pub struct SuggestionFilter {
    pub congress_ids: Option<Vec<i64>>,
    /// Suggestions this deputy leads, co-signs or originated.
    pub deputy_id: Option<i64>,
    /// With `deputy_id`: only those the deputy leads.
    pub led_only: bool,
    pub states: Option<Vec<String>>,
    /// Assigned suggestions whose item is in this state (办理中, 已办结…).
    pub item_state: Option<String>,
    pub session_id: Option<i64>,
    pub kind: Option<String>,
    pub category: Option<String>,
    pub q: Option<String>,
    pub key_only: bool,
    pub published_only: bool,
    /// Assigned to this unit (published-replies search).
    pub unit_id: Option<i64>,
    /// Leave out drafts (staff lists: a draft is its deputies' own).
    pub not_draft: bool,
    /// Part of the lead deputy's name.
    pub lead_name: Option<String>,
    /// Submitted at or after / before (UTC milliseconds).
    pub submitted_from_ms: Option<i64>,
    pub submitted_before_ms: Option<i64>,
    pub sort: Sort,
}

/// The orders a list offers (a whitelist: the query names one, never a column).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Newest,
    NumberAsc,
    NumberDesc,
    SubmittedAsc,
    SubmittedDesc,
}

impl Sort {
    pub fn parse(v: &str) -> Sort {
        match v.trim() {
            "number" => Sort::NumberAsc,
            "-number" => Sort::NumberDesc,
            "submitted" => Sort::SubmittedAsc,
            "-submitted" => Sort::SubmittedDesc,
            _ => Sort::Newest,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Sort::Newest => "",
            Sort::NumberAsc => "number",
            Sort::NumberDesc => "-number",
            Sort::SubmittedAsc => "submitted",
            Sort::SubmittedDesc => "-submitted",
        }
    }

    /// The ORDER BY clause; rows without a number or a submission (drafts)
    /// come last either way, on both databases.
    fn sql(self) -> &'static str {
        match self {
            Sort::Newest => "s.id DESC",
            Sort::NumberAsc => "s.number IS NULL, s.number ASC, s.id DESC",
            Sort::NumberDesc => "s.number IS NULL, s.number DESC, s.id DESC",
            Sort::SubmittedAsc => "s.submitted_at IS NULL, s.submitted_at ASC, s.id DESC",
            Sort::SubmittedDesc => "s.submitted_at IS NULL, s.submitted_at DESC, s.id DESC",
        }
    }
}

pub async fn list(
    conn: &mut Conn,
    f: &SuggestionFilter,
    page: Page,
) -> Result<Paged<SuggestionRow>> {
    let mut w = Where::new();
    if let Some(ids) = &f.congress_ids {
        w.in_list("s.congress_id", ids);
    }
    if let Some(d) = f.deputy_id.filter(|_| f.led_only) {
        w.eq("s.lead_deputy_id", d);
    } else if let Some(d) = f.deputy_id {
        w.raw("(s.lead_deputy_id = {} OR s.id IN (SELECT suggestion_id FROM suggestion_signer WHERE deputy_id = {} AND status <> 'declined'))", vec![d.into(), d.into()]);
    }
    if let Some(states) = &f.states {
        let marks: Vec<String> = states.iter().map(|s| w.arg(s.clone())).collect();
        w.raw(&format!("s.state IN ({})", marks.join(", ")), vec![]);
    }
    if let Some(is) = &f.item_state {
        w.raw(
            "s.state = 'assigned' AND s.item_id IN (SELECT id FROM tracked_item WHERE state = {})",
            vec![is.clone().into()],
        );
    }
    if let Some(sid) = f.session_id {
        w.eq("s.session_id", sid);
    }
    if let Some(k) = &f.kind {
        w.eq("s.kind", k.as_str());
    }
    if let Some(c) = &f.category {
        w.eq("s.category", c.as_str());
    }
    if let Some(q) = &f.q {
        let pat = format!("%{}%", db::sql::like_escape(q));
        w.raw(
            "(s.title LIKE {} ESCAPE '\\' OR s.content LIKE {} ESCAPE '\\')",
            vec![pat.clone().into(), pat.into()],
        );
    }
    if f.key_only {
        w.raw("s.key_supervision = 1", vec![]);
    }
    if f.not_draft {
        w.raw("s.state <> 'draft'", vec![]);
    }
    if let Some(n) = &f.lead_name {
        let pat = format!("%{}%", db::sql::like_escape(n));
        w.raw(
            "s.lead_deputy_id IN (SELECT id FROM deputy WHERE name LIKE {} ESCAPE '\\')",
            vec![pat.into()],
        );
    }
    if let Some(from) = f.submitted_from_ms {
        w.raw("s.submitted_at >= {}", vec![from.into()]);
    }
    if let Some(before) = f.submitted_before_ms {
        w.raw("s.submitted_at < {}", vec![before.into()]);
    }
    if f.published_only {
        w.raw("s.publication = 'published' AND s.confidential = 0", vec![]);
    }
    if let Some(u) = f.unit_id {
        w.raw("s.item_id IN (SELECT item_id FROM assignment WHERE unit_id = {} AND state <> 'returned')", vec![u.into()]);
    }
    let from = format!("suggestion s{}", w.sql());
    let (total, capped) = db::sql::count_capped(conn, &from, &w.args).await?;
    // A unit's or a deputy's list: ids first, from indexes alone, then only
    // the page's rows in full (a unit's list at 25,000 items: 52 → 13 ms). A
    // congress-wide list instead walks the table newest first and stops at
    // the page; given the ids-first form, SQLite would sort a covering index
    // of the whole congress (2 → 120 ms at a million).
    let order = f.sort.sql();
    let sql = if f.unit_id.is_some() || f.deputy_id.is_some() {
        format!(
            "{SELECT} WHERE s.id IN (SELECT s.id FROM suggestion s{} ORDER BY {order}{}) ORDER BY {order}",
            w.sql(),
            page.sql()
        )
    } else {
        format!("{SELECT}{} ORDER BY {order}{}", w.sql(), page.sql())
    };
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

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SignerRow {
    pub suggestion_id: i64,
    pub deputy_id: i64,
    pub name: String,
    pub role: String,
    pub status: String,
    pub invited_at: i64,
    pub responded_at: Option<i64>,
    /// The staff member who recorded a co-signature given on paper.
    pub recorded_by: Option<i64>,
}

pub async fn add_signer(
    conn: &mut Conn,
    suggestion_id: i64,
    deputy_id: i64,
    role: &str,
    status: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO suggestion_signer (suggestion_id, deputy_id, role, status, invited_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (suggestion_id, deputy_id) DO NOTHING",
    )
    .bind(suggestion_id)
    .bind(deputy_id)
    .bind(role)
    .bind(status)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn remove_signer(conn: &mut Conn, suggestion_id: i64, deputy_id: i64) -> Result<u64> {
    sqlx::query("DELETE FROM suggestion_signer WHERE suggestion_id = $1 AND deputy_id = $2 AND role = 'cosigner'")
        .bind(suggestion_id)
        .bind(deputy_id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
}

pub async fn respond(
    conn: &mut Conn,
    suggestion_id: i64,
    deputy_id: i64,
    status: &str,
    now: i64,
) -> Result<u64> {
    sqlx::query(
        "UPDATE suggestion_signer SET status = $1, responded_at = $2 WHERE suggestion_id = $3 AND deputy_id = $4 AND status = 'invited'",
    )
    .bind(status)
    .bind(now)
    .bind(suggestion_id)
    .bind(deputy_id)
    .execute(conn)
    .await
    .map(|r| r.rows_affected())
}

pub async fn signers(conn: &mut Conn, suggestion_id: i64) -> Result<Vec<SignerRow>> {
    sqlx::query_as(
        "SELECT g.suggestion_id, g.deputy_id, d.name, g.role, g.status, g.invited_at, g.responded_at, g.recorded_by
         FROM suggestion_signer g JOIN deputy d ON d.id = g.deputy_id WHERE g.suggestion_id = $1
         ORDER BY CASE g.role WHEN 'lead' THEN 0 WHEN 'origin' THEN 1 ELSE 2 END, g.invited_at, d.name",
    )
    .bind(suggestion_id)
    .fetch_all(conn)
    .await
}

/// Invitations waiting for a deputy's answer.
pub async fn invitations(conn: &mut Conn, deputy_id: i64) -> Result<Vec<SuggestionRow>> {
    sqlx::query_as(&format!(
        "{SELECT} WHERE s.id IN (SELECT suggestion_id FROM suggestion_signer WHERE deputy_id = $1 AND status = 'invited') ORDER BY s.id DESC LIMIT 100"
    ))
    .bind(deputy_id)
    .fetch_all(conn)
    .await
}

/// Units and sessions that have published, non-confidential replies, for the public search.
pub async fn public_menus(conn: &mut Conn) -> Result<(Vec<(i64, String)>, Vec<(i64, String)>)> {
    let units: Vec<(i64, String)> = sqlx::query_as(
        "SELECT DISTINCT u.id, u.name FROM suggestion s JOIN assignment a ON a.item_id = s.item_id JOIN unit u ON u.id = a.unit_id
         WHERE s.publication = 'published' AND s.confidential = 0 AND a.state <> 'returned' ORDER BY u.name",
    )
    .fetch_all(&mut *conn)
    .await?;
    let sessions: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT DISTINCT cs.id, t.number, cs.number FROM suggestion s JOIN congress_session cs ON cs.id = s.session_id JOIN term t ON t.id = cs.term_id
         WHERE s.publication = 'published' AND s.confidential = 0 ORDER BY t.number DESC, cs.number DESC",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok((
        units,
        sessions
            .into_iter()
            .map(|(id, t, n)| (id, format!("第{t}届第{n}次会议")))
            .collect(),
    ))
}

/// Which of these suggestions are key-supervised (one query for a page of them).
pub async fn key_supervised_among(conn: &mut Conn, ids: &[i64]) -> Result<Vec<i64>> {
    let mut w = Where::new();
    w.in_list("id", ids);
    w.raw("key_supervision = 1", vec![]);
    let sql = format!("SELECT id FROM suggestion{}", w.sql());
    db::sql::bind_all_scalar(sqlx::query_scalar(&sql), &w.args)
        .fetch_all(conn)
        .await
}

/// A suggestion as a picker lists it: its number and session, its title and
/// its lead deputy.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PickRow {
    pub id: i64,
    pub session_id: Option<i64>,
    pub number: Option<i64>,
    pub title: String,
    pub lead_name: String,
    pub term_number: Option<i64>,
    pub session_number: Option<i64>,
}

/// What a merge can join: suggestions of the congress waiting for review or
/// assignment, other than `except`, found by number (in any session) or by
/// words of the title; those of `session_id`'s series first, at most 20.
pub async fn merge_candidates(
    conn: &mut Conn,
    congress_id: i64,
    except: i64,
    session_id: Option<i64>,
    number: Option<i64>,
    text: Option<&str>,
) -> Result<Vec<PickRow>> {
    let mut w = Where::new();
    let c = w.arg(congress_id);
    let e = w.arg(except);
    let mut sql = format!(
        "SELECT s.id, s.session_id, s.number, s.title, d.name AS lead_name, t.number AS term_number, cs.number AS session_number
         FROM suggestion s JOIN deputy d ON d.id = s.lead_deputy_id
         LEFT JOIN congress_session cs ON cs.id = s.session_id LEFT JOIN term t ON t.id = cs.term_id
         WHERE s.congress_id = {c} AND s.id <> {e} AND s.state IN ('submitted', 'accepted')"
    );
    if let Some(n) = number {
        sql.push_str(&format!(" AND s.number = {}", w.arg(n)));
    }
    if let Some(t) = text.filter(|t| !t.is_empty()) {
        sql.push_str(&format!(
            " AND s.title LIKE {} ESCAPE '\\'",
            w.arg(format!("%{}%", db::sql::like_escape(t)))
        ));
    }
    let same = match session_id {
        Some(sid) => format!("CASE WHEN s.session_id = {} THEN 0 ELSE 1 END", w.arg(sid)),
        None => "CASE WHEN s.session_id IS NULL THEN 0 ELSE 1 END".to_string(),
    };
    sql.push_str(&format!(
        " ORDER BY {same}, s.number DESC, s.id DESC LIMIT 20"
    ));
    bind_all(sqlx::query_as(&sql), &w.args)
        .fetch_all(conn)
        .await
}

/// Deputies in office in the congress whom the lead may invite (not the lead,
/// not already on the suggestion), by name or constituency; at most 20.
pub async fn cosigner_candidates(
    conn: &mut Conn,
    congress_id: i64,
    suggestion_id: i64,
    lead_deputy_id: i64,
    text: &str,
) -> Result<Vec<(i64, String, String)>> {
    let mut w = Where::new();
    let c = w.arg(congress_id);
    let l = w.arg(lead_deputy_id);
    let s = w.arg(suggestion_id);
    let like = w.arg(format!("%{}%", db::sql::like_escape(text)));
    let sql = format!(
        "SELECT d.id, d.name, m.constituency FROM deputy_mandate m JOIN deputy d ON d.id = m.deputy_id
         WHERE m.congress_id = {c} AND m.status = 'in_office' AND d.id <> {l}
           AND NOT EXISTS (SELECT 1 FROM suggestion_signer g WHERE g.suggestion_id = {s} AND g.deputy_id = d.id)
           AND (d.name LIKE {like} ESCAPE '\\' OR m.constituency LIKE {like} ESCAPE '\\')
         ORDER BY d.name LIMIT 20"
    );
    bind_all(sqlx::query_as(&sql), &w.args)
        .fetch_all(conn)
        .await
}

/// Number and title of these suggestions (one page of the operation log).
pub async fn names(conn: &mut Conn, ids: &[i64]) -> Result<Vec<(i64, Option<i64>, String)>> {
    let mut w = Where::new();
    w.in_list("id", ids);
    let sql = format!("SELECT id, number, title FROM suggestion{}", w.sql());
    bind_all(sqlx::query_as(&sql), &w.args)
        .fetch_all(conn)
        .await
}

/// The suggestion and unit of these assignments (one page of the operation log).
pub async fn assignment_names(
    conn: &mut Conn,
    ids: &[i64],
) -> Result<Vec<(i64, i64, Option<i64>, String, String)>> {
    let mut w = Where::new();
    w.in_list("a.id", ids);
    let sql = format!(
        "SELECT a.id, s.id, s.number, s.title, u.name FROM assignment a
         JOIN suggestion s ON s.item_id = a.item_id JOIN unit u ON u.id = a.unit_id{}",
        w.sql()
    );
    bind_all(sqlx::query_as(&sql), &w.args)
        .fetch_all(conn)
        .await
}
