//! Reading a written workbook back with `calamine`, as a spreadsheet reader would.

use calamine::{open_workbook, Data, Reader, Xlsx};
use juesuan_report::DisplayTable;
use std::path::Path;

/// A cell as Excel displays it, from its stored value and its own number format.
fn displayed(data: &Data, format: Option<&str>) -> String {
    match (data, format) {
        (Data::Empty, _) => String::new(),
        (Data::String(s), _) => s.clone(),
        (Data::Float(v), Some("0.00")) => format!("{v:.2}"),
        (Data::Float(v), Some("0")) => format!("{v:.0}"),
        (Data::Float(v), Some("0.00%")) => format!("{:.2}%", v * 100.0),
        (Data::Int(n), Some("0")) => n.to_string(),
        other => panic!("unexpected cell {other:?}"),
    }
}

/// The workbook at `book` holds exactly `tables`, one sheet each in order, and every cell a
/// reader sees (title, 编制单位, unit, header, body, note) is what the input displays; the
/// header's merged ranges are exactly the multi-cell header spans.
pub fn assert_reads_back<'a>(book: &Path, tables: impl IntoIterator<Item = &'a DisplayTable>) {
    let tables: Vec<&DisplayTable> = tables.into_iter().collect();
    let mut xlsx: Xlsx<_> = open_workbook(book).expect("calamine opens the workbook");
    let names: Vec<String> = tables.iter().map(|t| juesuan_xlsx::sheet_name(t)).collect();
    assert_eq!(xlsx.sheet_names(), names);
    for (table, name) in tables.into_iter().zip(&names) {
        let range = xlsx.worksheet_range(name).expect("sheet");
        let styles = xlsx.worksheet_style(name).expect("styles");
        let at = |r: usize, c: usize| {
            let pos = (r as u32, c as u32);
            let data = range.get_value(pos).cloned().unwrap_or(Data::Empty);
            let format = styles
                .get(pos)
                .and_then(|s| s.number_format.as_ref())
                .map(|f| f.format_code.clone());
            displayed(&data, format.as_deref())
        };

        assert_eq!(at(0, 0), format!("{} {}", table.number, table.title));
        assert_eq!(at(1, 0), format!("编制单位：{}", table.entity));
        if table.columns > 1 {
            assert_eq!(at(1, table.columns.div_ceil(2)), table.unit_label);
        }
        for h in &table.header {
            assert_eq!(at(2 + h.row, h.col), h.text, "{name} header");
        }
        let body = 2 + table.header_rows;
        for (i, row) in table.rows.iter().enumerate() {
            for c in 0..table.columns {
                let shown = row
                    .cells
                    .get(c)
                    .map(|cell| cell.display())
                    .unwrap_or_default();
                assert_eq!(at(body + i, c), shown, "{name} row {i} col {c}");
            }
        }
        if let Some(note) = &table.note {
            assert_eq!(&at(body + table.rows.len(), 0), note);
        }

        let mut merges: Vec<_> = xlsx
            .merge_cells_by_sheet_name(name)
            .expect("merges")
            .into_iter()
            .filter(|d| (2..body as u32).contains(&d.start.0))
            .map(|d| (d.start, d.end))
            .collect();
        merges.sort_unstable();
        let mut spans: Vec<((u32, u32), (u32, u32))> = table
            .header
            .iter()
            .filter(|h| h.rowspan * h.colspan > 1)
            .map(|h| {
                let (r, c) = ((2 + h.row) as u32, h.col as u32);
                ((r, c), (r + h.rowspan as u32 - 1, c + h.colspan as u32 - 1))
            })
            .collect();
        spans.sort_unstable();
        assert_eq!(merges, spans, "{name} header merges");
    }
}
