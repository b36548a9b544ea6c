//! A real S3-compatible server for the storage tests: moto's server (from PyPI, installed
//! by `cargo xtask setup` under `target/tools/s3-server`) on a free port, with one bucket.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::server::workspace_root;

/// `target/tools/<name>` (or under `CARGO_TARGET_DIR`).
pub fn tool_dir(name: &str) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
        .join("tools")
        .join(name)
}

pub struct S3Server {
    child: Child,
    pub endpoint: String,
    pub bucket: String,
}

impl S3Server {
    /// Starts the server and creates `bucket`; panics with a hint when moto is missing.
    pub async fn start(bucket: &str) -> Self {
        let binary = tool_dir("s3-server").join("bin").join("moto_server");
        assert!(
            binary.is_file(),
            "{} is missing: run `cargo xtask setup`",
            binary.display()
        );
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(&binary)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server starts");
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "moto_server did not listen within 30 s"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let endpoint = format!("http://127.0.0.1:{port}");
        // moto takes unsigned requests: create the bucket as an operator would.
        let created = reqwest::Client::new()
            .put(format!("{endpoint}/{bucket}"))
            .send()
            .await
            .expect("create bucket");
        assert!(created.status().is_success(), "bucket: {}", created.status());
        Self {
            child,
            endpoint,
            bucket: bucket.to_owned(),
        }
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
