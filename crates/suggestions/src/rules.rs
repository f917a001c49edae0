//! Deputies' suggestions and motions before they are assigned: drafting,
//! joint signing, the motion threshold, and review by staff.

use app::local_rule::Article;
use app::options::OptionList;

use engine::rules::{
    Cite, ContactRule, DeadlineRule, Evaluator, ExtensionRule, ItemState, KindRules, Period,
    PeriodRule, PeriodSource, Permissions, RehandlingRule, Scale, SignoffChain, TransitionError,
};
use kernel::org::CongressLevel;
use kernel::roles::Permission;

kernel::coded! {
    /// 建议、批评和意见 or 议案.
    SuggestionKind {
        Suggestion = "suggestion" / "建议",
        Motion = "motion" / "议案",
    }
}

kernel::coded! {
    SuggestionState {
        Draft = "draft" / "草稿",
        Submitted = "submitted" / "待审核",
        Returned = "returned" / "已置回修改",
        Accepted = "accepted" / "待交办",
        Refused = "refused" / "不予立案",
        Merged = "merged" / "已并案",
        Assigned = "assigned" / "已交办",
        Withdrawn = "withdrawn" / "已撤回",
    }
}

kernel::coded! {
    SignerStatus {
        Invited = "invited" / "待确认",
        Confirmed = "confirmed" / "已附议",
        Declined = "declined" / "已谢绝",
    }
}

/// The one status a suggestion shows everywhere — lists, its page, the
/// handling record, exports: its own state until it is assigned, then its
/// tracked item's (办理中, 已答复, 跟踪落实, 已办结).
pub fn status_label(state: &str, item_state: Option<&str>) -> &'static str {
    match (
        SuggestionState::parse(state),
        item_state.and_then(ItemState::parse),
    ) {
        (Some(SuggestionState::Assigned), Some(i)) => i.label(),
        (Some(s), _) => s.label(),
        (None, _) => "",
    }
}

/// The statuses a list can be filtered by, in the order of the loop: the
/// suggestion's own before assignment, then its item's.
pub fn statuses() -> Vec<(&'static str, &'static str)> {
    SuggestionState::ALL
        .iter()
        .filter(|s| **s != SuggestionState::Assigned)
        .map(|s| (s.code(), s.label()))
        .chain(ItemState::ALL.iter().map(|s| (s.code(), s.label())))
        .collect()
}

/// A status filter as the store takes it: a suggestion state, or an item
/// state of assigned suggestions. Empty: no filter.
pub fn status_filter(code: &str) -> (Option<Vec<String>>, Option<String>) {
    let code = code.trim();
    if code.is_empty() {
        (None, None)
    } else if ItemState::parse(code).is_some() {
        (None, Some(code.to_string()))
    } else {
        (Some(vec![code.to_string()]), None)
    }
}

/// What can happen to a suggestion before assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuggestionEvent {
    Submit,
    Withdraw,
    /// 置回: back to the deputy for revision, with a reason.
    ReturnForRevision,
    Accept,
    /// Not accepted as a suggestion, with a reason from the configured list.
    Refuse,
    /// Merged into another item that keeps every originating deputy.
    Merge,
    Assign,
}

impl SuggestionEvent {
    pub fn label(self) -> &'static str {
        match self {
            SuggestionEvent::Submit => "提交",
            SuggestionEvent::Withdraw => "撤回",
            SuggestionEvent::ReturnForRevision => "置回修改",
            SuggestionEvent::Accept => "审核通过",
            SuggestionEvent::Refuse => "不予立案",
            SuggestionEvent::Merge => "并案",
            SuggestionEvent::Assign => "交办",
        }
    }
}

/// Who acts on a suggestion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuggestionParty {
    LeadDeputy,
    Staff,
    Other,
}

