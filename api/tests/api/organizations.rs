//! Organizations: staff create, rename, list and search them; a customer reads its own.

use madoguchi_api::accounts::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

async fn staff_and_two_customers() -> (TestApp, String, String) {
    let app = spawn_app().await;
    let kou = app
        .organization_with_contract("N600000001", "甲商事株式会社", "hosyu@kou-shoji.co.jp")
        .await;
    app.organization_with_contract("N600000002", "乙電機株式会社", "hosyu@otsu-denki.co.jp")
        .await;
    app.account(Some(kou), "kou-admin", Role::UserAdmin).await;
    app.account(Some(kou), "kou-staff", Role::InquiryStaff).await;
    app.account(None, "eigyo", Role::Staff).await;
    let staff = app.access_token("eigyo").await;
    let customer = app.access_token("kou-staff").await;
    (app, staff, customer)
}

fn numbers(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|item| item["customer_number"].as_str())
        .collect()
}

#[tokio::test]
async fn staff_create_list_search_and_rename_organizations() {
    let (app, staff, _) = staff_and_two_customers().await;

    let created = app
        .post_as(
            &staff,
            "/api/v1/organizations",
            json!({"customer_number": "n600000003", "name": "丙システム株式会社"}),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(created["customer_number"], "N600000003", "upper-cased");
    assert_eq!(created["accounts"], 0);
    assert_eq!(created["active_contracts"], 0);

    let all = app
        .get_as(&staff, "/api/v1/organizations")
        .await
        .expect(StatusCode::OK);
    assert_eq!(numbers(&all), ["N600000001", "N600000002", "N600000003"]);
    let kou = &all["items"][0];
    assert_eq!(
        (kou["accounts"].as_i64(), kou["active_contracts"].as_i64()),
        (Some(2), Some(1))
    );

    // A Japanese substring of the name, or a part of the number.
    let by_name = app
        .get_as(&staff, "/api/v1/organizations?q=%E9%9B%BB%E6%A9%9F") // 電機
        .await
        .expect(StatusCode::OK);
    assert_eq!(numbers(&by_name), ["N600000002"]);
    let by_number = app
        .get_as(&staff, "/api/v1/organizations?q=n6000000&per_page=2&page=2")
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        (numbers(&by_number), by_number["total"].as_i64()),
        (vec!["N600000003"], Some(3))
    );

    // Every name is found by its own text (full-width letters included), and ASCII letters
    // in any case, on both backends.
    for (number, name) in [("N600000004", "ＡＢＣ株式会社"), ("N600000005", "Abc Trading")] {
        app.post_as(
            &staff,
            "/api/v1/organizations",
            json!({"customer_number": number, "name": name}),
        )
        .await
        .expect(StatusCode::CREATED);
    }
    for (q, expected) in [
        ("%EF%BC%A1%EF%BC%A2%EF%BC%A3", "N600000004"), // ＡＢＣ
        ("aBC%20tRADING", "N600000005"),
    ] {
        let found = app
            .get_as(&staff, &format!("/api/v1/organizations?q={q}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(numbers(&found), [expected], "q={q}");
    }

    let id = created["id"].as_i64().expect("id");
    let renamed = app
        .patch_as(
            &staff,
            &format!("/api/v1/organizations/{id}"),
            json!({"name": "丙ソリューションズ株式会社"}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(renamed["name"], "丙ソリューションズ株式会社");
    assert_eq!(renamed["customer_number"], "N600000003", "the number stays");
    // The same name again records nothing.
    app.patch_as(
        &staff,
        &format!("/api/v1/organizations/{id}"),
        json!({"name": "丙ソリューションズ株式会社"}),
    )
    .await
    .expect(StatusCode::OK);
    let log = app
        .get_as(&staff, &format!("/api/v1/audit-log?organization_id={id}"))
        .await
        .expect(StatusCode::OK);
    let actions: Vec<&str> = log["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|event| event["action"].as_str())
        .collect();
    assert_eq!(actions, ["organization_renamed", "organization_created"]);
    assert_eq!(
        log["items"][0]["detail"]["name"],
        json!({"from": "丙システム株式会社", "to": "丙ソリューションズ株式会社"})
    );
}

#[tokio::test]
async fn bad_organizations_are_refused_field_by_field() {
    let (app, staff, _) = staff_and_two_customers().await;
    let invalid = app
        .post_as(
            &staff,
            "/api/v1/organizations",
            json!({"customer_number": "X12345", "name": " "}),
        )
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(invalid.field_code("customer_number"), Some("invalid_format"));
    assert_eq!(invalid.field_code("name"), Some("required"));

    let taken = app
        .post_as(
            &staff,
            "/api/v1/organizations",
            json!({"customer_number": "N600000001", "name": "重複株式会社"}),
        )
        .await;
    assert_eq!((taken.status, taken.code()), (StatusCode::CONFLICT, "conflict"));
    assert!(taken.field_code("customer_number").is_some(), "{:?}", taken.body);

    let too_long = app
        .get_as(&staff, &format!("/api/v1/organizations?q={}", "あ".repeat(101)))
        .await;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(too_long.field_code("q"), Some("too_long"));
    // A body is an object whose fields are named when missing or of the wrong type (shared
    // by every endpoint through `json::Json`); an array is not read as fields in order.
    let array = app
        .post_as(
            &staff,
            "/api/v1/organizations",
            json!(["N600000008", "配列株式会社"]),
        )
        .await;
    assert_eq!(
        (array.status, array.code()),
        (StatusCode::BAD_REQUEST, "malformed_body")
    );
    let missing = app
        .post_as(
            &staff,
            "/api/v1/organizations",
            json!({"customer_number": "N600000008"}),
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing.field_code("name"), Some("required"));
    let wrong_type = app
        .post_as(
            &staff,
            "/api/v1/organizations",
            json!({"customer_number": 600000008, "name": "型違い"}),
        )
        .await;
    assert_eq!(wrong_type.field_code("customer_number"), Some("wrong_type"));
    let unknown_role = app
        .post_as(
            &staff,
            "/api/v1/accounts",
            json!({"organization_id": 1, "login_id": "x-role", "full_name": "役割 不明", "email": "x@kou-shoji.co.jp", "role": "emperor"}),
        )
        .await;
    assert_eq!(unknown_role.field_code("role"), Some("wrong_type"));
    let listed = app
        .get_as(&staff, "/api/v1/organizations?q=%E9%85%8D%E5%88%97")
        .await; // 配列
    assert_eq!(listed.expect(StatusCode::OK)["total"], 0, "nothing was created");

    // A NUL cannot be stored in PostgreSQL text and would end SQLite's LIKE: refused, on
    // every list that searches.
    for list in ["/api/v1/organizations", "/api/v1/accounts"] {
        let nul = app.get_as(&staff, &format!("{list}?q=a%00b")).await;
        assert_eq!(nul.status, StatusCode::UNPROCESSABLE_ENTITY, "{list}");
        assert_eq!(nul.field_code("q"), Some("invalid_format"), "{list}");
    }

    let missing = app
        .patch_as(
            &staff,
            "/api/v1/organizations/999999",
            json!({"name": "誰も居ない"}),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_customer_reads_only_its_own_organization_and_changes_none() {
    let (app, _, customer) = staff_and_two_customers().await;
    let own = app
        .get_as(&customer, "/api/v1/organizations")
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        (numbers(&own), own["total"].as_i64()),
        (vec!["N600000001"], Some(1))
    );
    let searched = app
        .get_as(&customer, "/api/v1/organizations?q=%E4%B9%99") // 乙
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        searched["total"], 0,
        "a search never reaches past the own organization"
    );
    let id = own["items"][0]["id"].as_i64().expect("id");
    app.get_as(&customer, &format!("/api/v1/organizations/{id}"))
        .await
        .expect(StatusCode::OK);

    for token in [customer, app.access_token("kou-admin").await] {
        let created = app
            .post_as(
                &token,
                "/api/v1/organizations",
                json!({"customer_number": "N600000009", "name": "勝手株式会社"}),
            )
            .await;
        assert_eq!(
            (created.status, created.code()),
            (StatusCode::FORBIDDEN, "forbidden")
        );
        let renamed = app
            .patch_as(
                &token,
                &format!("/api/v1/organizations/{id}"),
                json!({"name": "改名"}),
            )
            .await;
        assert_eq!(renamed.status, StatusCode::FORBIDDEN);
    }
}
