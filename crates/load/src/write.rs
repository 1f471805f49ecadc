//! Writing the dataset format back: one table as the loader's CSV, TOML string literals.
//! Shared by `juesuan import` and `juesuan synth` so that what they write is what
//! [`crate::load_dataset`] reads.

use juesuan_model::{AmountUnit, Layout, Money, Table, TableDef, Template};

/// A TOML basic string literal.
pub fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One table as the loader's CSV: 合计 first, then codes in code order, then the fixed rows
/// (人员经费合计 …); fixed tables in template order. Amounts in `unit`.
pub fn table_csv(def: &TableDef, template: &Template, table: &Table, unit: AmountUnit) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let classified = def.layout != Layout::Fixed;
    let mut header: Vec<String> = if classified {
        vec!["科目编码".into(), "科目名称".into()]
    } else {
        vec!["项目".into()]
    };
    header.extend(table.columns.iter().cloned());
    let _ = w.write_record(&header);
    let mut rows: Vec<_> = table.rows().iter().collect();
    if classified {
        rows.sort_by_key(|r| {
            (
                r.key != "合计",
                def.row_def(&r.key).is_some(),
                r.key.clone(),
            )
        });
    } else {
        rows.sort_by_key(|r| def.rows.iter().position(|d| d.key == r.key));
    }
    for r in rows {
        let mut rec: Vec<String> = if classified {
            if r.key == "合计" || def.row_def(&r.key).is_some() {
                vec![String::new(), r.key.clone()]
            } else {
                vec![r.key.clone(), template.row_name(def, &r.key)]
            }
        } else if r.key.bytes().all(|b| b.is_ascii_digit()) {
            vec![format!("{} {}", r.key, template.row_name(def, &r.key))]
        } else {
            vec![r.key.clone()]
        };
        rec.extend(r.values.iter().map(|v| {
            v.map(|v| unit.format(Money::from_fen(v)))
                .unwrap_or_default()
        }));
        let _ = w.write_record(&rec);
    }
    w.into_inner().unwrap_or_default()
}
