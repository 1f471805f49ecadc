//! Explaining and cross-checking the comparisons of a 决算公开.
//!
//! What it is for:
//! - **Drafted 变动原因** ([`explain`]): for every comparison the check requires a 变动原因 for
//!   (the `R.*` rules of the catalogue, exactly the list `juesuan build` refuses with), the lines
//!   that drove the change — by 功能分类 款/项, by 经济分类, by the fixed rows of a table, or by
//!   unit — chosen deterministically, and the quantitative sentence ("主要是……减少72.76万元、
//!   ……，合计减少180.11万元，占减少额的80.12%"). Every amount is a displayed (舍位平衡) figure
//!   and every percentage comes from `juesuan-derive`, so the draft agrees with the printed
//!   tables. [`write_suggestions`] puts drafts into `disclosure.toml` as `[suggestions.*]`.
//! - **Cross-checks** ([`crosscheck_prior`], [`crosscheck_budget`]): every 上年决算 figure a
//!   dataset uses against last year's dataset (through a [`Mapping`] of code changes), every
//!   年初预算 figure against the budget dataset, each difference a `juesuan-check` [`Finding`]
//!   naming both sources.
//!
//! What it is not for: writing the *why* of a change (people do), deciding which changes need
//! a reason (the rule catalogue does, through `juesuan-check`), or checking a dataset's own
//! arithmetic (`juesuan check`).

mod crosscheck;
mod draft;
mod lines;
mod needed;
mod suggest;

pub use crosscheck::{crosscheck_budget, crosscheck_prior, Mapping, MappingPair};
pub use draft::{choose, render, Choice};
pub use juesuan_check::{Finding, Location, Report, Severity};
pub use lines::Line;
pub use needed::{needed, Needed};
pub use suggest::{replace_suggestions, write_suggestions};

use juesuan_derive::{Change, Percent};
use juesuan_model::{Disclosure, DocKind, Money};
use serde::Serialize;

/// The base a figure is compared with.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Against {
    /// 决算 vs 年初预算 (表7: 预算数)
    #[serde(rename = "年初预算")]
    Budget,
    /// 本年 vs 上年决算
    #[serde(rename = "上年决算")]
    Prior,
}

impl Against {
    /// The key of its section in `[reasons]` / `[suggestions]`.
    pub fn chinese(self) -> &'static str {
        match self {
            Against::Budget => "年初预算",
            Against::Prior => "上年决算",
        }
    }
}

/// How a change was split into lines.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Dimension {
    /// 支出功能分类 类/款/项
    #[serde(rename = "功能分类")]
    Functional,
    /// 部门支出经济分类 类/款
    #[serde(rename = "经济分类")]
    Economic,
    /// The items of a fixed table (表1, 表4, 表7)
    #[serde(rename = "项目")]
    Items,
    /// The units of the department
    #[serde(rename = "单位")]
    Units,
}

/// The drivers of one change and the sentence that states them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Draft {
    pub by: Dimension,
    /// The table the lines come from (may differ from the comparison's: 表4 收入总计 is split
    /// by 表5's 功能分类 rows).
    pub source: String,
    /// Same-sign lines, largest |Δ| first, until they cover ≥ 80% of the change (at most 3).
    pub drivers: Vec<Line>,
    /// Opposite-sign lines of at least 10% of the change (at most 2).
    pub offsets: Vec<Line>,
    /// Σ Δ of the drivers (same sign as the change).
    pub drivers_total: Money,
    /// |drivers_total| / |Δ|.
    pub share: Option<Percent>,
    /// The quantitative part of the 变动原因, e.g. "主要是……，合计减少……万元，占减少额的…%".
    pub sentence: String,
}

