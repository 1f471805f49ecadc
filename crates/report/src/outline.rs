//! Numbering of headings and figures as the document goes: 第一部分 / 一、 / （一） / 1.

use crate::document::Block;

#[derive(Default)]
pub struct Outline {
    pub blocks: Vec<Block>,
    counters: [usize; 5],
    figures: usize,
}

impl Outline {
    /// Adds a heading numbered at its level; deeper levels restart.
    pub fn heading(&mut self, level: u8, text: &str) {
        let l = level.clamp(1, 4) as usize;
        self.counters[l] += 1;
        for c in &mut self.counters[l + 1..] {
            *c = 0;
        }
        let n = self.counters[l];
        let number = match l {
            1 => format!("第{}部分", chinese_number(n)),
            2 => format!("{}、", chinese_number(n)),
            3 => format!("（{}）", chinese_number(n)),
            _ => format!("{n}."),
        };
        self.blocks.push(Block::Heading {
            level: l as u8,
            number,
            text: text.to_string(),
        });
    }

    pub fn para(&mut self, text: impl Into<String>) {
        self.blocks.push(Block::paragraph(text));
    }

    pub fn push(&mut self, block: Block) {
        self.blocks.push(block);
    }

    /// The number of the next figure (图1, 图2, …).
    pub fn next_figure(&mut self) -> usize {
        self.figures += 1;
        self.figures
    }
}

/// 1 → 一, 10 → 十, 14 → 十四, 20 → 二十, 99 → 九十九.
pub fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { DIGITS[n - 10] }),
        20..=99 => format!(
            "{}十{}",
            DIGITS[n / 10],
            if n.is_multiple_of(10) {
                ""
            } else {
                DIGITS[n % 10]
            }
        ),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_levels() {
        assert_eq!(chinese_number(1), "一");
        assert_eq!(chinese_number(10), "十");
        assert_eq!(chinese_number(14), "十四");
        assert_eq!(chinese_number(21), "二十一");
        let mut o = Outline::default();
        o.heading(1, "a");
        o.heading(2, "b");
        o.heading(3, "c");
        o.heading(3, "d");
        o.heading(2, "e");
        o.heading(3, "f");
        o.heading(1, "g");
        o.heading(2, "h");
        let numbers: Vec<String> = o
            .blocks
            .iter()
            .map(|b| match b {
                Block::Heading { number, .. } => number.clone(),
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(
            numbers,
            [
                "第一部分",
                "一、",
                "（一）",
                "（二）",
                "二、",
                "（一）",
                "第二部分",
                "一、"
            ]
        );
    }
}
