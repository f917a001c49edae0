//! The meetings' part of the home page: the meetings coming up (for a
//! deputy, those they sit on or are invited to), and a reminder on the day.

use app::{Actor, Ctx, Result};
use kernel::roles::{Permission, Role};
use webkit::capability::{Alert, Figure, Home};

use crate::store::{self, Filter};

#[tracing::instrument(name = "meetings::home", skip_all, fields(actor = %actor.username))]
pub async fn home(ctx: &Ctx, actor: &Actor) -> Result<Home> {
    let mut home = Home::default();
    if !actor.can(Permission::ViewMeetings) {
        return Ok(home);
    }
    let mut c = ctx.db.read().await?;
    let today = ctx.today().to_string();
    let mut f = Filter {
        from: Some(today.clone()),
        state: Some("notified".into()),
        ..Filter::default()
    };
    if actor.role == Role::Deputy {
        f.deputy = Some(actor.deputy_id.unwrap_or(-1));
    } else {
        f.congresses = org::scope::visible_congresses(&mut c, actor).await?;
    }
    let coming = store::list(&mut c, &f, db::Page::new(Some(1), Some(5)), true).await?;
    for m in &coming.items {
        let when = format!("{} {}", m.meeting_date, m.start_time);
        let (before, after) = if m.meeting_date == today {
            (
                "今天召开：".to_string(),
                if actor.role == Role::Deputy {
                    "，请到会场入口扫码签到。".to_string()
                } else {
                    format!("（{}，{}）。", when.trim(), m.place)
                },
            )
        } else {
            (
                "即将召开：".to_string(),
                format!("（{}，{}）。", when.trim(), m.place),
            )
        };
        home.alerts.push(Alert {
            before,
            link_label: m.title.clone(),
            href: format!("/meetings/{}", m.id),
            after,
        });
    }
    if actor.role != Role::Deputy {
        home.figures.push(Figure {
            order: 60,
            label: "已通知待召开的会议",
            value: coming.total,
            href: "/meetings?state=notified".into(),
        });
    }
    Ok(home)
}
