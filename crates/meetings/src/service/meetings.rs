//! Planning a meeting, the list and calendar, and its states.

use app::validate::Check;
use app::{Actor, Ctx, Error, Result};
use kernel::bodies::BodyKind;
use kernel::calendar::parse_date;
use kernel::roles::{Permission, Role};
use rand::Rng;
use serde::Deserialize;

use crate::rules::{self, MeetingKind, MeetingState};
use crate::store::{self, Filter, MeetingRow, NewMeeting};

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct MeetingInput {
    /// The body that meets.
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub body_id: Option<i64>,
    /// YYYY-MM-DD.
    #[serde(default)]
    #[schema(required = true, format = Date)]
    pub meeting_date: String,
    /// HH:MM, when known.
    #[serde(default)]
    #[schema(max_length = 5)]
    pub start_time: String,
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 60)]
    pub place: String,
    /// Who convenes and presides (e.g. 主任 王某某).
    #[serde(default)]
    #[schema(max_length = 40)]
    pub convener: String,
    /// The number within the term; empty takes the next.
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub number: app::de::Typed,
    /// Empty: named from the body, the term and the number.
    #[serde(default)]
    #[schema(max_length = 80)]
    pub title: String,
    /// How many citizens may observe (旁听); empty or 0: not open to observers.
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub observer_quota: app::de::Typed,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct StateInput {
    /// notified, held, minutes_approved or cancelled.
    #[serde(default)]
    #[schema(required = true)]
    pub state: String,
    /// Why a meeting is cancelled.
    #[serde(default)]
    #[schema(max_length = 200)]
    pub reason: String,
}

/// What a list of meetings asks for.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub body_id: Option<i64>,
    /// A year (YYYY): the meetings held or planned in it.
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub year: Option<i64>,
    /// A month (YYYY-MM), instead of a year: the calendar's.
    #[serde(default)]
    pub month: String,
    /// A state's code.
    #[serde(default)]
    pub state: String,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub page: Option<i64>,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub per_page: Option<i64>,
}

fn check_time(check: &mut Check, v: &str) -> String {
    let t = v.trim();
    if t.is_empty() {
        return String::new();
    }
    let ok = t.len() == 5
        && t.as_bytes()[2] == b':'
        && t[..2].parse::<u8>().is_ok_and(|h| h < 24)
        && t[3..].parse::<u8>().is_ok_and(|m| m < 60);
    if !ok {
        check.add("start_time", "时间格式应为 HH:MM，如 09:00");
    }
    t.to_string()
}

struct Checked {
    body: org::store::bodies::BodyRow,
    kind: MeetingKind,
    term_id: i64,
    number: i64,
    date: String,
    start_time: String,
    place: String,
    convener: String,
    title: String,
    observer_quota: i64,
}

