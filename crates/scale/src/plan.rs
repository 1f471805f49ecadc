//! The rule catalogue compiled for exact data at scale: formulas of the check language with
//! every name resolved to a symbol, ready for the native evaluator ([`crate::native`]) and
//! the SQL compiler ([`crate::sql`]).
//!
//! Supported are the rules that read only table cells and facts with + − and comparisons,
//! and/or/->: all table, cross-table and fact rules. Rules that need texts or lists
//! (`explained`, 绩效 projects) or compare a published 部门 table with its units (builtins)
//! stay with `juesuan check` per dataset; [`Plan::skipped`] lists them with the reason.

use juesuan_check::lang::{ArithOp, CellRef, CmpOp, ColSel, Domain, Expr, RowSel};
use juesuan_check::{Catalogue, Check, Scope};
use juesuan_model::{CodeLevel, DocKind, Layout, Template};
use std::collections::HashMap;

/// Interned strings: row keys, column names, codes.
#[derive(Default, Debug, Clone)]
pub struct Dict {
    names: Vec<String>,
    index: HashMap<String, u32>,
}

impl Dict {
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(s.to_string());
        self.index.insert(s.to_string(), i);
        i
    }

    pub fn get(&self, s: &str) -> Option<u32> {
        self.index.get(s).copied()
    }

    pub fn name(&self, i: u32) -> &str {
        &self.names[i as usize]
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// A cell's key: table index, row symbol, column symbol. Sorting by key groups a node's
/// cells by table, then row.
pub fn cell_key(table: u8, row: u32, col: u32) -> u64 {
    (table as u64) << 48 | (row as u64) << 24 | col as u64
}

pub fn key_table(k: u64) -> u8 {
    (k >> 48) as u8
}

pub fn key_row(k: u64) -> u32 {
    ((k >> 24) & 0xff_ffff) as u32
}

pub fn key_col(k: u64) -> u32 {
    (k & 0xff_ffff) as u32
}

/// What a table is at scale.
#[derive(Debug, Clone)]
pub struct TableInfo {
    pub id: String,
    pub layout: Layout,
    /// Required columns (symbols): the columns a node's table has. Comparative columns are not
    /// part of the long format at scale.
    pub columns: Vec<u32>,
    /// Rows of a fixed table, in template order (symbols).
    pub fixed_rows: Vec<u32>,
    /// Whether an absent row reads as zero (the nine tables) or as not given (facts).
    pub absent_is_zero: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Class,
    Section,
    Item,
}

impl Level {
    pub fn digits(self) -> usize {
        match self {
            Level::Class => 3,
            Level::Section => 5,
            Level::Item => 7,
        }
    }
}

/// A row or column reference: a fixed symbol or a loop variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ref {
    Sym(u32),
    Var(usize),
}

#[derive(Debug, Clone)]
pub enum RowSet {
    /// Rows present at a code level.
    Level(Level),
    /// Present rows one level below the row bound to a variable.
    Children(usize),
    /// Fixed rows (a group or a range of a fixed table).
    Fixed(Vec<u32>),
}

#[derive(Debug, Clone)]
pub enum Num {
    Const(i64),
    Cell { table: u8, row: Ref, col: Ref },
    Sum { table: u8, rows: RowSet, col: Ref },
    Neg(Box<Num>),
    Add(Box<Num>, Box<Num>),
    Sub(Box<Num>, Box<Num>),
}

#[derive(Debug, Clone)]
pub enum Cond {
    Cmp(CmpOp, Num, Num),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
    Implies(Box<Cond>, Box<Cond>),
}

#[derive(Debug, Clone)]
pub enum Dom {
    /// Every row of a table: a fixed table's template rows, else the rows present.
    AllRows(u8),
    /// Rows of a table present at a level.
    Level(u8, Level),
    /// A fixed list of symbols (a group, a literal list, a table's columns).
    List(Vec<u32>),
}

#[derive(Debug, Clone)]
pub struct PlanRule {
    pub id: String,
    pub severity: String,
    pub entity_only: bool,
    pub vars: Vec<String>,
    pub domains: Vec<Dom>,
    pub body: Cond,
}

/// The compiled catalogue.
#[derive(Debug, Clone)]
pub struct Plan {
    pub year: i32,
    pub dict: Dict,
    pub tables: Vec<TableInfo>,
    pub rules: Vec<PlanRule>,
    /// Rules not run at scale, with why.
    pub skipped: Vec<(String, String)>,
}

impl Plan {
    pub fn table_index(&self, id: &str) -> Option<u8> {
        self.tables.iter().position(|t| t.id == id).map(|i| i as u8)
    }

