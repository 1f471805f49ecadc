//! The tables of a document: found by their titles ("收入支出决算总表", "公开01表 收支预算总表",
//! "表5 一般公共预算财政拨款支出决算表", "（续表）"), read from their cell grid into header
//! columns (the path of merged header cells above each column), sides (a two-sided table —
//! 收入 | 支出 — has one per label column) and rows (code, name, one value per column).
//!
//! A line is a title when it names a table (…表, short, no sentence punctuation, not a 目录
//! entry) and a table follows it: a unit line, a ruled grid or a row of cells. A table ends at
//! the next title, at prose, or at a page that does not continue it.

use crate::cell::{self, Kind};
use crate::grid::{self, Grid};
use crate::lines::VisualLine;
use crate::{Format, PageLayout, SourceLine};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// 单位：万元
    Wan,
    /// 单位：元
    Yuan,
    /// Not printed.
    Unknown,
}

/// What a grid column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Names of rows (项目, 科目名称).
    Label,
    /// Classification codes in one column (科目编码).
    Code,
    /// One level of a code split into columns: 0 = 类, 1 = 款, 2 = 项.
    CodePart(u8),
    /// 行次 / 栏次 / 序号.
    RowNumber,
    /// Figures.
    Value,
}

#[derive(Clone, Debug, Serialize)]
pub struct Column {
    /// The header cells above the column, outermost first ("财政拨款“三公”经费", "公务接待费",
    /// "预算数").
    pub header: Vec<String>,
    pub role: Role,
}

/// A printed value cell.
#[derive(Clone, Debug, Serialize)]
pub struct Value {
    pub text: String,
    pub kind: Kind,
    /// Index into `Source::lines` of the line the value is printed on.
    pub line: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub code: Option<String>,
    /// As printed, spaces removed ("一、一般公共服务支出", "行政运行").
    pub name: String,
    /// One per value column of the side, in order.
    pub values: Vec<Value>,
    /// Index into `Source::lines` of the row's line.
    pub line: usize,
    pub page: Option<usize>,
}

/// The rows under one label column and the value columns after it.
#[derive(Clone, Debug, Serialize)]
pub struct Side {
    /// The header of the side's label column ("收入", "项目").
    pub label: Vec<String>,
    /// Indices into `Table::columns` of its value columns.
    pub columns: Vec<usize>,
    pub rows: Vec<Row>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Table {
    /// The table's name, spaces removed ("收入支出决算总表").
    pub title: String,
    /// Its number as printed ("公开01表", "表5"), if any.
    pub number: Option<String>,
    pub unit: Unit,
    pub pages: Vec<usize>,
    /// Index into `Source::lines` of the title.
    pub title_line: usize,
    pub columns: Vec<Column>,
    pub sides: Vec<Side>,
    /// Lines printed under the table ("注：本表反映…", "说明：…本表无数据").
    pub notes: Vec<String>,
    /// A note says the table has no data (空表说明).
    pub empty_note: bool,
}

impl Table {
    /// Rows of every side.
    pub fn rows(&self) -> impl Iterator<Item = (usize, &Row)> {
        self.sides
            .iter()
            .enumerate()
            .flat_map(|(s, side)| side.rows.iter().map(move |r| (s, r)))
    }

    /// Whether no value cell holds a figure other than zero (a 空表 may print 0.00s).
    pub fn is_empty(&self) -> bool {
        self.rows().all(|(_, r)| {
            r.values.iter().all(|v| match v.kind {
                Kind::Number => cell::number(&v.text)
                    .is_some_and(|n| n.chars().all(|c| matches!(c, '0' | '.' | '-'))),
                Kind::Percent => false,
                _ => true,
            })
        })
    }
}

/// Text with spaces removed and full-width digits, letters and brackets made ASCII.
pub fn squeeze(t: &str) -> String {
    t.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
                char::from_u32(c as u32 - 0xfee0).unwrap_or(c)
            }
            '(' => '（',
            ')' => '）',
            c => c,
        })
        .collect()
}

const CN: &str = "一二三四五六七八九十";

