use chrono::{NaiveDate, TimeDelta};
use diesel::prelude::*;
use madoguchi_api::Application;
use madoguchi_api::accounts::{self, AccountId, AccountStatus, NewAccount, Role, password};
use madoguchi_api::clock::Clock;
use madoguchi_api::config::Settings;
use madoguchi_api::contracts::{self, ContractStatus, EmailHolder, NewContract, Service};
use madoguchi_api::db::{self, DbPool};
use madoguchi_api::domain::{
    ContractNumber, CustomerNumber, DisplayName, EmailAddress, LoginId, NewPassword,
};
use madoguchi_api::i18n::Lang;
use madoguchi_api::jobs::{self, JobKind, JobState};
use madoguchi_api::organizations::{self, OrganizationId};
use madoguchi_api::policy::Grants;
use madoguchi_e2e::TestDatabase;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::observed;

pub const PASSWORD: &str = "Kanri-Tantou-2026";

pub struct TestApp {
    pub address: String,
    pub pool: DbPool,
    pub clock: Clock,
    pub client: reqwest::Client,
    pub mail_dir: tempfile::TempDir,
    handle: actix_web::dev::ServerHandle,
    _files_dir: tempfile::TempDir,
    /// The application's file storage (to check what an upload left behind).
    pub storage: madoguchi_api::storage::Storage,
    // Dropped last: the database outlives the server using it.
    _database: TestDatabase,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}

/// The key the test server seals PBX passwords with.
pub const PBX_SECRET_KEY: &str = "test-key-that-seals-the-pbx-passwords-0123";

pub fn test_settings(database: &TestDatabase) -> Settings {
    let mut settings = Settings::defaults().expect("default settings");
    settings.port = 0;
    settings.workers = 1;
    settings.database_pool_size = 4;
    settings.database_url = database.url().to_owned().into();
    settings.web_dir = "/nonexistent".into();
    settings.public_url = "http://portal.test".into();
    settings.jwt_secret = Some("test-secret-for-access-tokens-0123456789".to_owned().into());
    settings.pbx_secret_key = Some(PBX_SECRET_KEY.to_owned().into());
    settings.mail_poll_interval_ms = 50;
    // Tests sign in many times from one address; the rate-limit test sets its own limit.
    settings.auth_rate_burst = 10_000;
    settings.auth_rate_per_minute = 60_000;
    settings
}

/// Starts the application on a free port against a fresh database.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let database = TestDatabase::create();
    let mail_dir = tempfile::tempdir().expect("mail dir");
    let mut settings = test_settings(&database);
    settings.mail_dir = mail_dir.path().to_path_buf();
    let files_dir = tempfile::tempdir().expect("files dir");
    settings.storage_dir = files_dir.path().to_path_buf();
    adjust(&mut settings);
    let clock = Clock::system();
    let application = Application::build_with_clock(settings, clock.clone())
        .await
        .expect("application builds");
    let address = format!("http://127.0.0.1:{}", application.port());
    let pool = application.state().pool.clone();
    let storage = application.state().storage.clone();
    let handle = application.handle();
    tokio::spawn(application.run_until_stopped());
    TestApp {
        address,
        pool,
        clock,
        // A pooled connection is not reused after 2 s idle: the server closes idle ones after
        // 5 s (actix-web's keep-alive), and a request sent on one it is closing fails with an
        // incomplete message (seen after a slow LibreOffice check on a busy machine).
        client: reqwest::Client::builder()
            .pool_idle_timeout(std::time::Duration::from_secs(2))
            .build()
            .expect("HTTP client"),
        mail_dir,
        _files_dir: files_dir,
        storage,
        handle,
        _database: database,
    }
}

/// A status and a JSON body (problem documents included).
pub struct Answer {
    pub status: StatusCode,
    pub body: Value,
}

