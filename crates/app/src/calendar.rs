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
    /// Correct an entered year instead of adding one.
    #[serde(default, deserialize_with = "crate::de::flex_bool")]
    pub replace: bool,
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
    if check.is_ok() && year != 0 {
        let probe = YearArrangement {
            year,
            rest_periods: periods.clone(),
            adjusted_workdays: Vec::new(),
            source: String::new(),
        };
        let missing = kernel::holidays::missing_statutory(&probe);
        if !missing.is_empty() {
            let days: Vec<String> = missing
                .iter()
                .map(|(f, d)| format!("{} {d}", f.label()))
                .collect();
            check.add(
                "rest_periods",
                format!(
                    "缺少法定节假日（《全国年节及纪念日放假办法》第二条）：{}；每个节日的放假期间须以节日名称开头并覆盖其法定假日",
                    days.join("、")
                ),
            );
        }
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

/// The form of an entered year, to correct it.
#[tracing::instrument(name = "app::calendar::form_of", skip_all, fields(actor = %actor.username, year))]
pub async fn form_of(ctx: &Ctx, actor: &Actor, year: i64) -> Result<YearInput> {
    actor.require(Permission::ManageCalendar)?;
    let y = i16::try_from(year).map_err(|_| Error::NotFound("该年度安排"))?;
    if Calendar::built_in_years().contains(&y) {
        return Err(Error::BadRequest("内置年度的安排不能修改".into()));
    }
    let cal = ctx.calendar().await?;
    let arr = cal.arrangement(y).ok_or(Error::NotFound("该年度安排"))?;
    Ok(YearInput {
        year: Some(year),
        source: arr.source.clone(),
        rest_periods: arr
            .rest_periods
            .iter()
            .map(|p| format!("{} {} {}", p.name, p.first, p.last))
            .collect::<Vec<_>>()
            .join("\n"),
        adjusted_workdays: arr
            .adjusted_workdays
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join(" "),
        replace: true,
    })
}

/// What entering a year did.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Entered {
    pub year: i16,
    /// Deadlines computed again whose date moved.
    pub recomputed: usize,
    /// A warning the administrator should read (an earlier year still missing).
    pub warning: Option<String>,
}

/// What runs in the transaction that enters or corrects a year, with the
/// calendar as it will be and the year concerned: the tracked-item engine
/// computes its provisional deadlines again. Installed by the server; returns
/// how many dates moved.
pub type YearHook = for<'a> fn(
    &'a Ctx,
    &'a mut db::Tx,
    &'a Actor,
    &'a Calendar,
    i16,
) -> futures_util::future::BoxFuture<'a, Result<usize>>;

/// The hooks on entering a year.
#[derive(Clone, Default)]
pub struct YearHooks(pub Vec<YearHook>);

/// Enters a year's arrangement (or, with `replace`, corrects an entered one),
/// and computes again every deadline it may move.
#[tracing::instrument(name = "app::calendar::add_year", skip_all, fields(actor = %actor.username))]
pub async fn add_year(ctx: &Ctx, actor: &Actor, input: &YearInput) -> Result<Entered> {
    actor.require(Permission::ManageCalendar)?;
    let arr = parse_year_input(input)?;
    let mut tx = ctx.begin().await?;
    let mut cal = load(&mut tx).await?;
    let exists = cal.arrangement(arr.year).is_some();
    let built_in = Calendar::built_in_years().contains(&arr.year);
    if built_in {
        return Err(Error::field(
            "year",
            format!("{} 年的安排已内置（国务院办公厅通知），不能修改", arr.year),
        ));
    }
    if exists && !input.replace {
        return Err(Error::field(
            "year",
            format!(
                "{} 年的安排已存在；如需更正，请在该年度下点“修改”",
                arr.year
            ),
        ));
    }
    if !exists && input.replace {
        return Err(Error::field(
            "year",
            format!("{} 年尚未录入，无从修改", arr.year),
        ));
    }
    if exists {
        crate::store::calendar::delete_year(&mut tx, i64::from(arr.year)).await?;
        cal = load(&mut tx).await?;
    }
    cal.add_year(arr.clone())
        .map_err(|e| Error::field("year", e.to_string()))?;
    let last_before = cal.years().into_iter().filter(|y| *y < arr.year).max();
    let warning = match last_before {
        Some(last) if last + 1 < arr.year => Some(format!(
            "{} 年的安排尚未录入：落在该年的期限仍按法定节假日暂定计算",
            (last + 1..arr.year)
                .map(|y| y.to_string())
                .collect::<Vec<_>>()
                .join("、")
        )),
        _ => None,
    };
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
    let in_force = cal.with_provisional();
    let mut recomputed = 0;
    if let Some(hooks) = ctx.get::<YearHooks>() {
        for hook in &hooks.0 {
            recomputed += hook(ctx, &mut tx, actor, &in_force, arr.year).await?;
        }
    }
    crate::audit::record(
        &mut tx,
        actor,
        if exists {
            "calendar.update_year"
        } else {
            "calendar.add_year"
        },
        "calendar_year",
        arr.year,
        format!(
            "{} {} 年节假日安排：{} 个放假期间，{} 个调休上班日（{}）；重新计算期限 {} 个",
            if exists { "修改" } else { "录入" },
            arr.year,
            rests.len(),
            workdays.len(),
            arr.source,
            recomputed
        ),
    )
    .await?;
    tx.commit().await?;
    ctx.forget_calendar();
    Ok(Entered {
        year: arr.year,
        recomputed,
        warning,
    })
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
