//! The agenda: items in order, what each concerns, and the open vote on it.

use app::validate::Check;
use app::{Actor, Ctx, Error, Result};
use serde::Deserialize;

use crate::rules::{self, Attendance, Counts, LinkKind, MeetingState, PassRule};
use crate::store::{self, ItemRow, MeetingRow, Vote};

/// The setting that makes the bodies' votes count those present.
pub const PASS_OF_PRESENT_KEY: &str = "meeting_pass_majority_of_present";

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ItemInput {
    /// E.g. 听取和审议县人民政府关于代表建议办理情况的报告.
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 200)]
    pub title: String,
    /// What the item concerns: suggestion_report, motion, evaluation,
    /// appointment, rule, government_report, draft or other; empty for none.
    #[serde(default)]
    pub link_kind: String,
    /// The number or name users know it by (议案第3号, 2026年度代表建议办理情况报告).
    #[serde(default)]
    #[schema(max_length = 100)]
    pub link_ref: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct MoveInput {
    /// up or down.
    #[serde(default)]
    #[schema(required = true)]
    pub direction: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct VoteInput {
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub yes: app::de::Typed,
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub no: app::de::Typed,
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub abstain: app::de::Typed,
    /// Present but not voting (未表决).
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub not_voting: app::de::Typed,
    /// majority_of_members or majority_of_present; empty: the deployment's setting.
    #[serde(default)]
    pub rule: String,
}

/// An item and the meeting it is on, if the actor manages the meeting.
async fn managed_item(tx: &mut db::Tx, actor: &Actor, id: i64) -> Result<(ItemRow, MeetingRow)> {
    actor.require(kernel::roles::Permission::ManageMeetings)?;
    let item = store::item(tx, id).await?.ok_or(Error::NotFound("议题"))?;
    let m = super::managed(tx, actor, item.meeting_id)
        .await
        .map_err(|e| match e {
            Error::NotFound(_) => Error::NotFound("议题"),
            e => e,
        })?;
    Ok((item, m))
}

fn planning(m: &MeetingRow) -> Result<()> {
    let s = super::state_of(m);
    if s.open_for_planning() {
        Ok(())
    } else {
        Err(Error::Conflict(format!(
            "会议{}，议程不能再调整",
            s.label()
        )))
    }
}

#[tracing::instrument(name = "meetings::add_item", skip_all, fields(actor = %actor.username, id))]
pub async fn add_item(ctx: &Ctx, actor: &Actor, id: i64, input: &ItemInput) -> Result<i64> {
    let mut tx = ctx.begin().await?;
    let m = super::managed(&mut tx, actor, id).await?;
    planning(&m)?;
    let mut check = Check::new();
    let title = check.text("title", "议题", &input.title, 200);
    let link_ref = check.optional("link_ref", "关联事项", &input.link_ref, 100);
    let kind = if input.link_kind.trim().is_empty() {
        None
    } else {
        let k = LinkKind::parse(&input.link_kind);
        if k.is_none() {
            check.add("link_kind", "请选择关联事项的类别");
        }
        k
    };
    if kind.is_some() && link_ref.is_empty() {
        check.add("link_ref", "请填写关联事项的编号或名称");
    }
    if kind.is_none() && !link_ref.is_empty() {
        check.add("link_kind", "请选择关联事项的类别");
    }
    // A motion is found by its number, through the suggestion loop's hand-off.
    let motion = match (kind, ctx.get::<app::handoff::MotionsHandoff>()) {
        (Some(LinkKind::Motion), Some(motions)) if !link_ref.is_empty() => {
            let found = motions.find(&mut tx, m.congress_id, &link_ref).await?;
            if found.is_none() {
                check.add(
                    "link_ref",
                    format!("本级人大没有交付办理的“{link_ref}”，请填写议案编号，如：议案第3号"),
                );
            }
            found
        }
        _ => None,
    };
    check.finish()?;
    let link_ref = motion.as_ref().map_or(link_ref, |x| x.label.clone());
    let item = store::insert_item(
        &mut tx,
        id,
        &title,
        kind.map_or("", |k| k.code()),
        &link_ref,
        motion.as_ref().map(|x| x.id),
        ctx.now_ms(),
    )
    .await?;
    if let Some(x) = &motion {
        super::attendance::invite_lead(&mut tx, ctx, actor, &m, x).await?;
    }
    app::audit::record(
        &mut tx,
        actor,
        "meeting.agenda_add",
        "meeting",
        id,
        format!("{}议程增加：{title}", m.title),
    )
    .await?;
    tx.commit().await?;
    Ok(item)
}

#[tracing::instrument(name = "meetings::remove_item", skip_all, fields(actor = %actor.username, item))]
pub async fn remove_item(ctx: &Ctx, actor: &Actor, item: i64) -> Result<i64> {
    let mut tx = ctx.begin().await?;
    let (row, m) = managed_item(&mut tx, actor, item).await?;
    planning(&m)?;
    store::delete_item(&mut tx, item).await?;
    app::audit::record(
        &mut tx,
        actor,
        "meeting.agenda_remove",
        "meeting",
        m.id,
        format!("{}议程删除：{}", m.title, row.title),
    )
    .await?;
    tx.commit().await?;
    Ok(m.id)
}

/// Moves an item one place up or down.
#[tracing::instrument(name = "meetings::move_item", skip_all, fields(actor = %actor.username, item))]
pub async fn move_item(ctx: &Ctx, actor: &Actor, item: i64, input: &MoveInput) -> Result<i64> {
    let mut tx = ctx.begin().await?;
    let (row, m) = managed_item(&mut tx, actor, item).await?;
    planning(&m)?;
    let up = match input.direction.trim() {
        "up" => true,
        "down" => false,
        _ => return Err(Error::field("direction", "请选择上移或下移")),
    };
    let items = store::items(&mut tx, m.id).await?;
    let at = items
        .iter()
        .position(|i| i.id == item)
        .ok_or(Error::NotFound("议题"))?;
    let other = if up { at.checked_sub(1) } else { Some(at + 1) };
    let Some(other) = other.and_then(|o| items.get(o)) else {
        return Ok(m.id);
    };
    let now = ctx.now_ms();
    // Positions are renumbered 1..n so a swap never ties.
    for (i, it) in items.iter().enumerate() {
        let mut p = i as i64 + 1;
        if it.id == row.id {
            p = if up { at as i64 } else { at as i64 + 2 };
        } else if it.id == other.id {
            p = at as i64 + 1;
        }
        store::set_position(&mut tx, it.id, p, now).await?;
    }
    app::audit::record(
        &mut tx,
        actor,
        "meeting.agenda_move",
        "meeting",
        m.id,
        format!(
            "{}议程调整：{}{}",
            m.title,
            row.title,
            if up { "上移" } else { "下移" }
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(m.id)
}

/// The rule a vote is counted by when the request names none.
pub async fn default_rule(ctx: &Ctx) -> Result<PassRule> {
    Ok(if ctx.settings().await?.get(PASS_OF_PRESENT_KEY) == 1 {
        PassRule::MajorityOfPresent
    } else {
        PassRule::MajorityOfMembers
    })
}

/// Records an open vote's counts on an item; a correction replaces them until
/// the minutes are approved.
#[tracing::instrument(name = "meetings::record_vote", skip_all, fields(actor = %actor.username, item))]
pub async fn record_vote(
    ctx: &Ctx,
    actor: &Actor,
    item: i64,
    input: &VoteInput,
) -> Result<rules::Outcome> {
    let default = default_rule(ctx).await?;
    let mut tx = ctx.begin().await?;
    let (row, m) = managed_item(&mut tx, actor, item).await?;
    // A document issued on this vote stands on it: the vote is no longer corrected.
    if let Some(o) = crate::store::outputs::of_meeting(&mut tx, m.id)
        .await?
        .iter()
        .find(|o| {
            o.agenda_item_id == Some(item) && o.kind != crate::rules::OutputKind::Opinion.code()
        })
    {
        return Err(Error::Conflict(format!(
            "已依据该表决印发{}，表决结果不能再更正",
            o.number
        )));
    }
    let state = super::state_of(&m);
    if !matches!(state, MeetingState::Notified | MeetingState::Held) {
        return Err(Error::Conflict(format!(
            "会议{}，不能录入表决结果",
            state.label()
        )));
    }
    if m.meeting_date > ctx.today().to_string() {
        return Err(Error::Conflict(format!(
            "会议定于 {} 召开，召开后才能录入表决结果",
            m.meeting_date
        )));
    }
    let mut check = Check::new();
    let mut count = |field: &str, label: &str, v: &app::de::Typed| -> u32 {
        match v.value() {
            Err(t) => {
                check.add(field, format!("{label}人数应填数字，“{t}”不是整数"));
                0
            }
            Ok(None) => {
                check.add(field, format!("请填写{label}人数"));
                0
            }
            Ok(Some(n)) if !(0..=9999).contains(&n) => {
                check.add(field, format!("{label}人数应为 0 至 9999"));
                0
            }
            Ok(Some(n)) => u32::try_from(n).unwrap_or(0),
        }
    };
    let counts = Counts {
        yes: count("yes", "赞成", &input.yes),
        no: count("no", "反对", &input.no),
        abstain: count("abstain", "弃权", &input.abstain),
        not_voting: count("not_voting", "未表决", &input.not_voting),
    };
    let rule = if input.rule.trim().is_empty() {
        Some(default)
    } else {
        let r = PassRule::parse(&input.rule);
        if r.is_none() {
            check.add("rule", "请选择通过规则");
        }
        r
    };
    let roster = super::attendance::roster(&mut tx, &m).await?;
    let members = u32::try_from(roster.len()).unwrap_or(0);
    let present = u32::try_from(
        roster
            .iter()
            .filter(|l| l.attendance() == Some(Attendance::Present))
            .count(),
    )
    .unwrap_or(0);
    if check.is_ok()
        && let Some(why) = rules::counts_refusal(counts, present)
    {
        check.add("yes", why);
    }
    check.finish()?;
    let rule = rule.unwrap_or(default);
    let out = rules::outcome(rule, counts, members, present);
    store::set_vote(
        &mut tx,
        item,
        &Vote {
            yes: counts.yes.into(),
            no: counts.no.into(),
            abstain: counts.abstain.into(),
            not_voting: counts.not_voting.into(),
            base: out.base.into(),
            rule: rule.code(),
            passed: out.passed,
        },
        ctx.now_ms(),
    )
    .await?;
    let verdict = if out.unanimous {
        "全票通过"
    } else if out.passed {
        "通过"
    } else {
        "未通过"
    };
    app::audit::record(
        &mut tx,
        actor,
        if row.vote_passed.is_some() {
            "meeting.vote_correct"
        } else {
            "meeting.vote"
        },
        "meeting",
        m.id,
        format!(
            "{}表决“{}”：赞成 {}、反对 {}、弃权 {}、未表决 {}，{}（{}，应到 {} 人）",
            m.title,
            row.title,
            counts.yes,
            counts.no,
            counts.abstain,
            counts.not_voting,
            verdict,
            rule.label(),
            members
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(out)
}
