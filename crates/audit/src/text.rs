//! From lines to paragraphs a pattern can read: full-width digits and signs made ASCII, the
//! spaces that typesetting puts around numbers removed, and lines that a PDF wrapped inside a
//! sentence joined again. Every character keeps the line it came from, for locations.

use crate::read::{Source, SourceLine};

/// A paragraph of normalized text and, for each byte, where it came from.
#[derive(Clone, Debug)]
pub struct Paragraph {
    pub text: String,
    /// (byte offset in `text`, index into the source lines) at each line start.
    starts: Vec<(usize, usize)>,
    /// The printed table (index into `Source::tables`) this line belongs to: one line of a
    /// table is one paragraph, never a heading or a sentence of the narrative.
    pub table: Option<usize>,
}

impl Paragraph {
    /// Index of the source line holding byte `offset`.
    pub fn line_at(&self, offset: usize) -> usize {
        let i = self.starts.partition_point(|&(o, _)| o <= offset);
        self.starts[i.saturating_sub(1)].1
    }

    /// Byte offset where source line `line` starts in this paragraph, if it is part of it.
    pub fn line_offset(&self, line: usize) -> Option<usize> {
        self.starts
            .iter()
            .find(|&&(_, l)| l == line)
            .map(|&(o, _)| o)
    }

    pub fn first_line(&self) -> usize {
        self.starts[0].1
    }
}

/// Full-width ASCII variants to ASCII; ideographic space to space. Chinese punctuation that
/// carries meaning in the patterns (，。；：、（）“”) is kept.
pub fn normalize_char(c: char) -> char {
    match c {
        '\u{ff10}'..='\u{ff19}' | '\u{ff21}'..='\u{ff3a}' | '\u{ff41}'..='\u{ff5a}' => {
            char::from_u32(c as u32 - 0xfee0).unwrap_or(c)
        }
        '％' => '%',
        '．' => '.',
        '－' | '—' | '–' => '-',
        '\u{3000}' | '\u{a0}' => ' ',
        _ => c,
    }
}

/// Drops whitespace next to non-ASCII text (typesetting spaces: "增加 222.87万元",
/// "2024 年度", "8.98 %") but keeps it between ASCII tokens ("0.8724 0 0.1276").
pub fn normalize_line(s: &str) -> String {
    // word-processor debris in exported text: "[bookmark: _GoBack]"
    let s = strip_bookmarks(s);
    let chars: Vec<char> = s.chars().map(normalize_char).collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let prev = chars[..i].iter().rev().find(|c| **c != ' ');
            let next = chars[i + 1..].iter().find(|c| **c != ' ');
            let ascii = |c: Option<&char>| c.is_some_and(|c| c.is_ascii());
            // "8.98 %" is one figure
            if !(ascii(prev) && ascii(next)) || out.ends_with(' ') || next == Some(&'%') {
                continue;
            }
        }
        out.push(c);
    }
    out.trim().to_string()
}

