//! Extractors whose refusals are the platform's own: a malformed path, query
//! or form, or a body over the limit, is answered with a Chinese message as
//! a page in the layout, or as `{code, message, fields}` under `/api/` —
//! never with the framework's English text.
//!
//! [`Posted`] also keeps what was submitted, so a form refused by the
//! service comes back filled in as the user left it.

use app::Error;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::AppError;
use crate::view::FormErrors;

/// The message for a body over the limit (the limit in KB).
pub fn too_large() -> Error {
    Error::TooLarge {
        kb: crate::BODY_LIMIT / 1024,
    }
}

/// A path segment that is not what the route takes (`/suggestions/abc`) names
/// nothing: answered as "not found".
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(PathRejection::FailedToDeserializePathParams(_)) => {
                Err(AppError(Error::NotFound("页面或记录")))
            }
            Err(_) => Err(AppError(Error::NotFound("页面或记录"))),
        }
    }
}

/// Query parameters; a malformed one is refused naming the parameter.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Query(v)),
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => {
                Err(AppError(malformed("查询条件", &e.body_text())))
            }
            Err(_) => Err(AppError(Error::BadRequest("查询条件不正确".into()))),
        }
    }
}

/// A form body (`application/x-www-form-urlencoded`).
pub struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let Posted(v, _) = Posted::<T>::from_request(req, state).await?;
        Ok(Form(v))
    }
}

/// A form body and what was submitted, to show the form again as it was.
pub struct Posted<T>(pub T, pub Kept);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Posted<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let action = req.uri().path().to_string();
        let bytes = match axum::body::Bytes::from_request(req, state).await {
            Ok(b) => b,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(AppError(too_large()));
            }
            Err(_) => {
                return Err(AppError(Error::BadRequest(
                    "提交的内容无法读取，请重试".into(),
                )));
            }
        };
        let (value, values) = decode_form::<T>(&bytes).map_err(AppError)?;
        Ok(Posted(
            value,
            Kept {
                action,
                values,
                ..Kept::default()
            },
        ))
    }
}

/// Decodes a form body into its typed fields and the pairs as submitted
/// (without the CSRF token). A body whose percent-decoded bytes are not
/// UTF-8 is refused: decoding it leniently would store replacement
/// characters in place of what the user typed.
pub fn decode_form<T: DeserializeOwned>(bytes: &[u8]) -> Result<(T, Vec<(String, String)>), Error> {
    let not_utf8 = bytes.split(|b| *b == b'&').find_map(|pair| {
        let decoded: Vec<u8> = percent_encoding::percent_decode(pair).collect();
        std::str::from_utf8(&decoded).is_err().then(|| {
            // The field's name as the form names it (decoded, `+` a space).
            let name = pair.split(|b| *b == b'=').next().unwrap_or_default();
            form_urlencoded::parse(name)
                .next()
                .map(|(k, _)| k.into_owned())
                .unwrap_or_default()
        })
    });
    if let Some(name) = not_utf8 {
        return Err(match name.as_str() {
            "" => Error::BadRequest("表单内容不是有效的 UTF-8 文本，请检查后重新提交".into()),
            _ => Error::field(
                &name,
                "内容含有无法识别的字符（不是有效的 UTF-8 文本），请重新输入",
            ),
        });
    }
    let value =
        serde_urlencoded::from_bytes::<T>(bytes).map_err(|e| malformed("表单", &e.to_string()))?;
    let values = form_urlencoded::parse(bytes)
        .filter(|(k, _)| k != crate::auth::CSRF_FIELD)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    Ok((value, values))
}

/// A form's typed fields from its submitted pairs, leaving out `skip` (a
/// repeated field read on its own, such as ticked ids).
pub fn from_pairs<T: DeserializeOwned>(
    pairs: &[(String, String)],
    skip: &[&str],
) -> Result<T, Error> {
    let rest: Vec<&(String, String)> = pairs
        .iter()
        .filter(|(k, _)| !skip.contains(&k.as_str()))
        .collect();
    let encoded = serde_urlencoded::to_string(&rest)
        .map_err(|e| Error::internal(format!("re-encoding a form: {e}")))?;
    serde_urlencoded::from_str(&encoded).map_err(|e| malformed("表单", &e.to_string()))
}

