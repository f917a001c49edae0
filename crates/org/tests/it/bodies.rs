//! The bodies of a congress (issue 13, section 1): a township congress has a
//! 主席团 and no standing committee; memberships are dated, so who sat on a
//! body on any day is known, edges included; refusals change nothing.

use axum::http::StatusCode;
use serde_json::{Value, json};
use testkit::TestApp;

async fn id_of(app: &TestApp, sql: &str) -> i64 {
    app.scalar(sql).await
}

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|m| m["name"].as_str().unwrap_or("").to_string())
        .collect()
}

#[tokio::test]
async fn a_townships_presidium_and_a_countys_standing_committee() {
    let app = TestApp::with_demo().await;
    let mut staff = app.as_user("staff").await;
    let county = id_of(&app, "SELECT id FROM congress WHERE level = 'county'").await;
    let town = id_of(
        &app,
        "SELECT MIN(id) FROM congress WHERE level = 'township'",
    )
    .await;

    // The demo's bodies are there, the standing committee first.
    let r = staff
        .get(&format!("/api/bodies?congress_id={county}"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let bodies = r.json();
    assert_eq!(bodies[0]["kind"], "standing_committee");
    assert_eq!(bodies[0]["members"], 17, "{bodies}");
    assert_eq!(bodies[1]["kind"], "chairmen_council");

    // A township congress cannot have a standing committee, nor a second 主席团.
    let audits = app.audit_count().await;
    let r = staff
        .post_json(
            "/api/bodies",
            json!({"congress_id": town, "kind": "standing_committee", "name": "镇人大常委会"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(r.json()["fields"][0]["field"], "kind");
    assert!(r.text.contains("主席团"), "{}", r.text);
    let r = staff
        .post_json(
            "/api/bodies",
            json!({"congress_id": town, "kind": "presidium", "name": "另一个主席团"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let r = staff
        .post_json(
            "/api/bodies",
            json!({"congress_id": county, "kind": "working_committee", "name": "代表工作委员会"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(r.json()["fields"][0]["field"], "name");
    assert_eq!(app.audit_count().await, audits, "refusals change nothing");

    // A new working body, audited.
    let r = staff
        .post_json(
            "/api/bodies",
            json!({"congress_id": county, "kind": "street_committee", "name": "城关街道工作委员会"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(app.audit_count().await, audits + 1);

    // A deputy may not see or change the organisation's bodies.
    let mut deputy = app.as_user("deputy").await;
    assert_eq!(
        deputy.get("/api/bodies").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn who_sat_on_a_body_on_a_given_day() {
    let app = TestApp::with_demo().await;
    let mut staff = app.as_user("staff").await;
    let sc = id_of(
        &app,
        "SELECT id FROM body WHERE kind = 'standing_committee'",
    )
    .await;
    let on = |d: &str| format!("/api/bodies/{sc}/members?on={d}");

    // The vice-chair who left on 2024-06-30 sat that day, not the next; the
    // successor from 2024-07-16, not the day before.
    let left: String = {
        let r = staff.get(&format!("/api/bodies/{sc}")).await;
        let h = r.json()["history"].clone();
        h.as_array()
            .expect("history")
            .iter()
            .find(|m| !m["to_date"].is_null())
            .expect("an ended membership")["name"]
            .as_str()
            .expect("name")
            .to_string()
    };
    let day = |d: &str| on(d);
    let r = staff.get(&day("2024-06-30")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(names(&r.json()).contains(&left));
    let r = staff.get(&day("2024-07-01")).await;
    assert!(!names(&r.json()).contains(&left));
    assert_eq!(r.json().as_array().map(Vec::len), Some(16));
    let r = staff.get(&day("2024-07-16")).await;
    assert_eq!(r.json().as_array().map(Vec::len), Some(17));
    // Before the first session's election nobody sat.
    let r = staff.get(&day("2021-12-28")).await;
    assert_eq!(r.json().as_array().map(Vec::len), Some(0));
    let r = staff.get(&day("2024-13-01")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(r.json()["fields"][0]["field"], "on");

    // A member by name, then the same person again over an overlapping time is refused.
    let add = |from: &str, to: &str| json!({"name": "特邀委员", "position": "member", "from_date": from, "to_date": to});
    let r = staff
        .post_json(&format!("/api/bodies/{sc}/members"), add("2025-01-01", ""))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let member = r.json()["id"].as_i64().expect("id");
    let r = staff
        .post_json(
            &format!("/api/bodies/{sc}/members"),
            add("2024-01-01", "2025-01-01"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(r.json()["fields"][0]["field"], "from_date");
    let r = staff
        .post_json(
            &format!("/api/bodies/{sc}/members"),
            add("2024-01-01", "2024-12-31"),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "an earlier, separate period: {}",
        r.text
    );
    let r = staff
        .post_json(
            &format!("/api/bodies/{sc}/members"),
            json!({"name": "", "position": "boss", "from_date": "2025-02-30"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = r.json()["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(fields, ["name", "position", "from_date"]);

    // Ending: not before it began, with a reason; only once.
    let end = |to: &str, reason: &str| json!({"to_date": to, "reason": reason});
    let url = format!("/api/body-members/{member}/end");
    let r = staff.post_json(&url, end("2024-12-31", "辞职")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let r = staff.post_json(&url, end("2025-06-30", " ")).await;
    assert_eq!(r.json()["fields"][0]["field"], "reason");
    let r = staff.post_json(&url, end("2025-06-30", "辞职")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = staff.post_json(&url, end("2025-07-30", "辞职")).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    let r = staff.get(&day("2025-07-01")).await;
    assert!(!names(&r.json()).contains(&"特邀委员".to_string()));
}

#[tokio::test]
async fn the_pages_keep_what_was_typed_and_say_what_was_done() {
    let app = TestApp::with_demo().await;
    let mut staff = app.as_user("staff").await;
    let sc = id_of(
        &app,
        "SELECT id FROM body WHERE kind = 'standing_committee'",
    )
    .await;
    let page = staff.get("/bodies").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(
        page.text.contains("清溪县人大常委会主任会议"),
        "{}",
        page.text
    );

    let r = staff
        .post_form(
            &format!("/bodies/{sc}/members"),
            &[
                ("name", "王某某"),
                ("position", ""),
                ("from_date", "2025-02-30"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("请选择职务"), "{}", r.text);
    assert!(r.text.contains("value=\"王某某\""), "{}", r.text);
    assert!(r.text.contains("任职日期"), "{}", r.text);

    let r = staff
        .post_form(
            &format!("/bodies/{sc}/members"),
            &[
                ("name", "王某某"),
                ("position", "member"),
                ("from_date", "2025-03-01"),
            ],
        )
        .await;
    assert!(r.status.is_redirection(), "{}: {}", r.status, r.text);
    let page = staff.follow(&r).await;
    assert!(page.text.contains("已录入任职"), "{}", page.text);
    assert!(page.text.contains("王某某"), "{}", page.text);

    // Ending without a reason shows the member's form open with the error.
    let member = id_of(&app, "SELECT id FROM body_member WHERE name = '王某某'").await;
    let r = staff
        .post_form(
            &format!("/body-members/{member}/end"),
            &[("to_date", "2025-06-30"), ("reason", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("请填写离任原因"), "{}", r.text);
    assert!(r.text.contains("value=\"2025-06-30\""), "{}", r.text);
    let r = staff
        .post_form(
            &format!("/body-members/{member}/end"),
            &[("to_date", "2025-06-30"), ("reason", "辞职")],
        )
        .await;
    let page = staff.follow(&r).await;
    assert!(page.text.contains("已记录王某某离任"), "{}", page.text);
    let on = staff.get(&format!("/bodies/{sc}?on=2025-05-01")).await;
    assert!(on.text.contains("2025-05-01 在任 18 人"), "{}", on.text);
}

#[tokio::test]
async fn the_page_groups_members_by_today_as_the_count_does() {
    let app = TestApp::with_demo().await;
    let mut staff = app.as_user("staff").await;
    let fin = id_of(&app, "SELECT id FROM body WHERE name = '财政经济委员会'").await;
    let chair = id_of(
        &app,
        &format!("SELECT id FROM body_member WHERE body_id = {fin} AND position = 'chair'"),
    )
    .await;
    // An end recorded for a later day: still serving today, and counted.
    let r = staff
        .post_json(
            &format!("/api/body-members/{chair}/end"),
            json!({"to_date": "2099-12-31", "reason": "任期届满"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // A start recorded for a later day: not yet serving, and not counted.
    let r = staff
        .post_json(
            &format!("/api/bodies/{fin}/members"),
            json!({"name": "将任委员", "position": "member", "from_date": "2099-01-01"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let page = staff.get(&format!("/bodies/{fin}")).await;
    assert!(page.text.contains("在任成员 3 人"), "{}", page.text);
    assert!(page.text.contains("至 2099-12-31"), "{}", page.text);
    assert!(page.text.contains("即将任职"), "{}", page.text);
    assert!(
        page.text.contains("主任委员"),
        "a special committee's chair: {}",
        page.text
    );
    assert!(!page.text.contains("秘书长"), "{}", page.text);

    // 秘书长 is not a place in a special committee; a chosen deputy and a
    // different typed name contradict each other.
    let deputy = id_of(&app, "SELECT MIN(id) FROM deputy").await;
    let r = staff
        .post_json(
            &format!("/api/bodies/{fin}/members"),
            json!({"deputy_id": deputy, "name": "李四", "position": "secretary_general", "from_date": "2025-01-01"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let fields: Vec<String> = r.json()["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(fields, ["name", "position"]);

    // The handler reads the page without links into the roster it may not open.
    let mut handler = app.as_user("handler").await;
    let sc = id_of(
        &app,
        "SELECT id FROM body WHERE kind = 'standing_committee'",
    )
    .await;
    let page = handler.get(&format!("/bodies/{sc}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.text.contains("href=\"/deputies/"), "{}", page.text);
    assert!(!page.text.contains("录入任职"), "{}", page.text);
}

#[tokio::test]
async fn a_membership_entered_wrongly_is_corrected_and_the_old_text_kept() {
    let app = TestApp::with_demo().await;
    let mut staff = app.as_user("staff").await;
    let sc = id_of(
        &app,
        "SELECT id FROM body WHERE kind = 'standing_committee'",
    )
    .await;
    let member = id_of(
        &app,
        &format!("SELECT MIN(id) FROM body_member WHERE body_id = {sc} AND position = 'member'"),
    )
    .await;
    // A departure typed with the wrong year…
    let r = staff
        .post_json(
            &format!("/api/body-members/{member}/end"),
            json!({"to_date": "2024-12-31", "reason": "辞职"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let page = staff.get(&format!("/body-members/{member}/edit")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(page.text.contains("value=\"2024-12-31\""), "{}", page.text);

    // …a refused correction keeps what was typed…
    let r = staff
        .post_form(
            &format!("/body-members/{member}/edit"),
            &[
                ("position", "member"),
                ("from_date", "2021-12-29"),
                ("to_date", "2026-12-31"),
                ("end_reason", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("请填写离任原因"), "{}", r.text);
    assert!(r.text.contains("value=\"2026-12-31\""), "{}", r.text);

    // …and the right one is saved, audited with what it said before.
    let r = staff
        .post_form(
            &format!("/body-members/{member}/edit"),
            &[
                ("position", "member"),
                ("from_date", "2021-12-29"),
                ("to_date", ""),
                ("end_reason", ""),
            ],
        )
        .await;
    let page = staff.follow(&r).await;
    assert!(page.text.contains("已更正任职记录"), "{}", page.text);
    assert!(page.text.contains("在任成员 17 人"), "{}", page.text);
    let audited = app
        .scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'body.correct_member' AND summary LIKE '%原为 委员 2021-12-29–2024-12-31（辞职）%'")
        .await;
    assert_eq!(audited, 1);

    // A correction may not make two memberships of one person overlap.
    let r = staff
        .post_json(
            &format!("/api/bodies/{sc}/members"),
            json!({"name": "前任委员", "position": "member", "from_date": "2019-01-01", "to_date": "2019-12-31"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let early = r.json()["id"].as_i64().expect("id");
    let r = staff
        .post_json(
            &format!("/api/bodies/{sc}/members"),
            json!({"name": "前任委员", "position": "member", "from_date": "2020-06-01", "to_date": "2020-12-31"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = staff
        .put_json(
            &format!("/api/body-members/{early}"),
            json!({"position": "member", "from_date": "2019-01-01", "to_date": "2020-07-01", "end_reason": "调离"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(r.json()["fields"][0]["field"], "from_date");
}
