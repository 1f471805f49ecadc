//! Choosing the lines that drove a change, and the sentence that names them.
//!
//! Deterministic: lines that moved the same way as the total, largest |Δ| first (ties in table
//! order), taken until they cover at least 80% of the change or three are named; lines that
//! moved the other way are mentioned when one is at least 10% of the change (at most two).
//! The sentence quotes the lines' Δ and their sum exactly, and the share of the change they
//! make up through `juesuan-derive`, so its numbers add up to what it claims.

use crate::{Dimension, Draft, Line};
use juesuan_derive::Percent;
use juesuan_model::Money;

/// Most lines a sentence names as drivers.
pub const MAX_DRIVERS: usize = 3;
/// Drivers are taken until they cover this percentage of the change.
pub const COVER_PERCENT: i64 = 80;
/// An opposite line is mentioned when it is at least this percentage of the change.
pub const OFFSET_PERCENT: i64 = 10;
/// Most opposite lines mentioned.
pub const MAX_OFFSETS: usize = 2;

/// The drivers and offsets of a change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub drivers: Vec<Line>,
    pub offsets: Vec<Line>,
}

/// Chooses drivers among `lines` for a change of `delta`; `None` when nothing moved the way
/// the total did (or the total did not move).
pub fn choose(lines: &[Line], delta: Money) -> Option<Choice> {
    let sign = delta.fen().signum();
    if sign == 0 {
        return None;
    }
    let whole = delta.fen().unsigned_abs() as i128;
    let mut same: Vec<&Line> = lines
        .iter()
        .filter(|l| l.delta.fen().signum() == sign)
        .collect();
    // stable sort: ties keep table order
    same.sort_by_key(|l| std::cmp::Reverse(l.delta.fen().unsigned_abs()));
    let mut drivers = Vec::new();
    let mut covered: i128 = 0;
    for l in same {
        drivers.push(l.clone());
        covered += l.delta.fen().unsigned_abs() as i128;
        if covered * 100 >= whole * COVER_PERCENT as i128 || drivers.len() == MAX_DRIVERS {
            break;
        }
    }
    if drivers.is_empty() {
        return None;
    }
    let mut offsets: Vec<&Line> = lines
        .iter()
        .filter(|l| l.delta.fen().signum() == -sign)
        .filter(|l| l.delta.fen().unsigned_abs() as i128 * 100 >= whole * OFFSET_PERCENT as i128)
        .collect();
    offsets.sort_by_key(|l| std::cmp::Reverse(l.delta.fen().unsigned_abs()));
    offsets.truncate(MAX_OFFSETS);
    Some(Choice {
        drivers,
        offsets: offsets.into_iter().cloned().collect(),
    })
}

fn word(m: Money) -> &'static str {
    if m.fen() < 0 {
        "减少"
    } else {
        "增加"
    }
}

fn amount(m: Money) -> String {
    format!("{}万元", m.abs().format_wan())
}

/// "A减少1.00万元、B减少2.00万元"
fn list(lines: &[Line]) -> String {
    lines
        .iter()
        .map(|l| format!("{}{}{}", l.label, word(l.delta), amount(l.delta)))
        .collect::<Vec<_>>()
        .join("、")
}

/// The draft of a change of `delta` with the chosen lines.
pub fn render(by: Dimension, source: String, choice: Choice, delta: Money) -> Draft {
    let total: Money = choice.drivers.iter().map(|l| l.delta).sum();
    let share = Percent::of(total.abs(), delta.abs());
    let w = word(delta);
    // "100%" only when exactly all of it, as juesuan-derive phrases 完成率
    let exact = total.abs() == delta.abs();
    let mut sentence = if exact && choice.offsets.is_empty() {
        // all of the change: no "主要是", no share
        match choice.drivers.len() {
            1 => format!("全部为{}", list(&choice.drivers)),
            _ => format!("{}，合计{w}{}", list(&choice.drivers), amount(total)),
        }
    } else {
        let mut s = format!("主要是{}", list(&choice.drivers));
        if choice.drivers.len() > 1 {
            s.push_str(&format!("，合计{w}{}", amount(total)));
        }
        // "100%" only when exactly all of it, as juesuan-derive phrases 完成率
        match share {
            Some(_) if exact => s.push_str(&format!("，占{w}额的100%")),
            Some(p) if p.0 > 10_000 => s.push_str(&format!("，相当于{w}额的{}", p.display())),
            Some(p) => s.push_str(&format!("，占{w}额的{}", p.display())),
            None => {}
        }
        s
    };
    if !choice.offsets.is_empty() {
        sentence.push_str(&format!(
            "；同时{}，部分抵消了上述{w}",
            list(&choice.offsets)
        ));
    }
    sentence.push('。');
    Draft {
        by,
        source,
        drivers: choice.drivers,
        offsets: choice.offsets,
        drivers_total: total,
        share,
        sentence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(label: &str, delta_cents: i64) -> Line {
        Line {
            table: "T5".into(),
            row: label.into(),
            unit: None,
            label: label.into(),
            current: Money::ZERO,
            base: Money::from_wan_cents(-delta_cents),
            delta: Money::from_wan_cents(delta_cents),
        }
    }

    #[test]
    fn drivers_stop_at_80_percent() {
        let lines = [
            line("A", -10),
            line("B", -700),
            line("C", -200),
            line("D", -90),
        ];
        let c = choose(&lines, Money::from_wan_cents(-1000)).unwrap();
        let names: Vec<&str> = c.drivers.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(names, ["B", "C"]);
        assert!(c.offsets.is_empty());
    }

    #[test]
    fn at_most_three_drivers_and_offsets_that_matter() {
        let lines = [
            line("A", 300),
            line("B", 300),
            line("C", 300),
            line("D", 300),
            line("E", -150),
            line("F", -50),
        ];
        let c = choose(&lines, Money::from_wan_cents(1050)).unwrap();
        let names: Vec<&str> = c.drivers.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(names, ["A", "B", "C"], "ties keep table order");
        let off: Vec<&str> = c.offsets.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(off, ["E"], "F is under 10% of the change");
        let d = render(
            Dimension::Items,
            "表5".into(),
            c,
            Money::from_wan_cents(1050),
        );
        assert_eq!(
            d.sentence,
            "主要是A增加3.00万元、B增加3.00万元、C增加3.00万元，合计增加9.00万元，占增加额的85.71%；同时E减少1.50万元，部分抵消了上述增加。"
        );
    }

    #[test]
    fn one_line_that_is_all_of_it() {
        let c = choose(&[line("A", -5)], Money::from_wan_cents(-5)).unwrap();
        let d = render(Dimension::Units, "表5".into(), c, Money::from_wan_cents(-5));
        assert_eq!(d.sentence, "全部为A减少0.05万元。");
        let two = [line("A", -3), line("B", -2)];
        let c = choose(&two, Money::from_wan_cents(-5)).unwrap();
        let d = render(Dimension::Units, "表5".into(), c, Money::from_wan_cents(-5));
        assert_eq!(
            d.sentence,
            "A减少0.03万元、B减少0.02万元，合计减少0.05万元。"
        );
    }

    #[test]
    fn nothing_to_say_without_a_same_sign_line() {
        assert_eq!(choose(&[line("A", 5)], Money::from_wan_cents(-5)), None);
        assert_eq!(choose(&[line("A", 5)], Money::ZERO), None);
    }
}
