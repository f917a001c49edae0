//! The calendar in force: the built-in years plus those an administrator added.

use db::Conn;
use kernel::calendar::{Calendar, RestPeriod, YearArrangement, parse_date};
use kernel::roles::Permission;
use serde::{Deserialize, Serialize};

use crate::actor::Actor;
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::validate::Check;

/// Builds the calendar from the program's years and the database's.
pub async fn load(conn: &mut Conn) -> Result<Calendar> {
    let mut cal = Calendar::built_in();
    for arr in stored_years(conn).await? {
        if let Err(e) = cal.add_year(arr) {
            tracing::error!(error = %e, "a stored calendar year is invalid and was skipped");
        }
    }
    Ok(cal)
}

async fn stored_years(conn: &mut Conn) -> Result<Vec<YearArrangement>> {
    let years = crate::store::calendar::years(conn).await?;
    let rests = crate::store::calendar::rests(conn).await?;
    let workdays = crate::store::calendar::workdays(conn).await?;
    Ok(years
        .into_iter()
        .map(|y| YearArrangement {
            year: y.year as i16,
            rest_periods: rests
                .iter()
                .filter(|r| r.year == y.year)
                .filter_map(|r| {
                    Some(RestPeriod {
                        first: parse_date(&r.first_day).ok()?,
                        last: parse_date(&r.last_day).ok()?,
                        name: r.name.clone(),
                    })
                })
                .collect(),
            adjusted_workdays: workdays
                .iter()
                .filter(|(yr, _)| *yr == y.year)
                .filter_map(|(_, d)| parse_date(d).ok())
                .collect(),
            source: y.source,
        })
        .collect())
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct YearView {
    pub arrangement: YearArrangement,
    pub built_in: bool,
}

#[tracing::instrument(name = "app::calendar::years", skip_all, fields(actor = %actor.username))]
pub async fn years(ctx: &Ctx, actor: &Actor) -> Result<Vec<YearView>> {
    actor.require(Permission::ViewCalendar)?;
    let cal = ctx.calendar().await?;
    let built: Vec<i16> = Calendar::built_in_years();
    Ok(cal
        .years()
        .into_iter()
        .filter_map(|y| cal.arrangement(y).cloned())
        .map(|a| YearView {
            built_in: built.contains(&a.year),
            arrangement: a,
        })
        .collect())
}

/// A year's arrangement as typed by an administrator: one rest period per line
/// (`名称 YYYY-MM-DD YYYY-MM-DD`), make-up working days separated by spaces or commas.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct YearInput {
    #[serde(default, deserialize_with = "crate::de::opt_i64")]
    pub year: Option<i64>,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub rest_periods: String,
    #[serde(default)]
    pub adjusted_workdays: String,
}

pub fn parse_year_input(input: &YearInput) -> Result<YearArrangement> {
    let mut check = Check::new();
    let year = match input.year {
        Some(y) if (2000..=2100).contains(&y) => y as i16,
        _ => {
            check.add("year", "年份应为 2000 到 2100 之间的整数");
            0
        }
    };
    let source = check.text("source", "依据（通知名称）", &input.source, 120);
    let mut periods = Vec::new();
    for (i, line) in input.rest_periods.lines().enumerate() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        if parts.is_empty() {
            continue;
        }
        if parts.len() != 3 {
            check.add(
                "rest_periods",
                format!(
                    "第 {} 行应为“名称 开始日期 结束日期”，如：春节 2027-02-06 2027-02-13",
                    i + 1
                ),
            );
            continue;
        }
        match (parse_date(parts[1]), parse_date(parts[2])) {
            (Ok(first), Ok(last)) => periods.push(RestPeriod {
                first,
                last,
                name: parts[0].to_string(),
            }),
            (Err(e), _) | (_, Err(e)) => check.add("rest_periods", format!("第 {} 行：{e}", i + 1)),
        }
    }
    if periods.is_empty() && check.is_ok() {
        check.add("rest_periods", "请至少填写一个放假期间");
    }
    let mut workdays = Vec::new();
    for token in input
        .adjusted_workdays
        .split(|c: char| c.is_whitespace() || c == ',' || c == '，' || c == '、')
    {
        if token.is_empty() {
            continue;
        }
        match parse_date(token) {
            Ok(d) => workdays.push(d),
            Err(e) => check.add("adjusted_workdays", e.to_string()),
        }
    }
    check.finish()?;
    let arr = YearArrangement {
        year,
        rest_periods: periods,
        adjusted_workdays: workdays,
        source,
    };
    arr.validate()
        .map_err(|e| Error::field("rest_periods", e.to_string()))?;
    Ok(arr)
}

