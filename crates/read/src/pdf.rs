//! A PDF's pages as positioned words and ruling lines, both in display space (points, origin at
//! the top left of the page as it is shown, /Rotate applied).
//!
//! Words come from poppler (`pdftotext -bbox`): it maps CJK CID fonts through their ToUnicode
//! tables, which is what government PDFs (WPS, Word, Excel, the 决算 software) need. Ruling
//! lines — the borders of table cells, which poppler's tools do not report — come from the
//! page content streams, read with lopdf: stroked segments and thin filled rectangles.

use lopdf::content::Content;
use lopdf::{Document, Object, ObjectId};
use std::path::Path;

/// A word as poppler segments it: a run of glyphs without a space.
#[derive(Clone, Debug, PartialEq)]
pub struct Word {
    pub text: String,
    pub x0: f32,
    pub x1: f32,
    pub y0: f32,
    pub y1: f32,
}

impl Word {
    /// A test word 10 units high with its top at `y0`.
    #[cfg(test)]
    pub(crate) fn at(text: &str, x0: f32, x1: f32, y0: f32) -> Word {
        Word {
            text: text.into(),
            x0,
            x1,
            y0,
            y1: y0 + 10.0,
        }
    }

    pub fn height(&self) -> f32 {
        self.y1 - self.y0
    }
    pub fn xmid(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }
    pub fn ymid(&self) -> f32 {
        (self.y0 + self.y1) / 2.0
    }
}

/// A straight ruling line: horizontal (`y0 == y1`) or vertical (`x0 == x1`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rule {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl Rule {
    pub fn horizontal(&self) -> bool {
        self.y0 == self.y1
    }
}

#[derive(Clone, Debug, Default)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub words: Vec<Word>,
    pub rules: Vec<Rule>,
}

