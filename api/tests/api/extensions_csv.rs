//! Extensions in bulk (SPEC §8.1, seed 003 §3.2–4.3): CSV files in Shift_JIS or UTF-8
//! checked whole with every bad row named, applied all or nothing (at once, or as a job for
//! a large file), the export that registers back unchanged; transfer and swap of numbers.

use encoding_rs::SHIFT_JIS;
use madoguchi_api::accounts::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Answer, TestApp, spawn_app};

/// An organization with Office Link lines 09044440001..=count, its administrator `csvadmin`
/// and a site: the site's id and the token.
async fn setup(app: &TestApp, lines: usize) -> (i64, String) {
    let organization = app
        .organization_with_contract("N740000001", "一括株式会社", "hosyu@ikkatsu.co.jp")
        .await;
    let contract = app.mobile_contract(organization, "M740000001").await;
    app.account(Some(organization), "csvadmin", Role::UserAdmin).await;
    app.account(None, "csvstaff", Role::Staff).await;
    let customer = app.access_token("csvadmin").await;
    let staff = app.access_token("csvstaff").await;
    let numbers: Vec<String> = (1..=lines).map(|n| format!("0904444{n:04}")).collect();
    for batch in numbers.chunks(15) {
        let lines: Vec<Value> = batch
            .iter()
            .map(|number| json!({"user_name": "一括", "mobile_number": number, "office_link": true}))
            .collect();
        app.post_as(
            &customer,
            "/api/v1/mobile-lines",
            json!({"contract_id": contract, "lines": lines}),
        )
        .await
        .expect(StatusCode::CREATED);
    }
    let site = app
        .post_as(
            &staff,
            "/api/v1/pbx-sites",
            json!({"organization_id": organization.0, "name": "本社", "domain_name": "pbx.ikkatsu.co.jp",
                   "site_number": "0031", "gateway_ids": [], "park_hold_code": "*8"}),
        )
        .await
        .expect(StatusCode::CREATED);
    (site["id"].as_i64().expect("id"), customer)
}

fn sjis(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = SHIFT_JIS.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

async fn upload(app: &TestApp, token: &str, site: i64, query: &str, body: Vec<u8>) -> Answer {
    app.send(
        app.client
            .post(app.url(&format!("/api/v1/pbx-sites/{site}/extensions/csv?{query}")))
            .bearer_auth(token)
            .header("content-type", "text/csv")
            .body(body),
    )
    .await
}

async fn export(app: &TestApp, token: &str, site: i64, query: &str) -> (reqwest::header::HeaderMap, Vec<u8>) {
    let response = app
        .client
        .get(app.url(&format!("/api/v1/pbx-sites/{site}/extensions/csv{query}")))
        .bearer_auth(token)
        .send()
        .await
        .expect("export");
    assert_eq!(response.status(), StatusCode::OK);
    crate::observed::record("GET", &format!("/api/v1/pbx-sites/{site}/extensions/csv"), 200);
    let headers = response.headers().clone();
    (headers, response.bytes().await.expect("body").to_vec())
}

async fn numbers(app: &TestApp, token: &str, site: i64) -> Vec<(String, Value)> {
    let page = app
        .get_as(
            token,
            &format!("/api/v1/pbx-sites/{site}/extensions?per_page=500"),
        )
        .await
        .expect(StatusCode::OK);
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| {
            (
                item["number"].as_str().expect("number").to_owned(),
                item["mobile_number"].clone(),
            )
        })
        .collect()
}

/// (line, column, code) of each refused row.
fn rows(answer: &Answer) -> Vec<(u64, Option<String>, String)> {
    answer.body["rows"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|row| {
            (
                row["line"].as_u64().expect("line"),
                row["column"].as_str().map(str::to_owned),
                row["code"].as_str().expect("code").to_owned(),
            )
        })
        .collect()
}

fn row(line: u64, column: Option<&str>, code: &str) -> (u64, Option<String>, String) {
    (line, column.map(str::to_owned), code.to_owned())
}

