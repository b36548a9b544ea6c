//! Contracts (SPEC §4): staff create and change them with their maintenance emails and
//! equipment; customers list (契約情報一覧) and read the valid ones their scope shows.

use madoguchi_api::accounts::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// Staff, and a user administrator of 甲商事 (contract C620000001 from the helper).
async fn staff_and_customer() -> (TestApp, String, String, i64) {
    let app = spawn_app().await;
    let kou = app
        .organization_with_contract("N620000001", "甲商事株式会社", "hosyu@kou-shoji.co.jp")
        .await;
    app.organization_with_contract("N620000002", "乙電機株式会社", "hosyu@otsu-denki.co.jp")
        .await;
    app.account(Some(kou), "kou-admin", Role::UserAdmin).await;
    app.account(None, "eigyo", Role::Staff).await;
    let staff = app.access_token("eigyo").await;
    let customer = app.access_token("kou-admin").await;
    (app, staff, customer, kou.0)
}

fn new_contract(organization: i64, number: &str) -> Value {
    json!({
        "organization_id": organization,
        "contract_number": number,
        "service": "hardware_maintenance",
        "starts_on": "2026-04-01",
        "ends_on": "2027-03-31",
        "status": "active",
        "emails": [
            {"holder": "end_user", "email": "Hosyu@Kou-Shoji.co.jp"},
            {"holder": "sales_agent", "email": "sales@dairiten.co.jp"},
        ],
        "equipment": [
            {"maker": "Cisco", "model": "C1111-4P", "serial_number": "FGL2231ABCD", "os_version": "IOS XE 17.9"},
            {"maker": "YAMAHA", "model": "RTX1300", "serial_number": "S4K000111"},
        ],
    })
}

fn numbers(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|item| item["contract_number"].as_str())
        .collect()
}

