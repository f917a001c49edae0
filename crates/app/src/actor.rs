//! Who is acting: an account (through a session or an API token), or the
//! system itself (command line, demo loader).

use kernel::roles::{DataScope, Permission, Role, allows};
use serde::Serialize;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub scope: DataScope,
    pub congress_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub deputy_id: Option<i64>,
    /// The client address, for the audit trail.
    pub ip: String,
    /// Set when the request came with an API token.
    pub token_id: Option<i64>,
    pub is_demo: bool,
}

impl Actor {
    /// The platform itself acting from the command line.
    pub fn system(what: &str) -> Actor {
        Actor {
            user_id: None,
            username: format!("system:{what}"),
            display_name: "系统".into(),
            role: Role::Admin,
            scope: DataScope::All,
            congress_id: None,
            unit_id: None,
            deputy_id: None,
            ip: "local".into(),
            token_id: None,
            is_demo: false,
        }
    }

    pub fn can(&self, p: Permission) -> bool {
        allows(self.role, p)
    }

    /// Refuses unless the role has the permission.
    pub fn require(&self, p: Permission) -> Result<()> {
        if self.can(p) {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    /// The name written into the audit trail.
    pub fn audit_name(&self) -> String {
        match self.token_id {
            Some(t) => format!("{}（API 令牌 #{t}）", self.username),
            None => self.username.clone(),
        }
    }
}
