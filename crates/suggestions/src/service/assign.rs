//! Assignment (交办) to handling units with statutory deadlines, a unit's
//! sending back of an item that is not its business, reassignment, and
//! approved extensions.

use crate::rules::{SuggestionEvent, SuggestionParty, SuggestionState};
use engine::rules::{
    self as tracked, AssignmentEvent, AssignmentState, Complexity, ItemState, UnitRole,
};
use engine::store::{NewAssignment, NewItem};
use kernel::roles::Permission;
use serde::Deserialize;

use super::review::as_staff;
use super::{link, party, record_step, standing, transition_error};
use app::actor::Actor;
use app::ctx::Ctx;
use app::error::{Error, Result};
use app::notify::{self, Audience};

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct UnitPart {
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub unit_id: Option<i64>,
    /// `lead`, `assisting` or `separate`.
    #[serde(default)]
    pub role: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct AssignInput {
    #[serde(default)]
    pub units: Vec<UnitPart>,
    /// `normal` (three months) or `complex` (six months, with a reason).
    #[serde(default)]
    pub complexity: String,
    #[serde(default)]
    pub complexity_reason: String,
}

struct Plan {
    parts: Vec<(i64, String, UnitRole)>,
    complexity: Complexity,
}

async fn plan(conn: &mut db::Conn, congress_id: i64, input: &AssignInput) -> Result<Plan> {
    let complexity = if input.complexity.trim().is_empty() {
        Some(Complexity::Normal)
    } else {
        Complexity::parse(&input.complexity)
    };
    let Some(complexity) = complexity else {
        return Err(Error::field("complexity", "办理期限类型不正确"));
    };
    if complexity == Complexity::Complex && input.complexity_reason.trim().chars().count() < 4 {
        return Err(Error::field(
            "complexity_reason",
            "按六个月答复须说明涉及面广或处理难度大的理由",
        ));
    }
    let mut parts = Vec::new();
    for (i, p) in input.units.iter().enumerate() {
        let Some(uid) = p.unit_id.filter(|u| *u > 0) else {
            continue;
        };
        let role = UnitRole::parse(&p.role)
            .ok_or_else(|| Error::field(&format!("role_{i}"), "请选择主办、协办或分办"))?;
        let unit = org::store::units::get(conn, uid)
            .await?
            .filter(|u| u.congress_id == congress_id && u.active == 1);
        let Some(unit) = unit else {
            return Err(Error::field(
                &format!("unit_{i}"),
                "承办单位不存在、已停用或不属于本级",
            ));
        };
        if parts.iter().any(|(id, _, _)| *id == uid) {
            return Err(Error::field(
                &format!("unit_{i}"),
                format!("“{}”重复", unit.name),
            ));
        }
        parts.push((uid, unit.name, role));
    }
    let roles: Vec<UnitRole> = parts.iter().map(|p| p.2).collect();
    tracked::check_roles(&roles).map_err(|m| Error::field("units", m))?;
    Ok(Plan { parts, complexity })
}

/// Assigns accepted suggestions to the same units (one or many at once).
pub async fn assign(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[i64],
    input: &AssignInput,
) -> Result<Vec<i64>> {
    actor.require(Permission::ManageSuggestions)?;
    let ids = super::batch_ids(ids, "请选择要交办的建议")?;
    let settings = ctx.settings().await?;
    let mut tx = ctx.db.begin().await?;
    let cal = ctx.calendar_with(&mut tx).await?;
    let today = kernel::time::today();
    let mut items = Vec::new();
    let mut notices = notify::Batch::default();
    let mut planned: Option<(i64, Plan)> = None;
    for id in &ids {
        let s = as_staff(&mut tx, actor, *id).await?;
        let state = SuggestionState::parse(&s.state).ok_or(Error::Internal)?;
        crate::rules::transition(state, SuggestionEvent::Assign, SuggestionParty::Staff)
            .map_err(transition_error)?;
        // The units are checked once per congress, not once per item.
        if planned.as_ref().is_none_or(|(c, _)| *c != s.congress_id) {
            planned = Some((s.congress_id, plan(&mut tx, s.congress_id, input).await?));
        }
        let Some((_, p)) = &planned else {
            return Err(Error::Internal);
        };
        let now = kernel::time::now_ms();
        let item = engine::store::insert_item(
            &mut tx,
            &NewItem {
                kind: "suggestion",
                congress_id: s.congress_id,
                title: &s.title,
                state: ItemState::Handling.code(),
                complexity: p.complexity.code(),
                assigned_on: &today.to_string(),
                key_supervision: s.key_supervision == 1,
                assigned_by: actor.user_id,
            },
            now,
        )
        .await?;
        let back_by =
            tracked::return_deadline(&cal, today, settings.get("unit_return_working_days"))
                .map_err(|e| Error::BadRequest(e.to_string()))?;
        let mut names = Vec::new();
        for (uid, name, role) in &p.parts {
            let due = match role {
                UnitRole::Assisting => {
                    tracked::opinion_deadline(&cal, today, settings.get("opinion_months"))
                }
                _ => tracked::reply_deadline(&cal, today, p.complexity),
            }
            .map_err(|e| Error::BadRequest(e.to_string()))?;
            let aid = engine::store::insert_assignment(
                &mut tx,
                &NewAssignment {
                    item_id: item,
                    unit_id: *uid,
                    role: role.code(),
                    state: AssignmentState::Handling.code(),
                    assigned_on: &today.to_string(),
                    due_date: &due.due.to_string(),
                    deadline_rule: &due.explain(),
                    return_by: &back_by.due.to_string(),
                },
                now,
            )
            .await?;
            record_step(
                &mut tx,
                item,
                Some(aid),
                actor,
                "交办",
                &format!("{}（{}），答复期限 {}", name, role.label(), due.due),
            )
            .await?;
            notices.add(
                Audience::Unit(*uid),
                "新的交办事项",
                format!("“{}”交由贵单位{}，期限 {}", s.title, role.label(), due.due),
                link(s.id),
            );
            names.push(format!("{name}（{}）", role.label()));
        }
        if p.complexity == Complexity::Complex {
            record_step(
                &mut tx,
                item,
                None,
                actor,
                "按六个月办理",
                input.complexity_reason.trim(),
            )
            .await?;
        }
        crate::store::suggestions::set_item(&mut tx, s.id, item, now).await?;
        notices.add(
            Audience::Deputy(s.lead_deputy_id),
            "建议已交办",
            format!("“{}”已交{}办理", s.title, names.join("、")),
            link(s.id),
        );
        app::audit::record(
            &mut tx,
            actor,
            "suggestion.assign",
            "suggestion",
            s.id,
            format!("交办 {}；{}", names.join("、"), p.complexity.label()),
        )
        .await?;
        items.push(item);
    }
    notices.send(&mut tx, super::list_link).await?;
    tx.commit().await?;
    Ok(items)
}

pub(crate) async fn load_assignment(
    conn: &mut db::Conn,
    actor: &Actor,
    assignment_id: i64,
) -> Result<(
    engine::store::AssignmentRow,
    crate::store::suggestions::SuggestionRow,
    super::Standing,
)> {
    let a = engine::store::get_assignment(conn, assignment_id)
        .await?
        .ok_or(Error::NotFound("交办事项"))?;
    let s = crate::store::suggestions::by_item(conn, a.item_id)
        .await?
        .ok_or(Error::NotFound("交办事项"))?;
    let st = standing(conn, actor, &s).await?;
    if !st.can_read() {
        return Err(Error::NotFound("交办事项"));
    }
    Ok((a, s, st))
}

/// A unit sends back an item that is not its business, with a reason, within
/// the working days the setting allows (上海规定 第十四条).
pub async fn unit_return(ctx: &Ctx, actor: &Actor, assignment_id: i64, reason: &str) -> Result<()> {
    actor.require(Permission::HandleItems)?;
    let reason = reason.trim();
    if reason.chars().count() < 4 || reason.chars().count() > 500 {
        return Err(Error::field("reason", "请说明退回理由（4 到 500 字）"));
    }
    let mut tx = ctx.db.begin().await?;
    let (a, s, st) = load_assignment(&mut tx, actor, assignment_id).await?;
    let state = AssignmentState::parse(&a.state).ok_or(Error::Internal)?;
    let role = UnitRole::parse(&a.role).ok_or(Error::Internal)?;
    tracked::transition(state, role, &AssignmentEvent::Return, party(actor, &st, &a))
        .map_err(transition_error)?;
    if kernel::time::today().to_string() > a.return_by {
        return Err(Error::Conflict(format!(
            "已超过退回期限（{}），如确需调整请与人大工作机构联系",
            a.return_by
        )));
    }
    engine::store::set_returned(&mut tx, a.id, reason, kernel::time::now_ms()).await?;
    record_step(
        &mut tx,
        a.item_id,
        Some(a.id),
        actor,
        "退回交办",
        &format!("{}：{reason}", a.unit_name),
    )
    .await?;
    notify::send(
        &mut tx,
        &[Audience::CongressStaff(s.congress_id)],
        "承办单位退回交办",
        &format!("{}退回“{}”：{reason}", a.unit_name, s.title),
        &link(s.id),
    )
    .await?;
    app::audit::record(
        &mut tx,
        actor,
        "assignment.return",
        "assignment",
        a.id,
        format!("{}退回：{reason}", a.unit_name),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Staff give a returned assignment to another unit; the history stays.
pub async fn reassign(ctx: &Ctx, actor: &Actor, assignment_id: i64, unit_id: i64) -> Result<i64> {
    actor.require(Permission::ManageSuggestions)?;
    let settings = ctx.settings().await?;
    let mut tx = ctx.db.begin().await?;
    let (a, s, st) = load_assignment(&mut tx, actor, assignment_id).await?;
    if !st.staff {
        return Err(Error::Forbidden);
    }
    if a.state != AssignmentState::Returned.code() {
        return Err(Error::Conflict("只有被退回的交办才能改交其他单位".into()));
    }
    let role = UnitRole::parse(&a.role).ok_or(Error::Internal)?;
    let unit = org::store::units::get(&mut tx, unit_id)
        .await?
        .filter(|u| u.congress_id == s.congress_id && u.active == 1)
        .ok_or_else(|| Error::field("unit_id", "承办单位不存在、已停用或不属于本级"))?;
    let others = engine::store::assignments(&mut tx, a.item_id).await?;
    if others
        .iter()
        .any(|o| o.unit_id == unit_id && o.state != AssignmentState::Returned.code())
    {
        return Err(Error::field("unit_id", "该单位已在办理此事项"));
    }
    let item = engine::store::get_item(&mut tx, a.item_id)
        .await?
        .ok_or(Error::Internal)?;
    let cal = ctx.calendar_with(&mut tx).await?;
    let today = kernel::time::today();
    let complexity = Complexity::parse(&item.complexity).unwrap_or(Complexity::Normal);
    let due = match role {
        UnitRole::Assisting => {
            tracked::opinion_deadline(&cal, today, settings.get("opinion_months"))
        }
        _ => tracked::reply_deadline(&cal, today, complexity),
    }
    .map_err(|e| Error::BadRequest(e.to_string()))?;
    let back_by = tracked::return_deadline(&cal, today, settings.get("unit_return_working_days"))
        .map_err(|e| Error::BadRequest(e.to_string()))?;
    let now = kernel::time::now_ms();
    let aid = engine::store::insert_assignment(
        &mut tx,
        &NewAssignment {
            item_id: a.item_id,
            unit_id,
            role: role.code(),
            state: AssignmentState::Handling.code(),
            assigned_on: &today.to_string(),
            due_date: &due.due.to_string(),
            deadline_rule: &due.explain(),
            return_by: &back_by.due.to_string(),
        },
        now,
    )
    .await?;
    record_step(
        &mut tx,
        a.item_id,
        Some(aid),
        actor,
        "重新交办",
        &format!(
            "{}退回后改交{}（{}），期限 {}",
            a.unit_name,
            unit.name,
            role.label(),
            due.due
        ),
    )
    .await?;
    notify::send(
        &mut tx,
        &[Audience::Unit(unit_id)],
        "新的交办事项",
        &format!("“{}”改交贵单位{}，期限 {}", s.title, role.label(), due.due),
        &link(s.id),
    )
    .await?;
    app::audit::record(
        &mut tx,
        actor,
        "assignment.reassign",
        "assignment",
        aid,
        format!("{} → {}", a.unit_name, unit.name),
    )
    .await?;
    tx.commit().await?;
    Ok(aid)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ExtensionInput {
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub extra_months: Option<i64>,
    #[serde(default)]
    pub reason: String,
}

/// An approved extension: at most three more months, counted from the
/// assignment; the deputy is told (上海规定 第十九条).
pub async fn extend(
    ctx: &Ctx,
    actor: &Actor,
    assignment_id: i64,
    input: &ExtensionInput,
) -> Result<String> {
    actor.require(Permission::ManageSuggestions)?;
    let reason = input.reason.trim();
    if reason.chars().count() < 4 {
        return Err(Error::field("reason", "请说明延期理由"));
    }
    let mut tx = ctx.db.begin().await?;
    let (a, s, st) = load_assignment(&mut tx, actor, assignment_id).await?;
    if !st.staff {
        return Err(Error::Forbidden);
    }
    if !matches!(
        a.state.as_str(),
        "handling" | "awaiting_head" | "awaiting_leader"
    ) || a.role == UnitRole::Assisting.code()
    {
        return Err(Error::Conflict(
            "只有正在办理的主办或分办事项可以延期".into(),
        ));
    }
    let item = engine::store::get_item(&mut tx, a.item_id)
        .await?
        .ok_or(Error::Internal)?;
    if item.round > 1 || item.complexity == Complexity::Complex.code() {
        return Err(Error::Conflict(
            "重办事项或已按六个月办理的事项不能再延期".into(),
        ));
    }
    if engine::store::extensions_of(&mut tx, a.id).await? > 0 {
        return Err(Error::Conflict("该事项已延期过一次".into()));
    }
    let cal = ctx.calendar_with(&mut tx).await?;
    let start = kernel::calendar::parse_date(&a.assigned_on).map_err(|_| Error::Internal)?;
    let extra = input.extra_months.unwrap_or(0);
    let d = tracked::extended_deadline(&cal, start, extra)
        .map_err(|e| Error::field("extra_months", e.to_string()))?;
    let now = kernel::time::now_ms();
    let new_due = d.due.to_string();
    engine::store::insert_extension(
        &mut tx,
        a.item_id,
        a.id,
        extra,
        reason,
        &a.due_date,
        &new_due,
        actor.user_id,
        now,
    )
    .await?;
    engine::store::set_deadline(
        &mut tx,
        a.id,
        &new_due,
        &format!("经批准延期 {extra} 个月：{}", d.explain()),
        now,
    )
    .await?;
    record_step(
        &mut tx,
        a.item_id,
        Some(a.id),
        actor,
        "批准延期",
        &format!("{}：{} → {}；{reason}", a.unit_name, a.due_date, new_due),
    )
    .await?;
    let text = format!("“{}”的答复期限延至 {new_due}：{reason}", s.title);
    notify::send(
        &mut tx,
        &[
            Audience::Deputy(s.lead_deputy_id),
            Audience::Unit(a.unit_id),
        ],
        "答复期限延期",
        &text,
        &link(s.id),
    )
    .await?;
    app::audit::record(
        &mut tx,
        actor,
        "assignment.extend",
        "assignment",
        a.id,
        text,
    )
    .await?;
    tx.commit().await?;
    Ok(new_due)
}

/// The suggestion of an item, for links.
pub async fn suggestion_of_item(ctx: &Ctx, item_id: i64) -> Result<i64> {
    let mut c = ctx.db.read().await?;
    Ok(crate::store::suggestions::by_item(&mut c, item_id)
        .await?
        .ok_or(Error::NotFound("建议"))?
        .id)
}
