//! Workbooks in, datasets out: `juesuan import` reads the nine 决算公开 tables from an
//! .xlsx/.xls workbook in the standard layout and writes a dataset directory
//! (docs/dataset.md); `juesuan template` writes the blank workbook to fill in.
//!
//! Tables are found by their title, wherever the sheet; header rows (merged, several rows),
//! the 单位 line (元 or 万元), code and name in one cell or two, numbers as text, blanks and
//! "－" are all understood. Cells are parsed by `juesuan-load` (one parser for CSV and
//! workbook) and every problem is reported at once with its sheet and cell. Totals are
//! checked (合计 = Σ 类 …) because a workbook has no other place to catch a typo.
//!
//! A workbook written by `juesuan export` also carries the rest of the dataset on sheets of
//! its own (`carry.rs`); importing it restores the dataset, with the nine tables' edits
//! written back. `--into` updates the tables of an existing dataset and keeps the rest.
//!
//! Not for: writing the published workbook's layout (`juesuan-xlsx`), checking the rules
//! between tables (`juesuan-check`).

mod carry;
mod dataset;
mod grid;
mod layout;
mod sums;
mod template;

pub use carry::{FILES_SHEET, GUIDE_SHEET};
pub use dataset::{disclosure_toml, update, UNIT_ID};
pub use grid::{read_workbook, round_decimal, workbook_error, Sheet, Val};
pub use template::{
    template_workbook, template_workbook_filled, template_workbook_of, FORMAT_VERSION, META_SHEET,
};

use juesuan_model::{AmountUnit, CodeLevel, DocKind, Layout, Problem, Table, TableSet, Template};
use std::path::Path;

/// What the command line may add to what the workbook says.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Entity name when the workbook has no 编制单位 line.
    pub name: Option<String>,
    /// Year when neither a title nor the template metadata gives one.
    pub year: Option<i32>,
}

/// The tables of a workbook, ready to be written as a dataset.
#[derive(Clone, Debug)]
pub struct Imported {
    pub name: String,
    pub year: i32,
    /// 决算 or 预算, from the template's metadata or the tables' titles.
    pub doc: DocKind,
    /// 万元 when every table is in 万元, else 元 (万元 figures converted exactly).
    pub unit: AmountUnit,
    pub tables: TableSet,
    /// The workbook is a filled-in `juesuan template`.
    pub from_template: bool,
    /// The workbook's file name, for messages and the TOML comment.
    pub source: String,
    /// The dataset files an exported workbook carries (relative path, content).
    pub carried: Option<Vec<(String, Vec<u8>)>>,
}

/// The workbook `juesuan export` writes: `doc`'s nine tables, then the rest of the dataset
/// `dir` (its TOML and CSV files) on sheets of its own.
pub fn export_workbook(dir: &Path, doc: &juesuan_report::Document) -> Result<Vec<u8>, String> {
    let sheets = carry::dataset_sheets(dir)?;
    juesuan_xlsx::write_tables_with(&doc.title, juesuan_xlsx::standard_tables(doc), &sheets)
}

/// Reads a workbook file.
pub fn read_file(path: &Path, opts: &Options) -> Result<Imported, Vec<Problem>> {
    let source = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes = std::fs::read(path).map_err(|e| {
        vec![Problem::in_file(
            path.display().to_string(),
            format!("无法读取工作簿：{e}"),
        )]
    })?;
    let stem = path
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    read_bytes(&bytes, &source, &stem, opts)
}