fn strip_prefix_num(t: &str) -> (&str, Option<&str>) {
    // 公开01表, 公开表一, 附表1, 表1, 表1-1, （01表）, 01表
    let chars: Vec<(usize, char)> = t.char_indices().collect();
    let at = |i: usize| chars.get(i).map(|(_, c)| *c);
    let byte = |i: usize| chars.get(i).map_or(t.len(), |(b, _)| *b);
    // one kind of numeral: "表5一般…" is 表5 then 一般…
    let digits = |mut i: usize| {
        let chinese = at(i).is_some_and(|c| CN.contains(c));
        while at(i).is_some_and(|c| {
            if chinese {
                CN.contains(c)
            } else {
                c.is_ascii_digit() || c == '-'
            }
        }) {
            i += 1;
        }
        i
    };
    let mut i = 0;
    let mut bracket = false;
    if at(0) == Some('（') || at(0) == Some('【') {
        bracket = true;
        i = 1;
    }
    let start = i;
    if t[byte(i)..].starts_with("公开") {
        i += 2;
        if at(i) == Some('表') {
            i = digits(i + 1);
        } else {
            let j = digits(i);
            if j > i && at(j) == Some('表') {
                i = j + 1;
            } else {
                return (t, None);
            }
        }
    } else if t[byte(i)..].starts_with("附表") {
        i = digits(i + 2);
    } else if at(i) == Some('表') && at(i + 1).is_some_and(|c| c.is_ascii_digit() || CN.contains(c))
    {
        i = digits(i + 1);
    } else if at(i).is_some_and(|c| c.is_ascii_digit()) {
        let j = digits(i);
        if at(j) == Some('表') {
            i = j + 1;
        } else {
            return (t, None);
        }
    } else {
        return (t, None);
    }
    let number = &t[byte(start)..byte(i)];
    if bracket && matches!(at(i), Some('）') | Some('】')) {
        i += 1;
    }
    while at(i).is_some_and(|c| matches!(c, '：' | ':' | '、' | '.' | '．')) {
        i += 1;
    }
    (&t[byte(i)..], Some(number))
}

/// An enumerator that 目录 entries and headings carry ("一、", "（五）", "5.").
fn strip_enumerator(t: &str) -> &str {
    let mut chars = t.char_indices().peekable();
    let mut end = 0;
    let first = chars.peek().map(|(_, c)| *c);
    if first == Some('（') {
        chars.next();
        let mut n = 0;
        while let Some((_, c)) = chars.peek() {
            if c.is_ascii_digit() || CN.contains(*c) {
                chars.next();
                n += 1;
            } else {
                break;
            }
        }
        if n > 0 {
            if let Some((i, '）')) = chars.peek().copied() {
                end = i + '）'.len_utf8();
            }
        }
    } else {
        let mut n = 0;
        let mut last = 0;
        while let Some((i, c)) = chars.peek().copied() {
            if c.is_ascii_digit() || CN.contains(c) {
                chars.next();
                n += 1;
                last = i + c.len_utf8();
            } else {
                break;
            }
        }
        if n > 0 {
            if let Some((i, c)) = chars.peek().copied() {
                if matches!(c, '、' | '.' | '．') {
                    end = i + c.len_utf8();
                }
            }
            let _ = last;
        }
    }
    &t[end..]
}

/// (number, name, continued) when `t` (squeezed) names a table.
fn title_of(t: &str) -> Option<(Option<String>, String, bool)> {
    let (rest, number) = strip_prefix_num(t);
    let rest = strip_enumerator(rest);
    let mut name = rest.to_string();
    let mut continued = false;
    for s in ["（续表）", "（续）", "续表", "（续"] {
        if let Some(n) = name.strip_suffix(s) {
            name = n.to_string();
            continued = true;
        }
    }
    if let Some(n) = name.strip_prefix("续表") {
        name = n.to_string();
        continued = true;
    }
    // "财政拨款支出预算表（功能科目）": the qualifier after the name is not part of it
    if name.ends_with('）') {
        if let Some(i) = name.rfind('（') {
            if name[..i].ends_with('表') && name[i..].chars().count() <= 12 {
                name.truncate(i);
            }
        }
    }
    // "2019年度" / an entity before the name is kept: titles are matched by their ending
    let n = name.chars().count();
    let ok = name.ends_with('表')
        && (3..=45).contains(&n)
        && !name.contains(['，', '。', '；', '…', '：'])
        && !name.contains("部分")
        && !name.contains("说明")
        && !name.contains("附后")
        && !name.contains("见附");
    ok.then(|| (number.map(str::to_string), name, continued))
}

/// The table a 目录 entry names ("十一、一般公共预算“三公”经费支出预算表……12" →
/// "一般公共预算“三公”经费支出预算表"), without its number, leader dots and page.
pub fn contents_entry(line: &str) -> Option<String> {
    let t = squeeze(line);
    let t = t.trim_end_matches(|c: char| c.is_ascii_digit());
    let t = t.trim_end_matches(['.', '…', '·', '-', '—', '．']);
    title_of(t).map(|(_, name, _)| name)
}

/// A line standing alone for a table's number ("公开01表", "表5").
fn number_only(t: &str) -> Option<String> {
    let (rest, number) = strip_prefix_num(t);
    (rest.is_empty()).then_some(number?.to_string())
}

fn is_meta(t: &str) -> bool {
    t.starts_with("单位") && t.contains('元')
        || t.starts_with("金额单位")
        || t.starts_with("部门：")
        || t.starts_with("部门:")
        || t.starts_with("编制单位")
        || t.starts_with("单位名称：")
        || t.starts_with("部门名称")
        // "单位：万" / "元": a unit wrapped over two lines
        || (t.starts_with("单位：") && t.chars().count() <= 6)
        || t.starts_with("（单位")
        || number_only(t).is_some()
        || (t.contains("单位：") && t.ends_with("元"))
}

