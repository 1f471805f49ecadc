//! Consolidation (汇总): the 部门 tables are the sum of its units' tables with the transfers
//! between units of the same tree eliminated.
//!
//! Eliminated pairs: a parent's 对附属单位补助支出 against its children's 上级补助收入, and a
//! child's 上缴上级支出 against its parent's 附属单位上缴收入. Both sides come out of the
//! totals they were part of, so the consolidated tables still balance. This crate does not
//! judge whether the two sides of a pair agree; it reports both amounts and `juesuan-check`
//! turns a disagreement into a finding.

mod region;

pub use region::{consolidate_region, Consolidated, Level};

use juesuan_model::{CodeLevel, Disclosure, Layout, Table, TableSet, Template, Unit};

/// One internal transfer pair, as eliminated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Elimination {
    /// The unit that paid (parent for 补助, child for 上缴).
    pub payer: String,
    /// The units that received.
    pub payees: Vec<String>,
    /// 对附属单位补助支出 or 上缴上级支出
    pub expense: &'static str,
    /// 上级补助收入 or 附属单位上缴收入
    pub income: &'static str,
    /// Amount in the payer's T3 (分).
    pub paid: i64,
    /// Amount in the payees' T1 (分).
    pub received: i64,
}

/// The result of consolidating a set of units.
#[derive(Clone, Debug)]
pub struct Consolidation {
    pub tables: TableSet,
    pub eliminations: Vec<Elimination>,
    /// How many units were added into each cell.
    pub units: usize,
}

/// Consolidates all units of a disclosure.
pub fn consolidate(d: &Disclosure, template: &Template) -> Consolidation {
    consolidate_units(&d.units, template)
}

/// Sums the units' nine tables and eliminates transfers between units of this set.
pub fn consolidate_units(units: &[Unit], template: &Template) -> Consolidation {
    let mut tables = TableSet::default();
    for def in template.standard_tables() {
        let present: Vec<&Table> = units.iter().filter_map(|u| u.tables.get(&def.id)).collect();
        // a comparative column is kept only when every unit gives it
        let columns: Vec<String> = def
            .columns
            .iter()
            .chain(
                def.optional_columns
                    .iter()
                    .filter(|c| !present.is_empty() && present.iter().all(|t| t.has_column(c))),
            )
            .cloned()
            .collect();
        let mut sum = Table::new(&def.id, columns.clone(), None);
        for t in &present {
            for row in t.rows() {
                for col in &columns {
                    let v = row.values[t.column_index(col).unwrap_or(0)];
                    sum.add(&row.key, &row.name, col, v);
                }
            }
        }
        tables.insert(ordered(sum, def.layout, template, &def.id));
    }
    let mut eliminations = Vec::new();
    for payer in units {
        let children: Vec<&Unit> = units
            .iter()
            .filter(|u| u.parent.as_deref() == Some(payer.id.as_str()))
            .collect();
        if !children.is_empty() {
            eliminations.push(eliminate(
                &mut tables,
                payer,
                &children,
                "对附属单位补助支出",
                "上级补助收入",
            ));
        }
        if let Some(parent) = units
            .iter()
            .find(|u| Some(u.id.as_str()) == payer.parent.as_deref())
        {
            eliminations.push(eliminate(
                &mut tables,
                payer,
                &[parent],
                "上缴上级支出",
                "附属单位上缴收入",
            ));
        }
    }
    eliminations.retain(|e| e.paid != 0 || e.received != 0);
    Consolidation {
        tables,
        eliminations,
        units: units.len(),
    }
}

