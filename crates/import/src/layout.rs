//! Finding the nine tables in sheets and reading each one through the dataset loader.
//!
//! A sheet is recognised by its title; below it come the 编制单位/单位 lines, the header
//! rows (merged cells, several rows) and the body. Each table is turned into the loader's
//! CSV layout (docs/dataset.md) with every CSV cell remembering its sheet cell, and read by
//! `juesuan_load::read_table`, so codes, names and numbers are parsed and worded exactly as
//! for a dataset; the loader's problems are then moved back to the sheet cells.

use crate::grid::{a1, col_letters, Sheet, Val};
use juesuan_load::{read_table, split_code, strip_numbering};
use juesuan_model::{
    normalize_name, AmountUnit, Layout, Money, Problem, Table, TableDef, Template, FEN_PER_WAN_CENT,
};
use std::collections::HashMap;

/// Where a table is: sheet index, title row and column.
#[derive(Clone, Debug)]
pub struct Found {
    pub sheet: usize,
    pub row: usize,
    pub col: usize,
}

/// One table read from a sheet.
#[derive(Clone, Debug)]
pub struct SheetTable {
    pub table: Table,
    pub unit: AmountUnit,
    /// Sheet cell of each (row key, column) read from the sheet.
    pub cells: HashMap<(String, String), (usize, usize)>,
    /// Sheet cell of each row's label.
    pub labels: HashMap<String, (usize, usize)>,
    pub entity: Option<String>,
    pub title_cell: (usize, usize),
}

/// "表3（支出决算表）": how problems name a table.
pub fn table_label(def: &TableDef) -> String {
    format!("{}（{}）", def.label(), def.title)
}

/// A problem at a sheet cell.
pub fn at_cell(def: &TableDef, sheet: &str, (r, c): (usize, usize), message: String) -> Problem {
    Problem {
        sheet: Some(sheet.to_string()),
        row: Some(r + 1),
        column: Some(col_letters(c)),
        cell: Some(a1(r, c)),
        ..Problem::in_file(table_label(def), message)
    }
}

fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !"\"'“”‘’「」".contains(*c))
        .collect()
}

/// The table a title cell names, and a year written before the title.
pub fn match_title<'t>(text: &str, template: &'t Template) -> Option<(&'t TableDef, Option<i32>)> {
    let t = squeeze(text);
    if t.is_empty() || t.chars().count() > 80 {
        return None;
    }
    let def = template
        .standard_tables()
        .filter(|d| t.ends_with(&squeeze(&d.title)))
        .max_by_key(|d| squeeze(&d.title).len())?;
    let prefix = &t[..t.len() - squeeze(&def.title).len()];
    // "表3", "附表3-", "3." before the title; then nothing, or "<entity><year>年度".
    let rest = prefix
        .trim_start_matches('附')
        .trim_start_matches('表')
        .trim_start_matches(|c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
        .trim_start_matches(['、', '.', '．', '-', '－', ':', '：', '_']);
    let year = year_in(rest);
    let ok = rest.is_empty()
        || (year.is_some() && !rest.contains(['：', '，', '。', ',', ':']))
        || rest.ends_with("部门")
        || rest.ends_with("单位");
    ok.then_some((def, year))
}

fn year_in(s: &str) -> Option<i32> {
    let chars: Vec<char> = s.chars().collect();
    (0..chars.len().saturating_sub(4)).find_map(|i| {
        let digits = &chars[i..i + 4];
        let ok = digits.iter().all(char::is_ascii_digit)
            && chars[i + 4] == '年'
            && (i == 0 || !chars[i - 1].is_ascii_digit());
        ok.then(|| digits.iter().collect::<String>().parse().ok())
            .flatten()
    })
}

/// Finds the title of a table in the first non-empty rows of a sheet.
pub fn find_title<'t>(sheet: &Sheet, template: &'t Template) -> Option<(&'t TableDef, Found)> {
    let mut seen = 0;
    for r in 0..sheet.height() {
        if sheet.row_is_empty(r) {
            continue;
        }
        seen += 1;
        if seen > 3 {
            break;
        }
        for c in 0..sheet.cells[r].len() {
            if let Val::Text(t) = sheet.get(r, c) {
                if let Some((def, _)) = match_title(t, template) {
                    return Some((
                        def,
                        Found {
                            sheet: 0,
                            row: r,
                            col: c,
                        },
                    ));
                }
            }
        }
    }
    None
}

