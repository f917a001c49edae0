//! Suggestion pages: drafting, the detail page with every
//! action the reader may take, the printable handling record.

use crate::service::view::Detail;
use app::{Actor, Error};
use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use engine::rules::UnitRole;
use kernel::roles::Permission;
use serde::Deserialize;
use webkit::extract::{Form, Kept, Path, Posted, Query};

use webkit::auth::{Me, MeSession};
use webkit::error::{AppError, AppResult};
use webkit::pages::see_other_with;
use webkit::view::{FormErrors, Layout, render, render_status};
use webkit::{AppState, Pages};

use super::list;

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
pub(super) async fn deputy_choices(
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
        Ok(d) => Ok(see_other_with(
            &format!("/suggestions/{}", d.id),
            if f.submit {
                "已提交，等待工作人员审核"
            } else {
                "草稿已保存，可继续修改或邀请附议"
            },
        )),
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
        Ok(()) => Ok(see_other_with(
            &format!("/suggestions/{id}"),
            if f.submit {
                "已提交，等待工作人员审核"
            } else {
                "修改已保存"
            },
        )),
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
    /// A refused form of this page, to show again as it was typed.
    kept: Kept,
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
    fn action(&self, form: &str) -> String {
        format!("/suggestions/{}/{form}", self.d.s.id)
    }
    /// What was typed in `field` of the page's `form` (`do/merge`), or `default`.
    fn val(&self, form: &str, field: &str, default: &str) -> String {
        self.kept.val(&self.action(form), field, default)
    }
    fn chose(&self, form: &str, field: &str, value: &str, default: bool) -> bool {
        self.kept.chose(&self.action(form), field, value, default)
    }
    fn err(&self, form: &str, field: &str) -> String {
        self.kept.err(&self.action(form), field)
    }
    fn assign_val(&self, field: &str, default: &str) -> String {
        self.val("assign", field, default)
    }
    fn assign_chose(&self, field: &str, value: &str, default: bool) -> bool {
        self.chose("assign", field, value, default)
    }
    fn assign_err(&self, field: &str) -> String {
        self.err("assign", field)
    }
    fn field(&self, prefix: &str, i: &usize) -> String {
        format!("{prefix}{i}")
    }
}

#[derive(Template)]
#[template(path = "publication.html")]
struct PublicationCard<'a> {
    d: &'a Detail,
    csrf: &'a str,
}

/// The reply-deadline choices of the assignment form: the kind's rules (a
/// motion has one period; a suggestion may take the longer one).
pub(crate) fn variants(kind: &str) -> Vec<(&'static str, &'static str)> {
    let rules = crate::rules::rules_of(kind);
    let mut v = vec![(engine::rules::Variant::Normal.code(), rules.reply.label)];
    if let Some(c) = rules.complex_reply {
        v.push((engine::rules::Variant::Complex.code(), c.label));
    }
    v
}

