//! One self-contained HTML file for a 决算公开 document: inline CSS, inline SVG charts, a 目录
//! with links, no scripts and nothing fetched. It is what the portal shows and what a browser
//! prints. Layout decisions only; every figure comes from the document as displayed.
//!
//! Not for PDF (pdf crate, through typst) or office formats (docx, xlsx crates).

pub mod svg;

use juesuan_report::{Block, Cell, DisplayTable, Document};

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root { --ink: #1a1a1a; --rule: #444; --muted: #666; }
* { box-sizing: border-box; }
body { margin: 0; background: #f3f3f0; color: var(--ink);
  font-family: FONT; font-size: 16px; line-height: 1.8; }
main { max-width: 900px; margin: 0 auto; background: #fff; padding: 48px 64px 64px; }
.cover { text-align: center; padding: 80px 0 40px; }
.cover h1 { font-size: 30px; letter-spacing: 2px; margin: 0 0 16px; }
.cover p { color: var(--muted); margin: 0; }
nav.toc { margin: 24px 0 48px; }
nav.toc h2 { text-align: center; font-size: 20px; }
nav.toc ol { list-style: none; padding: 0; margin: 0; }
nav.toc li.l1 { font-weight: bold; margin-top: 8px; }
nav.toc li.l2 { padding-left: 2em; }
nav.toc a { color: inherit; text-decoration: none; }
nav.toc a:hover { text-decoration: underline; }
h2 { font-size: 22px; text-align: center; margin: 48px 0 16px; }
h3 { font-size: 18px; margin: 28px 0 8px; }
h4 { font-size: 16px; margin: 16px 0 4px; }
h5 { font-size: 16px; margin: 12px 0 4px; font-weight: normal; }
p { text-indent: 2em; margin: 4px 0; text-align: justify; }
figure { margin: 16px auto; text-align: center; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 14px; color: var(--muted); }
.table-block { margin: 24px 0; page-break-inside: auto; }
.table-title { text-align: center; font-size: 18px; font-weight: bold; margin-bottom: 4px; }
.table-meta { display: flex; justify-content: space-between; font-size: 13px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; line-height: 1.4; }
th, td { border: 1px solid var(--rule); padding: 3px 5px; }
th { background: #f0f0ec; font-weight: bold; text-align: center; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { font-weight: bold; }
thead { display: table-header-group; }
.note { font-size: 13px; text-indent: 0; }
.page-break { break-after: page; }
.draft-mark { position: fixed; top: 40%; left: 0; right: 0; text-align: center;
  font-size: 160px; color: rgba(200, 0, 0, 0.12); transform: rotate(-30deg);
  pointer-events: none; z-index: 10; font-weight: bold; }
@media print {
  body { background: #fff; }
  main { max-width: none; padding: 0; }
  @page { size: A4; margin: 20mm 18mm; }
}
"#;

/// The whole document as HTML. `draft` adds a 草稿 mark over every page.
pub fn render(doc: &Document, draft: bool) -> String {
    let mut out = String::with_capacity(256 * 1024);
    out += "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n";
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    out += &format!("<title>{}</title>\n", escape(&doc.title));
    out += &format!(
        "<meta name=\"generator\" content=\"juesuan\">\n<style>{}</style>\n</head>\n<body>\n",
        STYLE.replace("FONT", svg::FONT)
    );
    if draft {
        out += "<div class=\"draft-mark\" aria-hidden=\"true\">草稿</div>\n";
    }
    out += "<main>\n<header class=\"cover\">\n";
    out += &format!("<h1>{}</h1>\n", escape(&doc.title));
    out += &format!("<p>{}</p>\n</header>\n", escape(&doc.entity));
    out += &toc(doc);
    let mut anchor = 0;
    for block in &doc.blocks {
        match block {
            Block::Heading {
                level,
                number,
                text,
            } => {
                anchor += 1;
                let h = level + 1;
                let sep = if number.ends_with('分') { " " } else { "" };
                out += &format!(
                    "<h{h} id=\"s{anchor}\">{}{sep}{}</h{h}>\n",
                    escape(number),
                    escape(text)
                );
            }
            Block::Paragraph { text } => out += &format!("<p>{}</p>\n", escape(text)),
            Block::Table(t) => out += &table(t),
            Block::Chart(c) => {
                out += &format!(
                    "<figure>\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
                    svg::chart_svg(c),
                    escape(&c.title)
                );
            }
            Block::PageBreak => out += "<div class=\"page-break\"></div>\n",
        }
    }
    out += "</main>\n</body>\n</html>\n";
    out
}

/// 目录 of the 部分 and their first-level sections.
fn toc(doc: &Document) -> String {
    let mut out = String::from("<nav class=\"toc\">\n<h2>目录</h2>\n<ol>\n");
    let mut anchor = 0;
    for block in &doc.blocks {
        if let Block::Heading {
            level,
            number,
            text,
        } = block
        {
            anchor += 1;
            if *level <= 2 {
                let sep = if number.ends_with('分') { " " } else { "" };
                out += &format!(
                    "<li class=\"l{level}\"><a href=\"#s{anchor}\">{}{sep}{}</a></li>\n",
                    escape(number),
                    escape(text)
                );
            }
        }
    }
    out += "</ol>\n</nav>\n<div class=\"page-break\"></div>\n";
    out
}

fn table(t: &DisplayTable) -> String {
    let mut out = String::from("<section class=\"table-block\">\n");
    if !t.number.is_empty() {
        out += &format!(
            "<div class=\"table-title\">{} {}</div>\n",
            escape(&t.number),
            escape(&t.title)
        );
    }
    if !t.unit_label.is_empty() {
        out += &format!(
            "<div class=\"table-meta\"><span>编制单位：{}</span><span>{}</span></div>\n",
            escape(&t.entity),
            escape(&t.unit_label)
        );
    }
    out += "<table>\n<thead>\n";
    for r in 0..t.header_rows {
        out += "<tr>";
        let mut cells: Vec<_> = t.header.iter().filter(|h| h.row == r).collect();
        cells.sort_by_key(|h| h.col);
        for h in cells {
            let mut attrs = String::new();
            if h.rowspan > 1 {
                attrs += &format!(" rowspan=\"{}\"", h.rowspan);
            }
            if h.colspan > 1 {
                attrs += &format!(" colspan=\"{}\"", h.colspan);
            }
            out += &format!("<th scope=\"col\"{attrs}>{}</th>", escape(&h.text));
        }
        out += "</tr>\n";
    }
    out += "</thead>\n<tbody>\n";
    for row in &t.rows {
        out += if row.total {
            "<tr class=\"total\">"
        } else {
            "<tr>"
        };
        for c in &row.cells {
            match c {
                Cell::Text { text, indent } if *indent > 0 => {
                    out += &format!(
                        "<td style=\"padding-left:{}em\">{}</td>",
                        *indent as f32 + 0.3,
                        escape(text)
                    );
                }
                c if c.is_number() => {
                    out += &format!("<td class=\"num\">{}</td>", escape(&c.display()))
                }
                c => out += &format!("<td>{}</td>", escape(&c.display())),
            }
        }
        out += "</tr>\n";
    }
    out += "</tbody>\n</table>\n";
    if let Some(n) = &t.note {
        out += &format!("<p class=\"note\">{}</p>\n", escape(n));
    }
    out += "</section>\n";
    out
}
