//! The sign-in at the door: the meeting's QR code opens a page on a
//! member's phone; signed in with their own deputy account, the first sign-in
//! counts and a second changes nothing.

use app::{Actor, Ctx, Error, Result};
use kernel::roles::{Permission, Role};

use super::attendance::{invited, open_for_marks, roster};
use crate::rules::{Attendance, AttendeeRole};
use crate::store::{self, MeetingRow, NewMark};

/// What a sign-in at the door came to.
#[derive(Debug, Clone)]
pub struct SignIn {
    pub meeting: MeetingRow,
    pub role: AttendeeRole,
    pub name: String,
    /// False when the person had already signed in (or been marked present).
    pub first: bool,
    pub at: i64,
}

/// The meeting a door code opens, for the sign-in page.
pub async fn by_code(ctx: &Ctx, actor: &Actor, code: &str) -> Result<MeetingRow> {
    actor.require(Permission::ViewMeetings)?;
    if actor.role != Role::Deputy {
        return Err(Error::Conflict(
            "扫码签到供参会人员使用，请以本人的代表账号登录".into(),
        ));
    }
    let mut c = ctx.db.read().await?;
    store::by_code(&mut c, code.trim())
        .await?
        .ok_or(Error::NotFound("会议签到码"))
}

/// Where the actor stands before signing in, so the page says it first
/// instead of offering a button that would only be refused.
#[derive(Debug, Clone)]
pub enum Before {
    /// May sign in now.
    Ready,
    /// Already signed in (or marked present) at this moment.
    Signed(i64),
    /// Why a sign-in would be refused.
    Refused(String),
}

pub async fn before(ctx: &Ctx, actor: &Actor, m: &MeetingRow) -> Result<Before> {
    let Some(deputy) = actor.deputy_id else {
        return Ok(Before::Refused("请以本人的代表账号登录后签到".into()));
    };
    if m.meeting_date != ctx.today().to_string() {
        return Ok(Before::Refused(format!(
            "签到仅限会议当天（{}）",
            m.meeting_date
        )));
    }
    if let Err(Error::Conflict(why)) = open_for_marks(m, &ctx.today().to_string()) {
        return Ok(Before::Refused(why));
    }
    let mut c = ctx.db.read().await?;
    let mark = match roster(&mut c, m)
        .await?
        .into_iter()
        .find(|l| l.member.deputy_id == Some(deputy))
    {
        Some(l) => l.mark,
        None => match invited(&mut c, m.id)
            .await?
            .into_iter()
            .find(|k| k.deputy_id == Some(deputy))
        {
            Some(k) => Some(k),
            None => {
                return Ok(Before::Refused(format!(
                    "您不在{}的出席或列席名单中，请与会务工作人员联系",
                    m.title
                )));
            }
        },
    };
    Ok(match mark {
        Some(k) if k.status == Attendance::Present.code() => {
            Before::Signed(k.signed_in_at.unwrap_or(0))
        }
        _ => Before::Ready,
    })
}

/// Signs the actor in at the door. Counts once: the first sign-in wins.
#[tracing::instrument(name = "meetings::sign_in", skip_all, fields(actor = %actor.username))]
pub async fn sign_in(ctx: &Ctx, actor: &Actor, code: &str) -> Result<SignIn> {
    actor.require(Permission::ViewMeetings)?;
    let m = by_code(ctx, actor, code).await?;
    let deputy = actor.deputy_id.ok_or(Error::Forbidden)?;
    let mut tx = ctx.begin().await?;
    if m.meeting_date != ctx.today().to_string() {
        return Err(Error::Conflict(format!(
            "签到仅限会议当天（{}）",
            m.meeting_date
        )));
    }
    open_for_marks(&m, &ctx.today().to_string())?;
    let line = roster(&mut tx, &m)
        .await?
        .into_iter()
        .find(|l| l.member.deputy_id == Some(deputy));
    let (mark, role, name) = match line {
        Some(l) => {
            let id = match &l.mark {
                Some(k) => k.id,
                None => {
                    store::insert_mark(
                        &mut tx,
                        &NewMark {
                            meeting_id: m.id,
                            role: AttendeeRole::Member.code(),
                            body_member_id: Some(l.member.id),
                            deputy_id: Some(deputy),
                            name: &l.member.name,
                        },
                        ctx.now_ms(),
                    )
                    .await?
                }
            };
            (id, AttendeeRole::Member, l.member.name)
        }
        None => match invited(&mut tx, m.id)
            .await?
            .into_iter()
            .find(|k| k.deputy_id == Some(deputy))
        {
            Some(k) => (k.id, AttendeeRole::Attending, k.name),
            None => {
                return Err(Error::Conflict(format!(
                    "您不在{}的出席或列席名单中，请与会务工作人员联系",
                    m.title
                )));
            }
        },
    };
    let now = ctx.now_ms();
    let first = store::set_status(
        &mut tx,
        mark,
        Attendance::Present.code(),
        "",
        Some((now, "self")),
        true,
        now,
    )
    .await?
        == 1;
    let at = if first {
        app::audit::record(
            &mut tx,
            actor,
            "meeting.sign_in",
            "meeting",
            m.id,
            format!("{}：{name} 扫码签到（{}）", m.title, role.label()),
        )
        .await?;
        now
    } else {
        store::mark(&mut tx, mark)
            .await?
            .and_then(|k| k.signed_in_at)
            .unwrap_or(now)
    };
    tx.commit().await?;
    Ok(SignIn {
        meeting: m,
        role,
        name,
        first,
        at,
    })
}
