//! Handling by the unit: contacts with the deputy, the assisting unit's
//! opinion, the reply with its result category and commitments, and the
//! sign-off by the unit head and the government leader in charge (三级签字).

use engine::rules::{
    self as tracked, AssignmentEvent, AssignmentState, ContactMethod, ContactStage, ItemState,
    UnitRole,
};
use kernel::calendar::parse_date;
use kernel::roles::Permission;
use serde::{Deserialize, Serialize};

use super::assign::load_assignment;
use super::{link, party, record_step, transition_error};
use app::actor::Actor;
use app::ctx::Ctx;
use app::error::{Error, Result};
use app::notify::{self, Audience};
use app::validate::Check;

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ContactInput {
    /// before / during / after.
    #[serde(default)]
    pub stage: String,
    /// meeting / forum / phone / visit / inspection / written.
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub contact_date: String,
    #[serde(default)]
    pub participants: String,
    #[serde(default)]
    pub summary: String,
    /// Whether the lead deputy took part (a reply needs at least one such contact).
    #[serde(default = "yes", deserialize_with = "app::de::flex_bool")]
    pub with_lead_deputy: bool,
}

fn yes() -> bool {
    true
}

fn require_unit(p: engine::rules::Party) -> Result<()> {
    if matches!(
        p,
        engine::rules::Party::UnitHandler | engine::rules::Party::UnitHead
    ) {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// Records a contact with the deputy (办前沟通、办中协商、办后回访).
pub async fn add_contact(
    ctx: &Ctx,
    actor: &Actor,
    assignment_id: i64,
    input: &ContactInput,
) -> Result<i64> {
    actor.require(Permission::HandleItems)?;
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
        && d > kernel::time::today()
    {
        check.add("contact_date", "沟通日期不能晚于今天");
    }
    let participants = check.text("participants", "参加人员", &input.participants, 200);
    let summary = check.text("summary", "沟通情况", &input.summary, 5000);
    check.finish()?;
    let mut tx = ctx.db.begin().await?;
    let (a, _, st) = load_assignment(&mut tx, actor, assignment_id).await?;
    require_unit(party(actor, &st, &a))?;
    if a.state == AssignmentState::Returned.code() {
        return Err(Error::Conflict("已退回的交办不能再登记沟通".into()));
    }
    let (stage, method, date) = (
        stage.ok_or(Error::Internal)?,
        method.ok_or(Error::Internal)?,
        date.ok_or(Error::Internal)?,
    );
    let id = engine::store::insert_contact(
        &mut tx,
        &engine::store::NewContact {
            item_id: a.item_id,
            assignment_id: a.id,
            stage: stage.code(),
            method: method.code(),
            contact_date: &date.to_string(),
            participants: &participants,
            summary: &summary,
            with_lead_deputy: input.with_lead_deputy,
            recorded_by: actor.user_id,
        },
        kernel::time::now_ms(),
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

/// An assisting unit sends its opinion to the lead unit (上海规定 第十七条).
pub async fn send_opinion(
    ctx: &Ctx,
    actor: &Actor,
    assignment_id: i64,
    input: &OpinionInput,
) -> Result<()> {
    actor.require(Permission::HandleItems)?;
    let text = input.text.trim();
    if text.chars().count() < 4 || text.chars().count() > 10_000 {
        return Err(Error::field("text", "请填写协办意见（4 到 10000 字）"));
    }
    let mut tx = ctx.db.begin().await?;
    let (a, s, st) = load_assignment(&mut tx, actor, assignment_id).await?;
    let p = party(actor, &st, &a);
    let to = tracked::transition(
        AssignmentState::parse(&a.state).ok_or(Error::Internal)?,
        UnitRole::parse(&a.role).ok_or(Error::Internal)?,
        &AssignmentEvent::SendOpinion,
        p,
    )
    .map_err(transition_error)?;
    let now = kernel::time::now_ms();
    engine::store::insert_opinion(&mut tx, a.item_id, a.id, text, actor.user_id, now).await?;
    engine::store::set_assignment_state(&mut tx, a.id, to.code(), now).await?;
    record_step(
        &mut tx,
        a.item_id,
        Some(a.id),
        actor,
        "报送协办意见",
        &format!("{}：{text}", a.unit_name),
    )
    .await?;
    for lead in engine::store::assignments(&mut tx, a.item_id)
        .await?
        .iter()
        .filter(|x| x.role == UnitRole::Lead.code() && x.state != AssignmentState::Returned.code())
    {
        notify::send(
            &mut tx,
            &[Audience::Unit(lead.unit_id)],
            "收到协办意见",
            &format!("{}就“{}”报送了协办意见", a.unit_name, s.title),
            &link(s.id),
        )
        .await?;
    }
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
    pub text: String,
    #[serde(default)]
    pub due_date: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ReplyInput {
    #[serde(default)]
    pub text: String,
    /// One of the configured result categories.
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

/// Submits the reply for sign-off. The law requires contact first: a reply
/// cannot be submitted before a contact with the lead deputy is recorded.
pub async fn submit_reply(
    ctx: &Ctx,
    actor: &Actor,
    assignment_id: i64,
    input: &ReplyInput,
) -> Result<i64> {
    actor.require(Permission::HandleItems)?;
    let mut check = Check::new();
    let text = check.text("text", "答复内容", &input.text, 20_000);
    let categories = app::options::get(ctx, &crate::rules::RESULT_CATEGORIES).await?;
    if !categories.iter().any(|c| c == input.result_category.trim()) {
        check.add("result_category", "请选择办理结果分类");
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
            Ok(d) if d < kernel::time::today() => {
                check.add(&format!("commitment_due_{i}"), "承诺完成日期不能早于今天")
            }
            Ok(d) => commitments.push((t, d.to_string())),
            Err(e) => check.add(&format!("commitment_due_{i}"), format!("承诺完成日期：{e}")),
        }
    }
    check.finish()?;
    let category = input.result_category.trim().to_string();
    let mut tx = ctx.db.begin().await?;
    let (a, s, st) = load_assignment(&mut tx, actor, assignment_id).await?;
    let p = party(actor, &st, &a);
    let to = tracked::transition(
        AssignmentState::parse(&a.state).ok_or(Error::Internal)?,
        UnitRole::parse(&a.role).ok_or(Error::Internal)?,
        &AssignmentEvent::SubmitReply,
        p,
    )
    .map_err(transition_error)?;
    let contacts = engine::store::count_lead_contacts(&mut tx, a.id).await?;
    tracked::check_contact_before_reply(contacts as usize).map_err(Error::Conflict)?;
    let item = engine::store::get_item(&mut tx, a.item_id)
        .await?
        .ok_or(Error::Internal)?;
    let now = kernel::time::now_ms();
    let sha = reply_digest(&text, &category, &commitments);
    let reply = engine::store::insert_reply(
        &mut tx,
        a.item_id,
        a.id,
        item.round,
        &text,
        &category,
        &sha,
        actor.user_id,
        now,
    )
    .await?;
    for (t, d) in &commitments {
        engine::store::insert_commitment(&mut tx, a.item_id, reply, t, d).await?;
    }
    engine::store::set_assignment_state(&mut tx, a.id, to.code(), now).await?;
    record_step(
        &mut tx,
        a.item_id,
        Some(a.id),
        actor,
        "提交答复",
        &format!(
            "{}：{category}；承诺 {} 项；SM3 {}",
            a.unit_name,
            commitments.len(),
            &sha[..16]
        ),
    )
    .await?;
    notify::send(
        &mut tx,
        &[Audience::UnitHeads(a.unit_id)],
        "答复待签发",
        &format!("“{}”的答复待您签发", s.title),
        &link(s.id),
    )
    .await?;
    app::audit::record(
        &mut tx,
        actor,
        "item.reply",
        "assignment",
        a.id,
        format!(
            "提交答复（第 {} 轮，{category}，SM3 {}）",
            item.round,
            &sha[..16]
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(reply)
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
pub async fn sign_off(
    ctx: &Ctx,
    actor: &Actor,
    assignment_id: i64,
    input: &SignoffInput,
) -> Result<()> {
    actor.require(Permission::SignOffReplies)?;
    let mut tx = ctx.db.begin().await?;
    let (a, s, st) = load_assignment(&mut tx, actor, assignment_id).await?;
    let p = party(actor, &st, &a);
    let state = AssignmentState::parse(&a.state).ok_or(Error::Internal)?;
    let has_leader = org::store::units::get(&mut tx, a.unit_id)
        .await?
        .is_some_and(|u| u.leader_user_id.is_some());
    let (event, level) = match (state, input.approve) {
        (AssignmentState::AwaitingHead, true) if has_leader => {
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
    let to = tracked::transition(
        state,
        UnitRole::parse(&a.role).ok_or(Error::Internal)?,
        &event,
        p,
    )
    .map_err(transition_error)?;
    let reason = input.reason.trim();
    if !input.approve && reason.chars().count() < 2 {
        return Err(Error::field("reason", "退回修改须说明理由"));
    }
    let reply = engine::store::current_reply(&mut tx, a.id)
        .await?
        .ok_or(Error::Internal)?;
    if input.reply_sha.trim() != reply.sha {
        return Err(Error::Conflict("答复内容已变化，请刷新后重新审阅".into()));
    }
    let now = kernel::time::now_ms();
    let name = format!("{}（{}）", actor.display_name, actor.role.label());
    engine::store::insert_signoff(
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
    engine::store::set_assignment_state(&mut tx, a.id, to.code(), now).await?;
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
                &format!("{}对“{}”的答复待您签批", a.unit_name, s.title),
                &link(s.id),
            )
            .await?;
        }
        AssignmentState::Handling => {
            notify::send(
                &mut tx,
                &[Audience::Unit(a.unit_id)],
                "答复被退回修改",
                &format!("“{}”：{reason}", s.title),
                &link(s.id),
            )
            .await?;
        }
        AssignmentState::Replied => {
            let today = kernel::time::today().to_string();
            engine::store::set_first_reply(&mut tx, a.id, &today, today <= a.due_date).await?;
            // The item is replied when every replying unit has a signed reply.
            let all: Vec<(UnitRole, AssignmentState)> =
                engine::store::assignments(&mut tx, a.item_id)
                    .await?
                    .iter()
                    .filter_map(|x| {
                        Some((UnitRole::parse(&x.role)?, AssignmentState::parse(&x.state)?))
                    })
                    .collect();
            if tracked::all_replied(&all) {
                let item = engine::store::get_item(&mut tx, a.item_id)
                    .await?
                    .ok_or(Error::Internal)?;
                engine::store::set_item_state(
                    &mut tx,
                    a.item_id,
                    ItemState::Replied.code(),
                    item.round,
                    now,
                )
                .await?;
                record_step(
                    &mut tx,
                    a.item_id,
                    None,
                    actor,
                    "答复送达代表",
                    &format!("第 {} 轮答复已全部签发，请代表测评", item.round),
                )
                .await?;
                notify::send(
                    &mut tx,
                    &[
                        Audience::Deputy(s.lead_deputy_id),
                        Audience::CongressStaff(s.congress_id),
                    ],
                    "建议已答复",
                    &format!("“{}”已答复，请查看并测评", s.title),
                    &link(s.id),
                )
                .await?;
            }
        }
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
pub async fn attach_to_reply(
    ctx: &Ctx,
    actor: &Actor,
    assignment_id: i64,
    file_name: &str,
    bytes: &[u8],
) -> Result<app::attachments::Stored> {
    let mut tx = ctx.db.begin().await?;
    let (a, _, st) = load_assignment(&mut tx, actor, assignment_id).await?;
    require_unit(party(actor, &st, &a))?;
    let reply = engine::store::current_reply(&mut tx, a.id)
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
