//! The duty record's use cases.

pub mod activities;
pub mod demo;
pub mod points;
pub mod scheme;

use app::{Actor, Error, Result};
use db::Conn;
use kernel::roles::{Permission, Role};
use org::store::deputies::MandateView;

/// A year as a record page asks for it: the first and last day.
pub fn year_bounds(year: i64) -> Result<(String, String)> {
    if !(1949..=2200).contains(&year) {
        return Err(Error::field("year", "年份不正确"));
    }
    Ok((format!("{year:04}-01-01"), format!("{year:04}-12-31")))
}

/// The congress whose record the actor works with: the one asked for (if
/// they may see it), else their own; for an administrator with none, the
/// first congress with deputies in office.
pub async fn congress_for(conn: &mut Conn, actor: &Actor, asked: Option<i64>) -> Result<i64> {
    let visible = org::scope::visible_congresses(conn, actor).await?;
    if let Some(c) = asked {
        if visible.as_ref().is_none_or(|v| v.contains(&c)) {
            return Ok(c);
        }
        return Err(Error::NotFound("人大"));
    }
    if let Some(c) = org::scope::own_congress(conn, actor).await? {
        return Ok(c);
    }
    if let Some(d) = actor.deputy_id {
        return Ok(deputy_mandate(conn, d, None).await?.congress_id);
    }
    let first: Option<i64> = sqlx::query_scalar(
        "SELECT MIN(congress_id) FROM deputy_mandate WHERE status = 'in_office'",
    )
    .fetch_one(conn)
    .await?;
    first.ok_or(Error::NotFound("人大"))
}

/// The deputy's mandate in the congress (their latest in office when none
/// is named): whose record, and which congress counts it.
pub async fn deputy_mandate(
    conn: &mut Conn,
    deputy: i64,
    congress: Option<i64>,
) -> Result<MandateView> {
    let all = org::store::deputies::mandates_of(conn, deputy).await?;
    let mut of = all
        .into_iter()
        .filter(|m| congress.is_none_or(|c| m.congress_id == c))
        .collect::<Vec<_>>();
    // mandates_of is latest first; one in office comes before an ended one.
    of.sort_by_key(|m| m.status != "in_office");
    of.into_iter().next().ok_or(Error::NotFound("代表"))
}

/// A deputy's record as the actor may see it: a deputy their own; staff and
/// leaders the deputies of their congresses. Anything else is "not found".
pub async fn visible_deputy(
    conn: &mut Conn,
    actor: &Actor,
    deputy: i64,
    congress: Option<i64>,
) -> Result<MandateView> {
    actor.require(Permission::ViewDutyRecord)?;
    if actor.role == Role::Deputy {
        if actor.deputy_id != Some(deputy) {
            return Err(Error::NotFound("代表"));
        }
        return deputy_mandate(conn, deputy, congress).await;
    }
    let visible = org::scope::visible_congresses(conn, actor).await?;
    let all = org::store::deputies::mandates_of(conn, deputy).await?;
    let mut seen: Vec<MandateView> = all
        .into_iter()
        .filter(|m| visible.as_ref().is_none_or(|v| v.contains(&m.congress_id)))
        .filter(|m| congress.is_none_or(|c| m.congress_id == c))
        .collect();
    seen.sort_by_key(|m| m.status != "in_office");
    seen.into_iter().next().ok_or(Error::NotFound("代表"))
}
