//! The customer's administrator opens CXサポート, sees the standard report per number,
//! narrows it to one AN and then to a band of hours and watches the chart and the table
//! follow, makes a group of numbers and edits it — the page at desktop and phone width, with axe.

use chrono::TimeDelta;
use madoguchi_e2e::{Browser, TestServer};
use serde_json::{Value, json};

use crate::steps::{ADMIN, STAFF, api_access_token, link_token, mail_body, otp, sign_in};

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
    wait_for_deck(&browser, "per_number", 10_000).await?;
    anyhow::ensure!(
        browser.is_enabled("[data-testid=download-pdf]").await?,
        "the menu is free again"
    );

    // The calls of every minute of the day are 1,440 rows, a deck of 122 slides: a job
    // draws it, the page follows the job and then saves the file it drew.
    browser.click("[data-testid=report-per_minute]").await?;
    browser
        .wait_for_text("[data-testid=report-title]", "呼数・分単位")
        .await?;
    browser.run_script(CATCH_DOWNLOADS).await?;
    browser.click("[data-testid=download-pptx]").await?;
    wait_for_deck(&browser, "per_minute", 100_000).await?;
    let fetched = browser.run_script("return window.__fetched;").await?;
    let through_job = fetched.as_array().is_some_and(|urls| {
        urls.iter()
            .any(|url| url.as_str().is_some_and(|url| url.contains("/api/v1/jobs/")))
            && urls.iter().any(|url| {
                url.as_str()
                    .is_some_and(|url| url.contains("/api/v1/analytics/downloads/"))
            })
    });
    anyhow::ensure!(through_job, "followed the job, fetched its file: {fetched}");
    anyhow::ensure!(
        browser.is_enabled("[data-testid=download-pptx]").await?,
        "the menu is free again"
    );
    browser.click("[data-testid=report-per_number]").await?;
    browser
        .wait_for_text("[data-testid=report-title]", "番号別詳細")
        .await?;

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

