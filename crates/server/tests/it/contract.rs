//! The API is a contract: the OpenAPI document is snapshot-tested, so every
//! change of a path, a field or a type shows in review.

#[test]
fn the_openapi_document() {
    let doc = serde_json::to_value(server::openapi::document()).expect("json");
    insta::assert_json_snapshot!("openapi", doc);
}

/// The lengths the document states are the ones the service enforces.
#[tokio::test]
async fn documented_lengths_are_the_validators() {
    let doc = serde_json::to_value(server::openapi::document()).expect("json");
    let props = &doc["components"]["schemas"]["SuggestionInput"]["properties"];
    assert_eq!(props["title"]["maxLength"], 100);
    assert_eq!(props["content"]["maxLength"], 20000);
    let required = doc["components"]["schemas"]["SuggestionInput"]["required"]
        .as_array()
        .expect("required");
    assert!(required.contains(&"title".into()) && required.contains(&"content".into()));

    let app = testkit::TestApp::with_demo().await;
    let mut deputy = app.as_user("deputy").await;
    let at = |n: usize| "路".repeat(n);
    let r = deputy
        .post_json(
            "/api/suggestions",
            serde_json::json!({"title": at(101), "content": "内容"}),
        )
        .await;
    assert_eq!(r.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["fields"][0]["field"], "title");
    let r = deputy
        .post_json(
            "/api/suggestions",
            serde_json::json!({"title": at(100), "content": "内容"}),
        )
        .await;
    assert_eq!(r.status, axum::http::StatusCode::CREATED, "{}", r.text);
}
