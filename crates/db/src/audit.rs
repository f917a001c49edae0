//! The audit chain: append-only records, each carrying the HMAC-SM3 of its
//! canonical content and of the previous record's hash, under a key the
//! database does not hold. Signed checkpoints of the head, kept outside the
//! database (see `app::checkpoint`), reveal a chain cut short or rebuilt.
//!
//! Appending bumps the single `audit_head` row first; the row lock that update
//! takes serialises concurrent appenders on PostgreSQL (and SQLite has one
//! writer), so the chain never forks. The record's INSERT then moves the
//! head's hash through a trigger, so an append costs two statements. Nothing
//! in this crate updates or deletes `audit_log` rows, and database triggers
//! refuse it too.

use crate::sql::bind_all;
use crypto::chain::ChainKey;

use crate::{Conn, Page, Paged, Result, Tx, Where};

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

/// The link of a record written before the chain was keyed (migration
/// 0013): hash = SM3(prev_hash ‖ canonical content). Kept only to verify
/// those records; the first signed checkpoint vouches for them.
pub fn legacy_hash(prev_hash: &str, canonical: &str) -> String {
    let mut buf = String::with_capacity(prev_hash.len() + canonical.len());
    buf.push_str(prev_hash);
    buf.push_str(canonical);
    crypto::sm3_hex(buf.as_bytes())
}

/// hash = HMAC-SM3(chain key, prev_hash ‖ canonical content). The key is
/// derived from the deployment's key and never stored in the database, so
/// whoever edits the database cannot recompute the links.
pub fn chain_hash(key: &ChainKey, prev_hash: &str, canonical: &str) -> String {
    key.mac_hex(&[prev_hash, canonical])
}

impl AuditRow {
    fn canonical_as(&self, seq: i64) -> String {
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
        canonical(seq, &e)
    }
}

/// Appends one record inside the caller's transaction; returns its sequence
/// number. Refuses when the transaction carries no chain key.
pub async fn append(tx: &mut Tx, e: &NewAudit<'_>) -> Result<i64> {
    let Some(key) = tx.chain_key().cloned() else {
        return Err(sqlx::Error::Protocol(
            "the audit chain key is not set (Db::set_chain_key)".into(),
        ));
    };
    let conn: &mut Conn = tx;
    let (seq, prev): (i64, String) =
        sqlx::query_as("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
            .fetch_one(&mut *conn)
            .await?;
    let hash = chain_hash(&key, &prev, &canonical(seq, e));
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

/// The first thing wrong, in brief (the web page's and the API's verdict).
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
            Broken::Record { reason, .. } | Broken::Chain { reason, .. } => f.write_str(reason),
        }
    }
}

/// The chain's head as the database states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
    /// The first record linked with the key (see migration 0013).
    pub keyed_from: i64,
}

pub async fn head(conn: &mut Conn) -> Result<Head> {
    let (seq, hash, keyed_from): (i64, String, i64) =
        sqlx::query_as("SELECT seq, hash, keyed_from FROM audit_head WHERE id = 1")
            .fetch_one(conn)
            .await?;
    Ok(Head {
        seq,
        hash,
        keyed_from,
    })
}

/// What a signed checkpoint vouches for: the head at some moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub seq: i64,
    pub hash: String,
    pub keyed_from: i64,
    /// When it was written (UTC ms), for the report.
    pub at: i64,
}

/// One thing wrong with the chain, named for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// The record's content no longer matches its keyed hash: it was edited
    /// (and its hash recomputed without the key, or not at all).
    Rewritten { seq: i64 },
    /// The record's content matches its hash under another number: it was
    /// renumbered, as after deleting a record before it.
    Renumbered { seq: i64, was: i64 },
    /// The record does not link to the one before it: something between was
    /// deleted, inserted or changed.
    Unlinked { seq: i64 },
    /// Sequence numbers `from..=to` are missing.
    Missing { from: i64, to: i64 },
    /// The head row disagrees with the last record.
    Head { head_seq: i64, last_seq: i64 },
    /// A checkpoint vouches for a different hash at its number: history up to
    /// there was rewritten.
    AnchorDiffers { seq: i64, at: i64 },
    /// A checkpoint vouches for more records than are present: the tail was cut off.
    TailCut {
        last_seq: i64,
        anchor_seq: i64,
        at: i64,
    },
    /// The point where keyed links begin differs from what the checkpoints signed.
    KeyedFromChanged { stated: i64, signed: i64 },
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Finding::Rewritten { seq } => write!(
                f,
                "record {seq}: rewritten (its content does not match its keyed hash)"
            ),
            Finding::Renumbered { seq, was } => {
                write!(f, "record {seq}: renumbered (it was record {was})")
            }
            Finding::Unlinked { seq } => write!(
                f,
                "record {seq}: does not link to the record before it (a record was deleted, inserted or changed)"
            ),
            Finding::Missing { from, to } if from == to => write!(f, "record {from}: deleted"),
            Finding::Missing { from, to } => write!(f, "records {from}–{to}: deleted"),
            Finding::Head { head_seq, last_seq } => write!(
                f,
                "head: says {head_seq} records, the last present is {last_seq}, or its hash differs"
            ),
            Finding::AnchorDiffers { seq, at } => write!(
                f,
                "record {seq}: differs from the checkpoint signed at {} (history up to it was rewritten)",
                kernel::time::format_ms(*at)
            ),
            Finding::TailCut {
                last_seq,
                anchor_seq,
                at,
            } => write!(
                f,
                "tail cut off: the checkpoint signed at {} vouches for {anchor_seq} records, the last present is {last_seq}",
                kernel::time::format_ms(*at)
            ),
            Finding::KeyedFromChanged { stated, signed } => write!(
                f,
                "head: keyed links are said to begin at {stated}, the checkpoints signed {signed}"
            ),
        }
    }
}

