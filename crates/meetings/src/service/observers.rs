//! Citizens observing a meeting (公民旁听): a public application with name,
//! ID number and phone (both encrypted; shown masked), approved by staff
//! within the meeting's quota, and checked in at the door. An applicant
//! follows their application by its code.

use app::validate::Check;
use app::{Actor, Ctx, Error, Result};
use kernel::bodies::BodyKind;
use kernel::ids::{IdCardNo, PhoneNo};
use rand::Rng;
use serde::Deserialize;

use crate::rules::{MeetingKind, MeetingState, ObserverStatus};
use crate::store::observers::{self, NewObserver, ObserverRow};
use crate::store::{self, MeetingRow};

pub const ID_CARD_CTX: &str = "observer.id_card";
pub const PHONE_CTX: &str = "observer.phone";

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ApplyInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub id_card: String,
    #[serde(default)]
    pub phone: String,
    /// The applicant agrees that staff see the ID number and phone.
    #[serde(default, deserialize_with = "app::de::flex_bool")]
    pub consent: bool,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct DecisionInput {
    /// true to approve, false to decline.
    #[serde(default, deserialize_with = "app::de::flex_bool")]
    pub approve: bool,
    /// Why an application is declined.
    #[serde(default)]
    #[schema(max_length = 100)]
    pub reason: String,
}

/// A meeting the public may see: a standing committee's or 主席团's, once its notice is out.
pub fn is_published(m: &MeetingRow) -> bool {
    let kind = MeetingKind::of(BodyKind::parse(&m.body_kind).unwrap_or(BodyKind::WorkingCommittee));
    kind.is_public()
        && matches!(
            super::state_of(m),
            MeetingState::Notified | MeetingState::Held | MeetingState::MinutesApproved
        )
}

/// Whether citizens may still apply: published, open to observers, not yet held.
pub fn open_for_applications(m: &MeetingRow, today: &str) -> bool {
    is_published(m)
        && super::state_of(m) == MeetingState::Notified
        && m.observer_quota > 0
        && m.meeting_date.as_str() >= today
}

fn code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..10)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// A citizen applies to observe. Returns the application's code.
#[tracing::instrument(name = "meetings::apply_to_observe", skip_all, fields(id))]
pub async fn apply(ctx: &Ctx, id: i64, input: &ApplyInput) -> Result<String> {
    let mut tx = ctx.begin().await?;
    let m = store::get(&mut tx, id)
        .await?
        .filter(is_published)
        .ok_or(Error::NotFound("会议"))?;
    if !open_for_applications(&m, &ctx.today().to_string()) {
        return Err(Error::Conflict(format!("{}不接受旁听申请", m.title)));
    }
    if observers::approved(&mut tx, id).await? >= m.observer_quota {
        return Err(Error::Conflict(format!(
            "{}的旁听席（{} 个）已满，不再接受申请",
            m.title, m.observer_quota
        )));
    }
    let mut check = Check::new();
    let name = check.text("name", "姓名", &input.name, 20);
    if name.chars().count() == 1 || name.chars().any(|c| c.is_ascii_digit()) {
        check.add("name", "请填写身份证上的姓名");
    }
    let id_card = if input.id_card.trim().is_empty() {
        check.add("id_card", "请填写身份证号");
        None
    } else {
        check.take(
            "id_card",
            IdCardNo::parse(&input.id_card).map_err(|e| e.to_string()),
        )
    };
    let phone = if input.phone.trim().is_empty() {
        check.add("phone", "请填写联系电话");
        None
    } else {
        check.take(
            "phone",
            PhoneNo::parse(&input.phone).map_err(|e| e.to_string()),
        )
    };
    if !input.consent {
        check.add("consent", "请阅读并同意个人信息的使用说明");
    }
    let index = id_card
        .as_ref()
        .map(|c| ctx.key.blind_index(ID_CARD_CTX, c.as_str()));
    if let Some(ix) = &index
        && observers::applied(&mut tx, id, ix).await?
    {
        check.add(
            "id_card",
            "该身份证号已申请旁听本次会议，请用申请编号查询结果",
        );
    }
    check.finish()?;
    let (Some(id_card), Some(phone), Some(index)) = (id_card, phone, index) else {
        return Err(Error::internal("checked application without ID or phone"));
    };
    let code = code();
    let row = observers::insert(
        &mut tx,
        &NewObserver {
            meeting_id: id,
            code: &code,
            name: &name,
            id_card_enc: &ctx.key.encrypt(ID_CARD_CTX, id_card.as_str()),
            id_card_index: &index,
            id_card_masked: &id_card.masked(),
            phone_enc: &ctx.key.encrypt(PHONE_CTX, phone.as_str()),
            phone_masked: &phone.masked(),
        },
        ctx.now_ms(),
    )
    .await?;
    let mut public = Actor::system("public");
    public.display_name = "公众".into();
    app::audit::record(
        &mut tx,
        &public,
        "meeting.observer_apply",
        "meeting",
        id,
        format!("{}：{name}申请旁听（申请 {row}）", m.title),
    )
    .await?;
    tx.commit().await?;
    Ok(code)
}

