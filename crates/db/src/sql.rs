//! A small helper to build filtered queries with `$N` placeholders, which both
//! backends accept (sqlx's query builder would emit `?` for the Any driver).

use serde::Serialize;

#[derive(Debug, Clone)]
pub enum Arg {
    Int(i64),
    Text(String),
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::Int(v)
    }
}
impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::Text(v.to_string())
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::Text(v)
    }
}

/// A text with the wildcards of `LIKE` escaped (for `ESCAPE '\\'`).
pub fn like_escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Conditions joined with AND, with their arguments in placeholder order.
#[derive(Debug, Default, Clone)]
pub struct Where {
    clauses: Vec<String>,
    pub args: Vec<Arg>,
}

impl Where {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a placeholder for `v` and returns it (`$3`).
    pub fn arg(&mut self, v: impl Into<Arg>) -> String {
        self.args.push(v.into());
        format!("${}", self.args.len())
    }

    /// `col = $n`
    pub fn eq(&mut self, col: &str, v: impl Into<Arg>) -> &mut Self {
        let p = self.arg(v);
        self.clauses.push(format!("{col} = {p}"));
        self
    }

    /// `col LIKE $n` with the value wrapped in `%…%`, wildcards in it escaped.
    pub fn contains(&mut self, col: &str, v: &str) -> &mut Self {
        let escaped = like_escape(v);
        let p = self.arg(format!("%{escaped}%"));
        self.clauses.push(format!("{col} LIKE {p} ESCAPE '\\'"));
        self
    }

    /// `col LIKE $n` matching a prefix (for materialised paths).
    pub fn starts_with(&mut self, col: &str, v: &str) -> &mut Self {
        let escaped = like_escape(v);
        let p = self.arg(format!("{escaped}%"));
        self.clauses.push(format!("{col} LIKE {p} ESCAPE '\\'"));
        self
    }

    /// A clause written by the caller; `{}` stands for each placeholder in turn.
    pub fn raw(&mut self, clause: &str, args: Vec<Arg>) -> &mut Self {
        let mut out = String::new();
        let mut parts = clause.split("{}");
        if let Some(first) = parts.next() {
            out.push_str(first);
        }
        for (part, a) in parts.zip(args) {
            let p = self.arg(a);
            out.push_str(&p);
            out.push_str(part);
        }
        self.clauses.push(out);
        self
    }

    /// `col IN (ids…)`; an empty list matches nothing.
    pub fn in_list(&mut self, col: &str, ids: &[i64]) -> &mut Self {
        if ids.is_empty() {
            return self.never();
        }
        let marks = vec!["{}"; ids.len()].join(", ");
        self.raw(
            &format!("{col} IN ({marks})"),
            ids.iter().map(|i| Arg::Int(*i)).collect(),
        )
    }

    /// A condition that never holds (an empty scope).
    pub fn never(&mut self) -> &mut Self {
        self.clauses.push("1 = 0".into());
        self
    }

    pub fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }
}

/// Binds arguments in order.
pub fn bind_all<'q, O>(
    mut q: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    args: &[Arg],
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
    for a in args {
        q = match a {
            Arg::Int(i) => q.bind(*i),
            Arg::Text(s) => q.bind(s.clone()),
        };
    }
    q
}

pub fn bind_all_scalar<'q, O>(
    mut q: sqlx::query::QueryScalar<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    args: &[Arg],
) -> sqlx::query::QueryScalar<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
    for a in args {
        q = match a {
            Arg::Int(i) => q.bind(*i),
            Arg::Text(s) => q.bind(s.clone()),
        };
    }
    q
}

/// Counting stops here. Beyond it a list says "more than 10,000" and asks for
/// narrower filters, so no list walks a whole large table to count it or
/// skips tens of thousands of rows to reach a page.
pub const COUNT_CAP: i64 = 10_000;

/// `SELECT COUNT(*)` of a `FROM … WHERE …` clause, stopping at [`COUNT_CAP`] + 1.
pub async fn count_capped(
    conn: &mut crate::Conn,
    from_where: &str,
    args: &[Arg],
) -> crate::Result<(i64, bool)> {
    let sql = format!(
        "SELECT COUNT(*) FROM (SELECT 1 FROM {from_where} LIMIT {}) capped",
        COUNT_CAP + 1
    );
    let n: i64 = bind_all_scalar(sqlx::query_scalar(&sql), args)
        .fetch_one(conn)
        .await?;
    Ok((n.min(COUNT_CAP), n > COUNT_CAP))
}

/// A page request: 1-based page number and page size (bounded).
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub page: i64,
    pub per_page: i64,
}

impl Page {
    pub const MAX_PER_PAGE: i64 = 200;

    pub fn new(page: Option<i64>, per_page: Option<i64>) -> Self {
        let per_page = per_page.unwrap_or(20).clamp(1, Self::MAX_PER_PAGE);
        let last = (COUNT_CAP + per_page - 1) / per_page;
        Page {
            page: page.unwrap_or(1).clamp(1, last),
            per_page,
        }
    }
    pub fn offset(&self) -> i64 {
        (self.page - 1).saturating_mul(self.per_page)
    }
    /// ` LIMIT n OFFSET m` (integers, not user text).
    pub fn sql(&self) -> String {
        format!(" LIMIT {} OFFSET {}", self.per_page, self.offset())
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Paged<T> {
    pub items: Vec<T>,
    /// Matching rows, counted up to [`COUNT_CAP`].
    pub total: i64,
    /// True when more rows match than were counted.
    pub capped: bool,
    pub page: i64,
    pub per_page: i64,
}

impl<T> Paged<T> {
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Paged<U> {
        Paged {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            capped: self.capped,
            page: self.page,
            per_page: self.per_page,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order() {
        let mut w = Where::new();
        w.eq("a", 1)
            .contains("b", "x%_")
            .raw("(c = {} OR d = {})", vec![2.into(), 3.into()]);
        assert_eq!(
            w.sql(),
            " WHERE a = $1 AND b LIKE $2 ESCAPE '\\' AND (c = $3 OR d = $4)"
        );
        assert!(matches!(&w.args[1], Arg::Text(s) if s == "%x\\%\\_%"));
    }

    #[test]
    fn pages_are_bounded() {
        let p = Page::new(Some(0), Some(100_000));
        assert_eq!(p.page, 1);
        assert_eq!(p.per_page, Page::MAX_PER_PAGE);
        assert_eq!(Page::new(Some(3), Some(20)).offset(), 40);
        // No page starts beyond the counting cap.
        assert_eq!(Page::new(Some(1_000_000), Some(20)).page, 500);
        assert!(Page::new(Some(1_000_000), Some(20)).offset() < COUNT_CAP);
    }
}
