//! The API's response types: the contract, kept apart from the rows.

use kernel::bodies::BodyKind;
use serde::Serialize;

use crate::rules::{Attendance, LinkKind, MeetingKind, MeetingState, OutputKind, PassRule};
use crate::service::attendance::RosterLine;
use crate::store::outputs::OutputRow;
use crate::store::{ItemRow, MarkRow, MeetingRow};

#[derive(Serialize, utoipa::ToSchema)]
pub struct Meeting {
    pub id: i64,
    pub title: String,
    pub body_id: i64,
    pub body_name: String,
    /// standing_committee, chairmen_council, presidium, special_committee,
    /// working_committee or street_committee.
    pub kind: String,
    pub kind_label: String,
    /// The number within the term (第六次 → 6).
    pub number: i64,
    #[schema(format = Date)]
    pub meeting_date: String,
    /// HH:MM, or empty.
    pub start_time: String,
    pub place: String,
    pub convener: String,
    /// planned, notified, held, minutes_approved or cancelled.
    pub state: String,
    pub state_label: String,
    /// Why it was cancelled, when it was.
    pub cancel_reason: String,
}

impl From<&MeetingRow> for Meeting {
    fn from(m: &MeetingRow) -> Self {
        let kind =
            MeetingKind::of(BodyKind::parse(&m.body_kind).unwrap_or(BodyKind::WorkingCommittee));
        Meeting {
            id: m.id,
            title: m.title.clone(),
            body_id: m.body_id,
            body_name: m.body_name.clone(),
            kind: kind.code().into(),
            kind_label: kind.label().into(),
            number: m.number,
            meeting_date: m.meeting_date.clone(),
            start_time: m.start_time.clone(),
            place: m.place.clone(),
            convener: m.convener.clone(),
            state: m.state.clone(),
            state_label: MeetingState::parse(&m.state)
                .map_or_else(String::new, |s| s.label().into()),
            cancel_reason: m.cancel_reason.clone(),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct VoteRecord {
    pub yes: i64,
    pub no: i64,
    pub abstain: i64,
    pub not_voting: i64,
    /// The number the majority was counted against.
    pub base: i64,
    pub rule: String,
    pub passed: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AgendaItem {
    pub id: i64,
    /// 1, 2, 3… in the order of the agenda.
    pub position: i64,
    pub title: String,
    /// What the item concerns, or empty.
    pub link_kind: String,
    pub link_label: String,
    /// The number or name users know it by.
    pub link_ref: String,
    /// The open vote, once recorded.
    pub vote: Option<VoteRecord>,
}

impl AgendaItem {
    pub fn from_row(i: &ItemRow, position: i64) -> Self {
        let vote = match (
            i.vote_yes,
            i.vote_no,
            i.vote_abstain,
            i.vote_not_voting,
            i.vote_base,
            i.vote_passed,
        ) {
            (Some(yes), Some(no), Some(abstain), Some(not_voting), Some(base), Some(passed)) => {
                Some(VoteRecord {
                    yes,
                    no,
                    abstain,
                    not_voting,
                    base,
                    rule: i.vote_rule.clone(),
                    passed: passed == 1,
                })
            }
            _ => None,
        };
        AgendaItem {
            id: i.id,
            position,
            title: i.title.clone(),
            link_kind: i.link_kind.clone(),
            link_label: LinkKind::parse(&i.link_kind)
                .map_or_else(String::new, |k| k.label().into()),
            link_ref: i.link_ref.clone(),
            vote,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Attendee {
    /// The membership (for members) or the invitation (for 列席).
    pub id: i64,
    /// member or attending.
    pub role: String,
    pub deputy_id: Option<i64>,
    pub name: String,
    /// The place in the body, for members.
    pub position_label: String,
    /// present, leave, absent, or empty while nothing is recorded.
    pub status: String,
    pub reason: String,
    /// UTC milliseconds of the sign-in.
    pub signed_in_at: Option<i64>,
    /// self (QR code) or staff.
    pub signed_by: String,
}

impl Attendee {
    pub fn member(l: &RosterLine) -> Self {
        Attendee {
            id: l.member.id,
            role: "member".into(),
            deputy_id: l.member.deputy_id,
            name: l.member.name.clone(),
            position_label: l.position_label.into(),
            status: l
                .mark
                .as_ref()
                .map_or_else(String::new, |k| k.status.clone()),
            reason: l
                .mark
                .as_ref()
                .map_or_else(String::new, |k| k.reason.clone()),
            signed_in_at: l.mark.as_ref().and_then(|k| k.signed_in_at),
            signed_by: l
                .mark
                .as_ref()
                .map_or_else(String::new, |k| k.signed_by.clone()),
        }
    }

    pub fn invited(k: &MarkRow) -> Self {
        Attendee {
            id: k.id,
            role: "attending".into(),
            deputy_id: k.deputy_id,
            name: k.name.clone(),
            position_label: String::new(),
            status: k.status.clone(),
            reason: k.reason.clone(),
            signed_in_at: k.signed_in_at,
            signed_by: k.signed_by.clone(),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MeetingOutput {
    pub id: i64,
    /// decision, resolution, opinion or minutes.
    pub kind: String,
    pub kind_label: String,
    /// The document number (清常发〔2026〕7号).
    pub number: String,
    pub title: String,
    pub addressee: String,
    /// The agenda item it comes from.
    pub agenda_item_id: Option<i64>,
    #[schema(format = Date)]
    pub issued_on: String,
    /// Where the .docx is downloaded.
    pub document: String,
    /// A deliberation opinion's tracked item, once assigned.
    pub item_id: Option<i64>,
}

impl From<&OutputRow> for MeetingOutput {
    fn from(o: &OutputRow) -> Self {
        MeetingOutput {
            id: o.id,
            kind: o.kind.clone(),
            kind_label: OutputKind::parse(&o.kind).map_or_else(String::new, |k| k.label().into()),
            number: o.number.clone(),
            title: o.title.clone(),
            addressee: o.addressee.clone(),
            agenda_item_id: o.agenda_item_id,
            issued_on: o.issued_on.clone(),
            document: format!("/api/meeting-outputs/{}/document.docx", o.id),
            item_id: o.item_id,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MeetingDetail {
    #[serde(flatten)]
    pub meeting: Meeting,
    pub agenda: Vec<AgendaItem>,
    /// The body's members on the meeting's day.
    pub members: Vec<Attendee>,
    /// Deputies invited to 列席.
    pub attending: Vec<Attendee>,
    pub members_present: i64,
    pub members_on_leave: i64,
    /// What it issued: decisions, resolutions, opinions, minutes.
    pub outputs: Vec<MeetingOutput>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Issued {
    pub id: i64,
    pub number: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct VoteOutcome {
    pub passed: bool,
    pub base: i64,
    /// The fewest approvals that pass.
    pub needed: i64,
    /// Every member of the body approved.
    pub unanimous: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SignInResult {
    pub meeting_id: i64,
    pub title: String,
    /// member or attending.
    pub role: String,
    pub name: String,
    /// False when already signed in: the first sign-in stands.
    pub first: bool,
    /// UTC milliseconds of the sign-in that counts.
    pub signed_in_at: i64,
}

/// Keeps the labels' enums in use where only codes travel.
pub fn rule_label(code: &str) -> &'static str {
    PassRule::parse(code).map_or("", |r| r.label())
}

pub fn status_label(code: &str) -> &'static str {
    Attendance::parse(code).map_or("未登记", |a| a.label())
}

/// A citizen's application to observe, as staff see it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Observer {
    pub id: i64,
    pub name: String,
    /// 110105********1234.
    pub id_card_masked: String,
    pub phone_masked: String,
    /// pending, approved, declined or attended.
    pub status: String,
    pub decline_reason: String,
    /// UTC milliseconds of the check-in at the door.
    pub signed_in_at: Option<i64>,
}

impl From<&crate::store::observers::ObserverRow> for Observer {
    fn from(o: &crate::store::observers::ObserverRow) -> Self {
        Observer {
            id: o.id,
            name: o.name.clone(),
            id_card_masked: o.id_card_masked.clone(),
            phone_masked: o.phone_masked.clone(),
            status: o.status.clone(),
            decline_reason: o.decline_reason.clone(),
            signed_in_at: o.signed_in_at,
        }
    }
}
