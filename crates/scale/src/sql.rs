//! The compiled catalogue as SQL over the long format (docs/scale.md), for DuckDB here and
//! PostgreSQL, DataFusion or Spark SQL elsewhere: plain joins, GROUP BY and CASE, no
//! procedural code. The script loads `nodes` and `amounts`, consolidates level by level,
//! and inserts one row into `failures` per failed rule instance, the same instances the
//! native engine reports.
//!
//! A boolean is TRUE, FALSE, or NULL when the instance does not apply (a fact not given, a
//! row without children); and/or/-> are written with CASE so that NULL means "skip" as in
//! the check language, not SQL's three-valued logic.

use crate::plan::{Cond, Dom, Level, Num, Plan, PlanRule, Ref, RowSet};
use juesuan_check::lang::CmpOp;
use std::fmt::Write as _;

/// How deep region trees may be (regions above departments).
pub const MAX_REGION_DEPTH: usize = 8;

fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn level_digits(l: Level) -> usize {
    l.digits()
}

/// The whole script: load the two files (CSV, or Parquet when a path ends in `.parquet`),
/// consolidate, check. `nodes` and `amounts` are paths as the engine should see them.
pub fn script(plan: &Plan, nodes: &str, amounts: &str) -> String {
    let read = |path: &str, columns: &str| {
        if path.ends_with(".parquet") {
            format!("read_parquet({})", lit(path))
        } else {
            format!(
                "read_csv({}, header = true, columns = {{{columns}}})",
                lit(path)
            )
        }
    };
    let mut s = String::new();
    let _ = writeln!(
        s,
        "-- juesuan {year} rule catalogue compiled to SQL (juesuan sql). Amounts are BIGINT 分.\n\
         CREATE TABLE nodes AS SELECT * FROM {nodes};\n\
         CREATE TABLE input AS SELECT * FROM {amounts};",
        year = plan.year,
        nodes = read(
            nodes,
            "'node': 'INTEGER', 'parent': 'INTEGER', 'level': 'VARCHAR', 'name': 'VARCHAR', 'code': 'VARCHAR'"
        ),
        amounts = read(
            amounts,
            "'node': 'INTEGER', 'tbl': 'VARCHAR', 'row': 'VARCHAR', 'col': 'VARCHAR', 'amount': 'BIGINT'"
        ),
    );
    s.push_str(&consolidate_sql());
    s.push_str(&checks_sql(plan));
    s
}

/// Depths, consolidation into `amounts` (with `lvl` and `prow` for code rows), the nodes
/// checked.
pub fn consolidate_sql() -> String {
    let mut s = String::from(
        "CREATE TABLE depth AS WITH RECURSIVE d(node, depth) AS (\n\
         \x20 SELECT node, 0 FROM nodes WHERE parent IS NULL\n\
         \x20 UNION ALL SELECT n.node, d.depth + 1 FROM nodes n JOIN d ON n.parent = d.node)\n\
         SELECT * FROM d;\n\
         CREATE TABLE sums (node INTEGER, tbl VARCHAR, row VARCHAR, col VARCHAR, amount BIGINT);\n\
         -- departments: the sum of their units (the facts, table F, stay with the department)\n\
         INSERT INTO sums SELECT u.parent, a.tbl, a.row, a.col, SUM(a.amount)\n\
         \x20 FROM input a JOIN nodes u ON u.node = a.node\n\
         \x20 WHERE u.level = '单位' AND a.tbl <> 'F' GROUP BY u.parent, a.tbl, a.row, a.col;\n",
    );
    // regions, deepest first: each the sum of its children (departments and regions)
    for depth in (1..=MAX_REGION_DEPTH + 1).rev() {
        let _ = writeln!(
            s,
            "INSERT INTO sums SELECT n.parent, a.tbl, a.row, a.col, SUM(a.amount)\n\
             \x20 FROM sums a JOIN nodes n ON n.node = a.node JOIN depth d ON d.node = a.node\n\
             \x20 WHERE d.depth = {depth} AND n.level <> '单位' GROUP BY n.parent, a.tbl, a.row, a.col;"
        );
    }
    s.push_str(
        "CREATE TABLE amounts AS\n\
         \x20 SELECT node, tbl, row, col, amount,\n\
         \x20   CASE WHEN regexp_full_match(row, '[0-9]+') THEN length(row) END AS lvl,\n\
         \x20   CASE WHEN regexp_full_match(row, '[0-9]{5}|[0-9]{7}') THEN left(row, length(row) - 2) END AS prow\n\
         \x20 FROM (SELECT * FROM input UNION ALL SELECT * FROM sums);\n\
         -- every department (the disclosed entity), every unit of a department with more than\n\
         -- one unit, every region\n\
         CREATE TABLE checked AS\n\
         \x20 SELECT n.node, n.level = '部门' AS entity FROM nodes n\n\
         \x20 WHERE n.level <> '单位'\n\
         \x20    OR (SELECT count(*) FROM nodes s WHERE s.parent = n.parent AND s.level = '单位') > 1;\n\
         CREATE TABLE failures (node INTEGER, rule VARCHAR, b0 VARCHAR, b1 VARCHAR);\n",
    );
    s
}

