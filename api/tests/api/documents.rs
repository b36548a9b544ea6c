//! Documents (SPEC §4): staff upload PDFs to a contract; user administrators, contract
//! managers and staff search and download them; files go to the storage (the local
//! directory here, and a real S3-compatible server in the last test).

use madoguchi_api::accounts::Role;
use madoguchi_e2e::s3::S3Server;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{Answer, TestApp, spawn_app, spawn_app_with};

/// A small but real PDF of about `size` bytes.
pub fn pdf(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n".to_vec();
    while bytes.len() + 6 < size {
        bytes.extend_from_slice(b"% pad\n");
    }
    bytes.extend_from_slice(b"%%EOF\n");
    bytes
}

pub fn form(kind: &str, number: &str, file_name: &str, bytes: Vec<u8>) -> Form {
    Form::new()
        .text("kind", kind.to_owned())
        .text("number", number.to_owned())
        .text("title", format!("{number} 保守更新のお見積り"))
        .text("issued_on", "2026-10-01")
        .text("amount_yen", "1234000")
        .part(
            "file",
            Part::bytes(bytes)
                .file_name(file_name.to_owned())
                .mime_str("application/pdf")
                .expect("mime"),
        )
}

pub async fn upload(app: &TestApp, token: &str, contract: i64, form: Form) -> Answer {
    app.send(
        app.client
            .post(app.url(&format!("/api/v1/contracts/{contract}/documents")))
            .bearer_auth(token)
            .multipart(form),
    )
    .await
}

pub struct Setup {
    pub app: TestApp,
    pub staff: String,
    /// 甲商事's contract C640000001.
    pub contract: i64,
}

pub async fn setup(app: TestApp) -> Setup {
    let kou = app
        .organization_with_contract("N640000001", "甲商事株式会社", "hosyu@kou-shoji.co.jp")
        .await;
    for (login, role) in [
        ("kou-admin", Role::UserAdmin),
        ("kou-keiyaku", Role::ContractManager),
        ("kou-inquiry-admin", Role::InquiryAdmin),
        ("kou-inquiry", Role::InquiryStaff),
    ] {
        app.account(Some(kou), login, role).await;
    }
    app.account(None, "eigyo", Role::Staff).await;
    let staff = app.access_token("eigyo").await;
    let contracts = app
        .get_as(&staff, "/api/v1/contracts?q=C640000001")
        .await
        .expect(StatusCode::OK);
    let contract = contracts["items"][0]["id"].as_i64().expect("id");
    Setup { app, staff, contract }
}

