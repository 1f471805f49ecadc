//! A real server on 127.0.0.1:0 over a fresh database, and a small HTTP client that keeps
//! its own cookies and does not follow redirects.

#![allow(dead_code)]

pub mod webdriver;

use juesuan_server::auth::{create_user, NewUser, Role};
use juesuan_server::{bind, run, seed_demo, Config, DemoLogin};
use std::collections::BTreeMap;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

pub fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/chifeng-sfj-2024")
}

pub struct Server {
    pub addr: SocketAddr,
    pub state: juesuan_server::AppState,
    pub demo: Vec<DemoLogin>,
    _dir: Option<tempfile::TempDir>,
}

/// A fresh database per test: with `JUESUAN_TEST_DATABASE_URL` (a PostgreSQL server's
/// maintenance database, scripts/test-server-postgres) a new database on that server, else a
/// temporary SQLite file.
pub async fn start() -> Server {
    start_with(Vec::new()).await
}

/// [`start`] with `--trusted-proxy` blocks.
pub async fn start_with(trusted_proxies: Vec<juesuan_server::auth::Cidr>) -> Server {
    start_full(
        trusted_proxies,
        juesuan_server::ParseLimits::default(),
        true,
    )
    .await
}

/// [`start`] with other limits on the parsing of uploads.
pub async fn start_limited(limits: juesuan_server::ParseLimits) -> Server {
    start_full(Vec::new(), limits, true).await
}

/// A fresh install: no demo, no users, no regions.
pub async fn start_empty() -> Server {
    start_full(Vec::new(), juesuan_server::ParseLimits::default(), false).await
}

async fn start_full(
    trusted_proxies: Vec<juesuan_server::auth::Cidr>,
    limits: juesuan_server::ParseLimits,
    demo: bool,
) -> Server {
    let (url, dir) = fresh_database_url().await;
    let config = Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        database_url: url,
        secure_cookies: false,
        trusted_proxies,
    };
    let (addr, state, listener) = bind(&config).await.unwrap();
    let state = state.with_parse_limits(limits);
    // The run is on the database it was asked for.
    assert_eq!(state.db.sqlite, dir.is_some());
    let demo = if demo {
        seed_demo(&state.db, &example_dir()).await.unwrap()
    } else {
        Vec::new()
    };
    let st = state.clone();
    tokio::spawn(async move { run(listener, st).await });
    Server {
        addr,
        state,
        demo,
        _dir: dir,
    }
}

/// A new empty database: on the PostgreSQL server of `JUESUAN_TEST_DATABASE_URL` if set, else a
/// temporary SQLite file (kept while the directory lives).
pub async fn fresh_database_url() -> (String, Option<tempfile::TempDir>) {
    match std::env::var("JUESUAN_TEST_DATABASE_URL") {
        Ok(admin) => (fresh_postgres(&admin).await, None),
        Err(_) => {
            let dir = tempfile::tempdir().unwrap();
            (
                format!("sqlite:{}", dir.path().join("test.db").display()),
                Some(dir),
            )
        }
    }
}

async fn fresh_postgres(admin: &str) -> String {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let name = format!(
        "juesuan_test_{}",
        &juesuan_server::auth::random_token()[..16]
    );
    let mut conn = sqlx::AnyConnection::connect(admin).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .unwrap();
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap();
    format!("{base}/{name}")
}

impl Server {
    pub fn password(&self, user: &str) -> String {
        self.demo
            .iter()
            .find(|l| l.username == user)
            .map(|l| l.password.clone())
            .unwrap_or_else(|| panic!("no demo user {user}"))
    }

    pub fn client(&self) -> Client {
        Client::new(self.addr, None)
    }

    /// Signs in a demo user.
    pub async fn login(&self, user: &str) -> Client {
        let mut c = self.client();
        let r = c.login(user, &self.password(user)).await;
        assert_eq!(r.status, 303, "login of {user}: {}", r.body);
        c
    }

    /// The first column of the one row a bound query returns.
    pub async fn scalar<'q, T>(
        &self,
        query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> T
    where
        T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
    {
        let row = query.fetch_one(&self.state.db.pool).await.unwrap();
        sqlx::Row::try_get(&row, 0).unwrap()
    }

