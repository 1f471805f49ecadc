//! Datasets, versions, transitions and the audit log in the database; the cached check
//! results and rendered documents.

use crate::auth::{Role, User};
use crate::db::{now, Db};
use crate::store::{self, Checked, Files};
use crate::{AppError, AppState};
use juesuan_model::DocKind;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct Dataset {
    pub id: i64,
    pub dept_id: i64,
    pub year: i64,
    /// 决算 or 预算 (one of each per department and year).
    pub kind: DocKind,
    pub name: String,
    pub state: String,
    pub current_version: i64,
    pub published_version: i64,
    pub published_at: i64,
    pub updated_at: i64,
    pub dept_name: String,
    pub region: String,
}

const DATASET_COLUMNS: &str = "d.id, d.dept_id, d.year, d.kind, d.name, d.state, d.current_version, d.published_version, d.published_at, d.updated_at, p.name AS dept_name, p.region";

fn dataset_row(r: &AnyRow) -> Result<Dataset, sqlx::Error> {
    Ok(Dataset {
        id: r.try_get("id")?,
        dept_id: r.try_get("dept_id")?,
        year: r.try_get("year")?,
        kind: DocKind::parse(&r.try_get::<String, _>("kind")?).unwrap_or_default(),
        name: r.try_get("name")?,
        state: r.try_get("state")?,
        current_version: r.try_get("current_version")?,
        published_version: r.try_get("published_version")?,
        published_at: r.try_get("published_at")?,
        updated_at: r.try_get("updated_at")?,
        dept_name: r.try_get("dept_name")?,
        region: r.try_get("region")?,
    })
}

