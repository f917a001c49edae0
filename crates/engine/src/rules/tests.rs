use super::*;
use AssignmentEvent as E;
use AssignmentState as S;
use app::local_rule::Article;

fn d(s: &str) -> Date {
    s.parse().expect("date")
}

const PERMS: Permissions = Permissions {
    manage: Permission::ManageOptions,
    handle: Permission::HandleItems,
    sign_off: Permission::SignOffReplies,
    evaluate: None,
};

/// A kind counted in months: months, a complex variant, an
/// extension, the full sign-off chain.
const MONTHLY: KindRules = KindRules {
    kind: "monthly",
    noun: "事项",
    proposer_noun: "提出人",
    reply: DeadlineRule {
        period: PeriodSource::Fixed(Period::Months(3)),
        cite: Cite::Law("某法 第一条"),
        label: "三个月",
    },
    complex_reply: Some(DeadlineRule {
        period: PeriodSource::Fixed(Period::Months(6)),
        cite: Cite::Law("某法 第一条"),
        label: "六个月",
    }),
    return_window: PeriodRule {
        period: PeriodSource::WorkingDaysSetting("unit_return_working_days"),
        cite: Cite::Local(Article::Return),
    },
    opinion: PeriodRule {
        period: PeriodSource::MonthsSetting("opinion_months"),
        cite: Cite::Local(Article::Opinion),
    },
    extension: Some(ExtensionRule {
        max: 3,
        cite: Cite::Local(Article::Extension),
    }),
    signoff: SignoffChain::UnitHeadThenLeader,
    contact_before_reply: Some(ContactRule {
        with: "提出人",
        cite: Cite::Law("某法 第一条"),
    }),
    evaluator: Evaluator::Proposer,
    scale: Scale::AttitudeAndResult,
    rehandling: None,
    result_categories: None,
    permissions: PERMS,
};

/// A kind counted in working days, without a complex variant.
const DAILY: KindRules = KindRules {
    kind: "daily",
    reply: DeadlineRule {
        period: PeriodSource::Fixed(Period::WorkingDays(15)),
        cite: Cite::Law("某办法 第三条"),
        label: "十五个工作日",
    },
    complex_reply: None,
    extension: Some(ExtensionRule {
        max: 10,
        cite: Cite::Law("某办法 第四条"),
    }),
    signoff: SignoffChain::None,
    ..MONTHLY
};

const CHAINS: [SignoffChain; 3] = [
    SignoffChain::None,
    SignoffChain::UnitHead,
    SignoffChain::UnitHeadThenLeader,
];

#[test]
fn the_happy_path_of_a_lead_unit_with_the_full_chain() {
    let chain = SignoffChain::UnitHeadThenLeader;
    let s = transition(
        S::Handling,
        UnitRole::Lead,
        &E::SubmitReply,
        Party::UnitHandler,
        chain,
    )
    .expect("submit");
    assert_eq!(s, S::AwaitingHead);
    let s = transition(s, UnitRole::Lead, &E::HeadApprove, Party::UnitHead, chain).expect("head");
    assert_eq!(s, S::AwaitingLeader);
    let s = transition(
        s,
        UnitRole::Lead,
        &E::LeaderApprove,
        Party::UnitLeader,
        chain,
    )
    .expect("leader");
    assert_eq!(s, S::Replied);
    let s = transition(s, UnitRole::Lead, &E::Rehandle, Party::System, chain).expect("rehandle");
    assert_eq!(s, S::Handling);
}

#[test]
fn without_a_chain_the_submitted_reply_is_sent() {
    let s = transition(
        S::Handling,
        UnitRole::Separate,
        &E::SubmitReply,
        Party::UnitHead,
        SignoffChain::None,
    );
    assert_eq!(s, Ok(S::Replied));
}

#[test]
fn a_chain_ending_at_the_head_has_no_leader_step() {
    let c = SignoffChain::UnitHead;
    assert!(
        transition(
            S::AwaitingHead,
            UnitRole::Lead,
            &E::HeadApprove,
            Party::UnitHead,
            c
        )
        .is_err()
    );
    assert_eq!(
        transition(
            S::AwaitingHead,
            UnitRole::Lead,
            &E::HeadApproveFinal,
            Party::UnitHead,
            c
        ),
        Ok(S::Replied)
    );
}

