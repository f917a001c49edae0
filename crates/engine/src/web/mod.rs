//! The engine's part of every page: one fragment that shows an item's
//! assignments, replies, commitments, evaluations and handling record with
//! the actions the reader may take, embedded by the subject's page; the
//! actions' routes (`/assignments/{id}/…`, `/items/{id}/…`,
//! `/commitments/{id}/…`); and the work page (工作台).
//!
//! An action that succeeds goes back to the subject's page. One refused for
//! a reason the reader can fix shows the subject's page again with the
//! message (the kind renders it).

pub mod api;
pub mod types;

use std::sync::Arc;
use webkit::extract::{Kept, Path, Posted};

use app::{Actor, Error};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use db::Page;
use kernel::roles::Role;
use serde::Deserialize;
use webkit::auth::Session;
use webkit::auth::{Me, MeSession};
use webkit::error::{AppError, AppResult};
use webkit::pages::see_other_with;
use webkit::view::{Layout, render};
use webkit::{AppState, Pages};

use crate::kind::{Kind, kind_of, kinds};
use crate::rules::{
    AssignmentState, ContactMethod, ContactStage, KindRules, Satisfaction, Scale, SignoffChain,
    UnitRole,
};
use crate::service::assign::ExtensionInput;
use crate::service::evaluate::{EvaluationInput, FulfilInput};
use crate::service::handle::{
    CommitmentInput, ContactInput, OpinionInput, ReplyInput, SignoffInput,
};
use crate::service::view::{ItemView, Queue, queue};
use crate::store::{ItemRow, QueueRow};

#[derive(Template)]
#[template(path = "item.html")]
struct Fragment<'a> {
    v: &'a ItemView,
    kind: Arc<dyn Kind>,
    rules: &'static KindRules,
    csrf: &'a str,
    today: String,
    units: Vec<(i64, String)>,
    result_categories: Vec<String>,
    stages: &'static [ContactStage],
    methods: &'static [ContactMethod],
    ratings: &'static [Satisfaction],
    after: &'a str,
    /// A refused form of this item, to show again as it was typed.
    kept: &'a Kept,
}

impl Fragment<'_> {
    fn ts(&self, ms: &i64) -> String {
        webkit::view::ts(*ms)
    }
    fn short(&self, sha: &str) -> String {
        sha.chars().take(16).collect()
    }
    fn with_whom(&self) -> &'static str {
        self.rules
            .contact_before_reply
            .map(|c| c.with)
            .unwrap_or(self.rules.proposer_noun)
    }
    fn submit_label(&self) -> &'static str {
        match self.rules.signoff {
            SignoffChain::None => "提交答复",
            _ => "提交单位负责人签发",
        }
    }
    fn rates_attitude(&self) -> bool {
        self.rules.scale == Scale::AttitudeAndResult
    }
    /// What was typed in `field` of an assignment's `form`, or `default`.
    fn val(&self, aid: &i64, form: &str, field: &str, default: &str) -> String {
        self.kept
            .val(&format!("/assignments/{aid}/{form}"), field, default)
    }
    /// Whether `value` was chosen for `field` of an assignment's `form`.
    fn chose(&self, aid: &i64, form: &str, field: &str, value: &str, default: bool) -> bool {
        self.kept
            .chose(&format!("/assignments/{aid}/{form}"), field, value, default)
    }
    /// The refusal's message for `field` of an assignment's `form`.
    fn err(&self, aid: &i64, form: &str, field: &str) -> String {
        self.kept.err(&format!("/assignments/{aid}/{form}"), field)
    }
    /// The unit's reply being revised, to start the form from.
    fn draft_text<'b>(&self, av: &'b crate::service::view::AssignmentView) -> &'b str {
        av.reply.as_ref().map(|r| r.text.as_str()).unwrap_or("")
    }
    fn draft_category<'b>(&self, av: &'b crate::service::view::AssignmentView) -> &'b str {
        av.reply
            .as_ref()
            .map(|r| r.result_category.as_str())
            .unwrap_or("")
    }
    /// Whether the refused form is this assignment's `form` (to open it).
    fn posted(&self, aid: &i64, form: &str) -> bool {
        self.kept.is(&format!("/assignments/{aid}/{form}"))
    }
    /// A numbered field's name (`commitment_text_0`).
    fn field(&self, prefix: &str, i: &usize) -> String {
        format!("{prefix}{i}")
    }
    /// The refusal's message for a form of this assignment that names no
    /// field shown there.
    fn form_error(&self, aid: &i64, form: &str) -> String {
        let action = format!("/assignments/{aid}/{form}");
        if self.kept.is(&action) && self.kept.errors.0.is_empty() {
            self.kept.message.clone()
        } else {
            String::new()
        }
    }
    fn item_val(&self, form: &str, field: &str, default: &str) -> String {
        self.kept
            .val(&format!("/items/{}/{form}", self.v.item.id), field, default)
    }
    fn item_err(&self, form: &str, field: &str) -> String {
        self.kept
            .err(&format!("/items/{}/{form}", self.v.item.id), field)
    }
    fn item_chose(&self, form: &str, field: &str, value: &str) -> bool {
        self.kept.chose(
            &format!("/items/{}/{form}", self.v.item.id),
            field,
            value,
            false,
        )
    }
    fn fulfil_val(&self, c: &i64, field: &str) -> String {
        self.kept
            .val(&format!("/commitments/{c}/fulfil"), field, "")
    }
    fn letter(&self, assignment_id: &i64) -> Option<String> {
        self.kind.reply_letter(&self.v.item, *assignment_id)
    }
}

