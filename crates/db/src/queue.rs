//! SQLite's writer queue, with group commit.
//!
//! Use cases take the one writer in turn (a fair mutex). Each runs inside a
//! savepoint of an SQLite transaction that may be shared: when a use case
//! finishes and others are already queued, it releases its savepoint and
//! hands the writer on without committing; the next one continues the same
//! transaction, and whoever finishes with nobody queued (or fills the group,
//! or finds it older than [`GROUP_AGE`]) commits for all. A use case's
//! `commit` returns only after the group's `COMMIT` has succeeded, so what a
//! request reports as saved is saved, and a failed `COMMIT` is reported to
//! every member. The gain is that the pages every use case touches (the tails
//! of the audit log, the notices, the newest items and their indexes) are
//! written to the WAL once per group instead of once per use case: the
//! commit was 40 % of the writer's time under load.
//!
//! A use case that fails rolls back to its savepoint, so it takes nothing of
//! the others with it; if SQLite itself ends the transaction (a full disk,
//! an I/O error), the members waiting for it are told their work was lost.
//! Without contention nothing changes: one use case, one transaction.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::{Mutex, OwnedMutexGuard, watch};

use crate::lite::Lite;

/// At most this many use cases share one transaction.
const GROUP_MAX: usize = 32;
/// A group this old is committed before another use case joins it, so a
/// member waits at most this long plus one use case for its commit.
const GROUP_AGE: Duration = Duration::from_millis(5);
/// A member still waiting after this commits the group itself (the use case
/// it handed over to may have been cancelled before it got the writer).
const GROUP_WAIT: Duration = Duration::from_millis(50);
/// How long a use case waits for the writer before giving up.
const WRITER_WAIT: Duration = Duration::from_secs(30);

type Outcome = Option<Result<(), Arc<str>>>;

/// The writer connection and the group of its open transaction.
#[derive(Debug)]
pub(crate) struct Writer {
    conn: Lite,
    group: Option<Group>,
    /// Groups begun so far (their ids).
    groups: u64,
}

impl std::ops::Deref for Writer {
    type Target = Lite;
    fn deref(&self) -> &Lite {
        &self.conn
    }
}

impl std::ops::DerefMut for Writer {
    fn deref_mut(&mut self) -> &mut Lite {
        &mut self.conn
    }
}

/// The use cases of the open transaction that have finished and wait for
/// its commit.
#[derive(Debug)]
struct Group {
    id: u64,
    opened: Instant,
    members: usize,
    done: watch::Sender<Outcome>,
}

/// The writer and the number of use cases waiting for it.
#[derive(Clone, Debug)]
pub(crate) struct Queue {
    writer: Arc<Mutex<Writer>>,
    waiting: Arc<AtomicUsize>,
}

struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Queue {
    pub(crate) fn new(conn: Lite) -> Queue {
        Queue {
            writer: Arc::new(Mutex::new(Writer {
                conn,
                group: None,
                groups: 0,
            })),
            waiting: Arc::new(AtomicUsize::new(0)),
        }
    }

    async fn lock(&self) -> crate::Result<OwnedMutexGuard<Writer>> {
        self.waiting.fetch_add(1, Ordering::SeqCst);
        let _waiting = Waiting(&self.waiting);
        tokio::time::timeout(WRITER_WAIT, self.writer.clone().lock_owned())
            .await
            .map_err(|_| sqlx::Error::PoolTimedOut)
    }

    /// The writer with no transaction open: for work outside use cases
    /// (migrations, `ANALYZE`, closing).
    pub(crate) async fn exclusive(&self) -> crate::Result<OwnedMutexGuard<Writer>> {
        let mut w = self.lock().await?;
        settle(&mut w)?;
        Ok(w)
    }

    /// Starts a use case: joins the open group, or begins a transaction.
    pub(crate) async fn begin(&self) -> crate::Result<WriterTx> {
        let mut w = self.lock().await?;
        if w.group.is_some() && w.idle() {
            fail(&mut w, "SQLite ended the transaction");
        }
        if w.group
            .as_ref()
            .is_some_and(|g| g.members >= GROUP_MAX || g.opened.elapsed() >= GROUP_AGE)
        {
            // Its members learn the outcome; this use case starts afresh.
            let _ = settle(&mut w);
        }
        if w.group.is_none() {
            w.begin_immediate().await?;
            w.groups += 1;
            let id = w.groups;
            w.group = Some(Group {
                id,
                opened: Instant::now(),
                members: 0,
                done: watch::channel(None).0,
            });
        }
        if let Err(e) = w.exec("SAVEPOINT use_case") {
            if w.idle() {
                fail(&mut w, "SQLite ended the transaction");
            }
            return Err(e);
        }
        Ok(WriterTx {
            writer: Some(w),
            queue: self.clone(),
        })
    }
}

