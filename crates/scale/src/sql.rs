//! The compiled catalogue as set-based SQL over the long format (docs/scale.md), for DuckDB,
//! PostgreSQL, Apache DataFusion and Spark SQL: plain joins, GROUP BY and CASE, no recursion
//! and no procedural code, so that every engine plans it the same way. The script
//!
//! 1. loads `nodes` and `amounts` (the only place the dialects differ much);
//! 2. pivots each table once into wide rows, one per node and row with one BIGINT column per
//!    required column, and consolidates them in two grouped passes: leaves into their parent,
//!    then every non-leaf node's sums into itself and all its ancestors through a closure
//!    table built by a fixed chain of self-joins (no recursive CTE: Spark has none);
//! 3. evaluates every rule instance in a few scans: one over the checked nodes (the rules
//!    without a loop over present rows, their loops over columns and fixed rows unrolled at
//!    compile time into one boolean column each), one over each table's wide rows (the rules
//!    looping over the rows present), each keeping only the rows where some instance fails;
//!    the failures are then unpivoted from those few rows with UNION ALL.
//!
//! A condition is an integer: 1 true, 0 false, NULL when the instance does not apply (a fact
//! not given, a row without children, a column the table does not have, a node or row the
//! rule does not loop over); and/or/-> are products and a CASE on the premise, so that NULL
//! means "skip" as in the check language, not SQL's three-valued logic. A failure is an
//! instance whose value is 0.
//!
//! Lines `-- phase: load|consolidate|rules` mark where each phase starts, so a runner can time
//! them (bench/sql-run). Every statement ends with `;` at the end of a line.

use crate::plan::{Cond, Dom, Level, Num, Plan, PlanRule, Ref, RowSet};
use juesuan_check::lang::CmpOp;
use juesuan_model::Layout;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// How deep region trees may be (regions above departments).
pub const MAX_REGION_DEPTH: usize = 8;

/// Links from a leaf to the root the closure table follows: a unit, its department and up to
/// [`MAX_REGION_DEPTH`] regions.
const MAX_LINKS: usize = MAX_REGION_DEPTH + 2;

/// The SQL engine a script is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    DuckDb,
    Postgres,
    DataFusion,
    Spark,
}

