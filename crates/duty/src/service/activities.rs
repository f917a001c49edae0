//! Activities: a deputy records their own (pending until staff verify it),
//! staff record one for many deputies at once (verified as entered), and
//! staff verify or reject with a reason. Only verified activities count.

use app::de::Typed;
use app::validate::Check;
use app::{Actor, Ctx, Error, Result};
use db::sql::{Page, Paged};
use kernel::calendar::parse_date;
use kernel::roles::{Permission, Role};
use serde::Deserialize;

use crate::rules::ActivityState;
use crate::store::activities::{self as store, ActivityRow, Filter, NewActivity};

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ActivityInput {
    /// An activity type's code (one recorded by hand, not one another capability hands over).
    #[serde(default)]
    pub type_code: String,
    /// YYYY-MM-DD, not after today.
    #[serde(default)]
    #[schema(format = Date)]
    pub activity_date: String,
    #[serde(default)]
    #[schema(max_length = 100)]
    pub place: String,
    /// Duration in minutes; empty: not stated.
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub minutes: Typed,
    /// What was done.
    #[serde(default)]
    #[schema(min_length = 1, max_length = 2000)]
    pub summary: String,
    /// Staff entering for many: the deputies' names, one a line or separated by 、，,
    #[serde(default)]
    pub deputies: String,
}

/// The checked fields of an activity.
struct Checked {
    type_code: String,
    date: String,
    place: String,
    minutes: i64,
    summary: String,
}

async fn check(
    ctx: &Ctx,
    conn: &mut db::Conn,
    input: &ActivityInput,
    c: &mut Check,
) -> Result<Checked> {
    let types = crate::store::types(conn).await?;
    let code = input.type_code.trim();
    match types.iter().find(|t| t.code == code) {
        None if code.is_empty() => c.add("type_code", "请选择活动类型"),
        None => c.add("type_code", "活动类型不存在，请重新选择"),
        Some(t) if t.source != "manual" => c.add(
            "type_code",
            format!("“{}”由系统根据会议和建议记录自动计入，无需登记", t.name),
        ),
        Some(t) if t.active == 0 => c.add("type_code", format!("活动类型“{}”已停用", t.name)),
        Some(_) => {}
    }
    let date = c
        .take(
            "activity_date",
            parse_date(&input.activity_date).map_err(|e| e.to_string()),
        )
        .map(|d| d.to_string())
        .unwrap_or_default();
    if !date.is_empty() && date > ctx.today().to_string() {
        c.add("activity_date", "活动日期不能晚于今天");
    }
    let place = c.optional("place", "地点", &input.place, 100);
    let minutes = match input.minutes.value() {
        Ok(None) => 0,
        Ok(Some(m)) if (1..=24 * 60).contains(&m) => m,
        Ok(Some(_)) => {
            c.add("minutes", "时长应在 1 至 1440 分钟之间");
            0
        }
        Err(t) => {
            c.add("minutes", format!("时长“{t}”不是整数分钟"));
            0
        }
    };
    let summary = c.text("summary", "活动内容", &input.summary, 2000);
    Ok(Checked {
        type_code: code.to_string(),
        date,
        place,
        minutes,
        summary,
    })
}

