//! Accounts for many deputies at once: the administrator ticks deputies in
//! office without an account; each gets a username from the pinyin of the
//! name and a temporary password shown once on a printable sheet, changed at
//! the first login. All or none, audited. The account form links a deputy
//! picked by name.

use axum::http::StatusCode;
use testkit::TestApp;

fn cell_after<'a>(text: &'a str, marker: &str) -> &'a str {
    let i = text.find(marker).expect("marker") + marker.len();
    let rest = &text[i..];
    &rest[..rest.find('<').expect("end of cell")]
}

#[tokio::test]
async fn an_administrator_opens_accounts_for_the_ticked_deputies() {
    let app = TestApp::with_demo().await;
    let mut admin = app.as_user("admin").await;
    let without = app
        .scalar("SELECT COUNT(DISTINCT m.deputy_id) FROM deputy_mandate m WHERE m.status = 'in_office' AND NOT EXISTS (SELECT 1 FROM app_user u WHERE u.deputy_id = m.deputy_id)")
        .await;
    assert!(without > 2, "the demo has deputies without accounts");
    let page = admin.get("/admin/deputy-accounts").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(page.text.contains("全选本页"), "{}", page.text);
    assert!(page.text.contains("data-confirm-count"), "{}", page.text);
    // Others may not.
    let mut staff = app.as_user("staff").await;
    assert_eq!(
        staff.get("/admin/deputy-accounts").await.status,
        StatusCode::FORBIDDEN
    );
    let pick = |n: i64| {
        format!(
            "SELECT deputy_id FROM (SELECT DISTINCT m.deputy_id FROM deputy_mandate m WHERE m.status = 'in_office' AND NOT EXISTS (SELECT 1 FROM app_user u WHERE u.deputy_id = m.deputy_id) ORDER BY m.deputy_id LIMIT 1 OFFSET {n}) x"
        )
    };
    let a = app.scalar(&pick(0)).await;
    let b = app.scalar(&pick(1)).await;
    let has_account = app
        .scalar("SELECT deputy_id FROM app_user WHERE username = 'deputy'")
        .await;
    // None ticked, or one that already has an account: refused, nothing made.
    let users = app.scalar("SELECT COUNT(*) FROM app_user").await;
    let r = admin.post_form("/admin/deputy-accounts", &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("请先在列表中勾选"), "{}", r.text);
    let r = admin
        .post_form(
            "/admin/deputy-accounts",
            &[("ids", &a.to_string()), ("ids", &has_account.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.text.contains("已有账号"), "{}", r.text);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM app_user").await, users);
    // Two ticked: two accounts, a sheet not cached, an audit record each.
    let audit = app.audit_count().await;
    let r = admin
        .post_form(
            "/admin/deputy-accounts",
            &[("ids", &a.to_string()), ("ids", &b.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.text.contains("已开通 2 个代表账号"), "{}", r.text);
    assert!(r.text.contains("代表账号开通单"), "{}", r.text);
    assert!(r.text.contains("data-print"), "{}", r.text);
    assert_eq!(
        r.headers.get("cache-control").and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM app_user").await, users + 2);
    assert_eq!(app.audit_count().await, audit + 2);
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM app_user WHERE deputy_id IN ({a}, {b}) AND role = 'deputy' AND must_change_password = 1"
        ))
        .await,
        2
    );
    // The first line of the sheet signs in, and must change the password first.
    let username = cell_after(&r.text, r#"<td class="mono">"#).to_string();
    let password = cell_after(&r.text, r#"<td class="mono secret">"#).to_string();
    assert!(
        username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()),
        "{username}"
    );
    let mut d = app.client();
    let r = d.login(&username, &password).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["must_change_password"], true);
    let r = d.get("/suggestions").await;
    assert_eq!(r.location(), "/account/password");
    // They no longer appear among those without an account.
    let page = admin.get("/admin/deputy-accounts?q=").await;
    assert!(
        !page.text.contains(&format!(r#"name="ids" value="{a}""#)),
        "{}",
        page.text
    );
}

#[tokio::test]
async fn the_account_form_links_a_deputy_picked_by_name() {
    let app = TestApp::with_demo().await;
    let mut admin = app.as_user("admin").await;
    let page = admin.get("/admin/users/new").await;
    assert!(
        page.text.contains(r#"data-pick="/deputies/pick""#),
        "{}",
        page.text
    );
    assert!(
        !page.text.contains("代表详情页地址中的数字"),
        "{}",
        page.text
    );
    let name = {
        let id = app
            .scalar("SELECT deputy_id FROM app_user WHERE username = 'deputy'")
            .await;
        let r = admin.get(&format!("/api/deputies/{id}")).await;
        r.json()["name"].as_str().unwrap_or("").to_string()
    };
    let r = admin
        .get(&format!("/deputies/pick?q={}", testkit::enc(&name)))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let list = r.json();
    let first = &list.as_array().expect("a list")[0];
    let label = first["label"].as_str().unwrap_or("");
    assert!(label.starts_with(&name), "{label}");
    assert!(label.contains("已有账号"), "{label}");
    // The form of the linked account names the deputy, not a number.
    let user = app
        .scalar("SELECT id FROM app_user WHERE username = 'deputy'")
        .await;
    let page = admin.get(&format!("/admin/users/{user}")).await;
    assert!(
        page.text.contains(&format!(r#"value="{name}（"#)),
        "{}",
        page.text
    );
}

#[tokio::test]
async fn the_account_form_shows_the_fields_of_the_chosen_role() {
    let app = TestApp::with_demo().await;
    let mut admin = app.as_user("admin").await;
    // Before a role is chosen, no role's links show.
    let page = admin.get("/admin/users/new").await;
    for roles in ["staff,congress_leader", "unit_handler,unit_head", "deputy"] {
        assert!(
            page.text
                .contains(&format!(r#"data-show-when="role={roles}" hidden"#)),
            "{roles}: {}",
            page.text
        );
    }
    // A unit handler without a unit: the unit field shows, marked required,
    // with its message; the deputy and congress fields stay hidden.
    let r = admin
        .post_form(
            "/admin/users",
            &[
                ("username", "jiaotong2"),
                ("display_name", "王经办"),
                ("role", "unit_handler"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(
        r.text
            .contains(r#"data-show-when="role=unit_handler,unit_head" class="field invalid""#),
        "{}",
        r.text
    );
    assert!(r.text.contains("请选择所属承办单位"));
    assert!(r.text.contains(r#"data-show-when="role=deputy" hidden"#));
    assert!(
        r.text
            .contains(r#"data-show-when="role=staff,congress_leader" hidden"#)
    );
    assert!(r.text.contains(r#"所属承办单位<span class="req">*</span>"#));
}
