//! `juesuan admin`: setting up and running an install from the command line, over the same
//! database layer (and the same migrations, password hashing and rules) as the server.

use crate::auth::{self, NewUser, Role, User};
use crate::data;
use crate::db::{format_time, now, Db};
use crate::AppError;
use sqlx::Row;

/// One `juesuan admin` operation.
#[derive(Clone, Debug)]
pub enum AdminOp {
    /// Create the database (SQLite) and apply the migrations.
    Init,
    AddRegion {
        name: String,
    },
    AddDepartment {
        name: String,
        region: String,
    },
    AddUser {
        username: String,
        role: Role,
        /// Department id or name (单位 and 部门 users).
        department: Option<String>,
        /// The unit's id in the dataset (单位 users).
        unit: Option<String>,
        /// The region (财政 users).
        region: Option<String>,
        display_name: Option<String>,
        password: String,
    },
    ListUsers,
    ResetPassword {
        username: String,
        password: String,
    },
    /// SQLite only: a consistent copy of the live database (`VACUUM INTO`).
    Backup {
        out: std::path::PathBuf,
    },
}

fn text(e: AppError) -> String {
    match e {
        AppError::BadRequest(m) | AppError::TooMany(m) | AppError::Busy(m) => m,
        AppError::Internal(m) => m,
        AppError::NotFound => "不存在".into(),
        other => format!("{other:?}"),
    }
}

fn db_err(e: sqlx::Error) -> String {
    format!("数据库错误：{e}")
}

/// Runs one operation on the database at `url` and returns what to print.
pub fn admin_blocking(url: &str, op: AdminOp) -> Result<String, String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("无法启动运行时：{e}"))?;
    rt.block_on(async move {
        let db = Db::open(url).await?;
        admin(&db, None, op).await
    })
}

async fn region_exists(db: &Db, name: &str) -> Result<bool, String> {
    Ok(sqlx::query("SELECT name FROM regions WHERE name = $1")
        .bind(name)
        .fetch_optional(&db.pool)
        .await
        .map_err(db_err)?
        .is_some())
}

fn check_name(what: &str, name: &str) -> Result<(), String> {
    if name.trim().is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(format!("{what}不能为空、不超过 100 个字符、不含控制字符"));
    }
    Ok(())
}

/// Finds a department by id or by its exact name.
async fn department(db: &Db, key: &str) -> Result<(i64, String), String> {
    let rows = sqlx::query("SELECT id, name FROM departments ORDER BY id")
        .fetch_all(&db.pool)
        .await
        .map_err(db_err)?;
    let mut found = Vec::new();
    for r in rows {
        let id: i64 = r.try_get("id").map_err(db_err)?;
        let name: String = r.try_get("name").map_err(db_err)?;
        if key.trim() == id.to_string() || key.trim() == name {
            found.push((id, name));
        }
    }
    match found.len() {
        0 => Err(format!(
            "部门“{key}”不存在（可用 juesuan admin add-department 或“机构管理”页面创建，用编号或名称指定）"
        )),
        1 => Ok(found.remove(0)),
        _ => Err(format!("有多个名为“{key}”的部门，请用编号指定")),
    }
}

