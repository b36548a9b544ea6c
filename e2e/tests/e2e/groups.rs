//! The administrator builds a priority hunting group in the browser, reorders its members
//! and finds the order kept after reloads (each one still signed in); makes a pickup group; sets a hold code and sees
//! an overlapping dial-confirm code explained while typing; reads the forwarding overview —
//! every page at desktop and phone width, with axe.

use madoguchi_e2e::{Browser, TestServer};
use serde_json::{Value, json};

use crate::steps::{ADMIN, STAFF, api_access_token, sign_in};

#[tokio::test]
async fn the_administrator_orders_a_hunting_group_and_sets_feature_codes_in_the_browser() -> anyhow::Result<()>
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
    let site: Value = client
        .post(server.url("/api/v1/pbx-sites"))
        .bearer_auth(&staff)
        .json(&json!({"organization_id": me["organization"]["id"], "name": "本社", "domain_name": "pbx.groups.example.jp",
                      "site_number": "12", "gateway_ids": ["81"], "park_hold_code": "*8"}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let site = site["id"].as_i64().unwrap_or_default();
    let mut ids = Vec::new();
    for (number, user) in [("2001", "yamada"), ("2002", "suzuki"), ("2003", "sato")] {
        let created: Value = client
            .post(server.url(&format!("/api/v1/pbx-sites/{site}/extensions")))
            .bearer_auth(&admin)
            .json(&json!({"number": number, "web_user": user, "web_password": "Abcd1234"}))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        ids.push(created["id"].as_i64().unwrap_or_default());
    }
    client
        .put(server.url(&format!("/api/v1/extensions/{}/forwarding", ids[1])))
        .bearer_auth(&admin)
        .json(&json!({"busy": "0312345678"}))
        .send()
        .await?
        .error_for_status()?;

    let browser = Browser::start(&server.base_url).await?;
    sign_in(&browser, ADMIN).await?;
    browser.click("[data-testid=nav-pbx]").await?;
    browser.click("[data-testid=tab-groups]").await?;
    browser
        .wait_for_text("[data-testid=hunting-count]", "0 / 10000")
        .await?;

    // A priority hunting group represented by 2001, then 2002 and 2003 as members.
    let new = "[data-testid=new-hunting]";
    browser
        .fill(&format!("{new} [data-testid=field-number]"), "10")
        .await?;
    browser
        .fill(&format!("{new} [data-testid=field-representative]"), "2001")
        .await?;
    browser
        .select(&format!("{new} [data-testid=field-strategy]"), "priority")
        .await?;
    browser.click(&format!("{new} button[type=submit]")).await?;
    let editor = "[data-testid=hunting-editor]";
    browser
        .wait_for_text(editor, "コールハンティンググループ 10")
        .await?;
    for number in ["2002", "2003"] {
        browser
            .fill(&format!("{editor} [data-testid=field-member]"), number)
            .await?;
        browser
            .click(&format!("{editor} [data-testid=add-member-submit]"))
            .await?;
        browser
            .wait_for_text(&format!("{editor} [data-testid=members]"), number)
            .await?;
    }
    browser
        .wait_for_text(&format!("{editor} [data-testid=member-count]"), "2 / 64")
        .await?;
    browser.check_page("pbx-groups").await?;

    // 2003 moves up: the order is saved and read back after a reload.
    browser
        .click(&format!(
            "{editor} [data-testid=member-2003] [data-testid=move-up]"
        ))
        .await?;
    let shown = browser
        .wait_for_text(&format!("{editor} [data-testid=members]"), "2003")
        .await?;
    anyhow::ensure!(
        shown.find("2003") < shown.find("2002"),
        "2003 first before saving: {shown}"
    );
    browser
        .click(&format!("{editor} [data-testid=save-order]"))
        .await?;
    browser
        .wait_for_text("[data-testid=toast]", "着信順を保存しました")
        .await?;
    // Reloads keep the session: the page asks for its sites while the app trades the
    // refresh cookie, and the two once raced (the loser signed the tab out — seen on
    // PostgreSQL, where both trades run in parallel). Several reloads, each signed in.
    for _ in 0..4 {
        browser.open("/pbx/groups").await?;
        browser.wait_for_text("[data-testid=hunting-10]", "2001").await?;
    }
    browser.click("[data-testid=hunting-10] button").await?;
    let reloaded = browser
        .wait_for_text(&format!("{editor} [data-testid=members]"), "2002")
        .await?;
    anyhow::ensure!(
        reloaded.find("2003") < reloaded.find("2002"),
        "the order persisted: {reloaded}"
    );
    let group: Value = client
        .get(server.url(&format!("/api/v1/pbx-sites/{site}/hunting-groups")))
        .bearer_auth(&admin)
        .send()
        .await?
        .json()
        .await?;
    let id = group["items"][0]["id"].as_i64().unwrap_or_default();
    let group: Value = client
        .get(server.url(&format!("/api/v1/hunting-groups/{id}")))
        .bearer_auth(&admin)
        .send()
        .await?
        .json()
        .await?;
    let numbers: Vec<&str> = group["members"]
        .as_array()
        .map(|members| {
            members
                .iter()
                .filter_map(|member| member["number"].as_str())
                .collect()
        })
        .unwrap_or_default();
    anyhow::ensure!(numbers == ["2003", "2002"], "the server's order: {numbers:?}");

    // A pickup group with one member, counted in the list.
    browser
        .fill("[data-testid=new-pickup] [data-testid=field-number]", "1")
        .await?;
    browser
        .click("[data-testid=new-pickup] button[type=submit]")
        .await?;
    let pickup = "[data-testid=pickup-editor]";
    browser.wait_for_text(pickup, "ピックアップグループ 1").await?;
    browser
        .fill(&format!("{pickup} [data-testid=field-member]"), "2002")
        .await?;
    browser
        .click(&format!("{pickup} [data-testid=add-member-submit]"))
        .await?;
    browser.wait_for_text("[data-testid=pickup-1]", "1").await?;
    browser
        .wait_for_text(&format!("{pickup} [data-testid=member-count]"), "1 / 64")
        .await?;
    browser.check_page("pbx-pickup").await?;

    // Feature codes: hold #7 saved; a dial-confirm #71 explained before it is sent.
    browser.click("[data-testid=tab-features]").await?;
    browser
        .wait_for_text("[data-testid=dialled-numbers]", "*8")
        .await?;
    browser
        .fill("[data-testid=feature-codes] [data-testid=field-hold_code]", "#7")
        .await?;
    browser
        .click("[data-testid=feature-codes] button[type=submit]")
        .await?;
    browser
        .wait_for_text("[data-testid=toast]", "設定しました")
        .await?;
    browser
        .fill(
            "[data-testid=feature-codes] [data-testid=field-dial_confirm_code]",
            "#71",
        )
        .await?;
    browser
        .wait_for_text(
            "[data-testid=conflicts-dial_confirm_code]",
            "保留特番「#7」と前方一致しています",
        )
        .await?;
    browser.check_page("pbx-features").await?;
    browser
        .fill(
            "[data-testid=feature-codes] [data-testid=field-dial_confirm_code]",
            "#9",
        )
        .await?;
    browser
        .wait_gone("[data-testid=conflicts-dial_confirm_code] li")
        .await?;

    // The forwarding overview.
    browser.click("[data-testid=tab-forwarding]").await?;
    browser
        .wait_for_text("[data-testid=forwarding-count]", "3件")
        .await?;
    browser
        .wait_for_text("[data-testid=forwarding-2002]", "0312345678")
        .await?;
    let current = browser
        .run_script("return Array.from(document.querySelectorAll('.tabs [aria-current=page]')).map(a => a.textContent)")
        .await?;
    anyhow::ensure!(current == json!(["転送設定確認"]), "one current tab: {current}");
    browser.check_page("pbx-forwarding").await?;
    browser.quit().await?;
    Ok(())
}
