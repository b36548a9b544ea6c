//! Tickets: filing (both numbers unknown refused, every CC address checked), notification
//! mails with Cc and threading headers, replies on the web and by mail, the status workflow
//! with optimistic concurrency, resumable attachments, search, and the project scope.

use madoguchi_api::accounts::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::helpers::{TestApp, spawn_app, spawn_app_with};

const PRODUCT: &str = "Juniper Networks EX4300-48T";
const INBOUND_TOKEN: &str = "inbound-mail-token-for-tests-0123456789";

/// An organization with EX4300 equipment, its administrator (`kokyaku`, contact email
/// kokyaku@example.co.jp) and a staff account (`tantou`).
async fn setup(app: &TestApp) -> (String, String) {
    let organization = app
        .organization_with_contract("N700000001", "顧客株式会社", "hosyu@kokyaku.co.jp")
        .await;
    app.equip(organization, &["EX4300-48T"]).await;
    app.account(Some(organization), "kokyaku", Role::UserAdmin).await;
    app.account(None, "tantou", Role::Staff).await;
    (
        app.access_token("kokyaku").await,
        app.access_token("tantou").await,
    )
}

fn ticket(subject: &str) -> Value {
    json!({
        "kind": "incident",
        "product": PRODUCT,
        "subject": subject,
        "contract_number": "C700000001",
        "serial_number": "SN-EX4300-48T",
        "model": "EX4300-48T",
        "os_version": "23.4R1",
        "cc": "tanaka@kokyaku.co.jp, Suzuki@Kokyaku.co.jp",
        "category": "fault",
        "body": "ファームウェア更新後に再起動を繰り返します。",
    })
}

async fn file(app: &TestApp, token: &str, body: Value) -> Value {
    app.post_as(token, "/api/v1/tickets", body)
        .await
        .expect(StatusCode::CREATED)
}

/// Sends `request` with `If-Match: "version"`.
async fn change(
    app: &TestApp,
    token: &str,
    id: i64,
    version: Option<i64>,
    body: Value,
) -> crate::helpers::Answer {
    let mut request = app
        .client
        .patch(app.url(&format!("/api/v1/tickets/{id}")))
        .bearer_auth(token)
        .json(&body);
    if let Some(version) = version {
        request = request.header("If-Match", format!("\"{version}\""));
    }
    app.send(request).await
}

