//! The holiday calendar in force, the deadline calculator, and adding a year.

use app::Error;
use app::calendar::{YearInput, YearView};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use kernel::calendar::Deadline;
use kernel::roles::Permission;
use serde::Deserialize;
use webkit::extract::{Form, Path, Query};

use webkit::auth::{Me, MeSession};
use webkit::error::{AppError, AppResult};
use webkit::pages::see_other;
use webkit::view::{FormErrors, Layout, render_status};
use webkit::{AppState, Pages};

#[derive(Deserialize, Default)]
struct CalcQuery {
    #[serde(default)]
    start: String,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    n: Option<i64>,
    #[serde(default)]
    unit: String,
    /// An entered year to correct: the form opens with it.
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    edit: Option<i64>,
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    layout: Layout,
    years: Vec<YearView>,
    calc: CalcQuery,
    result: Option<Deadline>,
    calc_errors: FormErrors,
    can_edit: bool,
    form: YearInput,
    errors: FormErrors,
}

#[expect(clippy::too_many_arguments, reason = "the page's parts")]
async fn page(
    st: &AppState,
    s: &webkit::auth::Session,
    actor: &app::Actor,
    calc: CalcQuery,
    form: YearInput,
    errors: FormErrors,
    status: StatusCode,
    notice: &str,
) -> AppResult<Response> {
    let years = app::calendar::years(&st.ctx, actor).await?;
    let (result, calc_errors) = if calc.start.is_empty() {
        (None, FormErrors::default())
    } else {
        let unit = if calc.unit.is_empty() {
            "workdays"
        } else {
            calc.unit.as_str()
        };
        match app::calendar::compute(&st.ctx, actor, &calc.start, calc.n, unit).await {
            Ok(d) => (Some(d), FormErrors::default()),
            Err(Error::Validation(v)) => (None, FormErrors(v)),
            Err(e) => return Err(AppError(e)),
        }
    };
    render_status(
        status,
        &CalendarPage {
            layout: Layout::new("节假日与期限", s, "calendar").with_notice(notice),
            years,
            calc,
            result,
            calc_errors,
            can_edit: actor.can(Permission::ManageCalendar),
            form,
            errors,
        },
    )
}

async fn calendar(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Query(calc): Query<CalcQuery>,
) -> AppResult<Response> {
    let form = match calc.edit {
        Some(year) => app::calendar::form_of(&st.ctx, &actor, year).await?,
        None => YearInput::default(),
    };
    page(
        &st,
        &s,
        &actor,
        calc,
        form,
        FormErrors::default(),
        StatusCode::OK,
        "",
    )
    .await
}

async fn add_year(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Form(f): Form<YearInput>,
) -> AppResult<Response> {
    match app::calendar::add_year(&st.ctx, &actor, &f).await {
        Ok(e) => {
            let mut notice = format!(
                "已{} {} 年节假日安排",
                if f.replace { "修改" } else { "录入" },
                e.year
            );
            if e.recomputed > 0 {
                notice.push_str(&format!(
                    "；{} 个暂定期限已重新计算，并通知了有关单位和代表",
                    e.recomputed
                ));
            }
            if let Some(w) = &e.warning {
                notice.push_str(&format!("。请注意：{w}"));
            }
            page(
                &st,
                &s,
                &actor,
                CalcQuery::default(),
                YearInput::default(),
                FormErrors::default(),
                StatusCode::OK,
                &notice,
            )
            .await
        }
        Err(Error::Validation(v)) => {
            page(
                &st,
                &s,
                &actor,
                CalcQuery::default(),
                f,
                FormErrors(v),
                StatusCode::UNPROCESSABLE_ENTITY,
                "",
            )
            .await
        }
        Err(e) => Err(AppError(e)),
    }
}

async fn delete_year(
    State(st): State<AppState>,
    Me(actor): Me,
    Path(year): Path<i64>,
) -> AppResult<Response> {
    app::calendar::delete_year(&st.ctx, &actor, year).await?;
    Ok(see_other("/calendar"))
}

pub fn router() -> Pages {
    Pages::new()
        .route("/calendar", get(calendar).post(add_year))
        .route("/calendar/{year}/delete", post(delete_year))
}
