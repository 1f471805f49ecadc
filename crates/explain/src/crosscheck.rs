//! Cross-checks between datasets: this year's 上年决算 figures against last year's 决算, and
//! the 决算's 年初预算 figures against the 部门预算.
//!
//! Both sides are read as printed: the displayed (舍位平衡) tables, facts rounded to 0.01
//! 万元. Each printed money figure stands for v ± 0.005 万元, so two figures (or sums of
//! figures) differ only when they are further apart than 0.005 万元 times the number of
//! figures on both sides; counts must be equal.
//!
//! Which column a comparative is checked against is the table's 决算 column (表1 决算数,
//! 表2 本年收入合计, 表3 本年支出合计, 表4/表5 合计, 表6/表7 决算数, 表8/表9 本年支出合计,
//! facts 本年). The budget is a 部门预算 dataset (`document = "预算"`): each 年初预算 figure is
//! checked against the 预算 cell it restates, as data/tables/<year>-yusuan-final.csv lists
//! them (表1 → 部门收支总体情况表, 表4 → 财政拨款收支总体情况表, 表5 → 一般公共预算支出情况表 by
//! code, 表7 预算数 → “三公”经费表). A 决算-shaped stand-in (its 决算 columns holding the
//! budget) is still accepted and compared column for column.
//!
//! Code changes between years come as a [`Mapping`] (old_code,new_code[,note]). Codes linked
//! by the mapping form groups (n:1 merges, 1:n splits, renames); a group is compared as a
//! whole (Σ this year's restated 上年决算 of the new codes = Σ last year's 决算 of the old
//! codes), and a row above changed codes is compared after moving the amounts that crossed its
//! boundary: last year's figure − the old codes under it + what the group became under it
//! (last year's group total when all of the group's new codes are under the row, else this
//! year's figures of those new codes). A group entirely inside the row changes nothing. So a
//! difference inside a group is reported once, at the group (unless a split spreads the new
//! codes over several rows above).

use juesuan_check::{Finding, Location, Report, Severity};
use juesuan_model::{
    CodeBook, CodeLevel, Disclosure, DocKind, Layout, Money, Problem, Table, TableSet, Template,
    ValueKind, FEN_PER_WAN_CENT,
};
use std::collections::BTreeSet;
use std::path::Path;

/// One line of a mapping file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappingPair {
    pub old: String,
    pub new: String,
    pub note: Option<String>,
    /// 1-based line in the file.
    pub line: usize,
}

/// Code changes between two years (口径调整).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mapping {
    pub pairs: Vec<MappingPair>,
}

/// The shipped code mappings into a year from the year before (`data/codes/<year>/`).
const SHIPPED: &[(i32, &str)] = &[(2025, include_str!("../../../data/codes/2025/map-2024.csv"))];

impl Mapping {
    /// The shipped mapping from `year − 1` to `year` (empty when none ships: no code changed,
    /// or no list of the changes exists).
    pub fn shipped(year: i32) -> Result<Mapping, Vec<Problem>> {
        match SHIPPED.iter().find(|(y, _)| *y == year) {
            Some((y, text)) => Mapping::parse(text, &format!("data/codes/{y}/map-{}.csv", y - 1)),
            None => Ok(Mapping::default()),
        }
    }