/// The suggestion state machine.
pub fn transition(
    state: SuggestionState,
    event: SuggestionEvent,
    party: SuggestionParty,
) -> Result<SuggestionState, TransitionError> {
    use SuggestionEvent as E;
    use SuggestionParty as P;
    use SuggestionState as S;
    let action = event.label();
    let wrong = || TransitionError::WrongState {
        state: state.label(),
        action,
    };
    let need = |p: P| {
        if party == p {
            Ok(())
        } else {
            Err(TransitionError::NotYours { action })
        }
    };
    match event {
        E::Submit => {
            need(P::LeadDeputy)?;
            match state {
                S::Draft | S::Returned => Ok(S::Submitted),
                _ => Err(wrong()),
            }
        }
        E::Withdraw => {
            need(P::LeadDeputy)?;
            match state {
                S::Draft | S::Submitted | S::Returned => Ok(S::Withdrawn),
                _ => Err(wrong()),
            }
        }
        E::ReturnForRevision | E::Refuse => {
            need(P::Staff)?;
            match state {
                S::Submitted | S::Accepted => Ok(if event == E::Refuse {
                    S::Refused
                } else {
                    S::Returned
                }),
                _ => Err(wrong()),
            }
        }
        E::Accept => {
            need(P::Staff)?;
            match state {
                S::Submitted => Ok(S::Accepted),
                _ => Err(wrong()),
            }
        }
        E::Merge => {
            need(P::Staff)?;
            match state {
                S::Submitted | S::Accepted => Ok(S::Merged),
                _ => Err(wrong()),
            }
        }
        E::Assign => {
            need(P::Staff)?;
            match state {
                S::Accepted => Ok(S::Assigned),
                _ => Err(wrong()),
            }
        }
    }
}

/// What a motion needs to be tabled by deputies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MotionRequirement {
    /// Deputies signing jointly, the lead included.
    pub signers: usize,
    /// Whether a delegation may table it instead.
    pub delegation_may: bool,
}

/// Who may table a motion: at the National People's Congress a delegation or
/// 30 deputies jointly (全国人民代表大会议事规则 第三十一条); at county level
/// and above a delegation or 10 deputies jointly; at township level 5 deputies
/// jointly (地方组织法 第二十二条).
pub fn motion_requirement(level: CongressLevel) -> MotionRequirement {
    match level {
        CongressLevel::National => MotionRequirement {
            signers: 30,
            delegation_may: true,
        },
        CongressLevel::Provincial | CongressLevel::City | CongressLevel::County => {
            MotionRequirement {
                signers: 10,
                delegation_may: true,
            }
        }
        CongressLevel::Township => MotionRequirement {
            signers: 5,
            delegation_may: false,
        },
    }
}

/// Whether a motion qualifies; `signers` counts the lead and the co-signers who confirmed.
pub fn motion_qualifies(level: CongressLevel, signers: usize, by_delegation: bool) -> bool {
    let r = motion_requirement(level);
    (by_delegation && r.delegation_may) || signers >= r.signers
}

/// Why a motion is handled as a suggestion, in words for the record.
pub fn conversion_reason(level: CongressLevel, signers: usize) -> String {
    let r = motion_requirement(level);
    format!(
        "{}人大代表提出议案须{}{} 名以上代表联名，本件联名 {signers} 人，按代表建议处理（地方组织法第二十二条）",
        level.label(),
        if r.delegation_may {
            "由代表团提出或"
        } else {
            ""
        },
        r.signers
    )
}

