//! A .docx as lines: paragraphs, table rows (cells separated by tabs, each table also kept as
//! its cell grid with gridSpan and vMerge), and the data of native Word charts. Pages are
//! counted at explicit page breaks.

use crate::grid::{Grid, GridCell};
use crate::SourceLine;
use std::io::Read;
use std::path::Path;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const C: &str = "http://schemas.openxmlformats.org/drawingml/2006/chart";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// Parts larger than this are refused: a DOCX is a zip, and a zip can inflate without bound.
const MAX_PART: u64 = 64 << 20;

fn read_part(zip: &mut zip::ZipArchive<std::fs::File>, name: &str) -> Option<String> {
    let part = zip.by_name(name).ok()?;
    let mut xml = String::new();
    part.take(MAX_PART).read_to_string(&mut xml).ok()?;
    Some(xml)
}

/// The lines of the document and the grids of its tables; a table row's line knows
/// (table, row) of its grid.
pub fn read(path: &Path) -> Result<(Vec<SourceLine>, Vec<Grid>), String> {
    let name = path.display();
    let file = std::fs::File::open(path).map_err(|e| format!("{name}：无法读取（{e}）"))?;
    let mut zip =
        zip::ZipArchive::new(file).map_err(|e| format!("{name}：不是有效的 DOCX 文件（{e}）"))?;
    let xml = read_part(&mut zip, "word/document.xml")
        .ok_or_else(|| format!("{name}：DOCX 中没有可读的 word/document.xml"))?;
    let doc =
        roxmltree::Document::parse(&xml).map_err(|e| format!("{name}：正文 XML 有误（{e}）"))?;
    let body = doc
        .descendants()
        .find(|n| n.has_tag_name((W, "body")))
        .ok_or_else(|| format!("{name}：正文为空"))?;
    let rels = relationships(&mut zip);
    let mut lines = Vec::new();
    let mut grids = Vec::new();
    let mut page = 1;
    let mut line = 0;
    for block in body.children().filter(|n| n.is_element()) {
        let mut rows: Vec<(String, Option<(usize, usize)>)> = Vec::new();
        if block.has_tag_name((W, "tbl")) {
            let (grid, texts) = table_grid(block);
            let t = grids.len();
            for (r, text) in texts.into_iter().enumerate() {
                rows.push((text, Some((t, r))));
            }
            grids.push(grid);
        } else {
            rows.push((paragraph_text(block).join(""), None));
            rows.extend(
                chart_lines(block, &mut zip, &rels)
                    .into_iter()
                    .map(|t| (t, None)),
            );
        }
        let breaks_before = block.descendants().any(|n| {
            n.has_tag_name((W, "pageBreakBefore"))
                && n.attribute((W, "val"))
                    .is_none_or(|v| v != "0" && v != "false")
        });
        if breaks_before && line > 0 {
            page += 1;
            line = 0;
        }
        for (text, docx_row) in rows {
            line += 1;
            lines.push(SourceLine {
                text,
                page: Some(page),
                line,
                table: None,
                geom: None,
                docx_row,
            });
        }
        let breaks_after = block.descendants().any(|n| {
            (n.has_tag_name((W, "br")) && n.attribute((W, "type")) == Some("page"))
                || n.has_tag_name((W, "lastRenderedPageBreak"))
        });
        if breaks_after {
            page += 1;
            line = 0;
        }
    }
    Ok((lines, grids))
}

/// A w:tbl as a grid (gridSpan → colspan, vMerge → rowspan) and one tab-separated text per
/// row.
fn table_grid(tbl: roxmltree::Node) -> (Grid, Vec<String>) {
    let mut cells: Vec<GridCell> = Vec::new();
    let mut texts = Vec::new();
    let mut ncols = 0;
    let rows: Vec<roxmltree::Node> = tbl
        .children()
        .filter(|r| r.has_tag_name((W, "tr")))
        .collect();
    for (r, row) in rows.iter().enumerate() {
        let mut col = 0;
        let mut row_texts = Vec::new();
        for tc in row.children().filter(|c| c.has_tag_name((W, "tc"))) {
            let pr = tc.children().find(|n| n.has_tag_name((W, "tcPr")));
            let span = pr
                .and_then(|p| p.children().find(|n| n.has_tag_name((W, "gridSpan"))))
                .and_then(|g| g.attribute((W, "val")))
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(1)
                .clamp(1, 256);
            let vmerge = pr.and_then(|p| p.children().find(|n| n.has_tag_name((W, "vMerge"))));
            let text: String = tc
                .children()
                .filter(|p| p.is_element())
                .map(|p| paragraph_text(p).join(""))
                .collect::<Vec<_>>()
                .join("");
            row_texts.push(text.clone());
            let continues = vmerge.is_some_and(|v| v.attribute((W, "val")) != Some("restart"));
            if continues {
                if let Some(above) = cells
                    .iter_mut()
                    .rev()
                    .find(|c| c.col == col && c.row + c.rowspan == r)
                {
                    above.rowspan += 1;
                    col += span;
                    continue;
                }
            }
            cells.push(GridCell {
                row: r,
                col,
                rowspan: 1,
                colspan: span,
                text,
                line: Some(r),
            });
            col += span;
        }
        ncols = ncols.max(col);
        texts.push(row_texts.join("\t"));
    }
    // rows shorter than the grid: blank cells
    for r in 0..rows.len() {
        for c in 0..ncols {
            let covered = cells.iter().any(|x| {
                x.row <= r && r < x.row + x.rowspan && x.col <= c && c < x.col + x.colspan
            });
            if !covered {
                cells.push(GridCell {
                    row: r,
                    col: c,
                    rowspan: 1,
                    colspan: 1,
                    text: String::new(),
                    line: Some(r),
                });
            }
        }
    }
    cells.sort_by_key(|c| (c.row, c.col));
    (
        Grid {
            nrows: rows.len(),
            ncols,
            cells,
        },
        texts,
    )
}

