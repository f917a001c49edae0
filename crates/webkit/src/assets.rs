//! Static files, embedded into the binary: the project's own CSS and script,
//! and the npm libraries located by build.rs. Names carry the version so they
//! can be cached for a long time.

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;

const APP_CSS: &str = include_str!("../static/app.css");
const APP_JS: &str = include_str!("../static/app.js");
const HTMX_JS: &[u8] = include_bytes!(env!("HTMX_JS"));
const ECHARTS_JS: &[u8] = include_bytes!(env!("ECHARTS_JS"));

/// The version segment of asset URLs.
pub const ASSET_VERSION: &str = env!("CARGO_PKG_VERSION");

async fn asset(Path((_version, name)): Path<(String, String)>) -> Response {
    let (body, ctype): (&[u8], &str) = match name.as_str() {
        "app.css" => (APP_CSS.as_bytes(), "text/css; charset=utf-8"),
        "app.js" => (APP_JS.as_bytes(), "text/javascript; charset=utf-8"),
        "htmx.min.js" => (HTMX_JS, "text/javascript; charset=utf-8"),
        "echarts.min.js" => (ECHARTS_JS, "text/javascript; charset=utf-8"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, ctype),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        body,
    )
        .into_response()
}

pub fn router() -> Router<AppState> {
    Router::new().route("/static/{version}/{name}", get(asset))
}
