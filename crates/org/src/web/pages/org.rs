//! Administrative divisions, congresses, terms and sessions.

use crate::service::congresses::{CongressDetail, CongressInput, PeriodInput};
use crate::service::regions::RegionInput;
use crate::store::congresses::CongressRow;
use crate::store::regions::{RegionFilter, RegionRow};
use app::Error;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use db::Page;
use kernel::org::CongressLevel;
use kernel::roles::Permission;
use serde::Deserialize;
use webkit::extract::{Form, Path, Query};

use webkit::auth::{Me, MeSession};
use webkit::error::{AppError, AppResult};
use webkit::pages::see_other;
use webkit::view::{FormErrors, Layout, Pager, query_string, render_status};
use webkit::{AppState, Pages};

#[derive(Deserialize, Default)]
struct RegionQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    parent: String,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "regions.html")]
struct RegionsPage {
    layout: Layout,
    rows: Vec<RegionRow>,
    pager: Pager,
    q: String,
    parent: String,
    can_edit: bool,
    form: RegionInput,
    errors: FormErrors,
}

fn level_label(level: &str) -> &'static str {
    match level {
        "province" => "省级",
        "city" => "地级",
        "county" => "县级",
        "township" => "乡级",
        _ => "",
    }
}

impl RegionsPage {
    fn level(&self, l: &str) -> &'static str {
        level_label(l)
    }
}

async fn region_page(
    st: &AppState,
    s: &webkit::auth::Session,
    actor: &app::Actor,
    q: RegionQuery,
    form: RegionInput,
    errors: FormErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let f = RegionFilter {
        name: Some(q.q.clone()).filter(|x| !x.is_empty()),
        parent_code: Some(q.parent.clone()).filter(|x| !x.is_empty()),
        ..Default::default()
    };
    let page =
        crate::service::regions::list(&st.ctx, actor, &f, Page::new(q.page, Some(50))).await?;
    let pager = Pager::new(
        &page,
        "/regions",
        &query_string(&[("q", q.q.clone()), ("parent", q.parent.clone())]),
    );
    render_status(
        status,
        &RegionsPage {
            layout: Layout::new("行政区划", s, "regions"),
            rows: page.items,
            pager,
            q: q.q,
            parent: q.parent,
            can_edit: actor.can(Permission::ManageOrganisation),
            form,
            errors,
        },
    )
}

