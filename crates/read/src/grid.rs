//! A table's cell grid, whatever it was printed with: the ruling lines of a PDF (merged cells
//! are the ones whose inner borders are missing), the words' positions when a PDF has no
//! rules, the cells of a DOCX table (gridSpan, vMerge), or the tab-separated cells of text.

use crate::lines::VisualLine;
use crate::pdf::{Rule, Word};

/// A cell of the grid; a merged cell covers `rowspan` × `colspan` elementary cells.
#[derive(Clone, Debug, PartialEq)]
pub struct GridCell {
    pub row: usize,
    pub col: usize,
    pub rowspan: usize,
    pub colspan: usize,
    pub text: String,
    /// The visual line (index into the lines given) the cell's first word is on.
    pub line: Option<usize>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Grid {
    pub nrows: usize,
    pub ncols: usize,
    /// Row-major; every elementary cell is covered by exactly one cell.
    pub cells: Vec<GridCell>,
}

impl Grid {
    /// The cells that start in row `r`, left to right.
    pub fn row(&self, r: usize) -> impl Iterator<Item = &GridCell> {
        self.cells.iter().filter(move |c| c.row == r)
    }

    /// The cell covering (row, col).
    pub fn at(&self, r: usize, c: usize) -> Option<&GridCell> {
        self.cells
            .iter()
            .find(|x| x.row <= r && r < x.row + x.rowspan && x.col <= c && c < x.col + x.colspan)
    }
}

/// Joins the words of one cell: lines one after another (a name wrapped inside its cell is one
/// name again), words on a line with a space only between two ASCII words.
pub fn join_words(words: &[&Word]) -> String {
    let mut ws: Vec<&Word> = words.to_vec();
    ws.sort_by(|a, b| a.ymid().total_cmp(&b.ymid()));
    // group into lines by vertical overlap, then left to right
    let mut lines: Vec<Vec<&Word>> = Vec::new();
    for w in ws {
        match lines.last_mut() {
            Some(l)
                if l.iter().any(|o| {
                    (o.y1.min(w.y1) - o.y0.max(w.y0)) > 0.5 * o.height().min(w.height())
                }) =>
            {
                l.push(w)
            }
            _ => lines.push(vec![w]),
        }
    }
    let mut out = String::new();
    for mut l in lines {
        l.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        for w in l {
            let ascii_join = out
                .chars()
                .last()
                .is_some_and(|c| c.is_ascii_alphanumeric())
                && w.text
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric());
            if ascii_join {
                out.push(' ');
            }
            out.push_str(&w.text);
        }
    }
    out
}

fn cluster(mut v: Vec<f32>, tol: f32) -> Vec<f32> {
    v.sort_by(f32::total_cmp);
    let mut out: Vec<(f32, usize)> = Vec::new();
    for x in v {
        match out.last_mut() {
            Some((c, n)) if (x - *c / *n as f32).abs() <= tol => {
                *c += x;
                *n += 1;
            }
            _ => out.push((x, 1)),
        }
    }
    out.into_iter().map(|(c, n)| c / n as f32).collect()
}

