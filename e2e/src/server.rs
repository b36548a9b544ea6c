//! The real `madoguchi` binary, started on a free port against a fresh database.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::database::TestDatabase;

/// How long the server may take to migrate and start listening.
const START_TIMEOUT: Duration = Duration::from_secs(60);

pub struct TestServer {
    child: Child,
    /// Where the server writes its mails (`.eml` files), unless a test names another.
    pub mail_dir: tempfile::TempDir,
    /// Uploaded files (the local storage).
    pub files_dir: tempfile::TempDir,
    pub base_url: String,
    /// Every log line the server wrote, for assertions and for failure reports.
    logs: Arc<Mutex<Vec<String>>>,
    pub database: TestDatabase,
}

/// The workspace root (this crate lives one level below it).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// `target/<profile>/madoguchi`, beside the test executable's `deps/` directory.
fn binary() -> PathBuf {
    let test_executable = std::env::current_exe().expect("test executable path");
    let profile_dir = test_executable
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile> directory");
    let binary = profile_dir.join(format!("madoguchi{}", std::env::consts::EXE_SUFFIX));
    assert!(
        binary.is_file(),
        "{} is missing: build it with `cargo build -p madoguchi-api` (`cargo xtask test` does)",
        binary.display()
    );
    binary
}

impl TestServer {
    /// Starts `madoguchi serve --demo` on a fresh database with the built SPA.
    pub fn start() -> Self {
        Self::start_with(TestDatabase::create(), &[])
    }

    pub fn start_with(database: TestDatabase, extra_env: &[(&str, &str)]) -> Self {
        match Self::try_start(database, extra_env) {
            Ok(server) => server,
            Err(logs) => {
                panic!("the server did not start listening within {START_TIMEOUT:?}; its log:\n{logs}")
            }
        }
    }

    /// Starts the server expecting it to refuse: its exit status (`None`: it was still
    /// running after the start-up timeout, and was killed) and its log.
    pub fn expect_refusal(extra_env: &[(&str, &str)]) -> (Option<std::process::ExitStatus>, String) {
        let database = TestDatabase::create();
        let mail_dir = tempfile::tempdir().expect("mail dir");
        let files_dir = tempfile::tempdir().expect("files dir");
        let mut child = Self::command(&database, mail_dir.path(), files_dir.path(), extra_env)
            .spawn()
            .expect("start the madoguchi binary");
        let deadline = std::time::Instant::now() + START_TIMEOUT;
        let status = loop {
            if let Ok(Some(status)) = child.try_wait() {
                break Some(status);
            }
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let mut log = String::new();
        if let Some(mut stderr) = child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut stderr, &mut log);
        }
        (status, log)
    }

    fn command(
        database: &TestDatabase,
        mail_dir: &std::path::Path,
        files_dir: &std::path::Path,
        extra_env: &[(&str, &str)],
    ) -> Command {
        let mut command = Command::new(binary());
        command
            .args(["serve", "--demo"])
            .current_dir(workspace_root())
            .env_remove("RUST_LOG")
            .env("MADOGUCHI_CONFIG", "/nonexistent/madoguchi.toml")
            .env("MADOGUCHI_HOST", "127.0.0.1")
            .env("MADOGUCHI_PORT", "0")
            .env("MADOGUCHI_WORKERS", "2")
            .env("MADOGUCHI_DATABASE_URL", database.url())
            .env("MADOGUCHI_DATABASE_POOL_SIZE", "4")
            .env("MADOGUCHI_WEB_DIR", workspace_root().join("web").join("dist"))
            .env("MADOGUCHI_LOG_FORMAT", "json")
            .env("MADOGUCHI_LOG", "info")
            .env("MADOGUCHI_MAIL_DIR", mail_dir)
            .env("MADOGUCHI_STORAGE_DIR", files_dir)
            .env("MADOGUCHI_MAIL_POLL_INTERVAL_MS", "100")
            // Required with PostgreSQL; every instance of a scale-out test shares it.
            .env(
                "MADOGUCHI_PBX_SECRET_KEY",
                "e2e-key-that-seals-the-pbx-passwords-01234",
            )
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (key, value) in extra_env {
            command.env(key, value);
        }
        command
    }

    /// Starts the server; `Err` with its log if it does not start listening.
    pub fn try_start(database: TestDatabase, extra_env: &[(&str, &str)]) -> Result<Self, String> {
        let mail_dir = tempfile::tempdir().expect("mail dir");
        let files_dir = tempfile::tempdir().expect("files dir");
        let mut child = Self::command(&database, mail_dir.path(), files_dir.path(), extra_env)
            .spawn()
            .expect("start the madoguchi binary");
        let stderr = child.stderr.take().expect("piped stderr");
        let logs = Arc::new(Mutex::new(Vec::new()));
        let (address_tx, address_rx) = mpsc::channel();
        let collected = Arc::clone(&logs);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(address) = listening_address(&line) {
                    let _ = address_tx.send(address);
                }
                if let Ok(mut logs) = collected.lock() {
                    logs.push(line);
                }
            }
        });
        let base_url = match address_rx.recv_timeout(START_TIMEOUT) {
            Ok(address) => address,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(logs.lock().map(|logs| logs.join("\n")).unwrap_or_default());
            }
        };
        Ok(Self {
            child,
            mail_dir,
            files_dir,
            base_url,
            logs,
            database,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    pub fn logs(&self) -> Vec<String> {
        self.logs.lock().map(|logs| logs.clone()).unwrap_or_default()
    }

    /// Kills the process at once (SIGKILL: no shutdown, no flushing) and hands back its
    /// database, to start another server on it.
    pub fn crash(mut self) -> TestDatabase {
        let _ = self.child.kill();
        let _ = self.child.wait();
        std::mem::replace(&mut self.database, TestDatabase::placeholder())
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the process to exit by itself; `None` if it is still running after `timeout`.
    pub fn wait_for_exit(&mut self, timeout: Duration) -> Option<std::process::ExitStatus> {
        let deadline = std::time::Instant::now() + timeout;
        while std::time::Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The server logs `{"message":"listening","address":"http://…"}` once bound.
fn listening_address(line: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(line).ok()?;
    if value.get("message")?.as_str()? != "listening" {
        return None;
    }
    value.get("address")?.as_str().map(str::to_owned)
}
