//! The engine's use cases: assignment ([`assign`]), handling and sign-off
//! ([`handle`]), evaluation, re-handling and follow-up ([`evaluate`]),
//! reminders and escalation ([`reminders`]), and reading ([`view`]).
//!
//! Every use case loads the item, works out how the actor stands to it from
//! the data ([`Standing`]), asks the rules whether the actor's part
//! ([`Party`]) may make the move, and writes the move, the handling record,
//! the notices and the audit record in one transaction.

pub mod assign;
pub mod deadlines;
pub mod evaluate;
pub mod handle;
pub mod opinions;
pub mod reminders;
pub mod view;

use std::sync::Arc;

use app::{Actor, Ctx, Error, Result};
use db::Conn;
use kernel::roles::Role;

use crate::kind::{Kind, kind_of};
use crate::rules::{Party, TransitionError};
use crate::store::{AssignmentRow, ItemRow};

/// How the actor stands to an item; decides what they may see and do.
#[derive(Debug, Clone, Default)]
pub struct Standing {
    /// Staff (or an administrator) of a congress within scope.
    pub staff: bool,
    /// A congress leader within scope (reads, supervises).
    pub leader: bool,
    /// The proposer.
    pub proposer: bool,
    /// Someone else the kind lets read the item (a co-signer).
    pub reader: bool,
    /// Assignments of the actor's unit(s).
    pub unit_assignments: Vec<i64>,
    /// Assignments to units the actor leads as government leader.
    pub led_assignments: Vec<i64>,
}

impl Standing {
    /// Who sees an assignment's reply before it is sent: staff, the unit
    /// and the government leader who signs it — not the proposer, co-signers
    /// or congress leaders, who see it once sent.
    pub fn sees_drafts_of(&self, assignment_id: i64) -> bool {
        self.staff
            || self.unit_assignments.contains(&assignment_id)
            || self.led_assignments.contains(&assignment_id)
    }

    pub fn can_read(&self) -> bool {
        self.staff
            || self.leader
            || self.proposer
            || self.reader
            || !self.unit_assignments.is_empty()
            || !self.led_assignments.is_empty()
    }
}

/// Works out the actor's standing from the item and its assignments.
#[tracing::instrument(name = "engine::mod::standing", skip_all, fields(actor = %actor.username))]
pub async fn standing(
    conn: &mut Conn,
    actor: &Actor,
    kind: &dyn Kind,
    item: &ItemRow,
    assignments: &[AssignmentRow],
) -> Result<Standing> {
    let mut st = Standing::default();
    match actor.role {
        Role::Admin | Role::Staff | Role::CongressLeader => {
            let visible = org::scope::visible_congresses(conn, actor).await?;
            let ok = visible.is_none_or(|ids| ids.contains(&item.congress_id));
            st.staff = ok && actor.role != Role::CongressLeader;
            st.leader = ok && actor.role == Role::CongressLeader;
        }
        Role::UnitHandler | Role::UnitHead => {
            let units = org::scope::actor_units(conn, actor).await?;
            st.unit_assignments = assignments
                .iter()
                .filter(|a| units.contains(&a.unit_id))
                .map(|a| a.id)
                .collect();
        }
        Role::GovLeader => {
            st.led_assignments = assignments
                .iter()
                .filter(|a| actor.user_id.is_some() && a.unit_leader_id == actor.user_id)
                .map(|a| a.id)
                .collect();
        }
        Role::Deputy => {}
    }
    st.proposer = kind.is_proposer(actor, item);
    if !st.can_read() {
        st.reader = kind.also_reads(conn, actor, item).await?;
    }
    Ok(st)
}

/// An item the actor may read, with its kind, assignments and the actor's standing.
pub struct Loaded {
    pub item: ItemRow,
    pub kind: Arc<dyn Kind>,
    pub assignments: Vec<AssignmentRow>,
    pub standing: Standing,
}

/// Loads an item the actor may read; anything else answers "not found".
#[tracing::instrument(name = "engine::mod::readable", skip_all, fields(actor = %actor.username, item_id))]
pub async fn readable(
    ctx: &Ctx,
    conn: &mut Conn,
    actor: &Actor,
    item_id: i64,
    what: &'static str,
) -> Result<Loaded> {
    let item = crate::store::get_item(conn, item_id)
        .await?
        .ok_or(Error::NotFound(what))?;
    let kind = kind_of(ctx, &item)?;
    let assignments = crate::store::assignments(conn, item.id).await?;
    let standing = standing(conn, actor, kind.as_ref(), &item, &assignments).await?;
    if !standing.can_read() {
        return Err(Error::NotFound(what));
    }
    Ok(Loaded {
        item,
        kind,
        assignments,
        standing,
    })
}

/// Loads an assignment (with its item) the actor may read.
#[tracing::instrument(name = "engine::mod::load_assignment", skip_all, fields(actor = %actor.username, assignment_id))]
pub async fn load_assignment(
    ctx: &Ctx,
    conn: &mut Conn,
    actor: &Actor,
    assignment_id: i64,
) -> Result<(AssignmentRow, Loaded)> {
    let a = crate::store::get_assignment(conn, assignment_id)
        .await?
        .ok_or(Error::NotFound("交办事项"))?;
    let loaded = readable(ctx, conn, actor, a.item_id, "交办事项").await?;
    Ok((a, loaded))
}

/// The actor's party to one assignment, for the engine's transition rules.
pub fn party(actor: &Actor, st: &Standing, a: &AssignmentRow) -> Party {
    if st.unit_assignments.contains(&a.id) {
        return match actor.role {
            Role::UnitHead => Party::UnitHead,
            _ => Party::UnitHandler,
        };
    }
    if st.led_assignments.contains(&a.id) {
        return Party::UnitLeader;
    }
    if st.staff {
        return Party::Staff;
    }
    if st.proposer {
        return Party::Proposer;
    }
    Party::Other
}

/// Adds a step to the handling record (全程纪实).
#[tracing::instrument(name = "engine::mod::record_step", skip_all, fields(actor = %actor.username, item_id))]
pub async fn record_step(
    tx: &mut db::Tx,
    item_id: i64,
    assignment_id: Option<i64>,
    actor: &Actor,
    action: &str,
    note: &str,
) -> Result<()> {
    let name = if actor.display_name.is_empty() {
        actor.username.clone()
    } else {
        actor.display_name.clone()
    };
    let at = tx.at();
    crate::store::add_event(
        tx,
        item_id,
        assignment_id,
        at,
        actor.user_id,
        &name,
        action,
        note,
    )
    .await?;
    Ok(())
}

pub fn transition_error(e: TransitionError) -> Error {
    match e {
        TransitionError::NotYours { .. } => Error::Forbidden,
        other => Error::Conflict(other.to_string()),
    }
}

/// Parses a stored code, or reports the stored value as an internal fault.
pub(crate) fn stored<T>(parse: fn(&str) -> Option<T>, code: &str, what: &str) -> Result<T> {
    parse(code).ok_or_else(|| Error::internal(format!("stored {what} {code:?} is not known")))
}
