//! Administration: accounts and API tokens.

use crate::service::tokens::TokenInput;
use crate::service::users::UserInput;
use crate::store::congresses::CongressRow;
use app::Error;
use app::store::api_tokens::TokenRow;
use app::store::users::{UserFilter, UserRow};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use db::Page;
use kernel::org::Office;
use kernel::roles::{DataScope, Role};
use serde::Deserialize;
use webkit::extract::{Form, Path, Query};

use webkit::auth::{Me, MeSession};
use webkit::error::{AppError, AppResult};
use webkit::pages::see_other;
use webkit::view::{FormErrors, Layout, Pager, opt_ts, query_string, render, render_status};
use webkit::{AppState, Pages};

#[derive(Deserialize, Default)]
struct UserQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    role: String,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    page: Option<i64>,
}

pub struct UserLine {
    pub u: UserRow,
    pub role_label: &'static str,
    pub scope_label: &'static str,
    pub locked: bool,
    pub last_login: String,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    layout: Layout,
    rows: Vec<UserLine>,
    pager: Pager,
    q: UserQuery,
    roles: &'static [Role],
}

async fn users(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Query(q): Query<UserQuery>,
) -> AppResult<Response> {
    let f = UserFilter {
        q: Some(q.q.trim().to_string()).filter(|x| !x.is_empty()),
        role: Role::parse(&q.role).map(|r| r.code().to_string()),
        ..Default::default()
    };
    let page =
        crate::service::users::list(&st.ctx, &actor, &f, Page::new(q.page, Some(30))).await?;
    let pager = Pager::new(
        &page,
        "/admin/users",
        &query_string(&[("q", q.q.clone()), ("role", q.role.clone())]),
    );
    let now = st.ctx.now_ms();
    let rows = page
        .items
        .into_iter()
        .map(|u| UserLine {
            role_label: Role::parse(&u.role).map(|r| r.label()).unwrap_or(""),
            scope_label: DataScope::parse(&u.data_scope)
                .map(|r| r.label())
                .unwrap_or(""),
            locked: u.locked_until.is_some_and(|t| t > now),
            last_login: opt_ts(u.last_login_at),
            u,
        })
        .collect();
    render(&UsersPage {
        layout: Layout::new("账号管理", &s, "users"),
        rows,
        pager,
        q,
        roles: Role::ALL,
    })
}

#[derive(Template)]
#[template(path = "user_form.html")]
struct UserFormPage {
    layout: Layout,
    id: Option<i64>,
    f: UserInput,
    errors: FormErrors,
    roles: &'static [Role],
    scopes: &'static [DataScope],
    offices: &'static [Office],
    congresses: Vec<CongressRow>,
    units: Vec<(i64, String)>,
    /// Shown once after creating or resetting.
    temporary_password: String,
    /// The linked deputy as the picker names them.
    deputy_label: String,
    locked: bool,
    totp_enabled: bool,
}

impl UserFormPage {
    /// Whether the chosen role is one of these (comma-separated codes): the
    /// form shows a field only for the roles it concerns.
    fn role_in(&self, roles: &str) -> bool {
        roles.split(',').any(|r| r == self.f.role)
    }
}

#[expect(clippy::too_many_arguments, reason = "the page's parts")]
async fn user_form(
    st: &AppState,
    s: &webkit::auth::Session,
    actor: &app::Actor,
    id: Option<i64>,
    f: UserInput,
    errors: FormErrors,
    temporary_password: String,
    status: StatusCode,
) -> AppResult<Response> {
    let (locked, totp_enabled) = match id {
        Some(id) => {
            let u = crate::service::users::get(&st.ctx, actor, id).await?;
            (
                u.locked_until.is_some_and(|t| t > st.ctx.now_ms()),
                u.totp_enabled == 1,
            )
        }
        None => (false, false),
    };
    let congresses = crate::service::congresses::list(&st.ctx, actor).await?;
    let units = crate::service::units::names(&st.ctx, actor).await?;
    let deputy_label = match f.deputy_id.filter(|d| *d > 0) {
        Some(d) => crate::service::deputy_accounts::label_of(&st.ctx, actor, d).await?,
        None => String::new(),
    };
    let title = if id.is_some() {
        "修改账号"
    } else {
        "新建账号"
    };
    render_status(
        status,
        &UserFormPage {
            layout: Layout::new(title, s, "users"),
            id,
            f,
            errors,
            roles: Role::ALL,
            scopes: DataScope::ALL,
            offices: Office::ALL,
            congresses,
            units,
            temporary_password,
            deputy_label,
            locked,
            totp_enabled,
        },
    )
}

async fn new_user(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
) -> AppResult<Response> {
    actor.require(kernel::roles::Permission::ManageUsers)?;
    user_form(
        &st,
        &s,
        &actor,
        None,
        UserInput::default(),
        FormErrors::default(),
        String::new(),
        StatusCode::OK,
    )
    .await
}

