//! 第二部分 决算情况说明: every sentence of the narrative, written from the displayed tables.
//!
//! Each section reads printed figures (already 舍位平衡) and lets `juesuan-derive` compute the
//! changes, rates and shares and choose the words, so no number here is typed by a person and
//! none can disagree with the tables. 变动原因 texts come from the dataset.

use crate::document::{Block, Chart, ChartItem, ChartKind};
use crate::outline::Outline;
use juesuan_derive::{shares, Change, Direction, Percent};
use juesuan_model::{CodeBook, Disclosure, Money, Table, TableSet, Template};

/// What the narrative reads.
pub struct Sources<'a> {
    pub d: &'a Disclosure,
    /// The entity's printed tables.
    pub tables: &'a TableSet,
    pub template: &'a Template,
}

impl Sources<'_> {
    pub(crate) fn table(&self, id: &str) -> Option<&Table> {
        self.tables.get(id)
    }

    /// A printed cell; absent rows are zero, absent columns `None`.
    pub(crate) fn cell(&self, table: &str, row: &str, column: &str) -> Option<Money> {
        self.table(table)?.get(row, column).map(Money::from_fen)
    }

    pub(crate) fn amount(&self, table: &str, row: &str, column: &str) -> Money {
        self.cell(table, row, column).unwrap_or(Money::ZERO)
    }

    /// A money fact, rounded to the printed cent.
    pub(crate) fn fact_money(&self, key: &str, column: &str) -> Option<Money> {
        self.d
            .facts
            .get(key, column)
            .map(|f| Money::from_fen(f).round_to_wan_cent())
    }

    pub(crate) fn fact_count(&self, key: &str) -> Option<i64> {
        self.d.facts.get(key, "本年")
    }

    pub(crate) fn reason(&self, against: &str, key: &str) -> Option<&str> {
        self.d
            .reasons
            .against(against)
            .and_then(|m| m.get(key))
            .map(String::as_str)
            .filter(|s| !s.trim().is_empty())
    }

    pub(crate) fn subject(&self) -> String {
        format!("{}{}年度", self.d.entity.name, self.d.entity.year)
    }

    /// 部门 or 单位.
    pub(crate) fn kind(&self) -> &'static str {
        match self.d.entity.kind {
            juesuan_model::EntityKind::Department => "部门",
            juesuan_model::EntityKind::Unit => "单位",
        }
    }

    /// 本部门 or 本单位.
    pub(crate) fn own(&self) -> String {
        format!("本{}", self.kind())
    }

    pub(crate) fn name(&self, table: &str, code: &str) -> String {
        let def = self.template.table(table);
        match (def, self.table(table).and_then(|t| t.row(code))) {
            (_, Some(r)) if !r.name.is_empty() && r.name != r.key => r.name.clone(),
            (Some(def), _) => self.template.row_name(def, code),
            _ => code.to_string(),
        }
    }
}

/// A score in hundredths of a point: 784 → "7.84".
fn hundredths(n: i64) -> String {
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", n.abs() / 100, n.abs() % 100)
}

pub fn wan(m: Money) -> String {
    format!("{}万元", m.format_wan())
}

/// ", 变动原因：…" when the dataset gives one; nothing otherwise (the check gate has already
/// refused a build where a reason is required and missing).
pub(crate) fn because(reason: Option<&str>, label: &str) -> String {
    match reason {
        Some(r) => format!("，{label}：{}", r.trim_end_matches(['。', '；', ';'])),
        None => String::new(),
    }
}

/// "与上年决算相比，增加X万元，增长Y%，变动原因：…。" or "与上年决算持平。"
fn against_prior(current: Money, prior: Money, reason: Option<&str>, items: &str) -> String {
    let c = Change::printed(current, prior);
    if c.direction() == Direction::Flat {
        return format!("与上年决算{items}持平。");
    }
    format!(
        "与上年决算相比，{items}{}{}。",
        c.phrase_against_prior(),
        because(reason, "变动原因")
    )
}

