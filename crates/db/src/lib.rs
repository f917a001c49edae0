//! The database plumbing every capability shares: connections, the SQLite
//! writer, transactions, paging, the audit chain and the one ordered migration
//! history of all capabilities. Each capability keeps its own SQL.
//!
//! Both backends are reached through sqlx's `Any` driver, so every statement is
//! written once with `$N` placeholders and `RETURNING`, which SQLite and
//! PostgreSQL both accept. Where they differ, the module branches on
//! [`Backend`] with a comment saying why.
//!
//! SQLite gets one writer connection behind a fair queue with group commit
//! ([`queue`]; SQLite has one writer, and queuing in the process is cheaper
//! than lock retries) and a small reader pool (WAL lets readers run beside
//! the writer). The writer is a rusqlite connection stepped on the calling
//! thread ([`lite`]), reached through the same executor interface as sqlx's
//! connections ([`Conn`]), as are the readers for point lookups ([`point`]);
//! its transactions start with `BEGIN IMMEDIATE`, so another process writing
//! the same file (the `renda reminders` job) makes it wait at the start
//! instead of failing halfway.
//! PostgreSQL gets one pool used for both.

pub mod audit;
pub mod backup;
mod conn;
mod lite;
mod point;
mod queue;
pub mod sql;
pub mod testing;

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyConnection, AnyPool, Connection, Executor};

use conn::ConnInner;
pub use conn::{Conn, Tx};
pub use sql::{Arg, COUNT_CAP, Page, Paged, Where};

pub type Result<T> = std::result::Result<T, sqlx::Error>;

fn now() -> i64 {
    kernel::time::system_now_ms()
}

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database handle. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    pub backend: Backend,
    read: Readers,
    write: Writer,
    /// The audit chain's key, set by whoever holds the deployment key; every
    /// transaction carries it so that appending needs nothing more.
    chain: Arc<std::sync::RwLock<Option<Arc<crypto::chain::ChainKey>>>>,
}

/// The reader pool, replaceable: SQLite connections load the planner's
/// statistics when they open, so after [`Db::refresh_statistics`] the pool
/// is swapped for a fresh one (its connections open on first use) and the old
/// one closes as its connections come back.
#[derive(Clone, Debug)]
struct Readers {
    pool: Arc<std::sync::RwLock<AnyPool>>,
    /// How to open another pool (SQLite only).
    sqlite: Option<AnyConnectOptions>,
    /// Point lookups stepped in place (SQLite only).
    points: Option<point::Points>,
}

impl Readers {
    fn fixed(pool: AnyPool) -> Self {
        Readers {
            pool: Arc::new(std::sync::RwLock::new(pool)),
            sqlite: None,
            points: None,
        }
    }

