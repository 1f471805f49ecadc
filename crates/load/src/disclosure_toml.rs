//! disclosure.toml: metadata, units, facts, projects, reasons, texts.

use crate::text::decode;
use crate::DISCLOSURE_FILE as FILE;
use juesuan_model::safe;
use juesuan_model::{
    normalize_number, AmountUnit, Contact, DocKind, Entity, EntityKind, Money, Overview, Problem,
    Project, Reasons, Row, Table, TableSet, Template, Unit, ValueKind,
};
use std::path::Path;
use toml::{Table as TomlTable, Value};

/// What disclosure.toml says, before the tables are read.
pub struct Meta {
    pub entity: Entity,
    pub units: Vec<Unit>,
    pub overview: Overview,
    pub contact: Contact,
    pub projects: Vec<Project>,
    pub reasons: Reasons,
    pub materiality_percent: u32,
    /// (dotted key, value, 1-based line)
    facts: Vec<(String, Value, usize)>,
    text: String,
    /// The file, relative to the dataset directory (for messages).
    file: String,
}

/// The name of a unit's own metadata file, for its 单位决算 (`juesuan build --units`).
pub const UNIT_FILE: &str = "unit.toml";

pub fn read(dir: &Path, problems: &mut Vec<Problem>) -> Option<Meta> {
    let bytes = match std::fs::read(dir.join(FILE)) {
        Ok(b) => b,
        Err(_) => {
            problems.push(Problem::in_file(
                FILE,
                "缺少 disclosure.toml（数据集的基本信息文件）",
            ));
            return None;
        }
    };
    match decode(&bytes) {
        Ok(text) => parse(&text, FILE, None, problems),
        Err(e) => {
            problems.push(Problem::in_file(FILE, e.in_line()).at(e.line, None));
            None
        }
    }
}

/// A unit's own `units/<id>/unit.toml`: the sections of disclosure.toml that describe one
/// 单位决算 (texts, contact, facts, projects, reasons), without [entity] and [[units]], which
/// come from the department. Without the file the unit's disclosure has its tables only.
pub fn read_unit(
    dir: &Path,
    entity: &Entity,
    unit: &Unit,
    problems: &mut Vec<Problem>,
) -> Option<Meta> {
    let rel = format!("units/{}/{UNIT_FILE}", unit.id);
    let text = match std::fs::read(dir.join(&rel)) {
        Ok(b) => match decode(&b) {
            Ok(t) => t,
            Err(e) => {
                problems.push(Problem::in_file(&rel, e.in_line()).at(e.line, None));
                return None;
            }
        },
        Err(_) => String::new(),
    };
    parse(&text, &rel, Some((entity, unit)), problems)
}

fn parse(
    text: &str,
    file: &str,
    unit_of: Option<(&Entity, &Unit)>,
    problems: &mut Vec<Problem>,
) -> Option<Meta> {
    let text = text.to_string();
    let file = file.to_string();
    let doc: TomlTable = match toml::from_str(&text) {
        Ok(d) => d,
        Err(e) => {
            let line = e.span().map(|s| text[..s.start].lines().count().max(1));
            let msg = format!("TOML 语法错误：{}", e.message());
            problems.push(match line {
                Some(l) => Problem::in_file(file.clone(), msg).at(l, None),
                None => Problem::in_file(file.clone(), msg),
            });
            return None;
        }
    };
    let before = problems.len();
    let mut r = Reader {
        text: &text,
        file: &file,
        problems,
    };
    let own: &[&str] = if unit_of.is_some() {
        &[]
    } else {
        &["entity", "units"]
    };
    for key in doc.keys() {
        if !own.contains(&key.as_str())
            && ![
                "overview",
                "contact",
                "facts",
                "projects",
                "reasons",
                "suggestions",
                "check",
            ]
            .contains(&key.as_str())
        {
            r.problem(&format!("[{key}]"), "", format!("未知的部分“{key}”"));
        }
    }
    let (entity, units) = match unit_of {
        None => {
            let entity = r.entity(doc.get("entity"));
            let units = r.units(doc.get("units"), entity.as_ref());
            (entity, units)
        }
        Some((dept, unit)) => (
            Some(Entity {
                name: unit.name.clone(),
                kind: EntityKind::Unit,
                ..dept.clone()
            }),
            vec![Unit {
                parent: None,
                tables: TableSet::default(),
                ..unit.clone()
            }],
        ),
    };
    let overview = r.overview(doc.get("overview"));
    let contact = r.contact(doc.get("contact"));
    let unit = entity.as_ref().map_or(AmountUnit::Wan, |e| e.unit);
    let projects = r.projects(doc.get("projects"), unit);
    let reasons = r.reasons(doc.get("reasons"));
    r.suggestions(doc.get("suggestions"));
    let materiality_percent = r.materiality(doc.get("check"));
    let mut facts = Vec::new();
    if let Some(v) = doc.get("facts") {
        match v.as_table() {
            Some(t) => flatten_facts(t, "", &mut facts),
            None => r.problem("facts", "", "[facts] 应为表".into()),
        }
    }
    let facts = facts
        .into_iter()
        .map(|(k, v)| {
            let leaf = k.rsplit('.').next().unwrap_or(&k).to_string();
            let line = r.line_of(&leaf);
            (k, v, line)
        })
        .collect();
    if problems.len() > before {
        return None;
    }
    Some(Meta {
        entity: entity?,
        units,
        overview,
        contact,
        projects,
        reasons,
        materiality_percent,
        facts,
        text,
        file,
    })
}

