//! The 部门预算公开 document: 第一部分 部门概况, 第二部分 编制说明 (every sentence written from
//! the displayed tables Y1 … Y9 and the facts, as the 决算's narrative is), 第三部分 the tables
//! (data/tables/<year>-yusuan.toml) and the 项目支出绩效目标表 from the listed projects.
//!
//! Comparisons are with 上年预算 (the optional column of the template), the one a budget
//! states; 变动原因 come from `[reasons."上年预算"]`.

use crate::document::{Block, Cell, DisplayRow, DisplayTable, Document};
use crate::glossary;
use crate::narrative::{
    because, children, join_clauses, leaves, listing, pie_of, share_list, wan, Sources,
};
use crate::outline::{chinese_number, Outline};
use crate::tables::{functional, units_table, Grid};
use juesuan_derive::{Change, Direction, Percent};
use juesuan_model::{Disclosure, DocKind, Money, Table, TableDef, TableSet, Template};

/// The comparative column of every budget table.
const PRIOR: &str = "上年预算";

/// Builds the whole 预算 document from the displayed tables.
pub fn build(d: &Disclosure, template: &Template, shown: &TableSet) -> Result<Document, String> {
    let year = d.entity.year;
    let s = Sources {
        d,
        tables: shown,
        template,
    };
    let kind = s.kind();
    let mut o = Outline::default();

    o.heading(1, &format!("{kind}概况"));
    overview(d, &mut o, kind);

    o.push(Block::PageBreak);
    o.heading(1, &format!("{year}年度{kind}预算编制说明"));
    overall(&s, &mut o);
    income(&s, &mut o);
    spending(&s, &mut o);
    fiscal(&s, &mut o);
    general(&s, &mut o);
    basic(&s, &mut o);
    three_public(&s, &mut o);
    fund(&s, &mut o, "Y8", "政府性基金预算");
    fund(&s, &mut o, "Y9", "国有资本经营预算");
    operating_cost(&s, &mut o);
    procurement(&s, &mut o);
    assets(&s, &mut o);
    performance(&s, &mut o);
    o.heading(2, "名词解释");
    for (i, (term, text)) in glossary::terms_for(DocKind::Budget, year)?
        .into_iter()
        .enumerate()
    {
        o.para(format!("{}、{term}：{text}", chinese_number(i + 1)));
    }
    o.para(format!(
        "本{kind}预算公开信息反馈和联系方式：联系人：{}，联系电话：{}。",
        d.contact.person, d.contact.phone
    ));

    o.push(Block::PageBreak);
    o.heading(1, &format!("{year}年度{kind}预算表"));
    let mut tables = budget_tables(shown, template, &d.entity.name, kind);
    tables.push(projects_table(&s, tables.len() + 1));
    for (i, t) in tables.into_iter().enumerate() {
        if i > 0 {
            o.push(Block::PageBreak);
        }
        o.push(Block::Table(t));
    }

    Ok(Document {
        title: format!("{}{year}年度{kind}预算", d.entity.name),
        entity: d.entity.name.clone(),
        year,
        kind: kind.to_string(),
        document: DocKind::Budget.chinese().to_string(),
        blocks: o.blocks,
    })
}

fn overview(d: &Disclosure, o: &mut Outline, kind: &str) {
    o.heading(2, "主要职能");
    let n = d.overview.functions.len();
    for (i, f) in d.overview.functions.iter().enumerate() {
        let end = if i + 1 == n { "。" } else { "；" };
        o.para(format!(
            "{}. {}{end}",
            i + 1,
            f.trim_end_matches(['。', '；', ';'])
        ));
    }
    o.heading(2, &format!("{kind}机构设置及预算单位构成情况"));
    if !d.overview.institutions.is_empty() {
        o.para(d.overview.institutions.clone());
    }
    let names: Vec<&str> = d.units.iter().map(|u| u.name.as_str()).collect();
    o.para(format!(
        "从预算单位构成看，纳入本{kind}{}年度部门预算编制范围的预算单位共计{}家，具体包括：{}。",
        d.entity.year,
        d.units.len(),
        names.join("、")
    ));
    let units: Vec<(String, String)> = d
        .units
        .iter()
        .map(|u| (u.name.clone(), u.nature.clone()))
        .collect();
    let mut t = units_table(&units);
    t.title = "纳入部门预算编制范围的单位".to_string();
    o.push(Block::Table(t));
}