    fn pool(&self) -> AnyPool {
        self.pool
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

fn sqlite_readers(opts: &AnyConnectOptions) -> AnyPool {
    AnyPoolOptions::new()
        .max_connections(3)
        .acquire_timeout(Duration::from_secs(30))
        // A local file does not go stale; testing it on every acquire would
        // cost a round trip to the connection's thread.
        .test_before_acquire(false)
        .after_connect(|conn, _meta| Box::pin(apply_sqlite_pragmas(conn)))
        .connect_lazy_with(opts.clone())
}

#[derive(Clone, Debug)]
enum Writer {
    Pool(AnyPool),
    /// SQLite's one writer connection (see [`lite`]) behind a fair queue
    /// with group commit ([`queue`]).
    Single(queue::Queue),
}

/// The default database: an SQLite file beside the working directory.
pub const DEFAULT_URL: &str = "sqlite://data/renda.db";

impl Db {
    /// Connects to `sqlite://path`, `sqlite:path` or `postgres://…`. An SQLite
    /// file and its folder are created when missing.
    pub async fn connect(url: &str) -> Result<Db> {
        sqlx::any::install_default_drivers();
        if url.starts_with("sqlite:") {
            Self::connect_sqlite(url).await
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = AnyConnectOptions::from_str(url)?;
            let pool = AnyPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await?;
            Ok(Db {
                backend: Backend::Postgres,
                read: Readers::fixed(pool.clone()),
                write: Writer::Pool(pool),
                chain: Arc::default(),
            })
        } else {
            Err(sqlx::Error::Configuration(
                format!("unsupported database URL (use sqlite:// or postgres://): {url}").into(),
            ))
        }
    }

    async fn connect_sqlite(url: &str) -> Result<Db> {
        let rest = url
            .trim_start_matches("sqlite://")
            .trim_start_matches("sqlite:");
        let (path, query) = match rest.split_once('?') {
            Some((p, q)) => (p, q.to_string()),
            None => (rest, String::new()),
        };
        if path.is_empty() || path == ":memory:" {
            // An in-memory database would differ per pooled connection.
            return Err(sqlx::Error::Configuration(
                "an in-memory SQLite database cannot be shared by a pool; give a file path".into(),
            ));
        }
        if let Some(dir) = Path::new(path).parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(sqlx::Error::Io)?;
        }
        let query = if query.contains("mode=") {
            query
        } else if query.is_empty() {
            "mode=rwc".to_string()
        } else {
            format!("{query}&mode=rwc")
        };
        let full = format!("sqlite://{path}?{query}");
        let opts = AnyConnectOptions::from_str(&full)?;
        let mut writer = lite::Lite::open(path, SQLITE_PRAGMAS)?;
        writer.pragma(WRITER_CACHE)?;
        writer.pragma(Durability::from_env()?.pragma())?;
        Ok(Db {
            backend: Backend::Sqlite,
            read: Readers {
                pool: Arc::new(std::sync::RwLock::new(sqlite_readers(&opts))),
                sqlite: Some(opts),
                points: Some(point::Points::new(path)),
            },
            write: Writer::Single(queue::Queue::new(writer)),
            chain: Arc::default(),
        })
    }

    pub async fn migrate(&self) -> std::result::Result<(), sqlx::migrate::MigrateError> {
        match &self.write {
            Writer::Pool(pool) => POSTGRES_MIGRATIONS.run(pool).await,
            Writer::Single(writer) => {
                // sqlx's migrator runs on an sqlx connection of its own, while
                // the writer queue is held so that nothing else writes.
                let _writer = writer.exclusive().await?;
                let Some(opts) = &self.read.sqlite else {
                    return Ok(());
                };
                let mut conn = AnyConnection::connect_with(opts).await?;
                apply_sqlite_pragmas(&mut conn).await?;
                let done = SQLITE_MIGRATIONS.run(&mut conn).await;
                conn.close().await?;
                done
            }
        }
    }

    /// Sets the audit chain's key (the context does, from the deployment key).
    pub fn set_chain_key(&self, key: crypto::chain::ChainKey) {
        *self
            .chain
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Arc::new(key));
    }

    /// The audit chain's key, if set.
    pub fn chain_key(&self) -> Option<Arc<crypto::chain::ChainKey>> {
        self.chain
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Starts the one transaction of a use case.
    pub async fn begin(&self) -> Result<Tx> {
        let conn = match &self.write {
            Writer::Pool(pool) => Conn(ConnInner::PooledTx(pool.begin().await?)),
            Writer::Single(writer) => Conn(ConnInner::Writer(writer.begin().await?)),
        };
        Ok(Tx(conn, now(), self.chain_key()))
    }

    /// A pooled connection for reads.
    pub async fn read(&self) -> Result<Conn> {
        Ok(Conn(ConnInner::Pooled(self.read.pool().acquire().await?)))
    }

    /// A connection for a point lookup (a few rows found by an index, such
    /// as the session of a cookie): on SQLite it runs in place ([`point`]);
    /// never use it for a query that may scan.
    pub async fn read_point(&self) -> Result<Conn> {
        match &self.read.points {
            Some(points) => Ok(Conn(ConnInner::Point(points.lend().await?))),
            None => self.read().await,
        }
    }

    /// Brings the query planner's statistics up to date (SQLite's `ANALYZE`,
    /// through the writer queue). Without them SQLite guesses that a
    /// congress's id narrows a list to a few rows, and with a million items
    /// in one congress it sorts all of them to show a page of 20 (hundreds of
    /// milliseconds instead of one). Run when serving starts and daily; the
    /// readers are then replaced so that they plan with the new figures.
    /// PostgreSQL's autovacuum keeps its own statistics: nothing to do.
    pub async fn refresh_statistics(&self) -> Result<()> {
        let Some(opts) = &self.read.sqlite else {
            return Ok(());
        };
        if let Writer::Single(writer) = &self.write {
            // Seconds on a large file: off the async workers.
            let mut writer = writer.exclusive().await?;
            tokio::task::spawn_blocking(move || writer.analyze())
                .await
                .map_err(|e| sqlx::Error::Protocol(format!("ANALYZE did not finish: {e}")))??;
        }
        if let Some(points) = &self.read.points {
            points.renew();
        }
        let fresh = sqlite_readers(opts);
        let old = std::mem::replace(
            &mut *self
                .read
                .pool
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
            fresh,
        );
        tokio::spawn(async move { old.close().await });
        Ok(())
    }

    /// Checks that the database answers (for /healthz).
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1")
            .execute(&self.read.pool())
            .await
            .map(|_| ())
    }

