//! `juesuan audit`: reads a published 决算公开 (.txt, .docx, .pdf) and lists every number that
//! disagrees with another — text against text, against the shares and rates it states, against
//! its own lists and chart data — without ever flagging a difference that rounding explains
//! (every printed figure is an interval).
//!
//! Not for datasets (the check crate checks those) and not a general PDF/Word reader: it reads
//! the text layer and the standard phrasing of a 决算公开.

pub mod document;
mod engine;
pub mod figure;
mod identities;
mod quantities;
pub mod read;
mod spec;
mod structure;
mod tables;
pub mod text;

pub use juesuan_check::{DocumentRead, Finding, Report, Severity, Summary, TableRead};
pub use juesuan_model::DocKind;
use std::path::Path;

/// Audits one file.
pub fn audit_file(path: &Path, year: i32) -> Result<Report, String> {
    audit_file_as(path, year, None)
}

/// Audits one file as the given kind (`--document`), or as the kind it names.
pub fn audit_file_as(path: &Path, year: i32, kind: Option<DocKind>) -> Result<Report, String> {
    let src = read::read(path)?;
    audit_source_as(&src, year, kind)
}

/// Audits text already read (e.g. a generated document).
pub fn audit_source(src: &read::Source, year: i32) -> Result<Report, String> {
    audit_source_as(src, year, None)
}

/// Audits text already read, as the given kind or as the kind it names.
pub fn audit_source_as(
    src: &read::Source,
    year: i32,
    kind: Option<DocKind>,
) -> Result<Report, String> {
    let document = document::identify(src, kind);
    let spec = spec::Spec::for_document(year, document.kind)?;
    let template = juesuan_model::Template::for_year(year)?;
    let mut a = engine::Auditor::new(src, spec, &template.functional, &document);
    a.run();
    let count = |s: Severity| a.findings.iter().filter(|f| f.severity == s).count();
    let summary = Summary {
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        styles: count(Severity::Style),
        rules: RULES.len(),
        evaluated: a.evaluated,
    };
    Ok(Report {
        findings: a.findings,
        summary,
        tables: src
            .tables
            .iter()
            .zip(a.identities.iter().chain(std::iter::repeat(&(0, 0))))
            .map(|(t, &(identities, held))| TableRead {
                identities,
                identities_held: held,
                ..table_read(t)
            })
            .collect(),
        document: Some(document.read()),
    })
}

fn table_read(t: &juesuan_read::Table) -> TableRead {
    TableRead {
        title: t.title.clone(),
        number: t.number.clone(),
        unit: match t.unit {
            juesuan_read::Unit::Wan => "万元",
            juesuan_read::Unit::Yuan => "元",
            juesuan_read::Unit::Unknown => "",
        }
        .to_string(),
        pages: t.pages.clone(),
        columns: t.columns.len(),
        rows: t.rows().count(),
        empty: t.is_empty(),
        empty_note: t.empty_note,
        identities: 0,
        identities_held: 0,
    }
}

/// The document rules, for `juesuan rules --audit` and the docs.
pub const RULES: [(&str, &str); 26] = [
    ("audit.rate", "变动率与变动额、本年数不符"),
    ("audit.change", "变动额与所比较的两数之差不符"),
    (
        "audit.direction",
        "变动方向前后矛盾；“决算数大于/小于/等于预算数”与数字不符",
    ),
    ("audit.zero_change", "没有变化却写“增加0.00万元，增长0%”"),
    ("audit.zero_base", "基数为0却写了比率"),
    (
        "audit.completion",
        "完成率与预算、决算数不符；不相等却写100%",
    ),
    ("audit.no_difference", "预算与决算不同却写“无差异”"),
    ("audit.share", "占比与金额不符"),
    ("audit.list_sum", "“包括”的各项合计与总数不符"),
    ("audit.list_exceeds", "“主要包括/其中”的各项合计超过总数"),
    ("audit.class_sum", "类决算数与所列项合计不符"),
    ("audit.class_budget", "类年初预算与所列项年初预算合计不符"),
    (
        "audit.class_total",
        "一般公共预算财政拨款支出与各类合计不符",
    ),
    ("audit.code_name", "项与款的隶属关系与支出功能分类科目不符"),
    ("audit.duplicate", "同一项目重复列出"),
    ("audit.count", "项目个数与所列名称或合计不符"),
    ("audit.chart", "图表数据与正文占比不符"),
    ("audit.numbering", "标题编号不连续或样式不一致"),
    ("audit.same_quantity", "同一数字前后不一致"),
    ("audit.identity", "总数与其组成部分之和不符"),
    ("audit.zero_share", "金额为0却写了占比"),
    ("audit.table_sum", "表中合计与各栏、各行之和不符"),
    ("audit.text_table", "正文数字与表中数字不符"),
    ("audit.contents", "目录列出的表格文件中没有"),
    (
        "audit.year",
        "年份与文件年度不符（截至……12月31日、标题中的年份）",
    ),
    (
        "audit.placeholder",
        "模板占位符未替换（XX局、××、某某、（单位名称））",
    ),
];
