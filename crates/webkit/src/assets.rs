//! Static files, embedded into the binary: the project's own CSS and script,
//! and the npm libraries located by build.rs. Their URLs carry a digest of
//! their content (`/static/{digest}/app.css`), so they can be cached for a
//! year and a changed file still reaches every returning browser.

use crate::extract::Path;
use std::sync::LazyLock;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;

const APP_CSS: &str = include_str!("../static/app.css");
const APP_JS: &str = include_str!("../static/app.js");
const HTMX_JS: &[u8] = include_bytes!(env!("HTMX_JS"));
const ECHARTS_JS: &[u8] = include_bytes!(env!("ECHARTS_JS"));

const FILES: &[(&str, &[u8], &str)] = &[
    ("app.css", APP_CSS.as_bytes(), "text/css; charset=utf-8"),
    (
        "app.js",
        APP_JS.as_bytes(),
        "text/javascript; charset=utf-8",
    ),
    ("htmx.min.js", HTMX_JS, "text/javascript; charset=utf-8"),
    (
        "echarts.min.js",
        ECHARTS_JS,
        "text/javascript; charset=utf-8",
    ),
];

/// The first 12 hex digits of the SM3 digest of every asset: the version
/// segment of asset URLs, computed once.
static VERSION: LazyLock<String> = LazyLock::new(|| {
    let mut all = Vec::new();
    for (name, body, _) in FILES {
        all.extend_from_slice(name.as_bytes());
        all.extend_from_slice(&(body.len() as u64).to_le_bytes());
        all.extend_from_slice(body);
    }
    crypto::sm3_hex(&all)[..12].to_string()
});

/// The version segment of asset URLs.
pub fn version() -> &'static str {
    VERSION.as_str()
}

async fn asset(Path((v, name)): Path<(String, String)>) -> Response {
    let Some((_, body, ctype)) = FILES.iter().find(|(n, _, _)| *n == name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    // A page from before an upgrade asks for the old digest: it gets today's
    // file, but not for keeping.
    let cache = if v == version() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    (
        [
            (header::CONTENT_TYPE, *ctype),
            (header::CACHE_CONTROL, cache),
        ],
        *body,
    )
        .into_response()
}

pub fn router() -> Router<AppState> {
    Router::new().route("/static/{version}/{name}", get(asset))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_version_is_a_digest_of_the_content() {
        let v = super::version();
        assert_eq!(v.len(), 12);
        assert!(v.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(v, env!("CARGO_PKG_VERSION"));
    }
}
