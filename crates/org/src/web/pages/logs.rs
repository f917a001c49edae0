//! The audit trail and the login log, for administrators.

use app::store::login_log::{LoginFilter, LoginRow};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use db::Page;
use db::audit::{AuditFilter, AuditRow};
use serde::Deserialize;
use webkit::extract::Query;

use webkit::auth::{Me, MeSession};
use webkit::error::AppResult;
use webkit::pages::{XLSX, download};
use webkit::view::{Layout, Pager, query_string, render, ts};
use webkit::{AppState, Pages};

#[derive(Deserialize, Default)]
struct AuditQuery {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    entity: String,
    #[serde(default)]
    entity_id: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    page: Option<i64>,
}

fn day_bounds(from: &str, to: &str) -> (Option<i64>, Option<i64>) {
    let start = kernel::calendar::parse_date(from)
        .ok()
        .map(kernel::time::start_of_day_ms);
    let end = kernel::calendar::parse_date(to)
        .ok()
        .and_then(|d| d.tomorrow().ok())
        .map(kernel::time::start_of_day_ms);
    (start, end)
}

impl AuditQuery {
    fn filter(&self) -> AuditFilter {
        let some = |s: &str| Some(s.trim().to_string()).filter(|x| !x.is_empty());
        let (from_ms, to_ms) = day_bounds(&self.from, &self.to);
        AuditFilter {
            actor: some(&self.actor),
            action: some(&self.action),
            entity: some(&self.entity),
            entity_id: some(&self.entity_id),
            from_ms,
            to_ms,
        }
    }
    fn query(&self) -> String {
        query_string(&[
            ("actor", self.actor.clone()),
            ("action", self.action.clone()),
            ("entity", self.entity.clone()),
            ("entity_id", self.entity_id.clone()),
            ("from", self.from.clone()),
            ("to", self.to.clone()),
        ])
    }
}

pub struct AuditLine {
    pub r: AuditRow,
    pub at: String,
    pub role_label: &'static str,
    /// The action's name (its code when no capability names it).
    pub action: String,
    /// The record as its users know it, and its page (may be empty).
    pub object: String,
    pub href: String,
}

/// An option of the log's action or object filter: code and name.
pub struct Choice {
    pub code: String,
    pub label: String,
}

/// Every capability's words for the log.
fn terms(st: &AppState) -> Vec<webkit::capability::AuditTerms> {
    st.capabilities
        .iter()
        .flat_map(|c| c.audit_terms())
        .collect()
}

fn name_of(
    terms: &[webkit::capability::AuditTerms],
    pick: fn(&webkit::capability::AuditTerms) -> &'static [(&'static str, &'static str)],
    code: &str,
) -> Option<&'static str> {
    terms
        .iter()
        .flat_map(|t| pick(t).iter())
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    layout: Layout,
    rows: Vec<AuditLine>,
    pager: Pager,
    q: AuditQuery,
    actions: Vec<Choice>,
    entities: Vec<Choice>,
    export_query: String,
    verify: String,
    verify_ok: bool,
}

async fn audit_page(
    st: &AppState,
    s: &webkit::auth::Session,
    actor: &app::Actor,
    q: AuditQuery,
    verify: String,
    verify_ok: bool,
) -> AppResult<Response> {
    let page =
        crate::service::logs::audit(&st.ctx, actor, &q.filter(), Page::new(q.page, Some(50)))
            .await?;
    let pager = Pager::new(&page, "/admin/audit", &q.query());
    let terms = terms(st);
    let refs: Vec<(String, String)> = page
        .items
        .iter()
        .map(|r| (r.entity.clone(), r.entity_id.clone()))
        .collect();
    let mut objects = Vec::new();
    for c in st.capabilities.iter() {
        objects.extend(c.audit_objects(&st.ctx, &refs).await?);
    }
    let rows = page
        .items
        .into_iter()
        .map(|r| {
            let known = objects
                .iter()
                .find(|o| o.entity == r.entity && o.id == r.entity_id);
            let noun = name_of(&terms, |t| t.entities, &r.entity).unwrap_or(&r.entity);
            let (object, href) = match known {
                Some(o) => (format!("{noun} {}", o.label), o.href.clone()),
                None if r.entity_id.is_empty() => (noun.to_string(), String::new()),
                None => (format!("{noun} {}", r.entity_id), String::new()),
            };
            AuditLine {
                at: ts(r.at),
                role_label: kernel::roles::Role::parse(&r.role)
                    .map(|x| x.label())
                    .unwrap_or(""),
                action: name_of(&terms, |t| t.actions, &r.action)
                    .map(str::to_string)
                    .unwrap_or_else(|| r.action.clone()),
                object,
                href,
                r,
            }
        })
        .collect();
    let actions = crate::service::logs::audit_actions(&st.ctx, actor)
        .await?
        .into_iter()
        .map(|code| Choice {
            label: name_of(&terms, |t| t.actions, &code)
                .map(str::to_string)
                .unwrap_or_else(|| code.clone()),
            code,
        })
        .collect();
    let mut entities: Vec<Choice> = Vec::new();
    for t in &terms {
        for (code, label) in t.entities {
            if !entities.iter().any(|c| c.code == *code) {
                entities.push(Choice {
                    code: code.to_string(),
                    label: label.to_string(),
                });
            }
        }
    }
    render(&AuditPage {
        layout: Layout::new("操作日志", s, "audit"),
        rows,
        pager,
        export_query: q.query(),
        q,
        actions,
        entities,
        verify,
        verify_ok,
    })
}

