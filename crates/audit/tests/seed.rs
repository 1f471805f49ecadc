//! The seed (赤峰市司法局 2024, as published): its genuine inconsistencies are found and the
//! places where rounding only makes numbers look off stay quiet.
//!
//! The expected list below was reviewed by hand against the document: every entry is a real
//! contradiction (or a style slip) a reader can verify with a calculator.

use juesuan_audit::{audit_file, Severity};
use std::collections::BTreeSet;
use std::path::PathBuf;

fn seed() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/chifeng-sfj-2024.txt")
}

/// (line, rule) of every error and warning, with what makes it wrong.
const EXPECTED: &[(usize, &str)] = &[
    // 收支总计 4328.25 − 461.39 implies a prior year the tables contradict.
    (50, "audit.identity"),
    // 收入决算总计 4328.25 but its three items add to 4649.47.
    (51, "audit.list_sum"),
    // 本年收入合计 4328.25 here, 4007.03 in three other places.
    (52, "audit.same_quantity"),
    // 222.87 / 4551.12 = 4.90%, printed 5.43%.
    (52, "audit.rate"),
    // 公共安全 items add to 2631.99, the class says 2631.87.
    (107, "audit.class_sum"),
    (107, "audit.class_budget"),
    // 6.54 → 6.65 is not 100% and not 无差异.
    (109, "audit.completion"),
    (109, "audit.no_difference"),
    // 死亡抚恤支出 belongs to 抚恤 (款), not 行政事业单位养老支出.
    (125, "audit.code_name"),
    // 3.6 / 3.8 = 94.74%, printed 194.74%.
    (126, "audit.completion"),
    // 公用经费 405.57 but its items add to 459.58.
    (141, "audit.list_exceeds"),
    // 三公 25.18 = 0 + 23.95 + 1.23 would be 25.18 only with 23.95 for the car line.
    (151, "audit.list_sum"),
    (153, "audit.same_quantity"),
    (155, "audit.identity"),
    // 0 funds at 100% share.
    (169, "audit.zero_share"),
    // “等4个…共1个”, and one project listed twice.
    (173, "audit.count"),
    (173, "audit.duplicate"),
    // chart data blocks that disagree with the shares in the text.
    (214, "audit.chart"),
    (220, "audit.chart"),
];

#[test]
fn finds_the_genuine_inconsistencies_and_nothing_else() {
    let report = audit_file(&seed(), 2024).unwrap();
    let found: BTreeSet<(usize, &str)> = report
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Style)
        .map(|f| (f.location.line.unwrap(), f.rule.as_str()))
        .collect();
    let expected: BTreeSet<(usize, &str)> = EXPECTED.iter().copied().collect();
    let missed: Vec<_> = expected.difference(&found).collect();
    let extra: Vec<_> = found.difference(&expected).collect();
    assert!(missed.is_empty(), "missed: {missed:?}");
    assert!(extra.is_empty(), "unexpected: {extra:?}");
    assert!(report.summary.errors >= 10, "{:?}", report.summary);
}

#[test]
fn blames_the_odd_one_out_with_the_value_the_others_agree_on() {
    let report = audit_file(&seed(), 2024).unwrap();
    let same = report
        .findings
        .iter()
        .find(|f| f.rule == "audit.same_quantity" && f.location.line == Some(52))
        .unwrap();
    assert_eq!(same.stated.as_deref(), Some("4328.25万元"));
    assert_eq!(same.expected.as_deref(), Some("4007.03万元"));
    let rate = report
        .findings
        .iter()
        .find(|f| f.rule == "audit.rate")
        .unwrap();
    assert_eq!(rate.expected.as_deref(), Some("4.90%"));
}

#[test]
fn stays_quiet_where_rounding_explains_the_difference() {
    let report = audit_file(&seed(), 2024).unwrap();
    // 61: 3441.03 vs 3441.04 across tables; 101: 3441.04 / 4105.38 = 83.82%;
    // 114: 93.1% printed with one decimal; 120: “96.47 %” with a space;
    // 121: items' budgets add to 384.07, 437.73 − 384.07 = 53.66 vs 53.65 within rounding;
    // 150: 23.95 / 25.18 = 95.12%, 1.23 / 25.18 = 4.88%; 156: the 接待 figures.
    for line in [61, 101, 114, 120, 121, 150, 156] {
        let here: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.location.line == Some(line))
            .map(|f| &f.rule)
            .collect();
        assert!(here.is_empty(), "line {line}: {here:?}");
    }
}

#[test]
fn style_findings_point_at_the_wording() {
    let report = audit_file(&seed(), 2024).unwrap();
    let zero_changes = report
        .findings
        .iter()
        .filter(|f| f.rule == "audit.zero_change")
        .count();
    assert!(zero_changes >= 5, "{zero_changes}");
    assert!(report
        .findings
        .iter()
        .any(|f| f.rule == "audit.numbering" && f.stated.as_deref() == Some("1、")));
}
