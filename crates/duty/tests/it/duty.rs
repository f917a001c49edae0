//! The duty record (issue 15, sections 1–2): a deputy records, staff verify
//! or reject, staff record for many; meetings and suggestions hand over
//! what they know; the scheme's caps, deductions and qualitative grades; the
//! total computed in SQL equals the total explained line by line; refusals
//! change nothing.

use axum::http::StatusCode;
use serde_json::{Value, json};
use testkit::TestApp;

/// The demo on a fixed day of 2026, inside the county's 17th term.
async fn app_on(day: &str) -> TestApp {
    let mut app = TestApp::with_demo().await;
    let d: jiff::civil::Date = day.parse().expect("day");
    app.set_now(Some(kernel::time::start_of_day_ms(d) + 9 * 3_600_000));
    app
}

async fn scheme_2026(app: &TestApp) {
    let mut staff = app.as_user("staff").await;
    let r = staff.post_form("/duty/scheme?year=2026", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
}

async fn points(c: &mut testkit::Client, deputy: i64) -> Value {
    let r = c
        .get(&format!("/api/duty/deputies/{deputy}/points?year=2026"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json()
}

/// The line of an item, by a word of its name.
fn line<'a>(p: &'a Value, word: &str) -> &'a Value {
    p["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .find(|l| l["item"].as_str().unwrap_or("").contains(word))
        .unwrap_or_else(|| panic!("no line {word} in {p}"))
}

fn field_message(r: &testkit::Resp, field: &str) -> String {
    r.json()["fields"]
        .as_array()
        .and_then(|f| f.iter().find(|e| e["field"] == field))
        .and_then(|e| e["message"].as_str())
        .unwrap_or("")
        .to_string()
}

async fn own_deputy(app: &TestApp) -> i64 {
    app.scalar("SELECT deputy_id FROM app_user WHERE username = 'deputy'")
        .await
}

async fn deputy_name(app: &TestApp, id: i64) -> String {
    let mut c = app.ctx.db.read().await.expect("conn");
    sqlx::query_scalar("SELECT name FROM deputy WHERE id = $1")
        .bind(id)
        .fetch_one(&mut c)
        .await
        .expect("name")
}

#[tokio::test]
async fn a_deputy_records_staff_verify_and_the_points_explain_it() {
    let app = app_on("2026-06-10").await;
    scheme_2026(&app).await;
    let me = own_deputy(&app).await;
    let mut deputy = app.as_user("deputy").await;
    let mut staff = app.as_user("staff").await;
    let before = points(&mut deputy, me).await;
    assert_eq!(line(&before, "视察")["count"], 0);

    let r = deputy
        .post_json(
            "/api/duty/activities",
            json!({"type_code": "inspection", "activity_date": "2026-06-01", "place": "城关镇", "minutes": "120", "summary": "视察农村公路养护"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.json()["id"].as_i64().expect("id");
    // Waiting for staff, it does not count yet.
    let p = points(&mut deputy, me).await;
    assert_eq!(line(&p, "视察")["count"], 0);
    let queue = staff.get("/api/duty/activities?state=pending").await.json();
    let mine = queue["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|a| a["id"] == id)
        .expect("in the queue");
    assert_eq!(mine["state_label"], "待核实");
    assert_eq!(mine["minutes"], 120);

    // A deputy may not verify; staff may.
    let r = deputy
        .post_json(
            "/api/duty/activities/review",
            json!({"ids": [id], "approve": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let audits = app.audit_count().await;
    let r = staff
        .post_json(
            "/api/duty/activities/review",
            json!({"ids": [id], "approve": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["reviewed"], 1);
    assert_eq!(app.audit_count().await, audits + 1);
    let p = points(&mut deputy, me).await;
    let l = line(&p, "视察");
    assert_eq!(l["count"], 1);
    assert_eq!(l["points"], "3");
    assert_eq!(l["occurrences"][0]["title"], "视察农村公路养护");
    // Reviewing it again is refused and changes nothing.
    let r = staff
        .post_json(
            "/api/duty/activities/review",
            json!({"ids": [id], "approve": false, "reason": "重复"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(line(&points(&mut deputy, me).await, "视察")["count"], 1);
}

#[tokio::test]
async fn bad_entries_are_refused_beside_their_fields_and_write_nothing() {
    let app = app_on("2026-06-10").await;
    let mut deputy = app.as_user("deputy").await;
    let n = app.scalar("SELECT COUNT(*) FROM duty_activity").await;
    let r = deputy
        .post_json(
            "/api/duty/activities",
            json!({"type_code": "meeting_present", "activity_date": "2026-07-01", "minutes": "两小时", "summary": " "}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(field_message(&r, "type_code").contains("自动计入"));
    assert!(field_message(&r, "activity_date").contains("不能晚于今天"));
    assert!(field_message(&r, "minutes").contains("两小时"));
    assert!(field_message(&r, "summary").contains("活动内容"));
    assert_eq!(app.scalar("SELECT COUNT(*) FROM duty_activity").await, n);

    // The page keeps what was typed.
    let r = deputy
        .post_form(
            "/duty/activities",
            &[
                ("type_code", "inspection"),
                ("activity_date", "2026-06-01"),
                ("place", "河西乡卫生院"),
                ("summary", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("河西乡卫生院"));
    assert!(r.text.contains("请填写活动内容"));
    assert_eq!(app.scalar("SELECT COUNT(*) FROM duty_activity").await, n);

    // Staff naming someone who is not a deputy here: refused, nobody recorded.
    let mut staff = app.as_user("staff").await;
    let r = staff
        .post_json(
            "/api/duty/activities/batch",
            json!({"type_code": "inspection", "activity_date": "2026-06-01", "summary": "视察", "deputies": "不存在的人"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_message(&r, "deputies").contains("不存在的人"));
    assert_eq!(app.scalar("SELECT COUNT(*) FROM duty_activity").await, n);
}

#[tokio::test]
async fn staff_record_for_many_a_cap_bounds_an_item_and_a_rejection_is_told() {
    let app = app_on("2026-06-10").await;
    scheme_2026(&app).await;
    let me = own_deputy(&app).await;
    let name = deputy_name(&app, me).await;
    let mut staff = app.as_user("staff").await;
    for day in [
        "2026-03-01",
        "2026-03-08",
        "2026-03-15",
        "2026-04-01",
        "2026-05-01",
        "2026-05-20",
    ] {
        let r = staff
            .post_json(
                "/api/duty/activities/batch",
                json!({"type_code": "research", "activity_date": day, "summary": "专题调研", "deputies": name}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["recorded"], 1);
    }
    let mut deputy = app.as_user("deputy").await;
    let p = points(&mut deputy, me).await;
    let l = line(&p, "视察");
    // Six at 3 points, capped at 15 for the year.
    assert_eq!(l["count"], 6);
    assert_eq!(l["points"], "15");
    assert_eq!(l["capped"], true);
    assert_eq!(l["cap"], "15");

    // A rejection needs a reason and tells the deputy.
    let r = deputy
        .post_json(
            "/api/duty/activities",
            json!({"type_code": "other", "activity_date": "2026-06-09", "summary": "朋友聚会"}),
        )
        .await;
    let id = r.json()["id"].as_i64().expect("id");
    let r = staff
        .post_json(
            "/api/duty/activities/review",
            json!({"ids": [id], "approve": false}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_message(&r, "reason").contains("理由"));
    let inbox = app
        .scalar("SELECT COUNT(*) FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.username = 'deputy'")
        .await;
    let r = staff
        .post_json(
            "/api/duty/activities/review",
            json!({"ids": [id], "approve": false, "reason": "非履职活动"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.username = 'deputy'")
            .await,
        inbox + 1
    );
    let mine = deputy
        .get("/api/duty/activities?state=rejected")
        .await
        .json();
    assert_eq!(mine["items"][0]["reject_reason"], "非履职活动");
}

#[tokio::test]
async fn meetings_and_suggestions_hand_over_what_they_know() {
    let app = app_on("2026-12-01").await;
    meetings::service::demo::load(&app.ctx)
        .await
        .expect("demo meetings");
    scheme_2026(&app).await;
    // A member of the standing committee: the held meetings of the year count,
    // present or not, each linked to its meeting.
    let member = app
        .scalar("SELECT deputy_id FROM app_user WHERE username = 'member'")
        .await;
    let mut staff = app.as_user("staff").await;
    let p = points(&mut staff, member).await;
    let attended = line(&p, "出席、列席");
    assert!(attended["count"].as_i64().unwrap_or(0) > 0, "{p}");
    assert!(
        attended["occurrences"][0]["link"]
            .as_str()
            .unwrap_or("")
            .starts_with("/meetings/")
    );
    let held = app
        .scalar("SELECT COUNT(*) FROM meeting m JOIN body b ON b.id = m.body_id JOIN body_member bm ON bm.body_id = b.id AND bm.deputy_id = (SELECT deputy_id FROM app_user WHERE username = 'member') AND bm.from_date <= m.meeting_date AND (bm.to_date IS NULL OR bm.to_date >= m.meeting_date) WHERE m.state IN ('held', 'minutes_approved') AND m.meeting_date LIKE '2026-%'")
        .await;
    let leave = line(&p, "缺席")["count"].as_i64().unwrap_or(0);
    let uncounted_leave = p["uncounted"]
        .as_array()
        .map(|u| {
            u.iter()
                .filter(|o| o["type_name"] == "请假未出席会议")
                .count() as i64
        })
        .unwrap_or(0);
    assert_eq!(
        attended["count"].as_i64().unwrap_or(0) + leave + uncounted_leave,
        held
    );

    // A suggestion the deputy led counts once registered, not while waiting.
    let me = own_deputy(&app).await;
    let mut deputy = app.as_user("deputy").await;
    let before = line(&points(&mut deputy, me).await, "领衔提出建议")["count"]
        .as_i64()
        .unwrap_or(0);
    let r = deputy
        .post_json(
            "/api/suggestions",
            json!({"title": "关于增设公交站点的建议", "content": "内容"}),
        )
        .await;
    let s = r.json()["id"].as_i64().expect("suggestion");
    deputy
        .post_json(&format!("/api/suggestions/{s}/submit"), json!({}))
        .await;
    assert_eq!(
        line(&points(&mut deputy, me).await, "领衔提出建议")["count"],
        before
    );
    let r = staff
        .post_json(&format!("/api/suggestions/{s}/accept"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let p = points(&mut deputy, me).await;
    let l = line(&p, "领衔提出建议");
    assert_eq!(l["count"], before + 1);
    assert!(
        l["occurrences"]
            .as_array()
            .expect("occ")
            .iter()
            .any(|o| o["date"] == "2026-12-01" && o["link"] == format!("/suggestions/{s}"))
    );
}

/// The total the ranking computes in one SQL statement equals the total
/// explained line by line, for deputies with many kinds of occurrence,
/// caps reached and not, a deduction and a qualitative grade.
#[tokio::test]
async fn the_computed_total_is_the_explained_total() {
    let app = app_on("2026-12-01").await;
    meetings::service::demo::load(&app.ctx)
        .await
        .expect("demo meetings");
    scheme_2026(&app).await;
    let mut staff = app.as_user("staff").await;
    let county = app
        .scalar("SELECT id FROM congress WHERE level = 'county'")
        .await;
    let roster: Vec<(i64, String)> = {
        let mut c = app.ctx.db.read().await.expect("conn");
        sqlx::query_as("SELECT d.id, d.name FROM deputy_mandate m JOIN deputy d ON d.id = m.deputy_id WHERE m.congress_id = $1 AND m.status = 'in_office' ORDER BY d.id LIMIT 12")
            .bind(county)
            .fetch_all(&mut c)
            .await
            .expect("roster")
    };
    let types = [
        "inspection",
        "training",
        "contact_voters",
        "practical_matter",
        "session_attend",
        "lecture",
    ];
    // A fixed pseudo-random spread: deputy k gets (k * 7 + t * 3) % 6 of type t.
    for (k, (_, name)) in roster.iter().enumerate() {
        for (t, code) in types.iter().enumerate() {
            for n in 0..((k * 7 + t * 3) % 6) {
                let day = format!("2026-{:02}-{:02}", 1 + n, 1 + t);
                let r = staff
                    .post_json(
                        "/api/duty/activities/batch",
                        json!({"type_code": code, "activity_date": day, "summary": "活动", "deputies": name}),
                    )
                    .await;
                // Names the roster holds twice are refused; the rest count.
                assert!(
                    r.status == StatusCode::OK || r.status == StatusCode::UNPROCESSABLE_ENTITY,
                    "{}",
                    r.text
                );
            }
        }
    }
    let v = app
        .scalar("SELECT MIN(id) FROM score_item WHERE qualitative = 1")
        .await;
    let r = staff
        .post_form(
            &format!("/duty/deputies/{}/grades", roster[0].0),
            &[
                ("item_id", &v.to_string()),
                ("points", "8.5"),
                ("reason", "学习积极"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let r = staff
        .post_json("/api/duty/ranking/recompute?year=2026", json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let ranking = staff
        .get("/api/duty/ranking?year=2026&per_page=200")
        .await
        .json();
    let mut graded_seen = false;
    for (id, _) in &roster {
        let explained = points(&mut staff, *id).await;
        let computed = {
            let mut c = app.ctx.db.read().await.expect("conn");
            let tenths: i64 =
                sqlx::query_scalar("SELECT points FROM score_total WHERE deputy_id = $1")
                    .bind(*id)
                    .fetch_one(&mut c)
                    .await
                    .expect("every deputy of the congress is ranked");
            duty::rules::show_points(tenths)
        };
        assert_eq!(computed, explained["total"], "deputy {id}: {explained}");
        graded_seen |= explained["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .any(|l| l["capped"] == true);
    }
    assert!(graded_seen, "some line reached its cap");
    let first = points(&mut staff, roster[0].0).await;
    let graded = line(&first, "思想政治建设");
    assert_eq!(graded["points"], "8.5");
    assert_eq!(graded["reason"], "学习积极");
    // Ranks follow the totals.
    let items = ranking["items"].as_array().expect("items");
    for w in items.windows(2) {
        let a: f64 = w[0]["points"]
            .as_str()
            .unwrap_or("0")
            .parse()
            .unwrap_or(0.0);
        let b: f64 = w[1]["points"]
            .as_str()
            .unwrap_or("0")
            .parse()
            .unwrap_or(0.0);
        assert!(a >= b);
        assert!(w[0]["rank"].as_i64() <= w[1]["rank"].as_i64());
    }
}

#[tokio::test]
async fn changing_the_scheme_recomputes_the_year() {
    let app = app_on("2026-06-10").await;
    scheme_2026(&app).await;
    let me = own_deputy(&app).await;
    let name = deputy_name(&app, me).await;
    let mut staff = app.as_user("staff").await;
    staff
        .post_json(
            "/api/duty/activities/batch",
            json!({"type_code": "training", "activity_date": "2026-05-01", "summary": "培训", "deputies": name}),
        )
        .await;
    staff
        .post_json("/api/duty/ranking/recompute?year=2026", json!({}))
        .await;
    let total = |v: &Value| -> String {
        v["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|r| r["deputy_id"] == me)
            .map(|r| r["points"].as_str().unwrap_or("").to_string())
            .unwrap_or_default()
    };
    let before = total(
        &staff
            .get("/api/duty/ranking?year=2026&per_page=200")
            .await
            .json(),
    );
    let scheme = app
        .scalar("SELECT id FROM score_scheme WHERE year = 2026")
        .await;
    let item = app
        .scalar("SELECT item_id FROM score_item_type WHERE type_code = 'training'")
        .await;
    // A type already counted by another item is refused, and the form keeps what was typed.
    let r = staff
        .post_form(
            &format!("/duty/scheme/{scheme}/items"),
            &[
                ("category", "学习"),
                ("name", "培训加分"),
                ("points", "1"),
                ("types", "training"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("已计入本办法的其他项目"));
    assert!(r.text.contains("培训加分"));
    // Removing the item takes its points off at once.
    let r = staff
        .post_form(&format!("/duty/score-items/{item}/remove"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let after = total(
        &staff
            .get("/api/duty/ranking?year=2026&per_page=200")
            .await
            .json(),
    );
    let b: f64 = before.parse().expect("before");
    let a: f64 = after.parse().expect("after");
    assert!((b - a - 2.0).abs() < 1e-9, "{before} → {after}");
    // And the training is listed as not counted.
    let mut deputy = app.as_user("deputy").await;
    let p = points(&mut deputy, me).await;
    assert!(
        p["uncounted"]
            .as_array()
            .expect("u")
            .iter()
            .any(|o| o["type_name"] == "学习培训")
    );
}

#[tokio::test]
async fn a_deputy_sees_only_their_own_record() {
    let app = app_on("2026-06-10").await;
    let other = app
        .scalar("SELECT MAX(deputy_id) FROM deputy_mandate WHERE level = 'county'")
        .await;
    let mut deputy = app.as_user("deputy").await;
    let r = deputy
        .get(&format!("/api/duty/deputies/{other}/points?year=2026"))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        deputy.get("/api/duty/ranking").await.status,
        StatusCode::FORBIDDEN
    );
    let page = deputy.get("/duty").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("登记履职活动"));
    assert!(page.text.contains("尚未制定"));
    let r = deputy.get("/duty?year=abc").await;
    assert!(r.text.contains("年份“abc”不正确"));
}