async fn regions(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Query(q): Query<RegionQuery>,
) -> AppResult<Response> {
    region_page(
        &st,
        &s,
        &actor,
        q,
        RegionInput::default(),
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn region_create(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Form(f): Form<RegionInput>,
) -> AppResult<Response> {
    match crate::service::regions::create(&st.ctx, &actor, &f).await {
        Ok(r) => Ok(see_other(&format!(
            "/regions?parent={}",
            r.parent_code.unwrap_or_default()
        ))),
        Err(Error::Validation(v)) => {
            region_page(
                &st,
                &s,
                &actor,
                RegionQuery::default(),
                f,
                FormErrors(v),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(AppError(e)),
    }
}

#[derive(Deserialize)]
struct NameForm {
    #[serde(default)]
    name: String,
}

async fn region_rename(
    State(st): State<AppState>,
    Me(actor): Me,
    Path(code): Path<String>,
    Form(f): Form<NameForm>,
) -> AppResult<Response> {
    crate::service::regions::rename(&st.ctx, &actor, &code, &f.name).await?;
    let parent = crate::service::regions::get(&st.ctx, &actor, &code)
        .await?
        .parent_code
        .unwrap_or_default();
    Ok(see_other(&format!("/regions?parent={parent}")))
}

struct CongressLine {
    row: CongressRow,
    level_label: &'static str,
    depth: usize,
}

#[derive(Template)]
#[template(path = "congresses.html")]
struct CongressesPage {
    layout: Layout,
    rows: Vec<CongressLine>,
    can_edit: bool,
    form: CongressInput,
    errors: FormErrors,
    levels: &'static [CongressLevel],
    regions: Vec<RegionRow>,
}

async fn congress_page(
    st: &AppState,
    s: &webkit::auth::Session,
    actor: &app::Actor,
    form: CongressInput,
    errors: FormErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let rows = crate::service::congresses::list(&st.ctx, actor).await?;
    let regions = if actor.can(Permission::ManageOrganisation) {
        crate::service::regions::all(&st.ctx, actor).await?
    } else {
        Vec::new()
    };
    let lines = rows
        .into_iter()
        .map(|r| CongressLine {
            level_label: CongressLevel::parse(&r.level)
                .map(|l| l.label())
                .unwrap_or(""),
            depth: r.path.matches('/').count().saturating_sub(2),
            row: r,
        })
        .collect();
    render_status(
        status,
        &CongressesPage {
            layout: Layout::new("人大与届次", s, "congresses"),
            rows: lines,
            can_edit: actor.can(Permission::ManageOrganisation),
            form,
            errors,
            levels: CongressLevel::ALL,
            regions,
        },
    )
}

async fn congresses(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
) -> AppResult<Response> {
    congress_page(
        &st,
        &s,
        &actor,
        CongressInput::default(),
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn congress_create(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Form(f): Form<CongressInput>,
) -> AppResult<Response> {
    match crate::service::congresses::create(&st.ctx, &actor, &f).await {
        Ok(id) => Ok(see_other(&format!("/congresses/{id}"))),
        Err(Error::Validation(v)) => {
            congress_page(
                &st,
                &s,
                &actor,
                f,
                FormErrors(v),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(AppError(e)),
    }
}

#[derive(Template)]
#[template(path = "congress_detail.html")]
struct CongressPage {
    layout: Layout,
    d: CongressDetail,
    level_label: &'static str,
    can_edit: bool,
    term_form: PeriodInput,
    session_form: PeriodInput,
    session_term: i64,
    errors: FormErrors,
}

#[expect(clippy::too_many_arguments, reason = "the page's parts")]
async fn detail_page(
    st: &AppState,
    s: &webkit::auth::Session,
    actor: &app::Actor,
    id: i64,
    term_form: PeriodInput,
    session_form: PeriodInput,
    session_term: i64,
    errors: FormErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let d = crate::service::congresses::detail(&st.ctx, actor, id).await?;
    render_status(
        status,
        &CongressPage {
            layout: Layout::new(d.congress.name.clone(), s, "congresses"),
            level_label: CongressLevel::parse(&d.congress.level)
                .map(|l| l.label())
                .unwrap_or(""),
            d,
            can_edit: actor.can(Permission::ManageOrganisation),
            term_form,
            session_form,
            session_term,
            errors,
        },
    )
}

async fn congress_detail(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    detail_page(
        &st,
        &s,
        &actor,
        id,
        PeriodInput::default(),
        PeriodInput::default(),
        0,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn congress_rename(
    State(st): State<AppState>,
    Me(actor): Me,
    Path(id): Path<i64>,
    Form(f): Form<NameForm>,
) -> AppResult<Response> {
    crate::service::congresses::rename(&st.ctx, &actor, id, &f.name).await?;
    Ok(see_other(&format!("/congresses/{id}")))
}

async fn term_create(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
    Form(f): Form<PeriodInput>,
) -> AppResult<Response> {
    match crate::service::congresses::add_term(&st.ctx, &actor, id, &f).await {
        Ok(_) => Ok(see_other(&format!("/congresses/{id}"))),
        Err(Error::Validation(v)) => {
            let v = v
                .into_iter()
                .map(|mut e| {
                    e.field = format!("term_{}", e.field);
                    e
                })
                .collect();
            detail_page(
                &st,
                &s,
                &actor,
                id,
                f,
                PeriodInput::default(),
                0,
                FormErrors(v),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(AppError(e)),
    }
}

async fn session_create(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path((id, term)): Path<(i64, i64)>,
    Form(f): Form<PeriodInput>,
) -> AppResult<Response> {
    match crate::service::congresses::add_session(&st.ctx, &actor, term, &f).await {
        Ok(_) => Ok(see_other(&format!("/congresses/{id}"))),
        Err(Error::Validation(v)) => {
            let v = v
                .into_iter()
                .map(|mut e| {
                    e.field = format!("session_{}", e.field);
                    e
                })
                .collect();
            detail_page(
                &st,
                &s,
                &actor,
                id,
                PeriodInput::default(),
                f,
                term,
                FormErrors(v),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(AppError(e)),
    }
}

pub fn router() -> Pages {
    Pages::new()
        .route("/regions", get(regions).post(region_create))
        .route("/regions/{code}/name", post(region_rename))
        .route("/congresses", get(congresses).post(congress_create))
        .route("/congresses/{id}", get(congress_detail))
        .route("/congresses/{id}/name", post(congress_rename))
        .route("/congresses/{id}/terms", post(term_create))
        .route(
            "/congresses/{id}/terms/{term}/sessions",
            post(session_create),
        )
}
