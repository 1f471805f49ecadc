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
/// At most this many failed logins from one address (any user names) in the window.
pub const MAX_FAILURES_PER_ADDRESS: i64 = 30;
/// Failures of one account (any addresses) in the window before the back-off starts.
pub const ACCOUNT_FREE_FAILURES: i64 = 10;
/// The longest back-off of one account, in seconds.
pub const ACCOUNT_MAX_DELAY: i64 = 300;

/// An address block (`10.0.0.0/8`, `::1/128`, or a bare address) for `--trusted-proxy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    net: std::net::IpAddr,
    bits: u8,
}

impl Cidr {
    pub fn parse(s: &str) -> Result<Cidr, String> {
        let bad = || format!("无效的地址段“{s}”（例：10.0.0.0/8、127.0.0.1、::1/128）");
        let (a, b) = match s.trim().split_once('/') {
            Some((a, b)) => (a, Some(b)),
            None => (s.trim(), None),
        };
        let net: std::net::IpAddr = a.parse().map_err(|_| bad())?;
        let max = if net.is_ipv4() { 32 } else { 128 };
        let bits = match b {
            Some(b) => b.parse::<u8>().map_err(|_| bad())?,
            None => max,
        };
        if bits > max {
            return Err(bad());
        }
        Ok(Cidr { net, bits })
    }

    pub fn contains(&self, ip: std::net::IpAddr) -> bool {
        let ip = match ip {
            std::net::IpAddr::V6(v6) => v6.to_ipv4_mapped().map(std::net::IpAddr::V4).unwrap_or(ip),
            v4 => v4,
        };
        let (a, b, len) = match (self.net, ip) {
            (std::net::IpAddr::V4(n), std::net::IpAddr::V4(i)) => {
                (u32::from(n) as u128, u32::from(i) as u128, 32u32)
            }
            (std::net::IpAddr::V6(n), std::net::IpAddr::V6(i)) => {
                (u128::from(n), u128::from(i), 128u32)
            }
            _ => return false,
        };
        let shift = len - u32::from(self.bits);
        if shift >= 128 {
            return true;
        }
        (a >> shift) == (b >> shift)
    }
}

/// The client's address: the direct peer, or, when the peer is a trusted proxy, the
/// right-most `X-Forwarded-For` entry that is not itself a trusted proxy. A header from any
/// other peer is ignored (it could say anything).
pub fn client_ip(
    peer: std::net::IpAddr,
    headers: &HeaderMap,
    trusted: &[Cidr],
) -> std::net::IpAddr {
    let is_trusted = |ip: std::net::IpAddr| trusted.iter().any(|c| c.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let mut hops: Vec<std::net::IpAddr> = Vec::new();
    for v in headers.get_all("x-forwarded-for") {
        let Ok(v) = v.to_str() else { return peer };
        for part in v.split(',') {
            match part.trim().parse::<std::net::IpAddr>() {
                Ok(ip) => hops.push(ip),
                // An unreadable entry: nothing left of it can be trusted.
                Err(_) => hops.clear(),
            }
        }
    }
    hops.into_iter()
        .rev()
        .find(|ip| !is_trusted(*ip))
        .unwrap_or(peer)
}

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
    /// Not evaluated; the text says why and for how long.
    Limited(String),
}

/// How long an account waits after `n` failures in the window (from any address), in
/// seconds: none below [`ACCOUNT_FREE_FAILURES`], then 4, 8, 16, … up to
/// [`ACCOUNT_MAX_DELAY`]. A back-off, not a lock-out: the owner can always try again soon.
pub fn account_delay(n: i64) -> i64 {
    if n < ACCOUNT_FREE_FAILURES {
        0
    } else {
        let k = (n - ACCOUNT_FREE_FAILURES + 2).min(20) as u32;
        (1i64 << k).min(ACCOUNT_MAX_DELAY)
    }
}

