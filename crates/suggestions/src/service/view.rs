//! Reading suggestions: the full detail with what the reader may do next,
//! lists and work queues per role, and the public list of published replies.

use crate::rules::{
    SignerStatus, SuggestionEvent, SuggestionKind, SuggestionParty, SuggestionState,
};
use crate::store::suggestions::{SignerRow, SuggestionFilter, SuggestionRow};
use app::attachments::AttachmentMeta;
use app::{Actor, Ctx, Error, Result};
use db::{Page, Paged};
use engine::rules::AssignmentState;
use engine::store::QueueRow;
use kernel::roles::{Permission, Role};
use org::scope::actor_units;

use super::readable;

#[derive(Debug, Clone, Default)]
pub struct Can {
    pub edit: bool,
    pub submit: bool,
    pub withdraw: bool,
    pub respond: bool,
    pub review: bool,
    pub accept: bool,
    pub merge: bool,
    pub assign: bool,
    pub supervise: bool,
    pub evaluate: bool,
    pub publish: bool,
}

pub use engine::service::view::{ItemView, ReplyView};

#[derive(Debug, Clone)]
pub struct Detail {
    pub s: SuggestionRow,
    pub kind_label: String,
    pub state_label: String,
    pub congress_name: String,
    pub session_label: String,
    pub signers: Vec<SignerRow>,
    pub attachments: Vec<AttachmentMeta>,
    pub item: Option<ItemView>,
    pub can: Can,
    /// The reader's own pending invitation.
    pub invited: bool,
    /// What a merged suggestion joined, as users name it (第 7 号“…”).
    pub merged_label: String,
    /// The meetings whose agenda concerned this motion (through the meetings' hand-off).
    pub heard: Vec<app::handoff::Heard>,
}

fn label<T>(parse: fn(&str) -> Option<T>, code: &str, f: fn(T) -> &'static str) -> String {
    parse(code).map(f).unwrap_or("").to_string()
}

#[tracing::instrument(name = "suggestions::view::detail", skip_all, fields(actor = %actor.username, id))]
pub async fn detail(ctx: &Ctx, actor: &Actor, id: i64) -> Result<Detail> {
    let mut c = ctx.db.read().await?;
    let (s, st) = readable(&mut c, actor, id).await?;
    let state = SuggestionState::parse(&s.state)
        .ok_or_else(|| Error::internal(format!("suggestion {id} has state {}", s.state)))?;
    let signers = crate::store::suggestions::signers(&mut c, id).await?;
    let invited = actor.role == Role::Deputy
        && signers.iter().any(|g| {
            Some(g.deputy_id) == actor.deputy_id && g.status == SignerStatus::Invited.code()
        });
    let ok = |e: SuggestionEvent, p: SuggestionParty| crate::rules::transition(state, e, p).is_ok();
    let staff = st.staff && actor.can(Permission::ManageSuggestions);
    let mut can = Can {
        edit: st.lead && matches!(state, SuggestionState::Draft | SuggestionState::Returned),
        submit: st.lead && ok(SuggestionEvent::Submit, SuggestionParty::LeadDeputy),
        withdraw: st.lead && ok(SuggestionEvent::Withdraw, SuggestionParty::LeadDeputy),
        respond: invited,
        review: staff && ok(SuggestionEvent::ReturnForRevision, SuggestionParty::Staff),
        accept: staff && ok(SuggestionEvent::Accept, SuggestionParty::Staff),
        merge: staff && ok(SuggestionEvent::Merge, SuggestionParty::Staff),
        assign: staff && ok(SuggestionEvent::Assign, SuggestionParty::Staff),
        supervise: staff
            && !matches!(
                state,
                SuggestionState::Draft
                    | SuggestionState::Refused
                    | SuggestionState::Merged
                    | SuggestionState::Withdrawn
            ),
        evaluate: false,
        publish: false,
    };
    let congress_name = org::store::congresses::get(&mut c, s.congress_id)
        .await?
        .map(|x| x.name)
        .unwrap_or_default();
    let session_label = match s.session_id {
        Some(sid) => match org::store::congresses::get_session(&mut c, sid).await? {
            Some(sess) => {
                let term = org::store::congresses::get_term(&mut c, sess.term_id)
                    .await?
                    .map(|t| t.number)
                    .unwrap_or(0);
                format!("第{term}届第{}次会议", sess.number)
            }
            None => String::new(),
        },
        None => "闭会期间".to_string(),
    };
    let attachments = app::attachments::list(&mut c, "suggestion", id).await?;
    let item = match s.item_id {
        None => None,
        Some(item_id) => {
            let l = engine::service::readable(ctx, &mut c, actor, item_id, "建议").await?;
            let v = engine::service::view::of_loaded(ctx, &mut c, actor, &l).await?;
            can.evaluate = v.can_evaluate;
            can.publish = staff && v.item.replied_at.is_some();
            Some(v)
        }
    };
    let merged_label = match s.merged_into {
        Some(m) => match crate::store::suggestions::get(&mut c, m).await? {
            Some(t) => match t.number {
                Some(n) => format!("第 {n} 号“{}”", t.title),
                None => format!("“{}”", t.title),
            },
            None => String::new(),
        },
        None => String::new(),
    };
    let heard = match ctx.get::<app::handoff::HearingsHandoff>() {
        Some(h) if s.kind == SuggestionKind::Motion.code() => h.of_motion(&mut c, id).await?,
        _ => Vec::new(),
    };
    Ok(Detail {
        heard,
        merged_label,
        kind_label: label(SuggestionKind::parse, &s.kind, SuggestionKind::label),
        state_label: crate::rules::status_label(&s.state, s.item_state.as_deref()).into(),
        congress_name,
        session_label,
        signers,
        attachments,
        item,
        can,
        invited,
        s,
    })
}

