//! Attendance reports: each member of a body over a year (no one is counted
//! for a meeting held outside their membership), the deputies who attended
//! as 列席, and how far the term has reached its deputies.

use app::{Actor, Ctx, Error, Result};
use kernel::roles::{Permission, Role};
use serde::Deserialize;

use crate::rules::Attendance;
use crate::store::reports::{self as store, MemberTally};

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct ReportQuery {
    /// The body; empty: the first standing committee (or 主席团) the actor sees.
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub body_id: Option<i64>,
    /// YYYY; empty: this year.
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub year: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub body: org::store::bodies::BodyRow,
    pub year: i64,
    pub members: Vec<MemberTally>,
    pub attending: Vec<(i64, String, i64)>,
    /// (deputies who attended a meeting this term, deputies in office), for the term of the year's end.
    pub reach: Option<(i64, i64)>,
}

#[tracing::instrument(name = "meetings::report", skip_all, fields(actor = %actor.username))]
pub async fn report(ctx: &Ctx, actor: &Actor, q: &ReportQuery) -> Result<Report> {
    actor.require(Permission::ViewMeetings)?;
    // A deputy reads their own record (attendance_of), not the body's.
    if actor.role == Role::Deputy {
        return Err(Error::Forbidden);
    }
    let year = q.year.unwrap_or_else(|| i64::from(ctx.today().year()));
    if !(1949..=2200).contains(&year) {
        return Err(Error::field("year", "年份不正确"));
    }
    let bodies = org::service::bodies::list(ctx, actor, None).await?;
    let body = match q.body_id.filter(|v| *v > 0) {
        Some(id) => bodies
            .into_iter()
            .find(|b| b.id == id)
            .ok_or(Error::NotFound("机构"))?,
        None => bodies
            .into_iter()
            .find(|b| b.kind == "standing_committee" || b.kind == "presidium")
            .ok_or(Error::NotFound("机构"))?,
    };
    let (from, to) = (format!("{year:04}-01-01"), format!("{year:04}-12-31"));
    let mut c = ctx.db.read().await?;
    let members = store::member_tallies(&mut c, body.id, &from, &to).await?;
    let attending = store::attending_tallies(&mut c, body.congress_id, &from, &to).await?;
    let terms = org::store::congresses::terms(&mut c, body.congress_id).await?;
    let term = terms
        .iter()
        .filter(|t| t.start_date.as_str() <= to.as_str())
        .max_by(|a, b| a.start_date.cmp(&b.start_date));
    let reach = match term {
        Some(t) => Some(store::term_reach(&mut c, body.congress_id, t.id).await?),
        None => None,
    };
    Ok(Report {
        body,
        year,
        members,
        attending,
        reach,
    })
}

/// A deputy's attendance at held meetings, as the duty record reads it: one
/// line per meeting they could attend — a member on the day or invited to
/// 列席 — so no one is counted absent from a meeting they could not attend.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AttendanceLine {
    pub meeting_id: i64,
    pub title: String,
    #[schema(format = Date)]
    pub meeting_date: String,
    /// member or attending (列席).
    pub role: String,
    /// present, leave or absent (nothing recorded counts as absent).
    pub status: String,
    pub reason: String,
}

#[tracing::instrument(name = "meetings::attendance_of", skip_all, fields(actor = %actor.username, deputy))]
pub async fn attendance_of(
    ctx: &Ctx,
    actor: &Actor,
    deputy: i64,
    year: i64,
) -> Result<Vec<AttendanceLine>> {
    actor.require(Permission::ViewMeetings)?;
    if !(1949..=2200).contains(&year) {
        return Err(Error::field("year", "年份不正确"));
    }
    let mut c = ctx.db.read().await?;
    if actor.role == Role::Deputy {
        if actor.deputy_id != Some(deputy) {
            return Err(Error::NotFound("代表"));
        }
    } else if let Some(ids) = org::scope::visible_congresses(&mut c, actor).await? {
        let seen = org::store::deputies::mandates_of(&mut c, deputy)
            .await?
            .iter()
            .any(|m| ids.contains(&m.congress_id));
        if !seen {
            return Err(Error::NotFound("代表"));
        }
    }
    let rows = store::deputy_attendance(
        &mut c,
        deputy,
        &format!("{year:04}-01-01"),
        &format!("{year:04}-12-31"),
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AttendanceLine {
            meeting_id: r.meeting_id,
            title: r.title,
            meeting_date: r.meeting_date,
            role: r.role,
            status: if r.status.is_empty() {
                Attendance::Absent.code().into()
            } else {
                r.status
            },
            reason: r.reason,
        })
        .collect())
}
