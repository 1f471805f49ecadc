//! Writes a small hand-made document and inspects the workbook twice: as raw XML with `unzip`
//! (what Excel is told: merges, number formats, frozen panes, fonts) and through `calamine`
//! (what a reader sees: every cell as displayed equals `Cell::display()` of the input).

mod common;

use juesuan_derive::Percent;
use juesuan_model::Money;
use juesuan_report::{Block, Cell, DisplayRow, DisplayTable, Document, HeaderCell};
use std::path::{Path, PathBuf};
use std::process::Command;

fn head(text: &str, row: usize, col: usize, rowspan: usize, colspan: usize) -> HeaderCell {
    HeaderCell {
        text: text.into(),
        row,
        col,
        rowspan,
        colspan,
    }
}

fn text(t: &str, indent: u8) -> Cell {
    Cell::Text {
        text: t.into(),
        indent,
    }
}

fn money(wan_cents: i64) -> Cell {
    Cell::Money(Money::from_wan_cents(wan_cents))
}

fn row(cells: Vec<Cell>, total: bool) -> DisplayRow {
    DisplayRow { cells, total }
}

/// 表2 with a two-row header: 项目 over 编码+名称, 本年收入合计 down two rows, 其中 over three.
fn income_table() -> DisplayTable {
    DisplayTable {
        id: "T2".into(),
        number: "表2".into(),
        title: "收入决算表".into(),
        entity: "赤峰市司法局".into(),
        unit_label: "单位：万元".into(),
        columns: 6,
        header: vec![
            head("项目", 0, 0, 1, 2),
            head("本年收入合计", 0, 2, 2, 1),
            head("其中", 0, 3, 1, 3),
            head("科目编码", 1, 0, 1, 1),
            head("科目名称", 1, 1, 1, 1),
            head("财政拨款收入", 1, 3, 1, 1),
            head("车辆数", 1, 4, 1, 1),
            head("完成率", 1, 5, 1, 1),
        ],
        header_rows: 2,
        rows: vec![
            row(
                vec![
                    text("合计", 0),
                    Cell::Empty,
                    money(400_703),
                    money(300_000),
                    Cell::Count(13),
                    Cell::Percent(Percent(9421)),
                ],
                true,
            ),
            row(
                vec![
                    text("201", 0),
                    text("一般公共服务支出", 0),
                    money(123_450),
                    money(100_001),
                    Cell::Count(0),
                    Cell::Percent(Percent(10_000)),
                ],
                false,
            ),
            row(
                vec![
                    text("20101", 1),
                    text("人大事务", 1),
                    money(-5),
                    Cell::Empty,
                    Cell::Count(2),
                    Cell::Percent(Percent(507)),
                ],
                false,
            ),
        ],
        note: None,
    }
}

/// 表7 with a one-row header and a note under it.
fn three_costs_table() -> DisplayTable {
    DisplayTable {
        id: "T7".into(),
        number: "表7".into(),
        title: "财政拨款“三公”经费支出决算表".into(),
        entity: "赤峰市司法局".into(),
        unit_label: "单位：万元".into(),
        columns: 3,
        header: vec![
            head("项目", 0, 0, 1, 1),
            head("预算数", 0, 1, 1, 1),
            head("决算数", 0, 2, 1, 1),
        ],
        header_rows: 1,
        rows: vec![
            row(vec![text("合计", 0), money(1_000), money(999)], true),
            row(vec![text("因公出国（境）费", 1), money(0), money(0)], false),
            row(vec![text("公务接待费", 1), money(1_000), money(999)], false),
        ],
        note: Some("本单位2024年度无公务用车购置费支出。".into()),
    }
}

