//! `juesuan explain`, `juesuan build --suggest-reasons` and `juesuan crosscheck` as a user runs
//! them: output, files written, JSON shape and exit codes.

mod common;
use common::juesuan;

use std::fs;
use std::path::{Path, PathBuf};

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/chifeng-sfj-2024")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).unwrap();
        }
    }
}

fn copy_example(tmp: &Path, name: &str) -> PathBuf {
    let dir = tmp.join(name);
    copy_dir(&example(), &dir);
    dir
}

/// In a CSV table, copies column `from` into column `to` wherever `from` is given.
fn copy_column(file: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(file).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let (Some(f), Some(t)) = (
        header.iter().position(|h| *h == from),
        header.iter().position(|h| *h == to),
    ) else {
        return;
    };
    let mut out = header.join(",") + "\n";
    for line in lines {
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        if cells.get(f).is_some_and(|c| !c.trim().is_empty()) {
            cells[t] = cells[f].clone();
        }
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    fs::write(file, out).unwrap();
}

fn set_cell(file: &Path, row: &str, column: &str, value: &str) {
    let text = fs::read_to_string(file).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let c = header.iter().position(|h| *h == column).unwrap();
    let mut out = header.join(",") + "\n";
    let mut hit = false;
    for line in lines {
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        if cells[0] == row {
            cells[c] = value.to_string();
            hit = true;
        }
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    assert!(hit, "{row}");
    fs::write(file, out).unwrap();
}

/// Last year's dataset consistent with the example's 上年决算 figures.
fn last_year(tmp: &Path) -> PathBuf {
    let dir = copy_example(tmp, "last");
    let dept = dir.join("department");
    copy_column(&dept.join("t1.csv"), "上年决算", "决算数");
    copy_column(&dept.join("t4.csv"), "上年决算", "合计");
    copy_column(&dept.join("t7.csv"), "上年决算", "决算数");
    let toml = dir.join("disclosure.toml");
    let text = fs::read_to_string(&toml).unwrap().replace(
        r#""机构运行经费" = { "本年" = "405.57", "上年决算" = "399.42" }"#,
        r#""机构运行经费" = { "本年" = "399.42" }"#,
    );
    fs::write(&toml, text).unwrap();
    dir
}

#[test]
fn explain_lists_every_comparison_with_its_draft() {
    let ex = example().display().to_string();
    let (code, out, err) = juesuan(&["explain", &ex, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let list = v["comparisons"].as_array().unwrap();
    assert_eq!(list.len(), 21, "{out}");
    let t7 = list.iter().find(|c| c["key"] == "T7/合计").unwrap();
    assert_eq!(t7["against"], "年初预算");
    assert_eq!(t7["delta"], "-40.82");
    assert_eq!(t7["draft"]["drivers"][0]["row"], "公务用车运行维护费");
    assert_eq!(t7["draft"]["share"], "88.31%");
    let (code, out, _) = juesuan(&["explain", &ex]);
    assert_eq!(code, 0);
    assert!(
        out.contains("建议：主要是公务用车运行维护费减少36.05万元"),
        "{out}"
    );
    let (code, _, err) = juesuan(&["explain", "/nonexistent"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn suggest_reasons_writes_suggestions_and_build_still_refuses_a_missing_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_example(tmp.path(), "d");
    let toml = dir.join("disclosure.toml");
    let original = fs::read_to_string(&toml).unwrap();
    // drop the first "T4/收入总计" reason: the one against 年初预算
    let mut lines: Vec<&str> = original.lines().collect();
    let i = lines
        .iter()
        .position(|l| l.starts_with("\"T4/收入总计\""))
        .unwrap();
    lines.remove(i);
    let without = lines.join("\n") + "\n";
    assert_eq!(without.lines().count() + 1, original.lines().count());
    assert!(
        original[..original.find("[reasons.\"上年决算\"]").unwrap()].contains("\"T4/收入总计\"")
    );
    fs::write(&toml, &without).unwrap();
    let d = dir.display().to_string();
    let out_dir = tmp.path().join("out").display().to_string();
    for _ in 0..2 {
        let (code, out, err) = juesuan(&[
            "build",
            &d,
            "--suggest-reasons",
            "--formats",
            "html",
            "-o",
            &out_dir,
        ]);
        assert_eq!(code, 1, "{out}\n{err}");
        assert!(out.contains("缺少 1 条变动原因"), "{out}");
        assert!(err.contains("已写入建议"), "{err}");
    }
    let text = fs::read_to_string(&toml).unwrap();
    assert_eq!(
        text.matches("[suggestions.\"年初预算\"]").count(),
        1,
        "{text}"
    );
    assert!(
        text.contains("\"T4/收入总计\" = \"主要是强制隔离戒毒（款）"),
        "{text}"
    );
    assert!(text.starts_with(&without), "the rest of the file is kept");
    // the suggestion is not a reason: the check still wants it
    let (code, out, _) = juesuan(&["check", &d, "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("R.t4_budget"), "{out}");
    assert!(!Path::new(&out_dir)
        .join("赤峰市司法局2024年度部门决算.html")
        .exists());
}

#[test]
fn crosscheck_of_a_consistent_pair_and_of_an_injected_difference() {
    let tmp = tempfile::tempdir().unwrap();
    let last = last_year(tmp.path());
    let (l, t) = (last.display().to_string(), example().display().to_string());
    let (code, out, err) = juesuan(&["crosscheck", &l, &t, "--format", "json"]);
    assert_eq!(code, 0, "{out}\n{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["summary"]["errors"], 0, "{out}");
    // both datasets say 2024 (the only 口径 there is): a warning, not an error
    assert_eq!(v["findings"][0]["rule"], "X.year", "{out}");
    assert_eq!(v["summary"]["warnings"], 1, "{out}");

    set_cell(
        &last.join("department/t7.csv"),
        "公务接待费",
        "决算数",
        "1.18",
    );
    let (code, out, _) = juesuan(&["crosscheck", &l, &t, "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "X.prior");
    assert_eq!(f["location"]["row"], "公务接待费");
    assert_eq!(f["stated"], "1.08");
    assert_eq!(f["expected"], "1.18");
    assert!(f["related"][0]["file"]
        .as_str()
        .unwrap()
        .ends_with("last/department/t7.csv"));
    let (code, out, _) = juesuan(&["crosscheck", &l, &t]);
    assert_eq!(code, 1);
    assert!(
        out.contains("表7 公务接待费 “上年决算” 1.08 与上年（2024年度）决算“决算数” 1.18 不一致"),
        "{out}"
    );

    // bad input: a mapping that is not codes, a missing directory
    let map = tmp.path().join("map.csv");
    fs::write(&map, "old_code,new_code\n2040613,信息化\n").unwrap();
    let m = map.display().to_string();
    let (code, _, err) = juesuan(&["crosscheck", &l, &t, "--map", &m]);
    assert_eq!(code, 2);
    assert!(err.contains("不是科目编码"), "{err}");
    let (code, _, _) = juesuan(&["crosscheck", "/nonexistent", &t]);
    assert_eq!(code, 2);
}

#[test]
fn crosscheck_budget_against_a_budget_dataset() {
    let tmp = tempfile::tempdir().unwrap();
    let budget = copy_example(tmp.path(), "budget");
    for unit in ["department", "units/benji", "units/jiedusuo"] {
        let d = budget.join(unit);
        copy_column(&d.join("t1.csv"), "年初预算", "决算数");
        copy_column(&d.join("t4.csv"), "年初预算", "合计");
        copy_column(&d.join("t5.csv"), "年初预算", "合计");
        copy_column(&d.join("t7.csv"), "预算数", "决算数");
    }
    let (b, f) = (
        budget.display().to_string(),
        example().display().to_string(),
    );
    let (code, out, err) = juesuan(&["crosscheck", "--budget", &b, &f]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("0 个错误"), "{out}");
    set_cell(
        &budget.join("department/t5.csv"),
        "2040613",
        "合计",
        "80.00",
    );
    let (code, out, _) = juesuan(&["crosscheck", "--budget", &b, &f, "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["summary"]["errors"], 1, "{out}");
    assert_eq!(v["findings"][0]["rule"], "X.budget");
    assert_eq!(v["findings"][0]["location"]["row"], "2040613");
    assert_eq!(v["findings"][0]["stated"], "82.18");
    assert_eq!(v["findings"][0]["expected"], "80.00");
}
