//! The foundation every capability builds on: regions, congresses with their
//! terms and sessions, handling units, the roster of deputies, accounts and
//! API tokens, the holiday calendar's administration, settings and the logs.
//! Other capabilities read the organisation through this crate ([`scope`],
//! [`store`]); it depends on none of them.

pub mod audit_terms;
pub mod scope;
pub mod service;
pub mod store;
pub mod web;

use std::time::Duration;

use app::{Actor, Ctx};
use futures_util::future::BoxFuture;
use kernel::roles::{Permission, Role};
use utoipa_axum::router::OpenApiRouter;
use webkit::capability::{AuditObject, AuditTerms, Capability, Home, Job, NavItem};
use webkit::{AppState, Pages};

/// The foundation as the server mounts it.
pub struct Org;

impl Capability for Org {
    fn name(&self) -> &'static str {
        "org"
    }

    fn pages(&self) -> Pages {
        web::pages::router()
    }

    fn api(&self) -> OpenApiRouter<AppState> {
        web::api::router()
    }

    fn menu(&self, a: &Actor) -> Vec<NavItem> {
        let mut v = vec![NavItem::new(10, "/", "首页", "home")];
        v.push(NavItem::new(50, "/inbox", "消息", "inbox"));
        let entries: [(u16, Permission, &str, &'static str, &'static str); 12] = [
            (
                60,
                Permission::ViewDeputies,
                "/deputies",
                "代表名册",
                "deputies",
            ),
            (61, Permission::ViewUnits, "/units", "承办单位", "units"),
            (
                62,
                Permission::ViewOrganisation,
                "/congresses",
                "人大与届次",
                "congresses",
            ),
            (
                62,
                Permission::ViewOrganisation,
                "/bodies",
                "常委会与机构",
                "bodies",
            ),
            (
                63,
                Permission::ViewOrganisation,
                "/regions",
                "行政区划",
                "regions",
            ),
            (
                64,
                Permission::ViewCalendar,
                "/calendar",
                "节假日与期限",
                "calendar",
            ),
            (
                65,
                Permission::ManageUsers,
                "/admin/users",
                "账号管理",
                "users",
            ),
            (
                66,
                Permission::ManageApiTokens,
                "/admin/tokens",
                "API 令牌",
                "tokens",
            ),
            (
                67,
                Permission::ViewAuditTrail,
                "/admin/audit",
                "操作日志",
                "audit",
            ),
            (
                68,
                Permission::ViewLoginLog,
                "/admin/logins",
                "登录日志",
                "logins",
            ),
            (
                58,
                Permission::PostAnnouncements,
                "/announcements",
                "通知公告",
                "announcements",
            ),
            (
                70,
                Permission::ManageSettings,
                "/admin/settings",
                "系统设置",
                "settings",
            ),
        ];
        for (order, p, href, label, key) in entries {
            if a.can(p) {
                v.push(NavItem::new(order, href, label, key));
            }
        }
        if a.role == Role::Deputy
            && let Some(d) = a.deputy_id
        {
            v.push(NavItem::new(
                80,
                format!("/deputies/{d}"),
                "我的代表信息",
                "me",
            ));
        }
        v.push(NavItem::new(90, "/account", "账号安全", "account"));
        v
    }

    fn home<'a>(&'a self, ctx: &'a Ctx, actor: &'a Actor) -> BoxFuture<'a, app::Result<Home>> {
        Box::pin(async move {
            Ok(Home {
                figures: service::dashboard::figures(ctx, actor).await?,
                ..Default::default()
            })
        })
    }

    fn audit_terms(&self) -> Vec<AuditTerms> {
        audit_terms::terms()
    }

    fn audit_objects<'a>(
        &'a self,
        ctx: &'a Ctx,
        refs: &'a [(String, String)],
    ) -> BoxFuture<'a, app::Result<Vec<AuditObject>>> {
        Box::pin(audit_terms::objects(ctx, refs))
    }

    fn jobs(&self) -> Vec<Job> {
        vec![
            Job {
                name: "purge idle sessions",
                every: Duration::from_secs(300),
                run: |ctx| {
                    Box::pin(async move {
                        let n = app::auth::purge_idle_sessions(&ctx).await?;
                        Ok(if n > 0 {
                            format!("{n} idle sessions ended")
                        } else {
                            String::new()
                        })
                    })
                },
            },
            Job {
                name: "forget idempotency keys older than a day",
                every: Duration::from_secs(3600),
                run: |ctx| {
                    Box::pin(async move {
                        let n = app::idempotency::purge(&ctx).await?;
                        Ok(if n > 0 {
                            format!("{n} idempotency keys forgotten")
                        } else {
                            String::new()
                        })
                    })
                },
            },
        ]
    }

    fn demo<'a>(&'a self, ctx: &'a Ctx) -> BoxFuture<'a, app::Result<String>> {
        Box::pin(async move {
            let loaded = service::demo::load(ctx).await?;
            Ok(format!(
                "{} 位代表资格，{} 个承办单位",
                loaded.deputies, loaded.units
            ))
        })
    }
}
