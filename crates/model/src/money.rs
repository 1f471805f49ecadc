//! Exact money. Amounts are integer 分 (0.01 元); 万元 figures are derived by half-up rounding.

use std::fmt;

/// 分 in one 万元.
pub const FEN_PER_WAN: i64 = 1_000_000;
/// 分 in 0.01 万元, the precision of every published figure.
pub const FEN_PER_WAN_CENT: i64 = 10_000;

/// An exact amount of money in 分. Never a float.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i64);

/// Why a text is not an amount. Display is the Chinese message shown to users.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MoneyError {
    NotANumber(String),
    TooManyDecimals {
        text: String,
        max: u32,
    },
    /// A 万元 amount finer than the printed 0.01 万元 (a 万元 dataset is typed as published).
    FinerThanWanCent(String),
    TooLarge(String),
}

impl fmt::Display for MoneyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MoneyError::NotANumber(t) => write!(f, "“{t}”不是数字"),
            MoneyError::TooManyDecimals { text, max } => {
                write!(f, "“{text}”的小数位超过 {max} 位")
            }
            MoneyError::FinerThanWanCent(t) => write!(
                f,
                "“{t}”有两位以上小数：以万元填报的金额最多两位小数（精确到分的金额请把数据集的单位写成“元”）"
            ),
            MoneyError::TooLarge(t) => {
                write!(
                    f,
                    "“{t}”数值过大（一个单元格最多 100 万亿元，即 10000000000 万元）"
                )
            }
        }
    }
}

impl std::error::Error for MoneyError {}

/// Serialized as the exact 万元 decimal string ("4007.03", "0.000001"): JSON numbers are
/// floats to most readers.
impl serde::Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.format_wan_exact())
    }
}

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_fen(fen: i64) -> Money {
        Money(fen)
    }

    pub const fn fen(self) -> i64 {
        self.0
    }

    /// Whole 万元 plus hundredths, e.g. `Money::from_wan_cents(403_703)` is 4037.03 万元.
    pub fn from_wan_cents(hundredths: i64) -> Money {
        Money(hundredths * FEN_PER_WAN_CENT)
    }

    /// Parses an amount written in 元 (at most 2 decimals). The text is normalized first.
    pub fn parse_yuan(text: &str) -> Result<Money, MoneyError> {
        parse_scaled(text, 2).map(Money)
    }

    /// Parses an amount written in 万元 (at most 6 decimals, i.e. exact to the 分).
    pub fn parse_wan(text: &str) -> Result<Money, MoneyError> {
        parse_scaled(text, 6).map(Money)
    }

    /// The amount in hundredths of 万元, rounded half-up (half away from zero), as printed.
    pub fn wan_cents(self) -> i64 {
        round_div(self.0, FEN_PER_WAN_CENT)
    }

    /// Rounded to the printed 0.01 万元.
    pub fn round_to_wan_cent(self) -> Money {
        Money::from_wan_cents(self.wan_cents())
    }

    /// The printed 万元 figure: half-up to two decimals, e.g. "4007.03".
    pub fn format_wan(self) -> String {
        format_fixed(self.wan_cents() as i128, 2)
    }

    /// The exact 万元 value with as many decimals as needed (up to 6), e.g. "0.015".
    pub fn format_wan_exact(self) -> String {
        trim_decimals(format_fixed(self.0 as i128, 6), 2)
    }

    /// The exact 元 value, e.g. "40070300.00".
    pub fn format_yuan(self) -> String {
        format_fixed(self.0 as i128, 2)
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    pub fn abs(self) -> Money {
        Money(self.0.abs())
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, other: Money) -> Money {
        Money(self.0 + other.0)
    }
}

impl std::ops::Sub for Money {
    type Output = Money;
    fn sub(self, other: Money) -> Money {
        Money(self.0 - other.0)
    }
}

impl std::ops::Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

/// Normalizes a number as real files write it: full-width digits and punctuation
/// (`１，０３０．４１`), thousands separators, spaces; blank, `-`, `－`, `—` mean zero.
/// Returns plain ASCII such as `1030.41` or `-12`, or the input unchanged when it is not
/// number-like, so that the parser can quote it in its error.
pub fn normalize_number(raw: &str) -> String {
    if !thousands_in_threes(raw) {
        // "1,0,0" is no number written with separators: quoted as it is in the error
        return raw.trim().to_string();
    }
    let mut out = String::with_capacity(raw.len());
    for ch in raw.chars() {
        let ch = match ch {
            '０'..='９' => char::from(b'0' + (ch as u32 - '０' as u32) as u8),
            '．' | '。' => '.',
            '－' | '−' | '—' | '–' => '-',
            '＋' => '+',
            '，' | ',' | '\u{3000}' | ' ' | '\t' | '\u{a0}' | '\'' => continue,
            c => c,
        };
        out.push(ch);
    }
    match out.as_str() {
        "" | "-" | "--" | "+" => "0".to_string(),
        _ => out,
    }
}

