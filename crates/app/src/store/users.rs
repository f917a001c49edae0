//! Accounts.

use db::sql::bind_all;
use db::{Conn, Page, Paged, Result, Where};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub data_scope: String,
    pub congress_id: Option<i64>,
    pub office: Option<String>,
    pub unit_id: Option<i64>,
    pub deputy_id: Option<i64>,
    pub must_change_password: i64,
    pub is_demo: i64,
    pub disabled: i64,
    pub failed_logins: i64,
    pub locked_until: Option<i64>,
    pub totp_secret_enc: Option<String>,
    pub totp_enabled: i64,
    pub totp_required: i64,
    pub last_login_at: Option<i64>,
    pub password_changed_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// For e-mail notifications.
    pub email: Option<String>,
}

pub const COLS: &str = "id, username, display_name, password_hash, role, data_scope, congress_id, office, unit_id, deputy_id,
    must_change_password, is_demo, disabled, failed_logins, locked_until, totp_secret_enc, totp_enabled, totp_required,
    last_login_at, password_changed_at, created_at, updated_at, email";

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub data_scope: String,
    pub congress_id: Option<i64>,
    pub office: Option<String>,
    pub unit_id: Option<i64>,
    pub deputy_id: Option<i64>,
    pub must_change_password: bool,
    pub is_demo: bool,
}