/// Suggestions the actor may list: staff and leaders their congresses',
/// deputies their own (led, co-signed, originated), units those assigned to them.
#[tracing::instrument(name = "suggestions::view::list", skip_all, fields(actor = %actor.username))]
pub async fn list(
    ctx: &Ctx,
    actor: &Actor,
    mut f: SuggestionFilter,
    page: Page,
) -> Result<Paged<SuggestionRow>> {
    actor.require(Permission::ViewSuggestions)?;
    let mut c = ctx.db.read().await?;
    match actor.role {
        Role::Admin | Role::Staff | Role::CongressLeader => {
            if let Some(mine) = org::scope::visible_congresses(&mut c, actor).await? {
                f.congress_ids = Some(mine);
            }
            f.not_draft = true;
        }
        Role::Deputy => f.deputy_id = Some(actor.deputy_id.unwrap_or(-1)),
        Role::UnitHandler | Role::UnitHead => {
            let units = actor_units(&mut c, actor).await?;
            f.unit_id = Some(units.first().copied().unwrap_or(-1));
        }
        Role::GovLeader => return Err(Error::Forbidden),
    }
    Ok(crate::store::suggestions::list(&mut c, &f, page).await?)
}

/// Pending co-signing invitations of the deputy.
#[tracing::instrument(name = "suggestions::view::invitations", skip_all, fields(actor = %actor.username))]
pub async fn invitations(ctx: &Ctx, actor: &Actor) -> Result<Vec<SuggestionRow>> {
    let Some(d) = actor.deputy_id.filter(|_| actor.role == Role::Deputy) else {
        return Ok(Vec::new());
    };
    let mut c = ctx.db.read().await?;
    Ok(crate::store::suggestions::invitations(&mut c, d).await?)
}

/// The work queues, as the engine keeps them; `Key` is the queue of
/// key-supervised suggestions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    Unit,
    Signoff,
    Overdue,
    Key,
}

