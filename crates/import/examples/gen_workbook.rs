//! Writes a large filled-in workbook for bench/import: the 2024 template with every code of
//! the five functional tables and 表6 filled in (deterministic pseudo-random amounts in every
//! column of every leaf row), totals as formulas.
//!
//!   cargo run --release -p juesuan-import --example gen_workbook -- OUT.xlsx

use juesuan_model::{CodeBook, Layout, Row, Table, TableSet, Template};

fn main() {
    let out = std::env::args()
        .nth(1)
        .expect("usage: gen_workbook OUT.xlsx");
    let template = Template::for_year(2024).expect("2024 template");
    let mut seed: u64 = 2024;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        // whole 0.01 万元 up to 9999.99 万元
        ((seed >> 33) % 1_000_000) as i64 * 10_000
    };
    let mut set = TableSet::default();
    let mut rows = 0;
    for def in template.standard_tables() {
        let book = match def.layout {
            Layout::Functional => &template.functional,
            Layout::Economic => &template.economic,
            Layout::Fixed => continue,
        };
        let codes: Vec<&str> = book
            .iter()
            .map(|e| e.code.as_str())
            .filter(|c| {
                def.layout == Layout::Functional
                    || (c.len() == 5 && def.classes.iter().any(|k| c.starts_with(k.as_str())))
            })
            .collect();
        let mut t = Table::new(&def.id, def.columns.clone(), None);
        for code in &codes {
            let leaf = !codes
                .iter()
                .any(|c| CodeBook::parent_code(c) == Some(*code));
            if leaf {
                let _ = t.push_row(Row {
                    key: code.to_string(),
                    name: String::new(),
                    values: def.columns.iter().map(|_| Some(next())).collect(),
                    line: None,
                });
            }
        }
        rows += codes.len();
        set.insert(t);
    }
    let bytes = juesuan_import::template_workbook_filled(2024, &set).expect("workbook");
    std::fs::write(&out, bytes).expect("write");
    eprintln!("{out}: {rows} coded rows filled in the classified tables");
}
