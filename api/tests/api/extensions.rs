//! PBX sites and extensions (SPEC §8.1): staff set up a site; its administrators create
//! extensions under every field rule (defaults from the number, uniqueness per site, the
//! web password unlike the web user), assign Office Link numbers of the pool, change and
//! delete them. The passwords are sealed at rest and never answered or audited.

use madoguchi_api::accounts::Role;
use madoguchi_api::sealing::SealingKey;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PBX_SECRET_KEY, TestApp, spawn_app};

/// An organization with a Business Mobile contract, its administrator `naisen` and a staff
/// account `tantou`: the organization's id and both tokens.
async fn setup(app: &TestApp) -> (i64, i64, String, String) {
    let organization = app
        .organization_with_contract("N730000001", "内線株式会社", "hosyu@naisen.co.jp")
        .await;
    let contract = app.mobile_contract(organization, "M730000001").await;
    app.account(Some(organization), "naisen", Role::UserAdmin).await;
    app.account(None, "tantou", Role::Staff).await;
    (
        organization.0,
        contract,
        app.access_token("naisen").await,
        app.access_token("tantou").await,
    )
}

fn site(organization: i64, domain: &str) -> Value {
    json!({
        "organization_id": organization,
        "name": "本社",
        "domain_name": domain,
        "site_number": "0012",
        "gateway_ids": ["81", "82"],
        "park_hold_code": "*8",
    })
}

