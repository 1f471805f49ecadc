//! Injected errors with their ground truth: one cell of one unit's table changed by an
//! amount no rounding explains, as a typing error would.

use crate::rng::Rng;
use juesuan_model::{Region, RegionChild};
use serde::Serialize;

/// One injected error.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Injected {
    /// Region names from the root down to the department's region.
    pub regions: Vec<String>,
    pub department: String,
    pub unit: String,
    pub table: String,
    pub row: String,
    pub column: String,
    /// The consistent amount, 分.
    pub original: i64,
    /// What the dataset now says, 分.
    pub injected: i64,
}

/// Changes `k` cells, each in a different unit where the region has enough units, and
/// returns what was changed. Deterministic for a seed.
pub fn inject(region: &mut Region, k: usize, seed: u64) -> Vec<Injected> {
    let mut rng = Rng::new(seed).fork(77);
    // (child indices down to the department, unit index) of every unit, in tree order
    let mut units: Vec<(Vec<usize>, usize)> = Vec::new();
    collect(region, &mut Vec::new(), &mut units);
    let mut chosen: Vec<usize> = Vec::new();
    while chosen.len() < k.min(units.len()) {
        let i = rng.index(units.len());
        if !chosen.contains(&i) {
            chosen.push(i);
        }
    }
    while chosen.len() < k && !units.is_empty() {
        chosen.push(rng.index(units.len()));
    }
    let mut out = Vec::new();
    for i in chosen {
        let (path, u) = units[i].clone();
        let (regions, d) = department_at(region, &path);
        let department = d.entity.name.clone();
        let unit = &mut d.units[u];
        // a non-zero cell of one of the nine tables
        let cells: Vec<(String, String, String, i64)> = unit
            .tables
            .tables
            .values()
            .flat_map(|t| {
                t.rows().iter().flat_map(move |r| {
                    t.columns.iter().zip(&r.values).filter_map(move |(c, v)| {
                        v.filter(|v| *v != 0)
                            .map(|v| (t.id.clone(), r.key.clone(), c.clone(), v))
                    })
                })
            })
            .collect();
        if cells.is_empty() {
            continue;
        }
        let (table, row, column, original) = cells[rng.index(cells.len())].clone();
        if out.iter().any(|x: &Injected| {
            x.unit == unit.id
                && x.table == table
                && x.row == row
                && x.column == column
                && x.department == department
        }) {
            continue;
        }
        // 1%–30% of the amount, at least 1 元, either way
        let delta = (original.abs() * rng.range(1, 30) / 100).max(100);
        let injected = if rng.chance(50) || original - delta < 0 {
            original + delta
        } else {
            original - delta
        };
        if let Some(t) = unit.tables.get_mut(&table) {
            t.set(&row, &column, Some(injected));
        }
        out.push(Injected {
            regions,
            department,
            unit: unit.id.clone(),
            table,
            row,
            column,
            original,
            injected,
        });
    }
    out
}

fn collect(r: &Region, path: &mut Vec<usize>, out: &mut Vec<(Vec<usize>, usize)>) {
    for (i, c) in r.children.iter().enumerate() {
        path.push(i);
        match c {
            RegionChild::Region(sub) => collect(sub, path, out),
            RegionChild::Department(d) => {
                for u in 0..d.units.len() {
                    out.push((path.clone(), u));
                }
            }
        }
        path.pop();
    }
}

fn department_at<'a>(
    r: &'a mut Region,
    path: &[usize],
) -> (Vec<String>, &'a mut juesuan_model::Disclosure) {
    let mut names = vec![r.name.clone()];
    let mut here = r;
    let mut rest = path;
    loop {
        let (first, tail) = rest.split_first().expect("path to a department");
        match &mut here.children[*first] {
            RegionChild::Region(sub) => {
                names.push(sub.name.clone());
                here = sub;
                rest = tail;
            }
            RegionChild::Department(d) => return (names, d),
        }
    }
}
