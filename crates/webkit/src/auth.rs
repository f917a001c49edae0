//! Who is asking, and may they ask this now.
//!
//! [`authenticate`] runs before every handler: it reads an API token
//! (`Authorization: Bearer rdt_…`) or the session cookie, rejects a
//! state-changing cookie request without the session's CSRF token, and holds
//! a session that must first change its password or give its second factor
//! to those pages. Handlers then take [`Me`] (an actor, or 401 / login page)
//! or [`MeSession`] (pages that need the session itself).

use std::net::SocketAddr;

use app::auth::{STAGE_FULL, STAGE_TOTP, STAGE_TOTP_SETUP, SessionInfo};
use app::{Actor, Error};
use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use crate::AppState;
use crate::error::{AppError, REQUEST, RequestFacts, json_error};

pub const SESSION_COOKIE: &str = "renda_session";
pub const CSRF_HEADER: &str = "x-csrf-token";
pub const CSRF_FIELD: &str = "_csrf";

/// The resolved caller, put into the request's extensions.
#[derive(Clone, Debug)]
pub enum Auth {
    Anonymous,
    Session(Box<SessionInfo>),
    Token(Box<Actor>),
}

/// Paths an account may reach before it has changed its initial password or
/// given its second factor.
fn allowed_while_pending(path: &str) -> bool {
    path == "/logout"
        || path.starts_with("/static/")
        || path.starts_with("/account/password")
        || path.starts_with("/account/totp")
        || path.starts_with("/login")
        || path.starts_with("/api/session")
        || path == "/healthz"
}

/// The client's address. A request from a trusted proxy names its client in
/// `X-Forwarded-For`; each proxy appends the address it was reached from, so
/// only the entries on the right were written by proxies we trust. The
/// client is the rightmost entry that is not a trusted proxy: whatever a
/// client writes into the header itself stays to the left and is ignored.
/// From anyone else the header is ignored.
pub fn client_ip(
    parts_headers: &HeaderMap,
    connect: Option<SocketAddr>,
    trusted: &[ipnet::IpNet],
) -> String {
    let Some(peer) = connect.map(|a| a.ip()) else {
        return "unknown".into();
    };
    let is_trusted = |ip: &std::net::IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(&peer) {
        return peer.to_string();
    }
    let mut client = peer;
    let entries: Vec<&str> = parts_headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect();
    for entry in entries.iter().rev() {
        match entry.trim().parse::<std::net::IpAddr>() {
            Ok(ip) if is_trusted(&ip) => client = ip,
            Ok(ip) => return ip.to_string(),
            // A malformed entry: stop at the last address a trusted proxy vouched for.
            Err(_) => break,
        }
    }
    client.to_string()
}

pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The `Set-Cookie` value for a session.
pub fn session_cookie(token: &str, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    )
}

