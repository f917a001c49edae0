//! The scoring scheme of a congress for a year, edited by staff: items
//! (points per occurrence, a yearly cap, the activity types counted, or a
//! qualitative grade), and the grade bands. Every change recomputes the
//! year's totals in the same transaction, so a ranking never shows totals of
//! a scheme that no longer holds.

use app::validate::Check;
use app::{Actor, Ctx, Error, Result};
use kernel::roles::Permission;
use serde::Deserialize;

use crate::rules::{self, Band};
use crate::store::scheme::{self as store, BandRow, ItemRow, NewItem, SchemeRow};

/// A scheme as its page shows it.
#[derive(Debug, Clone)]
pub struct SchemeView {
    pub scheme: SchemeRow,
    pub items: Vec<ItemView>,
    pub bands: Vec<BandRow>,
}

#[derive(Debug, Clone)]
pub struct ItemView {
    pub row: ItemRow,
    /// (code, name) of the types it counts.
    pub types: Vec<(String, String)>,
}

impl SchemeView {
    pub fn band_rules(&self) -> Vec<Band> {
        self.bands
            .iter()
            .map(|b| Band {
                name: b.name.clone(),
                min: b.min_points,
                stars: b.stars,
            })
            .collect()
    }
}

pub async fn view(conn: &mut db::Conn, scheme: SchemeRow) -> Result<SchemeView> {
    let names = crate::store::types(conn).await?;
    let pairs = store::item_types(conn, scheme.id).await?;
    let items = store::items(conn, scheme.id)
        .await?
        .into_iter()
        .map(|row| ItemView {
            types: pairs
                .iter()
                .filter(|(i, _)| *i == row.id)
                .map(|(_, c)| {
                    let n = names
                        .iter()
                        .find(|t| &t.code == c)
                        .map_or(c.clone(), |t| t.name.clone());
                    (c.clone(), n)
                })
                .collect(),
            row,
        })
        .collect();
    let bands = store::bands(conn, scheme.id).await?;
    Ok(SchemeView {
        scheme,
        items,
        bands,
    })
}

/// The congress's scheme for the year, if there is one.
pub async fn get(
    ctx: &Ctx,
    actor: &Actor,
    congress: Option<i64>,
    year: i64,
) -> Result<Option<SchemeView>> {
    actor.require(Permission::ViewDutyRecord)?;
    super::year_bounds(year)?;
    let mut conn = ctx.db.read().await?;
    let c = super::congress_for(&mut conn, actor, congress).await?;
    match store::find(&mut conn, c, year).await? {
        Some(s) => Ok(Some(view(&mut conn, s).await?)),
        None => Ok(None),
    }
}

/// A default scheme's items (category, name, points in tenths, cap in
/// tenths, types). Written for the demo and a first year: the seeds name
/// only four of 徐州's items (思想政治建设、出席代表大会、提交议案建议、参加专项活动),
/// so these are a starting point each congress edits, not a seed's scheme.
/// (category, name, points per occurrence, yearly cap, activity types), in tenths.
type DefaultItem = (
    &'static str,
    &'static str,
    i64,
    Option<i64>,
    &'static [&'static str],
);

pub const DEFAULT_ITEMS: &[DefaultItem] = &[
    (
        "出席会议",
        "出席人民代表大会会议",
        100,
        Some(200),
        &["session_attend"],
    ),
    (
        "出席会议",
        "出席、列席常委会等会议",
        50,
        Some(200),
        &["meeting_present", "meeting_sit_in"],
    ),
    (
        "出席会议",
        "未请假缺席会议（扣分）",
        -50,
        Some(200),
        &["meeting_absent"],
    ),
    (
        "提交议案建议",
        "领衔提出议案",
        80,
        Some(240),
        &["motion_lead"],
    ),
    (
        "提交议案建议",
        "领衔提出建议",
        40,
        Some(200),
        &["suggestion_lead"],
    ),
    (
        "提交议案建议",
        "附议建议、议案",
        10,
        Some(50),
        &["suggestion_cosign"],
    ),
    (
        "提交议案建议",
        "建议列为重点督办（加分）",
        50,
        Some(100),
        &["suggestion_key"],
    ),
    (
        "参加专项活动",
        "视察、调研、执法检查、专题询问",
        30,
        Some(150),
        &[
            "inspection",
            "research",
            "committee_research",
            "law_enforcement",
            "inquiry",
        ],
    ),
    (
        "联系群众",
        "联络站接待、联系选民、协商议事",
        20,
        Some(160),
        &[
            "station_reception",
            "contact_voters",
            "deliberation",
            "grid_patrol",
        ],
    ),
    (
        "联系群众",
        "为群众办实事、解决诉求",
        50,
        Some(150),
        &["practical_matter"],
    ),
    ("学习培训", "参加学习培训", 20, Some(80), &["training"]),
    (
        "其他履职",
        "述职、审议发言、宣讲、志愿服务等",
        10,
        Some(100),
        &[
            "report_duty",
            "speech",
            "gov_meeting",
            "court_hearing",
            "volunteer",
            "lecture",
            "research_report",
            "other",
        ],
    ),
];

