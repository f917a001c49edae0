//! The tracked-item engine: anything assigned to units and answered — a
//! deputy's proposal, a voter's request passed on, a deliberation opinion,
//! a problem list, a correction request, a project milestone. It names no capability.
//!
//! An item points at its subject (kind, id, title, link) and its proposer
//! (kind and id). Each kind declares its rules as data ([`rules::KindRules`]:
//! the reply deadline in months or working days with its cited article and a
//! "complex" variant, extension, the sign-off chain, contact before reply,
//! who evaluates on which scale, re-handling, the permission of each action)
//! and implements [`kind::Kind`] for what is its own. The engine holds the
//! use cases ([`service`]), the item's part of the subject's page and the
//! work page ([`web`]), and the deadline reminders.

pub mod audit_terms;
pub mod kind;
pub mod rules;
pub mod service;
pub mod store;
pub mod web;

use std::time::Duration;

use utoipa_axum::router::OpenApiRouter;
use webkit::capability::{Capability, Job, NavItem};
use webkit::{AppState, Pages};

pub use kind::{Kind, Kinds};

/// The engine's routes and jobs, as the server mounts them.
pub struct Engine;

impl Capability for Engine {
    fn name(&self) -> &'static str {
        "engine"
    }

    fn menu(&self, a: &app::Actor) -> Vec<NavItem> {
        if a.role == kernel::roles::Role::Deputy {
            Vec::new()
        } else {
            vec![NavItem::new(30, "/work", "工作台", "work")]
        }
    }

    fn pages(&self) -> Pages {
        web::router()
    }

    fn api(&self) -> OpenApiRouter<AppState> {
        web::api::router()
    }

    fn jobs(&self) -> Vec<Job> {
        vec![Job {
            name: "deadline reminders",
            every: Duration::from_secs(3600),
            run: |ctx| {
                Box::pin(async move {
                    let s = service::reminders::run(&ctx).await?;
                    Ok(if s.reminded + s.escalated > 0 {
                        format!("{} reminded, {} escalated", s.reminded, s.escalated)
                    } else {
                        String::new()
                    })
                })
            },
        }]
    }
}
