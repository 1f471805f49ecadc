//! Test helpers: the example's department tables, workbooks written in realistic variants,
//! and comparing imported tables by value.

#![allow(dead_code)]

use juesuan_model::{Layout, Money, Table, TableSet, Template};
use rust_xlsxwriter::{Format, Workbook};
use std::path::{Path, PathBuf};

pub fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/chifeng-sfj-2024")
}

/// The example's published department tables, restricted to the required columns (a
/// workbook holds no comparatives).
pub fn example_tables() -> TableSet {
    let d = juesuan_load::load_dataset(&example_dir()).expect("example loads");
    let template = Template::for_year(2024).unwrap();
    let mut out = TableSet::default();
    for (id, t) in &d.department.expect("department tables").tables {
        let def = template.table(id).unwrap();
        let mut n = Table::new(id, def.columns.clone(), None);
        for row in t.rows() {
            let mut row = row.clone();
            row.values = def.columns.iter().map(|c| t.get(&row.key, c)).collect();
            n.push_row(row).unwrap();
        }
        out.insert(n);
    }
    out
}

/// The tables with every total recomputed from its parts (合计 = Σ 类, 类 = Σ 款, 款 = Σ 项,
/// and the fixed tables' row sums), as exact source data in 元 would be. The published
/// example's 万元 figures differ from their sums by a few 0.01 万元 of rounding.
pub fn consistent(set: &TableSet) -> TableSet {
    let template = Template::for_year(2024).unwrap();
    let mut out = set.clone();
    for def in template.standard_tables() {
        let Some(t) = out.get_mut(&def.id) else {
            continue;
        };
        for _ in 0..3 {
            let mut keys: Vec<String> = t.rows().iter().map(|r| r.key.clone()).collect();
            // deepest codes first
            keys.sort_by_key(|k| std::cmp::Reverse(k.len()));
            if def.layout != Layout::Fixed {
                for k in &keys {
                    if def.row_def(k).is_some() {
                        continue;
                    }
                    let children: Vec<String> = keys
                        .iter()
                        .filter(|c| {
                            def.row_def(c).is_none()
                                && c.as_str() != "合计"
                                && match juesuan_model::CodeBook::parent_code(c) {
                                    Some(p) => p == k,
                                    None => k == "合计" && def.layout == Layout::Functional,
                                }
                        })
                        .cloned()
                        .collect();
                    if children.is_empty() {
                        continue;
                    }
                    for col in def.columns.clone() {
                        let sum = children.iter().map(|c| t.get(c, &col).unwrap_or(0)).sum();
                        t.set(k, &col, Some(sum));
                    }
                }
            }
            for rs in &def.row_sums {
                for col in def.columns.clone() {
                    let mut sum = 0;
                    for p in &rs.parts {
                        let (key, sign) = p.strip_prefix('-').map_or((p.as_str(), 1), |k| (k, -1));
                        let parts: Vec<String> = match key.strip_prefix('@') {
                            Some(g) => def
                                .rows
                                .iter()
                                .filter(|r| r.group.as_deref() == Some(g))
                                .map(|r| r.key.clone())
                                .collect(),
                            None => vec![key.to_string()],
                        };
                        sum += sign
                            * parts
                                .iter()
                                .map(|k| t.get(k, &col).unwrap_or(0))
                                .sum::<i64>();
                    }
                    if t.row(&rs.total).is_none() {
                        t.add(&rs.total, &rs.total, &col, Some(0));
                    }
                    t.set(&rs.total, &col, Some(sum));
                }
            }
        }
    }
    out
}

