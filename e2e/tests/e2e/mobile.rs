//! Mobile lines in the browser (seed 002): the administrator registers lines on the
//! 15-row grid — a full-width number and a duplicate are named in their cells, nothing is
//! kept until the grid is right — confirms the billing notice, finds the lines by a name
//! prefix, sees when a new line becomes deletable, renames one, and deletes one whose
//! minimum usage period is over.

use madoguchi_e2e::{Browser, TestServer};

use crate::steps::{ADMIN, STAFF, api_access_token, sign_in};

#[tokio::test]
async fn the_administrator_registers_lines_on_the_grid_and_finds_them() -> anyhow::Result<()> {
    let server = TestServer::start();
    // Staff add the demo customer's Business Mobile contract.
    let staff = api_access_token(&server, STAFF).await?;
    let client = reqwest::Client::new();
    let organizations: serde_json::Value = client
        .get(server.url("/api/v1/organizations?q=N000000001"))
        .bearer_auth(&staff)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let organization = organizations["items"][0]["id"].as_i64().unwrap_or_default();
    let today = chrono::Utc::now().date_naive();
    client
        .post(server.url("/api/v1/contracts"))
        .bearer_auth(&staff)
        .json(&serde_json::json!({
            "organization_id": organization,
            "contract_number": "BM20260001",
            "service": "business_mobile",
            "starts_on": today - chrono::TimeDelta::days(1),
            "ends_on": today + chrono::TimeDelta::days(730),
            "status": "active",
        }))
        .send()
        .await?
        .error_for_status()?;

    let browser = Browser::start(&server.base_url).await?;
    sign_in(&browser, ADMIN).await?;
    browser.click("[data-testid=nav-mobile]").await?;
    browser.wait_for_text("[data-testid=line-count]", "0件").await?;
    let grid = "[data-testid=register-lines]";
    browser
        .select_containing(&format!("{grid} [data-testid=field-contract_id]"), "BM20260001")
        .await?;
    let cell =
        |row: u32, field: &str| format!("{grid} [data-testid=grid-row-{row}] [data-testid=grid-{field}]");
    browser.fill(&cell(1, "user_name"), "営業部 山田").await?;
    browser.fill(&cell(1, "mobile_number"), "09012340001").await?;
    browser.fill(&cell(2, "user_name"), "営業部 佐藤").await?;
    browser.fill(&cell(2, "mobile_number"), "03-1234-0002").await?;
    browser.fill(&cell(4, "user_name"), "総務部 鈴木").await?;
    browser
        .fill(&cell(4, "mobile_number"), "０９０１２３４０００１")
        .await?;
    browser.click("[data-testid=register]").await?;
    // Named before anything is sent: a landline, and a number repeated in full-width digits.
    browser
        .wait_for_text(&format!("{grid} [data-testid=grid-row-2]"), "090/080/070")
        .await?;
    browser
        .wait_for_text(&format!("{grid} [data-testid=grid-row-4]"), "1行目と同じ番号です")
        .await?;
    browser.check_page("mobile-register-errors").await?;
    browser.wait_for_text("[data-testid=line-count]", "0件").await?;
    // Hyphens are fine.
    browser.fill(&cell(2, "mobile_number"), "090-1234-0002").await?;
    browser.fill(&cell(4, "mobile_number"), "07012340003").await?;
    browser.click("[data-testid=register]").await?;
    browser
        .wait_for_text("[data-testid=billing-notice]", "課金開始")
        .await?;
    // The confirmation takes the focus.
    browser.wait_for_focus("登録する").await?;
    browser.click("[data-testid=confirm-register]").await?;
    browser
        .wait_for_text("[data-testid=toasts]", "3件の利用者を登録しました")
        .await?;
    browser.wait_for_text("[data-testid=line-count]", "3件").await?;
    browser
        .wait_for_text("[data-testid=line-09012340001]", "以降に削除できます")
        .await?;

    // 前方一致 on 営業 finds the two sales lines.
    let search = "[data-testid=line-search]";
    browser
        .fill(&format!("{search} [data-testid=field-name]"), "営業")
        .await?;
    browser
        .select(&format!("{search} [data-testid=field-name_match]"), "prefix")
        .await?;
    browser.click(&format!("{search} button[type=submit]")).await?;
    browser.wait_for_text("[data-testid=line-count]", "2件").await?;
    browser.check_page("mobile").await?;
    browser
        .click("[data-testid=line-09012340002] [data-testid=edit-line]")
        .await?;
    browser
        .fill(
            "[data-testid=line-09012340002] [data-testid=rename]",
            "営業部 佐藤一郎",
        )
        .await?;
    browser
        .click("[data-testid=line-09012340002] button[type=submit]")
        .await?;
    browser
        .wait_for_text("[data-testid=line-09012340002]", "営業部 佐藤一郎")
        .await?;

    // A line registered 40 days ago can go; the answer keeps it as a deleted line.
    server
        .database
        .execute("UPDATE mobile_lines SET registered_on = '2026-01-05' WHERE mobile_number = '07012340003'");
    browser
        .fill(&format!("{search} [data-testid=field-name]"), "部")
        .await?;
    browser
        .select(&format!("{search} [data-testid=field-name_match]"), "partial")
        .await?;
    browser.click(&format!("{search} button[type=submit]")).await?;
    browser.wait_for_text("[data-testid=line-count]", "3件").await?;
    browser
        .click("[data-testid=line-07012340003] [data-testid=delete-line]")
        .await?;
    browser
        .click("[data-testid=line-07012340003] [data-testid=confirm]")
        .await?;
    browser.wait_for_text("[data-testid=line-count]", "2件").await?;
    browser
        .select(&format!("{search} [data-testid=field-state]"), "deleted")
        .await?;
    browser.click(&format!("{search} button[type=submit]")).await?;
    browser
        .wait_for_text("[data-testid=line-07012340003]", "削除")
        .await?;
    browser.quit().await
}
