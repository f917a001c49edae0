//! The API is a contract: the OpenAPI document is snapshot-tested, so every
//! change of a path, a field or a type shows in review.

#[test]
fn the_openapi_document() {
    let doc = serde_json::to_value(server::openapi::document()).expect("json");
    insta::assert_json_snapshot!("openapi", doc);
}
