//! 通知公告: the notices addressed to the caller; staff post and withdraw.

use crate::service::announcements::{self, AnnouncementInput};
use crate::store::announcements::AnnouncementRow;
use axum::extract::State;
use axum::response::Response;
use db::{Page, Paged};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use webkit::AppState;
use webkit::api::{ApiJson, ApiQuery, created, done, ok};
use webkit::auth::Me;
use webkit::error::{AppResult, ErrorBody};
use webkit::extract::Path;

/// A notice.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Announcement {
    pub id: i64,
    pub title: String,
    pub body: String,
    /// Role codes of its readers.
    pub audience: Vec<String>,
    pub posted_by: String,
    /// UTC milliseconds.
    pub posted_at: i64,
    pub withdrawn: bool,
}

impl From<AnnouncementRow> for Announcement {
    fn from(a: AnnouncementRow) -> Self {
        Announcement {
            id: a.id,
            audience: a.roles().map(str::to_string).collect(),
            title: a.title,
            body: a.body,
            posted_by: a.posted_by_name,
            posted_at: a.posted_at,
            withdrawn: a.withdrawn_at.is_some(),
        }
    }
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
pub struct AnnouncementQuery {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The current notices addressed to the caller's role, newest first.
#[utoipa::path(get, path = "/announcements", tag = "announcements", params(AnnouncementQuery), responses((status = 200, body = Paged<Announcement>)))]
pub async fn list(
    State(st): State<AppState>,
    Me(a): Me,
    ApiQuery(q): ApiQuery<AnnouncementQuery>,
) -> AppResult<Response> {
    let p = announcements::for_me(&st.ctx, &a, Page::new(q.page, q.per_page)).await?;
    Ok(ok(p.map(Announcement::from)))
}

/// Posts a notice to the roles named in `audience`.
#[utoipa::path(post, path = "/announcements", tag = "announcements", request_body = AnnouncementInput, responses((status = 201, body = webkit::api::Created), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(st): State<AppState>,
    Me(a): Me,
    ApiJson(r): ApiJson<AnnouncementInput>,
) -> AppResult<Response> {
    Ok(created(announcements::post(&st.ctx, &a, &r).await?))
}

/// Withdraws a notice from its readers' home pages.
#[utoipa::path(post, path = "/announcements/{id}/withdraw", tag = "announcements", params(("id" = i64, Path)), responses((status = 200, body = webkit::api::Done), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn withdraw(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    announcements::withdraw(&st.ctx, &a, id).await?;
    Ok(done())
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(withdraw))
}