fn against_budget(current: Money, budget: Money, reason: Option<&str>, items: &str) -> String {
    let c = Change::printed(current, budget);
    if c.direction() == Direction::Flat {
        return format!("与年初预算{items}持平。");
    }
    format!(
        "与年初预算相比，{items}{}{}。",
        c.phrase_against_prior(),
        because(reason, "变动原因")
    )
}

/// "，完成年初预算的94.21%", or nothing when the base is zero (no ratio exists).
pub(crate) fn completion(c: Change, base: &str) -> String {
    match c.completion() {
        Some(_) => format!("，{}", c.phrase_completion_of(base)),
        None => String::new(),
    }
}

/// Items with their printed shares: "A 1.00万元，占50.00%；B …".
pub(crate) fn share_list(items: &[(String, Money)], prefix: &str) -> Vec<String> {
    let amounts: Vec<Money> = items.iter().map(|(_, m)| *m).collect();
    let s = shares(&amounts);
    items
        .iter()
        .enumerate()
        .map(|(i, (name, m))| match &s {
            Some(s) => format!("{prefix}{name}{}，占{}", wan(*m), s[i].display()),
            None => format!("{prefix}{name}{}", wan(*m)),
        })
        .collect()
}

pub(crate) fn join_clauses(parts: &[String], last: &str) -> String {
    let mut out = parts.join("；");
    out.push_str(last);
    out
}

fn pie(id: &str, title: &str, items: &[(String, Money)]) -> Option<Block> {
    pie_of(id, title, "决算数", items)
}

/// A pie of `items` whose one series is `series` (决算数, or a 预算's 预算数).
pub(crate) fn pie_of(
    id: &str,
    title: &str,
    series: &str,
    items: &[(String, Money)],
) -> Option<Block> {
    let amounts: Vec<Money> = items.iter().map(|(_, m)| *m).collect();
    let s = shares(&amounts)?;
    Some(Block::Chart(Chart {
        id: id.to_string(),
        kind: ChartKind::Pie,
        title: title.to_string(),
        series: vec![series.to_string()],
        items: items
            .iter()
            .zip(s)
            .filter(|((_, m), _)| m.fen() != 0)
            .map(|((label, m), share)| ChartItem {
                label: label.clone(),
                values: vec![*m],
                share: Some(share),
            })
            .collect(),
    }))
}

const INCOME: [&str; 8] = [
    "一般公共预算财政拨款收入",
    "政府性基金预算财政拨款收入",
    "国有资本经营预算财政拨款收入",
    "上级补助收入",
    "事业收入",
    "经营收入",
    "附属单位上缴收入",
    "其他收入",
];

const SPENDING: [&str; 5] = [
    "基本支出",
    "项目支出",
    "上缴上级支出",
    "经营支出",
    "对附属单位补助支出",
];

/// All sections of 第二部分, in the standard order.
pub fn write(s: &Sources, o: &mut Outline) {
    overall(s, o);
    income(s, o);
    spending(s, o);
    fiscal_overall(s, o);
    general_budget(s, o);
    basic(s, o);
    project(s, o);
    three_public(s, o);
    fund(
        s,
        o,
        "T8",
        "政府性基金预算财政拨款支出决算情况说明",
        "政府性基金预算",
    );
    fund(
        s,
        o,
        "T9",
        "国有资本经营预算财政拨款支出决算情况说明",
        "国有资本经营预算",
    );
    operating_cost(s, o);
    procurement(s, o);
    assets(s, o);
    performance(s, o);
}

