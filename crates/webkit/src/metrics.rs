//! `/metrics` in the Prometheus text format and `/healthz`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 10] = [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0];

pub struct Metrics {
    started: Instant,
    by_class: [AtomicU64; 5],
    buckets: [AtomicU64; 10],
    count: AtomicU64,
    sum_micros: AtomicU64,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            started: Instant::now(),
            by_class: Default::default(),
            buckets: Default::default(),
            count: AtomicU64::new(0),
            sum_micros: AtomicU64::new(0),
        }
    }
}

impl Metrics {
    fn observe(&self, status: u16, secs: f64) {
        let class = ((status / 100) as usize).clamp(1, 5) - 1;
        self.by_class[class].fetch_add(1, Ordering::Relaxed);
        for (i, b) in BUCKETS.iter().enumerate() {
            if secs <= *b {
                self.buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_micros
            .fetch_add((secs * 1e6) as u64, Ordering::Relaxed);
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP renda_http_requests_total HTTP requests by status class.\n# TYPE renda_http_requests_total counter\n");
        for (i, n) in self.by_class.iter().enumerate() {
            out.push_str(&format!(
                "renda_http_requests_total{{class=\"{}xx\"}} {}\n",
                i + 1,
                n.load(Ordering::Relaxed)
            ));
        }
        out.push_str("# HELP renda_http_request_duration_seconds Time to answer a request.\n# TYPE renda_http_request_duration_seconds histogram\n");
        for (i, b) in BUCKETS.iter().enumerate() {
            out.push_str(&format!(
                "renda_http_request_duration_seconds_bucket{{le=\"{b}\"}} {}\n",
                self.buckets[i].load(Ordering::Relaxed)
            ));
        }
        let count = self.count.load(Ordering::Relaxed);
        out.push_str(&format!(
            "renda_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}\n"
        ));
        out.push_str(&format!(
            "renda_http_request_duration_seconds_sum {}\n",
            self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6
        ));
        out.push_str(&format!(
            "renda_http_request_duration_seconds_count {count}\n"
        ));
        out.push_str("# HELP renda_uptime_seconds Seconds since the process started.\n# TYPE renda_uptime_seconds gauge\n");
        out.push_str(&format!(
            "renda_uptime_seconds {}\n",
            self.started.elapsed().as_secs()
        ));
        out.push_str(&format!(
            "# HELP renda_build_info Build information.\n# TYPE renda_build_info gauge\nrenda_build_info{{version=\"{}\"}} 1\n",
            env!("CARGO_PKG_VERSION")
        ));
        out
    }
}

pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let resp = next.run(req).await;
    state
        .metrics
        .observe(resp.status().as_u16(), start.elapsed().as_secs_f64());
    resp
}

async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
}

async fn healthz(State(state): State<AppState>) -> Response {
    match state.ctx.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/metrics", get(metrics))
        .route("/healthz", get(healthz))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_is_cumulative() {
        let m = Metrics::default();
        m.observe(200, 0.003);
        m.observe(404, 0.03);
        m.observe(500, 3.0);
        let text = m.render();
        assert!(text.contains("renda_http_requests_total{class=\"2xx\"} 1"));
        assert!(text.contains("renda_http_requests_total{class=\"4xx\"} 1"));
        assert!(text.contains("renda_http_request_duration_seconds_bucket{le=\"0.005\"} 1"));
        assert!(text.contains("renda_http_request_duration_seconds_bucket{le=\"0.05\"} 2"));
        assert!(text.contains("renda_http_request_duration_seconds_count 3"));
    }
}
