//! The evaluation of the replies (满意度测评) by whoever the kind names,
//! re-handling after dissatisfaction, follow-up of commitments (回头看) and
//! closing.

use app::notify::{self, Audience};
use app::{Actor, Ctx, Error, Result};
use serde::Deserialize;

use super::{readable, record_step, stored, transition_error};
use crate::kind::Notice;
use crate::rules::{
    self, AssignmentEvent, AssignmentState, Basis, Evaluator, ItemState, Party, Satisfaction,
    Scale, UnitRole,
};

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct EvaluationInput {
    /// The handling attitude: satisfied / basically_satisfied / dissatisfied
    /// (where the kind rates it).
    #[serde(default)]
    pub attitude: String,
    /// The result, rated separately.
    #[serde(default)]
    pub result: String,
    /// Required when either rating is 不满意.
    #[serde(default)]
    pub comment: String,
}

/// The evaluator rates the replies. 不满意 starts re-handling with a new
/// deadline where the kind re-handles; otherwise the item goes to follow-up
/// or closes.
#[tracing::instrument(name = "engine::evaluate::evaluate", skip_all, fields(actor = %actor.username, item_id))]
pub async fn evaluate(
    ctx: &Ctx,
    actor: &Actor,
    item_id: i64,
    input: &EvaluationInput,
) -> Result<ItemState> {
    let may = |p: &crate::rules::Permissions| p.evaluate.is_none_or(|e| actor.can(e));
    if !crate::kind::kinds(ctx)?
        .rules()
        .iter()
        .any(|r| may(&r.permissions))
    {
        return Err(Error::Forbidden);
    }
    let settings = ctx.settings().await?;
    let mut tx = ctx.begin().await?;
    let l = readable(ctx, &mut tx, actor, item_id, "事项").await?;
    let rules = l.kind.rules();
    if !may(&rules.permissions) {
        return Err(Error::Forbidden);
    }
    let result = Satisfaction::parse(&input.result)
        .ok_or_else(|| Error::field("result", "请评价办理结果"))?;
    let attitude = match rules.scale {
        Scale::AttitudeAndResult => Satisfaction::parse(&input.attitude)
            .ok_or_else(|| Error::field("attitude", "请评价办理态度"))?,
        Scale::Result => result,
    };
    let comment = input.comment.trim();
    if rules::needs_rehandling(attitude, result) && comment.chars().count() < 4 {
        let local = ctx.settings().await?.local;
        let cite = rules
            .rehandling
            .map(|r| r.cite.suffix(&local))
            .unwrap_or_default();
        return Err(Error::field("comment", format!("不满意时请写明理由{cite}")));
    }
    if comment.chars().count() > 2000 {
        return Err(Error::field("comment", "意见不能超过 2000 字"));
    }
    let evaluator = match rules.evaluator {
        Evaluator::Proposer if l.standing.proposer => {
            (l.item.proposer_kind.clone(), l.item.proposer_id)
        }
        Evaluator::Staff if l.standing.staff => ("staff".to_string(), actor.user_id),
        _ => return Err(Error::Forbidden),
    };
    let item = &l.item;
    if item.state != ItemState::Replied.code() {
        return Err(Error::Conflict("答复送达后才能测评".into()));
    }
    let now = ctx.now_ms();
    crate::store::insert_evaluation(
        &mut tx,
        item.id,
        item.round,
        (&evaluator.0, evaluator.1),
        if rules.scale == Scale::Result {
            ""
        } else {
            attitude.code()
        },
        result.code(),
        comment,
        now,
    )
    .await?;
    let open = crate::store::open_commitments(&mut tx, item.id).await? as usize;
    let next = rules::after_evaluation(attitude, result, open, rules.rehandling.is_some());
    let rated = match rules.scale {
        Scale::AttitudeAndResult => {
            format!("办理态度{}，办理结果{}", attitude.label(), result.label())
        }
        Scale::Result => format!("办理结果{}", result.label()),
    };
    record_step(
        &mut tx,
        item.id,
        None,
        actor,
        &format!("{}测评", rules.evaluator_noun()),
        &format!("第 {} 轮：{rated}；{comment}", item.round),
    )
    .await?;
    let mut round = item.round;
    if next == ItemState::Handling
        && let Some(rh) = rules.rehandling
    {
        // 重办: every replying unit handles again under a new deadline.
        round += 1;
        let cal = ctx.calendar_with(&mut tx).await?;
        let basis = Basis {
            start: ctx.today(),
            period: rh.period.resolve(|k| settings.get(k)),
        };
        let d = basis
            .compute(&cal)
            .map_err(|e| Error::BadRequest(e.to_string()))?;
        for a in &l.assignments {
            let (Some(role), Some(state)) =
                (UnitRole::parse(&a.role), AssignmentState::parse(&a.state))
            else {
                continue;
            };
            if state != AssignmentState::Replied {
                continue;
            }
            let to = rules::transition(
                state,
                role,
                &AssignmentEvent::Rehandle,
                Party::System,
                rules.signoff,
            )
            .map_err(transition_error)?;
            crate::store::set_assignment_state(&mut tx, a.id, to.code(), now).await?;
            crate::store::set_deadline(
                &mut tx,
                a.id,
                &crate::store::NewDeadline {
                    due: &d.due.to_string(),
                    rule: &format!("重办：{}", d.explain()),
                    basis: &basis.code(),
                    // The return window of the first round no longer matters.
                    provisional: d.is_provisional(),
                },
                now,
            )
            .await?;
            notify::send(
                &mut tx,
                &[Audience::Unit(a.unit_id)],
                &format!("{}须重新办理", rules.noun),
                &format!(
                    "{}对“{}”的答复不满意，请于 {} 前重新答复：{comment}",
                    rules.evaluator_noun(),
                    item.title,
                    d.due
                ),
                &item.link,
            )
            .await?;
        }
        record_step(
            &mut tx,
            item.id,
            None,
            actor,
            "进入重办",
            &format!("第 {round} 轮，期限 {}", d.due),
        )
        .await?;
        notify::send(
            &mut tx,
            &[Audience::CongressStaff(item.congress_id)],
            &format!("{}不满意，进入重办", rules.evaluator_noun()),
            &format!("“{}”：{comment}", item.title),
            &item.link,
        )
        .await?;
    } else if next == ItemState::Closed {
        record_step(
            &mut tx,
            item.id,
            None,
            actor,
            "办结",
            &format!("{}满意，无待落实承诺", rules.evaluator_noun()),
        )
        .await?;
        l.kind.on_close(&mut tx, item).await?;
    }
    crate::store::set_item_state(&mut tx, item.id, next.code(), round, now).await?;
    app::audit::record(
        &mut tx,
        actor,
        "item.evaluate",
        &item.kind,
        item.subject_id.unwrap_or(item.id),
        format!("{rated} → {}", next.label()),
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
#[tracing::instrument(name = "engine::evaluate::fulfil", skip_all, fields(actor = %actor.username, commitment_id))]
pub async fn fulfil(
    ctx: &Ctx,
    actor: &Actor,
    commitment_id: i64,
    input: &FulfilInput,
) -> Result<ItemState> {
    let may = |p: &crate::rules::Permissions| actor.can(p.handle) || actor.can(p.manage);
    if !crate::kind::kinds(ctx)?
        .rules()
        .iter()
        .any(|r| may(&r.permissions))
    {
        return Err(Error::Forbidden);
    }
    let evidence = input.evidence.trim();
    if evidence.chars().count() < 4 || evidence.chars().count() > 5000 {
        return Err(Error::field(
            "evidence",
            "请说明落实情况和佐证（4 到 5000 字）",
        ));
    }
    let mut tx = ctx.begin().await?;
    let c = crate::store::get_commitment(&mut tx, commitment_id)
        .await?
        .ok_or(Error::NotFound("承诺事项"))?;
    let l = readable(ctx, &mut tx, actor, c.item_id, "承诺事项").await?;
    if !may(&l.kind.rules().permissions) {
        return Err(Error::Forbidden);
    }
    let reply = crate::store::get_reply(&mut tx, c.reply_id)
        .await?
        .ok_or_else(|| Error::internal(format!("commitment {} has no reply", c.id)))?;
    let own_unit = l.standing.unit_assignments.contains(&reply.assignment_id);
    if !(own_unit || l.standing.staff) {
        return Err(Error::Forbidden);
    }
    if !reply.sent() {
        return Err(Error::Conflict(
            "该承诺所在的答复尚未签发送达，送达后才能确认落实".into(),
        ));
    }
    let now = ctx.now_ms();
    if crate::store::fulfil_commitment(&mut tx, c.id, evidence, actor.user_id, now).await? == 0 {
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
    let item = &l.item;
    let mut state = stored(ItemState::parse, &item.state, "item state")?;
    if state == ItemState::FollowUp
        && crate::store::open_commitments(&mut tx, c.item_id).await? == 0
    {
        state = ItemState::Closed;
        crate::store::set_item_state(&mut tx, c.item_id, state.code(), item.round, now).await?;
        record_step(&mut tx, c.item_id, None, actor, "办结", "承诺事项全部落实").await?;
        let (title, text) = l.kind.notice(Notice::Closed, item, "");
        notify::send(
            &mut tx,
            &l.kind.proposer_audience(item),
            &title,
            &text,
            &item.link,
        )
        .await?;
        l.kind.on_close(&mut tx, item).await?;
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
