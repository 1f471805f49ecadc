//! word/styles.xml and word/fontTable.xml.
//!
//! Headings use Word's built-in style ids and names (Heading1 / "heading 1" …) so that the
//! navigation pane, the TOC field and WPS's 目录 all find them. Everything the document
//! repeats (table cells, captions, the 编制单位 line) is a named style rather than direct
//! formatting, so an office can restyle the whole document in one place.

use crate::xml::{DECL, NS_W};
use crate::TEXT_WIDTH;

/// 宋体 is what Chinese offices have and what the published documents use; a reader without it
/// (LibreOffice on Linux) substitutes a CJK serif such as Noto Serif CJK SC.
pub const BODY_FONT: &str = "宋体";
const HEADING_FONT: &str = "黑体";
const KAI_FONT: &str = "楷体";
const LATIN_FONT: &str = "Times New Roman";

/// Table cell text, 五号-ish 10pt; tables too wide for it drop to 9pt (see table.rs).
pub const TABLE_HALF_POINTS: u32 = 20;

fn fonts(east_asia: &str) -> String {
    format!(
        "<w:rFonts w:ascii=\"{LATIN_FONT}\" w:hAnsi=\"{LATIN_FONT}\" \
         w:eastAsia=\"{east_asia}\" w:cs=\"{LATIN_FONT}\"/>"
    )
}

fn size(half_points: u32) -> String {
    format!("<w:sz w:val=\"{half_points}\"/><w:szCs w:val=\"{half_points}\"/>")
}

/// No first-line indent: overrides both the character and the twip form inherited from Normal.
const NO_INDENT: &str = "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>";

struct ParaStyle<'a> {
    id: &'a str,
    name: &'a str,
    based_on: Option<&'a str>,
    next: Option<&'a str>,
    /// Shown in the quick style gallery.
    quick: bool,
    /// w:pPr children, already in schema order.
    ppr: String,
    /// w:rPr children, already in schema order.
    rpr: String,
}

impl ParaStyle<'_> {
    fn xml(&self) -> String {
        let mut out = format!(
            "<w:style w:type=\"paragraph\" w:styleId=\"{}\"{}><w:name w:val=\"{}\"/>",
            self.id,
            if self.id == "Normal" {
                " w:default=\"1\""
            } else {
                ""
            },
            self.name
        );
        if let Some(b) = self.based_on {
            out += &format!("<w:basedOn w:val=\"{b}\"/>");
        }
        if let Some(n) = self.next {
            out += &format!("<w:next w:val=\"{n}\"/>");
        }
        if self.quick {
            out += "<w:qFormat/>";
        }
        if !self.ppr.is_empty() {
            out += &format!("<w:pPr>{}</w:pPr>", self.ppr);
        }
        if !self.rpr.is_empty() {
            out += &format!("<w:rPr>{}</w:rPr>", self.rpr);
        }
        out += "</w:style>";
        out
    }
}

fn heading(
    level: u8,
    font: &str,
    half_points: u32,
    bold: bool,
    centered: bool,
) -> ParaStyle<'static> {
    let id: &'static str = match level {
        1 => "Heading1",
        2 => "Heading2",
        3 => "Heading3",
        _ => "Heading4",
    };
    let name: &'static str = match level {
        1 => "heading 1",
        2 => "heading 2",
        3 => "heading 3",
        _ => "heading 4",
    };
    let mut ppr = String::from("<w:keepNext/><w:keepLines/>");
    ppr += match level {
        1 => "<w:spacing w:before=\"240\" w:after=\"240\"/>",
        2 => "<w:spacing w:before=\"120\" w:after=\"60\"/>",
        _ => "<w:spacing w:before=\"60\" w:after=\"0\"/>",
    };
    if centered {
        ppr += NO_INDENT;
        ppr += "<w:jc w:val=\"center\"/>";
    }
    ppr += &format!("<w:outlineLvl w:val=\"{}\"/>", level - 1);
    let mut rpr = fonts(font);
    if bold {
        rpr += "<w:b/><w:bCs/>";
    }
    rpr += &size(half_points);
    ParaStyle {
        id,
        name,
        based_on: Some("Normal"),
        next: Some("Normal"),
        quick: true,
        ppr,
        rpr,
    }
}

fn toc_entry(level: u8) -> ParaStyle<'static> {
    let (id, name): (&'static str, &'static str) = match level {
        1 => ("TOC1", "toc 1"),
        2 => ("TOC2", "toc 2"),
        _ => ("TOC3", "toc 3"),
    };
    let left = (level as u32 - 1) * 480;
    ParaStyle {
        id,
        name,
        based_on: Some("Normal"),
        next: Some("Normal"),
        quick: false,
        ppr: format!(
            "<w:tabs><w:tab w:val=\"right\" w:leader=\"dot\" w:pos=\"{TEXT_WIDTH}\"/></w:tabs>\
             <w:spacing w:before=\"0\" w:after=\"0\"/>\
             <w:ind w:left=\"{left}\" w:firstLineChars=\"0\" w:firstLine=\"0\"/>"
        ),
        rpr: if level == 1 {
            "<w:b/><w:bCs/>".to_string()
        } else {
            String::new()
        },
    }
}

