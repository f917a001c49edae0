//! The suggestion loop's API responses: their own types, not the store's
//! rows. What the public may read is a type of its own, holding only what is
//! published.

use engine::web::types::{AttachmentInfo, ItemDetail, Reply};
use serde::Serialize;

use crate::rules::SuggestionKind;
use crate::service::stats::StatLine;
use crate::service::view::{Can, Detail, PublicReply};
use crate::store::suggestions::{SignerRow, SuggestionRow};

fn kind_label(code: &str) -> String {
    SuggestionKind::parse(code)
        .map(|k| k.label())
        .unwrap_or("")
        .into()
}

/// A suggestion in a list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SuggestionSummary {
    pub id: i64,
    pub congress_id: i64,
    pub session_id: Option<i64>,
    /// 第N号 within its session (or the time between sessions), once submitted.
    pub number: Option<i64>,
    /// suggestion / motion.
    pub kind: String,
    pub kind_label: String,
    pub title: String,
    pub category: String,
    pub lead_deputy_id: i64,
    pub lead_name: String,
    /// draft / submitted / returned / accepted / refused / merged / assigned / withdrawn.
    pub state: String,
    pub state_label: String,
    pub key_supervision: bool,
    /// unpublished / published / withheld.
    pub publication: String,
    pub submitted_at: Option<i64>,
    pub updated_at: i64,
}

impl From<&SuggestionRow> for SuggestionSummary {
    fn from(s: &SuggestionRow) -> Self {
        SuggestionSummary {
            id: s.id,
            congress_id: s.congress_id,
            session_id: s.session_id,
            number: s.number,
            kind: s.kind.clone(),
            kind_label: kind_label(&s.kind),
            title: s.title.clone(),
            category: s.category.clone(),
            lead_deputy_id: s.lead_deputy_id,
            lead_name: s.lead_name.clone(),
            state: s.state.clone(),
            state_label: crate::rules::status_label(&s.state, s.item_state.as_deref()).into(),
            key_supervision: s.key_supervision == 1,
            publication: s.publication.clone(),
            submitted_at: s.submitted_at,
            updated_at: s.updated_at,
        }
    }
}

/// A deputy on a suggestion.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Signer {
    pub deputy_id: i64,
    pub name: String,
    /// lead / cosigner / origin (the lead of an item merged into this one).
    pub role: String,
    /// invited / confirmed / declined.
    pub status: String,
    pub invited_at: i64,
    pub responded_at: Option<i64>,
}

impl From<&SignerRow> for Signer {
    fn from(g: &SignerRow) -> Self {
        Signer {
            deputy_id: g.deputy_id,
            name: g.name.clone(),
            role: g.role.clone(),
            status: g.status.clone(),
            invited_at: g.invited_at,
            responded_at: g.responded_at,
        }
    }
}

/// What the reader may do with the suggestion now.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SuggestionActions {
    pub edit: bool,
    pub submit: bool,
    pub withdraw: bool,
    /// Answer one's own invitation to co-sign.
    pub respond: bool,
    pub return_for_revision: bool,
    pub accept: bool,
    pub merge: bool,
    pub assign: bool,
    pub supervise: bool,
    pub evaluate: bool,
    pub publish: bool,
}

impl From<&Can> for SuggestionActions {
    fn from(c: &Can) -> Self {
        SuggestionActions {
            edit: c.edit,
            submit: c.submit,
            withdraw: c.withdraw,
            respond: c.respond,
            return_for_revision: c.review,
            accept: c.accept,
            merge: c.merge,
            assign: c.assign,
            supervise: c.supervise,
            evaluate: c.evaluate,
            publish: c.publish,
        }
    }
}

/// Everything about one suggestion the reader may see.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SuggestionDetail {
    #[serde(flatten)]
    pub summary: SuggestionSummary,
    pub content: String,
    /// 案据 (motions).
    pub grounds: String,
    pub by_delegation: String,
    pub was_motion: bool,
    pub conversion_reason: String,
    pub review_note: String,
    pub merged_into: Option<i64>,
    pub supervising_leader: String,
    pub leading_official: String,
    pub confidential: bool,
    pub withheld_reason: String,
    pub published_at: Option<i64>,
    pub created_at: i64,
    pub congress_name: String,
    pub session_label: String,
    pub signers: Vec<Signer>,
    pub attachments: Vec<AttachmentInfo>,
    /// Its handling on the tracked-item engine, once assigned.
    pub item: Option<ItemDetail>,
    pub actions: SuggestionActions,
    /// The reader has an invitation to co-sign it pending.
    pub invited: bool,
}

