//! The foundation's JSON API.

pub mod admin;
pub mod calendar;
pub mod deputies;
pub mod org;
pub mod session;
pub mod units;

use axum::Router;
use webkit::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(session::router())
        .merge(org::router())
        .merge(units::router())
        .merge(deputies::router())
        .merge(admin::router())
        .merge(calendar::router())
}