/// "与上年预算相比，增加X万元，增长Y%，主要原因：…。" or "与上年预算持平。"; nothing when the
/// dataset gives no 上年预算.
fn against_last(s: &Sources, current: Money, table: &str, row: &str, column: &str) -> String {
    let Some(base) = s.cell(table, row, column) else {
        return String::new();
    };
    let key = format!("{table}/{row}");
    change_sentence(current, base, s.reason(PRIOR, &key))
}

fn change_sentence(current: Money, base: Money, reason: Option<&str>) -> String {
    let c = Change::printed(current, base);
    if c.direction() == Direction::Flat {
        return "与上年预算持平。".to_string();
    }
    format!(
        "与上年预算相比，{}{}。",
        c.phrase_against_prior(),
        because(reason, "主要原因")
    )
}

const INCOME: [&str; 9] = [
    "一般公共预算拨款收入",
    "政府性基金预算拨款收入",
    "国有资本经营预算拨款收入",
    "财政专户管理资金收入",
    "事业收入",
    "事业单位经营收入",
    "上级补助收入",
    "附属单位上缴收入",
    "其他收入",
];

const FUNDS: [&str; 3] = ["一般公共预算", "政府性基金预算", "国有资本经营预算"];

fn overall(s: &Sources, o: &mut Outline) {
    o.heading(2, "收支预算总体情况");
    let total = s.amount("Y1", "收入总计", "预算数");
    let mut p = format!("{}收入、支出预算总计{}。", s.subject(), wan(total));
    p += &against_last(s, total, "Y1", "收入总计", PRIOR);
    p += &format!(
        "其中：本年收入{}，上年结转结余{}；本年支出{}，结转下年{}。",
        wan(s.amount("Y1", "本年收入合计", "预算数")),
        wan(s.amount("Y1", "上年结转结余", "预算数")),
        wan(s.amount("Y1", "本年支出合计", "预算数")),
        wan(s.amount("Y1", "结转下年", "预算数")),
    );
    o.para(p);
}

fn income(s: &Sources, o: &mut Outline) {
    o.heading(2, "收入预算情况");
    let total = s.amount("Y1", "本年收入合计", "预算数");
    let items: Vec<(String, Money)> = INCOME
        .iter()
        .map(|r| (r.to_string(), s.amount("Y1", r, "预算数")))
        .filter(|(_, m)| m.fen() != 0)
        .collect();
    let mut p = format!("{}本年收入预算合计{}", s.subject(), wan(total));
    if items.is_empty() {
        p += "。";
    } else {
        p += &format!("，其中：{}", join_clauses(&share_list(&items, ""), "。"));
    }
    o.para(p);
    if let Some(chart) = pie_of(
        "income",
        &format!("图{} 收入预算图", o.next_figure()),
        "预算数",
        &items,
    ) {
        o.push(chart);
    }
}

fn spending(s: &Sources, o: &mut Outline) {
    o.heading(2, "支出预算情况");
    let total = s.amount("Y3", "合计", "合计");
    let items: Vec<(String, Money)> = ["基本支出", "项目支出"]
        .iter()
        .map(|c| (c.to_string(), s.amount("Y3", "合计", c)))
        .collect();
    o.para(format!(
        "{}本年支出预算合计{}，其中：{}",
        s.subject(),
        wan(total),
        join_clauses(&share_list(&items, ""), "。")
    ));
    if let Some(chart) = pie_of(
        "expenditure",
        &format!("图{} 支出预算图", o.next_figure()),
        "预算数",
        &items,
    ) {
        o.push(chart);
    }
}

fn fiscal(s: &Sources, o: &mut Outline) {
    o.heading(2, "财政拨款收支预算总体情况");
    let total = s.amount("Y4", "收入总计", "合计");
    let mut p = format!("{}财政拨款收入、支出预算总计{}。", s.subject(), wan(total));
    p += &against_last(s, total, "Y4", "收入总计", PRIOR);
    let by_fund: Vec<String> = FUNDS
        .iter()
        .map(|f| format!("{f}拨款{}", wan(s.amount("Y4", "本年收入合计", f))))
        .collect();
    p += &format!(
        "其中：本年财政拨款收入{}（{}），上年结转{}；本年财政拨款支出{}，结转下年{}。",
        wan(s.amount("Y4", "本年收入合计", "合计")),
        by_fund.join("、"),
        wan(s.amount("Y4", "上年结转", "合计")),
        wan(s.amount("Y4", "本年支出合计", "合计")),
        wan(s.amount("Y4", "结转下年", "合计")),
    );
    o.para(p);
}

