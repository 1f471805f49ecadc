//! The Disclosure: everything about one entity's 决算公开 for one year.

use crate::money::Money;
use crate::table::{Table, TableSet};
use std::collections::BTreeMap;

/// 部门 (a department that consolidates its units) or 单位 (one unit on its own).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum EntityKind {
    /// 部门
    Department,
    /// 单位
    Unit,
}

/// Which of the two yearly disclosures a dataset is: the 部门决算 (final accounts, the nine
/// tables) or the 部门预算 (budget, the tables of 财预〔2016〕143号). Each has its own template
/// and rule catalogue per year.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum DocKind {
    /// 决算
    #[default]
    Final,
    /// 预算
    Budget,
}

impl DocKind {
    /// 决算 or 预算, as printed in titles ("部门决算", "部门预算").
    pub fn chinese(self) -> &'static str {
        match self {
            DocKind::Final => "决算",
            DocKind::Budget => "预算",
        }
    }

    pub fn parse(text: &str) -> Option<DocKind> {
        match text {
            "决算" => Some(DocKind::Final),
            "预算" => Some(DocKind::Budget),
            _ => None,
        }
    }
}

/// The unit the dataset's amounts are written in, which fixes their precision.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum AmountUnit {
    /// 万元 with two decimals, as published: each figure is v ± 0.005 万元.
    Wan,
    /// 元, exact to the 分: source data from the accounts.
    Yuan,
}

impl AmountUnit {
    /// Half the width of the interval a written figure stands for, in 分.
    pub fn half_width_fen(self) -> i64 {
        match self {
            AmountUnit::Wan => crate::money::FEN_PER_WAN_CENT / 2,
            AmountUnit::Yuan => 0,
        }
    }

    /// An amount as a dataset types it: 万元 with at most two decimals (as published), 元 to
    /// the 分.
    pub fn parse_money(self, text: &str) -> Result<Money, crate::MoneyError> {
        match self {
            AmountUnit::Wan => {
                let m = Money::parse_wan(text)?;
                if m.fen() % crate::FEN_PER_WAN_CENT != 0 {
                    return Err(crate::MoneyError::FinerThanWanCent(text.trim().to_string()));
                }
                Ok(m)
            }
            AmountUnit::Yuan => Money::parse_yuan(text),
        }
    }

    /// A money amount written in this unit: "4007.03" for 万元 data, "40070300.00" for 元.
    pub fn format(self, m: Money) -> String {
        match self {
            AmountUnit::Wan => m.format_wan_exact(),
            AmountUnit::Yuan => m.format_yuan(),
        }
    }

    pub fn chinese(self) -> &'static str {
        match self {
            AmountUnit::Wan => "万元",
            AmountUnit::Yuan => "元",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entity {
    pub name: String,
    pub year: i32,
    pub kind: EntityKind,
    pub unit: AmountUnit,
    pub region: Option<String>,
    /// 决算 or 预算 (`[entity] document` in disclosure.toml; 决算 when absent).
    pub doc: DocKind,
}

/// A budget unit (预算单位) in the department's tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit {
    /// Directory name under units/.
    pub id: String,
    pub name: String,
    /// 单位性质, e.g. 财政拨款的行政单位.
    pub nature: String,
    /// The unit above in the tree; `None` for 本级 (the root).
    pub parent: Option<String>,
    pub tables: TableSet,
}

/// A 绩效自评 project reported in the narrative.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Project {
    pub name: String,
    pub unit: Option<String>,
    /// 一般公共预算 or 政府性基金预算.
    pub fund: String,
    /// 全年预算数
    pub budget: Option<Money>,
    /// 执行数
    pub executed: Option<Money>,
    /// 自评得分, in hundredths of a point.
    pub score: Option<i64>,
    /// 绩效目标完成情况
    pub goals: Option<String>,
    /// 发现的主要问题及原因
    pub problems: Option<String>,
    /// 下一步改进措施
    pub improvements: Option<String>,
    /// 1-based line in disclosure.toml.
    pub line: Option<usize>,
}

/// 变动原因, keyed "TABLE/ROW".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reasons {
    /// 决算 vs 年初预算
    pub budget: BTreeMap<String, String>,
    /// 本年 vs 上年决算 (a 预算: vs 上年预算)
    pub prior: BTreeMap<String, String>,
}

impl Reasons {
    /// The reasons against a comparative column (年初预算 or 上年决算).
    pub fn against(&self, comparative: &str) -> Option<&BTreeMap<String, String>> {
        match comparative {
            "年初预算" | "预算数" => Some(&self.budget),
            // a 决算 compares with last year's 决算, a 预算 with last year's 预算
            "上年决算" | "上年预算" => Some(&self.prior),
            _ => None,
        }
    }
}

/// 部门概况 texts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Overview {
    /// 主要职能
    pub functions: Vec<String>,
    /// 机构设置
    pub institutions: String,
    /// 主要工作完成情况
    pub work: Vec<String>,
}

/// 联系方式
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Contact {
    pub person: String,
    pub phone: String,
}

/// One entity's 决算公开 for one year.
#[derive(Clone, Debug)]
pub struct Disclosure {
    pub entity: Entity,
    /// The units, 本级 first.
    pub units: Vec<Unit>,
    /// The 部门 tables as published (department/), if given.
    pub department: Option<TableSet>,
    /// Supplementary facts, as table F.
    pub facts: Table,
    pub projects: Vec<Project>,
    pub reasons: Reasons,
    pub overview: Overview,
    pub contact: Contact,
    /// A change needs a 变动原因 when |Δ| ≥ this percentage of the base or a side is zero.
    pub materiality_percent: u32,
}

impl Disclosure {
    pub fn unit(&self, id: &str) -> Option<&Unit> {
        self.units.iter().find(|u| u.id == id)
    }
}
