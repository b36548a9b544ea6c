//! Provider staff running their customers in the browser.

use madoguchi_e2e::{Browser, TestServer};

use crate::steps::{STAFF, api_access_token, sign_in};

/// Staff add a customer (a malformed number is caught in the browser first), rename it on
/// an explicit save, and create an account by picking the organization from a search.
#[tokio::test]
async fn staff_add_and_rename_a_customer_and_give_it_an_account() -> anyhow::Result<()> {
    let server = TestServer::start();
    let browser = Browser::start(&server.base_url).await?;
    sign_in(&browser, STAFF).await?;
    browser.click("[data-testid=nav-organizations]").await?;
    browser
        .wait_for_text("[data-testid=organizations]", "デモ株式会社")
        .await?;
    browser.check_page("organizations").await?;

    let form = "[data-testid=new-organization]";
    browser
        .fill(&format!("{form} [data-testid=field-customer_number]"), "X12")
        .await?;
    browser
        .fill(
            &format!("{form} [data-testid=field-name]"),
            "窓口テスト商事株式会社",
        )
        .await?;
    browser.click(&format!("{form} button[type=submit]")).await?;
    browser
        .wait_for_text(
            &format!("{form} [data-testid=error-customer_number]"),
            "形式が正しくありません（N + 9 digits）",
        )
        .await?;
    browser
        .fill(
            &format!("{form} [data-testid=field-customer_number]"),
            "n987654321",
        )
        .await?;
    browser.click(&format!("{form} button[type=submit]")).await?;
    browser
        .wait_for_text(
            "[data-testid=toasts]",
            "N987654321 窓口テスト商事株式会社 を登録しました",
        )
        .await?;
    let row = "[data-testid=organization-N987654321]";
    browser.wait_for_text(row, "窓口テスト商事株式会社").await?;

    browser.click(&format!("{row} [data-testid=rename]")).await?;
    browser
        .fill(
            &format!("{row} [data-testid=field-name]"),
            "窓口テストホールディングス株式会社",
        )
        .await?;
    browser.click(&format!("{row} button[type=submit]")).await?;
    browser
        .wait_for_text(row, "窓口テストホールディングス株式会社")
        .await?;

    browser.click("[data-testid=nav-accounts]").await?;
    let form = "[data-testid=new-account]";
    browser
        .fill(&format!("{form} [data-testid=field-organization_q]"), "デモ")
        .await?;
    browser
        .select_containing(
            &format!("{form} [data-testid=field-organization_id]"),
            "デモ株式会社",
        )
        .await?;
    browser
        .fill(&format!("{form} [data-testid=field-login_id]"), "first-user")
        .await?;
    browser
        .fill(&format!("{form} [data-testid=field-full_name]"), "窓口 一郎")
        .await?;
    browser
        .fill(
            &format!("{form} [data-testid=field-email]"),
            "first-user@demo-corp.example.jp",
        )
        .await?;
    browser.check_page("accounts-staff-new").await?;
    browser.click(&format!("{form} button[type=submit]")).await?;
    browser
        .wait_for_text("[data-testid=toasts]", "first-user を追加しました")
        .await?;
    browser
        .wait_for_text("[data-testid=accounts]", "first-user")
        .await?;
    browser.quit().await
}

/// A long list pages: 25 customers are two pages of 20; next and previous move between
/// them and are disabled at the ends.
#[tokio::test]
async fn the_customer_list_pages() -> anyhow::Result<()> {
    let server = TestServer::start();
    let token = api_access_token(&server, STAFF).await?;
    let client = reqwest::Client::new();
    for n in 1..=24 {
        client
            .post(server.url("/api/v1/organizations"))
            .bearer_auth(&token)
            .json(&serde_json::json!({"customer_number": format!("N5{n:08}"), "name": format!("頁送り{n}株式会社")}))
            .send()
            .await?
            .error_for_status()?;
    }
    let browser = Browser::start(&server.base_url).await?;
    sign_in(&browser, STAFF).await?;
    browser.open("/admin/organizations").await?;
    browser
        .wait_for_text("[data-testid=pager]", "1 / 2 ページ（全 25 件）")
        .await?;
    anyhow::ensure!(
        !browser.is_enabled("[data-testid=previous-page]").await?,
        "no page before the first"
    );
    browser.click("[data-testid=next-page]").await?;
    browser
        .wait_for_text("[data-testid=pager]", "2 / 2 ページ（全 25 件）")
        .await?;
    let second = browser
        .wait_for_text("[data-testid=organizations]", "頁送り24株式会社")
        .await?;
    anyhow::ensure!(
        !second.contains("頁送り1株式会社"),
        "page 2 shows the rest: {second}"
    );
    anyhow::ensure!(
        !browser.is_enabled("[data-testid=next-page]").await?,
        "no page after the last"
    );
    browser.click("[data-testid=previous-page]").await?;
    browser
        .wait_for_text("[data-testid=organizations]", "デモ株式会社")
        .await?;
    browser.quit().await
}
