//! Provisional deadlines computed again once their year is entered.
//!
//! A deadline that counted a year whose State Council arrangement was not
//! published is provisional (暂定, [`kernel::holidays`]). When an
//! administrator enters (or corrects) a year, every open assignment with a
//! provisional deadline is computed again from how it was computed (its
//! [`Basis`]), in the same transaction: its handling record says what moved,
//! and the unit and the proposer are told.

use app::notify::{self, Audience};
use app::{Actor, Ctx, Error, Result};
use db::Tx;
use futures_util::future::BoxFuture;
use kernel::calendar::Calendar;

use super::record_step;
use crate::kind::kind_of;
use crate::rules::Basis;

/// What was computed again: assignments looked at, and those whose date moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recomputed {
    pub checked: usize,
    pub moved: usize,
}

/// Computes again, on `cal` (the calendar as it is once `year` is entered
/// or corrected), every open deadline that counted a provisional year or
/// falls from that year on.
pub async fn recompute(
    ctx: &Ctx,
    tx: &mut Tx,
    actor: &Actor,
    cal: &Calendar,
    year: i16,
) -> Result<Recomputed> {
    let mut out = Recomputed::default();
    for a in crate::store::recomputable(tx, &format!("{year:04}-01-01")).await? {
        let (Some(due_basis), Some(return_basis)) =
            (Basis::parse(&a.due_basis), Basis::parse(&a.return_basis))
        else {
            // Computed before bases were kept: nothing to compute again from.
            continue;
        };
        out.checked += 1;
        let due = due_basis
            .compute(cal)
            .map_err(|e| Error::internal(format!("assignment {}: {e}", a.id)))?;
        let back = return_basis
            .compute(cal)
            .map_err(|e| Error::internal(format!("assignment {}: {e}", a.id)))?;
        let new_due = due.due.to_string();
        let new_return = back.due.to_string();
        // The rule's own words before the computation ("经批准延期 3 个月：", "重办：") stay.
        let prefix = a
            .deadline_rule
            .split("起算日")
            .next()
            .unwrap_or("")
            .to_string();
        let rule = format!("{prefix}{}", due.explain());
        let provisional = due.is_provisional() || back.is_provisional();
        if new_due == a.due_date
            && new_return == a.return_by
            && rule == a.deadline_rule
            && provisional == (a.provisional == 1)
        {
            continue;
        }
        let at = tx.at();
        crate::store::set_recomputed(tx, a.id, &new_due, &rule, &new_return, provisional, at)
            .await?;
        if new_due == a.due_date && new_return == a.return_by {
            // Final now, on the same day: the record says so, nobody needs telling.
            record_step(
                tx,
                a.item_id,
                Some(a.id),
                actor,
                "期限确认",
                &format!(
                    "{}：答复期限 {new_due} 不变，已按录入的节假日安排确认",
                    a.unit_name
                ),
            )
            .await?;
            continue;
        }
        out.moved += 1;
        let item = crate::store::get_item(tx, a.item_id)
            .await?
            .ok_or_else(|| Error::internal(format!("assignment {} has no item", a.id)))?;
        let why = if provisional {
            "节假日安排更新后重新计算"
        } else {
            "节假日安排已录入，期限不再暂定"
        };
        let note = format!(
            "{}：答复期限 {} → {new_due}，退回期限 {} → {new_return}（{why}）",
            a.unit_name, a.due_date, a.return_by
        );
        record_step(tx, a.item_id, Some(a.id), actor, "期限重算", &note).await?;
        let text = format!(
            "“{}”的答复期限由 {} 调整为 {new_due}（{why}）",
            item.title, a.due_date
        );
        let mut to = kind_of(ctx, &item)?.proposer_audience(&item);
        to.push(Audience::Unit(a.unit_id));
        if new_due != a.due_date {
            notify::send(tx, &to, "答复期限调整", &text, &item.link).await?;
        }
        app::audit::record(tx, actor, "assignment.recompute", "assignment", a.id, note).await?;
    }
    Ok(out)
}

/// The engine's hook on entering a calendar year (installed by the server).
pub fn on_year_entered<'a>(
    ctx: &'a Ctx,
    tx: &'a mut Tx,
    actor: &'a Actor,
    cal: &'a Calendar,
    year: i16,
) -> BoxFuture<'a, Result<usize>> {
    Box::pin(async move { Ok(recompute(ctx, tx, actor, cal, year).await?.moved) })
}
