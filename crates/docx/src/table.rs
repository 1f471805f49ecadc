//! A display table as a real Word table: the header grid with w:gridSpan / w:vMerge, header
//! rows repeated on every page, amounts right-aligned, 合计 rows bold.

use crate::styles::{CELL_MARGIN, TABLE_HALF_POINTS};
use crate::xml::{para, run, ParaProps, RunProps};
use juesuan_report::{Cell, DisplayTable};

/// Header shading, light enough to photocopy.
const HEADER_FILL: &str = "F2F2F2";
/// Smallest width a column may get, in half-character units (three CJK characters).
const MIN_UNITS: u32 = 6;
/// The fallback size for crowded tables, 小五 (9pt).
const SMALL_HALF_POINTS: u32 = 18;

/// Width of a text in half-character units: CJK and full-width forms take two, the rest one.
fn units(s: &str) -> u32 {
    s.chars()
        .map(|c| if (c as u32) >= 0x2E80 { 2 } else { 1 })
        .sum()
}

/// Twips a column needs to show `u` half-character units on one line at `half_points`.
fn twips(u: u32, half_points: u32) -> u32 {
    // One full character is `half_points * 10` twips, a half one `half_points * 5`.
    u * half_points * 5 + 2 * CELL_MARGIN + 40
}

/// The grid's column count: the declared one, widened if a row or header cell reaches further.
fn column_count(t: &DisplayTable) -> usize {
    let body = t.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let head = t
        .header
        .iter()
        .map(|h| h.col + h.colspan.max(1))
        .max()
        .unwrap_or(0);
    t.columns.max(body).max(head).max(1)
}

/// What each column asks for, in half-character units.
struct Demand {
    /// Must fit on one line: amounts, counts, codes, and a header word of up to four
    /// characters (a wrapped "2040806" or "4007.0 3" is unreadable).
    unbroken: Vec<u32>,
    /// The longest wrapping text (names), which gets the room left over.
    natural: Vec<u32>,
}

fn demand(t: &DisplayTable, ncols: usize) -> Demand {
    let mut unbroken = vec![MIN_UNITS; ncols];
    let mut natural = vec![0u32; ncols];
    for r in &t.rows {
        for (i, c) in r.cells.iter().enumerate() {
            match c {
                Cell::Text { text, indent } => {
                    let u = units(text) + 2 * *indent as u32;
                    if text.is_ascii() {
                        unbroken[i] = unbroken[i].max(u);
                    } else {
                        natural[i] = natural[i].max(u);
                    }
                }
                c => unbroken[i] = unbroken[i].max(units(&c.display())),
            }
        }
    }
    for h in t.header.iter().filter(|h| h.colspan <= 1 && h.col < ncols) {
        unbroken[h.col] = unbroken[h.col].max(units(&h.text).min(8));
    }
    Demand { unbroken, natural }
}

/// Widths at one font size: every column its unbroken minimum, then the spare room to the
/// wrapping columns in proportion to what they still want, or evenly when none does.
fn widths_at(d: &Demand, total: u32, half_points: u32) -> Vec<u32> {
    let mut widths: Vec<u32> = d.unbroken.iter().map(|u| twips(*u, half_points)).collect();
    let used: u32 = widths.iter().sum();
    if used > total {
        // Too wide even so: shrink proportionally and let Word wrap.
        for w in widths.iter_mut() {
            *w = (*w as u64 * total as u64 / used as u64) as u32;
        }
        return widths;
    }
    let want: Vec<u32> = d
        .natural
        .iter()
        .zip(&widths)
        .map(|(n, w)| twips(*n, half_points).saturating_sub(*w))
        .collect();
    let want_sum: u32 = want.iter().sum();
    let spare = total - used;
    let n = widths.len() as u32;
    for (w, extra) in widths.iter_mut().zip(&want) {
        *w += if want_sum > 0 {
            (spare as u64 * *extra as u64 / want_sum as u64) as u32
        } else {
            spare / n
        };
    }
    widths
}

/// Column widths in twips summing to at most `total`, and the font size (half-points).
///
/// 10pt when it fits; 9pt when at 10pt the figures overflow or a name column would get
/// fewer than eight characters a line while it needs more (表2/表3 with their seven amount
/// columns).
fn layout(t: &DisplayTable, ncols: usize, total: u32) -> (Vec<u32>, u32) {
    let d = demand(t, ncols);
    let large = widths_at(&d, total, TABLE_HALF_POINTS);
    let cramped = |widths: &[u32], hp: u32| {
        d.unbroken.iter().map(|u| twips(*u, hp)).sum::<u32>() > total
            || widths
                .iter()
                .zip(&d.natural)
                .any(|(w, n)| *w < twips((*n).min(16), hp))
    };
    if cramped(&large, TABLE_HALF_POINTS) {
        let small = widths_at(&d, total, SMALL_HALF_POINTS);
        (small, SMALL_HALF_POINTS)
    } else {
        (large, TABLE_HALF_POINTS)
    }
}

fn tc(width: u32, span: usize, merge: Option<&str>, header: bool, body: &str) -> String {
    let mut pr = format!("<w:tcW w:w=\"{width}\" w:type=\"dxa\"/>");
    if span > 1 {
        pr += &format!("<w:gridSpan w:val=\"{span}\"/>");
    }
    if let Some(m) = merge {
        pr += &format!("<w:vMerge w:val=\"{m}\"/>");
    }
    if header {
        pr += &format!("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{HEADER_FILL}\"/>");
    }
    pr += "<w:vAlign w:val=\"center\"/>";
    format!("<w:tc><w:tcPr>{pr}</w:tcPr>{body}</w:tc>")
}

