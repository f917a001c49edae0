//! The home page of each role: every capability's figures and warnings for
//! the actor, and the foundation's pointers.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use webkit::auth::{Me, MeSession};
use webkit::capability::{Alert, Figure};
use webkit::error::AppResult;
use webkit::view::{Layout, render};
use webkit::{AppState, Pages};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    figures: Vec<Figure>,
    alerts: Vec<Alert>,
    deputy_id: Option<i64>,
    unit: Option<(i64, String)>,
    role: &'static str,
}

async fn home(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
) -> AppResult<Response> {
    let mut figures = Vec::new();
    let mut alerts = Vec::new();
    for c in st.capabilities.iter() {
        let h = c.home(&st.ctx, &actor).await?;
        figures.extend(h.figures);
        alerts.extend(h.alerts);
    }
    figures.sort_by_key(|f| f.order);
    render(&HomePage {
        layout: Layout::new("首页", &s, "home"),
        figures,
        alerts,
        deputy_id: actor.deputy_id,
        unit: crate::service::dashboard::own_unit(&st.ctx, &actor).await?,
        role: actor.role.code(),
    })
}

pub fn router() -> Pages {
    Pages::new().route("/", get(home))
}
