//! Statistics of the closed loop, aggregated in SQL: one row per unit,
//! category, session or lead deputy, over the replying assignments (lead and
//! separate units; returned assignments do not count).

use db::sql::bind_all;
use db::{Conn, Result, Where};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    Unit,
    Category,
    Session,
    Deputy,
}

#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct StatRow {
    pub key: String,
    pub label: String,
    pub assigned: i64,
    pub replied: i64,
    pub on_time: i64,
    pub contacted: i64,
    pub solved: i64,
    pub rehandled: i64,
    pub evaluated: i64,
    pub satisfied: i64,
    pub commitments: i64,
    pub fulfilled: i64,
    pub overdue: i64,
}

#[derive(Debug, Default, Clone)]
pub struct StatFilter {
    pub congress_ids: Option<Vec<i64>>,
    pub session_id: Option<i64>,
    pub unit_ids: Option<Vec<i64>>,
    /// Today, for counting overdue assignments.
    pub today: String,
}

pub async fn aggregate(conn: &mut Conn, dim: Dimension, f: &StatFilter) -> Result<Vec<StatRow>> {
    let mut w = Where::new();
    w.raw(
        "a.role IN ('lead', 'separate') AND a.state <> 'returned'",
        vec![],
    );
    if let Some(ids) = &f.congress_ids {
        w.in_list("i.congress_id", ids);
    }
    if let Some(s) = f.session_id {
        w.eq("s.session_id", s);
    }
    if let Some(ids) = &f.unit_ids {
        w.in_list("a.unit_id", ids);
    }
    let today = w.arg(f.today.clone());
    let (key, label, join) = match dim {
        Dimension::Unit => (
            "CAST(a.unit_id AS TEXT)",
            "u.name",
            "JOIN unit u ON u.id = a.unit_id",
        ),
        Dimension::Category => ("s.category", "s.category", ""),
        Dimension::Session => (
            "COALESCE(CAST(s.session_id AS TEXT), '-')",
            "COALESCE('第' || CAST(t.number AS TEXT) || '届第' || CAST(cs.number AS TEXT) || '次会议', '闭会期间')",
            "LEFT JOIN congress_session cs ON cs.id = s.session_id LEFT JOIN term t ON t.id = cs.term_id",
        ),
        Dimension::Deputy => (
            "CAST(s.lead_deputy_id AS TEXT)",
            "d.name",
            "JOIN deputy d ON d.id = s.lead_deputy_id",
        ),
    };
    // Each measure is 0/1 per assignment (or a count), summed per group.
    let open = engine::store::OPEN_STATES;
    let sql = format!(
        "SELECT {key} AS key, {label} AS label,
            CAST(COUNT(*) AS BIGINT) AS assigned,
            CAST(SUM(CASE WHEN a.first_reply_on IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS replied,
            CAST(SUM(COALESCE(a.first_reply_on_time, 0)) AS BIGINT) AS on_time,
            CAST(SUM(CASE WHEN EXISTS (SELECT 1 FROM item_contact c WHERE c.assignment_id = a.id) THEN 1 ELSE 0 END) AS BIGINT) AS contacted,
            CAST(SUM(CASE WHEN EXISTS (SELECT 1 FROM item_reply r WHERE r.assignment_id = a.id AND r.current = 1 AND r.result_category LIKE '%已解决%') AND a.state = 'replied' THEN 1 ELSE 0 END) AS BIGINT) AS solved,
            CAST(SUM(CASE WHEN i.round > 1 THEN 1 ELSE 0 END) AS BIGINT) AS rehandled,
            CAST(SUM(CASE WHEN EXISTS (SELECT 1 FROM item_evaluation e WHERE e.item_id = i.id) THEN 1 ELSE 0 END) AS BIGINT) AS evaluated,
            CAST(SUM(CASE WHEN EXISTS (SELECT 1 FROM item_evaluation e WHERE e.item_id = i.id AND e.round = (SELECT MAX(e2.round) FROM item_evaluation e2 WHERE e2.item_id = i.id) AND e.result <> 'dissatisfied' AND e.attitude <> 'dissatisfied') THEN 1 ELSE 0 END) AS BIGINT) AS satisfied,
            CAST(SUM((SELECT COUNT(*) FROM item_commitment c JOIN item_reply r ON r.id = c.reply_id WHERE r.assignment_id = a.id AND r.current = 1)) AS BIGINT) AS commitments,
            CAST(SUM((SELECT COUNT(*) FROM item_commitment c JOIN item_reply r ON r.id = c.reply_id WHERE r.assignment_id = a.id AND r.current = 1 AND c.state = 'fulfilled')) AS BIGINT) AS fulfilled,
            CAST(SUM(CASE WHEN a.state IN {open} AND a.due_date < {today} THEN 1 ELSE 0 END) AS BIGINT) AS overdue
         FROM assignment a JOIN tracked_item i ON i.id = a.item_id JOIN suggestion s ON s.item_id = i.id {join}{}
         GROUP BY {key}, {label} ORDER BY assigned DESC, label LIMIT 500",
        w.sql()
    );
    bind_all(sqlx::query_as(&sql), &w.args)
        .fetch_all(conn)
        .await
}
