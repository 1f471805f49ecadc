//! `juesuan build` as a user runs it: every format from the example, the check gate that
//! refuses data with errors (missing 变动原因 listed first), --draft, and many datasets at once.

use std::path::{Path, PathBuf};
use std::process::Command;

fn juesuan(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(args)
        .output()
        .expect("run juesuan");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/chifeng-sfj-2024")
}

/// A copy of the example in a temp dir, named `name`.
fn copy(root: &Path, name: &str) -> PathBuf {
    let dst = root.join(name);
    let status = Command::new("cp")
        .arg("-r")
        .arg(example())
        .arg(&dst)
        .status()
        .unwrap();
    assert!(status.success());
    dst
}

const TITLE: &str = "赤峰市司法局2024年度部门决算";

#[test]
fn builds_every_format_of_the_example() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path().display().to_string();
    let (code, stdout, err) = juesuan(&["build", example().to_str().unwrap(), "-o", &o]);
    assert_eq!(code, 0, "{stdout}\n{err}");
    assert!(stdout.starts_with("已生成："), "{stdout}");
    for ext in ["html", "pdf", "docx", "xlsx"] {
        let f = out.path().join(format!("{TITLE}.{ext}"));
        let len = std::fs::metadata(&f).map(|m| m.len()).unwrap_or(0);
        assert!(len > 10_000, "{} is {len} bytes", f.display());
    }
    for f in ["cells.csv", "cells.json", "datapackage.json"] {
        assert!(out.path().join("opendata").join(f).is_file(), "{f}");
    }
    let pdf = std::fs::read(out.path().join(format!("{TITLE}.pdf"))).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    for ext in ["docx", "xlsx"] {
        let zip = std::fs::read(out.path().join(format!("{TITLE}.{ext}"))).unwrap();
        assert!(zip.starts_with(b"PK"), "{ext} is a zip package");
    }
}

#[test]
fn refuses_errors_lists_missing_reasons_and_builds_drafts() {
    let root = tempfile::tempdir().unwrap();
    let ds = copy(root.path(), "ds");
    // drop one required 变动原因 and break one sum
    let toml = std::fs::read_to_string(ds.join("disclosure.toml")).unwrap();
    let toml: String = toml
        .lines()
        .filter(|l| !l.starts_with("\"T5/2040613\""))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(ds.join("disclosure.toml"), toml).unwrap();
    let t7 = std::fs::read_to_string(ds.join("department/t7.csv")).unwrap();
    std::fs::write(
        ds.join("department/t7.csv"),
        t7.replace("合计,66.00,25.18", "合计,66.00,25.38"),
    )
    .unwrap();

    let out = root.path().join("out");
    let o = out.display().to_string();
    let (code, stdout, _) = juesuan(&["build", ds.to_str().unwrap(), "-o", &o]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.starts_with("拒绝生成："), "{stdout}");
    assert!(stdout.contains("缺少 1 条变动原因"), "{stdout}");
    assert!(stdout.contains("T5/2040613"), "{stdout}");
    assert!(stdout.contains("处数字不一致"), "{stdout}");
    assert!(!out.exists(), "nothing written when refused");

    let (code, stdout, _) = juesuan(&[
        "build",
        ds.to_str().unwrap(),
        "-o",
        &o,
        "--draft",
        "--formats",
        "html",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stdout}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["datasets"][0]["status"], "draft");
    assert!(v["datasets"][0]["errors"].as_u64().unwrap() >= 2);
    let html = std::fs::read_to_string(out.join(format!("{TITLE}.html"))).unwrap();
    assert!(html.contains("class=\"draft-mark\""));
    assert!(
        !out.join(format!("{TITLE}.pdf")).exists(),
        "only the asked format"
    );
}

#[test]
fn many_datasets_in_parallel_each_in_its_own_folder() {
    let root = tempfile::tempdir().unwrap();
    let a = copy(root.path(), "a");
    let b = copy(root.path(), "b");
    let bad = root.path().join("missing");
    let out = root.path().join("out");
    let (code, stdout, _) = juesuan(&[
        "build",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        bad.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--formats",
        "html,data",
        "--jobs",
        "2",
    ]);
    assert_eq!(
        code, 2,
        "an unreadable dataset makes the run fail: {stdout}"
    );
    assert!(
        stdout.contains("共 3 个数据集：生成 2，草稿 0，拒绝 0，失败 1"),
        "{stdout}"
    );
    for d in ["a", "b"] {
        assert!(out.join(d).join(format!("{TITLE}.html")).is_file());
        assert!(out.join(d).join("opendata/cells.csv").is_file());
    }
}

/// `--units`: each unit's own 单位决算 beside the department's, from its tables and its
/// units/<id>/unit.toml; a unit whose required 变动原因 is missing is refused on its own.
#[test]
fn builds_each_units_disclosure_with_units() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path().display().to_string();
    let (code, stdout, err) = juesuan(&[
        "build",
        example().to_str().unwrap(),
        "-o",
        &o,
        "--units",
        "--formats",
        "html",
    ]);
    assert_eq!(code, 0, "{stdout}\n{err}");
    assert!(out.path().join(format!("{TITLE}.html")).is_file());
    let unit = std::fs::read_to_string(
        out.path()
            .join("units/jiedusuo/赤峰市强制隔离戒毒所2024年度单位决算.html"),
    )
    .unwrap();
    for s in [
        "单位概况",
        "本单位本年度没有使用政府性基金预算财政拨款",
        "支出决算14.78万元，完成预算的44.79%",
        "接待7批次，75人次",
        "机构运行经费支出决算204.54万元",
    ] {
        assert!(unit.contains(s), "{s}");
    }
    assert!(
        !unit.contains("部门决算"),
        "a unit's document speaks of itself"
    );
    assert!(out
        .path()
        .join("units/benji/赤峰市司法局本级2024年度单位决算.html")
        .is_file());

    // Without its unit.toml the 本级 lacks the reason its 三公 budget gap needs.
    let work = tempfile::tempdir().unwrap();
    let ds = copy(work.path(), "ds");
    std::fs::remove_file(ds.join("units/benji/unit.toml")).unwrap();
    let (code, stdout, _) = juesuan(&[
        "build",
        ds.to_str().unwrap(),
        "-o",
        work.path().join("out").to_str().unwrap(),
        "--units",
        "--formats",
        "html",
    ]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("拒绝生成") && stdout.contains("单位 benji"),
        "{stdout}"
    );
    assert!(
        stdout.contains("units/benji/unit.toml"),
        "says where the reason goes: {stdout}"
    );
    assert!(stdout.contains("生成 2，草稿 0，拒绝 1"), "{stdout}");
}
