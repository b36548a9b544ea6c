//! Call-detail records (SPEC §8.4, seed 003 §6.3–6.5): idempotent ingestion by staff with
//! every bad row reported, the secret question (set, changed with the current answer,
//! answered for a short grant, five wrong answers locking), browse and filter, the days
//! with their counts, the 40,000-record split of a day's files in the seed's column order
//! (Shift_JIS by default), and the purge of days past the retention.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use madoguchi_api::accounts::Role;
use madoguchi_api::cdrs::ingest::{NewRecord, store};
use madoguchi_api::db;
use madoguchi_api::jobs::{self, JobKind, NewJob};
use madoguchi_api::schema::{audit_events, call_records};
use madoguchi_types::ids::SiteId;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Answer, TestApp, spawn_app};

struct Site {
    id: i64,
    admin: String,
    staff: String,
}

async fn site(app: &TestApp, number: &str, domain: &str, admin: &str) -> Site {
    let organization = app
        .organization_with_contract(number, "通信履歴株式会社", &format!("hosyu@{domain}"))
        .await;
    app.account(Some(organization), admin, Role::UserAdmin).await;
    let staff_login = format!("{admin}-staff");
    app.account(None, &staff_login, Role::Staff).await;
    let staff = app.access_token(&staff_login).await;
    let created = app
        .post_as(
            &staff,
            "/api/v1/pbx-sites",
            json!({"organization_id": organization.0, "name": "本社", "domain_name": format!("pbx.{domain}"),
                   "site_number": "0012", "park_hold_code": "*8"}),
        )
        .await
        .expect(StatusCode::CREATED);
    Site {
        id: created["id"].as_i64().expect("id"),
        admin: app.access_token(admin).await,
        staff,
    }
}

/// Today in Japan by the application's clock, and a time on it.
fn today(app: &TestApp) -> NaiveDate {
    (app.clock.now_naive() + TimeDelta::hours(9)).date()
}

fn at(day: NaiveDate, hour: u32, minute: u32) -> NaiveDateTime {
    day.and_hms_opt(hour, minute, 0).expect("time")
}

/// A record; connected (answered) when the cause is a normal clearing.
fn record(id: &str, attempted: NaiveDateTime, caller: &str, callee: &str, cause: &str) -> Value {
    let connected = cause == "016";
    json!({
        "record_id": id,
        "attempted_at": attempted,
        "answered_at": connected.then(|| attempted + TimeDelta::seconds(5)),
        "ended_at": attempted + TimeDelta::seconds(65),
        "connected": connected,
        "requested_service": "",
        "received_number": callee,
        "caller": caller,
        "callee": callee,
        "disconnect_type": "1",
        "disconnecting_party": caller,
        "cause_code": cause,
    })
}

async fn ingest(app: &TestApp, token: &str, site: i64, records: Vec<Value>) -> Answer {
    app.post_as(
        token,
        &format!("/api/v1/pbx-sites/{site}/call-records"),
        json!({"records": records}),
    )
    .await
}

async fn with_grant(app: &TestApp, token: &str, grant: &str, path: &str) -> Answer {
    app.send(
        app.client
            .get(app.url(path))
            .bearer_auth(token)
            .header("X-CDR-Grant", grant),
    )
    .await
}

async fn grant(app: &TestApp, site: &Site, answer: &str) -> Answer {
    app.post_as(
        &site.admin,
        &format!("/api/v1/pbx-sites/{}/cdr-grants", site.id),
        json!({"answer": answer}),
    )
    .await
}

async fn set_secret(app: &TestApp, site: &Site, body: Value) -> Answer {
    app.request_as(
        &site.admin,
        reqwest::Method::PUT,
        &format!("/api/v1/pbx-sites/{}/cdr-secret", site.id),
        Some(&body),
    )
    .await
}

