//! What a capability contributes to the platform. The server holds one value
//! per capability (the foundation first) and asks each for its pages, its API
//! routes, its figures on the home page, its background jobs and its demo
//! data; nothing in the kit or the server names a capability's routes.

use std::time::Duration;

use app::{Actor, Ctx};
use futures_util::future::BoxFuture;
use utoipa_axum::router::OpenApiRouter;

use crate::{AppState, Pages};

/// One figure on the home page (a count that links to its list).
#[derive(Debug, Clone)]
pub struct Figure {
    /// Where it stands among every capability's figures (ascending).
    pub order: u16,
    pub label: &'static str,
    pub value: i64,
    pub href: String,
}

/// A warning at the top of the home page, with an optional link inside it.
#[derive(Debug, Clone, Default)]
pub struct Alert {
    pub before: String,
    pub link_label: String,
    pub href: String,
    pub after: String,
}

/// The main thing an actor comes to do, as a button that leads the home
/// page (a deputy's 提出建议).
#[derive(Debug, Clone)]
pub struct Lead {
    pub order: u16,
    pub label: &'static str,
    pub href: String,
}

/// What a capability shows an actor on the home page.
#[derive(Debug, Clone, Default)]
pub struct Home {
    pub leads: Vec<Lead>,
    pub figures: Vec<Figure>,
    pub alerts: Vec<Alert>,
}

/// The audit trail's words for a capability's actions and records: action
/// code → 中文 name, entity → noun.
#[derive(Debug, Clone, Copy, Default)]
pub struct AuditTerms {
    pub actions: &'static [(&'static str, &'static str)],
    pub entities: &'static [(&'static str, &'static str)],
}

/// An audited record as its users know it (第 7 号「…」, a deputy's name),
/// with the page that shows it.
#[derive(Debug, Clone)]
pub struct AuditObject {
    pub entity: String,
    pub id: String,
    pub label: String,
    /// Empty when the record has no page.
    pub href: String,
}

/// An entry of the menu.
#[derive(Debug, Clone)]
pub struct NavItem {
    /// Where it stands among every capability's entries (ascending).
    pub order: u16,
    pub href: String,
    pub label: &'static str,
    /// The `active` key of the pages it leads to.
    pub key: &'static str,
}

impl NavItem {
    pub fn new(
        order: u16,
        href: impl Into<String>,
        label: &'static str,
        key: &'static str,
    ) -> Self {
        NavItem {
            order,
            href: href.into(),
            label,
            key,
        }
    }
}

/// A background job: run every `every` by each instance's scheduler. A job
/// must be idempotent, since several instances may run it.
pub struct Job {
    pub name: &'static str,
    pub every: Duration,
    /// Runs once; the text (when not empty) is logged.
    pub run: fn(Ctx) -> BoxFuture<'static, app::Result<String>>,
}

pub trait Capability: Send + Sync + 'static {
    /// A short name for logs ("org", "suggestions").
    fn name(&self) -> &'static str;

    /// The HTML pages.
    fn pages(&self) -> Pages {
        Pages::new()
    }

    /// The JSON API, mounted under `/api`; each route carries its OpenAPI entry.
    fn api(&self) -> OpenApiRouter<AppState> {
        OpenApiRouter::new()
    }

    /// The menu entries the actor may reach.
    fn menu(&self, _actor: &Actor) -> Vec<NavItem> {
        Vec::new()
    }

    /// Figures and warnings for the actor's home page.
    fn home<'a>(&'a self, _ctx: &'a Ctx, _actor: &'a Actor) -> BoxFuture<'a, app::Result<Home>> {
        Box::pin(async { Ok(Home::default()) })
    }

    /// Words for the audit trail.
    fn audit_terms(&self) -> Vec<AuditTerms> {
        Vec::new()
    }

    /// Names the records of one page of the audit trail (`(entity, id)`
    /// pairs) that are this capability's; the others are left out.
    fn audit_objects<'a>(
        &'a self,
        _ctx: &'a Ctx,
        _refs: &'a [(String, String)],
    ) -> BoxFuture<'a, app::Result<Vec<AuditObject>>> {
        Box::pin(async { Ok(Vec::new()) })
    }

    /// Periodic jobs.
    fn jobs(&self) -> Vec<Job> {
        Vec::new()
    }

    /// Loads the capability's part of the demo; the foundation's part is loaded
    /// first. Returns a line for the console, or an empty string.
    fn demo<'a>(&'a self, _ctx: &'a Ctx) -> BoxFuture<'a, app::Result<String>> {
        Box::pin(async { Ok(String::new()) })
    }
}
