//! Handling by the unit: contacts with the proposer, the assisting unit's
//! opinion, the reply with its result category and commitments, and the
//! sign-off its kind's chain requires (the unit head, then the government
//! leader in charge: 三级签字).

use app::notify::{self, Audience};
use app::validate::Check;
use app::{Actor, Ctx, Error, Result};
use kernel::calendar::parse_date;
use serde::{Deserialize, Serialize};

use super::{Loaded, load_assignment, party, record_step, stored, transition_error};
use crate::kind::{Notice, require_some};
use crate::rules::{
    self, AssignmentEvent, AssignmentState, ContactMethod, ContactStage, Evaluator, ItemState,
    Satisfaction, SignoffChain, UnitRole,
};
use crate::store::AssignmentRow;

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[schema(as = HandlingContactInput)]
pub struct ContactInput {
    /// before / during / after.
    #[serde(default)]
    pub stage: String,
    /// meeting / forum / phone / visit / inspection / written.
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    #[schema(required = true, format = Date)]
    pub contact_date: String,
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 200)]
    pub participants: String,
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 5000)]
    pub summary: String,
    /// Whether the proposer took part (where the kind requires contact, a
    /// reply needs at least one such contact).
    #[serde(
        default = "yes",
        alias = "with_lead_deputy",
        deserialize_with = "app::de::flex_bool"
    )]
    pub with_proposer: bool,
}

fn yes() -> bool {
    true
}

