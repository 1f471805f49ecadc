//! The identities a table satisfies whatever its template, checked on the tables as read
//! (`juesuan_read::Table`): a parent code is the sum of its children (类 = Σ款 = Σ项, 301 =
//! Σ30101…), the 合计 row is the sum of the 类 rows, a 合计/小计 column is the sum of the columns
//! it heads, an enumerated row ("一、财政拨款") is the sum of its sub-items ("1.一般公共预算"),
//! a 小计/合计/总计 row is the sum of the items before it (or, in a table that prints its total
//! first, after it), and a two-sided table's 收入总计 equals its 支出总计.
//!
//! Each printed figure stands for the interval its last digit allows, in the table's own unit,
//! so rounding never breaks an identity. A blank total is not a zero: it is skipped, because a
//! total left blank beside figures is more often a cell the reader did not place than a zero.
//! How many identities hold measures how well a table was read as much as how right it is;
//! `audit` reports both.

use crate::engine::{At, Auditor};
use crate::figure::show;
use crate::text::normalize_char;
use juesuan_check::Severity;
use juesuan_model::{Interval, Ratio};
use juesuan_read::cell::{self, Kind as CellKind};
use juesuan_read::{Role, Table, Value};

/// Which structure an identity comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A code row and the rows of the codes under it.
    Codes,
    /// The 合计 row and the 类 rows.
    ClassTotal,
    /// An enumerated row and its sub-items, or a total row and the items it closes.
    Items,
    /// A 合计/小计 column and the columns it heads.
    Columns,
    /// 收入总计 = 支出总计.
    Sides,
}

/// A value cell: side, row within the side, value column within the side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CellRef {
    pub side: usize,
    pub row: usize,
    pub col: usize,
}

#[derive(Clone, Debug)]
pub(crate) struct Identity {
    pub kind: Kind,
    pub total: CellRef,
    pub parts: Vec<CellRef>,
    /// Σ parts, in the table's unit.
    pub sum: Interval,
    pub held: bool,
}

/// What a value cell holds, for arithmetic.
enum Figure {
    Blank,
    Amount(Interval),
    /// A percentage or text: the identity does not apply.
    Other,
}

fn figure(v: &Value) -> Figure {
    match v.kind {
        CellKind::Blank => Figure::Blank,
        CellKind::Dash => Figure::Amount(Interval::point(Ratio::ZERO)),
        CellKind::Number => cell::number(&v.text)
            .and_then(|n| amount(&n))
            .map_or(Figure::Other, Figure::Amount),
        _ => Figure::Other,
    }
}

/// "1234.50" → [1234.495, 1234.505]: half a unit of the last printed digit.
fn amount(n: &str) -> Option<Interval> {
    let (neg, body) = match n.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, n),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if int.len() > 15 || frac.len() > 6 {
        return None;
    }
    let digits: i128 = format!("{int}{frac}").parse().ok()?;
    let den = 10i128.checked_pow(frac.len() as u32)?;
    let v = Ratio::new(if neg { -digits } else { digits }, den)?;
    Interval::around(v, Ratio::new(1, den.checked_mul(2)?)?)
}

/// A row's name without its enumerator, and the enumerator's level: 1 for "一、", 2 for
/// "1." / "（一）" / "(1)", 0 for none.
fn enumerated(name: &str) -> (u8, &str) {
    let cn = |c: char| "一二三四五六七八九十".contains(c);
    let first = name.chars().next();
    if first.is_some_and(cn) {
        let rest = name.trim_start_matches(cn);
        if let Some(r) = rest.strip_prefix('、') {
            return (1, r);
        }
    }
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(r) = name.strip_prefix(open) {
            let inner: String = r.chars().take_while(|&c| c != close).collect();
            if !inner.is_empty()
                && inner.chars().count() <= 3
                && inner.chars().all(|c| cn(c) || c.is_ascii_digit())
            {
                return (2, &r[inner.len() + close.len_utf8()..]);
            }
        }
    }
    let digits = name.chars().take_while(char::is_ascii_digit).count();
    if (1..=2).contains(&digits) {
        let rest = &name[digits..];
        for sep in ['.', '．', '、'] {
            if let Some(r) = rest.strip_prefix(sep) {
                if !r.starts_with(|c: char| c.is_ascii_digit()) {
                    return (2, r);
                }
            }
        }
    }
    (0, name)
}

