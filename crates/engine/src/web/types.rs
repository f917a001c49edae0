//! The engine's API responses: their own types, not the store's rows, with
//! words for keys, booleans for flags and stable codes for states (each with
//! its label beside it).

use serde::Serialize;

use crate::rules::{AssignmentState, ItemState, UnitRole};
use crate::service::view::{
    AssignmentView, CommitmentView, ContactView, EvaluationView, ItemView, ReplyView,
};
use crate::store::{EventRow, ItemRow, OpinionRow, QueueRow, SignoffRow};

/// A file attached to a record.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AttachmentInfo {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// SM3 of the content.
    pub sha: String,
    pub created_at: i64,
}

impl From<&app::attachments::AttachmentMeta> for AttachmentInfo {
    fn from(a: &app::attachments::AttachmentMeta) -> Self {
        AttachmentInfo {
            id: a.id,
            file_name: a.file_name.clone(),
            content_type: a.content_type.clone(),
            size: a.size,
            sha: a.sha.clone(),
            created_at: a.created_at,
        }
    }
}

/// An item of the tracked-item engine.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Item {
    pub id: i64,
    /// Its subject's kind (as the capability registers it) and id there.
    pub kind: String,
    pub subject_id: Option<i64>,
    pub title: String,
    /// The subject's page.
    pub link: String,
    /// Who proposed it (`deputy`, `voter`, …) and their id there.
    pub proposer_kind: String,
    pub proposer_id: Option<i64>,
    pub congress_id: i64,
    /// handling / replied / follow_up / closed.
    pub state: String,
    pub state_label: String,
    /// The handling round (2 and more after re-handling).
    pub round: i64,
    /// `normal`, or `complex` for the kind's longer deadline.
    pub deadline_variant: String,
    pub assigned_on: String,
    pub replied_at: Option<i64>,
    pub closed_at: Option<i64>,
}

impl From<&ItemRow> for Item {
    fn from(i: &ItemRow) -> Self {
        Item {
            id: i.id,
            kind: i.kind.clone(),
            subject_id: i.subject_id,
            title: i.title.clone(),
            link: i.link.clone(),
            proposer_kind: i.proposer_kind.clone(),
            proposer_id: i.proposer_id,
            congress_id: i.congress_id,
            state: i.state.clone(),
            state_label: ItemState::parse(&i.state)
                .map(|s| s.label())
                .unwrap_or("")
                .into(),
            round: i.round,
            deadline_variant: i.deadline_variant.clone(),
            assigned_on: i.assigned_on.clone(),
            replied_at: i.replied_at,
            closed_at: i.closed_at,
        }
    }
}

/// What the reader may do with an assignment now.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AssignmentActions {
    pub send_back: bool,
    pub record_contact: bool,
    pub send_opinion: bool,
    pub reply: bool,
    pub sign: bool,
    pub extend: bool,
    pub reassign: bool,
    /// Let the lead unit reply before the outstanding assisting opinions.
    pub waive_opinions: bool,
}

/// One unit's part in an item.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Assignment {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    /// lead / assisting / separate.
    pub role: String,
    pub role_label: String,
    /// handling / returned / opinion_sent / awaiting_head / awaiting_leader / replied.
    pub state: String,
    pub state_label: String,
    /// Still owes a reply.
    pub open: bool,
    pub overdue: bool,
    pub assigned_on: String,
    pub due_date: String,
    /// Counted on a year whose holiday arrangement is not published (暂定):
    /// computed again when it is entered.
    pub provisional: bool,
    /// How the deadline was computed (the period, the article, the days skipped).
    pub deadline_rule: String,
    /// The last day the unit may send the item back.
    pub return_by: String,
    pub returned_reason: Option<String>,
    /// Why the reply cannot be submitted yet (a contact or an assisting
    /// opinion still needed); empty when nothing stands in the way.
    pub reply_blocked: String,
    /// Why staff let this lead unit reply before the assisting opinions.
    pub opinions_waived: Option<String>,
    /// The unit's current reply, if any.
    pub reply: Option<Reply>,
    pub actions: AssignmentActions,
}

