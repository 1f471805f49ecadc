//! `juesuan serve`: the web platform a 财政局 runs for its departments and the public.
//!
//! What it is for: units and departments upload or edit their dataset in the browser and see
//! the check findings beside the cells; departments submit; 财政 reviewers return, approve and
//! publish; every save is a version with a cell-level diff, every change and transition goes
//! to an append-only audit log; the anonymous public reads published disclosures in a portal
//! (HTML with charts, PDF, DOCX, XLSX, CSV, JSON). One SQLite file by default, PostgreSQL
//! through `DATABASE_URL`, the same migrations for both.
//!
//! What it is not for: computing or wording anything itself. Loading, checking and rendering
//! are the library crates' (`juesuan-load`, `-check`, `-report`, the renderers), called on
//! the dataset files exactly as the command line calls them. Server-rendered HTML, no script.

mod admin;
pub mod auth;
mod data;
pub use data::{create_dataset, create_department};
pub mod db;
mod demo;
mod page;
mod portal;
pub mod setup;
pub mod store;
mod work;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use db::Db;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use demo::{
    demo_budget, demo_datasets, demo_files, demo_years, seed_demo, seed_demo_files,
    seed_demo_years, DemoLogin,
};

/// How to start.
#[derive(Clone, Debug)]
pub struct Config {
    pub addr: SocketAddr,
    /// `sqlite:PATH` or `postgres://…`.
    pub database_url: String,
    /// Add `Secure` to cookies (behind HTTPS).
    pub secure_cookies: bool,
    /// `--trusted-proxy`: peers whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<auth::Cidr>,
}

