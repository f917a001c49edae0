//! The tracked-item engine's rules: anything assigned to units and answered
//! (a deputy's suggestion now; later a voter's request passed on, a
//! deliberation opinion, a problem list, a correction request, a project
//! milestone) moves through the same states.
//!
//! Two state machines: the item's (handling → replied → follow-up → closed,
//! with re-handling rounds) and each assignment's (one per unit: handling,
//! returned, opinion sent, awaiting the unit head, awaiting the government
//! leader, replied). Every transition names who may make it; the service
//! works out the actor's relation to the item ([`Party`]) from the data and
//! stores the resulting state, never inferring it from which columns are filled.

use serde::{Deserialize, Serialize};

use jiff::civil::Date;
use kernel::calendar::{Calendar, CalendarError, Deadline};

macro_rules! coded {
    ($(#[$m:meta])* $name:ident { $($var:ident = $code:literal / $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($var),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$var),+];
            pub fn code(self) -> &'static str { match self { $($name::$var => $code),+ } }
            pub fn label(self) -> &'static str { match self { $($name::$var => $label),+ } }
            pub fn parse(s: &str) -> Option<Self> {
                let t = s.trim();
                $(if t == $code || t == $label { return Some($name::$var); })+
                None
            }
        }
    };
}

coded! {
    /// A unit's role on an item (主办 / 协办 / 分办).
    UnitRole {
        Lead = "lead" / "主办",
        Assisting = "assisting" / "协办",
        Separate = "separate" / "分办",
    }
}

coded! {
    ItemState {
        Handling = "handling" / "办理中",
        Replied = "replied" / "已答复",
        FollowUp = "follow_up" / "跟踪落实",
        Closed = "closed" / "已办结",
    }
}

coded! {
    AssignmentState {
        Handling = "handling" / "办理中",
        Returned = "returned" / "已退回",
        OpinionSent = "opinion_sent" / "已送协办意见",
        AwaitingHead = "awaiting_head" / "待单位负责人签发",
        AwaitingLeader = "awaiting_leader" / "待分管领导签批",
        Replied = "replied" / "已答复",
    }
}

coded! {
    /// 满意 / 基本满意 / 不满意 (上海规定 第二十一条).
    Satisfaction {
        Satisfied = "satisfied" / "满意",
        BasicallySatisfied = "basically_satisfied" / "基本满意",
        Dissatisfied = "dissatisfied" / "不满意",
    }
}

coded! {
    /// How a contact with the deputy was made.
    ContactMethod {
        Meeting = "meeting" / "面谈",
        Forum = "forum" / "座谈",
        Phone = "phone" / "电话",
        Visit = "visit" / "走访",
        Inspection = "inspection" / "视察",
        Written = "written" / "书面",
    }
}

coded! {
    /// 办前沟通、办中协商、办后回访.
    ContactStage {
        Before = "before" / "办前沟通",
        During = "during" / "办中协商",
        After = "after" / "办后回访",
    }
}

coded! {
    /// 三个月 or 六个月 (代表法 第五十一条).
    Complexity {
        Normal = "normal" / "一般（三个月内答复）",
        Complex = "complex" / "涉及面广、处理难度大（六个月内答复）",
    }
}

/// The actor's relation to an assignment, worked out by the service from the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// Staff of the congress that assigned the item.
    Staff,
    /// A handler of the assigned unit.
    UnitHandler,
    /// The head of the assigned unit.
    UnitHead,
    /// The government leader in charge of the assigned unit.
    UnitLeader,
    /// The deputy who proposed the item.
    LeadDeputy,
    /// The platform itself (re-handling after an evaluation).
    System,
    Other,
}

impl Party {
    fn of_unit(self) -> bool {
        matches!(self, Party::UnitHandler | Party::UnitHead)
    }
}

/// Events on one assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssignmentEvent {
    /// The unit sends back an item that is not its business (上海规定 第十四条).
    Return,
    /// An assisting unit sends its opinion to the lead unit (上海规定 第十七条).
    SendOpinion,
    /// The lead (or a separate) unit submits its reply for sign-off.
    SubmitReply,
    HeadApprove,
    /// The head's approval is final where the unit has no government leader in
    /// charge (a supervisory commission, court or procuratorate).
    HeadApproveFinal,
    HeadReject,
    LeaderApprove,
    LeaderReject,
    /// A new round after a dissatisfied evaluation.
    Rehandle,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("当前状态“{state}”下不能{action}")]
    WrongState {
        state: &'static str,
        action: &'static str,
    },
    #[error("您不能{action}")]
    NotYours { action: &'static str },
}