/// "单位：万元" → 万元; "编制单位：…" is not a unit label.
pub fn unit_label(text: &str) -> Option<AmountUnit> {
    let t = squeeze(text);
    let mut from = 0;
    while let Some(i) = t[from..].find("单位") {
        let at = from + i;
        from = at + "单位".len();
        if t[..at].ends_with('制') {
            continue;
        }
        let rest = t[from..].trim_start_matches(['：', ':']);
        if rest.len() == t[from..].len() {
            continue;
        }
        if rest.starts_with("万元") {
            return Some(AmountUnit::Wan);
        }
        if rest.starts_with('元') {
            return Some(AmountUnit::Yuan);
        }
    }
    None
}

/// "编制单位：赤峰市司法局  单位：万元" → 赤峰市司法局.
pub fn entity_label(text: &str) -> Option<String> {
    let t = text.trim();
    for key in ["编制单位", "单位名称", "部门名称", "填报单位", "部门"] {
        let Some(rest) = t.strip_prefix(key) else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(rest) = rest.strip_prefix('：').or_else(|| rest.strip_prefix(':')) else {
            continue;
        };
        let rest = rest.trim();
        // the name ends where a wide gap or the unit label starts
        let end = [
            rest.find("  "),
            rest.find('\u{3000}'),
            rest.find("单位："),
            rest.find("单位:"),
            rest.find("金额单位"),
        ]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(rest.len());
        let name = rest[..end].trim();
        if !name.is_empty() {
            return Some(name.to_string());
        }
    }
    None
}

fn is_note(text: &str) -> bool {
    let t = text.trim();
    [
        "注",
        "说明",
        "备注",
        "填表",
        "附注",
        "数据来源",
        "单位负责人",
        "制表",
    ]
    .iter()
    .any(|p| t.starts_with(p))
}

fn is_numberlike(v: &Val) -> bool {
    match v {
        Val::Number(_) => true,
        Val::Text(t) => !t.trim().is_empty() && Money::parse_wan(t).is_ok(),
        Val::Empty => false,
    }
}

fn is_code(text: &str) -> bool {
    split_code(text).is_some_and(|(c, _)| matches!(c.len(), 3 | 5 | 7))
}

const HEADER_WORDS: &[&str] = &[
    "项目",
    "科目编码",
    "科目名称",
    "收入",
    "支出",
    "人员经费",
    "公用经费",
    "合计",
    "编码",
    "名称",
    "科目",
    "功能分类科目编码",
    "预算数",
    "决算数",
];

fn header_word(text: &str, def: &TableDef) -> bool {
    let t = squeeze(text);
    HEADER_WORDS.contains(&t.as_str()) || def.has_column(&t) || t.contains("科目编码")
}

fn is_rank_row(sheet: &Sheet, r: usize) -> bool {
    (0..sheet.width()).any(|c| matches!(squeeze(sheet.text(r, c)).as_str(), "栏次" | "行次"))
}

fn clean_header(s: &str) -> String {
    let s = squeeze(s);
    for suffix in ["（万元）", "(万元)", "（元）", "(元)"] {
        if let Some(stripped) = s.strip_suffix(suffix) {
            return stripped.to_string();
        }
    }
    s
}

/// What a column of the sheet holds.
#[derive(Clone, Debug, PartialEq)]
enum Col {
    Code,
    Name,
    /// Code and name in one, or the item of a fixed table.
    Label,
    Value(String),
    Ignored,
}

fn is_label_header(leaf: &str, def: &TableDef) -> Option<Col> {
    if def.has_column(leaf) {
        return None;
    }
    let code = leaf.contains("编码") || leaf.contains("代码") || leaf == "科目";
    let name = leaf.contains("名称");
    match (code, name) {
        (true, true) => Some(Col::Label),
        (true, false) => Some(Col::Code),
        (false, true) => Some(Col::Name),
        _ if leaf == "项目" || leaf.contains("功能分类") || leaf.contains("经济分类") => {
            Some(Col::Label)
        }
        _ => None,
    }
}

