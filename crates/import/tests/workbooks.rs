//! Import of workbooks written in realistic variants, of broken workbooks, of the exported
//! example and of a filled-in template.

mod common;

use common::*;
use juesuan_import::{import, read_bytes, Options};
use juesuan_model::{AmountUnit, Template};
use std::path::Path;

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn variants() -> Vec<(&'static str, Variant)> {
    vec![
        ("plain", Variant::default()),
        (
            "shuffled",
            Variant {
                shuffled: true,
                ..Variant::default()
            },
        ),
        (
            "merged",
            Variant {
                merged_headers: true,
                ..Variant::default()
            },
        ),
        (
            "yuan",
            Variant {
                yuan: vec!["T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9"],
                ..Variant::default()
            },
        ),
        (
            "mixed-units",
            Variant {
                yuan: vec!["T3", "T6"],
                ..Variant::default()
            },
        ),
        (
            "code-and-name",
            Variant {
                code_and_name: true,
                merged_headers: true,
                ..Variant::default()
            },
        ),
        (
            "dash",
            Variant {
                dash_for_zero: true,
                ..Variant::default()
            },
        ),
        (
            "text-numbers",
            Variant {
                text_numbers: true,
                dash_for_zero: true,
                ..Variant::default()
            },
        ),
        (
            "notes-and-long-titles",
            Variant {
                notes_sheet: true,
                long_titles: true,
                shuffled: true,
                ..Variant::default()
            },
        ),
    ]
}

#[test]
fn every_variant_imports_to_the_same_tables() {
    let expected = consistent(&example_tables());
    for (name, v) in variants() {
        let dir = tmp();
        let book = dir.path().join(format!("{name}.xlsx"));
        write_workbook(&expected, &v, &book);
        eprintln!("variant {name}");
        let d = import_and_load(&book, &dir.path().join("ds"));
        assert_eq!(d.entity.name, "赤峰市司法局", "{name}");
        assert_eq!(d.entity.year, 2024, "{name}");
        let unit = if v.yuan.is_empty() {
            AmountUnit::Wan
        } else {
            AmountUnit::Yuan
        };
        assert_eq!(d.entity.unit, unit, "{name}");
        assert_eq!(d.units.len(), 1);
        assert_same_tables(&d.units[0].tables, &expected);
    }
}

/// Imports a broken workbook: the messages, and that no directory was written.
fn broken(edit: impl FnOnce(&mut juesuan_model::TableSet), variant: Variant) -> Vec<String> {
    let mut set = consistent(&example_tables());
    edit(&mut set);
    let dir = tmp();
    let book = dir.path().join("broken.xlsx");
    write_workbook(&set, &variant, &book);
    let out = dir.path().join("ds");
    let problems = import(&book, &out, &Options::default()).unwrap_err();
    assert!(!out.exists(), "nothing is written on a problem");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temp dir left: {leftovers:?}");
    problems.iter().map(ToString::to_string).collect()
}

#[test]
fn a_missing_table_is_named() {
    let dir = tmp();
    let book = dir.path().join("missing.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet()
        .write_string(0, 0, "表1 收入支出决算总表")
        .unwrap();
    wb.save(&book).unwrap();
    let out = dir.path().join("ds");
    let p = import(&book, &out, &Options::default()).unwrap_err();
    let msgs: Vec<String> = p.iter().map(ToString::to_string).collect();
    assert!(!out.exists());
    assert!(
        msgs.iter()
            .any(|m| m
                .starts_with("表8（政府性基金预算财政拨款收入支出决算表）：工作簿中没有这张表")),
        "{msgs:#?}"
    );
    assert_eq!(
        msgs.iter().filter(|m| m.contains("没有这张表")).count(),
        8,
        "{msgs:#?}"
    );
}

#[test]
fn an_unknown_code_is_reported_at_its_cell() {
    let msgs = broken(
        |set| {
            let t3 = set.get_mut("T3").unwrap();
            let row = t3
                .rows()
                .iter()
                .find(|r| r.key == "2040650")
                .unwrap()
                .clone();
            let mut t = juesuan_model::Table::new("T3", t3.columns.clone(), None);
            for r in t3.rows() {
                let mut r = r.clone();
                if r.key == row.key {
                    r.key = "2040698".into();
                }
                t.push_row(r).unwrap();
            }
            *t3 = t;
        },
        Variant::default(),
    );
    assert_eq!(msgs.len(), 1, "{msgs:#?}");
    assert!(
        msgs[0].starts_with("表3（支出决算表） 工作表“表3” A"),
        "{msgs:#?}"
    );
    assert!(msgs[0].contains("没有编码“2040698”"), "{msgs:#?}");
}

#[test]
fn text_in_a_number_cell_is_reported_at_its_cell() {
    let dir = tmp();
    let book = dir.path().join("text.xlsx");
    write_workbook(&consistent(&example_tables()), &Variant::default(), &book);
    // 表5, first code row (sheet row 5), 基本支出 (column D)
    let msgs = rewrite_and_import(&book, "表5", (4, 3), "约1000");
    assert_eq!(msgs.len(), 1, "{msgs:#?}");
    assert!(
        msgs[0].starts_with("表5（一般公共预算财政拨款支出决算表） 工作表“表5” D5："),
        "{msgs:#?}"
    );
    assert!(msgs[0].contains("“约1000”不是数字"), "{msgs:#?}");
}

#[test]
fn a_total_that_does_not_add_up_is_reported_at_the_total() {
    let dir = tmp();
    let book = dir.path().join("sum.xlsx");
    write_workbook(&consistent(&example_tables()), &Variant::default(), &book);
    // 表3 合计 row (sheet row 4), 基本支出 (column D): 2809.29 → 2809.39
    let msgs = rewrite_and_import(&book, "表3", (3, 3), "2809.39");
    assert_eq!(msgs.len(), 1, "{msgs:#?}");
    assert_eq!(
        msgs[0],
        "表3（支出决算表） 工作表“表3” D4：“基本支出”列 合计 为 2809.39，不等于各类之和 2809.29（相差 0.10万元）"
    );
}

/// Copies a workbook cell by cell (values only) with one cell replaced, then imports it.
fn rewrite_and_import(book: &Path, sheet: &str, (r, c): (usize, usize), text: &str) -> Vec<String> {
    let sheets = juesuan_import::read_workbook(&std::fs::read(book).unwrap()).unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    for s in &sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&s.name).unwrap();
        for (ri, row) in s.cells.iter().enumerate() {
            for (ci, v) in row.iter().enumerate() {
                let (rr, cc) = (ri as u32, ci as u16);
                if s.name == sheet && (ri, ci) == (r, c) {
                    ws.write_string(rr, cc, text).unwrap();
                    continue;
                }
                match v {
                    juesuan_import::Val::Empty => {}
                    juesuan_import::Val::Text(t) => {
                        ws.write_string(rr, cc, t).unwrap();
                    }
                    juesuan_import::Val::Number(n) => {
                        ws.write_number(rr, cc, n.parse::<f64>().unwrap()).unwrap();
                    }
                }
            }
        }
    }
    let dir = book.parent().unwrap();
    let edited = dir.join("edited.xlsx");
    wb.save(&edited).unwrap();
    let out = dir.join("ds-edited");
    let p = import(&edited, &out, &Options::default()).unwrap_err();
    assert!(!out.exists());
    p.iter().map(ToString::to_string).collect()
}

