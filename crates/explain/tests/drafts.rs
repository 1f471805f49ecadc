//! Every drafted sentence adds up: its drivers' amounts, their total and the share it claims
//! are the figures of the structured draft, which are displayed table figures; on the example
//! and on synthetic regions (the example's units given budgets, its 部门 tables given 上年决算
//! by 功能分类, from seeded random amounts).

use juesuan_derive::Percent;
use juesuan_explain::{explain, render, Choice, Explanation};
use juesuan_model::{Disclosure, Money, Row, Table};
use std::collections::BTreeMap;
use std::path::Path;

const WAN_CENT: i64 = 10_000;

fn example() -> Disclosure {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/chifeng-sfj-2024");
    juesuan_load::load_dataset(&dir).unwrap()
}

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// The amounts "X万元" of a sentence, in order, and the percentage after "额的".
fn numbers(sentence: &str) -> (Vec<Money>, Option<String>) {
    let mut amounts = Vec::new();
    for (i, _) in sentence.match_indices("万元") {
        let head = &sentence[..i];
        let start = head
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_ascii_digit() || *c == '.')
            .last()
            .map(|(j, _)| j)
            .unwrap();
        amounts.push(Money::parse_wan(&head[start..]).unwrap());
    }
    let share = sentence
        .split_once("额的")
        .and_then(|(_, rest)| rest.split_once('%'))
        .map(|(p, _)| p.to_string());
    (amounts, share)
}

/// Checks every draft of `e`; returns how many there were.
fn assert_adds_up(e: &Explanation) -> usize {
    let mut drafts = 0;
    for c in &e.comparisons {
        assert_eq!(c.delta, c.current - c.base, "{}", c.key);
        let Some(d) = &c.draft else {
            assert!(c.note.is_some(), "{}: neither draft nor note", c.key);
            continue;
        };
        drafts += 1;
        let sign = c.delta.fen().signum();
        assert!(!d.drivers.is_empty() && d.drivers.len() <= 3, "{}", c.key);
        for l in d.drivers.iter().chain(&d.offsets) {
            assert_eq!(l.delta, l.current - l.base, "{}: {}", c.key, l.label);
            assert_eq!(l.current.fen() % WAN_CENT, 0, "displayed figures");
            assert_eq!(l.base.fen() % WAN_CENT, 0, "displayed figures");
        }
        assert!(d.drivers.iter().all(|l| l.delta.fen().signum() == sign));
        assert!(d.offsets.iter().all(|l| l.delta.fen().signum() == -sign));
        let total: Money = d.drivers.iter().map(|l| l.delta).sum();
        assert_eq!(d.drivers_total, total, "{}", c.key);
        assert_eq!(
            d.share,
            Percent::of(total.abs(), c.delta.abs()),
            "{}",
            c.key
        );
        // the sentence is rendered from the structure…
        let again = render(
            d.by,
            d.source.clone(),
            Choice {
                drivers: d.drivers.clone(),
                offsets: d.offsets.clone(),
            },
            c.delta,
        );
        assert_eq!(&again, d, "{}", c.key);
        // …and its numbers read back are the structure's
        let (amounts, share) = numbers(&d.sentence);
        let mut want: Vec<Money> = d.drivers.iter().map(|l| l.delta.abs()).collect();
        if d.drivers.len() > 1 {
            want.push(total.abs());
        }
        want.extend(d.offsets.iter().map(|l| l.delta.abs()));
        assert_eq!(amounts, want, "{}: {}", c.key, d.sentence);
        let sum: Money = amounts[..d.drivers.len()].iter().copied().sum();
        assert_eq!(sum, total.abs(), "{}: named amounts add up", c.key);
        let p = d.share.unwrap();
        let exact = total.abs() == c.delta.abs();
        let expected_share = match (exact, d.offsets.is_empty()) {
            (true, true) => None,
            (true, false) => Some("100".to_string()),
            (false, _) => Some(p.display().trim_end_matches('%').to_string()),
        };
        assert_eq!(share, expected_share, "{}", d.sentence);
        let word = if sign < 0 { "减少" } else { "增加" };
        if let Some(s) = &expected_share {
            let verb = if p.0 > 10_000 { "相当于" } else { "占" };
            let claim = format!("{verb}{word}额的{s}%");
            assert!(d.sentence.contains(&claim), "{}", d.sentence);
        } else {
            assert!(d.drivers.len() == 1 || d.sentence.contains(&format!("合计{word}")));
        }
    }
    drafts
}

#[test]
fn the_examples_drafts_add_up() {
    let e = explain(&example()).unwrap();
    assert_eq!(assert_adds_up(&e), 2);
    let t4 = e
        .comparisons
        .iter()
        .find(|c| c.key == "T4/收入总计" && c.base_column == "年初预算")
        .unwrap();
    let d = t4.draft.as_ref().unwrap();
    assert_eq!(d.source, "表5", "split by 表5's 功能分类 rows");
    assert_eq!(d.drivers[0].row, "2040804");
    assert_eq!(d.drivers[0].delta, Money::from_wan_cents(-29_605));
    assert_eq!(d.offsets[0].row, "2040699");
}