/// The dataset column a header path names.
fn map_column(path: &[String], def: &TableDef) -> Option<String> {
    let leaf = path.last()?;
    if def.has_column(leaf) {
        return Some(leaf.clone());
    }
    // a 预算's one amount per side is its 预算数 (表4's income side: 合计)
    let amount = if def.id.starts_with('Y') {
        matches!(leaf.as_str(), "预算数" | "金额" | "本年预算" | "本年数")
    } else {
        matches!(
            leaf.as_str(),
            "决算数" | "金额" | "决算" | "本年决算" | "本年数"
        )
    };
    if amount {
        if def.has_column("决算数") {
            return Some("决算数".into());
        }
        if def.has_column("合计") {
            return Some("合计".into());
        }
    }
    if let Some(parent) = path.len().checked_sub(2).map(|i| &path[i]) {
        let joined = format!("{parent}{leaf}");
        if def.has_column(&joined) {
            return Some(joined);
        }
    }
    if matches!(leaf.as_str(), "小计" | "合计") {
        return def.columns.iter().find(|c| c.ends_with("合计")).cloned();
    }
    if leaf == "本年支出" && def.has_column("本年支出合计") {
        return Some("本年支出合计".into());
    }
    None
}

/// Header paths of each column: the texts top-down, merged cells spread over their range.
fn header_paths(sheet: &Sheet, rows: &[usize], width: usize) -> Vec<Vec<String>> {
    let mut grid: Vec<Vec<String>> = rows
        .iter()
        .map(|&r| (0..width).map(|c| clean_header(sheet.text(r, c))).collect())
        .collect();
    if !sheet.merges.is_empty() {
        for &(r1, c1, r2, c2) in &sheet.merges {
            let text = clean_header(sheet.text(r1, c1));
            for (i, &r) in rows.iter().enumerate() {
                if r < r1 || r > r2 {
                    continue;
                }
                for slot in grid[i].iter_mut().take(c2 + 1).skip(c1) {
                    if slot.is_empty() {
                        *slot = text.clone();
                    }
                }
            }
        }
    } else {
        // Without merge information: a blank above a sub-header continues the group to its
        // left, but never across a cell that starts a new group in the row above.
        let last = grid.len().saturating_sub(1);
        let mut filled = vec![vec![false; width]; grid.len()];
        for i in 0..last {
            for c in 1..width {
                let continues_above = i == 0 || filled[i - 1][c];
                if grid[i][c].is_empty() && !grid[last][c].is_empty() && continues_above {
                    let left = grid[i][c - 1].clone();
                    if !left.is_empty() {
                        grid[i][c] = left;
                        filled[i][c] = true;
                    }
                }
            }
        }
    }
    (0..width)
        .map(|c| {
            let mut path: Vec<String> = Vec::new();
            for row in &grid {
                let t = &row[c];
                if !t.is_empty() && path.last() != Some(t) {
                    path.push(t.clone());
                }
            }
            path
        })
        .collect()
}

/// One CSV line being built: cells with their sheet positions.
type Line = Vec<(String, Option<(usize, usize)>)>;

struct Csv {
    header: Vec<String>,
    lines: Vec<Line>,
}

impl Csv {
    fn new(header: Vec<String>) -> Csv {
        Csv {
            header,
            lines: Vec::new(),
        }
    }

    fn line(&self) -> Line {
        vec![(String::new(), None); self.header.len()]
    }

    fn col(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    fn bytes(&self) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
        let clean = |s: &str| s.replace(['\n', '\r'], "");
        let _ = w.write_record(self.header.iter().map(|h| clean(h)));
        for l in &self.lines {
            let _ = w.write_record(l.iter().map(|(t, _)| clean(t)));
        }
        w.into_inner().unwrap_or_default()
    }
}

fn cell_text(sheet: &Sheet, r: usize, c: usize) -> (String, Option<(usize, usize)>) {
    (sheet.get(r, c).text().trim().to_string(), Some((r, c)))
}

