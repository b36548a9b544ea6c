use chrono::TimeDelta;
use madoguchi_api::accounts::Role;
use madoguchi_api::organizations::OrganizationId;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, link_token, spawn_app};

struct Tenants {
    app: TestApp,
    org_a: OrganizationId,
    org_b: OrganizationId,
}

async fn two_organizations() -> Tenants {
    let app = spawn_app().await;
    let org_a = app
        .organization_with_contract("N500000001", "甲株式会社", "hosyu@kou.co.jp")
        .await;
    let org_b = app
        .organization_with_contract("N500000002", "乙株式会社", "hosyu@otsu.co.jp")
        .await;
    for (login_id, role) in [
        ("a-admin", Role::UserAdmin),
        ("a-contracts", Role::ContractManager),
        ("a-inquiry-admin", Role::InquiryAdmin),
        ("a-staff", Role::InquiryStaff),
    ] {
        app.account(Some(org_a), login_id, role).await;
    }
    app.account(Some(org_b), "b-admin", Role::UserAdmin).await;
    app.account(None, "provider", Role::Staff).await;
    Tenants { app, org_a, org_b }
}

fn new_account(login_id: &str, role: &str) -> Value {
    json!({"login_id": login_id, "full_name": "新人 次郎", "email": format!("{login_id}@kou.co.jp"), "role": role})
}

#[tokio::test]
async fn who_may_list_and_create_accounts() {
    let Tenants { app, org_a, .. } = two_organizations().await;
    for login_id in ["a-contracts", "a-staff"] {
        let token = app.access_token(login_id).await;
        let listed = app.get_as(&token, "/api/v1/accounts").await;
        assert_eq!(
            (listed.status, listed.code()),
            (StatusCode::FORBIDDEN, "forbidden"),
            "{login_id}"
        );
        let created = app
            .post_as(&token, "/api/v1/accounts", new_account("x1", "inquiry_staff"))
            .await;
        assert_eq!(created.status, StatusCode::FORBIDDEN, "{login_id}");
    }

    let inquiry_admin = app.access_token("a-inquiry-admin").await;
    let listed = app
        .get_as(&inquiry_admin, "/api/v1/accounts")
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        listed["items"].as_array().expect("list").len(),
        4,
        "own organization only"
    );
    app.post_as(
        &inquiry_admin,
        "/api/v1/accounts",
        new_account("helpdesk2", "inquiry_staff"),
    )
    .await
    .expect(StatusCode::CREATED);
    let escalation = app
        .post_as(
            &inquiry_admin,
            "/api/v1/accounts",
            new_account("boss", "user_admin"),
        )
        .await;
    assert_eq!(escalation.field_code("role"), Some("not_allowed"));

    let admin = app.access_token("a-admin").await;
    let created = app
        .post_as(
            &admin,
            "/api/v1/accounts",
            new_account("keiyaku2", "contract_manager"),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(created["organization_id"], org_a.0);
    assert_eq!(created["role"], "contract_manager");
    let duplicate = app
        .post_as(
            &admin,
            "/api/v1/accounts",
            new_account("KEIYAKU2", "inquiry_staff"),
        )
        .await;
    assert_eq!(
        (duplicate.status, duplicate.field_code("login_id")),
        (StatusCode::CONFLICT, Some("taken"))
    );
    let staff_role = app
        .post_as(&admin, "/api/v1/accounts", new_account("fake-staff", "staff"))
        .await;
    assert_eq!(staff_role.field_code("role"), Some("not_allowed"));

    // The new user sets a password through the mailed link, then signs in.
    let invitation = app
        .last_mail("keiyaku2@kou.co.jp", "アカウントが作成されました")
        .await;
    let token = link_token(&invitation.body);
    let set = app
        .post(
            "/api/v1/auth/password",
            json!({"token": token, "password": "Hajimete-Pass-12", "password_confirmation": "Hajimete-Pass-12"}),
        )
        .await;
    assert_eq!(set.status, StatusCode::NO_CONTENT, "{}", set.body);
    app.sign_in("keiyaku2", "Hajimete-Pass-12").await;
}

