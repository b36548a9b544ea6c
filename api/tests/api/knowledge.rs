//! The knowledge base: any-substring search that works for Japanese, through the scope of
//! the catalog (an article of a series is seen by whoever sees the series; a public one by
//! every customer), kept in step when articles change; attachments follow their article.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::helpers::{Answer, TestApp, spawn_app};
use crate::products::{Catalog, catalog};

async fn write(app: &TestApp, staff: &str, body: Value) -> i64 {
    app.post_as(staff, "/api/v1/knowledge", body)
        .await
        .expect(StatusCode::CREATED)["id"]
        .as_i64()
        .expect("id")
}

async fn search(app: &TestApp, token: &str, q: &str) -> Vec<String> {
    let query: String = url_escape(q);
    let page = app
        .get_as(token, &format!("/api/v1/knowledge?q={query}"))
        .await
        .expect(StatusCode::OK);
    let mut titles: Vec<String> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["title"].as_str().expect("title").to_owned())
        .collect();
    assert_eq!(page["total"], titles.len(), "one page holds them all");
    titles.sort();
    titles
}

fn url_escape(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// 甲 sees the EX series, 乙 the SRX series.
async fn articles(app: &TestApp, staff: &str, ex: i64, srx: i64) -> [i64; 4] {
    let ex_article = write(
        app,
        staff,
        json!({
            "category": "trouble_case",
            "series_id": ex,
            "title": "EX4300 ファームウェア更新後に再起動を繰り返す",
            "body": "## 現象\nJunos 23.4R1 へ**ファームウェア**を更新すると、装置が再起動を繰り返します。\n\n## 対処\n23.4R2 以降へ更新してください。",
        }),
    )
    .await;
    let srx_article = write(
        app,
        staff,
        json!({
            "category": "qa",
            "series_id": srx,
            "title": "SRX の再起動手順",
            "body": "`request system reboot` で再起動します。",
        }),
    )
    .await;
    let public = write(
        app,
        staff,
        json!({
            "category": "security_advisory",
            "public": true,
            "title": "OpenSSH の脆弱性について",
            "body": "影響を受ける製品では、修正版の適用後に再起動が必要です。",
        }),
    )
    .await;
    let draft = write(
        app,
        staff,
        json!({"category": "patch", "title": "下書き: 再起動を伴うパッチ", "body": "公開前の記事です。"}),
    )
    .await;
    [ex_article, srx_article, public, draft]
}

#[tokio::test]
async fn japanese_substrings_are_found_within_the_callers_scope() {
    let Catalog { app, staff, ex, srx } = catalog(spawn_app().await).await;
    let [ex_article, srx_article, ..] = articles(&app, &staff, ex, srx).await;
    let kou = app.access_token("kou-inquiry").await;
    let otsu = app.access_token("otsu-admin").await;

    assert_eq!(
        search(&app, &kou, "再起動").await,
        [
            "EX4300 ファームウェア更新後に再起動を繰り返す",
            "OpenSSH の脆弱性について"
        ]
    );
    assert_eq!(
        search(&app, &otsu, "再起動").await,
        ["OpenSSH の脆弱性について", "SRX の再起動手順"]
    );
    assert_eq!(
        search(&app, &staff, "再起動").await.len(),
        4,
        "staff see drafts too"
    );
    // Inside a word of the body, in the middle of a sentence.
    assert_eq!(
        search(&app, &kou, "ファームウェア").await,
        ["EX4300 ファームウェア更新後に再起動を繰り返す"]
    );
    assert_eq!(
        search(&app, &kou, "以降へ更新").await,
        ["EX4300 ファームウェア更新後に再起動を繰り返す"]
    );
    // Every term must match; case does not matter; two-character terms work too.
    assert_eq!(
        search(&app, &kou, "ex4300　再起動").await,
        ["EX4300 ファームウェア更新後に再起動を繰り返す"]
    );
    assert_eq!(search(&app, &otsu, "手順").await, ["SRX の再起動手順"]);
    assert!(
        search(&app, &kou, "手順").await.is_empty(),
        "乙's article stays 乙's"
    );
    assert!(
        search(&app, &kou, "100%").await.is_empty(),
        "LIKE wildcards are literal"
    );

    // The snippet is the text around the match, Markdown markers gone.
    let page = app
        .get_as(&kou, &format!("/api/v1/knowledge?q={}", url_escape("装置が")))
        .await
        .expect(StatusCode::OK);
    let snippet = page["items"][0]["snippet"].as_str().expect("snippet");
    assert!(
        snippet.contains("ファームウェアを更新すると、装置が再起動"),
        "{snippet}"
    );

    // Reading: another scope's article is as missing as a missing one.
    app.get_as(&kou, &format!("/api/v1/knowledge/{ex_article}"))
        .await
        .expect(StatusCode::OK);
    let theirs = app
        .get_as(&kou, &format!("/api/v1/knowledge/{srx_article}"))
        .await;
    assert_eq!(
        (theirs.status, theirs.code()),
        (StatusCode::NOT_FOUND, "not_found")
    );

    let too_many = app.get_as(&kou, "/api/v1/knowledge?q=a+b+c+d+e+f").await;
    assert_eq!(too_many.field_code("q"), Some("too_many"));
}

#[tokio::test]
async fn the_index_follows_edits_and_deletions() {
    let Catalog { app, staff, ex, srx } = catalog(spawn_app().await).await;
    let [ex_article, ..] = articles(&app, &staff, ex, srx).await;
    let kou = app.access_token("kou-inquiry").await;
    app.request_as(
        &staff,
        reqwest::Method::PUT,
        &format!("/api/v1/knowledge/{ex_article}"),
        Some(&json!({
            "category": "bug",
            "series_id": ex,
            "title": "EX4300 の PoE 給電が停止する",
            "body": "特定の条件で PoE 給電が停止します。",
        })),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(
        search(&app, &kou, "給電が停止").await,
        ["EX4300 の PoE 給電が停止する"]
    );
    assert_eq!(search(&app, &kou, "ファームウェア").await, Vec::<String>::new());
    app.delete_as(&staff, &format!("/api/v1/knowledge/{ex_article}"))
        .await
        .expect(StatusCode::NO_CONTENT);
    assert!(search(&app, &kou, "給電が停止").await.is_empty());
    assert!(search(&app, &staff, "給電").await.is_empty());
}

async fn attach(app: &TestApp, token: &str, article: i64, name: &str, bytes: Vec<u8>) -> Answer {
    app.send(
        app.client
            .post(app.url(&format!("/api/v1/knowledge/{article}/attachments")))
            .bearer_auth(token)
            .multipart(Form::new().part("file", Part::bytes(bytes).file_name(name.to_owned()))),
    )
    .await
}

#[tokio::test]
async fn attachments_follow_their_article_and_bad_articles_are_refused() {
    let Catalog { app, staff, ex, srx } = catalog(spawn_app().await).await;
    let [ex_article, ..] = articles(&app, &staff, ex, srx).await;
    let log = "show log messages の抜粋\n".repeat(100).into_bytes();
    let attachment = attach(&app, &staff, ex_article, "ログ抜粋.txt", log.clone())
        .await
        .expect(StatusCode::CREATED);
    let kou = app.access_token("kou-inquiry").await;
    let article = app
        .get_as(&kou, &format!("/api/v1/knowledge/{ex_article}"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(article["attachments"][0]["file_name"], "ログ抜粋.txt");
    let url = app.url(&format!(
        "/api/v1/knowledge/attachments/{}/file",
        attachment["id"]
    ));
    let response = app.client.get(&url).bearer_auth(&kou).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/octet-stream");
    assert_eq!(response.bytes().await.expect("body").as_ref(), log.as_slice());
    let otsu = app.access_token("otsu-admin").await;
    let theirs = app
        .client
        .get(&url)
        .bearer_auth(&otsu)
        .send()
        .await
        .expect("sent");
    assert_eq!(theirs.status(), StatusCode::NOT_FOUND);
    let refused = attach(&app, &kou, ex_article, "x.txt", b"x".to_vec()).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // Deleting the article deletes its files.
    app.delete_as(&staff, &format!("/api/v1/knowledge/{ex_article}"))
        .await
        .expect(StatusCode::NO_CONTENT);
    assert!(app.storage.keys("knowledge").await.expect("listed").is_empty());

    let bad = app
        .post_as(
            &staff,
            "/api/v1/knowledge",
            json!({"category": "qa", "series_id": 987654321, "title": "", "body": "\u{202e}反転"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.field_code("title"), Some("required"));
    assert_eq!(bad.field_code("body"), Some("invalid_format"));
    let unknown_series = app
        .post_as(
            &staff,
            "/api/v1/knowledge",
            json!({"category": "qa", "series_id": 987654321, "title": "題名", "body": "本文"}),
        )
        .await;
    assert_eq!(unknown_series.field_code("series_id"), Some("not_allowed"));
    let customer = app
        .post_as(
            &kou,
            "/api/v1/knowledge",
            json!({"category": "qa", "title": "題名", "body": "本文"}),
        )
        .await;
    assert_eq!(customer.status, StatusCode::FORBIDDEN);
}