/// An application as its code finds it, with its meeting.
pub async fn by_code(ctx: &Ctx, code: &str) -> Result<(ObserverRow, MeetingRow)> {
    let mut c = ctx.db.read().await?;
    // Codes are written in capitals; a code typed in lower case is the same code.
    let o = observers::by_code(&mut c, &code.trim().to_ascii_uppercase())
        .await?
        .ok_or(Error::NotFound("旁听申请"))?;
    let m = store::get(&mut c, o.meeting_id)
        .await?
        .ok_or(Error::NotFound("旁听申请"))?;
    Ok((o, m))
}

/// The applications to a meeting, for staff.
pub async fn of_meeting(ctx: &Ctx, actor: &Actor, id: i64) -> Result<Vec<ObserverRow>> {
    let mut c = ctx.db.read().await?;
    super::managed(&mut c, actor, id).await?;
    Ok(observers::of_meeting(&mut c, id).await?)
}

async fn managed_application(
    tx: &mut db::Tx,
    actor: &Actor,
    id: i64,
) -> Result<(ObserverRow, MeetingRow)> {
    actor.require(kernel::roles::Permission::ManageMeetings)?;
    let o = observers::get(tx, id)
        .await?
        .ok_or(Error::NotFound("旁听申请"))?;
    let m = super::managed(tx, actor, o.meeting_id)
        .await
        .map_err(|_| Error::NotFound("旁听申请"))?;
    Ok((o, m))
}

/// Staff approve (within the quota) or decline an application.
#[tracing::instrument(name = "meetings::decide_observer", skip_all, fields(actor = %actor.username, id))]
pub async fn decide(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    input: &DecisionInput,
) -> Result<(i64, bool)> {
    let mut tx = ctx.begin().await?;
    let (o, m) = managed_application(&mut tx, actor, id).await?;
    let mut check = Check::new();
    let reason = check.optional("reason", "原因", &input.reason, 100);
    if !input.approve && reason.is_empty() {
        check.add("reason", "请说明未同意的原因，申请人查询时可见");
    }
    check.finish()?;
    if o.status != ObserverStatus::Pending.code() {
        return Err(Error::Conflict(format!(
            "该申请{}，不能再审核",
            ObserverStatus::parse(&o.status).map_or("", |s| s.label())
        )));
    }
    if input.approve {
        let taken = observers::approved(&mut tx, m.id).await?;
        if taken >= m.observer_quota {
            return Err(Error::Conflict(format!(
                "旁听名额 {} 人已满，不能再同意",
                m.observer_quota
            )));
        }
    }
    let to = if input.approve {
        ObserverStatus::Approved
    } else {
        ObserverStatus::Declined
    };
    let changed = if input.approve {
        observers::approve_within(&mut tx, id, m.id, m.observer_quota, ctx.now_ms()).await?
    } else {
        observers::set_status(
            &mut tx,
            id,
            "pending",
            to.code(),
            &reason,
            None,
            ctx.now_ms(),
        )
        .await?
    };
    if changed == 0 {
        return Err(Error::Conflict(
            "该申请已被他人审核，或旁听名额刚刚满员，请刷新后查看".into(),
        ));
    }
    app::audit::record(
        &mut tx,
        actor,
        "meeting.observer_decide",
        "meeting",
        m.id,
        format!("{}：{}的旁听申请{}", m.title, o.name, to.label()),
    )
    .await?;
    tx.commit().await?;
    Ok((m.id, input.approve))
}

/// Staff check an approved observer in at the door, on the day.
#[tracing::instrument(name = "meetings::observer_sign_in", skip_all, fields(actor = %actor.username, id))]
pub async fn check_in(ctx: &Ctx, actor: &Actor, id: i64) -> Result<i64> {
    let mut tx = ctx.begin().await?;
    let (o, m) = managed_application(&mut tx, actor, id).await?;
    if m.meeting_date != ctx.today().to_string() {
        return Err(Error::Conflict(format!(
            "旁听人员在会议当天（{}）入场登记",
            m.meeting_date
        )));
    }
    if o.status != ObserverStatus::Approved.code() {
        return Err(Error::Conflict(format!(
            "{}的申请{}，不能入场",
            o.name,
            ObserverStatus::parse(&o.status).map_or("", |s| s.label())
        )));
    }
    let now = ctx.now_ms();
    observers::set_status(&mut tx, id, "approved", "attended", "", Some(now), now).await?;
    app::audit::record(
        &mut tx,
        actor,
        "meeting.observer_sign_in",
        "meeting",
        m.id,
        format!("{}：旁听人员{}入场", m.title, o.name),
    )
    .await?;
    tx.commit().await?;
    Ok(m.id)
}
