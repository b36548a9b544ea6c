//! Regression tests for what a black-box attack on the accounts slice found (issue 9):
//! each failed on the code before the fix.

use chrono::TimeDelta;
use diesel::prelude::*;
use futures_util::future::join_all;
use madoguchi_api::accounts::{AccountId, Role};
use madoguchi_api::audit::AuditAction;
use madoguchi_api::db;
use madoguchi_api::schema::audit_events;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, link_token, otp_code, spawn_app, spawn_app_with};

const MAINTENANCE: &str = "hosyu@anzen.co.jp";

async fn app_with(
    login_id: &str,
    adjust: impl FnOnce(&mut madoguchi_api::config::Settings),
) -> (TestApp, AccountId) {
    let app = spawn_app_with(adjust).await;
    let organization = app
        .organization_with_contract("N800000001", "安全株式会社", MAINTENANCE)
        .await;
    let id = app.account(Some(organization), login_id, Role::UserAdmin).await;
    (app, id)
}

/// `(action, detail)` of the audit events about an account, oldest first.
async fn audit_of(app: &TestApp, account: AccountId) -> Vec<(AuditAction, Value)> {
    db::run(&app.pool, move |conn| {
        Ok(audit_events::table
            .filter(audit_events::subject_account_id.eq(account))
            .order(audit_events::id.asc())
            .select((audit_events::action, audit_events::detail))
            .load::<(AuditAction, String)>(conn)?)
    })
    .await
    .expect("audit")
    .into_iter()
    .map(|(action, detail)| (action, serde_json::from_str(&detail).unwrap_or(Value::Null)))
    .collect()
}

fn count(events: &[(AuditAction, Value)], action: AuditAction, reason: Option<&str>) -> usize {
    events
        .iter()
        .filter(|(seen, detail)| *seen == action && reason.is_none_or(|reason| detail["reason"] == reason))
        .count()
}

/// Parallel wrong passwords: at most four are checked, and the account locks once.
#[tokio::test]
async fn parallel_wrong_passwords_get_four_checks_and_one_lock() {
    let (app, id) = app_with("heiretsu", |_| {}).await;
    let attempts = (0..40).map(|attempt| {
        app.post(
            "/api/v1/auth/sign-in",
            json!({"login_id": "heiretsu", "password": format!("Wrong-Password-{attempt}")}),
        )
    });
    for answer in join_all(attempts).await {
        assert_eq!(
            (answer.status, answer.code()),
            (StatusCode::UNAUTHORIZED, "invalid_credentials")
        );
    }
    let events = audit_of(&app, id).await;
    assert_eq!(
        count(&events, AuditAction::SignInFailed, Some("wrong_password")),
        4,
        "{events:?}"
    );
    assert_eq!(count(&events, AuditAction::AccountLocked, None), 1, "{events:?}");
    assert_eq!(count(&events, AuditAction::SignInFailed, Some("locked")), 36);
    let right = app
        .post(
            "/api/v1/auth/sign-in",
            json!({"login_id": "heiretsu", "password": PASSWORD}),
        )
        .await;
    assert_eq!(
        right.status,
        StatusCode::UNAUTHORIZED,
        "locked even for the right password"
    );
    let locked_mails = app
        .outbox()
        .await
        .into_iter()
        .filter(|mail| mail.subject.contains("ロック"))
        .count();
    assert_eq!(locked_mails, 1);
}

