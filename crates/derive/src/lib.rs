//! Derived figures of the narrative: the change between two amounts, 增长率, 完成率, 占比, and
//! the Chinese words that must follow the numbers (增加/减少/持平, no ratio for a zero base,
//! "完成年初预算的100%" only at exactly 100.00%).
//!
//! Everything is computed from the printed figures (amounts already rounded to 0.01 万元), so
//! a sentence quotes numbers a reader can recompute from the tables. This crate does not lay out
//! documents (render) or read them (audit); both call it so that they phrase a comparison the
//! same way.

use juesuan_model::{Money, Ratio};

/// A percentage rounded half-up to two decimals, in hundredths of a percent (8587 = 85.87%).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Percent(pub i64);

/// Serialized as the printed text, "85.87%".
impl serde::Serialize for Percent {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.display())
    }
}

impl Percent {
    /// part / whole as a printed percentage; `None` for a zero whole (no ratio exists).
    pub fn of(part: Money, whole: Money) -> Option<Percent> {
        if whole.fen() == 0 {
            return None;
        }
        let r = Ratio::new(part.fen() as i128 * 10_000, whole.fen() as i128)?;
        let text = r.to_decimal(0);
        text.parse().ok().map(Percent)
    }

    /// "85.87%"; trailing zeros kept, as the tables print them.
    pub fn display(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        format!("{sign}{}.{:02}%", a / 100, a % 100)
    }

    pub fn abs(self) -> Percent {
        Percent(self.0.abs())
    }
}

/// Which way a figure moved.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
    Flat,
}

/// One figure against its base (上年决算 or 年初预算), both as printed.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub current: Money,
    pub base: Money,
}

impl Change {
    /// Compares the printed (rounded to 0.01 万元) figures.
    pub fn printed(current: Money, base: Money) -> Change {
        Change {
            current: current.round_to_wan_cent(),
            base: base.round_to_wan_cent(),
        }
    }

    pub fn delta(self) -> Money {
        self.current - self.base
    }

    pub fn direction(self) -> Direction {
        match self.delta().fen().signum() {
            1 => Direction::Up,
            -1 => Direction::Down,
            _ => Direction::Flat,
        }
    }

    /// 增长率 = (本年 − 上年) / 上年; `None` when the base is zero.
    pub fn growth(self) -> Option<Percent> {
        Percent::of(self.delta(), self.base)
    }

    /// 完成率 = 决算 / 年初预算; `None` when the budget is zero.
    pub fn completion(self) -> Option<Percent> {
        Percent::of(self.current, self.base)
    }

    /// "增加222.87万元，增长5.43%", "减少70.61万元，下降18.02%", "增加57.32万元" (zero base: no
    /// ratio), or "持平" — the phrase after "与上年决算相比，".
    pub fn phrase_against_prior(self) -> String {
        let amount = self.delta().abs().format_wan();
        match (self.direction(), self.growth()) {
            (Direction::Flat, _) => "持平".to_string(),
            (Direction::Up, Some(p)) => format!("增加{amount}万元，增长{}", p.abs().display()),
            (Direction::Down, Some(p)) => format!("减少{amount}万元，下降{}", p.abs().display()),
            (Direction::Up, None) => format!("增加{amount}万元"),
            (Direction::Down, None) => format!("减少{amount}万元"),
        }
    }

    /// "完成年初预算的94.21%", "完成年初预算的100%" only at exactly 100.00%, and for a zero
    /// budget "年初预算为0" — never a ratio with a zero base.
    pub fn phrase_completion(self) -> String {
        self.phrase_completion_of("年初预算")
    }

    /// As [`Change::phrase_completion`] against another base, e.g. "预算" for 三公 budgets.
    pub fn phrase_completion_of(self, base: &str) -> String {
        match self.completion() {
            None => format!("{base}为0"),
            Some(Percent(10_000)) if self.current == self.base => format!("完成{base}的100%"),
            Some(p) => format!("完成{base}的{}", p.display()),
        }
    }
}