/// The default reasons for not accepting a suggestion (上海市人民代表大会关于代表建议、
/// 批评和意见的规定 第六、八条); the list in force is a setting.
/// A suggestion's handling on the tracked-item engine, as the law and the
/// local regulation set it.
pub const RULES: KindRules = KindRules {
    kind: "suggestion",
    noun: "建议",
    proposer_noun: "代表",
    // 代表法 第五十一条: answered within three months of assignment, six for
    // wide-ranging or difficult items.
    reply: DeadlineRule {
        period: PeriodSource::Fixed(Period::Months(3)),
        cite: Cite::Law("代表法 第五十一条"),
        label: "一般（三个月内答复）",
    },
    complex_reply: Some(DeadlineRule {
        period: PeriodSource::Fixed(Period::Months(6)),
        cite: Cite::Law("代表法 第五十一条"),
        label: "涉及面广、处理难度大（六个月内答复）",
    }),
    // The periods below come from the local regulation, whose name and
    // articles are settings; the defaults follow Shanghai's (上海市人民代表大会
    // 关于代表建议、批评和意见的规定 第十四、十七、十九、二十一条).
    // A wrongly assigned item goes back within 7 working days (a setting).
    return_window: PeriodRule {
        period: PeriodSource::WorkingDaysSetting("unit_return_working_days"),
        cite: Cite::Local(Article::Return),
    },
    // The assisting unit's opinion within one month (a setting).
    opinion: PeriodRule {
        period: PeriodSource::MonthsSetting("opinion_months"),
        cite: Cite::Local(Article::Opinion),
    },
    // At most three more months, approved once.
    extension: Some(ExtensionRule {
        max: 3,
        cite: Cite::Local(Article::Extension),
    }),
    // 三级签字: the unit head, then the government leader in charge.
    signoff: SignoffChain::UnitHeadThenLeader,
    // 代表法 第五十一条: 应当与代表联系沟通，充分听取意见.
    contact_before_reply: Some(ContactRule {
        with: "领衔代表",
        cite: Cite::Law("代表法 第五十一条"),
    }),
    evaluator: Evaluator::Proposer,
    scale: Scale::AttitudeAndResult,
    // 不满意 is answered again within one month (a setting; other places use
    // 15 days or 2 months).
    rehandling: Some(RehandlingRule {
        period: PeriodSource::MonthsSetting("rehandling_months"),
        cite: Cite::Local(Article::Rehandling),
    }),
    result_categories: Some(RESULT_CATEGORIES),
    permissions: Permissions {
        manage: Permission::ManageSuggestions,
        handle: Permission::HandleItems,
        sign_off: Permission::SignOffReplies,
        evaluate: Some(Permission::ProposeSuggestions),
    },
};

/// An accepted motion's handling (issue 13, section 3; seed 002, 徐州's
/// 议案办理规定): its own kind of item, handled within the period of the
/// local rules on motions (a setting: the law sets none), after asking the
/// lead deputy's opinion (「征求和听取办理意见」), signed as a suggestion's
/// reply is, and rated on the result alone (「由"答复满意"向"结果满意"转变」).
pub const MOTION_RULES: KindRules = KindRules {
    kind: "motion",
    noun: "议案",
    proposer_noun: "领衔代表",
    reply: DeadlineRule {
        period: PeriodSource::MonthsSetting("motion_reply_months"),
        cite: Cite::Unstated,
        label: "按本地议案办理规定的期限办理",
    },
    complex_reply: None,
    return_window: PeriodRule {
        period: PeriodSource::WorkingDaysSetting("unit_return_working_days"),
        cite: Cite::Local(Article::Return),
    },
    opinion: PeriodRule {
        period: PeriodSource::MonthsSetting("opinion_months"),
        cite: Cite::Local(Article::Opinion),
    },
    extension: None,
    signoff: SignoffChain::UnitHeadThenLeader,
    contact_before_reply: Some(ContactRule {
        with: "议案领衔代表",
        cite: Cite::Unstated,
    }),
    evaluator: Evaluator::Proposer,
    scale: Scale::Result,
    rehandling: Some(RehandlingRule {
        period: PeriodSource::MonthsSetting("rehandling_months"),
        cite: Cite::Unstated,
    }),
    result_categories: Some(RESULT_CATEGORIES),
    permissions: Permissions {
        manage: Permission::ManageSuggestions,
        handle: Permission::HandleItems,
        sign_off: Permission::SignOffReplies,
        evaluate: Some(Permission::ProposeSuggestions),
    },
};

/// The rules an item of this suggestion's kind is handled by.
pub fn rules_of(kind: &str) -> &'static KindRules {
    if kind == SuggestionKind::Motion.code() {
        &MOTION_RULES
    } else {
        &RULES
    }
}

/// The lists staff edit for the suggestion loop.
pub const CATEGORIES: OptionList = OptionList {
    key: "suggestion_category",
    name: "建议分类",
    defaults: DEFAULT_CATEGORIES,
};
pub const REFUSAL_REASONS: OptionList = OptionList {
    key: "refusal_reason",
    name: "不予立案理由",
    defaults: DEFAULT_REFUSAL_REASONS,
};
pub const RESULT_CATEGORIES: OptionList = OptionList {
    key: "result_category",
    name: "办理结果分类",
    defaults: DEFAULT_RESULT_CATEGORIES,
};
pub const OPTION_LISTS: &[OptionList] = &[CATEGORIES, REFUSAL_REASONS, RESULT_CATEGORIES];

