//! What the public sees: the published agenda and results of the standing
//! committee's and 主席团's meetings, and the application to observe one.

use app::Error;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use webkit::AppState;
use webkit::error::{AppError, AppResult};
use webkit::extract::{Form, Path, Query};
use webkit::view::{FormErrors, Layout, Pager, render_status};

use crate::rules::{ObserverStatus, OutputKind};
use crate::service::observers::{self, ApplyInput};
use crate::store::outputs::OutputRow;
use crate::store::{self, Filter, ItemRow, MeetingRow};

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "public_meetings.html")]
struct ListPage {
    layout: Layout,
    page: db::Paged<MeetingRow>,
    pager: Pager,
    today: String,
    /// Places taken, by meeting.
    taken: Vec<(i64, i64)>,
}

impl ListPage {
    /// Open for applications with places left.
    fn open(&self, m: &MeetingRow) -> bool {
        let taken = self
            .taken
            .iter()
            .find(|(id, _)| *id == m.id)
            .map_or(0, |(_, n)| *n);
        observers::open_for_applications(m, &self.today) && taken < m.observer_quota
    }
}

pub async fn list(State(st): State<AppState>, Query(q): Query<PageQuery>) -> AppResult<Response> {
    let mut c = st.ctx.db.read().await.map_err(|e| AppError(e.into()))?;
    let f = Filter {
        published: true,
        ..Filter::default()
    };
    let page = store::list(&mut c, &f, db::Page::new(q.page, Some(20)), false)
        .await
        .map_err(|e| AppError(e.into()))?;
    let ids: Vec<i64> = page.items.iter().map(|m| m.id).collect();
    let taken = store::observers::approved_of(&mut c, &ids)
        .await
        .map_err(|e| AppError(e.into()))?;
    let pager = Pager::new(&page, "/public/meetings", "");
    render_status(
        StatusCode::OK,
        &ListPage {
            layout: Layout::public("人大常委会和主席团会议"),
            page,
            pager,
            today: st.ctx.today().to_string(),
            taken,
        },
    )
}

#[derive(Template)]
#[template(path = "public_meeting.html")]
struct DetailPage {
    layout: Layout,
    m: MeetingRow,
    items: Vec<ItemRow>,
    outputs: Vec<OutputRow>,
    open: bool,
    places_left: i64,
    form: ApplyInput,
    errors: FormErrors,
    problem: String,
}

impl DetailPage {
    fn output_label(&self, code: &str) -> &'static str {
        OutputKind::parse(code).map_or("", |k| k.label())
    }
}

async fn detail_page(
    st: &AppState,
    id: i64,
    form: ApplyInput,
    errors: FormErrors,
    problem: String,
    status: StatusCode,
) -> AppResult<Response> {
    let mut c = st.ctx.db.read().await.map_err(|e| AppError(e.into()))?;
    let m = store::get(&mut c, id)
        .await
        .map_err(|e| AppError(e.into()))?
        .filter(observers::is_published)
        .ok_or(AppError(Error::NotFound("会议")))?;
    let items = store::items(&mut c, id)
        .await
        .map_err(|e| AppError(e.into()))?;
    // Only what was decided is public; the minutes are internal.
    let outputs = store::outputs::of_meeting(&mut c, id)
        .await
        .map_err(|e| AppError(e.into()))?
        .into_iter()
        .filter(|o| o.kind != OutputKind::Minutes.code())
        .collect();
    let taken = store::observers::approved(&mut c, id)
        .await
        .map_err(|e| AppError(e.into()))?;
    render_status(
        status,
        &DetailPage {
            layout: Layout::public(m.title.clone()),
            open: observers::open_for_applications(&m, &st.ctx.today().to_string()),
            places_left: (m.observer_quota - taken).max(0),
            m,
            items,
            outputs,
            form,
            errors,
            problem,
        },
    )
}

pub async fn detail(State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<Response> {
    detail_page(
        &st,
        id,
        ApplyInput::default(),
        FormErrors::default(),
        String::new(),
        StatusCode::OK,
    )
    .await
}

pub async fn apply(
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<ApplyInput>,
) -> AppResult<Response> {
    match observers::apply(&st.ctx, id, &f).await {
        Ok(code) => Ok(webkit::pages::see_other(&format!(
            "/public/observers/{code}"
        ))),
        Err(Error::Validation(v)) => {
            // The ID number goes back to the page only when it was valid (so
            // it need not be typed again); a wrong one is typed afresh.
            let keep_id = !v.iter().any(|e| e.field == "id_card");
            let kept = ApplyInput {
                id_card: if keep_id {
                    f.id_card.clone()
                } else {
                    String::new()
                },
                ..f
            };
            detail_page(
                &st,
                id,
                kept,
                FormErrors(v),
                String::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(Error::Conflict(msg)) => {
            detail_page(&st, id, f, FormErrors::default(), msg, StatusCode::CONFLICT).await
        }
        Err(e) => Err(AppError(e)),
    }
}

#[derive(Template)]
#[template(path = "observer_status.html")]
struct StatusPage {
    layout: Layout,
    code: String,
    m: MeetingRow,
    name: String,
    status: &'static str,
    reason: String,
    approved: bool,
}

#[derive(Deserialize, Default)]
pub struct CodeQuery {
    #[serde(default)]
    code: String,
}

#[derive(Template)]
#[template(path = "observer_lookup.html")]
struct LookupPage {
    layout: Layout,
    code: String,
    problem: String,
}

/// Looking an application up by its code.
pub async fn lookup(State(st): State<AppState>, Query(q): Query<CodeQuery>) -> AppResult<Response> {
    let code = q.code.trim().to_ascii_uppercase();
    if !code.is_empty() {
        match observers::by_code(&st.ctx, &code).await {
            Ok(_) => {
                return Ok(webkit::pages::see_other(&format!(
                    "/public/observers/{code}"
                )));
            }
            Err(Error::NotFound(_)) => {
                return render_status(
                    StatusCode::NOT_FOUND,
                    &LookupPage {
                        layout: Layout::public("查询旁听申请"),
                        problem: format!("没有编号为“{code}”的旁听申请，请核对"),
                        code,
                    },
                );
            }
            Err(e) => return Err(AppError(e)),
        }
    }
    render_status(
        StatusCode::OK,
        &LookupPage {
            layout: Layout::public("查询旁听申请"),
            code,
            problem: String::new(),
        },
    )
}

pub async fn status(State(st): State<AppState>, Path(code): Path<String>) -> AppResult<Response> {
    let (o, m) = observers::by_code(&st.ctx, &code).await?;
    let s = ObserverStatus::parse(&o.status).unwrap_or(ObserverStatus::Pending);
    render_status(
        StatusCode::OK,
        &StatusPage {
            layout: Layout::public("旁听申请"),
            code: o.code,
            name: o.name,
            status: s.label(),
            reason: o.decline_reason,
            approved: matches!(s, ObserverStatus::Approved | ObserverStatus::Attended),
            m,
        },
    )
}
