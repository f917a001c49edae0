//! The login log and the audit trail, for administrators.

use app::store::login_log::{LoginFilter, LoginRow};
use db::audit::{AuditFilter, AuditRow, Broken};
use db::{Page, Paged};
use kernel::roles::Permission;
use office::xlsx::Value;

use app::actor::Actor;
use app::ctx::Ctx;
use app::error::Result;

pub fn outcome_label(o: &str) -> &'static str {
    match o {
        "success" => "成功",
        "password_ok" => "密码正确，待动态口令",
        "bad_password" => "密码错误",
        "unknown_user" => "用户不存在",
        "locked" => "账号已锁定",
        "disabled" => "账号已停用",
        "rate_limited" => "请求过于频繁",
        "totp_failed" => "动态口令错误",
        _ => "其他",
    }
}

#[tracing::instrument(name = "org::logs::logins", skip_all, fields(actor = %actor.username))]
pub async fn logins(
    ctx: &Ctx,
    actor: &Actor,
    f: &LoginFilter,
    page: Page,
) -> Result<Paged<LoginRow>> {
    actor.require(Permission::ViewLoginLog)?;
    let mut c = ctx.db.read().await?;
    Ok(app::store::login_log::list(&mut c, f, page).await?)
}

#[tracing::instrument(name = "org::logs::audit", skip_all, fields(actor = %actor.username))]
pub async fn audit(
    ctx: &Ctx,
    actor: &Actor,
    f: &AuditFilter,
    page: Page,
) -> Result<Paged<AuditRow>> {
    actor.require(Permission::ViewAuditTrail)?;
    let mut c = ctx.db.read().await?;
    Ok(db::audit::list(&mut c, f, page).await?)
}

#[tracing::instrument(name = "org::logs::audit_actions", skip_all, fields(actor = %actor.username))]
pub async fn audit_actions(ctx: &Ctx, actor: &Actor) -> Result<Vec<String>> {
    actor.require(Permission::ViewAuditTrail)?;
    let mut c = ctx.db.read().await?;
    Ok(db::audit::actions(&mut c).await?)
}

/// Walks the whole chain.
#[tracing::instrument(name = "org::logs::verify", skip_all, fields(actor = %actor.username))]
pub async fn verify(ctx: &Ctx, actor: &Actor) -> Result<std::result::Result<i64, Broken>> {
    actor.require(Permission::ViewAuditTrail)?;
    let mut c = ctx.db.read().await?;
    let key = ctx.key.chain_key();
    Ok(db::audit::verify(&mut c, &key, &[]).await?.brief())
}

/// Most rows in one export of a log.
const MAX_EXPORT: i64 = 100_000;

#[tracing::instrument(name = "org::logs::export_logins", skip_all, fields(actor = %actor.username))]
pub async fn export_logins(ctx: &Ctx, actor: &Actor, f: &LoginFilter) -> Result<Vec<u8>> {
    actor.require(Permission::ViewLoginLog)?;
    let cols = [
        ("时间", 20.0),
        ("用户名", 16.0),
        ("IP", 16.0),
        ("结果", 18.0),
        ("浏览器", 60.0),
    ];
    let cols: Vec<office::xlsx::Column> = cols
        .iter()
        .map(|(h, w)| office::xlsx::Column {
            header: h,
            width: *w,
        })
        .collect();
    let title = format!(
        "登录日志（导出时间 {}）",
        kernel::time::format_minute(ctx.now_ms())
    );
    let mut w = office::xlsx::SheetWriter::titled("登录日志", &title, &cols)?;
    let mut c = ctx.db.read().await?;
    let mut page = 1;
    loop {
        let p =
            app::store::login_log::list(&mut c, f, Page::new(Some(page), Some(Page::MAX_PER_PAGE)))
                .await?;
        for r in &p.items {
            w.push(&[
                kernel::time::format_ms(r.at),
                r.username.clone(),
                r.ip.clone(),
                outcome_label(&r.outcome).into(),
                r.user_agent.clone(),
            ])?;
        }
        if p.items.len() < Page::MAX_PER_PAGE as usize || page * Page::MAX_PER_PAGE >= MAX_EXPORT {
            break;
        }
        page += 1;
    }
    Ok(w.finish()?)
}

#[tracing::instrument(name = "org::logs::export_audit", skip_all, fields(actor = %actor.username))]
/// `names` gives an action code's and an entity's Chinese name (each
/// capability's words, which the web layer holds).
pub async fn export_audit(
    ctx: &Ctx,
    actor: &Actor,
    f: &AuditFilter,
    names: &(dyn Fn(&str) -> Option<&'static str> + Sync),
) -> Result<Vec<u8>> {
    actor.require(Permission::ViewAuditTrail)?;
    let cols = [
        ("序号", 8.0),
        ("时间", 20.0),
        ("操作人", 16.0),
        ("角色", 14.0),
        ("操作", 22.0),
        ("对象", 16.0),
        ("对象编号", 10.0),
        ("摘要", 60.0),
        ("IP", 16.0),
        ("SM3 哈希", 66.0),
    ];
    let cols: Vec<office::xlsx::Column> = cols
        .iter()
        .map(|(h, w)| office::xlsx::Column {
            header: h,
            width: *w,
        })
        .collect();
    let title = format!(
        "操作日志（导出时间 {}）",
        kernel::time::format_minute(ctx.now_ms())
    );
    let mut w = office::xlsx::SheetWriter::titled("操作日志", &title, &cols)?;
    let mut c = ctx.db.read().await?;
    let mut page = 1;
    loop {
        let p = db::audit::list(&mut c, f, Page::new(Some(page), Some(Page::MAX_PER_PAGE))).await?;
        for r in &p.items {
            let named = |code: &str| names(code).map_or_else(|| code.to_string(), str::to_string);
            w.push_values(&[
                Value::Int(r.seq),
                kernel::time::format_ms(r.at).into(),
                r.actor_name.clone().into(),
                kernel::roles::Role::parse(&r.role)
                    .map(|x| x.label())
                    .unwrap_or("")
                    .into(),
                named(&r.action).into(),
                named(&r.entity).into(),
                r.entity_id.clone().into(),
                r.summary.clone().into(),
                r.ip.clone().into(),
                r.hash.clone().into(),
            ])?;
        }
        if p.items.len() < Page::MAX_PER_PAGE as usize || page * Page::MAX_PER_PAGE >= MAX_EXPORT {
            break;
        }
        page += 1;
    }
    Ok(w.finish()?)
}
