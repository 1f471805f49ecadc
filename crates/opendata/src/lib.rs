//! Open data: one record per table cell — (entity, unit, table, row code, row name, column,
//! amount) — as CSV and JSON, plus a `datapackage.json` in the Frictionless / Fiscal Data
//! Package style that declares the columns, their types, the unit (万元) and the code lists,
//! so researchers can stack many departments and years.
//!
//! Amounts are the printed figures (万元, two decimals, 舍位平衡 applied) as decimal strings in
//! JSON and plain decimals in CSV, never floats. Not for the workbook (xlsx crate).
//!
//! The long format of the dataset itself ([`long_records`], `juesuan export --format
//! csv|json|datapackage`) is the same shape for the exact amounts: every unit and the 部门,
//! every column given (comparatives too), in the dataset's unit (万元 or 元) as exact decimals.

use juesuan_model::{CodeBook, Disclosure, DocKind, Layout, TableSet, Template};
use serde::Serialize;

/// One table cell.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Record {
    pub entity: String,
    pub year: i32,
    /// "部门" for the entity's own tables, else the unit's id.
    pub unit: String,
    pub unit_name: String,
    pub table: String,
    pub table_title: String,
    /// Classification code, or the item name of a fixed row.
    pub row_code: String,
    pub row_name: String,
    /// 功能分类, 经济分类 or empty for fixed rows.
    pub classification: String,
    pub column: String,
    /// 万元, two decimals.
    pub amount: String,
}

/// Records of the entity's printed tables and, when `with_units`, of every unit's.
pub fn records(d: &Disclosure, with_units: bool) -> Result<Vec<Record>, String> {
    let template = Template::for_kind(d.entity.doc, d.entity.year)?;
    let entity_tables = juesuan_report::entity_tables(d, template);
    let mut out = Vec::new();
    push(
        &mut out,
        d,
        template,
        "部门",
        &d.entity.name,
        &entity_tables,
    );
    if with_units && d.units.len() > 1 {
        for u in &d.units {
            push(&mut out, d, template, &u.id, &u.name, &u.tables);
        }
    }
    Ok(out)
}

fn push(
    out: &mut Vec<Record>,
    d: &Disclosure,
    template: &Template,
    unit: &str,
    unit_name: &str,
    exact: &TableSet,
) {
    let shown = juesuan_report::displayed::displayed(exact, template);
    for def in template.standard_tables() {
        let Some(t) = shown.get(&def.id) else {
            continue;
        };
        let classification = match def.layout {
            Layout::Functional => "功能分类",
            Layout::Economic => "经济分类",
            Layout::Fixed => "",
        };
        let mut rows: Vec<_> = t.rows().iter().collect();
        rows.sort_by_key(|r| {
            (
                r.key != "合计",
                def.row_def(&r.key).is_none(),
                r.key.clone(),
            )
        });
        for r in rows {
            let is_code = CodeBook::parent_code(&r.key).is_some()
                || r.key.len() == 3 && r.key.chars().all(|c| c.is_ascii_digit());
            for (c, column) in t.columns.iter().enumerate() {
                let Some(v) = r.values[c] else { continue };
                out.push(Record {
                    entity: d.entity.name.clone(),
                    year: d.entity.year,
                    unit: unit.to_string(),
                    unit_name: unit_name.to_string(),
                    table: def.id.clone(),
                    table_title: def.title.clone(),
                    row_code: r.key.clone(),
                    row_name: if r.name.is_empty() {
                        template.row_name(def, &r.key)
                    } else {
                        r.name.clone()
                    },
                    classification: if is_code { classification } else { "" }.to_string(),
                    column: column.clone(),
                    amount: juesuan_model::Money::from_fen(v).format_wan(),
                });
            }
        }
    }
}

/// The columns [`to_csv`] writes as numbers: amounts and years, plain decimals made from
/// `Money` and integers. Every other column is text.
pub const NUMERIC_COLUMNS: [&str; 2] = ["amount", "year"];

/// Records as CSV, with a header. Text cells that a spreadsheet would run as a formula
/// (starting with `= + - @`, tab or CR) are prefixed with `'` ([`juesuan_model::safe`]);
/// the numeric columns ([`NUMERIC_COLUMNS`]) stay numbers, so `-12.50` is still -12.50.
pub fn to_csv<T: Serialize>(records: &[T]) -> Result<Vec<u8>, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in records {
        w.serialize(r).map_err(|e| e.to_string())?;
    }
    let raw = w.into_inner().map_err(|e| e.to_string())?;
    let mut rd = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(raw.as_slice());
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut numeric: Vec<bool> = Vec::new();
    for (i, rec) in rd.records().enumerate() {
        let rec = rec.map_err(|e| e.to_string())?;
        if i == 0 {
            numeric = rec.iter().map(|h| NUMERIC_COLUMNS.contains(&h)).collect();
            out.write_record(&rec).map_err(|e| e.to_string())?;
            continue;
        }
        let cells = rec.iter().enumerate().map(|(c, v)| {
            if numeric.get(c) == Some(&true) && juesuan_model::safe::is_plain_number(v) {
                std::borrow::Cow::Borrowed(v)
            } else {
                juesuan_model::safe::csv_text(v)
            }
        });
        out.write_record(cells.collect::<Vec<_>>().iter().map(|c| c.as_bytes()))
            .map_err(|e| e.to_string())?;
    }
    out.into_inner().map_err(|e| e.to_string())
}

