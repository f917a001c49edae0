//! The audit chain on a real database: appends link up, `verify` finds an
//! edited record, a removed record, and a truncated tail.

use db::audit::{self, Broken, NewAudit};
use db::testing;

fn entry(i: i64) -> (String, String) {
    (format!("deputy.update {i}"), format!("{i}"))
}

async fn append_n(db: &db::Db, n: i64) {
    for i in 0..n {
        let mut tx = db.begin().await.expect("begin");
        let (summary, id) = entry(i);
        audit::append(
            &mut tx,
            &NewAudit {
                at: 1_700_000_000_000 + i,
                actor_id: Some(1),
                actor_name: "admin",
                role: "admin",
                action: "deputy.update",
                entity: "deputy",
                entity_id: &id,
                summary: &summary,
                ip: "127.0.0.1",
            },
        )
        .await
        .expect("append");
        tx.commit().await.expect("commit");
    }
}

#[tokio::test]
async fn chain_verifies_and_detects_edits() {
    let t = testing::fresh().await;
    append_n(&t.db, 12).await;
    let mut c = t.db.read().await.expect("conn");
    assert_eq!(audit::verify(&mut c).await.expect("query"), Ok(12));
    drop(c);

    // The database refuses edits and deletions outright.
    let mut tx = t.db.begin().await.expect("begin");
    assert!(
        sqlx::query("UPDATE audit_log SET summary = 'x' WHERE seq = 3")
            .execute(&mut *tx)
            .await
            .is_err()
    );
    drop(tx);
    let mut tx = t.db.begin().await.expect("begin");
    assert!(
        sqlx::query("DELETE FROM audit_log WHERE seq = 3")
            .execute(&mut *tx)
            .await
            .is_err()
    );
    drop(tx);

    // Someone with the database owner's rights removes the guard and edits a record.
    let mut tx = t.db.begin().await.expect("begin");
    match t.db.backend {
        db::Backend::Sqlite => {
            sqlx::query("DROP TRIGGER audit_log_no_update")
                .execute(&mut *tx)
                .await
                .expect("drop");
            sqlx::query("DROP TRIGGER audit_log_no_delete")
                .execute(&mut *tx)
                .await
                .expect("drop");
        }
        db::Backend::Postgres => {
            sqlx::query("ALTER TABLE audit_log DISABLE TRIGGER USER")
                .execute(&mut *tx)
                .await
                .expect("disable");
        }
    }
    sqlx::query("UPDATE audit_log SET summary = 'nothing happened' WHERE seq = 5")
        .execute(&mut *tx)
        .await
        .expect("edit");
    tx.commit().await.expect("commit");
    let mut c = t.db.read().await.expect("conn");
    match audit::verify(&mut c).await.expect("query") {
        Err(Broken::Record { seq, .. }) => assert_eq!(seq, 5),
        other => panic!("edit not detected: {other:?}"),
    }
}

#[tokio::test]
async fn chain_detects_deleted_and_truncated_records() {
    let t = testing::fresh().await;
    append_n(&t.db, 6).await;
    let mut tx = t.db.begin().await.expect("begin");
    match t.db.backend {
        db::Backend::Sqlite => {
            sqlx::query("DROP TRIGGER audit_log_no_delete")
                .execute(&mut *tx)
                .await
                .expect("drop");
        }
        db::Backend::Postgres => {
            sqlx::query("ALTER TABLE audit_log DISABLE TRIGGER USER")
                .execute(&mut *tx)
                .await
                .expect("disable");
        }
    }
    sqlx::query("DELETE FROM audit_log WHERE seq = 6")
        .execute(&mut *tx)
        .await
        .expect("delete tail");
    tx.commit().await.expect("commit");
    let mut c = t.db.read().await.expect("conn");
    assert!(matches!(
        audit::verify(&mut c).await.expect("query"),
        Err(Broken::Chain { seq: 6, .. })
    ));
    drop(c);
    let mut tx = t.db.begin().await.expect("begin");
    sqlx::query("DELETE FROM audit_log WHERE seq = 2")
        .execute(&mut *tx)
        .await
        .expect("delete middle");
    tx.commit().await.expect("commit");
    let mut c = t.db.read().await.expect("conn");
    assert!(matches!(
        audit::verify(&mut c).await.expect("query"),
        Err(Broken::Chain { seq: 2, .. })
    ));
}

#[tokio::test]
async fn concurrent_appends_keep_one_chain() {
    let t = testing::fresh().await;
    let mut handles = Vec::new();
    for _ in 0..4 {
        let db = t.db.clone();
        handles.push(tokio::spawn(async move { append_n(&db, 10).await }));
    }
    for h in handles {
        h.await.expect("task");
    }
    let mut c = t.db.read().await.expect("conn");
    assert_eq!(audit::verify(&mut c).await.expect("query"), Ok(40));
}
