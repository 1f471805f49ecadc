//! Checks a [`Disclosure`] against the rule catalogue of its year and reports findings.
//!
//! The catalogue (data/rules/<year>.toml) is data: formulas in a small language ([`lang`])
//! evaluated over intervals ([`eval`]) so that rounding never raises an alarm. Each failing
//! rule becomes a [`Finding`] with its location, the stated and expected figures, the related
//! cells and, when one number can be blamed, the likely culprit: the cell whose correction
//! makes the most rules pass. This crate does not read files or render documents.

pub mod catalogue;
pub mod eval;
mod finding;
pub mod lang;
mod region;

pub use catalogue::{Catalogue, Check, Rule, Scope, Severity, Tolerance};
pub use eval::{CellKey, Node};
pub use finding::{Culprit, DocumentRead, Finding, Location, Report, Summary, TableRead};
pub use region::{check_region, NodeReport};

use eval::{Env, Instance, Outcome, Witness};
use juesuan_model::{Disclosure, EntityKind, Interval, Ratio, Table, TableSet, Template};
use std::collections::HashMap;

/// Checks a disclosure with the catalogue of its year.
pub fn check_disclosure(d: &Disclosure) -> Result<Report, String> {
    let catalogue = Catalogue::for_kind(d.entity.doc, d.entity.year)?;
    check_with(d, catalogue)
}

/// Checks a disclosure with a given catalogue.
pub fn check_with(d: &Disclosure, catalogue: &Catalogue) -> Result<Report, String> {
    let template = Template::for_kind(d.entity.doc, d.entity.year)?;
    let cons = juesuan_consolidate::consolidate(d, template);
    let single = d.entity.kind == EntityKind::Unit || d.units.len() == 1;
    let (entity_tables, figures): (&TableSet, i64) = match (&d.department, single) {
        (Some(t), _) => (t, 1),
        (None, true) => (&d.units[0].tables, 1),
        (None, false) => (&cons.tables, cons.units as i64),
    };
    let entity = Node {
        id: "部门".to_string(),
        name: d.entity.name.clone(),
        tables: entity_tables,
        facts: Some(&d.facts),
        projects: &d.projects,
        reasons: Some(&d.reasons),
        unit: d.entity.unit,
        figures_per_cell: figures,
        materiality_percent: d.materiality_percent,
        template,
    };
    let mut nodes = vec![entity];
    if !single {
        for u in &d.units {
            nodes.push(Node {
                id: u.id.clone(),
                name: u.name.clone(),
                tables: &u.tables,
                facts: None,
                projects: &[],
                reasons: None,
                unit: d.entity.unit,
                figures_per_cell: 1,
                materiality_percent: d.materiality_percent,
                template,
            });
        }
    }
    let mut findings = Vec::new();
    let mut evaluated = 0usize;
    for (i, node) in nodes.iter().enumerate() {
        let (f, n) = check_node(node, catalogue, i == 0);
        findings.extend(f);
        evaluated += n;
    }
    // builtins over the unit tree
    for rule in &catalogue.rules {
        match rule.check {
            Check::DepartmentEqualsUnits => {
                if let (Some(published), false) = (&d.department, d.units.is_empty()) {
                    findings.extend(department_vs_units(
                        rule,
                        &nodes[0],
                        published,
                        &cons.tables,
                        cons.units as i64,
                    ));
                }
            }
            Check::EliminationsMatch => {
                for e in &cons.eliminations {
                    evaluated += 1;
                    if e.paid != e.received {
                        findings.push(finding::elimination(rule, e, d));
                    }
                }
            }
            Check::Formula(_) => {}
        }
    }
    Ok(Report::new(findings, evaluated, catalogue.rules.len()))
}

/// Evaluates every formula rule on one node; returns findings and the number of instances.
pub fn check_node(node: &Node, catalogue: &Catalogue, is_entity: bool) -> (Vec<Finding>, usize) {
    let mut all: Vec<(usize, Instance)> = Vec::new();
    for (ri, rule) in catalogue.rules.iter().enumerate() {
        let Check::Formula(f) = &rule.check else {
            continue;
        };
        if rule.scope == Scope::Entity && !is_entity {
            continue;
        }
        for inst in node.instances(f, rule.tolerance == Tolerance::Exact) {
            all.push((ri, inst));
        }
    }
    let count = all
        .iter()
        .filter(|(_, i)| !matches!(i.outcome, Outcome::Skip))
        .count();
    let mut by_cell: HashMap<&CellKey, Vec<usize>> = HashMap::new();
    for (idx, (_, inst)) in all.iter().enumerate() {
        for c in &inst.cells {
            by_cell.entry(c).or_default().push(idx);
        }
    }
    let mut findings = Vec::new();
    for (ri, inst) in &all {
        let Outcome::Fail(w) = &inst.outcome else {
            continue;
        };
        let rule = &catalogue.rules[*ri];
        let culprit = if w.missing_reason.is_none() {
            blame(node, catalogue, &all, &by_cell, *ri, inst, w)
        } else {
            None
        };
        findings.push(finding::from_witness(rule, node, inst, w, culprit));
    }
    (findings, count)
}