pub fn to_json<T: Serialize>(records: &[T]) -> Result<Vec<u8>, String> {
    serde_json::to_vec_pretty(records).map_err(|e| e.to_string())
}

/// The code lists the records use, as CSV (code, name, level).
pub fn code_list(
    records: &[Record],
    book: &CodeBook,
    classification: &str,
) -> Result<Vec<u8>, String> {
    code_list_of(
        records
            .iter()
            .filter(|r| r.classification == classification)
            .map(|r| r.row_code.as_str()),
        book,
    )
}

/// The given codes (any order, repeated) as a code list CSV (code, name, level).
pub fn code_list_of<'a>(
    codes: impl Iterator<Item = &'a str>,
    book: &CodeBook,
) -> Result<Vec<u8>, String> {
    let mut codes: Vec<&str> = codes.collect();
    codes.sort();
    codes.dedup();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["code", "name", "level"])
        .map_err(|e| e.to_string())?;
    for c in codes {
        let (name, level) = match book.get(c) {
            Some(e) => (e.name.as_str(), e.level.chinese()),
            None => ("", ""),
        };
        w.write_record(
            [c, name, level]
                .map(juesuan_model::safe::csv_text)
                .iter()
                .map(|c| c.as_bytes()),
        )
        .map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

/// datapackage.json for `cells.csv`, `cells.json` and the two code lists.
pub fn datapackage(d: &Disclosure) -> serde_json::Value {
    let doc = d.entity.doc.chinese();
    let (tables, columns, description) = match d.entity.doc {
        DocKind::Final => (
            "T1…T9，对应表1至表9",
            "表中的列，如 决算数、基本支出、年初预算",
            "由 juesuan 从部门决算数据生成；每条记录是九张决算公开表中的一个单元格。",
        ),
        DocKind::Budget => (
            "Y1…Y9，对应部门预算公开表1至表9",
            "表中的列，如 预算数、基本支出、上年预算",
            "由 juesuan 从部门预算数据生成；每条记录是部门预算公开表中的一个单元格。",
        ),
    };
    let field = |name: &str, kind: &str, title: &str, description: &str| serde_json::json!({ "name": name, "type": kind, "title": title, "description": description });
    let mut amount = field(
        "amount",
        "number",
        "金额",
        &format!("{doc}数（万元，保留两位小数，已舍位平衡），与公开文本和表格一致"),
    );
    amount["unit"] = serde_json::json!("万元");
    amount["decimalChar"] = serde_json::json!(".");
    let fields = vec![
        field("entity", "string", "部门", "公开主体名称"),
        field("year", "integer", "年度", &format!("{doc}年度")),
        field(
            "unit",
            "string",
            "单位标识",
            "“部门”为部门汇总表，否则为单位目录名",
        ),
        field("unit_name", "string", "单位名称", ""),
        field("table", "string", "表号", tables),
        field("table_title", "string", "表名", ""),
        field(
            "row_code",
            "string",
            "科目编码或项目",
            "支出功能分类科目编码、部门支出经济分类科目编码，或固定行的项目名称",
        ),
        field("row_name", "string", "科目名称", ""),
        field(
            "classification",
            "string",
            "分类",
            "功能分类、经济分类，或空（固定行）",
        ),
        field("column", "string", "栏目", columns),
        amount,
    ];
    let code_schema = serde_json::json!({ "fields": [
        { "name": "code", "type": "string", "title": "科目编码" },
        { "name": "name", "type": "string", "title": "科目名称" },
        { "name": "level", "type": "string", "title": "级次（类/款/项）" }
    ]});
    serde_json::json!({
        "profile": "tabular-data-package",
        "name": format!("juesuan-{}-{}", d.entity.year, d.entity.name),
        "title": format!("{}{}年度部门{doc}公开数据", d.entity.name, d.entity.year),
        "description": description,
        "created_by": "juesuan",
        "resources": [
            {
                "name": "cells",
                "path": "cells.csv",
                "format": "csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": {
                    "fields": fields,
                    "primaryKey": ["unit", "table", "row_code", "column"]
                }
            },
            { "name": "cells-json", "path": "cells.json", "format": "json", "mediatype": "application/json" },
            { "name": "functional-codes", "title": "支出功能分类科目（本数据用到的部分）", "path": "codes-functional.csv", "format": "csv", "profile": "tabular-data-resource", "schema": code_schema },
            { "name": "economic-codes", "title": "部门支出经济分类科目（本数据用到的部分）", "path": "codes-economic.csv", "format": "csv", "profile": "tabular-data-resource", "schema": code_schema }
        ]
    })
}

/// Writes cells.csv, cells.json, the code lists and datapackage.json into `dir`.
pub fn write_dir(d: &Disclosure, dir: &std::path::Path, with_units: bool) -> Result<usize, String> {
    let template = Template::for_kind(d.entity.doc, d.entity.year)?;
    let recs = records(d, with_units)?;
    std::fs::create_dir_all(dir).map_err(|e| format!("无法创建 {}：{e}", dir.display()))?;
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("cells.csv", to_csv(&recs)?),
        ("cells.json", to_json(&recs)?),
        (
            "codes-functional.csv",
            code_list(&recs, &template.functional, "功能分类")?,
        ),
        (
            "codes-economic.csv",
            code_list(&recs, &template.economic, "经济分类")?,
        ),
        (
            "datapackage.json",
            serde_json::to_vec_pretty(&datapackage(d)).map_err(|e| e.to_string())?,
        ),
    ];
    for (name, bytes) in files {
        let path = dir.join(name);
        juesuan_load::write::ensure_inside(dir, &path)?;
        std::fs::write(&path, bytes).map_err(|e| format!("无法写入 {name}：{e}"))?;
    }
    Ok(recs.len())
}

