//! API tokens for integrations: created by an administrator with a role and a
//! data scope, shown once, stored as an SM3 hash, revocable.

use app::store::api_tokens::{NewToken, TokenRow};
use kernel::roles::{DataScope, Permission, Role};
use serde::{Deserialize, Serialize};

use app::actor::Actor;
use app::ctx::Ctx;
use app::error::{Error, Result};
use app::validate::Check;

pub use app::auth::TOKEN_PREFIX;

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct TokenInput {
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 60)]
    pub name: String,
    #[serde(default)]
    #[schema(required = true)]
    pub role: String,
    #[serde(default)]
    pub data_scope: String,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub congress_id: Option<i64>,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub unit_id: Option<i64>,
    /// Days until it expires; none = no expiry.
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub expires_in_days: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreatedToken {
    pub id: i64,
    /// The token itself; shown only now.
    pub token: String,
}

#[tracing::instrument(name = "org::tokens::create", skip_all, fields(actor = %actor.username))]
pub async fn create(ctx: &Ctx, actor: &Actor, input: &TokenInput) -> Result<CreatedToken> {
    actor.require(Permission::ManageApiTokens)?;
    let mut check = Check::new();
    let name = check.text("name", "令牌名称", &input.name, 60);
    let role = Role::parse(&input.role);
    match role {
        None => check.add("role", "请选择角色"),
        Some(Role::Deputy) => check.add("role", "API 令牌不能代表个人代表身份"),
        _ => {}
    }
    let scope = if input.data_scope.trim().is_empty() {
        role.map(Role::default_scope)
    } else {
        let parsed = DataScope::parse(&input.data_scope);
        if parsed.is_none() {
            // Found by schemathesis: an unknown scope went through to a 500.
            check.add("data_scope", "请选择数据范围");
        }
        parsed
    };
    if let (Some(r), Some(s)) = (role, scope)
        && !r.allowed_scopes().contains(&s)
    {
        check.add("data_scope", "该角色不能使用此数据范围");
    }
    if let Some(d) = input.expires_in_days
        && !(1..=3650).contains(&d)
    {
        check.add("expires_in_days", "有效天数应为 1 到 3650");
    }
    let congress_id = input.congress_id.filter(|v| *v > 0);
    let unit_id = input.unit_id.filter(|v| *v > 0);
    if let Some(r) = role {
        if r.needs_congress() && congress_id.is_none() {
            check.add("congress_id", "请选择所属人大");
        }
        if r.needs_unit() && unit_id.is_none() {
            check.add("unit_id", "请选择所属承办单位");
        }
    }
    {
        let mut c = ctx.db.read().await?;
        if let Some(id) = congress_id
            && crate::store::congresses::get(&mut c, id).await?.is_none()
        {
            check.add("congress_id", "所属人大不存在");
        }
        if let Some(id) = unit_id
            && crate::store::units::get(&mut c, id).await?.is_none()
        {
            check.add("unit_id", "承办单位不存在");
        }
    }
    check.finish()?;
    let (Some(role), Some(scope)) = (role, scope) else {
        return Err(Error::internal(
            "a checked value went missing after validation",
        ));
    };
    let token = format!("{TOKEN_PREFIX}{}", crypto::random_token());
    let now = ctx.now_ms();
    let mut tx = ctx.begin().await?;
    let id = app::store::api_tokens::insert(
        &mut tx,
        &NewToken {
            name: name.clone(),
            token_hash: crypto::sm3_hex(token.as_bytes()),
            prefix: token.chars().take(10).collect(),
            role: role.code().into(),
            data_scope: scope.code().into(),
            congress_id,
            unit_id,
            created_by: actor.user_id.ok_or(Error::Forbidden)?,
            expires_at: input.expires_in_days.map(|d| now + d * 86_400_000),
        },
        now,
    )
    .await?;
    app::audit::record(
        &mut tx,
        actor,
        "api_token.create",
        "api_token",
        id,
        format!("创建 API 令牌“{name}”（{}）", role.label()),
    )
    .await?;
    tx.commit().await?;
    Ok(CreatedToken { id, token })
}

#[tracing::instrument(name = "org::tokens::list", skip_all, fields(actor = %actor.username))]
pub async fn list(ctx: &Ctx, actor: &Actor) -> Result<Vec<TokenRow>> {
    actor.require(Permission::ManageApiTokens)?;
    let mut c = ctx.db.read().await?;
    Ok(app::store::api_tokens::all(&mut c).await?)
}

#[tracing::instrument(name = "org::tokens::revoke", skip_all, fields(actor = %actor.username, id))]
pub async fn revoke(ctx: &Ctx, actor: &Actor, id: i64) -> Result<()> {
    actor.require(Permission::ManageApiTokens)?;
    let mut tx = ctx.begin().await?;
    let t = app::store::api_tokens::get(&mut tx, id)
        .await?
        .ok_or(Error::NotFound("API 令牌"))?;
    if app::store::api_tokens::revoke(&mut tx, id, ctx.now_ms()).await? == 0 {
        return Err(Error::Conflict("该令牌已被吊销".into()));
    }
    app::audit::record(
        &mut tx,
        actor,
        "api_token.revoke",
        "api_token",
        id,
        format!("吊销 API 令牌“{}”", t.name),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
