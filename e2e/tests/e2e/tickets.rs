//! Tickets in the browser (seed 004 ⑤): the customer picks a product (its serial number
//! and contract fill in), is told at once which CC address is wrong, attaches a file that
//! uploads in parts with a progress bar (and removes a second one), and files the ticket;
//! the notification mail waits in the outbox with the CC; staff find it, move it on and
//! reply; the customer sees the reply and closes the ticket. Every page is checked at
//! desktop and phone width.

use madoguchi_e2e::{Browser, TestServer};

use crate::steps::{ADMIN, STAFF, sign_in};

#[tokio::test]
async fn a_customer_files_a_ticket_with_a_file_and_reads_the_staff_reply() -> anyhow::Result<()> {
    let server = TestServer::start();
    let files = tempfile::tempdir()?;
    // Three parts of the uploads' 8 MiB.
    let log = files.path().join("RTX1300 障害ログ 2026-12.log");
    std::fs::write(&log, vec![b'L'; 20 * 1024 * 1024 + 123])?;
    let spare = files.path().join("不要な画面写真.png");
    std::fs::write(&spare, vec![0x89_u8; 4096])?;

    let browser = Browser::start(&server.base_url).await?;
    sign_in(&browser, ADMIN).await?;
    browser
        .wait_for_text("[data-testid=open-tickets]", "対応中のお問い合わせはありません")
        .await?;
    browser.click("[data-testid=nav-tickets]").await?;
    browser.wait_for_text("[data-testid=ticket-count]", "0件").await?;
    browser.click("[data-testid=new-ticket]").await?;
    browser
        .wait_for_text("[data-testid=ticket-products]", "Cisco")
        .await?;
    browser.check_page("ticket-products").await?;
    browser
        .click("[data-testid=ticket-products] li:first-child button")
        .await?;
    let form = "[data-testid=ticket-form]";
    browser
        .wait_for_text("[data-testid=chosen-product]", "Cisco")
        .await?;
    anyhow::ensure!(
        !browser
            .value(&format!("{form} [data-testid=field-serial_number]"))
            .await?
            .is_empty(),
        "the product's serial number fills in"
    );
    browser.click("[data-testid=kind-incident]").await?;
    browser
        .fill(
            &format!("{form} [data-testid=field-subject]"),
            "拠点間VPNが切断される",
        )
        .await?;
    // The seed's site silently sent no mail at all for such a list; here it is named.
    browser
        .fill(
            &format!("{form} [data-testid=field-cc]"),
            "suzuki@demo-corp.example.jp; 田中",
        )
        .await?;
    browser
        .wait_for_text("[data-testid=error-cc]", "はメールアドレスではありません")
        .await?;
    browser
        .fill(
            &format!("{form} [data-testid=field-cc]"),
            "suzuki@demo-corp.example.jp, tanaka@demo-corp.example.jp",
        )
        .await?;
    browser
        .wait_for_text_without("[data-testid=error-cc]", "メールアドレス")
        .await?;
    browser
        .fill(
            &format!("{form} [data-testid=field-body]"),
            "本日9時頃から本社と大阪拠点のVPNが数分おきに切断されます。ログを添付します。",
        )
        .await?;
    browser
        .fill("[data-testid=ticket-file-input]", &log.to_string_lossy())
        .await?;
    browser
        .fill("[data-testid=ticket-file-input]", &spare.to_string_lossy())
        .await?;
    browser
        .wait_for_text("[data-testid=ticket-uploads] li:first-child", "完了")
        .await?;
    browser
        .wait_for_text("[data-testid=ticket-uploads] li:nth-child(2)", "完了")
        .await?;
    let shown = browser
        .run_script(
            "return document.querySelector('[data-testid=ticket-uploads] li:first-child progress').value;",
        )
        .await?;
    anyhow::ensure!(shown == serde_json::json!(100), "the bar reaches 100%: {shown}");
    browser
        .click("[data-testid=ticket-uploads] li:nth-child(2) [data-testid=remove-upload]")
        .await?;
    browser
        .wait_for_text_without("[data-testid=ticket-uploads]", "不要な画面写真")
        .await?;
    browser.check_page("ticket-new").await?;
    browser.click(&format!("{form} button[type=submit]")).await?;
    browser
        .wait_for_text("[data-testid=ticket-subject]", "拠点間VPNが切断される")
        .await?;
    let number = browser.wait_for_text("[data-testid=ticket-number]", "T-").await?;
    browser
        .wait_for_text(
            "[data-testid=ticket-attachments]",
            "RTX1300 障害ログ 2026-12.log (20.0 MB)",
        )
        .await?;
    anyhow::ensure!(
        !browser
            .wait_for_text("[data-testid=ticket]", "")
            .await?
            .contains("不要な画面写真"),
        "the removed file is not attached"
    );
    browser.check_page("ticket-customer").await?;

    // The notification mail, in the same transaction as the ticket, carries the CC list.
    let mail = server
        .database
        .outbox()
        .into_iter()
        .find(|mail| mail.subject.contains(number.trim()))
        .ok_or_else(|| anyhow::anyhow!("no mail about {number}"))?;
    anyhow::ensure!(
        mail.recipient == "hanako.yamada@demo-corp.example.jp"
            && mail.cc.contains("suzuki@demo-corp.example.jp")
            && mail.cc.contains("tanaka@demo-corp.example.jp")
            && mail.body.contains("拠点間VPNが切断される"),
        "mail to the reporter with the CC: {mail:?}"
    );
    browser.click("[data-testid=sign-out]").await?;

    // Staff find it among every organization's open tickets, take it on and reply.
    sign_in(&browser, STAFF).await?;
    browser.click("[data-testid=nav-tickets]").await?;
    browser
        .fill("[data-testid=ticket-filters] [data-testid=field-q]", "VPN")
        .await?;
    browser
        .click("[data-testid=ticket-filters] button[type=submit]")
        .await?;
    browser
        .wait_for_text("[data-testid=tickets]", number.trim())
        .await?;
    browser.check_page("tickets-staff").await?;
    browser
        .click("[data-testid=tickets] tbody tr:first-child a")
        .await?;
    browser
        .wait_for_text("[data-testid=ticket-subject]", "拠点間VPN")
        .await?;
    browser
        .select(
            "[data-testid=status-form] [data-testid=field-status]",
            "in_progress",
        )
        .await?;
    browser
        .click("[data-testid=status-form] button[type=submit]")
        .await?;
    browser
        .wait_for_text("[data-testid=timeline]", "「新規」から「対応中」")
        .await?;
    browser.click("[data-testid=open-reply]").await?;
    browser
        .fill(
            "[data-testid=reply-form] [data-testid=field-body]",
            "ログを確認しました。IKEの再送設定を見直してください。",
        )
        .await?;
    browser
        .click("[data-testid=reply-form] button[type=submit]")
        .await?;
    browser
        .wait_for_text("[data-testid=timeline]", "IKEの再送設定")
        .await?;
    browser.check_page("ticket-staff").await?;
    browser.click("[data-testid=sign-out]").await?;

    // The customer reads the reply and closes the ticket.
    sign_in(&browser, ADMIN).await?;
    browser
        .wait_for_text("[data-testid=open-tickets]", number.trim())
        .await?;
    browser.check_page("home-tickets").await?;
    browser
        .click("[data-testid=open-tickets] tbody tr:first-child a")
        .await?;
    browser
        .wait_for_text("[data-testid=timeline]", "IKEの再送設定")
        .await?;
    browser.click("[data-testid=to-closed]").await?;
    browser
        .wait_for_text("[data-testid=ticket-status]", "クローズ")
        .await?;
    browser.click("[data-testid=nav-tickets]").await?;
    browser.wait_for_text("[data-testid=ticket-count]", "0件").await?;
    browser.click("[data-testid=tab-all]").await?;
    browser
        .wait_for_text("[data-testid=tickets]", number.trim())
        .await?;
    browser.check_page("tickets").await?;
    browser.quit().await
}
