//! The tracked-item engine's rules: anything assigned to units and answered
//! moves through the same states, and each kind of item declares the rules
//! that differ ([`KindRules`]) as data.
//!
//! Two state machines: the item's (handling → replied → follow-up → closed,
//! with re-handling rounds) and each assignment's (one per unit: handling,
//! returned, opinion sent, awaiting the unit head, awaiting the government
//! leader, replied). Every transition names who may make it; the service
//! works out the actor's relation to the item ([`Party`]) from the data and
//! stores the resulting state, never inferring it from which columns are
//! filled. Which sign-offs a reply needs is the kind's ([`SignoffChain`]).

use app::local_rule::{Article, LocalRule};
use app::options::OptionList;
use jiff::civil::Date;
use kernel::calendar::{Calendar, CalendarError, Deadline};
use kernel::roles::Permission;

kernel::coded! {
    /// A unit's role on an item (主办 / 协办 / 分办).
    UnitRole {
        Lead = "lead" / "主办",
        Assisting = "assisting" / "协办",
        Separate = "separate" / "分办",
    }
}

kernel::coded! {
    ItemState {
        Handling = "handling" / "办理中",
        Replied = "replied" / "已答复",
        FollowUp = "follow_up" / "跟踪落实",
        Closed = "closed" / "已办结",
    }
}

kernel::coded! {
    AssignmentState {
        Handling = "handling" / "办理中",
        Returned = "returned" / "已退回",
        OpinionSent = "opinion_sent" / "已送协办意见",
        AwaitingHead = "awaiting_head" / "待单位负责人签发",
        AwaitingLeader = "awaiting_leader" / "待分管领导签批",
        Replied = "replied" / "已答复",
    }
}

impl AssignmentState {
    /// The states of an assignment that still owes a reply: the overdue
    /// rules, reminders and queues use this list, and the store's SQL and the
    /// partial indexes repeat it (checked by tests).
    pub const OPEN: &'static [AssignmentState] = &[
        AssignmentState::Handling,
        AssignmentState::AwaitingHead,
        AssignmentState::AwaitingLeader,
    ];

    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }
}

kernel::coded! {
    /// 满意 / 基本满意 / 不满意.
    Satisfaction {
        Satisfied = "satisfied" / "满意",
        BasicallySatisfied = "basically_satisfied" / "基本满意",
        Dissatisfied = "dissatisfied" / "不满意",
    }
}

kernel::coded! {
    /// How a contact with the proposer was made.
    ContactMethod {
        Meeting = "meeting" / "面谈",
        Forum = "forum" / "座谈",
        Phone = "phone" / "电话",
        Visit = "visit" / "走访",
        Inspection = "inspection" / "视察",
        Written = "written" / "书面",
    }
}

kernel::coded! {
    /// 办前沟通、办中协商、办后回访.
    ContactStage {
        Before = "before" / "办前沟通",
        During = "during" / "办中协商",
        After = "after" / "办后回访",
    }
}

kernel::coded! {
    /// Which of its kind's reply deadlines an item runs under.
    Variant {
        Normal = "normal" / "一般",
        Complex = "complex" / "延长",
    }
}

// ---------------------------------------------------------------------------
// A kind's rules, as data.

/// A period counted on the legal calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// Calendar months (民法典 第二百零一条 to 第二百零三条).
    Months(i64),
    /// Working days (weekends and statutory holidays not counted).
    WorkingDays(i64),
}

impl Period {
    /// The date this period after `start`, with its explanation.
    pub fn after(self, cal: &Calendar, start: Date) -> Result<Deadline, CalendarError> {
        match self {
            Period::Months(n) => cal.add_months(start, n),
            Period::WorkingDays(n) => cal.add_working_days(start, n),
        }
    }

    /// The same period lengthened by `extra` of its own unit.
    pub fn plus(self, extra: i64) -> Period {
        match self {
            Period::Months(n) => Period::Months(n + extra),
            Period::WorkingDays(n) => Period::WorkingDays(n + extra),
        }
    }

    /// The stored form: `M3` (three months) or `D15` (fifteen working days).
    pub fn code(self) -> String {
        match self {
            Period::Months(n) => format!("M{n}"),
            Period::WorkingDays(n) => format!("D{n}"),
        }
    }

