//! The assisting units' opinions the lead unit waits for before it replies,
//! and staff's leave to reply without them ([`rules::check_opinions_before_reply`]).

use app::notify::{self, Audience};
use app::{Actor, Ctx, Error, Result};
use serde::Deserialize;

use super::{load_assignment, record_step, stored};
use crate::kind::require_some;
use crate::rules::{self, AssignmentState, PendingOpinion, UnitRole};
use crate::store::AssignmentRow;

/// The assisting units on an item that have not sent their opinion.
pub fn pending(assignments: &[AssignmentRow]) -> Vec<PendingOpinion> {
    assignments
        .iter()
        .filter(|a| {
            UnitRole::parse(&a.role) == Some(UnitRole::Assisting)
                && AssignmentState::parse(&a.state) == Some(AssignmentState::Handling)
        })
        .map(|a| PendingOpinion {
            unit_name: a.unit_name.clone(),
            due_date: a.due_date.clone(),
        })
        .collect()
}

/// Whether the deployment makes the lead unit wait (a setting).
pub fn required(settings: &app::settings::Settings) -> bool {
    settings.get("lead_waits_for_opinions") == 1
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct WaiveInput {
    #[serde(default)]
    pub reason: String,
}

/// Staff let the lead unit reply before the outstanding opinions, with a
/// reason; the unit is told, and the step is in the item's log.
#[tracing::instrument(name = "engine::opinions::waive", skip_all, fields(actor = %actor.username, assignment_id))]
pub async fn waive(ctx: &Ctx, actor: &Actor, assignment_id: i64, input: &WaiveInput) -> Result<()> {
    require_some(ctx, actor, |p| p.manage)?;
    let reason = input.reason.trim();
    if !(4..=500).contains(&reason.chars().count()) {
        return Err(Error::field(
            "reason",
            "请说明同意主办单位先行答复的理由（4 到 500 字）",
        ));
    }
    let mut tx = ctx.begin().await?;
    let (a, l) = load_assignment(ctx, &mut tx, actor, assignment_id).await?;
    actor.require(l.kind.rules().permissions.manage)?;
    if !l.standing.staff {
        return Err(Error::Forbidden);
    }
    let role = stored(UnitRole::parse, &a.role, "unit role")?;
    let state = stored(AssignmentState::parse, &a.state, "assignment state")?;
    let outstanding = pending(&l.assignments);
    if role != UnitRole::Lead || state != AssignmentState::Handling {
        return Err(Error::Conflict(
            "只有正在办理的主办单位需要等待协办意见".into(),
        ));
    }
    if outstanding.is_empty() {
        return Err(Error::Conflict(
            "协办意见均已报送，主办单位可以直接答复".into(),
        ));
    }
    if a.opinions_waived.is_some() {
        return Err(Error::Conflict("已同意该单位先行答复".into()));
    }
    let now = ctx.now_ms();
    crate::store::set_opinions_waived(&mut tx, a.id, reason, now).await?;
    let units: Vec<&str> = outstanding.iter().map(|p| p.unit_name.as_str()).collect();
    record_step(
        &mut tx,
        a.item_id,
        Some(a.id),
        actor,
        "同意先行答复",
        &format!(
            "{}可不待{}的协办意见先行答复：{reason}",
            a.unit_name,
            units.join("、")
        ),
    )
    .await?;
    notify::send(
        &mut tx,
        &[Audience::Unit(a.unit_id)],
        "可先行答复",
        &format!(
            "人大工作机构同意你单位不待协办意见先行答复“{}”：{reason}",
            l.item.title
        ),
        &l.item.link,
    )
    .await?;
    app::audit::record(
        &mut tx,
        actor,
        "item.waive_opinions",
        "assignment",
        a.id,
        format!("同意先行答复：{reason}"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The same check the reply is held to, for the form to show beforehand.
pub fn reply_blocked(
    a: &AssignmentRow,
    all: &[AssignmentRow],
    settings: &app::settings::Settings,
) -> Option<String> {
    let role = UnitRole::parse(&a.role)?;
    rules::check_opinions_before_reply(
        role,
        &pending(all),
        required(settings),
        a.opinions_waived.is_some(),
    )
    .err()
}
