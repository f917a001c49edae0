//! Reminders before deadlines and escalation of overdue assignments, run
//! periodically by the server (and callable from the command line), for
//! items of every kind. Each reminder is sent once per lead time; each
//! overdue assignment escalates once to its unit, the congress's staff and
//! leaders, and the government leader.

use app::notify::{self, Audience};
use app::{Actor, Ctx, Error, Result};
use jiff::ToSpan;
use serde::Serialize;

use super::record_step;
use crate::rules::reminder_due;

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Summary {
    pub reminded: usize,
    pub escalated: usize,
}

/// Rows read per query; escalations written per transaction. Small write
/// batches keep the single SQLite writer free for people's requests between
/// them, even when a backlog (say after an import) has to be worked off.
const READ_BATCH: i64 = 500;
const WRITE_BATCH: usize = 50;

pub async fn run(ctx: &Ctx) -> Result<Summary> {
    let settings = ctx.settings().await?;
    let leads = settings.reminder_leads();
    let today = ctx.today();
    let mut out = Summary {
        escalated: escalate_overdue(ctx, today).await?,
        reminded: 0,
    };
    out.reminded = remind(ctx, today, &leads).await?;
    Ok(out)
}

/// Escalates each overdue assignment once: to its unit, the congress's staff
/// and leaders, and the government leader in charge of the unit.
async fn escalate_overdue(ctx: &Ctx, today: jiff::civil::Date) -> Result<usize> {
    let system = Actor::system("reminders");
    let today_s = today.to_string();
    let mut escalated = 0;
    let mut after = 0;
    loop {
        let batch = {
            let mut c = ctx.db.read().await?;
            crate::store::overdue_unescalated(&mut c, &today_s, after, READ_BATCH).await?
        };
        let Some(last) = batch.last() else { break };
        after = last.id;
        for chunk in batch.chunks(WRITE_BATCH) {
            let mut tx = ctx.begin().await?;
            for a in chunk {
                // The item first: marking an assignment escalated promises
                // that its notices and record are written with it.
                let Some(item) = crate::store::get_item(&mut tx, a.item_id).await? else {
                    return Err(Error::internal(format!("assignment {} has no item", a.id)));
                };
                // Conditional: replied or escalated meanwhile means nothing to send.
                if !crate::store::set_overdue_notified(&mut tx, a.id, ctx.now_ms()).await? {
                    continue;
                }
                let text = format!(
                    "{}承办的“{}”已超过答复期限（{}）",
                    a.unit_name, item.title, a.due_date
                );
                let to = [
                    Audience::Unit(a.unit_id),
                    Audience::CongressStaff(item.congress_id),
                    Audience::CongressLeaders(item.congress_id),
                    Audience::UnitLeader(a.unit_id),
                ];
                notify::send(&mut tx, &to, "事项已超期", &text, &item.link).await?;
                record_step(&mut tx, a.item_id, Some(a.id), &system, "超期督办", &text).await?;
                app::audit::record(
                    &mut tx,
                    &system,
                    "assignment.overdue",
                    "assignment",
                    a.id,
                    text,
                )
                .await?;
                escalated += 1;
            }
            tx.commit().await?;
            tokio::task::yield_now().await;
        }
    }
    Ok(escalated)
}

/// Reminds each unit before its deadline, once per lead time (in working
/// days). Reads the window first; writes only where a reminder is due.
async fn remind(ctx: &Ctx, today: jiff::civil::Date, leads: &[i64]) -> Result<usize> {
    let system = Actor::system("reminders");
    let from = today.to_string();
    let cal = ctx.calendar().await?;
    // A lead of L working days is reached while fewer than L + 1 working days
    // separate today from the due date: the bound is the (L + 1)-th working day.
    let mut bands = Vec::new();
    for &lead in leads {
        // A year whose holiday arrangement is not entered yet cannot be
        // counted in working days; a generous calendar bound keeps such
        // deadlines in view (the calendar check below then decides).
        let bound = match cal.add_working_days(today, lead + 1) {
            Ok(d) => d.due,
            Err(_) => today
                .checked_add((lead * 2 + 20).days())
                .map_err(|e| Error::internal(format!("reminder bound: {e}")))?,
        };
        bands.push((lead, bound.to_string()));
    }
    let mut reminded = 0;
    let mut after = (String::new(), 0);
    loop {
        let batch = {
            let mut c = ctx.db.read().await?;
            crate::store::open_needing_reminder(
                &mut c,
                &from,
                &bands,
                (&after.0, after.1),
                READ_BATCH,
            )
            .await?
        };
        let Some(last) = batch.last() else { break };
        after = (last.due_date.clone(), last.id);
        let due: Vec<_> = batch
            .into_iter()
            .filter_map(|a| {
                let date = kernel::calendar::parse_date(&a.due_date).ok()?;
                let remaining = cal.working_days_between(today, date).ok()?;
                let sent: Vec<i64> = a
                    .reminded
                    .split(',')
                    .filter_map(|x| x.trim().parse().ok())
                    .collect();
                let lead = reminder_due(remaining, leads, &sent)?;
                let mut all = sent;
                all.push(lead);
                let joined: Vec<String> = all.iter().map(|x| x.to_string()).collect();
                Some((a, remaining, joined.join(",")))
            })
            .collect();
        for chunk in due.chunks(WRITE_BATCH) {
            let mut tx = ctx.begin().await?;
            for (a, remaining, now_sent) in chunk {
                let Some(item) = crate::store::get_item(&mut tx, a.item_id).await? else {
                    return Err(Error::internal(format!("assignment {} has no item", a.id)));
                };
                if !crate::store::set_reminded(&mut tx, a.id, &a.reminded, now_sent).await? {
                    continue;
                }
                let text = format!(
                    "“{}”距答复期限（{}）还有 {remaining} 个工作日",
                    item.title, a.due_date
                );
                notify::send(
                    &mut tx,
                    &[Audience::Unit(a.unit_id)],
                    "答复期限提醒",
                    &text,
                    &item.link,
                )
                .await?;
                app::audit::record(
                    &mut tx,
                    &system,
                    "assignment.remind",
                    "assignment",
                    a.id,
                    text,
                )
                .await?;
                reminded += 1;
            }
            tx.commit().await?;
            tokio::task::yield_now().await;
        }
    }
    Ok(reminded)
}