/// One amount of the dataset in long format.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LongRecord {
    pub entity: String,
    pub year: i32,
    /// A unit's id, or "部门" for the department's tables (published or consolidated).
    pub unit: String,
    pub unit_name: String,
    pub table: String,
    pub table_title: String,
    /// Classification code, or the item name of a fixed row.
    pub row_code: String,
    pub row_name: String,
    /// 功能分类, 经济分类 or empty for fixed rows.
    pub classification: String,
    pub column: String,
    /// Exact decimal in `amount_unit`.
    pub amount: String,
    /// 万元 or 元, as the dataset declares.
    pub amount_unit: String,
}

/// Every amount of the dataset: each unit's nine tables, then the 部门's (for a 部门
/// dataset), every column given, exact in the dataset's unit.
pub fn long_records(d: &Disclosure) -> Result<Vec<LongRecord>, String> {
    let template = Template::for_kind(d.entity.doc, d.entity.year)?;
    let mut out = Vec::new();
    for u in &d.units {
        push_long(&mut out, d, template, &u.id, &u.name, &u.tables);
    }
    if d.entity.kind == juesuan_model::EntityKind::Department {
        let tables = juesuan_report::entity_tables(d, template);
        push_long(&mut out, d, template, "部门", &d.entity.name, &tables);
    }
    Ok(out)
}

fn push_long(
    out: &mut Vec<LongRecord>,
    d: &Disclosure,
    template: &Template,
    unit: &str,
    unit_name: &str,
    set: &TableSet,
) {
    for def in template.standard_tables() {
        let Some(t) = set.get(&def.id) else { continue };
        let classification = match def.layout {
            Layout::Functional => "功能分类",
            Layout::Economic => "经济分类",
            Layout::Fixed => "",
        };
        let mut rows: Vec<_> = t.rows().iter().collect();
        if def.layout == Layout::Fixed {
            rows.sort_by_key(|r| def.rows.iter().position(|x| x.key == r.key));
        } else {
            rows.sort_by_key(|r| {
                (
                    r.key != "合计",
                    def.row_def(&r.key).is_some(),
                    r.key.clone(),
                )
            });
        }
        for r in rows {
            let coded = juesuan_model::CodeLevel::of(&r.key).is_some();
            for (c, column) in t.columns.iter().enumerate() {
                let Some(v) = r.values[c] else { continue };
                out.push(LongRecord {
                    entity: d.entity.name.clone(),
                    year: d.entity.year,
                    unit: unit.to_string(),
                    unit_name: unit_name.to_string(),
                    table: def.id.clone(),
                    table_title: def.title.clone(),
                    row_code: r.key.clone(),
                    row_name: template.row_name(def, &r.key),
                    classification: if coded { classification } else { "" }.to_string(),
                    column: column.clone(),
                    amount: d.entity.unit.format(juesuan_model::Money::from_fen(v)),
                    amount_unit: d.entity.unit.chinese().to_string(),
                });
            }
        }
    }
}