    pub fn parse(s: &str) -> Option<Period> {
        let n = s.get(1..)?.parse().ok()?;
        match s.get(..1)? {
            "M" => Some(Period::Months(n)),
            "D" => Some(Period::WorkingDays(n)),
            _ => None,
        }
    }

    /// "个月" or "个工作日", the unit a length is written in.
    pub fn unit(self) -> &'static str {
        match self {
            Period::Months(_) => "个月",
            Period::WorkingDays(_) => "个工作日",
        }
    }
}

/// How a deadline was computed: its start day and its period, kept with the
/// assignment so that a provisional deadline can be computed again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Basis {
    pub start: Date,
    pub period: Period,
}

impl Basis {
    /// `2026-12-02|M3`.
    pub fn code(self) -> String {
        format!("{}|{}", self.start, self.period.code())
    }

    pub fn parse(s: &str) -> Option<Basis> {
        let (start, period) = s.split_once('|')?;
        Some(Basis {
            start: start.parse().ok()?,
            period: Period::parse(period)?,
        })
    }

    pub fn compute(self, cal: &Calendar) -> Result<Deadline, CalendarError> {
        self.period.after(cal, self.start)
    }
}

/// A period fixed by the kind, or set locally (a setting's key and unit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodSource {
    Fixed(Period),
    /// So many months, from the named setting.
    MonthsSetting(&'static str),
    /// So many working days, from the named setting.
    WorkingDaysSetting(&'static str),
}

impl PeriodSource {
    /// The unit its length is written in, whatever the setting says.
    pub fn unit(self) -> &'static str {
        match self {
            PeriodSource::Fixed(p) => p.unit(),
            PeriodSource::MonthsSetting(_) => "个月",
            PeriodSource::WorkingDaysSetting(_) => "个工作日",
        }
    }

    /// The period in force, reading a setting through `setting`.
    pub fn resolve(self, setting: impl Fn(&str) -> i64) -> Period {
        match self {
            PeriodSource::Fixed(p) => p,
            PeriodSource::MonthsSetting(key) => Period::Months(setting(key)),
            PeriodSource::WorkingDaysSetting(key) => Period::WorkingDays(setting(key)),
        }
    }
}

/// Where a rule comes from, as a message cites it: a national statute's
/// article, fixed here, or a rule of the local regulation, whose name and
/// article the deployment sets ([`app::local_rule`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cite {
    Law(&'static str),
    Local(Article),
    /// A period the deployment sets with no article to cite (a standing
    /// committee's own practice): enforced, cited by nothing.
    Unstated,
}

impl Cite {
    /// The citation as a message writes it, or `None` for a local rule the
    /// deployment has not named.
    pub fn text(self, local: &LocalRule) -> Option<String> {
        match self {
            Cite::Law(s) => Some(s.replace(' ', "")),
            Cite::Local(a) => local.cite(a),
            Cite::Unstated => None,
        }
    }

    /// The same in brackets after a message, or nothing.
    pub fn suffix(self, local: &LocalRule) -> String {
        self.text(local)
            .map(|t| format!("（{t}）"))
            .unwrap_or_default()
    }
}

/// A period and the rule that sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodRule {
    pub period: PeriodSource,
    pub cite: Cite,
}

/// A reply deadline and the rule it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlineRule {
    /// Fixed by statute, or set locally (a deliberation opinion's period).
    pub period: PeriodSource,
    /// The article it comes from, e.g. 代表法 第五十一条; none for a local period.
    pub cite: Cite,
    /// How the choice reads on the assignment form.
    pub label: &'static str,
}

/// Whether and how an approved extension may lengthen the reply deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtensionRule {
    /// The most the normal reply period may be lengthened, in its own unit.
    pub max: i64,
    pub cite: Cite,
}

/// Who signs a reply before it is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignoffChain {
    /// The reply is sent when the unit submits it.
    None,
    /// The unit head signs.
    UnitHead,
    /// The unit head, then the government leader in charge of the unit
    /// (where the unit has one: a supervisory commission, court or
    /// procuratorate finishes at its head).
    UnitHeadThenLeader,
}

/// The unit must have contacted the proposer before it replies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContactRule {
    /// Whom, as the message names them ("领衔代表").
    pub with: &'static str,
    pub cite: Cite,
}

/// Who rates the replies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evaluator {
    /// The item's proposer (a deputy, a voter…).
    Proposer,
    /// Staff of the congress, on behalf of a committee.
    Staff,
    /// Nobody: the item closes (or follows up its commitments) once replied.
    Nobody,
}

