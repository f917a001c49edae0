//! The one error type at the HTTP edge. The same service error becomes JSON
//! `{code, message, fields}` under `/api/`, and a page or an htmx fragment
//! elsewhere. Codes are stable; messages are Chinese; internal details are
//! logged by the service layer and never shown.

use app::{Error, FieldError};
use askama::Template;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Serialize;

tokio::task_local! {
    /// Facts about the current request that error rendering needs.
    pub static REQUEST: RequestFacts;
}

#[derive(Clone, Default)]
pub struct RequestFacts {
    pub htmx: bool,
    pub api: bool,
    pub path: String,
    /// The caller's session and the capabilities' menus, so an error page
    /// is shown in the layout the user was working in.
    pub signed_in: Option<(Box<app::auth::SessionInfo>, Capabilities)>,
}

/// The capabilities served, as the state holds them.
pub type Capabilities = std::sync::Arc<Vec<std::sync::Arc<dyn crate::Capability>>>;

pub fn facts() -> RequestFacts {
    REQUEST.try_with(Clone::clone).unwrap_or_default()
}

pub fn status_of(e: &Error) -> StatusCode {
    match e {
        Error::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
        Error::NotFound(_) => StatusCode::NOT_FOUND,
        Error::Forbidden | Error::PasswordChangeRequired | Error::SecondFactorRequired => {
            StatusCode::FORBIDDEN
        }
        Error::Conflict(_) => StatusCode::CONFLICT,
        Error::Unauthenticated => StatusCode::UNAUTHORIZED,
        Error::AccountLocked { .. } => StatusCode::LOCKED,
        Error::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        Error::BadRequest(_) => StatusCode::BAD_REQUEST,
        Error::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The JSON error body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `validation_failed`, `not_found`, `forbidden`.
    pub code: String,
    /// A message in Chinese for people.
    pub message: String,
    /// For `validation_failed`: the message of each invalid field.
    pub fields: Vec<FieldErrorBody>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FieldErrorBody {
    pub field: String,
    pub message: String,
}

impl From<&FieldError> for FieldErrorBody {
    fn from(f: &FieldError) -> Self {
        FieldErrorBody {
            field: f.field.clone(),
            message: f.message.clone(),
        }
    }
}

/// An error raised by a handler.
#[derive(Debug)]
pub struct AppError(pub Error);

impl From<Error> for AppError {
    fn from(e: Error) -> Self {
        AppError(e)
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError(Error::from(e))
    }
}

pub type AppResult<T> = Result<T, AppError>;

pub fn json_error(e: &Error) -> Response {
    let body = ErrorBody {
        code: e.code().into(),
        message: e.message(),
        fields: e.fields().iter().map(FieldErrorBody::from).collect(),
    };
    (status_of(e), Json(body)).into_response()
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: crate::view::Layout,
    message: String,
}

#[derive(Template)]
#[template(path = "error_fragment.html")]
struct ErrorFragment {
    message: String,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let f = facts();
        if f.api {
            return json_error(&self.0);
        }
        let status = status_of(&self.0);
        if matches!(self.0, Error::Unauthenticated) {
            let next = urlencode(&f.path);
            if f.htmx {
                let mut r = StatusCode::UNAUTHORIZED.into_response();
                if let Ok(v) = HeaderValue::from_str(&format!("/login?next={next}")) {
                    r.headers_mut().insert("hx-redirect", v);
                }
                return r;
            }
            return Redirect::to(&format!("/login?next={next}")).into_response();
        }
        let message = self.0.message();
        if f.htmx {
            let body = ErrorFragment { message }.render().unwrap_or_default();
            let mut r = (status, Html(body)).into_response();
            r.headers_mut()
                .insert("hx-retarget", HeaderValue::from_static("#flash"));
            r.headers_mut()
                .insert("hx-reswap", HeaderValue::from_static("innerHTML"));
            return r;
        }
        let title = match status {
            StatusCode::NOT_FOUND => "找不到页面",
            StatusCode::FORBIDDEN => "没有权限",
            _ => "未能完成",
        };
        let layout = match f.signed_in {
            Some((info, caps)) => {
                crate::view::Layout::new(title, &crate::auth::Session::with(&caps, *info), "")
            }
            None => crate::view::Layout::public(title),
        };
        let body = ErrorPage { layout, message }.render().unwrap_or_default();
        (status, Html(body)).into_response()
    }
}

pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A panic is logged and answered like any internal error.
pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    let mut r = (
        StatusCode::INTERNAL_SERVER_ERROR,
        Json(ErrorBody {
            code: "internal_error".into(),
            message: app::error::INTERNAL_MESSAGE.into(),
            fields: vec![],
        }),
    )
        .into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}
