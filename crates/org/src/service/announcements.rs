//! 通知公告: staff post a notice to the roles it concerns (deputies, units,
//! leaders…); it shows on their home page until withdrawn. A notice reaches
//! the poster's congress (an administrator's reaches every congress); a
//! deputy reads those of the congresses they hold a mandate in.

use crate::store::announcements::{AnnouncementFilter, AnnouncementRow, NewAnnouncement};
use db::{Page, Paged};
use kernel::roles::{Permission, Role};
use serde::Deserialize;

use app::actor::Actor;
use app::ctx::Ctx;
use app::error::{Error, Result};
use app::validate::Check;

pub const TITLE_MAX: usize = 60;
pub const BODY_MAX: usize = 2000;

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct AnnouncementInput {
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 60)]
    pub title: String,
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 2000)]
    pub body: String,
    /// Role codes of its readers (`deputy`, `unit_handler`…); at least one.
    #[serde(default)]
    pub audience: Vec<String>,
}

/// Posts a notice; returns its id.
#[tracing::instrument(name = "org::announcements::post", skip_all, fields(actor = %actor.username))]
pub async fn post(ctx: &Ctx, actor: &Actor, input: &AnnouncementInput) -> Result<i64> {
    actor.require(Permission::PostAnnouncements)?;
    let mut check = Check::new();
    let title = check.text("title", "标题", &input.title, TITLE_MAX);
    let body = check.text("body", "正文", &input.body, BODY_MAX);
    let mut roles: Vec<Role> = Vec::new();
    for code in &input.audience {
        match Role::parse(code.trim()) {
            Some(r) if !roles.contains(&r) => roles.push(r),
            Some(_) => {}
            None => check.add("audience", format!("没有「{code}」这种角色")),
        }
    }
    if input.audience.is_empty() {
        check.add("audience", "请选择发给哪些人");
    }
    check.finish()?;
    // In the order of the role list, whatever order they were ticked in.
    let audience: String = Role::ALL
        .iter()
        .filter(|r| roles.contains(r))
        .fold(",".to_string(), |acc, r| format!("{acc}{},", r.code()));
    let mut tx = ctx.begin().await?;
    let congress_id = crate::scope::own_congress(&mut tx, actor).await?;
    let id = crate::store::announcements::insert(
        &mut tx,
        &NewAnnouncement {
            title: &title,
            body: &body,
            audience: &audience,
            congress_id,
            posted_by: actor.user_id.unwrap_or(0),
            posted_by_name: &actor.display_name,
            posted_at: ctx.now_ms(),
        },
    )
    .await?;
    let readers: Vec<&str> = roles.iter().map(|r| r.label()).collect();
    app::audit::record(
        &mut tx,
        actor,
        "announcement.post",
        "announcement",
        id,
        format!("发布通知公告「{title}」，发给{}", readers.join("、")),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Withdraws a notice: it leaves its readers' home pages and stays listed
/// for staff as 已撤回.
#[tracing::instrument(name = "org::announcements::withdraw", skip_all, fields(actor = %actor.username, id))]
pub async fn withdraw(ctx: &Ctx, actor: &Actor, id: i64) -> Result<()> {
    actor.require(Permission::PostAnnouncements)?;
    let mut tx = ctx.begin().await?;
    let a = managed(&mut tx, actor, id).await?;
    if crate::store::announcements::withdraw(&mut tx, id, ctx.now_ms()).await? == 0 {
        return Err(Error::Conflict("该通知公告已撤回".into()));
    }
    app::audit::record(
        &mut tx,
        actor,
        "announcement.withdraw",
        "announcement",
        id,
        format!("撤回通知公告「{}」", a.title),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A notice of a congress the actor manages (else "not found", as for a forged id).
async fn managed(conn: &mut db::Conn, actor: &Actor, id: i64) -> Result<AnnouncementRow> {
    let a = crate::store::announcements::get(conn, id)
        .await?
        .ok_or(Error::NotFound("通知公告"))?;
    let visible = crate::scope::visible_congresses(conn, actor).await?;
    match (visible, a.congress_id) {
        (None, _) => Ok(a),
        (Some(ids), Some(c)) if ids.contains(&c) => Ok(a),
        _ => Err(Error::NotFound("通知公告")),
    }
}

/// Every notice of the staff member's congresses, withdrawn ones included.
#[tracing::instrument(name = "org::announcements::manage_list", skip_all, fields(actor = %actor.username))]
pub async fn manage_list(ctx: &Ctx, actor: &Actor, page: Page) -> Result<Paged<AnnouncementRow>> {
    actor.require(Permission::PostAnnouncements)?;
    let mut c = ctx.db.read().await?;
    let f = AnnouncementFilter {
        congress_ids: crate::scope::visible_congresses(&mut c, actor).await?,
        ..Default::default()
    };
    Ok(crate::store::announcements::list(&mut c, &f, page).await?)
}

async fn reader_filter(conn: &mut db::Conn, actor: &Actor) -> Result<AnnouncementFilter> {
    Ok(AnnouncementFilter {
        role: Some(actor.role.code().to_string()),
        congress_ids: crate::scope::visible_congresses(conn, actor).await?,
        deputy_id: actor.deputy_id.filter(|_| actor.role == Role::Deputy),
        current_only: true,
    })
}

/// The notices addressed to the actor, newest first.
#[tracing::instrument(name = "org::announcements::for_me", skip_all, fields(actor = %actor.username))]
pub async fn for_me(ctx: &Ctx, actor: &Actor, page: Page) -> Result<Paged<AnnouncementRow>> {
    let mut c = ctx.db.read().await?;
    let f = reader_filter(&mut c, actor).await?;
    Ok(crate::store::announcements::list(&mut c, &f, page).await?)
}

/// One notice, to a reader it is addressed to or to staff who manage it.
#[tracing::instrument(name = "org::announcements::get", skip_all, fields(actor = %actor.username, id))]
pub async fn get(ctx: &Ctx, actor: &Actor, id: i64) -> Result<AnnouncementRow> {
    let mut c = ctx.db.read().await?;
    if actor.can(Permission::PostAnnouncements) {
        return managed(&mut c, actor, id).await;
    }
    let a = crate::store::announcements::get(&mut c, id)
        .await?
        .ok_or(Error::NotFound("通知公告"))?;
    let mine = a.withdrawn_at.is_none() && a.roles().any(|r| r == actor.role.code());
    let visible = match (
        crate::scope::visible_congresses(&mut c, actor).await?,
        a.congress_id,
    ) {
        (None, _) | (_, None) => true,
        (Some(ids), Some(cid)) => {
            ids.contains(&cid)
                || match actor.deputy_id.filter(|_| actor.role == Role::Deputy) {
                    Some(d) => crate::store::deputies::serves_in(&mut c, d, cid).await?,
                    None => false,
                }
        }
    };
    if mine && visible {
        Ok(a)
    } else {
        Err(Error::NotFound("通知公告"))
    }
}
