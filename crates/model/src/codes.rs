//! Classification code books (支出功能分类科目, 部门支出经济分类科目), shipped as data.

use std::collections::BTreeMap;

/// 类 / 款 / 项.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CodeLevel {
    /// 类 (3 digits)
    Class,
    /// 款 (5 digits)
    Section,
    /// 项 (7 digits)
    Item,
}

impl CodeLevel {
    pub fn of(code: &str) -> Option<CodeLevel> {
        if !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        match code.len() {
            3 => Some(CodeLevel::Class),
            5 => Some(CodeLevel::Section),
            7 => Some(CodeLevel::Item),
            _ => None,
        }
    }

    pub fn chinese(self) -> &'static str {
        match self {
            CodeLevel::Class => "类",
            CodeLevel::Section => "款",
            CodeLevel::Item => "项",
        }
    }

    pub fn from_chinese(s: &str) -> Option<CodeLevel> {
        match s {
            "类" => Some(CodeLevel::Class),
            "款" => Some(CodeLevel::Section),
            "项" => Some(CodeLevel::Item),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeEntry {
    pub code: String,
    pub name: String,
    pub level: CodeLevel,
}

/// One year's list of codes of one classification.
#[derive(Clone, Debug)]
pub struct CodeBook {
    /// e.g. 支出功能分类科目
    pub title: String,
    entries: BTreeMap<String, CodeEntry>,
}

impl CodeBook {
    /// Parses `code,name` lines (with a header). Errors name the line.
    pub fn parse_csv(title: &str, text: &str) -> Result<CodeBook, String> {
        let mut entries = BTreeMap::new();
        for (i, line) in text.lines().enumerate().skip(1) {
            let line = line.trim_start_matches('\u{feff}').trim();
            if line.is_empty() {
                continue;
            }
            let (code, name) = line
                .split_once(',')
                .ok_or_else(|| format!("{title} 第{}行：缺少逗号", i + 1))?;
            let code = code.trim().to_string();
            let level = CodeLevel::of(&code)
                .ok_or_else(|| format!("{title} 第{}行：编码“{code}”不是3、5或7位数字", i + 1))?;
            let entry = CodeEntry {
                name: name.trim().to_string(),
                code: code.clone(),
                level,
            };
            if entries.insert(code.clone(), entry).is_some() {
                return Err(format!("{title} 第{}行：编码“{code}”重复", i + 1));
            }
        }
        Ok(CodeBook {
            title: title.to_string(),
            entries,
        })
    }

    pub fn get(&self, code: &str) -> Option<&CodeEntry> {
        self.entries.get(code)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &CodeEntry> {
        self.entries.values()
    }

    /// The code one level up: 2040601 → 20406 → 204.
    pub fn parent_code(code: &str) -> Option<&str> {
        match CodeLevel::of(code)? {
            CodeLevel::Class => None,
            CodeLevel::Section => Some(&code[..3]),
            CodeLevel::Item => Some(&code[..5]),
        }
    }

    /// Whether a name written in a file means this code's name: spaces and the difference
    /// between full-width and half-width brackets are ignored.
    pub fn name_matches(entry: &CodeEntry, written: &str) -> bool {
        normalize_name(&entry.name) == normalize_name(written)
    }
}

/// Canonical form of a classification name for comparison.
pub fn normalize_name(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            c => c,
        })
        .collect()
}