type Cache = Mutex<HashMap<(i64, i64, &'static str), Arc<Vec<u8>>>>;
type CheckCache = Mutex<HashMap<(i64, i64), Arc<Result<store::Checked, Vec<String>>>>>;

/// Bounds on the parsing of uploads (zip and workbook reading, loading), which runs on
/// blocking threads so that the async workers keep answering other requests.
#[derive(Clone, Debug)]
pub struct ParseLimits {
    /// At most this many uploads are parsed at once.
    pub slots: usize,
    /// How long an upload waits for a free slot before the answer is 503 "服务器繁忙".
    pub wait: Duration,
    /// How long the request waits for its parse; after that the answer is a Chinese error
    /// (the parse finishes on its thread and keeps its slot until then).
    pub timeout: Duration,
}

impl Default for ParseLimits {
    fn default() -> ParseLimits {
        ParseLimits {
            slots: 2,
            wait: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
        }
    }
}

/// Shared by every request.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub secure_cookies: bool,
    /// Peers whose `X-Forwarded-For` is believed (login limits per client address).
    pub trusted_proxies: Arc<Vec<auth::Cidr>>,
    /// Rendered documents of published versions (immutable), by (dataset, version, format).
    artifacts: Arc<Cache>,
    /// Check results by (dataset, version); versions never change.
    checks: Arc<CheckCache>,
    parse_limits: ParseLimits,
    parse_slots: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    pub fn new(db: Db, secure_cookies: bool) -> AppState {
        AppState {
            db,
            secure_cookies,
            trusted_proxies: Arc::new(Vec::new()),
            artifacts: Arc::new(Mutex::new(HashMap::new())),
            checks: Arc::new(Mutex::new(HashMap::new())),
            parse_limits: ParseLimits::default(),
            parse_slots: Arc::new(tokio::sync::Semaphore::new(ParseLimits::default().slots)),
        }
    }

    /// The same state with other parse limits (a new set of slots).
    pub fn with_parse_limits(mut self, limits: ParseLimits) -> AppState {
        self.parse_slots = Arc::new(tokio::sync::Semaphore::new(limits.slots.max(1)));
        self.parse_limits = limits;
        self
    }

    /// How many uploads are being parsed now.
    pub fn parses_running(&self) -> usize {
        self.parse_limits
            .slots
            .max(1)
            .saturating_sub(self.parse_slots.available_permits())
    }

    /// Runs `job` (parsing an upload) on a blocking thread, at most `slots` at once, waiting
    /// for a slot at most `wait` and for the result at most `timeout`. The slot is held by the
    /// job itself, so a parse that outlives its request still counts until it ends.
    pub(crate) async fn parse_blocking<T, F>(&self, job: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce() -> Result<T, AppError> + Send + 'static,
    {
        let slots = self.parse_slots.clone();
        let permit = match tokio::time::timeout(self.parse_limits.wait, slots.acquire_owned()).await
        {
            Ok(Ok(p)) => p,
            _ => {
                return Err(AppError::Busy(
                    "服务器繁忙，请稍后再试。（正在处理的上传文件已达上限）".into(),
                ))
            }
        };
        let handle = tokio::task::spawn_blocking(move || {
            let r = job();
            drop(permit);
            r
        });
        match tokio::time::timeout(self.parse_limits.timeout, handle).await {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => Err(AppError::Internal(format!("上传文件处理失败：{e}"))),
            Err(_) => Err(AppError::Busy(format!(
                "上传的文件处理超时（超过 {} 秒），已停止等待。请确认文件只包含决算表、没有多余的大量内容，稍后再试。",
                self.parse_limits.timeout.as_secs_f64().ceil()
            ))),
        }
    }
}

/// Every route (method, pattern), for the role × route matrix test; keep in step with
/// `router`.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/"),
    ("GET", "/p/{id}"),
    ("GET", "/p/{id}/document"),
    ("GET", "/p/{id}/download/{format}"),
    ("GET", "/compare/{dept}"),
    ("GET", "/static/app.css"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
    ("GET", "/work"),
    ("POST", "/work/new"),
    ("GET", "/work/d/{id}"),
    ("GET", "/work/d/{id}/table/{unit}/{table}"),
    ("POST", "/work/d/{id}/table/{unit}/{table}"),
    ("GET", "/work/d/{id}/reasons"),
    ("POST", "/work/d/{id}/reasons"),
    ("POST", "/work/d/{id}/upload"),
    ("POST", "/work/d/{id}/transition"),
    ("GET", "/work/d/{id}/versions"),
    ("GET", "/work/d/{id}/diff"),
    ("GET", "/work/d/{id}/preview"),
    ("GET", "/audit"),
    ("GET", "/admin/users"),
    ("POST", "/admin/users"),
    ("POST", "/admin/password"),
    ("GET", "/admin/orgs"),
    ("POST", "/admin/regions"),
    ("POST", "/admin/departments"),
];

/// Every route. Role checks are in each handler, on the server.
pub fn router(state: AppState) -> Router {
    let upload_limit = DefaultBodyLimit::max(store::MAX_UPLOAD + 64 * 1024);
    Router::new()
        .route("/", get(portal::index))
        .route("/p/{id}", get(portal::disclosure))
        .route("/p/{id}/document", get(portal::document))
        .route("/p/{id}/download/{format}", get(portal::download))
        .route("/compare/{dept}", get(portal::compare))
        .route("/static/app.css", get(page::css))
        .route("/login", get(admin::login_form).post(admin::login))
        .route("/logout", post(admin::logout))
        .route("/work", get(work::home))
        .route("/work/new", post(work::create).layer(upload_limit))
        .route("/work/d/{id}", get(work::overview))
        .route(
            "/work/d/{id}/table/{unit}/{table}",
            get(work::table).post(work::save_table),
        )
        .route(
            "/work/d/{id}/reasons",
            get(work::reasons).post(work::save_reason),
        )
        .route(
            "/work/d/{id}/upload",
            post(work::upload).layer(upload_limit),
        )
        .route("/work/d/{id}/transition", post(work::transition))
        .route("/work/d/{id}/versions", get(work::versions))
        .route("/work/d/{id}/diff", get(work::diff))
        .route("/work/d/{id}/preview", get(work::preview))
        .route("/audit", get(admin::audit_log))
        .route("/admin/users", get(admin::users).post(admin::create_user))
        .route("/admin/password", post(admin::reset_password))
        .route("/admin/orgs", get(admin::orgs))
        .route("/admin/regions", post(admin::create_region))
        .route("/admin/departments", post(admin::create_department))
        .fallback(|| async { AppError::NotFound })
        .layer(DefaultBodyLimit::max(1024 * 1024))
        .layer(axum::middleware::from_fn(security_headers))
        .with_state(state)
}

/// The headers of every response; a handler may set its own CSP (the document frame).
async fn security_headers(req: Request<axum::body::Body>, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(
        "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ));
    h.entry(header::X_FRAME_OPTIONS)
        .or_insert(HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    res
}

/// Opens the database and binds; for the CLI and tests. Returns the address and a future
/// that serves.
pub async fn bind(
    config: &Config,
) -> Result<(SocketAddr, AppState, tokio::net::TcpListener), String> {
    let db = Db::open(&config.database_url).await?;
    let mut state = AppState::new(db, config.secure_cookies);
    state.trusted_proxies = Arc::new(config.trusted_proxies.clone());
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("无法监听 {}：{e}", config.addr))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    Ok((addr, state, listener))
}

/// Serves on a bound listener until the process ends.
pub async fn run(listener: tokio::net::TcpListener, state: AppState) -> Result<(), String> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
    .map_err(|e| format!("服务出错：{e}"))
}

/// What can go wrong in a request; every variant is a Chinese page.
#[derive(Debug)]
pub enum AppError {
    /// Not signed in: to the login page.
    Login,
    NotFound,
    Forbidden,
    Csrf,
    BadRequest(String),
    /// Already HTML.
    Unprocessable(String),
    /// Already HTML.
    Conflict(String),
    TooMany(String),
    /// 503: the parse slots are taken, or a parse took too long.
    Busy(String),
    Internal(String),
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> AppError {
        AppError::Internal(format!("数据库错误：{e}"))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, title, body) = match self {
            AppError::Login => return Redirect::to("/login").into_response(),
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                "页面不存在",
                "<p>您要找的页面不存在，或尚未公开。</p>".to_string(),
            ),
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                "无权访问",
                "<p>您的账号无权访问此页面或执行此操作。</p>".to_string(),
            ),
            AppError::Csrf => (
                StatusCode::FORBIDDEN,
                "表单已失效",
                "<p>表单校验码不正确或已过期。请返回上一页，刷新后重新提交。</p>".to_string(),
            ),
            AppError::BadRequest(m) => (
                StatusCode::BAD_REQUEST,
                "请求有误",
                format!("<p>{}</p>", page::esc(&m)),
            ),
            AppError::Unprocessable(html) => (StatusCode::UNPROCESSABLE_ENTITY, "无法保存", html),
            AppError::Conflict(html) => (StatusCode::CONFLICT, "保存冲突", html),
            AppError::TooMany(m) => (
                StatusCode::TOO_MANY_REQUESTS,
                "尝试次数过多",
                format!("<p>{}</p>", page::esc(&m)),
            ),
            AppError::Busy(m) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "服务器繁忙",
                format!("<p>{}</p>", page::esc(&m)),
            ),
            AppError::Internal(m) => {
                eprintln!("juesuan serve: 内部错误：{m}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "服务器内部错误",
                    "<p>服务器处理请求时出错，请稍后重试。错误已记录。</p>".to_string(),
                )
            }
        };
        (status, Html(page::layout(title, None, &body))).into_response()
    }
}

