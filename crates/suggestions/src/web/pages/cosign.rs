//! Co-signing pages: the lead withdraws an invitation from the suggestion's
//! page; staff record co-signatures given on paper from the list of
//! invitations still waiting (书面附议登记).

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use db::Page;
use serde::Deserialize;
use webkit::auth::{Me, MeSession};
use webkit::error::AppResult;
use webkit::extract::{Path, Query};
use webkit::pages::see_other_with;
use webkit::view::{Layout, Pager, query_string, render};
use webkit::{AppState, Pages};

use crate::store::signers::PendingRow;

/// The lead withdraws an invitation not yet answered.
async fn withdraw(
    State(st): State<AppState>,
    Me(actor): Me,
    Path((id, deputy)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let name = crate::service::cosign::withdraw_invitation(&st.ctx, &actor, id, deputy).await?;
    Ok(see_other_with(
        &format!("/suggestions/{id}"),
        &format!("已撤回对{name}的附议邀请"),
    ))
}

#[derive(Deserialize, Default)]
struct PendingQuery {
    #[serde(default)]
    q: String,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    page: Option<i64>,
}

/// Staff record a co-signature given on paper; back to the list.
async fn paper(
    State(st): State<AppState>,
    Me(actor): Me,
    Path((id, deputy)): Path<(i64, i64)>,
    Query(q): Query<PendingQuery>,
) -> AppResult<Response> {
    let name = crate::service::cosign::record_paper(&st.ctx, &actor, id, deputy).await?;
    let back = query_string(&[("q", q.q)]);
    Ok(see_other_with(
        &format!("/suggestions/cosigning?{back}"),
        &format!("已登记{name}的书面附议"),
    ))
}

#[derive(Template)]
#[template(path = "cosigning.html")]
struct PendingPage {
    layout: Layout,
    rows: Vec<PendingRow>,
    pager: Pager,
    q: String,
}

impl PendingPage {
    fn ts(&self, ms: &i64) -> String {
        webkit::view::ts(*ms)
    }
}

/// The invitations still waiting, for staff to record paper co-signatures.
async fn pending(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Query(q): Query<PendingQuery>,
) -> AppResult<Response> {
    let page =
        crate::service::cosign::pending(&st.ctx, &actor, &q.q, Page::new(q.page, Some(30))).await?;
    let pager = Pager::new(
        &page,
        "/suggestions/cosigning",
        &query_string(&[("q", q.q.clone())]),
    );
    render(&PendingPage {
        layout: Layout::new("书面附议登记", &s, "suggestions"),
        rows: page.items,
        pager,
        q: q.q,
    })
}

pub fn router() -> Pages {
    Pages::new()
        .route("/suggestions/cosigning", get(pending))
        .route(
            "/suggestions/{id}/invitations/{deputy}/withdraw",
            post(withdraw),
        )
        .route("/suggestions/{id}/invitations/{deputy}/paper", post(paper))
}
