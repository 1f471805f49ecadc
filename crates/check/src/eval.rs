//! Evaluates formulas over one node's tables with interval arithmetic and three-valued logic.
//!
//! A comparison is True when it holds for every value the printed figures stand for, False
//! when it holds for none, Unknown otherwise. A rule fails only when it is False, so nothing
//! that rounding can explain is ever flagged.

use crate::lang::{ArithOp, CellRef, CmpOp, ColSel, Domain, Expr, Formula, RowSel};
use juesuan_model::{
    AmountUnit, CodeBook, CodeLevel, Interval, Layout, Project, Ratio, Reasons, Table, TableSet,
    Template, ValueKind,
};
use std::collections::HashMap;

/// The tables and facts one set of rules runs on: a unit, a department or a region.
pub struct Node<'a> {
    /// "部门" for the entity itself, else the unit id.
    pub id: String,
    pub name: String,
    pub tables: &'a TableSet,
    pub facts: Option<&'a Table>,
    pub projects: &'a [Project],
    /// Only the entity has reasons; rules needing them are skipped elsewhere.
    pub reasons: Option<&'a Reasons>,
    pub unit: AmountUnit,
    /// How many printed figures were added into each cell (1 as published; the number of
    /// units for a consolidation of printed figures): widens the rounding interval.
    pub figures_per_cell: i64,
    pub materiality_percent: u32,
    pub template: &'a Template,
}

/// A cell of a node: table id, row key, column name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellKey {
    pub table: String,
    pub row: String,
    pub col: String,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Tri {
    True,
    False,
    Unknown,
}

/// Why a comparison is False: its two sides and the cells behind each.
#[derive(Clone, Debug)]
pub struct Witness {
    pub op: CmpOp,
    pub lhs: Interval,
    pub rhs: Interval,
    pub lhs_cells: Vec<CellKey>,
    pub rhs_cells: Vec<CellKey>,
    /// The amounts are money (formatted in 万元/元) rather than counts or ratios.
    pub money: bool,
    /// Set for `explained(…)`: the comparative (年初预算 / 上年决算) lacking its reason.
    pub missing_reason: Option<String>,
}

#[derive(Clone, Debug)]
pub enum Outcome {
    Pass,
    Fail(Box<Witness>),
    /// A cell is not given or a ratio has a zero base: the rule does not apply.
    Skip,
}

/// One formula under one assignment of its variables.
#[derive(Clone, Debug)]
pub struct Instance {
    pub bindings: Vec<(String, String)>,
    pub outcome: Outcome,
    /// Every cell read, for culprit search.
    pub cells: Vec<CellKey>,
}

struct Num {
    iv: Interval,
    cells: Vec<CellKey>,
    money: bool,
}

enum Val {
    Num(Num),
    Bool(Tri, Option<Witness>),
}

struct Skip;

/// Evaluation context: variable values and overridden cells.
pub struct Env<'a> {
    pub vars: &'a [(String, String)],
    pub overrides: &'a HashMap<CellKey, i64>,
    pub exact: bool,
}