#[tokio::test]
async fn another_organizations_accounts_answer_404() {
    let Tenants { app, org_b, .. } = two_organizations().await;
    let admin_a = app.access_token("a-admin").await;
    let admin_b = app.access_token("b-admin").await;
    let b_accounts = app
        .get_as(&admin_b, "/api/v1/accounts")
        .await
        .expect(StatusCode::OK);
    let b_id = b_accounts["items"][0]["id"].as_i64().expect("id");

    let missing = app.get_as(&admin_a, "/api/v1/accounts/999999").await;
    let foreign = app.get_as(&admin_a, &format!("/api/v1/accounts/{b_id}")).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert_eq!(
        foreign.code(),
        missing.code(),
        "indistinguishable from a missing id"
    );
    let patch = app
        .patch_as(
            &admin_a,
            &format!("/api/v1/accounts/{b_id}"),
            json!({"status": "disabled"}),
        )
        .await;
    assert_eq!(patch.status, StatusCode::NOT_FOUND);
    let unlock = app
        .post_as(&admin_a, &format!("/api/v1/accounts/{b_id}/unlock"), json!({}))
        .await;
    assert_eq!(unlock.status, StatusCode::NOT_FOUND);
    let create_there = app
        .post_as(
            &admin_a,
            "/api/v1/accounts",
            json!({"organization_id": org_b, "login_id": "mole", "full_name": "潜入 者", "email": "mole@otsu.co.jp", "role": "user_admin"}),
        )
        .await;
    assert_eq!(create_there.status, StatusCode::NOT_FOUND);

    let staff = app.access_token("provider").await;
    let all = app
        .get_as(&staff, "/api/v1/accounts")
        .await
        .expect(StatusCode::OK);
    assert!(
        all["items"].as_array().expect("list").len() >= 6,
        "staff see every organization"
    );
    app.get_as(&staff, &format!("/api/v1/accounts/{b_id}"))
        .await
        .expect(StatusCode::OK);
}

