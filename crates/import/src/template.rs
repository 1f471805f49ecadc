//! The blank workbook of `juesuan template`: the nine tables in the published layout (the
//! same `juesuan-report` tables and `juesuan-xlsx` writer as `export`), listing every 类, 款
//! and 项 of the year's 支出功能分类 (and every 类 and 款 of the 经济分类 classes of 表6), with
//! formulas for the totals and decimal validation on the amount cells.
//!
//! Every code is listed because a unit cannot know in advance which 项 it will use, and a
//! code typed by hand is the commonest error; rows are outline-grouped (款 level 1, 项 level
//! 2) so that a 类 can be folded, and import drops the rows left blank. Which cell holds which
//! total is found by reading the laid-out table with the import reader itself, so template
//! and import cannot disagree about the layout.

use crate::grid::{a1, Sheet, Val};
use crate::layout;
use crate::sums;
use juesuan_model::{CodeLevel, DocKind, Layout, Problem, Row, Table, TableSet, Template};
use juesuan_report::{Cell, DisplayTable};
use juesuan_xlsx::{body_top, FillIn, HEADER_TOP};
use std::collections::HashMap;

/// The hidden metadata sheet.
pub const META_SHEET: &str = "_juesuan";
/// Version of the template layout; import refuses other versions.
pub const FORMAT_VERSION: &str = "1";

/// Every row a blank table of `id` lists.
fn blank_set(template: &Template) -> TableSet {
    let mut set = TableSet::default();
    for def in template.standard_tables() {
        let mut t = Table::new(&def.id, def.columns.clone(), None);
        let mut push = |key: &str| {
            let _ = t.push_row(Row {
                key: key.to_string(),
                name: String::new(),
                values: vec![Some(0); def.columns.len()],
                line: None,
            });
        };
        match def.layout {
            Layout::Fixed => def.rows.iter().for_each(|r| push(&r.key)),
            Layout::Functional => {
                push("合计");
                template.functional.iter().for_each(|e| push(&e.code));
            }
            Layout::Economic => {
                template
                    .economic
                    .iter()
                    .filter(|e| {
                        e.level != CodeLevel::Item
                            && def.classes.iter().any(|c| e.code.starts_with(c.as_str()))
                    })
                    .for_each(|e| push(&e.code));
                def.rows.iter().for_each(|r| push(&r.key));
            }
        }
        set.insert(t);
    }
    set
}

/// The sheet the xlsx writer lays out for `t`, as the import reader sees it.
fn as_sheet(t: &DisplayTable) -> Sheet {
    let mut cells: Vec<Vec<Val>> = Vec::new();
    let mut merges = Vec::new();
    let put = |cells: &mut Vec<Vec<Val>>, r: usize, c: usize, v: Val| {
        if cells.len() <= r {
            cells.resize(r + 1, Vec::new());
        }
        if cells[r].len() <= c {
            cells[r].resize(c + 1, Val::Empty);
        }
        cells[r][c] = v;
    };
    let last = t.columns.saturating_sub(1);
    put(
        &mut cells,
        0,
        0,
        Val::Text(format!("{} {}", t.number, t.title)),
    );
    merges.push((0, 0, 0, last));
    if t.columns == 1 {
        put(
            &mut cells,
            1,
            0,
            Val::Text(format!("编制单位：{}    {}", t.entity, t.unit_label)),
        );
    } else {
        put(
            &mut cells,
            1,
            0,
            Val::Text(format!("编制单位：{}", t.entity)),
        );
        put(
            &mut cells,
            1,
            t.columns.div_ceil(2),
            Val::Text(t.unit_label.clone()),
        );
    }
    for h in &t.header {
        let r = HEADER_TOP + h.row;
        put(&mut cells, r, h.col, Val::Text(h.text.clone()));
        merges.push((r, h.col, r + h.rowspan - 1, h.col + h.colspan - 1));
    }
    let top = body_top(t);
    for (i, row) in t.rows.iter().enumerate() {
        for (c, cell) in row.cells.iter().enumerate() {
            let v = match cell {
                Cell::Text { text, .. } => Val::Text(text.clone()),
                Cell::Empty => Val::Empty,
                _ => Val::Number("0".into()),
            };
            put(&mut cells, top + i, c, v);
        }
    }
    Sheet {
        name: t.number.clone(),
        cells,
        merges,
    }
}

fn formula(parts: &[((usize, usize), i64)]) -> String {
    if parts.iter().all(|(_, s)| *s > 0) {
        let refs: Vec<String> = parts.iter().map(|((r, c), _)| a1(*r, *c)).collect();
        return format!("SUM({})", refs.join(","));
    }
    let mut f = String::new();
    for (i, ((r, c), s)) in parts.iter().enumerate() {
        if *s < 0 {
            f.push('-');
        } else if i > 0 {
            f.push('+');
        }
        f.push_str(&a1(*r, *c));
    }
    f
}

