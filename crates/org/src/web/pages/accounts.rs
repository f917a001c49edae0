//! Accounts for many deputies at once (批量开通代表账号) and the deputy
//! picker of the account form. The sheet of initial passwords is shown once,
//! never stored, and not cached.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::get;
use db::Page;
use serde::{Deserialize, Serialize};
use webkit::auth::{Me, MeSession};
use webkit::error::{AppError, AppResult};
use webkit::extract::{Kept, Posted, Query};
use webkit::view::{Layout, Pager, query_string, render_status};
use webkit::{AppState, Pages};

use crate::service::deputy_accounts::{self, Issued};
use crate::store::congresses::CongressRow;
use crate::store::deputy_accounts::SeatRow;

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    congress_id: Option<i64>,
    #[serde(default)]
    q: String,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    page: Option<i64>,
}

impl ListQuery {
    fn query(&self) -> String {
        query_string(&[
            (
                "congress_id",
                self.congress_id.map(|c| c.to_string()).unwrap_or_default(),
            ),
            ("q", self.q.clone()),
        ])
    }
}

#[derive(Template)]
#[template(path = "deputy_accounts.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<SeatRow>,
    pager: Pager,
    q: ListQuery,
    congresses: Vec<CongressRow>,
    kept: Kept,
    batch_max: usize,
}

impl ListPage {
    fn ticked(&self, id: &i64) -> bool {
        self.kept
            .chose("/admin/deputy-accounts", "ids", &id.to_string(), false)
    }
    fn chosen_congress(&self, id: &i64) -> bool {
        self.q.congress_id == Some(*id)
    }
}

async fn list_page(
    st: &AppState,
    s: &webkit::auth::Session,
    actor: &app::Actor,
    q: ListQuery,
    kept: Kept,
    status: StatusCode,
) -> AppResult<Response> {
    let page = deputy_accounts::without_account(
        &st.ctx,
        actor,
        q.congress_id,
        &q.q,
        Page::new(q.page, Some(50)),
    )
    .await?;
    let pager = Pager::new(&page, "/admin/deputy-accounts", &q.query());
    let congresses = crate::service::congresses::list(&st.ctx, actor).await?;
    render_status(
        status,
        &ListPage {
            layout: Layout::new("批量开通代表账号", s, "users"),
            rows: page.items,
            pager,
            q,
            congresses,
            kept,
            batch_max: deputy_accounts::BATCH_MAX,
        },
    )
}

async fn list(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    list_page(&st, &s, &actor, q, Kept::default(), StatusCode::OK).await
}

#[derive(Template)]
#[template(path = "account_sheet.html")]
struct SheetPage {
    layout: Layout,
    issued: Vec<Issued>,
    login_url: String,
}

/// Makes the ticked deputies' accounts and shows the sheet once.
async fn create(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Query(q): Query<ListQuery>,
    Posted(pairs, kept): Posted<Vec<(String, String)>>,
) -> AppResult<Response> {
    let ids: Result<Vec<i64>, _> = pairs
        .iter()
        .filter(|(k, _)| k == "ids")
        .map(|(_, v)| v.trim().parse::<i64>())
        .collect();
    let Ok(ids) = ids else {
        return Err(AppError(app::Error::BadRequest(
            "所选代表的编号不正确，请刷新列表后重试".into(),
        )));
    };
    match deputy_accounts::create_many(&st.ctx, &actor, &ids).await {
        Ok(issued) => {
            let n = issued.len();
            let mut r = render_status(
                StatusCode::OK,
                &SheetPage {
                    layout: Layout::new("代表账号开通单", &s, "users")
                        .with_notice(format!("已开通 {n} 个代表账号。初始密码只显示这一次，请打印后分发，首次登录须修改密码")),
                    issued,
                    login_url: "/login".into(),
                },
            )?;
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            Ok(r)
        }
        Err(
            e @ (app::Error::Validation(_) | app::Error::Conflict(_) | app::Error::BadRequest(_)),
        ) => {
            let status = webkit::error::status_of(&e);
            list_page(&st, &s, &actor, q, kept.refused(&e), status).await
        }
        Err(e) => Err(AppError(e)),
    }
}

#[derive(Deserialize, Default)]
struct PickQuery {
    #[serde(default)]
    q: String,
}

#[derive(Serialize)]
struct Pick {
    value: String,
    label: String,
}

/// The deputy picker: deputies in office matching a name or constituency.
async fn pick(
    State(st): State<AppState>,
    Me(actor): Me,
    Query(q): Query<PickQuery>,
) -> AppResult<Response> {
    let rows = deputy_accounts::pick(&st.ctx, &actor, &q.q).await?;
    Ok(webkit::api::ok(
        rows.iter()
            .map(|r| Pick {
                value: r.deputy_id.to_string(),
                label: deputy_accounts::label(r),
            })
            .collect::<Vec<_>>(),
    ))
}

pub fn router() -> Pages {
    Pages::new()
        .route("/admin/deputy-accounts", get(list).post(create))
        .route("/deputies/pick", get(pick))
}
