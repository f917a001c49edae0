//! Helpers of HTML handlers: downloads, redirects after a POST, uploads.

use axum::extract::Multipart;
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// The content type of a .docx.
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// A file download with a Chinese file name (RFC 6266 / RFC 5987).
pub fn download(bytes: Vec<u8>, name: &str, content_type: &'static str) -> Response {
    let encoded = crate::error::urlencode(name);
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"download\"; filename*=UTF-8''{encoded}"),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Redirect after a successful POST (303, so a reload does not post again).
pub fn see_other(to: &str) -> Response {
    axum::response::Redirect::to(to).into_response()
}

/// The cookie carrying a success message to the page after a redirect.
pub const FLASH_COOKIE: &str = "renda_flash";

/// Redirect after a successful POST, the next page saying what was done
/// ("已受理 3 件"). The message rides in a short-lived cookie that the page
/// showing it clears.
pub fn see_other_with(to: &str, message: &str) -> Response {
    let mut r = see_other(to);
    let cookie = format!(
        "{FLASH_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age=60",
        crate::error::urlencode(message)
    );
    if let Ok(v) = axum::http::HeaderValue::from_str(&cookie) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

/// The message a redirect left for this page, if any.
pub fn flash_of(headers: &axum::http::HeaderMap) -> String {
    crate::auth::cookie_value(headers, FLASH_COOKIE)
        .map(|v| {
            form_urlencoded::parse(format!("m={v}").as_bytes())
                .next()
                .map(|(_, m)| m.into_owned())
                .unwrap_or_default()
        })
        .unwrap_or_default()
        .chars()
        .take(200)
        .collect()
}

/// Reads a multipart upload: the file (field `file`) and an optional `congress_id`.
pub async fn read_upload(mut mp: Multipart) -> Result<(String, Vec<u8>, Option<i64>), app::Error> {
    let mut file = None;
    let mut congress_id = None;
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|_| app::Error::field("file", "上传失败：文件过大（上限 10 MB）或传输中断"))?
    {
        match field.name() {
            Some("file") => {
                let name = field.file_name().unwrap_or("upload.xlsx").to_string();
                let bytes = field.bytes().await.map_err(|_| {
                    app::Error::field("file", "上传失败：文件过大（上限 10 MB）或传输中断")
                })?;
                file = Some((name, bytes.to_vec()));
            }
            Some("congress_id") => {
                let t = field.text().await.unwrap_or_default();
                congress_id = t.trim().parse().ok();
            }
            _ => {}
        }
    }
    let (name, bytes) =
        file.ok_or_else(|| app::Error::field("file", "请选择要导入的 .xlsx 文件"))?;
    Ok((name, bytes, congress_id))
}