pub async fn insert(conn: &mut Conn, u: &NewUser, now: i64) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO app_user (username, display_name, password_hash, role, data_scope, congress_id, office, unit_id, deputy_id,
         must_change_password, is_demo, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
    )
    .bind(&u.username)
    .bind(&u.display_name)
    .bind(&u.password_hash)
    .bind(&u.role)
    .bind(&u.data_scope)
    .bind(u.congress_id)
    .bind(&u.office)
    .bind(u.unit_id)
    .bind(u.deputy_id)
    .bind(i64::from(u.must_change_password))
    .bind(i64::from(u.is_demo))
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<UserRow>> {
    sqlx::query_as(&format!("SELECT {COLS} FROM app_user WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn by_username(conn: &mut Conn, username: &str) -> Result<Option<UserRow>> {
    sqlx::query_as(&format!("SELECT {COLS} FROM app_user WHERE username = $1"))
        .bind(username)
        .fetch_optional(conn)
        .await
}

pub async fn count(conn: &mut Conn) -> Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM app_user")
        .fetch_one(conn)
        .await
}

#[derive(Debug, Default, Clone)]
pub struct UserFilter {
    pub q: Option<String>,
    pub role: Option<String>,
    pub unit_id: Option<i64>,
    pub deputy_id: Option<i64>,
}

pub async fn list(conn: &mut Conn, f: &UserFilter, page: Page) -> Result<Paged<UserRow>> {
    let mut w = Where::new();
    if let Some(q) = &f.q {
        let escaped = q
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let pat = format!("%{escaped}%");
        w.raw(
            "(username LIKE {} ESCAPE '\\' OR display_name LIKE {} ESCAPE '\\')",
            vec![pat.clone().into(), pat.into()],
        );
    }
    if let Some(r) = &f.role {
        w.eq("role", r.as_str());
    }
    if let Some(u) = f.unit_id {
        w.eq("unit_id", u);
    }
    if let Some(d) = f.deputy_id {
        w.eq("deputy_id", d);
    }
    let (total, capped) =
        db::sql::count_capped(conn, &format!("app_user{}", w.sql()), &w.args).await?;
    let sql = format!(
        "SELECT {COLS} FROM app_user{} ORDER BY id{}",
        w.sql(),
        page.sql()
    );
    let items = bind_all(sqlx::query_as(&sql), &w.args)
        .fetch_all(&mut *conn)
        .await?;
    Ok(Paged {
        items,
        total,
        capped,
        page: page.page,
        per_page: page.per_page,
    })
}

pub async fn set_password(
    conn: &mut Conn,
    id: i64,
    hash: &str,
    must_change: bool,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE app_user SET password_hash = $1, must_change_password = $2, password_changed_at = $3,
         failed_logins = 0, locked_until = NULL, updated_at = $3 WHERE id = $4",
    )
    .bind(hash)
    .bind(i64::from(must_change))
    .bind(now)
    .bind(id)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Records a failed attempt; locks the account when the threshold is reached.
/// Returns the new failure count.
pub async fn record_failure(
    conn: &mut Conn,
    id: i64,
    threshold: i64,
    lock_until: i64,
) -> Result<i64> {
    let n: i64 = sqlx::query_scalar(
        "UPDATE app_user SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    if n >= threshold {
        sqlx::query("UPDATE app_user SET locked_until = $1, failed_logins = 0 WHERE id = $2")
            .bind(lock_until)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(n)
}

pub async fn record_success(conn: &mut Conn, id: i64, now: i64) -> Result<()> {
    sqlx::query("UPDATE app_user SET failed_logins = 0, locked_until = NULL, last_login_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn unlock(conn: &mut Conn, id: i64, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE app_user SET failed_logins = 0, locked_until = NULL, updated_at = $1 WHERE id = $2",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await
    .map(|_| ())
}

#[derive(Debug, Clone)]
pub struct UserUpdate {
    pub display_name: String,
    pub role: String,
    pub data_scope: String,
    pub congress_id: Option<i64>,
    pub office: Option<String>,
    pub unit_id: Option<i64>,
    pub deputy_id: Option<i64>,
    pub disabled: bool,
    pub totp_required: bool,
}

pub async fn update(conn: &mut Conn, id: i64, u: &UserUpdate, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE app_user SET display_name = $1, role = $2, data_scope = $3, congress_id = $4, office = $5, unit_id = $6,
         deputy_id = $7, disabled = $8, totp_required = $9, updated_at = $10 WHERE id = $11",
    )
    .bind(&u.display_name)
    .bind(&u.role)
    .bind(&u.data_scope)
    .bind(u.congress_id)
    .bind(&u.office)
    .bind(u.unit_id)
    .bind(u.deputy_id)
    .bind(i64::from(u.disabled))
    .bind(i64::from(u.totp_required))
    .bind(now)
    .bind(id)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn set_totp(
    conn: &mut Conn,
    id: i64,
    secret_enc: Option<&str>,
    enabled: bool,
    now: i64,
) -> Result<()> {
    sqlx::query("UPDATE app_user SET totp_secret_enc = $1, totp_enabled = $2, updated_at = $3 WHERE id = $4")
        .bind(secret_enc)
        .bind(i64::from(enabled))
        .bind(now)
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Requires (or stops requiring) a second factor for every staff-side account.
pub async fn require_totp_for_roles(
    conn: &mut Conn,
    roles: &[&str],
    required: bool,
    now: i64,
) -> Result<u64> {
    let mut affected = 0;
    for r in roles {
        affected +=
            sqlx::query("UPDATE app_user SET totp_required = $1, updated_at = $2 WHERE role = $3")
                .bind(i64::from(required))
                .bind(now)
                .bind(*r)
                .execute(&mut *conn)
                .await?
                .rows_affected();
    }
    Ok(affected)
}

/// Groups of accounts that notifications go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Audience {
    /// Staff of a congress.
    CongressStaff(i64),
    /// Leaders of a congress's standing committee.
    CongressLeaders(i64),
    /// Handlers and heads of a unit.
    Unit(i64),
    UnitHeads(i64),
    /// The government leader in charge of a unit.
    UnitLeader(i64),
    /// The accounts of a deputy.
    Deputy(i64),
    User(i64),
}

/// `SELECT id …` of the enabled accounts of one audience; `{}` stands for
/// its argument.
fn audience_select(a: Audience) -> (&'static str, i64) {
    match a {
        Audience::CongressStaff(c) => (
            "SELECT id FROM app_user WHERE role = 'staff' AND congress_id = {} AND disabled = 0",
            c,
        ),
        Audience::CongressLeaders(c) => (
            "SELECT id FROM app_user WHERE role = 'congress_leader' AND congress_id = {} AND disabled = 0",
            c,
        ),
        Audience::Unit(u) => (
            "SELECT id FROM app_user WHERE role IN ('unit_handler', 'unit_head') AND unit_id = {} AND disabled = 0",
            u,
        ),
        Audience::UnitHeads(u) => (
            "SELECT id FROM app_user WHERE role = 'unit_head' AND unit_id = {} AND disabled = 0",
            u,
        ),
        Audience::UnitLeader(u) => (
            "SELECT a.id FROM app_user a JOIN unit u ON u.leader_user_id = a.id WHERE u.id = {} AND a.disabled = 0",
            u,
        ),
        Audience::Deputy(d) => (
            "SELECT id FROM app_user WHERE role = 'deputy' AND deputy_id = {} AND disabled = 0",
            d,
        ),
        Audience::User(id) => ("SELECT id FROM app_user WHERE id = {} AND disabled = 0", id),
    }
}

/// One query selecting the ids of every member of the audiences (a member of
/// several is listed once), its arguments added to `w`.
pub fn audiences_select(to: &[Audience], w: &mut Where) -> String {
    to.iter()
        .map(|a| {
            let (sql, arg) = audience_select(*a);
            sql.replace("{}", &w.arg(arg))
        })
        .collect::<Vec<_>>()
        .join(" UNION ")
}

pub async fn set_email(conn: &mut Conn, id: i64, email: Option<&str>) -> Result<()> {
    sqlx::query("UPDATE app_user SET email = $1 WHERE id = $2")
        .bind(email)
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}
