//! Handling units: list, detail, create and edit, import and export.

use crate::service::units::{ContactInput, UnitDetail, UnitInput};
use crate::store::congresses::CongressRow;
use crate::store::units::{UnitFilter, UnitRow};
use app::Error;
use app::imports::Preview;
use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use db::Page;
use kernel::org::UnitKind;
use kernel::roles::Permission;
use serde::Deserialize;
use webkit::extract::{Form, Path, Query};
use webkit::pages::read_upload;

use webkit::auth::{Me, MeSession};
use webkit::error::{AppError, AppResult};
use webkit::pages::{XLSX, download, see_other};
use webkit::view::{FormErrors, Layout, Pager, is_htmx, query_string, render, render_status};
use webkit::{AppState, Pages};

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: String,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    page: Option<i64>,
}

impl ListQuery {
    fn filter(&self) -> UnitFilter {
        UnitFilter {
            name: Some(self.q.trim().to_string()).filter(|x| !x.is_empty()),
            kind: UnitKind::parse(&self.kind).map(|k| k.code().to_string()),
            ..Default::default()
        }
    }
    fn query(&self) -> String {
        query_string(&[("q", self.q.clone()), ("kind", self.kind.clone())])
    }
}

pub struct UnitLine {
    pub row: UnitRow,
    pub kind_label: &'static str,
}

#[derive(Template)]
#[template(path = "units.html")]
struct UnitsPage {
    layout: Layout,
    rows: Vec<UnitLine>,
    pager: Pager,
    q: ListQuery,
    kinds: &'static [UnitKind],
    can_edit: bool,
    export_query: String,
}

#[derive(Template)]
#[template(path = "unit_rows.html")]
struct UnitRows {
    rows: Vec<UnitLine>,
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
        crate::service::units::list(&st.ctx, &actor, &q.filter(), Page::new(q.page, Some(20)))
            .await?;
    let pager = Pager::new(&page, "/units", &q.query());
    let rows = page
        .items
        .into_iter()
        .map(|r| UnitLine {
            kind_label: UnitKind::parse(&r.kind).map(|k| k.label()).unwrap_or(""),
            row: r,
        })
        .collect();
    if is_htmx(&headers) {
        return render(&UnitRows { rows, pager });
    }
    render(&UnitsPage {
        layout: Layout::new("承办单位", &s, "units"),
        rows,
        pager,
        export_query: q.query(),
        q,
        kinds: UnitKind::ALL,
        can_edit: actor.can(Permission::ManageUnits),
    })
}

#[derive(Template)]
#[template(path = "unit_detail.html")]
struct UnitPage {
    layout: Layout,
    d: UnitDetail,
    can_edit: bool,
}

async fn detail(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let d = crate::service::units::detail(&st.ctx, &actor, id).await?;
    render(&UnitPage {
        layout: Layout::new(d.unit.name.clone(), &s, "units"),
        d,
        can_edit: actor.can(Permission::ManageUnits),
    })
}

/// The HTML form: three contact rows as flat fields.
#[derive(Deserialize, Default, Clone)]
struct UnitForm {
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    congress_id: Option<i64>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    parent_id: Option<i64>,
    #[serde(default)]
    credit_code: String,
    #[serde(default)]
    leader_name: String,
    #[serde(default)]
    leader_title: String,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    leader_user_id: Option<i64>,
    #[serde(default)]
    address: String,
    #[serde(default = "one")]
    active: String,
    #[serde(default)]
    contact_name_0: String,
    #[serde(default)]
    contact_title_0: String,
    #[serde(default)]
    contact_phone_0: String,
    #[serde(default)]
    contact_name_1: String,
    #[serde(default)]
    contact_title_1: String,
    #[serde(default)]
    contact_phone_1: String,
    #[serde(default)]
    contact_name_2: String,
    #[serde(default)]
    contact_title_2: String,
    #[serde(default)]
    contact_phone_2: String,
}

fn one() -> String {
    "1".into()
}

