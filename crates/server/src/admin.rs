//! Login and logout, the audit log, the admin pages (users, regions and departments, password
//! resets: the rules of `juesuan admin`, through `setup::admin`).

use crate::auth::{self, cookie, require_csrf, same_token, Auth, LoginOutcome, Role};
use crate::db::format_time;
use crate::page::{csrf_field, esc, html, layout};
use crate::setup::{self, AdminOp};
use crate::{data, AppError, AppState};
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use sqlx::Row;
use std::net::SocketAddr;

fn session_cookie(state: &AppState, name: &str, value: &str, max_age: i64) -> HeaderValue {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .unwrap_or(HeaderValue::from_static("x=; Max-Age=0"))
}

fn login_page(token: &str, message: &str) -> String {
    let msg = if message.is_empty() {
        String::new()
    } else {
        format!(r#"<p class="error">{}</p>"#, esc(message))
    };
    layout(
        "登录",
        None,
        &format!(
            r#"{msg}<form method="post" action="/login" class="box"><input type="hidden" name="csrf" value="{}">
<p><label>用户名 <input name="username" autocomplete="username" required></label></p>
<p><label>密码 <input name="password" type="password" autocomplete="current-password" required></label></p>
<button>登录</button></form><p>公众无需登录即可查看<a href="/">公开目录</a>。</p>"#,
            esc(token)
        ),
    )
}

/// The login form, with a CSRF token double-submitted through a cookie.
pub async fn login_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let token = cookie(&headers, auth::ANON_CSRF_COOKIE)
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or_else(auth::random_token);
    let mut res = Html(login_page(&token, "")).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        session_cookie(&state, auth::ANON_CSRF_COOKIE, &token, 3600),
    );
    res
}

#[derive(serde::Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Result<Response, AppError> {
    let Some(expected) = cookie(&headers, auth::ANON_CSRF_COOKIE) else {
        return Err(AppError::Csrf);
    };
    if !same_token(&f.csrf, &expected) {
        return Err(AppError::Csrf);
    }
    let username = f.username.trim();
    if username.is_empty() || username.len() > 64 || f.password.len() > 1024 {
        return Ok((
            StatusCode::UNAUTHORIZED,
            Html(login_page(&expected, "用户名或密码错误")),
        )
            .into_response());
    }
    let ip = auth::client_ip(peer.ip(), &headers, &state.trusted_proxies).to_string();
    match auth::login(&state.db, username, &f.password, &ip).await? {
        LoginOutcome::Ok(token) => {
            let mut tx = state.db.begin().await?;
            let row = sqlx::query("SELECT id, role FROM users WHERE username = $1")
                .bind(username)
                .fetch_one(&mut *tx)
                .await?;
            let role: String = row.try_get("role")?;
            let who = auth::User {
                id: row.try_get("id")?,
                username: username.to_string(),
                role: Role::parse(&role).unwrap_or(Role::Unit),
                dept_id: 0,
                unit_key: String::new(),
                region: String::new(),
                display_name: String::new(),
                csrf: String::new(),
            };
            data::audit(&mut tx, Some(&who), "登录", 0, &format!("来自 {ip}")).await?;
            tx.commit().await?;
            let to = if role == "admin" {
                "/admin/users"
            } else {
                "/work"
            };
            let mut res = Redirect::to(to).into_response();
            res.headers_mut().append(
                header::SET_COOKIE,
                session_cookie(&state, auth::SESSION_COOKIE, &token, auth::SESSION_SECONDS),
            );
            Ok(res)
        }
        LoginOutcome::Wrong => Ok((
            StatusCode::UNAUTHORIZED,
            Html(login_page(&expected, "用户名或密码错误")),
        )
            .into_response()),
        LoginOutcome::Limited(why) => Err(AppError::TooMany(why)),
    }
}

