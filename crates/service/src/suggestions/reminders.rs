//! Reminders before deadlines and escalation of overdue assignments, run
//! periodically by the server (and callable from the command line). Each
//! reminder is sent once per lead time; each overdue assignment escalates once
//! to its unit, the congress's staff and leaders, and the government leader.

use domain::tracked::reminder_due;
use jiff::ToSpan;
use serde::Serialize;

use super::{link, record_step};
use crate::actor::Actor;
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::notify::{self, Audience};

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Summary {
    pub reminded: usize,
    pub escalated: usize,
}

pub async fn run(ctx: &Ctx) -> Result<Summary> {
    let settings = ctx.settings().await?;
    let leads = settings.reminder_leads();
    let today = domain::time::today();
    // Far enough ahead to cover the longest lead time in working days.
    let horizon = today
        .checked_add((leads.iter().copied().max().unwrap_or(15) * 2 + 20).days())
        .map_err(|_| Error::Internal)?
        .to_string();
    let system = Actor::system("reminders");
    let mut out = Summary::default();
    let mut after = 0;
    loop {
        let batch = {
            let mut c = ctx.db.read().await?;
            store::tracked::open_due_by(&mut c, &horizon, after, 200).await?
        };
        if batch.is_empty() {
            break;
        }
        let mut tx = ctx.db.begin().await?;
        let cal = crate::calendar::load(&mut tx).await?;
        for a in &batch {
            after = a.id;
            let Ok(due) = domain::calendar::parse_date(&a.due_date) else {
                continue;
            };
            let Some(s) = store::suggestions::by_item(&mut tx, a.item_id).await? else {
                continue;
            };
            if due < today {
                if a.overdue_notified_at.is_none() {
                    let text = format!(
                        "{}承办的“{}”已超过答复期限（{}）",
                        a.unit_name, s.title, a.due_date
                    );
                    let to = [
                        Audience::Unit(a.unit_id),
                        Audience::CongressStaff(s.congress_id),
                        Audience::CongressLeaders(s.congress_id),
                        Audience::UnitLeader(a.unit_id),
                    ];
                    notify::send(&mut tx, &to, "事项已超期", &text, &link(s.id)).await?;
                    store::tracked::set_overdue_notified(&mut tx, a.id, domain::time::now_ms())
                        .await?;
                    record_step(&mut tx, a.item_id, Some(a.id), &system, "超期督办", &text).await?;
                    crate::audit::record(
                        &mut tx,
                        &system,
                        "assignment.overdue",
                        "assignment",
                        a.id,
                        text,
                    )
                    .await?;
                    out.escalated += 1;
                }
                continue;
            }
            let Ok(remaining) = cal.working_days_between(today, due) else {
                continue;
            };
            let sent: Vec<i64> = a
                .reminded
                .split(',')
                .filter_map(|x| x.trim().parse().ok())
                .collect();
            if let Some(lead) = reminder_due(remaining, &leads, &sent) {
                let text = format!(
                    "“{}”距答复期限（{}）还有 {remaining} 个工作日",
                    s.title, a.due_date
                );
                notify::send(
                    &mut tx,
                    &[Audience::Unit(a.unit_id)],
                    "答复期限提醒",
                    &text,
                    &link(s.id),
                )
                .await?;
                let mut all = sent.clone();
                all.push(lead);
                let joined: Vec<String> = all.iter().map(|x| x.to_string()).collect();
                store::tracked::set_reminded(&mut tx, a.id, &joined.join(",")).await?;
                crate::audit::record(
                    &mut tx,
                    &system,
                    "assignment.remind",
                    "assignment",
                    a.id,
                    text,
                )
                .await?;
                out.reminded += 1;
            }
        }
        tx.commit().await?;
    }
    Ok(out)
}
