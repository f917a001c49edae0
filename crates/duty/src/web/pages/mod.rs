//! The duty record's pages: a deputy's own record on a phone (points
//! explained, activities, the form to record one), the staff desk (the
//! verification queue, entry for many deputies, counts in persons and 人次),
//! a deputy's record for staff, the ranking, the scheme.

mod desk;
mod points;
mod ranking;
mod scheme;

use axum::routing::{get, post};
use serde::Deserialize;
use webkit::Pages;

pub fn router() -> Pages {
    Pages::new()
        .route("/duty", get(desk::home))
        .route("/duty/activities", post(desk::record_own))
        .route("/duty/activities/batch", post(desk::record_many))
        .route("/duty/review", post(desk::review))
        .route("/duty/deputies/{id}", get(points::show))
        .route("/duty/deputies/{id}/grades", post(points::grade))
        .route("/duty/ranking", get(ranking::show))
        .route("/duty/ranking/recompute", post(ranking::recompute))
        .route("/duty/scheme", get(scheme::show).post(scheme::create))
        .route("/duty/scheme/{id}/items", post(scheme::add_item))
        .route("/duty/scheme/{id}/bands", post(scheme::bands))
        .route("/duty/score-items/{id}/remove", post(scheme::remove_item))
}

/// A form shown again: what was typed, what was wrong, and the status.
pub struct Again<F> {
    pub form: F,
    pub errors: webkit::view::FormErrors,
    pub status: axum::http::StatusCode,
}

impl<F: Default> Again<F> {
    /// The page as first shown.
    pub fn fresh() -> Self {
        Again {
            form: F::default(),
            errors: webkit::view::FormErrors::default(),
            status: axum::http::StatusCode::OK,
        }
    }
}

impl<F> Again<F> {
    /// The form refused with these field errors.
    pub fn refused(form: F, errors: Vec<app::FieldError>) -> Self {
        Again {
            form,
            errors: webkit::view::FormErrors(errors),
            status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        }
    }
}

/// `?year=` as a page reads it: the current year when absent or unreadable
/// (with a message), so a mistyped address still shows a page.
#[derive(Debug, Default, Deserialize)]
pub struct YearParam {
    #[serde(default)]
    pub year: String,
}

impl YearParam {
    pub fn year(&self, today: jiff::civil::Date) -> (i64, String) {
        let t = self.year.trim();
        let this = i64::from(today.year());
        if t.is_empty() {
            return (this, String::new());
        }
        match t.parse::<i64>() {
            Ok(y) if (1949..=2200).contains(&y) => (y, String::new()),
            _ => (this, format!("年份“{t}”不正确，已显示 {this} 年")),
        }
    }
}

/// Points (tenths) as a page shows them (templates pass references).
pub fn pts(tenths: &i64) -> String {
    crate::rules::show_points(*tenths)
}

/// Stars as a page shows them.
pub fn star(n: &i64) -> String {
    crate::rules::stars(*n)
}
