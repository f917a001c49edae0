//! The meetings' JSON API.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use db::Paged;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use webkit::AppState;
use webkit::api::{ApiJson, ApiQuery, created, done, ok};
use webkit::auth::Me;
use webkit::error::{AppResult, ErrorBody};
use webkit::extract::Path;

use super::types::{
    AgendaItem, Attendee, Issued, Meeting, MeetingDetail, MeetingOutput, Observer, SignInResult,
    VoteOutcome,
};
use crate::service::agenda::{ItemInput, MoveInput, VoteInput};
use crate::service::attendance::{InviteInput, MarkInput};
use crate::service::meetings::{ListQuery, MeetingInput, StateInput};
use crate::service::observers::{self, DecisionInput};
use crate::service::outputs::OutputInput;
use crate::service::report::AttendanceLine;
use crate::service::{agenda, attendance, meetings, outputs, report, sign_in};

#[utoipa::path(get, path = "/meetings", tag = "meetings", params(ListQuery), responses((status = 200, body = Paged<Meeting>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(st): State<AppState>,
    Me(a): Me,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> AppResult<Response> {
    let page = meetings::list(&st.ctx, &a, &q).await?;
    Ok(ok(page.map(|m| Meeting::from(&m))))
}

#[utoipa::path(post, path = "/meetings", tag = "meetings", request_body = MeetingInput, responses((status = 201, body = webkit::api::Created), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(st): State<AppState>,
    Me(a): Me,
    ApiJson(r): ApiJson<MeetingInput>,
) -> AppResult<Response> {
    Ok(created(meetings::create(&st.ctx, &a, &r).await?))
}

#[utoipa::path(get, path = "/meetings/{id}", tag = "meetings", params(("id" = i64, Path)), responses((status = 200, body = MeetingDetail), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let d = meetings::detail(&st.ctx, &a, id).await?;
    Ok(ok(MeetingDetail {
        members_present: d.present() as i64,
        members_on_leave: d.on_leave() as i64,
        meeting: Meeting::from(&d.meeting),
        agenda: d
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| AgendaItem::from_row(it, i as i64 + 1))
            .collect(),
        members: d.roster.iter().map(Attendee::member).collect(),
        attending: d.invited.iter().map(Attendee::invited).collect(),
        outputs: d.outputs.iter().map(MeetingOutput::from).collect(),
    }))
}

/// Changes a meeting not yet held (date, time, place, convener, number, name).
#[utoipa::path(put, path = "/meetings/{id}", tag = "meetings", params(("id" = i64, Path)), request_body = MeetingInput, responses((status = 200, body = webkit::api::Done), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<MeetingInput>,
) -> AppResult<Response> {
    meetings::update(&st.ctx, &a, id, &r).await?;
    Ok(done())
}

/// Moves a meeting on: notified (the notice goes to members and invited deputies), held, minutes_approved, or cancelled.
#[utoipa::path(post, path = "/meetings/{id}/state", tag = "meetings", params(("id" = i64, Path)), request_body = StateInput, responses((status = 200, body = webkit::api::Done), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn advance(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<StateInput>,
) -> AppResult<Response> {
    meetings::advance(&st.ctx, &a, id, &r).await?;
    Ok(done())
}

#[utoipa::path(post, path = "/meetings/{id}/agenda", tag = "meetings", params(("id" = i64, Path)), request_body = ItemInput, responses((status = 201, body = webkit::api::Created), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_item(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<ItemInput>,
) -> AppResult<Response> {
    Ok(created(agenda::add_item(&st.ctx, &a, id, &r).await?))
}

#[utoipa::path(post, path = "/agenda-items/{id}/remove", tag = "meetings", params(("id" = i64, Path)), responses((status = 200, body = webkit::api::Done), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn remove_item(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    agenda::remove_item(&st.ctx, &a, id).await?;
    Ok(done())
}

#[utoipa::path(post, path = "/agenda-items/{id}/move", tag = "meetings", params(("id" = i64, Path)), request_body = MoveInput, responses((status = 200, body = webkit::api::Done), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn move_item(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<MoveInput>,
) -> AppResult<Response> {
    agenda::move_item(&st.ctx, &a, id, &r).await?;
    Ok(done())
}

/// Records (or corrects) an open vote's counts; they must add up to the members present.
#[utoipa::path(post, path = "/agenda-items/{id}/vote", tag = "meetings", params(("id" = i64, Path)), request_body = VoteInput, responses((status = 200, body = VoteOutcome), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn vote(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<VoteInput>,
) -> AppResult<Response> {
    let o = agenda::record_vote(&st.ctx, &a, id, &r).await?;
    Ok(ok(VoteOutcome {
        passed: o.passed,
        base: o.base.into(),
        needed: o.needed.into(),
        unanimous: o.unanimous,
    }))
}

/// Records a member's attendance (the membership's id as the meeting lists it).
#[utoipa::path(post, path = "/meetings/{id}/members/{member}/attendance", tag = "meetings", params(("id" = i64, Path), ("member" = i64, Path)), request_body = MarkInput, responses((status = 200, body = webkit::api::Done), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn mark_member(
    State(st): State<AppState>,
    Me(a): Me,
    Path((id, member)): Path<(i64, i64)>,
    ApiJson(r): ApiJson<MarkInput>,
) -> AppResult<Response> {
    attendance::mark_member(&st.ctx, &a, id, member, &r).await?;
    Ok(done())
}

