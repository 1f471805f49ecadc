//! Interval arithmetic over exact rationals, for printed figures.
//!
//! A printed 万元 figure v stands for every amount that rounds to it: [v − 0.005, v + 0.005].
//! Sums, differences, products and ratios of such figures are intervals too, and a rule holds
//! when the intervals of its two sides can meet (as XBRL Calculations 1.1 does). Bounds are
//! exact [`Ratio`]s of i128, so no comparison is ever decided by a float.

use std::cmp::Ordering;
use std::fmt;

/// An exact rational number num/den with den > 0, kept in lowest terms.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Ratio {
    num: i128,
    den: i128,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl Ratio {
    pub const ZERO: Ratio = Ratio { num: 0, den: 1 };

    /// `num/den`; `None` when den is 0.
    pub fn new(num: i128, den: i128) -> Option<Ratio> {
        if den == 0 {
            return None;
        }
        let g = gcd(num, den).max(1);
        let sign = if den < 0 { -1 } else { 1 };
        Some(Ratio {
            num: sign * num / g,
            den: sign * den / g,
        })
    }

    pub const fn int(v: i128) -> Ratio {
        Ratio { num: v, den: 1 }
    }

    pub fn numer(self) -> i128 {
        self.num
    }

    pub fn denom(self) -> i128 {
        self.den
    }

    pub fn is_zero(self) -> bool {
        self.num == 0
    }

    pub fn checked_add(self, o: Ratio) -> Option<Ratio> {
        let g = gcd(self.den, o.den);
        let (a, b) = (self.den / g, o.den / g);
        let num = self
            .num
            .checked_mul(b)?
            .checked_add(o.num.checked_mul(a)?)?;
        Ratio::new(num, self.den.checked_mul(b)?)
    }

    pub fn checked_neg(self) -> Option<Ratio> {
        Some(Ratio {
            num: self.num.checked_neg()?,
            den: self.den,
        })
    }

    pub fn checked_sub(self, o: Ratio) -> Option<Ratio> {
        self.checked_add(o.checked_neg()?)
    }

    pub fn checked_mul(self, o: Ratio) -> Option<Ratio> {
        let g1 = gcd(self.num, o.den).max(1);
        let g2 = gcd(o.num, self.den).max(1);
        Ratio::new(
            (self.num / g1).checked_mul(o.num / g2)?,
            (self.den / g2).checked_mul(o.den / g1)?,
        )
    }

    /// `None` when `o` is zero or the result overflows.
    pub fn checked_div(self, o: Ratio) -> Option<Ratio> {
        if o.num == 0 {
            return None;
        }
        self.checked_mul(Ratio::new(o.den, o.num)?)
    }

    pub fn abs(self) -> Ratio {
        Ratio {
            num: self.num.abs(),
            den: self.den,
        }
    }

    /// Rounded half away from zero to `decimals` decimals, as text ("85.87").
    pub fn to_decimal(self, decimals: u32) -> String {
        let scale = 10i128.pow(decimals);
        let scaled = self.num.saturating_mul(scale);
        let q = scaled / self.den;
        let r = scaled % self.den;
        let q = if r.abs().saturating_mul(2) >= self.den {
            q + scaled.signum()
        } else {
            q
        };
        crate::money::format_fixed(q, decimals)
    }
}

/// Compares a/b with c/d (b, d > 0) without overflow, by continued-fraction expansion.
fn cmp_frac(a: i128, b: i128, c: i128, d: i128) -> Ordering {
    let (q1, r1) = (a.div_euclid(b), a.rem_euclid(b));
    let (q2, r2) = (c.div_euclid(d), c.rem_euclid(d));
    match q1.cmp(&q2) {
        Ordering::Equal => {}
        other => return other,
    }
    match (r1 == 0, r2 == 0) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        // r1/b vs r2/d  ⇔  d/r2 vs b/r1
        (false, false) => cmp_frac(d, r2, b, r1),
    }
}

impl Ord for Ratio {
    fn cmp(&self, o: &Ratio) -> Ordering {
        cmp_frac(self.num, self.den, o.num, o.den)
    }
}

impl PartialOrd for Ratio {
    fn partial_cmp(&self, o: &Ratio) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den == 1 {
            write!(f, "{}", self.num)
        } else {
            write!(f, "{}/{}", self.num, self.den)
        }
    }
}

/// A closed interval [lo, hi] of exact rationals.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Interval {
    lo: Ratio,
    hi: Ratio,
}

impl Interval {
    pub fn point(v: Ratio) -> Interval {
        Interval { lo: v, hi: v }
    }

    /// [center − half_width, center + half_width]; `None` on overflow.
    pub fn around(center: Ratio, half_width: Ratio) -> Option<Interval> {
        let hw = half_width.abs();
        Some(Interval {
            lo: center.checked_sub(hw)?,
            hi: center.checked_add(hw)?,
        })
    }

