//! Data scopes: which congresses and units an actor's records come from.
//! Every capability filters its lists and guards its records with these, so a
//! record outside one's scope answers "not found", the same as a forged id.

use app::{Actor, Result};
use db::Conn;
use kernel::roles::{DataScope, Role};

/// The congress an actor works in: their own, or for a unit's people the
/// congress their unit answers to.
pub async fn own_congress(conn: &mut Conn, actor: &Actor) -> Result<Option<i64>> {
    Ok(match (actor.role, actor.congress_id, actor.unit_id) {
        (_, Some(c), _) => Some(c),
        (Role::UnitHandler | Role::UnitHead, None, Some(u)) => crate::store::units::get(conn, u)
            .await?
            .map(|u| u.congress_id),
        _ => None,
    })
}

/// Congresses whose records the actor may see: `None` means all.
pub async fn visible_congresses(conn: &mut Conn, actor: &Actor) -> Result<Option<Vec<i64>>> {
    if actor.scope == DataScope::All {
        return Ok(None);
    }
    if actor.role == Role::GovLeader {
        // A government leader works with the congresses of the units they lead.
        let uid = actor.user_id.unwrap_or(-1);
        return Ok(Some(
            crate::store::units::congresses_led_by(conn, uid).await?,
        ));
    }
    let Some(own) = own_congress(conn, actor).await? else {
        return Ok(Some(Vec::new()));
    };
    if actor.scope != DataScope::OrgTree {
        return Ok(Some(vec![own]));
    }
    let all = crate::store::congresses::all(conn).await?;
    let Some(root) = all.iter().find(|c| c.id == own) else {
        return Ok(Some(Vec::new()));
    };
    Ok(Some(
        all.iter()
            .filter(|c| c.path.starts_with(&root.path))
            .map(|c| c.id)
            .collect(),
    ))
}

/// Units whose work a unit account does: its own, or its subtree when granted.
pub async fn actor_units(conn: &mut Conn, actor: &Actor) -> Result<Vec<i64>> {
    let Some(own) = actor.unit_id else {
        return Ok(Vec::new());
    };
    if actor.scope != DataScope::OrgTree {
        return Ok(vec![own]);
    }
    let Some(u) = crate::store::units::get(conn, own).await? else {
        return Ok(Vec::new());
    };
    let f = crate::store::units::UnitFilter {
        within_path: Some(u.path),
        ..Default::default()
    };
    Ok(crate::store::units::names_where(conn, &f)
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .collect())
}
