//! The lines a change can be split into, all read from the displayed (舍位平衡) tables.
//!
//! In order of preference:
//! 1. the row's own table: its parts (code hierarchy 合计 → 类 → 款 → 项, or the table's
//!    `row_sums`), down to the finest rows that still give both columns;
//! 2. another table that states the same quantity in detail (表4 总计/支出/类 → 表5 by 功能分类,
//!    表1 本年支出合计/类 → 表3, 机构运行经费 → 表6 公用经费 by 经济分类);
//! 3. the units of the department, when every unit's table gives both columns.

use crate::needed::Needed;
use crate::Dimension;
use juesuan_model::{
    CodeBook, CodeLevel, Disclosure, Layout, Money, Table, TableDef, TableSet, Template, ValueKind,
};
use serde::Serialize;

/// One line of a split: a row (of the entity or of one unit) and its change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Line {
    pub table: String,
    pub row: String,
    /// The unit id, for a split by unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// As the sentence names it: "司法（款）信息化建设（项）", "公务接待费", a unit's name.
    pub label: String,
    pub current: Money,
    pub base: Money,
    pub delta: Money,
}

pub struct Sources<'a> {
    d: &'a Disclosure,
    template: &'static Template,
    entity: TableSet,
    /// (id, name, displayed tables)
    units: Vec<(String, String, TableSet)>,
}

/// A place a comparison's quantity is stated: table, row, current and base columns.
struct Spot {
    table: String,
    row: String,
    current: String,
}

impl Spot {
    fn new(table: &str, row: &str, current: &str) -> Spot {
        Spot {
            table: table.to_string(),
            row: row.to_string(),
            current: current.to_string(),
        }
    }
}

