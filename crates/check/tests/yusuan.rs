//! The 部门预算 catalogue (data/rules/2024-yusuan.toml) on the budget example: clean as
//! shipped; each mutation is caught by the rules it breaks, and where one number can be
//! blamed the finding names it as the culprit, as for the 决算.

mod common;
use common::{add_wan, budget_example_dir, fired, Scratch};
use juesuan_check::Catalogue;
use juesuan_model::DocKind;
use std::collections::BTreeSet;

/// 1.00 万元 in 分.
const WAN: i64 = 1_000_000;

fn bump(s: &Scratch, file: &str, row: &str, column: &str, delta: i64) {
    let v = add_wan(&s.get(file, row, column), delta);
    s.set(file, row, column, &v);
}

#[test]
fn the_budget_example_is_clean_with_the_budget_catalogue() {
    let s = Scratch::of(&budget_example_dir());
    let report = s.check();
    assert!(report.findings.is_empty(), "{}", report.to_human("预算"));
    let catalogue = Catalogue::for_kind(DocKind::Budget, 2024).unwrap();
    assert_eq!(report.summary.rules, catalogue.rules.len());
    // every rule id is a 预算 one: no 决算 rule leaks into a budget's check
    assert!(catalogue
        .rules
        .iter()
        .all(|r| !r.id.starts_with('T') && !r.formula.contains("T1[")));
}

struct Case {
    what: &'static str,
    edit: fn(&Scratch),
    fires: &'static [&'static str],
    /// (table, row, column) of the culprit, when one number explains every failure.
    culprit: Option<(&'static str, &'static str, &'static str)>,
}

#[test]
fn mutated_budgets_are_caught_with_the_culprit_named() {
    let cases = [
        Case {
            what: "表5 一个项的合计",
            edit: |s| bump(s, "department/y5.csv", "2040601", "合计", WAN),
            fires: &["Y5.row_total", "Y5.section_is_sum_of_items"],
            culprit: Some(("Y5", "2040601", "合计")),
        },
        Case {
            what: "表6 一个款",
            edit: |s| bump(s, "department/y6.csv", "30201", "合计", WAN),
            fires: &["Y6.row_total", "Y6.class_is_sum_of_sections"],
            culprit: Some(("Y6", "30201", "合计")),
        },
        Case {
            what: "表1 收入总计",
            edit: |s| bump(s, "department/y1.csv", "收入总计", "预算数", WAN),
            fires: &["Y1.income_grand_total", "Y1.balance", "X.y2_y1_total"],
            culprit: Some(("Y1", "收入总计", "预算数")),
        },
        Case {
            what: "表4 一个类的一般公共预算",
            edit: |s| bump(s, "department/y4.csv", "公共安全支出", "一般公共预算", WAN),
            fires: &["Y4.row_total", "Y4.expense_total", "X.y4_y5_class"],
            culprit: Some(("Y4", "204", "一般公共预算")),
        },
        Case {
            what: "表7 公务接待费",
            edit: |s| bump(s, "department/y7.csv", "公务接待费", "预算数", -WAN),
            fires: &["Y7.total", "X.y6_within_y7"],
            culprit: Some(("Y7", "公务接待费", "预算数")),
        },
        Case {
            what: "表3 一个项的基本支出移到项目支出",
            edit: |s| {
                bump(s, "department/y3.csv", "2040601", "基本支出", -WAN);
                bump(s, "department/y3.csv", "2040601", "项目支出", WAN);
            },
            fires: &["Y3.section_is_sum_of_items"],
            culprit: None,
        },
        Case {
            what: "采购货物",
            edit: |s| {
                s.replace(
                    "disclosure.toml",
                    "\"货物\" = \"10.00\"",
                    "\"货物\" = \"11.00\"",
                );
            },
            fires: &["F.procurement_total"],
            culprit: None,
        },
        Case {
            what: "变动原因缺失",
            edit: |s| {
                s.replace("disclosure.toml", "\"Y5/210\" = ", "\"Y5/221\" = ");
            },
            fires: &["R.y5_prior"],
            culprit: None,
        },
    ];
    let mut failures = Vec::new();
    for case in &cases {
        let s = Scratch::of(&budget_example_dir());
        (case.edit)(&s);
        let report = s.check();
        let expected: BTreeSet<String> = case.fires.iter().map(|r| r.to_string()).collect();
        let got = fired(&report);
        if got != expected {
            failures.push(format!(
                "{}: expected {expected:?}, got {got:?}\n{}",
                case.what,
                report.to_human("mutant")
            ));
            continue;
        }
        if let Some((t, r, c)) = case.culprit {
            let named = report.findings.iter().any(|f| {
                f.culprit.as_ref().is_some_and(|k| {
                    k.location.table.as_deref() == Some(t)
                        && k.location.row.as_deref() == Some(r)
                        && k.location.column.as_deref() == Some(c)
                })
            });
            if !named {
                failures.push(format!(
                    "{}: culprit should be {t}/{r}/{c}: {:#?}",
                    case.what,
                    report
                        .findings
                        .iter()
                        .map(|f| &f.culprit)
                        .collect::<Vec<_>>()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_budget_reason_key_and_fact_comparative_are_the_budget_ones() {
    // 上年决算 is a 决算's comparative: a budget's fact given against it is named
    let s = Scratch::of(&budget_example_dir());
    s.replace(
        "disclosure.toml",
        "\"上年预算\" = \"462.30\"",
        "\"上年决算\" = \"462.30\"",
    );
    let problems = juesuan_load::load_dataset(s.path()).unwrap_err();
    assert!(
        problems
            .iter()
            .any(|p| p.message.contains("上年决算") && p.message.contains("上年预算")),
        "{problems:#?}"
    );
}
