//! The document of the bundled example, read back as a reader would: the numbers the text
//! quotes are recomputed from the quoted figures and compared.

use juesuan_model::{Disclosure, Money};
use juesuan_report::{build, Block, Cell, ChartKind, Document};
use std::path::PathBuf;

fn load() -> Disclosure {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/chifeng-sfj-2024");
    juesuan_load::load_dataset(&dir).expect("example loads")
}

fn paragraphs(doc: &Document) -> Vec<&str> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph { text } => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

fn wan(s: &str) -> Money {
    Money::parse_wan(s).unwrap()
}

/// Every "年初预算A万元，支出决算B万元[，完成年初预算的C%]" sentence: C = B/A rounded, "100%" only
/// when A = B, and no rate at all when A = 0.
#[test]
fn completion_rates_follow_the_quoted_figures() {
    let doc = build(&load()).unwrap();
    let mut seen = 0;
    for p in paragraphs(&doc) {
        let Some(i) = p.find("年初预算") else {
            continue;
        };
        let rest = &p[i + "年初预算".len()..];
        let Some((budget, rest)) = rest.split_once("万元，支出决算") else {
            continue;
        };
        let Some((actual, rest)) = rest.split_once("万元") else {
            continue;
        };
        let (b, a) = (wan(budget), wan(actual));
        seen += 1;
        match rest.strip_prefix("，完成年初预算的") {
            None => assert_eq!(b, Money::ZERO, "rate missing in {p}"),
            Some(r) => {
                let pct = r.split('%').next().unwrap();
                assert_ne!(b, Money::ZERO, "ratio with a zero base in {p}");
                if pct == "100" {
                    assert_eq!(a, b, "{p}");
                } else {
                    let expected = juesuan_derive::Percent::of(a, b).unwrap().display();
                    assert_eq!(format!("{pct}%"), expected, "{p}");
                }
            }
        }
    }
    assert!(seen >= 20, "only {seen} item sentences found");
}

#[test]
fn pies_add_up_to_100_and_match_the_text() {
    let doc = build(&load()).unwrap();
    let mut previous = "";
    let mut pies = 0;
    for b in &doc.blocks {
        match b {
            Block::Paragraph { text } => previous = text,
            Block::Chart(c) if c.kind == ChartKind::Pie => {
                pies += 1;
                let total: i64 = c.items.iter().map(|i| i.share.unwrap().0).sum();
                assert_eq!(total, 10_000, "{}", c.title);
                for i in &c.items {
                    let quoted = format!(
                        "{}{}万元，占{}",
                        i.label,
                        i.values[0].format_wan(),
                        i.share.unwrap().display()
                    );
                    assert!(previous.contains(&quoted), "{quoted} not in {previous}");
                }
            }
            _ => {}
        }
    }
    assert_eq!(pies, 2);
}

/// Headings count 一、二、三 … at each level without gaps, restarting under each parent.
#[test]
fn headings_are_numbered_without_gaps() {
    let doc = build(&load()).unwrap();
    let mut counters = [0usize; 5];
    for b in &doc.blocks {
        if let Block::Heading { level, number, .. } = b {
            let l = *level as usize;
            counters[l] += 1;
            for c in &mut counters[l + 1..] {
                *c = 0;
            }
            let n = juesuan_report::chinese_number(counters[l]);
            let expected = match l {
                1 => format!("第{n}部分"),
                2 => format!("{n}、"),
                3 => format!("（{n}）"),
                _ => format!("{}.", counters[l]),
            };
            assert_eq!(number, &expected);
        }
    }
    assert_eq!(counters[1], 5, "five parts");
}

/// The text quotes the printed tables: T1's totals and T5's 合计 appear verbatim.
#[test]
fn text_quotes_the_printed_tables() {
    let doc = build(&load()).unwrap();
    let text = doc.to_text();
    let tables: Vec<_> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) if !t.number.is_empty() => Some(t),
            _ => None,
        })
        .collect();
    assert_eq!(tables.len(), 9);
    let t1 = tables[0];
    let total_row = t1.rows.last().unwrap();
    let Cell::Money(total) = total_row.cells[1] else {
        panic!("T1 总计 is not money")
    };
    assert!(text.contains(&format!("收入、支出决算总计{}万元", total.format_wan())));
    let t5 = tables[4];
    let Cell::Money(t5_total) = t5.rows[0].cells[2] else {
        panic!("T5 合计")
    };
    assert!(text.contains(&format!(
        "一般公共预算财政拨款支出决算{}万元",
        t5_total.format_wan()
    )));
}