/// What `juesuan serve` was asked for.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub addr: SocketAddr,
    /// `--db`, else `DATABASE_URL`, else `sqlite:juesuan.db` (with `--demo`: a new file in
    /// the temporary directory).
    pub database_url: Option<String>,
    pub demo: bool,
    pub secure_cookies: bool,
    pub trusted_proxies: Vec<auth::Cidr>,
}

/// A demo dataset directory given by `JUESUAN_DEMO_DIR`; without it, `--demo` uses the example
/// compiled into the binary ([`demo_files`]).
pub fn demo_dir() -> Option<std::path::PathBuf> {
    std::env::var_os("JUESUAN_DEMO_DIR")
        .map(std::path::PathBuf::from)
        .filter(|p| p.join("disclosure.toml").is_file())
}

/// Runs the server in the foreground (the CLI's `serve`); prints the address and, with
/// `--demo`, the logins.
pub fn serve_blocking(opts: ServeOptions) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("无法启动运行时：{e}"))?;
    rt.block_on(async move {
        let url = match (&opts.database_url, opts.demo) {
            (Some(u), _) => u.clone(),
            (None, true) => format!(
                "sqlite:{}",
                std::env::temp_dir()
                    .join(format!("juesuan-demo-{}.db", std::process::id()))
                    .display()
            ),
            (None, false) => db::DEFAULT_URL.to_string(),
        };
        let config = Config {
            addr: opts.addr,
            database_url: url.clone(),
            secure_cookies: opts.secure_cookies,
            trusted_proxies: opts.trusted_proxies.clone(),
        };
        let (addr, state, listener) = bind(&config).await?;
        let db_label = if url.starts_with("sqlite:") {
            url.clone()
        } else {
            "PostgreSQL（DATABASE_URL）".to_string()
        };
        println!("juesuan serve：数据库 {db_label}");
        if opts.demo {
            let (files, label) = match std::env::var_os("JUESUAN_DEMO_DIR") {
                Some(d) => {
                    let dir = std::path::PathBuf::from(d);
                    if !dir.join("disclosure.toml").is_file() {
                        return Err(format!(
                            "JUESUAN_DEMO_DIR 指定的 {} 中没有 disclosure.toml",
                            dir.display()
                        ));
                    }
                    (vec![store::from_dir(&dir)?], dir.display().to_string())
                }
                None => (
                    demo_datasets(),
                    "内置示例数据集（赤峰市司法局 2024 年度部门预算、2024 年度部门决算，及合成的 2025 年度部门决算）".to_string(),
                ),
            };
            let logins = seed_demo_years(&state.db, files).await?;
            println!("演示数据：{label} 已公开。演示账号（密码每次启动随机生成）：");
            for l in &logins {
                println!(
                    "  {:<6} 用户名 {:<18} 密码 {}   {}",
                    l.role, l.username, l.password, l.what
                );
            }
        }
        println!("公开目录：http://{addr}/   登录：http://{addr}/login");
        run(listener, state).await
    })
}
