//! Submission numbers (第N号): each congress session has its own series and so
//! does the time between sessions; a suggestion returned for revision keeps its
//! number when it is submitted again.

use axum::http::StatusCode;
use serde_json::json;
use testkit::{Client, TestApp};

async fn draft(c: &mut Client, session_id: Option<i64>, title: &str) -> i64 {
    let mut body = json!({"title": title, "content": "建议加快城区停车设施建设，缓解停车难。", "category": "城乡建设"});
    if let Some(s) = session_id {
        body["session_id"] = json!(s);
    }
    let r = c.post_json("/api/suggestions", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()["id"].as_i64().expect("id")
}

async fn submit_draft(c: &mut Client, id: i64) -> i64 {
    let r = c
        .post_json(&format!("/api/suggestions/{id}/submit"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json()["number"].as_i64().expect("number")
}

async fn submit(c: &mut Client, session_id: Option<i64>, title: &str) -> (i64, i64) {
    let id = draft(c, session_id, title).await;
    (id, submit_draft(c, id).await)
}

#[tokio::test]
async fn each_session_and_the_time_between_sessions_number_on_their_own() {
    let app = TestApp::with_demo().await;
    let mut deputy = app.as_user("deputy").await;
    let mut staff = app.as_user("staff").await;
    let first = draft(&mut deputy, None, "关于增设城区停车位的建议").await;
    let congress = app
        .scalar(&format!(
            "SELECT congress_id FROM suggestion WHERE id = {first}"
        ))
        .await;
    let session = app
        .scalar(&format!(
            "SELECT s.id FROM congress_session s JOIN term t ON t.id = s.term_id WHERE t.congress_id = {congress} ORDER BY s.id DESC LIMIT 1"
        ))
        .await;
    let in_session = app
        .scalar(&format!(
            "SELECT COALESCE(MAX(number), 0) FROM suggestion WHERE session_id = {session}"
        ))
        .await;
    let between = app
        .scalar(&format!("SELECT COALESCE(MAX(number), 0) FROM suggestion WHERE congress_id = {congress} AND session_id IS NULL"))
        .await;

    let n1 = submit_draft(&mut deputy, first).await;
    assert_eq!(n1, between + 1);
    let (_, n2) = submit(&mut deputy, Some(session), "关于规范共享单车停放的建议").await;
    assert_eq!(n2, in_session + 1);
    let (_, n3) = submit(&mut deputy, None, "关于建设立体停车场的建议").await;
    assert_eq!(n3, between + 2);

    // Returned for revision and submitted again: the same number.
    let r = staff
        .post_json(
            &format!("/api/suggestions/{first}/return"),
            json!({"reason": "请补充拟建停车位的具体位置"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(submit_draft(&mut deputy, first).await, n1);
    let (_, n4) = submit(&mut deputy, None, "关于错时开放机关停车场的建议").await;
    assert_eq!(n4, between + 3);
}
