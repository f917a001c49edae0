//! The reports' queries: attendance tallies over a period, the deputies who
//! attended as 列席, and the planner's list of deputies not yet reached.

use db::{Conn, Result};

/// In-office deputies of the congress in the term, who have not yet attended
/// (present, as member or 列席) a held meeting of its bodies in that term,
/// first; then the rest. (id, name, constituency, attended count).
pub async fn invite_candidates(
    conn: &mut Conn,
    congress_id: i64,
    term_id: i64,
) -> Result<Vec<(i64, String, String, i64)>> {
    sqlx::query_as(
        "SELECT d.id, d.name, dm.constituency || '，' || SUBSTR(d.birth_date, 1, 4) || '年生' AS constituency,
                (SELECT COUNT(*) FROM meeting_attendance a JOIN meeting m ON m.id = a.meeting_id
                  WHERE a.deputy_id = d.id AND a.status = 'present' AND m.term_id = $2
                    AND m.state IN ('held', 'minutes_approved')) AS attended
         FROM deputy_mandate dm JOIN deputy d ON d.id = dm.deputy_id
         WHERE dm.congress_id = $1 AND dm.term_id = $2 AND dm.status = 'in_office'
         ORDER BY attended, dm.constituency, d.name LIMIT 3000",
    )
    .bind(congress_id)
    .bind(term_id)
    .fetch_all(conn)
    .await
}

/// A membership's attendance over held meetings in a period.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberTally {
    pub member_id: i64,
    pub deputy_id: Option<i64>,
    pub name: String,
    pub position: String,
    pub expected: i64,
    pub present: i64,
    pub on_leave: i64,
}

pub async fn member_tallies(
    conn: &mut Conn,
    body_id: i64,
    from: &str,
    to: &str,
) -> Result<Vec<MemberTally>> {
    sqlx::query_as(
        "SELECT bm.id AS member_id, bm.deputy_id, bm.name, bm.position, COUNT(*) AS expected,
                SUM(CASE WHEN a.status = 'present' THEN 1 ELSE 0 END) AS present,
                SUM(CASE WHEN a.status = 'leave' THEN 1 ELSE 0 END) AS on_leave
         FROM meeting m
         JOIN body_member bm ON bm.body_id = m.body_id AND bm.from_date <= m.meeting_date
              AND (bm.to_date IS NULL OR bm.to_date >= m.meeting_date)
         LEFT JOIN meeting_attendance a ON a.meeting_id = m.id AND a.body_member_id = bm.id
         WHERE m.body_id = $1 AND m.state IN ('held', 'minutes_approved')
           AND m.meeting_date >= $2 AND m.meeting_date <= $3
         GROUP BY bm.id, bm.deputy_id, bm.name, bm.position
         ORDER BY CASE bm.position WHEN 'chair' THEN 0 WHEN 'vice_chair' THEN 1
                  WHEN 'secretary_general' THEN 2 ELSE 3 END, bm.from_date, bm.id",
    )
    .bind(body_id)
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await
}

/// Deputies who attended as 列席 in a period, with how often: (deputy, name, times).
pub async fn attending_tallies(
    conn: &mut Conn,
    congress_id: i64,
    from: &str,
    to: &str,
) -> Result<Vec<(i64, String, i64)>> {
    sqlx::query_as(
        "SELECT a.deputy_id, a.name, COUNT(*) AS times
         FROM meeting_attendance a JOIN meeting m ON m.id = a.meeting_id JOIN body b ON b.id = m.body_id
         WHERE b.congress_id = $1 AND a.role = 'attending' AND a.status = 'present'
           AND m.state IN ('held', 'minutes_approved')
           AND m.meeting_date >= $2 AND m.meeting_date <= $3
         GROUP BY a.deputy_id, a.name ORDER BY times DESC, a.name LIMIT 1000",
    )
    .bind(congress_id)
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await
}

/// How many in-office deputies of the term have attended (present, as member
/// or 列席) at least one held meeting of the congress's bodies in the term,
/// and how many there are: the seeds' aim is every deputy once a term.
pub async fn term_reach(conn: &mut Conn, congress_id: i64, term_id: i64) -> Result<(i64, i64)> {
    sqlx::query_as(
        "SELECT COUNT(DISTINCT CASE WHEN EXISTS (
                    SELECT 1 FROM meeting_attendance a JOIN meeting m ON m.id = a.meeting_id
                    WHERE a.deputy_id = dm.deputy_id AND a.status = 'present' AND m.term_id = $2
                    AND m.state IN ('held', 'minutes_approved'))
                THEN dm.deputy_id END),
                COUNT(DISTINCT dm.deputy_id)
         FROM deputy_mandate dm WHERE dm.congress_id = $1 AND dm.term_id = $2 AND dm.status = 'in_office'",
    )
    .bind(congress_id)
    .bind(term_id)
    .fetch_one(conn)
    .await
}

/// A deputy's attendance at held meetings between two days: the hand-off the
/// duty record reads (one row per meeting they could attend).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeputyAttendanceRow {
    pub meeting_id: i64,
    pub title: String,
    pub meeting_date: String,
    pub role: String,
    /// '' when nothing was recorded (counts as absent for a member).
    pub status: String,
    pub reason: String,
}

pub async fn deputy_attendance(
    conn: &mut Conn,
    deputy_id: i64,
    from: &str,
    to: &str,
) -> Result<Vec<DeputyAttendanceRow>> {
    sqlx::query_as(
        "SELECT m.id AS meeting_id, m.title, m.meeting_date, 'member' AS role,
                COALESCE(a.status, '') AS status, COALESCE(a.reason, '') AS reason
         FROM meeting m
         JOIN body_member bm ON bm.body_id = m.body_id AND bm.deputy_id = $1
              AND bm.from_date <= m.meeting_date AND (bm.to_date IS NULL OR bm.to_date >= m.meeting_date)
         LEFT JOIN meeting_attendance a ON a.meeting_id = m.id AND a.body_member_id = bm.id
         WHERE m.state IN ('held', 'minutes_approved') AND m.meeting_date >= $2 AND m.meeting_date <= $3
         UNION ALL
         SELECT m.id, m.title, m.meeting_date, 'attending', a.status, a.reason
         FROM meeting m JOIN meeting_attendance a ON a.meeting_id = m.id AND a.role = 'attending' AND a.deputy_id = $1
         WHERE m.state IN ('held', 'minutes_approved') AND m.meeting_date >= $2 AND m.meeting_date <= $3
         ORDER BY 3, 1",
    )
    .bind(deputy_id)
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await
}
