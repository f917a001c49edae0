//! The bodies of a congress that act between its sessions, and who sits on
//! them when. See `kernel::bodies` for which kinds a congress of each level
//! has. Memberships are dated and never deleted: ending one keeps it, with
//! its reason, so "who could attend on that day" stays answerable.

use kernel::bodies::{BodyKind, BodyPosition};
use kernel::calendar::parse_date;
use kernel::org::CongressLevel;
use kernel::roles::Permission;
use serde::Deserialize;

use app::actor::Actor;
use app::ctx::Ctx;
use app::error::{Error, Result};
use app::validate::Check;

use crate::store::bodies::{self as store, BodyRow, MemberRow, NewMember};

/// A correction of a membership entered wrongly.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct CorrectionInput {
    /// chair, vice_chair, secretary_general or member.
    #[serde(default)]
    #[schema(required = true)]
    pub position: String,
    #[serde(default)]
    #[schema(required = true, format = Date)]
    pub from_date: String,
    /// Empty while serving.
    #[serde(default)]
    pub to_date: String,
    /// Required with a last day.
    #[serde(default)]
    #[schema(max_length = 100)]
    pub end_reason: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct BodyInput {
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub congress_id: Option<i64>,
    /// standing_committee, chairmen_council, special_committee,
    /// working_committee, street_committee or presidium.
    #[serde(default)]
    pub kind: String,
    /// E.g. 县人大常委会, 代表工作委员会, 城关街道工作委员会.
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 60)]
    pub name: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct MemberInput {
    /// A deputy on the roster; else `name` names the member.
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub deputy_id: Option<i64>,
    #[serde(default)]
    #[schema(max_length = 40)]
    pub name: String,
    /// chair, vice_chair, secretary_general or member.
    #[serde(default)]
    pub position: String,
    /// YYYY-MM-DD, the first day of the membership.
    #[serde(default)]
    pub from_date: String,
    /// YYYY-MM-DD, the last day, when already known.
    #[serde(default)]
    pub to_date: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct EndInput {
    /// YYYY-MM-DD, the last day of the membership.
    #[serde(default)]
    pub to_date: String,
    /// E.g. 任期届满, 辞职, 调离.
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 100)]
    pub reason: String,
}

/// A body with its members, the serving first.
#[derive(Debug, Clone)]
pub struct BodyDetail {
    pub body: BodyRow,
    pub congress_name: String,
    pub members: Vec<MemberRow>,
}

/// A membership's place and period, checked for a body of `kind`.
struct Place {
    position: Option<BodyPosition>,
    from: Option<jiff::civil::Date>,
    to: Option<jiff::civil::Date>,
}

fn check_place(check: &mut Check, kind: BodyKind, position: &str, from: &str, to: &str) -> Place {
    let position = BodyPosition::parse(position);
    match position {
        None => check.add("position", "请选择职务"),
        Some(p) if !p.allowed_in(kind) => {
            check.add("position", format!("{}不设{}", kind.label(), p.label()));
        }
        Some(_) => {}
    }
    let from = if from.trim().is_empty() {
        check.add("from_date", "请填写任职日期");
        None
    } else {
        check.take("from_date", parse_date(from).map_err(|e| e.to_string()))
    };
    let to = if to.trim().is_empty() {
        None
    } else {
        check.take("to_date", parse_date(to).map_err(|e| e.to_string()))
    };
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        check.add("to_date", "离任日期不能早于任职日期");
    }
    Place { position, from, to }
}

/// A membership and its body, if the actor may see the body.
async fn visible_member(
    conn: &mut db::Conn,
    actor: &Actor,
    member: i64,
    today: &str,
) -> Result<(MemberRow, BodyRow)> {
    let m = store::get_member(conn, member)
        .await?
        .ok_or(Error::NotFound("任职记录"))?;
    let body = visible_body(conn, actor, m.body_id, today)
        .await
        .map_err(|_| Error::NotFound("任职记录"))?;
    Ok((m, body))
}

