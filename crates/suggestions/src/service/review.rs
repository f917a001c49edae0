//! Staff review: accept, return for revision (置回), refuse as not a
//! suggestion, merge duplicates, set the category, convert a motion not
//! placed on the agenda, and mark key supervision (重点督办).

use crate::rules::{
    SignerStatus, SuggestionEvent, SuggestionKind, SuggestionParty, SuggestionState, transition,
};
use crate::store::suggestions::SuggestionRow;
use db::Conn;
use kernel::roles::Permission;
use serde::Deserialize;

use super::{link, load, standing};
use app::actor::Actor;
use app::ctx::Ctx;
use app::error::{Error, Result};
use app::notify::{self, Audience};

/// Loads a suggestion the actor reviews as staff of its congress.
pub(crate) async fn as_staff(conn: &mut Conn, actor: &Actor, id: i64) -> Result<SuggestionRow> {
    actor.require(Permission::ManageSuggestions)?;
    let s = load(conn, id).await?;
    if !standing(conn, actor, &s).await?.staff {
        return Err(Error::NotFound("建议"));
    }
    Ok(s)
}

fn state_of(s: &SuggestionRow) -> Result<SuggestionState> {
    SuggestionState::parse(&s.state)
        .ok_or_else(|| Error::internal(format!("suggestion {} has state {}", s.id, s.state)))
}

/// A staff step on one item: the event, the note kept on the item, and the
/// lead deputy's notice (title, text).
struct Step<'a> {
    event: SuggestionEvent,
    note: &'a str,
    notice: (&'a str, &'a str),
}

const ACCEPT: Step<'static> = Step {
    event: SuggestionEvent::Accept,
    note: "审核通过",
    notice: ("建议已通过审核", "已通过审核，等待交办"),
};

async fn move_to(ctx: &Ctx, actor: &Actor, id: i64, step: &Step<'_>) -> Result<()> {
    let mut tx = ctx.begin().await?;
    let mut notices = notify::Batch::default();
    move_in(&mut tx, actor, id, step, &mut notices).await?;
    notices.send(&mut tx, super::list_link).await?;
    tx.commit().await?;
    Ok(())
}

/// Moves one item by a staff step, with its audit record; the deputy's
/// notice goes into `notices`.
async fn move_in(
    tx: &mut db::Tx,
    actor: &Actor,
    id: i64,
    step: &Step<'_>,
    notices: &mut notify::Batch,
) -> Result<()> {
    let s = as_staff(tx, actor, id).await?;
    let to = transition(state_of(&s)?, step.event, SuggestionParty::Staff)
        .map_err(engine::service::transition_error)?;
    let at = tx.at();
    crate::store::suggestions::set_state(tx, id, to.code(), step.note, at).await?;
    notices.add(
        Audience::Deputy(s.lead_deputy_id),
        step.notice.0,
        format!("“{}”：{}", s.title, step.notice.1),
        link(id),
    );
    app::audit::record(
        tx,
        actor,
        &format!("suggestion.{}", to.code()),
        "suggestion",
        id,
        format!("{}：{}", step.event.label(), step.note),
    )
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ReasonInput {
    #[serde(default)]
    pub reason: String,
}

/// Accepts for assignment (政治关、法律关、政策关 passed).
#[tracing::instrument(name = "suggestions::review::accept", skip_all, fields(actor = %actor.username, id))]
pub async fn accept(ctx: &Ctx, actor: &Actor, id: i64) -> Result<()> {
    move_to(ctx, actor, id, &ACCEPT).await
}

/// Accepts several submitted items at once (the review meeting's list): all of
/// them or, if any cannot be accepted, none, with the reason naming the item.
#[tracing::instrument(name = "suggestions::review::accept_many", skip_all, fields(actor = %actor.username))]
pub async fn accept_many(ctx: &Ctx, actor: &Actor, ids: &[i64]) -> Result<usize> {
    actor.require(Permission::ManageSuggestions)?;
    let ids = super::batch_ids(ids, "请先在列表中勾选要受理的建议")?;
    let mut tx = ctx.begin().await?;
    let mut notices = notify::Batch::default();
    for id in &ids {
        let r = move_in(&mut tx, actor, *id, &ACCEPT, &mut notices).await;
        if let Err(Error::Conflict(m)) = r {
            // Name the item that stopped the batch.
            let title = load(&mut tx, *id)
                .await
                .map(|s| s.title)
                .unwrap_or_default();
            return Err(Error::Conflict(format!("“{title}”：{m}")));
        }
        r?;
    }
    notices.send(&mut tx, super::list_link).await?;
    tx.commit().await?;
    Ok(ids.len())
}

/// Returns to the deputy for revision, with a reason.
#[tracing::instrument(name = "suggestions::review::return_for_revision", skip_all, fields(actor = %actor.username, id))]
pub async fn return_for_revision(ctx: &Ctx, actor: &Actor, id: i64, reason: &str) -> Result<()> {
    actor.require(Permission::ManageSuggestions)?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(Error::field("reason", "请填写置回理由（500 字以内）"));
    }
    let step = Step {
        event: SuggestionEvent::ReturnForRevision,
        note: reason,
        notice: ("建议被置回修改", reason),
    };
    move_to(ctx, actor, id, &step).await
}

