//! `/duty`: a deputy's own record (phone-first), or the staff desk.

use app::{Actor, Error};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use kernel::roles::{Permission, Role};
use webkit::AppState;
use webkit::auth::{Me, MeSession, Session};
use webkit::error::{AppError, AppResult};
use webkit::extract::{Form, Posted, Query};
use webkit::pages::see_other_with;
use webkit::view::{FormErrors, Layout, Pager, render_status};

use super::{Again, YearParam};
use crate::service::activities::{self, ActivityInput, ListQuery};
use crate::service::points::{self, Explained};
use crate::store::TypeRow;
use crate::store::activities::{ActivityRow, TypeCount};

#[derive(Template)]
#[template(path = "duty_mine.html")]
struct MinePage {
    layout: Layout,
    e: Explained,
    problem: String,
    activities: db::Paged<ActivityRow>,
    pager: Pager,
    types: Vec<TypeRow>,
    form: ActivityInput,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "duty_desk.html")]
struct DeskPage {
    layout: Layout,
    year: i64,
    problem: String,
    queue: db::Paged<ActivityRow>,
    pager: Pager,
    counts: Vec<TypeCount>,
    can_manage: bool,
    types: Vec<TypeRow>,
    form: ActivityInput,
    errors: FormErrors,
    /// The review form as it was sent, when it was refused.
    ticked: Vec<i64>,
    reason: String,
    review_error: String,
}

fn manual(types: Vec<TypeRow>) -> Vec<TypeRow> {
    types
        .into_iter()
        .filter(|t| t.source == "manual" && t.active == 1)
        .collect()
}

async fn mine(
    st: &AppState,
    s: &Session,
    actor: &Actor,
    y: YearParam,
    page: Option<i64>,
    again: Again<ActivityInput>,
) -> AppResult<Response> {
    let Again {
        form,
        errors,
        status,
    } = again;
    let deputy = actor.deputy_id.ok_or(AppError(Error::Forbidden))?;
    let (year, problem) = y.year(st.ctx.today());
    let e = points::explain(&st.ctx, actor, deputy, None, year).await?;
    let list = activities::list(
        &st.ctx,
        actor,
        &ListQuery {
            year: Some(year),
            page,
            ..ListQuery::default()
        },
    )
    .await?;
    let pager = Pager::new(&list, "/duty", &format!("year={year}"));
    let types = {
        let mut c = st.ctx.db.read().await.map_err(Error::from)?;
        manual(crate::store::types(&mut c).await.map_err(Error::from)?)
    };
    let mut form = form;
    if form.activity_date.is_empty() && !errors.any() {
        form.activity_date = st.ctx.today().to_string();
    }
    render_status(
        status,
        &MinePage {
            layout: Layout::new("我的履职", s, "duty"),
            e,
            problem,
            activities: list,
            pager,
            types,
            form,
            errors,
        },
    )
}

/// The review form as it was sent when it was refused: ticks, reason, message.
type Review = (Vec<i64>, String, String);

