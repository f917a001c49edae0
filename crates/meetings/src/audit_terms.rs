//! The operation log's words for the meetings' actions, and meetings named by
//! their titles.

use app::{Ctx, Result};
use webkit::capability::{AuditObject, AuditTerms};

const ACTIONS: &[(&str, &str)] = &[
    ("meeting.create", "筹备会议"),
    ("meeting.update", "修改会议"),
    ("meeting.notified", "发出会议通知"),
    ("meeting.held", "确认会议召开"),
    ("meeting.minutes_approved", "审定会议纪要"),
    ("meeting.cancelled", "取消会议"),
    ("meeting.agenda_add", "增加议题"),
    ("meeting.agenda_remove", "删除议题"),
    ("meeting.agenda_move", "调整议程"),
    ("meeting.attendance", "登记出席"),
    ("meeting.sign_in", "扫码签到"),
    ("meeting.invite", "邀请列席"),
    ("meeting.uninvite", "撤销列席"),
    ("meeting.vote", "录入表决结果"),
    ("meeting.vote_correct", "更正表决结果"),
    ("meeting.issue", "印发会议文件"),
    ("meeting.opinion_assign", "交办审议意见"),
    ("meeting.forum", "记录列席代表座谈会"),
    ("meeting.forum_correct", "更正列席代表座谈会记录"),
    ("meeting.observer_apply", "申请旁听"),
    ("meeting.observer_decide", "审核旁听申请"),
    ("meeting.observer_sign_in", "旁听入场"),
];

const ENTITIES: &[(&str, &str)] = &[("meeting", "会议")];

pub fn terms() -> Vec<AuditTerms> {
    vec![AuditTerms {
        actions: ACTIONS,
        entities: ENTITIES,
    }]
}

/// Meetings by title.
pub async fn objects(ctx: &Ctx, refs: &[(String, String)]) -> Result<Vec<AuditObject>> {
    let ids: Vec<i64> = refs
        .iter()
        .filter(|(e, _)| e == "meeting")
        .filter_map(|(_, id)| id.parse().ok())
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut c = ctx.db.read().await?;
    let mut w = db::Where::new();
    w.in_list("id", &ids);
    let sql = format!("SELECT id, title FROM meeting{}", w.sql());
    let rows: Vec<(i64, String)> = db::sql::bind_all(sqlx::query_as(&sql), &w.args)
        .fetch_all(&mut c)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, title)| AuditObject {
            entity: "meeting".into(),
            id: id.to_string(),
            label: title,
            href: format!("/meetings/{id}"),
        })
        .collect())
}
