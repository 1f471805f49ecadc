//! The printed tables and chart data of a document: rows read from the text layer (cells
//! separated by tabs, or by two or more spaces in a PDF's layout text), grouped under the
//! title line that names them ("表5 一般公共预算财政拨款支出决算表", "图1 收入决算图").
//!
//! What a table must satisfy comes from `[[table]]` in data/audit/<year>.toml: rows that foot
//! across, 类 = Σ 款 = Σ 项 down the columns, totals and named rows that state quantities of
//! the narrative (they join the same-quantity consensus), coded rows that must equal the 类/项
//! sentences, and 经济分类 rows that must equal the items the narrative lists.

use crate::engine::{pct, re, wan, At, Auditor, Claim};
use crate::figure::{percent_of, sum, Figure};
use crate::spec::TableSpec;
use juesuan_check::Severity;
use juesuan_model::{normalize_name, Interval};
use regex::Regex;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// A run of cells in a row: an optional code, a name, and the figures after it. A two-sided
/// row (收入 | 支出) has two segments.
#[derive(Clone, Debug)]
struct Segment {
    code: Option<String>,
    name: String,
    figures: Vec<(Figure, At)>,
    /// A chart row's printed share ("85.87%").
    share: Option<(Figure, At)>,
}

struct Row {
    segments: Vec<Segment>,
}

struct Printed {
    spec: Option<TableSpec>,
    chart: bool,
    title: String,
    rows: Vec<Row>,
}

/// A row of the partial model: key, name, and its printed figures in column order.
type ModelRow<'p> = (String, String, Vec<&'p (Figure, At)>);

/// The title of a chart whose legend was laid out as text before its caption.
const LEGEND: &str = "图例";

fn is_code(t: &str) -> bool {
    matches!(t.len(), 3 | 5 | 7) && t.chars().all(|c| c.is_ascii_digit())
}

/// A cell that is a figure: "1,030.41", "0.00", "-" / "－" (zero), "85.87%" is not one.
fn figure_cell(t: &str, yuan: bool) -> Option<Figure> {
    match t {
        "-" | "－" | "—" => Figure::amount("0", false),
        _ => {
            static F: OnceLock<Regex> = OnceLock::new();
            re(&F, r"^-?\d[\d,]*\.\d+$|^0$")
                .is_match(t)
                .then(|| Figure::amount(t, yuan))
                .flatten()
        }
    }
}

/// The name a row is known by: enumerators ("一、", "（一）", "1.") and spaces removed.
fn row_name(t: &str) -> String {
    static E: OnceLock<Regex> = OnceLock::new();
    let e = re(
        &E,
        r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十\d]+）|\d+[.．、])",
    );
    normalize_name(&e.replace(t.trim(), ""))
}

fn without_zhichu(name: &str) -> &str {
    name.trim_end_matches("（类）")
        .trim_end_matches("（项）")
        .trim_end_matches("支出")
}