/// The whole styles part.
pub fn styles_xml() -> String {
    let styles = [
        ParaStyle {
            id: "Normal",
            name: "Normal",
            based_on: None,
            next: None,
            quick: true,
            // 1.5 lines, first line indented two characters (the twip form is the fallback
            // for readers that ignore the character form).
            ppr: "<w:widowControl/><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"360\" \
                  w:lineRule=\"auto\"/><w:ind w:firstLineChars=\"200\" w:firstLine=\"480\"/>\
                  <w:jc w:val=\"both\"/>"
                .to_string(),
            rpr: String::new(),
        },
        ParaStyle {
            id: "Title",
            name: "Title",
            based_on: Some("Normal"),
            next: Some("Normal"),
            quick: true,
            ppr: format!(
                "<w:spacing w:before=\"2400\" w:after=\"1200\" w:line=\"240\" \
                 w:lineRule=\"auto\"/>{NO_INDENT}<w:jc w:val=\"center\"/>"
            ),
            rpr: format!("{}<w:b/><w:bCs/>{}", fonts(BODY_FONT), size(44)),
        },
        heading(1, HEADING_FONT, 32, false, true),
        heading(2, HEADING_FONT, 28, false, false),
        heading(3, KAI_FONT, 24, true, false),
        heading(4, BODY_FONT, 24, true, false),
        ParaStyle {
            id: "TOCHeading",
            name: "TOC Heading",
            based_on: Some("Normal"),
            next: Some("Normal"),
            quick: false,
            ppr: format!(
                "<w:spacing w:before=\"240\" w:after=\"240\"/>{NO_INDENT}<w:jc w:val=\"center\"/>"
            ),
            rpr: format!("{}{}", fonts(HEADING_FONT), size(32)),
        },
        toc_entry(1),
        toc_entry(2),
        toc_entry(3),
        ParaStyle {
            id: "Caption",
            name: "caption",
            based_on: Some("Normal"),
            next: Some("Normal"),
            quick: true,
            ppr: format!(
                "<w:spacing w:before=\"60\" w:after=\"240\"/>{NO_INDENT}<w:jc w:val=\"center\"/>"
            ),
            rpr: format!("<w:b/><w:bCs/>{}", size(21)),
        },
        ParaStyle {
            id: "ChartFrame",
            name: "Chart",
            based_on: Some("Normal"),
            next: Some("Caption"),
            quick: false,
            ppr: format!(
                "<w:keepNext/><w:spacing w:before=\"240\" w:after=\"0\" w:line=\"240\" \
                 w:lineRule=\"auto\"/>{NO_INDENT}<w:jc w:val=\"center\"/>"
            ),
            rpr: String::new(),
        },
        ParaStyle {
            id: "TableTitle",
            name: "Table Title",
            based_on: Some("Normal"),
            next: Some("TableMeta"),
            quick: true,
            ppr: format!(
                "<w:keepNext/><w:spacing w:before=\"120\" w:after=\"120\"/>{NO_INDENT}\
                 <w:jc w:val=\"center\"/>"
            ),
            rpr: format!("{}<w:b/><w:bCs/>{}", fonts(BODY_FONT), size(28)),
        },
        ParaStyle {
            id: "TableMeta",
            name: "Table Unit Line",
            based_on: Some("Normal"),
            next: Some("Normal"),
            quick: false,
            // 编制单位 at the left margin, 单位：万元 against the right one.
            ppr: format!(
                "<w:keepNext/><w:tabs><w:tab w:val=\"right\" w:pos=\"{TEXT_WIDTH}\"/></w:tabs>\
                 <w:spacing w:before=\"0\" w:after=\"60\" w:line=\"240\" w:lineRule=\"auto\"/>\
                 {NO_INDENT}<w:jc w:val=\"left\"/>"
            ),
            rpr: size(TABLE_HALF_POINTS + 1),
        },
        ParaStyle {
            id: "TableText",
            name: "Table Text",
            based_on: Some("Normal"),
            next: None,
            quick: false,
            ppr: format!(
                "<w:widowControl w:val=\"0\"/><w:spacing w:before=\"0\" w:after=\"0\" \
                 w:line=\"240\" w:lineRule=\"auto\"/>{NO_INDENT}<w:jc w:val=\"left\"/>"
            ),
            rpr: size(TABLE_HALF_POINTS),
        },
        ParaStyle {
            id: "TableHeader",
            name: "Table Header",
            based_on: Some("TableText"),
            next: None,
            quick: false,
            ppr: "<w:jc w:val=\"center\"/>".to_string(),
            rpr: "<w:b/><w:bCs/>".to_string(),
        },
        ParaStyle {
            id: "TableNote",
            name: "Table Note",
            based_on: Some("Normal"),
            next: Some("Normal"),
            quick: false,
            ppr: format!(
                "<w:spacing w:before=\"60\" w:after=\"120\" w:line=\"240\" w:lineRule=\"auto\"/>\
                 {NO_INDENT}"
            ),
            rpr: size(TABLE_HALF_POINTS + 1),
        },
        ParaStyle {
            id: "Header",
            name: "header",
            based_on: Some("Normal"),
            next: None,
            quick: false,
            ppr: format!(
                "<w:spacing w:line=\"240\" w:lineRule=\"auto\"/>{NO_INDENT}<w:jc w:val=\"center\"/>"
            ),
            rpr: size(18),
        },
        ParaStyle {
            id: "Footer",
            name: "footer",
            based_on: Some("Normal"),
            next: None,
            quick: false,
            ppr: format!(
                "<w:spacing w:line=\"240\" w:lineRule=\"auto\"/>{NO_INDENT}<w:jc w:val=\"center\"/>"
            ),
            rpr: size(21),
        },
    ];

    let mut out = String::from(DECL);
    out += &format!("<w:styles xmlns:w=\"{NS_W}\">");
    out += &format!(
        "<w:docDefaults><w:rPrDefault><w:rPr>{}<w:kern w:val=\"2\"/>{}\
         <w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>\
         </w:pPr></w:pPrDefault></w:docDefaults>",
        fonts(BODY_FONT),
        size(24)
    );
    for s in &styles {
        out += &s.xml();
    }
    out += "<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\">\
            <w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/>\
            <w:semiHidden/><w:unhideWhenUsed/></w:style>";
    out += "<w:style w:type=\"character\" w:styleId=\"Hyperlink\"><w:name w:val=\"Hyperlink\"/>\
            <w:basedOn w:val=\"DefaultParagraphFont\"/><w:unhideWhenUsed/></w:style>";
    out += "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\">\
            <w:name w:val=\"Normal Table\"/><w:uiPriority w:val=\"99\"/><w:semiHidden/>\
            <w:unhideWhenUsed/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar>\
            <w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>\
            <w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/>\
            </w:tblCellMar></w:tblPr></w:style>";
    // Single black rules on every edge, as the published tables print.
    let border = "w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"";
    out += &format!(
        "<w:style w:type=\"table\" w:styleId=\"TableGrid\"><w:name w:val=\"Table Grid\"/>\
         <w:basedOn w:val=\"TableNormal\"/><w:uiPriority w:val=\"39\"/><w:pPr>\
         <w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:tblPr>\
         <w:tblBorders><w:top {border}/><w:left {border}/><w:bottom {border}/>\
         <w:right {border}/><w:insideH {border}/><w:insideV {border}/></w:tblBorders>\
         <w:tblCellMar><w:top w:w=\"15\" w:type=\"dxa\"/><w:left w:w=\"{CELL_MARGIN}\" w:type=\"dxa\"/>\
         <w:bottom w:w=\"15\" w:type=\"dxa\"/><w:right w:w=\"{CELL_MARGIN}\" w:type=\"dxa\"/>\
         </w:tblCellMar></w:tblPr></w:style>"
    );
    out += "</w:styles>";
    out
}

/// Left and right cell padding of TableGrid, in twips (0.1 cm).
pub const CELL_MARGIN: u32 = 57;

/// Fonts with their Windows names and GB2312 charset, so Word and WPS map 宋体 etc. even on
/// an English system.
pub fn font_table_xml() -> String {
    let font = |name: &str, alt: &str, charset: &str, family: &str| {
        format!(
            "<w:font w:name=\"{name}\"><w:altName w:val=\"{alt}\"/><w:charset w:val=\"{charset}\"/>\
             <w:family w:val=\"{family}\"/><w:pitch w:val=\"variable\"/></w:font>"
        )
    };
    let mut out = String::from(DECL);
    out += &format!("<w:fonts xmlns:w=\"{NS_W}\">");
    out += &font(BODY_FONT, "SimSun", "86", "auto");
    out += &font(HEADING_FONT, "SimHei", "86", "modern");
    out += &font(KAI_FONT, "KaiTi", "86", "modern");
    out += &font(LATIN_FONT, "Times New Roman", "00", "roman");
    out += "</w:fonts>";
    out
}
