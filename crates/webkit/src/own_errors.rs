//! The last word on refusals the framework writes itself (a method the route
//! does not take, a body over the limit, a path that does not parse where no
//! extractor of ours stood): they leave as the platform's own — `{code,
//! message, fields}` in Chinese under `/api/`, the error page elsewhere —
//! never as the framework's English `text/plain` or an empty body.

use app::Error;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{AppError, json_error};

pub async fn layer(req: Request, next: Next) -> Response {
    // The health check's plain answer is for monitors, which read its text.
    if req.uri().path() == "/healthz" {
        return next.run(req).await;
    }
    let api = req.uri().path().starts_with("/api/");
    let method = req.method().clone();
    let resp = next.run(req).await;
    let status = resp.status();
    if !(status.is_client_error() || status.is_server_error()) || ours(&resp) {
        return resp;
    }
    let e = match status {
        StatusCode::NOT_FOUND => Error::NotFound(if api { "接口" } else { "页面" }),
        StatusCode::METHOD_NOT_ALLOWED => Error::BadRequest(format!(
            "{}不接受 {method} 请求",
            if api { "此接口" } else { "此页面" }
        )),
        StatusCode::PAYLOAD_TOO_LARGE => crate::extract::too_large(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => Error::BadRequest(
            "请求的内容类型不受支持（接口请用 Content-Type: application/json）".into(),
        ),
        StatusCode::UNAUTHORIZED => Error::Unauthenticated,
        StatusCode::FORBIDDEN => Error::Forbidden,
        s if s.is_server_error() => Error::internal(format!("the framework answered {s}")),
        _ => Error::BadRequest("请求的路径、参数或内容格式不正确，请检查后重试".into()),
    };
    let allow = resp.headers().get(header::ALLOW).cloned();
    let mut r = if api {
        json_error(&e)
    } else {
        AppError(e).into_response()
    };
    *r.status_mut() = status;
    if let Some(allow) = allow {
        r.headers_mut().insert(header::ALLOW, allow);
    }
    r
}

/// An answer the platform wrote: JSON or a page, or an htmx redirect
/// (empty by design).
fn ours(resp: &Response) -> bool {
    resp.headers().contains_key("hx-redirect")
        || resp
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v: &HeaderValue| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json") || v.starts_with("text/html"))
}
