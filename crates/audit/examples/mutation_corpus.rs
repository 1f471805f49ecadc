//! The labelled corpus behind `bench/audit-corpus`: documents generated from the example with
//! `juesuan build`'s document model, re-phrased the way other provinces write, with one known
//! error injected (a figure, a percentage, a total, a count, a chart value or a table cell),
//! its tables laid out the way other regions print them (see `Layout`), rendered as txt, DOCX
//! or PDF and audited. Prints recall per kind of error and per layout, and the false alarms on
//! the same documents without the error.
//!
//! Usage: mutation_corpus [--docs N] [--seed S] [--formats txt,docx,pdf] [--verbose]
//!        [--dump DIR]   (writes each document whose error was missed to DIR)

use juesuan_audit::{audit_source, read, Report, Severity};
use juesuan_report::{Block, Cell, Document};
use regex::Regex;
use std::collections::BTreeMap;
use std::path::Path;

/// splitmix64: deterministic for a seed, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Ways other provinces and years write the same sentences. Each is applied to the whole
/// document; none changes a number's meaning, so an unmutated re-phrased document must audit
/// clean.
const PHRASINGS: &[(&str, &str, &str)] = &[
    ("与上年决算相比，", "较上年决算", "comparison"),
    ("下降", "降低", "decrease word"),
    ("，年初预算为", "，全年预算数为", "budget word"),
    ("支出决算", "决算数", "actual word"),
    ("万元", " 万元", "space before unit"),
    ("，占", "，占比", "share word"),
    ("完成年初预算的", "为年初预算的", "completion word"),
    ("。其中：", "，其中：", "clause join"),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Amount,
    Total,
    Percent,
    Count,
    Chart,
    TableCell,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Amount => "金额（正文）",
            Kind::Total => "合计/总计（正文）",
            Kind::Percent => "百分比",
            Kind::Count => "个数",
            Kind::Chart => "图表数据",
            Kind::TableCell => "表格数字",
        }
    }
}

/// A place a number can be changed.
enum Site {
    Paragraph {
        block: usize,
        start: usize,
        end: usize,
        kind: Kind,
    },
    Cell {
        block: usize,
        row: usize,
        col: usize,
    },
    Chart {
        block: usize,
        item: usize,
    },
}

impl Site {
    fn kind(&self) -> Kind {
        match self {
            Site::Paragraph { kind, .. } => *kind,
            Site::Cell { .. } => Kind::TableCell,
            Site::Chart { .. } => Kind::Chart,
        }
    }
}

fn sites(doc: &Document) -> Vec<Site> {
    let number = Regex::new(r"(\d+(?:\.\d+)?)(万元|%|个)").unwrap();
    let mut out = Vec::new();
    for (b, block) in doc.blocks.iter().enumerate() {
        match block {
            Block::Paragraph { text } => {
                for m in number.captures_iter(text) {
                    let n = m.get(1).unwrap();
                    let unit = &m[2];
                    let before = &text[..n.start()];
                    let kind = match unit {
                        "%" => Kind::Percent,
                        // only counts that a total or a list can contradict
                        "个" if before.ends_with("共") || before.ends_with("等") => Kind::Count,
                        "个" => continue,
                        _ if before.ends_with("合计") || before.ends_with("总计") => {
                            Kind::Total
                        }
                        _ => Kind::Amount,
                    };
                    out.push(Site::Paragraph {
                        block: b,
                        start: n.start(),
                        end: n.end(),
                        kind,
                    });
                }
            }
            Block::Table(t) => {
                for (r, row) in t.rows.iter().enumerate() {
                    for (c, cell) in row.cells.iter().enumerate() {
                        if matches!(cell, Cell::Money(_)) {
                            out.push(Site::Cell {
                                block: b,
                                row: r,
                                col: c,
                            });
                        }
                    }
                }
            }
            Block::Chart(ch) => {
                for i in 0..ch.items.len() {
                    out.push(Site::Chart { block: b, item: i });
                }
            }
            _ => {}
        }
    }
    out
}

