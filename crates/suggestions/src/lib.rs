//! Deputies' suggestions and motions through their closed loop: drafting and
//! joint signing, review by staff, assignment to units and handling on the
//! tracked-item engine, the deputy's evaluation, publication of replies,
//! statistics, and the documents of the record.

pub mod audit_terms;
pub mod handoff;
pub mod kind;
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

/// The suggestion loop as the server mounts it.
pub struct Suggestions;

/// Suggestions the demo loads.
pub const DEMO_SUGGESTIONS: usize = 300;

impl Capability for Suggestions {
    fn name(&self) -> &'static str {
        "suggestions"
    }

    fn pages(&self) -> Pages {
        web::pages::router()
    }

    fn api(&self) -> OpenApiRouter<AppState> {
        web::api::router().merge(web::api::stats_router())
    }

    fn menu(&self, a: &Actor) -> Vec<NavItem> {
        let mut v = Vec::new();
        match a.role {
            Role::GovLeader => {}
            Role::Deputy => v.push(NavItem::new(20, "/suggestions", "我的建议", "suggestions")),
            _ => v.push(NavItem::new(20, "/suggestions", "议案建议", "suggestions")),
        }
        if matches!(
            a.role,
            Role::Admin | Role::Staff | Role::CongressLeader | Role::UnitHandler | Role::UnitHead
        ) {
            v.push(NavItem::new(40, "/stats", "办理统计", "stats"));
        }
        if a.can(Permission::ManageOptions) {
            v.push(NavItem::new(69, "/admin/options", "分类与理由", "options"));
        }
        v
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
            let n = service::demo::load(ctx, DEMO_SUGGESTIONS).await?;
            Ok(format!("{n} 件议案建议"))
        })
    }
}
