//! Findings, in the shape of DESIGN.md §3, and their Chinese rendering.

use crate::catalogue::{Rule, Severity};
use crate::eval::{CellKey, Instance, Node, Witness};
use juesuan_consolidate::Elimination;
use juesuan_model::{AmountUnit, CodeLevel, Disclosure, Interval, Ratio, Table, FEN_PER_WAN};
use serde::Serialize;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<usize>,
    /// Table id: T1 … T9, F.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// Row key: a code or an item name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// "部门" or a unit id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

impl Location {
    /// "units/benji/t5.csv 第12行 表5 2040601 行政运行 “合计”列"
    pub fn describe(&self, row_name: Option<&str>) -> String {
        let mut parts = Vec::new();
        if let Some(u) = &self.unit {
            parts.push(if u == "部门" {
                "部门".to_string()
            } else {
                format!("单位 {u}")
            });
        }
        if let Some(f) = &self.file {
            parts.push(f.clone());
        }
        if let Some(l) = self.line {
            parts.push(format!("第{l}行"));
        }
        if let Some(t) = &self.table {
            parts.push(table_label(t));
        }
        if let Some(r) = &self.row {
            parts.push(match row_name {
                Some(n) if n != r => format!("{r} {n}"),
                _ => r.clone(),
            });
        }
        if let Some(c) = &self.column {
            parts.push(format!("“{c}”列"));
        }
        parts.join(" ")
    }
}

fn table_label(id: &str) -> String {
    // T1… are the 决算's tables, Y1… the 预算's
    match id.strip_prefix(['T', 'Y']) {
        Some(n) => format!("表{n}"),
        None => "补充信息".to_string(),
    }
}

/// The number most likely wrong and the value that would make its rules pass.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Culprit {
    pub location: Location,
    pub stated: String,
    pub suggested: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub location: Location,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stated: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// How far apart the two sides may be from rounding alone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Location>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub culprit: Option<Culprit>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub styles: usize,
    /// Rules in the catalogue.
    pub rules: usize,
    /// Rule instances evaluated (rules × rows × columns × units that applied).
    pub evaluated: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub summary: Summary,
    /// For an audited document: the tables read from it (empty for a dataset's check).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tables: Vec<TableRead>,
    /// For an audited document: which kind of document it was read as, and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<DocumentRead>,
}

/// What an audited document was taken to be: `juesuan audit` checks a 部门预算 with its own
/// quantities and wording, so it says which kind it assumed and on what evidence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocumentRead {
    /// "决算" or "预算".
    pub kind: String,
    /// The year the document names in its title, if any.
    pub year: Option<i32>,
    /// Why: the title line, the tables' titles, the file name, `--document`, or nothing found.
    pub basis: String,
}

/// A table found in an audited document, as `juesuan audit --format json` lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TableRead {
    /// 表名 as printed ("收支预算总表").
    pub title: String,
    /// 表号 as printed ("公开01表"), if any.
    pub number: Option<String>,
    /// "万元", "元" or "" when not printed.
    pub unit: String,
    pub pages: Vec<usize>,
    pub columns: usize,
    pub rows: usize,
    /// No value cell holds a figure.
    pub empty: bool,
    /// A note under the table says why it is empty (空表说明).
    pub empty_note: bool,
    /// Identities of the table as read (合计 = Σ rows and columns, 类 = Σ款 = Σ项, 收入总计 =
    /// 支出总计) that could be evaluated, and how many hold.
    pub identities: usize,
    pub identities_held: usize,
}

impl Report {
    pub fn new(mut findings: Vec<Finding>, evaluated: usize, rules: usize) -> Report {
        findings.sort_by(|a, b| {
            (
                table_order(&a.location),
                a.severity,
                &a.location.unit,
                &a.rule,
            )
                .cmp(&(
                    table_order(&b.location),
                    b.severity,
                    &b.location.unit,
                    &b.rule,
                ))
        });
        let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
        let summary = Summary {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            styles: count(Severity::Style),
            rules,
            evaluated,
        };
        Report {
            findings,
            summary,
            tables: Vec::new(),
            document: None,
        }
    }

    pub fn has_errors(&self) -> bool {
        self.summary.errors > 0
    }

    /// Findings grouped by table, in Chinese.
    pub fn to_human(&self, entity: &str) -> String {
        let mut out = String::new();
        let mut current: Option<String> = None;
        for f in &self.findings {
            let group = f.location.table.clone().unwrap_or_else(|| "其他".into());
            if current.as_ref() != Some(&group) {
                out.push_str(&format!("\n{}\n", group_title(&group)));
                current = Some(group);
            }
            out.push_str(&format!(
                "  [{}] {} {}\n",
                f.severity.chinese(),
                f.rule,
                f.message
            ));
            out.push_str(&format!("      位置：{}\n", f.location.describe(None)));
            if let Some(c) = &f.culprit {
                out.push_str(&format!(
                    "      可能出错的数：{}，所列 {}，改为 {} 可使相关规则成立\n",
                    c.location.describe(None),
                    c.stated,
                    c.suggested
                ));
            }
        }
        let s = &self.summary;
        if self.findings.is_empty() {
            out.push_str("未发现问题。\n");
        }
        out.push_str(&format!(
            "\n{entity}：{} 个错误，{} 个警告，{} 个规范问题（{} 条规则，{} 次检查）\n",
            s.errors, s.warnings, s.styles, s.rules, s.evaluated
        ));
        out
    }
}

