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