/// Rebuilds a table with one more column, its value per row given by `f`.
fn with_column(t: &Table, column: &str, f: impl Fn(&Row) -> Option<i64>) -> Table {
    let mut columns = t.columns.clone();
    columns.push(column.to_string());
    let mut out = Table::new(&t.id, columns, t.file.clone());
    for r in t.rows() {
        let mut row = r.clone();
        row.values.push(f(r));
        out.push_row(row).unwrap();
    }
    out
}

/// Footed amounts for the 项 rows of a functional table (款/类/合计 their sums): each 项's
/// `column` moved by a random −30%…+30%, a few by much more.
fn footed(t: &Table, column: &str, rng: &mut Rng) -> BTreeMap<String, i64> {
    let mut v: BTreeMap<String, i64> = BTreeMap::new();
    for r in t.rows().iter().filter(|r| r.key.len() == 7) {
        let cur = t.get(&r.key, column).unwrap() / WAN_CENT;
        let pct = rng.below(61) as i64 - 30 + if rng.below(8) == 0 { 120 } else { 0 };
        let x = (cur * (100 + pct) / 100 + rng.below(500) as i64).max(0) * WAN_CENT;
        for k in [r.key.as_str(), &r.key[..5], &r.key[..3], "合计"] {
            *v.entry(k.to_string()).or_insert(0) += x;
        }
    }
    v
}

/// The example with (a) each unit's 表5 given 年初预算 (the 部门's, shared in proportion to
/// the units' 决算) and (b) the 部门's 表3 and 表5 given random footed 上年决算.
fn synthetic(seed: u64) -> Disclosure {
    let mut rng = Rng(seed * 6151 + 1);
    let mut d = example();
    let dept = d.department.as_ref().unwrap().clone();
    let t5 = dept.get("T5").unwrap();
    let units: Vec<Table> = d
        .units
        .iter()
        .map(|u| u.tables.get("T5").unwrap().clone())
        .collect();
    let mut budgets: Vec<BTreeMap<String, i64>> = vec![BTreeMap::new(); units.len()];
    for r in t5.rows().iter().filter(|r| r.key.len() == 7) {
        let budget = t5.get(&r.key, "年初预算").unwrap();
        let holders: Vec<usize> = (0..units.len())
            .filter(|&i| units[i].row(&r.key).is_some())
            .collect();
        let total: i64 = holders
            .iter()
            .map(|&i| units[i].get(&r.key, "合计").unwrap())
            .sum();
        let mut left = budget;
        for (n, &i) in holders.iter().enumerate() {
            let share = if n + 1 == holders.len() {
                left
            } else if total == 0 {
                0
            } else {
                (budget as i128 * units[i].get(&r.key, "合计").unwrap() as i128 / total as i128)
                    as i64
                    / WAN_CENT
                    * WAN_CENT
            };
            left -= share;
            for k in [r.key.as_str(), &r.key[..5], &r.key[..3], "合计"] {
                *budgets[i].entry(k.to_string()).or_insert(0) += share;
            }
        }
    }
    for (i, u) in d.units.iter_mut().enumerate() {
        let t = with_column(&units[i], "年初预算", |r| {
            Some(budgets[i].get(&r.key).copied().unwrap_or(0))
        });
        u.tables.insert(t);
    }
    let dm = d.department.as_mut().unwrap();
    for (id, current) in [("T5", "合计"), ("T3", "本年支出合计")] {
        let t = dm.get(id).unwrap().clone();
        let prior = footed(&t, current, &mut rng);
        dm.insert(with_column(&t, "上年决算", |r| {
            Some(prior.get(&r.key).copied().unwrap_or(0))
        }));
    }
    d
}

#[test]
fn a_synthetic_regions_drafts_match_the_reviewed_golden_file() {
    let e = explain(&synthetic(1)).unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/synthetic-1.txt");
    let actual = e.to_human();
    if std::env::var_os("JUESUAN_BLESS").is_some() {
        std::fs::write(&path, &actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    assert_eq!(expected, actual, "review and bless with JUESUAN_BLESS=1");
}

#[test]
fn synthetic_regions_drafts_add_up() {
    let mut by_unit = 0;
    let mut total = 0;
    for seed in 1..=8 {
        let d = synthetic(seed);
        let e = explain(&d).unwrap();
        total += assert_adds_up(&e);
        by_unit += e
            .comparisons
            .iter()
            .filter(|c| {
                c.draft
                    .as_ref()
                    .is_some_and(|d| d.drivers[0].unit.is_some())
            })
            .count();
        // T1 本年支出合计 is split by 表3, T4 收入总计 against 上年决算 by 表5
        for key in ["T1/本年支出合计", "T4/收入总计"] {
            let c = e
                .comparisons
                .iter()
                .find(|c| c.key == key && c.base_column == "上年决算");
            if let Some(c) = c {
                assert!(
                    c.draft.is_some() || c.note.as_deref().is_some_and(|n| n.contains("同方向")),
                    "{seed} {key}: {c:?}"
                );
            }
        }
    }
    assert!(
        by_unit >= 8 * 10,
        "units split most 项 comparisons: {by_unit}"
    );
    assert!(total >= 8 * 12, "{total}");
}