/// Runs one operation on an open database; `actor` is the administrator signed in to the
/// admin pages (`None`: the command line), named in the audit log.
pub async fn admin(db: &Db, actor: Option<&User>, op: AdminOp) -> Result<String, String> {
    match op {
        AdminOp::Init => Ok(
            "数据库已就绪（迁移已应用）。下一步：juesuan admin add-user --role admin …".to_string(),
        ),
        AdminOp::AddRegion { name } => {
            let name = name.trim().to_string();
            check_name("地区名称", &name)?;
            if region_exists(db, &name).await? {
                return Err(format!("地区“{name}”已存在"));
            }
            let mut tx = db.begin().await.map_err(db_err)?;
            sqlx::query("INSERT INTO regions (name, created_at) VALUES ($1, $2)")
                .bind(&name)
                .bind(now())
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            data::audit(&mut tx, actor, "新建地区", 0, &name)
                .await
                .map_err(db_err)?;
            tx.commit().await.map_err(db_err)?;
            Ok(format!("已创建地区“{name}”"))
        }
        AdminOp::AddDepartment { name, region } => {
            let (name, region) = (name.trim().to_string(), region.trim().to_string());
            check_name("部门名称", &name)?;
            if !region_exists(db, &region).await? {
                return Err(format!(
                    "地区“{region}”不存在：请先用 juesuan admin add-region 或“机构管理”页面创建"
                ));
            }
            let id = data::create_department(db, &name, &region)
                .await
                .map_err(db_err)?;
            let mut tx = db.begin().await.map_err(db_err)?;
            data::audit(
                &mut tx,
                actor,
                "新建部门",
                0,
                &format!("{name}（{region}，编号 {id}）"),
            )
            .await
            .map_err(db_err)?;
            tx.commit().await.map_err(db_err)?;
            Ok(format!("已创建部门“{name}”（地区 {region}，编号 {id}）"))
        }
        AdminOp::AddUser {
            username,
            role,
            department: dept,
            unit,
            region,
            display_name,
            password,
        } => {
            let dept_id = match (role, dept.as_deref()) {
                (Role::Unit | Role::Dept, Some(k)) => department(db, k).await?.0,
                (Role::Unit | Role::Dept, None) => {
                    return Err("单位和部门用户必须用 --department 指定部门".into())
                }
                _ => 0,
            };
            let unit = unit.unwrap_or_default();
            if role == Role::Unit && unit.trim().is_empty() {
                return Err("单位用户必须用 --unit 指定单位编号（数据集中 units 的 id）".into());
            }
            let region = region.unwrap_or_default();
            if role == Role::Finance {
                if region.trim().is_empty() {
                    return Err("财政用户必须用 --region 指定地区".into());
                }
                if !region_exists(db, region.trim()).await? {
                    return Err(format!(
                        "地区“{}”不存在：请先用 juesuan admin add-region 或“机构管理”页面创建",
                        region.trim()
                    ));
                }
            }
            let display = display_name.unwrap_or_else(|| username.clone());
            let id = auth::create_user(
                db,
                &NewUser {
                    username: username.trim(),
                    password: &password,
                    role,
                    dept_id,
                    unit_key: if role == Role::Unit { unit.trim() } else { "" },
                    region: if role == Role::Finance {
                        region.trim()
                    } else {
                        ""
                    },
                    display_name: display.trim(),
                },
                false,
            )
            .await
            .map_err(text)?;
            let mut tx = db.begin().await.map_err(db_err)?;
            data::audit(
                &mut tx,
                actor,
                "新建用户",
                0,
                &format!("{}（{}，编号 {id}）", username.trim(), role.label()),
            )
            .await
            .map_err(db_err)?;
            tx.commit().await.map_err(db_err)?;
            Ok(format!(
                "已创建{}用户“{}”（编号 {id}）",
                role.label(),
                username.trim()
            ))
        }
        AdminOp::ListUsers => {
            let rows = sqlx::query(
                "SELECT u.id, u.username, u.display_name, u.role, u.unit_key, u.region, u.created_at, p.name AS dept FROM users u \
                 LEFT JOIN departments p ON p.id = u.dept_id ORDER BY u.id",
            )
            .fetch_all(&db.pool)
            .await
            .map_err(db_err)?;
            let mut out = String::from("编号\t用户名\t角色\t姓名\t部门\t单位\t地区\t创建时间\n");
            for r in &rows {
                let role: String = r.try_get("role").map_err(db_err)?;
                let dept: Option<String> = r.try_get("dept").ok().flatten();
                out.push_str(&format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                    r.try_get::<i64, _>("id").map_err(db_err)?,
                    r.try_get::<String, _>("username").map_err(db_err)?,
                    Role::parse(&role).map_or("未知", |r| r.label()),
                    r.try_get::<String, _>("display_name").map_err(db_err)?,
                    dept.unwrap_or_default(),
                    r.try_get::<String, _>("unit_key").map_err(db_err)?,
                    r.try_get::<String, _>("region").map_err(db_err)?,
                    format_time(r.try_get("created_at").map_err(db_err)?),
                ));
            }
            out.push_str(&format!("共 {} 个用户", rows.len()));
            Ok(out)
        }
        AdminOp::ResetPassword { username, password } => {
            if password.chars().count() < 10 {
                return Err("密码至少 10 个字符".into());
            }
            let username = username.trim().to_string();
            let row = sqlx::query("SELECT id FROM users WHERE username = $1")
                .bind(&username)
                .fetch_optional(&db.pool)
                .await
                .map_err(db_err)?
                .ok_or_else(|| format!("用户“{username}”不存在"))?;
            let id: i64 = row.try_get("id").map_err(db_err)?;
            let hash = tokio::task::spawn_blocking(move || auth::hash_password(&password))
                .await
                .map_err(|e| e.to_string())??;
            let mut tx = db.begin().await.map_err(db_err)?;
            sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                .bind(&hash)
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            // Signed-in sessions end; the failure counts of the account start again.
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            sqlx::query("DELETE FROM login_failures WHERE username = $1")
                .bind(&username)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            data::audit(&mut tx, actor, "重置密码", 0, &username)
                .await
                .map_err(db_err)?;
            tx.commit().await.map_err(db_err)?;
            Ok(format!(
                "已重置用户“{username}”的密码，其已登录的会话均已退出"
            ))
        }
        AdminOp::Backup { out } => {
            if !db.sqlite {
                return Err("PostgreSQL 数据库请用 pg_dump 备份（见 docs/deploy.md）".to_string());
            }
            if out.exists() {
                return Err(format!("备份文件 {} 已存在", out.display()));
            }
            let path = out.to_string_lossy().to_string();
            sqlx::query("VACUUM INTO $1")
                .bind(&path)
                .execute(&db.pool)
                .await
                .map_err(|e| format!("备份失败：{e}"))?;
            Ok(format!("已备份到 {path}"))
        }
    }
}
