//! 名词解释, read from `data/text/<year>/glossary.toml`.

use juesuan_model::DocKind;
use serde::Deserialize;

/// The years with a glossary.
const YEARS: &[(i32, &str)] = &[
    (2024, include_str!("../../../data/text/2024/glossary.toml")),
    (2025, include_str!("../../../data/text/2025/glossary.toml")),
];
const BUDGET_GLOSSARY_2024: &str = include_str!("../../../data/text/2024/glossary-yusuan.toml");

#[derive(Deserialize)]
struct File {
    term: Vec<Term>,
}

#[derive(Deserialize)]
struct Term {
    term: String,
    text: String,
}

pub fn terms(year: i32) -> Result<Vec<(String, String)>, String> {
    terms_for(DocKind::Final, year)
}

/// The 名词解释 of a document kind: data/text/<year>/glossary.toml for the 决算,
/// glossary-yusuan.toml for the 预算.
pub fn terms_for(kind: DocKind, year: i32) -> Result<Vec<(String, String)>, String> {
    let text = match kind {
        DocKind::Budget if year == 2024 => BUDGET_GLOSSARY_2024,
        DocKind::Budget => {
            return Err(format!(
                "没有 {year} 年度的部门预算名词解释（data/text/{year}/glossary-yusuan.toml）"
            ))
        }
        DocKind::Final => match YEARS.iter().find(|(y, _)| *y == year) {
            Some((_, text)) => text,
            None => {
                return Err(format!(
                    "没有 {year} 年度的名词解释（data/text/{year}/glossary.toml）"
                ))
            }
        },
    };
    let file: File = toml::from_str(text).map_err(|e| format!("名词解释文件有误：{e}"))?;
    Ok(file.term.into_iter().map(|t| (t.term, t.text)).collect())
}
