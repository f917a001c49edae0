//! A reply is the proposer's, and the public's, only once it is sent: before
//! the unit head and the government leader sign it, the deputy (and a
//! congress leader) sees neither its text nor its commitments nor a 答复函;
//! staff and the unit see it marked as a draft.

use axum::http::StatusCode;
use serde_json::{Value, json};
use testkit::{Client, TestApp};

const DRAFT: &str = "经研究，该路段已列入明年农村公路提质改造计划。";

async fn detail(c: &mut Client, id: i64) -> Value {
    let r = c.get(&format!("/api/suggestions/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json()
}

async fn sign(c: &mut Client, assignment: i64, sha: &str) {
    let r = c
        .post_json(
            &format!("/api/assignments/{assignment}/signoff"),
            json!({"approve": true, "reply_sha": sha}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}

#[tokio::test]
async fn a_draft_reply_stays_with_staff_and_the_unit_until_it_is_sent() {
    let app = TestApp::with_demo().await;
    app.add_test_year_2027().await;
    let id = app
        .assigned_suggestion("关于改造县城至龙潭镇公路的建议", "县交通运输局")
        .await;
    let mut deputy = app.as_user("deputy").await;
    let mut leader = app.as_user("leader").await;
    let mut staff = app.as_user("staff").await;
    let mut handler = app.as_user("handler").await;
    let mut head = app.as_user("head").await;
    let mut gov = app.as_user("govleader").await;
    let a = detail(&mut handler, id).await["item"]["assignments"][0]["id"]
        .as_i64()
        .expect("assignment");
    let today = kernel::time::today().to_string();
    let r = handler
        .post_json(&format!("/api/assignments/{a}/contacts"), json!({"stage": "before", "method": "phone", "contact_date": today, "participants": "代表", "summary": "听取代表意见"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = handler
        .post_json(&format!("/api/assignments/{a}/reply"), json!({"text": DRAFT, "result_category": "B 正在解决或列入计划解决", "commitments": [{"text": "2027年6月底前完成路面改造", "due_date": "2027-06-30"}]}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = handler
        .post_file(
            &format!("/api/assignments/{a}/reply/attachments"),
            &[],
            "方案.pdf",
            b"%PDF-1.4\n% draft plan\n%%EOF\n",
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let file = format!("/api/attachments/{}", r.json()["id"].as_i64().expect("id"));
    let letter = format!("/suggestions/{id}/assignments/{a}/letter.docx");
    let page = format!("/suggestions/{id}");

    // The deputy and a congress leader: no text, no commitment, no letter.
    for c in [&mut deputy, &mut leader] {
        let d = detail(c, id).await;
        assert!(d["item"]["replies"].as_array().expect("replies").is_empty());
        assert!(d["item"]["assignments"][0]["reply"].is_null());
        assert!(
            d["item"]["commitments"]
                .as_array()
                .expect("commitments")
                .is_empty()
        );
        let html = c.get(&page).await.text;
        assert!(!html.contains(DRAFT) && !html.contains("6月底前完成路面改造"));
        assert!(!html.contains("答复函（Word）"));
        assert_ne!(c.get(&letter).await.status, StatusCode::OK);
        assert_eq!(c.get(&file).await.status, StatusCode::NOT_FOUND);
    }
    // Staff, the handler and the head who signs: the draft, marked, no letter.
    for c in [&mut staff, &mut handler, &mut head] {
        let d = detail(c, id).await;
        let rv = &d["item"]["replies"][0];
        assert_eq!(rv["text"], DRAFT);
        assert_eq!(rv["sent"], false);
        assert!(rv["sent_at"].is_null());
        let html = c.get(&page).await.text;
        assert!(html.contains(DRAFT) && html.contains("草稿，尚未签发送达"));
        assert!(!html.contains("答复函（Word）"));
        let r = c.get(&letter).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(r.text.contains("尚未签发送达"), "{}", r.text);
        assert_eq!(c.get(&file).await.status, StatusCode::OK);
    }

    // Signed by the head and the government leader: sent, for everyone.
    let sha = detail(&mut head, id).await["item"]["replies"][0]["sha"]
        .as_str()
        .expect("sha")
        .to_string();
    sign(&mut head, a, &sha).await;
    assert!(
        detail(&mut deputy, id).await["item"]["replies"]
            .as_array()
            .expect("replies")
            .is_empty(),
        "one signature is not enough"
    );
    sign(&mut gov, a, &sha).await;
    for c in [&mut deputy, &mut leader] {
        let d = detail(c, id).await;
        let rv = &d["item"]["replies"][0];
        assert_eq!(rv["text"], DRAFT);
        assert_eq!(rv["sent"], true);
        assert!(rv["sent_at"].as_i64().is_some());
        assert_eq!(d["item"]["commitments"].as_array().expect("c").len(), 1);
        let html = c.get(&page).await.text;
        assert!(html.contains(DRAFT) && !html.contains("草稿，尚未签发送达"));
        assert!(html.contains("答复函（Word）"));
        assert_eq!(c.get(&letter).await.status, StatusCode::OK);
        assert_eq!(c.get(&file).await.status, StatusCode::OK);
    }

    // Handled again: the deputy keeps the first reply and does not see the second draft.
    let r = deputy
        .post_json(&format!("/api/suggestions/{id}/evaluate"), json!({"attitude": "satisfied", "result": "dissatisfied", "comment": "改造时间太晚，群众等不起"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let second = "经再次研究，提前至今年年底前完成改造。";
    let r = handler
        .post_json(
            &format!("/api/assignments/{a}/reply"),
            json!({"text": second, "result_category": "A 已解决或基本解决", "commitments": []}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let d = detail(&mut deputy, id).await;
    let texts: Vec<&str> = d["item"]["replies"]
        .as_array()
        .expect("replies")
        .iter()
        .filter_map(|r| r["text"].as_str())
        .collect();
    assert_eq!(texts, vec![DRAFT]);
    let d = detail(&mut staff, id).await;
    assert_eq!(d["item"]["replies"].as_array().expect("replies").len(), 2);
    assert_eq!(d["item"]["replies"][1]["sent"], false);
}
