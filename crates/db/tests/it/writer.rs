//! The writer's executor (on SQLite, rusqlite stepped in place) answers as
//! sqlx's own connections do: the same values decode to the same Rust types
//! inside a transaction and from a reader, `$N` placeholders take the N-th
//! argument however often and in whatever order they appear, counts of
//! changed rows are exact, constraint errors keep their kind, and a file
//! locked by another process makes `begin` wait instead of fail.

use db::{Backend, testing};
use sqlx::Row;

type Sample = (i64, Option<i64>, String, Option<String>, f64, bool, Vec<u8>);

fn create_sql(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "CREATE TABLE probe (id INTEGER PRIMARY KEY, n BIGINT, maybe BIGINT, t TEXT NOT NULL UNIQUE, \
             absent TEXT, x DOUBLE PRECISION, flag BIGINT, data BLOB)"
        }
        Backend::Postgres => {
            "CREATE TABLE probe (id BIGSERIAL PRIMARY KEY, n BIGINT, maybe BIGINT, t TEXT NOT NULL UNIQUE, \
             absent TEXT, x DOUBLE PRECISION, flag BIGINT, data BYTEA)"
        }
    }
}

/// A fresh database and a transaction in which the probe table exists.
async fn with_probe() -> (testing::TestDb, db::Tx) {
    let t = testing::fresh().await;
    let mut tx = t.db.begin().await.expect("begin");
    sqlx::query(create_sql(t.db.backend))
        .execute(&mut *tx)
        .await
        .expect("create");
    (t, tx)
}

const SELECT: &str = "SELECT n, maybe, t, absent, x, flag, data FROM probe WHERE t = $1";

fn decode(row: &sqlx::any::AnyRow) -> Sample {
    (
        row.get("n"),
        row.get("maybe"),
        row.get("t"),
        row.get("absent"),
        row.get("x"),
        row.get::<i64, _>("flag") != 0,
        row.get("data"),
    )
}

#[tokio::test]
async fn writer_and_readers_decode_alike() {
    let (t, mut tx) = with_probe().await;
    // $3 before $1, $2 used twice.
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO probe (t, n, maybe, absent, x, flag, data) \
         VALUES ($3, $1, $2 + $2, NULL, $4, $5, $6) RETURNING id",
    )
    .bind(-7_i64)
    .bind(21_i64)
    .bind("雨污分流 'quoted' 🙂")
    .bind(0.25_f64)
    .bind(1_i64)
    .bind(vec![0_u8, 255, 10])
    .fetch_one(&mut *tx)
    .await
    .expect("insert");
    assert!(id > 0);
    let expected: Sample = (
        -7,
        Some(42),
        "雨污分流 'quoted' 🙂".into(),
        None,
        0.25,
        true,
        vec![0, 255, 10],
    );
    let in_tx = sqlx::query(SELECT)
        .bind("雨污分流 'quoted' 🙂")
        .fetch_one(&mut *tx)
        .await
        .expect("select in the transaction");
    assert_eq!(decode(&in_tx), expected);
    let missing = sqlx::query(SELECT)
        .bind("nothing")
        .fetch_optional(&mut *tx)
        .await
        .expect("select nothing");
    assert!(missing.is_none());
    tx.commit().await.expect("commit");

    let mut c = t.db.read().await.expect("reader");
    let from_reader = sqlx::query(SELECT)
        .bind("雨污分流 'quoted' 🙂")
        .fetch_one(&mut c)
        .await
        .expect("select from a reader");
    assert_eq!(decode(&from_reader), expected);
}

#[tokio::test]
async fn a_script_runs_every_statement() {
    let t = testing::fresh().await;
    let mut tx = t.db.begin().await.expect("begin");
    sqlx::raw_sql(
        "CREATE TABLE script (x BIGINT); INSERT INTO script VALUES (1); INSERT INTO script VALUES (2)",
    )
    .execute(&mut *tx)
    .await
    .expect("script");
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM script")
        .fetch_one(&mut *tx)
        .await
        .expect("count");
    assert_eq!(n, 2);
}

