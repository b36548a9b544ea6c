//! Product support and knowledge in the browser: staff put a firmware file on a series'
//! page (progress bar, the file listed); the customer walks maker → series → tabs, and
//! searches the knowledge base with the match highlighted; an article's Markdown renders
//! without the raw HTML staff typed into it.

use madoguchi_e2e::{Browser, TestServer};

use crate::steps::{ADMIN, STAFF, sign_in};

#[tokio::test]
async fn staff_publish_firmware_and_the_customer_finds_it_by_maker_and_series() -> anyhow::Result<()> {
    let server = TestServer::start();
    let files = tempfile::tempdir()?;
    let firmware = files.path().join("rtx1300 Rev.23.01.03 ファームウェア.bin");
    std::fs::write(&firmware, vec![0x5a_u8; 3 * 1024 * 1024])?;

    let browser = Browser::start(&server.base_url).await?;
    sign_in(&browser, STAFF).await?;
    browser.click("[data-testid=nav-products]").await?;
    browser.wait_for_text("[data-testid=makers]", "YAMAHA").await?;
    browser.check_page("products-staff").await?;
    browser
        .click("[data-testid=makers] li:nth-child(2) button")
        .await?;
    browser
        .wait_for_text("[data-testid=series-list]", "RTXシリーズ")
        .await?;
    browser.click("[data-testid=series-list] a").await?;
    browser
        .wait_for_text("[data-testid=series-name]", "RTXシリーズ")
        .await?;
    let form = "[data-testid=add-entry]";
    browser
        .fill(
            &format!("{form} [data-testid=field-title]"),
            "推奨ファームウェア（最新）",
        )
        .await?;
    browser
        .fill(&format!("{form} [data-testid=field-version]"), "Rev.23.01.03")
        .await?;
    browser
        .fill(
            &format!("{form} [data-testid=field-file]"),
            &firmware.to_string_lossy(),
        )
        .await?;
    browser.click(&format!("{form} button[type=submit]")).await?;
    browser
        .wait_for_text(
            "[data-testid=toasts]",
            "「推奨ファームウェア（最新）」を追加しました",
        )
        .await?;
    browser
        .wait_for_text(
            "[data-testid=entries-download]",
            "rtx1300 Rev.23.01.03 ファームウェア.bin",
        )
        .await?;
    browser.check_page("series-staff").await?;
    browser.click("[data-testid=sign-out]").await?;

    sign_in(&browser, ADMIN).await?;
    browser.click("[data-testid=nav-products]").await?;
    browser.wait_for_text("[data-testid=makers]", "Cisco").await?;
    browser.check_page("products").await?;
    browser
        .click("[data-testid=makers] li:nth-child(2) button")
        .await?;
    browser.click("[data-testid=series-list] a").await?;
    browser
        .wait_for_text("[data-testid=entries-download]", "Rev.23.01.03")
        .await?;
    anyhow::ensure!(
        !browser.is_displayed("[data-testid=add-entry]").await?,
        "customers get no staff form"
    );
    // The tabs follow the arrow keys (WAI-ARIA tabs): → twice reaches 標準出荷バージョン.
    browser.press("[data-testid=tab-download]", "\u{E014}").await?;
    browser.press("[data-testid=tab-document]", "\u{E014}").await?;
    browser
        .wait_for_text("[data-testid=entries-shipping_version]", "Rev.23.01.02")
        .await?;
    anyhow::ensure!(
        browser
            .is_displayed("[data-testid=panel-shipping_version]")
            .await?
            && !browser.is_displayed("[data-testid=panel-download]").await?,
        "one section shows at a time"
    );
    browser.click("[data-testid=tab-end_of_support]").await?;
    browser
        .wait_for_text("[data-testid=entries-end_of_support]", "2033-03-31")
        .await?;
    browser.check_page("series").await?;
    browser.quit().await
}

#[tokio::test]
async fn the_customer_searches_knowledge_and_staff_markdown_stays_inert() -> anyhow::Result<()> {
    let server = TestServer::start();
    let browser = Browser::start(&server.base_url).await?;
    sign_in(&browser, ADMIN).await?;
    browser.click("[data-testid=nav-knowledge]").await?;
    browser
        .fill("[data-testid=knowledge-search] [data-testid=field-q]", "再起動")
        .await?;
    browser
        .click("[data-testid=knowledge-search] button[type=submit]")
        .await?;
    browser
        .wait_for_text(
            "[data-testid=articles]",
            "RTX1300 がファームウェア更新後に再起動を繰り返す",
        )
        .await?;
    let marks = browser
        .run_script(
            "return [...document.querySelectorAll('[data-testid=articles] mark')].map((m) => m.textContent);",
        )
        .await?;
    let marks: Vec<String> = serde_json::from_value(marks)?;
    anyhow::ensure!(
        !marks.is_empty() && marks.iter().all(|mark| mark == "再起動"),
        "matches are highlighted: {marks:?}"
    );
    browser.check_page("knowledge").await?;
    // The demo RTX article (the first written) has headings.
    browser.click("[data-testid=article-1] h2 a").await?;
    browser
        .wait_for_text("[data-testid=article-body] h3", "現象")
        .await?;
    browser.check_page("article").await?;
    browser.click("[data-testid=sign-out]").await?;

    // Staff write an article with HTML in it: it shows as text, nothing runs.
    sign_in(&browser, STAFF).await?;
    browser.open("/knowledge/new").await?;
    let form = "[data-testid=article-form]";
    browser
        .fill(&format!("{form} [data-testid=field-title]"), "設定保存の注意")
        .await?;
    browser
        .fill(
            &format!("{form} [data-testid=field-body]"),
            "## 注意\n保存前に**再起動**しないでください。<img src=x onerror=\"window.__injected=1\">\n\n[危険なリンク](javascript:alert(1))",
        )
        .await?;
    browser.click(&format!("{form} button[type=submit]")).await?;
    browser
        .wait_for_text("[data-testid=article-title]", "設定保存の注意")
        .await?;
    browser
        .wait_for_text("[data-testid=article-body]", "<img src=x")
        .await?;
    let inert = browser
        .run_script(
            "const body = document.querySelector('[data-testid=article-body]');
             return body.querySelectorAll('img, script').length === 0
               && window.__injected === undefined
               && [...body.querySelectorAll('a')].every((a) => !a.href.startsWith('javascript:'));",
        )
        .await?;
    anyhow::ensure!(
        inert == serde_json::json!(true),
        "raw HTML and script links must stay inert"
    );
    browser.check_page("article-staff").await?;
    browser.quit().await
}