pub fn clear_cookie(secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn csrf_failure(api: bool) -> Response {
    let e =
        Error::BadRequest("页面已过期或请求来源不可信（CSRF 校验失败），请刷新页面后重试".into());
    if api {
        let mut r = json_error(&e);
        *r.status_mut() = StatusCode::FORBIDDEN;
        return r;
    }
    let mut r = AppError(e).into_response();
    *r.status_mut() = StatusCode::FORBIDDEN;
    r
}

fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    query?
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Resolves the caller; enforces CSRF and pending steps. See the module note.
pub async fn authenticate(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    let api = path.starts_with("/api/");
    let htmx = parts.headers.contains_key("hx-request");
    let connect = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let ip = client_ip(&parts.headers, connect, &state.trusted_proxies);
    let facts = RequestFacts {
        htmx,
        api,
        path: parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_default(),
        signed_in: None,
    };

    let bearer = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_string);
    let mut clear = false;
    let auth = if let Some(token) = bearer {
        match app::auth::token(&state.ctx, token.trim(), &ip).await {
            Ok(actor) => Auth::Token(Box::new(actor)),
            Err(e) => return json_error(&e),
        }
    } else if let Some(token) =
        cookie_value(&parts.headers, SESSION_COOKIE).filter(|t| !t.is_empty())
    {
        match app::auth::session(&state.ctx, &token, &ip).await {
            Ok(Some(info)) => Auth::Session(Box::new(info)),
            Ok(None) => {
                clear = true;
                Auth::Anonymous
            }
            Err(e) => {
                return REQUEST
                    .scope(facts, async { AppError(e).into_response() })
                    .await;
            }
        }
    } else {
        Auth::Anonymous
    };

    let mut body = body;
    let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && !matches!(auth, Auth::Token(_)) && !same_origin(&parts.headers) {
        return REQUEST.scope(facts, async { csrf_failure(api) }).await;
    }
    if let Auth::Session(info) = &auth
        && !safe
    {
        // The token may come as a header (htmx, fetch), in the query (multipart
        // forms), or as a form field.
        let mut given = parts
            .headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .or_else(|| query_param(parts.uri.query(), CSRF_FIELD));
        let is_form = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if given.is_none() && is_form {
            let bytes = match to_bytes(body, crate::BODY_LIMIT).await {
                Ok(b) => b,
                Err(_) => {
                    return REQUEST
                        .scope(facts, async {
                            let mut r = AppError(crate::extract::too_large()).into_response();
                            *r.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
                            r
                        })
                        .await;
                }
            };
            given = form_urlencoded_value(&bytes, CSRF_FIELD);
            body = Body::from(bytes);
        }
        if !given.is_some_and(|g| constant_time_eq(&g, &info.csrf)) {
            return REQUEST.scope(facts, async { csrf_failure(api) }).await;
        }
    }
    if let Auth::Session(info) = &auth
        && !allowed_while_pending(&path)
    {
        let pending = if info.stage == STAGE_TOTP {
            Some(("/login/totp", Error::SecondFactorRequired))
        } else if info.stage == STAGE_TOTP_SETUP {
            Some(("/account/totp", Error::SecondFactorRequired))
        } else if info.must_change_password {
            Some(("/account/password", Error::PasswordChangeRequired))
        } else {
            None
        };
        if let Some((to, err)) = pending {
            if api {
                return json_error(&err);
            }
            if htmx {
                let mut r = StatusCode::OK.into_response();
                r.headers_mut()
                    .insert("hx-redirect", HeaderValue::from_static(to));
                return r;
            }
            return Redirect::to(to).into_response();
        }
    }
    let mut facts = facts;
    if let Auth::Session(info) = &auth {
        facts.signed_in = Some((info.clone(), state.capabilities.clone()));
    }
    let had_flash = cookie_value(&parts.headers, crate::pages::FLASH_COOKIE).is_some();
    parts.extensions.insert(auth);
    parts.extensions.insert(ClientIp(ip));
    let req = Request::from_parts(parts, body);
    let mut resp = REQUEST.scope(facts, next.run(req)).await;
    // A page that showed the message clears it; a redirect passes it on.
    if had_flash
        && !resp.status().is_redirection()
        && resp
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"))
        && !resp.headers().get_all(header::SET_COOKIE).iter().any(|v| {
            v.as_bytes()
                .starts_with(crate::pages::FLASH_COOKIE.as_bytes())
        })
        && let Ok(v) = HeaderValue::from_str(&format!(
            "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0",
            crate::pages::FLASH_COOKIE
        ))
    {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    if clear
        && !resp.headers().contains_key(header::SET_COOKIE)
        && let Ok(v) = HeaderValue::from_str(&clear_cookie(state.secure_cookies))
    {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}

/// A browser's `Origin` (when sent) must name this host: a page elsewhere
/// cannot post here, not even to the login form.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    origin
        .split_once("://")
        .map(|(_, rest)| rest.trim_end_matches('/'))
        .is_some_and(|o| o.eq_ignore_ascii_case(host))
}

fn form_urlencoded_value(bytes: &[u8], name: &str) -> Option<String> {
    let s = std::str::from_utf8(bytes).ok()?;
    s.split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.replace('+', " "))
}

/// The client's address as resolved by the middleware.
#[derive(Clone, Debug)]
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<ClientIp>()
            .cloned()
            .unwrap_or(ClientIp("unknown".into())))
    }
}

/// The caller, who must be signed in (fully).
pub struct Me(pub Actor);

impl<S: Send + Sync> FromRequestParts<S> for Me {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Auth>() {
            Some(Auth::Session(s)) if s.stage == STAGE_FULL => Ok(Me(s.actor.clone())),
            Some(Auth::Session(_)) => Err(AppError(Error::SecondFactorRequired)),
            Some(Auth::Token(a)) => Ok(Me((**a).clone())),
            _ => Err(AppError(Error::Unauthenticated)),
        }
    }
}

