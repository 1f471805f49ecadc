//! The 决算公开 document before any output format: the five parts with every sentence of the
//! narrative, the nine tables as printed (舍位平衡 applied) and the chart data.
//!
//! Data flows one way: a checked [`Disclosure`] goes in, a [`Document`] comes out, and the
//! renderers (html, pdf, docx, xlsx crates) only lay it out. Every number the text quotes is
//! computed here from the displayed table figures, so text, tables and charts cannot disagree.
//! This crate does not check the data (check crate; `juesuan build` refuses data with errors
//! before calling it) and does not format pages.

mod budget;
pub mod displayed;
pub mod document;
mod glossary;
mod narrative;
mod outline;
mod tables;

pub use budget::budget_tables;
pub use document::{
    Block, Cell, Chart, ChartItem, ChartKind, DisplayRow, DisplayTable, Document, HeaderCell,
};
pub use outline::chinese_number;
pub use tables::nine_tables;

use juesuan_model::{Disclosure, DocKind, EntityKind, TableSet, Template};
use outline::Outline;

/// The tables that speak for the entity: the published 部门 tables when given, the one unit's
/// for a single-unit dataset, else the consolidation of the units (as the check does).
pub fn entity_tables(d: &Disclosure, template: &Template) -> TableSet {
    match &d.department {
        Some(t) => t.clone(),
        None if d.units.len() == 1 => d.units[0].tables.clone(),
        None => juesuan_consolidate::consolidate(d, template).tables,
    }
}

/// Builds the whole document of a disclosure.
pub fn build(d: &Disclosure) -> Result<Document, String> {
    let template = Template::for_kind(d.entity.doc, d.entity.year)?;
    let exact = entity_tables(d, template);
    let shown = displayed::displayed(&exact, template);
    if d.entity.doc == DocKind::Budget {
        return budget::build(d, template, &shown);
    }
    let year = d.entity.year;
    let kind = match d.entity.kind {
        EntityKind::Department => "部门",
        EntityKind::Unit => "单位",
    };
    let mut o = Outline::default();

    o.heading(1, &format!("{kind}概况"));
    overview(d, &mut o, kind);

    o.push(Block::PageBreak);
    o.heading(1, &format!("{year}年度{kind}决算情况说明"));
    let sources = narrative::Sources {
        d,
        tables: &shown,
        template,
    };
    narrative::write(&sources, &mut o);

    o.push(Block::PageBreak);
    o.heading(1, "名词解释");
    for (i, (term, text)) in glossary::terms(year)?.into_iter().enumerate() {
        o.para(format!("{}、{term}：{text}", chinese_number(i + 1)));
    }

    o.heading(1, "决算公开联系方式及信息反馈渠道");
    o.para(format!(
        "本{kind}决算公开信息反馈和联系方式：联系人：{}，联系电话：{}。",
        d.contact.person, d.contact.phone
    ));

    o.push(Block::PageBreak);
    o.heading(1, &format!("{year}年度{kind}决算表"));
    for (i, t) in tables::nine_tables(&shown, template, &d.entity.name, kind)
        .into_iter()
        .enumerate()
    {
        if i > 0 {
            o.push(Block::PageBreak);
        }
        o.push(Block::Table(t));
    }

    Ok(Document {
        title: format!("{}{year}年度{kind}决算", d.entity.name),
        entity: d.entity.name.clone(),
        year,
        kind: kind.to_string(),
        document: DocKind::Final.chinese().to_string(),
        blocks: o.blocks,
    })
}

fn overview(d: &Disclosure, o: &mut Outline, kind: &str) {
    o.heading(2, "主要职能");
    for (i, f) in d.overview.functions.iter().enumerate() {
        let end = if i + 1 == d.overview.functions.len() {
            "。"
        } else {
            "；"
        };
        o.para(format!(
            "{}. {}{end}",
            i + 1,
            f.trim_end_matches(['。', '；', ';'])
        ));
    }
    o.heading(2, &format!("{kind}机构设置及决算单位构成情况"));
    if !d.overview.institutions.is_empty() {
        o.para(d.overview.institutions.clone());
    }
    let names: Vec<&str> = d.units.iter().map(|u| u.name.as_str()).collect();
    o.para(format!(
        "从决算单位构成看，纳入本{kind}{}年度决算编制范围的预算单位共计{}家，具体包括：{}。",
        d.entity.year,
        d.units.len(),
        names.join("、")
    ));
    let units: Vec<(String, String)> = d
        .units
        .iter()
        .map(|u| (u.name.clone(), u.nature.clone()))
        .collect();
    o.push(Block::Table(tables::units_table(&units)));
    o.heading(2, &format!("{}年度{kind}主要工作完成情况", d.entity.year));
    for w in &d.overview.work {
        o.para(w.clone());
    }
}
