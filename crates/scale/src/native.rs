//! The native evaluator: each compiled rule over one node's sorted cells, with the semantics
//! of `juesuan check` on exact data (a cell not given, a column the table does not have, or a
//! hierarchy row without children makes the instance not apply; and/or/-> as in the check
//! language).

use crate::plan::{cell_key, key_row, Cond, Dom, Level, Num, Plan, Ref, RowSet};
use juesuan_check::lang::CmpOp;

/// A failed rule instance: the node, the rule (index into `Plan::rules`) and the values of
/// its loop variables.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Failure {
    pub node: u32,
    pub rule: u32,
    pub bindings: Vec<u32>,
}

struct Skip;

/// Code facts about symbols: level and parent, indexed by symbol.
pub struct Codes {
    pub level: Vec<Option<Level>>,
    pub parent: Vec<Option<u32>>,
}

impl Codes {
    pub fn new(plan: &Plan) -> Codes {
        let n = plan.dict.len();
        let mut level = vec![None; n];
        let mut parent = vec![None; n];
        for (i, lvl) in level.iter_mut().enumerate() {
            let name = plan.dict.name(i as u32);
            if !name.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            *lvl = match name.len() {
                3 => Some(Level::Class),
                5 => Some(Level::Section),
                7 => Some(Level::Item),
                _ => None,
            };
            if name.len() > 3 {
                parent[i] = plan.dict.get(&name[..name.len() - 2]);
            }
        }
        Codes { level, parent }
    }
}

/// One node's cells, sorted by key.
pub struct NodeCells<'a> {
    pub cells: &'a [(u64, i64)],
}

impl NodeCells<'_> {
    fn table(&self, t: u8) -> &[(u64, i64)] {
        let lo = self.cells.partition_point(|(k, _)| *k < cell_key(t, 0, 0));
        let hi = self
            .cells
            .partition_point(|(k, _)| *k < cell_key(t + 1, 0, 0));
        &self.cells[lo..hi]
    }

    fn present_rows(&self, t: u8) -> Vec<u32> {
        let mut rows: Vec<u32> = self.table(t).iter().map(|(k, _)| key_row(*k)).collect();
        rows.dedup();
        rows
    }

    fn get(&self, key: u64) -> Option<i64> {
        self.cells
            .binary_search_by_key(&key, |(k, _)| *k)
            .ok()
            .map(|i| self.cells[i].1)
    }
}

struct Ctx<'a> {
    plan: &'a Plan,
    codes: &'a Codes,
    node: &'a NodeCells<'a>,
    vars: &'a [u32],
}

impl Ctx<'_> {
    fn sym(&self, r: Ref) -> u32 {
        match r {
            Ref::Sym(s) => s,
            Ref::Var(i) => self.vars[i],
        }
    }

    fn read(&self, table: u8, row: u32, col: u32) -> Result<i64, Skip> {
        let info = &self.plan.tables[table as usize];
        if !info.columns.contains(&col) {
            return Err(Skip);
        }
        match self.node.get(cell_key(table, row, col)) {
            Some(v) => Ok(v),
            None if info.absent_is_zero => Ok(0),
            None => Err(Skip),
        }
    }

    fn num(&self, n: &Num) -> Result<i64, Skip> {
        Ok(match n {
            Num::Const(c) => *c,
            Num::Cell { table, row, col } => self.read(*table, self.sym(*row), self.sym(*col))?,
            Num::Sum { table, rows, col } => {
                let col = self.sym(*col);
                let mut total = 0i64;
                match rows {
                    RowSet::Fixed(rows) => {
                        for r in rows {
                            total += self.read(*table, *r, col)?;
                        }
                    }
                    RowSet::Level(l) => {
                        for r in self.node.present_rows(*table) {
                            if self.codes.level[r as usize] == Some(*l) {
                                total += self.read(*table, r, col)?;
                            }
                        }
                    }
                    RowSet::Children(v) => {
                        let parent = self.vars[*v];
                        let mut any = false;
                        for r in self.node.present_rows(*table) {
                            if self.codes.parent[r as usize] == Some(parent) {
                                any = true;
                                total += self.read(*table, r, col)?;
                            }
                        }
                        if !any {
                            return Err(Skip);
                        }
                    }
                }
                total
            }
            Num::Neg(a) => -self.num(a)?,
            Num::Add(a, b) => self.num(a)? + self.num(b)?,
            Num::Sub(a, b) => self.num(a)? - self.num(b)?,
        })
    }

    fn cond(&self, c: &Cond) -> Result<bool, Skip> {
        Ok(match c {
            Cond::Cmp(op, a, b) => {
                let (x, y) = (self.num(a)?, self.num(b)?);
                match op {
                    CmpOp::Eq => x == y,
                    CmpOp::Ne => x != y,
                    CmpOp::Lt => x < y,
                    CmpOp::Le => x <= y,
                    CmpOp::Gt => x > y,
                    CmpOp::Ge => x >= y,
                }
            }
            Cond::And(a, b) => {
                let x = self.cond(a)?;
                let y = self.cond(b)?;
                x && y
            }
            Cond::Or(a, b) => {
                let x = self.cond(a)?;
                let y = self.cond(b)?;
                x || y
            }
            Cond::Implies(a, b) => !self.cond(a)? || self.cond(b)?,
        })
    }
}

/// Evaluates every rule of the plan that applies to a node; pushes the failures.
pub fn check_node(
    plan: &Plan,
    codes: &Codes,
    node_id: u32,
    node: &NodeCells<'_>,
    is_entity: bool,
    out: &mut Vec<Failure>,
) -> usize {
    let mut evaluated = 0;
    for (ri, rule) in plan.rules.iter().enumerate() {
        if rule.entity_only && !is_entity {
            continue;
        }
        let mut vars: Vec<u32> = Vec::with_capacity(rule.domains.len());
        evaluated += expand(plan, codes, node, rule, 0, &mut vars, &mut |vars| {
            let ctx = Ctx {
                plan,
                codes,
                node,
                vars,
            };
            match ctx.cond(&rule.body) {
                Ok(true) => Some(true),
                Ok(false) => {
                    out.push(Failure {
                        node: node_id,
                        rule: ri as u32,
                        bindings: vars.to_vec(),
                    });
                    Some(false)
                }
                Err(Skip) => None,
            }
        });
    }
    evaluated
}

fn expand(
    plan: &Plan,
    codes: &Codes,
    node: &NodeCells<'_>,
    rule: &crate::plan::PlanRule,
    depth: usize,
    vars: &mut Vec<u32>,
    f: &mut dyn FnMut(&[u32]) -> Option<bool>,
) -> usize {
    if depth == rule.domains.len() {
        return usize::from(f(vars).is_some());
    }
    let values: Vec<u32> = match &rule.domains[depth] {
        Dom::List(v) => v.clone(),
        Dom::AllRows(t) => {
            let info = &plan.tables[*t as usize];
            if info.fixed_rows.is_empty() || info.layout != juesuan_model::Layout::Fixed {
                node.present_rows(*t)
            } else {
                info.fixed_rows.clone()
            }
        }
        Dom::Level(t, l) => node
            .present_rows(*t)
            .into_iter()
            .filter(|r| codes.level[*r as usize] == Some(*l))
            .collect(),
    };
    let mut n = 0;
    for v in values {
        vars.push(v);
        n += expand(plan, codes, node, rule, depth + 1, vars, f);
        vars.pop();
    }
    n
}
