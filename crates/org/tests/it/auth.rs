//! Login, lockout, forced password change, idle timeout, CSRF, the second
//! factor, API tokens and rate limiting, over HTTP on a real database.

use axum::http::StatusCode;
use serde_json::json;
use testkit::{DEMO_PASSWORD, TestApp};

#[tokio::test]
async fn wrong_password_is_refused_without_saying_which_part_was_wrong() {
    let app = TestApp::with_demo().await;
    let mut c = app.client();
    let r = c.login("staff", "Wrong@2026").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["message"], "用户名或密码错误");
    let r = c.login("nobody", "Wrong@2026").await;
    assert_eq!(r.json()["message"], "用户名或密码错误");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM login_log WHERE outcome = 'bad_password'")
            .await,
        1
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM login_log WHERE outcome = 'unknown_user'")
            .await,
        1
    );
}

#[tokio::test]
async fn five_failures_lock_the_account_for_fifteen_minutes() {
    let app = TestApp::with_demo().await;
    let mut c = app.client();
    for i in 1..=4 {
        let r = c.login("staff", "Wrong@2026").await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "attempt {i}");
    }
    // The fifth failure locks the account, but the answer is that of any
    // wrong password: nothing tells a prober the account exists.
    let r = c.login("staff", "Wrong@2026").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["message"], "用户名或密码错误");
    let r = c.login("staff", "Wrong@2026").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "locked, wrong password");
    assert_eq!(r.json()["message"], "用户名或密码错误");
    let unknown = c.login("nobody-here", "Wrong@2026").await;
    assert_eq!(
        (unknown.status, unknown.json()["message"].clone()),
        (r.status, r.json()["message"].clone())
    );
    // The lock is explained only to whoever gives the right password.
    let r = c.login("staff", DEMO_PASSWORD).await;
    assert_eq!(r.status, StatusCode::LOCKED);
    assert_eq!(r.code(), "account_locked");
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap_or("")
            .contains("15 分钟")
    );
    // The lock is audited; the administrator unlocks.
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'auth.lock'")
            .await,
        1
    );
    let mut admin = app.as_user("admin").await;
    let id = app
        .scalar("SELECT id FROM app_user WHERE username = 'staff'")
        .await;
    let r = admin
        .post_json(&format!("/api/users/{id}/unlock"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(c.login("staff", DEMO_PASSWORD).await.status, StatusCode::OK);
}

#[tokio::test]
async fn lock_expires_after_the_configured_time() {
    let app = TestApp::with_demo().await;
    let mut c = app.client();
    for _ in 0..5 {
        c.login("leader", "Wrong@2026").await;
    }
    assert_eq!(
        c.login("leader", DEMO_PASSWORD).await.status,
        StatusCode::LOCKED
    );
    // Sixteen minutes later (moved back in the database rather than waiting).
    let past = kernel::time::now_ms() - 1000;
    app.exec(&format!(
        "UPDATE app_user SET locked_until = {past} WHERE username = 'leader'"
    ))
    .await;
    assert_eq!(
        c.login("leader", DEMO_PASSWORD).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn new_administrator_must_change_the_password_first() {
    let app = TestApp::new().await;
    org::service::users::create_admin(&app.ctx, "root", "管理员", "Initial#2026")
        .await
        .expect("admin");
    let mut c = app.client();
    let r = c.login("root", "Initial#2026").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["must_change_password"], true);
    // Pages send the account to the password page; the API refuses with a code.
    let r = c.get("/").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/account/password");
    let r = c.get("/api/users").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.code(), "password_change_required");
    // The policy is checked with field messages.
    let r = c
        .post_form(
            "/account/password",
            &[
                ("current_password", "Initial#2026"),
                ("new_password", "short"),
                ("confirm_password", "short"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("密码至少 8 位"));
    let r = c
        .post_form(
            "/account/password",
            &[
                ("current_password", "Initial#2026"),
                ("new_password", "Root-2026x"),
                ("confirm_password", "Root-2026x"),
            ],
        )
        .await;
    assert!(r.text.contains("不能包含用户名"), "{}", r.text);
    let r = c
        .post_form(
            "/account/password",
            &[
                ("current_password", "Initial#2026"),
                ("new_password", "Better#2026"),
                ("confirm_password", "Better#2026"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(c.get("/").await.status, StatusCode::OK);
    assert_eq!(c.get("/api/users").await.status, StatusCode::OK);
}

#[tokio::test]
async fn idle_sessions_end() {
    let app = TestApp::with_demo().await;
    let mut c = app.as_user("staff").await;
    assert_eq!(c.get("/api/session").await.status, StatusCode::OK);
    let past = kernel::time::now_ms() - 31 * 60_000;
    app.exec(&format!("UPDATE user_session SET last_seen_at = {past}"))
        .await;
    let r = c.get("/api/session").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM user_session").await,
        0,
        "the idle session is deleted"
    );
    // A page asks for login again.
    let r = c.get("/deputies").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login"));
}

#[tokio::test]
async fn state_changes_without_the_csrf_token_are_refused() {
    let app = TestApp::with_demo().await;
    let mut c = app.as_user("staff").await;
    let before = app.audit_count().await;
    let body = json!({"code": "522921999", "name": "测试镇"})
        .to_string()
        .into_bytes();
    let r = c
        .send(
            "POST",
            "/api/regions",
            Some(("application/json", body.clone())),
            false,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A form without the token, too.
    let mut no_token = c.clone();
    no_token.csrf = Some("forged".into());
    let r = no_token
        .post_form("/regions", &[("code", "522921999"), ("name", "测试镇")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A page elsewhere posting with the user's cookie.
    let mut cross = c.clone();
    cross.origin = Some("http://evil.example".into());
    let r = cross
        .send(
            "POST",
            "/api/regions",
            Some(("application/json", body)),
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.audit_count().await, before, "nothing happened");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM region WHERE code = '522921999'")
            .await,
        0
    );
    // With the token it works.
    let r = c
        .post_json(
            "/api/regions",
            json!({"code": "522921999", "name": "测试镇"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}

#[tokio::test]
async fn second_factor_enrolment_and_login() {
    let app = TestApp::with_demo().await;
    let mut c = app.as_user("staff").await;
    let r = c.post_form("/account/totp", &[]).await;
    assert_eq!(r.status, StatusCode::OK);
    let secret = r
        .text
        .split("class=\"secret mono\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("secret shown")
        .to_string();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("time")
        .as_secs();
    let bad = c
        .post_form("/account/totp/confirm", &[("code", "000000")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let code = crypto::totp::code_at(&secret, now).expect("code");
    let r = c
        .post_form("/account/totp/confirm", &[("code", &code)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    // Next login stops at the second factor.
    let mut c2 = app.client();
    let r = c2.login("staff", DEMO_PASSWORD).await;
    assert_eq!(r.json()["stage"], "totp");
    let r = c2.get("/deputies").await;
    assert_eq!(r.location(), "/login/totp");
    let r = c2.get("/api/deputies").await;
    assert_eq!(r.code(), "second_factor_required");
    let r = c2.post_form("/login/totp", &[("code", "123456")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let code = crypto::totp::code_at(&secret, now).expect("code");
    let r = c2.post_form("/login/totp", &[("code", &code)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(c2.get("/api/deputies").await.status, StatusCode::OK);
}

#[tokio::test]
async fn administrators_can_require_a_second_factor_for_staff() {
    let app = TestApp::with_demo().await;
    let mut admin = app.as_user("admin").await;
    let r = admin
        .put_json("/api/settings", json!({"require_totp_for_staff": 1}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let mut c = app.client();
    let r = c.login("staff", DEMO_PASSWORD).await;
    assert_eq!(r.json()["stage"], "totp_setup");
    assert_eq!(c.get("/").await.location(), "/account/totp");
    // Deputies are not staff-side.
    let mut d = app.client();
    assert_eq!(
        d.login("deputy", DEMO_PASSWORD).await.json()["stage"],
        "full"
    );
}

#[tokio::test]
async fn api_tokens_are_shown_once_scoped_and_revocable() {
    let app = TestApp::with_demo().await;
    let mut admin = app.as_user("admin").await;
    let county = app
        .scalar("SELECT id FROM congress WHERE level = 'county'")
        .await;
    // An unknown data scope is refused by name (schemathesis found it answered 500).
    let r = admin
        .post_json(
            "/api/tokens",
            json!({"name": "x", "role": "admin", "data_scope": "False", "congress_id": -3, "unit_id": -5}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(r.json()["fields"][0]["field"], "data_scope");
    let r = admin
        .post_json(
            "/api/tokens",
            json!({"name": "热线对接", "role": "staff", "congress_id": county}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let token = r.json()["token"].as_str().expect("token").to_string();
    let id = r.json()["id"].as_i64().expect("id");
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM api_token WHERE token_hash = '{token}'"
        ))
        .await,
        0,
        "stored hashed"
    );
    let mut t = app.client();
    t.bearer = Some(token.clone());
    let r = t.get("/api/deputies?per_page=5").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.json()["total"].as_i64().unwrap_or(0) > 100);
    // Staff may not manage accounts, token or not.
    assert_eq!(t.get("/api/users").await.status, StatusCode::FORBIDDEN);
    // Token writes need no CSRF token and are audited under the token's name.
    let r = t
        .send(
            "POST",
            "/api/regions",
            Some((
                "application/json",
                json!({"code": "522921998", "name": "接口镇"})
                    .to_string()
                    .into_bytes(),
            )),
            false,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM audit_log WHERE actor_name LIKE 'token:%' AND action = 'region.create'").await, 1);
    let r = admin
        .post_json(&format!("/api/tokens/{id}/revoke"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = t.get("/api/deputies").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.code(), "unauthenticated");
    t.bearer = Some("rdt_forged".into());
    assert_eq!(
        t.get("/api/deputies").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn login_attempts_are_rate_limited_per_address() {
    let app = TestApp::with_demo().await;
    let mut admin = app.as_user("admin").await;
    let r = admin
        .put_json("/api/settings", json!({"login_attempts_per_ip": 5}))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    // The settings cache lives up to five seconds per instance; this test's instance is fresh.
    let fresh = server::app(webkit::AppState::new(app.ctx.clone()));
    let mut c = app.client();
    c.router = fresh.clone();
    // Successful logins from one address (offices behind one NAT) do not count.
    for _ in 0..8 {
        let mut ok = app.client();
        ok.router = fresh.clone();
        assert_eq!(ok.login("deputy", "Demo@2026").await.status, StatusCode::OK);
    }
    let mut last = None;
    for i in 0..8 {
        let r = c.login(&format!("nobody{i}"), "x").await;
        last = Some(r);
    }
    let last = last.expect("attempts");
    assert_eq!(last.status, StatusCode::TOO_MANY_REQUESTS);
    // The message says when to retry: the window is five minutes.
    let msg = last.json()["message"].as_str().unwrap_or("").to_string();
    assert!(msg.contains("5 分钟后再试"), "{msg}");
    // Refusals while blocked do not extend the block: only the five
    // failures before it count.
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM login_log WHERE outcome = 'rate_limited'")
            .await,
        3
    );
    let mut conn = app.ctx.db.read().await.expect("conn");
    let ip: String =
        sqlx::query_scalar("SELECT ip FROM login_log WHERE outcome = 'rate_limited' LIMIT 1")
            .fetch_one(&mut conn)
            .await
            .expect("ip");
    let counted = app::store::login_log::failures_from_ip_since(&mut conn, &ip, 0)
        .await
        .expect("count");
    assert_eq!(counted, 5);
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = TestApp::with_demo().await;
    let mut c = app.as_user("staff").await;
    let r = c.post_form("/logout", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM user_session").await, 0);
    assert_eq!(c.get("/api/session").await.status, StatusCode::UNAUTHORIZED);
}
