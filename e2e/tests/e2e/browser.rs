use madoguchi_e2e::{Backend, Browser, TestServer};

#[tokio::test]
async fn status_page_shows_health_and_switches_language() -> anyhow::Result<()> {
    let server = TestServer::start();
    let browser = Browser::start(&server.base_url).await?;

    browser.open("/status").await?;
    browser
        .wait_for_text("[data-testid=health-status]", "正常に稼働しています")
        .await?;
    let database = browser
        .wait_for_text("[data-testid=health-database]", "接続可")
        .await?;
    let expected_backend = match Backend::under_test() {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    };
    assert!(database.contains(expected_backend), "{database}");
    browser
        .wait_for_text("[data-testid=health-version]", env!("CARGO_PKG_VERSION"))
        .await?;
    assert_eq!(browser.root_attribute("lang").await?.as_deref(), Some("ja"));

    browser.click("[data-testid=lang-switch]").await?;
    browser
        .wait_for_text("[data-testid=health-status]", "All systems operational")
        .await?;
    browser.wait_for_text("nav", "System status").await?;
    assert_eq!(browser.root_attribute("lang").await?.as_deref(), Some("en"));

    // The choice is remembered across a reload.
    browser.open("/").await?;
    browser.wait_for_text("h1", "Welcome to Madoguchi").await?;
    browser.click("[data-testid=lang-switch]").await?;
    browser.wait_for_text("h1", "窓口へようこそ").await?;

    browser.quit().await
}

#[tokio::test]
async fn unknown_client_route_shows_the_not_found_page() -> anyhow::Result<()> {
    let server = TestServer::start();
    let browser = Browser::start(&server.base_url).await?;
    browser.open("/no/such/page").await?;
    browser.wait_for_text("h1", "ページが見つかりません").await?;
    browser.quit().await
}
