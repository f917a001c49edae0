//! A deputy drafts a suggestion or motion, invites co-signers, submits it.

use crate::rules::{
    SignerStatus, SuggestionEvent, SuggestionKind, SuggestionParty, SuggestionState,
    motion_qualifies, transition,
};
use crate::store::suggestions::{NewSuggestion, SuggestionRow};
use db::Conn;
use kernel::org::{CongressLevel, DeputyStatus};
use kernel::roles::{Permission, Role};
use serde::{Deserialize, Serialize};

use super::{link, load};
use app::actor::Actor;
use app::ctx::Ctx;
use app::error::{Error, Result};
use app::notify::{self, Audience};
use app::validate::Check;

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct SuggestionInput {
    /// `suggestion` (the default) or `motion`.
    #[serde(default)]
    #[schema(pattern = "^(suggestion|motion)?$")]
    pub kind: String,
    /// The congress it goes to; may be left out when the deputy sits in only one.
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub congress_id: Option<i64>,
    /// The session it is submitted at; none between sessions.
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub session_id: Option<i64>,
    /// Title (案由 for a motion).
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 100)]
    pub title: String,
    /// Content (方案 for a motion).
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 20000)]
    pub content: String,
    /// 案据: required for a motion.
    #[serde(default)]
    #[schema(max_length = 20000)]
    pub grounds: String,
    #[serde(default)]
    pub category: String,
    /// The delegation tabling a motion, if any.
    #[serde(default)]
    #[schema(max_length = 40)]
    pub by_delegation: String,
    /// Submit at once instead of keeping a draft (a suggestion, or a motion
    /// tabled by a delegation; a motion with co-signers is drafted first).
    #[serde(default, deserialize_with = "app::de::flex_bool")]
    pub submit: bool,
}

pub(crate) fn deputy_of(actor: &Actor) -> Result<i64> {
    if actor.role != Role::Deputy {
        return Err(Error::Forbidden);
    }
    actor.require(Permission::ProposeSuggestions)?;
    actor.deputy_id.ok_or(Error::Forbidden)
}

struct Checked {
    congress_id: i64,
    session_id: Option<i64>,
    kind: SuggestionKind,
    title: String,
    content: String,
    grounds: String,
    category: String,
    by_delegation: String,
}

async fn check_input(conn: &mut Conn, deputy_id: i64, input: &SuggestionInput) -> Result<Checked> {
    let mut check = Check::new();
    let kind = if input.kind.trim().is_empty() {
        Some(SuggestionKind::Suggestion)
    } else {
        SuggestionKind::parse(&input.kind)
    };
    if kind.is_none() {
        check.add("kind", "类型应为建议或议案");
    }
    let motion = kind == Some(SuggestionKind::Motion);
    let title = check.text(
        "title",
        if motion { "案由" } else { "标题" },
        &input.title,
        100,
    );
    let content = check.text(
        "content",
        if motion { "方案" } else { "内容" },
        &input.content,
        20_000,
    );
    let grounds = if motion {
        check.text("grounds", "案据", &input.grounds, 20_000)
    } else {
        check.optional("grounds", "依据", &input.grounds, 20_000)
    };
    let categories = app::options::labels(conn, &crate::rules::CATEGORIES).await?;
    let category = input.category.trim().to_string();
    if !category.is_empty() && !categories.contains(&category) {
        check.add("category", "分类不在可选范围内");
    }
    let by_delegation = check.optional("by_delegation", "代表团", &input.by_delegation, 40);
    // The congress: one where the deputy holds a seat in office.
    let seats: Vec<_> = org::store::deputies::mandates_of(conn, deputy_id)
        .await?
        .into_iter()
        .filter(|m| m.status == DeputyStatus::InOffice.code())
        .collect();
    let congress_id = match input.congress_id.filter(|c| *c > 0) {
        Some(c) if seats.iter().any(|m| m.congress_id == c) => Some(c),
        Some(_) => {
            check.add("congress_id", "您不是该人大的在任代表");
            None
        }
        None if seats.len() == 1 => Some(seats[0].congress_id),
        None if seats.is_empty() => {
            check.add("congress_id", "您没有在任的代表资格，不能提出建议");
            None
        }
        None => {
            check.add("congress_id", "请选择向哪一级人大提出");
            None
        }
    };
    if let (Some(sid), Some(cid)) = (input.session_id.filter(|s| *s > 0), congress_id) {
        let ok = match org::store::congresses::get_session(conn, sid).await? {
            Some(sess) => org::store::congresses::get_term(conn, sess.term_id)
                .await?
                .is_some_and(|t| t.congress_id == cid),
            None => false,
        };
        if !ok {
            check.add("session_id", "会议不属于所选人大");
        }
    }
    if !by_delegation.is_empty() && !motion {
        check.add("by_delegation", "只有议案可以由代表团提出");
    }
    check.finish()?;
    Ok(Checked {
        congress_id: congress_id.ok_or_else(|| Error::internal("no value where one is stored"))?,
        session_id: input.session_id.filter(|s| *s > 0),
        kind: kind.ok_or_else(|| Error::internal("no value where one is stored"))?,
        title,
        content,
        grounds,
        category,
        by_delegation,
    })
}

