//! The nine standard tables (表1 … 表9) of a 决算公开 [`Document`] as an .xlsx workbook, one
//! sheet per table, in the published layout: the title, the 编制单位 and 单位 line, the header
//! grid with its merged cells, then the body with amounts stored as numbers (format `0.00`),
//! so that a reader can sum and filter the same figures the PDF prints.
//!
//! It is not a renderer of the narrative, the charts or the narrative tables (those have no
//! table number), and it computes nothing: the figures arrive displayed (万元, 舍位平衡 applied)
//! from `juesuan-report` and are written as they are. It does not read workbooks.
//!
//! [`write_tables`] takes any sequence of tables, so `juesuan build` (through [`write_xlsx`])
//! and `juesuan export` share one code path. [`write_fill_in`] is the same path for a blank
//! workbook to fill in (`juesuan template`): the amount cells are left blank with a decimal
//! data validation, totals are formulas, and a hidden sheet carries metadata; which cells get
//! which formula is decided by the caller (juesuan-import), not here.

use juesuan_report::{Block, Cell, DisplayTable, Document};
use rust_xlsxwriter::{
    ColNum, DataValidation, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign,
    FormatBorder, Formula, RowNum, Workbook, Worksheet, XlsxError,
};
use std::collections::HashMap;

/// The cell font. 宋体 is what the published templates use and what every Chinese Excel has.
const FONT: &str = "宋体";
/// Windows font charset GB2312, so Excel picks the CJK face even where the name is unknown.
const FONT_CHARSET: u8 = 134;
/// Default row height and column width, in pixels, of 宋体 11 in Excel for Windows.
const DEFAULT_ROW_PX: u32 = 19;
const DEFAULT_COL_PX: u32 = 72;
/// Height of one line of 宋体 11, in points.
const LINE_PT: f64 = 14.25;
/// Sheet rows above the header grid: the title (row 0) and the 编制单位 line (row 1).
pub const HEADER_TOP: usize = 2;
/// Excel's built-in number formats "0", "0.00" and "0.00%".
const NUM_FORMAT_0: u8 = 1;
const NUM_FORMAT_0_00: u8 = 2;
const NUM_FORMAT_PERCENT: u8 = 10;
/// Excel's paper size code for A4.
const PAPER_A4: u8 = 9;
/// Wider sheets than this (in character units) print landscape.
const LANDSCAPE_FROM: f64 = 100.0;

/// The workbook of `doc`'s numbered tables (表1 … 表9), in document order.
///
/// Errors when the document has no numbered table or a table's grid is inconsistent (a
/// header cell outside the grid or overlapping another, a row wider than the grid).
pub fn write_xlsx(doc: &Document) -> Result<Vec<u8>, String> {
    write_tables(&doc.title, standard_tables(doc))
}

/// The tables [`write_xlsx`] writes: the `Table` blocks with a table number.
pub fn standard_tables(doc: &Document) -> impl Iterator<Item = &DisplayTable> {
    doc.blocks.iter().filter_map(|block| match block {
        Block::Table(t) if !t.number.is_empty() => Some(t),
        _ => None,
    })
}

/// A workbook with one sheet per table, in the given order; `title` goes into the document
/// properties. The output is the same bytes for the same input (fixed creation time).
pub fn write_tables<'a>(
    title: &str,
    tables: impl IntoIterator<Item = &'a DisplayTable>,
) -> Result<Vec<u8>, String> {
    write_workbook(title, tables.into_iter().map(|t| (t, None)), &[], &[])
}

/// A sheet of plain text after the tables: a bold first row, then text cells (format "@",
/// so that what a user types in Excel stays text: "1.50" is not turned into 1.5).
#[derive(Clone, Debug, Default)]
pub struct TextSheet {
    pub name: String,
    pub rows: Vec<Vec<String>>,
    /// Column widths in character units; columns not listed keep the default.
    pub widths: Vec<f64>,
}

/// [`write_tables`] followed by `extra` sheets (`juesuan export`: the rest of the dataset).
pub fn write_tables_with<'a>(
    title: &str,
    tables: impl IntoIterator<Item = &'a DisplayTable>,
    extra: &[TextSheet],
) -> Result<Vec<u8>, String> {
    write_workbook(title, tables.into_iter().map(|t| (t, None)), &[], extra)
}

