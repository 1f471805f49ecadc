//! A 决算公开 [`Document`] as a .docx that a finance office can open and keep editing in Word,
//! WPS or LibreOffice: real heading styles (so the navigation pane and 目录 work), a TOC field
//! that Word fills on open, page numbers in the footer, the tables as Word tables with merged
//! header cells and repeated header rows, and the charts as native, restylable Word charts.
//! With `draft`, every page carries a diagonal 草稿 watermark.
//!
//! The WordprocessingML is written by hand and zipped with fixed timestamps, so the same
//! document always gives the same bytes. Like the other renderers it only lays out: every
//! figure arrives displayed (万元, 舍位平衡 applied) from `juesuan-report`.
//!
//! Not for reading .docx files back, not a general Word writer (no lists, images or
//! footnotes), and the charts carry no embedded workbook: they show the cached figures, but
//! Word's "edit data" has nothing to open.

mod body;
mod chart;
mod styles;
mod table;
mod xml;

use juesuan_report::Document;
use std::io::{Cursor, Write};
use xml::{esc, para, run, ParaProps, RunProps, DECL, NS_R, NS_W};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// A4 portrait in twips, with the margins of GB/T 9704 (党政机关公文格式).
const PAGE_W: u32 = 11906;
const PAGE_H: u32 = 16838;
const MARGIN_T: u32 = 2098;
const MARGIN_B: u32 = 1984;
const MARGIN_L: u32 = 1588;
const MARGIN_R: u32 = 1474;
/// The width of the text block, which tables and charts fill.
const TEXT_WIDTH: u32 = PAGE_W - MARGIN_L - MARGIN_R;

/// The watermark text of a draft.
pub const DRAFT_MARK: &str = "草稿";

const CT_MAIN: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
const CT_CHART: &str = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml";
const REL_BASE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// Renders the document as the bytes of a .docx file. `draft` puts a 草稿 watermark on every
/// page. The output is deterministic: the same document gives the same bytes.
pub fn write_docx(doc: &Document, draft: bool) -> Result<Vec<u8>, String> {
    let (document, charts) = body::document_xml(doc);
    let mut parts: Vec<(String, String)> = vec![
        ("[Content_Types].xml".into(), content_types(charts.len())),
        ("_rels/.rels".into(), package_rels()),
        ("docProps/core.xml".into(), core(doc)),
        ("docProps/app.xml".into(), app(doc)),
        ("word/document.xml".into(), document),
        (
            "word/_rels/document.xml.rels".into(),
            document_rels(&charts),
        ),
        ("word/styles.xml".into(), styles::styles_xml()),
        ("word/settings.xml".into(), settings()),
        ("word/fontTable.xml".into(), styles::font_table_xml()),
        ("word/header1.xml".into(), header(draft)),
        ("word/footer1.xml".into(), footer()),
    ];
    for (i, c) in charts.into_iter().enumerate() {
        parts.push((format!("word/charts/chart{}.xml", i + 1), c.xml));
    }
    zip_parts(&parts).map_err(|e| format!("生成 Word 文档失败：{e}"))
}

fn zip_parts(parts: &[(String, String)]) -> zip::result::ZipResult<Vec<u8>> {
    let mut z = ZipWriter::new(Cursor::new(Vec::new()));
    // 1980-01-01, the zip epoch: a fixed time keeps the bytes reproducible.
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default());
    for (name, body) in parts {
        z.start_file(name.as_str(), options)?;
        z.write_all(body.as_bytes())?;
    }
    Ok(z.finish()?.into_inner())
}