/// Every page of the PDF at `path`.
pub fn read_pages(path: &Path) -> Result<Vec<Page>, String> {
    let name = path.display();
    let out = std::process::Command::new("pdftotext")
        .arg("-bbox")
        .arg(path)
        .arg("-")
        .output()
        .map_err(|e| {
            format!("{name}：读取 PDF 需要 pdftotext（poppler-utils，scripts/setup 会安装）：{e}")
        })?;
    if !out.status.success() {
        return Err(format!(
            "{name}：不是可读取的 PDF（{}）",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let mut pages = parse_bbox(&String::from_utf8_lossy(&out.stdout));
    // Ruling lines are a bonus: a PDF lopdf cannot parse is still read, its tables then laid
    // out from the words' positions alone.
    if let Ok(doc) = Document::load(path) {
        for (i, (_, id)) in doc.get_pages().into_iter().enumerate() {
            if let Some(page) = pages.get_mut(i) {
                if let Some((w, h, rules)) = page_rules(&doc, id) {
                    page.width = w;
                    page.height = h;
                    page.rules = rules;
                }
            }
        }
    }
    Ok(pages)
}

fn attr(tag: &str, name: &str) -> Option<f32> {
    let at = tag.find(&format!("{name}=\""))? + name.len() + 2;
    let end = tag[at..].find('"')? + at;
    tag[at..end].parse().ok()
}

fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The pages and words of `pdftotext -bbox` output (an XHTML document of regular shape).
fn parse_bbox(html: &str) -> Vec<Page> {
    let mut pages: Vec<Page> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let Some(end) = rest.find('>') else { break };
        let tag = &rest[..=end];
        if tag.starts_with("<page ") {
            pages.push(Page {
                width: attr(tag, "width").unwrap_or(0.0),
                height: attr(tag, "height").unwrap_or(0.0),
                ..Page::default()
            });
        } else if tag.starts_with("<word ") {
            let body = &rest[end + 1..];
            let close = body.find("</word>").unwrap_or(body.len());
            let text = unescape(&body[..close]);
            if let (Some(page), Some(x0), Some(y0), Some(x1), Some(y1)) = (
                pages.last_mut(),
                attr(tag, "xMin"),
                attr(tag, "yMin"),
                attr(tag, "xMax"),
                attr(tag, "yMax"),
            ) {
                if !text.trim().is_empty() {
                    page.words.push(Word {
                        text,
                        x0,
                        x1,
                        y0,
                        y1,
                    });
                }
            }
            rest = &body[close..];
            continue;
        }
        rest = &rest[end + 1..];
    }
    pages
}

type Matrix = [f32; 6];

fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn apply(m: &Matrix, x: f32, y: f32) -> (f32, f32) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

fn num(o: &Object) -> f32 {
    match o {
        Object::Integer(i) => *i as f32,
        Object::Real(r) => *r,
        _ => 0.0,
    }
}

fn nums(ops: &[Object]) -> Vec<f32> {
    ops.iter().map(num).collect()
}

/// A path segment in user space as drawn, before it is known to be painted.
#[derive(Clone, Copy)]
enum Piece {
    Line((f32, f32), (f32, f32)),
    /// A rectangle; `stroked` when its outline is painted, not only its inside.
    Rect([(f32, f32); 4], bool),
}

/// The page's display size and its ruling lines in display space.
fn page_rules(doc: &Document, id: ObjectId) -> Option<(f32, f32, Vec<Rule>)> {
    let dict = doc.get_dictionary(id).ok()?;
    let inherited = |key: &[u8]| -> Option<Object> {
        let mut d = dict;
        for _ in 0..16 {
            if let Ok(v) = d.get(key) {
                return Some(match v {
                    Object::Reference(r) => doc.get_object(*r).ok()?.clone(),
                    o => o.clone(),
                });
            }
            let parent = d.get(b"Parent").ok()?.as_reference().ok()?;
            d = doc.get_dictionary(parent).ok()?;
        }
        None
    };
    let bbox = inherited(b"CropBox")
        .or_else(|| inherited(b"MediaBox"))
        .and_then(|o| o.as_array().ok().map(|a| nums(a)))
        .filter(|b| b.len() == 4)?;
    let (bx0, by0, bx1, by1) = (
        bbox[0].min(bbox[2]),
        bbox[1].min(bbox[3]),
        bbox[0].max(bbox[2]),
        bbox[1].max(bbox[3]),
    );
    let rotate = inherited(b"Rotate")
        .and_then(|o| o.as_i64().ok())
        .unwrap_or(0)
        .rem_euclid(360);
    let (w, h) = (bx1 - bx0, by1 - by0);
    // user space → display space (y down), as poppler places its words
    let to_display = |(x, y): (f32, f32)| -> (f32, f32) {
        match rotate {
            90 => (y - by0, x - bx0),
            180 => (bx1 - x, y - by0),
            270 => (by1 - y, bx1 - x),
            _ => (x - bx0, by1 - y),
        }
    };
    let (dw, dh) = if rotate == 90 || rotate == 270 {
        (h, w)
    } else {
        (w, h)
    };
    let content = doc.get_page_content(id);
    let resources = doc.get_page_resources(id).ok();
    let mut user: Vec<Piece> = Vec::new();
    let mut budget = 200_000usize;
    let res_dicts: Vec<&lopdf::Dictionary> = match &resources {
        Some((Some(d), ids)) => std::iter::once(*d)
            .chain(ids.iter().filter_map(|i| doc.get_dictionary(*i).ok()))
            .collect(),
        Some((None, ids)) => ids
            .iter()
            .filter_map(|i| doc.get_dictionary(*i).ok())
            .collect(),
        None => Vec::new(),
    };
    interpret(
        doc,
        &content,
        [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
        &res_dicts,
        0,
        &mut budget,
        &mut user,
    );
    let mut rules = Vec::new();
    for p in user {
        match p {
            Piece::Line(a, b) => {
                let (a, b) = (to_display(a), to_display(b));
                push_rule(&mut rules, a, b, 0.0);
            }
            Piece::Rect(corners, stroked) => {
                let c: Vec<(f32, f32)> = corners.iter().map(|&p| to_display(p)).collect();
                let xs = c.iter().map(|p| p.0);
                let ys = c.iter().map(|p| p.1);
                let (x0, x1) = (
                    xs.clone().fold(f32::MAX, f32::min),
                    xs.fold(f32::MIN, f32::max),
                );
                let (y0, y1) = (
                    ys.clone().fold(f32::MAX, f32::min),
                    ys.fold(f32::MIN, f32::max),
                );
                let (rw, rh) = (x1 - x0, y1 - y0);
                if rh <= 2.0 && rw > rh {
                    push_rule(
                        &mut rules,
                        (x0, (y0 + y1) / 2.0),
                        (x1, (y0 + y1) / 2.0),
                        0.0,
                    );
                } else if rw <= 2.0 && rh > rw {
                    push_rule(
                        &mut rules,
                        ((x0 + x1) / 2.0, y0),
                        ((x0 + x1) / 2.0, y1),
                        0.0,
                    );
                } else if stroked && (rw < dw * 0.9 || rh < dh * 0.9) {
                    // a stroked box: its four sides (cell borders drawn as boxes); a filled
                    // one is shading, whose edges are often the cell padding, not a border
                    push_rule(&mut rules, (x0, y0), (x1, y0), 0.0);
                    push_rule(&mut rules, (x0, y1), (x1, y1), 0.0);
                    push_rule(&mut rules, (x0, y0), (x0, y1), 0.0);
                    push_rule(&mut rules, (x1, y0), (x1, y1), 0.0);
                }
            }
        }
    }
    Some((dw, dh, rules))
}

fn push_rule(rules: &mut Vec<Rule>, a: (f32, f32), b: (f32, f32), _w: f32) {
    let (dx, dy) = ((a.0 - b.0).abs(), (a.1 - b.1).abs());
    if dy <= 1.0 && dx >= 2.0 {
        let y = (a.1 + b.1) / 2.0;
        rules.push(Rule {
            x0: a.0.min(b.0),
            x1: a.0.max(b.0),
            y0: y,
            y1: y,
        });
    } else if dx <= 1.0 && dy >= 2.0 {
        let x = (a.0 + b.0) / 2.0;
        rules.push(Rule {
            x0: x,
            x1: x,
            y0: a.1.min(b.1),
            y1: a.1.max(b.1),
        });
    }
}

/// Runs a content stream far enough to know which straight segments it paints.
fn interpret(
    doc: &Document,
    content: &[u8],
    base: Matrix,
    resources: &[&lopdf::Dictionary],
    depth: usize,
    budget: &mut usize,
    out: &mut Vec<Piece>,
) {
    let Ok(content) = Content::decode(content) else {
        return;
    };
    let mut ctm = base;
    let mut stack: Vec<Matrix> = Vec::new();
    let mut path: Vec<Piece> = Vec::new();
    let mut start = (0.0, 0.0);
    let mut current = (0.0, 0.0);
    let mut in_text = false;
    for op in content.operations {
        if *budget == 0 {
            return;
        }
        *budget -= 1;
        let a = nums(&op.operands);
        match op.operator.as_str() {
            "BT" => in_text = true,
            "ET" => in_text = false,
            _ if in_text => {}
            "q" => stack.push(ctm),
            "Q" => ctm = stack.pop().unwrap_or(base),
            "cm" if a.len() == 6 => {
                ctm = mul(&[a[0], a[1], a[2], a[3], a[4], a[5]], &ctm);
            }
            "m" if a.len() == 2 => {
                current = apply(&ctm, a[0], a[1]);
                start = current;
            }
            "l" if a.len() == 2 => {
                let p = apply(&ctm, a[0], a[1]);
                path.push(Piece::Line(current, p));
                current = p;
            }
            "c" if a.len() == 6 => current = apply(&ctm, a[4], a[5]),
            "v" | "y" if a.len() == 4 => current = apply(&ctm, a[2], a[3]),
            "h" => {
                path.push(Piece::Line(current, start));
                current = start;
            }
            "re" if a.len() == 4 => {
                let (x, y, w, h) = (a[0], a[1], a[2], a[3]);
                path.push(Piece::Rect(
                    [
                        apply(&ctm, x, y),
                        apply(&ctm, x + w, y),
                        apply(&ctm, x + w, y + h),
                        apply(&ctm, x, y + h),
                    ],
                    false,
                ));
                current = apply(&ctm, x, y);
                start = current;
            }
            "S" | "s" | "B" | "B*" | "b" | "b*" => {
                for p in &mut path {
                    if let Piece::Rect(_, stroked) = p {
                        *stroked = true;
                    }
                }
                out.append(&mut path)
            }
            "f" | "F" | "f*" => out.append(&mut path),
            "n" => path.clear(),
            "Do" if depth < 4 => {
                let Some(Object::Name(name)) = op.operands.first() else {
                    continue;
                };
                let Some(form) = resources.iter().find_map(|r| {
                    let xobjects = match r.get(b"XObject").ok()? {
                        Object::Reference(id) => doc.get_dictionary(*id).ok()?,
                        Object::Dictionary(d) => d,
                        _ => return None,
                    };
                    let id = xobjects.get(name).ok()?.as_reference().ok()?;
                    doc.get_object(id).ok()?.as_stream().ok()
                }) else {
                    continue;
                };
                let is_form = form
                    .dict
                    .get(b"Subtype")
                    .ok()
                    .and_then(|s| s.as_name().ok())
                    .is_some_and(|s| s == b"Form");
                if !is_form {
                    continue;
                }
                let matrix = form
                    .dict
                    .get(b"Matrix")
                    .ok()
                    .and_then(|m| m.as_array().ok())
                    .map(|m| nums(m))
                    .filter(|m| m.len() == 6)
                    .map(|m| [m[0], m[1], m[2], m[3], m[4], m[5]])
                    .unwrap_or([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
                let inner_res: Vec<&lopdf::Dictionary> = match form.dict.get(b"Resources") {
                    Ok(Object::Dictionary(d)) => vec![d],
                    Ok(Object::Reference(id)) => doc.get_dictionary(*id).ok().into_iter().collect(),
                    _ => resources.to_vec(),
                };
                let data = form
                    .decompressed_content()
                    .unwrap_or_else(|_| form.content.clone());
                interpret(
                    doc,
                    &data,
                    mul(&matrix, &ctm),
                    &inner_res,
                    depth + 1,
                    budget,
                    out,
                );
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bbox_words_are_parsed_and_unescaped() {
        let html = r#"<doc><page width="595.3" height="841.9">
<word xMin="10.5" yMin="20" xMax="30" yMax="32">收入&amp;支出</word>
<word xMin="40" yMin="20" xMax="60" yMax="32">1,234.50</word>
</page><page width="841.9" height="595.3"></page></doc>"#;
        let pages = parse_bbox(html);
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].words.len(), 2);
        assert_eq!(pages[0].words[0].text, "收入&支出");
        assert_eq!(pages[0].words[1].x0, 40.0);
        assert_eq!(pages[1].width, 841.9);
    }

    #[test]
    fn matrices_compose_like_pdf() {
        // translate then scale: cm operands pre-multiply the current matrix
        let t = [1.0, 0.0, 0.0, 1.0, 10.0, 20.0];
        let s = [2.0, 0.0, 0.0, 2.0, 0.0, 0.0];
        let m = mul(&s, &t);
        assert_eq!(apply(&m, 1.0, 1.0), (12.0, 22.0));
    }
}
