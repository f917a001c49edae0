//! Published replies for the public, and the lists staff edit.

use crate::service::view::PublicReply;
use crate::store::suggestions::{SuggestionFilter, SuggestionRow};
use app::Error;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use db::Page;
use kernel::roles::Permission;
use serde::Deserialize;
use webkit::extract::{Form, Path, Query};

use webkit::auth::{Me, MeSession};
use webkit::error::{AppError, AppResult};
use webkit::view::{FormErrors, Layout, Pager, query_string, render, render_status};
use webkit::{AppState, Pages};

#[derive(Deserialize, Default)]
struct PublicQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    category: String,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    unit_id: Option<i64>,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    session_id: Option<i64>,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "public_list.html")]
struct PublicListPage {
    layout: Layout,
    rows: Vec<SuggestionRow>,
    pager: Pager,
    q: PublicQuery,
    categories: Vec<String>,
    units: Vec<(i64, String)>,
    sessions: Vec<(i64, String)>,
}

async fn public_list(
    State(st): State<AppState>,
    Query(q): Query<PublicQuery>,
) -> AppResult<Response> {
    let some = |x: &str| Some(x.trim().to_string()).filter(|v| !v.is_empty());
    let f = SuggestionFilter {
        q: some(&q.q),
        category: some(&q.category),
        unit_id: q.unit_id.filter(|u| *u > 0),
        session_id: q.session_id.filter(|s| *s > 0),
        ..Default::default()
    };
    let page = crate::service::view::public_list(&st.ctx, f, Page::new(q.page, Some(20))).await?;
    let pager = Pager::new(
        &page,
        "/public/replies",
        &query_string(&[
            ("q", q.q.clone()),
            ("category", q.category.clone()),
            (
                "unit_id",
                q.unit_id.map(|x| x.to_string()).unwrap_or_default(),
            ),
            (
                "session_id",
                q.session_id.map(|x| x.to_string()).unwrap_or_default(),
            ),
        ]),
    );
    let (units, sessions) = crate::service::public_menus(&st.ctx).await?;
    render(&PublicListPage {
        layout: Layout::public("代表建议答复公开"),
        rows: page.items,
        pager,
        q,
        categories: app::options::get(&st.ctx, &crate::rules::CATEGORIES).await?,
        units,
        sessions,
    })
}

#[derive(Template)]
#[template(path = "public_detail.html")]
struct PublicDetailPage {
    layout: Layout,
    p: PublicReply,
}

async fn public_detail(State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<Response> {
    let p = crate::service::view::public_detail(&st.ctx, id).await?;
    render(&PublicDetailPage {
        layout: Layout::public(p.s.title.clone()),
        p,
    })
}

#[derive(Template)]
#[template(path = "options.html")]
struct OptionsPage {
    layout: Layout,
    lists: Vec<(&'static str, &'static str, String)>,
    errors: FormErrors,
    saved: String,
}

async fn options_page(
    st: &AppState,
    s: &webkit::auth::Session,
    errors: FormErrors,
    saved: String,
    status: StatusCode,
) -> AppResult<Response> {
    let mut lists = Vec::new();
    for list in crate::rules::OPTION_LISTS {
        lists.push((
            list.key,
            list.name,
            app::options::get(&st.ctx, list).await?.join("\n"),
        ));
    }
    render_status(
        status,
        &OptionsPage {
            layout: Layout::new("分类与理由", s, "options"),
            lists,
            errors,
            saved,
        },
    )
}

async fn options(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
) -> AppResult<Response> {
    actor.require(Permission::ManageOptions)?;
    options_page(
        &st,
        &s,
        FormErrors::default(),
        String::new(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize, Default)]
struct OptionsForm {
    #[serde(default)]
    items: String,
}

async fn save_options(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(list): Path<String>,
    Form(f): Form<OptionsForm>,
) -> AppResult<Response> {
    let Some(option_list) = crate::rules::option_list(&list) else {
        return Err(AppError(Error::NotFound("列表")));
    };
    match app::options::set(&st.ctx, &actor, option_list, &f.items).await {
        Ok(_) => options_page(&st, &s, FormErrors::default(), list, StatusCode::OK).await,
        Err(Error::Validation(mut v)) => {
            for e in &mut v {
                e.field = list.clone();
            }
            options_page(
                &st,
                &s,
                FormErrors(v),
                String::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(AppError(e)),
    }
}

pub fn router() -> Pages {
    Pages::new()
        .route("/public/replies", get(public_list))
        .route("/public/replies/{id}", get(public_detail))
        .route("/admin/options", get(options))
        .route("/admin/options/{list}", post(save_options))
}
