//! Assignment (交办): accepted suggestions become items of the tracked-item
//! engine, assigned to the same units with the statutory deadlines, one or
//! many at once (a 交办会 assigns a page of them).

use app::notify;
use app::{Actor, Ctx, Error, Result};
use engine::service::assign::{AssignInput, Clock, Plan, Subject, open, plan};
use kernel::roles::Permission;

use super::review::as_staff;
use super::{link, list_link};
use crate::kind::{MotionKind, SuggestionKind};
use crate::rules::{SuggestionEvent, SuggestionParty, SuggestionState, rules_of};

/// Assigns accepted suggestions to the same units; returns their items.
#[tracing::instrument(name = "suggestions::assign::assign", skip_all, fields(actor = %actor.username))]
pub async fn assign(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[i64],
    input: &AssignInput,
) -> Result<Vec<i64>> {
    actor.require(Permission::ManageSuggestions)?;
    let ids = super::batch_ids(ids, "请先在列表中勾选要交办的建议")?;
    let settings = ctx.settings().await?;
    let mut tx = ctx.begin().await?;
    let cal = ctx.calendar_with(&mut tx).await?;
    let clock = Clock {
        cal: &cal,
        settings: &settings,
        today: ctx.today(),
    };
    let mut items = Vec::new();
    let mut notices = notify::Batch::default();
    // A plan per congress and kind: a motion runs under its own rules.
    let mut planned: Option<((i64, &str), Plan)> = None;
    for id in &ids {
        let s = as_staff(&mut tx, actor, *id).await?;
        let state = SuggestionState::parse(&s.state)
            .ok_or_else(|| Error::internal(format!("suggestion {id} has state {}", s.state)))?;
        crate::rules::transition(state, SuggestionEvent::Assign, SuggestionParty::Staff)
            .map_err(engine::service::transition_error)?;
        let rules = rules_of(&s.kind);
        // The units are checked once per congress and kind, not once per item.
        if planned
            .as_ref()
            .is_none_or(|((c, k), _)| *c != s.congress_id || *k != rules.kind)
        {
            planned = Some((
                (s.congress_id, rules.kind),
                plan(&mut tx, rules, s.congress_id, input).await?,
            ));
        }
        let Some((_, p)) = &planned else {
            return Err(Error::internal("no plan for the congress just planned"));
        };
        let subject = Subject {
            id: s.id,
            congress_id: s.congress_id,
            title: &s.title,
            link: link(s.id),
            proposer_kind: "deputy",
            proposer_id: Some(s.lead_deputy_id),
        };
        let kind: &dyn engine::Kind = if rules.kind == crate::rules::MOTION_RULES.kind {
            &MotionKind
        } else {
            &SuggestionKind
        };
        let (item, names) = open(&mut tx, actor, kind, &clock, &subject, p, &mut notices).await?;
        store_item(&mut tx, s.id, item).await?;
        let variant = engine::rules::Variant::parse(&input.complexity)
            .unwrap_or(engine::rules::Variant::Normal);
        app::audit::record(
            &mut tx,
            actor,
            "suggestion.assign",
            "suggestion",
            s.id,
            format!(
                "交办 {}；{}",
                names.join("、"),
                rules.reply_rule(variant).label
            ),
        )
        .await?;
        items.push(item);
    }
    notices.send(&mut tx, list_link).await?;
    tx.commit().await?;
    Ok(items)
}

async fn store_item(tx: &mut db::Tx, id: i64, item: i64) -> Result<()> {
    let at = tx.at();
    crate::store::suggestions::set_item(tx, id, item, at).await?;
    Ok(())
}
