//! Idempotency keys: a retried request finds the first one's answer instead
//! of creating a second record.
//!
//! A client that sent a request and lost the connection cannot know whether
//! it was committed. With an `Idempotency-Key` header (the web layer reads it
//! and runs the request inside [`scope`]) the first audited change of the
//! request claims the key *in the request's own transaction* ([`claim`],
//! called by [`crate::audit::record`]), with the entity it changed and the
//! server process running it: if the transaction commits, the claim does; if
//! it rolls back, nothing is held. Once the answer is known, the web layer
//! keeps it beside the claim, encrypted under the deployment key (answers
//! may hold a new token, a temporary password or revealed personal data)
//! ([`store_answer`]), whatever its status: a refusal that still recorded
//! something is replayed as that refusal.
//!
//! A retry with the same key gets the kept answer. A claim without one is
//! either still running (the same process is between its commit and keeping
//! the answer: the retry is told to wait) or was left by a process that
//! died in that instant (another process's claim, or one older than
//! [`IN_FLIGHT_MS`]): then the answer is rebuilt from the claim — the id of
//! what was created. Keys belong to a principal (an account or an API
//! token; anonymous requests take none) and are kept a day.

use std::cell::Cell;
use std::sync::OnceLock;

use db::Tx;

use crate::{Ctx, Error, Result};

/// How long a key and its answer are kept.
pub const KEPT_MS: i64 = 24 * 3600 * 1000;

/// A claim without an answer younger than this, from this process, is a
/// request still running.
pub const IN_FLIGHT_MS: i64 = 60_000;

/// The longest key accepted.
pub const MAX_KEY_LEN: usize = 64;

const CONTEXT: &str = "renda.idempotency";

/// This server process, as claims record it.
pub fn instance() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| crypto::random_hex(8))
}

/// The key of the request being served.
pub struct Pending {
    pub principal: String,
    pub key: String,
    pub fingerprint: String,
    claimed: Cell<bool>,
}

tokio::task_local! {
    static PENDING: Pending;
}

impl Pending {
    pub fn new(principal: String, key: String, fingerprint: String) -> Pending {
        Pending {
            principal,
            key,
            fingerprint,
            claimed: Cell::new(false),
        }
    }
}

/// Runs `f` (the request) with its key; returns whether the key was claimed.
pub async fn scope<F: std::future::Future>(pending: Pending, f: F) -> (F::Output, bool) {
    PENDING
        .scope(pending, async {
            let out = f.await;
            let claimed = PENDING.with(|p| p.claimed.get());
            (out, claimed)
        })
        .await
}

/// A key must be printable ASCII without spaces, 1 to [`MAX_KEY_LEN`] long.
pub fn valid_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= MAX_KEY_LEN && key.bytes().all(|b| b.is_ascii_graphic())
}

/// Claims the request's key for `entity`/`entity_id`, once per request, in
/// the transaction that changes it. Another request holding the same key
/// (one running at the same moment) makes this one fail without effect.
pub async fn claim(tx: &mut Tx, entity: &str, entity_id: &str) -> Result<()> {
    let Ok(Some((principal, key, fingerprint))) = PENDING.try_with(|p| {
        (!p.claimed.get()).then(|| (p.principal.clone(), p.key.clone(), p.fingerprint.clone()))
    }) else {
        return Ok(());
    };
    let at = tx.at();
    // An expired claim not yet purged must not hold the key.
    sqlx::query("DELETE FROM idempotency_key WHERE principal = $1 AND key = $2 AND at <= $3")
        .bind(&principal)
        .bind(&key)
        .bind(at - KEPT_MS)
        .execute(&mut **tx)
        .await?;
    let done = sqlx::query(
        "INSERT INTO idempotency_key (principal, key, fingerprint, at, instance, entity, entity_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&principal)
    .bind(&key)
    .bind(&fingerprint)
    .bind(at)
    .bind(instance())
    .bind(entity)
    .bind(entity_id)
    .execute(&mut **tx)
    .await;
    match done {
        Ok(_) => {
            let _ = PENDING.try_with(|p| p.claimed.set(true));
            Ok(())
        }
        Err(e) if db::is_unique_violation(&e) => Err(Error::Conflict(
            "同一 Idempotency-Key 的请求已在处理，请稍后用同一键重试以取得结果".into(),
        )),
        Err(e) => Err(e.into()),
    }
}

/// What was kept of an earlier request with the same key.
#[derive(Debug, Clone)]
pub struct Earlier {
    pub fingerprint: String,
    pub entity: String,
    pub entity_id: String,
    /// The answer, unless the request is still running or its process died
    /// between the commit and keeping it.
    pub answer: Option<(u16, String)>,
    /// No answer yet, and the request may still be running (see the module note).
    pub in_flight: bool,
}

/// fingerprint, at, instance, entity, entity_id, status, body.
type KeptRow = (
    String,
    i64,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
);

/// The earlier request with this key, if kept.
pub async fn earlier(ctx: &Ctx, principal: &str, key: &str) -> Result<Option<Earlier>> {
    let mut c = ctx.db.read_point().await?;
    let row: Option<KeptRow> = sqlx::query_as(
        "SELECT fingerprint, at, instance, entity, entity_id, status, body FROM idempotency_key \
         WHERE principal = $1 AND key = $2 AND at > $3",
    )
    .bind(principal)
    .bind(key)
    .bind(ctx.now_ms() - KEPT_MS)
    .fetch_optional(&mut c)
    .await?;
    let Some((fingerprint, at, by, entity, entity_id, status, body)) = row else {
        return Ok(None);
    };
    let answer = match status.zip(body) {
        Some((s, sealed)) => {
            let text = ctx
                .key
                .decrypt(CONTEXT, &sealed)
                .map_err(|e| Error::internal(format!("a kept answer does not decrypt: {e}")))?;
            Some((s as u16, text))
        }
        None => None,
    };
    let in_flight = answer.is_none() && by == instance() && ctx.now_ms() - at < IN_FLIGHT_MS;
    Ok(Some(Earlier {
        fingerprint,
        entity,
        entity_id,
        answer,
        in_flight,
    }))
}

/// Keeps the answer of the request that claimed the key, encrypted.
pub async fn store_answer(
    ctx: &Ctx,
    principal: &str,
    key: &str,
    status: u16,
    body: &str,
) -> Result<()> {
    let sealed = ctx.key.encrypt(CONTEXT, body);
    let mut tx = ctx.begin().await?;
    sqlx::query(
        "UPDATE idempotency_key SET status = $1, body = $2 WHERE principal = $3 AND key = $4",
    )
    .bind(i64::from(status))
    .bind(sealed)
    .bind(principal)
    .bind(key)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Forgets keys older than a day (an hourly job).
pub async fn purge(ctx: &Ctx) -> Result<u64> {
    let mut tx = ctx.begin().await?;
    let n = sqlx::query("DELETE FROM idempotency_key WHERE at <= $1")
        .bind(ctx.now_ms() - KEPT_MS)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    tx.commit().await?;
    Ok(n)
}
