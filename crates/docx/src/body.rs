//! word/document.xml: the cover with its 目录, then the blocks in reading order.

use crate::chart::{chart_xml, inline_xml};
use crate::table::table_xml;
use crate::xml::{para, run, ParaProps, RunProps, DECL, NS_R, NS_W, NS_WP};
use crate::{MARGIN_B, MARGIN_L, MARGIN_R, MARGIN_T, PAGE_H, PAGE_W, TEXT_WIDTH};
use juesuan_report::{Block, Chart, DisplayTable, Document};

/// Relationship ids of document.xml.rels that the body refers to.
pub const REL_HEADER: &str = "rIdHeader1";
pub const REL_FOOTER: &str = "rIdFooter1";

/// A chart part the body placed: its relationship id and its XML.
pub struct ChartPart {
    pub rel_id: String,
    pub xml: String,
}

/// "第一部分 部门概况" but "一、收入支出决算总体情况说明": only a 部分 number is followed by a
/// space, as in the other renderers.
pub fn heading_text(number: &str, text: &str) -> String {
    let sep = if number.ends_with('分') { " " } else { "" };
    format!("{number}{sep}{text}")
}

/// Headings the TOC field lists (its `\o "1-3"`).
const TOC_LEVELS: u8 = 3;

struct Writer {
    out: String,
    /// A PageBreak block was seen; the next paragraph starts a page (w:pageBreakBefore, which
    /// unlike a w:br leaves no empty line at the top of the new page).
    pending_break: bool,
    /// The last thing written was a table: two tables in a row would fuse into one, and a body
    /// may not end with a table, so a paragraph must come between.
    after_table: bool,
    charts: Vec<ChartPart>,
    headings: usize,
}

impl Writer {
    fn para(&mut self, mut props: ParaProps, runs: &str) {
        props.page_break_before |= std::mem::take(&mut self.pending_break);
        self.out += &para(&props, runs);
        self.after_table = false;
    }

    fn heading(&mut self, level: u8, number: &str, text: &str) {
        let level = level.clamp(1, 4);
        let style = format!("Heading{level}");
        let runs = run(&heading_text(number, text), RunProps::default());
        // Bookmarked the way Word's own TOC bookmarks headings, so the pre-filled 目录 links
        // work before the field is updated.
        let n = self.headings;
        self.headings += 1;
        let runs = format!(
            "<w:bookmarkStart w:id=\"{n}\" w:name=\"{}\"/>{runs}<w:bookmarkEnd w:id=\"{n}\"/>",
            bookmark(n)
        );
        self.para(
            ParaProps {
                style: Some(&style),
                ..ParaProps::default()
            },
            &runs,
        );
    }

    fn table(&mut self, t: &DisplayTable) {
        let title = format!("{} {}", t.number, t.title);
        let title = title.trim();
        if !title.is_empty() {
            self.para(
                ParaProps {
                    style: Some("TableTitle"),
                    ..ParaProps::default()
                },
                &run(title, RunProps::default()),
            );
        }
        if !t.unit_label.is_empty() {
            let line = format!("编制单位：{}\t{}", t.entity, t.unit_label);
            self.para(
                ParaProps {
                    style: Some("TableMeta"),
                    ..ParaProps::default()
                },
                &run(&line, RunProps::default()),
            );
        }
        if self.pending_break || self.after_table {
            self.para(ParaProps::default(), "");
        }
        self.out += &table_xml(t, TEXT_WIDTH);
        self.after_table = true;
        if let Some(note) = &t.note {
            self.para(
                ParaProps {
                    style: Some("TableNote"),
                    ..ParaProps::default()
                },
                &run(note, RunProps::default()),
            );
        }
    }

    fn chart(&mut self, c: &Chart) {
        let n = self.charts.len() + 1;
        let rel_id = format!("rIdChart{n}");
        let drawing = inline_xml(c, &rel_id, n, TEXT_WIDTH);
        self.para(
            ParaProps {
                style: Some("ChartFrame"),
                ..ParaProps::default()
            },
            &drawing,
        );
        self.para(
            ParaProps {
                style: Some("Caption"),
                ..ParaProps::default()
            },
            &run(&c.title, RunProps::default()),
        );
        self.charts.push(ChartPart {
            rel_id,
            xml: chart_xml(c),
        });
    }
}

