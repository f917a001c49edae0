//! Named hand-offs between capabilities. Capabilities never import one
//! another; where one needs what another knows, the server installs the
//! other's implementation of a trait defined here into the context
//! (`Ctx::with`), and the first asks for it (`Ctx::get`). Each trait names one
//! hand-off and carries only what crosses it.

use std::sync::Arc;

use db::Conn;
use futures_util::future::BoxFuture;

use crate::error::Result;

/// A deputy's motion as another capability refers to it (a meeting's agenda).
#[derive(Debug, Clone)]
pub struct MotionRef {
    pub id: i64,
    /// What users call it: 议案第3号.
    pub label: String,
    pub title: String,
    pub lead_deputy_id: i64,
    /// Its page.
    pub link: String,
}

/// The suggestion capability's motions, for the meetings that deliberate them.
pub trait Motions: Send + Sync {
    /// A motion of the congress by its number as users write it ("3", "议案第3号"):
    /// the latest session's with that number.
    fn find<'a>(
        &'a self,
        conn: &'a mut Conn,
        congress_id: i64,
        reference: &'a str,
    ) -> BoxFuture<'a, Result<Option<MotionRef>>>;
}

/// Installed form of [`Motions`].
pub type MotionsHandoff = Arc<dyn Motions>;

/// A meeting whose agenda concerned a subject, as that subject's page shows it.
#[derive(Debug, Clone)]
pub struct Heard {
    pub meeting_title: String,
    pub meeting_date: String,
    pub link: String,
    /// The agenda item as the meeting listed it.
    pub item_title: String,
    /// The vote's result, when one was taken (表决通过 / 表决未通过).
    pub outcome: String,
}

/// The meetings capability's agendas, for the subjects they concern.
pub trait Hearings: Send + Sync {
    /// The meetings whose agenda items concern this motion, by date.
    fn of_motion<'a>(
        &'a self,
        conn: &'a mut Conn,
        motion_id: i64,
    ) -> BoxFuture<'a, Result<Vec<Heard>>>;
}

/// Installed form of [`Hearings`].
pub type HearingsHandoff = Arc<dyn Hearings>;

/// What a deputy did that another capability already knows (a meeting
/// attended, a suggestion submitted), as the duty record counts it: nothing
/// recorded elsewhere on the platform is typed twice.
///
/// A source hands over a query rather than rows, so that a year's points for
/// every deputy are summed in the database: a SELECT with the columns
/// `congress_id, deputy_id, type_code, fact_date, title, link` (the date ISO
/// `YYYY-MM-DD` in Beijing time), one row per occurrence. The type codes are
/// rows of the duty record's `activity_type` whose `source` names the
/// capability.
pub trait DutyFacts: Send + Sync {
    /// The source's name, as `activity_type.source` spells it.
    fn source(&self) -> &'static str;
    /// The SELECT, written for the deployment's database.
    fn sql(&self, backend: db::Backend) -> String;
}

/// Installed form of [`DutyFacts`]: every capability's source.
#[derive(Clone, Default)]
pub struct DutyFactSources(pub Vec<Arc<dyn DutyFacts>>);