#[test]
fn rejections_go_back_to_handling() {
    let c = SignoffChain::UnitHeadThenLeader;
    assert_eq!(
        transition(
            S::AwaitingHead,
            UnitRole::Lead,
            &E::HeadReject,
            Party::UnitHead,
            c
        ),
        Ok(S::Handling)
    );
    assert_eq!(
        transition(
            S::AwaitingLeader,
            UnitRole::Separate,
            &E::LeaderReject,
            Party::UnitLeader,
            c
        ),
        Ok(S::Handling)
    );
}

/// The complete table of allowed moves for one chain; everything else is refused.
fn allowed(chain: SignoffChain) -> Vec<(S, UnitRole, E, Party, S)> {
    let mut v = Vec::new();
    let unit = [Party::UnitHandler, Party::UnitHead];
    for role in UnitRole::ALL {
        for p in unit {
            v.push((S::Handling, *role, E::Return, p, S::Returned));
        }
    }
    for p in unit {
        v.push((
            S::Handling,
            UnitRole::Assisting,
            E::SendOpinion,
            p,
            S::OpinionSent,
        ));
    }
    for role in [UnitRole::Lead, UnitRole::Separate] {
        for p in unit {
            let to = if chain == SignoffChain::None {
                S::Replied
            } else {
                S::AwaitingHead
            };
            v.push((S::Handling, role, E::SubmitReply, p, to));
        }
        if chain != SignoffChain::None {
            if chain == SignoffChain::UnitHeadThenLeader {
                v.push((
                    S::AwaitingHead,
                    role,
                    E::HeadApprove,
                    Party::UnitHead,
                    S::AwaitingLeader,
                ));
            }
            v.push((
                S::AwaitingHead,
                role,
                E::HeadApproveFinal,
                Party::UnitHead,
                S::Replied,
            ));
            v.push((
                S::AwaitingHead,
                role,
                E::HeadReject,
                Party::UnitHead,
                S::Handling,
            ));
        }
        v.push((
            S::AwaitingLeader,
            role,
            E::LeaderApprove,
            Party::UnitLeader,
            S::Replied,
        ));
        v.push((
            S::AwaitingLeader,
            role,
            E::LeaderReject,
            Party::UnitLeader,
            S::Handling,
        ));
        v.push((S::Replied, role, E::Rehandle, Party::System, S::Handling));
    }
    v
}

#[test]
fn every_event_from_every_state_for_every_party_and_chain() {
    let events = [
        E::Return,
        E::SendOpinion,
        E::SubmitReply,
        E::HeadApprove,
        E::HeadApproveFinal,
        E::HeadReject,
        E::LeaderApprove,
        E::LeaderReject,
        E::Rehandle,
    ];
    let parties = [
        Party::Staff,
        Party::UnitHandler,
        Party::UnitHead,
        Party::UnitLeader,
        Party::Proposer,
        Party::System,
        Party::Other,
    ];
    let mut checked = 0;
    for chain in CHAINS {
        let allowed = allowed(chain);
        for s in S::ALL {
            for r in UnitRole::ALL {
                for e in &events {
                    for p in parties {
                        let got = transition(*s, *r, e, p, chain);
                        let want = allowed
                            .iter()
                            .find(|(a, b, c, d, _)| a == s && b == r && c == e && *d == p)
                            .map(|x| x.4);
                        match want {
                            Some(to) => {
                                assert_eq!(got, Ok(to), "{chain:?} {s:?} {r:?} {e:?} {p:?}")
                            }
                            None => assert!(
                                got.is_err(),
                                "{chain:?} {s:?} {r:?} {e:?} {p:?} should be refused, got {got:?}"
                            ),
                        }
                        checked += 1;
                    }
                }
            }
        }
    }
    assert_eq!(checked, 3 * 6 * 3 * 9 * 7);
}

#[test]
fn refusals_say_why() {
    let c = SignoffChain::UnitHeadThenLeader;
    let e = transition(
        S::Replied,
        UnitRole::Lead,
        &E::SubmitReply,
        Party::UnitHandler,
        c,
    )
    .expect_err("wrong state");
    assert_eq!(e.to_string(), "当前状态“已答复”下不能提交答复");
    let e = transition(
        S::AwaitingHead,
        UnitRole::Lead,
        &E::HeadApprove,
        Party::UnitHandler,
        c,
    )
    .expect_err("not head");
    assert_eq!(e.to_string(), "您不能签发答复");
}

#[test]
fn roles_of_a_set_of_units() {
    use UnitRole::*;
    assert!(check_roles(&[Lead]).is_ok());
    assert!(check_roles(&[Lead, Assisting, Assisting]).is_ok());
    assert!(check_roles(&[Separate, Separate]).is_ok());
    assert!(check_roles(&[]).is_err());
    assert!(check_roles(&[Assisting]).is_err());
    assert!(check_roles(&[Lead, Lead]).is_err());
    assert!(check_roles(&[Lead, Separate]).is_err());
}

