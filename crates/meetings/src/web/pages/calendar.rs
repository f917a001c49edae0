//! The calendar of meetings: a month on one page, weeks from Monday.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiff::civil::Date;
use serde::Deserialize;
use webkit::AppState;
use webkit::auth::{Me, MeSession};
use webkit::error::AppResult;
use webkit::extract::Query;
use webkit::view::{Layout, render_status};

use crate::service::meetings::{self, ListQuery};
use crate::store::MeetingRow;

#[derive(Deserialize, Default)]
pub struct MonthQuery {
    /// YYYY-MM; empty: this month.
    #[serde(default)]
    month: String,
}

pub struct Day {
    /// 0 for the padding before the 1st and after the last day.
    pub day: i8,
    pub today: bool,
    pub meetings: Vec<MeetingRow>,
}

#[derive(Template)]
#[template(path = "meeting_calendar.html")]
struct CalendarPage {
    layout: Layout,
    label: String,
    weeks: Vec<Vec<Day>>,
    prev: String,
    next: String,
    problem: String,
}

/// The month asked for, or this one (with a message when it could not be read).
fn month_of(q: &str, today: Date) -> (Date, String) {
    let t = q.trim();
    if t.is_empty() {
        return (today.first_of_month(), String::new());
    }
    match Date::strptime("%Y-%m-%d", format!("{t}-01")) {
        Ok(d) if (1949..=2200).contains(&d.year()) => (d, String::new()),
        _ => (
            today.first_of_month(),
            format!("月份“{t}”格式不正确，应为 YYYY-MM；已显示本月"),
        ),
    }
}

pub async fn page(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Query(q): Query<MonthQuery>,
) -> AppResult<Response> {
    let today = st.ctx.today();
    let (first, problem) = month_of(&q.month, today);
    let last = first.last_of_month();
    // The month's meetings, a page at a time (a month holds a few dozen at most).
    let mut rows = Vec::new();
    let mut page_no = 1;
    loop {
        let p = meetings::list(
            &st.ctx,
            &actor,
            &ListQuery {
                month: first.strftime("%Y-%m").to_string(),
                page: Some(page_no),
                per_page: Some(200),
                ..ListQuery::default()
            },
        )
        .await?;
        let pages = p.pages();
        rows.extend(p.items);
        if page_no >= pages {
            break;
        }
        page_no += 1;
    }
    let lead = first.weekday().to_monday_zero_offset();
    let mut cells: Vec<Day> = (0..lead)
        .map(|_| Day {
            day: 0,
            today: false,
            meetings: Vec::new(),
        })
        .collect();
    for d in 1..=last.day() {
        let date = first.with().day(d).build().unwrap_or(first);
        let iso = date.to_string();
        cells.push(Day {
            day: d,
            today: date == today,
            meetings: rows
                .iter()
                .filter(|m| m.meeting_date == iso)
                .cloned()
                .collect(),
        });
    }
    while !cells.len().is_multiple_of(7) {
        cells.push(Day {
            day: 0,
            today: false,
            meetings: Vec::new(),
        });
    }
    let mut weeks = Vec::new();
    let mut it = cells.into_iter().peekable();
    while it.peek().is_some() {
        weeks.push(it.by_ref().take(7).collect());
    }
    let month = |d: Date| d.strftime("%Y-%m").to_string();
    render_status(
        StatusCode::OK,
        &CalendarPage {
            layout: Layout::new("会议日历", &s, "meetings"),
            label: first.strftime("%Y 年 %-m 月").to_string(),
            prev: month(first.saturating_sub(jiff::Span::new().months(1))),
            next: month(first.saturating_add(jiff::Span::new().months(1))),
            weeks,
            problem,
        },
    )
}
