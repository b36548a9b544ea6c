use madoguchi_api::Application;
use madoguchi_api::clock::Clock;
use madoguchi_api::config::Settings;
use madoguchi_api::db::DbPool;
use madoguchi_e2e::TestDatabase;

pub struct TestApp {
    pub address: String,
    pub pool: DbPool,
    pub clock: Clock,
    pub client: reqwest::Client,
    handle: actix_web::dev::ServerHandle,
    // Dropped last: the database outlives the server using it.
    _database: TestDatabase,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stop accepting; the runtime ends with the test anyway.
        drop(self.handle.stop(false));
    }
}

pub fn test_settings(database: &TestDatabase) -> Settings {
    let mut settings = Settings::defaults().expect("default settings");
    settings.port = 0;
    settings.workers = 1;
    settings.database_pool_size = 4;
    settings.database_url = database.url().to_owned().into();
    settings.web_dir = "/nonexistent".into();
    settings
}

/// Starts the application on a free port against a fresh database.
pub async fn spawn_app() -> TestApp {
    let database = TestDatabase::create();
    let clock = Clock::system();
    let application = Application::build_with_clock(test_settings(&database), clock.clone())
        .await
        .expect("application builds");
    let address = format!("http://127.0.0.1:{}", application.port());
    let pool = application.state().pool.clone();
    let handle = application.handle();
    tokio::spawn(application.run_until_stopped());
    TestApp {
        address,
        pool,
        clock,
        client: reqwest::Client::new(),
        handle,
        _database: database,
    }
}
