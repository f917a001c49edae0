//! The bodies of each congress and their members over time.

use crate::service::bodies::{BodyDetail, BodyInput, CorrectionInput, EndInput, MemberInput};
use crate::store::bodies::{BodyRow, MemberRow};
use app::Error;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use kernel::bodies::{BodyKind, BodyPosition};
use kernel::roles::Permission;
use serde::Deserialize;
use webkit::auth::{Me, MeSession};
use webkit::error::{AppError, AppResult};
use webkit::extract::{Form, Path, Query};
use webkit::pages::see_other_with;
use webkit::view::{FormErrors, Layout, render_status};
use webkit::{AppState, Pages};

pub fn router() -> Pages {
    Pages::new()
        .route("/bodies", get(list).post(create))
        .route("/bodies/{id}", get(detail))
        .route("/bodies/{id}/members", post(add_member))
        .route("/body-members/{id}/end", post(end_member))
        .route("/body-members/{id}/edit", get(edit).post(correct))
}

pub struct Line {
    pub row: BodyRow,
    pub kind_label: &'static str,
    pub congress_name: String,
}

#[derive(Template)]
#[template(path = "bodies.html")]
struct ListPage {
    layout: Layout,
    lines: Vec<Line>,
    congresses: Vec<(i64, String)>,
    kinds: &'static [BodyKind],
    can_edit: bool,
    form: BodyInput,
    errors: FormErrors,
}

async fn list_page(
    st: &AppState,
    s: &webkit::auth::Session,
    actor: &app::Actor,
    form: BodyInput,
    errors: FormErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let congresses: Vec<(i64, String)> = crate::service::congresses::list(&st.ctx, actor)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let rows = crate::service::bodies::list(&st.ctx, actor, None).await?;
    let lines = rows
        .into_iter()
        .map(|row| Line {
            kind_label: BodyKind::parse(&row.kind).map_or("", |k| k.label()),
            congress_name: congresses
                .iter()
                .find(|(id, _)| *id == row.congress_id)
                .map(|(_, n)| n.clone())
                .unwrap_or_default(),
            row,
        })
        .collect();
    render_status(
        status,
        &ListPage {
            layout: Layout::new("常委会与机构", s, "bodies"),
            lines,
            congresses,
            kinds: BodyKind::ALL,
            can_edit: actor.can(Permission::ManageOrganisation),
            form,
            errors,
        },
    )
}

