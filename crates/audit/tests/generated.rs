//! Documents juesuan generates audit clean in every format, and an error injected into one
//! is found at the place it was injected.

use juesuan_audit::{audit_file, audit_source, read, Report, Severity};
use juesuan_report::{Block, Cell, Document};
use std::path::PathBuf;

fn example() -> Document {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/chifeng-sfj-2024");
    let data = juesuan_load::load_dataset(&dir).expect("example loads");
    juesuan_report::build(&data).expect("example builds")
}

fn audit_text(text: &str) -> Report {
    let src = read::Source::from_text("generated.txt", text);
    audit_source(&src, 2024).unwrap()
}

fn problems(r: &Report) -> Vec<String> {
    r.findings
        .iter()
        .filter(|f| f.severity != Severity::Style)
        .map(|f| {
            format!(
                "{} {:?}/{:?} {}",
                f.rule, f.location.page, f.location.line, f.message
            )
        })
        .collect()
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn generated_txt_docx_and_pdf_audit_clean() {
    let doc = example();
    let r = audit_text(&doc.to_text());
    assert!(problems(&r).is_empty(), "{:#?}", problems(&r));
    // tables and chart data were read, not skipped
    assert!(r.summary.evaluated > 500, "{:?}", r.summary);

    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join("example.docx");
    std::fs::write(&docx, juesuan_docx::write_docx(&doc, false).unwrap()).unwrap();
    let r = audit_file(&docx, 2024).unwrap();
    assert!(problems(&r).is_empty(), "{:#?}", problems(&r));
    assert!(r.summary.evaluated > 500, "{:?}", r.summary);
    assert_all_identities_hold(&r);

    let fonts = juesuan_pdf::Fonts::discover().expect("fonts (scripts/setup)");
    let pdf = dir.path().join("example.pdf");
    std::fs::write(&pdf, juesuan_pdf::render(&doc, false, &fonts).unwrap()).unwrap();
    let r = audit_file(&pdf, 2024).unwrap();
    assert!(problems(&r).is_empty(), "{:#?}", problems(&r));
    assert!(r.summary.evaluated > 200, "{:?}", r.summary);
    // the nine tables are read from the PDF's layout, the two 空表 among them
    let titles: Vec<&str> = r.tables.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(titles.len(), 9, "{titles:?}");
    assert_eq!(titles[0], "收入支出决算总表");
    assert!(r.tables.iter().all(|t| t.unit == "万元"), "{:?}", r.tables);
    assert_eq!(
        r.tables.iter().filter(|t| t.empty).count(),
        2,
        "{:?}",
        r.tables
    );
    assert!(r.tables[4].rows >= 10, "{:?}", r.tables[4]);
    assert_all_identities_hold(&r);
}

/// Every table read satisfies its own identities (合计 = Σ, 类 = Σ款 = Σ项, 收入总计 = 支出总计):
/// the reader placed every cell, and there are many (the 三公 table's four among them).
fn assert_all_identities_hold(r: &Report) {
    let id: Vec<(&str, usize, usize)> = r
        .tables
        .iter()
        .map(|t| (t.title.as_str(), t.identities_held, t.identities))
        .collect();
    assert!(id.iter().all(|t| t.1 == t.2), "{id:?}");
    assert!(id.iter().map(|t| t.2).sum::<usize>() > 250, "{id:?}");
    assert!(
        id.iter().any(|t| t.0.contains("三公") && t.2 >= 4),
        "{id:?}"
    );
}

/// A paragraph's figure changed: the finding is on that line.
#[test]
fn a_changed_figure_in_the_text_is_found_on_its_line() {
    let mut doc = example();
    for b in &mut doc.blocks {
        if let Block::Paragraph { text } = b {
            if text.contains("基层司法业务（项）") && text.starts_with("3.") {
                *text = text.replace("支出决算37.41万元", "支出决算39.41万元");
            }
        }
    }
    let text = doc.to_text();
    let line = line_of(&text, "支出决算39.41万元");
    let r = audit_text(&text);
    assert!(
        r.findings
            .iter()
            .any(|f| f.severity == Severity::Error && f.location.line == Some(line)),
        "{:#?}",
        problems(&r)
    );
}

/// A table cell changed: the row that no longer foots is the finding, and the column that no
/// longer adds up is not reported again.
#[test]
fn a_changed_table_cell_is_found_on_its_row() {
    let mut doc = example();
    for b in &mut doc.blocks {
        if let Block::Table(t) = b {
            if t.title == "支出决算表" {
                let row = t
                    .rows
                    .iter_mut()
                    .find(|r| r.cells[0] == Cell::text("2040604"))
                    .unwrap();
                // 上缴上级支出 0.00 → 1.00
                row.cells[5] = Cell::Money(juesuan_model::Money::parse_wan("1.00").unwrap());
            }
        }
    }
    let text = doc.to_text();
    let line = text
        .lines()
        .position(|l| l.starts_with("2040604") && l.contains("\t1.00"))
        .unwrap()
        + 1;
    let r = audit_text(&text);
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "audit.table_sum")
        .unwrap_or_else(|| panic!("{:#?}", problems(&r)));
    assert_eq!(f.location.line, Some(line), "{:#?}", problems(&r));
    assert_eq!(f.expected.as_deref(), Some("38.41万元"));
    assert_eq!(
        r.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count(),
        1,
        "{:#?}",
        problems(&r)
    );
}