fn overall(s: &Sources, o: &mut Outline) {
    o.heading(2, "收入支出决算总体情况说明");
    let total = s.amount("T1", "收入总计", "决算数");
    let mut p = format!("{}收入、支出决算总计{}。", s.subject(), wan(total));
    if let Some(b) = s.cell("T1", "收入总计", "年初预算") {
        p += &against_budget(
            total,
            b,
            s.reason("年初预算", "T1/收入总计"),
            "收、支总计各",
        );
    }
    if let Some(b) = s.cell("T1", "收入总计", "上年决算") {
        p += &against_prior(
            total,
            b,
            s.reason("上年决算", "T1/收入总计"),
            "收、支总计各",
        );
    }
    o.para(p);
    let side = |o: &mut Outline, n: &str, total_row: &str, rows: [(&str, &str); 3]| {
        o.para(format!(
            "（{n}）{}决算总计{}。包括：",
            if n == "一" { "收入" } else { "支出" },
            wan(s.amount("T1", total_row, "决算数"))
        ));
        for (i, (row, label)) in rows.iter().enumerate() {
            let v = s.amount("T1", row, "决算数");
            let mut p = format!("{}. {label}{}。", i + 1, wan(v));
            if let Some(b) = s.cell("T1", row, "上年决算") {
                p += &against_prior(v, b, s.reason("上年决算", &format!("T1/{row}")), "");
            }
            o.para(p);
        }
    };
    side(
        o,
        "一",
        "收入总计",
        [
            ("本年收入合计", "本年收入决算合计"),
            ("使用非财政拨款结余", "使用非财政拨款结余和专用结余"),
            ("年初结转和结余", "年初结转和结余"),
        ],
    );
    side(
        o,
        "二",
        "支出总计",
        [
            ("本年支出合计", "本年支出决算合计"),
            ("结余分配", "结余分配"),
            ("年末结转和结余", "年末结转和结余"),
        ],
    );
}

fn income(s: &Sources, o: &mut Outline) {
    o.heading(2, "收入决算情况说明");
    let total = s.amount("T1", "本年收入合计", "决算数");
    let items: Vec<(String, Money)> = INCOME
        .iter()
        .map(|r| (r.to_string(), s.amount("T1", r, "决算数")))
        .collect();
    let list = share_list(&items, "本年");
    o.para(format!(
        "{}本年收入决算合计{}，其中：{}",
        s.subject(),
        wan(total),
        join_clauses(&list, "。")
    ));
    if let Some(chart) = pie(
        "income",
        &format!("图{} 收入决算图", o.next_figure()),
        &items,
    ) {
        o.push(chart);
    }
}

fn spending(s: &Sources, o: &mut Outline) {
    o.heading(2, "支出决算情况说明");
    let total = s.amount("T1", "本年支出合计", "决算数");
    let items: Vec<(String, Money)> = SPENDING
        .iter()
        .map(|c| (c.to_string(), s.amount("T3", "合计", c)))
        .collect();
    let list = share_list(&items, "本年");
    o.para(format!(
        "{}本年支出决算合计{}，其中：{}",
        s.subject(),
        wan(total),
        join_clauses(&list, "。")
    ));
    if let Some(chart) = pie(
        "expenditure",
        &format!("图{} 支出决算图", o.next_figure()),
        &items,
    ) {
        o.push(chart);
    }
}

fn fiscal_overall(s: &Sources, o: &mut Outline) {
    o.heading(2, "财政拨款收入支出决算总体情况说明");
    let total = s.amount("T4", "收入总计", "合计");
    let mut p = format!("{}财政拨款收入、支出决算总计{}。", s.subject(), wan(total));
    if let Some(b) = s.cell("T4", "收入总计", "年初预算") {
        p += &against_budget(
            total,
            b,
            s.reason("年初预算", "T4/收入总计"),
            "收、支总计各",
        );
    }
    if let Some(b) = s.cell("T4", "收入总计", "上年决算") {
        p += &against_prior(
            total,
            b,
            s.reason("上年决算", "T4/收入总计"),
            "收、支总计各",
        );
    }
    p += &format!(
        "其中：本年财政拨款收入{}，年初财政拨款结转和结余{}；本年财政拨款支出{}，年末财政拨款结转和结余{}。",
        wan(s.amount("T4", "本年收入合计", "合计")),
        wan(s.amount("T4", "年初财政拨款结转和结余", "合计")),
        wan(s.amount("T4", "本年支出合计", "合计")),
        wan(s.amount("T4", "年末财政拨款结转和结余", "合计")),
    );
    o.para(p);
}