fn content_types(charts: usize) -> String {
    let over =
        |part: &str, ct: &str| format!("<Override PartName=\"{part}\" ContentType=\"{ct}\"/>");
    let wml = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    let mut out = format!(
        "{DECL}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    );
    out += &over("/word/document.xml", CT_MAIN);
    out += &over("/word/styles.xml", &format!("{wml}.styles+xml"));
    out += &over("/word/settings.xml", &format!("{wml}.settings+xml"));
    out += &over("/word/fontTable.xml", &format!("{wml}.fontTable+xml"));
    out += &over("/word/header1.xml", &format!("{wml}.header+xml"));
    out += &over("/word/footer1.xml", &format!("{wml}.footer+xml"));
    for i in 1..=charts {
        out += &over(&format!("/word/charts/chart{i}.xml"), CT_CHART);
    }
    out += &over(
        "/docProps/core.xml",
        "application/vnd.openxmlformats-package.core-properties+xml",
    );
    out += &over(
        "/docProps/app.xml",
        "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    );
    out += "</Types>";
    out
}

fn rel(id: &str, kind: &str, target: &str) -> String {
    format!("<Relationship Id=\"{id}\" Type=\"{kind}\" Target=\"{target}\"/>")
}

fn package_rels() -> String {
    format!(
        "{DECL}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{}{}{}</Relationships>",
        rel("rId1", &format!("{REL_BASE}/officeDocument"), "word/document.xml"),
        rel(
            "rId2",
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
            "docProps/core.xml"
        ),
        rel("rId3", &format!("{REL_BASE}/extended-properties"), "docProps/app.xml"),
    )
}

fn document_rels(charts: &[body::ChartPart]) -> String {
    let mut out = format!(
        "{DECL}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    );
    out += &rel("rIdStyles", &format!("{REL_BASE}/styles"), "styles.xml");
    out += &rel(
        "rIdSettings",
        &format!("{REL_BASE}/settings"),
        "settings.xml",
    );
    out += &rel(
        "rIdFonts",
        &format!("{REL_BASE}/fontTable"),
        "fontTable.xml",
    );
    out += &rel(
        body::REL_HEADER,
        &format!("{REL_BASE}/header"),
        "header1.xml",
    );
    out += &rel(
        body::REL_FOOTER,
        &format!("{REL_BASE}/footer"),
        "footer1.xml",
    );
    for (i, c) in charts.iter().enumerate() {
        out += &rel(
            &c.rel_id,
            &format!("{REL_BASE}/chart"),
            &format!("charts/chart{}.xml", i + 1),
        );
    }
    out += "</Relationships>";
    out
}

fn core(doc: &Document) -> String {
    // No dates: they would make two runs differ, and Word fills them when the office saves.
    format!(
        "{DECL}<cp:coreProperties \
         xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title><dc:subject>{}年度{}{}公开</dc:subject>\
         <dc:creator>{}</dc:creator><cp:keywords>{}公开</cp:keywords>\
         <dc:language>zh-CN</dc:language></cp:coreProperties>",
        esc(&doc.title),
        doc.year,
        esc(&doc.kind),
        esc(&doc.document),
        esc(&doc.entity),
        esc(&doc.document)
    )
}

fn app(doc: &Document) -> String {
    format!(
        "{DECL}<Properties \
         xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">\
         <Application>juesuan</Application><Company>{}</Company></Properties>",
        esc(&doc.entity)
    )
}

fn settings() -> String {
    // updateFields: Word asks on open to update fields, which fills the 目录's page numbers.
    format!(
        "{DECL}<w:settings xmlns:w=\"{NS_W}\"><w:zoom w:percent=\"100\"/>\
         <w:defaultTabStop w:val=\"420\"/>\
         <w:characterSpacingControl w:val=\"compressPunctuation\"/>\
         <w:updateFields w:val=\"true\"/>\
         <w:compat><w:compatSetting w:name=\"compatibilityMode\" \
         w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
         <w:themeFontLang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/>\
         <w:decimalSymbol w:val=\".\"/><w:listSeparator w:val=\",\"/></w:settings>"
    )
}

/// The page header: empty, or for a draft the 草稿 watermark. Word's own watermarks are a VML
/// WordArt shape (text path) anchored in the header, centred on the page behind the text;
/// Word, WPS and LibreOffice all recognise that form as a watermark.
fn header(draft: bool) -> String {
    let content = if draft { watermark() } else { String::new() };
    format!(
        "{DECL}<w:hdr xmlns:w=\"{NS_W}\" xmlns:r=\"{NS_R}\" \
         xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\" \
         xmlns:w10=\"urn:schemas-microsoft-com:office:word\">{}</w:hdr>",
        para(
            &ParaProps {
                style: Some("Header"),
                ..ParaProps::default()
            },
            &content
        )
    )
}

fn watermark() -> String {
    // Shape type 136 is WordArt "plain text"; the formulas are Word's, unchanged.
    let formulas = [
        "sum #0 0 10800",
        "prod #0 2 1",
        "sum 21600 0 @1",
        "sum 0 0 @2",
        "sum 21600 0 @3",
        "if @0 @3 0",
        "if @0 21600 @1",
        "if @0 0 @2",
        "if @0 @4 21600",
        "mid @5 @6",
        "mid @8 @5",
        "mid @7 @8",
        "mid @6 @7",
        "sum @6 0 @5",
    ]
    .iter()
    .map(|f| format!("<v:f eqn=\"{f}\"/>"))
    .collect::<String>();
    format!(
        "<w:r><w:rPr><w:noProof/></w:rPr><w:pict>\
         <v:shapetype id=\"_x0000_t136\" coordsize=\"21600,21600\" o:spt=\"136\" adj=\"10800\" \
         path=\"m@7,l@8,m@5,21600l@6,21600e\"><v:formulas>{formulas}</v:formulas>\
         <v:path textpathok=\"t\" o:connecttype=\"custom\" \
         o:connectlocs=\"@9,0;@10,10800;@11,21600;@12,10800\" o:connectangles=\"270,180,90,0\"/>\
         <v:textpath on=\"t\" fitshape=\"t\"/><v:handles><v:h position=\"#0,bottomRight\" \
         xrange=\"6629,14971\"/></v:handles><o:lock v:ext=\"edit\" text=\"t\" shapetype=\"t\"/>\
         </v:shapetype>\
         <v:shape id=\"PowerPlusWaterMarkObject1\" o:spid=\"_x0000_s1025\" type=\"#_x0000_t136\" \
         style=\"position:absolute;margin-left:0;margin-top:0;width:400pt;height:200pt;\
         rotation:315;z-index:-251657216;mso-position-horizontal:center;\
         mso-position-horizontal-relative:margin;mso-position-vertical:center;\
         mso-position-vertical-relative:margin\" o:allowincell=\"f\" fillcolor=\"#d8d8d8\" \
         stroked=\"f\"><v:fill opacity=\".5\"/>\
         <v:textpath style=\"font-family:&quot;宋体&quot;;font-size:1pt\" string=\"{}\"/>\
         <w10:wrap anchorx=\"margin\" anchory=\"margin\"/></v:shape></w:pict></w:r>",
        esc(DRAFT_MARK)
    )
}

/// The page footer: the page number, centred.
fn footer() -> String {
    format!(
        "{DECL}<w:ftr xmlns:w=\"{NS_W}\" xmlns:r=\"{NS_R}\">{}</w:ftr>",
        para(
            &ParaProps {
                style: Some("Footer"),
                ..ParaProps::default()
            },
            &format!(
                "{}{}{}",
                run("— ", RunProps::default()),
                xml::field("PAGE", "1", RunProps::default()),
                run(" —", RunProps::default())
            )
        )
    )
}
