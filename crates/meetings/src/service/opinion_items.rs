//! A deliberation opinion's handling: staff assign it to the units that will
//! study it, which opens its tracked item on the engine ([`crate::opinion_kind`]);
//! the engine runs the rest (replies, the head's sign-off, the office's rating).

use app::{Actor, Ctx, Error, Result};
use engine::service::assign::{AssignInput, Clock, Subject, open, plan};
use engine::service::view::ItemView;

use crate::opinion_kind::{OpinionKind, RULES};
use crate::rules::OutputKind;
use crate::store::outputs::{self, OutputRow};
use crate::store::{self, MeetingRow};

/// The output's page link.
pub fn link(id: i64) -> String {
    format!("/meeting-outputs/{id}")
}

/// Assigns a deliberation opinion to units; returns its tracked item.
#[tracing::instrument(name = "meetings::assign_opinion", skip_all, fields(actor = %actor.username, id))]
pub async fn assign(ctx: &Ctx, actor: &Actor, id: i64, input: &AssignInput) -> Result<i64> {
    actor.require(kernel::roles::Permission::ManageMeetings)?;
    let settings = ctx.settings().await?;
    let mut tx = ctx.begin().await?;
    let o = outputs::get(&mut tx, id)
        .await?
        .ok_or(Error::NotFound("会议文件"))?;
    let m = super::managed(&mut tx, actor, o.meeting_id)
        .await
        .map_err(|_| Error::NotFound("会议文件"))?;
    if o.kind != OutputKind::Opinion.code() {
        return Err(Error::Conflict("只有审议意见交办承办单位研究处理".into()));
    }
    if o.item_id.is_some() {
        return Err(Error::Conflict("该审议意见已交办".into()));
    }
    let cal = ctx.calendar_with(&mut tx).await?;
    let clock = Clock {
        cal: &cal,
        settings: &settings,
        today: ctx.today(),
    };
    let p = plan(&mut tx, &RULES, m.congress_id, input).await?;
    let mut notices = app::notify::Batch::default();
    let title = format!("{}（{}）", o.title, o.number);
    let subject = Subject {
        id: o.id,
        congress_id: m.congress_id,
        title: &title,
        link: link(o.id),
        proposer_kind: "body",
        proposer_id: Some(m.body_id),
    };
    let (item, names) = open(
        &mut tx,
        actor,
        &OpinionKind,
        &clock,
        &subject,
        &p,
        &mut notices,
    )
    .await?;
    if outputs::set_item(&mut tx, o.id, item, ctx.now_ms()).await? == 0 {
        return Err(Error::Conflict("该审议意见已交办".into()));
    }
    app::audit::record(
        &mut tx,
        actor,
        "meeting.opinion_assign",
        "meeting",
        m.id,
        format!("审议意见 {} 交办 {}", o.number, names.join("、")),
    )
    .await?;
    notices.send(&mut tx, |_| "/work".to_string()).await?;
    tx.commit().await?;
    Ok(item)
}

/// An output's page: the output, its meeting, and (for an assigned opinion)
/// its item as the actor may see it. The meeting's viewers see the output;
/// a unit that handles the opinion sees it through its item.
pub struct OutputView {
    pub output: OutputRow,
    pub meeting: MeetingRow,
    pub item: Option<ItemView>,
    pub can_assign: bool,
}

#[tracing::instrument(name = "meetings::output_view", skip_all, fields(actor = %actor.username, id))]
pub async fn view(ctx: &Ctx, actor: &Actor, id: i64) -> Result<OutputView> {
    let mut c = ctx.db.read().await?;
    let o = outputs::get(&mut c, id)
        .await?
        .ok_or(Error::NotFound("会议文件"))?;
    let meeting = store::get(&mut c, o.meeting_id)
        .await?
        .ok_or(Error::NotFound("会议文件"))?;
    let sees_meeting = super::visible(&mut c, actor, o.meeting_id).await.is_ok();
    let item = match engine::service::view::of_subject(ctx, &mut c, actor, RULES.kind, o.id).await {
        Ok(v) => v,
        Err(Error::NotFound(_)) => None,
        Err(e) => return Err(e),
    };
    if !sees_meeting && item.is_none() {
        return Err(Error::NotFound("会议文件"));
    }
    Ok(OutputView {
        can_assign: sees_meeting
            && actor.can(kernel::roles::Permission::ManageMeetings)
            && o.kind == OutputKind::Opinion.code()
            && o.item_id.is_none(),
        output: o,
        meeting,
        item,
    })
}
