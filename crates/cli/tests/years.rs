//! The 2025 口径 beside 2024: rules, the fill-in template, a dataset checked against the other
//! year's codes, and the 2025 example with its cross-year check against 2024.

mod common;
use common::juesuan;

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn copy_dir(src: &Path, dst: &Path) {
    let status = Command::new("cp").arg("-r").arg(src).arg(dst).status();
    assert!(status.unwrap().success());
}

#[test]
fn rules_and_template_exist_for_2025() {
    let (code, out, err) = juesuan(&["rules", "--year", "2025", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let rules: serde_json::Value = serde_json::from_str(&out).unwrap();
    let (_, out24, _) = juesuan(&["rules", "--year", "2024", "--format", "json"]);
    let rules24: serde_json::Value = serde_json::from_str(&out24).unwrap();
    // the tables did not change for 2025, so neither did the catalogue
    assert_eq!(rules, rules24);

    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("2025.xlsx");
    let (code, out, err) = juesuan(&["template", "--year", "2025", "-o", s(&book)]);
    assert_eq!(code, 0, "{out}{err}");
    // the blank 2025 template imports as a 2025 dataset
    let ds = tmp.path().join("ds");
    let (code, out, err) = juesuan(&["import", s(&book), "-o", s(&ds), "--name", "某单位"]);
    assert_eq!(code, 0, "{out}{err}");
    let meta = std::fs::read_to_string(ds.join("disclosure.toml")).unwrap();
    assert!(meta.contains("year = 2025"), "{meta}");
    let (code, out, err) = juesuan(&["check", s(&ds)]);
    assert_eq!(code, 0, "{out}{err}");
}

/// No code the 2024 example uses changed for 2025, so it checks clean as 2025; a code added
/// in 2025 used in a 2024 dataset is named with the notice that added it.
#[test]
fn a_dataset_checked_against_another_year_names_each_changed_code() {
    let example = repo("examples/chifeng-sfj-2024");
    let (code, out, err) = juesuan(&["check", s(&example), "--year", "2025"]);
    assert_eq!(code, 0, "{out}{err}");

    let tmp = tempfile::tempdir().unwrap();
    let ds = tmp.path().join("ds");
    copy_dir(&example, &ds);
    let t3 = ds.join("units/benji/t3.csv");
    let mut text = std::fs::read_to_string(&t3).unwrap();
    text.push_str("2170404,中央金融机构注资特别国债支出,0.00,0.00,0.00,0.00,0.00,0.00\n");
    std::fs::write(&t3, text).unwrap();

    let (code, _, err) = juesuan(&["check", s(&ds)]);
    assert_eq!(code, 2, "{err}");
    let line = err
        .lines()
        .find(|l| l.contains("2170404"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(line.contains("units/benji/t3.csv"), "{line}");
    assert!(
        line.contains("2025 年新增") && line.contains("财预〔2025〕41号"),
        "{line}"
    );
    assert!(line.contains("2024 年口径没有"), "{line}");
    // a 变动原因 keyed by the code is explained the same way
    let meta = ds.join("disclosure.toml");
    let text = std::fs::read_to_string(&meta).unwrap();
    let text = text.replace(
        "[reasons.\"上年决算\"]\n",
        "[reasons.\"上年决算\"]\n\"T5/2170404\" = \"说明\"\n",
    );
    std::fs::write(&meta, text).unwrap();
    let (code, _, err) = juesuan(&["check", s(&ds)]);
    assert_eq!(code, 2, "{err}");
    let reason = err
        .lines()
        .find(|l| l.contains("T5/2170404"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(reason.contains("2025 年新增"), "{reason}");
    // against the 2025 口径 the row is an ordinary one
    let (code, out, err) = juesuan(&["check", s(&ds), "--year", "2025"]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, _, err) = juesuan(&["check", s(&ds), "--year", "2019"]);
    assert_eq!(code, 2);
    assert!(err.contains("2019") && err.contains("2025"), "{err}");
}

#[test]
fn the_2025_example_checks_and_builds_in_every_format() {
    let ds = repo("examples/chifeng-sfj-2025");
    let (code, out, err) = juesuan(&["check", s(&ds), "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["summary"]["errors"], 0, "{out}");
    // checked as 2024, its codes are all 2024 codes too: nothing to explain
    let (code, out, err) = juesuan(&["check", s(&ds), "--year", "2024"]);
    assert_eq!(code, 0, "{out}{err}");

    let tmp = tempfile::tempdir().unwrap();
    let (code, out, err) = juesuan(&["build", s(&ds), "-o", s(tmp.path()), "-j", "1"]);
    assert_eq!(code, 0, "{out}{err}");
    let stem = "赤峰市司法局2025年度部门决算";
    for ext in ["html", "pdf", "docx", "xlsx"] {
        let f = tmp.path().join(format!("{stem}.{ext}"));
        assert!(
            std::fs::metadata(&f)
                .map(|m| m.len() > 1000)
                .unwrap_or(false),
            "{ext}"
        );
    }
    assert!(tmp.path().join("opendata/datapackage.json").is_file());
    let html = std::fs::read_to_string(tmp.path().join(format!("{stem}.html"))).unwrap();
    assert!(html.contains("2025年度部门决算情况说明"));
    assert!(
        !html.contains("2024年度"),
        "no stray 2024 year in a 2025 document"
    );
    // and the document audits clean with the 2025 audit specification
    let docx = tmp.path().join(format!("{stem}.docx"));
    let (code, out, err) = juesuan(&["audit", s(&docx), "--year", "2025"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("0 个错误"), "{out}");
}

#[test]
fn the_2024_to_2025_crosscheck_is_clean_and_catches_a_changed_prior_figure() {
    let (y24, y25) = (
        repo("examples/chifeng-sfj-2024"),
        repo("examples/chifeng-sfj-2025"),
    );
    let map = repo("data/codes/2025/map-2024.csv");
    let args = |second: &Path| {
        vec![
            "crosscheck".to_string(),
            s(&y24).to_string(),
            s(second).to_string(),
            "--map".to_string(),
            s(&map).to_string(),
            "--format".to_string(),
            "json".to_string(),
        ]
    };
    let run = |second: &Path| {
        let a = args(second);
        juesuan(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let (code, out, err) = run(&y25);
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["summary"]["evaluated"].as_u64().unwrap() >= 15, "{out}");

    // 表7 公务接待费 上年决算 stated as 1.33 where the 2024 决算 is 1.23
    let tmp = tempfile::tempdir().unwrap();
    let ds = tmp.path().join("ds");
    copy_dir(&y25, &ds);
    let t7 = ds.join("department/t7.csv");
    let text = std::fs::read_to_string(&t7).unwrap();
    let changed = text.replace("公务接待费,6.00,1.00,1.23", "公务接待费,6.00,1.00,1.33");
    assert_ne!(changed, text);
    std::fs::write(&t7, changed).unwrap();
    let (code, out, err) = run(&ds);
    assert_eq!(code, 1, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{out}");
    let f = &findings[0];
    assert_eq!(f["location"]["table"], "T7");
    assert_eq!(f["location"]["row"], "公务接待费");
    assert_eq!(f["stated"], "1.33");
}