/// A side of a table: its label columns and value columns (sheet column, dataset column).
#[derive(Debug, Default)]
struct Side {
    code: Option<usize>,
    name: Option<usize>,
    values: Vec<(usize, String)>,
}

const FUNDS: [&str; 3] = [
    "一般公共预算财政拨款",
    "政府性基金预算财政拨款",
    "国有资本经营预算财政拨款",
];

/// Reads the table whose title is at `found` in `sheet`. Problems go to `problems`; the
/// table is returned when its layout could be understood.
pub fn read_sheet_table(
    sheet: &Sheet,
    def: &TableDef,
    template: &Template,
    found: &Found,
    problems: &mut Vec<Problem>,
) -> Option<SheetTable> {
    let width = sheet.width();
    let title_cell = (found.row, found.col);
    let bad = |cell, msg: String| at_cell(def, &sheet.name, cell, msg);

    // header: the first row below the title with a header word
    let Some(header_start) = (found.row + 1..sheet.height().min(found.row + 8))
        .find(|&r| (0..width).any(|c| header_word(sheet.text(r, c), def)))
    else {
        problems.push(bad(
            title_cell,
            "标题下面没有找到表头（如“项目”“科目编码”“科目名称”）".to_string(),
        ));
        return None;
    };
    let mut unit = None;
    let mut entity = None;
    for r in found.row..header_start {
        for c in 0..width {
            let t = sheet.text(r, c);
            unit = unit.or_else(|| unit_label(t));
            entity = entity.or_else(|| entity_label(t));
        }
    }
    let mut header_rows = Vec::new();
    let mut body_start = header_start;
    while body_start < sheet.height() && header_rows.len() < 5 {
        let r = body_start;
        if is_rank_row(sheet, r) {
            body_start += 1;
            continue;
        }
        let row_is_body = (0..width).any(|c| {
            let t = sheet.text(r, c);
            let label = normalize_name(strip_numbering(t));
            is_numberlike(sheet.get(r, c))
                || is_code(t)
                // a blank row of amounts still has its item: 表1's rows, 合计 …
                || match def.layout {
                    Layout::Fixed => !one_row(def) && def.rows.iter().any(|d| d.matches(&label)),
                    _ => {
                        (c == 0 || (c == 1 && sheet.text(r, 0).is_empty()))
                            && (label == "合计" || def.rows.iter().any(|d| d.matches(&label)))
                    }
                }
        });
        if row_is_body || sheet.row_is_empty(r) || is_note(first_text(sheet, r)) {
            break;
        }
        for c in 0..width {
            let t = sheet.text(r, c);
            unit = unit.or_else(|| unit_label(t));
        }
        header_rows.push(r);
        body_start += 1;
    }
    let Some(unit) = unit else {
        problems.push(bad(
            title_cell,
            "没有找到金额单位：表头上方应有“单位：万元”或“单位：元”".to_string(),
        ));
        return None;
    };
    let paths = header_paths(sheet, &header_rows, width);
    let body_end = (body_start..sheet.height())
        .find(|&r| is_note(first_text(sheet, r)))
        .unwrap_or(sheet.height());

    let csv = if one_row(def)
        && !paths
            .iter()
            .any(|p| p.last().and_then(|l| is_label_header(l, def)).is_some())
    {
        t7_horizontal(sheet, def, &paths, body_start..body_end)
    } else {
        let sides = sides(&paths, def);
        if sides.is_empty() {
            problems.push(bad(
                (header_rows.first().copied().unwrap_or(found.row), 0),
                format!(
                    "表头中没有找到“项目”或“科目编码”列，无法读取{}",
                    def.label()
                ),
            ));
            return None;
        }
        side_lines(sheet, def, &sides, body_start..body_end)
    };

    let header_cell = (header_rows.first().copied().unwrap_or(found.row + 1), 0);
    let file = table_label(def);
    let mut raw = Vec::new();
    let table = read_table(&csv.bytes(), &file, def, template, unit, &mut raw);
    for p in raw {
        let located = p.row.and_then(|line| {
            let l = csv.lines.get(line.checked_sub(2)?)?;
            let by_column = p
                .column
                .as_deref()
                .and_then(|c| csv.col(c))
                .and_then(|i| l[i].1);
            by_column.or_else(|| l.iter().find_map(|(_, at)| *at))
        });
        problems.push(bad(located.unwrap_or(header_cell), p.message));
    }
    let mut table = table?;
    let mut cells = HashMap::new();
    let mut finer_than_wan_cents = Vec::new();
    let mut labels = HashMap::new();
    for row in table.rows() {
        let Some(l) = row.line.and_then(|n| csv.lines.get(n.checked_sub(2)?)) else {
            continue;
        };
        for (i, h) in csv.header.iter().enumerate() {
            if let Some(at) = l[i].1 {
                cells.insert((row.key.clone(), h.clone()), at);
                // a 万元 figure is printed with two decimals; more is a typo or a 元 figure
                let v = table.column_index(h).and_then(|c| row.values[c]);
                if let Some(v) = v.filter(|v| unit == AmountUnit::Wan && v % FEN_PER_WAN_CENT != 0)
                {
                    finer_than_wan_cents.push((at, Money::from_fen(v).format_wan_exact()));
                }
            }
        }
        if let Some(at) = l.iter().find_map(|(_, at)| *at) {
            labels.insert(row.key.clone(), at);
        }
    }
    if !finer_than_wan_cents.is_empty() {
        for (at, text) in finer_than_wan_cents {
            problems.push(bad(
                at,
                format!("“{text}”有两位以上小数：以万元填报的金额最多两位小数（精确到分的金额请把表的单位写成“单位：元”）"),
            ));
        }
        return None;
    }
    if let Some((funds, carry)) = fiscal_income(def) {
        // The printed 总计 of the income side has only 合计; each fund's 收入总计 is its
        // 本年收入 plus its 年初结转和结余 (上年结转).
        for f in funds {
            if !cells.contains_key(&("收入总计".to_string(), f.to_string())) {
                let v = [table.get("本年收入合计", f), table.get(carry, f)];
                if let [Some(a), Some(b)] = v {
                    table.set("收入总计", f, Some(a + b));
                }
            }
        }
    }
    Some(SheetTable {
        table,
        unit,
        cells,
        labels,
        entity,
        title_cell,
    })
}