fn new_row(k: &Checked, deputy_id: i64) -> NewSuggestion<'_> {
    NewSuggestion {
        congress_id: k.congress_id,
        session_id: k.session_id,
        kind: k.kind.code(),
        title: &k.title,
        content: &k.content,
        grounds: &k.grounds,
        category: &k.category,
        by_delegation: &k.by_delegation,
        lead_deputy_id: deputy_id,
    }
}

/// What creating gives back: the new id, and the number when it was submitted at once.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Drafted {
    pub id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submitted: Option<Submitted>,
}

/// Starts a draft with the deputy as its lead, or, when `input.submit` is set
/// (the form's 提交 button), drafts and submits in one transaction.
#[tracing::instrument(name = "suggestions::draft::create", skip_all, fields(actor = %actor.username))]
pub async fn create(ctx: &Ctx, actor: &Actor, input: &SuggestionInput) -> Result<Drafted> {
    let mut tx = ctx.begin().await?;
    let id = create_in(&mut tx, actor, input).await?;
    let submitted = if input.submit {
        Some(submit_in(&mut tx, actor, id).await?)
    } else {
        None
    };
    tx.commit().await?;
    Ok(Drafted { id, submitted })
}

async fn create_in(conn: &mut db::Tx, actor: &Actor, input: &SuggestionInput) -> Result<i64> {
    let me = deputy_of(actor)?;
    let k = check_input(conn, me, input).await?;
    if input.submit && k.kind == SuggestionKind::Motion && k.by_delegation.is_empty() {
        // Submitting now would convert it at once for want of co-signers.
        return Err(Error::field(
            "kind",
            "代表联名的议案请先保存草稿，邀请联名代表确认后再提交",
        ));
    }
    let now = conn.at();
    let id = crate::store::suggestions::insert(conn, &new_row(&k, me), now).await?;
    crate::store::suggestions::add_signer(
        conn,
        id,
        me,
        "lead",
        SignerStatus::Confirmed.code(),
        now,
    )
    .await?;
    app::audit::record(
        conn,
        actor,
        "suggestion.create",
        "suggestion",
        id,
        format!("起草{}“{}”", k.kind.label(), k.title),
    )
    .await?;
    Ok(id)
}

pub(crate) async fn own_editable(conn: &mut Conn, actor: &Actor, id: i64) -> Result<SuggestionRow> {
    let me = deputy_of(actor)?;
    let s = load(conn, id).await?;
    if s.lead_deputy_id != me {
        return Err(Error::NotFound("建议"));
    }
    let state = SuggestionState::parse(&s.state)
        .ok_or_else(|| Error::internal("no value where one is stored"))?;
    if !matches!(state, SuggestionState::Draft | SuggestionState::Returned) {
        return Err(Error::Conflict(format!(
            "“{}”状态的建议不能修改",
            state.label()
        )));
    }
    Ok(s)
}