/// datapackage.json (Fiscal Data Package style) for the long format written by
/// [`write_long_package`].
pub fn long_datapackage(d: &Disclosure) -> serde_json::Value {
    let unit = d.entity.unit.chinese();
    let field = |name: &str, kind: &str, title: &str, column_type: &str| {
        let mut f = serde_json::json!({ "name": name, "type": kind, "title": title });
        if !column_type.is_empty() {
            f["columnType"] = serde_json::json!(column_type);
        }
        f
    };
    let mut amount = field("amount", "number", "金额", "value");
    amount["description"] = serde_json::json!(format!(
        "精确金额（{unit}，十进制，不经舍入）；与数据集一致"
    ));
    amount["unit"] = serde_json::json!(unit);
    amount["decimalChar"] = serde_json::json!(".");
    amount["bareNumber"] = serde_json::json!(true);
    let fields = vec![
        field(
            "entity",
            "string",
            "部门",
            "administrative-classification:generic:label",
        ),
        field("year", "integer", "年度", "date:fiscal-year"),
        field(
            "unit",
            "string",
            "单位标识",
            "administrative-classification:generic:code",
        ),
        field(
            "unit_name",
            "string",
            "单位名称",
            "administrative-classification:generic:label",
        ),
        field("table", "string", "表号", ""),
        field("table_title", "string", "表名", ""),
        field(
            "row_code",
            "string",
            "科目编码或项目",
            "functional-classification:generic:code",
        ),
        field(
            "row_name",
            "string",
            "科目名称",
            "functional-classification:generic:label",
        ),
        field("classification", "string", "分类", ""),
        field("column", "string", "栏目", "phase:id"),
        amount,
        field("amount_unit", "string", "金额单位", "currency"),
    ];
    let code_schema = serde_json::json!({ "fields": [
        { "name": "code", "type": "string", "title": "科目编码" },
        { "name": "name", "type": "string", "title": "科目名称" },
        { "name": "level", "type": "string", "title": "级次（类/款/项）" }
    ]});
    serde_json::json!({
        "profile": "fiscal-data-package",
        "name": format!("juesuan-{}-{}-dataset", d.entity.year, d.entity.name),
        "title": format!("{}{}年度决算数据（长格式）", d.entity.name, d.entity.year),
        "description": "由 juesuan 从决算数据集导出；每条记录是一个单位（或部门）一张表中一个科目/项目一个栏目的精确金额。",
        "created_by": "juesuan",
        "currency": "CNY",
        "fiscalYear": d.entity.year.to_string(),
        "resources": [
            {
                "name": "amounts",
                "path": "data.csv",
                "format": "csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": {
                    "fields": fields,
                    "primaryKey": ["unit", "table", "row_code", "column"]
                }
            },
            { "name": "amounts-json", "path": "data.json", "format": "json", "mediatype": "application/json" },
            { "name": "functional-codes", "title": "支出功能分类科目（本数据用到的部分）", "path": "codes-functional.csv", "format": "csv", "profile": "tabular-data-resource", "schema": code_schema },
            { "name": "economic-codes", "title": "部门支出经济分类科目（本数据用到的部分）", "path": "codes-economic.csv", "format": "csv", "profile": "tabular-data-resource", "schema": code_schema }
        ]
    })
}

/// Writes data.csv, data.json, the code lists and datapackage.json of the long format into
/// `dir`; returns the number of records.
pub fn write_long_package(d: &Disclosure, dir: &std::path::Path) -> Result<usize, String> {
    let template = Template::for_kind(d.entity.doc, d.entity.year)?;
    let recs = long_records(d)?;
    let codes = |cls: &str| {
        recs.iter()
            .filter(|r| r.classification == cls)
            .map(|r| r.row_code.as_str())
            .collect::<Vec<_>>()
    };
    std::fs::create_dir_all(dir).map_err(|e| format!("无法创建 {}：{e}", dir.display()))?;
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("data.csv", to_csv(&recs)?),
        ("data.json", to_json(&recs)?),
        (
            "codes-functional.csv",
            code_list_of(codes("功能分类").into_iter(), &template.functional)?,
        ),
        (
            "codes-economic.csv",
            code_list_of(codes("经济分类").into_iter(), &template.economic)?,
        ),
        (
            "datapackage.json",
            serde_json::to_vec_pretty(&long_datapackage(d)).map_err(|e| e.to_string())?,
        ),
    ];
    for (name, bytes) in files {
        let path = dir.join(name);
        juesuan_load::write::ensure_inside(dir, &path)?;
        std::fs::write(&path, bytes).map_err(|e| format!("无法写入 {name}：{e}"))?;
    }
    Ok(recs.len())
}
