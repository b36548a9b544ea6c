//! Projects (案件) and customer project groups (SPEC §2): an account in a group sees only
//! its groups' projects' contracts, and every other contract of its organization answers as
//! a missing one; an account in no group sees its whole organization.

use madoguchi_api::accounts::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

struct Setup {
    app: TestApp,
    staff: String,
    kou: i64,
    /// The ids of 甲商事's contracts NET0000001 and SRV0000001.
    network: i64,
    service: i64,
}

async fn setup() -> Setup {
    let app = spawn_app().await;
    let kou = app
        .organization_with_contract("N630000001", "甲商事株式会社", "hosyu@kou-shoji.co.jp")
        .await;
    app.organization_with_contract("N630000002", "乙電機株式会社", "hosyu@otsu-denki.co.jp")
        .await;
    for login in ["kou-admin", "kou-network", "kou-dev"] {
        let role = if login == "kou-admin" {
            Role::UserAdmin
        } else {
            Role::ContractManager
        };
        app.account(Some(kou), login, role).await;
    }
    app.account(None, "eigyo", Role::Staff).await;
    let staff = app.access_token("eigyo").await;
    let mut ids = Vec::new();
    for number in ["NET0000001", "SRV0000001"] {
        let created = app
            .post_as(
                &staff,
                "/api/v1/contracts",
                json!({
                    "organization_id": kou.0, "contract_number": number, "service": "managed_service",
                    "starts_on": "2026-01-01", "ends_on": "2030-12-31", "status": "active",
                }),
            )
            .await
            .expect(StatusCode::CREATED);
        ids.push(created["id"].as_i64().expect("id"));
    }
    Setup {
        app,
        staff,
        kou: kou.0,
        network: ids[0],
        service: ids[1],
    }
}

fn numbers(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|item| item["contract_number"].as_str())
        .collect()
}

async fn account_id(app: &TestApp, token: &str, login_id: &str) -> i64 {
    let page = app
        .get_as(token, &format!("/api/v1/accounts?q={login_id}"))
        .await
        .expect(StatusCode::OK);
    page["items"][0]["id"].as_i64().expect("id")
}

