//! Charts as SVG: pies for 收入/支出决算图 and a grouped bar chart for 年初预算 vs 决算.
//! Sizes come from the displayed figures; floats appear only as drawing coordinates.

use juesuan_report::{Chart, ChartKind};

/// Colours of the series and slices, in order; chosen to stay distinct in grey print.
const PALETTE: [&str; 8] = [
    "#2f5597", "#c55a11", "#548235", "#bf9000", "#7030a0", "#2e75b6", "#a5a5a5", "#843c0c",
];

pub const FONT: &str =
    "'Noto Serif CJK SC', 'Noto Sans CJK SC', 'Source Han Serif SC', 'SimSun', serif";

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The chart as a standalone SVG document.
pub fn chart_svg(chart: &Chart) -> String {
    match chart.kind {
        ChartKind::Pie => pie(chart),
        ChartKind::Bar => bar(chart),
    }
}

fn pie(chart: &Chart) -> String {
    let (w, h) = (680.0, 300.0);
    let (cx, cy, r) = (150.0, 150.0, 120.0);
    let mut out = header(w, h, &chart.title);
    let mut start = 0i64; // hundredths of a percent
    let items: Vec<_> = chart.items.iter().filter(|i| i.share.is_some()).collect();
    for (i, item) in items.iter().enumerate() {
        let share = item.share.map(|p| p.0).unwrap_or(0);
        let color = PALETTE[i % PALETTE.len()];
        if share >= 10_000 {
            out += &format!(r#"<circle cx="{cx}" cy="{cy}" r="{r}" fill="{color}"/>"#);
        } else if share > 0 {
            let a0 = angle(start);
            let a1 = angle(start + share);
            let large = if share > 5_000 { 1 } else { 0 };
            out += &format!(
                r##"<path d="M{cx},{cy} L{:.2},{:.2} A{r},{r} 0 {large} 1 {:.2},{:.2} Z" fill="{color}" stroke="#fff" stroke-width="1"/>"##,
                cx + r * a0.sin(),
                cy - r * a0.cos(),
                cx + r * a1.sin(),
                cy - r * a1.cos(),
            );
        }
        start += share;
        let y = 40.0 + 26.0 * i as f64;
        out += &format!(
            r#"<rect x="290" y="{:.0}" width="14" height="14" fill="{color}"/><text x="310" y="{:.0}" font-size="13">{} {}万元 {}</text>"#,
            y - 12.0,
            y,
            esc(&item.label),
            item.values
                .first()
                .map(|m| m.format_wan())
                .unwrap_or_default(),
            item.share.map(|p| p.display()).unwrap_or_default(),
        );
    }
    out += "</svg>";
    out
}

/// Clockwise from 12 o'clock, in radians, for a position in hundredths of a percent.
fn angle(hundredths: i64) -> f64 {
    hundredths as f64 / 10_000.0 * std::f64::consts::TAU
}

fn bar(chart: &Chart) -> String {
    let n = chart.items.len().max(1);
    let series = chart.series.len().max(1);
    let (left, top, plot_h) = (70.0, 40.0, 220.0);
    let group_w = 80.0;
    let w = left + group_w * n as f64 + 20.0;
    let h = top + plot_h + 90.0;
    let max = chart
        .items
        .iter()
        .flat_map(|i| i.values.iter().map(|m| m.fen()))
        .max()
        .unwrap_or(0)
        .max(1);
    let mut out = header(w.max(420.0), h, &chart.title);
    // axis with five ticks
    for t in 0..=4 {
        let y = top + plot_h - plot_h * t as f64 / 4.0;
        let value = juesuan_model::Money::from_fen(max * t / 4).round_to_wan_cent();
        out += &format!(
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#ddd\"/><text x=\"{:.0}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"end\">{}</text>",
            w - 10.0,
            left - 4.0,
            y + 3.0,
            value.format_wan()
        );
    }
    let bar_w = (group_w - 16.0) / series as f64;
    for (i, item) in chart.items.iter().enumerate() {
        let x0 = left + group_w * i as f64 + 8.0;
        for (s, v) in item.values.iter().enumerate() {
            let bh = plot_h * v.fen() as f64 / max as f64;
            out += &format!(
                r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{}"><title>{} {} {}万元</title></rect>"#,
                x0 + bar_w * s as f64,
                top + plot_h - bh,
                bar_w - 2.0,
                bh,
                PALETTE[s % PALETTE.len()],
                esc(&item.label),
                esc(chart.series.get(s).map(String::as_str).unwrap_or("")),
                v.format_wan()
            );
        }
        out += &format!(
            r#"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="middle">{}</text>"#,
            x0 + (group_w - 16.0) / 2.0,
            top + plot_h + 16.0,
            esc(&short(&item.label))
        );
    }
    for (s, name) in chart.series.iter().enumerate() {
        let x = left + 120.0 * s as f64;
        out += &format!(
            r#"<rect x="{x:.0}" y="{:.0}" width="14" height="14" fill="{}"/><text x="{:.0}" y="{:.0}" font-size="12">{}</text>"#,
            h - 40.0,
            PALETTE[s % PALETTE.len()],
            x + 20.0,
            h - 28.0,
            esc(name)
        );
    }
    out += "</svg>";
    out
}

/// A 类 name short enough for an axis label: "社会保障和就业支出" → "社会保障和就业".
fn short(label: &str) -> String {
    let s = label.strip_suffix("支出").unwrap_or(label);
    if s.chars().count() > 7 {
        s.chars().take(6).chain(['…']).collect()
    } else {
        s.to_string()
    }
}

fn header(w: f64, h: f64, title: &str) -> String {
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.0} {h:.0}" font-family="{FONT}" role="img" aria-label="{}"><rect width="100%" height="100%" fill="#fff"/>"##,
        esc(title)
    )
}
