//! The JSON API under `/api/`. Handlers call the same service functions as
//! the pages; errors are `{code, message, fields}` with stable codes. The
//! OpenAPI document is served at `/api/openapi.json`.

use app::Error;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// A JSON body whose rejection is answered in the API's error format.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(AppError(Error::BadRequest(
                "请求须为 JSON（Content-Type: application/json）".into(),
            ))),
            Err(JsonRejection::JsonDataError(e)) => {
                Err(AppError(crate::extract::malformed("请求", &e.body_text())))
            }
            Err(JsonRejection::JsonSyntaxError(_)) => {
                Err(AppError(Error::BadRequest("请求体不是有效的 JSON".into())))
            }
            Err(e) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                Err(AppError(crate::extract::too_large()))
            }
            Err(_) => Err(AppError(Error::BadRequest("无法读取请求体".into()))),
        }
    }
}

/// Query parameters whose rejection is answered in the API's error format.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => Err(AppError(
                crate::extract::malformed("查询参数", &e.body_text()),
            )),
            Err(_) => Err(AppError(Error::BadRequest("查询参数不正确".into()))),
        }
    }
}

/// A JSON answer.
pub fn ok<T: Serialize>(v: T) -> Response {
    axum::Json(v).into_response()
}

/// `{"id": …}` for created resources.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: i64,
}

/// `{"ok": true}` for actions without a body to return.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Done {
    pub ok: bool,
}

pub fn created(id: i64) -> Response {
    (axum::http::StatusCode::CREATED, axum::Json(Created { id })).into_response()
}

pub fn done() -> Response {
    ok(Done { ok: true })
}

/// The answer to a path under `/api/` that no route takes.
pub async fn not_found() -> AppError {
    AppError(Error::NotFound("接口"))
}

/// The answer to a page no route takes: the 404 page in the layout.
pub async fn page_not_found() -> AppError {
    AppError(Error::NotFound("页面"))
}
