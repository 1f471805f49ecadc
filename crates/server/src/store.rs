//! A dataset version as the server keeps it: the files of a dataset directory
//! (docs/dataset.md) as text, keyed by relative path. Loading writes them into a temporary
//! directory and calls `juesuan_load::load_dataset`, so the server reads exactly what the CLI
//! reads. Also: zip and workbook uploads, cell and reason edits, and the cell-level diff.

use juesuan_check::{Finding, Report};
use juesuan_model::{Disclosure, Problem};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;

/// Relative path → UTF-8 text.
pub type Files = BTreeMap<String, String>;

/// Upload limits.
pub const MAX_UPLOAD: usize = 8 * 1024 * 1024;
const MAX_FILE: u64 = 2 * 1024 * 1024;
const MAX_TOTAL: u64 = 16 * 1024 * 1024;
const MAX_ENTRIES: usize = 500;

fn valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// t1.csv … t9.csv (决算), y1.csv … y9.csv (预算).
fn table_file(s: &str) -> bool {
    table_id(s).is_some()
}

/// The table id of a table file: "t5.csv" → "T5", "y1.csv" → "Y1".
fn table_id(file: &str) -> Option<String> {
    let stem = file.strip_suffix(".csv")?;
    let (kind, n) = stem.split_at_checked(1)?;
    let kind = match kind {
        "t" => 'T',
        "y" => 'Y',
        _ => return None,
    };
    matches!(n, "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9").then(|| format!("{kind}{n}"))
}

/// The files a dataset may hold; anything else in an upload is refused.
pub fn allowed_path(p: &str) -> bool {
    let parts: Vec<&str> = p.split('/').collect();
    match parts.as_slice() {
        ["disclosure.toml"] | ["NOTES.md"] => true,
        ["department", f] => table_file(f),
        ["units", id, f] => valid_id(id) && (table_file(f) || *f == juesuan_load::UNIT_FILE),
        _ => false,
    }
}

/// The unit ids a version's files have tables or a unit.toml for.
pub fn unit_ids(files: &Files) -> std::collections::BTreeSet<String> {
    files
        .keys()
        .filter_map(|k| {
            k.strip_prefix("units/")?
                .split('/')
                .next()
                .map(str::to_string)
        })
        .collect()
}

/// Reads a dataset directory from disk (the demo, tests).
pub fn from_dir(dir: &Path) -> Result<Files, String> {
    let mut files = Files::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries =
            std::fs::read_dir(&d).map_err(|e| format!("无法读取目录 {}：{e}", d.display()))?;
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let Ok(rel) = path.strip_prefix(dir) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if allowed_path(&rel) {
                let bytes = std::fs::read(&path).map_err(|e| format!("无法读取 {rel}：{e}"))?;
                let text = juesuan_load::decode(&bytes).map_err(|e| format!("{rel}：{e}"))?;
                files.insert(rel, text);
            }
        }
    }
    Ok(files)
}

