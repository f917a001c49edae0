//! The demo's suggestions cover every state of the closed loop (the demo
//! loader writes their history on a context set to each step's day).

use testkit::TestApp;

#[tokio::test]
async fn demo_suggestions_reach_every_state_and_keep_the_audit_chain() {
    let app = TestApp::with_demo().await;
    let n = suggestions::service::demo::load(&app.ctx, 60)
        .await
        .expect("demo suggestions");
    // The cycle's 60, and five that wait for the demo accounts.
    assert_eq!(n, 65);
    for state in [
        "draft",
        "submitted",
        "returned",
        "refused",
        "merged",
        "accepted",
        "assigned",
    ] {
        assert!(
            app.scalar(&format!(
                "SELECT COUNT(*) FROM suggestion WHERE state = '{state}'"
            ))
            .await
                > 0,
            "no suggestion {state}"
        );
    }
    for state in ["handling", "replied", "follow_up", "closed"] {
        assert!(
            app.scalar(&format!(
                "SELECT COUNT(*) FROM tracked_item WHERE state = '{state}'"
            ))
            .await
                > 0,
            "no item {state}"
        );
    }
    for state in [
        "awaiting_head",
        "awaiting_leader",
        "returned",
        "opinion_sent",
    ] {
        assert!(
            app.scalar(&format!(
                "SELECT COUNT(*) FROM assignment WHERE state = '{state}'"
            ))
            .await
                > 0,
            "no assignment {state}"
        );
    }
    let today = kernel::time::today().to_string();
    assert!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM assignment WHERE state = 'handling' AND due_date < '{today}'"
        ))
        .await
            > 0,
        "no overdue item"
    );
    assert!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM assignment WHERE state = 'handling' AND due_date >= '{today}'"
        ))
        .await
            > 0,
        "no item in time"
    );
    assert!(
        app.scalar("SELECT COUNT(*) FROM tracked_item WHERE round > 1")
            .await
            > 0,
        "no re-handled item"
    );
    assert!(
        app.scalar("SELECT COUNT(*) FROM suggestion WHERE key_supervision = 1")
            .await
            > 0
    );
    assert!(
        app.scalar("SELECT COUNT(*) FROM suggestion WHERE was_motion = 1")
            .await
            > 0
    );
    assert!(
        app.scalar("SELECT COUNT(*) FROM suggestion WHERE publication = 'published'")
            .await
            > 0
    );
    // The clock is real again, and the chain is intact.
    assert!(
        (kernel::time::now_ms()
            - std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .expect("t")
                .as_millis() as i64)
            .abs()
            < 5_000
    );
    let mut c = app.ctx.db.read().await.expect("conn");
    assert!(
        db::audit::verify(&mut c, &app.ctx.key.chain_key(), &[])
            .await
            .expect("verify")
            .is_ok()
    );
}

/// The figure after a label on a home page (`<b>3</b>待测评的答复`).
fn figure(home: &str, label: &str) -> i64 {
    let end = home
        .find(&format!("</b>{label}"))
        .unwrap_or_else(|| panic!("no figure {label}: {home}"));
    let start = home[..end].rfind("<b>").expect("figure start") + 3;
    home[start..end].parse().expect("a number")
}

#[tokio::test]
async fn the_demo_gives_every_role_work_waiting() {
    let app = TestApp::with_demo().await;
    suggestions::service::demo::load(&app.ctx, 60)
        .await
        .expect("demo suggestions");
    let mut deputy = app.as_user("deputy").await;
    let home = deputy.get("/").await;
    assert!(home.text.contains("提出建议"), "{}", home.text);
    assert!(figure(&home.text, "待测评的答复") > 0, "{}", home.text);
    assert!(figure(&home.text, "待确认的附议邀请") > 0, "{}", home.text);
    // The figure's list holds what the figure counts.
    let n = figure(&home.text, "待测评的答复");
    let list = deputy.get("/suggestions?state=replied&mine=lead").await;
    assert!(list.text.contains(&format!("共 {n} 条")), "{}", list.text);

    let today = kernel::time::today().to_string();
    let fresh = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM assignment a JOIN app_user u ON u.unit_id = a.unit_id
             WHERE u.username = 'handler' AND a.state = 'handling' AND a.due_date >= '{today}'
             AND a.assigned_on >= '{}'",
            kernel::time::today()
                .checked_sub(jiff::ToSpan::days(14))
                .expect("a date")
        ))
        .await;
    assert!(fresh > 0, "the handler has no fresh assignment");
    let mut handler = app.as_user("handler").await;
    assert!(figure(&handler.get("/").await.text, "本单位在办事项") > 0);

    let mut head = app.as_user("head").await;
    let home = head.get("/").await;
    assert!(figure(&home.text, "待我签发") > 0, "{}", home.text);
    let mut gov = app.as_user("govleader").await;
    let home = gov.get("/").await;
    assert!(figure(&home.text, "待我签批") > 0, "{}", home.text);
}

#[tokio::test]
async fn the_operation_log_reads_in_chinese_with_the_record_named_and_linked() {
    let app = TestApp::with_demo().await;
    suggestions::service::demo::load(&app.ctx, 20)
        .await
        .expect("demo suggestions");
    let mut admin = app.as_user("admin").await;
    let page = admin.get("/admin/audit?action=suggestion.accepted").await;
    assert_eq!(page.status, axum::http::StatusCode::OK, "{}", page.text);
    // The action by its name, in the filter and in the rows.
    assert!(
        page.text
            .contains(r#"<option value="suggestion.accepted" selected>审核通过</option>"#),
        "{}",
        page.text
    );
    assert!(page.text.contains(">审核通过</td>"), "{}", page.text);
    // The object by its number and title, linked to its page.
    let (id, number): (i64, i64) = {
        let mut c = app.ctx.db.read().await.expect("conn");
        sqlx::query_as(
            "SELECT s.id, s.number FROM suggestion s WHERE s.number IS NOT NULL AND s.id IN (SELECT CAST(entity_id AS BIGINT) FROM audit_log WHERE action = 'suggestion.accepted') ORDER BY s.id LIMIT 1",
        )
        .fetch_one(&mut c)
        .await
        .expect("an accepted suggestion")
    };
    assert!(
        page.text.contains(&format!(
            r#"<a href="/suggestions/{id}">议案建议 第 {number} 号「"#
        )),
        "{}",
        page.text
    );
    // An assignment is named by its suggestion and unit; an account by name.
    let page = admin.get("/admin/audit?entity=assignment").await;
    assert!(page.text.contains("交办 第 "), "{}", page.text);
    assert!(page.text.contains("局）</a>"), "{}", page.text);
    assert!(!page.text.contains(">item.reply<"), "{}", page.text);
}
