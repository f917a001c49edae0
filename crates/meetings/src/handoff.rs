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
