//! The meetings' use cases. Every one asks the permission table first and
//! finds the meeting through [`visible`], so a meeting outside the actor's
//! congresses — or, for a deputy, one they neither sit on nor are invited
//! to — answers "not found", as a forged id does.

pub mod agenda;
pub mod attendance;
pub mod demo;
pub mod forum;
pub mod home;
pub mod meetings;
pub mod observers;
pub mod opinion_items;
pub mod outputs;
pub mod report;
pub mod sign_in;

use app::{Actor, Error, Result};
use kernel::roles::{Permission, Role};

use crate::rules::MeetingState;
use crate::store::{self, MeetingRow};

/// A meeting the actor may see.
pub(crate) async fn visible(conn: &mut db::Conn, actor: &Actor, id: i64) -> Result<MeetingRow> {
    actor.require(Permission::ViewMeetings)?;
    let m = store::get(conn, id).await?.ok_or(Error::NotFound("会议"))?;
    if sees(conn, actor, &m).await? {
        Ok(m)
    } else {
        Err(Error::NotFound("会议"))
    }
}

async fn sees(conn: &mut db::Conn, actor: &Actor, m: &MeetingRow) -> Result<bool> {
    if actor.role == Role::Deputy {
        let Some(d) = actor.deputy_id else {
            return Ok(false);
        };
        return Ok(store::takes_part(conn, m.id, d).await?);
    }
    Ok(match org::scope::visible_congresses(conn, actor).await? {
        Some(ids) => ids.contains(&m.congress_id),
        None => true,
    })
}

/// A meeting the actor may manage.
pub(crate) async fn managed(conn: &mut db::Conn, actor: &Actor, id: i64) -> Result<MeetingRow> {
    actor.require(Permission::ManageMeetings)?;
    visible(conn, actor, id).await
}

pub(crate) fn state_of(m: &MeetingRow) -> MeetingState {
    MeetingState::parse(&m.state).unwrap_or(MeetingState::Planned)
}