/// The keys of a fact given with its comparative: 本年 and 上年决算 (决算) or 上年预算 (预算).
const FACT_COLUMNS: [&str; 3] = ["本年", "上年决算", "上年预算"];

/// `[facts.三公] 保有量 = 13` → ("三公.保有量", 13). A table with only 本年/上年决算 is a leaf.
fn flatten_facts(t: &TomlTable, prefix: &str, out: &mut Vec<(String, Value)>) {
    for (k, v) in t {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v.as_table() {
            Some(inner) if !inner.keys().all(|k| FACT_COLUMNS.contains(&k.as_str())) => {
                flatten_facts(inner, &key, out)
            }
            _ => out.push((key, v.clone())),
        }
    }
}

/// Table F from the facts.
pub fn facts_table(meta: &Meta, template: &Template, problems: &mut Vec<Problem>) -> Table {
    let def = template.table("F").expect("template defines F");
    // the comparative of a fact is the template's: 上年决算 for a 决算, 上年预算 for a 预算
    let comparative = def
        .optional_columns
        .first()
        .map_or("上年决算", String::as_str);
    let has_prior = meta
        .facts
        .iter()
        .any(|(_, v, _)| v.get(comparative).is_some());
    let mut columns = vec!["本年".to_string()];
    if has_prior {
        columns.push(comparative.to_string());
    }
    let mut table = Table::new("F", columns, Some(meta.file.clone()));
    for (key, value, line) in &meta.facts {
        let at = |msg: String| Problem::in_file(meta.file.clone(), msg).at(*line, Some(key));
        let Some(row) = def.row_def(key) else {
            let known: Vec<&str> = def.rows.iter().map(|r| r.key.as_str()).collect();
            problems.push(at(format!(
                "未知的补充信息“{key}”（可用：{}）",
                known.join("、")
            )));
            continue;
        };
        let (current, prior) = match value.as_table() {
            Some(t) => {
                if let Some(other) = t
                    .keys()
                    .find(|k| k.as_str() != "本年" && k.as_str() != comparative)
                {
                    problems.push(at(format!(
                        "补充信息“{key}”不能有“{other}”（可用：本年、{comparative}）"
                    )));
                }
                (t.get("本年"), t.get(comparative))
            }
            None => (Some(value), None),
        };
        let mut values = vec![None; table.columns.len()];
        for (slot, v) in [current, prior].into_iter().enumerate() {
            let Some(v) = v else { continue };
            match amount(v, row.kind, meta.entity.unit) {
                Ok(x) => values[slot] = Some(x),
                Err(e) => problems.push(at(e)),
            }
        }
        let _ = table.push_row(Row {
            key: key.clone(),
            name: row.display_name().to_string(),
            values,
            line: Some(*line),
        });
    }
    table
}

