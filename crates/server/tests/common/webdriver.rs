//! A small W3C WebDriver client over chromedriver and Debian's headless Chromium: enough to
//! click through the platform as a person does (type, upload a file, press buttons, read the
//! page, take screenshots, download a file).

use base64::Engine;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// chromedriver and chromium as scripts/setup installs them (or `JUESUAN_CHROMEDRIVER` /
/// `JUESUAN_CHROMIUM`).
fn tool(env: &str, default: &str) -> PathBuf {
    std::env::var_os(env)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default))
}

pub struct Browser {
    driver: Child,
    http: reqwest::Client,
    session: String,
    pub downloads: PathBuf,
    shots: PathBuf,
    shot_no: usize,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    /// Ends the browser session (Chromium exits with it), also when a test panicked, then the
    /// driver. A plain blocking request: Drop cannot await.
    fn drop(&mut self) {
        use std::io::{Read, Write};
        if let Some(rest) = self.session.strip_prefix("http://") {
            if let Some((host, path)) = rest.split_once('/') {
                if let Ok(mut tcp) = std::net::TcpStream::connect(host) {
                    let _ = tcp.set_read_timeout(Some(Duration::from_secs(10)));
                    let _ = write!(
                        tcp,
                        "DELETE /{path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    );
                    let _ = tcp.read_to_end(&mut Vec::new());
                }
            }
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Browser {
    /// Starts chromedriver on a free loopback port and one headless Chromium session.
    /// Screenshots go to `shots` (numbered in order).
    pub async fn start(shots: &Path) -> Browser {
        let chromedriver = tool("JUESUAN_CHROMEDRIVER", "/usr/bin/chromedriver");
        let chromium = tool("JUESUAN_CHROMIUM", "/usr/bin/chromium");
        assert!(
            chromedriver.is_file() && chromium.is_file(),
            "the browser test needs {} and {}: run ./scripts/setup (Debian packages chromium, chromium-driver)",
            chromedriver.display(),
            chromium.display()
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let http = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{port}");
        let t0 = Instant::now();
        loop {
            if let Ok(r) = http.get(format!("{base}/status")).send().await {
                let v: Value = serde_json::from_slice(&r.bytes().await.unwrap()).unwrap();
                if v["value"]["ready"] == json!(true) {
                    break;
                }
            }
            assert!(
                t0.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let downloads = profile.path().join("downloads");
        std::fs::create_dir_all(&downloads).unwrap();
        std::fs::create_dir_all(shots).unwrap();
        // The flags keep Chromium off the network this machine does not have.
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1280,1400", "--lang=zh-CN",
                    format!("--user-data-dir={}", profile.path().join("profile").display()),
                ],
                "prefs": {
                    "download.default_directory": downloads,
                    "download.prompt_for_download": false,
                    "plugins.always_open_pdf_externally": true,
                },
            },
        }}});
        let r = http
            .post(format!("{base}/session"))
            .body(caps.to_string())
            .send()
            .await
            .unwrap();
        let v: Value = serde_json::from_slice(&r.bytes().await.unwrap()).unwrap();
        let id = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no browser session: {v}"))
            .to_string();
        let b = Browser {
            driver,
            http,
            session: format!("{base}/session/{id}"),
            downloads,
            shots: shots.to_path_buf(),
            shot_no: 0,
            _profile: profile,
        };
        b.cmd(
            "POST",
            "/goog/cdp/execute",
            json!({"cmd": "Browser.setDownloadBehavior", "params": {
                "behavior": "allow", "downloadPath": b.downloads, "eventsEnabled": false}}),
        )
        .await;
        b
    }

    async fn try_cmd(&self, method: &str, path: &str, body: Value) -> Result<Value, Value> {
        let url = format!("{}{path}", self.session);
        let req = match method {
            "GET" => self.http.get(url),
            "DELETE" => self.http.delete(url),
            _ => self.http.post(url).body(body.to_string()),
        };
        let r = req.send().await.unwrap();
        let ok = r.status().is_success();
        let v: Value = serde_json::from_slice(&r.bytes().await.unwrap()).unwrap();
        if ok {
            Ok(v["value"].clone())
        } else {
            Err(v["value"].clone())
        }
    }

    async fn cmd(&self, method: &str, path: &str, body: Value) -> Value {
        self.try_cmd(method, path, body)
            .await
            .unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"))
    }

    pub async fn goto(&self, url: &str) {
        self.cmd("POST", "/url", json!({ "url": url })).await;
    }

    pub async fn url(&self) -> String {
        self.cmd("GET", "/url", json!({}))
            .await
            .as_str()
            .unwrap()
            .to_string()
    }

    /// The first element matching `css`, waiting up to 10 s for it to appear.
    pub async fn find(&self, css: &str) -> String {
        self.find_by("css selector", css).await
    }

    /// The first element matching an XPath expression.
    pub async fn find_xpath(&self, xpath: &str) -> String {
        self.find_by("xpath", xpath).await
    }

    async fn find_by(&self, using: &str, value: &str) -> String {
        let t0 = Instant::now();
        loop {
            match self
                .try_cmd(
                    "POST",
                    "/element",
                    json!({ "using": using, "value": value }),
                )
                .await
            {
                Ok(v) => return v[ELEMENT].as_str().unwrap().to_string(),
                Err(e) if t0.elapsed() > Duration::from_secs(10) => {
                    panic!(
                        "no element {value} on {}: {e}\n{}",
                        self.url().await,
                        self.text("body").await
                    )
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    pub async fn click(&self, css: &str) {
        let e = self.find(css).await;
        self.cmd("POST", &format!("/element/{e}/click"), json!({}))
            .await;
    }

    pub async fn click_xpath(&self, xpath: &str) {
        let e = self.find_xpath(xpath).await;
        self.cmd("POST", &format!("/element/{e}/click"), json!({}))
            .await;
    }

    /// Clears a field and types `text` into it (for a file input: the file's path).
    pub async fn type_into(&self, element: &str, text: &str) {
        if self
            .cmd(
                "GET",
                &format!("/element/{element}/property/type"),
                json!({}),
            )
            .await
            != json!("file")
        {
            self.cmd("POST", &format!("/element/{element}/clear"), json!({}))
                .await;
        }
        self.cmd(
            "POST",
            &format!("/element/{element}/value"),
            json!({ "text": text }),
        )
        .await;
    }

    pub async fn fill(&self, css: &str, text: &str) {
        let e = self.find(css).await;
        self.type_into(&e, text).await;
    }

    /// The rendered text of the first element matching `css`.
    pub async fn text(&self, css: &str) -> String {
        match self
            .try_cmd(
                "POST",
                "/element",
                json!({ "using": "css selector", "value": css }),
            )
            .await
        {
            Ok(v) => {
                let e = v[ELEMENT].as_str().unwrap().to_string();
                self.cmd("GET", &format!("/element/{e}/text"), json!({}))
                    .await
                    .as_str()
                    .unwrap_or("")
                    .to_string()
            }
            Err(_) => String::new(),
        }
    }

    pub async fn value(&self, element: &str) -> String {
        self.cmd(
            "GET",
            &format!("/element/{element}/property/value"),
            json!({}),
        )
        .await
        .as_str()
        .unwrap_or("")
        .to_string()
    }

    pub async fn attribute(&self, element: &str, name: &str) -> String {
        self.cmd(
            "GET",
            &format!("/element/{element}/attribute/{name}"),
            json!({}),
        )
        .await
        .as_str()
        .unwrap_or("")
        .to_string()
    }

    /// Signs out of everything: a new visitor.
    pub async fn forget_cookies(&self) {
        self.cmd("DELETE", "/cookie", json!({})).await;
    }

    /// A PNG of the window, saved as `NN-name.png`; returns its path.
    pub async fn screenshot(&mut self, name: &str) -> PathBuf {
        let b64 = self.cmd("GET", "/screenshot", json!({})).await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap())
            .unwrap();
        assert!(png.starts_with(b"\x89PNG"));
        self.shot_no += 1;
        let path = self.shots.join(format!("{:02}-{name}.png", self.shot_no));
        std::fs::write(&path, png).unwrap();
        path
    }

    /// Waits for a finished download (no `.crdownload` left) and returns its path.
    pub async fn downloaded(&self, ext: &str) -> PathBuf {
        let t0 = Instant::now();
        loop {
            let done = std::fs::read_dir(&self.downloads)
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|x| x == ext));
            if let Some(p) = done {
                return p;
            }
            assert!(
                t0.elapsed() < Duration::from_secs(60),
                "no .{ext} download in {}",
                self.downloads.display()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}