#[tokio::test]
async fn a_csv_file_is_checked_whole_and_applied_all_or_nothing() {
    let app = spawn_app().await;
    let (site, token) = setup(&app, 6).await;
    app.post_as(
        &token,
        &format!("/api/v1/pbx-sites/{site}/extensions"),
        json!({"number": "2009", "sip_user": "taken9", "web_user": "kizon", "web_password": "Abcd1234"}),
    )
    .await
    .expect(StatusCode::CREATED);

    // Shift_JIS with a full-width number, a lost leading zero, a number and a SIP id the
    // site has, a row repeating another, a number outside the pool and a short row: every
    // one is named, nothing is applied.
    let bad = [
        "2001,09044440001,0000000000,,,0,0,yamada,Abcd1234,0",
        "２００２,09044440002,0000000000,,,0,0,suzuki,Abcd1234,0",
        "2003,9044440003,000000000000,,,0,0,sato,Abcd1234,0",
        "2009,09044440004,0000000000,taken9,,0,0,kato,Abcd1234,0",
        "2001,09044440005,0000000000,,,0,0,ito,Abcd1234,0",
        "2006,09099990000,0000000000,,,0,0,abe,Abcd1234,0",
        "2007,09044440006,0000000000",
    ]
    .join("\r\n");
    let refused = upload(&app, &token, site, "action=register", sjis(&bad)).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(refused.code(), "csv_refused");
    assert_eq!(refused.body["encoding"], "shift_jis");
    // The rows that fail on their own are named first; the checks against the site follow
    // once the file is clean on its own.
    assert_eq!(
        rows(&refused),
        vec![
            row(2, Some("A"), "not_half_width"),
            row(3, Some("B"), "leading_zero_lost"),
            row(5, Some("A"), "duplicate"),
            row(7, None, "column_count"),
        ]
    );
    let duplicate = &refused.body["rows"][2];
    assert_eq!(
        duplicate["message"],
        "233 パラメータエラー(重複登録)：1行目と同じ内線番号です"
    );
    assert_eq!(duplicate["value"], "2001");
    let fixed = [
        "2001,09044440001,0000000000,,,0,0,yamada,Abcd1234,0",
        "2009,09044440004,0000000000,taken9,,0,0,kato,Abcd1234,0",
        "2006,09099990000,0000000000,,,0,0,abe,Abcd1234,0",
    ]
    .join("\r\n");
    let refused = upload(&app, &token, site, "action=register", sjis(&fixed)).await;
    assert_eq!(
        rows(&refused),
        vec![
            row(2, Some("A"), "duplicate"),
            row(2, Some("D"), "duplicate"),
            row(3, Some("B"), "not_in_pool"),
        ],
        "{}",
        refused.body
    );
    let english = app
        .send(
            app.client
                .post(app.url(&format!(
                    "/api/v1/pbx-sites/{site}/extensions/csv?action=register"
                )))
                .bearer_auth(&token)
                .header("accept-language", "en")
                .body(sjis(&fixed)),
        )
        .await;
    assert_eq!(
        english.body["rows"][0]["message"],
        "233 Parameter error (duplicate): the site has this extension already"
    );
    assert_eq!(numbers(&app, &token, site).await.len(), 1, "nothing applied");

    // UTF-8 with a BOM, trailing spaces, both reserved lengths and the short form: a dry
    // run checks and applies nothing, then the same file applies.
    let good = "\u{feff}2001,09044440001,0000000000   ,,,0,0,yamada,Abcd1234,0\r\n\
                2002 , 090-4444-0002 ,000000000000,sip2002,pw2002,,,suzuki,Efgh5678,\r\n\
                2003,09044440003\r\n\r\n";
    let dry = upload(
        &app,
        &token,
        site,
        "action=register&dry_run=true",
        good.as_bytes().to_vec(),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(
        dry,
        json!({"action": "register", "encoding": "utf-8-bom", "dry_run": true, "rows": 3, "applied": 0, "memberships_removed": 0})
    );
    assert_eq!(
        numbers(&app, &token, site).await.len(),
        1,
        "a dry run applies nothing"
    );
    let applied = upload(&app, &token, site, "action=register", good.as_bytes().to_vec())
        .await
        .expect(StatusCode::OK);
    assert_eq!(applied["applied"], 3);
    let now = numbers(&app, &token, site).await;
    assert_eq!(
        now,
        vec![
            ("2001".into(), json!("09044440001")),
            ("2002".into(), json!("09044440002")),
            ("2003".into(), json!("09044440003")),
            ("2009".into(), Value::Null),
        ]
    );

    // Files that are no CSV text are named as such.
    for (bytes, code) in [
        (Vec::new(), "empty_file"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(), "not_text"),
        (
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0".to_vec(),
            "encrypted",
        ),
        (
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0W\0o\0r\0k\0b\0o\0o\0k\0".to_vec(),
            "not_text",
        ),
        (b"2001,\x85\x40".to_vec(), "not_text"),
    ] {
        let refused = upload(&app, &token, site, "action=register", bytes).await;
        assert_eq!(rows(&refused), vec![row(0, None, code)], "{}", refused.body);
    }
    let too_large = upload(
        &app,
        &token,
        site,
        "action=register",
        vec![b'2'; 4 * 1024 * 1024 + 1],
    )
    .await;
    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);

    // Bulk delete: the extension's own number, or none; a number the site lacks is named.
    let delete = "2001,09044440001,0000000000\n2002,09044440009,0000000000\n2999,,000000000000";
    let refused = upload(&app, &token, site, "action=delete", delete.as_bytes().to_vec()).await;
    assert_eq!(
        rows(&refused),
        vec![
            row(2, Some("B"), "mobile_mismatch"),
            row(3, Some("A"), "not_on_site")
        ]
    );
    let deleted = upload(
        &app,
        &token,
        site,
        "action=delete",
        b"2001,09044440001,0000000000 \n2002,,0000000000".to_vec(),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(deleted["applied"], 2);
    let pool = app
        .get_as(&token, &format!("/api/v1/pbx-sites/{site}/mobile-pool"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        pool.as_array().map(Vec::len),
        Some(5),
        "their numbers returned to the pool"
    );
    let audit = app
        .get_as(&token, "/api/v1/audit-log?per_page=100")
        .await
        .expect(StatusCode::OK)
        .to_string();
    assert!(audit.contains("extensions_imported") && audit.contains("extensions_bulk_deleted"));
    assert!(!audit.contains("Efgh5678"), "no password in the audit log");
}

#[tokio::test]
async fn the_export_registers_back_unchanged() {
    let app = spawn_app().await;
    let (site, token) = setup(&app, 3).await;
    let file = "2001,09044440001,000000000000,sipA,passA,0,0,yamada,Abcd1234,0\r\n\
                2002,,000000000000,2002,2002,0,0,suzuki,Efgh5678,0\r\n\
                2003,09044440003\r\n";
    upload(&app, &token, site, "action=register", file.as_bytes().to_vec())
        .await
        .expect(StatusCode::OK);
    let (headers, shift_jis) = export(&app, &token, site, "").await;
    assert_eq!(headers["content-type"], "text/csv; charset=Shift_JIS");
    assert!(
        headers["content-disposition"]
            .to_str()
            .expect("ascii")
            .contains("extensions-0031.csv")
    );
    let text = String::from_utf8(shift_jis.clone()).expect("ASCII content");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "2001,09044440001,000000000000,sipA,passA,0,0,yamada,Abcd1234,0"
    );
    assert_eq!(lines[1], "2002,,000000000000,2002,2002,0,0,suzuki,Efgh5678,0");
    let short: Vec<&str> = lines[2].split(',').collect();
    assert_eq!(
        &short[..8],
        &[
            "2003",
            "09044440003",
            "000000000000",
            "2003",
            "2003",
            "0",
            "0",
            "2003"
        ]
    );
    assert_eq!(
        short[8].len(),
        8,
        "the short form's made-up web password is given back"
    );
    let (_, utf8) = export(&app, &token, site, "?encoding=utf-8").await;
    assert_eq!(&utf8[..3], b"\xEF\xBB\xBF");
    assert_eq!(&utf8[3..], shift_jis.as_slice());

    // Delete everything with a file made from the export, register the export: the same.
    let delete: String = lines
        .iter()
        .map(|line| line.split(',').take(3).collect::<Vec<_>>().join(",") + "\r\n")
        .collect();
    upload(&app, &token, site, "action=delete", delete.into_bytes())
        .await
        .expect(StatusCode::OK);
    assert!(numbers(&app, &token, site).await.is_empty());
    let again = upload(&app, &token, site, "action=register", shift_jis.clone())
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        (again["encoding"].clone(), again["applied"].clone()),
        (json!("ascii"), json!(3))
    );
    let (_, round_trip) = export(&app, &token, site, "").await;
    assert_eq!(round_trip, shift_jis, "export → register → export is unchanged");
}