impl Dialect {
    pub fn name(self) -> &'static str {
        match self {
            Dialect::DuckDb => "DuckDB",
            Dialect::Postgres => "PostgreSQL",
            Dialect::DataFusion => "Apache DataFusion",
            Dialect::Spark => "Spark SQL",
        }
    }

    fn text(self) -> &'static str {
        match self {
            Dialect::Spark => "STRING",
            Dialect::Postgres => "TEXT",
            _ => "VARCHAR",
        }
    }

    fn int(self) -> &'static str {
        match self {
            Dialect::Spark => "INT",
            _ => "INTEGER",
        }
    }

    /// A materialized result. Spark has no CREATE TABLE AS without a warehouse on disk;
    /// `CACHE TABLE … AS` keeps the result in executor memory and is eager, so each phase
    /// is timed where its work happens.
    fn create(self, name: &str, query: &str) -> String {
        match self {
            Dialect::Spark => format!("CACHE TABLE {name} AS {query};\n"),
            _ => format!("CREATE TABLE {name} AS {query};\n"),
        }
    }

    /// Reads a file into table `name` with `columns` (name, SQL type); `row` is quoted where
    /// the engine reserves it, and renamed `rk` inside the script.
    fn load(self, name: &str, path: &str, columns: &[(&str, &str)]) -> String {
        let parquet = path.ends_with(".parquet");
        let typed: Vec<String> = columns
            .iter()
            .map(|(c, t)| format!("{} {t}", self.quote(c)))
            .collect();
        let select: Vec<String> = columns
            .iter()
            .map(|(c, _)| {
                if *c == "row" {
                    format!("{} AS rk", self.quote(c))
                } else {
                    c.to_string()
                }
            })
            .collect();
        let select = select.join(", ");
        match self {
            Dialect::DuckDb => {
                let src = if parquet {
                    format!("read_parquet({})", lit(path))
                } else {
                    let cols: Vec<String> = columns
                        .iter()
                        .map(|(c, t)| format!("{}: {}", lit(c), lit(t)))
                        .collect();
                    format!(
                        "read_csv({}, header = true, columns = {{{}}})",
                        lit(path),
                        cols.join(", ")
                    )
                };
                self.create(name, &format!("SELECT {select} FROM {src}"))
            }
            Dialect::Postgres => {
                if parquet {
                    return "-- PostgreSQL reads no Parquet: convert with juesuan convert --to csv\n\
                            SELECT 1 / 0 AS parquet_not_supported;\n"
                        .to_string();
                }
                // psql's \copy reads the file on the client, so no superuser is needed
                format!(
                    "CREATE TABLE {name}_src ({});\n\\copy {name}_src FROM {} WITH (FORMAT csv, HEADER true)\n{}",
                    typed.join(", "),
                    lit(path),
                    self.create(name, &format!("SELECT {select} FROM {name}_src"))
                )
            }
            Dialect::DataFusion => {
                let (stored, options) = if parquet {
                    ("PARQUET", String::new())
                } else {
                    ("CSV", " OPTIONS ('format.has_header' 'true')".to_string())
                };
                let schema = if parquet {
                    String::new()
                } else {
                    format!(" ({})", typed.join(", "))
                };
                format!(
                    "CREATE EXTERNAL TABLE {name}_src{schema} STORED AS {stored} LOCATION {}{options};\n{}",
                    lit(path),
                    self.create(name, &format!("SELECT {select} FROM {name}_src"))
                )
            }
            Dialect::Spark => {
                let (using, options) = if parquet {
                    ("parquet", String::new())
                } else {
                    ("csv", ", header 'true'".to_string())
                };
                let schema = if parquet {
                    String::new()
                } else {
                    format!(" ({})", typed.join(", "))
                };
                // a path may be hdfs://, s3a:// or a local file: Spark resolves it
                format!(
                    "CREATE TEMPORARY VIEW {name}_src{schema} USING {using} OPTIONS (path {}{options});\n{}",
                    lit(path),
                    self.create(name, &format!("SELECT {select} FROM {name}_src"))
                )
            }
        }
    }

    fn quote(self, c: &str) -> String {
        match (self, c) {
            (Dialect::Spark, "row") => "`row`".into(),
            (_, "row") => "\"row\"".into(),
            _ => c.to_string(),
        }
    }
}

fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The DuckDB script (see [`script_for`]).
pub fn script(plan: &Plan, nodes: &str, amounts: &str) -> String {
    script_for(plan, Dialect::DuckDb, nodes, amounts)
}

/// The whole script: load the two files (CSV, or Parquet when a path ends in `.parquet`),
/// consolidate, check into `failures(node, rule, b0, b1)`. `nodes` and `amounts` are paths
/// as the engine should see them.
pub fn script_for(plan: &Plan, dialect: Dialect, nodes: &str, amounts: &str) -> String {
    let (text, int) = (dialect.text(), dialect.int());
    let mut s = String::new();
    let _ = writeln!(
        s,
        "-- juesuan {year} rule catalogue compiled to set-based SQL for {engine} (juesuan sql).\n\
         -- Amounts are BIGINT 分 throughout.\n-- phase: load",
        year = plan.year,
        engine = dialect.name()
    );
    s.push_str(&dialect.load(
        "nodes",
        nodes,
        &[
            ("node", int),
            ("parent", int),
            ("level", text),
            ("name", text),
            ("code", text),
        ],
    ));
    s.push_str(&dialect.load(
        "input",
        amounts,
        &[
            ("node", int),
            ("tbl", text),
            ("row", text),
            ("col", text),
            ("amount", "BIGINT"),
        ],
    ));
    s.push_str("-- phase: consolidate\n");
    s.push_str(&consolidate_sql(plan, dialect));
    s.push_str("-- phase: rules\n");
    s.push_str(&checks_sql(plan, dialect));
    s
}

