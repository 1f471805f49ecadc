//! The per-year template: which tables exist, their rows and columns, and the code books.
//! Read from `data/tables/<year>.toml` and `data/codes/<year>/`, embedded in the binary.

use crate::codes::{normalize_name, CodeBook};
use crate::disclosure::DocKind;
use serde::Deserialize;
use std::sync::OnceLock;

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// Rows are exactly the definition's rows.
    Fixed,
    /// 合计 plus 支出功能分类科目 codes.
    Functional,
    /// 部门支出经济分类科目 codes of the allowed classes, plus the definition's rows.
    Economic,
}

/// What a row's numbers count.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueKind {
    /// Money, stored in 分.
    #[default]
    Money,
    /// An exact integer count (vehicles, projects, 人次).
    Count,
    /// Points with two decimals, stored in hundredths.
    Score,
}

#[derive(Clone, Debug, Deserialize)]
pub struct RowDef {
    pub key: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub kind: ValueKind,
}

impl RowDef {
    /// The printed name: `name`, else the key.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.key)
    }

    /// Whether a label written in a file means this row.
    pub fn matches(&self, label: &str) -> bool {
        let l = normalize_name(label);
        l == normalize_name(&self.key)
            || self.name.as_deref().is_some_and(|n| normalize_name(n) == l)
            || self.aliases.iter().any(|a| normalize_name(a) == l)
    }
}

#[derive(Clone, Debug, Deserialize)]
pub struct TableDef {
    /// T1 … T9, or F for the facts.
    pub id: String,
    pub title: String,
    /// The CSV file name inside a unit directory.
    #[serde(default)]
    pub file: Option<String>,
    pub layout: Layout,
    pub columns: Vec<String>,
    #[serde(default)]
    pub optional_columns: Vec<String>,
    /// For the economic layout: the 类 codes allowed.
    #[serde(default)]
    pub classes: Vec<String>,
    #[serde(default)]
    pub rows: Vec<RowDef>,
    /// Rows that are sums of other rows, beyond the code hierarchy (which is implied).
    #[serde(default)]
    pub row_sums: Vec<SumDef>,
    /// Columns that are sums of other columns in every row.
    #[serde(default)]
    pub column_sums: Vec<SumDef>,
}

/// `total = Σ parts`. A part "@group" stands for every row of that group; a part "-x" is
/// subtracted (年末结转和结余 = 年初 + 收入 − 支出).
#[derive(Clone, Debug, Deserialize)]
pub struct SumDef {
    pub total: String,
    pub parts: Vec<String>,
}

impl TableDef {
    pub fn row_def(&self, key: &str) -> Option<&RowDef> {
        self.rows.iter().find(|r| r.key == key)
    }

    /// The table number as users say it: 表1 … 表9 (决算 T1…, 预算 Y1…), or 补充信息.
    pub fn label(&self) -> String {
        match self.number() {
            Some(n) => format!("表{n}"),
            None => self.title.clone(),
        }
    }

    /// The table's number in its document: T5 and Y5 are both 5; F has none.
    pub fn number(&self) -> Option<u32> {
        self.id
            .strip_prefix(['T', 'Y'])
            .and_then(|n| n.parse().ok())
    }

    /// Whether a column name belongs to this table (required or optional).
    pub fn has_column(&self, name: &str) -> bool {
        self.columns
            .iter()
            .chain(&self.optional_columns)
            .any(|c| c == name)
    }
}

#[derive(Deserialize)]
struct TemplateFile {
    year: i32,
    /// "预算" for a budget template; absent for the 决算.
    #[serde(default)]
    document: Option<String>,
    #[serde(rename = "table")]
    tables: Vec<TableDef>,
}

/// Everything that depends on the year of 口径.
#[derive(Debug)]
pub struct Template {
    pub year: i32,
    pub kind: DocKind,
    pub tables: Vec<TableDef>,
    /// 支出功能分类科目
    pub functional: CodeBook,
    /// 部门支出经济分类科目
    pub economic: CodeBook,
}

/// The years of 口径: tables, 支出功能分类, 部门支出经济分类.
const YEARS: &[(i32, [&str; 3])] = &[
    (
        2024,
        [
            include_str!("../../../data/tables/2024.toml"),
            include_str!("../../../data/codes/2024/functional.csv"),
            include_str!("../../../data/codes/2024/economic.csv"),
        ],
    ),
    (
        2025,
        [
            include_str!("../../../data/tables/2025.toml"),
            include_str!("../../../data/codes/2025/functional.csv"),
            include_str!("../../../data/codes/2025/economic.csv"),
        ],
    ),
];
const BUDGET_2024: &str = include_str!("../../../data/tables/2024-yusuan.toml");

impl Template {
    /// The template of a year, or the list of years that exist.
    pub fn for_year(year: i32) -> Result<&'static Template, String> {
        static PARSED: [OnceLock<Result<Template, String>>; YEARS.len()] =
            [const { OnceLock::new() }; YEARS.len()];
        let Some(i) = YEARS.iter().position(|(y, _)| *y == year) else {
            return Err(format!(
                "不支持 {year} 年度的口径（已有：{}）",
                years_list()
            ));
        };
        let [tables, functional, economic] = YEARS[i].1;
        PARSED[i]
            .get_or_init(|| Template::parse(tables, functional, economic))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The years that have a template, oldest first.
    pub fn years() -> impl Iterator<Item = i32> {
        YEARS.iter().map(|(y, _)| *y)
    }

