//! Who attends: the body's members on the meeting's day (no one is expected
//! who could not attend), the deputies invited to 列席, their marks, and the
//! sign-in at the door by QR code (one code per meeting; a person signs once).

use app::notify::Audience;
use app::validate::Check;
use app::{Actor, Ctx, Error, Result};
use kernel::bodies::{BodyKind, BodyPosition};
use kernel::roles::Permission;
use serde::Deserialize;

use crate::rules::{Attendance, AttendeeRole};
use crate::store::{self, MarkRow, MeetingRow, NewMark};
use org::store::bodies::MemberRow;

/// A member expected at the meeting, with what is recorded of them.
#[derive(Debug, Clone)]
pub struct RosterLine {
    pub member: MemberRow,
    pub position_label: &'static str,
    pub mark: Option<MarkRow>,
}

impl RosterLine {
    pub fn attendance(&self) -> Option<Attendance> {
        self.mark
            .as_ref()
            .and_then(|m| Attendance::parse(&m.status))
    }
}

/// The members on the meeting's day and their marks.
pub(crate) async fn roster(conn: &mut db::Conn, m: &MeetingRow) -> Result<Vec<RosterLine>> {
    let members = org::store::bodies::members_on(conn, m.body_id, &m.meeting_date).await?;
    let marks = store::marks(conn, m.id).await?;
    let kind = BodyKind::parse(&m.body_kind).unwrap_or(BodyKind::WorkingCommittee);
    Ok(members
        .into_iter()
        .map(|member| RosterLine {
            position_label: BodyPosition::parse(&member.position).map_or("", |p| p.label_in(kind)),
            mark: marks
                .iter()
                .find(|k| k.body_member_id == Some(member.id))
                .cloned(),
            member,
        })
        .collect())
}

/// The deputies invited to 列席, with their marks.
pub(crate) async fn invited(conn: &mut db::Conn, meeting: i64) -> Result<Vec<MarkRow>> {
    Ok(store::marks(conn, meeting)
        .await?
        .into_iter()
        .filter(|k| k.role == AttendeeRole::Attending.code())
        .collect())
}

