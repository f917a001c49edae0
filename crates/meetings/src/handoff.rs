//! The meetings' side of their hand-offs: the meetings whose agenda concerned
//! a motion, for the motion's page (`app::handoff::Hearings`).

use app::Result;
use app::handoff::{Heard, Hearings};
use db::Conn;
use futures_util::future::BoxFuture;

pub struct Agendas;

impl Hearings for Agendas {
    fn of_motion<'a>(
        &'a self,
        conn: &'a mut Conn,
        motion_id: i64,
    ) -> BoxFuture<'a, Result<Vec<Heard>>> {
        Box::pin(async move {
            let rows: Vec<(i64, String, String, String, Option<i64>)> = sqlx::query_as(
                "SELECT m.id, m.title, m.meeting_date, ai.title, ai.vote_passed
                 FROM agenda_item ai JOIN meeting m ON m.id = ai.meeting_id
                 WHERE ai.link_kind = 'motion' AND ai.link_id = $1 AND m.state <> 'cancelled'
                 ORDER BY m.meeting_date, m.id LIMIT 50",
            )
            .bind(motion_id)
            .fetch_all(conn)
            .await?;
            Ok(rows
                .into_iter()
                .map(|(id, title, date, item, passed)| Heard {
                    meeting_title: title,
                    meeting_date: date,
                    link: format!("/meetings/{id}"),
                    item_title: item,
                    outcome: match passed {
                        Some(1) => "表决通过".into(),
                        Some(_) => "表决未通过".into(),
                        None => String::new(),
                    },
                })
                .collect())
        })
    }
}

/// The meetings' facts for the duty record: for each held meeting, every
/// member on the day (present, on leave, or absent without leave — a meeting
/// before or after a membership is not theirs) and every deputy invited to
/// 列席 (present, or on leave / absent).
pub struct Attendance;

impl app::handoff::DutyFacts for Attendance {
    fn source(&self) -> &'static str {
        "meetings"
    }

    fn sql(&self, _backend: db::Backend) -> String {
        "SELECT b.congress_id, bm.deputy_id,
                CASE COALESCE(a.status, '') WHEN 'present' THEN 'meeting_present'
                     WHEN 'leave' THEN 'meeting_leave' ELSE 'meeting_absent' END AS type_code,
                m.meeting_date AS fact_date, m.title, '/meetings/' || m.id AS link
         FROM meeting m JOIN body b ON b.id = m.body_id
         JOIN body_member bm ON bm.body_id = m.body_id AND bm.deputy_id IS NOT NULL
              AND bm.from_date <= m.meeting_date AND (bm.to_date IS NULL OR bm.to_date >= m.meeting_date)
         LEFT JOIN meeting_attendance a ON a.meeting_id = m.id AND a.body_member_id = bm.id
         WHERE m.state IN ('held', 'minutes_approved')
         UNION ALL
         SELECT b.congress_id, a.deputy_id,
                CASE a.status WHEN 'present' THEN 'meeting_sit_in'
                     WHEN 'leave' THEN 'meeting_leave' ELSE 'meeting_absent' END,
                m.meeting_date, m.title, '/meetings/' || m.id
         FROM meeting m JOIN body b ON b.id = m.body_id
         JOIN meeting_attendance a ON a.meeting_id = m.id AND a.role = 'attending' AND a.deputy_id IS NOT NULL
         WHERE m.state IN ('held', 'minutes_approved')"
            .into()
    }
}
