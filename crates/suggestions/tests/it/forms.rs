//! Nothing typed is lost: a refused form comes back as it was typed, the
//! message next to its field; a precondition the user can know beforehand is
//! shown before they type. Records are picked by what users see. Every
//! refusal at the HTTP edge is the platform's own Chinese.

use axum::http::StatusCode;
use serde_json::json;
use testkit::{Client, TestApp};

async fn assignment_of(c: &mut Client, id: i64) -> i64 {
    let r = c.get(&format!("/api/suggestions/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json()["item"]["assignments"][0]["id"]
        .as_i64()
        .expect("assignment")
}

async fn submitted(c: &mut Client, title: &str) -> (i64, i64) {
    let r = c
        .post_json(
            "/api/suggestions",
            json!({"title": title, "content": "建议内容，说明问题与办法。", "submit": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let j = r.json();
    (
        j["id"].as_i64().expect("id"),
        j["submitted"]["number"].as_i64().expect("number"),
    )
}

#[tokio::test]
async fn a_reply_refused_for_want_of_contact_keeps_its_text_and_was_announced() {
    let app = TestApp::with_demo().await;
    app.add_test_year_2027().await;
    let id = app
        .assigned_suggestion("关于修缮县城老旧小区的建议", "县交通运输局")
        .await;
    let mut handler = app.as_user("handler").await;
    let a = assignment_of(&mut handler, id).await;
    // Before anything is typed, the form says a contact is needed first.
    let page = handler.get(&format!("/suggestions/{id}")).await;
    assert!(
        page.text.contains(&format!(r#"id="reply-blocked-{a}""#)),
        "{}",
        page.text
    );
    assert!(page.text.contains("答复前须至少与"), "{}", page.text);
    let text = "经研究，已将该小区列入明年改造计划，届时将征求居民意见。";
    let r = handler
        .post_form(
            &format!("/assignments/{a}/reply"),
            &[
                ("text", text),
                ("result_category", "B 正在解决或列入计划解决"),
                ("commitment_text_0", "2027年6月底前完成改造"),
                ("commitment_due_0", "2027-06-30"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.text.contains("请先登记沟通情况"), "{}", r.text);
    assert!(
        r.text.contains(&format!(">{text}</textarea>")),
        "{}",
        r.text
    );
    assert!(
        r.text.contains(r#"value="2027年6月底前完成改造""#),
        "{}",
        r.text
    );
    assert!(r.text.contains(r#"value="2027-06-30""#), "{}", r.text);
    assert!(
        r.text
            .contains("<option selected>B 正在解决或列入计划解决</option>"),
        "{}",
        r.text
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM item_reply").await,
        0,
        "nothing is stored"
    );
    // A contact without its summary: refused next to that field, the rest kept.
    let r = handler
        .post_form(
            &format!("/assignments/{a}/contacts"),
            &[
                ("stage", "before"),
                ("method", "visit"),
                ("contact_date", "2026-12-01"),
                ("participants", "王代表、局办公室李科长"),
                ("summary", ""),
                ("with_proposer", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(
        r.text.contains(r#"value="王代表、局办公室李科长""#),
        "{}",
        r.text
    );
    assert!(
        r.text.contains(r#"<option value="visit" selected>"#),
        "{}",
        r.text
    );
    assert!(r.text.contains(r#"value="2026-12-01""#), "{}", r.text);
    assert!(r.text.contains("请填写沟通情况"), "{}", r.text);
    // Recorded: the warning is gone, and the page says what was done.
    let r = handler
        .post_form(
            &format!("/assignments/{a}/contacts"),
            &[
                ("stage", "before"),
                ("method", "visit"),
                ("contact_date", "2026-12-01"),
                ("participants", "王代表"),
                ("summary", "上门听取代表意见"),
                ("with_proposer", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let page = handler.follow(&r).await;
    assert!(page.text.contains("沟通情况已登记"), "{}", page.text);
    assert!(!page.text.contains("reply-blocked-"), "{}", page.text);
}

#[tokio::test]
async fn an_assignment_with_a_duplicate_unit_keeps_the_choices() {
    let app = TestApp::with_demo().await;
    let mut deputy = app.as_user("deputy").await;
    let mut staff = app.as_user("staff").await;
    let (id, _) = submitted(&mut deputy, "关于增设农村客运班线的建议").await;
    let r = staff
        .post_form(&format!("/suggestions/{id}/do/accept"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let page = staff.follow(&r).await;
    assert!(page.text.contains("已受理"), "{}", page.text);
    let unit = app
        .scalar("SELECT id FROM unit WHERE name = '县交通运输局'")
        .await
        .to_string();
    let r = staff
        .post_form(
            &format!("/suggestions/{id}/assign"),
            &[
                ("unit_0", &unit),
                ("role_0", "lead"),
                ("unit_1", &unit),
                ("role_1", "assisting"),
                ("complexity", "complex"),
                ("complexity_reason", "涉及多个乡镇"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(
        r.text
            .contains(r#"<p class="error">“县交通运输局”重复</p>"#),
        "{}",
        r.text
    );
    assert_eq!(
        r.text
            .matches(&format!(r#"<option value="{unit}" selected>"#))
            .count(),
        2,
        "both choices kept"
    );
    assert!(
        r.text.contains(r#"<option value="complex" selected>"#),
        "{}",
        r.text
    );
    assert!(r.text.contains(r#"value="涉及多个乡镇""#), "{}", r.text);
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM suggestion WHERE id = {id} AND state = 'accepted'"
        ))
        .await,
        1
    );
}

#[tokio::test]
async fn a_motion_at_its_field_limits_is_accepted_and_one_over_is_refused_with_its_text() {
    let app = TestApp::with_demo().await;
    let mut deputy = app.as_user("deputy").await;
    // 20,000 characters of Chinese in each of the two long fields: a form
    // body of about 360 KB once encoded, inside the limit.
    let full = "议".repeat(20_000);
    let r = deputy
        .post_form(
            "/suggestions",
            &[
                ("kind", "motion"),
                ("title", "关于制定农村供水条例的议案"),
                ("content", &full),
                ("grounds", &full),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "{}",
        &r.text[..r.text.len().min(400)]
    );
    // One over: the field says so, and what was typed comes back.
    let over = format!("{full}案");
    let r = deputy
        .post_form(
            "/suggestions",
            &[
                ("kind", "motion"),
                ("title", "关于制定农村供水条例的议案（二）"),
                ("content", &over),
                ("grounds", "依据"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("方案不能超过 20000 个字"));
    assert!(r.text.contains(&format!(">{over}</textarea>")));
    assert!(r.text.contains("关于制定农村供水条例的议案（二）"));
    assert!(r.text.contains(r#"maxlength="20000""#));
}

#[tokio::test]
async fn staff_merge_into_the_number_they_see_and_the_merged_item_links_to_it() {
    let app = TestApp::with_demo().await;
    let mut deputy = app.as_user("deputy").await;
    let mut staff = app.as_user("staff").await;
    let (target, number) = submitted(&mut deputy, "关于治理城区噪声污染的建议").await;
    let (dup, _) = submitted(&mut deputy, "关于减少夜间施工噪声的建议").await;
    // The picker finds it by the number staff see, and by a word of its title.
    for q in [format!("第{number}号"), "噪声污染".to_string()] {
        let r = staff
            .get(&format!(
                "/suggestions/{dup}/pick/merge?q={}",
                testkit::enc(&q)
            ))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let list = r.json();
        let hit = list
            .as_array()
            .expect("a list")
            .iter()
            .find(|x| x["value"].as_str() == Some(target.to_string().as_str()))
            .unwrap_or_else(|| panic!("{q}: {list}"));
        assert!(
            hit["label"]
                .as_str()
                .unwrap_or("")
                .starts_with(&format!("第 {number} 号 · 关于治理城区噪声污染的建议")),
            "{hit}"
        );
    }
    // A deputy cannot search it.
    let r = deputy
        .get(&format!("/suggestions/{dup}/pick/merge?q=1"))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A number that names nothing mergeable is refused on the field, as typed.
    let r = staff
        .post_form(
            &format!("/suggestions/{dup}/do/merge"),
            &[("into", ""), ("into_text", "第9999号")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("没有可并入的第 9999 号建议"), "{}", r.text);
    assert!(r.text.contains(r#"value="第9999号""#), "{}", r.text);
    // Typed as the clerk sees it, without picking: merged into that one.
    let r = staff
        .post_form(
            &format!("/suggestions/{dup}/do/merge"),
            &[("into", ""), ("into_text", &format!("第{number}号"))],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let page = staff.follow(&r).await;
    assert!(page.text.contains("已并案"), "{}", page.text);
    assert!(
        page.text.contains(&format!(
            r#"<a href="/suggestions/{target}" id="merged-into">第 {number} 号“关于治理城区噪声污染的建议”</a>"#
        )),
        "{}",
        page.text
    );
}

#[tokio::test]
async fn the_lead_finds_co_signers_by_name_without_a_roster() {
    let app = TestApp::with_demo().await;
    let mut deputy = app.as_user("deputy").await;
    let r = deputy
        .post_json(
            "/api/suggestions",
            json!({"title": "关于建设乡镇文化站的建议", "content": "内容"}),
        )
        .await;
    let id = r.json()["id"].as_i64().expect("id");
    let page = deputy.get(&format!("/suggestions/{id}")).await;
    assert!(page.text.contains("data-pick"), "{}", page.text);
    assert!(!page.text.contains("按住 Ctrl"), "{}", page.text);
    let someone = app
        .scalar(&format!(
            "SELECT MAX(m.deputy_id) FROM deputy_mandate m JOIN suggestion s ON s.congress_id = m.congress_id WHERE s.id = {id} AND m.status = 'in_office' AND m.deputy_id <> s.lead_deputy_id"
        ))
        .await;
    let name = {
        let mut staff = app.as_user("staff").await;
        let r = staff.get(&format!("/api/deputies/{someone}")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        r.json()["name"].as_str().unwrap_or("").to_string()
    };
    assert!(!name.is_empty());
    let surname: String = name.chars().take(1).collect();
    let r = deputy
        .get(&format!(
            "/suggestions/{id}/pick/cosigners?q={}",
            testkit::enc(&surname)
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let list = r.json();
    let list = list.as_array().expect("a list");
    assert!(!list.is_empty() && list.len() <= 20, "{list:?}");
    assert!(
        list.iter()
            .all(|x| x["label"].as_str().unwrap_or("").contains(&surname)
                || x["label"].as_str().unwrap_or("").contains('（')),
        "{list:?}"
    );
    // Picked, invited, and the page says so.
    let pick = list[0]["value"].as_str().expect("value").to_string();
    let r = deputy
        .post_form(
            &format!("/suggestions/{id}/invite"),
            &[("deputy_ids", &pick)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let page = deputy.follow(&r).await;
    assert!(
        page.text.contains("已向 1 位代表发出附议邀请"),
        "{}",
        page.text
    );
}

#[tokio::test]
async fn refusals_at_the_edge_are_chinese_pages_in_the_layout() {
    let app = TestApp::with_demo().await;
    let mut staff = app.as_user("staff").await;
    let english = ["Failed to", "Invalid URL", "deserialize", "Cannot parse"];
    let clean = |text: &str| english.iter().all(|e| !text.contains(e));
    // A path that is not a number, a page that does not exist.
    for path in [
        "/suggestions/abc",
        "/no-such-page",
        "/suggestions/7x/record",
    ] {
        let r = staff.get(path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(r.text.contains("找不到页面"), "{path}: {}", r.text);
        assert!(r.text.contains("退出"), "in the layout: {}", r.text);
        assert!(clean(&r.text), "{path}: {}", r.text);
    }
    // A malformed query and a malformed form.
    let r = staff.get("/suggestions?page=abc&key=maybe").await;
    assert!(clean(&r.text), "{}", r.text);
    let r = staff
        .post_form(
            "/suggestions/1/do/accept",
            &[("confirm", "x"), ("into", "y")],
        )
        .await;
    assert!(clean(&r.text), "{}", r.text);
    // Too large a body: the page names the limit.
    let huge = "x".repeat(webkit::BODY_LIMIT + 10);
    let r = staff
        .post_form("/suggestions", &[("title", "t"), ("content", &huge)])
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.status);
    assert!(r.text.contains("KB 的上限"), "{}", r.text);
    assert!(r.text.contains("<html"), "{}", r.text);
    // The API answers with its stable codes, in Chinese.
    let r = staff
        .post_json("/api/suggestions/accept", json!({"ids": "1,2"}))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.code(), "bad_request");
    assert!(clean(&r.text), "{}", r.text);
    assert!(r.text.contains("ids"), "names the field: {}", r.text);
    let r = staff.get("/api/suggestions/abc").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.code(), "not_found");
    assert!(clean(&r.text), "{}", r.text);
}

#[tokio::test]
async fn the_form_shows_the_motion_fields_only_for_a_motion() {
    let app = TestApp::with_demo().await;
    let mut deputy = app.as_user("deputy").await;
    let page = deputy.get("/suggestions/new").await;
    assert!(
        page.text
            .contains(r#"<div data-show-when="kind=motion" hidden class="field">"#),
        "{}",
        page.text
    );
    // A motion refused for want of grounds: the field is shown, marked, with its message.
    let r = deputy
        .post_form(
            "/suggestions",
            &[
                ("kind", "motion"),
                ("title", "关于制定农村供水条例的议案"),
                ("content", "方案"),
                ("grounds", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(
        r.text
            .contains(r#"<div data-show-when="kind=motion" class="field invalid">"#),
        "{}",
        r.text
    );
    assert!(
        r.text
            .contains(r#"<label for="f-grounds">案据<span class="req">*</span>"#)
    );
}
