//! HTML pages, one module per feature. Each handler extracts, calls one
//! service function and renders; htmx requests get the fragment they target.

mod admin;
mod calendar;
mod deputies;
mod home;
mod logs;
mod org;
mod session;
mod stats;
mod suggestions;
mod units;
mod work;

pub use units::read_upload;

use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(session::router())
        .merge(home::router())
        .merge(org::router())
        .merge(units::router())
        .merge(deputies::router())
        .merge(admin::router())
        .merge(logs::router())
        .merge(calendar::router())
        .merge(suggestions::router())
        .merge(work::router())
        .merge(stats::router())
}

/// A file download with a Chinese file name (RFC 6266 / RFC 5987).
pub fn download(bytes: Vec<u8>, name: &str, content_type: &'static str) -> Response {
    let encoded = crate::error::urlencode(name);
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"download\"; filename*=UTF-8''{encoded}"),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Redirect after a successful POST (303, so a reload does not post again).
pub fn see_other(to: &str) -> Response {
    axum::response::Redirect::to(to).into_response()
}
