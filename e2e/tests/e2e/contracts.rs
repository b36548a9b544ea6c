//! Contracts and projects in the browser: staff add a contract with its emails and
//! equipment, group it into a project and restrict an account to it; the customer then
//! sees only that project's contract.

use madoguchi_e2e::{Browser, TestServer};

use crate::steps::{ADMIN, STAFF, sign_in};

#[tokio::test]
async fn staff_add_a_contract_and_restrict_an_account_to_its_project() -> anyhow::Result<()> {
    let server = TestServer::start();
    let browser = Browser::start(&server.base_url).await?;
    sign_in(&browser, STAFF).await?;
    browser.click("[data-testid=nav-contracts]").await?;
    browser
        .wait_for_text("[data-testid=contract-ABC1234567]", "デモ株式会社")
        .await?;
    browser.check_page("contracts-staff").await?;

    // A new contract: a bad address is named by its holder and value; the rest is kept.
    let form = "[data-testid=new-contract]";
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
        .fill(
            &format!("{form} [data-testid=field-contract_number]"),
            "olk0000123",
        )
        .await?;
    browser
        .select(&format!("{form} [data-testid=field-service]"), "office_link")
        .await?;
    browser
        .set_date(&format!("{form} [data-testid=field-starts_on]"), "2026-04-01")
        .await?;
    browser
        .set_date(&format!("{form} [data-testid=field-ends_on]"), "2027-03-31")
        .await?;
    browser
        .fill(
            &format!("{form} [data-testid=field-emails_end_user]"),
            "ops@demo-corp.example.jp, not-an-address",
        )
        .await?;
    browser
        .fill(
            &format!("{form} [data-testid=field-equipment]"),
            "NEC, UNIVERGE Aspire WX, AW1234567, 1.0\nYAMAHA, RTX1300, S4K7654321",
        )
        .await?;
    browser.click(&format!("{form} button[type=submit]")).await?;
    browser
        .wait_for_text(
            &format!("{form} [data-testid=error-emails]"),
            "エンドユーザー not-an-address: 形式が正しくありません",
        )
        .await?;
    browser
        .fill(
            &format!("{form} [data-testid=field-emails_end_user]"),
            "ops@demo-corp.example.jp",
        )
        .await?;
    browser.click(&format!("{form} button[type=submit]")).await?;
    browser
        .wait_for_text("[data-testid=toasts]", "契約 OLK0000123 を登録しました")
        .await?;
    browser
        .wait_for_text("[data-testid=equipment]", "S4K7654321")
        .await?;
    let detail = browser
        .wait_for_text("[data-testid=contract-detail]", "Office Link")
        .await?;
    anyhow::ensure!(detail.contains("2026-04-01 〜 2027-03-31"), "{detail}");
    browser.check_page("contract-detail-staff").await?;

    // A project with that contract, and the demo administrator in its group.
    browser.click("[data-testid=nav-projects]").await?;
    let form = "[data-testid=new-project]";
    browser
        .fill(
            &format!("{form} [data-testid=field-organization_q]"),
            "N000000001",
        )
        .await?;
    browser
        .select_containing(
            &format!("{form} [data-testid=field-organization_id]"),
            "デモ株式会社",
        )
        .await?;
    browser
        .fill(
            &format!("{form} [data-testid=field-name]"),
            "社内ネットワーク案件",
        )
        .await?;
    browser
        .fill(
            &format!("{form} [data-testid=field-group_name]"),
            "情シスグループ",
        )
        .await?;
    browser
        .fill(
            &format!("{form} [data-testid=field-contract_numbers]"),
            "OLK0000123, ZZZ9999999",
        )
        .await?;
    browser.click(&format!("{form} button[type=submit]")).await?;
    browser
        .wait_for_text(
            &format!("{form} [data-testid=error-contract-numbers]"),
            "ZZZ9999999: この契約番号の契約はありません",
        )
        .await?;
    browser
        .fill(
            &format!("{form} [data-testid=field-contract_numbers]"),
            "OLK0000123",
        )
        .await?;
    browser.check_page("projects").await?;
    browser.click(&format!("{form} button[type=submit]")).await?;
    browser
        .wait_for_text(
            "[data-testid=toasts]",
            "案件「社内ネットワーク案件」を作成しました",
        )
        .await?;
    browser
        .select_containing(
            "[data-testid=add-member] [data-testid=field-account_id]",
            "demo-admin",
        )
        .await?;
    browser
        .click("[data-testid=add-member] button[type=submit]")
        .await?;
    browser
        .wait_for_text("[data-testid=member-demo-admin]", "ユーザー管理者")
        .await?;
    browser.check_page("project-detail").await?;
    browser.click("[data-testid=sign-out]").await?;

    // The administrator now sees only the project's contract.
    sign_in(&browser, ADMIN).await?;
    browser.click("[data-testid=nav-contracts]").await?;
    let list = browser
        .wait_for_text("[data-testid=contracts]", "OLK0000123")
        .await?;
    anyhow::ensure!(!list.contains("ABC1234567"), "restricted to the project: {list}");
    browser.check_page("contracts-customer").await?;
    browser.click("[data-testid=contract-OLK0000123] a").await?;
    browser
        .wait_for_text("[data-testid=contract-detail]", "社内ネットワーク案件")
        .await?;
    anyhow::ensure!(
        !browser.is_displayed("[data-testid=edit-contract]").await?,
        "customers do not edit contracts"
    );
    browser.check_page("contract-detail-customer").await?;
    browser.quit().await
}