/// 表7 of the 决算 and of the 预算: printed as one row under the item headers.
fn one_row(def: &TableDef) -> bool {
    def.id == "T7" || def.id == "Y7"
}

/// The funds and the carry-over row of a 财政拨款 table whose income side lists the funds as
/// rows (决算 表4, 预算 表4).
fn fiscal_income(def: &TableDef) -> Option<(&'static [&'static str; 3], &'static str)> {
    match def.id.as_str() {
        "T4" => Some((&FUNDS, "年初财政拨款结转和结余")),
        "Y4" => Some((&BUDGET_FUNDS, "上年结转")),
        _ => None,
    }
}

/// The fund columns of the 预算's 财政拨款收支总体情况表.
const BUDGET_FUNDS: [&str; 3] = ["一般公共预算", "政府性基金预算", "国有资本经营预算"];

fn first_text(sheet: &Sheet, r: usize) -> &str {
    (0..sheet.width())
        .map(|c| sheet.text(r, c))
        .find(|t| !t.is_empty())
        .unwrap_or("")
}

/// Splits the columns into sides: a side starts at a label column that follows a value.
fn sides(paths: &[Vec<String>], def: &TableDef) -> Vec<Side> {
    let kinds: Vec<Col> = paths
        .iter()
        .map(|p| match p.last() {
            None => Col::Ignored,
            Some(leaf) => is_label_header(leaf, def)
                .or_else(|| map_column(p, def).map(Col::Value))
                .unwrap_or(Col::Ignored),
        })
        .collect();
    let mut sides: Vec<Side> = Vec::new();
    let mut after_value = true;
    for (c, k) in kinds.iter().enumerate() {
        match k {
            Col::Code | Col::Name | Col::Label => {
                if after_value {
                    sides.push(Side::default());
                    after_value = false;
                }
                let side = sides.last_mut().expect("pushed above");
                match k {
                    Col::Name if side.code.is_some() && side.name.is_none() => side.name = Some(c),
                    Col::Label | Col::Name if side.code.is_some() => side.name = Some(c),
                    _ if side.code.is_none() => side.code = Some(c),
                    _ => side.name = Some(c),
                }
            }
            Col::Value(name) => {
                if let Some(side) = sides.last_mut() {
                    if !side.values.iter().any(|(_, n)| n == name) {
                        side.values.push((c, name.clone()));
                    }
                    after_value = true;
                }
            }
            Col::Ignored => {}
        }
    }
    sides
}

