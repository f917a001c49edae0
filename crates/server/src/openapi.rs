//! The OpenAPI document of `/api/`, generated from the handlers' annotations.

use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

#[derive(OpenApi)]
#[openapi(
    info(title = "renda API", description = "人大履职平台接口。认证：在请求头携带 `Authorization: Bearer <API 令牌>`；或先 `POST /api/session` 登录，之后每个修改数据的请求携带 `X-CSRF-Token`。错误统一为 `{code, message, fields}`。"),
    paths(
        org::web::api::session::login, org::web::api::session::me, org::web::api::session::logout,
        org::web::api::org::list_regions, org::web::api::org::create_region, org::web::api::org::get_region, org::web::api::org::rename_region,
        org::web::api::org::list_congresses, org::web::api::org::create_congress, org::web::api::org::get_congress, org::web::api::org::create_term, org::web::api::org::create_session,
        org::web::api::units::list, org::web::api::units::create, org::web::api::units::get_one, org::web::api::units::update, org::web::api::units::export, org::web::api::units::import_preview, org::web::api::units::import_confirm,
        org::web::api::deputies::list, org::web::api::deputies::create, org::web::api::deputies::get_one, org::web::api::deputies::reveal, org::web::api::deputies::update,
        org::web::api::deputies::terminate, org::web::api::deputies::export, org::web::api::deputies::import_preview, org::web::api::deputies::import_confirm,
        org::web::api::admin::list_users, org::web::api::admin::create_user, org::web::api::admin::get_user, org::web::api::admin::update_user, org::web::api::admin::reset_password,
        org::web::api::admin::unlock_user, org::web::api::admin::list_tokens, org::web::api::admin::create_token, org::web::api::admin::revoke_token,
        org::web::api::admin::get_settings, org::web::api::admin::put_settings, org::web::api::admin::audit, org::web::api::admin::verify, org::web::api::admin::logins,
        org::web::api::calendar::years, org::web::api::calendar::add_year, org::web::api::calendar::delete_year, org::web::api::calendar::deadline,
        suggestions::web::api::list, suggestions::web::api::create, suggestions::web::api::get_one, suggestions::web::api::update,
        suggestions::web::api::invite, suggestions::web::api::cosign, suggestions::web::api::submit, suggestions::web::api::withdraw,
        suggestions::web::api::attach, suggestions::web::api::accept, suggestions::web::api::accept_many, suggestions::web::api::return_for_revision, suggestions::web::api::refuse,
        suggestions::web::api::merge, suggestions::web::api::category, suggestions::web::api::convert, suggestions::web::api::supervision,
        suggestions::web::api::assign, suggestions::web::api::evaluate, suggestions::web::api::publication, suggestions::web::api::confidential,
        engine::web::api::unit_return, engine::web::api::reassign, engine::web::api::extend, engine::web::api::contact,
        engine::web::api::opinion, engine::web::api::reply, engine::web::api::reply_attach, engine::web::api::signoff,
        engine::web::api::fulfil, engine::web::api::evaluate, engine::web::api::queue, suggestions::web::api::invitations, suggestions::web::api::notifications,
        suggestions::web::api::read, suggestions::web::api::public_list, suggestions::web::api::public_one, suggestions::web::api::attachment,
        suggestions::web::api::get_options, suggestions::web::api::put_options, suggestions::web::api::stats,
    ),
    modifiers(&Security),
    tags(
        (name = "session", description = "登录与会话"),
        (name = "organisation", description = "行政区划、人大、届次与会议"),
        (name = "units", description = "承办单位"),
        (name = "deputies", description = "代表名册"),
        (name = "admin", description = "账号、令牌、设置与日志"),
        (name = "calendar", description = "节假日与法定期限"),
        (name = "suggestions", description = "代表议案建议：起草、附议、提交"),
        (name = "review", description = "审核把关：受理、置回、不予立案、并案、重点督办"),
        (name = "assignment", description = "交办、退回、改交、延期、工作队列"),
        (name = "handling", description = "承办：沟通、协办意见、答复、签发、测评、承诺落实、公开"),
        (name = "inbox", description = "站内消息"),
        (name = "public", description = "公开的答复（无需登录）"),
    )
)]
struct ApiDoc;

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
