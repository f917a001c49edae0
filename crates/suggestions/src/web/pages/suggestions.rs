//! Suggestion pages: lists per role, drafting, the detail page with every
//! action the reader may take, the printable handling record.

use crate::rules::{SuggestionKind, SuggestionState};
use crate::service::view::Detail;
use crate::store::suggestions::{SuggestionFilter, SuggestionRow};
use app::{Actor, Error};
use askama::Template;
use axum::Form;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use db::Page;
use engine::rules::UnitRole;
use kernel::roles::{Permission, Role};
use serde::Deserialize;

use webkit::auth::{Me, MeSession};
use webkit::error::{AppError, AppResult};
use webkit::pages::see_other;
use webkit::view::{FormErrors, Layout, Pager, query_string, render, render_status};
use webkit::{AppState, Pages};

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    category: String,
    #[serde(default, deserialize_with = "app::de::flex_bool")]
    key: bool,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    page: Option<i64>,
}

pub struct Line {
    pub s: SuggestionRow,
    pub state_label: &'static str,
    pub kind_label: &'static str,
}

fn line(s: SuggestionRow) -> Line {
    Line {
        state_label: SuggestionState::parse(&s.state)
            .map(|x| x.label())
            .unwrap_or(""),
        kind_label: SuggestionKind::parse(&s.kind)
            .map(|x| x.label())
            .unwrap_or(""),
        s,
    }
}

#[derive(Template)]
#[template(path = "suggestions.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<Line>,
    pager: Pager,
    q: ListQuery,
    states: &'static [SuggestionState],
    categories: Vec<String>,
    invitations: Vec<SuggestionRow>,
    is_deputy: bool,
    is_staff: bool,
    units: Vec<(i64, String)>,
    roles: &'static [UnitRole],
    variants: Vec<(&'static str, &'static str)>,
}

async fn list(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let some = |x: &str| Some(x.trim().to_string()).filter(|v| !v.is_empty());
    let is_staff = actor.can(Permission::ManageSuggestions);
    let f = SuggestionFilter {
        q: some(&q.q),
        states: some(&q.state).map(|s| vec![s]),
        kind: some(&q.kind),
        category: some(&q.category),
        key_only: q.key,
        ..Default::default()
    };
    let page = crate::service::view::list(&st.ctx, &actor, f, Page::new(q.page, Some(20))).await?;
    let pager = Pager::new(
        &page,
        "/suggestions",
        &query_string(&[
            ("q", q.q.clone()),
            ("state", q.state.clone()),
            ("kind", q.kind.clone()),
            ("category", q.category.clone()),
        ]),
    );
    let invitations = crate::service::view::invitations(&st.ctx, &actor).await?;
    let units = if is_staff {
        org::service::units::names(&st.ctx, &actor).await?
    } else {
        Vec::new()
    };
    render(&ListPage {
        layout: Layout::new("议案建议", &s, "suggestions"),
        rows: page.items.into_iter().map(line).collect(),
        pager,
        q,
        states: SuggestionState::ALL,
        categories: app::options::get(&st.ctx, &crate::rules::CATEGORIES).await?,
        invitations,
        is_deputy: actor.role == Role::Deputy,
        is_staff,
        units,
        roles: UnitRole::ALL,
        variants: variants(),
    })
}

#[derive(Template)]
#[template(path = "suggestion_form.html")]
struct FormPage {
    layout: Layout,
    id: Option<i64>,
    f: crate::service::draft::SuggestionInput,
    errors: FormErrors,
    categories: Vec<String>,
    sessions: Vec<(i64, String)>,
    congresses: Vec<(i64, String)>,
}

/// Sessions and congresses a deputy may address (their seats in office).
async fn deputy_choices(
    st: &AppState,
    actor: &Actor,
) -> AppResult<(Vec<(i64, String)>, Vec<(i64, String)>)> {
    let mut sessions = Vec::new();
    let mut congresses = Vec::new();
    if let Some(d) = actor.deputy_id {
        let detail = org::service::deputies::detail(&st.ctx, actor, d).await?;
        for m in detail.mandates.iter().filter(|m| m.status == "in_office") {
            congresses.push((m.congress_id, m.congress_name.clone()));
        }
        let cd = {
            let mut all = Vec::new();
            for (cid, _) in &congresses {
                all.extend(crate::service::sessions_of(&st.ctx, *cid).await?);
            }
            all
        };
        sessions = cd;
    }
    Ok((sessions, congresses))
}

