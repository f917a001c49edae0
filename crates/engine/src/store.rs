//! The tracked-item engine's tables: items, assignments, the handling record,
//! contacts, opinions, replies and their sign-offs, commitments, evaluations
//! and extensions. States are stored as the rules computed them.

use db::sql::bind_all;
use db::{Conn, Page, Paged, Result, Where};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ItemRow {
    pub id: i64,
    /// The subject's kind (its capability's code for it).
    pub kind: String,
    /// The subject's id in its own capability.
    pub subject_id: Option<i64>,
    pub congress_id: i64,
    pub title: String,
    /// Where the subject's page is.
    pub link: String,
    /// Who proposed it ("deputy", "voter", …) and their id there.
    pub proposer_kind: String,
    pub proposer_id: Option<i64>,
    pub state: String,
    pub round: i64,
    /// `normal`, or `complex` for the kind's longer reply deadline.
    pub deadline_variant: String,
    pub assigned_on: String,
    pub assigned_by: Option<i64>,
    pub replied_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const ITEM_COLS: &str = "id, kind, subject_id, congress_id, title, link, proposer_kind, proposer_id, state, round, deadline_variant, assigned_on, assigned_by, replied_at, closed_at, created_at, updated_at";

pub struct NewItem<'a> {
    pub kind: &'a str,
    pub subject_id: i64,
    pub congress_id: i64,
    pub title: &'a str,
    pub link: &'a str,
    pub proposer_kind: &'a str,
    pub proposer_id: Option<i64>,
    pub state: &'a str,
    pub deadline_variant: &'a str,
    pub assigned_on: &'a str,
    pub assigned_by: Option<i64>,
}

pub async fn insert_item(conn: &mut Conn, i: &NewItem<'_>, now: i64) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO tracked_item (kind, subject_id, congress_id, title, link, proposer_kind, proposer_id, state, round, deadline_variant, assigned_on, assigned_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $11, $12, $12) RETURNING id",
    )
    .bind(i.kind)
    .bind(i.subject_id)
    .bind(i.congress_id)
    .bind(i.title)
    .bind(i.link)
    .bind(i.proposer_kind)
    .bind(i.proposer_id)
    .bind(i.state)
    .bind(i.deadline_variant)
    .bind(i.assigned_on)
    .bind(i.assigned_by)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// The item of a subject, if it has been assigned.
pub async fn by_subject(conn: &mut Conn, kind: &str, subject_id: i64) -> Result<Option<ItemRow>> {
    sqlx::query_as(&format!(
        "SELECT {ITEM_COLS} FROM tracked_item WHERE kind = $1 AND subject_id = $2"
    ))
    .bind(kind)
    .bind(subject_id)
    .fetch_optional(conn)
    .await
}

