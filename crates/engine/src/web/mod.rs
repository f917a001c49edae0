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

use app::{Actor, Error};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use db::Page;
use kernel::roles::Role;
use serde::Deserialize;
use webkit::auth::Session;
use webkit::auth::{Me, MeSession};
use webkit::error::{AppError, AppResult};
use webkit::pages::see_other;
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
    };
    f.render()
        .map_err(|e| AppError(Error::internal(format!("item fragment: {e}"))))
}

/// After an action from the item's part of a page: back to the subject's
/// page, or that page with the message of a refusal the reader can fix.
async fn back(
    st: &AppState,
    s: &Session,
    actor: &Actor,
    item: ItemRow,
    r: app::Result<()>,
) -> AppResult<Response> {
    match r {
        Ok(()) => Ok(see_other(&item.link)),
        Err(e @ (Error::Validation(_) | Error::Conflict(_) | Error::BadRequest(_))) => {
            let mut msg = e.message();
            let fields: Vec<String> = e.fields().iter().map(|f| f.message.clone()).collect();
            if fields.len() > 1 {
                msg = fields.join("；");
            }
            let kind = kind_of(&st.ctx, &item)?;
            kind.page(st, s, actor, &item, msg, webkit::error::status_of(&e))
                .await
        }
        Err(e) => Err(AppError(e)),
    }
}

/// A refusal the reader cannot fix from the page (forbidden, not found) is
/// answered at once; anything else goes back to the subject's page.
fn settled(r: app::Result<()>) -> AppResult<app::Result<()>> {
    match r {
        Err(e @ (Error::Validation(_) | Error::Conflict(_) | Error::BadRequest(_))) => Ok(Err(e)),
        Err(e) => Err(AppError(e)),
        Ok(()) => Ok(Ok(())),
    }
}

/// The item an assignment belongs to, if the actor may read it.
async fn item_of_assignment(st: &AppState, actor: &Actor, id: i64) -> AppResult<ItemRow> {
    let mut c = st.ctx.db.read().await?;
    let (_, l) = crate::service::load_assignment(&st.ctx, &mut c, actor, id).await?;
    Ok(l.item)
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
    Form(f): Form<ReasonForm>,
) -> AppResult<Response> {
    let r = crate::service::assign::unit_return(&st.ctx, &actor, a, &f.reason).await;
    let r = settled(r)?;
    let item = item_of_assignment(&st, &actor, a).await?;
    back(&st, &s, &actor, item, r).await
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
    Form(f): Form<UnitForm>,
) -> AppResult<Response> {
    let r = crate::service::assign::reassign(&st.ctx, &actor, a, f.unit_id.unwrap_or(0))
        .await
        .map(|_| ());
    let r = settled(r)?;
    let item = item_of_assignment(&st, &actor, a).await?;
    back(&st, &s, &actor, item, r).await
}

async fn extend(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(a): Path<i64>,
    Form(f): Form<ExtensionInput>,
) -> AppResult<Response> {
    let r = crate::service::assign::extend(&st.ctx, &actor, a, &f)
        .await
        .map(|_| ());
    let r = settled(r)?;
    let item = item_of_assignment(&st, &actor, a).await?;
    back(&st, &s, &actor, item, r).await
}

async fn contact(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(a): Path<i64>,
    Form(f): Form<ContactInput>,
) -> AppResult<Response> {
    let r = crate::service::handle::add_contact(&st.ctx, &actor, a, &f)
        .await
        .map(|_| ());
    let r = settled(r)?;
    let item = item_of_assignment(&st, &actor, a).await?;
    back(&st, &s, &actor, item, r).await
}

async fn opinion(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(a): Path<i64>,
    Form(f): Form<OpinionInput>,
) -> AppResult<Response> {
    let r = crate::service::handle::send_opinion(&st.ctx, &actor, a, &f).await;
    let r = settled(r)?;
    let item = item_of_assignment(&st, &actor, a).await?;
    back(&st, &s, &actor, item, r).await
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
    Form(f): Form<ReplyForm>,
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
    let r = crate::service::handle::submit_reply(&st.ctx, &actor, a, &input)
        .await
        .map(|_| ());
    let r = settled(r)?;
    let item = item_of_assignment(&st, &actor, a).await?;
    back(&st, &s, &actor, item, r).await
}

async fn signoff(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(a): Path<i64>,
    Form(f): Form<SignoffInput>,
) -> AppResult<Response> {
    let r = crate::service::handle::sign_off(&st.ctx, &actor, a, &f).await;
    let r = settled(r)?;
    let item = item_of_assignment(&st, &actor, a).await?;
    back(&st, &s, &actor, item, r).await
}

async fn evaluate(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
    Form(f): Form<EvaluationInput>,
) -> AppResult<Response> {
    let r = crate::service::evaluate::evaluate(&st.ctx, &actor, id, &f)
        .await
        .map(|_| ());
    let r = settled(r)?;
    let item = readable_item(&st, &actor, id).await?;
    back(&st, &s, &actor, item, r).await
}

async fn fulfil(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(c): Path<i64>,
    Form(f): Form<FulfilInput>,
) -> AppResult<Response> {
    let r = crate::service::evaluate::fulfil(&st.ctx, &actor, c, &f)
        .await
        .map(|_| ());
    let r = settled(r)?;
    let item_id = {
        let mut conn = st.ctx.db.read().await?;
        crate::store::get_commitment(&mut conn, c)
            .await?
            .ok_or(Error::NotFound("承诺事项"))?
            .item_id
    };
    let item = readable_item(&st, &actor, item_id).await?;
    back(&st, &s, &actor, item, r).await
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
        .route("/assignments/{id}/contacts", post(contact))
        .route("/assignments/{id}/opinion", post(opinion))
        .route("/assignments/{id}/reply", post(reply))
        .route("/assignments/{id}/signoff", post(signoff))
        .route("/items/{id}/evaluate", post(evaluate))
        .route("/commitments/{id}/fulfil", post(fulfil))
}
