//! The formula language of the rule catalogue, in the spirit of the 审核公式 finance
//! departments write:
//!
//! ```text
//! for c in columns(T2): T2[合计; c] = sum(T2[类; c])
//! for r in rows(T5, 款): T5[r; 合计] = sum(T5[children(r); 合计])
//! T1[本年收入合计] = sum(T1[@收入项目])
//! for r in rows(T5, 项): explained(年初预算, T5[r; 合计], T5[r; 年初预算])
//! F[采购.中小企业] > 0 -> F[采购.小微企业] <= F[采购.中小企业]
//! ```
//!
//! A cell is `TABLE[row; column]`; the column may be left out when the table has one
//! required column. Row selectors: a key (code or item name), a bound variable, a range
//! `a..b` in table order, a group `@name` from the template, a level `类`/`款`/`项`, or
//! `children(r)`. Operators: + − × ÷, = != < <= > >=, and, or, -> (implies).

use juesuan_model::{CodeLevel, Ratio};

#[derive(Clone, Debug, PartialEq)]
pub enum RowSel {
    Key(String),
    Var(String),
    Range(String, String),
    Group(String),
    Level(CodeLevel),
    Children(String),
}

impl RowSel {
    pub fn is_set(&self) -> bool {
        !matches!(self, RowSel::Key(_) | RowSel::Var(_))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ColSel {
    Key(String),
    Var(String),
    /// The table's only required column.
    Default,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CellRef {
    pub table: String,
    pub row: RowSel,
    pub col: ColSel,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "≠",
            CmpOp::Lt => "<",
            CmpOp::Le => "≤",
            CmpOp::Gt => ">",
            CmpOp::Ge => "≥",
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Num(Ratio),
    Cell(CellRef),
    Sum(CellRef),
    Neg(Box<Expr>),
    Arith(ArithOp, Box<Expr>, Box<Expr>),
    Abs(Box<Expr>),
    Cmp(CmpOp, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Implies(Box<Expr>, Box<Expr>),
    /// `explained(年初预算|上年决算, current, base)`: a material change has a 变动原因.
    Explained {
        against: String,
        current: CellRef,
        base: CellRef,
    },
    /// `count_projects(fund)`
    CountProjects(String),
    /// `sum_projects(fund, budget|executed)`
    SumProjects(String, String),
    /// `duplicate_projects()`: how many listed projects repeat an earlier name.
    DuplicateProjects,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Domain {
    Rows(String, Option<RowSel>),
    Columns(String),
    List(Vec<String>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Formula {
    pub bindings: Vec<(String, Domain)>,
    pub body: Expr,
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    Num(String),
    Sym(&'static str),
}

const SYMS: [&str; 19] = [
    "->", "..", "<=", ">=", "!=", "[", "]", "(", ")", ";", ",", ":", "+", "-", "*", "/", "=", "<",
    ">",
];

fn lex(src: &str) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    let chars: Vec<char> = src.chars().collect();
    let mut i = 0;
    let special = |c: char| "[]();,:+*/=<>!{}-".contains(c) || c.is_whitespace();
    'outer: while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        for s in SYMS {
            let n = s.chars().count();
            if chars[i..].iter().take(n).copied().eq(s.chars()) {
                out.push(Tok::Sym(s));
                i += n;
                continue 'outer;
            }
        }
        if "{}".contains(c) {
            out.push(Tok::Sym(if c == '{' { "{" } else { "}" }));
            i += 1;
            continue;
        }
        if c == '!' {
            return Err(format!("位置 {i}：未知符号“!”"));
        }
        let start = i;
        if c.is_ascii_digit() {
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if i + 1 < chars.len() && chars[i] == '.' && chars[i + 1].is_ascii_digit() {
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            // a code followed by letters is an identifier (e.g. 30217a), else a number
            if i >= chars.len() || special(chars[i]) || chars[i] == '.' {
                out.push(Tok::Num(chars[start..i].iter().collect()));
                continue;
            }
        }
        while i < chars.len()
            && !special(chars[i])
            && !(chars[i] == '.' && chars.get(i + 1) == Some(&'.'))
        {
            i += 1;
        }
        out.push(Tok::Ident(chars[start..i].iter().collect()));
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

pub fn parse(src: &str) -> Result<Formula, String> {
    let mut p = Parser {
        toks: lex(src)?,
        pos: 0,
    };
    let f = p.formula()?;
    if p.pos != p.toks.len() {
        return Err(format!("多余的内容：{:?}", &p.toks[p.pos..]));
    }
    Ok(f)
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn is_sym(&self, s: &str) -> bool {
        matches!(self.peek(), Some(Tok::Sym(x)) if *x == s)
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(x)) if x == w)
    }

    fn eat_sym(&mut self, s: &str) -> bool {
        let hit = self.is_sym(s);
        if hit {
            self.pos += 1;
        }
        hit
    }

    fn expect_sym(&mut self, s: &str) -> Result<(), String> {
        if self.eat_sym(s) {
            Ok(())
        } else {
            Err(format!("应为“{s}”，实为 {:?}", self.peek()))
        }
    }

    /// An identifier or a number used as a name (row keys are often codes).
    fn word(&mut self) -> Result<String, String> {
        match self.toks.get(self.pos).cloned() {
            Some(Tok::Ident(s)) | Some(Tok::Num(s)) => {
                self.pos += 1;
                Ok(s)
            }
            other => Err(format!("应为名称，实为 {other:?}")),
        }
    }

    fn formula(&mut self) -> Result<Formula, String> {
        let mut bindings = Vec::new();
        if self.is_word("for") {
            self.pos += 1;
            loop {
                let var = self.word()?;
                if !self.is_word("in") {
                    return Err("for 之后应为“变量 in 范围”".into());
                }
                self.pos += 1;
                bindings.push((var, self.domain()?));
                if !self.eat_sym(",") {
                    break;
                }
            }
            self.expect_sym(":")?;
        }
        Ok(Formula {
            bindings,
            body: self.implies()?,
        })
    }

    fn domain(&mut self) -> Result<Domain, String> {
        if self.eat_sym("{") {
            let mut items = vec![self.word()?];
            while self.eat_sym(",") {
                items.push(self.word()?);
            }
            self.expect_sym("}")?;
            return Ok(Domain::List(items));
        }
        let f = self.word()?;
        self.expect_sym("(")?;
        let table = self.word()?;
        let d = match f.as_str() {
            "rows" => {
                let sel = if self.eat_sym(",") {
                    Some(self.row_sel()?)
                } else {
                    None
                };
                Domain::Rows(table, sel)
            }
            "columns" => Domain::Columns(table),
            other => return Err(format!("未知的范围“{other}”（可用 rows、columns、{{…}}）")),
        };
        self.expect_sym(")")?;
        Ok(d)
    }

    fn implies(&mut self) -> Result<Expr, String> {
        let a = self.or()?;
        if self.eat_sym("->") {
            let b = self.or()?;
            return Ok(Expr::Implies(Box::new(a), Box::new(b)));
        }
        Ok(a)
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut a = self.and()?;
        while self.is_word("or") {
            self.pos += 1;
            a = Expr::Or(Box::new(a), Box::new(self.and()?));
        }
        Ok(a)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut a = self.cmp()?;
        while self.is_word("and") {
            self.pos += 1;
            a = Expr::And(Box::new(a), Box::new(self.cmp()?));
        }
        Ok(a)
    }

    fn cmp(&mut self) -> Result<Expr, String> {
        let a = self.sum()?;
        let op = [
            ("=", CmpOp::Eq),
            ("!=", CmpOp::Ne),
            ("<=", CmpOp::Le),
            (">=", CmpOp::Ge),
            ("<", CmpOp::Lt),
            (">", CmpOp::Gt),
        ]
        .into_iter()
        .find(|(s, _)| self.is_sym(s));
        match op {
            Some((_, op)) => {
                self.pos += 1;
                Ok(Expr::Cmp(op, Box::new(a), Box::new(self.sum()?)))
            }
            None => Ok(a),
        }
    }

    fn sum(&mut self) -> Result<Expr, String> {
        let mut a = self.product()?;
        loop {
            let op = if self.eat_sym("+") {
                ArithOp::Add
            } else if self.eat_sym("-") {
                ArithOp::Sub
            } else {
                return Ok(a);
            };
            a = Expr::Arith(op, Box::new(a), Box::new(self.product()?));
        }
    }

    fn product(&mut self) -> Result<Expr, String> {
        let mut a = self.unary()?;
        loop {
            let op = if self.eat_sym("*") {
                ArithOp::Mul
            } else if self.eat_sym("/") {
                ArithOp::Div
            } else {
                return Ok(a);
            };
            a = Expr::Arith(op, Box::new(a), Box::new(self.unary()?));
        }
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if self.eat_sym("-") {
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Expr, String> {
        if self.eat_sym("(") {
            let e = self.implies()?;
            self.expect_sym(")")?;
            return Ok(e);
        }
        match self.toks.get(self.pos).cloned() {
            Some(Tok::Num(n)) => {
                self.pos += 1;
                parse_number(&n).map(Expr::Num)
            }
            Some(Tok::Ident(name)) => {
                self.pos += 1;
                if self.is_sym("[") {
                    let cell = self.cell_rest(name)?;
                    if cell.row.is_set() {
                        return Err(format!("{}[…] 选了多行，应写成 sum(…)", cell.table));
                    }
                    return Ok(Expr::Cell(cell));
                }
                self.expect_sym("(")?;
                let e = self.call(&name)?;
                self.expect_sym(")")?;
                Ok(e)
            }
            other => Err(format!("应为数值或单元格，实为 {other:?}")),
        }
    }

    fn cell(&mut self) -> Result<CellRef, String> {
        let t = self.word()?;
        self.cell_rest(t)
    }

    fn cell_rest(&mut self, table: String) -> Result<CellRef, String> {
        self.expect_sym("[")?;
        let row = self.row_sel()?;
        let col = if self.eat_sym(";") {
            let w = self.word()?;
            ColSel::Key(w)
        } else {
            ColSel::Default
        };
        self.expect_sym("]")?;
        Ok(CellRef { table, row, col })
    }

    fn row_sel(&mut self) -> Result<RowSel, String> {
        let w = self.word()?;
        if let Some(g) = w.strip_prefix('@') {
            return Ok(RowSel::Group(g.to_string()));
        }
        if let Some(level) = CodeLevel::from_chinese(&w) {
            return Ok(RowSel::Level(level));
        }
        if w == "children" && self.eat_sym("(") {
            let v = self.word()?;
            self.expect_sym(")")?;
            return Ok(RowSel::Children(v));
        }
        if self.eat_sym("..") {
            return Ok(RowSel::Range(w, self.word()?));
        }
        Ok(RowSel::Key(w))
    }

    fn call(&mut self, name: &str) -> Result<Expr, String> {
        match name {
            "sum" => {
                let c = self.cell()?;
                Ok(if c.row.is_set() {
                    Expr::Sum(c)
                } else {
                    Expr::Cell(c)
                })
            }
            "abs" => Ok(Expr::Abs(Box::new(self.implies()?))),
            "explained" => {
                let against = self.word()?;
                self.expect_sym(",")?;
                let current = self.cell()?;
                self.expect_sym(",")?;
                let base = self.cell()?;
                Ok(Expr::Explained {
                    against,
                    current,
                    base,
                })
            }
            "count_projects" => Ok(Expr::CountProjects(self.word()?)),
            "sum_projects" => {
                let fund = self.word()?;
                self.expect_sym(",")?;
                let field = self.word()?;
                if field != "budget" && field != "executed" {
                    return Err("sum_projects 的第二项应为 budget 或 executed".into());
                }
                Ok(Expr::SumProjects(fund, field))
            }
            "duplicate_projects" => Ok(Expr::DuplicateProjects),
            other => Err(format!("未知的函数“{other}”")),
        }
    }
}

fn parse_number(s: &str) -> Result<Ratio, String> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = format!("{int}{frac}");
    let num: i128 = digits.parse().map_err(|_| format!("数字“{s}”有误"))?;
    Ratio::new(num, 10i128.pow(frac.len() as u32)).ok_or_else(|| format!("数字“{s}”有误"))
}

/// Visits every cell reference of an expression.
pub fn cell_refs<'a>(e: &'a Expr, out: &mut Vec<&'a CellRef>) {
    match e {
        Expr::Cell(c) | Expr::Sum(c) => out.push(c),
        Expr::Explained { current, base, .. } => {
            out.push(current);
            out.push(base);
        }
        Expr::Neg(a) | Expr::Abs(a) => cell_refs(a, out),
        Expr::Arith(_, a, b)
        | Expr::Cmp(_, a, b)
        | Expr::And(a, b)
        | Expr::Or(a, b)
        | Expr::Implies(a, b) => {
            cell_refs(a, out);
            cell_refs(b, out);
        }
        Expr::Num(_) | Expr::CountProjects(_) | Expr::SumProjects(..) | Expr::DuplicateProjects => {
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_shapes_the_catalogue_uses() {
        let f = parse("for c in columns(T2): T2[合计; c] = sum(T2[类; c])").unwrap();
        assert_eq!(f.bindings, vec![("c".into(), Domain::Columns("T2".into()))]);
        let f = parse("T1[本年收入合计] = sum(T1[一般公共预算财政拨款收入..其他收入])").unwrap();
        match f.body {
            Expr::Cmp(CmpOp::Eq, a, b) => {
                assert!(matches!(
                    *a,
                    Expr::Cell(CellRef {
                        col: ColSel::Default,
                        ..
                    })
                ));
                assert!(matches!(
                    *b,
                    Expr::Sum(CellRef {
                        row: RowSel::Range(..),
                        ..
                    })
                ));
            }
            other => panic!("{other:?}"),
        }
        let f = parse("for r in rows(T5, 款): T5[r; 合计] = sum(T5[children(r); 合计])").unwrap();
        assert_eq!(
            f.bindings[0].1,
            Domain::Rows("T5".into(), Some(RowSel::Level(CodeLevel::Section)))
        );
        parse("F[采购.中小企业] > 0 -> F[采购.小微企业] <= F[采购.中小企业]").unwrap();
        parse("T7[合计; 决算数] = T7[因公出国（境）费; 决算数] + T7[公务用车购置及运行维护费; 决算数]").unwrap();
        parse(
            "for r in {2040601, 2040602}: T5[r; 合计] >= 0 and T5[r; 合计] <= 2 * T5[r; 年初预算]",
        )
        .unwrap();
        parse("duplicate_projects() = 0").unwrap();
    }

    #[test]
    fn rejects_malformed_formulas() {
        assert!(parse("T1[本年收入合计] = ").is_err());
        assert!(parse("T1[@收入项目] = 0").unwrap_err().contains("sum"));
        assert!(parse("foo(1)").unwrap_err().contains("未知的函数"));
        assert!(parse("T1[a] = 1 1").is_err());
    }
}
