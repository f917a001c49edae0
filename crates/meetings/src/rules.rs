//! The meeting's rules, pure: which meeting a body holds, how a meeting is
//! numbered and named, the states it goes through, attendance, and whether an
//! open vote passes.

use kernel::bodies::BodyKind;

kernel::coded! {
    /// The meeting a body holds. The congress's own session is `org`'s
    /// `congress_session`; the rest meet between sessions.
    MeetingKind {
        StandingCommittee = "standing_committee" / "常委会会议",
        ChairmenCouncil = "chairmen_council" / "主任会议",
        Presidium = "presidium" / "主席团会议",
        SpecialCommittee = "special_committee" / "专门委员会会议",
        WorkingCommittee = "working_committee" / "工作委员会会议",
        StreetCommittee = "street_committee" / "街道工委会议",
    }
}

impl MeetingKind {
    pub fn of(body: BodyKind) -> MeetingKind {
        match body {
            BodyKind::StandingCommittee => MeetingKind::StandingCommittee,
            BodyKind::ChairmenCouncil => MeetingKind::ChairmenCouncil,
            BodyKind::Presidium => MeetingKind::Presidium,
            BodyKind::SpecialCommittee => MeetingKind::SpecialCommittee,
            BodyKind::WorkingCommittee => MeetingKind::WorkingCommittee,
            BodyKind::StreetCommittee => MeetingKind::StreetCommittee,
        }
    }
}

/// The meeting's name as congresses write it: the term and the number within
/// the term (「徐州市十七届人大常委会第六次会议」). The term is written before
/// 人大 in the body's name (清溪县人大常委会 → 清溪县十九届人大常委会), or
/// before the name when it has no 人大; a 主任会议 is the standing committee's
/// (「…第十二次主任会议」).
pub fn meeting_title(body_name: &str, kind: MeetingKind, term: u32, number: u32) -> String {
    let term = format!("{}届", kernel::numerals::chinese(term));
    let body = match body_name.find("人大") {
        Some(at) => format!("{}{term}{}", &body_name[..at], &body_name[at..]),
        None => format!("{term}{body_name}"),
    };
    let n = kernel::numerals::chinese(number);
    match kind {
        // The council is named after the standing committee it belongs to.
        MeetingKind::ChairmenCouncil => {
            let base = body.strip_suffix("主任会议").unwrap_or(&body);
            format!("{base}第{n}次主任会议")
        }
        _ => format!("{body}第{n}次会议"),
    }
}

kernel::coded! {
    /// Where a meeting is: planned → notified → held → minutes approved; a
    /// meeting not yet held may be cancelled.
    MeetingState {
        Planned = "planned" / "筹备中",
        Notified = "notified" / "已通知",
        Held = "held" / "已召开",
        MinutesApproved = "minutes_approved" / "纪要已审定",
        Cancelled = "cancelled" / "已取消",
    }
}

impl MeetingState {
    /// The states a meeting may move to from this one.
    pub fn next(self) -> &'static [MeetingState] {
        use MeetingState as S;
        match self {
            S::Planned => &[S::Notified, S::Cancelled],
            S::Notified => &[S::Held, S::Cancelled],
            S::Held => &[S::MinutesApproved],
            S::MinutesApproved | S::Cancelled => &[],
        }
    }

    /// The button that moves a meeting into this state.
    pub fn action(self) -> &'static str {
        match self {
            MeetingState::Planned => "恢复筹备",
            MeetingState::Notified => "发出会议通知",
            MeetingState::Held => "确认会议已召开",
            MeetingState::MinutesApproved => "纪要已审定",
            MeetingState::Cancelled => "取消会议",
        }
    }

    /// Whether the agenda and the date may still change.
    pub fn open_for_planning(self) -> bool {
        matches!(self, MeetingState::Planned | MeetingState::Notified)
    }

    /// Whether attendance may be recorded: from the notice until the minutes are approved.
    pub fn records_attendance(self) -> bool {
        matches!(self, MeetingState::Notified | MeetingState::Held)
    }
}

kernel::coded! {
    /// Who attends: the body's members, or deputies invited to 列席.
    AttendeeRole {
        Member = "member" / "组成人员",
        Attending = "attending" / "列席",
    }
}

kernel::coded! {
    /// An attendee's attendance. A member of a held meeting with nothing
    /// recorded counts as absent.
    Attendance {
        Present = "present" / "出席",
        Leave = "leave" / "请假",
        Absent = "absent" / "缺席",
    }
}