/// A chart's value changed: its share no longer matches.
#[test]
fn a_changed_chart_value_is_found() {
    let mut doc = example();
    for b in &mut doc.blocks {
        if let Block::Chart(c) = b {
            if c.title.contains("收入决算图") {
                c.items[1].values[0] = juesuan_model::Money::parse_wan("466.00").unwrap();
            }
        }
    }
    let r = audit_text(&doc.to_text());
    assert!(
        r.findings.iter().any(|f| f.rule == "audit.chart"),
        "{:#?}",
        problems(&r)
    );
}

/// A figure changed in the PDF's wide one-row 三公 table no longer adds up under its 合计: the
/// table as read says so, at the table.
#[test]
fn a_changed_cell_of_the_three_public_table_in_a_pdf_is_found() {
    let mut doc = example();
    let mut changed = false;
    for b in &mut doc.blocks {
        if let Block::Table(t) = b {
            if t.title.contains("三公") {
                let row = t.rows.last_mut().unwrap();
                // the last cell: 公务接待费 决算数 1.23 → 2.23
                let last = row.cells.last_mut().unwrap();
                assert_eq!(last.display(), "1.23");
                *last = Cell::Money(juesuan_model::Money::parse_wan("2.23").unwrap());
                changed = true;
            }
        }
    }
    assert!(changed);
    let fonts = juesuan_pdf::Fonts::discover().expect("fonts (scripts/setup)");
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("example.pdf");
    std::fs::write(&pdf, juesuan_pdf::render(&doc, false, &fonts).unwrap()).unwrap();
    let r = audit_file(&pdf, 2024).unwrap();
    let t = r.tables.iter().find(|t| t.title.contains("三公")).unwrap();
    assert_eq!((t.identities_held, t.identities), (3, 4), "{t:?}");
    assert!(
        r.findings.iter().any(|f| f.rule == "audit.table_sum"
            && f.message.contains("三公")
            && f.location.page == t.pages.first().copied()),
        "{:#?}",
        problems(&r)
    );
}

/// The example with its tables numbered the way many regions print them ("公开01表") and an
/// entity and year before each name: the template checks still run on the tables read from
/// the PDF's layout, clean as generated, and a 三公 figure the table states differently from
/// the text is found.
#[test]
fn tables_numbered_as_other_regions_do_are_checked_by_the_template() {
    let renumber = |doc: &mut Document| {
        for b in &mut doc.blocks {
            if let Block::Table(t) = b {
                if let Some(n) = t.number.strip_prefix('表') {
                    t.number = format!("公开0{n}表");
                    t.title = format!("赤峰市司法局2024年度{}", t.title);
                }
            }
        }
    };
    let fonts = juesuan_pdf::Fonts::discover().expect("fonts (scripts/setup)");
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("example.pdf");
    let mut doc = example();
    renumber(&mut doc);
    std::fs::write(&pdf, juesuan_pdf::render(&doc, false, &fonts).unwrap()).unwrap();
    let r = audit_file(&pdf, 2024).unwrap();
    assert!(problems(&r).is_empty(), "{:#?}", problems(&r));
    assert_eq!(r.tables.len(), 9, "{:?}", r.tables);
    let clean = r.summary.evaluated;

    for b in &mut doc.blocks {
        if let Block::Table(t) = b {
            if t.title.contains("三公") {
                let last = t.rows.last_mut().unwrap().cells.last_mut().unwrap();
                *last = Cell::Money(juesuan_model::Money::parse_wan("2.23").unwrap());
            }
        }
    }
    std::fs::write(&pdf, juesuan_pdf::render(&doc, false, &fonts).unwrap()).unwrap();
    let r = audit_file(&pdf, 2024).unwrap();
    let page = r
        .tables
        .iter()
        .find(|t| t.title.contains("三公"))
        .unwrap()
        .pages[0];
    assert!(
        r.findings.iter().any(|f| f.rule != "audit.table_sum"
            && f.severity == Severity::Error
            && f.location.page == Some(page)),
        "{clean} {:#?}",
        problems(&r)
    );
}

/// The 三公 table's 预算数 columns left blank while the text gives the budget (a column left
/// empty in a real 决算): the blank cells beside figures state 0, which the text contradicts.
#[test]
fn a_budget_column_left_blank_while_the_text_gives_it_is_found() {
    let mut doc = example();
    for b in &mut doc.blocks {
        if let Block::Table(t) = b {
            if t.title.contains("三公") {
                let row = t.rows.last_mut().unwrap();
                // 预算数 | 决算数 pairs: every other cell
                for cell in row.cells.iter_mut().step_by(2) {
                    *cell = Cell::Empty;
                }
            }
        }
    }
    let fonts = juesuan_pdf::Fonts::discover().expect("fonts (scripts/setup)");
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("example.pdf");
    std::fs::write(&pdf, juesuan_pdf::render(&doc, false, &fonts).unwrap()).unwrap();
    let r = audit_file(&pdf, 2024).unwrap();
    let page = r
        .tables
        .iter()
        .find(|t| t.title.contains("三公"))
        .unwrap()
        .pages[0];
    assert!(
        r.findings.iter().any(|f| f.severity == Severity::Error
            && (f.location.page == Some(page) || f.related.iter().any(|l| l.page == Some(page)))
            && f.message.contains("预算")),
        "{:#?}",
        problems(&r)
    );
}
