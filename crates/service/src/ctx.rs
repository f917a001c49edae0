//! The context every use case runs in: the database, the key for personal
//! data, the password-hashing cost, and helpers for data scopes.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crypto::MasterKey;
use crypto::password::HashCost;
use domain::calendar::Calendar;
use domain::roles::{DataScope, Role};
use store::{Conn, Db};

use crate::actor::Actor;
use crate::error::Result;
use crate::settings::Settings;

#[derive(Clone)]
pub struct Ctx {
    pub db: Db,
    pub key: Arc<MasterKey>,
    pub hash_cost: HashCost,
    settings_cache: Cached<Settings>,
    calendar_cache: Cached<Arc<Calendar>>,
}

/// A value read from the database, with the moment it was read.
type Cached<T> = Arc<Mutex<Option<(Instant, T)>>>;

/// Settings and the calendar are read at most this often per instance; an
/// edit made on one instance reaches the others within this time (the
/// instance that made it forgets its copy at once).
const SETTINGS_TTL: Duration = Duration::from_secs(5);

impl Ctx {
    pub fn new(db: Db, key: MasterKey, hash_cost: HashCost) -> Ctx {
        Ctx {
            db,
            key: Arc::new(key),
            hash_cost,
            settings_cache: Arc::new(Mutex::new(None)),
            calendar_cache: Arc::new(Mutex::new(None)),
        }
    }

    pub async fn settings(&self) -> Result<Settings> {
        if let Ok(guard) = self.settings_cache.lock()
            && let Some((at, s)) = guard.as_ref()
            && at.elapsed() < SETTINGS_TTL
        {
            return Ok(s.clone());
        }
        let mut c = self.db.read().await?;
        let s = Settings::from_rows(store::settings::all(&mut c).await?);
        if let Ok(mut guard) = self.settings_cache.lock() {
            *guard = Some((Instant::now(), s.clone()));
        }
        Ok(s)
    }

    /// The calendar in force (built-in years and those entered), cached like
    /// the settings: deadlines are computed on hot paths such as assignment.
    pub async fn calendar(&self) -> Result<Arc<Calendar>> {
        if let Some(cal) = self.cached_calendar() {
            return Ok(cal);
        }
        let mut c = self.db.read().await?;
        self.load_calendar(&mut c).await
    }

    /// The same, loading through the caller's connection on a miss (inside a
    /// writing transaction, so that it never waits for a reader connection).
    pub async fn calendar_with(&self, conn: &mut Conn) -> Result<Arc<Calendar>> {
        if let Some(cal) = self.cached_calendar() {
            return Ok(cal);
        }
        self.load_calendar(conn).await
    }

    fn cached_calendar(&self) -> Option<Arc<Calendar>> {
        let guard = self.calendar_cache.lock().ok()?;
        let (at, cal) = guard.as_ref()?;
        (at.elapsed() < SETTINGS_TTL).then(|| cal.clone())
    }

    async fn load_calendar(&self, conn: &mut Conn) -> Result<Arc<Calendar>> {
        let cal = Arc::new(crate::calendar::load(conn).await?);
        if let Ok(mut guard) = self.calendar_cache.lock() {
            *guard = Some((Instant::now(), cal.clone()));
        }
        Ok(cal)
    }

    pub(crate) fn forget_calendar(&self) {
        if let Ok(mut guard) = self.calendar_cache.lock() {
            *guard = None;
        }
    }

    pub(crate) fn forget_settings(&self) {
        if let Ok(mut guard) = self.settings_cache.lock() {
            *guard = None;
        }
    }

    /// Congresses whose records the actor may see: `None` means all.
    pub async fn visible_congresses(
        &self,
        conn: &mut Conn,
        actor: &Actor,
    ) -> Result<Option<Vec<i64>>> {
        if actor.scope == DataScope::All {
            return Ok(None);
        }
        if actor.role == Role::GovLeader {
            // A government leader works with the congresses of the units they lead.
            let uid = actor.user_id.unwrap_or(-1);
            return Ok(Some(store::units::congresses_led_by(conn, uid).await?));
        }
        let own = match (actor.role, actor.congress_id, actor.unit_id) {
            (_, Some(c), _) => Some(c),
            (Role::UnitHandler | Role::UnitHead, None, Some(u)) => {
                store::units::get(conn, u).await?.map(|u| u.congress_id)
            }
            _ => None,
        };
        let Some(own) = own else {
            return Ok(Some(Vec::new()));
        };
        if actor.scope != DataScope::OrgTree {
            return Ok(Some(vec![own]));
        }
        let all = store::congresses::all(conn).await?;
        let Some(root) = all.iter().find(|c| c.id == own) else {
            return Ok(Some(Vec::new()));
        };
        Ok(Some(
            all.iter()
                .filter(|c| c.path.starts_with(&root.path))
                .map(|c| c.id)
                .collect(),
        ))
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
