//! The rest of a dataset on sheets of its own, so that `juesuan export` → `juesuan import`
//! loses nothing: the TOML files (disclosure.toml, units/<id>/unit.toml) as one row per
//! value, and the CSV files of every unit (and department/) as one row per CSV line.
//!
//! The TOML is carried generically: every key of every section, known to this version or not
//! (a field added later, such as a document `kind`, survives), as a full dotted key path
//! (`facts."三公"."保有量"`, `units[2].nature`) with its value as text and its TOML type. Which
//! sheet a row is on only groups the rows for people; the key path says where it goes.
//! Comments and the layout of the TOML are not carried.

use crate::grid::{a1, Sheet};
use juesuan_model::{safe, Problem};
use juesuan_xlsx::TextSheet;
use std::path::Path;
use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table, Value};

/// The sheet that explains the carried sheets; its presence marks an exported dataset.
pub const GUIDE_SHEET: &str = "数据集说明";
/// Every CSV file of the dataset, one row per line: file, then the fields.
pub const FILES_SHEET: &str = "表格数据";
/// TOML sections and the sheet their rows go on; any other section goes on [`OTHER_SHEET`].
const SECTION_SHEETS: &[(&str, &str)] = &[
    ("entity", "基本信息"),
    ("units", "单位"),
    ("overview", "概况"),
    ("contact", "联系方式"),
    ("facts", "补充数据"),
    ("projects", "绩效项目"),
    ("reasons", "变动原因"),
    ("suggestions", "原因草稿"),
    ("check", "检查设置"),
];
const OTHER_SHEET: &str = "其他信息";
const HEADER: [&str; 4] = ["文件", "键", "值", "类型"];

const TEXT: &str = "文本";
const INTEGER: &str = "整数";
const DECIMAL: &str = "小数";
const BOOLEAN: &str = "布尔";
const DATETIME: &str = "日期时间";
const EMPTY_LIST: &str = "空列表";
const EMPTY_TABLE: &str = "空表";

/// The carried sheets of the dataset `dir`, in workbook order.
pub fn dataset_sheets(dir: &Path) -> Result<Vec<TextSheet>, String> {
    let mut tomls = vec![juesuan_load::DISCLOSURE_FILE.to_string()];
    let mut csvs = Vec::new();
    for sub in unit_dirs(dir)? {
        if dir.join(&sub).join(juesuan_load::UNIT_FILE).is_file() {
            tomls.push(format!("{sub}/{}", juesuan_load::UNIT_FILE));
        }
        csvs.extend(csv_files(dir, &sub)?);
    }
    let mut sections: Vec<(&str, Vec<Vec<String>>)> = Vec::new();
    for file in &tomls {
        let text = read_text(dir, file)?;
        let doc: DocumentMut = text
            .parse()
            .map_err(|e| format!("{file}：TOML 语法错误：{e}"))?;
        for (key, item) in doc.iter() {
            let sheet = SECTION_SHEETS
                .iter()
                .find(|(k, _)| *k == key)
                .map_or(OTHER_SHEET, |(_, s)| *s);
            let mut rows = Vec::new();
            flatten_item(item, &quote_key(key), &mut rows);
            let at = match sections.iter().position(|(s, _)| *s == sheet) {
                Some(i) => i,
                None => {
                    sections.push((sheet, Vec::new()));
                    sections.len() - 1
                }
            };
            for (k, v, t) in rows {
                sections[at].1.push(vec![file.clone(), k, v, t.to_string()]);
            }
        }
    }
    let order = |name: &str| {
        SECTION_SHEETS
            .iter()
            .position(|(_, s)| *s == name)
            .unwrap_or(SECTION_SHEETS.len())
    };
    sections.sort_by_key(|(s, _)| order(s));

    let mut out = vec![guide()];
    for (name, rows) in sections {
        let mut all = vec![HEADER.iter().map(|h| h.to_string()).collect()];
        all.extend(rows);
        out.push(TextSheet {
            name: name.to_string(),
            rows: all,
            widths: vec![24.0, 36.0, 80.0, 8.0],
        });
    }
    let mut rows = vec![vec!["文件".to_string(), "各列（CSV 的一行）".to_string()]];
    for file in &csvs {
        let text = read_text(dir, file)?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        for rec in reader.records() {
            let rec = rec.map_err(|e| format!("{file}：{e}"))?;
            let mut row = vec![file.clone()];
            row.extend(rec.iter().map(str::to_string));
            rows.push(row);
        }
    }
    out.push(TextSheet {
        name: FILES_SHEET.to_string(),
        rows,
        widths: vec![22.0, 28.0, 28.0, 14.0, 14.0, 14.0, 14.0, 14.0, 14.0, 14.0],
    });
    Ok(out)
}