    /// [a, b] in either order.
    pub fn between(a: Ratio, b: Ratio) -> Interval {
        Interval {
            lo: a.min(b),
            hi: a.max(b),
        }
    }

    pub fn lo(&self) -> Ratio {
        self.lo
    }

    pub fn hi(&self) -> Ratio {
        self.hi
    }

    pub fn is_point(&self) -> bool {
        self.lo == self.hi
    }

    pub fn midpoint(&self) -> Option<Ratio> {
        self.lo.checked_add(self.hi)?.checked_div(Ratio::int(2))
    }

    pub fn half_width(&self) -> Option<Ratio> {
        self.hi.checked_sub(self.lo)?.checked_div(Ratio::int(2))
    }

    pub fn contains(&self, v: Ratio) -> bool {
        self.lo <= v && v <= self.hi
    }

    pub fn contains_zero(&self) -> bool {
        self.contains(Ratio::ZERO)
    }

    /// The two intervals share at least one value: "equal within rounding".
    pub fn overlaps(&self, o: &Interval) -> bool {
        self.lo <= o.hi && o.lo <= self.hi
    }

    /// Some value of `self` is ≤ some value of `o`.
    pub fn possibly_le(&self, o: &Interval) -> bool {
        self.lo <= o.hi
    }

    /// Some value of `self` is < some value of `o`.
    pub fn possibly_lt(&self, o: &Interval) -> bool {
        self.lo < o.hi
    }

    pub fn checked_add(&self, o: &Interval) -> Option<Interval> {
        Some(Interval {
            lo: self.lo.checked_add(o.lo)?,
            hi: self.hi.checked_add(o.hi)?,
        })
    }

    pub fn checked_neg(&self) -> Option<Interval> {
        Some(Interval {
            lo: self.hi.checked_neg()?,
            hi: self.lo.checked_neg()?,
        })
    }

    pub fn checked_sub(&self, o: &Interval) -> Option<Interval> {
        self.checked_add(&o.checked_neg()?)
    }

    pub fn checked_mul(&self, o: &Interval) -> Option<Interval> {
        let c = [
            self.lo.checked_mul(o.lo)?,
            self.lo.checked_mul(o.hi)?,
            self.hi.checked_mul(o.lo)?,
            self.hi.checked_mul(o.hi)?,
        ];
        Some(hull(&c))
    }

    /// `None` when the divisor can be zero (no ratio for a zero base) or on overflow.
    pub fn checked_div(&self, o: &Interval) -> Option<Interval> {
        if o.contains_zero() {
            return None;
        }
        let c = [
            self.lo.checked_div(o.lo)?,
            self.lo.checked_div(o.hi)?,
            self.hi.checked_div(o.lo)?,
            self.hi.checked_div(o.hi)?,
        ];
        Some(hull(&c))
    }

    pub fn abs(&self) -> Interval {
        if self.lo >= Ratio::ZERO {
            *self
        } else if self.hi <= Ratio::ZERO {
            Interval {
                lo: self.hi.abs(),
                hi: self.lo.abs(),
            }
        } else {
            Interval {
                lo: Ratio::ZERO,
                hi: self.lo.abs().max(self.hi),
            }
        }
    }

    /// The smallest distance between a value of `self` and a value of `o` (0 if they meet).
    pub fn gap(&self, o: &Interval) -> Option<Ratio> {
        if self.overlaps(o) {
            Some(Ratio::ZERO)
        } else if self.hi < o.lo {
            o.lo.checked_sub(self.hi)
        } else {
            self.lo.checked_sub(o.hi)
        }
    }
}

