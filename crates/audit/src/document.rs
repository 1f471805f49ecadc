//! Which document this is — a 部门决算 or a 部门预算, of which year — and on what evidence.
//!
//! A budget compares this year's budget with last year's, a final account its 决算 with the
//! 年初预算 and last year's 决算: the quantities, the tables and the words of a finding differ.
//! The kind is taken from the title (the first lines of the narrative), else from the tables'
//! titles, else from the file name; `juesuan audit --document` overrides it.

use juesuan_check::DocumentRead;
use juesuan_model::DocKind;
use juesuan_read::Source;
use regex::Regex;
use std::sync::OnceLock;

/// The kind and year a document was taken to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identified {
    pub kind: DocKind,
    pub year: Option<i32>,
    pub basis: String,
}

impl Identified {
    pub fn read(&self) -> DocumentRead {
        DocumentRead {
            kind: self.kind.chinese().to_string(),
            year: self.year,
            basis: self.basis.clone(),
        }
    }
}

fn title_re() -> &'static Regex {
    static T: OnceLock<Regex> = OnceLock::new();
    T.get_or_init(|| {
        Regex::new(r"(20\d{2})\s*年度?\s*(?:部门|单位)?\s*(?:综合)?\s*(决算|预算)")
            .expect("a valid built-in pattern")
    })
}

/// How many lines of the narrative the title may be in (covers, 目录 headers).
const TITLE_LINES: usize = 40;

/// Identifies the document; `forced` is `--document`.
pub fn identify(src: &Source, forced: Option<DocKind>) -> Identified {
    let lines: Vec<_> = src
        .lines
        .iter()
        .filter(|l| l.table.is_none())
        .take(TITLE_LINES)
        .collect();
    let squeeze = |t: &str| -> String { t.chars().filter(|c| !c.is_whitespace()).collect() };
    // a title on one line, else broken over two ("江苏省人民检察院2019年度" / "部门预算")
    let title = (0..lines.len())
        .flat_map(|i| [(i, 1), (i, 2)])
        .filter(|&(i, n)| i + n <= lines.len())
        .find_map(|(i, n)| {
            let l = lines[i];
            let first = squeeze(&l.text).len();
            let text: String = lines[i..i + n].iter().map(|l| squeeze(&l.text)).collect();
            let c = title_re().captures(&text)?;
            let m = c.get(0)?;
            // over two lines only when the phrase starts on the first and ends on the second
            if n == 2 && (m.start() >= first || m.end() <= first) {
                return None;
            }
            let quoted: String = lines[i..i + n].iter().map(|l| l.text.trim()).collect();
            let kind = if &c[2] == "决算" {
                DocKind::Final
            } else {
                DocKind::Budget
            };
            let place = match l.page {
                Some(p) => format!("第{p}页第{}行", l.line),
                None => format!("第{}行", l.line),
            };
            Some((kind, c[1].parse().ok(), format!("{place}“{quoted}”")))
        });
    let year = title.as_ref().and_then(|t| t.1);
    if let Some(kind) = forced {
        return Identified {
            kind,
            year,
            basis: "命令行 --document".to_string(),
        };
    }
    if let Some((kind, year, basis)) = title {
        return Identified { kind, year, basis };
    }
    // tables only: a 决算 table's title says 决算 (even "一般公共预算财政拨款支出决算表")
    let finals = src
        .tables
        .iter()
        .filter(|t| t.title.contains("决算"))
        .count();
    let budgets = src
        .tables
        .iter()
        .filter(|t| !t.title.contains("决算") && t.title.contains("预算"))
        .count();
    if finals != budgets {
        let kind = if finals > budgets {
            DocKind::Final
        } else {
            DocKind::Budget
        };
        return Identified {
            kind,
            year: None,
            basis: format!(
                "表格标题（{} 张表中 {} 张为{}表）",
                src.tables.len(),
                finals.max(budgets),
                kind.chinese()
            ),
        };
    }
    let name = std::path::Path::new(&src.file)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let by_name = match (name.contains("决算"), name.contains("预算")) {
        (true, false) => Some(DocKind::Final),
        (false, true) => Some(DocKind::Budget),
        _ => None,
    };
    let year = title_re().captures(&name).and_then(|c| c[1].parse().ok());
    match by_name {
        Some(kind) => Identified {
            kind,
            year,
            basis: format!("文件名“{name}”"),
        },
        None => Identified {
            kind: DocKind::Final,
            year,
            basis: "标题、表格和文件名都未说明，按决算审核（可用 --document 预算 指定）"
                .to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind_of(file: &str, text: &str) -> Identified {
        identify(&Source::from_text(file, text), None)
    }

    #[test]
    fn the_title_decides() {
        let d = kind_of("a.txt", "江苏省人民检察院\n2019 年度部门预算公开\n目录\n");
        assert_eq!((d.kind, d.year), (DocKind::Budget, Some(2019)));
        assert!(d.basis.contains("第2行"), "{}", d.basis);
        let d = kind_of("预算.txt", "赤峰市司法局2024年度部门决算\n");
        assert_eq!((d.kind, d.year), (DocKind::Final, Some(2024)));
        // spaced-out title letters
        let d = kind_of("a.txt", "2 0 2 5 年 度 部 门 预 算\n");
        assert_eq!(d.kind, DocKind::Budget);
    }

    #[test]
    fn without_a_title_the_file_name_then_the_default() {
        let d = kind_of("省政协2019年预算公开表.txt", "说明\n");
        assert_eq!((d.kind, d.year), (DocKind::Budget, Some(2019)));
        assert!(d.basis.starts_with("文件名"));
        let d = kind_of("x.txt", "说明\n");
        assert_eq!(d.kind, DocKind::Final);
        assert!(d.basis.contains("--document"));
    }

    #[test]
    fn forced_kind_wins_and_keeps_the_year() {
        let src = Source::from_text("a.txt", "2019年度部门决算\n");
        let d = identify(&src, Some(DocKind::Budget));
        assert_eq!((d.kind, d.year), (DocKind::Budget, Some(2019)));
        assert_eq!(DocKind::parse("预算"), Some(DocKind::Budget));
        assert_eq!(DocKind::parse("x"), None);
    }
}