/// The wide column of a table's column symbol.
fn col_index(plan: &Plan, table: u8, col: u32) -> Option<usize> {
    plan.tables[table as usize]
        .columns
        .iter()
        .position(|c| *c == col)
}

fn wide_name(plan: &Plan, table: u8) -> String {
    format!("w_{}", plan.tables[table as usize].id.to_lowercase())
}

/// The tree (`tree`, `checked`, the closure `anc`), the code table, and one consolidated wide
/// table `w_<table>(node, rk, c0 …, lvl, prow)` per table.
pub fn consolidate_sql(plan: &Plan, dialect: Dialect) -> String {
    let mut s = String::new();
    // codes from the year's dictionary: level (3/5/7 digits) and parent code, exactly the
    // native engine's `Codes`; '' for no parent keeps the column free of NULL literals, whose
    // type not every engine infers in VALUES
    let codes = crate::native::Codes::new(plan);
    let mut values = Vec::new();
    for (i, l) in codes.level.iter().enumerate() {
        if let Some(l) = l {
            let parent = codes.parent[i].map(|p| plan.dict.name(p)).unwrap_or("");
            values.push(format!(
                "({}, {}, {})",
                lit(plan.dict.name(i as u32)),
                l.digits(),
                lit(parent)
            ));
        }
    }
    s.push_str(&dialect.create(
        "codes",
        &format!(
            "SELECT * FROM (VALUES {}) AS k(code, lvl, prow)",
            values.join(", ")
        ),
    ));
    s.push_str(&dialect.create(
        "tree",
        "SELECT n.node, n.parent, n.level, COALESCE(k.children, 0) AS children, \
         COALESCE(u.units, 0) AS siblings\n\
         \x20 FROM nodes n\n\
         \x20 LEFT JOIN (SELECT parent, COUNT(*) AS children FROM nodes WHERE parent IS NOT NULL GROUP BY parent) k ON k.parent = n.node\n\
         \x20 LEFT JOIN (SELECT parent, COUNT(*) AS units FROM nodes WHERE level = '单位' GROUP BY parent) u ON u.parent = n.parent",
    ));
    s.push_str(
        "-- checked: every department (the disclosed entity), every unit of a department with\n\
         -- more than one unit, every region\n",
    );
    s.push_str(&dialect.create(
        "checked",
        "SELECT node, level = '部门' AS entity FROM tree WHERE level <> '单位' OR siblings > 1",
    ));
    // closure of the non-leaf nodes: each with itself and every ancestor
    let mut chain = String::from("SELECT t0.node, t0.node AS a0");
    let mut joins = String::from(" FROM tree t0");
    for i in 1..MAX_LINKS {
        let _ = write!(chain, ", t{}.parent AS a{i}", i - 1);
        if i + 1 < MAX_LINKS {
            let _ = write!(
                joins,
                " LEFT JOIN tree t{i} ON t{i}.node = t{}.parent",
                i - 1
            );
        }
    }
    s.push_str(&dialect.create("chain", &format!("{chain}{joins} WHERE t0.children > 0")));
    let ups: Vec<String> = (0..MAX_LINKS)
        .map(|i| format!("SELECT node, a{i} AS anc FROM chain WHERE a{i} IS NOT NULL"))
        .collect();
    s.push_str(&dialect.create("anc", &ups.join("\nUNION ALL ")));
    for (ti, t) in plan.tables.iter().enumerate() {
        let ti = ti as u8;
        let name = wide_name(plan, ti);
        let lower = t.id.to_lowercase();
        let cols: Vec<String> = (0..t.columns.len()).map(|i| format!("c{i}")).collect();
        // an absent cell of the nine tables is zero, of the facts not given (NULL)
        let otherwise = if t.absent_is_zero { " ELSE 0" } else { "" };
        let pivot: Vec<String> = t
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                format!(
                    "SUM(CASE WHEN col = {} THEN amount{otherwise} END) AS c{i}",
                    lit(plan.dict.name(*c))
                )
            })
            .collect();
        let _ = writeln!(s, "-- {}: wide rows, then consolidated", t.id);
        let pivot_q = format!(
            "SELECT node, rk, {} FROM input WHERE tbl = {} GROUP BY node, rk",
            pivot.join(", "),
            lit(&t.id)
        );
        let with_codes = |q: &str| {
            format!("SELECT x.*, k.lvl, k.prow FROM ({q}) x LEFT JOIN codes k ON k.code = x.rk")
        };
        if !t.absent_is_zero {
            // the facts stay with the node that states them
            s.push_str(&dialect.create(&name, &with_codes(&pivot_q)));
            continue;
        }
        s.push_str(&dialect.create(&format!("p_{lower}"), &pivot_q));
        let sums: Vec<String> = cols.iter().map(|c| format!("SUM(x.{c}) AS {c}")).collect();
        let x_cols: Vec<String> = cols.iter().map(|c| format!("x.{c}")).collect();
        // pass 1: each leaf into its parent (units into their department)
        s.push_str(&dialect.create(
            &format!("s_{lower}"),
            &format!(
                "SELECT t.parent AS node, x.rk, {} FROM p_{lower} x JOIN tree t ON t.node = x.node \
                 WHERE t.children = 0 AND t.parent IS NOT NULL GROUP BY t.parent, x.rk",
                sums.join(", ")
            ),
        ));
        // pass 2: a leaf keeps its own rows; every other node is the sum, over itself and the
        // non-leaf nodes below it, of their leaves' sums
        let q = format!(
            "SELECT x.node, x.rk, {xc} FROM p_{lower} x JOIN tree t ON t.node = x.node WHERE t.children = 0\n\
             \x20 UNION ALL SELECT a.anc AS node, x.rk, {sums} FROM s_{lower} x JOIN anc a ON a.node = x.node GROUP BY a.anc, x.rk",
            xc = x_cols.join(", "),
            sums = sums.join(", "),
        );
        s.push_str(&dialect.create(&name, &with_codes(&q)));
    }
    s
}