/// The qualitative item of a default scheme (思想政治建设: a grade no count produces).
pub const DEFAULT_QUALITATIVE: (&str, &str, i64) =
    ("思想政治建设", "思想政治建设（定性评价）", 100);

/// Creates the congress's scheme for the year: a copy of the latest earlier
/// year's, or the defaults. Returns its id (the existing one if there is one).
#[tracing::instrument(name = "duty::scheme_create", skip_all, fields(actor = %actor.username))]
pub async fn create(ctx: &Ctx, actor: &Actor, congress: Option<i64>, year: i64) -> Result<i64> {
    actor.require(Permission::ManageDutyRecord)?;
    super::year_bounds(year)?;
    let mut tx = ctx.begin().await?;
    let c = super::congress_for(&mut tx, actor, congress).await?;
    if let Some(s) = store::find(&mut tx, c, year).await? {
        return Ok(s.id);
    }
    let now = ctx.now_ms();
    let id = store::insert(
        &mut tx,
        c,
        year,
        &format!("{year}年度代表履职积分办法"),
        now,
    )
    .await?;
    let from = store::latest_before(&mut tx, c, year).await?;
    if let Some(prev) = from {
        let v = view(&mut tx, prev).await?;
        for it in &v.items {
            let types: Vec<String> = it.types.iter().map(|t| t.0.clone()).collect();
            store::add_item(
                &mut tx,
                id,
                &NewItem {
                    category: &it.row.category,
                    name: &it.row.name,
                    points: it.row.points,
                    cap: it.row.cap,
                    qualitative: it.row.qualitative == 1,
                    types: &types,
                },
                now,
            )
            .await?;
        }
        store::replace_bands(&mut tx, id, &v.band_rules()).await?;
    } else {
        for (category, name, points, cap, types) in DEFAULT_ITEMS {
            let types: Vec<String> = types.iter().map(|t| t.to_string()).collect();
            store::add_item(
                &mut tx,
                id,
                &NewItem {
                    category,
                    name,
                    points: *points,
                    cap: *cap,
                    qualitative: false,
                    types: &types,
                },
                now,
            )
            .await?;
        }
        let (category, name, max) = DEFAULT_QUALITATIVE;
        store::add_item(
            &mut tx,
            id,
            &NewItem {
                category,
                name,
                points: max,
                cap: None,
                qualitative: true,
                types: &[],
            },
            now,
        )
        .await?;
        store::replace_bands(&mut tx, id, &rules::default_bands()).await?;
    }
    recompute_in(ctx, &mut tx, id, c, year).await?;
    app::audit::record(
        &mut tx,
        actor,
        "duty.scheme.create",
        "score_scheme",
        id,
        format!("{year} 年度积分办法"),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub(crate) async fn recompute_in(
    ctx: &Ctx,
    tx: &mut db::Tx,
    scheme: i64,
    congress: i64,
    year: i64,
) -> Result<u64> {
    let sources = ctx
        .get::<app::handoff::DutyFactSources>()
        .cloned()
        .unwrap_or_default();
    Ok(crate::store::points::recompute(
        tx,
        &sources,
        ctx.db.backend,
        scheme,
        congress,
        year,
        ctx.now_ms(),
    )
    .await?)
}

/// The scheme by id, when the actor may manage it.
async fn managed(tx: &mut db::Tx, actor: &Actor, id: i64) -> Result<SchemeRow> {
    actor.require(Permission::ManageDutyRecord)?;
    let s = store::get(tx, id)
        .await?
        .ok_or(Error::NotFound("积分办法"))?;
    let visible = org::scope::visible_congresses(tx, actor).await?;
    if visible.is_some_and(|v| !v.contains(&s.congress_id)) {
        return Err(Error::NotFound("积分办法"));
    }
    Ok(s)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ItemInput {
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub name: String,
    /// Points per occurrence (one decimal; negative for a deduction), or for a
    /// qualitative item the highest grade.
    #[serde(default)]
    pub points: String,
    /// The yearly cap in points; empty: none.
    #[serde(default)]
    pub cap: String,
    /// Graded by staff rather than counted.
    #[serde(default)]
    pub qualitative: bool,
    /// The activity types counted (codes).
    #[serde(default)]
    pub types: Vec<String>,
}

#[tracing::instrument(name = "duty::scheme_add_item", skip_all, fields(actor = %actor.username, id))]
pub async fn add_item(ctx: &Ctx, actor: &Actor, id: i64, input: &ItemInput) -> Result<i64> {
    let mut tx = ctx.begin().await?;
    let s = managed(&mut tx, actor, id).await?;
    let mut c = Check::new();
    let category = c.text("category", "类别", &input.category, 30);
    let name = c.text("name", "计分项目", &input.name, 60);
    let points = c.take("points", rules::parse_points(&input.points));
    if input.qualitative && points.is_some_and(|p| p <= 0) {
        c.add("points", "定性项目的最高分应大于 0");
    }
    let cap = if input.cap.trim().is_empty() {
        None
    } else {
        match rules::parse_points(&input.cap) {
            Ok(v) if v > 0 => Some(v),
            Ok(_) => {
                c.add("cap", "年度上限应大于 0");
                None
            }
            Err(e) => {
                c.add("cap", e.replace("分值", "年度上限"));
                None
            }
        }
    };
    let mut types: Vec<String> = input
        .types
        .iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    types.sort();
    types.dedup();
    if input.qualitative {
        if !types.is_empty() {
            c.add(
                "types",
                "定性项目由工作人员评定，不计活动次数，请不要勾选活动类型",
            );
        }
    } else if types.is_empty() {
        c.add("types", "请勾选本项目计入的活动类型");
    }
    let known = crate::store::types(&mut tx).await?;
    let taken = store::item_types(&mut tx, s.id).await?;
    for t in &types {
        match known.iter().find(|k| &k.code == t) {
            None => c.add("types", "所选活动类型不存在，请刷新后重试"),
            Some(k) if taken.iter().any(|(_, code)| code == t) => c.add(
                "types",
                format!("“{}”已计入本办法的其他项目，一种活动只计一次", k.name),
            ),
            Some(_) => {}
        }
    }
    c.finish()?;
    let points = points.unwrap_or_default();
    let item = store::add_item(
        &mut tx,
        s.id,
        &NewItem {
            category: &category,
            name: &name,
            points,
            cap,
            qualitative: input.qualitative,
            types: &types,
        },
        ctx.now_ms(),
    )
    .await?;
    recompute_in(ctx, &mut tx, s.id, s.congress_id, s.year).await?;
    app::audit::record(
        &mut tx,
        actor,
        "duty.scheme.add_item",
        "score_scheme",
        s.id,
        format!("{category}/{name} {} 分", rules::show_points(points)),
    )
    .await?;
    tx.commit().await?;
    Ok(item)
}

#[tracing::instrument(name = "duty::scheme_remove_item", skip_all, fields(actor = %actor.username, id))]
pub async fn remove_item(ctx: &Ctx, actor: &Actor, item: i64) -> Result<i64> {
    actor.require(Permission::ManageDutyRecord)?;
    let mut tx = ctx.begin().await?;
    let (scheme, row) = store::item(&mut tx, item)
        .await?
        .ok_or(Error::NotFound("计分项目"))?;
    let s = managed(&mut tx, actor, scheme).await?;
    store::remove_item(&mut tx, item).await?;
    recompute_in(ctx, &mut tx, s.id, s.congress_id, s.year).await?;
    app::audit::record(
        &mut tx,
        actor,
        "duty.scheme.remove_item",
        "score_scheme",
        s.id,
        format!("删除 {}/{}", row.category, row.name),
    )
    .await?;
    tx.commit().await?;
    Ok(s.id)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct BandsInput {
    /// One band a line: name, lowest total, stars (e.g. "优秀 90 5"); the
    /// lowest band's total may be left out.
    #[serde(default)]
    pub bands: String,
}

/// Bands as staff write them, one a line.
pub fn parse_bands(text: &str) -> std::result::Result<Vec<Band>, String> {
    let mut out = Vec::new();
    for (n, line) in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let bad = || {
            format!(
                "第 {} 行“{line}”应写作：名称 最低分 星级（如：优秀 90 5）",
                n + 1
            )
        };
        let (name, min, stars) = match parts.as_slice() {
            [name, stars] => (*name, i64::MIN / 4, *stars),
            [name, min, stars] => (*name, rules::parse_points(min).map_err(|_| bad())?, *stars),
            _ => return Err(bad()),
        };
        let stars: i64 = stars.parse().map_err(|_| bad())?;
        if !(0..=5).contains(&stars) {
            return Err(format!("第 {} 行的星级应为 0 至 5", n + 1));
        }
        if out.iter().any(|b: &Band| b.name == name) {
            return Err(format!("等次“{name}”写了两次"));
        }
        out.push(Band {
            name: name.into(),
            min,
            stars,
        });
    }
    if out.is_empty() {
        return Err("请至少填写一个等次".into());
    }
    if out.len() > 10 {
        return Err("等次最多 10 个".into());
    }
    Ok(out)
}

/// Bands as the form shows them again.
pub fn bands_text(bands: &[BandRow]) -> String {
    bands
        .iter()
        .map(|b| {
            if b.min_points <= i64::MIN / 8 {
                format!("{} {}", b.name, b.stars)
            } else {
                format!(
                    "{} {} {}",
                    b.name,
                    rules::show_points(b.min_points),
                    b.stars
                )
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tracing::instrument(name = "duty::scheme_bands", skip_all, fields(actor = %actor.username, id))]
pub async fn set_bands(ctx: &Ctx, actor: &Actor, id: i64, input: &BandsInput) -> Result<()> {
    let mut tx = ctx.begin().await?;
    let s = managed(&mut tx, actor, id).await?;
    let bands = parse_bands(&input.bands).map_err(|e| Error::field("bands", e))?;
    store::replace_bands(&mut tx, s.id, &bands).await?;
    store::touch(&mut tx, s.id, ctx.now_ms()).await?;
    recompute_in(ctx, &mut tx, s.id, s.congress_id, s.year).await?;
    let summary: Vec<String> = bands.iter().map(|b| b.name.clone()).collect();
    app::audit::record(
        &mut tx,
        actor,
        "duty.scheme.bands",
        "score_scheme",
        s.id,
        summary.join("/"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct GradeInput {
    /// The qualitative item.
    pub item_id: Option<i64>,
    #[serde(default)]
    pub points: String,
    #[serde(default)]
    pub reason: String,
}

/// Staff grade a deputy on a qualitative item, with reasons.
#[tracing::instrument(name = "duty::grade", skip_all, fields(actor = %actor.username, id))]
pub async fn grade(ctx: &Ctx, actor: &Actor, deputy: i64, input: &GradeInput) -> Result<()> {
    actor.require(Permission::ManageDutyRecord)?;
    let mut tx = ctx.begin().await?;
    let item = input
        .item_id
        .ok_or_else(|| Error::field("item_id", "请选择定性项目"))?;
    let (scheme, row) = store::item(&mut tx, item)
        .await?
        .ok_or(Error::NotFound("计分项目"))?;
    let s = managed(&mut tx, actor, scheme).await?;
    let d = super::visible_deputy(&mut tx, actor, deputy, Some(s.congress_id)).await?;
    let mut c = Check::new();
    if row.qualitative != 1 {
        c.add("item_id", format!("“{}”按活动次数计分，不能评定", row.name));
    }
    let points = c.take("points", rules::parse_points(&input.points));
    if let Some(p) = points
        && !(0..=row.points).contains(&p)
    {
        c.add(
            "points",
            format!("评定分应在 0 至 {} 分之间", rules::show_points(row.points)),
        );
    }
    let reason = c.text("reason", "评定理由", &input.reason, 500);
    c.finish()?;
    let points = points.unwrap_or_default();
    store::set_grade(
        &mut tx,
        item,
        deputy,
        points,
        &reason,
        actor.user_id,
        ctx.now_ms(),
    )
    .await?;
    recompute_in(ctx, &mut tx, s.id, s.congress_id, s.year).await?;
    app::audit::record(
        &mut tx,
        actor,
        "duty.grade",
        "deputy",
        deputy,
        format!(
            "{} {} {} 分：{reason}",
            d.name,
            row.name,
            rules::show_points(points)
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_are_read_one_a_line() {
        let b = parse_bands("优秀 90 5\n称职 60 4\n\n不称职 1").expect("bands");
        assert_eq!(b.len(), 3);
        assert_eq!(b[0].min, 900);
        assert_eq!(b[2].stars, 1);
        assert!(parse_bands("优秀 九十 5").is_err());
        assert!(parse_bands("优秀 90 6").is_err());
        assert!(parse_bands("优秀 90 5\n优秀 80 4").is_err());
        assert!(parse_bands("").is_err());
    }

    #[test]
    fn every_default_type_is_counted_once() {
        let mut all: Vec<&str> = DEFAULT_ITEMS
            .iter()
            .flat_map(|i| i.4.iter().copied())
            .collect();
        let n = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), n);
    }
}
