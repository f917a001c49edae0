//! Attendance reports: each member of a body over a year (no one is counted
//! for a meeting held outside their membership), the deputies who attended
//! as 列席, and how far the term has reached its deputies.

use app::{Actor, Ctx, Error, Result};
use kernel::roles::{Permission, Role};
use serde::Deserialize;

use crate::store::{self, MemberTally};

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