/// Invites a deputy of the congress to 列席.
#[utoipa::path(post, path = "/meetings/{id}/invitations", tag = "meetings", params(("id" = i64, Path)), request_body = InviteInput, responses((status = 201, body = webkit::api::Created), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn invite(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<InviteInput>,
) -> AppResult<Response> {
    Ok(created(attendance::invite(&st.ctx, &a, id, &r).await?))
}

#[utoipa::path(post, path = "/invitations/{id}/withdraw", tag = "meetings", params(("id" = i64, Path)), responses((status = 200, body = webkit::api::Done), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn uninvite(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    attendance::uninvite(&st.ctx, &a, id).await?;
    Ok(done())
}

#[utoipa::path(post, path = "/invitations/{id}/attendance", tag = "meetings", params(("id" = i64, Path)), request_body = MarkInput, responses((status = 200, body = webkit::api::Done), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn mark_attending(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<MarkInput>,
) -> AppResult<Response> {
    attendance::mark_attending(&st.ctx, &a, id, &r).await?;
    Ok(done())
}

/// Signs the calling deputy in with the meeting's door code; the first sign-in counts.
#[utoipa::path(post, path = "/sign-in/{code}", tag = "meetings", params(("code" = String, Path)), responses((status = 200, body = SignInResult), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn sign_in(
    State(st): State<AppState>,
    Me(a): Me,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let s = sign_in::sign_in(&st.ctx, &a, &code).await?;
    Ok(ok(SignInResult {
        meeting_id: s.meeting.id,
        title: s.meeting.title,
        role: s.role.code().into(),
        name: s.name,
        first: s.first,
        signed_in_at: s.at,
    }))
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
pub struct YearQuery {
    /// YYYY.
    pub year: i64,
}

/// A deputy's attendance at the year's held meetings they could attend (the duty record's source).
#[utoipa::path(get, path = "/deputies/{id}/meeting-attendance", tag = "meetings", params(("id" = i64, Path), YearQuery), responses((status = 200, body = Vec<AttendanceLine>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn attendance_of(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> AppResult<Response> {
    Ok(ok(report::attendance_of(&st.ctx, &a, id, q.year).await?))
}

/// Issues a decision, resolution, deliberation opinion or the minutes of a held meeting; the number is given.
#[utoipa::path(post, path = "/meetings/{id}/outputs", tag = "meetings", params(("id" = i64, Path)), request_body = OutputInput, responses((status = 201, body = Issued), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn issue(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<OutputInput>,
) -> AppResult<Response> {
    let (id, number) = outputs::issue(&st.ctx, &a, id, &r).await?;
    Ok((
        axum::http::StatusCode::CREATED,
        axum::Json(Issued { id, number }),
    )
        .into_response())
}

/// The output as a .docx in the format of GB/T 9704.
#[utoipa::path(get, path = "/meeting-outputs/{id}/document.docx", tag = "meetings", params(("id" = i64, Path)), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body = Vec<u8>), (status = 404, body = ErrorBody)))]
pub async fn document(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (name, bytes) = outputs::document(&st.ctx, &a, id).await?;
    Ok(webkit::pages::download(bytes, &name, webkit::pages::DOCX))
}

/// Citizens' applications to observe the meeting.
#[utoipa::path(get, path = "/meetings/{id}/observers", tag = "meetings", params(("id" = i64, Path)), responses((status = 200, body = Vec<Observer>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn observers_of(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let v = observers::of_meeting(&st.ctx, &a, id).await?;
    Ok(ok(v.iter().map(Observer::from).collect::<Vec<_>>()))
}

/// Approves an application within the quota, or declines it with a reason.
#[utoipa::path(post, path = "/observers/{id}/decision", tag = "meetings", params(("id" = i64, Path)), request_body = DecisionInput, responses((status = 200, body = webkit::api::Done), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decide_observer(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<DecisionInput>,
) -> AppResult<Response> {
    observers::decide(&st.ctx, &a, id, &r).await?;
    Ok(done())
}

/// Checks an approved observer in at the door on the day.
#[utoipa::path(post, path = "/observers/{id}/check-in", tag = "meetings", params(("id" = i64, Path)), responses((status = 200, body = webkit::api::Done), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn check_in_observer(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    observers::check_in(&st.ctx, &a, id).await?;
    Ok(done())
}

/// Assigns a deliberation opinion to the units that study it: its tracked item opens on the engine.
#[utoipa::path(post, path = "/meeting-outputs/{id}/assign", tag = "meetings", params(("id" = i64, Path)), request_body = engine::service::assign::AssignInput, responses((status = 201, body = webkit::api::Created), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn assign_opinion(
    State(st): State<AppState>,
    Me(a): Me,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<engine::service::assign::AssignInput>,
) -> AppResult<Response> {
    Ok(created(
        crate::service::opinion_items::assign(&st.ctx, &a, id, &r).await?,
    ))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update))
        .routes(routes!(advance))
        .routes(routes!(add_item))
        .routes(routes!(remove_item))
        .routes(routes!(move_item))
        .routes(routes!(vote))
        .routes(routes!(mark_member))
        .routes(routes!(invite))
        .routes(routes!(uninvite))
        .routes(routes!(mark_attending))
        .routes(routes!(sign_in))
        .routes(routes!(attendance_of))
        .routes(routes!(issue))
        .routes(routes!(document))
        .routes(routes!(observers_of))
        .routes(routes!(assign_opinion))
        .routes(routes!(decide_observer))
        .routes(routes!(check_in_observer))
}
