//! Reads a dataset directory (docs/dataset.md) into a [`Disclosure`]; [`write`] writes its
//! tables and strings back in the same format.
//!
//! Every problem is collected and returned together, each with file, row, column and a
//! Chinese message; nothing here panics on bad input. This crate knows file formats; it does
//! not check arithmetic (that is `juesuan-check`) or add up units (`juesuan-consolidate`).

mod csv_table;
mod disclosure_toml;
mod region;
mod text;
pub mod write;

use juesuan_model::{Disclosure, DocKind, Problem, TableSet, Template};
use std::path::Path;

pub use csv_table::read_table;
pub use disclosure_toml::{valid_unit_id, UNIT_FILE};
pub use region::{is_region, load_region, REGION_FILE};
pub use text::{decode, split_code, strip_numbering, BadByte};

/// The name of the metadata file in a dataset directory.
pub const DISCLOSURE_FILE: &str = "disclosure.toml";

/// Loads a dataset directory. On failure, returns every problem found.
pub fn load_dataset(dir: &Path) -> Result<Disclosure, Vec<Problem>> {
    load_dataset_as(dir, None)
}

/// Loads a dataset directory against the 口径 of `year` instead of its own (`juesuan check
/// --year`): codes that changed between the years are reported with what they became.
pub fn load_dataset_as(dir: &Path, year: Option<i32>) -> Result<Disclosure, Vec<Problem>> {
    let mut problems = Vec::new();
    if !dir.is_dir() {
        return Err(vec![Problem::in_file(
            dir.display().to_string(),
            "数据目录不存在或不是目录",
        )]);
    }
    let mut meta = match disclosure_toml::read(dir, &mut problems) {
        Some(m) => m,
        None => return Err(problems),
    };
    if let Some(y) = year {
        meta.entity.year = y;
    }
    let template = match Template::for_kind(meta.entity.doc, meta.entity.year) {
        Ok(t) => t,
        Err(e) => {
            // the year as written (not one given with --year) is named at its line
            let line = year.is_none().then(|| {
                let text = std::fs::read_to_string(dir.join(DISCLOSURE_FILE)).unwrap_or_default();
                disclosure_toml::key_line(&text, "year")
            });
            let p = Problem::in_file(DISCLOSURE_FILE, e);
            problems.push(match line.flatten() {
                Some(l) => p.at(l, Some("year")),
                None => p,
            });
            return Err(problems);
        }
    };
    let mut units = std::mem::take(&mut meta.units);
    let has_department = dir.join("department").is_dir();
    // A 部门预算 is published for the 部门 only: with department/ given, a unit of a 预算
    // needs no tables of its own (it is listed in 部门概况).
    let unit_tables_optional = meta.entity.doc == DocKind::Budget && has_department;
    for unit in &mut units {
        let rel = format!("units/{}", unit.id);
        if unit_tables_optional && !dir.join(&rel).is_dir() {
            continue;
        }
        unit.tables = read_table_set(dir, &rel, template, &meta, &mut problems);
    }
    let department =
        has_department.then(|| read_table_set(dir, "department", template, &meta, &mut problems));
    let facts = disclosure_toml::facts_table(&meta, template, &mut problems);
    disclosure_toml::validate_reasons(&meta, template, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Disclosure {
        entity: meta.entity,
        units,
        department,
        facts,
        projects: meta.projects,
        reasons: meta.reasons,
        overview: meta.overview,
        contact: meta.contact,
        materiality_percent: meta.materiality_percent,
    })
}

/// Each unit's own 单位决算 (`juesuan build --units`): its tables, and the texts, contact,
/// facts, projects and 变动原因 of its `units/<id>/unit.toml` (docs/dataset.md). What that file
/// leaves out: the contact is the department's, the projects those listed for the unit.
pub fn unit_disclosures(dir: &Path, d: &Disclosure) -> Result<Vec<Disclosure>, Vec<Problem>> {
    let template = Template::for_kind(d.entity.doc, d.entity.year)
        .map_err(|e| vec![Problem::in_file(DISCLOSURE_FILE, e)])?;
    let mut problems = Vec::new();
    let mut out = Vec::new();
    for unit in &d.units {
        if d.entity.doc == DocKind::Budget && !dir.join("units").join(&unit.id).is_dir() {
            problems.push(Problem::in_file(
                format!("units/{}", unit.id),
                "部门预算数据集中这个单位没有自己的表（units/<id>/ 不存在），无法生成单位预算",
            ));
            continue;
        }
        let Some(mut meta) = disclosure_toml::read_unit(dir, &d.entity, unit, &mut problems) else {
            continue;
        };
        let facts = disclosure_toml::facts_table(&meta, template, &mut problems);
        disclosure_toml::validate_reasons(&meta, template, &mut problems);
        let mut units = std::mem::take(&mut meta.units);
        units[0].tables = unit.tables.clone();
        let projects = if meta.projects.is_empty() {
            d.projects
                .iter()
                .filter(|p| p.unit.as_deref() == Some(unit.id.as_str()))
                .cloned()
                .collect()
        } else {
            meta.projects
        };
        let contact = if meta.contact == Default::default() {
            d.contact.clone()
        } else {
            meta.contact
        };
        out.push(Disclosure {
            entity: meta.entity,
            units,
            department: None,
            facts,
            projects,
            reasons: meta.reasons,
            overview: meta.overview,
            contact,
            materiality_percent: meta.materiality_percent,
        });
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn read_table_set(
    dir: &Path,
    rel: &str,
    template: &Template,
    meta: &disclosure_toml::Meta,
    problems: &mut Vec<Problem>,
) -> TableSet {
    let mut set = TableSet::default();
    if !dir.join(rel).is_dir() {
        problems.push(Problem::in_file(
            rel,
            "目录不存在：每个单位需要一个存放九张表的目录",
        ));
        return set;
    }
    for def in template.standard_tables() {
        let Some(file) = &def.file else { continue };
        let rel_file = format!("{rel}/{file}");
        let path = dir.join(&rel_file);
        match std::fs::read(&path) {
            Ok(bytes) => {
                if let Some(t) =
                    read_table(&bytes, &rel_file, def, template, meta.entity.unit, problems)
                {
                    set.insert(t);
                }
            }
            Err(_) => problems.push(Problem::in_file(
                rel_file,
                format!(
                    "缺少{}（{}）的文件；没有数据的表也要保留只有表头的文件",
                    def.label(),
                    def.title
                ),
            )),
        }
    }
    set
}
