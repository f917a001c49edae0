//! Deputies' suggestions and motions through their whole closed loop:
//! drafting and joint signing ([`draft`]), review by staff ([`review`]),
//! assignment to units ([`assign`]), the deputy's evaluation and publication
//! ([`evaluate`]), reading ([`view`]), statistics ([`stats`]) and documents
//! ([`documents`]).
//!
//! From assignment on, a suggestion is an item of the tracked-item engine
//! (kind `suggestion`, [`crate::rules::RULES`], [`crate::kind::SuggestionKind`]):
//! handling, sign-off, evaluation, re-handling, reminders and the queues are
//! the engine's.

pub mod assign;
pub mod cosign;
pub mod demo;
pub mod documents;
pub mod draft;
pub mod evaluate;
pub mod home;
pub mod pick;
pub mod review;
pub mod stats;
pub mod view;

use crate::store::suggestions::SuggestionRow;
use db::Conn;
use kernel::roles::Role;

use app::actor::Actor;
use app::ctx::Ctx;
use app::error::{Error, Result};

pub fn link(id: i64) -> String {
    format!("/suggestions/{id}")
}

/// Where a notice about several suggestions leads: the recipient's own list.
pub(crate) fn list_link(to: app::notify::Audience) -> String {
    use app::notify::Audience as A;
    match to {
        A::Unit(_) | A::UnitHeads(_) | A::UnitLeader(_) => "/work",
        _ => "/suggestions",
    }
    .to_string()
}

/// The most items one batch action takes: a page of the review list is 20 to
/// 100 rows, and one transaction holds the writer for the whole batch.
pub const BATCH_MAX: usize = 200;

/// The ids of a batch action: at least one, at most [`BATCH_MAX`] (checked
/// before anything else, so that a forged list costs nothing), each once.
pub(crate) fn batch_ids(ids: &[i64], none: &'static str) -> Result<Vec<i64>> {
    if ids.len() > BATCH_MAX {
        return Err(Error::field(
            "ids",
            format!("一次最多处理 {BATCH_MAX} 件，请分批操作"),
        ));
    }
    let mut out: Vec<i64> = Vec::with_capacity(ids.len());
    for id in ids {
        if !out.contains(id) {
            out.push(*id);
        }
    }
    if out.is_empty() {
        return Err(Error::field("ids", none));
    }
    Ok(out)
}

pub(crate) async fn load(conn: &mut Conn, id: i64) -> Result<SuggestionRow> {
    crate::store::suggestions::get(conn, id)
        .await?
        .ok_or(Error::NotFound("建议"))
}

/// How the actor stands to a suggestion; decides what they may see and do.
#[derive(Debug, Clone, Default)]
pub struct Standing {
    /// Staff (or an administrator) of a congress within scope.
    pub staff: bool,
    /// A congress leader within scope (reads, supervises).
    pub leader: bool,
    /// The lead deputy.
    pub lead: bool,
    /// A co-signer or an originating deputy of a merged item.
    pub signer: bool,
    /// Assignments of the actor's unit(s).
    pub unit_assignments: Vec<i64>,
    /// Assignments to units the actor leads as government leader.
    pub led_assignments: Vec<i64>,
}

impl Standing {
    pub fn can_read(&self) -> bool {
        self.staff
            || self.leader
            || self.lead
            || self.signer
            || !self.unit_assignments.is_empty()
            || !self.led_assignments.is_empty()
    }
}

pub(crate) async fn standing(
    conn: &mut Conn,
    actor: &Actor,
    s: &SuggestionRow,
) -> Result<Standing> {
    let mut st = Standing::default();
    match actor.role {
        Role::Admin | Role::Staff | Role::CongressLeader => {
            let visible = org::scope::visible_congresses(conn, actor).await?;
            // A draft belongs to its deputies until it is submitted.
            let ok = visible.is_none_or(|ids| ids.contains(&s.congress_id)) && s.state != "draft";
            st.staff = ok && actor.role != Role::CongressLeader;
            st.leader = ok && actor.role == Role::CongressLeader;
        }
        Role::Deputy => {
            let me = actor.deputy_id.unwrap_or(-1);
            st.lead = s.lead_deputy_id == me;
            st.signer = !st.lead
                && crate::store::suggestions::signers(conn, s.id)
                    .await?
                    .iter()
                    .any(|g| g.deputy_id == me && g.status != "declined");
        }
        Role::UnitHandler | Role::UnitHead | Role::GovLeader => {
            if let Some(item_id) = s.item_id
                && let Some(item) = engine::store::get_item(conn, item_id).await?
            {
                let assignments = engine::store::assignments(conn, item_id).await?;
                let on_item = engine::service::standing(
                    conn,
                    actor,
                    &crate::kind::SuggestionKind,
                    &item,
                    &assignments,
                )
                .await?;
                st.unit_assignments = on_item.unit_assignments;
                st.led_assignments = on_item.led_assignments;
            }
        }
    }
    Ok(st)
}

/// Loads a suggestion the actor may read; anything else answers "not found".
pub(crate) async fn readable(
    conn: &mut Conn,
    actor: &Actor,
    id: i64,
) -> Result<(SuggestionRow, Standing)> {
    let s = load(conn, id).await?;
    let st = standing(conn, actor, &s).await?;
    if !st.can_read() {
        return Err(Error::NotFound("建议"));
    }
    Ok((s, st))
}

/// Sessions of a congress's terms, newest first, as (id, label), for the drafting form.
pub async fn sessions_of(ctx: &Ctx, congress_id: i64) -> Result<Vec<(i64, String)>> {
    let mut c = ctx.db.read().await?;
    let name = org::store::congresses::get(&mut c, congress_id)
        .await?
        .map(|x| x.name)
        .unwrap_or_default();
    let mut out = Vec::new();
    for t in org::store::congresses::terms(&mut c, congress_id).await? {
        for s in org::store::congresses::sessions(&mut c, t.id)
            .await?
            .into_iter()
            .rev()
        {
            out.push((
                s.id,
                format!(
                    "{name}第{}届第{}次会议（{}）",
                    t.number, s.number, s.start_date
                ),
            ));
        }
    }
    Ok(out)
}

/// Deputies the lead may invite to co-sign: in office in the same congress,
/// not the lead, not already on the list.
#[tracing::instrument(name = "suggestions::mod::cosigner_choices", skip_all, fields(actor = %actor.username, id))]
pub async fn cosigner_choices(ctx: &Ctx, actor: &Actor, id: i64) -> Result<Vec<(i64, String)>> {
    let mut c = ctx.db.read().await?;
    let (s, st) = readable(&mut c, actor, id).await?;
    if !st.lead {
        return Ok(Vec::new());
    }
    let taken: Vec<i64> = crate::store::suggestions::signers(&mut c, id)
        .await?
        .iter()
        .map(|g| g.deputy_id)
        .collect();
    Ok(org::store::deputies::in_office_of(&mut c, s.congress_id)
        .await?
        .into_iter()
        .filter(|(d, _, _)| *d != s.lead_deputy_id && !taken.contains(d))
        .map(|(d, name, place)| (d, format!("{name}（{place}）")))
        .collect())
}

/// Menus of the public search: units and sessions that have published replies.
pub async fn public_menus(ctx: &Ctx) -> Result<(Vec<(i64, String)>, Vec<(i64, String)>)> {
    let mut c = ctx.db.read().await?;
    Ok(crate::store::suggestions::public_menus(&mut c).await?)
}