fn is_total_name(name: &str) -> bool {
    let n = enumerated(name).1;
    !n.starts_with("其中") && (n.ends_with("合计") || n.ends_with("小计") || n.ends_with("总计"))
}

/// Every identity of one table.
pub(crate) fn identities(t: &Table) -> Vec<Identity> {
    let mut out = Vec::new();
    // more than two label columns a side (政府采购: 品目 | 专项 | 科目 | 物品 | 组织形式) make a
    // tree by column that the rows as read no longer show
    let labels = t
        .columns
        .iter()
        .filter(|c| !matches!(c.role, Role::Value | Role::RowNumber))
        .count();
    let tree = labels > 2 * t.sides.len();
    for (s, side) in t.sides.iter().enumerate() {
        let coded = side.rows.iter().any(|r| r.code.is_some());
        let mut groups = if coded {
            code_groups(side)
        } else if tree {
            Vec::new()
        } else {
            item_groups(side)
        };
        let kind_rows = if coded { Kind::Codes } else { Kind::Items };
        let ncols = side.columns.len();
        for (kind, total, parts) in groups.drain(..) {
            let kind = if kind == Kind::ClassTotal {
                kind
            } else {
                kind_rows
            };
            for col in 0..ncols {
                let cells = parts
                    .iter()
                    .map(|&row| CellRef { side: s, row, col })
                    .collect();
                out.extend(check(
                    t,
                    kind,
                    CellRef {
                        side: s,
                        row: total,
                        col,
                    },
                    cells,
                ));
            }
        }
        for (total, parts) in column_groups(t, s) {
            for row in 0..side.rows.len() {
                let cells = parts
                    .iter()
                    .map(|&col| CellRef { side: s, row, col })
                    .collect();
                out.extend(check(
                    t,
                    Kind::Columns,
                    CellRef {
                        side: s,
                        row,
                        col: total,
                    },
                    cells,
                ));
            }
        }
    }
    out.extend(sides(t));
    out
}

fn value(t: &Table, c: CellRef) -> Option<&Value> {
    t.sides.get(c.side)?.rows.get(c.row)?.values.get(c.col)
}

/// The identity total = Σ parts, or `None` when it does not apply: a blank or non-numeric
/// total, a non-numeric part, or nothing but zeros.
fn check(t: &Table, kind: Kind, total: CellRef, parts: Vec<CellRef>) -> Option<Identity> {
    if parts.is_empty() {
        return None;
    }
    let Figure::Amount(tv) = figure(value(t, total)?) else {
        return None;
    };
    let mut sum = Interval::point(Ratio::ZERO);
    let mut any = !tv.contains_zero();
    for &p in &parts {
        match figure(value(t, p)?) {
            Figure::Blank => {}
            Figure::Amount(iv) => {
                any |= !iv.contains_zero();
                sum = sum.checked_add(&iv)?;
            }
            Figure::Other => return None,
        }
    }
    any.then(|| Identity {
        kind,
        total,
        held: sum.overlaps(&tv),
        sum,
        parts,
    })
}

