//! Lines rebuilt from positioned words: words whose vertical extents overlap are on one line,
//! in left-to-right order. The line's text keeps the layout the way `pdftotext -layout` does:
//! a first-line indent as leading spaces, a gap of more than two characters as two spaces (a
//! column boundary), a smaller gap as one space.

use crate::pdf::Word;

/// One visual line of a page.
#[derive(Clone, Debug)]
pub struct VisualLine {
    pub words: Vec<Word>,
    pub y0: f32,
    pub y1: f32,
}

impl VisualLine {
    pub fn x0(&self) -> f32 {
        self.words.first().map_or(0.0, |w| w.x0)
    }
}

/// The typical character size of a page: the median word height.
pub fn em(words: &[Word]) -> f32 {
    let mut h: Vec<f32> = words
        .iter()
        .map(Word::height)
        .filter(|h| *h > 0.0)
        .collect();
    if h.is_empty() {
        return 10.0;
    }
    h.sort_by(f32::total_cmp);
    h[h.len() / 2]
}

/// Words grouped into lines, top to bottom.
pub fn visual_lines(words: &[Word]) -> Vec<VisualLine> {
    let mut sorted: Vec<&Word> = words.iter().collect();
    sorted.sort_by(|a, b| a.ymid().total_cmp(&b.ymid()).then(a.x0.total_cmp(&b.x0)));
    let mut lines: Vec<VisualLine> = Vec::new();
    for w in sorted {
        // the line it overlaps most, among the last few (lines are built top-down)
        let best = lines
            .iter_mut()
            .rev()
            .take(4)
            .filter_map(|l| {
                let overlap = (l.y1.min(w.y1) - l.y0.max(w.y0)).max(0.0);
                let smaller = (l.y1 - l.y0).min(w.height()).max(0.1);
                (overlap / smaller >= 0.5).then_some((overlap / smaller, l))
            })
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, l)| l);
        match best {
            Some(l) => {
                l.y0 = l.y0.min(w.y0);
                l.y1 = l.y1.max(w.y1);
                l.words.push(w.clone());
            }
            None => lines.push(VisualLine {
                words: vec![w.clone()],
                y0: w.y0,
                y1: w.y1,
            }),
        }
    }
    for l in &mut lines {
        l.words.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    }
    lines.sort_by(|a, b| a.y0.total_cmp(&b.y0));
    lines
}

/// A line's text, with the layout's spacing; `left` is the page's text margin.
pub fn layout_text(line: &VisualLine, left: f32, em: f32) -> String {
    let mut out = String::new();
    // justified CJK lines start up to half an em right of the margin: not an indent
    let indent = ((line.x0() - left) / em - 0.4).round();
    if indent >= 1.0 {
        out.push_str(&" ".repeat((indent as usize).min(60)));
    }
    let mut prev: Option<&Word> = None;
    for w in &line.words {
        if let Some(p) = prev {
            let gap = w.x0 - p.x1;
            if gap > 2.0 * em {
                out.push_str("    ");
            } else if gap > 0.15 * em {
                out.push(' ');
            }
        }
        out.push_str(&w.text);
        prev = Some(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(text: &str, x0: f32, x1: f32, y0: f32) -> Word {
        Word::at(text, x0, x1, y0)
    }

    #[test]
    fn words_on_one_baseline_make_one_line_in_x_order() {
        let words = vec![
            w("13,297.11", 228.0, 274.0, 159.0),
            w("一、财政拨款", 44.0, 105.0, 159.2),
            w("1.一般公共预算", 59.0, 130.0, 175.0),
            w("一、一般公共服务支出", 277.7, 378.0, 159.1),
        ];
        let lines = visual_lines(&words);
        assert_eq!(lines.len(), 2);
        let texts: Vec<&str> = lines[0].words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["一、财政拨款", "13,297.11", "一、一般公共服务支出"]);
        assert_eq!(
            layout_text(&lines[0], 44.0, 10.0),
            "一、财政拨款    13,297.11 一、一般公共服务支出"
        );
        assert_eq!(layout_text(&lines[1], 44.0, 10.0), " 1.一般公共预算");
    }
}
