//! Login, sessions, password changes and the second factor.
//!
//! Sessions live in the database (only the SM3 hash of the cookie's token), so
//! any instance can serve any request. A session has a stage: `full`, or
//! `totp` (password accepted, one-time code still due), or `totp_setup` (the
//! account must enrol a second factor first).

use kernel::roles::{DataScope, Role};
use serde::Serialize;

use crate::actor::Actor;
use crate::ctx::Ctx;
use crate::error::{Error, Result};

/// API tokens begin with this, so a leaked one is easy to recognise.
pub const TOKEN_PREFIX: &str = "rdt_";

pub const STAGE_FULL: &str = "full";
pub const STAGE_TOTP: &str = "totp";
pub const STAGE_TOTP_SETUP: &str = "totp_setup";

/// Where a login attempt comes from.
#[derive(Debug, Clone)]
pub struct Client {
    pub ip: String,
    pub user_agent: String,
}

#[derive(Debug, Clone)]
pub struct NewSession {
    /// The cookie value; shown once, stored only as a hash.
    pub token: String,
    pub csrf: String,
    pub stage: String,
    pub must_change_password: bool,
}

/// A resolved session.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SessionInfo {
    pub actor: Actor,
    pub csrf: String,
    pub stage: String,
    pub must_change_password: bool,
    #[serde(skip)]
    pub token_hash: String,
}

/// Login attempts are counted per address over this window.
const RATE_WINDOW_MS: i64 = 5 * 60_000;
/// A session's last-seen time is written at most this often.
const TOUCH_EVERY_MS: i64 = 30_000;

