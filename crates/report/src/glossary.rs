//! 名词解释, read from `data/text/<year>/glossary.toml`.

use serde::Deserialize;

/// The years with a glossary.
const YEARS: &[(i32, &str)] = &[
    (2024, include_str!("../../../data/text/2024/glossary.toml")),
    (2025, include_str!("../../../data/text/2025/glossary.toml")),
];

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
    let Some((_, text)) = YEARS.iter().find(|(y, _)| *y == year) else {
        return Err(format!(
            "没有 {year} 年度的名词解释（data/text/{year}/glossary.toml）"
        ));
    };
    let file: File = toml::from_str(text).map_err(|e| format!("名词解释文件有误：{e}"))?;
    Ok(file.term.into_iter().map(|t| (t.term, t.text)).collect())
}
