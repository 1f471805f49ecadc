//! The nine tables in their standard printed layout (第五部分), from the displayed figures.
//! T1 and T4 are two-sided (收入 | 支出), T6 has 人员经费 and 公用经费 side by side, T7 is one row
//! of 预算数/决算数 pairs; the others list 合计 then the 功能分类 rows in code order.

use crate::document::{Cell, DisplayRow, DisplayTable, HeaderCell};
use juesuan_model::{CodeBook, Money, Table, TableDef, TableSet, Template};

pub(crate) struct Grid {
    header: Vec<HeaderCell>,
    header_rows: usize,
    columns: usize,
}

impl Grid {
    pub(crate) fn new(columns: usize, header_rows: usize) -> Grid {
        Grid {
            header: Vec::new(),
            header_rows,
            columns,
        }
    }

    pub(crate) fn cell(
        mut self,
        row: usize,
        col: usize,
        rowspan: usize,
        colspan: usize,
        text: &str,
    ) -> Grid {
        self.header.push(HeaderCell {
            text: text.to_string(),
            row,
            col,
            rowspan,
            colspan,
        });
        self
    }

    /// (header cells, header rows, grid columns)
    pub(crate) fn into_parts(self) -> (Vec<HeaderCell>, usize, usize) {
        (self.header, self.header_rows, self.columns)
    }
}

fn money(t: Option<&Table>, row: &str, column: &str) -> Cell {
    Cell::Money(Money::from_fen(
        t.and_then(|t| t.get(row, column)).unwrap_or(0),
    ))
}

fn row(cells: Vec<Cell>, total: bool) -> DisplayRow {
    DisplayRow { cells, total }
}

fn text(s: &str) -> Cell {
    Cell::text(s)
}

/// All nine tables for `entity`, in order; `kind` is 部门 or 单位 (for the 空表 notes).
pub fn nine_tables(
    set: &TableSet,
    template: &Template,
    entity: &str,
    kind: &str,
) -> Vec<DisplayTable> {
    template
        .standard_tables()
        .map(|def| {
            let t = set.get(&def.id);
            let (grid, rows) = match def.id.as_str() {
                "T1" => t1(t, def),
                "T4" => t4(t, def),
                "T6" => t6(t, def, template),
                "T7" => t7(t),
                _ => functional(t, def, template),
            };
            let empty = rows.iter().all(|r| {
                r.cells
                    .iter()
                    .all(|c| !matches!(c, Cell::Money(m) if m.fen() != 0))
            });
            let note = match def.id.as_str() {
                "T8" | "T9" if empty => Some(format!(
                    "注：本{kind}{}年度没有{}，故本表无数据。",
                    template.year,
                    if def.id == "T8" {
                        "政府性基金预算财政拨款收入、支出和结转结余"
                    } else {
                        "国有资本经营预算财政拨款收入、支出和结转结余"
                    }
                )),
                _ => None,
            };
            DisplayTable {
                id: def.id.clone(),
                number: def.label(),
                title: def.title.clone(),
                entity: entity.to_string(),
                unit_label: "单位：万元".to_string(),
                columns: grid.columns,
                header: grid.header,
                header_rows: grid.header_rows,
                rows,
                note,
            }
        })
        .collect()
}

fn is_total_name(name: &str) -> bool {
    name.contains("合计") || name.contains("总计")
}

fn t1(t: Option<&Table>, def: &TableDef) -> (Grid, Vec<DisplayRow>) {
    let grid = Grid::new(4, 2)
        .cell(0, 0, 1, 2, "收入")
        .cell(0, 2, 1, 2, "支出")
        .cell(1, 0, 1, 1, "项目")
        .cell(1, 1, 1, 1, "决算数")
        .cell(1, 2, 1, 1, "项目")
        .cell(1, 3, 1, 1, "决算数");
    let group = |g: &str| -> Vec<(String, String)> {
        def.rows
            .iter()
            .filter(|r| r.group.as_deref() == Some(g))
            .map(|r| (r.key.clone(), r.display_name().to_string()))
            .collect()
    };
    let left = group("收入项目");
    let right = group("支出功能分类");
    let mut rows = Vec::new();
    let side = |item: Option<&(String, String)>| -> [Cell; 2] {
        match item {
            Some((k, n)) => [text(n), money(t, k, "决算数")],
            None => [Cell::Empty, Cell::Empty],
        }
    };
    for i in 0..left.len().max(right.len()) {
        let [a, b] = side(left.get(i));
        let [c, d] = side(right.get(i));
        rows.push(row(vec![a, b, c, d], false));
    }
    for (l, ln, r, rn) in [
        (
            "本年收入合计",
            "本年收入合计",
            "本年支出合计",
            "本年支出合计",
        ),
        (
            "使用非财政拨款结余",
            "使用非财政拨款结余",
            "结余分配",
            "结余分配",
        ),
        (
            "年初结转和结余",
            "年初结转和结余",
            "年末结转和结余",
            "年末结转和结余",
        ),
        ("收入总计", "总计", "支出总计", "总计"),
    ] {
        rows.push(row(
            vec![
                text(ln),
                money(t, l, "决算数"),
                text(rn),
                money(t, r, "决算数"),
            ],
            is_total_name(ln),
        ));
    }
    (grid, rows)
}

