//! The meetings' tables. The roster of a meeting is not stored: it is the
//! body's membership on the meeting's day (`org::store::bodies::members_on`);
//! `meeting_attendance` keeps each member's mark and the deputies invited to
//! 列席 with theirs.

pub mod observers;
pub mod outputs;
pub mod reports;

use db::{Conn, Page, Paged, Result, Where};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MeetingRow {
    pub id: i64,
    pub body_id: i64,
    pub term_id: i64,
    pub number: i64,
    pub title: String,
    pub meeting_date: String,
    pub start_time: String,
    pub place: String,
    pub convener: String,
    pub state: String,
    pub cancel_reason: String,
    pub signin_code: String,
    /// Citizens who may observe; 0: not open to observers.
    pub observer_quota: i64,
    pub body_name: String,
    pub body_kind: String,
    pub congress_id: i64,
}

const COLS: &str = "m.id, m.body_id, m.term_id, m.number, m.title, m.meeting_date, m.start_time,
    m.place, m.convener, m.state, m.cancel_reason, m.signin_code, m.observer_quota, b.name AS body_name, b.kind AS body_kind, b.congress_id";

pub struct NewMeeting<'a> {
    pub body_id: i64,
    pub term_id: i64,
    pub number: i64,
    pub title: &'a str,
    pub date: &'a str,
    pub start_time: &'a str,
    pub place: &'a str,
    pub convener: &'a str,
    pub code: &'a str,
    pub observer_quota: i64,
}

pub async fn insert(conn: &mut Conn, m: &NewMeeting<'_>, now: i64) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO meeting (body_id, term_id, number, title, meeting_date, start_time, place, convener,
                              state, signin_code, observer_quota, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'planned', $9, $10, $11, $11) RETURNING id",
    )
    .bind(m.body_id)
    .bind(m.term_id)
    .bind(m.number)
    .bind(m.title)
    .bind(m.date)
    .bind(m.start_time)
    .bind(m.place)
    .bind(m.convener)
    .bind(m.code)
    .bind(m.observer_quota)
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<MeetingRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLS} FROM meeting m JOIN body b ON b.id = m.body_id WHERE m.id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub async fn by_code(conn: &mut Conn, code: &str) -> Result<Option<MeetingRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLS} FROM meeting m JOIN body b ON b.id = m.body_id WHERE m.signin_code = $1"
    ))
    .bind(code)
    .fetch_optional(conn)
    .await
}

/// The next number within the term for the body's meetings.
pub async fn next_number(conn: &mut Conn, body_id: i64, term_id: i64) -> Result<i64> {
    let n: Option<i64> =
        sqlx::query_scalar("SELECT MAX(number) FROM meeting WHERE body_id = $1 AND term_id = $2")
            .bind(body_id)
            .bind(term_id)
            .fetch_one(conn)
            .await?;
    Ok(n.unwrap_or(0) + 1)
}

pub async fn number_taken(
    conn: &mut Conn,
    body_id: i64,
    term_id: i64,
    number: i64,
    except: i64,
) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM meeting WHERE body_id = $1 AND term_id = $2 AND number = $3 AND id <> $4",
    )
    .bind(body_id)
    .bind(term_id)
    .bind(number)
    .bind(except)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

pub async fn set_state(
    conn: &mut Conn,
    id: i64,
    from: &str,
    to: &str,
    cancel_reason: &str,
    now: i64,
) -> Result<u64> {
    sqlx::query(
        "UPDATE meeting SET state = $1, cancel_reason = $2, updated_at = $3 WHERE id = $4 AND state = $5",
    )
        .bind(to)
        .bind(cancel_reason)
        .bind(now)
        .bind(id)
        .bind(from)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
}

/// A deputy takes part in meeting `m` when they sit on its body on its day or
/// are invited to 列席 (`{}` twice: the deputy).
const TAKES_PART: &str =
    "(EXISTS (SELECT 1 FROM body_member bm WHERE bm.body_id = m.body_id AND bm.deputy_id = {}
        AND bm.from_date <= m.meeting_date AND (bm.to_date IS NULL OR bm.to_date >= m.meeting_date))
      OR EXISTS (SELECT 1 FROM meeting_attendance a WHERE a.meeting_id = m.id
        AND a.role = 'attending' AND a.deputy_id = {}))";