/// The item's part of its subject's page, as HTML; `after` is the subject's
/// own HTML to show before the handling record (a publication card).
pub async fn fragment(
    st: &AppState,
    s: &Session,
    actor: &Actor,
    v: &ItemView,
    after: &str,
    kept: &Kept,
) -> AppResult<String> {
    let kind = kind_of(&st.ctx, &v.item)?;
    let rules = kind.rules();
    let units = if v.assignments.iter().any(|a| a.can_reassign) {
        org::service::units::names(&st.ctx, actor).await?
    } else {
        Vec::new()
    };
    let result_categories = match (
        &rules.result_categories,
        v.assignments.iter().any(|a| a.can_reply),
    ) {
        (Some(list), true) => app::options::get(&st.ctx, list).await?,
        _ => Vec::new(),
    };
    let f = Fragment {
        v,
        rules,
        kind,
        csrf: &s.csrf,
        today: st.ctx.today().to_string(),
        units,
        result_categories,
        stages: ContactStage::ALL,
        methods: ContactMethod::ALL,
        ratings: Satisfaction::ALL,
        after,
        kept,
    };
    f.render()
        .map_err(|e| AppError(Error::internal(format!("item fragment: {e}"))))
}

/// After an action from the item's part of a page: back to the subject's
/// page, or that page with the refusal the reader can fix, the form filled
/// in as it was posted.
async fn back(
    st: &AppState,
    s: &Session,
    actor: &Actor,
    item: ItemRow,
    r: app::Result<String>,
    kept: Kept,
) -> AppResult<Response> {
    match r {
        Ok(done) => Ok(see_other_with(&item.link, &done)),
        Err(e @ (Error::Validation(_) | Error::Conflict(_) | Error::BadRequest(_))) => {
            let kind = kind_of(&st.ctx, &item)?;
            let status = webkit::error::status_of(&e);
            kind.page(st, s, actor, &item, kept.refused(&e), status)
                .await
        }
        Err(e) => Err(AppError(e)),
    }
}

/// A refusal the reader cannot fix from the page (forbidden, not found) is
/// answered at once; anything else goes back to the subject's page.
fn settled<T>(r: app::Result<T>) -> AppResult<app::Result<T>> {
    match r {
        Err(e @ (Error::Validation(_) | Error::Conflict(_) | Error::BadRequest(_))) => Ok(Err(e)),
        Err(e) => Err(AppError(e)),
        Ok(v) => Ok(Ok(v)),
    }
}