    /// Compiles the catalogue of a year.
    pub fn for_year(year: i32) -> Result<Plan, String> {
        Plan::for_kind(DocKind::Final, year)
    }

    /// Compiles the catalogue of a document kind (决算 or 预算) and year.
    pub fn for_kind(kind: DocKind, year: i32) -> Result<Plan, String> {
        let template = Template::for_kind(kind, year)?;
        let catalogue = Catalogue::for_kind(kind, year)?;
        let mut dict = Dict::default();
        // every code and row key gets a symbol up front, so data never adds symbols
        for e in template.functional.iter().chain(template.economic.iter()) {
            dict.intern(&e.code);
        }
        dict.intern("合计");
        let tables: Vec<TableInfo> = template
            .tables
            .iter()
            .map(|t| TableInfo {
                id: t.id.clone(),
                layout: t.layout,
                columns: t.columns.iter().map(|c| dict.intern(c)).collect(),
                fixed_rows: t.rows.iter().map(|r| dict.intern(&r.key)).collect(),
                absent_is_zero: t.id != "F",
            })
            .collect();
        let mut plan = Plan {
            year,
            dict,
            tables,
            rules: Vec::new(),
            skipped: Vec::new(),
        };
        for rule in &catalogue.rules {
            let Check::Formula(f) = &rule.check else {
                plan.skipped.push((
                    rule.id.clone(),
                    "比较公布的部门表与单位汇总，按数据集检查".into(),
                ));
                continue;
            };
            let mut c = Compiler {
                plan: &mut plan,
                template,
                vars: f.bindings.iter().map(|(v, _)| v.clone()).collect(),
            };
            let compiled = f
                .bindings
                .iter()
                .map(|(_, d)| c.domain(d))
                .collect::<Result<Vec<_>, _>>()
                .and_then(|domains| Ok((domains, c.cond(&f.body)?)));
            match compiled {
                Ok((domains, body)) => plan.rules.push(PlanRule {
                    id: rule.id.clone(),
                    severity: format!("{:?}", rule.severity).to_lowercase(),
                    entity_only: rule.scope == Scope::Entity,
                    vars: f.bindings.iter().map(|(v, _)| v.clone()).collect(),
                    domains,
                    body,
                }),
                Err(why) => plan.skipped.push((rule.id.clone(), why)),
            }
        }
        Ok(plan)
    }
}

struct Compiler<'a> {
    plan: &'a mut Plan,
    template: &'a Template,
    vars: Vec<String>,
}

fn level(l: CodeLevel) -> Level {
    match l {
        CodeLevel::Class => Level::Class,
        CodeLevel::Section => Level::Section,
        CodeLevel::Item => Level::Item,
    }
}

