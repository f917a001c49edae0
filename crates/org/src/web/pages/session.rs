//! Signing in and out, the second factor, and one's own password.

use app::Error;
use app::auth::{Client, STAGE_FULL};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use webkit::extract::{Form, Query};

use webkit::auth::{ClientIp, MaybeSession, MeSession, clear_cookie, session_cookie};
use webkit::error::{AppError, AppResult};
use webkit::view::{FormErrors, Layout, render, render_status};
use webkit::{AppState, Pages};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    username: String,
    next: String,
    error: String,
}

#[derive(Deserialize, Default)]
struct NextQuery {
    #[serde(default)]
    next: String,
}

/// Only local paths are followed after login.
fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next.to_string()
    } else {
        "/".to_string()
    }
}

async fn login_page(
    MaybeSession(s): MaybeSession,
    Query(q): Query<NextQuery>,
) -> AppResult<Response> {
    if s.is_some_and(|s| s.stage == STAGE_FULL) {
        return Ok(Redirect::to(&safe_next(&q.next)).into_response());
    }
    render(&LoginPage {
        layout: Layout::public("登录"),
        username: String::new(),
        next: q.next,
        error: String::new(),
    })
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

async fn login(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> AppResult<Response> {
    let client = Client {
        ip,
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string(),
    };
    match app::auth::login(&st.ctx, &f.username, &f.password, &client).await {
        Ok(s) => {
            let to = if s.stage == app::auth::STAGE_TOTP {
                "/login/totp".to_string()
            } else if s.stage == app::auth::STAGE_TOTP_SETUP {
                "/account/totp".to_string()
            } else if s.must_change_password {
                "/account/password".to_string()
            } else {
                safe_next(&f.next)
            };
            let mut r = Redirect::to(&to).into_response();
            if let Ok(v) = HeaderValue::from_str(&session_cookie(&s.token, st.secure_cookies)) {
                r.headers_mut().insert(header::SET_COOKIE, v);
            }
            Ok(r)
        }
        Err(
            e @ (Error::BadRequest(_) | Error::AccountLocked { .. } | Error::RateLimited { .. }),
        ) => {
            let status = webkit::error::status_of(&e);
            render_status(
                status,
                &LoginPage {
                    layout: Layout::public("登录"),
                    username: f.username,
                    next: f.next,
                    error: e.message(),
                },
            )
        }
        Err(e) => Err(AppError(e)),
    }
}

async fn logout(State(st): State<AppState>, MaybeSession(s): MaybeSession) -> AppResult<Response> {
    if let Some(s) = s {
        app::auth::logout(&st.ctx, &s.token_hash).await?;
    }
    let mut r = Redirect::to("/login").into_response();
    if let Ok(v) = HeaderValue::from_str(&clear_cookie(st.secure_cookies)) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(r)
}

#[derive(Template)]
#[template(path = "totp_verify.html")]
struct TotpVerifyPage {
    layout: Layout,
    errors: FormErrors,
}

async fn totp_page(MeSession(s): MeSession) -> AppResult<Response> {
    render(&TotpVerifyPage {
        layout: Layout::new("动态口令验证", &s, ""),
        errors: FormErrors::default(),
    })
}

#[derive(Deserialize)]
struct CodeForm {
    #[serde(default)]
    code: String,
}

async fn totp_verify(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(f): Form<CodeForm>,
) -> AppResult<Response> {
    let client = Client {
        ip,
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string(),
    };
    match app::auth::verify_totp(&st.ctx, &s, &f.code, &client).await {
        Ok(()) => Ok(Redirect::to(if s.must_change_password {
            "/account/password"
        } else {
            "/"
        })
        .into_response()),
        Err(Error::Validation(v)) => render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &TotpVerifyPage {
                layout: Layout::new("动态口令验证", &s, ""),
                errors: FormErrors(v),
            },
        ),
        Err(e) => Err(AppError(e)),
    }
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    layout: Layout,
    username: String,
    totp_enabled: bool,
    last_login: String,
}

async fn account(State(st): State<AppState>, MeSession(s): MeSession) -> AppResult<Response> {
    let info = app::auth::account_info(&st.ctx, &s.actor).await?;
    render(&AccountPage {
        layout: Layout::new("账号安全", &s, "account"),
        username: info.username,
        totp_enabled: info.totp_enabled,
        last_login: webkit::view::opt_ts(info.last_login_at),
    })
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    layout: Layout,
    forced: bool,
    errors: FormErrors,
}

async fn password_page(MeSession(s): MeSession) -> AppResult<Response> {
    render(&PasswordPage {
        forced: s.must_change_password,
        layout: Layout::new("修改密码", &s, "account"),
        errors: FormErrors::default(),
    })
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

async fn password_change(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Form(f): Form<PasswordForm>,
) -> AppResult<Response> {
    match app::auth::change_password(
        &st.ctx,
        &s,
        &f.current_password,
        &f.new_password,
        &f.confirm_password,
    )
    .await
    {
        Ok(()) => {
            // The menu appears now that the password is changed.
            let mut info = s.info.clone();
            info.must_change_password = false;
            let s2 = webkit::auth::Session::of(&st, info);
            render(&PasswordPage {
                forced: false,
                layout: Layout::new("修改密码", &s2, "account")
                    .with_notice("密码已修改，其他设备上的登录已退出"),
                errors: FormErrors::default(),
            })
        }
        Err(Error::Validation(v)) => render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &PasswordPage {
                forced: s.must_change_password,
                layout: Layout::new("修改密码", &s, "account"),
                errors: FormErrors(v),
            },
        ),
        Err(e) => Err(AppError(e)),
    }
}

#[derive(Template)]
#[template(path = "totp_setup.html")]
struct TotpSetupPage {
    layout: Layout,
    required: bool,
    secret: String,
    qr_svg: String,
    errors: FormErrors,
}

fn qr_svg(data: &str) -> String {
    match qrcode::QrCode::new(data.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(180, 180)
            .build(),
        Err(_) => String::new(),
    }
}

async fn totp_setup_page(MeSession(s): MeSession) -> AppResult<Response> {
    let required = s.stage == app::auth::STAGE_TOTP_SETUP;
    render(&TotpSetupPage {
        layout: Layout::new("绑定动态口令", &s, "account"),
        required,
        secret: String::new(),
        qr_svg: String::new(),
        errors: FormErrors::default(),
    })
}

async fn totp_begin(State(st): State<AppState>, MeSession(s): MeSession) -> AppResult<Response> {
    let e = app::auth::begin_totp(&st.ctx, &s).await?;
    let required = s.stage == app::auth::STAGE_TOTP_SETUP;
    render(&TotpSetupPage {
        layout: Layout::new("绑定动态口令", &s, "account"),
        required,
        qr_svg: qr_svg(&e.url),
        secret: e.secret,
        errors: FormErrors::default(),
    })
}

async fn totp_confirm(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Form(f): Form<CodeForm>,
) -> AppResult<Response> {
    match app::auth::confirm_totp(&st.ctx, &s, &f.code).await {
        Ok(()) => Ok(Redirect::to("/account").into_response()),
        Err(Error::Validation(v)) => {
            let required = s.stage == app::auth::STAGE_TOTP_SETUP;
            render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &TotpSetupPage {
                    layout: Layout::new("绑定动态口令", &s, "account"),
                    required,
                    secret: String::new(),
                    qr_svg: String::new(),
                    errors: FormErrors(v),
                },
            )
        }
        Err(e) => Err(AppError(e)),
    }
}

pub fn router() -> Pages {
    Pages::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/login/totp", get(totp_page).post(totp_verify))
        .route("/account", get(account))
        .route(
            "/account/password",
            get(password_page).post(password_change),
        )
        .route("/account/totp", get(totp_setup_page).post(totp_begin))
        .route("/account/totp/confirm", post(totp_confirm))
}
