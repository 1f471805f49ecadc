//! One unit's nine tables, consistent by construction: every amount is derived from a few
//! drawn figures per 项 (基本支出, 项目支出, the share paid from 财政拨款, carry-overs), and
//! every total, 类 and 款 row, cross-table figure and 经济分类 split is computed from them.

use crate::rng::Rng;
use juesuan_model::{Table, TableSet, Template};
use std::collections::BTreeMap;

/// What a department's units draw from: its sector's 项 codes and 政府性基金 codes.
pub struct Profile {
    /// 一般公共预算 项 codes the department's units spend on.
    pub items: Vec<String>,
    /// 政府性基金 项 codes (may be empty).
    pub fund_items: Vec<String>,
}

struct Item {
    code: String,
    basic: i64,
    project: i64,
    fiscal_basic: i64,
    fiscal_project: i64,
    /// 政府性基金: 年初, 本年收入, 本年支出 (all 项目支出).
    fund: Option<(i64, i64, i64)>,
    /// 财政拨款收入 of the row (一般公共预算 + 政府性基金).
    fiscal_income: i64,
}

/// Adds a 项 row's values to the row itself, its 款, its 类 and 合计.
fn add_functional(t: &mut Table, code: &str, values: &[(&str, i64)]) {
    for key in [&code[..3], &code[..5], code, "合计"] {
        for (col, v) in values {
            t.add(key, "", col, Some(*v));
        }
    }
}

fn table(template: &Template, id: &str) -> Table {
    let def = template.table(id).expect("standard table");
    Table::new(id, def.columns.clone(), None)
}

fn set(t: &mut Table, row: &str, col: &str, v: i64) {
    if v != 0 || t.row(row).is_some() {
        t.add(row, "", col, Some(v));
    }
}

