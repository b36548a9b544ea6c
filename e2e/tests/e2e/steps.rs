//! Small steps the browser scenarios share.

use std::time::{Duration, Instant};

use madoguchi_e2e::{Browser, TestServer};

pub const STAFF: (&str, &str) = ("staff", "Madoguchi-Staff-2026");
pub const ADMIN: (&str, &str) = ("demo-admin", "Madoguchi-Demo-2026");

/// Signs in through the sign-in page (no 2-step authentication) and waits for the header
/// to show the session.
pub async fn sign_in(browser: &Browser, (login_id, password): (&str, &str)) -> anyhow::Result<()> {
    browser.open("/login").await?;
    browser.fill("[data-testid=field-login_id]", login_id).await?;
    browser.fill("[data-testid=field-password]", password).await?;
    browser
        .click("[data-testid=login-form] button[type=submit]")
        .await?;
    browser.wait_for_text("[data-testid=sign-out]", "").await?;
    Ok(())
}

/// An access token for the account, signed in through the API (for setting up what a
/// scenario needs faster than clicking).
pub async fn api_access_token(
    server: &TestServer,
    (login_id, password): (&str, &str),
) -> anyhow::Result<String> {
    let tokens: serde_json::Value = reqwest::Client::new()
        .post(server.url("/api/v1/auth/sign-in"))
        .json(&serde_json::json!({"login_id": login_id, "password": password}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    tokens["access_token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("no access token in {tokens}"))
}

/// Waits for a queued mail and returns its body.
pub async fn mail_body(server: &TestServer, to: &str, subject: &str) -> anyhow::Result<String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(mail) = server.database.last_mail(to, subject) {
            return Ok(mail.body);
        }
        anyhow::ensure!(Instant::now() < deadline, "no mail to {to} about {subject}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The `token=…` of a mailed link.
pub fn link_token(body: &str) -> String {
    body.split_once("token=")
        .map_or("", |(_, rest)| rest)
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// The 6-digit code of a one-time password mail.
pub fn otp(body: &str) -> String {
    body.lines()
        .map(str::trim)
        .find(|line| line.len() == 6 && line.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or_default()
        .to_owned()
}

/// A new active account of the demo organization with `role`, its password set through the
/// mailed link (as its owner would), signed in as `(login_id, password)`.
pub async fn demo_account(
    server: &TestServer,
    login_id: &'static str,
    role: &str,
) -> anyhow::Result<(&'static str, &'static str)> {
    const PASSWORD: &str = "Keiyaku-Pass-2026";
    let client = reqwest::Client::new();
    let admin = api_access_token(server, ADMIN).await?;
    let email = format!("{login_id}@demo-corp.example.jp");
    client
        .post(server.url("/api/v1/accounts"))
        .bearer_auth(admin)
        .json(&serde_json::json!({"login_id": login_id, "full_name": "契約 花子", "email": email, "role": role}))
        .send()
        .await?
        .error_for_status()?;
    let invitation = mail_body(server, &email, "アカウントが作成されました").await?;
    client
        .post(server.url("/api/v1/auth/password"))
        .json(&serde_json::json!({
            "token": link_token(&invitation),
            "password": PASSWORD,
            "password_confirmation": PASSWORD,
        }))
        .send()
        .await?
        .error_for_status()?;
    Ok((login_id, PASSWORD))
}