fn general(s: &Sources, o: &mut Outline) {
    o.heading(2, "一般公共预算支出预算情况");
    let Some(t5) = s.table("Y5") else { return };
    let total = s.amount("Y5", "合计", "合计");
    let mut p = format!(
        "{}一般公共预算支出预算{}，其中基本支出{}、项目支出{}。",
        s.subject(),
        wan(total),
        wan(s.amount("Y5", "合计", "基本支出")),
        wan(s.amount("Y5", "合计", "项目支出")),
    );
    p += &against_last(s, total, "Y5", "合计", PRIOR);
    let classes = children(t5, None);
    if !classes.is_empty() {
        p += "按支出功能分类说明如下：";
    }
    o.para(p);
    for class in classes {
        let name = s.name("Y5", &class.key);
        o.heading(3, &format!("{name}（类）"));
        let amount = s.amount("Y5", &class.key, "合计");
        let mut p = format!("{name}（类）预算数为{}。", wan(amount));
        p += &against_last(s, amount, "Y5", &class.key, PRIOR);
        p += "其中：";
        o.para(p);
        for (i, leaf) in leaves(t5, &class.key).into_iter().enumerate() {
            o.para(format!("{}. {}", i + 1, item_sentence(s, leaf)));
        }
    }
}

fn item_sentence(s: &Sources, row: &juesuan_model::Row) -> String {
    let title = match juesuan_model::CodeBook::parent_code(&row.key) {
        Some(k) if row.key.len() == 7 => {
            format!("{}（款）{}（项）", s.name("Y5", k), s.name("Y5", &row.key))
        }
        _ => format!("{}（款）", s.name("Y5", &row.key)),
    };
    let amount = s.amount("Y5", &row.key, "合计");
    let mut p = format!("{title}预算数为{}。", wan(amount));
    if let Some(base) = s.cell("Y5", &row.key, PRIOR) {
        // a 项 needs no reason of its own (R.y5_prior asks per 类): one is printed if given
        let reason = s.reason(PRIOR, &format!("Y5/{}", row.key));
        p += &change_sentence(amount, base, reason);
    }
    p
}

/// 款 of table Y6 under the given 类 codes, with their amounts in `column`.
fn economic_items(s: &Sources, classes: &[&str], column: &str) -> Vec<(String, Money)> {
    let Some(t6) = s.table("Y6") else {
        return Vec::new();
    };
    let mut rows: Vec<_> = t6
        .rows()
        .iter()
        .filter(|r| r.key.len() == 5 && classes.iter().any(|c| r.key.starts_with(c)))
        .collect();
    rows.sort_by(|a, b| a.key.cmp(&b.key));
    rows.iter()
        .map(|r| (s.name("Y6", &r.key), s.amount("Y6", &r.key, column)))
        .filter(|(_, m)| m.fen() != 0)
        .collect()
}

fn basic(s: &Sources, o: &mut Outline) {
    o.heading(2, "一般公共预算基本支出预算情况");
    o.para(format!(
        "{}一般公共预算基本支出预算{}，其中：",
        s.subject(),
        wan(s.amount("Y6", "合计", "合计"))
    ));
    for (n, column, classes, what) in [
        (
            "一",
            "人员经费",
            ["301", "303"],
            "工资福利支出和对个人和家庭的补助",
        ),
        (
            "二",
            "公用经费",
            ["302", "310"],
            "商品和服务支出和资本性支出",
        ),
    ] {
        let items = economic_items(s, &classes, column);
        let mut p = format!(
            "（{n}）{column}{}，用于{what}",
            wan(s.amount("Y6", "合计", column))
        );
        if items.is_empty() {
            p += "。";
        } else {
            p += &format!("，主要包括：{}。", listing(&items));
        }
        o.para(p);
    }
}

const THREE: [&str; 3] = ["因公出国（境）费", "公务用车购置及运行维护费", "公务接待费"];