/// The formulas and outline levels of one laid-out table.
fn fill_in(t: &DisplayTable, template: &Template) -> Result<FillIn, String> {
    let def = template
        .table(&t.id)
        .ok_or_else(|| format!("no table {}", t.id))?;
    let sheet = as_sheet(t);
    let (def_found, found) = layout::find_title(&sheet, template)
        .ok_or_else(|| format!("template {}: title not recognised", t.id))?;
    if def_found.id != def.id {
        return Err(format!("template {}: read as {}", t.id, def_found.id));
    }
    let mut problems: Vec<Problem> = Vec::new();
    let st = layout::read_sheet_table(&sheet, def, template, &found, &mut problems)
        .filter(|_| problems.is_empty())
        .ok_or_else(|| {
            let msgs: Vec<String> = problems.iter().take(5).map(ToString::to_string).collect();
            format!("template {}: {}", t.id, msgs.join("; "))
        })?;
    let top = body_top(t);
    let mut formulas: HashMap<(usize, usize), String> = HashMap::new();
    let cell = |k: &str, c: &str| st.cells.get(&(k.to_string(), c.to_string())).copied();
    let mut add = |target: Option<(usize, usize)>, parts: Option<Vec<((usize, usize), i64)>>| {
        if let (Some((r, c)), Some(parts)) = (target, parts) {
            if r >= top && !parts.is_empty() {
                formulas
                    .entry((r - top, c))
                    .or_insert_with(|| formula(&parts));
            }
        }
    };
    for s in sums::sums(def, &st.table) {
        for col in &st.table.columns {
            let parts: Option<Vec<_>> = s
                .parts
                .iter()
                .map(|(k, sign)| cell(k, col).map(|at| (at, *sign)))
                .collect();
            add(cell(&s.total, col), parts);
        }
    }
    for cs in &def.column_sums {
        for row in st.table.rows() {
            let parts: Option<Vec<_>> = cs
                .parts
                .iter()
                .map(|p| match p.strip_prefix('-') {
                    Some(c) => cell(&row.key, c).map(|at| (at, -1)),
                    None => cell(&row.key, p).map(|at| (at, 1)),
                })
                .collect();
            add(cell(&row.key, &cs.total), parts);
        }
    }
    let row_levels = t
        .rows
        .iter()
        .map(|r| match (def.layout, r.cells.get(1)) {
            (Layout::Functional, Some(Cell::Text { indent, .. })) => (*indent).min(7),
            _ => 0,
        })
        .collect();
    Ok(FillIn {
        formulas,
        row_levels,
    })
}

/// The blank workbook of a year.
pub fn template_workbook(year: i32) -> Result<Vec<u8>, String> {
    template_workbook_filled(year, &TableSet::default())
}

/// The template of a year with the amounts of `given` (万元) pre-filled; totals stay
/// formulas. Used to test that a filled-in template imports, and to start from a dataset.
pub fn template_workbook_filled(year: i32, given: &TableSet) -> Result<Vec<u8>, String> {
    template_workbook_of(DocKind::Final, year, given)
}

/// The template of a document kind (决算 or 预算) and year, `given` pre-filled.
pub fn template_workbook_of(kind: DocKind, year: i32, given: &TableSet) -> Result<Vec<u8>, String> {
    let template = Template::for_kind(kind, year)?;
    let mut set = blank_set(template);
    for (id, t) in &given.tables {
        let Some(blank) = set.get_mut(id) else {
            continue;
        };
        for row in t.rows() {
            for (c, col) in t.columns.iter().enumerate() {
                if blank.row(&row.key).is_some() {
                    blank.set(&row.key, col, row.values[c]);
                }
            }
        }
    }
    let mut tables = match kind {
        DocKind::Final => juesuan_report::nine_tables(&set, template, "", "部门"),
        DocKind::Budget => juesuan_report::budget_tables(&set, template, "", "部门"),
    };
    for t in &mut tables {
        t.note = None;
    }
    let fills: Vec<FillIn> = tables
        .iter()
        .map(|t| fill_in(t, template))
        .collect::<Result<_, _>>()?;
    let mut metadata = vec![
        ("format".to_string(), "juesuan-template".to_string()),
        ("version".to_string(), FORMAT_VERSION.to_string()),
        ("year".to_string(), year.to_string()),
    ];
    if kind == DocKind::Budget {
        metadata.push(("document".to_string(), kind.chinese().to_string()));
    }
    juesuan_xlsx::write_fill_in(
        &format!("{year}年度{}公开表（填报模板）", kind.chinese()),
        tables.iter().zip(&fills),
        META_SHEET,
        &metadata,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_are_formulas_over_their_parts() {
        let template = Template::for_year(2024).unwrap();
        let set = blank_set(template);
        let tables = juesuan_report::nine_tables(&set, template, "", "部门");
        let t3 = tables.iter().find(|t| t.id == "T3").unwrap();
        let fill = fill_in(t3, template).unwrap();
        // 合计 row (body row 0), 本年支出合计 (column C): the sum of the 类 rows
        let f = &fill.formulas[&(0, 2)];
        assert!(f.starts_with("SUM(C6,"), "{f}");
        let t1 = tables.iter().find(|t| t.id == "T1").unwrap();
        assert!(!fill_in(t1, template).unwrap().formulas.is_empty());
        let t7 = tables.iter().find(|t| t.id == "T7").unwrap();
        assert!(fill_in(t7, template).unwrap().formulas.len() >= 4);
    }
}