#[tokio::test]
async fn a_large_file_runs_as_a_job_with_progress_and_all_its_faults() {
    let app = spawn_app().await;
    let (site, token) = setup(&app, 0).await;
    let rows_of = |count: usize| -> String {
        (0..count)
            .map(|n| format!("{},,0000000000,,,0,0,user{n},Pass{n:04},0\r\n", 20000 + n))
            .collect()
    };
    // 1,500 rows, two bad on their own: refused at once, both named.
    let file = rows_of(1500)
        .replacen("20100,,", "２0100,,", 1)
        .replacen("21400,", "20000,", 1);
    let refused = upload(&app, &token, site, "action=register", sjis(&file)).await;
    assert_eq!(
        rows(&refused),
        vec![
            row(101, Some("A"), "not_half_width"),
            row(1401, Some("A"), "duplicate")
        ]
    );
    // Good on its own but one number is the site's: the job finds it and applies nothing.
    let existing = app
        .post_as(
            &token,
            &format!("/api/v1/pbx-sites/{site}/extensions"),
            json!({"number": "20500", "sip_user": "kizon", "web_user": "kizon", "web_password": "Abcd1234"}),
        )
        .await
        .expect(StatusCode::CREATED);
    let accepted = upload(&app, &token, site, "action=register", sjis(&rows_of(1500))).await;
    assert_eq!(accepted.status, StatusCode::ACCEPTED, "{}", accepted.body);
    assert_eq!(accepted.body["kind"], "extensions_csv");
    let failed = app
        .finished_job(&token, accepted.body["id"].as_i64().expect("id"))
        .await;
    assert_eq!(failed["state"], "failed", "{failed}");
    let problem = Answer {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        body: failed["problem"].clone(),
    };
    assert_eq!(rows(&problem), vec![row(501, Some("A"), "duplicate")]);
    assert_eq!(failed["problem"]["encoding"], "ascii");
    assert_eq!(numbers(&app, &token, site).await.len(), 1, "nothing applied");
    app.delete_as(&token, &format!("/api/v1/extensions/{}", existing["id"]))
        .await
        .expect(StatusCode::NO_CONTENT);

    let accepted = upload(&app, &token, site, "action=register", sjis(&rows_of(1500))).await;
    assert_eq!(accepted.status, StatusCode::ACCEPTED);
    let job_id = accepted.body["id"].as_i64().expect("id");
    // The file waits sealed: its passwords are not readable in the job table.
    let payload = madoguchi_api::db::run(&app.pool, move |conn| {
        use diesel::prelude::*;
        use madoguchi_api::schema::jobs;
        Ok(jobs::table
            .find(job_id)
            .select(jobs::payload)
            .first::<String>(conn)?)
    })
    .await
    .expect("payload");
    assert!(
        !payload.contains("Pass0001") && !payload.contains("user1,"),
        "{payload:.200}"
    );
    let done = app.finished_job(&token, job_id).await;
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(done["progress"], json!({"done": 3000, "total": 3000}));
    assert_eq!(done["result"]["applied"], 1500);
    let page = app
        .get_as(&token, &format!("/api/v1/pbx-sites/{site}/extensions?per_page=1"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(page["total"], 1500);
}

#[tokio::test]
async fn transfer_and_swap_move_numbers_in_one_step() {
    let app = spawn_app().await;
    let (site, token) = setup(&app, 4).await;
    upload(
        &app,
        &token,
        site,
        "action=register",
        b"2001,09044440001\n2002,09044440002\n2003,09044440003\n2004,".to_vec(),
    )
    .await
    .expect(StatusCode::OK);
    let ids: Vec<i64> = {
        let page = app
            .get_as(&token, &format!("/api/v1/pbx-sites/{site}/extensions"))
            .await
            .expect(StatusCode::OK);
        page["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|item| item["id"].as_i64().expect("id"))
            .collect()
    };
    let forwarding = |id: i64| format!("/api/v1/extensions/{id}/forwarding");
    for id in &ids[..2] {
        app.request_as(
            &token,
            reqwest::Method::PUT,
            &forwarding(*id),
            Some(&json!({"busy": "2999"})),
        )
        .await
        .expect(StatusCode::OK);
    }

    // 譲渡: 2004 takes 2001's number; 2001 keeps its profile without a number.
    let transfer = |id: i64| format!("/api/v1/extensions/{id}/transfer");
    let moved = app
        .post_as(
            &token,
            &transfer(ids[3]),
            json!({"mobile_number": "090-4444-0001"}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(moved["extension"]["mobile_number"], "09044440001");
    assert_eq!(
        (&moved["released"]["number"], &moved["released"]["mobile_number"]),
        (&json!("2001"), &Value::Null)
    );
    let kept = app
        .get_as(&token, &forwarding(ids[0]))
        .await
        .expect(StatusCode::OK);
    assert_eq!(kept["busy"], "2999", "forwarding kept by default");
    // Back to 2001, deleting 2004 which held it, clearing forwarding.
    let back = app
        .post_as(
            &token,
            &transfer(ids[0]),
            json!({"mobile_number": "09044440001", "forwarding": "clear", "delete_previous": true}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(back["deleted_number"], "2004");
    assert_eq!(back["released"], Value::Null);
    let cleared = app
        .get_as(&token, &forwarding(ids[0]))
        .await
        .expect(StatusCode::OK);
    assert_eq!(cleared["busy"], Value::Null);
    for (number, code) in [("09044440001", "not_allowed"), ("09099990000", "not_in_pool")] {
        let refused = app
            .post_as(&token, &transfer(ids[0]), json!({"mobile_number": number}))
            .await;
        assert_eq!(
            refused.field_code("mobile_number"),
            Some(code),
            "{}",
            refused.body
        );
    }

    // 交換: 2002 and 2003 exchange numbers; concurrent swaps never leave a number twice
    // or lose one.
    let swap = format!("/api/v1/pbx-sites/{site}/extensions/swap");
    let swapped = app
        .post_as(&token, &swap, json!({"first": ids[1], "second": ids[2]}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        (
            &swapped["first"]["mobile_number"],
            &swapped["second"]["mobile_number"]
        ),
        (&json!("09044440003"), &json!("09044440002"))
    );
    let requests = (0..9).map(|_| {
        app.post_as(
            &token,
            &swap,
            json!({"first": ids[1], "second": ids[2], "forwarding": "keep"}),
        )
    });
    let answers = futures_util::future::join_all(requests).await;
    let succeeded = answers
        .iter()
        .filter(|answer| answer.status == StatusCode::OK)
        .count();
    for answer in &answers {
        assert!(
            [
                StatusCode::OK,
                StatusCode::CONFLICT,
                StatusCode::SERVICE_UNAVAILABLE
            ]
            .contains(&answer.status),
            "{}",
            answer.body
        );
    }
    let now = numbers(&app, &token, site).await;
    let expected = if succeeded % 2 == 0 {
        [json!("09044440003"), json!("09044440002")]
    } else {
        [json!("09044440002"), json!("09044440003")]
    };
    assert_eq!(
        (&now[1].1, &now[2].1),
        (&expected[0], &expected[1]),
        "{succeeded} swaps succeeded"
    );
    let same = app
        .post_as(&token, &swap, json!({"first": ids[1], "second": ids[1]}))
        .await;
    assert_eq!(same.field_code("second"), Some("duplicate"));

    // Another organization's extension is missing, in a swap as anywhere.
    let other = app
        .organization_with_contract("N740000002", "他社株式会社", "hosyu@tasha.co.jp")
        .await;
    app.account(Some(other), "tasha-csv", Role::UserAdmin).await;
    let theirs = app.access_token("tasha-csv").await;
    let foreign = app
        .post_as(&theirs, &swap, json!({"first": ids[1], "second": ids[2]}))
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    let foreign = app
        .post_as(
            &theirs,
            &transfer(ids[1]),
            json!({"mobile_number": "09044440004"}),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_deleted_mobile_line_leaves_its_extension_without_a_number() {
    let app = spawn_app().await;
    let (site, token) = setup(&app, 1).await;
    upload(
        &app,
        &token,
        site,
        "action=register",
        b"2001,09044440001".to_vec(),
    )
    .await
    .expect(StatusCode::OK);
    let lines = app
        .get_as(&token, "/api/v1/mobile-lines?number=09044440001")
        .await
        .expect(StatusCode::OK);
    app.advance(chrono::TimeDelta::days(31));
    let token = app.access_token("csvadmin").await;
    app.delete_as(
        &token,
        &format!("/api/v1/mobile-lines/{}", lines["items"][0]["id"]),
    )
    .await
    .expect(StatusCode::NO_CONTENT);
    assert_eq!(
        numbers(&app, &token, site).await,
        vec![("2001".into(), Value::Null)]
    );
    let (_, exported) = export(&app, &token, site, "").await;
    assert!(String::from_utf8(exported).expect("ascii").starts_with("2001,,"));
}
