//! The list's query: its filters (keyword, state, kind, category, session,
//! submission dates, unit, lead deputy), its order and its page size, read
//! in one place for the list, its pager, its sort links, its export link and
//! the batch forms that come back to it.

use crate::store::suggestions::{Sort, SuggestionFilter};
use serde::Deserialize;
use webkit::view::query_string;

/// Page sizes a clerk can choose.
pub const PAGE_SIZES: &[i64] = &[20, 50, 100];

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub category: String,
    #[serde(default, deserialize_with = "app::de::flex_bool")]
    pub key: bool,
    /// `lead`: a deputy's list of what they lead (not what they co-sign).
    #[serde(default)]
    pub mine: String,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub session: Option<i64>,
    /// Submitted on or after / on or before (YYYY-MM-DD).
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// Assigned to this unit (staff lists).
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub unit: Option<i64>,
    /// Part of the lead deputy's name.
    #[serde(default)]
    pub deputy: String,
    /// `number`, `-number`, `submitted`, `-submitted`; empty: newest first.
    #[serde(default)]
    pub sort: String,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub per_page: Option<i64>,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub page: Option<i64>,
}

impl ListQuery {
    /// The filters as the store takes them (the list and its export alike).
    pub fn filter(&self) -> SuggestionFilter {
        let some = |x: &str| Some(x.trim().to_string()).filter(|v| !v.is_empty());
        let (states, item_state) = crate::rules::status_filter(&self.state);
        let day = |d: &str| kernel::calendar::parse_date(d.trim()).ok();
        SuggestionFilter {
            q: some(&self.q),
            states,
            item_state,
            kind: some(&self.kind),
            category: some(&self.category),
            key_only: self.key,
            led_only: self.mine == "lead",
            session_id: self.session,
            unit_id: self.unit,
            lead_name: some(&self.deputy),
            submitted_from_ms: day(&self.from).map(kernel::time::start_of_day_ms),
            submitted_before_ms: day(&self.to)
                .and_then(|d| d.tomorrow().ok())
                .map(kernel::time::start_of_day_ms),
            sort: Sort::parse(&self.sort),
            ..Default::default()
        }
    }

    pub fn per_page(&self) -> i64 {
        self.per_page
            .filter(|n| PAGE_SIZES.contains(n))
            .unwrap_or(PAGE_SIZES[0])
    }

    fn pairs(&self, sort: &str) -> Vec<(&'static str, String)> {
        let id = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
        vec![
            ("q", self.q.clone()),
            ("state", self.state.clone()),
            ("kind", self.kind.clone()),
            ("category", self.category.clone()),
            ("key", if self.key { "1".into() } else { String::new() }),
            ("mine", self.mine.clone()),
            ("session", id(self.session)),
            ("from", self.from.clone()),
            ("to", self.to.clone()),
            ("unit", id(self.unit)),
            ("deputy", self.deputy.clone()),
            ("sort", sort.to_string()),
            (
                "per_page",
                if self.per_page() == PAGE_SIZES[0] {
                    String::new()
                } else {
                    self.per_page().to_string()
                },
            ),
        ]
    }

    /// The filters as a query string, without the page (pager, export).
    pub fn base(&self) -> String {
        query_string(&self.pairs(Sort::parse(&self.sort).code()))
    }

    /// The filters and the page, for a batch form to come back to.
    pub fn query(&self) -> String {
        match self.page.filter(|p| *p > 1) {
            Some(p) if self.base().is_empty() => format!("page={p}"),
            Some(p) => format!("{}&page={p}", self.base()),
            None => self.base(),
        }
    }

    /// The list ordered by a column: ascending first, then descending.
    pub fn sort_href(&self, column: &str) -> String {
        let next = if self.sort == column {
            format!("-{column}")
        } else {
            column.to_string()
        };
        format!("/suggestions?{}", query_string(&self.pairs(&next)))
    }

    /// ▲ / ▼ beside the column the list is ordered by.
    pub fn sort_mark(&self, column: &str) -> &'static str {
        if self.sort == column {
            "▲"
        } else if self.sort.strip_prefix('-') == Some(column) {
            "▼"
        } else {
            ""
        }
    }

    /// Any filter set (the reset link shows).
    pub fn filtered(&self) -> bool {
        !self.base().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_links_toggle_and_keep_the_filters() {
        let q = ListQuery {
            state: "accepted".into(),
            sort: "number".into(),
            per_page: Some(50),
            ..Default::default()
        };
        assert_eq!(
            q.sort_href("number"),
            "/suggestions?state=accepted&sort=-number&per_page=50"
        );
        assert_eq!(
            q.sort_href("submitted"),
            "/suggestions?state=accepted&sort=submitted&per_page=50"
        );
        assert_eq!(q.sort_mark("number"), "▲");
        assert_eq!(q.sort_mark("submitted"), "");
        // An unknown sort or page size falls back to the default.
        let q = ListQuery {
            sort: "id; DROP TABLE".into(),
            per_page: Some(7),
            ..Default::default()
        };
        assert_eq!(q.per_page(), 20);
        assert_eq!(q.base(), "");
        assert!(!q.filtered());
    }
}