fn guide() -> TextSheet {
    let lines = [
        "本工作簿由 juesuan export 导出，用 juesuan import 可还原整个数据集。",
        "前面的九张表为部门（或单位）的决算公开表，可直接修改金额；导入时修改过的表写回数据集（多个单位的数据集写入 department/，即公开的部门表，检查会核对它与各单位汇总是否一致）。",
        "“基本信息”“单位”“概况”“联系方式”“补充数据”“绩效项目”“变动原因”“原因草稿”“检查设置”“其他信息”各工作表：数据集 TOML 文件中的每一项，一行一个。“键”为完整的键路径（如 facts.\"三公\".\"保有量\"、units[2].nature），“类型”为 文本、整数、小数、布尔、日期时间、空列表 或 空表。可修改“值”，也可按同样格式增加行。",
        "“表格数据”工作表：各单位（及 department/）每张表的 CSV 文件，一行一个 CSV 行；各单位的金额请在这里修改。",
        "删除这些工作表后，工作簿仍可作为普通的九张表导入（得到一个单位的数据集）。",
    ];
    let mut rows = vec![vec!["说明".to_string()]];
    rows.extend(lines.iter().map(|l| vec![l.to_string()]));
    TextSheet {
        name: GUIDE_SHEET.to_string(),
        rows,
        widths: vec![140.0],
    }
}

/// `units/<id>` in the order of the directory listing sorted, then `department` if present.
fn unit_dirs(dir: &Path) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let units = dir.join("units");
    if units.is_dir() {
        let mut ids: Vec<String> = std::fs::read_dir(&units)
            .map_err(|e| format!("{}：{e}", units.display()))?
            .filter_map(Result::ok)
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|id| juesuan_load::valid_unit_id(id))
            .collect();
        ids.sort();
        out.extend(ids.into_iter().map(|id| format!("units/{id}")));
    }
    if dir.join("department").is_dir() {
        out.push("department".to_string());
    }
    Ok(out)
}

fn csv_files(dir: &Path, sub: &str) -> Result<Vec<String>, String> {
    let path = dir.join(sub);
    let mut names: Vec<String> = std::fs::read_dir(&path)
        .map_err(|e| format!("{}：{e}", path.display()))?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| csv_name_ok(n))
        .collect();
    names.sort_by_key(|n| (n.len(), n.clone()));
    Ok(names.into_iter().map(|n| format!("{sub}/{n}")).collect())
}

fn read_text(dir: &Path, file: &str) -> Result<String, String> {
    let bytes = std::fs::read(dir.join(file)).map_err(|e| format!("{file}：无法读取：{e}"))?;
    juesuan_load::decode(&bytes).map_err(|e| format!("{file}：{e}"))
}

fn csv_name_ok(name: &str) -> bool {
    name.strip_suffix(".csv").is_some_and(|stem| {
        !stem.is_empty()
            && stem
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    })
}

/// Whether `file` may be written from a workbook: disclosure.toml, units/<id>/unit.toml,
/// units/<id>/<name>.csv or department/<name>.csv, and nothing else (no other place, no
/// `..`): the workbook is untrusted input.
fn allowed_file(file: &str, toml: bool) -> bool {
    let parts: Vec<&str> = file.split('/').collect();
    match (toml, parts.as_slice()) {
        (true, [f]) => *f == juesuan_load::DISCLOSURE_FILE,
        (true, ["units", id, f]) => {
            juesuan_load::valid_unit_id(id) && *f == juesuan_load::UNIT_FILE
        }
        (false, ["units", id, f]) => juesuan_load::valid_unit_id(id) && csv_name_ok(f),
        (false, ["department", f]) => csv_name_ok(f),
        _ => false,
    }
}