/// Rows of a functional table below `parent` (合计 for 类), in code order.
pub(crate) fn children<'t>(t: &'t Table, parent: Option<&str>) -> Vec<&'t juesuan_model::Row> {
    let mut rows: Vec<_> = t
        .rows()
        .iter()
        .filter(|r| r.key != "合计" && CodeBook::parent_code(&r.key) == parent)
        .collect();
    rows.sort_by(|a, b| a.key.cmp(&b.key));
    rows
}

fn general_budget(s: &Sources, o: &mut Outline) {
    o.heading(2, "一般公共预算财政拨款支出决算情况说明");
    let Some(t5) = s.table("T5") else { return };
    let total = s.amount("T5", "合计", "合计");
    let budget = s.cell("T5", "合计", "年初预算");
    let mut p = format!("{}一般公共预算财政拨款支出决算{}", s.subject(), wan(total));
    match budget {
        Some(b) => {
            p += &format!(
                "。与年初预算{}相比，{}。",
                wan(b),
                Change::printed(total, b).phrase_completion()
            );
        }
        None => p += "。",
    }
    let classes = children(t5, None);
    if !classes.is_empty() {
        p.pop();
        p += "，按支出功能分类说明如下：";
    }
    o.para(p);
    if budget.is_some() {
        let items: Vec<ChartItem> = classes
            .iter()
            .map(|r| ChartItem {
                label: s.name("T5", &r.key),
                values: vec![
                    s.amount("T5", &r.key, "年初预算"),
                    s.amount("T5", &r.key, "合计"),
                ],
                share: None,
            })
            .collect();
        if !items.is_empty() {
            let n = o.next_figure();
            o.push(Block::Chart(Chart {
                id: "budget_vs_actual".to_string(),
                kind: ChartKind::Bar,
                title: format!(
                    "图{n} 一般公共预算财政拨款支出年初预算与决算对比（按功能分类类级）"
                ),
                series: vec!["年初预算".to_string(), "决算数".to_string()],
                items,
            }));
        }
    }
    for class in classes {
        let name = s.name("T5", &class.key);
        o.heading(3, &format!("{name}（类）"));
        let actual = s.amount("T5", &class.key, "合计");
        let mut p = format!("{name}（类）决算数为{}", wan(actual));
        if let Some(b) = s.cell("T5", &class.key, "年初预算") {
            let c = Change::printed(actual, b);
            p += &match c.direction() {
                Direction::Flat => format!("，与年初预算{}持平", wan(b)),
                _ => format!(
                    "，年初预算为{}，{}{}",
                    wan(b),
                    c.phrase_against_prior(),
                    completion(c, "年初预算")
                ),
            };
        }
        p += "。其中：";
        o.para(p);
        for (i, leaf) in leaves(t5, &class.key).into_iter().enumerate() {
            o.para(format!("{}. {}", i + 1, item_sentence(s, leaf)));
        }
    }
}

/// The 项 (or a 款 without 项) under a 类, in code order.
pub(crate) fn leaves<'t>(t: &'t Table, class: &str) -> Vec<&'t juesuan_model::Row> {
    let mut out = Vec::new();
    for k in children(t, Some(class)) {
        let items = children(t, Some(&k.key));
        if items.is_empty() {
            out.push(k);
        } else {
            out.extend(items);
        }
    }
    out
}

