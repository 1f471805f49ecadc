//! Reading a published document into lines of text with their location: .txt (UTF-8, UTF-16
//! or GBK), .docx (paragraphs and table rows from word/document.xml, pages counted at page
//! breaks) and .pdf (the text layer through poppler's pdftotext, one page at a time).

use std::io::Read;
use std::path::Path;

/// One line of the input as the reader will quote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceLine {
    pub text: String,
    /// 1-based page for PDF and DOCX.
    pub page: Option<usize>,
    /// 1-based line: in the file for .txt, within the page for PDF and DOCX.
    pub line: usize,
}

#[derive(Clone, Debug)]
pub struct Source {
    pub file: String,
    pub lines: Vec<SourceLine>,
}

pub fn read(path: &Path) -> Result<Source, String> {
    let file = path.display().to_string();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let lines = match ext.as_str() {
        "docx" => read_docx(path)?,
        "pdf" => read_pdf(path)?,
        _ => {
            let bytes = std::fs::read(path).map_err(|e| format!("{file}：无法读取（{e}）"))?;
            text_lines(&decode(&bytes), None)
        }
    };
    Ok(Source { file, lines })
}

/// Text from bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else GBK (GB18030).
pub fn decode(bytes: &[u8]) -> String {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

pub fn text_lines(text: &str, page: Option<usize>) -> Vec<SourceLine> {
    text.lines()
        .enumerate()
        .map(|(i, t)| SourceLine {
            text: t.to_string(),
            page,
            line: i + 1,
        })
        .collect()
}

fn read_pdf(path: &Path) -> Result<Vec<SourceLine>, String> {
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(path)
        .arg("-")
        .output()
        .map_err(|e| {
            format!(
                "{}：读取 PDF 需要 pdftotext（poppler-utils，scripts/setup 会安装）：{e}",
                path.display()
            )
        })?;
    if !out.status.success() {
        return Err(format!(
            "{}：不是可读取的 PDF（{}）",
            path.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = Vec::new();
    // pdftotext ends every page with a form feed
    for (p, page) in text.split('\u{c}').enumerate() {
        if page.trim().is_empty() {
            continue;
        }
        lines.extend(text_lines(page, Some(p + 1)));
    }
    if lines.iter().all(|l| l.text.trim().is_empty()) {
        return Err(format!(
            "{}：PDF 没有文字层（可能是扫描件），无法审核",
            path.display()
        ));
    }
    Ok(lines)
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn read_docx(path: &Path) -> Result<Vec<SourceLine>, String> {
    let name = path.display();
    let file = std::fs::File::open(path).map_err(|e| format!("{name}：无法读取（{e}）"))?;
    let mut zip =
        zip::ZipArchive::new(file).map_err(|e| format!("{name}：不是有效的 DOCX 文件（{e}）"))?;
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .map_err(|_| format!("{name}：DOCX 中没有 word/document.xml"))?
        .read_to_string(&mut xml)
        .map_err(|e| format!("{name}：无法读取正文（{e}）"))?;
    let doc =
        roxmltree::Document::parse(&xml).map_err(|e| format!("{name}：正文 XML 有误（{e}）"))?;
    let body = doc
        .descendants()
        .find(|n| n.has_tag_name((W, "body")))
        .ok_or_else(|| format!("{name}：正文为空"))?;
    let rels = relationships(&mut zip);
    let mut lines = Vec::new();
    let mut page = 1;
    let mut line = 0;
    for block in body.children().filter(|n| n.is_element()) {
        let texts: Vec<String> = if block.has_tag_name((W, "tbl")) {
            // one line per table row, cells separated by tabs, as pdftotext lays them out
            block
                .children()
                .filter(|r| r.has_tag_name((W, "tr")))
                .map(|row| {
                    row.children()
                        .filter(|c| c.has_tag_name((W, "tc")))
                        .map(|c| paragraph_text(c).join(""))
                        .collect::<Vec<_>>()
                        .join("\t")
                })
                .collect()
        } else {
            let mut texts = vec![paragraph_text(block).join("")];
            texts.extend(chart_lines(block, &mut zip, &rels));
            texts
        };
        let breaks_before = block.descendants().any(|n| {
            n.has_tag_name((W, "pageBreakBefore"))
                && n.attribute((W, "val"))
                    .is_none_or(|v| v != "0" && v != "false")
        });
        if breaks_before && line > 0 {
            page += 1;
            line = 0;
        }
        for t in texts {
            line += 1;
            lines.push(SourceLine {
                text: t,
                page: Some(page),
                line,
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
    Ok(lines)
}

const C: &str = "http://schemas.openxmlformats.org/drawingml/2006/chart";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// Relationship id → part name ("rId5" → "word/charts/chart1.xml").
fn relationships(zip: &mut zip::ZipArchive<std::fs::File>) -> Vec<(String, String)> {
    let mut xml = String::new();
    let Ok(mut part) = zip.by_name("word/_rels/document.xml.rels") else {
        return Vec::new();
    };
    if part.read_to_string(&mut xml).is_err() {
        return Vec::new();
    }
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
        let mut xml = String::new();
        let Ok(mut f) = zip.by_name(part) else {
            continue;
        };
        if f.read_to_string(&mut xml).is_err() {
            continue;
        }
        drop(f);
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
