//! The 部门预算 as a user runs it: `check`, `rules --document 预算`, `build` of the budget
//! example in every format, and `audit` of the PDF and DOCX it wrote.

mod common;
use common::juesuan;

use std::path::{Path, PathBuf};
use std::process::Command;

fn budget() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/chifeng-sfj-yusuan-2024")
}

const TITLE: &str = "赤峰市司法局2024年度部门预算";

#[test]
fn check_and_rules_know_the_budget() {
    let (code, out, err) = juesuan(&["check", budget().to_str().unwrap()]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("0 个错误，0 个警告"), "{out}");
    let (code, out, _) = juesuan(&["rules", "--document", "预算"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("Y1.balance") && !out.contains("T1.balance"),
        "{out}"
    );
    let (code, _, err) = juesuan(&["rules", "--document", "草案"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("决算") && err.contains("预算"), "{err}");
}

#[test]
fn builds_the_budget_in_every_format_and_audits_it_clean() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path().display().to_string();
    let (code, stdout, err) = juesuan(&["build", budget().to_str().unwrap(), "-o", &o]);
    assert_eq!(code, 0, "{stdout}\n{err}");
    for ext in ["html", "pdf", "docx", "xlsx"] {
        let f = out.path().join(format!("{TITLE}.{ext}"));
        let len = std::fs::metadata(&f).map(|m| m.len()).unwrap_or(0);
        assert!(len > 10_000, "{} is {len} bytes", f.display());
    }
    let cells = std::fs::read_to_string(out.path().join("opendata/cells.csv")).unwrap();
    assert!(
        cells.contains(",Y5,一般公共预算支出情况表,2040601,行政运行,功能分类,合计,1093.77"),
        "{}",
        &cells[..cells.len().min(600)]
    );
    let package = std::fs::read_to_string(out.path().join("opendata/datapackage.json")).unwrap();
    assert!(package.contains("部门预算公开数据") && !package.contains("决算"));

    let pdf = out.path().join(format!("{TITLE}.pdf"));
    let text = Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&text.stdout).replace(char::is_whitespace, "");
    for part in [
        "第一部分部门概况",
        "第二部分2024年度部门预算编制说明",
        "第三部分2024年度部门预算表",
        "收入、支出预算总计4105.38万元",
        "表1部门收支总体情况表",
        "表6一般公共预算基本支出情况表",
        "表7一般公共预算“三公”经费支出情况表",
        "表9国有资本经营预算支出情况表",
        "表10项目支出绩效目标表",
        "名词解释",
    ] {
        assert!(text.contains(part), "PDF lacks {part}");
    }
    assert!(!text.contains("决算"), "a budget document says 决算");

    for ext in ["pdf", "docx"] {
        let f = out.path().join(format!("{TITLE}.{ext}"));
        let (code, report, err) = juesuan(&["audit", f.to_str().unwrap()]);
        assert_eq!(code, 0, "{ext}: {report}\n{err}");
        assert!(report.contains("0 个错误，0 个警告"), "{ext}: {report}");
    }
}

/// A copy of the budget example in a temp dir.
fn copy(root: &Path) -> PathBuf {
    let dst = root.join("yusuan");
    let status = Command::new("cp")
        .arg("-r")
        .arg(budget())
        .arg(&dst)
        .status()
        .unwrap();
    assert!(status.success());
    dst
}

#[test]
fn explain_speaks_of_the_last_budget_and_build_units_says_why_not() {
    let (code, out, err) = juesuan(&["explain", budget().to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("已填写 1 项"), "{out}");
    assert!(
        out.contains("与上年预算相比") && out.contains("预算 124.66万元"),
        "{out}"
    );
    assert!(!out.contains("决算"), "{out}");

    // without its reason the 卫生健康 change is listed as missing, and build refuses
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy(tmp.path());
    let toml = dir.join("disclosure.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    let cut: String = text
        .lines()
        .filter(|l| !l.starts_with("\"Y5/210\""))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(cut, text);
    std::fs::write(&toml, cut).unwrap();
    let (code, out, _) = juesuan(&["explain", dir.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(
        out.contains("已填写 0 项") && out.contains("未填写变动原因"),
        "{out}"
    );
    let o = tmp.path().join("out");
    let (code, out, err) = juesuan(&[
        "build",
        dir.to_str().unwrap(),
        "-o",
        o.to_str().unwrap(),
        "--formats",
        "data",
    ]);
    assert_eq!(code, 1, "{out}\n{err}");
    let said = format!("{out}{err}");
    assert!(
        said.contains("缺少 1 条变动原因") && said.contains("Y5/210"),
        "{said}"
    );

    // a 部门预算 without units/ has no 单位预算 to build: each unit is named
    let (code, out, err) = juesuan(&[
        "build",
        budget().to_str().unwrap(),
        "--units",
        "-o",
        o.to_str().unwrap(),
        "--formats",
        "data",
    ]);
    assert_ne!(code, 0, "{out}");
    let said = format!("{out}{err}");
    assert!(
        said.contains("units/benji") && said.contains("无法生成单位预算"),
        "{said}"
    );
}
