//! D6: a workbook that cannot be opened is explained in Chinese with the part of the package
//! and the position in it, never with the library's English text.

mod common;

use juesuan_import::{read_bytes, Options};
use std::io::{Read, Write};

fn exported() -> Vec<u8> {
    let d = juesuan_load::load_dataset(&common::example_dir()).unwrap();
    let doc = juesuan_report::build(&d).unwrap();
    juesuan_xlsx::write_xlsx(&doc).unwrap()
}

/// The workbook with one part replaced (or removed when `with` is None).
fn with_part(book: &[u8], part: &str, with: Option<&dyn Fn(Vec<u8>) -> Vec<u8>>) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(book)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut buf = Vec::new();
        f.read_to_end(&mut buf).unwrap();
        if name == part {
            match with {
                Some(change) => buf = change(buf),
                None => continue,
            }
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&buf).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn message(bytes: &[u8]) -> String {
    let p = read_bytes(bytes, "x.xlsx", "x", &Options::default()).unwrap_err();
    assert_eq!(p.len(), 1, "{p:#?}");
    let m = p[0].to_string();
    for english in ["rror", "annot", "nvalid", "xpect", "ound", "detect"] {
        assert!(!m.contains(english), "English in: {m}");
    }
    m
}

#[test]
fn not_a_zip() {
    let m = message(b"not a workbook at all");
    assert!(
        m.contains("不是 Excel 工作簿") && m.contains("6E 6F 74 20"),
        "{m}"
    );
    assert!(message(b"").contains("空的"));
}

#[test]
fn a_truncated_package() {
    let book = exported();
    let m = message(&book[..book.len() / 2]);
    assert!(m.contains("ZIP") && m.contains("截断"), "{m}");
}

#[test]
fn a_missing_part() {
    let m = message(&with_part(&exported(), "xl/workbook.xml", None));
    assert!(m.contains("缺少部件 xl/workbook.xml"), "{m}");
}

#[test]
fn a_sheet_that_is_not_well_formed_xml_is_named_with_its_position() {
    let cut = |b: Vec<u8>| {
        let text = String::from_utf8(b).unwrap();
        // the second line of the sheet loses the end of its first element
        let at = text.find("<sheetData>").unwrap();
        format!(
            "{}<row r=\"1\"><c r=\"A1\"></row>{}",
            &text[..at + 11],
            &text[at + 11..]
        )
        .into_bytes()
    };
    let m = message(&with_part(
        &exported(),
        "xl/worksheets/sheet3.xml",
        Some(&cut),
    ));
    assert!(m.contains("部件 xl/worksheets/sheet3.xml 第"), "{m}");
    assert!(m.contains("列：XML 格式错误"), "{m}");
}

/// Item 6: a 万元 amount with a third decimal, or a 元 amount finer than the 分, is refused
/// with its cell instead of being rounded.
#[test]
fn too_many_decimals_are_refused_at_their_cell() {
    let change = |b: Vec<u8>| {
        String::from_utf8(b)
            .unwrap()
            .replacen("<v>3441.03</v>", "<v>3441.035</v>", 1)
            .into_bytes()
    };
    let book = with_part(&exported(), "xl/worksheets/sheet1.xml", Some(&change));
    let p = read_bytes(&book, "x.xlsx", "x", &Options::default()).unwrap_err();
    let bad = p
        .iter()
        .find(|p| p.message.contains("3441.035"))
        .unwrap_or_else(|| panic!("{p:#?}"));
    assert!(bad.cell.is_some() && bad.sheet.is_some(), "{bad}");
    assert!(bad.message.contains("最多两位小数"), "{bad}");
}