fn three_public(s: &Sources, o: &mut Outline) {
    o.heading(2, "一般公共预算“三公”经费预算情况");
    let budget = |r: &str| s.amount("Y7", r, "预算数");
    // the breakdown follows the total it divides, before the change (a reader, and
    // `juesuan audit`, take a 其中 list as parts of the figure just before it)
    let items: Vec<(String, Money)> = THREE.iter().map(|r| (r.to_string(), budget(r))).collect();
    let mut p = format!(
        "{}一般公共预算“三公”经费预算{}，其中：{}",
        s.subject(),
        wan(budget("合计")),
        join_clauses(&share_list(&items, ""), "。")
    );
    p += &against_last(s, budget("合计"), "Y7", "合计", PRIOR);
    o.para(p);
    let count = |k: &str| {
        s.fact_count(k)
            .map(|n| n.to_string())
            .unwrap_or_else(|| "—".into())
    };
    let last = |r: &str| against_last(s, budget(r), "Y7", r, PRIOR);
    o.para(format!(
        "1. 因公出国（境）费预算{}，计划安排出国（境）团组{}个，{}人次。{}",
        wan(budget("因公出国（境）费")),
        count("三公.出国团组"),
        count("三公.出国人次"),
        last("因公出国（境）费")
    ));
    o.para(format!(
        "2. 公务用车购置及运行维护费预算{}。其中：公务用车购置费预算{}，计划购置公务用车{}辆；公务用车运行维护费预算{}，主要用于按规定保留的{}辆公务用车的燃料费、维修费、过桥过路费、保险费等支出。{}",
        wan(budget("公务用车购置及运行维护费")),
        wan(budget("公务用车购置费")),
        count("三公.购置车辆数"),
        wan(budget("公务用车运行维护费")),
        count("三公.保有量"),
        last("公务用车购置及运行维护费")
    ));
    o.para(format!(
        "3. 公务接待费预算{}。{}",
        wan(budget("公务接待费")),
        last("公务接待费")
    ));
}

fn fund(s: &Sources, o: &mut Outline, table: &str, fund: &str) {
    o.heading(2, &format!("{fund}支出预算情况"));
    let total = s.amount(table, "合计", "合计");
    let label = s
        .template
        .table(table)
        .map(TableDef::label)
        .unwrap_or_default();
    if total.fen() == 0 {
        o.para(format!(
            "{}{fund}支出预算0.00万元。{}没有使用{fund}拨款安排的支出，{label}为空表。",
            s.subject(),
            s.own()
        ));
        return;
    }
    let mut p = format!(
        "{}{fund}支出预算{}，其中基本支出{}、项目支出{}。",
        s.subject(),
        wan(total),
        wan(s.amount(table, "合计", "基本支出")),
        wan(s.amount(table, "合计", "项目支出")),
    );
    p += &against_last(s, total, table, "合计", PRIOR);
    o.para(p);
}

fn operating_cost(s: &Sources, o: &mut Outline) {
    o.heading(2, "机关运行经费预算情况");
    let Some(cost) = s.fact_money("机关运行经费", "本年") else {
        o.para("本数据集未提供机关运行经费。");
        return;
    };
    let mut p = format!(
        "{}机关运行经费预算{}，用于保障机关正常运转。",
        s.subject(),
        wan(cost)
    );
    if let Some(b) = s.fact_money("机关运行经费", PRIOR) {
        p += &change_sentence(cost, b, s.reason(PRIOR, "F/机关运行经费"));
    }
    o.para(p);
}

fn procurement(s: &Sources, o: &mut Outline) {
    o.heading(2, "政府采购预算情况");
    let m = |k: &str| {
        s.fact_money(&format!("采购.{k}"), "本年")
            .unwrap_or(Money::ZERO)
    };
    let total = m("合计");
    let mut p = format!(
        "{}政府采购预算总额{}，其中：政府采购货物预算{}、政府采购工程预算{}、政府采购服务预算{}。",
        s.subject(),
        wan(total),
        wan(m("货物")),
        wan(m("工程")),
        wan(m("服务"))
    );
    p += &format!("面向中小企业预留政府采购项目预算金额{}", wan(m("中小企业")));
    if let Some(r) = Percent::of(m("中小企业"), total) {
        p += &format!("，占政府采购预算总额的{}", r.display());
    }
    p += "。";
    o.para(p);
}

fn assets(s: &Sources, o: &mut Outline) {
    o.heading(2, "国有资产占用情况");
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
    // a budget is drawn up before its year: the assets are those at the end of last year
    o.para(format!(
        "截至{}年12月31日，{}共有车辆{}辆，其中：{}；单价100万元（含）以上的设备（不含车辆）{}台（套）。",
        s.d.entity.year - 1,
        s.d.entity.name,
        n("车辆合计"),
        list.join("、"),
        n("百万元以上设备")
    ));
}