/// Shares of a whole that add up to exactly 100.00% as printed (largest remainder), one per
/// part; `None` when the whole is zero or the parts do not add up to it.
pub fn shares(parts: &[Money]) -> Option<Vec<Percent>> {
    let whole: i128 = parts.iter().map(|m| m.fen() as i128).sum();
    if whole <= 0 || parts.iter().any(|m| m.fen() < 0) {
        return None;
    }
    // each share in millionths of a hundredth of a percent, floored; remainders decide
    const SCALE: i128 = 1_000_000;
    let exact: Vec<i64> = parts
        .iter()
        .map(|m| (m.fen() as i128 * 10_000 * SCALE / whole) as i64)
        .collect();
    let rounded = juesuan_model::largest_remainder(&exact, SCALE as i64, 10_000)?;
    Some(rounded.into_iter().map(Percent).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn wan(s: &str) -> Money {
        Money::parse_wan(s).unwrap()
    }

    #[test]
    fn shares_of_the_seed() {
        assert_eq!(
            Percent::of(wan("3441.03"), wan("4007.03"))
                .unwrap()
                .display(),
            "85.87%"
        );
        assert_eq!(
            Percent::of(wan("566"), wan("4007.03")).unwrap().display(),
            "14.13%"
        );
        assert_eq!(Percent::of(wan("1"), wan("0")), None);
    }

    #[test]
    fn phrases_follow_the_numbers() {
        assert_eq!(
            Change::printed(wan("4328.25"), wan("4105.38")).phrase_against_prior(),
            "增加222.87万元，增长5.43%"
        );
        assert_eq!(
            Change::printed(wan("321.22"), wan("391.83")).phrase_against_prior(),
            "减少70.61万元，下降18.02%"
        );
        assert_eq!(
            Change::printed(wan("0"), wan("0")).phrase_against_prior(),
            "持平"
        );
        assert_eq!(
            Change::printed(wan("57.32"), wan("0")).phrase_against_prior(),
            "增加57.32万元"
        );
        assert_eq!(
            Change::printed(wan("1030.41"), wan("1093.77")).phrase_completion(),
            "完成年初预算的94.21%"
        );
        assert_eq!(
            Change::printed(wan("3.83"), wan("3.83")).phrase_completion(),
            "完成年初预算的100%"
        );
        // 6.65 against 6.54 is not 100%, whatever the seed says
        assert_eq!(
            Change::printed(wan("6.65"), wan("6.54")).phrase_completion(),
            "完成年初预算的101.68%"
        );
        assert_eq!(
            Change::printed(wan("57.32"), wan("0")).phrase_completion(),
            "年初预算为0"
        );
        assert_eq!(
            Change::printed(wan("3.60"), wan("3.80")).phrase_completion(),
            "完成年初预算的94.74%"
        );
    }

    #[test]
    fn a_rate_that_rounds_to_100_is_not_called_100() {
        // 10000.4 / 10000.0 = 100.004% → printed 100.00%, but the amounts differ
        let c = Change::printed(wan("10000.40"), wan("10000.00"));
        assert_eq!(c.phrase_completion(), "完成年初预算的100.00%");
    }

    #[test]
    fn shares_add_up_to_100() {
        let s = shares(&[wan("1"), wan("1"), wan("1")]).unwrap();
        assert_eq!(s, vec![Percent(3334), Percent(3333), Percent(3333)]);
        let seed = shares(&[wan("3441.03"), wan("566.00")]).unwrap();
        assert_eq!(seed, vec![Percent(8587), Percent(1413)]);
        assert_eq!(shares(&[wan("0"), wan("0")]), None);
    }

    proptest! {
        #[test]
        fn shares_always_total_100(parts in proptest::collection::vec(0i64..10_000_000, 1..10)) {
            let money: Vec<Money> = parts.iter().map(|&c| Money::from_wan_cents(c)).collect();
            match shares(&money) {
                None => prop_assert!(parts.iter().all(|&p| p == 0)),
                Some(s) => {
                    prop_assert_eq!(s.iter().map(|p| p.0).sum::<i64>(), 10_000);
                    for (p, &c) in s.iter().zip(&parts) {
                        let exact = c as f64 * 10_000.0 / parts.iter().sum::<i64>() as f64;
                        prop_assert!((p.0 as f64 - exact).abs() < 1.0);
                    }
                }
            }
        }

        #[test]
        fn direction_words_agree_with_the_sign(cur in 0i64..10_000_000, base in 0i64..10_000_000) {
            let c = Change::printed(Money::from_wan_cents(cur), Money::from_wan_cents(base));
            let p = c.phrase_against_prior();
            prop_assert_eq!(p.starts_with("增加"), cur > base);
            prop_assert_eq!(p.starts_with("减少"), cur < base);
            prop_assert_eq!(p == "持平", cur == base);
            prop_assert_eq!(p.contains('%'), base != 0 && cur != base);
        }
    }
}
