//! The deputy's evaluation (满意度测评), re-handling after dissatisfaction,
//! follow-up of commitments (回头看), closing, and publication of replies.

use engine::rules::{
    self as tracked, AssignmentEvent, AssignmentState, ItemState, Satisfaction, UnitRole,
};
use kernel::roles::Permission;
use serde::Deserialize;

use super::review::as_staff;
use super::{link, readable, record_step, transition_error};
use app::actor::Actor;
use app::ctx::Ctx;
use app::error::{Error, Result};
use app::notify::{self, Audience};

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct EvaluationInput {
    /// The handling attitude: satisfied / basically_satisfied / dissatisfied.
    #[serde(default)]
    pub attitude: String,
    /// The result, rated separately.
    #[serde(default)]
    pub result: String,
    /// Required when either rating is 不满意.
    #[serde(default)]
    pub comment: String,
}

/// The lead deputy rates the reply. 不满意 starts re-handling with a new
/// deadline; otherwise the item goes to follow-up or closes.
pub async fn evaluate(
    ctx: &Ctx,
    actor: &Actor,
    suggestion_id: i64,
    input: &EvaluationInput,
) -> Result<ItemState> {
    actor.require(Permission::ProposeSuggestions)?;
    let attitude = Satisfaction::parse(&input.attitude)
        .ok_or_else(|| Error::field("attitude", "请评价办理态度"))?;
    let result = Satisfaction::parse(&input.result)
        .ok_or_else(|| Error::field("result", "请评价办理结果"))?;
    let comment = input.comment.trim();
    if tracked::needs_rehandling(attitude, result) && comment.chars().count() < 4 {
        return Err(Error::field(
            "comment",
            "不满意时请写明理由（上海规定第二十一条）",
        ));
    }
    if comment.chars().count() > 2000 {
        return Err(Error::field("comment", "意见不能超过 2000 字"));
    }
    let settings = ctx.settings().await?;
    let mut tx = ctx.db.begin().await?;
    let (s, st) = readable(&mut tx, actor, suggestion_id).await?;
    if !st.lead {
        return Err(Error::Forbidden);
    }
    let item_id = s
        .item_id
        .ok_or_else(|| Error::Conflict("尚未交办，不能测评".into()))?;
    let item = engine::store::get_item(&mut tx, item_id)
        .await?
        .ok_or(Error::Internal)?;
    if item.state != ItemState::Replied.code() {
        return Err(Error::Conflict("答复送达后才能测评".into()));
    }
    let now = kernel::time::now_ms();
    engine::store::insert_evaluation(
        &mut tx,
        item_id,
        item.round,
        actor.deputy_id.ok_or(Error::Forbidden)?,
        attitude.code(),
        result.code(),
        comment,
        now,
    )
    .await?;
    let open = engine::store::open_commitments(&mut tx, item_id).await? as usize;
    let next = tracked::after_evaluation(attitude, result, open);
    record_step(
        &mut tx,
        item_id,
        None,
        actor,
        "代表测评",
        &format!(
            "第 {} 轮：办理态度{}，办理结果{}；{comment}",
            item.round,
            attitude.label(),
            result.label()
        ),
    )
    .await?;
    let mut round = item.round;
    if next == ItemState::Handling {
        // 重办: every replying unit handles again under a new deadline.
        round += 1;
        let cal = ctx.calendar_with(&mut tx).await?;
        let d = tracked::rehandling_deadline(
            &cal,
            kernel::time::today(),
            settings.get("rehandling_months"),
        )
        .map_err(|e| Error::BadRequest(e.to_string()))?;
        for a in engine::store::assignments(&mut tx, item_id).await? {
            let (Some(role), Some(state)) =
                (UnitRole::parse(&a.role), AssignmentState::parse(&a.state))
            else {
                continue;
            };
            if state != AssignmentState::Replied {
                continue;
            }
            let to = tracked::transition(
                state,
                role,
                &AssignmentEvent::Rehandle,
                tracked::Party::System,
            )
            .map_err(transition_error)?;
            engine::store::set_assignment_state(&mut tx, a.id, to.code(), now).await?;
            engine::store::set_deadline(
                &mut tx,
                a.id,
                &d.due.to_string(),
                &format!("重办：{}", d.explain()),
                now,
            )
            .await?;
            notify::send(
                &mut tx,
                &[Audience::Unit(a.unit_id)],
                "建议须重新办理",
                &format!(
                    "代表对“{}”的答复不满意，请于 {} 前重新答复：{comment}",
                    s.title, d.due
                ),
                &link(s.id),
            )
            .await?;
        }
        record_step(
            &mut tx,
            item_id,
            None,
            actor,
            "进入重办",
            &format!("第 {round} 轮，期限 {}", d.due),
        )
        .await?;
        notify::send(
            &mut tx,
            &[Audience::CongressStaff(s.congress_id)],
            "代表不满意，进入重办",
            &format!("“{}”：{comment}", s.title),
            &link(s.id),
        )
        .await?;
    } else if next == ItemState::Closed {
        record_step(
            &mut tx,
            item_id,
            None,
            actor,
            "办结",
            "代表满意，无待落实承诺",
        )
        .await?;
    }
    engine::store::set_item_state(&mut tx, item_id, next.code(), round, now).await?;
    app::audit::record(
        &mut tx,
        actor,
        "item.evaluate",
        "suggestion",
        s.id,
        format!(
            "态度{}，结果{} → {}",
            attitude.label(),
            result.label(),
            next.label()
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(next)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct FulfilInput {
    /// What shows the commitment is kept (documents, photos, figures).
    #[serde(default)]
    pub evidence: String,
}

/// Marks a commitment fulfilled with evidence (the unit, or staff on its
/// behalf); the item closes when none is left open.
pub async fn fulfil(
    ctx: &Ctx,
    actor: &Actor,
    commitment_id: i64,
    input: &FulfilInput,
) -> Result<ItemState> {
    if !(actor.can(Permission::HandleItems) || actor.can(Permission::ManageSuggestions)) {
        return Err(Error::Forbidden);
    }
    let evidence = input.evidence.trim();
    if evidence.chars().count() < 4 || evidence.chars().count() > 5000 {
        return Err(Error::field(
            "evidence",
            "请说明落实情况和佐证（4 到 5000 字）",
        ));
    }
    let mut tx = ctx.db.begin().await?;
    let c = engine::store::get_commitment(&mut tx, commitment_id)
        .await?
        .ok_or(Error::NotFound("承诺事项"))?;
    let s = crate::store::suggestions::by_item(&mut tx, c.item_id)
        .await?
        .ok_or(Error::NotFound("承诺事项"))?;
    let st = super::standing(&mut tx, actor, &s).await?;
    let reply = engine::store::replies(&mut tx, c.item_id)
        .await?
        .into_iter()
        .find(|r| r.id == c.reply_id)
        .ok_or(Error::Internal)?;
    let own_unit = st.unit_assignments.contains(&reply.assignment_id);
    if !(own_unit || st.staff) {
        return Err(if st.can_read() {
            Error::Forbidden
        } else {
            Error::NotFound("承诺事项")
        });
    }
    let now = kernel::time::now_ms();
    if engine::store::fulfil_commitment(&mut tx, c.id, evidence, actor.user_id, now).await? == 0 {
        return Err(Error::Conflict("该承诺已落实".into()));
    }
    record_step(
        &mut tx,
        c.item_id,
        Some(reply.assignment_id),
        actor,
        "承诺落实",
        &format!("{}：{evidence}", c.text),
    )
    .await?;
    let item = engine::store::get_item(&mut tx, c.item_id)
        .await?
        .ok_or(Error::Internal)?;
    let mut state = ItemState::parse(&item.state).ok_or(Error::Internal)?;
    if state == ItemState::FollowUp
        && engine::store::open_commitments(&mut tx, c.item_id).await? == 0
    {
        state = ItemState::Closed;
        engine::store::set_item_state(&mut tx, c.item_id, state.code(), item.round, now).await?;
        record_step(&mut tx, c.item_id, None, actor, "办结", "承诺事项全部落实").await?;
        notify::send(
            &mut tx,
            &[Audience::Deputy(s.lead_deputy_id)],
            "建议已办结",
            &format!("“{}”的承诺事项已全部落实", s.title),
            &link(s.id),
        )
        .await?;
    }
    app::audit::record(
        &mut tx,
        actor,
        "item.fulfil",
        "commitment",
        c.id,
        format!("落实“{}”", c.text),
    )
    .await?;
    tx.commit().await?;
    Ok(state)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct PublicationInput {
    /// `publish`, `withhold` or `unpublish`.
    #[serde(default)]
    pub action: String,
    /// Required when withholding.
    #[serde(default)]
    pub reason: String,
}

/// Publishing is separate from answering: staff publish replied items, or
/// withhold them with a reason. Confidential items are never published.
pub async fn set_publication(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    input: &PublicationInput,
) -> Result<()> {
    let mut tx = ctx.db.begin().await?;
    let s = as_staff(&mut tx, actor, id).await?;
    let item = match s.item_id {
        Some(i) => engine::store::get_item(&mut tx, i).await?,
        None => None,
    };
    let replied = item.is_some_and(|i| i.replied_at.is_some());
    let reason = input.reason.trim();
    let (publication, note) = match input.action.as_str() {
        "publish" => {
            if !replied {
                return Err(Error::Conflict("答复后才能公开".into()));
            }
            if s.confidential == 1 {
                return Err(Error::Conflict(
                    "该件已标记为涉密或不宜公开，不能公开".into(),
                ));
            }
            ("published", "公开答复")
        }
        "withhold" => {
            if reason.chars().count() < 2 {
                return Err(Error::field("reason", "不予公开须说明理由"));
            }
            ("withheld", reason)
        }
        "unpublish" => ("unpublished", "撤回公开"),
        _ => {
            return Err(Error::field(
                "action",
                "操作应为 publish、withhold 或 unpublish",
            ));
        }
    };
    crate::store::suggestions::set_publication(
        &mut tx,
        id,
        publication,
        if publication == "withheld" {
            reason
        } else {
            ""
        },
        kernel::time::now_ms(),
    )
    .await?;
    if let Some(i) = s.item_id {
        record_step(&mut tx, i, None, actor, "公开设置", note).await?;
    }
    app::audit::record(
        &mut tx,
        actor,
        "suggestion.publication",
        "suggestion",
        id,
        format!("{publication}：{note}"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Marks an item confidential (never published) or not.
pub async fn set_confidential(ctx: &Ctx, actor: &Actor, id: i64, on: bool) -> Result<()> {
    let mut tx = ctx.db.begin().await?;
    let s = as_staff(&mut tx, actor, id).await?;
    let now = kernel::time::now_ms();
    crate::store::suggestions::set_confidential(&mut tx, id, on, now).await?;
    if on && s.publication == "published" {
        crate::store::suggestions::set_publication(&mut tx, id, "withheld", "涉密或不宜公开", now)
            .await?;
    }
    app::audit::record(
        &mut tx,
        actor,
        "suggestion.confidential",
        "suggestion",
        id,
        format!("不宜公开：{on}"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
