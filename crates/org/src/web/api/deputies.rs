//! Deputies and their mandates, import and export.

use crate::service::deputies::{DeputyDetail, DeputyInput, Revealed, RosterRow, TerminationInput};
use crate::store::deputies::MandateFilter;
use app::imports::{Outcome, Preview};
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::response::Response;
use db::{Page, Paged};
use serde::Deserialize;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;
use webkit::extract::Path;

use webkit::AppState;
use webkit::api::{ApiJson, ApiQuery, created, done, ok};
use webkit::auth::Me;
use webkit::error::{AppResult, ErrorBody};
use webkit::pages::{XLSX, download};

#[derive(Deserialize, Default, utoipa::IntoParams)]
pub struct DeputyQuery {
    /// Part of the name.
    pub name: Option<String>,
    /// national, provincial, city, county, township.
    pub level: Option<String>,
    /// in_office or terminated.
    pub status: Option<String>,
    pub congress_id: Option<i64>,
    pub term_id: Option<i64>,
    pub delegation: Option<String>,
    pub professional_group: Option<String>,
    pub constituency: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl DeputyQuery {
    fn filter(&self) -> MandateFilter {
        MandateFilter {
            name: self.name.clone(),
            level: self.level.clone(),
            status: self.status.clone(),
            congress_id: self.congress_id,
            term_id: self.term_id,
            delegation: self.delegation.clone(),
            professional_group: self.professional_group.clone(),
            constituency: self.constituency.clone(),
            ..Default::default()
        }
    }
}

/// The roster (one row per mandate); phones are masked.
#[utoipa::path(get, path = "/deputies", tag = "deputies", params(DeputyQuery), responses((status = 200, body = Paged<RosterRow>), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(st): State<AppState>,
    Me(a): Me,
    ApiQuery(q): ApiQuery<DeputyQuery>,
) -> AppResult<Response> {
    Ok(ok(crate::service::deputies::list(
        &st.ctx,
        &a,
        q.filter(),
        Page::new(q.page, q.per_page),
    )
    .await?))
}

/// Registers a deputy's mandate; returns the person's id.
#[utoipa::path(post, path = "/deputies", tag = "deputies", request_body = DeputyInput, responses((status = 201, body = webkit::api::Created), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(st): State<AppState>,
    Me(a): Me,
    ApiJson(r): ApiJson<DeputyInput>,
) -> AppResult<Response> {
    Ok(created(
        crate::service::deputies::create(&st.ctx, &a, &r).await?,
    ))
}

#[utoipa::path(get, path = "/deputies/{id}", tag = "deputies", params(("id" = i64, Path)), responses((status = 200, body = DeputyDetail), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    Ok(ok(crate::service::deputies::detail(&st.ctx, &a, id).await?))
}

/// The unmasked phone and ID number; each call is audited.
#[utoipa::path(post, path = "/deputies/{id}/reveal", tag = "deputies", params(("id" = i64, Path)), responses((status = 200, body = Revealed), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn reveal(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    Ok(ok(crate::service::deputies::reveal(&st.ctx, &a, id).await?))
}

#[utoipa::path(put, path = "/mandates/{id}", tag = "deputies", params(("id" = i64, Path)), request_body = DeputyInput, responses((status = 200, body = webkit::api::Done), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<DeputyInput>,
) -> AppResult<Response> {
    crate::service::deputies::update(&st.ctx, &a, id, &r).await?;
    Ok(done())
}

#[utoipa::path(post, path = "/mandates/{id}/terminate", tag = "deputies", params(("id" = i64, Path)), request_body = TerminationInput, responses((status = 200, body = webkit::api::Done), (status = 422, body = ErrorBody)))]
pub async fn terminate(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<TerminationInput>,
) -> AppResult<Response> {
    crate::service::deputies::terminate(&st.ctx, &a, id, &r).await?;
    Ok(done())
}

#[utoipa::path(get, path = "/deputies/export", tag = "deputies", params(DeputyQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>)))]
pub async fn export(
    State(st): State<AppState>,
    Me(a): Me,
    ApiQuery(q): ApiQuery<DeputyQuery>,
) -> AppResult<Response> {
    let bytes = crate::service::deputies::export(&st.ctx, &a, q.filter()).await?;
    Ok(download(bytes, "代表名册.xlsx", XLSX))
}

/// Checks an .xlsx (multipart field `file`); a valid file gets an `upload_id` to confirm.
#[utoipa::path(post, path = "/deputies/import", tag = "deputies", request_body(content_type = "multipart/form-data", content = Vec<u8>), responses((status = 200, body = Preview), (status = 422, body = ErrorBody)))]
pub async fn import_preview(
    State(st): State<AppState>,
    Me(a): Me,
    mp: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    // Who may import is decided before the body is looked at.
    a.require(kernel::roles::Permission::ManageDeputies)?;
    let mp = mp.map_err(|_| {
        app::Error::field(
            "file",
            "请以 multipart/form-data 上传 .xlsx 文件（字段名 file）",
        )
    })?;
    let (name, bytes, _) = webkit::pages::read_upload(mp).await?;
    Ok(ok(crate::service::deputy_import::preview(
        &st.ctx, &a, &name, &bytes,
    )
    .await?))
}

/// Writes a previewed file, all rows or none; an upload can be confirmed once.
#[utoipa::path(post, path = "/deputies/import/{upload_id}/confirm", tag = "deputies", params(("upload_id" = i64, Path)), responses((status = 200, body = Outcome), (status = 409, body = ErrorBody)))]
pub async fn import_confirm(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    Ok(ok(
        crate::service::deputy_import::confirm(&st.ctx, &a, id).await?
    ))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(export))
        .routes(routes!(import_preview).layer(DefaultBodyLimit::max(webkit::UPLOAD_LIMIT)))
        .routes(routes!(import_confirm))
        .routes(routes!(get_one))
        .routes(routes!(reveal))
        .routes(routes!(update))
        .routes(routes!(terminate))
}