#[tokio::test]
async fn user_admin_changes_roles_disables_and_unlocks() {
    let Tenants { app, .. } = two_organizations().await;
    let admin = app.access_token("a-admin").await;
    let accounts = app
        .get_as(&admin, "/api/v1/accounts")
        .await
        .expect(StatusCode::OK);
    let id_of = |login_id: &str| {
        accounts["items"]
            .as_array()
            .expect("list")
            .iter()
            .find(|account| account["login_id"] == login_id)
            .and_then(|account| account["id"].as_i64())
            .expect("account")
    };
    let (staff_id, admin_id) = (id_of("a-staff"), id_of("a-admin"));

    let inquiry_admin = app.access_token("a-inquiry-admin").await;
    let not_allowed = app
        .patch_as(
            &inquiry_admin,
            &format!("/api/v1/accounts/{staff_id}"),
            json!({"role": "user_admin"}),
        )
        .await;
    assert_eq!(not_allowed.status, StatusCode::FORBIDDEN);

    let promoted = app
        .patch_as(
            &admin,
            &format!("/api/v1/accounts/{staff_id}"),
            json!({"role": "inquiry_admin", "pbx_admin": true}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        (promoted["role"].as_str(), promoted["pbx_admin"].as_bool()),
        (Some("inquiry_admin"), Some(true))
    );
    let own = app
        .patch_as(
            &admin,
            &format!("/api/v1/accounts/{admin_id}"),
            json!({"status": "disabled"}),
        )
        .await;
    assert_eq!(own.field_code("status"), Some("not_allowed"));

    // Lock a-staff with wrong passwords; the admin unlocks before the hour is over.
    for _ in 0..4 {
        app.post(
            "/api/v1/auth/sign-in",
            json!({"login_id": "a-staff", "password": "Wrong-Password-1"}),
        )
        .await;
    }
    let listed = app
        .get_as(&admin, &format!("/api/v1/accounts/{staff_id}"))
        .await
        .expect(StatusCode::OK);
    assert!(listed["locked_until"].is_string());
    app.post_as(&admin, &format!("/api/v1/accounts/{staff_id}/unlock"), json!({}))
        .await
        .expect(StatusCode::OK);
    let staff_session = app.sign_in("a-staff", PASSWORD).await;
    let staff_access = staff_session["access_token"].as_str().expect("token").to_owned();

    // Disabling ends the account's sessions at once.
    app.patch_as(
        &admin,
        &format!("/api/v1/accounts/{staff_id}"),
        json!({"status": "disabled"}),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(
        app.get_as(&staff_access, "/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    let refused = app
        .post(
            "/api/v1/auth/sign-in",
            json!({"login_id": "a-staff", "password": PASSWORD}),
        )
        .await;
    assert_eq!(refused.code(), "invalid_credentials");
}

#[tokio::test]
async fn the_audit_log_shows_an_organizations_own_events_to_its_user_admin() {
    let Tenants { app, org_a, .. } = two_organizations().await;
    let admin_a = app.access_token("a-admin").await;
    app.post(
        "/api/v1/auth/sign-in",
        json!({"login_id": "a-staff", "password": "Wrong-Password-1"}),
    )
    .await;
    app.access_token("b-admin").await;
    app.advance(TimeDelta::seconds(1));

    let events = app
        .get_as(&admin_a, "/api/v1/audit-log")
        .await
        .expect(StatusCode::OK);
    let events = events["items"].as_array().expect("list");
    assert!(
        events.iter().all(|event| event["organization_id"] == org_a.0),
        "only organization A"
    );
    let actions: Vec<&str> = events
        .iter()
        .filter_map(|event| event["action"].as_str())
        .collect();
    assert!(
        actions.contains(&"sign_in") && actions.contains(&"sign_in_failed"),
        "{actions:?}"
    );
    assert!(events.iter().any(|event| event["ip"] == "127.0.0.1"));

    let staff_member = app.access_token("a-staff").await;
    assert_eq!(
        app.get_as(&staff_member, "/api/v1/audit-log").await.status,
        StatusCode::FORBIDDEN
    );
    let provider = app.access_token("provider").await;
    let everything = app
        .get_as(&provider, "/api/v1/audit-log?limit=200")
        .await
        .expect(StatusCode::OK);
    assert!(
        everything["items"]
            .as_array()
            .expect("list")
            .iter()
            .any(|event| event["organization_id"] != org_a.0)
    );
}

/// Only real changes are recorded: unlocking an unlocked account, or "changing" a role to
/// itself, changes nothing and writes nothing in the audit log.
#[tokio::test]
async fn changes_that_change_nothing_are_not_recorded() {
    let Tenants { app, .. } = two_organizations().await;
    let admin = app.access_token("a-admin").await;
    let accounts = app
        .get_as(&admin, "/api/v1/accounts?q=a-staff")
        .await
        .expect(StatusCode::OK);
    let id = accounts["items"][0]["id"].as_i64().expect("id");
    let count = |page: &Value| page["items"].as_array().map_or(0, Vec::len);
    let before = count(
        &app.get_as(&admin, "/api/v1/audit-log?limit=200")
            .await
            .expect(StatusCode::OK),
    );

    app.post_as(&admin, &format!("/api/v1/accounts/{id}/unlock"), json!({}))
        .await
        .expect(StatusCode::OK);
    app.patch_as(
        &admin,
        &format!("/api/v1/accounts/{id}"),
        json!({"role": "inquiry_staff", "status": "active"}),
    )
    .await
    .expect(StatusCode::OK);
    let after = app
        .get_as(&admin, "/api/v1/audit-log?limit=200")
        .await
        .expect(StatusCode::OK);
    assert_eq!(count(&after), before, "nothing recorded: {after}");

    // A real change is recorded with what changed, in structured form.
    app.patch_as(
        &admin,
        &format!("/api/v1/accounts/{id}"),
        json!({"role": "contract_manager", "status": "active"}),
    )
    .await
    .expect(StatusCode::OK);
    let latest = app
        .get_as(&admin, "/api/v1/audit-log?limit=1&action=account_updated")
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        latest["items"][0]["detail"],
        json!({"role": {"from": "inquiry_staff", "to": "contract_manager"}})
    );
}