/// How a table of a fill-in workbook differs from a published one.
#[derive(Clone, Debug, Default)]
pub struct FillIn {
    /// Formulas (without "="), keyed by (body row, column) of the table: these cells are
    /// totals the workbook computes.
    pub formulas: HashMap<(usize, usize), String>,
    /// Outline level of each body row (0 = none), so that 款 and 项 rows can be folded.
    pub row_levels: Vec<u8>,
}

/// A workbook to fill in: the tables' layout with their amount cells blank (decimal data
/// validation; non-zero amounts of the tables are written as pre-filled values) or formulas, and a hidden sheet `hidden_sheet` holding `metadata` as
/// key/value rows.
pub fn write_fill_in<'a>(
    title: &str,
    tables: impl IntoIterator<Item = (&'a DisplayTable, &'a FillIn)>,
    hidden_sheet: &str,
    metadata: &[(String, String)],
) -> Result<Vec<u8>, String> {
    let mut meta = vec![(hidden_sheet.to_string(), String::new())];
    meta.extend(metadata.iter().cloned());
    write_workbook(
        title,
        tables.into_iter().map(|(t, f)| (t, Some(f))),
        &meta,
        &[],
    )
}

/// The sheet row (0-based) of a table's first body row.
pub fn body_top(t: &DisplayTable) -> usize {
    HEADER_TOP + t.header_rows
}

fn write_workbook<'a>(
    title: &str,
    tables: impl IntoIterator<Item = (&'a DisplayTable, Option<&'a FillIn>)>,
    // the hidden sheet's name first (with an empty value), then its key/value rows
    metadata: &[(String, String)],
    extra: &[TextSheet],
) -> Result<Vec<u8>, String> {
    let mut workbook = Workbook::new();
    workbook
        .set_default_format(&base(), DEFAULT_ROW_PX, DEFAULT_COL_PX)
        .map_err(|e| format!("xlsx: default format: {e}"))?;
    // Excel stamps the current time; a fixed one keeps builds reproducible.
    let created = ExcelDateTime::from_ymd(2000, 1, 1).map_err(|e| format!("xlsx: {e}"))?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_creation_datetime(&created),
    );

    let styles = Styles::new();
    let mut count = 0;
    for (table, fill) in tables {
        validate(table)?;
        let sheet = workbook.add_worksheet();
        write_sheet(sheet, table, &styles, fill)
            .map_err(|e| format!("xlsx: {} {}: {e}", table.number, table.title))?;
        count += 1;
    }
    for t in extra {
        let sheet = workbook.add_worksheet();
        write_text_sheet(sheet, t, &styles).map_err(|e| format!("xlsx: {}: {e}", t.name))?;
    }
    if let Some(((name, _), rows)) = metadata.split_first() {
        let sheet = workbook.add_worksheet();
        let write = |sheet: &mut Worksheet| -> Result<(), XlsxError> {
            sheet.set_name(name)?;
            for (i, (k, v)) in rows.iter().enumerate() {
                sheet.write_string(row(i), 0, k)?;
                sheet.write_string(row(i), 1, v)?;
            }
            sheet.set_hidden(true);
            Ok(())
        };
        write(sheet).map_err(|e| format!("xlsx: {name}: {e}"))?;
    }
    if count == 0 {
        // Excel cannot open a workbook without sheets, and an empty one would hide the mistake.
        return Err("xlsx: no numbered table to write".to_string());
    }
    workbook
        .save_to_buffer()
        .map_err(|e| format!("xlsx: saving: {e}"))
}

fn write_text_sheet(
    sheet: &mut Worksheet,
    t: &TextSheet,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name(&t.name)?;
    for (c, w) in t.widths.iter().enumerate() {
        sheet.set_column_width(col(c), *w)?;
        sheet.set_column_format(col(c), &styles.plain)?;
    }
    for (r, cells) in t.rows.iter().enumerate() {
        let format = if r == 0 {
            &styles.plain_head
        } else {
            &styles.plain
        };
        for (c, v) in cells.iter().enumerate() {
            sheet.write_string_with_format(row(r), col(c), v, format)?;
        }
    }
    if !t.rows.is_empty() {
        sheet.set_freeze_panes(1, 0)?;
    }
    Ok(())
}