    /// Parses `old_code,new_code[,note]` lines; a first line naming the columns is skipped.
    /// Every problem is returned at once.
    pub fn parse(text: &str, file: &str) -> Result<Mapping, Vec<Problem>> {
        let text = text.trim_start_matches('\u{feff}');
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut pairs = Vec::new();
        let mut problems = Vec::new();
        for (i, rec) in reader.records().enumerate() {
            let line = i + 1;
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    problems.push(Problem::in_file(file, format!("无法读取：{e}")).at(line, None));
                    continue;
                }
            };
            let field = |k: usize| rec.get(k).map(str::trim).unwrap_or("");
            let (old, new) = (field(0), field(1));
            if old.is_empty() && new.is_empty() {
                continue;
            }
            if line == 1 && CodeLevel::of(old).is_none() && CodeLevel::of(new).is_none() {
                continue; // header
            }
            let mut ok = true;
            for (value, column) in [(old, "old_code"), (new, "new_code")] {
                if CodeLevel::of(value).is_none() {
                    problems.push(
                        Problem::in_file(
                            file,
                            format!("“{value}”不是科目编码（类 3 位、款 5 位、项 7 位数字）"),
                        )
                        .at(line, Some(column)),
                    );
                    ok = false;
                }
            }
            if rec.len() > 3 {
                problems.push(
                    Problem::in_file(file, "每行应为 old_code,new_code[,note]".to_string())
                        .at(line, None),
                );
                ok = false;
            }
            if ok {
                pairs.push(MappingPair {
                    old: old.to_string(),
                    new: new.to_string(),
                    note: Some(field(2)).filter(|s| !s.is_empty()).map(str::to_string),
                    line,
                });
            }
        }
        if problems.is_empty() {
            Ok(Mapping { pairs })
        } else {
            Err(problems)
        }
    }

    /// Reads and parses a mapping file.
    pub fn read(path: &Path) -> Result<Mapping, Vec<Problem>> {
        let file = path.display().to_string();
        let bytes = std::fs::read(path)
            .map_err(|e| vec![Problem::in_file(&file, format!("无法读取：{e}"))])?;
        let text = juesuan_load::decode(&bytes)
            .map_err(|e| vec![Problem::in_file(&file, e.in_line()).at(e.line, None)])?;
        Mapping::parse(&text, &file)
    }

    /// Groups of codes linked by the mapping: (old codes, new codes).
    fn groups(&self) -> Vec<(BTreeSet<String>, BTreeSet<String>)> {
        let mut groups: Vec<(BTreeSet<String>, BTreeSet<String>)> = Vec::new();
        for p in &self.pairs {
            let hits: Vec<usize> = groups
                .iter()
                .enumerate()
                .filter(|(_, (o, n))| o.contains(&p.old) || n.contains(&p.new))
                .map(|(i, _)| i)
                .collect();
            let mut merged = (
                BTreeSet::from([p.old.clone()]),
                BTreeSet::from([p.new.clone()]),
            );
            for &i in hits.iter().rev() {
                let (o, n) = groups.remove(i);
                merged.0.extend(o);
                merged.1.extend(n);
            }
            groups.push(merged);
        }
        groups
    }
}

/// One line of data/tables/<year>-yusuan-final.csv: the 预算 cell a 决算 comparative restates.
/// A row `*` stands for every classification code, the same on both sides.
#[derive(serde::Deserialize)]
struct Restate {
    final_table: String,
    final_row: String,
    final_column: String,
    budget_table: String,
    budget_row: String,
    budget_column: String,
}

const RESTATE_2024: &str = include_str!("../../../data/tables/2024-yusuan-final.csv");

fn restatements(year: i32) -> Result<Vec<Restate>, String> {
    let text = match year {
        2024 => RESTATE_2024,
        _ => {
            return Err(format!(
                "没有 {year} 年度决算与部门预算的对应关系（data/tables/{year}-yusuan-final.csv）"
            ))
        }
    };
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .collect::<Result<Vec<Restate>, _>>()
        .map_err(|e| format!("决算与部门预算的对应关系文件有误：{e}"))
}

/// The 预算 cell (table, row, column) that a 决算 comparative (table, row, column) restates.
fn restated<'r>(
    rules: &'r [Restate],
    table: &str,
    row: &str,
    column: &str,
) -> Option<(&'r str, String, &'r str)> {
    let of = |r: &'r Restate, row: String| (r.budget_table.as_str(), row, r.budget_column.as_str());
    let here = || {
        rules
            .iter()
            .filter(|r| r.final_table == table && r.final_column == column)
    };
    if let Some(r) = here().find(|r| r.final_row == row) {
        return Some(of(r, r.budget_row.clone()));
    }
    here()
        .find(|r| r.final_row == "*" && CodeLevel::of(row).is_some())
        .map(|r| of(r, row.to_string()))
}

