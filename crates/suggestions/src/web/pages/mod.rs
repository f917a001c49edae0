//! HTML pages of the suggestion loop.

mod stats;
mod suggestions;

pub(crate) use suggestions::detail_page;
mod work;

use axum::Router;
use webkit::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(suggestions::router())
        .merge(work::router())
        .merge(stats::router())
}