/// A new customer signs its OPID up for the standard plan through the three steps (the
/// errors inline, the billing fields the plan requires, the entries to check), confirms
/// from the mail, signs in with the mailed analytics ID and a one-time password, finds the
/// standard plan on its dashboard and downloads a report as PowerPoint.
#[tokio::test]
async fn a_new_customer_signs_up_confirms_signs_in_with_a_code_and_downloads_a_deck() -> anyhow::Result<()> {
    const EMAIL: &str = "cx-signup@new-customer.example.jp";
    const PASSWORD: &str = "Cx-Support-2026";
    let server = TestServer::start();
    let browser = Browser::start(&server.base_url).await?;

    browser.open("/login").await?;
    browser.click("[data-testid=analytics-signup-link]").await?;
    browser.wait_for_text("h1", "CXサポートのお申し込み").await?;
    browser
        .wait_for_text("[data-testid=plan-comparison]", "同時適正回線数")
        .await?;
    browser.check_page("analytics-signup").await?;

    // STEP 1: the empty form names every field; the standard plan asks for billing.
    browser.select("[data-testid=field-plan]", "standard").await?;
    browser.click("[data-testid=signup-next]").await?;
    for field in [
        "contractor_name",
        "contact_phone",
        "opid",
        "an_number",
        "dn_number",
        "billing_phone",
        "billing_number",
        "department",
        "contact_person",
        "email",
        "password",
    ] {
        let message = browser
            .wait_for_text(&format!("[data-testid=error-{field}]"), "")
            .await?;
        anyhow::ensure!(!message.is_empty(), "{field} has no message");
    }
    browser.check_page("analytics-signup-errors").await?;
    for (field, value) in [
        ("contractor_name", "株式会社ニューカスタマー"),
        ("contact_phone", "03-3333-4444"),
        ("opid", "OPNEW01"),
        ("an_number", "0120-333-444"),
        ("dn_number", "03-3333-5555"),
        ("billing_phone", "03-3333-4444"),
        ("billing_number", "0120-333-444"),
        ("department", "お客さま窓口部"),
        ("contact_person", "新規 顧客"),
        ("email", EMAIL),
        ("email_confirmation", EMAIL),
        ("password", PASSWORD),
        ("password_confirmation", PASSWORD),
    ] {
        browser
            .fill(&format!("[data-testid=field-{field}]"), value)
            .await?;
    }
    browser.select("[data-testid=field-industry]", "telecom").await?;
    browser.click("[data-testid=signup-next]").await?;

    // STEP 2: the entries to check, the password not shown, no sales code as 0s.
    let review = browser
        .wait_for_text("[data-testid=signup-review]", "OPNEW01")
        .await?;
    anyhow::ensure!(
        review.contains("スタンダードプラン") && review.contains("00000000000000"),
        "{review}"
    );
    anyhow::ensure!(!review.contains(PASSWORD), "the password is not shown");
    browser.check_page("analytics-signup-review").await?;
    browser.click("[data-testid=signup-submit]").await?;

    // STEP 3: sent.
    browser.wait_for_text("[data-testid=signup-sent]", EMAIL).await?;
    browser.check_page("analytics-signup-sent").await?;

    // 本登録 from the mailed link: the analytics ID on the page (and in the ready mail).
    let token = link_token(&mail_body(&server, EMAIL, "(1/3)").await?);
    browser
        .open(&format!("/analytics/signup/confirm?token={token}"))
        .await?;
    browser.check_page("analytics-signup-confirm").await?;
    browser.click("[data-testid=confirm-signup]").await?;
    let analytics_id = browser
        .wait_for_text("[data-testid=analytics-id]", "")
        .await?
        .trim()
        .to_owned();
    anyhow::ensure!(analytics_id.len() == 10, "{analytics_id}");
    let ready = mail_body(&server, EMAIL, "(3/3)").await?;
    anyhow::ensure!(ready.contains(&analytics_id), "{ready}");

    // Sign in: the analytics ID and the password, then the code mailed.
    browser.click("[data-testid=go-sign-in]").await?;
    browser
        .fill("[data-testid=field-login_id]", &analytics_id)
        .await?;
    browser.fill("[data-testid=field-password]", PASSWORD).await?;
    browser
        .click("[data-testid=login-form] button[type=submit]")
        .await?;
    browser.wait_for_text("[data-testid=otp-form]", "cx***@").await?;
    let code = otp(&mail_body(&server, EMAIL, "ワンタイムパスワード").await?);
    browser.fill("[data-testid=field-code]", &code).await?;
    browser
        .click("[data-testid=otp-form] button[type=submit]")
        .await?;
    browser
        .wait_for_text("[data-testid=greeting]", "新規 顧客")
        .await?;

    // The dashboard: the standard plan, its reports open; a report as a deck.
    browser.open("/analytics").await?;
    browser
        .wait_for_text("[data-testid=current-plan]", "スタンダードプラン")
        .await?;
    browser.click("[data-testid=report-per_number]").await?;
    browser
        .wait_for_text("[data-testid=report-title]", "番号別詳細")
        .await?;
    browser.run_script(CATCH_DOWNLOADS).await?;
    browser.click("[data-testid=download-pptx]").await?;
    wait_for_deck(&browser, "per_number", 1_000).await?;
    browser.check_page("analytics-new-subscriber").await?;

    // A view-only child ID, issued and disabled from the dashboard.
    browser
        .wait_for_text("[data-testid=child-id-count]", "0 / 10")
        .await?;
    browser
        .fill(
            "[data-testid=child-id-form] [data-testid=field-full_name]",
            "閲覧 担当",
        )
        .await?;
    browser
        .fill(
            "[data-testid=child-id-form] [data-testid=field-email]",
            "viewer@new-customer.example.jp",
        )
        .await?;
    browser.click("[data-testid=issue-child-id]").await?;
    let child_login = format!("{analytics_id}-01");
    browser
        .wait_for_text("[data-testid=child-id-table]", &child_login)
        .await?;
    browser
        .wait_for_text("[data-testid=child-id-count]", "1 / 10")
        .await?;
    browser.check_page("analytics-child-ids").await?;
    browser
        .click(&format!(
            "[data-testid=child-id-{child_login}] [data-testid=toggle-child-id]"
        ))
        .await?;
    browser
        .wait_for_text(
            &format!("[data-testid=child-id-{child_login}] [data-testid=child-id-status]"),
            "無効",
        )
        .await?;

    // Own data: a file with a bad row shows it and cannot be stored; the fixed one (in
    // Shift_JIS, as a spreadsheet saves it) is previewed, stored and shown beside the
    // traffic.
    let files = tempfile::tempdir()?;
    let yesterday = (chrono::Utc::now() + TimeDelta::hours(9)).date_naive() - TimeDelta::days(1);
    let bad = files.path().join("保有データ.csv");
    std::fs::write(&bad, format!("日付,番号,呼数\n{yesterday},0120-999-999,9\n"))?;
    browser
        .fill("[data-testid=own-data-file]", &bad.to_string_lossy())
        .await?;
    browser
        .wait_for_text("[data-testid=own-data-errors]", "label")
        .await?;
    anyhow::ensure!(
        !browser.is_enabled("[data-testid=own-data-apply]").await?,
        "a file with errors is not stored"
    );
    browser.check_page("analytics-own-data-errors").await?;
    let fixed = files.path().join("保有データ_修正.csv");
    let text = format!("日付,番号,呼数,通話時間(秒)\r\n{yesterday},0120-333-444,9,300\r\n");
    std::fs::write(&fixed, encoding_rs::SHIFT_JIS.encode(&text).0)?;
    browser
        .fill("[data-testid=own-data-file]", &fixed.to_string_lossy())
        .await?;
    browser
        .wait_for_text("[data-testid=own-data-summary]", "shift_jis")
        .await?;
    browser
        .wait_for_text("[data-testid=own-data-rows]", "0120333444")
        .await?;
    browser.click("[data-testid=own-data-apply]").await?;
    browser
        .wait_for_text("[data-testid=toasts]", "お客さま保有データを登録しました")
        .await?;
    browser.click("[data-testid=report-recent_traffic]").await?;
    browser
        .wait_for_text("[data-testid=report-table]", "お客さま保有データ")
        .await?;
    browser.quit().await
}

