//! Settings an administrator may change, with their defaults and bounds. The
//! defaults follow common practice under GB/T 22239-2019 (level 3).

use serde::Serialize;

use crate::actor::Actor;
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::validate::Check;
use kernel::roles::Permission;

/// One setting's definition.
pub struct Def {
    pub key: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    pub default: i64,
    pub min: i64,
    pub max: i64,
}

pub const DEFS: &[Def] = &[
    Def {
        key: "lockout_threshold",
        label: "连续登录失败锁定次数",
        help: "连续输错密码达到该次数后锁定账号（等保三级常用 5 次）",
        default: 5,
        min: 3,
        max: 20,
    },
    Def {
        key: "lockout_minutes",
        label: "账号锁定时长（分钟）",
        help: "锁定期满后自动解锁，管理员也可手动解锁",
        default: 15,
        min: 1,
        max: 1440,
    },
    Def {
        key: "idle_timeout_minutes",
        label: "空闲会话超时（分钟）",
        help: "超过该时长无操作自动退出登录（等保三级常用不超过 30 分钟）",
        default: 30,
        min: 5,
        max: 240,
    },
    Def {
        key: "login_attempts_per_ip",
        label: "单个 IP 每 5 分钟登录失败上限",
        help: "5 分钟内失败的登录尝试达到该数后，该 IP 的登录请求被暂时拒绝；成功的登录不计入",
        default: 30,
        min: 5,
        max: 1000,
    },
    Def {
        key: "require_totp_for_staff",
        label: "要求工作人员启用动态口令",
        help: "开启后，管理员、工作人员、人大领导账号须绑定动态口令（双因素认证）",
        default: 0,
        min: 0,
        max: 1,
    },
    Def {
        key: "unit_return_working_days",
        label: "承办单位退回交办的期限（工作日）",
        help: "交办后该期限内，承办单位可说明理由退回不属于本单位职责的事项（按本地规定，常见为 7 个工作日）",
        default: 7,
        min: 1,
        max: 30,
    },
    Def {
        key: "opinion_months",
        label: "协办单位报送意见的期限（月）",
        help: "协办单位向主办单位提出协办意见的期限（按本地规定，常见为 1 个月）",
        default: 1,
        min: 1,
        max: 3,
    },
    Def {
        key: "lead_waits_for_opinions",
        label: "主办单位须待协办意见报送后答复",
        help: "开启后，协办单位的意见尚未报送时，主办单位不能提交答复，除非人大工作机构说明理由同意其先行答复",
        default: 1,
        min: 0,
        max: 1,
    },
    Def {
        key: "rehandling_months",
        label: "重新办理的答复期限（月）",
        help: "代表对答复不满意时重新办理的期限（按本地规定，常见为 1 个月，有的地方为 2 个月）",
        default: 1,
        min: 1,
        max: 3,
    },
    Def {
        key: "reminder_first_days",
        label: "第一次到期提醒（到期前工作日数）",
        help: "答复期限届满前该工作日数时提醒承办单位",
        default: 15,
        min: 1,
        max: 60,
    },
    Def {
        key: "reminder_second_days",
        label: "第二次到期提醒（到期前工作日数）",
        help: "答复期限届满前该工作日数时再次提醒承办单位",
        default: 5,
        min: 1,
        max: 30,
    },
    Def {
        key: "score_weight_on_time",
        label: "绩效考核权重：按时答复率",
        help: "承办单位绩效得分 = 各项比率 × 权重之和 ÷ 权重总和 × 100",
        default: 30,
        min: 0,
        max: 100,
    },
    Def {
        key: "score_weight_contact",
        label: "绩效考核权重：沟通率",
        help: "承办单位绩效得分 = 各项比率 × 权重之和 ÷ 权重总和 × 100",
        default: 20,
        min: 0,
        max: 100,
    },
    Def {
        key: "score_weight_satisfaction",
        label: "绩效考核权重：满意率",
        help: "承办单位绩效得分 = 各项比率 × 权重之和 ÷ 权重总和 × 100",
        default: 30,
        min: 0,
        max: 100,
    },
    Def {
        key: "score_weight_solved",
        label: "绩效考核权重：解决率",
        help: "承办单位绩效得分 = 各项比率 × 权重之和 ÷ 权重总和 × 100",
        default: 10,
        min: 0,
        max: 100,
    },
    Def {
        key: "score_weight_fulfilment",
        label: "绩效考核权重：承诺兑现率",
        help: "承办单位绩效得分 = 各项比率 × 权重之和 ÷ 权重总和 × 100",
        default: 10,
        min: 0,
        max: 100,
    },
    Def {
        key: "motion_reply_months",
        label: "代表议案办理期限（月）",
        help: "大会主席团决定交付办理的代表议案，承办单位办理并书面报告的期限；法律未规定全国统一期限，按本地议案办理规定设定",
        default: 6,
        min: 1,
        max: 12,
    },
    Def {
        key: "opinion_reply_months",
        label: "审议意见研究处理期限（月）",
        help: "常委会审议意见交办后，承办单位研究处理并书面报告的期限；法律未规定全国统一期限，按本级人大常委会的规定设定",
        default: 6,
        min: 1,
        max: 12,
    },
    Def {
        key: "meeting_pass_majority_of_present",
        label: "会议表决以出席人员过半数通过",
        help: "默认关闭：常委会、主任会议、主席团的表决以全体组成人员过半数通过（会议当日在任人数，空缺不计）；本地议事规则以出席人员计算时开启",
        default: 0,
        min: 0,
        max: 1,
    },
];

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Settings {
    pub values: Vec<(String, i64)>,
    /// The local regulation's name and articles, as messages cite them.
    pub local: crate::local_rule::LocalRule,
}

