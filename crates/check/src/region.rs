//! Checking a consolidated region tree: every department as `juesuan check` checks its
//! dataset (the department and each unit), and every region's summed tables with the rules
//! that are not entity-scoped (a region has no facts or reasons of its own).

use crate::{check_disclosure, check_node, Catalogue, Node, Report};
use juesuan_consolidate::{Consolidated, Level};
use juesuan_model::Template;
use rayon::prelude::*;

/// The findings of one node of a region tree.
#[derive(Debug, serde::Serialize)]
pub struct NodeReport {
    /// Names from the root region down to this node.
    pub path: Vec<String>,
    /// 地区 or 部门
    pub level: &'static str,
    #[serde(flatten)]
    pub report: Report,
}

/// Checks every node of a consolidated region, in parallel; reports come back in tree order.
pub fn check_region(
    root: &Consolidated<'_>,
    catalogue: &Catalogue,
) -> Result<Vec<NodeReport>, String> {
    let template = Template::for_year(catalogue.year)?;
    let nodes = root.walk();
    nodes
        .par_iter()
        .map(|(path, n)| {
            let path: Vec<String> = path.iter().map(|s| s.to_string()).collect();
            let report = match (n.level, n.department) {
                (Level::Department, Some(d)) => check_disclosure(d)?,
                _ => {
                    let node = Node {
                        id: "地区".into(),
                        name: n.name.clone(),
                        tables: &n.tables,
                        facts: None,
                        projects: &[],
                        reasons: None,
                        unit: n.unit,
                        figures_per_cell: n.units as i64,
                        materiality_percent: 10,
                        template,
                    };
                    let (findings, evaluated) = check_node(&node, catalogue, false);
                    Report::new(findings, evaluated, catalogue.rules.len())
                }
            };
            Ok(NodeReport {
                path,
                level: match n.level {
                    Level::Region => "地区",
                    Level::Department => "部门",
                },
                report,
            })
        })
        .collect()
}