/// "表1 收入支出决算总表", without the characters Excel forbids in sheet names and cut to
/// Excel's limit of 31 (UTF-16) characters.
pub fn sheet_name(table: &DisplayTable) -> String {
    let full = format!("{} {}", table.number, table.title);
    let mut name = String::new();
    let mut units = 0;
    for c in full
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
    {
        units += c.len_utf16();
        if units > 31 {
            break;
        }
        name.push(c);
    }
    // Excel also refuses a name that begins or ends with an apostrophe, or is blank.
    let name = name.trim().trim_matches('\'').trim();
    if name.is_empty() {
        table.id.clone()
    } else {
        name.to_string()
    }
}

/// Checks the grid before writing, so a bad table is reported by name rather than as a
/// library error about overlapping ranges.
fn validate(t: &DisplayTable) -> Result<(), String> {
    let at = || format!("xlsx: {} {} ({})", t.number, t.title, t.id);
    if t.columns == 0 {
        return Err(format!("{}: table has no columns", at()));
    }
    let mut taken = vec![false; t.header_rows * t.columns];
    for h in &t.header {
        if h.rowspan == 0
            || h.colspan == 0
            || h.row + h.rowspan > t.header_rows
            || h.col + h.colspan > t.columns
        {
            return Err(format!(
                "{}: header cell \"{}\" at ({}, {}) spanning {}×{} lies outside the {}×{} header grid",
                at(),
                h.text,
                h.row,
                h.col,
                h.rowspan,
                h.colspan,
                t.header_rows,
                t.columns
            ));
        }
        for r in h.row..h.row + h.rowspan {
            for c in h.col..h.col + h.colspan {
                let slot = &mut taken[r * t.columns + c];
                if *slot {
                    return Err(format!(
                        "{}: header cell \"{}\" overlaps another at ({r}, {c})",
                        at(),
                        h.text
                    ));
                }
                *slot = true;
            }
        }
    }
    if let Some((i, row)) = t
        .rows
        .iter()
        .enumerate()
        .find(|(_, row)| row.cells.len() > t.columns)
    {
        return Err(format!(
            "{}: body row {} has {} cells for {} columns",
            at(),
            i + 1,
            row.cells.len(),
            t.columns
        ));
    }
    Ok(())
}

