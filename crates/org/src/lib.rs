//! The foundation every capability builds on: regions, congresses with their
//! terms and sessions, handling units, the roster of deputies, accounts and
//! API tokens, the holiday calendar's administration, settings and the logs.
//! Other capabilities read the organisation through this crate ([`scope`],
//! [`store`]); it depends on none of them.

pub mod scope;
pub mod service;
pub mod store;
pub mod web;

use std::time::Duration;

use app::{Actor, Ctx};
use futures_util::future::BoxFuture;
use utoipa_axum::router::OpenApiRouter;
use webkit::capability::{Capability, Home, Job};
use webkit::{AppState, Pages};

/// The foundation as the server mounts it.
pub struct Org;

impl Capability for Org {
    fn name(&self) -> &'static str {
        "org"
    }

    fn pages(&self) -> Pages {
        web::pages::router()
    }

    fn api(&self) -> OpenApiRouter<AppState> {
        web::api::router()
    }

    fn home<'a>(&'a self, ctx: &'a Ctx, actor: &'a Actor) -> BoxFuture<'a, app::Result<Home>> {
        Box::pin(async move {
            Ok(Home {
                figures: service::dashboard::figures(ctx, actor).await?,
                alerts: Vec::new(),
            })
        })
    }

    fn jobs(&self) -> Vec<Job> {
        vec![Job {
            name: "purge idle sessions",
            every: Duration::from_secs(300),
            run: |ctx| {
                Box::pin(async move {
                    let n = app::auth::purge_idle_sessions(&ctx).await?;
                    Ok(if n > 0 {
                        format!("{n} idle sessions ended")
                    } else {
                        String::new()
                    })
                })
            },
        }]
    }

    fn demo<'a>(&'a self, ctx: &'a Ctx) -> BoxFuture<'a, app::Result<String>> {
        Box::pin(async move {
            let loaded = service::demo::load(ctx).await?;
            Ok(format!(
                "{} 位代表资格，{} 个承办单位",
                loaded.deputies, loaded.units
            ))
        })
    }
}
