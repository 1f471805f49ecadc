//! The SQL the catalogue compiles to, run on DuckDB (the Python package `scripts/setup`
//! installs), finds exactly the failures the native engine finds on the same files.

use juesuan_scale::{check, consolidate, LongData, Plan};
use std::collections::BTreeSet;
use std::process::Command;

#[test]
fn sql_on_duckdb_agrees_with_the_native_engine() {
    let plan = Plan::for_year(2024).unwrap();
    let mut region = juesuan_synth::generate(&juesuan_synth::Options {
        units: 300,
        seed: 21,
        year: 2024,
    })
    .unwrap();
    juesuan_synth::inject(&mut region, 15, 21);
    let data = LongData::from_region(&region, &plan).unwrap();
    let dir = tempfile::tempdir().unwrap();
    data.write_csv(dir.path(), &plan).unwrap();

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
    assert!(ours.len() >= 15, "{}", ours.len());

    let path = |name: &str| dir.path().join(name).display().to_string();
    let mut sql = juesuan_scale::sql::script(&plan, &path("nodes.csv"), &path("amounts.csv"));
    sql.push_str(&format!(
        "COPY (SELECT node, rule, coalesce(b0, '-'), coalesce(b1, '-') FROM failures) TO '{}' (HEADER false);\n",
        path("failures.csv")
    ));
    std::fs::write(dir.path().join("check.sql"), &sql).unwrap();
    let out = Command::new("python3")
        .args([
            "-c",
            "import duckdb, sys; duckdb.connect().execute(open(sys.argv[1]).read())",
            &path("check.sql"),
        ])
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "duckdb (pip install duckdb; scripts/setup installs it): {}",
        String::from_utf8_lossy(&out.stderr)
    );
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
        "duplicate failures from SQL"
    );
    assert_eq!(ours, theirs);
}
