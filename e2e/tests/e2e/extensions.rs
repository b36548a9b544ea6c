//! A CSV file of extensions applies all or nothing, also when the process dies while it
//! writes: the real binary is killed (SIGKILL) in the middle of a 20,000-row job, and the
//! next process on the same database finds none of the file's extensions, or all of them.

use madoguchi_e2e::TestServer;
use reqwest::StatusCode;
use serde_json::{Value, json};

const ROWS: usize = 20_000;

async fn sign_in(client: &reqwest::Client, server: &TestServer, login_id: &str, password: &str) -> String {
    let tokens: Value = client
        .post(server.url("/api/v1/auth/sign-in"))
        .json(&json!({"login_id": login_id, "password": password}))
        .send()
        .await
        .expect("sign-in")
        .json()
        .await
        .expect("tokens");
    tokens["access_token"].as_str().expect("access token").to_owned()
}

async fn extension_total(client: &reqwest::Client, server: &TestServer, token: &str, site: i64) -> i64 {
    let page: Value = client
        .get(server.url(&format!("/api/v1/pbx-sites/{site}/extensions?per_page=1")))
        .bearer_auth(token)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("page");
    page["total"].as_i64().expect("total")
}

#[tokio::test]
async fn a_process_killed_while_a_csv_file_applies_leaves_none_or_all_of_it() {
    let client = reqwest::Client::new();
    let server = TestServer::start_with(
        madoguchi_e2e::TestDatabase::create(),
        &[("MADOGUCHI_MAIL_POLL_INTERVAL_MS", "20")],
    );
    let staff = sign_in(&client, &server, "staff", "Madoguchi-Staff-2026").await;
    let admin = sign_in(&client, &server, "demo-admin", "Madoguchi-Demo-2026").await;
    let me: Value = client
        .get(server.url("/api/v1/me"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("profile");
    let site: Value = client
        .post(server.url("/api/v1/pbx-sites"))
        .bearer_auth(&staff)
        .json(&json!({"organization_id": me["organization"]["id"], "name": "障害試験", "domain_name": "crash.example.jp",
                      "site_number": "91", "gateway_ids": [], "park_hold_code": "*8"}))
        .send()
        .await
        .expect("site")
        .json()
        .await
        .expect("site body");
    let site = site["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("site: {site} (me: {me})"));
    let file: String = (0..ROWS)
        .map(|n| format!("{},,0000000000,,,0,0,web{n},P{n:07},0\r\n", 400_000 + n))
        .collect();
    let accepted = client
        .post(server.url(&format!(
            "/api/v1/pbx-sites/{site}/extensions/csv?action=register"
        )))
        .bearer_auth(&admin)
        .header("content-type", "text/csv")
        .body(file)
        .send()
        .await
        .expect("upload");
    assert_eq!(accepted.status(), StatusCode::ACCEPTED);
    let job: Value = accepted.json().await.expect("job");
    let job_path = format!("/api/v1/jobs/{}", job["id"]);

    // The job has checked every row (half its progress): it writes now. Kill it there.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let seen = loop {
        let job: Value = client
            .get(server.url(&job_path))
            .bearer_auth(&admin)
            .send()
            .await
            .expect("job")
            .json()
            .await
            .expect("job body");
        let validated = job["progress"]["done"].as_i64().unwrap_or(0) >= ROWS as i64;
        if validated || job["state"] == "done" || job["state"] == "failed" {
            break job;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the job never got going: {job}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    };
    assert_ne!(seen["state"], "failed", "{seen}");
    let database = server.crash();

    let server = TestServer::start_with(database, &[]);
    let admin = sign_in(&client, &server, "demo-admin", "Madoguchi-Demo-2026").await;
    let total = extension_total(&client, &server, &admin, site).await;
    assert!(
        total == 0 || total == ROWS as i64,
        "a killed import left {total} of {ROWS} extensions (job when killed: {seen})"
    );
    eprintln!(
        "killed with the job {}: {total} extensions after the restart",
        seen["state"]
    );
}

/// The administrator uploads a Shift_JIS CSV file with two bad rows, sees both named with
/// the encoding, fixes the file, checks it, applies it, sees the extensions, and swaps two
/// extensions' numbers — at desktop and phone width, with axe.
#[tokio::test]
async fn the_administrator_registers_extensions_from_a_csv_file_in_the_browser() -> anyhow::Result<()> {
    use madoguchi_e2e::Browser;

    use crate::steps::{ADMIN, STAFF, api_access_token, sign_in};

    let server = TestServer::start();
    let client = reqwest::Client::new();
    let staff = api_access_token(&server, STAFF).await?;
    let admin = api_access_token(&server, ADMIN).await?;
    let organizations: Value = client
        .get(server.url("/api/v1/organizations?q=N000000001"))
        .bearer_auth(&staff)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let organization = organizations["items"][0]["id"].as_i64().unwrap_or_default();
    let today = chrono::Utc::now().date_naive();
    let contract: Value = client
        .post(server.url("/api/v1/contracts"))
        .bearer_auth(&staff)
        .json(&json!({"organization_id": organization, "contract_number": "BM20260002", "service": "business_mobile",
                      "starts_on": today - chrono::TimeDelta::days(1), "ends_on": today + chrono::TimeDelta::days(730),
                      "status": "active"}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let lines: Vec<Value> = (1..=3)
        .map(|n| json!({"user_name": format!("営業部 {n}"), "mobile_number": format!("0905555000{n}"), "office_link": true}))
        .collect();
    client
        .post(server.url("/api/v1/mobile-lines"))
        .bearer_auth(&admin)
        .json(&json!({"contract_id": contract["id"], "lines": lines}))
        .send()
        .await?
        .error_for_status()?;
    // Staff set up the customer's site in the browser.
    let browser = Browser::start(&server.base_url).await?;
    sign_in(&browser, STAFF).await?;
    browser.click("[data-testid=nav-pbx]").await?;
    browser.click("[data-testid=new-site] summary").await?;
    browser
        .fill(
            "[data-testid=new-site] [data-testid=field-organization_q]",
            "N000000001",
        )
        .await?;
    browser
        .select_containing(
            "[data-testid=new-site] [data-testid=field-organization_id]",
            "デモ株式会社",
        )
        .await?;
    browser
        .fill("[data-testid=new-site] [data-testid=field-name]", "本社")
        .await?;
    browser
        .fill(
            "[data-testid=new-site] [data-testid=field-domain_name]",
            "pbx.demo-corp.example.jp",
        )
        .await?;
    browser
        .fill("[data-testid=new-site] [data-testid=field-site_number]", "12")
        .await?;
    browser
        .fill("[data-testid=new-site] [data-testid=field-gateway_ids]", "81, 82")
        .await?;
    browser
        .fill(
            "[data-testid=new-site] [data-testid=field-park_hold_code]",
            "*8#12",
        )
        .await?;
    browser
        .click("[data-testid=new-site] button[type=submit]")
        .await?;
    // A park-hold code of five characters is named before anything is sent.
    browser
        .wait_for_text(
            "[data-testid=new-site] [data-testid=error-park_hold_code]",
            "0-9 * #",
        )
        .await?;
    browser
        .fill("[data-testid=new-site] [data-testid=field-park_hold_code]", "*8")
        .await?;
    browser
        .click("[data-testid=new-site] button[type=submit]")
        .await?;
    browser
        .wait_for_text("[data-testid=site-summary]", "pbx.demo-corp.example.jp")
        .await?;
    browser.check_page("pbx-staff-site").await?;
    browser.quit().await?;

    let files = tempfile::tempdir()?;
    let write = |name: &str, rows: &[&str]| -> anyhow::Result<String> {
        let text = rows.join("\r\n") + "\r\n";
        let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&text);
        anyhow::ensure!(!unmappable, "Shift_JIS cannot hold {text}");
        let path = files.path().join(name);
        std::fs::write(&path, bytes)?;
        Ok(path.to_string_lossy().into_owned())
    };
    let bad = write(
        "内線一括登録.csv",
        &[
            "2001,09055550001,0000000000,,,0,0,yamada,Abcd1234,0",
            "２００２,09055550002,0000000000,,,0,0,suzuki,Efgh5678,0",
            "2003,9055550003,0000000000,,,0,0,sato,Ijkl9012,0",
        ],
    )?;

    let browser = Browser::start(&server.base_url).await?;
    sign_in(&browser, ADMIN).await?;
    browser.click("[data-testid=nav-pbx]").await?;
    browser
        .wait_for_text("[data-testid=extension-count]", "0件")
        .await?;
    browser
        .wait_for_text("[data-testid=site-summary]", "pbx.demo-corp.example.jp")
        .await?;
    browser.fill("[data-testid=csv-file-input]", &bad).await?;
    browser
        .wait_for_text("[data-testid=csv-chosen]", "内線一括登録.csv")
        .await?;
    browser.click("[data-testid=csv-check]").await?;
    // Both bad rows, with their reasons; the encoding read; nothing registered.
    browser
        .wait_for_text("[data-testid=csv-errors]", "2件の誤り")
        .await?;
    browser
        .wait_for_text("[data-testid=csv-encoding]", "Shift_JIS")
        .await?;
    browser.wait_for_text("[data-testid=csv-error-2]", "全角").await?;
    browser
        .wait_for_text("[data-testid=csv-error-3]", "先頭“0”")
        .await?;
    browser.check_page("pbx-csv-errors").await?;
    browser
        .wait_for_text("[data-testid=extension-count]", "0件")
        .await?;

    let fixed = write(
        "内線一括登録（修正）.csv",
        &[
            "2001,09055550001,0000000000,,,0,0,yamada,Abcd1234,0",
            "2002,09055550002,0000000000,,,0,0,suzuki,Efgh5678,0",
            "2003,09055550003,0000000000,,,0,0,sato,Ijkl9012,0",
        ],
    )?;
    browser.fill("[data-testid=csv-file-input]", &fixed).await?;
    browser.click("[data-testid=csv-check]").await?;
    browser
        .wait_for_text("[data-testid=csv-result]", "3行すべて正しい形式です")
        .await?;
    browser
        .wait_for_text("[data-testid=extension-count]", "0件")
        .await?;
    browser.click("[data-testid=csv-apply]").await?;
    browser
        .wait_for_text("[data-testid=csv-result]", "3件の内線番号を登録しました")
        .await?;
    browser
        .wait_for_text("[data-testid=extension-count]", "3件")
        .await?;
    browser
        .wait_for_text("[data-testid=extension-2003] [data-testid=mobile]", "09055550003")
        .await?;
    browser.check_page("pbx-extensions").await?;

    // A profile change: a web password like the web user is named, then a new user name.
    browser
        .click("[data-testid=extension-2001] [data-testid=edit-extension]")
        .await?;
    let profile = "[data-testid=extension-2001] [data-testid=profile-form]";
    browser
        .fill(&format!("{profile} [data-testid=field-web_user]"), "Yamada01")
        .await?;
    browser
        .fill(&format!("{profile} [data-testid=field-web_password]"), "Yamada01")
        .await?;
    browser.click(&format!("{profile} button[type=submit]")).await?;
    browser
        .wait_for_text(
            &format!("{profile} [data-testid=error-web_password]"),
            "ユーザー名と同じ",
        )
        .await?;
    browser
        .fill(&format!("{profile} [data-testid=field-web_password]"), "Zyxw9876")
        .await?;
    browser.click(&format!("{profile} button[type=submit]")).await?;
    browser
        .wait_for_text("[data-testid=extension-2001]", "Yamada01")
        .await?;

    // 交換: 2001 and 2003 exchange their numbers in one step.
    browser
        .select_containing("[data-testid=swap] [data-testid=field-first]", "2001")
        .await?;
    browser
        .select_containing("[data-testid=swap] [data-testid=field-second]", "2003")
        .await?;
    browser.click("[data-testid=swap] button[type=submit]").await?;
    browser
        .wait_for_text("[data-testid=extension-2001] [data-testid=mobile]", "09055550003")
        .await?;
    browser
        .wait_for_text("[data-testid=extension-2003] [data-testid=mobile]", "09055550001")
        .await?;

    // 譲渡 at phone width: 2002 takes 2001's number; 2001 is left without one.
    browser.phone().await?;
    // The swap's toast covers the bottom of a phone's screen: closed, as a person would.
    if browser.is_displayed("[data-testid=toast] .toast-close").await? {
        browser.click("[data-testid=toast] .toast-close").await?;
        browser.wait_gone("[data-testid=toast]").await?;
    }
    browser
        .click("[data-testid=extension-2002] [data-testid=transfer]")
        .await?;
    browser
        .select_containing(
            "[data-testid=transfer-form] [data-testid=field-mobile_number]",
            "内線 2001",
        )
        .await?;
    browser.check_page("pbx-transfer").await?;
    browser.phone().await?;
    browser
        .click("[data-testid=transfer-form] button[type=submit]")
        .await?;
    browser
        .wait_for_text("[data-testid=extension-2002] [data-testid=mobile]", "09055550003")
        .await?;
    browser
        .wait_for_text(
            "[data-testid=extension-2001] [data-testid=mobile]",
            "割り当てなし",
        )
        .await?;
    browser.desktop().await?;
    browser.quit().await?;
    Ok(())
}