    /// A user created directly in the database (a second department or region).
    pub async fn add_user(
        &self,
        username: &str,
        role: Role,
        dept_id: i64,
        unit: &str,
        region: &str,
    ) -> String {
        let password = format!("{username}-password-123");
        create_user(
            &self.state.db,
            &NewUser {
                username,
                password: &password,
                role,
                dept_id,
                unit_key: unit,
                region,
                display_name: username,
            },
            false,
        )
        .await
        .unwrap();
        password
    }
}

pub struct Resp {
    pub status: u16,
    pub body: String,
    pub bytes: Vec<u8>,
    pub headers: reqwest::header::HeaderMap,
}

impl Resp {
    pub fn location(&self) -> String {
        self.headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }

    /// The first CSRF field of the page.
    pub fn csrf(&self) -> String {
        field_value(&self.body, "csrf").unwrap_or_else(|| panic!("no csrf in {}", self.body))
    }
}

/// The value of the first `<input name="NAME" value="…">`.
pub fn field_value(html: &str, name: &str) -> Option<String> {
    let needle = format!(r#"name="{name}" value=""#);
    let i = html.find(&needle)? + needle.len();
    let j = html[i..].find('"')?;
    Some(html[i..i + j].replace("&amp;", "&"))
}

pub struct Client {
    base: String,
    http: reqwest::Client,
    pub cookies: BTreeMap<String, String>,
    /// Sent with every request (e.g. `X-Forwarded-For`).
    pub headers: Vec<(String, String)>,
}

impl Client {
    pub fn new(addr: SocketAddr, local: Option<IpAddr>) -> Client {
        let mut b = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
        if let Some(ip) = local {
            b = b.local_address(ip);
        }
        Client {
            base: format!("http://{addr}"),
            http: b.build().unwrap(),
            cookies: BTreeMap::new(),
            headers: Vec::new(),
        }
    }

    fn extra_headers(&self) -> reqwest::header::HeaderMap {
        let mut h = reqwest::header::HeaderMap::new();
        for (k, v) in &self.headers {
            h.append(
                reqwest::header::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn finish(&mut self, r: reqwest::Response) -> Resp {
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        for v in headers.get_all("set-cookie") {
            let v = v.to_str().unwrap();
            let kv = v.split(';').next().unwrap();
            let (k, val) = kv.split_once('=').unwrap();
            if v.contains("Max-Age=0") || val.is_empty() {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_string(), val.to_string());
            }
        }
        let bytes = r.bytes().await.unwrap().to_vec();
        Resp {
            status,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes,
            headers,
        }
    }

    pub async fn get(&mut self, path: &str) -> Resp {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .headers(self.extra_headers())
            .send()
            .await
            .unwrap();
        self.finish(r).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Resp {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .headers(self.extra_headers())
            .form(form)
            .send()
            .await
            .unwrap();
        self.finish(r).await
    }

    pub async fn post_file(
        &mut self,
        path: &str,
        form: &[(&str, &str)],
        file: Option<(&str, Vec<u8>)>,
    ) -> Resp {
        let mut mp = reqwest::multipart::Form::new();
        for (k, v) in form {
            mp = mp.text(k.to_string(), v.to_string());
        }
        if let Some((name, bytes)) = file {
            mp = mp.part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
            );
        }
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .headers(self.extra_headers())
            .multipart(mp)
            .send()
            .await
            .unwrap();
        self.finish(r).await
    }

    pub async fn login(&mut self, user: &str, password: &str) -> Resp {
        let page = self.get("/login").await;
        let csrf = page.csrf();
        self.post(
            "/login",
            &[("username", user), ("password", password), ("csrf", &csrf)],
        )
        .await
    }

    /// The CSRF token of this session (from the work page's logout form).
    pub async fn csrf(&mut self) -> String {
        self.get("/").await.csrf()
    }
}

/// The example dataset as a zip, with `edit` applied to (path, text) first.
pub fn example_zip(edit: impl Fn(&str, String) -> String) -> Vec<u8> {
    dir_zip(&example_dir(), edit)
}

/// A dataset directory as a zip, with `edit` applied to (path, text) first.
pub fn dir_zip(dir: &Path, edit: impl Fn(&str, String) -> String) -> Vec<u8> {
    let dir = dir.to_path_buf();
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        let mut stack = vec![dir.clone()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                let rel = p
                    .strip_prefix(&dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                let text = std::fs::read_to_string(&p).unwrap();
                let text = edit(&rel, text);
                z.start_file(format!("chifeng/{rel}"), opts).unwrap();
                z.write_all(text.as_bytes()).unwrap();
            }
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}
