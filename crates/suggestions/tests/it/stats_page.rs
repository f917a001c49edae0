//! The statistics page opens on the congress's latest session; every session
//! is one explicit choice away, in the page and in its export. A unit's people
//! see the sessions of the congress their unit answers to.

use axum::http::StatusCode;
use testkit::{Client, TestApp};

/// The latest session, begun by today, of the congress `congress_sql` selects.
async fn latest_session(app: &TestApp, congress_sql: &str) -> i64 {
    let today = kernel::time::today().to_string();
    app.scalar(&format!(
        "SELECT s.id FROM congress_session s JOIN term t ON t.id = s.term_id
         WHERE t.congress_id = ({congress_sql}) AND s.start_date <= '{today}'
         ORDER BY s.start_date DESC LIMIT 1"
    ))
    .await
}

/// Opens the statistics page with no session chosen and checks which one is selected.
async fn opens_on(c: &mut Client, session: i64) {
    let r = c.get("/stats").await;
    assert_eq!(r.status, StatusCode::OK);
    let selected = format!("<option value=\"{session}\" selected>");
    assert!(r.text.contains(&selected), "{}", r.text);
}

#[tokio::test]
async fn the_statistics_page_opens_on_the_latest_session() {
    let app = TestApp::with_demo().await;
    let mut staff = app.as_user("staff").await;
    let latest = latest_session(
        &app,
        "SELECT congress_id FROM app_user WHERE username = 'staff'",
    )
    .await;
    opens_on(&mut staff, latest).await;
    let r = staff.get("/stats").await;
    assert!(r.text.contains(&format!("session_id={latest}\"")));

    let r = staff.get("/stats?dimension=category&session_id=all").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.text
            .contains("<option value=\"all\" selected>全部会议</option>")
    );
    assert!(r.text.contains("session_id=all\""));

    // A unit's people see the sessions of the congress their unit answers to.
    let unit_latest = latest_session(
        &app,
        "SELECT n.congress_id FROM unit n JOIN app_user a ON a.unit_id = n.id WHERE a.username = 'handler'",
    )
    .await;
    let mut handler = app.as_user("handler").await;
    opens_on(&mut handler, unit_latest).await;

    let r = staff.get("/stats?session_id=abc").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("不是有效的会议"), "{}", r.text);

    let r = staff
        .get(&format!("/stats/export?dimension=unit&session_id={latest}"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = staff
        .get("/stats/export?dimension=unit&session_id=all")
        .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn reports_over_every_session_take_turns() {
    let app = TestApp::with_demo().await;
    let short = std::time::Duration::from_millis(50);
    let first = app.ctx.heavy_report(short).await.expect("first turn");
    let second = app.ctx.heavy_report(short).await;
    match second {
        Err(app::Error::Conflict(m)) => assert!(m.contains("请稍后再试"), "{m}"),
        other => panic!("expected to wait for the turn: {:?}", other.map(|_| ())),
    }
    drop(first);
    assert!(app.ctx.heavy_report(short).await.is_ok());
    // One session's figures do not wait for a turn.
    let _held = app.ctx.heavy_report(short).await.expect("turn");
    let mut staff = app.as_user("staff").await;
    let r = staff.get("/stats").await;
    assert_eq!(r.status, StatusCode::OK);
}