/// Rows of a coded side: each code and its children, and the 合计 row and the 类 rows.
fn code_groups(side: &juesuan_read::Side) -> Vec<(Kind, usize, Vec<usize>)> {
    let mut first: std::collections::BTreeMap<&str, usize> = Default::default();
    for (i, r) in side.rows.iter().enumerate() {
        if let Some(c) = &r.code {
            first.entry(c.as_str()).or_insert(i);
        }
    }
    let mut out = Vec::new();
    for (&code, &i) in &first {
        let kids: Vec<usize> = first
            .iter()
            .filter(|(c, _)| c.len() == code.len() + 2 && c.starts_with(code))
            .map(|(_, &k)| k)
            .collect();
        if !kids.is_empty() {
            out.push((Kind::Codes, i, kids));
        }
    }
    let classes: Vec<usize> = first
        .iter()
        .filter(|(c, _)| c.len() == 3)
        .map(|(_, &k)| k)
        .collect();
    // one total row (合计, 总计, 人员经费合计): several would each be a part of the whole
    let totals: Vec<usize> = (0..side.rows.len())
        .filter(|&i| side.rows[i].code.is_none() && is_total_name(&side.rows[i].name))
        .collect();
    if let ([total], false) = (totals.as_slice(), classes.is_empty()) {
        let total = *total;
        out.push((Kind::ClassTotal, total, classes));
    }
    out
}

/// Rows of an uncoded side: enumerated rows and their sub-items; totals and the items they
/// close. A side whose first row is a total prints totals before their items ("收入总计",
/// "一般公共预算资金小计", its items, "政府性基金小计"…); otherwise after them ("一、…",
/// "三、…", "当年收入小计", "上年结转", "收入合计").
fn item_groups(side: &juesuan_read::Side) -> Vec<(Kind, usize, Vec<usize>)> {
    // a row named like one above it is a breakdown of the row before it: "年初财政拨款结转和
    // 结余" and under it "一般公共预算财政拨款" again
    let mut seen = std::collections::BTreeSet::new();
    let rows: Vec<(usize, u8, bool)> = side
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.name.is_empty() && !enumerated(&r.name).1.starts_with("其中"))
        .map(|(i, r)| {
            let (level, name) = enumerated(&r.name);
            let total = is_total_name(&r.name);
            let again = !seen.insert(name);
            (
                i,
                if level == 0 && !total && again {
                    2
                } else {
                    level
                },
                total,
            )
        })
        .collect();
    let mut out = Vec::new();
    // an enumerated row and the sub-items under it
    let mut parent: Option<(usize, Vec<usize>)> = None;
    let close = |p: Option<(usize, Vec<usize>)>, out: &mut Vec<(Kind, usize, Vec<usize>)>| {
        if let Some((i, kids)) = p {
            if kids.len() >= 2 {
                out.push((Kind::Items, i, kids));
            }
        }
    };
    for &(i, level, total) in &rows {
        match (level, total) {
            (2, false) => {
                if let Some((_, kids)) = &mut parent {
                    kids.push(i);
                }
            }
            (_, false) => close(parent.replace((i, Vec::new())), &mut out),
            _ => close(parent.take(), &mut out),
        }
    }
    close(parent, &mut out);
    let top: Vec<(usize, bool)> = rows
        .iter()
        .filter(|r| r.1 != 2)
        .map(|&(i, _, total)| (i, total))
        .collect();
    if top.first().is_some_and(|r| r.1) {
        // totals first; where the items are enumerated ("一、货物", "二、工程"), unnumbered
        // rows between them are their details, not items of the total
        let top: Vec<(usize, bool)> = if rows.iter().any(|r| r.1 == 1 && !r.2) {
            rows.iter()
                .filter(|r| r.1 == 1 || r.2)
                .map(|&(i, _, total)| (i, total))
                .collect()
        } else {
            top
        };
        out.extend(heads(&top).into_iter().map(|(t, p)| (Kind::Items, t, p)));
    } else {
        let mut pending: Vec<usize> = Vec::new();
        for &(i, total) in &top {
            if total {
                if !pending.is_empty() {
                    out.push((Kind::Items, i, std::mem::take(&mut pending)));
                }
                pending = vec![i];
            } else {
                pending.push(i);
            }
        }
    }
    out
}

