//! `juesuan synth`, `juesuan consolidate` and `juesuan check` on a region tree.

use crate::Format;
use juesuan_check::{Catalogue, NodeReport};
use juesuan_consolidate::{consolidate_region, Consolidated, Level};
use juesuan_model::{Problem, Region, Template};
use std::path::Path;
use std::process::ExitCode;

fn print_problems(what: &str, dir: &Path, problems: &[Problem], format: Format) {
    match format {
        Format::Json => println!(
            "{}",
            serde_json::json!({ "problems": problems, "summary": { "problems": problems.len() } })
        ),
        Format::Human => {
            eprintln!("无法读取{what} {}：", dir.display());
            for p in problems.iter().take(200) {
                eprintln!("  {p}");
            }
            eprintln!("共 {} 个问题。", problems.len());
        }
    }
}

fn load(dir: &Path, format: Format) -> Result<Region, ExitCode> {
    juesuan_load::load_region(dir).map_err(|problems| {
        print_problems("地区", dir, &problems, format);
        ExitCode::from(2)
    })
}

pub fn synth(
    out: &Path,
    units: usize,
    seed: u64,
    inject: usize,
    year: i32,
    format: Format,
) -> ExitCode {
    if out.exists()
        && std::fs::read_dir(out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        eprintln!(
            "输出目录 {} 已存在且不为空；请换一个目录或先删除它",
            out.display()
        );
        return ExitCode::from(2);
    }
    let opts = juesuan_synth::Options { units, seed, year };
    let mut region = match juesuan_synth::generate(&opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("无法生成：{e}");
            return ExitCode::from(2);
        }
    };
    let truth = juesuan_synth::inject(&mut region, inject, seed);
    if let Err(e) = juesuan_synth::write_region(&region, out) {
        eprintln!("{e}");
        return ExitCode::from(2);
    }
    let truth_file = out.join("injected.json");
    if inject > 0 {
        let json = serde_json::to_string_pretty(&truth).unwrap_or_default();
        if let Err(e) = std::fs::write(&truth_file, json) {
            eprintln!("无法写入 {}：{e}", truth_file.display());
            return ExitCode::from(2);
        }
    }
    let departments = region.departments().len();
    match format {
        Format::Json => println!(
            "{}",
            serde_json::json!({
                "dir": out.display().to_string(), "units": region.unit_count(),
                "departments": departments, "seed": seed, "injected": truth.len(),
            })
        ),
        Format::Human => {
            println!(
                "已生成合成地区 {}：{} 个部门，{} 个单位（种子 {seed}）→ {}",
                region.name,
                departments,
                region.unit_count(),
                out.display()
            );
            if inject > 0 {
                println!(
                    "注入 {} 个错误，真实位置见 {}",
                    truth.len(),
                    truth_file.display()
                );
            }
        }
    }
    ExitCode::SUCCESS
}

pub fn consolidate(dir: &Path, out: &Path, format: Format) -> ExitCode {
    let region = match load(dir, format) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let template = match Template::for_year(region.year) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let root = consolidate_region(&region, template);
    let mut written = 0usize;
    if let Err(e) = write_node(&root, out, template, &mut written) {
        eprintln!("{e}");
        return ExitCode::from(2);
    }
    match format {
        Format::Json => println!(
            "{}",
            serde_json::json!({ "out": out.display().to_string(), "nodes": written, "units": root.units })
        ),
        Format::Human => println!(
            "已汇总 {}（{} 个单位）：{} 个地区/部门的九张表 → {}",
            root.name,
            root.units,
            written,
            out.display()
        ),
    }
    ExitCode::SUCCESS
}

/// Writes a node's tables as `DIR/t1.csv …` and its children in numbered subdirectories.
fn write_node(
    n: &Consolidated<'_>,
    dir: &Path,
    template: &Template,
    written: &mut usize,
) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("无法写入 {}：{e}", dir.display()))?;
    let meta = format!(
        "[node]\nlevel = \"{}\"\nname = {}\ncode = {}\nunits = {}\nunit = \"{}\"\n",
        match n.level {
            Level::Region => "地区",
            Level::Department => "部门",
        },
        juesuan_load::write::toml_string(&n.name),
        juesuan_load::write::toml_string(&n.code),
        n.units,
        n.unit.chinese()
    );
    let path = dir.join("node.toml");
    std::fs::write(&path, meta).map_err(|e| format!("无法写入 {}：{e}", path.display()))?;
    for def in template.standard_tables() {
        let (Some(file), Some(t)) = (&def.file, n.tables.get(&def.id)) else {
            continue;
        };
        let path = dir.join(file);
        std::fs::write(
            &path,
            juesuan_load::write::table_csv(def, template, t, n.unit),
        )
        .map_err(|e| format!("无法写入 {}：{e}", path.display()))?;
    }
    *written += 1;
    for (i, c) in n.children.iter().enumerate() {
        let name: String = c
            .name
            .chars()
            .map(|ch| if "/\\:*?\"<>|".contains(ch) { '_' } else { ch })
            .collect();
        write_node(
            c,
            &dir.join(format!("{:04}-{name}", i + 1)),
            template,
            written,
        )?;
    }
    Ok(())
}

pub fn check(dir: &Path, format: Format) -> ExitCode {
    let region = match load(dir, format) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let result = Template::for_year(region.year).and_then(|template| {
        let catalogue = Catalogue::for_year(region.year)?;
        let root = consolidate_region(&region, template);
        juesuan_check::check_region(&root, catalogue)
    });
    let reports = match result {
        Ok(r) => r,
        Err(e) => {
            eprintln!("无法检查：{e}");
            return ExitCode::from(2);
        }
    };
    let errors: usize = reports.iter().map(|r| r.report.summary.errors).sum();
    let warnings: usize = reports.iter().map(|r| r.report.summary.warnings).sum();
    let styles: usize = reports.iter().map(|r| r.report.summary.styles).sum();
    let mut worst: Vec<&NodeReport> = reports.iter().filter(|r| r.level == "部门").collect();
    worst.sort_by_key(|r| {
        (
            std::cmp::Reverse(r.report.summary.errors),
            std::cmp::Reverse(r.report.summary.warnings),
            std::cmp::Reverse(r.report.summary.styles),
        )
    });
    match format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "region": region.name,
                "nodes": reports,
                "summary": {
                    "departments": worst.len(),
                    "nodes": reports.len(),
                    "errors": errors, "warnings": warnings, "styles": styles,
                },
            }))
            .unwrap_or_default()
        ),
        Format::Human => {
            for r in reports.iter().filter(|r| !r.report.findings.is_empty()) {
                println!("━━ {}（{}）", r.path.join(" / "), r.level);
                print!("{}", r.report.to_human(r.path.last().map_or("", |s| s)));
            }
            println!("\n各部门检查结果（按问题多少排序）：");
            println!("{:>6} {:>6} {:>6}  部门", "错误", "警告", "规范");
            for r in worst.iter().take(30) {
                let s = &r.report.summary;
                println!(
                    "{:>8} {:>8} {:>8}  {}",
                    s.errors,
                    s.warnings,
                    s.styles,
                    r.path.join(" / ")
                );
            }
            if worst.len() > 30 {
                println!("  ……另有 {} 个部门", worst.len() - 30);
            }
            println!(
                "{}：{} 个部门、{} 个地区/部门节点，{errors} 个错误，{warnings} 个警告，{styles} 个规范问题",
                region.name,
                worst.len(),
                reports.len()
            );
        }
    }
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
