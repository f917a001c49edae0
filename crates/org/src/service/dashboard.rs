//! The foundation's part of the home page, counted in SQL.

use crate::store::deputies::MandateFilter;
use crate::store::units::UnitFilter;
use db::Page;
use kernel::org::DeputyStatus;
use kernel::roles::{Permission, Role};
use webkit::capability::Figure;

use app::actor::Actor;
use app::ctx::Ctx;
use app::error::Result;

/// The foundation's figures for the home page: unread messages, the roster,
/// units, congresses and accounts, as far as the actor may see them.
#[tracing::instrument(name = "org::dashboard::figures", skip_all, fields(actor = %actor.username))]
pub async fn figures(ctx: &Ctx, actor: &Actor) -> Result<Vec<Figure>> {
    let mut figures = Vec::new();
    let one = Page::new(Some(1), Some(1));
    figures.push(Figure {
        order: 50,
        label: "未读消息",
        value: app::inbox::unread(ctx, actor).await?,
        href: "/inbox".into(),
    });
    if actor.can(Permission::ViewDeputies) {
        let f = MandateFilter {
            status: Some(DeputyStatus::InOffice.code().into()),
            ..Default::default()
        };
        let n = crate::service::deputies::list(ctx, actor, f, one)
            .await?
            .total;
        figures.push(Figure {
            order: 60,
            label: "在任代表（人次）",
            value: n,
            href: "/deputies?status=in_office".into(),
        });
    }
    if actor.can(Permission::ViewUnits) {
        let n = crate::service::units::list(
            ctx,
            actor,
            &UnitFilter {
                active: Some(true),
                ..Default::default()
            },
            one,
        )
        .await?
        .total;
        figures.push(Figure {
            order: 61,
            label: "承办单位",
            value: n,
            href: "/units".into(),
        });
    }
    if actor.can(Permission::ViewOrganisation) {
        let n = crate::service::congresses::list(ctx, actor).await?.len() as i64;
        figures.push(Figure {
            order: 62,
            label: "人大",
            value: n,
            href: "/congresses".into(),
        });
    }
    if actor.can(Permission::ManageUsers) {
        let mut c = ctx.db.read().await?;
        let n = app::store::users::count(&mut c).await?;
        figures.push(Figure {
            order: 63,
            label: "账号",
            value: n,
            href: "/admin/users".into(),
        });
    }
    Ok(figures)
}

/// The unit of a unit account, for its home page.
#[tracing::instrument(name = "org::dashboard::own_unit", skip_all, fields(actor = %actor.username))]
pub async fn own_unit(ctx: &Ctx, actor: &Actor) -> Result<Option<(i64, String)>> {
    Ok(match (actor.role, actor.unit_id) {
        (Role::UnitHandler | Role::UnitHead, Some(u)) => {
            let mut c = ctx.db.read().await?;
            crate::store::units::get(&mut c, u)
                .await?
                .map(|x| (x.id, x.name))
        }
        _ => None,
    })
}
