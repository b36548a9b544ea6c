//! The administrator sets the site's secret question, is refused a wrong answer, answers
//! right, sees the days with their files and the volume chart, and filters the records by
//! cause — each page at desktop and phone width, with axe.

use madoguchi_e2e::{Browser, TestServer};
use serde_json::{Value, json};

use crate::steps::{ADMIN, STAFF, api_access_token, sign_in};

#[tokio::test]
async fn the_administrator_answers_the_secret_question_and_reads_call_records() -> anyhow::Result<()> {
    let server = TestServer::start();
    let client = reqwest::Client::new();
    let staff = api_access_token(&server, STAFF).await?;
    let admin = api_access_token(&server, ADMIN).await?;
    let me: Value = client
        .get(server.url("/api/v1/me"))
        .bearer_auth(&admin)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let site: Value = client
        .post(server.url("/api/v1/pbx-sites"))
        .bearer_auth(&staff)
        .json(&json!({"organization_id": me["organization"]["id"], "name": "本社", "domain_name": "pbx.cdr.example.jp",
                      "site_number": "12", "park_hold_code": "*8"}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let site = site["id"].as_i64().unwrap_or_default();
    let today = (chrono::Utc::now() + chrono::TimeDelta::hours(9)).date_naive();
    let records: Vec<Value> = (0..30)
        .map(|n| {
            let day = today - chrono::TimeDelta::days(n % 3);
            let attempted = day.and_hms_opt(9, 0, 0).unwrap_or_default() + chrono::TimeDelta::minutes(n);
            json!({"record_id": format!("e2e-{n}"), "attempted_at": attempted,
                   "answered_at": (n % 5 != 0).then(|| attempted + chrono::TimeDelta::seconds(4)),
                   "ended_at": attempted + chrono::TimeDelta::seconds(64),
                   "connected": n % 5 != 0, "caller": format!("20{:02}", n % 10), "callee": "0312345678",
                   "cause_code": if n % 5 == 0 { "018" } else { "016" }})
        })
        .collect();
    client
        .post(server.url(&format!("/api/v1/pbx-sites/{site}/call-records")))
        .bearer_auth(&staff)
        .json(&json!({"records": records}))
        .send()
        .await?
        .error_for_status()?;

    let browser = Browser::start(&server.base_url).await?;
    sign_in(&browser, ADMIN).await?;
    browser.click("[data-testid=nav-pbx]").await?;
    browser.click("[data-testid=tab-cdrs]").await?;
    let setup = "[data-testid=secret-setup]";
    browser.wait_for_text(setup, "秘密の質問の設定").await?;
    browser.check_page("pbx-cdr-setup").await?;
    browser
        .fill(
            &format!("{setup} [data-testid=field-question]"),
            "最初に飼ったペットの名前は？",
        )
        .await?;
    browser
        .fill(&format!("{setup} [data-testid=field-answer]"), "ポチ")
        .await?;
    browser.click(&format!("{setup} button[type=submit]")).await?;
    let answer = "[data-testid=cdr-answer]";
    browser
        .wait_for_text("[data-testid=secret-question]", "最初に飼ったペットの名前は？")
        .await?;
    browser
        .fill(&format!("{answer} [data-testid=field-answer]"), "タマ")
        .await?;
    browser.click(&format!("{answer} button[type=submit]")).await?;
    browser
        .wait_for_text(
            &format!("{answer} [data-testid=error-answer]"),
            "正しくありません",
        )
        .await?;
    browser.check_page("pbx-cdr-answer").await?;
    browser
        .fill(&format!("{answer} [data-testid=field-answer]"), "ポチ")
        .await?;
    browser.click(&format!("{answer} button[type=submit]")).await?;
    browser
        .wait_for_text(&format!("[data-testid=day-{today}]"), "10")
        .await?;
    browser.wait_for_text("[data-testid=cdr-count]", "30件").await?;
    anyhow::ensure!(
        browser.is_displayed("[data-testid=volume-chart] svg").await?,
        "the volume chart is drawn"
    );
    browser
        .wait_for_text("[data-testid=cdr-table]", "通話後の切断")
        .await?;
    browser.check_page("pbx-cdr-records").await?;
    browser
        .select("[data-testid=cdr-filters] [data-testid=field-cause]", "018")
        .await?;
    browser
        .click("[data-testid=cdr-filters] button[type=submit]")
        .await?;
    browser.wait_for_text("[data-testid=cdr-count]", "6件").await?;
    browser
        .wait_for_text("[data-testid=cdr-table]", "着信タイムアウト")
        .await?;
    browser.quit().await?;
    Ok(())
}
