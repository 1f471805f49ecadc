//! `juesuan serve --demo`: the example datasets (the 2024 预算, the 2024 and 2025 决算),
//! published, and one user of every role.

use crate::auth::{self, NewUser, Role, User};
use crate::data;
use crate::db::Db;
use crate::store;
use rand::Rng;
use sqlx::Row;
use std::path::Path;

/// One demo login, printed at start.
#[derive(Clone, Debug)]
pub struct DemoLogin {
    pub role: &'static str,
    pub username: String,
    pub password: String,
    pub what: String,
}

fn password() -> String {
    const CHARS: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rngs::OsRng;
    (0..14)
        .map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char)
        .collect()
}

/// The example datasets (`examples/chifeng-sfj-2024` and its synthetic 2025 successor, the
/// same files in each), compiled into the binary so that an installed `juesuan serve --demo`
/// needs no source tree.
macro_rules! embedded {
    ($($rel:literal),* $(,)?) => {
        const DEMO_2024: &[(&str, &[u8])] = &[$(($rel, include_bytes!(concat!("../../../examples/chifeng-sfj-2024/", $rel)) as &[u8])),*];
        const DEMO_2025: &[(&str, &[u8])] = &[$(($rel, include_bytes!(concat!("../../../examples/chifeng-sfj-2025/", $rel)) as &[u8])),*];
    };
}

const DEMO_YUSUAN_2024: &[(&str, &[u8])] = &[
    (
        "NOTES.md",
        include_bytes!("../../../examples/chifeng-sfj-yusuan-2024/NOTES.md"),
    ),
    (
        "disclosure.toml",
        include_bytes!("../../../examples/chifeng-sfj-yusuan-2024/disclosure.toml"),
    ),
    (
        "department/y1.csv",
        include_bytes!("../../../examples/chifeng-sfj-yusuan-2024/department/y1.csv"),
    ),
    (
        "department/y2.csv",
        include_bytes!("../../../examples/chifeng-sfj-yusuan-2024/department/y2.csv"),
    ),
    (
        "department/y3.csv",
        include_bytes!("../../../examples/chifeng-sfj-yusuan-2024/department/y3.csv"),
    ),
    (
        "department/y4.csv",
        include_bytes!("../../../examples/chifeng-sfj-yusuan-2024/department/y4.csv"),
    ),
    (
        "department/y5.csv",
        include_bytes!("../../../examples/chifeng-sfj-yusuan-2024/department/y5.csv"),
    ),
    (
        "department/y6.csv",
        include_bytes!("../../../examples/chifeng-sfj-yusuan-2024/department/y6.csv"),
    ),
    (
        "department/y7.csv",
        include_bytes!("../../../examples/chifeng-sfj-yusuan-2024/department/y7.csv"),
    ),
    (
        "department/y8.csv",
        include_bytes!("../../../examples/chifeng-sfj-yusuan-2024/department/y8.csv"),
    ),
    (
        "department/y9.csv",
        include_bytes!("../../../examples/chifeng-sfj-yusuan-2024/department/y9.csv"),
    ),
];

embedded!(
    "NOTES.md",
    "disclosure.toml",
    "department/t1.csv",
    "department/t2.csv",
    "department/t3.csv",
    "department/t4.csv",
    "department/t5.csv",
    "department/t6.csv",
    "department/t7.csv",
    "department/t8.csv",
    "department/t9.csv",
    "units/benji/unit.toml",
    "units/benji/t1.csv",
    "units/benji/t2.csv",
    "units/benji/t3.csv",
    "units/benji/t4.csv",
    "units/benji/t5.csv",
    "units/benji/t6.csv",
    "units/benji/t7.csv",
    "units/benji/t8.csv",
    "units/benji/t9.csv",
    "units/jiedusuo/unit.toml",
    "units/jiedusuo/t1.csv",
    "units/jiedusuo/t2.csv",
    "units/jiedusuo/t3.csv",
    "units/jiedusuo/t4.csv",
    "units/jiedusuo/t5.csv",
    "units/jiedusuo/t6.csv",
    "units/jiedusuo/t7.csv",
    "units/jiedusuo/t8.csv",
    "units/jiedusuo/t9.csv",
);

fn files(embedded: &[(&str, &[u8])]) -> store::Files {
    embedded
        .iter()
        // the example is UTF-8 (its files are compared with the embedded ones in a test)
        .map(|(rel, bytes)| (rel.to_string(), String::from_utf8_lossy(bytes).into_owned()))
        .collect()
}

/// The embedded 2024 example dataset's files, as [`store::from_dir`] reads them from disk.
pub fn demo_files() -> store::Files {
    files(DEMO_2024)
}

/// Every embedded year of the example (2024, then the synthetic 2025), so that the portal has
/// a real pair for its cross-year check.
pub fn demo_years() -> Vec<store::Files> {
    vec![files(DEMO_2024), files(DEMO_2025)]
}

/// The embedded 2024 部门预算 of the example (`examples/chifeng-sfj-yusuan-2024`).
pub fn demo_budget() -> store::Files {
    files(DEMO_YUSUAN_2024)
}

/// What `serve --demo` publishes: the 2024 部门预算, then the 2024 and 2025 决算, so that the
/// portal lists both kinds and runs both the cross-year and the budget-vs-final check.
pub fn demo_datasets() -> Vec<store::Files> {
    let mut all = vec![demo_budget()];
    all.extend(demo_years());
    all
}