impl Compiler<'_> {
    fn table(&self, id: &str) -> Result<u8, String> {
        self.plan
            .table_index(id)
            .ok_or_else(|| format!("未知的表 {id}"))
    }

    fn var(&self, name: &str) -> Option<usize> {
        self.vars.iter().rposition(|v| v == name)
    }

    fn name_ref(&mut self, name: &str) -> Ref {
        match self.var(name) {
            Some(i) => Ref::Var(i),
            None => Ref::Sym(self.plan.dict.intern(name)),
        }
    }

    fn fixed_rows(&mut self, table: &str, sel: &RowSel) -> Result<Vec<u32>, String> {
        let def = self
            .template
            .table(table)
            .ok_or_else(|| format!("未知的表 {table}"))?;
        let keys: Vec<&str> = def.rows.iter().map(|r| r.key.as_str()).collect();
        let picked: Vec<&str> = match sel {
            RowSel::Group(g) => def
                .rows
                .iter()
                .filter(|r| r.group.as_deref() == Some(g))
                .map(|r| r.key.as_str())
                .collect(),
            RowSel::Range(a, b) => {
                let (Some(i), Some(j)) = (
                    keys.iter().position(|k| k == a),
                    keys.iter().position(|k| k == b),
                ) else {
                    return Ok(Vec::new());
                };
                keys[i.min(j)..=i.max(j)].to_vec()
            }
            _ => return Err("不支持的行选择".into()),
        };
        Ok(picked
            .into_iter()
            .map(|k| self.plan.dict.intern(k))
            .collect())
    }

    fn domain(&mut self, d: &Domain) -> Result<Dom, String> {
        Ok(match d {
            Domain::List(items) => {
                Dom::List(items.iter().map(|i| self.plan.dict.intern(i)).collect())
            }
            Domain::Columns(t) => {
                let ti = self.table(t)?;
                Dom::List(self.plan.tables[ti as usize].columns.clone())
            }
            Domain::Rows(t, None) => Dom::AllRows(self.table(t)?),
            Domain::Rows(t, Some(RowSel::Level(l))) => Dom::Level(self.table(t)?, level(*l)),
            Domain::Rows(t, Some(sel @ (RowSel::Group(_) | RowSel::Range(..)))) => {
                if self.template.table(t).map(|d| d.layout) != Some(Layout::Fixed) {
                    return Err("非固定表的行范围".into());
                }
                Dom::List(self.fixed_rows(t, sel)?)
            }
            Domain::Rows(..) => return Err("不支持的循环范围".into()),
        })
    }

    fn col(&mut self, table: &str, c: &ColSel) -> Result<Ref, String> {
        Ok(match c {
            ColSel::Key(k) => self.name_ref(k),
            ColSel::Var(v) => Ref::Var(self.var(v).ok_or_else(|| format!("未绑定的变量 {v}"))?),
            ColSel::Default => {
                let first = self
                    .template
                    .table(table)
                    .and_then(|d| d.columns.first())
                    .ok_or("表没有栏目")?
                    .clone();
                Ref::Sym(self.plan.dict.intern(&first))
            }
        })
    }

    fn num(&mut self, e: &Expr) -> Result<Num, String> {
        Ok(match e {
            Expr::Num(r) => {
                if r.denom() != 1 {
                    return Err("非整数常数".into());
                }
                Num::Const(i64::try_from(r.numer()).map_err(|_| "常数过大")?)
            }
            Expr::Cell(c) => self.cell(c)?,
            Expr::Sum(c) => {
                let table = self.table(&c.table)?;
                if !self.plan.tables[table as usize].absent_is_zero {
                    return Err("补充信息的求和按数据集检查".into());
                }
                let rows = match &c.row {
                    RowSel::Level(l) => RowSet::Level(level(*l)),
                    RowSel::Children(v) => {
                        RowSet::Children(self.var(v).ok_or_else(|| format!("未绑定的变量 {v}"))?)
                    }
                    sel @ (RowSel::Group(_) | RowSel::Range(..))
                        if self.template.table(&c.table).map(|d| d.layout)
                            == Some(Layout::Fixed) =>
                    {
                        RowSet::Fixed(self.fixed_rows(&c.table, sel)?)
                    }
                    _ => return Err("不支持的求和范围".into()),
                };
                Num::Sum {
                    table,
                    rows,
                    col: self.col(&c.table, &c.col)?,
                }
            }
            Expr::Neg(a) => Num::Neg(Box::new(self.num(a)?)),
            Expr::Arith(ArithOp::Add, a, b) => {
                Num::Add(Box::new(self.num(a)?), Box::new(self.num(b)?))
            }
            Expr::Arith(ArithOp::Sub, a, b) => {
                Num::Sub(Box::new(self.num(a)?), Box::new(self.num(b)?))
            }
            Expr::Arith(..) | Expr::Abs(_) => return Err("乘除与绝对值只按数据集检查".into()),
            Expr::Explained { .. } => return Err("变动原因是文字，按数据集检查".into()),
            Expr::CountProjects(_) | Expr::SumProjects(..) | Expr::DuplicateProjects => {
                return Err("绩效项目清单按数据集检查".into())
            }
            _ => return Err("不是数值".into()),
        })
    }

    fn cell(&mut self, c: &CellRef) -> Result<Num, String> {
        let table = self.table(&c.table)?;
        let row = match &c.row {
            RowSel::Key(k) => self.name_ref(k),
            RowSel::Var(v) => Ref::Var(self.var(v).ok_or_else(|| format!("未绑定的变量 {v}"))?),
            _ => return Err("单元格需要一行".into()),
        };
        Ok(Num::Cell {
            table,
            row,
            col: self.col(&c.table, &c.col)?,
        })
    }

    fn cond(&mut self, e: &Expr) -> Result<Cond, String> {
        Ok(match e {
            Expr::Cmp(op, a, b) => Cond::Cmp(*op, self.num(a)?, self.num(b)?),
            Expr::And(a, b) => Cond::And(Box::new(self.cond(a)?), Box::new(self.cond(b)?)),
            Expr::Or(a, b) => Cond::Or(Box::new(self.cond(a)?), Box::new(self.cond(b)?)),
            Expr::Implies(a, b) => Cond::Implies(Box::new(self.cond(a)?), Box::new(self.cond(b)?)),
            Expr::Explained { .. } => return Err("变动原因是文字，按数据集检查".into()),
            _ => return Err("规则主体不是条件".into()),
        })
    }
}