/// Whether thousands separators, if any, stand between groups of three digits of the integer
/// part ("1,030.41", "１，０３０"), the first group one to three digits.
fn thousands_in_threes(raw: &str) -> bool {
    let t = raw.trim();
    if !t.contains([',', '，']) {
        return true;
    }
    let int = t
        .split(['.', '．'])
        .next()
        .unwrap_or("")
        .trim_start_matches(['-', '－', '−', '+', '＋']);
    let groups: Vec<&str> = int.split([',', '，']).collect();
    let digits = |g: &str| {
        g.chars()
            .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    };
    let len = |g: &str| g.chars().count();
    (1..=3).contains(&len(groups[0]))
        && groups[1..].iter().all(|g| len(g) == 3)
        && groups.iter().all(|g| digits(g))
}

/// Parses a normalized decimal into an integer scaled by 10^scale.
fn parse_scaled(raw: &str, scale: u32) -> Result<i64, MoneyError> {
    let text = normalize_number(raw);
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(&text)),
    };
    let (int_part, frac_part) = match body.split_once('.') {
        Some((i, f)) => (i, f),
        None => (body, ""),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int_part.is_empty() && frac_part.is_empty())
        || !all_digits(int_part)
        || !all_digits(frac_part)
    {
        return Err(MoneyError::NotANumber(raw.trim().to_string()));
    }
    let frac_trimmed = frac_part.trim_end_matches('0');
    if frac_trimmed.len() > scale as usize {
        return Err(MoneyError::TooManyDecimals {
            text: raw.trim().to_string(),
            max: scale,
        });
    }
    let too_large = || MoneyError::TooLarge(raw.trim().to_string());
    let mut value: i64 = 0;
    for b in int_part.bytes() {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add((b - b'0') as i64))
            .ok_or_else(too_large)?;
    }
    for i in 0..scale as usize {
        let digit = frac_trimmed
            .as_bytes()
            .get(i)
            .map_or(0, |b| (b - b'0') as i64);
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(digit))
            .ok_or_else(too_large)?;
    }
    // both scales count 分: 0.01 元 = 0.000001 万元
    if value > MAX_ABS_FEN {
        return Err(too_large());
    }
    Ok(if negative { -value } else { value })
}

/// The largest amount one cell may hold: 100 万亿元 (10^10 万元), above any national total, so
/// that sums of up to 900 such cells stay inside `i64` 分 instead of wrapping.
pub const MAX_ABS_FEN: i64 = 10_000_000_000 * 1_000_000;

/// Integer division rounding half away from zero (四舍五入).
pub(crate) fn round_div(value: i64, divisor: i64) -> i64 {
    let q = value / divisor;
    let r = value % divisor;
    if r.abs() * 2 >= divisor {
        q + value.signum()
    } else {
        q
    }
}

/// `value / 10^decimals` written with exactly `decimals` decimals.
pub(crate) fn format_fixed(value: i128, decimals: u32) -> String {
    let sign = if value < 0 { "-" } else { "" };
    let abs = value.unsigned_abs();
    if decimals == 0 {
        return format!("{sign}{abs}");
    }
    let p = 10u128.pow(decimals);
    format!(
        "{sign}{}.{:0width$}",
        abs / p,
        abs % p,
        width = decimals as usize
    )
}

