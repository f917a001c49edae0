//! The context every use case runs in: the database, the key for personal
//! data, the password-hashing cost, settings and the calendar in force.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crypto::MasterKey;
use crypto::password::HashCost;
use db::{Conn, Db};
use kernel::calendar::Calendar;

use crate::error::{Error, Result};
use crate::settings::Settings;

#[derive(Clone)]
pub struct Ctx {
    pub db: Db,
    pub key: Arc<MasterKey>,
    pub hash_cost: HashCost,
    settings_cache: Cached<Settings>,
    calendar_cache: Cached<Arc<Calendar>>,
    /// Reports that read a whole history run one at a time per instance, so
    /// that they cannot take every reader connection while pages wait.
    heavy_reports: Arc<tokio::sync::Semaphore>,
    /// Values the program installs once when it assembles itself (the
    /// tracked-item engine's kinds), found by type.
    extensions: Arc<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
    /// Where "now" comes from: the system, or a fixed moment (a test, or the
    /// demo loader writing a year's history), for this context alone.
    clock: Clock,
}

/// The clock a context reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    System,
    /// Always this moment (UTC ms).
    Fixed(i64),
}

/// How long a heavy report waits for the one before it.
pub const HEAVY_REPORT_WAIT: Duration = Duration::from_secs(20);

/// A value read from the database, with the moment it was read.
type Cached<T> = Arc<Mutex<Option<(Instant, T)>>>;

/// Settings and the calendar are read at most this often per instance; an
/// edit made on one instance reaches the others within this time (the
/// instance that made it forgets its copy at once).
const CACHE_TTL: Duration = Duration::from_secs(5);

fn fresh<T: Clone>(cache: &Cached<T>) -> Option<T> {
    let guard = cache.lock().ok()?;
    let (at, v) = guard.as_ref()?;
    (at.elapsed() < CACHE_TTL).then(|| v.clone())
}

fn keep<T: Clone>(cache: &Cached<T>, v: &T) {
    if let Ok(mut guard) = cache.lock() {
        *guard = Some((Instant::now(), v.clone()));
    }
}

fn forget<T>(cache: &Cached<T>) {
    if let Ok(mut guard) = cache.lock() {
        *guard = None;
    }
}

impl Ctx {
    pub fn new(db: Db, key: MasterKey, hash_cost: HashCost) -> Ctx {
        db.set_chain_key(key.chain_key());
        Ctx {
            db,
            key: Arc::new(key),
            hash_cost,
            settings_cache: Arc::new(Mutex::new(None)),
            calendar_cache: Arc::new(Mutex::new(None)),
            heavy_reports: Arc::new(tokio::sync::Semaphore::new(1)),
            extensions: Arc::new(HashMap::new()),
            clock: Clock::System,
        }
    }

    /// The same context at a fixed moment (UTC ms): every use case run with
    /// it happens then. Nothing else sees that moment.
    pub fn at(&self, ms: i64) -> Ctx {
        Ctx {
            clock: Clock::Fixed(ms),
            ..self.clone()
        }
    }

    /// The same context on the system's clock again.
    pub fn on_system_clock(&self) -> Ctx {
        Ctx {
            clock: Clock::System,
            ..self.clone()
        }
    }

    /// Now, in UTC milliseconds.
    pub fn now_ms(&self) -> i64 {
        match self.clock {
            Clock::System => kernel::time::system_now_ms(),
            Clock::Fixed(ms) => ms,
        }
    }

    /// Today in Asia/Shanghai.
    pub fn today(&self) -> jiff::civil::Date {
        kernel::time::date_of_ms(self.now_ms())
    }

    /// Begins a writing transaction at this context's moment.
    pub async fn begin(&self) -> Result<db::Tx> {
        let mut tx = self.db.begin().await?;
        tx.set_at(self.now_ms());
        Ok(tx)
    }

    /// The same context with `value` installed (replacing one of its type).
    pub fn with<T: Any + Send + Sync>(mut self, value: T) -> Ctx {
        Arc::make_mut(&mut self.extensions).insert(TypeId::of::<T>(), Arc::new(value));
        self
    }

    /// The installed value of this type.
    pub fn get<T: Any + Send + Sync>(&self) -> Option<&T> {
        self.extensions
            .get(&TypeId::of::<T>())
            .and_then(|v| v.downcast_ref::<T>())
    }

    /// Waits up to `wait` for the turn of a report over a whole history;
    /// the turn ends when the permit is dropped.
    pub async fn heavy_report(&self, wait: Duration) -> Result<tokio::sync::SemaphorePermit<'_>> {
        match tokio::time::timeout(wait, self.heavy_reports.acquire()).await {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(e)) => Err(Error::internal(e)),
            Err(_) => Err(Error::Conflict(
                "正在生成另一份跨全部会议的统计，请稍后再试，或先选择一次会议".into(),
            )),
        }
    }

    pub async fn settings(&self) -> Result<Settings> {
        if let Some(s) = fresh(&self.settings_cache) {
            return Ok(s);
        }
        let mut c = self.db.read().await?;
        let s = Settings::from_rows(crate::store::settings::all(&mut c).await?);
        keep(&self.settings_cache, &s);
        Ok(s)
    }

    pub(crate) fn forget_settings(&self) {
        forget(&self.settings_cache);
    }

    /// The calendar in force (built-in years and those entered, and the years
    /// after them provisionally), cached like the settings: deadlines are
    /// computed on hot paths such as assignment.
    pub async fn calendar(&self) -> Result<Arc<Calendar>> {
        if let Some(cal) = fresh(&self.calendar_cache) {
            return Ok(cal);
        }
        let mut c = self.db.read().await?;
        self.calendar_with(&mut c).await
    }

    /// The same, loading through the caller's connection on a miss (inside a
    /// writing transaction, so that it never waits for a reader connection).
    pub async fn calendar_with(&self, conn: &mut Conn) -> Result<Arc<Calendar>> {
        if let Some(cal) = fresh(&self.calendar_cache) {
            return Ok(cal);
        }
        let cal = Arc::new(crate::calendar::load(conn).await?.with_provisional());
        keep(&self.calendar_cache, &cal);
        Ok(cal)
    }

    pub(crate) fn forget_calendar(&self) {
        forget(&self.calendar_cache);
    }

    /// Decrypts a stored personal value; a value that fails its integrity
    /// check is reported (and logged) instead of shown.
    pub fn reveal(&self, context: &str, stored: &str) -> String {
        match self.key.decrypt(context, stored) {
            Ok(v) => v,
            Err(e) => {
                tracing::error!(context, error = %e, "stored personal data failed its integrity check");
                "（数据校验失败）".into()
            }
        }
    }
}
