//! Handling units.

use super::types::{Unit, UnitWithContacts};
use crate::service::units::UnitInput;
use crate::store::units::UnitFilter;
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
pub struct UnitQuery {
    pub name: Option<String>,
    /// government_department, supervisory_commission, court, procuratorate, other.
    pub kind: Option<String>,
    pub congress_id: Option<i64>,
    pub active: Option<bool>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl UnitQuery {
    fn filter(&self) -> UnitFilter {
        UnitFilter {
            name: self.name.clone(),
            kind: self.kind.clone(),
            congress_ids: self.congress_id.map(|c| vec![c]),
            active: self.active,
            ..Default::default()
        }
    }
}

#[utoipa::path(get, path = "/units", tag = "units", params(UnitQuery), responses((status = 200, body = Paged<Unit>), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(st): State<AppState>,
    Me(a): Me,
    ApiQuery(q): ApiQuery<UnitQuery>,
) -> AppResult<Response> {
    let v = crate::service::units::list(&st.ctx, &a, &q.filter(), Page::new(q.page, q.per_page))
        .await?;
    Ok(ok(v.map(|u| Unit::from(&u))))
}

#[utoipa::path(post, path = "/units", tag = "units", request_body = UnitInput, responses((status = 201, body = webkit::api::Created), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(st): State<AppState>,
    Me(a): Me,
    ApiJson(r): ApiJson<UnitInput>,
) -> AppResult<Response> {
    Ok(created(
        crate::service::units::create(&st.ctx, &a, &r).await?,
    ))
}

#[utoipa::path(get, path = "/units/{id}", tag = "units", params(("id" = i64, Path)), responses((status = 200, body = UnitWithContacts), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let v = crate::service::units::detail(&st.ctx, &a, id).await?;
    Ok(ok(UnitWithContacts::from(&v)))
}

#[utoipa::path(put, path = "/units/{id}", tag = "units", params(("id" = i64, Path)), request_body = UnitInput, responses((status = 200, body = webkit::api::Done), (status = 422, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<UnitInput>,
) -> AppResult<Response> {
    crate::service::units::update(&st.ctx, &a, id, &r).await?;
    Ok(done())
}

/// The units the caller sees, as .xlsx.
#[utoipa::path(get, path = "/units/export", tag = "units", params(UnitQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>)))]
pub async fn export(
    State(st): State<AppState>,
    Me(a): Me,
    ApiQuery(q): ApiQuery<UnitQuery>,
) -> AppResult<Response> {
    let bytes = crate::service::units::export(&st.ctx, &a, &q.filter()).await?;
    Ok(download(bytes, "承办单位.xlsx", XLSX))
}

/// Checks an .xlsx (multipart fields `file` and `congress_id`); a valid file gets an `upload_id`.
#[utoipa::path(post, path = "/units/import", tag = "units", request_body(content_type = "multipart/form-data", content = Vec<u8>), responses((status = 200, body = Preview), (status = 422, body = ErrorBody)))]
pub async fn import_preview(
    State(st): State<AppState>,
    Me(a): Me,
    mp: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    a.require(kernel::roles::Permission::ManageUnits)?;
    let mp = mp.map_err(|_| {
        app::Error::field(
            "file",
            "请以 multipart/form-data 上传 .xlsx 文件（字段名 file）",
        )
    })?;
    let (name, bytes, congress_id) = webkit::pages::read_upload(mp).await?;
    Ok(ok(crate::service::unit_import::preview(
        &st.ctx,
        &a,
        congress_id,
        &name,
        &bytes,
    )
    .await?))
}

/// Writes a previewed file, all rows or none; an upload can be confirmed once.
#[utoipa::path(post, path = "/units/import/{upload_id}/confirm", tag = "units", params(("upload_id" = i64, Path)), responses((status = 200, body = Outcome), (status = 409, body = ErrorBody)))]
pub async fn import_confirm(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    Ok(ok(
        crate::service::unit_import::confirm(&st.ctx, &a, id).await?
    ))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import_preview).layer(DefaultBodyLimit::max(webkit::UPLOAD_LIMIT)))
        .routes(routes!(import_confirm))
        .routes(routes!(list, create))
        .routes(routes!(export))
        .routes(routes!(get_one, update))
}