/// The item an assignment belongs to, if the actor may read it, and the
/// assignment as it now stands (for the success message).
async fn item_of_assignment(
    st: &AppState,
    actor: &Actor,
    id: i64,
) -> AppResult<(ItemRow, crate::store::AssignmentRow)> {
    let mut c = st.ctx.db.read().await?;
    let (a, l) = crate::service::load_assignment(&st.ctx, &mut c, actor, id).await?;
    Ok((l.item, a))
}

/// What the reader is told after an action on an assignment succeeded.
fn done_message(rules: &KindRules, a: &crate::store::AssignmentRow) -> String {
    match AssignmentState::parse(&a.state) {
        Some(AssignmentState::AwaitingHead) => "答复已提交，等待单位负责人签发".into(),
        Some(AssignmentState::AwaitingLeader) => "已同意，答复已报分管领导签批".into(),
        Some(AssignmentState::Replied) => format!("答复已签发，已送达{}", rules.proposer_noun),
        Some(AssignmentState::OpinionSent) => "协办意见已报送主办单位".into(),
        Some(AssignmentState::Returned) => "已退回交办，等待工作人员重新交办".into(),
        _ => "已保存".into(),
    }
}

async fn readable_item(st: &AppState, actor: &Actor, id: i64) -> AppResult<ItemRow> {
    let mut c = st.ctx.db.read().await?;
    Ok(crate::service::readable(&st.ctx, &mut c, actor, id, "事项")
        .await?
        .item)
}

#[derive(Deserialize, Default)]
struct ReasonForm {
    #[serde(default)]
    reason: String,
}

async fn unit_return(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(a): Path<i64>,
    Posted(f, kept): Posted<ReasonForm>,
) -> AppResult<Response> {
    let r = crate::service::assign::unit_return(&st.ctx, &actor, a, &f.reason).await;
    let r = settled(r)?;
    let (item, row) = item_of_assignment(&st, &actor, a).await?;
    let rules = kind_of(&st.ctx, &item)?.rules();
    let r = r.map(|()| done_message(rules, &row));
    back(&st, &s, &actor, item, r, kept).await
}

#[derive(Deserialize, Default)]
struct UnitForm {
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    unit_id: Option<i64>,
}

async fn reassign(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(a): Path<i64>,
    Posted(f, kept): Posted<UnitForm>,
) -> AppResult<Response> {
    let r = crate::service::assign::reassign(&st.ctx, &actor, a, f.unit_id.unwrap_or(0))
        .await
        .map(|_| "已重新交办，新的承办单位已收到通知".to_string());
    let r = settled(r)?;
    let (item, _) = item_of_assignment(&st, &actor, a).await?;
    back(&st, &s, &actor, item, r, kept).await
}

async fn extend(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(a): Path<i64>,
    Posted(f, kept): Posted<ExtensionInput>,
) -> AppResult<Response> {
    let r = crate::service::assign::extend(&st.ctx, &actor, a, &f)
        .await
        .map(|due| format!("已批准延期，新的答复期限为 {due}，已告知各方"));
    let r = settled(r)?;
    let (item, _) = item_of_assignment(&st, &actor, a).await?;
    back(&st, &s, &actor, item, r, kept).await
}

async fn waive_opinions(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(a): Path<i64>,
    Posted(f, kept): Posted<crate::service::opinions::WaiveInput>,
) -> AppResult<Response> {
    let r = crate::service::opinions::waive(&st.ctx, &actor, a, &f)
        .await
        .map(|_| "已同意主办单位先行答复，已通知该单位".to_string());
    let r = settled(r)?;
    let (item, _) = item_of_assignment(&st, &actor, a).await?;
    back(&st, &s, &actor, item, r, kept).await
}

async fn contact(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(a): Path<i64>,
    Posted(f, kept): Posted<ContactInput>,
) -> AppResult<Response> {
    let r = crate::service::handle::add_contact(&st.ctx, &actor, a, &f)
        .await
        .map(|_| "沟通情况已登记".to_string());
    let r = settled(r)?;
    let (item, _) = item_of_assignment(&st, &actor, a).await?;
    back(&st, &s, &actor, item, r, kept).await
}