/// One comparison that needs a 变动原因.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Comparison {
    pub against: Against,
    /// The reason key, "TABLE/ROW".
    pub key: String,
    pub table: String,
    pub row: String,
    /// "表5 2040601 行政运行"
    pub label: String,
    pub current_column: String,
    pub base_column: String,
    /// Displayed figures.
    pub current: Money,
    pub base: Money,
    pub delta: Money,
    /// "减少63.36万元，下降5.79%" (juesuan-derive).
    pub phrase: String,
    /// Whether `[reasons]` already has a text for it.
    pub has_reason: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub draft: Option<Draft>,
    /// Why there is no draft.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Every comparison of a disclosure that needs a 变动原因, with its draft.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Explanation {
    pub entity: String,
    pub year: i32,
    /// 决算 or 预算: the words of the listing (a 预算 states 预算数 against 上年预算).
    #[serde(skip)]
    pub document: DocKind,
    pub comparisons: Vec<Comparison>,
}

/// Explains every comparison of `d` that the check requires a 变动原因 for.
pub fn explain(d: &Disclosure) -> Result<Explanation, String> {
    let sources = lines::Sources::new(d)?;
    let mut comparisons = Vec::new();
    for n in needed(d)? {
        let (Some(current), Some(base)) = (
            sources.entity_cell(&n.table, &n.row, &n.current_column),
            sources.entity_cell(&n.table, &n.row, &n.base_column),
        ) else {
            continue;
        };
        let change = Change::printed(current, base);
        let key = format!("{}/{}", n.table, n.row);
        let has_reason = d
            .reasons
            .against(n.against.chinese())
            .is_some_and(|m| m.contains_key(&key));
        let (draft, note) = match sources.split(&n) {
            Ok((by, source, lines)) => match choose(&lines, change.delta()) {
                Some(choice) => (Some(render(by, source, choice, change.delta())), None),
                None => (
                    None,
                    Some("无法分解：没有与总变动同方向变动的明细。".to_string()),
                ),
            },
            Err(why) => (None, Some(why)),
        };
        comparisons.push(Comparison {
            against: n.against,
            key,
            label: sources.label(&n.table, &n.row),
            table: n.table,
            row: n.row,
            current_column: n.current_column,
            base_column: n.base_column,
            current: change.current,
            base: change.base,
            delta: change.delta(),
            phrase: change.phrase_against_prior(),
            has_reason,
            draft,
            note,
        });
    }
    Ok(Explanation {
        entity: d.entity.name.clone(),
        year: d.entity.year,
        document: d.entity.doc,
        comparisons,
    })
}

impl Explanation {
    /// The listing of `juesuan explain`, in Chinese.
    pub fn to_human(&self) -> String {
        let mut out = format!(
            "{}{}年度：需要说明变动原因的比较 {} 项（已填写 {} 项，可起草 {} 项）\n",
            self.entity,
            self.year,
            self.comparisons.len(),
            self.comparisons.iter().filter(|c| c.has_reason).count(),
            self.comparisons
                .iter()
                .filter(|c| c.draft.is_some())
                .count(),
        );
        for against in [Against::Budget, Against::Prior] {
            let list: Vec<&Comparison> = self
                .comparisons
                .iter()
                .filter(|c| c.against == against)
                .collect();
            if list.is_empty() {
                continue;
            }
            let base = match (self.document, against) {
                (DocKind::Budget, Against::Prior) => "上年预算",
                _ => against.chinese(),
            };
            out.push_str(&format!("\n与{base}相比\n"));
            for c in list {
                out.push_str(&format!(
                    "  {}（{}）：{} {}万元，{} {}万元，{}；{}\n",
                    c.label,
                    c.key,
                    self.document.chinese(),
                    c.current.format_wan(),
                    c.base_column,
                    c.base.format_wan(),
                    c.phrase,
                    if c.has_reason {
                        "已填写变动原因"
                    } else {
                        "未填写变动原因"
                    }
                ));
                if let Some(d) = &c.draft {
                    out.push_str(&format!("    建议：{}\n", d.sentence));
                }
                if let Some(n) = &c.note {
                    out.push_str(&format!("    {n}\n"));
                }
            }
        }
        out
    }
}