/// Reads an uploaded .zip of a dataset directory. The directory may be the zip's root or
/// its single top-level folder. Files other than the dataset's are ignored (and listed).
pub fn from_zip(bytes: &[u8]) -> Result<(Files, Vec<String>), String> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err("上传的文件不是 zip 压缩包".into());
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| {
        "zip 压缩包已损坏或不完整，无法列出其中的文件（文件可能在上传前被截断）".to_string()
    })?;
    if zip.len() > MAX_ENTRIES {
        return Err(format!(
            "压缩包内文件过多（{} 个，上限 {MAX_ENTRIES} 个）",
            zip.len()
        ));
    }
    let mut raw = Vec::new();
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut f = zip
            .by_index(i)
            .map_err(|_| format!("压缩包的第 {} 个文件无法读取（压缩包已损坏）", i + 1))?;
        if f.is_dir() {
            continue;
        }
        let Some(name) = f.enclosed_name() else {
            return Err(format!(
                "压缩包内的路径不安全：{}",
                f.name().unwrap_or_default()
            ));
        };
        let name = name.to_string_lossy().replace('\\', "/");
        if f.size() > MAX_FILE {
            return Err(format!("压缩包内文件 {name} 过大（上限 2 MB）"));
        }
        let mut buf = Vec::new();
        (&mut f)
            .take(MAX_FILE + 1)
            .read_to_end(&mut buf)
            .map_err(|_| format!("压缩包内文件 {name} 无法解压（压缩数据已损坏）"))?;
        if buf.len() as u64 > MAX_FILE {
            return Err(format!("压缩包内文件 {name} 过大（上限 2 MB）"));
        }
        total += buf.len() as u64;
        if total > MAX_TOTAL {
            return Err("压缩包解压后过大（上限 16 MB）".into());
        }
        raw.push((name, buf));
    }
    // The dataset root: where disclosure.toml is.
    let root = raw
        .iter()
        .filter_map(|(n, _)| n.strip_suffix("disclosure.toml"))
        .filter(|p| p.is_empty() || p.ends_with('/'))
        .min_by_key(|p| p.len())
        .map(str::to_string)
        .ok_or("压缩包中没有 disclosure.toml（数据集目录的格式见 docs/dataset.md）")?;
    let mut files = Files::new();
    let mut ignored = Vec::new();
    for (name, buf) in raw {
        match name.strip_prefix(&root) {
            Some(rel) if allowed_path(rel) => {
                let text = juesuan_load::decode(&buf).map_err(|e| format!("{rel}：{e}"))?;
                files.insert(rel.to_string(), text);
            }
            _ => ignored.push(name),
        }
    }
    Ok((files, ignored))
}

/// An uploaded .xlsx, decompressed, at most this large in total.
pub const MAX_XLSX_UNCOMPRESSED: u64 = 64 * 1024 * 1024;
/// Its shared strings (read into memory whole when the workbook is opened) at most this large.
pub const MAX_XLSX_SHARED_STRINGS: u64 = 16 * 1024 * 1024;
/// At most this many parts.
pub const MAX_XLSX_PARTS: usize = 1000;
/// Content of an uploaded sheet within this many rows and columns (the nine tables need a few
/// hundred rows or, with every 功能分类 row, about 1,300, and about twenty columns); the
/// workbook's dense grid is at most this large.
pub const MAX_UPLOAD_ROWS: u32 = 10_000;
pub const MAX_UPLOAD_COLS: u32 = 200;

fn mb(n: u64) -> u64 {
    n / (1024 * 1024)
}

/// `(0, 0)` → `A1`.
fn a1(r: u32, c: u32) -> String {
    let mut letters = Vec::new();
    let mut n = c as u64 + 1;
    while n > 0 {
        let d = ((n - 1) % 26) as u8;
        letters.push(b'A' + d);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), r as u64 + 1)
}

