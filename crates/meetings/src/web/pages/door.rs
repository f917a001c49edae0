//! The door: a printable page with the meeting's QR code, and the page a
//! member's phone opens from it to sign in.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use webkit::AppState;
use webkit::auth::{Me, MeSession};
use webkit::error::{AppError, AppResult};
use webkit::extract::Path;
use webkit::view::{Layout, render_status};

use crate::service::{meetings, sign_in};
use crate::store::MeetingRow;

/// The address a phone opens: the host the staff reached the platform by.
fn sign_in_url(headers: &HeaderMap, code: &str) -> String {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty() && !v.contains(['/', ' ', '\\']))
    };
    let host = header("x-forwarded-host")
        .or_else(|| header("host"))
        .unwrap_or("127.0.0.1:8080");
    let scheme = match header("x-forwarded-proto") {
        Some("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{host}/m/{code}")
}

fn qr_svg(data: &str) -> String {
    match qrcode::QrCode::new(data.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(320, 320)
            .build(),
        Err(_) => String::new(),
    }
}

#[derive(Template)]
#[template(path = "meeting_door.html")]
struct DoorPage {
    layout: Layout,
    m: MeetingRow,
    url: String,
    qr: String,
}

pub async fn door(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    actor.require(kernel::roles::Permission::ManageMeetings)?;
    let m = meetings::get(&st.ctx, &actor, id).await?;
    let url = sign_in_url(&headers, &m.signin_code);
    render_status(
        StatusCode::OK,
        &DoorPage {
            layout: Layout::new(format!("{} 签到码", m.title), &s, "meetings"),
            qr: qr_svg(&url),
            url,
            m,
        },
    )
}

#[derive(Template)]
#[template(path = "meeting_sign_in.html")]
struct SignInPage {
    layout: Layout,
    m: Option<MeetingRow>,
    /// After signing in: (first, time HH:MM, role label).
    signed: Option<(bool, String, &'static str)>,
    problem: String,
    code: String,
}

fn hhmm(ms: i64) -> String {
    kernel::time::format_minute(ms)
}

pub async fn sign_in_page(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let (m, problem) = match sign_in::by_code(&st.ctx, &actor, &code).await {
        Ok(m) => (Some(m), String::new()),
        Err(app::Error::Conflict(msg)) => (None, msg),
        Err(e) => return Err(AppError(e)),
    };
    // Say first what a tap would come to: already signed, or not possible.
    let (signed, problem) = match &m {
        Some(m) => match sign_in::before(&st.ctx, &actor, m).await? {
            sign_in::Before::Ready => (None, problem),
            sign_in::Before::Signed(at) => (Some((false, hhmm(at), "")), problem),
            sign_in::Before::Refused(why) => (None, why),
        },
        None => (None, problem),
    };
    render_status(
        StatusCode::OK,
        &SignInPage {
            layout: Layout::new("会议签到", &s, "meetings"),
            m,
            signed,
            problem,
            code,
        },
    )
}

pub async fn sign_in(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(code): Path<String>,
) -> AppResult<Response> {
    match sign_in::sign_in(&st.ctx, &actor, &code).await {
        Ok(r) => render_status(
            StatusCode::OK,
            &SignInPage {
                layout: Layout::new("会议签到", &s, "meetings"),
                signed: Some((r.first, hhmm(r.at), r.role.label())),
                m: Some(r.meeting),
                problem: String::new(),
                code,
            },
        ),
        Err(app::Error::Conflict(msg)) => {
            let m = sign_in::by_code(&st.ctx, &actor, &code).await.ok();
            render_status(
                StatusCode::CONFLICT,
                &SignInPage {
                    layout: Layout::new("会议签到", &s, "meetings"),
                    m,
                    signed: None,
                    problem: msg,
                    code,
                },
            )
        }
        Err(e) => Err(AppError(e)),
    }
}
