//! The deputy roster: list, detail, create and edit, termination, import and export.

use crate::service::deputies::{DeputyDetail, DeputyInput, Revealed, RosterRow, TerminationInput};
use crate::store::congresses::TermRow;
use crate::store::deputies::MandateFilter;
use app::Error;
use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use db::Page;
use kernel::org::{CongressLevel, DeputyStatus, ETHNIC_GROUPS, PARTIES};
use kernel::roles::Permission;
use serde::Deserialize;
use webkit::extract::{Form, Path, Query};

use crate::web::pages::units::{ConfirmForm, ImportPage};
use webkit::auth::{Me, MeSession};
use webkit::error::{AppError, AppResult};
use webkit::pages::read_upload;
use webkit::pages::{XLSX, download, see_other};
use webkit::view::{FormErrors, Layout, Pager, is_htmx, query_string, render, render_status};
use webkit::{AppState, Pages};

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    status: String,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    term_id: Option<i64>,
    #[serde(default)]
    delegation: String,
    #[serde(default)]
    group: String,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    page: Option<i64>,
}

impl ListQuery {
    fn filter(&self) -> MandateFilter {
        let some = |s: &str| Some(s.trim().to_string()).filter(|x| !x.is_empty());
        MandateFilter {
            name: some(&self.q),
            level: CongressLevel::parse(&self.level).map(|l| l.code().to_string()),
            status: DeputyStatus::parse(&self.status).map(|s| s.code().to_string()),
            term_id: self.term_id.filter(|t| *t > 0),
            delegation: some(&self.delegation),
            professional_group: some(&self.group),
            ..Default::default()
        }
    }
    fn query(&self) -> String {
        query_string(&[
            ("q", self.q.clone()),
            ("level", self.level.clone()),
            ("status", self.status.clone()),
            (
                "term_id",
                self.term_id.map(|t| t.to_string()).unwrap_or_default(),
            ),
            ("delegation", self.delegation.clone()),
            ("group", self.group.clone()),
        ])
    }
}

#[derive(Template)]
#[template(path = "deputies.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<RosterRow>,
    pager: Pager,
    q: ListQuery,
    levels: &'static [CongressLevel],
    statuses: &'static [DeputyStatus],
    terms: Vec<(TermRow, String)>,
    delegations: Vec<String>,
    groups: Vec<String>,
    can_edit: bool,
    export_query: String,
}

#[derive(Template)]
#[template(path = "deputy_rows.html")]
struct Rows {
    rows: Vec<RosterRow>,
    pager: Pager,
}

async fn list(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let page =
        crate::service::deputies::list(&st.ctx, &actor, q.filter(), Page::new(q.page, Some(20)))
            .await?;
    let pager = Pager::new(&page, "/deputies", &q.query());
    if is_htmx(&headers) {
        return render(&Rows {
            rows: page.items,
            pager,
        });
    }
    let (delegations, groups) = crate::service::deputies::filter_options(&st.ctx, &actor).await?;
    let terms = crate::service::congresses::terms_for_menus(&st.ctx, &actor).await?;
    render(&ListPage {
        layout: Layout::new("代表名册", &s, "deputies"),
        rows: page.items,
        pager,
        export_query: q.query(),
        q,
        levels: CongressLevel::ALL,
        statuses: DeputyStatus::ALL,
        terms,
        delegations,
        groups,
        can_edit: actor.can(Permission::ManageDeputies),
    })
}

#[derive(Template)]
#[template(path = "deputy_detail.html")]
struct DetailPage {
    layout: Layout,
    d: DeputyDetail,
    errors: FormErrors,
    termination: TerminationInput,
    terminating: i64,
}