fn unit_of(t: &str) -> Option<Unit> {
    let i = t.find("单位")?;
    let rest = &t[i..];
    if rest.contains("万元") || rest.ends_with('万') {
        Some(Unit::Wan)
    } else if rest.contains('元') {
        Some(Unit::Yuan)
    } else {
        None
    }
}

fn is_page_number(t: &str) -> bool {
    let core = t
        .trim_matches(|c: char| c == '-' || c == '—' || c == '－' || c.is_whitespace())
        .trim_start_matches('第')
        .trim_end_matches('页');
    !core.is_empty() && core.len() <= 4 && core.chars().all(|c| c.is_ascii_digit())
}

fn is_note(t: &str) -> bool {
    ["注：", "注:", "注1", "说明：", "说明:", "备注", "注释"]
        .iter()
        .any(|p| t.starts_with(p))
        || (t.starts_with("本表") && t.contains('。'))
}

fn is_prose(t: &str) -> bool {
    t.contains('。')
        || (t.contains('，') && t.chars().count() >= 16)
        || t.starts_with("第") && t.contains("部分")
}

fn says_empty(t: &str) -> bool {
    [
        "无数据",
        "为空表",
        "空表",
        "无此项",
        "无相关",
        "本表无",
        "故本表",
        "没有政府性基金",
        "没有国有资本",
        "未发生",
    ]
    .iter()
    .any(|w| t.contains(w))
        || (t.contains("没有") && (t.contains("收入") || t.contains("支出")))
}

/// Cells a line has when cut at its layout gaps.
fn cells(line: &SourceLine) -> usize {
    if line.docx_row.is_some() || line.text.contains('\t') {
        return line
            .text
            .split('\t')
            .filter(|c| !c.trim().is_empty())
            .count();
    }
    line.text
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| {
            // a figure and a name with one space between are two cells
            let toks: Vec<&str> = c.split(' ').collect();
            1 + toks
                .windows(2)
                .filter(|w| cell::is_value(w[0]) || cell::is_value(w[1]))
                .count()
        })
        .sum()
}

struct Ctx<'a> {
    lines: &'a [SourceLine],
    sq: Vec<String>,
    format: Format,
    pages: &'a [PageLayout],
}

impl Ctx<'_> {
    fn page(&self, i: usize) -> usize {
        self.lines[i].page.unwrap_or(1)
    }

    /// Rules of the page of line `i` that lie between y0 and y1.
    fn rules_between(&self, i: usize, y0: f32, y1: f32) -> Vec<crate::pdf::Rule> {
        let Some(p) = self.pages.get(self.page(i).saturating_sub(1)) else {
            return Vec::new();
        };
        p.rules
            .iter()
            .filter(|r| r.y1 >= y0 - 1.0 && r.y0 <= y1 + 1.0)
            .copied()
            .collect()
    }

    fn em(&self, i: usize) -> f32 {
        self.pages
            .get(self.page(i).saturating_sub(1))
            .map_or(10.0, |p| p.em.max(1.0))
    }

    /// Whether line `i` is in the body of a table: a DOCX table row, inside a ruled area of
    /// its PDF page, or a run of at least two cells.
    fn tabular(&self, i: usize) -> bool {
        let l = &self.lines[i];
        if l.docx_row.is_some() {
            return true;
        }
        if let Some(g) = &l.geom {
            let inside = self
                .rules_between(i, g.y0, g.y1)
                .iter()
                .filter(|r| !r.horizontal() && r.y0 <= g.y0 + 1.0 && r.y1 >= g.y1 - 1.0)
                .count();
            if inside >= 2 {
                return true;
            }
        }
        cells(l) >= 2
    }

    /// The title at line `i`: (number, name, continued, lines it takes).
    fn title(&self, i: usize) -> Option<(Option<String>, String, bool, usize)> {
        let t = &self.sq[i];
        if t.is_empty() || self.lines[i].docx_row.is_some() {
            return None;
        }
        // "公开01表" on its own line, the name on the next
        if let Some(num) = number_only(t) {
            let j = self.next_nonempty(i + 1, 2)?;
            let (_, name, cont) = title_of(&self.sq[j])?;
            return Some((Some(num), name, cont, j + 1 - i));
        }
        let Some((num, name, cont)) = title_of(t) else {
            // "公开09表：一般公共预算“三公”经费、会议费、培训费" / "支出预算表"
            // "十一、一般公共预算“三公”经费、会议费、培训费支出预" / "算表"
            let (rest, num) = strip_prefix_num(t);
            let numbered = num.is_some() || strip_enumerator(rest).len() < rest.len();
            let j = self.next_nonempty(i + 1, 1)?;
            if !numbered || rest.is_empty() || self.sq[j].chars().count() > 12 {
                return None;
            }
            let joined = format!("{t}{}", self.sq[j]);
            let (num, name, cont) = title_of(&joined)?;
            return Some((num, name, cont, j + 1 - i));
        };
        // a title followed by its number on the next line ("收支预算总表" / "公开表三")
        let mut used = 1;
        let mut num = num;
        if num.is_none() {
            if let Some(j) = self.next_nonempty(i + 1, 1) {
                if let Some(n) = number_only(&self.sq[j]) {
                    num = Some(n);
                    used = j + 1 - i;
                }
            }
        }
        Some((num, name, cont, used))
    }

    fn next_nonempty(&self, from: usize, within: usize) -> Option<usize> {
        (from..self.lines.len())
            .filter(|&j| !self.sq[j].is_empty() && !is_page_number(&self.sq[j]))
            .take(within)
            .next()
    }

    /// Whether a table's body follows line `i` (skipping unit and 部门 lines).
    fn body_follows(&self, i: usize) -> bool {
        let mut seen = 0;
        for j in i..self.lines.len() {
            let t = &self.sq[j];
            if t.is_empty() || is_page_number(t) {
                continue;
            }
            if is_meta(t) {
                seen += 1;
                if unit_of(t).is_some() && self.format != Format::Txt {
                    // "单位：万元" right under a title is a table's furniture
                    return self.next_nonempty(j + 1, 1).is_some_and(|k| {
                        self.title(k).is_none() && (self.tabular(k) || !is_prose(&self.sq[k]))
                    });
                }
                if seen > 4 {
                    return false;
                }
                continue;
            }
            return self.title(j).is_none() && self.tabular(j) && !is_prose(t);
        }
        false
    }
}

