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
    if let Err(e) = write_node(&root, out, out, template, &mut written) {
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
    root: &Path,
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
    juesuan_load::write::ensure_inside(root, &path)?;
    std::fs::write(&path, meta).map_err(|e| format!("无法写入 {}：{e}", path.display()))?;
    for def in template.standard_tables() {
        let (Some(file), Some(t)) = (&def.file, n.tables.get(&def.id)) else {
            continue;
        };
        let path = dir.join(file);
        juesuan_load::write::ensure_inside(root, &path)?;
        std::fs::write(
            &path,
            juesuan_load::write::table_csv(def, template, t, n.unit),
        )
        .map_err(|e| format!("无法写入 {}：{e}", path.display()))?;
    }
    *written += 1;
    for (i, c) in n.children.iter().enumerate() {
        let name = juesuan_model::safe::file_stem(&c.name);
        write_node(
            c,
            root,
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

/// `juesuan synth --format long`: the region straight to nodes.csv + amounts.csv.
fn refuse_nonempty(out: &Path) -> Option<ExitCode> {
    let nonempty = out.exists()
        && std::fs::read_dir(out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true);
    nonempty.then(|| {
        eprintln!(
            "输出目录 {} 已存在且不为空；请换一个目录或先删除它",
            out.display()
        );
        ExitCode::from(2)
    })
}

pub fn synth_long(
    out: &Path,
    units: usize,
    seed: u64,
    inject: usize,
    year: i32,
    format: Format,
) -> ExitCode {
    if let Some(code) = refuse_nonempty(out) {
        return code;
    }
    let plan = match juesuan_scale::Plan::for_year(year) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let opts = juesuan_synth::Options { units, seed, year };
    let departments = count_slots(&juesuan_synth::shape(&opts));
    // one error in every `every`-th department; 0 = none
    let every = departments.checked_div(inject).map_or(0, |n| n.max(1));
    let shown = crate::progress::Progress::phase("生成中");
    let progress = |done: usize| shown.set(&format!("生成中：{done}/{units} 个单位"));
    let result = juesuan_scale::synthetic::write(&opts, &plan, out, every, &progress);
    shown.finish();
    match result {
        Ok(w) => {
            if inject > 0 {
                let path = out.join("injected.json");
                let json = serde_json::to_string_pretty(&w.injected).unwrap_or_default();
                if let Err(e) = std::fs::write(&path, json) {
                    eprintln!("无法写入 {}：{e}", path.display());
                    return ExitCode::from(2);
                }
            }
            match format {
                Format::Json => println!("{}", serde_json::json!({
                    "dir": out.display().to_string(), "units": w.units, "departments": w.departments,
                    "regions": w.regions, "records": w.records, "injected": w.injected.len(), "seed": seed,
                })),
                Format::Human => println!(
                    "已生成合成地区（长格式）：{} 个地区、{} 个部门、{} 个单位，{} 条金额记录（种子 {seed}，注入 {} 个错误）→ {}",
                    w.regions, w.departments, w.units, w.records, w.injected.len(), out.display()
                ),
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

fn count_slots(s: &juesuan_synth::Shape) -> usize {
    s.children
        .iter()
        .map(|c| match c {
            juesuan_synth::ShapeChild::Region(r) => count_slots(r),
            juesuan_synth::ShapeChild::Department(_) => 1,
        })
        .sum()
}

/// Peak resident memory of this process (Linux), in MiB.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// `juesuan scale DIR`: load + consolidate + check the long format natively.
pub fn scale(dir: &Path, year: i32, format: Format) -> ExitCode {
    use std::time::Instant;
    let plan = match juesuan_scale::Plan::for_year(year) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let t0 = Instant::now();
    let progress = crate::progress::Progress::phase(&format!("读取 {} …", dir.display()));
    let mut data = match juesuan_scale::LongData::read_dir(dir, &plan) {
        Ok(d) => d,
        Err(e) => {
            progress.finish();
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let load = t0.elapsed().as_secs_f64();
    progress.set(&format!("读取 {load:.2}s；汇总 …"));
    let t1 = Instant::now();
    juesuan_scale::consolidate(&mut data, &plan);
    let consolidate = t1.elapsed().as_secs_f64();
    progress.set(&format!("读取 {load:.2}s，汇总 {consolidate:.2}s；检查 …"));
    let t2 = Instant::now();
    let (failures, evaluated) = juesuan_scale::check(&data, &plan);
    let check = t2.elapsed().as_secs_f64();
    progress.finish();
    let units = data
        .nodes
        .iter()
        .filter(|n| n.level == juesuan_scale::NodeLevel::Unit)
        .count();
    let errors = failures
        .iter()
        .filter(|f| plan.rules[f.rule as usize].severity == "error")
        .count();
    // failures per department (a unit's count towards its department)
    let mut per_dep: std::collections::BTreeMap<u32, usize> = Default::default();
    for f in &failures {
        let n = &data.nodes[f.node as usize];
        let dep = match n.level {
            juesuan_scale::NodeLevel::Unit => n.parent.unwrap_or(f.node),
            _ => f.node,
        };
        if data.nodes[dep as usize].level == juesuan_scale::NodeLevel::Department {
            *per_dep.entry(dep).or_default() += 1;
        }
    }
    let mut worst: Vec<(u32, usize)> = per_dep.into_iter().collect();
    worst.sort_by_key(|(id, n)| (std::cmp::Reverse(*n), *id));
    let rss = peak_rss_mib();
    match format {
        Format::Json => println!(
            "{}",
            serde_json::json!({
                "units": units, "nodes": data.nodes.len(), "records": data.records(),
                "rules": plan.rules.len(), "evaluated": evaluated,
                "failures": failures.len(), "errors": errors,
                "seconds": { "load": load, "consolidate": consolidate, "check": check,
                              "total": load + consolidate + check },
                "peak_rss_mib": rss,
                "departments": worst.iter().take(50).map(|(id, n)| serde_json::json!({
                    "node": id, "name": data.nodes[*id as usize].name, "failures": n })).collect::<Vec<_>>(),
                "failed": failures.iter().take(10_000).map(|f| serde_json::json!({
                    "node": f.node, "rule": plan.rules[f.rule as usize].id,
                    "bindings": f.bindings.iter().map(|b| plan.dict.name(*b)).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        ),
        Format::Human => {
            println!(
                "{units} 个单位、{} 个节点、{} 条金额记录；{} 条规则共检查 {evaluated} 次，不成立 {} 次（错误 {errors}）",
                data.nodes.len(),
                data.records(),
                plan.rules.len(),
                failures.len()
            );
            for (id, n) in worst.iter().take(20) {
                println!("{n:>8}  {}", data.nodes[*id as usize].name);
            }
            println!(
                "用时：读取 {load:.2}s，汇总 {consolidate:.2}s，检查 {check:.2}s，合计 {:.2}s；峰值内存 {}",
                load + consolidate + check,
                rss.map(|m| format!("{m:.0} MiB")).unwrap_or_else(|| "未知".into())
            );
        }
    }
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `juesuan convert DIR -o OUT --to parquet|csv`: the long format from one file format to
/// the other, read and checked as `juesuan scale` reads it.
pub fn convert(dir: &Path, out: &Path, year: i32, to: LongFormat) -> ExitCode {
    let result = juesuan_scale::Plan::for_year(year).and_then(|plan| {
        let data = juesuan_scale::LongData::read_dir(dir, &plan)?;
        match to {
            LongFormat::Parquet => data.write_parquet(out, &plan)?,
            LongFormat::Csv => data.write_csv(out, &plan)?,
        }
        Ok(data)
    });
    match result {
        Ok(data) => {
            println!(
                "已转换：{} → {}（{} 个节点，{} 条金额记录，{}）",
                dir.display(),
                out.display(),
                data.nodes.len(),
                data.records(),
                match to {
                    LongFormat::Parquet => "nodes.parquet + amounts.parquet",
                    LongFormat::Csv => "nodes.csv + amounts.csv",
                }
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

/// The file format of the long format.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LongFormat {
    Csv,
    Parquet,
}

/// The SQL engines `juesuan sql` writes for.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SqlDialect {
    Duckdb,
    Postgres,
    Datafusion,
    Spark,
}

/// `juesuan sql`: the catalogue compiled to SQL.
pub fn sql(year: i32, dialect: SqlDialect, nodes: &str, amounts: &str) -> ExitCode {
    use juesuan_scale::sql::Dialect;
    let dialect = match dialect {
        SqlDialect::Duckdb => Dialect::DuckDb,
        SqlDialect::Postgres => Dialect::Postgres,
        SqlDialect::Datafusion => Dialect::DataFusion,
        SqlDialect::Spark => Dialect::Spark,
    };
    match juesuan_scale::Plan::for_year(year) {
        Ok(plan) => {
            print!(
                "{}",
                juesuan_scale::sql::script_for(&plan, dialect, nodes, amounts)
            );
            for (id, why) in &plan.skipped {
                println!("-- 未编译为 SQL：{id}（{why}）");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}
