//! Rounding: a figure moved by exactly the tolerance its rules allow raises no alarm; one 分
//! (0.000001 万元) further does.

mod common;
use common::{add_wan, fired, Scratch};

/// 分 in 0.005 万元: half the last printed digit.
const HALF: i64 = 5_000;

fn flip(file: &str, row: &str, col: &str, delta_fen: i64) -> std::collections::BTreeSet<String> {
    let s = Scratch::single_unit();
    let before = s.get(file, row, col);
    s.set(file, row, col, &add_wan(&before, delta_fen));
    fired(&s.check())
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
        assert!(flip("units/dept/t7.csv", "合计", "决算数", sign * tol).is_empty());
        assert_eq!(
            flip("units/dept/t7.csv", "合计", "决算数", sign * (tol + 1)),
            ["T7.total".to_string()].into()
        );
    }
}

#[test]
fn operating_cost_against_public_funds_tolerates_two_half_cents() {
    // 机构运行经费 (a fact) against 表6 公用经费合计: two printed figures
    let s = Scratch::single_unit();
    let text = std::fs::read_to_string(s.path().join("disclosure.toml")).unwrap();
    let written = s.get("units/dept/t6.csv", "公用经费合计", "决算数");
    let shifted = |d: i64| add_wan(&written, d);
    let needle = format!("\"本年\" = \"{written}\"");
    assert!(
        text.contains(&needle),
        "disclosure.toml should state 机构运行经费 as {needle}"
    );
    for (delta, alarm) in [
        (2 * HALF, false),
        (2 * HALF + 1, true),
        (-2 * HALF, false),
        (-2 * HALF - 1, true),
    ] {
        std::fs::write(
            s.path().join("disclosure.toml"),
            text.replacen(&needle, &format!("\"本年\" = \"{}\"", shifted(delta)), 1),
        )
        .unwrap();
        let f = fired(&s.check());
        assert_eq!(
            f.contains("F.operating_cost"),
            alarm,
            "Δ = {delta} 分: {f:?}"
        );
    }
}