fn require_unit(p: rules::Party) -> Result<()> {
    if p.of_unit() {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// Records a contact with the proposer (办前沟通、办中协商、办后回访).
#[tracing::instrument(name = "engine::handle::add_contact", skip_all, fields(actor = %actor.username, assignment_id))]
pub async fn add_contact(
    ctx: &Ctx,
    actor: &Actor,
    assignment_id: i64,
    input: &ContactInput,
) -> Result<i64> {
    require_some(ctx, actor, |p| p.handle)?;
    let mut check = Check::new();
    let stage = ContactStage::parse(&input.stage);
    if stage.is_none() {
        check.add("stage", "请选择沟通阶段");
    }
    let method = ContactMethod::parse(&input.method);
    if method.is_none() {
        check.add("method", "请选择沟通方式");
    }
    let date = check.take("contact_date", parse_date(&input.contact_date));
    if let Some(d) = date
        && d > ctx.today()
    {
        check.add("contact_date", "沟通日期不能晚于今天");
    }
    let participants = check.text("participants", "参加人员", &input.participants, 200);
    let summary = check.text("summary", "沟通情况", &input.summary, 5000);
    check.finish()?;
    let mut tx = ctx.begin().await?;
    let (a, l) = load_assignment(ctx, &mut tx, actor, assignment_id).await?;
    actor.require(l.kind.rules().permissions.handle)?;
    require_unit(party(actor, &l.standing, &a))?;
    if a.state == AssignmentState::Returned.code() {
        return Err(Error::Conflict("已退回的交办不能再登记沟通".into()));
    }
    let (Some(stage), Some(method), Some(date)) = (stage, method, date) else {
        return Err(Error::internal("a checked contact lost its fields"));
    };
    let id = crate::store::insert_contact(
        &mut tx,
        &crate::store::NewContact {
            item_id: a.item_id,
            assignment_id: a.id,
            stage: stage.code(),
            method: method.code(),
            contact_date: &date.to_string(),
            participants: &participants,
            summary: &summary,
            with_proposer: input.with_proposer,
            recorded_by: actor.user_id,
        },
        ctx.now_ms(),
    )
    .await?;
    record_step(
        &mut tx,
        a.item_id,
        Some(a.id),
        actor,
        stage.label(),
        &format!("{date} {}，{participants}：{summary}", method.label()),
    )
    .await?;
    app::audit::record(
        &mut tx,
        actor,
        "item.contact",
        "assignment",
        a.id,
        format!("{}（{}，{date}）", stage.label(), method.label()),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct OpinionInput {
    #[serde(default)]
    pub text: String,
}

/// An assisting unit sends its opinion to the lead unit.
#[tracing::instrument(name = "engine::handle::send_opinion", skip_all, fields(actor = %actor.username, assignment_id))]
pub async fn send_opinion(
    ctx: &Ctx,
    actor: &Actor,
    assignment_id: i64,
    input: &OpinionInput,
) -> Result<()> {
    require_some(ctx, actor, |p| p.handle)?;
    let text = input.text.trim();
    if text.chars().count() < 4 || text.chars().count() > 10_000 {
        return Err(Error::field("text", "请填写协办意见（4 到 10000 字）"));
    }
    let mut tx = ctx.begin().await?;
    let (a, l) = load_assignment(ctx, &mut tx, actor, assignment_id).await?;
    actor.require(l.kind.rules().permissions.handle)?;
    let to = rules::transition(
        stored(AssignmentState::parse, &a.state, "assignment state")?,
        stored(UnitRole::parse, &a.role, "unit role")?,
        &AssignmentEvent::SendOpinion,
        party(actor, &l.standing, &a),
        l.kind.rules().signoff,
    )
    .map_err(transition_error)?;
    let now = ctx.now_ms();
    crate::store::insert_opinion(&mut tx, a.item_id, a.id, text, actor.user_id, now).await?;
    crate::store::set_assignment_state(&mut tx, a.id, to.code(), now).await?;
    record_step(
        &mut tx,
        a.item_id,
        Some(a.id),
        actor,
        "报送协办意见",
        &format!("{}：{text}", a.unit_name),
    )
    .await?;
    let leads: Vec<Audience> = l
        .assignments
        .iter()
        .filter(|x| x.role == UnitRole::Lead.code() && x.state != AssignmentState::Returned.code())
        .map(|x| Audience::Unit(x.unit_id))
        .collect();
    notify::send(
        &mut tx,
        &leads,
        "收到协办意见",
        &format!("{}就“{}”报送了协办意见", a.unit_name, l.item.title),
        &l.item.link,
    )
    .await?;
    app::audit::record(
        &mut tx,
        actor,
        "item.opinion",
        "assignment",
        a.id,
        "报送协办意见",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct CommitmentInput {
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 500)]
    pub text: String,
    #[serde(default)]
    #[schema(required = true, format = Date)]
    pub due_date: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ReplyInput {
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 20000)]
    pub text: String,
    /// One of the kind's result categories, where it classifies results.
    #[serde(default)]
    pub result_category: String,
    #[serde(default)]
    pub commitments: Vec<CommitmentInput>,
}

/// The SM3 digest of what the signers approve: the text, the category and the commitments.
pub fn reply_digest(text: &str, category: &str, commitments: &[(String, String)]) -> String {
    let canonical = serde_json::json!([text, category, commitments]).to_string();
    crypto::sm3_hex(canonical.as_bytes())
}

/// Submits the reply (for sign-off, where the kind's chain has one). Where
/// the kind requires contact first, a reply cannot be submitted before a
/// contact with the proposer is recorded.
#[tracing::instrument(name = "engine::handle::submit_reply", skip_all, fields(actor = %actor.username, assignment_id))]
pub async fn submit_reply(
    ctx: &Ctx,
    actor: &Actor,
    assignment_id: i64,
    input: &ReplyInput,
) -> Result<i64> {
    require_some(ctx, actor, |p| p.handle)?;
    let settings = ctx.settings().await?;
    let mut tx = ctx.begin().await?;
    let (a, l) = load_assignment(ctx, &mut tx, actor, assignment_id).await?;
    let rules = l.kind.rules();
    actor.require(rules.permissions.handle)?;
    let mut check = Check::new();
    let text = check.text("text", "答复内容", &input.text, 20_000);
    let category = input.result_category.trim().to_string();
    if let Some(list) = &rules.result_categories {
        let categories = app::options::labels(&mut tx, list).await?;
        if !categories.contains(&category) {
            check.add("result_category", "请选择办理结果分类");
        }
    }
    let mut commitments = Vec::new();
    if input.commitments.len() > 20 {
        check.add("commitments", "承诺事项最多 20 项");
    }
    for (i, c) in input.commitments.iter().enumerate() {
        if c.text.trim().is_empty() && c.due_date.trim().is_empty() {
            continue;
        }
        let t = check.text(&format!("commitment_text_{i}"), "承诺事项", &c.text, 500);
        match parse_date(&c.due_date) {
            Ok(d) if d < ctx.today() => {
                check.add(&format!("commitment_due_{i}"), "承诺完成日期不能早于今天")
            }
            Ok(d) => commitments.push((t, d.to_string())),
            Err(e) => check.add(&format!("commitment_due_{i}"), format!("承诺完成日期：{e}")),
        }
    }
    check.finish()?;
    let to = rules::transition(
        stored(AssignmentState::parse, &a.state, "assignment state")?,
        stored(UnitRole::parse, &a.role, "unit role")?,
        &AssignmentEvent::SubmitReply,
        party(actor, &l.standing, &a),
        rules.signoff,
    )
    .map_err(transition_error)?;
    let contacts = crate::store::count_proposer_contacts(&mut tx, a.id).await?;
    rules::check_contact_before_reply(
        rules.contact_before_reply,
        contacts as usize,
        &settings.local,
    )
    .map_err(Error::Conflict)?;
    if let Some(m) = super::opinions::reply_blocked(&a, &l.assignments, &settings) {
        return Err(Error::Conflict(m));
    }
    let now = ctx.now_ms();
    let sha = reply_digest(&text, &category, &commitments);
    let reply = crate::store::insert_reply(
        &mut tx,
        a.item_id,
        a.id,
        l.item.round,
        &text,
        &category,
        &sha,
        actor.user_id,
        now,
    )
    .await?;
    for (t, d) in &commitments {
        crate::store::insert_commitment(&mut tx, a.item_id, reply, t, d).await?;
    }
    crate::store::set_assignment_state(&mut tx, a.id, to.code(), now).await?;
    let summary = if category.is_empty() {
        format!("承诺 {} 项；SM3 {}", commitments.len(), &sha[..16])
    } else {
        format!(
            "{category}；承诺 {} 项；SM3 {}",
            commitments.len(),
            &sha[..16]
        )
    };
    record_step(
        &mut tx,
        a.item_id,
        Some(a.id),
        actor,
        "提交答复",
        &format!("{}：{summary}", a.unit_name),
    )
    .await?;
    if to == AssignmentState::AwaitingHead {
        notify::send(
            &mut tx,
            &[Audience::UnitHeads(a.unit_id)],
            "答复待签发",
            &format!("“{}”的答复待您签发", l.item.title),
            &l.item.link,
        )
        .await?;
    }
    app::audit::record(
        &mut tx,
        actor,
        "item.reply",
        "assignment",
        a.id,
        format!(
            "提交答复（第 {} 轮，{}SM3 {}）",
            l.item.round,
            if category.is_empty() {
                String::new()
            } else {
                format!("{category}，")
            },
            &sha[..16]
        ),
    )
    .await?;
    if to == AssignmentState::Replied {
        replied(&mut tx, actor, &l, &a, now).await?;
    }
    tx.commit().await?;
    Ok(reply)
}

/// An assignment's reply is signed and sent: its first reply is recorded
/// (once, with whether it was on time), and when every replying unit has
/// sent its reply the item is replied. A kind nobody rates then goes to
/// follow-up or closes.
async fn replied(
    tx: &mut db::Tx,
    actor: &Actor,
    l: &Loaded,
    a: &AssignmentRow,
    now: i64,
) -> Result<()> {
    let rules = l.kind.rules();
    let today = kernel::time::date_of_ms(tx.at()).to_string();
    crate::store::mark_reply_sent(tx, a.id, now).await?;
    crate::store::set_first_reply(tx, a.id, &today, today <= a.due_date).await?;
    let all: Vec<(UnitRole, AssignmentState)> = crate::store::assignments(tx, a.item_id)
        .await?
        .iter()
        .filter_map(|x| Some((UnitRole::parse(&x.role)?, AssignmentState::parse(&x.state)?)))
        .collect();
    if !rules::all_replied(&all) {
        return Ok(());
    }
    let item = &l.item;
    crate::store::set_item_state(tx, item.id, ItemState::Replied.code(), item.round, now).await?;
    let (title, text) = l.kind.notice(Notice::Replied, item, "");
    let mut to = l.kind.proposer_audience(item);
    to.push(Audience::CongressStaff(item.congress_id));
    if rules.evaluator == Evaluator::Nobody {
        record_step(
            tx,
            item.id,
            None,
            actor,
            "答复送达",
            &format!("第 {} 轮答复已全部送达", item.round),
        )
        .await?;
        notify::send(tx, &to, &title, &text, &item.link).await?;
        let open = crate::store::open_commitments(tx, item.id).await? as usize;
        let next = rules::after_evaluation(
            Satisfaction::Satisfied,
            Satisfaction::Satisfied,
            open,
            false,
        );
        crate::store::set_item_state(tx, item.id, next.code(), item.round, now).await?;
        if next == ItemState::Closed {
            record_step(tx, item.id, None, actor, "办结", "答复已送达，无待落实承诺").await?;
            l.kind.on_close(tx, item).await?;
        }
        return Ok(());
    }
    record_step(
        tx,
        item.id,
        None,
        actor,
        &format!("答复送达{}", rules.proposer_noun),
        &format!(
            "第 {} 轮答复已全部签发，请{}测评",
            item.round,
            rules.evaluator_noun()
        ),
    )
    .await?;
    notify::send(tx, &to, &title, &text, &item.link).await?;
    Ok(())
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct SignoffInput {
    #[serde(default, deserialize_with = "app::de::flex_bool")]
    pub approve: bool,
    /// Required when sending back.
    #[serde(default)]
    pub reason: String,
    /// The SM3 digest of the reply the signer saw; a reply changed meanwhile is refused.
    #[serde(default)]
    pub reply_sha: String,
}

/// The unit head or the government leader approves or sends back the reply.
#[tracing::instrument(name = "engine::handle::sign_off", skip_all, fields(actor = %actor.username, assignment_id))]
pub async fn sign_off(
    ctx: &Ctx,
    actor: &Actor,
    assignment_id: i64,
    input: &SignoffInput,
) -> Result<()> {
    require_some(ctx, actor, |p| p.sign_off)?;
    let mut tx = ctx.begin().await?;
    let (a, l) = load_assignment(ctx, &mut tx, actor, assignment_id).await?;
    let rules = l.kind.rules();
    actor.require(rules.permissions.sign_off)?;
    let p = party(actor, &l.standing, &a);
    let state = stored(AssignmentState::parse, &a.state, "assignment state")?;
    let leader_next =
        rules.signoff == SignoffChain::UnitHeadThenLeader && a.unit_leader_id.is_some();
    let (event, level) = match (state, input.approve) {
        (AssignmentState::AwaitingHead, true) if leader_next => {
            (AssignmentEvent::HeadApprove, "head")
        }
        (AssignmentState::AwaitingHead, true) => (AssignmentEvent::HeadApproveFinal, "head"),
        (AssignmentState::AwaitingHead, false) => (AssignmentEvent::HeadReject, "head"),
        (AssignmentState::AwaitingLeader, true) => (AssignmentEvent::LeaderApprove, "leader"),
        (AssignmentState::AwaitingLeader, false) => (AssignmentEvent::LeaderReject, "leader"),
        _ => {
            return Err(Error::Conflict(format!(
                "当前状态“{}”下无需签字",
                state.label()
            )));
        }
    };
    let to = rules::transition(
        state,
        stored(UnitRole::parse, &a.role, "unit role")?,
        &event,
        p,
        rules.signoff,
    )
    .map_err(transition_error)?;
    let reason = input.reason.trim();
    if !input.approve && reason.chars().count() < 2 {
        return Err(Error::field("reason", "退回修改须说明理由"));
    }
    let reply = crate::store::current_reply(&mut tx, a.id)
        .await?
        .ok_or_else(|| {
            Error::internal(format!(
                "assignment {} awaits a signature without a reply",
                a.id
            ))
        })?;
    if input.reply_sha.trim() != reply.sha {
        return Err(Error::Conflict("答复内容已变化，请刷新后重新审阅".into()));
    }
    let now = ctx.now_ms();
    let name = format!("{}（{}）", actor.display_name, actor.role.label());
    crate::store::insert_signoff(
        &mut tx,
        reply.id,
        level,
        if input.approve { "approve" } else { "reject" },
        reason,
        actor.user_id,
        &name,
        &reply.sha,
        now,
    )
    .await?;
    crate::store::set_assignment_state(&mut tx, a.id, to.code(), now).await?;
    record_step(
        &mut tx,
        a.item_id,
        Some(a.id),
        actor,
        event.label(),
        &format!(
            "{name}{}；SM3 {}",
            if reason.is_empty() {
                String::new()
            } else {
                format!("：{reason}")
            },
            &reply.sha[..16]
        ),
    )
    .await?;
    match to {
        AssignmentState::AwaitingLeader => {
            notify::send(
                &mut tx,
                &[Audience::UnitLeader(a.unit_id)],
                "答复待签批",
                &format!("{}对“{}”的答复待您签批", a.unit_name, l.item.title),
                &l.item.link,
            )
            .await?;
        }
        AssignmentState::Handling => {
            notify::send(
                &mut tx,
                &[Audience::Unit(a.unit_id)],
                "答复被退回修改",
                &format!("“{}”：{reason}", l.item.title),
                &l.item.link,
            )
            .await?;
        }
        AssignmentState::Replied => replied(&mut tx, actor, &l, &a, now).await?,
        _ => {}
    }
    app::audit::record(
        &mut tx,
        actor,
        &format!("item.signoff_{level}"),
        "assignment",
        a.id,
        format!("{}（SM3 {}）", event.label(), &reply.sha[..16]),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Attaches a file to the current reply of an assignment.
#[tracing::instrument(name = "engine::handle::attach_to_reply", skip_all, fields(actor = %actor.username, assignment_id))]
pub async fn attach_to_reply(
    ctx: &Ctx,
    actor: &Actor,
    assignment_id: i64,
    file_name: &str,
    bytes: &[u8],
) -> Result<app::attachments::Stored> {
    require_some(ctx, actor, |p| p.handle)?;
    let mut tx = ctx.begin().await?;
    let (a, l) = load_assignment(ctx, &mut tx, actor, assignment_id).await?;
    actor.require(l.kind.rules().permissions.handle)?;
    require_unit(party(actor, &l.standing, &a))?;
    let reply = crate::store::current_reply(&mut tx, a.id)
        .await?
        .ok_or_else(|| Error::Conflict("请先提交答复".into()))?;
    if a.state == AssignmentState::Replied.code() {
        return Err(Error::Conflict("答复已签发，不能再添加附件".into()));
    }
    let stored =
        app::attachments::store_file(&mut tx, actor, "reply", reply.id, file_name, bytes).await?;
    app::audit::record(
        &mut tx,
        actor,
        "item.attach",
        "assignment",
        a.id,
        format!("答复附件 {}", stored.file_name),
    )
    .await?;
    tx.commit().await?;
    Ok(stored)
}