/// Whether the deputy takes part in the meeting (one query).
pub async fn takes_part(conn: &mut Conn, meeting_id: i64, deputy_id: i64) -> Result<bool> {
    let mut w = Where::new();
    w.eq("m.id", meeting_id);
    w.raw(TAKES_PART, vec![deputy_id.into(), deputy_id.into()]);
    let sql = format!("SELECT COUNT(*) FROM meeting m {}", w.sql());
    let n: i64 = db::sql::bind_all_scalar(sqlx::query_scalar(&sql), &w.args)
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

/// Which meetings a list shows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// `None`: every congress.
    pub congresses: Option<Vec<i64>>,
    pub body_id: Option<i64>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub state: Option<String>,
    /// Only meetings this deputy sits on (on the day) or is invited to.
    pub deputy: Option<i64>,
    /// Only what the public sees: standing committee and 主席团 meetings once notified.
    pub published: bool,
}

impl Filter {
    fn clause(&self) -> Where {
        let mut w = Where::new();
        if let Some(c) = &self.congresses {
            w.in_list("b.congress_id", c);
        }
        if let Some(b) = self.body_id {
            w.eq("m.body_id", b);
        }
        if let Some(f) = &self.from {
            w.raw("m.meeting_date >= {}", vec![f.clone().into()]);
        }
        if let Some(t) = &self.to {
            w.raw("m.meeting_date <= {}", vec![t.clone().into()]);
        }
        if let Some(s) = &self.state {
            w.eq("m.state", s.clone());
        }
        if self.published {
            w.raw(
                "b.kind IN ('standing_committee', 'presidium') AND m.state IN ('notified', 'held', 'minutes_approved')",
                Vec::new(),
            );
        }
        if let Some(d) = self.deputy {
            w.raw(TAKES_PART, vec![d.into(), d.into()]);
        }
        w
    }
}

