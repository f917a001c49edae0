//! Roles, data scopes and the permission table.
//!
//! A role says what kind of work a user does; a data scope says whose records
//! they see. The table in [`allows`] is the single place where a role is granted
//! an action; every service function asks it before doing anything, and the
//! route × role matrix test checks the outcome over HTTP.

crate::coded! {
    Role {
        Admin = "admin" / "系统管理员",
        Staff = "staff" / "人大工作人员",
        CongressLeader = "congress_leader" / "人大领导",
        Deputy = "deputy" / "人大代表",
        UnitHandler = "unit_handler" / "承办单位经办人",
        UnitHead = "unit_head" / "承办单位负责人",
        GovLeader = "gov_leader" / "政府分管领导",
    }
}

crate::coded! {
    /// Whose records a user sees: everything; their organisation (congress or
    /// unit) and those below it; their organisation only; their own records.
    DataScope {
        All = "all" / "全部",
        OrgTree = "org_tree" / "本单位及下级",
        Org = "org" / "本单位",
        Own = "own" / "本人",
    }
}

impl Role {
    /// The scope a new account of this role gets unless an administrator grants another.
    pub fn default_scope(self) -> DataScope {
        match self {
            Role::Admin => DataScope::All,
            Role::Staff | Role::UnitHandler | Role::UnitHead => DataScope::Org,
            Role::CongressLeader => DataScope::OrgTree,
            Role::Deputy | Role::GovLeader => DataScope::Own,
        }
    }

    /// Scopes an administrator may grant to this role.
    pub fn allowed_scopes(self) -> &'static [DataScope] {
        match self {
            Role::Admin => &[DataScope::All],
            Role::Staff | Role::CongressLeader => {
                &[DataScope::All, DataScope::OrgTree, DataScope::Org]
            }
            Role::UnitHandler | Role::UnitHead => &[DataScope::OrgTree, DataScope::Org],
            Role::Deputy | Role::GovLeader => &[DataScope::Own],
        }
    }

    /// Staff-side roles that an administrator can oblige to use a second factor.
    pub fn is_staff_side(self) -> bool {
        matches!(self, Role::Admin | Role::Staff | Role::CongressLeader)
    }

    /// Whether the account must be linked to a congress / unit / deputy record.
    pub fn needs_congress(self) -> bool {
        matches!(self, Role::Staff | Role::CongressLeader)
    }
    pub fn needs_unit(self) -> bool {
        matches!(self, Role::UnitHandler | Role::UnitHead)
    }
    pub fn needs_deputy(self) -> bool {
        matches!(self, Role::Deputy)
    }
}

/// Everything a user can be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    ViewOrganisation,
    ManageOrganisation,
    ViewUnits,
    ManageUnits,
    ViewDeputies,
    ManageDeputies,
    /// See a deputy's or contact's phone and ID number unmasked (each view is audited).
    ViewPersonalData,
    ManageUsers,
    ViewAuditTrail,
    ViewLoginLog,
    ManageApiTokens,
    ViewCalendar,
    ManageCalendar,
    ManageSettings,
    /// Draft and submit suggestions and motions, co-sign, evaluate replies.
    ProposeSuggestions,
    /// Review, merge, assign and supervise suggestions.
    ManageSuggestions,
    /// See suggestions (data scope decides which).
    ViewSuggestions,
    /// Handle assigned items for one's unit.
    HandleItems,
    /// Edit the lists of categories and reasons.
    ManageOptions,
    /// Approve a unit's reply: the unit head, then the government leader in charge.
    SignOffReplies,
    /// Post and withdraw 通知公告 to chosen roles.
    PostAnnouncements,
    /// See meetings of the congress's bodies: all of one's congresses, or
    /// for a deputy the meetings they sit on or are invited to.
    ViewMeetings,
    /// Plan meetings, keep their agenda, attendance and votes.
    ManageMeetings,
    /// See deputies' duty records and points: one's congresses, or for a
    /// deputy their own.
    ViewDutyRecord,
    /// Verify activities, record them for many deputies, keep the scoring scheme.
    ManageDutyRecord,
}

/// The permission table. Data scope narrows what a granted action reaches.
pub fn allows(role: Role, p: Permission) -> bool {
    use Permission as P;
    use Role as R;
    match p {
        P::ViewCalendar => true,
        P::ViewOrganisation => !matches!(role, R::Deputy),
        P::ViewUnits => !matches!(role, R::Deputy),
        P::ManageOrganisation | P::ManageUnits | P::ManageDeputies => {
            matches!(role, R::Admin | R::Staff)
        }
        P::ViewDeputies => matches!(role, R::Admin | R::Staff | R::CongressLeader),
        P::ViewPersonalData => matches!(role, R::Admin | R::Staff),
        P::ProposeSuggestions => matches!(role, R::Deputy),
        P::ManageSuggestions => matches!(role, R::Admin | R::Staff),
        P::ViewSuggestions => true,
        P::HandleItems => matches!(role, R::UnitHandler | R::UnitHead),
        P::ManageOptions | P::PostAnnouncements => matches!(role, R::Admin | R::Staff),
        P::SignOffReplies => matches!(role, R::UnitHead | R::GovLeader),
        P::ViewMeetings => matches!(role, R::Admin | R::Staff | R::CongressLeader | R::Deputy),
        P::ManageMeetings => matches!(role, R::Admin | R::Staff),
        P::ViewDutyRecord => {
            matches!(role, R::Admin | R::Staff | R::CongressLeader | R::Deputy)
        }
        P::ManageDutyRecord => matches!(role, R::Admin | R::Staff),
        P::ManageUsers
        | P::ViewAuditTrail
        | P::ViewLoginLog
        | P::ManageApiTokens
        | P::ManageCalendar
        | P::ManageSettings => matches!(role, R::Admin),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admins_manage_accounts_and_read_the_audit_trail() {
        for r in Role::ALL {
            assert_eq!(allows(*r, Permission::ManageUsers), *r == Role::Admin);
            assert_eq!(allows(*r, Permission::ViewAuditTrail), *r == Role::Admin);
        }
    }

    #[test]
    fn deputies_and_units_do_not_browse_the_roster() {
        for r in [
            Role::Deputy,
            Role::UnitHandler,
            Role::UnitHead,
            Role::GovLeader,
        ] {
            assert!(!allows(r, Permission::ViewDeputies));
            assert!(!allows(r, Permission::ViewPersonalData));
        }
    }

    #[test]
    fn default_scope_is_allowed() {
        for r in Role::ALL {
            assert!(r.allowed_scopes().contains(&r.default_scope()));
        }
    }
}