#[derive(serde::Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn logout(
    State(state): State<AppState>,
    Auth(u): Auth,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Result<Response, AppError> {
    require_csrf(&u, Some(&f.csrf))?;
    auth::logout(&state.db, &headers).await?;
    let mut res = Redirect::to("/").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        session_cookie(&state, auth::SESSION_COOKIE, "", 0),
    );
    Ok(res)
}

#[derive(serde::Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    dataset: Option<i64>,
}

/// The audit log, newest first. 财政 sees its region's datasets and logins; admin all.
pub async fn audit_log(
    State(state): State<AppState>,
    Auth(u): Auth,
    Query(q): Query<AuditQuery>,
) -> Result<Html<String>, AppError> {
    if !matches!(u.role, Role::Finance | Role::Admin) {
        return Err(AppError::Forbidden);
    }
    let rows = sqlx::query(
        "SELECT a.id, a.at, a.username, a.action, a.dataset_id, a.detail, p.region, d.name, au.region AS actor_region, ap.region AS actor_dept_region \
         FROM audit_log a LEFT JOIN datasets d ON d.id = a.dataset_id LEFT JOIN departments p ON p.id = d.dept_id \
         LEFT JOIN users au ON au.id = a.user_id LEFT JOIN departments ap ON ap.id = au.dept_id \
         ORDER BY a.id DESC",
    )
    .fetch_all(&state.db.pool)
    .await?;
    let mut body = String::from("<p>审计日志只增不改：每次保存、上传、流转和登录都记录在此。</p><table><tr><th>序号</th><th>时间</th><th>用户</th><th>操作</th><th>数据集</th><th>详情</th></tr>");
    let mut n = 0;
    for r in rows {
        let dataset: i64 = r.try_get("dataset_id")?;
        let region: Option<String> = r.try_get("region").ok().flatten();
        if let Some(want) = q.dataset {
            if dataset != want {
                continue;
            }
        }
        if u.role == Role::Finance {
            // L1: rows of a dataset by its department's region; rows without one (登录,
            // 新建用户) by the region of the user who acted, so other regions' logins and the
            // administrator's user rows stay hidden.
            let row_region = if dataset != 0 {
                region
            } else {
                let actor: Option<String> = r.try_get("actor_region").ok().flatten();
                let actor_dept: Option<String> = r.try_get("actor_dept_region").ok().flatten();
                actor.filter(|s| !s.is_empty()).or(actor_dept)
            };
            if row_region.as_deref() != Some(u.region.as_str()) {
                continue;
            }
        }
        n += 1;
        if n > 1000 {
            break;
        }
        let name: Option<String> = r.try_get("name").ok().flatten();
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            r.try_get::<i64, _>("id")?,
            format_time(r.try_get("at")?),
            esc(&r.try_get::<String, _>("username")?),
            esc(&r.try_get::<String, _>("action")?),
            match name {
                Some(name) => format!(r#"<a href="/work/d/{dataset}">{}</a>"#, esc(&name)),
                None => String::new(),
            },
            esc(&r.try_get::<String, _>("detail")?)
        ));
    }
    body.push_str("</table>");
    Ok(html("审计日志", Some(&u), &body))
}

