//! Headless Debian Chromium, driven through Debian's ChromeDriver with thirtyfour.
//! Nothing is downloaded: `cargo xtask setup` installs both from Debian's packages.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;
use thirtyfour::error::WebDriverErrorInner;
use thirtyfour::prelude::*;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// Client-side rendering needs a moment after navigation; this bounds every wait.
const WAIT: Duration = Duration::from_secs(20);

pub struct Browser {
    pub driver: WebDriver,
    chromedriver: Child,
    _profile: tempfile::TempDir,
    base_url: String,
}

impl Browser {
    /// Starts ChromeDriver and a fresh headless Chromium profile for pages at `base_url`.
    pub async fn start(base_url: &str) -> anyhow::Result<Self> {
        for required in [CHROMIUM, CHROMEDRIVER] {
            anyhow::ensure!(
                std::path::Path::new(required).exists(),
                "{required} is missing: run `cargo xtask setup` (installs chromium and chromium-driver)"
            );
        }
        let port = free_port()?;
        // Its own process group: Chromium, which ChromeDriver starts, is in it too, so that
        // a failed test that never reaches `quit` leaves no browser running.
        let chromedriver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .process_group(0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let profile = tempfile::tempdir()?;
        let mut capabilities = DesiredCapabilities::chrome();
        capabilities.set_binary(CHROMIUM)?;
        for arg in [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1280,900",
        ] {
            capabilities.add_arg(arg)?;
        }
        capabilities.add_arg(&format!("--user-data-dir={}", profile.path().display()))?;

        let driver_url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + WAIT;
        let driver = loop {
            match WebDriver::new(&driver_url, capabilities.clone()).await {
                Ok(driver) => break driver,
                Err(error) if Instant::now() > deadline => {
                    anyhow::bail!("ChromeDriver did not start a session: {error}")
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        };
        Ok(Self {
            driver,
            chromedriver,
            _profile: profile,
            base_url: base_url.trim_end_matches('/').to_owned(),
        })
    }

    pub async fn open(&self, path: &str) -> anyhow::Result<()> {
        self.driver.goto(format!("{}{path}", self.base_url)).await?;
        Ok(())
    }

    /// Waits until the element matching `css` exists and its text contains `expected`;
    /// returns the text. Fails with the text last seen.
    pub async fn wait_for_text(&self, css: &str, expected: &str) -> anyhow::Result<String> {
        let deadline = Instant::now() + WAIT;
        let mut last_seen = String::from("<no element>");
        while Instant::now() < deadline {
            if let Ok(element) = self.driver.find(By::Css(css)).await
                && let Ok(text) = element.text().await
            {
                if text.contains(expected) {
                    return Ok(text);
                }
                last_seen = text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::bail!("`{css}` never contained {expected:?}; last seen: {last_seen:?}")
    }

    /// Types `text` into the input matching `css` (after clearing it).
    pub async fn fill(&self, css: &str, text: &str) -> anyhow::Result<()> {
        self.with_element(css, |element| async move {
            element.clear().await?;
            element.send_keys(text).await
        })
        .await
        .with_context(|| format!("typing into {css}"))
    }

    /// Runs `action` on the element matching `css`. The app re-renders as data arrives, so
    /// an element found a moment ago may be gone: then it is looked up again.
    async fn with_element<F, Fut>(&self, css: &str, action: F) -> anyhow::Result<()>
    where
        F: Fn(WebElement) -> Fut,
        Fut: std::future::Future<Output = WebDriverResult<()>>,
    {
        let deadline = Instant::now() + WAIT;
        loop {
            let element = self
                .driver
                .query(By::Css(css))
                .wait(WAIT, Duration::from_millis(100))
                .first()
                .await?;
            match action(element).await {
                Ok(()) => return Ok(()),
                Err(error)
                    if Instant::now() < deadline
                        && matches!(error.as_inner(), WebDriverErrorInner::StaleElementReference(_)) =>
                {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(error) => return Err(error.into()),
            }
        }
    }

    /// The current URL's path and query.
    pub async fn path(&self) -> anyhow::Result<String> {
        let url = self.driver.current_url().await?;
        Ok(url.as_str().trim_start_matches(&self.base_url).to_owned())
    }

    pub async fn click(&self, css: &str) -> anyhow::Result<()> {
        self.with_element(css, |element| async move { element.click().await })
            .await
            .with_context(|| format!("clicking {css}"))
    }

    /// An attribute of the document's root element (e.g. `lang`).
    pub async fn root_attribute(&self, name: &str) -> anyhow::Result<Option<String>> {
        let root = self.driver.find(By::Css("html")).await?;
        Ok(root.attr(name).await?)
    }

    /// Ends the session; dropping `self` then ends ChromeDriver.
    pub async fn quit(self) -> anyhow::Result<()> {
        self.driver.clone().quit().await?;
        Ok(())
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // The whole group: ChromeDriver and every Chromium process it started.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.chromedriver.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.chromedriver.wait();
    }
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}