/// Relationship id → part name ("rId5" → "word/charts/chart1.xml").
fn relationships(zip: &mut zip::ZipArchive<std::fs::File>) -> Vec<(String, String)> {
    let Some(xml) = read_part(zip, "word/_rels/document.xml.rels") else {
        return Vec::new();
    };
    let Ok(doc) = roxmltree::Document::parse(&xml) else {
        return Vec::new();
    };
    doc.descendants()
        .filter(|n| n.has_tag_name("Relationship"))
        .filter_map(|n| {
            let target = n.attribute("Target")?.trim_start_matches('/');
            let target = target.strip_prefix("word/").unwrap_or(target);
            Some((n.attribute("Id")?.to_string(), format!("word/{target}")))
        })
        .collect()
}

/// The data of a native Word chart in a paragraph, as lines a reader of the printed chart
/// would see: its caption ("图1 收入决算图", from the drawing's description), then one line per
/// category with the series' values and the data label, tab separated.
fn chart_lines(
    block: roxmltree::Node,
    zip: &mut zip::ZipArchive<std::fs::File>,
    rels: &[(String, String)],
) -> Vec<String> {
    let mut out = Vec::new();
    for chart in block.descendants().filter(|n| n.has_tag_name((C, "chart"))) {
        let Some(id) = chart.attribute((R, "id")) else {
            continue;
        };
        let Some((_, part)) = rels.iter().find(|(i, _)| i == id) else {
            continue;
        };
        let Some(xml) = read_part(zip, part) else {
            continue;
        };
        let Ok(doc) = roxmltree::Document::parse(&xml) else {
            continue;
        };
        let caption = block
            .descendants()
            .find(|n| n.tag_name().name() == "docPr")
            .and_then(|n| n.attribute("descr"))
            .filter(|d| d.starts_with('图'))
            .unwrap_or("图0 图表");
        out.push(caption.to_string());
        let points = |n: roxmltree::Node| -> Vec<String> {
            n.descendants()
                .filter(|p| p.has_tag_name((C, "pt")))
                .map(|p| {
                    p.children()
                        .find(|v| v.has_tag_name((C, "v")))
                        .and_then(|v| v.text())
                        .unwrap_or("")
                        .to_string()
                })
                .collect()
        };
        let series: Vec<roxmltree::Node> = doc
            .descendants()
            .filter(|n| n.has_tag_name((C, "ser")))
            .collect();
        let Some(first) = series.first() else {
            continue;
        };
        let categories = first
            .children()
            .find(|n| n.has_tag_name((C, "cat")))
            .map(points)
            .unwrap_or_default();
        let values: Vec<Vec<String>> = series
            .iter()
            .map(|s| {
                s.children()
                    .find(|n| n.has_tag_name((C, "val")))
                    .map(points)
                    .unwrap_or_default()
            })
            .collect();
        let labels: Vec<String> = first
            .descendants()
            .filter(|n| n.has_tag_name((C, "dLbl")))
            .map(|l| {
                l.descendants()
                    .filter(|t| t.tag_name().name() == "t")
                    .filter_map(|t| t.text())
                    .collect()
            })
            .collect();
        for (i, cat) in categories.iter().enumerate() {
            let mut cells = vec![cat.clone()];
            cells.extend(values.iter().filter_map(|v| v.get(i).cloned()));
            if let Some(l) = labels.get(i).filter(|l| l.ends_with('%')) {
                cells.push(l.clone());
            }
            out.push(cells.join("\t"));
        }
    }
    out
}

/// The text runs of a paragraph (or every paragraph inside a cell), tabs kept.
fn paragraph_text(node: roxmltree::Node) -> Vec<String> {
    let mut out = Vec::new();
    for n in node.descendants() {
        if n.has_tag_name((W, "t")) {
            out.push(n.text().unwrap_or("").to_string());
        } else if n.has_tag_name((W, "tab")) {
            out.push("\t".to_string());
        }
    }
    out
}
