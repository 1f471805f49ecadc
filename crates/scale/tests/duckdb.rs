//! The SQL the catalogue compiles to, run on DuckDB (the Python package `scripts/setup`
//! installs), finds exactly the failures the native engine finds on the same files, CSV or
//! Parquet; and Parquet that DuckDB writes reads back into juesuan.

use juesuan_scale::{check, consolidate, LongData, Plan};
use std::collections::BTreeSet;
use std::process::Command;

#[test]
fn sql_on_duckdb_agrees_with_the_native_engine() {
    let plan = Plan::for_year(2024).unwrap();
    let mut region = juesuan_synth::generate(&juesuan_synth::Options {
        units: 1000,
        seed: 21,
        year: 2024,
    })
    .unwrap();
    juesuan_synth::inject(&mut region, 30, 21);
    let data = LongData::from_region(&region, &plan).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).display().to_string();
    data.write_csv(dir.path(), &plan).unwrap();
    data.write_parquet(dir.path(), &plan).unwrap();

    let mut native_data = LongData::read_csv(dir.path(), &plan).unwrap();
    consolidate(&mut native_data, &plan);
    let (failures, _) = check(&native_data, &plan);
    let ours: BTreeSet<(u32, String, String, String)> = failures
        .iter()
        .map(|f| {
            let b = |i: usize| {
                f.bindings
                    .get(i)
                    .map(|s| plan.dict.name(*s).to_string())
                    .unwrap_or_else(|| "-".into())
            };
            (f.node, plan.rules[f.rule as usize].id.clone(), b(0), b(1))
        })
        .collect();
    assert!(ours.len() >= 30, "{}", ours.len());

    for ext in ["csv", "parquet"] {
        let nodes = path(&format!("nodes.{ext}"));
        let amounts = path(&format!("amounts.{ext}"));
        let mut sql = juesuan_scale::sql::script(&plan, &nodes, &amounts);
        sql.push_str(&format!(
            "COPY (SELECT node, rule, coalesce(b0, '-'), coalesce(b1, '-') FROM failures) TO '{}' (HEADER false);\n",
            path("failures.csv")
        ));
        duckdb(&dir.path().join("check.sql"), &sql);
        let text = std::fs::read_to_string(path("failures.csv")).unwrap();
        let theirs: BTreeSet<(u32, String, String, String)> = text
            .lines()
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                (
                    f[0].parse().unwrap(),
                    f[1].to_string(),
                    f[2].to_string(),
                    f[3].to_string(),
                )
            })
            .collect();
        assert_eq!(
            theirs.len(),
            text.lines().count(),
            "duplicate failures from SQL ({ext})"
        );
        assert_eq!(ours, theirs, "{ext}");
    }

    // Parquet from another engine: DuckDB rewrites the CSV files as Parquet (its own
    // encodings and row groups); juesuan reads the same cells, and names a bad record.
    let other = tempfile::tempdir().unwrap();
    let to = |name: &str| other.path().join(name).display().to_string();
    duckdb(
        &other.path().join("copy.sql"),
        &format!(
            "COPY (SELECT * FROM read_csv('{}', header = true, columns = {{'node': 'INTEGER', 'parent': 'INTEGER', 'level': 'VARCHAR', 'name': 'VARCHAR', 'code': 'VARCHAR'}})) TO '{}' (FORMAT parquet);\n\
             COPY (SELECT * FROM read_csv('{}', header = true, columns = {{'node': 'INTEGER', 'tbl': 'VARCHAR', 'row': 'VARCHAR', 'col': 'VARCHAR', 'amount': 'BIGINT'}})) TO '{}' (FORMAT parquet, ROW_GROUP_SIZE 5000);\n",
            path("nodes.csv"),
            to("nodes.parquet"),
            path("amounts.csv"),
            to("amounts.parquet")
        ),
    );
    let back = LongData::read_parquet(other.path(), &plan).unwrap();
    assert_eq!(back.cells, data.cells);
    assert_eq!(back.nodes.len(), data.nodes.len());
    assert!(back
        .nodes
        .iter()
        .zip(&data.nodes)
        .all(|(a, b)| a.parent == b.parent && a.name == b.name && a.code == b.code));
    duckdb(
        &other.path().join("bad.sql"),
        &format!(
            "COPY (SELECT 3::INTEGER AS node, 'T2' AS tbl, '9999999' AS row, '本年收入合计' AS col, 5::BIGINT AS amount) TO '{}' (FORMAT parquet);\n",
            to("amounts.parquet")
        ),
    );
    let err = LongData::read_parquet(other.path(), &plan).unwrap_err();
    assert!(
        err.contains("amounts.parquet 第1条") && err.contains("未知的行"),
        "{err}"
    );
}

/// Runs a SQL script on DuckDB (the Python package).
fn duckdb(script: &std::path::Path, sql: &str) {
    std::fs::write(script, sql).unwrap();
    let out = Command::new("python3")
        .args([
            "-c",
            "import duckdb, sys; duckdb.connect().execute(open(sys.argv[1]).read())",
            &script.display().to_string(),
        ])
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "duckdb (pip install duckdb; scripts/setup installs it): {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