impl Settings {
    pub fn from_rows(rows: Vec<(String, String)>) -> Settings {
        let local = crate::local_rule::LocalRule::from_rows(&rows);
        let values = DEFS
            .iter()
            .map(|d| {
                let v = rows
                    .iter()
                    .find(|(k, _)| k == d.key)
                    .and_then(|(_, v)| v.parse::<i64>().ok())
                    .filter(|v| (d.min..=d.max).contains(v))
                    .unwrap_or(d.default);
                (d.key.to_string(), v)
            })
            .collect();
        Settings { values, local }
    }

    pub fn get(&self, key: &str) -> i64 {
        self.values
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| *v)
            .or_else(|| DEFS.iter().find(|d| d.key == key).map(|d| d.default))
            .unwrap_or(0)
    }

    pub fn lockout_threshold(&self) -> i64 {
        self.get("lockout_threshold")
    }
    pub fn lockout_ms(&self) -> i64 {
        self.get("lockout_minutes") * 60_000
    }
    pub fn idle_timeout_ms(&self) -> i64 {
        self.get("idle_timeout_minutes") * 60_000
    }
    pub fn login_attempts_per_ip(&self) -> i64 {
        self.get("login_attempts_per_ip")
    }
    pub fn reminder_leads(&self) -> Vec<i64> {
        vec![
            self.get("reminder_first_days"),
            self.get("reminder_second_days"),
        ]
    }
    pub fn require_totp_for_staff(&self) -> bool {
        self.get("require_totp_for_staff") == 1
    }
}

/// Saves settings given as (key, text) pairs; every value is checked first.
#[tracing::instrument(name = "app::settings::update", skip_all, fields(actor = %actor.username))]
pub async fn update(ctx: &Ctx, actor: &Actor, input: &[(String, String)]) -> Result<Settings> {
    actor.require(Permission::ManageSettings)?;
    let mut check = Check::new();
    let mut parsed = Vec::new();
    for (key, text) in input {
        let Some(def) = DEFS.iter().find(|d| d.key == key) else {
            check.add(key, "未知的设置项");
            continue;
        };
        match text.trim().parse::<i64>() {
            Ok(v) if (def.min..=def.max).contains(&v) => parsed.push((def, v)),
            _ => check.add(
                key,
                format!("{}应为 {} 到 {} 之间的整数", def.label, def.min, def.max),
            ),
        }
    }
    check.finish()?;
    let before = ctx.settings().await?;
    let now = ctx.now_ms();
    let mut tx = ctx.begin().await?;
    let mut changes = Vec::new();
    for (def, v) in &parsed {
        if before.get(def.key) != *v {
            changes.push(format!("{}: {} → {}", def.key, before.get(def.key), v));
        }
        crate::store::settings::set(&mut tx, def.key, &v.to_string(), now).await?;
        if def.key == "require_totp_for_staff" && before.get(def.key) != *v {
            let roles: Vec<&str> = kernel::roles::Role::ALL
                .iter()
                .filter(|r| r.is_staff_side())
                .map(|r| r.code())
                .collect();
            crate::store::users::require_totp_for_roles(&mut tx, &roles, *v == 1, now).await?;
        }
    }
    if changes.is_empty() {
        return Err(Error::BadRequest("设置没有变化".into()));
    }
    crate::audit::record(
        &mut tx,
        actor,
        "settings.update",
        "setting",
        "-",
        changes.join("; "),
    )
    .await?;
    tx.commit().await?;
    ctx.forget_settings();
    ctx.settings().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_out_of_range_values() {
        let s = Settings::from_rows(vec![
            ("lockout_threshold".into(), "7".into()),
            ("idle_timeout_minutes".into(), "100000".into()),
        ]);
        assert_eq!(s.lockout_threshold(), 7);
        assert_eq!(
            s.idle_timeout_ms(),
            30 * 60_000,
            "out of range falls back to the default"
        );
        assert_eq!(s.lockout_ms(), 15 * 60_000);
        assert!(!s.require_totp_for_staff());
        for d in DEFS {
            assert!((d.min..=d.max).contains(&d.default), "{}", d.key);
        }
    }
}
