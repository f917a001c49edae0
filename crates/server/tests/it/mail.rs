//! Notifications reach people: the in-app inbox at once, e-mail through the
//! outbox and a real SMTP conversation with a relay (a small sink here).

use axum::http::StatusCode;
use serde_json::json;
use testkit::TestApp;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// Accepts SMTP sessions and keeps every message's DATA.
async fn smtp_sink() -> (u16, std::sync::Arc<tokio::sync::Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let got = std::sync::Arc::new(tokio::sync::Mutex::new(Vec::new()));
    let keep = got.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let keep = keep.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut lines = BufReader::new(r).lines();
                let _ = w.write_all(b"220 sink ESMTP\r\n").await;
                let mut data = String::new();
                let mut in_data = false;
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            keep.lock().await.push(std::mem::take(&mut data));
                            let _ = w.write_all(b"250 queued\r\n").await;
                        } else {
                            data.push_str(&line);
                            data.push('\n');
                        }
                        continue;
                    }
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250 sink\r\n"
                    } else if upper.starts_with("DATA") {
                        in_data = true;
                        b"354 go on\r\n"
                    } else if upper.starts_with("QUIT") {
                        let _ = w.write_all(b"221 bye\r\n").await;
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    let _ = w.write_all(reply).await;
                }
            });
        }
    });
    (port, got)
}

#[tokio::test]
async fn a_unit_with_an_email_address_gets_the_assignment_by_mail() {
    let app = TestApp::with_demo().await;
    app.add_test_year_2027().await;
    let mut admin = app.as_user("admin").await;
    let handler = app
        .scalar("SELECT id FROM app_user WHERE username = 'handler'")
        .await;
    let u = admin.get(&format!("/api/users/{handler}")).await.json();
    let mut body = u.clone();
    body["email"] = json!("not-an-address");
    let r = admin
        .put_json(&format!("/api/users/{handler}"), body.clone())
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    body["email"] = json!("jiaotong@qingxi.gov.cn");
    let r = admin.put_json(&format!("/api/users/{handler}"), body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    app.assigned_suggestion("关于路灯维修的建议", "县交通运输局")
        .await;
    // In the inbox at once, and waiting in the outbox for the mail channel.
    let mut handler_c = app.as_user("handler").await;
    let inbox = handler_c.get("/api/notifications").await.json();
    assert!(
        inbox["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|n| n["title"] == "新的交办事项")
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND recipient = 'jiaotong@qingxi.gov.cn'").await, 1);
    // Reading is recorded once per action, and only when something changed.
    let first = inbox["items"][0]["id"].as_i64().expect("id");
    let before = app.audit_count().await;
    let r = handler_c
        .post_json("/api/notifications/read", json!({"id": first}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(app.audit_count().await, before + 1);
    handler_c
        .post_json("/api/notifications/read", json!({"id": first}))
        .await;
    assert_eq!(app.audit_count().await, before + 1, "nothing new to mark");
    app.exec("INSERT INTO notification (user_id, title, body, link, created_at) SELECT id, '事项已超期', '测试', '/inbox', 0 FROM app_user WHERE username = 'handler'")
        .await;
    handler_c
        .post_json("/api/notifications/read", json!({}))
        .await;
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'notification.read' AND entity_id = 'all'")
            .await,
        1
    );

    let (port, got) = smtp_sink().await;
    let smtp = app::channels::Smtp::new(&format!("smtp://127.0.0.1:{port}"), "renda@qingxi.gov.cn")
        .expect("smtp");
    let channels: Vec<Box<dyn app::channels::Channel>> = vec![Box::new(smtp)];
    let sent = app::channels::deliver(&app.ctx, &channels)
        .await
        .expect("deliver");
    assert_eq!(sent, 1);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM outbox WHERE state = 'sent'")
            .await,
        1
    );
    let mails = got.lock().await;
    assert_eq!(mails.len(), 1);
    assert!(
        mails[0].contains("To: jiaotong@qingxi.gov.cn"),
        "{}",
        mails[0]
    );

    // A relay that is down: the message stays pending and counts the attempt.
    app.exec("UPDATE outbox SET state = 'pending', attempts = 0")
        .await;
    let dead = app::channels::Smtp::new("smtp://127.0.0.1:9", "renda@qingxi.gov.cn").expect("smtp");
    let channels: Vec<Box<dyn app::channels::Channel>> = vec![Box::new(dead)];
    assert_eq!(
        app::channels::deliver(&app.ctx, &channels)
            .await
            .expect("deliver"),
        0
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND attempts = 1")
            .await,
        1
    );

    // The administrator sees the failed attempt and its error on the outbox page.
    let mut admin = app.as_user("admin").await;
    let page = admin.get("/admin/outbox").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text.contains("jiaotong@qingxi.gov.cn"),
        "{}",
        page.text
    );
    let mut handler_page = app.as_user("handler").await;
    assert_eq!(
        handler_page.get("/admin/outbox").await.status,
        StatusCode::FORBIDDEN
    );
}
