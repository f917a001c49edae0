//! The foundation's JSON API. Each route is registered with its OpenAPI
//! entry (`routes!`), so the document cannot drift from the routes.

pub mod admin;
pub mod announcements;
pub mod bodies;
pub mod calendar;
pub mod deputies;
pub mod inbox;
pub mod org;
pub mod session;
pub mod types;
pub mod units;

use utoipa_axum::router::OpenApiRouter;
use webkit::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(session::router())
        .merge(org::router())
        .merge(units::router())
        .merge(deputies::router())
        .merge(admin::router())
        .merge(calendar::router())
        .merge(inbox::router())
        .merge(announcements::router())
        .merge(bodies::router())
}