fn side_lines(sheet: &Sheet, def: &TableDef, sides: &[Side], body: std::ops::Range<usize>) -> Csv {
    let mut columns: Vec<String> = Vec::new();
    for s in sides {
        for (_, n) in &s.values {
            if !columns.contains(n) {
                columns.push(n.clone());
            }
        }
    }
    // dataset order: required columns, then optional ones
    columns.sort_by_key(|c| {
        def.columns
            .iter()
            .chain(&def.optional_columns)
            .position(|d| d == c)
    });
    let labels: Vec<String> = match def.layout {
        Layout::Fixed => vec!["项目".into()],
        _ => vec!["科目编码".into(), "科目名称".into()],
    };
    let mut csv = Csv::new(labels.iter().cloned().chain(columns).collect());
    let n_labels = labels.len();
    // T4's income side: fund rows before 年初 are 本年收入, after it 年初结转和结余 (the
    // 预算's Y4: 上年结转).
    let income = fiscal_income(def).filter(|_| sides.len() > 1);
    let t4_income = income.is_some();
    let (funds, carry) = income.unwrap_or((&FUNDS, ""));
    let mut t4: HashMap<&str, Line> = HashMap::new();
    let mut after_carry = false;
    for r in body {
        for (si, side) in sides.iter().enumerate() {
            let used: Vec<usize> = side
                .code
                .iter()
                .chain(&side.name)
                .copied()
                .chain(side.values.iter().map(|(c, _)| *c))
                .collect();
            if used.iter().all(|&c| sheet.get(r, c).is_empty()) {
                continue;
            }
            if t4_income && si == 0 {
                let label = side.code.map(|c| sheet.text(r, c)).unwrap_or("");
                let key = normalize_name(strip_numbering(label));
                let fund = funds.iter().find(|f| {
                    let bare = key.strip_suffix("收入").unwrap_or(&key);
                    bare == **f || bare.strip_suffix("拨款") == Some(**f)
                });
                let target = match (fund, key.as_str()) {
                    (Some(f), _) if after_carry => Some((carry, *f)),
                    (Some(f), _) => Some(("本年收入合计", *f)),
                    (None, "本年收入合计") => Some(("本年收入合计", "合计")),
                    (None, k) if def.row_def(carry).is_some_and(|d| d.matches(k)) => {
                        after_carry = true;
                        Some((carry, "合计"))
                    }
                    (None, "总计" | "收入总计") => Some(("收入总计", "合计")),
                    _ => None,
                };
                let value = side.values.first().map(|(c, _)| cell_text(sheet, r, *c));
                match (target, value) {
                    (Some((row, col)), Some(v)) => {
                        let line = t4.entry(row).or_insert_with(|| {
                            let mut l = csv.line();
                            l[0] = (row.to_string(), side.code.map(|c| (r, c)));
                            l
                        });
                        if let Some(i) = csv.col(col) {
                            line[i] = v;
                        }
                    }
                    _ => {
                        let mut l = csv.line();
                        l[0] = cell_text(sheet, r, side.code.unwrap_or(0));
                        csv.lines.push(l);
                    }
                }
                continue;
            }
            let mut l = csv.line();
            match (side.code, side.name) {
                (Some(code), Some(name)) if n_labels == 2 => {
                    l[0] = cell_text(sheet, r, code);
                    l[1] = cell_text(sheet, r, name);
                }
                (Some(code), Some(name)) => {
                    // a fixed table with both columns: the item is whichever is written
                    let code_text = sheet.text(r, code);
                    l[0] = if code_text.is_empty()
                        || is_code(code_text) && !sheet.text(r, name).is_empty()
                    {
                        cell_text(sheet, r, name)
                    } else {
                        cell_text(sheet, r, code)
                    };
                }
                (Some(c), None) | (None, Some(c)) => l[0] = cell_text(sheet, r, c),
                (None, None) => {}
            }
            // "总计" names both sides of 表1/表4: the side says which one.
            if sides.len() > 1 && normalize_name(strip_numbering(&l[0].0)) == "总计" {
                l[0].0 = if si == 0 {
                    "收入总计"
                } else {
                    "支出总计"
                }
                .to_string();
            }
            for (c, name) in &side.values {
                if let Some(i) = csv.col(name) {
                    l[i] = cell_text(sheet, r, *c);
                }
            }
            csv.lines.push(l);
        }
    }
    for row in ["本年收入合计", carry, "收入总计"] {
        if let Some(l) = t4.remove(row) {
            csv.lines.push(l);
        }
    }
    csv
}

