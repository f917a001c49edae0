//! The forum of the deputies who attended as 列席 (列席代表座谈会, seed 002:
//! 「召开列席代表座谈会、公民旁听常委会会议」): once a meeting is held, staff
//! record when it met and what the deputies said; those present are the 列席
//! deputies signed in or marked present.

use app::validate::Check;
use app::{Actor, Ctx, Error, Result};
use kernel::calendar::parse_date;
use serde::Deserialize;

use crate::rules::{Attendance, MeetingState};

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ForumInput {
    /// YYYY-MM-DD; empty: the meeting's day.
    #[serde(default)]
    #[schema(format = Date)]
    pub held_on: String,
    /// What the deputies said, one view a line.
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 10000)]
    pub summary: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ForumRow {
    pub held_on: String,
    pub participants: String,
    pub summary: String,
}

pub async fn of_meeting(conn: &mut db::Conn, meeting: i64) -> Result<Option<ForumRow>> {
    Ok(sqlx::query_as(
        "SELECT held_on, participants, summary FROM meeting_forum WHERE meeting_id = $1",
    )
    .bind(meeting)
    .fetch_optional(conn)
    .await?)
}

/// Records (or corrects) the meeting's forum.
#[tracing::instrument(name = "meetings::forum", skip_all, fields(actor = %actor.username, id))]
pub async fn record(ctx: &Ctx, actor: &Actor, id: i64, input: &ForumInput) -> Result<()> {
    let mut tx = ctx.begin().await?;
    let m = super::managed(&mut tx, actor, id).await?;
    if !matches!(
        super::state_of(&m),
        MeetingState::Held | MeetingState::MinutesApproved
    ) {
        return Err(Error::Conflict("会议召开后才能记录列席代表座谈会".into()));
    }
    let present: Vec<String> = super::attendance::invited(&mut tx, id)
        .await?
        .into_iter()
        .filter(|k| k.status == Attendance::Present.code())
        .map(|k| k.name)
        .collect();
    let mut check = Check::new();
    if present.is_empty() {
        check.add("summary", "本次会议没有出席的列席代表，无需记录座谈会");
    }
    let summary = check.text("summary", "座谈会意见", &input.summary, 10000);
    let held = if input.held_on.trim().is_empty() {
        Some(m.meeting_date.clone())
    } else {
        check
            .take(
                "held_on",
                parse_date(&input.held_on).map_err(|e| e.to_string()),
            )
            .map(|d| d.to_string())
    };
    if let Some(h) = &held
        && (h.as_str() < m.meeting_date.as_str() || h.as_str() > ctx.today().to_string().as_str())
    {
        check.add(
            "held_on",
            format!("座谈会日期应在会议日期 {} 至今天之间", m.meeting_date),
        );
    }
    check.finish()?;
    let held = held.unwrap_or_else(|| m.meeting_date.clone());
    let participants = present.join("、");
    let now = ctx.now_ms();
    let existing = of_meeting(&mut tx, id).await?;
    if existing.is_some() {
        sqlx::query(
            "UPDATE meeting_forum SET held_on = $1, participants = $2, summary = $3, updated_at = $4
             WHERE meeting_id = $5",
        )
        .bind(&held)
        .bind(&participants)
        .bind(&summary)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    } else {
        sqlx::query(
            "INSERT INTO meeting_forum (meeting_id, held_on, participants, summary, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $5)",
        )
        .bind(id)
        .bind(&held)
        .bind(&participants)
        .bind(&summary)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    app::audit::record(
        &mut tx,
        actor,
        if existing.is_some() {
            "meeting.forum_correct"
        } else {
            "meeting.forum"
        },
        "meeting",
        id,
        format!("{}列席代表座谈会（{held}，{participants}）", m.title),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