fn write_sheet(
    sheet: &mut Worksheet,
    t: &DisplayTable,
    s: &Styles,
    fill: Option<&FillIn>,
) -> Result<(), XlsxError> {
    sheet.set_name(sheet_name(t))?;
    let widths = column_widths(t);
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(col(c), *w)?;
    }
    let last_col = t.columns - 1;

    // Row 1: the title across the whole width.
    let title = format!("{} {}", t.number, t.title);
    merge(sheet, 0, 0, 0, last_col, &title, &s.title)?;
    sheet.set_row_height(0, 30)?;

    // Row 2: 编制单位 on the left half, the unit on the right.
    let entity = format!("编制单位：{}", t.entity);
    if t.columns == 1 {
        let both = format!("{entity}    {}", t.unit_label);
        sheet.write_string_with_format(1, 0, both.trim_end(), &s.entity)?;
    } else {
        let split = t.columns.div_ceil(2);
        merge(sheet, 1, 0, 1, split - 1, &entity, &s.entity)?;
        merge(sheet, 1, split, 1, last_col, &t.unit_label, &s.unit)?;
    }

    // The header grid, merged exactly as the spans say; uncovered slots still get borders.
    let mut covered = vec![false; t.header_rows * t.columns];
    for h in &t.header {
        merge(
            sheet,
            HEADER_TOP + h.row,
            h.col,
            HEADER_TOP + h.row + h.rowspan - 1,
            h.col + h.colspan - 1,
            &h.text,
            &s.header,
        )?;
        for r in h.row..h.row + h.rowspan {
            for c in h.col..h.col + h.colspan {
                covered[r * t.columns + c] = true;
            }
        }
    }
    for (i, _) in covered.iter().enumerate().filter(|(_, done)| !**done) {
        let (r, c) = (i / t.columns, i % t.columns);
        sheet.write_blank(row(HEADER_TOP + r), col(c), &s.header)?;
    }
    for (r, height) in header_heights(t, &widths).into_iter().enumerate() {
        sheet.set_row_height(row(HEADER_TOP + r), height)?;
    }

    // The body.
    let body_top = HEADER_TOP + t.header_rows;
    for (i, display_row) in t.rows.iter().enumerate() {
        let r = row(body_top + i);
        for c in 0..t.columns {
            let cell = display_row.cells.get(c).unwrap_or(&Cell::Empty);
            let format = s.body(cell, display_row.total);
            let c = col(c);
            match cell {
                Cell::Text { text, .. } => sheet.write_string_with_format(r, c, text, &format)?,
                Cell::Money(m) => match fill {
                    None => {
                        sheet.write_number_with_format(r, c, decimal(m.wan_cents(), 2), &format)?
                    }
                    Some(fill) => match fill.formulas.get(&(i, c as usize)) {
                        Some(f) => sheet.write_formula_with_format(
                            r,
                            c,
                            Formula::new(format!("={f}")),
                            &format,
                        )?,
                        // a pre-filled amount, else a blank input cell
                        None if m.fen() != 0 => sheet.write_number_with_format(
                            r,
                            c,
                            decimal(m.wan_cents(), 2),
                            &format,
                        )?,
                        None => sheet.write_blank(r, c, &format)?,
                    },
                },
                Cell::Count(n) => sheet.write_number_with_format(r, c, decimal(*n, 0), &format)?,
                Cell::Percent(p) => {
                    sheet.write_number_with_format(r, c, decimal(p.0, 4), &format)?
                }
                Cell::Empty => sheet.write_blank(r, c, &format)?,
            };
        }
    }

    if let Some(fill) = fill {
        for (i, level) in fill.row_levels.iter().enumerate() {
            if *level > 0 {
                let r = row(body_top + i);
                for _ in 0..*level {
                    sheet.group_rows(r, r)?;
                }
            }
        }
        // Amount columns accept decimals only; formulas are not affected by validation.
        let validation = DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(-1e13, 1e13))
            .set_error_title("金额")?
            .set_error_message("请填写数字金额（可带两位小数）")?;
        for c in 0..t.columns {
            if t.rows
                .iter()
                .any(|r| matches!(r.cells.get(c), Some(Cell::Money(_))))
                && !t.rows.is_empty()
            {
                sheet.add_data_validation(
                    row(body_top),
                    col(c),
                    row(body_top + t.rows.len() - 1),
                    col(c),
                    &validation,
                )?;
            }
        }
    }

    // The note, under the table across the whole width.
    if let Some(note) = t.note.as_deref().filter(|n| !n.trim().is_empty()) {
        let r = body_top + t.rows.len();
        merge(sheet, r, 0, r, last_col, note, &s.note)?;
        let total: f64 = widths.iter().sum();
        sheet.set_row_height(row(r), lines(note, total) as f64 * LINE_PT + 4.0)?;
    }

    // Keep the header in view while scrolling and on every printed page.
    sheet.set_freeze_panes(row(body_top), 0)?;
    sheet.set_repeat_rows(0, row(body_top - 1))?;
    sheet.set_paper_size(PAPER_A4);
    if widths.iter().sum::<f64>() > LANDSCAPE_FROM {
        sheet.set_landscape();
    }
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_print_center_horizontally(true);
    sheet.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

/// Writes `text` over the range, merging only when it is more than one cell (Excel rejects a
/// one-cell merge).
fn merge(
    sheet: &mut Worksheet,
    first_row: usize,
    first_col: usize,
    last_row: usize,
    last_col: usize,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    let (r1, c1, r2, c2) = (row(first_row), col(first_col), row(last_row), col(last_col));
    if r1 == r2 && c1 == c2 {
        sheet.write_string_with_format(r1, c1, text, format)?;
    } else {
        sheet.merge_range(r1, c1, r2, c2, text, format)?;
    }
    Ok(())
}

/// The double nearest to the decimal `units / 10^scale`. The value goes through its decimal
/// text because Rust's float parsing is correctly rounded: 400703 at scale 2 is stored as
/// 4007.03 exactly as Excel itself would store the typed figure. No float arithmetic happens.
fn decimal(units: i64, scale: u32) -> f64 {
    let sign = if units < 0 { "-" } else { "" };
    let abs = units.unsigned_abs();
    let text = if scale == 0 {
        format!("{sign}{abs}")
    } else {
        let p = 10u64.pow(scale);
        format!("{sign}{}.{:0w$}", abs / p, abs % p, w = scale as usize)
    };
    text.parse()
        .expect("a formatted integer decimal always parses")
}