/// What a loop variable stands for in one unrolled instance.
#[derive(Debug, Clone, Copy)]
enum Bind {
    Sym(u32),
    /// The row of the i-th scanned wide table.
    Row(usize),
}

/// A per-node aggregate over one table's wide rows.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Agg {
    /// The cell of a fixed row.
    Cell(u32, usize),
    /// The sum over rows of a level.
    Level(usize, usize),
    /// The sum over fixed rows.
    Rows(Vec<u32>, usize),
    /// The sum over the children of a fixed row (NULL without children).
    Children(u32, usize),
}

/// The per-node aggregates all scans read: `nv_<table>(node, v0 …)`.
#[derive(Default)]
struct NodeValues {
    aggs: BTreeMap<u8, Vec<Agg>>,
}

impl NodeValues {
    fn column(&mut self, table: u8, agg: Agg) -> String {
        let list = self.aggs.entry(table).or_default();
        let i = match list.iter().position(|a| *a == agg) {
            Some(i) => i,
            None => {
                list.push(agg);
                list.len() - 1
            }
        };
        format!("v{table}_{i}")
    }
}

/// One scan: the checked nodes, joined with the wide rows of `tables` (their rows are the
/// loop variables over rows present), evaluating instances into boolean columns.
struct Scan {
    tables: Vec<u8>,
    /// LEFT JOINs, by what they join.
    joins: BTreeMap<String, String>,
    /// Instance: rule id, bindings (SQL for b0, b1), boolean expression.
    instances: Vec<(String, [String; 2], String)>,
}

struct Gen<'a> {
    plan: &'a Plan,
    nv: NodeValues,
    children_tables: Vec<u8>,
}

