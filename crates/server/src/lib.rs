//! Assembles renda: every capability's pages and API in one router, one
//! OpenAPI document, the background jobs, and the demo.

pub mod openapi;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware;
use axum::routing::{any, get};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use utoipa_axum::router::OpenApiRouter;
pub use webkit::AppState;
use webkit::{Capability, Pages};

/// Every capability, the foundation first (its demo data is loaded first,
/// and its routes are mounted first).
pub fn capabilities() -> Vec<Arc<dyn Capability>> {
    vec![
        Arc::new(org::Org),
        Arc::new(engine::Engine),
        Arc::new(suggestions::Suggestions),
        Arc::new(meetings::Meetings),
        Arc::new(duty::DutyRecord),
    ]
}

/// The kinds of tracked item the platform serves.
pub fn kinds() -> engine::Kinds {
    engine::Kinds::new(vec![
        Arc::new(suggestions::kind::SuggestionKind),
        Arc::new(suggestions::kind::MotionKind),
        Arc::new(meetings::opinion_kind::OpinionKind),
    ])
}

/// The context every use case runs in, with the platform's kinds installed.
pub fn context(
    db: db::Db,
    key: crypto::MasterKey,
    hash_cost: crypto::password::HashCost,
) -> app::Ctx {
    app::Ctx::new(db, key, hash_cost)
        .with(kinds())
        .with(app::calendar::YearHooks(vec![
            engine::service::deadlines::on_year_entered,
        ]))
        // The hand-offs between capabilities (app::handoff).
        .with::<app::handoff::MotionsHandoff>(Arc::new(suggestions::handoff::MotionDirectory))
        .with::<app::handoff::HearingsHandoff>(Arc::new(meetings::handoff::Agendas))
        .with(app::handoff::DutyFactSources(vec![
            Arc::new(meetings::handoff::Attendance),
            Arc::new(suggestions::handoff::Proposals),
        ]))
}

/// Every page route's path (for the route × role matrix).
pub fn page_paths() -> Vec<&'static str> {
    let mut pages = Pages::new();
    for c in capabilities() {
        pages = pages.merge(c.pages());
    }
    pages.paths().to_vec()
}

/// Every capability's API under `/api`, with the OpenAPI document the routes register.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let mut api = OpenApiRouter::new();
    for c in capabilities() {
        api = api.merge(c.api());
    }
    OpenApiRouter::with_openapi(openapi::base())
        .nest("/api", api)
        .split_for_parts()
}

/// Builds the whole application.
pub fn app(mut state: AppState) -> Router {
    let capabilities = capabilities();
    let security_headers = [
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "same-origin"),
        (
            "content-security-policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
        ),
    ];
    let mut pages = Pages::new();
    for c in &capabilities {
        pages = pages.merge(c.pages());
    }
    let (api, doc) = api();
    let doc = Arc::new(doc);
    let openapi_json = move || {
        let doc = doc.clone();
        async move { webkit::api::ok(doc.as_ref()) }
    };
    state.capabilities = Arc::new(capabilities);
    let mut router = pages
        .into_router()
        .merge(api)
        .route("/api/openapi.json", get(openapi_json))
        .route("/api/{*rest}", any(webkit::api::not_found))
        .fallback(webkit::api::page_not_found)
        .merge(webkit::assets::router())
        .merge(webkit::metrics::router())
        .layer(DefaultBodyLimit::max(webkit::BODY_LIMIT))
        .layer(middleware::from_fn(webkit::own_errors::layer))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            webkit::idempotency::layer,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            webkit::auth::authenticate,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            webkit::metrics::track,
        ));
    for (name, value) in security_headers {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        ));
    }
    router
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .layer(CatchPanicLayer::custom(webkit::error::panic_response))
        .with_state(state)
}

/// Loads every capability's demo data, the foundation's first; returns one
/// line saying what was loaded.
pub async fn demo(ctx: &app::Ctx) -> app::Result<String> {
    let mut parts = Vec::new();
    for c in capabilities() {
        let part = c.demo(ctx).await?;
        if !part.is_empty() {
            parts.push(part);
        }
    }
    Ok(format!("演示数据已装入：{}。", parts.join("，")))
}

/// The scheduler's tick: every job's period is a multiple of it.
const TICK: Duration = Duration::from_secs(30);

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let ctx = state.ctx.clone();
    let channels = state.channels.clone();
    let jobs: Vec<webkit::capability::Job> = capabilities().iter().flat_map(|c| c.jobs()).collect();
    // Background work: outbound messages every tick, each capability's jobs
    // at their period (deadline reminders hourly, idle sessions every five
    // minutes), the query planner's statistics every day (and when serving
    // starts). Each instance may run it; every job is idempotent (a reminder
    // is recorded as sent in the same transaction that sends it).
    let janitor = tokio::spawn(async move {
        let mut tick = tokio::time::interval(TICK);
        let mut n: u64 = 0;
        loop {
            tick.tick().await;
            if !channels.is_empty()
                && let Err(e) = app::channels::deliver(&ctx, &channels).await
            {
                tracing::warn!(error = %e, "delivering notifications failed");
            }
            for job in &jobs {
                let every = (job.every.as_secs() / TICK.as_secs()).max(1);
                if !n.is_multiple_of(every) {
                    continue;
                }
                match (job.run)(ctx.clone()).await {
                    Ok(said) if !said.is_empty() => tracing::info!(job = job.name, "{said}"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(job = job.name, error = %e, "job failed"),
                }
            }
            // In the background rather than before listening: the readers are
            // replaced once it is done, and a large database takes seconds.
            if n.is_multiple_of(2880) {
                let started = std::time::Instant::now();
                match ctx.db.refresh_statistics().await {
                    Ok(()) => tracing::info!(
                        ms = started.elapsed().as_millis() as u64,
                        "planner statistics refreshed"
                    ),
                    Err(e) => tracing::warn!(error = %e, "refreshing planner statistics failed"),
                }
            }
            n += 1;
        }
    });
    let app = app(state).into_make_service_with_connect_info::<SocketAddr>();
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    janitor.abort();
    result
}