impl Node<'_> {
    fn table(&self, id: &str) -> Option<&Table> {
        if id == "F" {
            self.facts
        } else {
            self.tables.get(id)
        }
    }

    fn layout(&self, table: &str) -> Option<Layout> {
        self.template.table(table).map(|d| d.layout)
    }

    /// All instances of a formula on this node.
    pub fn instances(&self, f: &Formula, exact: bool) -> Vec<Instance> {
        let mut assignments: Vec<Vec<(String, String)>> = vec![Vec::new()];
        for (var, domain) in &f.bindings {
            let mut next = Vec::new();
            for a in &assignments {
                for value in self.domain_values(domain, a) {
                    let mut b = a.clone();
                    b.push((var.clone(), value));
                    next.push(b);
                }
            }
            assignments = next;
        }
        let none = HashMap::new();
        assignments
            .into_iter()
            .map(|vars| {
                let env = Env {
                    vars: &vars,
                    overrides: &none,
                    exact,
                };
                let (outcome, cells) = self.run(&f.body, &env);
                Instance {
                    bindings: vars,
                    outcome,
                    cells,
                }
            })
            .collect()
    }

    /// Evaluates a rule body under an environment.
    pub fn run(&self, body: &Expr, env: &Env) -> (Outcome, Vec<CellKey>) {
        let mut cells = Vec::new();
        let outcome = match self.eval(body, env, &mut cells) {
            Ok(Val::Bool(Tri::False, Some(w))) => Outcome::Fail(Box::new(w)),
            Ok(Val::Bool(Tri::False, None)) => Outcome::Skip,
            Ok(_) => Outcome::Pass,
            Err(Skip) => Outcome::Skip,
        };
        (outcome, cells)
    }

    fn domain_values(&self, d: &Domain, vars: &[(String, String)]) -> Vec<String> {
        match d {
            Domain::List(items) => items.clone(),
            Domain::Columns(t) => self.table(t).map(|t| t.columns.clone()).unwrap_or_default(),
            Domain::Rows(t, sel) => match sel {
                None => self.rows_all(t),
                Some(sel) => self.select_rows(t, sel, vars),
            },
        }
    }

    fn rows_all(&self, table: &str) -> Vec<String> {
        match (self.layout(table), self.template.table(table)) {
            (Some(Layout::Fixed), Some(def)) => def.rows.iter().map(|r| r.key.clone()).collect(),
            _ => self
                .table(table)
                .map(|t| t.rows().iter().map(|r| r.key.clone()).collect())
                .unwrap_or_default(),
        }
    }

    fn select_rows(&self, table: &str, sel: &RowSel, vars: &[(String, String)]) -> Vec<String> {
        let present = || -> Vec<String> {
            self.table(table)
                .map(|t| t.rows().iter().map(|r| r.key.clone()).collect())
                .unwrap_or_default()
        };
        match sel {
            RowSel::Key(k) => vec![k.clone()],
            RowSel::Var(v) => lookup(vars, v).into_iter().collect(),
            RowSel::Group(g) => self
                .template
                .table(table)
                .map(|d| {
                    d.rows
                        .iter()
                        .filter(|r| r.group.as_deref() == Some(g))
                        .map(|r| r.key.clone())
                        .collect()
                })
                .unwrap_or_default(),
            RowSel::Level(l) => present()
                .into_iter()
                .filter(|k| CodeLevel::of(k) == Some(*l))
                .collect(),
            RowSel::Children(v) => {
                let parent = lookup(vars, v).unwrap_or_default();
                present()
                    .into_iter()
                    .filter(|k| CodeBook::parent_code(k) == Some(parent.as_str()))
                    .collect()
            }
            RowSel::Range(a, b) => {
                let keys: Vec<String> = match self.template.table(table) {
                    Some(d) if d.layout == Layout::Fixed => {
                        d.rows.iter().map(|r| r.key.clone()).collect()
                    }
                    _ => present(),
                };
                let (Some(i), Some(j)) = (
                    keys.iter().position(|k| k == a),
                    keys.iter().position(|k| k == b),
                ) else {
                    return Vec::new();
                };
                keys[i.min(j)..=i.max(j)].to_vec()
            }
        }
    }

    /// Resolves a scalar reference to a cell key (variables substituted).
    fn key_of(&self, c: &CellRef, row: &str, vars: &[(String, String)]) -> Option<CellKey> {
        let col = match &c.col {
            ColSel::Key(k) => lookup(vars, k).unwrap_or_else(|| k.clone()),
            ColSel::Var(v) => lookup(vars, v)?,
            ColSel::Default => self.template.table(&c.table)?.columns.first()?.clone(),
        };
        Some(CellKey {
            table: c.table.clone(),
            row: row.to_string(),
            col,
        })
    }

    fn read(&self, key: &CellKey, env: &Env) -> Result<Num, Skip> {
        let table = self.table(&key.table).ok_or(Skip)?;
        let value = match env.overrides.get(key) {
            Some(v) if table.has_column(&key.col) => *v,
            _ => table.get(&key.row, &key.col).ok_or(Skip)?,
        };
        let kind = self
            .template
            .table(&key.table)
            .map(|d| self.template.row_kind(d, &key.row))
            .unwrap_or_default();
        let money = kind == ValueKind::Money;
        let hw = if money && !env.exact {
            self.unit.half_width_fen() * self.figures_per_cell
        } else {
            0
        };
        let iv = Interval::around(Ratio::int(value as i128), Ratio::int(hw as i128)).ok_or(Skip)?;
        Ok(Num {
            iv,
            cells: vec![key.clone()],
            money,
        })
    }

    fn eval(&self, e: &Expr, env: &Env, seen: &mut Vec<CellKey>) -> Result<Val, Skip> {
        let num = |v: Val| match v {
            Val::Num(n) => Ok(n),
            Val::Bool(..) => Err(Skip),
        };
        let tri = |v: Val| match v {
            Val::Bool(t, w) => Ok((t, w)),
            Val::Num(_) => Err(Skip),
        };
        Ok(match e {
            Expr::Num(r) => Val::Num(Num {
                iv: Interval::point(*r),
                cells: Vec::new(),
                money: false,
            }),
            Expr::Cell(c) => {
                let row = match &c.row {
                    RowSel::Key(k) => lookup(env.vars, k).unwrap_or_else(|| k.clone()),
                    RowSel::Var(v) => lookup(env.vars, v).ok_or(Skip)?,
                    _ => return Err(Skip),
                };
                let key = self.key_of(c, &row, env.vars).ok_or(Skip)?;
                seen.push(key.clone());
                Val::Num(self.read(&key, env)?)
            }
            Expr::Sum(c) => {
                let mut acc = Num {
                    iv: Interval::point(Ratio::ZERO),
                    cells: Vec::new(),
                    money: false,
                };
                for row in self.select_rows(&c.table, &c.row, env.vars) {
                    let key = self.key_of(c, &row, env.vars).ok_or(Skip)?;
                    seen.push(key.clone());
                    let n = self.read(&key, env)?;
                    acc.iv = acc.iv.checked_add(&n.iv).ok_or(Skip)?;
                    acc.cells.extend(n.cells);
                    acc.money |= n.money;
                }
                if acc.cells.is_empty() && matches!(c.row, RowSel::Children(_)) {
                    // a 类 listed without its 款: the hierarchy rule has nothing to compare
                    return Err(Skip);
                }
                if acc.cells.is_empty() {
                    // an empty sum over money rows is a money zero
                    acc.money = self.template.table(&c.table).is_some_and(|d| d.id != "F");
                }
                Val::Num(acc)
            }
            Expr::Neg(a) => {
                let mut n = num(self.eval(a, env, seen)?)?;
                n.iv = n.iv.checked_neg().ok_or(Skip)?;
                Val::Num(n)
            }
            Expr::Abs(a) => {
                let mut n = num(self.eval(a, env, seen)?)?;
                n.iv = n.iv.abs();
                Val::Num(n)
            }
            Expr::Arith(op, a, b) => {
                let x = num(self.eval(a, env, seen)?)?;
                let y = num(self.eval(b, env, seen)?)?;
                let iv = match op {
                    ArithOp::Add => x.iv.checked_add(&y.iv),
                    ArithOp::Sub => x.iv.checked_sub(&y.iv),
                    ArithOp::Mul => x.iv.checked_mul(&y.iv),
                    ArithOp::Div => x.iv.checked_div(&y.iv),
                }
                .ok_or(Skip)?;
                let money = match op {
                    ArithOp::Add | ArithOp::Sub => x.money || y.money,
                    ArithOp::Mul => x.money != y.money,
                    ArithOp::Div => x.money && !y.money,
                };
                let mut cells = x.cells;
                cells.extend(y.cells);
                Val::Num(Num { iv, cells, money })
            }
            Expr::Cmp(op, a, b) => {
                let x = num(self.eval(a, env, seen)?)?;
                let y = num(self.eval(b, env, seen)?)?;
                let t = compare(*op, &x.iv, &y.iv);
                if t != Tri::False {
                    return Ok(Val::Bool(t, None));
                }
                Val::Bool(
                    t,
                    Some(Witness {
                        op: *op,
                        lhs: x.iv,
                        rhs: y.iv,
                        money: x.money || y.money,
                        lhs_cells: x.cells,
                        rhs_cells: y.cells,
                        missing_reason: None,
                    }),
                )
            }
            Expr::And(a, b) => {
                let (ta, wa) = tri(self.eval(a, env, seen)?)?;
                let (tb, wb) = tri(self.eval(b, env, seen)?)?;
                match (ta, tb) {
                    (Tri::False, _) => Val::Bool(Tri::False, wa),
                    (_, Tri::False) => Val::Bool(Tri::False, wb),
                    (Tri::True, Tri::True) => Val::Bool(Tri::True, None),
                    _ => Val::Bool(Tri::Unknown, None),
                }
            }
            Expr::Or(a, b) => {
                let (ta, wa) = tri(self.eval(a, env, seen)?)?;
                let (tb, _) = tri(self.eval(b, env, seen)?)?;
                match (ta, tb) {
                    (Tri::True, _) | (_, Tri::True) => Val::Bool(Tri::True, None),
                    (Tri::False, Tri::False) => Val::Bool(Tri::False, wa),
                    _ => Val::Bool(Tri::Unknown, None),
                }
            }
            Expr::Implies(a, b) => {
                let (ta, _) = tri(self.eval(a, env, seen)?)?;
                if ta == Tri::False {
                    Val::Bool(Tri::True, None)
                } else {
                    let (tb, wb) = tri(self.eval(b, env, seen)?)?;
                    match (ta, tb) {
                        (_, Tri::True) => Val::Bool(Tri::True, None),
                        (Tri::True, Tri::False) => Val::Bool(Tri::False, wb),
                        _ => Val::Bool(Tri::Unknown, None),
                    }
                }
            }
            Expr::Explained {
                against,
                current,
                base,
            } => {
                let reasons = self.reasons.and_then(|r| r.against(against)).ok_or(Skip)?;
                let cur = num(self.eval(&Expr::Cell(current.clone()), env, seen)?)?;
                let bas = num(self.eval(&Expr::Cell(base.clone()), env, seen)?)?;
                let (Some(c), Some(b)) = (cur.iv.midpoint(), bas.iv.midpoint()) else {
                    return Err(Skip);
                };
                let key = cur.cells.first().ok_or(Skip)?;
                let material = is_material(c, b, self.materiality_percent);
                let has = reasons.contains_key(&format!("{}/{}", key.table, key.row));
                if material && !has {
                    Val::Bool(
                        Tri::False,
                        Some(Witness {
                            op: CmpOp::Eq,
                            lhs: cur.iv,
                            rhs: bas.iv,
                            lhs_cells: cur.cells,
                            rhs_cells: bas.cells,
                            money: cur.money,
                            missing_reason: Some(against.clone()),
                        }),
                    )
                } else {
                    Val::Bool(Tri::True, None)
                }
            }
            Expr::CountProjects(fund) => Val::Num(Num {
                iv: Interval::point(Ratio::int(
                    self.projects
                        .iter()
                        .filter(|p| fund_matches(&p.fund, fund))
                        .count() as i128,
                )),
                cells: Vec::new(),
                money: false,
            }),
            Expr::SumProjects(fund, field) => {
                let mut total = Interval::point(Ratio::ZERO);
                let hw = if env.exact {
                    0
                } else {
                    self.unit.half_width_fen()
                };
                for p in self.projects.iter().filter(|p| fund_matches(&p.fund, fund)) {
                    let v = if field == "budget" {
                        p.budget
                    } else {
                        p.executed
                    };
                    let v = v.ok_or(Skip)?;
                    let iv = Interval::around(Ratio::int(v.fen() as i128), Ratio::int(hw as i128))
                        .ok_or(Skip)?;
                    total = total.checked_add(&iv).ok_or(Skip)?;
                }
                Val::Num(Num {
                    iv: total,
                    cells: Vec::new(),
                    money: true,
                })
            }
            Expr::DuplicateProjects => {
                let mut seen_names = std::collections::HashSet::new();
                let dups = self
                    .projects
                    .iter()
                    .filter(|p| !seen_names.insert(normalize(&p.name)))
                    .count();
                Val::Num(Num {
                    iv: Interval::point(Ratio::int(dups as i128)),
                    cells: Vec::new(),
                    money: false,
                })
            }
        })
    }
}

