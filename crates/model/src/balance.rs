//! 舍位平衡: rounding a list of exact amounts to printed units so that the printed items add
//! up to a printed total (largest-remainder method). Used for tables that must foot as printed
//! and for shares that must add up to 100.00%.

/// Rounds `exact` values (in some fine unit, e.g. 分) to multiples of `unit` (e.g. 10000 分 =
/// 0.01 万元) so that the rounded values sum to `target` (a multiple of `unit`, normally the
/// half-up rounding of the exact total). Each value is first truncated toward −∞; the units
/// still missing (or in excess) go to the values with the largest (smallest) remainders, ties
/// to the earlier value. Returns values in multiples of `unit`, i.e. `result[i] * unit` is the
/// amount.
///
/// When Σ exact rounds to `target`, every result differs from its exact value by less than one
/// `unit`. Returns `None` if `unit` is not positive or the adjustment would have to move some
/// value by more than one unit (the target is too far from the exact sum).
pub fn largest_remainder(exact: &[i64], unit: i64, target: i64) -> Option<Vec<i64>> {
    if unit <= 0 {
        return None;
    }
    let mut out: Vec<i64> = exact.iter().map(|v| v.div_euclid(unit)).collect();
    let rem: Vec<i64> = exact.iter().map(|v| v.rem_euclid(unit)).collect();
    let floor_sum: i64 = out.iter().sum();
    let missing = target - floor_sum;
    if missing < 0 || missing as usize > exact.len() {
        return None;
    }
    let mut order: Vec<usize> = (0..exact.len()).collect();
    // largest remainder first; stable, so ties go to the earlier item
    order.sort_by_key(|&i| std::cmp::Reverse(rem[i]));
    for &i in order.iter().take(missing as usize) {
        out[i] += 1;
    }
    Some(out)
}

/// Half-up rounding of `value` to a multiple of `unit`, in units.
pub fn round_half_up(value: i64, unit: i64) -> i64 {
    crate::money::round_div(value, unit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn shares_add_up_to_one_hundred_percent() {
        // 3441.03 and 566.00 of 4007.03 as hundredths of a percent
        let total = 400_703i64;
        let parts = [344_103i64, 56_600];
        let exact: Vec<i64> = parts
            .iter()
            .map(|p| p * 10_000 * 1_000_000 / total)
            .collect();
        let shares = largest_remainder(&exact, 1_000_000, 10_000).unwrap();
        assert_eq!(shares, vec![8587, 1413]);
        assert_eq!(shares.iter().sum::<i64>(), 10_000);
    }

    #[test]
    fn three_thirds() {
        // 1/3 each of 1.00: 0.34 + 0.33 + 0.33
        assert_eq!(
            largest_remainder(&[3333, 3333, 3334], 100, 100).unwrap(),
            vec![33, 33, 34]
        );
        assert_eq!(
            largest_remainder(&[3333, 3333, 3333], 100, 100).unwrap(),
            vec![34, 33, 33]
        );
        assert!(largest_remainder(&[3333, 3333, 3333], 100, 105).is_none());
    }

    proptest! {
        #[test]
        fn printed_items_foot_to_the_printed_total(
            exact in proptest::collection::vec(-10_000_000_000i64..10_000_000_000, 1..40)
        ) {
            let unit = 10_000; // 0.01 万元 in 分
            let target = round_half_up(exact.iter().sum(), unit);
            let shown = largest_remainder(&exact, unit, target).unwrap();
            prop_assert_eq!(shown.iter().sum::<i64>(), target);
            for (s, e) in shown.iter().zip(&exact) {
                prop_assert!((s * unit - e).abs() < unit, "{} vs {}", s * unit, e);
            }
        }

        #[test]
        fn already_printed_figures_are_left_alone(
            cents in proptest::collection::vec(-1_000_000i64..1_000_000, 1..40)
        ) {
            let exact: Vec<i64> = cents.iter().map(|c| c * 10_000).collect();
            let shown = largest_remainder(&exact, 10_000, cents.iter().sum()).unwrap();
            prop_assert_eq!(shown, cents);
        }
    }
}
