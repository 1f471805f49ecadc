//! Native charts: word/charts/chartN.xml (DrawingML chartSpace) and the inline drawing that
//! places one in the text.
//!
//! The data live only in the cached values (c:strCache / c:numCache): there is no embedded
//! workbook, so Word, WPS and LibreOffice draw the chart and let the office restyle it, but
//! "edit data" has nothing to open. The cached figures are the displayed ones, and the pie
//! labels carry the document's own shares, so the chart cannot disagree with the text.

use crate::xml::{esc, DECL, NS_A, NS_C, NS_R};
use juesuan_report::{Chart, ChartKind};

/// The html renderer's palette, so the charts look alike in every format.
const PALETTE: [&str; 8] = [
    "2F5597", "C55A11", "548235", "BF9000", "7030A0", "2E75B6", "A5A5A5", "843C0C",
];

/// EMU per twip and per centimetre.
const EMU_PER_TWIP: u64 = 635;
const EMU_PER_CM: u64 = 360_000;

fn color(i: usize) -> String {
    format!(
        "<c:spPr><a:solidFill><a:srgbClr val=\"{}\"/></a:solidFill></c:spPr>",
        PALETTE[i % PALETTE.len()]
    )
}

/// Spreadsheet column letter of series `s` (B, C, …), for the otherwise unused c:f
/// references the schema requires.
fn column(s: usize) -> String {
    let mut n = s + 2;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

fn str_cache(values: &[&str]) -> String {
    let mut out = format!("<c:strCache><c:ptCount val=\"{}\"/>", values.len());
    for (i, v) in values.iter().enumerate() {
        out += &format!("<c:pt idx=\"{i}\"><c:v>{}</c:v></c:pt>", esc(v));
    }
    out += "</c:strCache>";
    out
}

fn series_head(c: &Chart, s: usize) -> String {
    let name = c.series.get(s).map(String::as_str).unwrap_or(&c.title);
    format!(
        "<c:idx val=\"{s}\"/><c:order val=\"{s}\"/><c:tx><c:strRef><c:f>Sheet1!${col}$1</c:f>\
         {}</c:strRef></c:tx>",
        str_cache(&[name]),
        col = column(s)
    )
}

fn categories(c: &Chart) -> String {
    let labels: Vec<&str> = c.items.iter().map(|i| i.label.as_str()).collect();
    format!(
        "<c:cat><c:strRef><c:f>Sheet1!$A$2:$A${}</c:f>{}</c:strRef></c:cat>",
        labels.len() + 1,
        str_cache(&labels)
    )
}

/// The values of series `s`, as the document prints them ("3441.03"); a missing value is
/// left out, which charts show as a gap.
fn values(c: &Chart, s: usize) -> String {
    let mut out = format!(
        "<c:val><c:numRef><c:f>Sheet1!${col}$2:${col}${}</c:f><c:numCache>\
         <c:formatCode>0.00</c:formatCode><c:ptCount val=\"{}\"/>",
        c.items.len() + 1,
        c.items.len(),
        col = column(s)
    );
    for (i, item) in c.items.iter().enumerate() {
        if let Some(v) = item.values.get(s) {
            out += &format!("<c:pt idx=\"{i}\"><c:v>{}</c:v></c:pt>", v.format_wan());
        }
    }
    out += "</c:numCache></c:numRef></c:val>";
    out
}

/// Text properties: 宋体 for CJK, at `hundredths` of a point.
fn text_props(hundredths: u32) -> String {
    format!(
        "<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"{hundredths}\">\
         <a:latin typeface=\"Times New Roman\"/><a:ea typeface=\"宋体\"/></a:defRPr></a:pPr>\
         <a:endParaRPr lang=\"zh-CN\"/></a:p></c:txPr>"
    )
}

const LABEL_FLAGS_TAIL: &str = "<c:showBubbleSize val=\"0\"/>";

fn label_flags(val: bool, percent: bool) -> String {
    format!(
        "<c:showLegendKey val=\"0\"/><c:showVal val=\"{}\"/><c:showCatName val=\"0\"/>\
         <c:showSerName val=\"0\"/><c:showPercent val=\"{}\"/>{LABEL_FLAGS_TAIL}",
        val as u8, percent as u8
    )
}

fn pie(c: &Chart) -> String {
    let mut ser = format!("<c:ser>{}", series_head(c, 0));
    for i in 0..c.items.len() {
        ser += &format!(
            "<c:dPt><c:idx val=\"{i}\"/><c:bubble3D val=\"0\"/>{}</c:dPt>",
            color(i)
        );
    }
    // Each slice is labelled with the share the text quotes (shares are balanced to add up
    // to 100.00%, which a reader's own rounding would not guarantee). Slices without a share
    // fall back to the percentage the application computes.
    ser += "<c:dLbls>";
    for (i, item) in c.items.iter().enumerate() {
        if let Some(share) = item.share {
            ser += &format!(
                "<c:dLbl><c:idx val=\"{i}\"/><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:r>\
                 <a:rPr lang=\"zh-CN\"/><a:t>{}</a:t></a:r></a:p></c:rich></c:tx>\
                 <c:dLblPos val=\"bestFit\"/>{}</c:dLbl>",
                esc(&share.display()),
                label_flags(false, true)
            );
        }
    }
    ser += &format!(
        "<c:numFmt formatCode=\"0.00%\" sourceLinked=\"0\"/>{}<c:dLblPos val=\"bestFit\"/>{}\
         <c:showLeaderLines val=\"1\"/></c:dLbls>",
        text_props(1000),
        label_flags(false, true)
    );
    ser += &categories(c);
    ser += &values(c, 0);
    ser += "</c:ser>";
    format!("<c:pieChart><c:varyColors val=\"1\"/>{ser}<c:firstSliceAng val=\"0\"/></c:pieChart>")
}

/// Horizontal bars: the category names (支出功能分类 names of up to a dozen characters) read
/// on one line beside the axis, and each bar's figure sits at its end without colliding with
/// its neighbour's, as they do in columns.
fn bar(c: &Chart) -> String {
    let mut out = String::from(
        "<c:barChart><c:barDir val=\"bar\"/><c:grouping val=\"clustered\"/>\
         <c:varyColors val=\"0\"/>",
    );
    for s in 0..c.series.len().max(1) {
        out += &format!(
            "<c:ser>{}{}<c:invertIfNegative val=\"0\"/><c:dLbls>\
             <c:numFmt formatCode=\"0.00\" sourceLinked=\"0\"/>{}<c:dLblPos val=\"outEnd\"/>{}\
             </c:dLbls>{}{}</c:ser>",
            series_head(c, s),
            color(s),
            text_props(800),
            label_flags(true, false),
            categories(c),
            values(c, s)
        );
    }
    out += "<c:gapWidth val=\"80\"/><c:axId val=\"5001\"/><c:axId val=\"5002\"/></c:barChart>";
    out
}

/// The category axis runs top to bottom in the document's order (maxMin), so the value axis
/// crosses it at the last category to stay at the bottom.
fn axes() -> String {
    format!(
        "<c:catAx><c:axId val=\"5001\"/><c:scaling><c:orientation val=\"maxMin\"/></c:scaling>\
         <c:delete val=\"0\"/><c:axPos val=\"l\"/><c:numFmt formatCode=\"General\" \
         sourceLinked=\"0\"/><c:majorTickMark val=\"none\"/><c:minorTickMark val=\"none\"/>\
         <c:tickLblPos val=\"low\"/>{}<c:crossAx val=\"5002\"/><c:crosses val=\"autoZero\"/>\
         <c:auto val=\"1\"/><c:lblAlgn val=\"ctr\"/><c:lblOffset val=\"100\"/>\
         <c:noMultiLvlLbl val=\"0\"/></c:catAx>\
         <c:valAx><c:axId val=\"5002\"/><c:scaling><c:orientation val=\"minMax\"/></c:scaling>\
         <c:delete val=\"0\"/><c:axPos val=\"b\"/><c:majorGridlines><c:spPr><a:ln w=\"6350\">\
         <a:solidFill><a:srgbClr val=\"D9D9D9\"/></a:solidFill></a:ln></c:spPr>\
         </c:majorGridlines><c:numFmt formatCode=\"General\" sourceLinked=\"0\"/>\
         <c:majorTickMark val=\"out\"/><c:minorTickMark val=\"none\"/>\
         <c:tickLblPos val=\"nextTo\"/>{}<c:crossAx val=\"5001\"/>\
         <c:crosses val=\"max\"/><c:crossBetween val=\"between\"/></c:valAx>",
        text_props(900),
        text_props(900)
    )
}

/// The chart part for one chart.
pub fn chart_xml(c: &Chart) -> String {
    let (plot, axes) = match c.kind {
        ChartKind::Pie => (pie(c), String::new()),
        ChartKind::Bar => (bar(c), axes()),
    };
    format!(
        "{DECL}<c:chartSpace xmlns:c=\"{NS_C}\" xmlns:a=\"{NS_A}\" xmlns:r=\"{NS_R}\">\
         <c:date1904 val=\"0\"/><c:lang val=\"zh-CN\"/><c:roundedCorners val=\"0\"/>\
         <c:chart><c:autoTitleDeleted val=\"1\"/><c:plotArea><c:layout/>{plot}{axes}\
         </c:plotArea><c:legend><c:legendPos val=\"b\"/><c:overlay val=\"0\"/>{}</c:legend>\
         <c:plotVisOnly val=\"1\"/><c:dispBlanksAs val=\"gap\"/></c:chart>\
         <c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>{}</c:chartSpace>",
        text_props(900),
        text_props(900)
    )
}

/// The inline drawing that shows chart relationship `rel_id`, `width` twips wide. `id` must be
/// unique among the document's drawings; the title doubles as the alt text.
pub fn inline_xml(c: &Chart, rel_id: &str, id: usize, width: u32) -> String {
    let cx = width as u64 * EMU_PER_TWIP;
    // A pie wants a squat box with its legend below; bars a band per category.
    let cy = match c.kind {
        ChartKind::Pie => cx * 11 / 20,
        ChartKind::Bar => {
            let bars = (c.items.len() * c.series.len().max(1)) as u64;
            EMU_PER_CM * 2 + bars * EMU_PER_CM * 5 / 10 + c.items.len() as u64 * EMU_PER_CM * 4 / 10
        }
    };
    format!(
        "<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">\
         <wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/>\
         <wp:docPr id=\"{id}\" name=\"图表 {id}\" descr=\"{}\"/><wp:cNvGraphicFramePr/>\
         <a:graphic xmlns:a=\"{NS_A}\"><a:graphicData uri=\"{NS_C}\">\
         <c:chart xmlns:c=\"{NS_C}\" r:id=\"{rel_id}\"/></a:graphicData></a:graphic>\
         </wp:inline></w:drawing></w:r>",
        esc(&c.title)
    )
}

#[cfg(test)]
mod tests {
    use super::column;

    #[test]
    fn series_columns_start_at_b() {
        assert_eq!(column(0), "B");
        assert_eq!(column(24), "Z");
        assert_eq!(column(25), "AA");
    }
}
