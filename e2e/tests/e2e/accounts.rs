//! People using the accounts pages, in the browser.

use std::time::{Duration, Instant};

use madoguchi_e2e::{Browser, TestServer};
use thirtyfour::prelude::*;

use crate::steps::{ADMIN, STAFF, link_token, mail_body, otp, sign_in};

const LOGIN_ID: &str = "browser-user@demo-corp.example.jp";
const CONTACT: &str = "browser-user@demo-corp.example.jp";
const OTP_EMAIL: &str = "otp@demo-corp.example.jp";
const PASSWORD: &str = "Burauza-Test-2026";

/// A person registers (checked in the browser first), confirms by the mailed link, turns on
/// 2-step authentication — a wrong code is a field error, not a sign-out — and signs in
/// with the code from the mail.
#[tokio::test]
async fn register_confirm_and_sign_in_with_a_mailed_one_time_password() -> anyhow::Result<()> {
    let server = TestServer::start();
    let browser = Browser::start(&server.base_url).await?;

    browser.open("/register").await?;
    browser.wait_for_text("h1", "新規ユーザー登録").await?;
    // Submitting the empty form: every required field says so, in the browser.
    browser
        .click("[data-testid=register-form] button[type=submit]")
        .await?;
    for field in [
        "company_name",
        "full_name",
        "login_id",
        "password",
        "contact_email",
        "maintenance_email",
        "consent",
    ] {
        let message = browser
            .wait_for_text(&format!("[data-testid=error-{field}]"), "")
            .await?;
        assert!(!message.is_empty(), "{field} has no message");
    }
    browser
        .wait_for_text("[data-testid=error-password]", "入力必須")
        .await?;
    browser.check_page("register-errors").await?;
    // A weak password says the rule, before anything is sent.
    browser.fill("[data-testid=field-password]", "weak").await?;
    browser
        .click("[data-testid=register-form] button[type=submit]")
        .await?;
    browser
        .wait_for_text("[data-testid=error-password]", "半角12字以上")
        .await?;

    browser
        .fill("[data-testid=field-company_name]", "デモ株式会社")
        .await?;
    browser.fill("[data-testid=field-full_name]", "画面 試験").await?;
    browser.fill("[data-testid=field-login_id]", LOGIN_ID).await?;
    browser.fill("[data-testid=field-password]", PASSWORD).await?;
    browser.click("[data-testid=reveal-password]").await?;
    assert_eq!(
        browser
            .driver
            .find(By::Css("[data-testid=field-password]"))
            .await?
            .attr("type")
            .await?
            .as_deref(),
        Some("text")
    );
    browser
        .fill("[data-testid=field-password_confirmation]", PASSWORD)
        .await?;
    browser
        .fill(
            "[data-testid=field-contact_email]",
            "someone@elsewhere.example.jp",
        )
        .await?;
    browser
        .fill(
            "[data-testid=field-maintenance_email]",
            "it-admin@demo-corp.example.jp",
        )
        .await?;
    browser.click("[data-testid=field-consent]").await?;
    browser
        .click("[data-testid=register-form] button[type=submit]")
        .await?;
    // The server's refusal shows beside its field.
    browser
        .wait_for_text("[data-testid=error-contact_email]", "同じドメイン")
        .await?;
    browser.fill("[data-testid=field-contact_email]", CONTACT).await?;
    browser
        .click("[data-testid=register-form] button[type=submit]")
        .await?;
    browser
        .wait_for_text("[data-testid=registration-done]", "仮登録が完了しました")
        .await?;
    browser.check_page("register-done").await?;

    let token = link_token(&mail_body(&server, CONTACT, "(1/3)").await?);
    browser.open(&format!("/register/confirm?token={token}")).await?;
    browser.check_page("register-confirm").await?;
    browser.click("[data-testid=confirm-registration]").await?;
    browser
        .wait_for_text("[data-testid=confirmation-done]", LOGIN_ID)
        .await?;
    // The link again: the error, no button, and the way on.
    browser.open(&format!("/register/confirm?token={token}")).await?;
    browser.click("[data-testid=confirm-registration]").await?;
    browser
        .wait_for_text("[data-testid=error-panel]", "既に使用されています")
        .await?;
    assert!(
        !browser.is_displayed("[data-testid=confirm-registration]").await?,
        "the button is gone"
    );
    assert!(browser.is_displayed("[data-testid=go-sign-in]").await?);
    browser.check_page("register-confirm-used").await?;

    sign_in(&browser, (LOGIN_ID, PASSWORD)).await?;
    browser.open("/me").await?;
    browser
        .wait_for_text("[data-testid=profile-login-id]", LOGIN_ID)
        .await?;
    browser.check_page("my-page").await?;
    browser
        .fill("[data-testid=two-factor] [data-testid=field-email]", OTP_EMAIL)
        .await?;
    browser
        .click("[data-testid=two-factor-start] button[type=submit]")
        .await?;
    let code = otp(&mail_body(&server, OTP_EMAIL, "ワンタイムパスワード").await?);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    browser
        .fill("[data-testid=two-factor] [data-testid=field-code]", wrong)
        .await?;
    browser
        .click("[data-testid=two-factor-confirm] button[type=submit]")
        .await?;
    browser
        .wait_for_text(
            "[data-testid=two-factor] [data-testid=error-code]",
            "正しくありません",
        )
        .await?;
    assert!(
        browser.is_displayed("[data-testid=sign-out]").await?,
        "still signed in"
    );
    browser
        .fill("[data-testid=two-factor] [data-testid=field-code]", &code)
        .await?;
    browser
        .click("[data-testid=two-factor-confirm] button[type=submit]")
        .await?;
    browser
        .wait_for_text("[data-testid=two-factor-state]", "設定済み")
        .await?;
    browser
        .wait_for_text("[data-testid=toasts]", "2段階認証を設定しました")
        .await?;
    browser.click("[data-testid=sign-out]").await?;
    browser
        .wait_for_text("[data-testid=nav-login]", "ログイン")
        .await?;

    // Sign in again: password, then the code read from the outbox.
    browser.open("/login").await?;
    browser.fill("[data-testid=field-login_id]", LOGIN_ID).await?;
    browser.fill("[data-testid=field-password]", PASSWORD).await?;
    let mails_before = server.database.outbox().len();
    browser
        .click("[data-testid=login-form] button[type=submit]")
        .await?;
    browser
        .wait_for_text("[data-testid=otp-form]", "ot***@demo-corp.example.jp")
        .await?;
    browser.check_page("login-code").await?;
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.database.outbox().len() == mails_before {
        anyhow::ensure!(Instant::now() < deadline, "no sign-in code mailed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let code = otp(&mail_body(&server, OTP_EMAIL, "ワンタイムパスワード").await?);
    browser.fill("[data-testid=field-code]", &code).await?;
    browser
        .click("[data-testid=otp-form] button[type=submit]")
        .await?;
    browser
        .wait_for_text("[data-testid=greeting]", "画面 試験")
        .await?;
    assert_eq!(browser.path().await?, "/");
    browser.quit().await
}

/// A user administrator adds an account; a role changes only on the explicit save (arrow
/// keys through the select change nothing); disabling asks first; every action says how it
/// went. On a phone the table turns into cards.
#[tokio::test]
async fn a_user_administrator_adds_an_account_changes_its_role_and_disables_it() -> anyhow::Result<()> {
    let server = TestServer::start();
    let browser = Browser::start(&server.base_url).await?;
    sign_in(&browser, ADMIN).await?;
    browser.open("/admin/accounts").await?;
    browser
        .wait_for_text("[data-testid=accounts]", "demo-admin")
        .await?;
    browser.check_page("accounts").await?;

    browser
        .click("[data-testid=new-account] button[type=submit]")
        .await?;
    browser
        .wait_for_text("[data-testid=new-account] [data-testid=error-login_id]", "")
        .await?;
    browser
        .fill(
            "[data-testid=new-account] [data-testid=field-login_id]",
            "new-colleague",
        )
        .await?;
    browser
        .fill(
            "[data-testid=new-account] [data-testid=field-full_name]",
            "新人 太郎",
        )
        .await?;
    browser
        .fill(
            "[data-testid=new-account] [data-testid=field-email]",
            "new-colleague@demo-corp.example.jp",
        )
        .await?;
    browser
        .click("[data-testid=new-account] button[type=submit]")
        .await?;
    browser
        .wait_for_text("[data-testid=toasts]", "new-colleague を追加しました")
        .await?;
    browser
        .wait_for_text("[data-testid=account-new-colleague]", "有効")
        .await?;
    assert!(
        server
            .database
            .last_mail("new-colleague@demo-corp.example.jp", "アカウントが作成されました")
            .is_some()
    );

    // Arrowing through the role select saves nothing.
    let row = "[data-testid=account-new-colleague]";
    browser
        .press(
            &format!("{row} [data-testid=role-select]"),
            &(Key::Up + Key::Up).to_string(),
        )
        .await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let changed_in_browser = browser.value(&format!("{row} [data-testid=role-select]")).await?;
    assert_ne!(changed_in_browser, "inquiry_staff");
    assert!(
        !browser
            .driver
            .find(By::Css("[data-testid=toasts]"))
            .await?
            .text()
            .await?
            .contains("権限を変更しました")
    );
    browser.click(&format!("{row} [data-testid=save-role]")).await?;
    browser
        .wait_for_text("[data-testid=toasts]", "権限を変更しました")
        .await?;

    // Disabling asks first; cancelling changes nothing.
    browser.click(&format!("{row} [data-testid=disable]")).await?;
    browser
        .wait_for_text("dialog[open]", "アカウントを無効にしますか")
        .await?;
    browser.check_page("accounts-confirm-disable").await?;
    browser.click("dialog[open] button[value=cancel]").await?;
    browser.wait_gone("dialog[open]").await?;
    browser.click(&format!("{row} [data-testid=disable]")).await?;
    browser.click("dialog[open] [data-testid=confirm]").await?;
    browser
        .wait_for_text("[data-testid=toasts]", "アカウントを無効にしました")
        .await?;
    browser.wait_for_text(row, "無効").await?;
    browser.click(&format!("{row} [data-testid=enable]")).await?;
    browser.wait_for_text(row, "有効").await?;

    // On a phone: cards with labelled values.
    browser.phone().await?;
    let header_hidden: bool = browser
        .driver
        .execute("const t = document.querySelector('[data-testid=accounts] thead'); return t.getBoundingClientRect().width <= 1;", Vec::new())
        .await?
        .convert()?;
    assert!(header_hidden, "the table header gives way to labels");
    browser.desktop().await?;
    browser.quit().await
}

/// Provider staff see every organization's accounts with an organization column and a
/// search; their home and my page show no customer-only rows.
#[tokio::test]
async fn staff_search_accounts_across_organizations() -> anyhow::Result<()> {
    let server = TestServer::start();
    let browser = Browser::start(&server.base_url).await?;
    sign_in(&browser, STAFF).await?;
    browser
        .wait_for_text("[data-testid=home-staff]", "弊社担当者")
        .await?;
    browser.open("/me").await?;
    let profile = browser.wait_for_text("[data-testid=profile]", "staff").await?;
    assert!(
        !profile.contains("ご契約者"),
        "no organization row for staff: {profile}"
    );
    browser.open("/admin/accounts").await?;
    browser
        .wait_for_text("[data-testid=accounts]", "デモ株式会社")
        .await?;
    browser
        .fill("[data-testid=account-filters] [data-testid=field-q]", "demo-adm")
        .await?;
    browser
        .click("[data-testid=account-filters] button[type=submit]")
        .await?;
    // The table before the search holds demo-admin too: wait for the narrowing itself.
    browser.wait_for_text("[data-testid=pager]", "全 1 件").await?;
    let table = browser
        .wait_for_text_without("[data-testid=accounts]", "窓口 太郎")
        .await?;
    assert!(
        table.contains("demo-admin"),
        "the search keeps demo-admin: {table}"
    );
    browser.check_page("accounts-staff").await?;
    browser.quit().await
}

/// My page: an API token is shown once with a copy button that says so; revoking asks
/// first; the contact email changes only after the new address confirms.
#[tokio::test]
async fn api_tokens_and_the_contact_email_on_my_page() -> anyhow::Result<()> {
    let server = TestServer::start();
    let browser = Browser::start(&server.base_url).await?;
    sign_in(&browser, ADMIN).await?;
    browser.open("/me").await?;
    browser
        .wait_for_text("[data-testid=api-tokens] [data-testid=empty]", "まだありません")
        .await?;
    browser
        .fill("[data-testid=api-tokens] [data-testid=field-name]", "夜間バッチ")
        .await?;
    browser
        .click("[data-testid=api-tokens] button[type=submit]")
        .await?;
    browser
        .wait_for_text("[data-testid=api-token-value]", "mdg_")
        .await?;
    browser.click("[data-testid=copy]").await?;
    browser
        .wait_for_text("[data-testid=copy]", "コピーしました")
        .await?;
    browser.click("[data-testid=revoke-token]").await?;
    browser
        .wait_for_text("dialog[open]", "APIトークンを無効にしますか")
        .await?;
    browser.click("dialog[open] [data-testid=confirm]").await?;
    browser
        .wait_for_text("[data-testid=toasts]", "APIトークンを無効にしました")
        .await?;
    browser
        .wait_for_text("[data-testid=api-tokens] [data-testid=empty]", "まだありません")
        .await?;

    let new_email = "hanako.new@demo-corp.example.jp";
    browser
        .fill("[data-testid=contact-email] [data-testid=field-email]", new_email)
        .await?;
    browser
        .click("[data-testid=contact-email] button[type=submit]")
        .await?;
    browser
        .wait_for_text("[data-testid=pending-email]", new_email)
        .await?;
    browser
        .wait_for_text(
            "[data-testid=current-email]",
            "hanako.yamada@demo-corp.example.jp",
        )
        .await?;
    let token = link_token(&mail_body(&server, new_email, "連絡先メールアドレス変更の確認").await?);
    browser.open(&format!("/confirm-email?token={token}")).await?;
    browser.check_page("confirm-email").await?;
    browser.click("[data-testid=confirm-email]").await?;
    browser
        .wait_for_text("[data-testid=email-confirmed]", "変更しました")
        .await?;
    browser.open("/me").await?;
    browser
        .wait_for_text("[data-testid=current-email]", new_email)
        .await?;
    browser.quit().await
}

/// The audit log reads in the user's language, filters by action, and pages.
#[tokio::test]
async fn the_audit_log_is_localized_filtered_and_paged() -> anyhow::Result<()> {
    let server = TestServer::start_with(
        madoguchi_e2e::TestDatabase::create(),
        &[
            ("MADOGUCHI_AUTH_RATE_BURST", "1000"),
            ("MADOGUCHI_AUTH_RATE_PER_MINUTE", "6000"),
        ],
    );
    // More than a page of the demo organization's events: the admin's own sign-ins.
    let client = reqwest::Client::new();
    for _ in 0..55 {
        client
            .post(server.url("/api/v1/auth/sign-in"))
            .json(&serde_json::json!({"login_id": ADMIN.0, "password": ADMIN.1}))
            .send()
            .await?
            .error_for_status()?;
    }
    let browser = Browser::start(&server.base_url).await?;
    sign_in(&browser, ADMIN).await?;
    browser.open("/admin/audit").await?;
    let log = browser
        .wait_for_text("[data-testid=audit-log]", "ログイン")
        .await?;
    assert!(!log.contains("sign_in"), "no raw action codes: {log}");
    assert!(log.contains("パスワード"), "details in words: {log}");
    browser.check_page("audit").await?;
    let rows = browser
        .driver
        .find_all(By::Css("[data-testid=audit-row]"))
        .await?
        .len();
    assert_eq!(rows, 50);
    browser.click("[data-testid=audit-more]").await?;
    let deadline = Instant::now() + Duration::from_secs(10);
    while browser
        .driver
        .find_all(By::Css("[data-testid=audit-row]"))
        .await?
        .len()
        <= 50
    {
        anyhow::ensure!(Instant::now() < deadline, "no more rows");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Only account creations: none yet.
    browser
        .select(
            "[data-testid=audit-filters] select[name=action]",
            "account_created",
        )
        .await?;
    browser
        .click("[data-testid=audit-filters] button[type=submit]")
        .await?;
    browser
        .wait_for_text("[data-testid=empty]", "条件に合う記録はありません")
        .await?;
    browser.quit().await
}