/// The grid the ruling lines draw, with the words inside it. `None` when the rules do not
/// make a table (fewer than two columns or rows) — the caller then lays out by positions.
pub fn from_rules(rules: &[Rule], lines: &[VisualLine]) -> Option<Grid> {
    const TOL: f32 = 2.0;
    let hs: Vec<&Rule> = rules.iter().filter(|r| r.horizontal()).collect();
    let vs: Vec<&Rule> = rules.iter().filter(|r| !r.horizontal()).collect();
    let xs = cluster(vs.iter().map(|r| r.x0).collect(), TOL);
    let ys = cluster(hs.iter().map(|r| r.y0).collect(), TOL);
    if xs.len() < 3 || ys.len() < 2 {
        return None;
    }
    let (nr, nc) = (ys.len() - 1, xs.len() - 1);
    // is there a border along x = xs[k] between ys[i] and ys[i+1]?
    let vborder = |k: usize, i: usize| -> bool {
        let (a, b) = (ys[i], ys[i + 1]);
        let need = (b - a) * 0.6;
        let covered: f32 = vs
            .iter()
            .filter(|r| (r.x0 - xs[k]).abs() <= TOL)
            .map(|r| (r.y1.min(b) - r.y0.max(a)).max(0.0))
            .sum();
        covered >= need
    };
    let hborder = |i: usize, j: usize| -> bool {
        let (a, b) = (xs[j], xs[j + 1]);
        let need = (b - a) * 0.6;
        let covered: f32 = hs
            .iter()
            .filter(|r| (r.y0 - ys[i]).abs() <= TOL)
            .map(|r| (r.x1.min(b) - r.x0.max(a)).max(0.0))
            .sum();
        covered >= need
    };
    // union-find over elementary cells
    let mut parent: Vec<usize> = (0..nr * nc).collect();
    fn find(p: &mut [usize], x: usize) -> usize {
        let mut r = x;
        while p[r] != r {
            r = p[r];
        }
        let mut x = x;
        while p[x] != r {
            let n = p[x];
            p[x] = r;
            x = n;
        }
        r
    }
    for i in 0..nr {
        for j in 0..nc {
            if j + 1 < nc && !vborder(j + 1, i) {
                let (a, b) = (
                    find(&mut parent, i * nc + j),
                    find(&mut parent, i * nc + j + 1),
                );
                parent[a] = b;
            }
            if i + 1 < nr && !hborder(i + 1, j) {
                let (a, b) = (
                    find(&mut parent, i * nc + j),
                    find(&mut parent, (i + 1) * nc + j),
                );
                parent[a] = b;
            }
        }
    }
    // each component's bounding rectangle
    let mut comp: std::collections::BTreeMap<usize, (usize, usize, usize, usize)> =
        std::collections::BTreeMap::new();
    for i in 0..nr {
        for j in 0..nc {
            let r = find(&mut parent, i * nc + j);
            let e = comp.entry(r).or_insert((i, j, i, j));
            e.0 = e.0.min(i);
            e.1 = e.1.min(j);
            e.2 = e.2.max(i);
            e.3 = e.3.max(j);
        }
    }
    let mut taken = vec![false; nr * nc];
    let mut rects: Vec<(usize, usize, usize, usize)> = comp.into_values().collect();
    rects.sort();
    let mut cells = Vec::new();
    for (r0, c0, r1, c1) in rects {
        // irregular merges: keep the part not yet covered by an earlier cell
        if (r0..=r1).any(|i| (c0..=c1).any(|j| taken[i * nc + j])) {
            for i in r0..=r1 {
                for j in c0..=c1 {
                    if !taken[i * nc + j] {
                        taken[i * nc + j] = true;
                        cells.push((i, j, 1, 1));
                    }
                }
            }
            continue;
        }
        for i in r0..=r1 {
            for j in c0..=c1 {
                taken[i * nc + j] = true;
            }
        }
        cells.push((r0, c0, r1 - r0 + 1, c1 - c0 + 1));
    }
    cells.sort();
    let mut grid = Grid {
        nrows: nr,
        ncols: nc,
        cells: cells
            .into_iter()
            .map(|(row, col, rowspan, colspan)| GridCell {
                row,
                col,
                rowspan,
                colspan,
                text: String::new(),
                line: None,
            })
            .collect(),
    };
    // words into the cell their centre falls in
    let mut inside: Vec<Vec<(&Word, usize)>> = vec![Vec::new(); grid.cells.len()];
    let mut any = false;
    for (li, l) in lines.iter().enumerate() {
        let mut placed = false;
        for w in &l.words {
            let (x, y) = (w.xmid(), w.ymid());
            if x < xs[0] || x > xs[nc] || y < ys[0] || y > ys[nr] {
                continue;
            }
            let j = xs
                .partition_point(|v| *v <= x)
                .saturating_sub(1)
                .min(nc - 1);
            let i = ys
                .partition_point(|v| *v <= y)
                .saturating_sub(1)
                .min(nr - 1);
            if let Some(ci) = grid.cells.iter().position(|c| {
                c.row <= i && i < c.row + c.rowspan && c.col <= j && j < c.col + c.colspan
            }) {
                inside[ci].push((w, li));
                any = true;
                placed = true;
            }
        }
        // a line outside the ruled area (a continued page whose first row has no top
        // border): these rules are not the whole table, and its words would be lost
        if !placed && !l.words.is_empty() {
            return None;
        }
    }
    if !any {
        return None;
    }
    for (ci, ws) in inside.iter().enumerate() {
        let words: Vec<&Word> = ws.iter().map(|(w, _)| *w).collect();
        grid.cells[ci].text = join_words(&words);
        grid.cells[ci].line = ws.iter().map(|(_, l)| *l).min();
    }
    Some(grid)
}

