//! The outbox is sent by SMTP when it is configured: a local SMTP listener receives the
//! notice of an assistance session, once.

use crate::helpers::{client, config_form, register_form, Backend, TestApp, ADMIN_PASSWORD};
use shopassist::api::assist::StartAssist;
use shopassist::domain::forms::{Checkbox, RegisterForm, StartAssistForm};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// A minimal SMTP server: accepts each message and hands its DATA to the channel.
async fn smtp_listener() -> (String, tokio::sync::mpsc::UnboundedReceiver<String>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else { return };
            let tx = tx.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 test ESMTP\r\n").await.unwrap();
                let mut data = None::<String>;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(body) = data.as_mut() {
                        if line == "." {
                            let _ = tx.send(std::mem::take(body));
                            data = None;
                            write.write_all(b"250 queued\r\n").await.unwrap();
                        } else {
                            body.push_str(&line);
                            body.push('\n');
                        }
                        continue;
                    }
                    let verb = line.split_whitespace().next().unwrap_or_default().to_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250 test\r\n",
                        "DATA" => {
                            data = Some(String::new());
                            b"354 go on\r\n"
                        }
                        "QUIT" => {
                            write.write_all(b"221 bye\r\n").await.unwrap();
                            return;
                        }
                        _ => b"250 ok\r\n",
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (url, rx)
}

async fn the_notice_is_sent_by_smtp_once(backend: Backend) {
    let (url, mut inbox) = smtp_listener().await;
    let app = TestApp::spawn_with(backend, |s| {
        s.smtp_url = Some(url);
        s.mail_from = "Shop <store@example.com>".into();
    })
    .await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let enable = config_form("default", "login_as_customer", &[("login_as_customer.general.enabled", "1")]);
    app.save_config(&admin, &enable).await.unwrap();
    let form =
        RegisterForm { assistance_allowed: Some(Checkbox(true)), ..register_form("Lou", "Kim", "lou@example.com") };
    app.register(&client(), &form).await.unwrap();
    let id = app.customer_id("lou@example.com").await;
    let start = StartAssistForm { customer_id: id.to_string(), store: String::new(), reason: String::new() };
    app.call(&admin, &StartAssist { form: start }).await.unwrap();

    let message = tokio::time::timeout(std::time::Duration::from_secs(15), inbox.recv())
        .await
        .expect("the notice arrives within 15 s")
        .unwrap();
    assert!(message.contains("To: lou@example.com"), "{message}");
    assert!(message.contains("From: Shop <store@example.com>"), "{message}");
    assert!(message.contains("Main Website: a store assistant is helping you"), "{message}");
    assert!(message.contains("Hello Lou Kim"), "{message}");
    let mut sent: Option<i64> = None;
    for _ in 0..50 {
        sent = sqlx::query_scalar("SELECT sent_at FROM outbox_messages").fetch_one(&app.db.pool).await.unwrap();
        if sent.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(sent.is_some(), "marked sent once the relay took it");
    // Sent once: nothing more arrives.
    assert!(tokio::time::timeout(std::time::Duration::from_secs(5), inbox.recv()).await.is_err());
    if let Some(db) = app.pg_database.clone() {
        drop(app);
        crate::helpers::drop_pg_database(Some(db)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_notice_is_sent_by_smtp_once_sqlite() {
    the_notice_is_sent_by_smtp_once(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_notice_is_sent_by_smtp_once_postgres() {
    if crate::helpers::postgres_available().await {
        the_notice_is_sent_by_smtp_once(Backend::Postgres).await;
    }
}