/// Loads the dataset in `dir` as the department's published disclosure and creates (or
/// resets the passwords of) the demo users. Returns their logins.
pub async fn seed_demo(db: &Db, dir: &Path) -> Result<Vec<DemoLogin>, String> {
    seed_demo_files(db, store::from_dir(dir)?).await
}

/// [`seed_demo`] with the dataset's files given.
pub async fn seed_demo_files(db: &Db, files: store::Files) -> Result<Vec<DemoLogin>, String> {
    seed_demo_years(db, vec![files]).await
}

/// Several years of one department's datasets, each published; the users are those of the
/// last one.
pub async fn seed_demo_years(db: &Db, years: Vec<store::Files>) -> Result<Vec<DemoLogin>, String> {
    let mut loaded = Vec::new();
    for files in years {
        let d = store::load(&files).map_err(|p| {
            p.iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        })?;
        loaded.push((d, files));
    }
    let Some((d, _)) = loaded.last() else {
        return Err("没有演示数据集".into());
    };
    let region = d.entity.region.clone().unwrap_or_else(|| "示例地区".into());
    let err = |e: sqlx::Error| format!("演示数据写入失败：{e}");
    let existing = sqlx::query("SELECT id FROM departments WHERE name = $1")
        .bind(&d.entity.name)
        .fetch_optional(&db.pool)
        .await
        .map_err(err)?;
    let dept = match existing {
        Some(r) => r.try_get::<i64, _>("id").map_err(err)?,
        None => data::create_department(db, &d.entity.name, &region)
            .await
            .map_err(err)?,
    };
    let mut logins = Vec::new();
    let mut users = Vec::new();
    let mut add = |role: Role, username: &str, name: String, unit: &str, what: String| {
        users.push((role, username.to_string(), name, unit.to_string(), what));
    };
    add(
        Role::Admin,
        "admin",
        "系统管理员".into(),
        "",
        "用户管理、审计日志".into(),
    );
    add(
        Role::Finance,
        "caizheng",
        format!("{region}财政局审核员"),
        "",
        format!("审核 {region} 的预算和决算：退回、审核通过、公开"),
    );
    add(
        Role::Dept,
        "bumen",
        format!("{}财务人员", d.entity.name),
        "",
        format!("{}：查看各单位、填写变动原因、提交", d.entity.name),
    );
    for u in &d.units {
        add(
            Role::Unit,
            &format!("danwei-{}", u.id),
            format!("{}财务人员", u.name),
            &u.id,
            format!("{}：编辑本单位九张表", u.name),
        );
    }
    let mut finance = None;
    let mut dept_user = None;
    for (role, username, name, unit, what) in users {
        let pw = password();
        let id = auth::create_user(
            db,
            &NewUser {
                username: &username,
                password: &pw,
                role,
                dept_id: if matches!(role, Role::Unit | Role::Dept) {
                    dept
                } else {
                    0
                },
                unit_key: &unit,
                region: if role == Role::Finance { &region } else { "" },
                display_name: &name,
            },
            true,
        )
        .await
        .map_err(|e| format!("演示用户创建失败：{e:?}"))?;
        let user = User {
            id,
            username: username.clone(),
            role,
            dept_id: dept,
            unit_key: unit.clone(),
            region: region.clone(),
            display_name: name,
            csrf: String::new(),
        };
        match role {
            Role::Finance => finance = Some(user),
            Role::Dept => dept_user = Some(user),
            _ => {}
        }
        logins.push(DemoLogin {
            role: role.label(),
            username,
            password: pw,
            what,
        });
    }
    let (Some(finance), Some(dept_user)) = (finance, dept_user) else {
        return Err("演示用户不完整".into());
    };
    for (d, files) in &loaded {
        publish(db, dept, d, files, &dept_user, &finance).await?;
    }
    Ok(logins)
}

/// Creates the dataset of `d`'s year (unless the department has it) and takes it through
/// submission, approval and publication.
async fn publish(
    db: &Db,
    dept: i64,
    d: &juesuan_model::Disclosure,
    files: &store::Files,
    dept_user: &User,
    finance: &User,
) -> Result<(), String> {
    let err = |e: sqlx::Error| format!("演示数据写入失败：{e}");
    let year = i64::from(d.entity.year);
    let kind = d.entity.doc;
    if let Some(id) =
        data::create_dataset(db, dept, year, kind, &d.entity.name, files, Some(dept_user))
            .await
            .map_err(err)?
    {
        for (who, from, to, label, comment) in [
            (dept_user, "draft", "submitted", "提交", ""),
            (
                finance,
                "submitted",
                "approved",
                "审核通过",
                "数据一致，同意公开。",
            ),
            (finance, "approved", "published", "公开", ""),
        ] {
            let ds = data::dataset(db, id)
                .await
                .map_err(|e| format!("演示数据读取失败：{e:?}"))?;
            data::apply_transition(db, &ds, from, to, 1, who, label, comment)
                .await
                .map_err(err)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_demo_is_the_example_directory() {
        let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
        let years = demo_years();
        assert_eq!(years[0], demo_files());
        let all = demo_datasets();
        assert_eq!(all.len(), 3);
        for (files, dir) in all.iter().zip([
            "chifeng-sfj-yusuan-2024",
            "chifeng-sfj-2024",
            "chifeng-sfj-2025",
        ]) {
            let on_disk = store::from_dir(&examples.join(dir)).unwrap();
            // Every file of the example is embedded (a file added there must be listed here).
            assert_eq!(files, &on_disk, "{dir}");
            assert!(store::load(files).is_ok(), "{dir}");
        }
    }
}
