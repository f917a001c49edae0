//! Reading items: an item with everything on it and what the reader may do
//! next, and the work queues per role.

use app::attachments::AttachmentMeta;
use app::{Actor, Ctx, Error, Result};
use db::{Conn, Page, Paged};
use kernel::roles::Role;

use super::{Loaded, party, readable, stored};
use crate::rules::{
    self, AssignmentEvent, AssignmentState, ContactMethod, ContactStage, Evaluator, ItemState,
    Satisfaction, UnitRole,
};
use crate::store::{
    AssignmentRow, CommitmentRow, ContactRow, EvaluationRow, EventRow, ItemRow, OpinionRow,
    QueueFilter, QueueRow, ReplyRow, SignoffRow, Subjects,
};

#[derive(Debug, Clone)]
pub struct AssignmentView {
    pub a: AssignmentRow,
    pub role_label: String,
    pub state_label: String,
    pub open: bool,
    pub overdue: bool,
    /// The current reply of this unit, if any.
    pub reply: Option<ReplyRow>,
    pub can_return: bool,
    pub can_contact: bool,
    pub can_opinion: bool,
    pub can_reply: bool,
    pub can_sign: bool,
    pub can_extend: bool,
    pub can_reassign: bool,
    /// Why a reply cannot be submitted yet, known before anything is typed
    /// (no contact with the proposer recorded), or empty.
    pub reply_blocked: String,
    /// What blocks the reply is a contact not yet recorded.
    pub reply_waits_for_contact: bool,
    /// Staff may let this lead unit reply before the outstanding opinions.
    pub can_waive_opinions: bool,
}

#[derive(Debug, Clone)]
pub struct ContactView {
    pub c: ContactRow,
    pub stage_label: String,
    pub method_label: String,
    pub unit_name: String,
}

#[derive(Debug, Clone)]
pub struct ReplyView {
    pub r: ReplyRow,
    pub unit_name: String,
    pub signoffs: Vec<SignoffRow>,
    pub attachments: Vec<AttachmentMeta>,
}

#[derive(Debug, Clone)]
pub struct CommitmentView {
    pub c: CommitmentRow,
    pub overdue: bool,
    pub can_fulfil: bool,
}

#[derive(Debug, Clone)]
pub struct EvaluationView {
    pub e: EvaluationRow,
    pub attitude_label: String,
    pub result_label: String,
}

#[derive(Debug, Clone)]
pub struct ItemView {
    pub item: ItemRow,
    pub state_label: String,
    pub assignments: Vec<AssignmentView>,
    pub contacts: Vec<ContactView>,
    pub opinions: Vec<OpinionRow>,
    pub replies: Vec<ReplyView>,
    pub commitments: Vec<CommitmentView>,
    pub evaluations: Vec<EvaluationView>,
    pub events: Vec<EventRow>,
    /// The reader may rate the replies now.
    pub can_evaluate: bool,
    /// The reader is staff who may manage items of this kind.
    pub can_manage: bool,
}

fn label<T>(parse: fn(&str) -> Option<T>, code: &str, f: fn(T) -> &'static str) -> String {
    parse(code).map(f).unwrap_or("").to_string()
}

/// An item the actor may read, with everything on it.
#[tracing::instrument(name = "engine::view::item", skip_all, fields(actor = %actor.username, item_id))]
pub async fn item(ctx: &Ctx, actor: &Actor, item_id: i64) -> Result<ItemView> {
    let mut c = ctx.db.read().await?;
    let l = readable(ctx, &mut c, actor, item_id, "事项").await?;
    of_loaded(ctx, &mut c, actor, &l).await
}

/// The item of a subject, as the actor may see it (none before assignment).
#[tracing::instrument(name = "engine::view::of_subject", skip_all, fields(actor = %actor.username))]
pub async fn of_subject(
    ctx: &Ctx,
    conn: &mut Conn,
    actor: &Actor,
    kind: &str,
    subject_id: i64,
) -> Result<Option<ItemView>> {
    let Some(item) = crate::store::by_subject(conn, kind, subject_id).await? else {
        return Ok(None);
    };
    let l = readable(ctx, conn, actor, item.id, "事项").await?;
    Ok(Some(of_loaded(ctx, conn, actor, &l).await?))
}