/// Which comparison is being checked.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Kind {
    Prior,
    Budget,
}

/// The 决算 column a comparative of `table` is checked against.
fn current_column(table: &str) -> Option<&'static str> {
    Some(match table {
        "T1" | "T6" | "T7" => "决算数",
        "T2" => "本年收入合计",
        "T3" | "T8" | "T9" => "本年支出合计",
        "T4" | "T5" => "合计",
        "F" => "本年",
        _ => return None,
    })
}

fn comparative(kind: Kind, table: &str) -> &'static str {
    match (kind, table) {
        (Kind::Prior, _) => "上年决算",
        (Kind::Budget, "T7") => "预算数",
        (Kind::Budget, _) => "年初预算",
    }
}

/// One side of a cross-check: a dataset's printed tables and where they came from.
struct Side<'a> {
    d: &'a Disclosure,
    dir: &'a Path,
    /// "部门" or a unit id.
    node: String,
    tables: TableSet,
}

impl Side<'_> {
    fn table(&self, id: &str) -> Option<&Table> {
        if id == "F" {
            (self.node == "部门").then_some(&self.d.facts)
        } else {
            self.tables.get(id)
        }
    }

    fn location(&self, table: &str, row: &str, column: &str) -> Location {
        let t = self.table(table);
        Location {
            file: Some(match t.and_then(|t| t.file.as_ref()) {
                Some(f) => self.dir.join(f).display().to_string(),
                None => format!("{}（各单位汇总）", self.dir.display()),
            }),
            line: t.and_then(|t| t.row(row)).and_then(|r| r.line),
            table: Some(table.to_string()),
            row: Some(row.to_string()),
            column: Some(column.to_string()),
            unit: Some(self.node.clone()),
            ..Location::default()
        }
    }
}

fn sides<'a>(d: &'a Disclosure, dir: &'a Path, template: &Template) -> Vec<Side<'a>> {
    let exact = juesuan_report::entity_tables(d, template);
    let mut out = vec![Side {
        d,
        dir,
        node: "部门".to_string(),
        tables: juesuan_report::displayed::displayed(&exact, template),
    }];
    if d.units.len() > 1 {
        for u in &d.units {
            out.push(Side {
                d,
                dir,
                node: u.id.clone(),
                tables: juesuan_report::displayed::displayed(&u.tables, template),
            });
        }
    }
    out
}

struct Ctx<'a> {
    template: &'a Template,
    kind: Kind,
    groups: Vec<(BTreeSet<String>, BTreeSet<String>)>,
    findings: Vec<Finding>,
    evaluated: usize,
}

/// The row is a 项/款/类 code or the functional 合计 that `code` lies under.
fn under(code: &str, row: &str, layout: Layout) -> bool {
    if CodeLevel::of(code).is_none() {
        return false;
    }
    if row == "合计" {
        return layout == Layout::Functional;
    }
    CodeLevel::of(row).is_some() && code.len() > row.len() && code.starts_with(row)
}

/// The codes of `set` under `row` that have no ancestor in `set` also under `row`.
fn topmost<'s>(set: &'s BTreeSet<String>, row: &str, layout: Layout) -> Vec<&'s String> {
    set.iter()
        .filter(|c| under(c, row, layout))
        .filter(|c| {
            let mut a = CodeBook::parent_code(c);
            while let Some(p) = a {
                if set.contains(p) && under(p, row, layout) {
                    return false;
                }
                a = CodeBook::parent_code(p);
            }
            true
        })
        .collect()
}

