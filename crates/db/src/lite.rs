//! SQLite connections driven on the calling thread: the writer, and the
//! readers for point lookups.
//!
//! sqlx runs every SQLite connection on a thread of its own and sends each
//! statement there and back over channels. On a small VM whose idle vCPU
//! sleeps, each trip costs about 42 µs (7 µs when both threads share a CPU),
//! and a suggestion's four requests run 37 writer statements: the one writer
//! every write waits for would be capped near 500–600 suggestions a second
//! by the round trips alone. So the writer is a rusqlite connection, stepped
//! in place by whichever task holds the writer queue, while the reader pool
//! stays on sqlx (a long report must not hold up an async worker thread).
//!
//! The connection answers to sqlx's `Any` executor interface (see
//! `Conn` in the crate root), so every store function and every `FromRow`
//! type runs unchanged on it: bound `AnyArguments` become SQLite values, and
//! result rows become `AnyRow`s exactly as sqlx's own SQLite driver makes them
//! for `Any` — the value's storage class picks its kind (INTEGER → BigInt,
//! REAL → Double, TEXT, BLOB, NULL) and `$N` placeholders take the N-th
//! argument. This uses the `#[doc(hidden)]` constructors of those types, so
//! the workspace pins sqlx to one release; the store's tests cover every
//! statement on this path.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rusqlite::types::ValueRef;
use sqlx::error::{DatabaseError, ErrorKind};
use sqlx_core::any::{
    AnyArguments, AnyColumn, AnyQueryResult, AnyRow, AnyTypeInfo, AnyTypeInfoKind, AnyValue,
    AnyValueKind,
};
use sqlx_core::ext::ustr::UStr;

/// A statement's result columns, shared by its rows as sqlx shares them.
struct Shape {
    names: Arc<sqlx_core::HashMap<UStr, usize>>,
    columns: Vec<UStr>,
}

impl Shape {
    fn of(stmt: &rusqlite::Statement<'_>) -> Shape {
        let columns: Vec<UStr> = stmt.column_names().into_iter().map(UStr::new).collect();
        let names = columns
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, n)| (n, i))
            .collect();
        Shape {
            names: Arc::new(names),
            columns,
        }
    }
}

enum Prepared<'c> {
    Cached(rusqlite::CachedStatement<'c>),
    Once(rusqlite::Statement<'c>),
}

/// How many distinct statements keep their compiled form (the store has
/// about 200, list filters add their combinations).
const STATEMENT_CACHE: usize = 256;

/// Longer statements are generated in bulk (a seed's multi-row inserts) and
/// are compiled for one use instead of filling the cache.
const LONG_STATEMENT: usize = 8 * 1024;

/// How long `BEGIN IMMEDIATE` keeps retrying while another process (the
/// `renda reminders` job) holds the file's write lock. The retries sleep
/// asynchronously, so a busy file never blocks an async worker thread.
const BUSY_WAIT: Duration = Duration::from_secs(10);

/// A rusqlite connection and the result columns of the statements it has run.
pub(crate) struct Lite {
    conn: rusqlite::Connection,
    shapes: HashMap<Box<str>, Arc<Shape>>,
}

impl std::fmt::Debug for Lite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("lite::Lite").finish_non_exhaustive()
    }
}

/// What a caller wants back from a statement.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    Rows,
    First,
    Nothing,
}

impl Lite {
    /// Opens (creating when missing) the database file with the pragmas every
    /// renda connection gets, but with no busy wait of its own (see
    /// [`BUSY_WAIT`]).
    pub(crate) fn open(path: &str, pragmas: &[&str]) -> crate::Result<Lite> {
        let conn = rusqlite::Connection::open(path).map_err(to_sqlx)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        let mut w = Lite {
            conn,
            shapes: HashMap::new(),
        };
        for p in pragmas {
            w.pragma(p)?;
        }
        w.pragma("PRAGMA busy_timeout = 0")?;
        Ok(w)
    }

    /// `BEGIN IMMEDIATE`, waiting (asynchronously) while another process
    /// holds the write lock.
    pub(crate) async fn begin_immediate(&mut self) -> crate::Result<()> {
        let start = Instant::now();
        let mut pause = Duration::from_millis(1);
        loop {
            match self.conn.execute_batch("BEGIN IMMEDIATE") {
                Ok(()) => return Ok(()),
                Err(e) if is_busy(&e) && start.elapsed() < BUSY_WAIT => {
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(Duration::from_millis(50));
                }
                Err(e) => return Err(to_sqlx(e)),
            }
        }
    }

    /// Runs one statement without arguments, ignoring what it returns.
    pub(crate) fn pragma(&mut self, sql: &str) -> crate::Result<()> {
        self.run_sql(sql, Vec::new(), Want::Nothing).map(|_| ())
    }

    /// Runs statements without arguments or results (transaction control).
    pub(crate) fn exec(&mut self, sql: &str) -> crate::Result<()> {
        self.conn.execute_batch(sql).map_err(to_sqlx)
    }