fn strip_bookmarks(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("[bookmark:") {
        out.push_str(&rest[..i]);
        match rest[i..].find(']') {
            Some(j) => rest = &rest[i + j + 1..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

const SENTENCE_END: [char; 6] = ['。', '；', '：', '！', '？', ';'];

/// Page furniture of a PDF: "8", "- 8 -", "— 8 —", "第8页".
fn is_page_number(t: &str) -> bool {
    let core = t
        .trim_matches(|c: char| c == '-' || c == '—' || c == ' ')
        .trim_start_matches('第')
        .trim_end_matches('页');
    !core.is_empty() && core.len() <= 4 && core.chars().all(|c| c.is_ascii_digit())
}

/// Whether a line starts a new paragraph: a heading or an enumerated item.
pub fn starts_block(t: &str) -> bool {
    let t = t.trim_start();
    let mut chars = t.chars();
    let Some(first) = chars.next() else {
        return true;
    };
    if t.starts_with('第') && t.contains("部分") {
        return true;
    }
    if first == '（' || first == '(' {
        // an enumerator "（一）", "（1）"; not a wrapped "（境）外…" or "（项）。…"
        let inner: String = chars.take_while(|c| *c != '）' && *c != ')').collect();
        return !inner.is_empty()
            && inner.chars().count() <= 3
            && inner
                .chars()
                .all(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c));
    }
    if "一二三四五六七八九十".contains(first) && t.chars().take(4).any(|c| c == '、') {
        return true;
    }
    if first.is_ascii_digit() {
        // "1." / "1、" enumerate; "6.37%" is a figure
        let rest: Vec<char> = t
            .chars()
            .skip_while(|c| c.is_ascii_digit())
            .take(2)
            .collect();
        return matches!(rest.first(), Some('.' | '、' | '．' | '，'))
            && !rest.get(1).is_some_and(|c| c.is_ascii_digit());
    }
    t.starts_with("图") || t.contains('\t')
}

/// A heading line: starts a block, short, and states no figure.
pub fn is_heading(t: &str) -> bool {
    starts_block(t)
        && !t.contains('，')
        && !t.contains('：')
        && !t.contains("万元")
        && !t.ends_with(['。', '；', ';'])
        && !ends_with_amount(t)
        && t.chars().count() <= 40
}

/// "3.公诉、审判…支出（项）1,895": an item whose amount wrapped before its 万元 (a page
/// number of a 目录 entry, "…说明3", is no amount).
fn ends_with_amount(t: &str) -> bool {
    let tail: String = t
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit() || matches!(c, ',' | '.'))
        .collect();
    tail.starts_with(|c: char| c.is_ascii_digit()) && tail.contains([',', '.'])
}

/// Paragraphs of a source. In a PDF's layout text a paragraph starts after a blank line, on an
/// indented line (first-line indent), or after a heading; other lines continue the paragraph
/// above (a line that wrapped inside a sentence, even right after "；" or before "6.37%").
/// In txt and DOCX every line is one paragraph.
pub fn paragraphs(src: &Source, join_wrapped: bool) -> Vec<Paragraph> {
    let mut out: Vec<Paragraph> = Vec::new();
    let mut open = false;
    for (i, SourceLine { text, table, .. }) in src.lines.iter().enumerate() {
        let t = normalize_line(text);
        if table.is_some() {
            if !t.is_empty() {
                out.push(Paragraph {
                    starts: vec![(0, i)],
                    text: t,
                    table: *table,
                });
            }
            open = false;
            continue;
        }
        if join_wrapped && is_page_number(&t) {
            continue;
        }
        if t.is_empty() {
            // a blank line (or a page break) ends a paragraph only after a full stop
            let last = out.last().map(|p| p.text.as_str()).unwrap_or("");
            open = open && !last.ends_with(SENTENCE_END);
            continue;
        }
        // A first-line indent starts a paragraph, unless the text above stopped mid-sentence:
        // pdftotext lays out fragments of a justified line with CJK quotes ("“基层") indented.
        let indented = text.starts_with([' ', '\u{3000}', '\t']);
        let mid_sentence = out
            .last()
            .is_some_and(|p| !p.text.ends_with(SENTENCE_END) && !is_heading(&p.text));
        // an enumerated line after a full stop starts a block even at the margin
        let after_stop = out.last().is_some_and(|p| p.text.ends_with('。'));
        let new_block = starts_block(&t) && (after_stop || is_heading(&t));
        let continues = join_wrapped
            && open
            && !new_block
            && (!indented || (mid_sentence && !starts_block(&t)));
        match out.last_mut() {
            Some(p) if continues => {
                p.starts.push((p.text.len(), i));
                p.text.push_str(&t);
            }
            _ => out.push(Paragraph {
                starts: vec![(0, i)],
                text: t.clone(),
                table: None,
            }),
        }
        let last = out.last().map(|p| p.text.as_str()).unwrap_or("");
        open = !t.contains('\t') && !is_heading(last);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_and_full_width() {
        assert_eq!(
            normalize_line("收、支总计各增加 222.87万元，增长 ５.４３％"),
            "收、支总计各增加222.87万元，增长5.43%"
        );
        assert_eq!(normalize_line("0.8724  0 0.1276"), "0.8724 0 0.1276");
        assert_eq!(
            normalize_line("赤峰市司法局 2024 年度"),
            "赤峰市司法局2024年度"
        );
    }

    #[test]
    fn wrapped_pdf_lines_join() {
        let src = Source {
            file: "x.pdf".into(),
            format: crate::read::Format::Pdf,
            tables: Vec::new(),
            lines: crate::read::text_lines(
                "一、收入支出决算总体情况说明\n  总计4328.25万元，与年初预算相比；\n6.37%增加222.87万元。\n  1. 本年收入4007.03万元。",
                Some(1),
            ),
        };
        let ps = paragraphs(&src, true);
        let texts: Vec<&str> = ps.iter().map(|p| p.text.as_str()).collect();
        assert!(!is_heading(
            "3.公诉、审判、侦查、执行等检察监督支出（项）1,895"
        ));
        assert!(is_heading("一、收入支出决算总体情况说明3"));
        assert_eq!(
            texts,
            [
                "一、收入支出决算总体情况说明",
                "总计4328.25万元，与年初预算相比；6.37%增加222.87万元。",
                "1.本年收入4007.03万元。"
            ]
        );
        let p = &ps[1];
        assert_eq!(p.line_at(p.text.find("增加").unwrap()), 2);
    }
}