fn table_order(l: &Location) -> u32 {
    match l.table.as_deref() {
        Some("F") => 100,
        Some(t) => t.trim_start_matches(['T', 'Y']).parse().unwrap_or(99),
        None => 200,
    }
}

fn group_title(id: &str) -> String {
    let title = match id {
        "T1" => "收入支出决算总表",
        "T2" => "收入决算表",
        "T3" => "支出决算表",
        "T4" => "财政拨款收入支出决算总表",
        "T5" => "一般公共预算财政拨款支出决算表",
        "T6" => "一般公共预算财政拨款基本支出决算表",
        "T7" => "财政拨款“三公”经费支出决算表",
        "T8" => "政府性基金预算财政拨款收入支出决算表",
        "T9" => "国有资本经营预算财政拨款收入支出决算表",
        "Y1" => "部门收支总体情况表",
        "Y2" => "部门收入总体情况表",
        "Y3" => "部门支出总体情况表",
        "Y4" => "财政拨款收支总体情况表",
        "Y5" => "一般公共预算支出情况表",
        "Y6" => "一般公共预算基本支出情况表",
        "Y7" => "一般公共预算“三公”经费支出情况表",
        "Y8" => "政府性基金预算支出情况表",
        "Y9" => "国有资本经营预算支出情况表",
        "F" => "",
        _ => "",
    };
    format!("{} {}", table_label(id), title).trim().to_string()
}

/// An amount for people: 万元 or 元 for money, plain for counts and ratios.
pub fn format_amount(v: Ratio, money: bool, unit: AmountUnit, decimals: u32) -> String {
    if !money {
        return if v.denom() == 1 {
            v.to_string()
        } else {
            v.to_decimal(4)
        };
    }
    let per = match unit {
        AmountUnit::Wan => FEN_PER_WAN,
        AmountUnit::Yuan => 100,
    };
    let x = v
        .checked_div(Ratio::int(per as i128))
        .unwrap_or(Ratio::ZERO);
    // show more decimals only when the figure has them (a flipped 分 shows as 0.000001)
    (decimals..6)
        .find(|&d| {
            x.checked_mul(Ratio::int(10i128.pow(d)))
                .is_some_and(|v| v.denom() == 1)
        })
        .map_or_else(|| x.to_decimal(6), |d| x.to_decimal(d))
}

fn cell_location(node: &Node, key: &CellKey) -> Location {
    let table: Option<&Table> = if key.table == "F" {
        node.facts
    } else {
        node.tables.get(&key.table)
    };
    Location {
        file: table.and_then(|t| t.file.clone()),
        line: table.and_then(|t| t.row(&key.row)).and_then(|r| r.line),
        page: None,
        table: Some(key.table.clone()),
        row: Some(key.row.clone()),
        column: Some(key.col.clone()),
        unit: Some(node.id.clone()),
    }
}

/// "2040601 行政运行" for codes, the key for item rows.
fn row_label(node: &Node, table: &str, key: &str) -> String {
    let Some(def) = node.template.table(table) else {
        return key.to_string();
    };
    let name = node.template.row_name(def, key);
    if CodeLevel::of(key).is_some() && name != key {
        format!("{key} {name}")
    } else {
        name
    }
}

fn substitute(message: &str, node: &Node, inst: &Instance, table: Option<&str>) -> String {
    let mut m = message.to_string();
    for (var, value) in &inst.bindings {
        let shown = match table {
            Some(t)
                if CodeLevel::of(value).is_some()
                    || node
                        .template
                        .table(t)
                        .and_then(|d| d.row_def(value))
                        .is_some() =>
            {
                row_label(node, t, value)
            }
            _ => value.clone(),
        };
        m = m.replace(&format!("{{{var}}}"), &shown);
    }
    m
}