impl Ctx<'_> {
    fn value(&self, t: &Table, row: &str, column: &str, money: bool) -> Option<i64> {
        let v = t.get(row, column)?;
        Some(if money && t.id == "F" {
            Money::from_fen(v).round_to_wan_cent().fen()
        } else {
            v
        })
    }

    fn compare(&mut self, this: &Side, last: &Side, table: &str) {
        let comp = comparative(self.kind, table);
        let Some(cur) = current_column(table) else {
            return;
        };
        let (Some(tt), Some(lt)) = (this.table(table), last.table(table)) else {
            return;
        };
        if !tt.has_column(comp) || !lt.has_column(cur) {
            return;
        }
        let Some(def) = self.template.table(table) else {
            return;
        };
        let mut done_groups = BTreeSet::new();
        for row in tt.rows() {
            let r = row.key.as_str();
            let money = self.template.row_kind(def, r) == ValueKind::Money;
            if self.value(tt, r, comp, money).is_none() {
                continue;
            }
            let case = match self.groups.iter().position(|(_, n)| n.contains(r)) {
                Some(g) => {
                    if !done_groups.insert(g) {
                        continue;
                    }
                    let (olds, news) = &self.groups[g];
                    let stated: Option<i64> =
                        news.iter().map(|n| self.value(tt, n, comp, money)).sum();
                    let Some(stated) = stated else { continue };
                    let expected = olds
                        .iter()
                        .map(|o| self.value(lt, o, cur, money).unwrap_or(0))
                        .sum();
                    Case {
                        stated,
                        this_terms: news.len(),
                        expected,
                        last_terms: olds.len(),
                        related: olds.iter().map(|o| last.location(table, o, cur)).collect(),
                        group: Some(g),
                        adjusted: false,
                    }
                }
                None => {
                    let Some(base) = self.value(lt, r, cur, money) else {
                        self.missing(this, last, table, r, comp, cur);
                        continue;
                    };
                    let mut case = Case {
                        stated: self.value(tt, r, comp, money).unwrap_or(0),
                        this_terms: 1,
                        expected: base,
                        last_terms: 1,
                        related: vec![last.location(table, r, cur)],
                        group: None,
                        adjusted: false,
                    };
                    let mut unknown = false;
                    for (olds, news) in &self.groups {
                        if olds.contains(r) {
                            case.expected -= base;
                            case.adjusted = true;
                        }
                        let all_old = olds.iter().all(|o| under(o, r, def.layout));
                        let all_new = news.iter().all(|n| under(n, r, def.layout));
                        if all_old && all_new {
                            continue; // the group moved within the row: checked at the group
                        }
                        for o in topmost(olds, r, def.layout) {
                            case.expected -= self.value(lt, o, cur, money).unwrap_or(0);
                            case.related.push(last.location(table, o, cur));
                            case.last_terms += 1;
                            case.adjusted = true;
                        }
                        if all_new {
                            // everything the group became is under the row: last year's
                            // amount moved in (a difference inside it is the group's)
                            for o in olds {
                                case.expected += self.value(lt, o, cur, money).unwrap_or(0);
                                case.related.push(last.location(table, o, cur));
                                case.last_terms += 1;
                                case.adjusted = true;
                            }
                            continue;
                        }
                        for n in topmost(news, r, def.layout) {
                            match self.value(tt, n, comp, money) {
                                Some(v) => case.expected += v,
                                None => unknown = true,
                            }
                            case.related.push(this.location(table, n, comp));
                            case.last_terms += 1;
                            case.adjusted = true;
                        }
                    }
                    if unknown {
                        continue;
                    }
                    case
                }
            };
            self.evaluated += 1;
            let half = if money { FEN_PER_WAN_CENT / 2 } else { 0 };
            let tolerance = half * (case.this_terms + case.last_terms) as i64;
            if (case.stated - case.expected).abs() > tolerance {
                let f = self.finding(this, last, table, r, comp, cur, money, &case, tolerance);
                self.findings.push(f);
            }
        }
    }

    /// The 年初预算 figures of `this` table against the 部门预算 cells they restate.
    fn compare_budget_doc(&mut self, this: &Side, budget: &Side, table: &str, rules: &[Restate]) {
        let Some(tt) = this.table(table) else { return };
        let columns: BTreeSet<&str> = rules
            .iter()
            .filter(|r| r.final_table == table)
            .map(|r| r.final_column.as_str())
            .collect();
        for comp in columns {
            if !tt.has_column(comp) {
                continue;
            }
            for row in tt.rows() {
                let r = row.key.as_str();
                let Some(stated) = self.value(tt, r, comp, true) else {
                    continue;
                };
                let Some((bt, br, bc)) = restated(rules, table, r, comp) else {
                    if stated != 0 {
                        self.findings.push(Finding {
                            rule: "X.missing".to_string(),
                            severity: Severity::Warning,
                            message: format!(
                                "{} “{comp}”有数，但部门预算中没有对应的项目：无法核对",
                                row_label(self.template, table, r)
                            ),
                            location: this.location(table, r, comp),
                            stated: Some(amount(stated, true)),
                            expected: None,
                            tolerance: None,
                            related: Vec::new(),
                            culprit: None,
                        });
                    }
                    continue;
                };
                // a budget table left out is not given; a row left out of one is zero
                let Some(expected) = budget.table(bt).and_then(|t| self.value(t, &br, bc, true))
                else {
                    continue;
                };
                self.evaluated += 1;
                let case = Case {
                    stated,
                    this_terms: 1,
                    expected,
                    last_terms: 1,
                    related: vec![budget.location(bt, &br, bc)],
                    group: None,
                    adjusted: false,
                };
                let tolerance = FEN_PER_WAN_CENT / 2 * 2;
                if (stated - expected).abs() > tolerance {
                    let f = self.finding(this, budget, table, r, comp, bc, true, &case, tolerance);
                    self.findings.push(f);
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn finding(
        &self,
        this: &Side,
        last: &Side,
        table: &str,
        row: &str,
        comp: &str,
        cur: &str,
        money: bool,
        case: &Case,
        tolerance: i64,
    ) -> Finding {
        let fmt = |v: i64| amount(v, money);
        let label = row_label(self.template, table, row);
        let what = match case.group {
            Some(g) => {
                let (olds, news) = &self.groups[g];
                format!(
                    "{}（口径调整：{} → {}）",
                    table_label(self.template, table),
                    olds.iter().cloned().collect::<Vec<_>>().join("、"),
                    news.iter().cloned().collect::<Vec<_>>().join("、"),
                )
            }
            None => label,
        };
        let (source, rule) = match self.kind {
            Kind::Prior => (
                format!("上年（{}年度）决算", last.d.entity.year),
                if case.group.is_some() || case.adjusted {
                    "X.prior_mapped"
                } else {
                    "X.prior"
                },
            ),
            Kind::Budget => (format!("{}年度部门预算", last.d.entity.year), "X.budget"),
        };
        let sum = if case.this_terms > 1 { "合计" } else { "" };
        let adjusted = if case.adjusted {
            "（已按口径调整增减变动的科目）"
        } else {
            ""
        };
        let there = case
            .related
            .first()
            .map(|l| l.describe(None))
            .unwrap_or_default();
        let message = format!(
            "{what} “{comp}”{sum} {} 与{source}“{cur}” {}{adjusted} 不一致，相差 {}（舍入容差 ±{}）；{}：{there}",
            fmt(case.stated),
            fmt(case.expected),
            fmt(case.stated - case.expected),
            fmt(tolerance),
            match self.kind {
                Kind::Prior => "上年",
                Kind::Budget => "预算",
            }
        );
        Finding {
            rule: rule.to_string(),
            severity: Severity::Error,
            message,
            location: this.location(table, row, comp),
            stated: Some(fmt(case.stated)),
            expected: Some(fmt(case.expected)),
            tolerance: Some(fmt(tolerance)),
            related: case.related.clone(),
            culprit: None,
        }
    }

    /// This year states a comparative the other dataset has no figure for (a fact left out).
    fn missing(&mut self, this: &Side, last: &Side, table: &str, row: &str, comp: &str, cur: &str) {
        self.findings.push(Finding {
            rule: "X.missing".to_string(),
            severity: Severity::Warning,
            message: format!(
                "{} “{comp}”有数，但对比数据集中没有“{cur}”：无法核对",
                row_label(self.template, table, row)
            ),
            location: this.location(table, row, comp),
            stated: None,
            expected: None,
            tolerance: None,
            related: vec![last.location(table, row, cur)],
            culprit: None,
        });
    }
}

struct Case {
    stated: i64,
    this_terms: usize,
    expected: i64,
    last_terms: usize,
    related: Vec<Location>,
    group: Option<usize>,
    adjusted: bool,
}

fn amount(v: i64, money: bool) -> String {
    if money {
        Money::from_fen(v).format_wan()
    } else {
        v.to_string()
    }
}

fn table_label(template: &Template, id: &str) -> String {
    template
        .table(id)
        .map(|d| d.label())
        .unwrap_or_else(|| id.to_string())
}

/// "表5 2040601 行政运行", "表1 收入总计".
fn row_label(template: &Template, table: &str, row: &str) -> String {
    let t = table_label(template, table);
    let name = template
        .table(table)
        .map(|d| template.row_name(d, row))
        .unwrap_or_else(|| row.to_string());
    if CodeLevel::of(row).is_some() && name != row {
        format!("{t} {row} {name}")
    } else {
        format!("{t} {name}")
    }
}

fn run(
    kind: Kind,
    this: (&Disclosure, &Path),
    other: (&Disclosure, &Path),
    mapping: &Mapping,
) -> Result<Report, String> {
    if this.0.entity.doc != DocKind::Final {
        return Err("核对的数据集应为部门决算（disclosure.toml 的 document 为“决算”）".into());
    }
    if kind == Kind::Prior && other.0.entity.doc != DocKind::Final {
        return Err("上年决算数据集应为部门决算，不是部门预算".into());
    }
    let template = Template::for_year(this.0.entity.year)?;
    let budget_doc = other.0.entity.doc == DocKind::Budget;
    // a 预算 is laid out by its own template; a 决算 of another year by this year's (the
    // mapping carries the code changes)
    let (other_template, rules) = if budget_doc {
        (
            Template::for_kind(DocKind::Budget, other.0.entity.year)?,
            restatements(this.0.entity.year)?,
        )
    } else {
        (template, Vec::new())
    };
    let mut ctx = Ctx {
        template,
        kind,
        groups: mapping.groups(),
        findings: Vec::new(),
        evaluated: 0,
    };
    let (want, what) = match kind {
        Kind::Prior => (this.0.entity.year - 1, "上年决算数据集"),
        Kind::Budget => (this.0.entity.year, "部门预算数据集"),
    };
    if other.0.entity.year != want {
        ctx.findings.push(Finding {
            rule: "X.year".to_string(),
            severity: Severity::Warning,
            message: format!(
                "{what}为 {} 年度，本数据集为 {} 年度：应为 {want} 年度",
                other.0.entity.year, this.0.entity.year
            ),
            location: Location {
                file: Some(this.1.join("disclosure.toml").display().to_string()),
                ..Location::default()
            },
            stated: Some(other.0.entity.year.to_string()),
            expected: Some(want.to_string()),
            tolerance: None,
            related: vec![Location {
                file: Some(other.1.join("disclosure.toml").display().to_string()),
                ..Location::default()
            }],
            culprit: None,
        });
    }
    if other.0.entity.name != this.0.entity.name {
        ctx.findings.push(Finding {
            rule: "X.entity".to_string(),
            severity: Severity::Warning,
            message: format!(
                "两个数据集的单位名称不同：{} 与 {}",
                this.0.entity.name, other.0.entity.name
            ),
            location: Location {
                file: Some(this.1.join("disclosure.toml").display().to_string()),
                ..Location::default()
            },
            stated: None,
            expected: None,
            tolerance: None,
            related: Vec::new(),
            culprit: None,
        });
    }
    let these = sides(this.0, this.1, template);
    let others = sides(other.0, other.1, other_template);
    let tables: Vec<&str> = template.tables.iter().map(|t| t.id.as_str()).collect();
    for side in &these {
        let Some(counterpart) = others.iter().find(|o| o.node == side.node) else {
            continue;
        };
        for table in &tables {
            if budget_doc {
                ctx.compare_budget_doc(side, counterpart, table, &rules);
            } else {
                ctx.compare(side, counterpart, table);
            }
        }
    }
    Ok(Report::new(ctx.findings, ctx.evaluated, 7))
}

/// Every 上年决算 figure of `this` (the 部门 tables, the units' where given, the facts)
/// against last year's 决算 figures, through `mapping`.
pub fn crosscheck_prior(
    last: &Disclosure,
    last_dir: &Path,
    this: &Disclosure,
    this_dir: &Path,
    mapping: &Mapping,
) -> Result<Report, String> {
    run(Kind::Prior, (this, this_dir), (last, last_dir), mapping)
}

/// Every 年初预算 figure of `fin` (表1, 表4, 表5; 表7 预算数) against the 部门预算 dataset's
/// cells they restate (or, for a 决算-shaped stand-in, its 决算 columns).
pub fn crosscheck_budget(
    budget: &Disclosure,
    budget_dir: &Path,
    fin: &Disclosure,
    fin_dir: &Path,
) -> Result<Report, String> {
    run(
        Kind::Budget,
        (fin, fin_dir),
        (budget, budget_dir),
        &Mapping::default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_mappings_parse_and_name_codes_of_their_years() {
        for (year, _) in SHIPPED {
            let m = Mapping::shipped(*year).unwrap();
            let (old, new) = (
                juesuan_model::Template::for_year(year - 1).unwrap(),
                juesuan_model::Template::for_year(*year).unwrap(),
            );
            for p in &m.pairs {
                assert!(old.functional.get(&p.old).is_some(), "{}", p.old);
                assert!(new.functional.get(&p.new).is_some(), "{}", p.new);
            }
        }
        assert_eq!(Mapping::shipped(1999).unwrap(), Mapping::default());
    }

    #[test]
    fn mapping_files_are_read_with_their_problems() {
        let m = Mapping::parse(
            "old_code,new_code,note\n2040613,2040614,改名\n2040607,2040615\n2040607,2040616,拆分\n",
            "map.csv",
        )
        .unwrap();
        assert_eq!(m.pairs.len(), 3);
        assert_eq!(m.pairs[0].note.as_deref(), Some("改名"));
        let groups = m.groups();
        assert_eq!(groups.len(), 2, "the split is one group");
        assert_eq!(
            groups[1].1,
            BTreeSet::from(["2040615".to_string(), "2040616".to_string()])
        );
        let bad = Mapping::parse("2040613,x\nabc,2040601,a,b\n", "map.csv").unwrap_err();
        assert_eq!(bad.len(), 3, "{bad:?}");
        assert_eq!(bad[0].row, Some(1));
        assert_eq!(bad[0].column.as_deref(), Some("new_code"));
    }

    #[test]
    fn topmost_codes_under_a_row() {
        let set = BTreeSet::from([
            "20406".to_string(),
            "2040601".to_string(),
            "2080501".to_string(),
        ]);
        assert_eq!(topmost(&set, "204", Layout::Functional), ["20406"]);
        assert_eq!(topmost(&set, "20406", Layout::Functional), ["2040601"]);
        assert_eq!(
            topmost(&set, "合计", Layout::Functional),
            ["20406", "2080501"]
        );
        assert!(topmost(&set, "合计", Layout::Fixed).is_empty());
    }
}