impl<'a> Sources<'a> {
    pub fn new(d: &'a Disclosure) -> Result<Sources<'a>, String> {
        let template = Template::for_kind(d.entity.doc, d.entity.year)?;
        let exact = juesuan_report::entity_tables(d, template);
        let entity = juesuan_report::displayed::displayed(&exact, template);
        let units = if d.units.len() > 1 {
            d.units
                .iter()
                .map(|u| {
                    (
                        u.id.clone(),
                        u.name.clone(),
                        juesuan_report::displayed::displayed(&u.tables, template),
                    )
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok(Sources {
            d,
            template,
            entity,
            units,
        })
    }

    fn table<'s>(&'s self, set: &'s TableSet, id: &str) -> Option<&'s Table> {
        if id == "F" {
            Some(&self.d.facts)
        } else {
            set.get(id)
        }
    }

    fn cell_in(&self, set: &TableSet, table: &str, row: &str, column: &str) -> Option<Money> {
        let t = self.table(set, table)?;
        let v = Money::from_fen(t.get(row, column)?);
        // facts are not balanced: round them as the narrative prints them
        Some(if table == "F" {
            v.round_to_wan_cent()
        } else {
            v
        })
    }

    /// A displayed figure of the entity.
    pub fn entity_cell(&self, table: &str, row: &str, column: &str) -> Option<Money> {
        self.cell_in(&self.entity, table, row, column)
    }

    fn row_name(&self, set: &TableSet, table: &str, row: &str) -> String {
        let def = self.template.table(table);
        match (def, set.get(table).and_then(|t| t.row(row))) {
            (_, Some(r)) if !r.name.is_empty() && r.name != r.key => r.name.clone(),
            (Some(def), _) => self.template.row_name(def, row),
            _ => row.to_string(),
        }
    }

    /// "表5 2040601 行政运行", "表1 收入总计", "补充信息 机构运行经费".
    pub fn label(&self, table: &str, row: &str) -> String {
        let def = self.template.table(table);
        let t = def
            .map(TableDef::label)
            .unwrap_or_else(|| table.to_string());
        let name = self.row_name(&self.entity, table, row);
        if CodeLevel::of(row).is_some() && name != row {
            format!("{t} {row} {name}")
        } else {
            format!("{t} {name}")
        }
    }

    /// The rows a row is the sum of, in table order; `None` when it has none, or when a part
    /// is subtracted (a split into signed parts would not read as "主要是").
    fn parts(&self, def: &TableDef, t: &Table, row: &str) -> Option<Vec<String>> {
        if let Some(sum) = def.row_sums.iter().find(|s| s.total == row) {
            let mut out = Vec::new();
            for p in &sum.parts {
                if p.starts_with('-') {
                    return None;
                }
                match p.strip_prefix('@') {
                    Some(group) => out.extend(
                        def.rows
                            .iter()
                            .filter(|r| r.group.as_deref() == Some(group))
                            .filter(|r| t.row(&r.key).is_some())
                            .map(|r| r.key.clone()),
                    ),
                    None => out.push(p.clone()),
                }
            }
            return (!out.is_empty()).then_some(out);
        }
        if !matches!(def.layout, Layout::Functional | Layout::Economic) {
            return None;
        }
        let kids: Vec<String> = t
            .rows()
            .iter()
            .filter(|r| def.row_def(&r.key).is_none())
            .filter(|r| match CodeBook::parent_code(&r.key) {
                Some(p) => p == row,
                None => {
                    row == "合计"
                        && def.layout == Layout::Functional
                        && CodeLevel::of(&r.key) == Some(CodeLevel::Class)
                }
            })
            .map(|r| r.key.clone())
            .collect();
        (!kids.is_empty()).then_some(kids)
    }

    /// The finest rows under `row` that give both columns, or `None` when `row` cannot be
    /// split (no parts, or a part without one of the columns).
    fn leaves(
        &self,
        set: &TableSet,
        spot: &Spot,
        base: &str,
        row: &str,
    ) -> Option<Vec<(String, Money, Money)>> {
        let def = self.template.table(&spot.table)?;
        let t = self.table(set, &spot.table)?;
        let parts = self.parts(def, t, row)?;
        let mut out = Vec::new();
        for p in parts {
            if self.template.row_kind(def, &p) != ValueKind::Money {
                return None;
            }
            let c = self.cell_in(set, &spot.table, &p, &spot.current)?;
            let b = self.cell_in(set, &spot.table, &p, base)?;
            match self.leaves(set, spot, base, &p) {
                Some(finer) => out.extend(finer),
                None => out.push((p, c, b)),
            }
        }
        Some(out)
    }

    /// "司法（款）信息化建设（项）" under a 类 or 合计, "信息化建设（项）" under a 款; item names
    /// for fixed rows; names only for 经济分类.
    fn line_label(&self, table: &str, top: &str, row: &str) -> String {
        let Some(def) = self.template.table(table) else {
            return row.to_string();
        };
        let name = self.row_name(&self.entity, table, row);
        let (Some(level), Layout::Functional) = (CodeLevel::of(row), def.layout) else {
            return name;
        };
        let own = format!("{name}（{}）", level.chinese());
        let top_len = CodeLevel::of(top).map_or(0, |_| top.len());
        match CodeBook::parent_code(row) {
            Some(p) if p.len() > top_len && p.len() >= 5 => {
                let pl = CodeLevel::of(p).map_or("", CodeLevel::chinese);
                format!("{}（{pl}）{own}", self.row_name(&self.entity, table, p))
            }
            _ => own,
        }
    }

    /// Where the same quantity is stated in more detail.
    fn spots(&self, n: &Needed) -> Vec<Spot> {
        let mut out = vec![Spot::new(&n.table, &n.row, &n.current_column)];
        let class = CodeLevel::of(&n.row) == Some(CodeLevel::Class);
        match (n.table.as_str(), n.row.as_str()) {
            ("T4", "收入总计" | "支出总计" | "本年支出合计") => {
                out.push(Spot::new("T5", "合计", "合计"))
            }
            ("T4", r) if class => out.push(Spot::new("T5", r, "合计")),
            ("T1", "本年支出合计") => out.push(Spot::new("T3", "合计", "本年支出合计")),
            ("T1", r) if class => out.push(Spot::new("T3", r, "本年支出合计")),
            ("F", "机构运行经费") => out.push(Spot::new("T6", "公用经费合计", "决算数")),
            _ => {}
        }
        out
    }

    /// Splits a comparison into lines, or says why it cannot.
    pub fn split(&self, n: &Needed) -> Result<(Dimension, String, Vec<Line>), String> {
        let spots = self.spots(n);
        for spot in &spots {
            if let Some(leaves) = self.leaves(&self.entity, spot, &n.base_column, &spot.row) {
                let def = self.template.table(&spot.table);
                let by = match def.map(|d| d.layout) {
                    Some(Layout::Functional) => Dimension::Functional,
                    Some(Layout::Economic) => Dimension::Economic,
                    _ => Dimension::Items,
                };
                let lines = leaves
                    .into_iter()
                    .map(|(row, current, base)| Line {
                        table: spot.table.to_string(),
                        label: self.line_label(&spot.table, &spot.row, &row),
                        row,
                        unit: None,
                        current,
                        base,
                        delta: current - base,
                    })
                    .collect();
                return Ok((by, table_label(self.template, &spot.table), lines));
            }
        }
        if self.units.len() > 1 {
            for spot in &spots {
                let lines: Option<Vec<Line>> = self
                    .units
                    .iter()
                    .map(|(id, name, set)| {
                        let c = self.cell_in(set, &spot.table, &spot.row, &spot.current)?;
                        let b = self.cell_in(set, &spot.table, &spot.row, &n.base_column)?;
                        Some(Line {
                            table: spot.table.to_string(),
                            row: spot.row.clone(),
                            unit: Some(id.clone()),
                            label: name.clone(),
                            current: c,
                            base: b,
                            delta: c - b,
                        })
                    })
                    .collect();
                if let Some(lines) = lines.filter(|_| spot.table != "F") {
                    return Ok((
                        Dimension::Units,
                        table_label(self.template, &spot.table),
                        lines,
                    ));
                }
            }
        }
        let base = &n.base_column;
        let mut why = Vec::new();
        for spot in &spots {
            let t = table_label(self.template, &spot.table);
            let has_parts = self
                .template
                .table(&spot.table)
                .zip(self.table(&self.entity, &spot.table))
                .and_then(|(def, tab)| self.parts(def, tab, &spot.row))
                .is_some();
            why.push(if has_parts {
                format!("{t}的明细未列示{base}")
            } else {
                format!("{t}中该项没有明细")
            });
        }
        if self.units.len() > 1 {
            why.push(format!("各单位表未列示{base}"));
        }
        if why.is_empty() {
            why.push("没有可用的明细".to_string());
        }
        Err(format!("无法分解：{}。", why.join("，")))
    }
}

fn table_label(template: &Template, id: &str) -> String {
    template
        .table(id)
        .map(TableDef::label)
        .unwrap_or_else(|| id.to_string())
}