fn lookup(vars: &[(String, String)], name: &str) -> Option<String> {
    vars.iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

fn fund_matches(fund: &str, wanted: &str) -> bool {
    fund.starts_with(wanted) || wanted.starts_with(fund)
}

fn normalize(name: &str) -> String {
    name.trim().trim_end_matches("项目").to_string()
}

/// |current − base| ≥ p% of |base|, or exactly one side is zero.
pub fn is_material(current: Ratio, base: Ratio, percent: u32) -> bool {
    if base.is_zero() || current.is_zero() {
        return base != current;
    }
    let diff = current.checked_sub(base).map(Ratio::abs);
    let limit = base.abs().checked_mul(Ratio::int(percent as i128));
    match (diff.and_then(|d| d.checked_mul(Ratio::int(100))), limit) {
        (Some(d), Some(l)) => d >= l,
        _ => true,
    }
}

/// Three-valued comparison of intervals.
pub fn compare(op: CmpOp, x: &Interval, y: &Interval) -> Tri {
    let (always, never) = match op {
        CmpOp::Eq => (x.is_point() && y.is_point() && x == y, !x.overlaps(y)),
        CmpOp::Ne => (!x.overlaps(y), x.is_point() && y.is_point() && x == y),
        CmpOp::Le => (x.hi() <= y.lo(), !x.possibly_le(y)),
        CmpOp::Lt => (x.hi() < y.lo(), !x.possibly_lt(y)),
        CmpOp::Ge => (y.hi() <= x.lo(), !y.possibly_le(x)),
        CmpOp::Gt => (y.hi() < x.lo(), !y.possibly_lt(x)),
    };
    if always {
        Tri::True
    } else if never {
        Tri::False
    } else {
        Tri::Unknown
    }
}
