//! Meetings of a congress's bodies between its sessions: the standing
//! committee's meetings numbered within the term, the 主任会议, a township
//! 主席团's meetings, committee meetings. Each has an agenda whose items say
//! what they concern, attendance checked against the body's membership on the
//! day (members, deputies invited to 列席), a sign-in code for the door, and
//! open votes counted by the pass rule. The duty record reads a deputy's
//! attendance through [`service::report::attendance_of`].

pub mod audit_terms;
pub mod handoff;
pub mod opinion_kind;
pub mod rules;
pub mod service;
pub mod store;
pub mod web;

use app::{Actor, Ctx};
use futures_util::future::BoxFuture;
use kernel::roles::{Permission, Role};
use utoipa_axum::router::OpenApiRouter;
use webkit::capability::{AuditObject, AuditTerms, Capability, Home, NavItem};
use webkit::{AppState, Pages};

/// The meetings as the server mounts them.
pub struct Meetings;

impl Capability for Meetings {
    fn name(&self) -> &'static str {
        "meetings"
    }

    fn pages(&self) -> Pages {
        web::pages::router()
    }

    fn api(&self) -> OpenApiRouter<AppState> {
        web::api::router()
    }

    fn menu(&self, a: &Actor) -> Vec<NavItem> {
        if !a.can(Permission::ViewMeetings) {
            return Vec::new();
        }
        let label = if a.role == Role::Deputy {
            "我的会议"
        } else {
            "会议"
        };
        vec![NavItem::new(30, "/meetings", label, "meetings")]
    }

    fn home<'a>(&'a self, ctx: &'a Ctx, actor: &'a Actor) -> BoxFuture<'a, app::Result<Home>> {
        Box::pin(service::home::home(ctx, actor))
    }

    fn audit_terms(&self) -> Vec<AuditTerms> {
        audit_terms::terms()
    }

    fn audit_objects<'a>(
        &'a self,
        ctx: &'a Ctx,
        refs: &'a [(String, String)],
    ) -> BoxFuture<'a, app::Result<Vec<AuditObject>>> {
        Box::pin(audit_terms::objects(ctx, refs))
    }

    fn demo<'a>(&'a self, ctx: &'a Ctx) -> BoxFuture<'a, app::Result<String>> {
        Box::pin(async move {
            let n = service::demo::load(ctx).await?;
            Ok(format!("{n} 次会议"))
        })
    }
}
