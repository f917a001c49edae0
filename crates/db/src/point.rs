//! SQLite readers for point lookups, stepped on the calling thread.
//!
//! Every request resolves its session cookie before anything else: one
//! indexed lookup of a few microseconds. Through sqlx's reader pool it also
//! costs a trip to the connection's thread and back and a task to return the
//! connection — on a 2-core VM that sleeps idle CPUs, more than the lookup.
//! These connections run such lookups in place, like the writer ([`crate::lite`]).
//! They are only for statements that touch a handful of rows: anything that
//! may scan (lists, reports, exports) goes to the sqlx pool, whose threads
//! keep a long query off the async workers.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::lite::Lite;

/// Connections lent at once; more callers wait their turn.
const LENT_MAX: usize = 4;

#[derive(Clone, Debug)]
pub(crate) struct Points(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    path: String,
    idle: std::sync::Mutex<Vec<(u64, Lite)>>,
    permits: Arc<Semaphore>,
    /// Bumped when the planner statistics change: older connections close
    /// instead of going back (they loaded the old figures when they opened).
    generation: AtomicU64,
}

impl Points {
    pub(crate) fn new(path: &str) -> Points {
        Points(Arc::new(Inner {
            path: path.to_string(),
            idle: std::sync::Mutex::new(Vec::new()),
            permits: Arc::new(Semaphore::new(LENT_MAX)),
            generation: AtomicU64::new(0),
        }))
    }

    pub(crate) async fn lend(&self) -> crate::Result<Lent> {
        let permit = self
            .0
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| sqlx::Error::PoolClosed)?;
        let generation = self.0.generation.load(Ordering::SeqCst);
        let reused = self
            .0
            .idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pop();
        let conn = match reused {
            Some((g, conn)) if g == generation => conn,
            _ => {
                let mut conn = Lite::open(&self.0.path, crate::SQLITE_PRAGMAS)?;
                conn.pragma("PRAGMA busy_timeout = 10000")?;
                conn.pragma("PRAGMA query_only = 1")?;
                conn
            }
        };
        Ok(Lent {
            conn: Some(conn),
            generation,
            owner: self.clone(),
            _permit: permit,
        })
    }

    /// Closes the idle connections; those lent close when they come back.
    pub(crate) fn renew(&self) {
        self.0.generation.fetch_add(1, Ordering::SeqCst);
        self.0
            .idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clear();
    }
}

/// A lent connection; goes back to the idle list when dropped.
#[derive(Debug)]
pub(crate) struct Lent {
    conn: Option<Lite>,
    generation: u64,
    owner: Points,
    _permit: OwnedSemaphorePermit,
}

impl std::ops::Deref for Lent {
    type Target = Lite;
    fn deref(&self) -> &Lite {
        self.conn.as_ref().expect("lent until dropped")
    }
}

impl std::ops::DerefMut for Lent {
    fn deref_mut(&mut self) -> &mut Lite {
        self.conn.as_mut().expect("lent until dropped")
    }
}

impl Drop for Lent {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else {
            return;
        };
        if !conn.idle() || self.generation != self.owner.0.generation.load(Ordering::SeqCst) {
            return;
        }
        self.owner
            .0
            .idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((self.generation, conn));
    }
}
