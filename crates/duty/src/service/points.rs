//! A deputy's points explained line by line — which activity, which item,
//! how many points, which cap applied — and the congress's ranking.

use app::{Actor, Ctx, Result};
use db::sql::{Page, Paged};
use kernel::roles::Permission;
use serde::Deserialize;

use crate::rules::{self, Band};
use crate::service::scheme::{SchemeView, view};
use crate::store::points::{self as store, Occurrence, RankRow};

/// One item of the scheme as it scored for the deputy.
#[derive(Debug, Clone)]
pub struct Line {
    pub category: String,
    pub item: String,
    /// Points per occurrence (tenths); for a qualitative item its highest grade.
    pub per: i64,
    pub cap: Option<i64>,
    pub count: i64,
    pub points: i64,
    pub capped: bool,
    pub qualitative: bool,
    /// The grade's reason, for a qualitative item graded.
    pub reason: String,
    pub occurrences: Vec<Shown>,
}

/// An occurrence with its type's name.
#[derive(Debug, Clone)]
pub struct Shown {
    pub date: String,
    pub type_name: String,
    pub title: String,
    pub link: String,
}

/// A deputy's year, explained.
#[derive(Debug, Clone)]
pub struct Explained {
    pub deputy_id: i64,
    pub name: String,
    pub congress_id: i64,
    pub congress_name: String,
    pub year: i64,
    pub scheme: Option<SchemeView>,
    pub lines: Vec<Line>,
    /// Occurrences no item counts.
    pub uncounted: Vec<Shown>,
    pub total: i64,
    pub band: Option<Band>,
    /// The rank among the congress's deputies when the totals were last
    /// computed, and how many were ranked.
    pub rank: Option<(i64, i64)>,
}

/// The deputy's points for the year, computed now from every occurrence.
pub async fn explain(
    ctx: &Ctx,
    actor: &Actor,
    deputy: i64,
    congress: Option<i64>,
    year: i64,
) -> Result<Explained> {
    let (from, to) = super::year_bounds(year)?;
    let mut conn = ctx.db.read().await?;
    let m = super::visible_deputy(&mut conn, actor, deputy, congress).await?;
    let sources = ctx
        .get::<app::handoff::DutyFactSources>()
        .cloned()
        .unwrap_or_default();
    let occ = store::occurrences_of(
        &mut conn,
        &sources,
        ctx.db.backend,
        m.congress_id,
        deputy,
        &from,
        &to,
    )
    .await?;
    let types = crate::store::types(&mut conn).await?;
    let name_of = |code: &str| {
        types
            .iter()
            .find(|t| t.code == code)
            .map_or(code.to_string(), |t| t.name.clone())
    };
    let shown = |o: &Occurrence| Shown {
        date: o.fact_date.clone(),
        type_name: name_of(&o.type_code),
        title: o.title.clone(),
        link: o.link.clone(),
    };
    let scheme = match crate::store::scheme::find(&mut conn, m.congress_id, year).await? {
        Some(s) => Some(view(&mut conn, s).await?),
        None => None,
    };
    let mut lines = Vec::new();
    let uncounted;
    let mut rank = None;
    if let Some(s) = &scheme {
        let grades = crate::store::scheme::grades_of(&mut conn, s.scheme.id, deputy).await?;
        for it in &s.items {
            if it.row.qualitative == 1 {
                let g = grades.iter().find(|g| g.item_id == it.row.id);
                lines.push(Line {
                    category: it.row.category.clone(),
                    item: it.row.name.clone(),
                    per: it.row.points,
                    cap: None,
                    count: i64::from(g.is_some()),
                    points: g.map_or(0, |g| g.points),
                    capped: false,
                    qualitative: true,
                    reason: g.map_or_else(String::new, |g| g.reason.clone()),
                    occurrences: Vec::new(),
                });
                continue;
            }
            let mine: Vec<Shown> = occ
                .iter()
                .filter(|o| it.types.iter().any(|(c, _)| *c == o.type_code))
                .map(shown)
                .collect();
            let (points, capped) = rules::item_points(it.row.points, mine.len() as i64, it.row.cap);
            lines.push(Line {
                category: it.row.category.clone(),
                item: it.row.name.clone(),
                per: it.row.points,
                cap: it.row.cap,
                count: mine.len() as i64,
                points,
                capped,
                qualitative: false,
                reason: String::new(),
                occurrences: mine,
            });
        }
        uncounted = occ
            .iter()
            .filter(|o| {
                !s.items
                    .iter()
                    .any(|it| it.types.iter().any(|(c, _)| *c == o.type_code))
            })
            .map(shown)
            .collect();
        if let Some((_, r)) = store::total_of(&mut conn, s.scheme.id, deputy).await? {
            let n: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM score_total WHERE scheme_id = $1")
                    .bind(s.scheme.id)
                    .fetch_one(&mut conn)
                    .await?;
            rank = Some((r, n));
        }
    } else {
        uncounted = occ.iter().map(shown).collect();
    }
    let total = lines.iter().map(|l| l.points).sum();
    let band = scheme
        .as_ref()
        .and_then(|s| rules::band_of(&s.band_rules(), total).cloned());
    Ok(Explained {
        deputy_id: deputy,
        name: m.name,
        congress_id: m.congress_id,
        congress_name: m.congress_name,
        year,
        scheme,
        lines,
        uncounted,
        total,
        band,
        rank,
    })
}