async fn opinion(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(a): Path<i64>,
    Posted(f, kept): Posted<OpinionInput>,
) -> AppResult<Response> {
    let r = crate::service::handle::send_opinion(&st.ctx, &actor, a, &f).await;
    let r = settled(r)?;
    let (item, row) = item_of_assignment(&st, &actor, a).await?;
    let rules = kind_of(&st.ctx, &item)?.rules();
    let r = r.map(|()| done_message(rules, &row));
    back(&st, &s, &actor, item, r, kept).await
}

/// The reply form: the text, the category and up to three commitments.
#[derive(Deserialize, Default)]
struct ReplyForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    result_category: String,
    #[serde(default)]
    commitment_text_0: String,
    #[serde(default)]
    commitment_due_0: String,
    #[serde(default)]
    commitment_text_1: String,
    #[serde(default)]
    commitment_due_1: String,
    #[serde(default)]
    commitment_text_2: String,
    #[serde(default)]
    commitment_due_2: String,
}

async fn reply(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(a): Path<i64>,
    Posted(f, kept): Posted<ReplyForm>,
) -> AppResult<Response> {
    let c = |t: &str, d: &str| CommitmentInput {
        text: t.into(),
        due_date: d.into(),
    };
    let input = ReplyInput {
        text: f.text,
        result_category: f.result_category,
        commitments: vec![
            c(&f.commitment_text_0, &f.commitment_due_0),
            c(&f.commitment_text_1, &f.commitment_due_1),
            c(&f.commitment_text_2, &f.commitment_due_2),
        ],
    };
    let r = crate::service::handle::submit_reply(&st.ctx, &actor, a, &input).await;
    let r = settled(r)?;
    let (item, row) = item_of_assignment(&st, &actor, a).await?;
    let rules = kind_of(&st.ctx, &item)?.rules();
    let r = r.map(|_| done_message(rules, &row));
    back(&st, &s, &actor, item, r, kept).await
}

async fn signoff(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(a): Path<i64>,
    Posted(f, kept): Posted<SignoffInput>,
) -> AppResult<Response> {
    let r = crate::service::handle::sign_off(&st.ctx, &actor, a, &f).await;
    let r = settled(r)?;
    let (item, row) = item_of_assignment(&st, &actor, a).await?;
    let rules = kind_of(&st.ctx, &item)?.rules();
    let r = r.map(|()| {
        if f.approve {
            done_message(rules, &row)
        } else {
            "已退回承办人修改".to_string()
        }
    });
    back(&st, &s, &actor, item, r, kept).await
}

async fn evaluate(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
    Posted(f, kept): Posted<EvaluationInput>,
) -> AppResult<Response> {
    let r = crate::service::evaluate::evaluate(&st.ctx, &actor, id, &f)
        .await
        .map(|_| "测评已提交，谢谢您的评价".to_string());
    let r = settled(r)?;
    let item = readable_item(&st, &actor, id).await?;
    back(&st, &s, &actor, item, r, kept).await
}

async fn fulfil(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(c): Path<i64>,
    Posted(f, kept): Posted<FulfilInput>,
) -> AppResult<Response> {
    let r = crate::service::evaluate::fulfil(&st.ctx, &actor, c, &f)
        .await
        .map(|_| "已确认承诺事项落实".to_string());
    let r = settled(r)?;
    let item_id = {
        let mut conn = st.ctx.db.read().await?;
        crate::store::get_commitment(&mut conn, c)
            .await?
            .ok_or(Error::NotFound("承诺事项"))?
            .item_id
    };
    let item = readable_item(&st, &actor, item_id).await?;
    back(&st, &s, &actor, item, r, kept).await
}

pub struct QueueLine {
    pub q: QueueRow,
    pub role_label: &'static str,
    pub state_label: &'static str,
    pub overdue: bool,
    /// The kind's marks for the item ("重点督办").
    pub marks: Vec<&'static str>,
}

pub struct QueueBlock {
    pub title: &'static str,
    pub key: &'static str,
    pub rows: Vec<QueueLine>,
    pub total: i64,
}

