//! The binary as a user runs it: output, JSON shape and exit codes.

mod common;
use common::juesuan;

use std::path::Path;
use std::process::Command;

fn example() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/chifeng-sfj-2024")
        .display()
        .to_string()
}

#[test]
fn the_example_checks_clean_in_json() {
    let (code, out, err) = juesuan(&["check", &example(), "--format", "json"]);
    assert_eq!(code, 0, "{out}\n{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["summary"]["errors"], 0, "{out}");
    assert!(v["summary"]["evaluated"].as_u64().unwrap() > 500, "{out}");
    assert!(v["findings"].is_array());
}

#[test]
fn human_output_is_chinese_and_ends_with_a_summary() {
    let (code, out, _) = juesuan(&["check", &example()]);
    assert_eq!(code, 0);
    assert!(out.trim_end().ends_with("次检查）"), "{out}");
    assert!(out.contains("赤峰市司法局：0 个错误"), "{out}");
}

#[test]
fn an_unreadable_dataset_exits_2_with_every_problem() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("disclosure.toml"), "[entity]\nname = \"x\"\nyear = 2024\nkind = \"单位\"\nunit = \"万元\"\n[[units]]\nid = \"u\"\nname = \"u\"\nnature = \"行政单位\"\n").unwrap();
    let d = dir.path().display().to_string();
    let (code, _, err) = juesuan(&["check", &d]);
    assert_eq!(code, 2);
    assert!(err.contains("units/u：目录不存在"), "{err}");
    let (code, out, _) = juesuan(&["check", &d, "--format", "json"]);
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["problems"][0]["file"], "units/u");
}

