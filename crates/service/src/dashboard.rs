//! The home page's figures for each role, counted in SQL.

use domain::org::DeputyStatus;
use domain::roles::{Permission, Role};
use serde::Serialize;
use store::Page;
use store::deputies::MandateFilter;
use store::units::UnitFilter;

use crate::actor::Actor;
use crate::ctx::Ctx;
use crate::error::Result;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Figure {
    pub label: &'static str,
    pub value: i64,
    pub href: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Home {
    pub figures: Vec<Figure>,
    /// The deputy's own record, for deputies.
    pub deputy_id: Option<i64>,
    /// The unit of a unit account.
    pub unit: Option<(i64, String)>,
}

pub async fn home(ctx: &Ctx, actor: &Actor) -> Result<Home> {
    let mut figures = Vec::new();
    let one = Page::new(Some(1), Some(1));
    if actor.can(Permission::ViewDeputies) {
        let f = MandateFilter {
            status: Some(DeputyStatus::InOffice.code().into()),
            ..Default::default()
        };
        let n = crate::deputies::list(ctx, actor, f, one).await?.total;
        figures.push(Figure {
            label: "在任代表（人次）",
            value: n,
            href: "/deputies?status=in_office".into(),
        });
    }
    if actor.can(Permission::ViewUnits) {
        let n = crate::units::list(
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
            label: "承办单位",
            value: n,
            href: "/units".into(),
        });
    }
    if actor.can(Permission::ViewOrganisation) {
        let n = crate::congresses::list(ctx, actor).await?.len() as i64;
        figures.push(Figure {
            label: "人大",
            value: n,
            href: "/congresses".into(),
        });
    }
    if actor.can(Permission::ManageUsers) {
        let mut c = ctx.db.read().await?;
        let n = store::users::count(&mut c).await?;
        figures.push(Figure {
            label: "账号",
            value: n,
            href: "/admin/users".into(),
        });
    }
    let unit = match (actor.role, actor.unit_id) {
        (Role::UnitHandler | Role::UnitHead, Some(u)) => {
            let mut c = ctx.db.read().await?;
            store::units::get(&mut c, u).await?.map(|x| (x.id, x.name))
        }
        _ => None,
    };
    Ok(Home {
        figures,
        deputy_id: actor.deputy_id,
        unit,
    })
}