/// The result of a walk of the chain.
#[derive(Debug, Clone, Default)]
pub struct Verdict {
    /// Records present.
    pub records: i64,
    /// Checkpoints compared with the chain.
    pub anchors_checked: usize,
    /// The first findings, in order (at most [`MAX_FINDINGS`]).
    pub findings: Vec<Finding>,
    /// How many findings there were in all.
    pub total_findings: usize,
}

impl Verdict {
    pub fn is_ok(&self) -> bool {
        self.total_findings == 0
    }

    /// The verdict in brief: the count when intact, else the first finding.
    pub fn brief(&self) -> std::result::Result<i64, Broken> {
        let Some(f) = self.findings.first() else {
            return Ok(self.records);
        };
        let reason = f.to_string();
        Err(match *f {
            Finding::Rewritten { seq }
            | Finding::Renumbered { seq, .. }
            | Finding::Unlinked { seq }
            | Finding::AnchorDiffers { seq, .. } => Broken::Record { seq, reason },
            Finding::Missing { from, .. } => Broken::Chain { seq: from, reason },
            Finding::Head { last_seq, .. } | Finding::TailCut { last_seq, .. } => Broken::Chain {
                seq: last_seq + 1,
                reason,
            },
            Finding::KeyedFromChanged { stated, .. } => Broken::Chain {
                seq: stated,
                reason,
            },
        })
    }

    fn add(&mut self, f: Finding) {
        self.total_findings += 1;
        if self.findings.len() < MAX_FINDINGS {
            self.findings.push(f);
        }
    }
}

pub const MAX_FINDINGS: usize = 20;
const VERIFY_BATCH: i64 = 5000;
/// How far a renumbered record is looked for (records deleted before it).
const RENUMBER_REACH: i64 = 8;

/// Walks the whole chain in sequence order, in batches, checking each
/// record's keyed hash, each link, the head, and every anchor (already
/// signature-checked checkpoints). Reports every finding rather than
/// stopping at the first, so a rewrite, a deletion and a cut-off tail are
/// each named.
pub async fn verify(conn: &mut Conn, key: &ChainKey, anchors: &[Anchor]) -> Result<Verdict> {
    let head = head(conn).await?;
    let mut v = Verdict {
        anchors_checked: anchors.len(),
        ..Verdict::default()
    };
    for a in anchors {
        if a.keyed_from != head.keyed_from {
            v.add(Finding::KeyedFromChanged {
                stated: head.keyed_from,
                signed: a.keyed_from,
            });
            break;
        }
    }
    // Keyed links begin where the checkpoints signed, whatever the head says.
    let keyed_from = anchors.first().map_or(head.keyed_from, |a| a.keyed_from);
    let mut by_seq: std::collections::BTreeMap<i64, &Anchor> = std::collections::BTreeMap::new();
    for a in anchors {
        by_seq.insert(a.seq, a);
    }
    if let Some(a) = by_seq.get(&0)
        && a.hash != GENESIS
    {
        v.add(Finding::AnchorDiffers { seq: 0, at: a.at });
    }
    let mut expected_seq = 1i64;
    let mut prev = GENESIS.to_string();
    let mut last_seq = 0i64;
    let mut after = 0i64;
    loop {
        let rows: Vec<AuditRow> = sqlx::query_as(
            "SELECT seq, at, actor_id, actor_name, role, action, entity, entity_id, summary, ip, prev_hash, hash
             FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after)
        .bind(VERIFY_BATCH)
        .fetch_all(&mut *conn)
        .await?;
        let n = rows.len() as i64;
        for r in rows {
            if r.seq != expected_seq {
                v.add(Finding::Missing {
                    from: expected_seq,
                    to: r.seq - 1,
                });
            }
            if r.prev_hash != prev {
                v.add(Finding::Unlinked { seq: r.seq });
            }
            let hash_of = |seq: i64| {
                let c = r.canonical_as(seq);
                if seq < keyed_from {
                    legacy_hash(&r.prev_hash, &c)
                } else {
                    chain_hash(key, &r.prev_hash, &c)
                }
            };
            if hash_of(r.seq) != r.hash {
                match (1..=RENUMBER_REACH).find(|d| hash_of(r.seq + d) == r.hash) {
                    Some(d) => v.add(Finding::Renumbered {
                        seq: r.seq,
                        was: r.seq + d,
                    }),
                    None => v.add(Finding::Rewritten { seq: r.seq }),
                }
            }
            if let Some(a) = by_seq.get(&r.seq)
                && a.hash != r.hash
            {
                v.add(Finding::AnchorDiffers {
                    seq: r.seq,
                    at: a.at,
                });
            }
            v.records += 1;
            last_seq = r.seq;
            after = r.seq;
            prev = r.hash;
            expected_seq = r.seq + 1;
        }
        if n < VERIFY_BATCH {
            break;
        }
    }
    if head.seq != last_seq || head.hash != prev {
        v.add(Finding::Head {
            head_seq: head.seq,
            last_seq,
        });
    }
    if let Some((&seq, a)) = by_seq.iter().next_back()
        && seq > last_seq
    {
        v.add(Finding::TailCut {
            last_seq,
            anchor_seq: seq,
            at: a.at,
        });
    }
    Ok(v)
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
