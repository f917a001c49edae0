//! Meetings of the bodies (issue 13, section 2): planning and numbering,
//! who is expected (membership on the day), 列席 invitations, the door's
//! sign-in once, the attendance desk, open votes and their pass rule, what a
//! deputy sees, and refusals that change nothing.

use axum::http::StatusCode;
use serde_json::{Value, json};
use testkit::TestApp;

/// The demo on a fixed day inside the county's 17th term (2021-12-26 … 2026-12-25).
async fn app_on(day: &str) -> TestApp {
    let mut app = TestApp::with_demo().await;
    let d: jiff::civil::Date = day.parse().expect("day");
    app.set_now(Some(kernel::time::start_of_day_ms(d) + 9 * 3_600_000));
    app
}

async fn committee(app: &TestApp) -> i64 {
    app.scalar("SELECT id FROM body WHERE name = '清溪县人大常委会'")
        .await
}

fn id(v: &testkit::Resp) -> i64 {
    assert_eq!(v.status, StatusCode::CREATED, "{}", v.text);
    v.json()["id"].as_i64().expect("id")
}

fn field_message(r: &testkit::Resp, field: &str) -> String {
    r.json()["fields"]
        .as_array()
        .and_then(|f| f.iter().find(|e| e["field"] == field))
        .and_then(|e| e["message"].as_str())
        .unwrap_or("")
        .to_string()
}

/// The meeting's members on its day, as the API lists them.
async fn members_of(staff: &mut testkit::Client, m: i64) -> Vec<Value> {
    staff.get(&format!("/api/meetings/{m}")).await.json()["members"]
        .as_array()
        .expect("members")
        .clone()
}

