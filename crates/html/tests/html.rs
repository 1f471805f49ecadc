//! The example's HTML: self-contained (no scripts, nothing fetched), every part and table
//! present, charts inline, table cells as in the document, and the draft mark only on drafts.

use juesuan_report::{Block, Document};
use std::path::PathBuf;

fn document() -> Document {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/chifeng-sfj-2024");
    let d = juesuan_load::load_dataset(&dir).expect("example loads");
    juesuan_report::build(&d).expect("builds")
}

#[test]
fn self_contained_and_complete() {
    let doc = document();
    let html = juesuan_html::render(&doc, false);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script"), "no scripts");
    assert!(!html.contains("<link"), "no external stylesheets");
    let external = html
        .match_indices("http")
        .filter(|(i, _)| !html[*i..].starts_with("http://www.w3.org/2000/svg"))
        .count();
    assert_eq!(external, 0, "nothing fetched from the network");
    assert_eq!(
        html.matches("<table>").count(),
        10,
        "nine tables and the unit list"
    );
    assert_eq!(
        html.matches("<svg ").count(),
        3,
        "two pies and the bar chart"
    );
    assert!(!html.contains("draft-mark\" aria"), "no draft mark");
    for part in [
        "第一部分 部门概况",
        "第三部分 名词解释",
        "第五部分 2024年度部门决算表",
    ] {
        assert!(html.contains(part), "{part}");
        assert!(html.contains(&format!(">{part}</a>")), "{part} in the 目录");
    }
    // every body cell of every table is printed, in order
    for b in &doc.blocks {
        if let Block::Table(t) = b {
            for r in &t.rows {
                let cells: String = r
                    .cells
                    .iter()
                    .map(|c| juesuan_html::escape(&c.display()))
                    .collect::<Vec<_>>()
                    .join("</td>");
                let plain = html.replace("<td class=\"num\">", "").replace("<td>", "");
                let plain = plain
                    .split("<td style=\"padding-left:")
                    .map(|s| s.split_once("em\">").map(|(_, r)| r).unwrap_or(s))
                    .collect::<String>();
                assert!(plain.contains(&cells), "row {cells} of {}", t.title);
            }
        }
    }
}

#[test]
fn drafts_are_marked_and_text_is_escaped() {
    let mut doc = document();
    doc.blocks
        .push(Block::paragraph("<script>alert(1)</script> & “引号”"));
    let html = juesuan_html::render(&doc, true);
    assert!(html.contains("<div class=\"draft-mark\" aria-hidden=\"true\">草稿</div>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; “引号”"));
    assert!(!html.contains("<script>"));
}