fn row(r: usize) -> RowNum {
    // Validated grids are tiny next to Excel's 1,048,576 rows; saturating lets the library
    // report the overflow as its own range error.
    RowNum::try_from(r).unwrap_or(RowNum::MAX)
}

fn col(c: usize) -> ColNum {
    ColNum::try_from(c).unwrap_or(ColNum::MAX)
}

/// Display width in character units: CJK and other wide characters take two.
fn text_width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// Printed lines of `text` wrapped in a space `width` characters wide.
fn lines(text: &str, width: f64) -> usize {
    // Column widths are whole or half characters; rounding down leaves a margin for padding.
    let per_line = (width.floor() as usize).saturating_sub(1).max(1);
    text_width(text).div_ceil(per_line).max(1)
}

#[derive(Clone, Copy, PartialEq)]
enum ColumnKind {
    /// 科目编码: short digit strings.
    Code,
    /// 项目 / 科目名称: Chinese text.
    Name,
    Number,
}

fn column_kind(t: &DisplayTable, c: usize) -> ColumnKind {
    let cells = || t.rows.iter().filter_map(move |r| r.cells.get(c));
    if cells().any(Cell::is_number) {
        return ColumnKind::Number;
    }
    // The header cell naming this one column, if any.
    let header = |words: &[&str]| {
        t.header
            .iter()
            .any(|h| h.col == c && h.colspan == 1 && words.iter().any(|w| h.text.contains(w)))
    };
    let texts: Vec<&str> = cells()
        .filter_map(|cell| match cell {
            Cell::Text { text, .. } if !text.trim().is_empty() => Some(text.trim()),
            _ => None,
        })
        .collect();
    if header(&["编码", "代码"])
        || (!texts.is_empty() && texts.iter().all(|t| t.bytes().all(|b| b.is_ascii_digit())))
    {
        ColumnKind::Code
    } else if texts.is_empty() && !header(&["项目", "名称"]) {
        // An empty table (its note says why) still lays out its amount columns as amounts.
        ColumnKind::Number
    } else {
        ColumnKind::Name
    }
}

/// Column widths in character units: codes 12, amounts 14, names fitted to the longest name
/// (36 when the column has none), within 20 to 40.
fn column_widths(t: &DisplayTable) -> Vec<f64> {
    (0..t.columns)
        .map(|c| {
            let cells = t.rows.iter().filter_map(|r| r.cells.get(c));
            let longest = cells
                .map(|cell| match cell {
                    // An indent level is about two characters wide in 宋体 11.
                    Cell::Text { text, indent } => text_width(text) + 2 * usize::from(*indent),
                    other => other.display().len(),
                })
                .max()
                .unwrap_or(0);
            match column_kind(t, c) {
                ColumnKind::Code => 12.0_f64.max((longest + 2) as f64),
                ColumnKind::Number => 14.0_f64.max((longest + 3) as f64),
                ColumnKind::Name if longest == 0 => 36.0,
                ColumnKind::Name => ((longest + 2) as f64).clamp(20.0, 40.0),
            }
        })
        .collect()
}

/// Header row heights in points: enough lines for the wrapped text of the one-row cells.
fn header_heights(t: &DisplayTable, widths: &[f64]) -> Vec<f64> {
    let mut heights = vec![LINE_PT + 6.0; t.header_rows];
    for h in t.header.iter().filter(|h| h.rowspan == 1) {
        let width: f64 = widths[h.col..h.col + h.colspan].iter().sum();
        let needed = lines(&h.text, width) as f64 * LINE_PT + 6.0;
        heights[h.row] = heights[h.row].max(needed);
    }
    heights
}

/// 宋体 11, the font of every cell (explicit formats do not inherit the workbook default).
fn base() -> Format {
    Format::new()
        .set_font_name(FONT)
        .set_font_size(11)
        .set_font_charset(FONT_CHARSET)
}

struct Styles {
    title: Format,
    entity: Format,
    unit: Format,
    header: Format,
    text: Format,
    money: Format,
    count: Format,
    percent: Format,
    blank: Format,
    note: Format,
    plain: Format,
    plain_head: Format,
}