/// Refuses as not a suggestion, with a reason from the configured list.
#[tracing::instrument(name = "suggestions::review::refuse", skip_all, fields(actor = %actor.username, id))]
pub async fn refuse(ctx: &Ctx, actor: &Actor, id: i64, reason: &str) -> Result<()> {
    actor.require(Permission::ManageSuggestions)?;
    let reasons = app::options::get(ctx, &crate::rules::REFUSAL_REASONS).await?;
    if !reasons.iter().any(|r| r == reason.trim()) {
        return Err(Error::field("reason", "请从列表中选择不予立案的理由"));
    }
    let step = Step {
        event: SuggestionEvent::Refuse,
        note: reason.trim(),
        notice: ("建议不予立案", reason.trim()),
    };
    move_to(ctx, actor, id, &step).await
}

/// Merges `id` into `into`: the merged one ends, the target keeps its
/// deputies as originating deputies.
#[tracing::instrument(name = "suggestions::review::merge", skip_all, fields(actor = %actor.username, id))]
pub async fn merge(ctx: &Ctx, actor: &Actor, id: i64, into: i64) -> Result<()> {
    actor.require(Permission::ManageSuggestions)?;
    if id == into {
        return Err(Error::field("into", "不能与自身并案"));
    }
    let mut tx = ctx.begin().await?;
    let s = as_staff(&mut tx, actor, id).await?;
    let target = as_staff(&mut tx, actor, into)
        .await
        .map_err(|_| Error::field("into", "并入的建议不存在或不在您的管理范围内"))?;
    if target.congress_id != s.congress_id {
        return Err(Error::field("into", "只能与同一人大的建议并案"));
    }
    if !matches!(
        state_of(&target)?,
        SuggestionState::Submitted | SuggestionState::Accepted
    ) {
        return Err(Error::field("into", "并入的建议须处于待审核或待交办状态"));
    }
    transition(
        state_of(&s)?,
        SuggestionEvent::Merge,
        SuggestionParty::Staff,
    )
    .map_err(engine::service::transition_error)?;
    let now = ctx.now_ms();
    crate::store::suggestions::set_merged(&mut tx, id, into, now).await?;
    for g in crate::store::suggestions::signers(&mut tx, id).await? {
        if g.status == SignerStatus::Confirmed.code() {
            crate::store::suggestions::add_signer(
                &mut tx,
                into,
                g.deputy_id,
                "origin",
                SignerStatus::Confirmed.code(),
                now,
            )
            .await?;
        }
    }
    let text = format!(
        "“{}”已并入第 {} 号“{}”办理",
        s.title,
        target.number.unwrap_or(0),
        target.title
    );
    notify::send(
        &mut tx,
        &[Audience::Deputy(s.lead_deputy_id)],
        "建议已并案办理",
        &text,
        &link(into),
    )
    .await?;
    app::audit::record(&mut tx, actor, "suggestion.merge", "suggestion", id, text).await?;
    tx.commit().await?;
    Ok(())
}

