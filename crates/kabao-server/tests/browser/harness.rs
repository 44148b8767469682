//! Drives Debian's Chromium headless through chromedriver (WebDriver, via
//! fantoccini): one fresh profile per test, phone-sized window, full-page
//! screenshots under `target/browser-screenshots/`, and the check that a
//! page loaded nothing from outside kabao.

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::process::{Child, Command};

/// The phone-sized window (a common Android viewport).
const WIDTH: u32 = 412;
const HEIGHT: u32 = 915;

/// A headless Chromium session, its chromedriver and its profile.
pub struct Browser {
    /// The WebDriver session.
    pub client: Client,
    flow: String,
    _driver: Child,
    _profile: tempfile::TempDir,
}

/// Where a program is: `$env` if set, else the first `name` on PATH.
fn program(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(env) {
        return Some(PathBuf::from(path)).filter(|p| p.exists());
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// Chromium and chromedriver, when installed.
fn tools() -> Option<(PathBuf, PathBuf)> {
    let chromium = program("KABAO_CHROMIUM", &["chromium", "chromium-browser"])?;
    let driver = program("KABAO_CHROMEDRIVER", &["chromedriver"])?;
    Some((chromium, driver))
}

/// Where the screenshots go (not committed: under `target/`).
pub fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("browser-screenshots")
}

/// A free loopback port (released for chromedriver to take).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Browser {
    /// Starts chromedriver and a headless Chromium for `flow`; None (the
    /// test then skips, saying why) only when they are not installed on a
    /// developer's machine. On CI (`CI` set) a missing browser fails.
    pub async fn start(flow: &str) -> Option<Self> {
        let Some((chromium, driver)) = tools() else {
            assert!(
                std::env::var_os("CI").is_none(),
                "chromium and chromedriver must be installed on CI (.ci/run installs them)"
            );
            eprintln!(
                "SKIPPED browser test {flow}: chromium and chromedriver are not installed \
                 (apt-get install chromium chromium-driver)"
            );
            return None;
        };
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        let profile = tempfile::tempdir().unwrap();
        let port = free_port();
        let log = std::fs::File::create(profile.path().join("chromedriver.log")).unwrap();
        // Chromium's config (and crash database) inside the profile, so
        // every process it starts names the profile and nothing is left
        // in the user's home.
        let driver = Command::new(&driver)
            .arg(format!("--port={port}"))
            .env("XDG_CONFIG_HOME", profile.path())
            .env("XDG_CACHE_HOME", profile.path())
            .stdout(std::process::Stdio::null())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .expect("chromedriver starts");
        wait_for_port(port).await;
        let user_data = profile.path().join("chromium-profile");
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    format!("--user-data-dir={}", user_data.display()),
                    format!("--window-size={WIDTH},{HEIGHT}"),
                ],
            },
        });
        let Value::Object(caps) = caps else {
            unreachable!()
        };
        let client = ClientBuilder::rustls()
            .unwrap()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a Chromium session through chromedriver");
        std::fs::create_dir_all(screenshot_dir()).unwrap();
        Some(Self {
            client,
            flow: flow.to_owned(),
            _driver: driver,
            _profile: profile,
        })
    }

    /// Opens `url`, checks it loaded only from `base` and styled with
    /// kabao's stylesheet, saves a screenshot `shot`; the page source.
    pub async fn visit(&self, base: &str, url: &str, shot: &str) -> String {
        self.client.goto(url).await.unwrap();
        self.check_page(base, shot).await
    }

    /// Checks the page now shown (see [`Browser::visit`]).
    pub async fn check_page(&self, base: &str, shot: &str) -> String {
        self.assert_local(base).await;
        let background = self
            .script("return getComputedStyle(document.body).backgroundColor")
            .await;
        assert_eq!(
            background, "rgb(242, 242, 242)",
            "{shot}: kabao's stylesheet applies"
        );
        self.screenshot(shot).await;
        self.client.source().await.unwrap()
    }

    /// Every resource the page loaded or links to load came from `base`
    /// (or is inline `data:`).
    pub async fn assert_local(&self, base: &str) {
        let urls = self
            .client
            .execute(
                "const urls = performance.getEntriesByType('resource').map(e => e.name);
                 document.querySelectorAll('[src]').forEach(e => urls.push(e.src));
                 document.querySelectorAll('link[href]').forEach(e => urls.push(e.href));
                 return urls;",
                vec![],
            )
            .await
            .unwrap();
        for url in urls.as_array().unwrap() {
            let url = url.as_str().unwrap();
            assert!(
                url.starts_with(base) || url.starts_with("data:"),
                "the page loaded {url} from outside kabao"
            );
        }
    }

    /// Runs `script` and returns its result as text.
    pub async fn script(&self, script: &str) -> String {
        match self.client.execute(script, vec![]).await.unwrap() {
            Value::String(s) => s,
            other => other.to_string(),
        }
    }

    /// Saves a full-page screenshot as `<flow>-<name>.png` (the window
    /// grows to the page's height for the shot).
    pub async fn screenshot(&self, name: &str) {
        let sizes = self
            .client
            .execute(
                "return [Math.ceil(document.documentElement.getBoundingClientRect().height),
                         window.outerHeight - window.innerHeight]",
                vec![],
            )
            .await
            .unwrap();
        let number = |i: usize| sizes[i].as_u64().unwrap_or(0) as u32;
        let height = (number(0).clamp(300, 6000)) + number(1);
        self.client.set_window_size(WIDTH, height).await.unwrap();
        let png = self.client.screenshot().await.unwrap();
        self.client.set_window_size(WIDTH, HEIGHT).await.unwrap();
        let path = screenshot_dir().join(format!("{}-{name}.png", self.flow));
        std::fs::write(&path, png).unwrap();
    }

    /// The element matching `css`, waiting for it (a page still loading).
    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css}: {e}"))
    }

    /// Types `text` into the input `#id` (after clearing it).
    pub async fn fill(&self, id: &str, text: &str) {
        let input = self.find(&format!("#{id}")).await;
        input.clear().await.unwrap();
        input.send_keys(text).await.unwrap();
    }

    /// Chooses `value` in the select `#id`.
    pub async fn choose(&self, id: &str, value: &str) {
        self.find(&format!("#{id}"))
            .await
            .select_by_value(value)
            .await
            .unwrap();
    }

    /// The current value of the input or select `#id`.
    pub async fn value(&self, id: &str) -> String {
        self.find(&format!("#{id}"))
            .await
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default()
    }

    /// Clicks `css` and waits until the browser is on a page whose URL
    /// differs from before or whose body was replaced.
    pub async fn click_and_wait(&self, css: &str) {
        self.client
            .execute("document.body.dataset.kabaoOld = '1'", vec![])
            .await
            .unwrap();
        self.find(css).await.click().await.unwrap();
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css("body:not([data-kabao-old])"))
            .await
            .expect("a new page after the click");
    }

    /// Fetches `href` from inside the page: the content type and the
    /// first bytes as text (what the browser would open).
    pub async fn fetch_head(&self, href: &str) -> (String, String) {
        let answer = self
            .client
            .execute_async(
                "const [href, done] = arguments;
                 fetch(href).then(async r => {
                   const bytes = new Uint8Array(await r.arrayBuffer()).slice(0, 8);
                   done([r.status, r.headers.get('content-type'), String.fromCharCode(...bytes)]);
                 }).catch(e => done([0, String(e), '']));",
                vec![json!(href)],
            )
            .await
            .unwrap();
        assert_eq!(answer[0], 200, "{href}: {answer}");
        (
            answer[1].as_str().unwrap_or_default().to_owned(),
            answer[2].as_str().unwrap_or_default().to_owned(),
        )
    }

    /// Ends the session (the driver and profile go with `self`).
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

impl Drop for Browser {
    /// A test that failed never closed its session: the Chromium processes
    /// of this profile are ended here (chromedriver ends with its handle).
    fn drop(&mut self) {
        end_profile_processes(self._profile.path());
    }
}

/// Kills, by id, every process whose command line names `profile` (the
/// Chromium processes this test started, and only those).
fn end_profile_processes(profile: &Path) {
    let needle = profile.to_string_lossy().into_owned();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if pid == std::process::id() {
            continue;
        }
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        if String::from_utf8_lossy(&cmdline).contains(&needle) {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        }
    }
}

async fn wait_for_port(port: u16) {
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("chromedriver did not listen on {port}");
}
