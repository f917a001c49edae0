//! Suggestion pages: lists per role, drafting, the detail page with every
//! action the reader may take, the printable handling record.

use crate::rules::SuggestionKind;
use crate::service::view::Detail;
use crate::store::suggestions::SuggestionRow;
use app::{Actor, Error};
use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use db::Page;
use engine::rules::UnitRole;
use kernel::roles::{Permission, Role};
use serde::Deserialize;
use webkit::extract::{Form, Kept, Path, Posted, Query};

use webkit::auth::{Me, MeSession};
use webkit::error::{AppError, AppResult};
use webkit::pages::see_other_with;
use webkit::view::{FormErrors, Layout, Pager, render, render_status};
use webkit::{AppState, Pages};

use super::list_query::ListQuery;

pub struct Line {
    pub s: SuggestionRow,
    pub state_label: &'static str,
    pub kind_label: &'static str,
    pub submitted: String,
    /// The row's next step for this reader (审核, 交办, 修改…) and where it is.
    pub action: (&'static str, String),
}

fn line(s: SuggestionRow, is_staff: bool) -> Line {
    let at = |anchor: &str| format!("/suggestions/{}{anchor}", s.id);
    let action = match (is_staff, s.state.as_str()) {
        (true, "submitted") => ("审核", at("#review")),
        (true, "accepted") => ("交办", at("#assign")),
        (false, "draft" | "returned") => ("修改", at("/edit")),
        _ => ("查看", at("")),
    };
    Line {
        action,
        submitted: s.submitted_at.map(webkit::view::ts).unwrap_or_default(),
        state_label: crate::rules::status_label(&s.state, s.item_state.as_deref()),
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
    states: Vec<(&'static str, &'static str)>,
    categories: Vec<String>,
    invitations: Vec<SuggestionRow>,
    is_deputy: bool,
    is_staff: bool,
    units: Vec<(i64, String)>,
    /// The sessions the session filter offers.
    sessions: Vec<(i64, String)>,
    page_sizes: &'static [i64],
    roles: &'static [UnitRole],
    variants: Vec<(&'static str, &'static str)>,
    /// A refused batch form, its ticks and choices kept.
    kept: Kept,
}

impl ListPage {
    /// Whether rows can be ticked for a batch action (staff, on the list of
    /// those waiting for review or for assignment).
    fn batch(&self) -> bool {
        self.is_staff
            && (self.q.state == "submitted" || self.q.state == "accepted")
            && !self.rows.is_empty()
    }
    fn batch_action(&self) -> &'static str {
        if self.q.state == "submitted" {
            "/suggestions/accept"
        } else {
            "/suggestions/assign"
        }
    }
    fn ticked(&self, id: &i64) -> bool {
        self.kept
            .chose(self.batch_action(), "ids", &id.to_string(), false)
    }
    fn session_is(&self, id: &i64) -> bool {
        self.q.session == Some(*id)
    }
    fn unit_is(&self, id: &i64) -> bool {
        self.q.unit == Some(*id)
    }
    fn per_page_is(&self, n: &i64) -> bool {
        self.q.per_page() == *n
    }
    fn ticked_count(&self) -> usize {
        self.rows.iter().filter(|l| self.ticked(&l.s.id)).count()
    }
    /// The list's query, for the batch form to come back to.
    fn query(&self) -> String {
        self.q.query()
    }
    /// The list's filters, for the export link.
    fn base(&self) -> String {
        self.q.base()
    }
    fn assign_val(&self, field: &str, default: &str) -> String {
        self.kept.val("/suggestions/assign", field, default)
    }
    fn assign_chose(&self, field: &str, value: &str, default: bool) -> bool {
        self.kept
            .chose("/suggestions/assign", field, value, default)
    }
    fn assign_err(&self, field: &str) -> String {
        self.kept.err("/suggestions/assign", field)
    }
    fn field(&self, prefix: &str, i: &usize) -> String {
        format!("{prefix}{i}")
    }
}

async fn list(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    list_page(&st, &s, &actor, q, Kept::default(), StatusCode::OK).await
}

/// The list, with a refused batch form kept as it was ticked and filled.
async fn list_page(
    st: &AppState,
    s: &webkit::auth::Session,
    actor: &Actor,
    q: ListQuery,
    kept: Kept,
    status: StatusCode,
) -> AppResult<Response> {
    let is_staff = actor.can(Permission::ManageSuggestions);
    let page = crate::service::view::list(
        &st.ctx,
        actor,
        q.filter(),
        Page::new(q.page, Some(q.per_page())),
    )
    .await?;
    let pager = Pager::new(&page, "/suggestions", &q.base());
    let invitations = crate::service::view::invitations(&st.ctx, actor).await?;
    let units = if is_staff {
        org::service::units::names(&st.ctx, actor).await?
    } else {
        Vec::new()
    };
    let sessions = match (actor.role, actor.congress_id) {
        (Role::Deputy, _) => deputy_choices(st, actor).await?.0,
        (_, Some(c)) if is_staff || actor.role == Role::CongressLeader => {
            crate::service::sessions_of(&st.ctx, c).await?
        }
        _ => Vec::new(),
    };
    render_status(
        status,
        &ListPage {
            layout: Layout::new("议案建议", s, "suggestions"),
            rows: page.items.into_iter().map(|r| line(r, is_staff)).collect(),
            sessions,
            page_sizes: super::list_query::PAGE_SIZES,
            pager,
            q,
            states: crate::rules::statuses(),
            categories: app::options::get(&st.ctx, &crate::rules::CATEGORIES).await?,
            invitations,
            is_deputy: actor.role == Role::Deputy,
            is_staff,
            units,
            roles: UnitRole::ALL,
            variants: variants(),
            kept,
        },
    )
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
    Posted(f, kept): Posted<AssignForm>,
) -> AppResult<Response> {
    let r = crate::service::assign::assign(&st.ctx, &actor, &[id], &f.input())
        .await
        .map(|_| "已交办，承办单位已收到通知".to_string());
    act(&st, &s, &actor, id, r, kept).await
}

/// The ticked items of a batch form (the repeated `ids` field); a malformed
/// id refuses the whole batch (only a forged form sends one). None ticked is
/// refused by the service, after its permission check.
fn ticked_ids(pairs: &[(String, String)]) -> app::Result<Vec<i64>> {
    pairs
        .iter()
        .filter(|(k, _)| k == "ids")
        .map(|(_, v)| {
            v.trim()
                .parse()
                .map_err(|_| Error::BadRequest("所选建议的编号不正确，请刷新列表后重试".into()))
        })
        .collect()
}

/// After a batch action: back to the list with the message, or the list
/// with the refusal and the form as it was ticked and filled.
async fn batch_done(
    st: &AppState,
    s: &webkit::auth::Session,
    actor: &Actor,
    q: ListQuery,
    kept: Kept,
    r: app::Result<String>,
) -> AppResult<Response> {
    match r {
        Ok(message) => Ok(see_other_with(
            &format!("/suggestions?{}", q.query()),
            &message,
        )),
        Err(e @ (Error::Validation(_) | Error::Conflict(_) | Error::BadRequest(_))) => {
            let status = webkit::error::status_of(&e);
            list_page(st, s, actor, q, kept.refused(&e), status).await
        }
        Err(e) => Err(AppError(e)),
    }
}

/// Batch acceptance of the ticked items (after the review meeting).
async fn accept_many(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Query(q): Query<ListQuery>,
    Posted(pairs, kept): Posted<Vec<(String, String)>>,
) -> AppResult<Response> {
    let r = match ticked_ids(&pairs) {
        Ok(ids) => crate::service::review::accept_many(&st.ctx, &actor, &ids).await,
        Err(e) => Err(e),
    }
    .map(|n| format!("已受理 {n} 件，可在“待交办”中交办"));
    batch_done(&st, &s, &actor, q, kept, r).await
}

/// Batch assignment of the ticked items to the same units.
async fn assign_many(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Query(q): Query<ListQuery>,
    Posted(pairs, kept): Posted<Vec<(String, String)>>,
) -> AppResult<Response> {
    let r = async {
        let f: AssignForm = webkit::extract::from_pairs(&pairs, &["ids"])?;
        let ids = ticked_ids(&pairs)?;
        crate::service::assign::assign(&st.ctx, &actor, &ids, &f.input()).await
    }
    .await
    .map(|items| format!("已交办 {} 件，承办单位已收到通知", items.len()));
    batch_done(&st, &s, &actor, q, kept, r).await
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
    let bytes = crate::service::view::export(&st.ctx, &actor, q.filter()).await?;
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
        .route("/suggestions/{id}/pick/merge", get(pick_merge))
        .route("/suggestions/{id}/pick/cosigners", get(pick_cosigners))
        .route("/suggestions/{id}/assign", post(assign))
        .route("/suggestions/{id}/publication", post(publication))
        .route("/suggestions/{id}/do/{what}", post(action))
}
