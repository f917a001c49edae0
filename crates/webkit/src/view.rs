//! What every page shares: the layout (title, the user bar, the navigation of
//! the user's role, the CSRF token), form errors and pagination.

use crate::auth::Session;
use app::FieldError;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use db::Paged;

use crate::error::AppError;

pub use crate::capability::NavItem;

pub struct Layout {
    pub title: String,
    pub active: &'static str,
    pub user_name: String,
    pub role_label: String,
    pub signed_in: bool,
    pub csrf: String,
    pub nav: Vec<NavItem>,
    pub asset_version: &'static str,
    pub demo: bool,
    /// A one-line notice at the top (e.g. "已保存").
    pub notice: String,
}

impl Layout {
    pub fn new(title: impl Into<String>, s: &Session, active: &'static str) -> Layout {
        let a = &s.actor;
        Layout {
            title: title.into(),
            active,
            user_name: a.display_name.clone(),
            role_label: a.role.label().into(),
            signed_in: true,
            csrf: s.csrf.clone(),
            nav: s.nav.clone(),
            asset_version: crate::assets::version(),
            demo: a.is_demo,
            notice: s.flash.clone(),
        }
    }

    /// For pages seen before signing in.
    pub fn public(title: impl Into<String>) -> Layout {
        Layout {
            title: title.into(),
            active: "",
            user_name: String::new(),
            role_label: String::new(),
            signed_in: false,
            csrf: String::new(),
            nav: Vec::new(),
            asset_version: crate::assets::version(),
            demo: false,
            notice: String::new(),
        }
    }

    pub fn with_notice(mut self, n: impl Into<String>) -> Self {
        self.notice = n.into();
        self
    }
}

/// Field errors of a form, looked up by field name in templates.
#[derive(Default, Clone, Debug)]
pub struct FormErrors(pub Vec<FieldError>);

impl FormErrors {
    pub fn get(&self, field: &str) -> String {
        self.0
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join("；")
    }
    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }
    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }
    /// Messages whose field has no input of its own on the form.
    pub fn others(&self, shown: &[&str]) -> Vec<String> {
        self.0
            .iter()
            .filter(|e| !shown.contains(&e.field.as_str()))
            .map(|e| e.message.clone())
            .collect()
    }
}

/// Links for a paginated list; `base` is the query string without `page`.
pub struct Pager {
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    pub prev: String,
    pub next: String,
    /// "共 N 条，第 x / y 页", or a request to narrow the filters past the counting cap.
    pub summary: String,
}

impl Pager {
    pub fn new<T>(p: &Paged<T>, path: &str, base_query: &str) -> Pager {
        let pages = p.pages();
        let href = |n: i64| {
            if base_query.is_empty() {
                format!("{path}?page={n}")
            } else {
                format!("{path}?{base_query}&page={n}")
            }
        };
        let summary = if p.capped {
            format!(
                "超过 {} 条，请增加筛选条件缩小范围；第 {} / {} 页",
                p.total, p.page, pages
            )
        } else {
            format!("共 {} 条，第 {} / {} 页", p.total, p.page, pages)
        };
        Pager {
            summary,
            page: p.page,
            pages,
            total: p.total,
            prev: if p.page > 1 {
                href(p.page - 1)
            } else {
                String::new()
            },
            next: if p.page < pages {
                href(p.page + 1)
            } else {
                String::new()
            },
        }
    }
}

/// Builds a query string from pairs, skipping empty values.
pub fn query_string(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", crate::error::urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Renders a template as a 200 page.
pub fn render<T: Template>(t: &T) -> Result<Response, AppError> {
    render_status(StatusCode::OK, t)
}

pub fn render_status<T: Template>(status: StatusCode, t: &T) -> Result<Response, AppError> {
    match t.render() {
        Ok(body) => Ok((status, Html(body)).into_response()),
        Err(e) => Err(AppError(app::Error::internal(format!(
            "template rendering failed: {e}"
        )))),
    }
}

/// Whether the request came from htmx (to answer with a fragment).
pub fn is_htmx(headers: &axum::http::HeaderMap) -> bool {
    headers.contains_key("hx-request") && !headers.contains_key("hx-boosted")
}

/// Formats UTC milliseconds for display, to the minute.
pub fn ts(ms: i64) -> String {
    kernel::time::format_minute(ms)
}

pub fn opt_ts(ms: Option<i64>) -> String {
    ms.map(ts).unwrap_or_default()
}
