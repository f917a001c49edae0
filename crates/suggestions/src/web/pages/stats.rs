//! The statistics page of the closed loop, with a chart and an .xlsx export.

use crate::service::stats::StatLine;
use app::Error;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use webkit::extract::Query;

use webkit::auth::{Me, MeSession};
use webkit::error::{AppError, AppResult};
use webkit::pages::{XLSX, download};
use webkit::view::{Layout, render};
use webkit::{AppState, Pages};

#[derive(Deserialize, Default)]
pub struct StatsQuery {
    #[serde(default)]
    pub dimension: String,
    /// Absent: the latest session; `all`: every session; else a session id.
    pub session_id: Option<String>,
}

/// The session the page counts, from the query: absent → the latest session,
/// `all` (or empty) → every session.
async fn session_of(
    st: &AppState,
    congress: Option<i64>,
    q: &StatsQuery,
) -> AppResult<Option<i64>> {
    match q.session_id.as_deref().map(str::trim) {
        None => Ok(crate::service::stats::default_session(&st.ctx, congress).await?),
        Some("" | "all") => Ok(None),
        Some(v) => match v.parse::<i64>() {
            Ok(id) if id > 0 => Ok(Some(id)),
            _ => Err(AppError(Error::field(
                "session_id",
                format!("“{v}”不是有效的会议"),
            ))),
        },
    }
}

#[derive(Template)]
#[template(path = "stats.html")]
struct StatsPage {
    layout: Layout,
    lines: Vec<StatLine>,
    q: StatsQuery,
    /// The session counted (none: every session).
    session: Option<i64>,
    head: &'static str,
    sessions: Vec<(i64, String)>,
    chart: String,
}

impl StatsPage {
    fn pct(&self, x: &Option<f64>) -> String {
        crate::service::stats::percent(*x)
    }
}

fn head(d: &str) -> &'static str {
    match d {
        "category" => "分类",
        "session" => "会议",
        "deputy" => "领衔代表",
        _ => "承办单位",
    }
}

async fn stats(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Query(q): Query<StatsQuery>,
) -> AppResult<Response> {
    let dim = crate::service::stats::dimension(&q.dimension)
        .ok_or(AppError(Error::NotFound("统计维度")))?;
    let congress = crate::service::stats::congress_of(&st.ctx, &actor).await?;
    let session = session_of(&st, congress, &q).await?;
    let lines = crate::service::stats::compute(&st.ctx, &actor, dim, session).await?;
    let sessions = match congress {
        Some(c) => crate::service::sessions_of(&st.ctx, c).await?,
        None => Vec::new(),
    };
    let top: Vec<&StatLine> = lines.iter().take(15).collect();
    // Undefined rates are gaps in the chart (null), not zeros.
    let tenths = |x: Option<f64>| x.map(|x| (x * 1000.0).round() / 10.0);
    let chart = serde_json::json!({
        "labels": top.iter().map(|l| l.row.label.clone()).collect::<Vec<_>>(),
        "series": [
            {"name": "按时答复率(%)", "data": top.iter().map(|l| tenths(l.on_time_rate)).collect::<Vec<_>>()},
            {"name": "满意率(%)", "data": top.iter().map(|l| tenths(l.satisfaction_rate)).collect::<Vec<_>>()},
            {"name": "绩效得分", "data": top.iter().map(|l| l.score).collect::<Vec<_>>()},
        ]
    })
    .to_string();
    render(&StatsPage {
        layout: Layout::new("办理统计", &s, "stats"),
        head: head(&q.dimension),
        lines,
        q,
        session,
        sessions,
        chart,
    })
}

async fn export(
    State(st): State<AppState>,
    Me(actor): Me,
    Query(q): Query<StatsQuery>,
) -> AppResult<Response> {
    let dim = crate::service::stats::dimension(&q.dimension)
        .ok_or(AppError(Error::NotFound("统计维度")))?;
    let congress = crate::service::stats::congress_of(&st.ctx, &actor).await?;
    let session = session_of(&st, congress, &q).await?;
    let bytes = crate::service::stats::export(&st.ctx, &actor, dim, session).await?;
    Ok(download(
        bytes,
        &format!("办理统计_{}.xlsx", st.ctx.today()),
        XLSX,
    ))
}

pub fn router() -> Pages {
    Pages::new()
        .route("/stats", get(stats))
        .route("/stats/export", get(export))
}
