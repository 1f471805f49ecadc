//! The `juesuan` command line: one binary for every stage of the pipeline.
//! It parses arguments and prints; the work is done by the library crates.

use clap::{Parser, Subcommand, ValueEnum};
use juesuan_check::{Catalogue, Check};
use std::path::PathBuf;
use std::process::ExitCode;

/// juesuan：部门决算公开的数据检查、汇总、生成与审核工具。
///
/// 数据集是一个目录：disclosure.toml（基本信息、补充信息、变动原因）加上每个单位的九张表
/// （CSV）。格式见 docs/dataset.md，示例见 examples/chifeng-sfj-2024。
#[derive(Parser)]
#[command(name = "juesuan", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 按审核规则检查一个数据集，列出所有不一致的数字。
    ///
    /// 退出码：0 = 没有错误（可能有警告）；1 = 发现错误；2 = 数据集无法读取。
    ///
    /// 示例：juesuan check examples/chifeng-sfj-2024 --format json
    Check {
        /// 数据集目录
        dir: PathBuf,
        /// 输出格式：human（中文，按表分组）或 json（DESIGN.md 的结构）
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// 列出某一年度的审核规则目录。
    Rules {
        /// 年度
        #[arg(long, default_value_t = 2024)]
        year: i32,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { dir, format } => check(&dir, format),
        Command::Rules { year, format } => rules(year, format),
    }
}

fn check(dir: &std::path::Path, format: Format) -> ExitCode {
    let disclosure = match juesuan_load::load_dataset(dir) {
        Ok(d) => d,
        Err(problems) => {
            match format {
                Format::Json => println!(
                    "{}",
                    serde_json::json!({ "problems": problems, "summary": { "problems": problems.len() } })
                ),
                Format::Human => {
                    eprintln!("无法读取数据集 {}：", dir.display());
                    for p in &problems {
                        eprintln!("  {p}");
                    }
                    eprintln!("共 {} 个问题。", problems.len());
                }
            }
            return ExitCode::from(2);
        }
    };
    let report = match juesuan_check::check_disclosure(&disclosure) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("无法检查：{e}");
            return ExitCode::from(2);
        }
    };
    match format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        ),
        Format::Human => print!("{}", report.to_human(&disclosure.entity.name)),
    }
    if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn rules(year: i32, format: Format) -> ExitCode {
    let catalogue = match Catalogue::for_year(year) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match format {
        Format::Json => {
            let list: Vec<_> = catalogue
                .rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id, "severity": r.severity, "message": r.message,
                        "formula": r.formula,
                        "builtin": matches!(r.check, Check::DepartmentEqualsUnits | Check::EliminationsMatch),
                    })
                })
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&list).unwrap_or_default()
            );
        }
        Format::Human => {
            for r in &catalogue.rules {
                println!("{:<36} {}  {}", r.id, r.severity.chinese(), r.message);
                println!("{:<36}       {}", "", r.formula);
            }
            println!("共 {} 条规则。", catalogue.rules.len());
        }
    }
    ExitCode::SUCCESS
}
