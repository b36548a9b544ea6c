//! Renewal quotes (SPEC §4): unanswered until ordered (with a purchase-order PDF) or a
//! re-quote is asked for; staff answer a re-quote with a new version. Every step mails the
//! contract contacts (and staff) through the outbox; `GET /home` lists what waits.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::documents::{Setup, form, pdf, setup, upload};
use crate::helpers::{Answer, TestApp, spawn_app};

async fn order(app: &TestApp, token: &str, quote: &Value, form: Form) -> Answer {
    app.send(
        app.client
            .post(app.url(&format!("/api/v1/documents/{}/order", quote["id"])))
            .bearer_auth(token)
            .multipart(form),
    )
    .await
}

/// The subjects of queued mails to `to`, oldest first.
async fn subjects(app: &TestApp, to: &str) -> Vec<String> {
    app.outbox()
        .await
        .into_iter()
        .filter(|mail| mail.recipient == to)
        .map(|mail| mail.subject)
        .collect()
}

#[tokio::test]
async fn a_quote_goes_through_a_requote_to_an_order_with_every_mail_in_the_outbox() {
    let Setup { app, staff, contract } = setup(spawn_app().await).await;
    let first = upload(
        &app,
        &staff,
        contract,
        form("quote", "Q-100", "見積書.pdf", pdf(2_000)),
    )
    .await
    .expect(StatusCode::CREATED);
    assert_eq!(first["quote_state"], "unanswered");
    // Contract contacts hear of it; inquiry roles (who never see documents) do not.
    assert_eq!(
        subjects(&app, "kou-keiyaku@example.co.jp").await,
        ["[窓口] お見積りを登録しました（契約番号 C640000001）"]
    );
    assert!(subjects(&app, "kou-inquiry@example.co.jp").await.is_empty());

    let manager = app.access_token("kou-keiyaku").await;
    let home = app.get_as(&manager, "/api/v1/home").await.expect(StatusCode::OK);
    assert_eq!(home["unanswered_quotes"][0]["number"], "Q-100");
    let inquiry = app.access_token("kou-inquiry").await;
    let their_home = app.get_as(&inquiry, "/api/v1/home").await.expect(StatusCode::OK);
    assert_eq!(
        their_home["unanswered_quotes"],
        json!([]),
        "no documents for inquiry roles"
    );
    let refused = app
        .post_as(
            &inquiry,
            &format!("/api/v1/documents/{}/requote", first["id"]),
            json!({"comment": "x"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // An order needs the purchase order: without it nothing changes.
    let without = order(&app, &manager, &first, Form::new().text("comment", "発注します")).await;
    assert_eq!(
        (without.status, without.field_code("file")),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("required"))
    );

    let blank = app
        .post_as(
            &manager,
            &format!("/api/v1/documents/{}/requote", first["id"]),
            json!({"comment": "  "}),
        )
        .await;
    assert_eq!(blank.field_code("comment"), Some("required"));
    let requoted = app
        .post_as(
            &manager,
            &format!("/api/v1/documents/{}/requote", first["id"]),
            json!({"comment": "台数を10台から12台に変更してください"}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(requoted["quote_state"], "requote_requested");
    assert_eq!(requoted["answer_comment"], "台数を10台から12台に変更してください");
    for to in ["kou-admin@example.co.jp", "eigyo@example.co.jp"] {
        assert!(
            subjects(&app, to)
                .await
                .contains(&"[窓口] 再見積の依頼がありました（契約番号 C640000001）".to_owned()),
            "{to}"
        );
    }
    let staff_mail = app.last_mail("eigyo@example.co.jp", "再見積").await;
    assert!(
        staff_mail.body.contains("台数を10台から12台に変更してください"),
        "{}",
        staff_mail.body
    );
    let again = order(&app, &manager, &first, form("x", "x", "po.pdf", pdf(1_000))).await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::CONFLICT, "quote_answered")
    );

    // Staff answer with a new version that supersedes the first.
    let second = upload(
        &app,
        &staff,
        contract,
        form("quote", "Q-100-2", "見積書_第2版.pdf", pdf(2_000))
            .text("supersedes_id", first["id"].to_string()),
    )
    .await
    .expect(StatusCode::CREATED);
    assert_eq!(second["supersedes_id"], first["id"]);
    let old = app
        .get_as(&manager, &format!("/api/v1/documents/{}", first["id"]))
        .await
        .expect(StatusCode::OK);
    assert_eq!(old["quote_state"], "superseded");
    // A quote nobody asked to re-quote cannot be superseded.
    let stray = upload(
        &app,
        &staff,
        contract,
        form("quote", "Q-999", "x.pdf", pdf(1_000)).text("supersedes_id", second["id"].to_string()),
    )
    .await;
    assert_eq!(stray.field_code("supersedes_id"), Some("not_allowed"));
    assert_eq!(
        app.storage.keys("documents").await.expect("keys").len(),
        2,
        "the refused upload's file went"
    );

    let po = Form::new()
        .text("comment", "注文書を添付します")
        .part("file", Part::bytes(pdf(3_000)).file_name("注文書.pdf"));
    let ordered = order(&app, &manager, &second, po).await.expect(StatusCode::OK);
    assert_eq!(ordered["quote_state"], "ordered");
    let purchase_order = app
        .get_as(
            &manager,
            &format!("/api/v1/documents/{}", ordered["order_document_id"]),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        (
            purchase_order["kind"].as_str(),
            purchase_order["file_name"].as_str()
        ),
        (Some("purchase_order"), Some("注文書.pdf"))
    );
    assert!(
        subjects(&app, "eigyo@example.co.jp")
            .await
            .contains(&"[窓口] お見積りが発注されました（契約番号 C640000001）".to_owned())
    );
    let twice = order(&app, &manager, &second, form("x", "x", "po.pdf", pdf(1_000))).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let home = app.get_as(&manager, "/api/v1/home").await.expect(StatusCode::OK);
    assert_eq!(home["unanswered_quotes"], json!([]), "nothing waits any more");

    let log = app
        .get_as(&app.access_token("kou-admin").await, "/api/v1/audit-log")
        .await
        .expect(StatusCode::OK);
    let actions: Vec<&str> = log["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|event| event["action"].as_str())
        .filter(|action| action.contains("quote"))
        .collect();
    assert_eq!(actions, ["quote_ordered", "requote_requested"]);
}

#[tokio::test]
async fn home_lists_the_contracts_ending_within_90_days() {
    let Setup { app, staff, contract } = setup(spawn_app().await).await;
    let organization = app
        .get_as(&staff, &format!("/api/v1/contracts/{contract}"))
        .await
        .expect(StatusCode::OK)["organization"]["id"]
        .clone();
    let today = app.clock.today();
    for (number, ends_in) in [("END0000030", 30), ("END0000120", 120)] {
        app.post_as(
            &staff,
            "/api/v1/contracts",
            json!({"organization_id": organization, "contract_number": number, "service": "office_link",
                   "starts_on": (today - chrono::TimeDelta::days(300)).to_string(),
                   "ends_on": (today + chrono::TimeDelta::days(ends_in)).to_string(), "status": "active"}),
        )
        .await
        .expect(StatusCode::CREATED);
    }
    let inquiry = app.access_token("kou-inquiry").await;
    let home = app.get_as(&inquiry, "/api/v1/home").await.expect(StatusCode::OK);
    let numbers: Vec<&str> = home["contracts_ending"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|contract| contract["contract_number"].as_str())
        .collect();
    assert_eq!(numbers, ["END0000030"]);
    assert_eq!(home["contracts_ending"][0]["days_left"], 30);
}
