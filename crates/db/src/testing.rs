//! Fresh databases for tests: an SQLite file in a temporary folder, or, when
//! `RENDA_TEST_POSTGRES_URL` is set (CI sets it), a new PostgreSQL database
//! created on that server. Each test gets its own, so tests run in parallel.

use sqlx::Connection;

use crate::Db;

/// A fresh, migrated database. The returned guard removes the SQLite folder
/// (PostgreSQL test databases are dropped by `scripts/test` before each run).
pub struct TestDb {
    pub db: Db,
    pub url: String,
    _dir: Option<tempfile_dir::Dir>,
}

mod tempfile_dir {
    /// A temporary folder removed on drop.
    pub struct Dir(pub std::path::PathBuf);
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

pub fn postgres_base_url() -> Option<String> {
    std::env::var("RENDA_TEST_POSTGRES_URL")
        .ok()
        .filter(|s| !s.trim().is_empty())
}

/// The URL of a new, empty database.
pub async fn fresh_url() -> (String, Option<tempfile_dir::Dir>) {
    if let Some(base) = postgres_base_url() {
        let name = format!("renda_t_{}", crypto::random_hex(8));
        let mut admin = sqlx::PgConnection::connect(&base)
            .await
            .expect("connect to the PostgreSQL test server");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .expect("create test database");
        let url = match base.rfind('/') {
            Some(i)
                if base[..i].ends_with('/')
                    || base[..i].contains('@')
                    || base[..i].contains(':') =>
            {
                let (head, tail) = base.split_at(i);
                let query = tail.find('?').map(|q| &tail[q..]).unwrap_or("");
                format!("{head}/{name}{query}")
            }
            _ => format!("{base}/{name}"),
        };
        (url, None)
    } else {
        let dir = std::env::temp_dir().join(format!("renda-test-{}", crypto::random_hex(8)));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let url = format!("sqlite://{}/renda.db", dir.display());
        (url, Some(tempfile_dir::Dir(dir)))
    }
}

pub async fn fresh() -> TestDb {
    let (url, dir) = fresh_url().await;
    let db = Db::connect(&url).await.expect("connect test database");
    db.migrate().await.expect("migrate test database");
    db.set_chain_key(test_chain_key());
    TestDb { db, url, _dir: dir }
}

/// The chain key of test databases made by [`fresh`] (a context replaces it
/// with its own deployment key's).
pub fn test_chain_key() -> crypto::chain::ChainKey {
    crypto::chain::ChainKey::for_tests(7)
}