/// The suggestion's page; `kept` is a refused form to show above it and
/// fill in again as it was posted.
pub(crate) async fn detail_page(
    st: &AppState,
    s: &webkit::auth::Session,
    actor: &Actor,
    id: i64,
    kept: Kept,
    status: StatusCode,
) -> AppResult<Response> {
    let d = crate::service::view::detail(&st.ctx, actor, id).await?;
    let units = if d.can.assign {
        org::service::units::names(&st.ctx, actor).await?
    } else {
        Vec::new()
    };
    // Only a refused invitation shows chosen deputies again (the picker
    // searches as the lead types; no roster is sent with the page).
    let cosigners = if d.can.edit && kept.is(&format!("/suggestions/{id}/invite")) {
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
            engine::web::fragment(st, s, actor, v, &after, &kept).await?
        }
        None => String::new(),
    };
    render_status(
        status,
        &DetailPage {
            layout: Layout::new(title, s, "suggestions"),
            kept,
            units,
            roles: UnitRole::ALL,
            variants: variants(&d.s.kind),
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
    detail_page(&st, &s, &actor, id, Kept::default(), StatusCode::OK).await
}

/// Runs an action from the detail page: back to the page on success, the page
/// with the refusal and the form as posted on a refusal the reader can fix.
async fn act(
    st: &AppState,
    s: &webkit::auth::Session,
    actor: &Actor,
    id: i64,
    r: app::Result<String>,
    kept: Kept,
) -> AppResult<Response> {
    match r {
        Ok(done) => Ok(see_other_with(&format!("/suggestions/{id}"), &done)),
        Err(e @ (Error::Validation(_) | Error::Conflict(_) | Error::BadRequest(_))) => {
            let status = webkit::error::status_of(&e);
            detail_page(st, s, actor, id, kept.refused(&e), status).await
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
    /// The suggestion picked from the merge picker's list.
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    into: Option<i64>,
    /// What was typed in the picker (a number, when nothing was picked).
    #[serde(default)]
    into_text: String,
    #[serde(default, deserialize_with = "app::de::flex_bool")]
    confirm: bool,
}

/// Invitations: the form repeats `deputy_ids`, once per chosen deputy.
async fn invite(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
    Posted(pairs, kept): Posted<Vec<(String, String)>>,
) -> AppResult<Response> {
    let ids: Vec<i64> = pairs
        .iter()
        .filter(|(k, _)| k == "deputy_ids")
        .filter_map(|(_, v)| v.trim().parse().ok())
        .collect();
    let r = crate::service::draft::invite(&st.ctx, &actor, id, &ids)
        .await
        .map(|n| format!("已向 {n} 位代表发出附议邀请"));
    act(&st, &s, &actor, id, r, kept).await
}

async fn action(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path((id, what)): Path<(i64, String)>,
    Posted(f, kept): Posted<Fields>,
) -> AppResult<Response> {
    use crate::service::{draft, review};
    let ctx = &st.ctx;
    fn said<T>(m: &'static str) -> impl FnOnce(T) -> String {
        move |_| m.to_string()
    }
    let r: app::Result<String> = match what.as_str() {
        "submit" => draft::submit(ctx, &actor, id)
            .await
            .map(said("已提交，等待工作人员审核")),
        "withdraw" => draft::withdraw(ctx, &actor, id).await.map(said("已撤回")),
        "cosign" => draft::respond(ctx, &actor, id, f.confirm)
            .await
            .map(said(if f.confirm {
                "已同意附议"
            } else {
                "已谢绝附议"
            })),
        "accept" => review::accept(ctx, &actor, id)
            .await
            .map(said("已受理，可以交办")),
        "return" => review::return_for_revision(ctx, &actor, id, &f.reason)
            .await
            .map(said("已置回代表修改，代表已收到通知")),
        "refuse" => review::refuse(ctx, &actor, id, &f.reason)
            .await
            .map(said("已作不予立案处理，代表已收到通知")),
        "merge" => merge(&st, &actor, id, &f).await,
        "category" => review::set_category(ctx, &actor, id, &f.category)
            .await
            .map(said("分类已设置")),
        "convert" => review::convert_motion(ctx, &actor, id, &f.reason)
            .await
            .map(said("已转为建议办理")),
        _ => return Err(AppError(Error::NotFound("操作"))),
    };
    act(&st, &s, &actor, id, r, kept).await
}

/// A merge into the suggestion picked from the list, or into the one whose
/// number was typed.
async fn merge(st: &AppState, actor: &Actor, id: i64, f: &Fields) -> app::Result<String> {
    let into = match f.into.filter(|x| *x > 0) {
        Some(into) => into,
        None => {
            crate::service::pick::resolve_merge_target(&st.ctx, actor, id, &f.into_text).await?
        }
    };
    crate::service::review::merge(&st.ctx, actor, id, into).await?;
    Ok("已并案，本件并入所选建议一并办理".into())
}

#[derive(Deserialize, Default)]
struct PickQuery {
    #[serde(default)]
    q: String,
}

/// The merge picker's list: what this suggestion may be merged into.
async fn pick_merge(
    State(st): State<AppState>,
    Me(actor): Me,
    Path(id): Path<i64>,
    Query(q): Query<PickQuery>,
) -> AppResult<Response> {
    let list = crate::service::pick::merge_targets(&st.ctx, &actor, id, &q.q).await?;
    Ok(webkit::api::ok(list))
}

/// The co-signer picker's list: deputies the lead may invite.
async fn pick_cosigners(
    State(st): State<AppState>,
    Me(actor): Me,
    Path(id): Path<i64>,
    Query(q): Query<PickQuery>,
) -> AppResult<Response> {
    let list = crate::service::pick::cosigners(&st.ctx, &actor, id, &q.q).await?;
    Ok(webkit::api::ok(list))
}

async fn supervision(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
    Posted(f, kept): Posted<crate::service::review::SupervisionInput>,
) -> AppResult<Response> {
    let r = crate::service::review::set_supervision(&st.ctx, &actor, id, &f)
        .await
        .map(|()| "督办设置已保存".to_string());
    act(&st, &s, &actor, id, r, kept).await
}

#[derive(Deserialize, Default)]
pub(super) struct AssignForm {
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
}

impl AssignForm {
    pub(super) fn input(&self) -> engine::service::assign::AssignInput {
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
    Posted(f, kept): Posted<AssignForm>,
) -> AppResult<Response> {
    let r = crate::service::assign::assign(&st.ctx, &actor, &[id], &f.input())
        .await
        .map(|_| "已交办，承办单位已收到通知".to_string());
    act(&st, &s, &actor, id, r, kept).await
}

async fn publication(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
    Posted(f, kept): Posted<crate::service::evaluate::PublicationInput>,
) -> AppResult<Response> {
    let r = crate::service::evaluate::set_publication(&st.ctx, &actor, id, &f)
        .await
        .map(|()| "公开设置已保存".to_string());
    act(&st, &s, &actor, id, r, kept).await
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
            .map(|_| format!("附件“{name}”已上传")),
        Err(e) => Err(e),
    };
    let kept = Kept {
        action: format!("/suggestions/{id}/attachments"),
        ..Kept::default()
    };
    act(&st, &s, &actor, id, r, kept).await
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

use webkit::pages::DOCX;

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

pub fn router() -> Pages {
    Pages::new()
        .route("/suggestions/export", get(list::export))
        .route("/suggestions/{id}/record.docx", get(record_docx))
        .route(
            "/suggestions/{id}/assignments/{a}/letter.docx",
            get(letter_docx),
        )
        .route("/suggestions", get(list::list).post(create))
        .route("/suggestions/new", get(new_form))
        .route("/suggestions/accept", post(list::accept_many))
        .route("/suggestions/assign", post(list::assign_many))
        .route("/suggestions/{id}", get(detail).post(update))
        .route("/suggestions/{id}/edit", get(edit_form))
        .route("/suggestions/{id}/record", get(record))
        .route(
            "/suggestions/{id}/attachments",
            post(attach).layer(DefaultBodyLimit::max(webkit::UPLOAD_LIMIT)),
        )
        .route("/suggestions/{id}/supervision", post(supervision))
        .route("/suggestions/{id}/invite", post(invite))
        .route("/suggestions/{id}/pick/merge", get(pick_merge))
        .route("/suggestions/{id}/pick/cosigners", get(pick_cosigners))
        .route("/suggestions/{id}/assign", post(assign))
        .route("/suggestions/{id}/publication", post(publication))
        .route("/suggestions/{id}/do/{what}", post(action))
}
