//! Writing an imported workbook as a dataset directory (docs/dataset.md): a `单位` dataset
//! with one unit, `disclosure.toml` plus `units/benji/t1.csv … t9.csv`; or, for a workbook of
//! `juesuan export`, the dataset it carries with the nine tables' edits written back; or
//! (`update`, `import --into`) an existing dataset with its tables replaced.
//!
//! Nothing is half-written: everything goes into a temporary directory beside the target,
//! which is loaded back with `juesuan_load::load_dataset` and only then renamed into place.

use crate::Imported;
use juesuan_load::write::{table_csv, toml_string};
use juesuan_model::{Disclosure, DocKind, Problem, Row, Table, TableSet, Template};
use std::path::{Path, PathBuf};

/// The id of the one unit of an imported dataset.
pub const UNIT_ID: &str = "benji";

/// disclosure.toml of an imported workbook.
pub fn disclosure_toml(imp: &Imported) -> String {
    format!(
        "# Imported by `juesuan import` from {source}.\n\
         # The workbook holds the nine tables only: add 单位性质, [overview], [contact], [facts]\n\
         # and [reasons] (docs/dataset.md) before `juesuan build`.\n\n\
         [entity]\nname = {name}\nyear = {year}\nkind = \"单位\"\n{document}unit = {unit}\n\n\
         [[units]]\nid = \"{UNIT_ID}\"\nname = {name}\nnature = \"待填写\"   # 单位性质, e.g. 财政拨款的行政单位\n",
        source = toml_string(&imp.source).trim_matches('"'),
        name = toml_string(&imp.name),
        year = imp.year,
        document = match imp.doc {
            DocKind::Final => String::new(),
            DocKind::Budget => "document = \"预算\"\n".to_string(),
        },
        unit = toml_string(imp.unit.chinese()),
    )
}

fn io_problem(path: &Path, e: impl std::fmt::Display) -> Vec<Problem> {
    vec![Problem::in_file(
        path.display().to_string(),
        format!("无法写入：{e}"),
    )]
}

