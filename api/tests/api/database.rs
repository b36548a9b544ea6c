use actix_web::ResponseError;
use madoguchi_api::clock::Clock;
use madoguchi_api::contracts::{self, ContractStatus, EmailHolder, NewContract, Service};
use madoguchi_api::db::{self, DbConn};
use madoguchi_api::demo::{self, Seeded};
use madoguchi_api::domain::{ContractNumber, CustomerNumber, DisplayName, EmailAddress};
use madoguchi_api::error::ApiError;
use madoguchi_api::{accounts, organizations};

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::spawn_app;

fn insert_organization(conn: &mut DbConn, number: &str) -> Result<organizations::Organization, ApiError> {
    let number = CustomerNumber::parse(number).expect("valid");
    let name = DisplayName::parse("株式会社テスト").expect("valid");
    Ok(organizations::insert(
        conn,
        &number,
        &name,
        Clock::system().now_naive(),
    )?)
}

#[tokio::test]
async fn a_duplicate_unique_value_is_a_409_naming_the_field() {
    let app = spawn_app().await;
    let error = db::run(&app.pool, |conn| {
        insert_organization(conn, "N123456789")?;
        insert_organization(conn, "N123456789")
    })
    .await
    .expect_err("duplicate refused");
    assert_eq!(error.status_code(), actix_web::http::StatusCode::CONFLICT);
    assert!(
        matches!(&error, ApiError::Conflict { field } if field == "customer_number"),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_failed_transaction_leaves_nothing_behind() {
    let app = spawn_app().await;
    let result = db::transaction(&app.pool, |conn| {
        let organization = insert_organization(conn, "N111111111")?;
        let contract = |number: &str| NewContract {
            organization: organization.id,
            number: ContractNumber::parse(number).expect("valid"),
            service: Service::OfficeLink,
            starts_on: chrono::NaiveDate::from_ymd_opt(2026, 4, 1).expect("date"),
            ends_on: chrono::NaiveDate::from_ymd_opt(2027, 3, 31).expect("date"),
            status: ContractStatus::Active,
            emails: vec![(
                EmailHolder::EndUser,
                EmailAddress::parse("a@example.co.jp").expect("valid"),
            )],
            equipment: Vec::new(),
        };
        let now = Clock::system().now_naive();
        contracts::insert(conn, &contract("OLK0000001"), now)?;
        contracts::insert(conn, &contract("OLK0000001"), now)?;
        Ok(())
    })
    .await;
    assert!(
        matches!(result, Err(ApiError::Conflict { ref field }) if field == "contract_number"),
        "{result:?}"
    );
    let remaining = db::run(&app.pool, |conn| {
        Ok(organizations::find_by_customer_number(
            conn,
            &CustomerNumber::parse("N111111111").expect("valid"),
        )?)
    })
    .await
    .expect("query");
    assert!(
        remaining.is_none(),
        "the organization was rolled back with the contracts"
    );
}

#[tokio::test]
async fn demo_data_is_created_once_with_a_working_staff_password() {
    let app = spawn_app().await;
    let clock = app.clock.clone();
    let (first, second, staff) = db::run(&app.pool, move |conn| {
        let first = demo::seed(conn, &clock).map_err(ApiError::internal)?;
        let second = demo::seed(conn, &clock).map_err(ApiError::internal)?;
        let login_id = madoguchi_api::domain::LoginId::parse(demo::DEMO_STAFF_LOGIN_ID).expect("valid");
        let staff = accounts::find_by_login_id(conn, &login_id)?;
        Ok((first, second, staff))
    })
    .await
    .expect("seeded");
    assert_eq!(first, Seeded::Created);
    assert_eq!(second, Seeded::AlreadyPresent);
    let staff = staff.expect("staff account");
    assert_eq!(staff.role, accounts::Role::Staff);
    assert!(staff.organization_id.is_none());
    assert!(accounts::password::verify(
        demo::DEMO_STAFF_PASSWORD,
        &staff.password_hash
    ));
    assert!(!staff.password_hash.contains(demo::DEMO_STAFF_PASSWORD));

    // The demo administrator finds CXサポート with calls in every standard report: the
    // seeded calls went through ingestion's rollups (the reports read nothing else).
    let admin = app
        .access_token_with(demo::DEMO_ADMIN_LOGIN_ID, demo::DEMO_ADMIN_PASSWORD)
        .await;
    let list = app
        .get_as(&admin, "/api/v1/analytics/subscriptions")
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        list["items"][0]["opid"],
        madoguchi_api::analytics::demo::DEMO_OPID,
        "{list}"
    );
    assert_eq!(list["items"][0]["plan"], "standard");
    let base = format!(
        "/api/v1/analytics/subscriptions/{}/reports",
        list["items"][0]["id"]
    );
    let recent = app
        .get_as(&admin, &format!("{base}/recent_traffic"))
        .await
        .expect(StatusCode::OK);
    let calls = recent["totals"][0].as_f64().unwrap_or_default();
    assert!((4_000.0..8_000.0).contains(&calls), "90 days of calls: {recent}");
    for report in ["origins", "per_number", "caller_composition", "time_of_day"] {
        let answer = app
            .get_as(&admin, &format!("{base}/{report}"))
            .await
            .expect(StatusCode::OK);
        let sum: f64 = answer["totals"]
            .as_array()
            .map(|totals| totals.iter().filter_map(Value::as_f64).sum())
            .unwrap_or_default();
        assert!(sum > 0.0, "{report}: {answer}");
    }
    let lines = app
        .get_as(&admin, &format!("{base}/concurrent_lines"))
        .await
        .expect(StatusCode::OK);
    assert!(
        lines["lines"]["lines"].as_i64().unwrap_or_default() >= 1,
        "{lines}"
    );
}

#[tokio::test]
async fn migrations_are_idempotent() {
    let app = spawn_app().await;
    db::run(&app.pool, |conn| {
        db::run_migrations(conn).map_err(ApiError::internal)
    })
    .await
    .expect("second run applies nothing and succeeds");
}