async fn create_user(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Form(f): Form<UserInput>,
) -> AppResult<Response> {
    match crate::service::users::create(&st.ctx, &actor, &f).await {
        Ok(c) => {
            let u = crate::service::users::get(&st.ctx, &actor, c.id).await?;
            user_form(
                &st,
                &s,
                &actor,
                Some(c.id),
                input_of(&u),
                FormErrors::default(),
                c.temporary_password,
                StatusCode::OK,
            )
            .await
        }
        Err(Error::Validation(v)) => {
            user_form(
                &st,
                &s,
                &actor,
                None,
                f,
                FormErrors(v),
                String::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(AppError(e)),
    }
}

fn input_of(u: &UserRow) -> UserInput {
    UserInput {
        username: u.username.clone(),
        email: u.email.clone().unwrap_or_default(),
        display_name: u.display_name.clone(),
        role: u.role.clone(),
        data_scope: u.data_scope.clone(),
        congress_id: u.congress_id,
        office: u.office.clone(),
        unit_id: u.unit_id,
        deputy_id: u.deputy_id,
        disabled: u.disabled == 1,
        totp_required: u.totp_required == 1,
    }
}

async fn edit_user(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let u = crate::service::users::get(&st.ctx, &actor, id).await?;
    user_form(
        &st,
        &s,
        &actor,
        Some(id),
        input_of(&u),
        FormErrors::default(),
        String::new(),
        StatusCode::OK,
    )
    .await
}

async fn update_user(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
    Form(mut f): Form<UserInput>,
) -> AppResult<Response> {
    let before = crate::service::users::get(&st.ctx, &actor, id).await?;
    f.username = before.username;
    match crate::service::users::update(&st.ctx, &actor, id, &f).await {
        Ok(()) => Ok(see_other(&format!("/admin/users/{id}"))),
        Err(Error::Validation(v)) => {
            user_form(
                &st,
                &s,
                &actor,
                Some(id),
                f,
                FormErrors(v),
                String::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(AppError(e)),
    }
}

async fn reset_password(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let pw = crate::service::users::reset_password(&st.ctx, &actor, id).await?;
    let u = crate::service::users::get(&st.ctx, &actor, id).await?;
    user_form(
        &st,
        &s,
        &actor,
        Some(id),
        input_of(&u),
        FormErrors::default(),
        pw,
        StatusCode::OK,
    )
    .await
}

async fn unlock(
    State(st): State<AppState>,
    Me(actor): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    crate::service::users::unlock(&st.ctx, &actor, id).await?;
    Ok(see_other(&format!("/admin/users/{id}")))
}

async fn reset_totp(
    State(st): State<AppState>,
    Me(actor): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    crate::service::users::reset_totp(&st.ctx, &actor, id).await?;
    Ok(see_other(&format!("/admin/users/{id}")))
}

pub struct TokenLine {
    pub t: TokenRow,
    pub role_label: &'static str,
    pub created: String,
    pub last_used: String,
    pub expires: String,
    pub revoked: bool,
}

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage {
    layout: Layout,
    rows: Vec<TokenLine>,
    f: TokenInput,
    errors: FormErrors,
    roles: Vec<Role>,
    congresses: Vec<CongressRow>,
    units: Vec<(i64, String)>,
    created: String,
}

async fn tokens_page(
    st: &AppState,
    s: &webkit::auth::Session,
    actor: &app::Actor,
    f: TokenInput,
    errors: FormErrors,
    created: String,
    status: StatusCode,
) -> AppResult<Response> {
    let now = st.ctx.now_ms();
    let rows = crate::service::tokens::list(&st.ctx, actor)
        .await?
        .into_iter()
        .map(|t| TokenLine {
            role_label: Role::parse(&t.role).map(|r| r.label()).unwrap_or(""),
            created: webkit::view::ts(t.created_at),
            last_used: opt_ts(t.last_used_at),
            expires: opt_ts(t.expires_at),
            revoked: t.revoked_at.is_some() || t.expires_at.is_some_and(|e| e <= now),
            t,
        })
        .collect();
    let congresses = crate::service::congresses::list(&st.ctx, actor).await?;
    let units = crate::service::units::names(&st.ctx, actor).await?;
    render_status(
        status,
        &TokensPage {
            layout: Layout::new("API 令牌", s, "tokens"),
            rows,
            f,
            errors,
            roles: Role::ALL
                .iter()
                .copied()
                .filter(|r| *r != Role::Deputy)
                .collect(),
            congresses,
            units,
            created,
        },
    )
}

async fn tokens(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
) -> AppResult<Response> {
    tokens_page(
        &st,
        &s,
        &actor,
        TokenInput::default(),
        FormErrors::default(),
        String::new(),
        StatusCode::OK,
    )
    .await
}

async fn create_token(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Form(f): Form<TokenInput>,
) -> AppResult<Response> {
    match crate::service::tokens::create(&st.ctx, &actor, &f).await {
        Ok(c) => {
            tokens_page(
                &st,
                &s,
                &actor,
                TokenInput::default(),
                FormErrors::default(),
                c.token,
                StatusCode::OK,
            )
            .await
        }
        Err(Error::Validation(v)) => {
            tokens_page(
                &st,
                &s,
                &actor,
                f,
                FormErrors(v),
                String::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(AppError(e)),
    }
}

async fn revoke_token(
    State(st): State<AppState>,
    Me(actor): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    crate::service::tokens::revoke(&st.ctx, &actor, id).await?;
    Ok(see_other("/admin/tokens"))
}

pub fn router() -> Pages {
    Pages::new()
        .route("/admin/users", get(users).post(create_user))
        .route("/admin/users/new", get(new_user))
        .route("/admin/users/{id}", get(edit_user).post(update_user))
        .route("/admin/users/{id}/reset-password", post(reset_password))
        .route("/admin/users/{id}/unlock", post(unlock))
        .route("/admin/users/{id}/reset-totp", post(reset_totp))
        .route("/admin/tokens", get(tokens).post(create_token))
        .route("/admin/tokens/{id}/revoke", post(revoke_token))
}
