//! 系统设置: the numeric settings and the local regulation that messages cite.
//! Two forms on one page; a refused form comes back with what was typed and
//! the message next to its field, the other form as stored.

use app::local_rule::{Article, LocalRule};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use webkit::auth::{Me, MeSession, Session};
use webkit::error::{AppError, AppResult};
use webkit::extract::{Kept, Posted};
use webkit::pages::see_other_with;
use webkit::view::{Layout, render_status};
use webkit::{AppState, Pages};

const NUMBERS: &str = "/admin/settings";
const LOCAL: &str = "/admin/settings/local-rule";

pub struct SettingLine {
    pub key: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    pub min: i64,
    pub max: i64,
    pub value: String,
}

impl SettingLine {
    /// A yes/no setting, shown as a switch.
    pub fn is_switch(&self) -> bool {
        self.min == 0 && self.max == 1
    }
}

pub struct ArticleLine {
    pub key: &'static str,
    pub label: &'static str,
    pub value: String,
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    layout: Layout,
    rows: Vec<SettingLine>,
    regulation: String,
    articles: Vec<ArticleLine>,
    kept: Kept,
}

async fn page(
    st: &AppState,
    s: &Session,
    actor: &app::Actor,
    kept: Kept,
    status: StatusCode,
) -> AppResult<Response> {
    actor.require(kernel::roles::Permission::ManageSettings)?;
    let cur = st.ctx.settings().await?;
    let rows = app::settings::DEFS
        .iter()
        .map(|d| SettingLine {
            key: d.key,
            label: d.label,
            help: d.help,
            min: d.min,
            max: d.max,
            value: kept.val(NUMBERS, d.key, &cur.get(d.key).to_string()),
        })
        .collect();
    let articles = Article::ALL
        .iter()
        .map(|a| ArticleLine {
            key: a.key(),
            label: a.label(),
            value: kept.val(LOCAL, a.key(), cur.local.article(*a)),
        })
        .collect();
    render_status(
        status,
        &SettingsPage {
            layout: Layout::new("系统设置", s, "settings"),
            rows,
            regulation: kept.val(LOCAL, "regulation", &cur.local.regulation),
            articles,
            kept,
        },
    )
}

async fn show(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
) -> AppResult<Response> {
    page(&st, &s, &actor, Kept::default(), StatusCode::OK).await
}

fn refusable(e: &app::Error) -> bool {
    matches!(
        e,
        app::Error::Validation(_) | app::Error::BadRequest(_) | app::Error::Conflict(_)
    )
}

async fn save_numbers(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Posted(form, kept): Posted<Vec<(String, String)>>,
) -> AppResult<Response> {
    // A switch posts its hidden 0 and, when on, a 1 after it: the last wins.
    let mut input: Vec<(String, String)> = Vec::new();
    for (k, v) in form {
        if k == webkit::auth::CSRF_FIELD {
            continue;
        }
        match input.iter_mut().find(|(key, _)| *key == k) {
            Some(slot) => slot.1 = v,
            None => input.push((k, v)),
        }
    }
    match app::settings::update(&st.ctx, &actor, &input).await {
        Ok(_) => Ok(see_other_with(NUMBERS, "设置已保存")),
        Err(e) if refusable(&e) => {
            let kept = kept.refused(&e);
            page(&st, &s, &actor, kept, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(AppError(e)),
    }
}

async fn save_local(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Posted(form, kept): Posted<Vec<(String, String)>>,
) -> AppResult<Response> {
    let get = |k: &str| {
        form.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let input = LocalRule {
        regulation: get("regulation"),
        return_article: get(Article::Return.key()),
        opinion_article: get(Article::Opinion.key()),
        extension_article: get(Article::Extension.key()),
        rehandling_article: get(Article::Rehandling.key()),
    };
    match app::local_rule::update(&st.ctx, &actor, &input).await {
        Ok(_) => Ok(see_other_with(
            NUMBERS,
            "本地办理规定已保存，提示信息将引用该规定",
        )),
        Err(e) if refusable(&e) => {
            let kept = kept.refused(&e);
            page(&st, &s, &actor, kept, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(AppError(e)),
    }
}

pub fn router() -> Pages {
    Pages::new()
        .route(NUMBERS, get(show).post(save_numbers))
        .route(LOCAL, post(save_local))
}
