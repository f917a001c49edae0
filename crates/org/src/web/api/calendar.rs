//! The calendar in force and deadline computation.

use app::calendar::{YearInput, YearView};
use axum::extract::State;
use axum::response::Response;
use kernel::calendar::Deadline;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use webkit::extract::Path;

use webkit::AppState;
use webkit::api::{ApiJson, ApiQuery, done, ok};
use webkit::auth::Me;
use webkit::error::{AppResult, ErrorBody};

#[utoipa::path(get, path = "/calendar/years", tag = "calendar", responses((status = 200, body = Vec<YearView>)))]
pub async fn years(State(st): State<AppState>, Me(a): Me) -> AppResult<Response> {
    Ok(ok(app::calendar::years(&st.ctx, &a).await?))
}

/// Adds a year: `rest_periods` one per line "名称 YYYY-MM-DD YYYY-MM-DD"; `adjusted_workdays` separated by spaces.
#[utoipa::path(post, path = "/calendar/years", tag = "calendar", request_body = YearInput, responses((status = 200, body = app::calendar::Entered), (status = 422, body = ErrorBody)))]
pub async fn add_year(
    State(st): State<AppState>,
    Me(a): Me,
    ApiJson(r): ApiJson<YearInput>,
) -> AppResult<Response> {
    Ok(ok(app::calendar::add_year(&st.ctx, &a, &r).await?))
}

#[utoipa::path(delete, path = "/calendar/years/{year}", tag = "calendar", params(("year" = i64, Path)), responses((status = 200, body = webkit::api::Done), (status = 404, body = ErrorBody)))]
pub async fn delete_year(
    State(st): State<AppState>,
    Me(a): Me,
    Path(year): Path<i64>,
) -> AppResult<Response> {
    app::calendar::delete_year(&st.ctx, &a, year).await?;
    Ok(done())
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct DeadlineQuery {
    /// The start date (not counted), YYYY-MM-DD.
    pub start: String,
    pub n: Option<i64>,
    /// `workdays` or `months`.
    pub unit: String,
}

/// Computes a statutory period and explains it (民法典 第二百零一条 to 第二百零三条).
#[utoipa::path(get, path = "/calendar/deadline", tag = "calendar", params(DeadlineQuery), responses((status = 200, body = Deadline), (status = 422, body = ErrorBody)))]
pub async fn deadline(
    State(st): State<AppState>,
    Me(a): Me,
    ApiQuery(q): ApiQuery<DeadlineQuery>,
) -> AppResult<Response> {
    Ok(ok(app::calendar::compute(
        &st.ctx, &a, &q.start, q.n, &q.unit,
    )
    .await?))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(years, add_year))
        .routes(routes!(delete_year))
        .routes(routes!(deadline))
}
