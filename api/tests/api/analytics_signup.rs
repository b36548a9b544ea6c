//! CX サポート sign-up (seed 000 §1-4 to 1-8): the form's rules, the mails in order, the
//! analytics ID as the login with a mailed one-time password, one sign-up per OPID.

use chrono::TimeDelta;
use diesel::prelude::*;
use madoguchi_api::accounts::Role;
use madoguchi_api::db;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, link_token, otp_code, spawn_app};

const EMAIL: &str = "cx@sample.co.jp";

fn signup(opid: &str, plan: &str) -> Value {
    json!({
        "contractor_name": "株式会社コム",
        "industry": "telecom",
        "contact_phone": "03-1234-5678",
        "opid": opid,
        "an_number": "0120-111-222",
        "dn_number": "03-5555-0001",
        "plan": plan,
        "billing_phone": "03-1234-0000",
        "billing_number": "0120-111-222",
        "department": "お客さま窓口部",
        "contact_person": "コム 太郎",
        "email": EMAIL,
        "email_confirmation": EMAIL,
        "password": PASSWORD,
        "password_confirmation": PASSWORD,
        "auth_method": "email_otp",
        "has_sales_code": false,
    })
}

/// What a confirmed sign-up stored about the subscriber: (sales code, billing phone,
/// billing number, industry).
async fn stored_contract(
    app: &TestApp,
    opid: &str,
) -> (Option<String>, Option<String>, Option<String>, Option<String>) {
    use madoguchi_api::schema::analytics_subscriptions as subscriptions;
    let opid = opid.to_owned();
    db::run(&app.pool, move |conn| {
        Ok(subscriptions::table
            .filter(subscriptions::opid.eq(opid))
            .select((
                subscriptions::sales_code,
                subscriptions::billing_phone,
                subscriptions::billing_number,
                subscriptions::industry,
            ))
            .first(conn)?)
    })
    .await
    .expect("the subscription")
}

#[tokio::test]
async fn a_standard_sign_up_is_confirmed_by_mail_and_signs_in_with_its_analytics_id_and_a_code() {
    let app = spawn_app().await;
    let answer = app
        .post("/api/v1/analytics/signups", signup("OPCX0001", "standard"))
        .await
        .expect(StatusCode::ACCEPTED);
    assert_eq!(answer["opid"], "OPCX0001");
    assert_eq!(answer["email"], EMAIL);

    let first = app.last_mail(EMAIL, "(1/3)").await;
    assert_eq!(first.subject, "[窓口] (1/3) CXサポートの仮登録が完了しました");
    assert!(first.body.contains("コム 太郎 様"), "{}", first.body);
    assert!(
        first.body.contains("スタンダードプランをお申し込みのお客さまは"),
        "the standard plan's charge is announced: {}",
        first.body
    );
    assert!(
        first
            .body
            .contains("http://portal.test/analytics/signup/confirm?token=")
    );
    let token = link_token(&first.body);

    let confirmed = app
        .post("/api/v1/analytics/signups/confirm", json!({"token": token}))
        .await
        .expect(StatusCode::OK);
    let analytics_id = confirmed["analytics_id"]
        .as_str()
        .expect("an analytics ID")
        .to_owned();
    assert_eq!(analytics_id.len(), 10);
    assert!(
        analytics_id.bytes().all(|b| b.is_ascii_alphanumeric()),
        "{analytics_id}"
    );
    assert_eq!(confirmed["plan"], "standard");

    let ready = app.last_mail(EMAIL, "(3/3)").await;
    assert!(
        ready.body.contains(&format!("CXサポートID: {analytics_id}")),
        "{}",
        ready.body
    );
    // Signing in: the analytics ID and the password, then the code mailed to the address.
    let access = sign_in_with_code(&app, &analytics_id, PASSWORD, EMAIL).await;

    // The four mails, in order: provisional, received, ready, the sign-in code.
    let subjects: Vec<String> = app
        .outbox()
        .await
        .into_iter()
        .filter(|mail| mail.recipient == EMAIL)
        .map(|mail| mail.subject)
        .collect();
    assert_eq!(subjects.len(), 4, "{subjects:?}");
    assert!(
        subjects[0].contains("(1/3) CXサポートの仮登録が完了しました"),
        "{subjects:?}"
    );
    assert!(
        subjects[1].contains("(2/3) CXサポートの本登録を受け付けました"),
        "{subjects:?}"
    );
    assert!(
        subjects[2].contains("(3/3) CXサポートをご利用する準備が整いました"),
        "{subjects:?}"
    );
    assert!(subjects[3].contains("ワンタイムパスワード"), "{subjects:?}");

    // The subscriber sees its subscription, its numbers as given (hyphens dropped), and
    // the standard plan's reports.
    let access = access.as_str();
    let list = app
        .get_as(access, "/api/v1/analytics/subscriptions")
        .await
        .expect(StatusCode::OK);
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{list}");
    let subscription = &items[0];
    assert_eq!(subscription["opid"], "OPCX0001");
    assert_eq!(subscription["analytics_id"], analytics_id.as_str());
    assert_eq!(subscription["organization_name"], "株式会社コム");
    assert_eq!(
        subscription["numbers"],
        json!([{"kind": "an", "number": "0120111222"}, {"kind": "dn", "number": "0355550001"}])
    );
    let id = subscription["id"].as_i64().expect("id");
    app.get_as(
        access,
        &format!("/api/v1/analytics/subscriptions/{id}/reports/origins"),
    )
    .await
    .expect(StatusCode::OK);
    let me = app.get_as(access, "/api/v1/me").await.expect(StatusCode::OK);
    assert_eq!(me["full_name"], "コム 太郎");
    assert!(
        me["organization"]["customer_number"]
            .as_str()
            .is_some_and(|number| number.len() == 10 && number.starts_with('N')),
        "{me}"
    );

    // No sales code: fourteen 0s; the billing fields kept.
    assert_eq!(
        stored_contract(&app, "OPCX0001").await,
        (
            Some("0".repeat(14)),
            Some("0312340000".into()),
            Some("0120111222".into()),
            Some("telecom".into())
        )
    );

    // The link works once.
    let again = app
        .post("/api/v1/analytics/signups/confirm", json!({"token": token}))
        .await;
    assert_eq!(again.status, StatusCode::GONE, "{}", again.body);
    assert_eq!(again.code(), "link_used");
}