/// A grid from positions alone: one row per line, columns where the words of the body lines
/// line up (their horizontal extents overlap); a header word over several columns spans them.
/// `body_from` is the first line that holds figures (lines before it are headers).
pub fn from_positions(lines: &[VisualLine], body_from: usize, em: f32) -> Grid {
    // column extents from the body's words
    let mut spans: Vec<(f32, f32)> = lines[body_from.min(lines.len())..]
        .iter()
        .flat_map(|l| cells_of(l, em))
        .map(|(x0, x1, _)| (x0, x1))
        .collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut cols: Vec<(f32, f32)> = Vec::new();
    for (x0, x1) in spans {
        match cols.last_mut() {
            Some(c) if x0 < c.1 - 0.2 * em => c.1 = c.1.max(x1),
            _ => cols.push((x0, x1)),
        }
    }
    if cols.is_empty() {
        cols.push((0.0, f32::MAX));
    }
    let ncols = cols.len();
    let col_of = |x: f32| -> usize {
        cols.iter()
            .position(|c| x <= c.1)
            .unwrap_or(ncols - 1)
            .min(ncols - 1)
    };
    let mut cells = Vec::new();
    for (li, l) in lines.iter().enumerate() {
        let mut row: Vec<GridCell> = Vec::new();
        for (x0, x1, text) in cells_of(l, em) {
            let (a, b) = if li < body_from {
                // a header word covers every column it overlaps
                let a = cols.iter().position(|c| c.1 > x0).unwrap_or(ncols - 1);
                let b = cols.iter().rposition(|c| c.0 < x1).unwrap_or(a).max(a);
                (a, b)
            } else {
                let c = col_of((x0 + x1) / 2.0);
                (c, c)
            };
            match row.iter_mut().find(|c| c.col <= b && a < c.col + c.colspan) {
                Some(c) => {
                    c.text.push_str(&text);
                    let end = (c.col + c.colspan - 1).max(b);
                    c.col = c.col.min(a);
                    c.colspan = end - c.col + 1;
                }
                None => row.push(GridCell {
                    row: li,
                    col: a,
                    rowspan: 1,
                    colspan: b - a + 1,
                    text,
                    line: Some(li),
                }),
            }
        }
        row.sort_by_key(|c| c.col);
        // blank cells, so that every elementary cell is covered
        let mut j = 0;
        let mut full = Vec::new();
        for c in row {
            while j < c.col {
                full.push(blank(li, j));
                j += 1;
            }
            j = c.col + c.colspan;
            full.push(c);
        }
        while j < ncols {
            full.push(blank(li, j));
            j += 1;
        }
        cells.extend(full);
    }
    Grid {
        nrows: lines.len(),
        ncols,
        cells,
    }
}

fn blank(row: usize, col: usize) -> GridCell {
    GridCell {
        row,
        col,
        rowspan: 1,
        colspan: 1,
        text: String::new(),
        line: None,
    }
}

/// The cells of one line laid out by positions: words closer than a character are one cell.
fn cells_of(l: &VisualLine, em: f32) -> Vec<(f32, f32, String)> {
    let mut out: Vec<(f32, f32, Vec<&Word>)> = Vec::new();
    for w in &l.words {
        let figure = crate::cell::is_value(&w.text);
        match out.last_mut() {
            Some((_, x1, ws))
                if w.x0 - *x1 < 0.6 * em
                    && !figure
                    && !ws.last().is_some_and(|p| crate::cell::is_value(&p.text)) =>
            {
                *x1 = w.x1;
                ws.push(w);
            }
            _ => out.push((w.x0, w.x1, vec![w])),
        }
    }
    out.into_iter()
        .map(|(a, b, ws)| (a, b, join_words(&ws)))
        .collect()
}

/// Cells of text lines: each line a row, cells in order (tabs, or runs of two or more spaces).
pub fn from_text(lines: &[&str]) -> Grid {
    let rows: Vec<(bool, Vec<String>)> = lines
        .iter()
        .map(|l| {
            if l.contains('\t') {
                (true, l.split('\t').map(|s| s.trim().to_string()).collect())
            } else {
                (false, split_spaces(l))
            }
        })
        .collect();
    let ncols = rows.iter().map(|r| r.1.len()).max().unwrap_or(0);
    let mut cells = Vec::new();
    for (r, (tabs, parts)) in rows.into_iter().enumerate() {
        // space-separated text drops an empty first cell ("    合计    121.03" under 科目编码 |
        // 科目名称): a short row that ends in a figure is aligned on its last column
        let shift = if !tabs && parts.last().is_some_and(|p| crate::cell::is_value(p)) {
            ncols - parts.len()
        } else {
            0
        };
        for (c, text) in parts.into_iter().enumerate() {
            cells.push(GridCell {
                row: r,
                col: c + shift,
                rowspan: 1,
                colspan: 1,
                text,
                line: Some(r),
            });
        }
    }
    Grid {
        nrows: lines.len(),
        ncols,
        cells,
    }
}