pub async fn users(State(state): State<AppState>, Auth(u): Auth) -> Result<Html<String>, AppError> {
    if u.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let rows = sqlx::query(
        "SELECT u.username, u.display_name, u.role, u.unit_key, u.region, p.name AS dept FROM users u \
         LEFT JOIN departments p ON p.id = u.dept_id ORDER BY u.id",
    )
    .fetch_all(&state.db.pool)
    .await?;
    let mut body = String::from("<table><tr><th>用户名</th><th>姓名</th><th>角色</th><th>部门</th><th>单位</th><th>地区</th></tr>");
    for r in rows {
        let role: String = r.try_get("role")?;
        let dept: Option<String> = r.try_get("dept").ok().flatten();
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&r.try_get::<String, _>("username")?),
            esc(&r.try_get::<String, _>("display_name")?),
            Role::parse(&role).map_or("未知", |r| r.label()),
            esc(dept.as_deref().unwrap_or("")),
            esc(&r.try_get::<String, _>("unit_key")?),
            esc(&r.try_get::<String, _>("region")?),
        ));
    }
    body.push_str("</table>");
    let depts = sqlx::query("SELECT id, name FROM departments ORDER BY id")
        .fetch_all(&state.db.pool)
        .await?;
    let mut options = String::from(r#"<option value="0">（无）</option>"#);
    for d in depts {
        options.push_str(&format!(
            r#"<option value="{}">{}</option>"#,
            d.try_get::<i64, _>("id")?,
            esc(&d.try_get::<String, _>("name")?)
        ));
    }
    let mut regions = String::new();
    for r in sqlx::query("SELECT name FROM regions ORDER BY name")
        .fetch_all(&state.db.pool)
        .await?
    {
        regions.push_str(&format!(
            r#"<option value="{0}">{0}</option>"#,
            esc(&r.try_get::<String, _>("name")?)
        ));
    }
    body.push_str(&format!(
        r#"<h2>新建用户</h2><form method="post" action="/admin/users" class="box">{}
<label>用户名 <input name="username" required></label><label>姓名 <input name="display_name" required></label>
<label>初始密码（至少 10 个字符） <input name="password" type="password" required></label>
<label>角色 <select name="role"><option value="unit">单位</option><option value="dept">部门</option><option value="finance">财政</option><option value="admin">管理员</option></select></label>
<label>部门 <select name="dept_id">{options}</select></label><label>单位编号（单位用户） <input name="unit_key"></label>
<label>地区（财政用户） <select name="region"><option value="">（无）</option>{regions}</select></label><button>创建</button></form>
<h2>重置密码</h2><form method="post" action="/admin/password" class="box">{}
<label>用户名 <input name="username" required></label><label>新密码（至少 10 个字符） <input name="password" type="password" required></label>
<button>重置</button><span class="hint">该用户已登录的会话将全部退出</span></form>"#,
        csrf_field(&u),
        csrf_field(&u)
    ));
    Ok(html("用户管理", Some(&u), &body))
}

#[derive(serde::Deserialize)]
pub struct UserForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    dept_id: String,
    #[serde(default)]
    unit_key: String,
    #[serde(default)]
    region: String,
}

pub async fn create_user(
    State(state): State<AppState>,
    Auth(u): Auth,
    Form(f): Form<UserForm>,
) -> Result<Response, AppError> {
    admin_form(&u, &f.csrf)?;
    let role = Role::parse(&f.role).ok_or_else(|| AppError::BadRequest("角色无效".into()))?;
    let dept_id: i64 = f.dept_id.trim().parse().unwrap_or(0);
    if matches!(role, Role::Unit | Role::Dept) && dept_id == 0 {
        return Err(AppError::BadRequest("单位和部门用户必须选择部门".into()));
    }
    if role == Role::Unit && f.unit_key.trim().is_empty() {
        return Err(AppError::BadRequest(
            "单位用户必须填写单位编号（数据集中 units 的 id）".into(),
        ));
    }
    if role == Role::Finance && f.region.trim().is_empty() {
        return Err(AppError::BadRequest("财政用户必须选择地区".into()));
    }
    // The command line's rules (the region exists, the password's length, …) apply here too.
    let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let op = AdminOp::AddUser {
        username: f.username,
        role,
        department: (dept_id != 0).then(|| dept_id.to_string()),
        unit: some(&f.unit_key),
        region: some(&f.region),
        display_name: some(&f.display_name),
        password: f.password,
    };
    run(&state, &u, op).await?;
    Ok(Redirect::to("/admin/users").into_response())
}