#[derive(Template)]
#[template(path = "work.html")]
struct WorkPage {
    layout: Layout,
    blocks: Vec<QueueBlock>,
}

/// One block of the work page: the queue's first 50 rows, with the kinds'
/// marks read in one query per kind.
async fn block(
    st: &AppState,
    actor: &Actor,
    q: Queue,
    title: &'static str,
    key: &'static str,
) -> AppResult<QueueBlock> {
    let page = queue(&st.ctx, actor, q, Page::new(Some(1), Some(50))).await?;
    let today = st.ctx.today().to_string();
    let mut marks: Vec<(String, i64, &'static str)> = Vec::new();
    {
        let mut c = st.ctx.db.read().await?;
        for kind in kinds(&st.ctx)?.all() {
            let ids: Vec<i64> = page
                .items
                .iter()
                .filter(|r| r.kind == kind.rules().kind)
                .filter_map(|r| r.subject_id)
                .collect();
            if ids.is_empty() {
                continue;
            }
            for (id, m) in kind.marks(&mut c, &ids).await? {
                marks.push((kind.rules().kind.to_string(), id, m));
            }
        }
    }
    let rows = page
        .items
        .into_iter()
        .map(|r| QueueLine {
            role_label: UnitRole::parse(&r.role).map(|x| x.label()).unwrap_or(""),
            state_label: AssignmentState::parse(&r.state)
                .map(|x| x.label())
                .unwrap_or(""),
            overdue: AssignmentState::parse(&r.state).is_some_and(|s| s.is_open())
                && r.due_date < today,
            marks: marks
                .iter()
                .filter(|(k, id, _)| *k == r.kind && Some(*id) == r.subject_id)
                .map(|(_, _, m)| *m)
                .collect(),
            q: r,
        })
        .collect();
    Ok(QueueBlock {
        title,
        key,
        rows,
        total: page.total,
    })
}

async fn work(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
) -> AppResult<Response> {
    let mut blocks = Vec::new();
    match actor.role {
        Role::UnitHandler => {
            blocks.push(block(&st, &actor, Queue::Unit, "本单位在办事项", "unit").await?);
            blocks.push(block(&st, &actor, Queue::Overdue, "已超期", "overdue").await?);
        }
        Role::UnitHead => {
            blocks.push(block(&st, &actor, Queue::Signoff, "待我签发的答复", "signoff").await?);
            blocks.push(block(&st, &actor, Queue::Unit, "本单位在办事项", "unit").await?);
            blocks.push(block(&st, &actor, Queue::Overdue, "已超期", "overdue").await?);
        }
        Role::GovLeader => {
            blocks.push(block(&st, &actor, Queue::Signoff, "待我签批的答复", "signoff").await?)
        }
        Role::Admin | Role::Staff | Role::CongressLeader => {
            blocks.push(block(&st, &actor, Queue::Overdue, "超期督办", "overdue").await?);
            for kind in kinds(&st.ctx)?.all() {
                for p in kind.picked_queues() {
                    blocks
                        .push(block(&st, &actor, Queue::Picked(p.subjects), p.title, p.key).await?);
                }
            }
        }
        Role::Deputy => return Err(AppError(Error::Forbidden)),
    }
    render(&WorkPage {
        layout: Layout::new("工作台", &s, "work"),
        blocks,
    })
}

pub fn router() -> Pages {
    Pages::new()
        .route("/work", get(work))
        .route("/assignments/{id}/return", post(unit_return))
        .route("/assignments/{id}/reassign", post(reassign))
        .route("/assignments/{id}/extend", post(extend))
        .route("/assignments/{id}/waive-opinions", post(waive_opinions))
        .route("/assignments/{id}/contacts", post(contact))
        .route("/assignments/{id}/opinion", post(opinion))
        .route("/assignments/{id}/reply", post(reply))
        .route("/assignments/{id}/signoff", post(signoff))
        .route("/items/{id}/evaluate", post(evaluate))
        .route("/commitments/{id}/fulfil", post(fulfil))
}
