//! Writing an imported workbook as a dataset directory (docs/dataset.md): a `单位` dataset
//! with one unit, `disclosure.toml` plus `units/benji/t1.csv … t9.csv`.
//!
//! Nothing is half-written: everything goes into a temporary directory beside the target,
//! which is loaded back with `juesuan_load::load_dataset` and only then renamed into place.

use crate::Imported;
use juesuan_load::write::{table_csv, toml_string};
use juesuan_model::{DocKind, Problem, Table, Template};
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
        if dir.exists() {
            std::fs::remove_dir(dir).map_err(|e| io_problem(dir, e))?;
        }
        std::fs::rename(&tmp, dir).map_err(|e| io_problem(dir, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}