#[tokio::test]
async fn staff_set_up_sites_and_extensions_follow_every_rule() {
    let app = spawn_app().await;
    let (organization, contract, customer, staff) = setup(&app).await;

    let refused = app
        .post_as(
            &customer,
            "/api/v1/pbx-sites",
            site(organization, "pbx.naisen.co.jp"),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::FORBIDDEN,
        "customers do not set up sites"
    );
    let bad = app
        .post_as(
            &staff,
            "/api/v1/pbx-sites",
            json!({"organization_id": organization, "name": " ", "domain_name": "localhost",
                   "site_number": "12a", "gateway_ids": ["8x"], "park_hold_code": "*8#12"}),
        )
        .await;
    for field in [
        "name",
        "domain_name",
        "site_number",
        "gateway_ids[0]",
        "park_hold_code",
    ] {
        assert!(bad.field_code(field).is_some(), "{field}: {}", bad.body);
    }
    let created = app
        .post_as(
            &staff,
            "/api/v1/pbx-sites",
            site(organization, "PBX.naisen.co.jp"),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(created["domain_name"], "pbx.naisen.co.jp");
    assert_eq!(created["gateway_ids"], json!(["81", "82"]));
    let taken = app
        .post_as(
            &staff,
            "/api/v1/pbx-sites",
            site(organization, "pbx.naisen.co.jp"),
        )
        .await;
    assert_eq!(taken.field_code("domain_name"), Some("taken"));
    let site_id = created["id"].as_i64().expect("id");
    let sites = app
        .get_as(&customer, "/api/v1/pbx-sites")
        .await
        .expect(StatusCode::OK);
    assert_eq!(sites.as_array().map(Vec::len), Some(1));

    let extensions = format!("/api/v1/pbx-sites/{site_id}/extensions");
    // Every rule of the profile, each named.
    let bad = app
        .post_as(
            &customer,
            &extensions,
            json!({"number": "0120", "sip_user": "tanaka_1", "sip_password": "p".repeat(17),
                   "web_user": "tanaka", "web_password": "abc"}),
        )
        .await;
    for (field, code) in [
        ("number", "invalid_format"),
        ("sip_user", "invalid_format"),
        ("sip_password", "too_long"),
        ("web_password", "too_short"),
    ] {
        assert_eq!(bad.field_code(field), Some(code), "{field}: {}", bad.body);
    }
    let same = app
        .post_as(
            &customer,
            &extensions,
            json!({"number": "2001", "web_user": "tanaka01", "web_password": "tanaka01"}),
        )
        .await;
    assert_eq!(same.field_code("web_password"), Some("equals_user_name"));

    // SIP user name and password default to the number; no password is ever answered.
    let first = app
        .post_as(
            &customer,
            &extensions,
            json!({"number": "2001", "web_user": "tanaka", "web_password": "Abcd1234"}),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(first["sip_user"], "2001");
    assert!(
        first.get("sip_password").is_none() && first.get("web_password").is_none(),
        "{first}"
    );
    let first_id = first["id"].as_i64().expect("id");
    let sealed = madoguchi_api::db::run(&app.pool, move |conn| {
        use diesel::prelude::*;
        use madoguchi_api::schema::extensions;
        Ok(extensions::table
            .find(first_id)
            .select((extensions::sip_password_sealed, extensions::web_password_sealed))
            .first::<(String, String)>(conn)?)
    })
    .await
    .expect("row");
    assert!(
        !sealed.0.contains("2001") && !sealed.1.contains("Abcd1234"),
        "sealed at rest"
    );
    let key = SealingKey::from_secret(PBX_SECRET_KEY).expect("key");
    assert_eq!(key.open(&sealed.0).expect("opens"), "2001");
    assert_eq!(key.open(&sealed.1).expect("opens"), "Abcd1234");

    // Numbers and SIP user names are the site's once.
    let twice = app
        .post_as(
            &customer,
            &extensions,
            json!({"number": "2001", "web_user": "suzuki", "web_password": "Abcd1234"}),
        )
        .await;
    assert_eq!(twice.field_code("number"), Some("taken"));
    let sip_twice = app
        .post_as(
            &customer,
            &extensions,
            json!({"number": "2002", "sip_user": "2001", "web_user": "suzuki", "web_password": "Abcd1234"}),
        )
        .await;
    assert_eq!(sip_twice.field_code("sip_user"), Some("taken"));

    // The pool: current Office Link lines nobody has.
    app.post_as(
        &customer,
        "/api/v1/mobile-lines",
        json!({"contract_id": contract, "lines": [
            {"user_name": "営業部", "mobile_number": "09031110001", "office_link": true},
            {"user_name": "総務部", "mobile_number": "09031110002"},
        ]}),
    )
    .await
    .expect(StatusCode::CREATED);
    let pool_path = format!("/api/v1/pbx-sites/{site_id}/mobile-pool");
    let pool = app.get_as(&customer, &pool_path).await.expect(StatusCode::OK);
    assert_eq!(pool[0]["mobile_number"], "09031110001", "{pool}");
    assert_eq!(
        pool.as_array().map(Vec::len),
        Some(1),
        "not the line without Office Link"
    );
    let second = app
        .post_as(
            &customer,
            &extensions,
            json!({"number": "2002", "web_user": "suzuki", "web_password": "Efgh5678", "mobile_number": "09031110001"}),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(second["mobile_number"], "09031110001");
    assert_eq!(
        app.get_as(&customer, &pool_path).await.expect(StatusCode::OK),
        json!([])
    );
    let first_mobile = format!("/api/v1/extensions/{first_id}/mobile");
    for number in ["09031110001", "09031110002"] {
        let refused = app
            .request_as(
                &customer,
                reqwest::Method::PUT,
                &first_mobile,
                Some(&json!({"mobile_number": number})),
            )
            .await;
        assert_eq!(
            refused.field_code("mobile_number"),
            Some("not_in_pool"),
            "{number}"
        );
    }
    let second_id = second["id"].as_i64().expect("id");
    app.delete_as(&customer, &format!("/api/v1/extensions/{second_id}/mobile"))
        .await
        .expect(StatusCode::OK);
    let moved = app
        .request_as(
            &customer,
            reqwest::Method::PUT,
            &first_mobile,
            Some(&json!({"mobile_number": "09031110001"})),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(moved["mobile_number"], "09031110001");

    // Changes: a web password unlike the web user it will have; no number change.
    let first_path = format!("/api/v1/extensions/{first_id}");
    let clash = app
        .patch_as(&customer, &first_path, json!({"web_user": "Abcd1234"}))
        .await;
    assert_eq!(
        clash.field_code("web_password"),
        Some("equals_user_name"),
        "{}",
        clash.body
    );
    let sip_clash = app
        .patch_as(&customer, &first_path, json!({"sip_user": "2002"}))
        .await;
    assert_eq!(sip_clash.field_code("sip_user"), Some("taken"));
    let renumber = app
        .patch_as(&customer, &first_path, json!({"number": "2999"}))
        .await;
    assert!(renumber.status.is_client_error(), "{}", renumber.body);
    let changed = app
        .patch_as(
            &customer,
            &first_path,
            json!({"sip_user": "tanakaSip", "web_password": "Zyxw9876"}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(changed["sip_user"], "tanakaSip");
    let list = app
        .get_as(&customer, &format!("{extensions}?q=tanaka"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(list["total"], 1);

    // Forwarding: each destination named when bad; a no-answer one gets 20 s by default.
    let forwarding = format!("{first_path}/forwarding");
    assert_eq!(
        app.get_as(&customer, &forwarding).await.expect(StatusCode::OK),
        json!({"always": null, "busy": null, "no_answer": null, "no_answer_seconds": null, "unreachable": null})
    );
    let bad = app
        .request_as(
            &customer,
            reqwest::Method::PUT,
            &forwarding,
            Some(&json!({"busy": "03-1234", "no_answer": "２００２", "no_answer_seconds": 90})),
        )
        .await;
    for (field, code) in [
        ("busy", "invalid_format"),
        ("no_answer", "not_half_width"),
        ("no_answer_seconds", "invalid_format"),
    ] {
        assert_eq!(bad.field_code(field), Some(code), "{field}: {}", bad.body);
    }
    let set = app
        .request_as(
            &customer,
            reqwest::Method::PUT,
            &forwarding,
            Some(&json!({"busy": "2002", "no_answer": "09031110002", "unreachable": "2002"})),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        set,
        json!({"always": null, "busy": "2002", "no_answer": "09031110002", "no_answer_seconds": 20, "unreachable": "2002"})
    );
    assert_eq!(
        app.get_as(&customer, &forwarding).await.expect(StatusCode::OK),
        set
    );

    // Deleted: its number returns to the pool. The audit log names fields, never values.
    app.delete_as(&customer, &first_path)
        .await
        .expect(StatusCode::NO_CONTENT);
    assert_eq!(
        app.get_as(&customer, &first_path).await.status,
        StatusCode::NOT_FOUND
    );
    let pool = app.get_as(&customer, &pool_path).await.expect(StatusCode::OK);
    assert_eq!(pool[0]["mobile_number"], "09031110001");
    let audit = app
        .get_as(&customer, "/api/v1/audit-log?per_page=100")
        .await
        .expect(StatusCode::OK);
    let text = audit.to_string();
    assert!(
        text.contains("extension_changed") && text.contains("web_password"),
        "{text}"
    );
    for secret in ["Abcd1234", "Zyxw9876", "Efgh5678"] {
        assert!(!text.contains(secret), "a password in the audit log: {secret}");
    }
}