#[tokio::test]
async fn staff_create_a_contract_that_its_customer_then_lists_and_reads() {
    let (app, staff, customer, kou) = staff_and_customer().await;

    let created = app
        .post_as(&staff, "/api/v1/contracts", new_contract(kou, "hwm-0000001"))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(created["contract_number"], "HWM-0000001", "upper-cased");
    assert_eq!(created["organization"]["customer_number"], "N620000001");
    assert_eq!(created["equipment_count"], 2);
    assert_eq!(created["equipment"][1]["os_version"], "", "absent means unknown");
    assert_eq!(
        created["emails"][0]["email"], "hosyu@kou-shoji.co.jp",
        "lower-cased"
    );

    let mine = app
        .get_as(&customer, "/api/v1/contracts")
        .await
        .expect(StatusCode::OK);
    // HWM ends 2027-03-31; the helper's C620000001 ends 300 days from now.
    assert_eq!(numbers(&mine), ["HWM-0000001", "C620000001"], "soonest end first");
    assert_eq!(mine["total"], 2);
    let id = created["id"].as_i64().expect("id");
    let detail = app
        .get_as(&customer, &format!("/api/v1/contracts/{id}"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(detail["equipment"][0]["serial_number"], "FGL2231ABCD");
    assert_eq!(detail["service"], "hardware_maintenance");

    // The creation is in the organization's audit log.
    let log = app
        .get_as(&customer, "/api/v1/audit-log?action=contract_created")
        .await
        .expect(StatusCode::OK);
    assert_eq!(log["items"][0]["detail"]["contract_number"], "HWM-0000001");

    // The same number again is a conflict naming the field.
    let again = app
        .post_as(&staff, "/api/v1/contracts", new_contract(kou, "HWM-0000001"))
        .await;
    assert_eq!(
        (again.status, again.field_code("contract_number")),
        (StatusCode::CONFLICT, Some("taken"))
    );
}

#[tokio::test]
async fn every_bad_field_is_named_and_nothing_is_stored() {
    let (app, staff, customer, kou) = staff_and_customer().await;
    let mut body = new_contract(kou, "A B");
    body["ends_on"] = json!("2026-03-31");
    body["emails"] = json!([
        {"holder": "end_user", "email": "hosyu@kou-shoji.co.jp"},
        {"holder": "operator", "email": "HOSYU@kou-shoji.co.jp"},
        {"holder": "operator", "email": "not-an-address"},
    ]);
    body["equipment"] = json!([{"maker": "Cisco", "model": " ", "serial_number": "X\u{200b}"}]);
    let refused = app.post_as(&staff, "/api/v1/contracts", body).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    for (field, code) in [
        ("contract_number", "invalid_format"),
        ("ends_on", "ends_before_start"),
        ("emails[1].email", "duplicate"),
        ("emails[2].email", "invalid_format"),
        ("equipment[0].model", "required"),
        ("equipment[0].serial_number", "invalid_format"),
    ] {
        assert_eq!(refused.field_code(field), Some(code), "{field}: {}", refused.body);
    }

    let unknown = app
        .post_as(&staff, "/api/v1/contracts", new_contract(987_654, "HWM-0000002"))
        .await;
    assert_eq!(unknown.field_code("organization_id"), Some("not_allowed"));

    // Customers read contracts; they never write them.
    let forbidden = app
        .post_as(&customer, "/api/v1/contracts", new_contract(kou, "HWM-0000003"))
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);

    let all = app
        .get_as(&staff, "/api/v1/contracts")
        .await
        .expect(StatusCode::OK);
    assert_eq!(all["total"], 2, "only the two seeded contracts: {all}");
}

#[tokio::test]
async fn the_list_filters_by_service_status_end_and_text_and_hides_cancelled_ones_from_customers() {
    let (app, staff, customer, kou) = staff_and_customer().await;
    let today = app.clock.today();
    let day = |offset: i64| (today + chrono::TimeDelta::days(offset)).to_string();
    for (number, service, status, ends_in, serial) in [
        ("OLK0000001", "office_link", "active", 20, "OL-1"),
        ("OLK0000002", "office_link", "active", 120, "OL-2"),
        ("BMB0000001", "business_mobile", "expired", -5, "BM-1"),
        ("CXS0000001", "cx_support", "cancelled", 60, "CX-1"),
    ] {
        let mut body = new_contract(kou, number);
        body["service"] = json!(service);
        body["status"] = json!(status);
        body["starts_on"] = json!(day(-300));
        body["ends_on"] = json!(day(ends_in));
        body["equipment"] = json!([{"maker": "NEC", "model": "UNIVERGE", "serial_number": serial}]);
        app.post_as(&staff, "/api/v1/contracts", body)
            .await
            .expect(StatusCode::CREATED);
    }
    let list = |token: &str, query: &str| {
        let path = format!("/api/v1/contracts?{query}");
        let token = token.to_owned();
        let app = &app;
        async move { app.get_as(&token, &path).await.expect(StatusCode::OK) }
    };

    // C620000001 (helper) ends in 300 days.
    let everything = list(&customer, "").await;
    assert_eq!(
        numbers(&everything),
        ["BMB0000001", "OLK0000001", "OLK0000002", "C620000001"],
        "a customer never sees a cancelled contract"
    );
    assert_eq!(list(&staff, &format!("organization_id={kou}")).await["total"], 5);
    assert_eq!(
        numbers(&list(&customer, "service=office_link").await),
        ["OLK0000001", "OLK0000002"]
    );
    assert_eq!(numbers(&list(&customer, "status=expired").await), ["BMB0000001"]);
    assert_eq!(
        numbers(&list(&customer, "ending_within_days=90").await),
        ["OLK0000001"],
        "active and ending within 90 days"
    );
    let near = &list(&customer, "ending_within_days=90").await["items"][0];
    assert_eq!(near["days_left"], 20);
    assert_eq!(
        numbers(&list(&customer, "q=ol-2").await),
        ["OLK0000002"],
        "by serial number"
    );
    assert_eq!(
        numbers(&list(&customer, "q=bmb").await),
        ["BMB0000001"],
        "by number"
    );
    let paged = list(&customer, "per_page=2&page=2").await;
    assert_eq!(
        (numbers(&paged), paged["total"].as_i64()),
        (vec!["OLK0000002", "C620000001"], Some(4))
    );

    let refused = app
        .get_as(&customer, "/api/v1/contracts?ending_within_days=5000")
        .await;
    assert_eq!(refused.field_code("ending_within_days"), Some("invalid_format"));

    // A cancelled contract's id answers a customer as a missing one.
    let cancelled = list(&staff, "status=cancelled").await["items"][0]["id"].clone();
    let hidden = app
        .get_as(&customer, &format!("/api/v1/contracts/{cancelled}"))
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn staff_change_a_contract_and_only_real_changes_are_recorded() {
    let (app, staff, customer, kou) = staff_and_customer().await;
    let created = app
        .post_as(&staff, "/api/v1/contracts", new_contract(kou, "HWM-0000009"))
        .await
        .expect(StatusCode::CREATED);
    let path = format!("/api/v1/contracts/{}", created["id"]);

    let changed = app
        .patch_as(
            &staff,
            &path,
            json!({
                "ends_on": "2028-03-31",
                "equipment": [{"maker": "YAMAHA", "model": "RTX1300", "serial_number": "S4K999"}],
            }),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(changed["ends_on"], "2028-03-31");
    assert_eq!(changed["equipment_count"], 1);
    assert_eq!(changed["emails"].as_array().map(Vec::len), Some(2), "untouched");

    // The same values again change nothing and record nothing.
    app.patch_as(&staff, &path, json!({"ends_on": "2028-03-31"}))
        .await
        .expect(StatusCode::OK);
    let log = app
        .get_as(&customer, "/api/v1/audit-log?action=contract_updated")
        .await
        .expect(StatusCode::OK);
    assert_eq!(log["items"].as_array().map(Vec::len), Some(1), "{log}");
    assert_eq!(
        log["items"][0]["detail"]["fields"],
        json!(["ends_on", "equipment"])
    );

    let backwards = app
        .patch_as(&staff, &path, json!({"starts_on": "2029-01-01"}))
        .await;
    assert_eq!(backwards.field_code("ends_on"), Some("ends_before_start"));
    let forbidden = app
        .patch_as(&customer, &path, json!({"status": "cancelled"}))
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
}