#[tokio::test]
async fn a_japanese_named_pdf_goes_up_and_comes_back_byte_for_byte() {
    let Setup { app, staff, contract } = setup(spawn_app().await).await;
    let bytes = pdf(300_000);
    let created = upload(
        &app,
        &staff,
        contract,
        form("quote", "Q-2026-001", "見積書_2026年度 更新.pdf", bytes.clone()),
    )
    .await
    .expect(StatusCode::CREATED);
    assert_eq!(created["file_name"], "見積書_2026年度 更新.pdf");
    assert_eq!(created["size_bytes"], bytes.len());
    assert_eq!(created["sha256"], format!("{:x}", Sha256::digest(&bytes)));
    assert_eq!(created["contract_number"], "C640000001");

    let customer = app.access_token("kou-keiyaku").await;
    let response = app
        .client
        .get(app.url(&format!("/api/v1/documents/{}/file", created["id"])))
        .bearer_auth(&customer)
        .send()
        .await
        .expect("download");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .expect("ascii header")
        .to_owned();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(
        disposition.contains(
            "filename*=UTF-8''%E8%A6%8B%E7%A9%8D%E6%9B%B8_2026%E5%B9%B4%E5%BA%A6%20%E6%9B%B4%E6%96%B0.pdf"
        ),
        "{disposition}"
    );
    assert_eq!(response.bytes().await.expect("body").as_ref(), bytes.as_slice());

    // Searchable by number, title, date and amount; newest first.
    upload(
        &app,
        &staff,
        contract,
        form("invoice", "INV-0099", "請求書.pdf", pdf(2_000)),
    )
    .await
    .expect(StatusCode::CREATED);
    let found = |query: &'static str| {
        let (app, customer) = (&app, customer.clone());
        async move {
            let page = app
                .get_as(&customer, &format!("/api/v1/documents?{query}"))
                .await
                .expect(StatusCode::OK);
            page["items"]
                .as_array()
                .expect("items")
                .iter()
                .filter_map(|item| item["number"].as_str().map(str::to_owned))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(found("kind=quote").await, ["Q-2026-001"]);
    assert_eq!(found("q=inv-00").await, ["INV-0099"]);
    assert_eq!(
        found("q=%E4%BF%9D%E5%AE%88%E6%9B%B4%E6%96%B0").await.len(),
        2,
        "by a Japanese title part"
    );
    assert_eq!(found("issued_from=2026-10-02").await, Vec::<String>::new());
    assert_eq!(found("amount_min=1234000&amount_max=1234000").await.len(), 2);
    let backwards = app
        .get_as(
            &customer,
            "/api/v1/documents?issued_from=2026-10-02&issued_to=2026-10-01",
        )
        .await;
    assert_eq!(backwards.field_code("issued_to"), Some("ends_before_start"));
}

#[tokio::test]
async fn documents_are_for_user_administrators_contract_managers_and_staff_only() {
    let Setup { app, staff, contract } = setup(spawn_app().await).await;
    let created = upload(
        &app,
        &staff,
        contract,
        form("contract", "K-1", "契約書.pdf", pdf(1_000)),
    )
    .await
    .expect(StatusCode::CREATED);
    let id = created["id"].as_i64().expect("id");
    for (login, allowed) in [
        ("eigyo", true),
        ("kou-admin", true),
        ("kou-keiyaku", true),
        ("kou-inquiry-admin", false),
        ("kou-inquiry", false),
    ] {
        let token = app.access_token(login).await;
        for path in [
            "/api/v1/documents".to_owned(),
            format!("/api/v1/documents/{id}"),
            format!("/api/v1/documents/{id}/file"),
        ] {
            let answer = app
                .client
                .get(app.url(&path))
                .bearer_auth(&token)
                .send()
                .await
                .expect("get");
            let status = answer.status();
            if allowed {
                assert_eq!(status, StatusCode::OK, "{login} {path}");
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{login} {path}");
                let problem: Value = answer.json().await.expect("problem");
                assert_eq!(problem["code"], "forbidden", "{login} {path}");
            }
        }
    }
    // Customers never upload reference documents, whatever their role.
    let admin = app.access_token("kou-admin").await;
    let refused = upload(
        &app,
        &admin,
        contract,
        form("invoice", "X-1", "x.pdf", pdf(1_000)),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_renamed_non_pdf_and_an_oversized_pdf_are_refused_and_nothing_is_stored() {
    let Setup { app, staff, contract } =
        setup(spawn_app_with(|settings| settings.document_max_bytes = 64 * 1024).await).await;

    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".repeat(50);
    let disguised = upload(&app, &staff, contract, form("quote", "Q-1", "quote.pdf", png)).await;
    assert_eq!(
        (disguised.status, disguised.field_code("file")),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("not_pdf"))
    );

    let oversized = upload(
        &app,
        &staff,
        contract,
        form("quote", "Q-2", "big.pdf", pdf(200 * 1024)),
    )
    .await;
    assert_eq!(oversized.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(oversized.code(), "payload_too_large");

    // Bad fields after a good file: the stored file goes again.
    let bad_fields = Form::new()
        .text("kind", "memo")
        .part("file", Part::bytes(pdf(1_000)).file_name("ok.pdf"));
    let refused = upload(&app, &staff, contract, bad_fields).await;
    assert_eq!(refused.field_code("kind"), Some("not_allowed"));
    assert_eq!(refused.field_code("number"), Some("required"));
    assert_eq!(refused.field_code("issued_on"), Some("required"));

    // JSON is not an upload.
    let json_body = app
        .post_as(
            &staff,
            &format!("/api/v1/contracts/{contract}/documents"),
            json!({"kind": "quote"}),
        )
        .await;
    assert_eq!(json_body.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    assert_eq!(
        app.storage.keys("documents").await.expect("list"),
        Vec::<String>::new()
    );
    let page = app
        .get_as(&staff, "/api/v1/documents")
        .await
        .expect(StatusCode::OK);
    assert_eq!(page["total"], 0);
}

#[tokio::test]
async fn a_restricted_account_sees_only_its_projects_documents() {
    let Setup { app, staff, contract } = setup(spawn_app().await).await;
    let organization = app
        .get_as(&staff, &format!("/api/v1/contracts/{contract}"))
        .await
        .expect(StatusCode::OK)["organization"]["id"]
        .clone();
    let other = app
        .post_as(
            &staff,
            "/api/v1/contracts",
            json!({"organization_id": organization, "contract_number": "NET0000064", "service": "managed_service",
                   "starts_on": "2026-01-01", "ends_on": "2030-12-31", "status": "active"}),
        )
        .await
        .expect(StatusCode::CREATED)["id"]
        .as_i64()
        .expect("id");
    upload(
        &app,
        &staff,
        contract,
        form("quote", "IN-PROJECT", "a.pdf", pdf(1_000)),
    )
    .await
    .expect(StatusCode::CREATED);
    let outside = upload(&app, &staff, other, form("quote", "OUTSIDE", "b.pdf", pdf(1_000)))
        .await
        .expect(StatusCode::CREATED);
    let project = app
        .post_as(
            &staff,
            "/api/v1/projects",
            json!({"organization_id": organization, "name": "案件", "group_name": "グループ", "contract_numbers": ["C640000001"]}),
        )
        .await
        .expect(StatusCode::CREATED);
    let member = app
        .get_as(&staff, "/api/v1/accounts?q=kou-keiyaku")
        .await
        .expect(StatusCode::OK)["items"][0]["id"]
        .clone();
    app.request_as(
        &staff,
        reqwest::Method::PUT,
        &format!("/api/v1/projects/{}/members/{member}", project["id"]),
        None,
    )
    .await
    .expect(StatusCode::OK);

    let restricted = app.access_token("kou-keiyaku").await;
    let page = app
        .get_as(&restricted, "/api/v1/documents")
        .await
        .expect(StatusCode::OK);
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["number"], "IN-PROJECT");
    for path in [
        format!("/api/v1/documents/{}", outside["id"]),
        format!("/api/v1/documents/{}/file", outside["id"]),
    ] {
        assert_eq!(
            app.get_as(&restricted, &path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    // The unrestricted administrator still sees both.
    let admin = app.access_token("kou-admin").await;
    assert_eq!(
        app.get_as(&admin, "/api/v1/documents")
            .await
            .expect(StatusCode::OK)["total"],
        2
    );
}

/// The same upload rules against a real S3-compatible server (moto): the file is in the
/// bucket, comes back whole, and a refused upload leaves nothing there.
#[tokio::test]
async fn documents_live_in_an_s3_compatible_bucket_when_configured() {
    let s3 = S3Server::start("madoguchi-documents").await;
    let (endpoint, bucket) = (s3.endpoint.clone(), s3.bucket.clone());
    let app = spawn_app_with(move |settings| {
        settings.s3_bucket = Some(bucket);
        settings.s3_endpoint = Some(endpoint);
        settings.s3_access_key_id = Some("testing".into());
        settings.s3_secret_access_key = Some("testing".to_owned().into());
        settings.document_max_bytes = 12 * 1024 * 1024;
    })
    .await;
    assert_eq!(app.storage.kind, "s3");
    let Setup { app, staff, contract } = setup(app).await;

    // Larger than one multipart part (5 MiB), so that the upload really is multipart.
    let bytes = pdf(11 * 1024 * 1024);
    let created = upload(
        &app,
        &staff,
        contract,
        form("invoice", "S3-1", "請求書.pdf", bytes.clone()),
    )
    .await
    .expect(StatusCode::CREATED);
    assert_eq!(app.storage.keys("documents").await.expect("list").len(), 1);
    let downloaded = app
        .client
        .get(app.url(&format!(
            "/api/v1/documents/{}/file?disposition=inline",
            created["id"]
        )))
        .bearer_auth(&staff)
        .send()
        .await
        .expect("download");
    assert!(
        downloaded.headers()["content-disposition"]
            .to_str()
            .expect("ascii")
            .starts_with("inline;")
    );
    assert_eq!(downloaded.bytes().await.expect("body").as_ref(), bytes.as_slice());

    let oversized = upload(
        &app,
        &staff,
        contract,
        form("invoice", "S3-2", "big.pdf", pdf(13 * 1024 * 1024)),
    )
    .await;
    assert_eq!(oversized.status, StatusCode::PAYLOAD_TOO_LARGE);
    let disguised = upload(
        &app,
        &staff,
        contract,
        form("invoice", "S3-3", "x.pdf", vec![b'x'; 4096]),
    )
    .await;
    assert_eq!(disguised.field_code("file"), Some("not_pdf"));
    assert_eq!(
        app.storage.keys("documents").await.expect("list").len(),
        1,
        "only the first upload"
    );

    app.delete_as(&staff, &format!("/api/v1/documents/{}", created["id"]))
        .await
        .expect(StatusCode::NO_CONTENT);
    assert_eq!(
        app.storage.keys("documents").await.expect("list"),
        Vec::<String>::new()
    );
}

/// What a security review found: a cancelled contract's documents are hidden from
/// customers like the contract; a file that only mentions `%PDF-` is no PDF; far-off
/// dates and control characters are refused, never a 500.
#[tokio::test]
async fn cancelled_contracts_documents_odd_dates_and_disguised_files_are_refused_cleanly() {
    let Setup { app, staff, contract } = setup(spawn_app().await).await;
    let quote = upload(&app, &staff, contract, form("quote", "Q-C", "q.pdf", pdf(1_000)))
        .await
        .expect(StatusCode::CREATED);
    let manager = app.access_token("kou-keiyaku").await;
    app.patch_as(
        &staff,
        &format!("/api/v1/contracts/{contract}"),
        json!({"status": "cancelled"}),
    )
    .await
    .expect(StatusCode::OK);
    let page = app
        .get_as(&manager, "/api/v1/documents")
        .await
        .expect(StatusCode::OK);
    assert_eq!(page["total"], 0);
    assert_eq!(
        app.get_as(&manager, &format!("/api/v1/documents/{}", quote["id"]))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let home = app.get_as(&manager, "/api/v1/home").await.expect(StatusCode::OK);
    assert_eq!(home["unanswered_quotes"], json!([]));
    let requote = app
        .post_as(
            &manager,
            &format!("/api/v1/documents/{}/requote", quote["id"]),
            json!({"comment": "x"}),
        )
        .await;
    assert_eq!(requote.status, StatusCode::NOT_FOUND);
    app.patch_as(
        &staff,
        &format!("/api/v1/contracts/{contract}"),
        json!({"status": "active"}),
    )
    .await
    .expect(StatusCode::OK);

    let nul = app
        .post_as(
            &manager,
            &format!("/api/v1/documents/{}/requote", quote["id"]),
            json!({"comment": "a\u{0}b"}),
        )
        .await;
    assert_eq!(nul.field_code("comment"), Some("invalid_format"));

    let html = b"<!doctype html><html><!-- %PDF-1.7 --><script>alert(1)</script></html>".to_vec();
    let disguised = upload(
        &app,
        &staff,
        contract,
        form("invoice", "H-1", "請求書.html", html),
    )
    .await;
    assert_eq!(disguised.field_code("file"), Some("not_pdf"));
    let renamed = upload(
        &app,
        &staff,
        contract,
        form("invoice", "H-2", "請求書.html", pdf(1_000)),
    )
    .await
    .expect(StatusCode::CREATED);
    assert_eq!(renamed["file_name"], "請求書.html.pdf", "a PDF is saved as one");

    let far = app
        .patch_as(
            &staff,
            &format!("/api/v1/contracts/{contract}"),
            json!({"ends_on": "+12345-01-01"}),
        )
        .await;
    assert_eq!(far.field_code("ends_on"), Some("invalid_format"));
    let odd_filter = app
        .get_as(&manager, "/api/v1/documents?issued_from=0200-01-01&amount_min=-5")
        .await;
    assert_eq!(odd_filter.field_code("issued_from"), Some("invalid_format"));
    assert_eq!(odd_filter.field_code("amount_min"), Some("invalid_format"));
}