async fn audit(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Query(q): Query<AuditQuery>,
) -> AppResult<Response> {
    audit_page(&st, &s, &actor, q, String::new(), false).await
}

async fn verify(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
) -> AppResult<Response> {
    let (msg, ok) = match crate::service::logs::verify(&st.ctx, &actor).await? {
        Ok(n) => (
            format!("校验通过：共 {n} 条记录，哈希链完整，未发现篡改或删除"),
            true,
        ),
        Err(b) => (
            format!("校验失败：{b}。日志可能被篡改或删除，请立即报告安全管理员"),
            false,
        ),
    };
    audit_page(&st, &s, &actor, AuditQuery::default(), msg, ok).await
}

async fn audit_export(
    State(st): State<AppState>,
    Me(actor): Me,
    Query(q): Query<AuditQuery>,
) -> AppResult<Response> {
    let terms = terms(&st);
    let names = |code: &str| {
        name_of(&terms, |t| t.actions, code).or_else(|| name_of(&terms, |t| t.entities, code))
    };
    let bytes = crate::service::logs::export_audit(&st.ctx, &actor, &q.filter(), &names).await?;
    Ok(download(
        bytes,
        &format!("操作日志_{}.xlsx", st.ctx.today()),
        XLSX,
    ))
}

#[derive(Deserialize, Default)]
struct LoginQuery {
    #[serde(default)]
    username: String,
    #[serde(default)]
    ip: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    page: Option<i64>,
}

impl LoginQuery {
    fn filter(&self) -> LoginFilter {
        let some = |s: &str| Some(s.trim().to_string()).filter(|x| !x.is_empty());
        let (from_ms, to_ms) = day_bounds(&self.from, &self.to);
        LoginFilter {
            username: some(&self.username),
            ip: some(&self.ip),
            outcome: some(&self.outcome),
            from_ms,
            to_ms,
        }
    }
    fn query(&self) -> String {
        query_string(&[
            ("username", self.username.clone()),
            ("ip", self.ip.clone()),
            ("outcome", self.outcome.clone()),
            ("from", self.from.clone()),
            ("to", self.to.clone()),
        ])
    }
}

pub struct LoginLine {
    pub r: LoginRow,
    pub at: String,
    pub outcome_label: &'static str,
}

#[derive(Template)]
#[template(path = "logins.html")]
struct LoginsPage {
    layout: Layout,
    rows: Vec<LoginLine>,
    pager: Pager,
    q: LoginQuery,
    outcomes: Vec<(&'static str, &'static str)>,
    export_query: String,
}

async fn logins(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Query(q): Query<LoginQuery>,
) -> AppResult<Response> {
    let page =
        crate::service::logs::logins(&st.ctx, &actor, &q.filter(), Page::new(q.page, Some(50)))
            .await?;
    let pager = Pager::new(&page, "/admin/logins", &q.query());
    let rows = page
        .items
        .into_iter()
        .map(|r| LoginLine {
            at: ts(r.at),
            outcome_label: crate::service::logs::outcome_label(&r.outcome),
            r,
        })
        .collect();
    let outcomes = [
        "success",
        "password_ok",
        "bad_password",
        "unknown_user",
        "locked",
        "disabled",
        "rate_limited",
        "totp_failed",
    ]
    .into_iter()
    .map(|o| (o, crate::service::logs::outcome_label(o)))
    .collect();
    render(&LoginsPage {
        layout: Layout::new("登录日志", &s, "logins"),
        rows,
        pager,
        export_query: q.query(),
        q,
        outcomes,
    })
}

async fn logins_export(
    State(st): State<AppState>,
    Me(actor): Me,
    Query(q): Query<LoginQuery>,
) -> AppResult<Response> {
    let bytes = crate::service::logs::export_logins(&st.ctx, &actor, &q.filter()).await?;
    Ok(download(
        bytes,
        &format!("登录日志_{}.xlsx", st.ctx.today()),
        XLSX,
    ))
}

pub fn router() -> Pages {
    Pages::new()
        .route("/admin/audit", get(audit))
        .route("/admin/audit/verify", post(verify))
        .route("/admin/audit/export", get(audit_export))
        .route("/admin/logins", get(logins))
        .route("/admin/logins/export", get(logins_export))
}
