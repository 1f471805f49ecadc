//! A workbook as plain grids of cell values: calamine in, [`Sheet`]s out.
//!
//! Numbers leave here as exact decimal text, never as floats, and formulas of the simple kind
//! juesuan's template writes (`SUM`, `+`, `-` over cells and ranges) are evaluated here in
//! exact integers, because a workbook written by a library has no cached results.

use calamine::{open_workbook_auto_from_rs, Data, Reader, Sheets};
use juesuan_model::Money;
use std::collections::HashMap;
use std::io::Cursor;

/// One cell's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Val {
    Empty,
    Text(String),
    /// A numeric cell as exact decimal text ("1030.41").
    Number(String),
}

impl Val {
    pub fn text(&self) -> &str {
        match self {
            Val::Empty => "",
            Val::Text(s) | Val::Number(s) => s,
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Val::Empty => true,
            Val::Text(s) => s.trim().is_empty(),
            Val::Number(_) => false,
        }
    }
}

/// One worksheet as a dense grid from A1.
#[derive(Clone, Debug, Default)]
pub struct Sheet {
    pub name: String,
    pub cells: Vec<Vec<Val>>,
    /// Merged ranges (first row, first col, last row, last col), when the format tells.
    pub merges: Vec<(usize, usize, usize, usize)>,
}

const EMPTY: Val = Val::Empty;

impl Sheet {
    pub fn get(&self, r: usize, c: usize) -> &Val {
        self.cells
            .get(r)
            .and_then(|row| row.get(c))
            .unwrap_or(&EMPTY)
    }

    pub fn text(&self, r: usize, c: usize) -> &str {
        self.get(r, c).text().trim()
    }

    pub fn height(&self) -> usize {
        self.cells.len()
    }

    pub fn width(&self) -> usize {
        self.cells.iter().map(Vec::len).max().unwrap_or(0)
    }

    pub fn row_is_empty(&self, r: usize) -> bool {
        self.cells
            .get(r)
            .is_none_or(|row| row.iter().all(Val::is_empty))
    }
}

/// "E12" for row 11, column 4 (both 0-based).
pub fn a1(r: usize, c: usize) -> String {
    format!("{}{}", col_letters(c), r + 1)
}

pub fn col_letters(c: usize) -> String {
    let mut n = c + 1;
    let mut s = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        s.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Reads every sheet of an .xlsx/.xls/.xlsb/.ods workbook.
pub fn read_workbook(bytes: &[u8]) -> Result<Vec<Sheet>, String> {
    // calamine's arithmetic on a malformed cell reference can overflow (found by
    // crates/cli/tests/fuzz.rs: a mutated merge range); that is a bad workbook, not a crash
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_sheets(bytes))).unwrap_or_else(
        |_| {
            Err(format!(
                "无法打开工作簿：{}",
                package_error(bytes).unwrap_or_else(|| {
                    "工作簿中有无效的单元格地址或范围（不是 Excel 保存的标准格式）".to_string()
                })
            ))
        },
    )
}

fn read_sheets(bytes: &[u8]) -> Result<Vec<Sheet>, String> {
    if bytes.starts_with(b"PK") {
        // calamine reads a package without its workbook part as a workbook without sheets
        if let Some(m) = missing_part(bytes) {
            return Err(format!("无法打开工作簿：{m}"));
        }
    }
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| format!("无法打开工作簿：{}", workbook_error(bytes, &e)))?;
    let names = book.sheet_names().to_vec();
    if let Sheets::Xlsx(x) = &mut book {
        for name in &names {
            check_extent(x, name, bytes)?;
        }
    }
    let mut sheets = Vec::new();
    for name in names {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| format!("无法读取工作表“{name}”：{}", workbook_error(bytes, &e)))?;
        let mut cells: Vec<Vec<Val>> = Vec::new();
        if let Some((r0, c0)) = range.start() {
            for (r, c, data) in range.used_cells() {
                let (r, c) = (r + r0 as usize, c + c0 as usize);
                let v = value(data);
                if v == Val::Empty {
                    continue;
                }
                if cells.len() <= r {
                    cells.resize(r + 1, Vec::new());
                }
                if cells[r].len() <= c {
                    cells[r].resize(c + 1, Val::Empty);
                }
                cells[r][c] = v;
            }
        }
        let mut formulas = HashMap::new();
        if let Ok(f) = book.worksheet_formula(&name) {
            if let Some((r0, c0)) = f.start() {
                for (r, c, text) in f.used_cells() {
                    if !text.trim().is_empty() {
                        formulas.insert((r + r0 as usize, c + c0 as usize), text.clone());
                    }
                }
            }
        }
        let merges = match &mut book {
            Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            Sheets::Xls(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            _ => Vec::new(),
        };
        let mut sheet = Sheet {
            name,
            cells,
            merges: merges
                .iter()
                .map(|d| {
                    (
                        d.start.0 as usize,
                        d.start.1 as usize,
                        d.end.0 as usize,
                        d.end.1 as usize,
                    )
                })
                .collect(),
        };
        evaluate_formulas(&mut sheet, &formulas);
        sheets.push(sheet);
    }
    Ok(sheets)
}

