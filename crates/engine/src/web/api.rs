//! The engine's JSON API: assignments, commitments, an item's evaluation,
//! and the work queues, for items of every kind.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::response::Response;
use db::{Page, Paged};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;
use webkit::AppState;
use webkit::api::{ApiJson, ApiQuery, created, done, ok};
use webkit::auth::Me;
use webkit::error::{AppResult, ErrorBody};
use webkit::extract::Path;

use crate::kind::kinds;
use crate::service::assign::ExtensionInput;
use crate::service::evaluate::{EvaluationInput, FulfilInput};
use crate::service::handle::{ContactInput, OpinionInput, ReplyInput, SignoffInput};
use crate::service::view::Queue;
use crate::web::types::QueueEntry;

#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct ReturnInput {
    /// Why the item is not the unit's business (4 to 500 characters).
    #[serde(default)]
    pub reason: String,
}

#[utoipa::path(post, path = "/assignments/{id}/return", tag = "assignment", params(("id" = i64, Path)), request_body = ReturnInput, responses((status = 200, body = webkit::api::Done), (status = 409, body = ErrorBody)))]
pub async fn unit_return(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<ReturnInput>,
) -> AppResult<Response> {
    crate::service::assign::unit_return(&st.ctx, &a, id, &r.reason).await?;
    Ok(done())
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct ReassignInput {
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub unit_id: Option<i64>,
}

#[utoipa::path(post, path = "/assignments/{id}/reassign", tag = "assignment", params(("id" = i64, Path)), request_body = ReassignInput, responses((status = 201, body = webkit::api::Created), (status = 409, body = ErrorBody)))]
pub async fn reassign(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<ReassignInput>,
) -> AppResult<Response> {
    Ok(created(
        crate::service::assign::reassign(&st.ctx, &a, id, r.unit_id.unwrap_or(0)).await?,
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct NewDue {
    pub due_date: String,
}

#[utoipa::path(post, path = "/assignments/{id}/extend", tag = "assignment", params(("id" = i64, Path)), request_body = ExtensionInput, responses((status = 200, body = NewDue), (status = 409, body = ErrorBody)))]
pub async fn extend(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<ExtensionInput>,
) -> AppResult<Response> {
    Ok(ok(NewDue {
        due_date: crate::service::assign::extend(&st.ctx, &a, id, &r).await?,
    }))
}

/// Staff let a lead unit reply before the assisting units' opinions are in.
#[utoipa::path(post, path = "/assignments/{id}/waive-opinions", tag = "assignment", params(("id" = i64, Path)), request_body = crate::service::opinions::WaiveInput, responses((status = 200, body = webkit::api::Done), (status = 409, body = ErrorBody)))]
pub async fn waive_opinions(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<crate::service::opinions::WaiveInput>,
) -> AppResult<Response> {
    crate::service::opinions::waive(&st.ctx, &a, id, &r).await?;
    Ok(done())
}

#[utoipa::path(post, path = "/assignments/{id}/contacts", tag = "handling", params(("id" = i64, Path)), request_body = ContactInput, responses((status = 201, body = webkit::api::Created), (status = 422, body = ErrorBody)))]
pub async fn contact(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<ContactInput>,
) -> AppResult<Response> {
    Ok(created(
        crate::service::handle::add_contact(&st.ctx, &a, id, &r).await?,
    ))
}

#[utoipa::path(post, path = "/assignments/{id}/opinion", tag = "handling", params(("id" = i64, Path)), request_body = OpinionInput, responses((status = 200, body = webkit::api::Done), (status = 409, body = ErrorBody)))]
pub async fn opinion(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<OpinionInput>,
) -> AppResult<Response> {
    crate::service::handle::send_opinion(&st.ctx, &a, id, &r).await?;
    Ok(done())
}

#[utoipa::path(post, path = "/assignments/{id}/reply", tag = "handling", params(("id" = i64, Path)), request_body = ReplyInput, responses((status = 201, body = webkit::api::Created), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reply(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<ReplyInput>,
) -> AppResult<Response> {
    Ok(created(
        crate::service::handle::submit_reply(&st.ctx, &a, id, &r).await?,
    ))
}

#[utoipa::path(post, path = "/assignments/{id}/reply/attachments", tag = "handling", params(("id" = i64, Path)), request_body(content_type = "multipart/form-data", content = Vec<u8>), responses((status = 200, body = app::attachments::Stored)))]
pub async fn reply_attach(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    mp: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    crate::kind::require_some(&st.ctx, &a, |p| p.handle)?;
    let mp = mp.map_err(|_| {
        app::Error::field("file", "请以 multipart/form-data 上传文件（字段名 file）")
    })?;
    let (name, bytes, _) = webkit::pages::read_upload(mp).await?;
    Ok(ok(crate::service::handle::attach_to_reply(
        &st.ctx, &a, id, &name, &bytes,
    )
    .await?))
}

/// The unit head or the government leader approves (or sends back) the reply whose SM3 digest they saw.
#[utoipa::path(post, path = "/assignments/{id}/signoff", tag = "handling", params(("id" = i64, Path)), request_body = SignoffInput, responses((status = 200, body = webkit::api::Done), (status = 409, body = ErrorBody)))]
pub async fn signoff(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<SignoffInput>,
) -> AppResult<Response> {
    crate::service::handle::sign_off(&st.ctx, &a, id, &r).await?;
    Ok(done())
}

#[utoipa::path(post, path = "/commitments/{id}/fulfil", tag = "handling", params(("id" = i64, Path)), request_body = FulfilInput, responses((status = 200, body = webkit::api::Done), (status = 409, body = ErrorBody)))]
pub async fn fulfil(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<FulfilInput>,
) -> AppResult<Response> {
    crate::service::evaluate::fulfil(&st.ctx, &a, id, &r).await?;
    Ok(done())
}

/// Rates the replies of an item, as its kind's evaluator.
#[utoipa::path(post, path = "/items/{id}/evaluate", tag = "handling", params(("id" = i64, Path)), request_body = EvaluationInput, responses((status = 200, body = webkit::api::Done), (status = 422, body = ErrorBody)))]
pub async fn evaluate(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<EvaluationInput>,
) -> AppResult<Response> {
    crate::service::evaluate::evaluate(&st.ctx, &a, id, &r).await?;
    Ok(done())
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
pub struct PageQuery {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// Work queues: `unit` (a unit's open items), `signoff` (awaiting the caller's
/// signature), `overdue`, and the queues kinds pick (`key`: key supervision).
#[utoipa::path(get, path = "/queues/{queue}", tag = "assignment", params(("queue" = String, Path), PageQuery), responses((status = 200, body = Paged<QueueEntry>), (status = 403, body = ErrorBody)))]
pub async fn queue(
    State(st): State<AppState>,
    Me(a): Me,
    Path(name): Path<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> AppResult<Response> {
    let which = match name.as_str() {
        "unit" => Queue::Unit,
        "signoff" => Queue::Signoff,
        "overdue" => Queue::Overdue,
        other => {
            let picked = kinds(&st.ctx)?
                .all()
                .into_iter()
                .flat_map(|k| k.picked_queues())
                .find(|p| p.key == other);
            match picked {
                Some(p) => Queue::Picked(p.subjects),
                None => return Err(app::Error::NotFound("队列").into()),
            }
        }
    };
    let today = st.ctx.today().to_string();
    let page =
        crate::service::view::queue(&st.ctx, &a, which, Page::new(q.page, q.per_page)).await?;
    Ok(ok(page.map(|r| QueueEntry::of(&r, &today))))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(unit_return))
        .routes(routes!(reassign))
        .routes(routes!(extend))
        .routes(routes!(waive_opinions))
        .routes(routes!(contact))
        .routes(routes!(opinion))
        .routes(routes!(reply))
        .routes(routes!(reply_attach).layer(DefaultBodyLimit::max(webkit::UPLOAD_LIMIT)))
        .routes(routes!(signoff))
        .routes(routes!(fulfil))
        .routes(routes!(evaluate))
        .routes(routes!(queue))
}
