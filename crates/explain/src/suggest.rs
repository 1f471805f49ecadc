//! Writing drafts into `disclosure.toml` as `[suggestions."年初预算"]` /
//! `[suggestions."上年决算"]`, never into `[reasons]`.
//!
//! The file is edited as text so that the person's comments and layout stay as they are: any
//! `[suggestions…]` sections are removed (from their header to the next other header) and the
//! new ones appended at the end. The result is parsed before it replaces the file, and written
//! through a temporary file and a rename.

use crate::{Against, Explanation};
use std::path::Path;

fn is_header(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('[') && t.contains(']')
}

/// For a table header line, whether it opens a `suggestions` table; `None` for other lines.
fn header(line: &str) -> Option<bool> {
    if !is_header(line) {
        return None;
    }
    let inner = line.trim().trim_start_matches('[').trim_start();
    Some(
        inner
            .strip_prefix("suggestions")
            .is_some_and(|rest| rest.trim_start().starts_with(['.', ']'])),
    )
}

fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The text of `disclosure.toml` with its suggestions replaced by the drafts of `e`; returns
/// the text and the number of drafts written.
pub fn replace_suggestions(text: &str, e: &Explanation) -> (String, usize) {
    let mut kept = String::with_capacity(text.len());
    let mut skipping = false;
    for line in text.split_inclusive('\n') {
        if is_header(line) {
            skipping = header(line).unwrap_or(false);
        }
        if !skipping {
            kept.push_str(line);
        }
    }
    let mut out = kept.trim_end().to_string();
    out.push('\n');
    let mut written = 0;
    for against in [Against::Budget, Against::Prior] {
        let drafts: Vec<(&str, &str)> = e
            .comparisons
            .iter()
            .filter(|c| c.against == against)
            .filter_map(|c| {
                c.draft
                    .as_ref()
                    .map(|d| (c.key.as_str(), d.sentence.as_str()))
            })
            .collect();
        if drafts.is_empty() {
            continue;
        }
        out.push_str(&format!("\n[suggestions.\"{}\"]\n", against.chinese()));
        out.push_str(
            "# juesuan build --suggest-reasons 起草：哪些明细、变动多少（由表中数字计算）。\n\
             # 这不是变动原因：核对后把原因（为什么）补上，写入 [reasons] 才会发布。\n",
        );
        for (key, sentence) in drafts {
            out.push_str(&format!("{} = {}\n", quote(key), quote(sentence)));
            written += 1;
        }
    }
    (out, written)
}

/// Replaces the suggestions of the dataset in `dir` with the drafts of `e`; returns how many
/// were written. The dataset must load afterwards, else nothing is changed.
pub fn write_suggestions(dir: &Path, e: &Explanation) -> Result<usize, String> {
    let path = dir.join("disclosure.toml");
    let text = std::fs::read_to_string(&path)
        .map_err(|err| format!("无法读取 {}：{err}", path.display()))?;
    let (new_text, written) = replace_suggestions(&text, e);
    let tmp = dir.join(".disclosure.toml.juesuan-tmp");
    std::fs::write(&tmp, &new_text).map_err(|err| format!("无法写入 {}：{err}", tmp.display()))?;
    std::fs::rename(&tmp, &path).map_err(|err| {
        let _ = std::fs::remove_file(&tmp);
        format!("无法写入 {}：{err}", path.display())
    })?;
    if let Err(problems) = juesuan_load::load_dataset(dir) {
        // put the original back: a suggestion must never break a dataset
        let _ = std::fs::write(&path, &text);
        return Err(format!(
            "写入建议后数据集无法读取，已恢复原文件：{}",
            problems
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("；")
        ));
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_told_apart() {
        assert_eq!(header("[suggestions.\"年初预算\"]"), Some(true));
        assert_eq!(header("  [ suggestions ]"), Some(true));
        assert_eq!(header("[reasons.\"年初预算\"]"), Some(false));
        assert_eq!(header("[suggestionsx]"), Some(false));
        assert_eq!(header("\"T1/x\" = \"[suggestions]\""), None);
        assert!(!is_header("\"T1/x\" = \"a\""));
    }

    #[test]
    fn quoting_escapes_what_toml_needs() {
        assert_eq!(quote("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
    }

    #[test]
    fn old_suggestions_are_replaced_and_the_rest_kept() {
        let text = "# 注释\n[entity]\nname = \"x\"\n\n[suggestions.\"年初预算\"]\n\"T5/1\" = \"旧\"\n\n[reasons.\"上年决算\"]\n\"T1/a\" = \"b\"\n[suggestions.\"上年决算\"]\n\"T1/c\" = \"旧\"\n";
        let e = Explanation {
            entity: "x".into(),
            year: 2024,
            document: juesuan_model::DocKind::Final,
            comparisons: Vec::new(),
        };
        let (out, n) = replace_suggestions(text, &e);
        assert_eq!(n, 0);
        assert_eq!(
            out,
            "# 注释\n[entity]\nname = \"x\"\n\n[reasons.\"上年决算\"]\n\"T1/a\" = \"b\"\n"
        );
    }
}