fn item_sentence(s: &Sources, row: &juesuan_model::Row) -> String {
    let title = match CodeBook::parent_code(&row.key) {
        Some(k) if row.key.len() == 7 => {
            format!("{}（款）{}（项）", s.name("T5", k), s.name("T5", &row.key))
        }
        _ => format!("{}（款）", s.name("T5", &row.key)),
    };
    let actual = s.amount("T5", &row.key, "合计");
    let Some(budget) = s.cell("T5", &row.key, "年初预算") else {
        return format!("{title}。支出决算{}。", wan(actual));
    };
    let c = Change::printed(actual, budget);
    let mut p = format!(
        "{title}。年初预算{}，支出决算{}{}。",
        wan(budget),
        wan(actual),
        completion(c, "年初预算")
    );
    let reason = s.reason("年初预算", &format!("T5/{}", row.key));
    p += &match (c.direction(), reason) {
        (Direction::Flat, _) => "决算数与年初预算数一致。".to_string(),
        (_, Some(r)) => format!(
            "决算数较年初预算数{}，主要原因：{}。",
            c.phrase_against_prior(),
            r.trim_end_matches('。')
        ),
        (_, None) => format!("决算数较年初预算数{}，差异较小。", c.phrase_against_prior()),
    };
    p
}

/// Economic-classification items of T6 under the given 类 codes: the 款 rows, or the 类 row
/// itself when it has no 款.
fn economic_items(s: &Sources, classes: &[&str]) -> Vec<(String, Money)> {
    let Some(t6) = s.table("T6") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for class in classes {
        let mut kids: Vec<_> = t6
            .rows()
            .iter()
            .filter(|r| CodeBook::parent_code(&r.key) == Some(class))
            .collect();
        kids.sort_by(|a, b| a.key.cmp(&b.key));
        if kids.is_empty() {
            let v = s.amount("T6", class, "决算数");
            if v.fen() != 0 {
                out.push((s.name("T6", class), v));
            }
        }
        for k in kids {
            let v = s.amount("T6", &k.key, "决算数");
            if v.fen() != 0 {
                out.push((s.name("T6", &k.key), v));
            }
        }
    }
    out
}

pub(crate) fn listing(items: &[(String, Money)]) -> String {
    items
        .iter()
        .map(|(n, m)| format!("{n}{}", wan(*m)))
        .collect::<Vec<_>>()
        .join("、")
}

fn basic(s: &Sources, o: &mut Outline) {
    o.heading(2, "一般公共预算财政拨款基本支出决算情况说明");
    o.para(format!(
        "{}一般公共预算财政拨款基本支出决算{}，其中：",
        s.subject(),
        wan(s.amount("T5", "合计", "基本支出"))
    ));
    for (n, row, classes) in [
        ("一", "人员经费合计", ["301", "303"]),
        ("二", "公用经费合计", ["302", "310"]),
    ] {
        let items = economic_items(s, &classes);
        let label = row.trim_end_matches("合计");
        let mut p = format!("（{n}）{label}{}", wan(s.amount("T6", row, "决算数")));
        if items.is_empty() {
            p += "。";
        } else {
            p += &format!("。主要包括：{}。", listing(&items));
        }
        o.para(p);
    }
}

fn project(s: &Sources, o: &mut Outline) {
    o.heading(2, "一般公共预算财政拨款项目支出决算情况说明");
    let total = s.amount("T5", "合计", "项目支出");
    let mut p = format!(
        "{}一般公共预算财政拨款项目支出决算{}",
        s.subject(),
        wan(total)
    );
    let items: Vec<(String, Money)> = s
        .table("T5")
        .map(|t| {
            children(t, None)
                .iter()
                .map(|r| {
                    (
                        format!("{}（类）", s.name("T5", &r.key)),
                        s.amount("T5", &r.key, "项目支出"),
                    )
                })
                .filter(|(_, m)| m.fen() != 0)
                .collect()
        })
        .unwrap_or_default();
    if items.is_empty() {
        p += "。";
    } else {
        let list = share_list(&items, "");
        p += &format!("，按支出功能分类：{}", join_clauses(&list, "。"));
    }
    o.para(p);
}

