//! Account administration: create, edit, reset, unlock.

use app::store::users::{NewUser, UserFilter, UserRow, UserUpdate};
use db::{Page, Paged};
use kernel::roles::{DataScope, Permission, Role};
use serde::{Deserialize, Serialize};

use app::actor::Actor;
use app::ctx::Ctx;
use app::error::{Error, Result};
use app::validate::Check;

/// The fields an administrator fills in for an account.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct UserInput {
    /// Required when creating; an update keeps the name.
    #[serde(default)]
    pub username: String,
    /// For e-mail notifications; may be empty.
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 40)]
    pub display_name: String,
    #[serde(default)]
    #[schema(required = true)]
    pub role: String,
    #[serde(default)]
    pub data_scope: String,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub congress_id: Option<i64>,
    #[serde(default)]
    pub office: Option<String>,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub unit_id: Option<i64>,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub deputy_id: Option<i64>,
    #[serde(default, deserialize_with = "app::de::flex_bool")]
    pub disabled: bool,
    #[serde(default, deserialize_with = "app::de::flex_bool")]
    pub totp_required: bool,
}

struct Checked {
    email: Option<String>,
    display_name: String,
    role: Role,
    scope: DataScope,
    congress_id: Option<i64>,
    office: Option<String>,
    unit_id: Option<i64>,
    deputy_id: Option<i64>,
}

async fn check_input(ctx: &Ctx, input: &UserInput, check: &mut Check) -> Result<Option<Checked>> {
    let display_name = check.text("display_name", "姓名", &input.display_name, 40);
    let email = input.email.trim();
    let valid_email = email.len() <= 100
        && email
            .split_once('@')
            .is_some_and(|(a, b)| !a.is_empty() && b.contains('.') && !b.ends_with('.'))
        && !email.contains(char::is_whitespace);
    if !email.is_empty() && !valid_email {
        check.add("email", "电子邮箱格式不正确");
    }
    let email = Some(email.to_string()).filter(|e| !e.is_empty());
    let role = Role::parse(&input.role);
    if role.is_none() {
        check.add("role", "请选择角色");
    }
    let scope = if input.data_scope.trim().is_empty() {
        role.map(Role::default_scope)
    } else {
        DataScope::parse(&input.data_scope)
    };
    let mut c = ctx.db.read().await?;
    if let (Some(r), Some(s)) = (role, scope)
        && !r.allowed_scopes().contains(&s)
    {
        check.add(
            "data_scope",
            format!("{}不能使用“{}”数据范围", r.label(), s.label()),
        );
    }
    if scope.is_none() {
        check.add("data_scope", "数据范围不正确");
    }
    let mut congress_id = input.congress_id.filter(|v| *v > 0);
    let mut unit_id = input.unit_id.filter(|v| *v > 0);
    let mut deputy_id = input.deputy_id.filter(|v| *v > 0);
    let mut office = input.office.clone().filter(|o| !o.trim().is_empty());
    if let Some(r) = role {
        if r.needs_congress() && congress_id.is_none() {
            check.add("congress_id", "请选择所属人大");
        }
        if r.needs_unit() && unit_id.is_none() {
            check.add("unit_id", "请选择所属承办单位");
        }
        if r.needs_deputy() && deputy_id.is_none() {
            check.add("deputy_id", "请输入代表姓名，从列表中选择关联的代表");
        }
        // Links that do not belong to the role are dropped, not kept half-valid.
        if !r.needs_unit() {
            unit_id = None;
        }
        if !r.needs_deputy() {
            deputy_id = None;
        }
        if r != Role::Staff {
            office = None;
        }
        if matches!(r, Role::Deputy | Role::UnitHandler | Role::UnitHead) {
            congress_id = None;
        }
    }
    if let Some(cid) = congress_id
        && crate::store::congresses::get(&mut c, cid).await?.is_none()
    {
        check.add("congress_id", "所属人大不存在");
    }
    if let Some(uid) = unit_id
        && crate::store::units::get(&mut c, uid).await?.is_none()
    {
        check.add("unit_id", "承办单位不存在");
    }
    if let Some(did) = deputy_id
        && crate::store::deputies::get(&mut c, did).await?.is_none()
    {
        check.add("deputy_id", "代表不存在");
    }
    if let Some(o) = &office
        && kernel::org::Office::parse(o).is_none()
    {
        check.add("office", "所属工作机构不正确");
    }
    let (Some(role), Some(scope)) = (role, scope) else {
        return Ok(None);
    };
    Ok(Some(Checked {
        email,
        display_name,
        role,
        scope,
        congress_id,
        office: office
            .and_then(|o| kernel::org::Office::parse(&o))
            .map(|o| o.code().to_string()),
        unit_id,
        deputy_id,
    }))
}