/// Reason keys must name a table and a row that can exist.
pub fn validate_reasons(meta: &Meta, template: &Template, problems: &mut Vec<Problem>) {
    let all = meta.reasons.budget.keys().chain(meta.reasons.prior.keys());
    for key in all {
        let ok = key.split_once('/').is_some_and(|(t, row)| {
            template.table(t).is_some_and(|def| {
                def.row_def(row).is_some()
                    || row == crate::csv_table::TOTAL_ROW
                    || template
                        .codebook(def.layout)
                        .is_some_and(|b| b.get(row).is_some())
            })
        });
        if !ok {
            let line = meta
                .text
                .lines()
                .position(|l| l.contains(key.as_str()))
                .map(|i| i + 1);
            // a code that changed between years says what it became
            let changed = key.split_once('/').and_then(|(t, row)| {
                let book = template.codebook(template.table(t)?.layout)?;
                let changes = juesuan_model::changes::all_changes().unwrap_or_default();
                juesuan_model::changes::explain_missing(changes, book, template.year, row)
            });
            let message = match changed {
                Some(why) => format!("变动原因的键“{key}”：{why}"),
                None => {
                    format!("变动原因的键“{key}”应为“表/行”，如“T5/2040601”或“T1/本年收入合计”")
                }
            };
            let p = Problem::in_file(meta.file.clone(), message);
            problems.push(match line {
                Some(l) => p.at(l, None),
                None => p,
            });
        }
    }
}

/// An amount from TOML: a string or an integer; a bare decimal is read back digit for digit
/// from its shortest representation (exact for the ≤ 15 significant digits people type).
fn amount(v: &Value, kind: ValueKind, unit: AmountUnit) -> Result<i64, String> {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Integer(i) => i.to_string(),
        Value::Float(f) => {
            let s = f.to_string();
            if s.bytes().filter(u8::is_ascii_digit).count() > 15 {
                return Err(format!("数字 {s} 位数过多，请写成字符串，如 \"{s}\""));
            }
            s
        }
        other => return Err(format!("应为数字，文件中为{}", type_name(other))),
    };
    match kind {
        ValueKind::Money => unit
            .parse_money(&text)
            .map(|m| m.fen())
            .map_err(|e| e.to_string()),
        ValueKind::Count => normalize_number(&text)
            .parse::<i64>()
            .map_err(|_| format!("“{text}”不是整数")),
        ValueKind::Score => Money::parse_yuan(&text)
            .map(|m| m.fen())
            .map_err(|e| e.to_string()),
    }
}

/// A unit id names a directory (`units/<id>/`, `OUT/units/<id>/`): ASCII letters, digits,
/// `_` and `-`, not starting with `-`, at most 64 characters (as the platform requires).
pub fn valid_unit_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && !id.starts_with('-')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "文字",
        Value::Integer(_) | Value::Float(_) => "数字",
        Value::Boolean(_) => "真假值",
        Value::Datetime(_) => "日期",
        Value::Array(_) => "列表",
        Value::Table(_) => "表",
    }
}

struct Reader<'a> {
    text: &'a str,
    file: &'a str,
    problems: &'a mut Vec<Problem>,
}

/// The 1-based line where `key =` first appears, else the first line where `key` stands as a
/// whole key (in an inline table, a dotted key or a table header), for messages.
pub(crate) fn key_line(text: &str, key: &str) -> Option<usize> {
    let assigned = text.lines().position(|l| {
        let l = l.trim_start().trim_start_matches('"');
        l.starts_with(key)
            && l[key.len()..]
                .trim_start()
                .trim_start_matches('"')
                .trim_start()
                .starts_with('=')
    });
    let token = || {
        text.lines().position(|l| {
            l.match_indices(key).any(|(i, _)| {
                let before = l[..i].chars().next_back();
                let after = l[i + key.len()..].chars().next();
                let edge = |c: Option<char>| {
                    c.is_none_or(|c| c.is_whitespace() || "[]{}.,=\"'".contains(c))
                };
                edge(before) && edge(after)
            })
        })
    };
    assigned.or_else(token).map(|i| i + 1)
}

