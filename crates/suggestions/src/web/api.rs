//! Suggestions and motions, their assignment, the inbox, and published replies.

use crate::service::draft::{Submitted, SuggestionInput};
use crate::service::evaluate::{EvaluationInput, PublicationInput};
use crate::service::review::{ReasonInput, SupervisionInput};
use crate::store::suggestions::SuggestionFilter;
use crate::web::types::{
    PublicSuggestion, PublicSuggestionDetail, StatsLine, SuggestionDetail, SuggestionSummary,
};
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::response::{IntoResponse, Response};
use db::{Page, Paged};
use engine::service::assign::AssignInput;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;
use webkit::extract::Path;

use webkit::AppState;
use webkit::api::{ApiJson, ApiQuery, done, ok};
use webkit::auth::Me;
use webkit::error::{AppResult, ErrorBody};

#[derive(Deserialize, Default, utoipa::IntoParams)]
pub struct ListQuery {
    /// Words in the title or content.
    pub q: Option<String>,
    /// One state: draft, submitted, returned, accepted, refused, merged, assigned, withdrawn.
    pub state: Option<String>,
    /// suggestion or motion.
    pub kind: Option<String>,
    pub category: Option<String>,
    pub session_id: Option<i64>,
    pub key_only: Option<bool>,
    pub unit_id: Option<i64>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl ListQuery {
    pub fn filter(&self) -> SuggestionFilter {
        let some = |s: &Option<String>| s.clone().filter(|x| !x.trim().is_empty());
        let (states, item_state) = crate::rules::status_filter(self.state.as_deref().unwrap_or(""));
        SuggestionFilter {
            q: some(&self.q),
            states,
            item_state,
            kind: some(&self.kind),
            category: some(&self.category),
            session_id: self.session_id.filter(|s| *s > 0),
            key_only: self.key_only.unwrap_or(false),
            unit_id: self.unit_id.filter(|u| *u > 0),
            ..Default::default()
        }
    }
}

#[utoipa::path(get, path = "/suggestions", tag = "suggestions", params(ListQuery), responses((status = 200, body = Paged<SuggestionSummary>)))]
pub async fn list(
    State(st): State<AppState>,
    Me(a): Me,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> AppResult<Response> {
    let page =
        crate::service::view::list(&st.ctx, &a, q.filter(), Page::new(q.page, q.per_page)).await?;
    Ok(ok(page.map(|s| SuggestionSummary::from(&s))))
}

/// A deputy starts a draft, or with `"submit": true` drafts and submits at once.
#[utoipa::path(post, path = "/suggestions", tag = "suggestions", request_body = SuggestionInput, responses((status = 201, body = crate::service::draft::Drafted), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(st): State<AppState>,
    Me(a): Me,
    ApiJson(r): ApiJson<SuggestionInput>,
) -> AppResult<Response> {
    let d = crate::service::draft::create(&st.ctx, &a, &r).await?;
    Ok((axum::http::StatusCode::CREATED, axum::Json(d)).into_response())
}

/// Everything about one suggestion, with what the caller may do next.
#[utoipa::path(get, path = "/suggestions/{id}", tag = "suggestions", params(("id" = i64, Path)), responses((status = 200, body = SuggestionDetail), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let d = crate::service::view::detail(&st.ctx, &a, id).await?;
    Ok(ok(SuggestionDetail::from(&d)))
}