#[tokio::test]
async fn a_ticket_mails_the_reporter_with_cc_and_replies_thread_under_it() {
    let app = spawn_app().await;
    let (customer, staff) = setup(&app).await;

    let products = app
        .get_as(&customer, "/api/v1/ticket-products")
        .await
        .expect(StatusCode::OK);
    assert_eq!(products[0]["product"], PRODUCT, "{products}");
    assert_eq!(products[0]["contract_number"], "C700000001");

    let created = file(&app, &customer, ticket("EX4300 再起動ループ")).await;
    let id = created["id"].as_i64().expect("id");
    let number = created["number"].as_str().expect("number").to_owned();
    assert_eq!(number, format!("T-{id:06}"));
    assert_eq!(created["status"], "new");
    assert_eq!(
        created["cc"],
        json!(["tanaka@kokyaku.co.jp", "suzuki@kokyaku.co.jp"])
    );
    assert!(
        created["contract_id"].is_i64(),
        "the number names the contract: {created}"
    );

    // Seed 004 ⑤: subject = id + product + subject; body = subject, id, category, product, text.
    let mail = app.last_mail("kokyaku@example.co.jp", &number).await;
    assert!(
        mail.subject.contains(PRODUCT) && mail.subject.contains("EX4300 再起動ループ"),
        "{}",
        mail.subject
    );
    for expected in [
        "EX4300 再起動ループ",
        number.as_str(),
        "障害・不具合",
        PRODUCT,
        "再起動を繰り返します",
    ] {
        assert!(mail.body.contains(expected), "{expected} in {}", mail.body);
    }
    let queued: madoguchi_api::mail::Mail = serde_json::from_str(&mail.job.payload).expect("mail");
    assert_eq!(queued.cc, ["tanaka@kokyaku.co.jp", "suzuki@kokyaku.co.jp"]);
    let root = queued.threading.message_id.clone().expect("a message id");
    assert_eq!(root, format!("<ticket-{id}@portal.test>"));

    // Staff answer; the customer sees the answer, the mail threads under the first.
    let answered = app
        .post_as(
            &staff,
            &format!("/api/v1/tickets/{id}/replies"),
            json!({"body": "ログを添付してください。"}),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(
        answered["status"], "open",
        "staff's first answer opens the ticket"
    );
    app.post_as(
        &staff,
        &format!("/api/v1/tickets/{id}/replies"),
        json!({"body": "社内メモ: 既知の不具合の可能性", "internal": true}),
    )
    .await
    .expect(StatusCode::CREATED);
    let seen = app
        .get_as(&customer, &format!("/api/v1/tickets/{id}"))
        .await
        .expect(StatusCode::OK);
    let bodies: Vec<&str> = seen["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|event| event["body"].as_str())
        .collect();
    assert_eq!(
        bodies,
        ["ログを添付してください。"],
        "no internal note for the customer"
    );
    let staff_view = app
        .get_as(&staff, &format!("/api/v1/tickets/{id}"))
        .await
        .expect(StatusCode::OK);
    assert!(
        staff_view.to_string().contains("社内メモ"),
        "staff see their notes"
    );

    app.settle_jobs().await;
    let mails: Vec<_> = app
        .outbox()
        .await
        .into_iter()
        .filter(|mail| mail.subject.contains(&number))
        .collect();
    assert_eq!(mails.len(), 2, "created and the reply; the note mails nobody");
    let reply: madoguchi_api::mail::Mail = serde_json::from_str(&mails[1].job.payload).expect("mail");
    assert!(mails[1].body.contains("ログを添付してください。"));
    assert_eq!(reply.threading.in_reply_to.as_deref(), Some(root.as_str()));
    assert_eq!(reply.threading.references.as_deref(), Some(root.as_str()));
    assert_ne!(reply.threading.message_id.as_deref(), Some(root.as_str()));
    assert_eq!(reply.cc, queued.cc);

    // Incident progress with an estimated recovery time, mailed too; one already past
    // would promise what did not happen.
    let day = (app.clock.now_naive() + chrono::TimeDelta::days(2)).date();
    let past = app
        .post_as(
            &staff,
            &format!("/api/v1/tickets/{id}/progress"),
            json!({"body": "復旧しました。", "estimated_recovery_at": "2020-01-01T09:00:00Z"}),
        )
        .await;
    assert_eq!(past.field_code("estimated_recovery_at"), Some("invalid_format"));
    let progressed = app
        .post_as(
            &staff,
            &format!("/api/v1/tickets/{id}/progress"),
            json!({"body": "メーカーへ調査を依頼しました。", "estimated_recovery_at": format!("{day}T09:00:00Z")}),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(progressed["estimated_recovery_at"], format!("{day}T09:00:00Z"));
    let mail = app.last_mail("kokyaku@example.co.jp", &number).await;
    assert!(mail.body.contains(&format!("{day} 18:00 (JST)")), "{}", mail.body);
    // Customers do not post progress.
    let refused = app
        .post_as(
            &customer,
            &format!("/api/v1/tickets/{id}/progress"),
            json!({"body": "x"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn both_numbers_unknown_and_bad_cc_addresses_are_refused_by_name() {
    let app = spawn_app().await;
    let (customer, _) = setup(&app).await;

    let mut both = ticket("不明");
    both["contract_number"] = json!("不明");
    both["serial_number"] = json!("不明");
    let refused = app.post_as(&customer, "/api/v1/tickets", both).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused.field_code("contract_number"),
        Some("contract_and_serial_unknown")
    );
    assert_eq!(
        refused.field_code("serial_number"),
        Some("contract_and_serial_unknown")
    );
    assert!(
        refused.body.to_string().contains("両方が不明"),
        "{}",
        refused.body
    );

    // One unknown is fine.
    let mut one = ticket("シリアル不明");
    one["serial_number"] = json!("不明");
    file(&app, &customer, one).await;

    let mut bad_cc = ticket("CC");
    bad_cc["cc"] = json!("tanaka@kokyaku.co.jp; suzuki@kokyaku.co.jp");
    let refused = app.post_as(&customer, "/api/v1/tickets", bad_cc).await;
    assert_eq!(refused.field_code("cc"), Some("invalid_email_address"));
    assert!(
        refused
            .body
            .to_string()
            .contains("tanaka@kokyaku.co.jp; suzuki@kokyaku.co.jp"),
        "the bad address is named: {}",
        refused.body
    );
    let mut bad_cc = ticket("CC");
    bad_cc["cc"] = json!("tanaka@kokyaku.co.jp, 鈴木");
    let refused = app.post_as(&customer, "/api/v1/tickets", bad_cc).await;
    assert!(refused.body.to_string().contains("鈴木"), "{}", refused.body);

    // A product or contract the customer does not have.
    let mut foreign = ticket("他社製品");
    foreign["product"] = json!("Cisco ISR4331");
    foreign["contract_number"] = json!("C999999999");
    let refused = app.post_as(&customer, "/api/v1/tickets", foreign).await;
    assert_eq!(refused.field_code("product"), Some("not_allowed"));
    assert_eq!(refused.field_code("contract_number"), Some("unknown_contract"));
    let mut other = ticket("その他の製品");
    other["product"] = json!("その他");
    file(&app, &customer, other).await;

    // Nothing was filed by the refused requests.
    let all = app
        .get_as(&customer, "/api/v1/tickets?tab=all")
        .await
        .expect(StatusCode::OK);
    assert_eq!(all["total"], 2);
}

#[tokio::test]
async fn the_workflow_refuses_illegal_moves_and_stale_changes() {
    let app = spawn_app().await;
    let (customer, staff) = setup(&app).await;
    let created = file(&app, &customer, ticket("状態遷移")).await;
    let id = created["id"].as_i64().expect("id");
    let version = created["version"].as_i64().expect("version");

    // A customer cannot move a ticket along the workflow: 409 with the allowed moves.
    let refused = change(
        &app,
        &customer,
        id,
        Some(version),
        json!({"status": "in_progress"}),
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert_eq!(refused.code(), "illegal_transition");
    assert_eq!(refused.body["allowed"], json!(["closed"]));

    // Without If-Match: 428; staff move it with the version they read.
    let missing = change(&app, &staff, id, None, json!({"status": "in_progress"})).await;
    assert_eq!(missing.status, StatusCode::PRECONDITION_REQUIRED);
    let moved = change(&app, &staff, id, Some(version), json!({"status": "in_progress"}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(moved["status"], "in_progress");
    assert_eq!(moved["version"], version + 1);

    // A second change made on the old version is stale: 412, nothing overwritten.
    let stale = change(&app, &staff, id, Some(version), json!({"status": "resolved"})).await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED, "{}", stale.body);
    assert_eq!(stale.code(), "stale_version");
    let current = app
        .get_as(&staff, &format!("/api/v1/tickets/{id}"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(current["status"], "in_progress");

    // Assignment is staff's (and mails nobody); customers get 403.
    let assignees = app
        .get_as(&staff, "/api/v1/ticket-assignees")
        .await
        .expect(StatusCode::OK);
    let me = assignees[0]["account_id"].as_i64().expect("a staff account");
    let version = current["version"].as_i64().expect("version");
    let assigned = change(&app, &staff, id, Some(version), json!({"assignee_id": me}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(assigned["assignee"]["account_id"], me);
    let refused = change(
        &app,
        &customer,
        id,
        Some(version + 1),
        json!({"assignee_id": null}),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let mine = app
        .get_as(&staff, &format!("/api/v1/tickets?assignee_id={me}"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(mine["total"], 1);

    // Resolved by staff, reopened by the customer, and a customer's reply reopens too.
    let resolved = change(&app, &staff, id, Some(version + 1), json!({"status": "resolved"}))
        .await
        .expect(StatusCode::OK);
    let mail = app.last_mail("kokyaku@example.co.jp", "状態遷移").await;
    assert!(mail.body.contains("解決済み"), "{}", mail.body);
    let reopened = change(
        &app,
        &customer,
        id,
        resolved["version"].as_i64(),
        json!({"status": "open"}),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(reopened["status"], "open");
    let closed = change(
        &app,
        &customer,
        id,
        reopened["version"].as_i64(),
        json!({"status": "closed"}),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(closed["status"], "closed");
    let open_tab = app
        .get_as(&customer, "/api/v1/tickets")
        .await
        .expect(StatusCode::OK);
    assert_eq!(open_tab["total"], 0, "a closed ticket leaves the open tab");
    let replied = app
        .post_as(
            &customer,
            &format!("/api/v1/tickets/{id}/replies"),
            json!({"body": "再発しました。"}),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(replied["status"], "open");
}

#[tokio::test]
async fn concurrent_filing_issues_distinct_ids() {
    let app = spawn_app().await;
    let (customer, _) = setup(&app).await;
    let filings = (0..12).map(|n| {
        let (app, customer) = (&app, &customer);
        async move { file(app, customer, ticket(&format!("同時 {n}"))).await }
    });
    let created = futures_util::future::join_all(filings).await;
    let mut numbers: Vec<String> = created
        .iter()
        .map(|ticket| ticket["number"].as_str().expect("number").to_owned())
        .collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 12, "{numbers:?}");
}

#[tokio::test]
async fn lists_search_japanese_substrings_and_filter() {
    let app = spawn_app().await;
    let (customer, staff) = setup(&app).await;
    let loop_ticket = file(&app, &customer, ticket("EX4300 再起動ループ")).await;
    let mut inquiry = ticket("設定の確認");
    inquiry["kind"] = json!("inquiry");
    inquiry["body"] = json!("VLAN の設定例を教えてください。");
    file(&app, &customer, inquiry).await;

    let search = |q: &'static str| {
        let (app, customer) = (&app, &customer);
        async move {
            let page = app
                .get_as(customer, &format!("/api/v1/tickets?tab=all&q={}", urlencode(q)))
                .await
                .expect(StatusCode::OK);
            page["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|item| item["subject"].as_str().expect("subject").to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(search("再起動").await, ["EX4300 再起動ループ"]);
    assert_eq!(search("設定例").await, ["設定の確認"], "the body is searched");
    assert_eq!(search("vlan").await, ["設定の確認"], "case-insensitive");
    assert_eq!(
        search("ループ 再起動").await,
        ["EX4300 再起動ループ"],
        "every term"
    );
    assert!(search("存在しない語").await.is_empty());
    let number = loop_ticket["number"].as_str().expect("number");
    assert_eq!(
        search(number_static(number)).await,
        ["EX4300 再起動ループ"],
        "by ticket id"
    );

    let incidents = app
        .get_as(&customer, "/api/v1/tickets?kind=incident")
        .await
        .expect(StatusCode::OK);
    assert_eq!(incidents["total"], 1);
    // Staff see every organization, narrowed by one.
    let organization = loop_ticket["organization_id"].as_i64().expect("organization");
    let theirs = app
        .get_as(
            &staff,
            &format!("/api/v1/tickets?organization_id={organization}&sort=created_asc"),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(theirs["total"], 2);
    assert_eq!(theirs["items"][0]["subject"], "EX4300 再起動ループ");
    let elsewhere = app
        .get_as(
            &staff,
            &format!("/api/v1/tickets?organization_id={}", organization + 1000),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(elsewhere["total"], 0);
    let bad = app
        .get_as(&customer, "/api/v1/tickets?from=2026-12-01&to=2026-11-01")
        .await;
    assert_eq!(bad.field_code("to"), Some("ends_before_start"));
}

fn number_static(number: &str) -> &'static str {
    Box::leak(number.to_owned().into_boxed_str())
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Bytes that are not all alike, so that a misplaced part shows in the hash.
fn content(size: usize) -> Vec<u8> {
    (0..size).map(|i| ((i * 31 + i / 4096) % 251) as u8).collect()
}

async fn announce(app: &TestApp, token: &str, name: &str, size: usize) -> i64 {
    app.post_as(
        token,
        "/api/v1/uploads",
        json!({"file_name": name, "size_bytes": size, "content_type": "text/plain"}),
    )
    .await
    .expect(StatusCode::CREATED)["id"]
        .as_i64()
        .expect("id")
}

async fn send_bytes(
    app: &TestApp,
    token: &str,
    id: i64,
    offset: usize,
    bytes: Vec<u8>,
) -> crate::helpers::Answer {
    app.send(
        app.client
            .patch(app.url(&format!("/api/v1/uploads/{id}")))
            .bearer_auth(token)
            .header("Content-Type", "application/offset+octet-stream")
            .header("Upload-Offset", offset.to_string())
            .body(bytes),
    )
    .await
}

#[tokio::test]
async fn an_upload_cut_off_midway_resumes_to_the_exact_file() {
    let app = spawn_app().await;
    let (customer, staff) = setup(&app).await;
    let file_bytes = content(20 * 1024 * 1024 + 123);
    let expected = format!("{:x}", Sha256::digest(&file_bytes));
    let id = announce(&app, &customer, "障害ログ_2026年11月.txt", file_bytes.len()).await;

    // Half of the body, then the connection drops.
    let address = app.address.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&address).await.expect("connects");
    let head = format!(
        "PATCH /api/v1/uploads/{id} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {customer}\r\nContent-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\nContent-Length: {}\r\n\r\n",
        file_bytes.len()
    );
    stream.write_all(head.as_bytes()).await.expect("head");
    stream
        .write_all(&file_bytes[..10 * 1024 * 1024])
        .await
        .expect("half");
    stream.flush().await.expect("flush");
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    drop(stream);

    // What reached the server is kept: at least the full part of 8 MiB.
    let mut offset = 0;
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let state = app
            .get_as(&customer, &format!("/api/v1/uploads/{id}"))
            .await
            .expect(StatusCode::OK);
        offset = state["offset"].as_u64().expect("offset") as usize;
        if offset >= 8 * 1024 * 1024 {
            break;
        }
    }
    assert!(
        (8 * 1024 * 1024..=10 * 1024 * 1024).contains(&offset),
        "offset {offset}"
    );
    assert_eq!(
        app.get_as(&staff, &format!("/api/v1/uploads/{id}")).await.status,
        StatusCode::NOT_FOUND,
        "an upload is its uploader's"
    );

    // A request from a wrong offset is refused with the server's.
    let wrong = send_bytes(&app, &customer, id, 0, file_bytes[..10].to_vec()).await;
    assert_eq!(wrong.status, StatusCode::CONFLICT);
    assert_eq!(wrong.body["offset"], offset);

    // The rest, from the server's offset: complete, with the hash of the whole file.
    let done = send_bytes(&app, &customer, id, offset, file_bytes[offset..].to_vec())
        .await
        .expect(StatusCode::OK);
    assert_eq!(done["complete"], true, "{done}");
    assert_eq!(done["sha256"], expected);

    let mut with_file = ticket("ログ添付");
    with_file["attachments"] = json!([id]);
    let created = file(&app, &customer, with_file).await;
    let attachment = &created["attachments"][0];
    assert_eq!(attachment["file_name"], "障害ログ_2026年11月.txt");
    assert_eq!(attachment["sha256"], expected);
    // An upload attaches once.
    let mut again = ticket("再添付");
    again["attachments"] = json!([id]);
    let refused = app.post_as(&customer, "/api/v1/tickets", again).await;
    assert_eq!(refused.field_code("attachments"), Some("unknown_upload"));

    // Staff download it whole, and a part of it by Range.
    let path = format!("/api/v1/tickets/attachments/{}/file", attachment["id"]);
    let whole = app
        .client
        .get(app.url(&path))
        .bearer_auth(&staff)
        .send()
        .await
        .expect("download");
    assert_eq!(whole.status(), StatusCode::OK);
    assert_eq!(whole.headers()["content-type"], "text/plain");
    assert_eq!(whole.headers()["accept-ranges"], "bytes");
    let disposition = whole.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert!(
        disposition.contains("filename*=UTF-8''%E9%9A%9C%E5%AE%B3"),
        "{disposition}"
    );
    let body = whole.bytes().await.expect("body");
    assert_eq!(format!("{:x}", Sha256::digest(&body)), expected);
    let part = app
        .client
        .get(app.url(&path))
        .bearer_auth(&staff)
        .header("Range", "bytes=1000-1999")
        .send()
        .await
        .expect("range");
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        part.headers()["content-range"],
        format!("bytes 1000-1999/{}", file_bytes.len()).as_str()
    );
    assert_eq!(
        part.bytes().await.expect("part").as_ref(),
        &file_bytes[1000..2000]
    );
    let outside = app
        .client
        .get(app.url(&path))
        .bearer_auth(&staff)
        .header("Range", format!("bytes={}-", file_bytes.len()))
        .send()
        .await
        .expect("range");
    assert_eq!(outside.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    // The parts are gone; only the joined file is kept.
    assert!(app.storage.keys("uploads").await.expect("keys").is_empty());
}

#[tokio::test]
async fn over_the_limit_is_413_and_abandoned_uploads_are_purged() {
    let app = spawn_app_with(|settings| settings.file_max_bytes = 1000).await;
    let (customer, _) = setup(&app).await;
    let refused = app
        .post_as(
            &customer,
            "/api/v1/uploads",
            json!({"file_name": "big.bin", "size_bytes": 1001}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    let id = announce(&app, &customer, "small.bin", 600).await;
    let too_many = send_bytes(&app, &customer, id, 0, content(700)).await;
    assert_eq!(too_many.status, StatusCode::PAYLOAD_TOO_LARGE);
    let state = app
        .get_as(&customer, &format!("/api/v1/uploads/{id}"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(state["complete"], false);
    assert!(
        app.storage.keys("attachments").await.expect("keys").is_empty(),
        "nothing joined"
    );

    // Half sent, then abandoned: a day later the purge removes row and bytes.
    let abandoned = announce(&app, &customer, "abandoned.bin", 900).await;
    send_bytes(&app, &customer, abandoned, 0, content(450))
        .await
        .expect(StatusCode::OK);
    assert!(!app.storage.keys("uploads").await.expect("keys").is_empty());
    app.advance(chrono::TimeDelta::hours(25));
    let now = app.clock.now_naive();
    madoguchi_api::db::run(&app.pool, move |conn| {
        madoguchi_api::jobs::enqueue(
            conn,
            &madoguchi_api::jobs::NewJob::new(madoguchi_api::jobs::JobKind::PurgeUploads, &json!({})),
            now,
        )?;
        Ok(())
    })
    .await
    .expect("queued");
    app.settle_jobs().await;
    assert!(
        app.storage.keys("uploads").await.expect("keys").is_empty(),
        "parts purged"
    );
    let customer = app.access_token("kokyaku").await;
    let gone = app
        .get_as(&customer, &format!("/api/v1/uploads/{abandoned}"))
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
}

/// While the request that sent the last byte joins the parts, another request at the end
/// offset must not join them too (it answers 409, the join stays the first one's); and
/// finished but unattached uploads count against the account's limit like unfinished ones.
#[tokio::test]
async fn a_second_request_does_not_join_an_upload_being_joined_and_finished_uploads_count() {
    let app = spawn_app().await;
    let (customer, _) = setup(&app).await;
    let id = announce(&app, &customer, "log.txt", 10).await;
    // Every byte in, not yet complete: the state while the parts are being joined.
    madoguchi_api::db::run(&app.pool, move |conn| {
        use diesel::prelude::*;
        use madoguchi_api::schema::uploads;
        diesel::update(uploads::table.find(id))
            .set(uploads::received_bytes.eq(10_i64))
            .execute(conn)?;
        Ok(())
    })
    .await
    .expect("moved");
    let second = send_bytes(&app, &customer, id, 10, Vec::new()).await;
    assert_eq!(
        (second.status, second.code()),
        (StatusCode::CONFLICT, "offset_mismatch")
    );
    assert_eq!(second.body["offset"], 10);

    // 49 more announced, one of them finished: the 51st unattached upload is refused.
    let done = announce(&app, &customer, "done.txt", 4).await;
    send_bytes(&app, &customer, done, 0, b"done".to_vec())
        .await
        .expect(StatusCode::OK);
    for index in 0..48 {
        announce(&app, &customer, &format!("log-{index}.txt"), 1).await;
    }
    let refused = app
        .post_as(
            &customer,
            "/api/v1/uploads",
            json!({"file_name": "one-more.txt", "size_bytes": 1}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{}", refused.body);
    let negative = app
        .post_as(
            &customer,
            "/api/v1/uploads",
            json!({"file_name": "x.txt", "size_bytes": -5}),
        )
        .await;
    assert_eq!(negative.field_code("size_bytes"), Some("invalid_format"));
}

fn raw_mail(from: &str, subject: &str, body: &str) -> String {
    format!(
        "From: {from}\r\nTo: support@portal.test\r\nSubject: {subject}\r\nMessage-ID: <r1@kokyaku.co.jp>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n--b1\r\nContent-Type: text/plain; name=\"show_log.txt\"\r\nContent-Disposition: attachment; filename=\"show_log.txt\"\r\n\r\nshow log messages\r\n--b1--\r\n"
    )
}

async fn post_mail(app: &TestApp, token: &str, raw: String) -> crate::helpers::Answer {
    app.send(
        app.client
            .post(app.url("/api/v1/inbound-mail"))
            .bearer_auth(token)
            .header("Content-Type", "message/rfc822")
            .body(raw),
    )
    .await
}

#[tokio::test]
async fn mailed_replies_land_from_the_reporter_or_cc_and_are_refused_from_strangers() {
    let app =
        spawn_app_with(|settings| settings.inbound_mail_token = Some(INBOUND_TOKEN.to_owned().into())).await;
    let (customer, staff) = setup(&app).await;
    let created = file(&app, &customer, ticket("メール返信")).await;
    let (id, number) = (
        created["id"].as_i64().expect("id"),
        created["number"].as_str().expect("n").to_owned(),
    );
    let subject = format!("Re: [窓口] [{number}] {PRODUCT} メール返信");
    let body = "再起動で復旧しました。\r\n\r\n2026年11月24日 窓口 <support@portal.test> のメッセージ:\r\n> ログを添付してください。";

    let added = post_mail(
        &app,
        INBOUND_TOKEN,
        raw_mail("試験 花子 <kokyaku@example.co.jp>", &subject, body),
    )
    .await
    .expect(StatusCode::CREATED);
    assert_eq!(added["number"], number);
    let seen = app
        .get_as(&staff, &format!("/api/v1/tickets/{id}"))
        .await
        .expect(StatusCode::OK);
    let reply = seen["events"]
        .as_array()
        .expect("events")
        .last()
        .expect("a reply")
        .clone();
    assert_eq!(
        reply["body"], "再起動で復旧しました。",
        "the quoted history is cut off"
    );
    assert_eq!(reply["channel"], "email");
    assert_eq!(reply["author"]["name"], "試験 花子");
    assert_eq!(reply["attachments"][0]["file_name"], "show_log.txt");

    // A CC'd address may reply too (by the threading headers alone).
    let cc_reply = raw_mail("tanaka@kokyaku.co.jp", "Re: 返信", "追加情報です。").replace(
        "Message-ID: <r1@kokyaku.co.jp>",
        &format!("Message-ID: <r2@kokyaku.co.jp>\r\nIn-Reply-To: <ticket-{id}@portal.test>"),
    );
    post_mail(&app, INBOUND_TOKEN, cc_reply)
        .await
        .expect(StatusCode::CREATED);

    // A stranger, a mail naming no ticket, a wrong token: refused with a reason.
    let stranger = post_mail(
        &app,
        INBOUND_TOKEN,
        raw_mail("attacker@evil.example", &subject, "乗っ取り"),
    )
    .await;
    assert_eq!(stranger.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(stranger.body["reason"], "sender_not_allowed");
    let nowhere = post_mail(
        &app,
        INBOUND_TOKEN,
        raw_mail("kokyaku@example.co.jp", "こんにちは", "本文"),
    )
    .await;
    assert_eq!(nowhere.body["reason"], "no_ticket");
    let garbage = post_mail(&app, INBOUND_TOKEN, "not a mail".to_owned()).await;
    assert_eq!(garbage.body["reason"], "not_a_message");
    let wrong = post_mail(
        &app,
        "wrong-token",
        raw_mail("kokyaku@example.co.jp", &subject, "x"),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let user_token = post_mail(&app, &customer, raw_mail("kokyaku@example.co.jp", &subject, "x")).await;
    assert_eq!(
        user_token.status,
        StatusCode::UNAUTHORIZED,
        "a user's token is not the inbound one"
    );
    let seen = app
        .get_as(&staff, &format!("/api/v1/tickets/{id}"))
        .await
        .expect(StatusCode::OK);
    let replies = seen["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|event| event["kind"] == "reply")
        .count();
    assert_eq!(replies, 2, "only the reporter's and the CC'd replies landed");
    // Refused mails left no files behind.
    assert_eq!(app.storage.keys("attachments").await.expect("keys").len(), 2);
}

#[tokio::test]
async fn a_project_restricted_account_sees_only_its_projects_tickets() {
    let app = spawn_app().await;
    let (customer, staff) = setup(&app).await;
    let organization = app
        .get_as(&customer, "/api/v1/ticket-products")
        .await
        .expect(StatusCode::OK);
    assert!(organization.as_array().is_some_and(|items| !items.is_empty()));
    // A ticket on the contract (outside any project of the restricted account) with a file.
    let upload = announce(&app, &customer, "log.txt", 3).await;
    send_bytes(&app, &customer, upload, 0, b"log".to_vec())
        .await
        .expect(StatusCode::OK);
    let mut with_file = ticket("プロジェクト外");
    with_file["attachments"] = json!([upload]);
    let outside = file(&app, &customer, with_file).await;
    let outside_id = outside["id"].as_i64().expect("id");
    let attachment = outside["attachments"][0]["id"].as_i64().expect("attachment");

    // A restricted account: in a project group whose project holds no contract of it.
    let me = app.get_as(&customer, "/api/v1/me").await.expect(StatusCode::OK);
    let organization_id = me["organization"]["id"].as_i64().expect("organization");
    let restricted = app
        .account(
            Some(madoguchi_api::organizations::OrganizationId(organization_id)),
            "gentei",
            Role::InquiryStaff,
        )
        .await;
    let project = app
        .post_as(
            &staff,
            "/api/v1/projects",
            json!({"organization_id": organization_id, "name": "別案件", "group_name": "別案件グループ", "contract_numbers": []}),
        )
        .await
        .expect(StatusCode::CREATED);
    app.request_as(
        &staff,
        reqwest::Method::PUT,
        &format!("/api/v1/projects/{}/members/{}", project["id"], restricted.0),
        None,
    )
    .await
    .expect(StatusCode::OK);
    let token = app.access_token("gentei").await;

    for answer in [
        app.get_as(&token, &format!("/api/v1/tickets/{outside_id}")).await,
        app.post_as(
            &token,
            &format!("/api/v1/tickets/{outside_id}/replies"),
            json!({"body": "x"}),
        )
        .await,
        app.get_as(&token, &format!("/api/v1/tickets/attachments/{attachment}/file"))
            .await,
    ] {
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{}", answer.body);
    }
    let list = app
        .get_as(&token, "/api/v1/tickets?tab=all")
        .await
        .expect(StatusCode::OK);
    assert_eq!(list["total"], 0);
    // Its own ticket (contract unknown) it does see.
    let mut own = ticket("自分の問い合わせ");
    own["product"] = json!("その他");
    own["contract_number"] = json!("不明");
    let own = file(&app, &token, own).await;
    app.get_as(&token, &format!("/api/v1/tickets/{}", own["id"]))
        .await
        .expect(StatusCode::OK);
    let list = app
        .get_as(&token, "/api/v1/tickets?tab=all")
        .await
        .expect(StatusCode::OK);
    assert_eq!(list["total"], 1);
}
