//! `Idempotency-Key` (issue 12): a retried creation finds the first answer
//! instead of making a second record, even when the first answer was never
//! kept (the server stopped between the commit and keeping it).

use axum::http::StatusCode;
use serde_json::json;
use testkit::TestApp;

const TITLE: &str = "关于增设城关镇公交站点的建议";

fn body(title: &str) -> serde_json::Value {
    json!({"title": title, "content": "建议在城关镇新区增设公交站点，方便群众出行。"})
}

async fn count(app: &TestApp, title: &str) -> i64 {
    app.scalar(&format!(
        "SELECT COUNT(*) FROM suggestion WHERE title = '{title}'"
    ))
    .await
}

#[tokio::test]
async fn a_retry_with_the_same_key_gets_the_first_answer() {
    let app = TestApp::with_demo().await;
    let mut deputy = app.as_user("deputy").await;
    let key = "3f1c2a8e-5b7d-4e21-9c0a-7d5e1b2f9a01";
    let first = deputy
        .post_json_keyed("/api/suggestions", body(TITLE), key)
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let audits = app.audit_count().await;
    let again = deputy
        .post_json_keyed("/api/suggestions", body(TITLE), key)
        .await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.json(), first.json());
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(count(&app, TITLE).await, 1);
    assert_eq!(app.audit_count().await, audits, "a replay changes nothing");
    // The kept answer is encrypted, not stored as sent.
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM idempotency_key WHERE body LIKE '%\"id\"%'")
            .await,
        0
    );

    // The same key for another request is refused, and changes nothing.
    let other = deputy
        .post_json_keyed("/api/suggestions", body("另一件建议"), key)
        .await;
    assert_eq!(other.status, StatusCode::CONFLICT, "{}", other.text);
    assert!(
        other.json()["message"]
            .as_str()
            .expect("message")
            .contains("Idempotency-Key")
    );
    assert_eq!(count(&app, "另一件建议").await, 0);

    // Without a key, a repeat creates a second record as before.
    let plain = deputy.post_json("/api/suggestions", body(TITLE)).await;
    assert_eq!(plain.status, StatusCode::CREATED);
    assert_eq!(count(&app, TITLE).await, 2);
}

#[tokio::test]
async fn a_refused_request_holds_no_key_and_a_lost_answer_is_reconstructed() {
    let app = TestApp::with_demo().await;
    let mut deputy = app.as_user("deputy").await;
    let key = "retry-after-a-fix";
    let refused = deputy
        .post_json_keyed(
            "/api/suggestions",
            json!({"title": "", "content": "x"}),
            key,
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM idempotency_key").await, 0);
    let fixed = deputy
        .post_json_keyed("/api/suggestions", body(TITLE), key)
        .await;
    assert_eq!(fixed.status, StatusCode::CREATED, "{}", fixed.text);
    let id = fixed.json()["id"].as_i64().expect("id");

    // Between the commit and keeping the answer, a retry is told to wait.
    app.exec("UPDATE idempotency_key SET status = NULL, body = NULL")
        .await;
    let early = deputy
        .post_json_keyed("/api/suggestions", body(TITLE), key)
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.text);
    assert_eq!(early.headers["retry-after"], "1");
    // The process that ran it died in that instant: the claim answers.
    app.exec("UPDATE idempotency_key SET instance = 'a process that died'")
        .await;
    let retry = deputy
        .post_json_keyed("/api/suggestions", body(TITLE), key)
        .await;
    assert_eq!(retry.status, StatusCode::CREATED, "{}", retry.text);
    assert_eq!(retry.json()["id"].as_i64(), Some(id));
    assert_eq!(retry.headers["idempotent-replayed"], "reconstructed");
    assert_eq!(count(&app, TITLE).await, 1);

    // A malformed key is refused before anything runs.
    let bad = deputy
        .post_json_keyed("/api/suggestions", body("坏键"), "has space")
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["fields"][0]["field"], "Idempotency-Key");
    assert_eq!(count(&app, "坏键").await, 0);
}
