//! `/duty/deputies/{id}`: a deputy's record for staff and leaders, the points
//! explained, and the qualitative grades staff give.

use app::Error;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use kernel::roles::Permission;
use webkit::AppState;
use webkit::auth::{Me, MeSession};
use webkit::error::{AppError, AppResult};
use webkit::extract::{Form, Path, Query};
use webkit::pages::see_other_with;
use webkit::view::{FormErrors, Layout, render_status};

use super::{Again, YearParam};
use crate::service::points::{self, Explained};
use crate::service::scheme::{self, GradeInput};

#[derive(Template)]
#[template(path = "duty_deputy.html")]
struct DeputyPage {
    layout: Layout,
    e: Explained,
    problem: String,
    can_manage: bool,
    /// Qualitative items: (id, name, highest grade).
    qualitative: Vec<(i64, String, i64)>,
    form: GradeInput,
    errors: FormErrors,
}

async fn page(
    st: &AppState,
    s: &webkit::auth::Session,
    actor: &app::Actor,
    id: i64,
    y: YearParam,
    again: Again<GradeInput>,
) -> AppResult<Response> {
    let Again {
        form,
        errors,
        status,
    } = again;
    let (year, problem) = y.year(st.ctx.today());
    let e = points::explain(&st.ctx, actor, id, None, year).await?;
    let qualitative = e
        .scheme
        .as_ref()
        .map(|s| {
            s.items
                .iter()
                .filter(|i| i.row.qualitative == 1)
                .map(|i| (i.row.id, i.row.name.clone(), i.row.points))
                .collect()
        })
        .unwrap_or_default();
    render_status(
        status,
        &DeputyPage {
            layout: Layout::new(format!("{} 的履职记录", e.name), s, "duty"),
            e,
            problem,
            can_manage: actor.can(Permission::ManageDutyRecord),
            qualitative,
            form,
            errors,
        },
    )
}

pub async fn show(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
    Query(y): Query<YearParam>,
) -> AppResult<Response> {
    page(&st, &s, &actor, id, y, Again::fresh()).await
}

pub async fn grade(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
    Query(y): Query<YearParam>,
    Form(f): Form<GradeInput>,
) -> AppResult<Response> {
    match scheme::grade(&st.ctx, &actor, id, &f).await {
        Ok(()) => {
            let (year, _) = y.year(st.ctx.today());
            Ok(see_other_with(
                &format!("/duty/deputies/{id}?year={year}#points"),
                "已保存定性评定，积分已重新计算",
            ))
        }
        Err(Error::Validation(v)) => page(&st, &s, &actor, id, y, Again::refused(f, v)).await,
        Err(e) => Err(AppError(e)),
    }
}
