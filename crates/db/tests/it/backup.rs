//! `renda backup` under a write load, and `renda restore`: the copy holds
//! every record committed before it began, is whole, and its chain verifies
//! (SQLite; PostgreSQL's round trip is pg_dump/pg_restore in scripts/test).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

use db::backup::{self, BackupError};
use db::{Backend, audit, testing};

use crate::audit_chain::{append_n, key};

async fn count(db: &db::Db) -> i64 {
    let mut c = db.read().await.expect("conn");
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(&mut c)
        .await
        .expect("count")
}

#[tokio::test]
async fn a_backup_under_load_is_whole_and_restores() {
    let t = testing::fresh().await;
    if t.db.backend != Backend::Sqlite {
        return;
    }
    let source = backup::sqlite_file(&t.url).expect("sqlite file");
    let dir = source.parent().expect("dir").to_path_buf();
    append_n(&t.db, 200).await;

    // A writer that does not stop while the backup runs.
    let stop = Arc::new(AtomicBool::new(false));
    let written = Arc::new(AtomicI64::new(0));
    let load = {
        let (db, stop, written) = (t.db.clone(), stop.clone(), written.clone());
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                append_n(&db, 1).await;
                written.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    while written.load(Ordering::Relaxed) < 20 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let before = count(&t.db).await;
    let target = dir.join("copy.db");
    let (src, dst) = (source.clone(), target.clone());
    let summary = tokio::task::spawn_blocking(move || backup::backup(&src, &dst))
        .await
        .expect("join")
        .expect("backup");
    let during = written.load(Ordering::Relaxed);
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    stop.store(true, Ordering::Relaxed);
    load.await.expect("load");
    assert!(
        written.load(Ordering::Relaxed) > during || during > 20,
        "the writer kept committing while the copy ran"
    );
    assert!(summary.audit_records >= before, "{summary:?} < {before}");
    assert!(!dir.join("copy.db.partial").exists());

    // A second backup to the same name is refused, the first left as it was.
    assert!(matches!(
        backup::backup(&source, &target),
        Err(BackupError::TargetExists(_))
    ));

    // Restore into a new place, and over an existing database.
    let restored = dir.join("restored/renda.db");
    let (s, aside) = backup::restore(&target, &restored).expect("restore");
    assert_eq!((s.audit_records, aside), (summary.audit_records, None));
    let (again, aside) = backup::restore(&target, &restored).expect("restore over");
    assert_eq!(again.audit_records, summary.audit_records);
    assert!(aside.expect("moved aside").exists());

    let db = db::Db::connect(&format!("sqlite://{}", restored.display()))
        .await
        .expect("open restored");
    db.migrate().await.expect("migrate restored");
    assert_eq!(count(&db).await, summary.audit_records);
    let mut c = db.read().await.expect("conn");
    let verdict = audit::verify(&mut c, &key(), &[]).await.expect("verify");
    assert!(verdict.is_ok(), "{:?}", verdict.findings);
    assert_eq!(verdict.records, summary.audit_records);
    drop(c);

    // While a server has it open, a restore is refused and nothing moves.
    let before: Vec<_> = std::fs::read_dir(restored.parent().expect("dir"))
        .expect("list")
        .filter_map(|e| e.ok().map(|e| e.file_name()))
        .collect();
    assert!(matches!(
        backup::restore(&target, &restored),
        Err(BackupError::InUse(_))
    ));
    let after: Vec<_> = std::fs::read_dir(restored.parent().expect("dir"))
        .expect("list")
        .filter_map(|e| e.ok().map(|e| e.file_name()))
        .collect();
    assert_eq!(before.len(), after.len(), "{before:?} → {after:?}");
    db.close().await;
}

#[tokio::test]
async fn restore_refuses_what_is_not_a_renda_database() {
    let dir = tempfile::tempdir().expect("dir");
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"not a database at all, just some bytes here").expect("write");
    let target = dir.path().join("renda.db");
    assert!(matches!(
        backup::restore(&junk, &target),
        Err(BackupError::NotRenda { .. }) | Err(BackupError::Sqlite { .. })
    ));
    assert!(!target.exists());
    assert!(matches!(
        backup::restore(&dir.path().join("absent.db"), &target),
        Err(BackupError::Missing(_))
    ));
}
