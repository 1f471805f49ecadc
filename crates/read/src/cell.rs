//! What the text of a table cell is, as printed: an amount, a dash (printed for zero), a
//! percentage, a classification code, an enumerated name, or other text. No arithmetic: the
//! auditor turns amounts into intervals.

/// The kind of a cell's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Nothing printed.
    Blank,
    /// "-", "－", "—", "--": zero, as many templates print it.
    Dash,
    /// "1,234.56", "0.00", "-3.50", "80": a number.
    Number,
    /// "98.09%".
    Percent,
    /// "2010101", "201", "30101": a classification code.
    Code,
    Text,
}

fn normalize(t: &str) -> String {
    t.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '，' => ',',
            '．' => '.',
            '％' => '%',
            '－' | '−' => '-',
            c => c,
        })
        .collect()
}

/// A number as printed in a table: digits with optional thousands separators (in threes) and
/// decimals, an optional minus sign. Returns the normalized text ("1,234.50" → "1234.50").
pub fn number(t: &str) -> Option<String> {
    let t = normalize(t);
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t.as_str()),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if int.is_empty()
        || frac.is_some_and(|f| f.is_empty() || !f.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    if int.contains(',') {
        let groups: Vec<&str> = int.split(',').collect();
        let ok = !groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3)
            && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()));
        if !ok {
            return None;
        }
    } else if !int.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    out.push_str(&int.replace(',', ""));
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    Some(out)
}

pub fn is_dash(t: &str) -> bool {
    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    !t.is_empty()
        && t.chars().count() <= 3
        && t.chars()
            .all(|c| matches!(c, '-' | '－' | '—' | '–' | '―' | '─'))
}

/// "98.09%" → "98.09".
pub fn percent(t: &str) -> Option<String> {
    let t = normalize(t);
    let body = t.strip_suffix('%')?;
    let n = number(body)?;
    (!n.contains(',')).then_some(n)
}

/// A 功能分类 (3/5/7 digits) or 经济分类 (3/5 digits) code.
pub fn is_code(t: &str) -> bool {
    let t = t.trim();
    matches!(t.len(), 3 | 5 | 7) && t.chars().all(|c| c.is_ascii_digit()) && !t.starts_with('0')
}

/// Whether a word is a value a table prints in its figure columns.
pub fn is_value(t: &str) -> bool {
    let t = t.trim();
    is_dash(t)
        || percent(t).is_some()
        || number(t).is_some_and(|n| n.contains('.') || t.contains(','))
}

pub fn kind(t: &str) -> Kind {
    let t = t.trim();
    if t.is_empty() {
        Kind::Blank
    } else if is_dash(t) {
        Kind::Dash
    } else if percent(t).is_some() {
        Kind::Percent
    } else if is_code(t) && !t.contains('.') {
        Kind::Code
    } else if number(t).is_some() {
        Kind::Number
    } else {
        Kind::Text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_printed() {
        assert_eq!(number("13,297.11").as_deref(), Some("13297.11"));
        assert_eq!(number("-3.50").as_deref(), Some("-3.50"));
        assert_eq!(number("80").as_deref(), Some("80"));
        assert_eq!(number("１２.５").as_deref(), Some("12.5"));
        // grouping only in threes
        assert_eq!(number("1,0,0"), None);
        assert_eq!(number("12,34.00"), None);
        assert_eq!(number("1."), None);
        assert_eq!(number("一、"), None);
    }

    #[test]
    fn kinds() {
        assert_eq!(kind(""), Kind::Blank);
        assert_eq!(kind("－"), Kind::Dash);
        assert_eq!(kind("98.09%"), Kind::Percent);
        assert_eq!(kind("2010101"), Kind::Code);
        assert_eq!(kind("1,234.00"), Kind::Number);
        assert_eq!(kind("合计"), Kind::Text);
        assert!(is_value("0.00") && is_value("-") && !is_value("201") && !is_value("2019"));
    }
}
