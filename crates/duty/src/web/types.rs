//! The duty record's API response types.

use serde::Serialize;

use crate::rules::{self, ActivityState};
use crate::service::points::{Explained, Ranked};
use crate::store::activities::ActivityRow;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Activity {
    pub id: i64,
    pub deputy_id: i64,
    pub deputy_name: String,
    pub type_code: String,
    pub type_name: String,
    #[schema(format = Date)]
    pub activity_date: String,
    pub place: String,
    /// 0: not stated.
    pub minutes: i64,
    pub summary: String,
    /// pending, verified or rejected.
    pub state: String,
    pub state_label: String,
    pub reject_reason: String,
    /// Entered together with others (everyone at one event).
    pub batch: Option<i64>,
}

impl From<&ActivityRow> for Activity {
    fn from(a: &ActivityRow) -> Self {
        Activity {
            id: a.id,
            deputy_id: a.deputy_id,
            deputy_name: a.deputy_name.clone(),
            type_code: a.type_code.clone(),
            type_name: a.type_name.clone(),
            activity_date: a.activity_date.clone(),
            place: a.place.clone(),
            minutes: a.minutes,
            summary: a.summary.clone(),
            state: a.state.clone(),
            state_label: ActivityState::parse(&a.state)
                .map_or("", |s| s.label())
                .into(),
            reject_reason: a.reject_reason.clone(),
            batch: a.batch_id,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Recorded {
    /// How many activities were written (one per deputy).
    pub recorded: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Reviewed {
    pub reviewed: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Computed {
    /// Deputies ranked.
    pub deputies: i64,
}

/// An occurrence that counted (or did not) towards a line.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Occurrence {
    #[schema(format = Date)]
    pub date: String,
    pub type_name: String,
    pub title: String,
    /// The page of the meeting or suggestion it comes from; empty for an activity recorded here.
    pub link: String,
}

/// One item of the scheme as it scored.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PointsLine {
    pub category: String,
    pub item: String,
    /// Points per occurrence, as text with one decimal ("0.5"); a qualitative item's highest grade.
    pub per: String,
    /// The yearly cap; null: none.
    pub cap: Option<String>,
    pub count: i64,
    pub points: String,
    /// The cap bounded this line.
    pub capped: bool,
    pub qualitative: bool,
    pub reason: String,
    pub occurrences: Vec<Occurrence>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Points {
    pub deputy_id: i64,
    pub name: String,
    pub congress: String,
    pub year: i64,
    /// False when the congress has no scheme for the year (nothing scores).
    pub has_scheme: bool,
    pub total: String,
    pub band: Option<String>,
    pub stars: Option<i64>,
    /// Rank when the totals were last computed, among how many.
    pub rank: Option<i64>,
    pub ranked: Option<i64>,
    pub lines: Vec<PointsLine>,
    pub uncounted: Vec<Occurrence>,
}

fn occurrence(s: &crate::service::points::Shown) -> Occurrence {
    Occurrence {
        date: s.date.clone(),
        type_name: s.type_name.clone(),
        title: s.title.clone(),
        link: s.link.clone(),
    }
}

impl From<&Explained> for Points {
    fn from(e: &Explained) -> Self {
        Points {
            deputy_id: e.deputy_id,
            name: e.name.clone(),
            congress: e.congress_name.clone(),
            year: e.year,
            has_scheme: e.scheme.is_some(),
            total: rules::show_points(e.total),
            band: e.band.as_ref().map(|b| b.name.clone()),
            stars: e.band.as_ref().map(|b| b.stars),
            rank: e.rank.map(|r| r.0),
            ranked: e.rank.map(|r| r.1),
            lines: e
                .lines
                .iter()
                .map(|l| PointsLine {
                    category: l.category.clone(),
                    item: l.item.clone(),
                    per: rules::show_points(l.per),
                    cap: l.cap.map(rules::show_points),
                    count: l.count,
                    points: rules::show_points(l.points),
                    capped: l.capped,
                    qualitative: l.qualitative,
                    reason: l.reason.clone(),
                    occurrences: l.occurrences.iter().map(occurrence).collect(),
                })
                .collect(),
            uncounted: e.uncounted.iter().map(occurrence).collect(),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RankEntry {
    pub rank: i64,
    pub deputy_id: i64,
    pub name: String,
    pub delegation: String,
    pub professional_group: String,
    pub points: String,
    pub band: Option<String>,
    pub stars: Option<i64>,
}

impl From<&Ranked> for RankEntry {
    fn from(r: &Ranked) -> Self {
        RankEntry {
            rank: r.row.ranking,
            deputy_id: r.row.deputy_id,
            name: r.row.name.clone(),
            delegation: r.row.delegation.clone(),
            professional_group: r.row.professional_group.clone(),
            points: rules::show_points(r.row.points),
            band: r.band.as_ref().map(|b| b.name.clone()),
            stars: r.band.as_ref().map(|b| b.stars),
        }
    }
}
