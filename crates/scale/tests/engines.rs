//! The set-based SQL of every dialect, run by its engine through bench/sql_run.py, finds
//! exactly the failures the native engine finds on a 1,000-unit synthetic region with injected
//! errors: DuckDB and DataFusion on CSV and Parquet, Spark (local mode) on Parquet. An engine
//! whose Python package (or, for Spark, Java) is missing is skipped with a message saying how
//! to install it (scripts/setup installs all three).

use juesuan_scale::sql::Dialect;
use juesuan_scale::{check, consolidate, LongData, Plan};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

type Found = BTreeSet<(u32, String, String, String)>;

fn runner() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/sql_run.py")
}

fn available(module: &str) -> bool {
    let ok = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        eprintln!(
            "SKIPPED: the Python package {module} is not installed (scripts/setup installs it)"
        );
    }
    ok
}

fn run(engine: &str, script: &Path, out: &Path) -> Found {
    let o = Command::new("python3")
        .arg(runner())
        .args([engine, &script.display().to_string(), "--failures"])
        .arg(out)
        .args(["--cores", "2"])
        .output()
        .expect("python3");
    assert!(
        o.status.success(),
        "{engine}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = std::fs::read_to_string(out).unwrap();
    let found: Found = text
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
        found.len(),
        text.lines().count(),
        "duplicate failures from {engine}"
    );
    found
}

#[test]
fn every_engine_finds_what_the_native_engine_finds() {
    let plan = Plan::for_year(2024).unwrap();
    let mut region = juesuan_synth::generate(&juesuan_synth::Options {
        units: 1000,
        seed: 5,
        year: 2024,
    })
    .unwrap();
    juesuan_synth::inject(&mut region, 30, 5);
    let data = LongData::from_region(&region, &plan).unwrap();
    let dir = tempfile::tempdir().unwrap();
    data.write_csv(dir.path(), &plan).unwrap();
    data.write_parquet(dir.path(), &plan).unwrap();
    let mut native = data.clone();
    consolidate(&mut native, &plan);
    let (failures, _) = check(&native, &plan);
    let ours: Found = failures
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
    let java = Command::new("java")
        .arg("-version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !java {
        eprintln!("SKIPPED Spark: no java (scripts/setup installs a JRE)");
    }
    // Spark costs a JVM start and about a second per statement even on 1,000 units
    let skip_spark = std::env::var("JUESUAN_SKIP_SPARK").is_ok_and(|v| v == "1");
    if skip_spark {
        eprintln!("SKIPPED Spark: JUESUAN_SKIP_SPARK=1");
    }
    let runs: [(&str, &str, Dialect, &[&str]); 3] = [
        ("duckdb", "duckdb", Dialect::DuckDb, &["csv", "parquet"]),
        (
            "datafusion",
            "datafusion",
            Dialect::DataFusion,
            &["csv", "parquet"],
        ),
        ("spark", "pyspark", Dialect::Spark, &["parquet"]),
    ];
    // JUESUAN_ENGINES=duckdb,spark runs a subset
    let only = std::env::var("JUESUAN_ENGINES").ok();
    for (engine, module, dialect, exts) in runs {
        if only
            .as_deref()
            .is_some_and(|o| !o.split(',').any(|e| e == engine))
        {
            continue;
        }
        if engine == "spark" && (skip_spark || !java) {
            continue;
        }
        if !available(module) {
            continue;
        }
        for ext in exts {
            let p = |name: &str| dir.path().join(name).display().to_string();
            let sql = juesuan_scale::sql::script_for(
                &plan,
                dialect,
                &p(&format!("nodes.{ext}")),
                &p(&format!("amounts.{ext}")),
            );
            let script = dir.path().join(format!("{engine}-{ext}.sql"));
            std::fs::write(&script, sql).unwrap();
            let t0 = std::time::Instant::now();
            let theirs = run(engine, &script, &dir.path().join("failures.csv"));
            eprintln!("{engine} on {ext}: {:.1}s", t0.elapsed().as_secs_f64());
            assert_eq!(ours, theirs, "{engine} on {ext}");
        }
    }
}
