//! What the auditor recognises, read from `data/audit/<year>.toml`: quantities by the words
//! before their number, column words, and identities between quantities.

use juesuan_model::DocKind;
use regex::Regex;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The specifications: per year of 口径 and document kind.
const SPECS: &[(i32, DocKind, &str)] = &[
    (
        2024,
        DocKind::Final,
        include_str!("../../../data/audit/2024.toml"),
    ),
    (
        2025,
        DocKind::Final,
        include_str!("../../../data/audit/2025.toml"),
    ),
    (
        2024,
        DocKind::Budget,
        include_str!("../../../data/audit/2024-yusuan.toml"),
    ),
];

#[derive(Deserialize)]
struct File {
    quantity: Vec<QuantityFile>,
    columns: BTreeMap<String, Vec<String>>,
    identity: Vec<Identity>,
    #[serde(default)]
    table: Vec<TableSpec>,
}

/// What a printed table states, found by its title.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSpec {
    pub title: String,
    /// The standard table it is (T1 … T9): its figures join the partial model the rule
    /// catalogue is evaluated over.
    #[serde(default)]
    pub id: Option<String>,
    /// In every row group of three or more figures the first is the sum of the others.
    #[serde(default)]
    pub row_total: bool,
    /// 类 = Σ 款 = Σ 项 and 合计 = Σ 类, column by column, over 功能分类 codes.
    #[serde(default)]
    pub hierarchy: bool,
    /// The quantities the totals row states, figure by figure ("quantity" or
    /// "quantity@column"; "" skips a figure).
    #[serde(default)]
    pub totals: Vec<String>,
    /// The name of the totals row ("" for a table whose only row has no name).
    #[serde(default = "default_totals_row")]
    pub totals_row: String,
    /// Row name → quantity its first figure states.
    #[serde(default)]
    pub rows: BTreeMap<String, String>,
    /// Which figure of a 类/项 row is the 一般公共预算财政拨款 决算 the narrative quotes.
    #[serde(default)]
    pub coded_figure: Option<usize>,
    /// The row every 类 row adds up to, figure by figure (the 支出 side of 表1 and 表4).
    #[serde(default)]
    pub class_total: Option<String>,
    /// Row names are the items the narrative lists (人员经费/公用经费 by 经济分类).
    #[serde(default)]
    pub list_items: bool,
}

fn default_totals_row() -> String {
    "合计".to_string()
}

#[derive(Deserialize)]
struct QuantityFile {
    name: String,
    labels: Vec<String>,
    #[serde(default)]
    sections: Vec<String>,
}

pub struct Quantity {
    pub name: String,
    labels: Vec<Regex>,
    sections: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Identity {
    pub total: String,
    pub parts: Vec<String>,
}

pub struct Spec {
    pub quantities: Vec<Quantity>,
    /// column name → label patterns ("预算", "决算")
    pub columns: Vec<(String, Vec<Regex>)>,
    pub identities: Vec<Identity>,
    pub tables: Vec<TableSpec>,
    pub year: i32,
}

fn compile(patterns: &[String]) -> Result<Vec<Regex>, String> {
    patterns
        .iter()
        .map(|p| Regex::new(p).map_err(|e| format!("审核规格中的正则表达式“{p}”有误：{e}")))
        .collect()
}

impl Spec {
    /// The specification of a year and document kind, parsed once per process.
    pub fn for_document(year: i32, kind: DocKind) -> Result<&'static Spec, String> {
        static PARSED: [OnceLock<Result<Spec, String>>; SPECS.len()] =
            [const { OnceLock::new() }; SPECS.len()];
        // a budget's phrasing has not changed between years: the one budget spec serves all
        let i = SPECS
            .iter()
            .position(|(y, k, _)| *y == year && *k == kind)
            .or_else(|| {
                (kind == DocKind::Budget)
                    .then(|| SPECS.iter().position(|(_, k, _)| *k == kind))
                    .flatten()
            });
        let Some(i) = i else {
            let file = match kind {
                DocKind::Final => format!("{year}.toml"),
                DocKind::Budget => format!("{year}-yusuan.toml"),
            };
            return Err(format!(
                "没有 {year} 年度{}的审核规格（data/audit/{file}）",
                kind.chinese()
            ));
        };
        PARSED[i]
            .get_or_init(|| Spec::parse(SPECS[i].2, year))
            .as_ref()
            .map_err(Clone::clone)
    }

    fn parse(text: &str, year: i32) -> Result<Spec, String> {
        let file: File = toml::from_str(text).map_err(|e| format!("审核规格有误：{e}"))?;
        let mut quantities = Vec::new();
        for q in file.quantity {
            quantities.push(Quantity {
                labels: compile(&q.labels)?,
                name: q.name,
                sections: q.sections,
            });
        }
        let mut columns = Vec::new();
        for (name, patterns) in file.columns {
            columns.push((name, compile(&patterns)?));
        }
        Ok(Spec {
            quantities,
            columns,
            identities: file.identity,
            tables: file.table,
            year,
        })
    }

    /// The quantity a label names in a section, if any.
    pub fn quantity(&self, label: &str, section: &str) -> Option<&Quantity> {
        self.quantities.iter().find(|q| {
            (q.sections.is_empty() || q.sections.iter().any(|s| section.contains(s.as_str())))
                && q.labels.iter().any(|r| r.is_match(label))
        })
    }

    /// The printed table a title line names, if any.
    pub fn table(&self, title: &str) -> Option<&TableSpec> {
        self.tables.iter().find(|t| title == t.title)
    }

    /// The column a label's words name ("全年预算" → 预算), if any.
    pub fn column(&self, label: &str) -> Option<&str> {
        self.columns
            .iter()
            .find(|(_, rs)| rs.iter().any(|r| r.is_match(label)))
            .map(|(c, _)| c.as_str())
    }
}