#[tokio::test]
async fn changed_rows_and_constraint_errors_are_reported() {
    let (t, mut tx) = with_probe().await;
    for (i, label) in ["a", "b", "c"].iter().enumerate() {
        sqlx::query("INSERT INTO probe (t, n) VALUES ($1, $2)")
            .bind(*label)
            .bind(i as i64)
            .execute(&mut *tx)
            .await
            .expect("insert");
    }
    let changed = sqlx::query("UPDATE probe SET maybe = 1 WHERE n >= $1")
        .bind(1_i64)
        .execute(&mut *tx)
        .await
        .expect("update");
    assert_eq!(changed.rows_affected(), 2);
    let all: Vec<String> = sqlx::query_scalar("SELECT t FROM probe ORDER BY n")
        .fetch_all(&mut *tx)
        .await
        .expect("all");
    assert_eq!(all, ["a", "b", "c"]);
    // UPDATE … RETURNING fetched as one row still updates every row.
    let first: i64 = sqlx::query_scalar("UPDATE probe SET maybe = 2 RETURNING n")
        .fetch_one(&mut *tx)
        .await
        .expect("update returning");
    assert!((0..3).contains(&first));
    let twos: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM probe WHERE maybe = 2")
        .fetch_one(&mut *tx)
        .await
        .expect("count");
    assert_eq!(twos, 3);
    tx.commit().await.expect("commit");

    let mut tx = t.db.begin().await.expect("begin");
    let err = sqlx::query("INSERT INTO probe (t) VALUES ('a')")
        .execute(&mut *tx)
        .await
        .expect_err("duplicate");
    assert!(db::is_unique_violation(&err), "{err}");
    // (PostgreSQL refuses further statements in a failed transaction.)
    drop(tx);
    let mut tx = t.db.begin().await.expect("begin");
    let err = sqlx::query("INSERT INTO probe (t) VALUES (NULL)")
        .execute(&mut *tx)
        .await
        .expect_err("null");
    assert!(
        matches!(
            err.as_database_error().map(|d| d.kind()),
            Some(sqlx::error::ErrorKind::NotNullViolation)
        ),
        "{err}"
    );
    drop(tx);
    let mut tx = t.db.begin().await.expect("begin");
    let err = sqlx::query("SELECT no_such_column FROM probe")
        .fetch_all(&mut *tx)
        .await
        .map(|rows| rows.len())
        .expect_err("bad column");
    assert!(err.as_database_error().is_some(), "{err}");
    drop(tx);
    let mut c = t.db.read().await.expect("reader");
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM probe")
        .fetch_one(&mut c)
        .await
        .expect("count");
    assert_eq!(n, 3);
    let row = sqlx::query("SELECT COUNT(*) AS n, MAX(t) AS top FROM probe")
        .fetch_one(&mut c)
        .await
        .expect("aggregate");
    assert_eq!(row.get::<String, _>("top"), "c");
}

/// Another process holding SQLite's write lock delays `begin` (asynchronously)
/// until it lets go, within the wait; nothing fails.
#[tokio::test]
async fn begin_waits_for_another_process_holding_the_file() {
    let t = testing::fresh().await;
    if t.db.backend != Backend::Sqlite {
        return;
    }
    let other = db::Db::connect(&t.url).await.expect("second handle");
    let mut held = other.begin().await.expect("the other process writes");
    sqlx::query(
        "INSERT INTO option_item (list, label, position, active) VALUES ('lock', 'first', 0, 1)",
    )
    .execute(&mut *held)
    .await
    .expect("insert");
    let db = t.db.clone();
    let waiter = tokio::spawn(async move {
        let started = std::time::Instant::now();
        let mut tx = db.begin().await.expect("begin after the lock is released");
        sqlx::query(
            "INSERT INTO option_item (list, label, position, active) VALUES ('lock', 'second', 1, 1)",
        )
        .execute(&mut *tx)
        .await
        .expect("insert");
        tx.commit().await.expect("commit");
        started.elapsed()
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!waiter.is_finished(), "begin did not wait for the lock");
    held.commit().await.expect("the other process commits");
    let waited = waiter.await.expect("waiter");
    assert!(waited >= std::time::Duration::from_millis(300));
    let mut c = t.db.read().await.expect("reader");
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM option_item WHERE list = 'lock'")
        .fetch_one(&mut c)
        .await
        .expect("count");
    assert_eq!(n, 2);
}

/// An acknowledged commit is fsynced by default (`synchronous = FULL`, 2),
/// on the writer and on the readers alike.
#[tokio::test]
async fn sqlite_commits_are_durable_by_default() {
    let t = testing::fresh().await;
    if t.db.backend != Backend::Sqlite {
        return;
    }
    let mut tx = t.db.begin().await.expect("begin");
    let writer: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(&mut *tx)
        .await
        .expect("writer pragma");
    tx.rollback().await.expect("rollback");
    let mut c = t.db.read().await.expect("reader");
    let reader: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(&mut c)
        .await
        .expect("reader pragma");
    assert_eq!((writer, reader), (2, 2));
}

#[test]
fn durability_setting_is_full_unless_normal_is_asked_for() {
    use db::Durability;
    assert_eq!(Durability::parse(None).expect("parse"), Durability::Full);
    assert_eq!(
        Durability::parse(Some("")).expect("parse"),
        Durability::Full
    );
    assert_eq!(
        Durability::parse(Some("FULL")).expect("parse"),
        Durability::Full
    );
    assert_eq!(
        Durability::parse(Some(" normal ")).expect("parse"),
        Durability::Normal
    );
    assert!(Durability::parse(Some("off")).is_err());
}