/// Keeps what the page saves (a link with `download`, clicked) in `window.__saved`: its
/// name, size and first two bytes; the URLs the page fetches in `window.__fetched`. The bytes are read from the blob behind the object URL
/// (the page's content security policy rightly keeps `fetch` away from `blob:` URLs).
const CATCH_DOWNLOADS: &str = r#"
window.__saved = null;
window.__blobs = {};
window.__fetched = window.__fetched || [];
if (!window.__fetchKept) {
  window.__fetchKept = window.fetch;
  window.fetch = function (input, init) {
    window.__fetched.push(String((input && input.url) || input));
    return window.__fetchKept.call(window, input, init);
  };
}
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

/// Waits for the page to save a deck of the report: named after it and its period, a zip
/// of at least `min_size` bytes.
async fn wait_for_deck(browser: &Browser, report: &str, min_size: u64) -> anyhow::Result<()> {
    let saved = wait_for_download(browser).await?;
    anyhow::ensure!(
        saved["name"]
            .as_str()
            .is_some_and(|name| name.starts_with(&format!("{report}_20")) && name.ends_with(".pptx")),
        "{saved}"
    );
    anyhow::ensure!(
        saved["head"] == "PK" && saved["size"].as_u64().unwrap_or(0) >= min_size,
        "a deck of {min_size} bytes or more: {saved}"
    );
    Ok(())
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
