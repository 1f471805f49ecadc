//! The rule catalogue, kept as data (data/rules/<year>.toml).

use crate::lang::{self, Formula};
use juesuan_model::DocKind;
use serde::Deserialize;
use std::sync::OnceLock;

#[derive(
    Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Style,
}

impl Severity {
    pub fn chinese(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Style => "规范",
        }
    }
}

/// How rounding is allowed for.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tolerance {
    /// Each printed money figure stands for v ± half a printed unit (the default).
    #[default]
    Rounding,
    /// Figures are taken as exact points.
    Exact,
}

/// What a rule checks: a formula, or a check built into the engine.
#[derive(Clone, Debug)]
pub enum Check {
    Formula(Box<Formula>),
    /// The published 部门 tables equal the consolidation of the units.
    DepartmentEqualsUnits,
    /// Each internal transfer is booked the same by payer and payees.
    EliminationsMatch,
}

#[derive(Clone, Debug)]
pub struct Rule {
    pub id: String,
    pub severity: Severity,
    /// Chinese message template; {r} {c} and other variables are replaced by their names.
    pub message: String,
    pub formula: String,
    pub tolerance: Tolerance,
    pub check: Check,
    /// Where the rule applies: "entity" (the disclosed entity only) or "all" (every node).
    pub scope: Scope,
}

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    #[default]
    All,
    Entity,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleToml {
    id: String,
    severity: Severity,
    message: String,
    formula: String,
    #[serde(default)]
    tolerance: Tolerance,
    #[serde(default)]
    scope: Scope,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogueToml {
    year: i32,
    rule: Vec<RuleToml>,
}

#[derive(Clone, Debug)]
pub struct Catalogue {
    pub year: i32,
    pub rules: Vec<Rule>,
}

/// The years with a catalogue.
const YEARS: &[(i32, &str)] = &[
    (2024, include_str!("../../../data/rules/2024.toml")),
    (2025, include_str!("../../../data/rules/2025.toml")),
];
const BUDGET_RULES_2024: &str = include_str!("../../../data/rules/2024-yusuan.toml");

impl Catalogue {
    pub fn for_year(year: i32) -> Result<&'static Catalogue, String> {
        static PARSED: [OnceLock<Result<Catalogue, String>>; YEARS.len()] =
            [const { OnceLock::new() }; YEARS.len()];
        let Some(i) = YEARS.iter().position(|(y, _)| *y == year) else {
            let have: Vec<String> = YEARS.iter().map(|(y, _)| y.to_string()).collect();
            return Err(format!(
                "没有 {year} 年度的审核规则（已有：{}）",
                have.join("、")
            ));
        };
        PARSED[i]
            .get_or_init(|| Catalogue::parse(YEARS[i].1))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The catalogue of a document kind and year: [`Catalogue::for_year`] for the 决算, the
    /// 预算 rules (data/rules/<year>-yusuan.toml) for a budget.
    pub fn for_kind(kind: DocKind, year: i32) -> Result<&'static Catalogue, String> {
        static B2024: OnceLock<Result<Catalogue, String>> = OnceLock::new();
        match (kind, year) {
            (DocKind::Final, _) => Catalogue::for_year(year),
            (DocKind::Budget, 2024) => B2024
                .get_or_init(|| Catalogue::parse(BUDGET_RULES_2024))
                .as_ref()
                .map_err(Clone::clone),
            (DocKind::Budget, _) => {
                Err(format!("没有 {year} 年度的部门预算审核规则（已有：2024）"))
            }
        }
    }

    /// Parses a catalogue; all formula errors are reported together.
    pub fn parse(text: &str) -> Result<Catalogue, String> {
        let file: CatalogueToml = toml::from_str(text).map_err(|e| format!("规则文件有误：{e}"))?;
        let mut rules = Vec::new();
        let mut errors = Vec::new();
        for r in file.rule {
            if rules.iter().any(|x: &Rule| x.id == r.id) {
                errors.push(format!("规则 {} 重复", r.id));
                continue;
            }
            let check = match r.formula.trim() {
                "builtin:department_equals_units" => Check::DepartmentEqualsUnits,
                "builtin:eliminations_match" => Check::EliminationsMatch,
                f => match lang::parse(f) {
                    Ok(f) => Check::Formula(Box::new(f)),
                    Err(e) => {
                        errors.push(format!("规则 {}：{e}", r.id));
                        continue;
                    }
                },
            };
            rules.push(Rule {
                id: r.id,
                severity: r.severity,
                message: r.message,
                formula: r.formula,
                tolerance: r.tolerance,
                check,
                scope: r.scope,
            });
        }
        if errors.is_empty() {
            Ok(Catalogue {
                year: file.year,
                rules,
            })
        } else {
            Err(errors.join("\n"))
        }
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}
