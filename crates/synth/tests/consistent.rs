//! A synthetic region written to disk loads, and `juesuan check` finds nothing in it; after
//! injecting errors, every injected cell is named by a finding of its unit.

use juesuan_synth::{generate, inject, write_region, Options};
use std::path::{Path, PathBuf};

fn datasets(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.join("disclosure.toml").is_file() {
            out.push(p);
        } else if p.join("region.toml").is_file() {
            datasets(&p, out);
        }
    }
}

fn opts(units: usize, seed: u64) -> Options {
    Options {
        units,
        seed,
        year: 2024,
    }
}

#[test]
fn generated_region_loads_and_checks_clean() {
    let region = generate(&opts(160, 11)).unwrap();
    assert_eq!(region.unit_count(), 160);
    let dir = tempfile::tempdir().unwrap();
    write_region(&region, dir.path()).unwrap();
    let mut dirs = Vec::new();
    datasets(dir.path(), &mut dirs);
    assert_eq!(dirs.len(), region.departments().len());
    let mut sizes = std::collections::BTreeSet::new();
    for d in &dirs {
        let loaded = juesuan_load::load_dataset(d).unwrap_or_else(|p| panic!("{d:?}: {p:?}"));
        sizes.insert(loaded.units.len());
        let report = juesuan_check::check_disclosure(&loaded).unwrap();
        assert!(
            report.findings.is_empty(),
            "{}: {}",
            d.display(),
            report.to_human(&loaded.entity.name)
        );
    }
    // departments of one unit and of many
    assert!(
        sizes.contains(&1) && sizes.iter().any(|s| *s >= 6),
        "{sizes:?}"
    );
}

#[test]
fn same_seed_same_region_other_seed_other_region() {
    let written = |seed| {
        let dir = tempfile::tempdir().unwrap();
        write_region(&generate(&opts(40, seed)).unwrap(), dir.path()).unwrap();
        let mut files = Vec::new();
        let mut stack = vec![dir.path().to_path_buf()];
        while let Some(p) = stack.pop() {
            for e in std::fs::read_dir(&p).unwrap().flatten() {
                if e.path().is_dir() {
                    stack.push(e.path());
                } else {
                    let rel = e.path().strip_prefix(dir.path()).unwrap().to_path_buf();
                    files.push((rel, std::fs::read(e.path()).unwrap()));
                }
            }
        }
        files.sort();
        files
    };
    let a = written(5);
    assert!(a.len() > 9, "{}", a.len());
    assert_eq!(a, written(5));
    assert_ne!(a, written(6));
}

#[test]
fn every_injected_error_is_found_in_its_unit() {
    let mut region = generate(&opts(120, 3)).unwrap();
    let truth = inject(&mut region, 40, 9);
    assert_eq!(truth.len(), 40);
    for t in &truth {
        assert_ne!(t.original, t.injected);
        let (_, d) = region
            .departments()
            .into_iter()
            .find(|(_, d)| d.entity.name == t.department)
            .unwrap();
        let report = juesuan_check::check_disclosure(d).unwrap();
        let json = serde_json::to_value(&report.findings).unwrap();
        let named = json.as_array().unwrap().iter().any(|f| {
            let cells = std::iter::once(&f["location"])
                .chain(f["related"].as_array().into_iter().flatten());
            cells.into_iter().any(|c| {
                (c["unit"] == t.unit.as_str() || (d.units.len() == 1 && c["unit"] == "部门"))
                    && c["table"] == t.table.as_str()
                    && c["row"] == t.row.as_str()
                    && c["column"] == t.column.as_str()
            })
        });
        assert!(
            named,
            "{t:?} not named: {}",
            report.to_human(&d.entity.name)
        );
    }
}
