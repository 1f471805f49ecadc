//! `juesuan explain`, `juesuan crosscheck` and `build --suggest-reasons`: argument handling and
//! printing around `juesuan-explain`.

use crate::Format;
use juesuan_model::{Disclosure, Problem};
use std::path::Path;
use std::process::ExitCode;

/// Loads a dataset or prints its problems (as `juesuan check` does) and returns exit code 2.
fn load(dir: &Path, format: Format) -> Result<Disclosure, ExitCode> {
    juesuan_load::load_dataset(dir).map_err(|problems| {
        print_problems(
            &format!("无法读取数据集 {}", dir.display()),
            &problems,
            format,
        );
        ExitCode::from(2)
    })
}

fn print_problems(head: &str, problems: &[Problem], format: Format) {
    match format {
        Format::Json => println!(
            "{}",
            serde_json::json!({ "problems": problems, "summary": { "problems": problems.len() } })
        ),
        Format::Human => {
            eprintln!("{head}：");
            for p in problems {
                eprintln!("  {p}");
            }
            eprintln!("共 {} 个问题。", problems.len());
        }
    }
}

pub fn explain(dir: &Path, format: Format) -> ExitCode {
    let d = match load(dir, format) {
        Ok(d) => d,
        Err(code) => return code,
    };
    match juesuan_explain::explain(&d) {
        Ok(e) => {
            match format {
                Format::Json => {
                    println!("{}", serde_json::to_string_pretty(&e).unwrap_or_default())
                }
                Format::Human => print!("{}", e.to_human()),
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("无法分析：{e}");
            ExitCode::from(2)
        }
    }
}

/// Writes the drafts of each dataset into its disclosure.toml; returns one line per dataset.
pub fn suggest(dirs: &[std::path::PathBuf]) -> Vec<String> {
    dirs.iter()
        .map(|dir| {
            let written = juesuan_load::load_dataset(dir)
                .map_err(|p| format!("无法读取（{} 个问题）", p.len()))
                .and_then(|d| juesuan_explain::explain(&d))
                .and_then(|e| juesuan_explain::write_suggestions(dir, &e));
            match written {
                Ok(n) => format!(
                    "已写入建议：{}/disclosure.toml [suggestions] {n} 条（不是变动原因，核对后写入 [reasons]）",
                    dir.display()
                ),
                Err(e) => format!("未写入建议：{}：{e}", dir.display()),
            }
        })
        .collect()
}

pub fn crosscheck(
    first: &Path,
    second: &Path,
    budget: bool,
    map: Option<&Path>,
    format: Format,
) -> ExitCode {
    let mapping = match map {
        Some(path) if !budget => match juesuan_explain::Mapping::read(path) {
            Ok(m) => m,
            Err(problems) => {
                print_problems(
                    &format!("无法读取对照表 {}", path.display()),
                    &problems,
                    format,
                );
                return ExitCode::from(2);
            }
        },
        Some(_) => {
            eprintln!("--map 只用于上年决算核对（不加 --budget）");
            return ExitCode::from(2);
        }
        None => juesuan_explain::Mapping::default(),
    };
    let (a, b) = match (load(first, format), load(second, format)) {
        (Ok(a), Ok(b)) => (a, b),
        _ => return ExitCode::from(2),
    };
    let report = if budget {
        juesuan_explain::crosscheck_budget(&a, first, &b, second)
    } else {
        juesuan_explain::crosscheck_prior(&a, first, &b, second, &mapping)
    };
    let report = match report {
        Ok(r) => r,
        Err(e) => {
            eprintln!("无法核对：{e}");
            return ExitCode::from(2);
        }
    };
    match format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        ),
        Format::Human => {
            let title = if budget {
                format!(
                    "年初预算核对：{}（部门预算）→ {}",
                    first.display(),
                    second.display()
                )
            } else {
                format!(
                    "上年决算核对：{}（上年）→ {}（本年）",
                    first.display(),
                    second.display()
                )
            };
            println!("{title}");
            print!("{}", report.to_human(&b.entity.name));
        }
    }
    if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
