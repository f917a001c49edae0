//! The home page of each role.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use service::dashboard::Home;

use crate::AppState;
use crate::auth::{Me, MeSession};
use crate::error::AppResult;
use crate::view::{Layout, render};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    home: Home,
    role: &'static str,
}

async fn home(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
) -> AppResult<Response> {
    let home = service::dashboard::home(&st.ctx, &actor).await?;
    render(&HomePage {
        layout: Layout::new("首页", &s, "home"),
        home,
        role: actor.role.code(),
    })
}

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}
