//! import(export(x)) = x for randomly generated consistent tables: a dataset is written,
//! loaded, built into the document, exported as the workbook and imported again.

mod common;

use common::{assert_same_tables, consistent};
use juesuan_import::{read_bytes, Imported, Options};
use juesuan_model::{AmountUnit, Row, Table, TableSet, Template};
use proptest::prelude::*;

const CODES: [&str; 5] = ["2040601", "2040602", "2080501", "2101101", "2210201"];

fn tables(values: &[i64]) -> TableSet {
    let template = Template::for_year(2024).unwrap();
    let mut set = TableSet::default();
    let mut v = values.iter().cycle();
    for id in ["T2", "T3", "T5", "T8"] {
        let def = template.table(id).unwrap();
        let mut t = Table::new(id, def.columns.clone(), None);
        for code in CODES {
            let _ = t.push_row(Row {
                key: code.into(),
                name: String::new(),
                values: def
                    .columns
                    .iter()
                    .map(|_| v.next().map(|x| x * 10_000))
                    .collect(),
                line: None,
            });
        }
        set.insert(t);
    }
    // add the 款, 类 and 合计 rows with their sums
    for t in set.tables.values_mut() {
        for code in CODES {
            for parent in [&code[..5], &code[..3], "合计"] {
                if t.row(parent).is_none() {
                    for c in t.columns.clone() {
                        t.add(parent, parent, &c, Some(0));
                    }
                }
            }
        }
    }
    consistent(&set)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]
    #[test]
    fn export_then_import_gives_the_same_tables(values in proptest::collection::vec(0i64..100_000_000, 1..40)) {
        let set = tables(&values);
        let imp = Imported {
            name: "随机单位".into(),
            year: 2024,
            doc: juesuan_model::DocKind::Final,
            unit: AmountUnit::Wan,
            tables: set.clone(),
            from_template: false,
            source: "random".into(),
            carried: None,
        };
        let dir = tempfile::tempdir().unwrap();
        let ds = dir.path().join("ds");
        juesuan_import::write_dataset(&imp, &ds).unwrap();
        let d = juesuan_load::load_dataset(&ds).unwrap();
        let doc = juesuan_report::build(&d).unwrap();
        let bytes = juesuan_xlsx::write_xlsx(&doc).unwrap();
        let back = read_bytes(&bytes, "r.xlsx", "r", &Options::default())
            .unwrap_or_else(|p| panic!("{p:#?}"));
        prop_assert_eq!(&back.name, "随机单位");
        assert_same_tables(&back.tables, &set);
    }
}
