//! Regions, congresses, terms and sessions.

use super::types::{Congress, CongressWithTerms, Region};
use crate::service::congresses::{CongressInput, PeriodInput};
use crate::service::regions::RegionInput;
use crate::store::regions::RegionFilter;
use axum::extract::State;
use axum::response::Response;
use db::{Page, Paged};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use webkit::extract::Path;

use webkit::AppState;
use webkit::api::{ApiJson, ApiQuery, created, done, ok};
use webkit::auth::Me;
use webkit::error::{AppResult, ErrorBody};

#[derive(Deserialize, Default, utoipa::IntoParams)]
pub struct RegionQuery {
    /// Divisions directly under this code.
    pub parent_code: Option<String>,
    /// Divisions whose code starts with this one.
    pub within: Option<String>,
    pub name: Option<String>,
    /// province, city, county or township.
    pub level: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

#[utoipa::path(get, path = "/regions", tag = "organisation", params(RegionQuery), responses((status = 200, body = Paged<Region>), (status = 403, body = ErrorBody)))]
pub async fn list_regions(
    State(st): State<AppState>,
    Me(a): Me,
    ApiQuery(q): ApiQuery<RegionQuery>,
) -> AppResult<Response> {
    let f = RegionFilter {
        parent_code: q.parent_code,
        within: q.within,
        name: q.name,
        level: q.level,
    };
    let v = crate::service::regions::list(&st.ctx, &a, &f, Page::new(q.page, q.per_page)).await?;
    Ok(ok(v.map(|r| Region::from(&r))))
}

#[utoipa::path(post, path = "/regions", tag = "organisation", request_body = RegionInput, responses((status = 200, body = Region), (status = 422, body = ErrorBody)))]
pub async fn create_region(
    State(st): State<AppState>,
    Me(a): Me,
    ApiJson(r): ApiJson<RegionInput>,
) -> AppResult<Response> {
    let v = crate::service::regions::create(&st.ctx, &a, &r).await?;
    Ok(ok(Region::from(&v)))
}

#[utoipa::path(get, path = "/regions/{code}", tag = "organisation", params(("code" = String, Path)), responses((status = 200, body = Region), (status = 404, body = ErrorBody)))]
pub async fn get_region(
    State(st): State<AppState>,
    Me(a): Me,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let v = crate::service::regions::get(&st.ctx, &a, &code).await?;
    Ok(ok(Region::from(&v)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NameInput {
    #[serde(default)]
    pub name: String,
}

#[utoipa::path(put, path = "/regions/{code}", tag = "organisation", params(("code" = String, Path)), request_body = NameInput, responses((status = 200, body = webkit::api::Done), (status = 404, body = ErrorBody)))]
pub async fn rename_region(
    State(st): State<AppState>,
    Me(a): Me,
    Path(code): Path<String>,
    ApiJson(r): ApiJson<NameInput>,
) -> AppResult<Response> {
    crate::service::regions::rename(&st.ctx, &a, &code, &r.name).await?;
    Ok(done())
}

#[utoipa::path(get, path = "/congresses", tag = "organisation", responses((status = 200, body = Vec<Congress>)))]
pub async fn list_congresses(State(st): State<AppState>, Me(a): Me) -> AppResult<Response> {
    let v = crate::service::congresses::list(&st.ctx, &a).await?;
    Ok(ok(v.iter().map(Congress::from).collect::<Vec<_>>()))
}

#[utoipa::path(post, path = "/congresses", tag = "organisation", request_body = CongressInput, responses((status = 201, body = webkit::api::Created), (status = 422, body = ErrorBody)))]
pub async fn create_congress(
    State(st): State<AppState>,
    Me(a): Me,
    ApiJson(r): ApiJson<CongressInput>,
) -> AppResult<Response> {
    Ok(created(
        crate::service::congresses::create(&st.ctx, &a, &r).await?,
    ))
}

#[utoipa::path(get, path = "/congresses/{id}", tag = "organisation", params(("id" = i64, Path)), responses((status = 200, body = CongressWithTerms), (status = 404, body = ErrorBody)))]
pub async fn get_congress(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let v = crate::service::congresses::detail(&st.ctx, &a, id).await?;
    Ok(ok(CongressWithTerms::from(&v)))
}

#[utoipa::path(post, path = "/congresses/{id}/terms", tag = "organisation", params(("id" = i64, Path)), request_body = PeriodInput, responses((status = 201, body = webkit::api::Created), (status = 422, body = ErrorBody)))]
pub async fn create_term(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<PeriodInput>,
) -> AppResult<Response> {
    Ok(created(
        crate::service::congresses::add_term(&st.ctx, &a, id, &r).await?,
    ))
}

#[utoipa::path(post, path = "/terms/{id}/sessions", tag = "organisation", params(("id" = i64, Path)), request_body = PeriodInput, responses((status = 201, body = webkit::api::Created), (status = 422, body = ErrorBody)))]
pub async fn create_session(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<PeriodInput>,
) -> AppResult<Response> {
    Ok(created(
        crate::service::congresses::add_session(&st.ctx, &a, id, &r).await?,
    ))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_regions, create_region))
        .routes(routes!(get_region, rename_region))
        .routes(routes!(list_congresses, create_congress))
        .routes(routes!(get_congress))
        .routes(routes!(create_term))
        .routes(routes!(create_session))
}
