//! `juesuan audit`: published documents → findings, many files in parallel.

use juesuan_check::{Finding, Report};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The files to audit: the given files, and every .txt/.docx/.pdf under given directories.
pub fn expand(inputs: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in inputs {
        if p.is_dir() {
            walk(p, &mut out);
        } else {
            out.push(p.clone());
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        out.push(dir.to_path_buf());
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            walk(&p, out);
        } else if p
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .is_some_and(|e| matches!(e.as_str(), "txt" | "docx" | "pdf"))
        {
            out.push(p);
        }
    }
}

/// Audits every file on `jobs` threads; results in input order.
pub fn run(
    files: &[PathBuf],
    year: i32,
    kind: Option<juesuan_audit::DocKind>,
    jobs: usize,
) -> Vec<(PathBuf, Result<Report, String>)> {
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    let progress = crate::progress::Progress::bar(files.len());
    std::thread::scope(|s| {
        for _ in 0..jobs.clamp(1, files.len().max(1)) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(f) = files.get(i) else { break };
                let r = juesuan_audit::audit_file_as(f, year, kind);
                progress.inc(
                    &f.file_name()
                        .map(|n| n.to_string_lossy())
                        .unwrap_or_default(),
                );
                if let Ok(mut v) = results.lock() {
                    v.push((i, f.clone(), r));
                }
            });
        }
    });
    progress.finish();
    let mut v = results.into_inner().unwrap_or_default();
    v.sort_by_key(|(i, _, _)| *i);
    v.into_iter().map(|(_, f, r)| (f, r)).collect()
}

fn place(f: &Finding) -> String {
    match (f.location.page, f.location.line) {
        (Some(p), Some(l)) => format!("第{p}页第{l}行"),
        (None, Some(l)) => format!("第{l}行"),
        _ => String::new(),
    }
}

/// Findings of one file for people: place, severity, message with the sentence, stated vs
/// expected, related places.
pub fn human(file: &Path, report: &Report) -> String {
    let s = &report.summary;
    let mut out = format!(
        "{}：{} 个错误，{} 个警告，{} 处规范问题（{} 项检查）\n",
        file.display(),
        s.errors,
        s.warnings,
        s.styles,
        s.evaluated
    );
    if let Some(d) = &report.document {
        out += &format!("  按部门{}审核（依据：{}）\n", d.kind, d.basis);
    }
    if !report.tables.is_empty() {
        let (held, all) = identities(report);
        out += &format!(
            "  读出表格 {} 张，表内勾稽关系 {held}/{all} 成立\n",
            report.tables.len()
        );
    }
    for f in &report.findings {
        out += &format!("  {} [{}] {}\n", place(f), f.severity.chinese(), f.message);
        if let (Some(st), Some(ex)) = (&f.stated, &f.expected) {
            out += &format!("      写的是 {st}，应为 {ex}\n");
        }
        if !f.related.is_empty() {
            let places: std::collections::BTreeSet<(usize, usize)> = f
                .related
                .iter()
                .map(|l| (l.page.unwrap_or(0), l.line.unwrap_or(0)))
                .collect();
            let rel: Vec<String> = places
                .into_iter()
                .map(|(p, n)| {
                    if p > 0 {
                        format!("第{p}页第{n}行")
                    } else {
                        format!("第{n}行")
                    }
                })
                .collect();
            out += &format!("      相关：{}\n", rel.join("、"));
        }
        out += &format!("      规则：{}\n", f.rule);
    }
    out
}

/// Identities of the tables read that hold, and all evaluated.
fn identities(r: &Report) -> (usize, usize) {
    r.tables.iter().fold((0, 0), |(h, a), t| {
        (h + t.identities_held, a + t.identities)
    })
}

/// The batch summary table.
pub fn table(results: &[(PathBuf, Result<Report, String>)]) -> String {
    let mut out = String::from("\n文件\t错误\t警告\t规范\t表格\t表内勾稽\n");
    let (mut e, mut w, mut st, mut t, mut held, mut all) = (0, 0, 0, 0, 0, 0);
    for (f, r) in results {
        match r {
            Ok(r) => {
                let (h, a) = identities(r);
                e += r.summary.errors;
                w += r.summary.warnings;
                st += r.summary.styles;
                t += r.tables.len();
                held += h;
                all += a;
                out += &format!(
                    "{}\t{}\t{}\t{}\t{}\t{h}/{a}\n",
                    f.display(),
                    r.summary.errors,
                    r.summary.warnings,
                    r.summary.styles,
                    r.tables.len()
                );
            }
            Err(_) => out += &format!("{}\t无法读取\t\t\t\t\n", f.display()),
        }
    }
    out += &format!(
        "合计 {} 个文件\t{e}\t{w}\t{st}\t{t}\t{held}/{all}\n",
        results.len()
    );
    out
}
