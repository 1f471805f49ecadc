//! The long format at scale: `nodes` (the region tree) and `amounts` (one record per node,
//! table, row, column), as CSV files any engine can read (docs/scale.md), and in memory as
//! each node's cells sorted by key.

use crate::plan::{cell_key, key_col, key_row, key_table, Plan};
use juesuan_model::{AmountUnit, Region, RegionChild};
use rayon::prelude::*;
use std::io::Write;
use std::path::Path;

/// Bytes of amounts.csv parsed at a time.
const BLOCK: usize = 64 << 20;

/// One amount record: node, cell key, amount in 分.
type Record = (u32, u64, i64);

/// 地区, 部门 or 单位.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeLevel {
    Region,
    Department,
    Unit,
}

impl NodeLevel {
    pub fn chinese(self) -> &'static str {
        match self {
            NodeLevel::Region => "地区",
            NodeLevel::Department => "部门",
            NodeLevel::Unit => "单位",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<NodeLevel> {
        match s {
            "地区" => Some(NodeLevel::Region),
            "部门" => Some(NodeLevel::Department),
            "单位" => Some(NodeLevel::Unit),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NodeRow {
    pub parent: Option<u32>,
    pub level: NodeLevel,
    pub name: String,
    /// 行政区划代码 of a region, the unit id of a unit.
    pub code: String,
}

/// A region in the long format. Node ids are indices into `nodes`; parents come before
/// children. `cells[i]` holds node i's cells sorted by key: units their nine tables,
/// departments their facts (table F); consolidation fills in the rest.
#[derive(Debug, Clone)]
pub struct LongData {
    pub nodes: Vec<NodeRow>,
    pub cells: Vec<Vec<(u64, i64)>>,
}

impl LongData {
    /// Number of amount records.
    pub fn records(&self) -> usize {
        self.cells.iter().map(Vec::len).sum()
    }

    /// The long form of a loaded region. Only exact (元) datasets: at scale every amount is an
    /// integer number of 分.
    pub fn from_region(region: &Region, plan: &Plan) -> Result<LongData, String> {
        let mut data = LongData {
            nodes: Vec::new(),
            cells: Vec::new(),
        };
        data.add_region(region, None, plan)?;
        Ok(data)
    }

    fn push(&mut self, parent: Option<u32>, level: NodeLevel, name: &str, code: &str) -> u32 {
        self.nodes.push(NodeRow {
            parent,
            level,
            name: name.to_string(),
            code: code.to_string(),
        });
        self.cells.push(Vec::new());
        (self.nodes.len() - 1) as u32
    }

    fn add_region(&mut self, r: &Region, parent: Option<u32>, plan: &Plan) -> Result<(), String> {
        let id = self.push(parent, NodeLevel::Region, &r.name, &r.code);
        for c in &r.children {
            match c {
                RegionChild::Region(sub) => self.add_region(sub, Some(id), plan)?,
                RegionChild::Department(d) => {
                    if d.entity.unit != AmountUnit::Yuan {
                        return Err(format!(
                            "{}：金额单位为万元；大规模检查只接受以元为单位的精确数据",
                            d.entity.name
                        ));
                    }
                    let dep = self.push(Some(id), NodeLevel::Department, &d.entity.name, "");
                    self.cells[dep as usize] = table_cells(plan, "F", &d.facts)?;
                    for u in &d.units {
                        let uid = self.push(Some(dep), NodeLevel::Unit, &u.name, &u.id);
                        let mut cells = Vec::new();
                        for t in u.tables.tables.values() {
                            cells.extend(table_cells(plan, &t.id, t)?);
                        }
                        cells.sort_unstable();
                        self.cells[uid as usize] = cells;
                    }
                }
            }
        }
        Ok(())
    }

    /// Writes `nodes.csv` and `amounts.csv` into `dir`.
    pub fn write_csv(&self, dir: &Path, plan: &Plan) -> Result<(), String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("无法创建 {}：{e}", dir.display()))?;
        let open = |name: &str| {
            let p = dir.join(name);
            std::fs::File::create(&p)
                .map(|f| std::io::BufWriter::with_capacity(1 << 20, f))
                .map_err(|e| format!("无法写入 {}：{e}", p.display()))
        };
        let (mut nodes, mut amounts) = (open("nodes.csv")?, open("amounts.csv")?);
        let io = |e: std::io::Error| format!("写入失败：{e}");
        nodes
            .write_all(b"node,parent,level,name,code\n")
            .map_err(io)?;
        amounts
            .write_all(b"node,tbl,row,col,amount\n")
            .map_err(io)?;
        for (i, n) in self.nodes.iter().enumerate() {
            write_node(&mut nodes, i, n).map_err(io)?;
            write_cells(&mut amounts, plan, i, &self.cells[i]).map_err(io)?;
        }
        nodes.flush().map_err(io)?;
        amounts.flush().map_err(io)
    }

    /// Reads the long format from `dir`: `nodes.parquet` + `amounts.parquet` when both are
    /// there, else `nodes.csv` + `amounts.csv`.
    pub fn read_dir(dir: &Path, plan: &Plan) -> Result<LongData, String> {
        if dir.join("amounts.parquet").is_file() && dir.join("nodes.parquet").is_file() {
            Self::read_parquet(dir, plan)
        } else {
            Self::read_csv(dir, plan)
        }
    }

    /// Reads `nodes.csv` and `amounts.csv` from `dir`. Every unknown table, row or column is
    /// an error with its line.
    pub fn read_csv(dir: &Path, plan: &Plan) -> Result<LongData, String> {
        Self::read_csv_blocks(dir, plan, BLOCK)
    }

    /// [`LongData::read_csv`] reading `block` bytes at a time (tests use small blocks to
    /// cross line boundaries).
    #[doc(hidden)]
    pub fn read_csv_blocks(dir: &Path, plan: &Plan, block: usize) -> Result<LongData, String> {
        let read = |name: &str| {
            let p = dir.join(name);
            std::fs::read_to_string(&p).map_err(|e| format!("无法读取 {}：{e}", p.display()))
        };
        let nodes_text = read("nodes.csv")?;
        let mut nodes = Vec::new();
        for (i, line) in nodes_text.lines().enumerate().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            let bad = |what: &str| format!("nodes.csv 第{}行：{what}", i + 1);
            if f.len() != 5 {
                return Err(bad("应有 5 列：node,parent,level,name,code"));
            }
            if f[0].parse::<usize>().ok() != Some(nodes.len()) {
                return Err(bad("node 应从 0 起连续编号"));
            }
            let parent = match f[1] {
                "" => None,
                p => Some(
                    p.parse::<u32>()
                        .ok()
                        .filter(|p| (*p as usize) < nodes.len())
                        .ok_or_else(|| bad("parent 应为前面出现过的 node"))?,
                ),
            };
            nodes.push(NodeRow {
                parent,
                level: NodeLevel::parse(f[2])
                    .ok_or_else(|| bad("level 应为 地区、部门 或 单位"))?,
                name: f[3].to_string(),
                code: f[4].to_string(),
            });
        }
        // read in blocks of whole lines, each parsed in parallel: memory stays at a few
        // blocks beyond the cells themselves, whatever the file size
        let path = dir.join("amounts.csv");
        let mut file =
            std::fs::File::open(&path).map_err(|e| format!("无法读取 {}：{e}", path.display()))?;
        let tables: Vec<&str> = plan.tables.iter().map(|t| t.id.as_str()).collect();
        let mut cells: Vec<Vec<(u64, i64)>> = vec![Vec::new(); nodes.len()];
        let mut buf: Vec<u8> = Vec::new();
        let mut line_no = 0usize; // lines consumed before `buf`
        let mut eof = false;
        while !eof {
            let start = buf.len();
            buf.resize(start + block.max(1), 0);
            let mut filled = start;
            while filled < buf.len() {
                match std::io::Read::read(&mut file, &mut buf[filled..]) {
                    Ok(0) => {
                        eof = true;
                        break;
                    }
                    Ok(n) => filled += n,
                    Err(e) => return Err(format!("无法读取 {}：{e}", path.display())),
                }
            }
            buf.truncate(filled);
            let cut = if eof {
                buf.len()
            } else {
                match buf.iter().rposition(|b| *b == b'\n') {
                    Some(i) => i + 1,
                    None => continue,
                }
            };
            let text = std::str::from_utf8(&buf[..cut])
                .map_err(|_| format!("amounts.csv 第{}行附近：不是 UTF-8 文本", line_no + 1))?;
            let (skip, body) = if line_no == 0 {
                (1, text.split_once('\n').map(|(_, b)| b).unwrap_or(""))
            } else {
                (0, text)
            };
            let base = line_no + skip;
            let chunks = split_lines(body, rayon::current_num_threads() * 4);
            let parsed: Vec<Result<Vec<Record>, String>> = chunks
                .par_iter()
                .map(|(first_line, chunk)| {
                    let mut out = Vec::with_capacity(chunk.len() / 30);
                    for (j, line) in chunk.lines().enumerate() {
                        let bad = |what: &str| {
                            format!("amounts.csv 第{}行：{what}", base + first_line + j + 1)
                        };
                        let mut f = line.split(',');
                        let (Some(n), Some(t), Some(r), Some(c), Some(a), None) =
                            (f.next(), f.next(), f.next(), f.next(), f.next(), f.next())
                        else {
                            return Err(bad("应有 5 列：node,tbl,row,col,amount"));
                        };
                        let node = n
                            .parse::<u32>()
                            .ok()
                            .filter(|n| (*n as usize) < nodes.len())
                            .ok_or_else(|| bad("未知的 node"))?;
                        let t = tables
                            .iter()
                            .position(|x| *x == t)
                            .ok_or_else(|| bad("未知的表"))?;
                        let r = plan
                            .dict
                            .get(r)
                            .ok_or_else(|| bad("未知的行（科目编码或项目）"))?;
                        let c = plan.dict.get(c).ok_or_else(|| bad("未知的栏目"))?;
                        let a = a.parse::<i64>().map_err(|_| bad("amount 应为整数（分）"))?;
                        out.push((node, cell_key(t as u8, r, c), a));
                    }
                    Ok(out)
                })
                .collect();
            for part in parsed {
                for (n, k, a) in part? {
                    cells[n as usize].push((k, a));
                }
            }
            line_no += text.bytes().filter(|b| *b == b'\n').count();
            buf.drain(..cut);
        }
        cells.par_iter_mut().for_each(|c| c.sort_unstable());
        Ok(LongData { nodes, cells })
    }
}

/// Splits text into about `n` pieces at line ends; each with the index of its first line.
fn split_lines(text: &str, n: usize) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let size = text.len() / n.max(1) + 1;
    let mut start = 0;
    let mut line = 0;
    while start < text.len() {
        let mut end = (start + size).min(text.len());
        while end < text.len() && text.as_bytes()[end - 1] != b'\n' {
            end += 1;
        }
        let piece = &text[start..end];
        out.push((line, piece));
        line += piece.bytes().filter(|b| *b == b'\n').count();
        start = end;
    }
    out
}