/// Everything on a loaded item, read with a handful of queries (one per table).
#[tracing::instrument(name = "engine::view::of_loaded", skip_all, fields(actor = %actor.username))]
pub async fn of_loaded(ctx: &Ctx, conn: &mut Conn, actor: &Actor, l: &Loaded) -> Result<ItemView> {
    let item = &l.item;
    let rules = l.kind.rules();
    let st = &l.standing;
    let today = ctx.today().to_string();
    let item_state = stored(ItemState::parse, &item.state, "item state")?;
    let manage = st.staff && actor.can(rules.permissions.manage);
    let settings = ctx.settings().await?;
    // Drafts (and what they promise) stay with those who prepare and sign them.
    let all = crate::store::replies(conn, item.id).await?;
    let hidden: Vec<i64> = all
        .iter()
        .filter(|r| !r.sent() && !st.sees_drafts_of(r.assignment_id))
        .map(|r| r.id)
        .collect();
    let rows: Vec<ReplyRow> = all
        .into_iter()
        .filter(|r| !hidden.contains(&r.id))
        .collect();
    let current: Vec<&ReplyRow> = rows.iter().filter(|r| r.current == 1).collect();
    let mut assignments = Vec::new();
    for a in &l.assignments {
        let p = party(actor, st, a);
        let role = stored(UnitRole::parse, &a.role, "unit role")?;
        let astate = stored(AssignmentState::parse, &a.state, "assignment state")?;
        let t = |e: AssignmentEvent| rules::transition(astate, role, &e, p, rules.signoff).is_ok();
        let open = astate.is_open();
        assignments.push(AssignmentView {
            role_label: role.label().into(),
            state_label: astate.label().into(),
            open,
            overdue: open && a.due_date < today,
            reply: current
                .iter()
                .find(|r| r.assignment_id == a.id)
                .map(|r| (*r).clone()),
            can_return: t(AssignmentEvent::Return) && today <= a.return_by,
            can_contact: p.of_unit() && astate != AssignmentState::Returned,
            can_opinion: t(AssignmentEvent::SendOpinion),
            can_reply: t(AssignmentEvent::SubmitReply),
            can_sign: t(AssignmentEvent::HeadApprove)
                || t(AssignmentEvent::HeadApproveFinal)
                || t(AssignmentEvent::LeaderApprove),
            can_extend: manage && super::assign::extendable(rules, item, astate, role),
            can_reassign: manage && astate == AssignmentState::Returned,
            reply_blocked: String::new(),
            reply_waits_for_contact: false,
            can_waive_opinions: false,
            a: a.clone(),
        });
    }
    let unit_name = |aid: i64| {
        l.assignments
            .iter()
            .find(|x| x.id == aid)
            .map(|x| x.unit_name.clone())
            .unwrap_or_default()
    };
    let contacts: Vec<ContactView> = crate::store::contacts(conn, item.id)
        .await?
        .into_iter()
        .map(|x| ContactView {
            stage_label: label(ContactStage::parse, &x.stage, ContactStage::label),
            method_label: label(ContactMethod::parse, &x.method, ContactMethod::label),
            unit_name: unit_name(x.assignment_id),
            c: x,
        })
        .collect();
    // The same rule the reply is checked with, told before the form is filled.
    for av in assignments.iter_mut().filter(|av| av.can_reply) {
        let with_proposer = contacts
            .iter()
            .filter(|x| x.c.assignment_id == av.a.id && x.c.with_proposer == 1)
            .count();
        if let Err(m) = rules::check_contact_before_reply(
            rules.contact_before_reply,
            with_proposer,
            &settings.local,
        ) {
            av.reply_blocked = m;
            av.reply_waits_for_contact = true;
        } else if let Some(m) = super::opinions::reply_blocked(&av.a, &l.assignments, &settings) {
            av.reply_blocked = m;
        }
    }
    for av in assignments.iter_mut().filter(|av| manage && av.open) {
        av.can_waive_opinions =
            super::opinions::reply_blocked(&av.a, &l.assignments, &settings).is_some();
    }
    let signoffs = crate::store::signoffs(conn, item.id).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let files = app::attachments::list_many(conn, "reply", &ids).await?;
    let replies: Vec<ReplyView> = rows
        .into_iter()
        .map(|r| ReplyView {
            unit_name: unit_name(r.assignment_id),
            signoffs: signoffs
                .iter()
                .filter(|x| x.reply_id == r.id)
                .cloned()
                .collect(),
            attachments: files
                .iter()
                .filter(|f| f.owner_id == r.id)
                .cloned()
                .collect(),
            r,
        })
        .collect();
    let commitments = crate::store::commitments(conn, item.id)
        .await?
        .into_iter()
        .filter(|x| !hidden.contains(&x.reply_id))
        .map(|x| {
            let aid = replies
                .iter()
                .find(|r| r.r.id == x.reply_id)
                .map(|r| r.r.assignment_id)
                .unwrap_or(0);
            let sent = replies.iter().any(|r| r.r.id == x.reply_id && r.r.sent());
            CommitmentView {
                overdue: x.state == "open" && x.due_date < today,
                can_fulfil: x.state == "open"
                    && sent
                    && (st.unit_assignments.contains(&aid) || manage)
                    && item_state != ItemState::Handling,
                c: x,
            }
        })
        .collect();
    let evaluations = crate::store::evaluations(conn, item.id)
        .await?
        .into_iter()
        .map(|e| EvaluationView {
            attitude_label: label(Satisfaction::parse, &e.attitude, Satisfaction::label),
            result_label: label(Satisfaction::parse, &e.result, Satisfaction::label),
            e,
        })
        .collect();
    let may_rate = match rules.evaluator {
        Evaluator::Proposer => st.proposer,
        Evaluator::Staff => manage,
        Evaluator::Nobody => false,
    };
    Ok(ItemView {
        state_label: item_state.label().into(),
        assignments,
        contacts,
        opinions: crate::store::opinions(conn, item.id).await?,
        replies,
        commitments,
        evaluations,
        events: crate::store::events(conn, item.id).await?,
        can_evaluate: may_rate
            && item_state == ItemState::Replied
            && rules.permissions.evaluate.is_none_or(|p| actor.can(p)),
        can_manage: manage,
        item: item.clone(),
    })
}

