//! The .docx as other tools see it: unpacked with the real `unzip`, every part parsed as XML,
//! and the WordprocessingML checked for what Word, WPS and LibreOffice rely on.

use juesuan_derive::Percent;
use juesuan_docx::write_docx;
use juesuan_model::Money;
use juesuan_report::{
    Block, Cell, Chart, ChartItem, ChartKind, DisplayRow, DisplayTable, Document, HeaderCell,
};
use std::path::{Path, PathBuf};
use std::process::Command;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const C: &str = "http://schemas.openxmlformats.org/drawingml/2006/chart";

fn wan(cents: i64) -> Money {
    Money::from_wan_cents(cents)
}

fn header(text: &str, row: usize, col: usize, rowspan: usize, colspan: usize) -> HeaderCell {
    HeaderCell {
        text: text.into(),
        row,
        col,
        rowspan,
        colspan,
    }
}

fn table() -> DisplayTable {
    DisplayTable {
        id: "T2".into(),
        number: "表1".into(),
        title: "收入支出决算总表".into(),
        entity: "赤峰市司法局".into(),
        unit_label: "单位：万元".into(),
        columns: 4,
        // 项目 spans two columns over 科目编码 / 科目名称; 合计 and 占比 span both rows.
        header: vec![
            header("项目", 0, 0, 1, 2),
            header("合计", 0, 2, 2, 1),
            header("占比", 0, 3, 2, 1),
            header("科目编码", 1, 0, 1, 1),
            header("科目名称", 1, 1, 1, 1),
        ],
        header_rows: 2,
        rows: vec![
            DisplayRow {
                cells: vec![
                    Cell::Empty,
                    Cell::text("合计"),
                    Cell::Money(wan(400_703)),
                    Cell::Percent(Percent(10_000)),
                ],
                total: true,
            },
            DisplayRow {
                cells: vec![
                    Cell::text("201"),
                    Cell::text("一般公共服务支出"),
                    Cell::Money(wan(344_103)),
                    Cell::Percent(Percent(8587)),
                ],
                total: false,
            },
            DisplayRow {
                cells: vec![
                    Cell::text("20136"),
                    Cell::Text {
                        text: "其他共产党事务支出".into(),
                        indent: 1,
                    },
                    Cell::Money(wan(56_600)),
                    Cell::Count(13),
                ],
                total: false,
            },
        ],
        note: Some("注：本表金额单位为万元。".into()),
    }
}

fn sample() -> Document {
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
            Block::Heading {
                level: 2,
                number: "一、".into(),
                text: "收入支出决算总体情况说明".into(),
            },
            Block::paragraph("收入&支出<决算>说明：本年收入合计4007.03万元。"),
            Block::Heading {
                level: 3,
                number: "（一）".into(),
                text: "一般公共服务支出（类）".into(),
            },
            Block::Heading {
                level: 4,
                number: "1.".into(),
                text: "基本支出".into(),
            },
            Block::Chart(Chart {
                id: "income".into(),
                kind: ChartKind::Pie,
                title: "图1 收入决算图".into(),
                series: vec!["决算数".into()],
                items: vec![
                    ChartItem {
                        label: "一般公共预算财政拨款收入".into(),
                        values: vec![wan(344_103)],
                        share: Some(Percent(8587)),
                    },
                    ChartItem {
                        label: "其他收入".into(),
                        values: vec![wan(56_600)],
                        share: Some(Percent(1413)),
                    },
                ],
            }),
            Block::Chart(Chart {
                id: "budget_vs_actual".into(),
                kind: ChartKind::Bar,
                title: "图2 年初预算与决算对比".into(),
                series: vec!["年初预算".into(), "决算数".into()],
                items: vec![
                    ChartItem {
                        label: "一般公共服务支出".into(),
                        values: vec![wan(5634), wan(5275)],
                        share: None,
                    },
                    ChartItem {
                        label: "公共安全支出".into(),
                        values: vec![wan(332_817), wan(263_187)],
                        share: None,
                    },
                ],
            }),
            Block::PageBreak,
            Block::Table(table()),
        ],
    }
}

