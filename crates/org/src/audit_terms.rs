//! The operation log's words for the foundation's actions and records, and
//! the records of one page of the log named as their users know them.

use app::{Ctx, Result};
use webkit::capability::{AuditObject, AuditTerms};

const ACTIONS: &[(&str, &str)] = &[
    ("announcement.post", "发布通知公告"),
    ("announcement.withdraw", "撤回通知公告"),
    ("api_token.create", "创建 API 令牌"),
    ("api_token.revoke", "吊销 API 令牌"),
    ("auth.lock", "锁定账号"),
    ("body.create", "设立机构"),
    ("body.add_member", "机构任职"),
    ("body.end_member", "机构离任"),
    ("body.correct_member", "更正机构任职"),
    ("calendar.add_year", "录入节假日安排"),
    ("calendar.update_year", "修改节假日安排"),
    ("calendar.delete_year", "删除节假日安排"),
    ("congress.create", "新建人大"),
    ("congress.rename", "人大更名"),
    ("term.create", "新建届次"),
    ("session.create", "新建会议"),
    ("deputy.create", "录入代表"),
    ("deputy.update", "修改代表信息"),
    ("deputy.terminate", "终止代表资格"),
    ("deputy.import", "导入代表名册"),
    ("deputy.export", "导出代表名册"),
    ("deputy.reveal", "查看代表个人信息"),
    ("notification.read", "阅读消息"),
    ("options.update", "修改分类与理由"),
    ("region.create", "新建行政区划"),
    ("region.rename", "行政区划更名"),
    ("settings.update", "修改系统设置"),
    ("settings.local_rule", "设置本地办理规定"),
    ("unit.create", "新建承办单位"),
    ("unit.update", "修改承办单位"),
    ("unit.import", "导入承办单位"),
    ("unit.export", "导出承办单位"),
    ("user.create", "新建账号"),
    ("user.update", "修改账号"),
    ("user.change_password", "修改密码"),
    ("user.reset_password", "重置密码"),
    ("user.reset_totp", "重置动态口令"),
    ("user.totp_begin", "开始绑定动态口令"),
    ("user.totp_enable", "启用动态口令"),
    ("user.unlock", "解锁账号"),
];

const ENTITIES: &[(&str, &str)] = &[
    ("announcement", "通知公告"),
    ("api_token", "API 令牌"),
    ("body", "机构"),
    ("calendar_year", "节假日安排"),
    ("congress", "人大"),
    ("congress_session", "会议"),
    ("demo", "演示数据"),
    ("deputy", "代表"),
    ("notification", "消息"),
    ("option_list", "选项"),
    ("region", "行政区划"),
    ("setting", "系统设置"),
    ("term", "届次"),
    ("unit", "承办单位"),
    ("user", "账号"),
];

pub fn terms() -> Vec<AuditTerms> {
    vec![AuditTerms {
        actions: ACTIONS,
        entities: ENTITIES,
    }]
}

/// Deputies, units, accounts, congresses and notices by name.
pub async fn objects(ctx: &Ctx, refs: &[(String, String)]) -> Result<Vec<AuditObject>> {
    let tables: &[(&str, &str, &str)] = &[
        ("deputy", "SELECT id, name FROM deputy", "/deputies/"),
        ("unit", "SELECT id, name FROM unit", "/units/"),
        (
            "user",
            "SELECT id, display_name || '（' || username || '）' FROM app_user",
            "/admin/users/",
        ),
        ("congress", "SELECT id, name FROM congress", "/congresses/"),
        (
            "announcement",
            "SELECT id, title FROM announcement",
            "/announcements/",
        ),
    ];
    let mut out = Vec::new();
    let mut c = ctx.db.read().await?;
    for (entity, select, href) in tables {
        let ids: Vec<i64> = refs
            .iter()
            .filter(|(e, _)| e == entity)
            .filter_map(|(_, id)| id.parse().ok())
            .collect();
        if ids.is_empty() {
            continue;
        }
        let mut w = db::Where::new();
        w.in_list("id", &ids);
        let sql = format!("{select}{}", w.sql());
        let rows: Vec<(i64, String)> = db::sql::bind_all(sqlx::query_as(&sql), &w.args)
            .fetch_all(&mut c)
            .await?;
        for (id, name) in rows {
            out.push(AuditObject {
                entity: entity.to_string(),
                id: id.to_string(),
                label: name,
                href: format!("{href}{id}"),
            });
        }
    }
    Ok(out)
}