fn document() -> Document {
    let narrative = DisplayTable {
        id: "units".into(),
        number: String::new(),
        title: "决算单位构成".into(),
        entity: String::new(),
        unit_label: String::new(),
        columns: 1,
        header: vec![head("单位名称", 0, 0, 1, 1)],
        header_rows: 1,
        rows: vec![row(vec![text("赤峰市司法局本级", 0)], false)],
        note: None,
    };
    Document {
        title: "赤峰市司法局2024年度部门决算".into(),
        entity: "赤峰市司法局".into(),
        year: 2024,
        kind: "部门".into(),
        document: "决算".into(),
        blocks: vec![
            Block::Heading {
                level: 1,
                number: "第一部分".into(),
                text: "部门概况".into(),
            },
            Block::Table(narrative),
            Block::paragraph("正文。"),
            Block::PageBreak,
            Block::Table(income_table()),
            Block::PageBreak,
            Block::Table(three_costs_table()),
        ],
    }
}

/// Writes the document's workbook to a file of its own and returns the path.
fn written(name: &str) -> PathBuf {
    let bytes = juesuan_xlsx::write_xlsx(&document()).expect("workbook");
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, bytes).expect("write workbook");
    path
}

fn unzip(book: &Path, member: &str) -> String {
    let out = Command::new("unzip")
        .arg("-p")
        .arg(book)
        .arg(member)
        .output()
        .expect("unzip is installed");
    assert!(out.status.success(), "unzip {member}: {out:?}");
    String::from_utf8(out.stdout).expect("utf-8 xml")
}

/// The value of `name="…"` inside one XML start tag.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    Some(&tag[start..start + tag[start..].find('"')?])
}

/// The `<c r="C5" …>…</c>` element of one cell.
fn cell_xml<'a>(sheet: &'a str, reference: &str) -> &'a str {
    let start = sheet
        .find(&format!("<c r=\"{reference}\""))
        .unwrap_or_else(|| panic!("no cell {reference}"));
    let rest = &sheet[start..];
    let open_end = rest.find('>').unwrap();
    if rest.as_bytes()[open_end - 1] == b'/' {
        &rest[..=open_end]
    } else {
        &rest[..rest.find("</c>").unwrap() + 4]
    }
}

fn value(cell: &str) -> Option<&str> {
    let start = cell.find("<v>")? + 3;
    Some(&cell[start..start + cell[start..].find("</v>")?])
}

/// The elements `<name …>` (with their content) inside `<section …>…</section>`.
fn elements<'a>(xml: &'a str, section: &str, name: &str) -> Vec<&'a str> {
    let start = xml.find(&format!("<{section}")).unwrap();
    let end = start + xml[start..].find(&format!("</{section}>")).unwrap();
    let body = &xml[start..end];
    let open = format!("<{name}");
    body.match_indices(&open)
        .filter(|(i, _)| matches!(body.as_bytes()[i + open.len()], b' ' | b'>' | b'/'))
        .map(|(i, _)| {
            let tail = &body[i..];
            let self_closing = tail.find("/>").unwrap_or(usize::MAX);
            let closing = tail.find(&format!("</{name}>")).map(|j| j + name.len() + 3);
            let first_gt = tail.find('>').unwrap();
            if self_closing < first_gt + 1 {
                &tail[..self_closing + 2]
            } else {
                &tail[..closing.unwrap_or(first_gt + 1)]
            }
        })
        .collect()
}

/// The cell format (`<xf>` in cellXfs) a cell uses.
fn xf_of<'a>(styles: &'a str, cell: &str) -> &'a str {
    let index: usize = attr(cell, "s").expect("styled cell").parse().unwrap();
    elements(styles, "cellXfs", "xf")[index]
}

#[test]
fn sheets_are_the_numbered_tables_in_order() {
    let book = written("names.xlsx");
    let workbook = unzip(&book, "xl/workbook.xml");
    let names: Vec<&str> = elements(&workbook, "sheets", "sheet")
        .iter()
        .map(|s| attr(s, "name").unwrap())
        .collect();
    assert_eq!(
        names,
        ["表2 收入决算表", "表7 财政拨款“三公”经费支出决算表"]
    );
    // Print titles: the title, 编制单位 and both header rows repeat on every page.
    assert!(
        workbook.contains("'表2 收入决算表'!$1:$4"),
        "print titles in {workbook}"
    );
}