/// A deputy records their own activity; it waits for staff to verify it.
#[tracing::instrument(name = "duty::record_own", skip_all, fields(actor = %actor.username))]
pub async fn record_own(ctx: &Ctx, actor: &Actor, input: &ActivityInput) -> Result<i64> {
    actor.require(Permission::ViewDutyRecord)?;
    let (Role::Deputy, Some(deputy)) = (actor.role, actor.deputy_id) else {
        return Err(Error::Forbidden);
    };
    let mut tx = ctx.begin().await?;
    let mandate = super::deputy_mandate(&mut tx, deputy, None).await?;
    let mut c = Check::new();
    let v = check(ctx, &mut tx, input, &mut c).await?;
    c.finish()?;
    let id = store::insert(
        &mut tx,
        &NewActivity {
            congress_id: mandate.congress_id,
            deputy_id: deputy,
            type_code: &v.type_code,
            activity_date: &v.date,
            place: &v.place,
            minutes: v.minutes,
            summary: &v.summary,
            state: ActivityState::Pending.code(),
            batch_id: None,
            recorded_by: actor.user_id,
            now: ctx.now_ms(),
        },
    )
    .await?;
    app::audit::record(
        &mut tx,
        actor,
        "duty.activity.record",
        "duty_activity",
        id,
        format!("{} {} {}", v.date, v.type_code, v.summary),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Names as staff type them: one a line, or separated by 、，, or spaces.
pub fn names_in(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .split(['\n', '\r', '、', '，', ',', ' ', '　', ';', '；'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    out.dedup();
    out
}

/// Staff record one activity for many deputies of their congress (everyone
/// at an inspection), picked by name; verified as entered. Returns how many.
#[tracing::instrument(name = "duty::record_many", skip_all, fields(actor = %actor.username))]
pub async fn record_many(
    ctx: &Ctx,
    actor: &Actor,
    congress: Option<i64>,
    input: &ActivityInput,
) -> Result<usize> {
    actor.require(Permission::ManageDutyRecord)?;
    let mut tx = ctx.begin().await?;
    let congress_id = super::congress_for(&mut tx, actor, congress).await?;
    let mut c = Check::new();
    let v = check(ctx, &mut tx, input, &mut c).await?;
    let names = names_in(&input.deputies);
    let roster = org::store::deputies::in_office_of(&mut tx, congress_id).await?;
    let mut ids = Vec::new();
    let mut unknown = Vec::new();
    let mut ambiguous = Vec::new();
    for n in &names {
        let found: Vec<i64> = roster
            .iter()
            .filter(|(_, name, _)| name == n)
            .map(|r| r.0)
            .collect();
        match found.as_slice() {
            [] => unknown.push(n.clone()),
            [id] => {
                if !ids.contains(id) {
                    ids.push(*id);
                }
            }
            _ => ambiguous.push(n.clone()),
        }
    }
    if names.is_empty() {
        c.add("deputies", "请填写参加活动的代表姓名");
    } else if !unknown.is_empty() {
        c.add(
            "deputies",
            format!("以下姓名不是本级在任代表：{}", unknown.join("、")),
        );
    } else if !ambiguous.is_empty() {
        c.add(
            "deputies",
            format!(
                "以下姓名有重名，请到代表名册核对后分别登记：{}",
                ambiguous.join("、")
            ),
        );
    } else if ids.len() > 500 {
        c.add("deputies", "一次最多登记 500 名代表");
    }
    c.finish()?;
    let batch = store::next_batch(&mut tx).await?;
    let now = ctx.now_ms();
    for d in &ids {
        store::insert(
            &mut tx,
            &NewActivity {
                congress_id,
                deputy_id: *d,
                type_code: &v.type_code,
                activity_date: &v.date,
                place: &v.place,
                minutes: v.minutes,
                summary: &v.summary,
                state: ActivityState::Verified.code(),
                batch_id: Some(batch),
                recorded_by: actor.user_id,
                now,
            },
        )
        .await?;
    }
    app::audit::record(
        &mut tx,
        actor,
        "duty.activity.record_many",
        "duty_batch",
        batch,
        format!(
            "{} {} {} 名代表：{}",
            v.date,
            v.type_code,
            ids.len(),
            v.summary
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(ids.len())
}

/// Staff verify (reason empty) or reject (a reason required) the ticked
/// pending activities of their congresses. Returns how many were reviewed.
#[tracing::instrument(name = "duty::review", skip_all, fields(actor = %actor.username))]
pub async fn review(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[i64],
    approve: bool,
    reason: &str,
) -> Result<usize> {
    actor.require(Permission::ManageDutyRecord)?;
    if ids.is_empty() {
        return Err(Error::BadRequest("请先勾选要核实的活动".into()));
    }
    if ids.len() > 200 {
        return Err(Error::BadRequest("一次最多核实 200 条".into()));
    }
    let mut c = Check::new();
    let reason = if approve {
        c.optional("reason", "理由", reason, 200)
    } else {
        c.text("reason", "不予核实的理由", reason, 200)
    };
    c.finish()?;
    let mut tx = ctx.begin().await?;
    let visible = org::scope::visible_congresses(&mut tx, actor).await?;
    let state = if approve {
        ActivityState::Verified
    } else {
        ActivityState::Rejected
    };
    let now = ctx.now_ms();
    for id in ids {
        let a = store::get(&mut tx, *id)
            .await?
            .filter(|a| visible.as_ref().is_none_or(|v| v.contains(&a.congress_id)))
            .ok_or(Error::NotFound("履职活动"))?;
        if a.state != ActivityState::Pending.code() {
            return Err(Error::Conflict(format!(
                "{} {} 的活动已核实过，请刷新后重试",
                a.deputy_name, a.activity_date
            )));
        }
        store::review(&mut tx, *id, state.code(), &reason, actor.user_id, now).await?;
        app::audit::record(
            &mut tx,
            actor,
            if approve {
                "duty.activity.verify"
            } else {
                "duty.activity.reject"
            },
            "duty_activity",
            id,
            format!("{} {} {}", a.deputy_name, a.activity_date, reason),
        )
        .await?;
        if !approve {
            app::notify::send(
                &mut tx,
                &[app::notify::Audience::Deputy(a.deputy_id)],
                "履职活动未通过核实",
                &format!(
                    "您登记的{}（{}）未通过核实，理由：{reason}",
                    a.type_name, a.activity_date
                ),
                "/duty",
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(ids.len())
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// pending, verified or rejected; empty: all.
    #[serde(default)]
    pub state: String,
    pub deputy_id: Option<i64>,
    pub year: Option<i64>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// Activities as the actor may see them: a deputy their own; staff and
/// leaders those of their congresses (the queue: state pending, oldest first).
pub async fn list(ctx: &Ctx, actor: &Actor, q: &ListQuery) -> Result<Paged<ActivityRow>> {
    actor.require(Permission::ViewDutyRecord)?;
    let mut f = Filter::default();
    if !q.state.is_empty() {
        let s =
            ActivityState::parse(&q.state).ok_or_else(|| Error::field("state", "状态不正确"))?;
        f.state = Some(s.code().into());
    }
    if let Some(y) = q.year {
        let (a, b) = super::year_bounds(y)?;
        f.from = Some(a);
        f.to = Some(b);
    }
    let mut conn = ctx.db.read().await?;
    if actor.role == Role::Deputy {
        f.deputy_id = Some(actor.deputy_id.ok_or(Error::Forbidden)?);
    } else {
        f.congresses = org::scope::visible_congresses(&mut conn, actor).await?;
        f.deputy_id = q.deputy_id;
    }
    let oldest_first = f.state.as_deref() == Some(ActivityState::Pending.code());
    Ok(store::list(&mut conn, &f, Page::new(q.page, q.per_page), oldest_first).await?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_split_on_every_separator_people_type() {
        assert_eq!(
            super::names_in("张三、李四，王五\n赵六  钱七;张三"),
            vec!["张三", "李四", "王五", "赵六", "钱七", "张三"]
        );
        assert!(super::names_in(" \n、").is_empty());
    }
}