/// Removes one transfer pair from the consolidated tables.
fn eliminate(
    tables: &mut TableSet,
    payer: &Unit,
    payees: &[&Unit],
    expense: &'static str,
    income: &'static str,
) -> Elimination {
    let cell = |u: &Unit, t: &str, r: &str, c: &str| {
        u.tables.get(t).and_then(|t| t.get(r, c)).unwrap_or(0)
    };
    // expense side: payer's T3 column, per row, and T1 class rows / totals
    let mut paid = 0;
    if let Some(t3) = payer.tables.get("T3") {
        for row in t3.rows() {
            let v = cell(payer, "T3", &row.key, expense);
            if v == 0 {
                continue;
            }
            sub(tables, "T3", &row.key, expense, v);
            sub(tables, "T3", &row.key, "本年支出合计", v);
            if row.key == "合计" {
                paid = v;
            } else if CodeLevel::of(&row.key) == Some(CodeLevel::Class) {
                sub(tables, "T1", &row.key, "决算数", v);
            }
        }
    }
    sub(tables, "T1", "本年支出合计", "决算数", paid);
    sub(tables, "T1", "支出总计", "决算数", paid);
    // income side: payees' T1 row and T2 column
    let mut received = 0;
    for p in payees {
        let v = cell(p, "T1", income, "决算数");
        received += v;
        for key in ["本年收入合计", "收入总计"] {
            sub(tables, "T1", key, "决算数", v);
        }
        sub(tables, "T1", income, "决算数", v);
        if let Some(t2) = p.tables.get("T2") {
            for row in t2.rows() {
                let v = cell(p, "T2", &row.key, income);
                sub(tables, "T2", &row.key, income, v);
                sub(tables, "T2", &row.key, "本年收入合计", v);
            }
        }
    }
    Elimination {
        payer: payer.id.clone(),
        payees: payees.iter().map(|u| u.id.clone()).collect(),
        expense,
        income,
        paid,
        received,
    }
}

fn sub(tables: &mut TableSet, table: &str, row: &str, col: &str, v: i64) {
    if v == 0 {
        return;
    }
    if let Some(t) = tables.get_mut(table) {
        t.add(row, row, col, Some(-v));
    }
}