/// Checks an uploaded .xlsx before it is parsed: the number of parts, the decompressed size of
/// every part (actually decompressed, streaming, at most up to the limit; the sizes the zip
/// declares are not believed) and of the shared strings, then every sheet's content extent
/// (streaming, nothing kept), so that the dense grids built later stay small.
pub fn check_xlsx(bytes: &[u8]) -> Result<(), String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| juesuan_import::workbook_error(bytes, &calamine::Error::Xlsx(e.into())))?;
    if zip.len() > MAX_XLSX_PARTS {
        return Err(format!(
            "工作簿包含的部件过多（{} 个，上限 {MAX_XLSX_PARTS} 个）",
            zip.len()
        ));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut f = zip
            .by_index(i)
            .map_err(|_| format!("工作簿的第 {} 个部件无法读取（压缩包已损坏）", i + 1))?;
        let name = f.name().unwrap_or_default().to_string();
        let shared = name.to_ascii_lowercase().ends_with("sharedstrings.xml");
        let left = MAX_XLSX_UNCOMPRESSED - total;
        let budget = if shared {
            left.min(MAX_XLSX_SHARED_STRINGS)
        } else {
            left
        };
        let n = std::io::copy(&mut (&mut f).take(budget + 1), &mut std::io::sink())
            .map_err(|_| format!("工作簿的部件 {name} 无法解压（压缩数据已损坏）"))?;
        if n > budget {
            return Err(if shared && budget == MAX_XLSX_SHARED_STRINGS {
                format!(
                    "工作簿的共享字符串（{name}）解压后超过 {} MB 的上限；请只保留决算表后重新上传",
                    mb(MAX_XLSX_SHARED_STRINGS)
                )
            } else {
                format!(
                    "工作簿解压后超过 {} MB 的上限（在部件 {name} 处）；请只保留决算表后重新上传",
                    mb(MAX_XLSX_UNCOMPRESSED)
                )
            });
        }
        total += n;
    }
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| {
            juesuan_import::workbook_error(bytes, &calamine::Error::Xlsx(e))
        })?;
    let names = calamine::Reader::sheet_names(&book).to_vec();
    for name in names {
        let mut cells = book.worksheet_cells_reader(&name).map_err(|e| {
            format!(
                "工作表“{name}”无法读取：{}",
                juesuan_import::workbook_error(bytes, &e.into())
            )
        })?;
        loop {
            let cell = cells.next_cell_with_formula().map_err(|e| {
                format!(
                    "工作表“{name}”无法读取：{}",
                    juesuan_import::workbook_error(bytes, &e.into())
                )
            })?;
            let Some(cell) = cell else { break };
            if matches!(cell.value, calamine::DataRef::Empty) && cell.formula.is_none() {
                continue;
            }
            let (r, c) = cell.pos;
            if r >= MAX_UPLOAD_ROWS || c >= MAX_UPLOAD_COLS {
                return Err(format!(
                    "工作表“{name}”的单元格 {} 有内容，超出上传限制（最多 {MAX_UPLOAD_ROWS} 行、{MAX_UPLOAD_COLS} 列，即 A1:{}）；请删除表格以外的内容后重新上传",
                    a1(r, c),
                    a1(MAX_UPLOAD_ROWS - 1, MAX_UPLOAD_COLS - 1)
                ));
            }
        }
    }
    Ok(())
}

/// Reads an uploaded workbook through juesuan-import; the result is a `单位` dataset with
/// one unit (`units/benji/`), as `juesuan import` writes it.
pub fn from_workbook(bytes: &[u8], file_name: &str) -> Result<Files, Vec<Problem>> {
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    let is_ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    if is_ole {
        // calamine reads a whole .xls when it opens it and reserves memory for the extent
        // the file declares; nothing bounds that before it allocates.
        return Err(vec![Problem::in_file(
            file_name,
            "不支持旧版 Excel 97-2003 工作簿（.xls）：请在 Excel 中“另存为” Excel 工作簿（.xlsx）后重新上传",
        )]);
    }
    if !is_zip {
        return Err(vec![Problem::in_file(
            file_name,
            "上传的文件不是 Excel 工作簿（.xlsx）",
        )]);
    }
    check_xlsx(bytes).map_err(|m| vec![Problem::in_file(file_name, m)])?;
    let stem = file_name
        .rsplit_once('.')
        .map(|(s, _)| s)
        .unwrap_or(file_name);
    let mut imported = juesuan_import::read_bytes(bytes, file_name, stem, &Default::default())?;
    // An upload is the nine tables (a unit's, or the department's); the rest of a dataset
    // that a `juesuan export` workbook carries would bypass who may edit which file.
    imported.carried = None;
    let tmp = tempfile::tempdir().map_err(|e| {
        vec![Problem::in_file(
            file_name,
            format!("无法创建临时目录：{e}"),
        )]
    })?;
    let dir = tmp.path().join("dataset");
    juesuan_import::write_dataset(&imported, &dir)?;
    from_dir(&dir).map_err(|e| vec![Problem::in_file(file_name, e)])
}