/// The cell whose correction makes the most rules pass, if exactly one does best.
fn blame(
    node: &Node,
    catalogue: &Catalogue,
    all: &[(usize, Instance)],
    by_cell: &HashMap<&CellKey, Vec<usize>>,
    rule_idx: usize,
    inst: &Instance,
    w: &Witness,
) -> Option<(CellKey, i64)> {
    let residual = w.rhs.midpoint()?.checked_sub(w.lhs.midpoint()?)?;
    let residual = round_ratio(residual)?;
    if residual == 0 {
        return None;
    }
    let mut candidates: Vec<&CellKey> = w.lhs_cells.iter().chain(&w.rhs_cells).collect();
    candidates.sort();
    candidates.dedup();
    let run = |ri: usize, vars: &[(String, String)], overrides: &HashMap<CellKey, i64>| {
        let rule = &catalogue.rules[ri];
        let Check::Formula(f) = &rule.check else {
            return None;
        };
        let env = Env {
            vars,
            overrides,
            exact: rule.tolerance == Tolerance::Exact,
        };
        Some(node.run(&f.body, &env).0)
    };
    let mut scored: Vec<(i64, &CellKey, i64)> = Vec::new();
    for c in candidates {
        let Some(v) = table_of(node, &c.table).and_then(|t| t.get(&c.row, &c.col)) else {
            continue;
        };
        let fix = [v + residual, v - residual].into_iter().find(|x| {
            let o = HashMap::from([(c.clone(), *x)]);
            matches!(run(rule_idx, &inst.bindings, &o), Some(Outcome::Pass))
        });
        let Some(x) = fix else { continue };
        let overrides = HashMap::from([(c.clone(), x)]);
        let mut score = 0i64;
        for &j in by_cell.get(c).map(Vec::as_slice).unwrap_or(&[]) {
            let (rj, other) = &all[j];
            let before = matches!(other.outcome, Outcome::Fail(_));
            let after = matches!(
                run(*rj, &other.bindings, &overrides),
                Some(Outcome::Fail(_))
            );
            score += i64::from(before && !after) - i64::from(!before && after);
        }
        scored.push((score, c, x));
    }
    scored.sort_by_key(|s| std::cmp::Reverse(s.0));
    match scored.as_slice() {
        [(s, c, x)] if *s >= 1 => Some(((*c).clone(), *x)),
        [(s1, c, x), (s2, ..), ..] if *s1 >= 1 && s1 > s2 => Some(((*c).clone(), *x)),
        _ => None,
    }
}

fn table_of<'a>(node: &'a Node, id: &str) -> Option<&'a Table> {
    if id == "F" {
        node.facts
    } else {
        node.tables.get(id)
    }
}

fn round_ratio(r: Ratio) -> Option<i64> {
    let (n, d) = (r.numer(), r.denom());
    let q = n / d;
    let rem = n % d;
    let q = if rem.abs() * 2 >= d {
        q + n.signum()
    } else {
        q
    };
    i64::try_from(q).ok()
}

/// Published 部门 cells against the consolidation of the units, within rounding.
fn department_vs_units(
    rule: &Rule,
    entity: &Node,
    published: &TableSet,
    consolidated: &TableSet,
    units: i64,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let hw = entity.unit.half_width_fen() as i128;
    for (id, pub_table) in &published.tables {
        let Some(cons_table) = consolidated.get(id) else {
            continue;
        };
        let keys = pub_table.rows().iter().map(|r| r.key.clone()).chain(
            cons_table
                .rows()
                .iter()
                .map(|r| r.key.clone())
                .filter(|k| pub_table.row(k).is_none()),
        );
        for key in keys {
            for col in cons_table
                .columns
                .iter()
                .filter(|c| pub_table.has_column(c))
            {
                let (Some(p), Some(c)) = (pub_table.get(&key, col), cons_table.get(&key, col))
                else {
                    continue;
                };
                let pi = Interval::around(Ratio::int(p as i128), Ratio::int(hw));
                let ci = Interval::around(Ratio::int(c as i128), Ratio::int(hw * units as i128));
                if let (Some(pi), Some(ci)) = (pi, ci) {
                    if !pi.overlaps(&ci) {
                        out.push(finding::department_cell(
                            rule, entity, pub_table, &key, col, pi, ci,
                        ));
                    }
                }
            }
        }
    }
    out
}
