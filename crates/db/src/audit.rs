//! The audit chain: append-only records, each carrying the SM3 hash of its
//! canonical content and of the previous record's hash.
//!
//! Appending bumps the single `audit_head` row first; the row lock that update
//! takes serialises concurrent appenders on PostgreSQL (and SQLite has one
//! writer), so the chain never forks. The record's INSERT then moves the
//! head's hash through a trigger, so an append costs two statements. Nothing
//! in this crate updates or deletes `audit_log` rows, and database triggers
//! refuse it too.

use crate::sql::bind_all;
use crate::{Conn, Page, Paged, Result, Where};

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What a service writes.
#[derive(Debug, Clone)]
pub struct NewAudit<'a> {
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: &'a str,
    pub role: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    /// What changed, without secrets or plain personal data.
    pub summary: &'a str,
    pub ip: &'a str,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub seq: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub role: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub summary: String,
    pub ip: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The canonical content of a record: a JSON array in fixed field order, so the
/// same record always hashes the same on every platform.
pub fn canonical(seq: i64, e: &NewAudit<'_>) -> String {
    serde_json::json!([
        seq,
        e.at,
        e.actor_id,
        e.actor_name,
        e.role,
        e.action,
        e.entity,
        e.entity_id,
        e.summary,
        e.ip
    ])
    .to_string()
}

/// hash = SM3(prev_hash ‖ canonical content).
pub fn chain_hash(prev_hash: &str, canonical: &str) -> String {
    let mut buf = String::with_capacity(prev_hash.len() + canonical.len());
    buf.push_str(prev_hash);
    buf.push_str(canonical);
    crypto::sm3_hex(buf.as_bytes())
}

impl AuditRow {
    fn recompute(&self) -> String {
        let e = NewAudit {
            at: self.at,
            actor_id: self.actor_id,
            actor_name: &self.actor_name,
            role: &self.role,
            action: &self.action,
            entity: &self.entity,
            entity_id: &self.entity_id,
            summary: &self.summary,
            ip: &self.ip,
        };
        chain_hash(&self.prev_hash, &canonical(self.seq, &e))
    }
}

/// Appends one record inside the caller's transaction; returns its sequence number.
pub async fn append(conn: &mut Conn, e: &NewAudit<'_>) -> Result<i64> {
    let (seq, prev): (i64, String) =
        sqlx::query_as("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
            .fetch_one(&mut *conn)
            .await?;
    let hash = chain_hash(&prev, &canonical(seq, e));
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor_id, actor_name, role, action, entity, entity_id, summary, ip, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(seq)
    .bind(e.at)
    .bind(e.actor_id)
    .bind(e.actor_name)
    .bind(e.role)
    .bind(e.action)
    .bind(e.entity)
    .bind(e.entity_id)
    .bind(e.summary)
    .bind(e.ip)
    .bind(&prev)
    .bind(&hash)
    .execute(&mut *conn)
    .await?;
    // The trigger `audit_log_moves_head` (migration 0004) sets the head's hash.
    Ok(seq)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Broken {
    /// A record's stored hash does not match its content, or its link to the previous one.
    Record { seq: i64, reason: String },
    /// Records are missing, or the head no longer matches the last record.
    Chain { seq: i64, reason: String },
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Broken::Record { seq, reason } | Broken::Chain { seq, reason } => {
                write!(f, "record {seq}: {reason}")
            }
        }
    }
}

const VERIFY_BATCH: i64 = 5000;

/// Walks the whole chain in sequence order, in batches; `Ok(count)` when intact.
pub async fn verify(conn: &mut Conn) -> Result<std::result::Result<i64, Broken>> {
    let mut expected_seq = 1i64;
    let mut prev = GENESIS.to_string();
    loop {
        let rows: Vec<AuditRow> = sqlx::query_as(
            "SELECT seq, at, actor_id, actor_name, role, action, entity, entity_id, summary, ip, prev_hash, hash
             FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2",
        )
        .bind(expected_seq)
        .bind(VERIFY_BATCH)
        .fetch_all(&mut *conn)
        .await?;
        let n = rows.len() as i64;
        for r in rows {
            if r.seq != expected_seq {
                return Ok(Err(Broken::Chain {
                    seq: expected_seq,
                    reason: format!("missing (next present record is {})", r.seq),
                }));
            }
            if r.prev_hash != prev {
                return Ok(Err(Broken::Record {
                    seq: r.seq,
                    reason: "link to the previous record does not match".into(),
                }));
            }
            if r.recompute() != r.hash {
                return Ok(Err(Broken::Record {
                    seq: r.seq,
                    reason: "content does not match its hash".into(),
                }));
            }
            prev = r.hash;
            expected_seq += 1;
        }
        if n < VERIFY_BATCH {
            break;
        }
    }
    let (head_seq, head_hash): (i64, String) =
        sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&mut *conn)
            .await?;
    let count = expected_seq - 1;
    if head_seq != count || head_hash != prev {
        return Ok(Err(Broken::Chain {
            seq: count + 1,
            reason: format!(
                "head says {head_seq} records but {count} are present or the last hash differs"
            ),
        }));
    }
    Ok(Ok(count))
}

#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
}

fn where_of(f: &AuditFilter) -> Where {
    let mut w = Where::new();
    if let Some(a) = &f.actor {
        w.contains("actor_name", a);
    }
    if let Some(a) = &f.action {
        w.eq("action", a.as_str());
    }
    if let Some(e) = &f.entity {
        w.eq("entity", e.as_str());
    }
    if let Some(e) = &f.entity_id {
        w.eq("entity_id", e.as_str());
    }
    if let Some(t) = f.from_ms {
        w.raw("at >= {}", vec![t.into()]);
    }
    if let Some(t) = f.to_ms {
        w.raw("at < {}", vec![t.into()]);
    }
    w
}

pub async fn list(conn: &mut Conn, f: &AuditFilter, page: Page) -> Result<Paged<AuditRow>> {
    let w = where_of(f);
    let (total, capped) =
        crate::sql::count_capped(conn, &format!("audit_log{}", w.sql()), &w.args).await?;
    let sql = format!(
        "SELECT seq, at, actor_id, actor_name, role, action, entity, entity_id, summary, ip, prev_hash, hash
         FROM audit_log{} ORDER BY seq DESC{}",
        w.sql(),
        page.sql()
    );
    let items = bind_all(sqlx::query_as(&sql), &w.args)
        .fetch_all(&mut *conn)
        .await?;
    Ok(Paged {
        items,
        total,
        capped,
        page: page.page,
        per_page: page.per_page,
    })
}

/// Distinct action names, for the filter menu.
pub async fn actions(conn: &mut Conn) -> Result<Vec<String>> {
    sqlx::query_scalar("SELECT DISTINCT action FROM audit_log ORDER BY action")
        .fetch_all(conn)
        .await
}
