//! Escaping and the few WordprocessingML fragments every part repeats.

/// The main WordprocessingML namespace and its companions, declared on each part's root.
pub const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
pub const NS_R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
pub const NS_WP: &str = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";
pub const NS_A: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
pub const NS_C: &str = "http://schemas.openxmlformats.org/drawingml/2006/chart";

pub const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// Escapes text for element content and attribute values alike. Characters XML 1.0 cannot
/// carry at all (most C0 controls, U+FFFE/U+FFFF) are dropped: one stray control character
/// pasted from a spreadsheet would otherwise make Word refuse the whole file.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Direct run formatting: bold and a size in half-points (Word's unit for w:sz).
#[derive(Clone, Copy, Default)]
pub struct RunProps {
    pub bold: bool,
    pub half_points: Option<u32>,
}

impl RunProps {
    pub fn xml(self) -> String {
        let mut out = String::new();
        if self.bold {
            out += "<w:b/><w:bCs/>";
        }
        if let Some(sz) = self.half_points {
            out += &format!("<w:sz w:val=\"{sz}\"/><w:szCs w:val=\"{sz}\"/>");
        }
        if out.is_empty() {
            out
        } else {
            format!("<w:rPr>{out}</w:rPr>")
        }
    }
}

/// One run of text. Line breaks and tabs in the text become w:br and w:tab, since Word
/// ignores them inside w:t.
pub fn run(text: &str, props: RunProps) -> String {
    let rpr = props.xml();
    let mut out = format!("<w:r>{rpr}");
    let mut first_line = true;
    for line in text.split('\n') {
        if !first_line {
            out += "<w:br/>";
        }
        first_line = false;
        let mut first_cell = true;
        for piece in line.split('\t') {
            if !first_cell {
                out += "<w:tab/>";
            }
            first_cell = false;
            let piece = piece.strip_suffix('\r').unwrap_or(piece);
            if !piece.is_empty() {
                out += &format!("<w:t xml:space=\"preserve\">{}</w:t>", esc(piece));
            }
        }
    }
    out += "</w:r>";
    out
}

/// Paragraph properties, written in the element order the schema requires (Word rejects a
/// document whose w:pPr children are out of order).
#[derive(Default)]
pub struct ParaProps<'a> {
    pub style: Option<&'a str>,
    pub keep_next: bool,
    pub page_break_before: bool,
    /// A complete w:ind element.
    pub ind: Option<String>,
    pub jc: Option<&'a str>,
    /// Formatting of the paragraph mark, so an empty cell keeps the row height of its font.
    pub mark: RunProps,
}

impl ParaProps<'_> {
    pub fn xml(&self) -> String {
        let mut out = String::new();
        if let Some(s) = self.style {
            out += &format!("<w:pStyle w:val=\"{s}\"/>");
        }
        if self.keep_next {
            out += "<w:keepNext/>";
        }
        if self.page_break_before {
            out += "<w:pageBreakBefore/>";
        }
        if let Some(ind) = &self.ind {
            out += ind;
        }
        if let Some(jc) = self.jc {
            out += &format!("<w:jc w:val=\"{jc}\"/>");
        }
        out += &self.mark.xml();
        if out.is_empty() {
            out
        } else {
            format!("<w:pPr>{out}</w:pPr>")
        }
    }
}

/// A paragraph with the given properties around already-built runs.
pub fn para(props: &ParaProps, runs: &str) -> String {
    format!("<w:p>{}{runs}</w:p>", props.xml())
}

/// A complex field (begin / instruction / separate / cached result / end) as a run sequence;
/// Word recomputes the result, other readers show the cached one.
pub fn field(instr: &str, cached: &str, props: RunProps) -> String {
    let rpr = props.xml();
    format!(
        "<w:r>{rpr}<w:fldChar w:fldCharType=\"begin\"/></w:r>\
         <w:r>{rpr}<w:instrText xml:space=\"preserve\"> {} </w:instrText></w:r>\
         <w:r>{rpr}<w:fldChar w:fldCharType=\"separate\"/></w:r>\
         {}<w:r>{rpr}<w:fldChar w:fldCharType=\"end\"/></w:r>",
        esc(instr),
        if cached.is_empty() {
            String::new()
        } else {
            run(cached, props)
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_invalid_controls() {
        assert_eq!(esc("a&b<c>\"'"), "a&amp;b&lt;c&gt;&quot;&apos;");
        assert_eq!(esc("x\u{1}y\u{FFFF}"), "xy");
        assert_eq!(esc("合计\t"), "合计\t");
    }

    #[test]
    fn run_turns_newlines_and_tabs_into_elements() {
        let r = run("a\nb\tc", RunProps::default());
        assert_eq!(
            r,
            "<w:r><w:t xml:space=\"preserve\">a</w:t><w:br/>\
             <w:t xml:space=\"preserve\">b</w:t><w:tab/>\
             <w:t xml:space=\"preserve\">c</w:t></w:r>"
        );
    }
}
