//! Submitting from the form in one step, and staff's batch actions: accept a
//! page of submitted items, assign them, with one notice per recipient.

use axum::http::StatusCode;
use serde_json::json;
use testkit::{Client, TestApp};

async fn unit_id(app: &TestApp, name: &str) -> i64 {
    app.scalar(&format!("SELECT id FROM unit WHERE name = '{name}'"))
        .await
}

async fn submitted(c: &mut Client, title: &str) -> i64 {
    let r = c
        .post_json(
            "/api/suggestions",
            json!({"title": title, "content": "建议内容，说明问题与办法。", "submit": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert!(
        r.json()["submitted"]["number"].as_i64().is_some(),
        "{}",
        r.text
    );
    r.json()["id"].as_i64().expect("id")
}

fn id_in(location: &str) -> i64 {
    location
        .rsplit('/')
        .next()
        .and_then(|x| x.parse().ok())
        .expect("an id at the end of the location")
}

async fn state(app: &TestApp, id: i64) -> String {
    let n = app
        .scalar(&format!(
            "SELECT CASE state WHEN 'draft' THEN 0 WHEN 'submitted' THEN 1 WHEN 'accepted' THEN 2 WHEN 'assigned' THEN 3 ELSE 9 END FROM suggestion WHERE id = {id}"
        ))
        .await;
    ["draft", "submitted", "accepted", "assigned"]
        .get(n as usize)
        .unwrap_or(&"other")
        .to_string()
}

async fn notices(app: &TestApp, user: &str, title_like: &str) -> i64 {
    app.scalar(&format!(
        "SELECT COUNT(*) FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.username = '{user}' AND n.title LIKE '{title_like}'"
    ))
    .await
}

#[tokio::test]
async fn a_deputy_submits_from_the_form_in_one_step() {
    let app = TestApp::with_demo().await;
    let mut deputy = app.as_user("deputy").await;
    let audit = app.audit_count().await;
    let id = submitted(&mut deputy, "关于增设城关镇公交站点的建议").await;
    assert_eq!(state(&app, id).await, "submitted");
    assert_eq!(app.audit_count().await, audit + 2, "drafted and submitted");
    assert!(notices(&app, "staff", "新的代表建议待审核").await >= 1);

    // Invalid input: nothing is created, and the message names the field.
    let before = app.scalar("SELECT COUNT(*) FROM suggestion").await;
    let r = deputy
        .post_json(
            "/api/suggestions",
            json!({"title": "", "content": "内容", "submit": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(r.json()["fields"][0]["field"], "title");
    // A motion of co-signing deputies needs its co-signers first.
    let r = deputy
        .post_json(
            "/api/suggestions",
            json!({"kind": "motion", "title": "关于制定城乡供水条例的议案", "content": "方案", "grounds": "案据", "submit": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("邀请联名代表"), "{}", r.text);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM suggestion").await, before);
    assert_eq!(app.audit_count().await, audit + 2);

    // The form: 提交 submits, 保存草稿 keeps a draft.
    let r = deputy
        .post_form(
            "/suggestions",
            &[
                ("title", "关于规范农贸市场摊位管理的建议"),
                ("content", "内容"),
                ("submit", "true"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let formed: i64 = id_in(&r.location());
    assert_eq!(state(&app, formed).await, "submitted");
    let r = deputy
        .post_form(
            "/suggestions",
            &[("title", "关于改善村道照明的建议"), ("content", "内容")],
        )
        .await;
    let kept: i64 = id_in(&r.location());
    assert_eq!(state(&app, kept).await, "draft");
    // Saving the draft again with 提交 submits it.
    let r = deputy
        .put_json(
            &format!("/api/suggestions/{kept}"),
            json!({"title": "关于改善村道照明的建议", "content": "补充了路段", "submit": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(state(&app, kept).await, "submitted");
}

#[tokio::test]
async fn staff_accept_and_assign_a_page_at_once_all_or_nothing() {
    let app = TestApp::with_demo().await;
    app.add_test_year_2027().await;
    let mut deputy = app.as_user("deputy").await;
    let mut staff = app.as_user("staff").await;
    let transport = unit_id(&app, "县交通运输局").await;
    let mut ids = Vec::new();
    for k in 0..3 {
        ids.push(submitted(&mut deputy, &format!("关于第{k}号路口加装信号灯的建议")).await);
    }
    // A deputy may not; an empty or oversized batch is refused.
    let r = deputy
        .post_json("/api/suggestions/accept", json!({"ids": ids}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = staff
        .post_json("/api/suggestions/accept", json!({"ids": []}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let many: Vec<i64> = (1..=201).collect();
    let r = staff
        .post_json("/api/suggestions/accept", json!({"ids": many}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("200"), "{}", r.text);
    let r = staff
        .post_json("/api/suggestions/accept", json!({"ids": "1,2"}))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "wrong type");

    // One item of the batch cannot be accepted: nothing is, and it is named.
    let draft = {
        let r = deputy
            .post_json(
                "/api/suggestions",
                json!({"title": "仍是草稿的建议", "content": "内容"}),
            )
            .await;
        r.json()["id"].as_i64().expect("id")
    };
    let audit = app.audit_count().await;
    let mixed = [ids[0], ids[1], draft, ids[2]];
    let r = staff
        .post_json("/api/suggestions/accept", json!({"ids": mixed}))
        .await;
    assert!(
        r.status == StatusCode::CONFLICT || r.status == StatusCode::NOT_FOUND,
        "{} {}",
        r.status,
        r.text
    );
    for id in &ids {
        assert_eq!(state(&app, *id).await, "submitted");
    }
    assert_eq!(app.audit_count().await, audit);

    // The page: all three, each once even if listed twice.
    let notices_before = notices(&app, "deputy", "建议已通过审核%").await;
    let r = staff
        .post_json(
            "/api/suggestions/accept",
            json!({"ids": [ids[0], ids[1], ids[2], ids[0]]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["accepted"], 3);
    assert_eq!(app.audit_count().await, audit + 3, "one record per item");
    // The deputy gets one notice naming the three.
    assert_eq!(
        notices(&app, "deputy", "建议已通过审核%").await,
        notices_before + 1
    );
    assert_eq!(notices(&app, "deputy", "建议已通过审核（3 件）").await, 1);

    let r = staff
        .post_json(
            "/api/suggestions/assign",
            json!({"ids": ids, "units": [{"unit_id": transport, "role": "lead"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    for id in &ids {
        assert_eq!(state(&app, *id).await, "assigned");
    }
    // The unit's handler finds one notice for the three, leading to the work page.
    assert_eq!(notices(&app, "handler", "新的交办事项（3 件）").await, 1);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.username = 'handler' AND n.link = '/work' AND n.body LIKE '%第0号路口%第2号路口%'").await,
        1
    );
    assert_eq!(notices(&app, "deputy", "建议已交办（3 件）").await, 1);
}

#[tokio::test]
async fn the_review_list_acts_on_the_ticked_items_only() {
    let app = TestApp::with_demo().await;
    let mut deputy = app.as_user("deputy").await;
    let mut staff = app.as_user("staff").await;
    let a = submitted(&mut deputy, "关于整治河道垃圾的建议").await;
    let b = submitted(&mut deputy, "关于增加社区养老床位的建议").await;
    let c = submitted(&mut deputy, "关于延长公交末班车的建议").await;
    let page = staff.get("/suggestions?state=submitted").await;
    // Each row can be ticked, the page at once too; nothing acts on a page.
    assert!(page.text.contains("全选本页"), "{}", page.text);
    assert!(
        page.text
            .contains(&format!(r#"name="ids" value="{a}" form="batch""#)),
        "{}",
        page.text
    );
    assert!(page.text.contains("data-confirm-count"), "{}", page.text);
    assert!(!page.text.contains("受理本页"), "{}", page.text);
    // Nothing ticked: refused on the list, nothing changes.
    let r = staff
        .post_form("/suggestions/accept?state=submitted", &[])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("请先在列表中勾选"), "{}", r.text);
    assert_eq!(state(&app, a).await, "submitted");
    // A forged id refuses the whole batch.
    let r = staff
        .post_form(
            "/suggestions/accept?state=submitted",
            &[("ids", &a.to_string()), ("ids", &format!("x{b}"))],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.text.contains("编号不正确"), "{}", r.text);
    assert_eq!(state(&app, a).await, "submitted");
    // Two ticked of three: those two, and the list says so after the redirect.
    let r = staff
        .post_form(
            "/suggestions/accept?state=submitted",
            &[("ids", &a.to_string()), ("ids", &b.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(r.location(), "/suggestions?state=submitted");
    let after = staff.follow(&r).await;
    assert!(after.text.contains("已受理 2 件"), "{}", after.text);
    assert_eq!(state(&app, a).await, "accepted");
    assert_eq!(state(&app, b).await, "accepted");
    assert_eq!(state(&app, c).await, "submitted");
    // The message is shown once.
    let again = staff.get("/suggestions?state=submitted").await;
    assert!(!again.text.contains("已受理 2 件"), "{}", again.text);
    // Again: they are no longer waiting for review, and the list says so,
    // with the ticks kept.
    let r = staff
        .post_form(
            "/suggestions/accept?state=submitted",
            &[("ids", &a.to_string()), ("ids", &c.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.text.contains("关于整治河道垃圾的建议"), "{}", r.text);
    assert!(
        r.text.contains(&format!(
            r#"name="ids" value="{c}" form="batch" aria-label"#
        )),
        "{}",
        r.text
    );
    assert_eq!(state(&app, c).await, "submitted");
}

#[tokio::test]
async fn a_refused_batch_assignment_keeps_the_ticks_and_the_units() {
    let app = TestApp::with_demo().await;
    app.add_test_year_2027().await;
    let mut deputy = app.as_user("deputy").await;
    let mut staff = app.as_user("staff").await;
    let transport = unit_id(&app, "县交通运输局").await;
    let a = submitted(&mut deputy, "关于修缮乡村公路的建议").await;
    let b = submitted(&mut deputy, "关于增设公交站台的建议").await;
    for id in [a, b] {
        let r = staff
            .post_form(&format!("/suggestions/{id}/do/accept"), &[])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    }
    let list = staff.get("/suggestions?state=accepted").await;
    assert!(list.text.contains("交办所选"), "{}", list.text);
    // The same unit twice: refused next to the field, the ticks and the
    // choices as they were.
    let t = transport.to_string();
    let r = staff
        .post_form(
            "/suggestions/assign?state=accepted",
            &[
                ("ids", &a.to_string()),
                ("unit_0", &t),
                ("role_0", "lead"),
                ("unit_1", &t),
                ("role_1", "assisting"),
                ("complexity_reason", "正在核实"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("重复"), "{}", r.text);
    assert!(
        r.text
            .contains(r#"<p class="error">“县交通运输局”重复</p>"#),
        "{}",
        r.text
    );
    assert!(
        r.text.contains(&format!(
            r#"<option value="{t}" selected>县交通运输局</option>"#
        )),
        "{}",
        r.text
    );
    assert!(r.text.contains(r#"value="正在核实""#), "{}", r.text);
    assert!(
        r.text.contains(&format!(
            r#"name="ids" value="{a}" form="batch" aria-label"#
        )),
        "{}",
        r.text
    );
    assert_eq!(state(&app, a).await, "accepted");
    // Fixed: only the ticked one is assigned.
    let r = staff
        .post_form(
            "/suggestions/assign?state=accepted",
            &[("ids", &a.to_string()), ("unit_0", &t), ("role_0", "lead")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let after = staff.follow(&r).await;
    assert!(after.text.contains("已交办 1 件"), "{}", after.text);
    assert_eq!(state(&app, a).await, "assigned");
    assert_eq!(state(&app, b).await, "accepted");
}
