//! The product support catalog (SPEC §5): staff maintain makers → series → entries; a
//! customer sees the series its contracts' equipment covers (by model prefix), and only
//! through its scope; files need sign-in and stream back byte for byte.

use madoguchi_api::accounts::Role;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{Answer, TestApp, spawn_app, spawn_app_with};

pub struct Catalog {
    pub app: TestApp,
    pub staff: String,
    /// Series covering 甲's EX4300 and 乙's SRX345.
    pub ex: i64,
    pub srx: i64,
}

/// Two customers with Juniper equipment, one maker with two series and one without
/// customers (Cisco Catalyst).
pub async fn catalog(app: TestApp) -> Catalog {
    let kou = app
        .organization_with_contract("N650000001", "甲通信株式会社", "hosyu@kou-tsushin.co.jp")
        .await;
    let otsu = app
        .organization_with_contract("N650000002", "乙電機株式会社", "hosyu@otsu-denki.co.jp")
        .await;
    app.equip(kou, &["EX4300-48T"]).await;
    app.equip(otsu, &["SRX345"]).await;
    app.account(Some(kou), "kou-admin", Role::UserAdmin).await;
    app.account(Some(kou), "kou-inquiry", Role::InquiryStaff).await;
    app.account(Some(otsu), "otsu-admin", Role::UserAdmin).await;
    app.account(None, "catalog-staff", Role::Staff).await;
    let staff = app.access_token("catalog-staff").await;
    let juniper = app
        .post_as(
            &staff,
            "/api/v1/products/makers",
            json!({"name": "Juniper Networks"}),
        )
        .await
        .expect(StatusCode::CREATED)["id"]
        .clone();
    let cisco = app
        .post_as(&staff, "/api/v1/products/makers", json!({"name": "Cisco"}))
        .await
        .expect(StatusCode::CREATED)["id"]
        .clone();
    let series = |maker: &Value, name: &str, prefixes: &[&str]| json!({"maker_id": maker, "name": name, "description": format!("{name}の製品情報"), "model_prefixes": prefixes});
    let ex = app
        .post_as(
            &staff,
            "/api/v1/products/series",
            series(&juniper, "EXシリーズ", &["ex"]),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(ex["model_prefixes"], json!(["ex"]));
    let srx = app
        .post_as(
            &staff,
            "/api/v1/products/series",
            series(&juniper, "SRXシリーズ", &["SRX"]),
        )
        .await
        .expect(StatusCode::CREATED);
    app.post_as(
        &staff,
        "/api/v1/products/series",
        series(&cisco, "Catalyst 9000", &["C9"]),
    )
    .await
    .expect(StatusCode::CREATED);
    Catalog {
        app,
        staff,
        ex: ex["id"].as_i64().expect("id"),
        srx: srx["id"].as_i64().expect("id"),
    }
}

pub fn entry_form(fields: &[(&str, &str)]) -> Form {
    fields.iter().fold(Form::new(), |form, (name, value)| {
        form.text(name.to_string(), value.to_string())
    })
}

pub fn with_file(form: Form, name: &str, bytes: Vec<u8>) -> Form {
    form.part("file", Part::bytes(bytes).file_name(name.to_owned()))
}

pub async fn add_entry(app: &TestApp, token: &str, series: i64, form: Form) -> Answer {
    app.send(
        app.client
            .post(app.url(&format!("/api/v1/products/series/{series}/entries")))
            .bearer_auth(token)
            .multipart(form),
    )
    .await
}

fn series_names(catalog: &Value) -> Vec<String> {
    catalog["makers"]
        .as_array()
        .expect("makers")
        .iter()
        .flat_map(|maker| {
            maker["series"]
                .as_array()
                .expect("series")
                .iter()
                .map(|series| {
                    format!(
                        "{} / {}",
                        maker["name"].as_str().expect("name"),
                        series["name"].as_str().expect("name")
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

#[tokio::test]
async fn customers_see_the_series_their_contracts_equipment_covers() {
    let Catalog { app, staff, ex, srx } = catalog(spawn_app().await).await;

    let all = app
        .get_as(&staff, "/api/v1/products")
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        series_names(&all),
        [
            "Cisco / Catalyst 9000",
            "Juniper Networks / EXシリーズ",
            "Juniper Networks / SRXシリーズ"
        ]
    );

    // 甲 has an EX4300-48T (prefix "ex", any case): the EX series only, no Cisco.
    let kou = app.access_token("kou-inquiry").await;
    let mine = app.get_as(&kou, "/api/v1/products").await.expect(StatusCode::OK);
    assert_eq!(series_names(&mine), ["Juniper Networks / EXシリーズ"]);
    let page = app
        .get_as(&kou, &format!("/api/v1/products/series/{ex}"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(page["maker_name"], "Juniper Networks");
    assert_eq!(
        page["model_prefixes"],
        json!([]),
        "prefixes tell what others have: staff only"
    );
    let other = app.get_as(&kou, &format!("/api/v1/products/series/{srx}")).await;
    assert_eq!((other.status, other.code()), (StatusCode::NOT_FOUND, "not_found"));

    let otsu = app.access_token("otsu-admin").await;
    let theirs = app.get_as(&otsu, "/api/v1/products").await.expect(StatusCode::OK);
    assert_eq!(series_names(&theirs), ["Juniper Networks / SRXシリーズ"]);

    // Widening a series' prefixes widens who sees it.
    let widened = app
        .request_as(
            &staff,
            reqwest::Method::PUT,
            &format!("/api/v1/products/series/{srx}"),
            Some(&json!({"maker_id": page["maker_id"], "name": "SRXシリーズ", "model_prefixes": ["SRX", "EX4300"]})),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(widened["model_prefixes"], json!(["EX4300", "SRX"]));
    let mine = app.get_as(&kou, "/api/v1/products").await.expect(StatusCode::OK);
    assert_eq!(
        series_names(&mine),
        ["Juniper Networks / EXシリーズ", "Juniper Networks / SRXシリーズ"]
    );
}

#[tokio::test]
async fn a_project_restricted_account_sees_only_its_projects_equipment() {
    let Catalog { app, staff, ex, .. } = catalog(spawn_app().await).await;
    let kou = app
        .get_as(&staff, "/api/v1/organizations?q=N650000001")
        .await
        .expect(StatusCode::OK)["items"][0]["id"]
        .clone();
    // A project without the EX contract: its member no longer sees the EX series.
    let project = app
        .post_as(
            &staff,
            "/api/v1/projects",
            json!({"organization_id": kou, "name": "別案件", "group_name": "別案件グループ", "contract_numbers": []}),
        )
        .await
        .expect(StatusCode::CREATED);
    let member = app
        .get_as(&staff, "/api/v1/accounts?q=kou-inquiry")
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
    let restricted = app.access_token("kou-inquiry").await;
    let catalog = app
        .get_as(&restricted, "/api/v1/products")
        .await
        .expect(StatusCode::OK);
    assert_eq!(catalog["makers"], json!([]));
    let page = app
        .get_as(&restricted, &format!("/api/v1/products/series/{ex}"))
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    // Their administrator, in no group, still sees the organization's equipment.
    let admin = app.access_token("kou-admin").await;
    let catalog = app
        .get_as(&admin, "/api/v1/products")
        .await
        .expect(StatusCode::OK);
    assert_eq!(series_names(&catalog), ["Juniper Networks / EXシリーズ"]);
}

#[tokio::test]
async fn a_series_page_has_downloads_documents_versions_and_end_of_support() {
    let Catalog { app, staff, ex, srx } = catalog(spawn_app().await).await;
    // A firmware image: not a PDF, a Japanese name, streamed back byte for byte.
    let firmware: Vec<u8> = (0..200_000_u32).map(|i| (i % 251) as u8).collect();
    let download = add_entry(
        &app,
        &staff,
        ex,
        with_file(
            entry_form(&[
                ("kind", "download"),
                ("title", "Junos OS 推奨版"),
                ("version", "23.4R2-S3"),
                ("published_on", "2026-10-01"),
            ]),
            "junos-ex-23.4R2-S3 署名付き.tgz",
            firmware.clone(),
        ),
    )
    .await
    .expect(StatusCode::CREATED);
    assert_eq!(download["sha256"], format!("{:x}", Sha256::digest(&firmware)));
    assert_eq!(download["size_bytes"], firmware.len());
    add_entry(
        &app,
        &staff,
        ex,
        entry_form(&[
            ("kind", "document"),
            ("title", "リリースノート"),
            ("link_url", "https://www.juniper.net/documentation/"),
        ]),
    )
    .await
    .expect(StatusCode::CREATED);
    add_entry(
        &app,
        &staff,
        ex,
        entry_form(&[
            ("kind", "shipping_version"),
            ("title", "EX4300-48T"),
            ("version", "22.4R3"),
        ]),
    )
    .await
    .expect(StatusCode::CREATED);
    add_entry(
        &app,
        &staff,
        ex,
        entry_form(&[
            ("kind", "end_of_support"),
            ("title", "EX4300-48T (ハードウェア)"),
            ("eoe_on", "2028-03-31"),
            ("eol_on", "2031-03-31"),
        ]),
    )
    .await
    .expect(StatusCode::CREATED);

    let kou = app.access_token("kou-inquiry").await;
    let page = app
        .get_as(&kou, &format!("/api/v1/products/series/{ex}"))
        .await
        .expect(StatusCode::OK);
    let kinds: Vec<&str> = page["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|entry| entry["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(
        kinds,
        ["document", "download", "end_of_support", "shipping_version"]
    );

    let url = app.url(&format!("/api/v1/products/entries/{}/file", download["id"]));
    let anonymous = app.client.get(&url).send().await.expect("sent");
    assert_eq!(
        anonymous.status(),
        StatusCode::UNAUTHORIZED,
        "downloads need sign-in"
    );
    let response = app.client.get(&url).bearer_auth(&kou).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/octet-stream");
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(
        disposition
            .contains("filename*=UTF-8''junos%2Dex%2D23.4R2%2DS3%20%E7%BD%B2%E5%90%8D%E4%BB%98%E3%81%8D.tgz"),
        "{disposition}"
    );
    assert_eq!(
        response.bytes().await.expect("body").as_ref(),
        firmware.as_slice()
    );

    // 乙 does not see the EX series: its files are as missing as the series.
    let otsu = app.access_token("otsu-admin").await;
    let theirs = app
        .client
        .get(&url)
        .bearer_auth(&otsu)
        .send()
        .await
        .expect("sent");
    assert_eq!(theirs.status(), StatusCode::NOT_FOUND);
    // Customers cannot add entries.
    let refused = add_entry(&app, &kou, ex, entry_form(&[("kind", "shipping_version")])).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // Deleting the entry deletes its file.
    let key_count = app.storage.keys("products").await.expect("listed").len();
    app.delete_as(&staff, &format!("/api/v1/products/entries/{}", download["id"]))
        .await
        .expect(StatusCode::NO_CONTENT);
    assert_eq!(
        app.storage.keys("products").await.expect("listed").len(),
        key_count - 1
    );
    let gone = app.client.get(&url).bearer_auth(&kou).send().await.expect("sent");
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    let _ = srx;
}

#[tokio::test]
async fn bad_entries_and_series_are_refused_field_by_field_and_leave_nothing_stored() {
    let Catalog { app, staff, ex, .. } =
        catalog(spawn_app_with(|settings| settings.file_max_bytes = 64 * 1024).await).await;
    let cases: Vec<(Form, &[(&str, &str)])> = vec![
        (
            entry_form(&[("kind", "download"), ("title", "ファーム")]),
            &[("file", "required")],
        ),
        (
            with_file(
                entry_form(&[("kind", "shipping_version"), ("title", "EX2300")]),
                "x.bin",
                vec![1, 2, 3],
            ),
            &[("file", "not_allowed"), ("version", "required")],
        ),
        (
            entry_form(&[
                ("kind", "end_of_support"),
                ("title", "EX2300"),
                ("eoe_on", "2030-01-01"),
                ("eol_on", "2029-01-01"),
            ]),
            &[("eol_on", "ends_before_start")],
        ),
        (
            entry_form(&[
                ("kind", "document"),
                ("title", "手順"),
                ("link_url", "javascript:alert(1)"),
            ]),
            &[("link_url", "invalid_format")],
        ),
        (
            entry_form(&[
                ("kind", "firmware"),
                ("title", " "),
                ("published_on", "2026-13-01"),
            ]),
            &[
                ("kind", "not_allowed"),
                ("title", "required"),
                ("published_on", "invalid_format"),
            ],
        ),
    ];
    for (form, expected) in cases {
        let answer = add_entry(&app, &staff, ex, form).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.body);
        for (field, code) in expected {
            assert_eq!(answer.field_code(field), Some(*code), "{field}: {}", answer.body);
        }
    }
    let too_large = add_entry(
        &app,
        &staff,
        ex,
        with_file(
            entry_form(&[("kind", "download"), ("title", "大きすぎる")]),
            "big.bin",
            vec![0; 65 * 1024],
        ),
    )
    .await;
    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        app.storage.keys("products").await.expect("listed").is_empty(),
        "nothing stored"
    );

    let series = app
        .post_as(
            &staff,
            "/api/v1/products/series",
            json!({"maker_id": 987654321, "name": "", "model_prefixes": ["EX", "ex", ""]}),
        )
        .await;
    assert_eq!(series.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(series.field_code("name"), Some("required"));
    assert_eq!(series.field_code("model_prefixes[1]"), Some("duplicate"));
    assert_eq!(series.field_code("model_prefixes[2]"), Some("required"));
    let duplicate = app
        .post_as(&staff, "/api/v1/products/makers", json!({"name": "Cisco"}))
        .await;
    assert_eq!(
        (duplicate.status, duplicate.field_code("name")),
        (StatusCode::CONFLICT, Some("taken"))
    );
}
