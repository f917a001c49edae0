//! The test harness: a fresh database per test (SQLite, or PostgreSQL when
//! RENDA_TEST_POSTGRES_URL is set), the real application in process, and a
//! client that keeps its session cookie and CSRF token like a browser.
#![allow(dead_code, reason = "each test file uses part of the harness")]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

pub const DEMO_PASSWORD: &str = org::service::demo::DEMO_PASSWORD;

pub struct TestApp {
    pub router: Router,
    pub ctx: app::Ctx,
    _db: db::testing::TestDb,
}

fn test_key() -> crypto::MasterKey {
    crypto::MasterKey::from_hex(&"5a".repeat(32)).expect("key")
}

impl TestApp {
    pub async fn new() -> TestApp {
        // Quiet by default; RENDA_TEST_LOG=debug (or any filter) shows the logs.
        if let Ok(filter) = std::env::var("RENDA_TEST_LOG") {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_test_writer()
                .try_init();
        }
        let t = db::testing::fresh().await;
        let ctx = server::context(
            t.db.clone(),
            test_key(),
            crypto::password::HashCost::light(),
        );
        let router = server::app(server::AppState::new(ctx.clone()));
        TestApp {
            router,
            ctx,
            _db: t,
        }
    }

    pub async fn with_demo() -> TestApp {
        let app = TestApp::new().await;
        org::service::demo::load(&app.ctx).await.expect("demo data");
        app
    }

    /// Runs the application as of a moment (UTC ms), or on the system's clock
    /// again (`None`): this app alone, its router rebuilt on a context with
    /// that clock. Sign in again afterwards.
    pub fn set_now(&mut self, ms: Option<i64>) {
        self.ctx = match ms {
            Some(ms) => self.ctx.at(ms),
            None => self.ctx.on_system_clock(),
        };
        self.router = server::app(server::AppState::new(self.ctx.clone()));
    }

    pub fn client(&self) -> Client {
        Client {
            router: self.router.clone(),
            cookie: None,
            flash: None,
            csrf: None,
            bearer: None,
            origin: None,
        }
    }

