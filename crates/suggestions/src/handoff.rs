//! The suggestion loop's side of its hand-offs: motions found by number for
//! the meetings that deliberate them (`app::handoff::Motions`).

use app::Result;
use app::handoff::{MotionRef, Motions};
use db::Conn;
use futures_util::future::BoxFuture;

/// Motions by their numbers.
pub struct MotionDirectory;

/// The number in a reference as users write it: "3", "第3号", "议案第3号".
pub fn number_in(reference: &str) -> Option<i64> {
    let digits: String = reference.chars().filter(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|n| *n > 0)
}

impl Motions for MotionDirectory {
    fn find<'a>(
        &'a self,
        conn: &'a mut Conn,
        congress_id: i64,
        reference: &'a str,
    ) -> BoxFuture<'a, Result<Option<MotionRef>>> {
        Box::pin(async move {
            let Some(n) = number_in(reference) else {
                return Ok(None);
            };
            // Only motions on their own path: accepted or handled, not converted.
            let row: Option<(i64, i64, String, i64)> = sqlx::query_as(
                "SELECT id, number, title, lead_deputy_id FROM suggestion
                 WHERE congress_id = $1 AND kind = 'motion' AND number = $2
                   AND state IN ('accepted', 'assigned')
                 ORDER BY session_id DESC, id DESC LIMIT 1",
            )
            .bind(congress_id)
            .bind(n)
            .fetch_optional(conn)
            .await?;
            Ok(row.map(|(id, number, title, lead)| MotionRef {
                id,
                label: format!("议案第{number}号"),
                title,
                lead_deputy_id: lead,
                link: crate::service::link(id),
            }))
        })
    }
}

/// The suggestion loop's facts for the duty record: a suggestion or motion
/// the deputy led once it was registered (accepted, merged or assigned — a
/// refused or withdrawn one does not count), a co-signature confirmed on
/// one, and the key-supervision mark, the quality mark the loop keeps. Dated
/// by submission, in Beijing time.
pub struct Proposals;

impl app::handoff::DutyFacts for Proposals {
    fn source(&self) -> &'static str {
        "suggestions"
    }

    fn sql(&self, backend: db::Backend) -> String {
        let day = match backend {
            db::Backend::Sqlite => "date((s.submitted_at + 28800000) / 1000, 'unixepoch')",
            db::Backend::Postgres => {
                "to_char(to_timestamp((s.submitted_at + 28800000) / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
            }
        };
        let counted =
            "s.state IN ('accepted', 'merged', 'assigned') AND s.submitted_at IS NOT NULL";
        format!(
            "SELECT s.congress_id, s.lead_deputy_id AS deputy_id,
                    CASE s.kind WHEN 'motion' THEN 'motion_lead' ELSE 'suggestion_lead' END AS type_code,
                    {day} AS fact_date, s.title, '/suggestions/' || s.id AS link
             FROM suggestion s WHERE {counted}
             UNION ALL
             SELECT s.congress_id, g.deputy_id, 'suggestion_cosign', {day}, s.title, '/suggestions/' || s.id
             FROM suggestion s JOIN suggestion_signer g ON g.suggestion_id = s.id
                  AND g.status = 'confirmed' AND g.deputy_id <> s.lead_deputy_id
             WHERE {counted}
             UNION ALL
             SELECT s.congress_id, s.lead_deputy_id, 'suggestion_key', {day}, s.title, '/suggestions/' || s.id
             FROM suggestion s WHERE {counted} AND s.key_supervision = 1"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::number_in;

    #[test]
    fn numbers_as_users_write_them() {
        assert_eq!(number_in("3"), Some(3));
        assert_eq!(number_in("议案第12号"), Some(12));
        assert_eq!(number_in("议案"), None);
        assert_eq!(number_in("0"), None);
    }
}
