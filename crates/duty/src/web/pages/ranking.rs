//! `/duty/ranking`: the congress's deputies by their year's total, with grade
//! bands and stars, within a delegation or professional group if chosen.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kernel::roles::Permission;
use webkit::AppState;
use webkit::auth::{Me, MeSession};
use webkit::error::AppResult;
use webkit::extract::Query;
use webkit::pages::see_other_with;
use webkit::view::{Layout, Pager, render_status};

use super::YearParam;
use crate::service::points::{self, Ranked, RankingQuery};

#[derive(Template)]
#[template(path = "duty_ranking.html")]
struct RankingPage {
    layout: Layout,
    year: i64,
    problem: String,
    scheme_name: String,
    computed: String,
    has_scheme: bool,
    rows: Vec<Ranked>,
    pager: Pager,
    delegations: Vec<String>,
    groups: Vec<String>,
    delegation: String,
    group: String,
    can_manage: bool,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct Params {
    #[serde(default)]
    year: String,
    #[serde(default)]
    delegation: String,
    #[serde(default)]
    group: String,
    page: Option<i64>,
}

pub async fn show(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Query(p): Query<Params>,
) -> AppResult<Response> {
    let (year, problem) = YearParam { year: p.year }.year(st.ctx.today());
    let r = points::ranking(
        &st.ctx,
        &actor,
        &RankingQuery {
            year: Some(year),
            delegation: p.delegation.clone(),
            group: p.group.clone(),
            page: p.page,
            per_page: Some(50),
            ..RankingQuery::default()
        },
    )
    .await?;
    let base = webkit::view::query_string(&[
        ("year", year.to_string()),
        ("delegation", p.delegation.clone()),
        ("group", p.group.clone()),
    ]);
    let pager = Pager::new(&r.page, "/duty/ranking", &base);
    render_status(
        StatusCode::OK,
        &RankingPage {
            layout: Layout::new("履职积分排名", &s, "duty"),
            year,
            problem,
            scheme_name: r
                .scheme
                .as_ref()
                .map_or_else(String::new, |s| s.scheme.name.clone()),
            computed: r
                .scheme
                .as_ref()
                .and_then(|s| s.scheme.computed_at)
                .map_or_else(String::new, webkit::view::ts),
            has_scheme: r.scheme.is_some(),
            rows: r.page.items.clone(),
            pager,
            delegations: r.delegations,
            groups: r.groups,
            delegation: p.delegation,
            group: p.group,
            can_manage: actor.can(Permission::ManageDutyRecord),
        },
    )
}

pub async fn recompute(
    State(st): State<AppState>,
    Me(actor): Me,
    Query(y): Query<YearParam>,
) -> AppResult<Response> {
    let (year, _) = y.year(st.ctx.today());
    let n = points::recompute(&st.ctx, &actor, None, year).await?;
    Ok(see_other_with(
        &format!("/duty/ranking?year={year}"),
        &format!("已重新计算 {year} 年度 {n} 名代表的积分"),
    ))
}
