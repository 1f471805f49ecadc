//! Consolidation of a region tree: each department is consolidated from its units (with
//! eliminations), each region is the sum of its children. Transfers between departments
//! are not eliminated: the 上下级 pairs of 决算 are within one department's unit tree.

use crate::{consolidate, Consolidation};
use juesuan_model::{AmountUnit, Disclosure, Region, RegionChild, TableSet, Template, Unit};

/// 地区 or 部门.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Level {
    Region,
    Department,
}

/// One node of a consolidated region tree.
#[derive(Clone, Debug)]
pub struct Consolidated<'a> {
    pub level: Level,
    pub name: String,
    /// 行政区划代码 for a region.
    pub code: String,
    /// The node's tables: a department's as published or consolidated, a region's summed.
    pub tables: TableSet,
    /// How many units were added into each cell.
    pub units: usize,
    /// 万元 if any dataset below is in 万元 (a sum is only as precise as its least precise
    /// part), else 元.
    pub unit: AmountUnit,
    pub children: Vec<Consolidated<'a>>,
    /// The department's dataset (for `Level::Department`).
    pub department: Option<&'a Disclosure>,
    pub consolidation: Option<Consolidation>,
}

impl Consolidated<'_> {
    /// Every node, depth first, parents before children, with its path of names.
    pub fn walk(&self) -> Vec<(Vec<&str>, &Consolidated<'_>)> {
        let mut out = Vec::new();
        fn go<'b>(
            n: &'b Consolidated<'_>,
            path: &mut Vec<&'b str>,
            out: &mut Vec<(Vec<&'b str>, &'b Consolidated<'b>)>,
        ) {
            path.push(&n.name);
            out.push((path.clone(), n));
            for c in &n.children {
                go(c, path, out);
            }
            path.pop();
        }
        go(self, &mut Vec::new(), &mut out);
        out
    }
}

fn department<'a>(d: &'a Disclosure, template: &Template) -> Consolidated<'a> {
    let cons = consolidate(d, template);
    let single = d.units.len() == 1;
    let tables = match (&d.department, single) {
        (Some(t), _) => t.clone(),
        (None, true) => d.units[0].tables.clone(),
        (None, false) => cons.tables.clone(),
    };
    Consolidated {
        level: Level::Department,
        name: d.entity.name.clone(),
        code: String::new(),
        tables,
        units: d.units.len(),
        unit: d.entity.unit,
        children: Vec::new(),
        department: Some(d),
        consolidation: Some(cons),
    }
}

/// Consolidates a region and everything under it.
pub fn consolidate_region<'a>(r: &'a Region, template: &Template) -> Consolidated<'a> {
    let children: Vec<Consolidated<'a>> = r
        .children
        .iter()
        .map(|c| match c {
            RegionChild::Region(sub) => consolidate_region(sub, template),
            RegionChild::Department(d) => department(d, template),
        })
        .collect();
    // children as parentless units: summed, nothing eliminated between them
    let parts: Vec<Unit> = children
        .iter()
        .map(|c| Unit {
            id: c.name.clone(),
            name: c.name.clone(),
            nature: String::new(),
            parent: None,
            tables: c.tables.clone(),
        })
        .collect();
    let sum = crate::consolidate_units(&parts, template);
    Consolidated {
        level: Level::Region,
        name: r.name.clone(),
        code: r.code.clone(),
        tables: sum.tables,
        units: children.iter().map(|c| c.units).sum(),
        unit: if children.iter().any(|c| c.unit == AmountUnit::Wan) {
            AmountUnit::Wan
        } else {
            AmountUnit::Yuan
        },
        children,
        department: None,
        consolidation: None,
    }
}