/// Commits the open group, if any, and tells its members.
fn settle(w: &mut Writer) -> crate::Result<()> {
    let Some(group) = w.group.take() else {
        return Ok(());
    };
    let result = if w.idle() {
        Err(sqlx::Error::Protocol("SQLite ended the transaction".into()))
    } else {
        w.exec("COMMIT")
    };
    if result.is_err() && !w.idle() {
        let _ = w.exec("ROLLBACK");
    }
    let shared = match &result {
        Ok(()) => Ok(()),
        Err(e) => Err(Arc::from(e.to_string())),
    };
    group.done.send_replace(Some(shared));
    result
}

/// The open transaction is gone: its members are told their work was lost.
fn fail(w: &mut Writer, why: &str) {
    if let Some(group) = w.group.take() {
        tracing::error!(
            members = group.members,
            why,
            "a group of use cases was rolled back"
        );
        group.done.send_replace(Some(Err(Arc::from(why))));
    }
    if !w.idle() {
        let _ = w.exec("ROLLBACK");
    }
}

/// A use case's hold on the writer, inside its savepoint.
#[derive(Debug)]
pub(crate) struct WriterTx {
    writer: Option<OwnedMutexGuard<Writer>>,
    queue: Queue,
}

impl std::ops::Deref for WriterTx {
    type Target = Writer;
    fn deref(&self) -> &Writer {
        self.writer
            .as_ref()
            .expect("writer held until the use case ends")
    }
}

impl std::ops::DerefMut for WriterTx {
    fn deref_mut(&mut self) -> &mut Writer {
        self.writer
            .as_mut()
            .expect("writer held until the use case ends")
    }
}

impl WriterTx {
    /// Keeps the use case's work; returns once it is committed.
    pub(crate) async fn commit(mut self) -> crate::Result<()> {
        let Some(mut w) = self.writer.take() else {
            return Ok(());
        };
        if let Err(e) = w.exec("RELEASE use_case") {
            undo(&mut w, &self.queue);
            return Err(e);
        }
        if w.idle() {
            fail(&mut w, "SQLite ended the transaction");
            return Err(sqlx::Error::Protocol("SQLite ended the transaction".into()));
        }
        let queued = self.queue.waiting.load(Ordering::SeqCst) > 0;
        let group = w.group.as_mut().expect("a use case runs in a group");
        if !queued || group.members + 1 >= GROUP_MAX {
            return settle(&mut w);
        }
        group.members += 1;
        let id = group.id;
        let mut done = group.done.subscribe();
        drop(w);
        let waited = tokio::time::timeout(GROUP_WAIT, async {
            done.wait_for(Option::is_some).await.map(|v| v.clone())
        })
        .await;
        let outcome = match waited {
            Ok(Ok(v)) => v,
            Ok(Err(_)) => Some(Err(Arc::from("the group ended without an outcome"))),
            Err(_) => {
                let mut w = self.queue.lock().await?;
                if w.group.as_ref().is_some_and(|g| g.id == id) {
                    let _ = settle(&mut w);
                }
                drop(w);
                done.borrow().clone()
            }
        };
        match outcome {
            Some(Ok(())) => Ok(()),
            Some(Err(why)) => Err(sqlx::Error::Protocol(format!("commit failed: {why}"))),
            None => Err(sqlx::Error::Protocol("commit outcome unknown".into())),
        }
    }

    /// Discards the use case's work (the others' stays).
    pub(crate) fn rollback(mut self) {
        if let Some(mut w) = self.writer.take() {
            undo(&mut w, &self.queue);
        }
    }
}

impl Drop for WriterTx {
    fn drop(&mut self) {
        if let Some(mut w) = self.writer.take() {
            undo(&mut w, &self.queue);
        }
    }
}

/// Rolls a use case back to its savepoint; commits the group at once if
/// nobody is queued to continue it.
fn undo(w: &mut Writer, queue: &Queue) {
    if !w.idle() {
        let undone = w
            .exec("ROLLBACK TO use_case")
            .and_then(|()| w.exec("RELEASE use_case"));
        if let Err(e) = undone {
            tracing::warn!(error = %e, "rollback of a use case");
        }
    }
    if w.idle() {
        fail(w, "SQLite ended the transaction");
    } else if queue.waiting.load(Ordering::SeqCst) == 0
        && let Err(e) = settle(w)
    {
        tracing::error!(error = %e, "commit of a group after a rollback");
    }
}
