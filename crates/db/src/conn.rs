//! The connection every store function runs on, and the transaction of a
//! use case. `&mut Conn` is an sqlx executor for the `Any` database whatever
//! lies behind it — a pooled sqlx connection, a PostgreSQL transaction, or an
//! SQLite connection stepped in place — so statements are written once.

use futures_util::future::BoxFuture;
use futures_util::stream::BoxStream;
use futures_util::{FutureExt, StreamExt};
use sqlx::any::{AnyQueryResult, AnyRow, AnyStatement, AnyTypeInfo};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, Describe, Execute, Executor};
use std::ops::{Deref, DerefMut};

use crate::{Result, lite, point, queue};

/// A connection every store function runs on: a pooled sqlx connection (the
/// readers, PostgreSQL), a PostgreSQL transaction, or SQLite's writer in a
/// transaction. It is an sqlx executor for the `Any` database, so statements
/// are written once as `sqlx::query(…).fetch_one(conn)`.
#[derive(Debug)]
pub struct Conn(pub(crate) ConnInner);

#[derive(Debug)]
pub(crate) enum ConnInner {
    Pooled(PoolConnection<Any>),
    PooledTx(sqlx::Transaction<'static, Any>),
    Writer(queue::WriterTx),
    Point(point::Lent),
}

/// The one transaction of a use case. Dereferences to its [`Conn`], so
/// statements run on `&mut tx`; dropped without [`Tx::commit`], it rolls back.
#[derive(Debug)]
/// A writing transaction, and the moment its use case runs at (UTC ms; the
/// context's clock sets it, so a history can be written as of another day).
pub struct Tx(
    pub(crate) Conn,
    pub(crate) i64,
    pub(crate) Option<std::sync::Arc<crypto::chain::ChainKey>>,
);

impl Tx {
    /// The moment the use case runs at (UTC ms).
    pub fn at(&self) -> i64 {
        self.1
    }

    /// Sets the moment (the context does, from its clock).
    pub fn set_at(&mut self, ms: i64) {
        self.1 = ms;
    }

    /// The audit chain's key (see [`crate::Db::set_chain_key`]).
    pub fn chain_key(&self) -> Option<&crypto::chain::ChainKey> {
        self.2.as_deref()
    }

    pub async fn commit(self) -> Result<()> {
        self.end(true).await
    }

    pub async fn rollback(self) -> Result<()> {
        self.end(false).await
    }

    async fn end(self, commit: bool) -> Result<()> {
        match self.0.0 {
            ConnInner::PooledTx(t) if commit => t.commit().await,
            ConnInner::PooledTx(t) => t.rollback().await,
            ConnInner::Writer(t) if commit => t.commit().await,
            ConnInner::Writer(t) => {
                t.rollback();
                Ok(())
            }
            ConnInner::Pooled(_) | ConnInner::Point(_) => Ok(()),
        }
    }
}

impl Deref for Tx {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.0
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.0
    }
}

/// Where a statement runs: an sqlx connection, or SQLite stepped in place.
enum Target<'a> {
    Sqlx(&'a mut AnyConnection),
    Lite(&'a mut lite::Lite),
}

impl ConnInner {
    fn target(&mut self) -> Target<'_> {
        match self {
            ConnInner::Pooled(c) => Target::Sqlx(c),
            ConnInner::PooledTx(t) => Target::Sqlx(t),
            ConnInner::Writer(w) => Target::Lite(w),
            ConnInner::Point(p) => Target::Lite(p),
        }
    }
}

impl<'c> Executor<'c> for &'c mut Conn {
    type Database = Any;

    fn fetch_many<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxStream<'e, Result<sqlx::Either<AnyQueryResult, AnyRow>>>
    where
        'c: 'e,
        E: 'q + Execute<'q, Any>,
    {
        let w = match self.0.target() {
            Target::Sqlx(c) => return c.fetch_many(query),
            Target::Lite(w) => w,
        };
        let steps: Vec<Result<sqlx::Either<AnyQueryResult, AnyRow>>> =
            match w.run(query, lite::Want::Rows) {
                Ok((rows, done)) => rows
                    .into_iter()
                    .map(|r| Ok(sqlx::Either::Right(r)))
                    .chain(std::iter::once(Ok(sqlx::Either::Left(done))))
                    .collect(),
                Err(e) => vec![Err(e)],
            };
        futures_util::stream::iter(steps).boxed()
    }

    fn fetch_optional<'e, 'q: 'e, E>(self, query: E) -> BoxFuture<'e, Result<Option<AnyRow>>>
    where
        'c: 'e,
        E: 'q + Execute<'q, Any>,
    {
        let r = match self.0.target() {
            Target::Sqlx(c) => return c.fetch_optional(query),
            Target::Lite(w) => w
                .run(query, lite::Want::First)
                .map(|(rows, _)| rows.into_iter().next()),
        };
        futures_util::future::ready(r).boxed()
    }

    fn fetch_all<'e, 'q: 'e, E>(self, query: E) -> BoxFuture<'e, Result<Vec<AnyRow>>>
    where
        'c: 'e,
        E: 'q + Execute<'q, Any>,
    {
        let r = match self.0.target() {
            Target::Sqlx(c) => return c.fetch_all(query),
            Target::Lite(w) => w.run(query, lite::Want::Rows).map(|(rows, _)| rows),
        };
        futures_util::future::ready(r).boxed()
    }

    fn execute<'e, 'q: 'e, E>(self, query: E) -> BoxFuture<'e, Result<AnyQueryResult>>
    where
        'c: 'e,
        E: 'q + Execute<'q, Any>,
    {
        let r = match self.0.target() {
            Target::Sqlx(c) => return c.execute(query),
            Target::Lite(w) => w.run(query, lite::Want::Nothing).map(|(_, done)| done),
        };
        futures_util::future::ready(r).boxed()
    }

    fn prepare_with<'e, 'q: 'e>(
        self,
        sql: &'q str,
        parameters: &'e [AnyTypeInfo],
    ) -> BoxFuture<'e, Result<AnyStatement<'q>>>
    where
        'c: 'e,
    {
        match self.0.target() {
            Target::Sqlx(c) => c.prepare_with(sql, parameters),
            Target::Lite(_) => futures_util::future::ready(Err(unsupported())).boxed(),
        }
    }

    fn describe<'e, 'q: 'e>(self, sql: &'q str) -> BoxFuture<'e, Result<Describe<Any>>>
    where
        'c: 'e,
    {
        match self.0.target() {
            Target::Sqlx(c) => c.describe(sql),
            Target::Lite(_) => futures_util::future::ready(Err(unsupported())).boxed(),
        }
    }
}

/// Prepared-statement handles and statement descriptions are sqlx
/// features the store does not use; the connections stepped in place cache
/// their statements themselves.
fn unsupported() -> sqlx::Error {
    sqlx::Error::Protocol("not supported on the SQLite writer".into())
}
