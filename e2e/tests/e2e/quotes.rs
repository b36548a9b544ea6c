//! A renewal quote answered in the browser: a contract manager opens home, orders the
//! quote with a purchase-order PDF (a progress bar shows the upload), and it is answered;
//! staff then find the purchase order.

use madoguchi_e2e::{Browser, TestServer};
use reqwest::multipart::{Form, Part};

use crate::steps::{STAFF, api_access_token, demo_account, sign_in};

fn pdf(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n".to_vec();
    while bytes.len() < size {
        bytes.extend_from_slice(b"% purchase order padding line\n");
    }
    bytes.extend_from_slice(b"%%EOF\n");
    bytes
}

#[tokio::test]
async fn a_contract_manager_orders_a_quote_from_home_with_a_purchase_order() -> anyhow::Result<()> {
    let server = TestServer::start();
    let staff = api_access_token(&server, STAFF).await?;
    let client = reqwest::Client::new();
    let contracts: serde_json::Value = client
        .get(server.url("/api/v1/contracts?q=ABC1234567"))
        .bearer_auth(&staff)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let contract = &contracts["items"][0]["id"];
    let quote = Form::new()
        .text("kind", "quote")
        .text("number", "Q-E2E-1")
        .text("title", "保守契約更新（2027年度）")
        .text("issued_on", "2026-11-01")
        .text("amount_yen", "990000")
        .part("file", Part::bytes(pdf(4_000)).file_name("見積書.pdf"));
    client
        .post(server.url(&format!("/api/v1/contracts/{contract}/documents")))
        .bearer_auth(&staff)
        .multipart(quote)
        .send()
        .await?
        .error_for_status()?;
    let manager = demo_account(&server, "keiyaku", "contract_manager").await?;
    let files = tempfile::tempdir()?;
    let purchase_order = files.path().join("注文書_2027.pdf");
    std::fs::write(&purchase_order, pdf(8 * 1024 * 1024))?;

    let browser = Browser::start(&server.base_url).await?;
    sign_in(&browser, manager).await?;
    browser.open("/").await?;
    let row = "[data-testid=quote-Q-E2E-1]";
    browser.wait_for_text(row, "¥990,000").await?;
    browser
        .wait_for_text(
            "[data-testid=contracts-ending]",
            "90日以内に終了する契約はありません",
        )
        .await?;
    browser.check_page("home-quotes").await?;

    browser.click(&format!("{row} [data-testid=order]")).await?;
    let dialog = "[data-testid=order-dialog]";
    browser.click(&format!("{dialog} button[type=submit]")).await?;
    browser
        .wait_for_text(
            &format!("{dialog} [data-testid=error-purchase-order]"),
            "入力必須",
        )
        .await?;
    browser.check_page("order-dialog").await?;
    // Whether the progress bar ever shows, recorded by the page itself.
    browser
        .run_script(
            "window.sawProgress = false; new MutationObserver(() => { \
               if (document.querySelector('[data-testid=order-progress]')) { window.sawProgress = true; } \
             }).observe(document.body, { childList: true, subtree: true });",
        )
        .await?;
    browser
        .fill(
            &format!("{dialog} [data-testid=field-purchase-order]"),
            &purchase_order.to_string_lossy(),
        )
        .await?;
    browser.click(&format!("{dialog} button[type=submit]")).await?;
    browser
        .wait_for_text("[data-testid=toasts]", "お見積り Q-E2E-1 を発注しました")
        .await?;
    browser
        .wait_for_text(
            "[data-testid=unanswered-quotes]",
            "回答待ちのお見積りはありません",
        )
        .await?;
    anyhow::ensure!(
        browser.run_script("return window.sawProgress;").await? == serde_json::json!(true),
        "the upload's progress bar never showed"
    );
    browser.click("[data-testid=sign-out]").await?;

    // Staff find the purchase order among the contract's documents.
    sign_in(&browser, STAFF).await?;
    browser.click("[data-testid=nav-documents]").await?;
    browser
        .wait_for_text("[data-testid=document-Q-E2E-1-PO]", "注文書_2027.pdf")
        .await?;
    browser.check_page("documents-staff").await?;
    browser.quit().await
}
