//! 名词解释, read from `data/text/<year>/glossary.toml`.

use serde::Deserialize;

const GLOSSARY_2024: &str = include_str!("../../../data/text/2024/glossary.toml");

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
    let text = match year {
        2024 => GLOSSARY_2024,
        _ => {
            return Err(format!(
                "没有 {year} 年度的名词解释（data/text/{year}/glossary.toml）"
            ))
        }
    };
    let file: File = toml::from_str(text).map_err(|e| format!("名词解释文件有误：{e}"))?;
    Ok(file.term.into_iter().map(|t| (t.term, t.text)).collect())
}
