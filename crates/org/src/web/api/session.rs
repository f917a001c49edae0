//! Signing in over the API (for browser-based clients; integrations use tokens).

use app::auth::{AccountInfo, Client};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use webkit::AppState;
use webkit::api::{ApiJson, done, ok};
use webkit::auth::{ClientIp, MaybeSession, Me, clear_cookie, session_cookie};
use webkit::error::{AppError, AppResult, ErrorBody};

#[derive(Deserialize, utoipa::ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct LoginResponse {
    /// Send it as `X-CSRF-Token` with every state-changing request of this session.
    pub csrf: String,
    /// `full`, `totp` (a one-time code is due) or `totp_setup`.
    pub stage: String,
    pub must_change_password: bool,
}

/// Signs in; the session is a cookie (HttpOnly, SameSite=Lax).
#[utoipa::path(post, path = "/session", tag = "session", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 400, body = ErrorBody), (status = 423, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn login(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(r): ApiJson<LoginRequest>,
) -> AppResult<Response> {
    let client = Client {
        ip,
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string(),
    };
    let s = app::auth::login(&st.ctx, &r.username, &r.password, &client).await?;
    let mut resp = ok(LoginResponse {
        csrf: s.csrf,
        stage: s.stage,
        must_change_password: s.must_change_password,
    });
    if let Ok(v) = HeaderValue::from_str(&session_cookie(&s.token, st.secure_cookies)) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(resp)
}

/// The signed-in account.
#[utoipa::path(get, path = "/session", tag = "session", responses((status = 200, body = AccountInfo), (status = 401, body = ErrorBody)))]
pub async fn me(State(st): State<AppState>, Me(actor): Me) -> AppResult<Response> {
    Ok(ok(app::auth::account_info(&st.ctx, &actor).await?))
}

/// Signs out.
#[utoipa::path(delete, path = "/session", tag = "session", responses((status = 200, body = webkit::api::Done)))]
pub async fn logout(
    State(st): State<AppState>,
    MaybeSession(s): MaybeSession,
) -> AppResult<Response> {
    if let Some(s) = s {
        app::auth::logout(&st.ctx, &s.token_hash)
            .await
            .map_err(AppError)?;
    }
    let mut r = done();
    if let Ok(v) = HeaderValue::from_str(&clear_cookie(st.secure_cookies)) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(r.into_response())
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(login, me, logout))
}
