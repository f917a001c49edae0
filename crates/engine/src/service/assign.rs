//! Assignment (交办) of an item to handling units with its kind's deadlines,
//! a unit's sending back of an item that is not its business, reassignment,
//! and approved extensions.

use app::notify::{self, Audience, Batch};
use app::settings::Settings;
use app::{Actor, Ctx, Error, Result};
use db::Tx;
use jiff::civil::Date;
use kernel::calendar::Calendar;
use serde::Deserialize;

use super::{load_assignment, party, record_step, stored, transition_error};
use crate::kind::{Kind, Notice, require_some};
use crate::rules::{
    self, AssignmentEvent, AssignmentState, Basis, ItemState, KindRules, UnitRole, Variant,
};
use crate::store::{ItemRow, NewAssignment, NewDeadline, NewItem};

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
    /// `normal`, or `complex` for the kind's longer deadline (with a reason).
    #[serde(default)]
    pub complexity: String,
    #[serde(default)]
    pub complexity_reason: String,
}

/// The checked units and deadline of an assignment, reusable for every item
/// of one congress in a batch.
pub struct Plan {
    parts: Vec<(i64, String, UnitRole)>,
    variant: Variant,
    reason: String,
}

/// Checks the units (active, of the congress, each once, with valid roles)
/// and the deadline variant.
pub async fn plan(
    conn: &mut db::Conn,
    rules: &KindRules,
    congress_id: i64,
    input: &AssignInput,
) -> Result<Plan> {
    let variant = if input.complexity.trim().is_empty() {
        Some(Variant::Normal)
    } else {
        Variant::parse(&input.complexity)
    };
    let variant = match variant {
        Some(Variant::Complex) if rules.complex_reply.is_none() => None,
        v => v,
    };
    let Some(variant) = variant else {
        return Err(Error::field("complexity", "办理期限类型不正确"));
    };
    let reason = input.complexity_reason.trim();
    if let (Variant::Complex, Some(c)) = (variant, rules.complex_reply)
        && reason.chars().count() < 4
    {
        return Err(Error::field(
            "complexity_reason",
            format!("按“{}”办理须说明理由", c.label),
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
    rules::check_roles(&roles).map_err(|m| Error::field("units", m))?;
    Ok(Plan {
        parts,
        variant,
        reason: reason.to_string(),
    })
}

/// What a capability says about the subject it opens an item for.
pub struct Subject<'a> {
    pub id: i64,
    pub congress_id: i64,
    pub title: &'a str,
    /// The subject's page.
    pub link: String,
    /// Who proposed it ("deputy", "voter", …) and their id there.
    pub proposer_kind: &'a str,
    pub proposer_id: Option<i64>,
}

/// The calendar, settings and day an assignment is computed with.
pub struct Clock<'a> {
    pub cal: &'a Calendar,
    pub settings: &'a Settings,
    pub today: Date,
}

/// One unit's assignment, with the deadline its role and the item's variant
/// give; returns its id and due date.
async fn assign_unit(
    tx: &mut Tx,
    rules: &KindRules,
    clock: &Clock<'_>,
    item_id: i64,
    unit_id: i64,
    role: UnitRole,
    variant: Variant,
) -> Result<(i64, Date, bool)> {
    let setting = |k: &str| clock.settings.get(k);
    let due_period = match role {
        UnitRole::Assisting => rules.opinion.period.resolve(setting),
        _ => rules.reply_rule(variant).period.resolve(setting),
    };
    let due_basis = Basis {
        start: clock.today,
        period: due_period,
    };
    let return_basis = Basis {
        start: clock.today,
        period: rules.return_window.period.resolve(setting),
    };
    let due = due_basis
        .compute(clock.cal)
        .map_err(|e| Error::BadRequest(e.to_string()))?;
    let back_by = return_basis
        .compute(clock.cal)
        .map_err(|e| Error::BadRequest(e.to_string()))?;
    let today = clock.today.to_string();
    let at = tx.at();
    let id = crate::store::insert_assignment(
        tx,
        &NewAssignment {
            item_id,
            unit_id,
            role: role.code(),
            state: AssignmentState::Handling.code(),
            assigned_on: &today,
            due_date: &due.due.to_string(),
            deadline_rule: &due.explain(),
            return_by: &back_by.due.to_string(),
            provisional: due.is_provisional() || back_by.is_provisional(),
            due_basis: &due_basis.code(),
            return_basis: &return_basis.code(),
        },
        at,
    )
    .await?;
    Ok((id, due.due, due.is_provisional()))
}

/// Opens an item for a subject and assigns it to the planned units, in the
/// caller's transaction; the units' and the proposer's notices go into
/// `notices`. Returns the item's id and the units as the record names them.
#[tracing::instrument(name = "engine::assign::open", skip_all, fields(actor = %actor.username))]
pub async fn open(
    tx: &mut Tx,
    actor: &Actor,
    kind: &dyn Kind,
    clock: &Clock<'_>,
    subject: &Subject<'_>,
    plan: &Plan,
    notices: &mut Batch,
) -> Result<(i64, Vec<String>)> {
    let rules = kind.rules();
    let now = tx.at();
    let today = clock.today.to_string();
    let item_id = crate::store::insert_item(
        tx,
        &NewItem {
            kind: rules.kind,
            subject_id: subject.id,
            congress_id: subject.congress_id,
            title: subject.title,
            link: &subject.link,
            proposer_kind: subject.proposer_kind,
            proposer_id: subject.proposer_id,
            state: ItemState::Handling.code(),
            deadline_variant: plan.variant.code(),
            assigned_on: &today,
            assigned_by: actor.user_id,
        },
        now,
    )
    .await?;
    let mut names = Vec::new();
    for (uid, name, role) in &plan.parts {
        let (aid, due, provisional) =
            assign_unit(tx, rules, clock, item_id, *uid, *role, plan.variant).await?;
        let mark = if provisional { "（暂定）" } else { "" };
        record_step(
            tx,
            item_id,
            Some(aid),
            actor,
            "交办",
            &format!("{}（{}），答复期限 {due}{mark}", name, role.label()),
        )
        .await?;
        notices.add(
            Audience::Unit(*uid),
            "新的交办事项",
            format!(
                "“{}”交由贵单位{}，期限 {due}{mark}",
                subject.title,
                role.label()
            ),
            subject.link.clone(),
        );
        names.push(format!("{name}（{}）", role.label()));
    }
    if let (Variant::Complex, Some(c)) = (plan.variant, rules.complex_reply) {
        record_step(
            tx,
            item_id,
            None,
            actor,
            &format!("按{}办理", c.label),
            &plan.reason,
        )
        .await?;
    }
    let item = crate::store::get_item(tx, item_id)
        .await?
        .ok_or_else(|| Error::internal("the item just opened is not there"))?;
    let (title, body) = kind.notice(Notice::Assigned, &item, &names.join("、"));
    for to in kind.proposer_audience(&item) {
        notices.add(to, &title, body.clone(), item.link.clone());
    }
    Ok((item_id, names))
}

/// A unit sends back an item that is not its business, with a reason, within
/// the window its kind allows.
#[tracing::instrument(name = "engine::assign::unit_return", skip_all, fields(actor = %actor.username, assignment_id))]
pub async fn unit_return(ctx: &Ctx, actor: &Actor, assignment_id: i64, reason: &str) -> Result<()> {
    require_some(ctx, actor, |p| p.handle)?;
    let reason = reason.trim();
    if reason.chars().count() < 4 || reason.chars().count() > 500 {
        return Err(Error::field("reason", "请说明退回理由（4 到 500 字）"));
    }
    let mut tx = ctx.begin().await?;
    let (a, l) = load_assignment(ctx, &mut tx, actor, assignment_id).await?;
    actor.require(l.kind.rules().permissions.handle)?;
    let state = stored(AssignmentState::parse, &a.state, "assignment state")?;
    let role = stored(UnitRole::parse, &a.role, "unit role")?;
    rules::transition(
        state,
        role,
        &AssignmentEvent::Return,
        party(actor, &l.standing, &a),
        l.kind.rules().signoff,
    )
    .map_err(transition_error)?;
    if ctx.today().to_string() > a.return_by {
        let cite = l.kind.rules().return_window.cite;
        let cite = cite.text(&ctx.settings().await?.local);
        return Err(Error::Conflict(format!(
            "已超过退回期限（{}{}），如确需调整请与人大工作机构联系",
            a.return_by,
            cite.map(|c| format!("，{c}")).unwrap_or_default()
        )));
    }
    crate::store::set_returned(&mut tx, a.id, reason, ctx.now_ms()).await?;
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
        &[Audience::CongressStaff(l.item.congress_id)],
        "承办单位退回交办",
        &format!("{}退回“{}”：{reason}", a.unit_name, l.item.title),
        &l.item.link,
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
#[tracing::instrument(name = "engine::assign::reassign", skip_all, fields(actor = %actor.username, assignment_id))]
pub async fn reassign(ctx: &Ctx, actor: &Actor, assignment_id: i64, unit_id: i64) -> Result<i64> {
    require_some(ctx, actor, |p| p.manage)?;
    let settings = ctx.settings().await?;
    let mut tx = ctx.begin().await?;
    let (a, l) = load_assignment(ctx, &mut tx, actor, assignment_id).await?;
    let rules = l.kind.rules();
    actor.require(rules.permissions.manage)?;
    if !l.standing.staff {
        return Err(Error::Forbidden);
    }
    if a.state != AssignmentState::Returned.code() {
        return Err(Error::Conflict("只有被退回的交办才能改交其他单位".into()));
    }
    let role = stored(UnitRole::parse, &a.role, "unit role")?;
    let unit = org::store::units::get(&mut tx, unit_id)
        .await?
        .filter(|u| u.congress_id == l.item.congress_id && u.active == 1)
        .ok_or_else(|| Error::field("unit_id", "承办单位不存在、已停用或不属于本级"))?;
    if l.assignments
        .iter()
        .any(|o| o.unit_id == unit_id && o.state != AssignmentState::Returned.code())
    {
        return Err(Error::field("unit_id", "该单位已在办理此事项"));
    }
    let cal = ctx.calendar_with(&mut tx).await?;
    let clock = Clock {
        cal: &cal,
        settings: &settings,
        today: ctx.today(),
    };
    let variant = Variant::parse(&l.item.deadline_variant).unwrap_or(Variant::Normal);
    let (aid, due, provisional) =
        assign_unit(&mut tx, rules, &clock, a.item_id, unit_id, role, variant).await?;
    let mark = if provisional { "（暂定）" } else { "" };
    record_step(
        &mut tx,
        a.item_id,
        Some(aid),
        actor,
        "重新交办",
        &format!(
            "{}退回后改交{}（{}），期限 {due}{mark}",
            a.unit_name,
            unit.name,
            role.label(),
        ),
    )
    .await?;
    notify::send(
        &mut tx,
        &[Audience::Unit(unit_id)],
        "新的交办事项",
        &format!(
            "“{}”改交贵单位{}，期限 {due}{mark}",
            l.item.title,
            role.label()
        ),
        &l.item.link,
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
    /// How much longer, in the unit of the kind's reply period (months or working days).
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub extra_months: Option<i64>,
    #[serde(default)]
    pub reason: String,
}

/// Whether an assignment may still be extended under its kind's rule.
pub fn extendable(
    rules: &KindRules,
    item: &ItemRow,
    a_state: AssignmentState,
    role: UnitRole,
) -> bool {
    rules.extension.is_some()
        && a_state.is_open()
        && role != UnitRole::Assisting
        && item.round == 1
        && item.deadline_variant == Variant::Normal.code()
}

/// An approved extension, counted from the assignment, once; the proposer
/// and the unit are told.
#[tracing::instrument(name = "engine::assign::extend", skip_all, fields(actor = %actor.username, assignment_id))]
pub async fn extend(
    ctx: &Ctx,
    actor: &Actor,
    assignment_id: i64,
    input: &ExtensionInput,
) -> Result<String> {
    require_some(ctx, actor, |p| p.manage)?;
    let reason = input.reason.trim();
    if reason.chars().count() < 4 {
        return Err(Error::field("reason", "请说明延期理由"));
    }
    let local = ctx.settings().await?.local;
    let mut tx = ctx.begin().await?;
    let (a, l) = load_assignment(ctx, &mut tx, actor, assignment_id).await?;
    let rules = l.kind.rules();
    actor.require(rules.permissions.manage)?;
    if !l.standing.staff {
        return Err(Error::Forbidden);
    }
    let state = stored(AssignmentState::parse, &a.state, "assignment state")?;
    let role = stored(UnitRole::parse, &a.role, "unit role")?;
    if rules.extension.is_none() {
        return Err(Error::Conflict("此类事项不能延期".into()));
    }
    if !state.is_open() || role == UnitRole::Assisting {
        return Err(Error::Conflict(
            "只有正在办理的主办或分办事项可以延期".into(),
        ));
    }
    if !extendable(rules, &l.item, state, role) {
        let longer = rules.complex_reply.map(|c| c.label).unwrap_or("延长期限");
        return Err(Error::Conflict(format!(
            "重办事项或已按“{longer}”办理的事项不能再延期"
        )));
    }
    if crate::store::extensions_of(&mut tx, a.id).await? > 0 {
        return Err(Error::Conflict("该事项已延期过一次".into()));
    }
    let cal = ctx.calendar_with(&mut tx).await?;
    let start = kernel::calendar::parse_date(&a.assigned_on)
        .map_err(|e| Error::internal(format!("assignment {}: {e}", a.id)))?;
    let extra = input.extra_months.unwrap_or(0);
    let settings = ctx.settings().await?;
    let setting = |k: &str| settings.get(k);
    let normal = rules.reply.period.resolve(setting);
    let d = rules::extended_deadline(rules, &local, &cal, start, extra, &setting)
        .map_err(|e| Error::field("extra_months", e.to_string()))?;
    let basis = Basis {
        start,
        period: normal.plus(extra),
    };
    let now = ctx.now_ms();
    let new_due = d.due.to_string();
    crate::store::insert_extension(
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
    crate::store::set_deadline(
        &mut tx,
        a.id,
        &NewDeadline {
            due: &new_due,
            rule: &format!("经批准延期 {extra} {}：{}", normal.unit(), d.explain()),
            basis: &basis.code(),
            provisional: d.is_provisional() || a.provisional == 1,
        },
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
    let (title, text) = l
        .kind
        .notice(Notice::Extended, &l.item, &format!("{new_due}：{reason}"));
    let mut to = l.kind.proposer_audience(&l.item);
    to.push(Audience::Unit(a.unit_id));
    notify::send(&mut tx, &to, &title, &text, &l.item.link).await?;
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