#[test]
fn header_merges_follow_the_spans_exactly() {
    let book = written("merges.xlsx");
    let sheet = unzip(&book, "xl/worksheets/sheet1.xml");
    let mut merges: Vec<&str> = elements(&sheet, "mergeCells", "mergeCell")
        .iter()
        .map(|m| attr(m, "ref").unwrap())
        .collect();
    merges.sort_unstable();
    // Title across all six columns, 编制单位 over A:C and the unit over D:F, then the header:
    // 项目 (1×2), 本年收入合计 (2×1), 其中 (1×3). One-cell header cells are not merged.
    assert_eq!(
        merges,
        ["A1:F1", "A2:C2", "A3:B3", "C3:C4", "D2:F2", "D3:F3"]
    );

    let sheet2 = unzip(&book, "xl/worksheets/sheet2.xml");
    let mut merges2: Vec<&str> = elements(&sheet2, "mergeCells", "mergeCell")
        .iter()
        .map(|m| attr(m, "ref").unwrap())
        .collect();
    merges2.sort_unstable();
    // Title, 编制单位 (A:B), unit (C alone, so unmerged) and the note under the body (row 7).
    assert_eq!(merges2, ["A1:C1", "A2:B2", "A7:C7"]);
}

#[test]
fn figures_are_numbers_with_the_template_formats() {
    let book = written("numbers.xlsx");
    let sheet = unzip(&book, "xl/worksheets/sheet1.xml");
    let styles = unzip(&book, "xl/styles.xml");

    // (cell, stored value, built-in numFmtId: 2 = "0.00", 1 = "0", 10 = "0.00%")
    let expected = [
        ("C5", "4007.03", "2"),
        ("D5", "3000", "2"),
        ("E5", "13", "1"),
        ("F5", "0.9421", "10"),
        ("C6", "1234.5", "2"),
        ("D6", "1000.01", "2"),
        ("E6", "0", "1"),
        ("F6", "1", "10"),
        ("C7", "-0.05", "2"),
        ("F7", "0.0507", "10"),
    ];
    for (reference, v, num_fmt) in expected {
        let cell = cell_xml(&sheet, reference);
        assert_eq!(attr(cell, "t"), None, "{reference} is a number: {cell}");
        assert_eq!(value(cell), Some(v), "{reference}: {cell}");
        let xf = xf_of(&styles, cell);
        assert_eq!(attr(xf, "numFmtId"), Some(num_fmt), "{reference}: {xf}");
        assert_ne!(
            attr(xf, "borderId"),
            Some("0"),
            "{reference} bordered: {xf}"
        );
    }
    // No custom number format was needed: all three are Excel built-ins.
    assert!(!styles.contains("<numFmt "), "{styles}");

    // Text cells are shared strings, left-aligned, indented by their depth.
    let code = cell_xml(&sheet, "A7");
    assert_eq!(attr(code, "t"), Some("s"));
    let name_xf = xf_of(&styles, cell_xml(&sheet, "B7"));
    assert!(name_xf.contains("horizontal=\"left\""), "{name_xf}");
    assert!(name_xf.contains("indent=\"1\""), "{name_xf}");

    // Empty cells are blank but keep the grid's border.
    for reference in ["B5", "D7"] {
        let empty = cell_xml(&sheet, reference);
        assert_eq!(value(empty), None, "{reference}: {empty}");
        assert_ne!(attr(xf_of(&styles, empty), "borderId"), Some("0"));
    }

    // The total row is bold, the rows under it are not.
    let fonts = elements(&styles, "fonts", "font");
    let font_of = |reference: &str| {
        let xf = xf_of(&styles, cell_xml(&sheet, reference));
        fonts[attr(xf, "fontId").unwrap().parse::<usize>().unwrap()]
    };
    assert!(font_of("C5").contains("<b/>"), "{}", font_of("C5"));
    assert!(font_of("A5").contains("<b/>"));
    assert!(!font_of("C6").contains("<b/>"), "{}", font_of("C6"));
}

