//! What a capability tells the engine about its kind of item. The engine runs
//! the whole loop; a kind supplies its rules as data ([`KindRules`]) and,
//! through this small trait, only what is its own: who its proposer is, who
//! else may read an item, how a notice to the proposer reads, what happens
//! when an item closes, and its page (on which the item's part is shown).
//!
//! The kinds a program serves are installed into the context once
//! ([`Kinds`], through `Ctx::with`); the engine finds an item's kind by the
//! code stored with it.

use std::collections::HashMap;
use std::sync::Arc;

use app::notify::Audience;
use app::{Actor, Ctx, Error, Result};
use axum::http::StatusCode;
use axum::response::Response;
use db::{Conn, Tx};
use futures_util::future::BoxFuture;
use kernel::roles::Role;
use webkit::AppState;
use webkit::auth::Session;
use webkit::error::AppResult;

use crate::rules::KindRules;
use crate::store::ItemRow;

/// Moments at which the engine tells an item's proposer something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// Assigned; the text names the units.
    Assigned,
    /// A deadline was extended.
    Extended,
    /// Every reply is signed and sent.
    Replied,
    /// Every commitment is kept and the item closed.
    Closed,
}

/// A queue of items a kind picks (see [`Kind::picked_queues`]).
#[derive(Debug, Clone, Copy)]
pub struct PickedQueue {
    /// Its name in `/api/queues/{key}`.
    pub key: &'static str,
    pub title: &'static str,
    pub subjects: crate::store::Subjects,
}

pub trait Kind: Send + Sync + 'static {
    fn rules(&self) -> &'static KindRules;

    /// Whether the actor is the item's proposer. By default a deputy proposer
    /// is the deputy's own account.
    fn is_proposer(&self, actor: &Actor, item: &ItemRow) -> bool {
        item.proposer_kind == "deputy"
            && actor.role == Role::Deputy
            && actor.deputy_id.is_some()
            && actor.deputy_id == item.proposer_id
    }

    /// Whether an actor who is neither staff, nor of an assigned unit, nor the
    /// proposer may read the item (those who co-signed it).
    fn also_reads<'a>(
        &'a self,
        _conn: &'a mut Conn,
        _actor: &'a Actor,
        _item: &'a ItemRow,
    ) -> BoxFuture<'a, Result<bool>> {
        Box::pin(async { Ok(false) })
    }

    /// Who hears about the item as its proposer.
    fn proposer_audience(&self, item: &ItemRow) -> Vec<Audience> {
        match (item.proposer_kind.as_str(), item.proposer_id) {
            ("deputy", Some(d)) => vec![Audience::Deputy(d)],
            _ => Vec::new(),
        }
    }

    /// The title and text of a notice to the proposer; `detail` is the
    /// moment's particulars (the units, the new date and reason).
    fn notice(&self, n: Notice, item: &ItemRow, detail: &str) -> (String, String) {
        let noun = self.rules().noun;
        let t = &item.title;
        match n {
            Notice::Assigned => (format!("{noun}已交办"), format!("“{t}”已交{detail}办理")),
            Notice::Extended => (
                "答复期限延期".into(),
                format!("“{t}”的答复期限延至 {detail}"),
            ),
            Notice::Replied => (
                format!("{noun}已答复"),
                format!("“{t}”已答复，请查看并测评"),
            ),
            Notice::Closed => (
                format!("{noun}已办结"),
                format!("“{t}”的承诺事项已全部落实"),
            ),
        }
    }

    /// Queues of items the kind picks for staff and leaders (the items
    /// under key supervision), shown on the work page and at
    /// `/api/queues/{key}`.
    fn picked_queues(&self) -> Vec<PickedQueue> {
        Vec::new()
    }

    /// Marks shown beside items of this kind in queues ("重点督办"), for the
    /// subjects of one page, read in one query.
    fn marks<'a>(
        &'a self,
        _conn: &'a mut Conn,
        _subject_ids: &'a [i64],
    ) -> BoxFuture<'a, Result<Vec<(i64, &'static str)>>> {
        Box::pin(async { Ok(Vec::new()) })
    }

    /// Where the reply letter of an assignment is downloaded, if the kind writes one.
    fn reply_letter(&self, _item: &ItemRow, _assignment_id: i64) -> Option<String> {
        None
    }

    /// Runs in the transaction that closes an item.
    fn on_close<'a>(&'a self, _tx: &'a mut Tx, _item: &'a ItemRow) -> BoxFuture<'a, Result<()>> {
        Box::pin(async { Ok(()) })
    }

    /// The subject's page with a refusal above it and the refused form filled
    /// in as posted (`kept`), for an action posted from the item's part of
    /// that page and refused for a reason the reader can fix.
    fn page<'a>(
        &'a self,
        st: &'a AppState,
        session: &'a Session,
        actor: &'a Actor,
        item: &'a ItemRow,
        kept: webkit::extract::Kept,
        status: StatusCode,
    ) -> BoxFuture<'a, AppResult<Response>>;
}

/// The kinds a program serves, by code.
#[derive(Clone, Default)]
pub struct Kinds(HashMap<&'static str, Arc<dyn Kind>>);

impl Kinds {
    pub fn new(kinds: Vec<Arc<dyn Kind>>) -> Kinds {
        Kinds(kinds.into_iter().map(|k| (k.rules().kind, k)).collect())
    }

    pub fn get(&self, code: &str) -> Option<&Arc<dyn Kind>> {
        self.0.get(code)
    }

    pub fn all(&self) -> Vec<&Arc<dyn Kind>> {
        let mut v: Vec<_> = self.0.values().collect();
        v.sort_by_key(|k| k.rules().kind);
        v
    }

    /// Every kind's rules.
    pub fn rules(&self) -> Vec<&'static KindRules> {
        let mut v: Vec<_> = self.0.values().map(|k| k.rules()).collect();
        v.sort_by_key(|r| r.kind);
        v
    }
}

/// The kinds installed in the context.
pub fn kinds(ctx: &Ctx) -> Result<&Kinds> {
    ctx.get::<Kinds>()
        .ok_or_else(|| Error::internal("no tracked-item kinds are installed in the context"))
}

/// The kind of an item.
pub fn kind_of(ctx: &Ctx, item: &ItemRow) -> Result<Arc<dyn Kind>> {
    kinds(ctx)?.get(&item.kind).cloned().ok_or_else(|| {
        Error::internal(format!(
            "item {} has an unknown kind {}",
            item.id, item.kind
        ))
    })
}

/// Refuses unless the actor's role has, for at least one kind, the permission
/// `pick` names. Checked before anything is read, so a role that may never
/// take an action is refused alike for items that exist and ids that do not;
/// the item's own kind is checked again once it is loaded.
pub fn require_some(
    ctx: &Ctx,
    actor: &Actor,
    pick: fn(&crate::rules::Permissions) -> kernel::roles::Permission,
) -> Result<()> {
    if kinds(ctx)?
        .rules()
        .iter()
        .any(|r| actor.can(pick(&r.permissions)))
    {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}