#[test]
fn the_exported_example_imports_to_its_department_tables() {
    let d = juesuan_load::load_dataset(&example_dir()).unwrap();
    let doc = juesuan_report::build(&d).unwrap();
    let bytes = juesuan_xlsx::write_xlsx(&doc).unwrap();
    let imp = read_bytes(&bytes, "chifeng.xlsx", "chifeng", &Options::default())
        .unwrap_or_else(|p| panic!("{p:#?}"));
    assert_eq!(imp.name, "赤峰市司法局");
    assert_eq!(imp.unit, AmountUnit::Wan);
    assert_same_tables(&imp.tables, &example_tables());
    // and through a dataset directory, which `juesuan check` can read
    let dir = tmp();
    juesuan_import::write_dataset(&imp, &dir.path().join("ds")).unwrap();
    let back = juesuan_load::load_dataset(&dir.path().join("ds")).unwrap();
    assert_same_tables(&back.units[0].tables, &example_tables());
}

#[test]
fn a_filled_in_template_imports() {
    let expected = consistent(&example_tables());
    let bytes = juesuan_import::template_workbook_filled(2024, &expected).unwrap();
    let imp = read_bytes(&bytes, "filled.xlsx", "某单位", &Options::default())
        .unwrap_or_else(|p| panic!("{p:#?}"));
    assert!(imp.from_template);
    assert_eq!(
        imp.name, "某单位",
        "no 编制单位 in the template: the file stem"
    );
    assert_same_tables(&imp.tables, &expected);
    // blank code rows are dropped
    let t5 = imp.tables.get("T5").unwrap();
    assert!(t5.rows().len() < 60, "{}", t5.rows().len());
}

#[test]
fn the_blank_template_lists_every_code_with_formulas() {
    let bytes = juesuan_import::template_workbook(2024).unwrap();
    let sheets = juesuan_import::read_workbook(&bytes).unwrap();
    assert_eq!(sheets.len(), 10);
    assert_eq!(sheets[9].name, "_juesuan");
    let template = Template::for_year(2024).unwrap();
    let t3 = &sheets[2];
    let codes = (0..t3.height())
        .filter(|&r| template.functional.get(t3.text(r, 0)).is_some())
        .count();
    assert_eq!(codes, template.functional.len());
    let imp = read_bytes(&bytes, "blank.xlsx", "空白", &Options::default()).unwrap();
    assert!(imp.tables.get("T3").unwrap().rows().len() <= 1);
}

#[test]
fn name_and_year_options_fill_in_what_the_workbook_lacks() {
    let dir = tmp();
    let book = dir.path().join("x.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    for def in Template::for_year(2024).unwrap().standard_tables() {
        let s = wb.add_worksheet();
        s.write_string(0, 0, &def.title).unwrap();
        s.write_string(1, 0, "单位：元").unwrap();
        let labels: &[&str] = if def.layout == juesuan_model::Layout::Fixed {
            &["项目"]
        } else {
            &["科目编码", "科目名称"]
        };
        for (i, h) in labels
            .iter()
            .chain(
                def.columns
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .iter(),
            )
            .enumerate()
        {
            s.write_string(2, i as u16, *h).unwrap();
        }
    }
    wb.save(&book).unwrap();
    let opts = Options {
        name: Some("某某局".into()),
        year: Some(2024),
    };
    let imp = juesuan_import::read_file(&book, &opts).unwrap_or_else(|p| panic!("{p:#?}"));
    assert_eq!(imp.name, "某某局");
    assert_eq!(imp.unit, AmountUnit::Yuan);
}