#[tokio::test]
async fn a_group_member_sees_only_its_projects_contracts() {
    let Setup {
        app,
        staff,
        kou,
        network,
        service,
    } = setup().await;
    let project = app
        .post_as(
            &staff,
            "/api/v1/projects",
            json!({
                "organization_id": kou, "name": "社内ネットワーク案件",
                "group_name": "情シスグループ", "contract_numbers": ["net0000001"],
            }),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(project["contracts"][0]["contract_number"], "NET0000001");
    let project_path = format!("/api/v1/projects/{}", project["id"]);
    let member = account_id(&app, &staff, "kou-network").await;
    let added = app
        .request_as(
            &staff,
            reqwest::Method::PUT,
            &format!("{project_path}/members/{member}"),
            None,
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(added["members"][0]["login_id"], "kou-network");

    // The member (signed in after joining) sees the project's contract and nothing else.
    let restricted = app.access_token("kou-network").await;
    let seen = app
        .get_as(&restricted, "/api/v1/contracts")
        .await
        .expect(StatusCode::OK);
    assert_eq!(numbers(&seen), ["NET0000001"]);
    app.get_as(&restricted, &format!("/api/v1/contracts/{network}"))
        .await
        .expect(StatusCode::OK);
    let other = app
        .get_as(&restricted, &format!("/api/v1/contracts/{service}"))
        .await;
    assert_eq!((other.status, other.code()), (StatusCode::NOT_FOUND, "not_found"));
    let projects = app
        .get_as(&restricted, "/api/v1/projects")
        .await
        .expect(StatusCode::OK);
    assert_eq!(projects["total"], 1);

    // Accounts in no group still see the whole organization.
    let whole = app.access_token("kou-dev").await;
    let all = app
        .get_as(&whole, "/api/v1/contracts")
        .await
        .expect(StatusCode::OK);
    assert_eq!(all["total"], 3, "{all}");

    // A second project the member is not in stays hidden, by list and by id.
    let second = app
        .post_as(
            &staff,
            "/api/v1/projects",
            json!({
                "organization_id": kou, "name": "サービス案件",
                "group_name": "法人営業グループ", "contract_numbers": ["SRV0000001"],
            }),
        )
        .await
        .expect(StatusCode::CREATED);
    let hidden = app
        .get_as(&restricted, &format!("/api/v1/projects/{}", second["id"]))
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    // A contract in both projects names only the member's own project to it.
    app.patch_as(
        &staff,
        &format!("/api/v1/projects/{}", second["id"]),
        json!({"contract_numbers": ["SRV0000001", "NET0000001"]}),
    )
    .await
    .expect(StatusCode::OK);
    let shared = app
        .get_as(&restricted, &format!("/api/v1/contracts/{network}"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(shared["projects"].as_array().map(Vec::len), Some(1), "{shared}");
    assert_eq!(shared["projects"][0]["name"], "社内ネットワーク案件");

    // Moving the network contract out of the project takes it away from the member at once.
    app.patch_as(&staff, &project_path, json!({"contract_numbers": []}))
        .await
        .expect(StatusCode::OK);
    let none = app
        .get_as(&restricted, "/api/v1/contracts")
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        none["total"], 0,
        "still restricted, to a project without contracts"
    );

    // Out of every group, the account sees its whole organization again.
    app.delete_as(&staff, &format!("{project_path}/members/{member}"))
        .await
        .expect(StatusCode::OK);
    let again = app
        .get_as(&restricted, "/api/v1/contracts")
        .await
        .expect(StatusCode::OK);
    assert_eq!(again["total"], 3);

    let log = app
        .get_as(&app.access_token("kou-admin").await, "/api/v1/audit-log")
        .await
        .expect(StatusCode::OK);
    let actions: Vec<&str> = log["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|event| event["action"].as_str())
        .filter(|action| action.starts_with("project_"))
        .collect();
    assert_eq!(
        actions,
        [
            "project_member_removed",
            "project_updated",
            "project_updated",
            "project_created",
            "project_member_added",
            "project_created"
        ]
    );
}

#[tokio::test]
async fn projects_take_only_their_organizations_contracts_and_accounts() {
    let Setup { app, staff, kou, .. } = setup().await;
    let refused = app
        .post_as(
            &staff,
            "/api/v1/projects",
            json!({
                "organization_id": kou, "name": " ", "group_name": "グループ",
                "contract_numbers": ["NET0000001", "C630000002", "NET0000001"],
            }),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.field_code("name"), Some("required"));
    assert_eq!(refused.field_code("contract_numbers[2]"), Some("duplicate"));

    // Another customer's contract number is unknown here, whatever it is there.
    let foreign = app
        .post_as(
            &staff,
            "/api/v1/projects",
            json!({
                "organization_id": kou, "name": "案件", "group_name": "グループ",
                "contract_numbers": ["NET0000001", "C630000002"],
            }),
        )
        .await;
    assert_eq!(
        foreign.field_code("contract_numbers[1]"),
        Some("unknown_contract")
    );

    let project = app
        .post_as(
            &staff,
            "/api/v1/projects",
            json!({"organization_id": kou, "name": "案件", "group_name": "グループ", "contract_numbers": []}),
        )
        .await
        .expect(StatusCode::CREATED);
    let duplicate = app
        .post_as(
            &staff,
            "/api/v1/projects",
            json!({"organization_id": kou, "name": "案件", "group_name": "別", "contract_numbers": []}),
        )
        .await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);

    let otsu_admin = {
        let otsu = app
            .get_as(&staff, "/api/v1/organizations?q=N630000002")
            .await
            .expect(StatusCode::OK)["items"][0]["id"]
            .as_i64()
            .expect("id");
        app.account(
            Some(madoguchi_api::organizations::OrganizationId(otsu)),
            "otsu-admin",
            Role::UserAdmin,
        )
        .await
    };
    let wrong = app
        .request_as(
            &staff,
            reqwest::Method::PUT,
            &format!("/api/v1/projects/{}/members/{}", project["id"], otsu_admin.0),
            None,
        )
        .await;
    assert_eq!(wrong.field_code("account_id"), Some("unknown_account"));

    // Customers read projects but never change them.
    let admin = app.access_token("kou-admin").await;
    let path = format!("/api/v1/projects/{}", project["id"]);
    app.get_as(&admin, &path).await.expect(StatusCode::OK);
    let forbidden = app.patch_as(&admin, &path, json!({"name": "改名"})).await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    app.delete_as(&staff, &path).await.expect(StatusCode::NO_CONTENT);
    assert_eq!(app.get_as(&admin, &path).await.status, StatusCode::NOT_FOUND);
}