fn hull(c: &[Ratio; 4]) -> Interval {
    let lo = c.iter().copied().min().unwrap_or(Ratio::ZERO);
    let hi = c.iter().copied().max().unwrap_or(Ratio::ZERO);
    Interval { lo, hi }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn r(n: i128, d: i128) -> Ratio {
        Ratio::new(n, d).unwrap()
    }

    fn printed(cents: i128) -> Interval {
        // a printed 万元 figure in units of 0.01万元 with ±0.5
        Interval::around(Ratio::int(cents), r(1, 2)).unwrap()
    }

    #[test]
    fn ratios_are_exact_and_reduced() {
        assert_eq!(r(2, 4), r(1, 2));
        assert_eq!(r(1, -2), r(-1, 2));
        assert!(r(1, 3) < r(334, 1000));
        assert!(r(-1, 3) > r(-334, 1000));
        assert_eq!(r(1, 3).checked_add(r(1, 6)).unwrap(), r(1, 2));
        assert_eq!(r(344103, 400703).to_decimal(4), "0.8587");
        assert!(Ratio::int(1).checked_div(Ratio::ZERO).is_none());
    }

    #[test]
    fn printed_sum_within_rounding_is_accepted() {
        // 52.75 + 2631.87 + 437.73 + 121.03 + 2.15 + 195.52 = 3441.05, printed total 3441.04
        let items = [5275, 263187, 43773, 12103, 215, 19552];
        let sum = items
            .iter()
            .map(|&c| printed(c))
            .reduce(|a, b| a.checked_add(&b).unwrap())
            .unwrap();
        assert!(sum.overlaps(&printed(344104)));
        // … but 公共安全's printed items summing to 2631.99 against 2631.87 are not
        assert!(!printed(263199).overlaps(&printed(263187)));
    }

    #[test]
    fn a_zero_base_has_no_ratio() {
        assert!(printed(100).checked_div(&printed(0)).is_none());
    }

    #[test]
    fn percentage_interval_decides_what_rounding_explains() {
        // 公务接待费: +0.15 万元 over a base of 1.23 − 0.15, stated 14.02%: fine within rounding
        let change = printed(15);
        let base = printed(123).checked_sub(&change).unwrap();
        let pct = change
            .checked_div(&base)
            .unwrap()
            .checked_mul(&Interval::point(Ratio::int(100)))
            .unwrap();
        let stated = Interval::around(r(1402, 100), r(5, 1000)).unwrap();
        assert!(pct.overlaps(&stated));
        // 2089999: 3.60 / 3.80 stated as 194.74% is not
        let pct = printed(360)
            .checked_div(&printed(380))
            .unwrap()
            .checked_mul(&Interval::point(Ratio::int(100)))
            .unwrap();
        assert!(!pct.overlaps(&Interval::around(r(19474, 100), r(5, 1000)).unwrap()));
        assert!(pct.overlaps(&Interval::around(r(9474, 100), r(5, 1000)).unwrap()));
    }

    fn small() -> impl Strategy<Value = i128> {
        -1_000_000_000i128..1_000_000_000
    }

    fn interval() -> impl Strategy<Value = (i128, i128)> {
        (small(), 0i128..1000)
    }

    fn mk((c, w): (i128, i128)) -> Interval {
        Interval::around(Ratio::int(c), Ratio::int(w)).unwrap()
    }

    proptest! {
        #[test]
        fn ratio_order_matches_cross_multiplication(a in small(), b in 1i128..1_000_000, c in small(), d in 1i128..1_000_000) {
            prop_assert_eq!(r(a, b).cmp(&r(c, d)), (a * d).cmp(&(c * b)));
        }

        #[test]
        fn ratio_field_laws(a in small(), b in 1i128..10_000, c in small(), d in 1i128..10_000) {
            let (x, y) = (r(a, b), r(c, d));
            prop_assert_eq!(x.checked_add(y).unwrap().checked_sub(y).unwrap(), x);
            if !y.is_zero() {
                prop_assert_eq!(x.checked_mul(y).unwrap().checked_div(y).unwrap(), x);
            }
        }

        // The defining property: for any members of the operands, the result of the point
        // operation is a member of the interval operation's result.
        #[test]
        fn operations_contain_every_pointwise_result(
            a in interval(), b in interval(), ta in 0i128..=100, tb in 0i128..=100
        ) {
            let (ia, ib) = (mk(a), mk(b));
            let pick = |i: &Interval, t: i128| {
                // lo + (hi − lo)·t/100
                i.lo().checked_add(i.hi().checked_sub(i.lo()).unwrap().checked_mul(r(t, 100)).unwrap()).unwrap()
            };
            let (x, y) = (pick(&ia, ta), pick(&ib, tb));
            prop_assert!(ia.checked_add(&ib).unwrap().contains(x.checked_add(y).unwrap()));
            prop_assert!(ia.checked_sub(&ib).unwrap().contains(x.checked_sub(y).unwrap()));
            prop_assert!(ia.checked_mul(&ib).unwrap().contains(x.checked_mul(y).unwrap()));
            match ia.checked_div(&ib) {
                Some(q) => prop_assert!(q.contains(x.checked_div(y).unwrap())),
                None => prop_assert!(ib.contains_zero()),
            }
            prop_assert!(ia.abs().contains(x.abs()));
        }

        #[test]
        fn overlap_is_symmetric_and_gap_is_zero_exactly_then(a in interval(), b in interval()) {
            let (ia, ib) = (mk(a), mk(b));
            prop_assert_eq!(ia.overlaps(&ib), ib.overlaps(&ia));
            prop_assert_eq!(ia.gap(&ib).unwrap().is_zero(), ia.overlaps(&ib));
        }
    }
}