/// What an evaluation rates, on the three-level [`Satisfaction`] scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// The handling attitude and the result, rated separately.
    AttitudeAndResult,
    /// The result only.
    Result,
}

/// A dissatisfied evaluation starts a new round, answered within `period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RehandlingRule {
    pub period: PeriodSource,
    pub cite: Cite,
}

/// The permission each action on a kind's items needs (besides the actor's
/// part in the item, which the engine works out from the data).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Permissions {
    /// Assign, reassign a returned assignment, approve an extension.
    pub manage: Permission,
    /// Return, contact, send an opinion, reply, fulfil a commitment.
    pub handle: Permission,
    pub sign_off: Permission,
    /// Rate the replies; `None` where the evaluator has no account (a voter
    /// reached through the capability's own channel, which vouches for them).
    pub evaluate: Option<Permission>,
}

/// Everything that differs between kinds of tracked item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindRules {
    /// The kind's stable code, stored with each item.
    pub kind: &'static str,
    /// What one item is called in notices ("建议").
    pub noun: &'static str,
    /// What its proposer is called ("代表").
    pub proposer_noun: &'static str,
    pub reply: DeadlineRule,
    /// A longer deadline for wide-ranging or difficult items, chosen with a reason.
    pub complex_reply: Option<DeadlineRule>,
    /// How long a unit may send back an item that is not its business.
    pub return_window: PeriodRule,
    /// When an assisting unit's opinion is due to the lead unit.
    pub opinion: PeriodRule,
    pub extension: Option<ExtensionRule>,
    pub signoff: SignoffChain,
    pub contact_before_reply: Option<ContactRule>,
    pub evaluator: Evaluator,
    pub scale: Scale,
    pub rehandling: Option<RehandlingRule>,
    /// The list a reply's result category is chosen from, if the kind classifies results.
    pub result_categories: Option<OptionList>,
    pub permissions: Permissions,
}

impl KindRules {
    /// The reply deadline rule of a variant (the normal one where the kind has no other).
    pub fn reply_rule(&self, v: Variant) -> DeadlineRule {
        match (v, self.complex_reply) {
            (Variant::Complex, Some(c)) => c,
            _ => self.reply,
        }
    }

    /// What the evaluator is called in the handling record ("代表").
    pub fn evaluator_noun(&self) -> &'static str {
        match self.evaluator {
            Evaluator::Proposer => self.proposer_noun,
            Evaluator::Staff => "人大工作机构",
            Evaluator::Nobody => "",
        }
    }
}

// ---------------------------------------------------------------------------
// The state machines.

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
    /// Whoever proposed the item (a deputy, a voter…).
    Proposer,
    /// The platform itself (re-handling after an evaluation).
    System,
    Other,
}

impl Party {
    pub fn of_unit(self) -> bool {
        matches!(self, Party::UnitHandler | Party::UnitHead)
    }
}

/// Events on one assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssignmentEvent {
    /// The unit sends back an item that is not its business.
    Return,
    /// An assisting unit sends its opinion to the lead unit.
    SendOpinion,
    /// The lead (or a separate) unit submits its reply.
    SubmitReply,
    HeadApprove,
    /// The head's approval is final: the chain ends at the head, or the unit
    /// has no government leader in charge.
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