#[tracing::instrument(name = "suggestions::view::queue", skip_all, fields(actor = %actor.username))]
pub async fn queue(ctx: &Ctx, actor: &Actor, q: Queue, page: Page) -> Result<Paged<QueueRow>> {
    use engine::service::view::Queue as Q;
    let q = match q {
        Queue::Unit => Q::Unit,
        Queue::Signoff => Q::Signoff,
        Queue::Overdue => Q::Overdue,
        Queue::Key => Q::Picked(crate::kind::KEY_SUPERVISED),
    };
    engine::service::view::queue(ctx, actor, q, page).await
}

/// Published replies, for everyone (no sign-in needed).
pub async fn public_list(
    ctx: &Ctx,
    mut f: SuggestionFilter,
    page: Page,
) -> Result<Paged<SuggestionRow>> {
    f.published_only = true;
    f.deputy_id = None;
    f.states = None;
    let mut c = ctx.db.read().await?;
    Ok(crate::store::suggestions::list(&mut c, &f, page).await?)
}

#[derive(Debug, Clone)]
pub struct PublicReply {
    pub s: SuggestionRow,
    pub congress_name: String,
    pub units: Vec<String>,
    pub replies: Vec<ReplyView>,
}

/// One published suggestion with its signed replies.
pub async fn public_detail(ctx: &Ctx, id: i64) -> Result<PublicReply> {
    let mut c = ctx.db.read().await?;
    let s = crate::store::suggestions::get(&mut c, id)
        .await?
        .filter(|s| s.publication == "published" && s.confidential == 0)
        .ok_or(Error::NotFound("公开答复"))?;
    let item_id = s.item_id.ok_or(Error::NotFound("公开答复"))?;
    let rows = engine::store::assignments(&mut c, item_id).await?;
    let mut replies = Vec::new();
    let sent: Vec<engine::store::ReplyRow> = engine::store::replies(&mut c, item_id)
        .await?
        .into_iter()
        .filter(|r| r.sent())
        .collect();
    // The latest sent reply of each unit (a draft of a later round stays unseen).
    for r in sent
        .iter()
        .filter(|r| {
            !sent
                .iter()
                .any(|x| x.assignment_id == r.assignment_id && x.id > r.id)
        })
        .cloned()
    {
        let a = rows.iter().find(|a| a.id == r.assignment_id);
        replies.push(ReplyView {
            unit_name: a.map(|a| a.unit_name.clone()).unwrap_or_default(),
            signoffs: Vec::new(),
            attachments: Vec::new(),
            r,
        });
    }
    Ok(PublicReply {
        congress_name: org::store::congresses::get(&mut c, s.congress_id)
            .await?
            .map(|x| x.name)
            .unwrap_or_default(),
        units: rows
            .iter()
            .filter(|a| a.state != AssignmentState::Returned.code())
            .map(|a| a.unit_name.clone())
            .collect(),
        replies,
        s,
    })
}

/// An attachment the actor may read (through the suggestion it belongs to).
pub async fn attachment(
    ctx: &Ctx,
    actor: Option<&Actor>,
    id: i64,
) -> Result<(AttachmentMeta, Vec<u8>)> {
    let mut c = ctx.db.read().await?;
    let (meta, bytes) = app::store::attachments::get(&mut c, id)
        .await?
        .ok_or(Error::NotFound("附件"))?;
    let suggestion_id = match meta.owner_kind.as_str() {
        "suggestion" => meta.owner_id,
        "reply" => {
            let item = engine::store::reply_item(&mut c, meta.owner_id)
                .await?
                .ok_or(Error::NotFound("附件"))?;
            crate::store::suggestions::by_item(&mut c, item)
                .await?
                .map(|s| s.id)
                .ok_or(Error::NotFound("附件"))?
        }
        _ => return Err(Error::NotFound("附件")),
    };
    match actor {
        Some(a) => {
            readable(&mut c, a, suggestion_id)
                .await
                .map_err(|_| Error::NotFound("附件"))?;
        }
        None => {
            // The public may read the attachments of published replies only.
            let s = crate::store::suggestions::get(&mut c, suggestion_id).await?;
            if meta.owner_kind != "reply"
                || s.is_none_or(|s| s.publication != "published" || s.confidential == 1)
            {
                return Err(Error::NotFound("附件"));
            }
        }
    }
    // A draft reply's files stay with those who see the draft.
    if meta.owner_kind == "reply"
        && !engine::service::view::may_read_reply(ctx, &mut c, actor, meta.owner_id).await?
    {
        return Err(Error::NotFound("附件"));
    }
    Ok((meta, bytes))
}