/// "一、财政拨款   13,297.11 一、一般公共服务支出" → cells; a figure followed by one space and a
/// name is two cells.
fn split_spaces(l: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for chunk in l
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .flat_map(|c| c.split('\u{3000}'))
    {
        let mut cur = String::new();
        for tok in chunk.split(' ').filter(|t| !t.is_empty()) {
            let v = crate::cell::is_value(tok);
            if !cur.is_empty() && (v || crate::cell::is_value(&cur)) {
                out.push(std::mem::take(&mut cur));
            }
            cur.push_str(tok);
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(text: &str, x0: f32, x1: f32, y0: f32) -> Word {
        Word::at(text, x0, x1, y0)
    }
    fn h(y: f32, x0: f32, x1: f32) -> Rule {
        Rule {
            x0,
            x1,
            y0: y,
            y1: y,
        }
    }
    fn v(x: f32, y0: f32, y1: f32) -> Rule {
        Rule {
            x0: x,
            x1: x,
            y0,
            y1,
        }
    }

    /// A 2-row header whose first cell spans both rows and whose second spans two columns.
    #[test]
    fn missing_inner_borders_are_merged_cells() {
        let rules = vec![
            h(0.0, 0.0, 300.0),
            h(20.0, 100.0, 300.0), // no border under 合计: it spans two rows
            h(40.0, 0.0, 300.0),
            h(60.0, 0.0, 300.0),
            v(0.0, 0.0, 60.0),
            v(100.0, 0.0, 60.0),
            v(200.0, 20.0, 60.0), // 其中 spans columns 2 and 3
            v(300.0, 0.0, 60.0),
        ];
        let words = vec![
            w("合计", 40.0, 60.0, 15.0),
            w("其中", 190.0, 210.0, 5.0),
            w("基本", 140.0, 160.0, 25.0),
            w("项目", 240.0, 260.0, 25.0),
            w("10.00", 60.0, 95.0, 45.0),
            w("4.00", 170.0, 195.0, 45.0),
            w("6.00", 270.0, 295.0, 45.0),
        ];
        let lines = crate::lines::visual_lines(&words);
        let g = from_rules(&rules, &lines).unwrap();
        assert_eq!((g.nrows, g.ncols), (3, 3));
        let c = g.at(1, 0).unwrap();
        assert_eq!((c.row, c.rowspan, c.text.as_str()), (0, 2, "合计"));
        let c = g.at(0, 2).unwrap();
        assert_eq!((c.col, c.colspan, c.text.as_str()), (1, 2, "其中"));
        let body: Vec<&str> = g.row(2).map(|c| c.text.as_str()).collect();
        assert_eq!(body, ["10.00", "4.00", "6.00"]);
    }

    /// A continued page whose first row has no top border: the rules do not cover it, and a
    /// grid from them would lose the row.
    #[test]
    fn rules_that_leave_a_line_outside_are_no_grid() {
        let rules = vec![
            h(20.0, 0.0, 300.0),
            h(40.0, 0.0, 300.0),
            v(0.0, 20.0, 40.0),
            v(100.0, 20.0, 40.0),
            v(200.0, 20.0, 40.0),
            v(300.0, 20.0, 40.0),
        ];
        let words = vec![
            w("30206", 5.0, 40.0, 5.0),
            w("电费", 110.0, 130.0, 5.0),
            w("235.00", 250.0, 290.0, 5.0),
            w("30207", 5.0, 40.0, 25.0),
            w("邮电费", 110.0, 140.0, 25.0),
            w("105.00", 250.0, 290.0, 25.0),
        ];
        let lines = crate::lines::visual_lines(&words);
        assert!(from_rules(&rules, &lines).is_none());
        assert!(from_rules(&rules, &lines[1..]).is_some());
    }

    #[test]
    fn positions_give_columns_and_header_spans() {
        let words = vec![
            w("项目", 0.0, 20.0, 0.0),
            w("金额", 60.0, 80.0, 0.0),
            w("一、财政拨款", 0.0, 60.0, 20.0),
            w("13,297.11", 62.0, 100.0, 20.0),
            w("二、外交支出", 102.0, 160.0, 20.0),
            w("1.一般公共预算", 5.0, 55.0, 40.0),
            w("80.00", 82.0, 100.0, 40.0),
        ];
        let lines = crate::lines::visual_lines(&words);
        let g = from_positions(&lines, 1, 10.0);
        assert_eq!(g.ncols, 3);
        let row1: Vec<&str> = g.row(1).map(|c| c.text.as_str()).collect();
        assert_eq!(row1, ["一、财政拨款", "13,297.11", "二、外交支出"]);
        let row2: Vec<&str> = g.row(2).map(|c| c.text.as_str()).collect();
        assert_eq!(row2, ["1.一般公共预算", "80.00", ""]);
    }

    #[test]
    fn text_cells_split_a_figure_from_the_next_name() {
        assert_eq!(
            split_spaces("一、财政拨款              13,297.11 一、一般公共服务支出"),
            ["一、财政拨款", "13,297.11", "一、一般公共服务支出"]
        );
    }
}
