use chrono::TimeDelta;
use madoguchi_api::accounts::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, otp_code, spawn_app, spawn_app_with};

const LOGIN: &str = "sato@sample.co.jp";
const CONTACT: &str = "sato.sample.co.jp@example.co.jp";
const OTP_EMAIL: &str = "sato-otp@sample.co.jp";

async fn app_with_user() -> (TestApp, madoguchi_api::organizations::OrganizationId) {
    let app = spawn_app().await;
    let organization = app
        .organization_with_contract("N200000001", "佐藤商事株式会社", "hosyu@sample.co.jp")
        .await;
    app.account(Some(organization), LOGIN, Role::UserAdmin).await;
    (app, organization)
}

/// Turns 2-step authentication on for LOGIN with OTP_EMAIL.
async fn enable_two_factor(app: &TestApp) {
    let access = app.access_token(LOGIN).await;
    let challenge = app
        .post_as(&access, "/api/v1/me/two-factor", json!({"email": OTP_EMAIL}))
        .await
        .expect(StatusCode::ACCEPTED);
    let code = otp_code(&app.last_mail(OTP_EMAIL, "ワンタイムパスワード").await.body);
    let profile = app
        .post_as(
            &access,
            "/api/v1/me/two-factor/confirm",
            json!({"challenge_id": challenge["challenge_id"], "code": code}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(profile["two_factor_email"], "sa***@sample.co.jp");
}

async fn start_sign_in(app: &TestApp) -> Value {
    let answer = app
        .post(
            "/api/v1/auth/sign-in",
            json!({"login_id": LOGIN, "password": PASSWORD}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(answer["status"], "otp_required", "{answer}");
    assert_eq!(answer["email_hint"], "sa***@sample.co.jp");
    answer
}

#[tokio::test]
async fn two_step_sign_in_with_the_mailed_code() {
    let (app, _) = app_with_user().await;
    enable_two_factor(&app).await;
    let challenge = start_sign_in(&app).await;
    let code = otp_code(&app.last_mail(OTP_EMAIL, "ワンタイムパスワード").await.body);
    let tokens = app
        .post(
            "/api/v1/auth/otp",
            json!({"challenge_id": challenge["challenge_id"], "code": code}),
        )
        .await
        .expect(StatusCode::OK);
    assert!(tokens["access_token"].is_string());
    // Single use.
    let reused = app
        .post(
            "/api/v1/auth/otp",
            json!({"challenge_id": challenge["challenge_id"], "code": code}),
        )
        .await;
    assert_eq!(
        (reused.status, reused.code()),
        (StatusCode::UNAUTHORIZED, "otp_invalid")
    );
}

#[tokio::test]
async fn a_code_is_void_after_five_wrong_tries_and_after_thirty_minutes() {
    let (app, _) = app_with_user().await;
    enable_two_factor(&app).await;
    let challenge = start_sign_in(&app).await;
    let code = otp_code(&app.last_mail(OTP_EMAIL, "ワンタイムパスワード").await.body);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for remaining in (1..=4).rev() {
        let answer = app
            .post(
                "/api/v1/auth/otp",
                json!({"challenge_id": challenge["challenge_id"], "code": wrong}),
            )
            .await;
        assert_eq!(
            (answer.status, answer.code()),
            (StatusCode::UNAUTHORIZED, "otp_incorrect")
        );
        assert!(
            answer.body["detail"]
                .as_str()
                .is_some_and(|detail| detail.contains(&remaining.to_string()))
        );
    }
    let fifth = app
        .post(
            "/api/v1/auth/otp",
            json!({"challenge_id": challenge["challenge_id"], "code": wrong}),
        )
        .await;
    assert_eq!(fifth.code(), "otp_exhausted");
    let right_too_late = app
        .post(
            "/api/v1/auth/otp",
            json!({"challenge_id": challenge["challenge_id"], "code": code}),
        )
        .await;
    assert_eq!(
        right_too_late.code(),
        "otp_exhausted",
        "the right code no longer works"
    );

    let challenge = start_sign_in(&app).await;
    let code = otp_code(&app.last_mail(OTP_EMAIL, "ワンタイムパスワード").await.body);
    app.advance(TimeDelta::minutes(30) + TimeDelta::seconds(1));
    let expired = app
        .post(
            "/api/v1/auth/otp",
            json!({"challenge_id": challenge["challenge_id"], "code": code}),
        )
        .await;
    assert_eq!(
        (expired.status, expired.code()),
        (StatusCode::UNAUTHORIZED, "otp_expired")
    );
}

#[tokio::test]
async fn a_lost_otp_email_is_released_with_customer_number_and_contractor_name() {
    let (app, _) = app_with_user().await;
    enable_two_factor(&app).await;
    let challenge = start_sign_in(&app).await;
    let release = |email: &str, number: &str, name: &str| {
        json!({
            "challenge_id": challenge["challenge_id"],
            "registered_email": email,
            "customer_number": number,
            "contractor_name": name,
        })
    };
    let refused = app
        .post(
            "/api/v1/auth/otp/release",
            release(OTP_EMAIL, "N200000009", "佐藤商事株式会社"),
        )
        .await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::UNAUTHORIZED, "two_factor_release_refused")
    );
    let tokens = app
        .post(
            "/api/v1/auth/otp/release",
            release("SATO-OTP@sample.co.jp", "n200000001", "佐藤商事　株式会社"),
        )
        .await
        .expect(StatusCode::OK);
    let me = app
        .get_as(tokens["access_token"].as_str().expect("token"), "/api/v1/me")
        .await
        .expect(StatusCode::OK);
    assert!(me["two_factor_email"].is_null(), "2-step authentication is off");
    app.last_mail(CONTACT, "2段階認証が解除されました").await;
}

#[tokio::test]
async fn four_wrong_passwords_lock_the_account_for_an_hour() {
    let (app, _) = app_with_user().await;
    let wrong = json!({"login_id": LOGIN, "password": "Wrong-Password-1"});
    for _ in 0..3 {
        assert_eq!(
            app.post("/api/v1/auth/sign-in", wrong.clone()).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    // Three wrong, then the right one: the count starts over.
    app.sign_in(LOGIN, PASSWORD).await;
    for _ in 0..4 {
        assert_eq!(
            app.post("/api/v1/auth/sign-in", wrong.clone()).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let locked = app
        .post(
            "/api/v1/auth/sign-in",
            json!({"login_id": LOGIN, "password": PASSWORD}),
        )
        .await;
    assert_eq!(
        (locked.status, locked.code()),
        (StatusCode::UNAUTHORIZED, "invalid_credentials")
    );
    let notice = app.last_mail(CONTACT, "アカウントがロックされました").await;
    assert!(notice.body.contains("60分後"));

    app.advance(TimeDelta::minutes(59));
    let still = app
        .post(
            "/api/v1/auth/sign-in",
            json!({"login_id": LOGIN, "password": PASSWORD}),
        )
        .await;
    assert_eq!(still.status, StatusCode::UNAUTHORIZED);
    app.advance(TimeDelta::minutes(2));
    app.sign_in(LOGIN, PASSWORD).await;
}

#[tokio::test]
async fn unknown_login_id_wrong_password_and_locked_account_answer_alike() {
    let (app, _) = app_with_user().await;
    let strip = |mut body: Value| {
        body.as_object_mut().map(|object| object.remove("request_id"));
        body
    };
    let unknown = app
        .post(
            "/api/v1/auth/sign-in",
            json!({"login_id": "nobody@nowhere.jp", "password": PASSWORD}),
        )
        .await;
    let wrong = app
        .post(
            "/api/v1/auth/sign-in",
            json!({"login_id": LOGIN, "password": "Wrong-Password-1"}),
        )
        .await;
    for _ in 0..3 {
        app.post(
            "/api/v1/auth/sign-in",
            json!({"login_id": LOGIN, "password": "Wrong-Password-1"}),
        )
        .await;
    }
    let locked = app
        .post(
            "/api/v1/auth/sign-in",
            json!({"login_id": LOGIN, "password": PASSWORD}),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        (unknown.status, strip(unknown.body.clone())),
        (wrong.status, strip(wrong.body))
    );
    assert_eq!(
        (unknown.status, strip(unknown.body)),
        (locked.status, strip(locked.body))
    );
}

#[tokio::test]
async fn the_auth_endpoints_are_rate_limited_per_address() {
    let app = spawn_app_with(|settings| {
        settings.auth_rate_burst = 5;
        settings.auth_rate_per_minute = 6;
    })
    .await;
    let attempt = json!({"login_id": "nobody", "password": "Whatever-12345"});
    let mut statuses = Vec::new();
    for _ in 0..7 {
        let response = app
            .client
            .post(app.url("/api/v1/auth/sign-in"))
            .json(&attempt)
            .send()
            .await
            .expect("request");
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let status = response.status();
        let body: Value = response.json().await.expect("problem");
        statuses.push((
            status.as_u16(),
            body["code"].as_str().unwrap_or_default().to_owned(),
            retry_after,
        ));
    }
    println!("rate limit figures (burst 5, 6/min): {statuses:?}");
    assert!(statuses[..5].iter().all(|(status, _, _)| *status == 401));
    let (status, code, retry_after) = &statuses[5];
    assert_eq!((*status, code.as_str()), (429, "too_many_requests"));
    let wait: u64 = retry_after
        .as_deref()
        .and_then(|value| value.parse().ok())
        .expect("Retry-After seconds");
    assert!((1..=10).contains(&wait), "{wait}");
    // Endpoints outside the limited scopes are not affected.
    let health = app
        .client
        .get(app.url("/api/v1/health"))
        .send()
        .await
        .expect("request");
    assert_eq!(health.status(), StatusCode::OK);
}
