//! One table CSV in the standard layout → a [`Table`].

use crate::text::{decode, split_code, strip_numbering};
use juesuan_model::changes;
use juesuan_model::{
    normalize_number, AmountUnit, CodeBook, CodeLevel, Layout, Problem, Row, Table, TableDef,
    Template, ValueKind,
};

/// The key of the total row of functional tables.
pub const TOTAL_ROW: &str = "合计";

/// Reads one table. Problems are pushed with `file` as their location; the table is
/// returned when its header could be understood, even if some rows were bad.
pub fn read_table(
    bytes: &[u8],
    file: &str,
    def: &TableDef,
    template: &Template,
    unit: AmountUnit,
    problems: &mut Vec<Problem>,
) -> Option<Table> {
    let text = match decode(bytes) {
        Ok(t) => t,
        Err(e) => {
            problems.push(Problem::in_file(file, e.in_line()).at(e.line, None));
            return None;
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        match rec {
            Ok(r) => records.push((r.position().map_or(i + 1, |p| p.line() as usize), r)),
            Err(e) => {
                problems.push(Problem::in_file(file, format!("CSV 格式错误：{e}")));
                return None;
            }
        }
    }
    let mut rows = records
        .into_iter()
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()));
    let Some((header_line, header)) = rows.next() else {
        problems.push(Problem::in_file(
            file,
            format!("文件为空：{}至少要有表头行", def.label()),
        ));
        return None;
    };
    let header: Vec<String> = header.iter().map(clean_header).collect();
    let layout = Header::parse(&header, def, file, header_line, problems)?;
    let mut table = Table::new(&def.id, layout.columns.clone(), Some(file.to_string()));
    let mut used_fixed = vec![false; def.rows.len()];
    for (line, rec) in rows {
        let cell = |i: usize| rec.get(i).unwrap_or("").trim();
        let at = |col: &str| Problem::in_file(file, "").at(line, Some(col));
        let Some((key, name)) = row_key(
            def,
            template,
            cell(0),
            layout.name_col.map(cell).unwrap_or(""),
            &mut used_fixed,
        )
        .map_err(|msg| {
            let col = header[0].clone();
            problems.push(Problem {
                message: msg,
                ..at(&col)
            })
        })
        .ok() else {
            continue;
        };
        let kind = template.row_kind(def, &key);
        let mut values = Vec::with_capacity(layout.columns.len());
        for (ci, (col_name, &idx)) in layout.columns.iter().zip(&layout.value_cols).enumerate() {
            // a blank comparative means "not given"; a blank amount means zero
            if ci >= def.columns.len() && cell(idx).is_empty() {
                values.push(None);
                continue;
            }
            match parse_value(cell(idx), kind, unit) {
                Ok(v) => values.push(Some(v)),
                Err(msg) => {
                    problems.push(Problem {
                        message: msg,
                        ..at(col_name)
                    });
                    values.push(Some(0));
                }
            }
        }
        if rec.len() > header.len() && rec.iter().skip(header.len()).any(|c| !c.trim().is_empty()) {
            problems.push(Problem {
                message: format!(
                    "本行有 {} 个单元格，多于表头的 {} 列",
                    rec.len(),
                    header.len()
                ),
                ..Problem::in_file(file, "").at(line, None)
            });
        }
        if let Err(prev) = table.push_row(Row {
            key: key.clone(),
            name,
            values,
            line: Some(line),
        }) {
            let msg = format!(
                "“{}”重复出现（第{}行已有）",
                key,
                prev.line.unwrap_or_default()
            );
            problems.push(Problem {
                message: msg,
                ..at(&header[0])
            });
        }
    }
    Some(table)
}

/// A header cell without spaces, line breaks or a unit suffix: "决算数（万元）" → "决算数".
fn clean_header(s: &str) -> String {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    for suffix in ["（万元）", "(万元)", "（元）", "(元)"] {
        if let Some(stripped) = s.strip_suffix(suffix) {
            return stripped.to_string();
        }
    }
    s
}

struct Header {
    name_col: Option<usize>,
    /// Column names present, required first in template order, then optional.
    columns: Vec<String>,
    /// For each entry of `columns`, its index in the CSV record.
    value_cols: Vec<usize>,
}

