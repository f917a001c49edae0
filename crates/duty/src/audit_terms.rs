//! The operation log's words for the duty record's actions, and activities
//! named by who did what when.

use app::{Ctx, Result};
use webkit::capability::{AuditObject, AuditTerms};

const ACTIONS: &[(&str, &str)] = &[
    ("duty.activity.record", "登记履职活动"),
    ("duty.activity.record_many", "批量登记履职活动"),
    ("duty.activity.verify", "核实履职活动"),
    ("duty.activity.reject", "不予核实履职活动"),
    ("duty.scheme.create", "制定积分办法"),
    ("duty.scheme.add_item", "增加计分项目"),
    ("duty.scheme.remove_item", "删除计分项目"),
    ("duty.scheme.bands", "修改等次"),
    ("duty.grade", "定性评定"),
    ("duty.recompute", "重新计算积分"),
];

const ENTITIES: &[(&str, &str)] = &[
    ("duty_activity", "履职活动"),
    ("duty_batch", "批量登记"),
    ("score_scheme", "积分办法"),
];

pub fn terms() -> Vec<AuditTerms> {
    vec![AuditTerms {
        actions: ACTIONS,
        entities: ENTITIES,
    }]
}

/// Activities by deputy, date and type; schemes by year.
pub async fn objects(ctx: &Ctx, refs: &[(String, String)]) -> Result<Vec<AuditObject>> {
    let ids = |entity: &str| -> Vec<i64> {
        refs.iter()
            .filter(|(e, _)| e == entity)
            .filter_map(|(_, id)| id.parse().ok())
            .collect()
    };
    let (activities, schemes) = (ids("duty_activity"), ids("score_scheme"));
    let mut out = Vec::new();
    let mut c = ctx.db.read().await?;
    if !activities.is_empty() {
        let mut w = db::Where::new();
        w.in_list("a.id", &activities);
        let sql = format!(
            "SELECT a.id, d.name, a.activity_date, t.name FROM duty_activity a JOIN deputy d ON d.id = a.deputy_id
             JOIN activity_type t ON t.code = a.type_code{}",
            w.sql()
        );
        let rows: Vec<(i64, String, String, String)> =
            db::sql::bind_all(sqlx::query_as(&sql), &w.args)
                .fetch_all(&mut c)
                .await?;
        out.extend(rows.into_iter().map(|(id, name, date, t)| AuditObject {
            entity: "duty_activity".into(),
            id: id.to_string(),
            label: format!("{name} {date} {t}"),
            href: "/duty#queue".into(),
        }));
    }
    if !schemes.is_empty() {
        let mut w = db::Where::new();
        w.in_list("id", &schemes);
        let sql = format!("SELECT id, name, year FROM score_scheme{}", w.sql());
        let rows: Vec<(i64, String, i64)> = db::sql::bind_all(sqlx::query_as(&sql), &w.args)
            .fetch_all(&mut c)
            .await?;
        out.extend(rows.into_iter().map(|(id, name, year)| AuditObject {
            entity: "score_scheme".into(),
            id: id.to_string(),
            label: name,
            href: format!("/duty/scheme?year={year}"),
        }));
    }
    Ok(out)
}
