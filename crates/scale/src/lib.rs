//! Region scale: load, consolidate and check a whole region (tens of thousands to a million
//! units) on one machine, and the same rules as SQL for engines that scale further.
//!
//! Data flows one way: the long format ([`data`]: `nodes.csv` + `amounts.csv`, or a loaded
//! [`juesuan_model::Region`]) → [`consolidate`] (each department the sum of its units, each
//! region the sum of its children) → [`check`] (the compiled catalogue, [`plan`], evaluated
//! by [`native`] on every department, every unit of a multi-unit department and every region,
//! in parallel). [`sql`] compiles the same plan to SQL over the same files. Amounts are exact
//! 分; 万元 datasets, comparative columns, 变动原因 and 绩效 project lists are checked per
//! dataset by `juesuan check`, not here.

pub mod data;
pub mod native;
mod parquet_io;
pub mod plan;
pub mod sql;
pub mod synthetic;

pub use data::{LongData, NodeLevel};
pub use native::Failure;
pub use plan::Plan;

use rayon::prelude::*;

/// Fills in every department's and region's cells: the sum of its children's nine tables
/// (facts, table F, stay with the department). Transfers between units are not eliminated
/// at scale (docs/scale.md).
pub fn consolidate(data: &mut LongData, plan: &Plan) {
    let facts = plan.table_index("F").unwrap_or(u8::MAX);
    let n = data.nodes.len();
    let mut children: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut depth = vec![0usize; n];
    for (i, node) in data.nodes.iter().enumerate() {
        if let Some(p) = node.parent {
            children[p as usize].push(i as u32);
            depth[i] = depth[p as usize] + 1;
        }
    }
    let max_depth = depth.iter().copied().max().unwrap_or(0);
    // deepest first, so children are complete before their parent; one depth in parallel
    for d in (0..=max_depth).rev() {
        let ids: Vec<usize> = (0..n)
            .filter(|&i| depth[i] == d && !children[i].is_empty())
            .collect();
        let sums: Vec<(usize, Vec<(u64, i64)>)> = ids
            .par_iter()
            .map(|&i| {
                let own_facts = data.cells[i]
                    .iter()
                    .filter(|(k, _)| plan::key_table(*k) == facts)
                    .copied();
                let mut all: Vec<(u64, i64)> = children[i]
                    .iter()
                    .flat_map(|&c| data.cells[c as usize].iter())
                    .filter(|(k, _)| plan::key_table(*k) != facts)
                    .copied()
                    .chain(own_facts)
                    .collect();
                all.sort_unstable_by_key(|(k, _)| *k);
                let mut merged: Vec<(u64, i64)> = Vec::with_capacity(all.len() / 2);
                for (k, v) in all {
                    match merged.last_mut() {
                        Some((lk, lv)) if *lk == k => *lv += v,
                        _ => merged.push((k, v)),
                    }
                }
                (i, merged)
            })
            .collect();
        for (i, cells) in sums {
            data.cells[i] = cells;
        }
    }
}

/// The nodes `juesuan check` checks, with whether each is the disclosed entity: every
/// department (its consolidated or single unit's tables, and its facts), every unit of a
/// department with more than one unit, every region.
pub fn checked_nodes(data: &LongData) -> Vec<(u32, bool)> {
    let mut units_of = vec![0usize; data.nodes.len()];
    for n in &data.nodes {
        if let (NodeLevel::Unit, Some(p)) = (n.level, n.parent) {
            units_of[p as usize] += 1;
        }
    }
    data.nodes
        .iter()
        .enumerate()
        .filter_map(|(i, n)| match n.level {
            NodeLevel::Department => Some((i as u32, true)),
            NodeLevel::Region => Some((i as u32, false)),
            NodeLevel::Unit => {
                let p = n.parent? as usize;
                (units_of[p] > 1).then_some((i as u32, false))
            }
        })
        .collect()
}

/// Checks every node; failures sorted, and the number of rule instances evaluated.
pub fn check(data: &LongData, plan: &Plan) -> (Vec<Failure>, usize) {
    let codes = native::Codes::new(plan);
    let nodes = checked_nodes(data);
    let (mut failures, evaluated) = nodes
        .par_chunks(256)
        .map(|chunk| {
            let mut out = Vec::new();
            let mut evaluated = 0;
            for &(id, entity) in chunk {
                let cells = native::NodeCells {
                    cells: &data.cells[id as usize],
                };
                evaluated += native::check_node(plan, &codes, id, &cells, entity, &mut out);
            }
            (out, evaluated)
        })
        .reduce(
            || (Vec::new(), 0),
            |(mut a, n), (b, m)| {
                a.extend(b);
                (a, n + m)
            },
        );
    failures.sort();
    (failures, evaluated)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_plan_runs_every_table_and_fact_rule() {
        let plan = crate::Plan::for_year(2024).unwrap();
        let skipped: Vec<&str> = plan.skipped.iter().map(|(id, _)| id.as_str()).collect();
        // only texts, project lists and published-vs-units comparisons stay per dataset
        for id in &skipped {
            assert!(
                id.starts_with("R.") || id.starts_with("CONS.") || id.starts_with("F.performance"),
                "{id} skipped: {:?}",
                plan.skipped
            );
        }
        assert!(plan.rules.iter().any(|r| r.id == "F.vehicles_by_kind"));
        assert!(plan.rules.iter().any(|r| r.id == "X.t2_t1_sources"));
        assert_eq!(plan.rules.len() + plan.skipped.len(), 79);
    }
}