/// A form post of the admin pages: its CSRF token, and an administrator.
fn admin_form(u: &crate::auth::User, csrf: &str) -> Result<(), AppError> {
    require_csrf(u, Some(csrf))?;
    if u.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

async fn run(state: &AppState, u: &crate::auth::User, op: AdminOp) -> Result<String, AppError> {
    setup::admin(&state.db, Some(u), op)
        .await
        .map_err(AppError::BadRequest)
}

/// 机构管理: the regions and departments of the install, and forms to add them.
pub async fn orgs(State(state): State<AppState>, Auth(u): Auth) -> Result<Html<String>, AppError> {
    if u.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let regions = sqlx::query(
        "SELECT r.name, (SELECT COUNT(*) FROM departments p WHERE p.region = r.name) AS depts \
         FROM regions r ORDER BY r.name",
    )
    .fetch_all(&state.db.pool)
    .await?;
    let mut body = String::from("<h2>地区</h2><table><tr><th>地区</th><th>部门数</th></tr>");
    let mut options = String::new();
    for r in &regions {
        let name: String = r.try_get("name")?;
        body.push_str(&format!(
            "<tr><td>{}</td><td class=\"num\">{}</td></tr>",
            esc(&name),
            r.try_get::<i64, _>("depts")?
        ));
        options.push_str(&format!(r#"<option value="{0}">{0}</option>"#, esc(&name)));
    }
    body.push_str(&format!(
        r#"</table><form method="post" action="/admin/regions" class="box">{}
<label>新地区名称 <input name="name" required maxlength="100"></label><button>创建地区</button></form>"#,
        csrf_field(&u)
    ));
    let depts = sqlx::query(
        "SELECT p.id, p.name, p.region, (SELECT COUNT(*) FROM datasets d WHERE d.dept_id = p.id) AS datasets \
         FROM departments p ORDER BY p.region, p.name",
    )
    .fetch_all(&state.db.pool)
    .await?;
    body.push_str(
        "<h2>部门</h2><table><tr><th>编号</th><th>部门</th><th>地区</th><th>数据集</th></tr>",
    );
    for d in &depts {
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
            d.try_get::<i64, _>("id")?,
            esc(&d.try_get::<String, _>("name")?),
            esc(&d.try_get::<String, _>("region")?),
            d.try_get::<i64, _>("datasets")?
        ));
    }
    body.push_str(&format!(
        r#"</table><form method="post" action="/admin/departments" class="box">{}
<label>部门名称 <input name="name" required maxlength="100"></label>
<label>地区 <select name="region" required>{options}</select></label><button>创建部门</button></form>
<p>部门的单位用户在<a href="/admin/users">用户管理</a>中创建，单位编号即数据集中 units 的 id。</p>"#,
        csrf_field(&u)
    ));
    Ok(html("机构管理", Some(&u), &body))
}

#[derive(serde::Deserialize)]
pub struct OrgForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    region: String,
}

pub async fn create_region(
    State(state): State<AppState>,
    Auth(u): Auth,
    Form(f): Form<OrgForm>,
) -> Result<Response, AppError> {
    admin_form(&u, &f.csrf)?;
    run(&state, &u, AdminOp::AddRegion { name: f.name }).await?;
    Ok(Redirect::to("/admin/orgs").into_response())
}

pub async fn create_department(
    State(state): State<AppState>,
    Auth(u): Auth,
    Form(f): Form<OrgForm>,
) -> Result<Response, AppError> {
    admin_form(&u, &f.csrf)?;
    let op = AdminOp::AddDepartment {
        name: f.name,
        region: f.region,
    };
    run(&state, &u, op).await?;
    Ok(Redirect::to("/admin/orgs").into_response())
}

#[derive(serde::Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

/// 重置密码: the user's sessions end, as with `juesuan admin reset-password`.
pub async fn reset_password(
    State(state): State<AppState>,
    Auth(u): Auth,
    Form(f): Form<PasswordForm>,
) -> Result<Response, AppError> {
    admin_form(&u, &f.csrf)?;
    let op = AdminOp::ResetPassword {
        username: f.username,
        password: f.password,
    };
    run(&state, &u, op).await?;
    Ok(Redirect::to("/admin/users").into_response())
}
