//! The OpenAPI document of `/api/`: each capability registers its routes
//! with their annotations (utoipa-axum), so a route cannot be served without
//! its entry; this module holds the document's frame.

use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

#[derive(OpenApi)]
#[openapi(
    info(title = "renda API", description = "人大履职平台接口。认证：在请求头携带 `Authorization: Bearer <API 令牌>`；或先 `POST /api/session` 登录，之后每个修改数据的请求携带 `X-CSRF-Token`。错误统一为 `{code, message, fields}`。修改数据的请求可带 `Idempotency-Key`（1–64 个可见 ASCII 字符，如 UUID；按账号或令牌区分，保留一天）：同一键的重试返回第一次的答复（响应头 `Idempotent-Replayed`），不会重复创建；第一次仍在处理时返回 409 与 `Retry-After`；同一键用于不同请求返回 409。"),
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
        (name = "announcements", description = "通知公告"),
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

/// The document's frame (title, security, tags); the capabilities' routes add the paths.
pub fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The whole OpenAPI document of `/api/`, as the routes register it.
pub fn document() -> utoipa::openapi::OpenApi {
    crate::api().1
}