#[utoipa::path(put, path = "/suggestions/{id}", tag = "suggestions", params(("id" = i64, Path)), request_body = SuggestionInput, responses((status = 200, body = webkit::api::Done), (status = 409, body = ErrorBody)))]
pub async fn update(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<SuggestionInput>,
) -> AppResult<Response> {
    crate::service::draft::update(&st.ctx, &a, id, &r).await?;
    Ok(done())
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct InviteInput {
    #[serde(default)]
    pub deputy_ids: Vec<i64>,
}

#[utoipa::path(post, path = "/suggestions/{id}/invite", tag = "suggestions", params(("id" = i64, Path)), request_body = InviteInput, responses((status = 200, body = webkit::api::Done), (status = 422, body = ErrorBody)))]
pub async fn invite(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<InviteInput>,
) -> AppResult<Response> {
    crate::service::draft::invite(&st.ctx, &a, id, &r.deputy_ids).await?;
    Ok(done())
}

#[utoipa::path(post, path = "/suggestions/{id}/invitations/{deputy_id}/withdraw", tag = "suggestions", params(("id" = i64, Path), ("deputy_id" = i64, Path)), responses((status = 200, body = webkit::api::Done), (status = 409, body = ErrorBody)))]
pub async fn withdraw_invitation(
    State(st): State<AppState>,
    Me(a): Me,
    Path((id, deputy_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    crate::service::cosign::withdraw_invitation(&st.ctx, &a, id, deputy_id).await?;
    Ok(done())
}

/// Staff record a co-signature the invited deputy gave on paper.
#[utoipa::path(post, path = "/suggestions/{id}/invitations/{deputy_id}/paper", tag = "suggestions", params(("id" = i64, Path), ("deputy_id" = i64, Path)), responses((status = 200, body = webkit::api::Done), (status = 409, body = ErrorBody)))]
pub async fn record_paper(
    State(st): State<AppState>,
    Me(a): Me,
    Path((id, deputy_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    crate::service::cosign::record_paper(&st.ctx, &a, id, deputy_id).await?;
    Ok(done())
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct CosignInput {
    #[serde(default, deserialize_with = "app::de::flex_bool")]
    pub confirm: bool,
}

#[utoipa::path(post, path = "/suggestions/{id}/cosign", tag = "suggestions", params(("id" = i64, Path)), request_body = CosignInput, responses((status = 200, body = webkit::api::Done), (status = 409, body = ErrorBody)))]
pub async fn cosign(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<CosignInput>,
) -> AppResult<Response> {
    crate::service::draft::respond(&st.ctx, &a, id, r.confirm).await?;
    Ok(done())
}

#[utoipa::path(post, path = "/suggestions/{id}/submit", tag = "suggestions", params(("id" = i64, Path)), responses((status = 200, body = Submitted), (status = 409, body = ErrorBody)))]
pub async fn submit(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    Ok(ok(crate::service::draft::submit(&st.ctx, &a, id).await?))
}

#[utoipa::path(post, path = "/suggestions/{id}/withdraw", tag = "suggestions", params(("id" = i64, Path)), responses((status = 200, body = webkit::api::Done)))]
pub async fn withdraw(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    crate::service::draft::withdraw(&st.ctx, &a, id).await?;
    Ok(done())
}

/// Attaches a PDF, image or Word file (multipart field `file`) to one's draft.
#[utoipa::path(post, path = "/suggestions/{id}/attachments", tag = "suggestions", params(("id" = i64, Path)), request_body(content_type = "multipart/form-data", content = Vec<u8>), responses((status = 200, body = app::attachments::Stored), (status = 422, body = ErrorBody)))]
pub async fn attach(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    mp: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    a.require(kernel::roles::Permission::ProposeSuggestions)?;
    let mp = mp.map_err(|_| {
        app::Error::field("file", "请以 multipart/form-data 上传文件（字段名 file）")
    })?;
    let (name, bytes, _) = webkit::pages::read_upload(mp).await?;
    Ok(ok(crate::service::draft::attach(
        &st.ctx, &a, id, &name, &bytes,
    )
    .await?))
}

#[utoipa::path(post, path = "/suggestions/{id}/accept", tag = "review", params(("id" = i64, Path)), responses((status = 200, body = webkit::api::Done), (status = 409, body = ErrorBody)))]
pub async fn accept(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    crate::service::review::accept(&st.ctx, &a, id).await?;
    Ok(done())
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct BatchInput {
    /// The suggestions, at most 200.
    #[serde(default)]
    pub ids: Vec<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Accepted {
    pub accepted: usize,
}

/// Accepts several submitted suggestions at once: all of them, or none.
#[utoipa::path(post, path = "/suggestions/accept", tag = "review", request_body = BatchInput, responses((status = 200, body = Accepted), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn accept_many(
    State(st): State<AppState>,
    Me(a): Me,
    ApiJson(r): ApiJson<BatchInput>,
) -> AppResult<Response> {
    let accepted = crate::service::review::accept_many(&st.ctx, &a, &r.ids).await?;
    Ok(ok(Accepted { accepted }))
}

#[utoipa::path(post, path = "/suggestions/{id}/return", tag = "review", params(("id" = i64, Path)), request_body = ReasonInput, responses((status = 200, body = webkit::api::Done), (status = 422, body = ErrorBody)))]
pub async fn return_for_revision(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<ReasonInput>,
) -> AppResult<Response> {
    crate::service::review::return_for_revision(&st.ctx, &a, id, &r.reason).await?;
    Ok(done())
}

#[utoipa::path(post, path = "/suggestions/{id}/refuse", tag = "review", params(("id" = i64, Path)), request_body = ReasonInput, responses((status = 200, body = webkit::api::Done), (status = 422, body = ErrorBody)))]
pub async fn refuse(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<ReasonInput>,
) -> AppResult<Response> {
    crate::service::review::refuse(&st.ctx, &a, id, &r.reason).await?;
    Ok(done())
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct MergeInput {
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub into: Option<i64>,
}

#[utoipa::path(post, path = "/suggestions/{id}/merge", tag = "review", params(("id" = i64, Path)), request_body = MergeInput, responses((status = 200, body = webkit::api::Done), (status = 422, body = ErrorBody)))]
pub async fn merge(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<MergeInput>,
) -> AppResult<Response> {
    crate::service::review::merge(&st.ctx, &a, id, r.into.unwrap_or(0)).await?;
    Ok(done())
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct CategoryInput {
    #[serde(default)]
    pub category: String,
}

#[utoipa::path(post, path = "/suggestions/{id}/category", tag = "review", params(("id" = i64, Path)), request_body = CategoryInput, responses((status = 200, body = webkit::api::Done)))]
pub async fn category(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<CategoryInput>,
) -> AppResult<Response> {
    crate::service::review::set_category(&st.ctx, &a, id, &r.category).await?;
    Ok(done())
}

/// A motion the presidium did not place on the agenda becomes a suggestion.
#[utoipa::path(post, path = "/suggestions/{id}/convert", tag = "review", params(("id" = i64, Path)), request_body = ReasonInput, responses((status = 200, body = webkit::api::Done)))]
pub async fn convert(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<ReasonInput>,
) -> AppResult<Response> {
    crate::service::review::convert_motion(&st.ctx, &a, id, &r.reason).await?;
    Ok(done())
}

#[utoipa::path(post, path = "/suggestions/{id}/supervision", tag = "review", params(("id" = i64, Path)), request_body = SupervisionInput, responses((status = 200, body = webkit::api::Done)))]
pub async fn supervision(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<SupervisionInput>,
) -> AppResult<Response> {
    crate::service::review::set_supervision(&st.ctx, &a, id, &r).await?;
    Ok(done())
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct BatchAssignInput {
    #[serde(default)]
    pub ids: Vec<i64>,
    #[serde(flatten)]
    pub assign: AssignInput,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Assigned {
    pub item_ids: Vec<i64>,
}

/// Assigns one or many accepted suggestions to the same units.
#[utoipa::path(post, path = "/suggestions/assign", tag = "assignment", request_body = BatchAssignInput, responses((status = 200, body = Assigned), (status = 422, body = ErrorBody)))]
pub async fn assign(
    State(st): State<AppState>,
    Me(a): Me,
    ApiJson(r): ApiJson<BatchAssignInput>,
) -> AppResult<Response> {
    let item_ids = crate::service::assign::assign(&st.ctx, &a, &r.ids, &r.assign).await?;
    Ok(ok(Assigned { item_ids }))
}

#[utoipa::path(post, path = "/suggestions/{id}/evaluate", tag = "handling", params(("id" = i64, Path)), request_body = EvaluationInput, responses((status = 200, body = webkit::api::Done), (status = 422, body = ErrorBody)))]
pub async fn evaluate(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<EvaluationInput>,
) -> AppResult<Response> {
    crate::service::evaluate::evaluate(&st.ctx, &a, id, &r).await?;
    Ok(done())
}

#[utoipa::path(post, path = "/suggestions/{id}/publication", tag = "handling", params(("id" = i64, Path)), request_body = PublicationInput, responses((status = 200, body = webkit::api::Done)))]
pub async fn publication(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<PublicationInput>,
) -> AppResult<Response> {
    crate::service::evaluate::set_publication(&st.ctx, &a, id, &r).await?;
    Ok(done())
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct ConfidentialInput {
    #[serde(default, deserialize_with = "app::de::flex_bool")]
    pub confidential: bool,
}

#[utoipa::path(post, path = "/suggestions/{id}/confidential", tag = "handling", params(("id" = i64, Path)), request_body = ConfidentialInput, responses((status = 200, body = webkit::api::Done)))]
pub async fn confidential(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<ConfidentialInput>,
) -> AppResult<Response> {
    crate::service::evaluate::set_confidential(&st.ctx, &a, id, r.confidential).await?;
    Ok(done())
}

#[utoipa::path(get, path = "/invitations", tag = "suggestions", responses((status = 200, body = Vec<SuggestionSummary>)))]
pub async fn invitations(State(st): State<AppState>, Me(a): Me) -> AppResult<Response> {
    let rows = crate::service::view::invitations(&st.ctx, &a).await?;
    Ok(ok(rows
        .iter()
        .map(SuggestionSummary::from)
        .collect::<Vec<_>>()))
}

/// Published replies; no sign-in needed.
#[utoipa::path(get, path = "/public/suggestions", tag = "public", params(ListQuery), responses((status = 200, body = Paged<PublicSuggestion>)))]
pub async fn public_list(
    State(st): State<AppState>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> AppResult<Response> {
    let page =
        crate::service::view::public_list(&st.ctx, q.filter(), Page::new(q.page, q.per_page))
            .await?;
    Ok(ok(page.map(|s| PublicSuggestion::from(&s))))
}

#[utoipa::path(get, path = "/public/suggestions/{id}", tag = "public", params(("id" = i64, Path)), responses((status = 200, body = PublicSuggestionDetail), (status = 404, body = ErrorBody)))]
pub async fn public_one(State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<Response> {
    let p = crate::service::view::public_detail(&st.ctx, id).await?;
    Ok(ok(PublicSuggestionDetail::from(&p)))
}

/// An attachment the caller may read (the public: those of published replies).
#[utoipa::path(get, path = "/attachments/{id}", tag = "suggestions", params(("id" = i64, Path)), responses((status = 200, body = Vec<u8>), (status = 404, body = ErrorBody)))]
pub async fn attachment(
    State(st): State<AppState>,
    auth: Option<axum::Extension<webkit::auth::Auth>>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let actor = match auth.map(|a| a.0) {
        Some(webkit::auth::Auth::Session(s)) if s.stage == app::auth::STAGE_FULL => {
            Some(s.actor.clone())
        }
        Some(webkit::auth::Auth::Token(a)) => Some(*a),
        _ => None,
    };
    let (meta, bytes) = crate::service::view::attachment(&st.ctx, actor.as_ref(), id).await?;
    let disposition = format!(
        "attachment; filename=\"file\"; filename*=UTF-8''{}",
        webkit::error::urlencode(&meta.file_name)
    );
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, meta.content_type),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct OptionsInput {
    /// One item per line.
    #[serde(default)]
    pub items: String,
}

#[utoipa::path(get, path = "/options/{list}", tag = "suggestions", params(("list" = String, Path)), responses((status = 200, body = Vec<String>)))]
pub async fn get_options(
    State(st): State<AppState>,
    Me(_a): Me,
    Path(list): Path<String>,
) -> AppResult<Response> {
    let list = crate::rules::option_list(&list).ok_or(app::Error::NotFound("列表"))?;
    Ok(ok(app::options::get(&st.ctx, list).await?))
}

#[utoipa::path(put, path = "/options/{list}", tag = "suggestions", params(("list" = String, Path)), request_body = OptionsInput, responses((status = 200, body = Vec<String>), (status = 422, body = ErrorBody)))]
pub async fn put_options(
    State(st): State<AppState>,
    Me(a): Me,
    Path(list): Path<String>,
    ApiJson(r): ApiJson<OptionsInput>,
) -> AppResult<Response> {
    let list = crate::rules::option_list(&list).ok_or(app::Error::NotFound("列表"))?;
    Ok(ok(app::options::set(&st.ctx, &a, list, &r.items).await?))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(accept_many))
        .routes(routes!(assign))
        .routes(routes!(get_one, update))
        .routes(routes!(invite))
        .routes(routes!(cosign))
        .routes(routes!(withdraw_invitation))
        .routes(routes!(record_paper))
        .routes(routes!(submit))
        .routes(routes!(withdraw))
        .routes(routes!(attach).layer(DefaultBodyLimit::max(webkit::UPLOAD_LIMIT)))
        .routes(routes!(accept))
        .routes(routes!(return_for_revision))
        .routes(routes!(refuse))
        .routes(routes!(merge))
        .routes(routes!(category))
        .routes(routes!(convert))
        .routes(routes!(supervision))
        .routes(routes!(evaluate))
        .routes(routes!(publication))
        .routes(routes!(confidential))
        .routes(routes!(invitations))
        .routes(routes!(public_list))
        .routes(routes!(public_one))
        .routes(routes!(attachment))
        .routes(routes!(get_options, put_options))
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
pub struct StatsQuery {
    /// unit (default), category, session or deputy.
    pub dimension: Option<String>,
    pub session_id: Option<i64>,
}

/// Counts and rates per unit, category, session or lead deputy, with the unit performance score.
#[utoipa::path(get, path = "/stats", tag = "assignment", params(StatsQuery), responses((status = 200, body = Vec<StatsLine>), (status = 403, body = ErrorBody)))]
pub async fn stats(
    State(st): State<AppState>,
    Me(a): Me,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> AppResult<Response> {
    let dim = crate::service::stats::dimension(q.dimension.as_deref().unwrap_or(""))
        .ok_or(app::Error::NotFound("统计维度"))?;
    let lines =
        crate::service::stats::compute(&st.ctx, &a, dim, q.session_id.filter(|x| *x > 0)).await?;
    Ok(ok(lines.iter().map(StatsLine::from).collect::<Vec<_>>()))
}

pub fn stats_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(stats))
}