const THREE: [&str; 3] = ["因公出国（境）费", "公务用车购置及运行维护费", "公务接待费"];

fn three_public(s: &Sources, o: &mut Outline) {
    o.heading(2, "财政拨款“三公”经费支出决算情况说明");
    o.heading(3, "财政拨款“三公”经费支出总体情况说明");
    let actual = |r: &str| s.amount("T7", r, "决算数");
    let budget = |r: &str| s.amount("T7", r, "预算数");
    let total = Change::printed(actual("合计"), budget("合计"));
    let mut p = format!(
        "{}财政拨款“三公”经费全年预算{}，支出决算{}{}{}。其中：",
        s.subject(),
        wan(budget("合计")),
        wan(actual("合计")),
        completion(total, "预算"),
        because(
            s.reason("年初预算", "T7/合计"),
            match total.direction() {
                Direction::Down => "决算数小于预算数的主要原因",
                Direction::Up => "决算数大于预算数的主要原因",
                Direction::Flat => "说明",
            }
        )
    );
    let parts: Vec<String> = THREE
        .iter()
        .map(|r| {
            format!(
                "{r}全年预算{}，支出决算{}{}",
                wan(budget(r)),
                wan(actual(r)),
                completion(Change::printed(actual(r), budget(r)), "预算")
            )
        })
        .collect();
    p += &join_clauses(&parts, "。");
    o.para(p);

    o.heading(3, "财政拨款“三公”经费支出具体情况说明");
    let items: Vec<(String, Money)> = THREE.iter().map(|r| (r.to_string(), actual(r))).collect();
    let list = share_list(&items, "");
    o.para(format!(
        "{}财政拨款“三公”经费支出{}。{}",
        s.subject(),
        wan(actual("合计")),
        join_clauses(&list, "。其中：")
    ));
    let prior = |r: &str, o: &str| -> String {
        match s.cell("T7", r, "上年决算") {
            Some(b) => against_prior(actual(r), b, s.reason("上年决算", &format!("T7/{r}")), o),
            None => String::new(),
        }
    };
    let count = |k: &str| {
        s.fact_count(k)
            .map(|n| n.to_string())
            .unwrap_or_else(|| "—".into())
    };
    o.para(format!(
        "1. 因公出国（境）费支出{}，全年出国（境）团组{}个，累计{}人次。{}",
        wan(actual("因公出国（境）费")),
        count("三公.出国团组"),
        count("三公.出国人次"),
        prior("因公出国（境）费", "")
    ));
    o.para(format!(
        "2. 公务用车购置及运行维护费支出{}。其中：",
        wan(actual("公务用车购置及运行维护费"))
    ));
    o.para(format!(
        "（1）公务用车购置支出{}。本年度使用财政拨款购置公务用车{}辆。{}",
        wan(actual("公务用车购置费")),
        count("三公.购置车辆数"),
        prior("公务用车购置费", "")
    ));
    o.para(format!(
        "（2）公务用车运行维护费支出{}。公务用车运行维护费主要用于按规定保留的公务用车的燃料费、维修费、过桥过路费、保险费、安全奖励费用等支出。截至{}年12月31日，使用财政拨款开支的公务用车保有量为{}辆。{}",
        wan(actual("公务用车运行维护费")),
        s.d.entity.year,
        count("三公.保有量"),
        prior("公务用车运行维护费", "")
    ));
    let mut p = format!("3. 公务接待费支出{}。", wan(actual("公务接待费")));
    let domestic = s.fact_money("三公.国内接待费", "本年");
    let foreign = s.fact_money("三公.国外接待费", "本年");
    if let (Some(d), Some(f)) = (domestic, foreign) {
        p += &format!(
            "其中：国内公务接待支出{}，接待{}批次，{}人次；国（境）外公务接待支出{}，接待{}批次，{}人次。",
            wan(d),
            count("三公.国内接待批次"),
            count("三公.国内接待人次"),
            wan(f),
            count("三公.国外接待批次"),
            count("三公.国外接待人次"),
        );
    }
    p += &prior("公务接待费", "");
    o.para(p);
}

