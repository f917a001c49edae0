//! The demo's suggestions cover every state of the closed loop (the demo
//! loader writes their history on a context set to each step's day).

use testkit::TestApp;

#[tokio::test]
async fn demo_suggestions_reach_every_state_and_keep_the_audit_chain() {
    let app = TestApp::with_demo().await;
    let n = suggestions::service::demo::load(&app.ctx, 60)
        .await
        .expect("demo suggestions");
    assert_eq!(n, 60);
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
    assert!(db::audit::verify(&mut c).await.expect("verify").is_ok());
}
