//! The suggestion loop's part of each role's home page, counted in SQL.

use app::{Actor, Ctx, Result};
use db::Page;
use engine::rules::ItemState;
use kernel::roles::Role;
use webkit::capability::{Alert, Figure, Home, Lead};

use crate::service::view::{Queue, invitations, list as suggestions, queue};
use crate::store::suggestions::SuggestionFilter;

#[tracing::instrument(name = "suggestions::home::home", skip_all, fields(actor = %actor.username))]
pub async fn home(ctx: &Ctx, actor: &Actor) -> Result<Home> {
    let mut leads = Vec::new();
    let mut figures = Vec::new();
    let mut alerts = Vec::new();
    let one = Page::new(Some(1), Some(1));
    let by_state = |s: &str| SuggestionFilter {
        states: Some(vec![s.to_string()]),
        ..Default::default()
    };
    let mut figure = |label: &'static str, value: i64, href: &str| {
        figures.push(Figure {
            order: 10 + figures.len() as u16,
            label,
            value,
            href: href.into(),
        })
    };
    match actor.role {
        Role::Admin | Role::Staff => {
            let cal = ctx.calendar().await?;
            let settings = ctx.settings().await?;
            if let Some(y) = engine::rules::calendar_year_missing(
                &[&crate::rules::RULES, &crate::rules::MOTION_RULES],
                &cal,
                ctx.today(),
                &|k| settings.get(k),
            ) {
                alerts.push(Alert {
                    before: format!("{y} 年的节假日安排尚未录入：落在该年的期限按《全国年节及纪念日放假办法》第二条、第六条的法定节假日暂定计算，标为「暂定」。国务院办公厅发布该年度安排后，请管理员在"),
                    link_label: "节假日与期限".into(),
                    href: "/calendar".into(),
                    after: "中录入，暂定的期限会重新计算并通知有关单位和代表。".into(),
                });
            }
            let n = suggestions(ctx, actor, by_state("submitted"), one)
                .await?
                .total;
            figure("待审核的建议", n, "/suggestions?state=submitted");
            let n = suggestions(ctx, actor, by_state("accepted"), one)
                .await?
                .total;
            figure("待交办的建议", n, "/suggestions?state=accepted");
            let n = queue(ctx, actor, Queue::Overdue, one).await?.total;
            figure("超期未答复", n, "/work");
        }
        Role::CongressLeader => {
            let n = queue(ctx, actor, Queue::Key, one).await?.total;
            figure("重点督办事项", n, "/work");
            let n = queue(ctx, actor, Queue::Overdue, one).await?.total;
            figure("超期未答复", n, "/work");
        }
        Role::Deputy => {
            leads.push(Lead {
                order: 10,
                label: "提出建议",
                href: "/suggestions/new".into(),
            });
            // Replies wait for the lead deputy's evaluation (co-signers do not rate).
            let f = SuggestionFilter {
                item_state: Some(ItemState::Replied.code().into()),
                led_only: true,
                ..Default::default()
            };
            let n = suggestions(ctx, actor, f, one).await?.total;
            figure("待测评的答复", n, "/suggestions?state=replied&mine=lead");
            let n = invitations(ctx, actor).await?.len() as i64;
            figure("待确认的附议邀请", n, "/suggestions#invitations");
            let n = suggestions(ctx, actor, SuggestionFilter::default(), one)
                .await?
                .total;
            figure("我的议案建议", n, "/suggestions");
        }
        Role::UnitHandler | Role::UnitHead => {
            let n = queue(ctx, actor, Queue::Unit, one).await?.total;
            figure("本单位在办事项", n, "/work");
            let n = queue(ctx, actor, Queue::Overdue, one).await?.total;
            figure("已超期", n, "/work");
            if actor.role == Role::UnitHead {
                let n = queue(ctx, actor, Queue::Signoff, one).await?.total;
                figure("待我签发", n, "/work");
            }
        }
        Role::GovLeader => {
            let n = queue(ctx, actor, Queue::Signoff, one).await?.total;
            figure("待我签批", n, "/work");
        }
    }
    Ok(Home {
        leads,
        figures,
        alerts,
    })
}