/// Finds the tables of a document and marks their lines.
pub(crate) fn find(
    lines: &mut [SourceLine],
    format: Format,
    pages: &[PageLayout],
    grids: &[Grid],
) -> Vec<Table> {
    let sq: Vec<String> = lines.iter().map(|l| squeeze(&l.text)).collect();
    let ctx = Ctx {
        lines,
        sq,
        format,
        pages,
    };
    let mut tables: Vec<Table> = Vec::new();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    let n = ctx.lines.len();
    while i < n {
        let Some((number, name, continued, used)) = ctx.title(i) else {
            i += 1;
            continue;
        };
        if !ctx.body_follows(i + used) {
            i += used;
            continue;
        }
        let title_line = i;
        let mut unit = Unit::Unknown;
        for k in i..i + used {
            unit = unit_of(&ctx.sq[k]).unwrap_or(unit);
        }
        // the body: lines until the next title, prose, or a page that does not continue it
        let mut j = i + used;
        let mut body: Vec<usize> = Vec::new();
        let mut notes: Vec<String> = Vec::new();
        let mut last = j.saturating_sub(1);
        while j < n {
            let t = &ctx.sq[j];
            if t.is_empty() || is_page_number(t) {
                j += 1;
                continue;
            }
            if ctx.title(j).is_some() && !body.is_empty() {
                break;
            }
            if body.is_empty() && is_meta(t) {
                unit = unit_of(t).unwrap_or(unit);
                last = j;
                j += 1;
                continue;
            }
            if is_note(t) && !ctx.tabular(j) {
                notes.push(t.clone());
                last = j;
                j += 1;
                continue;
            }
            if !notes.is_empty() {
                // after the notes only more notes: "说明：…" continued on a second line
                let open = notes
                    .last()
                    .is_some_and(|n| !n.ends_with(['。', '；', '.', ';']));
                let heading = strip_enumerator(t).len() != t.len();
                if open
                    && !heading
                    && !is_prose(t)
                    && !ctx.tabular(j)
                    && t.chars().count() < 60
                    && !body.is_empty()
                {
                    if let Some(n) = notes.last_mut() {
                        n.push_str(t);
                    }
                    last = j;
                    j += 1;
                    continue;
                }
                break;
            }
            let new_page = body.last().is_some_and(|&b| ctx.page(b) != ctx.page(j));
            if new_page && !ctx.tabular(j) && !is_meta(t) {
                break;
            }
            if is_meta(t) {
                unit = unit_of(t).unwrap_or(unit);
                last = j;
                j += 1;
                continue;
            }
            if is_prose(t) && !ctx.tabular(j) {
                break;
            }
            if format == Format::Docx && ctx.lines[j].docx_row.is_none() {
                break;
            }
            if format == Format::Docx
                && body
                    .last()
                    .and_then(|&b| ctx.lines[b].docx_row)
                    .zip(ctx.lines[j].docx_row)
                    .is_some_and(|(a, b)| a.0 != b.0)
            {
                break;
            }
            // a heading line between tables ("二、…情况说明") in plain text
            if !ctx.tabular(j) && format != Format::Pdf && cells(&ctx.lines[j]) <= 1 {
                let next_tab = ctx
                    .next_nonempty(j + 1, 1)
                    .is_some_and(|k| ctx.tabular(k) && ctx.title(k).is_none());
                if !next_tab {
                    break;
                }
            }
            body.push(j);
            last = j;
            j += 1;
        }
        if body.is_empty() {
            i += used;
            continue;
        }
        if let Some(u) = body.iter().find_map(|&b| unit_of(&ctx.sq[b])) {
            unit = u;
        }
        let empty_note = notes.iter().any(|t| says_empty(t));
        let mut table = Table {
            title: name,
            number,
            unit,
            pages: Vec::new(),
            title_line,
            columns: Vec::new(),
            sides: Vec::new(),
            notes,
            empty_note,
        };
        read_body(&ctx, &body, grids, &mut table);
        table.pages = {
            let mut p: Vec<usize> = std::iter::once(title_line)
                .chain(body.iter().copied())
                .map(|l| ctx.page(l))
                .collect();
            p.dedup();
            p
        };
        // a 续表 of the table before it: its rows join that table
        let merged = continued
            && tables.last().is_some_and(|prev: &Table| {
                prev.title == table.title && prev.sides.len() == table.sides.len()
            });
        if merged {
            if let Some(prev) = tables.last_mut() {
                for (s, side) in table.sides.into_iter().enumerate() {
                    prev.sides[s].rows.extend(side.rows);
                }
                prev.pages.extend(table.pages);
                prev.pages.dedup();
                prev.notes.extend(table.notes);
                prev.empty_note |= table.empty_note;
            }
            if let Some(s) = spans.last_mut() {
                s.1 = last;
            }
        } else {
            tables.push(table);
            spans.push((title_line, last));
        }
        i = last + 1;
    }
    for (t, (a, b)) in spans.into_iter().enumerate() {
        for l in &mut lines[a..=b] {
            l.table = Some(t);
        }
    }
    tables
}

