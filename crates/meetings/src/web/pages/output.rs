//! A meeting's output on its own page: the document, and for a deliberation
//! opinion its handling — the assignment to units, then the engine's part
//! (replies, the unit head's sign-off, the office's rating).

use app::Error;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use webkit::AppState;
use webkit::auth::{Me, MeSession, Session};
use webkit::error::{AppError, AppResult};
use webkit::extract::{Kept, Path, Posted};
use webkit::pages::see_other_with;
use webkit::view::{Layout, render_status};

use crate::rules::OutputKind;
use crate::service::opinion_items::{self, OutputView};

/// The assignment form: a lead unit and up to two assisting ones.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AssignForm {
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    lead: Option<i64>,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    assist_1: Option<i64>,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    assist_2: Option<i64>,
}

impl AssignForm {
    fn input(&self) -> engine::service::assign::AssignInput {
        use engine::service::assign::UnitPart;
        let mut units = vec![UnitPart {
            unit_id: self.lead,
            role: "lead".into(),
        }];
        for u in [self.assist_1, self.assist_2].into_iter().flatten() {
            units.push(UnitPart {
                unit_id: Some(u),
                role: "assisting".into(),
            });
        }
        engine::service::assign::AssignInput {
            units,
            complexity: String::new(),
            complexity_reason: String::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "meeting_output.html")]
struct OutputPage {
    layout: Layout,
    v: OutputView,
    kind_label: &'static str,
    paragraphs: Vec<String>,
    units: Vec<(i64, String)>,
    item_html: String,
    kept: Kept,
    months: i64,
}

impl OutputPage {
    fn picked(&self, field: &str, id: &i64) -> bool {
        self.kept
            .chose(&self.action(), field, &id.to_string(), false)
    }
    fn action(&self) -> String {
        format!("/meeting-outputs/{}/assign", self.v.output.id)
    }
}

/// The output's page; `kept` is a refused form to show again as typed.
pub async fn page(
    st: &AppState,
    s: &Session,
    actor: &app::Actor,
    id: i64,
    kept: Kept,
    status: StatusCode,
) -> AppResult<Response> {
    let v = opinion_items::view(&st.ctx, actor, id).await?;
    let units = if v.can_assign {
        org::service::units::names(&st.ctx, actor).await?
    } else {
        Vec::new()
    };
    let item_html = match &v.item {
        Some(item) => engine::web::fragment(st, s, actor, item, "", &kept).await?,
        None => String::new(),
    };
    let months = st.ctx.settings().await?.get("opinion_reply_months");
    render_status(
        status,
        &OutputPage {
            layout: Layout::new(v.output.title.clone(), s, "meetings"),
            kind_label: OutputKind::parse(&v.output.kind).map_or("", |k| k.label()),
            paragraphs: v
                .output
                .body
                .lines()
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect(),
            v,
            units,
            item_html,
            kept,
            months,
        },
    )
}

pub async fn show(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    page(&st, &s, &actor, id, Kept::default(), StatusCode::OK).await
}

pub async fn assign(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
    Posted(f, kept): Posted<AssignForm>,
) -> AppResult<Response> {
    match opinion_items::assign(&st.ctx, &actor, id, &f.input()).await {
        Ok(_) => Ok(see_other_with(
            &opinion_items::link(id),
            "已交办，承办单位已收到通知",
        )),
        Err(e @ (Error::Validation(_) | Error::Conflict(_) | Error::BadRequest(_))) => {
            let status = webkit::error::status_of(&e);
            page(&st, &s, &actor, id, kept.refused(&e), status).await
        }
        Err(e) => Err(AppError(e)),
    }
}
