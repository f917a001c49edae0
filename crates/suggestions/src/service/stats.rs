//! Statistics of the suggestion closed loop per unit, category, session and
//! lead deputy: counts and rates computed in SQL, the unit performance score
//! (绩效考核) from weights an administrator sets, and the .xlsx export.

use crate::store::stats::{Dimension, StatFilter, StatRow};
use kernel::roles::{Permission, Role};

use app::actor::Actor;
use app::ctx::Ctx;
use app::error::{Error, Result};

/// Rates are `None` (shown as “—”, `null` in JSON) when nothing is counted
/// under them: a unit with no evaluated item has no satisfaction rate, which
/// is not the same as a satisfaction rate of zero.
#[derive(Debug, Clone)]
pub struct StatLine {
    pub row: StatRow,
    /// 按时答复率: first replies signed within the deadline, of assignments.
    pub on_time_rate: Option<f64>,
    /// 沟通率: assignments with at least one contact with the deputy.
    pub contact_rate: Option<f64>,
    /// 解决率: replied assignments whose result is 已解决.
    pub solved_rate: Option<f64>,
    /// 满意率: 满意 or 基本满意 (both ratings) at the latest evaluation, of evaluated.
    pub satisfaction_rate: Option<f64>,
    /// 重办率.
    pub rehandling_rate: Option<f64>,
    /// 承诺兑现率: commitments fulfilled, of the commitments in current replies.
    pub fulfilment_rate: Option<f64>,
    /// The unit performance score, 0–100.
    pub score: f64,
}

/// `n / d` rounded to 0.1 %, or `None` when there is nothing to divide by.
fn rate(n: i64, d: i64) -> Option<f64> {
    (d != 0).then(|| (n as f64 / d as f64 * 1000.0).round() / 1000.0)
}

/// The performance score (绩效考核), 0–100: the weighted mean of the rates
/// that are defined. A rate with nothing under it (no evaluation yet, no
/// commitment made) leaves the mean instead of counting as zero or as full
/// marks, so a unit is neither punished nor rewarded for what has not happened.
fn score(parts: &[Option<f64>], weights: &[f64]) -> f64 {
    let (sum, total) = parts
        .iter()
        .zip(weights)
        .filter_map(|(p, w)| p.map(|p| (p * w, *w)))
        .fold((0.0, 0.0), |(s, t), (pw, w)| (s + pw, t + w));
    if total <= 0.0 {
        0.0
    } else {
        (sum / total * 1000.0).round() / 10.0
    }
}

/// A rate as the page and the export show it.
pub fn percent(x: Option<f64>) -> String {
    match x {
        Some(x) => format!("{:.1}%", x * 100.0),
        None => "—".to_string(),
    }
}

pub fn dimension(s: &str) -> Option<Dimension> {
    match s {
        "unit" | "" => Some(Dimension::Unit),
        "category" => Some(Dimension::Category),
        "session" => Some(Dimension::Session),
        "deputy" => Some(Dimension::Deputy),
        _ => None,
    }
}

/// The congress whose sessions the statistics page offers ([`org::scope::own_congress`]).
#[tracing::instrument(name = "suggestions::stats::congress_of", skip_all, fields(actor = %actor.username))]
pub async fn congress_of(ctx: &Ctx, actor: &Actor) -> Result<Option<i64>> {
    let mut c = ctx.db.read().await?;
    org::scope::own_congress(&mut c, actor).await
}

/// The session the statistics page opens on: the most recent session of the
/// actor's own congress ([`org::scope::own_congress`]) that has begun (none without a congress, or a congress
/// without sessions). Offices review a session's suggestions; the whole
/// history stays one choice away, and over a very large history it is the
/// slow view (docs/benchmarks.md).
pub async fn default_session(ctx: &Ctx, congress: Option<i64>) -> Result<Option<i64>> {
    let Some(congress) = congress else {
        return Ok(None);
    };
    let mut c = ctx.db.read().await?;
    let today = ctx.today().to_string();
    Ok(org::store::congresses::latest_session(&mut c, congress, &today).await?)
}