impl UnitForm {
    fn to_input(&self) -> UnitInput {
        let c = |n: &str, t: &str, p: &str| ContactInput {
            name: n.into(),
            title: t.into(),
            phone: p.into(),
        };
        UnitInput {
            congress_id: self.congress_id,
            name: self.name.clone(),
            kind: self.kind.clone(),
            parent_id: self.parent_id,
            credit_code: self.credit_code.clone(),
            leader_name: self.leader_name.clone(),
            leader_title: self.leader_title.clone(),
            leader_user_id: self.leader_user_id,
            address: self.address.clone(),
            active: self.active != "0",
            contacts: vec![
                c(
                    &self.contact_name_0,
                    &self.contact_title_0,
                    &self.contact_phone_0,
                ),
                c(
                    &self.contact_name_1,
                    &self.contact_title_1,
                    &self.contact_phone_1,
                ),
                c(
                    &self.contact_name_2,
                    &self.contact_title_2,
                    &self.contact_phone_2,
                ),
            ],
        }
    }
}

#[derive(Template)]
#[template(path = "unit_form.html")]
struct FormPage {
    layout: Layout,
    id: Option<i64>,
    f: UnitForm,
    errors: FormErrors,
    kinds: &'static [UnitKind],
    congresses: Vec<CongressRow>,
    units: Vec<(i64, String)>,
}

async fn form_page(
    st: &AppState,
    s: &webkit::auth::Session,
    actor: &app::Actor,
    id: Option<i64>,
    f: UnitForm,
    errors: FormErrors,
    status: StatusCode,
) -> AppResult<Response> {
    actor.require(Permission::ManageUnits)?;
    let congresses = crate::service::congresses::list(&st.ctx, actor).await?;
    let units = crate::service::units::names(&st.ctx, actor)
        .await?
        .into_iter()
        .filter(|(u, _)| Some(*u) != id)
        .collect();
    let title = if id.is_some() {
        "修改承办单位"
    } else {
        "新增承办单位"
    };
    render_status(
        status,
        &FormPage {
            layout: Layout::new(title, s, "units"),
            id,
            f,
            errors,
            kinds: UnitKind::ALL,
            congresses,
            units,
        },
    )
}