fn performance(s: &Sources, o: &mut Outline) {
    o.heading(2, "预算绩效目标设置情况");
    let mut p = format!(
        "按照全面实施预算绩效管理的要求，{}对{}年度项目支出编制了绩效目标",
        s.d.entity.name, s.d.entity.year
    );
    let count = s.fact_count("绩效.项目数");
    let money = s.fact_money("绩效.项目资金", "本年");
    if let (Some(n), Some(m)) = (count, money) {
        p += &format!("，实行绩效目标管理的项目{n}个，涉及资金{}", wan(m));
        if let Some(r) = Percent::of(m, s.amount("Y3", "合计", "项目支出")) {
            p += &format!("，占项目支出预算的{}", r.display());
        }
    }
    p += "。";
    let projects = &s.d.projects;
    if !projects.is_empty() {
        let names: Vec<String> = projects.iter().map(|p| format!("“{}”", p.name)).collect();
        p += &format!(
            "本次公开{}共{}个项目的绩效目标（见项目支出绩效目标表）。",
            names.join("、"),
            projects.len()
        );
    }
    o.para(p);
}

/// The tables of the template in order, laid out as regions print them.
pub fn budget_tables(
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
                "Y1" => y1(t, def),
                "Y4" => y4(t, def),
                "Y7" => y7(t),
                _ => functional(t, def, template),
            };
            let empty = rows.iter().all(|r| {
                r.cells
                    .iter()
                    .all(|c| !matches!(c, Cell::Money(m) if m.fen() != 0))
            });
            let note = match def.id.as_str() {
                "Y8" | "Y9" if empty => Some(format!(
                    "注：本{kind}{}年度没有使用{}拨款安排的支出，故本表无数据。",
                    template.year,
                    if def.id == "Y8" {
                        "政府性基金预算"
                    } else {
                        "国有资本经营预算"
                    }
                )),
                _ => None,
            };
            display(
                def.id.clone(),
                def.label(),
                def.title.clone(),
                entity,
                grid,
                rows,
                note,
            )
        })
        .collect()
}

