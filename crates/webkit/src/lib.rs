//! The web kit every capability's pages and API are built with: the state a
//! handler gets, authentication, errors in the API's format and as pages, the
//! layout, paging, static assets and metrics.
//!
//! A single middleware
//! resolves who is asking (session cookie or API token), checks the CSRF
//! token of state-changing requests made with a cookie, and holds an account
//! that still has to change its password or give its second factor to those
//! steps. The web tier keeps no state of its own: sessions live in the
//! database, so any number of instances can serve one PostgreSQL.

pub mod api;
pub mod assets;
pub mod auth;
pub mod capability;
pub mod error;
pub mod extract;
pub mod idempotency;
pub mod metrics;
pub mod own_errors;
pub mod pages;
pub mod routes;
pub mod view;

use std::sync::Arc;

pub use capability::Capability;
pub use metrics::Metrics;
pub use routes::Pages;

/// Everything a request handler needs.
#[derive(Clone)]
pub struct AppState {
    pub ctx: app::Ctx,
    pub metrics: Arc<Metrics>,
    /// Mark cookies `Secure` (set when served behind HTTPS).
    pub secure_cookies: bool,
    /// Reverse proxies whose `X-Forwarded-For` is believed: the client is
    /// the rightmost address in it that is not one of them.
    pub trusted_proxies: Arc<Vec<ipnet::IpNet>>,
    /// Outbound channels (e-mail) the background worker delivers through.
    pub channels: Arc<Vec<Box<dyn app::channels::Channel>>>,
    /// The capabilities served, the foundation first (set by the server).
    pub capabilities: Arc<Vec<Arc<dyn capability::Capability>>>,
}

impl AppState {
    pub fn new(ctx: app::Ctx) -> Self {
        AppState {
            ctx,
            metrics: Arc::new(Metrics::default()),
            secure_cookies: false,
            trusted_proxies: Arc::new(Vec::new()),
            channels: Arc::new(Vec::new()),
            capabilities: Arc::new(Vec::new()),
        }
    }
}

/// Largest request body accepted, except for spreadsheet uploads.
pub const BODY_LIMIT: usize = 1024 * 1024;
/// Largest upload (an .xlsx of tens of thousands of rows).
pub const UPLOAD_LIMIT: usize = app::imports::MAX_FILE_BYTES + 64 * 1024;
