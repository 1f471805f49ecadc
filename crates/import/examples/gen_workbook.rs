//! Writes a large filled-in workbook for bench/import: the 2024 template with every code of
//! the five functional tables and 表6 filled in (deterministic pseudo-random amounts in every
//! column of every leaf row), totals as formulas; and, as workbooks exported from the
//! 部门决算 reporting software have, other 财决 report sheets beside the nine 公开表 (EXTRA
//! rows of detail in all, default 4000), which import must pass over.
//!
//!   cargo run --release -p juesuan-import --example gen_workbook -- OUT.xlsx [EXTRA]

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
    let extra: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(4000);
    let sheets = [
        ("财决附01表", "财决附01表 基本数字表"),
        ("财决附02表", "财决附02表 机构人员情况表"),
        ("财决05表", "财决05表 支出决算明细表"),
        ("财决07表", "财决07表 项目收入支出决算表"),
    ];
    let per = extra / sheets.len();
    let extra_sheets: Vec<(&str, Vec<Vec<String>>)> = sheets
        .iter()
        .map(|(name, title)| {
            let mut grid = vec![
                vec![title.to_string()],
                vec!["项目".into(), "行次".into(), "金额".into(), "备注".into()],
            ];
            for i in 0..per {
                grid.push(vec![
                    format!("明细项目{}", i + 1),
                    (i + 1).to_string(),
                    format!("{}.{:02}", next() / 1_000_000, (i * 7) % 100),
                    String::new(),
                ]);
            }
            (*name, grid)
        })
        .collect();
    let bytes = add_sheets(&bytes, &extra_sheets);
    std::fs::write(&out, bytes).expect("write");
    eprintln!(
        "{out}: {rows} coded rows filled in the classified tables, {} rows on {} other sheets",
        per * sheets.len(),
        sheets.len()
    );
}

/// Appends worksheets (text in inline strings, numbers as numbers) to an .xlsx package.
fn add_sheets(xlsx: &[u8], sheets: &[(&str, Vec<Vec<String>>)]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).expect("xlsx is a zip");
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..src.len() {
        let mut f = src.by_index(i).expect("entry");
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("read");
        parts.push((f.name().expect("entry name").to_string(), data));
    }
    let existing = parts
        .iter()
        .filter(|(n, _)| n.starts_with("xl/worksheets/sheet"))
        .count();
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let (mut sheet_tags, mut rels, mut types) = (String::new(), String::new(), String::new());
    for (k, (name, grid)) in sheets.iter().enumerate() {
        let n = existing + k + 1;
        let mut xml = String::from(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
        );
        for (r, cells) in grid.iter().enumerate() {
            xml.push_str(&format!(r#"<row r="{}">"#, r + 1));
            for (c, v) in cells.iter().enumerate() {
                let at = format!("{}{}", (b'A' + c as u8) as char, r + 1);
                if !v.is_empty() && v.parse::<f64>().is_ok() {
                    xml.push_str(&format!(r#"<c r="{at}"><v>{v}</v></c>"#));
                } else {
                    xml.push_str(&format!(
                        r#"<c r="{at}" t="inlineStr"><is><t>{}</t></is></c>"#,
                        esc(v)
                    ));
                }
            }
            xml.push_str("</row>");
        }
        xml.push_str("</sheetData></worksheet>");
        parts.push((format!("xl/worksheets/sheet{n}.xml"), xml.into_bytes()));
        sheet_tags.push_str(&format!(
            r#"<sheet name="{}" sheetId="{}" r:id="rIdExtra{n}"/>"#,
            esc(name),
            100 + n
        ));
        rels.push_str(&format!(
            r#"<Relationship Id="rIdExtra{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#
        ));
        types.push_str(&format!(
            r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        ));
    }
    let insert = |parts: &mut Vec<(String, Vec<u8>)>, part: &str, before: &str, what: &str| {
        let p = parts.iter_mut().find(|(n, _)| n == part).expect(part);
        let text = String::from_utf8(p.1.clone()).expect("utf-8");
        let i = text.rfind(before).expect(before);
        p.1 = format!("{}{what}{}", &text[..i], &text[i..]).into_bytes();
    };
    insert(&mut parts, "xl/workbook.xml", "</sheets>", &sheet_tags);
    insert(
        &mut parts,
        "xl/_rels/workbook.xml.rels",
        "</Relationships>",
        &rels,
    );
    insert(&mut parts, "[Content_Types].xml", "</Types>", &types);
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for (name, data) in parts {
        out.start_file(name, opts).expect("zip entry");
        out.write_all(&data).expect("zip write");
    }
    out.finish().expect("zip").into_inner()
}
