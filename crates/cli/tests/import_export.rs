//! `juesuan import`, `export` and `template` as a user runs them: exit codes 0 and 2, the
//! round trip export → import → check, and that a bad workbook writes nothing.

mod common;
use common::juesuan;

use std::path::{Path, PathBuf};
use std::process::Command;

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/chifeng-sfj-2024")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn export_then_import_then_check() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("chifeng.xlsx");
    let (code, out, err) = juesuan(&["export", s(&example()), "-o", s(&book)]);
    assert_eq!(code, 0, "{out}{err}");
    let ds = tmp.path().join("ds");
    let (code, out, err) = juesuan(&["import", s(&book), "-o", s(&ds)]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("赤峰市司法局"), "{out}");
    // the workbook carries the dataset: the department, both units, the reasons
    let toml = std::fs::read_to_string(ds.join("disclosure.toml")).unwrap();
    assert!(toml.contains("kind = \"部门\""), "{toml}");
    assert!(ds.join("units/jiedusuo/unit.toml").is_file());
    let (code, out, err) = juesuan(&["check", s(&ds)]);
    assert_eq!(code, 0, "{out}{err}");
    // importing again into the same directory is refused
    let (code, _, err) = juesuan(&["import", s(&book), "-o", s(&ds)]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn a_bad_workbook_exits_2_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("bad.xlsx");
    std::fs::write(&book, b"not a workbook").unwrap();
    let ds = tmp.path().join("ds");
    let (code, _, err) = juesuan(&["import", s(&book), "-o", s(&ds)]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("无法导入"), "{err}");
    assert!(!ds.exists());
    let (code, out, _) = juesuan(&["import", s(&book), "-o", s(&ds), "--format", "json"]);
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["summary"]["problems"].as_u64().unwrap() >= 1);
}

#[test]
fn export_of_a_missing_dataset_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, _, err) = juesuan(&[
        "export",
        s(&tmp.path().join("nope")),
        "-o",
        s(&tmp.path().join("x.xlsx")),
    ]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn long_format_open_data() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("long.csv");
    let (code, out, err) = juesuan(&["export", s(&example()), "--format", "csv", "-o", s(&csv)]);
    assert_eq!(code, 0, "{out}{err}");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.starts_with("entity,year,unit,unit_name,table,"),
        "{text:.200}"
    );
    // every unit and the department, exact amounts in the dataset's unit
    assert!(text.contains(",benji,"));
    assert!(text.contains(",jiedusuo,"));
    assert!(text.contains(",部门,"));
    assert!(text.contains(
        ",T5,一般公共预算财政拨款支出决算表,2040601,行政运行,功能分类,合计,1030.41,万元"
    ));
    let pkg = tmp.path().join("pkg");
    let (code, out, err) = juesuan(&[
        "export",
        s(&example()),
        "--format",
        "datapackage",
        "-o",
        s(&pkg),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let dp: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(pkg.join("datapackage.json")).unwrap())
            .unwrap();
    assert_eq!(dp["resources"][0]["path"], "data.csv");
    assert!(pkg.join("codes-functional.csv").exists());
    let json = tmp.path().join("long.json");
    let (code, _, _) = juesuan(&["export", s(&example()), "--format", "json", "-o", s(&json)]);
    assert_eq!(code, 0);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert!(v[0]["amount"].is_string());
}