/// Drops trailing zeros beyond `keep` decimals: "0.015000" → "0.015", "3.100000" → "3.10".
fn trim_decimals(mut s: String, keep: usize) -> String {
    if let Some(dot) = s.find('.') {
        while s.len() > dot + 1 + keep && s.ends_with('0') {
            s.pop();
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn an_amount_too_large_to_sum_safely_is_refused() {
        // ../shared/repro/overflow-dataset: 9000000000000.00 万元 twice wrapped to -446744073709.55
        assert!(matches!(
            Money::parse_wan("9000000000000.00"),
            Err(MoneyError::TooLarge(_))
        ));
        assert!(Money::parse_wan("10000000000").is_ok());
        assert!(Money::parse_wan("-10000000000.01").is_err());
        assert!(Money::parse_yuan("100000000000000.01").is_err());
        assert!(Money::parse_yuan("100000000000000").is_ok());
        let max = Money::from_fen(MAX_ABS_FEN);
        let sum = (0..900).try_fold(Money::ZERO, |a, _| a.checked_add(max));
        assert!(sum.is_some());
    }

    /// Separators only between groups of three: "1,0,0" is not 100 (issue 16, D5).
    #[test]
    fn thousands_separators_must_group_in_threes() {
        assert_eq!(
            Money::parse_wan("１，０３０．４１").unwrap(),
            Money::from_wan_cents(103041)
        );
        assert_eq!(
            Money::parse_wan("-1,234,567").unwrap(),
            Money::from_wan_cents(-123456700)
        );
        for bad in ["1,0,0", "10,00.00", ",100", "1000,000", "1,00"] {
            let e = Money::parse_wan(bad).unwrap_err();
            assert!(
                matches!(e, MoneyError::NotANumber(ref t) if t == bad),
                "{bad}: {e:?}"
            );
        }
    }

    #[test]
    fn parses_what_real_files_contain() {
        assert_eq!(
            Money::parse_wan("1,030.41").unwrap(),
            Money::from_wan_cents(103041)
        );
        assert_eq!(
            Money::parse_wan("１０３０．４１").unwrap(),
            Money::from_wan_cents(103041)
        );
        assert_eq!(
            Money::parse_wan(" 566 ").unwrap(),
            Money::from_wan_cents(56600)
        );
        assert_eq!(Money::parse_wan("－").unwrap(), Money::ZERO);
        assert_eq!(Money::parse_wan("").unwrap(), Money::ZERO);
        assert_eq!(
            Money::parse_wan("-12.5").unwrap(),
            Money::from_wan_cents(-1250)
        );
        assert_eq!(
            Money::parse_yuan("40,070,300.00").unwrap().format_wan(),
            "4007.03"
        );
        assert_eq!(Money::parse_wan("0.000001").unwrap(), Money::from_fen(1));
    }

    #[test]
    fn rejects_what_is_not_an_amount() {
        assert!(matches!(
            Money::parse_wan("abc"),
            Err(MoneyError::NotANumber(_))
        ));
        assert!(matches!(
            Money::parse_wan("1.2.3"),
            Err(MoneyError::NotANumber(_))
        ));
        assert!(matches!(
            Money::parse_yuan("1.234"),
            Err(MoneyError::TooManyDecimals { max: 2, .. })
        ));
        assert!(matches!(
            Money::parse_yuan("99999999999999999999"),
            Err(MoneyError::TooLarge(_))
        ));
        assert_eq!(
            Money::parse_wan("x1").unwrap_err().to_string(),
            "“x1”不是数字"
        );
    }

    #[test]
    fn rounds_half_up_to_the_printed_cent() {
        // 1234.565 万元 → 1234.57; -1234.565 → -1234.57 (half away from zero)
        assert_eq!(
            Money::parse_wan("1234.565").unwrap().format_wan(),
            "1234.57"
        );
        assert_eq!(
            Money::parse_wan("1234.564999").unwrap().format_wan(),
            "1234.56"
        );
        assert_eq!(
            Money::parse_wan("-1234.565").unwrap().format_wan(),
            "-1234.57"
        );
        assert_eq!(Money::parse_yuan("49.99").unwrap().format_wan(), "0.00");
        assert_eq!(Money::parse_yuan("50.00").unwrap().format_wan(), "0.01");
    }

    proptest! {
        #[test]
        fn yuan_text_round_trips(fen in -10_000_000_000_000i64..10_000_000_000_000) {
            let m = Money::from_fen(fen);
            prop_assert_eq!(Money::parse_yuan(&m.format_yuan()).unwrap(), m);
            prop_assert_eq!(Money::parse_wan(&m.format_wan_exact()).unwrap(), m);
        }

        #[test]
        fn rounding_is_within_half_a_cent(fen in -10_000_000_000_000i64..10_000_000_000_000) {
            let m = Money::from_fen(fen);
            let err = (m.round_to_wan_cent().fen() - fen).abs();
            prop_assert!(err * 2 <= FEN_PER_WAN_CENT);
            // exactly half a cent rounds away from zero
            if err * 2 == FEN_PER_WAN_CENT {
                prop_assert!(m.round_to_wan_cent().fen().abs() > fen.abs());
            }
        }

        #[test]
        fn thousands_separators_do_not_change_value(fen in 0i64..10_000_000_000_000) {
            let plain = Money::from_fen(fen).format_yuan();
            let (int, frac) = plain.split_once('.').unwrap();
            let mut grouped = String::new();
            for (i, ch) in int.chars().enumerate() {
                if i > 0 && (int.len() - i) % 3 == 0 { grouped.push(','); }
                grouped.push(ch);
            }
            let text = format!("{grouped}.{frac}");
            prop_assert_eq!(Money::parse_yuan(&text).unwrap(), Money::from_fen(fen));
        }
    }
}