fn flatten_item(item: &Item, path: &str, out: &mut Vec<(String, String, &'static str)>) {
    match item {
        Item::None => {}
        Item::Value(v) => flatten_value(v, path, out),
        Item::Table(t) => {
            if t.is_empty() {
                out.push((path.to_string(), String::new(), EMPTY_TABLE));
            }
            for (k, v) in t.iter() {
                flatten_item(v, &format!("{path}.{}", quote_key(k)), out);
            }
        }
        Item::ArrayOfTables(a) => {
            for (i, t) in a.iter().enumerate() {
                let at = format!("{path}[{}]", i + 1);
                if t.is_empty() {
                    out.push((at.clone(), String::new(), EMPTY_TABLE));
                }
                for (k, v) in t.iter() {
                    flatten_item(v, &format!("{at}.{}", quote_key(k)), out);
                }
            }
        }
    }
}

fn flatten_value(v: &Value, path: &str, out: &mut Vec<(String, String, &'static str)>) {
    let leaf = |text: String, kind| (path.to_string(), text, kind);
    match v {
        Value::String(s) => out.push(leaf(s.value().clone(), TEXT)),
        Value::Integer(i) => out.push(leaf(i.value().to_string(), INTEGER)),
        // the decimal as written, digit for digit (the loader reads amounts so too)
        Value::Float(f) => out.push(leaf(
            f.as_repr()
                .and_then(|r| r.as_raw().as_str())
                .map_or_else(|| f.value().to_string(), |r| r.trim().replace('_', "")),
            DECIMAL,
        )),
        Value::Boolean(b) => out.push(leaf(b.value().to_string(), BOOLEAN)),
        Value::Datetime(d) => out.push(leaf(d.value().to_string(), DATETIME)),
        Value::Array(a) => {
            if a.is_empty() {
                out.push(leaf(String::new(), EMPTY_LIST));
            }
            for (i, x) in a.iter().enumerate() {
                flatten_value(x, &format!("{path}[{}]", i + 1), out);
            }
        }
        Value::InlineTable(t) => {
            if t.is_empty() {
                out.push(leaf(String::new(), EMPTY_TABLE));
            }
            for (k, x) in t.iter() {
                flatten_value(x, &format!("{path}.{}", quote_key(k)), out);
            }
        }
    }
}

/// A key as TOML writes it: bare when it may be, else a quoted string.
fn quote_key(k: &str) -> String {
    if !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return k.to_string();
    }
    let mut s = String::from("\"");
    for c in k.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            c if c.is_control() => s.push_str(&format!("\\u{:04X}", c as u32)),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

#[derive(Clone, Debug, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

/// The most elements one list of a carried file may have (a sheet row per element).
const MAX_INDEX: usize = 100_000;

fn parse_path(text: &str) -> Result<Vec<Seg>, String> {
    let chars: Vec<char> = text.trim().chars().collect();
    let mut segs = Vec::new();
    let mut i = 0;
    let bad = |why: &str| format!("键路径“{text}”有误：{why}");
    loop {
        // a key, bare or quoted
        if chars.get(i) == Some(&'"') {
            i += 1;
            let mut key = String::new();
            loop {
                match chars.get(i) {
                    None => return Err(bad("引号没有闭合")),
                    Some('"') => {
                        i += 1;
                        break;
                    }
                    Some('\\') => {
                        match chars.get(i + 1) {
                            Some('"') => key.push('"'),
                            Some('\\') => key.push('\\'),
                            Some('n') => key.push('\n'),
                            Some('t') => key.push('\t'),
                            Some('u') => {
                                let hex: String = chars.iter().skip(i + 2).take(4).collect();
                                let c = u32::from_str_radix(&hex, 16)
                                    .ok()
                                    .and_then(char::from_u32)
                                    .ok_or_else(|| bad("\\u 后应为四位十六进制数"))?;
                                key.push(c);
                                i += 4;
                            }
                            _ => return Err(bad("不认识的转义")),
                        }
                        i += 2;
                    }
                    Some(c) => {
                        key.push(*c);
                        i += 1;
                    }
                }
            }
            segs.push(Seg::Key(key));
        } else {
            let start = i;
            while chars
                .get(i)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            {
                i += 1;
            }
            if i == start {
                return Err(bad("缺少键名（中文键名要加英文双引号）"));
            }
            segs.push(Seg::Key(chars[start..i].iter().collect()));
        }
        // indices, then a dot or the end
        while chars.get(i) == Some(&'[') {
            let start = i + 1;
            let mut j = start;
            while chars.get(j).is_some_and(char::is_ascii_digit) {
                j += 1;
            }
            if chars.get(j) != Some(&']') {
                return Err(bad("[ ] 中应为序号"));
            }
            let n: usize = chars[start..j]
                .iter()
                .collect::<String>()
                .parse()
                .map_err(|_| bad("序号不是数字"))?;
            if n == 0 || n > MAX_INDEX {
                return Err(bad(&format!("序号应在 1 到 {MAX_INDEX} 之间")));
            }
            segs.push(Seg::Index(n));
            i = j + 1;
        }
        match chars.get(i) {
            None => return Ok(segs),
            Some('.') => i += 1,
            Some(c) => return Err(bad(&format!("多余的字符“{c}”"))),
        }
    }
}

/// A carried TOML file being rebuilt from its rows.
#[derive(Clone, Debug)]
enum Node {
    Map(Vec<(String, Node)>),
    List(Vec<Option<Node>>),
    Leaf(Value),
    /// Not yet known: the path continues below it.
    Unset,
}

fn insert(node: &mut Node, path: &[Seg], leaf: Node) -> Result<(), String> {
    let Some((first, rest)) = path.split_first() else {
        return match node {
            Node::Unset => {
                *node = leaf;
                Ok(())
            }
            _ => Err("这个键已经有值（重复的行）".to_string()),
        };
    };
    if matches!(node, Node::Unset) {
        *node = match first {
            Seg::Key(_) => Node::Map(Vec::new()),
            Seg::Index(_) => Node::List(Vec::new()),
        };
    }
    match (node, first) {
        (Node::Map(entries), Seg::Key(k)) => {
            let at = match entries.iter().position(|(key, _)| key == k) {
                Some(i) => i,
                None => {
                    entries.push((k.clone(), Node::Unset));
                    entries.len() - 1
                }
            };
            insert(&mut entries[at].1, rest, leaf)
        }
        (Node::List(items), Seg::Index(n)) => {
            if items.len() < *n {
                items.resize(*n, None);
            }
            let slot = items[n - 1].get_or_insert(Node::Unset);
            insert(slot, rest, leaf)
        }
        (Node::Map(_), Seg::Index(_)) => Err("这里是表，不能用序号".to_string()),
        (Node::List(_), Seg::Key(_)) => Err("这里是列表，应写序号 [n]".to_string()),
        _ => Err("这个键已经是一个值，不能再有下级".to_string()),
    }
}

fn to_item(node: Node) -> Item {
    match node {
        Node::Map(entries) => {
            let mut t = Table::new();
            for (k, v) in entries {
                t.insert(&k, to_item(v));
            }
            Item::Table(t)
        }
        Node::List(items) => {
            let items: Vec<Node> = items.into_iter().flatten().collect();
            if !items.is_empty() && items.iter().all(|n| matches!(n, Node::Map(_))) {
                let mut a = ArrayOfTables::new();
                for n in items {
                    if let Item::Table(t) = to_item(n) {
                        a.push(t);
                    }
                }
                Item::ArrayOfTables(a)
            } else {
                Item::Value(to_value(Node::List(items.into_iter().map(Some).collect())))
            }
        }
        Node::Leaf(v) => Item::Value(v),
        Node::Unset => Item::None,
    }
}

fn to_value(node: Node) -> Value {
    match node {
        Node::Map(entries) => {
            let mut t = InlineTable::new();
            for (k, v) in entries {
                t.insert(&k, to_value(v));
            }
            Value::InlineTable(t)
        }
        Node::List(items) => {
            let mut a = Array::new();
            for n in items.into_iter().flatten() {
                a.push(to_value(n));
            }
            Value::Array(a)
        }
        Node::Leaf(v) => v,
        Node::Unset => Value::from(""),
    }
}

fn leaf(kind: &str, text: &str) -> Result<Node, String> {
    let t = text.trim();
    Ok(Node::Leaf(match kind {
        "" | TEXT => Value::from(text),
        INTEGER => Value::from(
            t.parse::<i64>()
                .map_err(|_| format!("“{text}”不是整数"))?,
        ),
        DECIMAL => {
            let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
            let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
            let plain = [int, frac]
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
            // parsed as TOML keeps the digits as typed, which is how the loader reads amounts
            t.parse::<Value>()
                .ok()
                .filter(|v| plain && (v.is_float() || v.is_integer()))
                .ok_or_else(|| format!("“{text}”不是小数"))?
        }
        BOOLEAN => match t.to_ascii_lowercase().as_str() {
            "true" | "是" => Value::from(true),
            "false" | "否" => Value::from(false),
            _ => return Err(format!("“{text}”应为 true 或 false")),
        },
        DATETIME => Value::from(
            t.parse::<toml_edit::Datetime>()
                .map_err(|_| format!("“{text}”不是 TOML 日期时间"))?,
        ),
        EMPTY_LIST => return Ok(Node::List(Vec::new())),
        EMPTY_TABLE => return Ok(Node::Map(Vec::new())),
        other => {
            return Err(format!(
                "不认识的类型“{other}”（可用：{TEXT}、{INTEGER}、{DECIMAL}、{BOOLEAN}、{DATETIME}、{EMPTY_LIST}、{EMPTY_TABLE}）"
            ))
        }
    }))
}

/// Whether a sheet of this name is one of the carried sheets (not a table to look for).
pub fn carried_sheet(name: &str) -> bool {
    name == GUIDE_SHEET
        || name == FILES_SHEET
        || name == OTHER_SHEET
        || SECTION_SHEETS.iter().any(|(_, s)| *s == name)
}

/// Whether the workbook carries a dataset (an export of `juesuan export`).
pub fn is_carried(sheets: &[Sheet]) -> bool {
    sheets
        .iter()
        .any(|s| s.name == GUIDE_SHEET || s.name == FILES_SHEET)
}

/// The dataset files the carried sheets hold (relative path, content), or the problems of
/// its rows, each with sheet and cell.
pub fn read_carried(
    source: &str,
    sheets: &[Sheet],
) -> Result<Vec<(String, Vec<u8>)>, Vec<Problem>> {
    let mut problems = Vec::new();
    let at = |sheet: &str, r: usize, c: usize, message: String| Problem {
        sheet: Some(sheet.to_string()),
        row: Some(r + 1),
        column: Some(crate::grid::col_letters(c)),
        cell: Some(a1(r, c)),
        ..Problem::in_file(source, message)
    };
    let mut tomls: Vec<(String, Node)> = Vec::new();
    let toml_sheets = SECTION_SHEETS.iter().map(|(_, s)| *s).chain([OTHER_SHEET]);
    for name in toml_sheets {
        let Some(sheet) = sheets.iter().find(|s| s.name == name) else {
            continue;
        };
        for r in 1..sheet.height() {
            if sheet.row_is_empty(r) {
                continue;
            }
            let file = sheet.text(r, 0);
            if !allowed_file(file, true) {
                problems.push(at(
                    name,
                    r,
                    0,
                    format!(
                        "文件“{}”不是数据集的 TOML 文件（应为 disclosure.toml 或 units/单位id/unit.toml）",
                        safe::csv_text(file)
                    ),
                ));
                continue;
            }
            let path = match parse_path(sheet.text(r, 1)) {
                Ok(p) => p,
                Err(e) => {
                    problems.push(at(name, r, 1, e));
                    continue;
                }
            };
            let value = match leaf(sheet.text(r, 3), sheet.get(r, 2).text()) {
                Ok(v) => v,
                Err(e) => {
                    problems.push(at(name, r, 2, e));
                    continue;
                }
            };
            let i = match tomls.iter().position(|(f, _)| f == file) {
                Some(i) => i,
                None => {
                    tomls.push((file.to_string(), Node::Map(Vec::new())));
                    tomls.len() - 1
                }
            };
            if let Err(e) = insert(&mut tomls[i].1, &path, value) {
                problems.push(at(name, r, 1, format!("键“{}”：{e}", sheet.text(r, 1))));
            }
        }
    }
    if !tomls
        .iter()
        .any(|(f, _)| f == juesuan_load::DISCLOSURE_FILE)
    {
        problems.push(Problem {
            sheet: Some(SECTION_SHEETS[0].1.to_string()),
            ..Problem::in_file(
                source,
                "工作簿有导出的数据集工作表，但没有 disclosure.toml 的内容（“基本信息”等工作表被删除了？）；删除“数据集说明”和“表格数据”工作表可只导入九张表",
            )
        })
    }
    let mut csvs: Vec<(String, Vec<Vec<String>>)> = Vec::new();
    match sheets.iter().find(|s| s.name == FILES_SHEET) {
        None => problems.push(Problem {
            sheet: Some(FILES_SHEET.to_string()),
            ..Problem::in_file(
                source,
                "工作簿有导出的数据集工作表，但没有“表格数据”工作表（各单位的表）；删除“数据集说明”等工作表可只导入九张表",
            )
        }),
        Some(sheet) => {
            for r in 1..sheet.height() {
                if sheet.row_is_empty(r) {
                    continue;
                }
                let file = sheet.text(r, 0);
                if !allowed_file(file, false) {
                    problems.push(at(
                        FILES_SHEET,
                        r,
                        0,
                        format!(
                            "文件“{}”不是数据集的表格文件（应为 units/单位id/t1.csv 或 department/t1.csv 这样的路径）",
                            safe::csv_text(file)
                        ),
                    ));
                    continue;
                }
                let width = sheet.cells.get(r).map_or(1, Vec::len);
                let fields = (1..width).map(|c| sheet.get(r, c).text().to_string()).collect();
                match csvs.iter_mut().find(|(f, _)| f == file) {
                    Some((_, rows)) => rows.push(fields),
                    None => csvs.push((file.to_string(), vec![fields])),
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut files = Vec::new();
    for (file, node) in tomls {
        let mut doc = DocumentMut::new();
        if let Node::Map(entries) = node {
            for (k, v) in entries {
                doc.insert(&k, to_item(v));
            }
        }
        let text = format!(
            "# Restored by `juesuan import` from the sheets of {}.\n\n{doc}",
            source.replace(['\n', '\r'], " ")
        );
        files.push((file, text.into_bytes()));
    }
    for (file, mut rows) in csvs {
        // a blank cell at the end of a row is not stored in the sheet
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut w = csv::Writer::from_writer(Vec::new());
        for row in &mut rows {
            row.resize(width, String::new());
            let _ = w.write_record(row.iter());
        }
        files.push((file, w.into_inner().unwrap_or_default()));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_paths_round_trip() {
        for key in ["a", "三公", "T7/合计", "a\"b", "x.y", ""] {
            let path = format!("facts.{}[2].{}", quote_key(key), quote_key("保有量"));
            let segs = parse_path(&path).unwrap();
            assert_eq!(
                segs,
                vec![
                    Seg::Key("facts".into()),
                    Seg::Key(key.into()),
                    Seg::Index(2),
                    Seg::Key("保有量".into())
                ],
                "{path}"
            );
        }
        assert!(parse_path("facts.三公").is_err());
        assert!(parse_path("units[0].id").is_err());
        assert!(parse_path("a..b").is_err());
    }

    #[test]
    fn rows_rebuild_the_same_toml() {
        let src = r#"
[entity]
name = "某局"
year = 2024
kind = "预算"
[[units]]
id = "benji"
nature = "行政单位"
[[units]]
id = "b"
[facts]
"机构运行经费" = { "本年" = "405.57", "上年决算" = 399.42 }
[overview]
functions = ["一", "二"]
work = []
[check]
"#;
        let doc: DocumentMut = src.parse().unwrap();
        let mut rows = Vec::new();
        for (k, item) in doc.iter() {
            flatten_item(item, &quote_key(k), &mut rows);
        }
        let mut root = Node::Map(Vec::new());
        for (k, v, t) in &rows {
            insert(&mut root, &parse_path(k).unwrap(), leaf(t, v).unwrap()).unwrap();
        }
        let Node::Map(entries) = root else { panic!() };
        let mut back = DocumentMut::new();
        for (k, v) in entries {
            back.insert(&k, to_item(v));
        }
        let a: toml::Table = src.parse().unwrap();
        let b: toml::Table = back.to_string().parse().unwrap();
        assert_eq!(a, b, "{back}");
        assert!(back.to_string().contains("399.42"), "{back}");
    }

    #[test]
    fn only_dataset_files_may_be_written() {
        assert!(allowed_file("disclosure.toml", true));
        assert!(allowed_file("units/benji/unit.toml", true));
        assert!(allowed_file("units/benji/t1.csv", false));
        assert!(allowed_file("department/t9.csv", false));
        for bad in [
            "../x.csv",
            "units/../t1.csv",
            "units/benji/../../t1.csv",
            "/etc/passwd",
            "units/benji/t1.csv/x",
            "department/t1.toml",
            "units/be nji/t1.csv",
        ] {
            assert!(!allowed_file(bad, false), "{bad}");
            assert!(!allowed_file(bad, true), "{bad}");
        }
    }
}
