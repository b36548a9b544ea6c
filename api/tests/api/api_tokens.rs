use madoguchi_api::accounts::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_personal_api_token_acts_for_its_owner_until_revoked() {
    let app = spawn_app().await;
    let organization = app
        .organization_with_contract("N400000001", "自動化株式会社", "hosyu@auto.co.jp")
        .await;
    app.account(Some(organization), "script-owner", Role::UserAdmin)
        .await;
    let access = app.access_token("script-owner").await;

    let created = app
        .post_as(&access, "/api/v1/me/api-tokens", json!({"name": "夜間バッチ"}))
        .await
        .expect(StatusCode::CREATED);
    let api_token = created["token"].as_str().expect("token").to_owned();
    assert!(api_token.starts_with("mdg_"));
    let me = app.get_as(&api_token, "/api/v1/me").await.expect(StatusCode::OK);
    assert_eq!(me["login_id"], "script-owner");
    // The owner's rights: a user administrator lists the organization's accounts.
    app.get_as(&api_token, "/api/v1/accounts")
        .await
        .expect(StatusCode::OK);

    let listed = app
        .get_as(&access, "/api/v1/me/api-tokens")
        .await
        .expect(StatusCode::OK);
    let listed = listed.as_array().expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["name"], "夜間バッチ");
    assert!(listed[0]["last_used_at"].is_string());
    assert!(listed[0].get("token").is_none(), "never shown again");

    let id = created["summary"]["id"].as_i64().expect("id");
    let revoked = app
        .delete_as(&access, &format!("/api/v1/me/api-tokens/{id}"))
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    let after = app.get_as(&api_token, "/api/v1/me").await;
    assert_eq!(
        (after.status, after.code()),
        (StatusCode::UNAUTHORIZED, "unauthenticated")
    );

    // Somebody else's token id answers 404.
    app.account(Some(organization), "colleague", Role::InquiryStaff)
        .await;
    let colleague = app.access_token("colleague").await;
    let theirs = app
        .delete_as(&colleague, &format!("/api/v1/me/api-tokens/{id}"))
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
}