#[test]
fn header_is_frozen_and_the_page_is_a4_fitted_to_width() {
    let book = written("layout.xlsx");
    let sheet = unzip(&book, "xl/worksheets/sheet1.xml");
    let pane = &sheet[sheet.find("<pane ").expect("a pane")..];
    let pane = &pane[..=pane.find("/>").unwrap() + 1];
    assert_eq!(attr(pane, "state"), Some("frozen"), "{pane}");
    assert_eq!(attr(pane, "ySplit"), Some("4"), "{pane}");
    assert_eq!(attr(pane, "topLeftCell"), Some("A5"), "{pane}");
    assert!(sheet.contains("<pageSetUpPr fitToPage=\"1\"/>"), "{sheet}");
    let setup = &sheet[sheet.find("<pageSetup ").unwrap()..];
    assert_eq!(attr(setup, "paperSize"), Some("9"));
    assert_eq!(attr(setup, "fitToHeight"), Some("0"));
    // Column widths: code ~12, name fitted to Chinese text, amounts ~14.
    let mut widths: Vec<f64> = vec![];
    for col in elements(&sheet, "cols", "col") {
        // Adjacent columns of one width share a <col min max> element.
        let number = |name| attr(col, name).unwrap().parse::<usize>().unwrap();
        let width: f64 = attr(col, "width").unwrap().parse().unwrap();
        widths.extend(std::iter::repeat_n(
            width,
            number("max") - number("min") + 1,
        ));
    }
    assert_eq!(widths.len(), 6, "{widths:?}");
    assert!((12.0..13.0).contains(&widths[0]), "{widths:?}");
    assert!((20.0..41.0).contains(&widths[1]), "{widths:?}");
    assert!(
        widths[2..].iter().all(|w| (14.0..15.0).contains(w)),
        "{widths:?}"
    );
}

#[test]
fn chinese_text_and_font() {
    let book = written("strings.xlsx");
    let strings = unzip(&book, "xl/sharedStrings.xml");
    for s in [
        "表2 收入决算表",
        "编制单位：赤峰市司法局",
        "单位：万元",
        "本年收入合计",
        "一般公共服务支出",
        "人大事务",
        "因公出国（境）费",
        "本单位2024年度无公务用车购置费支出。",
    ] {
        assert!(strings.contains(s), "{s} missing from shared strings");
    }
    // The narrative table has no number and is not written.
    assert!(!strings.contains("赤峰市司法局本级"));
    let styles = unzip(&book, "xl/styles.xml");
    let fonts = elements(&styles, "fonts", "font");
    assert!(
        fonts
            .iter()
            .all(|f| f.contains("<name val=\"宋体\"/>") && f.contains("<charset val=\"134\"/>")),
        "{fonts:?}"
    );
    // Font 0 is the workbook default, which Excel uses for every unformatted cell.
    assert!(fonts[0].contains("<sz val=\"11\"/>"), "{}", fonts[0]);
    assert!(fonts
        .iter()
        .any(|f| f.contains("<sz val=\"16\"/>") && f.contains("<b/>")));
}

#[test]
fn same_document_same_bytes() {
    let a = juesuan_xlsx::write_xlsx(&document()).unwrap();
    let b = juesuan_xlsx::write_xlsx(&document()).unwrap();
    assert!(a == b, "two builds of one document differ");
}

#[test]
fn no_numbered_table_is_an_error() {
    let mut doc = document();
    doc.blocks
        .retain(|b| !matches!(b, Block::Table(t) if !t.number.is_empty()));
    let err = juesuan_xlsx::write_xlsx(&doc).unwrap_err();
    assert!(err.contains("no numbered table"), "{err}");
}

#[test]
fn a_reader_sees_the_printed_figures() {
    let book = written("readback.xlsx");
    let doc = document();
    common::assert_reads_back(&book, juesuan_xlsx::standard_tables(&doc));
}
