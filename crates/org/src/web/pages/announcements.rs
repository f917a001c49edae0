//! 通知公告: staff post and withdraw notices; readers open one from their
//! home page. A refused notice comes back with what was typed and ticked.

use crate::service::announcements::{self, AnnouncementInput, BODY_MAX, TITLE_MAX};
use crate::store::announcements::AnnouncementRow;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use db::Page;
use kernel::roles::Role;
use serde::Deserialize;
use webkit::auth::{Me, MeSession, Session};
use webkit::error::{AppError, AppResult};
use webkit::extract::{Kept, Path, Posted};
use webkit::pages::see_other_with;
use webkit::view::{Layout, Pager, render, render_status, ts};
use webkit::{AppState, Pages};

const POST: &str = "/announcements";

/// A notice as a list shows it.
pub struct Line {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub readers: String,
    pub posted_by: String,
    pub posted_at: String,
    pub withdrawn_at: String,
}

impl From<AnnouncementRow> for Line {
    fn from(a: AnnouncementRow) -> Line {
        let readers: Vec<&str> = a
            .roles()
            .filter_map(Role::parse)
            .map(|r| r.label())
            .collect();
        Line {
            id: a.id,
            readers: readers.join("、"),
            title: a.title,
            body: a.body,
            posted_by: a.posted_by_name,
            posted_at: ts(a.posted_at),
            withdrawn_at: a.withdrawn_at.map(ts).unwrap_or_default(),
        }
    }
}

pub struct RoleChoice {
    pub code: &'static str,
    pub label: &'static str,
}

#[derive(Template)]
#[template(path = "announcements.html")]
struct ManagePage {
    layout: Layout,
    rows: Vec<Line>,
    pager: Pager,
    roles: Vec<RoleChoice>,
    kept: Kept,
    title_max: usize,
    body_max: usize,
}

impl ManagePage {
    fn val(&self, field: &str) -> String {
        self.kept.val(POST, field, "")
    }
    fn err(&self, field: &str) -> String {
        self.kept.err(POST, field)
    }
    /// A fresh form addresses deputies; a refused one keeps what was ticked.
    fn ticked(&self, code: &str) -> bool {
        self.kept.chose(POST, "audience", code, code == "deputy")
    }
}

#[derive(Deserialize, Default)]
struct ListQuery {
    page: Option<i64>,
}

async fn manage(
    st: &AppState,
    s: &Session,
    actor: &app::Actor,
    page: Option<i64>,
    kept: Kept,
    status: StatusCode,
) -> AppResult<Response> {
    let p = announcements::manage_list(&st.ctx, actor, Page::new(page, Some(20))).await?;
    let pager = Pager::new(&p, POST, "");
    let roles = Role::ALL
        .iter()
        .filter(|r| **r != Role::Admin)
        .map(|r| RoleChoice {
            code: r.code(),
            label: r.label(),
        })
        .collect();
    render_status(
        status,
        &ManagePage {
            layout: Layout::new("通知公告", s, "announcements"),
            rows: p.items.into_iter().map(Line::from).collect(),
            pager,
            roles,
            kept,
            title_max: TITLE_MAX,
            body_max: BODY_MAX,
        },
    )
}

async fn list(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    manage(&st, &s, &actor, q.page, Kept::default(), StatusCode::OK).await
}

async fn create(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Posted(form, kept): Posted<Vec<(String, String)>>,
) -> AppResult<Response> {
    let get = |k: &str| {
        form.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let input = AnnouncementInput {
        title: get("title"),
        body: get("body"),
        audience: form
            .iter()
            .filter(|(k, _)| k == "audience")
            .map(|(_, v)| v.clone())
            .collect(),
    };
    match announcements::post(&st.ctx, &actor, &input).await {
        Ok(_) => Ok(see_other_with(
            POST,
            "通知公告已发布，将显示在所选人员的首页",
        )),
        Err(e @ app::Error::Validation(_)) => {
            let kept = kept.refused(&e);
            manage(
                &st,
                &s,
                &actor,
                None,
                kept,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(AppError(e)),
    }
}

async fn withdraw(
    State(st): State<AppState>,
    Me(actor): Me,
    Path(id): Path<i64>,
    Posted(_form, _kept): Posted<Vec<(String, String)>>,
) -> AppResult<Response> {
    announcements::withdraw(&st.ctx, &actor, id).await?;
    Ok(see_other_with(POST, "通知公告已撤回，不再显示在首页"))
}

#[derive(Template)]
#[template(path = "announcement.html")]
struct ShowPage {
    layout: Layout,
    a: Line,
}

async fn show(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let a = announcements::get(&st.ctx, &actor, id).await?;
    render(&ShowPage {
        layout: Layout::new("通知公告", &s, "home"),
        a: a.into(),
    })
}

#[derive(Template)]
#[template(path = "announcements_mine.html")]
struct MinePage {
    layout: Layout,
    rows: Vec<Line>,
    pager: Pager,
}

/// Every current notice addressed to the actor.
async fn mine(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let p = announcements::for_me(&st.ctx, &actor, Page::new(q.page, Some(20))).await?;
    render(&MinePage {
        layout: Layout::new("通知公告", &s, "home"),
        pager: Pager::new(&p, "/announcements/mine", ""),
        rows: p.items.into_iter().map(Line::from).collect(),
    })
}

pub fn router() -> Pages {
    Pages::new()
        .route(POST, get(list).post(create))
        .route("/announcements/mine", get(mine))
        .route("/announcements/{id}", get(show))
        .route("/announcements/{id}/withdraw", post(withdraw))
}
