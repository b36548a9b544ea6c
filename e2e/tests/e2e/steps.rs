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