pub(crate) fn table_cells(
    plan: &Plan,
    id: &str,
    t: &juesuan_model::Table,
) -> Result<Vec<(u64, i64)>, String> {
    let ti = plan
        .table_index(id)
        .ok_or_else(|| format!("未知的表 {id}"))?;
    let mut out = Vec::new();
    for row in t.rows() {
        let before = out.len();
        let r = plan
            .dict
            .get(&row.key)
            .ok_or_else(|| format!("表 {id} 的行 {} 不在口径中", row.key))?;
        for (c, v) in t.columns.iter().zip(&row.values) {
            let (Some(v), Some(c)) = (v, plan.dict.get(c)) else {
                continue;
            };
            // zeros are implied; a facts row is kept even at zero (absent means not given)
            if *v != 0 || id == "F" {
                out.push((cell_key(ti, r, c), *v));
            }
        }
        // a row listed with only zeros stays present: rules loop over the rows present
        if out.len() == before {
            if let Some(c) = t.columns.first().and_then(|c| plan.dict.get(c)) {
                out.push((cell_key(ti, r, c), 0));
            }
        }
    }
    out.sort_unstable();
    Ok(out)
}

/// One line of nodes.csv.
pub(crate) fn write_node(w: &mut impl Write, id: usize, n: &NodeRow) -> std::io::Result<()> {
    let clean = |s: &str| s.replace([',', '"', '\n', '\r'], " ");
    writeln!(
        w,
        "{id},{},{},{},{}",
        n.parent.map(|p| p.to_string()).unwrap_or_default(),
        n.level.chinese(),
        clean(&n.name),
        clean(&n.code)
    )
}

/// The lines of amounts.csv for one node's cells; returns how many.
pub(crate) fn write_cells(
    w: &mut impl Write,
    plan: &Plan,
    node: usize,
    cells: &[(u64, i64)],
) -> std::io::Result<usize> {
    for (k, v) in cells {
        writeln!(
            w,
            "{node},{},{},{},{v}",
            plan.tables[key_table(*k) as usize].id,
            plan.dict.name(key_row(*k)),
            plan.dict.name(key_col(*k))
        )?;
    }
    Ok(cells.len())
}