/// A different value for a printed number that rounding cannot explain.
fn mutate_number(text: &str, kind: Kind, rng: &mut Rng) -> String {
    let decimals = text.split('.').nth(1).map_or(0, str::len);
    let scale = 10i64.pow(decimals as u32);
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let v: i64 = digits.parse().unwrap_or(0);
    let delta = match kind {
        Kind::Count => 1 + rng.below(3) as i64,
        Kind::Percent => scale * (1 + rng.below(20) as i64) / 2 + 1,
        // A table cell is summed with up to ~100 other printed figures, each ±0.005 万元 —
        // rounding alone can move such a sum by 0.5 万元 — so its error is at least that; a
        // figure of the text at least 0.05 万元. Up to about half the value above that.
        Kind::TableCell => {
            let max = (v / 2).max(scale / 2 + 1);
            scale / 2 + rng.below(max as usize) as i64
        }
        _ => {
            let max = (v / 2).max(5 * scale / 100 + 1);
            (5 * scale / 100).max(1) + rng.below(max as usize) as i64
        }
    };
    let new = if v - delta >= 0 && rng.chance(50) {
        v - delta
    } else {
        v + delta
    };
    if decimals == 0 {
        new.to_string()
    } else {
        format!("{}.{:0width$}", new / scale, new % scale, width = decimals)
    }
}

struct Mutation {
    kind: Kind,
    /// The text of the line that now holds the wrong number (for the located check of .txt).
    line_text: String,
    description: String,
}

fn inject(doc: &mut Document, site: &Site, rng: &mut Rng) -> Mutation {
    match *site {
        Site::Paragraph {
            block,
            start,
            end,
            kind,
        } => {
            let Block::Paragraph { text } = &mut doc.blocks[block] else {
                unreachable!()
            };
            let old = text[start..end].to_string();
            let new = mutate_number(&old, kind, rng);
            text.replace_range(start..end, &new);
            Mutation {
                kind,
                line_text: text.clone(),
                description: format!("{old} → {new}"),
            }
        }
        Site::Cell { block, row, col } => {
            let Block::Table(t) = &mut doc.blocks[block] else {
                unreachable!()
            };
            let cell = &mut t.rows[row].cells[col];
            let old = cell.display();
            let new = mutate_number(&old, Kind::TableCell, rng);
            *cell = Cell::Money(juesuan_model::Money::parse_wan(&new).unwrap());
            let line = t.rows[row]
                .cells
                .iter()
                .map(Cell::display)
                .collect::<Vec<_>>()
                .join("\t");
            Mutation {
                kind: Kind::TableCell,
                line_text: line,
                description: format!("{} {old} → {new}", t.number),
            }
        }
        Site::Chart { block, item } => {
            let Block::Chart(c) = &mut doc.blocks[block] else {
                unreachable!()
            };
            let it = &mut c.items[item];
            let old = it.values[0].format_wan();
            let new = mutate_number(&old, Kind::Chart, rng);
            it.values[0] = juesuan_model::Money::parse_wan(&new).unwrap();
            Mutation {
                kind: Kind::Chart,
                line_text: String::new(),
                description: format!("{} {} {old} → {new}", c.title, it.label),
            }
        }
    }
}

/// How the nine tables are printed: as juesuan prints them, or as other regions do.
#[derive(Clone, Copy, Debug)]
enum Layout {
    /// "表1 收入支出决算总表"
    Standard,
    /// "公开01表 赤峰市司法局2024年度收入支出决算总表"
    PublicNumbers,
    /// "一、收入支出决算总表", no table number
    Enumerated,
    /// zeros printed as "-"
    ZeroDash,
    /// zeros left blank
    ZeroBlank,
}

const LAYOUTS: [Layout; 5] = [
    Layout::Standard,
    Layout::PublicNumbers,
    Layout::Enumerated,
    Layout::ZeroDash,
    Layout::ZeroBlank,
];