/// One INSERT per rule.
pub fn checks_sql(plan: &Plan) -> String {
    let mut s = String::new();
    for rule in &plan.rules {
        s.push_str(&rule_sql(plan, rule));
    }
    s
}

struct Gen<'a> {
    plan: &'a Plan,
    joins: Vec<String>,
}

impl Gen<'_> {
    fn name(&self, r: Ref) -> String {
        match r {
            Ref::Sym(s) => lit(self.plan.dict.name(s)),
            Ref::Var(i) => format!("b.v{i}"),
        }
    }

    /// `expr` when the column is one the table has, else NULL (the instance does not apply).
    fn valid_col(&self, table: u8, col: Ref, expr: String) -> String {
        let cols = &self.plan.tables[table as usize].columns;
        match col {
            Ref::Sym(c) if cols.contains(&c) => expr,
            Ref::Sym(_) => "NULL".into(),
            Ref::Var(i) => {
                let list: Vec<String> = cols.iter().map(|c| lit(self.plan.dict.name(*c))).collect();
                format!("CASE WHEN b.v{i} IN ({}) THEN {expr} END", list.join(", "))
            }
        }
    }

    fn num(&mut self, n: &Num) -> String {
        match n {
            Num::Const(c) => c.to_string(),
            Num::Cell { table, row, col } => {
                let a = format!("c{}", self.joins.len());
                let info = &self.plan.tables[*table as usize];
                self.joins.push(format!(
                    "LEFT JOIN amounts {a} ON {a}.node = b.node AND {a}.tbl = {} AND {a}.row = {} AND {a}.col = {}",
                    lit(&info.id),
                    self.name(*row),
                    self.name(*col)
                ));
                let v = if info.absent_is_zero {
                    format!("COALESCE({a}.amount, 0)")
                } else {
                    format!("{a}.amount")
                };
                self.valid_col(*table, *col, v)
            }
            Num::Sum { table, rows, col } => {
                let a = format!("c{}", self.joins.len());
                let tbl = lit(&self.plan.tables[*table as usize].id);
                let col_name = self.name(*col);
                let v = match rows {
                    RowSet::Fixed(rows) => {
                        let list: Vec<String> =
                            rows.iter().map(|r| lit(self.plan.dict.name(*r))).collect();
                        self.joins.push(format!(
                            "LEFT JOIN (SELECT node, col, SUM(amount) AS s FROM amounts WHERE tbl = {tbl} AND row IN ({}) GROUP BY node, col) {a} ON {a}.node = b.node AND {a}.col = {col_name}",
                            list.join(", ")
                        ));
                        format!("COALESCE({a}.s, 0)")
                    }
                    RowSet::Level(l) => {
                        self.joins.push(format!(
                            "LEFT JOIN (SELECT node, col, SUM(amount) AS s FROM amounts WHERE tbl = {tbl} AND lvl = {} GROUP BY node, col) {a} ON {a}.node = b.node AND {a}.col = {col_name}",
                            level_digits(*l)
                        ));
                        format!("COALESCE({a}.s, 0)")
                    }
                    RowSet::Children(v) => {
                        // children exist whatever the column; without any, the rule does not apply
                        self.joins.push(format!(
                            "LEFT JOIN (SELECT node, prow, col, SUM(amount) AS s FROM amounts WHERE tbl = {tbl} AND prow IS NOT NULL GROUP BY node, prow, col) {a} ON {a}.node = b.node AND {a}.prow = b.v{v} AND {a}.col = {col_name}"
                        ));
                        let e = format!("e{}", self.joins.len());
                        self.joins.push(format!(
                            "LEFT JOIN (SELECT DISTINCT node, prow FROM amounts WHERE tbl = {tbl} AND prow IS NOT NULL) {e} ON {e}.node = b.node AND {e}.prow = b.v{v}"
                        ));
                        format!("CASE WHEN {e}.prow IS NOT NULL THEN COALESCE({a}.s, 0) END")
                    }
                };
                self.valid_col(*table, *col, v)
            }
            Num::Neg(x) => format!("(-{})", self.num(x)),
            Num::Add(x, y) => format!("({} + {})", self.num(x), self.num(y)),
            Num::Sub(x, y) => format!("({} - {})", self.num(x), self.num(y)),
        }
    }

    fn cond(&mut self, c: &Cond) -> String {
        match c {
            Cond::Cmp(op, x, y) => {
                let op = match op {
                    CmpOp::Eq => "=",
                    CmpOp::Ne => "<>",
                    CmpOp::Lt => "<",
                    CmpOp::Le => "<=",
                    CmpOp::Gt => ">",
                    CmpOp::Ge => ">=",
                };
                format!("({} {op} {})", self.num(x), self.num(y))
            }
            Cond::And(x, y) | Cond::Or(x, y) => {
                let (x, y) = (self.cond(x), self.cond(y));
                let op = if matches!(c, Cond::And(..)) {
                    "AND"
                } else {
                    "OR"
                };
                format!("(CASE WHEN {x} IS NULL OR {y} IS NULL THEN NULL ELSE {x} {op} {y} END)")
            }
            Cond::Implies(x, y) => {
                let (x, y) = (self.cond(x), self.cond(y));
                format!("(CASE WHEN {x} IS NULL THEN NULL WHEN NOT {x} THEN TRUE ELSE {y} END)")
            }
        }
    }
}

