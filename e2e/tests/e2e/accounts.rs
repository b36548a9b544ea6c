//! A person registers, confirms by the mailed link, turns on 2-step authentication and
//! signs in with the code from the mail — all in the browser.

use std::time::{Duration, Instant};

use madoguchi_e2e::{Browser, TestServer};

const LOGIN_ID: &str = "browser-user@demo-corp.example.jp";
const CONTACT: &str = "browser-user@demo-corp.example.jp";
const OTP_EMAIL: &str = "otp@demo-corp.example.jp";
const PASSWORD: &str = "Burauza-Test-2026";

/// Waits for a queued mail and returns its body.
async fn mail_body(server: &TestServer, to: &str, subject: &str) -> anyhow::Result<String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(mail) = server.database.last_mail(to, subject) {
            return Ok(mail.body);
        }
        anyhow::ensure!(Instant::now() < deadline, "no mail to {to} about {subject}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn after<'a>(body: &'a str, marker: &str) -> &'a str {
    body.split_once(marker).map_or("", |(_, rest)| rest)
}

fn link_path(body: &str) -> String {
    let token: String = after(body, "token=")
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    token
}

fn otp(body: &str) -> String {
    body.lines()
        .map(str::trim)
        .find(|line| line.len() == 6 && line.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn register_confirm_and_sign_in_with_a_mailed_one_time_password() -> anyhow::Result<()> {
    let server = TestServer::start();
    let browser = Browser::start(&server.base_url).await?;

    // Registration with the demo contract's maintenance email; a refused field shows its
    // message next to it first.
    browser.open("/register").await?;
    browser
        .fill("[data-testid=field-company_name]", "デモ株式会社")
        .await?;
    browser.fill("[data-testid=field-full_name]", "画面 試験").await?;
    browser.fill("[data-testid=field-login_id]", LOGIN_ID).await?;
    browser.fill("[data-testid=field-password]", PASSWORD).await?;
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
    browser
        .click("[data-testid=register-form] button[type=submit]")
        .await?;
    browser
        .wait_for_text("[data-testid=error-contact_email]", "同じドメイン")
        .await?;
    browser
        .wait_for_text("[data-testid=error-consent]", "同意")
        .await?;
    browser.fill("[data-testid=field-contact_email]", CONTACT).await?;
    browser.click("[data-testid=field-consent]").await?;
    browser
        .click("[data-testid=register-form] button[type=submit]")
        .await?;
    browser
        .wait_for_text("[data-testid=registration-done]", "仮登録が完了しました")
        .await?;

    // The confirmation link from the (1/3) mail.
    let token = link_path(&mail_body(&server, CONTACT, "(1/3)").await?);
    browser.open(&format!("/register/confirm?token={token}")).await?;
    browser.click("[data-testid=confirm-registration]").await?;
    browser
        .wait_for_text("[data-testid=confirmation-done]", LOGIN_ID)
        .await?;

    // A wrong password: the message shows next to the form.
    browser.open("/login").await?;
    browser.fill("[data-testid=field-login_id]", LOGIN_ID).await?;
    browser
        .fill("[data-testid=field-password]", "Wrong-Password-99")
        .await?;
    browser
        .click("[data-testid=login-form] button[type=submit]")
        .await?;
    browser
        .wait_for_text(
            "[data-testid=login-form] [data-testid=error-panel]",
            "ログインIDまたはパスワードが正しくありません",
        )
        .await?;

    // Sign in, and turn on 2-step authentication on my page.
    browser.fill("[data-testid=field-password]", PASSWORD).await?;
    browser
        .click("[data-testid=login-form] button[type=submit]")
        .await?;
    browser.wait_for_text("h1", "窓口へようこそ").await?;
    browser.open("/me").await?;
    browser
        .wait_for_text("[data-testid=profile-login-id]", LOGIN_ID)
        .await?;
    browser
        .fill("[data-testid=two-factor] [data-testid=field-email]", OTP_EMAIL)
        .await?;
    browser
        .click("[data-testid=two-factor] button[type=submit]")
        .await?;
    let code = otp(&mail_body(&server, OTP_EMAIL, "ワンタイムパスワード").await?);
    browser
        .fill("[data-testid=two-factor] [data-testid=field-code]", &code)
        .await?;
    browser
        .click("[data-testid=two-factor] button[type=submit]")
        .await?;
    browser
        .wait_for_text("[data-testid=two-factor-state]", "設定済み")
        .await?;
    browser.click("[data-testid=sign-out]").await?;
    browser
        .wait_for_text("[data-testid=nav-login]", "ログイン")
        .await?;

    // Sign in again: password, then the code read from the outbox.
    browser.open("/login").await?;
    browser.fill("[data-testid=field-login_id]", LOGIN_ID).await?;
    browser.fill("[data-testid=field-password]", PASSWORD).await?;
    let codes_before = server.database.outbox().len();
    browser
        .click("[data-testid=login-form] button[type=submit]")
        .await?;
    browser
        .wait_for_text("[data-testid=otp-form]", "ot***@demo-corp.example.jp")
        .await?;
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.database.outbox().len() == codes_before {
        anyhow::ensure!(Instant::now() < deadline, "no sign-in code mailed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let code = otp(&mail_body(&server, OTP_EMAIL, "ワンタイムパスワード").await?);
    browser.fill("[data-testid=field-code]", &code).await?;
    browser
        .click("[data-testid=otp-form] button[type=submit]")
        .await?;
    browser.wait_for_text("h1", "窓口へようこそ").await?;
    browser
        .wait_for_text("[data-testid=sign-out]", "ログアウト")
        .await?;
    assert_eq!(browser.path().await?, "/");

    browser.quit().await
}

#[tokio::test]
async fn a_user_administrator_adds_disables_and_re_enables_an_account() -> anyhow::Result<()> {
    let server = TestServer::start();
    let browser = Browser::start(&server.base_url).await?;
    browser.open("/login").await?;
    browser.fill("[data-testid=field-login_id]", "demo-admin").await?;
    browser
        .fill("[data-testid=field-password]", "Madoguchi-Demo-2026")
        .await?;
    browser
        .click("[data-testid=login-form] button[type=submit]")
        .await?;
    browser
        .wait_for_text("[data-testid=sign-out]", "ログアウト")
        .await?;

    browser.open("/admin/accounts").await?;
    browser
        .wait_for_text("[data-testid=accounts]", "demo-admin")
        .await?;
    browser
        .fill("[data-testid=field-login_id]", "new-colleague")
        .await?;
    browser.fill("[data-testid=field-full_name]", "新人 太郎").await?;
    browser
        .fill("[data-testid=field-email]", "new-colleague@demo-corp.example.jp")
        .await?;
    browser.click("form button.button-primary").await?;
    browser
        .wait_for_text("[data-testid=account-new-colleague]", "有効")
        .await?;
    assert!(
        server
            .database
            .last_mail("new-colleague@demo-corp.example.jp", "アカウントが作成されました")
            .is_some(),
        "the set-password mail is queued"
    );
    browser
        .click("[data-testid=account-new-colleague] .actions .button")
        .await?;
    browser
        .wait_for_text("[data-testid=account-new-colleague]", "無効")
        .await?;
    browser
        .click("[data-testid=account-new-colleague] .actions .button")
        .await?;
    browser
        .wait_for_text("[data-testid=account-new-colleague]", "有効")
        .await?;
    browser.quit().await
}