/// Checks the password, with three limits on failures in the window: per (user name,
/// address), per address over all user names, and per user name over all addresses
/// (exponential back-off). Unknown user names count like known ones and cost a dummy argon2
/// verification, so the answer does not tell whether the user exists. On success opens a
/// session.
pub async fn login(
    db: &Db,
    username: &str,
    password: &str,
    ip: &str,
) -> Result<LoginOutcome, AppError> {
    let t = now();
    let since = t - FAILURE_WINDOW;
    let count = |sql: &'static str, a: String| async move {
        let n: i64 = sqlx::query(sql)
            .bind(a)
            .bind(since)
            .fetch_one(&db.pool)
            .await?
            .try_get("n")?;
        Ok::<i64, AppError>(n)
    };
    let pair: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM login_failures WHERE username = $1 AND ip = $2 AND at > $3",
    )
    .bind(username)
    .bind(ip)
    .bind(since)
    .fetch_one(&db.pool)
    .await?
    .try_get("n")?;
    if pair >= MAX_FAILURES {
        return Ok(LoginOutcome::Limited(format!(
            "此账号在本地址连续登录失败 {MAX_FAILURES} 次，请 15 分钟后再试。"
        )));
    }
    let from_ip = count(
        "SELECT COUNT(*) AS n FROM login_failures WHERE ip = $1 AND at > $2",
        ip.to_string(),
    )
    .await?;
    if from_ip >= MAX_FAILURES_PER_ADDRESS {
        return Ok(LoginOutcome::Limited(format!(
            "本地址登录失败次数过多（{MAX_FAILURES_PER_ADDRESS} 次），请 15 分钟后再试。"
        )));
    }
    let row = sqlx::query(
        "SELECT COUNT(*) AS n, MAX(at) AS last FROM login_failures WHERE username = $1 AND at > $2",
    )
    .bind(username)
    .bind(since)
    .fetch_one(&db.pool)
    .await?;
    let account: i64 = row.try_get("n")?;
    let last: Option<i64> = row.try_get("last")?;
    let wait = account_delay(account);
    if let Some(last) = last {
        if wait > 0 && t < last + wait {
            return Ok(LoginOutcome::Limited(format!(
                "此账号近期登录失败 {account} 次，请 {} 秒后再试。",
                last + wait - t
            )));
        }
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
        sqlx::query("DELETE FROM login_failures WHERE at <= $1")
            .bind(since)
            .execute(&db.pool)
            .await?;
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

#[cfg(test)]
mod limit_tests {
    use super::*;

    fn xff(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", v.parse().unwrap());
        h
    }

    #[test]
    fn cidr_blocks() {
        let c = Cidr::parse("10.0.0.0/8").unwrap();
        assert!(c.contains("10.1.2.3".parse().unwrap()));
        assert!(!c.contains("11.0.0.1".parse().unwrap()));
        assert!(c.contains("::ffff:10.0.0.1".parse().unwrap()));
        assert!(Cidr::parse("0.0.0.0/0")
            .unwrap()
            .contains("8.8.8.8".parse().unwrap()));
        assert!(Cidr::parse("::1").unwrap().contains("::1".parse().unwrap()));
        assert!(Cidr::parse("10.0.0.0/33").is_err());
        assert!(Cidr::parse("proxy").is_err());
    }

    #[test]
    fn forwarded_for_only_from_a_trusted_peer() {
        let trusted = [
            Cidr::parse("127.0.0.1").unwrap(),
            Cidr::parse("10.0.0.0/8").unwrap(),
        ];
        let proxy: std::net::IpAddr = "127.0.0.1".parse().unwrap();
        let stranger: std::net::IpAddr = "192.0.2.9".parse().unwrap();
        // From the proxy: the right-most untrusted hop (a client's own prefix is ignored).
        assert_eq!(
            client_ip(proxy, &xff("6.6.6.6, 198.51.100.1, 10.0.0.5"), &trusted),
            "198.51.100.1".parse::<std::net::IpAddr>().unwrap()
        );
        // From anyone else: the peer, whatever the header says.
        assert_eq!(client_ip(stranger, &xff("6.6.6.6"), &trusted), stranger);
        // No header, or garbage: the peer.
        assert_eq!(client_ip(proxy, &HeaderMap::new(), &trusted), proxy);
        assert_eq!(client_ip(proxy, &xff("not-an-ip"), &trusted), proxy);
    }

    #[test]
    fn account_back_off_grows_and_is_capped() {
        assert_eq!(account_delay(ACCOUNT_FREE_FAILURES - 1), 0);
        assert_eq!(account_delay(ACCOUNT_FREE_FAILURES), 4);
        assert_eq!(account_delay(ACCOUNT_FREE_FAILURES + 1), 8);
        assert_eq!(account_delay(1000), ACCOUNT_MAX_DELAY);
    }
}
