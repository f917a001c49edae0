//! Demo duty record: the current year of the county deputies' activities up
//! to the day the demo is loaded — inspections, research and law-enforcement
//! checks with many deputies each, station receptions and voter contacts,
//! training — a few entries of the demo deputy waiting for verification and
//! one refused, the year's scoring scheme (the defaults), qualitative grades
//! for some deputies, and the totals computed. Meetings attended and
//! suggestions submitted come from those capabilities' own demo data.

use app::{Actor, Ctx, Error, Result};
use kernel::roles::Role;

use crate::rules::ActivityState;
use crate::store::activities::{self as store, NewActivity};

fn clerk() -> Actor {
    let mut a = Actor::system("demo");
    a.role = Role::Admin;
    a
}

/// (month, day, type, place, summary, how many deputies)
const EVENTS: &[(i8, i8, &str, &str, &str, usize)] = &[
    (1, 8, "training", "县委党校", "新任代表履职能力培训班", 40),
    (
        2,
        10,
        "session_attend",
        "县人民会堂",
        "出席县十七届人大六次会议",
        120,
    ),
    (
        3,
        14,
        "inspection",
        "城关镇、河西乡",
        "视察农村饮水安全工程建设情况",
        12,
    ),
    (
        3,
        27,
        "law_enforcement",
        "县市场监管局",
        "《食品安全法》执法检查",
        10,
    ),
    (4, 16, "research", "县工业园区", "营商环境优化专题调研", 9),
    (
        4,
        24,
        "station_reception",
        "城关镇人大代表联络站",
        "联络站集中接待选民日",
        15,
    ),
    (
        5,
        19,
        "committee_research",
        "县教育局",
        "义务教育均衡发展委办专题调研",
        8,
    ),
    (
        5,
        29,
        "deliberation",
        "河西乡代表之家",
        "“月协商议事”：村道硬化选线",
        11,
    ),
    (
        6,
        12,
        "inquiry",
        "县人大常委会会议室",
        "就养老服务体系建设开展专题询问",
        10,
    ),
    (6, 25, "court_hearing", "县人民法院", "旁听民事案件庭审", 8),
    (7, 10, "grid_patrol", "城关镇各网格", "汛期安全网格巡查", 20),
    (
        7,
        22,
        "contact_voters",
        "各选区",
        "走访原选区选民，听取意见",
        30,
    ),
    (8, 18, "volunteer", "县城区", "“文明城市创建”志愿服务", 14),
    (9, 9, "lecture", "各乡镇", "宣讲党的二十届四中全会精神", 12),
    (
        9,
        24,
        "gov_meeting",
        "县人民政府",
        "列席县人民政府常务会议",
        6,
    ),
    (10, 15, "inspection", "县人民医院", "视察县域医共体建设", 12),
    (
        10,
        30,
        "station_reception",
        "河西乡人大代表联络站",
        "联络站集中接待选民日",
        14,
    ),
    (
        11,
        13,
        "research_report",
        "",
        "提交《关于加快县域冷链物流发展的调研报告》",
        5,
    ),
    (
        11,
        20,
        "practical_matter",
        "各选区",
        "为选民办实事：协调解决路灯维修等诉求",
        16,
    ),
];