fn fund(s: &Sources, o: &mut Outline, table: &str, heading: &str, fund: &str) {
    o.heading(2, heading);
    let spent = s.amount(table, "合计", "本年支出合计");
    let income = s.amount(table, "合计", "本年收入");
    let opening = s.amount(table, "合计", "年初结转和结余");
    let closing = s.amount(table, "合计", "年末结转和结余");
    let prior = s.cell(table, "合计", "上年决算");
    let nothing = [spent, income, opening, closing]
        .iter()
        .all(|m| m.fen() == 0);
    let label = format!("表{}", table.trim_start_matches('T'));
    if nothing && prior.is_none_or(|p| p.fen() == 0) {
        o.para(format!(
            "{}{fund}财政拨款支出决算0.00万元。{}本年度没有使用{fund}财政拨款安排的收入、支出和结转结余，{label}为空表。",
            s.subject(),
            s.own()
        ));
        return;
    }
    let mut p = format!(
        "{}{fund}财政拨款支出决算{}（年初结转和结余{}，本年收入{}，年末结转和结余{}）。",
        s.subject(),
        wan(spent),
        wan(opening),
        wan(income),
        wan(closing)
    );
    if let Some(b) = prior {
        p += &against_prior(spent, b, s.reason("上年决算", &format!("{table}/合计")), "");
    }
    o.para(p);
}

fn operating_cost(s: &Sources, o: &mut Outline) {
    o.heading(2, "机构运行经费支出决算情况说明");
    let Some(cost) = s.fact_money("机构运行经费", "本年") else {
        o.para("本数据集未提供机构运行经费。");
        return;
    };
    let mut p = format!("{}机构运行经费支出决算{}。", s.subject(), wan(cost));
    if let Some(b) = s.fact_money("机构运行经费", "上年决算") {
        p += &against_prior(cost, b, s.reason("上年决算", "F/机构运行经费"), "");
    }
    o.para(p);
}

fn procurement(s: &Sources, o: &mut Outline) {
    o.heading(2, "政府采购支出决算情况说明");
    let m = |k: &str| {
        s.fact_money(&format!("采购.{k}"), "本年")
            .unwrap_or(Money::ZERO)
    };
    let total = m("合计");
    let pct = |part: Money| match Percent::of(part, total) {
        Some(p) => format!("，占政府采购支出总额的{}", p.display()),
        None => String::new(),
    };
    let mut p = format!(
        "{}政府采购支出总额{}，其中：政府采购货物支出{}、政府采购工程支出{}、政府采购服务支出{}。",
        s.subject(),
        wan(total),
        wan(m("货物")),
        wan(m("工程")),
        wan(m("服务"))
    );
    p += &format!(
        "授予中小企业合同金额{}{}，其中：授予小微企业合同金额{}{}；货物采购授予中小企业合同金额{}，工程采购授予中小企业合同金额{}，服务采购授予中小企业合同金额{}。",
        wan(m("中小企业")),
        pct(m("中小企业")),
        wan(m("小微企业")),
        pct(m("小微企业")),
        wan(m("中小企业货物")),
        wan(m("中小企业工程")),
        wan(m("中小企业服务")),
    );
    o.para(p);
}