kernel::coded! {
    /// What an agenda item concerns on the platform.
    LinkKind {
        SuggestionReport = "suggestion_report" / "代表建议办理情况报告",
        Motion = "motion" / "代表议案",
        Evaluation = "evaluation" / "工作评议",
        Appointment = "appointment" / "人事任免",
        Rule = "rule" / "制度规定",
        GovernmentReport = "government_report" / "一府一委两院报告",
        Draft = "draft" / "法规草案",
        Other = "other" / "其他",
    }
}

impl MeetingKind {
    /// Whether its agenda and results are published and citizens may apply
    /// to observe: the standing committee's meetings (「公民旁听常委会会议」)
    /// and a 主席团's; the 主任会议 and committees meet internally.
    pub fn is_public(self) -> bool {
        matches!(
            self,
            MeetingKind::StandingCommittee | MeetingKind::Presidium
        )
    }
}

kernel::coded! {
    /// A citizen's application to observe (旁听).
    ObserverStatus {
        Pending = "pending" / "待审核",
        Approved = "approved" / "已同意",
        Declined = "declined" / "未同意",
        Attended = "attended" / "已到场",
    }
}

kernel::coded! {
    /// What a meeting issues.
    OutputKind {
        Decision = "decision" / "决定",
        Resolution = "resolution" / "决议",
        Opinion = "opinion" / "审议意见",
        Minutes = "minutes" / "会议纪要",
    }
}

impl OutputKind {
    /// A 决定 or 决议 is what a vote passed.
    pub fn needs_passed_vote(self) -> bool {
        matches!(self, OutputKind::Decision | OutputKind::Resolution)
    }

    /// A deliberation opinion is addressed to the body that reported (一府一委两院).
    pub fn needs_addressee(self) -> bool {
        self == OutputKind::Opinion
    }
}

/// A document number as GB/T 9704 writes it (§7.2.4): the organ's code, the
/// year in hexagonal brackets 〔〕, the sequence without leading zeros and 号.
pub fn document_number(prefix: &str, year: i64, seq: i64) -> String {
    format!("{}〔{year}〕{seq}号", prefix.trim())
}

/// The issuing organ's full name for a body's documents: the standing
/// committee signs as 某某人民代表大会常务委员会 (its 主任会议 and working
/// bodies' documents too), a 主席团 as the township congress's 主席团, a
/// special committee under the congress.
pub fn organ(congress_name: &str, body: BodyKind, body_name: &str) -> String {
    match body {
        BodyKind::StandingCommittee | BodyKind::ChairmenCouncil => {
            format!("{congress_name}常务委员会")
        }
        BodyKind::Presidium => format!("{congress_name}主席团"),
        BodyKind::SpecialCommittee => format!("{congress_name}{body_name}"),
        BodyKind::WorkingCommittee | BodyKind::StreetCommittee => {
            format!("{congress_name}常务委员会{body_name}")
        }
    }
}

kernel::coded! {
    /// The base an open vote's majority is counted against.
    PassRule {
        MajorityOfMembers = "majority_of_members" / "全体组成人员过半数",
        MajorityOfPresent = "majority_of_present" / "出席人员过半数",
    }
}

/// An open vote's counts as the chair announces them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
    pub not_voting: u32,
}

impl Counts {
    pub fn total(self) -> u32 {
        self.yes + self.no + self.abstain + self.not_voting
    }
}

/// What a vote came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub passed: bool,
    /// The number the majority is counted against.
    pub base: u32,
    /// The fewest approvals that pass: more than half of the base.
    pub needed: u32,
    /// Every member of the body approved (全票通过).
    pub unanimous: bool,
}

/// Whether an open vote passes: approvals by more than half of the base —
/// by default all members of the body on the day of the meeting, so a vacant
/// seat is not counted but an absent member is (地方组织法 第二十五条 for
/// the congress's own resolutions, the rule its bodies follow by default; a
/// congress whose rules of procedure count those present sets
/// [`PassRule::MajorityOfPresent`]). Exactly half does not pass.
pub fn outcome(rule: PassRule, counts: Counts, members: u32, present: u32) -> Outcome {
    let base = match rule {
        PassRule::MajorityOfMembers => members,
        PassRule::MajorityOfPresent => present,
    };
    let needed = base / 2 + 1;
    Outcome {
        passed: base > 0 && counts.yes >= needed,
        base,
        needed,
        unanimous: members > 0 && counts.yes == members,
    }
}

/// Whether enough members are present for the meeting to be held: more than
/// half of all members of the body on the day — the quorum the bodies'
/// rules of procedure set (the same majority as [`outcome`]'s default base).
pub fn quorum_met(members: u32, present: u32) -> bool {
    members > 0 && present * 2 > members
}

