//! The whole loop with a test-only kind whose rules differ from a
//! suggestion's: the reply is due in working days, nobody signs it off, a
//! voter without an account rates the result only, and re-handling is
//! counted in working days too. Nothing here is a suggestion.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use app::notify::Batch;
use app::{Actor, Ctx};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use engine::kind::{Kind, Kinds};
use engine::rules::{
    Cite, ContactRule, DeadlineRule, Evaluator, ExtensionRule, ItemState, KindRules, Period,
    PeriodRule, PeriodSource, Permissions, RehandlingRule, Scale, SignoffChain,
};
use engine::service::assign::{AssignInput, Clock, Subject, UnitPart, open, plan};
use engine::service::evaluate::{EvaluationInput, FulfilInput, evaluate, fulfil};
use engine::service::handle::{
    CommitmentInput, ContactInput, OpinionInput, ReplyInput, add_contact, send_opinion,
    submit_reply,
};
use engine::store::ItemRow;
use futures_util::future::BoxFuture;
use kernel::calendar::parse_date;
use kernel::roles::{DataScope, Permission, Role};
use testkit::TestApp;
use webkit::AppState;
use webkit::auth::Session;
use webkit::error::AppResult;

static CLOSED: AtomicUsize = AtomicUsize::new(0);

const RULES: KindRules = KindRules {
    kind: "test_request",
    noun: "诉求",
    proposer_noun: "群众",
    reply: DeadlineRule {
        period: PeriodSource::Fixed(Period::WorkingDays(15)),
        cite: Cite::Law("测试办法 第一条"),
        label: "十五个工作日内答复",
    },
    complex_reply: None,
    return_window: PeriodRule {
        period: PeriodSource::Fixed(Period::WorkingDays(3)),
        cite: Cite::Law("测试办法 第五条"),
    },
    opinion: PeriodRule {
        period: PeriodSource::Fixed(Period::WorkingDays(5)),
        cite: Cite::Law("测试办法 第六条"),
    },
    extension: Some(ExtensionRule {
        max: 5,
        cite: Cite::Law("测试办法 第二条"),
    }),
    signoff: SignoffChain::None,
    contact_before_reply: Some(ContactRule {
        with: "来访群众",
        cite: Cite::Law("测试办法 第三条"),
    }),
    evaluator: Evaluator::Proposer,
    scale: Scale::Result,
    rehandling: Some(RehandlingRule {
        period: PeriodSource::Fixed(Period::WorkingDays(10)),
        cite: Cite::Law("测试办法 第四条"),
    }),
    result_categories: None,
    permissions: Permissions {
        manage: Permission::ManageOptions,
        handle: Permission::HandleItems,
        sign_off: Permission::SignOffReplies,
        evaluate: None,
    },
};

/// A voter's request passed to units, as a later capability would define it.
struct TestRequest;

impl Kind for TestRequest {
    fn rules(&self) -> &'static KindRules {
        &RULES
    }

    /// The voter has no account: the capability's channel (a tracking code)
    /// vouches for them and acts as `voter:{id}`.
    fn is_proposer(&self, actor: &Actor, item: &ItemRow) -> bool {
        item.proposer_kind == "voter"
            && item
                .proposer_id
                .is_some_and(|id| actor.username == format!("voter:{id}"))
    }

    fn on_close<'a>(
        &'a self,
        _tx: &'a mut db::Tx,
        _item: &'a ItemRow,
    ) -> BoxFuture<'a, app::Result<()>> {
        CLOSED.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok(()) })
    }

    fn page<'a>(
        &'a self,
        _st: &'a AppState,
        _s: &'a Session,
        _actor: &'a Actor,
        _item: &'a ItemRow,
        kept: webkit::extract::Kept,
        status: StatusCode,
    ) -> BoxFuture<'a, AppResult<Response>> {
        Box::pin(async move { Ok((status, kept.message).into_response()) })
    }
}

fn actor(username: &str, role: Role, unit_id: Option<i64>) -> Actor {
    Actor {
        user_id: None,
        username: username.into(),
        display_name: username.into(),
        role,
        scope: if role == Role::Staff {
            DataScope::All
        } else {
            DataScope::Org
        },
        congress_id: None,
        unit_id,
        deputy_id: None,
        ip: "test".into(),
        token_id: None,
        is_demo: false,
    }
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    app.scalar(sql).await
}

