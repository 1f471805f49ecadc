//! The 部门预算 catalogue compiles to a plan and to SQL like the 决算's: on the budget
//! example (taken as exact data) the native engine and the SQL on DuckDB find nothing, and
//! on a mutated copy they find the same failures.

use juesuan_model::{AmountUnit, DocKind, Region, RegionChild, Unit};
use juesuan_scale::{check, consolidate, LongData, Plan};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// The example's 部门 tables as the one unit of a one-department region; its 万元 figures
/// read as exact amounts (every table foots exactly, so exact rules hold).
fn region(mutate: bool) -> Region {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/chifeng-sfj-yusuan-2024");
    let mut d = juesuan_load::load_dataset(&dir).unwrap();
    let mut tables = d.department.take().unwrap();
    if mutate {
        let t = tables.get_mut("Y5").unwrap();
        let v = t.get("2040601", "合计").unwrap();
        t.set("2040601", "合计", Some(v + 100));
    }
    d.entity.unit = AmountUnit::Yuan;
    d.units = vec![Unit {
        id: "dept".into(),
        name: d.entity.name.clone(),
        nature: String::new(),
        parent: None,
        tables,
    }];
    Region {
        name: "赤峰市".into(),
        code: "150400".into(),
        year: 2024,
        children: vec![RegionChild::Department(Box::new(d))],
    }
}

type Key = (u32, String, String, String);

fn native(plan: &Plan, data: &LongData) -> BTreeSet<Key> {
    let mut data = data.clone();
    consolidate(&mut data, plan);
    let (failures, evaluated) = check(&data, plan);
    assert!(evaluated > 100, "{evaluated}");
    failures
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
        .collect()
}

fn sql(plan: &Plan, data: &LongData) -> BTreeSet<Key> {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).display().to_string();
    data.write_csv(dir.path(), plan).unwrap();
    let mut script = juesuan_scale::sql::script(plan, &path("nodes.csv"), &path("amounts.csv"));
    script.push_str(&format!(
        "COPY (SELECT node, rule, coalesce(b0, '-'), coalesce(b1, '-') FROM failures) TO '{}' (HEADER false);\n",
        path("failures.csv")
    ));
    std::fs::write(dir.path().join("check.sql"), &script).unwrap();
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
    std::fs::read_to_string(path("failures.csv"))
        .unwrap()
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
        .collect()
}

#[test]
fn the_budget_rules_compile_and_run_as_sql() {
    let plan = Plan::for_kind(DocKind::Budget, 2024).unwrap();
    // only the rules that need texts or project lists stay with `juesuan check`
    for (id, why) in &plan.skipped {
        assert!(
            id.starts_with("R.") || id.starts_with("F.performance_"),
            "{id}: {why}"
        );
    }
    assert!(plan.rules.len() >= 50, "{}", plan.rules.len());
    assert!(plan.rules.iter().all(|r| !r.id.starts_with('T')));

    let clean = LongData::from_region(&region(false), &plan).unwrap();
    assert_eq!(native(&plan, &clean), BTreeSet::new());
    assert_eq!(sql(&plan, &clean), BTreeSet::new());

    let bad = LongData::from_region(&region(true), &plan).unwrap();
    let ours = native(&plan, &bad);
    let rules: BTreeSet<&str> = ours.iter().map(|k| k.1.as_str()).collect();
    assert!(
        rules.contains("Y5.row_total") && rules.contains("Y5.section_is_sum_of_items"),
        "{ours:?}"
    );
    assert_eq!(sql(&plan, &bad), ours);
}
