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
