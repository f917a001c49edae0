//! The one transaction of a use case, on both databases: commit keeps, rollback
//! and drop discard, a failed statement leaves the writer usable, and writers
//! queue rather than fail.

use db::testing;

async fn count(db: &db::Db) -> i64 {
    let mut c = db.read().await.expect("conn");
    sqlx::query_scalar("SELECT COUNT(*) FROM option_item WHERE list = 'tx_test'")
        .fetch_one(&mut c)
        .await
        .expect("count")
}

async fn insert(tx: &mut db::Tx, label: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO option_item (list, label, position, active) VALUES ('tx_test', $1, 0, 1)",
    )
    .bind(label)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

#[tokio::test]
async fn commit_keeps_and_rollback_or_drop_discards() {
    let t = testing::fresh().await;
    let mut tx = t.db.begin().await.expect("begin");
    insert(&mut tx, "kept").await.expect("insert");
    tx.commit().await.expect("commit");
    assert_eq!(count(&t.db).await, 1);

    let mut tx = t.db.begin().await.expect("begin");
    insert(&mut tx, "rolled back").await.expect("insert");
    tx.rollback().await.expect("rollback");
    assert_eq!(count(&t.db).await, 1);

    // A use case that returns early with `?` drops its transaction.
    {
        let mut tx = t.db.begin().await.expect("begin");
        insert(&mut tx, "dropped").await.expect("insert");
    }
    let mut tx =
        t.db.begin()
            .await
            .expect("begin after a dropped transaction");
    insert(&mut tx, "next").await.expect("insert");
    tx.commit().await.expect("commit");
    assert_eq!(count(&t.db).await, 2);

    // A failing statement (a duplicate label) and the writer carries on.
    let mut tx = t.db.begin().await.expect("begin");
    insert(&mut tx, "again").await.expect("insert");
    assert!(insert(&mut tx, "kept").await.is_err());
    drop(tx);
    let mut tx = t.db.begin().await.expect("begin after a failed statement");
    insert(&mut tx, "last").await.expect("insert");
    tx.commit().await.expect("commit");
    assert_eq!(count(&t.db).await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writers_queue_and_all_commit() {
    let t = testing::fresh().await;
    let mut tasks = Vec::new();
    for i in 0..16 {
        let db = t.db.clone();
        tasks.push(tokio::spawn(async move {
            for j in 0..10 {
                let mut tx = db.begin().await.expect("begin");
                insert(&mut tx, &format!("{i}-{j}")).await.expect("insert");
                tokio::task::yield_now().await;
                tx.commit().await.expect("commit");
            }
        }));
    }
    for task in tasks {
        task.await.expect("task");
    }
    assert_eq!(count(&t.db).await, 160);
}

/// Use cases that overlap share SQLite transactions (group commit): one that
/// fails — an error, a rollback, a dropped request — takes only its own work
/// with it, and every commit that returned is visible and in the audit chain.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_use_case_among_concurrent_ones_loses_only_its_own_work() {
    let t = testing::fresh().await;
    let mut tasks = Vec::new();
    for i in 0..12 {
        let db = t.db.clone();
        tasks.push(tokio::spawn(async move {
            let mut kept = Vec::new();
            for j in 0..10 {
                let label = format!("{i}-{j}");
                let mut tx = db.begin().await.expect("begin");
                insert(&mut tx, &label).await.expect("insert");
                db::audit::append(
                    &mut tx,
                    &db::audit::NewAudit {
                        at: 1,
                        actor_id: None,
                        actor_name: "test",
                        role: "",
                        action: "tx_test",
                        entity: "option_item",
                        entity_id: &label,
                        summary: &label,
                        ip: "",
                    },
                )
                .await
                .expect("audit");
                tokio::task::yield_now().await;
                match (i + j) % 4 {
                    // A duplicate fails inside the use case, which gives up.
                    0 => {
                        assert!(insert(&mut tx, &label).await.is_err());
                        drop(tx);
                    }
                    1 => tx.rollback().await.expect("rollback"),
                    _ => {
                        tx.commit().await.expect("commit");
                        kept.push(label);
                    }
                }
            }
            kept
        }));
    }
    let mut kept = Vec::new();
    for task in tasks {
        kept.extend(task.await.expect("task"));
    }
    kept.sort();
    let mut c = t.db.read().await.expect("conn");
    let mut stored: Vec<String> =
        sqlx::query_scalar("SELECT label FROM option_item WHERE list = 'tx_test'")
            .fetch_all(&mut c)
            .await
            .expect("labels");
    stored.sort();
    assert_eq!(stored, kept);
    assert_eq!(kept.len(), 60);
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'tx_test'")
            .fetch_one(&mut c)
            .await
            .expect("audited");
    assert_eq!(audited, 60);
    assert_eq!(
        db::audit::verify(&mut c, &testing::test_chain_key(), &[])
            .await
            .expect("verify")
            .brief(),
        Ok(60)
    );
}

#[tokio::test]
async fn planner_statistics_refresh_and_readers_carry_on() {
    let t = testing::fresh().await;
    let mut tx = t.db.begin().await.expect("begin");
    for i in 0..50 {
        insert(&mut tx, &format!("s{i}")).await.expect("insert");
    }
    tx.commit().await.expect("commit");
    assert_eq!(count(&t.db).await, 50);
    t.db.refresh_statistics().await.expect("refresh");
    // Readers from the new pool see everything, and the statistics exist.
    assert_eq!(count(&t.db).await, 50);
    if t.db.backend == db::Backend::Sqlite {
        let mut c = t.db.read().await.expect("conn");
        let rows: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'option_item'")
                .fetch_one(&mut c)
                .await
                .expect("stat1");
        assert!(rows > 0);
    }
}