/// Why counts cannot be right for a meeting with `present` members present.
pub fn counts_refusal(counts: Counts, present: u32) -> Option<String> {
    if present == 0 {
        return Some("尚未登记出席的组成人员，不能录入表决结果".into());
    }
    let total = counts.total();
    (total != present).then(|| {
        format!("赞成、反对、弃权、未表决合计 {total} 人，与出席的组成人员 {present} 人不符")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yes(n: u32) -> Counts {
        Counts {
            yes: n,
            ..Counts::default()
        }
    }

    #[test]
    fn more_than_half_of_all_members_passes_and_exactly_half_does_not() {
        let r = PassRule::MajorityOfMembers;
        // 17 members: 9 pass, 8 do not.
        assert!(outcome(r, yes(9), 17, 17).passed);
        assert!(!outcome(r, yes(8), 17, 17).passed);
        // 16 members: exactly half (8) does not pass, 9 does.
        assert!(!outcome(r, yes(8), 16, 16).passed);
        assert!(outcome(r, yes(9), 16, 16).passed);
        assert_eq!(outcome(r, yes(9), 16, 16).needed, 9);
    }

    #[test]
    fn absent_members_count_against_the_base_and_vacancies_do_not() {
        let r = PassRule::MajorityOfMembers;
        // 17 seats with 2 vacant: 15 members, 10 present; 8 approvals pass (> 7.5).
        assert!(outcome(r, yes(8), 15, 10).passed);
        // All 10 present approve, yet 7 of 15 would not.
        assert!(!outcome(r, yes(7), 15, 10).passed);
        // Counting those present, 6 of 10 pass.
        assert!(outcome(PassRule::MajorityOfPresent, yes(6), 15, 10).passed);
        assert!(!outcome(PassRule::MajorityOfPresent, yes(5), 15, 10).passed);
    }

    #[test]
    fn unanimous_means_every_member() {
        assert!(outcome(PassRule::MajorityOfMembers, yes(15), 15, 15).unanimous);
        assert!(!outcome(PassRule::MajorityOfMembers, yes(14), 15, 14).unanimous);
        assert!(!outcome(PassRule::MajorityOfMembers, yes(0), 0, 0).passed);
    }

    #[test]
    fn counts_must_add_up_to_those_present() {
        let c = Counts {
            yes: 12,
            no: 1,
            abstain: 1,
            not_voting: 0,
        };
        assert_eq!(counts_refusal(c, 14), None);
        assert!(counts_refusal(c, 15).expect("refused").contains("14 人"));
        assert!(counts_refusal(c, 0).is_some());
    }

    #[test]
    fn titles_carry_the_term_and_the_number() {
        assert_eq!(
            meeting_title("清溪县人大常委会", MeetingKind::StandingCommittee, 19, 31),
            "清溪县十九届人大常委会第三十一次会议"
        );
        assert_eq!(
            meeting_title(
                "清溪县人大常委会主任会议",
                MeetingKind::ChairmenCouncil,
                19,
                12
            ),
            "清溪县十九届人大常委会第十二次主任会议"
        );
        assert_eq!(
            meeting_title("城关镇人大主席团", MeetingKind::Presidium, 19, 3),
            "城关镇十九届人大主席团第三次会议"
        );
        assert_eq!(
            meeting_title("财政经济委员会", MeetingKind::SpecialCommittee, 19, 2),
            "十九届财政经济委员会第二次会议"
        );
    }

    #[test]
    fn document_numbers_and_organs() {
        assert_eq!(document_number("清常发", 2026, 7), "清常发〔2026〕7号");
        assert_eq!(
            organ(
                "清溪县人民代表大会",
                BodyKind::StandingCommittee,
                "清溪县人大常委会"
            ),
            "清溪县人民代表大会常务委员会"
        );
        assert_eq!(
            organ(
                "清溪县城关镇人民代表大会",
                BodyKind::Presidium,
                "城关镇人大主席团"
            ),
            "清溪县城关镇人民代表大会主席团"
        );
        assert!(OutputKind::Decision.needs_passed_vote());
        assert!(!OutputKind::Minutes.needs_passed_vote());
    }

    #[test]
    fn a_quorum_is_more_than_half() {
        assert!(quorum_met(17, 9));
        assert!(!quorum_met(16, 8));
        assert!(quorum_met(16, 9));
        assert!(!quorum_met(0, 0));
    }

    #[test]
    fn states_move_forward_only() {
        assert_eq!(
            MeetingState::Planned.next(),
            &[MeetingState::Notified, MeetingState::Cancelled]
        );
        assert!(MeetingState::MinutesApproved.next().is_empty());
        assert!(!MeetingState::Held.next().contains(&MeetingState::Cancelled));
    }
}
