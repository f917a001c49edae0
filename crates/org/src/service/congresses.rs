//! Congresses of five levels, their terms and sessions.

use crate::store::congresses::{CongressRow, SessionRow, TermRow};
use kernel::calendar::parse_date;
use kernel::org::CongressLevel;
use kernel::roles::Permission;
use serde::Deserialize;

use app::actor::Actor;
use app::ctx::Ctx;
use app::error::{Error, Result};
use app::validate::Check;

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct CongressInput {
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 60)]
    pub name: String,
    #[serde(default)]
    #[schema(required = true)]
    pub level: String,
    #[serde(default)]
    pub region_code: Option<String>,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub parent_id: Option<i64>,
}

#[tracing::instrument(name = "org::congresses::create", skip_all, fields(actor = %actor.username))]
pub async fn create(ctx: &Ctx, actor: &Actor, input: &CongressInput) -> Result<i64> {
    actor.require(Permission::ManageOrganisation)?;
    let mut check = Check::new();
    let name = check.text("name", "名称", &input.name, 60);
    let level = CongressLevel::parse(&input.level);
    if level.is_none() {
        check.add("level", "请选择人大层级");
    }
    let mut tx = ctx.begin().await?;
    let region_code = input
        .region_code
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let Some(level) = level {
        match (level.region_level(), region_code) {
            (None, Some(_)) => check.add("region_code", "全国人大不关联行政区划"),
            (Some(_), None) => check.add("region_code", "请选择行政区划"),
            (Some(want), Some(code)) => match crate::store::regions::get(&mut tx, code).await? {
                None => check.add("region_code", "行政区划不存在"),
                Some(r) if r.level != want.code() => check.add(
                    "region_code",
                    format!("{}人大应关联{}行政区划", level.label(), want.label()),
                ),
                Some(_) => {}
            },
            (None, None) => {}
        }
    }
    let parent = match input.parent_id.filter(|v| *v > 0) {
        Some(pid) => match crate::store::congresses::get(&mut tx, pid).await? {
            None => {
                check.add("parent_id", "上级人大不存在");
                None
            }
            Some(p) => {
                if let Some(level) = level
                    && level.parent().map(CongressLevel::code) != Some(p.level.as_str())
                {
                    check.add(
                        "parent_id",
                        format!(
                            "{}人大的上级应为{}人大",
                            level.label(),
                            level.parent().map(|l| l.label()).unwrap_or("无")
                        ),
                    );
                }
                Some(p)
            }
        },
        None => None,
    };
    if crate::store::congresses::find_by_name(&mut tx, &name)
        .await?
        .is_some()
    {
        check.add("name", "同名的人大已存在");
    }
    check.finish()?;
    let Some(level) = level else {
        return Err(Error::internal(
            "a checked value went missing after validation",
        ));
    };
    let id = crate::store::congresses::insert(
        &mut tx,
        &name,
        level.code(),
        region_code,
        parent.as_ref(),
        ctx.now_ms(),
    )
    .await?;
    app::audit::record(
        &mut tx,
        actor,
        "congress.create",
        "congress",
        id,
        format!("{name}（{}）", level.label()),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

#[tracing::instrument(name = "org::congresses::rename", skip_all, fields(actor = %actor.username, id))]
pub async fn rename(ctx: &Ctx, actor: &Actor, id: i64, name: &str) -> Result<()> {
    actor.require(Permission::ManageOrganisation)?;
    let mut check = Check::new();
    let name = check.text("name", "名称", name, 60);
    check.finish()?;
    let mut tx = ctx.begin().await?;
    let before = visible(&mut tx, actor, id).await?;
    if let Some(other) = crate::store::congresses::find_by_name(&mut tx, &name).await?
        && other.id != id
    {
        return Err(Error::field("name", "同名的人大已存在"));
    }
    crate::store::congresses::rename(&mut tx, id, &name, ctx.now_ms()).await?;
    app::audit::record(
        &mut tx,
        actor,
        "congress.rename",
        "congress",
        id,
        format!("{} → {name}", before.name),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(crate) async fn visible(conn: &mut db::Conn, actor: &Actor, id: i64) -> Result<CongressRow> {
    let row = crate::store::congresses::get(conn, id)
        .await?
        .ok_or(Error::NotFound("人大"))?;
    match crate::scope::visible_congresses(conn, actor).await? {
        Some(ids) if !ids.contains(&id) => Err(Error::NotFound("人大")),
        _ => Ok(row),
    }
}

/// The congresses the actor may see.
#[tracing::instrument(name = "org::congresses::list", skip_all, fields(actor = %actor.username))]
pub async fn list(ctx: &Ctx, actor: &Actor) -> Result<Vec<CongressRow>> {
    actor.require(Permission::ViewOrganisation)?;
    let mut c = ctx.db.read().await?;
    let all = crate::store::congresses::all(&mut c).await?;
    Ok(
        match crate::scope::visible_congresses(&mut c, actor).await? {
            None => all,
            Some(ids) => all.into_iter().filter(|r| ids.contains(&r.id)).collect(),
        },
    )
}

#[derive(Debug, Clone)]
pub struct TermWithSessions {
    pub term: TermRow,
    pub sessions: Vec<SessionRow>,
}

#[derive(Debug, Clone)]
pub struct CongressDetail {
    pub congress: CongressRow,
    pub parent: Option<CongressRow>,
    pub terms: Vec<TermWithSessions>,
}

#[tracing::instrument(name = "org::congresses::detail", skip_all, fields(actor = %actor.username, id))]
pub async fn detail(ctx: &Ctx, actor: &Actor, id: i64) -> Result<CongressDetail> {
    actor.require(Permission::ViewOrganisation)?;
    let mut c = ctx.db.read().await?;
    let congress = visible(&mut c, actor, id).await?;
    let parent = match congress.parent_id {
        Some(p) => crate::store::congresses::get(&mut c, p).await?,
        None => None,
    };
    let mut terms = Vec::new();
    for t in crate::store::congresses::terms(&mut c, id).await? {
        let sessions = crate::store::congresses::sessions(&mut c, t.id).await?;
        terms.push(TermWithSessions { term: t, sessions });
    }
    Ok(CongressDetail {
        congress,
        parent,
        terms,
    })
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct PeriodInput {
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub number: Option<i64>,
    #[serde(default)]
    #[schema(required = true, format = Date)]
    pub start_date: String,
    #[serde(default)]
    #[schema(required = true, format = Date)]
    pub end_date: String,
}

fn check_period(
    check: &mut Check,
    input: &PeriodInput,
    what: &str,
    max_number: i64,
) -> Option<(i64, String, String)> {
    let number = match input.number {
        Some(n) if (1..=max_number).contains(&n) => Some(n),
        _ => {
            check.add("number", format!("{what}应为 1 到 {max_number} 之间的整数"));
            None
        }
    };
    let start = check.take(
        "start_date",
        parse_date(&input.start_date).map_err(|e| format!("开始日期：{e}")),
    );
    let end = check.take(
        "end_date",
        parse_date(&input.end_date).map_err(|e| format!("结束日期：{e}")),
    );
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        check.add("end_date", "结束日期不能早于开始日期");
    }
    Some((number?, start?.to_string(), end?.to_string()))
}

/// A term (届). Its length is five years (宪法 第九十八条); a new term starts
/// when the previous one ends, so dates may differ by a few weeks, not years.
#[tracing::instrument(name = "org::congresses::add_term", skip_all, fields(actor = %actor.username))]
pub async fn add_term(
    ctx: &Ctx,
    actor: &Actor,
    congress_id: i64,
    input: &PeriodInput,
) -> Result<i64> {
    actor.require(Permission::ManageOrganisation)?;
    let mut check = Check::new();
    let parsed = check_period(&mut check, input, "届次", 99);
    if let Some((_, s, e)) = &parsed
        && let (Ok(s), Ok(e)) = (parse_date(s), parse_date(e))
    {
        let years = i64::from(e.year()) - i64::from(s.year());
        if !(4..=6).contains(&years) {
            check.add("end_date", "每届任期为五年，请核对起止日期");
        }
    }
    let mut tx = ctx.begin().await?;
    let congress = visible(&mut tx, actor, congress_id).await?;
    if let Some((n, _, _)) = &parsed
        && crate::store::congresses::find_term(&mut tx, congress_id, *n)
            .await?
            .is_some()
    {
        check.add("number", format!("第 {n} 届已存在"));
    }
    check.finish()?;
    let Some((n, s, e)) = parsed else {
        return Err(Error::internal(
            "a checked value went missing after validation",
        ));
    };
    let id = crate::store::congresses::insert_term(&mut tx, congress_id, n, &s, &e, ctx.now_ms())
        .await?;
    app::audit::record(
        &mut tx,
        actor,
        "term.create",
        "term",
        id,
        format!("{} 第{n}届（{s} 至 {e}）", congress.name),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

#[tracing::instrument(name = "org::congresses::add_session", skip_all, fields(actor = %actor.username))]
pub async fn add_session(
    ctx: &Ctx,
    actor: &Actor,
    term_id: i64,
    input: &PeriodInput,
) -> Result<i64> {
    actor.require(Permission::ManageOrganisation)?;
    let mut check = Check::new();
    let parsed = check_period(&mut check, input, "会议次数", 30);
    let mut tx = ctx.begin().await?;
    let term = crate::store::congresses::get_term(&mut tx, term_id)
        .await?
        .ok_or(Error::NotFound("届次"))?;
    let congress = visible(&mut tx, actor, term.congress_id).await?;
    if let Some((n, s, e)) = &parsed {
        if s.as_str() < term.start_date.as_str() || e.as_str() > term.end_date.as_str() {
            check.add(
                "start_date",
                format!(
                    "会议日期应在本届任期（{} 至 {}）内",
                    term.start_date, term.end_date
                ),
            );
        }
        if crate::store::congresses::sessions(&mut tx, term_id)
            .await?
            .iter()
            .any(|x| x.number == *n)
        {
            check.add("number", format!("第 {n} 次会议已存在"));
        }
    }
    check.finish()?;
    let Some((n, s, e)) = parsed else {
        return Err(Error::internal(
            "a checked value went missing after validation",
        ));
    };
    let id =
        crate::store::congresses::insert_session(&mut tx, term_id, n, &s, &e, ctx.now_ms()).await?;
    app::audit::record(
        &mut tx,
        actor,
        "session.create",
        "congress_session",
        id,
        format!(
            "{} 第{}届第{n}次会议（{s} 至 {e}）",
            congress.name, term.number
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Terms of the congresses the actor sees, for menus.
#[tracing::instrument(name = "org::congresses::terms_for_menus", skip_all, fields(actor = %actor.username))]
pub async fn terms_for_menus(ctx: &Ctx, actor: &Actor) -> Result<Vec<(TermRow, String)>> {
    let congresses = list(ctx, actor).await?;
    let mut c = ctx.db.read().await?;
    let terms = crate::store::congresses::all_terms(&mut c).await?;
    Ok(terms
        .into_iter()
        .filter_map(|t| {
            congresses.iter().find(|c| c.id == t.congress_id).map(|c| {
                let label = format!("{} 第{}届", c.name, t.number);
                (t, label)
            })
        })
        .collect())
}