pub fn from_witness(
    rule: &Rule,
    node: &Node,
    inst: &Instance,
    w: &Witness,
    culprit: Option<(CellKey, i64)>,
) -> Finding {
    let anchor = match (w.lhs_cells.as_slice(), w.rhs_cells.as_slice()) {
        ([one], _) => Some(one),
        (_, [one]) => Some(one),
        (l, r) => l.first().or(r.first()),
    };
    let unit = node.unit;
    let fmt = |r: Ratio| format_amount(r, w.money, unit, 2);
    let message = substitute(&rule.message, node, inst, anchor.map(|a| a.table.as_str()));
    let (lm, rm) = (w.lhs.midpoint(), w.rhs.midpoint());
    let tolerance = w
        .lhs
        .half_width()
        .zip(w.rhs.half_width())
        .and_then(|(a, b)| a.checked_add(b))
        .filter(|t| !t.is_zero());
    let message = match (&w.missing_reason, lm, rm) {
        (Some(against), Some(l), Some(r)) => format!(
            "{message}：本年 {}，{against} {}，变动较大，但没有填写变动原因",
            fmt(l),
            fmt(r)
        ),
        // "must differ" rules say all there is to say in their message
        (None, _, _) if w.op == crate::lang::CmpOp::Ne => message,
        (None, Some(l), Some(r)) => {
            let diff = l
                .checked_sub(r)
                .map(|d| format!("，相差 {}", fmt(d)))
                .unwrap_or_default();
            let tol = tolerance
                .map(|t| format!("（舍入容差 ±{}）", format_amount(t, w.money, unit, 3)))
                .unwrap_or_default();
            format!(
                "{message}：{} {} {} 不成立{diff}{tol}",
                fmt(l),
                w.op.symbol(),
                fmt(r)
            )
        }
        _ => message,
    };
    let related = w
        .lhs_cells
        .iter()
        .chain(&w.rhs_cells)
        .filter(|c| Some(*c) != anchor)
        .map(|c| cell_location(node, c))
        .collect();
    let culprit = culprit.map(|(key, value)| {
        let table = if key.table == "F" {
            node.facts
        } else {
            node.tables.get(&key.table)
        };
        let stated = table.and_then(|t| t.get(&key.row, &key.col)).unwrap_or(0);
        let money = node
            .template
            .table(&key.table)
            .map(|d| node.template.row_kind(d, &key.row) == juesuan_model::ValueKind::Money)
            .unwrap_or(true);
        Culprit {
            location: cell_location(node, &key),
            stated: format_amount(Ratio::int(stated as i128), money, unit, 2),
            suggested: format_amount(Ratio::int(value as i128), money, unit, 2),
        }
    });
    Finding {
        rule: rule.id.clone(),
        severity: rule.severity,
        message,
        location: anchor.map(|a| cell_location(node, a)).unwrap_or_default(),
        stated: lm.map(fmt),
        expected: rm.map(fmt),
        tolerance: tolerance.map(|t| format_amount(t, w.money, unit, 3)),
        related,
        culprit,
    }
}

pub fn department_cell(
    rule: &Rule,
    node: &Node,
    table: &Table,
    key: &str,
    col: &str,
    published: Interval,
    consolidated: Interval,
) -> Finding {
    let unit = node.unit;
    let fmt = |r: Option<Ratio>| r.map(|r| format_amount(r, true, unit, 2));
    let ck = CellKey {
        table: table.id.clone(),
        row: key.to_string(),
        col: col.to_string(),
    };
    let (p, c) = (fmt(published.midpoint()), fmt(consolidated.midpoint()));
    Finding {
        rule: rule.id.clone(),
        severity: rule.severity,
        message: format!(
            "{}：{} {} “{col}”部门数 {} 不等于各单位汇总数 {}",
            rule.message,
            table_label(&table.id),
            row_label(node, &table.id, key),
            p.clone().unwrap_or_default(),
            c.clone().unwrap_or_default()
        ),
        location: cell_location(node, &ck),
        stated: p,
        expected: c,
        tolerance: published
            .half_width()
            .zip(consolidated.half_width())
            .and_then(|(a, b)| a.checked_add(b))
            .map(|t| format_amount(t, true, unit, 3)),
        related: Vec::new(),
        culprit: None,
    }
}

pub fn elimination(rule: &Rule, e: &Elimination, d: &Disclosure) -> Finding {
    let unit = d.entity.unit;
    let fmt = |v: i64| format_amount(Ratio::int(v as i128), true, unit, 2);
    Finding {
        rule: rule.id.clone(),
        severity: rule.severity,
        message: format!(
            "{}：单位 {} 的{} {} 不等于 {} 的{} {}",
            rule.message,
            e.payer,
            e.expense,
            fmt(e.paid),
            e.payees.join("、"),
            e.income,
            fmt(e.received)
        ),
        location: Location {
            table: Some("T3".into()),
            row: Some("合计".into()),
            column: Some(e.expense.to_string()),
            unit: Some(e.payer.clone()),
            file: Some(format!("units/{}/t3.csv", e.payer)),
            ..Location::default()
        },
        stated: Some(fmt(e.paid)),
        expected: Some(fmt(e.received)),
        tolerance: None,
        related: e
            .payees
            .iter()
            .map(|p| Location {
                table: Some("T1".into()),
                row: Some(e.income.to_string()),
                column: Some("决算数".into()),
                unit: Some(p.clone()),
                file: Some(format!("units/{p}/t1.csv")),
                ..Location::default()
            })
            .collect(),
        culprit: None,
    }
}
