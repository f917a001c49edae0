//! Deputies' suggestions and motions through their closed loop: drafting and
//! joint signing, review by staff, assignment to units and handling on the
//! tracked-item engine, the deputy's evaluation, publication of replies,
//! statistics, and the documents of the record.

pub mod kind;
pub mod rules;
pub mod service;
pub mod store;
pub mod web;

use app::{Actor, Ctx};
use futures_util::future::BoxFuture;
use utoipa_axum::router::OpenApiRouter;
use webkit::capability::{Capability, Home};
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

    fn home<'a>(&'a self, ctx: &'a Ctx, actor: &'a Actor) -> BoxFuture<'a, app::Result<Home>> {
        Box::pin(service::home::home(ctx, actor))
    }

    fn demo<'a>(&'a self, ctx: &'a Ctx) -> BoxFuture<'a, app::Result<String>> {
        Box::pin(async move {
            let n = service::demo::load(ctx, DEMO_SUGGESTIONS).await?;
            Ok(format!("{n} 件议案建议"))
        })
    }
}