/// A temporary password meeting the policy, shown once to the administrator.
pub fn temporary_password() -> String {
    let h = crypto::random_hex(6);
    format!("Rd-{}{}", &h[..6].to_uppercase(), &h[6..])
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = CreatedUser)]
pub struct Created {
    pub id: i64,
    pub username: String,
    /// Shown once; the user must change it at first login.
    pub temporary_password: String,
}

#[tracing::instrument(name = "org::users::create", skip_all, fields(actor = %actor.username))]
pub async fn create(ctx: &Ctx, actor: &Actor, input: &UserInput) -> Result<Created> {
    actor.require(Permission::ManageUsers)?;
    let mut check = Check::new();
    let username = input.username.trim().to_string();
    if let Err(m) = kernel::password::check_username(&username) {
        check.add("username", m);
    }
    let checked = check_input(ctx, input, &mut check).await?;
    {
        let mut c = ctx.db.read().await?;
        if app::store::users::by_username(&mut c, &username)
            .await?
            .is_some()
        {
            check.add("username", "该用户名已被使用");
        }
    }
    check.finish()?;
    let Some(k) = checked else {
        return Err(Error::internal(
            "a checked value went missing after validation",
        ));
    };
    let password = temporary_password();
    let now = ctx.now_ms();
    let mut tx = ctx.begin().await?;
    let id = app::store::users::insert(
        &mut tx,
        &NewUser {
            username: username.clone(),
            display_name: k.display_name.clone(),
            password_hash: app::auth::hash_password(ctx, &password).await?,
            role: k.role.code().into(),
            data_scope: k.scope.code().into(),
            congress_id: k.congress_id,
            office: k.office,
            unit_id: k.unit_id,
            deputy_id: k.deputy_id,
            must_change_password: true,
            is_demo: false,
        },
        now,
    )
    .await
    .map_err(|e| {
        if db::is_unique_violation(&e) {
            Error::field("username", "该用户名已被使用")
        } else {
            e.into()
        }
    })?;
    app::store::users::set_email(&mut tx, id, k.email.as_deref()).await?;
    let settings = ctx.settings().await?;
    if k.role.is_staff_side() && settings.require_totp_for_staff() {
        app::store::users::update(
            &mut tx,
            id,
            &UserUpdate {
                display_name: k.display_name.clone(),
                role: k.role.code().into(),
                data_scope: k.scope.code().into(),
                congress_id: k.congress_id,
                office: None,
                unit_id: k.unit_id,
                deputy_id: k.deputy_id,
                disabled: false,
                totp_required: true,
            },
            now,
        )
        .await?;
    }
    app::audit::record(
        &mut tx,
        actor,
        "user.create",
        "user",
        id,
        format!(
            "创建账号 {username}（{}，{}）",
            k.role.label(),
            k.scope.label()
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Created {
        id,
        username,
        temporary_password: password,
    })
}

#[tracing::instrument(name = "org::users::update", skip_all, fields(actor = %actor.username, id))]
pub async fn update(ctx: &Ctx, actor: &Actor, id: i64, input: &UserInput) -> Result<()> {
    actor.require(Permission::ManageUsers)?;
    let before = get(ctx, actor, id).await?;
    let mut check = Check::new();
    let checked = check_input(ctx, input, &mut check).await?;
    if actor.user_id == Some(id) {
        if input.disabled {
            check.add("disabled", "不能停用自己的账号");
        }
        if checked.as_ref().is_some_and(|k| k.role != Role::Admin) {
            check.add("role", "不能取消自己的管理员角色");
        }
    }
    check.finish()?;
    let Some(k) = checked else {
        return Err(Error::internal(
            "a checked value went missing after validation",
        ));
    };
    let now = ctx.now_ms();
    let mut tx = ctx.begin().await?;
    app::store::users::update(
        &mut tx,
        id,
        &UserUpdate {
            display_name: k.display_name,
            role: k.role.code().into(),
            data_scope: k.scope.code().into(),
            congress_id: k.congress_id,
            office: k.office,
            unit_id: k.unit_id,
            deputy_id: k.deputy_id,
            disabled: input.disabled,
            totp_required: input.totp_required,
        },
        now,
    )
    .await?;
    app::store::users::set_email(&mut tx, id, k.email.as_deref()).await?;
    if input.disabled || before.role != k.role.code() || before.data_scope != k.scope.code() {
        // A changed role or scope takes effect at once: open sessions end.
        app::store::sessions::delete_for_user(&mut tx, id, None).await?;
    }
    let mut changes = Vec::new();
    if before.role != k.role.code() {
        changes.push(format!("角色 {} → {}", before.role, k.role.code()));
    }
    if before.data_scope != k.scope.code() {
        changes.push(format!(
            "数据范围 {} → {}",
            before.data_scope,
            k.scope.code()
        ));
    }
    if (before.disabled == 1) != input.disabled {
        changes.push(if input.disabled {
            "停用".into()
        } else {
            "启用".to_string()
        });
    }
    if (before.totp_required == 1) != input.totp_required {
        changes.push(format!("要求动态口令 {}", input.totp_required));
    }
    if changes.is_empty() {
        changes.push("修改基本信息".into());
    }
    app::audit::record(
        &mut tx,
        actor,
        "user.update",
        "user",
        id,
        format!("{}：{}", before.username, changes.join("；")),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[tracing::instrument(name = "org::users::get", skip_all, fields(actor = %actor.username, id))]
pub async fn get(ctx: &Ctx, actor: &Actor, id: i64) -> Result<UserRow> {
    actor.require(Permission::ManageUsers)?;
    let mut c = ctx.db.read().await?;
    app::store::users::get(&mut c, id)
        .await?
        .ok_or(Error::NotFound("账号"))
}

#[tracing::instrument(name = "org::users::list", skip_all, fields(actor = %actor.username))]
pub async fn list(
    ctx: &Ctx,
    actor: &Actor,
    filter: &UserFilter,
    page: Page,
) -> Result<Paged<UserRow>> {
    actor.require(Permission::ManageUsers)?;
    let mut c = ctx.db.read().await?;
    Ok(app::store::users::list(&mut c, filter, page).await?)
}

/// Resets a password to a new temporary one, to be changed at next login;
/// the account is unlocked and its sessions end.
#[tracing::instrument(name = "org::users::reset_password", skip_all, fields(actor = %actor.username, id))]
pub async fn reset_password(ctx: &Ctx, actor: &Actor, id: i64) -> Result<String> {
    actor.require(Permission::ManageUsers)?;
    let user = get(ctx, actor, id).await?;
    let password = temporary_password();
    let now = ctx.now_ms();
    let mut tx = ctx.begin().await?;
    app::store::users::set_password(
        &mut tx,
        id,
        &app::auth::hash_password(ctx, &password).await?,
        true,
        now,
    )
    .await?;
    app::store::sessions::delete_for_user(&mut tx, id, None).await?;
    app::audit::record(
        &mut tx,
        actor,
        "user.reset_password",
        "user",
        id,
        format!("重置 {} 的密码", user.username),
    )
    .await?;
    tx.commit().await?;
    Ok(password)
}

#[tracing::instrument(name = "org::users::unlock", skip_all, fields(actor = %actor.username, id))]
pub async fn unlock(ctx: &Ctx, actor: &Actor, id: i64) -> Result<()> {
    actor.require(Permission::ManageUsers)?;
    let user = get(ctx, actor, id).await?;
    let mut tx = ctx.begin().await?;
    app::store::users::unlock(&mut tx, id, ctx.now_ms()).await?;
    app::audit::record(
        &mut tx,
        actor,
        "user.unlock",
        "user",
        id,
        format!("解锁 {}", user.username),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a second factor (a lost phone); the user enrols again if required.
#[tracing::instrument(name = "org::users::reset_totp", skip_all, fields(actor = %actor.username, id))]
pub async fn reset_totp(ctx: &Ctx, actor: &Actor, id: i64) -> Result<()> {
    actor.require(Permission::ManageUsers)?;
    let user = get(ctx, actor, id).await?;
    let mut tx = ctx.begin().await?;
    app::store::users::set_totp(&mut tx, id, None, false, ctx.now_ms()).await?;
    app::store::sessions::delete_for_user(&mut tx, id, None).await?;
    app::audit::record(
        &mut tx,
        actor,
        "user.reset_totp",
        "user",
        id,
        format!("解除 {} 的动态口令", user.username),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The first administrator, from the command line. Refused when the username
/// exists; the password must meet the policy and is changed at first login.
pub async fn create_admin(
    ctx: &Ctx,
    username: &str,
    display_name: &str,
    password: &str,
) -> Result<i64> {
    let username = username.trim();
    kernel::password::check_username(username).map_err(|m| Error::field("username", m))?;
    kernel::password::check_password_policy(username, password)
        .map_err(|m| Error::field("password", m))?;
    let actor = Actor::system("admin-create");
    let mut tx = ctx.begin().await?;
    if app::store::users::by_username(&mut tx, username)
        .await?
        .is_some()
    {
        return Err(Error::field("username", "该用户名已存在"));
    }
    let id = app::store::users::insert(
        &mut tx,
        &NewUser {
            username: username.into(),
            display_name: display_name.trim().into(),
            password_hash: app::auth::hash_password(ctx, password).await?,
            role: Role::Admin.code().into(),
            data_scope: DataScope::All.code().into(),
            congress_id: None,
            office: None,
            unit_id: None,
            deputy_id: None,
            must_change_password: true,
            is_demo: false,
        },
        ctx.now_ms(),
    )
    .await?;
    app::audit::record(
        &mut tx,
        &actor,
        "user.create",
        "user",
        id,
        format!("命令行创建管理员 {username}"),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}
