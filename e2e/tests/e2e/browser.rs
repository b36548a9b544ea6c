//! The frame every page shares: status, not found, navigation by permission, deep links,
//! focus and titles, the phone menu, the language choice.

use diesel::QueryableByName;
use diesel::sql_types::Text;
use madoguchi_e2e::{Backend, Browser, TestServer};

use crate::steps::{ADMIN, STAFF, sign_in};

#[tokio::test]
async fn status_page_shows_health_and_details_only_to_staff() -> anyhow::Result<()> {
    let server = TestServer::start();
    let browser = Browser::start(&server.base_url).await?;

    browser.open("/status").await?;
    browser
        .wait_for_text("[data-testid=health-status]", "正常に稼働しています")
        .await?;
    let database = browser
        .wait_for_text("[data-testid=health-database]", "接続可")
        .await?;
    assert!(
        !database.contains("SQLite") && !database.contains("PostgreSQL"),
        "engine hidden: {database}"
    );
    assert!(
        !browser.is_displayed("[data-testid=health-version]").await?,
        "version hidden"
    );
    assert_eq!(browser.root_attribute("lang").await?.as_deref(), Some("ja"));
    assert!(
        browser.title().await?.starts_with("システム状態"),
        "the tab is named after the page"
    );
    browser.check_page("status").await?;

    browser.click("[data-testid=lang-switch]").await?;
    browser
        .wait_for_text("[data-testid=health-status]", "All systems operational")
        .await?;
    assert_eq!(browser.root_attribute("lang").await?.as_deref(), Some("en"));
    browser.click("[data-testid=lang-switch]").await?;

    sign_in(&browser, STAFF).await?;
    browser.open("/status").await?;
    let expected = match Backend::under_test() {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    };
    browser
        .wait_for_text("[data-testid=health-database]", expected)
        .await?;
    browser
        .wait_for_text("[data-testid=health-version]", env!("CARGO_PKG_VERSION"))
        .await?;
    browser.quit().await
}

#[tokio::test]
async fn unknown_client_route_shows_the_not_found_page() -> anyhow::Result<()> {
    let server = TestServer::start();
    let browser = Browser::start(&server.base_url).await?;
    browser.open("/no/such/page").await?;
    browser.wait_for_text("h1", "ページが見つかりません").await?;
    browser.check_page("not-found").await?;
    browser.quit().await
}

/// A link to a page that needs a session survives the sign-in; a reload keeps the session
/// (the refresh cookie); the sign-in page while signed in goes home; after each navigation
/// the page's heading has the focus and names the tab.
#[tokio::test]
async fn a_deep_link_comes_back_after_signing_in() -> anyhow::Result<()> {
    let server = TestServer::start();
    let browser = Browser::start(&server.base_url).await?;
    browser.open("/me").await?;
    browser.wait_for_path("/login?next=%2Fme").await?;
    browser.wait_for_text("h1", "ログイン").await?;
    browser.check_page("login").await?;

    // An empty form is checked in the browser, with the server's wording.
    browser
        .click("[data-testid=login-form] button[type=submit]")
        .await?;
    browser
        .wait_for_text("[data-testid=error-login_id]", "入力必須")
        .await?;
    browser
        .wait_for_text("[data-testid=error-password]", "入力必須")
        .await?;
    assert!(
        !browser.is_displayed("[data-testid=error-panel]").await?,
        "no server round trip"
    );
    assert!(
        browser.focused().await?.contains("login_id"),
        "the first error has the focus"
    );

    // A wrong password: the message says the lockout rule and where to get help.
    browser.fill("[data-testid=field-login_id]", ADMIN.0).await?;
    browser
        .fill("[data-testid=field-password]", "Wrong-Password-99")
        .await?;
    browser
        .click("[data-testid=login-form] button[type=submit]")
        .await?;
    let refusal = browser
        .wait_for_text(
            "[data-testid=error-panel]",
            "ログインIDまたはパスワードが正しくありません",
        )
        .await?;
    assert!(
        refusal.contains("60分") && refusal.contains("ユーザー管理者"),
        "{refusal}"
    );

    browser.fill("[data-testid=field-password]", ADMIN.1).await?;
    browser
        .click("[data-testid=login-form] button[type=submit]")
        .await?;
    browser.wait_for_path("/me").await?;
    browser
        .wait_for_text("[data-testid=profile-login-id]", ADMIN.0)
        .await?;
    assert!(browser.title().await?.starts_with("マイページ"));

    // A reload keeps the session; the access token was only in memory.
    browser.open("/me").await?;
    browser
        .wait_for_text("[data-testid=profile-login-id]", ADMIN.0)
        .await?;
    let stored: String = browser
        .driver
        .execute(
            "return JSON.stringify(Object.assign({}, localStorage));",
            Vec::new(),
        )
        .await?
        .convert()?;
    assert!(!stored.contains("token"), "no token in local storage: {stored}");

    // Signed in, the sign-in page goes home.
    browser.open("/login").await?;
    browser.wait_for_path("/").await?;

    // Client-side navigation moves the focus to the new page's heading.
    browser.click("a[href='/status']").await?;
    browser.wait_for_text("h1", "システム状態").await?;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(
        browser.focused().await?.starts_with("H1"),
        "focus: {}",
        browser.focused().await?
    );
    browser.quit().await
}