impl Layout {
    fn name(self) -> &'static str {
        match self {
            Layout::Standard => "表1 标题",
            Layout::PublicNumbers => "公开01表 单位年度标题",
            Layout::Enumerated => "一、标题",
            Layout::ZeroDash => "零值印“-”",
            Layout::ZeroBlank => "零值留空",
        }
    }

    fn apply(self, doc: &mut Document) {
        let mut i = 0;
        for b in &mut doc.blocks {
            let Block::Table(t) = b else { continue };
            let Some(n) = t.number.strip_prefix('表').map(str::to_string) else {
                continue;
            };
            i += 1;
            match self {
                Layout::Standard => {}
                Layout::PublicNumbers => {
                    t.number = format!("公开{n:0>2}表");
                    t.title = format!("{}{}年度{}", t.entity, doc.year, t.title);
                }
                Layout::Enumerated => {
                    // printed where the number goes: "一、 收入支出决算总表"
                    t.number = format!("{}、", juesuan_report::chinese_number(i));
                }
                Layout::ZeroDash | Layout::ZeroBlank => {
                    for row in &mut t.rows {
                        for cell in &mut row.cells {
                            if matches!(cell, Cell::Money(m) if m.wan_cents() == 0) {
                                *cell = match self {
                                    Layout::ZeroDash => Cell::text("-"),
                                    _ => Cell::Empty,
                                };
                            }
                        }
                    }
                }
            }
        }
    }
}

fn rephrase(doc: &mut Document, chosen: &[usize]) {
    for b in &mut doc.blocks {
        if let Block::Paragraph { text } = b {
            for &i in chosen {
                let (from, to, _) = PHRASINGS[i];
                *text = text.replace(from, to);
            }
        }
    }
}

fn audit_as(doc: &Document, format: &str, dir: &Path, fonts: &juesuan_pdf::Fonts) -> Report {
    let src = match format {
        "txt" => read::Source::from_text("generated.txt", &doc.to_text()),
        "docx" => {
            let path = dir.join("generated.docx");
            std::fs::write(&path, juesuan_docx::write_docx(doc, false).unwrap()).unwrap();
            read::read(&path).unwrap()
        }
        _ => {
            let path = dir.join("generated.pdf");
            std::fs::write(&path, juesuan_pdf::render(doc, false, fonts).unwrap()).unwrap();
            read::read(&path).unwrap()
        }
    };
    audit_source(&src, doc.year).unwrap()
}

