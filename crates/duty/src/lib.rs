//! The deputies' duty record (履职档案、履职积分): activities a deputy records
//! on a phone and staff verify, or staff record for everyone at an event;
//! facts other capabilities already know (meetings attended, suggestions
//! submitted) read through the `app::handoff::DutyFacts` hand-off rather
//! than typed twice; a scoring scheme per congress and year whose every
//! total is explained line by line; ranks and grade bands.

pub mod audit_terms;
pub mod rules;
pub mod service;
pub mod store;
pub mod web;

use std::time::Duration;

use app::{Actor, Ctx};
use futures_util::future::BoxFuture;
use kernel::roles::{Permission, Role};
use utoipa_axum::router::OpenApiRouter;
use webkit::capability::{AuditObject, AuditTerms, Capability, Figure, Home, Job, Lead, NavItem};
use webkit::{AppState, Pages};

/// The duty record as the server mounts it.
pub struct DutyRecord;

impl Capability for DutyRecord {
    fn name(&self) -> &'static str {
        "duty"
    }

    fn pages(&self) -> Pages {
        web::pages::router()
    }

    fn api(&self) -> OpenApiRouter<AppState> {
        web::api::router()
    }

    fn menu(&self, a: &Actor) -> Vec<NavItem> {
        if !a.can(Permission::ViewDutyRecord) {
            return Vec::new();
        }
        let label = if a.role == Role::Deputy {
            "我的履职"
        } else {
            "代表履职"
        };
        vec![NavItem::new(35, "/duty", label, "duty")]
    }

    fn home<'a>(&'a self, ctx: &'a Ctx, actor: &'a Actor) -> BoxFuture<'a, app::Result<Home>> {
        Box::pin(async move {
            let mut home = Home::default();
            if actor.role == Role::Deputy && actor.can(Permission::ViewDutyRecord) {
                home.leads.push(Lead {
                    order: 20,
                    label: "登记履职活动",
                    href: "/duty#record".into(),
                });
            }
            if actor.can(Permission::ManageDutyRecord) {
                let q = service::activities::ListQuery {
                    state: "pending".into(),
                    per_page: Some(1),
                    ..Default::default()
                };
                let p = service::activities::list(ctx, actor, &q).await?;
                home.figures.push(Figure {
                    order: 70,
                    label: "待核实的履职活动",
                    value: p.total,
                    href: "/duty#queue".into(),
                });
            }
            Ok(home)
        })
    }

    fn jobs(&self) -> Vec<Job> {
        vec![Job {
            name: "duty.recompute",
            every: Duration::from_secs(6 * 3600),
            run: |ctx| Box::pin(async move { service::points::recompute_current(&ctx).await }),
        }]
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
            Ok(format!("{n} 条履职活动"))
        })
    }
}