pub async fn get_item(conn: &mut Conn, id: i64) -> Result<Option<ItemRow>> {
    sqlx::query_as(&format!(
        "SELECT {ITEM_COLS} FROM tracked_item WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Saves the item's state; `replied_at` / `closed_at` are set when the state is entered.
pub async fn set_item_state(
    conn: &mut Conn,
    id: i64,
    state: &str,
    round: i64,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE tracked_item SET state = $1, round = $2, updated_at = $3,
         replied_at = CASE WHEN $1 = 'replied' THEN $3 ELSE replied_at END,
         closed_at = CASE WHEN $1 = 'closed' THEN $3 ELSE closed_at END
         WHERE id = $4",
    )
    .bind(state)
    .bind(round)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await
    .map(|_| ())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AssignmentRow {
    pub id: i64,
    pub item_id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub role: String,
    pub state: String,
    pub assigned_on: String,
    pub due_date: String,
    pub deadline_rule: String,
    pub return_by: String,
    pub returned_reason: Option<String>,
    pub reminded: String,
    pub overdue_notified_at: Option<i64>,
    /// The government leader in charge of the unit, if it has one.
    pub unit_leader_id: Option<i64>,
    /// A deadline counted a year whose arrangement is not published (暂定).
    pub provisional: i64,
    /// How the reply (or opinion) deadline and the return window were
    /// computed ([`crate::rules::Basis`]); empty before issue 11.
    pub due_basis: String,
    pub return_basis: String,
    /// Why staff let the lead unit reply before the assisting opinions.
    pub opinions_waived: Option<String>,
}

const ASSIGNMENT_SELECT: &str = "SELECT a.id, a.item_id, a.unit_id, u.name AS unit_name, a.role, a.state, a.assigned_on, a.due_date,
    a.deadline_rule, a.return_by, a.returned_reason, a.reminded, a.overdue_notified_at, u.leader_user_id AS unit_leader_id,
    a.provisional, a.due_basis, a.return_basis, a.opinions_waived
    FROM assignment a JOIN unit u ON u.id = a.unit_id";

pub struct NewAssignment<'a> {
    pub item_id: i64,
    pub unit_id: i64,
    pub role: &'a str,
    pub state: &'a str,
    pub assigned_on: &'a str,
    pub due_date: &'a str,
    pub deadline_rule: &'a str,
    pub return_by: &'a str,
    pub provisional: bool,
    pub due_basis: &'a str,
    pub return_basis: &'a str,
}

pub async fn insert_assignment(conn: &mut Conn, a: &NewAssignment<'_>, now: i64) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO assignment (item_id, unit_id, role, state, assigned_on, due_date, deadline_rule, return_by, provisional, due_basis, return_basis, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
    )
    .bind(a.item_id)
    .bind(a.unit_id)
    .bind(a.role)
    .bind(a.state)
    .bind(a.assigned_on)
    .bind(a.due_date)
    .bind(a.deadline_rule)
    .bind(a.return_by)
    .bind(i64::from(a.provisional))
    .bind(a.due_basis)
    .bind(a.return_basis)
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn assignments(conn: &mut Conn, item_id: i64) -> Result<Vec<AssignmentRow>> {
    sqlx::query_as(&format!(
        "{ASSIGNMENT_SELECT} WHERE a.item_id = $1 ORDER BY a.id"
    ))
    .bind(item_id)
    .fetch_all(conn)
    .await
}

/// The assignments of several items (one page of a list or an export).
pub async fn assignments_of_items(conn: &mut Conn, item_ids: &[i64]) -> Result<Vec<AssignmentRow>> {
    let mut w = Where::new();
    w.in_list("a.item_id", item_ids);
    let sql = format!("{ASSIGNMENT_SELECT}{} ORDER BY a.item_id, a.id", w.sql());
    bind_all(sqlx::query_as(&sql), &w.args)
        .fetch_all(conn)
        .await
}

pub async fn get_assignment(conn: &mut Conn, id: i64) -> Result<Option<AssignmentRow>> {
    sqlx::query_as(&format!("{ASSIGNMENT_SELECT} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn set_assignment_state(conn: &mut Conn, id: i64, state: &str, now: i64) -> Result<()> {
    sqlx::query("UPDATE assignment SET state = $1, updated_at = $2 WHERE id = $3")
        .bind(state)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn set_returned(conn: &mut Conn, id: i64, reason: &str, now: i64) -> Result<()> {
    sqlx::query("UPDATE assignment SET state = 'returned', returned_reason = $1, updated_at = $2 WHERE id = $3")
        .bind(reason)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn set_opinions_waived(conn: &mut Conn, id: i64, reason: &str, now: i64) -> Result<()> {
    sqlx::query("UPDATE assignment SET opinions_waived = $1, updated_at = $2 WHERE id = $3")
        .bind(reason)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// A new deadline (re-handling round or approved extension); reminders start over.
pub async fn set_deadline(conn: &mut Conn, id: i64, d: &NewDeadline<'_>, now: i64) -> Result<()> {
    sqlx::query("UPDATE assignment SET due_date = $1, deadline_rule = $2, due_basis = $3, provisional = $4, reminded = '', overdue_notified_at = NULL, updated_at = $5 WHERE id = $6")
        .bind(d.due)
        .bind(d.rule)
        .bind(d.basis)
        .bind(i64::from(d.provisional))
        .bind(now)
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}

pub struct NewDeadline<'a> {
    pub due: &'a str,
    pub rule: &'a str,
    pub basis: &'a str,
    pub provisional: bool,
}

/// Open assignments whose deadlines a change of the calendar from `from`
/// (`YYYY-01-01`) on may move: those that counted a provisional year, and
/// those due (or to be returned) from then on.
pub async fn recomputable(conn: &mut Conn, from: &str) -> Result<Vec<AssignmentRow>> {
    sqlx::query_as(&format!(
        "{ASSIGNMENT_SELECT} WHERE a.state IN {OPEN_STATES}
         AND (a.provisional = 1 OR a.due_date >= $1 OR a.return_by >= $1) ORDER BY a.id"
    ))
    .bind(from)
    .fetch_all(conn)
    .await
}

/// Deadlines computed again (a year's arrangement entered); reminders start
/// over only where the due date moved.
pub async fn set_recomputed(
    conn: &mut Conn,
    id: i64,
    due: &str,
    rule: &str,
    return_by: &str,
    provisional: bool,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE assignment SET
           reminded = CASE WHEN due_date = $1 THEN reminded ELSE '' END,
           overdue_notified_at = CASE WHEN due_date = $1 THEN overdue_notified_at ELSE NULL END,
           due_date = $1, deadline_rule = $2, return_by = $3, provisional = $4, updated_at = $5
         WHERE id = $6",
    )
    .bind(due)
    .bind(rule)
    .bind(return_by)
    .bind(i64::from(provisional))
    .bind(now)
    .bind(id)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Records the reminders sent, only if nobody recorded one meanwhile (so two
/// instances running the job never send the same reminder twice).
pub async fn set_reminded(conn: &mut Conn, id: i64, was: &str, now: &str) -> Result<bool> {
    sqlx::query("UPDATE assignment SET reminded = $1 WHERE id = $2 AND reminded = $3")
        .bind(now)
        .bind(id)
        .bind(was)
        .execute(conn)
        .await
        .map(|r| r.rows_affected() == 1)
}

/// Marks an overdue assignment escalated, only if it still is open and was
/// not escalated meanwhile; false means there is nothing to send.
pub async fn set_overdue_notified(conn: &mut Conn, id: i64, now: i64) -> Result<bool> {
    sqlx::query(&format!(
        "UPDATE assignment SET overdue_notified_at = $1
         WHERE id = $2 AND overdue_notified_at IS NULL AND state IN {OPEN_STATES}"
    ))
    .bind(now)
    .bind(id)
    .execute(conn)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// [`AssignmentState::OPEN`](crate::rules::AssignmentState::OPEN) as SQL. The
/// partial indexes of migration 0003 repeat this list word for word, so the
/// planners can use them (both are checked by tests).
pub const OPEN_STATES: &str = "('handling', 'awaiting_head', 'awaiting_leader')";

/// Open assignments past their deadline (`due_date` before `today`) and not
/// yet escalated, in id order after a cursor. Walks the partial index of
/// unescalated open assignments, so escalated history costs nothing.
pub async fn overdue_unescalated(
    conn: &mut Conn,
    today: &str,
    after_id: i64,
    limit: i64,
) -> Result<Vec<AssignmentRow>> {
    sqlx::query_as(&format!(
        "{ASSIGNMENT_SELECT} WHERE a.overdue_notified_at IS NULL AND a.state IN {OPEN_STATES}
         AND a.due_date < $1 AND a.id > $2 ORDER BY a.id LIMIT {limit}"
    ))
    .bind(today)
    .bind(after_id)
    .fetch_all(conn)
    .await
}

/// Open assignments due from `from` on that may need a reminder, in
/// (due_date, id) order after `after`. `bands` pairs each lead time with the
/// first due date it does not reach yet; an assignment comes back when its due
/// date is before some band's bound and that lead is not in its `reminded`
/// list. This is a superset of what is due (the caller decides with
/// `crate::rules::reminder_due`), but it leaves the many assignments that
/// were already reminded in the database instead of reading them every hour.
pub async fn open_needing_reminder(
    conn: &mut Conn,
    from: &str,
    bands: &[(i64, String)],
    after: (&str, i64),
    limit: i64,
) -> Result<Vec<AssignmentRow>> {
    if bands.is_empty() {
        return Ok(Vec::new());
    }
    let mut w = Where::new();
    let (from, after_date, after_id) = (w.arg(from), w.arg(after.0), w.arg(after.1));
    // Leads are integers from settings; the text assembled here holds no user input.
    let mut due = Vec::with_capacity(bands.len());
    for (lead, bound) in bands {
        let bound = w.arg(bound.as_str());
        due.push(format!(
            "(a.due_date < {bound} AND (',' || a.reminded || ',') NOT LIKE '%,{lead},%')"
        ));
    }
    // The furthest bound closes the index range scan.
    let furthest = w.arg(
        bands
            .iter()
            .map(|(_, b)| b.as_str())
            .max()
            .unwrap_or_default(),
    );
    let sql = format!(
        "{ASSIGNMENT_SELECT} WHERE a.state IN {OPEN_STATES}
         AND a.due_date >= {from} AND a.due_date < {furthest}
         AND (a.due_date > {after_date} OR (a.due_date = {after_date} AND a.id > {after_id}))
         AND ({})
         ORDER BY a.due_date, a.id LIMIT {limit}",
        due.join(" OR ")
    );
    bind_all(sqlx::query_as(&sql), &w.args)
        .fetch_all(conn)
        .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub id: i64,
    pub item_id: i64,
    pub assignment_id: Option<i64>,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub note: String,
}

#[expect(clippy::too_many_arguments, reason = "one column each")]
pub async fn add_event(
    conn: &mut Conn,
    item_id: i64,
    assignment_id: Option<i64>,
    at: i64,
    actor_id: Option<i64>,
    actor_name: &str,
    action: &str,
    note: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO item_event (item_id, assignment_id, at, actor_id, actor_name, action, note) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(item_id)
    .bind(assignment_id)
    .bind(at)
    .bind(actor_id)
    .bind(actor_name)
    .bind(action)
    .bind(note)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn events(conn: &mut Conn, item_id: i64) -> Result<Vec<EventRow>> {
    sqlx::query_as("SELECT id, item_id, assignment_id, at, actor_id, actor_name, action, note FROM item_event WHERE item_id = $1 ORDER BY at, id")
        .bind(item_id)
        .fetch_all(conn)
        .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ContactRow {
    pub id: i64,
    pub item_id: i64,
    pub assignment_id: i64,
    pub stage: String,
    pub method: String,
    pub contact_date: String,
    pub participants: String,
    pub summary: String,
    pub with_proposer: i64,
    pub recorded_by: Option<i64>,
    pub created_at: i64,
}

pub struct NewContact<'a> {
    pub item_id: i64,
    pub assignment_id: i64,
    pub stage: &'a str,
    pub method: &'a str,
    pub contact_date: &'a str,
    pub participants: &'a str,
    pub summary: &'a str,
    pub with_proposer: bool,
    pub recorded_by: Option<i64>,
}

pub async fn insert_contact(conn: &mut Conn, c: &NewContact<'_>, now: i64) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO item_contact (item_id, assignment_id, stage, method, contact_date, participants, summary, with_proposer, recorded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(c.item_id)
    .bind(c.assignment_id)
    .bind(c.stage)
    .bind(c.method)
    .bind(c.contact_date)
    .bind(c.participants)
    .bind(c.summary)
    .bind(i64::from(c.with_proposer))
    .bind(c.recorded_by)
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn contacts(conn: &mut Conn, item_id: i64) -> Result<Vec<ContactRow>> {
    sqlx::query_as(
        "SELECT id, item_id, assignment_id, stage, method, contact_date, participants, summary, with_proposer, recorded_by, created_at
         FROM item_contact WHERE item_id = $1 ORDER BY contact_date, id",
    )
    .bind(item_id)
    .fetch_all(conn)
    .await
}

pub async fn count_proposer_contacts(conn: &mut Conn, assignment_id: i64) -> Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM item_contact WHERE assignment_id = $1 AND with_proposer = 1",
    )
    .bind(assignment_id)
    .fetch_one(conn)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OpinionRow {
    pub id: i64,
    pub assignment_id: i64,
    pub text: String,
    pub created_at: i64,
}

pub async fn insert_opinion(
    conn: &mut Conn,
    item_id: i64,
    assignment_id: i64,
    text: &str,
    by: Option<i64>,
    now: i64,
) -> Result<()> {
    sqlx::query("INSERT INTO item_opinion (item_id, assignment_id, text, created_by, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(item_id)
        .bind(assignment_id)
        .bind(text)
        .bind(by)
        .bind(now)
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn opinions(conn: &mut Conn, item_id: i64) -> Result<Vec<OpinionRow>> {
    sqlx::query_as("SELECT id, assignment_id, text, created_at FROM item_opinion WHERE item_id = $1 ORDER BY id")
        .bind(item_id)
        .fetch_all(conn)
        .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReplyRow {
    pub id: i64,
    pub item_id: i64,
    pub assignment_id: i64,
    pub round: i64,
    pub text: String,
    pub result_category: String,
    pub sha: String,
    pub current: i64,
    pub created_by: Option<i64>,
    pub created_at: i64,
    /// When the reply was sent (signed off by the whole chain); none while a draft.
    pub sent_at: Option<i64>,
}

impl ReplyRow {
    pub fn sent(&self) -> bool {
        self.sent_at.is_some()
    }
}

const REPLY_COLS: &str = "id, item_id, assignment_id, round, text, result_category, sha, current, created_by, created_at, sent_at";

/// Adds a reply version; earlier versions of the same assignment stop being current.
#[expect(clippy::too_many_arguments, reason = "one column each")]
pub async fn insert_reply(
    conn: &mut Conn,
    item_id: i64,
    assignment_id: i64,
    round: i64,
    text: &str,
    category: &str,
    sha: &str,
    by: Option<i64>,
    now: i64,
) -> Result<i64> {
    sqlx::query("UPDATE item_reply SET current = 0 WHERE assignment_id = $1")
        .bind(assignment_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query_scalar(
        "INSERT INTO item_reply (item_id, assignment_id, round, text, result_category, sha, current, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8) RETURNING id",
    )
    .bind(item_id)
    .bind(assignment_id)
    .bind(round)
    .bind(text)
    .bind(category)
    .bind(sha)
    .bind(by)
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn current_reply(conn: &mut Conn, assignment_id: i64) -> Result<Option<ReplyRow>> {
    sqlx::query_as(&format!(
        "SELECT {REPLY_COLS} FROM item_reply WHERE assignment_id = $1 AND current = 1"
    ))
    .bind(assignment_id)
    .fetch_optional(conn)
    .await
}

/// Marks an assignment's current reply sent.
pub async fn mark_reply_sent(conn: &mut Conn, assignment_id: i64, now: i64) -> Result<()> {
    sqlx::query("UPDATE item_reply SET sent_at = $1 WHERE assignment_id = $2 AND current = 1")
        .bind(now)
        .bind(assignment_id)
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn get_reply(conn: &mut Conn, reply_id: i64) -> Result<Option<ReplyRow>> {
    sqlx::query_as(&format!(
        "SELECT {REPLY_COLS} FROM item_reply WHERE id = $1"
    ))
    .bind(reply_id)
    .fetch_optional(conn)
    .await
}

pub async fn reply_item(conn: &mut Conn, reply_id: i64) -> Result<Option<i64>> {
    sqlx::query_scalar("SELECT item_id FROM item_reply WHERE id = $1")
        .bind(reply_id)
        .fetch_optional(conn)
        .await
}

pub async fn replies(conn: &mut Conn, item_id: i64) -> Result<Vec<ReplyRow>> {
    sqlx::query_as(&format!(
        "SELECT {REPLY_COLS} FROM item_reply WHERE item_id = $1 ORDER BY id"
    ))
    .bind(item_id)
    .fetch_all(conn)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SignoffRow {
    pub id: i64,
    pub reply_id: i64,
    pub level: String,
    pub decision: String,
    pub reason: String,
    pub user_id: Option<i64>,
    pub user_name: String,
    pub reply_sha: String,
    pub at: i64,
}

#[expect(clippy::too_many_arguments, reason = "one column each")]
pub async fn insert_signoff(
    conn: &mut Conn,
    reply_id: i64,
    level: &str,
    decision: &str,
    reason: &str,
    user_id: Option<i64>,
    user_name: &str,
    reply_sha: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO item_signoff (reply_id, level, decision, reason, user_id, user_name, reply_sha, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(reply_id)
    .bind(level)
    .bind(decision)
    .bind(reason)
    .bind(user_id)
    .bind(user_name)
    .bind(reply_sha)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn signoffs(conn: &mut Conn, item_id: i64) -> Result<Vec<SignoffRow>> {
    sqlx::query_as(
        "SELECT s.id, s.reply_id, s.level, s.decision, s.reason, s.user_id, s.user_name, s.reply_sha, s.at
         FROM item_signoff s JOIN item_reply r ON r.id = s.reply_id WHERE r.item_id = $1 ORDER BY s.id",
    )
    .bind(item_id)
    .fetch_all(conn)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommitmentRow {
    pub id: i64,
    pub item_id: i64,
    pub reply_id: i64,
    pub text: String,
    pub due_date: String,
    pub state: String,
    pub evidence: String,
    pub fulfilled_at: Option<i64>,
}

pub async fn insert_commitment(
    conn: &mut Conn,
    item_id: i64,
    reply_id: i64,
    text: &str,
    due: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO item_commitment (item_id, reply_id, text, due_date, state) VALUES ($1, $2, $3, $4, 'open')")
        .bind(item_id)
        .bind(reply_id)
        .bind(text)
        .bind(due)
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn commitments(conn: &mut Conn, item_id: i64) -> Result<Vec<CommitmentRow>> {
    sqlx::query_as(
        "SELECT c.id, c.item_id, c.reply_id, c.text, c.due_date, c.state, c.evidence, c.fulfilled_at
         FROM item_commitment c JOIN item_reply r ON r.id = c.reply_id
         WHERE c.item_id = $1 AND r.current = 1 ORDER BY c.due_date, c.id",
    )
    .bind(item_id)
    .fetch_all(conn)
    .await
}

pub async fn get_commitment(conn: &mut Conn, id: i64) -> Result<Option<CommitmentRow>> {
    sqlx::query_as("SELECT id, item_id, reply_id, text, due_date, state, evidence, fulfilled_at FROM item_commitment WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn fulfil_commitment(
    conn: &mut Conn,
    id: i64,
    evidence: &str,
    by: Option<i64>,
    now: i64,
) -> Result<u64> {
    sqlx::query("UPDATE item_commitment SET state = 'fulfilled', evidence = $1, fulfilled_by = $2, fulfilled_at = $3 WHERE id = $4 AND state = 'open'")
        .bind(evidence)
        .bind(by)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
}

pub async fn open_commitments(conn: &mut Conn, item_id: i64) -> Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM item_commitment c JOIN item_reply r ON r.id = c.reply_id WHERE c.item_id = $1 AND r.current = 1 AND c.state = 'open'",
    )
    .bind(item_id)
    .fetch_one(conn)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EvaluationRow {
    pub id: i64,
    pub item_id: i64,
    pub round: i64,
    /// Who rated ("deputy", "voter", "staff") and their id there.
    pub evaluator_kind: String,
    pub evaluator_id: Option<i64>,
    pub attitude: String,
    pub result: String,
    pub comment: String,
    pub created_at: i64,
}

#[expect(clippy::too_many_arguments, reason = "one column each")]
pub async fn insert_evaluation(
    conn: &mut Conn,
    item_id: i64,
    round: i64,
    evaluator: (&str, Option<i64>),
    attitude: &str,
    result: &str,
    comment: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO item_evaluation (item_id, round, evaluator_kind, evaluator_id, attitude, result, comment, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(item_id)
    .bind(round)
    .bind(evaluator.0)
    .bind(evaluator.1)
    .bind(attitude)
    .bind(result)
    .bind(comment)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn evaluations(conn: &mut Conn, item_id: i64) -> Result<Vec<EvaluationRow>> {
    sqlx::query_as("SELECT id, item_id, round, evaluator_kind, evaluator_id, attitude, result, comment, created_at FROM item_evaluation WHERE item_id = $1 ORDER BY round")
        .bind(item_id)
        .fetch_all(conn)
        .await
}

#[expect(clippy::too_many_arguments, reason = "one column each")]
pub async fn insert_extension(
    conn: &mut Conn,
    item_id: i64,
    assignment_id: i64,
    extra_months: i64,
    reason: &str,
    old_due: &str,
    new_due: &str,
    approved_by: Option<i64>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO item_extension (item_id, assignment_id, extra_months, reason, old_due, new_due, approved_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(item_id)
    .bind(assignment_id)
    .bind(extra_months)
    .bind(reason)
    .bind(old_due)
    .bind(new_due)
    .bind(approved_by)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn extensions_of(conn: &mut Conn, assignment_id: i64) -> Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM item_extension WHERE assignment_id = $1")
        .bind(assignment_id)
        .fetch_one(conn)
        .await
}

/// A work queue row: an assignment with its item's title and link.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QueueRow {
    pub assignment_id: i64,
    pub item_id: i64,
    pub kind: String,
    pub subject_id: Option<i64>,
    pub title: String,
    pub link: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub role: String,
    pub state: String,
    pub due_date: String,
    pub provisional: i64,
    pub item_state: String,
    pub round: i64,
}

/// Items whose subjects a capability picks: its kind, and a subquery of
/// subject ids it writes itself (a constant, never user input), e.g. the
/// items its subjects put under key supervision.
#[derive(Debug, Clone, Copy)]
pub struct Subjects {
    pub kind: &'static str,
    pub ids_sql: &'static str,
}

#[derive(Debug, Default, Clone)]
pub struct QueueFilter {
    pub unit_ids: Option<Vec<i64>>,
    pub congress_ids: Option<Vec<i64>>,
    pub states: Option<Vec<String>>,
    /// Only those whose deadline is before this date and still open.
    pub overdue_before: Option<String>,
    pub subjects: Option<Subjects>,
}

pub async fn queue(conn: &mut Conn, f: &QueueFilter, page: Page) -> Result<Paged<QueueRow>> {
    let mut w = Where::new();
    if let Some(ids) = &f.unit_ids {
        w.in_list("a.unit_id", ids);
    }
    if let Some(ids) = &f.congress_ids {
        w.in_list("i.congress_id", ids);
    }
    if let Some(states) = &f.states {
        let marks: Vec<String> = states.iter().map(|s| w.arg(s.clone())).collect();
        w.raw(&format!("a.state IN ({})", marks.join(", ")), vec![]);
    }
    if let Some(d) = &f.overdue_before {
        w.raw(
            &format!("a.state IN {OPEN_STATES} AND a.due_date < {{}}"),
            vec![d.clone().into()],
        );
    }
    if let Some(s) = f.subjects {
        let kind = w.arg(s.kind);
        w.raw(
            &format!("i.kind = {kind} AND i.subject_id IN ({})", s.ids_sql),
            vec![],
        );
    }
    // A unit's queue needs nothing of the item to filter: it is counted and
    // paged from the assignment index alone, and only the page's rows are
    // joined (a unit's overdue list read 1,250 items twice for a page of 20).
    let by_assignment = f.congress_ids.is_none() && f.subjects.is_none();
    let from = if by_assignment {
        format!("assignment a{}", w.sql())
    } else {
        format!(
            "assignment a JOIN tracked_item i ON i.id = a.item_id{}",
            w.sql()
        )
    };
    let (total, capped) = db::sql::count_capped(conn, &from, &w.args).await?;
    let filter = if by_assignment {
        format!(
            " WHERE a.id IN (SELECT a.id FROM {from} ORDER BY a.due_date, a.id{})",
            page.sql()
        )
    } else {
        w.sql()
    };
    let sql = format!(
        "SELECT a.id AS assignment_id, a.item_id, i.kind, i.subject_id, i.title, i.link, a.unit_id, u.name AS unit_name, a.role, a.state, a.due_date, a.provisional,
         i.state AS item_state, i.round
         FROM assignment a JOIN tracked_item i ON i.id = a.item_id JOIN unit u ON u.id = a.unit_id{filter}
         ORDER BY a.due_date, a.id{}",
        if by_assignment { String::new() } else { page.sql() }
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

/// Records the first signed reply of an assignment (kept once; later rounds do not change it).
pub async fn set_first_reply(conn: &mut Conn, id: i64, on: &str, on_time: bool) -> Result<()> {
    sqlx::query("UPDATE assignment SET first_reply_on = $1, first_reply_on_time = $2 WHERE id = $3 AND first_reply_on IS NULL")
        .bind(on)
        .bind(i64::from(on_time))
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::OPEN_STATES;
    use crate::rules::AssignmentState;

    #[test]
    fn the_open_states_of_the_sql_are_the_rules_list() {
        let codes: Vec<String> = AssignmentState::OPEN
            .iter()
            .map(|s| format!("'{}'", s.code()))
            .collect();
        assert_eq!(OPEN_STATES, format!("({})", codes.join(", ")));
    }

    #[test]
    fn the_partial_indexes_use_the_same_list() {
        // The planners use a partial index only when the query's condition is its own.
        for sql in [
            include_str!("../../db/migrations/sqlite/0003_deadline_indexes.sql"),
            include_str!("../../db/migrations/postgres/0003_deadline_indexes.sql"),
        ] {
            let conditions = sql.matches("state IN (").count();
            assert_eq!(conditions, 2, "{sql}");
            assert_eq!(
                sql.matches(&format!("state IN {OPEN_STATES}")).count(),
                conditions,
                "{sql}"
            );
        }
    }
}