pub async fn load(ctx: &Ctx) -> Result<usize> {
    let mut c = ctx.db.read().await?;
    let Some(county) = org::store::congresses::find_by_name(&mut c, "清溪县人民代表大会").await?
    else {
        return Ok(0);
    };
    let roster = org::store::deputies::in_office_of(&mut c, county.id).await?;
    let demo_deputy: Option<i64> =
        sqlx::query_scalar("SELECT deputy_id FROM app_user WHERE username = 'deputy'")
            .fetch_optional(&mut c)
            .await?
            .flatten();
    drop(c);
    if roster.is_empty() {
        return Ok(0);
    }
    let today = ctx.today();
    let year = today.year();
    let clerk = clerk();
    let mut tx = ctx.begin().await?;
    let now = ctx.now_ms();
    let mut n = 0;
    for (k, (month, day, code, place, summary, count)) in EVENTS.iter().enumerate() {
        let date = jiff::civil::Date::new(year, *month, *day)
            .map_err(|e| Error::internal(e.to_string()))?;
        if date > today {
            continue;
        }
        let batch = store::next_batch(&mut tx).await?;
        // A different slice of the roster each time; the demo deputy at most events.
        let mut picked: Vec<i64> = roster
            .iter()
            .cycle()
            .skip(k * 7 % roster.len())
            .take((*count).min(roster.len()))
            .map(|r| r.0)
            .collect();
        if let Some(d) = demo_deputy
            && k % 3 != 2
            && !picked.contains(&d)
        {
            picked.push(d);
        }
        for d in &picked {
            store::insert(
                &mut tx,
                &NewActivity {
                    congress_id: county.id,
                    deputy_id: *d,
                    type_code: code,
                    activity_date: &date.to_string(),
                    place,
                    minutes: if *code == "research_report" { 0 } else { 180 },
                    summary,
                    state: ActivityState::Verified.code(),
                    batch_id: Some(batch),
                    recorded_by: None,
                    now,
                },
            )
            .await?;
            n += 1;
        }
        app::audit::record(
            &mut tx,
            &clerk,
            "duty.activity.record_many",
            "duty_batch",
            batch,
            format!("{date} {code} {} 名代表：{summary}", picked.len()),
        )
        .await?;
    }
    // The demo deputy's own entries: two waiting, one refused.
    if let Some(d) = demo_deputy {
        let recent = |days: i64| {
            today
                .saturating_sub(jiff::Span::new().days(days))
                .to_string()
        };
        for (date, code, place, summary, state, reason) in [
            (
                recent(3),
                "contact_voters",
                "城关镇东街社区",
                "走访东街社区选民，收集老旧小区加装电梯的意见",
                ActivityState::Pending,
                "",
            ),
            (
                recent(1),
                "practical_matter",
                "城关镇东街社区",
                "协调供电所修复东街 3 盏路灯",
                ActivityState::Pending,
                "",
            ),
            (
                recent(20),
                "other",
                "",
                "参加朋友聚会时宣传人大制度",
                ActivityState::Rejected,
                "非履职活动，不予计入",
            ),
        ] {
            if !date.starts_with(&format!("{year:04}")) {
                continue;
            }
            let id = store::insert(
                &mut tx,
                &NewActivity {
                    congress_id: county.id,
                    deputy_id: d,
                    type_code: code,
                    activity_date: &date,
                    place,
                    minutes: 90,
                    summary,
                    state: ActivityState::Pending.code(),
                    batch_id: None,
                    recorded_by: None,
                    now,
                },
            )
            .await?;
            if state == ActivityState::Rejected {
                store::review(&mut tx, id, state.code(), reason, None, now).await?;
            }
            n += 1;
        }
    }
    tx.commit().await?;
    let year = i64::from(year);
    let scheme = super::scheme::create(ctx, &clerk, Some(county.id), year).await?;
    let v = super::scheme::get(ctx, &clerk, Some(county.id), year)
        .await?
        .ok_or_else(|| Error::internal("the demo scheme is missing"))?;
    if let Some(q) = v.items.iter().find(|i| i.row.qualitative == 1) {
        for (k, (d, _, _)) in roster.iter().enumerate().take(30) {
            let (points, reason) = if k % 10 == 9 {
                ("6", "参加集中学习次数偏少")
            } else {
                ("9", "政治立场坚定，积极参加学习")
            };
            super::scheme::grade(
                ctx,
                &clerk,
                *d,
                &super::scheme::GradeInput {
                    item_id: Some(q.row.id),
                    points: points.into(),
                    reason: reason.into(),
                },
            )
            .await?;
        }
    }
    let _ = scheme;
    Ok(n)
}
