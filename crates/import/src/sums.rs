//! The totals a workbook must add up to: 合计 = Σ 类, 类 = Σ 款, 款 = Σ 项 (and, for 表6, 类 =
//! Σ 款), and the fixed tables' `row_sums` of `data/tables/<year>.toml`. Each sum is one
//! requirement, so a wrong total gives one message at its cell. Column identities
//! (本年支出合计 = 基本 + 项目 …) are left to `juesuan check`, so that one wrong cell is not
//! reported twice.

use juesuan_model::{AmountUnit, CodeBook, Layout, Money, Table, TableDef};
use std::collections::BTreeMap;

/// One sum: the total row key, its parts (key, sign) and how the parts are called.
pub struct Sum {
    pub total: String,
    pub parts: Vec<(String, i64)>,
    pub what: String,
}

/// The sums a table of `def`'s layout must satisfy, given the rows present.
pub fn sums(def: &TableDef, table: &Table) -> Vec<Sum> {
    let mut out = Vec::new();
    if def.layout != Layout::Fixed {
        let mut children: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for r in table.rows() {
            if def.row_def(&r.key).is_some() || r.key == "合计" {
                continue;
            }
            let parent = match CodeBook::parent_code(&r.key) {
                Some(p) => p.to_string(),
                None if def.layout == Layout::Functional => "合计".to_string(),
                None => continue,
            };
            children.entry(parent).or_default().push(r.key.clone());
        }
        for (total, parts) in children {
            let what = match total.len() {
                3 => "其下各款之和",
                5 => "其下各项之和",
                _ => "各类之和",
            };
            out.push(Sum {
                total,
                parts: parts.into_iter().map(|p| (p, 1)).collect(),
                what: what.to_string(),
            });
        }
    }
    for s in &def.row_sums {
        let mut parts = Vec::new();
        for p in &s.parts {
            let (key, sign) = match p.strip_prefix('-') {
                Some(k) => (k, -1),
                None => (p.as_str(), 1),
            };
            match key.strip_prefix('@') {
                Some(group) => parts.extend(
                    def.rows
                        .iter()
                        .filter(|r| r.group.as_deref() == Some(group))
                        .map(|r| (r.key.clone(), sign)),
                ),
                None => parts.push((key.to_string(), sign)),
            }
        }
        let names: Vec<String> = s
            .parts
            .iter()
            .map(|p| match p.strip_prefix('@') {
                Some(g) => format!("各{g}"),
                None => p.clone(),
            })
            .collect();
        out.push(Sum {
            total: s.total.clone(),
            parts,
            what: format!("{}之和", names.join("、")).replace("、-", "减"),
        });
    }
    out
}

/// A failed sum: total key, column and the Chinese message.
pub struct Failure {
    pub row: String,
    pub column: String,
    pub message: String,
}

/// Checks every sum in every column. A 万元 figure stands for v ± 0.005 万元, so a total of
/// n parts may differ from their sum by (n + 1) × 0.005 万元; 元 amounts must agree exactly.
pub fn check(def: &TableDef, table: &Table, unit: AmountUnit) -> Vec<Failure> {
    let mut out = Vec::new();
    for s in sums(def, table) {
        for column in &table.columns {
            let Some(total) = table.get(&s.total, column) else {
                continue;
            };
            let mut sum = 0i64;
            let mut given = true;
            for (k, sign) in &s.parts {
                match table.get(k, column) {
                    Some(v) => sum += sign * v,
                    None => given = false,
                }
            }
            if !given {
                continue;
            }
            let tolerance = unit.half_width_fen() * (s.parts.len() as i64 + 1);
            let diff = total - sum;
            if diff.abs() > tolerance {
                let f = |v: i64| unit.format(Money::from_fen(v));
                let name = if s.total == "合计" || def.layout == Layout::Fixed {
                    s.total.clone()
                } else {
                    format!("科目 {}", s.total)
                };
                out.push(Failure {
                    row: s.total.clone(),
                    column: column.clone(),
                    message: format!(
                        "“{column}”列 {name} 为 {}，不等于{} {}（相差 {}{}）",
                        f(total),
                        s.what,
                        f(sum),
                        f(diff),
                        unit.chinese()
                    ),
                });
            }
        }
    }
    out
}
