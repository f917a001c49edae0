//! The deputy's evaluation of a suggestion's replies (the engine runs it),
//! and publication of replies (公开), which is the suggestion's own.

use app::{Actor, Ctx, Error, Result};
use engine::rules::ItemState;
use engine::service::record_step;
use serde::Deserialize;

use super::readable;
use super::review::as_staff;

pub use engine::service::evaluate::EvaluationInput;

/// The lead deputy rates the replies to a suggestion (the engine's
/// evaluation of its item).
#[tracing::instrument(name = "suggestions::evaluate::evaluate", skip_all, fields(actor = %actor.username, suggestion_id))]
pub async fn evaluate(
    ctx: &Ctx,
    actor: &Actor,
    suggestion_id: i64,
    input: &EvaluationInput,
) -> Result<ItemState> {
    let item_id = {
        let mut c = ctx.db.read().await?;
        let (s, _) = readable(&mut c, actor, suggestion_id).await?;
        s.item_id
            .ok_or_else(|| Error::Conflict("尚未交办，不能测评".into()))?
    };
    engine::service::evaluate::evaluate(ctx, actor, item_id, input).await
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
#[tracing::instrument(name = "suggestions::evaluate::set_publication", skip_all, fields(actor = %actor.username, id))]
pub async fn set_publication(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    input: &PublicationInput,
) -> Result<()> {
    let mut tx = ctx.begin().await?;
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
        ctx.now_ms(),
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
#[tracing::instrument(name = "suggestions::evaluate::set_confidential", skip_all, fields(actor = %actor.username, id))]
pub async fn set_confidential(ctx: &Ctx, actor: &Actor, id: i64, on: bool) -> Result<()> {
    let mut tx = ctx.begin().await?;
    let s = as_staff(&mut tx, actor, id).await?;
    let now = ctx.now_ms();
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