const FUNDS: [&str; 3] = [
    "一般公共预算财政拨款",
    "政府性基金预算财政拨款",
    "国有资本经营预算财政拨款",
];

fn t4(t: Option<&Table>, def: &TableDef) -> (Grid, Vec<DisplayRow>) {
    let mut grid = Grid::new(7, 2)
        .cell(0, 0, 1, 2, "收入")
        .cell(0, 2, 1, 5, "支出")
        .cell(1, 0, 1, 1, "项目")
        .cell(1, 1, 1, 1, "决算数")
        .cell(1, 2, 1, 1, "项目")
        .cell(1, 3, 1, 1, "合计");
    for (i, f) in FUNDS.iter().enumerate() {
        grid = grid.cell(1, 4 + i, 1, 1, f);
    }
    let four = |k: &str| -> Vec<Cell> {
        std::iter::once("合计")
            .chain(FUNDS)
            .map(|c| money(t, k, c))
            .collect()
    };
    let classes: Vec<(String, String)> = def
        .rows
        .iter()
        .filter(|r| r.group.as_deref() == Some("支出功能分类"))
        .map(|r| (r.key.clone(), r.display_name().to_string()))
        .collect();
    let mut rows = Vec::new();
    for (i, (k, n)) in classes.iter().enumerate() {
        let mut cells = match FUNDS.get(i) {
            Some(f) => vec![text(f), money(t, "本年收入合计", f)],
            None => vec![Cell::Empty, Cell::Empty],
        };
        cells.push(text(n));
        cells.extend(four(k));
        rows.push(row(cells, false));
    }
    let pair = |l: &str, lv: Cell, r: &str, rk: &str, total: bool| {
        let mut cells = vec![text(l), lv, text(r)];
        cells.extend(four(rk));
        row(cells, total)
    };
    rows.push(pair(
        "本年收入合计",
        money(t, "本年收入合计", "合计"),
        "本年支出合计",
        "本年支出合计",
        true,
    ));
    rows.push(pair(
        "年初财政拨款结转和结余",
        money(t, "年初财政拨款结转和结余", "合计"),
        "年末财政拨款结转和结余",
        "年末财政拨款结转和结余",
        false,
    ));
    for f in FUNDS {
        let mut cells = vec![
            Cell::Text {
                text: f.to_string(),
                indent: 1,
            },
            money(t, "年初财政拨款结转和结余", f),
        ];
        cells.extend([
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
        ]);
        rows.push(row(cells, false));
    }
    rows.push(pair(
        "总计",
        money(t, "收入总计", "合计"),
        "总计",
        "支出总计",
        true,
    ));
    (grid, rows)
}

/// Code-ordered rows of a classified table (without 合计 and fixed rows).
fn coded_rows(t: Option<&Table>, def: &TableDef) -> Vec<String> {
    let mut keys: Vec<String> = t
        .map(|t| {
            t.rows()
                .iter()
                .filter(|r| r.key != "合计" && def.row_def(&r.key).is_none())
                .map(|r| r.key.clone())
                .collect()
        })
        .unwrap_or_default();
    keys.sort();
    keys
}

fn depth(code: &str) -> u8 {
    let mut d = 0;
    let mut c = code;
    while let Some(p) = CodeBook::parent_code(c) {
        d += 1;
        c = p;
    }
    d
}

fn name_of(t: Option<&Table>, def: &TableDef, template: &Template, key: &str) -> String {
    match t.and_then(|t| t.row(key)) {
        Some(r) if !r.name.is_empty() && r.name != r.key => r.name.clone(),
        _ => template.row_name(def, key),
    }
}

pub(crate) fn functional(
    t: Option<&Table>,
    def: &TableDef,
    template: &Template,
) -> (Grid, Vec<DisplayRow>) {
    let (grid, data_cols) = functional_header(def);
    let mut rows = Vec::new();
    let values = |k: &str| -> Vec<Cell> { data_cols.iter().map(|c| money(t, k, c)).collect() };
    let mut total = vec![Cell::Empty, text("合计")];
    total.extend(values("合计"));
    rows.push(row(total, true));
    for k in coded_rows(t, def) {
        let mut cells = vec![
            text(&k),
            Cell::Text {
                text: name_of(t, def, template, &k),
                indent: depth(&k),
            },
        ];
        cells.extend(values(&k));
        rows.push(row(cells, false));
    }
    (grid, rows)
}

