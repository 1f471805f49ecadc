//! What changed in the code lists from one year to the next (`data/codes/<year>/CHANGES.csv`),
//! so that a code missing from the year it is checked against is explained (when it was added
//! or removed, what it became, and the 文号 that did it) rather than reported as unknown.

use crate::codes::{normalize_name, CodeBook};
use std::sync::OnceLock;

/// The years with a change list; each lists the changes from the year before.
const CHANGE_FILES: &[(i32, &str)] =
    &[(2025, include_str!("../../../data/codes/2025/CHANGES.csv"))];

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Removed,
    /// Same code, new name.
    Renamed,
    /// The code is gone; what it covered is now under `new_code`.
    Moved,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeChange {
    /// The first year of the new 口径.
    pub year: i32,
    /// The code list's title, as `CodeBook::title` (支出功能分类科目 …).
    pub classification: String,
    pub code: String,
    pub kind: ChangeKind,
    pub old_name: String,
    pub new_name: String,
    pub new_code: String,
    /// The 文号 of the notice.
    pub source: String,
}

/// Parses one year's CHANGES.csv (header, then
/// `classification,code,change,old_name,new_name,new_code,source`). Errors name the line.
pub fn parse_changes(year: i32, text: &str) -> Result<Vec<CodeChange>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        let line = line.trim_start_matches('\u{feff}').trim();
        if line.is_empty() {
            continue;
        }
        let at = |m: &str| format!("{year} 年科目变动表第{}行：{m}", i + 1);
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        let [classification, code, change, old_name, new_name, new_code, source] = f[..] else {
            return Err(at(
                "应有7列（classification,code,change,old_name,new_name,new_code,source）",
            ));
        };
        let kind = match change {
            "added" => ChangeKind::Added,
            "removed" => ChangeKind::Removed,
            "renamed" => ChangeKind::Renamed,
            "moved" => ChangeKind::Moved,
            _ => {
                return Err(at(&format!(
                    "变动“{change}”应为 added/removed/renamed/moved"
                )))
            }
        };
        let missing = match kind {
            ChangeKind::Added => new_name.is_empty().then_some("new_name"),
            ChangeKind::Removed => old_name.is_empty().then_some("old_name"),
            ChangeKind::Renamed => {
                (old_name.is_empty() || new_name.is_empty()).then_some("old_name 和 new_name")
            }
            ChangeKind::Moved => {
                (old_name.is_empty() || new_code.is_empty()).then_some("old_name 和 new_code")
            }
        };
        if let Some(m) = missing {
            return Err(at(&format!("“{change}”需要 {m}")));
        }
        if code.is_empty() || source.is_empty() {
            return Err(at("缺少编码或来源"));
        }
        out.push(CodeChange {
            year,
            classification: classification.to_string(),
            code: code.to_string(),
            kind,
            old_name: old_name.to_string(),
            new_name: new_name.to_string(),
            new_code: new_code.to_string(),
            source: source.to_string(),
        });
    }
    Ok(out)
}

/// Every shipped change, all years, oldest first.
pub fn all_changes() -> Result<&'static [CodeChange], String> {
    static ALL: OnceLock<Result<Vec<CodeChange>, String>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut all = Vec::new();
        for (year, text) in CHANGE_FILES {
            all.extend(parse_changes(*year, text)?);
        }
        Ok(all)
    })
    .as_ref()
    .map(Vec::as_slice)
    .map_err(Clone::clone)
}

/// Why `code` is not in `book` (the list of `year`), when a change says so: removed or moved
/// in `year` or before, or added after it.
pub fn explain_missing(
    changes: &[CodeChange],
    book: &CodeBook,
    year: i32,
    code: &str,
) -> Option<String> {
    let mine = changes
        .iter()
        .filter(|c| c.classification == book.title && c.code == code);
    // The latest change that explains the code's absence decides.
    let why = mine
        .filter(|c| match c.kind {
            ChangeKind::Removed | ChangeKind::Moved => c.year <= year,
            ChangeKind::Added => c.year > year,
            ChangeKind::Renamed => false,
        })
        .max_by_key(|c| (c.year <= year, c.year))?;
    let title = &book.title;
    Some(match why.kind {
        ChangeKind::Added => format!(
            "{title}“{code} {}”是 {} 年新增的科目（{}），{year} 年口径没有这一编码",
            why.new_name, why.year, why.source
        ),
        ChangeKind::Removed => format!(
            "{title}“{code} {}”自 {} 年起取消（{}），{year} 年口径没有这一编码",
            why.old_name, why.year, why.source
        ),
        _ => {
            let new = book
                .get(&why.new_code)
                .map(|e| format!("“{} {}”", e.code, e.name))
                .unwrap_or_else(|| format!("“{}”", why.new_code));
            format!(
                "{title}“{code} {}”自 {} 年起调整为{new}（{}），请改用新编码",
                why.old_name, why.year, why.source
            )
        }
    })
}

