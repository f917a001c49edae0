//! The attendance report: a body's members over a year and the deputies who
//! attended as 列席; for a deputy, their own record.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kernel::bodies::{BodyKind, BodyPosition};
use kernel::roles::Role;
use webkit::AppState;
use webkit::auth::{Me, MeSession};
use webkit::error::AppResult;
use webkit::extract::Query;
use webkit::view::{Layout, render_status};

use crate::service::report::{self, AttendanceLine, Report, ReportQuery};
use crate::web::types::status_label;

#[derive(Template)]
#[template(path = "meeting_attendance.html")]
struct ReportPage {
    layout: Layout,
    report: Option<Report>,
    bodies: Vec<(i64, String)>,
    own: Vec<AttendanceLine>,
    year: i64,
}

impl ReportPage {
    fn position(&self, code: &str) -> &'static str {
        let kind = self
            .report
            .as_ref()
            .and_then(|r| BodyKind::parse(&r.body.kind))
            .unwrap_or(BodyKind::WorkingCommittee);
        BodyPosition::parse(code).map_or("", |p| p.label_in(kind))
    }
    fn status(&self, code: &str) -> &'static str {
        status_label(code)
    }
    fn role(&self, code: &str) -> &'static str {
        crate::rules::AttendeeRole::parse(code).map_or("", |r| r.label())
    }
}

pub async fn page(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Query(q): Query<ReportQuery>,
) -> AppResult<Response> {
    let year = q.year.unwrap_or_else(|| i64::from(st.ctx.today().year()));
    let (report, own, bodies) = if actor.role == Role::Deputy {
        let d = actor.deputy_id.unwrap_or(-1);
        (
            None,
            report::attendance_of(&st.ctx, &actor, d, year).await?,
            Vec::new(),
        )
    } else {
        let r = report::report(&st.ctx, &actor, &q).await?;
        let bodies = org::service::bodies::list(&st.ctx, &actor, None)
            .await?
            .into_iter()
            .map(|b| (b.id, b.name))
            .collect();
        (Some(r), Vec::new(), bodies)
    };
    let title = if actor.role == Role::Deputy {
        "我的出席记录"
    } else {
        "出席统计"
    };
    render_status(
        StatusCode::OK,
        &ReportPage {
            layout: Layout::new(title, &s, "meetings"),
            report,
            bodies,
            own,
            year,
        },
    )
}