pub async fn dataset(db: &Db, id: i64) -> Result<Dataset, AppError> {
    let row = sqlx::query(&format!(
        "SELECT {DATASET_COLUMNS} FROM datasets d JOIN departments p ON p.id = d.dept_id WHERE d.id = $1"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    match row {
        Some(r) => Ok(dataset_row(&r)?),
        None => Err(AppError::NotFound),
    }
}

pub async fn all_datasets(db: &Db) -> Result<Vec<Dataset>, AppError> {
    let rows = sqlx::query(&format!(
        "SELECT {DATASET_COLUMNS} FROM datasets d JOIN departments p ON p.id = d.dept_id ORDER BY d.year DESC, p.region, p.name"
    ))
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.iter().map(dataset_row).collect::<Result<_, _>>()?)
}

/// May this user see this dataset at all (a unit user: only its own unit's part)?
pub fn can_view(u: &User, d: &Dataset) -> bool {
    match u.role {
        Role::Unit | Role::Dept => u.dept_id == d.dept_id,
        Role::Finance => u.region == d.region,
        Role::Admin => false,
    }
}

/// May this user change this file of the dataset?
pub fn can_edit_file(u: &User, d: &Dataset, rel: &str) -> bool {
    if !can_view(u, d) {
        return false;
    }
    match u.role {
        Role::Dept => true,
        Role::Unit => visible_file(u, rel) && rel.starts_with("units/"),
        _ => false,
    }
}

/// Files a user may read: a unit user only its own unit's tables.
pub fn visible_file(u: &User, rel: &str) -> bool {
    match u.role {
        Role::Unit => !u.unit_key.is_empty() && rel.starts_with(&format!("units/{}/", u.unit_key)),
        _ => true,
    }
}

pub fn editable_state(s: &str) -> bool {
    s == "draft" || s == "returned"
}

pub async fn version_files(db: &Db, dataset: i64, no: i64) -> Result<Files, AppError> {
    let row = sqlx::query("SELECT files FROM versions WHERE dataset_id = $1 AND no = $2")
        .bind(dataset)
        .bind(no)
        .fetch_optional(&db.pool)
        .await?;
    let Some(row) = row else {
        return Err(AppError::NotFound);
    };
    let text: String = row.try_get("files")?;
    serde_json::from_str(&text).map_err(|e| AppError::Internal(format!("版本数据损坏：{e}")))
}

/// The check of a version (cached; versions never change).
pub async fn checked(
    state: &AppState,
    dataset: i64,
    no: i64,
) -> Result<Arc<Result<Checked, Vec<String>>>, AppError> {
    if let Some(c) = state
        .checks
        .lock()
        .ok()
        .and_then(|m| m.get(&(dataset, no)).cloned())
    {
        return Ok(c);
    }
    let files = version_files(&state.db, dataset, no).await?;
    let result = tokio::task::spawn_blocking(move || store::check(&files))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let result = Arc::new(result);
    if let Ok(mut m) = state.checks.lock() {
        if m.len() > 256 {
            m.clear();
        }
        m.insert((dataset, no), result.clone());
    }
    Ok(result)
}

/// An append-only audit record (inside the caller's transaction).
pub async fn audit<'c>(
    tx: &mut sqlx::Transaction<'c, sqlx::Any>,
    user: Option<&User>,
    action: &str,
    dataset: i64,
    detail: &str,
) -> Result<(), sqlx::Error> {
    let id = Db::next_id(&mut **tx).await?;
    sqlx::query(
        "INSERT INTO audit_log (id, at, user_id, username, action, dataset_id, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(now())
    .bind(user.map_or(0, |u| u.id))
    .bind(user.map_or("系统", |u| u.username.as_str()))
    .bind(action)
    .bind(dataset)
    .bind(detail)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Why a save was not made.
pub enum SaveError {
    /// Someone saved first (or the state changed): the current version.
    Stale(i64),
    Db(sqlx::Error),
}

impl From<sqlx::Error> for SaveError {
    fn from(e: sqlx::Error) -> SaveError {
        SaveError::Db(e)
    }
}

/// Stores `files` as version `base + 1`, only if the dataset is still at `base` and editable.
pub async fn save_version(
    db: &Db,
    dataset: i64,
    base: i64,
    files: &Files,
    user: &User,
    note: &str,
) -> Result<i64, SaveError> {
    let text = serde_json::to_string(files)
        .map_err(|e| SaveError::Db(sqlx::Error::Decode(Box::new(e))))?;
    let new = base + 1;
    let t = now();
    let mut tx = db.begin().await?;
    let updated = sqlx::query(
        "UPDATE datasets SET current_version = $1, updated_at = $2 WHERE id = $3 AND current_version = $4 AND state IN ('draft', 'returned')",
    )
    .bind(new)
    .bind(t)
    .bind(dataset)
    .bind(base)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated != 1 {
        tx.rollback().await?;
        let row = sqlx::query("SELECT current_version FROM datasets WHERE id = $1")
            .bind(dataset)
            .fetch_one(&db.pool)
            .await?;
        return Err(SaveError::Stale(row.try_get("current_version")?));
    }
    sqlx::query(
        "INSERT INTO versions (dataset_id, no, files, author_id, created_at, note) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(dataset)
    .bind(new)
    .bind(&text)
    .bind(user.id)
    .bind(t)
    .bind(note)
    .execute(&mut *tx)
    .await?;
    audit(
        &mut tx,
        Some(user),
        "保存",
        dataset,
        &format!("版本 {new}：{note}"),
    )
    .await?;
    tx.commit().await?;
    Ok(new)
}

/// Creates a department (for the demo and tests).
pub async fn create_department(db: &Db, name: &str, region: &str) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO regions (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
    )
    .bind(region)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    let id = Db::next_id(&mut *tx).await?;
    sqlx::query("INSERT INTO departments (id, name, region) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(name)
        .bind(region)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// Creates a dataset with its first version, in draft.
pub async fn create_dataset(
    db: &Db,
    dept_id: i64,
    year: i64,
    kind: DocKind,
    name: &str,
    files: &Files,
    user: Option<&User>,
) -> Result<Option<i64>, sqlx::Error> {
    let text = serde_json::to_string(files).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    let t = now();
    let mut tx = db.begin().await?;
    let exists: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM datasets WHERE dept_id = $1 AND year = $2 AND kind = $3",
    )
    .bind(dept_id)
    .bind(year)
    .bind(kind.chinese())
    .fetch_one(&mut *tx)
    .await?
    .try_get("n")?;
    if exists > 0 {
        tx.rollback().await?;
        return Ok(None);
    }
    let id = Db::next_id(&mut *tx).await?;
    sqlx::query(
        "INSERT INTO datasets (id, dept_id, year, kind, name, state, current_version, published_version, published_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'draft', 1, 0, 0, $6)",
    )
    .bind(id)
    .bind(dept_id)
    .bind(year)
    .bind(kind.chinese())
    .bind(name)
    .bind(t)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO versions (dataset_id, no, files, author_id, created_at, note) VALUES ($1, 1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(&text)
    .bind(user.map_or(0, |u| u.id))
    .bind(t)
    .bind("首次上传")
    .execute(&mut *tx)
    .await?;
    audit(
        &mut tx,
        user,
        "创建数据集",
        id,
        &format!("{name} {year} 年度，版本 1"),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(id))
}

/// A workflow step: who may take it, from which states, to which state.
pub fn step(action: &str) -> Option<(Role, &'static [&'static str], &'static str, &'static str)> {
    Some(match action {
        "submit" => (Role::Dept, &["draft", "returned"], "submitted", "提交"),
        "return" => (
            Role::Finance,
            &["submitted", "approved"],
            "returned",
            "退回",
        ),
        "approve" => (Role::Finance, &["submitted"], "approved", "审核通过"),
        "publish" => (Role::Finance, &["approved"], "published", "公开"),
        _ => return None,
    })
}

/// Moves the dataset from `from` to `to` if it is still in `from` at `version`; records the
/// transition and the audit entry. Returns false when someone else moved it first.
#[allow(clippy::too_many_arguments)]
pub async fn apply_transition(
    db: &Db,
    d: &Dataset,
    from: &str,
    to: &str,
    version: i64,
    user: &User,
    label: &str,
    comment: &str,
) -> Result<bool, sqlx::Error> {
    let t = now();
    let mut tx = db.begin().await?;
    let (pv, pa) = if to == "published" {
        (version, t)
    } else {
        (d.published_version, d.published_at)
    };
    let n = sqlx::query(
        "UPDATE datasets SET state = $1, published_version = $2, published_at = $3, updated_at = $4 \
         WHERE id = $5 AND state = $6 AND current_version = $7",
    )
    .bind(to)
    .bind(pv)
    .bind(pa)
    .bind(t)
    .bind(d.id)
    .bind(from)
    .bind(version)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n != 1 {
        tx.rollback().await?;
        return Ok(false);
    }
    let id = Db::next_id(&mut *tx).await?;
    sqlx::query(
        "INSERT INTO transitions (id, dataset_id, from_state, to_state, user_id, at, comment, version_no) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(d.id)
    .bind(from)
    .bind(to)
    .bind(user.id)
    .bind(t)
    .bind(comment)
    .bind(version)
    .execute(&mut *tx)
    .await?;
    let detail = if comment.is_empty() {
        format!("版本 {version}")
    } else {
        format!("版本 {version}；意见：{comment}")
    };
    audit(&mut tx, Some(user), label, d.id, &detail).await?;
    tx.commit().await?;
    Ok(true)
}

/// A unit's files in a version: its tables, under `units/<key>/`.
fn unit_files<'f>(files: &'f Files, unit: &str) -> Vec<(&'f String, &'f String)> {
    let prefix = format!("units/{unit}/");
    files
        .iter()
        .filter(|(k, _)| k.starts_with(&prefix))
        .collect()
}

/// 单位报送: where one unit of a dataset stands.
#[derive(Clone, Debug)]
pub struct UnitReport {
    pub unit: String,
    /// The version reported, who and when; `None` if never reported.
    pub reported: Option<(i64, String, i64)>,
    /// The unit's tables are the same now as in the reported version.
    pub current: bool,
    /// The unit has a 单位 account: then it reports itself and the department's submission
    /// waits for it. A unit without one is prepared by the department.
    pub has_account: bool,
}

/// Every unit of the dataset's current version with its report.
pub async fn unit_reports(
    db: &Db,
    d: &Dataset,
    files: &Files,
) -> Result<Vec<UnitReport>, AppError> {
    let units = store::unit_ids(files);
    let accounts: std::collections::BTreeSet<String> =
        sqlx::query("SELECT DISTINCT unit_key FROM users WHERE role = $1 AND dept_id = $2")
            .bind(Role::Unit.as_str())
            .bind(d.dept_id)
            .fetch_all(&db.pool)
            .await?
            .iter()
            .map(|r| r.try_get::<String, _>("unit_key"))
            .collect::<Result<_, _>>()?;
    let rows = sqlx::query(
        "SELECT r.unit_key, r.version_no, r.at, u.username FROM unit_reports r JOIN users u ON u.id = r.user_id WHERE r.dataset_id = $1",
    )
    .bind(d.id)
    .fetch_all(&db.pool)
    .await?;
    let mut reported = std::collections::BTreeMap::new();
    for r in rows {
        let unit: String = r.try_get("unit_key")?;
        let no: i64 = r.try_get("version_no")?;
        reported.insert(
            unit,
            (
                no,
                r.try_get::<String, _>("username")?,
                r.try_get::<i64, _>("at")?,
            ),
        );
    }
    let mut out = Vec::new();
    let mut versions: std::collections::BTreeMap<i64, Files> = std::collections::BTreeMap::new();
    for unit in units {
        let r = reported.get(&unit).cloned();
        let current = match &r {
            Some((no, _, _)) => {
                if !versions.contains_key(no) {
                    versions.insert(*no, version_files(db, d.id, *no).await?);
                }
                unit_files(&versions[no], &unit) == unit_files(files, &unit)
            }
            None => false,
        };
        out.push(UnitReport {
            has_account: accounts.contains(&unit),
            unit,
            reported: r,
            current,
        });
    }
    Ok(out)
}

/// The units whose report the department's submission waits for: those with a 单位 account
/// whose current tables are not the ones they reported.
pub fn waiting_units(reports: &[UnitReport]) -> Vec<&UnitReport> {
    reports
        .iter()
        .filter(|r| r.has_account && !r.current)
        .collect()
}

/// Records that `unit` reports its tables as of `version`, if the dataset is still editable
/// at that version. Returns false when it moved on first.
pub async fn report_unit(
    db: &Db,
    d: &Dataset,
    unit: &str,
    version: i64,
    user: &User,
) -> Result<bool, sqlx::Error> {
    let t = now();
    let mut tx = db.begin().await?;
    // Touching the row takes its lock, so a concurrent save or transition cannot slip in.
    let n = sqlx::query(
        "UPDATE datasets SET updated_at = $1 WHERE id = $2 AND current_version = $3 AND state IN ('draft', 'returned')",
    )
    .bind(t)
    .bind(d.id)
    .bind(version)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n != 1 {
        tx.rollback().await?;
        return Ok(false);
    }
    sqlx::query("DELETE FROM unit_reports WHERE dataset_id = $1 AND unit_key = $2")
        .bind(d.id)
        .bind(unit)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO unit_reports (dataset_id, unit_key, version_no, user_id, at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(d.id)
    .bind(unit)
    .bind(version)
    .bind(user.id)
    .bind(t)
    .execute(&mut *tx)
    .await?;
    audit(
        &mut tx,
        Some(user),
        "单位报送",
        d.id,
        &format!("单位 {unit}，版本 {version}"),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