/// Generates one unit. `is_root` is 本级 (an administrative unit with no 事业收入).
pub fn generate(rng: &mut Rng, template: &Template, profile: &Profile, is_root: bool) -> TableSet {
    // 1. the 项 rows and their split into 基本/项目 and fiscal/non-fiscal
    // profile items are distinct, so this terminates
    let n = rng.range(2, 8.min(profile.items.len() as i64).max(2)) as usize;
    let mut codes: Vec<String> = Vec::new();
    while codes.len() < n.min(profile.items.len()) {
        let c = &profile.items[rng.index(profile.items.len())];
        if !codes.contains(c) {
            codes.push(c.clone());
        }
    }
    codes.sort();
    let fiscal_pct = if is_root || rng.chance(60) {
        100
    } else {
        rng.range(50, 99)
    };
    let mut items: Vec<Item> = codes
        .into_iter()
        .map(|code| {
            let mut basic = if rng.chance(70) { rng.amount(3, 5) } else { 0 };
            let project = if rng.chance(50) { rng.amount(2, 6) } else { 0 };
            if basic == 0 && project == 0 {
                basic = rng.amount(3, 5);
            }
            let fiscal_basic = basic * fiscal_pct / 100;
            let fiscal_project = project * fiscal_pct / 100;
            Item {
                code,
                basic,
                project,
                fiscal_basic,
                fiscal_project,
                fund: None,
                fiscal_income: fiscal_basic + fiscal_project,
            }
        })
        .collect();
    if !profile.fund_items.is_empty() && rng.chance(15) {
        let code = profile.fund_items[rng.index(profile.fund_items.len())].clone();
        if !items.iter().any(|i| i.code == code) {
            let spent = rng.amount(3, 6);
            let opening = if rng.chance(50) { rng.amount(2, 5) } else { 0 };
            let income = spent + rng.range(-opening.min(spent), spent / 5);
            items.push(Item {
                code,
                basic: 0,
                project: spent,
                fiscal_basic: 0,
                fiscal_project: 0,
                fund: Some((opening, income, spent)),
                fiscal_income: income,
            });
            items.sort_by(|a, b| a.code.cmp(&b.code));
        }
    }
    // 一般公共预算 carry-over: the difference lands on the row with the largest fiscal income
    let general_opening = if rng.chance(50) { rng.amount(2, 5) } else { 0 };
    let largest = (0..items.len())
        .filter(|&i| items[i].fund.is_none())
        .max_by_key(|&i| items[i].fiscal_income)
        .unwrap_or(0);
    let general_delta = rng
        .range(-general_opening, general_opening / 2)
        .max(-items[largest].fiscal_income);
    items[largest].fiscal_income += general_delta;

    // 2. the functional tables
    let (mut t2, mut t3, mut t5, mut t8) = (
        table(template, "T2"),
        table(template, "T3"),
        table(template, "T5"),
        table(template, "T8"),
    );
    let income_source = if is_root {
        "其他收入"
    } else {
        "事业收入"
    };
    let (mut general_spent, mut general_income) = (0i64, 0i64);
    let (mut fund_open, mut fund_income, mut fund_spent) = (0i64, 0i64, 0i64);
    let mut non_fiscal = 0i64;
    let mut basic_fiscal = 0i64;
    for it in &items {
        let spent = it.basic + it.project;
        add_functional(
            &mut t3,
            &it.code,
            &[
                ("本年支出合计", spent),
                ("基本支出", it.basic),
                ("项目支出", it.project),
            ],
        );
        let nf = spent - it.fiscal_basic - it.fiscal_project - it.fund.map_or(0, |f| f.2);
        non_fiscal += nf;
        add_functional(
            &mut t2,
            &it.code,
            &[
                ("本年收入合计", it.fiscal_income + nf),
                ("财政拨款收入", it.fiscal_income),
                (income_source, nf),
            ],
        );
        if let Some((open, income, out)) = it.fund {
            add_functional(
                &mut t8,
                &it.code,
                &[
                    ("年初结转和结余", open),
                    ("本年收入", income),
                    ("本年支出合计", out),
                    ("项目支出", out),
                    ("年末结转和结余", open + income - out),
                ],
            );
            fund_open += open;
            fund_income += income;
            fund_spent += out;
        } else {
            add_functional(
                &mut t5,
                &it.code,
                &[
                    ("合计", it.fiscal_basic + it.fiscal_project),
                    ("基本支出", it.fiscal_basic),
                    ("项目支出", it.fiscal_project),
                ],
            );
            general_spent += it.fiscal_basic + it.fiscal_project;
            general_income += it.fiscal_income;
            basic_fiscal += it.fiscal_basic;
        }
    }
    let general_close = general_opening + general_income - general_spent;

    // 3. 表1 and 表4 from the functional totals
    let mut t1 = table(template, "T1");
    let income_total = general_income + fund_income + non_fiscal;
    let opening = general_opening + fund_open;
    let fund_close = fund_open + fund_income - fund_spent;
    let closing = general_close + fund_close;
    for (row, v) in [
        ("一般公共预算财政拨款收入", general_income),
        ("政府性基金预算财政拨款收入", fund_income),
        (income_source, non_fiscal),
        ("本年收入合计", income_total),
        ("年初结转和结余", opening),
        ("收入总计", income_total + opening),
        ("本年支出合计", general_spent + fund_spent + non_fiscal),
        ("年末结转和结余", closing),
        (
            "支出总计",
            general_spent + fund_spent + non_fiscal + closing,
        ),
    ] {
        set(&mut t1, row, "决算数", v);
    }
    let mut t4 = table(template, "T4");
    let fiscal_rows = [
        ("本年收入合计", general_income, fund_income),
        ("年初财政拨款结转和结余", general_opening, fund_open),
        (
            "收入总计",
            general_income + general_opening,
            fund_income + fund_open,
        ),
        ("本年支出合计", general_spent, fund_spent),
        ("年末财政拨款结转和结余", general_close, fund_close),
        (
            "支出总计",
            general_spent + general_close,
            fund_spent + fund_close,
        ),
    ];
    for (row, g, f) in fiscal_rows {
        set(&mut t4, row, "合计", g + f);
        set(&mut t4, row, "一般公共预算财政拨款", g);
        set(&mut t4, row, "政府性基金预算财政拨款", f);
    }
    let class_spent: BTreeMap<String, (i64, i64, i64)> = t3
        .rows()
        .iter()
        .filter(|r| r.key.len() == 3)
        .map(|r| {
            let g = t5.get(&r.key, "合计").unwrap_or(0);
            let f = t8.get(&r.key, "本年支出合计").unwrap_or(0);
            (r.key.clone(), (r.values[0].unwrap_or(0), g, f))
        })
        .collect();
    for (class, (all, g, f)) in &class_spent {
        set(&mut t1, class, "决算数", *all);
        if g + f != 0 {
            set(&mut t4, class, "合计", g + f);
            set(&mut t4, class, "一般公共预算财政拨款", *g);
            set(&mut t4, class, "政府性基金预算财政拨款", *f);
        }
    }

    // 4. 表6 and 表7: the 经济分类 of 基本支出 and the 三公 it contains
    let mut t6 = table(template, "T6");
    let mut t7 = table(template, "T7");
    if basic_fiscal > 0 {
        let personnel = basic_fiscal * rng.range(70, 90) / 100;
        let pension = if rng.chance(30) {
            personnel * rng.range(3, 10) / 100
        } else {
            0
        };
        let public = basic_fiscal - personnel;
        let wages = [
            "30101", "30102", "30103", "30107", "30108", "30110", "30113", "30199",
        ];
        let goods = [
            "30201", "30205", "30206", "30211", "30213", "30217", "30228", "30229", "30231",
            "30299",
        ];
        let mut economic: Vec<(&str, i64)> = Vec::new();
        for (code, v) in wages
            .iter()
            .zip(rng.split(personnel - pension, wages.len()))
        {
            economic.push((code, v));
        }
        if pension > 0 {
            economic.push(("30302", pension));
        }
        let equipment = if rng.chance(20) { public / 10 } else { 0 };
        for (code, v) in goods.iter().zip(rng.split(public - equipment, goods.len())) {
            economic.push((code, v));
        }
        if equipment > 0 {
            economic.push(("31002", equipment));
        }
        let mut personnel_total = 0;
        let mut public_total = 0;
        for (code, v) in &economic {
            if *v == 0 {
                continue;
            }
            t6.add(&code[..3], "", "决算数", Some(*v));
            t6.add(code, "", "决算数", Some(*v));
            match &code[..3] {
                "301" | "303" => personnel_total += v,
                _ => public_total += v,
            }
        }
        t6.add("人员经费合计", "", "决算数", Some(personnel_total));
        t6.add("公用经费合计", "", "决算数", Some(public_total));
        let get6 = |c: &str| t6.get(c, "决算数").unwrap_or(0);
        let reception = get6("30217") + if rng.chance(30) { rng.amount(2, 3) } else { 0 };
        let running = get6("30231");
        let purchase = if running > 0 && rng.chance(5) {
            rng.amount(4, 4)
        } else {
            0
        };
        let abroad = if rng.chance(3) { rng.amount(3, 4) } else { 0 };
        let mut put7 = |row: &str, actual: i64, rng: &mut Rng| {
            // within the materiality threshold, so no 变动原因 is needed
            let budget = actual * rng.range(100, 109) / 100;
            set(&mut t7, row, "预算数", budget);
            set(&mut t7, row, "决算数", actual);
            budget
        };
        let b_abroad = put7("因公出国（境）费", abroad, rng);
        let b_purchase = put7("公务用车购置费", purchase, rng);
        let b_running = put7("公务用车运行维护费", running, rng);
        let b_reception = put7("公务接待费", reception, rng);
        for (row, budget, actual) in [
            (
                "公务用车购置及运行维护费",
                b_purchase + b_running,
                purchase + running,
            ),
            (
                "合计",
                b_abroad + b_purchase + b_running + b_reception,
                abroad + purchase + running + reception,
            ),
        ] {
            set(&mut t7, row, "预算数", budget);
            set(&mut t7, row, "决算数", actual);
        }
    }

    let mut set_ = TableSet::default();
    for t in [t1, t2, t3, t4, t5, t6, t7, t8, table(template, "T9")] {
        set_.insert(t);
    }
    set_
}
