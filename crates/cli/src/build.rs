//! `juesuan build`: dataset directories → the published documents, in parallel.

use juesuan_check::Report;
use juesuan_model::Disclosure;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum OutputFormat {
    Html,
    Pdf,
    Docx,
    Xlsx,
    /// CSV + JSON of every cell with datapackage.json
    Data,
}

pub struct Options {
    pub out: PathBuf,
    pub formats: Vec<OutputFormat>,
    pub draft: bool,
    pub jobs: usize,
    /// Also each unit's own 单位决算, under `OUT/units/<id>/`.
    pub units: bool,
}

/// What happened to one dataset.
#[derive(serde::Serialize)]
pub struct Outcome {
    pub dataset: String,
    /// built, draft, refused (check errors), failed (unreadable or not writable)
    pub status: &'static str,
    pub outputs: Vec<String>,
    pub errors: usize,
    pub warnings: usize,
    pub messages: Vec<String>,
    pub millis: u128,
}

pub fn run(dirs: &[PathBuf], opts: &Options) -> Vec<Outcome> {
    let fonts = if opts.formats.contains(&OutputFormat::Pdf) {
        Some(juesuan_pdf::Fonts::discover())
    } else {
        None
    };
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Vec<Outcome>)>> = Mutex::new(Vec::new());
    let progress = crate::progress::Progress::bar(dirs.len());
    let jobs = opts.jobs.clamp(1, dirs.len().max(1));
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(dir) = dirs.get(i) else { break };
                let out = if dirs.len() == 1 {
                    opts.out.clone()
                } else {
                    opts.out.join(dir_name(dir))
                };
                let outcome = build_one(dir, &out, opts, fonts.as_ref());
                progress.inc(&dir_name(dir));
                if let Ok(mut r) = results.lock() {
                    r.push((i, outcome));
                }
            });
        }
    });
    progress.finish();
    let mut r = results.into_inner().unwrap_or_default();
    r.sort_by_key(|(i, _)| *i);
    r.into_iter().flat_map(|(_, o)| o).collect()
}

fn dir_name(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "dataset".to_string())
}

/// The department's documents and, with `--units`, each unit's.
fn build_one(
    dir: &Path,
    out: &Path,
    opts: &Options,
    fonts: Option<&Result<juesuan_pdf::Fonts, String>>,
) -> Vec<Outcome> {
    let start = Instant::now();
    let label = dir.display().to_string();
    let d = match juesuan_load::load_dataset(dir) {
        Ok(d) => d,
        Err(problems) => {
            return vec![failed(
                label,
                problems.iter().map(|p| p.to_string()).collect(),
                start,
            )]
        }
    };
    let mut outcomes = vec![build_disclosure(&d, label.clone(), out, opts, fonts, start)];
    if opts.units {
        match juesuan_load::unit_disclosures(dir, &d) {
            Ok(units) => {
                for u in &units {
                    let id = &u.units[0].id;
                    let mut o = build_disclosure(
                        u,
                        format!("{label}（单位 {id}）"),
                        &out.join("units").join(id),
                        opts,
                        fonts,
                        Instant::now(),
                    );
                    if o.status == "refused" {
                        o.messages.push(format!(
                            "单位的概况、补充数据和变动原因写在 units/{id}/{}（格式见 docs/dataset.md）。",
                            juesuan_load::UNIT_FILE
                        ));
                    }
                    outcomes.push(o);
                }
            }
            Err(problems) => outcomes.push(failed(
                format!("{label}（各单位）"),
                problems.iter().map(|p| p.to_string()).collect(),
                start,
            )),
        }
    }
    outcomes
}

fn failed(dataset: String, messages: Vec<String>, start: Instant) -> Outcome {
    Outcome {
        dataset,
        status: "failed",
        outputs: Vec::new(),
        errors: 0,
        warnings: 0,
        messages,
        millis: start.elapsed().as_millis(),
    }
}

fn build_disclosure(
    d: &Disclosure,
    dataset: String,
    out: &Path,
    opts: &Options,
    fonts: Option<&Result<juesuan_pdf::Fonts, String>>,
    start: Instant,
) -> Outcome {
    let mut outcome = failed(dataset, Vec::new(), start);
    let report = match juesuan_check::check_disclosure(d) {
        Ok(r) => r,
        Err(e) => {
            outcome.messages.push(e);
            return outcome;
        }
    };
    outcome.errors = report.summary.errors;
    outcome.warnings = report.summary.warnings;
    if report.has_errors() && !opts.draft {
        outcome.status = "refused";
        outcome.messages = refusal(d, &report);
        outcome.millis = start.elapsed().as_millis();
        return outcome;
    }
    match write_all(d, out, opts, fonts) {
        Ok(files) => {
            outcome.outputs = files;
            outcome.status = if opts.draft { "draft" } else { "built" };
        }
        Err(e) => outcome.messages.push(e),
    }
    outcome.millis = start.elapsed().as_millis();
    outcome
}