    /// Whether no transaction is open (SQLite ends one itself on some errors).
    pub(crate) fn idle(&self) -> bool {
        self.conn.is_autocommit()
    }

    /// Runs one query built by sqlx (`sqlx::query(…).bind(…)`).
    pub(crate) fn run<'q, E>(
        &mut self,
        mut query: E,
        want: Want,
    ) -> crate::Result<(Vec<AnyRow>, AnyQueryResult)>
    where
        E: sqlx::Execute<'q, sqlx::Any>,
    {
        let args = query
            .take_arguments()
            .map_err(sqlx::Error::Encode)?
            .map(|a: AnyArguments<'q>| a.values.0)
            .unwrap_or_default();
        self.run_sql(query.sql(), args, want)
    }

    fn run_sql(
        &mut self,
        sql: &str,
        args: Vec<AnyValueKind<'_>>,
        want: Want,
    ) -> crate::Result<(Vec<AnyRow>, AnyQueryResult)> {
        if may_hold_several(sql) {
            return self.run_script(sql, &args, want);
        }
        let mut prepared = if sql.len() > LONG_STATEMENT {
            self.conn.prepare(sql).map(Prepared::Once)
        } else {
            self.conn.prepare_cached(sql).map(Prepared::Cached)
        }
        .map_err(to_sqlx)?;
        let stmt: &mut rusqlite::Statement<'_> = match &mut prepared {
            Prepared::Cached(s) => s,
            Prepared::Once(s) => s,
        };
        let shape = match self.shapes.get(sql) {
            _ if sql.len() > LONG_STATEMENT => Arc::new(Shape::of(stmt)),
            // (A schema change can alter what `SELECT *` returns.)
            Some(s) if s.columns.len() == stmt.column_count() => s.clone(),
            _ => {
                let shape = Arc::new(Shape::of(stmt));
                if self.shapes.len() >= STATEMENT_CACHE {
                    self.shapes.clear();
                }
                self.shapes.insert(sql.into(), shape.clone());
                shape
            }
        };
        step(&self.conn, stmt, &args, want, &shape)
    }

    /// Several statements in one string (a script, as sqlx's SQLite driver
    /// accepts): each runs in turn with the same arguments, uncached.
    fn run_script(
        &mut self,
        sql: &str,
        args: &[AnyValueKind<'_>],
        want: Want,
    ) -> crate::Result<(Vec<AnyRow>, AnyQueryResult)> {
        let mut batch = rusqlite::Batch::new(&self.conn, sql);
        let mut rows = Vec::new();
        let mut done = AnyQueryResult {
            rows_affected: 0,
            last_insert_id: None,
        };
        while let Some(mut stmt) = batch.next().map_err(to_sqlx)? {
            let shape = Shape::of(&stmt);
            let (more, one) = step(&self.conn, &mut stmt, args, want, &shape)?;
            rows.extend(more);
            done.rows_affected += one.rows_affected;
            done.last_insert_id = one.last_insert_id;
        }
        Ok((rows, done))
    }

    /// Runs `ANALYZE` (seconds on a large file: the caller moves the writer
    /// to a blocking thread for it).
    pub(crate) fn analyze(&mut self) -> crate::Result<()> {
        self.conn.execute_batch("ANALYZE").map_err(to_sqlx)
    }
}

/// Binds `$N` to the N-th argument (as sqlx's SQLite driver does) and steps
/// the statement, turning its rows into sqlx's.
fn step(
    conn: &rusqlite::Connection,
    stmt: &mut rusqlite::Statement<'_>,
    args: &[AnyValueKind<'_>],
    want: Want,
    shape: &Shape,
) -> crate::Result<(Vec<AnyRow>, AnyQueryResult)> {
    for i in 1..=stmt.parameter_count() {
        let n = match stmt.parameter_name(i) {
            Some(name) => parameter_number(name)?,
            None => i,
        };
        let value = args.get(n - 1).ok_or_else(|| {
            sqlx::Error::Protocol(format!("statement uses ${n} but {} were bound", args.len()))
        })?;
        bind(stmt, i, value)?;
    }
    let writes = !stmt.readonly();
    let mut out = Vec::new();
    let mut rows = stmt.raw_query();
    while let Some(row) = rows.next().map_err(to_sqlx)? {
        if want == Want::Nothing || (want == Want::First && !out.is_empty()) {
            // A write's changes are all made on its first step; a read
            // need not go further.
            if writes {
                continue;
            }
            break;
        }
        let mut values = Vec::with_capacity(shape.columns.len());
        for i in 0..shape.columns.len() {
            values.push(AnyValue {
                kind: value_kind(row.get_ref(i).map_err(to_sqlx)?)?,
            });
        }
        let cols = shape
            .columns
            .iter()
            .zip(&values)
            .enumerate()
            .map(|(i, (name, v))| AnyColumn {
                ordinal: i,
                name: name.clone(),
                type_info: AnyTypeInfo {
                    kind: kind_of(&v.kind),
                },
            })
            .collect();
        out.push(AnyRow {
            column_names: shape.names.clone(),
            columns: cols,
            values,
        });
    }
    drop(rows);
    let done = AnyQueryResult {
        rows_affected: if writes { conn.changes() } else { 0 },
        last_insert_id: Some(conn.last_insert_rowid()),
    };
    Ok((out, done))
}

/// Whether a statement string may hold more than one statement: a `;`
/// anywhere but at its end (one inside a string literal only costs the
/// statement its cache slot).
fn may_hold_several(sql: &str) -> bool {
    sql.trim_end().trim_end_matches(';').contains(';')
}

/// `$3` or `?3` → 3, as sqlx's SQLite driver numbers them.
fn parameter_number(name: &str) -> crate::Result<usize> {
    name.strip_prefix('$')
        .or_else(|| name.strip_prefix('?'))
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| *n > 0)
        .ok_or_else(|| sqlx::Error::Protocol(format!("unsupported placeholder {name}")))
}

