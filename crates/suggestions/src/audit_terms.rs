//! The operation log's words for the suggestion loop, and the suggestions
//! of one page of the log named as their users know them (第 7 号「…」).

use app::{Ctx, Result};
use webkit::capability::{AuditObject, AuditTerms};

const ACTIONS: &[(&str, &str)] = &[
    ("suggestion.create", "起草建议"),
    ("suggestion.update", "修改建议"),
    ("suggestion.submit", "提交建议"),
    ("suggestion.submitted", "提交建议"),
    ("suggestion.withdraw", "撤回建议"),
    ("suggestion.withdrawn", "撤回建议"),
    ("suggestion.returned", "置回修改"),
    ("suggestion.accepted", "审核通过"),
    ("suggestion.refused", "不予立案"),
    ("suggestion.merge", "并案"),
    ("suggestion.merged", "并案"),
    ("suggestion.assign", "交办"),
    ("suggestion.assigned", "交办"),
    ("suggestion.attach", "上传附件"),
    ("suggestion.category", "调整分类"),
    ("suggestion.confidential", "设置涉密"),
    ("suggestion.convert", "议案转为建议"),
    ("suggestion.cosign", "答复附议邀请"),
    ("suggestion.cosign_paper", "登记书面附议"),
    ("suggestion.invite", "邀请附议"),
    ("suggestion.invitation_withdraw", "撤回附议邀请"),
    ("suggestion.publication", "答复公开"),
    ("suggestion.supervision", "重点督办"),
];

const ENTITIES: &[(&str, &str)] = &[("suggestion", "议案建议")];

/// This capability's words, the engine's included.
pub fn terms() -> Vec<AuditTerms> {
    vec![
        AuditTerms {
            actions: ACTIONS,
            entities: ENTITIES,
        },
        AuditTerms {
            actions: engine::audit_terms::ACTIONS,
            entities: engine::audit_terms::ENTITIES,
        },
    ]
}

/// Suggestions, and assignments by their suggestion and unit.
pub async fn objects(ctx: &Ctx, refs: &[(String, String)]) -> Result<Vec<AuditObject>> {
    let ids = |entity: &str| -> Vec<i64> {
        refs.iter()
            .filter(|(e, _)| e == entity)
            .filter_map(|(_, id)| id.parse().ok())
            .collect()
    };
    let mut out = Vec::new();
    let mut c = ctx.db.read().await?;
    let suggestions = ids("suggestion");
    for (id, number, title) in crate::store::suggestions::names(&mut c, &suggestions).await? {
        out.push(AuditObject {
            entity: "suggestion".into(),
            id: id.to_string(),
            label: named(number, &title),
            href: format!("/suggestions/{id}"),
        });
    }
    let assignments = ids("assignment");
    for (id, sid, number, title, unit) in
        crate::store::suggestions::assignment_names(&mut c, &assignments).await?
    {
        out.push(AuditObject {
            entity: "assignment".into(),
            id: id.to_string(),
            label: format!("{}（{unit}）", named(number, &title)),
            href: format!("/suggestions/{sid}"),
        });
    }
    Ok(out)
}

fn named(number: Option<i64>, title: &str) -> String {
    match number {
        Some(n) => format!("第 {n} 号「{title}」"),
        None => format!("「{title}」"),
    }
}