/// Why a code's written name is not its name in the list of `year`, when a rename says so.
pub fn explain_name(
    changes: &[CodeChange],
    book: &CodeBook,
    year: i32,
    code: &str,
    written: &str,
) -> Option<String> {
    let w = normalize_name(written);
    let title = &book.title;
    changes
        .iter()
        .filter(|c| {
            c.kind == ChangeKind::Renamed && c.classification == book.title && c.code == code
        })
        .find_map(|c| {
            if c.year <= year && normalize_name(&c.old_name) == w {
                Some(format!(
                    "{title} {code} 自 {} 年起由“{}”更名为“{}”（{}），{year} 年应写新名称",
                    c.year, c.old_name, c.new_name, c.source
                ))
            } else if c.year > year && normalize_name(&c.new_name) == w {
                Some(format!(
                    "{title} {code} 的名称“{}”自 {} 年起使用（{}），{year} 年为“{}”",
                    c.new_name, c.year, c.source, c.old_name
                ))
            } else {
                None
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Template;
    use std::collections::BTreeMap;

    fn book(title: &str, rows: &str) -> CodeBook {
        CodeBook::parse_csv(title, &format!("code,name\n{rows}")).unwrap()
    }

    const FIXTURE: &str = "classification,code,change,old_name,new_name,new_code,source\n\
        支出功能分类科目,2040699,removed,其他司法支出,,,财预〔2099〕1号\n\
        支出功能分类科目,2040613,renamed,信息化建设,司法信息化建设,,财预〔2099〕2号\n\
        支出功能分类科目,2040612,moved,法治建设,,2040620,财预〔2099〕3号\n\
        支出功能分类科目,2040620,added,,法治建设与督察,,财预〔2099〕3号\n";

    #[test]
    fn each_kind_of_change_is_explained_in_both_directions() {
        let changes = parse_changes(2026, FIXTURE).unwrap();
        let new = book(
            "支出功能分类科目",
            "2040613,司法信息化建设\n2040620,法治建设与督察",
        );
        let old = book("支出功能分类科目", "2040613,信息化建设\n2040612,法治建设");
        let removed = explain_missing(&changes, &new, 2026, "2040699").unwrap();
        assert!(removed.contains("2040699 其他司法支出") && removed.contains("2026 年起取消"));
        assert!(removed.contains("财预〔2099〕1号"), "{removed}");
        let moved = explain_missing(&changes, &new, 2026, "2040612").unwrap();
        assert!(moved.contains("调整为“2040620 法治建设与督察”"), "{moved}");
        let added = explain_missing(&changes, &old, 2025, "2040620").unwrap();
        assert!(
            added.contains("2026 年新增") && added.contains("2025 年口径没有"),
            "{added}"
        );
        // Before the removal the code is simply unknown, not explained.
        assert_eq!(explain_missing(&changes, &old, 2025, "2040699"), None);
        assert_eq!(explain_missing(&changes, &new, 2026, "2040601"), None);
        let renamed = explain_name(&changes, &new, 2026, "2040613", "信息化建设").unwrap();
        assert!(
            renamed.contains("由“信息化建设”更名为“司法信息化建设”"),
            "{renamed}"
        );
        let early = explain_name(&changes, &old, 2025, "2040613", "司法信息化建设").unwrap();
        assert!(early.contains("2025 年为“信息化建设”"), "{early}");
        assert_eq!(
            explain_name(&changes, &new, 2026, "2040613", "别的名称"),
            None
        );
        // Another classification's change does not apply.
        let econ = book("部门支出经济分类科目", "30101,基本工资");
        assert_eq!(explain_missing(&changes, &econ, 2026, "2040699"), None);
    }

    #[test]
    fn bad_change_lines_are_rejected_with_their_line() {
        let head = "classification,code,change,old_name,new_name,new_code,source\n";
        let e = parse_changes(
            2025,
            &format!("{head}支出功能分类科目,2040601,dropped,a,,,x\n"),
        )
        .unwrap_err();
        assert!(e.contains("第2行") && e.contains("dropped"), "{e}");
        let e = parse_changes(
            2025,
            &format!("{head}支出功能分类科目,2040601,moved,a,,,x\n"),
        )
        .unwrap_err();
        assert!(e.contains("new_code"), "{e}");
        assert!(parse_changes(2025, &format!("{head}a,b\n")).is_err());
    }

    /// Each year's lists are the year before's with that year's changes applied, so the
    /// change file cannot drift from the lists it describes.
    #[test]
    fn each_year_is_the_year_before_with_its_changes() {
        let changes = all_changes().unwrap();
        for (year, _) in CHANGE_FILES {
            let (old, new) = (
                Template::for_year(year - 1).unwrap(),
                Template::for_year(*year).unwrap(),
            );
            for (a, b) in [
                (&old.functional, &new.functional),
                (&old.economic, &new.economic),
            ] {
                let mut expect: BTreeMap<String, String> =
                    a.iter().map(|e| (e.code.clone(), e.name.clone())).collect();
                for c in changes
                    .iter()
                    .filter(|c| c.year == *year && c.classification == a.title)
                {
                    match c.kind {
                        ChangeKind::Added => {
                            assert_eq!(expect.insert(c.code.clone(), c.new_name.clone()), None);
                        }
                        ChangeKind::Renamed => {
                            let was = expect.insert(c.code.clone(), c.new_name.clone());
                            assert_eq!(was.as_ref(), Some(&c.old_name));
                        }
                        ChangeKind::Removed | ChangeKind::Moved => {
                            assert_eq!(expect.remove(&c.code).as_ref(), Some(&c.old_name));
                        }
                    }
                }
                let got: BTreeMap<String, String> =
                    b.iter().map(|e| (e.code.clone(), e.name.clone())).collect();
                assert_eq!(got, expect, "{year} {}", a.title);
            }
        }
    }
}