impl Styles {
    fn new() -> Styles {
        let grid = base()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter);
        Styles {
            title: base()
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            entity: base().set_align(FormatAlign::Left),
            unit: base().set_align(FormatAlign::Right),
            header: grid
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            text: grid.clone().set_align(FormatAlign::Left),
            // "0.00" as in the published templates (no thousands separator). All three are
            // Excel built-ins, referenced by id as Excel itself does rather than redefined.
            money: grid.clone().set_num_format_index(NUM_FORMAT_0_00),
            count: grid.clone().set_num_format_index(NUM_FORMAT_0),
            percent: grid.clone().set_num_format_index(NUM_FORMAT_PERCENT),
            blank: grid,
            plain: base().set_num_format("@").set_align(FormatAlign::Top),
            plain_head: base().set_num_format("@").set_bold(),
            note: base()
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::Top)
                .set_text_wrap(),
        }
    }

    fn body(&self, cell: &Cell, total: bool) -> Format {
        let format = match cell {
            Cell::Text { indent: 0, .. } => self.text.clone(),
            Cell::Text { indent, .. } => self.text.clone().set_indent(*indent),
            Cell::Money(_) => self.money.clone(),
            Cell::Count(_) => self.count.clone(),
            Cell::Percent(_) => self.percent.clone(),
            Cell::Empty => self.blank.clone(),
        };
        if total {
            format.set_bold()
        } else {
            format
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(number: &str, title: &str) -> DisplayTable {
        DisplayTable {
            id: "T1".into(),
            number: number.into(),
            title: title.into(),
            entity: String::new(),
            unit_label: String::new(),
            columns: 1,
            header: vec![],
            header_rows: 0,
            rows: vec![],
            note: None,
        }
    }

    #[test]
    fn decimal_is_the_printed_figure() {
        assert_eq!(decimal(400_703, 2), 4007.03);
        assert_eq!(decimal(-5, 2), -0.05);
        assert_eq!(decimal(9421, 4), 0.9421);
        assert_eq!(decimal(13, 0), 13.0);
        assert_eq!(decimal(0, 2), 0.0);
        // Same double as the text Excel would parse, for awkward binary fractions too.
        for cents in [1, 10, 29, 33, 70, 99, 123_456_789] {
            let text = format!("{}.{:02}", cents / 100, cents % 100);
            assert_eq!(decimal(cents, 2), text.parse::<f64>().unwrap());
        }
    }

    #[test]
    fn sheet_names_follow_excel_rules() {
        assert_eq!(
            sheet_name(&table("表1", "收入支出决算总表")),
            "表1 收入支出决算总表"
        );
        assert_eq!(sheet_name(&table("表9", "a[b]:c*d?e/f\\g")), "表9 abcdefg");
        let long = sheet_name(&table("表5", &"一".repeat(40)));
        assert_eq!(long.encode_utf16().count(), 31);
        assert!(long.starts_with("表5 一"));
        assert_eq!(sheet_name(&table("", "'")), "T1");
    }

    #[test]
    fn an_empty_table_keeps_its_column_layout() {
        let mut t = table("表9", "国有资本经营预算财政拨款收入支出决算表");
        t.columns = 3;
        t.header_rows = 1;
        t.header = ["科目编码", "项目", "本年支出"]
            .iter()
            .enumerate()
            .map(|(col, text)| juesuan_report::HeaderCell {
                text: text.to_string(),
                row: 0,
                col,
                rowspan: 1,
                colspan: 1,
            })
            .collect();
        t.note = Some("本单位无国有资本经营预算财政拨款收入，也没有支出，故本表为空表。".into());
        assert_eq!(column_widths(&t), [12.0, 36.0, 14.0]);
        // Through the same entry point `juesuan export` would use.
        assert!(write_tables("空表", [&t]).is_ok());
    }

    #[test]
    fn overlapping_header_cells_are_refused() {
        let mut t = table("表1", "x");
        t.columns = 2;
        t.header_rows = 1;
        let cell = |col, colspan| juesuan_report::HeaderCell {
            text: "项目".into(),
            row: 0,
            col,
            rowspan: 1,
            colspan,
        };
        t.header = vec![cell(0, 2), cell(1, 1)];
        assert!(validate(&t).unwrap_err().contains("overlaps"));
        t.header = vec![cell(1, 2)];
        assert!(validate(&t).unwrap_err().contains("outside"));
        t.header = vec![cell(0, 1), cell(1, 1)];
        assert!(validate(&t).is_ok());
    }
}
