use chrono::TimeDelta;
use madoguchi_api::contracts::ContractStatus;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, link_token, spawn_app};

fn registration(login_id: &str, contact: &str, maintenance: &str) -> Value {
    json!({
        "company_name": "株式会社サンプル",
        "full_name": "山田 太郎",
        "login_id": login_id,
        "password": PASSWORD,
        "password_confirmation": PASSWORD,
        "contact_email": contact,
        "maintenance_email": maintenance,
        "consent": true,
    })
}

async fn app_with_contract() -> TestApp {
    let app = spawn_app().await;
    app.organization_with_contract("N100000001", "株式会社サンプル", "hosyu@sample.co.jp")
        .await;
    app
}

#[tokio::test]
async fn register_confirm_by_mailed_link_and_sign_in() {
    let app = app_with_contract().await;
    let answer = app
        .post(
            "/api/v1/registrations",
            registration("Yamada@Sample.co.jp", "yamada@sample.co.jp", "HOSYU@sample.co.jp"),
        )
        .await
        .expect(StatusCode::ACCEPTED);
    assert_eq!(answer["login_id"], "yamada@sample.co.jp");

    // Provisional: no sign-in before confirmation.
    let early = app
        .post(
            "/api/v1/auth/sign-in",
            json!({"login_id": "yamada@sample.co.jp", "password": PASSWORD}),
        )
        .await;
    assert_eq!(early.status, StatusCode::UNAUTHORIZED);

    let first = app.last_mail("yamada@sample.co.jp", "(1/3)").await;
    assert_eq!(
        first.subject, "[窓口] (1/3) 仮登録が完了しました",
        "no user text in subjects"
    );
    assert!(
        first.body.contains("「山田 太郎」"),
        "the name is quoted data: {}",
        first.body
    );
    assert!(
        first.body.contains("yamada@sample.co.jp"),
        "the mail carries the login ID"
    );
    assert!(first.body.contains("http://portal.test/register/confirm?token="));
    let token = link_token(&first.body);

    let confirmed = app
        .post("/api/v1/registrations/confirm", json!({"token": token}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(confirmed["login_id"], "yamada@sample.co.jp");
    let second = app.last_mail("yamada@sample.co.jp", "(2/3)").await;
    assert!(second.subject.contains("本登録を受け付けました"));
    let third = app.last_mail("yamada@sample.co.jp", "(3/3)").await;
    assert!(
        third.body.contains("ログインID: 「yamada@sample.co.jp」"),
        "{}",
        third.body
    );

    let tokens = app.sign_in("yamada@sample.co.jp", PASSWORD).await;
    let access = tokens["access_token"].as_str().expect("token");
    let me = app.get_as(access, "/api/v1/me").await.expect(StatusCode::OK);
    assert_eq!(
        me["role"], "inquiry_staff",
        "self-registration gets the least rights"
    );
    assert_eq!(me["organization"]["customer_number"], "N100000001");
    assert_eq!(me["maintenance_email"], "hosyu@sample.co.jp");

    // The link works once.
    let again = app
        .post("/api/v1/registrations/confirm", json!({"token": token}))
        .await;
    assert_eq!(again.status, StatusCode::GONE);
    assert_eq!(again.code(), "link_used");
}

#[tokio::test]
async fn an_expired_confirmation_link_is_refused_and_the_login_id_comes_back() {
    let app = app_with_contract().await;
    app.post(
        "/api/v1/registrations",
        registration("suzuki", "suzuki@sample.co.jp", "hosyu@sample.co.jp"),
    )
    .await
    .expect(StatusCode::ACCEPTED);
    let token = link_token(&app.last_mail("suzuki@sample.co.jp", "(1/3)").await.body);
    app.advance(TimeDelta::hours(24) + TimeDelta::minutes(2));
    let expired = app
        .post("/api/v1/registrations/confirm", json!({"token": token}))
        .await;
    assert_eq!(expired.status, StatusCode::GONE);
    assert_eq!(expired.code(), "link_expired");
    // Registering again is the way forward, with the same login ID.
    app.post(
        "/api/v1/registrations",
        registration("suzuki", "suzuki@sample.co.jp", "hosyu@sample.co.jp"),
    )
    .await
    .expect(StatusCode::ACCEPTED);

    let unknown = app
        .post("/api/v1/registrations/confirm", json!({"token": "no-such-token"}))
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.code(), "link_invalid");
}

#[tokio::test]
async fn registration_needs_an_active_contract_for_the_maintenance_email() {
    let app = app_with_contract().await;
    app.organization_with_contract_dated(
        "N100000002",
        "旧契約株式会社",
        "old@expired.co.jp",
        ContractStatus::Active,
        -400,
        -1,
    )
    .await;
    app.organization_with_contract_dated(
        "N100000003",
        "解約株式会社",
        "info@cancelled.co.jp",
        ContractStatus::Cancelled,
        -30,
        300,
    )
    .await;
    for (contact, maintenance) in [
        ("taro@unknown.co.jp", "hosyu@unknown.co.jp"),
        ("taro@expired.co.jp", "old@expired.co.jp"),
        ("taro@cancelled.co.jp", "info@cancelled.co.jp"),
    ] {
        let answer = app
            .post(
                "/api/v1/registrations",
                registration("taro", contact, maintenance),
            )
            .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{maintenance}");
        assert_eq!(
            answer.field_code("maintenance_email"),
            Some("no_active_contract"),
            "{}",
            answer.body
        );
    }
    assert!(app.outbox().await.is_empty(), "nothing half-applied, no mail");
}

#[tokio::test]
async fn contact_email_domain_rules() {
    let app = spawn_app().await;
    app.organization_with_contract("N100000004", "東京株式会社", "hosyu@tokyo.sample.co.jp")
        .await;
    app.organization_with_contract("N100000005", "本社株式会社", "hosyu@sample.co.jp")
        .await;
    let cases = [
        ("case1", "a@other.co.jp", "hosyu@sample.co.jp", false),
        ("case2", "a@osaka.sample.co.jp", "hosyu@tokyo.sample.co.jp", false),
        ("case3", "a@sample.co.jp", "hosyu@tokyo.sample.co.jp", true),
        ("case4", "a@osaka.sample.co.jp", "hosyu@sample.co.jp", true),
        ("case5", "a@sample.co.jp", "hosyu@sample.co.jp", true),
    ];
    for (login_id, contact, maintenance, accepted) in cases {
        let answer = app
            .post(
                "/api/v1/registrations",
                registration(login_id, contact, maintenance),
            )
            .await;
        if accepted {
            assert_eq!(
                answer.status,
                StatusCode::ACCEPTED,
                "{contact} / {maintenance}: {}",
                answer.body
            );
        } else {
            assert_eq!(
                answer.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{contact} / {maintenance}"
            );
            assert_eq!(answer.field_code("contact_email"), Some("domain_mismatch"));
        }
    }
}

#[tokio::test]
async fn every_bad_field_is_named_and_a_taken_login_id_is_a_conflict() {
    let app = app_with_contract().await;
    let answer = app
        .post(
            "/api/v1/registrations",
            json!({
                "company_name": "",
                "full_name": "山田 太郎",
                "login_id": "ab",
                "password": "short",
                "password_confirmation": "different",
                "contact_email": "not-an-email",
                "maintenance_email": "hosyu@sample.co.jp",
                "consent": false,
            }),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.field_code("company_name"), Some("required"));
    assert_eq!(answer.field_code("login_id"), Some("too_short"));
    assert_eq!(answer.field_code("contact_email"), Some("invalid_format"));
    assert_eq!(answer.field_code("consent"), Some("must_accept"));

    let mut weak = registration("weakling", "w@sample.co.jp", "hosyu@sample.co.jp");
    for (password, code) in [
        ("alllowercase12", "password_too_weak"),
        ("Password1234", "password_too_common"),
        ("NoDigitsHereAtAll", "password_too_weak"),
    ] {
        weak["password"] = json!(password);
        weak["password_confirmation"] = json!(password);
        let answer = app.post("/api/v1/registrations", weak.clone()).await;
        assert_eq!(
            answer.field_code("password"),
            Some(code),
            "{password}: {}",
            answer.body
        );
    }
    let mut mismatch = registration("mismatch", "m@sample.co.jp", "hosyu@sample.co.jp");
    mismatch["password_confirmation"] = json!("Kanri-Tantou-2027");
    let answer = app.post("/api/v1/registrations", mismatch).await;
    assert_eq!(answer.field_code("password_confirmation"), Some("mismatch"));

    app.post(
        "/api/v1/registrations",
        registration("taken", "t1@sample.co.jp", "hosyu@sample.co.jp"),
    )
    .await
    .expect(StatusCode::ACCEPTED);
    let duplicate = app
        .post(
            "/api/v1/registrations",
            registration("TAKEN", "t2@sample.co.jp", "hosyu@sample.co.jp"),
        )
        .await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    assert_eq!(duplicate.field_code("login_id"), Some("taken"));
}

#[tokio::test]
async fn mails_follow_the_language_of_the_registration() {
    let app = app_with_contract().await;
    let response = app
        .client
        .post(app.url("/api/v1/registrations"))
        .header("Accept-Language", "en-US,en;q=0.9")
        .json(&registration(
            "english-user",
            "english@sample.co.jp",
            "hosyu@sample.co.jp",
        ))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let mail = app.last_mail("english@sample.co.jp", "(1/3)").await;
    assert!(
        mail.subject
            .starts_with("[Madoguchi] (1/3) Provisional registration"),
        "{}",
        mail.subject
    );
    assert!(mail.body.contains("Login ID: \"english-user\""), "{}", mail.body);
    let refused = app
        .client
        .post(app.url("/api/v1/registrations"))
        .header("Accept-Language", "en")
        .json(&registration(
            "english-user",
            "english@other.co.jp",
            "hosyu@sample.co.jp",
        ))
        .send()
        .await
        .expect("request");
    let problem: Value = refused.json().await.expect("problem");
    assert_eq!(problem["title"], "Some fields are invalid");
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .is_some_and(|message| message.contains("same domain"))
    );
}