impl From<&AssignmentView> for Assignment {
    fn from(v: &AssignmentView) -> Self {
        let a = &v.a;
        Assignment {
            id: a.id,
            unit_id: a.unit_id,
            unit_name: a.unit_name.clone(),
            role: a.role.clone(),
            role_label: v.role_label.clone(),
            state: a.state.clone(),
            state_label: v.state_label.clone(),
            open: v.open,
            overdue: v.overdue,
            assigned_on: a.assigned_on.clone(),
            due_date: a.due_date.clone(),
            provisional: a.provisional == 1,
            deadline_rule: a.deadline_rule.clone(),
            return_by: a.return_by.clone(),
            returned_reason: a.returned_reason.clone(),
            reply_blocked: v.reply_blocked.clone(),
            opinions_waived: a.opinions_waived.clone(),
            reply: v.reply.as_ref().map(|r| Reply {
                id: r.id,
                assignment_id: r.assignment_id,
                unit_name: a.unit_name.clone(),
                round: r.round,
                text: r.text.clone(),
                result_category: r.result_category.clone(),
                sha: r.sha.clone(),
                current: r.current == 1,
                created_at: r.created_at,
                sent: r.sent(),
                sent_at: r.sent_at,
                signoffs: Vec::new(),
                attachments: Vec::new(),
            }),
            actions: AssignmentActions {
                send_back: v.can_return,
                record_contact: v.can_contact,
                send_opinion: v.can_opinion,
                reply: v.can_reply,
                sign: v.can_sign,
                extend: v.can_extend,
                reassign: v.can_reassign,
                waive_opinions: v.can_waive_opinions,
            },
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Contact {
    pub id: i64,
    pub assignment_id: i64,
    pub unit_name: String,
    /// before / during / after.
    pub stage: String,
    pub stage_label: String,
    pub method: String,
    pub method_label: String,
    pub contact_date: String,
    pub participants: String,
    pub summary: String,
    pub with_proposer: bool,
    pub created_at: i64,
}

impl From<&ContactView> for Contact {
    fn from(v: &ContactView) -> Self {
        let c = &v.c;
        Contact {
            id: c.id,
            assignment_id: c.assignment_id,
            unit_name: v.unit_name.clone(),
            stage: c.stage.clone(),
            stage_label: v.stage_label.clone(),
            method: c.method.clone(),
            method_label: v.method_label.clone(),
            contact_date: c.contact_date.clone(),
            participants: c.participants.clone(),
            summary: c.summary.clone(),
            with_proposer: c.with_proposer == 1,
            created_at: c.created_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Opinion {
    pub id: i64,
    pub assignment_id: i64,
    pub text: String,
    pub created_at: i64,
}

impl From<&OpinionRow> for Opinion {
    fn from(o: &OpinionRow) -> Self {
        Opinion {
            id: o.id,
            assignment_id: o.assignment_id,
            text: o.text.clone(),
            created_at: o.created_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Signoff {
    /// head / leader.
    pub level: String,
    /// approve / reject.
    pub decision: String,
    pub reason: String,
    pub user_name: String,
    /// The SM3 digest of the reply the signer saw.
    pub reply_sha: String,
    pub at: i64,
}

impl From<&SignoffRow> for Signoff {
    fn from(s: &SignoffRow) -> Self {
        Signoff {
            level: s.level.clone(),
            decision: s.decision.clone(),
            reason: s.reason.clone(),
            user_name: s.user_name.clone(),
            reply_sha: s.reply_sha.clone(),
            at: s.at,
        }
    }
}

/// One version of a unit's reply.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Reply {
    pub id: i64,
    pub assignment_id: i64,
    pub unit_name: String,
    pub round: i64,
    pub text: String,
    pub result_category: String,
    /// The SM3 digest the signers approve.
    pub sha: String,
    /// False once a newer version replaced it.
    pub current: bool,
    pub created_at: i64,
    /// True once signed off and sent; a draft is shown only to staff and the unit.
    pub sent: bool,
    /// When it was sent (UTC milliseconds).
    pub sent_at: Option<i64>,
    pub signoffs: Vec<Signoff>,
    pub attachments: Vec<AttachmentInfo>,
}

impl From<&ReplyView> for Reply {
    fn from(v: &ReplyView) -> Self {
        let r = &v.r;
        Reply {
            id: r.id,
            assignment_id: r.assignment_id,
            unit_name: v.unit_name.clone(),
            round: r.round,
            text: r.text.clone(),
            result_category: r.result_category.clone(),
            sha: r.sha.clone(),
            current: r.current == 1,
            created_at: r.created_at,
            sent: r.sent(),
            sent_at: r.sent_at,
            signoffs: v.signoffs.iter().map(Signoff::from).collect(),
            attachments: v.attachments.iter().map(AttachmentInfo::from).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Commitment {
    pub id: i64,
    pub reply_id: i64,
    pub text: String,
    pub due_date: String,
    /// open / fulfilled.
    pub state: String,
    pub evidence: String,
    pub fulfilled_at: Option<i64>,
    pub overdue: bool,
    /// The reader may mark it kept now.
    pub can_fulfil: bool,
}

impl From<&CommitmentView> for Commitment {
    fn from(v: &CommitmentView) -> Self {
        let c = &v.c;
        Commitment {
            id: c.id,
            reply_id: c.reply_id,
            text: c.text.clone(),
            due_date: c.due_date.clone(),
            state: c.state.clone(),
            evidence: c.evidence.clone(),
            fulfilled_at: c.fulfilled_at,
            overdue: v.overdue,
            can_fulfil: v.can_fulfil,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Evaluation {
    pub round: i64,
    /// Who rated (`deputy`, `voter`, `staff`).
    pub evaluator_kind: String,
    /// satisfied / basically_satisfied / dissatisfied (empty where the kind rates the result only).
    pub attitude: String,
    pub attitude_label: String,
    pub result: String,
    pub result_label: String,
    pub comment: String,
    pub created_at: i64,
}

impl From<&EvaluationView> for Evaluation {
    fn from(v: &EvaluationView) -> Self {
        let e = &v.e;
        Evaluation {
            round: e.round,
            evaluator_kind: e.evaluator_kind.clone(),
            attitude: e.attitude.clone(),
            attitude_label: v.attitude_label.clone(),
            result: e.result.clone(),
            result_label: v.result_label.clone(),
            comment: e.comment.clone(),
            created_at: e.created_at,
        }
    }
}

/// A step of the handling record (全程纪实).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Step {
    pub at: i64,
    pub assignment_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub note: String,
}

impl From<&EventRow> for Step {
    fn from(e: &EventRow) -> Self {
        Step {
            at: e.at,
            assignment_id: e.assignment_id,
            actor_name: e.actor_name.clone(),
            action: e.action.clone(),
            note: e.note.clone(),
        }
    }
}

/// An item with everything on it, as the reader may see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ItemDetail {
    pub item: Item,
    pub assignments: Vec<Assignment>,
    pub contacts: Vec<Contact>,
    pub opinions: Vec<Opinion>,
    pub replies: Vec<Reply>,
    pub commitments: Vec<Commitment>,
    pub evaluations: Vec<Evaluation>,
    pub steps: Vec<Step>,
    /// The reader may rate the replies now.
    pub can_evaluate: bool,
}

impl From<&ItemView> for ItemDetail {
    fn from(v: &ItemView) -> Self {
        ItemDetail {
            item: Item::from(&v.item),
            assignments: v.assignments.iter().map(Assignment::from).collect(),
            contacts: v.contacts.iter().map(Contact::from).collect(),
            opinions: v.opinions.iter().map(Opinion::from).collect(),
            replies: v.replies.iter().map(Reply::from).collect(),
            commitments: v.commitments.iter().map(Commitment::from).collect(),
            evaluations: v.evaluations.iter().map(Evaluation::from).collect(),
            steps: v.events.iter().map(Step::from).collect(),
            can_evaluate: v.can_evaluate,
        }
    }
}

/// A row of a work queue: one assignment with its item.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QueueEntry {
    pub assignment_id: i64,
    pub item_id: i64,
    pub kind: String,
    pub subject_id: Option<i64>,
    pub title: String,
    pub link: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub role: String,
    pub role_label: String,
    pub state: String,
    pub state_label: String,
    pub due_date: String,
    pub provisional: bool,
    pub overdue: bool,
    pub item_state: String,
    pub round: i64,
}

impl QueueEntry {
    pub fn of(q: &QueueRow, today: &str) -> QueueEntry {
        let state = AssignmentState::parse(&q.state);
        QueueEntry {
            assignment_id: q.assignment_id,
            item_id: q.item_id,
            kind: q.kind.clone(),
            subject_id: q.subject_id,
            title: q.title.clone(),
            link: q.link.clone(),
            unit_id: q.unit_id,
            unit_name: q.unit_name.clone(),
            role: q.role.clone(),
            role_label: UnitRole::parse(&q.role)
                .map(|r| r.label())
                .unwrap_or("")
                .into(),
            state: q.state.clone(),
            state_label: state.map(|s| s.label()).unwrap_or("").into(),
            due_date: q.due_date.clone(),
            provisional: q.provisional == 1,
            overdue: state.is_some_and(|s| s.is_open()) && q.due_date.as_str() < today,
            item_state: q.item_state.clone(),
            round: q.round,
        }
    }
}
