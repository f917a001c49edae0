//! Co-signing that cannot deadlock: submission waits for every invitation to
//! be answered, so the lead may withdraw one not yet answered, and staff may
//! record a co-signature a deputy gave on paper (many deputies have no
//! account). Staff see the waiting invitations — the title and the people,
//! not the draft's text, which stays the deputies' until it is submitted.

use app::notify::{self, Audience};
use app::{Actor, Ctx, Error, Result};
use db::{Page, Paged};
use kernel::roles::Permission;

use super::{link, load};
use crate::store::signers::PendingRow;

/// The lead withdraws an invitation not yet answered; the deputy is told.
#[tracing::instrument(name = "suggestions::cosign::withdraw", skip_all, fields(actor = %actor.username, id))]
pub async fn withdraw_invitation(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    deputy_id: i64,
) -> Result<String> {
    let mut tx = ctx.begin().await?;
    let s = super::draft::own_editable(&mut tx, actor, id).await?;
    let name = crate::store::suggestions::signers(&mut tx, id)
        .await?
        .into_iter()
        .find(|g| g.deputy_id == deputy_id)
        .map(|g| g.name)
        .ok_or(Error::NotFound("附议邀请"))?;
    if crate::store::signers::withdraw(&mut tx, id, deputy_id).await? == 0 {
        return Err(Error::Conflict(format!("{name}已答复邀请，不能撤回")));
    }
    notify::send(
        &mut tx,
        &[Audience::Deputy(deputy_id)],
        "附议邀请已撤回",
        &format!("{}撤回了请您附议“{}”的邀请", s.lead_name, s.title),
        &link(id),
    )
    .await?;
    app::audit::record(
        &mut tx,
        actor,
        "suggestion.invitation_withdraw",
        "suggestion",
        id,
        format!("撤回对{name}的附议邀请"),
    )
    .await?;
    tx.commit().await?;
    Ok(name)
}

/// Staff record that an invited deputy co-signed on paper; the lead and the
/// deputy are told.
#[tracing::instrument(name = "suggestions::cosign::paper", skip_all, fields(actor = %actor.username, id))]
pub async fn record_paper(ctx: &Ctx, actor: &Actor, id: i64, deputy_id: i64) -> Result<String> {
    actor.require(Permission::ManageSuggestions)?;
    let mut tx = ctx.begin().await?;
    let s = load(&mut tx, id).await?;
    let visible = org::scope::visible_congresses(&mut tx, actor).await?;
    if !visible.is_none_or(|ids| ids.contains(&s.congress_id)) {
        return Err(Error::NotFound("附议邀请"));
    }
    let name = crate::store::suggestions::signers(&mut tx, id)
        .await?
        .into_iter()
        .find(|g| g.deputy_id == deputy_id && g.role == "cosigner")
        .map(|g| g.name)
        .ok_or(Error::NotFound("附议邀请"))?;
    let now = ctx.now_ms();
    if crate::store::signers::confirm_on_paper(&mut tx, id, deputy_id, actor.user_id, now).await?
        == 0
    {
        return Err(Error::Conflict(format!("{name}已答复邀请，无需登记")));
    }
    notify::send(
        &mut tx,
        &[
            Audience::Deputy(s.lead_deputy_id),
            Audience::Deputy(deputy_id),
        ],
        "书面附议已登记",
        &format!("{name}对“{}”的书面附议已由工作人员登记", s.title),
        &link(id),
    )
    .await?;
    app::audit::record(
        &mut tx,
        actor,
        "suggestion.cosign_paper",
        "suggestion",
        id,
        format!("登记{name}的书面附议"),
    )
    .await?;
    tx.commit().await?;
    Ok(name)
}

/// The invitations still waiting in the staff member's congresses.
pub async fn pending(ctx: &Ctx, actor: &Actor, q: &str, page: Page) -> Result<Paged<PendingRow>> {
    actor.require(Permission::ManageSuggestions)?;
    let mut c = ctx.db.read().await?;
    let visible = org::scope::visible_congresses(&mut c, actor).await?;
    let q = q.trim();
    Ok(crate::store::signers::pending(
        &mut c,
        visible.as_deref(),
        (!q.is_empty()).then_some(q),
        page,
    )
    .await?)
}
