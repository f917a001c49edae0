//! The list as a government console: filters by session, submission date,
//! unit and lead deputy, sortable columns, a page size, a reset, and each
//! row's next step.

use axum::http::StatusCode;
use testkit::TestApp;

/// The numbers of the rows, in the order shown.
fn numbers(page: &str) -> Vec<i64> {
    page.split(r#"<td data-label="编号" class="num">第 "#)
        .skip(1)
        .filter_map(|p| p.split(' ').next()?.parse().ok())
        .collect()
}

#[tokio::test]
async fn staff_filter_sort_and_page_the_list() {
    let app = TestApp::with_demo().await;
    suggestions::service::demo::load(&app.ctx, 60)
        .await
        .expect("demo");
    let mut staff = app.as_user("staff").await;

    // Sorted by number, ascending then descending, the filters kept in the links.
    let up = staff.get("/suggestions?sort=number&per_page=50").await;
    assert_eq!(up.status, StatusCode::OK, "{}", up.text);
    let n = numbers(&up.text);
    assert!(n.len() > 20, "a page of 50: {n:?}");
    assert!(n.windows(2).all(|w| w[0] <= w[1]), "{n:?}");
    assert!(up.text.contains("编号▲"), "{}", up.text);
    assert!(
        up.text
            .contains(r#"href="/suggestions?sort=-number&#38;per_page=50""#),
        "{}",
        up.text
    );
    let down = numbers(
        &staff
            .get("/suggestions?sort=-number&per_page=50")
            .await
            .text,
    );
    assert!(down.windows(2).all(|w| w[0] >= w[1]), "{down:?}");
    assert!(
        up.text
            .contains(r#"<option value="50" selected>50 条</option>"#)
    );
    assert!(
        up.text.contains("id=\"reset-filters\""),
        "a reset when filtered"
    );
    assert!(
        !staff
            .get("/suggestions")
            .await
            .text
            .contains("id=\"reset-filters\"")
    );

    // By unit: only what was assigned to it.
    let transport = app
        .scalar("SELECT id FROM unit WHERE name = '县交通运输局'")
        .await;
    let want = app
        .scalar(&format!(
            "SELECT COUNT(DISTINCT s.id) FROM suggestion s JOIN assignment a ON a.item_id = s.item_id
             WHERE a.unit_id = {transport} AND a.state <> 'returned' AND s.state <> 'draft'"
        ))
        .await;
    assert!(want > 0);
    let page = staff.get(&format!("/suggestions?unit={transport}")).await;
    assert!(
        page.text.contains(&format!("共 {want} 条")),
        "{}",
        page.text
    );
    // The unit picker is in pinyin order: 财政 (cai) before 交通 (jiao).
    let cai = page.text.find(">县财政局<").expect("财政局");
    let jiao = page.text.find(">县交通运输局<").expect("交通运输局");
    assert!(cai < jiao);

    // By lead deputy's name, by session, by submission date.
    let name: String = {
        let mut c = app.ctx.db.read().await.expect("conn");
        sqlx::query_scalar(
            "SELECT d.name FROM suggestion s JOIN deputy d ON d.id = s.lead_deputy_id WHERE s.state <> 'draft' ORDER BY s.id LIMIT 1",
        )
        .fetch_one(&mut c)
        .await
        .expect("a name")
    };
    let want = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM suggestion s JOIN deputy d ON d.id = s.lead_deputy_id WHERE d.name = '{name}' AND s.state <> 'draft'"
        ))
        .await;
    let page = staff.get(&format!("/suggestions?deputy={name}")).await;
    assert!(
        page.text.contains(&format!("共 {want} 条")),
        "{}",
        page.text
    );
    let session = app
        .scalar(
            "SELECT session_id FROM suggestion WHERE session_id IS NOT NULL ORDER BY id LIMIT 1",
        )
        .await;
    let want = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM suggestion WHERE session_id = {session} AND state <> 'draft'"
        ))
        .await;
    let page = staff.get(&format!("/suggestions?session={session}")).await;
    assert!(
        page.text.contains(&format!("共 {want} 条")),
        "{}",
        page.text
    );
    assert!(
        page.text
            .contains(&format!(r#"<option value="{session}" selected>"#))
    );
    let page = staff
        .get("/suggestions?from=2026-09-01&to=2026-09-30")
        .await;
    let want = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM suggestion WHERE state <> 'draft' AND submitted_at >= {} AND submitted_at < {}",
            kernel::time::start_of_day_ms(jiff::civil::date(2026, 9, 1)),
            kernel::time::start_of_day_ms(jiff::civil::date(2026, 10, 1))
        ))
        .await;
    assert!(want > 0, "the demo has items of September");
    assert!(
        page.text.contains(&format!("共 {want} 条")),
        "{}",
        page.text
    );

    // Each row says its next step: a submitted one is reviewed, an accepted one assigned.
    let page = staff.get("/suggestions?state=submitted").await;
    assert!(
        page.text.contains(r#"class="row-action">审核</a>"#),
        "{}",
        page.text
    );
    assert!(page.text.contains("#review\""), "{}", page.text);
    let page = staff.get("/suggestions?state=accepted").await;
    assert!(
        page.text.contains(r#"class="row-action">交办</a>"#),
        "{}",
        page.text
    );
    // A made-up order or page size is the default, not an error.
    let page = staff.get("/suggestions?sort=title;drop&per_page=7").await;
    assert_eq!(page.status, StatusCode::OK);
}