/// Header of a functional table: 科目编码 | 科目名称 | the standard columns, with 本年支出
/// spanning its parts where the template has them.
fn functional_header(def: &TableDef) -> (Grid, Vec<String>) {
    let cols = def.columns.clone();
    let mut grid = Grid::new(2 + cols.len(), 2)
        .cell(0, 0, 1, 2, "项目")
        .cell(1, 0, 1, 1, "科目编码")
        .cell(1, 1, 1, 1, "科目名称");
    let spend = ["本年支出合计", "基本支出", "项目支出"];
    let mut i = 0;
    while i < cols.len() {
        let c = 2 + i;
        let group_start = cols[i] == "本年支出合计"
            && cols.get(i + 1).map(String::as_str) == Some("基本支出")
            && def.id != "T3";
        if group_start {
            grid = grid
                .cell(0, c, 1, 3, "本年支出")
                .cell(1, c, 1, 1, "小计")
                .cell(1, c + 1, 1, 1, spend[1])
                .cell(1, c + 2, 1, 1, spend[2]);
            i += 3;
        } else if def.id == "T5" && i == 0 {
            grid = grid
                .cell(0, c, 1, 3, "本年支出")
                .cell(1, c, 1, 1, "小计")
                .cell(1, c + 1, 1, 1, "基本支出")
                .cell(1, c + 2, 1, 1, "项目支出");
            i += 3;
        } else {
            grid = grid.cell(0, c, 2, 1, &cols[i]);
            i += 1;
        }
    }
    (grid, cols)
}

fn t6(t: Option<&Table>, def: &TableDef, template: &Template) -> (Grid, Vec<DisplayRow>) {
    let grid = Grid::new(6, 2)
        .cell(0, 0, 1, 3, "人员经费")
        .cell(0, 3, 1, 3, "公用经费")
        .cell(1, 0, 1, 1, "科目编码")
        .cell(1, 1, 1, 1, "科目名称")
        .cell(1, 2, 1, 1, "决算数")
        .cell(1, 3, 1, 1, "科目编码")
        .cell(1, 4, 1, 1, "科目名称")
        .cell(1, 5, 1, 1, "决算数");
    let keys = coded_rows(t, def);
    let side = |classes: [&str; 2]| -> Vec<[Cell; 3]> {
        keys.iter()
            .filter(|k| classes.iter().any(|c| k.starts_with(c)))
            .map(|k| {
                [
                    text(k),
                    Cell::Text {
                        text: name_of(t, def, template, k),
                        indent: depth(k),
                    },
                    money(t, k, "决算数"),
                ]
            })
            .collect()
    };
    let left = side(["301", "303"]);
    let right = side(["302", "310"]);
    let mut rows = Vec::new();
    let blank = || [Cell::Empty, Cell::Empty, Cell::Empty];
    for i in 0..left.len().max(right.len()) {
        let mut cells: Vec<Cell> = left.get(i).cloned().unwrap_or_else(blank).to_vec();
        cells.extend(right.get(i).cloned().unwrap_or_else(blank));
        rows.push(row(cells, false));
    }
    rows.push(row(
        vec![
            text("人员经费合计"),
            Cell::Empty,
            money(t, "人员经费合计", "决算数"),
            text("公用经费合计"),
            Cell::Empty,
            money(t, "公用经费合计", "决算数"),
        ],
        true,
    ));
    (grid, rows)
}

fn t7(t: Option<&Table>) -> (Grid, Vec<DisplayRow>) {
    let mut grid = Grid::new(12, 3)
        .cell(0, 0, 2, 2, "合计")
        .cell(0, 2, 2, 2, "因公出国（境）费")
        .cell(0, 4, 1, 6, "公务用车购置及运行维护费")
        .cell(1, 4, 1, 2, "小计")
        .cell(1, 6, 1, 2, "公务用车购置费")
        .cell(1, 8, 1, 2, "公务用车运行维护费")
        .cell(0, 10, 2, 2, "公务接待费");
    for i in 0..6 {
        grid = grid
            .cell(2, 2 * i, 1, 1, "预算数")
            .cell(2, 2 * i + 1, 1, 1, "决算数");
    }
    let mut cells = Vec::new();
    for k in [
        "合计",
        "因公出国（境）费",
        "公务用车购置及运行维护费",
        "公务用车购置费",
        "公务用车运行维护费",
        "公务接待费",
    ] {
        cells.push(money(t, k, "预算数"));
        cells.push(money(t, k, "决算数"));
    }
    (grid, vec![row(cells, false)])
}

/// The 决算单位构成 table of 第一部分: 序号, 单位名称, 单位性质.
pub fn units_table(units: &[(String, String)]) -> DisplayTable {
    let grid = Grid::new(3, 1)
        .cell(0, 0, 1, 1, "序号")
        .cell(0, 1, 1, 1, "单位名称")
        .cell(0, 2, 1, 1, "单位性质");
    DisplayTable {
        id: "units".to_string(),
        number: String::new(),
        title: "纳入部门决算编制范围的单位".to_string(),
        entity: String::new(),
        unit_label: String::new(),
        columns: grid.columns,
        header: grid.header,
        header_rows: grid.header_rows,
        rows: units
            .iter()
            .enumerate()
            .map(|(i, (name, nature))| {
                row(
                    vec![Cell::Count(i as i64 + 1), text(name), text(nature)],
                    false,
                )
            })
            .collect(),
        note: None,
    }
}