/// Staff compute the year's totals again (after activities were verified).
#[tracing::instrument(name = "duty::recompute", skip_all, fields(actor = %actor.username))]
pub async fn recompute(ctx: &Ctx, actor: &Actor, congress: Option<i64>, year: i64) -> Result<u64> {
    actor.require(Permission::ManageDutyRecord)?;
    super::year_bounds(year)?;
    let mut tx = ctx.begin().await?;
    let c = super::congress_for(&mut tx, actor, congress).await?;
    let s = crate::store::scheme::find(&mut tx, c, year)
        .await?
        .ok_or_else(|| app::Error::Conflict(format!("{year} 年度尚未制定积分办法")))?;
    let n = super::scheme::recompute_in(ctx, &mut tx, s.id, c, year).await?;
    app::audit::record(
        &mut tx,
        actor,
        "duty.recompute",
        "score_scheme",
        s.id,
        format!("{year} 年度 {n} 名代表"),
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct RankingQuery {
    pub year: Option<i64>,
    pub congress_id: Option<i64>,
    #[serde(default)]
    pub delegation: String,
    #[serde(default)]
    pub group: String,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// A ranked deputy with their band.
#[derive(Debug, Clone)]
pub struct Ranked {
    pub row: RankRow,
    pub band: Option<Band>,
}

pub struct Ranking {
    pub congress_id: i64,
    pub year: i64,
    pub scheme: Option<SchemeView>,
    pub page: Paged<Ranked>,
    pub delegations: Vec<String>,
    pub groups: Vec<String>,
}

/// The ranking of a congress's deputies for the year, by the last computed totals.
pub async fn ranking(ctx: &Ctx, actor: &Actor, q: &RankingQuery) -> Result<Ranking> {
    // Staff and the congress's leaders; a deputy sees their own record, not a league table.
    actor.require(Permission::ViewDutyRecord)?;
    if actor.role == kernel::roles::Role::Deputy {
        return Err(app::Error::Forbidden);
    }
    let year = q.year.unwrap_or_else(|| i64::from(ctx.today().year()));
    super::year_bounds(year)?;
    let mut conn = ctx.db.read().await?;
    let c = super::congress_for(&mut conn, actor, q.congress_id).await?;
    let (delegations, groups) = org::store::deputies::groups(&mut conn, Some(&[c])).await?;
    let page = Page::new(q.page, q.per_page);
    let Some(s) = crate::store::scheme::find(&mut conn, c, year).await? else {
        return Ok(Ranking {
            congress_id: c,
            year,
            scheme: None,
            page: Paged {
                items: Vec::new(),
                total: 0,
                capped: false,
                page: 1,
                per_page: page.per_page,
            },
            delegations,
            groups,
        });
    };
    let v = view(&mut conn, s).await?;
    let bands = v.band_rules();
    let rows = store::ranking(
        &mut conn,
        v.scheme.id,
        c,
        q.delegation.trim(),
        q.group.trim(),
        page,
    )
    .await?;
    Ok(Ranking {
        congress_id: c,
        year,
        page: rows.map(|row| Ranked {
            band: rules::band_of(&bands, row.points).cloned(),
            row,
        }),
        scheme: Some(v),
        delegations,
        groups,
    })
}

/// The periodic job: every scheme of the current year computed again, so
/// rankings follow verified activities and meetings held without a click.
pub async fn recompute_current(ctx: &Ctx) -> Result<String> {
    let year = i64::from(ctx.today().year());
    let schemes: Vec<(i64, i64)> = {
        let mut c = ctx.db.read().await?;
        sqlx::query_as("SELECT id, congress_id FROM score_scheme WHERE year = $1 ORDER BY id")
            .bind(year)
            .fetch_all(&mut c)
            .await?
    };
    let mut n = 0;
    for (id, congress) in &schemes {
        let mut tx = ctx.begin().await?;
        n += super::scheme::recompute_in(ctx, &mut tx, *id, *congress, year).await?;
        tx.commit().await?;
    }
    Ok(if schemes.is_empty() {
        String::new()
    } else {
        format!("{} 个积分办法，{n} 名代表", schemes.len())
    })
}
