//! The meetings' pages: the list and planning form, the meeting with its
//! agenda, attendance desk and votes, the door's QR code and the phone's
//! sign-in.

mod calendar;
mod detail;
mod door;
pub mod output;
mod public;
mod report;

use app::Error;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use kernel::roles::Permission;
use webkit::auth::{Me, MeSession};
use webkit::error::{AppError, AppResult};
use webkit::extract::{Form, Path, Query};
use webkit::pages::see_other_with;
use webkit::view::{FormErrors, Layout, Pager, render_status};
use webkit::{AppState, Pages};

use crate::rules::MeetingState;
use crate::service::meetings::{self, ListQuery, MeetingInput};
use crate::store::MeetingRow;

pub fn router() -> Pages {
    Pages::new()
        .route("/meetings", get(list).post(create))
        .route("/meetings/attendance", get(report::page))
        .route("/meetings/calendar", get(calendar::page))
        .route("/meetings/{id}", get(detail::show))
        .route("/meetings/{id}/edit", get(edit).post(update))
        .route("/meetings/{id}/state", post(detail::advance))
        .route("/meetings/{id}/agenda", post(detail::add_item))
        .route("/agenda-items/{id}/remove", post(detail::remove_item))
        .route("/agenda-items/{id}/move", post(detail::move_item))
        .route("/agenda-items/{id}/vote", post(detail::vote))
        .route(
            "/meetings/{id}/members/{member}/attendance",
            post(detail::mark_member),
        )
        .route("/meetings/{id}/invitations", post(detail::invite))
        .route("/invitations/{id}/withdraw", post(detail::uninvite))
        .route("/invitations/{id}/attendance", post(detail::mark_attending))
        .route("/meetings/{id}/outputs", post(detail::issue))
        .route("/meetings/{id}/forum", post(detail::record_forum))
        .route("/meeting-outputs/{id}/document.docx", get(detail::document))
        .route("/meeting-outputs/{id}", get(output::show))
        .route("/meeting-outputs/{id}/assign", post(output::assign))
        .route("/meetings/{id}/door", get(door::door))
        .route("/m/{code}", get(door::sign_in_page).post(door::sign_in))
        .route("/public/meetings", get(public::list))
        .route("/public/meetings/{id}", get(public::detail))
        .route("/public/meetings/{id}/observers", post(public::apply))
        .route("/public/observers", get(public::lookup))
        .route("/public/observers/{code}", get(public::status))
        .route("/observers/{id}/decision", post(detail::decide_observer))
        .route("/observers/{id}/check-in", post(detail::check_in_observer))
}

/// A meeting as a list shows it.
pub struct Line {
    pub row: MeetingRow,
    pub state_label: &'static str,
}

impl Line {
    fn of(row: MeetingRow) -> Line {
        Line {
            state_label: MeetingState::parse(&row.state).map_or("", |s| s.label()),
            row,
        }
    }
}

#[derive(Template)]
#[template(path = "meetings.html")]
struct ListPage {
    layout: Layout,
    page: db::Paged<Line>,
    q: ListQuery,
    year: String,
    bodies: Vec<(i64, String)>,
    states: &'static [MeetingState],
    can_manage: bool,
    form: MeetingInput,
    errors: FormErrors,
    pager: Pager,
}

async fn bodies(st: &AppState, actor: &app::Actor) -> AppResult<Vec<(i64, String)>> {
    if !actor.can(Permission::ViewOrganisation) {
        return Ok(Vec::new());
    }
    Ok(org::service::bodies::list(&st.ctx, actor, None)
        .await?
        .into_iter()
        .map(|b| (b.id, b.name))
        .collect())
}

async fn list_page(
    st: &AppState,
    s: &webkit::auth::Session,
    actor: &app::Actor,
    q: ListQuery,
    form: MeetingInput,
    errors: FormErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let mut errors = errors;
    let page = match meetings::list(&st.ctx, actor, &q).await {
        Ok(p) => p,
        Err(Error::Validation(v)) => {
            errors.0.extend(v);
            meetings::list(&st.ctx, actor, &ListQuery::default()).await?
        }
        Err(e) => return Err(AppError(e)),
    };
    let mut base = Vec::new();
    if let Some(b) = q.body_id {
        base.push(format!("body_id={b}"));
    }
    if let Some(y) = q.year {
        base.push(format!("year={y}"));
    }
    if !q.state.is_empty() {
        base.push(format!("state={}", webkit::error::urlencode(&q.state)));
    }
    let pager = Pager::new(&page, "/meetings", &base.join("&"));
    let title = if actor.role == kernel::roles::Role::Deputy {
        "我的会议"
    } else {
        "会议"
    };
    render_status(
        status,
        &ListPage {
            layout: Layout::new(title, s, "meetings"),
            page: page.map(Line::of),
            year: q.year.map_or_else(String::new, |y| y.to_string()),
            q,
            bodies: bodies(st, actor).await?,
            states: MeetingState::ALL,
            can_manage: actor.can(Permission::ManageMeetings),
            form,
            errors,
            pager,
        },
    )
}

async fn list(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    list_page(
        &st,
        &s,
        &actor,
        q,
        MeetingInput::default(),
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn create(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Form(f): Form<MeetingInput>,
) -> AppResult<Response> {
    match meetings::create(&st.ctx, &actor, &f).await {
        // To its agenda, the next thing to do (and not the form's #plan).
        Ok(id) => Ok(see_other_with(
            &format!("/meetings/{id}#agenda"),
            "已登记会议，请安排议程",
        )),
        Err(Error::Validation(v)) => {
            list_page(
                &st,
                &s,
                &actor,
                ListQuery::default(),
                f,
                FormErrors(v),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(AppError(e)),
    }
}

#[derive(Template)]
#[template(path = "meeting_edit.html")]
struct EditPage {
    layout: Layout,
    m: MeetingRow,
    form: MeetingInput,
    errors: FormErrors,
}

async fn edit(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    actor.require(Permission::ManageMeetings)?;
    let m = meetings::get(&st.ctx, &actor, id).await?;
    let form = MeetingInput {
        body_id: Some(m.body_id),
        meeting_date: m.meeting_date.clone(),
        start_time: m.start_time.clone(),
        place: m.place.clone(),
        convener: m.convener.clone(),
        number: app::de::Typed::of(m.number),
        title: m.title.clone(),
        observer_quota: app::de::Typed::of(m.observer_quota),
    };
    render_status(
        StatusCode::OK,
        &EditPage {
            layout: Layout::new(format!("修改 {}", m.title), &s, "meetings"),
            m,
            form,
            errors: FormErrors::default(),
        },
    )
}

async fn update(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
    Form(f): Form<MeetingInput>,
) -> AppResult<Response> {
    match meetings::update(&st.ctx, &actor, id, &f).await {
        Ok(()) => Ok(see_other_with(&format!("/meetings/{id}"), "已保存会议信息")),
        Err(Error::Validation(v)) => {
            let m = meetings::get(&st.ctx, &actor, id).await?;
            render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &EditPage {
                    layout: Layout::new(format!("修改 {}", m.title), &s, "meetings"),
                    m,
                    form: f,
                    errors: FormErrors(v),
                },
            )
        }
        Err(e) => Err(AppError(e)),
    }
}