/// Reads a workbook from memory; `source` names it in messages, `stem` is the last-resort
/// entity name.
pub fn read_bytes(
    bytes: &[u8],
    source: &str,
    stem: &str,
    opts: &Options,
) -> Result<Imported, Vec<Problem>> {
    let sheets = read_workbook(bytes).map_err(|e| vec![Problem::in_file(source, e)])?;
    let mut problems = Vec::new();
    let exported = carry::is_carried(&sheets);
    let carried = if exported {
        match carry::read_carried(source, &sheets) {
            Ok(files) => Some(files),
            Err(p) => {
                problems.extend(p);
                None
            }
        }
    } else {
        None
    };
    let meta = sheets.iter().find(|s| s.name == META_SHEET).map(|s| {
        (0..s.height())
            .map(|r| (s.text(r, 0).to_string(), s.text(r, 1).to_string()))
            .collect::<Vec<_>>()
    });
    let meta_get = |k: &str| {
        meta.as_ref()
            .and_then(|m| m.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()))
    };
    if let Some(v) = meta_get("version") {
        if v != FORMAT_VERSION {
            problems.push(Problem::in_file(
                source,
                format!(
                    "模板版本“{v}”不受支持（本程序读取版本 {FORMAT_VERSION}）；请用 juesuan template 重新生成模板"
                ),
            ));
        }
    }
    // Every sheet is looked at for the year of its title; the template fixes the set of
    // tables to look for.
    // The titles also tell a 部门预算 workbook (部门收支总体情况表 …) from a 决算 one.
    let probe = Template::for_year(2024).map_err(|e| vec![Problem::in_file(source, e)])?;
    let budget_probe =
        Template::for_kind(DocKind::Budget, 2024).map_err(|e| vec![Problem::in_file(source, e)])?;
    let mut title_year = None;
    let (mut finals, mut budgets) = (0, 0);
    for s in &sheets {
        for r in 0..s.height().min(3) {
            for c in 0..s.cells.get(r).map_or(0, Vec::len) {
                if let Some((_, y)) = layout::match_title(s.text(r, c), probe) {
                    title_year = title_year.or(y);
                    finals += 1;
                }
                if let Some((_, y)) = layout::match_title(s.text(r, c), budget_probe) {
                    title_year = title_year.or(y);
                    budgets += 1;
                }
            }
        }
    }
    // An exported workbook carries its disclosure.toml: its year and kind are the dataset's.
    let carried_entity = carried.as_ref().and_then(|files| {
        let (_, bytes) = files
            .iter()
            .find(|(f, _)| f == juesuan_load::DISCLOSURE_FILE)?;
        let doc: toml_edit::DocumentMut = std::str::from_utf8(bytes).ok()?.parse().ok()?;
        doc.get("entity")?.as_table().cloned()
    });
    let carried_get = |k: &str| {
        let v = carried_entity.as_ref()?.get(k)?;
        v.as_str()
            .map(str::to_string)
            .or_else(|| v.as_integer().map(|i| i.to_string()))
    };
    let doc = match meta_get("document").or_else(|| carried_get("document")) {
        Some(k) => DocKind::parse(&k).unwrap_or_default(),
        None if budgets > finals => DocKind::Budget,
        None => DocKind::Final,
    };
    let year = meta_get("year")
        .or_else(|| carried_get("year"))
        .and_then(|y| y.parse().ok())
        .or(title_year)
        .or(opts.year)
        .unwrap_or(2024);
    let template = Template::for_kind(doc, year).map_err(|e| vec![Problem::in_file(source, e)])?;

    let mut found: Vec<(usize, &juesuan_model::TableDef, layout::Found)> = Vec::new();
    for (i, s) in sheets.iter().enumerate() {
        if s.name == META_SHEET || (exported && carry::carried_sheet(&s.name)) {
            continue;
        }
        if let Some((def, mut f)) = layout::find_title(s, template) {
            f.sheet = i;
            if let Some((_, _, first)) = found.iter().find(|(_, d, _)| d.id == def.id) {
                problems.push(layout::at_cell(
                    def,
                    &s.name,
                    (f.row, f.col),
                    format!(
                        "这张表在工作表“{}”中已经有了；一张表只能出现一次",
                        sheets[first.sheet].name
                    ),
                ));
                continue;
            }
            found.push((i, def, f));
        }
    }
    let mut tables = TableSet::default();
    let mut units = Vec::new();
    let mut entity = None;
    for def in template.standard_tables() {
        let Some((i, _, f)) = found.iter().find(|(_, d, _)| d.id == def.id) else {
            problems.push(Problem::in_file(
                layout::table_label(def),
                format!(
                    "工作簿中没有这张表：没有哪个工作表的标题是“{}”（没有数据的表也要保留表头）",
                    def.title
                ),
            ));
            continue;
        };
        let sheet = &sheets[*i];
        let before = problems.len();
        let Some(st) = layout::read_sheet_table(sheet, def, template, f, &mut problems) else {
            continue;
        };
        entity = entity.or(st.entity.clone());
        units.push(st.unit);
        if problems.len() == before {
            for fail in sums::check(def, &st.table, st.unit) {
                let at = st
                    .cells
                    .get(&(fail.row.clone(), fail.column.clone()))
                    .or_else(|| st.labels.get(&fail.row))
                    .copied()
                    .unwrap_or(st.title_cell);
                problems.push(layout::at_cell(def, &sheet.name, at, fail.message));
            }
        }
        let mut table = st.table;
        if meta.is_some() {
            table = drop_blank_codes(table, def.layout);
        }
        tables.insert(table);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let unit = if units.iter().all(|u| *u == AmountUnit::Wan) {
        AmountUnit::Wan
    } else {
        AmountUnit::Yuan
    };
    let name = entity
        .or_else(|| opts.name.clone())
        .unwrap_or_else(|| stem.to_string());
    Ok(Imported {
        name,
        year,
        doc,
        unit,
        tables,
        from_template: meta.is_some(),
        source: source.to_string(),
        carried,
    })
}

/// A filled-in template lists every code; the dataset keeps the rows with an amount.
fn drop_blank_codes(table: Table, layout: Layout) -> Table {
    if layout == Layout::Fixed {
        return table;
    }
    let mut out = Table::new(&table.id, table.columns.clone(), table.file.clone());
    for row in table.rows() {
        let coded = CodeLevel::of(&row.key).is_some();
        if coded && row.values.iter().all(|v| v.unwrap_or(0) == 0) {
            continue;
        }
        let _ = out.push_row(row.clone());
    }
    out
}

/// Reads a workbook and writes it as the dataset `dir`. On any problem, `dir` is not created.
pub fn import(workbook: &Path, dir: &Path, opts: &Options) -> Result<Imported, Vec<Problem>> {
    let imported = read_file(workbook, opts)?;
    dataset::write(&imported, dir)?;
    Ok(imported)
}

/// Writes an already read workbook as the dataset `dir`.
pub fn write_dataset(imported: &Imported, dir: &Path) -> Result<(), Vec<Problem>> {
    dataset::write(imported, dir)
}
