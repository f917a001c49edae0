//! Accounts, API tokens, settings, the audit trail and the login log.

use super::types::{AuditEntry, LoginEntry, Token, User};
use crate::service::tokens::{CreatedToken, TokenInput};
use crate::service::users::{Created as UserCreated, UserInput};
use app::store::login_log::LoginFilter;
use app::store::users::UserFilter;
use axum::extract::State;
use axum::response::Response;
use db::Page;
use db::Paged;
use db::audit::AuditFilter;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use webkit::extract::Path;

use webkit::AppState;
use webkit::api::{ApiJson, ApiQuery, done, ok};
use webkit::auth::Me;
use webkit::error::{AppResult, ErrorBody};

#[derive(Deserialize, Default, utoipa::IntoParams)]
pub struct UserQuery {
    /// Part of the username or name.
    pub q: Option<String>,
    pub role: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

#[utoipa::path(get, path = "/users", tag = "admin", params(UserQuery), responses((status = 200, body = Paged<User>), (status = 403, body = ErrorBody)))]
pub async fn list_users(
    State(st): State<AppState>,
    Me(a): Me,
    ApiQuery(q): ApiQuery<UserQuery>,
) -> AppResult<Response> {
    let f = UserFilter {
        q: q.q,
        role: q.role,
        ..Default::default()
    };
    let v = crate::service::users::list(&st.ctx, &a, &f, Page::new(q.page, q.per_page)).await?;
    Ok(ok(v.map(|u| User::from(&u))))
}

/// Creates an account with a temporary password, shown once.
#[utoipa::path(post, path = "/users", tag = "admin", request_body = UserInput, responses((status = 200, body = UserCreated), (status = 422, body = ErrorBody)))]
pub async fn create_user(
    State(st): State<AppState>,
    Me(a): Me,
    ApiJson(r): ApiJson<UserInput>,
) -> AppResult<Response> {
    Ok(ok(crate::service::users::create(&st.ctx, &a, &r).await?))
}

#[utoipa::path(get, path = "/users/{id}", tag = "admin", params(("id" = i64, Path)), responses((status = 200, body = User), (status = 404, body = ErrorBody)))]
pub async fn get_user(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let v = crate::service::users::get(&st.ctx, &a, id).await?;
    Ok(ok(User::from(&v)))
}

#[utoipa::path(put, path = "/users/{id}", tag = "admin", params(("id" = i64, Path)), request_body = UserInput, responses((status = 200, body = webkit::api::Done), (status = 422, body = ErrorBody)))]
pub async fn update_user(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<UserInput>,
) -> AppResult<Response> {
    crate::service::users::update(&st.ctx, &a, id, &r).await?;
    Ok(done())
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TemporaryPassword {
    pub temporary_password: String,
}

#[utoipa::path(post, path = "/users/{id}/reset-password", tag = "admin", params(("id" = i64, Path)), responses((status = 200, body = TemporaryPassword)))]
pub async fn reset_password(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    Ok(ok(TemporaryPassword {
        temporary_password: crate::service::users::reset_password(&st.ctx, &a, id).await?,
    }))
}

#[utoipa::path(post, path = "/users/{id}/unlock", tag = "admin", params(("id" = i64, Path)), responses((status = 200, body = webkit::api::Done)))]
pub async fn unlock_user(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    crate::service::users::unlock(&st.ctx, &a, id).await?;
    Ok(done())
}

#[utoipa::path(get, path = "/tokens", tag = "admin", responses((status = 200, body = Vec<Token>)))]
pub async fn list_tokens(State(st): State<AppState>, Me(a): Me) -> AppResult<Response> {
    let v = crate::service::tokens::list(&st.ctx, &a).await?;
    Ok(ok(v.iter().map(Token::from).collect::<Vec<_>>()))
}

/// Creates an API token; the token is returned only now.
#[utoipa::path(post, path = "/tokens", tag = "admin", request_body = TokenInput, responses((status = 200, body = CreatedToken), (status = 422, body = ErrorBody)))]
pub async fn create_token(
    State(st): State<AppState>,
    Me(a): Me,
    ApiJson(r): ApiJson<TokenInput>,
) -> AppResult<Response> {
    Ok(ok(crate::service::tokens::create(&st.ctx, &a, &r).await?))
}

#[utoipa::path(post, path = "/tokens/{id}/revoke", tag = "admin", params(("id" = i64, Path)), responses((status = 200, body = webkit::api::Done), (status = 409, body = ErrorBody)))]
pub async fn revoke_token(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    crate::service::tokens::revoke(&st.ctx, &a, id).await?;
    Ok(done())
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SettingView {
    pub key: String,
    pub label: String,
    pub value: i64,
    pub min: i64,
    pub max: i64,
}

fn settings_view(s: &app::settings::Settings) -> Vec<SettingView> {
    app::settings::DEFS
        .iter()
        .map(|d| SettingView {
            key: d.key.into(),
            label: d.label.into(),
            value: s.get(d.key),
            min: d.min,
            max: d.max,
        })
        .collect()
}

#[utoipa::path(get, path = "/settings", tag = "admin", responses((status = 200, body = Vec<SettingView>), (status = 403, body = ErrorBody)))]
pub async fn get_settings(State(st): State<AppState>, Me(a): Me) -> AppResult<Response> {
    a.require(kernel::roles::Permission::ManageSettings)?;
    Ok(ok(settings_view(&st.ctx.settings().await?)))
}

/// Changes settings: `{"lockout_threshold": 5, …}`.
#[utoipa::path(put, path = "/settings", tag = "admin", request_body = std::collections::BTreeMap<String, i64>, responses((status = 200, body = Vec<SettingView>), (status = 422, body = ErrorBody)))]
pub async fn put_settings(
    State(st): State<AppState>,
    Me(a): Me,
    ApiJson(r): ApiJson<std::collections::BTreeMap<String, i64>>,
) -> AppResult<Response> {
    let input: Vec<(String, String)> = r.into_iter().map(|(k, v)| (k, v.to_string())).collect();
    Ok(ok(settings_view(
        &app::settings::update(&st.ctx, &a, &input).await?,
    )))
}

/// The local regulation messages cite: its name and the article of each rule
/// (empty where not named).
#[utoipa::path(get, path = "/settings/local-rule", tag = "admin", responses((status = 200, body = app::local_rule::LocalRule), (status = 403, body = ErrorBody)))]
pub async fn get_local_rule(State(st): State<AppState>, Me(a): Me) -> AppResult<Response> {
    a.require(kernel::roles::Permission::ManageSettings)?;
    Ok(ok(st.ctx.settings().await?.local))
}

/// Names the local regulation and its articles; every field is replaced.
#[utoipa::path(put, path = "/settings/local-rule", tag = "admin", request_body = app::local_rule::LocalRule, responses((status = 200, body = app::local_rule::LocalRule), (status = 422, body = ErrorBody)))]
pub async fn put_local_rule(
    State(st): State<AppState>,
    Me(a): Me,
    ApiJson(r): ApiJson<app::local_rule::LocalRule>,
) -> AppResult<Response> {
    Ok(ok(app::local_rule::update(&st.ctx, &a, &r).await?))
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    /// UTC milliseconds, inclusive.
    pub from_ms: Option<i64>,
    /// UTC milliseconds, exclusive.
    pub to_ms: Option<i64>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

#[utoipa::path(get, path = "/audit", tag = "admin", params(AuditQuery), responses((status = 200, body = Paged<AuditEntry>), (status = 403, body = ErrorBody)))]
pub async fn audit(
    State(st): State<AppState>,
    Me(a): Me,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> AppResult<Response> {
    let f = AuditFilter {
        actor: q.actor,
        action: q.action,
        entity: q.entity,
        entity_id: q.entity_id,
        from_ms: q.from_ms,
        to_ms: q.to_ms,
    };
    let v = crate::service::logs::audit(&st.ctx, &a, &f, Page::new(q.page, q.per_page)).await?;
    Ok(ok(v.map(|r| AuditEntry::from(&r))))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct VerifyResult {
    pub intact: bool,
    /// Records checked when intact.
    pub count: i64,
    /// The first record that does not match, when broken.
    pub broken_at: Option<i64>,
    pub message: String,
}

#[utoipa::path(post, path = "/audit/verify", tag = "admin", responses((status = 200, body = VerifyResult)))]
pub async fn verify(State(st): State<AppState>, Me(a): Me) -> AppResult<Response> {
    Ok(ok(
        match crate::service::logs::verify(&st.ctx, &a).await? {
            Ok(n) => VerifyResult {
                intact: true,
                count: n,
                broken_at: None,
                message: format!("OK {n}"),
            },
            Err(b) => {
                let seq = match &b {
                    db::audit::Broken::Record { seq, .. }
                    | db::audit::Broken::Chain { seq, .. } => *seq,
                };
                VerifyResult {
                    intact: false,
                    count: 0,
                    broken_at: Some(seq),
                    message: b.to_string(),
                }
            }
        },
    ))
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
pub struct LoginQuery {
    pub username: Option<String>,
    pub ip: Option<String>,
    pub outcome: Option<String>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

#[utoipa::path(get, path = "/logins", tag = "admin", params(LoginQuery), responses((status = 200, body = Paged<LoginEntry>), (status = 403, body = ErrorBody)))]
pub async fn logins(
    State(st): State<AppState>,
    Me(a): Me,
    ApiQuery(q): ApiQuery<LoginQuery>,
) -> AppResult<Response> {
    let f = LoginFilter {
        username: q.username,
        ip: q.ip,
        outcome: q.outcome,
        from_ms: q.from_ms,
        to_ms: q.to_ms,
    };
    let v = crate::service::logs::logins(&st.ctx, &a, &f, Page::new(q.page, q.per_page)).await?;
    Ok(ok(v.map(|r| LoginEntry::from(&r))))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, create_user))
        .routes(routes!(get_user, update_user))
        .routes(routes!(reset_password))
        .routes(routes!(unlock_user))
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
        .routes(routes!(get_settings, put_settings))
        .routes(routes!(get_local_rule, put_local_rule))
        .routes(routes!(audit))
        .routes(routes!(verify))
        .routes(routes!(logins))
}
