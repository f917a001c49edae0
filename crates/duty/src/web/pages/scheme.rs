//! `/duty/scheme`: the year's scoring scheme — its items with the activity
//! types each counts, the grade bands — and creating it for a new year.

use app::Error;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use kernel::roles::Permission;
use webkit::AppState;
use webkit::auth::{Me, MeSession, Session};
use webkit::error::{AppError, AppResult};
use webkit::extract::{Form, Path, Posted, Query};
use webkit::pages::see_other_with;
use webkit::view::{FormErrors, Layout, render_status};

use super::{Again, YearParam};
use crate::service::scheme::{self, BandsInput, ItemInput, SchemeView};
use crate::store::TypeRow;

#[derive(Template)]
#[template(path = "duty_scheme.html")]
struct SchemePage {
    layout: Layout,
    year: i64,
    problem: String,
    scheme: Option<SchemeView>,
    can_manage: bool,
    types: Vec<TypeRow>,
    /// Types already counted by an item.
    taken: Vec<String>,
    form: ItemInput,
    errors: FormErrors,
    bands: String,
}

async fn page(
    st: &AppState,
    s: &Session,
    actor: &app::Actor,
    y: YearParam,
    again: Again<ItemInput>,
    bands: Option<String>,
) -> AppResult<Response> {
    let Again {
        form,
        errors,
        status,
    } = again;
    actor.require(Permission::ViewDutyRecord)?;
    if actor.role == kernel::roles::Role::Deputy {
        return Err(AppError(Error::Forbidden));
    }
    let (year, problem) = y.year(st.ctx.today());
    let v = scheme::get(&st.ctx, actor, None, year).await?;
    let types = {
        let mut c = st.ctx.db.read().await.map_err(Error::from)?;
        crate::store::types(&mut c).await.map_err(Error::from)?
    };
    let taken = v
        .as_ref()
        .map(|v| {
            v.items
                .iter()
                .flat_map(|i| i.types.iter().map(|t| t.0.clone()))
                .collect()
        })
        .unwrap_or_default();
    let bands = bands.unwrap_or_else(|| {
        v.as_ref()
            .map_or_else(String::new, |v| scheme::bands_text(&v.bands))
    });
    render_status(
        status,
        &SchemePage {
            layout: Layout::new(format!("{year} 年度积分办法"), s, "duty"),
            year,
            problem,
            scheme: v,
            can_manage: actor.can(Permission::ManageDutyRecord),
            types,
            taken,
            form,
            errors,
            bands,
        },
    )
}

pub async fn show(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Query(y): Query<YearParam>,
) -> AppResult<Response> {
    page(&st, &s, &actor, y, Again::fresh(), None).await
}

pub async fn create(
    State(st): State<AppState>,
    Me(actor): Me,
    Query(y): Query<YearParam>,
) -> AppResult<Response> {
    let (year, _) = y.year(st.ctx.today());
    scheme::create(&st.ctx, &actor, None, year).await?;
    Ok(see_other_with(
        &format!("/duty/scheme?year={year}"),
        &format!("已制定 {year} 年度积分办法（沿用上一年度或默认项目），可逐项修改"),
    ))
}

fn year_of(st: &AppState, id: i64, v: &Option<i64>) -> i64 {
    let _ = id;
    v.unwrap_or_else(|| i64::from(st.ctx.today().year()))
}

async fn scheme_year(st: &AppState, id: i64) -> AppResult<Option<i64>> {
    let mut c = st.ctx.db.read().await.map_err(Error::from)?;
    Ok(crate::store::scheme::get(&mut c, id)
        .await
        .map_err(Error::from)?
        .map(|s| s.year))
}

pub async fn add_item(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
    Posted(pairs, _kept): Posted<Vec<(String, String)>>,
) -> AppResult<Response> {
    let value = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let f = ItemInput {
        category: value("category"),
        name: value("name"),
        points: value("points"),
        cap: value("cap"),
        qualitative: value("qualitative") == "true",
        types: pairs
            .iter()
            .filter(|(k, _)| k == "types")
            .map(|(_, v)| v.clone())
            .collect(),
    };
    let year = year_of(&st, id, &scheme_year(&st, id).await?);
    match scheme::add_item(&st.ctx, &actor, id, &f).await {
        Ok(_) => Ok(see_other_with(
            &format!("/duty/scheme?year={year}#items"),
            "已增加计分项目，积分已重新计算",
        )),
        Err(Error::Validation(v)) => {
            let y = YearParam {
                year: year.to_string(),
            };
            page(&st, &s, &actor, y, Again::refused(f, v), None).await
        }
        Err(e) => Err(AppError(e)),
    }
}

pub async fn remove_item(
    State(st): State<AppState>,
    Me(actor): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let scheme_id = scheme::remove_item(&st.ctx, &actor, id).await?;
    let year = year_of(&st, scheme_id, &scheme_year(&st, scheme_id).await?);
    Ok(see_other_with(
        &format!("/duty/scheme?year={year}#items"),
        "已删除计分项目，积分已重新计算",
    ))
}

pub async fn bands(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
    Form(f): Form<BandsInput>,
) -> AppResult<Response> {
    let year = year_of(&st, id, &scheme_year(&st, id).await?);
    match scheme::set_bands(&st.ctx, &actor, id, &f).await {
        Ok(()) => Ok(see_other_with(
            &format!("/duty/scheme?year={year}#bands"),
            "已保存等次",
        )),
        Err(Error::Validation(v)) => {
            let y = YearParam {
                year: year.to_string(),
            };
            page(
                &st,
                &s,
                &actor,
                y,
                Again::refused(ItemInput::default(), v),
                Some(f.bands),
            )
            .await
        }
        Err(e) => Err(AppError(e)),
    }
}