async fn new_form(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
) -> AppResult<Response> {
    let f = UnitForm {
        congress_id: actor.congress_id,
        active: one(),
        ..Default::default()
    };
    form_page(
        &st,
        &s,
        &actor,
        None,
        f,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn create(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Form(f): Form<UnitForm>,
) -> AppResult<Response> {
    match crate::service::units::create(&st.ctx, &actor, &f.to_input()).await {
        Ok(id) => Ok(see_other(&format!("/units/{id}"))),
        Err(Error::Validation(v)) => {
            form_page(
                &st,
                &s,
                &actor,
                None,
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
    Path(id): Path<i64>,
) -> AppResult<Response> {
    actor.require(Permission::ManageUnits)?;
    let d = crate::service::units::detail(&st.ctx, &actor, id).await?;
    // Contacts' phones come masked unless the viewer may see them; managers may.
    let contact = |i: usize| {
        d.contacts
            .get(i)
            .map(|c| (c.name.clone(), c.title.clone(), c.phone.clone()))
            .unwrap_or_default()
    };
    let (n0, t0, p0) = contact(0);
    let (n1, t1, p1) = contact(1);
    let (n2, t2, p2) = contact(2);
    let u = d.unit;
    let f = UnitForm {
        congress_id: Some(u.congress_id),
        name: u.name,
        kind: u.kind,
        parent_id: u.parent_id,
        credit_code: u.credit_code.unwrap_or_default(),
        leader_name: u.leader_name,
        leader_title: u.leader_title,
        leader_user_id: u.leader_user_id,
        address: u.address,
        active: if u.active == 1 {
            "1".into()
        } else {
            "0".into()
        },
        contact_name_0: n0,
        contact_title_0: t0,
        contact_phone_0: p0,
        contact_name_1: n1,
        contact_title_1: t1,
        contact_phone_1: p1,
        contact_name_2: n2,
        contact_title_2: t2,
        contact_phone_2: p2,
    };
    form_page(
        &st,
        &s,
        &actor,
        Some(id),
        f,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn update(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
    Form(f): Form<UnitForm>,
) -> AppResult<Response> {
    match crate::service::units::update(&st.ctx, &actor, id, &f.to_input()).await {
        Ok(()) => Ok(see_other(&format!("/units/{id}"))),
        Err(Error::Validation(v)) => {
            form_page(
                &st,
                &s,
                &actor,
                Some(id),
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
    let bytes = crate::service::units::export(&st.ctx, &actor, &q.filter()).await?;
    Ok(download(
        bytes,
        &format!("承办单位_{}.xlsx", st.ctx.today()),
        XLSX,
    ))
}

async fn template(Me(actor): Me) -> AppResult<Response> {
    actor.require(Permission::ManageUnits)?;
    Ok(download(
        crate::service::unit_import::template()?,
        "承办单位导入模板.xlsx",
        XLSX,
    ))
}

#[derive(Template)]
#[template(path = "import.html")]
pub struct ImportPage {
    pub layout: Layout,
    pub what: &'static str,
    pub action: &'static str,
    pub template_href: &'static str,
    pub back: &'static str,
    pub congresses: Vec<CongressRow>,
    pub congress_id: i64,
    pub preview: Option<Preview>,
    pub error: String,
    pub done: String,
}

async fn import_page(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
) -> AppResult<Response> {
    actor.require(Permission::ManageUnits)?;
    let congresses = crate::service::congresses::list(&st.ctx, &actor).await?;
    render(&ImportPage {
        layout: Layout::new("导入承办单位", &s, "units"),
        what: "承办单位",
        action: "/units/import",
        template_href: "/units/import/template",
        back: "/units",
        congress_id: actor.congress_id.unwrap_or(0),
        congresses,
        preview: None,
        error: String::new(),
        done: String::new(),
    })
}

/// Reads the multipart form of an import: the file and the optional congress.
async fn import_preview(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    mp: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    actor.require(Permission::ManageUnits)?;
    let mp = mp.map_err(|_| AppError(Error::BadRequest("请以表单方式上传 .xlsx 文件".into())))?;
    let congresses = crate::service::congresses::list(&st.ctx, &actor).await?;
    let page = |preview, error: String, cid: i64, congresses| ImportPage {
        layout: Layout::new("导入承办单位", &s, "units"),
        what: "承办单位",
        action: "/units/import",
        template_href: "/units/import/template",
        back: "/units",
        congresses,
        congress_id: cid,
        preview,
        error,
        done: String::new(),
    };
    let (name, bytes, cid) = match read_upload(mp).await {
        Ok(x) => x,
        Err(e) => {
            return render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page(None, e.message(), 0, congresses),
            );
        }
    };
    match crate::service::unit_import::preview(&st.ctx, &actor, cid, &name, &bytes).await {
        Ok(p) => {
            let status = if p.errors.is_empty() {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            render_status(
                status,
                &page(Some(p), String::new(), cid.unwrap_or(0), congresses),
            )
        }
        Err(e @ (Error::Validation(_) | Error::BadRequest(_))) => render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page(None, e.message(), cid.unwrap_or(0), congresses),
        ),
        Err(e) => Err(AppError(e)),
    }
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub upload_id: Option<i64>,
}

async fn import_confirm(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Form(f): Form<ConfirmForm>,
) -> AppResult<Response> {
    let out =
        crate::service::unit_import::confirm(&st.ctx, &actor, f.upload_id.unwrap_or(0)).await?;
    let congresses = crate::service::congresses::list(&st.ctx, &actor).await?;
    render(&ImportPage {
        layout: Layout::new("导入承办单位", &s, "units"),
        what: "承办单位",
        action: "/units/import",
        template_href: "/units/import/template",
        back: "/units",
        congresses,
        congress_id: 0,
        preview: None,
        error: String::new(),
        done: format!("导入完成：新增 {} 个，更新 {} 个", out.created, out.updated),
    })
}

pub fn router() -> Pages {
    Pages::new()
        .route("/units", get(list).post(create))
        .route("/units/new", get(new_form))
        .route("/units/export", get(export))
        .route(
            "/units/import",
            get(import_page)
                .post(import_preview)
                .layer(DefaultBodyLimit::max(webkit::UPLOAD_LIMIT)),
        )
        .route("/units/import/confirm", post(import_confirm))
        .route("/units/import/template", get(template))
        .route("/units/{id}", get(detail).post(update))
        .route("/units/{id}/edit", get(edit_form))
}