/// The list with this key.
pub fn option_list(key: &str) -> Option<&'static OptionList> {
    OPTION_LISTS.iter().find(|l| l.key == key)
}

pub const DEFAULT_REFUSAL_REASONS: &[&str] = &[
    "不属于本级人大及其常委会职权范围",
    "代表本人及其亲属的个人诉求",
    "涉及具体司法案件或正在诉讼、仲裁的事项",
    "属于信访、检举、控告、申诉事项",
    "转交来信",
    "学术探讨、产品推介",
    "没有实际内容",
];

/// Default result categories of replies (national practice; 上海规定 第十八条).
pub const DEFAULT_RESULT_CATEGORIES: &[&str] = &[
    "A 已解决或基本解决",
    "B 正在解决或列入计划解决",
    "C 因条件限制需以后解决",
    "D 留作参考",
];

/// Default subject categories of suggestions.
pub const DEFAULT_CATEGORIES: &[&str] = &[
    "经济发展",
    "城乡建设",
    "交通运输",
    "农业农村",
    "教育科技",
    "医疗卫生",
    "社会保障",
    "生态环境",
    "文化旅游",
    "民主法治",
    "其他",
];

#[cfg(test)]
mod tests {
    use super::*;
    use SuggestionEvent as E;
    use SuggestionParty as P;
    use SuggestionState as S;

    #[test]
    fn motion_with_nine_cosigners_at_county_level_qualifies_only_with_the_lead() {
        // Lead + 9 co-signers = 10 deputies jointly.
        assert!(motion_qualifies(CongressLevel::County, 10, false));
        assert!(!motion_qualifies(CongressLevel::County, 9, false));
        assert!(
            motion_qualifies(CongressLevel::County, 1, true),
            "a delegation may table it"
        );
    }

    #[test]
    fn township_motions_need_five_and_no_delegation() {
        assert!(motion_qualifies(CongressLevel::Township, 5, false));
        assert!(!motion_qualifies(CongressLevel::Township, 4, false));
        assert!(!motion_qualifies(CongressLevel::Township, 4, true));
    }

    #[test]
    fn national_motions_need_thirty() {
        assert!(!motion_qualifies(CongressLevel::National, 29, false));
        assert!(motion_qualifies(CongressLevel::National, 30, false));
        assert!(conversion_reason(CongressLevel::County, 3).contains("10 名以上"));
    }

    #[test]
    fn every_event_from_every_state() {
        let allowed: &[(S, E, P, S)] = &[
            (S::Draft, E::Submit, P::LeadDeputy, S::Submitted),
            (S::Returned, E::Submit, P::LeadDeputy, S::Submitted),
            (S::Draft, E::Withdraw, P::LeadDeputy, S::Withdrawn),
            (S::Submitted, E::Withdraw, P::LeadDeputy, S::Withdrawn),
            (S::Returned, E::Withdraw, P::LeadDeputy, S::Withdrawn),
            (S::Submitted, E::ReturnForRevision, P::Staff, S::Returned),
            (S::Accepted, E::ReturnForRevision, P::Staff, S::Returned),
            (S::Submitted, E::Refuse, P::Staff, S::Refused),
            (S::Accepted, E::Refuse, P::Staff, S::Refused),
            (S::Submitted, E::Accept, P::Staff, S::Accepted),
            (S::Submitted, E::Merge, P::Staff, S::Merged),
            (S::Accepted, E::Merge, P::Staff, S::Merged),
            (S::Accepted, E::Assign, P::Staff, S::Assigned),
        ];
        let events = [
            E::Submit,
            E::Withdraw,
            E::ReturnForRevision,
            E::Accept,
            E::Refuse,
            E::Merge,
            E::Assign,
        ];
        for s in S::ALL {
            for e in events {
                for p in [P::LeadDeputy, P::Staff, P::Other] {
                    let got = transition(*s, e, p);
                    match allowed
                        .iter()
                        .find(|(a, b, c, _)| a == s && *b == e && *c == p)
                    {
                        Some(x) => assert_eq!(got, Ok(x.3), "{s:?} {e:?} {p:?}"),
                        None => assert!(got.is_err(), "{s:?} {e:?} {p:?} should be refused"),
                    }
                }
            }
        }
    }
}
