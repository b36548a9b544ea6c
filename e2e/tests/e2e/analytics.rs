//! The customer's administrator opens CXサポート, sees the standard report per number,
//! narrows it to one AN and then to a band of hours and watches the chart and the table
//! follow, makes a group of numbers and edits it — the page at desktop and phone width, with axe.

use chrono::TimeDelta;
use madoguchi_e2e::{Browser, TestServer};
use serde_json::{Value, json};

use crate::steps::{ADMIN, STAFF, api_access_token, sign_in};

const FREEDIAL: &str = "0120111111";
const NAVIDIAL: &str = "0570222222";

#[tokio::test]
async fn the_administrator_narrows_a_standard_report_by_number_and_hours_in_the_browser() -> anyhow::Result<()>
{
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
    let subscription: Value = client
        .post(server.url("/api/v1/analytics/subscriptions"))
        .bearer_auth(&staff)
        .json(&json!({"organization_id": me["organization"]["id"], "opid": "OPE2E1", "plan": "standard"}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let id = subscription["id"].as_i64().unwrap_or_default();
    for (kind, number) in [("an", FREEDIAL), ("an", NAVIDIAL), ("dn", "0312345678")] {
        client
            .post(server.url(&format!("/api/v1/analytics/subscriptions/{id}/numbers")))
            .bearer_auth(&staff)
            .json(&json!({"kind": kind, "number": number}))
            .send()
            .await?
            .error_for_status()?;
    }
    // Yesterday: 12 calls to the FreeDial number in the morning, 5 to the NaviDial number
    // in the evening.
    let yesterday = (chrono::Utc::now() + TimeDelta::hours(9)).date_naive() - TimeDelta::days(1);
    let mut records = Vec::new();
    for n in 0..17 {
        let (an, hour) = if n < 12 { (FREEDIAL, 10) } else { (NAVIDIAL, 20) };
        records.push(json!({
            "record_id": format!("e2e-{n}"),
            "called_at": yesterday.and_hms_opt(hour, n, 0),
            "an": an, "caller": "0311112222", "dn": "0312345678",
            "duration_seconds": 60 + n, "result": "completed",
        }));
    }
    client
        .post(server.url(&format!("/api/v1/analytics/subscriptions/{id}/calls")))
        .bearer_auth(&staff)
        .json(&json!({"records": records}))
        .send()
        .await?
        .error_for_status()?;

    let browser = Browser::start(&server.base_url).await?;
    sign_in(&browser, ADMIN).await?;
    browser.click("[data-testid=nav-analytics]").await?;
    // The demo organization has its own subscription too: this test's is picked.
    browser
        .select_containing("[data-testid=field-subscription]", "OPE2E1")
        .await?;
    browser
        .wait_for_text("[data-testid=report-title]", "直近3ヶ月トラフィック")
        .await?;
    browser
        .wait_for_text("[data-testid=report-table] tfoot", "17")
        .await?;
    browser.check_page("analytics").await?;

    // 番号別詳細: a bar per number, the table beneath.
    browser.click("[data-testid=report-per_number]").await?;
    browser
        .wait_for_text("[data-testid=report-title]", "番号別詳細")
        .await?;
    let table = browser
        .wait_for_text("[data-testid=report-table]", NAVIDIAL)
        .await?;
    anyhow::ensure!(table.contains(FREEDIAL), "both numbers listed: {table}");
    let chart_before = browser.wait_for_text("[data-testid=report-chart]", "").await?;
    let bars_before = count_marks(&browser).await?;
    anyhow::ensure!(bars_before >= 2, "bars for both numbers: {bars_before}");

    // The report as PowerPoint: the server draws it, the browser saves it (caught here so
    // that its bytes can be read: a zip, as a deck is).
    browser.run_script(CATCH_DOWNLOADS).await?;
    browser.click("[data-testid=download-pptx]").await?;
    let saved = wait_for_download(&browser).await?;
    anyhow::ensure!(
        saved["name"]
            .as_str()
            .is_some_and(|name| name.starts_with("per_number_20") && name.ends_with(".pptx")),
        "{saved}"
    );
    anyhow::ensure!(
        saved["head"] == "PK" && saved["size"].as_u64().unwrap_or(0) > 10_000,
        "a deck: {saved}"
    );
    anyhow::ensure!(
        browser.is_enabled("[data-testid=download-pdf]").await?,
        "the menu is free again"
    );

    // The NaviDial number only: the table and the chart follow.
    browser
        .select("[data-testid=report-filters] [data-testid=field-an]", NAVIDIAL)
        .await?;
    browser.click("[data-testid=apply-filters]").await?;
    let narrowed = browser
        .wait_for_text_without("[data-testid=report-table]", FREEDIAL)
        .await?;
    anyhow::ensure!(narrowed.contains(NAVIDIAL), "{narrowed}");
    browser
        .wait_for_text("[data-testid=report-table] tfoot", "5")
        .await?;
    anyhow::ensure!(count_marks(&browser).await? < bars_before, "fewer bars drawn");

    // Then only 9:00–12:00: no NaviDial call then — the chart says so, the total is 0.
    browser
        .select("[data-testid=report-filters] [data-testid=field-hour_from]", "9")
        .await?;
    browser
        .select("[data-testid=report-filters] [data-testid=field-hour_to]", "12")
        .await?;
    browser.click("[data-testid=apply-filters]").await?;
    browser
        .wait_for_text("[data-testid=report-chart]", "No call data")
        .await?;
    let empty = browser
        .wait_for_text("[data-testid=report-table] tfoot", "0")
        .await?;
    anyhow::ensure!(!empty.contains('5'), "{empty}");
    let chart_after = browser.wait_for_text("[data-testid=report-chart]", "").await?;
    anyhow::ensure!(chart_before != chart_after, "the chart changed");
    browser.check_page("analytics-report").await?;

    // A group of the NaviDial number, listed and offered as a filter.
    browser
        .fill("[data-testid=new-group] [data-testid=field-name]", "ナビダイヤル")
        .await?;
    browser.click(&format!("[data-testid=pick-{NAVIDIAL}]")).await?;
    browser
        .click("[data-testid=new-group] button[type=submit]")
        .await?;
    browser
        .wait_for_text("[data-testid=groups]", "ナビダイヤル")
        .await?;
    browser
        .select_containing(
            "[data-testid=report-filters] [data-testid=field-an_group]",
            "ナビダイヤル",
        )
        .await?;

    // The group edited: renamed, the FreeDial number added; the kind stays.
    browser
        .click("[data-testid=group-ナビダイヤル] [data-testid=edit-group]")
        .await?;
    browser
        .wait_for_text("[data-testid=editing-group]", "グループの編集")
        .await?;
    browser
        .fill("[data-testid=new-group] [data-testid=field-name]", "全番号")
        .await?;
    browser.click(&format!("[data-testid=pick-{FREEDIAL}]")).await?;
    browser
        .click("[data-testid=new-group] button[type=submit]")
        .await?;
    let listed = browser
        .wait_for_text("[data-testid=group-全番号]", FREEDIAL)
        .await?;
    anyhow::ensure!(listed.contains(NAVIDIAL), "both numbers: {listed}");
    let groups: Value = client
        .get(server.url(&format!("/api/v1/analytics/subscriptions/{id}/groups")))
        .bearer_auth(&admin)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    anyhow::ensure!(
        groups["items"][0]["name"] == "全番号"
            && groups["items"][0]["numbers"].as_array().map(Vec::len) == Some(2),
        "the server's group: {groups}"
    );
    browser.check_page("analytics-group-edit").await?;
    browser.quit().await?;
    Ok(())
}

/// Keeps what the page saves (a link with `download`, clicked) in `window.__saved`: its
/// name, size and first two bytes. The bytes are read from the blob behind the object URL
/// (the page's content security policy rightly keeps `fetch` away from `blob:` URLs).
const CATCH_DOWNLOADS: &str = r#"
window.__saved = null;
window.__blobs = {};
const createObjectURL = URL.createObjectURL;
URL.createObjectURL = function (blob) {
  const url = createObjectURL.call(URL, blob);
  window.__blobs[url] = blob;
  return url;
};
const click = HTMLAnchorElement.prototype.click;
HTMLAnchorElement.prototype.click = function () {
  if (!this.download) { return click.call(this); }
  const name = this.download;
  const blob = window.__blobs[this.href];
  if (!blob) { window.__saved = { name, error: 'not an object URL: ' + this.href }; return; }
  blob.arrayBuffer().then((buffer) => {
    const bytes = new Uint8Array(buffer);
    window.__saved = { name, size: bytes.length, head: String.fromCharCode(bytes[0], bytes[1]) };
  }).catch((error) => { window.__saved = { name, error: String(error) }; });
};
return true;
"#;

/// What the page saved, once it has.
async fn wait_for_download(browser: &Browser) -> anyhow::Result<Value> {
    for _ in 0..150 {
        let saved = browser.run_script("return window.__saved;").await?;
        if !saved.is_null() {
            return Ok(saved);
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let page = browser
        .run_script(
            "return [...document.querySelectorAll('[data-testid=toasts], [data-testid=download-menu]')].map((part) => part.innerText).join(' | ');",
        )
        .await?;
    anyhow::bail!("nothing was saved within 30 seconds; the page says: {page}")
}

/// Marks (bars, points, tiles, cells) in the chart.
async fn count_marks(browser: &Browser) -> anyhow::Result<u64> {
    let count = browser
        .run_script(
            "return document.querySelectorAll('[data-testid=report-chart] svg .bar, [data-testid=report-chart] svg .point').length;",
        )
        .await?;
    Ok(count.as_u64().unwrap_or(0))
}
