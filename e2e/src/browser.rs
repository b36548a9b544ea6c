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
/// How long a fresh page load may take to start the app.
const LOAD_WAIT: Duration = Duration::from_secs(90);

/// axe-core, vendored (MPL-2.0, `assets/axe-core.LICENSE`): the suite downloads nothing.
const AXE: &str = include_str!("../assets/axe.min.js");

/// The widths every page is checked at: a desktop and a phone (390 × 844, an iPhone 14).
const WIDTHS: [(&str, u32, u32); 2] = [("desktop", 1280, 900), ("phone", 390, 844)];

pub struct Browser {
    pub driver: WebDriver,
    chromedriver: Child,
    _profile: tempfile::TempDir,
    base_url: String,
    /// Where [`Browser::check_page`] saves its screenshots.
    screenshots: std::path::PathBuf,
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
            screenshots: screenshot_dir(),
        })
    }

    /// Checks the page shown now, at desktop and at phone width: no `serious` or
    /// `critical` accessibility violation (axe-core), and a screenshot of each width saved
    /// as `<name>-<width>.png` for a reviewer. Returns to the desktop width.
    pub async fn check_page(&self, name: &str) -> anyhow::Result<()> {
        let mut problems = Vec::new();
        for (width_name, width, height) in WIDTHS {
            self.driver.set_window_rect(0, 0, width, height).await?;
            // Let the layout settle (media queries, the menu collapsing).
            tokio::time::sleep(Duration::from_millis(400)).await;
            problems.extend(
                self.axe_violations()
                    .await?
                    .into_iter()
                    .map(|problem| format!("[{width_name}] {problem}")),
            );
            std::fs::create_dir_all(&self.screenshots)?;
            let file = self.screenshots.join(format!("{name}-{width_name}.png"));
            self.driver.screenshot(&file).await?;
        }
        self.driver
            .set_window_rect(0, 0, WIDTHS[0].1, WIDTHS[0].2)
            .await?;
        anyhow::ensure!(
            problems.is_empty(),
            "accessibility violations on {name}:\n{}",
            problems.join("\n")
        );
        Ok(())
    }

    /// Serious and critical axe-core violations of the current page.
    async fn axe_violations(&self) -> anyhow::Result<Vec<String>> {
        self.driver.execute(AXE, Vec::new()).await?;
        let script = r#"
            const done = arguments[arguments.length - 1];
            axe.run(document, { resultTypes: ["violations"] })
              .then((results) => done(JSON.stringify(results.violations
                .filter((v) => v.impact === "serious" || v.impact === "critical")
                .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 5).map((n) => n.target.join(" ")).join(" | ")}`))))
              .catch((error) => done(JSON.stringify(["axe failed: " + error])));
        "#;
        let result = self.driver.execute_async(script, Vec::new()).await?;
        let text: String = result.convert()?;
        Ok(serde_json::from_str(&text)?)
    }

    /// Shows the page at phone width (until [`Browser::desktop`]).
    pub async fn phone(&self) -> anyhow::Result<()> {
        self.driver
            .set_window_rect(0, 0, WIDTHS[1].1, WIDTHS[1].2)
            .await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        Ok(())
    }

    pub async fn desktop(&self) -> anyhow::Result<()> {
        self.driver
            .set_window_rect(0, 0, WIDTHS[0].1, WIDTHS[0].2)
            .await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        Ok(())
    }

    /// Runs `script` in the page and returns what it returns (as JSON).
    pub async fn run_script(&self, script: &str) -> anyhow::Result<serde_json::Value> {
        Ok(self.driver.execute(script, Vec::new()).await?.json().clone())
    }

    /// Whether an element matching `css` is displayed now.
    pub async fn is_displayed(&self, css: &str) -> anyhow::Result<bool> {
        match self.driver.find(By::Css(css)).await {
            Ok(element) => Ok(element.is_displayed().await.unwrap_or(false)),
            Err(_) => Ok(false),
        }
    }

    /// Whether the element matching `css` is enabled (a button one can press).
    pub async fn is_enabled(&self, css: &str) -> anyhow::Result<bool> {
        Ok(self.driver.find(By::Css(css)).await?.is_enabled().await?)
    }

    /// Waits until no element matches `css` (or none is displayed).
    pub async fn wait_gone(&self, css: &str) -> anyhow::Result<()> {
        let deadline = Instant::now() + WAIT;
        while Instant::now() < deadline {
            if !self.is_displayed(css).await? {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::bail!("`{css}` is still shown")
    }

    /// Waits for the path (and query) to be `expected`.
    pub async fn wait_for_path(&self, expected: &str) -> anyhow::Result<()> {
        let deadline = Instant::now() + WAIT;
        let mut last = String::new();
        while Instant::now() < deadline {
            last = self.path().await?;
            if last == expected {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::bail!("path never became {expected:?}; last seen {last:?}")
    }

    /// The element that has the focus: its tag and text.
    pub async fn focused(&self) -> anyhow::Result<String> {
        let value = self
            .driver
            .execute("const e = document.activeElement; return e ? e.tagName + ' ' + (e.getAttribute('name') || e.textContent.trim()) : '';", Vec::new())
            .await?;
        Ok(value.convert()?)
    }

    /// Waits until the focused element (as [`Browser::focused`] describes it) contains
    /// `expected`: the app moves the focus after the next frame.
    pub async fn wait_for_focus(&self, expected: &str) -> anyhow::Result<()> {
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut last = String::new();
        while Instant::now() < deadline {
            last = self.focused().await?;
            if last.contains(expected) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        anyhow::bail!("the focus never reached {expected:?}; last on {last:?}")
    }

    /// The document's title.
    pub async fn title(&self) -> anyhow::Result<String> {
        Ok(self.driver.title().await?)
    }

    /// Presses a key in the focused element (`Key::Down`, …).
    pub async fn press(&self, css: &str, keys: &str) -> anyhow::Result<()> {
        let keys = keys.to_owned();
        self.with_element(css, move |element| {
            let keys = keys.clone();
            async move { element.send_keys(keys).await }
        })
        .await
    }

    /// Chooses the option with `value` in the select matching `css` (as a user picking it).
    pub async fn select(&self, css: &str, value: &str) -> anyhow::Result<()> {
        let element = self
            .driver
            .query(By::Css(css))
            .wait(WAIT, Duration::from_millis(100))
            .first()
            .await?;
        let script = "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', { bubbles: true }));";
        self.driver
            .execute(
                script,
                vec![element.to_json()?, serde_json::Value::String(value.to_owned())],
            )
            .await?;
        Ok(())
    }

    /// Chooses the first option whose text contains `text` in the select matching `css`,
    /// waiting for such an option to appear (options loaded from the API).
    pub async fn select_containing(&self, css: &str, text: &str) -> anyhow::Result<()> {
        let script = r#"
            const select = document.querySelector(arguments[0]);
            const option = select && [...select.options].find((o) => o.textContent.includes(arguments[1]));
            if (!option) { return false; }
            select.value = option.value;
            select.dispatchEvent(new Event('change', { bubbles: true }));
            return true;
        "#;
        let deadline = Instant::now() + WAIT;
        while Instant::now() < deadline {
            let args = vec![
                serde_json::Value::String(css.to_owned()),
                serde_json::Value::String(text.to_owned()),
            ];
            if self.driver.execute(script, args).await?.convert::<bool>()? {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::bail!("`{css}` never offered an option containing {text:?}")
    }

    /// The value of an input or select.
    pub async fn value(&self, css: &str) -> anyhow::Result<String> {
        let element = self
            .driver
            .query(By::Css(css))
            .wait(WAIT, Duration::from_millis(100))
            .first()
            .await?;
        Ok(element.prop("value").await?.unwrap_or_default())
    }

    /// Loads `path` afresh and waits until the app has started (its splash gone, its
    /// `main` there). Fetching and compiling the WASM bundle is the slowest step of a
    /// scenario and slower still on a machine busy with other tests: it gets its own, longer
    /// wait, so that [`WAIT`] measures the app, not the load.
    pub async fn open(&self, path: &str) -> anyhow::Result<()> {
        self.driver.goto(format!("{}{path}", self.base_url)).await?;
        let deadline = Instant::now() + LOAD_WAIT;
        loop {
            let started = self
                .driver
                .execute(
                    "return document.getElementById('splash') === null && document.getElementById('main') !== null;",
                    Vec::new(),
                )
                .await
                .ok()
                .and_then(|ret| ret.json().as_bool())
                .unwrap_or(false);
            if started {
                return Ok(());
            }
            anyhow::ensure!(
                Instant::now() < deadline,
                "the app did not start within {LOAD_WAIT:?} at {path}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
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

    /// Waits until the element matching `css` exists and its text no longer contains
    /// `gone` (a list narrowing after a search); returns the text.
    pub async fn wait_for_text_without(&self, css: &str, gone: &str) -> anyhow::Result<String> {
        let deadline = Instant::now() + WAIT;
        let mut last_seen = String::from("<no element>");
        while Instant::now() < deadline {
            if let Ok(element) = self.driver.find(By::Css(css)).await
                && let Ok(text) = element.text().await
            {
                if !text.contains(gone) {
                    return Ok(text);
                }
                last_seen = text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::bail!("`{css}` still contains {gone:?}; last seen: {last_seen:?}")
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

    /// Slows what the page sends to `bytes_per_second` (Chromium's network emulation), or
    /// lifts the limit with `None`: an upload lasts long enough to pause it.
    pub async fn throttle_uploads(&self, bytes_per_second: Option<u32>) -> anyhow::Result<()> {
        let cdp = self.driver.cdp();
        cdp.send_raw("Network.enable", serde_json::json!({})).await?;
        cdp.send_raw(
            "Network.emulateNetworkConditions",
            serde_json::json!({
                "offline": false,
                "latency": 0,
                "downloadThroughput": -1,
                "uploadThroughput": bytes_per_second.map_or(-1, i64::from),
            }),
        )
        .await?;
        Ok(())
    }

    /// Sets a date input to `date` (`YYYY-MM-DD`) as a picker would: typing into one
    /// depends on the browser's locale (month or day first).
    pub async fn set_date(&self, css: &str, date: &str) -> anyhow::Result<()> {
        let element = self
            .driver
            .query(By::Css(css))
            .wait(WAIT, Duration::from_millis(100))
            .first()
            .await?;
        self.driver
            .execute(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', { bubbles: true }));",
                vec![element.to_json()?, serde_json::json!(date)],
            )
            .await
            .with_context(|| format!("setting the date of {css}"))?;
        Ok(())
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

/// `target/browser-screenshots/<backend>/`.
fn screenshot_dir() -> std::path::PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| crate::server::workspace_root().join("target"));
    target
        .join("browser-screenshots")
        .join(crate::Backend::under_test().health_name())
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}