#[tracing::instrument(name = "suggestions::review::set_category", skip_all, fields(actor = %actor.username, id))]
pub async fn set_category(ctx: &Ctx, actor: &Actor, id: i64, category: &str) -> Result<()> {
    let mut tx = ctx.begin().await?;
    let s = as_staff(&mut tx, actor, id).await?;
    let categories = app::options::labels(&mut tx, &crate::rules::CATEGORIES).await?;
    if !categories.iter().any(|c| c == category.trim()) {
        return Err(Error::field("category", "分类不在可选范围内"));
    }
    crate::store::suggestions::set_category(&mut tx, id, category.trim(), ctx.now_ms()).await?;
    app::audit::record(
        &mut tx,
        actor,
        "suggestion.category",
        "suggestion",
        id,
        format!("分类 {} → {}", s.category, category.trim()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A motion the presidium did not place on the agenda is handled as a suggestion.
#[tracing::instrument(name = "suggestions::review::convert_motion", skip_all, fields(actor = %actor.username, id))]
pub async fn convert_motion(ctx: &Ctx, actor: &Actor, id: i64, reason: &str) -> Result<()> {
    let mut tx = ctx.begin().await?;
    let s = as_staff(&mut tx, actor, id).await?;
    if s.kind != SuggestionKind::Motion.code() {
        return Err(Error::Conflict("只有议案可以转为建议".into()));
    }
    if !matches!(
        state_of(&s)?,
        SuggestionState::Submitted | SuggestionState::Accepted
    ) {
        return Err(Error::Conflict("该议案已处理，不能转为建议".into()));
    }
    let reason = if reason.trim().is_empty() {
        "大会主席团决定不列入会议议程，作为代表建议处理"
    } else {
        reason.trim()
    };
    crate::store::suggestions::convert_to_suggestion(&mut tx, id, reason, ctx.now_ms()).await?;
    notify::send(
        &mut tx,
        &[Audience::Deputy(s.lead_deputy_id)],
        "议案转为建议办理",
        &format!("“{}”：{reason}", s.title),
        &link(id),
    )
    .await?;
    app::audit::record(
        &mut tx,
        actor,
        "suggestion.convert",
        "suggestion",
        id,
        reason,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct SupervisionInput {
    #[serde(default, deserialize_with = "app::de::flex_bool")]
    pub key_supervision: bool,
    /// The congress leader who supervises (领衔督办).
    #[serde(default)]
    pub supervising_leader: String,
    /// The government official who leads the handling (领办).
    #[serde(default)]
    pub leading_official: String,
}

/// Marks (or unmarks) key supervision with its leaders.
#[tracing::instrument(name = "suggestions::review::set_supervision", skip_all, fields(actor = %actor.username, id))]
pub async fn set_supervision(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    input: &SupervisionInput,
) -> Result<()> {
    let mut tx = ctx.begin().await?;
    let s = as_staff(&mut tx, actor, id).await?;
    let leader = input.supervising_leader.trim();
    let official = input.leading_official.trim();
    if input.key_supervision && leader.is_empty() {
        return Err(Error::field(
            "supervising_leader",
            "重点督办须填写领衔督办的人大领导",
        ));
    }
    if leader.chars().count() > 40 || official.chars().count() > 40 {
        return Err(Error::field(
            "supervising_leader",
            "姓名职务不能超过 40 个字",
        ));
    }
    let now = ctx.now_ms();
    crate::store::suggestions::set_supervision(
        &mut tx,
        id,
        input.key_supervision,
        leader,
        official,
        now,
    )
    .await?;
    if let Some(item) = s.item_id {
        engine::service::record_step(
            &mut tx,
            item,
            None,
            actor,
            if input.key_supervision {
                "列为重点督办"
            } else {
                "取消重点督办"
            },
            &format!("领衔督办：{leader}；领办：{official}"),
        )
        .await?;
    }
    app::audit::record(
        &mut tx,
        actor,
        "suggestion.supervision",
        "suggestion",
        id,
        format!("重点督办 {}：{leader} / {official}", input.key_supervision),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
