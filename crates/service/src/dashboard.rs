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
    /// For administrators and staff: the year a deadline set today may reach
    /// whose holiday arrangement is not entered yet.
    pub calendar_missing: Option<i16>,
}

pub async fn home(ctx: &Ctx, actor: &Actor) -> Result<Home> {
    let mut figures = Vec::new();
    let mut calendar_missing = None;
    let one = Page::new(Some(1), Some(1));
    use crate::suggestions::view::{Queue, list as suggestions, queue};
    use store::suggestions::SuggestionFilter;
    let by_state = |s: &str| SuggestionFilter {
        states: Some(vec![s.to_string()]),
        ..Default::default()
    };
    match actor.role {
        Role::Admin | Role::Staff => {
            let cal = ctx.calendar().await?;
            calendar_missing = domain::tracked::calendar_year_missing(&cal, domain::time::today());
            figures.push(Figure {
                label: "待审核的建议",
                value: suggestions(ctx, actor, by_state("submitted"), one)
                    .await?
                    .total,
                href: "/suggestions?state=submitted".into(),
            });
            figures.push(Figure {
                label: "待交办的建议",
                value: suggestions(ctx, actor, by_state("accepted"), one)
                    .await?
                    .total,
                href: "/suggestions?state=accepted".into(),
            });
            figures.push(Figure {
                label: "超期未答复",
                value: queue(ctx, actor, Queue::Overdue, one).await?.total,
                href: "/work".into(),
            });
        }
        Role::CongressLeader => {
            figures.push(Figure {
                label: "重点督办事项",
                value: queue(ctx, actor, Queue::Key, one).await?.total,
                href: "/work".into(),
            });
            figures.push(Figure {
                label: "超期未答复",
                value: queue(ctx, actor, Queue::Overdue, one).await?.total,
                href: "/work".into(),
            });
        }
        Role::Deputy => {
            figures.push(Figure {
                label: "我的议案建议",
                value: suggestions(ctx, actor, SuggestionFilter::default(), one)
                    .await?
                    .total,
                href: "/suggestions".into(),
            });
            figures.push(Figure {
                label: "待确认的附议邀请",
                value: crate::suggestions::view::invitations(ctx, actor)
                    .await?
                    .len() as i64,
                href: "/suggestions".into(),
            });
        }
        Role::UnitHandler | Role::UnitHead => {
            figures.push(Figure {
                label: "本单位在办事项",
                value: queue(ctx, actor, Queue::Unit, one).await?.total,
                href: "/work".into(),
            });
            figures.push(Figure {
                label: "已超期",
                value: queue(ctx, actor, Queue::Overdue, one).await?.total,
                href: "/work".into(),
            });
            if actor.role == Role::UnitHead {
                figures.push(Figure {
                    label: "待我签发",
                    value: queue(ctx, actor, Queue::Signoff, one).await?.total,
                    href: "/work".into(),
                });
            }
        }
        Role::GovLeader => {
            figures.push(Figure {
                label: "待我签批",
                value: queue(ctx, actor, Queue::Signoff, one).await?.total,
                href: "/work".into(),
            });
        }
    }
    figures.push(Figure {
        label: "未读消息",
        value: crate::inbox::unread(ctx, actor).await?,
        href: "/inbox".into(),
    });
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
        calendar_missing,
    })
}