impl Answer {
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or_default()
    }

    /// The `code` of the error on `field`, if any.
    pub fn field_code(&self, field: &str) -> Option<&str> {
        self.body["errors"]
            .as_array()?
            .iter()
            .find(|error| error["field"] == field)
            .and_then(|error| error["code"].as_str())
    }

    #[track_caller]
    pub fn expect(self, status: StatusCode) -> Value {
        assert_eq!(self.status, status, "{}", self.body);
        self.body
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Sends the request, records its status for the contract check, and reads a JSON
    /// body (any other body as a JSON string).
    pub async fn send(&self, request: reqwest::RequestBuilder) -> Answer {
        let request = request.build().expect("request");
        let (method, path) = (request.method().to_string(), request.url().path().to_owned());
        let response = self.client.execute(request).await.expect("request");
        let status = response.status();
        observed::record(&method, &path, status.as_u16());
        let json = response
            .headers()
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.contains("json"));
        let text = response.text().await.expect("body");
        let body = if text.is_empty() {
            Value::Null
        } else if json {
            serde_json::from_str(&text).expect("JSON body")
        } else {
            Value::String(text)
        };
        Answer { status, body }
    }

    pub async fn post(&self, path: &str, body: Value) -> Answer {
        self.send(self.client.post(self.url(path)).json(&body)).await
    }

    pub async fn post_as(&self, token: &str, path: &str, body: Value) -> Answer {
        self.send(self.client.post(self.url(path)).bearer_auth(token).json(&body))
            .await
    }

    pub async fn get_as(&self, token: &str, path: &str) -> Answer {
        self.send(self.client.get(self.url(path)).bearer_auth(token))
            .await
    }

    pub async fn patch_as(&self, token: &str, path: &str, body: Value) -> Answer {
        self.send(self.client.patch(self.url(path)).bearer_auth(token).json(&body))
            .await
    }

    /// A GET asking for English answers.
    pub async fn send_as_english(&self, token: &str, path: &str) -> Answer {
        self.send(
            self.client
                .get(self.url(path))
                .bearer_auth(token)
                .header("Accept-Language", "en"),
        )
        .await
    }

    /// Any method, with a JSON body or none (for tables of endpoints).
    pub async fn request_as(
        &self,
        token: &str,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> Answer {
        let mut request = self.client.request(method, self.url(path)).bearer_auth(token);
        if let Some(body) = body {
            request = request.json(body);
        }
        self.send(request).await
    }

    pub async fn delete_as(&self, token: &str, path: &str) -> Answer {
        self.send(self.client.delete(self.url(path)).bearer_auth(token))
            .await
    }

    /// Every mail queued so far (the `mail` jobs), oldest first.
    pub async fn outbox(&self) -> Vec<QueuedMail> {
        db::run(&self.pool, |conn| {
            Ok(madoguchi_api::schema::jobs::table
                .filter(madoguchi_api::schema::jobs::kind.eq(JobKind::Mail))
                .order(madoguchi_api::schema::jobs::id.asc())
                .select(jobs::Job::as_select())
                .load::<jobs::Job>(conn)?)
        })
        .await
        .expect("outbox")
        .into_iter()
        .map(QueuedMail::from)
        .collect()
    }

    /// Runs the jobs that recovery forms queue (they look up the address and queue the
    /// mails) now, instead of waiting for the worker's next poll.
    pub async fn settle_jobs(&self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let now = self.clock.now_naive();
            let pending = db::run(&self.pool, move |conn| {
                Ok(madoguchi_api::schema::jobs::table
                    .filter(madoguchi_api::schema::jobs::kind.ne(JobKind::Mail))
                    .filter(madoguchi_api::schema::jobs::state.eq_any([JobState::Queued, JobState::Running]))
                    // Due by the test's clock: a job put off (the warming of reports after
                    // new calls) waits for the clock to be moved.
                    .filter(madoguchi_api::schema::jobs::run_after.le(now))
                    .count()
                    .get_result::<i64>(conn)?)
            })
            .await
            .expect("pending jobs");
            if pending == 0 {
                return;
            }
            assert!(std::time::Instant::now() < deadline, "jobs still pending");
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
    }

    /// The newest queued mail to `to` whose subject contains `subject` (waiting a moment
    /// for the jobs that queue mails).
    pub async fn last_mail(&self, to: &str, subject: &str) -> QueuedMail {
        self.settle_jobs().await;
        self.outbox()
            .await
            .into_iter()
            .rev()
            .find(|mail| mail.recipient == to && mail.subject.contains(subject))
            .unwrap_or_else(|| panic!("no mail to {to} about {subject:?}"))
    }

    /// An organization with an active contract registering `maintenance_email`.
    pub async fn organization_with_contract(
        &self,
        customer_number: &str,
        name: &str,
        maintenance_email: &str,
    ) -> OrganizationId {
        self.organization_with_contract_dated(
            customer_number,
            name,
            maintenance_email,
            ContractStatus::Active,
            -30,
            300,
        )
        .await
    }

    /// Puts equipment of these models on the organization's contracts (a serial number per
    /// model), as staff would through the contract form.
    pub async fn equip(&self, organization: OrganizationId, models: &[&str]) {
        let models: Vec<String> = models.iter().map(|model| (*model).to_owned()).collect();
        db::run(&self.pool, move |conn| {
            use madoguchi_api::schema::{contract_equipment, contracts};
            let contract: i64 = contracts::table
                .filter(contracts::organization_id.eq(organization))
                .select(contracts::id)
                .first(conn)?;
            for (position, model) in (0_i32..).zip(&models) {
                diesel::insert_into(contract_equipment::table)
                    .values((
                        contract_equipment::contract_id.eq(contract),
                        contract_equipment::position.eq(position),
                        contract_equipment::maker.eq("Juniper Networks"),
                        contract_equipment::model.eq(model),
                        contract_equipment::serial_number.eq(format!("SN-{model}")),
                    ))
                    .execute(conn)?;
            }
            Ok(())
        })
        .await
        .expect("equipment");
    }

    pub async fn organization_with_contract_dated(
        &self,
        customer_number: &str,
        name: &str,
        maintenance_email: &str,
        status: ContractStatus,
        starts_in_days: i64,
        ends_in_days: i64,
    ) -> OrganizationId {
        let (customer_number, name, email) = (
            CustomerNumber::parse(customer_number).expect("valid"),
            DisplayName::parse(name).expect("valid"),
            EmailAddress::parse(maintenance_email).expect("valid"),
        );
        let now = self.clock.now_naive();
        let today: NaiveDate = self.clock.today();
        let contract_number = format!("C{}", &customer_number.as_str()[1..]);
        db::transaction(&self.pool, move |conn| {
            let organization = organizations::insert(conn, &customer_number, &name, now)?;
            contracts::insert(
                conn,
                &NewContract {
                    organization: organization.id,
                    number: ContractNumber::parse(&contract_number).expect("valid"),
                    service: Service::ProductMaintenance,
                    starts_on: today + TimeDelta::days(starts_in_days),
                    ends_on: today + TimeDelta::days(ends_in_days),
                    status,
                    emails: vec![(EmailHolder::EndUser, email)],
                    equipment: Vec::new(),
                },
                now,
            )?;
            Ok(organization.id)
        })
        .await
        .expect("seeded")
    }

    /// An active Business Mobile contract of the organization (`number`), for its mobile
    /// lines; its id.
    pub async fn mobile_contract(&self, organization: OrganizationId, number: &str) -> i64 {
        let now = self.clock.now_naive();
        let today: NaiveDate = self.clock.today();
        let number = ContractNumber::parse(number).expect("valid");
        db::transaction(&self.pool, move |conn| {
            let contract = contracts::insert(
                conn,
                &NewContract {
                    organization,
                    number,
                    service: Service::BusinessMobile,
                    starts_on: today - TimeDelta::days(10),
                    ends_on: today + TimeDelta::days(700),
                    status: ContractStatus::Active,
                    emails: Vec::new(),
                    equipment: Vec::new(),
                },
                now,
            )?;
            Ok(contract.id.0)
        })
        .await
        .expect("seeded")
    }

    /// An active account with [`PASSWORD`].
    pub async fn account(
        &self,
        organization_id: Option<OrganizationId>,
        login_id: &str,
        role: Role,
    ) -> AccountId {
        let login_id = LoginId::parse(login_id).expect("valid");
        let password_hash =
            password::hash(NewPassword::parse(PASSWORD, &login_id).expect("valid").expose()).expect("hash");
        let email = EmailAddress::parse(&format!("{}@example.co.jp", login_id.as_str().replace('@', ".")))
            .expect("valid");
        let new = NewAccount {
            organization: organization_id,
            password_hash: Some(password_hash),
            login_id,
            full_name: DisplayName::parse("試験 花子").expect("valid"),
            email,
            role,
            status: AccountStatus::Active,
            company_name: None,
            maintenance_email: None,
            preferred_lang: Lang::Ja,
            grants: Grants::default(),
        };
        let now = self.clock.now_naive();
        db::run(&self.pool, move |conn| Ok(accounts::insert(conn, &new, now)?))
            .await
            .expect("account")
            .id
    }

    /// Signs in (no 2-step auth) and returns the token answer.
    pub async fn sign_in(&self, login_id: &str, password: &str) -> Value {
        let body = self
            .post(
                "/api/v1/auth/sign-in",
                json!({"login_id": login_id, "password": password}),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(body["status"], "signed_in", "{body}");
        body
    }

    pub async fn access_token(&self, login_id: &str) -> String {
        self.access_token_with(login_id, PASSWORD).await
    }

    pub async fn access_token_with(&self, login_id: &str, password: &str) -> String {
        self.sign_in(login_id, password).await["access_token"]
            .as_str()
            .expect("token")
            .to_owned()
    }

    pub fn advance(&self, by: TimeDelta) {
        self.clock.advance(by);
    }

    /// A job followed to its end (done or failed), as `token`'s account reads it.
    pub async fn finished_job(&self, token: &str, id: i64) -> Value {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            let job = self
                .get_as(token, &format!("/api/v1/jobs/{id}"))
                .await
                .expect(reqwest::StatusCode::OK);
            if job["state"] == "done" || job["state"] == "failed" {
                return job;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the job did not finish: {job}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
}

/// A queued mail: its job and its rendered text.
#[derive(Debug, Clone)]
pub struct QueuedMail {
    pub job: jobs::Job,
    pub recipient: String,
    pub subject: String,
    pub body: String,
}

impl From<jobs::Job> for QueuedMail {
    fn from(job: jobs::Job) -> Self {
        let mail: madoguchi_api::mail::Mail = serde_json::from_str(&job.payload).expect("mail payload");
        Self {
            recipient: mail.to,
            subject: mail.subject,
            body: mail.body,
            job,
        }
    }
}

impl QueuedMail {
    pub fn delivered(&self) -> bool {
        self.job.state == JobState::Done
    }

    /// Finished without sending: the recipient had its hourly share of mail.
    pub fn dropped_by_hourly_limit(&self) -> bool {
        self.job
            .result
            .as_deref()
            .is_some_and(|result| result.contains("recipient_hourly_limit"))
    }
}

/// The `token=…` of a link in a mail body.
pub fn link_token(body: &str) -> String {
    let start = body.find("token=").expect("a link with a token") + "token=".len();
    body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// The 6-digit code in a one-time password mail.
pub fn otp_code(body: &str) -> String {
    body.lines()
        .map(str::trim)
        .find(|line| line.len() == 6 && line.bytes().all(|b| b.is_ascii_digit()))
        .expect("a 6-digit code")
        .to_owned()
}