/// Compares two table sets cell by cell over the required columns; an absent row is zero.
pub fn assert_same_tables(a: &TableSet, b: &TableSet) {
    let template = Template::for_year(2024).unwrap();
    for def in template.standard_tables() {
        let (ta, tb) = (a.get(&def.id), b.get(&def.id));
        let keys: Vec<String> = ta
            .into_iter()
            .chain(tb)
            .flat_map(|t| t.rows().iter().map(|r| r.key.clone()))
            .collect();
        for k in keys {
            for c in &def.columns {
                let va = ta.and_then(|t| t.get(&k, c)).unwrap_or(0);
                let vb = tb.and_then(|t| t.get(&k, c)).unwrap_or(0);
                assert_eq!(va, vb, "{} row {k} column {c}", def.id);
            }
        }
    }
}

/// How a test workbook is written.
#[derive(Clone, Debug, Default)]
pub struct Variant {
    /// Sheets in reverse order, with unrelated names.
    pub shuffled: bool,
    /// Two-row headers with merged cells (else one header row).
    pub merged_headers: bool,
    /// Amounts in 元 for these tables (else 万元).
    pub yuan: Vec<&'static str>,
    /// Code and name in one cell ("2040601 行政运行").
    pub code_and_name: bool,
    /// Zero written as "－" (else blank).
    pub dash_for_zero: bool,
    /// Amounts as text with thousands separators, every other one in full-width digits.
    pub text_numbers: bool,
    /// An extra notes sheet first.
    pub notes_sheet: bool,
    /// Title with the entity and year before it.
    pub long_titles: bool,
}

fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32('０' as u32 + (c as u32 - '0' as u32)).unwrap(),
            '.' => '．',
            ',' => '，',
            c => c,
        })
        .collect()
}

fn thousands(s: &str) -> String {
    let (neg, body) = s.strip_prefix('-').map_or((false, s), |b| (true, b));
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    format!(
        "{}{out}{}{frac}",
        if neg { "-" } else { "" },
        if frac.is_empty() { "" } else { "." }
    )
}

/// One amount cell: what to write.
enum Amount {
    Number(f64),
    Text(String),
    Blank,
}

fn amount(v: i64, yuan: bool, variant: &Variant, n: usize) -> Amount {
    if v == 0 {
        return if variant.dash_for_zero {
            Amount::Text("－".into())
        } else {
            Amount::Blank
        };
    }
    let m = Money::from_fen(v);
    let text = if yuan {
        m.format_yuan()
    } else {
        m.format_wan_exact()
    };
    if variant.text_numbers {
        let t = thousands(&text);
        Amount::Text(if matches!(n % 2, 0) {
            t
        } else {
            full_width(&t)
        })
    } else {
        Amount::Number(text.parse().unwrap())
    }
}

