//! The workbook of `juesuan export` carries the whole dataset: importing it restores every
//! file, writes back what was edited in the nine tables, and refuses carried rows that are
//! malformed or point outside the dataset, with sheet and cell.

mod common;

use juesuan_import::{read_bytes, write_dataset, Options, FILES_SHEET, GUIDE_SHEET};
use rust_xlsxwriter::Workbook;

fn exported() -> Vec<u8> {
    exported_from(&common::example_dir())
}

fn exported_from(dir: &std::path::Path) -> Vec<u8> {
    let d = juesuan_load::load_dataset(dir).unwrap();
    let doc = juesuan_report::build(&d).unwrap();
    juesuan_import::export_workbook(dir, &doc).unwrap()
}

#[test]
fn an_edit_of_the_nine_tables_is_written_back_and_the_rest_is_kept() {
    let mut imp = read_bytes(&exported(), "x.xlsx", "x", &Options::default()).unwrap();
    assert!(imp.carried.is_some());
    // 其他收入 566.00 → 566.01 万元 in the workbook's 表1
    let t1 = imp.tables.get_mut("T1").unwrap();
    let v = t1.get("其他收入", "决算数").unwrap();
    assert_eq!(v, 566_000_000, "566.00 万元 in 分");
    t1.set(
        "其他收入",
        "决算数",
        Some(v + juesuan_model::FEN_PER_WAN_CENT),
    );
    let tmp = tempfile::tempdir().unwrap();
    let ds = tmp.path().join("ds");
    write_dataset(&imp, &ds).unwrap();
    let example = common::example_dir();
    let t1 = std::fs::read_to_string(ds.join("department/t1.csv")).unwrap();
    assert!(t1.contains("其他收入,566.01"), "{t1}");
    // the columns the printed table leaves out stay
    assert!(t1.starts_with("项目,决算数,年初预算,上年决算"), "{t1}");
    assert!(t1.contains("收入总计,4328.25,4105.38,4789.64"), "{t1}");
    // tables not edited are the carried files, cell for cell
    for f in [
        "department/t2.csv",
        "units/benji/t1.csv",
        "units/jiedusuo/t9.csv",
    ] {
        let a = std::fs::read_to_string(example.join(f)).unwrap();
        let b = std::fs::read_to_string(ds.join(f)).unwrap();
        let lines = |s: &str| s.lines().map(str::to_string).collect::<Vec<_>>();
        assert_eq!(lines(&a), lines(&b), "{f}");
    }
    let d = juesuan_load::load_dataset(&ds).unwrap();
    assert_eq!(d.units.len(), 2);
    assert_eq!(d.units[1].nature, "财政拨款的行政单位");
    assert_eq!(d.contact.person, "廉岸琦");
}

#[test]
fn an_export_without_its_edits_restores_the_same_dataset() {
    // the 2024 决算, the 2025 决算 and the 2024 预算: each read back with its own year and kind
    for (example, year, kind) in [
        ("chifeng-sfj-2024", 2024, juesuan_model::DocKind::Final),
        ("chifeng-sfj-2025", 2025, juesuan_model::DocKind::Final),
        (
            "chifeng-sfj-yusuan-2024",
            2024,
            juesuan_model::DocKind::Budget,
        ),
    ] {
        let dir = common::example_dir().with_file_name(example);
        let imp = read_bytes(&exported_from(&dir), "x.xlsx", "x", &Options::default()).unwrap();
        assert_eq!((imp.year, imp.doc), (year, kind), "{example}");
        restores(&dir, &imp);
    }
}

fn restores(dir: &std::path::Path, imp: &juesuan_import::Imported) {
    let tmp = tempfile::tempdir().unwrap();
    let ds = tmp.path().join("ds");
    write_dataset(imp, &ds).unwrap();
    let a = juesuan_load::load_dataset(dir).unwrap();
    let b = juesuan_load::load_dataset(&ds).unwrap();
    assert_eq!(a.entity, b.entity);
    assert_eq!(a.units, b.units);
    assert_eq!(a.department, b.department);
    // the TOML's layout is not carried, so the lines of the facts differ
    let facts = |d: &juesuan_model::Disclosure| {
        d.facts
            .rows()
            .iter()
            .map(|r| (r.key.clone(), r.values.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(facts(&a), facts(&b));
    let projects = |d: &juesuan_model::Disclosure| {
        let mut p = d.projects.clone();
        p.iter_mut().for_each(|p| p.line = None);
        p
    };
    assert_eq!(projects(&a), projects(&b));
    assert_eq!(a.reasons, b.reasons);
    assert_eq!(a.overview, b.overview);
    // the units' own tables come back as they were (the 预算 example has none)
    let units = |dir, d| juesuan_load::unit_disclosures(dir, d).map(|u| u.len()).ok();
    assert_eq!(units(dir, &a), units(&ds, &b));
}

/// A workbook with the carried sheets and the rows given.
fn carried_book(toml_rows: &[[&str; 4]], files: &[&[&str]]) -> Vec<u8> {
    let mut wb = Workbook::new();
    wb.add_worksheet().set_name(GUIDE_SHEET).unwrap();
    let s = wb.add_worksheet().set_name("基本信息").unwrap();
    for (r, row) in toml_rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            s.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    let s = wb.add_worksheet().set_name(FILES_SHEET).unwrap();
    for (r, row) in files.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            s.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn carried_rows_outside_the_dataset_or_malformed_are_refused_with_their_cell() {
    let book = carried_book(
        &[
            ["disclosure.toml", "entity.name", "某局", "文本"],
            ["../../evil.toml", "entity.name", "x", "文本"],
            ["disclosure.toml", "entity.三公", "x", "文本"],
            ["disclosure.toml", "entity.year", "二〇二四", "整数"],
            ["disclosure.toml", "entity.name", "又一个", "文本"],
        ],
        &[
            &["../outside.csv", "项目"],
            &["units/benji/t1.csv", "项目", "决算数"],
        ],
    );
    let problems = read_bytes(&book, "x.xlsx", "x", &Options::default()).unwrap_err();
    let at = |sheet: &str, cell: &str| {
        problems
            .iter()
            .find(|p| p.sheet.as_deref() == Some(sheet) && p.cell.as_deref() == Some(cell))
            .unwrap_or_else(|| panic!("no problem at {sheet} {cell}: {problems:#?}"))
            .message
            .clone()
    };
    assert!(at("基本信息", "A3").contains("不是数据集的 TOML 文件"));
    assert!(at("基本信息", "B4").contains("双引号"));
    assert!(at("基本信息", "C5").contains("不是整数"));
    assert!(at("基本信息", "B6").contains("重复"));
    assert!(at(FILES_SHEET, "A2").contains("不是数据集的表格文件"));
    for p in &problems {
        assert!(
            p.message
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{p}"
        );
    }
}
