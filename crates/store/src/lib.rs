//! All SQL of renda, one module per aggregate.
//!
//! Both backends are reached through sqlx's `Any` driver, so every statement is
//! written once with `$N` placeholders and `RETURNING`, which SQLite and
//! PostgreSQL both accept. Where they differ, the module branches on
//! [`Backend`] with a comment saying why.
//!
//! SQLite gets two pools: a single-connection writer (SQLite has one writer;
//! queuing in the pool is cheaper than lock retries) and a small reader pool
//! (WAL lets readers run beside the writer). PostgreSQL gets one pool used for both.

pub mod api_tokens;
pub mod attachments;
pub mod audit;
pub mod calendar;
pub mod congresses;
pub mod deputies;
pub mod login_log;
pub mod notifications;
pub mod options;
pub mod regions;
pub mod sessions;
pub mod settings;
mod sql;
pub mod stats;
pub mod suggestions;
pub mod testing;
pub mod tracked;
pub mod units;
pub mod uploads;
pub mod users;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyConnection, AnyPool, Executor};

pub use sql::{Arg, COUNT_CAP, Page, Paged, Where};

pub type Tx = sqlx::Transaction<'static, sqlx::Any>;
pub type Conn = AnyConnection;
pub type Result<T> = std::result::Result<T, sqlx::Error>;

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
    read: AnyPool,
    write: AnyPool,
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
                read: pool.clone(),
                write: pool,
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
        let write = AnyPoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(sqlite_pragmas)
            .connect_with(opts.clone())
            .await?;
        let read = AnyPoolOptions::new()
            .max_connections(3)
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(sqlite_pragmas)
            .connect_with(opts)
            .await?;
        Ok(Db {
            backend: Backend::Sqlite,
            read,
            write,
        })
    }

    pub async fn migrate(&self) -> std::result::Result<(), sqlx::migrate::MigrateError> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.write).await,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.write).await,
        }
    }

    /// Starts the one transaction of a use case.
    pub async fn begin(&self) -> Result<Tx> {
        self.write.begin().await
    }

    /// A pooled connection for reads.
    pub async fn read(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Any>> {
        self.read.acquire().await
    }

    /// Checks that the database answers (for /healthz).
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1")
            .execute(&self.read)
            .await
            .map(|_| ())
    }

    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
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

type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// Set on every SQLite connection: WAL (readers beside the writer), foreign
/// keys, a wait instead of an immediate "busy" error, fsync at checkpoints,
/// and reads through a memory map: every commit invalidates the other
/// connections' page caches, and refilling them from the map costs no copies.
fn sqlite_pragmas(
    conn: &mut AnyConnection,
    _meta: sqlx::pool::PoolConnectionMetadata,
) -> BoxFuture<'_, Result<()>> {
    Box::pin(async move {
        for p in [
            "PRAGMA journal_mode = WAL",
            "PRAGMA foreign_keys = ON",
            "PRAGMA busy_timeout = 10000",
            "PRAGMA synchronous = NORMAL",
            "PRAGMA cache_size = -8000",
            "PRAGMA mmap_size = 1073741824",
        ] {
            conn.execute(p).await?;
        }
        Ok(())
    })
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
