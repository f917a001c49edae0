//! The inbox of every account, and the outbox of messages sent by other
//! channels (for administrators).

use app::store::notifications::NotificationRow;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use db::Page;
use serde::Deserialize;
use webkit::auth::{Me, MeSession};
use webkit::error::AppResult;
use webkit::extract::{Form, Query};
use webkit::pages::see_other;
use webkit::view::{Layout, Pager, render};
use webkit::{AppState, Pages};

#[derive(Deserialize, Default)]
struct PageQuery {
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    layout: Layout,
    rows: Vec<(NotificationRow, String)>,
    pager: Pager,
}

async fn inbox(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let page = app::inbox::list(&st.ctx, &actor, Page::new(q.page, Some(30))).await?;
    let pager = Pager::new(&page, "/inbox", "");
    let rows = page
        .items
        .into_iter()
        .map(|n| {
            let at = webkit::view::ts(n.created_at);
            (n, at)
        })
        .collect();
    render(&InboxPage {
        layout: Layout::new("消息", &s, "inbox"),
        rows,
        pager,
    })
}

#[derive(Deserialize, Default)]
struct ReadForm {
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    id: Option<i64>,
    #[serde(default)]
    next: String,
}

async fn read(
    State(st): State<AppState>,
    Me(actor): Me,
    Form(f): Form<ReadForm>,
) -> AppResult<Response> {
    app::inbox::mark_read(&st.ctx, &actor, &app::inbox::ReadInput { id: f.id }).await?;
    let next = if f.next.starts_with('/') && !f.next.starts_with("//") {
        f.next
    } else {
        "/inbox".into()
    };
    Ok(see_other(&next))
}

#[derive(Template)]
#[template(path = "outbox.html")]
struct OutboxPage {
    layout: Layout,
    rows: Vec<(app::store::notifications::OutboxRow, String)>,
    pager: Pager,
}

async fn outbox(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let page = app::inbox::outbox(&st.ctx, &actor, Page::new(q.page, Some(50))).await?;
    let pager = Pager::new(&page, "/admin/outbox", "");
    let rows = page
        .items
        .into_iter()
        .map(|r| {
            let at = webkit::view::ts(r.created_at);
            (r, at)
        })
        .collect();
    render(&OutboxPage {
        layout: Layout::new("外发消息", &s, "outbox"),
        rows,
        pager,
    })
}

pub fn router() -> Pages {
    Pages::new()
        .route("/admin/outbox", get(outbox))
        .route("/inbox", get(inbox))
        .route("/inbox/read", post(read))
}