impl AssignmentEvent {
    pub fn label(&self) -> &'static str {
        match self {
            AssignmentEvent::Return => "退回交办",
            AssignmentEvent::SendOpinion => "报送协办意见",
            AssignmentEvent::SubmitReply => "提交答复",
            AssignmentEvent::HeadApprove | AssignmentEvent::HeadApproveFinal => "签发答复",
            AssignmentEvent::HeadReject => "退回修改答复",
            AssignmentEvent::LeaderApprove => "签批答复",
            AssignmentEvent::LeaderReject => "退回修改答复",
            AssignmentEvent::Rehandle => "重新办理",
        }
    }
}

/// The assignment state machine: `(state, role, event, party) → state`.
pub fn transition(
    state: AssignmentState,
    role: UnitRole,
    event: &AssignmentEvent,
    party: Party,
) -> Result<AssignmentState, TransitionError> {
    use AssignmentEvent as E;
    use AssignmentState as S;
    let action = event.label();
    let wrong = || TransitionError::WrongState {
        state: state.label(),
        action,
    };
    let not_yours = || TransitionError::NotYours { action };
    let replying = matches!(role, UnitRole::Lead | UnitRole::Separate);
    match event {
        E::Return => {
            if !party.of_unit() {
                return Err(not_yours());
            }
            if state != S::Handling {
                return Err(wrong());
            }
            Ok(S::Returned)
        }
        E::SendOpinion => {
            if !party.of_unit() {
                return Err(not_yours());
            }
            if role != UnitRole::Assisting || state != S::Handling {
                return Err(wrong());
            }
            Ok(S::OpinionSent)
        }
        E::SubmitReply => {
            if !party.of_unit() {
                return Err(not_yours());
            }
            if !replying || state != S::Handling {
                return Err(wrong());
            }
            Ok(S::AwaitingHead)
        }
        E::HeadApprove | E::HeadApproveFinal | E::HeadReject => {
            if party != Party::UnitHead {
                return Err(not_yours());
            }
            if !replying || state != S::AwaitingHead {
                return Err(wrong());
            }
            Ok(match event {
                E::HeadApprove => S::AwaitingLeader,
                E::HeadApproveFinal => S::Replied,
                _ => S::Handling,
            })
        }
        E::LeaderApprove | E::LeaderReject => {
            if party != Party::UnitLeader {
                return Err(not_yours());
            }
            if !replying || state != S::AwaitingLeader {
                return Err(wrong());
            }
            Ok(if *event == E::LeaderApprove {
                S::Replied
            } else {
                S::Handling
            })
        }
        E::Rehandle => {
            if party != Party::System {
                return Err(not_yours());
            }
            if !replying || state != S::Replied {
                return Err(wrong());
            }
            Ok(S::Handling)
        }
    }
}

/// The item's state once every replying assignment has a signed reply.
/// Returned assignments do not count (staff reassign them).
pub fn all_replied(assignments: &[(UnitRole, AssignmentState)]) -> bool {
    let replying: Vec<_> = assignments
        .iter()
        .filter(|(r, s)| {
            matches!(r, UnitRole::Lead | UnitRole::Separate) && *s != AssignmentState::Returned
        })
        .collect();
    !replying.is_empty() && replying.iter().all(|(_, s)| *s == AssignmentState::Replied)
}

/// Whether an evaluation starts re-handling: either rating is 不满意 (上海规定 第二十一条).
pub fn needs_rehandling(attitude: Satisfaction, result: Satisfaction) -> bool {
    attitude == Satisfaction::Dissatisfied || result == Satisfaction::Dissatisfied
}

/// The item's state after the deputy's evaluation.
pub fn after_evaluation(
    attitude: Satisfaction,
    result: Satisfaction,
    open_commitments: usize,
) -> ItemState {
    if needs_rehandling(attitude, result) {
        ItemState::Handling
    } else if open_commitments > 0 {
        ItemState::FollowUp
    } else {
        ItemState::Closed
    }
}