async fn check_input(
    tx: &mut db::Conn,
    actor: &Actor,
    input: &MeetingInput,
    today: &str,
    except: i64,
) -> Result<Checked> {
    let mut check = Check::new();
    let place = check.text("place", "会议地点", &input.place, 60);
    let convener = check.optional("convener", "召集人", &input.convener, 40);
    let start_time = check_time(&mut check, &input.start_time);
    let typed_title = check.optional("title", "会议名称", &input.title, 80);
    let observer_quota = match input.observer_quota.value() {
        Ok(v) => v.unwrap_or(0),
        Err(t) => {
            check.add("observer_quota", format!("旁听名额应填数字，“{t}”不是整数"));
            0
        }
    };
    if !(0..=500).contains(&observer_quota) {
        check.add("observer_quota", "旁听名额应在 0 至 500 人之间");
    }
    let typed_number = match input.number.value() {
        Ok(v) => v,
        Err(t) => {
            check.add("number", format!("届内次数应填数字，“{t}”不是整数"));
            None
        }
    };
    let date = if input.meeting_date.trim().is_empty() {
        check.add("meeting_date", "请填写会议日期");
        None
    } else {
        check.take(
            "meeting_date",
            parse_date(&input.meeting_date).map_err(|e| e.to_string()),
        )
    };
    let body = match input.body_id.filter(|v| *v > 0) {
        None => {
            check.add("body_id", "请选择召开会议的机构");
            None
        }
        Some(id) => {
            let row = org::store::bodies::get(tx, id, today).await?;
            let seen = match &row {
                Some(b) => match org::scope::visible_congresses(tx, actor).await? {
                    Some(ids) => ids.contains(&b.congress_id),
                    None => true,
                },
                None => false,
            };
            if !seen {
                check.add("body_id", "机构不存在");
            }
            row.filter(|_| seen)
        }
    };
    let mut term = None;
    if let (Some(b), Some(d)) = (&body, date) {
        let day = d.to_string();
        let terms = org::store::congresses::terms(tx, b.congress_id).await?;
        term = terms
            .iter()
            .find(|t| t.start_date.as_str() <= day.as_str() && day.as_str() <= t.end_date.as_str())
            .map(|t| (t.id, t.number));
        if term.is_none() {
            check.add(
                "meeting_date",
                "该日期不在本级人大任何一届的任期内，请核对日期或先登记届次",
            );
        }
    }
    let mut number = 0;
    if let (Some(b), Some((term_id, _))) = (&body, term) {
        number = match typed_number {
            Some(n) if !(1..=999).contains(&n) => {
                check.add("number", "会议次数应在 1 至 999 之间");
                n
            }
            Some(n) => {
                if store::number_taken(tx, b.id, term_id, n, except).await? {
                    check.add("number", format!("本届第{n}次会议已登记"));
                }
                n
            }
            None if except > 0 => store::get(tx, except)
                .await?
                .map_or(1, |m| if m.term_id == term_id { m.number } else { 0 }),
            None => store::next_number(tx, b.id, term_id).await?,
        };
        // A meeting moved into another term takes that term's next number.
        if number == 0 {
            number = store::next_number(tx, b.id, term_id).await?;
        }
    }
    if let Some(b) = &body
        && observer_quota > 0
    {
        let kind = MeetingKind::of(BodyKind::parse(&b.kind).unwrap_or(BodyKind::WorkingCommittee));
        if !kind.is_public() {
            check.add(
                "observer_quota",
                format!("{}不公开举行，不设旁听", kind.label()),
            );
        }
    }
    check.finish()?;
    let (Some(body), Some(date), Some((term_id, term_number))) = (body, date, term) else {
        return Err(Error::internal(
            "checked meeting input without body, date or term",
        ));
    };
    let kind = MeetingKind::of(BodyKind::parse(&body.kind).unwrap_or(BodyKind::WorkingCommittee));
    let title = if typed_title.is_empty() {
        rules::meeting_title(
            &body.name,
            kind,
            u32::try_from(term_number).unwrap_or(0),
            u32::try_from(number).unwrap_or(0),
        )
    } else {
        typed_title
    };
    Ok(Checked {
        body,
        kind,
        term_id,
        number,
        date: date.to_string(),
        start_time,
        place,
        convener,
        title,
        observer_quota,
    })
}

/// An unguessable code for the QR image at the door.
fn signin_code() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut rng = rand::thread_rng();
    (0..20)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