impl Header {
    fn parse(
        header: &[String],
        def: &TableDef,
        file: &str,
        line: usize,
        problems: &mut Vec<Problem>,
    ) -> Option<Header> {
        let before = problems.len();
        let mut push = |column: Option<&str>, msg: String| {
            problems.push(Problem::in_file(file, msg).at(line, column));
        };
        let (label_cols, expected_first) = match def.layout {
            Layout::Fixed => (1, "项目"),
            Layout::Functional | Layout::Economic => (2, "科目编码"),
        };
        let first_ok = match def.layout {
            Layout::Fixed => matches!(header[0].as_str(), "项目" | "科目名称" | "名称"),
            _ => header[0].contains("编码") || header[0] == "科目",
        };
        if !first_ok {
            push(
                Some(&header[0]),
                format!("表头第1列应为“{expected_first}”，文件中为“{}”", header[0]),
            );
        }
        let name_col = (label_cols == 2).then_some(1);
        let mut found: Vec<(String, usize)> = Vec::new();
        for (i, h) in header.iter().enumerate().skip(label_cols) {
            if h.is_empty() {
                continue;
            }
            if !def.has_column(h) {
                let all: Vec<&str> = def
                    .columns
                    .iter()
                    .chain(&def.optional_columns)
                    .map(String::as_str)
                    .collect();
                push(
                    Some(h),
                    format!("{}没有“{h}”列（可用的列：{}）", def.label(), all.join("、")),
                );
            } else if found.iter().any(|(n, _)| n == h) {
                push(Some(h), format!("“{h}”列重复"));
            } else {
                found.push((h.clone(), i));
            }
        }
        for c in &def.columns {
            if !found.iter().any(|(n, _)| n == c) {
                push(
                    None,
                    format!(
                        "缺少“{c}”列：{}必须有 {}",
                        def.label(),
                        def.columns.join("、")
                    ),
                );
            }
        }
        if problems.len() > before {
            return None;
        }
        let mut columns = Vec::new();
        let mut value_cols = Vec::new();
        for c in def.columns.iter().chain(&def.optional_columns) {
            if let Some((_, i)) = found.iter().find(|(n, _)| n == c) {
                columns.push(c.clone());
                value_cols.push(*i);
            }
        }
        Some(Header {
            name_col,
            columns,
            value_cols,
        })
    }
}

/// Resolves a row's label cells to (key, display name), or a Chinese message.
fn row_key(
    def: &TableDef,
    template: &Template,
    first: &str,
    name: &str,
    used_fixed: &mut [bool],
) -> Result<(String, String), String> {
    if def.layout == Layout::Fixed {
        let label = strip_numbering(first);
        // T1/T4 class rows may be written by code, "204 公共安全支出", or by name.
        let by_code = split_code(label).map(|(code, _)| code);
        let candidates: Vec<usize> = def
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| by_code.map_or_else(|| r.matches(label), |c| r.key == c))
            .map(|(i, _)| i)
            .collect();
        // "总计" names both sides of T1/T4: the first unused one in order.
        let pick = candidates
            .iter()
            .copied()
            .find(|&i| !used_fixed[i])
            .or(candidates.first().copied());
        return match pick {
            Some(i) => {
                used_fixed[i] = true;
                if let (Some(code), Some((_, written))) = (by_code, split_code(label)) {
                    let r = &def.rows[i];
                    if !written.is_empty() && !r.matches(written) {
                        return Err(format!(
                            "编码 {code} 的名称应为“{}”，文件中为“{written}”",
                            r.display_name()
                        ));
                    }
                }
                Ok((
                    def.rows[i].key.clone(),
                    def.rows[i].display_name().to_string(),
                ))
            }
            None => Err(format!("{}没有“{}”这一行", def.label(), first.trim())),
        };
    }
    let book = template
        .codebook(def.layout)
        .expect("classified layout has a code book");
    let (code, written_name) = match split_code(first) {
        Some((code, rest)) => (code, if rest.is_empty() { name.trim() } else { rest }),
        None => {
            let label = if first.is_empty() { name.trim() } else { first };
            let label = strip_numbering(label);
            if def.layout == Layout::Functional && matches!(label, "合计" | "总计") {
                return Ok((TOTAL_ROW.to_string(), TOTAL_ROW.to_string()));
            }
            if let Some(r) = def.rows.iter().find(|r| r.matches(label)) {
                return Ok((r.key.clone(), r.display_name().to_string()));
            }
            if label.is_empty() {
                return Err("缺少科目编码".to_string());
            }
            return Err(format!(
                "“{label}”不是科目编码，也不是{}的合计行",
                def.label()
            ));
        }
    };
    // A code that changed between years says what it became, not just that it is unknown.
    let changes = changes::all_changes().unwrap_or_default();
    let Some(entry) = book.get(code) else {
        if let Some(why) = changes::explain_missing(changes, book, template.year, code) {
            return Err(why);
        }
        return Err(format!(
            "{} {} 年没有编码“{code}”",
            book.title, template.year
        ));
    };
    if def.layout == Layout::Economic {
        let class = &code[..3];
        if !def.classes.iter().any(|c| c == class) || entry.level == CodeLevel::Item {
            return Err(format!(
                "{}只列经济分类 {} 类及其款，不能有“{code}”",
                def.label(),
                def.classes.join("、")
            ));
        }
    }
    if !written_name.is_empty() && !CodeBook::name_matches(entry, written_name) {
        if let Some(why) = changes::explain_name(changes, book, template.year, code, written_name) {
            return Err(why);
        }
        return Err(format!(
            "科目编码 {code} 的名称应为“{}”，文件中为“{written_name}”",
            entry.name
        ));
    }
    Ok((code.to_string(), entry.name.clone()))
}