async fn desk(
    st: &AppState,
    s: &Session,
    actor: &Actor,
    y: YearParam,
    page: Option<i64>,
    again: Again<ActivityInput>,
    review: Review,
) -> AppResult<Response> {
    let Again {
        form,
        errors,
        status,
    } = again;
    actor.require(Permission::ViewDutyRecord)?;
    let (year, problem) = y.year(st.ctx.today());
    let queue = activities::list(
        &st.ctx,
        actor,
        &ListQuery {
            state: "pending".into(),
            page,
            per_page: Some(50),
            ..ListQuery::default()
        },
    )
    .await?;
    let pager = Pager::new(&queue, "/duty", &format!("year={year}"));
    let (counts, types) = {
        let mut c = st.ctx.db.read().await.map_err(Error::from)?;
        let congress = crate::service::congress_for(&mut c, actor, None).await?;
        let (from, to) = crate::service::year_bounds(year)?;
        (
            crate::store::activities::counts(&mut c, congress, &from, &to)
                .await
                .map_err(Error::from)?,
            manual(crate::store::types(&mut c).await.map_err(Error::from)?),
        )
    };
    let mut form = form;
    if form.activity_date.is_empty() && !errors.any() {
        form.activity_date = st.ctx.today().to_string();
    }
    render_status(
        status,
        &DeskPage {
            layout: Layout::new("代表履职", s, "duty"),
            year,
            problem,
            queue,
            pager,
            counts,
            can_manage: actor.can(Permission::ManageDutyRecord),
            types,
            form,
            errors,
            ticked: review.0,
            reason: review.1,
            review_error: review.2,
        },
    )
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct HomeQuery {
    #[serde(default)]
    year: String,
    page: Option<i64>,
}

pub async fn home(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Query(q): Query<HomeQuery>,
) -> AppResult<Response> {
    let y = YearParam { year: q.year };
    if actor.role == Role::Deputy {
        mine(&st, &s, &actor, y, q.page, Again::fresh()).await
    } else {
        let none = (Vec::new(), String::new(), String::new());
        desk(&st, &s, &actor, y, q.page, Again::fresh(), none).await
    }
}

pub async fn record_own(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Form(f): Form<ActivityInput>,
) -> AppResult<Response> {
    match activities::record_own(&st.ctx, &actor, &f).await {
        Ok(_) => Ok(see_other_with(
            "/duty#mine",
            "已登记，工作人员核实后计入履职积分",
        )),
        Err(Error::Validation(v)) => {
            let y = YearParam::default();
            mine(&st, &s, &actor, y, None, Again::refused(f, v)).await
        }
        Err(e) => Err(AppError(e)),
    }
}

pub async fn record_many(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Form(f): Form<ActivityInput>,
) -> AppResult<Response> {
    match activities::record_many(&st.ctx, &actor, None, &f).await {
        Ok(n) => Ok(see_other_with(
            "/duty#batch",
            &format!("已为 {n} 名代表登记，已计入履职积分"),
        )),
        Err(Error::Validation(v)) => {
            let none = (Vec::new(), String::new(), String::new());
            desk(
                &st,
                &s,
                &actor,
                YearParam::default(),
                None,
                Again::refused(f, v),
                none,
            )
            .await
        }
        Err(e) => Err(AppError(e)),
    }
}

/// The ticked activities verified, or rejected with the reason.
pub async fn review(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Posted(pairs, _kept): Posted<Vec<(String, String)>>,
) -> AppResult<Response> {
    let value = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let ids: Result<Vec<i64>, _> = pairs
        .iter()
        .filter(|(k, _)| k == "ids")
        .map(|(_, v)| v.trim().parse::<i64>())
        .collect();
    let Ok(ids) = ids else {
        return Err(AppError(Error::BadRequest(
            "所选活动的编号不正确，请刷新后重试".into(),
        )));
    };
    let approve = value("action") != "reject";
    let reason = value("reason");
    match activities::review(&st.ctx, &actor, &ids, approve, &reason).await {
        Ok(n) => Ok(see_other_with(
            "/duty#queue",
            &if approve {
                format!("已核实 {n} 条，已计入履职积分")
            } else {
                format!("已将 {n} 条标记为不予核实，并通知代表")
            },
        )),
        Err(Error::Validation(v)) => {
            let msg = v.first().map(|e| e.message.clone()).unwrap_or_default();
            desk(
                &st,
                &s,
                &actor,
                YearParam::default(),
                None,
                Again::refused(ActivityInput::default(), Vec::new()),
                (ids, reason, msg),
            )
            .await
        }
        Err(Error::BadRequest(m)) => {
            desk(
                &st,
                &s,
                &actor,
                YearParam::default(),
                None,
                Again::refused(ActivityInput::default(), Vec::new()),
                (ids, reason, m),
            )
            .await
        }
        Err(e) => Err(AppError(e)),
    }
}