fn bind(stmt: &mut rusqlite::Statement<'_>, i: usize, v: &AnyValueKind<'_>) -> crate::Result<()> {
    let r = match v {
        AnyValueKind::Null(_) => stmt.raw_bind_parameter(i, rusqlite::types::Null),
        AnyValueKind::Bool(b) => stmt.raw_bind_parameter(i, i64::from(*b)),
        AnyValueKind::SmallInt(n) => stmt.raw_bind_parameter(i, i64::from(*n)),
        AnyValueKind::Integer(n) => stmt.raw_bind_parameter(i, i64::from(*n)),
        AnyValueKind::BigInt(n) => stmt.raw_bind_parameter(i, *n),
        AnyValueKind::Real(x) => stmt.raw_bind_parameter(i, f64::from(*x)),
        AnyValueKind::Double(x) => stmt.raw_bind_parameter(i, *x),
        AnyValueKind::Text(s) => stmt.raw_bind_parameter(i, s.as_ref()),
        AnyValueKind::Blob(b) => stmt.raw_bind_parameter(i, b.as_ref()),
        other => {
            return Err(sqlx::Error::Protocol(format!(
                "cannot bind {other:?} to SQLite"
            )));
        }
    };
    r.map_err(to_sqlx)
}

fn value_kind(v: ValueRef<'_>) -> crate::Result<AnyValueKind<'static>> {
    Ok(match v {
        ValueRef::Null => AnyValueKind::Null(AnyTypeInfoKind::Null),
        ValueRef::Integer(n) => AnyValueKind::BigInt(n),
        ValueRef::Real(x) => AnyValueKind::Double(x),
        ValueRef::Text(t) => AnyValueKind::Text(Cow::Owned(
            String::from_utf8(t.to_vec()).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        )),
        ValueRef::Blob(b) => AnyValueKind::Blob(Cow::Owned(b.to_vec())),
    })
}

fn kind_of(v: &AnyValueKind<'_>) -> AnyTypeInfoKind {
    match v {
        AnyValueKind::BigInt(_) => AnyTypeInfoKind::BigInt,
        AnyValueKind::Double(_) => AnyTypeInfoKind::Double,
        AnyValueKind::Text(_) => AnyTypeInfoKind::Text,
        AnyValueKind::Blob(_) => AnyTypeInfoKind::Blob,
        _ => AnyTypeInfoKind::Null,
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.code == rusqlite::ErrorCode::DatabaseBusy)
}

/// rusqlite's error as sqlx's, keeping what callers ask of it (constraint
/// kinds for precise messages, the SQLite code for the logs).
fn to_sqlx(e: rusqlite::Error) -> sqlx::Error {
    match e {
        rusqlite::Error::SqliteFailure(f, message) => sqlx::Error::Database(Box::new(LiteError {
            code: f.extended_code,
            message: message.unwrap_or_else(|| f.to_string()),
        })),
        other => sqlx::Error::Protocol(other.to_string()),
    }
}

#[derive(Debug)]
struct LiteError {
    code: i32,
    message: String,
}

impl std::fmt::Display for LiteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "(code: {}) {}", self.code, self.message)
    }
}

impl std::error::Error for LiteError {}

impl DatabaseError for LiteError {
    fn message(&self) -> &str {
        &self.message
    }

    fn code(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Owned(self.code.to_string()))
    }

    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self
    }

    fn kind(&self) -> ErrorKind {
        use rusqlite::ffi;
        match self.code {
            ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                ErrorKind::UniqueViolation
            }
            ffi::SQLITE_CONSTRAINT_FOREIGNKEY => ErrorKind::ForeignKeyViolation,
            ffi::SQLITE_CONSTRAINT_NOTNULL => ErrorKind::NotNullViolation,
            ffi::SQLITE_CONSTRAINT_CHECK => ErrorKind::CheckViolation,
            _ => ErrorKind::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_like_sqlx() {
        assert_eq!(parameter_number("$1").ok(), Some(1));
        assert_eq!(parameter_number("?12").ok(), Some(12));
        assert!(parameter_number(":name").is_err());
        assert!(parameter_number("$0").is_err());
    }
}
