//! The suggestion closed loop over HTTP, through every role: a deputy drafts
//! and submits, staff review and assign, the unit contacts the deputy and
//! replies, the unit head and the government leader sign, the deputy is
//! dissatisfied, the unit handles again, the deputy is satisfied, the
//! commitment is fulfilled and the item closes. Also: a unit sends an item
//! back and staff reassign it; motions without enough signers become
//! suggestions; refusals, merges and publication.

use axum::http::StatusCode;
use serde_json::{Value, json};
use testkit::{Client, TestApp};

async fn unit_id(app: &TestApp, name: &str) -> i64 {
    app.scalar(&format!("SELECT id FROM unit WHERE name = '{name}'"))
        .await
}

async fn draft(c: &mut Client, title: &str) -> i64 {
    let r = c.post_json("/api/suggestions", json!({"title": title, "content": "建议对县城至龙潭镇公路进行改造，解决群众出行难。", "category": "交通运输"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()["id"].as_i64().expect("id")
}

async fn detail(c: &mut Client, id: i64) -> Value {
    let r = c.get(&format!("/api/suggestions/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json()
}

fn assignment(d: &Value, unit: &str) -> (i64, String) {
    let a = d["item"]["assignments"]
        .as_array()
        .expect("assignments")
        .iter()
        .find(|a| a["unit_name"] == unit && a["state"] != "returned")
        .expect("assignment");
    (
        a["id"].as_i64().expect("id"),
        a["reply"]["sha"].as_str().unwrap_or("").to_string(),
    )
}

#[tokio::test]
async fn one_suggestion_from_draft_to_closed_through_every_role() {
    let app = TestApp::with_demo().await;
    app.add_test_year_2027().await;
    let mut deputy = app.as_user("deputy").await;
    let mut staff = app.as_user("staff").await;
    let mut handler = app.as_user("handler").await;
    let mut head = app.as_user("head").await;
    let mut gov = app.as_user("govleader").await;
    let transport = unit_id(&app, "县交通运输局").await;
    let finance = unit_id(&app, "县财政局").await;
    let audit_before = app.audit_count().await;

    let id = draft(&mut deputy, "关于改造县城至龙潭镇公路的建议").await;
    let r = deputy
        .post_json(&format!("/api/suggestions/{id}/submit"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["number"], 1);
    // Staff are told; the deputy cannot accept their own suggestion.
    assert!(app.scalar("SELECT COUNT(*) FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.username = 'staff'").await >= 1);
    assert_eq!(
        deputy
            .post_json(&format!("/api/suggestions/{id}/accept"), json!({}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = staff
        .post_json(&format!("/api/suggestions/{id}/accept"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // A six-month deadline needs a reason.
    let r = staff.post_json("/api/suggestions/assign", json!({"ids": [id], "units": [{"unit_id": transport, "role": "lead"}], "complexity": "complex"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = staff
        .post_json(
            "/api/suggestions/assign",
            json!({"ids": [id], "units": [{"unit_id": transport, "role": "assisting"}]}),
        )
        .await;
    assert!(r.text.contains("主办单位应有且只有一个"), "{}", r.text);
    let r = staff
        .post_json("/api/suggestions/assign", json!({"ids": [id], "units": [{"unit_id": transport, "role": "lead"}, {"unit_id": finance, "role": "assisting"}], "complexity": "normal"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    let d = detail(&mut handler, id).await;
    let (lead_a, _) = assignment(&d, "县交通运输局");
    let a = &d["item"]["assignments"][0];
    assert!(
        a["deadline_rule"].as_str().unwrap_or("").contains("民法典"),
        "the deadline explains itself"
    );
    assert_eq!(a["actions"]["reply"], true);
    // The law requires contact before the reply.
    let reply = json!({"text": "经研究，该路段已列入明年农村公路提质改造计划。", "result_category": "B 正在解决或列入计划解决", "commitments": [{"text": "2027年6月底前完成路面改造", "due_date": "2027-06-30"}]});
    let r = handler
        .post_json(&format!("/api/assignments/{lead_a}/reply"), reply.clone())
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text.contains("代表法第五十一条"), "{}", r.text);
    let today = kernel::time::today().to_string();
    let r = handler
        .post_json(&format!("/api/assignments/{lead_a}/contacts"), json!({"stage": "before", "method": "meeting", "contact_date": today, "participants": "局长、代表", "summary": "听取代表对路线走向的意见"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    // The assisting unit's opinion is due to the lead unit first: the reply
    // waits for it, and says so beforehand, unless staff allow it.
    let r = handler
        .post_json(&format!("/api/assignments/{lead_a}/reply"), reply.clone())
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(
        r.text.contains("协办单位的意见尚未报送：县财政局"),
        "{}",
        r.text
    );
    let d = detail(&mut handler, id).await;
    assert!(
        d["item"]["assignments"][0]["reply_blocked"]
            .as_str()
            .unwrap_or("")
            .contains("县财政局"),
        "{d}"
    );
    assert_eq!(
        d["item"]["assignments"][0]["actions"]["waive_opinions"],
        false
    );
    let waive = format!("/api/assignments/{lead_a}/waive-opinions");
    let r = handler
        .post_json(&waive, json!({"reason": "代表急需答复"}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "only staff allow it");
    let d = detail(&mut staff, id).await;
    assert_eq!(
        d["item"]["assignments"][0]["actions"]["waive_opinions"],
        true
    );
    let r = staff.post_json(&waive, json!({"reason": "急"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let r = staff
        .post_json(&waive, json!({"reason": "协办事项已在主办答复中一并说明"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = staff
        .post_json(&waive, json!({"reason": "协办事项已在主办答复中一并说明"}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "once");
    let d = detail(&mut handler, id).await;
    assert_eq!(
        d["item"]["assignments"][0]["opinions_waived"],
        "协办事项已在主办答复中一并说明"
    );
    assert_eq!(d["item"]["assignments"][0]["reply_blocked"], "");
    let r = handler
        .post_json(&format!("/api/assignments/{lead_a}/reply"), reply.clone())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    // The handler cannot sign; the head can, and only for the reply they saw.
    let d = detail(&mut head, id).await;
    let (_, sha) = assignment(&d, "县交通运输局");
    assert_eq!(
        handler
            .post_json(
                &format!("/api/assignments/{lead_a}/signoff"),
                json!({"approve": true, "reply_sha": sha})
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = head
        .post_json(
            &format!("/api/assignments/{lead_a}/signoff"),
            json!({"approve": true, "reply_sha": "0000"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = head
        .post_json(
            &format!("/api/assignments/{lead_a}/signoff"),
            json!({"approve": true, "reply_sha": sha}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = gov.get("/api/queues/signoff").await;
    assert_eq!(r.json()["total"], 1, "{}", r.text);
    let r = gov
        .post_json(
            &format!("/api/assignments/{lead_a}/signoff"),
            json!({"approve": true, "reply_sha": sha}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // Allowed to reply first, the lead unit's reply replies the item.
    let d = detail(&mut deputy, id).await;
    assert_eq!(d["item"]["item"]["state"], "replied");
    assert_eq!(d["actions"]["evaluate"], true);
    let signoffs = d["item"]["replies"][0]["signoffs"]
        .as_array()
        .expect("signoffs");
    assert_eq!(signoffs.len(), 2);
    assert!(signoffs.iter().all(|s| s["reply_sha"] == sha.as_str()));

    // Dissatisfied: reasons are required; the item is handled again.
    let r = deputy
        .post_json(
            &format!("/api/suggestions/{id}/evaluate"),
            json!({"attitude": "satisfied", "result": "dissatisfied", "comment": ""}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = deputy.post_json(&format!("/api/suggestions/{id}/evaluate"), json!({"attitude": "satisfied", "result": "dissatisfied", "comment": "改造时间太晚，群众等不起"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let d = detail(&mut handler, id).await;
    assert_eq!(d["item"]["item"]["state"], "handling");
    assert_eq!(d["item"]["item"]["round"], 2);
    assert!(
        d["item"]["assignments"][0]["deadline_rule"]
            .as_str()
            .unwrap_or("")
            .starts_with("重办")
    );
    // The handler greets and thanks the deputy; the letter does it once.
    let reply2 = json!({"text": "尊敬的代表：\n经再次研究，提前至今年年底前完成改造。\n感谢您的关心和支持。", "result_category": "A 已解决或基本解决", "commitments": [{"text": "年底前完成路面改造", "due_date": "2027-12-31"}]});
    let r = handler
        .post_json(&format!("/api/assignments/{lead_a}/reply"), reply2)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let (_, sha2) = assignment(&detail(&mut head, id).await, "县交通运输局");
    assert_ne!(sha, sha2);
    head.post_json(
        &format!("/api/assignments/{lead_a}/signoff"),
        json!({"approve": true, "reply_sha": sha2}),
    )
    .await;
    let r = gov
        .post_json(
            &format!("/api/assignments/{lead_a}/signoff"),
            json!({"approve": true, "reply_sha": sha2}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = deputy
        .post_json(
            &format!("/api/suggestions/{id}/evaluate"),
            json!({"attitude": "satisfied", "result": "basically_satisfied", "comment": "感谢"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let d = detail(&mut staff, id).await;
    assert_eq!(
        d["item"]["item"]["state"], "follow_up",
        "a commitment is still open"
    );
    let commitment = d["item"]["commitments"][0]["id"]
        .as_i64()
        .expect("commitment");
    assert_eq!(
        d["item"]["commitments"].as_array().map(Vec::len),
        Some(1),
        "only the current reply's commitments are tracked"
    );
    let r = handler
        .post_json(
            &format!("/api/commitments/{commitment}/fulfil"),
            json!({"evidence": "已完工，附验收报告"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let d = detail(&mut deputy, id).await;
    assert_eq!(d["item"]["item"]["state"], "closed");
    let steps: Vec<&str> = d["item"]["steps"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    for step in [
        "交办",
        "办前沟通",
        "提交答复",
        "签发答复",
        "签批答复",
        "代表测评",
        "进入重办",
        "承诺落实",
        "办结",
    ] {
        assert!(
            steps.contains(&step),
            "the handling record lacks {step}: {steps:?}"
        );
    }
    // Publication is separate from answering.
    let r = app
        .client()
        .get(&format!("/api/public/suggestions/{id}"))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = staff
        .post_json(
            &format!("/api/suggestions/{id}/publication"),
            json!({"action": "publish"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = app
        .client()
        .get(&format!("/api/public/suggestions/{id}"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("提前至今年年底前"));
    // The public read only what is published: exactly these fields, and
    // nothing of the review, the supervision or the handling.
    let keys = |v: &Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
        k.sort();
        k
    };
    let one = r.json();
    assert_eq!(
        keys(&one),
        [
            "category",
            "congress_name",
            "content",
            "id",
            "kind",
            "kind_label",
            "lead_name",
            "number",
            "published_at",
            "replies",
            "title",
            "units",
        ]
    );
    assert_eq!(
        keys(&one["replies"][0]),
        ["result_category", "round", "text", "unit_name"]
    );
    let r = app.client().get("/api/public/suggestions?q=龙潭镇").await;
    assert_eq!(r.json()["total"], 1);
    assert_eq!(
        keys(&r.json()["items"][0]),
        [
            "category",
            "id",
            "kind",
            "kind_label",
            "lead_name",
            "number",
            "published_at",
            "title",
        ]
    );
    for leak in [
        "review_note",
        "withheld_reason",
        "supervising_leader",
        "leading_official",
        "confidential",
    ] {
        assert!(!r.text.contains(leak), "{leak} is not public");
    }
    // The reply letter (GB/T 9704 letter format) and the handling record download as Word files.
    let r = deputy
        .get(&format!(
            "/suggestions/{id}/assignments/{lead_a}/letter.docx"
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.headers["content-type"]
            .to_str()
            .unwrap_or("")
            .contains("wordprocessingml")
    );
    let xml = docx_text(&r.bytes);
    assert!(
        xml.contains("清溪县交通运输局")
            && xml.contains("代表：")
            && xml.contains("提前至今年年底前"),
        "{}",
        &xml[..xml.len().min(400)]
    );
    assert!(xml.contains("w:titlePg") && xml.contains("w:top=\"2098\""));
    let r = staff.get(&format!("/suggestions/{id}/record.docx")).await;
    assert_eq!(r.status, StatusCode::OK);
    let xml = docx_text(&r.bytes);
    assert!(xml.contains("代表建议办理全程纪实表") && xml.contains("进入重办"));
    let mut outsider = app.as_user("leader").await;
    assert_eq!(
        outsider
            .get(&format!(
                "/suggestions/{id}/assignments/{lead_a}/letter.docx"
            ))
            .await
            .status,
        StatusCode::OK,
        "leaders read everything in their congress"
    );
    // Statistics count it: one assignment, replied on time, contacted, re-handled once,
    // satisfied at the last evaluation, its one commitment kept.
    let r = staff.get("/api/stats?dimension=unit").await;
    let row = r
        .json()
        .as_array()
        .expect("rows")
        .iter()
        .find(|x| x["label"] == "县交通运输局")
        .cloned()
        .expect("transport row");
    for (k, v) in [
        ("assigned", 1),
        ("replied", 1),
        ("on_time", 1),
        ("contacted", 1),
        ("rehandled", 1),
        ("evaluated", 1),
        ("satisfied", 1),
        ("commitments", 1),
        ("fulfilled", 1),
        ("overdue", 0),
    ] {
        assert_eq!(row[k], v, "{k} in {row}");
    }
    assert_eq!(row["satisfaction_rate"], 1.0);
    assert_eq!(
        row["solved_rate"], 1.0,
        "the current reply is A 已解决或基本解决"
    );
    assert_eq!(row["score"], 100.0, "every rate is full");
    // The list exports to a spreadsheet, filtered as on screen.
    let r = staff.get("/suggestions/export?q=龙潭镇公路").await;
    assert_eq!(r.status, StatusCode::OK);
    let t = office::xlsx::read_table(&r.bytes).expect("xlsx");
    let (title, state) = (
        t.column("标题").expect("title"),
        t.column("状态").expect("state"),
    );
    assert_eq!(t.rows.len(), 1);
    assert_eq!(t.rows[0].1[title].text(), "关于改造县城至龙潭镇公路的建议");
    // One status everywhere: the export, the list and its filter say what
    // the page says.
    assert_eq!(t.rows[0].1[state].text(), "已办结");
    // A clerk's export: its number a number, the units and the deadline.
    let col = |h: &str| {
        t.column(h)
            .unwrap_or_else(|| panic!("column {h}: {:?}", t.headers))
    };
    assert!(matches!(
        t.rows[0].1[col("编号")],
        office::xlsx::Cell::Number(_)
    ));
    assert_eq!(t.rows[0].1[col("主办单位")].text(), "县交通运输局");
    assert!(
        t.rows[0].1[col("答复期限")].text().starts_with("20"),
        "{:?}",
        t.rows[0].1
    );
    assert_eq!(t.rows[0].0, 3, "a title row above the headers");
    // The reply letter says its salutation and its thanks once.
    let letter = staff
        .get(&format!(
            "/suggestions/{id}/assignments/{lead_a}/letter.docx"
        ))
        .await;
    let xml = docx_text(&letter.bytes);
    assert_eq!(xml.matches("感谢").count(), 1, "{xml}");
    assert!(!xml.contains("尊敬的代表"), "{xml}");
    assert!(xml.contains("经再次研究"), "{xml}");
    let list = staff.get("/suggestions?state=closed&q=龙潭镇公路").await;
    assert!(
        list.text.contains(r#"<span class="badge">已办结</span>"#),
        "{}",
        list.text
    );
    assert!(list.text.contains("关于改造县城至龙潭镇公路的建议"));
    let list = staff.get("/suggestions?state=handling&q=龙潭镇公路").await;
    assert!(!list.text.contains("关于改造县城至龙潭镇公路的建议"));
    assert!(
        list.text
            .contains(r#"<option value="follow_up">跟踪落实</option>"#)
    );
    // Every step was audited, and the chain holds.
    assert!(
        app.audit_count().await >= audit_before + 15,
        "one audit record per step"
    );
    let mut admin = app.as_user("admin").await;
    assert_eq!(
        admin.post_json("/api/audit/verify", json!({})).await.json()["intact"],
        true
    );
}

#[tokio::test]
async fn a_unit_sends_back_an_item_and_staff_reassign_it() {
    let app = TestApp::with_demo().await;
    app.add_test_year_2027().await;
    let mut deputy = app.as_user("deputy").await;
    let mut staff = app.as_user("staff").await;
    let mut handler = app.as_user("handler").await;
    let transport = unit_id(&app, "县交通运输局").await;
    let water = unit_id(&app, "县水务局").await;
    let id = draft(&mut deputy, "关于解决清水镇饮水困难的建议").await;
    deputy
        .post_json(&format!("/api/suggestions/{id}/submit"), json!({}))
        .await;
    staff
        .post_json(&format!("/api/suggestions/{id}/accept"), json!({}))
        .await;
    staff
        .post_json(
            "/api/suggestions/assign",
            json!({"ids": [id], "units": [{"unit_id": transport, "role": "lead"}]}),
        )
        .await;
    let (a, _) = assignment(&detail(&mut handler, id).await, "县交通运输局");
    let r = handler
        .post_json(
            &format!("/api/assignments/{a}/return"),
            json!({"reason": "短"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = handler
        .post_json(
            &format!("/api/assignments/{a}/return"),
            json!({"reason": "饮水工程属水务部门职责"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // Returned: the handler still sees the history, but can no longer act.
    let d = detail(&mut handler, id).await;
    assert_eq!(d["item"]["assignments"][0]["state"], "returned");
    let r = handler
        .post_json(
            &format!("/api/assignments/{a}/return"),
            json!({"reason": "再次退回试试"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = staff
        .post_json(
            &format!("/api/assignments/{a}/reassign"),
            json!({"unit_id": water}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let d = detail(&mut staff, id).await;
    let units: Vec<&str> = d["item"]["assignments"]
        .as_array()
        .expect("a")
        .iter()
        .filter_map(|a| a["unit_name"].as_str())
        .collect();
    assert_eq!(
        units,
        vec!["县交通运输局", "县水务局"],
        "history stays visible"
    );
    // The transport bureau's handler no longer has it in the queue.
    assert_eq!(handler.get("/api/queues/unit").await.json()["total"], 0);
    // Past the return window a unit cannot send an item back.
    let new_a = d["item"]["assignments"][1]["id"].as_i64().expect("id");
    app.exec(&format!(
        "UPDATE assignment SET return_by = '2020-01-01' WHERE id = {new_a}"
    ))
    .await;
    let mut water_handler = app.client();
    let mut admin = app.as_user("admin").await;
    let r = admin.post_json("/api/users", json!({"username": "water1", "display_name": "水务经办", "role": "unit_handler", "unit_id": water})).await;
    let pw = r.json()["temporary_password"]
        .as_str()
        .expect("password")
        .to_string();
    water_handler.login("water1", &pw).await;
    water_handler
        .post_form(
            "/account/password",
            &[
                ("current_password", &pw),
                ("new_password", "Water#2026x"),
                ("confirm_password", "Water#2026x"),
            ],
        )
        .await;
    let r = water_handler
        .post_json(
            &format!("/api/assignments/{new_a}/return"),
            json!({"reason": "也不是我们的职责"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text.contains("退回期限"), "{}", r.text);
}

#[tokio::test]
async fn motions_without_enough_signers_are_handled_as_suggestions() {
    let app = TestApp::with_demo().await;
    app.add_test_year_2027().await;
    let mut deputy = app.as_user("deputy").await;
    let r = deputy
        .post_json(
            "/api/suggestions",
            json!({"kind": "motion", "title": "关于制定县城市容管理办法的议案", "content": "方案"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("案据"), "motions need grounds: {}", r.text);
    let r = deputy.post_json("/api/suggestions", json!({"kind": "motion", "title": "关于制定县城市容管理办法的议案", "content": "制定办法", "grounds": "现行管理缺乏依据"})).await;
    let id = r.json()["id"].as_i64().expect("id");
    // Invite two co-signers: one confirms, one declines.
    let others: Vec<i64> = {
        let a = app.scalar("SELECT MIN(deputy_id) FROM deputy_mandate WHERE level = 'county' AND status = 'in_office' AND deputy_id > 1").await;
        vec![a, a + 1]
    };
    let r = deputy
        .post_json(
            &format!("/api/suggestions/{id}/invite"),
            json!({"deputy_ids": others}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = deputy
        .post_json(&format!("/api/suggestions/{id}/submit"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "invitations pending");
    app.exec(&format!("UPDATE suggestion_signer SET status = 'confirmed' WHERE suggestion_id = {id} AND deputy_id = {}", others[0])).await;
    app.exec(&format!("UPDATE suggestion_signer SET status = 'declined' WHERE suggestion_id = {id} AND deputy_id = {}", others[1])).await;
    let r = deputy
        .post_json(&format!("/api/suggestions/{id}/submit"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let converted = r.json()["converted"].as_str().unwrap_or("").to_string();
    assert!(
        converted.contains("10 名以上") && converted.contains("联名 2 人"),
        "{converted}"
    );
    let d = detail(&mut deputy, id).await;
    assert_eq!(d["kind"], "suggestion");
    assert_eq!(d["was_motion"], true);
}

#[tokio::test]
async fn refusal_needs_a_listed_reason_and_merging_keeps_every_deputy() {
    let app = TestApp::with_demo().await;
    app.add_test_year_2027().await;
    let mut deputy = app.as_user("deputy").await;
    let mut staff = app.as_user("staff").await;
    let other = app.scalar("SELECT MIN(deputy_id) FROM deputy_mandate WHERE level = 'county' AND status = 'in_office' AND deputy_id > 1").await;
    let mut second = app.deputy_client("deputy2", other).await;
    let a = draft(&mut deputy, "关于龙潭镇修路的建议").await;
    let b = draft(&mut second, "再次关于龙潭镇修路的建议").await;
    let c = draft(&mut deputy, "关于我家宅基地纠纷的意见").await;
    for (who, id) in [(&mut deputy, a), (&mut second, b)] {
        let r = who
            .post_json(&format!("/api/suggestions/{id}/submit"), json!({}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    deputy
        .post_json(&format!("/api/suggestions/{c}/submit"), json!({}))
        .await;
    let r = staff
        .post_json(
            &format!("/api/suggestions/{c}/refuse"),
            json!({"reason": "不喜欢"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = staff
        .post_json(
            &format!("/api/suggestions/{c}/refuse"),
            json!({"reason": "代表本人及其亲属的个人诉求"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(detail(&mut deputy, c).await["state"], "refused");
    let r = staff
        .post_json(&format!("/api/suggestions/{b}/merge"), json!({"into": a}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(detail(&mut second, b).await["merged_into"], a);
    let d = detail(&mut staff, a).await;
    assert!(
        d["signers"]
            .as_array()
            .expect("signers")
            .iter()
            .any(|g| g["role"] == "origin" && g["deputy_id"] == other)
    );
    // The originating deputy of the merged item can follow the merged one.
    assert_eq!(
        second.get(&format!("/api/suggestions/{a}")).await.status,
        StatusCode::OK
    );
    // Returned for revision, the deputy edits and submits again; the number stays.
    let n = d["number"].clone();
    let r = staff
        .post_json(
            &format!("/api/suggestions/{a}/return"),
            json!({"reason": "请补充具体路段"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = deputy.put_json(&format!("/api/suggestions/{a}"), json!({"title": "关于龙潭镇新场至坪寨段修路的建议", "content": "补充了路段", "category": "交通运输"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = deputy
        .post_json(&format!("/api/suggestions/{a}/submit"), json!({}))
        .await;
    assert_eq!(r.json()["number"], n);
}

#[tokio::test]
async fn reminders_and_overdue_escalation_are_sent_once() {
    let app = TestApp::with_demo().await;
    app.add_test_year_2027().await;
    let mut staff = app.as_user("staff").await;
    app.assigned_suggestion("关于增设公交站点的建议", "县交通运输局")
        .await;
    // Make it overdue.
    app.exec("UPDATE assignment SET due_date = '2026-01-05'")
        .await;
    let s1 = engine::service::reminders::run(&app.ctx)
        .await
        .expect("run");
    assert_eq!(s1.escalated, 1);
    let s2 = engine::service::reminders::run(&app.ctx)
        .await
        .expect("run");
    assert_eq!(s2.escalated, 0, "escalated once");
    assert_eq!(staff.get("/api/queues/overdue").await.json()["total"], 1);
    let n = app.scalar("SELECT COUNT(*) FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.username IN ('handler', 'head', 'govleader', 'leader') AND n.title = '事项已超期'").await;
    assert_eq!(
        n, 4,
        "the unit, its leader and the congress leader are told"
    );
}

#[tokio::test]
async fn reminders_follow_the_lead_times_in_working_days() {
    let app = TestApp::with_demo().await;
    app.add_test_year_2027().await;
    let id = app
        .assigned_suggestion("关于核验提醒期限的建议", "县交通运输局")
        .await;
    let aid = app
        .scalar(&format!(
            "SELECT a.id FROM assignment a JOIN suggestion s ON s.item_id = a.item_id WHERE s.id = {id}"
        ))
        .await;
    let cal = kernel::calendar::Calendar::built_in();
    let today = kernel::time::today();
    let sent_to_unit = "SELECT COUNT(*) FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.username = 'handler' AND n.title = '答复期限提醒' AND n.body LIKE '%核验提醒期限%'";
    // (working days left, clear the history first, reminders recorded, sent so far)
    let steps = [
        // Sixteen working days ahead: no lead time reached yet.
        (16, false, "", 0),
        // Fifteen: the first reminder, once however often the job runs.
        (15, false, "15", 1),
        // Five: the second.
        (5, false, "15,5", 2),
        // Assigned late, three days before the deadline: only the tighter one.
        (3, true, "5", 3),
    ];
    for (left, reset, recorded, sent) in steps {
        let due = cal.add_working_days(today, left).expect("calendar").due;
        let reset = if reset { ", reminded = ''" } else { "" };
        app.exec(&format!(
            "UPDATE assignment SET due_date = '{due}'{reset} WHERE id = {aid}"
        ))
        .await;
        for _ in 0..2 {
            engine::service::reminders::run(&app.ctx)
                .await
                .expect("run");
        }
        let q =
            format!("SELECT COUNT(*) FROM assignment WHERE id = {aid} AND reminded = '{recorded}'");
        assert_eq!(app.scalar(&q).await, 1, "{left} working days left");
        assert_eq!(
            app.scalar(sent_to_unit).await,
            sent,
            "{left} working days left"
        );
    }
}

fn docx_text(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut s = String::new();
    zip.by_name("word/document.xml")
        .expect("document")
        .read_to_string(&mut s)
        .expect("read");
    s
}

#[tokio::test]
async fn staff_are_warned_before_deadlines_reach_a_year_without_holidays() {
    let mut app = TestApp::with_demo().await;
    let at = |s: &str| {
        let d = kernel::calendar::parse_date(s).expect("date");
        Some(kernel::time::start_of_day_ms(d) + 10 * 3_600_000)
    };
    let warning = "2027 年的节假日安排尚未录入";
    // In May, six months ahead is still 2026.
    app.set_now(at("2026-05-04"));
    let home = app.as_user("staff").await.get("/").await.text;
    assert!(!home.contains("节假日安排尚未录入"), "{home}");
    // At the end of November, deadlines reach 2027, which is not entered.
    app.set_now(at("2026-11-30"));
    let home = app.as_user("staff").await.get("/").await.text;
    assert!(home.contains(warning), "{home}");
    let home = app.as_user("admin").await.get("/").await.text;
    assert!(home.contains(warning));
    let home = app.as_user("deputy").await.get("/").await.text;
    assert!(!home.contains(warning), "deputies cannot act on it");
    app.add_test_year_2027().await;
    let home = app.as_user("staff").await.get("/").await.text;
    assert!(!home.contains("节假日安排尚未录入"));
}

#[tokio::test]
async fn an_accepted_motion_runs_on_its_own_rules() {
    let app = TestApp::with_demo().await;
    app.add_test_year_2027().await;
    let mut deputy = app.as_user("deputy").await;
    let mut staff = app.as_user("staff").await;
    let r = deputy.post_json("/api/suggestions", json!({"kind": "motion", "title": "关于制定县城乡垃圾分类管理办法的议案", "content": "制定办法", "grounds": "现行管理缺乏依据"})).await;
    let id = r.json()["id"].as_i64().expect("id");
    // Nine co-signers confirm: ten deputies table it (地方组织法: a county motion needs ten).
    let first = app.scalar("SELECT MIN(deputy_id) FROM deputy_mandate WHERE level = 'county' AND status = 'in_office' AND deputy_id > 1").await;
    let others: Vec<i64> = (first..first + 9).collect();
    let r = deputy
        .post_json(
            &format!("/api/suggestions/{id}/invite"),
            json!({"deputy_ids": others}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    app.exec(&format!("UPDATE suggestion_signer SET status = 'confirmed' WHERE suggestion_id = {id} AND role <> 'lead'")).await;
    let r = deputy
        .post_json(&format!("/api/suggestions/{id}/submit"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(detail(&mut deputy, id).await["kind"], "motion");
    staff
        .post_json(&format!("/api/suggestions/{id}/accept"), json!({}))
        .await;
    let transport = app
        .scalar("SELECT id FROM unit WHERE name = '县交通运输局'")
        .await;
    let r = staff
        .post_json(
            "/api/suggestions/assign",
            json!({"ids": [id], "units": [{"unit_id": transport, "role": "lead"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let kind: String = {
        let mut c = app.ctx.db.read().await.expect("conn");
        sqlx::query_scalar("SELECT i.kind FROM tracked_item i JOIN suggestion s ON s.item_id = i.id WHERE s.id = $1")
            .bind(id)
            .fetch_one(&mut c)
            .await
            .expect("kind")
    };
    assert_eq!(kind, "motion");
    // Six months by default (the local rules on motions, a setting), not a suggestion's three.
    let (assigned, due): (String, String) = {
        let mut c = app.ctx.db.read().await.expect("conn");
        sqlx::query_as("SELECT a.assigned_on, a.due_date FROM assignment a JOIN suggestion s ON s.item_id = a.item_id WHERE s.id = $1")
            .bind(id)
            .fetch_one(&mut c)
            .await
            .expect("dates")
    };
    let start: jiff::civil::Date = assigned.parse().expect("date");
    let months = start.checked_add(jiff::Span::new().months(6)).expect("add");
    assert!(
        due.as_str() >= months.to_string().as_str(),
        "{assigned} → {due}"
    );
    // The unit hears the lead deputy's opinion before it replies.
    let assignment = app
        .scalar(&format!("SELECT a.id FROM assignment a JOIN suggestion s ON s.item_id = a.item_id WHERE s.id = {id}"))
        .await;
    let mut handler = app.as_user("handler").await;
    let r = handler
        .post_json(
            &format!("/api/assignments/{assignment}/reply"),
            json!({"text": "已研究制定办法草案", "result_category": "A 已解决或基本解决"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.text.contains("议案领衔代表"), "{}", r.text);

    // The standing committee deliberates its handling: put on an agenda by its
    // number, the motion brings its lead deputy to 列席, and its page shows the meeting.
    let number = detail(&mut staff, id).await["number"]
        .as_i64()
        .expect("number");
    let sc = app
        .scalar("SELECT id FROM body WHERE name = '清溪县人大常委会'")
        .await;
    let r = staff
        .post_json(
            "/api/meetings",
            json!({"body_id": sc, "meeting_date": "2026-06-24", "place": "第一会议室"}),
        )
        .await;
    let m = r.json()["id"].as_i64().expect("meeting");
    let r = staff
        .post_json(
            &format!("/api/meetings/{m}/agenda"),
            json!({"title": "审议县人民政府关于议案办理情况的报告", "link_kind": "motion", "link_ref": "999"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("没有交付办理"), "{}", r.text);
    let r = staff
        .post_json(
            &format!("/api/meetings/{m}/agenda"),
            json!({"title": "审议县人民政府关于议案办理情况的报告", "link_kind": "motion", "link_ref": format!("第{number}号")}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let meeting = staff.get(&format!("/api/meetings/{m}")).await.json();
    assert_eq!(
        meeting["agenda"][0]["link_ref"],
        format!("议案第{number}号")
    );
    let lead = app
        .scalar("SELECT deputy_id FROM app_user WHERE username = 'deputy'")
        .await;
    assert_eq!(meeting["attending"][0]["deputy_id"], lead);
    let page = deputy.get(&format!("/suggestions/{id}")).await;
    assert!(page.text.contains("会议审议"), "{}", page.text);
    assert!(page.text.contains("审议县人民政府关于议案办理情况的报告"));
}
