//! One's own in-app inbox.

use crate::store::notifications::NotificationRow;
use db::{Page, Paged};
use serde::Deserialize;

use crate::actor::Actor;
use crate::ctx::Ctx;
use crate::error::{Error, Result};

#[tracing::instrument(name = "app::inbox::list", skip_all, fields(actor = %actor.username))]
pub async fn list(ctx: &Ctx, actor: &Actor, page: Page) -> Result<Paged<NotificationRow>> {
    let uid = actor.user_id.ok_or(Error::Forbidden)?;
    let mut c = ctx.db.read().await?;
    Ok(crate::store::notifications::list(&mut c, uid, page).await?)
}

#[tracing::instrument(name = "app::inbox::unread", skip_all, fields(actor = %actor.username))]
pub async fn unread(ctx: &Ctx, actor: &Actor) -> Result<i64> {
    let Some(uid) = actor.user_id else {
        return Ok(0);
    };
    let mut c = ctx.db.read().await?;
    Ok(crate::store::notifications::unread(&mut c, uid).await?)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ReadInput {
    /// One notification; none marks all as read.
    #[serde(default, deserialize_with = "crate::de::opt_i64")]
    pub id: Option<i64>,
}

/// Marks one's own notifications read, and audits it when anything changed:
/// that a unit had read a reminder or an escalation is part of the record of
/// supervision (one audit record per action, not per notification).
#[tracing::instrument(name = "app::inbox::mark_read", skip_all, fields(actor = %actor.username))]
pub async fn mark_read(ctx: &Ctx, actor: &Actor, input: &ReadInput) -> Result<u64> {
    let uid = actor.user_id.ok_or(Error::Forbidden)?;
    let mut tx = ctx.begin().await?;
    let n = crate::store::notifications::mark_read(&mut tx, uid, input.id, ctx.now_ms()).await?;
    if n > 0 {
        let (entity_id, summary) = match input.id {
            Some(id) => (id.to_string(), "消息标为已读".to_string()),
            None => ("all".to_string(), format!("全部消息标为已读（{n} 条）")),
        };
        crate::audit::record(
            &mut tx,
            actor,
            "notification.read",
            "notification",
            entity_id,
            summary,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(n)
}

/// The outbound log (e-mail and other channels), for administrators.
#[tracing::instrument(name = "app::inbox::outbox", skip_all, fields(actor = %actor.username))]
pub async fn outbox(
    ctx: &Ctx,
    actor: &Actor,
    page: Page,
) -> Result<Paged<crate::store::notifications::OutboxRow>> {
    actor.require(kernel::roles::Permission::ViewAuditTrail)?;
    let mut c = ctx.db.read().await?;
    Ok(crate::store::notifications::recent_outbox(&mut c, page).await?)
}