#[expect(clippy::too_many_arguments, reason = "the page's parts")]
async fn form_page(
    st: &AppState,
    s: &webkit::auth::Session,
    actor: &Actor,
    id: Option<i64>,
    f: crate::service::draft::SuggestionInput,
    errors: FormErrors,
    status: StatusCode,
    title: &str,
) -> AppResult<Response> {
    let (sessions, congresses) = deputy_choices(st, actor).await?;
    render_status(
        status,
        &FormPage {
            layout: Layout::new(title, s, "suggestions"),
            id,
            f,
            errors,
            categories: app::options::get(&st.ctx, &crate::rules::CATEGORIES).await?,
            sessions,
            congresses,
        },
    )
}

async fn new_form(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
) -> AppResult<Response> {
    actor.require(Permission::ProposeSuggestions)?;
    form_page(
        &st,
        &s,
        &actor,
        None,
        Default::default(),
        FormErrors::default(),
        StatusCode::OK,
        "提出建议",
    )
    .await
}

async fn create(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Form(f): Form<crate::service::draft::SuggestionInput>,
) -> AppResult<Response> {
    match crate::service::draft::create(&st.ctx, &actor, &f).await {
        Ok(d) => Ok(see_other(&format!("/suggestions/{}", d.id))),
        Err(Error::Validation(v)) => {
            form_page(
                &st,
                &s,
                &actor,
                None,
                f,
                FormErrors(v),
                StatusCode::UNPROCESSABLE_ENTITY,
                "提出建议",
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
    let d = crate::service::view::detail(&st.ctx, &actor, id).await?;
    if !d.can.edit {
        return Err(AppError(Error::Conflict("当前状态不能修改".into())));
    }
    let f = crate::service::draft::SuggestionInput {
        kind: d.s.kind.clone(),
        congress_id: Some(d.s.congress_id),
        session_id: d.s.session_id,
        title: d.s.title.clone(),
        content: d.s.content.clone(),
        grounds: d.s.grounds.clone(),
        category: d.s.category.clone(),
        by_delegation: d.s.by_delegation.clone(),
        submit: false,
    };
    form_page(
        &st,
        &s,
        &actor,
        Some(id),
        f,
        FormErrors::default(),
        StatusCode::OK,
        "修改建议",
    )
    .await
}

async fn update(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
    Form(f): Form<crate::service::draft::SuggestionInput>,
) -> AppResult<Response> {
    match crate::service::draft::update(&st.ctx, &actor, id, &f).await {
        Ok(()) => Ok(see_other(&format!("/suggestions/{id}"))),
        Err(Error::Validation(v)) => {
            form_page(
                &st,
                &s,
                &actor,
                Some(id),
                f,
                FormErrors(v),
                StatusCode::UNPROCESSABLE_ENTITY,
                "修改建议",
            )
            .await
        }
        Err(e) => Err(AppError(e)),
    }
}

#[derive(Template)]
#[template(path = "suggestion.html")]
struct DetailPage {
    layout: Layout,
    d: Detail,
    error: String,
    units: Vec<(i64, String)>,
    roles: &'static [UnitRole],
    variants: Vec<(&'static str, &'static str)>,
    refusal_reasons: Vec<String>,
    categories: Vec<String>,
    cosigners: Vec<(i64, String)>,
    /// The item's part of the page, rendered by the engine.
    item_html: String,
}

impl DetailPage {
    fn opt_ts(&self, ms: &Option<i64>) -> String {
        webkit::view::opt_ts(*ms)
    }
}

#[derive(Template)]
#[template(path = "publication.html")]
struct PublicationCard<'a> {
    d: &'a Detail,
    csrf: &'a str,
}

/// The reply-deadline choices of the assignment form: the kind's rules.
pub(crate) fn variants() -> Vec<(&'static str, &'static str)> {
    let mut v = vec![(
        engine::rules::Variant::Normal.code(),
        crate::rules::RULES.reply.label,
    )];
    if let Some(c) = crate::rules::RULES.complex_reply {
        v.push((engine::rules::Variant::Complex.code(), c.label));
    }
    v
}

/// The suggestion's page; `error` is a refusal to show above it.
pub(crate) async fn detail_page(
    st: &AppState,
    s: &webkit::auth::Session,
    actor: &Actor,
    id: i64,
    error: String,
    status: StatusCode,
) -> AppResult<Response> {
    let d = crate::service::view::detail(&st.ctx, actor, id).await?;
    let units = if d.can.assign {
        org::service::units::names(&st.ctx, actor).await?
    } else {
        Vec::new()
    };
    let cosigners = if d.can.edit {
        crate::service::cosigner_choices(&st.ctx, actor, id).await?
    } else {
        Vec::new()
    };
    let title = if d.s.title.chars().count() > 24 {
        format!("{}…", d.s.title.chars().take(24).collect::<String>())
    } else {
        d.s.title.clone()
    };
    let item_html = match &d.item {
        Some(v) => {
            let after = PublicationCard {
                d: &d,
                csrf: &s.csrf,
            }
            .render()
            .map_err(|e| AppError(Error::internal(format!("publication card: {e}"))))?;
            engine::web::fragment(st, s, actor, v, &after).await?
        }
        None => String::new(),
    };
    render_status(
        status,
        &DetailPage {
            layout: Layout::new(title, s, "suggestions"),
            error,
            units,
            roles: UnitRole::ALL,
            variants: variants(),
            refusal_reasons: app::options::get(&st.ctx, &crate::rules::REFUSAL_REASONS).await?,
            categories: app::options::get(&st.ctx, &crate::rules::CATEGORIES).await?,
            cosigners,
            item_html,
            d,
        },
    )
}

async fn detail(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    detail_page(&st, &s, &actor, id, String::new(), StatusCode::OK).await
}

/// Runs an action from the detail page: back to the page on success, the page
/// with the message on a refusal the reader can fix.
async fn act(
    st: &AppState,
    s: &webkit::auth::Session,
    actor: &Actor,
    id: i64,
    r: app::Result<()>,
) -> AppResult<Response> {
    match r {
        Ok(()) => Ok(see_other(&format!("/suggestions/{id}"))),
        Err(e @ (Error::Validation(_) | Error::Conflict(_) | Error::BadRequest(_))) => {
            let mut msg = e.message();
            let fields: Vec<String> = e.fields().iter().map(|f| f.message.clone()).collect();
            if fields.len() > 1 {
                msg = fields.join("；");
            }
            detail_page(st, s, actor, id, msg, webkit::error::status_of(&e)).await
        }
        Err(e) => Err(AppError(e)),
    }
}

#[derive(Deserialize, Default)]
struct Fields {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    category: String,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    into: Option<i64>,
    #[serde(default, deserialize_with = "app::de::flex_bool")]
    confirm: bool,
}

/// Invitations: the form repeats `deputy_ids`, once per chosen deputy.
async fn invite(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let ids: Vec<i64> = pairs
        .iter()
        .filter(|(k, _)| k == "deputy_ids")
        .filter_map(|(_, v)| v.trim().parse().ok())
        .collect();
    let r = crate::service::draft::invite(&st.ctx, &actor, id, &ids)
        .await
        .map(|_| ());
    act(&st, &s, &actor, id, r).await
}

async fn action(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path((id, what)): Path<(i64, String)>,
    Form(f): Form<Fields>,
) -> AppResult<Response> {
    use crate::service::{draft, review};
    let ctx = &st.ctx;
    let r: app::Result<()> = match what.as_str() {
        "submit" => draft::submit(ctx, &actor, id).await.map(|_| ()),
        "withdraw" => draft::withdraw(ctx, &actor, id).await,
        "cosign" => draft::respond(ctx, &actor, id, f.confirm).await,
        "accept" => review::accept(ctx, &actor, id).await,
        "return" => review::return_for_revision(ctx, &actor, id, &f.reason).await,
        "refuse" => review::refuse(ctx, &actor, id, &f.reason).await,
        "merge" => review::merge(ctx, &actor, id, f.into.unwrap_or(0)).await,
        "category" => review::set_category(ctx, &actor, id, &f.category).await,
        "convert" => review::convert_motion(ctx, &actor, id, &f.reason).await,
        _ => return Err(AppError(Error::NotFound("操作"))),
    };
    act(&st, &s, &actor, id, r).await
}

async fn supervision(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
    Form(f): Form<crate::service::review::SupervisionInput>,
) -> AppResult<Response> {
    let r = crate::service::review::set_supervision(&st.ctx, &actor, id, &f).await;
    act(&st, &s, &actor, id, r).await
}

#[derive(Deserialize, Default)]
struct AssignForm {
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    unit_0: Option<i64>,
    #[serde(default)]
    role_0: String,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    unit_1: Option<i64>,
    #[serde(default)]
    role_1: String,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    unit_2: Option<i64>,
    #[serde(default)]
    role_2: String,
    #[serde(default)]
    complexity: String,
    #[serde(default)]
    complexity_reason: String,
    /// Several suggestions at once (from the list page), comma-separated.
    #[serde(default)]
    ids: String,
}

impl AssignForm {
    fn input(&self) -> engine::service::assign::AssignInput {
        use engine::service::assign::UnitPart;
        engine::service::assign::AssignInput {
            units: vec![
                UnitPart {
                    unit_id: self.unit_0,
                    role: self.role_0.clone(),
                },
                UnitPart {
                    unit_id: self.unit_1,
                    role: self.role_1.clone(),
                },
                UnitPart {
                    unit_id: self.unit_2,
                    role: self.role_2.clone(),
                },
            ],
            complexity: self.complexity.clone(),
            complexity_reason: self.complexity_reason.clone(),
        }
    }
}

async fn assign(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
    Form(f): Form<AssignForm>,
) -> AppResult<Response> {
    let r = crate::service::assign::assign(&st.ctx, &actor, &[id], &f.input())
        .await
        .map(|_| ());
    act(&st, &s, &actor, id, r).await
}

#[derive(Template)]
#[template(path = "notice.html")]
struct NoticePage {
    layout: Layout,
    message: String,
    ok: bool,
    back: String,
}

#[derive(Deserialize, Default)]
struct BatchForm {
    /// The page's items, comma-separated.
    #[serde(default)]
    ids: String,
}

/// The page's comma-separated ids; a malformed one refuses the whole batch
/// (the field is the page's own, so only a forged form gets here).
fn parse_ids(ids: &str) -> app::Result<Vec<i64>> {
    ids.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(|x| {
            x.parse()
                .map_err(|_| Error::field("ids", "所选建议的编号不正确，请刷新列表后重试"))
        })
        .collect()
}

/// Batch acceptance from the review list (the page's submitted items).
async fn accept_many(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Form(f): Form<BatchForm>,
) -> AppResult<Response> {
    let r = match parse_ids(&f.ids) {
        Ok(ids) => crate::service::review::accept_many(&st.ctx, &actor, &ids).await,
        Err(e) => Err(e),
    }
    .map(|n| format!("已受理 {n} 件，可在“待交办”中交办"));
    batch_notice(&s, "批量受理", "/suggestions?state=submitted", r)
}

fn batch_notice(
    s: &webkit::auth::Session,
    title: &str,
    back: &str,
    r: app::Result<String>,
) -> AppResult<Response> {
    let (ok, message, status) = match r {
        Ok(m) => (true, m, StatusCode::OK),
        Err(
            e @ (Error::Validation(_)
            | Error::Conflict(_)
            | Error::BadRequest(_)
            | Error::NotFound(_)),
        ) => (false, e.message(), webkit::error::status_of(&e)),
        Err(e) => return Err(AppError(e)),
    };
    render_status(
        status,
        &NoticePage {
            layout: Layout::new(title, s, "suggestions"),
            message,
            ok,
            back: back.into(),
        },
    )
}

/// Batch assignment from the list page.
async fn assign_many(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Form(f): Form<AssignForm>,
) -> AppResult<Response> {
    let r = match parse_ids(&f.ids) {
        Ok(ids) => crate::service::assign::assign(&st.ctx, &actor, &ids, &f.input()).await,
        Err(e) => Err(e),
    }
    .map(|items| format!("已交办 {} 件", items.len()));
    batch_notice(&s, "批量交办", "/suggestions?state=accepted", r)
}

async fn publication(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
    Form(f): Form<crate::service::evaluate::PublicationInput>,
) -> AppResult<Response> {
    let r = crate::service::evaluate::set_publication(&st.ctx, &actor, id, &f).await;
    act(&st, &s, &actor, id, r).await
}

async fn attach(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
    mp: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    actor.require(Permission::ProposeSuggestions)?;
    let mp = mp.map_err(|_| AppError(Error::BadRequest("请以表单方式上传文件".into())))?;
    let r = match webkit::pages::read_upload(mp).await {
        Ok((name, bytes, _)) => crate::service::draft::attach(&st.ctx, &actor, id, &name, &bytes)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    act(&st, &s, &actor, id, r).await
}

#[derive(Template)]
#[template(path = "record.html")]
struct RecordPage {
    layout: Layout,
    d: Detail,
}

impl RecordPage {
    fn ts(&self, ms: &i64) -> String {
        webkit::view::ts(*ms)
    }
}

/// The handling record (全程纪实表), printable.
async fn record(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let d = crate::service::view::detail(&st.ctx, &actor, id).await?;
    render(&RecordPage {
        layout: Layout::new(format!("全程纪实表：{}", d.s.title), &s, "suggestions"),
        d,
    })
}

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

async fn record_docx(
    State(st): State<AppState>,
    Me(actor): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let f = crate::service::documents::record(&st.ctx, &actor, id).await?;
    Ok(webkit::pages::download(f.bytes, &f.name, DOCX))
}

async fn letter_docx(
    State(st): State<AppState>,
    Me(actor): Me,
    Path((id, a)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let f = crate::service::documents::reply_letter(&st.ctx, &actor, id, a).await?;
    Ok(webkit::pages::download(f.bytes, &f.name, DOCX))
}

async fn export(
    State(st): State<AppState>,
    Me(actor): Me,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let some = |x: &str| Some(x.trim().to_string()).filter(|v| !v.is_empty());
    let f = SuggestionFilter {
        q: some(&q.q),
        states: some(&q.state).map(|s| vec![s]),
        kind: some(&q.kind),
        category: some(&q.category),
        key_only: q.key,
        ..Default::default()
    };
    let bytes = crate::service::view::export(&st.ctx, &actor, f).await?;
    Ok(webkit::pages::download(
        bytes,
        &format!("议案建议_{}.xlsx", st.ctx.today()),
        webkit::pages::XLSX,
    ))
}

pub fn router() -> Pages {
    Pages::new()
        .route("/suggestions/export", get(export))
        .route("/suggestions/{id}/record.docx", get(record_docx))
        .route(
            "/suggestions/{id}/assignments/{a}/letter.docx",
            get(letter_docx),
        )
        .route("/suggestions", get(list).post(create))
        .route("/suggestions/new", get(new_form))
        .route("/suggestions/accept", post(accept_many))
        .route("/suggestions/assign", post(assign_many))
        .route("/suggestions/{id}", get(detail).post(update))
        .route("/suggestions/{id}/edit", get(edit_form))
        .route("/suggestions/{id}/record", get(record))
        .route(
            "/suggestions/{id}/attachments",
            post(attach).layer(DefaultBodyLimit::max(webkit::UPLOAD_LIMIT)),
        )
        .route("/suggestions/{id}/supervision", post(supervision))
        .route("/suggestions/{id}/invite", post(invite))
        .route("/suggestions/{id}/assign", post(assign))
        .route("/suggestions/{id}/publication", post(publication))
        .route("/suggestions/{id}/do/{what}", post(action))
}