/// Marks these members present at the desk.
async fn mark_present(staff: &mut testkit::Client, m: i64, members: &[Value]) {
    for x in members {
        let r = staff
            .post_json(
                &format!("/api/meetings/{m}/members/{}/attendance", x["id"]),
                json!({"status": "present"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
}

/// The code of the meeting's door.
async fn door_code(app: &TestApp, m: i64) -> String {
    let mut c = app.ctx.db.read().await.expect("conn");
    sqlx::query_scalar("SELECT signin_code FROM meeting WHERE id = $1")
        .bind(m)
        .fetch_one(&mut c)
        .await
        .expect("code")
}

#[tokio::test]
async fn a_standing_committee_meeting_from_plan_to_vote() {
    let app = app_on("2026-06-10").await;
    let sc = committee(&app).await;
    let mut staff = app.as_user("staff").await;
    let r = staff
        .post_json(
            "/api/meetings",
            json!({"body_id": sc, "meeting_date": "2026-06-10", "start_time": "09:00", "place": "县人大常委会第一会议室"}),
        )
        .await;
    let m = id(&r);
    let detail = staff.get(&format!("/api/meetings/{m}")).await.json();
    assert_eq!(detail["title"], "清溪县十七届人大常委会第一次会议");
    assert_eq!(detail["state"], "planned");
    // 17 members on the day: the vice-chair who left in 2024 is not expected.
    assert_eq!(detail["members"].as_array().expect("members").len(), 17);

    // A notice needs an agenda.
    let r = staff
        .post_json(
            &format!("/api/meetings/{m}/state"),
            json!({"state": "notified"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    let r = staff
        .post_json(
            &format!("/api/meetings/{m}/agenda"),
            json!({"title": "听取和审议县人民政府关于代表建议办理情况的报告", "link_kind": "suggestion_report", "link_ref": "十七届五次会议代表建议办理情况报告"}),
        )
        .await;
    let hearing = id(&r);
    let r = staff
        .post_json(
            &format!("/api/meetings/{m}/agenda"),
            json!({"title": "表决《清溪县代表联络站工作规则》", "link_kind": "rule"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_message(&r, "link_ref").contains("编号或名称"));
    let rule = id(&staff
        .post_json(
            &format!("/api/meetings/{m}/agenda"),
            json!({"title": "表决《清溪县代表联络站工作规则》", "link_kind": "rule", "link_ref": "清溪县代表联络站工作规则"}),
        )
        .await);
    // Moving the vote up puts it first.
    let r = staff
        .post_json(
            &format!("/api/agenda-items/{rule}/move"),
            json!({"direction": "up"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let agenda = staff.get(&format!("/api/meetings/{m}")).await.json()["agenda"].clone();
    assert_eq!(agenda[0]["id"], rule);
    assert_eq!(agenda[1]["id"], hearing);

    // The demo deputy is invited to 列席; a member cannot be.
    let own = app
        .scalar("SELECT deputy_id FROM app_user WHERE username = 'deputy'")
        .await;
    let r = staff
        .post_json(
            &format!("/api/meetings/{m}/invitations"),
            json!({"deputy_id": own}),
        )
        .await;
    let invitation = id(&r);
    let member_deputy = detail["members"][5]["deputy_id"]
        .as_i64()
        .expect("member deputy");
    let r = staff
        .post_json(
            &format!("/api/meetings/{m}/invitations"),
            json!({"deputy_id": member_deputy}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_message(&r, "deputy_id").contains("组成人员"));

    let r = staff
        .post_json(
            &format!("/api/meetings/{m}/state"),
            json!({"state": "notified"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    // The invited deputy sees the meeting and was told of it.
    let mut deputy = app.as_user("deputy").await;
    let mine = deputy.get("/api/meetings").await.json();
    assert!(
        mine["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|x| x["id"] == m)
    );
    let inbox: i64 = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM notification n JOIN app_user u ON u.id = n.user_id
             WHERE u.username = 'deputy' AND n.link = '/meetings/{m}'"
        ))
        .await;
    assert_eq!(inbox, 1);
    // The home page reminds them on the day.
    let home = deputy.get("/").await;
    assert!(home.text.contains("今天召开："), "{}", home.text);
    assert!(home.text.contains("请到会场入口扫码签到"));

    // A member signs in with the door's code, once.
    let code = door_code(&app, m).await;
    let mut member = app.deputy_client("member6", member_deputy).await;
    let first = member
        .post_json(&format!("/api/sign-in/{code}"), json!({}))
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    assert_eq!(first.json()["first"], true);
    assert_eq!(first.json()["role"], "member");
    let again = member
        .post_json(&format!("/api/sign-in/{code}"), json!({}))
        .await;
    assert_eq!(again.json()["first"], false);
    assert_eq!(again.json()["signed_in_at"], first.json()["signed_in_at"]);
    let r = deputy
        .post_json(&format!("/api/sign-in/{code}"), json!({}))
        .await;
    assert_eq!(r.json()["role"], "attending", "{}", r.text);
    let signed_ins = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'meeting.sign_in' AND entity_id = '{m}'"
        ))
        .await;
    assert_eq!(signed_ins, 2);

    // The desk records the rest: one on leave needs a reason.
    let members = members_of(&mut staff, m).await;
    let on_leave = members[16]["id"].as_i64().expect("member");
    let r = staff
        .post_json(
            &format!("/api/meetings/{m}/members/{on_leave}/attendance"),
            json!({"status": "leave"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_message(&r, "reason"), "请填写请假事由");
    let r = staff
        .post_json(
            &format!("/api/meetings/{m}/members/{on_leave}/attendance"),
            json!({"status": "leave", "reason": "因公出差"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    for x in &members[..16] {
        if x["deputy_id"] == member_deputy {
            continue;
        }
        let r = staff
            .post_json(
                &format!("/api/meetings/{m}/members/{}/attendance", x["id"]),
                json!({"status": "present"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    // A member of another body is not on this roster.
    let r = staff
        .post_json(
            &format!("/api/meetings/{m}/members/999999/attendance"),
            json!({"status": "present"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let after = staff.get(&format!("/api/meetings/{m}")).await.json();
    assert_eq!(after["members_present"], 16);
    assert_eq!(after["members_on_leave"], 1);
    assert_eq!(after["attending"][0]["status"], "present");

    // Counts must add up to the 16 present; a refusal changes nothing.
    let before = app.audit_count().await;
    let r = staff
        .post_json(
            &format!("/api/agenda-items/{rule}/vote"),
            json!({"yes": 15, "no": 0, "abstain": 0, "not_voting": 0}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_message(&r, "yes").contains("16 人"), "{}", r.text);
    assert_eq!(app.audit_count().await, before);
    let r = staff
        .post_json(
            &format!("/api/agenda-items/{rule}/vote"),
            json!({"yes": 15, "no": 0, "abstain": 1, "not_voting": 0}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let o = r.json();
    assert_eq!(o["passed"], true);
    assert_eq!(o["base"], 17);
    assert_eq!(o["needed"], 9);
    assert_eq!(o["unanimous"], false);
    // Eight approvals of seventeen do not pass, though most of those voting approve.
    let r = staff
        .post_json(
            &format!("/api/agenda-items/{rule}/vote"),
            json!({"yes": 8, "no": 2, "abstain": 6, "not_voting": 0}),
        )
        .await;
    assert_eq!(r.json()["passed"], false);
    let corrected = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'meeting.vote_correct' AND entity_id = '{m}'"
        ))
        .await;
    assert_eq!(corrected, 1);

    let r = staff
        .post_json(
            &format!("/api/meetings/{m}/state"),
            json!({"state": "held"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // The agenda is fixed once held.
    let r = staff
        .post_json(&format!("/api/agenda-items/{hearing}/remove"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = staff
        .post_json(
            &format!("/api/invitations/{invitation}/withdraw"),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // The 列席 deputies' forum: its participants are those who attended.
    let r = staff
        .post_form(&format!("/meetings/{m}/forum"), &[("summary", "")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = staff
        .post_form(
            &format!("/meetings/{m}/forum"),
            &[("summary", "建议加快农村公路养护。")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let page = staff.get(&format!("/meetings/{m}")).await.text;
    assert!(page.contains("列席代表座谈会") && page.contains("建议加快农村公路养护。"));

    // The duty record's view: the deputy attended as 列席, the member on leave was on leave.
    let lines = deputy
        .get(&format!("/api/deputies/{own}/meeting-attendance?year=2026"))
        .await
        .json();
    assert_eq!(lines[0]["role"], "attending");
    assert_eq!(lines[0]["status"], "present");
    let leave_deputy = members[16]["deputy_id"].as_i64().expect("deputy");
    let lines = staff
        .get(&format!(
            "/api/deputies/{leave_deputy}/meeting-attendance?year=2026"
        ))
        .await
        .json();
    assert_eq!(lines[0]["status"], "leave");
    assert_eq!(lines[0]["reason"], "因公出差");
    // Another deputy's record is not the demo deputy's to read.
    let r = deputy
        .get(&format!(
            "/api/deputies/{leave_deputy}/meeting-attendance?year=2026"
        ))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn who_is_expected_follows_the_membership_on_the_day() {
    let app = app_on("2026-06-10").await;
    let sc = committee(&app).await;
    let mut staff = app.as_user("staff").await;
    let names = |v: &Value| -> Vec<String> {
        v["members"]
            .as_array()
            .expect("members")
            .iter()
            .map(|m| m["name"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let on =
        |date: &'static str| json!({"body_id": sc, "meeting_date": date, "place": "第一会议室"});
    // The vice-chair served until 2024-06-30; the successor from 2024-07-16.
    let left: String = {
        let mut c = app.ctx.db.read().await.expect("conn");
        sqlx::query_scalar(
            "SELECT name FROM body_member WHERE body_id = $1 AND to_date = '2024-06-30'",
        )
        .bind(sc)
        .fetch_one(&mut c)
        .await
        .expect("left")
    };
    let successor: String = {
        let mut c = app.ctx.db.read().await.expect("conn");
        sqlx::query_scalar(
            "SELECT name FROM body_member WHERE body_id = $1 AND from_date = '2024-07-16'",
        )
        .bind(sc)
        .fetch_one(&mut c)
        .await
        .expect("successor")
    };
    let mut rosters = Vec::new();
    for date in ["2024-06-30", "2024-07-01", "2024-07-16"] {
        let m = id(&staff.post_json("/api/meetings", on(date)).await);
        rosters.push(names(
            &staff.get(&format!("/api/meetings/{m}")).await.json(),
        ));
    }
    assert!(rosters[0].contains(&left) && !rosters[0].contains(&successor));
    assert!(!rosters[1].contains(&left) && !rosters[1].contains(&successor));
    assert_eq!(rosters[1].len(), 16, "a vacancy is not a member");
    assert!(!rosters[2].contains(&left) && rosters[2].contains(&successor));
}

#[tokio::test]
async fn numbers_run_within_the_term_and_bad_input_is_refused() {
    let app = app_on("2026-06-10").await;
    let sc = committee(&app).await;
    let mut staff = app.as_user("staff").await;
    let a = id(&staff
        .post_json("/api/meetings", json!({"body_id": sc, "meeting_date": "2026-05-20", "place": "第一会议室", "number": 36}))
        .await);
    let b = id(&staff
        .post_json(
            "/api/meetings",
            json!({"body_id": sc, "meeting_date": "2026-06-24", "place": "第一会议室"}),
        )
        .await);
    assert_eq!(
        staff.get(&format!("/api/meetings/{a}")).await.json()["title"],
        "清溪县十七届人大常委会第三十六次会议"
    );
    assert_eq!(
        staff.get(&format!("/api/meetings/{b}")).await.json()["number"],
        37
    );
    let before = app.audit_count().await;
    let r = staff
        .post_json("/api/meetings", json!({"body_id": sc, "meeting_date": "2026-07-01", "place": "第一会议室", "number": 37}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_message(&r, "number"), "本届第37次会议已登记");
    let r = staff
        .post_json("/api/meetings", json!({"body_id": sc, "meeting_date": "2030-01-01", "place": "", "start_time": "25:00"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_message(&r, "meeting_date").contains("任期"));
    assert!(!field_message(&r, "place").is_empty());
    assert!(field_message(&r, "start_time").contains("HH:MM"));
    assert_eq!(app.audit_count().await, before);
    // Signing in is for the day of the meeting, by those on its lists.
    let r = staff
        .post_json(
            &format!("/api/meetings/{b}/agenda"),
            json!({"title": "审议事项"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    staff
        .post_json(
            &format!("/api/meetings/{b}/state"),
            json!({"state": "notified"}),
        )
        .await;
    let code = door_code(&app, b).await;
    let mut deputy = app.as_user("deputy").await;
    let r = deputy
        .post_json(&format!("/api/sign-in/{code}"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // The phone's page says so before offering a button.
    let page = deputy.get(&format!("/m/{code}")).await;
    assert!(page.text.contains("签到仅限会议当天"), "{}", page.text);
    assert!(!page.text.contains("确认签到"));
    // Held only on or after its day; cancelling needs a reason.
    let r = staff
        .post_json(
            &format!("/api/meetings/{b}/state"),
            json!({"state": "held"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = staff
        .post_json(
            &format!("/api/meetings/{b}/state"),
            json!({"state": "cancelled"}),
        )
        .await;
    assert_eq!(field_message(&r, "reason"), "请说明取消会议的原因");
    let r = staff
        .post_json(
            &format!("/api/meetings/{b}/state"),
            json!({"state": "cancelled", "reason": "与县委全会时间冲突"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let m = staff.get(&format!("/api/meetings/{b}")).await.json();
    assert_eq!(m["state"], "cancelled");
    assert_eq!(m["cancel_reason"], "与县委全会时间冲突");
    assert!(
        staff
            .get(&format!("/meetings/{b}"))
            .await
            .text
            .contains("会议已取消：与县委全会时间冲突")
    );
}

#[tokio::test]
async fn a_deputy_sees_only_their_meetings_and_units_none() {
    let app = app_on("2026-06-10").await;
    let sc = committee(&app).await;
    let mut staff = app.as_user("staff").await;
    let m = id(&staff
        .post_json(
            "/api/meetings",
            json!({"body_id": sc, "meeting_date": "2026-06-24", "place": "第一会议室"}),
        )
        .await);
    let mut deputy = app.as_user("deputy").await;
    assert_eq!(
        deputy.get(&format!("/api/meetings/{m}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(deputy.get("/api/meetings").await.json()["total"], 0);
    let mut handler = app.as_user("handler").await;
    assert_eq!(
        handler.get("/api/meetings").await.status,
        StatusCode::FORBIDDEN
    );
    // The page of a refused vote keeps what was typed, beside the field.
    let item = id(&staff
        .post_json(
            &format!("/api/meetings/{m}/agenda"),
            json!({"title": "审议事项"}),
        )
        .await);
    let r = staff
        .post_form(
            &format!("/agenda-items/{item}/vote"),
            &[
                ("yes", "7"),
                ("no", "x"),
                ("abstain", "0"),
                ("not_voting", "0"),
            ],
        )
        .await;
    assert_ne!(r.status, StatusCode::OK);
    assert!(!r.text.contains("Failed to deserialize"), "{}", r.text);
}

#[tokio::test]
async fn a_held_meeting_issues_numbered_documents() {
    let app = app_on("2026-06-10").await;
    let sc = committee(&app).await;
    let mut staff = app.as_user("staff").await;
    let m = id(&staff
        .post_json(
            "/api/meetings",
            json!({"body_id": sc, "meeting_date": "2026-06-10", "place": "第一会议室"}),
        )
        .await);
    let report = id(&staff
        .post_json(&format!("/api/meetings/{m}/agenda"), json!({"title": "听取和审议县人民政府关于代表建议办理情况的报告", "link_kind": "suggestion_report", "link_ref": "办理情况报告"}))
        .await);
    let rule = id(&staff
        .post_json(
            &format!("/api/meetings/{m}/agenda"),
            json!({"title": "表决《清溪县代表联络站工作规则》"}),
        )
        .await);
    staff
        .post_json(
            &format!("/api/meetings/{m}/state"),
            json!({"state": "notified"}),
        )
        .await;
    let decision = json!({"kind": "decision", "agenda_item_id": rule, "prefix": "清常发", "title": "关于批准《清溪县代表联络站工作规则》的决定", "body": "会议表决通过。"});
    // Nothing is issued before the meeting is held.
    let r = staff
        .post_json(&format!("/api/meetings/{m}/outputs"), decision.clone())
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    let members = members_of(&mut staff, m).await;
    mark_present(&mut staff, m, &members[..12]).await;
    let r = staff
        .post_json(
            &format!("/api/meetings/{m}/state"),
            json!({"state": "held"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // A decision needs the vote that passed it.
    let r = staff
        .post_json(&format!("/api/meetings/{m}/outputs"), decision.clone())
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_message(&r, "agenda_item_id").contains("未经表决通过"));
    let r = staff
        .post_json(
            &format!("/api/agenda-items/{rule}/vote"),
            json!({"yes": 12, "no": 0, "abstain": 0, "not_voting": 0}),
        )
        .await;
    assert_eq!(r.json()["passed"], true);
    let r = staff
        .post_json(&format!("/api/meetings/{m}/outputs"), decision.clone())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json()["number"], "清常发〔2026〕1号");
    let r = staff
        .post_json(&format!("/api/meetings/{m}/outputs"), decision)
        .await;
    assert_eq!(r.json()["number"], "清常发〔2026〕2号");
    // The decisions stand on the vote: it is no longer corrected.
    let r = staff
        .post_json(
            &format!("/api/agenda-items/{rule}/vote"),
            json!({"yes": 5, "no": 7, "abstain": 0, "not_voting": 0}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.text.contains("表决结果不能再更正"), "{}", r.text);
    // An opinion is addressed to the body that reported; a prefix is only the organ's code.
    let r = staff
        .post_json(
            &format!("/api/meetings/{m}/outputs"),
            json!({"kind": "opinion", "agenda_item_id": report, "prefix": "清常审〔2026〕", "title": "审议意见", "body": "请研究处理。"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_message(&r, "addressee"),
        "请填写主送机关，如：县人民政府"
    );
    assert!(field_message(&r, "prefix").contains("机关代字"));
    let opinion = staff
        .post_json(
            &format!("/api/meetings/{m}/outputs"),
            json!({"kind": "opinion", "agenda_item_id": report, "prefix": "清常审", "title": "关于代表建议办理情况报告的审议意见", "addressee": "县人民政府", "body": "请研究处理。\n并书面报告。"}),
        )
        .await;
    let opinion = id(&opinion);
    // The minutes come before their approval, once.
    let r = staff
        .post_json(
            &format!("/api/meetings/{m}/state"),
            json!({"state": "minutes_approved"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let minutes = json!({"kind": "minutes", "prefix": "清常纪", "title": "会议纪要", "body": "会议听取和审议了报告。"});
    assert_eq!(
        staff
            .post_json(&format!("/api/meetings/{m}/outputs"), minutes.clone())
            .await
            .status,
        StatusCode::CREATED
    );
    let r = staff
        .post_json(&format!("/api/meetings/{m}/outputs"), minutes)
        .await;
    assert!(field_message(&r, "kind").contains("已印发纪要"));
    let r = staff
        .post_json(
            &format!("/api/meetings/{m}/state"),
            json!({"state": "minutes_approved"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // The document is a Word file; the meeting lists what it issued.
    let r = staff
        .get(&format!("/api/meeting-outputs/{opinion}/document.docx"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.starts_with("PK"));
    let outputs = staff.get(&format!("/api/meetings/{m}")).await.json()["outputs"].clone();
    assert_eq!(outputs.as_array().expect("outputs").len(), 4);
    // A deputy not at the meeting cannot read its documents.
    let mut deputy = app.as_user("deputy").await;
    let r = deputy
        .get(&format!("/api/meeting-outputs/{opinion}/document.docx"))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn citizens_apply_to_observe_within_the_quota() {
    let app = app_on("2026-06-10").await;
    let sc = committee(&app).await;
    let mut staff = app.as_user("staff").await;
    let council = app
        .scalar("SELECT id FROM body WHERE kind = 'chairmen_council'")
        .await;
    let r = staff
        .post_json("/api/meetings", json!({"body_id": council, "meeting_date": "2026-06-20", "place": "第二会议室", "observer_quota": 5}))
        .await;
    assert!(field_message(&r, "observer_quota").contains("不设旁听"));
    let m = id(&staff
        .post_json("/api/meetings", json!({"body_id": sc, "meeting_date": "2026-06-24", "place": "第一会议室", "observer_quota": 2}))
        .await);
    let mut public = app.client();
    // Not open before the notice is out.
    let form = |name: &'static str, id: &'static str| {
        vec![
            ("name", name),
            ("id_card", id),
            ("phone", "13800001234"),
            ("consent", "true"),
        ]
    };
    let r = public
        .post_form(
            &format!("/public/meetings/{m}/observers"),
            &form("张三丰", "11010519491231002X"),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    staff
        .post_json(
            &format!("/api/meetings/{m}/agenda"),
            json!({"title": "审议事项"}),
        )
        .await;
    staff
        .post_json(
            &format!("/api/meetings/{m}/state"),
            json!({"state": "notified"}),
        )
        .await;
    let page = public.get(&format!("/public/meetings/{m}")).await;
    assert!(page.text.contains("申请旁听"), "{}", page.text);
    // Bad input: messages beside the fields, the phone kept, the ID number not echoed.
    let r = public
        .post_form(
            &format!("/public/meetings/{m}/observers"),
            &[
                ("name", "李"),
                ("id_card", "110105194912310021"),
                ("phone", "13800001234"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("请填写身份证上的姓名"));
    assert!(r.text.contains("身份证号校验位不正确"));
    assert!(r.text.contains("请阅读并同意"));
    assert!(r.text.contains("13800001234"));
    assert!(!r.text.contains("110105194912310021"));
    // Three apply; the same person twice is refused.
    let mut codes = Vec::new();
    for (name, idc) in [
        ("张三丰", "11010519491231002X"),
        ("李四光", "110105198001010016"),
        ("王五", "110105199002020018"),
    ] {
        let r = public
            .post_form(&format!("/public/meetings/{m}/observers"), &form(name, idc))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        codes.push(r.location());
    }
    let r = public
        .post_form(
            &format!("/public/meetings/{m}/observers"),
            &form("张三丰", "11010519491231002X"),
        )
        .await;
    assert!(r.text.contains("已申请旁听本次会议"));
    let status = public.get(&codes[0]).await;
    assert!(status.text.contains("待审核"), "{}", status.text);
    // Staff see the numbers masked, approve two, and the quota stops the third.
    let list = staff
        .get(&format!("/api/meetings/{m}/observers"))
        .await
        .json();
    let ids: Vec<i64> = list
        .as_array()
        .expect("list")
        .iter()
        .map(|o| o["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(list[0]["id_card_masked"], "110***********002X");
    assert_eq!(list[0]["phone_masked"], "138****1234");
    for o in &ids[..2] {
        let r = staff
            .post_json(
                &format!("/api/observers/{o}/decision"),
                json!({"approve": true}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    let r = staff
        .post_json(
            &format!("/api/observers/{}/decision", ids[2]),
            json!({"approve": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text.contains("名额 2 人已满"));
    let r = staff
        .post_json(
            &format!("/api/observers/{}/decision", ids[2]),
            json!({"approve": false}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = staff
        .post_json(
            &format!("/api/observers/{}/decision", ids[2]),
            json!({"approve": false, "reason": "旁听席已满"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(public.get(&codes[2]).await.text.contains("旁听席已满"));
    assert!(public.get(&codes[0]).await.text.contains("已同意"));
    // Check-in at the door is on the day.
    let r = staff
        .post_json(&format!("/api/observers/{}/check-in", ids[0]), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // The stored ID number is encrypted.
    let plain = app
        .scalar(
            "SELECT COUNT(*) FROM meeting_observer WHERE id_card_enc LIKE '%11010519491231002X%'",
        )
        .await;
    assert_eq!(plain, 0);
}

#[tokio::test]
async fn a_deliberation_opinion_goes_to_a_unit_on_the_engine() {
    let app = app_on("2026-06-10").await;
    let sc = committee(&app).await;
    let mut staff = app.as_user("staff").await;
    let m = id(&staff
        .post_json(
            "/api/meetings",
            json!({"body_id": sc, "meeting_date": "2026-06-10", "place": "第一会议室"}),
        )
        .await);
    let report = id(&staff
        .post_json(&format!("/api/meetings/{m}/agenda"), json!({"title": "听取和审议县人民政府关于农村公路建设情况的报告", "link_kind": "government_report", "link_ref": "农村公路建设情况的报告"}))
        .await);
    staff
        .post_json(
            &format!("/api/meetings/{m}/state"),
            json!({"state": "notified"}),
        )
        .await;
    // Held only with a quorum: more than half of the 17 members present.
    let members = members_of(&mut staff, m).await;
    mark_present(&mut staff, m, &members[..8]).await;
    let r = staff
        .post_json(
            &format!("/api/meetings/{m}/state"),
            json!({"state": "held"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.text.contains("未超过全体组成人员 17 人的半数"),
        "{}",
        r.text
    );
    staff
        .post_json(
            &format!("/api/meetings/{m}/members/{}/attendance", members[8]["id"]),
            json!({"status": "present"}),
        )
        .await;
    let r = staff
        .post_json(
            &format!("/api/meetings/{m}/state"),
            json!({"state": "held"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = staff
        .post_json(
            &format!("/api/meetings/{m}/outputs"),
            json!({"kind": "opinion", "agenda_item_id": report, "prefix": "清常审", "title": "关于农村公路建设情况报告的审议意见", "addressee": "县人民政府", "body": "请研究处理。"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let opinion = r.json()["id"].as_i64().expect("id");
    let transport = app
        .scalar("SELECT id FROM unit WHERE name = '县交通运输局'")
        .await;
    // The handler cannot see it before it is assigned.
    let mut handler = app.as_user("handler").await;
    assert_eq!(
        handler
            .get(&format!("/meeting-outputs/{opinion}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = staff
        .post_json(
            &format!("/api/meeting-outputs/{opinion}/assign"),
            json!({"units": [{"unit_id": transport, "role": "lead"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let item = r.json()["id"].as_i64().expect("item");
    // Six months by default (the setting), from the day of assignment.
    let due: String = {
        let mut c = app.ctx.db.read().await.expect("conn");
        sqlx::query_scalar("SELECT due_date FROM assignment WHERE item_id = $1")
            .bind(item)
            .fetch_one(&mut c)
            .await
            .expect("due")
    };
    assert_eq!(due, "2026-12-10");
    // Once only.
    let r = staff
        .post_json(
            &format!("/api/meeting-outputs/{opinion}/assign"),
            json!({"units": [{"unit_id": transport, "role": "lead"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // The unit reads it and finds it in its work queue; the document too.
    let page = handler.get(&format!("/meeting-outputs/{opinion}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(page.text.contains("关于农村公路建设情况报告的审议意见"));
    let work = handler.get("/work").await;
    assert!(
        work.text.contains("农村公路建设情况报告的审议意见"),
        "{}",
        work.text
    );
    let doc = handler
        .get(&format!("/api/meeting-outputs/{opinion}/document.docx"))
        .await;
    assert_eq!(doc.status, StatusCode::OK);
    // Another unit does not.
    let kind: String = {
        let mut c = app.ctx.db.read().await.expect("conn");
        sqlx::query_scalar("SELECT kind FROM tracked_item WHERE id = $1")
            .bind(item)
            .fetch_one(&mut c)
            .await
            .expect("kind")
    };
    assert_eq!(kind, "deliberation_opinion");
}
