//! Work never stops for a holiday calendar not yet published: a deadline in
//! such a year is provisional (the statutory holidays of 《全国年节及纪念日放假办法》
//! 第二条 with 第六条's make-up), marked 暂定 wherever it is shown, and computed
//! again — recorded and told — when the administrator enters the year.

use axum::http::StatusCode;
use serde_json::{Value, json};
use testkit::TestApp;

const ARRANGEMENT_2027: &str = "元旦 2027-01-01 2027-01-01\n春节 2027-02-05 2027-02-12\n清明节 2027-04-05 2027-04-05\n劳动节 2027-05-01 2027-05-05\n端午节 2027-06-09 2027-06-09\n中秋节 2027-09-15 2027-09-15\n国庆节 2027-10-01 2027-10-07";

fn at(date: &str) -> Option<i64> {
    let d = kernel::calendar::parse_date(date).expect("date");
    Some(kernel::time::start_of_day_ms(d) + 10 * 3_600_000)
}

fn lead(d: &Value) -> &Value {
    &d["item"]["assignments"][0]
}

#[tokio::test]
async fn a_deadline_in_an_unpublished_year_is_provisional_then_computed_again() {
    let mut app = TestApp::with_demo().await;
    // Assigned on 2026-11-06: three months end on 2027-02-06, a Saturday in 春节.
    app.set_now(at("2026-11-06"));
    let id = app
        .assigned_suggestion("关于改造龙潭镇农贸市场的建议", "县交通运输局")
        .await;
    let mut staff = app.as_user("staff").await;
    let d = staff.get(&format!("/api/suggestions/{id}")).await.json();
    // By the rule: 除夕 02-05 to 初三 02-08, 初一 and 初二 made up on 02-09 and 02-10.
    assert_eq!(lead(&d)["due_date"], "2027-02-11");
    assert_eq!(lead(&d)["provisional"], true);
    let rule = lead(&d)["deadline_rule"].as_str().unwrap_or("");
    assert!(
        rule.contains(
            "暂定：2027 年节假日安排尚未发布，按《全国年节及纪念日放假办法》第二条、第六条推算"
        ),
        "{rule}"
    );
    let page = staff.get(&format!("/suggestions/{id}")).await.text;
    assert!(page.contains(">暂定</span>"), "the page marks it");
    let work = staff.get("/api/queues/overdue").await;
    assert_eq!(work.status, StatusCode::OK);

    // An arrangement that leaves out 除夕 is refused, and nothing changes.
    let mut admin = app.as_user("admin").await;
    let bad = ARRANGEMENT_2027.replace("春节 2027-02-05", "春节 2027-02-06");
    let r = admin
        .post_json(
            "/api/calendar/years",
            json!({"year": 2027, "source": "测试用安排（非官方）", "rest_periods": bad}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("春节 2027-02-05"), "{}", r.text);
    let d = staff.get(&format!("/api/suggestions/{id}")).await.json();
    assert_eq!(lead(&d)["due_date"], "2027-02-11");

    // Entered (test dates, not the State Council's): 春节 runs to 02-12, so the
    // deadline moves to Monday 02-15, final now; the record says so and the
    // unit and the deputy are told.
    let before = app
        .scalar("SELECT COUNT(*) FROM notification WHERE title = '答复期限调整'")
        .await;
    assert_eq!(before, 0);
    let r = admin
        .post_json(
            "/api/calendar/years",
            json!({"year": 2027, "source": "测试用安排（非官方）", "rest_periods": ARRANGEMENT_2027}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["recomputed"], 1);
    let d = staff.get(&format!("/api/suggestions/{id}")).await.json();
    assert_eq!(lead(&d)["due_date"], "2027-02-15");
    assert_eq!(lead(&d)["provisional"], false);
    assert!(
        !lead(&d)["deadline_rule"]
            .as_str()
            .unwrap_or("")
            .contains("暂定"),
        "final now"
    );
    let steps: Vec<String> = d["item"]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter(|s| s["action"] == "期限重算")
        .map(|s| s["note"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(steps.len(), 1, "{steps:?}");
    assert!(steps[0].contains("2027-02-11 → 2027-02-15"), "{}", steps[0]);
    let told = |who: &'static str| {
        let sql = format!(
            "SELECT COUNT(*) FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.username = '{who}' AND n.title = '答复期限调整' AND n.body LIKE '%2027-02-15%'"
        );
        let app = &app;
        async move { app.scalar(&sql).await }
    };
    assert_eq!(told("handler").await, 1, "the unit");
    assert_eq!(told("deputy").await, 1, "the deputy");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'assignment.recompute'")
            .await,
        1
    );
    // Entered again as a correction, with the same days: nothing moves, nobody is told again.
    let r = admin
        .post_json(
            "/api/calendar/years",
            json!({"year": 2027, "source": "测试用安排（更正）", "rest_periods": ARRANGEMENT_2027, "replace": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["recomputed"], 0);
    assert_eq!(told("handler").await, 1);
    // Entering it again without `replace` is refused.
    let r = admin
        .post_json(
            "/api/calendar/years",
            json!({"year": 2027, "source": "重复", "rest_periods": ARRANGEMENT_2027}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_year_entered_before_the_one_preceding_it_is_taken_with_a_warning() {
    let app = TestApp::with_demo().await;
    let mut admin = app.as_user("admin").await;
    let text = ARRANGEMENT_2027.replace("2027", "2028");
    // Test dates: 2028's 春节 is 01-25 to 01-28 by the rule (除夕 01-25).
    let text = text.replace("春节 2028-02-05 2028-02-12", "春节 2028-01-25 2028-02-01");
    let text = text.replace(
        "端午节 2028-06-09 2028-06-09",
        "端午节 2028-05-28 2028-05-30",
    );
    let text = text.replace(
        "中秋节 2028-09-15 2028-09-15",
        "中秋节 2028-10-03 2028-10-03",
    );
    let text = text.replace(
        "国庆节 2028-10-01 2028-10-07",
        "国庆节 2028-10-04 2028-10-08",
    );
    let text = text.replace(
        "清明节 2028-04-05 2028-04-05",
        "清明节 2028-04-04 2028-04-04",
    );
    let r = admin
        .post_json(
            "/api/calendar/years",
            json!({"year": 2028, "source": "测试用安排（非官方）", "rest_periods": text}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("国庆节 2028-10-01"), "{}", r.text);
    let text = text.replace(
        "国庆节 2028-10-04 2028-10-08",
        "国庆节 2028-10-01 2028-10-08",
    );
    let text = text.replace("中秋节 2028-10-03 2028-10-03\n", "");
    let text = text.replace(
        "国庆节 2028-10-01 2028-10-08",
        "国庆节、中秋节 2028-10-01 2028-10-08",
    );
    let r = admin
        .post_json(
            "/api/calendar/years",
            json!({"year": 2028, "source": "测试用安排（非官方）", "rest_periods": text}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(
        r.json()["warning"]
            .as_str()
            .unwrap_or("")
            .contains("2027 年的安排尚未录入"),
        "{}",
        r.text
    );
}