    /// A suggestion of the demo deputy, submitted, accepted and assigned by
    /// staff to one lead unit (by name); returns its id.
    pub async fn assigned_suggestion(&self, title: &str, unit: &str) -> i64 {
        let mut deputy = self.as_user("deputy").await;
        let mut staff = self.as_user("staff").await;
        let unit = self
            .scalar(&format!("SELECT id FROM unit WHERE name = '{unit}'"))
            .await;
        let r = deputy
            .post_json(
                "/api/suggestions",
                serde_json::json!({"title": title, "content": "建议对县城至龙潭镇公路进行改造，解决群众出行难。"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let id = r.json()["id"].as_i64().expect("id");
        let steps = [
            (
                false,
                format!("/api/suggestions/{id}/submit"),
                serde_json::json!({}),
            ),
            (
                true,
                format!("/api/suggestions/{id}/accept"),
                serde_json::json!({}),
            ),
            (
                true,
                "/api/suggestions/assign".to_string(),
                serde_json::json!({"ids": [id], "units": [{"unit_id": unit, "role": "lead"}]}),
            ),
        ];
        for (by_staff, path, body) in steps {
            let c = if by_staff { &mut staff } else { &mut deputy };
            let r = c.post_json(&path, body).await;
            assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text);
        }
        id
    }

    /// A client signed in as a demo account.
    pub async fn as_user(&self, username: &str) -> Client {
        let mut c = self.client();
        let r = c.login(username, DEMO_PASSWORD).await;
        assert_eq!(r.status, StatusCode::OK, "login {username}: {}", r.text);
        c
    }

    /// A 2027 arrangement for tests whose deadlines run into 2027. These dates are
    /// test data, not the State Council's notice: the built-in calendar ends in 2026.
    pub async fn add_test_year_2027(&self) {
        let input = app::calendar::YearInput {
            year: Some(2027),
            source: "测试用安排（非官方）".into(),
            rest_periods: "元旦 2027-01-01 2027-01-01\n春节 2027-02-05 2027-02-12\n清明节 2027-04-05 2027-04-05\n劳动节 2027-05-01 2027-05-05\n端午节 2027-06-09 2027-06-09\n中秋节 2027-09-15 2027-09-15\n国庆节 2027-10-01 2027-10-07".into(),
            adjusted_workdays: String::new(),
            replace: false,
        };
        app::calendar::add_year(&self.ctx, &app::Actor::system("test"), &input)
            .await
            .expect("2027");
    }

    /// An account for another deputy (the one with the given deputy id).
    pub async fn deputy_client(&self, username: &str, deputy_id: i64) -> Client {
        let mut admin = self.as_user("admin").await;
        let r = admin.post_json("/api/users", serde_json::json!({"username": username, "display_name": username, "role": "deputy", "deputy_id": deputy_id})).await;
        let pw = r.json()["temporary_password"]
            .as_str()
            .expect("password")
            .to_string();
        let mut c = self.client();
        c.login(username, &pw).await;
        let r = c
            .post_form(
                "/account/password",
                &[
                    ("current_password", &pw),
                    ("new_password", "Deputy#2026x"),
                    ("confirm_password", "Deputy#2026x"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        c
    }

    pub async fn audit_count(&self) -> i64 {
        let mut c = self.ctx.db.read().await.expect("conn");
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
            .fetch_one(&mut c)
            .await
            .expect("count")
    }

    pub async fn scalar(&self, sql: &str) -> i64 {
        let mut c = self.ctx.db.read().await.expect("conn");
        sqlx::query_scalar(sql)
            .fetch_one(&mut c)
            .await
            .expect("scalar")
    }

    pub async fn exec(&self, sql: &str) {
        let mut tx = self.ctx.begin().await.expect("tx");
        sqlx::query(sql).execute(&mut *tx).await.expect("exec");
        tx.commit().await.expect("commit");
    }
}

#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub bytes: Vec<u8>,
    pub text: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or(Value::Null)
    }
    pub fn location(&self) -> String {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }
    pub fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or("").to_string()
    }
}

#[derive(Clone)]
pub struct Client {
    pub router: Router,
    pub cookie: Option<String>,
    /// The success message a redirect left, sent back like a browser would.
    pub flash: Option<String>,
    pub csrf: Option<String>,
    pub bearer: Option<String>,
    pub origin: Option<String>,
}

impl Client {
    /// Signs in through the API, which returns the CSRF token.
    pub async fn login(&mut self, username: &str, password: &str) -> Resp {
        let body = serde_json::json!({"username": username, "password": password});
        let r = self
            .send(
                "POST",
                "/api/session",
                Some(("application/json", body.to_string().into_bytes())),
                false,
            )
            .await;
        if r.status == StatusCode::OK {
            self.csrf = r.json()["csrf"].as_str().map(str::to_string);
        }
        r
    }

    pub async fn send(
        &mut self,
        method: &str,
        path: &str,
        body: Option<(&str, Vec<u8>)>,
        with_csrf: bool,
    ) -> Resp {
        self.send_with(method, path, body, with_csrf, &[]).await
    }

    /// [`Client::send`] with extra headers (e.g. `Idempotency-Key`).
    pub async fn send_with(
        &mut self,
        method: &str,
        path: &str,
        body: Option<(&str, Vec<u8>)>,
        with_csrf: bool,
        extra: &[(&str, &str)],
    ) -> Resp {
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, "localhost");
        let mut jar = Vec::new();
        if let Some(c) = &self.cookie {
            jar.push(format!("renda_session={c}"));
        }
        if let Some(f) = &self.flash {
            jar.push(format!("renda_flash={f}"));
        }
        if !jar.is_empty() {
            b = b.header(header::COOKIE, jar.join("; "));
        }
        if let Some(t) = &self.bearer {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        if let Some(o) = &self.origin {
            b = b.header(header::ORIGIN, o);
        }
        if with_csrf && let Some(t) = &self.csrf {
            b = b.header("x-csrf-token", t);
        }
        for (name, value) in extra {
            b = b.header(*name, *value);
        }
        let req = match body {
            Some((ctype, bytes)) => b
                .header(header::CONTENT_TYPE, ctype)
                .body(Body::from(bytes)),
            None => b.body(Body::empty()),
        }
        .expect("request");
        let resp = self.router.clone().oneshot(req).await.expect("response");
        let status = resp.status();
        let headers = resp.headers().clone();
        for v in headers.get_all(header::SET_COOKIE) {
            let v = v.to_str().unwrap_or("");
            if let Some(rest) = v.strip_prefix("renda_flash=") {
                let val = rest.split(';').next().unwrap_or("");
                self.flash = (!val.is_empty()).then(|| val.to_string());
            }
            if let Some(rest) = v.strip_prefix("renda_session=") {
                let val = rest.split(';').next().unwrap_or("");
                self.cookie = if val.is_empty() {
                    None
                } else {
                    Some(val.to_string())
                };
            }
        }
        let bytes = resp
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        let text = String::from_utf8_lossy(&bytes).to_string();
        Resp {
            status,
            headers,
            bytes,
            text,
        }
    }

    pub async fn get(&mut self, path: &str) -> Resp {
        self.send("GET", path, None, false).await
    }

    /// Follows a redirect as a browser would (the page after a POST).
    pub async fn follow(&mut self, r: &Resp) -> Resp {
        assert!(
            r.status.is_redirection(),
            "expected a redirect, got {}: {}",
            r.status,
            r.text
        );
        let to = r.location();
        self.get(&to).await
    }

    pub async fn post_json(&mut self, path: &str, v: Value) -> Resp {
        self.send(
            "POST",
            path,
            Some(("application/json", v.to_string().into_bytes())),
            true,
        )
        .await
    }

    /// A JSON POST with an `Idempotency-Key`.
    pub async fn post_json_keyed(&mut self, path: &str, v: Value, key: &str) -> Resp {
        self.send_with(
            "POST",
            path,
            Some(("application/json", v.to_string().into_bytes())),
            true,
            &[("idempotency-key", key)],
        )
        .await
    }

    pub async fn put_json(&mut self, path: &str, v: Value) -> Resp {
        self.send(
            "PUT",
            path,
            Some(("application/json", v.to_string().into_bytes())),
            true,
        )
        .await
    }

    pub async fn delete(&mut self, path: &str) -> Resp {
        self.send("DELETE", path, None, true).await
    }

    /// Posts an HTML form; the CSRF token goes in the form like a browser's.
    pub async fn post_form(&mut self, path: &str, pairs: &[(&str, &str)]) -> Resp {
        let mut all: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        if let Some(t) = &self.csrf {
            all.push(("_csrf".into(), t.clone()));
        }
        let body = all
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.send(
            "POST",
            path,
            Some(("application/x-www-form-urlencoded", body.into_bytes())),
            false,
        )
        .await
    }

    /// Posts a file as `multipart/form-data` (field `file`) plus text fields.
    pub async fn post_file(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file_name: &str,
        bytes: &[u8],
    ) -> Resp {
        let boundary = "renda-test-boundary-7d9f";
        let mut body = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let ctype = format!("multipart/form-data; boundary={boundary}");
        self.send("POST", path, Some((&ctype, body)), true).await
    }
}

pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A valid ID number for test person `i` (born 1980-01-01 + i days, in county 522921).
pub fn id_card(i: u32) -> String {
    let day = 1 + (i % 28);
    let month = 1 + (i / 28) % 12;
    let body = format!("5229211980{month:02}{day:02}{:03}", 100 + i % 800);
    format!(
        "{body}{}",
        kernel::ids::id_card_check_char(&body).expect("digits")
    )
}

/// An .xlsx with the roster's columns and the given rows.
pub fn roster_xlsx(rows: &[Vec<&str>]) -> Vec<u8> {
    let cols: Vec<office::xlsx::Column> = org::service::deputies::COLUMNS
        .iter()
        .map(|(h, w)| office::xlsx::Column {
            header: h,
            width: *w,
        })
        .collect();
    let mut w = office::xlsx::SheetWriter::new("代表名册", &cols).expect("writer");
    for r in rows {
        let cells: Vec<String> = r.iter().map(|s| s.to_string()).collect();
        w.push(&cells).expect("row");
    }
    w.finish().expect("bytes")
}