#[test]
fn the_item_is_replied_when_every_replying_unit_has_replied() {
    use AssignmentState::*;
    use UnitRole::*;
    assert!(all_replied(&[(Lead, Replied), (Assisting, OpinionSent)]));
    assert!(
        all_replied(&[(Lead, Replied), (Assisting, Handling)]),
        "assisting units do not hold up the reply"
    );
    assert!(!all_replied(&[(Lead, AwaitingLeader)]));
    assert!(all_replied(&[
        (Separate, Replied),
        (Separate, Replied),
        (Lead, Returned)
    ]));
    assert!(!all_replied(&[(Separate, Replied), (Separate, Handling)]));
    assert!(!all_replied(&[(Lead, Returned)]), "nothing to reply with");
}

#[test]
fn evaluations() {
    use Satisfaction::*;
    assert_eq!(
        after_evaluation(Satisfied, Dissatisfied, 0, true),
        ItemState::Handling
    );
    assert_eq!(
        after_evaluation(Dissatisfied, Satisfied, 2, true),
        ItemState::Handling
    );
    assert_eq!(
        after_evaluation(BasicallySatisfied, Satisfied, 2, true),
        ItemState::FollowUp
    );
    assert_eq!(
        after_evaluation(Satisfied, BasicallySatisfied, 0, true),
        ItemState::Closed
    );
    assert_eq!(
        after_evaluation(Dissatisfied, Dissatisfied, 0, false),
        ItemState::Closed,
        "a kind without re-handling closes"
    );
}

#[test]
fn deadlines_in_months_and_in_working_days() {
    let cal = Calendar::built_in();
    // Assigned 2026-03-10: three months is 2026-06-10 (Wed); six months 2026-09-10 (Thu).
    let due = |k: &KindRules, v| {
        reply_deadline(k, &cal, d("2026-03-10"), v, &|_| 0)
            .expect("ok")
            .due
    };
    assert_eq!(due(&MONTHLY, Variant::Normal), d("2026-06-10"));
    assert_eq!(due(&MONTHLY, Variant::Complex), d("2026-09-10"));
    // Fifteen working days from Tuesday 2026-03-10: Tuesday 2026-03-31.
    assert_eq!(due(&DAILY, Variant::Normal), d("2026-03-31"));
    assert_eq!(
        due(&DAILY, Variant::Complex),
        d("2026-03-31"),
        "no complex variant"
    );
    // Assigned 2025-07-01: three months ends on 10-01, in the National Day rest: 10-09.
    assert_eq!(
        reply_deadline(&MONTHLY, &cal, d("2025-07-01"), Variant::Normal, &|_| 0)
            .expect("ok")
            .due,
        d("2025-10-09")
    );
    // Seven working days to send back, across the Spring Festival of 2026.
    assert_eq!(
        Period::WorkingDays(7)
            .after(&cal, d("2026-02-12"))
            .expect("ok")
            .due,
        d("2026-02-28")
    );
    assert_eq!(
        PeriodSource::MonthsSetting("opinion_months").resolve(|_| 1),
        Period::Months(1)
    );
}

#[test]
fn an_extension_lengthens_the_normal_period_from_the_assignment() {
    let cal = Calendar::built_in();
    let start = d("2026-03-10");
    let none_named = LocalRule::default();
    assert_eq!(
        extended_deadline(&MONTHLY, &none_named, &cal, start, 3, &|_| 0)
            .expect("ok")
            .due,
        d("2026-09-10")
    );
    let too_long =
        extended_deadline(&MONTHLY, &none_named, &cal, start, 4, &|_| 0).expect_err("too long");
    assert_eq!(
        too_long.to_string(),
        "延期应为 1 到 3 个月",
        "no citation where none is named"
    );
    let named = LocalRule {
        regulation: "《某省代表建议办理规定》".into(),
        extension_article: "第十九条".into(),
        ..LocalRule::default()
    };
    let cited = extended_deadline(&MONTHLY, &named, &cal, start, 4, &|_| 0).expect_err("too long");
    assert_eq!(
        cited.to_string(),
        "延期应为 1 到 3 个月（《某省代表建议办理规定》第十九条）",
        "the deployment's own regulation is cited"
    );
    assert!(extended_deadline(&MONTHLY, &none_named, &cal, start, 0, &|_| 0).is_err());
    // 15 + 5 working days from 2026-03-10: 2026-04-08 (Qingming 04-04 to 04-06 skipped).
    assert_eq!(
        extended_deadline(&DAILY, &none_named, &cal, start, 5, &|_| 0)
            .expect("ok")
            .due,
        d("2026-04-08")
    );
    let none = KindRules {
        extension: None,
        ..DAILY
    };
    assert!(extended_deadline(&none, &none_named, &cal, start, 1, &|_| 0).is_err());
}

