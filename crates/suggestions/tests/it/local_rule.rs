//! Messages cite the local regulation the deployment names, never another
//! province's: with none named a rule is stated without a citation; once the
//! administrator names the regulation and its articles, the messages cite them.

use axum::http::StatusCode;
use serde_json::json;
use testkit::TestApp;

const RULE: &str = "/admin/settings/local-rule";

#[tokio::test]
async fn messages_cite_the_regulation_the_deployment_names() {
    let app = TestApp::with_demo().await;
    app.add_test_year_2027().await;
    let id = app
        .assigned_suggestion("关于修缮县城老旧小区的建议", "县交通运输局")
        .await;
    let mut staff = app.as_user("staff").await;
    let r = staff.get(&format!("/api/suggestions/{id}")).await;
    let assignment = r.json()["item"]["assignments"][0]["id"]
        .as_i64()
        .expect("assignment");
    let extend = format!("/api/assignments/{assignment}/extend");
    let too_long = json!({"extra_months": 4, "reason": "涉及多个部门协调"});

    // Nothing named: the rule is stated, no province is cited.
    let r = staff.post_json(&extend, too_long.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("延期应为 1 到 3 个月"), "{}", r.text);
    assert!(!r.text.contains("上海"), "{}", r.text);
    assert!(!r.text.contains("（《"), "{}", r.text);

    // A malformed article is refused next to its field, the typed text kept,
    // nothing stored.
    let mut admin = app.as_user("admin").await;
    let before = app.audit_count().await;
    let r = admin
        .post_form(
            RULE,
            &[
                (
                    "regulation",
                    "某某省人民代表大会代表建议、批评和意见办理规定",
                ),
                ("local_article_extension", "十九条"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("应写作“第十九条”"), "{}", r.text);
    assert!(r.text.contains("value=\"十九条\""), "typed text kept");
    assert!(
        r.text
            .contains("value=\"某某省人民代表大会代表建议、批评和意见办理规定\"")
    );
    assert_eq!(app.audit_count().await, before, "nothing changed");
    let r = admin.get("/api/settings/local-rule").await;
    assert_eq!(r.json()["regulation"], "", "{}", r.text);

    // An article without the regulation's name is refused too.
    let r = admin
        .put_json(
            "/api/settings/local-rule",
            json!({"extension_article": "第十九条"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(r.json()["fields"][0]["field"], "regulation", "{}", r.text);

    // Named: saved with a message, audited, and cited from then on.
    let r = admin
        .post_form(
            RULE,
            &[
                (
                    "regulation",
                    "某某省人民代表大会代表建议、批评和意见办理规定",
                ),
                ("local_article_return", "第十四条"),
                ("local_article_opinion", "第十七条"),
                ("local_article_extension", " 第十九条 "),
                ("local_article_rehandling", "第二十一条第二款"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(r.location(), "/admin/settings");
    let page = admin.follow(&r).await;
    assert!(page.text.contains("本地办理规定已保存"), "{}", page.text);
    assert!(page.text.contains("value=\"第十九条\""), "stored trimmed");
    assert_eq!(app.audit_count().await, before + 1);

    let r = staff.post_json(&extend, too_long).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(
        r.text.contains(
            "延期应为 1 到 3 个月（《某某省人民代表大会代表建议、批评和意见办理规定》第十九条）"
        ),
        "{}",
        r.text
    );
    let r = admin.get("/api/settings/local-rule").await;
    assert_eq!(
        r.json()["rehandling_article"],
        "第二十一条第二款",
        "{}",
        r.text
    );
}

/// Where the deployment does not make the lead unit wait (a setting), it
/// replies while an assisting opinion is still outstanding.
#[tokio::test]
async fn the_lead_unit_replies_at_once_where_the_setting_allows() {
    let app = TestApp::with_demo().await;
    app.add_test_year_2027().await;
    let mut staff = app.as_user("staff").await;
    let finance = app
        .scalar("SELECT id FROM unit WHERE name = '县财政局'")
        .await;
    let mut deputy = app.as_user("deputy").await;
    let r = deputy
        .post_json(
            "/api/suggestions",
            json!({"title": "关于改善乡村道路照明的建议", "content": "建议内容，说明问题与办法。", "submit": true}),
        )
        .await;
    let id2 = r.json()["id"].as_i64().expect("id");
    staff
        .post_json(&format!("/api/suggestions/{id2}/accept"), json!({}))
        .await;
    let transport = app
        .scalar("SELECT id FROM unit WHERE name = '县交通运输局'")
        .await;
    let r = staff
        .post_json("/api/suggestions/assign", json!({"ids": [id2], "units": [{"unit_id": transport, "role": "lead"}, {"unit_id": finance, "role": "assisting"}], "complexity": "normal"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let mut admin = app.as_user("admin").await;
    let r = admin
        .put_json("/api/settings", json!({"lead_waits_for_opinions": 0}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let mut handler = app.as_user("handler").await;
    let d = handler.get(&format!("/api/suggestions/{id2}")).await.json();
    let a = d["item"]["assignments"]
        .as_array()
        .and_then(|v| v.iter().find(|a| a["role"] == "lead"))
        .expect("lead")
        .clone();
    let lead2 = a["id"].as_i64().expect("id");
    let today = kernel::time::today().to_string();
    let r = handler
        .post_json(&format!("/api/assignments/{lead2}/contacts"), json!({"stage": "before", "method": "phone", "contact_date": today, "participants": "代表", "summary": "听取意见"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = handler
        .post_json(&format!("/api/assignments/{lead2}/reply"), json!({"text": "经研究，列入明年计划。", "result_category": "B 正在解决或列入计划解决"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
}