/// Checks the roles of a set of assignments: at least one unit; when lead and
/// assisting units are used, exactly one lead; separate units stand alone.
pub fn check_roles(roles: &[UnitRole]) -> Result<(), String> {
    if roles.is_empty() {
        return Err("请至少选择一个承办单位".into());
    }
    let leads = roles.iter().filter(|r| **r == UnitRole::Lead).count();
    let assisting = roles.iter().filter(|r| **r == UnitRole::Assisting).count();
    let separate = roles.iter().filter(|r| **r == UnitRole::Separate).count();
    if separate > 0 && (leads > 0 || assisting > 0) {
        return Err("分办不能与主办、协办同时使用".into());
    }
    if separate == 0 && leads != 1 {
        return Err("主办单位应有且只有一个".into());
    }
    Ok(())
}

/// The reply deadline from the day of assignment: three months, or six for
/// wide-ranging or difficult items (代表法 第五十一条).
pub fn reply_deadline(
    cal: &Calendar,
    assigned_on: Date,
    c: Complexity,
) -> Result<Deadline, CalendarError> {
    cal.add_months(assigned_on, if c == Complexity::Complex { 6 } else { 3 })
}

/// The year whose holiday arrangement is missing, if the longest reply
/// deadline assigned today (six months, 代表法 第五十一条, moved past a rest
/// day by 民法典 第二百零三条) would end in it. Assignments start failing
/// then, so staff are warned; the rule itself is asked, not approximated.
pub fn calendar_year_missing(cal: &Calendar, today: Date) -> Option<i16> {
    match reply_deadline(cal, today, Complexity::Complex) {
        Err(CalendarError::NoData(year)) => Some(year),
        _ => None,
    }
}

/// The last day a unit may send back a wrongly assigned item: 7 working days
/// by default (上海规定 第十四条); `days` is the local setting.
pub fn return_deadline(
    cal: &Calendar,
    assigned_on: Date,
    days: i64,
) -> Result<Deadline, CalendarError> {
    cal.add_working_days(assigned_on, days)
}

/// An assisting unit's opinion is due to the lead unit within one month by
/// default (上海规定 第十七条); `months` is the local setting.
pub fn opinion_deadline(
    cal: &Calendar,
    assigned_on: Date,
    months: i64,
) -> Result<Deadline, CalendarError> {
    cal.add_months(assigned_on, months)
}

/// A re-handled item is answered again within one month by default
/// (上海规定 第二十一条; other places use 15 days or 2 months); `months` is the setting.
pub fn rehandling_deadline(
    cal: &Calendar,
    evaluated_on: Date,
    months: i64,
) -> Result<Deadline, CalendarError> {
    cal.add_months(evaluated_on, months)
}

/// The longest extension beyond the first three months (上海规定 第十九条).
pub const MAX_EXTENSION_MONTHS: i64 = 3;

/// An approved extension: the new deadline counts from the assignment, three
/// months plus at most three more.
pub fn extended_deadline(
    cal: &Calendar,
    assigned_on: Date,
    extra_months: i64,
) -> Result<Deadline, CalendarError> {
    if !(1..=MAX_EXTENSION_MONTHS).contains(&extra_months) {
        return Err(CalendarError::Invalid(format!(
            "延期应为 1 到 {MAX_EXTENSION_MONTHS} 个月"
        )));
    }
    cal.add_months(assigned_on, 3 + extra_months)
}

/// Which reminder is due, if any: the tightest lead time (in working days)
/// the remaining working days have reached, unless it was sent already.
/// Looser lead times reached at the same moment are skipped.
pub fn reminder_due(remaining_working_days: i64, leads: &[i64], sent: &[i64]) -> Option<i64> {
    if remaining_working_days < 0 {
        return None;
    }
    let tightest = leads
        .iter()
        .copied()
        .filter(|l| remaining_working_days <= *l)
        .min()?;
    (!sent.contains(&tightest)).then_some(tightest)
}