    /// Closes the reader pool, and waits for the transaction on the writer to
    /// end (the writer connection itself closes with the last handle).
    pub async fn close(&self) {
        self.read.pool().close().await;
        match &self.write {
            Writer::Pool(pool) => pool.close().await,
            Writer::Single(writer) => {
                if let Err(e) = writer.exclusive().await {
                    tracing::warn!(error = %e, "closing the writer");
                }
            }
        }
    }
}

/// Whether an error is a unique-constraint violation (for precise messages).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .is_some_and(|d| d.is_unique_violation())
}

/// Whether an error is a foreign-key violation.
pub fn is_foreign_key_violation(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .is_some_and(|d| d.is_foreign_key_violation())
}

/// How far an acknowledged SQLite commit is on disk.
///
/// `Full` (the default) fsyncs the write-ahead log at every commit, so what
/// was acknowledged survives a power cut or a kernel crash; the group commit
/// shares one fsync among the transactions of a group. `Normal` fsyncs only
/// at checkpoints: still safe against a crash of the process, but the last
/// commits before a power cut may be lost. The environment variable
/// `RENDA_SQLITE_SYNCHRONOUS=normal` chooses it (docs/operations.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    Full,
    Normal,
}

impl Durability {
    pub const ENV: &'static str = "RENDA_SQLITE_SYNCHRONOUS";

    /// Reads [`Self::ENV`]; unset or empty is `Full`, anything but `full`
    /// or `normal` is refused rather than guessed.
    pub fn from_env() -> Result<Durability> {
        Self::parse(std::env::var(Self::ENV).ok().as_deref())
    }

    pub fn parse(value: Option<&str>) -> Result<Durability> {
        match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            None | Some("") | Some("full") => Ok(Durability::Full),
            Some("normal") => Ok(Durability::Normal),
            Some(other) => Err(sqlx::Error::Configuration(
                format!("{} must be full or normal, not {other:?}", Self::ENV).into(),
            )),
        }
    }

    fn pragma(self) -> &'static str {
        match self {
            Durability::Full => "PRAGMA synchronous = FULL",
            Durability::Normal => "PRAGMA synchronous = NORMAL",
        }
    }
}

/// Set on every SQLite connection: WAL (readers beside the writer), foreign
/// keys, a wait instead of an immediate "busy" error, fsync at every commit
/// (the writer may relax it, see [`Durability`]), and no memory map: after every commit SQLite drops a reader's whole map
/// before its next read (`munmap` of the file with a TLB shootdown that stops
/// the other CPU), which under a steady write load cost more than the copies
/// the map saves.
const SQLITE_PRAGMAS: &[&str] = &[
    "PRAGMA journal_mode = WAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 10000",
    "PRAGMA synchronous = FULL",
    "PRAGMA cache_size = -8000",
];

/// The writer's page cache, larger than a reader's: a use case touches the
/// paths to the ends of some twenty B-trees (tables and their indexes), and a
/// group's dirty pages stay in the cache until its commit. At a million items
/// 8 MB held too few of those paths, and the writer re-read them from the file
/// (measured: 1,700 → 2,100 suggestions/s with 64 MB, no gain beyond).
const WRITER_CACHE: &str = "PRAGMA cache_size = -65536";

async fn apply_sqlite_pragmas(conn: &mut AnyConnection) -> Result<()> {
    for p in SQLITE_PRAGMAS {
        conn.execute(*p).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    fn versions(dir: &str) -> BTreeSet<String> {
        std::fs::read_dir(dir)
            .expect("migrations folder")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n.ends_with(".sql"))
            .map(|n| n.split('_').next().unwrap_or_default().to_string())
            .collect()
    }

    #[test]
    fn both_backends_have_the_same_migration_versions() {
        let root = env!("CARGO_MANIFEST_DIR");
        let s = versions(&format!("{root}/migrations/sqlite"));
        let p = versions(&format!("{root}/migrations/postgres"));
        assert!(!s.is_empty());
        assert_eq!(s, p);
    }

    #[tokio::test]
    async fn in_memory_sqlite_is_refused() {
        assert!(super::Db::connect("sqlite::memory:").await.is_err());
    }
}