#[test]
fn template_writes_a_workbook_and_refuses_an_unknown_year() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("blank.xlsx");
    let (code, out, err) = juesuan(&["template", "--year", "2024", "-o", s(&book)]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(std::fs::metadata(&book).unwrap().len() > 10_000);
    let (code, _, err) = juesuan(&["template", "--year", "1999", "-o", s(&book)]);
    assert_eq!(code, 2, "{err}");
    // the blank template imports (nothing filled in: all amounts zero)
    let ds = tmp.path().join("ds");
    let (code, out, err) = juesuan(&["import", s(&book), "-o", s(&ds), "--name", "某单位"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(std::fs::read_to_string(ds.join("disclosure.toml"))
        .unwrap()
        .contains("某单位"));
}

fn copy_example(root: &Path) -> PathBuf {
    let dst = root.join("ds");
    let status = Command::new("cp")
        .arg("-r")
        .arg(example())
        .arg(&dst)
        .status()
        .unwrap();
    assert!(status.success());
    dst
}

/// D4: `export --format csv` never writes a cell a spreadsheet runs as a formula; a name
/// that would be one is refused when the dataset is read, with the file and the field; a
/// negative amount is still a number.
#[test]
fn export_csv_refuses_formula_names_and_keeps_negative_amounts() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = copy_example(tmp.path());
    let t6 = std::fs::read_to_string(ds.join("units/benji/t6.csv")).unwrap();
    std::fs::write(
        ds.join("units/benji/t6.csv"),
        t6.replace("30101,基本工资,290.00", "30101,基本工资,-12.50"),
    )
    .unwrap();
    let csv = tmp.path().join("long.csv");
    let (code, out, err) = juesuan(&["export", s(&ds), "--format", "csv", "-o", s(&csv)]);
    assert_eq!(code, 0, "{out}{err}");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.contains(",30101,基本工资,经济分类,决算数,-12.50,万元"),
        "the amount stays a plain negative number"
    );
    assert!(!text.contains("'-12.50"));
    for line in text.lines() {
        for cell in line.split(',') {
            assert!(
                !cell.starts_with(['=', '+', '@', '\t', '\r'])
                    && (!cell.starts_with('-') || cell == "-12.50"),
                "{line}"
            );
        }
    }
    let toml = std::fs::read_to_string(ds.join("disclosure.toml")).unwrap();
    std::fs::write(
        ds.join("disclosure.toml"),
        toml.replacen(
            "name = \"赤峰市强制隔离戒毒所\"",
            "name = \"+cmd|' /C calc'!A0\"",
            1,
        ),
    )
    .unwrap();
    let (code, _, err) = juesuan(&["export", s(&ds), "--format", "csv", "-o", s(&csv)]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("disclosure.toml"), "{err}");
    assert!(
        err.contains("[units] name“+cmd|' /C calc'!A0”以“+”开头"),
        "{err}"
    );
}

/// Every .html file under `dir`, by path relative to it, with its text.
fn html_files(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "html") {
                let text = std::fs::read_to_string(&p).unwrap();
                out.push((p.strip_prefix(dir).unwrap().to_path_buf(), text));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn export_import_build_gives_the_same_html() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("x.xlsx");
    let ds = tmp.path().join("ds");
    let (direct, again) = (tmp.path().join("direct"), tmp.path().join("again"));
    for args in [
        vec!["export", s(&example()), "-o", s(&book)],
        vec!["import", s(&book), "-o", s(&ds)],
        vec![
            "build",
            s(&example()),
            "-o",
            s(&direct),
            "--formats",
            "html",
            "--units",
        ],
        vec![
            "build",
            s(&ds),
            "-o",
            s(&again),
            "--formats",
            "html",
            "--units",
        ],
    ] {
        let (code, out, err) = juesuan(&args);
        assert_eq!(code, 0, "{args:?}: {out}{err}");
    }
    let (a, b) = (html_files(&direct), html_files(&again));
    // the department and both units' own disclosures
    assert_eq!(a.len(), 3, "{a:?}");
    assert_eq!(
        a.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        b.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
    for ((path, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{} differs after export → import", path.display());
    }
}

#[test]
fn import_into_updates_the_tables_and_keeps_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = copy_example(tmp.path());
    // a workbook of the nine tables only, as another program writes it
    let (code, _, err) = juesuan(&[
        "build",
        s(&ds),
        "-o",
        s(&tmp.path().join("b")),
        "--formats",
        "xlsx",
    ]);
    assert_eq!(code, 0, "{err}");
    let book = std::fs::read_dir(tmp.path().join("b"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "xlsx"))
        .unwrap();
    // the dataset's T1 figure is changed; the workbook still has the published one
    let t1 = ds.join("department/t1.csv");
    let before = std::fs::read_to_string(&t1).unwrap();
    std::fs::write(&t1, before.replace("其他收入,566.00", "其他收入,560.00")).unwrap();
    let toml = std::fs::read_to_string(ds.join("disclosure.toml")).unwrap();
    let (code, out, err) = juesuan(&["import", s(&book), "--into", s(&ds)]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("只更新了表格"), "{out}");
    let after = std::fs::read_to_string(&t1).unwrap();
    assert!(after.contains("其他收入,566.00"), "{after}");
    // the comparative columns the workbook does not print are kept
    assert!(
        after.starts_with("项目,决算数,年初预算,上年决算"),
        "{after}"
    );
    assert!(after.contains("4105.38"), "{after}");
    assert_eq!(
        std::fs::read_to_string(ds.join("disclosure.toml")).unwrap(),
        toml
    );
    assert!(ds.join("NOTES.md").is_file());
    let (code, out, err) = juesuan(&["check", s(&ds)]);
    assert_eq!(code, 0, "{out}{err}");
    // a directory that is not a dataset is refused
    let (code, _, err) = juesuan(&["import", s(&book), "--into", s(&tmp.path().join("nowhere"))]);
    assert_eq!(code, 2, "{err}");
}