fn display(
    id: String,
    number: String,
    title: String,
    entity: &str,
    grid: Grid,
    rows: Vec<DisplayRow>,
    note: Option<String>,
) -> DisplayTable {
    let (header, header_rows, columns) = grid.into_parts();
    DisplayTable {
        id,
        number,
        title,
        entity: entity.to_string(),
        unit_label: "单位：万元".to_string(),
        columns,
        header,
        header_rows,
        rows,
        note,
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

fn group(def: &TableDef, g: &str) -> Vec<(String, String)> {
    def.rows
        .iter()
        .filter(|r| r.group.as_deref() == Some(g))
        .map(|r| (r.key.clone(), r.display_name().to_string()))
        .collect()
}

/// 部门收支总体情况表: 收入 (项目 | 预算数) beside 支出 (功能分类 类 | 预算数).
fn y1(t: Option<&Table>, def: &TableDef) -> (Grid, Vec<DisplayRow>) {
    let grid = Grid::new(4, 2)
        .cell(0, 0, 1, 2, "收入")
        .cell(0, 2, 1, 2, "支出")
        .cell(1, 0, 1, 1, "项目")
        .cell(1, 1, 1, 1, "预算数")
        .cell(1, 2, 1, 1, "项目")
        .cell(1, 3, 1, 1, "预算数");
    let left = group(def, "收入项目");
    let right = group(def, "支出功能分类");
    let side = |item: Option<&(String, String)>| -> [Cell; 2] {
        match item {
            Some((k, n)) => [text(n), money(t, k, "预算数")],
            None => [Cell::Empty, Cell::Empty],
        }
    };
    let mut rows = Vec::new();
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
        ("上年结转结余", "上年结转结余", "结转下年", "结转下年"),
        ("收入总计", "收入总计", "支出总计", "支出总计"),
    ] {
        rows.push(row(
            vec![
                text(ln),
                money(t, l, "预算数"),
                text(rn),
                money(t, r, "预算数"),
            ],
            ln.contains("合计") || ln.contains("总计"),
        ));
    }
    (grid, rows)
}

/// 财政拨款收支总体情况表: 收入 by fund (项目 | 预算数) beside 支出 by 类 and fund.
fn y4(t: Option<&Table>, def: &TableDef) -> (Grid, Vec<DisplayRow>) {
    let mut grid = Grid::new(7, 2)
        .cell(0, 0, 1, 2, "收入")
        .cell(0, 2, 1, 5, "支出")
        .cell(1, 0, 1, 1, "项目")
        .cell(1, 1, 1, 1, "预算数")
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
    let classes = group(def, "支出功能分类");
    let mut rows = Vec::new();
    for (i, (k, n)) in classes.iter().enumerate() {
        let mut cells = match FUNDS.get(i) {
            Some(f) => vec![text(&format!("{f}拨款")), money(t, "本年收入合计", f)],
            None => vec![Cell::Empty, Cell::Empty],
        };
        cells.push(text(n));
        cells.extend(four(k));
        rows.push(row(cells, false));
    }
    for (l, r, total) in [
        ("本年收入合计", "本年支出合计", true),
        ("上年结转", "结转下年", false),
        ("收入总计", "支出总计", true),
    ] {
        let mut cells = vec![text(l), money(t, l, "合计"), text(r)];
        cells.extend(four(r));
        rows.push(row(cells, total));
    }
    (grid, rows)
}

/// 一般公共预算“三公”经费支出情况表: one row of 预算数 under the six headings (the 预算数
/// header row names the column, as the 决算's 表7 names its 预算数/决算数 pairs).
fn y7(t: Option<&Table>) -> (Grid, Vec<DisplayRow>) {
    let mut grid = Grid::new(6, 3)
        .cell(0, 0, 2, 1, "合计")
        .cell(0, 1, 2, 1, "因公出国（境）费")
        .cell(0, 2, 1, 3, "公务用车购置及运行维护费")
        .cell(1, 2, 1, 1, "小计")
        .cell(1, 3, 1, 1, "公务用车购置费")
        .cell(1, 4, 1, 1, "公务用车运行维护费")
        .cell(0, 5, 2, 1, "公务接待费");
    for c in 0..6 {
        grid = grid.cell(2, c, 1, 1, "预算数");
    }
    let cells = [
        "合计",
        "因公出国（境）费",
        "公务用车购置及运行维护费",
        "公务用车购置费",
        "公务用车运行维护费",
        "公务接待费",
    ]
    .iter()
    .map(|k| money(t, k, "预算数"))
    .collect();
    (grid, vec![row(cells, false)])
}

/// 项目支出绩效目标表: the listed projects with their unit, fund, budget and 绩效目标.
fn projects_table(s: &Sources, number: usize) -> DisplayTable {
    let grid = Grid::new(5, 1)
        .cell(0, 0, 1, 1, "项目名称")
        .cell(0, 1, 1, 1, "单位名称")
        .cell(0, 2, 1, 1, "资金性质")
        .cell(0, 3, 1, 1, "预算数")
        .cell(0, 4, 1, 1, "绩效目标");
    let rows: Vec<DisplayRow> =
        s.d.projects
            .iter()
            .map(|p| {
                let unit = p
                    .unit
                    .as_deref()
                    .and_then(|u| s.d.unit(u))
                    .map(|u| u.name.clone())
                    .unwrap_or_default();
                row(
                    vec![
                        text(&p.name),
                        text(&unit),
                        text(&p.fund),
                        Cell::Money(p.budget.unwrap_or(Money::ZERO).round_to_wan_cent()),
                        text(p.goals.as_deref().unwrap_or("")),
                    ],
                    false,
                )
            })
            .collect();
    let note = rows.is_empty().then(|| {
        format!(
            "注：本{}{}年度未单独公开项目支出绩效目标，故本表无数据。",
            s.kind(),
            s.d.entity.year
        )
    });
    display(
        "projects".to_string(),
        format!("表{number}"),
        "项目支出绩效目标表".to_string(),
        &s.d.entity.name,
        grid,
        rows,
        note,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_names_its_reason_and_a_flat_one_says_so() {
        let a = Money::parse_wan("124.66").unwrap();
        let b = Money::parse_wan("138.64").unwrap();
        assert_eq!(
            change_sentence(a, b, Some("人员减少。")),
            "与上年预算相比，减少13.98万元，下降10.08%，主要原因：人员减少。"
        );
        assert_eq!(change_sentence(a, a, None), "与上年预算持平。");
    }
}