/// The grid of each page's part of the body, interpreted and joined.
fn read_body(ctx: &Ctx, body: &[usize], grids: &[Grid], table: &mut Table) {
    // DOCX: the table's own grid
    if ctx.format == Format::Docx {
        let Some((t, _)) = ctx.lines[body[0]].docx_row else {
            return;
        };
        let Some(g) = grids.get(t) else { return };
        // grid rows → source lines
        let row_line: Vec<usize> = (0..g.nrows)
            .map(|r| {
                body.iter()
                    .copied()
                    .find(|&b| ctx.lines[b].docx_row == Some((t, r)))
                    .unwrap_or(body[0])
            })
            .collect();
        interpret(
            g,
            &|gl| row_line.get(gl).copied().unwrap_or(body[0]),
            ctx,
            table,
        );
        return;
    }
    // one segment per page
    let mut segments: Vec<Vec<usize>> = Vec::new();
    for &b in body {
        match segments.last_mut() {
            Some(s) if ctx.page(s[0]) == ctx.page(b) => s.push(b),
            _ => segments.push(vec![b]),
        }
    }
    for seg in segments {
        let grid = segment_grid(ctx, &seg);
        let map = |gl: usize| seg.get(gl).copied().unwrap_or(seg[0]);
        let mut part = Table {
            columns: Vec::new(),
            sides: Vec::new(),
            ..table.clone()
        };
        interpret(&grid, &map, ctx, &mut part);
        if table.sides.is_empty() {
            table.columns = part.columns;
            table.sides = part.sides;
        } else if part.sides.len() == table.sides.len() {
            // a continuation page: same sides; its own header (if any) is dropped
            for (s, side) in part.sides.into_iter().enumerate() {
                let width = table.sides[s].columns.len();
                for mut r in side.rows {
                    r.values.resize(
                        width,
                        Value {
                            text: String::new(),
                            kind: Kind::Blank,
                            line: r.line,
                        },
                    );
                    table.sides[s].rows.push(r);
                }
            }
        }
    }
}

fn segment_grid(ctx: &Ctx, seg: &[usize]) -> Grid {
    let geoms: Vec<VisualLine> = seg
        .iter()
        .filter_map(|&l| ctx.lines[l].geom.clone())
        .collect();
    if geoms.len() == seg.len() && !geoms.is_empty() {
        let y0 = geoms.first().map_or(0.0, |g| g.y0);
        let y1 = geoms.last().map_or(0.0, |g| g.y1);
        let rules = ctx.rules_between(seg[0], y0 - 30.0, y1 + 30.0);
        if let Some(g) = grid::from_rules(&rules, &geoms) {
            return g;
        }
        let em = ctx.em(seg[0]);
        let body_from = geoms
            .iter()
            .position(|g| g.words.iter().any(|w| cell::is_value(&w.text)))
            .unwrap_or(0);
        return grid::from_positions(&geoms, body_from, em);
    }
    let texts: Vec<&str> = seg.iter().map(|&l| ctx.lines[l].text.as_str()).collect();
    grid::from_text(&texts)
}

fn is_enumerated(t: &str) -> bool {
    strip_enumerator(t).len() < t.len()
}

fn is_total_name(t: &str) -> bool {
    let t = strip_enumerator(t);
    t == "合计" || t == "总计" || t.ends_with("合计") || t.ends_with("总计") || t.ends_with("小计")
}

const LABEL_WORDS: [&str; 10] = [
    "项目",
    "名称",
    "科目",
    "单位",
    "功能分类",
    "经济分类",
    "预算单位",
    "支出功能",
    "部门",
    "内容",
];

/// Whether an empty column's header names labels: it ends with a label word ("项目名称",
/// "预算单位"); "附属单位上缴收入" names figures.
fn label_like(header: &[String]) -> bool {
    header.last().is_some_and(|h| {
        LABEL_WORDS.iter().any(|w| h.ends_with(w)) && !h.contains("合计") && !h.contains("金额")
    })
}

