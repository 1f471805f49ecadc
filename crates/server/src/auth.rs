//! Users, roles, passwords (argon2id), sessions (random token in an HttpOnly SameSite=Strict
//! cookie, stored as its SHA-256), CSRF tokens and login rate limiting.

use crate::db::{now, Db};
use crate::{AppError, AppState};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::Row;

pub const SESSION_COOKIE: &str = "js";
/// The CSRF token of a visitor without a session (the login form), double-submitted.
pub const ANON_CSRF_COOKIE: &str = "jc";
pub const SESSION_SECONDS: i64 = 8 * 3600;
/// At most this many failed logins per user name and address in the window.
pub const MAX_FAILURES: i64 = 5;
pub const FAILURE_WINDOW: i64 = 15 * 60;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// 单位: prepares its own unit's tables.
    Unit,
    /// 部门: sees its units, edits the department dataset, submits.
    Dept,
    /// 财政: reviews the region, returns, approves, publishes.
    Finance,
    /// Users and the audit log.
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Unit => "unit",
            Role::Dept => "dept",
            Role::Finance => "finance",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "unit" => Role::Unit,
            "dept" => Role::Dept,
            "finance" => Role::Finance,
            "admin" => Role::Admin,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Unit => "单位",
            Role::Dept => "部门",
            Role::Finance => "财政",
            Role::Admin => "管理员",
        }
    }
}

#[derive(Clone, Debug)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub dept_id: i64,
    pub unit_key: String,
    pub region: String,
    pub display_name: String,
    /// This session's CSRF token.
    pub csrf: String,
}

/// The signed-in user, if any.
pub struct MaybeUser(pub Option<User>);

/// A signed-in user; anonymous visitors are sent to the login page.
pub struct Auth(pub User);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        Ok(MaybeUser(session_user(&state.db, &parts.headers).await?))
    }
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        match session_user(&state.db, &parts.headers).await? {
            Some(u) => Ok(Auth(u)),
            None => Err(AppError::Login),
        }
    }
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex(&b)
}

pub fn sha256_hex(s: &str) -> String {
    hex(&Sha256::digest(s.as_bytes()))
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Constant-time comparison of two tokens.
pub fn same_token(a: &str, b: &str) -> bool {
    if a.len() != b.len() || a.is_empty() {
        return false;
    }
    a.bytes()
        .zip(b.bytes())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

async fn session_user(db: &Db, headers: &HeaderMap) -> Result<Option<User>, AppError> {
    let Some(token) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    if token.len() != 64 {
        return Ok(None);
    }
    let row = sqlx::query(
        "SELECT u.id, u.username, u.role, u.dept_id, u.unit_key, u.region, u.display_name, s.csrf \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2",
    )
    .bind(sha256_hex(&token))
    .bind(now())
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let role: String = row.try_get("role")?;
    let Some(role) = Role::parse(&role) else {
        return Ok(None);
    };
    Ok(Some(User {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        role,
        dept_id: row.try_get("dept_id")?,
        unit_key: row.try_get("unit_key")?,
        region: row.try_get("region")?,
        display_name: row.try_get("display_name")?,
        csrf: row.try_get("csrf")?,
    }))
}

/// Refuses a form whose CSRF field does not match the session's token.
pub fn require_csrf(user: &User, field: Option<&str>) -> Result<(), AppError> {
    match field {
        Some(f) if same_token(f, &user.csrf) => Ok(()),
        _ => Err(AppError::Csrf),
    }
}

pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| format!("无法计算密码散列：{e}"))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(h) => Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok(),
        Err(_) => false,
    }
}

/// A fixed hash verified when the user does not exist, so both cases take as long.
fn dummy_hash() -> &'static str {
    static H: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    H.get_or_init(|| hash_password("juesuan-dummy-password").unwrap_or_default())
}

pub enum LoginOutcome {
    /// The session token for the cookie.
    Ok(String),
    Wrong,
    Limited,
}