/// A reply cannot be submitted before the unit has contacted the lead deputy
/// at least once (代表法 第五十一条: 应当与代表联系沟通，充分听取意见).
pub fn check_contact_before_reply(contacts_with_lead_deputy: usize) -> Result<(), String> {
    if contacts_with_lead_deputy == 0 {
        Err("答复前须至少与领衔代表沟通一次（代表法第五十一条），请先登记沟通情况".into())
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AssignmentEvent as E;
    use AssignmentState as S;

    fn d(s: &str) -> Date {
        s.parse().expect("date")
    }

    #[test]
    fn the_happy_path_of_a_lead_unit() {
        let s = transition(
            S::Handling,
            UnitRole::Lead,
            &E::SubmitReply,
            Party::UnitHandler,
        )
        .expect("submit");
        assert_eq!(s, S::AwaitingHead);
        let s = transition(s, UnitRole::Lead, &E::HeadApprove, Party::UnitHead).expect("head");
        assert_eq!(s, S::AwaitingLeader);
        let s =
            transition(s, UnitRole::Lead, &E::LeaderApprove, Party::UnitLeader).expect("leader");
        assert_eq!(s, S::Replied);
        let s = transition(s, UnitRole::Lead, &E::Rehandle, Party::System).expect("rehandle");
        assert_eq!(s, S::Handling);
    }

    #[test]
    fn rejections_go_back_to_handling() {
        assert_eq!(
            transition(
                S::AwaitingHead,
                UnitRole::Lead,
                &E::HeadReject,
                Party::UnitHead
            ),
            Ok(S::Handling)
        );
        assert_eq!(
            transition(
                S::AwaitingLeader,
                UnitRole::Separate,
                &E::LeaderReject,
                Party::UnitLeader
            ),
            Ok(S::Handling)
        );
    }

    #[test]
    fn every_event_from_every_state_for_every_party() {
        // The complete table of allowed moves; everything else is refused.
        let allowed: &[(S, UnitRole, E, Party, S)] = &[
            (
                S::Handling,
                UnitRole::Lead,
                E::Return,
                Party::UnitHandler,
                S::Returned,
            ),
            (
                S::Handling,
                UnitRole::Lead,
                E::Return,
                Party::UnitHead,
                S::Returned,
            ),
            (
                S::Handling,
                UnitRole::Assisting,
                E::Return,
                Party::UnitHandler,
                S::Returned,
            ),
            (
                S::Handling,
                UnitRole::Assisting,
                E::Return,
                Party::UnitHead,
                S::Returned,
            ),
            (
                S::Handling,
                UnitRole::Separate,
                E::Return,
                Party::UnitHandler,
                S::Returned,
            ),
            (
                S::Handling,
                UnitRole::Separate,
                E::Return,
                Party::UnitHead,
                S::Returned,
            ),
            (
                S::Handling,
                UnitRole::Assisting,
                E::SendOpinion,
                Party::UnitHandler,
                S::OpinionSent,
            ),
            (
                S::Handling,
                UnitRole::Assisting,
                E::SendOpinion,
                Party::UnitHead,
                S::OpinionSent,
            ),
            (
                S::Handling,
                UnitRole::Lead,
                E::SubmitReply,
                Party::UnitHandler,
                S::AwaitingHead,
            ),
            (
                S::Handling,
                UnitRole::Lead,
                E::SubmitReply,
                Party::UnitHead,
                S::AwaitingHead,
            ),
            (
                S::Handling,
                UnitRole::Separate,
                E::SubmitReply,
                Party::UnitHandler,
                S::AwaitingHead,
            ),
            (
                S::Handling,
                UnitRole::Separate,
                E::SubmitReply,
                Party::UnitHead,
                S::AwaitingHead,
            ),
            (
                S::AwaitingHead,
                UnitRole::Lead,
                E::HeadApprove,
                Party::UnitHead,
                S::AwaitingLeader,
            ),
            (
                S::AwaitingHead,
                UnitRole::Separate,
                E::HeadApprove,
                Party::UnitHead,
                S::AwaitingLeader,
            ),
            (
                S::AwaitingHead,
                UnitRole::Lead,
                E::HeadApproveFinal,
                Party::UnitHead,
                S::Replied,
            ),
            (
                S::AwaitingHead,
                UnitRole::Separate,
                E::HeadApproveFinal,
                Party::UnitHead,
                S::Replied,
            ),
            (
                S::AwaitingHead,
                UnitRole::Lead,
                E::HeadReject,
                Party::UnitHead,
                S::Handling,
            ),
            (
                S::AwaitingHead,
                UnitRole::Separate,
                E::HeadReject,
                Party::UnitHead,
                S::Handling,
            ),
            (
                S::AwaitingLeader,
                UnitRole::Lead,
                E::LeaderApprove,
                Party::UnitLeader,
                S::Replied,
            ),
            (
                S::AwaitingLeader,
                UnitRole::Separate,
                E::LeaderApprove,
                Party::UnitLeader,
                S::Replied,
            ),
            (
                S::AwaitingLeader,
                UnitRole::Lead,
                E::LeaderReject,
                Party::UnitLeader,
                S::Handling,
            ),
            (
                S::AwaitingLeader,
                UnitRole::Separate,
                E::LeaderReject,
                Party::UnitLeader,
                S::Handling,
            ),
            (
                S::Replied,
                UnitRole::Lead,
                E::Rehandle,
                Party::System,
                S::Handling,
            ),
            (
                S::Replied,
                UnitRole::Separate,
                E::Rehandle,
                Party::System,
                S::Handling,
            ),
        ];
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
            Party::LeadDeputy,
            Party::System,
            Party::Other,
        ];
        let mut checked = 0;
        for s in S::ALL {
            for r in UnitRole::ALL {
                for e in &events {
                    for p in parties {
                        let got = transition(*s, *r, e, p);
                        let want = allowed
                            .iter()
                            .find(|(a, b, c, d, _)| a == s && b == r && c == e && *d == p)
                            .map(|x| x.4);
                        match want {
                            Some(to) => assert_eq!(got, Ok(to), "{s:?} {r:?} {e:?} {p:?}"),
                            None => assert!(
                                got.is_err(),
                                "{s:?} {r:?} {e:?} {p:?} should be refused, got {got:?}"
                            ),
                        }
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 6 * 3 * 9 * 7);
    }

    #[test]
    fn refusals_say_why() {
        let e = transition(
            S::Replied,
            UnitRole::Lead,
            &E::SubmitReply,
            Party::UnitHandler,
        )
        .expect_err("wrong state");
        assert_eq!(e.to_string(), "当前状态“已答复”下不能提交答复");
        let e = transition(
            S::AwaitingHead,
            UnitRole::Lead,
            &E::HeadApprove,
            Party::UnitHandler,
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
            after_evaluation(Satisfied, Dissatisfied, 0),
            ItemState::Handling
        );
        assert_eq!(
            after_evaluation(Dissatisfied, Satisfied, 2),
            ItemState::Handling
        );
        assert_eq!(
            after_evaluation(BasicallySatisfied, Satisfied, 2),
            ItemState::FollowUp
        );
        assert_eq!(
            after_evaluation(Satisfied, BasicallySatisfied, 0),
            ItemState::Closed
        );
    }

    #[test]
    fn statutory_deadlines() {
        let cal = Calendar::built_in();
        // Assigned 2026-03-10: three months is 2026-06-10 (Wed); six months 2026-09-10 (Thu).
        assert_eq!(
            reply_deadline(&cal, d("2026-03-10"), Complexity::Normal)
                .expect("ok")
                .due,
            d("2026-06-10")
        );
        assert_eq!(
            reply_deadline(&cal, d("2026-03-10"), Complexity::Complex)
                .expect("ok")
                .due,
            d("2026-09-10")
        );
        // Assigned 2025-07-01: three months ends on 10-01, in the National Day rest: 10-09.
        assert_eq!(
            reply_deadline(&cal, d("2025-07-01"), Complexity::Normal)
                .expect("ok")
                .due,
            d("2025-10-09")
        );
        // Seven working days to send back, across the Spring Festival of 2026.
        assert_eq!(
            return_deadline(&cal, d("2026-02-12"), 7).expect("ok").due,
            d("2026-02-28")
        );
        assert_eq!(
            opinion_deadline(&cal, d("2026-03-10"), 1).expect("ok").due,
            d("2026-04-10")
        );
        assert_eq!(
            rehandling_deadline(&cal, d("2026-05-31"), 1)
                .expect("ok")
                .due,
            d("2026-06-30")
        );
        // An extension counts from the assignment and adds at most three months.
        assert_eq!(
            extended_deadline(&cal, d("2026-03-10"), 3).expect("ok").due,
            d("2026-09-10")
        );
        assert!(extended_deadline(&cal, d("2026-03-10"), 4).is_err());
        assert!(extended_deadline(&cal, d("2026-03-10"), 0).is_err());
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
    fn contact_comes_before_the_reply() {
        assert!(check_contact_before_reply(0).is_err());
        assert!(check_contact_before_reply(1).is_ok());
    }

    #[test]
    fn calendar_year_missing_follows_the_six_month_deadline() {
        let cal = Calendar::built_in();
        let last = *cal.years().last().expect("years");
        let d = |m, day| Date::new(last, m, day).expect("date");
        // 06-30 + 6 months = 12-30, inside the last year; 07-01 reaches 01-01 of the next.
        assert_eq!(calendar_year_missing(&cal, d(6, 30)), None);
        assert_eq!(calendar_year_missing(&cal, d(7, 1)), Some(last + 1));
        assert_eq!(calendar_year_missing(&cal, d(11, 30)), Some(last + 1));
    }
}