#[expect(clippy::too_many_arguments, reason = "the page's parts")]
async fn detail_page(
    st: &AppState,
    s: &webkit::auth::Session,
    actor: &app::Actor,
    id: i64,
    errors: FormErrors,
    termination: TerminationInput,
    terminating: i64,
    status: StatusCode,
) -> AppResult<Response> {
    let d = crate::service::deputies::detail(&st.ctx, actor, id).await?;
    let active = if actor.deputy_id == Some(id) {
        "me"
    } else {
        "deputies"
    };
    render_status(
        status,
        &DetailPage {
            layout: Layout::new(d.name.clone(), s, active),
            d,
            errors,
            termination,
            terminating,
        },
    )
}

async fn detail(
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
        FormErrors::default(),
        TerminationInput::default(),
        0,
        StatusCode::OK,
    )
    .await
}

#[derive(Template)]
#[template(path = "deputy_reveal.html")]
struct RevealFragment {
    r: Revealed,
}

async fn reveal(
    State(st): State<AppState>,
    Me(actor): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let r = crate::service::deputies::reveal(&st.ctx, &actor, id).await?;
    render(&RevealFragment { r })
}

async fn terminate(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path((id, mandate)): Path<(i64, i64)>,
    Form(f): Form<TerminationInput>,
) -> AppResult<Response> {
    match crate::service::deputies::terminate(&st.ctx, &actor, mandate, &f).await {
        Ok(()) => Ok(see_other(&format!("/deputies/{id}"))),
        Err(Error::Validation(v)) => {
            detail_page(
                &st,
                &s,
                &actor,
                id,
                FormErrors(v),
                f,
                mandate,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(AppError(e)),
    }
}

#[derive(Template)]
#[template(path = "deputy_form.html")]
struct FormPage {
    layout: Layout,
    mandate_id: Option<i64>,
    back: String,
    f: DeputyInput,
    errors: FormErrors,
    terms: Vec<(TermRow, String)>,
    ethnicities: &'static [&'static str],
    parties: Vec<&'static str>,
}

#[expect(clippy::too_many_arguments, reason = "the page's parts")]
async fn form_page(
    st: &AppState,
    s: &webkit::auth::Session,
    actor: &app::Actor,
    mandate_id: Option<i64>,
    back: String,
    f: DeputyInput,
    errors: FormErrors,
    status: StatusCode,
) -> AppResult<Response> {
    actor.require(Permission::ManageDeputies)?;
    let terms = crate::service::congresses::terms_for_menus(&st.ctx, actor).await?;
    let title = if mandate_id.is_some() {
        "修改代表信息"
    } else {
        "登记代表"
    };
    render_status(
        status,
        &FormPage {
            layout: Layout::new(title, s, "deputies"),
            mandate_id,
            back,
            f,
            errors,
            terms,
            ethnicities: &ETHNIC_GROUPS,
            parties: PARTIES.iter().map(|(p, _)| *p).collect(),
        },
    )
}

async fn new_form(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
) -> AppResult<Response> {
    form_page(
        &st,
        &s,
        &actor,
        None,
        "/deputies".into(),
        DeputyInput {
            ethnicity: "汉族".into(),
            ..Default::default()
        },
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn create(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Form(f): Form<DeputyInput>,
) -> AppResult<Response> {
    match crate::service::deputies::create(&st.ctx, &actor, &f).await {
        Ok(id) => Ok(see_other(&format!("/deputies/{id}"))),
        Err(Error::Validation(v)) => {
            form_page(
                &st,
                &s,
                &actor,
                None,
                "/deputies".into(),
                f,
                FormErrors(v),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(AppError(e)),
    }
}

async fn edit_form(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(mandate): Path<i64>,
) -> AppResult<Response> {
    let (input, m) = crate::service::deputies::edit_values(&st.ctx, &actor, mandate).await?;
    form_page(
        &st,
        &s,
        &actor,
        Some(mandate),
        format!("/deputies/{}", m.deputy_id),
        input,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn update(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(mandate): Path<i64>,
    Form(f): Form<DeputyInput>,
) -> AppResult<Response> {
    match crate::service::deputies::update(&st.ctx, &actor, mandate, &f).await {
        Ok(()) => {
            let (_, m) = crate::service::deputies::edit_values(&st.ctx, &actor, mandate).await?;
            Ok(see_other(&format!("/deputies/{}", m.deputy_id)))
        }
        Err(Error::Validation(v)) => {
            form_page(
                &st,
                &s,
                &actor,
                Some(mandate),
                "/deputies".into(),
                f,
                FormErrors(v),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(AppError(e)),
    }
}

async fn export(
    State(st): State<AppState>,
    Me(actor): Me,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let bytes = crate::service::deputies::export(&st.ctx, &actor, q.filter()).await?;
    Ok(download(
        bytes,
        &format!("代表名册_{}.xlsx", st.ctx.today()),
        XLSX,
    ))
}

async fn template(Me(actor): Me) -> AppResult<Response> {
    actor.require(Permission::ManageDeputies)?;
    Ok(download(
        crate::service::deputy_import::template()?,
        "代表名册导入模板.xlsx",
        XLSX,
    ))
}

fn import_view(s: &webkit::auth::Session) -> ImportPage {
    ImportPage {
        layout: Layout::new("导入代表名册", s, "deputies"),
        what: "代表",
        action: "/deputies/import",
        template_href: "/deputies/import/template",
        back: "/deputies",
        congresses: Vec::new(),
        congress_id: 0,
        preview: None,
        error: String::new(),
        done: String::new(),
    }
}

async fn import_page(MeSession(s): MeSession, Me(actor): Me) -> AppResult<Response> {
    actor.require(Permission::ManageDeputies)?;
    render(&import_view(&s))
}

async fn import_preview(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    mp: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    actor.require(Permission::ManageDeputies)?;
    let mp = mp.map_err(|_| AppError(Error::BadRequest("请以表单方式上传 .xlsx 文件".into())))?;
    actor.require(Permission::ManageDeputies)?;
    let (name, bytes, _) = match read_upload(mp).await {
        Ok(x) => x,
        Err(e) => {
            return render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ImportPage {
                    error: e.message(),
                    ..import_view(&s)
                },
            );
        }
    };
    match crate::service::deputy_import::preview(&st.ctx, &actor, &name, &bytes).await {
        Ok(p) => {
            let status = if p.errors.is_empty() {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            render_status(
                status,
                &ImportPage {
                    preview: Some(p),
                    ..import_view(&s)
                },
            )
        }
        Err(e @ (Error::Validation(_) | Error::BadRequest(_))) => render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ImportPage {
                error: e.message(),
                ..import_view(&s)
            },
        ),
        Err(e) => Err(AppError(e)),
    }
}

async fn import_confirm(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Form(f): Form<ConfirmForm>,
) -> AppResult<Response> {
    let out =
        crate::service::deputy_import::confirm(&st.ctx, &actor, f.upload_id.unwrap_or(0)).await?;
    render(&ImportPage {
        done: format!("导入完成：新增 {} 条，更新 {} 条", out.created, out.updated),
        ..import_view(&s)
    })
}

pub fn router() -> Pages {
    Pages::new()
        .route("/deputies", get(list).post(create))
        .route("/deputies/new", get(new_form))
        .route("/deputies/export", get(export))
        .route(
            "/deputies/import",
            get(import_page)
                .post(import_preview)
                .layer(DefaultBodyLimit::max(webkit::UPLOAD_LIMIT)),
        )
        .route("/deputies/import/confirm", post(import_confirm))
        .route("/deputies/import/template", get(template))
        .route("/deputies/{id}", get(detail))
        .route("/deputies/{id}/reveal", post(reveal))
        .route(
            "/deputies/{id}/mandates/{mandate}/terminate",
            post(terminate),
        )
        .route("/mandates/{mandate}/edit", get(edit_form))
        .route("/mandates/{mandate}", post(update))
}