/// One rule as `INSERT INTO failures SELECT …`.
pub fn rule_sql(plan: &Plan, rule: &PlanRule) -> String {
    // the bindings: one row per checked node and assignment of the loop variables
    let mut from = String::from("checked c");
    let mut cols = String::from("c.node");
    for (i, d) in rule.domains.iter().enumerate() {
        let values = |rows: &[u32]| {
            rows.iter()
                .map(|r| format!("({})", lit(plan.dict.name(*r))))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match d {
            Dom::List(v) => {
                let _ = write!(from, " CROSS JOIN (VALUES {}) d{i}(x)", values(v));
            }
            Dom::AllRows(t) if plan.tables[*t as usize].layout == juesuan_model::Layout::Fixed => {
                let _ = write!(
                    from,
                    " CROSS JOIN (VALUES {}) d{i}(x)",
                    values(&plan.tables[*t as usize].fixed_rows)
                );
            }
            Dom::AllRows(t) | Dom::Level(t, _) => {
                let level = match d {
                    Dom::Level(_, l) => format!(" AND lvl = {}", level_digits(*l)),
                    _ => String::new(),
                };
                let _ = write!(
                    from,
                    " JOIN (SELECT DISTINCT node, row AS x FROM amounts WHERE tbl = {}{level}) d{i} ON d{i}.node = c.node",
                    lit(&plan.tables[*t as usize].id)
                );
            }
        }
        let _ = write!(cols, ", d{i}.x AS v{i}");
    }
    let filter = if rule.entity_only {
        " WHERE c.entity"
    } else {
        ""
    };
    let mut g = Gen {
        plan,
        joins: Vec::new(),
    };
    let body = g.cond(&rule.body);
    let b = |i: usize| {
        if i < rule.domains.len() {
            format!("b.v{i}")
        } else {
            "NULL".into()
        }
    };
    format!(
        "-- {id}\nINSERT INTO failures SELECT b.node, {lid}, {b0}, {b1}\nFROM (SELECT {cols} FROM {from}{filter}) b\n{joins}\nWHERE NOT {body};\n",
        id = rule.id,
        lid = lit(&rule.id),
        b0 = b(0),
        b1 = b(1),
        joins = g.joins.join("\n"),
    )
}