/// A .docx written under the system temp dir, removed again when the test ends.
struct Written(PathBuf, #[allow(dead_code)] tempfile::TempDir);

impl std::ops::Deref for Written {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

fn write(doc: &Document, draft: bool, name: &str) -> Written {
    // one directory per file: tests run in parallel and must not share one
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, write_docx(doc, draft).unwrap()).unwrap();
    Written(path, dir)
}

fn unzip(args: &[&str], file: &Path) -> String {
    let out = Command::new("unzip")
        .args(args)
        .arg(file)
        .output()
        .expect("unzip is installed");
    assert!(out.status.success(), "unzip failed: {out:?}");
    String::from_utf8(out.stdout).expect("UTF-8 part")
}

fn entries(file: &Path) -> Vec<String> {
    unzip(&["-Z1"], file).lines().map(str::to_string).collect()
}

fn part(file: &Path, name: &str) -> String {
    // unzip reads the name as a wildcard pattern, where "[" opens a character class.
    let pattern = name.replace('[', "[[]");
    let out = Command::new("unzip")
        .arg("-p")
        .arg(file)
        .arg(&pattern)
        .output()
        .expect("unzip is installed");
    assert!(out.status.success(), "unzip -p {name} failed");
    String::from_utf8(out.stdout).expect("UTF-8 part")
}

/// Concatenated w:t text of an element.
fn text(n: roxmltree::Node) -> String {
    n.descendants()
        .filter(|d| d.has_tag_name((W, "t")))
        .filter_map(|d| d.text())
        .collect()
}

fn style_of(p: roxmltree::Node) -> Option<String> {
    p.children()
        .find(|c| c.has_tag_name((W, "pPr")))?
        .children()
        .find(|c| c.has_tag_name((W, "pStyle")))?
        .attribute((W, "val"))
        .map(str::to_string)
}

fn paragraphs_with_style(xml: &roxmltree::Document, style: &str) -> Vec<String> {
    xml.descendants()
        .filter(|n| n.has_tag_name((W, "p")) && style_of(*n).as_deref() == Some(style))
        .map(text)
        .collect()
}

#[test]
fn every_part_is_well_formed_xml() {
    for draft in [false, true] {
        let file = write(&sample(), draft, &format!("parts-{draft}.docx"));
        let names = entries(&file);
        for required in [
            "[Content_Types].xml",
            "_rels/.rels",
            "docProps/core.xml",
            "docProps/app.xml",
            "word/document.xml",
            "word/_rels/document.xml.rels",
            "word/styles.xml",
            "word/settings.xml",
            "word/header1.xml",
            "word/footer1.xml",
            "word/charts/chart1.xml",
            "word/charts/chart2.xml",
        ] {
            assert!(names.iter().any(|n| n == required), "missing {required}");
        }
        for name in &names {
            let xml = part(&file, name);
            if let Err(e) = roxmltree::Document::parse(&xml) {
                panic!("{name} is not well-formed: {e}");
            }
        }
        // unzip's own integrity test of every entry's CRC.
        assert!(unzip(&["-t"], &file).contains("No errors detected"));
    }
}

#[test]
fn headings_use_word_heading_styles() {
    let file = write(&sample(), false, "headings.docx");
    let xml = part(&file, "word/document.xml");
    let d = roxmltree::Document::parse(&xml).unwrap();
    assert_eq!(paragraphs_with_style(&d, "Heading1"), ["第一部分 部门概况"]);
    assert_eq!(
        paragraphs_with_style(&d, "Heading2"),
        ["一、收入支出决算总体情况说明"]
    );
    assert_eq!(
        paragraphs_with_style(&d, "Heading3"),
        ["（一）一般公共服务支出（类）"]
    );
    assert_eq!(paragraphs_with_style(&d, "Heading4"), ["1.基本支出"]);
    assert_eq!(
        paragraphs_with_style(&d, "Title"),
        ["赤峰市司法局2024年度部门决算"]
    );

    // The styles behind them carry Word's names and outline levels.
    let styles = part(&file, "word/styles.xml");
    let s = roxmltree::Document::parse(&styles).unwrap();
    for (id, name, lvl) in [
        ("Heading1", "heading 1", "0"),
        ("Heading2", "heading 2", "1"),
        ("Heading3", "heading 3", "2"),
        ("Heading4", "heading 4", "3"),
    ] {
        let style = s
            .descendants()
            .find(|n| n.has_tag_name((W, "style")) && n.attribute((W, "styleId")) == Some(id))
            .unwrap_or_else(|| panic!("no style {id}"));
        let name_el = style
            .children()
            .find(|n| n.has_tag_name((W, "name")))
            .unwrap();
        assert_eq!(name_el.attribute((W, "val")), Some(name));
        let outline = style
            .descendants()
            .find(|n| n.has_tag_name((W, "outlineLvl")))
            .unwrap();
        assert_eq!(outline.attribute((W, "val")), Some(lvl));
    }
    assert!(styles.contains("w:eastAsia=\"宋体\""));
    assert!(styles.contains("w:firstLineChars=\"200\""));
    assert!(styles.contains("w:styleId=\"Title\""));
    assert!(styles.contains("w:styleId=\"TableGrid\""));
}

#[test]
fn cover_has_a_toc_field_and_the_page_is_a4_with_page_numbers() {
    let file = write(&sample(), false, "toc.docx");
    let xml = part(&file, "word/document.xml");
    assert!(xml.contains("TOC \\o &quot;1-3&quot; \\h \\z \\u"));
    let d = roxmltree::Document::parse(&xml).unwrap();
    // Levels 1-3 are pre-listed, each linked to its heading's bookmark.
    assert_eq!(paragraphs_with_style(&d, "TOC1"), ["第一部分 部门概况"]);
    assert_eq!(paragraphs_with_style(&d, "TOC3").len(), 1);
    let anchors: Vec<&str> = d
        .descendants()
        .filter(|n| n.has_tag_name((W, "hyperlink")))
        .filter_map(|n| n.attribute((W, "anchor")))
        .collect();
    assert_eq!(anchors.len(), 3);
    for a in anchors {
        assert!(d
            .descendants()
            .any(|n| n.has_tag_name((W, "bookmarkStart")) && n.attribute((W, "name")) == Some(a)));
    }
    // The first heading starts a new page after the cover.
    let h1 = d
        .descendants()
        .find(|n| n.has_tag_name((W, "p")) && style_of(*n).as_deref() == Some("Heading1"))
        .unwrap();
    assert!(h1
        .descendants()
        .any(|n| n.has_tag_name((W, "pageBreakBefore"))));

    assert!(part(&file, "word/settings.xml").contains("<w:updateFields w:val=\"true\"/>"));
    assert!(xml.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
    let footer = part(&file, "word/footer1.xml");
    assert!(footer.contains(" PAGE "));
    assert!(footer.contains("w:fldCharType=\"begin\""));
    assert!(xml.contains("w:footerReference w:type=\"default\""));
}

#[test]
fn table_has_merged_repeated_header_and_aligned_figures() {
    let file = write(&sample(), false, "table.docx");
    let xml = part(&file, "word/document.xml");
    let d = roxmltree::Document::parse(&xml).unwrap();
    let tables: Vec<_> = d
        .descendants()
        .filter(|n| n.has_tag_name((W, "tbl")))
        .collect();
    assert_eq!(tables.len(), 1);
    let tbl = tables[0];

    assert_eq!(
        paragraphs_with_style(&d, "TableTitle"),
        ["表1 收入支出决算总表"]
    );
    assert_eq!(
        paragraphs_with_style(&d, "TableMeta"),
        ["编制单位：赤峰市司法局单位：万元"]
    );
    assert!(
        xml.contains("编制单位：赤峰市司法局</w:t><w:tab/><w:t xml:space=\"preserve\">单位：万元")
    );
    assert_eq!(
        paragraphs_with_style(&d, "TableNote"),
        ["注：本表金额单位为万元。"]
    );

    let rows: Vec<_> = tbl
        .children()
        .filter(|n| n.has_tag_name((W, "tr")))
        .collect();
    assert_eq!(rows.len(), 5);
    let repeated = |r: &roxmltree::Node| r.descendants().any(|n| n.has_tag_name((W, "tblHeader")));
    assert!(repeated(&rows[0]) && repeated(&rows[1]));
    assert!(!repeated(&rows[2]));

    // Row 0: 项目 spans two grid columns, 合计 and 占比 start vertical merges.
    let cells = |r: &roxmltree::Node| -> Vec<(String, Option<String>, Option<String>)> {
        r.children()
            .filter(|n| n.has_tag_name((W, "tc")))
            .map(|tc| {
                let span = tc
                    .descendants()
                    .find(|n| n.has_tag_name((W, "gridSpan")))
                    .and_then(|n| n.attribute((W, "val")))
                    .map(str::to_string);
                let merge = tc
                    .descendants()
                    .find(|n| n.has_tag_name((W, "vMerge")))
                    .map(|n| n.attribute((W, "val")).unwrap_or("continue").to_string());
                (text(tc), span, merge)
            })
            .collect()
    };
    assert_eq!(
        cells(&rows[0]),
        [
            ("项目".into(), Some("2".into()), None),
            ("合计".into(), None, Some("restart".into())),
            ("占比".into(), None, Some("restart".into())),
        ]
    );
    assert_eq!(
        cells(&rows[1]),
        [
            ("科目编码".into(), None, None),
            ("科目名称".into(), None, None),
            (String::new(), None, Some("continue".into())),
            (String::new(), None, Some("continue".into())),
        ]
    );
    // Every row covers the four grid columns.
    let grid_cols = tbl
        .descendants()
        .filter(|n| n.has_tag_name((W, "gridCol")))
        .count();
    assert_eq!(grid_cols, 4);

    // Figures as displayed, right-aligned; the total row bold; indent as characters.
    let total = cells(&rows[2]);
    assert_eq!(total[2].0, "4007.03");
    assert_eq!(total[3].0, "100.00%");
    assert!(rows[2].descendants().any(|n| n.has_tag_name((W, "b"))));
    assert!(!rows[3].descendants().any(|n| n.has_tag_name((W, "b"))));
    let money_cell = rows[3]
        .children()
        .filter(|n| n.has_tag_name((W, "tc")))
        .nth(2)
        .unwrap();
    assert_eq!(text(money_cell), "3441.03");
    assert!(money_cell
        .descendants()
        .any(|n| n.has_tag_name((W, "jc")) && n.attribute((W, "val")) == Some("right")));
    assert_eq!(text(rows[3]), "201一般公共服务支出3441.0385.87%");
    assert!(xml.contains("w:leftChars=\"100\""));
    assert_eq!(text(rows[4]), "20136其他共产党事务支出566.0013");
    assert!(part(&file, "word/styles.xml").contains("<w:insideV w:val=\"single\""));
}

#[test]
fn text_is_escaped() {
    let file = write(&sample(), false, "escape.docx");
    let xml = part(&file, "word/document.xml");
    assert!(xml.contains("收入&amp;支出&lt;决算&gt;说明"));
    assert!(!xml.contains("收入&支出"));
    let d = roxmltree::Document::parse(&xml).unwrap();
    assert!(d
        .descendants()
        .filter(|n| n.has_tag_name((W, "p")))
        .any(|p| text(p) == "收入&支出<决算>说明：本年收入合计4007.03万元。"));
    let core = part(&file, "docProps/core.xml");
    assert!(core.contains("<dc:title>赤峰市司法局2024年度部门决算</dc:title>"));
}

#[test]
fn charts_are_native_word_charts() {
    let file = write(&sample(), false, "charts.docx");
    let rels = part(&file, "word/_rels/document.xml.rels");
    let r = roxmltree::Document::parse(&rels).unwrap();
    let chart_rels: Vec<(String, String)> = r
        .descendants()
        .filter(|n| {
            n.attribute("Type")
                == Some("http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart")
        })
        .map(|n| {
            (
                n.attribute("Id").unwrap().to_string(),
                n.attribute("Target").unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(chart_rels.len(), 2);
    assert_eq!(chart_rels[0].1, "charts/chart1.xml");

    let types = part(&file, "[Content_Types].xml");
    assert!(types.contains(
        "PartName=\"/word/charts/chart2.xml\" \
         ContentType=\"application/vnd.openxmlformats-officedocument.drawingml.chart+xml\""
    ));

    // The body places each chart inline through its relationship, captioned below.
    let xml = part(&file, "word/document.xml");
    let d = roxmltree::Document::parse(&xml).unwrap();
    let placed: Vec<&str> = d
        .descendants()
        .filter(|n| n.has_tag_name((C, "chart")))
        .filter_map(|n| n.attribute((R, "id")))
        .collect();
    assert_eq!(placed, [chart_rels[0].0.as_str(), chart_rels[1].0.as_str()]);
    assert!(xml
        .contains("a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/chart\""));
    assert!(d.descendants().any(|n| n.has_tag_name((
        "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
        "inline"
    ))));
    assert_eq!(
        paragraphs_with_style(&d, "Caption"),
        ["图1 收入决算图", "图2 年初预算与决算对比"]
    );

    let pie = part(&file, "word/charts/chart1.xml");
    let p = roxmltree::Document::parse(&pie).unwrap();
    assert!(p.descendants().any(|n| n.has_tag_name((C, "pieChart"))));
    let values: Vec<&str> = p
        .descendants()
        .filter(|n| n.has_tag_name((C, "numCache")))
        .flat_map(|n| n.descendants().filter(|v| v.has_tag_name((C, "v"))))
        .filter_map(|v| v.text())
        .collect();
    assert_eq!(values, ["3441.03", "566.00"]);
    assert!(pie.contains("<c:v>一般公共预算财政拨款收入</c:v>"));
    assert!(pie.contains("<c:showPercent val=\"1\"/>"));
    assert!(pie.contains("<a:t>85.87%</a:t>") && pie.contains("<a:t>14.13%</a:t>"));

    let bar = part(&file, "word/charts/chart2.xml");
    let b = roxmltree::Document::parse(&bar).unwrap();
    assert!(bar.contains("<c:barDir val=\"bar\"/><c:grouping val=\"clustered\"/>"));
    let series: Vec<_> = b
        .descendants()
        .filter(|n| n.has_tag_name((C, "ser")))
        .collect();
    assert_eq!(series.len(), 2);
    let names: Vec<String> = series
        .iter()
        .map(|s| {
            s.children()
                .find(|c| c.has_tag_name((C, "tx")))
                .and_then(|t| t.descendants().find(|v| v.has_tag_name((C, "v"))))
                .and_then(|v| v.text())
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(names, ["年初预算", "决算数"]);
    assert!(bar.contains("<c:v>3328.17</c:v>") && bar.contains("<c:v>2631.87</c:v>"));
}

#[test]
fn draft_watermark_only_in_the_header_of_a_draft() {
    let final_file = write(&sample(), false, "final.docx");
    let draft_file = write(&sample(), true, "draft.docx");
    let header = part(&draft_file, "word/header1.xml");
    assert!(header.contains("string=\"草稿\""));
    assert!(header.contains("<v:textpath"));
    assert!(header.contains("rotation:315"));
    assert!(!part(&final_file, "word/header1.xml").contains("草稿"));
    for f in [&final_file, &draft_file] {
        let xml = part(f, "word/document.xml");
        assert!(!xml.contains("草稿"));
        // Every section points at the header.
        let d = roxmltree::Document::parse(&xml).unwrap();
        let sections: Vec<_> = d
            .descendants()
            .filter(|n| n.has_tag_name((W, "sectPr")))
            .collect();
        assert!(!sections.is_empty());
        for s in sections {
            assert!(s.children().any(|c| c.has_tag_name((W, "headerReference"))));
        }
    }
    // Only the header part carries the mark.
    for name in entries(&draft_file) {
        if name != "word/header1.xml" {
            assert!(!part(&draft_file, &name).contains("草稿"), "{name}");
        }
    }
}

#[test]
fn output_is_deterministic() {
    let a = write_docx(&sample(), true).unwrap();
    let b = write_docx(&sample(), true).unwrap();
    assert_eq!(a, b);
    assert_ne!(a, write_docx(&sample(), false).unwrap());
}

#[test]
fn an_empty_document_is_still_a_valid_package() {
    let doc = Document {
        title: String::new(),
        entity: String::new(),
        year: 2024,
        kind: "单位".into(),
        document: "决算".into(),
        blocks: vec![
            Block::PageBreak,
            Block::Table(table()),
            Block::Table(table()),
        ],
    };
    let file = write(&doc, false, "empty.docx");
    let xml = part(&file, "word/document.xml");
    let d = roxmltree::Document::parse(&xml).unwrap();
    // Two tables in a row stay two tables, and the body ends with a paragraph.
    let body = d
        .descendants()
        .find(|n| n.has_tag_name((W, "body")))
        .unwrap();
    let kinds: Vec<&str> = body
        .children()
        .filter(|n| n.is_element())
        .map(|n| n.tag_name().name())
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "tbl").count(), 2);
    assert!(kinds.windows(2).all(|w| w != ["tbl", "tbl"]));
    assert_eq!(kinds[kinds.len() - 2..], ["p", "sectPr"]);
}

/// The bundled example, end to end: every part parses and the nine tables are there. With
/// JUESUAN_DOCX_OUT set, the file is also copied there for a look in Word or LibreOffice.
#[test]
fn bundled_example_renders() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/chifeng-sfj-2024");
    let data = juesuan_load::load_dataset(&dir).expect("example loads");
    let doc = juesuan_report::build(&data).expect("example builds");
    let file = write(&doc, true, "example.docx");
    if let Some(out) = std::env::var_os("JUESUAN_DOCX_OUT") {
        std::fs::copy(&*file, out).unwrap();
    }
    for name in entries(&file) {
        let xml = part(&file, &name);
        roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let xml = part(&file, "word/document.xml");
    let d = roxmltree::Document::parse(&xml).unwrap();
    let titles = paragraphs_with_style(&d, "TableTitle");
    for n in 1..=9 {
        assert!(
            titles.iter().any(|t| t.starts_with(&format!("表{n} "))),
            "表{n} missing from {titles:?}"
        );
    }
    let tables = d
        .descendants()
        .filter(|n| n.has_tag_name((W, "tbl")))
        .count();
    assert_eq!(
        tables,
        doc.blocks
            .iter()
            .filter(|b| matches!(b, Block::Table(_)))
            .count()
    );
    let charts = doc
        .blocks
        .iter()
        .filter(|b| matches!(b, Block::Chart(_)))
        .count();
    assert!(charts > 0);
    assert!(entries(&file).contains(&format!("word/charts/chart{charts}.xml")));
}

/// LibreOffice opens the example's DOCX and converts it to PDF; the text it lays out holds
/// every paragraph of the document, so the file is readable by a real word processor, not
/// only by our XML parser.
#[test]
fn libreoffice_opens_the_example_and_lays_out_every_paragraph() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/chifeng-sfj-2024");
    let data = juesuan_load::load_dataset(&dir).expect("example loads");
    let doc = juesuan_report::build(&data).expect("example builds");
    let file = write(&doc, false, "lo.docx");
    let out = tempfile::tempdir().unwrap();
    // A private profile: parallel soffice runs on one profile block each other.
    let profile = format!(
        "-env:UserInstallation=file://{}/profile",
        out.path().display()
    );
    let status = Command::new("soffice")
        .args([&profile, "--headless", "--convert-to", "pdf", "--outdir"])
        .arg(out.path())
        .arg(&*file)
        .output()
        .expect("soffice runs (scripts/setup installs libreoffice-writer-nogui)");
    assert!(status.status.success(), "{status:?}");
    let pdf = out.path().join("lo.pdf");
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    // LibreOffice's PDF of "0476-5680089" has no text for the hyphen, so hyphens are
    // compared away along with whitespace.
    let squeeze = |s: &str| {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect::<String>()
    };
    // Page footers (“— 7 —”) interrupt paragraphs that cross a page break.
    let body: String = String::from_utf8(text.stdout)
        .unwrap()
        .lines()
        .filter(|l| {
            !l.chars()
                .all(|c| c.is_ascii_digit() || c.is_whitespace() || c == '—' || c == '\u{c}')
        })
        .collect();
    let laid_out = squeeze(&body);
    let mut missing = Vec::new();
    let mut paragraphs = 0;
    for b in &doc.blocks {
        if let Block::Paragraph { text } = b {
            paragraphs += 1;
            if !laid_out.contains(&squeeze(text)) {
                missing.push(text.clone());
            }
        }
    }
    assert!(paragraphs > 50);
    assert!(
        missing.is_empty(),
        "{} of {paragraphs} paragraphs missing: {missing:#?}",
        missing.len()
    );
    assert!(laid_out.contains("本年收入决算合计4007.03万元"));
}
