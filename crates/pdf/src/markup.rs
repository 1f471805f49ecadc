//! The document as typst markup. All text goes in as typst string literals, never as markup,
//! so nothing a dataset says (a `#`, `*` or `$` in a reason) can change the layout.

use juesuan_report::{Block, Cell, DisplayTable, Document};
use std::fmt::Write;

/// A typst string literal.
fn lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Markup plus the files it refers to (chart SVGs).
pub fn write(doc: &Document, draft: bool, family: &str) -> (String, Vec<(String, Vec<u8>)>) {
    let mut files = Vec::new();
    let mut m = String::with_capacity(128 * 1024);
    // the big diagonal mark is what a reader sees; the header line is what text extraction
    // (and a screen reader) finds
    let (background, header) = if draft {
        (
            r#"rotate(-35deg, text(120pt, weight: "bold", fill: rgb(200, 0, 0, 45), "草稿"))"#,
            r#"align(right, text(9pt, fill: rgb(200, 0, 0), "草稿 · 未经审核，不得公开"))"#,
        )
    } else {
        ("none", "none")
    };
    let _ = write!(
        m,
        r#"#set document(title: {title}, author: {entity})
#set page(paper: "a4", margin: (top: 2.6cm, bottom: 2.4cm, x: 2.3cm), background: {background}, header: {header})
#set text(font: ({family}, "Noto Sans CJK SC"), size: 11pt, lang: "zh", region: "cn", cjk-latin-spacing: none)
#set par(justify: true, leading: 0.9em, spacing: 0.9em, first-line-indent: (amount: 2em, all: true))
#show heading: set text(weight: "bold")
#show heading: set block(above: 1.4em, below: 0.9em)
#show heading.where(level: 1): it => align(center, text(17pt, it.body))
#show heading.where(level: 2): set text(13pt)
#show heading.where(level: 3): set text(11.5pt)
#show heading.where(level: 4): set text(11pt)
#show figure.caption: set text(10pt)
#page(numbering: none)[
  #v(7cm)
  #align(center)[#text(26pt, weight: "bold", {title})]
  #v(1.2cm)
  #align(center)[#text(15pt, {entity})]
]
#page(numbering: none)[
  #outline(title: "目录", depth: 2, indent: 2em)
]
#set page(numbering: "1")
#counter(page).update(1)
"#,
        title = lit(&doc.title),
        entity = lit(&doc.entity),
        family = lit(family),
    );
    for block in &doc.blocks {
        match block {
            Block::Heading {
                level,
                number,
                text,
            } => {
                let sep = if number.ends_with('分') { " " } else { "" };
                let _ = writeln!(
                    m,
                    "#heading(level: {level}, {})\n",
                    lit(&format!("{number}{sep}{text}"))
                );
            }
            Block::Paragraph { text } => {
                let _ = writeln!(m, "#par({})\n", lit(text));
            }
            Block::Table(t) => table(&mut m, t),
            Block::Chart(c) => {
                let name = format!("chart{}.svg", files.len() + 1);
                files.push((name.clone(), juesuan_html::svg::chart_svg(c).into_bytes()));
                let _ = writeln!(
                    m,
                    "#figure(image({}, width: 82%), numbering: none, caption: {})\n",
                    lit(&name),
                    lit(&c.title)
                );
            }
            Block::PageBreak => m.push_str("#pagebreak(weak: true)\n\n"),
        }
    }
    (m, files)
}

fn table(m: &mut String, t: &DisplayTable) {
    m.push_str("#[\n#set par(first-line-indent: 0em, justify: false, leading: 0.5em)\n");
    if !t.number.is_empty() {
        let _ = writeln!(
            m,
            "#align(center, text(13pt, weight: \"bold\", {}))",
            lit(&format!("{} {}", t.number, t.title))
        );
    }
    if !t.unit_label.is_empty() {
        let _ = writeln!(
            m,
            "#grid(columns: (1fr, auto), align(left, text(9pt, {})), align(right, text(9pt, {})))",
            lit(&format!("编制单位：{}", t.entity)),
            lit(&t.unit_label)
        );
    }
    let size = if t.columns > 8 { "7.5pt" } else { "9pt" };
    let _ = writeln!(m, "#set text({size})");
    let _ = writeln!(
        m,
        "#table(columns: ({}), stroke: 0.5pt, inset: (x: 3pt, y: 3.5pt),",
        widths(t)
    );
    m.push_str("table.header(\n");
    let mut header: Vec<_> = t.header.iter().collect();
    header.sort_by_key(|h| (h.row, h.col));
    for h in header {
        let _ = writeln!(
            m,
            "table.cell(rowspan: {}, colspan: {}, align: center + horizon, fill: luma(240), text(weight: \"bold\", {})),",
            h.rowspan,
            h.colspan,
            lit(&h.text)
        );
    }
    m.push_str("),\n");
    for row in &t.rows {
        for c in &row.cells {
            let weight = if row.total { "\"bold\"" } else { "\"regular\"" };
            let (align, body) = match c {
                Cell::Text { text, indent } => (
                    "left",
                    format!(
                        "[#h({}em)#text(weight: {weight}, {})]",
                        *indent as f32,
                        lit(text)
                    ),
                ),
                c if c.is_number() => (
                    "right",
                    format!("text(weight: {weight}, {})", lit(&c.display())),
                ),
                _ => ("left", "[]".to_string()),
            };
            let _ = writeln!(m, "table.cell(align: {align} + horizon, {body}),");
        }
    }
    m.push_str(")\n");
    if let Some(n) = &t.note {
        let _ = writeln!(m, "#text(9pt, {})", lit(n));
    }
    m.push_str("]\n\n");
}

/// Name columns get twice the width of amount columns; code columns take what they need;
/// header words wrap inside their column rather than squeezing the names.
fn widths(t: &DisplayTable) -> String {
    #[derive(Clone, Copy, PartialEq)]
    enum Kind {
        Amount,
        Code,
        Name,
    }
    let mut kinds = vec![Kind::Amount; t.columns];
    for row in &t.rows {
        for (i, c) in row.cells.iter().enumerate().take(t.columns) {
            if let Cell::Text { text, .. } = c {
                let code = text.chars().all(|ch| ch.is_ascii_digit());
                if !code {
                    kinds[i] = Kind::Name;
                } else if kinds[i] != Kind::Name {
                    kinds[i] = Kind::Code;
                }
            }
        }
    }
    for h in &t.header {
        if h.text == "科目编码" && h.colspan == 1 {
            kinds[h.col] = Kind::Code;
        }
    }
    let list: Vec<&str> = kinds
        .iter()
        .map(|k| match k {
            Kind::Amount => "1fr",
            Kind::Code => "auto",
            Kind::Name => "2.2fr",
        })
        .collect();
    format!("{},", list.join(", "))
}