/// Everyone a notice of the meeting goes to: members who are deputies (through
/// their accounts) and the invited deputies.
pub(crate) async fn audiences(conn: &mut db::Conn, meeting: i64) -> Result<Vec<Audience>> {
    let m = store::get(conn, meeting)
        .await?
        .ok_or(Error::NotFound("会议"))?;
    let mut to: Vec<Audience> = roster(conn, &m)
        .await?
        .iter()
        .filter_map(|l| l.member.deputy_id)
        .chain(
            invited(conn, meeting)
                .await?
                .iter()
                .filter_map(|k| k.deputy_id),
        )
        .map(Audience::Deputy)
        .collect();
    to.sort();
    to.dedup();
    Ok(to)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct MarkInput {
    /// present, leave or absent.
    #[serde(default)]
    #[schema(required = true)]
    pub status: String,
    /// Required for leave (e.g. 因公出差).
    #[serde(default)]
    #[schema(max_length = 100)]
    pub reason: String,
}

fn check_mark(input: &MarkInput) -> Result<(Attendance, String)> {
    let mut check = Check::new();
    let status = Attendance::parse(&input.status);
    if status.is_none() {
        check.add("status", "请选择出席、请假或缺席");
    }
    let reason = check.optional("reason", "请假事由", &input.reason, 100);
    if status == Some(Attendance::Leave) && reason.is_empty() {
        check.add("reason", "请填写请假事由");
    }
    check.finish()?;
    Ok((status.unwrap_or(Attendance::Absent), reason))
}

pub(crate) fn open_for_marks(m: &MeetingRow, today: &str) -> Result<()> {
    let s = super::state_of(m);
    if !s.records_attendance() {
        return Err(Error::Conflict(format!(
            "会议{}，不能登记出席情况",
            s.label()
        )));
    }
    if m.meeting_date.as_str() > today {
        return Err(Error::Conflict(format!(
            "会议定于 {} 召开，当天才能登记出席情况",
            m.meeting_date
        )));
    }
    Ok(())
}

/// Staff record a member's attendance at the desk.
#[tracing::instrument(name = "meetings::mark_member", skip_all, fields(actor = %actor.username, id))]
pub async fn mark_member(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    member_id: i64,
    input: &MarkInput,
) -> Result<String> {
    let mut tx = ctx.begin().await?;
    let m = super::managed(&mut tx, actor, id).await?;
    let (status, reason) = check_mark(input)?;
    open_for_marks(&m, &ctx.today().to_string())?;
    let line = roster(&mut tx, &m)
        .await?
        .into_iter()
        .find(|l| l.member.id == member_id)
        .ok_or_else(|| Error::field("member_id", "该人员在会议当日不是组成人员"))?;
    let mark_id = match &line.mark {
        Some(k) => k.id,
        None => {
            store::insert_mark(
                &mut tx,
                &NewMark {
                    meeting_id: id,
                    role: AttendeeRole::Member.code(),
                    body_member_id: Some(line.member.id),
                    deputy_id: line.member.deputy_id,
                    name: &line.member.name,
                },
                ctx.now_ms(),
            )
            .await?
        }
    };
    set(
        &mut tx,
        ctx,
        actor,
        &m,
        mark_id,
        &line.member.name,
        status,
        &reason,
    )
    .await?;
    tx.commit().await?;
    Ok(line.member.name)
}

#[expect(clippy::too_many_arguments, reason = "one mark's parts")]
async fn set(
    tx: &mut db::Tx,
    ctx: &Ctx,
    actor: &Actor,
    m: &MeetingRow,
    mark_id: i64,
    name: &str,
    status: Attendance,
    reason: &str,
) -> Result<()> {
    let now = ctx.now_ms();
    let signed = (status == Attendance::Present).then_some((now, "staff"));
    store::set_status(tx, mark_id, status.code(), reason, signed, false, now).await?;
    let why = if reason.is_empty() {
        String::new()
    } else {
        format!("（{reason}）")
    };
    app::audit::record(
        tx,
        actor,
        "meeting.attendance",
        "meeting",
        m.id,
        format!("{}：{name} {}{why}", m.title, status.label()),
    )
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct InviteInput {
    /// A deputy of the congress in office.
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub deputy_id: Option<i64>,
}

/// Invites a deputy to 列席.
#[tracing::instrument(name = "meetings::invite", skip_all, fields(actor = %actor.username, id))]
pub async fn invite(ctx: &Ctx, actor: &Actor, id: i64, input: &InviteInput) -> Result<i64> {
    let mut tx = ctx.begin().await?;
    let m = super::managed(&mut tx, actor, id).await?;
    if !super::state_of(&m).open_for_planning() {
        return Err(Error::Conflict(format!(
            "会议{}，不能再邀请列席代表",
            super::state_of(&m).label()
        )));
    }
    let Some(d) = input.deputy_id.filter(|v| *v > 0) else {
        return Err(Error::field("deputy_id", "请选择列席的代表"));
    };
    let deputy = org::store::deputies::get(&mut tx, d)
        .await?
        .ok_or_else(|| Error::field("deputy_id", "代表不存在"))?;
    if !org::store::deputies::serves_in(&mut tx, d, m.congress_id).await? {
        return Err(Error::field(
            "deputy_id",
            format!("{}不是本级人大的在任代表", deputy.name),
        ));
    }
    if roster(&mut tx, &m)
        .await?
        .iter()
        .any(|l| l.member.deputy_id == Some(d))
    {
        return Err(Error::field(
            "deputy_id",
            format!("{}是本机构组成人员，无需邀请列席", deputy.name),
        ));
    }
    if invited(&mut tx, id)
        .await?
        .iter()
        .any(|k| k.deputy_id == Some(d))
    {
        return Err(Error::field(
            "deputy_id",
            format!("已邀请{}列席", deputy.name),
        ));
    }
    let mark = store::insert_mark(
        &mut tx,
        &NewMark {
            meeting_id: id,
            role: AttendeeRole::Attending.code(),
            body_member_id: None,
            deputy_id: Some(d),
            name: &deputy.name,
        },
        ctx.now_ms(),
    )
    .await?;
    app::audit::record(
        &mut tx,
        actor,
        "meeting.invite",
        "meeting",
        id,
        format!("邀请{}列席{}", deputy.name, m.title),
    )
    .await?;
    if super::state_of(&m) == crate::rules::MeetingState::Notified {
        app::notify::send(
            &mut tx,
            &[Audience::Deputy(d)],
            "列席会议邀请",
            &format!(
                "邀请您列席 {} 在{}召开的{}",
                m.meeting_date, m.place, m.title
            ),
            &format!("/meetings/{id}"),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(mark)
}

/// The invitation of a deputy (an attendance row of role 列席) and its meeting.
async fn invitation(tx: &mut db::Tx, actor: &Actor, mark: i64) -> Result<(MarkRow, MeetingRow)> {
    actor.require(Permission::ManageMeetings)?;
    let k = store::mark(tx, mark)
        .await?
        .filter(|k| k.role == AttendeeRole::Attending.code())
        .ok_or(Error::NotFound("列席邀请"))?;
    let m = super::managed(tx, actor, k.meeting_id)
        .await
        .map_err(|e| match e {
            Error::NotFound(_) => Error::NotFound("列席邀请"),
            e => e,
        })?;
    Ok((k, m))
}

/// Withdraws an invitation to 列席 before the meeting.
#[tracing::instrument(name = "meetings::uninvite", skip_all, fields(actor = %actor.username, mark))]
pub async fn uninvite(ctx: &Ctx, actor: &Actor, mark: i64) -> Result<i64> {
    let mut tx = ctx.begin().await?;
    let (k, m) = invitation(&mut tx, actor, mark).await?;
    if !super::state_of(&m).open_for_planning() || k.signed_in_at.is_some() {
        return Err(Error::Conflict("已召开或已签到的列席不能撤销".into()));
    }
    store::delete_mark(&mut tx, mark).await?;
    app::audit::record(
        &mut tx,
        actor,
        "meeting.uninvite",
        "meeting",
        m.id,
        format!("撤销{}列席{}", k.name, m.title),
    )
    .await?;
    tx.commit().await?;
    Ok(m.id)
}

/// Staff record an invited deputy's attendance.
#[tracing::instrument(name = "meetings::mark_attending", skip_all, fields(actor = %actor.username, mark))]
pub async fn mark_attending(ctx: &Ctx, actor: &Actor, mark: i64, input: &MarkInput) -> Result<i64> {
    let mut tx = ctx.begin().await?;
    let (k, m) = invitation(&mut tx, actor, mark).await?;
    let (status, reason) = check_mark(input)?;
    open_for_marks(&m, &ctx.today().to_string())?;
    set(&mut tx, ctx, actor, &m, k.id, &k.name, status, &reason).await?;
    tx.commit().await?;
    Ok(m.id)
}

/// The lead deputy of a motion on the agenda is invited to 列席 the meeting
/// that deliberates it (seed 002: 「邀请议案领衔人列席相关会议」), unless
/// they sit on the body or are invited already.
pub(crate) async fn invite_lead(
    tx: &mut db::Tx,
    ctx: &Ctx,
    actor: &Actor,
    m: &MeetingRow,
    motion: &app::handoff::MotionRef,
) -> Result<()> {
    let d = motion.lead_deputy_id;
    if roster(tx, m)
        .await?
        .iter()
        .any(|l| l.member.deputy_id == Some(d))
        || invited(tx, m.id)
            .await?
            .iter()
            .any(|k| k.deputy_id == Some(d))
    {
        return Ok(());
    }
    let name = org::store::deputies::get(tx, d)
        .await?
        .map(|x| x.name)
        .unwrap_or_default();
    store::insert_mark(
        tx,
        &NewMark {
            meeting_id: m.id,
            role: AttendeeRole::Attending.code(),
            body_member_id: None,
            deputy_id: Some(d),
            name: &name,
        },
        ctx.now_ms(),
    )
    .await?;
    app::audit::record(
        tx,
        actor,
        "meeting.invite",
        "meeting",
        m.id,
        format!("邀请{}领衔代表{name}列席{}", motion.label, m.title),
    )
    .await?;
    if super::state_of(m) == crate::rules::MeetingState::Notified {
        app::notify::send(
            tx,
            &[Audience::Deputy(d)],
            "列席会议邀请",
            &format!(
                "您领衔提出的{}《{}》列入{}议程，邀请您于 {} 列席",
                motion.label, motion.title, m.title, m.meeting_date
            ),
            &format!("/meetings/{}", m.id),
        )
        .await?;
    }
    Ok(())
}
