//! The audit trail's names for the engine's actions and records; each
//! capability built on the engine lists these with its own.

/// Action code → its name in the operation log.
pub const ACTIONS: &[(&str, &str)] = &[
    ("assignment.extend", "延期"),
    ("assignment.overdue", "超期督办"),
    ("assignment.reassign", "改交"),
    ("assignment.recompute", "重新计算期限"),
    ("assignment.remind", "到期提醒"),
    ("assignment.return", "退回交办"),
    ("item.attach", "上传附件"),
    ("item.contact", "登记沟通"),
    ("item.evaluate", "满意度测评"),
    ("item.fulfil", "承诺落实"),
    ("item.opinion", "送协办意见"),
    ("item.reply", "提交答复"),
    ("item.signoff_head", "单位负责人签发"),
    ("item.signoff_leader", "分管领导签批"),
    ("item.waive_opinions", "准予先行答复"),
];

/// Entity → noun.
pub const ENTITIES: &[(&str, &str)] = &[("assignment", "交办"), ("commitment", "承诺事项")];