impl Reader<'_> {
    /// The 1-based line of `key` (for messages), or 0 if not found.
    fn line_of(&self, key: &str) -> usize {
        key_line(self.text, key).unwrap_or(0)
    }

    fn problem(&mut self, section: &str, key: &str, message: String) {
        let line = if key.is_empty() {
            // "[facts]" also opens as [facts."三公"], [[facts]] or a dotted key
            let name = section.trim_matches(|c| c == '[' || c == ']');
            self.text
                .lines()
                .position(|l| l.trim().starts_with(section))
                .map(|i| i + 1)
                .or_else(|| key_line(self.text, name))
        } else {
            Some(self.line_of(key)).filter(|&l| l > 0)
        };
        let p = Problem::in_file(self.file, message);
        self.problems.push(match line {
            Some(l) => p.at(l, (!key.is_empty()).then_some(key)),
            None => p,
        });
    }

    fn table<'v>(&mut self, v: Option<&'v Value>, section: &str) -> Option<&'v TomlTable> {
        match v {
            Some(Value::Table(t)) => Some(t),
            Some(_) => {
                self.problem(section, "", format!("[{section}] 应为表"));
                None
            }
            None => None,
        }
    }

    fn string(
        &mut self,
        t: &TomlTable,
        section: &str,
        key: &str,
        required: bool,
    ) -> Option<String> {
        match t.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Some(Value::String(_)) | None if required => {
                self.problem(section, key, format!("[{section}] 缺少“{key}”"));
                None
            }
            Some(Value::String(_)) | None => None,
            Some(other) => {
                self.problem(
                    section,
                    key,
                    format!("[{section}] “{key}”应为文字，文件中为{}", type_name(other)),
                );
                None
            }
        }
    }

    /// A name that reaches open-data CSV and file names: refused when a spreadsheet would
    /// read it as a formula (`= + - @`, tab or CR first; see `juesuan_model::safe`).
    fn name(&mut self, section: &str, key: &str, value: &str) {
        if let Some(c) = safe::formula_start(value) {
            let shown = match c {
                '\t' => "制表符".to_string(),
                '\r' => "回车".to_string(),
                c => format!("“{c}”"),
            };
            let line = self
                .text
                .lines()
                .position(|l| l.trim_start().starts_with(key) && l.contains(value))
                .map(|i| i + 1);
            let p = Problem::in_file(self.file, format!(
                    "[{section}] {key}“{value}”以{shown}开头：名称不能以 = + - @、制表符或回车开头（电子表格会把它当作公式执行）；请删去开头的符号"
                ));
            self.problems.push(match line {
                Some(l) => p.at(l, Some(key)),
                None => p,
            });
        }
    }

    fn strings(&mut self, t: &TomlTable, section: &str, key: &str) -> Vec<String> {
        match t.get(key) {
            None => Vec::new(),
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(a)) if a.iter().all(Value::is_str) => a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            Some(_) => {
                self.problem(
                    section,
                    key,
                    format!("[{section}] “{key}”应为文字或文字列表"),
                );
                Vec::new()
            }
        }
    }

    fn unknown_keys(&mut self, t: &TomlTable, section: &str, known: &[&str]) {
        for k in t.keys() {
            if !known.contains(&k.as_str()) {
                self.problem(
                    section,
                    k,
                    format!("[{section}] 中未知的项“{k}”（可用：{}）", known.join("、")),
                );
            }
        }
    }

    fn entity(&mut self, v: Option<&Value>) -> Option<Entity> {
        let Some(t) = self.table(v, "entity") else {
            self.problems.push(Problem::in_file(
                self.file,
                "缺少 [entity]（名称、年度、类型、金额单位）",
            ));
            return None;
        };
        self.unknown_keys(
            t,
            "entity",
            &["name", "year", "kind", "unit", "region", "document"],
        );
        let name = self.string(t, "entity", "name", true);
        let year = match t.get("year") {
            Some(Value::Integer(y)) if (2000..=2100).contains(y) => Some(*y as i32),
            _ => {
                self.problem("entity", "year", "[entity] year 应为年度，如 2024".into());
                None
            }
        };
        let kind = match self.string(t, "entity", "kind", true).as_deref() {
            Some("部门") => Some(EntityKind::Department),
            Some("单位") => Some(EntityKind::Unit),
            Some(other) => {
                self.problem(
                    "entity",
                    "kind",
                    format!("[entity] kind 应为“部门”或“单位”，文件中为“{other}”"),
                );
                None
            }
            None => None,
        };
        let unit = match self.string(t, "entity", "unit", true).as_deref() {
            Some("万元") => Some(AmountUnit::Wan),
            Some("元") => Some(AmountUnit::Yuan),
            Some(other) => {
                self.problem(
                    "entity",
                    "unit",
                    format!("[entity] unit 应为“万元”或“元”，文件中为“{other}”"),
                );
                None
            }
            None => None,
        };
        let region = self.string(t, "entity", "region", false);
        let doc = match self.string(t, "entity", "document", false).as_deref() {
            None => Some(DocKind::Final),
            Some(k) => DocKind::parse(k).or_else(|| {
                self.problem(
                    "entity",
                    "document",
                    format!("[entity] document 应为“决算”或“预算”，文件中为“{k}”"),
                );
                None
            }),
        };
        if let Some(n) = &name {
            self.name("entity", "name", n);
        }
        if let Some(r) = &region {
            self.name("entity", "region", r);
        }
        Some(Entity {
            name: name?,
            year: year?,
            kind: kind?,
            unit: unit?,
            region,
            doc: doc?,
        })
    }

    fn units(&mut self, v: Option<&Value>, entity: Option<&Entity>) -> Vec<Unit> {
        let list = match v {
            Some(Value::Array(a)) => a.as_slice(),
            _ => {
                self.problem("[[units]]", "", "缺少 [[units]]：至少要有一个单位".into());
                return Vec::new();
            }
        };
        let mut units: Vec<Unit> = Vec::new();
        for item in list {
            let Some(t) = item.as_table() else { continue };
            self.unknown_keys(t, "units", &["id", "name", "nature", "parent"]);
            let id = self.string(t, "units", "id", true);
            let name = self.string(t, "units", "name", true);
            let nature = self.string(t, "units", "nature", true);
            let parent = self.string(t, "units", "parent", false);
            let (Some(id), Some(name), Some(nature)) = (id, name, nature) else {
                continue;
            };
            if !valid_unit_id(&id) {
                self.problem(
                    "units",
                    "id",
                    format!(
                        "单位 id“{id}”只能由英文字母、数字、“_”和“-”组成（不以“-”开头，最长 64 个字符）：它是目录名 units/<id>/ 和输出目录名"
                    ),
                );
                continue;
            }
            self.name("units", "name", &name);
            if units.iter().any(|u| u.id == id) {
                self.problem("[[units]]", "id", format!("单位 id“{id}”重复"));
                continue;
            }
            units.push(Unit {
                id,
                name,
                nature,
                parent,
                tables: TableSet::default(),
            });
        }
        // default tree: the first unit is 本级, every other unit hangs under it
        let root = units.first().map(|u| u.id.clone());
        for u in units.iter_mut().skip(1) {
            if u.parent.is_none() {
                u.parent = root.clone();
            }
        }
        let ids: Vec<String> = units.iter().map(|u| u.id.clone()).collect();
        for u in &units {
            if let Some(p) = &u.parent {
                if !ids.contains(p) || p == &u.id {
                    self.problem(
                        "[[units]]",
                        "parent",
                        format!("单位“{}”的上级“{p}”不在单位列表中", u.id),
                    );
                }
            }
        }
        if let Some(e) = entity {
            if e.kind == EntityKind::Unit && units.len() != 1 {
                self.problem(
                    "[entity]",
                    "kind",
                    format!("kind 为“单位”时只能有一个单位，现有 {} 个", units.len()),
                );
            }
        }
        units
    }

    fn overview(&mut self, v: Option<&Value>) -> Overview {
        let Some(t) = self.table(v, "overview") else {
            return Overview::default();
        };
        self.unknown_keys(t, "overview", &["functions", "institutions", "work"]);
        Overview {
            functions: self.strings(t, "overview", "functions"),
            institutions: self
                .string(t, "overview", "institutions", false)
                .unwrap_or_default(),
            work: self.strings(t, "overview", "work"),
        }
    }

    fn contact(&mut self, v: Option<&Value>) -> Contact {
        let Some(t) = self.table(v, "contact") else {
            return Contact::default();
        };
        self.unknown_keys(t, "contact", &["person", "phone"]);
        Contact {
            person: self
                .string(t, "contact", "person", false)
                .unwrap_or_default(),
            phone: self
                .string(t, "contact", "phone", false)
                .unwrap_or_default(),
        }
    }

    fn projects(&mut self, v: Option<&Value>, unit: AmountUnit) -> Vec<Project> {
        let Some(Value::Array(list)) = v else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let name_lines: Vec<usize> = self
            .text
            .lines()
            .enumerate()
            .filter(|(_, l)| l.trim() == "[[projects]]")
            .map(|(i, _)| i + 1)
            .collect();
        for (n, item) in list.iter().enumerate() {
            let Some(t) = item.as_table() else { continue };
            let line = name_lines.get(n).copied();
            self.unknown_keys(
                t,
                "projects",
                &[
                    "name",
                    "unit",
                    "fund",
                    "budget",
                    "executed",
                    "score",
                    "goals",
                    "problems",
                    "improvements",
                ],
            );
            let mut money = |key: &str, kind: ValueKind| -> Option<i64> {
                let v = t.get(key)?;
                match amount(v, kind, unit) {
                    Ok(x) => Some(x),
                    Err(e) => {
                        let p = Problem::in_file(
                            self.file,
                            format!("[[projects]] 第{}个项目“{key}”：{e}", n + 1),
                        );
                        self.problems.push(match line {
                            Some(l) => p.at(l, Some(key)),
                            None => p,
                        });
                        None
                    }
                }
            };
            let budget = money("budget", ValueKind::Money).map(Money::from_fen);
            let executed = money("executed", ValueKind::Money).map(Money::from_fen);
            let score = money("score", ValueKind::Score);
            let Some(name) = self.string(t, "projects", "name", true) else {
                continue;
            };
            self.name("projects", "name", &name);
            out.push(Project {
                name,
                unit: self.string(t, "projects", "unit", false),
                fund: self
                    .string(t, "projects", "fund", false)
                    .unwrap_or_else(|| "一般公共预算".to_string()),
                budget,
                executed,
                score,
                goals: self.string(t, "projects", "goals", false),
                problems: self.string(t, "projects", "problems", false),
                improvements: self.string(t, "projects", "improvements", false),
                line,
            });
        }
        out
    }

    fn reasons(&mut self, v: Option<&Value>) -> Reasons {
        let mut reasons = Reasons::default();
        let Some(t) = self.table(v, "reasons") else {
            return reasons;
        };
        self.unknown_keys(t, "reasons", &["年初预算", "上年决算", "上年预算"]);
        // a 预算 states its changes against 上年预算, kept where a 决算 keeps 上年决算
        for which in ["年初预算", "上年决算", "上年预算"] {
            let Some(inner) = t.get(which).and_then(Value::as_table) else {
                continue;
            };
            let map = match which {
                "年初预算" => &mut reasons.budget,
                _ => &mut reasons.prior,
            };
            for (k, v) in inner {
                match v.as_str() {
                    Some(s) if !s.trim().is_empty() => {
                        map.insert(k.clone(), s.trim().to_string());
                    }
                    _ => self.problem(which, k, format!("变动原因“{k}”应为非空文字")),
                }
            }
        }
        reasons
    }

    /// `[suggestions."年初预算"]` / `[suggestions."上年决算"]`: drafts written by
    /// `juesuan build --suggest-reasons`. Accepted and left alone: a suggestion is never a
    /// 变动原因 (the check still requires `[reasons]`); only its shape is checked.
    fn suggestions(&mut self, v: Option<&Value>) {
        let Some(t) = self.table(v, "suggestions") else {
            return;
        };
        self.unknown_keys(t, "suggestions", &["年初预算", "上年决算"]);
        for which in ["年初预算", "上年决算"] {
            let Some(inner) = t.get(which) else { continue };
            let Some(inner) = inner.as_table() else {
                self.problem(
                    "suggestions",
                    which,
                    format!("[suggestions.\"{which}\"] 应为表"),
                );
                continue;
            };
            for (k, v) in inner {
                if !v.is_str() {
                    self.problem(which, k, format!("建议“{k}”应为文字"));
                }
            }
        }
    }

    fn materiality(&mut self, v: Option<&Value>) -> u32 {
        let Some(t) = self.table(v, "check") else {
            return 10;
        };
        self.unknown_keys(t, "check", &["materiality_percent"]);
        match t.get("materiality_percent") {
            None => 10,
            Some(Value::Integer(p)) if (0..=100).contains(p) => *p as u32,
            Some(_) => {
                self.problem(
                    "check",
                    "materiality_percent",
                    "materiality_percent 应为 0 到 100 的整数".into(),
                );
                10
            }
        }
    }
}