#[test]
fn errors_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new("cp")
        .args(["-r", &example(), &dir.path().display().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let root = dir.path().join("chifeng-sfj-2024");
    let t7 = root.join("department/t7.csv");
    let text = std::fs::read_to_string(&t7).unwrap();
    let mutated: Vec<String> = text
        .lines()
        .map(|l| {
            if l.starts_with("合计,") {
                "合计,66.00,99.99".to_string()
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(&t7, mutated.join("\n")).unwrap();
    let (code, out, _) = juesuan(&["check", &root.display().to_string(), "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"T7.total"), "{rules:?}");
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "T7.total")
        .unwrap();
    assert_eq!(f["location"]["table"], "T7");
    assert_eq!(f["location"]["row"], "合计");
    assert_eq!(f["location"]["column"], "决算数");
    assert_eq!(f["stated"], "99.99");
}

#[test]
fn rules_lists_the_catalogue() {
    let (code, out, _) = juesuan(&["rules", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v.as_array().unwrap().len() > 50);
    let (code, _, err) = juesuan(&["rules", "--year", "2019"]);
    assert_eq!(code, 2);
    assert!(err.contains("2019"));
}

fn seed() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../audit/tests/data/chifeng-sfj-2024.txt")
        .display()
        .to_string()
}

#[test]
fn audit_of_the_seed_exits_1_with_json_findings() {
    let (code, out, err) = juesuan(&["audit", &seed(), "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert!(v["summary"]["errors"].as_u64().unwrap() >= 10, "{out}");
    let f = findings
        .iter()
        .find(|f| f["rule"] == "audit.completion" && f["stated"] == "194.74%")
        .expect("the 194.74% completion rate");
    assert_eq!(f["location"]["line"], 126);
    assert_eq!(f["severity"], "error");
}

#[test]
fn audit_of_many_files_prints_a_summary_and_exit_2_for_an_unreadable_one() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.docx");
    std::fs::write(&broken, b"not a zip").unwrap();
    let (code, out, _) = juesuan(&[
        "audit",
        &seed(),
        broken.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert!(files
        .iter()
        .any(|f| f["error"].as_str().is_some_and(|e| e.contains("DOCX"))));

    let (code, out, _) = juesuan(&["audit", &seed(), &seed()]);
    assert_eq!(code, 1);
    assert!(out.contains("合计 2 个文件"), "{out}");

    // the tables read are listed per file, in JSON and in the summary
    let table = dir.path().join("table.txt");
    std::fs::write(
        &table,
        "表1 收入支出决算总表\n单位：万元\n项目\t决算数\t项目\t决算数\n一、一般公共预算财政拨款收入\t80.00\t一、一般公共服务支出\t80.00\n本年收入合计\t80.00\t本年支出合计\t80.00\n",
    )
    .unwrap();
    let (_, out, _) = juesuan(&[
        "audit",
        &seed(),
        table.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let tables = v["files"][1]["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 1, "{out}");
    assert_eq!(tables[0]["title"], "收入支出决算总表");
    assert_eq!(tables[0]["unit"], "万元");
    // 本年收入合计 and 本年支出合计 close their items; 收入合计 = 支出合计
    assert_eq!(tables[0]["identities"], 3, "{out}");
    assert_eq!(tables[0]["identities_held"], 3, "{out}");
    let (_, out, _) = juesuan(&["audit", &seed(), table.to_str().unwrap()]);
    assert!(out.contains("\t表格\t表内勾稽\n"), "{out}");
    assert!(
        out.lines().last().is_some_and(|l| l.ends_with("\t1\t3/3")),
        "{out}"
    );
}

#[test]
fn a_synthetic_region_checks_clean_until_errors_are_injected() {
    let dir = tempfile::tempdir().unwrap();
    let clean = dir.path().join("clean");
    let (code, out, err) = juesuan(&[
        "synth",
        "--units",
        "60",
        "--seed",
        "4",
        "-o",
        clean.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = juesuan(&["check", clean.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["summary"]["errors"], 0);
    let departments = v["summary"]["departments"].as_u64().unwrap();
    assert!(departments >= 5, "{out}");
    // a second synth into the same directory is refused, nothing overwritten
    let (code, _, err) = juesuan(&["synth", "--units", "5", "-o", clean.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("已存在"), "{err}");

    let bad = dir.path().join("bad");
    let (code, out, err) = juesuan(&[
        "synth",
        "--units",
        "60",
        "--seed",
        "4",
        "--inject",
        "3",
        "-o",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(bad.join("injected.json")).unwrap()).unwrap();
    let (code, out, _) = juesuan(&["check", bad.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // every injected department reports errors
    for t in truth.as_array().unwrap() {
        let node = v["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| {
                n["level"] == "部门"
                    && n["path"].as_array().unwrap().last() == Some(&t["department"])
            })
            .unwrap();
        assert!(node["summary"]["errors"].as_u64().unwrap() > 0, "{t}");
    }

    let cons = dir.path().join("cons");
    let (code, out, err) = juesuan(&[
        "consolidate",
        clean.to_str().unwrap(),
        "-o",
        cons.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let t1 = std::fs::read_to_string(cons.join("t1.csv")).unwrap();
    assert!(t1.starts_with("项目,决算数"), "{t1}");
    assert!(std::fs::read_to_string(cons.join("node.toml"))
        .unwrap()
        .contains("units = 60"));
}

/// The long format moves between CSV and Parquet without a change, and `juesuan scale` gives
/// the same verdict on either.
#[test]
fn the_long_format_converts_to_parquet_and_back() {
    let work = tempfile::tempdir().unwrap();
    let p = |n: &str| work.path().join(n).display().to_string();
    let (code, _, err) = juesuan(&[
        "synth",
        "--layout",
        "long",
        "--units",
        "300",
        "--seed",
        "5",
        "--inject",
        "6",
        "-o",
        &p("csv"),
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = juesuan(&["convert", &p("csv"), "-o", &p("pq"), "--to", "parquet"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("nodes.parquet + amounts.parquet"), "{out}");
    let (code, _, err) = juesuan(&["convert", &p("pq"), "-o", &p("back"), "--to", "csv"]);
    assert_eq!(code, 0, "{err}");
    for f in ["nodes.csv", "amounts.csv"] {
        assert_eq!(
            std::fs::read(work.path().join("csv").join(f)).unwrap(),
            std::fs::read(work.path().join("back").join(f)).unwrap(),
            "{f}"
        );
    }
    let verdict = |dir: &str| {
        let (code, out, _) = juesuan(&["scale", dir, "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        (code, v["failures"].clone(), v["evaluated"].clone())
    };
    let csv = verdict(&p("csv"));
    assert_eq!(csv.0, 1, "injected errors are errors");
    assert!(csv.1.as_u64().unwrap() >= 6);
    assert_eq!(verdict(&p("pq")), csv);
    // a directory with neither format
    let (code, _, err) = juesuan(&["convert", &p("nothing"), "-o", &p("x"), "--to", "csv"]);
    assert_eq!(code, 2);
    assert!(err.contains("无法读取"), "{err}");
}

/// Item 10: progress is drawn only on a terminal; with stderr a pipe (a log, CI) the long
/// commands write no bar, spinner or carriage return, and `--quiet` is accepted everywhere.
#[test]
fn no_progress_noise_when_stderr_is_not_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let book = tmp.path().join("x.xlsx");
    let ds = tmp.path().join("ds");
    let (e, b, o, d) = (
        example(),
        book.display().to_string(),
        out.display().to_string(),
        ds.display().to_string(),
    );
    let runs: [Vec<&str>; 5] = [
        vec!["build", &e, &e, "-o", &o, "--formats", "html,docx"],
        vec!["export", &e, "-o", &b],
        vec!["import", &b, "-o", &d],
        vec!["audit", &o],
        vec!["--quiet", "check", &d],
    ];
    for args in runs {
        let (code, stdout, stderr) = juesuan(&args);
        assert!(code == 0 || code == 1, "{args:?}: {stdout}{stderr}");
        for noise in ["\r", "[###", "[---", "\u{1b}["] {
            assert!(!stderr.contains(noise), "{args:?} stderr: {stderr:?}");
            assert!(!stdout.contains(noise), "{args:?} stdout: {stdout:?}");
        }
    }
}
