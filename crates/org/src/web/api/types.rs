//! The foundation's API responses: their own types, not the store's rows,
//! with booleans for flags and the internal columns (materialised paths,
//! hashes, encrypted values) left out.

use app::store::api_tokens::TokenRow;
use app::store::login_log::LoginRow;
use app::store::notifications::NotificationRow;
use app::store::users::UserRow;
use db::audit::AuditRow;
use serde::Serialize;

use crate::service::congresses::CongressDetail;
use crate::service::units::UnitDetail;
use crate::store::congresses::{CongressRow, SessionRow, TermRow};
use crate::store::regions::RegionRow;
use crate::store::units::UnitRow;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Region {
    /// GB/T 2260 code.
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_code: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<&RegionRow> for Region {
    fn from(r: &RegionRow) -> Self {
        Region {
            code: r.code.clone(),
            name: r.name.clone(),
            level: r.level.clone(),
            parent_code: r.parent_code.clone(),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Congress {
    pub id: i64,
    pub name: String,
    /// national / provincial / city / county / township.
    pub level: String,
    pub region_code: Option<String>,
    pub parent_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<&CongressRow> for Congress {
    fn from(c: &CongressRow) -> Self {
        Congress {
            id: c.id,
            name: c.name.clone(),
            level: c.level.clone(),
            region_code: c.region_code.clone(),
            parent_id: c.parent_id,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Session {
    pub id: i64,
    pub number: i64,
    pub start_date: String,
    pub end_date: String,
}

impl From<&SessionRow> for Session {
    fn from(s: &SessionRow) -> Self {
        Session {
            id: s.id,
            number: s.number,
            start_date: s.start_date.clone(),
            end_date: s.end_date.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Term {
    pub id: i64,
    pub number: i64,
    pub start_date: String,
    pub end_date: String,
    pub sessions: Vec<Session>,
}

impl Term {
    fn of(t: &TermRow, sessions: &[SessionRow]) -> Term {
        Term {
            id: t.id,
            number: t.number,
            start_date: t.start_date.clone(),
            end_date: t.end_date.clone(),
            sessions: sessions.iter().map(Session::from).collect(),
        }
    }
}

/// A congress with its parent and its terms and sessions.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CongressWithTerms {
    #[serde(flatten)]
    pub congress: Congress,
    pub parent: Option<Congress>,
    pub terms: Vec<Term>,
}

impl From<&CongressDetail> for CongressWithTerms {
    fn from(d: &CongressDetail) -> Self {
        CongressWithTerms {
            congress: Congress::from(&d.congress),
            parent: d.parent.as_ref().map(Congress::from),
            terms: d
                .terms
                .iter()
                .map(|t| Term::of(&t.term, &t.sessions))
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Unit {
    pub id: i64,
    pub congress_id: i64,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<i64>,
    /// 统一社会信用代码 (GB 32100-2015).
    pub credit_code: Option<String>,
    pub leader_name: String,
    pub leader_title: String,
    /// The account of the government leader in charge, if any.
    pub leader_user_id: Option<i64>,
    pub address: String,
    pub active: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<&UnitRow> for Unit {
    fn from(u: &UnitRow) -> Self {
        Unit {
            id: u.id,
            congress_id: u.congress_id,
            name: u.name.clone(),
            kind: u.kind.clone(),
            parent_id: u.parent_id,
            credit_code: u.credit_code.clone(),
            leader_name: u.leader_name.clone(),
            leader_title: u.leader_title.clone(),
            leader_user_id: u.leader_user_id,
            address: u.address.clone(),
            active: u.active == 1,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnitContact {
    pub name: String,
    pub title: String,
    /// Shown unmasked to staff and administrators, masked to others.
    pub phone: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnitWithContacts {
    #[serde(flatten)]
    pub unit: Unit,
    pub kind_label: String,
    pub congress_name: String,
    pub parent_name: Option<String>,
    pub contacts: Vec<UnitContact>,
    /// Units directly below it.
    pub children: i64,
}

impl From<&UnitDetail> for UnitWithContacts {
    fn from(d: &UnitDetail) -> Self {
        UnitWithContacts {
            unit: Unit::from(&d.unit),
            kind_label: d.kind_label.clone(),
            congress_name: d.congress_name.clone(),
            parent_name: d.parent_name.clone(),
            contacts: d
                .contacts
                .iter()
                .map(|c| UnitContact {
                    name: c.name.clone(),
                    title: c.title.clone(),
                    phone: c.phone.clone(),
                })
                .collect(),
            children: d.children,
        }
    }
}

/// An account, without its secrets.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub data_scope: String,
    pub congress_id: Option<i64>,
    pub office: Option<String>,
    pub unit_id: Option<i64>,
    pub deputy_id: Option<i64>,
    pub email: Option<String>,
    pub must_change_password: bool,
    pub is_demo: bool,
    pub disabled: bool,
    pub failed_logins: i64,
    pub locked_until: Option<i64>,
    pub totp_enabled: bool,
    pub totp_required: bool,
    pub last_login_at: Option<i64>,
    pub password_changed_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<&UserRow> for User {
    fn from(u: &UserRow) -> Self {
        User {
            id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            role: u.role.clone(),
            data_scope: u.data_scope.clone(),
            congress_id: u.congress_id,
            office: u.office.clone(),
            unit_id: u.unit_id,
            deputy_id: u.deputy_id,
            email: u.email.clone(),
            must_change_password: u.must_change_password == 1,
            is_demo: u.is_demo == 1,
            disabled: u.disabled == 1,
            failed_logins: u.failed_logins,
            locked_until: u.locked_until,
            totp_enabled: u.totp_enabled == 1,
            totp_required: u.totp_required == 1,
            last_login_at: u.last_login_at,
            password_changed_at: u.password_changed_at,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

/// An API token, without the token (shown once, when created).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Token {
    pub id: i64,
    pub name: String,
    /// The first characters, to recognise it.
    pub prefix: String,
    pub role: String,
    pub data_scope: String,
    pub congress_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub created_by: i64,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

impl From<&TokenRow> for Token {
    fn from(t: &TokenRow) -> Self {
        Token {
            id: t.id,
            name: t.name.clone(),
            prefix: t.prefix.clone(),
            role: t.role.clone(),
            data_scope: t.data_scope.clone(),
            congress_id: t.congress_id,
            unit_id: t.unit_id,
            created_by: t.created_by,
            created_at: t.created_at,
            expires_at: t.expires_at,
            revoked_at: t.revoked_at,
            last_used_at: t.last_used_at,
        }
    }
}

/// One record of the audit chain.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub role: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub summary: String,
    pub ip: String,
    /// The chain: the previous record's hash and this one's.
    pub prev_hash: String,
    pub hash: String,
}

impl From<&AuditRow> for AuditEntry {
    fn from(a: &AuditRow) -> Self {
        AuditEntry {
            seq: a.seq,
            at: a.at,
            actor_id: a.actor_id,
            actor_name: a.actor_name.clone(),
            role: a.role.clone(),
            action: a.action.clone(),
            entity: a.entity.clone(),
            entity_id: a.entity_id.clone(),
            summary: a.summary.clone(),
            ip: a.ip.clone(),
            prev_hash: a.prev_hash.clone(),
            hash: a.hash.clone(),
        }
    }
}

/// One login attempt.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LoginEntry {
    pub id: i64,
    pub at: i64,
    pub username: String,
    pub user_id: Option<i64>,
    pub ip: String,
    pub user_agent: String,
    /// success / bad_password / locked / …
    pub outcome: String,
}

impl From<&LoginRow> for LoginEntry {
    fn from(l: &LoginRow) -> Self {
        LoginEntry {
            id: l.id,
            at: l.at,
            username: l.username.clone(),
            user_id: l.user_id,
            ip: l.ip.clone(),
            user_agent: l.user_agent.clone(),
            outcome: l.outcome.clone(),
        }
    }
}

/// A notice in one's inbox.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Notice {
    pub id: i64,
    pub title: String,
    pub body: String,
    /// The page it is about.
    pub link: String,
    pub created_at: i64,
    pub read: bool,
    pub read_at: Option<i64>,
}

impl From<&NotificationRow> for Notice {
    fn from(n: &NotificationRow) -> Self {
        Notice {
            id: n.id,
            title: n.title.clone(),
            body: n.body.clone(),
            link: n.link.clone(),
            created_at: n.created_at,
            read: n.read_at.is_some(),
            read_at: n.read_at,
        }
    }
}