    /// The template of a document kind and year: [`Template::for_year`] for the 决算, the
    /// 预算 tables (data/tables/<year>-yusuan.toml) with the same year's code books.
    pub fn for_kind(kind: DocKind, year: i32) -> Result<&'static Template, String> {
        static B2024: OnceLock<Result<Template, String>> = OnceLock::new();
        match (kind, year) {
            (DocKind::Final, _) => Template::for_year(year),
            (DocKind::Budget, 2024) => B2024
                .get_or_init(|| {
                    let [_, functional, economic] = YEARS[0].1;
                    Template::parse(BUDGET_2024, functional, economic)
                })
                .as_ref()
                .map_err(Clone::clone),
            (DocKind::Budget, _) => Err(format!("不支持 {year} 年度的部门预算口径（已有：2024）")),
        }
    }

    pub fn parse(tables: &str, functional: &str, economic: &str) -> Result<Template, String> {
        let file: TemplateFile =
            toml::from_str(tables).map_err(|e| format!("表样定义有误：{e}"))?;
        let kind = match file.document.as_deref() {
            None => DocKind::Final,
            Some(k) => DocKind::parse(k)
                .ok_or_else(|| format!("表样定义有误：document 应为“决算”或“预算”，为“{k}”"))?,
        };
        Ok(Template {
            year: file.year,
            kind,
            tables: file.tables,
            functional: CodeBook::parse_csv("支出功能分类科目", functional)?,
            economic: CodeBook::parse_csv("部门支出经济分类科目", economic)?,
        })
    }

    pub fn table(&self, id: &str) -> Option<&TableDef> {
        self.tables.iter().find(|t| t.id == id)
    }

    /// The nine standard tables, in order (everything with a CSV file).
    pub fn standard_tables(&self) -> impl Iterator<Item = &TableDef> {
        self.tables.iter().filter(|t| t.file.is_some())
    }

    /// The code book that keys a table's classified rows.
    pub fn codebook(&self, layout: Layout) -> Option<&CodeBook> {
        match layout {
            Layout::Functional => Some(&self.functional),
            Layout::Economic => Some(&self.economic),
            Layout::Fixed => None,
        }
    }

    /// Display name of a row of a table: the code book name for codes, else the row def's.
    pub fn row_name(&self, table: &TableDef, key: &str) -> String {
        if let Some(def) = table.row_def(key) {
            return def.display_name().to_string();
        }
        self.codebook(table.layout)
            .and_then(|b| b.get(key))
            .map(|e| e.name.clone())
            .unwrap_or_else(|| key.to_string())
    }

    /// The kind of value a row holds.
    pub fn row_kind(&self, table: &TableDef, key: &str) -> ValueKind {
        table.row_def(key).map(|r| r.kind).unwrap_or_default()
    }
}

fn years_list() -> String {
    Template::years()
        .map(|y| y.to_string())
        .collect::<Vec<_>>()
        .join("、")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_2024_template_has_nine_tables_and_both_code_books() {
        let t = Template::for_year(2024).unwrap();
        assert_eq!(t.standard_tables().count(), 9);
        assert!(t.table("F").is_some(), "the loader relies on table F");
        assert!(t.functional.get("2040601").is_some());
        assert_eq!(t.economic.get("30231").unwrap().name, "公务用车运行维护费");
        assert!(Template::for_year(2019).is_err());
    }

    #[test]
    fn the_2025_template_has_the_codes_added_for_2025() {
        let (old, new) = (
            Template::for_year(2024).unwrap(),
            Template::for_year(2025).unwrap(),
        );
        assert_eq!(new.year, 2025);
        assert_eq!(new.standard_tables().count(), 9);
        let added = new.functional.get("2170404").unwrap();
        assert_eq!(added.name, "中央金融机构注资特别国债支出");
        assert!(old.functional.get("2170404").is_none());
        let e = Template::for_year(2019).unwrap_err();
        assert!(e.contains("2024、2025"), "{e}");
    }

    #[test]
    fn the_2024_budget_template_has_the_143_tables_and_the_same_code_books() {
        let t = Template::for_kind(DocKind::Budget, 2024).unwrap();
        assert_eq!(t.kind, DocKind::Budget);
        assert_eq!(Template::for_year(2024).unwrap().kind, DocKind::Final);
        let ids: Vec<&str> = t.standard_tables().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7", "Y8", "Y9"]);
        assert_eq!(t.table("Y5").unwrap().label(), "表5");
        assert_eq!(t.table("Y1").unwrap().title, "部门收支总体情况表");
        assert!(t.table("F").is_some(), "the loader relies on table F");
        assert!(t.functional.get("2040601").is_some());
        assert!(Template::for_kind(DocKind::Budget, 2019).is_err());
    }

    #[test]
    fn every_fixed_class_row_agrees_with_the_code_book() {
        let budget = Template::for_kind(DocKind::Budget, 2024).unwrap();
        let years = Template::years().map(|y| Template::for_year(y).unwrap());
        for t in years.chain(std::iter::once(budget)) {
            for table in &t.tables {
                for row in table
                    .rows
                    .iter()
                    .filter(|r| r.group.as_deref() == Some("支出功能分类"))
                {
                    let entry = t
                        .functional
                        .get(&row.key)
                        .unwrap_or_else(|| panic!("{}", row.key));
                    assert!(
                        CodeBook::name_matches(entry, row.display_name()),
                        "{}",
                        row.key
                    );
                }
            }
        }
    }
}