/// Writes the dataset to `dir`, which must not exist or be empty.
pub fn write(imp: &Imported, dir: &Path) -> Result<(), Vec<Problem>> {
    let template = Template::for_kind(imp.doc, imp.year)
        .map_err(|e| vec![Problem::in_file(imp.source.clone(), e)])?;
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(vec![Problem::in_file(
            dir.display().to_string(),
            "输出目录已存在且不为空；请换一个目录或先删除它",
        )]);
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let base = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "dataset".into());
    let tmp = parent.join(format!(".{base}.import-{}", std::process::id()));
    let result = (|| {
        let _ = std::fs::remove_dir_all(&tmp);
        if let Some(files) = &imp.carried {
            for (file, bytes) in files {
                let path = tmp.join(file);
                if let Some(p) = path.parent() {
                    std::fs::create_dir_all(p).map_err(|e| io_problem(p, e))?;
                }
                std::fs::write(&path, bytes).map_err(|e| io_problem(&path, e))?;
            }
            let d = juesuan_load::load_dataset(&tmp)?;
            write_edits(imp, &tmp, &d)?;
            juesuan_load::load_dataset(&tmp)?;
            return move_into_place(&tmp, dir);
        }
        let unit_dir = tmp.join("units").join(UNIT_ID);
        std::fs::create_dir_all(&unit_dir).map_err(|e| io_problem(&unit_dir, e))?;
        let toml = tmp.join(juesuan_load::DISCLOSURE_FILE);
        std::fs::write(&toml, disclosure_toml(imp)).map_err(|e| io_problem(&toml, e))?;
        for def in template.standard_tables() {
            let Some(file) = &def.file else { continue };
            // a table not given is written with its header only, as the loader expects
            let empty = Table::new(&def.id, def.columns.clone(), None);
            let table = imp.tables.get(&def.id).unwrap_or(&empty);
            let path = unit_dir.join(file);
            std::fs::write(&path, table_csv(def, template, table, imp.unit))
                .map_err(|e| io_problem(&path, e))?;
        }
        // What was written must load; a problem here is a bug, but it must not leave a
        // dataset behind that `juesuan check` cannot read.
        juesuan_load::load_dataset(&tmp)?;
        move_into_place(&tmp, dir)
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

fn move_into_place(tmp: &Path, dir: &Path) -> Result<(), Vec<Problem>> {
    if dir.exists() {
        std::fs::remove_dir(dir).map_err(|e| io_problem(dir, e))?;
    }
    std::fs::rename(tmp, dir).map_err(|e| io_problem(dir, e))
}

/// The tables of the workbook that differ from what the carried dataset prints: the edits.
fn write_edits(imp: &Imported, root: &Path, d: &Disclosure) -> Result<(), Vec<Problem>> {
    let template =
        Template::for_year(d.entity.year).map_err(|e| vec![Problem::in_file(&imp.source, e)])?;
    let shown =
        juesuan_report::displayed::displayed(&juesuan_report::entity_tables(d, template), template);
    let edited: Vec<&str> = template
        .standard_tables()
        .filter(|def| differs(imp.tables.get(&def.id), shown.get(&def.id)))
        .map(|def| def.id.as_str())
        .collect();
    write_tables(root, d, template, &imp.tables, &edited)
}

/// Whether the workbook's table `given` says anything other than `shown`, in the columns it
/// has (a printed table leaves out the comparative columns a dataset may hold).
fn differs(given: Option<&Table>, shown: Option<&Table>) -> bool {
    let Some(given) = given else { return false };
    let value = |t: Option<&Table>, r: &str, c: &str| t.and_then(|t| t.get(r, c)).unwrap_or(0);
    let mut keys: Vec<&str> = given.rows().iter().map(|r| r.key.as_str()).collect();
    keys.extend(
        shown
            .iter()
            .flat_map(|t| t.rows().iter().map(|r| r.key.as_str())),
    );
    keys.iter().any(|r| {
        given
            .columns
            .iter()
            .any(|c| value(Some(given), r, c) != value(shown, r, c))
    })
}

/// `existing` with the cells of `given` where they differ: the columns `given` does not have
/// (年初预算, 上年决算 left out of a printed table) and blank cells it prints as 0 are kept.
fn merged(existing: Option<&Table>, given: &Table) -> Table {
    let Some(existing) = existing else {
        return given.clone();
    };
    let mut columns = existing.columns.clone();
    columns.extend(
        given
            .columns
            .iter()
            .filter(|c| !existing.has_column(c))
            .cloned(),
    );
    let mut out = Table::new(&existing.id, columns.clone(), existing.file.clone());
    let mut keys: Vec<(&str, &str)> = existing
        .rows()
        .iter()
        .map(|r| (r.key.as_str(), r.name.as_str()))
        .collect();
    keys.extend(
        given
            .rows()
            .iter()
            .filter(|r| {
                existing.row(&r.key).is_none() && r.values.iter().any(|v| v.unwrap_or(0) != 0)
            })
            .map(|r| (r.key.as_str(), r.name.as_str())),
    );
    for (key, name) in keys {
        let values = columns
            .iter()
            .map(|c| {
                let old = existing.get(key, c);
                match given.has_column(c) {
                    true if given.get(key, c).unwrap_or(0) != old.unwrap_or(0) => given.get(key, c),
                    _ => old,
                }
            })
            .collect();
        let _ = out.push_row(Row {
            key: key.to_string(),
            name: name.to_string(),
            values,
            line: None,
        });
    }
    out
}

/// Writes the tables `ids` of `tables` into the dataset at `root`: the 部门 tables as
/// published (department/) when it has several units or already has them, else its one
/// unit's. A department/ that did not exist gets all nine tables: the others are the
/// consolidation, so that only the given tables change what is printed.
fn write_tables(
    root: &Path,
    d: &Disclosure,
    template: &Template,
    tables: &TableSet,
    ids: &[&str],
) -> Result<(), Vec<Problem>> {
    if ids.is_empty() {
        return Ok(());
    }
    let (sub, base) = match (&d.department, d.units.as_slice()) {
        (None, [only]) => (format!("units/{}", only.id), only.tables.clone()),
        (Some(t), _) => ("department".to_string(), t.clone()),
        (None, _) => (
            "department".to_string(),
            juesuan_report::entity_tables(d, template),
        ),
    };
    let out = root.join(&sub);
    std::fs::create_dir_all(&out).map_err(|e| io_problem(&out, e))?;
    for def in template.standard_tables() {
        let Some(file) = &def.file else { continue };
        let table = match tables.get(&def.id) {
            Some(given) if ids.contains(&def.id.as_str()) => merged(base.get(&def.id), given),
            // an existing file stays as it is; a new department/ gets the consolidation
            _ if out.join(file).is_file() => continue,
            _ => match base.get(&def.id) {
                Some(t) => t.clone(),
                None => continue,
            },
        };
        let path = out.join(file);
        std::fs::write(&path, table_csv(def, template, &table, d.entity.unit))
            .map_err(|e| io_problem(&path, e))?;
    }
    Ok(())
}

/// `juesuan import --into DIR`: the workbook's nine tables replace the tables of the existing
/// dataset `dir` (the 部门 tables as published when it has several units, else its unit's);
/// disclosure.toml, unit.toml and the other files stay as they are. Nothing changes on any
/// problem.
pub fn update(
    workbook: &Path,
    dir: &Path,
    opts: &crate::Options,
) -> Result<Imported, Vec<Problem>> {
    let d = juesuan_load::load_dataset(dir)?;
    let opts = crate::Options {
        year: opts.year.or(Some(d.entity.year)),
        ..opts.clone()
    };
    let imp = crate::read_file(workbook, &opts)?;
    if imp.year != d.entity.year {
        return Err(vec![Problem::in_file(
            &imp.source,
            format!(
                "工作簿是 {} 年度的表，数据集 {} 是 {} 年度；请导入同一年度的工作簿",
                imp.year,
                dir.display(),
                d.entity.year
            ),
        )]);
    }
    let template =
        Template::for_year(d.entity.year).map_err(|e| vec![Problem::in_file(&imp.source, e)])?;
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let base = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "dataset".into());
    let tmp = parent.join(format!(".{base}.update-{}", std::process::id()));
    let old = parent.join(format!(".{base}.old-{}", std::process::id()));
    let result = (|| {
        let _ = std::fs::remove_dir_all(&tmp);
        copy_dir(dir, &tmp)?;
        let ids: Vec<&str> = template
            .standard_tables()
            .map(|def| def.id.as_str())
            .collect();
        write_tables(&tmp, &d, template, &imp.tables, &ids)?;
        juesuan_load::load_dataset(&tmp)?;
        // swap: the old dataset is removed only once the new one is in place
        std::fs::rename(dir, &old).map_err(|e| io_problem(dir, e))?;
        if let Err(e) = std::fs::rename(&tmp, dir) {
            let _ = std::fs::rename(&old, dir);
            return Err(io_problem(dir, e));
        }
        let _ = std::fs::remove_dir_all(&old);
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result.map(|()| imp)
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), Vec<Problem>> {
    std::fs::create_dir_all(to).map_err(|e| io_problem(to, e))?;
    let entries = std::fs::read_dir(from).map_err(|e| io_problem(from, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| io_problem(from, e))?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        let kind = entry.file_type().map_err(|e| io_problem(&src, e))?;
        if kind.is_dir() {
            copy_dir(&src, &dst)?;
        } else if kind.is_file() {
            std::fs::copy(&src, &dst).map_err(|e| io_problem(&dst, e))?;
        }
    }
    Ok(())
}
