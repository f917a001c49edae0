//! Every refusal under `/api/` is `{code, message, fields}` JSON in Chinese,
//! whatever wrote it (issue 12, section 6): a path that does not parse, a
//! method the route does not take, a body over the limit (also with the CSRF
//! token in the query), a value of the wrong type. Pages get the error page.

use axum::http::StatusCode;
use testkit::{Resp, TestApp};

fn assert_own_json(r: &Resp, status: StatusCode) {
    assert_eq!(r.status, status, "{}", r.text);
    let ctype = r.headers[axum::http::header::CONTENT_TYPE]
        .to_str()
        .expect("content type");
    assert!(ctype.starts_with("application/json"), "{ctype}: {}", r.text);
    let v = r.json();
    assert!(
        v["code"].as_str().is_some_and(|c| !c.is_empty()),
        "{}",
        r.text
    );
    assert!(v["fields"].is_array(), "{}", r.text);
    let message = v["message"].as_str().expect("message");
    assert!(
        message
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "not Chinese: {message}"
    );
    for english in [
        "Invalid",
        "Failed",
        "expected",
        "NumOrText",
        "deserialize",
        "variant",
    ] {
        assert!(
            !message.contains(english),
            "framework text leaked: {message}"
        );
    }
}

#[tokio::test]
async fn the_frameworks_refusals_are_the_platforms_own() {
    let app = TestApp::with_demo().await;
    let mut staff = app.as_user("staff").await;

    for path in [
        "/api/suggestions/abc",
        "/api/suggestions/99999999999999999999999",
        "/api/suggestions/-1.5",
        "/api/units/%FF",
    ] {
        let r = staff.get(path).await;
        assert!(r.status.is_client_error(), "{path}: {}", r.status);
        assert_own_json(&r, r.status);
    }

    // A method the route does not take: 405 with Allow, and a body.
    let r = staff
        .send("DELETE", "/api/session/anything", None, true)
        .await;
    assert!(r.status.is_client_error());
    assert_own_json(&r, r.status);
    let r = staff.send("PATCH", "/api/suggestions", None, true).await;
    assert_own_json(&r, StatusCode::METHOD_NOT_ALLOWED);
    assert!(r.headers.contains_key(axum::http::header::ALLOW));

    // Over the limit, the token in the query as a multipart form sends it.
    let csrf = staff.csrf.clone().expect("csrf");
    let big = vec![b'x'; webkit::BODY_LIMIT + 10];
    let r = staff
        .send(
            "POST",
            &format!("/api/suggestions?_csrf={csrf}"),
            Some(("application/json", big)),
            false,
        )
        .await;
    assert_own_json(&r, StatusCode::PAYLOAD_TOO_LARGE);

    // Values of the wrong type, in JSON.
    for body in [
        serde_json::json!({"title": 5, "content": "内容"}),
        serde_json::json!({"title": "标题", "content": "内容", "session_id": "第一次"}),
        serde_json::json!({"title": "标题", "content": "内容", "session_id": [1]}),
        serde_json::json!([1, 2]),
    ] {
        let r = staff.post_json("/api/suggestions", body.clone()).await;
        assert!(r.status.is_client_error(), "{body}: {}", r.status);
        assert_own_json(&r, r.status);
    }
    let r = staff
        .send(
            "POST",
            "/api/suggestions",
            Some(("text/plain", b"title=x".to_vec())),
            true,
        )
        .await;
    assert_own_json(&r, r.status);

    // A page's refusal is the error page, not text.
    let r = staff.send("PATCH", "/suggestions", None, true).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(
        r.text.contains("<html") || r.text.contains("<!DOCTYPE"),
        "{}",
        r.text
    );
    assert!(r.text.contains("不接受"), "{}", r.text);
}