/// Items in order, each (index, is a total), where totals come first: the first total is the
/// sum of every other total and of the items no other total claims; every other total claims
/// the items after it up to the next total.
fn heads(items: &[(usize, bool)]) -> Vec<(usize, Vec<usize>)> {
    let Some(&(grand, true)) = items.first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut grand_parts = Vec::new();
    let mut current: Option<(usize, Vec<usize>)> = None;
    for &(i, total) in &items[1..] {
        if total {
            if let Some(c) = current.take() {
                out.push(c);
            }
            grand_parts.push(i);
            current = Some((i, Vec::new()));
        } else if let Some((_, claimed)) = &mut current {
            claimed.push(i);
        } else {
            grand_parts.push(i);
        }
    }
    out.extend(current);
    out.retain(|(_, p)| !p.is_empty());
    out.push((grand, grand_parts));
    out
}

/// The value columns of side `s` that are totals, each with the columns it heads. A total is
/// a column with 合计/小计/总计 in its header path; it heads the columns that share the path
/// before that cell and after it ("合计/预算数" heads "公务接待费/预算数"), one per header cell
/// at its level (a group of columns under one header cell counts by its own 小计 column when it
/// has one, else by its leaves). Where one level has several totals, the first heads the
/// others and each other claims the columns after it.
fn column_groups(t: &Table, s: usize) -> Vec<(usize, Vec<usize>)> {
    let side = &t.sides[s];
    let headers: Vec<Vec<String>> = side
        .columns
        .iter()
        .map(|&c| {
            t.columns[c]
                .header
                .iter()
                .map(|h| juesuan_read::table::squeeze(h))
                .filter(|h| !h.is_empty())
                .collect()
        })
        .collect();
    let percent = |j: usize| {
        side.rows
            .iter()
            .any(|r| r.values.get(j).is_some_and(|v| v.kind == CellKind::Percent))
    };
    let usable: Vec<usize> = (0..headers.len())
        .filter(|&j| {
            !headers[j].is_empty()
                && !percent(j)
                && !headers[j].iter().any(|h| h.starts_with("其中"))
        })
        .collect();
    let is_total = |h: &str| h.ends_with("合计") || h.ends_with("小计") || h.ends_with("总计");
    let mut out = Vec::new();
    let mut done: Vec<(&[String], &[String])> = Vec::new();
    for &j in &usable {
        let path = &headers[j];
        let Some(depth) = path.iter().position(|h| is_total(h)) else {
            continue;
        };
        let (prefix, suffix) = (&path[..depth], &path[depth + 1..]);
        if done.contains(&(prefix, suffix)) {
            continue;
        }
        done.push((prefix, suffix));
        // the header cells at this level, in order, each with its columns of this suffix
        let mut level: Vec<(&str, Vec<usize>)> = Vec::new();
        for &k in &usable {
            let p = &headers[k];
            if p.len() < depth + 1 + suffix.len() || &p[..depth] != prefix || !p.ends_with(suffix) {
                continue;
            }
            match level.last_mut() {
                Some((key, cols)) if *key == p[depth] => cols.push(k),
                _ => level.push((&p[depth], vec![k])),
            }
        }
        let mut items: Vec<(usize, bool)> = Vec::new();
        for (key, cols) in &level {
            let own = depth + 1 + suffix.len();
            let subtotal = cols
                .iter()
                .copied()
                .find(|&k| headers[k].len() == own + 1 && is_total(&headers[k][depth + 1]));
            match (cols.as_slice(), subtotal) {
                ([k], _) if headers[*k].len() == own => items.push((*k, is_total(key))),
                (_, Some(k)) => items.push((k, false)),
                // a group without its own 小计: its leaves
                _ => items.extend(cols.iter().map(|&k| (k, false))),
            }
        }
        let totals = items.iter().filter(|i| i.1).count();
        if totals == 1 {
            let (total, _) = *items.iter().find(|i| i.1).expect("one total");
            let parts: Vec<usize> = items.iter().filter(|i| !i.1).map(|i| i.0).collect();
            if !parts.is_empty() {
                out.push((total, parts));
            }
        } else if items.first().is_some_and(|i| i.1) {
            out.extend(heads(&items));
        }
    }
    out
}

