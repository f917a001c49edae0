//! Deputies and units over HTTP: validation with field messages, masking,
//! audited reveals, Excel import (all or nothing, idempotent, one
//! confirmation), export, and that a failed request changes nothing.

use axum::http::StatusCode;
use serde_json::json;
use testkit::{TestApp, id_card, roster_xlsx};

const COUNTY: &str = "清溪县人民代表大会";

fn good_row<'a>(name: &'a str, id: &'a str, phone: &'a str) -> Vec<&'a str> {
    vec![
        name,
        "",
        "汉族",
        "",
        "中共党员",
        "教师",
        id,
        phone,
        COUNTY,
        "17",
        "城关镇第3选区",
        "城关镇代表团",
        "教科文卫",
        "在任",
        "",
        "",
    ]
}

#[tokio::test]
async fn creating_a_deputy_validates_every_field_in_chinese_and_changes_nothing_on_failure() {
    let app = TestApp::with_demo().await;
    let mut c = app.as_user("staff").await;
    let before_people = app.scalar("SELECT COUNT(*) FROM deputy").await;
    let before_audit = app.audit_count().await;
    let r = c
        .post_json("/api/deputies", json!({"name": "", "id_card": "52292119800101001X", "ethnicity": "火星族", "party": "某党", "phone": "12345", "term_id": 999999, "constituency": ""}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.code(), "validation_failed");
    let fields: Vec<String> = r.json()["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().unwrap_or("").to_string())
        .collect();
    for f in [
        "name",
        "id_card",
        "ethnicity",
        "party",
        "phone",
        "term_id",
        "constituency",
    ] {
        assert!(
            fields.contains(&f.to_string()),
            "{f} missing from {fields:?}"
        );
    }
    assert!(
        r.text.contains("身份证号校验位不正确") || r.text.contains("出生日期"),
        "{}",
        r.text
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM deputy").await,
        before_people
    );
    assert_eq!(app.audit_count().await, before_audit);
}

#[tokio::test]
async fn wrong_types_and_oversize_bodies_are_refused() {
    let app = TestApp::with_demo().await;
    let mut c = app.as_user("staff").await;
    let r = c
        .post_json("/api/deputies", json!({"name": 5, "term_id": "abc"}))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.code(), "bad_request");
    let r = c
        .send(
            "POST",
            "/api/deputies",
            Some(("application/json", b"{not json".to_vec())),
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let big = format!("{{\"name\": \"{}\"}}", "x".repeat(1100 * 1024));
    let r = c
        .send(
            "POST",
            "/api/deputies",
            Some(("application/json", big.into_bytes())),
            true,
        )
        .await;
    assert!(
        r.status == StatusCode::PAYLOAD_TOO_LARGE || r.status == StatusCode::BAD_REQUEST,
        "{}",
        r.status
    );
}

#[tokio::test]
async fn a_deputy_is_registered_listed_masked_and_revealed_with_an_audit_record() {
    let app = TestApp::with_demo().await;
    let mut c = app.as_user("staff").await;
    let term = app.scalar("SELECT t.id FROM term t JOIN congress c ON c.id = t.congress_id WHERE c.level = 'county' AND t.number = 17").await;
    let id = id_card(901);
    let r = c
        .post_json("/api/deputies", json!({"name": "测试代表", "id_card": id, "ethnicity": "布依", "party": "中国共产党", "phone": "13912345678", "term_id": term, "constituency": "城关镇第9选区", "delegation": "城关镇代表团"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let deputy = r.json()["id"].as_i64().expect("id");
    // Stored encrypted: neither the phone nor the ID number appears in the table.
    assert_eq!(app.scalar("SELECT COUNT(*) FROM deputy WHERE phone_enc LIKE '%13912345678%' OR id_card_enc LIKE '%5229%'").await, 0);
    let r = c.get("/api/deputies?name=测试代表").await;
    assert_eq!(r.json()["total"], 1);
    assert_eq!(r.json()["items"][0]["phone_masked"], "139****5678");
    assert_eq!(r.json()["items"][0]["ethnicity"], "布依族");
    assert_eq!(r.json()["items"][0]["party"], "中共党员");
    let page = c.get("/deputies?q=测试代表").await;
    assert!(page.text.contains("139****5678") && !page.text.contains("13912345678"));
    let r = c.get(&format!("/api/deputies/{deputy}")).await;
    assert!(
        r.json()["id_card_masked"]
            .as_str()
            .unwrap_or("")
            .contains("****")
    );
    let before = app.audit_count().await;
    let r = c
        .post_json(&format!("/api/deputies/{deputy}/reveal"), json!({}))
        .await;
    assert_eq!(r.json()["phone"], "13912345678");
    assert_eq!(r.json()["id_card"], id);
    assert_eq!(app.audit_count().await, before + 1);
    assert_eq!(app.scalar(&format!("SELECT COUNT(*) FROM audit_log WHERE action = 'deputy.reveal' AND entity_id = '{deputy}'")).await, 1);
    // The summary never holds the plain values.
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE summary LIKE '%13912345678%'")
            .await,
        0
    );
    // The same person again in the same term is refused; in another term they gain a mandate.
    let r = c.post_json("/api/deputies", json!({"name": "测试代表", "id_card": id, "ethnicity": "布依族", "party": "中共党员", "term_id": term, "constituency": "城关镇第9选区"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A leader sees the roster but cannot reveal.
    let mut leader = app.as_user("leader").await;
    assert_eq!(
        leader
            .post_json(&format!("/api/deputies/{deputy}/reveal"), json!({}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn terminating_a_mandate_records_date_and_reason() {
    let app = TestApp::with_demo().await;
    let mut c = app.as_user("staff").await;
    let mandate = app
        .scalar(
            "SELECT MIN(id) FROM deputy_mandate WHERE status = 'in_office' AND level = 'county'",
        )
        .await;
    let r = c
        .post_json(
            &format!("/api/mandates/{mandate}/terminate"),
            json!({"terminated_on": "2099-01-01", "reason": ""}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text.contains("不能晚于今天") && r.text.contains("终止原因"),
        "{}",
        r.text
    );
    let r = c
        .post_json(
            &format!("/api/mandates/{mandate}/terminate"),
            json!({"terminated_on": "2026-03-01", "reason": "辞职被接受"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(app.scalar(&format!("SELECT COUNT(*) FROM deputy_mandate WHERE id = {mandate} AND status = 'terminated' AND terminated_on = '2026-03-01'")).await, 1);
    let r = c
        .post_json(
            &format!("/api/mandates/{mandate}/terminate"),
            json!({"terminated_on": "2026-03-01", "reason": "again"}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "already terminated"
    );
}

#[tokio::test]
async fn roster_import_is_all_or_nothing_idempotent_and_confirmed_once() {
    let app = TestApp::with_demo().await;
    let mut c = app.as_user("staff").await;
    let (a, b, d) = (id_card(11), id_card(12), id_card(13));
    let mut bad = good_row("乙某", &b, "1381234567");
    bad[2] = "火星族";
    let file = roster_xlsx(&[
        good_row("甲某", &a, "13812345670"),
        bad,
        good_row("丙某", &d, ""),
    ]);
    let before = app.scalar("SELECT COUNT(*) FROM deputy_mandate").await;
    let r = c
        .post_file("/api/deputies/import", &[], "roster.xlsx", &file)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let p = r.json();
    assert!(p["upload_id"].is_null());
    let errors = p["errors"].as_array().expect("errors");
    assert!(
        errors
            .iter()
            .any(|e| e["row"] == 3 && e["column"] == "民族"),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e["row"] == 3 && e["column"] == "手机号"),
        "{errors:?}"
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM deputy_mandate").await,
        before,
        "nothing written"
    );
    // The page shows the same errors.
    let r = c
        .post_file("/deputies/import", &[], "roster.xlsx", &file)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("第 3 行") && r.text.contains("民族"));

    let file = roster_xlsx(&[
        good_row("甲某", &a, "13812345670"),
        good_row("乙某", &b, "13812345671"),
        good_row("丙某", &d, ""),
    ]);
    let r = c
        .post_file("/api/deputies/import", &[], "roster.xlsx", &file)
        .await;
    let p = r.json();
    assert_eq!(p["creates"], 3, "{p}");
    let upload = p["upload_id"].as_i64().expect("upload id");
    let r = c
        .post_json(&format!("/api/deputies/import/{upload}/confirm"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["created"], 3);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM deputy_mandate").await,
        before + 3
    );
    // A replayed confirmation is refused.
    let r = c
        .post_json(&format!("/api/deputies/import/{upload}/confirm"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // Another user cannot confirm someone else's upload.
    let r = c
        .post_file("/api/deputies/import", &[], "roster.xlsx", &file)
        .await;
    let upload2 = r.json()["upload_id"].as_i64().expect("upload id");
    assert_eq!(r.json()["updates"], 3, "same file again updates");
    let mut admin = app.as_user("admin").await;
    assert_eq!(
        admin
            .post_json(
                &format!("/api/deputies/import/{upload2}/confirm"),
                json!({})
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = c
        .post_json(
            &format!("/api/deputies/import/{upload2}/confirm"),
            json!({}),
        )
        .await;
    assert_eq!(r.json()["updated"], 3);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM deputy_mandate").await,
        before + 3,
        "re-import updates, no duplicates"
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'deputy.import'")
            .await,
        2
    );
}

#[tokio::test]
async fn import_refuses_bad_files_and_numbers_damaged_by_excel() {
    let app = TestApp::with_demo().await;
    let mut c = app.as_user("staff").await;
    let r = c
        .post_file("/api/deputies/import", &[], "x.xlsx", b"not a spreadsheet")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["message"].as_str().unwrap_or("").contains(".xlsx"));
    // A sheet without the required columns.
    let cols = [office::xlsx::Column {
        header: "姓名",
        width: 10.0,
    }];
    let mut w = office::xlsx::SheetWriter::new("x", &cols).expect("w");
    w.push(&["张三".into()]).expect("row");
    let r = c
        .post_file(
            "/api/deputies/import",
            &[],
            "x.xlsx",
            &w.finish().expect("bytes"),
        )
        .await;
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap_or("")
            .contains("身份证号"),
        "{}",
        r.text
    );
    // Duplicate rows in one file.
    let a = id_card(21);
    let file = roster_xlsx(&[good_row("甲某", &a, ""), good_row("甲某", &a, "")]);
    let r = c
        .post_file("/api/deputies/import", &[], "x.xlsx", &file)
        .await;
    assert!(
        r.json()["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .any(|e| e["message"].as_str().unwrap_or("").contains("第 2 行"))
    );
}

#[tokio::test]
async fn exports_mask_personal_data_for_roles_that_may_not_see_it() {
    let app = TestApp::with_demo().await;
    let mut leader = app.as_user("leader").await;
    let r = leader.get("/api/deputies/export?level=county").await;
    assert_eq!(r.status, StatusCode::OK);
    let t = office::xlsx::read_table(&r.bytes).expect("xlsx");
    let phone = t.column("手机号").expect("phone column");
    let id = t.column("身份证号").expect("id column");
    assert!(t.rows.len() > 150);
    assert!(t.rows.iter().all(
        |(_, cells)| cells[phone].text().contains("****") && cells[id].text().contains("****")
    ));
    let before = app.audit_count().await;
    let mut staff = app.as_user("staff").await;
    let r = staff.get("/api/deputies/export?level=county").await;
    let t = office::xlsx::read_table(&r.bytes).expect("xlsx");
    assert!(
        t.rows
            .iter()
            .any(|(_, cells)| !cells[phone].text().contains('*'))
    );
    assert_eq!(
        app.audit_count().await,
        before + 1,
        "an unmasked export is audited"
    );
    // The exported file imports back without errors (the template and export share columns).
    let r = staff
        .post_file("/api/deputies/import", &[], "back.xlsx", &r.bytes)
        .await;
    assert_eq!(
        r.json()["errors"].as_array().map(Vec::len),
        Some(0),
        "{}",
        r.text.chars().take(400).collect::<String>()
    );
}

#[tokio::test]
async fn units_validate_credit_codes_and_import_with_parents() {
    let app = TestApp::with_demo().await;
    let mut c = app.as_user("staff").await;
    let county = app
        .scalar("SELECT id FROM congress WHERE level = 'county'")
        .await;
    let r = c.post_json("/api/units", json!({"congress_id": county, "name": "县测试局", "kind": "government_department", "credit_code": "9144030071526726XA", "contacts": [{"name": "王", "phone": "123"}]})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text.contains("校验位") && r.text.contains("contact_phone_0"),
        "{}",
        r.text
    );
    let r = c.post_json("/api/units", json!({"congress_id": county, "name": "县测试局", "kind": "government_department", "credit_code": "9144030071526726XG", "contacts": [{"name": "王某", "phone": "13800001111"}]})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.json()["id"].as_i64().expect("id");
    let r = c.get(&format!("/api/units/{id}")).await;
    assert_eq!(
        r.json()["contacts"][0]["phone"],
        "13800001111",
        "staff see contact phones"
    );
    let mut handler = app.as_user("handler").await;
    assert_eq!(
        handler.get(&format!("/api/units/{id}")).await.status,
        StatusCode::NOT_FOUND,
        "outside the handler's unit"
    );

    // Import: a parent defined in the same file, a child below it.
    let cols: Vec<office::xlsx::Column> = org::service::units::COLUMNS
        .iter()
        .map(|(h, w)| office::xlsx::Column {
            header: h,
            width: *w,
        })
        .collect();
    let mut w = office::xlsx::SheetWriter::new("承办单位", &cols).expect("w");
    w.push(&[
        "县测试子局".into(),
        "政府部门".into(),
        "县测试总局".into(),
        "".into(),
        "".into(),
        "".into(),
        "".into(),
        "李某".into(),
        "".into(),
        "0859-7654321".into(),
    ])
    .expect("row");
    w.push(&[
        "县测试总局".into(),
        "政府部门".into(),
        "".into(),
        "".into(),
        "".into(),
        "".into(),
        "".into(),
        "".into(),
        "".into(),
        "".into(),
    ])
    .expect("row");
    let file = w.finish().expect("bytes");
    let r = c
        .post_file(
            "/api/units/import",
            &[("congress_id", &county.to_string())],
            "u.xlsx",
            &file,
        )
        .await;
    assert_eq!(r.json()["creates"], 2, "{}", r.text);
    assert_eq!(r.json()["errors"].as_array().map(Vec::len), Some(0));
    // The same through the pages, as a clerk does it.
    let r = c
        .post_file(
            "/units/import",
            &[("congress_id", &county.to_string())],
            "u.xlsx",
            &file,
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        r.text.chars().take(600).collect::<String>()
    );
    assert!(r.text.contains("将新增 <b>2</b> 条"));
    let upload = r
        .text
        .split("name=\"upload_id\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("upload id")
        .to_string();
    let r = c
        .post_form("/units/import/confirm", &[("upload_id", &upload)])
        .await;
    assert!(
        r.text.contains("新增 2 个"),
        "{}",
        r.text.chars().take(600).collect::<String>()
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM unit c JOIN unit p ON p.id = c.parent_id WHERE c.name = '县测试子局' AND p.name = '县测试总局'").await, 1);
}

#[tokio::test]
async fn regions_and_congress_structure_are_validated() {
    let app = TestApp::with_demo().await;
    let mut c = app.as_user("staff").await;
    let r = c
        .post_json("/api/regions", json!({"code": "5229219", "name": "x"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("6 位"));
    let r = c
        .post_json(
            "/api/regions",
            json!({"code": "522922101", "name": "邻县某镇"}),
        )
        .await;
    assert!(r.text.contains("尚未录入"), "{}", r.text);
    let r = c
        .post_json(
            "/api/regions",
            json!({"code": "522921300", "name": "新镇", "parent_code": "522900"}),
        )
        .await;
    assert!(r.text.contains("不一致"), "{}", r.text);
    let r = c
        .post_json("/api/regions", json!({"code": "522921300", "name": "新镇"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["level"], "township");
    let county = app
        .scalar("SELECT id FROM congress WHERE level = 'county'")
        .await;
    let r = c.post_json("/api/congresses", json!({"name": "新镇人民代表大会", "level": "county", "region_code": "522921300", "parent_id": county})).await;
    assert!(
        r.text.contains("应关联县级行政区划") && r.text.contains("上级应为市级"),
        "{}",
        r.text
    );
    let r = c.post_json("/api/congresses", json!({"name": "新镇人民代表大会", "level": "township", "region_code": "522921300", "parent_id": county})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.json()["id"].as_i64().expect("id");
    let r = c
        .post_json(
            &format!("/api/congresses/{id}/terms"),
            json!({"number": 18, "start_date": "2021-11-20", "end_date": "2022-11-19"}),
        )
        .await;
    assert!(r.text.contains("五年"), "{}", r.text);
    let r = c
        .post_json(
            &format!("/api/congresses/{id}/terms"),
            json!({"number": 18, "start_date": "2021-11-20", "end_date": "2026-11-19"}),
        )
        .await;
    let term = r.json()["id"].as_i64().expect("term");
    let r = c
        .post_json(
            &format!("/api/terms/{term}/sessions"),
            json!({"number": 1, "start_date": "2020-01-01", "end_date": "2020-01-02"}),
        )
        .await;
    assert!(r.text.contains("本届任期"), "{}", r.text);
    let r = c
        .post_json(
            &format!("/api/terms/{term}/sessions"),
            json!({"number": 1, "start_date": "2021-11-20", "end_date": "2021-11-21"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    // Staff of the county see the new township congress only if their scope reaches below.
    let r = c.get("/api/congresses").await;
    assert!(r.text.contains("新镇人民代表大会"));
}

#[tokio::test]
async fn one_person_in_two_terms_in_one_file_is_one_person_with_two_seats() {
    let app = TestApp::with_demo().await;
    let mut c = app.as_user("staff").await;
    let a = id_card(31);
    let mut earlier = good_row("丁某", &a, "13812340000");
    earlier[9] = "16";
    let file = roster_xlsx(&[good_row("丁某", &a, "13812340000"), earlier]);
    let r = c
        .post_file("/api/deputies/import", &[], "x.xlsx", &file)
        .await;
    let upload = r.json()["upload_id"].as_i64().expect("valid file");
    let r = c
        .post_json(&format!("/api/deputies/import/{upload}/confirm"), json!({}))
        .await;
    assert_eq!(r.json()["created"], 2, "{}", r.text);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM deputy WHERE name = '丁某'")
            .await,
        1
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM deputy_mandate m JOIN deputy d ON d.id = m.deputy_id WHERE d.name = '丁某'").await, 2);
    let r = c.get("/api/deputies?name=丁某").await;
    assert_eq!(r.json()["items"][0]["phone_masked"], "138****0000");
}
