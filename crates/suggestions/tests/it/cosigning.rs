//! Co-signing cannot deadlock: the lead withdraws an invitation not yet
//! answered, and staff record a co-signature given on paper; then the
//! suggestion can be submitted.

use axum::http::StatusCode;
use serde_json::json;
use testkit::TestApp;

#[tokio::test]
async fn a_waiting_invitation_is_withdrawn_or_recorded_from_paper() {
    let app = TestApp::with_demo().await;
    let mut deputy = app.as_user("deputy").await;
    let mut staff = app.as_user("staff").await;
    let r = deputy
        .post_json(
            "/api/suggestions",
            json!({"title": "关于修建镇卫生院住院楼的建议", "content": "镇卫生院住院楼年久失修，建议列入计划改建。"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.json()["id"].as_i64().expect("id");
    let others: Vec<i64> = {
        let a = app
            .scalar(&format!(
                "SELECT MAX(m.deputy_id) FROM deputy_mandate m JOIN suggestion s ON s.congress_id = m.congress_id WHERE s.id = {id} AND m.status = 'in_office' AND m.deputy_id <> s.lead_deputy_id AND NOT EXISTS (SELECT 1 FROM app_user u WHERE u.deputy_id = m.deputy_id)"
            ))
            .await;
        let b = app
            .scalar(&format!(
                "SELECT MAX(m.deputy_id) FROM deputy_mandate m JOIN suggestion s ON s.congress_id = m.congress_id WHERE s.id = {id} AND m.status = 'in_office' AND m.deputy_id NOT IN (s.lead_deputy_id, {a})"
            ))
            .await;
        vec![a, b]
    };
    let r = deputy
        .post_json(
            &format!("/api/suggestions/{id}/invite"),
            json!({"deputy_ids": others}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // Submission waits, and says what can be done.
    let r = deputy
        .post_json(&format!("/api/suggestions/{id}/submit"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.text.contains("撤回邀请"), "{}", r.text);
    assert!(r.text.contains("书面附议"), "{}", r.text);
    // The lead's page offers to withdraw each waiting invitation.
    let page = deputy.get(&format!("/suggestions/{id}")).await;
    assert!(
        page.text.contains(&format!(
            "/suggestions/{id}/invitations/{}/withdraw",
            others[1]
        )),
        "{}",
        page.text
    );
    // Only the lead may withdraw; the withdrawn deputy is told.
    let audit = app.audit_count().await;
    let r = staff
        .post_form(
            &format!("/suggestions/{id}/invitations/{}/withdraw", others[1]),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let r = deputy
        .post_form(
            &format!("/suggestions/{id}/invitations/{}/withdraw", others[1]),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let page = deputy.follow(&r).await;
    assert!(page.text.contains("已撤回对"), "{}", page.text);
    assert_eq!(app.audit_count().await, audit + 1);
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM notification WHERE title = '附议邀请已撤回' AND user_id IN (SELECT id FROM app_user WHERE deputy_id = {})",
            others[1]
        ))
        .await,
        app.scalar(&format!(
            "SELECT COUNT(*) FROM app_user WHERE deputy_id = {}",
            others[1]
        ))
        .await
    );
    // The other has no account: staff find the invitation and record the paper.
    let list = staff.get("/suggestions/cosigning").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    assert!(
        list.text.contains("关于修建镇卫生院住院楼的建议"),
        "{}",
        list.text
    );
    assert!(list.text.contains("未开通账号"), "{}", list.text);
    assert!(
        !list.text.contains("镇卫生院住院楼年久失修"),
        "the draft's text stays the deputies'"
    );
    let r = deputy
        .post_form(
            &format!("/suggestions/{id}/invitations/{}/paper", others[0]),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let r = staff
        .post_form(
            &format!("/suggestions/{id}/invitations/{}/paper", others[0]),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let list = staff.follow(&r).await;
    assert!(list.text.contains("书面附议"), "{}", list.text);
    assert!(
        !list.text.contains("关于修建镇卫生院住院楼的建议"),
        "{}",
        list.text
    );
    // Recorded once: again is refused, and a confirmed one cannot be withdrawn.
    let r = staff
        .post_json(
            &format!("/api/suggestions/{id}/invitations/{}/paper", others[0]),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    let r = deputy
        .post_json(
            &format!("/api/suggestions/{id}/invitations/{}/withdraw", others[0]),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    let page = deputy.get(&format!("/suggestions/{id}")).await;
    assert!(
        page.text.contains("已附议（书面，工作人员登记）"),
        "{}",
        page.text
    );
    // Nothing waits any more: it can be submitted.
    let r = deputy
        .post_json(&format!("/api/suggestions/{id}/submit"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}