impl Gen<'_> {
    fn null(&self) -> String {
        "CAST(NULL AS BIGINT)".into()
    }

    fn sym(&self, r: Ref, env: &[Bind]) -> Bind {
        match r {
            Ref::Sym(s) => Bind::Sym(s),
            Ref::Var(i) => env[i],
        }
    }

    /// The wide column of a column reference, or None when the table lacks the column (the
    /// instance does not apply). A column bound to a scanned row cannot be resolved here.
    fn column(&self, table: u8, col: Ref, env: &[Bind]) -> Result<Option<usize>, String> {
        match self.sym(col, env) {
            Bind::Sym(c) => Ok(col_index(self.plan, table, c)),
            Bind::Row(_) => Err("栏目不能是行循环变量".into()),
        }
    }

    fn nv_ref(&mut self, scan: &mut Scan, table: u8, agg: Agg, zero: bool) -> String {
        let col = self.nv.column(table, agg);
        let alias = format!("n{table}");
        scan.joins
            .entry(alias.clone())
            .or_insert_with(|| format!("LEFT JOIN nv_{table} {alias} ON {alias}.node = c.node"));
        if zero {
            format!("COALESCE({alias}.{col}, 0)")
        } else {
            format!("{alias}.{col}")
        }
    }

    fn num(&mut self, scan: &mut Scan, n: &Num, env: &[Bind]) -> Result<String, String> {
        Ok(match n {
            Num::Const(c) => c.to_string(),
            Num::Cell { table, row, col } => {
                let zero = self.plan.tables[*table as usize].absent_is_zero;
                let Some(ci) = self.column(*table, *col, env)? else {
                    return Ok(self.null());
                };
                match self.sym(*row, env) {
                    Bind::Sym(r) => self.nv_ref(scan, *table, Agg::Cell(r, ci), zero),
                    Bind::Row(i) if scan.tables[i] == *table => format!("d{i}.c{ci}"),
                    Bind::Row(i) => {
                        let alias = format!("j{i}_{table}");
                        let wide = wide_name(self.plan, *table);
                        scan.joins.entry(alias.clone()).or_insert_with(|| {
                            format!(
                                "LEFT JOIN {wide} {alias} ON {alias}.node = c.node AND {alias}.rk = d{i}.rk"
                            )
                        });
                        if zero {
                            format!("COALESCE({alias}.c{ci}, 0)")
                        } else {
                            format!("{alias}.c{ci}")
                        }
                    }
                }
            }
            Num::Sum { table, rows, col } => {
                let Some(ci) = self.column(*table, *col, env)? else {
                    return Ok(self.null());
                };
                match rows {
                    RowSet::Fixed(rows) => {
                        self.nv_ref(scan, *table, Agg::Rows(rows.clone(), ci), true)
                    }
                    RowSet::Level(l) => self.nv_ref(scan, *table, Agg::Level(l.digits(), ci), true),
                    // without children the sum is NULL: the instance does not apply
                    RowSet::Children(v) => match env[*v] {
                        Bind::Sym(p) => self.nv_ref(scan, *table, Agg::Children(p, ci), false),
                        Bind::Row(i) => {
                            if !self.children_tables.contains(table) {
                                self.children_tables.push(*table);
                            }
                            let alias = format!("k{i}_{table}");
                            scan.joins.entry(alias.clone()).or_insert_with(|| {
                                format!(
                                    "LEFT JOIN ch_{table} {alias} ON {alias}.node = c.node AND {alias}.prow = d{i}.rk"
                                )
                            });
                            format!("{alias}.c{ci}")
                        }
                    },
                }
            }
            Num::Neg(x) => format!("(-{})", self.num(scan, x, env)?),
            Num::Add(x, y) => format!(
                "({} + {})",
                self.num(scan, x, env)?,
                self.num(scan, y, env)?
            ),
            Num::Sub(x, y) => format!(
                "({} - {})",
                self.num(scan, x, env)?,
                self.num(scan, y, env)?
            ),
        })
    }

    /// A condition as an integer: 1 true, 0 false, NULL when the instance does not apply.
    /// Integers let and/or/-> be written with each operand once (products), where CASE over
    /// booleans would repeat both operands and grow exponentially with nesting (Spark's
    /// optimizer never finished on that), while NULL still propagates as the native engine's
    /// Skip does.
    fn cond(&mut self, scan: &mut Scan, c: &Cond, env: &[Bind]) -> Result<String, String> {
        Ok(match c {
            Cond::Cmp(op, x, y) => {
                let op = match op {
                    CmpOp::Eq => "=",
                    CmpOp::Ne => "<>",
                    CmpOp::Lt => "<",
                    CmpOp::Le => "<=",
                    CmpOp::Gt => ">",
                    CmpOp::Ge => ">=",
                };
                format!(
                    "CAST(({} {op} {}) AS INTEGER)",
                    self.num(scan, x, env)?,
                    self.num(scan, y, env)?
                )
            }
            // both sides are evaluated: either not applying skips the instance
            Cond::And(x, y) => format!(
                "({} * {})",
                self.cond(scan, x, env)?,
                self.cond(scan, y, env)?
            ),
            Cond::Or(x, y) => format!(
                "(1 - (1 - {}) * (1 - {}))",
                self.cond(scan, x, env)?,
                self.cond(scan, y, env)?
            ),
            // a false premise holds whatever the conclusion, as in the native engine
            Cond::Implies(x, y) => format!(
                "(CASE {} WHEN 0 THEN 1 WHEN 1 THEN {} END)",
                self.cond(scan, x, env)?,
                self.cond(scan, y, env)?
            ),
        })
    }
}

