//! Idempotency keys: a retried request finds the first one's answer instead
//! of creating a second record.
//!
//! A client that sent a request and lost the connection cannot know whether
//! it was committed. With an `Idempotency-Key` header (the web layer reads it
//! and runs the request inside [`scope`]) the first audited change of the
//! request claims the key *in the request's own transaction* ([`claim`],
//! called by [`crate::audit::record`]), with the entity it changed: if the
//! transaction commits, the claim does; if it rolls back, nothing is held.
//! Once the answer is known, the web layer stores it beside the claim
//! ([`store_answer`]). A retry with the same key then gets the stored answer;
//! in the instant between the commit and storing the answer a crash leaves a
//! claim without one, and the retry is answered from the entity claimed.
//! Keys are per account (a public request has account 0) and kept a day.

use std::cell::Cell;

use db::Tx;

use crate::{Ctx, Error, Result};

/// How long a key and its answer are kept.
pub const KEPT_MS: i64 = 24 * 3600 * 1000;

/// The longest key accepted.
pub const MAX_KEY_LEN: usize = 64;

/// The key of the request being served.
pub struct Pending {
    pub actor_key: i64,
    pub key: String,
    pub fingerprint: String,
    claimed: Cell<bool>,
}

tokio::task_local! {
    static PENDING: Pending;
}

impl Pending {
    pub fn new(actor_key: i64, key: String, fingerprint: String) -> Pending {
        Pending {
            actor_key,
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
    let Ok(Some((actor_key, key, fingerprint))) = PENDING.try_with(|p| {
        (!p.claimed.get()).then(|| (p.actor_key, p.key.clone(), p.fingerprint.clone()))
    }) else {
        return Ok(());
    };
    let at = tx.at();
    let done = sqlx::query(
        "INSERT INTO idempotency_key (actor_key, key, fingerprint, at, entity, entity_id) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(actor_key)
    .bind(&key)
    .bind(&fingerprint)
    .bind(at)
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
    /// The answer, unless the server stopped between the commit and storing it.
    pub answer: Option<(u16, String)>,
}

/// fingerprint, entity, entity_id, status, body.
type KeptRow = (String, String, String, Option<i64>, Option<String>);

/// The earlier request with this key, if kept.
pub async fn earlier(ctx: &Ctx, actor_key: i64, key: &str) -> Result<Option<Earlier>> {
    let mut c = ctx.db.read_point().await?;
    let row: Option<KeptRow> = sqlx::query_as(
        "SELECT fingerprint, entity, entity_id, status, body FROM idempotency_key \
         WHERE actor_key = $1 AND key = $2 AND at > $3",
    )
    .bind(actor_key)
    .bind(key)
    .bind(ctx.now_ms() - KEPT_MS)
    .fetch_optional(&mut c)
    .await?;
    Ok(
        row.map(|(fingerprint, entity, entity_id, status, body)| Earlier {
            fingerprint,
            entity,
            entity_id,
            answer: status.zip(body).map(|(s, b)| (s as u16, b)),
        }),
    )
}

/// Keeps the answer of the request that claimed the key.
pub async fn store_answer(
    ctx: &Ctx,
    actor_key: i64,
    key: &str,
    status: u16,
    body: &str,
) -> Result<()> {
    let mut tx = ctx.begin().await?;
    sqlx::query(
        "UPDATE idempotency_key SET status = $1, body = $2 WHERE actor_key = $3 AND key = $4",
    )
    .bind(i64::from(status))
    .bind(body)
    .bind(actor_key)
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
