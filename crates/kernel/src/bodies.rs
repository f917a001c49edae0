//! The bodies of a congress that act between its sessions, and the places
//! their members hold.
//!
//! A congress of county level or above has a standing committee (宪法
//! 第九十六条第二款: 「县级以上的地方各级人民代表大会设立常务委员会」) with its
//! 主任会议, the congress's special committees (专门委员会) and the standing
//! committee's working bodies (工作委员会); a district's standing committee
//! also keeps a 街道工作委员会 in each street, which has no congress of its
//! own. A township congress has no standing committee: its 主席团 acts
//! between sessions (SEED-NOTES §9.2).

use crate::org::CongressLevel;

crate::coded! {
    /// What kind of body it is.
    BodyKind {
        StandingCommittee = "standing_committee" / "常务委员会",
        ChairmenCouncil = "chairmen_council" / "主任会议",
        SpecialCommittee = "special_committee" / "专门委员会",
        WorkingCommittee = "working_committee" / "工作委员会",
        StreetCommittee = "street_committee" / "街道工作委员会",
        Presidium = "presidium" / "主席团",
    }
}

crate::coded! {
    /// A member's place in a body.
    BodyPosition {
        Chair = "chair" / "主任",
        ViceChair = "vice_chair" / "副主任",
        SecretaryGeneral = "secretary_general" / "秘书长",
        Member = "member" / "委员",
    }
}

impl BodyKind {
    /// Whether a congress of `level` has bodies of this kind (see the module note).
    pub fn allowed_at(self, level: CongressLevel) -> bool {
        match level {
            CongressLevel::Township => self == BodyKind::Presidium,
            CongressLevel::County => self != BodyKind::Presidium,
            _ => !matches!(self, BodyKind::Presidium | BodyKind::StreetCommittee),
        }
    }

    /// Why a congress of `level` cannot have this kind, for the message.
    pub fn refusal_at(self, level: CongressLevel) -> Option<String> {
        if self.allowed_at(level) {
            return None;
        }
        Some(match (self, level) {
            (_, CongressLevel::Township) => format!(
                "乡镇人大不设{}：闭会期间由主席团开展工作，请选择“主席团”",
                self.label()
            ),
            (BodyKind::Presidium, _) => {
                "县级以上人大在闭会期间由常务委员会开展工作；主席团只用于乡镇人大".into()
            }
            _ => format!(
                "{}人大不设{}（街道工作委员会由区县人大常委会设立）",
                level.label(),
                self.label()
            ),
        })
    }

    /// Whether the kind has one body per congress (a second would be a mistake).
    pub fn one_per_congress(self) -> bool {
        matches!(
            self,
            BodyKind::StandingCommittee | BodyKind::ChairmenCouncil | BodyKind::Presidium
        )
    }
}

impl BodyPosition {
    /// The place's name in a body of `kind`: a 主席团 has a 主席 (人大主席),
    /// 副主席 and 成员; a special committee 主任委员, 副主任委员 and 委员; the
    /// standing committee and its working bodies 主任, 副主任 and 委员.
    pub fn label_in(self, kind: BodyKind) -> &'static str {
        match (kind, self) {
            (BodyKind::Presidium, BodyPosition::Chair) => "主席",
            (BodyKind::Presidium, BodyPosition::ViceChair) => "副主席",
            (BodyKind::SpecialCommittee, BodyPosition::Chair) => "主任委员",
            (BodyKind::SpecialCommittee, BodyPosition::ViceChair) => "副主任委员",
            (BodyKind::Presidium | BodyKind::ChairmenCouncil, BodyPosition::Member) => "成员",
            (_, p) => p.label(),
        }
    }

    /// Whether bodies of `kind` have this place: a 秘书长 belongs to the
    /// standing committee and its 主任会议 only.
    pub fn allowed_in(self, kind: BodyKind) -> bool {
        self != BodyPosition::SecretaryGeneral
            || matches!(
                kind,
                BodyKind::StandingCommittee | BodyKind::ChairmenCouncil
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_township_has_a_presidium_and_no_standing_committee() {
        for kind in BodyKind::ALL {
            assert_eq!(
                kind.allowed_at(CongressLevel::Township),
                *kind == BodyKind::Presidium,
                "{kind}"
            );
        }
        assert!(
            BodyKind::StandingCommittee
                .refusal_at(CongressLevel::Township)
                .is_some_and(|m| m.contains("主席团"))
        );
    }

    #[test]
    fn streets_belong_to_a_county_level_standing_committee() {
        assert!(BodyKind::StreetCommittee.allowed_at(CongressLevel::County));
        assert!(!BodyKind::StreetCommittee.allowed_at(CongressLevel::City));
        assert!(!BodyKind::Presidium.allowed_at(CongressLevel::County));
        for level in [
            CongressLevel::County,
            CongressLevel::City,
            CongressLevel::Provincial,
        ] {
            assert!(BodyKind::StandingCommittee.allowed_at(level));
            assert!(BodyKind::ChairmenCouncil.allowed_at(level));
        }
    }

    #[test]
    fn places_are_named_as_the_body_names_them() {
        assert_eq!(BodyPosition::Chair.label_in(BodyKind::Presidium), "主席");
        assert_eq!(
            BodyPosition::Chair.label_in(BodyKind::StandingCommittee),
            "主任"
        );
        assert_eq!(
            BodyPosition::Member.label_in(BodyKind::StandingCommittee),
            "委员"
        );
        assert_eq!(BodyPosition::Member.label_in(BodyKind::Presidium), "成员");
        assert_eq!(
            BodyPosition::Chair.label_in(BodyKind::SpecialCommittee),
            "主任委员"
        );
        assert!(!BodyPosition::SecretaryGeneral.allowed_in(BodyKind::SpecialCommittee));
        assert!(BodyPosition::SecretaryGeneral.allowed_in(BodyKind::StandingCommittee));
        assert!(
            BodyKind::SpecialCommittee
                .refusal_at(CongressLevel::Township)
                .is_some_and(|m| m.contains("不设专门委员会"))
        );
    }
}
