//! One's inbox over the API.

use axum::extract::State;
use axum::response::Response;
use db::{Page, Paged};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use webkit::AppState;
use webkit::api::{ApiJson, ApiQuery, done, ok};
use webkit::auth::Me;
use webkit::error::AppResult;

use super::types::Notice;

#[derive(Deserialize, Default, utoipa::IntoParams)]
pub struct PageQuery {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

#[utoipa::path(get, path = "/notifications", tag = "inbox", params(PageQuery), responses((status = 200, body = Paged<Notice>)))]
pub async fn notifications(
    State(st): State<AppState>,
    Me(a): Me,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> AppResult<Response> {
    let page = app::inbox::list(&st.ctx, &a, Page::new(q.page, q.per_page)).await?;
    Ok(ok(page.map(|n| Notice::from(&n))))
}

#[utoipa::path(post, path = "/notifications/read", tag = "inbox", request_body = app::inbox::ReadInput, responses((status = 200, body = webkit::api::Done)))]
pub async fn read(
    State(st): State<AppState>,
    Me(a): Me,
    ApiJson(r): ApiJson<app::inbox::ReadInput>,
) -> AppResult<Response> {
    app::inbox::mark_read(&st.ctx, &a, &r).await?;
    Ok(done())
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(notifications))
        .routes(routes!(read))
}