/// A grid row whose cells show it is a body row: figures, codes, enumerated or total names.
/// A name counts only outside the columns that hold figures: "合计" above a column of figures
/// is a header (the wide one-row 三公 table), "合计" beside them is a row.
fn body_signal(g: &Grid, r: usize, figure_cols: &[bool]) -> bool {
    g.row(r).any(|c| {
        let t = squeeze(&c.text);
        match cell::kind(&t) {
            Kind::Dash | Kind::Percent | Kind::Code => true,
            Kind::Number => t.contains('.') || t.contains(','),
            Kind::Text => {
                let over_figures = (c.col..c.col + c.colspan)
                    .any(|k| figure_cols.get(k).copied().unwrap_or(false));
                !over_figures
                    && (is_total_name(&t)
                        || (is_enumerated(&t) && !t.contains("栏次"))
                        || t.chars().take(7).all(|c| c.is_ascii_digit()) && t.len() > 7)
            }
            Kind::Blank => false,
        }
    })
}

/// Grid → columns, sides and rows. `line_of` maps a grid line index to a source line.
fn interpret(g: &Grid, line_of: &dyn Fn(usize) -> usize, ctx: &Ctx, table: &mut Table) {
    let mut figure_cols = vec![false; g.ncols];
    for c in &g.cells {
        let t = squeeze(&c.text);
        let figure = match cell::kind(&t) {
            Kind::Dash | Kind::Percent => true,
            Kind::Number => t.contains('.') || t.contains(','),
            _ => false,
        };
        if figure && c.colspan == 1 {
            if let Some(f) = figure_cols.get_mut(c.col) {
                *f = true;
            }
        }
    }
    let body_start = (0..g.nrows)
        .find(|&r| body_signal(g, r, &figure_cols))
        .unwrap_or(g.nrows);
    // 栏次 rows ("1 2 3 …", "栏次") are not headers
    let counter_row = |r: usize| {
        let texts: Vec<String> = g
            .row(r)
            .map(|c| squeeze(&c.text))
            .filter(|t| !t.is_empty())
            .collect();
        !texts.is_empty()
            && texts.iter().all(|t| {
                t.chars().all(|c| c.is_ascii_digit()) || t.contains("栏次") || t.contains("行次")
            })
    };
    let mut columns: Vec<Column> = (0..g.ncols)
        .map(|c| {
            let mut header: Vec<String> = Vec::new();
            for r in 0..body_start {
                if counter_row(r) {
                    continue;
                }
                if let Some(cell) = g.at(r, c) {
                    let t = squeeze(&cell.text);
                    if !t.is_empty() && header.last() != Some(&t) {
                        header.push(t);
                    }
                }
            }
            Column {
                header,
                role: Role::Value,
            }
        })
        .collect();
    // roles from the header and what the body holds
    for (c, col) in columns.iter_mut().enumerate() {
        let mut nums = 0;
        let mut codes = 0;
        let mut texts = 0;
        let mut ints = 0;
        let mut short_digits = 0;
        for r in body_start..g.nrows {
            let Some(cell) = g.row(r).find(|x| x.col == c) else {
                continue;
            };
            let t = squeeze(&cell.text);
            match cell::kind(&t) {
                Kind::Number | Kind::Dash | Kind::Percent => {
                    nums += 1;
                    if t.chars().all(|c| c.is_ascii_digit()) {
                        ints += 1;
                        if t.len() <= 2 {
                            short_digits += 1;
                        }
                    }
                }
                Kind::Code => codes += 1,
                Kind::Text => texts += 1,
                Kind::Blank => {}
            }
        }
        let h = col.header.join("");
        let leaf = col.header.last().map_or("", String::as_str);
        col.role = if h.contains("行次") || h.contains("栏次") || leaf == "序号" {
            Role::RowNumber
        } else if matches!(leaf, "类" | "款" | "项")
            && (h.contains("编码") || h.contains("科目") || codes + short_digits > 0)
        {
            Role::CodePart(match leaf {
                "类" => 0,
                "款" => 1,
                _ => 2,
            })
        } else if ((h.contains("编码") || h.contains("代码")) && texts <= codes)
            || (codes > 0 && codes >= texts && codes >= nums)
        {
            Role::Code
        } else if texts > nums || (nums == 0 && texts == 0 && label_like(&col.header)) {
            Role::Label
        } else if nums > 0 && ints == nums && nums >= 3 && consecutive(g, c, body_start) {
            Role::RowNumber
        } else {
            Role::Value
        };
    }
    // sides: a label column after a value column starts one
    let mut sides: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    let mut prev_value = true;
    let blank = |c: usize| {
        (body_start..g.nrows).all(|r| {
            g.row(r)
                .find(|x| x.col == c)
                .is_none_or(|x| squeeze(&x.text).is_empty())
        })
    };
    let label = |c: usize| {
        columns
            .get(c)
            .is_some_and(|x| matches!(x.role, Role::Label | Role::Code | Role::CodePart(_)))
    };
    for (c, col) in columns.iter().enumerate() {
        match col.role {
            // an empty gap between two label columns (a group's name and its items) is no
            // value column: it would split one side in two
            Role::Value if !prev_value && blank(c) && label(c + 1) => {}
            Role::Value => {
                if let Some(s) = sides.last_mut() {
                    s.1.push(c);
                } else {
                    sides.push((Vec::new(), vec![c]));
                }
                prev_value = true;
            }
            Role::RowNumber => {}
            _ => {
                if prev_value || sides.is_empty() {
                    sides.push((vec![c], Vec::new()));
                } else if let Some(s) = sides.last_mut() {
                    s.0.push(c);
                }
                prev_value = false;
            }
        }
    }
    let mut out_sides = Vec::new();
    for (labels, values) in sides {
        let label_header = labels
            .first()
            .map(|&c| columns[c].header.clone())
            .unwrap_or_default();
        let mut rows = Vec::new();
        let mut inherited: [Option<String>; 3] = [None, None, None];
        for r in body_start..g.nrows {
            let starts = |c: usize| g.row(r).find(|x| x.col == c);
            let mut name = String::new();
            let mut code: Option<String> = None;
            let mut parts: [Option<String>; 3] = [None, None, None];
            let mut line: Option<usize> = None;
            for &c in &labels {
                let Some(cell) = starts(c) else { continue };
                let t = squeeze(&cell.text);
                if t.is_empty() {
                    continue;
                }
                line = line.or(cell.line);
                match columns[c].role {
                    Role::Code if cell::is_code(&t) => code = Some(t),
                    Role::CodePart(k) => parts[k as usize] = Some(t),
                    _ => name.push_str(&t),
                }
            }
            if parts.iter().any(Option::is_some) {
                // 类 | 款 | 项 columns: a blank part is the one of the row above
                let mut full = String::new();
                for k in 0..3 {
                    match &parts[k] {
                        Some(p) => {
                            inherited[k] = Some(p.clone());
                            for q in inherited.iter_mut().skip(k + 1) {
                                *q = None;
                            }
                        }
                        None if parts[k + 1..].iter().any(Option::is_some) => {}
                        None => break,
                    }
                    if let Some(p) = &inherited[k] {
                        full.push_str(&if k == 0 {
                            p.clone()
                        } else {
                            format!("{:0>2}", p)
                        });
                    }
                }
                if cell::is_code(&full) {
                    code = Some(full);
                }
            }
            if code.is_none() {
                // "2010101 行政运行" in one cell
                let digits: String = name.chars().take_while(|c| c.is_ascii_digit()).collect();
                if cell::is_code(&digits) && name.len() > digits.len() {
                    code = Some(digits.clone());
                    name = name[digits.len()..].to_string();
                }
            }
            let mut vals = Vec::new();
            for &c in &values {
                let v = match starts(c) {
                    Some(cell) => {
                        let t = squeeze(&cell.text);
                        line = line.or(cell.line);
                        Value {
                            kind: cell::kind(&t),
                            text: t,
                            line: cell.line.map(line_of).unwrap_or(0),
                        }
                    }
                    None => Value {
                        text: String::new(),
                        kind: Kind::Blank,
                        line: 0,
                    },
                };
                vals.push(v);
            }
            let has_value = vals.iter().any(|v| v.kind != Kind::Blank);
            if name.is_empty() && code.is_none() && !has_value {
                continue;
            }
            let src_line = line.map(line_of).unwrap_or_else(|| line_of(r));
            for v in &mut vals {
                if v.kind == Kind::Blank {
                    v.line = src_line;
                }
            }
            rows.push(Row {
                code,
                name,
                values: vals,
                line: src_line,
                page: ctx.lines.get(src_line).and_then(|l| l.page),
            });
        }
        out_sides.push(Side {
            label: label_header,
            columns: values,
            rows,
        });
    }
    // a unit printed in a header cell ("金额（万元）")
    if table.unit == Unit::Unknown {
        for col in &columns {
            for h in &col.header {
                if h.contains("万元") {
                    table.unit = Unit::Wan;
                } else if h.contains("（元）") {
                    table.unit = Unit::Yuan;
                }
            }
        }
    }
    table.columns = columns;
    table.sides = out_sides;
}