fn flagged(r: &Report) -> bool {
    r.findings.iter().any(|f| f.severity != Severity::Style)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut docs, mut seed, mut verbose) = (240usize, 1u64, false);
    let mut dump: Option<std::path::PathBuf> = None;
    let mut formats = vec!["txt".to_string(), "docx".into(), "pdf".into()];
    while let Some(a) = args.next() {
        match a.as_str() {
            "--docs" => docs = args.next().and_then(|v| v.parse().ok()).expect("--docs N"),
            "--seed" => seed = args.next().and_then(|v| v.parse().ok()).expect("--seed S"),
            "--formats" => {
                formats = args
                    .next()
                    .expect("--formats txt,docx,pdf")
                    .split(',')
                    .map(str::to_string)
                    .collect()
            }
            "--verbose" => verbose = true,
            "--dump" => dump = Some(std::path::PathBuf::from(args.next().expect("--dump DIR"))),
            _ => panic!("unknown argument {a}"),
        }
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/chifeng-sfj-2024");
    let data = juesuan_load::load_dataset(&dir).expect("example loads");
    let base = juesuan_report::build(&data).expect("example builds");
    let fonts = juesuan_pdf::Fonts::discover().expect("fonts (scripts/setup)");
    let tmp = tempfile::tempdir().unwrap();
    let mut rng = Rng(seed);

    let mut clean_docs = 0;
    let mut false_alarms = Vec::new();
    let mut per_kind: BTreeMap<Kind, (usize, usize, usize)> = BTreeMap::new();
    // layout → (mutated, found, clean documents with a false alarm)
    let mut per_layout: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    let mut missed = Vec::new();
    let started = std::time::Instant::now();
    for n in 0..docs {
        let format = formats[n % formats.len()].as_str();
        let layout = LAYOUTS[(n / formats.len()) % LAYOUTS.len()];
        let chosen: Vec<usize> = (0..PHRASINGS.len()).filter(|_| rng.chance(40)).collect();
        let mut doc = base.clone();
        rephrase(&mut doc, &chosen);
        layout.apply(&mut doc);
        let phrasing: Vec<&str> = chosen.iter().map(|&i| PHRASINGS[i].2).collect();

        // The same document without an error must audit clean (checked once per variant).
        let clean = audit_as(&doc, format, tmp.path(), &fonts);
        clean_docs += 1;
        if flagged(&clean) {
            false_alarms.push(format!(
                "{format} {} {phrasing:?}: {}",
                layout.name(),
                clean
                    .findings
                    .iter()
                    .filter(|f| f.severity != Severity::Style)
                    .map(|f| format!("{} L{:?} {}", f.rule, f.location.line, f.message))
                    .collect::<Vec<_>>()
                    .join("\n    ")
            ));
        }

        // Each kind of error equally often, then a place of that kind at random.
        // A PDF's bar chart prints no values (only axis ticks): its data is not in the
        // document a reader has, so it is not a place to inject an error into.
        let all: Vec<Site> = sites(&doc)
            .into_iter()
            .filter(|s| match s {
                Site::Chart { block, .. } if format == "pdf" => matches!(
                    &doc.blocks[*block],
                    Block::Chart(c) if c.kind == juesuan_report::ChartKind::Pie
                ),
                _ => true,
            })
            .collect();
        let kinds: Vec<Kind> = {
            let mut k: Vec<Kind> = all.iter().map(Site::kind).collect();
            k.sort();
            k.dedup();
            k
        };
        let kind = kinds[rng.below(kinds.len())];
        let of_kind: Vec<&Site> = all.iter().filter(|s| s.kind() == kind).collect();
        let site = of_kind[rng.below(of_kind.len())];
        let m = inject(&mut doc, site, &mut rng);
        let report = audit_as(&doc, format, tmp.path(), &fonts);
        let found = flagged(&report);
        let located = format == "txt" && !m.line_text.is_empty() && {
            let text = doc.to_text();
            let line = text.lines().position(|l| l == m.line_text).map(|i| i + 1);
            report.findings.iter().any(|f| {
                f.severity != Severity::Style
                    && (f.location.line == line || f.related.iter().any(|r| r.line == line))
            })
        };
        let e = per_kind.entry(m.kind).or_default();
        e.0 += 1;
        e.1 += usize::from(found);
        e.2 += usize::from(located);
        let l = per_layout.entry(layout.name()).or_default();
        l.0 += 1;
        l.1 += usize::from(found);
        l.2 += usize::from(flagged(&clean));
        if !found {
            missed.push(format!(
                "{format} {} {}: {}",
                layout.name(),
                m.kind.name(),
                m.description
            ));
            // keep the document for a look: the last one written is the one audited
            if let Some(d) = &dump {
                std::fs::create_dir_all(d).unwrap();
                let ext = if format == "txt" { "txt" } else { format };
                let to = d.join(format!("missed-{n}.{ext}"));
                if format == "txt" {
                    std::fs::write(&to, doc.to_text()).unwrap();
                } else {
                    std::fs::copy(tmp.path().join(format!("generated.{ext}")), &to).unwrap();
                }
            }
        } else if verbose {
            eprintln!("found {format} {}: {}", m.kind.name(), m.description);
        }
    }

    let total: usize = per_kind.values().map(|v| v.0).sum();
    let found: usize = per_kind.values().map(|v| v.1).sum();
    println!(
        "mutated documents: {total} ({} formats: {})",
        formats.len(),
        formats.join(", ")
    );
    println!(
        "{:<20} {:>6} {:>6} {:>8}",
        "kind", "docs", "found", "recall"
    );
    for (k, (n, f, _)) in &per_kind {
        println!(
            "{:<20} {n:>6} {f:>6} {:>7.1}%",
            k.name(),
            100.0 * *f as f64 / *n as f64
        );
    }
    println!(
        "{:<24} {:>6} {:>6} {:>8} {:>12}",
        "layout", "docs", "found", "recall", "false alarms"
    );
    for (l, (n, f, fa)) in &per_layout {
        println!(
            "{l:<24} {n:>6} {f:>6} {:>7.1}% {fa:>12}",
            100.0 * *f as f64 / *n as f64
        );
    }
    for m in &missed {
        println!("missed: {m}");
    }
    for f in &false_alarms {
        println!("false alarm: {f}");
    }
    println!(
        "unmutated documents: {clean_docs}, with a false alarm: {}",
        false_alarms.len()
    );
    println!("seconds: {:.1}", started.elapsed().as_secs_f64());
    println!(
        "recall = {:.1}% ({found}/{total}), false-alarm rate = {:.1}%",
        100.0 * found as f64 / total as f64,
        100.0 * false_alarms.len() as f64 / clean_docs as f64
    );
}