/// A page's session: who is signed in, and the menu of what they may reach
/// (every capability's entries for them). Reads as the session it holds.
#[derive(Debug, Clone)]
pub struct Session {
    pub info: SessionInfo,
    pub nav: Vec<crate::capability::NavItem>,
    /// The success message the previous action left (shown once).
    pub flash: String,
}

impl std::ops::Deref for Session {
    type Target = SessionInfo;
    fn deref(&self) -> &SessionInfo {
        &self.info
    }
}

impl Session {
    /// The session with its menu: empty until the account may work (its
    /// password changed, its second factor given).
    pub fn of(state: &AppState, info: SessionInfo) -> Session {
        Session::with(&state.capabilities, info)
    }

    /// The session with the menu of these capabilities.
    pub fn with(
        capabilities: &[std::sync::Arc<dyn crate::Capability>],
        info: SessionInfo,
    ) -> Session {
        let mut nav = Vec::new();
        if info.stage == STAGE_FULL && !info.must_change_password {
            for c in capabilities.iter() {
                nav.extend(c.menu(&info.actor));
            }
            nav.sort_by_key(|n| n.order);
        }
        Session {
            info,
            nav,
            flash: String::new(),
        }
    }
}

/// The caller's session, whatever its stage (for the login steps and pages).
pub struct MeSession(pub Session);

impl FromRequestParts<AppState> for MeSession {
    type Rejection = AppError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Auth>() {
            Some(Auth::Session(s)) => {
                let mut session = Session::of(state, (**s).clone());
                session.flash = crate::pages::flash_of(&parts.headers);
                Ok(MeSession(session))
            }
            _ => Err(AppError(Error::Unauthenticated)),
        }
    }
}

/// The session if there is one (the login page, the public pages).
pub struct MaybeSession(pub Option<SessionInfo>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeSession {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybeSession(match parts.extensions.get::<Auth>() {
            Some(Auth::Session(s)) => Some((**s).clone()),
            _ => None,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_and_params() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; renda_session=abc; b=2"),
        );
        assert_eq!(cookie_value(&h, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(
            query_param(Some("x=1&_csrf=zz"), "_csrf").as_deref(),
            Some("zz")
        );
        assert_eq!(
            form_urlencoded_value(b"name=a&_csrf=tok", "_csrf").as_deref(),
            Some("tok")
        );
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(session_cookie("t", true).contains("Secure"));
        assert!(session_cookie("t", false).contains("HttpOnly; SameSite=Lax"));
    }
}

#[cfg(test)]
mod client_address_tests {
    use super::*;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", v.parse().expect("header"));
        }
        h
    }

    fn nets(list: &[&str]) -> Vec<ipnet::IpNet> {
        list.iter().map(|n| n.parse().expect("cidr")).collect()
    }

    #[test]
    fn a_client_cannot_spoof_its_address_through_a_trusted_proxy() {
        let proxy: SocketAddr = "10.0.0.5:4000".parse().expect("addr");
        let trusted = nets(&["10.0.0.0/24"]);
        // The client wrote "1.2.3.4" itself; the proxy appended the real address.
        let h = headers(&["1.2.3.4, 203.0.113.9"]);
        assert_eq!(client_ip(&h, Some(proxy), &trusted), "203.0.113.9");
        // Two trusted proxies in a row are skipped.
        let h = headers(&["1.2.3.4, 203.0.113.9, 10.0.0.7"]);
        assert_eq!(client_ip(&h, Some(proxy), &trusted), "203.0.113.9");
        // Several header lines read as one list.
        let h = headers(&["1.2.3.4", "203.0.113.9"]);
        assert_eq!(client_ip(&h, Some(proxy), &trusted), "203.0.113.9");
        // No header: the proxy itself.
        assert_eq!(
            client_ip(&HeaderMap::new(), Some(proxy), &trusted),
            "10.0.0.5"
        );
        // Garbage stops the walk at the last vouched address.
        let h = headers(&["not-an-ip"]);
        assert_eq!(client_ip(&h, Some(proxy), &trusted), "10.0.0.5");
    }

    #[test]
    fn the_header_is_ignored_from_anyone_but_a_trusted_proxy() {
        let direct: SocketAddr = "198.51.100.20:5000".parse().expect("addr");
        let h = headers(&["1.2.3.4"]);
        assert_eq!(
            client_ip(&h, Some(direct), &nets(&["10.0.0.0/24"])),
            "198.51.100.20"
        );
        assert_eq!(client_ip(&h, Some(direct), &[]), "198.51.100.20");
        assert_eq!(client_ip(&h, None, &[]), "unknown");
    }
}