/// Saves the deputy's changes to a draft or a returned item; with `input.submit`,
/// (re)submits it in the same transaction.
#[tracing::instrument(name = "suggestions::draft::update", skip_all, fields(actor = %actor.username, id))]
pub async fn update(ctx: &Ctx, actor: &Actor, id: i64, input: &SuggestionInput) -> Result<()> {
    let mut tx = ctx.begin().await?;
    let s = own_editable(&mut tx, actor, id).await?;
    let k = check_input(&mut tx, s.lead_deputy_id, input).await?;
    if k.congress_id != s.congress_id {
        return Err(Error::field(
            "congress_id",
            "提出后不能改变所提交的人大，请撤回后重新起草",
        ));
    }
    crate::store::suggestions::update_text(
        &mut tx,
        id,
        &new_row(&k, s.lead_deputy_id),
        ctx.now_ms(),
    )
    .await?;
    app::audit::record(
        &mut tx,
        actor,
        "suggestion.update",
        "suggestion",
        id,
        format!("修改“{}”", k.title),
    )
    .await?;
    if input.submit {
        submit_in(&mut tx, actor, id).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Invites in-office deputies of the same congress to co-sign.
#[tracing::instrument(name = "suggestions::draft::invite", skip_all, fields(actor = %actor.username, id))]
pub async fn invite(ctx: &Ctx, actor: &Actor, id: i64, deputy_ids: &[i64]) -> Result<usize> {
    let mut tx = ctx.begin().await?;
    let s = own_editable(&mut tx, actor, id).await?;
    if deputy_ids.is_empty() {
        return Err(Error::field("deputy_ids", "请选择要邀请的代表"));
    }
    if deputy_ids.len() > 200 {
        return Err(Error::field("deputy_ids", "一次最多邀请 200 位代表"));
    }
    let now = ctx.now_ms();
    let existing = crate::store::suggestions::signers(&mut tx, id).await?;
    let mut invited = 0;
    for did in deputy_ids {
        if *did == s.lead_deputy_id || existing.iter().any(|g| g.deputy_id == *did) {
            continue;
        }
        let seats = org::store::deputies::mandates_of(&mut tx, *did).await?;
        if !seats
            .iter()
            .any(|m| m.congress_id == s.congress_id && m.status == DeputyStatus::InOffice.code())
        {
            return Err(Error::field(
                "deputy_ids",
                format!("编号 {did} 不是本级人大的在任代表"),
            ));
        }
        crate::store::suggestions::add_signer(
            &mut tx,
            id,
            *did,
            "cosigner",
            SignerStatus::Invited.code(),
            now,
        )
        .await?;
        notify::send(
            &mut tx,
            &[Audience::Deputy(*did)],
            "附议邀请",
            &format!("{}邀请您附议“{}”", s.lead_name, s.title),
            &link(id),
        )
        .await?;
        invited += 1;
    }
    app::audit::record(
        &mut tx,
        actor,
        "suggestion.invite",
        "suggestion",
        id,
        format!("邀请 {invited} 位代表附议"),
    )
    .await?;
    tx.commit().await?;
    Ok(invited)
}

/// A co-signer confirms or declines an invitation.
#[tracing::instrument(name = "suggestions::draft::respond", skip_all, fields(actor = %actor.username, id))]
pub async fn respond(ctx: &Ctx, actor: &Actor, id: i64, confirm: bool) -> Result<()> {
    let me = deputy_of(actor)?;
    let mut tx = ctx.begin().await?;
    let s = load(&mut tx, id).await?;
    let status = if confirm {
        SignerStatus::Confirmed
    } else {
        SignerStatus::Declined
    };
    if crate::store::suggestions::respond(&mut tx, id, me, status.code(), ctx.now_ms()).await? == 0
    {
        return Err(Error::Conflict("没有待确认的附议邀请".into()));
    }
    notify::send(
        &mut tx,
        &[Audience::Deputy(s.lead_deputy_id)],
        "附议回复",
        &format!(
            "{}{}附议“{}”",
            actor.display_name,
            if confirm { "已同意" } else { "谢绝" },
            s.title
        ),
        &link(id),
    )
    .await?;
    app::audit::record(
        &mut tx,
        actor,
        "suggestion.cosign",
        "suggestion",
        id,
        status.label(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Submitted {
    pub number: i64,
    /// Set when a motion did not qualify and is handled as a suggestion.
    pub converted: Option<String>,
}

/// Submits (or re-submits after 置回). A motion that lacks the legal number of
/// signers is converted into a suggestion, and the conversion recorded.
#[tracing::instrument(name = "suggestions::draft::submit", skip_all, fields(actor = %actor.username, id))]
pub async fn submit(ctx: &Ctx, actor: &Actor, id: i64) -> Result<Submitted> {
    let mut tx = ctx.begin().await?;
    let out = submit_in(&mut tx, actor, id).await?;
    tx.commit().await?;
    Ok(out)
}

async fn submit_in(tx: &mut db::Tx, actor: &Actor, id: i64) -> Result<Submitted> {
    let s = own_editable(tx, actor, id).await?;
    let state = SuggestionState::parse(&s.state)
        .ok_or_else(|| Error::internal("no value where one is stored"))?;
    transition(state, SuggestionEvent::Submit, SuggestionParty::LeadDeputy)
        .map_err(engine::service::transition_error)?;
    let signers = crate::store::suggestions::signers(tx, id).await?;
    let pending = signers
        .iter()
        .filter(|g| g.status == SignerStatus::Invited.code())
        .count();
    if pending > 0 {
        return Err(Error::Conflict(format!(
            "尚有 {pending} 位代表未答复附议邀请：请等待答复，或在“联名代表”中撤回邀请；代表已在纸质文本上签名的，可请工作人员登记书面附议"
        )));
    }
    let now = tx.at();
    let mut converted = None;
    if s.kind == SuggestionKind::Motion.code() {
        let congress = org::store::congresses::get(tx, s.congress_id)
            .await?
            .ok_or_else(|| Error::internal("no value where one is stored"))?;
        let level = CongressLevel::parse(&congress.level)
            .ok_or_else(|| Error::internal("no value where one is stored"))?;
        let count = signers
            .iter()
            .filter(|g| g.status == SignerStatus::Confirmed.code())
            .count();
        if !motion_qualifies(level, count, !s.by_delegation.is_empty()) {
            let reason = crate::rules::conversion_reason(level, count);
            crate::store::suggestions::convert_to_suggestion(tx, id, &reason, now).await?;
            converted = Some(reason);
        }
    }
    let number =
        crate::store::suggestions::submit(tx, id, s.congress_id, s.session_id, now).await?;
    notify::send(
        tx,
        &[Audience::CongressStaff(s.congress_id)],
        "新的代表建议待审核",
        &format!("第 {number} 号：{}（领衔：{}）", s.title, s.lead_name),
        &link(id),
    )
    .await?;
    let summary = match &converted {
        Some(r) => format!("提交，编号第 {number} 号；{r}"),
        None => format!("提交，编号第 {number} 号"),
    };
    app::audit::record(tx, actor, "suggestion.submit", "suggestion", id, summary).await?;
    Ok(Submitted { number, converted })
}

#[tracing::instrument(name = "suggestions::draft::withdraw", skip_all, fields(actor = %actor.username, id))]
pub async fn withdraw(ctx: &Ctx, actor: &Actor, id: i64) -> Result<()> {
    let me = deputy_of(actor)?;
    let mut tx = ctx.begin().await?;
    let s = load(&mut tx, id).await?;
    if s.lead_deputy_id != me {
        return Err(Error::NotFound("建议"));
    }
    let state = SuggestionState::parse(&s.state)
        .ok_or_else(|| Error::internal("no value where one is stored"))?;
    let to = transition(
        state,
        SuggestionEvent::Withdraw,
        SuggestionParty::LeadDeputy,
    )
    .map_err(engine::service::transition_error)?;
    crate::store::suggestions::set_state(&mut tx, id, to.code(), "代表撤回", ctx.now_ms()).await?;
    app::audit::record(
        &mut tx,
        actor,
        "suggestion.withdraw",
        "suggestion",
        id,
        "撤回",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Attaches a file to one's own draft.
#[tracing::instrument(name = "suggestions::draft::attach", skip_all, fields(actor = %actor.username, id))]
pub async fn attach(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    file_name: &str,
    bytes: &[u8],
) -> Result<app::attachments::Stored> {
    let mut tx = ctx.begin().await?;
    own_editable(&mut tx, actor, id).await?;
    let stored =
        app::attachments::store_file(&mut tx, actor, "suggestion", id, file_name, bytes).await?;
    app::audit::record(
        &mut tx,
        actor,
        "suggestion.attach",
        "suggestion",
        id,
        format!("附件 {}", stored.file_name),
    )
    .await?;
    tx.commit().await?;
    Ok(stored)
}