#[tracing::instrument(name = "app::calendar::add_year", skip_all, fields(actor = %actor.username))]
pub async fn add_year(ctx: &Ctx, actor: &Actor, input: &YearInput) -> Result<()> {
    actor.require(Permission::ManageCalendar)?;
    let arr = parse_year_input(input)?;
    let mut tx = ctx.begin().await?;
    let mut cal = load(&mut tx).await?;
    if cal.arrangement(arr.year).is_some() {
        return Err(Error::field(
            "year",
            format!("{} 年的安排已存在；如需更正请先删除", arr.year),
        ));
    }
    cal.add_year(arr.clone())
        .map_err(|e| Error::field("year", e.to_string()))?;
    let rests: Vec<(String, String, String)> = arr
        .rest_periods
        .iter()
        .map(|p| (p.first.to_string(), p.last.to_string(), p.name.clone()))
        .collect();
    let workdays: Vec<String> = arr
        .adjusted_workdays
        .iter()
        .map(|d| d.to_string())
        .collect();
    crate::store::calendar::insert_year(
        &mut tx,
        i64::from(arr.year),
        &arr.source,
        actor.user_id,
        ctx.now_ms(),
        &rests,
        &workdays,
    )
    .await?;
    crate::audit::record(
        &mut tx,
        actor,
        "calendar.add_year",
        "calendar_year",
        arr.year,
        format!(
            "录入 {} 年节假日安排：{} 个放假期间，{} 个调休上班日（{}）",
            arr.year,
            rests.len(),
            workdays.len(),
            arr.source
        ),
    )
    .await?;
    tx.commit().await?;
    ctx.forget_calendar();
    Ok(())
}

#[tracing::instrument(name = "app::calendar::delete_year", skip_all, fields(actor = %actor.username, year))]
pub async fn delete_year(ctx: &Ctx, actor: &Actor, year: i64) -> Result<()> {
    actor.require(Permission::ManageCalendar)?;
    if Calendar::built_in_years()
        .iter()
        .any(|y| i64::from(*y) == year)
    {
        return Err(Error::BadRequest("内置年度的安排不能删除".into()));
    }
    let mut tx = ctx.begin().await?;
    if crate::store::calendar::delete_year(&mut tx, year).await? == 0 {
        return Err(Error::NotFound("该年度安排"));
    }
    crate::audit::record(
        &mut tx,
        actor,
        "calendar.delete_year",
        "calendar_year",
        year,
        format!("删除 {year} 年节假日安排"),
    )
    .await?;
    tx.commit().await?;
    ctx.forget_calendar();
    Ok(())
}

/// Computes a period on the calendar in force, for the calculator and the API.
#[tracing::instrument(name = "app::calendar::compute", skip_all, fields(actor = %actor.username))]
pub async fn compute(
    ctx: &Ctx,
    actor: &Actor,
    start: &str,
    n: Option<i64>,
    unit: &str,
) -> Result<kernel::calendar::Deadline> {
    actor.require(Permission::ViewCalendar)?;
    let mut check = Check::new();
    let start = check.take("start", parse_date(start));
    let n = match n {
        Some(n) => Some(n),
        None => {
            check.add("n", "请填写期间数");
            None
        }
    };
    if !matches!(unit, "workdays" | "months") {
        check.add("unit", "期间单位应为 workdays（工作日）或 months（月）");
    }
    check.finish()?;
    let (Some(start), Some(n)) = (start, n) else {
        return Err(Error::internal(
            "a checked value went missing after validation",
        ));
    };
    let cal = ctx.calendar().await?;
    let r = if unit == "months" {
        cal.add_months(start, n)
    } else {
        cal.add_working_days(start, n)
    };
    r.map_err(|e| Error::field("n", e.to_string()))
}
