//! Seeding a million tracked items for the closed loop's benchmarks.
//!
//! The seed writes rows directly with multi-row inserts (a benchmark fixture,
//! not a use case): suggestions, their tracked items and lead assignments
//! spread over the demo's units, most replied, some open and overdue, and a
//! block of them in one session for the statistics page; with the history a
//! real item carries — contacts with the deputy, replies with their result
//! categories, commitments, evaluations and the event log — so that the
//! statistics and pages read tables of a real size.

use std::time::Instant;

use anyhow::{Context, Result};

const BATCH: usize = 250;

async fn exec_many(conn: &mut db::Conn, head: &str, rows: &[String]) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let sql = format!("{head} VALUES {}", rows.join(", "));
    sqlx::query(&sql).execute(conn).await?;
    Ok(())
}

/// One combination of dates for a seeded assignment.
struct Slot {
    assigned: String,
    due: String,
    return_by: String,
    /// The lead times (working days) already reached, as the hourly job
    /// would have recorded them.
    reminded: String,
}

/// Dates relative to today, so that the fixture means the same whenever the
/// bench runs: open assignments due over the next three months, overdue ones
/// due one to four months ago.
struct Dates {
    open: Vec<Slot>,
    overdue: Vec<Slot>,
}

impl Dates {
    fn new(leads: &[i64]) -> Result<Dates> {
        use jiff::ToSpan;
        let cal = kernel::calendar::Calendar::built_in();
        let today = kernel::time::today();
        let slot = |due_offset: i64| -> Result<Slot> {
            let due = today.checked_add(due_offset.days())?;
            let assigned = due.checked_sub(3.months())?;
            let remaining = cal.working_days_between(today, due).unwrap_or(i64::MAX);
            Ok(Slot {
                assigned: assigned.to_string(),
                due: due.to_string(),
                return_by: assigned.checked_add(10.days())?.to_string(),
                reminded: leads
                    .iter()
                    .filter(|l| remaining <= **l)
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(","),
            })
        };
        Ok(Dates {
            open: (1..=90).map(slot).collect::<Result<_>>()?,
            overdue: (30..=120).map(|d| slot(-d)).collect::<Result<_>>()?,
        })
    }
}