/// Which work queue.
#[derive(Debug, Clone, Copy)]
pub enum Queue {
    /// A unit's open assignments.
    Unit,
    /// Replies waiting for the actor's signature (unit head or government leader).
    Signoff,
    /// Open assignments past their deadline (staff: of their congresses; units: their own).
    Overdue,
    /// Staff and leaders: the assignments, open or answered, of the items
    /// whose subjects a capability picks (items under key supervision).
    Picked(Subjects),
}

#[tracing::instrument(name = "engine::view::queue", skip_all, fields(actor = %actor.username))]
pub async fn queue(ctx: &Ctx, actor: &Actor, q: Queue, page: Page) -> Result<Paged<QueueRow>> {
    let mut c = ctx.db.read().await?;
    let mut f = QueueFilter::default();
    let states = |v: &[AssignmentState]| Some(v.iter().map(|s| s.code().to_string()).collect());
    match (q, actor.role) {
        (Queue::Unit, Role::UnitHandler | Role::UnitHead) => {
            f.unit_ids = Some(org::scope::actor_units(&mut c, actor).await?);
            f.states = states(AssignmentState::OPEN);
        }
        (Queue::Signoff, Role::UnitHead) => {
            f.unit_ids = Some(org::scope::actor_units(&mut c, actor).await?);
            f.states = states(&[AssignmentState::AwaitingHead]);
        }
        (Queue::Signoff, Role::GovLeader) => {
            let uf = org::store::units::UnitFilter {
                leader_user_id: Some(actor.user_id.unwrap_or(-1)),
                ..Default::default()
            };
            f.unit_ids = Some(
                org::store::units::names_where(&mut c, &uf)
                    .await?
                    .into_iter()
                    .map(|(id, _)| id)
                    .collect(),
            );
            f.states = states(&[AssignmentState::AwaitingLeader]);
        }
        (Queue::Overdue, Role::Admin | Role::Staff | Role::CongressLeader) => {
            f.congress_ids = org::scope::visible_congresses(&mut c, actor).await?;
            f.overdue_before = Some(ctx.today().to_string());
        }
        (Queue::Overdue, Role::UnitHandler | Role::UnitHead) => {
            f.unit_ids = Some(org::scope::actor_units(&mut c, actor).await?);
            f.overdue_before = Some(ctx.today().to_string());
        }
        (Queue::Picked(s), Role::Admin | Role::Staff | Role::CongressLeader) => {
            f.congress_ids = org::scope::visible_congresses(&mut c, actor).await?;
            f.subjects = Some(s);
            let mut open = AssignmentState::OPEN.to_vec();
            open.extend([AssignmentState::Replied, AssignmentState::OpinionSent]);
            f.states = states(&open);
        }
        _ => return Err(Error::Forbidden),
    }
    Ok(crate::store::queue(&mut c, &f, page).await?)
}

/// Whether a reply (and so its attachments) may be read: by the public
/// (`None`) once sent; by a reader of its item once sent, or as a draft by
/// those who see drafts. The item's own readability is the caller's check.
pub async fn may_read_reply(
    ctx: &Ctx,
    conn: &mut Conn,
    actor: Option<&Actor>,
    reply_id: i64,
) -> Result<bool> {
    let Some(r) = crate::store::get_reply(conn, reply_id).await? else {
        return Ok(false);
    };
    if r.sent() {
        return Ok(true);
    }
    let Some(actor) = actor else {
        return Ok(false);
    };
    let l = readable(ctx, conn, actor, r.item_id, "答复").await?;
    Ok(l.standing.sees_drafts_of(r.assignment_id))
}