/// A two-sided table's last 总计 row on each side (else 收入合计 and 支出合计), column by
/// column.
fn sides(t: &Table) -> Vec<Identity> {
    let last = |pred: &dyn Fn(&str) -> bool| -> Vec<(usize, usize)> {
        t.sides
            .iter()
            .enumerate()
            .filter_map(|(s, side)| {
                side.rows
                    .iter()
                    .rposition(|r| r.code.is_none() && pred(enumerated(&r.name).1))
                    .map(|r| (s, r))
            })
            .collect()
    };
    let mut pair = last(&|n| n.ends_with("总计"));
    if pair.len() != 2 {
        let income = last(&|n| n.ends_with("合计") && n.contains("收入"));
        let spend = last(&|n| n.ends_with("合计") && n.contains("支出"));
        pair = income.into_iter().chain(spend).collect();
        if pair.len() != 2 || pair[0].0 == pair[1].0 {
            return Vec::new();
        }
    }
    let (a, b) = (pair[0], pair[1]);
    let n = t.sides[a.0].columns.len().min(t.sides[b.0].columns.len());
    if t.sides[a.0].columns.len() != t.sides[b.0].columns.len() {
        return Vec::new();
    }
    (0..n)
        .filter_map(|col| {
            check(
                t,
                Kind::Sides,
                CellRef {
                    side: b.0,
                    row: b.1,
                    col,
                },
                vec![CellRef {
                    side: a.0,
                    row: a.1,
                    col,
                }],
            )
        })
        .collect()
}

