//! Reading a published document — .txt, .docx or .pdf, in the layouts real regions use — as it
//! is laid out: lines of text with their page and line, and the tables printed in it, found by
//! their titles and read into headers (merged, over several rows), rows (codes in one column or
//! split into 类/款/项, names wrapped inside their cells) and cells, over page breaks.
//!
//! Reading is a stage of its own, like parsing in a compiler: it knows layouts, not rules. It
//! does no arithmetic and knows no quantity; `juesuan-audit` gives the numbers their meaning.
//!
//! - PDF: words with their boxes from poppler (`pdftotext -bbox`) and the ruling lines of the
//!   page content (lopdf); lines rebuilt from positions (`lines.rs`), a table's cells from its
//!   rules or, without rules, from where its words line up (`grid.rs`).
//! - DOCX: paragraphs and the cell grid of each table from word/document.xml (`docx.rs`).
//! - txt: UTF-8, UTF-16 with BOM or GBK; a table's cells are its tab- or space-separated runs.

pub mod cell;
mod docx;
pub mod grid;
mod lines;
mod pdf;
pub mod table;

pub use table::{Column, Role, Row, Side, Table, Unit, Value};

use lines::VisualLine;
use std::path::Path;

/// One line of the input as the reader will quote it.
#[derive(Clone, Debug)]
pub struct SourceLine {
    pub text: String,
    /// 1-based page for PDF and DOCX.
    pub page: Option<usize>,
    /// 1-based line: in the file for .txt, within the page for PDF and DOCX.
    pub line: usize,
    /// The table (index into `Source::tables`) this line is part of — its title, header, rows
    /// or notes; `None` for the narrative.
    pub table: Option<usize>,
    geom: Option<VisualLine>,
    docx_row: Option<(usize, usize)>,
}

impl SourceLine {
    pub fn new(text: impl Into<String>, page: Option<usize>, line: usize) -> SourceLine {
        SourceLine {
            text: text.into(),
            page,
            line,
            table: None,
            geom: None,
            docx_row: None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Txt,
    Docx,
    Pdf,
}

/// A document as read.
#[derive(Clone, Debug)]
pub struct Source {
    pub file: String,
    pub format: Format,
    pub lines: Vec<SourceLine>,
    pub tables: Vec<Table>,
}

/// What the table reader needs of a PDF page besides its lines.
#[derive(Clone, Debug, Default)]
pub(crate) struct PageLayout {
    pub rules: Vec<pdf::Rule>,
    pub em: f32,
}

impl Source {
    /// Text already in memory (a .txt file's content, or a generated document).
    pub fn from_text(file: impl Into<String>, text: &str) -> Source {
        Source::assemble(file.into(), Format::Txt, text_lines(text, None), &[], &[])
    }

    fn assemble(
        file: String,
        format: Format,
        mut lines: Vec<SourceLine>,
        pages: &[PageLayout],
        grids: &[grid::Grid],
    ) -> Source {
        let tables = table::find(&mut lines, format, pages, grids);
        Source {
            file,
            format,
            lines,
            tables,
        }
    }
}

pub fn read(path: &Path) -> Result<Source, String> {
    let file = path.display().to_string();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "docx" => {
            let (lines, grids) = docx::read(path)?;
            Ok(Source::assemble(file, Format::Docx, lines, &[], &grids))
        }
        "pdf" => {
            let (lines, pages) = read_pdf(path)?;
            Ok(Source::assemble(file, Format::Pdf, lines, &pages, &[]))
        }
        _ => {
            let bytes = std::fs::read(path).map_err(|e| format!("{file}：无法读取（{e}）"))?;
            Ok(Source::assemble(
                file,
                Format::Txt,
                text_lines(&decode(&bytes), None),
                &[],
                &[],
            ))
        }
    }
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
        .map(|(i, t)| SourceLine::new(t, page, i + 1))
        .collect()
}

/// A PDF's lines, rebuilt from word positions page by page, and each page's rules.
fn read_pdf(path: &Path) -> Result<(Vec<SourceLine>, Vec<PageLayout>), String> {
    let pages = pdf::read_pages(path)?;
    let mut lines = Vec::new();
    let mut layouts = Vec::new();
    for (p, page) in pages.into_iter().enumerate() {
        let em = lines::em(&page.words);
        let visual = lines::visual_lines(&page.words);
        let left = visual
            .iter()
            .filter(|l| {
                l.words
                    .iter()
                    .map(|w| w.text.chars().count())
                    .sum::<usize>()
                    >= 4
            })
            .map(VisualLine::x0)
            .fold(f32::MAX, f32::min);
        let left = if left == f32::MAX { 0.0 } else { left };
        // a blank line where the page leaves one (more than a line's height between two
        // lines), as a reader sees paragraphs and headings apart
        let mut n = 0;
        let mut prev_y1: Option<f32> = None;
        for l in visual {
            if prev_y1.is_some_and(|y| l.y0 - y > em) {
                n += 1;
                lines.push(SourceLine::new("", Some(p + 1), n));
            }
            prev_y1 = Some(l.y1);
            n += 1;
            let mut sl = SourceLine::new(lines::layout_text(&l, left, em), Some(p + 1), n);
            sl.geom = Some(l);
            lines.push(sl);
        }
        layouts.push(PageLayout {
            rules: page.rules,
            em,
        });
    }
    if lines.iter().all(|l| l.text.trim().is_empty()) {
        return Err(format!(
            "{}：PDF 没有文字层（可能是扫描件），无法审核",
            path.display()
        ));
    }
    Ok((lines, layouts))
}