/// The domains of a rule: fixed lists (unrolled) or rows present in a table (scanned).
enum Domain {
    List(Vec<u32>),
    Present(u8, Option<Level>),
}

fn domain(plan: &Plan, d: &Dom) -> Domain {
    match d {
        Dom::List(v) => Domain::List(v.clone()),
        Dom::AllRows(t) => {
            let info = &plan.tables[*t as usize];
            if info.layout == Layout::Fixed && !info.fixed_rows.is_empty() {
                Domain::List(info.fixed_rows.clone())
            } else {
                Domain::Present(*t, None)
            }
        }
        Dom::Level(t, l) => Domain::Present(*t, Some(*l)),
    }
}

/// Every rule: the aggregates per node, the children sums, one scan per set of scanned
/// tables, and `failures`.
pub fn checks_sql(plan: &Plan, dialect: Dialect) -> String {
    let mut g = Gen {
        plan,
        nv: NodeValues::default(),
        children_tables: Vec::new(),
    };
    let mut scans: Vec<Scan> = Vec::new();
    let mut skipped = Vec::new();
    for rule in &plan.rules {
        if let Err(why) = rule_instances(&mut g, &mut scans, rule) {
            skipped.push(format!("-- 未编译为 SQL：{}（{why}）\n", rule.id));
        }
    }
    let mut s = String::new();
    s.extend(skipped);
    // per-node aggregates: one grouped pass over each table's wide rows, reading only the
    // rows some aggregate needs
    for (table, aggs) in &g.nv.aggs {
        let wide = wide_name(plan, *table);
        let mut rows: Vec<String> = Vec::new();
        let mut levels: Vec<usize> = Vec::new();
        let mut parents: Vec<String> = Vec::new();
        let cols: Vec<String> = aggs
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let (when, ci, f) = match a {
                    Agg::Cell(r, ci) => {
                        rows.push(lit(plan.dict.name(*r)));
                        (format!("rk = {}", lit(plan.dict.name(*r))), ci, "MAX")
                    }
                    Agg::Rows(rs, ci) => {
                        let list: Vec<String> =
                            rs.iter().map(|r| lit(plan.dict.name(*r))).collect();
                        rows.extend(list.iter().cloned());
                        (format!("rk IN ({})", list.join(", ")), ci, "SUM")
                    }
                    Agg::Level(l, ci) => {
                        levels.push(*l);
                        (format!("lvl = {l}"), ci, "SUM")
                    }
                    Agg::Children(p, ci) => {
                        parents.push(lit(plan.dict.name(*p)));
                        (format!("prow = {}", lit(plan.dict.name(*p))), ci, "SUM")
                    }
                };
                format!("{f}(CASE WHEN {when} THEN c{ci} END) AS v{table}_{i}")
            })
            .collect();
        let mut filter = Vec::new();
        for (what, list) in [("rk", &mut rows), ("prow", &mut parents)] {
            list.sort();
            list.dedup();
            if !list.is_empty() {
                filter.push(format!("{what} IN ({})", list.join(", ")));
            }
        }
        levels.sort_unstable();
        levels.dedup();
        if !levels.is_empty() {
            let l: Vec<String> = levels.iter().map(|l| l.to_string()).collect();
            filter.push(format!("lvl IN ({})", l.join(", ")));
        }
        s.push_str(&dialect.create(
            &format!("nv_{table}"),
            &format!(
                "SELECT node, {} FROM {wide} WHERE {} GROUP BY node",
                cols.join(", "),
                filter.join(" OR ")
            ),
        ));
    }
    // children sums of every row: NULL (no join partner) when a row has none
    for table in &g.children_tables {
        let info = &plan.tables[*table as usize];
        let sums: Vec<String> = (0..info.columns.len())
            .map(|i| format!("SUM(c{i}) AS c{i}"))
            .collect();
        s.push_str(&dialect.create(
            &format!("ch_{table}"),
            &format!(
                "SELECT node, prow, {} FROM {} WHERE prow <> '' GROUP BY node, prow",
                sums.join(", "),
                wide_name(plan, *table)
            ),
        ));
    }
    let text = dialect.text();
    let mut branches = Vec::new();
    for (si, scan) in scans.iter().enumerate() {
        if scan.instances.is_empty() {
            continue;
        }
        let mut cols = String::from("c.node");
        let mut from = String::from("checked c");
        for (i, t) in scan.tables.iter().enumerate() {
            let _ = write!(cols, ", d{i}.rk AS r{i}");
            let _ = write!(
                from,
                " JOIN {} d{i} ON d{i}.node = c.node",
                wide_name(plan, *t)
            );
        }
        for (i, (_, _, e)) in scan.instances.iter().enumerate() {
            let _ = write!(cols, ",\n  {e} AS f{i}");
        }
        let any: Vec<String> = (0..scan.instances.len())
            .map(|i| format!("f{i} = 0"))
            .collect();
        let joins: Vec<&str> = scan.joins.values().map(String::as_str).collect();
        // only the rows where some instance fails are kept: failures are rare
        let _ = writeln!(s, "-- scan {si}: {} instances", scan.instances.len());
        s.push_str(&dialect.create(
            &format!("bad_{si}"),
            &format!(
                "SELECT * FROM (SELECT {cols}\nFROM {from}\n{}) s\nWHERE {}",
                joins.join("\n"),
                any.join(" OR ")
            ),
        ));
        // the failed instances of this scan's few bad rows, unpivoted by one join with the
        // list of its instances: one branch per scan, where one branch per instance made
        // Spark schedule hundreds of scans (105 of its 177 s of rules at 100,000 units)
        let mut list = Vec::new();
        let mut pick = String::from("CASE i.k");
        for (i, (id, b, _)) in scan.instances.iter().enumerate() {
            let part = |x: &str| match x.strip_prefix('r') {
                Some(j) if !x.starts_with('\'') => ("''".to_string(), j.to_string()),
                _ if x.is_empty() => ("''".to_string(), "-1".to_string()),
                _ => (x.to_string(), "-1".to_string()),
            };
            let ((b0, x0), (b1, x1)) = (part(&b[0]), part(&b[1]));
            list.push(format!("({i}, {}, {b0}, {b1}, {x0}, {x1})", lit(id)));
            let _ = write!(pick, " WHEN {i} THEN b.f{i}");
        }
        pick.push_str(" END");
        let binding = |n: usize| {
            let mut e = format!("i.b{n}");
            if !scan.tables.is_empty() {
                e = format!("CASE i.x{n}");
                for j in 0..scan.tables.len() {
                    let _ = write!(e, " WHEN {j} THEN b.r{j}");
                }
                let _ = write!(e, " ELSE i.b{n} END");
            }
            // '' is "no loop variable": no row key or name is empty
            format!("NULLIF({e}, '')")
        };
        branches.push(format!(
            "SELECT b.node, i.rule, CAST({} AS {text}) AS b0, CAST({} AS {text}) AS b1\n\
             \x20 FROM bad_{si} b CROSS JOIN (VALUES {}) AS i(k, rule, b0, b1, x0, x1)\n\
             \x20 WHERE {pick} = 0",
            binding(0),
            binding(1),
            list.join(", ")
        ));
    }
    s.push_str("-- failures: one row per failed rule instance\n");
    s.push_str(&dialect.create(
        "failures",
        &format!("SELECT * FROM (\n{}\n) f", branches.join("\nUNION ALL ")),
    ));
    s
}