/// Why a build is refused: the missing 变动原因 first (the usual cause), then the rest.
fn refusal(d: &Disclosure, report: &Report) -> Vec<String> {
    let mut lines = Vec::new();
    let errors: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.severity == juesuan_check::Severity::Error)
        .collect();
    let (reasons, others): (Vec<&juesuan_check::Finding>, Vec<&juesuan_check::Finding>) =
        errors.iter().partition(|f| f.rule.starts_with("R."));
    if !reasons.is_empty() {
        lines.push(format!("缺少 {} 条变动原因：", reasons.len()));
        lines.extend(reasons.iter().map(|f| format!("  {}", f.message)));
    }
    if !others.is_empty() {
        lines.push(format!("{} 处数字不一致：", others.len()));
        lines.extend(others.iter().map(|f| format!("  {}", f.message)));
    }
    lines.push(format!(
        "{}：检查发现 {} 个错误，未生成。修正后重试，或加 --draft 生成带“草稿”水印的版本。",
        d.entity.name,
        errors.len()
    ));
    lines
}

/// Creates `out`, which must be `root` (the `-o` directory) or a directory below it made of
/// plain names (`units/<id>`, a dataset's directory name), and must resolve inside `root`
/// once created (no symbolic link out).
fn output_dir(root: &Path, out: &Path) -> Result<(), String> {
    let refuse = || {
        format!(
            "拒绝写入 {}：不在输出目录 {} 之内",
            out.display(),
            root.display()
        )
    };
    let rel = out.strip_prefix(root).map_err(|_| refuse())?;
    if !rel
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)))
    {
        return Err(refuse());
    }
    std::fs::create_dir_all(out).map_err(|e| format!("无法创建目录 {}：{e}", out.display()))?;
    let real = |p: &Path| {
        std::fs::canonicalize(p).map_err(|e| format!("无法访问目录 {}：{e}", p.display()))
    };
    if !real(out)?.starts_with(real(root)?) {
        return Err(refuse());
    }
    Ok(())
}

fn write_all(
    d: &Disclosure,
    out: &Path,
    opts: &Options,
    fonts: Option<&Result<juesuan_pdf::Fonts, String>>,
) -> Result<Vec<String>, String> {
    let doc = juesuan_report::build(d)?;
    // The title is `<entity name><year>年度部门决算`, from data: one safe file name, and
    // every path checked to resolve inside `-o` before anything is written.
    let stem = juesuan_model::safe::file_stem(&doc.title);
    let root = &opts.out;
    output_dir(root, out)?;
    let mut written = Vec::new();
    let mut data_dir = None;
    let mut put = |name: String, bytes: &[u8]| -> Result<(), String> {
        let path = out.join(&name);
        juesuan_load::write::ensure_inside(root, &path)?;
        std::fs::write(&path, bytes).map_err(|e| format!("无法写入 {}：{e}", path.display()))?;
        written.push(path.display().to_string());
        Ok(())
    };
    for f in &opts.formats {
        match f {
            OutputFormat::Html => put(
                format!("{stem}.html"),
                juesuan_html::render(&doc, opts.draft).as_bytes(),
            )?,
            OutputFormat::Pdf => {
                let fonts = fonts
                    .ok_or("PDF 字体未加载")?
                    .as_ref()
                    .map_err(Clone::clone)?;
                put(
                    format!("{stem}.pdf"),
                    &juesuan_pdf::render(&doc, opts.draft, fonts)?,
                )?
            }
            OutputFormat::Xlsx => put(format!("{stem}.xlsx"), &juesuan_xlsx::write_xlsx(&doc)?)?,
            OutputFormat::Docx => put(
                format!("{stem}.docx"),
                &juesuan_docx::write_docx(&doc, opts.draft)?,
            )?,
            OutputFormat::Data => {
                let dir = out.join("opendata");
                juesuan_load::write::ensure_inside(root, &dir)?;
                juesuan_opendata::write_dir(d, &dir, true)?;
                data_dir = Some(dir.display().to_string());
            }
        }
    }
    written.extend(data_dir);
    Ok(written)
}
