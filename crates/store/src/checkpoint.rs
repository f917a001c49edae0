//! WAL checkpoints off the writer's path.
//!
//! By default SQLite copies the WAL back into the database inside the
//! `COMMIT` that crosses 1,000 pages, so one request in a few hundred pays
//! for writing and syncing a thousand pages while every other writer waits.
//! The writer turns that off; this thread checkpoints in `PASSIVE` mode
//! (never waiting for, nor blocking, readers or the writer) a few times a
//! second with a connection of its own, and ends with the database handle.

use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::Duration;

const EVERY: Duration = Duration::from_millis(250);

#[derive(Debug)]
pub(crate) struct Checkpointer {
    _stop: Sender<()>,
}

impl Checkpointer {
    pub(crate) fn start(path: &str) -> crate::Result<Checkpointer> {
        let conn = rusqlite::Connection::open(path).map_err(|e| {
            sqlx::Error::Configuration(format!("checkpoint connection: {e}").into())
        })?;
        let (stop, stopped) = mpsc::channel::<()>();
        std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || {
                loop {
                    match stopped.recv_timeout(EVERY) {
                        Err(RecvTimeoutError::Timeout) => {}
                        Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
                    }
                    let done = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
                        Ok((r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
                    });
                    if let Err(e) = done {
                        tracing::warn!(error = %e, "WAL checkpoint");
                    }
                }
            })
            .map_err(sqlx::Error::Io)?;
        Ok(Checkpointer { _stop: stop })
    }
}