/// The list the actor sees, as .xlsx (batched; at most the counting cap of rows).
#[tracing::instrument(name = "suggestions::view::export", skip_all, fields(actor = %actor.username))]
pub async fn export(ctx: &Ctx, actor: &Actor, f: SuggestionFilter) -> Result<Vec<u8>> {
    use office::xlsx::Value;
    let cols = [
        ("编号", 8.0),
        ("标题", 40.0),
        ("类型", 8.0),
        ("领衔代表", 10.0),
        ("分类", 12.0),
        ("状态", 10.0),
        ("主办单位", 22.0),
        ("协办单位", 22.0),
        ("交办日期", 12.0),
        ("答复期限", 16.0),
        ("重点督办", 8.0),
        ("提交时间", 18.0),
        ("公开", 8.0),
    ];
    let cols: Vec<office::xlsx::Column> = cols
        .iter()
        .map(|(h, w)| office::xlsx::Column {
            header: h,
            width: *w,
        })
        .collect();
    let title = format!(
        "议案建议清单（导出时间 {}）",
        kernel::time::format_minute(ctx.now_ms())
    );
    let mut w = office::xlsx::SheetWriter::titled("议案建议", &title, &cols)?;
    let mut page = 1;
    loop {
        let p = list(
            ctx,
            actor,
            f.clone(),
            Page::new(Some(page), Some(Page::MAX_PER_PAGE)),
        )
        .await?;
        let item_ids: Vec<i64> = p.items.iter().filter_map(|s| s.item_id).collect();
        let assignments = {
            let mut c = ctx.db.read().await?;
            engine::store::assignments_of_items(&mut c, &item_ids).await?
        };
        for s in &p.items {
            let mine: Vec<&engine::store::AssignmentRow> = assignments
                .iter()
                .filter(|a| Some(a.item_id) == s.item_id && a.state != "returned")
                .collect();
            let names = |role: &str| {
                mine.iter()
                    .filter(|a| a.role == role)
                    .map(|a| a.unit_name.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            };
            let lead = mine.iter().find(|a| a.role == "lead");
            let lead_units = {
                let l = names("lead");
                let sep = names("separate");
                match (l.is_empty(), sep.is_empty()) {
                    (_, true) => l,
                    (true, false) => sep,
                    (false, false) => format!("{l}、{sep}"),
                }
            };
            w.push_values(&[
                Value::from(s.number),
                s.title.clone().into(),
                label(SuggestionKind::parse, &s.kind, SuggestionKind::label).into(),
                s.lead_name.clone().into(),
                s.category.clone().into(),
                crate::rules::status_label(&s.state, s.item_state.as_deref()).into(),
                lead_units.into(),
                names("assisting").into(),
                lead.map(|a| a.assigned_on.clone())
                    .unwrap_or_default()
                    .into(),
                lead.map(|a| {
                    if a.provisional == 1 {
                        format!("{}（暂定）", a.due_date)
                    } else {
                        a.due_date.clone()
                    }
                })
                .unwrap_or_default()
                .into(),
                if s.key_supervision == 1 { "是" } else { "" }.into(),
                s.submitted_at
                    .map(kernel::time::format_minute)
                    .unwrap_or_default()
                    .into(),
                match s.publication.as_str() {
                    "published" => "已公开",
                    "withheld" => "不予公开",
                    _ => "",
                }
                .into(),
            ])?;
        }
        if p.items.len() < Page::MAX_PER_PAGE as usize || page * Page::MAX_PER_PAGE >= db::COUNT_CAP
        {
            break;
        }
        page += 1;
    }
    Ok(w.finish()?)
}