/// Rows in the standard order: fixed rows as defined; 合计 then codes in code order, then any
/// fixed rows of an economic table.
fn ordered(t: Table, layout: Layout, template: &Template, id: &str) -> Table {
    let def = template.table(id);
    let mut keys: Vec<String> = t.rows().iter().map(|r| r.key.clone()).collect();
    let rank = |k: &String| -> (u8, usize, String) {
        let fixed = def.and_then(|d| d.rows.iter().position(|r| &r.key == k));
        match (layout, fixed) {
            (Layout::Fixed, Some(i)) => (0, i, String::new()),
            (_, _) if k == "合计" => (0, 0, String::new()),
            (_, Some(i)) => (2, i, String::new()),
            _ => (1, 0, k.clone()),
        }
    };
    keys.sort_by_key(rank);
    let mut out = Table::new(&t.id, t.columns.clone(), None);
    for k in keys {
        if let Some(r) = t.row(&k) {
            let _ = out.push_row(r.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use juesuan_model::Row;

    fn table(id: &str, cols: &[&str], rows: &[(&str, &[i64])]) -> Table {
        let mut t = Table::new(id, cols.iter().map(|c| c.to_string()).collect(), None);
        for (k, vals) in rows {
            t.push_row(Row {
                key: k.to_string(),
                name: k.to_string(),
                values: vals.iter().map(|v| Some(*v)).collect(),
                line: None,
            })
            .unwrap();
        }
        t
    }

    fn unit(id: &str, parent: Option<&str>, tables: Vec<Table>) -> Unit {
        let mut set = TableSet::default();
        for t in tables {
            set.insert(t);
        }
        Unit {
            id: id.into(),
            name: id.into(),
            nature: "行政单位".into(),
            parent: parent.map(Into::into),
            tables: set,
        }
    }

    #[test]
    fn sums_units_and_eliminates_internal_subsidy() {
        let t = Template::for_year(2024).unwrap();
        // parent: 100 财政拨款 income, spends 60 basic + 40 subsidy to the child (204)
        let parent = unit(
            "p",
            None,
            vec![
                table(
                    "T1",
                    &["决算数"],
                    &[
                        ("一般公共预算财政拨款收入", &[100]),
                        ("本年收入合计", &[100]),
                        ("收入总计", &[100]),
                        ("204", &[100]),
                        ("本年支出合计", &[100]),
                        ("支出总计", &[100]),
                    ],
                ),
                table(
                    "T3",
                    &[
                        "本年支出合计",
                        "基本支出",
                        "项目支出",
                        "上缴上级支出",
                        "经营支出",
                        "对附属单位补助支出",
                    ],
                    &[
                        ("合计", &[100, 60, 0, 0, 0, 40]),
                        ("204", &[100, 60, 0, 0, 0, 40]),
                    ],
                ),
            ],
        );
        // child: 40 上级补助收入, spends it
        let child = unit(
            "c",
            Some("p"),
            vec![
                table(
                    "T1",
                    &["决算数"],
                    &[
                        ("上级补助收入", &[40]),
                        ("本年收入合计", &[40]),
                        ("收入总计", &[40]),
                        ("204", &[40]),
                        ("本年支出合计", &[40]),
                        ("支出总计", &[40]),
                    ],
                ),
                table(
                    "T2",
                    &[
                        "本年收入合计",
                        "财政拨款收入",
                        "上级补助收入",
                        "事业收入",
                        "经营收入",
                        "附属单位上缴收入",
                        "其他收入",
                    ],
                    &[
                        ("合计", &[40, 0, 40, 0, 0, 0, 0]),
                        ("204", &[40, 0, 40, 0, 0, 0, 0]),
                    ],
                ),
                table(
                    "T3",
                    &[
                        "本年支出合计",
                        "基本支出",
                        "项目支出",
                        "上缴上级支出",
                        "经营支出",
                        "对附属单位补助支出",
                    ],
                    &[
                        ("合计", &[40, 40, 0, 0, 0, 0]),
                        ("204", &[40, 40, 0, 0, 0, 0]),
                    ],
                ),
            ],
        );
        let c = consolidate_units(&[parent, child], t);
        let get = |tb: &str, r: &str, col: &str| c.tables.get(tb).unwrap().get(r, col).unwrap();
        // the department received 100 from outside and spent 100 outside
        assert_eq!(get("T1", "本年收入合计", "决算数"), 100);
        assert_eq!(get("T1", "上级补助收入", "决算数"), 0);
        assert_eq!(get("T1", "收入总计", "决算数"), 100);
        assert_eq!(get("T1", "204", "决算数"), 100);
        assert_eq!(get("T1", "支出总计", "决算数"), 100);
        assert_eq!(get("T3", "合计", "对附属单位补助支出"), 0);
        assert_eq!(get("T3", "合计", "本年支出合计"), 100);
        assert_eq!(get("T3", "合计", "基本支出"), 100);
        assert_eq!(get("T2", "204", "上级补助收入"), 0);
        assert_eq!(c.eliminations.len(), 1);
        assert_eq!(
            (c.eliminations[0].paid, c.eliminations[0].received),
            (40, 40)
        );
    }

    #[test]
    fn rows_come_out_in_code_order_with_total_first() {
        let t = Template::for_year(2024).unwrap();
        let a = unit(
            "a",
            None,
            vec![table(
                "T5",
                &["合计", "基本支出", "项目支出"],
                &[
                    ("2210201", &[1, 1, 0]),
                    ("合计", &[2, 2, 0]),
                    ("221", &[1, 1, 0]),
                ],
            )],
        );
        let b = unit(
            "b",
            None,
            vec![table(
                "T5",
                &["合计", "基本支出", "项目支出"],
                &[("204", &[1, 1, 0]), ("合计", &[1, 1, 0])],
            )],
        );
        let c = consolidate_units(&[a, b], t);
        let keys: Vec<&str> = c
            .tables
            .get("T5")
            .unwrap()
            .rows()
            .iter()
            .map(|r| r.key.as_str())
            .collect();
        assert_eq!(keys, ["合计", "204", "221", "2210201"]);
        assert_eq!(c.tables.get("T5").unwrap().get("合计", "合计"), Some(3));
    }
}
