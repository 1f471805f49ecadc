//! `juesuan build` as a user runs it: every format from the example, the check gate that
//! refuses data with errors (missing 变动原因 listed first), --draft, and many datasets at once.

mod common;
use common::juesuan;

use std::path::{Path, PathBuf};
use std::process::Command;

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

/// Every file below `dir`, as paths relative to it.
fn files_below(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

/// D3: the output files are named after `[entity] name`; a name with `..` or `/` must not
/// write outside `-o`, in every format and for each unit's 单位决算.
#[test]
fn entity_names_cannot_write_outside_the_output_directory() {
    let root = tempfile::tempdir().unwrap();
    for (i, (name, stem)) in [
        ("../../escaped-", "____escaped-2024年度部门决算"),
        ("/tmp/juesuan-x-", "_tmp_juesuan-x-2024年度部门决算"),
        ("CON", "CON2024年度部门决算"),
        ("a\\b:c", "a_b_c2024年度部门决算"),
    ]
    .into_iter()
    .enumerate()
    {
        let case = root.path().join(format!("case{i}"));
        std::fs::create_dir_all(&case).unwrap();
        let ds = copy(&case, "ds");
        let toml = std::fs::read_to_string(ds.join("disclosure.toml")).unwrap();
        let quoted = name.replace('\\', "\\\\");
        std::fs::write(
            ds.join("disclosure.toml"),
            toml.replacen(
                "name = \"赤峰市司法局\"",
                &format!("name = \"{quoted}\""),
                1,
            ),
        )
        .unwrap();
        let out = case.join("a").join("b").join("out");
        let formats = if i == 0 {
            "html,pdf,docx,xlsx,data"
        } else {
            "html,xlsx"
        };
        let (code, stdout, err) = juesuan(&[
            "build",
            ds.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--formats",
            formats,
            "--units",
        ]);
        assert_eq!(code, 0, "{name}: {stdout}\n{err}");
        let inside = files_below(&out);
        assert!(
            inside.contains(&format!("{stem}.html")),
            "{name}: {inside:?}"
        );
        assert!(
            inside.contains(&format!("{stem}.xlsx")),
            "{name}: {inside:?}"
        );
        if i == 0 {
            for ext in ["pdf", "docx"] {
                assert!(inside.contains(&format!("{stem}.{ext}")), "{inside:?}");
            }
            assert!(inside.contains(&"opendata/cells.csv".to_string()));
        }
        // each unit's 单位决算 lands under units/<id>/
        assert!(
            inside
                .iter()
                .any(|f| f.starts_with("units/jiedusuo/") && f.ends_with(".html")),
            "{inside:?}"
        );
        // nothing anywhere else: the case directory holds the dataset and out/ only
        let all = files_below(&case);
        assert!(
            all.iter()
                .all(|f| f.starts_with("ds/") || f.starts_with("a/b/out/")),
            "{name}: {all:?}"
        );
    }
    assert!(!Path::new("/tmp/juesuan-x-2024年度部门决算.html").exists());
}

/// A link planted in the output directory is not followed out of it.
#[cfg(unix)]
#[test]
fn a_symbolic_link_in_the_output_directory_is_refused() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("out");
    let elsewhere = root.path().join("elsewhere");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("units")).unwrap();
    std::os::unix::fs::symlink(
        elsewhere.join("stolen.html"),
        out.join(format!("{TITLE}.html")),
    )
    .unwrap();
    let (code, stdout, err) = juesuan(&[
        "build",
        example().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--formats",
        "html",
        "--units",
    ]);
    assert_eq!(code, 2, "{stdout}\n{err}");
    assert!(stdout.contains("不在输出目录"), "{stdout}");
    assert!(
        files_below(&elsewhere).is_empty(),
        "{:?}",
        files_below(&elsewhere)
    );
}

/// D10: `check` reads the units' unit.toml as `build --units` does, and a broken one is named.
#[test]
fn check_refuses_a_broken_unit_toml_like_build_units() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = copy(tmp.path(), "ds");
    let unit_toml = ds.join("units/benji/unit.toml");
    let mut text = std::fs::read_to_string(&unit_toml).unwrap();
    text.push_str("\nname = [broken\n");
    std::fs::write(&unit_toml, text).unwrap();
    let (code, _, err) = juesuan(&["check", ds.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("units/benji/unit.toml"), "{err}");
    let o = tmp.path().join("out");
    let (build_code, build_out, build_err) = juesuan(&[
        "build",
        ds.to_str().unwrap(),
        "--units",
        "-o",
        o.to_str().unwrap(),
    ]);
    let said = format!("{build_out}{build_err}");
    assert_ne!(build_code, 0, "{said}");
    assert!(said.contains("units/benji/unit.toml"), "{said}");
}