async fn visible_body(conn: &mut db::Conn, actor: &Actor, id: i64, today: &str) -> Result<BodyRow> {
    let body = store::get(conn, id, today)
        .await?
        .ok_or(Error::NotFound("机构"))?;
    crate::service::congresses::visible(conn, actor, body.congress_id)
        .await
        .map_err(|_| Error::NotFound("机构"))?;
    Ok(body)
}

#[tracing::instrument(name = "org::bodies::create", skip_all, fields(actor = %actor.username))]
pub async fn create(ctx: &Ctx, actor: &Actor, input: &BodyInput) -> Result<i64> {
    actor.require(Permission::ManageOrganisation)?;
    let mut check = Check::new();
    let name = check.text("name", "名称", &input.name, 60);
    let kind = BodyKind::parse(&input.kind);
    if kind.is_none() {
        check.add("kind", "请选择机构类别");
    }
    let mut tx = ctx.begin().await?;
    let congress = match input.congress_id.filter(|v| *v > 0) {
        None => {
            check.add("congress_id", "请选择所属人大");
            None
        }
        Some(id) => match crate::service::congresses::visible(&mut tx, actor, id).await {
            Ok(c) => Some(c),
            Err(_) => {
                check.add("congress_id", "所属人大不存在");
                None
            }
        },
    };
    if let (Some(kind), Some(c)) = (kind, &congress) {
        if let Some(level) = CongressLevel::parse(&c.level)
            && let Some(why) = kind.refusal_at(level)
        {
            check.add("kind", why);
        } else if kind.one_per_congress()
            && store::find_kind(&mut tx, c.id, kind.code())
                .await?
                .is_some()
        {
            check.add(
                "kind",
                format!("{}已有{}，不能再设一个", c.name, kind.label()),
            );
        }
    }
    if let Some(c) = &congress
        && !name.is_empty()
        && store::find_name(&mut tx, c.id, &name).await?.is_some()
    {
        check.add("name", format!("{}已有名为“{name}”的机构", c.name));
    }
    check.finish()?;
    let (Some(kind), Some(congress)) = (kind, congress) else {
        return Err(Error::internal(
            "checked body input without kind or congress",
        ));
    };
    let id = store::insert(&mut tx, congress.id, kind.code(), &name, ctx.now_ms()).await?;
    app::audit::record(
        &mut tx,
        actor,
        "body.create",
        "body",
        id,
        format!("{} 设立{}：{name}", congress.name, kind.label()),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The bodies of the congresses the actor may see (or of one of them).
#[tracing::instrument(name = "org::bodies::list", skip_all, fields(actor = %actor.username))]
pub async fn list(ctx: &Ctx, actor: &Actor, congress_id: Option<i64>) -> Result<Vec<BodyRow>> {
    actor.require(Permission::ViewOrganisation)?;
    let mut c = ctx.db.read().await?;
    let ids: Vec<i64> = match congress_id.filter(|v| *v > 0) {
        Some(id) => vec![
            crate::service::congresses::visible(&mut c, actor, id)
                .await?
                .id,
        ],
        None => crate::service::congresses::list(ctx, actor)
            .await?
            .into_iter()
            .map(|r| r.id)
            .collect(),
    };
    Ok(store::list(&mut c, &ids, &ctx.today().to_string()).await?)
}

#[tracing::instrument(name = "org::bodies::detail", skip_all, fields(actor = %actor.username, id))]
pub async fn detail(ctx: &Ctx, actor: &Actor, id: i64) -> Result<BodyDetail> {
    actor.require(Permission::ViewOrganisation)?;
    let mut c = ctx.db.read().await?;
    let body = visible_body(&mut c, actor, id, &ctx.today().to_string()).await?;
    let congress_name = crate::store::congresses::get(&mut c, body.congress_id)
        .await?
        .map(|r| r.name)
        .unwrap_or_default();
    let members = store::members(&mut c, id).await?;
    Ok(BodyDetail {
        body,
        congress_name,
        members,
    })
}

/// Who sat on the body on `date` (YYYY-MM-DD): those a meeting that day
/// could expect, and no one else.
#[tracing::instrument(name = "org::bodies::members_on", skip_all, fields(actor = %actor.username, id))]
pub async fn members_on(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    date: &str,
) -> Result<(BodyRow, Vec<MemberRow>)> {
    actor.require(Permission::ViewOrganisation)?;
    let day = parse_date(date).map_err(|e| Error::field("on", e.to_string()))?;
    let mut c = ctx.db.read().await?;
    let body = visible_body(&mut c, actor, id, &ctx.today().to_string()).await?;
    let members = store::members_on(&mut c, id, &day.to_string()).await?;
    Ok((body, members))
}

#[tracing::instrument(name = "org::bodies::add_member", skip_all, fields(actor = %actor.username, id))]
pub async fn add_member(ctx: &Ctx, actor: &Actor, id: i64, input: &MemberInput) -> Result<i64> {
    actor.require(Permission::ManageOrganisation)?;
    let mut tx = ctx.begin().await?;
    let body = visible_body(&mut tx, actor, id, &ctx.today().to_string()).await?;
    let kind = BodyKind::parse(&body.kind).unwrap_or(BodyKind::WorkingCommittee);
    let mut check = Check::new();
    let deputy = match input.deputy_id.filter(|v| *v > 0) {
        Some(d) => match crate::store::deputies::get(&mut tx, d).await? {
            Some(row) => Some(row),
            None => {
                check.add("deputy_id", "代表不存在");
                None
            }
        },
        None => None,
    };
    let name = match &deputy {
        Some(d) => {
            let typed = input.name.trim();
            if !typed.is_empty() && typed != d.name {
                check.add(
                    "name",
                    format!(
                        "已选代表{}，姓名不必再填；要录入“{typed}”请不选代表",
                        d.name
                    ),
                );
            }
            d.name.clone()
        }
        None => check.text("name", "姓名", &input.name, 40),
    };
    let Place { position, from, to } = check_place(
        &mut check,
        kind,
        &input.position,
        &input.from_date,
        &input.to_date,
    );
    if let Some(f) = from
        && !name.is_empty()
        && store::overlapping(
            &mut tx,
            id,
            deputy.as_ref().map(|d| d.id),
            &name,
            &store::Period {
                from: &f.to_string(),
                to: to.map(|t| t.to_string()).as_deref(),
                except: None,
            },
        )
        .await?
    {
        check.add(
            "from_date",
            format!("{name}在这段时间已是{}成员", body.name),
        );
    }
    check.finish()?;
    let (Some(position), Some(from)) = (position, from) else {
        return Err(Error::internal(
            "checked member input without position or date",
        ));
    };
    let member = store::insert_member(
        &mut tx,
        &NewMember {
            body_id: id,
            deputy_id: deputy.as_ref().map(|d| d.id),
            name: &name,
            position: position.code(),
            from_date: &from.to_string(),
            to_date: to.map(|t| t.to_string()).as_deref(),
        },
        ctx.now_ms(),
    )
    .await?;
    app::audit::record(
        &mut tx,
        actor,
        "body.add_member",
        "body",
        id,
        format!(
            "{}：{name} 任{}，自 {from}",
            body.name,
            position.label_in(kind)
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(member)
}

/// Ends a membership; returns the body's id and the member's name.
#[tracing::instrument(name = "org::bodies::end_member", skip_all, fields(actor = %actor.username, member))]
pub async fn end_member(
    ctx: &Ctx,
    actor: &Actor,
    member: i64,
    input: &EndInput,
) -> Result<(i64, String)> {
    actor.require(Permission::ManageOrganisation)?;
    let mut tx = ctx.begin().await?;
    let (m, body) = visible_member(&mut tx, actor, member, &ctx.today().to_string()).await?;
    if m.to_date.is_some() {
        return Err(Error::Conflict(format!("{}的这段任职已经结束", m.name)));
    }
    let mut check = Check::new();
    let to = if input.to_date.trim().is_empty() {
        check.add("to_date", "请填写离任日期");
        None
    } else {
        check.take(
            "to_date",
            parse_date(&input.to_date).map_err(|e| e.to_string()),
        )
    };
    if let Some(t) = to
        && t.to_string() < m.from_date
    {
        check.add(
            "to_date",
            format!("离任日期不能早于任职日期 {}", m.from_date),
        );
    }
    let reason = check.text("reason", "离任原因", &input.reason, 100);
    check.finish()?;
    let Some(to) = to else {
        return Err(Error::internal("checked end without a date"));
    };
    store::end_member(&mut tx, member, &to.to_string(), &reason, ctx.now_ms()).await?;
    app::audit::record(
        &mut tx,
        actor,
        "body.end_member",
        "body",
        m.body_id,
        format!("{}：{} 于 {to} 离任（{reason}）", body.name, m.name),
    )
    .await?;
    tx.commit().await?;
    Ok((m.body_id, m.name))
}

/// One membership, for its correction form.
pub async fn member(ctx: &Ctx, actor: &Actor, member: i64) -> Result<(MemberRow, BodyRow)> {
    actor.require(Permission::ManageOrganisation)?;
    let mut c = ctx.db.read().await?;
    visible_member(&mut c, actor, member, &ctx.today().to_string()).await
}

/// Corrects a membership entered wrongly: its place, dates and reason. The
/// audit record keeps what it said before.
#[tracing::instrument(name = "org::bodies::correct_member", skip_all, fields(actor = %actor.username, member))]
pub async fn correct_member(
    ctx: &Ctx,
    actor: &Actor,
    member: i64,
    input: &CorrectionInput,
) -> Result<i64> {
    actor.require(Permission::ManageOrganisation)?;
    let mut tx = ctx.begin().await?;
    let (m, body) = visible_member(&mut tx, actor, member, &ctx.today().to_string()).await?;
    let kind = BodyKind::parse(&body.kind).unwrap_or(BodyKind::WorkingCommittee);
    let mut check = Check::new();
    let Place { position, from, to } = check_place(
        &mut check,
        kind,
        &input.position,
        &input.from_date,
        &input.to_date,
    );
    let reason = if to.is_some() {
        check.text("end_reason", "离任原因", &input.end_reason, 100)
    } else {
        String::new()
    };
    if let Some(f) = from
        && store::overlapping(
            &mut tx,
            m.body_id,
            m.deputy_id,
            &m.name,
            &store::Period {
                from: &f.to_string(),
                to: to.map(|t| t.to_string()).as_deref(),
                except: Some(m.id),
            },
        )
        .await?
    {
        check.add(
            "from_date",
            format!("{}在这段时间另有一段{}任职", m.name, body.name),
        );
    }
    check.finish()?;
    let (Some(position), Some(from)) = (position, from) else {
        return Err(Error::internal(
            "checked correction without position or date",
        ));
    };
    let was = format!(
        "{} {}–{}{}",
        BodyPosition::parse(&m.position).map_or(m.position.as_str(), |p| p.label_in(kind)),
        m.from_date,
        m.to_date.as_deref().unwrap_or("今"),
        if m.end_reason.is_empty() {
            String::new()
        } else {
            format!("（{}）", m.end_reason)
        }
    );
    let now = MemberRow {
        position: position.code().to_string(),
        from_date: from.to_string(),
        to_date: to.map(|t| t.to_string()),
        end_reason: reason.clone(),
        ..m.clone()
    };
    store::correct_member(&mut tx, &now, ctx.now_ms()).await?;
    app::audit::record(
        &mut tx,
        actor,
        "body.correct_member",
        "body",
        m.body_id,
        format!(
            "{}：更正 {} 的任职，原为 {was}，现为 {} {}–{}{}",
            body.name,
            m.name,
            position.label_in(kind),
            now.from_date,
            now.to_date.as_deref().unwrap_or("今"),
            if reason.is_empty() {
                String::new()
            } else {
                format!("（{reason}）")
            }
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(m.body_id)
}