/// The menu offers only what the role and grants allow; a page of another role says so
/// instead of showing a form that cannot work.
#[tokio::test]
async fn the_navigation_shows_only_what_the_user_may_do() -> anyhow::Result<()> {
    let server = TestServer::start();
    let browser = Browser::start(&server.base_url).await?;
    sign_in(&browser, ADMIN).await?;
    browser
        .wait_for_text("[data-testid=nav-accounts]", "アカウント管理")
        .await?;
    assert!(browser.is_displayed("[data-testid=nav-audit]").await?);
    browser.check_page("home-signed-in").await?;
    browser.click("[data-testid=sign-out]").await?;
    browser
        .wait_for_text("[data-testid=nav-login]", "ログイン")
        .await?;

    // An inquiry staff member (the demo organization's, created through the API).
    let access = crate::steps::api_access_token(&server, ADMIN).await?;
    reqwest::Client::new()
        .post(server.url("/api/v1/accounts"))
        .bearer_auth(access)
        .json(&serde_json::json!({"login_id": "tantou", "full_name": "担当 一郎", "email": "tantou@demo-corp.example.jp", "role": "inquiry_staff"}))
        .send()
        .await?
        .error_for_status()?;
    let invitation = crate::steps::mail_body(
        &server,
        "tantou@demo-corp.example.jp",
        "アカウントが作成されました",
    )
    .await?;
    browser
        .open(&format!(
            "/reset-password?token={}",
            crate::steps::link_token(&invitation)
        ))
        .await?;
    browser
        .fill("[data-testid=field-password]", "Tantou-Pass-2026")
        .await?;
    browser
        .fill("[data-testid=field-password_confirmation]", "Tantou-Pass-2026")
        .await?;
    browser
        .click("[data-testid=reset-form] button[type=submit]")
        .await?;
    browser
        .wait_for_text("[data-testid=password-set]", "パスワードを設定しました")
        .await?;
    browser.check_page("password-set").await?;

    sign_in(&browser, ("tantou", "Tantou-Pass-2026")).await?;
    browser.wait_for_text("nav", "マイページ").await?;
    assert!(
        !browser.is_displayed("[data-testid=nav-accounts]").await?,
        "no accounts entry"
    );
    assert!(
        !browser.is_displayed("[data-testid=nav-audit]").await?,
        "no audit entry"
    );
    browser.open("/admin/accounts").await?;
    browser
        .wait_for_text("[data-testid=not-allowed]", "権限がありません")
        .await?;
    assert!(!browser.is_displayed("form").await?, "no unusable form");
    browser.check_page("not-allowed").await?;
    browser.quit().await
}

/// Under ~640 px the header's menu collapses behind a button.
#[tokio::test]
async fn on_a_phone_the_menu_collapses_behind_a_button() -> anyhow::Result<()> {
    let server = TestServer::start();
    let browser = Browser::start(&server.base_url).await?;
    browser.open("/").await?;
    browser.wait_for_text("h1", "窓口へようこそ").await?;
    browser.check_page("home").await?;
    browser.phone().await?;
    assert!(browser.is_displayed("[data-testid=menu-button]").await?);
    assert!(
        !browser.is_displayed("[data-testid=nav-login]").await?,
        "menu closed"
    );
    browser.click("[data-testid=menu-button]").await?;
    browser
        .wait_for_text("[data-testid=nav-login]", "ログイン")
        .await?;
    browser.click("[data-testid=nav-login]").await?;
    browser.wait_for_text("h1", "ログイン").await?;
    browser.wait_gone("[data-testid=nav-login]").await?;
    browser.desktop().await?;
    assert!(!browser.is_displayed("[data-testid=menu-button]").await?);
    browser.quit().await
}

#[derive(QueryableByName)]
struct Preference {
    #[diesel(sql_type = Text)]
    preferred_lang: String,
}

/// Signed in, the language choice is saved to the account (so mails follow it too).
#[tokio::test]
async fn the_language_choice_is_saved_to_the_account() -> anyhow::Result<()> {
    let server = TestServer::start();
    let browser = Browser::start(&server.base_url).await?;
    sign_in(&browser, ADMIN).await?;
    browser.click("[data-testid=lang-switch]").await?;
    browser.wait_for_text("nav", "My page").await?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let rows: Vec<Preference> = server
            .database
            .query("SELECT preferred_lang FROM accounts WHERE login_id = 'demo-admin'");
        if rows.first().is_some_and(|row| row.preferred_lang == "en") {
            break;
        }
        anyhow::ensure!(std::time::Instant::now() < deadline, "not saved");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    browser.check_page("home-english").await?;
    browser.quit().await
}