/// Why calamine could not read `bytes`, in Chinese and with the place: which part of the
/// .xlsx package and where in it, when the package itself tells (calamine's own messages are
/// English and name no part).
pub fn workbook_error(bytes: &[u8], e: &calamine::Error) -> String {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return format!(
            "旧版 .xls 工作簿无法读取（{}）；请在 Excel 中另存为 .xlsx 后重新导入",
            calamine_error(e)
        );
    }
    if !bytes.starts_with(b"PK") {
        let head: Vec<String> = bytes.iter().take(4).map(|b| format!("{b:02X}")).collect();
        return format!(
            "文件不是 Excel 工作簿：.xlsx 文件是 ZIP 压缩包（以“PK”开头），.xls 文件是 OLE 复合文档，这个文件的开头是 {}",
            if head.is_empty() { "空的".to_string() } else { head.join(" ") }
        );
    }
    match package_error(bytes) {
        Some(m) => m,
        None => calamine_error(e),
    }
}

/// The first part of an .xlsx package that is missing, does not unzip or is not well-formed
/// XML, with the line and column of the XML error. Reads at most 64 MB of XML.
fn package_error(bytes: &[u8]) -> Option<String> {
    use std::io::Read;
    if let Some(m) = missing_part(bytes) {
        return Some(m);
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut budget: u64 = 64 << 20;
    for i in 0..zip.len() {
        let Ok(mut part) = zip.by_index(i) else {
            return Some(format!(
                "工作簿的第 {} 个部件无法读取（压缩包已损坏）",
                i + 1
            ));
        };
        let name = part.name().unwrap_or_default().to_string();
        if !(name.ends_with(".xml") || name.ends_with(".rels")) {
            continue;
        }
        let mut buf = Vec::new();
        if (&mut part).take(budget + 1).read_to_end(&mut buf).is_err() {
            return Some(format!("工作簿的部件 {name} 无法解压（压缩数据已损坏）"));
        }
        if buf.len() as u64 > budget {
            return None;
        }
        budget -= buf.len() as u64;
        let Ok(text) = std::str::from_utf8(&buf) else {
            return Some(format!("工作簿的部件 {name} 不是 UTF-8 编码的 XML"));
        };
        if let Err(err) = roxmltree::Document::parse(text.trim_start_matches('\u{feff}')) {
            let pos = err.pos();
            return Some(format!(
                "工作簿的部件 {name} 第{}行第{}列：XML 格式错误",
                pos.row, pos.col
            ));
        }
    }
    None
}

/// A package that does not unzip, or lacks a part every .xlsx has.
fn missing_part(bytes: &[u8]) -> Option<String> {
    let Ok(zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Some(
            "工作簿（ZIP 压缩包）已损坏或不完整，无法列出其中的部件（文件可能在下载或复制时被截断）"
                .to_string(),
        );
    };
    // .xlsb and .ods are zip packages too, with other parts
    if zip.index_for_name("xl/workbook.bin").is_some() || zip.index_for_name("mimetype").is_some() {
        return None;
    }
    ["[Content_Types].xml", "xl/workbook.xml"]
        .iter()
        .find(|p| zip.index_for_name(p).is_none())
        .map(|p| format!("工作簿缺少部件 {p}：不是完整的 .xlsx 文件"))
}

/// calamine's error in Chinese, for a package that is well-formed but not what it expects.
fn calamine_error(e: &calamine::Error) -> String {
    use calamine::{Error, XlsError, XlsxError};
    match e {
        Error::Xlsx(XlsxError::Password) | Error::Xls(XlsError::Password) => {
            "工作簿有密码保护；请在 Excel 中取消密码后重新导入".to_string()
        }
        Error::Xlsx(XlsxError::FileNotFound(part)) => {
            format!("工作簿缺少部件 {part}：不是完整的 .xlsx 文件")
        }
        Error::Xlsx(XlsxError::WorksheetNotFound(name) | XlsxError::NotAWorksheet(name)) => {
            format!("找不到工作表“{name}”的内容")
        }
        Error::Xlsx(XlsxError::CellTAttribute(t)) => {
            format!("有单元格的类型“{t}”无法识别（工作簿不是标准的 .xlsx 格式）")
        }
        Error::Xlsx(XlsxError::Xml(_) | XlsxError::XmlAttr(_) | XlsxError::XmlEof(_)) => {
            "工作簿中有 XML 格式错误的部件".to_string()
        }
        Error::Xlsx(XlsxError::Zip(_)) => "工作簿（ZIP 压缩包）已损坏".to_string(),
        Error::Io(_) | Error::Xlsx(XlsxError::Io(_)) | Error::Xls(XlsError::Io(_)) => {
            "读取工作簿时出错（文件不完整或已损坏）".to_string()
        }
        Error::Msg(_) => "无法识别文件格式：不是 .xlsx、.xls、.xlsb 或 .ods 工作簿".to_string(),
        _ => "工作簿的内容无法解析（不是 Excel 保存的标准格式）；请在 Excel 中打开后另存为 .xlsx 再导入"
            .to_string(),
    }
}

/// At most this many rows and columns of content per sheet (the limits of .xls); the nine
/// tables need a few hundred rows and about twenty columns.
pub const MAX_ROWS: u32 = 65_536;
pub const MAX_COLS: u32 = 256;
/// At most this many non-empty cells per sheet.
pub const MAX_CELLS: usize = 1_000_000;

/// Scans an .xlsx sheet sparsely (streaming, nothing kept) before calamine builds a dense
/// grid from it: a cell with content beyond [`MAX_ROWS`] × [`MAX_COLS`], or more than
/// [`MAX_CELLS`] cells, refuses the workbook instead of allocating rows × columns.
fn check_extent<RS: std::io::Read + std::io::Seek>(
    x: &mut calamine::Xlsx<RS>,
    name: &str,
    bytes: &[u8],
) -> Result<(), String> {
    let mut reader = x.worksheet_cells_reader(name).map_err(|e| {
        format!(
            "无法读取工作表“{name}”：{}",
            workbook_error(bytes, &e.into())
        )
    })?;
    let declared = reader.dimensions();
    let (mut max_r, mut max_c, mut count) = (0u32, 0u32, 0usize);
    let mut far: Option<(u32, u32)> = None;
    loop {
        let cell = reader.next_cell_with_formula().map_err(|e| {
            format!(
                "无法读取工作表“{name}”：{}",
                workbook_error(bytes, &e.into())
            )
        })?;
        let Some(cell) = cell else { break };
        if matches!(cell.value, calamine::DataRef::Empty) && cell.formula.is_none() {
            continue;
        }
        let (r, c) = cell.pos;
        count += 1;
        max_r = max_r.max(r);
        max_c = max_c.max(c);
        if far.is_none() && (r >= MAX_ROWS || c >= MAX_COLS) {
            far = Some((r, c));
        }
        if count > MAX_CELLS {
            return Err(format!(
                "工作表“{name}”的内容超过 {MAX_CELLS} 个单元格，超出限制；请只保留决算表"
            ));
        }
    }
    if let Some((r, c)) = far {
        return Err(format!(
            "工作表“{name}”的范围 A1:{} 超出限制（最多 {MAX_ROWS} 行 {MAX_COLS} 列）：单元格 {} 有内容（声明的范围为 {}:{}）；请删除表格以外的内容后重新导入",
            a1(max_r as usize, max_c as usize),
            a1(r as usize, c as usize),
            a1(declared.start.0 as usize, declared.start.1 as usize),
            a1(declared.end.0 as usize, declared.end.1 as usize),
        ));
    }
    Ok(())
}

fn value(data: &Data) -> Val {
    match data {
        Data::Empty => Val::Empty,
        Data::String(s) => Val::Text(s.clone()),
        Data::Int(i) => Val::Number(i.to_string()),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => Val::Text(if *b { "TRUE" } else { "FALSE" }.to_string()),
        Data::DateTime(d) => Val::Text(d.to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Val::Text(s.clone()),
        Data::Error(e) => Val::Text(format!("#{e:?}")),
    }
}

/// The one float conversion on the path of an amount. Excel stores every number as an IEEE
/// double; the shortest decimal that round-trips to that double (Rust's `{}` for f64, never
/// in exponent form) is the decimal the user typed, e.g. 1030.41, because any decimal with at
/// most 15 significant digits survives the trip to a double and back. Such a figure is kept
/// as typed, so that 1.005 in a 元 or 万元 table is refused with its cell rather than rounded
/// behind the user's back. Only a value Excel computed (more than 15 significant digits, as
/// 0.1+0.2 → 0.30000000000000004) is rounded half-up to the 2 decimals every amount of these
/// tables has. Non-finite values are kept as text so that the cell is reported as not a
/// number.
pub fn float_text(f: f64) -> Val {
    if !f.is_finite() {
        return Val::Text(format!("{f}"));
    }
    let text = format!("{f}");
    let significant = text
        .bytes()
        .filter(u8::is_ascii_digit)
        .skip_while(|b| *b == b'0')
        .count();
    if significant <= 15 {
        Val::Number(text)
    } else {
        Val::Number(round_decimal(&text, 2))
    }
}

/// Rounds a plain decimal text half away from zero to `places` decimals, exactly (on the
/// digits, no arithmetic on floats). Text that is not a plain decimal is returned unchanged.
pub fn round_decimal(text: &str, places: usize) -> String {
    let (neg, body) = match text.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, text),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if frac.len() <= places
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || int.len() > 30
    {
        return text.to_string();
    }
    let kept = format!("{int}{}", &frac[..places]);
    let Ok(mut n) = kept.parse::<u128>() else {
        return text.to_string();
    };
    if frac.as_bytes()[places] >= b'5' {
        n += 1;
    }
    let p = 10u128.pow(places as u32);
    let s = if places == 0 {
        n.to_string()
    } else {
        format!("{}.{:0w$}", n / p, n % p, w = places)
    };
    if neg && n != 0 {
        format!("-{s}")
    } else {
        s
    }
}

/// Replaces formula cells by their value when the formula is one this evaluator knows;
/// others keep the value the file cached.
fn evaluate_formulas(sheet: &mut Sheet, formulas: &HashMap<(usize, usize), String>) {
    if formulas.is_empty() {
        return;
    }
    let mut done: HashMap<(usize, usize), Option<i128>> = HashMap::new();
    let mut keys: Vec<_> = formulas.keys().copied().collect();
    keys.sort_unstable();
    for key in keys {
        let mut visiting = Vec::new();
        if let Some(v) = eval_cell(sheet, formulas, &mut done, &mut visiting, key) {
            let text = round_decimal(&Money::from_fen(v as i64).format_wan_exact(), 2);
            let (r, c) = key;
            if sheet.cells.len() <= r {
                sheet.cells.resize(r + 1, Vec::new());
            }
            if sheet.cells[r].len() <= c {
                sheet.cells[r].resize(c + 1, Val::Empty);
            }
            sheet.cells[r][c] = Val::Number(text);
        }
    }
}

/// The value of a cell in millionths of its written unit: `Money::parse_wan` reads a decimal
/// with up to 6 places as an integer scaled by 10^6, which is all the evaluator needs.
fn eval_cell(
    sheet: &Sheet,
    formulas: &HashMap<(usize, usize), String>,
    done: &mut HashMap<(usize, usize), Option<i128>>,
    visiting: &mut Vec<(usize, usize)>,
    key: (usize, usize),
) -> Option<i128> {
    if let Some(v) = done.get(&key) {
        return *v;
    }
    let result = match formulas.get(&key) {
        Some(f) if !visiting.contains(&key) => {
            visiting.push(key);
            let r = Parser {
                s: f.trim().trim_start_matches('=').as_bytes(),
                i: 0,
            }
            .expression_all(&mut |cell| eval_cell(sheet, formulas, done, visiting, cell));
            visiting.pop();
            r
        }
        Some(_) => None,
        None => match sheet.get(key.0, key.1) {
            Val::Empty => Some(0),
            v => Money::parse_wan(v.text()).ok().map(|m| m.fen() as i128),
        },
    };
    done.insert(key, result);
    result
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

type Lookup<'f> = dyn FnMut((usize, usize)) -> Option<i128> + 'f;

impl Parser<'_> {
    fn expression_all(mut self, get: &mut Lookup) -> Option<i128> {
        let v = self.expression(get)?;
        self.skip_ws();
        (self.i == self.s.len()).then_some(v)
    }

    fn skip_ws(&mut self) {
        while self.s.get(self.i).is_some_and(u8::is_ascii_whitespace) {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.s.get(self.i).copied()
    }

    fn expression(&mut self, get: &mut Lookup) -> Option<i128> {
        let mut v = self.term(get)?;
        while let Some(op @ (b'+' | b'-')) = self.peek() {
            self.i += 1;
            let t = self.term(get)?;
            v = if op == b'+' { v + t } else { v - t };
        }
        Some(v)
    }

    fn term(&mut self, get: &mut Lookup) -> Option<i128> {
        match self.peek()? {
            b'-' => {
                self.i += 1;
                Some(-self.term(get)?)
            }
            b'+' => {
                self.i += 1;
                self.term(get)
            }
            b'(' => {
                self.i += 1;
                let v = self.expression(get)?;
                (self.peek()? == b')').then(|| self.i += 1)?;
                Some(v)
            }
            b'0'..=b'9' | b'.' => {
                let start = self.i;
                while self
                    .s
                    .get(self.i)
                    .is_some_and(|b| b.is_ascii_digit() || *b == b'.')
                {
                    self.i += 1;
                }
                let text = std::str::from_utf8(&self.s[start..self.i]).ok()?;
                Money::parse_wan(text).ok().map(|m| m.fen() as i128)
            }
            _ => {
                let rest = &self.s[self.i..];
                if rest.len() >= 4 && rest[..4].eq_ignore_ascii_case(b"SUM(") {
                    self.i += 4;
                    let mut total = 0;
                    loop {
                        total += self.sum_arg(get)?;
                        match self.peek()? {
                            b',' => self.i += 1,
                            b')' => {
                                self.i += 1;
                                return Some(total);
                            }
                            _ => return None,
                        }
                    }
                }
                let cell = self.cell_ref()?;
                get(cell)
            }
        }
    }

    fn sum_arg(&mut self, get: &mut Lookup) -> Option<i128> {
        let save = self.i;
        if let Some(a) = self.cell_ref() {
            if self.peek() == Some(b':') {
                self.i += 1;
                let b = self.cell_ref()?;
                let mut total = 0;
                for r in a.0.min(b.0)..=a.0.max(b.0) {
                    for c in a.1.min(b.1)..=a.1.max(b.1) {
                        // SUM ignores text, as Excel does
                        total += get((r, c)).unwrap_or(0);
                    }
                }
                return Some(total);
            }
        }
        self.i = save;
        self.expression(get)
    }

    /// A1, $A$1 (same sheet only).
    fn cell_ref(&mut self) -> Option<(usize, usize)> {
        self.skip_ws();
        let start = self.i;
        if self.s.get(self.i) == Some(&b'$') {
            self.i += 1;
        }
        let mut col = 0usize;
        let mut letters = 0;
        while let Some(b) = self.s.get(self.i).filter(|b| b.is_ascii_alphabetic()) {
            col = col * 26 + (b.to_ascii_uppercase() - b'A') as usize + 1;
            letters += 1;
            self.i += 1;
        }
        if self.s.get(self.i) == Some(&b'$') {
            self.i += 1;
        }
        let mut row = 0usize;
        let mut digits = 0;
        while let Some(b) = self.s.get(self.i).filter(|b| b.is_ascii_digit()) {
            row = row * 10 + (b - b'0') as usize;
            digits += 1;
            self.i += 1;
        }
        if letters == 0
            || letters > 3
            || digits == 0
            || row == 0
            || self.s.get(self.i) == Some(&b'!')
        {
            self.i = start;
            return None;
        }
        Some((row - 1, col - 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_become_the_typed_decimal() {
        assert_eq!(float_text(1030.41), Val::Number("1030.41".into()));
        assert_eq!(float_text(0.1 + 0.2), Val::Number("0.30".into()));
        assert_eq!(float_text(2040601.0), Val::Number("2040601".into()));
        // typed, so kept: the table's parser refuses the third decimal with the cell
        assert_eq!(float_text(-0.005), Val::Number("-0.005".into()));
        assert_eq!(float_text(1.005), Val::Number("1.005".into()));
        assert_eq!(float_text(f64::NAN), Val::Text("NaN".into()));
        assert_eq!(round_decimal("12.345", 2), "12.35");
        assert_eq!(round_decimal("12.344999", 2), "12.34");
        assert_eq!(round_decimal("-0.004", 2), "0.00");
        assert_eq!(col_letters(0), "A");
        assert_eq!(col_letters(27), "AB");
        assert_eq!(a1(11, 4), "E12");
    }

    #[test]
    fn simple_formulas_are_evaluated_exactly() {
        let mut sheet = Sheet {
            name: "s".into(),
            cells: vec![vec![
                Val::Number("0.1".into()),
                Val::Number("0.2".into()),
                Val::Empty,
                Val::Text("1,000.05".into()),
                Val::Empty,
            ]],
            merges: vec![],
        };
        let mut f = HashMap::new();
        f.insert((0, 2), "SUM(A1:B1)".to_string());
        f.insert((0, 4), "=C1+$D$1-A1".to_string());
        evaluate_formulas(&mut sheet, &f);
        assert_eq!(sheet.get(0, 2), &Val::Number("0.30".into()));
        assert_eq!(sheet.get(0, 4), &Val::Number("1000.25".into()));
    }
}