impl Auditor<'_> {
    /// Where the start of source line `line` is in the paragraphs, for locations.
    pub(crate) fn line_at(&self, line: usize) -> Option<At> {
        self.paras
            .iter()
            .enumerate()
            .find_map(|(pi, p)| p.line_offset(line).map(|offset| At { para: pi, offset }))
    }

    fn printed_tables(&self) -> Vec<Printed> {
        static T: OnceLock<Regex> = OnceLock::new();
        let title_re = re(&T, r"^\s*(表|图)\s*\d+\s*[.、：:]?\s*(\S.*?)\s*$");
        static SPLIT: OnceLock<Regex> = OnceLock::new();
        let split = re(&SPLIT, r"\t|\s{2,}|\u{3000}");
        static L: OnceLock<Regex> = OnceLock::new();
        let legend_re = re(&L, r"^(\S+)\s+(\d[\d,]*\.\d+)\s*万元\s+(\d+(?:\.\d+)?)%$");
        let mut out: Vec<Printed> = Vec::new();
        let mut yuan = false;
        for (li, line) in self.src.lines.iter().enumerate() {
            let raw = line.text.trim();
            if let Some(c) = title_re.captures(raw) {
                let title = c.get(2).map_or("", |m| m.as_str()).to_string();
                let chart = &c[1] == "图";
                let spec = if chart {
                    None
                } else {
                    self.spec.table(&title).cloned()
                };
                out.push(Printed {
                    spec,
                    chart,
                    title,
                    rows: Vec::new(),
                });
                yuan = false;
                continue;
            }
            // a chart legend laid out as text ("其他收入 566.00万元 14.13%"), before its caption
            if let Some(c) = legend_re.captures(raw) {
                if let Some(at) = self.line_at(li) {
                    if !out.last().is_some_and(|t| t.title == LEGEND && t.chart) {
                        out.push(Printed {
                            spec: None,
                            chart: true,
                            title: LEGEND.to_string(),
                            rows: Vec::new(),
                        });
                    }
                    let (Some(f), Some(p)) = (Figure::amount(&c[2], false), Figure::percent(&c[3]))
                    else {
                        continue;
                    };
                    let text = &self.paras[at.para].text;
                    let find = |needle: &str| At {
                        para: at.para,
                        offset: text[at.offset..]
                            .find(needle)
                            .map_or(at.offset, |i| at.offset + i),
                    };
                    let seg = Segment {
                        code: None,
                        name: c[1].to_string(),
                        figures: vec![(f, find(&c[2]))],
                        share: Some((p, find(&format!("{}%", &c[3])))),
                    };
                    if let Some(t) = out.last_mut() {
                        t.rows.push(Row {
                            segments: vec![seg],
                        });
                    }
                }
                continue;
            }
            let Some(table) = out.last_mut() else {
                continue;
            };
            if raw.contains("单位：元") || raw.contains("单位:元") {
                yuan = true;
            }
            let Some(at) = self.line_at(li) else { continue };
            let para_text = &self.paras[at.para].text;
            // a PDF's layout text may leave one space between a figure and the next name
            let cells: Vec<&str> = split
                .split(raw)
                .flat_map(|c| c.split(' '))
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .collect();
            let has_figure = cells.iter().any(|c| figure_cell(c, false).is_some());
            // prose (a sentence or a heading) ends a table; header rows never hold "，。"
            if !has_figure
                && (raw.contains('，')
                    || raw.contains('。')
                    || (cells.len() == 1 && crate::text::is_heading(raw)))
            {
                out.push(Printed {
                    spec: None,
                    chart: false,
                    title: String::new(),
                    rows: Vec::new(),
                });
                continue;
            }
            let mut segments: Vec<Segment> = Vec::new();
            let mut open: Option<Segment> = None;
            for cell in cells {
                if let (Some(seg), Some(p)) = (
                    open.as_mut(),
                    cell.strip_suffix('%').and_then(Figure::percent),
                ) {
                    let offset = para_text[at.offset..]
                        .find(cell)
                        .map_or(at.offset, |i| at.offset + i);
                    seg.share = Some((
                        p,
                        At {
                            para: at.para,
                            offset,
                        },
                    ));
                    continue;
                }
                let (code, rest) = if is_code(cell) {
                    (Some(cell.to_string()), "")
                } else {
                    (None, cell)
                };
                if let Some(f) = (code.is_none()).then(|| figure_cell(rest, yuan)).flatten() {
                    // locate the figure in the paragraph (normalized) text of this line
                    let offset = para_text[at.offset..]
                        .find(rest)
                        .map_or(at.offset, |i| at.offset + i);
                    let seg = open.get_or_insert_with(|| Segment {
                        code: None,
                        name: String::new(),
                        figures: Vec::new(),
                        share: None,
                    });
                    seg.figures.push((
                        f,
                        At {
                            para: at.para,
                            offset,
                        },
                    ));
                    continue;
                }
                // a new name (or code) starts a new segment once the open one has figures
                match &mut open {
                    Some(s) if s.figures.is_empty() && (code.is_none() || s.code.is_none()) => {
                        if code.is_some() {
                            s.code = code;
                        }
                        s.name.push_str(rest);
                    }
                    _ => {
                        if let Some(s) = open.take() {
                            segments.push(s);
                        }
                        open = Some(Segment {
                            code,
                            name: rest.to_string(),
                            figures: Vec::new(),
                            share: None,
                        });
                    }
                }
            }
            segments.extend(open);
            segments.retain(|s| !s.figures.is_empty());
            if !segments.is_empty() {
                table.rows.push(Row { segments });
            }
        }
        out
    }

    pub(crate) fn tables(&mut self) {
        // a standard table read from the layout replaces the same table split from its text
        // lines (which loses blank cells and the column they were in)
        let mut printed = self.printed_tables();
        let read = self.read_standard_tables();
        printed.retain(|p| {
            !p.spec
                .as_ref()
                .is_some_and(|s| read.iter().any(|r| r.title == s.title))
        });
        printed.extend(read);
        for t in &printed {
            if t.chart {
                self.chart_rows(t);
                continue;
            }
            let Some(spec) = t.spec.clone() else { continue };
            let unfooted = if spec.row_total {
                self.rows_foot(t)
            } else {
                Vec::new()
            };
            if spec.hierarchy {
                self.hierarchy_foots(t, &unfooted);
            }
            self.table_claims(t, &spec);
            if let Some(total) = &spec.class_total {
                self.class_rows_foot(t, total);
            }
            if let Some(col) = spec.coded_figure {
                self.coded_rows(t, col);
            }
            if spec.list_items {
                self.list_items(t);
            }
        }
        self.catalogue_rules(&printed);
    }

    /// The standard tables among the tables read from the layout (a title that ends with a
    /// template table's name: "2024年度XX局收入支出决算总表", "公开01表 收入支出决算总表"), as
    /// printed tables for the template checks, when the table reads as printed (its own
    /// identities hold). Rows of a two-sided table
    /// are paired by the line they are printed on; a row whose cells are all blank states
    /// nothing, a blank cell beside figures is 0.
    fn read_standard_tables(&self) -> Vec<Printed> {
        let mut out = Vec::new();
        for t in &self.src.tables {
            let Some(spec) = self
                .spec
                .tables
                .iter()
                .filter(|s| t.title.ends_with(s.title.as_str()))
                .max_by_key(|s| s.title.len())
            else {
                continue;
            };
            let ids = crate::identities::identities(t);
            if !ids.is_empty()
                && !crate::identities::read_as_printed(
                    ids.len(),
                    ids.iter().filter(|i| i.held).count(),
                )
            {
                continue;
            }
            let yuan = t.unit == juesuan_read::Unit::Yuan;
            let mut by_line: BTreeMap<usize, Vec<Segment>> = BTreeMap::new();
            for (side, r) in t.rows() {
                let blank = r
                    .values
                    .iter()
                    .all(|v| v.kind == juesuan_read::cell::Kind::Blank);
                let mut figures = Vec::new();
                for v in r.values.iter().filter(|_| !blank) {
                    let fig = match v.kind {
                        juesuan_read::cell::Kind::Blank | juesuan_read::cell::Kind::Dash => {
                            Figure::amount("0", yuan)
                        }
                        _ => juesuan_read::cell::number(&v.text)
                            .and_then(|n| Figure::amount(&n, yuan)),
                    };
                    let (Some(fig), Some(at)) = (fig, self.cell_at(v)) else {
                        figures.clear();
                        break;
                    };
                    figures.push((fig, at));
                }
                let segs = by_line.entry(r.line).or_default();
                while segs.len() < side {
                    segs.push(Segment {
                        code: None,
                        name: String::new(),
                        figures: Vec::new(),
                        share: None,
                    });
                }
                segs.push(Segment {
                    code: r.code.clone(),
                    name: r.name.clone(),
                    figures,
                    share: None,
                });
            }
            out.push(Printed {
                spec: Some(spec.clone()),
                chart: false,
                title: spec.title.clone(),
                rows: by_line
                    .into_values()
                    .map(|segments| Row { segments })
                    .collect(),
            });
        }
        out
    }

    /// Rows whose first figure is not the sum of the others; returns where they are.
    fn rows_foot(&mut self, t: &Printed) -> Vec<At> {
        let mut unfooted = Vec::new();
        for row in &t.rows {
            for s in &row.segments {
                if s.figures.len() < 3 {
                    continue;
                }
                let Some(parts) = sum(s.figures[1..].iter().map(|(f, _)| &f.iv)) else {
                    continue;
                };
                let (total, at) = &s.figures[0];
                self.evaluated += 1;
                if !parts.overlaps(&total.iv) {
                    unfooted.push(*at);
                    let related: Vec<At> = s.figures[1..].iter().map(|(_, a)| *a).collect();
                    self.report(
                        "audit.table_sum",
                        Severity::Error,
                        format!(
                            "{}中“{}”一行的合计{}万元不等于其后各栏之和{}",
                            t.title,
                            if s.name.is_empty() { "合计" } else { &s.name },
                            total.printed,
                            wan(&parts)
                        ),
                        *at,
                        Some(format!("{}万元", total.printed)),
                        Some(wan(&parts)),
                        &related,
                        None,
                    );
                }
            }
        }
        unfooted
    }

    /// 类 = Σ 款, 款 = Σ 项 (功能分类) and 类 = Σ 款 (经济分类), and 合计 = Σ 类, per column.
    /// A column that does not add up because a row does not foot across is that row's finding.
    fn hierarchy_foots(&mut self, t: &Printed, unfooted: &[At]) {
        let segs: Vec<&Segment> = t.rows.iter().flat_map(|r| &r.segments).collect();
        let coded: BTreeMap<&str, &Segment> = segs
            .iter()
            .filter_map(|s| s.code.as_deref().map(|c| (c, *s)))
            .collect();
        let mut groups: Vec<(&Segment, Vec<&Segment>)> = Vec::new();
        for (code, parent) in &coded {
            let kids: Vec<&Segment> = coded
                .iter()
                .filter(|(c, _)| c.len() == code.len() + 2 && c.starts_with(code))
                .map(|(_, s)| *s)
                .collect();
            if !kids.is_empty() {
                groups.push((parent, kids));
            }
        }
        if let Some(total) = segs
            .iter()
            .find(|s| s.code.is_none() && row_name(&s.name) == "合计")
        {
            let classes: Vec<&Segment> = coded
                .iter()
                .filter(|(c, _)| c.len() == 3 && c.starts_with('2'))
                .map(|(_, s)| *s)
                .collect();
            if !classes.is_empty() {
                groups.push((total, classes));
            }
        }
        for (parent, kids) in groups {
            let n = parent.figures.len();
            if kids.iter().any(|k| k.figures.len() != n) {
                continue;
            }
            let first = |s: &Segment| s.figures.first().map(|f| f.1);
            if std::iter::once(parent)
                .chain(kids.iter().copied())
                .any(|s| first(s).is_some_and(|a| unfooted.contains(&a)))
            {
                continue;
            }
            for j in 0..n {
                let Some(s) = sum(kids.iter().map(|k| &k.figures[j].0.iv)) else {
                    continue;
                };
                let (fig, at) = &parent.figures[j];
                self.evaluated += 1;
                if !s.overlaps(&fig.iv) {
                    let related: Vec<At> = kids.iter().map(|k| k.figures[j].1).collect();
                    let name = match &parent.code {
                        Some(c) => format!("{c} {}", parent.name),
                        None => parent.name.clone(),
                    };
                    self.report(
                        "audit.table_sum",
                        Severity::Error,
                        format!(
                            "{}中“{name}”第{}栏为{}万元，但其下{}行合计{}",
                            t.title,
                            j + 1,
                            fig.printed,
                            kids.len(),
                            wan(&s)
                        ),
                        *at,
                        Some(format!("{}万元", fig.printed)),
                        Some(wan(&s)),
                        &related,
                        None,
                    );
                }
            }
        }
    }

    /// The rule catalogue over the partial model: the standard tables the document prints in
    /// the standard layout (`id` in the spec), each printed figure a cell. Rules whose cells
    /// the document does not give are skipped; facts and reasons are not part of it. A finding
    /// at a place the document rules already reported is not repeated.
    fn catalogue_rules(&mut self, printed: &[Printed]) {
        let year = self.spec.year;
        let (Ok(template), Ok(catalogue)) = (
            juesuan_model::Template::for_year(year),
            juesuan_check::Catalogue::for_year(year),
        ) else {
            return;
        };
        let mut set = juesuan_model::TableSet::default();
        let mut at_of: BTreeMap<(String, String, String), At> = BTreeMap::new();
        for t in printed {
            let Some(id) = t.spec.as_ref().and_then(|s| s.id.clone()) else {
                continue;
            };
            let Some(def) = template.table(&id) else {
                continue;
            };
            let columns = def.columns.clone();
            let mut table = juesuan_model::Table::new(&id, columns.clone(), None);
            // what the document does not print is not known to be zero
            table.absent_rows_are_zero = false;
            let mut cells: Vec<ModelRow> = Vec::new();
            if id == "T7" {
                // one row of 预算数/决算数 pairs, rows in the standard order
                let Some(seg) = t.rows.first().and_then(|r| r.segments.first()) else {
                    continue;
                };
                let keys: Vec<&str> = def.rows.iter().map(|r| r.key.as_str()).collect();
                if seg.figures.len() != keys.len() * columns.len() {
                    continue;
                }
                for (i, key) in keys.iter().enumerate() {
                    let figs = seg.figures[i * columns.len()..(i + 1) * columns.len()]
                        .iter()
                        .collect();
                    cells.push((key.to_string(), key.to_string(), figs));
                }
            } else if def.layout == juesuan_model::Layout::Fixed {
                // named rows (表1): each side's name is a template row; “总计” is 收入总计 on the
                // left and 支出总计 on the right
                for row in &t.rows {
                    for (side, s) in row.segments.iter().enumerate() {
                        if s.figures.len() != columns.len() {
                            continue;
                        }
                        let name = row_name(&s.name);
                        let Some(r) = def
                            .rows
                            .iter()
                            .filter(|r| r.matches(&name))
                            .nth(if name == "总计" { side } else { 0 })
                        else {
                            continue;
                        };
                        cells.push((r.key.clone(), s.name.clone(), s.figures.iter().collect()));
                    }
                }
            } else {
                for s in t.rows.iter().flat_map(|r| &r.segments) {
                    let key = match &s.code {
                        Some(c) => c.clone(),
                        None if row_name(&s.name) == "合计" => "合计".to_string(),
                        None => continue,
                    };
                    if s.figures.len() != columns.len() {
                        continue;
                    }
                    cells.push((key, s.name.clone(), s.figures.iter().collect()));
                }
            }
            for (key, name, figs) in cells {
                let mut values = Vec::new();
                for (j, (f, at)) in figs.iter().enumerate() {
                    // figures in 万元 to the cent only: a cell is a whole number of 分
                    let fen = f.value.checked_mul(juesuan_model::Ratio::int(
                        juesuan_model::FEN_PER_WAN as i128,
                    ));
                    let Some(fen) = fen
                        .filter(|v| v.denom() == 1)
                        .and_then(|v| i64::try_from(v.numer()).ok())
                    else {
                        values.clear();
                        break;
                    };
                    values.push(Some(fen));
                    at_of.insert((id.clone(), key.clone(), columns[j].clone()), *at);
                }
                if values.len() == columns.len() {
                    let _ = table.push_row(juesuan_model::Row {
                        key,
                        name,
                        values,
                        line: None,
                    });
                }
            }
            if !table.rows().is_empty() {
                set.insert(table);
            }
        }
        if set.tables.is_empty() {
            return;
        }
        let node = juesuan_check::Node {
            id: "部门".to_string(),
            name: String::new(),
            tables: &set,
            facts: None,
            projects: &[],
            reasons: None,
            unit: juesuan_model::AmountUnit::Wan,
            figures_per_cell: 1,
            materiality_percent: 10,
            template,
        };
        let (found, n) = juesuan_check::check_node(&node, catalogue, true);
        self.evaluated += n;
        for f in found {
            let key = |l: &juesuan_check::Location| {
                Some((l.table.clone()?, l.row.clone()?, l.column.clone()?))
            };
            // the cell the catalogue's culprit search blames, else the rule's own cell
            let blamed = f
                .culprit
                .as_ref()
                .map(|c| &c.location)
                .unwrap_or(&f.location);
            let Some(at) = key(blamed).and_then(|k| at_of.get(&k).copied()) else {
                continue;
            };
            let loc = self.location(at);
            if self
                .findings
                .iter()
                .any(|g| g.location.line == loc.line && g.location.page == loc.page)
            {
                continue;
            }
            let related: Vec<At> = f
                .related
                .iter()
                .filter_map(|l| key(l).and_then(|k| at_of.get(&k).copied()))
                .collect();
            self.report(
                &f.rule,
                f.severity,
                f.message.clone(),
                at,
                f.stated.clone(),
                f.expected.clone(),
                &related,
                None,
            );
        }
    }

    /// Σ 类 rows = the total row, figure by figure, in a table that lists 类 by name.
    fn class_rows_foot(&mut self, t: &Printed, total_name: &str) {
        // 类 names: the code book's and the 2024 template's 表1 rows (the newest 类 too)
        let mut classes: std::collections::BTreeSet<String> = self
            .codes
            .iter()
            .filter(|e| e.code.len() == 3 && e.code.starts_with('2'))
            .map(|e| without_zhichu(&normalize_name(&e.name)).to_string())
            .collect();
        if let Some(def) = juesuan_model::Template::for_year(self.spec.year)
            .ok()
            .and_then(|t| t.table("T1"))
        {
            classes.extend(
                def.rows
                    .iter()
                    .filter(|r| r.group.as_deref() == Some("支出功能分类"))
                    .map(|r| without_zhichu(&normalize_name(r.display_name())).to_string()),
            );
        }
        let segs: Vec<&Segment> = t.rows.iter().flat_map(|r| &r.segments).collect();
        let Some(total) = segs.iter().find(|s| row_name(&s.name) == total_name) else {
            return;
        };
        let rows: Vec<&Segment> = segs
            .iter()
            .filter(|s| s.code.is_none() && classes.contains(without_zhichu(&row_name(&s.name))))
            .copied()
            .collect();
        if rows.is_empty() {
            return;
        }
        for (j, (fig, at)) in total.figures.iter().enumerate() {
            if rows.iter().any(|r| r.figures.len() != total.figures.len()) {
                return;
            }
            let Some(s) = sum(rows.iter().map(|r| &r.figures[j].0.iv)) else {
                continue;
            };
            self.evaluated += 1;
            if !s.overlaps(&fig.iv) {
                self.report(
                    "audit.table_sum",
                    Severity::Error,
                    format!(
                        "{}中“{total_name}”第{}栏为{}万元，但各类合计{}",
                        t.title,
                        j + 1,
                        fig.printed,
                        wan(&s)
                    ),
                    *at,
                    Some(format!("{}万元", fig.printed)),
                    Some(wan(&s)),
                    &rows.iter().map(|r| r.figures[j].1).collect::<Vec<_>>(),
                    None,
                );
            }
        }
    }

    /// Totals and named rows state quantities of the narrative: they join its claims.
    fn table_claims(&mut self, t: &Printed, spec: &TableSpec) {
        let push = |claims: &mut Vec<Claim>, q: &str, fig: &Figure, at: At| {
            if q.is_empty() {
                return;
            }
            let (quantity, column) = q.split_once('@').unwrap_or((q, "决算"));
            claims.push(Claim {
                quantity: quantity.to_string(),
                column: column.to_string(),
                iv: fig.iv,
                printed: format!("{}万元", fig.printed),
                at,
                derived: None,
            });
        };
        // a name stated twice (表4's 一般公共预算财政拨款 income and its 结转) counts once
        let mut seen = std::collections::BTreeSet::new();
        for row in &t.rows {
            for s in &row.segments {
                let name = row_name(&s.name);
                if !seen.insert(name.clone()) {
                    continue;
                }
                if s.code.is_none() && name == row_name(&spec.totals_row) {
                    for (q, (f, at)) in spec.totals.iter().zip(&s.figures) {
                        push(&mut self.claims, q, f, *at);
                    }
                }
                if s.code.is_none() {
                    if let (Some(q), Some((f, at))) = (spec.rows.get(&name), s.figures.first()) {
                        push(&mut self.claims, q, f, *at);
                    }
                }
            }
        }
    }

    /// A 类 or 项 row's 一般公共预算财政拨款 决算 against the sentence the narrative writes
    /// for it.
    fn coded_rows(&mut self, t: &Printed, col: usize) {
        for row in &t.rows {
            for s in &row.segments {
                let Some((fig, at)) = s.figures.get(col).cloned() else {
                    continue;
                };
                let class_key = without_zhichu(&row_name(&s.name)).to_string();
                let stated = match s.code.as_deref() {
                    Some(c) if c.len() == 7 => {
                        let kuan = juesuan_model::CodeBook::parent_code(c)
                            .and_then(|p| self.codes.get(p))
                            .map(|e| normalize_name(&e.name));
                        let name = normalize_name(&s.name);
                        self.stated_items
                            .iter()
                            .filter(|r| {
                                without_zhichu(&normalize_name(&r.name)) == without_zhichu(&name)
                            })
                            .filter(|r| match (&r.kuan, &kuan) {
                                (Some(k), Some(kk)) => {
                                    without_zhichu(&normalize_name(k)) == without_zhichu(kk)
                                }
                                _ => true,
                            })
                            .cloned()
                            .collect::<Vec<_>>()
                    }
                    // 类 rows (T5 by code; T4 by name)
                    Some(c) if c.len() == 3 => self.class_rows(&class_key),
                    None if !class_key.is_empty() => self.class_rows(&class_key),
                    _ => continue,
                };
                // a name the text uses for two rows is ambiguous
                if stated.len() != 1 {
                    continue;
                }
                let r = &stated[0];
                self.evaluated += 1;
                if !r.actual.iv.overlaps(&fig.iv) {
                    self.report(
                        "audit.text_table",
                        Severity::Error,
                        format!(
                            "正文与{}不符：正文写“{}”决算{}万元，表中为{}万元",
                            t.title, r.name, r.actual.printed, fig.printed
                        ),
                        r.at,
                        Some(format!("{}万元", r.actual.printed)),
                        Some(format!("{}万元", fig.printed)),
                        &[at],
                        None,
                    );
                }
            }
        }
    }

    fn class_rows(&self, key: &str) -> Vec<crate::engine::StatedRow> {
        self.stated_classes
            .iter()
            .filter(|r| without_zhichu(&normalize_name(&r.name)) == key)
            .cloned()
            .collect()
    }

    /// 经济分类 rows against the items of the narrative's lists with the same name
    /// ("基本工资622.43万元").
    fn list_items(&mut self, t: &Printed) {
        let mut by_name: BTreeMap<String, Vec<(Figure, At)>> = BTreeMap::new();
        for row in &t.rows {
            for s in &row.segments {
                if s.code.is_some() {
                    if let Some(f) = s.figures.first() {
                        by_name
                            .entry(normalize_name(&s.name))
                            .or_default()
                            .push(f.clone());
                    }
                }
            }
        }
        let mut found = Vec::new();
        for (pi, list) in self.amounts.iter().enumerate() {
            if !self.ctx[pi].section.contains("基本支出") {
                continue;
            }
            for a in list {
                let key = normalize_name(&a.label);
                if let Some(rows) = by_name.get(&key) {
                    if rows.len() == 1 {
                        found.push((a.clone(), rows[0].clone()));
                    }
                }
            }
        }
        for (a, (fig, at)) in found {
            self.evaluated += 1;
            if !a.fig.iv.overlaps(&fig.iv) {
                self.report(
                    "audit.text_table",
                    Severity::Error,
                    format!(
                        "正文与{}不符：正文写“{}”{}万元，表中为{}万元",
                        t.title, a.label, a.fig.printed, fig.printed
                    ),
                    a.at,
                    Some(format!("{}万元", a.fig.printed)),
                    Some(format!("{}万元", fig.printed)),
                    &[at],
                    None,
                );
            }
        }
    }

    /// Chart data printed as text: "label  amount  share%" (a pie: each share is its amount's
    /// part of the sum, and the amount is the quantity the text names) or "label  budget
    /// actual" by 类 (a bar chart: the 类 sentences' figures).
    fn chart_rows(&mut self, t: &Printed) {
        let rows: Vec<&Segment> = t
            .rows
            .iter()
            .filter_map(|r| r.segments.first())
            .filter(|s| !s.name.is_empty())
            .collect();
        if rows.is_empty() {
            return;
        }
        let shares: Vec<Option<(Figure, At)>> = rows.iter().map(|s| s.share.clone()).collect();
        let pie = shares.iter().all(Option::is_some) && rows.iter().all(|s| s.figures.len() == 1);
        if pie {
            let Some(total) = sum(rows.iter().map(|s| &s.figures[0].0.iv)) else {
                return;
            };
            for (s, share) in rows.iter().zip(&shares) {
                let Some((p, pat)) = share else { continue };
                let (fig, at) = &s.figures[0];
                if let Some(q) = self
                    .spec
                    .quantity(&format!("本年{}", s.name), "")
                    .map(|q| q.name.clone())
                {
                    self.claims.push(Claim {
                        quantity: q,
                        column: "决算".into(),
                        iv: fig.iv,
                        printed: format!("{}万元", fig.printed),
                        at: *at,
                        derived: None,
                    });
                }
                let Some(rate) = percent_of(&fig.iv, &total) else {
                    continue;
                };
                self.evaluated += 1;
                if !rate.overlaps(&p.iv) {
                    self.report(
                        "audit.chart",
                        Severity::Error,
                        format!(
                            "{}中“{}”{}万元占合计{}的{}，图中写{}",
                            t.title,
                            s.name,
                            fig.printed,
                            wan(&total),
                            pct(&rate),
                            p.printed
                        ),
                        *pat,
                        Some(p.printed.clone()),
                        Some(pct(&rate)),
                        &[*at],
                        None,
                    );
                }
            }
            return;
        }
        // a bar chart by 类: (年初预算, 决算)
        for s in rows {
            if s.figures.len() != 2 {
                continue;
            }
            let stated = self.class_rows(without_zhichu(&row_name(&s.name)));
            let [r] = stated.as_slice() else { continue };
            let r = r.clone();
            let (budget, actual) = (&s.figures[0], &s.figures[1]);
            let check = |this: &mut Self, what: &str, chart: &(Figure, At), text: &Interval| {
                this.evaluated += 1;
                if !chart.0.iv.overlaps(text) {
                    this.report(
                        "audit.chart",
                        Severity::Error,
                        format!(
                            "{}中“{}”的{what}为{}万元，正文为{}",
                            t.title,
                            s.name,
                            chart.0.printed,
                            wan(text)
                        ),
                        chart.1,
                        Some(format!("{}万元", chart.0.printed)),
                        Some(wan(text)),
                        &[r.at],
                        None,
                    );
                }
            };
            check(self, "决算", actual, &r.actual.iv);
            if let Some(b) = &r.budget {
                check(self, "年初预算", budget, b);
            }
        }
    }
}
