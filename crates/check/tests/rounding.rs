//! Rounding: a figure moved by exactly the tolerance its rules allow raises no alarm; one 分
//! (0.000001 万元) further does.

mod common;
use common::{fired, Scratch};
use juesuan_check::check_disclosure;
use juesuan_model::Disclosure;

/// 分 in 0.005 万元: half the last printed digit.
const HALF: i64 = 5_000;

/// The rules that fire when the loaded single-unit dataset is changed by `edit`. A 万元
/// dataset is typed to the 0.01 万元, so the exact value behind a printed figure (anywhere in
/// its ±0.005 万元) is set in memory, past the loader.
fn fired_after(edit: impl FnOnce(&mut Disclosure)) -> std::collections::BTreeSet<String> {
    let s = Scratch::single_unit();
    let mut d = juesuan_load::load_dataset(s.path()).unwrap();
    edit(&mut d);
    fired(&check_disclosure(&d).unwrap())
}

fn flip(table: &str, row: &str, col: &str, delta_fen: i64) -> std::collections::BTreeSet<String> {
    fired_after(|d| {
        let t = d.units[0].tables.get_mut(table).unwrap();
        let v = t.get(row, col).unwrap();
        t.set(row, col, Some(v + delta_fen));
    })
}

#[test]
fn the_single_unit_variant_is_clean() {
    assert!(fired(&Scratch::single_unit().check()).is_empty());
}

#[test]
fn three_public_total_tolerates_four_half_cents_and_not_one_fen_more() {
    // 合计 = 出国 + 车小计 + 接待: four printed figures, so |Δ| ≤ 4 × 0.005 万元
    let tol = 4 * HALF;
    for sign in [1, -1] {
        assert!(flip("T7", "合计", "决算数", sign * tol).is_empty());
        assert_eq!(
            flip("T7", "合计", "决算数", sign * (tol + 1)),
            ["T7.total".to_string()].into()
        );
    }
}

#[test]
fn operating_cost_against_public_funds_tolerates_two_half_cents() {
    // 机构运行经费 (a fact) against 表6 公用经费合计: two printed figures
    for (delta, alarm) in [
        (2 * HALF, false),
        (2 * HALF + 1, true),
        (-2 * HALF, false),
        (-2 * HALF - 1, true),
    ] {
        let f = fired_after(|d| {
            let public = d.units[0]
                .tables
                .get("T6")
                .unwrap()
                .get("公用经费合计", "决算数");
            let fact = d.facts.get("机构运行经费", "本年");
            assert_eq!(
                fact, public,
                "the example states 机构运行经费 = 公用经费合计"
            );
            d.facts
                .set("机构运行经费", "本年", Some(fact.unwrap() + delta));
        });
        assert_eq!(
            f.contains("F.operating_cost"),
            alarm,
            "Δ = {delta} 分: {f:?}"
        );
    }
}