impl Auditor<'_> {
    /// Every table as read: its identities counted, and each one that does not hold reported
    /// where the total is printed, unless the text-based table checks already did. A table
    /// where most identities fail was not read as printed (cells in the wrong column): its
    /// failures say so in the counts, not as errors of the document.
    pub(crate) fn read_tables(&mut self) {
        let src = self.src;
        for t in &src.tables {
            let ids = identities(t);
            let held = ids.iter().filter(|i| i.held).count();
            self.identities.push((ids.len(), held));
            self.evaluated += ids.len();
            if !read_as_printed(ids.len(), held) || self.table_reported(t) {
                continue;
            }
            // a row that does not foot across also breaks the sums down its columns: those
            // are reported once, at the row
            let unfooted: Vec<(usize, usize)> = ids
                .iter()
                .filter(|i| !i.held && i.kind == Kind::Columns)
                .map(|i| (i.total.side, i.total.row))
                .collect();
            for id in ids.iter().filter(|i| !i.held) {
                let rows = std::iter::once(id.total).chain(id.parts.iter().copied());
                let consequence = id.kind != Kind::Columns
                    && rows.clone().any(|c| unfooted.contains(&(c.side, c.row)));
                if !consequence {
                    self.report_identity(t, id);
                }
            }
        }
    }

    /// Whether the template's table checks (tables.rs) already found a sum that fails in this
    /// table: they know which cell is the culprit, and the identities that fail with it here
    /// are its consequences.
    fn table_reported(&self, t: &Table) -> bool {
        let lines: std::collections::BTreeSet<(Option<usize>, usize)> = t
            .rows()
            .map(|(_, r)| {
                let l = &self.src.lines[r.line];
                (l.page, l.line)
            })
            .collect();
        self.findings.iter().any(|f| {
            f.rule == "audit.table_sum"
                && f.location
                    .line
                    .is_some_and(|l| lines.contains(&(f.location.page, l)))
        })
    }

    /// Where a value cell is: its line's paragraph, at the value when the paragraph prints it.
    pub(crate) fn cell_at(&self, v: &Value) -> Option<At> {
        let at = self.line_at(v.line)?;
        let text: String = v.text.chars().map(normalize_char).collect();
        let offset = self.paras[at.para].text[at.offset..]
            .find(text.trim())
            .map_or(at.offset, |o| at.offset + o);
        Some(At {
            para: at.para,
            offset,
        })
    }

    fn report_identity(&mut self, t: &Table, id: &Identity) {
        let Some(total) = value(t, id.total) else {
            return;
        };
        let Some(at) = self.cell_at(total) else {
            return;
        };
        let location = self.location(at);
        if self.findings.iter().any(|f| {
            f.rule == "audit.table_sum"
                && f.location.line == location.line
                && f.location.page == location.page
        }) {
            return;
        }
        let unit = match t.unit {
            juesuan_read::Unit::Wan => "万元",
            juesuan_read::Unit::Yuan => "元",
            juesuan_read::Unit::Unknown => "",
        };
        let row = &t.sides[id.total.side].rows[id.total.row];
        let name = match &row.code {
            Some(c) => format!("{c} {}", row.name),
            None => row.name.clone(),
        };
        let header: Vec<String> = t.sides[id.total.side]
            .columns
            .get(id.total.col)
            .map(|&c| {
                t.columns[c]
                    .header
                    .iter()
                    .map(|h| juesuan_read::table::squeeze(h))
                    .collect()
            })
            .unwrap_or_default();
        let column = header.last().cloned().unwrap_or_default();
        let cell = if name.is_empty() {
            // a one-row table: the column's whole header says which cell
            format!("“{}”栏", header.join("/"))
        } else if column.is_empty() || t.sides[id.total.side].columns.len() == 1 {
            format!("“{name}”")
        } else {
            format!("“{name}”行“{column}”栏")
        };
        let parts = match id.kind {
            Kind::Codes => format!("其下{}个科目之和", id.parts.len()),
            Kind::ClassTotal => format!("{}个类之和", id.parts.len()),
            Kind::Items => format!("所含{}项之和", id.parts.len()),
            Kind::Columns => format!("其后{}栏之和", id.parts.len()),
            Kind::Sides => "另一方的总计".to_string(),
        };
        let related: Vec<At> = id
            .parts
            .iter()
            .filter_map(|&p| value(t, p))
            .filter_map(|v| self.cell_at(v))
            .collect();
        let sum = show(&id.sum, total_decimals(&total.text));
        self.report(
            "audit.table_sum",
            Severity::Error,
            format!(
                "{}中{cell}为{}{unit}，但{parts}为{sum}{unit}",
                t.title, total.text
            ),
            at,
            Some(format!("{}{unit}", total.text)),
            Some(format!("{sum}{unit}")),
            &related,
            None,
        );
    }
}

/// Whether a table's identities show it was read as printed: at least two hold, and at
/// least three of four.
pub(crate) fn read_as_printed(total: usize, held: usize) -> bool {
    held >= 2 && held * 4 >= total * 3
}

