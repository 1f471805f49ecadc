//! A synthetic region written straight to the long format, department by department, so
//! that a million units never sit in memory as datasets: departments are generated in
//! parallel batches and appended to `nodes.csv` and `amounts.csv`.

use crate::data::{write_cells, write_node, NodeLevel, NodeRow};
use crate::plan::Plan;
use juesuan_model::{Region, RegionChild};
use juesuan_synth::{Options, Shape, ShapeChild, Slot};
use rayon::prelude::*;
use std::io::Write;
use std::path::Path;

/// A generated department: its parent region node, the dataset, what was injected.
type Generated = (u32, juesuan_model::Disclosure, Vec<juesuan_synth::Injected>);

/// What was written.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Written {
    pub units: usize,
    pub departments: usize,
    pub regions: usize,
    pub records: usize,
    pub injected: Vec<juesuan_synth::Injected>,
}

fn regions(s: &Shape, parent: Option<u32>, nodes: &mut Vec<NodeRow>, slots: &mut Vec<(u32, Slot)>) {
    let id = nodes.len() as u32;
    nodes.push(NodeRow {
        parent,
        level: NodeLevel::Region,
        name: s.name.clone(),
        code: s.code.clone(),
    });
    for c in &s.children {
        match c {
            ShapeChild::Region(r) => regions(r, Some(id), nodes, slots),
            ShapeChild::Department(slot) => slots.push((id, slot.clone())),
        }
    }
}

/// Generates the region of `opts` into `dir/nodes.csv` and `dir/amounts.csv`, injecting one
/// error into every `inject_every`-th department (0: none). `progress` is called with the
/// number of units written so far.
pub fn write(
    opts: &Options,
    plan: &Plan,
    dir: &Path,
    inject_every: usize,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Written, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("无法创建 {}：{e}", dir.display()))?;
    let shape = juesuan_synth::shape(opts);
    let mut nodes = Vec::new();
    let mut slots = Vec::new();
    regions(&shape, None, &mut nodes, &mut slots);
    let open = |name: &str| {
        let p = dir.join(name);
        std::fs::File::create(&p)
            .map(|f| std::io::BufWriter::with_capacity(1 << 20, f))
            .map_err(|e| format!("无法写入 {}：{e}", p.display()))
    };
    let mut nodes_out = open("nodes.csv")?;
    let mut amounts = open("amounts.csv")?;
    let io = |e: std::io::Error| format!("写入失败：{e}");
    writeln!(nodes_out, "node,parent,level,name,code").map_err(io)?;
    for (i, n) in nodes.iter().enumerate() {
        write_node(&mut nodes_out, i, n).map_err(io)?;
    }
    writeln!(amounts, "node,tbl,row,col,amount").map_err(io)?;
    let mut written = Written {
        units: 0,
        departments: 0,
        regions: nodes.len(),
        records: 0,
        injected: Vec::new(),
    };
    let mut next_id = nodes.len();
    for batch in slots.chunks(512) {
        let generated: Vec<Result<Generated, String>> = batch
            .par_iter()
            .map(|(parent, slot)| {
                let d = juesuan_synth::department(opts, slot)?;
                if inject_every == 0 || slot.index % inject_every != inject_every - 1 {
                    return Ok((*parent, d, Vec::new()));
                }
                let mut one = Region {
                    name: slot.region.clone(),
                    code: String::new(),
                    year: opts.year,
                    children: vec![RegionChild::Department(Box::new(d))],
                };
                let truth = juesuan_synth::inject(&mut one, 1, opts.seed ^ slot.index as u64);
                match one.children.pop() {
                    Some(RegionChild::Department(d)) => Ok((*parent, *d, truth)),
                    _ => Err("内部错误：注入后部门丢失".into()),
                }
            })
            .collect();
        for g in generated {
            let (parent, d, truth) = g?;
            let dep = next_id;
            next_id += 1;
            write_node(
                &mut nodes_out,
                dep,
                &NodeRow {
                    parent: Some(parent),
                    level: NodeLevel::Department,
                    name: d.entity.name.clone(),
                    code: String::new(),
                },
            )
            .map_err(io)?;
            written.records += write_cells(
                &mut amounts,
                plan,
                dep,
                &crate::data::table_cells(plan, "F", &d.facts)?,
            )
            .map_err(io)?;
            for u in &d.units {
                let uid = next_id;
                next_id += 1;
                write_node(
                    &mut nodes_out,
                    uid,
                    &NodeRow {
                        parent: Some(dep as u32),
                        level: NodeLevel::Unit,
                        name: u.name.clone(),
                        code: u.id.clone(),
                    },
                )
                .map_err(io)?;
                let mut cells = Vec::new();
                for t in u.tables.tables.values() {
                    cells.extend(crate::data::table_cells(plan, &t.id, t)?);
                }
                written.records += write_cells(&mut amounts, plan, uid, &cells).map_err(io)?;
                written.units += 1;
            }
            written.departments += 1;
            written.injected.extend(truth);
        }
        progress(written.units);
    }
    nodes_out.flush().map_err(io)?;
    amounts.flush().map_err(io)?;
    Ok(written)
}
