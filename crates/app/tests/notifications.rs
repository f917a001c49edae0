//! Notices to audiences on a real database: one statement inserts a notice for
//! every member of several audiences, once per person, skips disabled
//! accounts, and returns the e-mail addresses for the outbox.

use app::store::notifications;
use app::store::users::{self, Audience, NewUser};
use db::testing;

/// A congress row, as the foundation would write it (this crate does not know the foundation).
async fn new_congress(tx: &mut db::Tx, name: &str, now: i64) -> i64 {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO congress (name, level, path, created_at, updated_at) VALUES ($1, 'county', '', $2, $2) RETURNING id",
    )
    .bind(name)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .expect("congress");
    sqlx::query("UPDATE congress SET path = '/' || CAST(id AS TEXT) || '/' WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await
        .expect("path");
    id
}

fn user(name: &str, role: &str, congress_id: Option<i64>) -> NewUser {
    NewUser {
        username: name.to_string(),
        display_name: name.to_string(),
        password_hash: "x".to_string(),
        role: role.to_string(),
        data_scope: "congress".to_string(),
        congress_id,
        office: None,
        unit_id: None,
        deputy_id: None,
        must_change_password: false,
        is_demo: false,
    }
}

#[tokio::test]
async fn audiences_are_notified_once_each_in_one_statement() {
    let t = testing::fresh().await;
    let now = 1_700_000_000_000;
    let mut tx = t.db.begin().await.expect("begin");
    let congress = new_congress(&mut tx, "测试县人大", now).await;
    let other = new_congress(&mut tx, "邻县人大", now).await;
    let a = users::insert(&mut tx, &user("staff_a", "staff", Some(congress)), now)
        .await
        .expect("a");
    let b = users::insert(&mut tx, &user("staff_b", "staff", Some(congress)), now)
        .await
        .expect("b");
    let off = users::insert(&mut tx, &user("staff_off", "staff", Some(congress)), now)
        .await
        .expect("off");
    let elsewhere = users::insert(&mut tx, &user("staff_x", "staff", Some(other)), now)
        .await
        .expect("x");
    let leader = users::insert(
        &mut tx,
        &user("leader", "congress_leader", Some(congress)),
        now,
    )
    .await
    .expect("leader");
    users::set_email(&mut tx, b, Some("b@example.org"))
        .await
        .expect("email");
    sqlx::query("UPDATE app_user SET disabled = 1 WHERE id = $1")
        .bind(off)
        .execute(&mut *tx)
        .await
        .expect("disable");
    tx.commit().await.expect("commit");

    let mut tx = t.db.begin().await.expect("begin");
    // staff_a is both in the congress's staff and named on its own.
    let sent = notifications::insert_for_audiences(
        &mut tx,
        &[
            Audience::CongressStaff(congress),
            Audience::CongressLeaders(congress),
            Audience::User(a),
        ],
        "标题",
        "正文",
        "/suggestions/1",
        now,
    )
    .await
    .expect("notify");
    tx.commit().await.expect("commit");
    let mut expected = vec![
        (a, None),
        (b, Some("b@example.org".to_string())),
        (leader, None),
    ];
    expected.sort();
    assert_eq!(sent, expected);

    let mut c = t.db.read().await.expect("conn");
    for (id, want) in [(a, 1), (b, 1), (leader, 1), (off, 0), (elsewhere, 0)] {
        assert_eq!(
            notifications::unread(&mut c, id).await.expect("unread"),
            want,
            "user {id}"
        );
    }
    let none = {
        drop(c);
        let mut tx = t.db.begin().await.expect("begin");
        let r = notifications::insert_for_audiences(&mut tx, &[], "t", "b", "/", now)
            .await
            .expect("empty");
        tx.commit().await.expect("commit");
        r
    };
    assert!(none.is_empty());
}