impl From<&Detail> for SuggestionDetail {
    fn from(d: &Detail) -> Self {
        let s = &d.s;
        SuggestionDetail {
            summary: SuggestionSummary::from(s),
            content: s.content.clone(),
            grounds: s.grounds.clone(),
            by_delegation: s.by_delegation.clone(),
            was_motion: s.was_motion == 1,
            conversion_reason: s.conversion_reason.clone(),
            review_note: s.review_note.clone(),
            merged_into: s.merged_into,
            supervising_leader: s.supervising_leader.clone(),
            leading_official: s.leading_official.clone(),
            confidential: s.confidential == 1,
            withheld_reason: s.withheld_reason.clone(),
            published_at: s.published_at,
            created_at: s.created_at,
            congress_name: d.congress_name.clone(),
            session_label: d.session_label.clone(),
            signers: d.signers.iter().map(Signer::from).collect(),
            attachments: d.attachments.iter().map(AttachmentInfo::from).collect(),
            item: d.item.as_ref().map(ItemDetail::from),
            actions: SuggestionActions::from(&d.can),
            invited: d.invited,
        }
    }
}

/// A published suggestion as the public sees it in a list: nothing of the
/// review, the supervision or the handling.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicSuggestion {
    pub id: i64,
    pub number: Option<i64>,
    pub kind: String,
    pub kind_label: String,
    pub title: String,
    pub category: String,
    pub lead_name: String,
    pub published_at: Option<i64>,
}

impl From<&SuggestionRow> for PublicSuggestion {
    fn from(s: &SuggestionRow) -> Self {
        PublicSuggestion {
            id: s.id,
            number: s.number,
            kind: s.kind.clone(),
            kind_label: kind_label(&s.kind),
            title: s.title.clone(),
            category: s.category.clone(),
            lead_name: s.lead_name.clone(),
            published_at: s.published_at,
        }
    }
}

/// A unit's signed reply, as published.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicReplyText {
    pub unit_name: String,
    pub round: i64,
    pub text: String,
    pub result_category: String,
}

impl From<&Reply> for PublicReplyText {
    fn from(r: &Reply) -> Self {
        PublicReplyText {
            unit_name: r.unit_name.clone(),
            round: r.round,
            text: r.text.clone(),
            result_category: r.result_category.clone(),
        }
    }
}

/// One published suggestion with its signed replies.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicSuggestionDetail {
    #[serde(flatten)]
    pub summary: PublicSuggestion,
    pub content: String,
    pub congress_name: String,
    pub units: Vec<String>,
    pub replies: Vec<PublicReplyText>,
}

impl From<&PublicReply> for PublicSuggestionDetail {
    fn from(p: &PublicReply) -> Self {
        PublicSuggestionDetail {
            summary: PublicSuggestion::from(&p.s),
            content: p.s.content.clone(),
            congress_name: p.congress_name.clone(),
            units: p.units.clone(),
            replies: p
                .replies
                .iter()
                .map(|r| PublicReplyText::from(&Reply::from(r)))
                .collect(),
        }
    }
}

/// One line of the statistics: the counts and the rates computed from them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StatsLine {
    /// What the line counts (a unit, a category, a session or a deputy).
    pub key: String,
    pub label: String,
    pub assigned: i64,
    pub replied: i64,
    pub on_time: i64,
    pub contacted: i64,
    pub solved: i64,
    pub rehandled: i64,
    pub evaluated: i64,
    pub satisfied: i64,
    pub commitments: i64,
    pub fulfilled: i64,
    pub overdue: i64,
    /// Rates from 0 to 1; null where nothing is under them.
    pub on_time_rate: Option<f64>,
    pub contact_rate: Option<f64>,
    pub solved_rate: Option<f64>,
    pub satisfaction_rate: Option<f64>,
    pub rehandling_rate: Option<f64>,
    pub fulfilment_rate: Option<f64>,
    /// The unit performance score, 0–100.
    pub score: f64,
}

impl From<&StatLine> for StatsLine {
    fn from(l: &StatLine) -> Self {
        let r = &l.row;
        StatsLine {
            key: r.key.clone(),
            label: r.label.clone(),
            assigned: r.assigned,
            replied: r.replied,
            on_time: r.on_time,
            contacted: r.contacted,
            solved: r.solved,
            rehandled: r.rehandled,
            evaluated: r.evaluated,
            satisfied: r.satisfied,
            commitments: r.commitments,
            fulfilled: r.fulfilled,
            overdue: r.overdue,
            on_time_rate: l.on_time_rate,
            contact_rate: l.contact_rate,
            solved_rate: l.solved_rate,
            satisfaction_rate: l.satisfaction_rate,
            rehandling_rate: l.rehandling_rate,
            fulfilment_rate: l.fulfilment_rate,
            score: l.score,
        }
    }
}