#[tokio::test]
async fn records_are_ingested_once_with_every_bad_row_named() {
    let app = spawn_app().await;
    let site = site(&app, "N750000001", "tsuwa.co.jp", "tsuwa").await;
    let day = today(&app);
    let batch = vec![
        record("r1", at(day, 9, 0), "2001", "0312345678", "016"),
        record("r2", at(day, 9, 5), "09011112222", "2002", "018"),
        record("r3", at(day, 10, 0), "2003", "2001", "099"),
    ];
    let refused = ingest(&app, &site.admin, site.id, batch.clone()).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "customers do not ingest");
    let first = ingest(&app, &site.staff, site.id, batch.clone())
        .await
        .expect(StatusCode::OK);
    assert_eq!(first, json!({"received": 3, "inserted": 3, "duplicates": 0}));
    let again = ingest(&app, &site.staff, site.id, batch)
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        again,
        json!({"received": 3, "inserted": 0, "duplicates": 3}),
        "re-sending adds nothing"
    );
    // Without ids, a record is known by its natural key.
    let mut anonymous = record("", at(day, 11, 0), "2001", "2002", "016");
    anonymous.as_object_mut().expect("object").remove("record_id");
    for expected in [1, 0] {
        let report = ingest(&app, &site.staff, site.id, vec![anonymous.clone()])
            .await
            .expect(StatusCode::OK);
        assert_eq!(report["inserted"], expected);
    }

    // Every bad row, each value named by line and column; nothing of the batch stored.
    let mut early = record("b2", at(day, 12, 0), "2001", "2002", "016");
    early["answered_at"] = json!(at(day, 11, 59));
    let bad = ingest(
        &app,
        &site.staff,
        site.id,
        vec![
            record("b1", at(day, 12, 0), "2001", "2002", "016"),
            early,
            record("b3", at(day, 12, 0), "yamada", "2002", "16"),
        ],
    )
    .await;
    assert_eq!(
        (bad.status, bad.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "batch_refused")
    );
    let rows: Vec<(i64, String, String)> = bad.body["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| {
            (
                row["line"].as_i64().expect("line"),
                row["column"].as_str().expect("column").to_owned(),
                row["code"].as_str().expect("code").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (2, "B".to_owned(), "time_out_of_order".to_owned()),
            (3, "G".to_owned(), "invalid_format".to_owned()),
            (3, "K".to_owned(), "invalid_format".to_owned()),
            (3, "L".to_owned(), "invalid_format".to_owned()),
        ]
    );
    let stored: i64 = db::run(&app.pool, |conn| {
        Ok(call_records::table.count().get_result(conn)?)
    })
    .await
    .expect("count");
    assert_eq!(stored, 4);

    // A CSV file in the download's form: Shift_JIS, the header line, 成立 / 不成立.
    let csv = format!(
        "発呼時刻,通話開始時刻,終話時刻,呼種別,要求サービス,受信番号,発信者番号,着信者番号,転送者番号,切断種別,切断者番号,切断理由\r\n\
         {d} 13:00:00,{d} 13:00:04,{d} 13:01:00,成立,,0312345678,0312345678,2001,,1,2001,016,c1\r\n\
         {d} 13:05:00,,{d} 13:05:30,不成立,,2002,2002,2003,,1,2002,018,c2\r\n",
        d = day.format("%Y/%m/%d")
    );
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&csv);
    let sent = app
        .send(
            app.client
                .post(app.url(&format!("/api/v1/pbx-sites/{}/call-records/csv", site.id)))
                .bearer_auth(&site.staff)
                .header("Content-Type", "text/csv")
                .body(bytes.into_owned()),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(sent["inserted"], 2);
    let wrong = app
        .send(
            app.client
                .post(app.url(&format!("/api/v1/pbx-sites/{}/call-records/csv", site.id)))
                .bearer_auth(&site.staff)
                .header("Content-Type", "text/csv")
                .body("2026/13/01 09:00:00,,,成立,,1,1,1,,1,1,016\r\nx,y\r\n"),
        )
        .await;
    let codes: Vec<&str> = wrong.body["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|row| row["code"].as_str())
        .collect();
    assert_eq!(codes, ["invalid_format", "column_count"], "{}", wrong.body);
}

/// The row faults of a refusal as (line, column, code).
fn faults(answer: &Answer) -> Vec<(i64, String, String)> {
    answer.body["rows"]
        .as_array()
        .unwrap_or_else(|| panic!("rows: {}", answer.body))
        .iter()
        .map(|row| {
            (
                row["line"].as_i64().unwrap_or_default(),
                row["column"].as_str().unwrap_or_default().to_owned(),
                row["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn fault(line: i64, column: &str, code: &str) -> (i64, String, String) {
    (line, column.to_owned(), code.to_owned())
}

async fn post_csv(app: &TestApp, site: &Site, content_type: Option<&str>, body: Vec<u8>) -> Answer {
    let mut request = app
        .client
        .post(app.url(&format!("/api/v1/pbx-sites/{}/call-records/csv", site.id)))
        .bearer_auth(&site.staff)
        .body(body);
    if let Some(content_type) = content_type {
        request = request.header("Content-Type", content_type);
    }
    app.send(request).await
}

#[tokio::test]
async fn ingestion_takes_only_what_the_days_files_can_carry_back() {
    let app = spawn_app().await;
    let site = site(&app, "N750000006", "kensa.co.jp", "kensa").await;
    let day = today(&app);
    let window = (
        (day - TimeDelta::days(91)).format("%Y/%m/%d").to_string(),
        (day + TimeDelta::days(1)).format("%Y/%m/%d").to_string(),
    );

    // Days outside the 92 kept (or past tomorrow), times out of order, an answer time on an
    // unconnected call, control and direction characters, characters Shift_JIS cannot
    // write, a `+` inside a number: each named, nothing stored.
    let mut unanswered = record("w5", at(day, 9, 0), "2001", "2002", "018");
    unanswered["answered_at"] = json!(at(day, 9, 0) + TimeDelta::seconds(3));
    let mut controlled = record("w6", at(day, 9, 0), "2001", "2002", "016");
    controlled["requested_service"] = json!("音声\u{0000}");
    controlled["disconnect_type"] = json!("\u{202E}1");
    let mut emoji = record("w7", at(day, 9, 0), "2001", "2002", "016");
    emoji["requested_service"] = json!("音声😀");
    let bad = ingest(
        &app,
        &site.staff,
        site.id,
        vec![
            record("w1", at(day - TimeDelta::days(92), 9, 0), "2001", "2002", "016"),
            record("w2", at(day - TimeDelta::days(91), 9, 0), "2001", "2002", "016"),
            record("w3", at(day + TimeDelta::days(2), 9, 0), "2001", "2002", "016"),
            record("w4", at(day, 9, 0), "20+01", "2002", "016"),
            unanswered,
            controlled,
            emoji,
        ],
    )
    .await;
    assert_eq!(bad.code(), "batch_refused", "{}", bad.body);
    assert_eq!(
        faults(&bad),
        [
            fault(1, "A", "out_of_range"),
            fault(3, "A", "out_of_range"),
            fault(4, "G", "invalid_format"),
            fault(4, "K", "invalid_format"),
            fault(5, "B", "not_allowed"),
            fault(6, "E", "invalid_format"),
            fault(6, "J", "invalid_format"),
            fault(7, "E", "invalid_format"),
        ]
    );
    let message = bad.body["rows"][0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(&window.0) && message.contains(&window.1),
        "the window is named: {message}"
    );

    // JSON faults are named too: a time of another form, a missing field, a wrong type.
    let mut zoned_badly = record("j1", at(day, 9, 0), "2001", "2002", "016");
    zoned_badly["ended_at"] = json!("2026-02-30T09:00:00");
    let mut missing = record("j2", at(day, 9, 0), "2001", "2002", "016");
    missing.as_object_mut().expect("object").remove("caller");
    let mut mistyped = record("j3", at(day, 9, 0), "2001", "2002", "016");
    mistyped["connected"] = json!("yes");
    let named = ingest(&app, &site.staff, site.id, vec![zoned_badly, missing, mistyped]).await;
    assert_eq!(
        faults(&named),
        [
            fault(1, "C", "invalid_format"),
            fault(2, "G", "required"),
            fault(3, "D", "wrong_type")
        ]
    );
    let no_list = app
        .post_as(
            &site.staff,
            &format!("/api/v1/pbx-sites/{}/call-records", site.id),
            json!({"rows": []}),
        )
        .await;
    assert_eq!(no_list.field_code("records"), Some("required"));

    // The same id twice in a batch: the same record once, another record refused.
    let twice = record("t1", at(day, 10, 0), "2001", "2002", "016");
    let mut changed = twice.clone();
    changed["callee"] = json!("2003");
    let repeated = ingest(&app, &site.staff, site.id, vec![twice.clone(), changed]).await;
    assert_eq!(faults(&repeated), [fault(2, "M", "duplicate")]);
    let once = ingest(&app, &site.staff, site.id, vec![twice.clone(), twice])
        .await
        .expect(StatusCode::OK);
    assert_eq!(once, json!({"received": 2, "inserted": 1, "duplicates": 1}));

    // A time with a zone is taken to Japan's; a fraction of a second does not make a
    // record new.
    let mut zoned = record("", at(day, 10, 30), "2001", "2002", "016");
    zoned.as_object_mut().expect("object").remove("record_id");
    zoned["attempted_at"] = json!(format!("{}T01:30:00.250Z", day));
    zoned["answered_at"] = json!(format!("{}T10:30:05+09:00", day));
    let mut plain = zoned.clone();
    plain["attempted_at"] = json!(format!("{}T10:30:00", day));
    let first = ingest(&app, &site.staff, site.id, vec![zoned])
        .await
        .expect(StatusCode::OK);
    assert_eq!(first["inserted"], 1);
    let again = ingest(&app, &site.staff, site.id, vec![plain])
        .await
        .expect(StatusCode::OK);
    assert_eq!(again["duplicates"], 1, "the same record: {again}");

    // A text that a spreadsheet would run as a formula is written with a leading `'`, and
    // the file sent back in is the same records.
    let mut formula = record("f1", at(day, 11, 0), "2001", "2002", "016");
    formula["requested_service"] = json!("=HYPERLINK(\"http://x\",\"y\")");
    formula["disconnect_type"] = json!("-1");
    ingest(&app, &site.staff, site.id, vec![formula])
        .await
        .expect(StatusCode::OK);
    set_secret(&app, &site, json!({"question": "合言葉は？", "answer": "かわ"}))
        .await
        .expect(StatusCode::OK);
    let token = grant(&app, &site, "かわ").await.expect(StatusCode::CREATED)["grant"]
        .as_str()
        .expect("grant")
        .to_owned();
    let file = app
        .client
        .get(app.url(&format!(
            "/api/v1/pbx-sites/{}/call-days/{day}/parts/1?encoding=utf-8",
            site.id
        )))
        .bearer_auth(&site.admin)
        .header("X-CDR-Grant", &token)
        .send()
        .await
        .expect("download");
    assert_eq!(file.status(), StatusCode::OK);
    let text = file.text().await.expect("text");
    let line = text
        .lines()
        .find(|line| line.contains("HYPERLINK"))
        .expect("the formula's record");
    assert!(
        line.contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",") && line.contains(",'-1,"),
        "{line}"
    );
    // The line sent back in (as another record, M = its id) reads as the text it was.
    let back = post_csv(
        &app,
        &site,
        Some("text/csv; charset=utf-8"),
        format!("{line},f2\r\n").into_bytes(),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(back["inserted"], 1, "{back}");
    let both = with_grant(
        &app,
        &site.admin,
        &token,
        &format!("/api/v1/pbx-sites/{}/call-records?per_page=500", site.id),
    )
    .await
    .expect(StatusCode::OK);
    let texts: Vec<(&str, &str)> = both["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|item| item["attempted_at"] == json!(at(day, 11, 0)))
        .map(|item| {
            (
                item["requested_service"].as_str().unwrap_or_default(),
                item["disconnect_type"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        texts,
        [("=HYPERLINK(\"http://x\",\"y\")", "-1"); 2],
        "the `'` is the file's, not the record's"
    );

    // A day before the retention answers 404 even before the purge has run.
    let old = day - TimeDelta::days(92);
    db::transaction(&app.pool, move |conn| {
        let mut stale = NewRecord {
            site_id: SiteId(0),
            call_day: old,
            record_key: "id:stale".into(),
            attempted_at: at(old, 9, 0),
            answered_at: None,
            ended_at: None,
            connected: false,
            requested_service: String::new(),
            received_number: String::new(),
            caller: "2001".into(),
            callee: "2002".into(),
            forwarding_party: String::new(),
            disconnect_type: String::new(),
            disconnecting_party: String::new(),
            cause_code: "018".into(),
        };
        stale.site_id = SiteId(site.id);
        store(conn, &[stale])?;
        Ok(())
    })
    .await
    .expect("stored");
    let gone = with_grant(
        &app,
        &site.admin,
        &token,
        &format!("/api/v1/pbx-sites/{}/call-days/{old}/parts/1", site.id),
    )
    .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let browsed = with_grant(
        &app,
        &site.admin,
        &token,
        &format!("/api/v1/pbx-sites/{}/call-records?from={old}&to={old}", site.id),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(browsed["total"], 0);

    // The CSV path reads text/csv only, and its limit is the batch's.
    let (shift_jis, _, _) = encoding_rs::SHIFT_JIS.encode("x");
    let untyped = post_csv(&app, &site, None, shift_jis.into_owned()).await;
    assert_eq!(untyped.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(
        untyped.body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("text/csv"),
        "{}",
        untyped.body
    );
    let many: String = (0..10_001)
        .map(|n| {
            format!(
                "{} 09:00:00,,,不成立,,,2001,2002,,,,018,m{n}\r\n",
                day.format("%Y/%m/%d")
            )
        })
        .collect();
    let refused = post_csv(&app, &site, Some("text/csv"), many.into_bytes()).await;
    assert_eq!(faults(&refused), [fault(0, "", "too_many_rows")]);
    assert!(
        refused.body["rows"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("10000"),
        "{}",
        refused.body
    );
}

#[tokio::test]
async fn the_secret_question_guards_the_records_and_locks_after_five_wrong_answers() {
    let app = spawn_app().await;
    let site = site(&app, "N750000002", "himitsu.co.jp", "himitsu").await;
    let records = format!("/api/v1/pbx-sites/{}/call-records", site.id);
    let none = app.get_as(&site.admin, &records).await;
    assert_eq!(
        (none.status, none.code()),
        (StatusCode::FORBIDDEN, "cdr_grant_required")
    );
    let unset = grant(&app, &site, "なんでも").await;
    assert_eq!(unset.field_code("answer"), Some("no_secret_question"));
    let question = app
        .get_as(&site.admin, &format!("/api/v1/pbx-sites/{}/cdr-secret", site.id))
        .await
        .expect(StatusCode::OK);
    assert_eq!(question["question"], Value::Null);

    let long = set_secret(&app, &site, json!({"question": "あ".repeat(31), "answer": ""})).await;
    assert_eq!(long.field_code("question"), Some("too_long"));
    assert_eq!(long.field_code("answer"), Some("required"));
    let hidden = set_secret(
        &app,
        &site,
        json!({"question": "合言葉\u{202E}は？", "answer": "a\u{0000}"}),
    )
    .await;
    assert_eq!(hidden.field_code("question"), Some("invalid_format"));
    assert_eq!(hidden.field_code("answer"), Some("invalid_format"));
    // Only the customer sets its question: not the provider's staff.
    let by_staff = app
        .request_as(
            &site.staff,
            reqwest::Method::PUT,
            &format!("/api/v1/pbx-sites/{}/cdr-secret", site.id),
            Some(&json!({"question": "職員の質問", "answer": "x"})),
        )
        .await;
    assert_eq!(by_staff.status, StatusCode::FORBIDDEN);
    set_secret(
        &app,
        &site,
        json!({"question": "最初に飼ったペットの名前は？", "answer": "ポチ"}),
    )
    .await
    .expect(StatusCode::OK);
    // A change needs the current answer.
    let missing = set_secret(&app, &site, json!({"question": "出身地は？", "answer": "大阪"})).await;
    assert_eq!(missing.field_code("current_answer"), Some("required"));
    let wrong = set_secret(
        &app,
        &site,
        json!({"current_answer": "タマ", "question": "出身地は？", "answer": "大阪"}),
    )
    .await;
    assert_eq!(wrong.field_code("current_answer"), Some("wrong_answer"));
    let changed = set_secret(
        &app,
        &site,
        json!({"current_answer": "ポチ", "question": "出身地は？", "answer": "大阪"}),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(changed["question"], "出身地は？");

    // An answer longer than any answer is refused as such, and not counted.
    let overlong = grant(&app, &site, &"あ".repeat(31)).await;
    assert_eq!(overlong.field_code("answer"), Some("too_long"));

    // The right answer started the count again: four wrong ones are refused, the fifth
    // locks, and while locked even the right answer waits.
    for _ in 0..4 {
        assert_eq!(
            grant(&app, &site, "東京").await.field_code("answer"),
            Some("wrong_answer")
        );
    }
    let locked = grant(&app, &site, "東京").await;
    assert_eq!(
        (locked.status, locked.code()),
        (StatusCode::TOO_MANY_REQUESTS, "too_many_requests")
    );
    let still = grant(&app, &site, "大阪").await;
    assert_eq!(still.status, StatusCode::TOO_MANY_REQUESTS);
    let refusals: i64 = db::run(&app.pool, |conn| {
        Ok(audit_events::table
            .filter(audit_events::action.eq("cdr_answer_refused"))
            .count()
            .get_result(conn)?)
    })
    .await
    .expect("audit");
    assert_eq!(
        refusals, 6,
        "every wrong answer is audited (the change's one too)"
    );

    app.advance(TimeDelta::minutes(16));
    let admin = app.access_token("himitsu").await;
    let site = Site { admin, ..site };
    let given = grant(&app, &site, " 大阪 ").await.expect(StatusCode::CREATED);
    let token = given["grant"].as_str().expect("grant").to_owned();
    let page = with_grant(&app, &site.admin, &token, &records)
        .await
        .expect(StatusCode::OK);
    assert_eq!(page["total"], 0);
    // A grant is for its site and account, and ends after 15 minutes.
    let forged = with_grant(&app, &site.admin, "not-a-grant", &records).await;
    assert_eq!(forged.code(), "cdr_grant_required");
    app.advance(TimeDelta::minutes(16));
    let admin = app.access_token("himitsu").await;
    let expired = with_grant(&app, &admin, &token, &records).await;
    assert_eq!(expired.code(), "cdr_grant_required");
}

#[tokio::test]
async fn records_are_browsed_filtered_and_counted_by_day() {
    let app = spawn_app().await;
    let site = site(&app, "N750000003", "etsuran.co.jp", "etsuran").await;
    let other = site_of_other_organization(&app).await;
    let day = today(&app);
    let yesterday = day - TimeDelta::days(1);
    ingest(
        &app,
        &site.staff,
        site.id,
        vec![
            record("a", at(yesterday, 9, 0), "2001", "0312345678", "016"),
            record("b", at(day, 9, 0), "09011112222", "2002", "018"),
            record("c", at(day, 10, 0), "2003", "2001", "099"),
        ],
    )
    .await
    .expect(StatusCode::OK);
    set_secret(&app, &site, json!({"question": "合言葉は？", "answer": "やま"}))
        .await
        .expect(StatusCode::OK);
    let token = grant(&app, &site, "やま").await.expect(StatusCode::CREATED)["grant"]
        .as_str()
        .expect("grant")
        .to_owned();
    let base = format!("/api/v1/pbx-sites/{}/call-records", site.id);
    let read = |query: &str| {
        let path = format!("{base}?{query}");
        let (app, admin, token) = (&app, &site.admin, &token);
        async move { with_grant(app, admin, token, &path).await }
    };

    let all = read("").await.expect(StatusCode::OK);
    assert_eq!(all["total"], 3);
    assert_eq!(all["items"][0]["caller"], "2003", "newest first");
    assert_eq!(
        all["items"][0]["cause"],
        Value::Null,
        "an unknown code is kept without a description"
    );
    assert_eq!(all["items"][0]["cause_code"], "099");
    assert_eq!(all["items"][1]["cause"], "相手ユーザー応答なし(着信タイムアウト)");
    assert_eq!(
        all["items"][1]["duration_seconds"],
        Value::Null,
        "never answered: no talk time"
    );
    assert_eq!(all["items"][2]["duration_seconds"], 60);
    let callers = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|item| item["caller"].as_str().expect("caller").to_owned())
            .collect()
    };
    assert_eq!(
        callers(&read("number=2001").await.expect(StatusCode::OK)),
        ["2003", "2001"]
    );
    assert_eq!(
        callers(&read("connected=true").await.expect(StatusCode::OK)),
        ["2001"]
    );
    assert_eq!(
        callers(&read("cause=018").await.expect(StatusCode::OK)),
        ["09011112222"]
    );
    assert_eq!(
        callers(&read(&format!("from={day}&to={day}")).await.expect(StatusCode::OK)),
        ["2003", "09011112222"]
    );
    let english = app
        .send(
            app.client
                .get(app.url(&format!("{base}?cause=018")))
                .bearer_auth(&site.admin)
                .header("X-CDR-Grant", &token)
                .header("Accept-Language", "en"),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        english["items"][0]["cause"],
        "No user responding (ringing timed out)"
    );
    let bad = read(&format!("from={day}&to={yesterday}&number=abc")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    let days = with_grant(
        &app,
        &site.admin,
        &token,
        &format!("/api/v1/pbx-sites/{}/call-days", site.id),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(
        days,
        json!([{"day": day, "records": 2, "parts": 1}, {"day": yesterday, "records": 1, "parts": 1}])
    );

    // Another organization's administrator, with a grant of their own site, reads nothing
    // of this one: the site answers as a missing one.
    let foreign = with_grant(&app, &other.0, &other.1, &base).await;
    let missing = with_grant(
        &app,
        &other.0,
        &other.1,
        "/api/v1/pbx-sites/987654321/call-records",
    )
    .await;
    assert_eq!((foreign.status, foreign.code()), (missing.status, missing.code()));
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    let own = with_grant(
        &app,
        &other.0,
        &other.1,
        &format!("/api/v1/pbx-sites/{}/call-records", other.2),
    )
    .await;
    assert_eq!(own.status, StatusCode::OK, "their grant works on their site");
}

/// An administrator of another organization with a grant for its own site: (token,
/// grant, site).
async fn site_of_other_organization(app: &TestApp) -> (String, String, i64) {
    let site = site(app, "N750000009", "tasha-cdr.co.jp", "tasha-cdr").await;
    set_secret(app, &site, json!({"question": "色は？", "answer": "あお"}))
        .await
        .expect(StatusCode::OK);
    let grant = grant(app, &site, "あお").await.expect(StatusCode::CREATED)["grant"]
        .as_str()
        .expect("grant")
        .to_owned();
    (site.admin, grant, site.id)
}

/// `count` records of one day straight into the database (the fast path to a full day).
async fn fill_day(app: &TestApp, site: i64, day: NaiveDate, count: usize) {
    db::transaction(&app.pool, move |conn| {
        let records: Vec<NewRecord> = (0..count)
            .map(|index| {
                let attempted =
                    at(day, 0, 0) + TimeDelta::milliseconds(i64::try_from(index).unwrap_or(0) * 2_000);
                NewRecord {
                    site_id: SiteId(site),
                    call_day: day,
                    record_key: format!("id:{day}-{index:06}"),
                    attempted_at: attempted,
                    answered_at: Some(attempted + TimeDelta::seconds(3)),
                    ended_at: Some(attempted + TimeDelta::seconds(33)),
                    connected: true,
                    requested_service: String::new(),
                    received_number: "0312345678".into(),
                    caller: format!("2{:03}", index % 1000),
                    callee: "0312345678".into(),
                    forwarding_party: String::new(),
                    disconnect_type: "1".into(),
                    disconnecting_party: "0312345678".into(),
                    cause_code: "016".into(),
                }
            })
            .collect();
        store(conn, &records)?;
        Ok(())
    })
    .await
    .expect("records stored");
}

#[tokio::test]
async fn a_day_is_split_into_files_of_40000_records_in_the_seeds_columns() {
    let app = spawn_app().await;
    let site = site(&app, "N750000004", "bunkatsu.co.jp", "bunkatsu").await;
    let (full, over) = (today(&app) - TimeDelta::days(2), today(&app) - TimeDelta::days(1));
    fill_day(&app, site.id, full, 40_000).await;
    fill_day(&app, site.id, over, 40_001).await;
    set_secret(&app, &site, json!({"question": "合言葉は？", "answer": "うみ"}))
        .await
        .expect(StatusCode::OK);
    let token = grant(&app, &site, "うみ").await.expect(StatusCode::CREATED)["grant"]
        .as_str()
        .expect("grant")
        .to_owned();
    let days = with_grant(
        &app,
        &site.admin,
        &token,
        &format!("/api/v1/pbx-sites/{}/call-days", site.id),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(
        days,
        json!([{"day": over, "records": 40001, "parts": 2}, {"day": full, "records": 40000, "parts": 1}])
    );
    let download = |day: NaiveDate, part: i64, query: &str| {
        let url = app.url(&format!(
            "/api/v1/pbx-sites/{}/call-days/{day}/parts/{part}{query}",
            site.id
        ));
        let request = app
            .client
            .get(url)
            .bearer_auth(&site.admin)
            .header("X-CDR-Grant", &token);
        async move { request.send().await.expect("download") }
    };
    let file = download(full, 1, "").await;
    assert_eq!(file.status(), StatusCode::OK);
    let disposition = file.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        disposition.contains(&format!("cdr_0012_{}_1.csv", full.format("%Y%m%d"))),
        "{disposition}"
    );
    let bytes = file.bytes().await.expect("body");
    let (text, _, unmappable) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!unmappable, "Shift_JIS");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 40_001, "the header and 40,000 records");
    assert_eq!(
        lines[0],
        "発呼時刻,通話開始時刻,終話時刻,呼種別,要求サービス,受信番号,発信者番号,着信者番号,転送者番号,切断種別,切断者番号,切断理由"
    );
    assert_eq!(
        lines[1],
        format!(
            "{d} 00:00:00,{d} 00:00:03,{d} 00:00:33,成立,,0312345678,2000,0312345678,,1,0312345678,016",
            d = full.format("%Y/%m/%d")
        )
    );
    assert_eq!(download(full, 2, "").await.status(), StatusCode::NOT_FOUND);
    let first = download(over, 1, "?encoding=utf-8")
        .await
        .bytes()
        .await
        .expect("body");
    assert!(first.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with a BOM");
    assert_eq!(String::from_utf8_lossy(&first).lines().count(), 40_001);
    let second = download(over, 2, "").await.bytes().await.expect("body");
    let (second, _, _) = encoding_rs::SHIFT_JIS.decode(&second);
    let second: Vec<&str> = second.lines().collect();
    assert_eq!(second.len(), 2, "the header and the 40,001st record");
    assert!(second[1].contains("2000,"), "{}", second[1]);
}

#[tokio::test]
async fn days_past_the_retention_are_purged() {
    let app = spawn_app().await;
    let site = site(&app, "N750000005", "hozon.co.jp", "hozon").await;
    let day = today(&app);
    ingest(
        &app,
        &site.staff,
        site.id,
        vec![
            record("old", at(day - TimeDelta::days(10), 9, 0), "2001", "2002", "016"),
            record("new", at(day, 9, 0), "2001", "2002", "016"),
        ],
    )
    .await
    .expect(StatusCode::OK);
    // 81 days on, the older is 91 days old: the first of the 92 days kept.
    app.advance(TimeDelta::days(81));
    purge_now(&app).await;
    assert_eq!(days_stored(&app).await, vec![day - TimeDelta::days(10), day]);
    // A day later it is the 93rd day back and goes; the newer stays.
    app.advance(TimeDelta::days(1));
    purge_now(&app).await;
    assert_eq!(days_stored(&app).await, vec![day]);
}

async fn purge_now(app: &TestApp) {
    let now = app.clock.now_naive();
    db::transaction(&app.pool, move |conn| {
        jobs::enqueue(conn, &NewJob::new(JobKind::PurgeCallRecords, &json!({})), now)?;
        Ok(())
    })
    .await
    .expect("queued");
    app.settle_jobs().await;
}

async fn days_stored(app: &TestApp) -> Vec<NaiveDate> {
    db::run(&app.pool, |conn| {
        Ok(call_records::table
            .select(call_records::call_day)
            .distinct()
            .order(call_records::call_day)
            .load(conn)?)
    })
    .await
    .expect("days")
}
