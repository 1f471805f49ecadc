//! 部门预算 workbooks: the budget example exported as its published tables and as a filled-in
//! `juesuan template --document 预算` imports back to the same tables, as a 预算 dataset.

use juesuan_import::{read_bytes, template_workbook_of, write_dataset, Options};
use juesuan_model::{DocKind, TableSet, Template};
use std::path::Path;

fn budget() -> juesuan_model::Disclosure {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/chifeng-sfj-yusuan-2024");
    juesuan_load::load_dataset(&dir).unwrap()
}

/// Every required cell of every 预算 table is the same (a row absent on one side is zero).
fn assert_same(a: &TableSet, b: &TableSet) {
    let template = Template::for_kind(DocKind::Budget, 2024).unwrap();
    let mut compared = 0;
    for def in template.standard_tables() {
        let (ta, tb) = (a.get(&def.id), b.get(&def.id));
        assert!(tb.is_some(), "{} not imported", def.id);
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
                compared += usize::from(va != 0);
            }
        }
    }
    assert!(compared > 200, "{compared} non-zero cells compared");
}

#[test]
fn the_published_budget_tables_import_back() {
    let d = budget();
    let doc = juesuan_report::build(&d).unwrap();
    let bytes = juesuan_xlsx::write_xlsx(&doc).unwrap();
    let imp = read_bytes(&bytes, "预算.xlsx", "预算", &Options::default())
        .unwrap_or_else(|p| panic!("{p:#?}"));
    assert_eq!(imp.doc, DocKind::Budget);
    assert_eq!(imp.name, "赤峰市司法局");
    assert!(!imp.from_template);
    assert_same(d.department.as_ref().unwrap(), &imp.tables);

    // written as a dataset, it is a 预算 that loads and checks clean
    let dir = tempfile::tempdir().unwrap();
    let ds = dir.path().join("ds");
    write_dataset(&imp, &ds).unwrap();
    let back = juesuan_load::load_dataset(&ds).unwrap();
    assert_eq!(back.entity.doc, DocKind::Budget);
    let report = juesuan_check::check_disclosure(&back).unwrap();
    assert!(!report.has_errors(), "{}", report.to_human("导入"));
}

#[test]
fn a_filled_in_budget_template_imports_and_a_wrong_total_is_named() {
    let d = budget();
    let given = d.department.as_ref().unwrap();
    let bytes = template_workbook_of(DocKind::Budget, 2024, given).unwrap();
    let imp = read_bytes(&bytes, "模板.xlsx", "模板", &Options::default())
        .unwrap_or_else(|p| panic!("{p:#?}"));
    assert_eq!(imp.doc, DocKind::Budget);
    assert!(imp.from_template);
    assert_same(given, &imp.tables);

    // the blank template lists every 功能分类 code in 表5 and imports as an empty budget
    let blank = template_workbook_of(DocKind::Budget, 2024, &TableSet::default()).unwrap();
    let imp = read_bytes(&blank, "空白.xlsx", "空白", &Options::default())
        .unwrap_or_else(|p| panic!("{p:#?}"));
    assert!(imp.tables.get("Y5").unwrap().rows().len() <= 1);

    // a 表5 item that does not add up: the problem names the sheet and the cell
    let mut wrong = given.clone();
    let y5 = wrong.get_mut("Y5").unwrap();
    let v = y5.get("20406", "合计").unwrap();
    y5.set("20406", "合计", Some(v + 1_000_000));
    let bytes = {
        let mut d2 = d.clone();
        d2.department = Some(wrong);
        juesuan_xlsx::write_xlsx(&juesuan_report::build(&d2).unwrap()).unwrap()
    };
    let Err(problems) = read_bytes(&bytes, "错.xlsx", "错", &Options::default()) else {
        panic!("a 表5 whose 款 is 1.00 万元 off imported without a problem");
    };
    assert!(
        problems
            .iter()
            .any(|p| p.sheet.as_deref().is_some_and(|s| s.contains("表5"))
                && p.cell.is_some()
                && p.message.contains("20406")),
        "{problems:#?}"
    );
}
