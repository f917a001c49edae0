//! The list of suggestions as each role sees it: its filters and order
//! (read by [`ListQuery`]), each row's next step, and the batch acceptance
//! and assignment of the ticked rows, which come back to the list as it was.

use crate::rules::SuggestionKind;
use crate::store::suggestions::SuggestionRow;
use app::{Actor, Error};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use db::Page;
use engine::rules::UnitRole;
use kernel::roles::{Permission, Role};
use webkit::AppState;
use webkit::auth::{Me, MeSession};
use webkit::error::{AppError, AppResult};
use webkit::extract::{Kept, Posted, Query};
use webkit::pages::see_other_with;
use webkit::view::{Layout, Pager, render_status};

use super::list_query::ListQuery;
use super::suggestions::{AssignForm, deputy_choices, variants};

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

pub(super) async fn list(
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
            variants: variants(crate::rules::SuggestionKind::Suggestion.code()),
            kept,
        },
    )
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
pub(super) async fn accept_many(
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
pub(super) async fn assign_many(
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

pub(super) async fn export(
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