/// 表7 printed as one row of 预算数/决算数 pairs under the item headers.
fn t7_horizontal(
    sheet: &Sheet,
    def: &TableDef,
    paths: &[Vec<String>],
    body: std::ops::Range<usize>,
) -> Csv {
    let mut columns: Vec<String> = Vec::new();
    let mut cols: Vec<(usize, String, String)> = Vec::new();
    for (c, p) in paths.iter().enumerate() {
        let Some(leaf) = p.last() else { continue };
        if !def.has_column(leaf) {
            continue;
        }
        let item = p[..p.len() - 1].iter().rev().find_map(|h| {
            if h == "小计" {
                return None;
            }
            def.rows
                .iter()
                .find(|r| r.matches(h))
                .map(|r| r.key.clone())
        });
        if let Some(item) = item {
            if !columns.contains(leaf) {
                columns.push(leaf.clone());
            }
            cols.push((c, item, leaf.clone()));
        }
    }
    columns.sort_by_key(|c| {
        def.columns
            .iter()
            .chain(&def.optional_columns)
            .position(|d| d == c)
    });
    let mut csv = Csv::new(std::iter::once("项目".to_string()).chain(columns).collect());
    let Some(r) = body.clone().find(|&r| !sheet.row_is_empty(r)) else {
        return csv;
    };
    let mut order: Vec<String> = Vec::new();
    for (_, item, _) in &cols {
        if !order.contains(item) {
            order.push(item.clone());
        }
    }
    for item in order {
        let mut l = csv.line();
        l[0] = (item.clone(), None);
        for (c, it, col) in &cols {
            if *it == item {
                if let Some(i) = csv.col(col) {
                    l[i] = cell_text(sheet, r, *c);
                }
            }
        }
        csv.lines.push(l);
    }
    csv
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_recognised_with_prefixes() {
        let t = Template::for_year(2024).unwrap();
        let id = |s: &str| match_title(s, t).map(|(d, y)| (d.id.clone(), y));
        assert_eq!(id("表3 支出决算表"), Some(("T3".into(), None)));
        assert_eq!(
            id("一般公共预算财政拨款支出决算表"),
            Some(("T5".into(), None))
        );
        assert_eq!(
            id("赤峰市司法局2024年度收入支出决算总表"),
            Some(("T1".into(), Some(2024)))
        );
        assert_eq!(
            id("财政拨款\"三公\"经费支出决算表"),
            Some(("T7".into(), None))
        );
        assert_eq!(id("说明：本表为支出决算表"), None);
        assert_eq!(id("本工作簿包括收入支出决算总表等九张表"), None);
    }

    #[test]
    fn unit_and_entity_lines() {
        assert_eq!(unit_label("单位：万元"), Some(AmountUnit::Wan));
        assert_eq!(unit_label("金额单位: 元"), Some(AmountUnit::Yuan));
        assert_eq!(unit_label("编制单位：元宝山区司法局"), None);
        assert_eq!(
            entity_label("编制单位：赤峰市司法局    单位：万元").as_deref(),
            Some("赤峰市司法局")
        );
        assert_eq!(entity_label("编制单位："), None);
    }
}
