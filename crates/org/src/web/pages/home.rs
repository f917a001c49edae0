//! The home page of each role: every capability's figures and warnings for
//! the actor, and the foundation's pointers.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use webkit::auth::{Me, MeSession};
use webkit::capability::{Alert, Figure, Lead};
use webkit::error::AppResult;
use webkit::view::{Layout, render};
use webkit::{AppState, Pages};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    leads: Vec<Lead>,
    figures: Vec<Figure>,
    /// The newest notices addressed to the actor.
    notices: Vec<super::announcements::Line>,
    notices_more: bool,
    alerts: Vec<Alert>,
    deputy_id: Option<i64>,
    unit: Option<(i64, String)>,
    role: &'static str,
}

/// Notices shown on the home page; the rest are a link away.
const NOTICES: i64 = 5;

async fn home(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
) -> AppResult<Response> {
    let mut leads = Vec::new();
    let mut figures = Vec::new();
    let mut alerts = Vec::new();
    for c in st.capabilities.iter() {
        let h = c.home(&st.ctx, &actor).await?;
        leads.extend(h.leads);
        figures.extend(h.figures);
        alerts.extend(h.alerts);
    }
    leads.sort_by_key(|l| l.order);
    figures.sort_by_key(|f| f.order);
    let notices = crate::service::announcements::for_me(
        &st.ctx,
        &actor,
        db::Page::new(Some(1), Some(NOTICES)),
    )
    .await?;
    render(&HomePage {
        layout: Layout::new("首页", &s, "home"),
        leads,
        figures,
        notices_more: notices.total > NOTICES,
        notices: notices.items.into_iter().map(Into::into).collect(),
        alerts,
        deputy_id: actor.deputy_id,
        unit: crate::service::dashboard::own_unit(&st.ctx, &actor).await?,
        role: actor.role.code(),
    })
}

pub fn router() -> Pages {
    Pages::new().route("/", get(home))
}
