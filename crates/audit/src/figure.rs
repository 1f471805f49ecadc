//! Printed figures as intervals. An amount printed as "4328.25" (万元) stands for anything in
//! [4328.245, 4328.255]; writers drop trailing zeros ("566万元", "3.6万元"), so every amount is
//! read to the cent. A percentage printed with d decimals stands for ± half a unit of its last
//! digit ("64.5%" is 64.45…64.55). Arithmetic on intervals then says whether rounding could
//! explain a difference; a finding is only raised when it could not.

use juesuan_model::{Interval, Ratio};

/// A number as printed and the interval it stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Figure {
    pub printed: String,
    pub value: Ratio,
    pub iv: Interval,
    pub decimals: u32,
}

fn parse_decimal(text: &str) -> Option<(Ratio, u32)> {
    let t: String = text.chars().filter(|c| *c != ',').collect();
    let (neg, t) = match t.strip_prefix('-') {
        Some(r) => (true, r.to_string()),
        None => (false, t),
    };
    let (int, frac) = t.split_once('.').unwrap_or((&t, ""));
    if int.is_empty() || !int.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if !frac.chars().all(|c| c.is_ascii_digit()) || frac.len() > 8 || int.len() > 15 {
        return None;
    }
    let digits: i128 = format!("{int}{frac}").parse().ok()?;
    let den = 10i128.pow(frac.len() as u32);
    let v = Ratio::new(if neg { -digits } else { digits }, den)?;
    Some((v, frac.len() as u32))
}

impl Figure {
    /// An amount in 万元 (or 元, converted), read to the cent of 万元 (or of 元).
    pub fn amount(text: &str, yuan: bool) -> Option<Figure> {
        let (v, decimals) = parse_decimal(text)?;
        let (value, half) = if yuan {
            (
                v.checked_div(Ratio::int(10_000))?,
                Ratio::new(1, 2_000_000)?, // 0.005 元 in 万元
            )
        } else {
            (v, Ratio::new(1, 200)?)
        };
        Some(Figure {
            printed: text.to_string(),
            value,
            iv: Interval::around(value, half)?,
            decimals,
        })
    }

    /// A percentage, in percent.
    pub fn percent(text: &str) -> Option<Figure> {
        let (v, decimals) = parse_decimal(text)?;
        let half = Ratio::new(5, 10i128.pow(decimals + 1))?;
        Some(Figure {
            printed: format!("{text}%"),
            value: v,
            iv: Interval::around(v, half)?,
            decimals,
        })
    }

    /// A fraction printed in a chart's data (0.8724), as a percentage interval.
    pub fn fraction_as_percent(text: &str) -> Option<Figure> {
        let (v, decimals) = parse_decimal(text)?;
        let half = Ratio::new(5, 10i128.pow(decimals + 1))?;
        let hundred = Ratio::int(100);
        Some(Figure {
            printed: text.to_string(),
            value: v.checked_mul(hundred)?,
            iv: Interval::around(v.checked_mul(hundred)?, half.checked_mul(hundred)?)?,
            decimals,
        })
    }

    pub fn is_zero(&self) -> bool {
        self.value.is_zero()
    }
}

/// Σ of intervals; `None` on overflow.
pub fn sum<'a>(items: impl IntoIterator<Item = &'a Interval>) -> Option<Interval> {
    let mut total = Interval::point(Ratio::ZERO);
    for i in items {
        total = total.checked_add(i)?;
    }
    Some(total)
}

/// part / whole × 100, `None` when whole may be zero.
pub fn percent_of(part: &Interval, whole: &Interval) -> Option<Interval> {
    if whole.contains_zero() {
        return None;
    }
    part.checked_mul(&Interval::point(Ratio::int(100)))?
        .checked_div(whole)
}

/// The middle of an interval written with `decimals` decimals.
pub fn show(iv: &Interval, decimals: u32) -> String {
    iv.midpoint()
        .map(|m| m.to_decimal(decimals))
        .unwrap_or_else(|| "?".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_and_percents() {
        let a = Figure::amount("4328.25", false).unwrap();
        assert!(a.iv.contains(Ratio::new(432_8245, 1000).unwrap()));
        let p = Figure::percent("64.5").unwrap();
        assert!(p.iv.contains(Ratio::new(6454, 100).unwrap()));
        assert!(!p.iv.contains(Ratio::new(6456, 100).unwrap()));
        let f = Figure::fraction_as_percent("0.8724").unwrap();
        assert_eq!(f.value, Ratio::new(8724, 100).unwrap());
        assert!(Figure::amount("1,234.5", false).is_some());
        assert!(Figure::amount("abc", false).is_none());
    }

    #[test]
    fn rounding_explains_the_seeds_14_02_percent() {
        // 接待费 1.23 万元, 增加0.15万元 → base 1.08; 0.15/1.08 = 13.89%, but the printed
        // figures allow up to 0.155/1.07 = 14.49%
        let cur = Figure::amount("1.23", false).unwrap();
        let delta = Figure::amount("0.15", false).unwrap();
        let base = cur.iv.checked_sub(&delta.iv).unwrap();
        let rate = percent_of(&delta.iv, &base).unwrap();
        assert!(rate.overlaps(&Figure::percent("14.02").unwrap().iv));
        assert!(!rate.overlaps(&Figure::percent("15.00").unwrap().iv));
    }
}