/// Guessing the current password behind a stolen session counts toward the same lockout.
#[tokio::test]
async fn wrong_current_passwords_count_toward_the_lockout() {
    let (app, _) = app_with("genzai", |_| {}).await;
    let access = app.access_token("genzai").await;
    let change = |current: &str| json!({"current_password": current, "new_password": "Atarashii-Pass-77", "new_password_confirmation": "Atarashii-Pass-77"});
    for attempt in 0..4 {
        let answer = app
            .post_as(
                &access,
                "/api/v1/me/password",
                change(&format!("Guess-{attempt}-Password")),
            )
            .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(answer.field_code("current_password"), Some("wrong_password"));
    }
    let locked = app
        .post_as(&access, "/api/v1/me/password", change(PASSWORD))
        .await;
    assert_eq!(locked.field_code("current_password"), Some("account_locked"));
    let disable = app
        .post_as(
            &access,
            "/api/v1/me/two-factor/disable",
            json!({"password": PASSWORD}),
        )
        .await;
    assert_eq!(disable.field_code("password"), Some("account_locked"));
    let sign_in = app
        .post(
            "/api/v1/auth/sign-in",
            json!({"login_id": "genzai", "password": PASSWORD}),
        )
        .await;
    assert_eq!(sign_in.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn password_checks_behind_a_session_are_rate_limited() {
    let (app, _) = app_with("seigen", |settings| {
        settings.sensitive_rate_per_minute = 1;
        settings.sensitive_rate_burst = 2;
    })
    .await;
    let access = app.access_token("seigen").await;
    let statuses: Vec<StatusCode> = join_all((0..3).map(|_| {
        app.post_as(
            &access,
            "/api/v1/me/two-factor/disable",
            json!({"password": "Not-The-Password-1"}),
        )
    }))
    .await
    .into_iter()
    .map(|answer| answer.status)
    .collect();
    assert!(statuses.contains(&StatusCode::TOO_MANY_REQUESTS), "{statuses:?}");
}

/// Two reset links: once one sets a password, the other is void; a link issued before a
/// password change is void after it; a newer one-time password voids the older one.
#[tokio::test]
async fn a_new_password_voids_every_older_link_and_code() {
    let (app, _) = app_with("kigen", |_| {}).await;
    let contact = "kigen@example.co.jp";
    app.post("/api/v1/auth/forgot-password", json!({"email": contact}))
        .await
        .expect(StatusCode::ACCEPTED);
    let link_a = link_token(&app.last_mail(contact, "パスワード再設定").await.body);
    app.post("/api/v1/auth/forgot-password", json!({"email": contact}))
        .await
        .expect(StatusCode::ACCEPTED);
    let link_b = link_token(&app.last_mail(contact, "パスワード再設定").await.body);
    assert_ne!(link_a, link_b);
    let set = |token: &str, password: &str| json!({"token": token, "password": password, "password_confirmation": password});
    app.post("/api/v1/auth/password", set(&link_b, "Saisettei-Pass-88"))
        .await
        .expect(StatusCode::NO_CONTENT);
    let stale = app
        .post("/api/v1/auth/password", set(&link_a, "Furui-Link-Pass-99"))
        .await;
    assert_eq!((stale.status, stale.code()), (StatusCode::GONE, "link_used"));

    // A link issued before a password change stops working with it.
    app.post("/api/v1/auth/forgot-password", json!({"email": contact}))
        .await
        .expect(StatusCode::ACCEPTED);
    let link_c = link_token(&app.last_mail(contact, "パスワード再設定").await.body);
    let tokens = app.sign_in("kigen", "Saisettei-Pass-88").await;
    let access = tokens["access_token"].as_str().expect("token");
    app.post_as(
        access,
        "/api/v1/me/password",
        json!({"current_password": "Saisettei-Pass-88", "new_password": "Henkou-Pass-1234", "new_password_confirmation": "Henkou-Pass-1234"}),
    )
    .await
    .expect(StatusCode::NO_CONTENT);
    let after_change = app
        .post("/api/v1/auth/password", set(&link_c, "Tsukaenai-Pass-11"))
        .await;
    assert_eq!(after_change.status, StatusCode::GONE);

    // Only the newest one-time password of a purpose works.
    let otp_email = "kigen-otp@anzen.co.jp";
    let first = app
        .post_as(access, "/api/v1/me/two-factor", json!({"email": otp_email}))
        .await
        .expect(StatusCode::ACCEPTED);
    let first_code = otp_code(&app.last_mail(otp_email, "ワンタイムパスワード").await.body);
    app.post_as(access, "/api/v1/me/two-factor", json!({"email": otp_email}))
        .await
        .expect(StatusCode::ACCEPTED);
    let old = app
        .post_as(
            access,
            "/api/v1/me/two-factor/confirm",
            json!({"challenge_id": first["challenge_id"], "code": first_code}),
        )
        .await;
    assert_eq!(old.field_code("code"), Some("code_not_usable"));
}

/// A wrong code while turning 2-step authentication on is a field error, not a sign-out.
#[tokio::test]
async fn a_wrong_setup_code_is_a_field_error_and_the_session_stays() {
    let (app, _) = app_with("setup", |_| {}).await;
    let access = app.access_token("setup").await;
    let challenge = app
        .post_as(
            &access,
            "/api/v1/me/two-factor",
            json!({"email": "setup-otp@anzen.co.jp"}),
        )
        .await
        .expect(StatusCode::ACCEPTED);
    let code = otp_code(
        &app.last_mail("setup-otp@anzen.co.jp", "ワンタイムパスワード")
            .await
            .body,
    );
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let answer = app
        .post_as(
            &access,
            "/api/v1/me/two-factor/confirm",
            json!({"challenge_id": challenge["challenge_id"], "code": wrong}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.field_code("code"), Some("code_incorrect"));
    app.get_as(&access, "/api/v1/me").await.expect(StatusCode::OK);
    let right = app
        .post_as(
            &access,
            "/api/v1/me/two-factor/confirm",
            json!({"challenge_id": challenge["challenge_id"], "code": code}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(right["two_factor_email"], "se***@anzen.co.jp");
}

/// With only an API token, nobody takes over the account by changing its contact email:
/// the change needs the password (or a fresh sign-in), waits for the new address to
/// confirm, and tells the old address.
#[tokio::test]
async fn a_contact_email_change_is_confirmed_by_the_new_address_and_told_to_the_old() {
    let (app, _) = app_with("mail-henkou", |_| {}).await;
    let (old, new) = ("mail-henkou@example.co.jp", "atarashii@anzen.co.jp");
    let access = app.access_token("mail-henkou").await;
    let token = app
        .post_as(&access, "/api/v1/me/api-tokens", json!({"name": "script"}))
        .await
        .expect(StatusCode::CREATED)["token"]
        .as_str()
        .expect("token")
        .to_owned();
    // The old shortcut does nothing.
    let patched = app
        .patch_as(&token, "/api/v1/me", json!({"email": new}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(patched["email"], old);
    // A token alone is not enough; nor is a wrong password.
    let bare = app
        .post_as(&token, "/api/v1/me/email", json!({"email": new}))
        .await;
    assert_eq!(
        bare.field_code("current_password"),
        Some("current_password_required")
    );
    let wrong = app
        .post_as(
            &token,
            "/api/v1/me/email",
            json!({"email": new, "current_password": "Wrong-Pass-1234"}),
        )
        .await;
    assert_eq!(wrong.field_code("current_password"), Some("wrong_password"));
    let foreign = app
        .post_as(
            &token,
            "/api/v1/me/email",
            json!({"email": "x@elsewhere.example", "current_password": PASSWORD}),
        )
        .await;
    assert_eq!(foreign.field_code("email"), Some("domain_mismatch"));

    // A fresh sign-in needs no password for 10 minutes.
    let pending = app
        .post_as(&access, "/api/v1/me/email", json!({"email": new}))
        .await
        .expect(StatusCode::ACCEPTED);
    assert_eq!(
        (pending["email"].as_str(), pending["pending_email"].as_str()),
        (Some(old), Some(new))
    );
    let notice = app.last_mail(old, "変更が申請されました").await;
    assert!(notice.body.contains("at***@anzen.co.jp"), "{}", notice.body);
    let confirm = app.last_mail(new, "連絡先メールアドレス変更の確認").await;
    // Until confirmed, recovery still goes to the old address only.
    app.post("/api/v1/auth/forgot-password", json!({"email": new}))
        .await
        .expect(StatusCode::ACCEPTED);
    app.settle_jobs().await;
    assert!(
        app.outbox()
            .await
            .iter()
            .all(|mail| !(mail.recipient == new && mail.subject.contains("再設定")))
    );

    app.post(
        "/api/v1/auth/confirm-email",
        json!({"token": link_token(&confirm.body)}),
    )
    .await
    .expect(StatusCode::NO_CONTENT);
    let me = app.get_as(&access, "/api/v1/me").await.expect(StatusCode::OK);
    assert_eq!(
        (me["email"].as_str(), me["pending_email"].as_str()),
        (Some(new), None)
    );
    app.last_mail(old, "連絡先メールアドレスが変更されました").await;
    let again = app
        .post(
            "/api/v1/auth/confirm-email",
            json!({"token": link_token(&confirm.body)}),
        )
        .await;
    assert_eq!(again.status, StatusCode::GONE);

    // Ten minutes after signing in, the password is needed again.
    app.advance(TimeDelta::minutes(11));
    let access = app.access_token("mail-henkou").await;
    app.advance(TimeDelta::minutes(11));
    let stale = app
        .post_as(&access, "/api/v1/me/email", json!({"email": old}))
        .await;
    assert_eq!(
        stale.field_code("current_password"),
        Some("current_password_required")
    );
}

/// API tokens cannot mint tokens, die with a password reset, and with a password change
/// unless kept on purpose.
#[tokio::test]
async fn api_tokens_follow_the_password() {
    let (app, _) = app_with("token-owner", |_| {}).await;
    let access = app.access_token("token-owner").await;
    let create = |name: &str| json!({"name": name});
    let token = |answer: Value| answer["token"].as_str().expect("token").to_owned();
    let first = token(
        app.post_as(&access, "/api/v1/me/api-tokens", create("first"))
            .await
            .expect(StatusCode::CREATED),
    );
    let minted = app
        .post_as(&first, "/api/v1/me/api-tokens", create("child"))
        .await;
    assert_eq!(
        (minted.status, minted.code()),
        (StatusCode::FORBIDDEN, "session_required")
    );

    let change = |current: &str, new: &str, revoke: bool| json!({"current_password": current, "new_password": new, "new_password_confirmation": new, "revoke_api_tokens": revoke});
    app.post_as(
        &access,
        "/api/v1/me/password",
        change(PASSWORD, "Kept-Tokens-Pass-1", false),
    )
    .await
    .expect(StatusCode::NO_CONTENT);
    app.get_as(&first, "/api/v1/me").await.expect(StatusCode::OK);
    app.post_as(
        &access,
        "/api/v1/me/password",
        change("Kept-Tokens-Pass-1", "Revoked-Tokens-2", true),
    )
    .await
    .expect(StatusCode::NO_CONTENT);
    assert_eq!(
        app.get_as(&first, "/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    let changed = app
        .last_mail("token-owner@example.co.jp", "パスワードが変更されました")
        .await;
    assert!(changed.body.contains("APIトークン（1件）"), "{}", changed.body);

    let second = token(
        app.post_as(&access, "/api/v1/me/api-tokens", create("second"))
            .await
            .expect(StatusCode::CREATED),
    );
    app.post(
        "/api/v1/auth/forgot-password",
        json!({"email": "token-owner@example.co.jp"}),
    )
    .await
    .expect(StatusCode::ACCEPTED);
    let reset = link_token(
        &app.last_mail("token-owner@example.co.jp", "パスワード再設定")
            .await
            .body,
    );
    app.post(
        "/api/v1/auth/password",
        json!({"token": reset, "password": "After-Reset-Pass-3", "password_confirmation": "After-Reset-Pass-3"}),
    )
    .await
    .expect(StatusCode::NO_CONTENT);
    assert_eq!(
        app.get_as(&second, "/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED
    );
}

/// The browser app's refresh token lives in an HttpOnly, SameSite=Strict cookie scoped to
/// the auth routes, never in the JSON a page script could read.
#[tokio::test]
async fn the_browser_refresh_token_travels_in_a_strict_http_only_cookie() {
    let (app, _) = app_with("cookie", |_| {}).await;
    let response = app
        .client
        .post(app.url("/api/v1/auth/sign-in"))
        .json(&json!({"login_id": "cookie", "password": PASSWORD, "refresh_token_delivery": "cookie"}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .to_owned();
    for flag in [
        "madoguchi_refresh=",
        "HttpOnly",
        "SameSite=Strict",
        "Path=/api/v1/auth",
    ] {
        assert!(cookie.contains(flag), "{cookie}");
    }
    let body: Value = response.json().await.expect("json");
    assert!(
        body.get("refresh_token").is_none() && body["access_token"].is_string(),
        "{body}"
    );

    let value = cookie.split(';').next().expect("pair").to_owned();
    let refreshed = app
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .header("Cookie", &value)
        .json(&json!({}))
        .send()
        .await
        .expect("request");
    assert_eq!(refreshed.status(), StatusCode::OK);
    assert!(
        refreshed.headers().contains_key("set-cookie"),
        "the cookie rotates"
    );
    // The used cookie is spent: replaying it (after the grace of concurrent tabs) ends
    // the session.
    app.advance(TimeDelta::seconds(11));
    let replayed = app
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .header("Cookie", &value)
        .json(&json!({}))
        .send()
        .await
        .expect("request");
    assert_eq!(replayed.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn api_answers_carry_the_security_headers() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/api/v1/health"))
        .send()
        .await
        .expect("request");
    let headers = response.headers();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert!(
        headers["content-security-policy"]
            .to_str()
            .expect("ascii")
            .contains("default-src 'none'")
    );
    assert!(headers.contains_key("permissions-policy"));
    assert_eq!(headers["cache-control"], "no-store");
}

/// Behind the load balancer, the audit log and the limits see the client, but only a
/// trusted proxy may say who the client is.
#[tokio::test]
async fn only_trusted_proxies_name_the_client_address() {
    for (trusted, expected) in [
        (vec!["127.0.0.1".to_owned()], "203.0.113.9"),
        (vec![], "127.0.0.1"),
    ] {
        let (app, id) = app_with("proxy", |settings| settings.trusted_proxies = trusted).await;
        app.client
            .post(app.url("/api/v1/auth/sign-in"))
            .header("X-Forwarded-For", "203.0.113.9")
            .json(&json!({"login_id": "proxy", "password": PASSWORD}))
            .send()
            .await
            .expect("request");
        let ip: Option<String> = db::run(&app.pool, move |conn| {
            Ok(audit_events::table
                .filter(audit_events::subject_account_id.eq(id))
                .select(audit_events::ip)
                .first(conn)?)
        })
        .await
        .expect("event");
        assert_eq!(ip.as_deref(), Some(expected));
    }
}

/// Probing which maintenance emails are on contracts through the registration form is
/// limited per target address, whatever the client address.
#[tokio::test]
async fn registrations_for_one_maintenance_email_are_limited() {
    let (app, _) = app_with("unused", |settings| {
        settings.registrations_per_target_per_hour = 2
    })
    .await;
    let registration = |n: usize, maintenance: &str| {
        json!({
            "company_name": "安全株式会社", "full_name": "登録 試験", "login_id": format!("probe-{n}"),
            "password": "Touroku-Pass-2026", "password_confirmation": "Touroku-Pass-2026",
            "contact_email": format!("probe{n}@anzen.co.jp"), "maintenance_email": maintenance, "consent": true,
        })
    };
    let statuses: Vec<StatusCode> =
        join_all((0..3).map(|n| app.post("/api/v1/registrations", registration(n, MAINTENANCE))))
            .await
            .into_iter()
            .map(|answer| answer.status)
            .collect();
    assert_eq!(
        statuses
            .iter()
            .filter(|status| **status == StatusCode::TOO_MANY_REQUESTS)
            .count(),
        1,
        "{statuses:?}"
    );
    // Another target is not affected.
    let other = app
        .post("/api/v1/registrations", registration(9, "someone@anzen.co.jp"))
        .await;
    assert_eq!(other.field_code("maintenance_email"), Some("no_active_contract"));
}

/// The second round of attack findings: each of these failed before its fix.
mod second_round {
    use super::*;
    use crate::mail::worker;
    use madoguchi_api::mail::transport::Transport;

    /// A contact-email change waiting for confirmation dies with the password: whoever
    /// started it with a stolen session cannot finish it after the owner resets.
    #[tokio::test]
    async fn a_pending_email_change_dies_with_the_password() {
        let (app, _) = app_with("pending", |_| {}).await;
        let access = app.access_token("pending").await;
        app.post_as(
            &access,
            "/api/v1/me/email",
            json!({"email": "nottori@anzen.co.jp"}),
        )
        .await
        .expect(StatusCode::ACCEPTED);
        let confirm = app
            .last_mail("nottori@anzen.co.jp", "連絡先メールアドレス変更の確認")
            .await;
        app.post(
            "/api/v1/auth/forgot-password",
            json!({"email": "pending@example.co.jp"}),
        )
        .await
        .expect(StatusCode::ACCEPTED);
        let reset = link_token(&app.last_mail("pending@example.co.jp", "再設定").await.body);
        app.post(
            "/api/v1/auth/password",
            json!({"token": reset, "password": "Torimodosu-Pass-1", "password_confirmation": "Torimodosu-Pass-1"}),
        )
        .await
        .expect(StatusCode::NO_CONTENT);
        let late = app
            .post(
                "/api/v1/auth/confirm-email",
                json!({"token": link_token(&confirm.body)}),
            )
            .await;
        assert_eq!(late.status, StatusCode::GONE, "{}", late.body);
        let me = app
            .get_as(
                &app.access_token_with("pending", "Torimodosu-Pass-1").await,
                "/api/v1/me",
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            (me["email"].as_str(), me["pending_email"].as_str()),
            (Some("pending@example.co.jp"), None)
        );
    }

    /// Flooding an address through the public forms fills its hourly quota, but notices
    /// about the account itself still arrive.
    #[tokio::test]
    async fn notices_to_the_owner_get_through_a_flood() {
        let (app, _) = app_with("afure", |settings| settings.run_jobs = false).await;
        let contact = "afure@example.co.jp";
        let limited = worker(
            &app,
            Transport::new(None, app.mail_dir.path()).expect("transport"),
            2,
        );
        for _ in 0..4 {
            app.post("/api/v1/auth/forgot-login-id", json!({"email": contact}))
                .await
                .expect(StatusCode::ACCEPTED);
        }
        while limited.run_due().await.expect("round") > 0 {}
        let access = app.access_token("afure").await;
        app.post_as(
            &access,
            "/api/v1/me/password",
            json!({"current_password": PASSWORD, "new_password": "Afureta-Pass-123", "new_password_confirmation": "Afureta-Pass-123"}),
        )
        .await
        .expect(StatusCode::NO_CONTENT);
        while limited.run_due().await.expect("round") > 0 {}
        let outbox = app.outbox().await;
        let notice = outbox
            .iter()
            .find(|mail| mail.subject.contains("パスワードが変更されました"))
            .expect("notice queued");
        assert_eq!(
            notice
                .job
                .result
                .as_deref()
                .map(|result| result.contains("\"delivered\":true")),
            Some(true),
            "{:?}",
            notice.job.result
        );
        let dropped = outbox
            .iter()
            .filter(|mail| mail.dropped_by_hourly_limit())
            .count();
        assert_eq!(dropped, 2, "the flood itself is still limited");
    }

    /// A disabled account keeps no way back in: its invitation link is void, and a
    /// registration an administrator disabled cannot be confirmed afterwards.
    #[tokio::test]
    async fn a_disabled_account_keeps_no_way_back_in() {
        let (app, _) = app_with("kanri", |_| {}).await;
        let admin = app.access_token("kanri").await;
        let created = app
            .post_as(
                &admin,
                "/api/v1/accounts",
                json!({"login_id": "shoutai", "full_name": "招待 太郎", "email": "shoutai@anzen.co.jp", "role": "inquiry_staff"}),
            )
            .await
            .expect(StatusCode::CREATED);
        let invitation = link_token(
            &app.last_mail("shoutai@anzen.co.jp", "アカウントが作成されました")
                .await
                .body,
        );
        app.patch_as(
            &admin,
            &format!("/api/v1/accounts/{}", created["id"]),
            json!({"status": "disabled"}),
        )
        .await
        .expect(StatusCode::OK);
        let set = app
            .post(
                "/api/v1/auth/password",
                json!({"token": invitation, "password": "Mukou-Pass-12345", "password_confirmation": "Mukou-Pass-12345"}),
            )
            .await;
        assert_eq!(set.status, StatusCode::GONE, "{}", set.body);

        app.post(
            "/api/v1/registrations",
            json!({
                "company_name": "安全株式会社", "full_name": "仮 登録", "login_id": "kari",
                "password": "Karitouroku-Pass-1", "password_confirmation": "Karitouroku-Pass-1",
                "contact_email": "kari@anzen.co.jp", "maintenance_email": MAINTENANCE, "consent": true,
            }),
        )
        .await
        .expect(StatusCode::ACCEPTED);
        let confirm = link_token(&app.last_mail("kari@anzen.co.jp", "(1/3)").await.body);
        let provisional = provisional_id(&app, &admin, "kari").await;
        app.patch_as(
            &admin,
            &format!("/api/v1/accounts/{provisional}"),
            json!({"status": "disabled"}),
        )
        .await
        .expect(StatusCode::OK);
        let confirmed = app
            .post("/api/v1/registrations/confirm", json!({"token": confirm}))
            .await;
        assert!(confirmed.status.is_client_error(), "{}", confirmed.body);
        let listed = app
            .get_as(&admin, "/api/v1/accounts?q=kari")
            .await
            .expect(StatusCode::OK);
        assert_eq!(listed["items"][0]["status"], "disabled");
    }

    async fn provisional_id(app: &TestApp, admin: &str, login_id: &str) -> i64 {
        let listed = app
            .get_as(
                admin,
                &format!("/api/v1/accounts?status=provisional&q={login_id}"),
            )
            .await
            .expect(StatusCode::OK);
        listed["items"][0]["id"]
            .as_i64()
            .expect("provisional account listed")
    }

    /// Activating a registration nobody confirmed takes a person signed in, not a token.
    #[tokio::test]
    async fn an_api_token_cannot_activate_an_unconfirmed_registration() {
        let (app, _) = app_with("kanri-token", |_| {}).await;
        let admin = app.access_token("kanri-token").await;
        let token = app
            .post_as(&admin, "/api/v1/me/api-tokens", json!({"name": "batch"}))
            .await
            .expect(StatusCode::CREATED)["token"]
            .as_str()
            .expect("token")
            .to_owned();
        app.post(
            "/api/v1/registrations",
            json!({
                "company_name": "安全株式会社", "full_name": "未確認 登録", "login_id": "mikakunin",
                "password": "Mikakunin-Pass-1", "password_confirmation": "Mikakunin-Pass-1",
                "contact_email": "mikakunin@anzen.co.jp", "maintenance_email": MAINTENANCE, "consent": true,
            }),
        )
        .await
        .expect(StatusCode::ACCEPTED);
        let id = provisional_id(&app, &admin, "mikakunin").await;
        let path = format!("/api/v1/accounts/{id}");
        let by_token = app.patch_as(&token, &path, json!({"status": "active"})).await;
        assert_eq!(
            (by_token.status, by_token.code()),
            (StatusCode::FORBIDDEN, "session_required")
        );
        let by_person = app
            .patch_as(&admin, &path, json!({"status": "active"}))
            .await
            .expect(StatusCode::OK);
        assert_eq!(by_person["status"], "active");
    }

    /// Each new sign-in code gives five more guesses; three used-up codes within the lock
    /// period lock the account although the password was right, and tell the owner that
    /// someone knows it. An hour later the owner signs in normally.
    #[tokio::test]
    async fn three_used_up_sign_in_codes_lock_the_account() {
        let (app, id) = app_with("nidankai", |_| {}).await;
        let otp_email = "nidankai-otp@anzen.co.jp";
        let access = app.access_token("nidankai").await;
        let started = app
            .post_as(&access, "/api/v1/me/two-factor", json!({"email": otp_email}))
            .await
            .expect(StatusCode::ACCEPTED);
        let code = otp_code(&app.last_mail(otp_email, "ワンタイムパスワード").await.body);
        app.post_as(
            &access,
            "/api/v1/me/two-factor/confirm",
            json!({"challenge_id": started["challenge_id"], "code": code}),
        )
        .await
        .expect(StatusCode::OK);

        let sign_in = || {
            app.post(
                "/api/v1/auth/sign-in",
                json!({"login_id": "nidankai", "password": PASSWORD}),
            )
        };
        for _ in 0..3 {
            let challenge = sign_in().await.expect(StatusCode::OK);
            assert_eq!(challenge["status"], "otp_required");
            let code = otp_code(&app.last_mail(otp_email, "ワンタイムパスワード").await.body);
            let wrong = if code == "000000" { "111111" } else { "000000" };
            for _ in 0..5 {
                let answer = app
                    .post(
                        "/api/v1/auth/otp",
                        json!({"challenge_id": challenge["challenge_id"], "code": wrong}),
                    )
                    .await;
                assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
            }
        }
        let locked = sign_in().await;
        assert_eq!(
            (locked.status, locked.code()),
            (StatusCode::UNAUTHORIZED, "invalid_credentials")
        );
        let events = audit_of(&app, id).await;
        let (_, detail) = events
            .iter()
            .find(|(action, _)| *action == AuditAction::AccountLocked)
            .expect("lock recorded");
        assert_eq!(detail["exhausted_codes"], 3);
        let notice = app.last_mail("nidankai@example.co.jp", "ロックされました").await;
        assert!(notice.body.contains("ワンタイムパスワード"), "{}", notice.body);
        // Still locked with the right password; an hour later a fresh start.
        assert_eq!(sign_in().await.status, StatusCode::UNAUTHORIZED);
        app.advance(TimeDelta::minutes(61));
        let again = sign_in().await.expect(StatusCode::OK);
        assert_eq!(again["status"], "otp_required");
    }

    /// A page number far past the end is an empty page, not an overflow.
    #[tokio::test]
    async fn a_huge_page_number_is_an_empty_page() {
        let (app, _) = app_with("pager", |_| {}).await;
        let admin = app.access_token("pager").await;
        for page in ["1000000", "9223372036854775807"] {
            let answer = app
                .get_as(&admin, &format!("/api/v1/accounts?page={page}&per_page=200"))
                .await;
            assert_eq!(answer.expect(StatusCode::OK)["items"], json!([]), "page {page}");
        }
    }

    /// Registrations nobody confirmed are purged a week after their link expired.
    #[tokio::test]
    async fn unconfirmed_registrations_are_purged() {
        let (app, _) = app_with("soujiban", |settings| settings.run_jobs = false).await;
        let register = |login_id: &str| {
            json!({
                "company_name": "安全株式会社", "full_name": "放置 登録", "login_id": login_id,
                "password": "Houchi-Pass-1234", "password_confirmation": "Houchi-Pass-1234",
                "contact_email": format!("{login_id}@anzen.co.jp"), "maintenance_email": MAINTENANCE, "consent": true,
            })
        };
        app.post("/api/v1/registrations", register("houchi"))
            .await
            .expect(StatusCode::ACCEPTED);
        app.advance(TimeDelta::days(8));
        app.post("/api/v1/registrations", register("atarashii"))
            .await
            .expect(StatusCode::ACCEPTED);
        let now = app.clock.now_naive();
        db::transaction(&app.pool, move |conn| {
            Ok(madoguchi_api::jobs::enqueue(
                conn,
                &madoguchi_api::jobs::NewJob::new(madoguchi_api::jobs::JobKind::PurgeExpired, &json!({})),
                now,
            )?)
        })
        .await
        .expect("queued");
        let purger = crate::jobs::purge_worker(&app);
        while purger.run_due().await.expect("round") > 0 {}
        // Eight days on, the first access token has long expired.
        let admin = app.access_token("soujiban").await;
        let listed = app
            .get_as(&admin, "/api/v1/accounts?status=provisional")
            .await
            .expect(StatusCode::OK);
        let left: Vec<&str> = listed["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|item| item["login_id"].as_str())
            .collect();
        assert_eq!(left, ["atarashii"]);
    }
}