/// Unrolls a rule's fixed loops into instances of the scan over its present-row loops.
fn rule_instances(g: &mut Gen<'_>, scans: &mut Vec<Scan>, rule: &PlanRule) -> Result<(), String> {
    let domains: Vec<Domain> = rule.domains.iter().map(|d| domain(g.plan, d)).collect();
    let tables: Vec<u8> = domains
        .iter()
        .filter_map(|d| match d {
            Domain::Present(t, _) => Some(*t),
            Domain::List(_) => None,
        })
        .collect();
    let si = match scans.iter().position(|s| s.tables == tables) {
        Some(i) => i,
        None => {
            scans.push(Scan {
                tables: tables.clone(),
                joins: BTreeMap::new(),
                instances: Vec::new(),
            });
            scans.len() - 1
        }
    };
    // every assignment of the fixed loops; present-row loops bind to the scanned rows
    let mut envs: Vec<Vec<Bind>> = vec![Vec::new()];
    let mut scanned = 0;
    for d in &domains {
        match d {
            Domain::List(v) => {
                envs = envs
                    .into_iter()
                    .flat_map(|e| {
                        v.iter().map(move |s| {
                            let mut e = e.clone();
                            e.push(Bind::Sym(*s));
                            e
                        })
                    })
                    .collect();
            }
            Domain::Present(..) => {
                for e in &mut envs {
                    e.push(Bind::Row(scanned));
                }
                scanned += 1;
            }
        }
    }
    // the conditions under which an instance is one the rule runs: the entity, the level
    let mut when = Vec::new();
    if rule.entity_only {
        when.push("c.entity".to_string());
    }
    let mut i = 0;
    for d in &domains {
        if let Domain::Present(_, l) = d {
            if let Some(l) = l {
                when.push(format!("d{i}.lvl = {}", l.digits()));
            }
            i += 1;
        }
    }
    let mut scan = std::mem::replace(
        &mut scans[si],
        Scan {
            tables,
            joins: BTreeMap::new(),
            instances: Vec::new(),
        },
    );
    let mut out = Vec::new();
    let result = (|| {
        for env in &envs {
            let body = g.cond(&mut scan, &rule.body, env)?;
            let e = if when.is_empty() {
                body
            } else {
                format!("(CASE WHEN {} THEN {body} END)", when.join(" AND "))
            };
            let b = |k: usize| match env.get(k) {
                Some(Bind::Sym(s)) => lit(g.plan.dict.name(*s)),
                Some(Bind::Row(i)) => format!("r{i}"),
                None => String::new(),
            };
            out.push((rule.id.clone(), [b(0), b(1)], e));
        }
        Ok::<(), String>(())
    })();
    if result.is_ok() {
        scan.instances.extend(out);
    }
    scans[si] = scan;
    result
}