async fn list(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
) -> AppResult<Response> {
    list_page(
        &st,
        &s,
        &actor,
        BodyInput::default(),
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn create(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Form(f): Form<BodyInput>,
) -> AppResult<Response> {
    match crate::service::bodies::create(&st.ctx, &actor, &f).await {
        Ok(id) => Ok(see_other_with(
            &format!("/bodies/{id}"),
            &format!("已设立{}", f.name.trim()),
        )),
        Err(Error::Validation(v)) => {
            list_page(
                &st,
                &s,
                &actor,
                f,
                FormErrors(v),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(AppError(e)),
    }
}

pub struct MemberLine {
    pub row: MemberRow,
    pub position_label: &'static str,
}

#[derive(Template)]
#[template(path = "body_detail.html")]
struct DetailPage {
    layout: Layout,
    d: BodyDetail,
    kind_label: &'static str,
    /// Serving today (an end already recorded for a later day is shown).
    serving: Vec<MemberLine>,
    /// Recorded to start after today.
    upcoming: Vec<MemberLine>,
    /// Ended before today.
    former: Vec<MemberLine>,
    /// Whether names link to the roster (the viewer may open it).
    link_deputies: bool,
    on: String,
    on_day: Option<Vec<MemberLine>>,
    deputies: Vec<(i64, String, String)>,
    positions: Vec<(&'static str, &'static str)>,
    can_edit: bool,
    form: MemberInput,
    end_form: EndInput,
    /// The membership whose end was refused (its form shows the errors).
    end_for: i64,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
struct OnQuery {
    #[serde(default)]
    on: String,
}

#[expect(clippy::too_many_arguments, reason = "the page's parts")]
async fn detail_page(
    st: &AppState,
    s: &webkit::auth::Session,
    actor: &app::Actor,
    id: i64,
    on: String,
    form: MemberInput,
    (end_form, end_for): (EndInput, i64),
    errors: FormErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let d = crate::service::bodies::detail(&st.ctx, actor, id).await?;
    let kind = BodyKind::parse(&d.body.kind).unwrap_or(BodyKind::WorkingCommittee);
    let line = |row: &MemberRow| MemberLine {
        position_label: BodyPosition::parse(&row.position).map_or("", |p| p.label_in(kind)),
        row: row.clone(),
    };
    // Grouped by today, as the head count is.
    let today = st.ctx.today().to_string();
    let mut serving = Vec::new();
    let mut upcoming = Vec::new();
    let mut former = Vec::new();
    for m in &d.members {
        if m.to_date.as_deref().is_some_and(|t| t < today.as_str()) {
            former.push(m);
        } else if m.from_date.as_str() > today.as_str() {
            upcoming.push(m);
        } else {
            serving.push(m);
        }
    }
    let mut errors = errors;
    let on_day = if on.trim().is_empty() {
        None
    } else {
        match crate::service::bodies::members_on(&st.ctx, actor, id, &on).await {
            Ok((_, v)) => Some(v.iter().map(line).collect()),
            Err(Error::Validation(v)) => {
                errors.0.extend(v);
                None
            }
            Err(e) => return Err(AppError(e)),
        }
    };
    let can_edit = actor.can(Permission::ManageOrganisation);
    // The picker leaves out deputies already serving on this body.
    let deputies = if can_edit {
        let mut c = st.ctx.db.read().await.map_err(|e| AppError(e.into()))?;
        let serving_ids: Vec<i64> = serving.iter().filter_map(|m| m.deputy_id).collect();
        crate::store::deputies::in_office_of(&mut c, d.body.congress_id)
            .await
            .map_err(|e| AppError(e.into()))?
            .into_iter()
            .filter(|(id, _, _)| !serving_ids.contains(id))
            .collect()
    } else {
        Vec::new()
    };
    render_status(
        status,
        &DetailPage {
            layout: Layout::new(d.body.name.clone(), s, "bodies"),
            kind_label: kind.label(),
            serving: serving.into_iter().map(line).collect(),
            upcoming: upcoming.into_iter().map(line).collect(),
            former: former.into_iter().map(line).collect(),
            link_deputies: actor.can(Permission::ViewDeputies),
            positions: BodyPosition::ALL
                .iter()
                .filter(|p| p.allowed_in(kind))
                .map(|p| (p.code(), p.label_in(kind)))
                .collect(),
            d,
            on,
            on_day,
            deputies,
            can_edit,
            form,
            end_form,
            end_for,
            errors,
        },
    )
}

async fn detail(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
    Query(q): Query<OnQuery>,
) -> AppResult<Response> {
    detail_page(
        &st,
        &s,
        &actor,
        id,
        q.on,
        MemberInput::default(),
        (EndInput::default(), 0),
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn add_member(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
    Form(f): Form<MemberInput>,
) -> AppResult<Response> {
    match crate::service::bodies::add_member(&st.ctx, &actor, id, &f).await {
        Ok(_) => Ok(see_other_with(&format!("/bodies/{id}"), "已录入任职")),
        Err(Error::Validation(v)) => {
            detail_page(
                &st,
                &s,
                &actor,
                id,
                String::new(),
                f,
                (EndInput::default(), 0),
                FormErrors(v),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(AppError(e)),
    }
}

async fn end_member(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(member): Path<i64>,
    Form(f): Form<EndInput>,
) -> AppResult<Response> {
    match crate::service::bodies::end_member(&st.ctx, &actor, member, &f).await {
        Ok((body_id, name)) => Ok(see_other_with(
            &format!("/bodies/{body_id}"),
            &format!("已记录{name}离任"),
        )),
        Err(Error::Validation(v)) => {
            let body_id = crate::service::bodies::member(&st.ctx, &actor, member)
                .await?
                .1
                .id;
            detail_page(
                &st,
                &s,
                &actor,
                body_id,
                String::new(),
                MemberInput::default(),
                (f, member),
                FormErrors(v),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(AppError(e)),
    }
}

#[derive(Template)]
#[template(path = "body_member_edit.html")]
struct EditPage {
    layout: Layout,
    member: MemberRow,
    body: BodyRow,
    positions: Vec<(&'static str, &'static str)>,
    form: CorrectionInput,
    errors: FormErrors,
}

async fn edit_page(
    st: &AppState,
    s: &webkit::auth::Session,
    actor: &app::Actor,
    id: i64,
    form: Option<CorrectionInput>,
    errors: FormErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let (member, body) = crate::service::bodies::member(&st.ctx, actor, id).await?;
    let kind = BodyKind::parse(&body.kind).unwrap_or(BodyKind::WorkingCommittee);
    let form = form.unwrap_or_else(|| CorrectionInput {
        position: member.position.clone(),
        from_date: member.from_date.clone(),
        to_date: member.to_date.clone().unwrap_or_default(),
        end_reason: member.end_reason.clone(),
    });
    render_status(
        status,
        &EditPage {
            layout: Layout::new(format!("更正{}的任职", member.name), s, "bodies"),
            positions: BodyPosition::ALL
                .iter()
                .filter(|p| p.allowed_in(kind))
                .map(|p| (p.code(), p.label_in(kind)))
                .collect(),
            member,
            body,
            form,
            errors,
        },
    )
}

async fn edit(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    edit_page(
        &st,
        &s,
        &actor,
        id,
        None,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn correct(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
    Form(f): Form<CorrectionInput>,
) -> AppResult<Response> {
    match crate::service::bodies::correct_member(&st.ctx, &actor, id, &f).await {
        Ok(body) => Ok(see_other_with(&format!("/bodies/{body}"), "已更正任职记录")),
        Err(Error::Validation(v)) => {
            edit_page(
                &st,
                &s,
                &actor,
                id,
                Some(f),
                FormErrors(v),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(AppError(e)),
    }
}