/// Writes the nine tables of `set` (values in 分) in the variant's layout.
pub fn write_workbook(set: &TableSet, variant: &Variant, path: &Path) {
    let template = Template::for_year(2024).unwrap();
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    if variant.notes_sheet {
        let s = wb.add_worksheet();
        s.set_name("填表说明").unwrap();
        s.write_string(0, 0, "填表说明").unwrap();
        s.write_string(
            1,
            0,
            "1. 本工作簿包括收入支出决算总表、支出决算表等九张表，请勿改动表头。",
        )
        .unwrap();
        s.write_string(2, 0, "2. 金额单位：万元，保留两位小数。")
            .unwrap();
        s.write_string(3, 0, "项目").unwrap();
        s.write_number(3, 1, 12.0).unwrap();
    }
    let mut defs: Vec<_> = template.standard_tables().collect();
    if variant.shuffled {
        defs.reverse();
    }
    let mut n = 0usize;
    for (si, def) in defs.iter().enumerate() {
        let s = wb.add_worksheet();
        s.set_name(if variant.shuffled {
            format!("Sheet{}", si + 1)
        } else {
            def.label()
        })
        .unwrap();
        let yuan = variant.yuan.contains(&def.id.as_str());
        let title = if variant.long_titles {
            format!("赤峰市司法局2024年度{}", def.title)
        } else {
            format!("{} {}", def.label(), def.title)
        };
        s.write_string_with_format(0, 0, &title, &bold).unwrap();
        s.write_string(1, 0, "编制单位：赤峰市司法局").unwrap();
        s.write_string(
            1,
            4,
            if yuan {
                "单位：元"
            } else {
                "单位：万元"
            },
        )
        .unwrap();
        let t = set.get(&def.id);
        let classified = def.layout != Layout::Fixed;
        let labels: Vec<&str> = match (classified, variant.code_and_name) {
            (false, _) => vec!["项目"],
            (true, true) => vec!["科目编码及名称"],
            (true, false) => vec!["科目编码", "科目名称"],
        };
        let nl = labels.len();
        // header
        let mut r: u32 = 2;
        if variant.merged_headers {
            let f = Format::new();
            if nl == 2 {
                s.merge_range(2, 0, 2, 1, "项目", &f).unwrap();
                s.write_string(3, 0, labels[0]).unwrap();
                s.write_string(3, 1, labels[1]).unwrap();
            } else {
                s.merge_range(2, 0, 3, 0, labels[0], &f).unwrap();
            }
            for (i, c) in def.columns.iter().enumerate() {
                let col = (nl + i) as u16;
                s.merge_range(2, col, 3, col, c, &f).unwrap();
            }
            r += 2;
        } else {
            for (i, l) in labels.iter().enumerate() {
                s.write_string(2, i as u16, *l).unwrap();
            }
            for (i, c) in def.columns.iter().enumerate() {
                s.write_string(2, (nl + i) as u16, c).unwrap();
            }
            r += 1;
        }
        // body
        let mut rows: Vec<(String, String)> = Vec::new();
        match def.layout {
            Layout::Fixed => {
                for d in &def.rows {
                    rows.push((d.key.clone(), d.display_name().to_string()));
                }
            }
            _ => {
                let mut keys: Vec<String> = t
                    .map(|t| t.rows().iter().map(|r| r.key.clone()).collect())
                    .unwrap_or_default();
                keys.sort_by_key(|k| (k != "合计", def.row_def(k).is_some(), k.clone()));
                for k in keys {
                    rows.push((k.clone(), template.row_name(def, &k)));
                }
            }
        }
        for (key, name) in rows {
            let is_code = key.bytes().all(|b| b.is_ascii_digit());
            match (classified, variant.code_and_name, is_code) {
                (false, _, true) => s.write_string(r, 0, format!("{key} {name}")),
                (false, _, false) => s.write_string(r, 0, &key),
                (true, true, true) => s.write_string(r, 0, format!("{key} {name}")),
                (true, true, false) => s.write_string(r, 0, &key),
                (true, false, true) => s
                    .write_string(r, 0, &key)
                    .and_then(|s| s.write_string(r, 1, &name)),
                (true, false, false) => s.write_string(r, 1, &key),
            }
            .unwrap();
            for (i, c) in def.columns.iter().enumerate() {
                let v = t.and_then(|t| t.get(&key, c)).unwrap_or(0);
                let col = (nl + i) as u16;
                n += 1;
                match amount(v, yuan, variant, n) {
                    Amount::Number(f) => s.write_number(r, col, f).map(|_| ()),
                    Amount::Text(t) => s.write_string(r, col, t).map(|_| ()),
                    Amount::Blank => Ok(()),
                }
                .unwrap();
            }
            r += 1;
        }
        s.write_string(r + 1, 0, "注：本表为测试数据。").unwrap();
    }
    wb.save(path).unwrap();
}

/// Imports `book` into a fresh directory and loads the dataset.
pub fn import_and_load(book: &Path, dir: &Path) -> juesuan_model::Disclosure {
    juesuan_import::import(book, dir, &juesuan_import::Options::default()).unwrap_or_else(|p| {
        panic!(
            "{}",
            p.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    juesuan_load::load_dataset(dir).unwrap_or_else(|p| panic!("{p:?}"))
}