/// Checks the password, counting failures per user name and address; on success opens a
/// session.
pub async fn login(
    db: &Db,
    username: &str,
    password: &str,
    ip: &str,
) -> Result<LoginOutcome, AppError> {
    let t = now();
    let failures: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM login_failures WHERE username = $1 AND ip = $2 AND at > $3",
    )
    .bind(username)
    .bind(ip)
    .bind(t - FAILURE_WINDOW)
    .fetch_one(&db.pool)
    .await?
    .try_get("n")?;
    if failures >= MAX_FAILURES {
        return Ok(LoginOutcome::Limited);
    }
    let row = sqlx::query("SELECT id, password_hash FROM users WHERE username = $1")
        .bind(username)
        .fetch_optional(&db.pool)
        .await?;
    let (id, hash) = match &row {
        Some(r) => (
            Some(r.try_get::<i64, _>("id")?),
            r.try_get::<String, _>("password_hash")?,
        ),
        None => (None, dummy_hash().to_string()),
    };
    let pw = password.to_string();
    let ok = tokio::task::spawn_blocking(move || verify_password(&pw, &hash))
        .await
        .unwrap_or(false);
    let Some(id) = id.filter(|_| ok) else {
        sqlx::query("INSERT INTO login_failures (username, ip, at) VALUES ($1, $2, $3)")
            .bind(username)
            .bind(ip)
            .bind(t)
            .execute(&db.pool)
            .await?;
        return Ok(LoginOutcome::Wrong);
    };
    let token = random_token();
    sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
        .bind(t)
        .execute(&db.pool)
        .await?;
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(sha256_hex(&token))
    .bind(id)
    .bind(random_token())
    .bind(t + SESSION_SECONDS)
    .execute(&db.pool)
    .await?;
    Ok(LoginOutcome::Ok(token))
}

pub async fn logout(db: &Db, headers: &HeaderMap) -> Result<(), AppError> {
    if let Some(token) = cookie(headers, SESSION_COOKIE) {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(sha256_hex(&token))
            .execute(&db.pool)
            .await?;
    }
    Ok(())
}

/// A new user; the caller checks the role's scope fields.
pub struct NewUser<'a> {
    pub username: &'a str,
    pub password: &'a str,
    pub role: Role,
    pub dept_id: i64,
    pub unit_key: &'a str,
    pub region: &'a str,
    pub display_name: &'a str,
}

/// Creates a user, or with `replace` resets an existing one's password and scope.
pub async fn create_user(db: &Db, u: &NewUser<'_>, replace: bool) -> Result<i64, AppError> {
    if u.username.is_empty()
        || u.username.chars().count() > 64
        || !u
            .username
            .chars()
            .all(|c| c.is_alphanumeric() || "-_.".contains(c))
    {
        return Err(AppError::BadRequest(
            "用户名只能包含字母、数字、“-”“_”“.”，长度 1–64".into(),
        ));
    }
    if u.password.chars().count() < 10 {
        return Err(AppError::BadRequest("密码至少 10 个字符".into()));
    }
    let pw = u.password.to_string();
    let hash = tokio::task::spawn_blocking(move || hash_password(&pw))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::Internal)?;
    let mut tx = db.begin().await?;
    let existing = sqlx::query("SELECT id FROM users WHERE username = $1")
        .bind(u.username)
        .fetch_optional(&mut *tx)
        .await?;
    let id = match existing {
        Some(row) if replace => {
            let id: i64 = row.try_get("id")?;
            sqlx::query(
                "UPDATE users SET password_hash = $1, role = $2, dept_id = $3, unit_key = $4, region = $5, display_name = $6 WHERE id = $7",
            )
            .bind(&hash)
            .bind(u.role.as_str())
            .bind(u.dept_id)
            .bind(u.unit_key)
            .bind(u.region)
            .bind(u.display_name)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            id
        }
        Some(_) => {
            return Err(AppError::BadRequest(format!(
                "用户名“{}”已存在",
                u.username
            )))
        }
        None => {
            let id = Db::next_id(&mut *tx).await?;
            sqlx::query(
                "INSERT INTO users (id, username, password_hash, role, dept_id, unit_key, region, display_name, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(id)
            .bind(u.username)
            .bind(&hash)
            .bind(u.role.as_str())
            .bind(u.dept_id)
            .bind(u.unit_key)
            .bind(u.region)
            .bind(u.display_name)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            id
        }
    };
    tx.commit().await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_round_trip() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong horse", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn tokens() {
        let a = random_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_token());
        assert!(same_token(&a, &a.clone()));
        assert!(!same_token(&a, &random_token()));
        assert!(!same_token("", ""));
    }

    #[test]
    fn cookie_parsing() {
        let mut h = HeaderMap::new();
        h.insert("cookie", "a=1; js=abc; c=3".parse().unwrap());
        assert_eq!(cookie(&h, "js").as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "x"), None);
    }
}
