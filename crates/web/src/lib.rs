//! The HTTP face of renda.
//!
//! One router serves HTML pages for people and a JSON API under `/api/` for
//! machines. Both call the same service functions. A single middleware
//! resolves who is asking (session cookie or API token), checks the CSRF
//! token of state-changing requests made with a cookie, and holds an account
//! that still has to change its password or give its second factor to those
//! steps. The web tier keeps no state of its own: sessions live in the
//! database, so any number of instances can serve one PostgreSQL.

pub mod api;
mod assets;
pub mod auth;
pub mod error;
mod metrics;
pub mod openapi;
pub mod pages;
pub mod view;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use metrics::Metrics;

/// Everything a request handler needs.
#[derive(Clone)]
pub struct AppState {
    pub ctx: service::Ctx,
    pub metrics: Arc<Metrics>,
    /// Mark cookies `Secure` (set when served behind HTTPS).
    pub secure_cookies: bool,
    /// Trust `X-Forwarded-For` from a reverse proxy for the client address.
    pub trust_proxy: bool,
    /// Outbound channels (e-mail) the background worker delivers through.
    pub channels: Arc<Vec<Box<dyn service::channels::Channel>>>,
}

impl AppState {
    pub fn new(ctx: service::Ctx) -> Self {
        AppState {
            ctx,
            metrics: Arc::new(Metrics::default()),
            secure_cookies: false,
            trust_proxy: false,
            channels: Arc::new(Vec::new()),
        }
    }
}

/// Largest request body accepted, except for spreadsheet uploads.
pub const BODY_LIMIT: usize = 256 * 1024;
/// Largest upload (an .xlsx of tens of thousands of rows).
pub const UPLOAD_LIMIT: usize = service::imports::MAX_FILE_BYTES + 64 * 1024;

/// Builds the whole application.
pub fn app(state: AppState) -> Router {
    let security_headers = [
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "same-origin"),
        (
            "content-security-policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
        ),
    ];
    let mut router = Router::new()
        .merge(pages::router())
        .nest("/api", api::router())
        .merge(assets::router())
        .merge(metrics::router())
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
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
        .layer(CatchPanicLayer::custom(error::panic_response))
        .with_state(state)
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let ctx = state.ctx.clone();
    let channels = state.channels.clone();
    // Background work: outbound messages every 30 s, deadline reminders and
    // overdue escalation every hour, idle sessions every 5 minutes, the query
    // planner's statistics every day (and when serving starts). Each
    // instance may run it; every step is idempotent (a reminder is recorded
    // as sent in the same transaction that sends it).
    let janitor = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(30));
        let mut n: u64 = 0;
        loop {
            tick.tick().await;
            if !channels.is_empty()
                && let Err(e) = service::channels::deliver(&ctx, &channels).await
            {
                tracing::warn!(error = %e, "delivering notifications failed");
            }
            if n.is_multiple_of(10)
                && let Err(e) = service::auth::purge_idle_sessions(&ctx).await
            {
                tracing::warn!(error = %e, "purging idle sessions failed");
            }
            if n.is_multiple_of(120) {
                match service::suggestions::reminders::run(&ctx).await {
                    Ok(s) if s.reminded + s.escalated > 0 => tracing::info!(
                        reminded = s.reminded,
                        escalated = s.escalated,
                        "deadline reminders sent"
                    ),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "deadline reminders failed"),
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