#[tokio::test]
async fn every_bad_field_of_a_sign_up_is_named_at_once() {
    let app = spawn_app().await;
    let bad = app
        .post(
            "/api/v1/analytics/signups",
            json!({
                "contractor_name": " ",
                "industry": "other",
                "contact_phone": "12345",
                "opid": "OP-1",
                "an_number": "0312345678",
                "dn_number": "0120",
                "plan": "standard",
                "department": "",
                "contact_person": "",
                "email": "not-an-address",
                "email_confirmation": "x@y.jp",
                "password": "short",
                "password_confirmation": "other",
                "auth_method": "email_otp",
                "has_sales_code": true,
                "sales_code": "",
            }),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    for (field, code) in [
        ("contractor_name", "required"),
        ("contact_phone", "invalid_format"),
        ("opid", "invalid_format"),
        ("an_number", "invalid_format"),
        ("dn_number", "invalid_format"),
        ("billing_phone", "required"),
        ("billing_number", "required"),
        ("department", "required"),
        ("contact_person", "required"),
        ("email", "invalid_format"),
        ("password", "password_too_weak"),
        ("password_confirmation", "mismatch"),
        ("sales_code", "required"),
    ] {
        assert_eq!(bad.field_code(field), Some(code), "{field}: {}", bad.body);
    }

    // The confirmation must repeat the address.
    let mut mismatch = signup("OPCX0002", "free");
    mismatch["email_confirmation"] = json!("cx2@sample.co.jp");
    let refused = app.post("/api/v1/analytics/signups", mismatch).await;
    assert_eq!(
        refused.field_code("email_confirmation"),
        Some("mismatch"),
        "{}",
        refused.body
    );

    // A sales code is 14 half-width letters and digits.
    let mut short_code = signup("OPCX0002", "free");
    short_code["has_sales_code"] = json!(true);
    short_code["sales_code"] = json!("ABC123");
    let refused = app.post("/api/v1/analytics/signups", short_code).await;
    assert_eq!(
        refused.field_code("sales_code"),
        Some("invalid_format"),
        "{}",
        refused.body
    );

    // Nothing was kept of the refused ones: a free plan needs no billing fields, and its
    // sales code is stored as given (upper case).
    let mut free = signup("OPCX0002", "free");
    free["billing_phone"] = json!("");
    free["billing_number"] = json!("");
    free["has_sales_code"] = json!(true);
    free["sales_code"] = json!("ab12cd34ef56gh");
    app.post("/api/v1/analytics/signups", free)
        .await
        .expect(StatusCode::ACCEPTED);
    let first = app.last_mail(EMAIL, "(1/3)").await;
    assert!(
        !first.body.contains("スタンダードプラン"),
        "no charge on the free plan: {}",
        first.body
    );
    app.post(
        "/api/v1/analytics/signups/confirm",
        json!({"token": link_token(&first.body)}),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(
        stored_contract(&app, "OPCX0002").await,
        (Some("AB12CD34EF56GH".into()), None, None, Some("telecom".into()))
    );
}

#[tokio::test]
async fn an_opid_is_signed_up_once_and_an_expired_sign_up_gives_it_back() {
    let app = spawn_app().await;
    app.post("/api/v1/analytics/signups", signup("OPCX0003", "free"))
        .await
        .expect(StatusCode::ACCEPTED);
    let stale = link_token(&app.last_mail(EMAIL, "(1/3)").await.body);

    // While the first waits for its link, the OPID is taken, in the seed's words — and
    // the other fields' errors come with it.
    let mut second = signup("OPCX0003", "free");
    second["contact_person"] = json!("");
    let refused = app.post("/api/v1/analytics/signups", second).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(
        refused.field_code("opid"),
        Some("opid_subscribed"),
        "{}",
        refused.body
    );
    assert_eq!(refused.field_code("contact_person"), Some("required"));
    let message = refused.body["errors"]
        .as_array()
        .and_then(|errors| errors.iter().find(|error| error["field"] == "opid"))
        .and_then(|error| error["message"].as_str())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        message,
        "既にCXサポートをお申し込みのOPIDは指定することはできません。"
    );

    // After 24 hours the first link has expired and the OPID can be signed up again.
    app.advance(TimeDelta::hours(24) + TimeDelta::minutes(1));
    let expired = app
        .post("/api/v1/analytics/signups/confirm", json!({"token": stale}))
        .await;
    assert_eq!(expired.status, StatusCode::GONE, "{}", expired.body);
    assert_eq!(expired.code(), "link_expired");
    app.post("/api/v1/analytics/signups", signup("OPCX0003", "free"))
        .await
        .expect(StatusCode::ACCEPTED);
    let fresh = link_token(&app.last_mail(EMAIL, "(1/3)").await.body);
    app.post("/api/v1/analytics/signups/confirm", json!({"token": fresh}))
        .await
        .expect(StatusCode::OK);

    // Subscribed: refused for good, as is an OPID staff set up.
    let refused = app
        .post("/api/v1/analytics/signups", signup("OPCX0003", "standard"))
        .await;
    assert_eq!(
        refused.field_code("opid"),
        Some("opid_subscribed"),
        "{}",
        refused.body
    );
    let organization = app
        .organization_with_contract("N300000001", "既存株式会社", "hosyu@kizon.co.jp")
        .await;
    app.account(None, "cx-staff", Role::Staff).await;
    let staff = app.access_token("cx-staff").await;
    app.post_as(
        &staff,
        "/api/v1/analytics/subscriptions",
        json!({"organization_id": organization.0, "opid": "OPSTAFF1", "plan": "free"}),
    )
    .await
    .expect(StatusCode::CREATED);
    let refused = app
        .post("/api/v1/analytics/signups", signup("OPSTAFF1", "free"))
        .await;
    assert_eq!(
        refused.field_code("opid"),
        Some("opid_subscribed"),
        "{}",
        refused.body
    );

    let unknown = app
        .post(
            "/api/v1/analytics/signups/confirm",
            json!({"token": "no-such-token"}),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.code(), "link_invalid");
}

/// A subscriber signed up, confirmed and signed in with its mailed code: (access token,
/// subscription id, analytics ID).
async fn subscriber(app: &TestApp, opid: &str, plan: &str, email: &str) -> (String, i64, String) {
    let mut form = signup(opid, plan);
    form["email"] = json!(email);
    form["email_confirmation"] = json!(email);
    app.post("/api/v1/analytics/signups", form)
        .await
        .expect(StatusCode::ACCEPTED);
    let token = link_token(&app.last_mail(email, "(1/3)").await.body);
    let confirmed = app
        .post("/api/v1/analytics/signups/confirm", json!({"token": token}))
        .await
        .expect(StatusCode::OK);
    let analytics_id = confirmed["analytics_id"].as_str().expect("id").to_owned();
    let access = sign_in_with_code(app, &analytics_id, PASSWORD, email).await;
    let list = app
        .get_as(&access, "/api/v1/analytics/subscriptions")
        .await
        .expect(StatusCode::OK);
    (access, list["items"][0]["id"].as_i64().expect("id"), analytics_id)
}

/// Signs in with the password and the code mailed to `email`; the access token.
async fn sign_in_with_code(app: &TestApp, login_id: &str, password: &str, email: &str) -> String {
    let challenge = app
        .post(
            "/api/v1/auth/sign-in",
            json!({"login_id": login_id, "password": password}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(challenge["status"], "otp_required", "{challenge}");
    let code = otp_code(&app.last_mail(email, "ワンタイムパスワード").await.body);
    let tokens = app
        .post(
            "/api/v1/auth/otp",
            json!({"challenge_id": challenge["challenge_id"], "code": code}),
        )
        .await
        .expect(StatusCode::OK);
    tokens["access_token"].as_str().expect("access token").to_owned()
}

#[tokio::test]
async fn a_child_id_reads_the_subscription_but_changes_nothing() {
    const CHILD_EMAIL: &str = "ko@sample.co.jp";
    const CHILD_PASSWORD: &str = "Kodomo-Pass-2026";
    let app = spawn_app().await;
    let (parent, id, analytics_id) = subscriber(&app, "OPCHILD1", "standard", EMAIL).await;
    let base = format!("/api/v1/analytics/subscriptions/{id}");

    let bad = app
        .post_as(
            &parent,
            &format!("{base}/child-ids"),
            json!({"full_name": "", "email": "x"}),
        )
        .await;
    assert_eq!(bad.field_code("full_name"), Some("required"), "{}", bad.body);
    assert_eq!(bad.field_code("email"), Some("invalid_format"));
    let child = app
        .post_as(
            &parent,
            &format!("{base}/child-ids"),
            json!({"full_name": "子 一郎", "email": CHILD_EMAIL}),
        )
        .await
        .expect(StatusCode::CREATED);
    let login_id = format!("{analytics_id}-01");
    assert_eq!(child["login_id"], login_id.as_str());
    assert_eq!(child["status"], "active");
    let child_account = child["account_id"].as_i64().expect("account id");

    // The child sets its password from the mailed link, then signs in with a code.
    let invitation = app.last_mail(CHILD_EMAIL, "").await;
    assert!(invitation.body.contains(&login_id), "{}", invitation.body);
    app.post(
        "/api/v1/auth/password",
        json!({"token": link_token(&invitation.body), "password": CHILD_PASSWORD, "password_confirmation": CHILD_PASSWORD}),
    )
    .await
    .expect(StatusCode::NO_CONTENT);
    let access = sign_in_with_code(&app, &login_id, CHILD_PASSWORD, CHILD_EMAIL).await;

    // It reads: the subscription, a standard report, the groups.
    let list = app
        .get_as(&access, "/api/v1/analytics/subscriptions")
        .await
        .expect(StatusCode::OK);
    assert_eq!(list["items"][0]["id"], id);
    app.get_as(&access, &format!("{base}/reports/origins"))
        .await
        .expect(StatusCode::OK);
    app.get_as(&access, &format!("{base}/groups"))
        .await
        .expect(StatusCode::OK);
    // It changes nothing: the plan, the groups, the child IDs.
    let plan = app
        .request_as(
            &access,
            reqwest::Method::PUT,
            &format!("{base}/plan"),
            Some(&json!({"plan": "free"})),
        )
        .await;
    assert_eq!(plan.status, StatusCode::FORBIDDEN, "{}", plan.body);
    let group = app
        .post_as(
            &access,
            &format!("{base}/groups"),
            json!({"kind": "an", "name": "子のグループ", "numbers": ["0120111222"]}),
        )
        .await;
    assert_eq!(group.status, StatusCode::FORBIDDEN, "{}", group.body);
    let made = app
        .post_as(
            &parent,
            &format!("{base}/groups"),
            json!({"kind": "an", "name": "親のグループ", "numbers": ["0120111222"]}),
        )
        .await
        .expect(StatusCode::CREATED);
    let group_id = made["id"].as_i64().expect("group id");
    let removed = app
        .delete_as(&access, &format!("/api/v1/analytics/groups/{group_id}"))
        .await;
    assert_eq!(removed.status, StatusCode::FORBIDDEN, "{}", removed.body);
    let children = app.get_as(&access, &format!("{base}/child-ids")).await;
    assert_eq!(children.status, StatusCode::FORBIDDEN, "{}", children.body);
    let grandchild = app
        .post_as(
            &access,
            &format!("{base}/child-ids"),
            json!({"full_name": "孫", "email": "mago@sample.co.jp"}),
        )
        .await;
    assert_eq!(grandchild.status, StatusCode::FORBIDDEN);
    // Nor is it made more through the accounts page: its role and grants stay.
    let account_path = format!("/api/v1/accounts/{child_account}");
    let before = app.get_as(&parent, &account_path).await.expect(StatusCode::OK);
    assert_eq!(
        (&before["pbx_admin"], &before["analytics"]),
        (&json!(false), &json!(true))
    );
    let promoted = app
        .request_as(
            &parent,
            reqwest::Method::PATCH,
            &account_path,
            Some(&json!({"role": "user_admin", "pbx_admin": true, "analytics": false})),
        )
        .await;
    assert_eq!(
        promoted.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        promoted.body
    );
    for field in ["role", "pbx_admin", "analytics"] {
        assert_eq!(promoted.field_code(field), Some("not_allowed"), "{field}");
    }
    let after = app.get_as(&parent, &account_path).await.expect(StatusCode::OK);
    assert_eq!(after, before);

    // Disabled, its session ends and it cannot sign in; enabled, it can again.
    app.request_as(
        &parent,
        reqwest::Method::PUT,
        &format!("{base}/child-ids/{child_account}"),
        Some(&json!({"disabled": true})),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(
        app.get_as(&access, "/api/v1/analytics/subscriptions")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let refused = app
        .post(
            "/api/v1/auth/sign-in",
            json!({"login_id": login_id, "password": CHILD_PASSWORD}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);
    let enabled = app
        .request_as(
            &parent,
            reqwest::Method::PUT,
            &format!("{base}/child-ids/{child_account}"),
            Some(&json!({"disabled": false})),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(enabled["status"], "active");
    sign_in_with_code(&app, &login_id, CHILD_PASSWORD, CHILD_EMAIL).await;

    // At most the plan's number (ten on the standard plan).
    for n in 2..=10 {
        app.post_as(
            &parent,
            &format!("{base}/child-ids"),
            json!({"full_name": format!("子 {n}"), "email": format!("ko{n}@sample.co.jp")}),
        )
        .await
        .expect(StatusCode::CREATED);
    }
    let eleventh = app
        .post_as(
            &parent,
            &format!("{base}/child-ids"),
            json!({"full_name": "子 11", "email": "ko11@sample.co.jp"}),
        )
        .await;
    assert_eq!(
        eleventh.field_code("email"),
        Some("too_many"),
        "{}",
        eleventh.body
    );
    let list = app
        .get_as(&parent, &format!("{base}/child-ids"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(list["max"], 10);
    assert_eq!(list["items"].as_array().map(Vec::len), Some(10));

    // Deleted, it is gone and a new one may take its place.
    app.delete_as(&parent, &format!("{base}/child-ids/{child_account}"))
        .await
        .expect(StatusCode::NO_CONTENT);
    let list = app
        .get_as(&parent, &format!("{base}/child-ids"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(list["items"].as_array().map(Vec::len), Some(9));
    let gone = app
        .delete_as(&parent, &format!("{base}/child-ids/{child_account}"))
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);

    // Another subscriber sees none of it; a free plan has no child IDs.
    let (other, other_id, _) = subscriber(&app, "OPCHILD2", "free", "other@sample.co.jp").await;
    assert_eq!(
        app.get_as(&other, &format!("{base}/child-ids")).await.status,
        StatusCode::NOT_FOUND
    );
    let free = app
        .get_as(
            &other,
            &format!("/api/v1/analytics/subscriptions/{other_id}/child-ids"),
        )
        .await;
    assert_eq!(free.code(), "standard_plan_required", "{}", free.body);
}