#[tokio::test]
async fn a_request_runs_the_whole_loop_under_its_own_rules() {
    let app = TestApp::with_demo().await;
    let ctx: Ctx = app
        .ctx
        .clone()
        .with(Kinds::new(vec![Arc::new(TestRequest)]));
    let county = scalar(&app, "SELECT id FROM congress WHERE level = 'county'").await;
    let lead = scalar(&app, "SELECT id FROM unit WHERE name = '县交通运输局'").await;
    let assisting = scalar(&app, "SELECT id FROM unit WHERE name = '县教育局'").await;
    let staff = actor("staff-test", Role::Staff, None);
    let handler = actor("lead-handler", Role::UnitHandler, Some(lead));
    let other = actor("assisting-handler", Role::UnitHandler, Some(assisting));
    let voter = actor("voter:42", Role::Deputy, None);
    let stranger = actor("voter:43", Role::Deputy, None);

    // Assigned to two units: the lead's reply is due in 15 working days, the
    // assisting unit's opinion in 5 (both the kind's own periods).
    let settings = ctx.settings().await.expect("settings");
    let cal = ctx.calendar().await.expect("calendar");
    let today = kernel::time::today();
    let input = AssignInput {
        units: vec![
            UnitPart {
                unit_id: Some(lead),
                role: "lead".into(),
            },
            UnitPart {
                unit_id: Some(assisting),
                role: "assisting".into(),
            },
        ],
        ..Default::default()
    };
    let mut tx = ctx.db.begin().await.expect("tx");
    let p = plan(&mut tx, &RULES, county, &input).await.expect("plan");
    let complex = AssignInput {
        complexity: "complex".into(),
        ..input.clone()
    };
    assert!(
        plan(&mut tx, &RULES, county, &complex).await.is_err(),
        "the kind has no longer deadline to choose"
    );
    let mut notices = Batch::default();
    let (item_id, names) = open(
        &mut tx,
        &staff,
        &TestRequest,
        &Clock {
            cal: &cal,
            settings: &settings,
            today,
        },
        &Subject {
            id: 7,
            congress_id: county,
            title: "门前路灯不亮",
            link: "/requests/7".into(),
            proposer_kind: "voter",
            proposer_id: Some(42),
        },
        &p,
        &mut notices,
    )
    .await
    .expect("open");
    notices
        .send(&mut tx, |_| "/work".into())
        .await
        .expect("notices");
    tx.commit().await.expect("commit");
    assert_eq!(names, ["县交通运输局（主办）", "县教育局（协办）"]);

    let view = engine::service::view::item(&ctx, &staff, item_id)
        .await
        .expect("view");
    assert_eq!(view.item.kind, "test_request");
    assert_eq!(view.item.link, "/requests/7");
    assert_eq!(view.item.proposer_kind, "voter");
    let due = |role: &str| {
        view.assignments
            .iter()
            .find(|a| a.a.role == role)
            .map(|a| parse_date(&a.a.due_date).expect("date"))
            .expect("assignment")
    };
    assert_eq!(
        due("lead"),
        cal.add_working_days(today, 15).expect("due").due
    );
    assert_eq!(
        due("assisting"),
        cal.add_working_days(today, 5).expect("due").due
    );
    let lead_a = view
        .assignments
        .iter()
        .find(|a| a.a.role == "lead")
        .map(|a| a.a.id)
        .expect("lead");
    let assisting_a = view
        .assignments
        .iter()
        .find(|a| a.a.role == "assisting")
        .map(|a| a.a.id)
        .expect("assisting");
    // A voter who is not the proposer cannot even see it.
    assert!(
        engine::service::view::item(&ctx, &stranger, item_id)
            .await
            .is_err()
    );

    // The reply needs a contact with the proposer first (the kind's rule and its words).
    let reply = |text: &str, commitments: Vec<CommitmentInput>| ReplyInput {
        text: text.into(),
        result_category: String::new(),
        commitments,
    };
    let e = submit_reply(&ctx, &handler, lead_a, &reply("已安排维修。", vec![]))
        .await
        .expect_err("no contact yet");
    assert_eq!(
        e.message(),
        "答复前须至少与来访群众沟通一次（测试办法第三条），请先登记沟通情况"
    );
    let contact = ContactInput {
        stage: "before".into(),
        method: "phone".into(),
        contact_date: today.to_string(),
        participants: "来访群众、承办人".into(),
        summary: "了解路灯位置".into(),
        with_proposer: true,
    };
    add_contact(&ctx, &handler, lead_a, &contact)
        .await
        .expect("contact");
    assert!(
        add_contact(&ctx, &handler, assisting_a, &contact)
            .await
            .is_err(),
        "a unit acts only on its own assignment"
    );
    // The lead unit's reply waits for the assisting unit's opinion.
    let e = submit_reply(&ctx, &handler, lead_a, &reply("已安排维修。", vec![]))
        .await
        .expect_err("opinion outstanding");
    assert!(
        e.message()
            .starts_with("协办单位的意见尚未报送：县教育局（"),
        "{}",
        e.message()
    );
    send_opinion(
        &ctx,
        &other,
        assisting_a,
        &OpinionInput {
            text: "路灯属城管部门维护，建议协调。".into(),
        },
    )
    .await
    .expect("opinion");

    // Without a sign-off chain the submitted reply is sent at once.
    submit_reply(
        &ctx,
        &handler,
        lead_a,
        &reply("已安排维修，三日内修复。", vec![]),
    )
    .await
    .expect("reply");
    let state = |ctx: Ctx| async move {
        engine::service::view::item(&ctx, &actor("staff-test", Role::Staff, None), item_id)
            .await
            .expect("view")
            .item
            .state
    };
    assert_eq!(state(ctx.clone()).await, ItemState::Replied.code());

    // The voter rates the result only; 不满意 without a reason is refused with the kind's citation.
    let rating = |result: &str, comment: &str| EvaluationInput {
        attitude: String::new(),
        result: result.into(),
        comment: comment.into(),
    };
    let e = evaluate(&ctx, &voter, item_id, &rating("dissatisfied", ""))
        .await
        .expect_err("no reason");
    assert_eq!(e.message(), "不满意时请写明理由（测试办法第四条）");
    assert!(
        evaluate(&ctx, &stranger, item_id, &rating("satisfied", ""))
            .await
            .is_err()
    );
    let next = evaluate(
        &ctx,
        &voter,
        item_id,
        &rating("dissatisfied", "路灯仍然不亮"),
    )
    .await
    .expect("evaluate");
    assert_eq!(next, ItemState::Handling);
    // Re-handling: a second round, due in the kind's 10 working days.
    let view = engine::service::view::item(&ctx, &staff, item_id)
        .await
        .expect("view");
    assert_eq!(view.item.round, 2);
    let a = view
        .assignments
        .iter()
        .find(|a| a.a.id == lead_a)
        .expect("lead");
    assert_eq!(a.a.state, "handling");
    assert_eq!(
        parse_date(&a.a.due_date).expect("date"),
        cal.add_working_days(today, 10).expect("due").due
    );
    assert!(
        a.a.deadline_rule.starts_with("重办："),
        "{}",
        a.a.deadline_rule
    );
    assert_eq!(view.evaluations[0].e.evaluator_kind, "voter");
    assert_eq!(view.evaluations[0].e.evaluator_id, Some(42));

    // A reminder reaches the unit once; an overdue assignment escalates once,
    // with its record and audit, and links to the subject's page.
    let sent = engine::service::reminders::run(&ctx)
        .await
        .expect("reminders");
    assert_eq!((sent.reminded, sent.escalated), (1, 0));
    let again = engine::service::reminders::run(&ctx)
        .await
        .expect("reminders");
    assert_eq!((again.reminded, again.escalated), (0, 0));
    app.exec(&format!(
        "UPDATE assignment SET due_date = '2026-01-05' WHERE id = {lead_a}"
    ))
    .await;
    let sent = engine::service::reminders::run(&ctx)
        .await
        .expect("reminders");
    assert_eq!(sent.escalated, 1);
    assert_eq!(
        scalar(
            &app,
            &format!(
                "SELECT COUNT(*) FROM item_event WHERE item_id = {item_id} AND action = '超期督办'"
            )
        )
        .await,
        1
    );
    assert_eq!(
        scalar(&app, &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'assignment.overdue' AND entity_id = '{lead_a}'")).await,
        1
    );
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM notification WHERE link = '/requests/7' AND title = '事项已超期'").await,
        scalar(&app, &format!("SELECT COUNT(*) FROM app_user WHERE unit_id = {lead} OR (role IN ('staff', 'congress_leader') AND congress_id = {county}) OR id = (SELECT leader_user_id FROM unit WHERE id = {lead})")).await,
        "the unit's people, the congress's staff and leaders and the government leader hear of it"
    );

    // The second reply carries a commitment: satisfied, the item follows it up,
    // and closes when it is kept (the kind's close hook runs once).
    let soon = cal
        .add_working_days(today, 20)
        .expect("date")
        .due
        .to_string();
    submit_reply(
        &ctx,
        &handler,
        lead_a,
        &reply(
            "已更换灯具并纳入巡查。",
            vec![CommitmentInput {
                text: "每月巡查一次".into(),
                due_date: soon,
            }],
        ),
    )
    .await
    .expect("second reply");
    let next = evaluate(&ctx, &voter, item_id, &rating("satisfied", ""))
        .await
        .expect("evaluate");
    assert_eq!(next, ItemState::FollowUp);
    let commitment = scalar(
        &app,
        &format!("SELECT MAX(id) FROM item_commitment WHERE item_id = {item_id}"),
    )
    .await;
    let before = CLOSED.load(Ordering::SeqCst);
    let closed = fulfil(
        &ctx,
        &handler,
        commitment,
        &FulfilInput {
            evidence: "巡查记录已上传".into(),
        },
    )
    .await
    .expect("fulfil");
    assert_eq!(closed, ItemState::Closed);
    assert_eq!(CLOSED.load(Ordering::SeqCst), before + 1);
    let steps: Vec<String> = engine::service::view::item(&ctx, &staff, item_id)
        .await
        .expect("view")
        .events
        .into_iter()
        .map(|e| e.action)
        .collect();
    for step in [
        "交办",
        "办前沟通",
        "报送协办意见",
        "提交答复",
        "群众测评",
        "进入重办",
        "超期督办",
        "承诺落实",
        "办结",
    ] {
        assert!(
            steps.iter().any(|s| s == step),
            "{step} missing from {steps:?}"
        );
    }
    assert!(
        !steps.iter().any(|s| s.contains("签")),
        "no sign-off for this kind: {steps:?}"
    );
    // The whole history verifies.
    let mut c = ctx.db.read().await.expect("conn");
    assert!(
        db::audit::verify(&mut c, &ctx.key.chain_key(), &[])
            .await
            .expect("verify")
            .is_ok()
    );
}