/// Loads a version. Every problem is returned, with the file's relative path.
pub fn load(files: &Files) -> Result<Disclosure, Vec<Problem>> {
    let tmp = tempfile::tempdir()
        .map_err(|e| vec![Problem::in_file("", format!("无法创建临时目录：{e}"))])?;
    for (rel, text) in files {
        if !allowed_path(rel) {
            continue;
        }
        let path = tmp.path().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                vec![Problem::in_file(
                    rel.clone(),
                    format!("无法写入临时文件：{e}"),
                )]
            })?;
        }
        std::fs::write(&path, text).map_err(|e| {
            vec![Problem::in_file(
                rel.clone(),
                format!("无法写入临时文件：{e}"),
            )]
        })?;
    }
    juesuan_load::load_dataset(tmp.path())
}

/// A loaded and checked version.
pub struct Checked {
    pub disclosure: Disclosure,
    pub report: Report,
}

impl Checked {
    pub fn errors(&self) -> usize {
        self.report.summary.errors
    }
}

/// Loads and checks; load problems or a check that cannot run are the error.
pub fn check(files: &Files) -> Result<Checked, Vec<String>> {
    let d = load(files).map_err(|p| p.iter().map(|p| p.to_string()).collect::<Vec<_>>())?;
    let report = juesuan_check::check_disclosure(&d).map_err(|e| vec![e])?;
    Ok(Checked {
        disclosure: d,
        report,
    })
}

/// A CSV file as a grid of text cells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grid {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Grid {
    pub fn parse(text: &str) -> Result<Grid, String> {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let mut rows = Vec::new();
        for rec in r.records() {
            let rec = rec.map_err(|e| format!("CSV 无法解析：{e}"))?;
            rows.push(rec.iter().map(str::to_string).collect::<Vec<_>>());
        }
        if rows.is_empty() {
            return Err("CSV 文件为空".into());
        }
        let header = rows.remove(0);
        Ok(Grid { header, rows })
    }

    pub fn write(&self) -> String {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        let _ = w.write_record(&self.header);
        for r in &self.rows {
            let _ = w.write_record(r);
        }
        let bytes = w.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// How many leading columns name the row (科目编码,科目名称 or 项目).
    pub fn key_columns(&self) -> usize {
        if self.header.first().map(String::as_str) == Some("科目编码") {
            2
        } else {
            1
        }
    }

    /// The row's key as findings name it: the code, else the name.
    pub fn row_key(&self, r: usize) -> String {
        let row = &self.rows[r];
        let first = row.first().map(|s| s.trim()).unwrap_or("");
        if self.key_columns() == 2 {
            if first.is_empty() {
                row.get(1).map(|s| s.trim().to_string()).unwrap_or_default()
            } else {
                juesuan_load::split_code(first)
                    .map(|(c, _)| c.to_string())
                    .unwrap_or_else(|| first.to_string())
            }
        } else {
            first.to_string()
        }
    }

    /// The row as a person reads it: code and name.
    pub fn row_label(&self, r: usize) -> String {
        let k = self.key_columns();
        self.rows[r]
            .iter()
            .take(k)
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn cell(&self, r: usize, c: usize) -> &str {
        self.rows
            .get(r)
            .and_then(|row| row.get(c))
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// Does a finding's row name this grid row?
pub fn row_matches(grid: &Grid, r: usize, key: &str) -> bool {
    let key = key.trim();
    let norm = |s: &str| {
        let s = s.trim();
        let s = juesuan_load::split_code(s).map(|(_, n)| n).unwrap_or(s);
        juesuan_load::strip_numbering(s).trim().to_string()
    };
    if grid.row_key(r) == key {
        return true;
    }
    let row = &grid.rows[r];
    row.iter()
        .take(grid.key_columns())
        .any(|cell| !cell.trim().is_empty() && (cell.trim() == key || norm(cell) == norm(key)))
}

/// The findings that concern cell (r, c) of the file `rel` (`units/<id>/tN.csv` or
/// `department/tN.csv`).
pub fn findings_at<'a>(
    findings: &'a [Finding],
    rel: &str,
    grid: &Grid,
    r: usize,
    c: usize,
) -> Vec<&'a Finding> {
    let Some((unit, table)) = unit_table(rel) else {
        return Vec::new();
    };
    let col = grid.header.get(c).map(|s| s.trim()).unwrap_or("");
    findings
        .iter()
        .filter(|f| {
            let l = &f.location;
            if let (Some(file), Some(line)) = (&l.file, l.line) {
                if file == rel {
                    return line == r + 2 && l.column.as_deref().is_none_or(|lc| lc == col);
                }
            }
            l.table.as_deref() == Some(table.as_str())
                && l.unit.as_deref() == Some(unit.as_str())
                && l.column.as_deref() == Some(col)
                && l.row.as_deref().is_some_and(|k| row_matches(grid, r, k))
        })
        .collect()
}

/// `units/benji/t5.csv` → ("benji", "T5"); `department/t1.csv` → ("部门", "T1").
pub fn unit_table(rel: &str) -> Option<(String, String)> {
    let parts: Vec<&str> = rel.split('/').collect();
    let (unit, file) = match parts.as_slice() {
        ["department", f] => ("部门".to_string(), *f),
        ["units", id, f] => (id.to_string(), *f),
        _ => return None,
    };
    Some((unit, table_id(file)?))
}

/// The table files of a version, in order: department first, then units as listed.
pub fn table_files(files: &Files) -> Vec<String> {
    let mut v: Vec<String> = files
        .keys()
        .filter(|k| unit_table(k).is_some())
        .cloned()
        .collect();
    v.sort_by_key(|k| (!k.starts_with("department/"), k.clone()));
    v
}

/// One changed cell (CSV) or line (other files).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub file: String,
    /// Row key and label for a table; `第n行` for other files.
    pub row: String,
    pub column: String,
    pub old: String,
    pub new: String,
}