#[tracing::instrument(name = "suggestions::stats::compute", skip_all, fields(actor = %actor.username))]
pub async fn compute(
    ctx: &Ctx,
    actor: &Actor,
    dim: Dimension,
    session_id: Option<i64>,
) -> Result<Vec<StatLine>> {
    // Every session: the whole history, one such report at a time.
    let _turn = match session_id {
        None => Some(ctx.heavy_report(app::ctx::HEAVY_REPORT_WAIT).await?),
        Some(_) => None,
    };
    let mut c = ctx.db.read().await?;
    let mut f = StatFilter {
        session_id,
        today: ctx.today().to_string(),
        ..Default::default()
    };
    match actor.role {
        Role::Admin | Role::Staff | Role::CongressLeader => {
            f.congress_ids = org::scope::visible_congresses(&mut c, actor).await?
        }
        Role::UnitHandler | Role::UnitHead => {
            f.unit_ids = Some(org::scope::actor_units(&mut c, actor).await?)
        }
        _ => return Err(Error::Forbidden),
    }
    let settings = ctx.settings().await?;
    let weights = [
        settings.get("score_weight_on_time") as f64,
        settings.get("score_weight_contact") as f64,
        settings.get("score_weight_satisfaction") as f64,
        settings.get("score_weight_solved") as f64,
        settings.get("score_weight_fulfilment") as f64,
    ];
    let rows = crate::store::stats::aggregate(&mut c, dim, &f).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let on_time_rate = rate(r.on_time, r.assigned);
            let contact_rate = rate(r.contacted, r.assigned);
            let solved_rate = rate(r.solved, r.replied);
            let satisfaction_rate = rate(r.satisfied, r.evaluated);
            let rehandling_rate = rate(r.rehandled, r.assigned);
            let fulfilment_rate = rate(r.fulfilled, r.commitments);
            let score = score(
                &[
                    on_time_rate,
                    contact_rate,
                    satisfaction_rate,
                    solved_rate,
                    fulfilment_rate,
                ],
                &weights,
            );
            StatLine {
                row: r,
                on_time_rate,
                contact_rate,
                solved_rate,
                satisfaction_rate,
                rehandling_rate,
                fulfilment_rate,
                score,
            }
        })
        .collect())
}

#[tracing::instrument(name = "suggestions::stats::export", skip_all, fields(actor = %actor.username))]
pub async fn export(
    ctx: &Ctx,
    actor: &Actor,
    dim: Dimension,
    session_id: Option<i64>,
) -> Result<Vec<u8>> {
    use office::xlsx::Value;
    actor.require(Permission::ViewSuggestions)?;
    let lines = compute(ctx, actor, dim, session_id).await?;
    let head = match dim {
        Dimension::Unit => "承办单位",
        Dimension::Category => "分类",
        Dimension::Session => "会议",
        Dimension::Deputy => "领衔代表",
    };
    let cols = [
        (head, 24.0),
        ("交办件数", 10.0),
        ("已答复", 10.0),
        ("按时答复率", 12.0),
        ("沟通率", 10.0),
        ("解决率", 10.0),
        ("满意率", 10.0),
        ("重办率", 10.0),
        ("承诺兑现率", 12.0),
        ("超期未答复", 12.0),
        ("绩效得分", 10.0),
    ];
    let cols: Vec<office::xlsx::Column> = cols
        .iter()
        .map(|(h, w)| office::xlsx::Column {
            header: h,
            width: *w,
        })
        .collect();
    let title = format!(
        "议案建议办理统计（按{head}，导出时间 {}）",
        kernel::time::format_minute(ctx.now_ms())
    );
    let mut w = office::xlsx::SheetWriter::titled("办理统计", &title, &cols)?;
    // A rate over nothing is blank, not zero.
    let pct = |r: Option<f64>| r.map_or(Value::Empty, Value::Percent);
    for l in &lines {
        w.push_values(&[
            l.row.label.clone().into(),
            l.row.assigned.into(),
            l.row.replied.into(),
            pct(l.on_time_rate),
            pct(l.contact_rate),
            pct(l.solved_rate),
            pct(l.satisfaction_rate),
            pct(l.rehandling_rate),
            pct(l.fulfilment_rate),
            l.row.overdue.into(),
            Value::Decimal(l.score),
        ])?;
    }
    Ok(w.finish()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_round_and_are_undefined_over_nothing() {
        assert_eq!(rate(1, 3), Some(0.333));
        assert_eq!(rate(0, 0), None);
        assert_eq!(rate(0, 4), Some(0.0));
        assert_eq!(rate(2, 2), Some(1.0));
        assert_eq!(percent(Some(0.333)), "33.3%");
        assert_eq!(percent(None), "—");
    }

    #[test]
    fn the_score_is_the_weighted_mean_of_the_defined_rates() {
        let w = [30.0, 20.0, 30.0, 10.0, 10.0];
        let all = [Some(1.0), Some(1.0), Some(0.5), Some(1.0), Some(0.0)];
        // (30 + 20 + 15 + 10 + 0) / 100
        assert_eq!(score(&all, &w), 75.0);
        // Nothing evaluated and no commitment: those weights leave the mean.
        let early = [Some(1.0), Some(0.5), None, Some(1.0), None];
        // (30 + 10 + 10) / 60
        assert_eq!(score(&early, &w), 83.3);
        assert_eq!(score(&[None; 5], &w), 0.0);
        assert_eq!(score(&all, &[0.0; 5]), 0.0);
    }
}
