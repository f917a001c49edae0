//! The bodies of a congress and their dated memberships.

use axum::extract::State;
use axum::response::Response;
use kernel::bodies::{BodyKind, BodyPosition};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use webkit::AppState;
use webkit::api::{ApiJson, ApiQuery, created, done, ok};
use webkit::auth::Me;
use webkit::error::{AppResult, ErrorBody};
use webkit::extract::Path;

use crate::service::bodies::{BodyInput, CorrectionInput, EndInput, MemberInput};
use crate::store::bodies::{BodyRow, MemberRow};

#[derive(Serialize, utoipa::ToSchema)]
pub struct Body {
    pub id: i64,
    pub congress_id: i64,
    pub kind: String,
    pub kind_label: String,
    pub name: String,
    /// Members serving today.
    pub members: i64,
}

impl From<&BodyRow> for Body {
    fn from(r: &BodyRow) -> Self {
        Body {
            id: r.id,
            congress_id: r.congress_id,
            kind: r.kind.clone(),
            kind_label: BodyKind::parse(&r.kind)
                .map_or_else(|| r.kind.clone(), |k| k.label().into()),
            name: r.name.clone(),
            members: r.members,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct BodyMember {
    pub id: i64,
    pub deputy_id: Option<i64>,
    pub name: String,
    pub position: String,
    /// The place as this body names it (主任, 主席, 委员, 成员…).
    pub position_label: String,
    pub from_date: String,
    pub to_date: Option<String>,
    pub end_reason: String,
}

fn member(r: &MemberRow, kind: &str) -> BodyMember {
    let kind = BodyKind::parse(kind).unwrap_or(BodyKind::WorkingCommittee);
    BodyMember {
        id: r.id,
        deputy_id: r.deputy_id,
        name: r.name.clone(),
        position: r.position.clone(),
        position_label: BodyPosition::parse(&r.position)
            .map_or_else(|| r.position.clone(), |p| p.label_in(kind).into()),
        from_date: r.from_date.clone(),
        to_date: r.to_date.clone(),
        end_reason: r.end_reason.clone(),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct BodyWithMembers {
    #[serde(flatten)]
    pub body: Body,
    pub congress_name: String,
    /// Everyone who has sat on it, the serving first.
    pub history: Vec<BodyMember>,
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
pub struct BodyQuery {
    /// Only this congress's bodies.
    pub congress_id: Option<i64>,
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
pub struct OnQuery {
    /// YYYY-MM-DD.
    pub on: String,
}

#[utoipa::path(get, path = "/bodies", tag = "organisation", params(BodyQuery), responses((status = 200, body = Vec<Body>), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(st): State<AppState>,
    Me(a): Me,
    ApiQuery(q): ApiQuery<BodyQuery>,
) -> AppResult<Response> {
    let v = crate::service::bodies::list(&st.ctx, &a, q.congress_id).await?;
    Ok(ok(v.iter().map(Body::from).collect::<Vec<_>>()))
}

#[utoipa::path(post, path = "/bodies", tag = "organisation", request_body = BodyInput, responses((status = 201, body = webkit::api::Created), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(st): State<AppState>,
    Me(a): Me,
    ApiJson(r): ApiJson<BodyInput>,
) -> AppResult<Response> {
    Ok(created(
        crate::service::bodies::create(&st.ctx, &a, &r).await?,
    ))
}

#[utoipa::path(get, path = "/bodies/{id}", tag = "organisation", params(("id" = i64, Path)), responses((status = 200, body = BodyWithMembers), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let d = crate::service::bodies::detail(&st.ctx, &a, id).await?;
    Ok(ok(BodyWithMembers {
        history: d.members.iter().map(|m| member(m, &d.body.kind)).collect(),
        body: Body::from(&d.body),
        congress_name: d.congress_name,
    }))
}

/// Who sat on the body on a given day.
#[utoipa::path(get, path = "/bodies/{id}/members", tag = "organisation", params(("id" = i64, Path), OnQuery), responses((status = 200, body = Vec<BodyMember>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn members_on(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<OnQuery>,
) -> AppResult<Response> {
    let (body, v) = crate::service::bodies::members_on(&st.ctx, &a, id, &q.on).await?;
    Ok(ok(v
        .iter()
        .map(|m| member(m, &body.kind))
        .collect::<Vec<_>>()))
}

#[utoipa::path(post, path = "/bodies/{id}/members", tag = "organisation", params(("id" = i64, Path)), request_body = MemberInput, responses((status = 201, body = webkit::api::Created), (status = 422, body = ErrorBody)))]
pub async fn add_member(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<MemberInput>,
) -> AppResult<Response> {
    Ok(created(
        crate::service::bodies::add_member(&st.ctx, &a, id, &r).await?,
    ))
}

#[utoipa::path(post, path = "/body-members/{id}/end", tag = "organisation", params(("id" = i64, Path)), request_body = EndInput, responses((status = 200, body = webkit::api::Done), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn end_member(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<EndInput>,
) -> AppResult<Response> {
    crate::service::bodies::end_member(&st.ctx, &a, id, &r).await?;
    Ok(done())
}

/// Corrects a membership entered wrongly (place, dates, reason); audited with what it said before.
#[utoipa::path(put, path = "/body-members/{id}", tag = "organisation", params(("id" = i64, Path)), request_body = CorrectionInput, responses((status = 200, body = webkit::api::Done), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn correct_member(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<CorrectionInput>,
) -> AppResult<Response> {
    crate::service::bodies::correct_member(&st.ctx, &a, id, &r).await?;
    Ok(done())
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get))
        .routes(routes!(members_on, add_member))
        .routes(routes!(end_member))
        .routes(routes!(correct_member))
}