fn assets(s: &Sources, o: &mut Outline) {
    o.heading(2, "国有资产占用情况说明");
    let n = |k: &str| s.fact_count(&format!("资产.{k}")).unwrap_or(0);
    let kinds = [
        ("副部级及以上领导用车", "副部（省）级及以上领导用车"),
        ("主要负责人用车", "主要负责人用车"),
        ("机要通信用车", "机要通信用车"),
        ("应急保障用车", "应急保障用车"),
        ("执法执勤用车", "执法执勤用车"),
        ("特种专业技术用车", "特种专业技术用车"),
        ("离退休干部服务用车", "离退休干部服务用车"),
        ("其他用车", "其他用车"),
    ];
    let list: Vec<String> = kinds
        .iter()
        .map(|(k, label)| format!("{label}{}辆", n(k)))
        .collect();
    o.para(format!(
        "截至{}年12月31日，{}共有车辆{}辆，其中：{}；单价100万元（含）以上的设备（不含车辆）{}台（套）。",
        s.d.entity.year,
        s.d.entity.name,
        n("车辆合计"),
        list.join("、"),
        n("百万元以上设备")
    ));
}

fn performance(s: &Sources, o: &mut Outline) {
    o.heading(2, "预算绩效情况说明");
    o.heading(3, "预算绩效管理工作开展情况");
    let count = |k: &str| s.fact_count(&format!("绩效.{k}"));
    let money = |k: &str| s.fact_money(&format!("绩效.{k}"), "本年");
    let mut p = format!(
        "根据预算绩效管理要求，{}组织对{}年度一般公共预算项目支出开展了绩效自评",
        s.d.entity.name, s.d.entity.year
    );
    if let (Some(n), Some(m)) = (count("一般公共预算项目数"), money("一般公共预算项目资金"))
    {
        p += &format!("，其中一般公共预算项目{n}个，涉及资金{}", wan(m));
        if let Some(r) = Percent::of(m, s.amount("T5", "合计", "项目支出")) {
            p += &format!("，占一般公共预算项目支出总额的{}", r.display());
        }
    }
    if let (Some(n), Some(m)) = (count("政府性基金项目数"), money("政府性基金项目资金"))
    {
        p += &format!("；政府性基金预算项目{n}个，涉及资金{}", wan(m));
        if let Some(r) = Percent::of(m, s.amount("T8", "合计", "项目支出")) {
            p += &format!("，占政府性基金预算项目支出总额的{}", r.display());
        }
    }
    p += "。";
    o.para(p);

    o.heading(3, &format!("{}决算中项目绩效自评结果", s.kind()));
    let projects = &s.d.projects;
    if projects.is_empty() {
        o.para("本年度决算未单独反映项目绩效自评结果。");
        return;
    }
    let names: Vec<String> = projects.iter().map(|p| format!("“{}”", p.name)).collect();
    o.para(format!(
        "{}在{}年度{}决算中反映{}共{}个项目的绩效自评结果，具体如下：",
        s.d.entity.name,
        s.d.entity.year,
        s.kind(),
        names.join("、"),
        projects.len()
    ));
    for (i, p) in projects.iter().enumerate() {
        let unit = p
            .unit
            .as_deref()
            .and_then(|u| s.d.unit(u))
            .map(|u| format!("（{}）", u.name))
            .unwrap_or_default();
        let mut t = format!("{}. {}{unit}项目自评综述：", i + 1, p.name);
        if let Some(score) = p.score {
            t += &format!(
                "根据年初设定的绩效目标，项目自评得分{}分。",
                hundredths(score)
            );
        }
        if let (Some(b), Some(e)) = (p.budget, p.executed) {
            t += &format!(
                "全年预算数为{}，执行数为{}{}。",
                wan(b.round_to_wan_cent()),
                wan(e.round_to_wan_cent()),
                completion(Change::printed(e, b), "预算")
            );
        }
        for (label, text) in [
            ("项目绩效目标完成情况", &p.goals),
            ("发现的主要问题及原因", &p.problems),
            ("下一步改进措施", &p.improvements),
        ] {
            if let Some(text) = text {
                t += &format!("{label}：{}。", text.trim_end_matches('。'));
            }
        }
        o.para(t);
    }
}