/// A page of meetings, the latest first.
pub async fn list(
    conn: &mut Conn,
    f: &Filter,
    page: Page,
    ascending: bool,
) -> Result<Paged<MeetingRow>> {
    let w = f.clause();
    let from_where = format!("meeting m JOIN body b ON b.id = m.body_id {}", w.sql());
    let (total, capped) = db::sql::count_capped(conn, &from_where, &w.args).await?;
    let order = if ascending { "ASC" } else { "DESC" };
    let sql = format!(
        "SELECT {COLS} FROM {from_where} ORDER BY m.meeting_date {order}, m.start_time {order}, m.id {order}{}",
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

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ItemRow {
    pub id: i64,
    pub meeting_id: i64,
    pub position: i64,
    pub title: String,
    pub link_kind: String,
    pub link_ref: String,
    pub link_id: Option<i64>,
    pub vote_yes: Option<i64>,
    pub vote_no: Option<i64>,
    pub vote_abstain: Option<i64>,
    pub vote_not_voting: Option<i64>,
    pub vote_base: Option<i64>,
    pub vote_rule: String,
    pub vote_passed: Option<i64>,
}

const ITEM_COLS: &str =
    "id, meeting_id, position, title, link_kind, link_ref, link_id, vote_yes, vote_no,
    vote_abstain, vote_not_voting, vote_base, vote_rule, vote_passed";

pub async fn items(conn: &mut Conn, meeting_id: i64) -> Result<Vec<ItemRow>> {
    sqlx::query_as(&format!(
        "SELECT {ITEM_COLS} FROM agenda_item WHERE meeting_id = $1 ORDER BY position, id"
    ))
    .bind(meeting_id)
    .fetch_all(conn)
    .await
}

pub async fn item(conn: &mut Conn, id: i64) -> Result<Option<ItemRow>> {
    sqlx::query_as(&format!(
        "SELECT {ITEM_COLS} FROM agenda_item WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub async fn insert_item(
    conn: &mut Conn,
    meeting_id: i64,
    title: &str,
    link_kind: &str,
    link_ref: &str,
    link_id: Option<i64>,
    now: i64,
) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO agenda_item (meeting_id, position, title, link_kind, link_ref, link_id, created_at, updated_at)
         VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM agenda_item WHERE meeting_id = $1),
                 $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(meeting_id)
    .bind(title)
    .bind(link_kind)
    .bind(link_ref)
    .bind(link_id)
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn delete_item(conn: &mut Conn, id: i64) -> Result<u64> {
    sqlx::query("DELETE FROM agenda_item WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
}

pub async fn set_position(conn: &mut Conn, id: i64, position: i64, now: i64) -> Result<u64> {
    sqlx::query("UPDATE agenda_item SET position = $1, updated_at = $2 WHERE id = $3")
        .bind(position)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
}

/// An open vote's record on its item.
pub struct Vote<'a> {
    pub yes: i64,
    pub no: i64,
    pub abstain: i64,
    pub not_voting: i64,
    pub base: i64,
    pub rule: &'a str,
    pub passed: bool,
}

pub async fn set_vote(conn: &mut Conn, id: i64, v: &Vote<'_>, now: i64) -> Result<u64> {
    sqlx::query(
        "UPDATE agenda_item SET vote_yes = $1, vote_no = $2, vote_abstain = $3, vote_not_voting = $4,
                vote_base = $5, vote_rule = $6, vote_passed = $7, voted_at = $8, updated_at = $8
         WHERE id = $9",
    )
    .bind(v.yes)
    .bind(v.no)
    .bind(v.abstain)
    .bind(v.not_voting)
    .bind(v.base)
    .bind(v.rule)
    .bind(i64::from(v.passed))
    .bind(now)
    .bind(id)
    .execute(conn)
    .await
    .map(|r| r.rows_affected())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MarkRow {
    pub id: i64,
    pub meeting_id: i64,
    pub role: String,
    pub body_member_id: Option<i64>,
    pub deputy_id: Option<i64>,
    pub name: String,
    pub status: String,
    pub reason: String,
    pub signed_in_at: Option<i64>,
    pub signed_by: String,
}

const MARK_COLS: &str = "id, meeting_id, role, body_member_id, deputy_id, name, status, reason,
    signed_in_at, signed_by";

pub async fn marks(conn: &mut Conn, meeting_id: i64) -> Result<Vec<MarkRow>> {
    sqlx::query_as(&format!(
        "SELECT {MARK_COLS} FROM meeting_attendance WHERE meeting_id = $1 ORDER BY id"
    ))
    .bind(meeting_id)
    .fetch_all(conn)
    .await
}

pub async fn mark(conn: &mut Conn, id: i64) -> Result<Option<MarkRow>> {
    sqlx::query_as(&format!(
        "SELECT {MARK_COLS} FROM meeting_attendance WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The attendance row of a member at a meeting, made on first mark.
pub struct NewMark<'a> {
    pub meeting_id: i64,
    pub role: &'a str,
    pub body_member_id: Option<i64>,
    pub deputy_id: Option<i64>,
    pub name: &'a str,
}

pub async fn insert_mark(conn: &mut Conn, m: &NewMark<'_>, now: i64) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO meeting_attendance (meeting_id, role, body_member_id, deputy_id, name, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(m.meeting_id)
    .bind(m.role)
    .bind(m.body_member_id)
    .bind(m.deputy_id)
    .bind(m.name)
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn delete_mark(conn: &mut Conn, id: i64) -> Result<u64> {
    sqlx::query("DELETE FROM meeting_attendance WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
}

/// Records an attendance. `only_unsigned`: a sign-in at the door, which
/// counts once (the first wins; a second changes nothing).
pub async fn set_status(
    conn: &mut Conn,
    id: i64,
    status: &str,
    reason: &str,
    signed: Option<(i64, &str)>,
    only_unsigned: bool,
    now: i64,
) -> Result<u64> {
    let guard = if only_unsigned {
        " AND signed_in_at IS NULL"
    } else {
        ""
    };
    sqlx::query(&format!(
        "UPDATE meeting_attendance SET status = $1, reason = $2, signed_in_at = $3, signed_by = $4, updated_at = $5
         WHERE id = $6{guard}"
    ))
    .bind(status)
    .bind(reason)
    .bind(signed.map(|(at, _)| at))
    .bind(signed.map_or("", |(_, by)| by))
    .bind(now)
    .bind(id)
    .execute(conn)
    .await
    .map(|r| r.rows_affected())
}
