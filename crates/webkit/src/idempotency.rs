//! The `Idempotency-Key` header on the API's state-changing requests (see
//! [`app::idempotency`] for the design). Runs after [`crate::auth`], so the
//! key is per account.

use app::Error;
use app::idempotency::{self, Pending};
use axum::body::{Body, HttpBody, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::auth::Auth;
use crate::error::json_error;

pub const HEADER: &str = "idempotency-key";
/// Set on an answer that repeats an earlier request's.
pub const REPLAYED: &str = "idempotent-replayed";

/// Answers larger than this are not kept (a retry is told what was created).
const MAX_KEPT_ANSWER: usize = 256 * 1024;

pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let changes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let Some(given) = req.headers().get(HEADER) else {
        return next.run(req).await;
    };
    if !changes || !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let key = match given.to_str() {
        Ok(k) if idempotency::valid_key(k) => k.to_string(),
        _ => {
            return json_error(&Error::field(
                "Idempotency-Key",
                format!(
                    "Idempotency-Key 须为 1 至 {} 个可见 ASCII 字符（如 UUID）",
                    idempotency::MAX_KEY_LEN
                ),
            ));
        }
    };
    // Keys belong to a principal; an anonymous request takes none (its
    // answers would be anyone's to replay).
    let principal = match req.extensions().get::<Auth>() {
        Some(Auth::Session(info)) => info.actor.user_id.map(|u| format!("u:{u}")),
        Some(Auth::Token(actor)) => actor.token_id.map(|t| format!("t:{t}")),
        _ => None,
    };
    let Some(principal) = principal else {
        return next.run(req).await;
    };
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/"));
    let limit = if multipart {
        crate::UPLOAD_LIMIT
    } else {
        crate::BODY_LIMIT
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let (parts, body) = req.into_parts();
    let bytes = match to_bytes(body, limit).await {
        Ok(b) => b,
        Err(_) if declared.is_none_or(|n| n > limit) => {
            return json_error(&crate::extract::too_large());
        }
        Err(_) => return json_error(&Error::BadRequest("无法读取请求体，请重试".into())),
    };
    let target = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or_default();
    let mut seen = Vec::with_capacity(bytes.len() + target.len() + 8);
    seen.extend_from_slice(parts.method.as_str().as_bytes());
    seen.push(b' ');
    seen.extend_from_slice(target.as_bytes());
    seen.push(b'\n');
    seen.extend_from_slice(&bytes);
    let fingerprint = crypto::sm3_hex(&seen);

    match idempotency::earlier(&state.ctx, &principal, &key).await {
        Err(e) => return json_error(&e),
        Ok(Some(earlier)) if earlier.fingerprint != fingerprint => {
            return json_error(&Error::Conflict(
                "这个 Idempotency-Key 已用于另一个请求；新的请求请换一个键".into(),
            ));
        }
        Ok(Some(earlier)) if earlier.in_flight => {
            let mut r = json_error(&Error::Conflict(
                "同一 Idempotency-Key 的请求正在处理，请稍后用同一键重试以取得结果".into(),
            ));
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            return r;
        }
        Ok(Some(earlier)) => return replay(earlier),
        Ok(None) => {}
    }

    let req = Request::from_parts(parts, Body::from(bytes));
    let pending = Pending::new(principal.clone(), key.clone(), fingerprint);
    let (resp, claimed) = idempotency::scope(pending, next.run(req)).await;
    // Whatever the status: a refusal that still recorded something must be
    // replayed as that refusal, not rebuilt as a creation.
    if !claimed {
        return resp;
    }
    // Only a whole answer of known, modest size is kept (creations answer a
    // few bytes); a retry of a larger one is answered from the claim.
    if resp
        .body()
        .size_hint()
        .exact()
        .is_none_or(|n| n > MAX_KEPT_ANSWER as u64)
    {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_KEPT_ANSWER).await else {
        return json_error(&Error::internal(
            "an answer of exact size could not be read",
        ));
    };
    if let Ok(text) = std::str::from_utf8(&bytes)
        && let Err(e) =
            idempotency::store_answer(&state.ctx, &principal, &key, parts.status.as_u16(), text)
                .await
    {
        tracing::warn!(error = %e, "could not keep the answer of an idempotent request");
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The earlier answer, or, when the process that ran it stopped before
/// keeping it, what the claim says was created. (The answer's cookies are
/// not replayed: nothing that sets one is audited.)
fn replay(earlier: idempotency::Earlier) -> Response {
    let (status, body, how) = match earlier.answer {
        Some((status, body)) => (
            StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
            body,
            "true",
        ),
        None => {
            let id = earlier
                .entity_id
                .parse::<i64>()
                .map(serde_json::Value::from)
                .unwrap_or_else(|_| serde_json::Value::from(earlier.entity_id.clone()));
            let body = serde_json::json!({ "id": id, "entity": earlier.entity }).to_string();
            (StatusCode::CREATED, body, "reconstructed")
        }
    };
    let mut r = (status, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r.headers_mut()
        .insert(REPLAYED, HeaderValue::from_static(how));
    r
}