/// Changing the data changes the words: a budget met exactly reads "一致" and "100%"; a row
/// whose budget is zero gets no rate.
#[test]
fn phrasing_follows_the_data() {
    let mut d = load();
    let t5 = d.department.as_mut().unwrap().tables.get_mut("T5").unwrap();
    let actual = t5.get("2040601", "合计").unwrap();
    t5.set("2040601", "年初预算", Some(actual));
    let doc = build(&d).unwrap();
    let p = paragraphs(&doc)
        .into_iter()
        .find(|p| p.contains("司法（款）行政运行（项）"))
        .unwrap()
        .to_string();
    assert!(p.contains("完成年初预算的100%"), "{p}");
    assert!(p.contains("决算数与年初预算数一致"), "{p}");

    let t5 = d.department.as_mut().unwrap().tables.get_mut("T5").unwrap();
    t5.set("2040601", "年初预算", Some(0));
    let doc = build(&d).unwrap();
    let p = paragraphs(&doc)
        .into_iter()
        .find(|p| p.contains("司法（款）行政运行（项）"))
        .unwrap()
        .to_string();
    assert!(!p.contains('%') || !p.contains("完成"), "{p}");
    assert!(p.contains("年初预算0.00万元"), "{p}");
}

/// The paragraphs that differ between two documents of the same shape.
fn changed_paragraphs(before: &Document, after: &Document) -> Vec<String> {
    let (a, b) = (paragraphs(before), paragraphs(after));
    assert_eq!(a.len(), b.len(), "a figure changed the document's shape");
    a.iter()
        .zip(&b)
        .filter(|(x, y)| x != y)
        .map(|(_, y)| y.to_string())
        .collect()
}

/// One input figure changes exactly the sentences that quote it or a figure derived from it.
#[test]
fn one_figure_changes_exactly_the_sentences_that_depend_on_it() {
    let d = load();
    let base = build(&d).unwrap();

    // A fact: only the 机构运行经费 paragraph quotes the prior year's figure.
    let mut e = d.clone();
    e.facts
        .set("机构运行经费", "上年决算", Some(wan("300.00").fen()));
    let changed = changed_paragraphs(&base, &build(&e).unwrap());
    assert_eq!(changed.len(), 1, "{changed:#?}");
    assert!(changed[0].contains("机构运行经费"), "{changed:#?}");
    assert!(changed[0].contains("增加105.57万元"), "{changed:#?}");

    // A 项's 年初预算 (+2.00, with its 款, 类 and 合计 so the table still foots): the 项's
    // sentence, its 类's sentence and the total's 完成率, nothing else.
    let mut e = d.clone();
    let t5 = e.department.as_mut().unwrap().tables.get_mut("T5").unwrap();
    for row in ["2040604", "20406", "204", "合计"] {
        let v = t5.get(row, "年初预算").unwrap();
        t5.set(row, "年初预算", Some(v + wan("2.00").fen()));
    }
    let changed = changed_paragraphs(&base, &build(&e).unwrap());
    assert_eq!(changed.len(), 3, "{changed:#?}");
    assert!(changed
        .iter()
        .any(|p| p.contains("基层司法业务（项）") && p.contains("年初预算60.00万元")));
    assert!(changed
        .iter()
        .any(|p| p.contains("公共安全支出（类）决算数") && p.contains("年初预算为3330.17万元")));
    assert!(changed
        .iter()
        .any(|p| p.contains("一般公共预算财政拨款支出决算") && p.contains("4107.38")));
}

/// The whole generated text of the example against a golden file a person has read
/// (tests/golden/chifeng-sfj-2024.txt). After an intended change, regenerate it with
/// `JUESUAN_BLESS=1 cargo test -p juesuan-report --test example` and read the diff.
#[test]
fn golden_text() {
    let text = build(&load()).unwrap().to_text();
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/chifeng-sfj-2024.txt");
    if std::env::var_os("JUESUAN_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
    }
    let golden = std::fs::read_to_string(&path).expect("golden file (run with JUESUAN_BLESS=1)");
    if text != golden {
        let line = text
            .lines()
            .zip(golden.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(text.lines().count().min(golden.lines().count()));
        panic!(
            "generated text differs from the golden file at line {}:\n  now:    {:?}\n  golden: {:?}",
            line + 1,
            text.lines().nth(line),
            golden.lines().nth(line)
        );
    }
}
