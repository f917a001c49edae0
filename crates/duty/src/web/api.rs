//! The duty record's JSON API.

use axum::extract::State;
use axum::response::Response;
use db::Paged;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use webkit::AppState;
use webkit::api::{ApiJson, ApiQuery, created, ok};
use webkit::auth::Me;
use webkit::error::{AppResult, ErrorBody};
use webkit::extract::Path;

use super::types::{Activity, Computed, Points, RankEntry, Recorded, Reviewed};
use crate::service::activities::{self, ActivityInput, ListQuery};
use crate::service::points::{self, RankingQuery};

#[utoipa::path(get, path = "/duty/activities", tag = "duty", params(ListQuery), responses((status = 200, body = Paged<Activity>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(st): State<AppState>,
    Me(a): Me,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> AppResult<Response> {
    let page = activities::list(&st.ctx, &a, &q).await?;
    Ok(ok(page.map(|r| Activity::from(&r))))
}

/// A deputy records their own activity; it counts once staff verify it.
#[utoipa::path(post, path = "/duty/activities", tag = "duty", request_body = ActivityInput, responses((status = 201, body = webkit::api::Created), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record(
    State(st): State<AppState>,
    Me(a): Me,
    ApiJson(r): ApiJson<ActivityInput>,
) -> AppResult<Response> {
    Ok(created(activities::record_own(&st.ctx, &a, &r).await?))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct CongressQuery {
    /// The congress; empty: one's own.
    pub congress_id: Option<i64>,
}

/// Staff record one activity for many deputies (`deputies`: names), verified as entered.
#[utoipa::path(post, path = "/duty/activities/batch", tag = "duty", params(CongressQuery), request_body = ActivityInput, responses((status = 200, body = Recorded), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_many(
    State(st): State<AppState>,
    Me(a): Me,
    ApiQuery(q): ApiQuery<CongressQuery>,
    ApiJson(r): ApiJson<ActivityInput>,
) -> AppResult<Response> {
    let n = activities::record_many(&st.ctx, &a, q.congress_id, &r).await?;
    Ok(ok(Recorded { recorded: n as i64 }))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ReviewInput {
    #[serde(default)]
    pub ids: Vec<i64>,
    /// True to verify; false to reject, with a reason.
    #[serde(default)]
    pub approve: bool,
    #[serde(default)]
    pub reason: String,
}

#[utoipa::path(post, path = "/duty/activities/review", tag = "duty", request_body = ReviewInput, responses((status = 200, body = Reviewed), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn review(
    State(st): State<AppState>,
    Me(a): Me,
    ApiJson(r): ApiJson<ReviewInput>,
) -> AppResult<Response> {
    let n = activities::review(&st.ctx, &a, &r.ids, r.approve, &r.reason).await?;
    Ok(ok(Reviewed { reviewed: n as i64 }))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct YearQuery {
    pub year: Option<i64>,
    pub congress_id: Option<i64>,
}

/// A deputy's points for a year, explained line by line (computed now).
#[utoipa::path(get, path = "/duty/deputies/{id}/points", tag = "duty", params(("id" = i64, Path), YearQuery), responses((status = 200, body = Points), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn points_of(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> AppResult<Response> {
    let year = q.year.unwrap_or_else(|| i64::from(st.ctx.today().year()));
    let e = points::explain(&st.ctx, &a, id, q.congress_id, year).await?;
    Ok(ok(Points::from(&e)))
}

#[utoipa::path(get, path = "/duty/ranking", tag = "duty", params(RankingQuery), responses((status = 200, body = Paged<RankEntry>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn ranking(
    State(st): State<AppState>,
    Me(a): Me,
    ApiQuery(q): ApiQuery<RankingQuery>,
) -> AppResult<Response> {
    let r = points::ranking(&st.ctx, &a, &q).await?;
    Ok(ok(r.page.map(|x| RankEntry::from(&x))))
}

/// Computes the year's totals and ranks again.
#[utoipa::path(post, path = "/duty/ranking/recompute", tag = "duty", params(YearQuery), responses((status = 200, body = Computed), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn recompute(
    State(st): State<AppState>,
    Me(a): Me,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> AppResult<Response> {
    let year = q.year.unwrap_or_else(|| i64::from(st.ctx.today().year()));
    let n = points::recompute(&st.ctx, &a, q.congress_id, year).await?;
    Ok(ok(Computed { deputies: n as i64 }))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, record))
        .routes(routes!(record_many))
        .routes(routes!(review))
        .routes(routes!(points_of))
        .routes(routes!(ranking))
        .routes(routes!(recompute))
}