/// The w:tbl element of a display table, `total` twips wide at most.
pub fn table_xml(t: &DisplayTable, total: u32) -> String {
    let ncols = column_count(t);
    let (widths, half_points) = layout(t, ncols, total);
    let size = if half_points == TABLE_HALF_POINTS {
        None
    } else {
        Some(half_points)
    };
    let span_width = |col: usize, span: usize| -> u32 { widths[col..col + span].iter().sum() };

    let mut out = String::from("<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/>");
    out += &format!(
        "<w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>\
         <w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>",
        widths.iter().sum::<u32>()
    );
    for w in &widths {
        out += &format!("<w:gridCol w:w=\"{w}\"/>");
    }
    out += "</w:tblGrid>";

    // Which header cell covers each grid position; spans are clipped to the grid.
    let rows = t.header_rows;
    let mut owner: Vec<Vec<Option<usize>>> = vec![vec![None; ncols]; rows];
    for (i, h) in t.header.iter().enumerate() {
        for row in owner.iter_mut().skip(h.row).take(h.rowspan.max(1)) {
            for slot in row.iter_mut().skip(h.col).take(h.colspan.max(1)) {
                slot.get_or_insert(i);
            }
        }
    }
    let header_props = ParaProps {
        style: Some("TableHeader"),
        mark: RunProps {
            bold: false,
            half_points: size,
        },
        ..ParaProps::default()
    };
    let header_run = RunProps {
        bold: false,
        half_points: size,
    };
    for (r, row) in owner.iter().enumerate() {
        out += "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>";
        let mut c = 0;
        while c < ncols {
            let Some(i) = row[c] else {
                out += &tc(widths[c], 1, None, true, &para(&header_props, ""));
                c += 1;
                continue;
            };
            let h = &t.header[i];
            if h.col != c {
                // Overlapping header cells (bad input): keep the grid whole with a blank.
                out += &tc(widths[c], 1, None, true, &para(&header_props, ""));
                c += 1;
                continue;
            }
            let span = h.colspan.max(1).min(ncols - c);
            let tall = h.rowspan > 1 && rows > 1;
            let (merge, text) = if h.row == r {
                (tall.then_some("restart"), h.text.as_str())
            } else {
                (Some("continue"), "")
            };
            let runs = if text.is_empty() {
                String::new()
            } else {
                run(text, header_run)
            };
            out += &tc(
                span_width(c, span),
                span,
                merge,
                true,
                &para(&header_props, &runs),
            );
            c += span;
        }
        out += "</w:tr>";
    }

    for r in &t.rows {
        out += "<w:tr><w:trPr><w:cantSplit/></w:trPr>";
        let props = RunProps {
            bold: r.total,
            half_points: size,
        };
        for (c, width) in widths.iter().enumerate() {
            let cell = r.cells.get(c).unwrap_or(&Cell::Empty);
            let mut pp = ParaProps {
                style: Some("TableText"),
                mark: props,
                ..ParaProps::default()
            };
            if cell.is_number() {
                pp.jc = Some("right");
            }
            if let Cell::Text { indent, .. } = cell {
                if *indent > 0 {
                    // One character per level; the twip form is for readers without Chars.
                    let hp = size.unwrap_or(TABLE_HALF_POINTS);
                    pp.ind = Some(format!(
                        "<w:ind w:leftChars=\"{}\" w:left=\"{}\" w:firstLineChars=\"0\" \
                         w:firstLine=\"0\"/>",
                        *indent as u32 * 100,
                        *indent as u32 * hp * 10
                    ));
                }
            }
            let text = cell.display();
            let runs = if text.is_empty() {
                String::new()
            } else {
                run(&text, props)
            };
            out += &tc(*width, 1, None, false, &para(&pp, &runs));
        }
        out += "</w:tr>";
    }
    out += "</w:tbl>";
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use juesuan_report::{DisplayRow, HeaderCell};

    fn table(columns: usize, rows: Vec<Vec<Cell>>) -> DisplayTable {
        DisplayTable {
            id: "T".into(),
            number: String::new(),
            title: String::new(),
            entity: String::new(),
            unit_label: String::new(),
            columns,
            header: vec![HeaderCell {
                text: "项目".into(),
                row: 0,
                col: 0,
                rowspan: 1,
                colspan: columns,
            }],
            header_rows: 1,
            rows: rows
                .into_iter()
                .map(|cells| DisplayRow {
                    cells,
                    total: false,
                })
                .collect(),
            note: None,
        }
    }

    #[test]
    fn widths_fill_the_text_width_and_favour_text_columns() {
        let t = table(
            3,
            vec![vec![
                Cell::text("一般公共预算财政拨款收入"),
                Cell::Count(4007),
                Cell::Empty,
            ]],
        );
        let (w, hp) = layout(&t, 3, 8844);
        assert_eq!(hp, TABLE_HALF_POINTS);
        assert!(w.iter().sum::<u32>() <= 8844);
        assert!(w.iter().sum::<u32>() > 8800);
        assert!(w[0] > w[1]);
    }

    #[test]
    fn many_columns_drop_to_nine_point() {
        let t = table(14, vec![vec![Cell::Count(123_456_789); 14]]);
        let (w, hp) = layout(&t, 14, 8844);
        assert_eq!(hp, 18);
        assert!(w.iter().sum::<u32>() <= 8844);
    }
}
