//! The service error: a stable code, a Chinese message, and for validation the
//! field each message belongs to. Internal errors are logged here and shown as
//! a generic message.

use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug)]
pub enum Error {
    Validation(Vec<FieldError>),
    NotFound(&'static str),
    Forbidden,
    Conflict(String),
    Unauthenticated,
    /// The account must change its password before doing anything else.
    PasswordChangeRequired,
    /// The second factor is still to be given or set up.
    SecondFactorRequired,
    AccountLocked {
        minutes: i64,
    },
    /// Too many failed logins from one address; it may try again in `minutes`.
    RateLimited {
        minutes: i64,
    },
    BadRequest(String),
    /// The request's body is over the limit (in KB).
    TooLarge {
        kb: usize,
    },
    /// A fault of the platform, with its cause for the log (never shown).
    Internal(String),
}

pub type Result<T> = std::result::Result<T, Error>;

/// What a user is told of an internal fault.
pub const INTERNAL_MESSAGE: &str = "系统内部错误，请稍后再试；如持续出现请联系管理员";

impl Error {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Error::Validation(vec![FieldError {
            field: field.to_string(),
            message: message.into(),
        }])
    }

    /// An internal fault, logged here with its cause and where it was raised;
    /// the user sees only the generic message.
    #[track_caller]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        let at = std::panic::Location::caller();
        let cause = cause.to_string();
        tracing::error!(%at, %cause, "internal error");
        Error::Internal(cause)
    }

    /// The stable code clients may rely on.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Validation(_) => "validation_failed",
            Error::NotFound(_) => "not_found",
            Error::Forbidden => "forbidden",
            Error::Conflict(_) => "conflict",
            Error::Unauthenticated => "unauthenticated",
            Error::PasswordChangeRequired => "password_change_required",
            Error::SecondFactorRequired => "second_factor_required",
            Error::AccountLocked { .. } => "account_locked",
            Error::RateLimited { .. } => "rate_limited",
            Error::BadRequest(_) => "bad_request",
            Error::TooLarge { .. } => "payload_too_large",
            Error::Internal(_) => "internal_error",
        }
    }

    pub fn message(&self) -> String {
        match self {
            Error::Validation(errs) if errs.len() == 1 => errs[0].message.clone(),
            Error::Validation(errs) => format!("提交的内容有 {} 处需要修改", errs.len()),
            Error::NotFound(what) => format!("{what}不存在或您无权查看"),
            Error::Forbidden => "您没有执行此操作的权限".into(),
            Error::Conflict(m) | Error::BadRequest(m) => m.clone(),
            Error::Unauthenticated => "请先登录".into(),
            Error::PasswordChangeRequired => "请先修改初始密码".into(),
            Error::SecondFactorRequired => "请先完成动态口令验证".into(),
            Error::AccountLocked { minutes } => {
                format!("登录失败次数过多，账号已锁定，请 {minutes} 分钟后再试或联系管理员解锁")
            }
            Error::RateLimited { minutes } => {
                format!("此地址登录失败次数过多，请 {minutes} 分钟后再试")
            }
            Error::TooLarge { kb } => {
                format!("提交的内容超过 {kb} KB 的上限，请缩短后再提交")
            }
            Error::Internal(_) => INTERNAL_MESSAGE.into(),
        }
    }

    pub fn fields(&self) -> &[FieldError] {
        match self {
            Error::Validation(v) => v,
            _ => &[],
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code(), self.message())
    }
}

impl std::error::Error for Error {}

impl From<sqlx::Error> for Error {
    /// Logged where the `?` is (the location is the caller's).
    #[track_caller]
    fn from(e: sqlx::Error) -> Self {
        Error::internal(format!("database: {e}"))
    }
}

impl From<office::xlsx::SheetError> for Error {
    fn from(e: office::xlsx::SheetError) -> Self {
        Error::BadRequest(e.to_string())
    }
}