/// Cell-level differences from `a` to `b`.
pub fn diff(a: &Files, b: &Files) -> Vec<Change> {
    let names: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    let mut out = Vec::new();
    for name in names {
        let (ta, tb) = (a.get(name), b.get(name));
        if ta == tb {
            continue;
        }
        let ta = ta.map(String::as_str).unwrap_or("");
        let tb = tb.map(String::as_str).unwrap_or("");
        if name.ends_with(".csv") {
            if let (Ok(ga), Ok(gb)) = (
                Grid::parse(if ta.is_empty() { "\n" } else { ta }),
                Grid::parse(if tb.is_empty() { "\n" } else { tb }),
            ) {
                diff_grids(name, &ga, &gb, &mut out);
                continue;
            }
        }
        diff_lines(name, ta, tb, &mut out);
    }
    out
}

fn diff_grids(name: &str, a: &Grid, b: &Grid, out: &mut Vec<Change>) {
    let keyed = |g: &Grid| -> Vec<(String, String, usize)> {
        (0..g.rows.len())
            .map(|r| (g.row_key(r), g.row_label(r), r))
            .collect()
    };
    let ka = keyed(a);
    let kb = keyed(b);
    let cols: Vec<String> = {
        let mut c: Vec<String> = a.header.iter().skip(a.key_columns()).cloned().collect();
        for h in b.header.iter().skip(b.key_columns()) {
            if !c.contains(h) {
                c.push(h.clone());
            }
        }
        c
    };
    let col_of = |g: &Grid, h: &str| g.header.iter().position(|x| x == h);
    let mut seen = BTreeSet::new();
    for (key, label, ra) in &ka {
        seen.insert(key.clone());
        let rb = kb.iter().find(|(k, _, _)| k == key).map(|(_, _, r)| *r);
        for h in &cols {
            let va = col_of(a, h).map(|c| a.cell(*ra, c)).unwrap_or("");
            let vb = match (rb, col_of(b, h)) {
                (Some(r), Some(c)) => b.cell(r, c),
                _ => "",
            };
            if va.trim() != vb.trim() || (rb.is_none() && !va.trim().is_empty()) {
                out.push(Change {
                    file: name.to_string(),
                    row: label.clone(),
                    column: h.clone(),
                    old: va.to_string(),
                    new: if rb.is_none() {
                        "（行已删除）".to_string()
                    } else {
                        vb.to_string()
                    },
                });
            }
        }
    }
    for (key, label, rb) in &kb {
        if seen.contains(key) {
            continue;
        }
        for h in &cols {
            let vb = col_of(b, h).map(|c| b.cell(*rb, c)).unwrap_or("");
            out.push(Change {
                file: name.to_string(),
                row: label.clone(),
                column: h.clone(),
                old: "（新增行）".to_string(),
                new: vb.to_string(),
            });
        }
    }
}