/// The refusal of a malformed form or query: which field, in Chinese. The
/// framework's text is read only for the field's name.
pub fn malformed(what: &str, detail: &str) -> Error {
    Error::BadRequest(match field_named(detail) {
        Some(f) => format!("{what}中“{f}”的值格式不正确，请检查后重新提交"),
        None => format!("{what}内容格式不正确，请检查后重新提交"),
    })
}

/// The field a serde error names: `unknown field `x``, `missing field `x``,
/// or a `x: …` prefix.
fn field_named(detail: &str) -> Option<String> {
    if let Some(i) = detail.find("field `") {
        let rest = &detail[i + 7..];
        return rest.split('`').next().map(str::to_string);
    }
    detail
        .split(": ")
        .skip(1)
        .map(str::trim)
        .find(|p| {
            !p.is_empty()
                && p.chars().all(|c| {
                    c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '[' || c == ']'
                })
        })
        .map(str::to_string)
}

/// A submitted form, with the refusal to show in it: the values as typed
/// (looked up by field name) and the message of each field.
#[derive(Default, Clone, Debug)]
pub struct Kept {
    /// The path the form posted to: which of a page's forms this was.
    pub action: String,
    pub values: Vec<(String, String)>,
    pub errors: FormErrors,
    /// The refusal's message when it names no field of the form.
    pub message: String,
}

impl Kept {
    /// The refusal of `e` kept with what was typed.
    pub fn refused(mut self, e: &Error) -> Kept {
        self.errors = FormErrors(e.fields().to_vec());
        self.message = e.message();
        self
    }

    /// Whether this is the form posted to `action`.
    pub fn is(&self, action: &str) -> bool {
        !self.action.is_empty() && self.action == action
    }

    /// The typed value of `field` of the form at `action`, or `default`.
    pub fn val(&self, action: &str, field: &str, default: &str) -> String {
        if self.is(action) {
            self.values
                .iter()
                .find(|(k, _)| k == field)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        } else {
            default.to_string()
        }
    }

    /// Whether `value` was among those chosen for `field` (a select, a
    /// checkbox), or `default` when this is not the form posted.
    pub fn chose(&self, action: &str, field: &str, value: &str, default: bool) -> bool {
        if self.is(action) {
            self.values.iter().any(|(k, v)| k == field && v == value)
        } else {
            default
        }
    }

    /// The message of `field` of the form at `action`.
    pub fn err(&self, action: &str, field: &str) -> String {
        if self.is(action) {
            self.errors.get(field)
        } else {
            String::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_field_of_a_serde_error() {
        assert_eq!(
            field_named("missing field `title`").as_deref(),
            Some("title")
        );
        assert_eq!(
            field_named("Failed to deserialize query string: page: invalid digit").as_deref(),
            Some("page")
        );
        assert_eq!(field_named("invalid type: map, expected a string"), None);
    }

    #[test]
    fn a_form_that_is_not_utf8_is_refused_not_mangled() {
        #[derive(serde::Deserialize, Debug)]
        struct F {
            title: String,
        }
        let (f, pairs) = decode_form::<F>(b"title=%E5%BB%BA%E8%AE%AE&_csrf=t").expect("utf-8");
        assert_eq!(f.title, "建议");
        assert_eq!(pairs, vec![("title".to_string(), "建议".to_string())]);
        let e = decode_form::<F>(b"title=%FF%FE").expect_err("not utf-8");
        assert_eq!(e.fields()[0].field, "title");
        assert!(e.message().contains("UTF-8"), "{}", e.message());
        assert!(decode_form::<F>(b"%C3=x").is_err());
    }

    #[test]
    fn keeps_values_of_its_own_form_only() {
        let k = Kept {
            action: "/a/1/reply".into(),
            values: vec![
                ("text".into(), "已写的答复".into()),
                ("u".into(), "3".into()),
            ],
            ..Kept::default()
        };
        assert_eq!(k.val("/a/1/reply", "text", "旧"), "已写的答复");
        assert_eq!(k.val("/a/2/reply", "text", "旧"), "旧");
        assert!(k.chose("/a/1/reply", "u", "3", false));
        assert!(!k.chose("/a/1/reply", "u", "4", true));
        assert!(k.chose("/a/2/reply", "u", "4", true));
    }
}
