use chrono::TimeDelta;
use madoguchi_api::accounts::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, link_token, spawn_app};

const LOGIN: &str = "kato";
const CONTACT: &str = "kato@example.co.jp";

async fn app_with_user() -> TestApp {
    let app = spawn_app().await;
    let organization = app
        .organization_with_contract("N300000001", "加藤電機株式会社", "hosyu@kato.co.jp")
        .await;
    app.account(Some(organization), LOGIN, Role::InquiryStaff).await;
    app
}

fn token(body: &serde_json::Value, name: &str) -> String {
    body[name].as_str().expect(name).to_owned()
}

#[tokio::test]
async fn refresh_tokens_rotate_and_a_replayed_one_ends_the_session() {
    let app = app_with_user().await;
    let first = app.sign_in(LOGIN, PASSWORD).await;
    let second = app
        .post(
            "/api/v1/auth/refresh",
            json!({"refresh_token": token(&first, "refresh_token")}),
        )
        .await
        .expect(StatusCode::OK);
    assert_ne!(token(&first, "refresh_token"), token(&second, "refresh_token"));
    app.get_as(&token(&second, "access_token"), "/api/v1/me")
        .await
        .expect(StatusCode::OK);

    // Within seconds (two tabs refreshing together) a reuse is refused, nothing more.
    let concurrent = app
        .post(
            "/api/v1/auth/refresh",
            json!({"refresh_token": token(&first, "refresh_token")}),
        )
        .await;
    assert_eq!(concurrent.status, StatusCode::UNAUTHORIZED);
    app.get_as(&token(&second, "access_token"), "/api/v1/me")
        .await
        .expect(StatusCode::OK);

    // Later, somebody replays the first refresh token: the whole session ends.
    app.advance(chrono::TimeDelta::seconds(11));
    let replay = app
        .post(
            "/api/v1/auth/refresh",
            json!({"refresh_token": token(&first, "refresh_token")}),
        )
        .await;
    assert_eq!(
        (replay.status, replay.code()),
        (StatusCode::UNAUTHORIZED, "refresh_token_invalid")
    );
    let after = app.get_as(&token(&second, "access_token"), "/api/v1/me").await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    let rotated_too = app
        .post(
            "/api/v1/auth/refresh",
            json!({"refresh_token": token(&second, "refresh_token")}),
        )
        .await;
    assert_eq!(rotated_too.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_session_ends_after_thirty_idle_minutes() {
    let app = app_with_user().await;
    let tokens = app.sign_in(LOGIN, PASSWORD).await;
    let access = token(&tokens, "access_token");
    app.advance(TimeDelta::minutes(10));
    app.get_as(&access, "/api/v1/me").await.expect(StatusCode::OK);
    app.advance(TimeDelta::minutes(10));
    let refreshed = app
        .post(
            "/api/v1/auth/refresh",
            json!({"refresh_token": token(&tokens, "refresh_token")}),
        )
        .await
        .expect(StatusCode::OK);
    app.advance(TimeDelta::minutes(31));
    let idle = app
        .post(
            "/api/v1/auth/refresh",
            json!({"refresh_token": token(&refreshed, "refresh_token")}),
        )
        .await;
    assert_eq!(
        (idle.status, idle.code()),
        (StatusCode::UNAUTHORIZED, "session_expired")
    );
    assert!(
        idle.body["title"]
            .as_str()
            .is_some_and(|title| title.contains("ログアウト"))
    );
}

#[tokio::test]
async fn sign_out_ends_the_session_at_once() {
    let app = app_with_user().await;
    let tokens = app.sign_in(LOGIN, PASSWORD).await;
    let access = token(&tokens, "access_token");
    let signed_out = app.post_as(&access, "/api/v1/auth/sign-out", json!({})).await;
    assert_eq!(signed_out.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get_as(&access, "/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    let refresh = app
        .post(
            "/api/v1/auth/refresh",
            json!({"refresh_token": token(&tokens, "refresh_token")}),
        )
        .await;
    assert_eq!(refresh.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_password_change_ends_every_other_session() {
    let app = app_with_user().await;
    let here = token(&app.sign_in(LOGIN, PASSWORD).await, "access_token");
    let elsewhere = token(&app.sign_in(LOGIN, PASSWORD).await, "access_token");
    let wrong_current = app
        .post_as(
            &here,
            "/api/v1/me/password",
            json!({"current_password": "Not-The-Password-1", "new_password": "Atarashii-Pass-77", "new_password_confirmation": "Atarashii-Pass-77"}),
        )
        .await;
    assert_eq!(
        wrong_current.field_code("current_password"),
        Some("wrong_password")
    );
    let changed = app
        .post_as(
            &here,
            "/api/v1/me/password",
            json!({"current_password": PASSWORD, "new_password": "Atarashii-Pass-77", "new_password_confirmation": "Atarashii-Pass-77"}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::NO_CONTENT, "{}", changed.body);
    app.get_as(&here, "/api/v1/me").await.expect(StatusCode::OK);
    assert_eq!(
        app.get_as(&elsewhere, "/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    app.sign_in(LOGIN, "Atarashii-Pass-77").await;
    let old = app
        .post(
            "/api/v1/auth/sign-in",
            json!({"login_id": LOGIN, "password": PASSWORD}),
        )
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    app.last_mail(CONTACT, "パスワードが変更されました").await;
}

#[tokio::test]
async fn forgotten_password_and_login_id_by_contact_email_without_revealing_registration() {
    let app = app_with_user().await;
    for path in ["/api/v1/auth/forgot-password", "/api/v1/auth/forgot-login-id"] {
        let known = app.post(path, json!({"email": CONTACT})).await;
        let unknown = app.post(path, json!({"email": "stranger@example.co.jp"})).await;
        assert_eq!(known.status, StatusCode::ACCEPTED);
        assert_eq!(
            (known.status, known.body),
            (unknown.status, unknown.body),
            "{path}"
        );
    }
    assert!(
        app.outbox()
            .await
            .iter()
            .all(|mail| mail.recipient != "stranger@example.co.jp")
    );
    let reminder = app.last_mail(CONTACT, "ログインIDのお知らせ").await;
    assert!(reminder.body.contains("・「kato」"), "{}", reminder.body);

    let reset = app.last_mail(CONTACT, "パスワード再設定").await;
    let reset_token = link_token(&reset.body);
    let weak = app
        .post(
            "/api/v1/auth/password",
            json!({"token": reset_token, "password": "weak", "password_confirmation": "weak"}),
        )
        .await;
    assert_eq!(weak.field_code("password"), Some("password_too_weak"));
    let done = app
        .post(
            "/api/v1/auth/password",
            json!({"token": reset_token, "password": "Wasureta-Pass-88", "password_confirmation": "Wasureta-Pass-88"}),
        )
        .await;
    assert_eq!(
        done.status,
        StatusCode::NO_CONTENT,
        "a refused password did not use up the link: {}",
        done.body
    );
    app.sign_in(LOGIN, "Wasureta-Pass-88").await;
    let again = app
        .post(
            "/api/v1/auth/password",
            json!({"token": reset_token, "password": "Mata-Wasureta-99", "password_confirmation": "Mata-Wasureta-99"}),
        )
        .await;
    assert_eq!((again.status, again.code()), (StatusCode::GONE, "link_used"));

    app.post("/api/v1/auth/forgot-password", json!({"email": CONTACT}))
        .await;
    let later = link_token(&app.last_mail(CONTACT, "パスワード再設定").await.body);
    app.advance(TimeDelta::minutes(61));
    let expired = app
        .post(
            "/api/v1/auth/password",
            json!({"token": later, "password": "Osoi-Password-11", "password_confirmation": "Osoi-Password-11"}),
        )
        .await;
    assert_eq!(expired.code(), "link_expired");
}