async fn log_attempt(
    ctx: &Ctx,
    username: &str,
    user_id: Option<i64>,
    client: &Client,
    outcome: &str,
) -> Result<()> {
    let mut tx = ctx.begin().await?;
    crate::store::login_log::insert(
        &mut tx,
        ctx.now_ms(),
        &truncate(username, 64),
        user_id,
        &client.ip,
        &truncate(&client.user_agent, 300),
        outcome,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// Checks a password against a stored hash on a blocking thread: Argon2
/// takes tens of milliseconds of CPU, which would stall an async worker.
pub async fn verify_password(stored: &str, typed: &str) -> Result<bool> {
    let (stored, typed) = (stored.to_string(), typed.to_string());
    tokio::task::spawn_blocking(move || crypto::password::verify_password(&stored, &typed))
        .await
        .map_err(|e| Error::internal(format!("password check: {e}")))
}

/// Hashes a new password on a blocking thread (see [`verify_password`]).
pub async fn hash_password(ctx: &Ctx, password: &str) -> Result<String> {
    let (cost, password) = (ctx.hash_cost, password.to_string());
    tokio::task::spawn_blocking(move || crypto::password::hash_password(cost, &password))
        .await
        .map_err(|e| Error::internal(format!("password hash: {e}")))?
        .map_err(Error::internal)
}

fn bad_credentials() -> Error {
    Error::BadRequest("用户名或密码错误".into())
}

/// Checks a username and password and opens a session.
pub async fn login(
    ctx: &Ctx,
    username: &str,
    password: &str,
    client: &Client,
) -> Result<NewSession> {
    let settings = ctx.settings().await?;
    let now = ctx.now_ms();
    let username = username.trim();
    {
        let mut c = ctx.db.read().await?;
        let recent = crate::store::login_log::failures_from_ip_since(
            &mut c,
            &client.ip,
            now - RATE_WINDOW_MS,
        )
        .await?;
        let limit = settings.login_attempts_per_ip();
        if recent >= limit {
            let oldest = crate::store::login_log::nth_failure_from_ip_since(
                &mut c,
                &client.ip,
                now - RATE_WINDOW_MS,
                limit,
            )
            .await?
            .unwrap_or(now);
            drop(c);
            log_attempt(ctx, username, None, client, "rate_limited").await?;
            let minutes = ((oldest + RATE_WINDOW_MS - now) + 59_999)
                .div_euclid(60_000)
                .max(1);
            return Err(Error::RateLimited { minutes });
        }
    }
    let user = {
        let mut c = ctx.db.read().await?;
        crate::store::users::by_username(&mut c, username).await?
    };
    // One Argon2 run on every path (an unknown name is checked against a
    // precomputed hash), off the async workers, so that neither the answer
    // nor its time tells whether an account exists or is locked.
    let stored = match &user {
        Some(u) => u.password_hash.clone(),
        None => crypto::password::dummy_hash(ctx.hash_cost),
    };
    let ok = verify_password(&stored, password).await?;
    let Some(user) = user else {
        log_attempt(ctx, username, None, client, "unknown_user").await?;
        return Err(bad_credentials());
    };
    if let Some(until) = user.locked_until
        && until > now
    {
        log_attempt(ctx, username, Some(user.id), client, "locked").await?;
        // The lock is explained only to whoever knows the password.
        if !ok {
            return Err(bad_credentials());
        }
        return Err(Error::AccountLocked {
            minutes: ((until - now) + 59_999) / 60_000,
        });
    }
    if !ok {
        let mut tx = ctx.begin().await?;
        let lock_until = now + settings.lockout_ms();
        let n = crate::store::users::record_failure(
            &mut tx,
            user.id,
            settings.lockout_threshold(),
            lock_until,
        )
        .await?;
        crate::store::login_log::insert(
            &mut tx,
            now,
            username,
            Some(user.id),
            &client.ip,
            &truncate(&client.user_agent, 300),
            "bad_password",
        )
        .await?;
        let locked = n >= settings.lockout_threshold();
        if locked {
            let actor = Actor::system("auth");
            let actor = Actor {
                ip: client.ip.clone(),
                ..actor
            };
            crate::audit::record(
                &mut tx,
                &actor,
                "auth.lock",
                "user",
                user.id,
                format!(
                    "{} 连续 {n} 次登录失败，锁定 {} 分钟",
                    user.username,
                    settings.lockout_ms() / 60_000
                ),
            )
            .await?;
        }
        tx.commit().await?;
        // Locked now or not, the answer is the same as for a wrong password.
        return Err(bad_credentials());
    }
    if user.disabled == 1 {
        log_attempt(ctx, username, Some(user.id), client, "disabled").await?;
        return Err(Error::BadRequest("该账号已停用，请联系管理员".into()));
    }
    let stage = if user.totp_enabled == 1 {
        STAGE_TOTP
    } else if user.totp_required == 1 {
        STAGE_TOTP_SETUP
    } else {
        STAGE_FULL
    };
    let token = crypto::random_token();
    let csrf = crypto::random_hex(16);
    let mut tx = ctx.begin().await?;
    crate::store::users::record_success(&mut tx, user.id, now).await?;
    crate::store::sessions::insert(
        &mut tx,
        &crypto::sm3_hex(token.as_bytes()),
        user.id,
        &csrf,
        stage,
        now,
        &client.ip,
        &truncate(&client.user_agent, 300),
    )
    .await?;
    let outcome = if stage == STAGE_TOTP {
        "password_ok"
    } else {
        "success"
    };
    crate::store::login_log::insert(
        &mut tx,
        now,
        username,
        Some(user.id),
        &client.ip,
        &truncate(&client.user_agent, 300),
        outcome,
    )
    .await?;
    tx.commit().await?;
    Ok(NewSession {
        token,
        csrf,
        stage: stage.to_string(),
        must_change_password: user.must_change_password == 1 && user.is_demo == 0,
    })
}

pub fn actor_of(u: &crate::store::users::UserRow, ip: &str) -> Option<Actor> {
    Some(Actor {
        user_id: Some(u.id),
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        role: Role::parse(&u.role)?,
        scope: DataScope::parse(&u.data_scope)?,
        congress_id: u.congress_id,
        unit_id: u.unit_id,
        deputy_id: u.deputy_id,
        ip: ip.to_string(),
        token_id: None,
        is_demo: u.is_demo == 1,
    })
}

/// Resolves a session cookie; ends sessions idle for longer than the setting.
pub async fn session(ctx: &Ctx, token: &str, ip: &str) -> Result<Option<SessionInfo>> {
    let hash = crypto::sm3_hex(token.as_bytes());
    let now = ctx.now_ms();
    let found = {
        let mut c = ctx.db.read_point().await?;
        crate::store::sessions::get_with_user(&mut c, &hash).await?
    };
    let Some(found) = found else {
        return Ok(None);
    };
    let settings = ctx.settings().await?;
    let idle = now - found.session_last_seen_at > settings.idle_timeout_ms();
    if found.user.disabled != 0 || idle {
        let mut tx = ctx.begin().await?;
        crate::store::sessions::delete(&mut tx, &hash).await?;
        tx.commit().await?;
        return Ok(None);
    }
    if now - found.session_last_seen_at > TOUCH_EVERY_MS {
        let mut tx = ctx.begin().await?;
        crate::store::sessions::touch(&mut tx, &hash, now).await?;
        tx.commit().await?;
    }
    let user = found.user;
    let Some(actor) = actor_of(&user, ip) else {
        tracing::error!(user = user.id, "account with an unknown role or scope");
        return Ok(None);
    };
    Ok(Some(SessionInfo {
        actor,
        csrf: found.session_csrf_token,
        stage: found.session_stage,
        must_change_password: user.must_change_password == 1 && user.is_demo == 0,
        token_hash: hash,
    }))
}

pub async fn logout(ctx: &Ctx, token_hash: &str) -> Result<()> {
    let mut tx = ctx.begin().await?;
    crate::store::sessions::delete(&mut tx, token_hash).await?;
    tx.commit().await?;
    Ok(())
}

/// Changes one's own password; other sessions of the account end.
pub async fn change_password(
    ctx: &Ctx,
    info: &SessionInfo,
    current: &str,
    new: &str,
    confirm: &str,
) -> Result<()> {
    let actor = &info.actor;
    let uid = actor.user_id.ok_or(Error::Forbidden)?;
    let user = {
        let mut c = ctx.db.read().await?;
        crate::store::users::get(&mut c, uid)
            .await?
            .ok_or(Error::Unauthenticated)?
    };
    if !verify_password(&user.password_hash, current).await? {
        return Err(Error::field("current_password", "当前密码不正确"));
    }
    if new != confirm {
        return Err(Error::field("confirm_password", "两次输入的新密码不一致"));
    }
    kernel::password::check_password_policy(&user.username, new)
        .map_err(|m| Error::field("new_password", m))?;
    if verify_password(&user.password_hash, new).await? {
        return Err(Error::field("new_password", "新密码不能与当前密码相同"));
    }
    let hash = hash_password(ctx, new).await?;
    let now = ctx.now_ms();
    let mut tx = ctx.begin().await?;
    crate::store::users::set_password(&mut tx, uid, &hash, false, now).await?;
    crate::store::sessions::delete_for_user(&mut tx, uid, Some(&info.token_hash)).await?;
    crate::audit::record(
        &mut tx,
        actor,
        "user.change_password",
        "user",
        uid,
        "本人修改密码",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Checks the one-time code of a session in the `totp` stage.
pub async fn verify_totp(ctx: &Ctx, info: &SessionInfo, code: &str, client: &Client) -> Result<()> {
    if info.stage != STAGE_TOTP {
        return Err(Error::BadRequest("当前无需验证动态口令".into()));
    }
    let uid = info.actor.user_id.ok_or(Error::Forbidden)?;
    let user = {
        let mut c = ctx.db.read().await?;
        crate::store::users::get(&mut c, uid)
            .await?
            .ok_or(Error::Unauthenticated)?
    };
    let secret = user
        .totp_secret_enc
        .as_deref()
        .map(|s| ctx.reveal("user.totp", s))
        .unwrap_or_default();
    let now = ctx.now_ms();
    if !crypto::totp::check_code(&secret, code) {
        let settings = ctx.settings().await?;
        let mut tx = ctx.begin().await?;
        let n = crate::store::users::record_failure(
            &mut tx,
            uid,
            settings.lockout_threshold(),
            now + settings.lockout_ms(),
        )
        .await?;
        crate::store::login_log::insert(
            &mut tx,
            now,
            &user.username,
            Some(uid),
            &client.ip,
            &truncate(&client.user_agent, 300),
            "totp_failed",
        )
        .await?;
        if n >= settings.lockout_threshold() {
            crate::store::sessions::delete_for_user(&mut tx, uid, None).await?;
        }
        tx.commit().await?;
        return Err(Error::field("code", "动态口令不正确"));
    }
    let mut tx = ctx.begin().await?;
    crate::store::sessions::set_stage(&mut tx, &info.token_hash, STAGE_FULL).await?;
    crate::store::users::record_success(&mut tx, uid, now).await?;
    crate::store::login_log::insert(
        &mut tx,
        now,
        &user.username,
        Some(uid),
        &client.ip,
        &truncate(&client.user_agent, 300),
        "success",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TotpEnrolment {
    pub secret: String,
    pub url: String,
}

/// Starts enrolment: a new secret is stored (not yet active) and returned to
/// show once as text and QR code.
pub async fn begin_totp(ctx: &Ctx, info: &SessionInfo) -> Result<TotpEnrolment> {
    let actor = &info.actor;
    let uid = actor.user_id.ok_or(Error::Forbidden)?;
    let secret = crypto::totp::generate_secret();
    let url = crypto::totp::provisioning_url(&secret, &actor.username)
        .ok_or_else(|| Error::internal("no value where one is stored"))?;
    let enc = ctx.key.encrypt("user.totp", &secret);
    let mut tx = ctx.begin().await?;
    crate::store::users::set_totp(&mut tx, uid, Some(&enc), false, ctx.now_ms()).await?;
    crate::audit::record(
        &mut tx,
        actor,
        "user.totp_begin",
        "user",
        uid,
        "开始绑定动态口令",
    )
    .await?;
    tx.commit().await?;
    Ok(TotpEnrolment { secret, url })
}

/// Confirms enrolment with a first code; the session becomes full.
pub async fn confirm_totp(ctx: &Ctx, info: &SessionInfo, code: &str) -> Result<()> {
    let actor = &info.actor;
    let uid = actor.user_id.ok_or(Error::Forbidden)?;
    let user = {
        let mut c = ctx.db.read().await?;
        crate::store::users::get(&mut c, uid)
            .await?
            .ok_or(Error::Unauthenticated)?
    };
    let Some(enc) = user.totp_secret_enc.as_deref() else {
        return Err(Error::BadRequest("请先生成动态口令密钥".into()));
    };
    if user.totp_enabled == 1 {
        return Err(Error::BadRequest("动态口令已启用".into()));
    }
    let secret = ctx.reveal("user.totp", enc);
    if !crypto::totp::check_code(&secret, code) {
        return Err(Error::field("code", "动态口令不正确，请核对手机时间后重试"));
    }
    let mut tx = ctx.begin().await?;
    crate::store::users::set_totp(&mut tx, uid, Some(enc), true, ctx.now_ms()).await?;
    crate::store::sessions::set_stage(&mut tx, &info.token_hash, STAGE_FULL).await?;
    crate::audit::record(
        &mut tx,
        actor,
        "user.totp_enable",
        "user",
        uid,
        "启用动态口令",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Ends sessions idle past the timeout (run periodically by the server).
pub async fn purge_idle_sessions(ctx: &Ctx) -> Result<u64> {
    let settings = ctx.settings().await?;
    let mut tx = ctx.begin().await?;
    let n = crate::store::sessions::purge_idle(&mut tx, ctx.now_ms() - settings.idle_timeout_ms())
        .await?;
    tx.commit().await?;
    Ok(n)
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AccountInfo {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub totp_enabled: bool,
    pub last_login_at: Option<i64>,
    pub password_changed_at: Option<i64>,
}

/// One's own account, for the security page and `GET /api/session`.
#[tracing::instrument(name = "app::auth::account_info", skip_all, fields(actor = %actor.username))]
pub async fn account_info(ctx: &Ctx, actor: &Actor) -> Result<AccountInfo> {
    let uid = actor.user_id.ok_or(Error::Forbidden)?;
    let mut c = ctx.db.read().await?;
    let u = crate::store::users::get(&mut c, uid)
        .await?
        .ok_or(Error::Unauthenticated)?;
    Ok(AccountInfo {
        username: u.username,
        display_name: u.display_name,
        role: u.role,
        totp_enabled: u.totp_enabled == 1,
        last_login_at: u.last_login_at,
        password_changed_at: u.password_changed_at,
    })
}

/// Resolves a bearer token into an actor; unknown, revoked and expired tokens are refused alike.
pub async fn token(ctx: &Ctx, token: &str, ip: &str) -> Result<Actor> {
    if !token.starts_with(TOKEN_PREFIX) || token.len() > 200 {
        return Err(Error::Unauthenticated);
    }
    let now = ctx.now_ms();
    let row = {
        let mut c = ctx.db.read().await?;
        crate::store::api_tokens::by_hash(&mut c, &crypto::sm3_hex(token.as_bytes())).await?
    };
    let Some(t) = row else {
        return Err(Error::Unauthenticated);
    };
    if t.revoked_at.is_some() || t.expires_at.is_some_and(|e| e <= now) {
        return Err(Error::Unauthenticated);
    }
    let (Some(role), Some(scope)) = (Role::parse(&t.role), DataScope::parse(&t.data_scope)) else {
        return Err(Error::Unauthenticated);
    };
    if t.last_used_at.is_none_or(|u| now - u > 60_000) {
        let mut tx = ctx.begin().await?;
        crate::store::api_tokens::touch(&mut tx, t.id, now).await?;
        tx.commit().await?;
    }
    Ok(Actor {
        user_id: None,
        username: format!("token:{}", t.name),
        display_name: t.name.clone(),
        role,
        scope,
        congress_id: t.congress_id,
        unit_id: t.unit_id,
        deputy_id: None,
        ip: ip.to_string(),
        token_id: Some(t.id),
        is_demo: false,
    })
}