#[tracing::instrument(name = "meetings::create", skip_all, fields(actor = %actor.username))]
pub async fn create(ctx: &Ctx, actor: &Actor, input: &MeetingInput) -> Result<i64> {
    actor.require(Permission::ManageMeetings)?;
    let mut tx = ctx.begin().await?;
    let c = check_input(&mut tx, actor, input, &ctx.today().to_string(), 0).await?;
    let id = store::insert(
        &mut tx,
        &NewMeeting {
            body_id: c.body.id,
            term_id: c.term_id,
            number: c.number,
            title: &c.title,
            date: &c.date,
            start_time: &c.start_time,
            place: &c.place,
            convener: &c.convener,
            code: &signin_code(),
            observer_quota: c.observer_quota,
        },
        ctx.now_ms(),
    )
    .await?;
    app::audit::record(
        &mut tx,
        actor,
        "meeting.create",
        "meeting",
        id,
        format!(
            "筹备{}：{}（{}，{}）",
            c.kind.label(),
            c.title,
            c.date,
            c.place
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes the date, place, convener, number or name of a meeting not yet held.
#[tracing::instrument(name = "meetings::update", skip_all, fields(actor = %actor.username, id))]
pub async fn update(ctx: &Ctx, actor: &Actor, id: i64, input: &MeetingInput) -> Result<()> {
    let mut tx = ctx.begin().await?;
    let m = super::managed(&mut tx, actor, id).await?;
    if !super::state_of(&m).open_for_planning() {
        return Err(Error::Conflict(format!(
            "会议{}，不能再修改日期和地点",
            super::state_of(&m).label()
        )));
    }
    let mut input = input.clone();
    // The body of a meeting does not change; a meeting of another body is another meeting.
    input.body_id = Some(m.body_id);
    let c = check_input(&mut tx, actor, &input, &ctx.today().to_string(), id).await?;
    let approved = store::observers::approved(&mut tx, id).await?;
    if c.observer_quota < approved {
        return Err(Error::field(
            "observer_quota",
            format!("已同意 {approved} 人旁听，旁听名额不能少于 {approved} 个"),
        ));
    }
    sqlx::query(
        "UPDATE meeting SET term_id = $1, number = $2, title = $3, meeting_date = $4, start_time = $5,
                place = $6, convener = $7, observer_quota = $8, updated_at = $9 WHERE id = $10",
    )
    .bind(c.term_id)
    .bind(c.number)
    .bind(&c.title)
    .bind(&c.date)
    .bind(&c.start_time)
    .bind(&c.place)
    .bind(&c.convener)
    .bind(c.observer_quota)
    .bind(ctx.now_ms())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let mut changed = Vec::new();
    if m.meeting_date != c.date {
        changed.push(format!("日期 {} → {}", m.meeting_date, c.date));
    }
    if m.place != c.place {
        changed.push(format!("地点 {} → {}", m.place, c.place));
    }
    if m.title != c.title {
        changed.push(format!("名称 {} → {}", m.title, c.title));
    }
    if m.start_time != c.start_time || m.convener != c.convener {
        changed.push("时间或召集人".into());
    }
    app::audit::record(
        &mut tx,
        actor,
        "meeting.update",
        "meeting",
        id,
        format!(
            "修改{}：{}",
            c.title,
            if changed.is_empty() {
                "无变化".into()
            } else {
                changed.join("；")
            }
        ),
    )
    .await?;
    // Those already told of the meeting are told of the change.
    if super::state_of(&m) == MeetingState::Notified && m.meeting_date != c.date {
        let to = super::attendance::audiences(&mut tx, id).await?;
        app::notify::send(
            &mut tx,
            &to,
            "会议时间变更",
            &format!(
                "{}改于 {} {} 在{}召开",
                c.title, c.date, c.start_time, c.place
            ),
            &format!("/meetings/{id}"),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[tracing::instrument(name = "meetings::list", skip_all, fields(actor = %actor.username))]
pub async fn list(ctx: &Ctx, actor: &Actor, q: &ListQuery) -> Result<db::Paged<MeetingRow>> {
    actor.require(Permission::ViewMeetings)?;
    let mut c = ctx.db.read().await?;
    let mut f = Filter {
        body_id: q.body_id.filter(|v| *v > 0),
        ..Filter::default()
    };
    if actor.role == Role::Deputy {
        f.deputy = Some(actor.deputy_id.unwrap_or(-1));
    } else {
        f.congresses = org::scope::visible_congresses(&mut c, actor).await?;
    }
    if let Some(y) = q.year {
        if !(1949..=2200).contains(&y) {
            return Err(Error::field("year", "年份不正确"));
        }
        f.from = Some(format!("{y:04}-01-01"));
        f.to = Some(format!("{y:04}-12-31"));
    }
    if !q.month.trim().is_empty() {
        let first = jiff::civil::Date::strptime("%Y-%m-%d", format!("{}-01", q.month.trim()))
            .map_err(|_| Error::field("month", "月份格式应为 YYYY-MM"))?;
        f.from = Some(first.to_string());
        f.to = Some(first.last_of_month().to_string());
    }
    if !q.state.trim().is_empty() {
        let s = MeetingState::parse(&q.state).ok_or(Error::field("state", "会议状态不正确"))?;
        f.state = Some(s.code().into());
    }
    let page = db::Page::new(q.page, q.per_page);
    Ok(store::list(
        &mut c,
        &f,
        page,
        q.year.is_some() || !q.month.trim().is_empty(),
    )
    .await?)
}

/// Moves a meeting to its next state.
#[tracing::instrument(name = "meetings::advance", skip_all, fields(actor = %actor.username, id))]
pub async fn advance(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    input: &StateInput,
) -> Result<MeetingState> {
    let mut tx = ctx.begin().await?;
    let m = super::managed(&mut tx, actor, id).await?;
    let from = super::state_of(&m);
    let to = MeetingState::parse(&input.state).ok_or(Error::field("state", "请选择会议状态"))?;
    if !from.next().contains(&to) {
        return Err(Error::Conflict(format!(
            "会议{}，不能改为“{}”",
            from.label(),
            to.label()
        )));
    }
    let mut check = Check::new();
    let reason = check.optional("reason", "取消原因", &input.reason, 200);
    if to == MeetingState::Cancelled && reason.is_empty() {
        check.add("reason", "请说明取消会议的原因");
    }
    check.finish()?;
    let today = ctx.today().to_string();
    if to == MeetingState::Held && m.meeting_date.as_str() > today.as_str() {
        return Err(Error::Conflict(format!(
            "会议定于 {} 召开，当天或之后才能确认已召开",
            m.meeting_date
        )));
    }
    if to == MeetingState::Held {
        let roster = super::attendance::roster(&mut tx, &m).await?;
        let present = roster
            .iter()
            .filter(|l| l.attendance() == Some(rules::Attendance::Present))
            .count();
        let (members, present) = (
            u32::try_from(roster.len()).unwrap_or(0),
            u32::try_from(present).unwrap_or(0),
        );
        if !rules::quorum_met(members, present) {
            return Err(Error::Conflict(format!(
                "出席的组成人员 {present} 人，未超过全体组成人员 {members} 人的半数，不能确认会议已召开；请先登记出席情况"
            )));
        }
    }
    if to == MeetingState::MinutesApproved
        && !store::outputs::of_meeting(&mut tx, id)
            .await?
            .iter()
            .any(|o| o.kind == rules::OutputKind::Minutes.code())
    {
        return Err(Error::Conflict(
            "尚未印发会议纪要，印发后才能确认纪要已审定".into(),
        ));
    }
    if to == MeetingState::Notified && store::items(&mut tx, id).await?.is_empty() {
        return Err(Error::Conflict(
            "议程尚无议题，请先安排议程再发出通知".into(),
        ));
    }
    let why = if to == MeetingState::Cancelled {
        reason.as_str()
    } else {
        ""
    };
    if store::set_state(&mut tx, id, from.code(), to.code(), why, ctx.now_ms()).await? == 0 {
        return Err(Error::Conflict("会议状态已被他人更改，请刷新后重试".into()));
    }
    let summary = match to {
        MeetingState::Cancelled => format!("取消{}：{reason}", m.title),
        _ => format!("{}：{}", to.label(), m.title),
    };
    app::audit::record(
        &mut tx,
        actor,
        &format!("meeting.{}", to.code()),
        "meeting",
        id,
        summary,
    )
    .await?;
    let link = format!("/meetings/{id}");
    match to {
        MeetingState::Notified => {
            let to = super::attendance::audiences(&mut tx, id).await?;
            let when = format!("{} {}", m.meeting_date, m.start_time);
            app::notify::send(
                &mut tx,
                &to,
                "会议通知",
                &format!(
                    "{}定于 {} 在{}召开，请准时出席。",
                    m.title,
                    when.trim(),
                    m.place
                ),
                &link,
            )
            .await?;
        }
        MeetingState::Cancelled if from == MeetingState::Notified => {
            let to = super::attendance::audiences(&mut tx, id).await?;
            app::notify::send(
                &mut tx,
                &to,
                "会议取消",
                &format!("原定 {} 召开的{}取消：{reason}", m.meeting_date, m.title),
                &link,
            )
            .await?;
        }
        _ => {}
    }
    tx.commit().await?;
    Ok(to)
}

/// A meeting with its agenda and who attends.
#[derive(Debug, Clone)]
pub struct MeetingDetail {
    pub meeting: MeetingRow,
    pub state: MeetingState,
    pub kind: MeetingKind,
    pub items: Vec<store::ItemRow>,
    pub roster: Vec<super::attendance::RosterLine>,
    pub invited: Vec<store::MarkRow>,
    pub outputs: Vec<store::outputs::OutputRow>,
    pub forum: Option<super::forum::ForumRow>,
    pub can_manage: bool,
}

impl MeetingDetail {
    pub fn present(&self) -> usize {
        self.roster
            .iter()
            .filter(|l| l.attendance() == Some(rules::Attendance::Present))
            .count()
    }
    pub fn on_leave(&self) -> usize {
        self.roster
            .iter()
            .filter(|l| l.attendance() == Some(rules::Attendance::Leave))
            .count()
    }
}

/// A meeting the actor may see, without its agenda and attendance.
pub async fn get(ctx: &Ctx, actor: &Actor, id: i64) -> Result<MeetingRow> {
    let mut c = ctx.db.read().await?;
    super::visible(&mut c, actor, id).await
}

#[tracing::instrument(name = "meetings::detail", skip_all, fields(actor = %actor.username, id))]
pub async fn detail(ctx: &Ctx, actor: &Actor, id: i64) -> Result<MeetingDetail> {
    let mut c = ctx.db.read().await?;
    let m = super::visible(&mut c, actor, id).await?;
    let items = store::items(&mut c, id).await?;
    let roster = super::attendance::roster(&mut c, &m).await?;
    let invited = super::attendance::invited(&mut c, id).await?;
    let outputs = store::outputs::of_meeting(&mut c, id).await?;
    let forum = super::forum::of_meeting(&mut c, id).await?;
    Ok(MeetingDetail {
        forum,
        outputs,
        state: super::state_of(&m),
        kind: MeetingKind::of(BodyKind::parse(&m.body_kind).unwrap_or(BodyKind::WorkingCommittee)),
        meeting: m,
        items,
        roster,
        invited,
        can_manage: actor.can(Permission::ManageMeetings),
    })
}

/// The deputies a meeting may invite to 列席, those who have not yet attended
/// a meeting this term first: (id, name, constituency, meetings attended).
pub async fn invite_candidates(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
) -> Result<Vec<(i64, String, String, i64)>> {
    let mut c = ctx.db.read().await?;
    let m = super::managed(&mut c, actor, id).await?;
    // Not the body's members, nor those invited already.
    let taken: Vec<i64> = super::attendance::roster(&mut c, &m)
        .await?
        .iter()
        .filter_map(|l| l.member.deputy_id)
        .chain(
            super::attendance::invited(&mut c, id)
                .await?
                .iter()
                .filter_map(|k| k.deputy_id),
        )
        .collect();
    Ok(
        store::reports::invite_candidates(&mut c, m.congress_id, m.term_id)
            .await?
            .into_iter()
            .filter(|(d, ..)| !taken.contains(d))
            .collect(),
    )
}
