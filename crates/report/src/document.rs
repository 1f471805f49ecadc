//! The document model every output format renders: a flat list of blocks in reading order.
//! All figures are already the displayed ones (万元, two decimals, 舍位平衡 applied), so a
//! renderer only formats; it never computes.

use juesuan_derive::Percent;
use juesuan_model::Money;
use serde::Serialize;

/// A complete 决算公开 or 预算公开 document.
#[derive(Clone, Debug, Serialize)]
pub struct Document {
    /// "赤峰市司法局2024年度部门决算"
    pub title: String,
    /// The publishing entity, "赤峰市司法局".
    pub entity: String,
    pub year: i32,
    /// 部门 or 单位
    pub kind: String,
    /// 决算 or 预算
    pub document: String,
    pub blocks: Vec<Block>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// Level 1 is a 部分 (第一部分); 2, 3 and 4 are the numbered sections inside.
    Heading {
        level: u8,
        /// "第一部分", "一、", "（一）", "1." — already in the document's numbering style.
        number: String,
        text: String,
    },
    Paragraph {
        text: String,
    },
    Table(DisplayTable),
    Chart(Chart),
    /// The next block starts on a new page (before each 部分 and each of the nine tables).
    PageBreak,
}

impl Block {
    pub fn paragraph(text: impl Into<String>) -> Block {
        Block::Paragraph { text: text.into() }
    }
}

/// A table as printed: header rows with merged cells, then body rows.
#[derive(Clone, Debug, Serialize)]
pub struct DisplayTable {
    /// T1 … T9, or a narrative table such as "units".
    pub id: String,
    /// "表1"; empty for narrative tables.
    pub number: String,
    pub title: String,
    /// 编制单位 for the nine tables.
    pub entity: String,
    /// "单位：万元"; empty when the table has no amounts.
    pub unit_label: String,
    /// Total number of grid columns.
    pub columns: usize,
    /// Header cells, each placed at (row, col) of the header grid with its span.
    pub header: Vec<HeaderCell>,
    pub header_rows: usize,
    pub rows: Vec<DisplayRow>,
    /// A sentence printed under the table (e.g. that the table is empty and why).
    pub note: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct HeaderCell {
    pub text: String,
    pub row: usize,
    pub col: usize,
    pub rowspan: usize,
    pub colspan: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct DisplayRow {
    pub cells: Vec<Cell>,
    /// A 合计/总计 row, printed bold.
    pub total: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Cell {
    /// Text, left-aligned (codes, names). `indent` is the classification depth (0 = 类).
    Text {
        text: String,
        indent: u8,
    },
    /// An amount as displayed, a multiple of 0.01 万元.
    Money(Money),
    /// A count (vehicles, 批次).
    Count(i64),
    /// A percentage (完成率 columns).
    Percent(Percent),
    Empty,
}

impl Cell {
    pub fn text(t: impl Into<String>) -> Cell {
        Cell::Text {
            text: t.into(),
            indent: 0,
        }
    }

    /// What the cell prints: "4007.03" for money (万元, two decimals), "13", "94.21%".
    pub fn display(&self) -> String {
        match self {
            Cell::Text { text, .. } => text.clone(),
            Cell::Money(m) => m.format_wan(),
            Cell::Count(n) => n.to_string(),
            Cell::Percent(p) => p.display(),
            Cell::Empty => String::new(),
        }
    }

    pub fn is_number(&self) -> bool {
        matches!(self, Cell::Money(_) | Cell::Count(_) | Cell::Percent(_))
    }
}

/// Chart data: the same displayed figures the text quotes.
#[derive(Clone, Debug, Serialize)]
pub struct Chart {
    /// "income", "expenditure", "budget_vs_actual"
    pub id: String,
    pub kind: ChartKind,
    /// "图1 收入决算图"
    pub title: String,
    /// Series names: one for a pie, ["年初预算", "决算"] for the bar chart.
    pub series: Vec<String>,
    pub items: Vec<ChartItem>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    Pie,
    Bar,
}

#[derive(Clone, Debug, Serialize)]
pub struct ChartItem {
    pub label: String,
    /// One value per series, as displayed.
    pub values: Vec<Money>,
    /// For pies: the displayed share; shares of a pie add up to exactly 100.00%.
    pub share: Option<Percent>,
}

impl Document {
    /// Plain text, one block per paragraph; tables as tab-separated rows. For reading in a
    /// terminal, for tests, and for `juesuan audit` to read back what `build` wrote.
    pub fn to_text(&self) -> String {
        let mut out = format!("{}\n\n", self.title);
        for b in &self.blocks {
            match b {
                Block::Heading { number, text, .. } => {
                    out += &format!(
                        "{number}{}{text}\n",
                        if number.ends_with('分') { " " } else { "" }
                    );
                }
                Block::Paragraph { text } => out += &format!("{text}\n"),
                Block::Table(t) => {
                    out += format!("{} {}\n", t.number, t.title).trim_start();
                    if !t.unit_label.is_empty() {
                        out += &format!("编制单位：{}\t{}\n", t.entity, t.unit_label);
                    }
                    for r in &t.rows {
                        let cells: Vec<String> = r.cells.iter().map(Cell::display).collect();
                        out += &cells.join("\t");
                        out += "\n";
                    }
                    if let Some(n) = &t.note {
                        out += &format!("{n}\n");
                    }
                }
                Block::Chart(c) => {
                    out += &format!("{}\n", c.title);
                    for i in &c.items {
                        let v: Vec<String> = i.values.iter().map(|m| m.format_wan()).collect();
                        let share = i
                            .share
                            .map(|p| format!("\t{}", p.display()))
                            .unwrap_or_default();
                        out += &format!("{}\t{}{share}\n", i.label, v.join("\t"));
                    }
                }
                Block::PageBreak => out += "\n",
            }
        }
        out
    }
}
