//! The audit chain on a real database: appends link up under the key, and
//! `verify` names the three attacks of issue 12 — a rewrite with recomputed
//! links, a deletion with renumbering, and a cut-off tail.

use crypto::chain::ChainKey;
use db::audit::{self, Anchor, AuditRow, Finding, NewAudit, Verdict};
use db::testing;

fn entry(i: i64) -> (String, String) {
    (format!("deputy.update {i}"), format!("{i}"))
}

pub(crate) async fn append_n(db: &db::Db, n: i64) {
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

pub(crate) fn key() -> ChainKey {
    testing::test_chain_key()
}

async fn verdict(db: &db::Db, anchors: &[Anchor]) -> Verdict {
    let mut c = db.read().await.expect("conn");
    audit::verify(&mut c, &key(), anchors)
        .await
        .expect("verify")
}

/// What a checkpoint written now would vouch for.
async fn anchor_now(db: &db::Db) -> Anchor {
    let mut c = db.read().await.expect("conn");
    let h = audit::head(&mut c).await.expect("head");
    Anchor {
        seq: h.seq,
        hash: h.hash,
        keyed_from: h.keyed_from,
        at: 1_700_000_100_000,
    }
}

/// Someone with the database owner's rights removes the guards.
async fn drop_guards(db: &db::Db) {
    let mut tx = db.begin().await.expect("begin");
    match db.backend {
        db::Backend::Sqlite => {
            for t in ["audit_log_no_update", "audit_log_no_delete"] {
                sqlx::query(&format!("DROP TRIGGER IF EXISTS {t}"))
                    .execute(&mut *tx)
                    .await
                    .expect("drop");
            }
        }
        db::Backend::Postgres => {
            sqlx::query("ALTER TABLE audit_log DISABLE TRIGGER USER")
                .execute(&mut *tx)
                .await
                .expect("disable");
        }
    }
    tx.commit().await.expect("commit");
}

async fn exec(db: &db::Db, sql: &str) {
    let mut tx = db.begin().await.expect("begin");
    sqlx::query(sql).execute(&mut *tx).await.expect(sql);
    tx.commit().await.expect("commit");
}

/// The attacker's best effort without the key: every link from `from` on
/// recomputed with plain SM3 (the old formula) or a key of their own, and
/// the head moved to match.
async fn rebuild_from(db: &db::Db, from: i64, forged: Option<&ChainKey>) {
    let mut tx = db.begin().await.expect("begin");
    let rows: Vec<AuditRow> = sqlx::query_as(
        "SELECT seq, at, actor_id, actor_name, role, action, entity, entity_id, summary, ip, prev_hash, hash
         FROM audit_log ORDER BY seq",
    )
    .fetch_all(&mut *tx)
    .await
    .expect("rows");
    let mut prev = audit::GENESIS.to_string();
    for r in rows {
        if r.seq >= from {
            let c = audit::canonical(
                r.seq,
                &NewAudit {
                    at: r.at,
                    actor_id: r.actor_id,
                    actor_name: &r.actor_name,
                    role: &r.role,
                    action: &r.action,
                    entity: &r.entity,
                    entity_id: &r.entity_id,
                    summary: &r.summary,
                    ip: &r.ip,
                },
            );
            let hash = match forged {
                Some(k) => audit::chain_hash(k, &prev, &c),
                None => audit::legacy_hash(&prev, &c),
            };
            sqlx::query("UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE seq = $3")
                .bind(&prev)
                .bind(&hash)
                .bind(r.seq)
                .execute(&mut *tx)
                .await
                .expect("rewrite link");
            prev = hash;
        } else {
            prev = r.hash;
        }
    }
    let last: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM audit_log")
        .fetch_one(&mut *tx)
        .await
        .expect("max");
    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
        .bind(last)
        .bind(&prev)
        .execute(&mut *tx)
        .await
        .expect("head");
    tx.commit().await.expect("commit");
}

#[tokio::test]
async fn an_untouched_chain_verifies_and_the_database_refuses_edits() {
    let t = testing::fresh().await;
    append_n(&t.db, 12).await;
    let a = anchor_now(&t.db).await;
    let v = verdict(&t.db, std::slice::from_ref(&a)).await;
    assert!(v.is_ok(), "{:?}", v.findings);
    assert_eq!(v.brief(), Ok(12));

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
    // Appending needs the key: a handle without it refuses.
    let bare = db::Db::connect(&t.url).await.expect("second handle");
    let mut tx = bare.begin().await.expect("begin");
    assert!(
        audit::append(
            &mut tx,
            &NewAudit {
                at: 1,
                actor_id: None,
                actor_name: "x",
                role: "",
                action: "x",
                entity: "x",
                entity_id: "1",
                summary: "",
                ip: "",
            },
        )
        .await
        .is_err()
    );
}

/// Attack 1: drop the guards, edit one summary, recompute every later link
/// and the head. Without the key the recomputed links do not match.
#[tokio::test]
async fn a_rewritten_record_is_reported_though_its_links_were_recomputed() {
    for forged in [None, Some(ChainKey::for_tests(99))] {
        let t = testing::fresh().await;
        append_n(&t.db, 12).await;
        let a = anchor_now(&t.db).await;
        drop_guards(&t.db).await;
        exec(
            &t.db,
            "UPDATE audit_log SET summary = 'nothing happened' WHERE seq = 5",
        )
        .await;
        rebuild_from(&t.db, 5, forged.as_ref()).await;
        let v = verdict(&t.db, std::slice::from_ref(&a)).await;
        assert_eq!(v.findings.first(), Some(&Finding::Rewritten { seq: 5 }));
        assert!(
            v.findings
                .contains(&Finding::AnchorDiffers { seq: 12, at: a.at })
        );
        // Even without any checkpoint the keyed links give it away.
        let v = verdict(&t.db, &[]).await;
        assert_eq!(v.findings.first(), Some(&Finding::Rewritten { seq: 5 }));
    }
}

/// Attack 2: delete a record and renumber the ones after it, with or
/// without recomputing their links.
#[tokio::test]
async fn a_deleted_and_renumbered_record_is_reported() {
    let t = testing::fresh().await;
    append_n(&t.db, 12).await;
    let a = anchor_now(&t.db).await;
    drop_guards(&t.db).await;
    exec(&t.db, "DELETE FROM audit_log WHERE seq = 4").await;
    for seq in 5..=12 {
        exec(
            &t.db,
            &format!("UPDATE audit_log SET seq = {} WHERE seq = {seq}", seq - 1),
        )
        .await;
    }
    exec(
        &t.db,
        "UPDATE audit_head SET seq = 11, hash = (SELECT hash FROM audit_log WHERE seq = 11) WHERE id = 1",
    )
    .await;
    let v = verdict(&t.db, std::slice::from_ref(&a)).await;
    assert!(
        v.findings.contains(&Finding::Unlinked { seq: 4 }),
        "{:?}",
        v.findings
    );
    assert!(v.findings.contains(&Finding::Renumbered { seq: 4, was: 5 }));
    assert!(v.findings.contains(&Finding::TailCut {
        last_seq: 11,
        anchor_seq: 12,
        at: a.at
    }));

    // The links recomputed as well: every renumbered record is still named.
    rebuild_from(&t.db, 4, None).await;
    let v = verdict(&t.db, std::slice::from_ref(&a)).await;
    assert_eq!(v.findings.first(), Some(&Finding::Rewritten { seq: 4 }));
    assert!(
        v.findings
            .iter()
            .any(|f| matches!(f, Finding::TailCut { .. }))
    );
    assert!(v.brief().is_err());
}

/// Attack 3: cut off the tail and move the head back. The chain that is
/// left is intact; only the checkpoint knows more records existed.
#[tokio::test]
async fn a_cut_off_tail_is_reported_against_the_last_checkpoint() {
    let t = testing::fresh().await;
    append_n(&t.db, 12).await;
    let a = anchor_now(&t.db).await;
    drop_guards(&t.db).await;
    exec(&t.db, "DELETE FROM audit_log WHERE seq > 9").await;
    exec(
        &t.db,
        "UPDATE audit_head SET seq = 9, hash = (SELECT hash FROM audit_log WHERE seq = 9) WHERE id = 1",
    )
    .await;
    let v = verdict(&t.db, std::slice::from_ref(&a)).await;
    assert_eq!(
        v.findings,
        vec![Finding::TailCut {
            last_seq: 9,
            anchor_seq: 12,
            at: a.at
        }]
    );
    // A deleted record in the middle, head left alone, is named too.
    exec(&t.db, "DELETE FROM audit_log WHERE seq = 2").await;
    let v = verdict(&t.db, &[]).await;
    assert_eq!(
        v.findings.first(),
        Some(&Finding::Missing { from: 2, to: 2 })
    );
}

/// Records written before the chain was keyed keep their plain links and
/// still verify; a change to where keyed links begin is reported.
#[tokio::test]
async fn records_from_before_the_key_verify_and_the_keyed_start_is_signed() {
    let t = testing::fresh().await;
    // An old chain of five plain-SM3 records, as migration 0013 found it.
    append_n(&t.db, 5).await;
    drop_guards(&t.db).await;
    rebuild_from(&t.db, 1, None).await;
    exec(&t.db, "UPDATE audit_head SET keyed_from = 6 WHERE id = 1").await;
    if t.db.backend == db::Backend::Postgres {
        // Disabling the guards disabled the trigger that moves the head too.
        exec(&t.db, "ALTER TABLE audit_log ENABLE TRIGGER USER").await;
    }
    append_n(&t.db, 3).await;
    let a = anchor_now(&t.db).await;
    assert_eq!(a.keyed_from, 6);
    let v = verdict(&t.db, std::slice::from_ref(&a)).await;
    assert!(v.is_ok(), "{:?}", v.findings);
    // Claiming the whole chain is plain, to rebuild it without the key:
    exec(&t.db, "UPDATE audit_head SET keyed_from = 100 WHERE id = 1").await;
    drop_guards(&t.db).await;
    rebuild_from(&t.db, 1, None).await;
    let v = verdict(&t.db, std::slice::from_ref(&a)).await;
    assert!(v.findings.contains(&Finding::KeyedFromChanged {
        stated: 100,
        signed: 6
    }));
    assert!(v.findings.contains(&Finding::Rewritten { seq: 6 }));
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
    assert_eq!(verdict(&t.db, &[]).await.brief(), Ok(40));
}