fn total_decimals(text: &str) -> u32 {
    text.rsplit_once('.').map_or(0, |(_, f)| f.len() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enumerators() {
        assert_eq!(enumerated("一、财政拨款"), (1, "财政拨款"));
        assert_eq!(enumerated("十二、农林水支出"), (1, "农林水支出"));
        assert_eq!(enumerated("1.一般公共预算"), (2, "一般公共预算"));
        assert_eq!(enumerated("（一）基本支出"), (2, "基本支出"));
        assert_eq!(enumerated("上年结转"), (0, "上年结转"));
        assert_eq!(enumerated("2019年预算"), (0, "2019年预算"));
        assert!(is_total_name("当年收入小计"));
        assert!(is_total_name("总计"));
        assert!(!is_total_name("其中：小计"));
    }

    #[test]
    fn intervals_follow_the_printed_digits() {
        let a = amount("12.5").unwrap();
        assert!(a.contains(Ratio::new(1246, 100).unwrap()));
        assert!(!a.contains(Ratio::new(1256, 100).unwrap()));
        assert!(amount("3").unwrap().contains(Ratio::new(34, 10).unwrap()));
    }

    fn table(text: &str) -> Table {
        let src = juesuan_read::Source::from_text("t.txt", text);
        assert_eq!(src.tables.len(), 1, "{text}");
        src.tables[0].clone()
    }

    fn held(t: &Table) -> (usize, usize) {
        let ids = identities(t);
        (ids.iter().filter(|i| i.held).count(), ids.len())
    }

    const CODED: &str = "表5 一般公共预算财政拨款支出决算表\n单位：万元\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n\t合计\t100.00\t60.00\t40.00\n201\t一般公共服务支出\t100.00\t60.00\t40.00\n20101\t人大事务\t100.00\t60.00\t40.00\n2010101\t行政运行\t60.00\t60.00\t0.00\n2010102\t一般行政管理事务\t40.00\t\t40.00\n";

    #[test]
    fn a_coded_table_foots_down_and_across() {
        // 201 = 20101, 20101 = Σ项, 合计 = Σ类: 3 × 3 columns; 合计 = 基本 + 项目: 5 rows
        assert_eq!(held(&table(CODED)), (14, 14));
        let t = table(&CODED.replace("\t40.00\t\t40.00", "\t41.00\t\t40.00"));
        let ids = identities(&t);
        let failed: Vec<&Identity> = ids.iter().filter(|i| !i.held).collect();
        // 20101 ≠ Σ项 in 合计 column, and the 2010102 row ≠ 基本 + 项目
        assert_eq!(failed.len(), 2, "{failed:#?}");
        assert!(failed
            .iter()
            .any(|i| i.kind == Kind::Codes && i.total.row == 2));
        assert!(failed
            .iter()
            .any(|i| i.kind == Kind::Columns && i.total.row == 4));
    }

    #[test]
    fn rounding_never_breaks_an_identity() {
        // 0.33 + 0.33 + 0.33 printed for 1.00 split in three: within 3 × 0.005 + 0.005
        let t =
            table("表1 支出表\n单位：万元\n项目\t合计\t甲\t乙\t丙\n合计\t1.00\t0.33\t0.33\t0.33\n");
        assert_eq!(held(&t), (1, 1));
        let t =
            table("表1 支出表\n单位：万元\n项目\t合计\t甲\t乙\t丙\n合计\t1.03\t0.33\t0.33\t0.33\n");
        assert_eq!(held(&t), (0, 1));
    }

    #[test]
    fn the_wide_three_public_table_heads_its_groups() {
        // 合计 = 三公小计 + 会议费 + 培训费; 三公小计 = 出国 + 车辆小计 + 接待; 车辆 = 购置 + 运行
        let text = "一般公共预算“三公”经费、会议费、培训费支出预算表\n单位：万元\n合计\t“三公”经费\t“三公”经费\t“三公”经费\t“三公”经费\t“三公”经费\t“三公”经费\t会议费\t培训费\n合计\t小计\t因公出国（境）费\t公务用车购置及运行维护费\t公务用车购置及运行维护费\t公务用车购置及运行维护费\t公务接待费\t会议费\t培训费\n合计\t小计\t因公出国（境）费\t小计\t公务用车购置费\t公务用车运行维护费\t公务接待费\t会议费\t培训费\n1,452.35\t584.35\t110.00\t317.80\t50.00\t267.80\t156.55\t168.00\t700.00\n";
        let t = table(text);
        assert_eq!(t.sides.len(), 1, "{:#?}", t.columns);
        assert_eq!(held(&t), (3, 3), "{:#?}", t.columns);
        assert_eq!(
            held(&table(&text.replace("\t50.00\t", "\t60.00\t"))),
            (2, 3)
        );
    }

    #[test]
    fn a_total_over_budget_and_final_columns_heads_its_own_kind() {
        // 合计/预算数 = 出国/预算数 + 车辆小计/预算数 + 接待/预算数, the same for 决算数
        let text = "财政拨款“三公”经费支出决算表\n单位：万元\n合计\t合计\t因公出国（境）费\t因公出国（境）费\t公务用车购置及运行维护费\t公务用车购置及运行维护费\t公务用车购置及运行维护费\t公务用车购置及运行维护费\t公务接待费\t公务接待费\n合计\t合计\t因公出国（境）费\t因公出国（境）费\t小计\t小计\t公务用车购置费\t公务用车运行维护费\t公务接待费\t公务接待费\n预算数\t决算数\t预算数\t决算数\t预算数\t决算数\t决算数\t决算数\t预算数\t决算数\n66.00\t25.18\t0.00\t0.00\t60.00\t23.95\t0.00\t23.95\t6.00\t1.23\n";
        let t = table(text);
        assert_eq!(held(&t), (3, 3), "{:#?}", t.columns);
        assert_eq!(held(&table(&text.replace("\t6.00\t", "\t7.00\t"))), (2, 3));
    }

    #[test]
    fn a_row_named_again_is_a_breakdown_of_the_row_above() {
        let text = "财政拨款收入支出决算总表\n单位：万元\n项目\t决算数\n一般公共预算财政拨款\t100.00\n政府性基金预算财政拨款\t0.00\n本年收入合计\t100.00\n年初财政拨款结转和结余\t7.00\n一般公共预算财政拨款\t6.00\n政府性基金预算财政拨款\t1.00\n总计\t107.00\n";
        let t = table(text);
        // 本年收入合计; 年初结转 = its two; 总计 = 本年收入合计 + 年初结转
        assert_eq!(held(&t), (3, 3));
    }

    #[test]
    fn totals_before_their_items_and_after_them() {
        // 收入总计 first, each 小计 before its items
        let first = "收入预算总表\n单位：万元\n项目名称\t金额\n收入总计\t120.00\n一般公共预算资金小计\t100.00\n公共财政拨款（补助）资金\t90.00\n专项收入\t10.00\n其他资金小计\t20.00\n事业收入\t20.00\n";
        assert_eq!(held(&table(first)), (3, 3));
        // items, then 小计, then 结转, then 合计; sub-items under an enumerated row
        let after = "收支预算总表\n单位：万元\n项目\t金额\t项目\t金额\n一、财政拨款\t100.00\t一、一般公共服务支出\t110.00\n1.一般公共预算\t80.00\t二、住房保障支出\t10.00\n2.政府性基金预算\t20.00\t当年支出小计\t120.00\n二、其他资金\t10.00\t结转下年资金\t0.00\n当年收入小计\t110.00\t\t\n上年结转资金\t10.00\t\t\n收入合计\t120.00\t支出合计\t120.00\n";
        let t = table(after);
        assert_eq!(t.sides.len(), 2);
        // 一、= 1.+2.; 当年收入小计; 收入合计; 当年支出小计; 支出合计; 收入合计 = 支出合计
        assert_eq!(held(&t), (6, 6));
        let ids = identities(&table(
            &after.replace("收入合计\t120.00", "收入合计\t121.00"),
        ));
        let failed: Vec<Kind> = ids.iter().filter(|i| !i.held).map(|i| i.kind).collect();
        assert_eq!(failed, [Kind::Items, Kind::Sides]);
    }

    #[test]
    fn a_misread_table_is_not_blamed_on_the_document() {
        assert!(read_as_printed(14, 13));
        assert!(!read_as_printed(3, 0));
        assert!(!read_as_printed(1, 0));
        assert!(!read_as_printed(8, 5));
    }

    #[test]
    fn heads_claim_what_follows() {
        // 总计 | 上年结转 | 小计 | 一般公共预算 | 政府性基金
        let items = [(0, true), (1, false), (2, true), (3, false), (4, false)];
        let h = heads(&items);
        assert_eq!(h, vec![(2, vec![3, 4]), (0, vec![1, 2])]);
    }
}
