//! Writes an audit record inside the caller's transaction.

use db::Tx;
use db::audit::{self, NewAudit};

use crate::actor::Actor;
use crate::error::Result;

pub async fn record(
    tx: &mut Tx,
    actor: &Actor,
    action: &str,
    entity: &str,
    entity_id: impl ToString,
    summary: impl AsRef<str>,
) -> Result<i64> {
    let name = actor.audit_name();
    let id = entity_id.to_string();
    crate::idempotency::claim(tx, entity, &id).await?;
    let at = tx.at();
    let seq = audit::append(
        tx,
        &NewAudit {
            at,
            actor_id: actor.user_id,
            actor_name: &name,
            role: actor.role.code(),
            action,
            entity,
            entity_id: &id,
            summary: summary.as_ref(),
            ip: &actor.ip,
        },
    )
    .await?;
    Ok(seq)
}