fn parse_value(cell: &str, kind: ValueKind, unit: AmountUnit) -> Result<i64, String> {
    match kind {
        ValueKind::Money => unit
            .parse_money(cell)
            .map(|m| m.fen())
            .map_err(|e| e.to_string()),
        ValueKind::Count => normalize_number(cell)
            .parse::<i64>()
            .map_err(|_| format!("“{}”不是整数", cell.trim())),
        ValueKind::Score => juesuan_model::Money::parse_yuan(cell)
            .map(|m| m.fen())
            .map_err(|e| e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(def_id: &str, csv: &str) -> (Option<Table>, Vec<Problem>) {
        let t = Template::for_year(2024).unwrap();
        let def = t.table(def_id).unwrap();
        let mut problems = Vec::new();
        let table = read_table(
            csv.as_bytes(),
            "t.csv",
            def,
            t,
            AmountUnit::Wan,
            &mut problems,
        );
        (table, problems)
    }

    #[test]
    fn reads_messy_but_valid_cells() {
        let (t, p) = read(
            "T5",
            "\u{feff}科目编码,科目名称,合计,基本支出,项目支出,年初预算\n\
             ,合计,\"1,030.41\",１０３０．４１,－, \n\
             2040601 行政运行,,1030.41 ,1030.41,-,1093.77\n",
        );
        assert!(p.is_empty(), "{p:?}");
        let t = t.unwrap();
        assert_eq!(t.get("合计", "合计"), Some(1_030_410_000));
        assert_eq!(t.get("合计", "基本支出"), Some(1_030_410_000));
        assert_eq!(
            t.get("合计", "年初预算"),
            None,
            "blank comparative is not given"
        );
        assert_eq!(t.get("2040601", "年初预算"), Some(1_093_770_000));
        assert_eq!(t.get("2040601", "上年决算"), None);
        assert_eq!(t.get("2050205", "合计"), Some(0));
    }

    #[test]
    fn a_wan_amount_has_at_most_two_decimals() {
        let (t, p) = read(
            "T5",
            "科目编码,科目名称,合计,基本支出,项目支出\n\
             2040601,行政运行,1.005,1.000,0.005\n",
        );
        let msgs: Vec<String> = p.iter().map(ToString::to_string).collect();
        assert_eq!(msgs.len(), 2, "{msgs:#?}");
        assert!(
            msgs[0].starts_with("t.csv 第2行 “合计”列：“1.005”有两位以上小数"),
            "{}",
            msgs[0]
        );
        assert!(msgs[1].contains("“项目支出”列：“0.005”"), "{}", msgs[1]);
        drop(t);
        // trailing zeros are the same cent
        let (t, p) = read(
            "T5",
            "科目编码,科目名称,合计,基本支出,项目支出\n2040601,行政运行,1.000,1.000,0\n",
        );
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(t.unwrap().get("2040601", "基本支出"), Some(1_000_000));
    }

    #[test]
    fn every_bad_cell_is_reported_with_its_place() {
        let (_, p) = read(
            "T5",
            "科目编码,科目名称,合计,基本支出,项目支出\n\
             2040601,行政运行,abc,1,1.2345678\n\
             9999999,不存在,1,1,0\n\
             2040601,法治建设,1,1,0\n",
        );
        let msgs: Vec<String> = p.iter().map(ToString::to_string).collect();
        assert_eq!(msgs.len(), 4, "{msgs:#?}");
        assert_eq!(msgs[0], "t.csv 第2行 “合计”列：“abc”不是数字");
        assert_eq!(
            msgs[1],
            "t.csv 第2行 “项目支出”列：“1.2345678”的小数位超过 6 位"
        );
        assert!(msgs[2]
            .starts_with("t.csv 第3行 “科目编码”列：支出功能分类科目 2024 年没有编码“9999999”"));
        assert!(msgs[3].contains("第4行") && msgs[3].contains("名称应为“行政运行”"));
    }

    #[test]
    fn fixed_rows_accept_numbering_codes_and_both_totals() {
        let (t, p) = read(
            "T1",
            "项目,决算数\n一、一般公共预算财政拨款收入,3441.03\n总计,10\n四、公共安全支出,5\n221 住房保障支出,1\n总计,10\n",
        );
        assert!(p.is_empty(), "{p:?}");
        let t = t.unwrap();
        assert_eq!(t.get("收入总计", "决算数"), Some(10_000_000));
        assert_eq!(t.get("支出总计", "决算数"), Some(10_000_000));
        assert_eq!(t.get("204", "决算数"), Some(5_000_000));
        assert_eq!(t.get("221", "决算数"), Some(1_000_000));
    }

    #[test]
    fn header_problems_are_reported() {
        let (t, p) = read("T7", "项目,预算数,决算,备注\n");
        assert!(t.is_none());
        let msgs: Vec<String> = p.iter().map(ToString::to_string).collect();
        assert!(msgs.iter().any(|m| m.contains("没有“决算”列")), "{msgs:?}");
        assert!(
            msgs.iter().any(|m| m.contains("缺少“决算数”列")),
            "{msgs:?}"
        );
    }
}