/// Seeds `n` items; the last `in_session` of them belong to the demo's latest session.
pub async fn seed(ctx: &app::Ctx, n: usize, in_session: usize) -> Result<()> {
    let (county, session, units, deputies) = {
        let mut c = ctx.db.read().await?;
        let county = org::store::congresses::all(&mut c)
            .await?
            .into_iter()
            .find(|c| c.level == "county")
            .context("county")?;
        let term = org::store::congresses::terms(&mut c, county.id)
            .await?
            .into_iter()
            .find(|t| t.number == 17)
            .context("term")?;
        let session = org::store::congresses::sessions(&mut c, term.id)
            .await?
            .into_iter()
            .last()
            .context("session")?;
        let units: Vec<i64> = org::store::units::names(&mut c, &[county.id])
            .await?
            .into_iter()
            .map(|u| u.0)
            .collect();
        let deputies: Vec<i64> = org::store::deputies::in_office_of(&mut c, county.id)
            .await?
            .into_iter()
            .map(|d| d.0)
            .collect();
        (county.id, session.id, units, deputies)
    };
    let next_id = |table: &'static str| async move {
        let mut c = ctx.db.read().await?;
        let max: Option<i64> = sqlx::query_scalar(&format!("SELECT MAX(id) FROM {table}"))
            .fetch_one(&mut c)
            .await?;
        Ok::<i64, anyhow::Error>(max.unwrap_or(0) + 1)
    };
    let mut next_item = next_id("tracked_item").await?;
    let mut next_assignment = next_id("assignment").await?;
    let mut next_reply = next_id("item_reply").await?;
    let mut next_suggestion = next_id("suggestion").await?;
    let results = suggestions::rules::DEFAULT_RESULT_CATEGORIES;
    let now = kernel::time::now_ms();
    let dates = Dates::new(&ctx.settings().await?.reminder_leads())?;
    let start = Instant::now();
    let mut done = 0;
    while done < n {
        let k = BATCH.min(n - done);
        let mut tx = ctx.db.begin().await?;
        let (mut items, mut assignments, mut suggestions) = (Vec::new(), Vec::new(), Vec::new());
        let (mut contacts, mut replies, mut commitments) = (Vec::new(), Vec::new(), Vec::new());
        let (mut evaluations, mut events) = (Vec::new(), Vec::new());
        for j in 0..k {
            let i = done + j;
            let id = next_item + j as i64;
            let aid = next_assignment + j as i64;
            let sid = next_suggestion + j as i64;
            // Not `i % len`: with 40 units that would give each unit one state only.
            let unit = units[(i + i / 20) % units.len()];
            let deputy = deputies[i % deputies.len()];
            // 70% replied and closed, 20% in handling (half of them overdue), 10% awaiting signatures.
            let (item_state, a_state) = match i % 10 {
                0..=6 => ("closed", "replied"),
                7 | 8 => ("handling", "handling"),
                _ => ("handling", "awaiting_head"),
            };
            let overdue = i % 20 == 7;
            let slot = if overdue {
                &dates.overdue[i % dates.overdue.len()]
            } else {
                &dates.open[i % dates.open.len()]
            };
            let (assigned, due, return_by) = (&slot.assigned, &slot.due, &slot.return_by);
            items.push(format!("({id}, 'suggestion', {sid}, {county}, '基准测试事项 {i}', '/suggestions/{sid}', 'deputy', {deputy}, '{item_state}', 1, 'normal', '{assigned}', {now}, {now})"));
            let first = if a_state == "replied" {
                "'2026-10-01', 1"
            } else {
                "NULL, NULL"
            };
            // History as the hourly reminder job would have left it: open
            // items had the reminders their remaining working days call for;
            // the long-overdue ones were escalated.
            let (reminded, escalated) = match (a_state, overdue) {
                ("replied", _) => ("", "NULL".to_string()),
                (_, true) => ("15,5", now.to_string()),
                _ => (slot.reminded.as_str(), "NULL".to_string()),
            };
            assignments.push(format!(
                "({aid}, {id}, {unit}, 'lead', '{a_state}', '{assigned}', '{due}', '起算日 {assigned}（不计入）；3 个月', '{return_by}', {first}, '{reminded}', {escalated}, {now}, {now})"
            ));
            events.push(format!(
                "({id}, {aid}, {now}, '县人大常委会选联工委', 'assign', '交办')"
            ));
            // Contacts: every item that has a reply, and half of those in handling.
            if a_state != "handling" || i % 2 == 0 {
                contacts.push(format!("({id}, {aid}, 'before', 'phone', '{assigned}', '代表本人、承办人', '办前电话沟通办理思路', 1, {now})"));
            }
            if a_state != "handling" {
                let rid = next_reply;
                next_reply += 1;
                let result = results[i % results.len()];
                let sent = if a_state == "replied" {
                    now.to_string()
                } else {
                    "NULL".into()
                };
                replies.push(format!(
                    "({rid}, {id}, {aid}, 1, '答复内容', '{result}', 'sha', 1, {now}, {sent})"
                ));
                events.push(format!(
                    "({id}, {aid}, {now}, '承办人', 'reply', '提交答复')"
                ));
                if i % results.len() == 1 {
                    let state = if i % 3 == 0 { "fulfilled" } else { "open" };
                    commitments.push(format!(
                        "({id}, {rid}, '列入明年计划实施', '{due}', '{state}')"
                    ));
                }
            }
            if a_state == "replied" {
                contacts.push(format!("({id}, {aid}, 'after', 'visit', '{assigned}', '代表本人、承办人', '办后回访征求意见', 1, {now})"));
                let (attitude, result) = match i % 10 {
                    0 => ("basically_satisfied", "basically_satisfied"),
                    1 => ("satisfied", "basically_satisfied"),
                    _ => ("satisfied", "satisfied"),
                };
                evaluations.push(format!(
                    "({id}, 1, 'deputy', {deputy}, '{attitude}', '{result}', '', {now})"
                ));
            }
            let session_sql = if i >= n - in_session {
                session.to_string()
            } else {
                "NULL".into()
            };
            let number = if i >= n - in_session {
                (i - (n - in_session) + 1_000).to_string()
            } else {
                "NULL".into()
            };
            suggestions.push(format!(
                "({sid}, {county}, {session_sql}, {number}, 'suggestion', '基准测试建议 {i}', '内容', '交通运输', {deputy}, 'assigned', {id}, {now}, {now})"
            ));
        }
        exec_many(&mut tx, "INSERT INTO tracked_item (id, kind, subject_id, congress_id, title, link, proposer_kind, proposer_id, state, round, deadline_variant, assigned_on, created_at, updated_at)", &items).await?;
        exec_many(
            &mut tx,
            "INSERT INTO assignment (id, item_id, unit_id, role, state, assigned_on, due_date, deadline_rule, return_by, first_reply_on, first_reply_on_time, reminded, overdue_notified_at, created_at, updated_at)",
            &assignments,
        )
        .await?;
        exec_many(&mut tx, "INSERT INTO suggestion (id, congress_id, session_id, number, kind, title, content, category, lead_deputy_id, state, item_id, created_at, updated_at)", &suggestions).await?;
        exec_many(&mut tx, "INSERT INTO item_contact (item_id, assignment_id, stage, method, contact_date, participants, summary, with_proposer, created_at)", &contacts).await?;
        exec_many(&mut tx, "INSERT INTO item_reply (id, item_id, assignment_id, round, text, result_category, sha, current, created_at, sent_at)", &replies).await?;
        exec_many(
            &mut tx,
            "INSERT INTO item_commitment (item_id, reply_id, text, due_date, state)",
            &commitments,
        )
        .await?;
        exec_many(&mut tx, "INSERT INTO item_evaluation (item_id, round, evaluator_kind, evaluator_id, attitude, result, comment, created_at)", &evaluations).await?;
        exec_many(
            &mut tx,
            "INSERT INTO item_event (item_id, assignment_id, at, actor_name, action, note)",
            &events,
        )
        .await?;
        tx.commit().await?;
        next_item += k as i64;
        next_assignment += k as i64;
        next_suggestion += k as i64;
        done += k;
        if done % 100_000 == 0 {
            println!("  {done} items, {:.0} s", start.elapsed().as_secs_f64());
        }
    }
    println!(
        "seeded {n} tracked items ({in_session} in session {session}) in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

/// How many deputies the load generator writes as (accounts `deputy01`…).
pub const LOAD_DEPUTIES: usize = 16;

/// Accounts for in-office county deputies (with one seat, so that a
/// suggestion needs no congress chosen), so that the load's suggestions
/// come from several deputies as at a session (their notices do not all fall
/// to one person and get combined).
pub async fn load_accounts(ctx: &app::Ctx) -> Result<()> {
    let mut tx = ctx.db.begin().await?;
    let deputies: Vec<(i64, String)> = sqlx::query_as(
        "SELECT d.id, d.name FROM deputy d JOIN deputy_mandate m ON m.deputy_id = d.id
         JOIN congress c ON c.id = m.congress_id
         WHERE c.level = 'county' AND m.status = 'in_office'
           AND d.id NOT IN (SELECT deputy_id FROM app_user WHERE deputy_id IS NOT NULL)
           AND (SELECT COUNT(*) FROM deputy_mandate o WHERE o.deputy_id = d.id AND o.status = 'in_office') = 1
         ORDER BY d.id LIMIT $1",
    )
    .bind(LOAD_DEPUTIES as i64)
    .fetch_all(&mut *tx)
    .await?;
    if deputies.len() < LOAD_DEPUTIES {
        anyhow::bail!("only {} county deputies without an account", deputies.len());
    }
    let hash = crypto::password::hash_password(ctx.hash_cost, org::service::demo::DEMO_PASSWORD)
        .map_err(|e| anyhow::anyhow!("hashing the demo password: {e}"))?;
    for (k, (id, name)) in deputies.into_iter().enumerate() {
        app::store::users::insert(
            &mut tx,
            &app::store::users::NewUser {
                username: format!("deputy{:02}", k + 1),
                display_name: name,
                password_hash: hash.clone(),
                role: "deputy".into(),
                data_scope: kernel::roles::Role::Deputy.default_scope().code().into(),
                congress_id: None,
                office: None,
                unit_id: None,
                deputy_id: Some(id),
                must_change_password: false,
                is_demo: true,
            },
            kernel::time::now_ms(),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