#[test]
fn reminders_at_fifteen_and_five_working_days() {
    assert_eq!(reminder_due(20, &[15, 5], &[]), None);
    assert_eq!(reminder_due(15, &[15, 5], &[]), Some(15));
    assert_eq!(reminder_due(12, &[15, 5], &[15]), None);
    assert_eq!(reminder_due(5, &[15, 5], &[15]), Some(5));
    // Assigned late: only the tighter reminder is sent.
    assert_eq!(reminder_due(4, &[15, 5], &[]), Some(5));
    assert_eq!(reminder_due(3, &[15, 5], &[15, 5]), None);
    assert_eq!(
        reminder_due(-1, &[15, 5], &[]),
        None,
        "overdue items escalate instead"
    );
}

#[test]
fn contact_comes_before_the_reply_where_the_kind_says_so() {
    let rule = MONTHLY.contact_before_reply;
    let e = check_contact_before_reply(rule, 0, &LocalRule::default()).expect_err("no contact");
    assert_eq!(
        e,
        "答复前须至少与提出人沟通一次（某法第一条），请先登记沟通情况"
    );
    assert!(check_contact_before_reply(rule, 1, &LocalRule::default()).is_ok());
    assert!(check_contact_before_reply(None, 0, &LocalRule::default()).is_ok());
}

#[test]
fn the_open_states_are_those_that_owe_a_reply() {
    let open: Vec<_> = S::ALL.iter().filter(|s| s.is_open()).collect();
    assert_eq!(open, [&S::Handling, &S::AwaitingHead, &S::AwaitingLeader]);
}

#[test]
fn calendar_year_missing_follows_the_longest_deadline() {
    let cal = Calendar::built_in();
    let last = *cal.years().last().expect("years");
    let day = |m, dd| Date::new(last, m, dd).expect("date");
    // 06-30 + 6 months = 12-30, inside the last year; 07-01 reaches 01-01 of the next.
    assert_eq!(
        calendar_year_missing(&[&MONTHLY], &cal, day(6, 30), &|_| 0),
        None
    );
    assert_eq!(
        calendar_year_missing(&[&MONTHLY], &cal, day(7, 1), &|_| 0),
        Some(last + 1)
    );
    assert_eq!(
        calendar_year_missing(&[&DAILY], &cal, day(7, 1), &|_| 0),
        None
    );
    assert_eq!(
        calendar_year_missing(&[&DAILY], &cal, day(12, 20), &|_| 0),
        Some(last + 1)
    );
}

#[test]
fn a_basis_is_stored_and_read_back() {
    let b = Basis {
        start: d("2026-12-02"),
        period: Period::WorkingDays(15),
    };
    assert_eq!(b.code(), "2026-12-02|D15");
    assert_eq!(Basis::parse(&b.code()), Some(b));
    assert_eq!(
        Basis::parse("2026-12-02|M3").map(|b| b.period),
        Some(Period::Months(3))
    );
    assert_eq!(Basis::parse(""), None);
    assert_eq!(Basis::parse("2026-12-02|X3"), None);
}

#[test]
fn the_lead_unit_waits_for_outstanding_opinions_unless_allowed() {
    let pending = vec![PendingOpinion {
        unit_name: "县财政局".into(),
        due_date: "2027-01-04".into(),
    }];
    let m = check_opinions_before_reply(UnitRole::Lead, &pending, true, false)
        .expect_err("outstanding");
    assert!(m.contains("县财政局（2027-01-04 前）"), "{m}");
    assert!(m.contains("请人大工作机构同意"), "{m}");
    // Allowed by staff, not required here, nothing outstanding, or not the lead.
    assert!(check_opinions_before_reply(UnitRole::Lead, &pending, true, true).is_ok());
    assert!(check_opinions_before_reply(UnitRole::Lead, &pending, false, false).is_ok());
    assert!(check_opinions_before_reply(UnitRole::Lead, &[], true, false).is_ok());
    assert!(check_opinions_before_reply(UnitRole::Separate, &pending, true, false).is_ok());
}
