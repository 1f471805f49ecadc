//! Load check of `juesuan serve` (not a test; run by bench/serve). Starts the server on
//! 127.0.0.1:0 over a temporary SQLite file with the demo, then:
//! 1. READERS concurrent anonymous readers, each making ROUNDS portal requests: p50/p99/max;
//! 2. EDITORS concurrent editors saving distinct cells of one table through the form (retrying
//!    on 409): every edit must be in the final version (no lost update).
//!
//! Loopback only, bounded in count: `cargo run --release -p juesuan-server --example load --
//! [READERS] [ROUNDS] [EDITORS]`.

use juesuan_server::auth::{create_user, NewUser, Role};
use std::time::{Duration, Instant};

fn csrf(html: &str) -> Option<String> {
    value(html, "csrf")
}

fn value(html: &str, name: &str) -> Option<String> {
    let needle = format!(r#"name="{name}" value=""#);
    let i = html.find(&needle)? + needle.len();
    let j = html[i..].find('"')?;
    Some(html[i..i + j].to_string())
}

struct Session {
    http: reqwest::Client,
    base: String,
    cookie: String,
}

impl Session {
    async fn login(base: &str, user: &str, password: &str) -> Session {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let r = http
            .get(format!("{base}/login"))
            .send()
            .await
            .expect("login page");
        let jc = cookie_of(&r, "jc");
        let token = csrf(&r.text().await.unwrap_or_default()).expect("csrf");
        let r = http
            .post(format!("{base}/login"))
            .header("cookie", format!("jc={jc}"))
            .form(&[("username", user), ("password", password), ("csrf", &token)])
            .send()
            .await
            .expect("login");
        assert_eq!(r.status().as_u16(), 303, "login of {user}");
        let js = cookie_of(&r, "js");
        Session {
            http,
            base: base.to_string(),
            cookie: format!("js={js}"),
        }
    }

    async fn get(&self, path: &str) -> (u16, String) {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .send()
            .await
            .expect("get");
        (r.status().as_u16(), r.text().await.unwrap_or_default())
    }

    async fn post(&self, path: &str, form: &[(String, String)]) -> (u16, String) {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .form(form)
            .send()
            .await
            .expect("post");
        (r.status().as_u16(), r.text().await.unwrap_or_default())
    }
}

fn cookie_of(r: &reqwest::Response, name: &str) -> String {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next()?.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .unwrap_or_default()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let readers = args.first().copied().unwrap_or(200);
    let rounds = args.get(1).copied().unwrap_or(20);
    let editors = args.get(2).copied().unwrap_or(20);

    let dir = tempfile::tempdir().expect("tempdir");
    let config = juesuan_server::Config {
        addr: "127.0.0.1:0".parse().expect("addr"),
        database_url: format!("sqlite:{}", dir.path().join("load.db").display()),
        secure_cookies: false,
        trusted_proxies: Vec::new(),
    };
    let (addr, state, listener) = juesuan_server::bind(&config).await.expect("bind");
    juesuan_server::seed_demo_files(&state.db, juesuan_server::demo_files())
        .await
        .expect("demo");
    let db = state.db.clone();
    tokio::spawn(juesuan_server::run(listener, state));
    let base = format!("http://{addr}");

    // 1. Readers.
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(readers)
        .build()
        .expect("client");
    let index = http
        .get(format!("{base}/"))
        .send()
        .await
        .expect("index")
        .text()
        .await
        .unwrap_or_default();
    let id = index
        .split("href=\"/p/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a published disclosure")
        .to_string();
    let pages = [
        "/".to_string(),
        "/?q=%E8%B5%A4%E5%B3%B0&year=2024".to_string(),
        format!("/p/{id}"),
        format!("/p/{id}/document"),
        format!("/p/{id}/download/csv"),
    ];
    for p in &pages {
        http.get(format!("{base}{p}"))
            .send()
            .await
            .expect("warm-up");
    }
    let start = Instant::now();
    let mut tasks = Vec::new();
    for r in 0..readers {
        let http = http.clone();
        let base = base.clone();
        let pages = pages.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut bad = 0;
            for i in 0..rounds {
                let p = &pages[(r + i) % pages.len()];
                let t = Instant::now();
                match http.get(format!("{base}{p}")).send().await {
                    Ok(resp) if resp.status().is_success() => {
                        let _ = resp.bytes().await;
                    }
                    _ => bad += 1,
                }
                lat.push(t.elapsed());
            }
            (lat, bad)
        }));
    }
    let mut all = Vec::new();
    let mut failed = 0;
    for t in tasks {
        let (l, b) = t.await.expect("reader");
        all.extend(l);
        failed += b;
    }
    let wall = start.elapsed();
    all.sort();
    println!(
        "portal: {readers} concurrent readers × {rounds} requests = {} requests in {:.2} s ({:.0}/s), failed {failed}; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        all.len(),
        wall.as_secs_f64(),
        all.len() as f64 / wall.as_secs_f64(),
        percentile(&all, 0.50).as_secs_f64() * 1e3,
        percentile(&all, 0.99).as_secs_f64() * 1e3,
        all.last().map_or(0.0, |d| d.as_secs_f64() * 1e3),
    );

    // 2. Editors: a draft dataset of a second department, edited by EDITORS sessions at once.
    let dept = juesuan_server::create_department(&db, "压力测试局", "内蒙古自治区赤峰市")
        .await
        .expect("department");
    let password = "load-test-password";
    create_user(
        &db,
        &NewUser {
            username: "load-dept",
            password,
            role: Role::Dept,
            dept_id: dept,
            unit_key: "",
            region: "",
            display_name: "压力测试",
        },
        false,
    )
    .await
    .expect("user");
    let files = juesuan_server::demo_files();
    let maker = Session::login(&base, "load-dept", password).await;
    let _ = maker.get("/work").await;
    let ds = juesuan_server::create_dataset(
        &db,
        dept,
        2024,
        juesuan_model::DocKind::Final,
        "压力测试局",
        &files,
        None,
    )
    .await
    .expect("dataset")
    .expect("new dataset");
    let path = format!("/work/d/{ds}/table/benji/t3");
    let (_, page) = maker.get(&path).await;
    let rows = page.matches("<tr>").count().saturating_sub(1);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for e in 0..editors {
        let s = Session::login(&base, "load-dept", password).await;
        let path = path.clone();
        tasks.push(tokio::spawn(async move {
            // Editor e writes its own cell: row e (mod rows), column 2 (本年支出合计).
            let (r, c) = (e % rows.max(1), 2 + e / rows.max(1));
            let val = format!("{}.{:02}", 100 + e, e);
            let mut conflicts = 0;
            for _attempt in 0..200 {
                let (_, page) = s.get(&path).await;
                let (Some(token), Some(base)) = (csrf(&page), value(&page, "base")) else {
                    return (conflicts, false);
                };
                let form = vec![
                    ("csrf".to_string(), token),
                    ("base".to_string(), base),
                    (format!("c{r}_{c}"), val.clone()),
                ];
                let (status, _) = s.post(&path, &form).await;
                match status {
                    303 => return (conflicts, true),
                    409 => conflicts += 1,
                    _ => return (conflicts, false),
                }
            }
            (conflicts, false)
        }));
    }
    let mut conflicts = 0;
    let mut saved = 0;
    for t in tasks {
        let (c, ok) = t.await.expect("editor");
        conflicts += c;
        saved += usize::from(ok);
    }
    let wall = start.elapsed();
    let (_, final_page) = maker.get(&path).await;
    let mut present = 0;
    for e in 0..editors {
        let (r, c) = (e % rows.max(1), 2 + e / rows.max(1));
        if final_page.contains(&format!(r#"name="c{r}_{c}" value="{}.{:02}""#, 100 + e, e)) {
            present += 1;
        }
    }
    println!(
        "editors: {editors} concurrent editors saved {saved}/{editors} distinct cells in {:.2} s with {conflicts} HTTP 409 retries; {present}/{editors} edits present in the final version ({})",
        wall.as_secs_f64(),
        if present == editors { "no lost update" } else { "LOST UPDATES" }
    );
    if present != editors || failed > 0 {
        std::process::exit(1);
    }
}
