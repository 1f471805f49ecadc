//! The native engine finds exactly what `juesuan check` finds on the same region: every
//! failing instance of every rule the plan runs, on every department, unit and region.

use juesuan_check::lang::Formula;
use juesuan_check::{Catalogue, Check, Node};
use juesuan_consolidate::{consolidate_region, Level};
use juesuan_model::{Region, Template};
use juesuan_scale::{check, consolidate, LongData, NodeLevel, Plan};
use std::collections::BTreeSet;

type Key = (String, String, Vec<String>);

fn native(region: &Region, plan: &Plan) -> BTreeSet<Key> {
    let mut data = LongData::from_region(region, plan).unwrap();
    consolidate(&mut data, plan);
    let path = |mut i: u32| {
        let mut names = vec![];
        loop {
            let n = &data.nodes[i as usize];
            names.push(if n.level == NodeLevel::Unit {
                n.code.clone()
            } else {
                n.name.clone()
            });
            match n.parent {
                Some(p) => i = p,
                None => break,
            }
        }
        names.reverse();
        names.join("/")
    };
    let (failures, evaluated) = check(&data, plan);
    assert!(evaluated > 1000);
    failures
        .iter()
        .map(|f| {
            (
                path(f.node),
                plan.rules[f.rule as usize].id.clone(),
                f.bindings
                    .iter()
                    .map(|b| plan.dict.name(*b).to_string())
                    .collect(),
            )
        })
        .collect()
}

fn by_check(region: &Region, plan: &Plan) -> BTreeSet<Key> {
    let template = Template::for_year(2024).unwrap();
    let catalogue = Catalogue::for_year(2024).unwrap();
    let rules: Vec<(&str, &Formula, bool)> = plan
        .rules
        .iter()
        .map(|r| {
            let rule = catalogue.rule(&r.id).unwrap();
            let Check::Formula(f) = &rule.check else {
                unreachable!()
            };
            (
                r.id.as_str(),
                &**f,
                rule.tolerance == juesuan_check::Tolerance::Exact,
            )
        })
        .collect();
    let root = consolidate_region(region, template);
    let mut out = BTreeSet::new();
    let mut run = |label: String, node: &Node, entity: bool| {
        for ((id, f, exact), pr) in rules.iter().zip(&plan.rules) {
            if pr.entity_only && !entity {
                continue;
            }
            for inst in node.instances(f, *exact) {
                if let juesuan_check::eval::Outcome::Fail(_) = inst.outcome {
                    let values = inst.bindings.iter().map(|(_, v)| v.clone()).collect();
                    out.insert((label.clone(), id.to_string(), values));
                }
            }
        }
    };
    for (path, n) in root.walk() {
        let label = path.join("/");
        let mk = |tables, facts| Node {
            id: String::new(),
            name: String::new(),
            tables,
            facts,
            projects: &[],
            reasons: None,
            unit: n.unit,
            figures_per_cell: 1,
            materiality_percent: 10,
            template,
        };
        match (n.level, n.department) {
            (Level::Department, Some(d)) => {
                run(label.clone(), &mk(&n.tables, Some(&d.facts)), true);
                if d.units.len() > 1 {
                    for u in &d.units {
                        run(format!("{label}/{}", u.id), &mk(&u.tables, None), false);
                    }
                }
            }
            _ => run(label, &mk(&n.tables, None), false),
        }
    }
    out
}

#[test]
fn native_engine_agrees_with_juesuan_check_on_an_injected_region() {
    let plan = Plan::for_year(2024).unwrap();
    assert!(plan.rules.len() >= 60, "{}", plan.rules.len());
    for seed in [1u64, 2] {
        let mut region = juesuan_synth::generate(&juesuan_synth::Options {
            units: 150,
            seed,
            year: 2024,
        })
        .unwrap();
        let clean = native(&region, &plan);
        assert!(clean.is_empty(), "{clean:?}");
        let truth = juesuan_synth::inject(&mut region, 12, seed);
        assert_eq!(truth.len(), 12);
        let ours = native(&region, &plan);
        let theirs = by_check(&region, &plan);
        assert!(ours.len() >= 12, "{}", ours.len());
        assert_eq!(ours, theirs);
    }
}

#[test]
fn the_long_format_reads_back_to_the_same_cells() {
    let plan = Plan::for_year(2024).unwrap();
    let region = juesuan_synth::generate(&juesuan_synth::Options {
        units: 40,
        seed: 9,
        year: 2024,
    })
    .unwrap();
    let data = LongData::from_region(&region, &plan).unwrap();
    let dir = tempfile::tempdir().unwrap();
    data.write_csv(dir.path(), &plan).unwrap();
    let back = LongData::read_csv(dir.path(), &plan).unwrap();
    assert_eq!(back.cells, data.cells);
    // blocks that end inside lines give the same cells
    for block in [7, 100, 4096] {
        let small = LongData::read_csv_blocks(dir.path(), &plan, block).unwrap();
        assert_eq!(small.cells, data.cells, "block {block}");
    }
    assert_eq!(back.nodes.len(), data.nodes.len());
    assert!(data.records() > 40 * 50);
    // Parquet: the same cells and nodes; `read_dir` prefers it when both files are there
    data.write_parquet(dir.path(), &plan).unwrap();
    let p = LongData::read_parquet(dir.path(), &plan).unwrap();
    assert_eq!(p.cells, data.cells);
    assert!(p
        .nodes
        .iter()
        .zip(&data.nodes)
        .all(|(a, b)| a.parent == b.parent && a.level == b.level && a.name == b.name));
    std::fs::write(dir.path().join("amounts.parquet"), b"PAR1 not really").unwrap();
    let err = LongData::read_dir(dir.path(), &plan).unwrap_err();
    assert!(err.contains("amounts.parquet"), "{err}");
    std::fs::remove_file(dir.path().join("amounts.parquet")).unwrap();
    // a bad line is reported with its number
    let amounts = dir.path().join("amounts.csv");
    let mut text = std::fs::read_to_string(&amounts).unwrap();
    text.push_str("3,T2,9999999,本年收入合计,5\n");
    std::fs::write(&amounts, text).unwrap();
    let err = LongData::read_csv(dir.path(), &plan).unwrap_err();
    assert!(
        err.contains("amounts.csv 第") && err.contains("未知的行"),
        "{err}"
    );
}
