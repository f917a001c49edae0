//! 通知公告: staff post a notice to chosen roles; it shows on those roles'
//! home pages until withdrawn; a refused notice keeps what was typed.

use axum::http::StatusCode;
use serde_json::json;
use testkit::TestApp;

#[tokio::test]
async fn staff_post_a_notice_to_chosen_roles_and_withdraw_it() {
    let app = TestApp::with_demo().await;
    let mut staff = app.as_user("staff").await;
    let page = staff.get("/announcements").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(page.text.contains("还没有发布通知公告"), "{}", page.text);

    // Refused: no title, nobody chosen. What was typed comes back, nothing is stored.
    let audits = app.audit_count().await;
    let r = staff
        .post_form(
            "/announcements",
            &[("title", " "), ("body", "请各位代表于月底前提交建议")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("请填写标题"), "{}", r.text);
    assert!(r.text.contains("请选择发给哪些人"), "{}", r.text);
    assert!(r.text.contains("请各位代表于月底前提交建议"), "{}", r.text);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM announcement").await, 0);
    assert_eq!(app.audit_count().await, audits);

    let r = staff
        .post_form(
            "/announcements",
            &[
                ("title", "关于提交闭会期间建议的通知"),
                (
                    "body",
                    "请各位代表于月底前提交建议。\n联系电话见代表联络站。",
                ),
                ("audience", "deputy"),
                ("audience", "unit_head"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let listed = staff.follow(&r).await;
    assert!(listed.text.contains("通知公告已发布"), "{}", listed.text);
    assert!(
        listed.text.contains("人大代表、承办单位负责人"),
        "{}",
        listed.text
    );
    assert_eq!(app.audit_count().await, audits + 1);
    let id = app.scalar("SELECT id FROM announcement").await;

    // The chosen roles see it on their home page; others do not.
    for (who, sees) in [
        ("deputy", true),
        ("head", true),
        ("handler", false),
        ("govleader", false),
    ] {
        let mut c = app.as_user(who).await;
        let home = c.get("/").await;
        assert_eq!(
            home.text.contains("关于提交闭会期间建议的通知"),
            sees,
            "{who}: {}",
            home.text
        );
        let one = c.get(&format!("/announcements/{id}")).await;
        let want = if sees {
            StatusCode::OK
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(one.status, want, "{who}: {}", one.text);
        if sees {
            assert!(one.text.contains("联系电话见代表联络站"), "{}", one.text);
        }
    }
    let mut deputy = app.as_user("deputy").await;
    let mine = deputy.get("/api/announcements").await;
    assert_eq!(mine.json()["total"], json!(1), "{}", mine.text);
    assert_eq!(
        mine.json()["items"][0]["audience"],
        json!(["deputy", "unit_head"])
    );

    // Withdrawn: gone from the home page, listed for staff as withdrawn.
    let r = staff
        .post_form(&format!("/announcements/{id}/withdraw"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let listed = staff.follow(&r).await;
    assert!(listed.text.contains("通知公告已撤回"), "{}", listed.text);
    assert!(listed.text.contains("已撤回"), "{}", listed.text);
    let home = deputy.get("/").await;
    assert!(
        !home.text.contains("关于提交闭会期间建议的通知"),
        "{}",
        home.text
    );
    assert_eq!(
        deputy.get(&format!("/announcements/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let again = staff
        .post_json(&format!("/api/announcements/{id}/withdraw"), json!({}))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);
    assert_eq!(app.audit_count().await, audits + 2);

    // A deputy may not post; an unknown role is refused by name.
    let r = deputy
        .post_json(
            "/api/announcements",
            json!({"title": "x", "body": "y", "audience": ["deputy"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let r = staff
        .post_json(
            "/api/announcements",
            json!({"title": "x", "body": "y", "audience": ["mayor"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("mayor"), "{}", r.text);
}