/// The assignment state machine: `(state, role, event, party) → state`, for
/// a kind whose replies go through `chain`.
pub fn transition(
    state: AssignmentState,
    role: UnitRole,
    event: &AssignmentEvent,
    party: Party,
    chain: SignoffChain,
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
            Ok(if chain == SignoffChain::None {
                S::Replied
            } else {
                S::AwaitingHead
            })
        }
        E::HeadApprove | E::HeadApproveFinal | E::HeadReject => {
            if party != Party::UnitHead {
                return Err(not_yours());
            }
            if !replying || state != S::AwaitingHead || chain == SignoffChain::None {
                return Err(wrong());
            }
            if *event == E::HeadApprove && chain != SignoffChain::UnitHeadThenLeader {
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

/// Whether an evaluation starts re-handling: either rating is 不满意.
pub fn needs_rehandling(attitude: Satisfaction, result: Satisfaction) -> bool {
    attitude == Satisfaction::Dissatisfied || result == Satisfaction::Dissatisfied
}

/// The item's state after its replies are rated (or, for a kind nobody
/// rates, once they are all sent): back to handling when a rating is 不满意
/// and the kind re-handles, otherwise follow-up while commitments are open,
/// otherwise closed.
pub fn after_evaluation(
    attitude: Satisfaction,
    result: Satisfaction,
    open_commitments: usize,
    rehandles: bool,
) -> ItemState {
    if rehandles && needs_rehandling(attitude, result) {
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

// ---------------------------------------------------------------------------
// Deadlines.

/// The reply deadline of an item of this kind assigned on `assigned_on`.
pub fn reply_deadline(
    rules: &KindRules,
    cal: &Calendar,
    assigned_on: Date,
    v: Variant,
    setting: &dyn Fn(&str) -> i64,
) -> Result<Deadline, CalendarError> {
    rules
        .reply_rule(v)
        .period
        .resolve(setting)
        .after(cal, assigned_on)
}

/// The year whose holiday arrangement is not entered, if the longest reply
/// deadline of any of these kinds assigned today (moved past a rest day by
/// 民法典 第二百零三条) would count it: deadlines are provisional from then
/// on (or, on a calendar without the statutory rule, refused), so staff are
/// warned; the rule itself is asked, not approximated.
pub fn calendar_year_missing(
    kinds: &[&KindRules],
    cal: &Calendar,
    today: Date,
    setting: &dyn Fn(&str) -> i64,
) -> Option<i16> {
    kinds.iter().find_map(|k| {
        let longest = k.complex_reply.unwrap_or(k.reply).period.resolve(setting);
        match longest.after(cal, today) {
            Err(CalendarError::NoData(year)) => Some(year),
            Ok(d) => d.provisional_years.first().copied(),
            Err(_) => None,
        }
    })
}

/// An approved extension: the normal reply period lengthened by `extra`
/// (counted from the assignment), at most the kind's maximum.
pub fn extended_deadline(
    rules: &KindRules,
    local: &LocalRule,
    cal: &Calendar,
    assigned_on: Date,
    extra: i64,
    setting: &dyn Fn(&str) -> i64,
) -> Result<Deadline, CalendarError> {
    let normal = rules.reply.period.resolve(setting);
    let Some(ext) = rules.extension else {
        return Err(CalendarError::Invalid("此类事项不能延期".into()));
    };
    if !(1..=ext.max).contains(&extra) {
        return Err(CalendarError::Invalid(format!(
            "延期应为 1 到 {} {}{}",
            ext.max,
            normal.unit(),
            ext.cite.suffix(local)
        )));
    }
    normal.plus(extra).after(cal, assigned_on)
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

/// A reply cannot be submitted before the unit has contacted the proposer,
/// where the kind requires it.
pub fn check_contact_before_reply(
    rule: Option<ContactRule>,
    contacts_with_proposer: usize,
    local: &LocalRule,
) -> Result<(), String> {
    match rule {
        Some(r) if contacts_with_proposer == 0 => Err(format!(
            "答复前须至少与{}沟通一次{}，请先登记沟通情况",
            r.with,
            r.cite.suffix(local)
        )),
        _ => Ok(()),
    }
}

/// An assisting unit whose opinion the lead unit still waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingOpinion {
    pub unit_name: String,
    pub due_date: String,
}

/// The lead unit's reply takes in the assisting units' opinions, which are
/// due to it first (the local regulation's rule on assisting units, 上海规定
/// 第十七条 by default): while one is outstanding the lead unit cannot reply,
/// unless the deployment does not require it (setting
/// `lead_waits_for_opinions`) or staff allowed this reply without them.
/// Separate (分办) units reply on their own and never wait.
pub fn check_opinions_before_reply(
    role: UnitRole,
    pending: &[PendingOpinion],
    required: bool,
    waived: bool,
) -> Result<(), String> {
    if role != UnitRole::Lead || pending.is_empty() || !required || waived {
        return Ok(());
    }
    let units: Vec<String> = pending
        .iter()
        .map(|p| format!("{}（{} 前）", p.unit_name, p.due_date))
        .collect();
    Err(format!(
        "协办单位的意见尚未报送：{}。主办单位应在收到协办意见后答复；确需先行答复的，请人大工作机构同意",
        units.join("、")
    ))
}

#[cfg(test)]
mod tests;
