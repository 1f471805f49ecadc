//! Helpers for tests over a copy of the bundled example.

#![allow(dead_code)]

use juesuan_check::{check_disclosure, Finding, Report, Severity};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

pub fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/chifeng-sfj-2024")
}

/// The 部门预算 example (examples/chifeng-sfj-yusuan-2024).
pub fn budget_example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/chifeng-sfj-yusuan-2024")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A scratch copy of the example.
pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Scratch {
        Scratch::of(&example_dir())
    }

    /// A scratch copy of a dataset directory.
    pub fn of(from: &Path) -> Scratch {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(from, dir.path());
        Scratch { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Sets one cell of a CSV table: the row whose code or item name is `row`, the column
    /// whose header is `column`. Panics if either is missing (the test is wrong).
    pub fn set(&self, file: &str, row: &str, column: &str, value: &str) -> &Self {
        let path = self.path().join(file);
        let text = fs::read_to_string(&path).unwrap();
        let mut lines: Vec<Vec<String>> = text
            .lines()
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect();
        let col = lines[0]
            .iter()
            .position(|h| h.trim() == column)
            .unwrap_or_else(|| panic!("{file} has no column {column}"));
        let found = lines.iter().skip(1).position(|cells| {
            let first = cells[0].trim();
            first == row || (first.is_empty() && cells.get(1).map(|c| c.trim()) == Some(row))
        });
        // a row left out of a fixed table (T1, T4, T7) is zero: add it
        let idx = match found {
            Some(i) => i + 1,
            None => {
                lines.push(vec![row.to_string()]);
                lines.len() - 1
            }
        };
        let line = &mut lines[idx];
        while line.len() <= col {
            line.push(String::new());
        }
        line[col] = value.to_string();
        let out: Vec<String> = lines.iter().map(|c| c.join(",")).collect();
        fs::write(path, out.join("\n") + "\n").unwrap();
        self
    }

    /// Reads one cell (as written).
    pub fn get(&self, file: &str, row: &str, column: &str) -> String {
        let text = fs::read_to_string(self.path().join(file)).unwrap();
        let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
        let col = lines[0].iter().position(|h| h.trim() == column).unwrap();
        let line = lines.iter().skip(1).find(|c| {
            c[0].trim() == row
                || (c[0].trim().is_empty() && c.get(1).map(|x| x.trim()) == Some(row))
        });
        match line.and_then(|l| l.get(col)).map(|c| c.trim()) {
            Some(v) if !v.is_empty() => v.to_string(),
            _ => "0".to_string(),
        }
    }

    /// Replaces text in a file (for disclosure.toml).
    pub fn replace(&self, file: &str, from: &str, to: &str) -> &Self {
        let path = self.path().join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} does not contain {from:?}");
        fs::write(path, text.replacen(from, to, 1)).unwrap();
        self
    }

    pub fn check(&self) -> Report {
        let d = juesuan_load::load_dataset(self.path()).unwrap_or_else(|p| panic!("{p:#?}"));
        check_disclosure(&d).unwrap()
    }
}

/// The ids of the rules that fired with severity error or warning.
pub fn fired(report: &Report) -> BTreeSet<String> {
    report
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Style)
        .map(|f| f.rule.clone())
        .collect()
}

pub fn only<'a>(report: &'a Report, rule: &str) -> Vec<&'a Finding> {
    report.findings.iter().filter(|f| f.rule == rule).collect()
}

/// Adds `delta` (in 万元, e.g. "0.12") to a written 万元 figure, exactly.
pub fn add_wan(written: &str, delta_fen: i64) -> String {
    let m = juesuan_model::Money::parse_wan(written).unwrap();
    juesuan_model::Money::from_fen(m.fen() + delta_fen).format_wan_exact()
}

impl Scratch {
    /// The example reduced to one unit whose tables are the published department tables:
    /// a dataset where every figure is checked against its own table only.
    pub fn single_unit() -> Scratch {
        let s = Scratch::new();
        let root = s.path();
        fs::remove_dir_all(root.join("units")).unwrap();
        fs::create_dir_all(root.join("units")).unwrap();
        fs::rename(root.join("department"), root.join("units/dept")).unwrap();
        let toml = fs::read_to_string(root.join("disclosure.toml")).unwrap();
        let mut out = Vec::new();
        let mut skipping = false;
        for line in toml.lines() {
            let t = line.trim();
            if t.starts_with('[') {
                skipping = t == "[[units]]";
            }
            if !skipping {
                out.push(line.to_string());
            }
        }
        let mut text = out.join("\n").replace("kind = \"部门\"", "kind = \"单位\"");
        text.push_str("\n\n[[units]]\nid = \"dept\"\nname = \"赤峰市司法局\"\nnature = \"财政拨款的行政单位\"\n");
        fs::write(root.join("disclosure.toml"), text).unwrap();
        s
    }
}