fn bookmark(n: usize) -> String {
    format!("_Toc{:09}", n + 1)
}

/// The 目录: a TOC field over heading levels 1-3. Its cached result already lists the
/// headings, linked, so that a reader that does not update fields (LibreOffice shows an
/// empty result as empty) still shows a usable 目录; Word rebuilds it with page numbers on
/// open (w:updateFields), LibreOffice and WPS on "更新目录".
fn toc(doc: &Document) -> String {
    let head = para(
        &ParaProps {
            style: Some("TOCHeading"),
            ..ParaProps::default()
        },
        &run("目录", RunProps::default()),
    );
    let entries: Vec<(usize, u8, String)> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading {
                level,
                number,
                text,
            } => Some(((*level).clamp(1, 4), heading_text(number, text))),
            _ => None,
        })
        .enumerate()
        .filter(|(_, (level, _))| *level <= TOC_LEVELS)
        .map(|(i, (level, text))| (i, level, text))
        .collect();

    let begin = "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>\
                 <w:r><w:instrText xml:space=\"preserve\"> TOC \\o &quot;1-3&quot; \\h \\z \\u \
                 </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>";
    let end = "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>";
    let mut out = head;
    if entries.is_empty() {
        let hint = run("（右键单击此处选择“更新域”生成目录）", RunProps::default());
        out += &para(
            &ParaProps {
                style: Some("TOC1"),
                ..ParaProps::default()
            },
            &format!("{begin}{hint}{end}"),
        );
        return out;
    }
    let last = entries.len() - 1;
    for (k, (i, level, text)) in entries.iter().enumerate() {
        let style = format!("TOC{level}");
        let name = bookmark(*i);
        // No tab and PAGEREF: page numbers exist only once a reader lays the document out,
        // and a dotted leader running to nothing looks broken where the field is not updated.
        let link = format!(
            "<w:hyperlink w:anchor=\"{name}\" w:history=\"1\">{}</w:hyperlink>",
            run(text, RunProps::default()),
        );
        let mut runs = String::new();
        if k == 0 {
            runs += begin;
        }
        runs += &link;
        if k == last {
            runs += end;
        }
        out += &para(
            &ParaProps {
                style: Some(&style),
                ..ParaProps::default()
            },
            &runs,
        );
    }
    out
}

/// The body part and the chart parts it refers to.
pub fn document_xml(doc: &Document) -> (String, Vec<ChartPart>) {
    let mut w = Writer {
        out: String::with_capacity(512 * 1024),
        pending_break: false,
        after_table: false,
        charts: Vec::new(),
        headings: 0,
    };
    w.out += DECL;
    w.out +=
        &format!("<w:document xmlns:w=\"{NS_W}\" xmlns:r=\"{NS_R}\" xmlns:wp=\"{NS_WP}\"><w:body>");
    w.para(
        ParaProps {
            style: Some("Title"),
            ..ParaProps::default()
        },
        &run(&doc.title, RunProps::default()),
    );
    w.out += &toc(doc);
    w.pending_break = true;

    for block in &doc.blocks {
        match block {
            Block::Heading {
                level,
                number,
                text,
            } => w.heading(*level, number, text),
            Block::Paragraph { text } => {
                w.para(ParaProps::default(), &run(text, RunProps::default()))
            }
            Block::Table(t) => w.table(t),
            Block::Chart(c) => w.chart(c),
            Block::PageBreak => w.pending_break = true,
        }
    }
    if w.after_table {
        w.pending_break = false;
        w.para(ParaProps::default(), "");
    }
    w.out += &format!(
        "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"{REL_HEADER}\"/>\
         <w:footerReference w:type=\"default\" r:id=\"{REL_FOOTER}\"/>\
         <w:pgSz w:w=\"{PAGE_W}\" w:h=\"{PAGE_H}\"/>\
         <w:pgMar w:top=\"{MARGIN_T}\" w:right=\"{MARGIN_R}\" w:bottom=\"{MARGIN_B}\" \
         w:left=\"{MARGIN_L}\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/>\
         <w:cols w:space=\"425\"/></w:sectPr>"
    );
    w.out += "</w:body></w:document>";
    (w.out, w.charts)
}
