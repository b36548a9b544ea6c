//! Mobile lines (SPEC §7, seed 002): up to 15 registered at once, all or none, every bad
//! line named; the search by number (all digits) and user name (exact / prefix / partial)
//! over current, deleted or all lines; the 30-day minimum usage period on a moved clock.

use chrono::TimeDelta;
use madoguchi_api::accounts::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// An organization with a Business Mobile contract and its administrator `keitai`; the
/// contract's id and the administrator's token.
async fn setup(app: &TestApp) -> (i64, String) {
    let organization = app
        .organization_with_contract("N720000001", "携帯株式会社", "hosyu@keitai.co.jp")
        .await;
    let contract = app.mobile_contract(organization, "M720000001").await;
    app.account(Some(organization), "keitai", Role::UserAdmin).await;
    (contract, app.access_token("keitai").await)
}

fn line(name: &str, number: &str) -> Value {
    json!({"user_name": name, "mobile_number": number})
}

async fn register(app: &TestApp, token: &str, contract: i64, lines: Vec<Value>) -> crate::helpers::Answer {
    app.post_as(
        token,
        "/api/v1/mobile-lines",
        json!({"contract_id": contract, "lines": lines}),
    )
    .await
}

#[tokio::test]
async fn lines_register_all_or_none_and_are_found_by_number_and_name() {
    let app = spawn_app().await;
    let (contract, token) = setup(&app).await;

    // Sixteen is one screen too many.
    let sixteen: Vec<Value> = (0..16)
        .map(|i| line("営業部", &format!("090000000{i:02}")))
        .collect();
    let refused = register(&app, &token, contract, sixteen).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.field_code("lines"), Some("too_many"));

    // Every bad line is named, and nothing is stored.
    let refused = register(
        &app,
        &token,
        contract,
        vec![
            line("営業部 山田", "09011112222"),
            line("営業部 佐藤", "03-1111-3333"),
            // The same number as typed with hyphens and full-width digits.
            line("営業部 鈴木", "０９０－１１１１－２２２２"),
            line(&"長".repeat(21), "08011114444"),
            line("総務部", "090１１１５５５５x"),
            line("総務部", "03011116666"),
        ],
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    for (field, code) in [
        ("lines[1].mobile_number", "invalid_format"),
        ("lines[2].mobile_number", "duplicate"),
        ("lines[3].user_name", "too_long"),
        ("lines[4].mobile_number", "invalid_format"),
        ("lines[5].mobile_number", "invalid_format"),
    ] {
        assert_eq!(refused.field_code(field), Some(code), "{field}: {}", refused.body);
    }
    assert_eq!(refused.field_code("lines[0].mobile_number"), None);
    let none = app
        .get_as(&token, "/api/v1/mobile-lines")
        .await
        .expect(StatusCode::OK);
    assert_eq!(none["total"], 0);

    let registered = register(
        &app,
        &token,
        contract,
        vec![
            line(" 営業部 山田 ", "09011112222"),
            json!({"user_name": "営業部 佐藤", "mobile_number": "08011113333", "international_restricted": true, "office_link": true}),
            line("総務部 山田", "07011114444"),
        ],
    )
    .await
    .expect(StatusCode::CREATED);
    let today = app.clock.today();
    assert_eq!(registered[0]["user_name"], "営業部 山田", "trimmed");
    assert_eq!(registered[0]["registered_on"], json!(today));
    assert_eq!(
        registered[0]["deletable_from"],
        json!(today + TimeDelta::days(30))
    );
    assert_eq!(registered[0]["contract_number"], "M720000001");
    assert_eq!(
        (
            &registered[1]["international_restricted"],
            &registered[1]["office_link"]
        ),
        (&json!(true), &json!(true))
    );
    assert_eq!(
        registered[2]["international_restricted"], false,
        "allowed by default"
    );

    // A number registered already is refused by name.
    let taken = register(&app, &token, contract, vec![line("経理部", "07011114444")]).await;
    assert_eq!(
        taken.field_code("lines[0].mobile_number"),
        Some("taken"),
        "{}",
        taken.body
    );

    // Only an active Business Mobile contract takes lines.
    let maintenance = app
        .get_as(&token, "/api/v1/contracts")
        .await
        .expect(StatusCode::OK)["items"]
        .as_array()
        .and_then(|items| items.iter().find(|c| c["service"] == "product_maintenance"))
        .and_then(|c| c["id"].as_i64())
        .expect("the maintenance contract");
    let wrong = register(&app, &token, maintenance, vec![line("経理部", "07099998888")]).await;
    assert_eq!(
        wrong.field_code("contract_id"),
        Some("not_allowed"),
        "{}",
        wrong.body
    );

    let search = |query: &str| {
        let path = format!("/api/v1/mobile-lines?{query}");
        let (app, token) = (&app, &token);
        async move {
            let page = app.get_as(token, &path).await.expect(StatusCode::OK);
            page["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|item| item["mobile_number"].as_str().unwrap_or_default().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(search("").await.len(), 3);
    assert_eq!(search("number=08011113333").await, ["08011113333"]);
    let partial = app.get_as(&token, "/api/v1/mobile-lines?number=080").await;
    assert_eq!(
        partial.field_code("number"),
        Some("invalid_format"),
        "all digits are needed"
    );
    let prefix = search(&format!("name={}&name_match=prefix", "%E5%96%B6%E6%A5%AD")).await; // 営業
    assert_eq!(prefix, ["08011113333", "09011112222"]);
    let part = search(&format!("name={}&name_match=partial", "%E5%B1%B1%E7%94%B0")).await; // 山田
    assert_eq!(part, ["07011114444", "09011112222"]);
    let exact = search(&format!("name={}&name_match=exact", "%E5%B1%B1%E7%94%B0")).await;
    assert!(exact.is_empty(), "exact needs the whole name: {exact:?}");
    assert_eq!(search("office_link=true").await, ["08011113333"]);

    // The user name is overwritten directly; a bad one is refused.
    let id = registered[0]["id"].as_i64().expect("id");
    let changed = app
        .patch_as(
            &token,
            &format!("/api/v1/mobile-lines/{id}"),
            json!({"user_name": "営業部 山田太郎"}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(changed["user_name"], "営業部 山田太郎");
    let bad = app
        .patch_as(
            &token,
            &format!("/api/v1/mobile-lines/{id}"),
            json!({"user_name": " "}),
        )
        .await;
    assert_eq!(bad.field_code("user_name"), Some("required"));
}

#[tokio::test]
async fn a_line_is_deleted_only_after_its_minimum_usage_period_and_needs_the_pbx_right() {
    let app = spawn_app().await;
    let (contract, token) = setup(&app).await;
    let registered = register(&app, &token, contract, vec![line("営業部", "09022223333")])
        .await
        .expect(StatusCode::CREATED);
    let id = registered[0]["id"].as_i64().expect("id");
    let path = format!("/api/v1/mobile-lines/{id}");
    let deletable_from = app.clock.today() + TimeDelta::days(30);

    let early = app.delete_as(&token, &path).await;
    assert_eq!(
        (early.status, early.code()),
        (StatusCode::CONFLICT, "minimum_usage_period")
    );
    assert_eq!(
        early.body["deletable_from"],
        json!(deletable_from),
        "{}",
        early.body
    );
    assert!(
        early.body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains(&deletable_from.to_string()),
        "the answer says from when: {}",
        early.body
    );
    // (A session does not last a month: sign in again after moving the clock.)
    app.advance(TimeDelta::days(29));
    let token = app.access_token("keitai").await;
    assert_eq!(app.delete_as(&token, &path).await.status, StatusCode::CONFLICT);
    app.advance(TimeDelta::days(1));
    let token = app.access_token("keitai").await;
    assert_eq!(app.delete_as(&token, &path).await.status, StatusCode::NO_CONTENT);

    let deleted = app
        .get_as(&token, "/api/v1/mobile-lines?state=deleted")
        .await
        .expect(StatusCode::OK);
    assert_eq!(deleted["items"][0]["deleted_on"], json!(app.clock.today()));
    let current = app
        .get_as(&token, "/api/v1/mobile-lines")
        .await
        .expect(StatusCode::OK);
    assert_eq!(current["total"], 0);
    // A deleted line is history: it is not changed or deleted again.
    assert_eq!(app.delete_as(&token, &path).await.status, StatusCode::NOT_FOUND);

    // Registering the number again starts a new period.
    let again = register(&app, &token, contract, vec![line("営業部", "09022223333")])
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(again[0]["registered_on"], json!(app.clock.today()));
    let all = app
        .get_as(&token, "/api/v1/mobile-lines?state=all&number=09022223333")
        .await
        .expect(StatusCode::OK);
    assert_eq!(all["total"], 2);
    let new_id = again[0]["id"].as_i64().expect("id");
    let early = app
        .delete_as(&token, &format!("/api/v1/mobile-lines/{new_id}"))
        .await;
    assert_eq!(early.code(), "minimum_usage_period");

    // An inquiry staff member without the PBX grant does not administer lines.
    let organization = app.get_as(&token, "/api/v1/me").await.expect(StatusCode::OK)["organization"]["id"]
        .as_i64()
        .expect("organization");
    app.account(
        Some(madoguchi_api::organizations::OrganizationId(organization)),
        "uketsuke",
        Role::InquiryStaff,
    )
    .await;
    let member = app.access_token("uketsuke").await;
    let refused = app.get_as(&member, "/api/v1/mobile-lines").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}
