//! The OpenAPI document of `/api/`, generated from the handlers' annotations.

use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

use crate::api;

#[derive(OpenApi)]
#[openapi(
    info(title = "renda API", description = "人大履职平台接口。认证：在请求头携带 `Authorization: Bearer <API 令牌>`；或先 `POST /api/session` 登录，之后每个修改数据的请求携带 `X-CSRF-Token`。错误统一为 `{code, message, fields}`。"),
    paths(
        api::session::login, api::session::me, api::session::logout,
        api::org::list_regions, api::org::create_region, api::org::get_region, api::org::rename_region,
        api::org::list_congresses, api::org::create_congress, api::org::get_congress, api::org::create_term, api::org::create_session,
        api::units::list, api::units::create, api::units::get_one, api::units::update, api::units::export, api::units::import_preview, api::units::import_confirm,
        api::deputies::list, api::deputies::create, api::deputies::get_one, api::deputies::reveal, api::deputies::update,
        api::deputies::terminate, api::deputies::export, api::deputies::import_preview, api::deputies::import_confirm,
        api::admin::list_users, api::admin::create_user, api::admin::get_user, api::admin::update_user, api::admin::reset_password,
        api::admin::unlock_user, api::admin::list_tokens, api::admin::create_token, api::admin::revoke_token,
        api::admin::get_settings, api::admin::put_settings, api::admin::audit, api::admin::verify, api::admin::logins,
        api::calendar::years, api::calendar::add_year, api::calendar::delete_year, api::calendar::deadline,
        api::suggestions::list, api::suggestions::create, api::suggestions::get_one, api::suggestions::update,
        api::suggestions::invite, api::suggestions::cosign, api::suggestions::submit, api::suggestions::withdraw,
        api::suggestions::attach, api::suggestions::accept, api::suggestions::accept_many, api::suggestions::return_for_revision, api::suggestions::refuse,
        api::suggestions::merge, api::suggestions::category, api::suggestions::convert, api::suggestions::supervision,
        api::suggestions::assign, api::suggestions::evaluate, api::suggestions::publication, api::suggestions::confidential,
        api::suggestions::unit_return, api::suggestions::reassign, api::suggestions::extend, api::suggestions::contact,
        api::suggestions::opinion, api::suggestions::reply, api::suggestions::reply_attach, api::suggestions::signoff,
        api::suggestions::fulfil, api::suggestions::queue, api::suggestions::invitations, api::suggestions::notifications,
        api::suggestions::read, api::suggestions::public_list, api::suggestions::public_one, api::suggestions::attachment,
        api::suggestions::get_options, api::suggestions::put_options, api::suggestions::stats,
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
