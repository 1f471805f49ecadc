//! The database: one `sqlx::AnyPool` over SQLite or PostgreSQL, the embedded migrations, and
//! the few helpers every handler uses. All SQL is run-time text with `$n` parameters, which
//! both drivers accept; no value is ever formatted into a statement.

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};
use std::time::{SystemTime, UNIX_EPOCH};

/// The migrations, in order: (version, name, SQL, PostgreSQL's own SQL where the two differ).
/// Each file is plain SQL; statements are separated by `;` at the end of a line.
type Migration = (i64, &'static str, &'static str, Option<&'static str>);
const MIGRATIONS: &[Migration] = &[
    (1, "init", include_str!("../migrations/0001_init.sql"), None),
    (
        2,
        "unit_reports",
        include_str!("../migrations/0002_unit_reports.sql"),
        None,
    ),
    (
        3,
        "login_failures_at",
        include_str!("../migrations/0003_login_failures_at.sql"),
        None,
    ),
    (
        4,
        "regions",
        include_str!("../migrations/0004_regions.sql"),
        None,
    ),
    (
        5,
        "dataset_kind",
        include_str!("../migrations/0005_dataset_kind.sql"),
        Some(include_str!("../migrations/0005_dataset_kind.postgres.sql")),
    ),
];

#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub sqlite: bool,
}

/// The database URL when none is given: one SQLite file in the working directory.
pub const DEFAULT_URL: &str = "sqlite:juesuan.db";

impl Db {
    /// Connects (creating an SQLite file if needed) and applies missing migrations.
    pub async fn open(url: &str) -> Result<Db, String> {
        Db::open_at(url, i64::MAX).await
    }

    /// [`Db::open`] with the migrations applied up to `version` only: a database as an older
    /// release left it, for the tests of an upgrade.
    pub async fn open_at(url: &str, version: i64) -> Result<Db, String> {
        sqlx::any::install_default_drivers();
        let sqlite = url.starts_with("sqlite:");
        let url = if sqlite && !url.contains("mode=") && !url.contains(":memory:") {
            let sep = if url.contains('?') { '&' } else { '?' };
            format!("{url}{sep}mode=rwc")
        } else {
            url.to_string()
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if sqlite { 4 } else { 16 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if sqlite {
                        sqlx::query("PRAGMA journal_mode = WAL")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA busy_timeout = 10000")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA foreign_keys = ON")
                            .execute(&mut *conn)
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(|e| format!("无法连接数据库 {}：{e}", redact(&url)))?;
        let db = Db { pool, sqlite };
        db.migrate(version).await?;
        Ok(db)
    }

    async fn migrate(&self, upto: i64) -> Result<(), String> {
        let err = |e: sqlx::Error| format!("数据库迁移失败：{e}");
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
        )
        .execute(&self.pool)
        .await
        .map_err(err)?;
        for (version, name, sql, postgres) in MIGRATIONS {
            if *version > upto {
                break;
            }
            let sql = match postgres {
                Some(pg) if !self.sqlite => pg,
                _ => sql,
            };
            let done: i64 =
                sqlx::query("SELECT COUNT(*) AS n FROM schema_migrations WHERE version = $1")
                    .bind(*version)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(err)?
                    .try_get("n")
                    .map_err(err)?;
            if done > 0 {
                continue;
            }
            let mut tx = self.pool.begin().await.map_err(err)?;
            for stmt in statements(sql) {
                sqlx::query(&stmt).execute(&mut *tx).await.map_err(err)?;
            }
            sqlx::query(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            )
            .bind(*version)
            .bind(*name)
            .bind(now())
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            tx.commit().await.map_err(err)?;
        }
        Ok(())
    }

    /// Begins a transaction. SQLite: `BEGIN IMMEDIATE`, so a transaction that reads and then
    /// writes takes the write lock first and waits (busy timeout) instead of failing with
    /// "database is locked" when another writer committed in between.
    pub async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        if self.sqlite {
            self.pool.begin_with("BEGIN IMMEDIATE").await
        } else {
            self.pool.begin().await
        }
    }

    /// The next id of any table (one counter for all; ids are unique across tables).
    pub async fn next_id<'c, E>(exec: E) -> Result<i64, sqlx::Error>
    where
        E: sqlx::Executor<'c, Database = sqlx::Any>,
    {
        let row: AnyRow =
            sqlx::query("UPDATE counters SET value = value + 1 WHERE name = 'ids' RETURNING value")
                .fetch_one(exec)
                .await?;
        row.try_get("value")
    }
}

/// Splits a migration file into statements: `;` at the end of a line ends one; `--` lines are
/// comments.
fn statements(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in sql.lines() {
        let t = line.trim();
        if t.starts_with("--") || t.is_empty() {
            continue;
        }
        cur.push_str(line);
        cur.push('\n');
        if t.ends_with(';') {
            let s = cur.trim().trim_end_matches(';').to_string();
            out.push(s);
            cur.clear();
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

fn redact(url: &str) -> String {
    // postgres://user:password@host/db → postgres://user:***@host/db
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Unix seconds.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Unix seconds as Beijing time, `2025-03-01 14:05:09`.
pub fn format_time(t: i64) -> String {
    let t = t + 8 * 3600;
    let days = t.div_euclid(86400);
    let secs = t.rem_euclid(86400);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_statements_and_skips_comments() {
        let s = statements("-- c\nCREATE TABLE a (x TEXT);\nINSERT INTO a VALUES ('x');\n");
        assert_eq!(
            s,
            vec!["CREATE TABLE a (x TEXT)", "INSERT INTO a VALUES ('x')"]
        );
    }

    #[test]
    fn formats_beijing_time() {
        assert_eq!(format_time(0), "1970-01-01 08:00:00");
        assert_eq!(format_time(1_709_251_200), "2024-03-01 08:00:00");
    }

    #[test]
    fn redacts_passwords() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
    }
}