fn consecutive(g: &Grid, c: usize, from: usize) -> bool {
    let v: Vec<u64> = (from..g.nrows)
        .filter_map(|r| g.row(r).find(|x| x.col == c))
        .filter_map(|x| squeeze(&x.text).parse().ok())
        .collect();
    v.len() >= 3 && v.windows(2).all(|w| w[1] == w[0] + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_in_the_ways_regions_number_them() {
        let t = |s: &str| title_of(&squeeze(s));
        assert_eq!(
            t("公开01表 收支预算总表"),
            Some((Some("公开01表".into()), "收支预算总表".into(), false))
        );
        assert_eq!(
            t("表5 一般公共预算财政拨款支出决算表"),
            Some((
                Some("表5".into()),
                "一般公共预算财政拨款支出决算表".into(),
                false
            ))
        );
        assert_eq!(
            t("收入支出决算总表（续）"),
            Some((None, "收入支出决算总表".into(), true))
        );
        assert_eq!(
            t("一、收入支出决算总表").map(|x| x.1),
            Some("收入支出决算总表".into())
        );
        assert_eq!(t("第二部分 2019年度部门预算表"), None);
        assert_eq!(t("一、收入支出决算总体情况说明"), None);
        assert_eq!(t("本表（公开01表）反映部门年度总体收支预算情况。"), None);
        assert_eq!(number_only("公开表三").as_deref(), Some("公开表三"));
        assert_eq!(number_only("公开01表").as_deref(), Some("公开01表"));
        assert_eq!(number_only("收支预算总表"), None);
    }

    #[test]
    fn an_enumerated_title_broken_inside_a_word_is_one_title() {
        let text = "十一、一般公共预算“三公”经费、会议费、培训费支出预\n算表\n单位：万元\n合计\t会议费\t培训费\n868.00\t168.00\t700.00\n";
        let src = crate::Source::from_text("t.txt", text);
        assert_eq!(src.tables.len(), 1, "{:#?}", src.tables);
        let t = &src.tables[0];
        assert_eq!(t.title, "一般公共预算“三公”经费、会议费、培训费支出预算表");
        // "合计" above a column of figures is a header, not a row
        assert_eq!(t.columns[0].header, ["合计"]);
        assert_eq!(t.sides.len(), 1);
        assert_eq!(t.sides[0].rows.len(), 1);
        assert_eq!(t.sides[0].rows[0].values[0].text, "868.00");
    }

    #[test]
    fn an_empty_column_between_a_group_and_its_items_is_no_side() {
        // 一般公共预算资金 | (empty) | 公共财政拨款（补助）资金 | 17,981.68
        let text = "二、收入预算总表\n单位：万元\n项目名称\t\t\t金额\n\t\t收入总计\t17,996.68\n一般公共预算资金\t\t公共财政拨款（补助）资金\t17,981.68\n其他资金\t\t其他收入\t15.00\n";
        let src = crate::Source::from_text("t.txt", text);
        let t = &src.tables[0];
        assert_eq!(t.sides.len(), 1, "{:#?}", t.sides);
        let names: Vec<&str> = t.sides[0].rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "收入总计",
                "一般公共预算资金公共财政拨款（补助）资金",
                "其他资金其他收入"
            ]
        );
    }

    #[test]
    fn a_title_under_its_number_with_a_wrapped_unit_is_found() {
        // 江苏省高级人民法院2019 公开09表: "单位：万" and "元" on two lines
        let text = "公开 09 表\n“三公”经费、会议费、培训费支出预算表\n单位：万\n部门名称：江苏省高级人民法院 元\n合计\t会议费\t培训费\n1,868.27\t271.02\t1,597.25\n";
        let src = crate::Source::from_text("t.txt", text);
        assert_eq!(src.tables.len(), 1, "{:#?}", src.tables);
        assert_eq!(src.tables[0].number.as_deref(), Some("公开09表"));
        assert_eq!(src.tables[0].unit, Unit::Wan);
        assert_eq!(src.tables[0].sides[0].rows.len(), 1);
    }

    #[test]
    fn an_empty_column_named_for_figures_is_a_value_column() {
        assert!(!label_like(&["附属单位上缴收入".to_string()]));
        assert!(label_like(&["项目".to_string(), "科目名称".to_string()]));
        assert!(label_like(&["预算单位".to_string()]));
    }

    #[test]
    fn a_text_table_is_found_and_read() {
        let text = "一、收入支出决算总体情况说明\n本年收入合计100.00万元。\n表1 收入支出决算总表\n单位：万元\n项目\t决算数\t项目\t决算数\n一、一般公共预算财政拨款收入\t80.00\t一、一般公共服务支出\t90.00\n八、其他收入\t20.00\t二、外交支出\t\n本年收入合计\t100.00\t本年支出合计\t90.00\n注：本表反映部门本年度的总收支。\n二、收入决算情况说明\n本年收入100.00万元，其中：……。";
        let src = crate::Source::from_text("t.txt", text);
        assert_eq!(src.tables.len(), 1, "{:#?}", src.tables);
        let t = &src.tables[0];
        assert_eq!(t.title, "收入支出决算总表");
        assert_eq!(t.unit, Unit::Wan);
        assert_eq!(t.notes.len(), 1);
        // no header in text: the columns are known by order; two sides
        assert_eq!(t.sides.len(), 2, "{:#?}", t.sides);
        assert_eq!(t.sides[0].rows.len(), 3);
        assert_eq!(t.sides[1].rows[1].name, "二、外交支出");
        assert_eq!(t.sides[1].rows[1].values[0].kind, Kind::Blank);
        assert!(src.lines[2].table == Some(0) && src.lines[8].table == Some(0));
        assert_eq!(src.lines[1].table, None);
        assert_eq!(src.lines[9].table, None);
    }
}