/// Line diff by longest common subsequence (the files are a few hundred lines).
fn diff_lines(name: &str, a: &str, b: &str, out: &mut Vec<Change>) {
    let la: Vec<&str> = a.lines().collect();
    let lb: Vec<&str> = b.lines().collect();
    if la.len() * lb.len() > 4_000_000 {
        out.push(Change {
            file: name.to_string(),
            row: String::new(),
            column: String::new(),
            old: format!("{} 行", la.len()),
            new: format!("{} 行（文件过大，不逐行比较）", lb.len()),
        });
        return;
    }
    let (n, m) = (la.len(), lb.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if la[i] == lb[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut push = |line: usize, old: &str, new: &str| {
        out.push(Change {
            file: name.to_string(),
            row: format!("第{line}行"),
            column: String::new(),
            old: old.to_string(),
            new: new.to_string(),
        })
    };
    while i < n || j < m {
        if i < n && j < m && la[i] == lb[j] {
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            push(j + 1, "", lb[j]);
            j += 1;
        } else {
            push(i + 1, la[i], "");
            i += 1;
        }
    }
}

/// The year and kind an uploaded dataset's disclosure.toml states, if it can be read.
pub fn year_and_kind(files: &Files) -> Option<(i32, juesuan_model::DocKind)> {
    let doc = files
        .get("disclosure.toml")?
        .parse::<toml_edit::DocumentMut>()
        .ok()?;
    let entity = doc.get("entity")?;
    let year = i32::try_from(entity.get("year")?.as_integer()?).ok()?;
    let kind = match entity.get("document").and_then(|v| v.as_str()) {
        Some(k) => juesuan_model::DocKind::parse(k)?,
        None => juesuan_model::DocKind::Final,
    };
    Some((year, kind))
}

/// The comparisons a 变动原因 can be for: a 决算's 年初预算 and 上年决算, a 预算's 上年预算.
pub const REASON_KINDS: [&str; 3] = ["年初预算", "上年决算", "上年预算"];

/// The comparisons of [`REASON_KINDS`] that a document of this kind explains.
fn reason_kinds(doc: &toml_edit::DocumentMut) -> &'static [&'static str] {
    let kind = doc
        .get("entity")
        .and_then(|e| e.get("document"))
        .and_then(|v| v.as_str());
    match kind.and_then(juesuan_model::DocKind::parse) {
        Some(juesuan_model::DocKind::Budget) => &REASON_KINDS[2..],
        _ => &REASON_KINDS[..2],
    }
}

/// The reasons written in disclosure.toml: (kind, key, text).
pub fn reasons(toml_text: &str) -> Vec<(String, String, String)> {
    let Ok(doc) = toml_text.parse::<toml_edit::DocumentMut>() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for kind in REASON_KINDS {
        if let Some(t) = doc
            .get("reasons")
            .and_then(|r| r.get(kind))
            .and_then(|t| t.as_table_like())
        {
            for (k, v) in t.iter() {
                out.push((
                    kind.to_string(),
                    k.to_string(),
                    v.as_str().unwrap_or("").to_string(),
                ));
            }
        }
    }
    out
}

/// Sets (or, with empty text, removes) one reason, keeping the rest of the file as written.
pub fn set_reason(toml_text: &str, kind: &str, key: &str, text: &str) -> Result<String, String> {
    let mut doc = toml_text
        .parse::<toml_edit::DocumentMut>()
        .map_err(|e| format!("disclosure.toml 无法解析：{e}"))?;
    let kinds = reason_kinds(&doc);
    if !kinds.contains(&kind) {
        return Err(format!(
            "变动原因的类别“{kind}”不存在（本数据集可用：{}）",
            kinds.join("、")
        ));
    }
    if key.is_empty() || key.len() > 200 || key.contains(['\n', '\r']) {
        return Err("变动原因的项目无效".into());
    }
    let reasons = doc
        .entry("reasons")
        .or_insert_with(|| {
            let mut t = toml_edit::Table::new();
            t.set_implicit(true);
            toml_edit::Item::Table(t)
        })
        .as_table_mut()
        .ok_or("disclosure.toml 中的 reasons 不是表")?;
    let table = reasons
        .entry(kind)
        .or_insert_with(|| toml_edit::Item::Table(toml_edit::Table::new()))
        .as_table_mut()
        .ok_or("disclosure.toml 中的 reasons 不是表")?;
    let text = text.trim();
    if text.is_empty() {
        table.remove(key);
    } else {
        table.insert(key, toml_edit::value(text));
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A minimal .xlsx: one sheet `Sheet1` with `sheet` as its XML, plus `extra` parts.
    fn xlsx(sheet: &str, extra: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        let mut parts: Vec<(&str, Vec<u8>)> = vec![
            ("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_vec()),
            ("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_vec()),
            ("xl/workbook.xml", br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_vec()),
            ("xl/_rels/workbook.xml.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_vec()),
            ("xl/worksheets/sheet1.xml", sheet.as_bytes().to_vec()),
        ];
        parts.extend(extra.iter().cloned());
        for (name, data) in parts {
            z.start_file(name, opts).unwrap();
            z.write_all(&data).unwrap();
        }
        z.finish().unwrap();
        buf.into_inner()
    }

    fn sheet(cells: &[&str]) -> String {
        let mut s = String::from(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
        );
        for c in cells {
            let row: String = c.chars().filter(|ch| ch.is_ascii_digit()).collect();
            s.push_str(&format!(
                r#"<row r="{row}"><c r="{c}" t="inlineStr"><is><t>x</t></is></c></row>"#
            ));
        }
        s.push_str("</sheetData></worksheet>");
        s
    }

    fn refused(bytes: &[u8]) -> String {
        let problems = from_workbook(bytes, "upload.xlsx").unwrap_err();
        problems
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn small_workbook_passes_the_guard() {
        assert!(check_xlsx(&xlsx(&sheet(&["A1", "T1300"]), &[])).is_ok());
    }

    #[test]
    fn content_beyond_the_upload_extent_is_refused_naming_the_cell() {
        for (cell, far) in [
            ("XFD1048576", "XFD1048576"),
            ("A10001", "A10001"),
            ("GS1", "GS1"),
        ] {
            let m = refused(&xlsx(&sheet(&["A1", cell]), &[]));
            assert!(m.contains("工作表“Sheet1”") && m.contains(far), "{m}");
            assert!(m.contains("超出上传限制"), "{m}");
        }
        assert!(check_xlsx(&xlsx(&sheet(&["A10000", "GR1"]), &[])).is_ok());
    }

    #[test]
    fn decompressed_size_and_shared_strings_are_bounded() {
        let big = vec![b' '; (MAX_XLSX_SHARED_STRINGS + 1) as usize];
        let m = refused(&xlsx(&sheet(&["A1"]), &[("xl/sharedStrings.xml", big)]));
        assert!(m.contains("共享字符串") && m.contains("16 MB"), "{m}");
        let ok = vec![b' '; (MAX_XLSX_SHARED_STRINGS / 2) as usize];
        let huge = vec![0u8; (MAX_XLSX_UNCOMPRESSED + 1) as usize];
        let bytes = xlsx(
            &sheet(&["A1"]),
            &[("xl/sharedStrings.xml", ok), ("xl/media/x.bin", huge)],
        );
        assert!(bytes.len() < MAX_UPLOAD, "{}", bytes.len());
        let m = refused(&bytes);
        assert!(m.contains("64 MB") && m.contains("xl/media/x.bin"), "{m}");
    }

    #[test]
    fn legacy_xls_is_refused_in_chinese() {
        let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        ole.resize(4096, 0);
        let m = refused(&ole);
        assert!(m.contains(".xls") && m.contains("另存为"), "{m}");
        let m = refused(b"not a workbook");
        assert!(m.contains("不是 Excel 工作簿"), "{m}");
    }

    #[test]
    fn paths() {
        assert!(allowed_path("units/benji/t1.csv"));
        assert!(allowed_path("department/t9.csv"));
        assert!(allowed_path("disclosure.toml"));
        assert!(allowed_path("units/benji/unit.toml"));
        assert!(!allowed_path("department/unit.toml"));
        assert!(!allowed_path("units/../t1.csv"));
        assert!(!allowed_path("units/a/t10.csv"));
        assert!(!allowed_path("x/disclosure.toml"));
    }

    #[test]
    fn grid_round_trip_and_keys() {
        let g = Grid::parse("科目编码,科目名称,合计\n,合计,1.00\n204,公共安全支出,\"1,000.00\"\n")
            .unwrap();
        assert_eq!(g.row_key(0), "合计");
        assert_eq!(g.row_key(1), "204");
        assert_eq!(Grid::parse(&g.write()).unwrap(), g);
    }

    #[test]
    fn cell_diff() {
        let mut a = Files::new();
        a.insert(
            "units/x/t1.csv".into(),
            "项目,决算数\n其他收入,1.00\n合计,2.00\n".into(),
        );
        let mut b = a.clone();
        b.insert(
            "units/x/t1.csv".into(),
            "项目,决算数\n其他收入,1.50\n合计,2.00\n".into(),
        );
        let d = diff(&a, &b);
        assert_eq!(d.len(), 1);
        assert_eq!(
            (d[0].row.as_str(), d[0].column.as_str()),
            ("其他收入", "决算数")
        );
        assert_eq!((d[0].old.as_str(), d[0].new.as_str()), ("1.00", "1.50"));
    }

    #[test]
    fn line_diff() {
        let mut a = Files::new();
        a.insert("disclosure.toml".into(), "a = 1\nb = 2\nc = 3\n".into());
        let mut b = Files::new();
        b.insert("disclosure.toml".into(), "a = 1\nb = 5\nc = 3\n".into());
        let d = diff(&a, &b);
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d.iter().any(|c| c.old == "b = 2"));
        assert!(d.iter().any(|c| c.new == "b = 5"));
    }

    #[test]
    fn reasons_edit_keeps_the_rest() {
        let t = "[entity]\nname = \"x\" # kept\n\n[reasons.\"上年决算\"]\n\"T1/a\" = \"old\"\n";
        let t2 = set_reason(t, "上年决算", "T1/b", "新的原因").unwrap();
        assert!(t2.contains("# kept"));
        let r = reasons(&t2);
        assert_eq!(r.len(), 2);
        let t3 = set_reason(&t2, "上年决算", "T1/a", "").unwrap();
        assert_eq!(reasons(&t3).len(), 1);
        let t4 = set_reason("", "年初预算", "T5/2040601", "原因").unwrap();
        assert_eq!(
            reasons(&t4),
            vec![("年初预算".into(), "T5/2040601".into(), "原因".into())]
        );
        assert!(set_reason(t, "其他", "k", "v").is_err());
    }
}