/// Staff upload a PDF with a Japanese name to a contract (a renamed image is refused with
/// the field named); the customer's contract manager finds it in the document search and
/// previews it in the page.
#[tokio::test]
async fn staff_upload_a_quote_that_the_customer_finds_and_previews() -> anyhow::Result<()> {
    let server = TestServer::start();
    let files = tempfile::tempdir()?;
    let quote = files.path().join("更新見積書_2026年度.pdf");
    let mut pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n".to_vec();
    pdf.extend_from_slice(
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
    );
    std::fs::write(&quote, &pdf)?;
    let image = files.path().join("写真.pdf");
    std::fs::write(&image, b"\x89PNG\r\n\x1a\n not a pdf at all")?;

    let browser = Browser::start(&server.base_url).await?;
    sign_in(&browser, STAFF).await?;
    browser.click("[data-testid=nav-contracts]").await?;
    browser.click("[data-testid=contract-ABC1234567] a").await?;
    let form = "[data-testid=upload-document]";
    browser
        .fill(&format!("{form} [data-testid=field-number]"), "Q-2026-0042")
        .await?;
    browser
        .fill(
            &format!("{form} [data-testid=field-title]"),
            "保守契約更新のお見積り",
        )
        .await?;
    browser
        .set_date(&format!("{form} [data-testid=field-issued_on]"), "2026-11-01")
        .await?;
    browser
        .fill(&format!("{form} [data-testid=field-amount_yen]"), "1,320,000")
        .await?;
    browser
        .fill(
            &format!("{form} [data-testid=field-file]"),
            &image.to_string_lossy(),
        )
        .await?;
    browser.click(&format!("{form} button[type=submit]")).await?;
    browser
        .wait_for_text(
            &format!("{form} [data-testid=error-file]"),
            "PDFファイルを選択してください",
        )
        .await?;
    browser
        .fill(
            &format!("{form} [data-testid=field-file]"),
            &quote.to_string_lossy(),
        )
        .await?;
    browser.click(&format!("{form} button[type=submit]")).await?;
    browser
        .wait_for_text("[data-testid=toasts]", "更新見積書_2026年度.pdf を登録しました")
        .await?;
    browser
        .wait_for_text("[data-testid=document-Q-2026-0042]", "¥1,320,000")
        .await?;
    browser.check_page("contract-documents-staff").await?;
    browser.click("[data-testid=sign-out]").await?;

    sign_in(&browser, ADMIN).await?;
    browser.click("[data-testid=nav-documents]").await?;
    browser
        .fill(
            "[data-testid=document-filters] [data-testid=field-q]",
            "保守契約更新",
        )
        .await?;
    browser
        .click("[data-testid=document-filters] button[type=submit]")
        .await?;
    browser
        .wait_for_text("[data-testid=documents]", "更新見積書_2026年度.pdf")
        .await?;
    browser
        .click("[data-testid=document-Q-2026-0042] [data-testid=preview]")
        .await?;
    browser
        .wait_for_text("[data-testid=pdf-preview]", "Q-2026-0042 保守契約更新のお見積り")
        .await?;
    browser.check_page("documents").await?;
    browser.quit().await
}
