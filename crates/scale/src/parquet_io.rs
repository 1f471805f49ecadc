//! The long format as Parquet (`nodes.parquet`, `amounts.parquet`): the same columns and
//! types as the CSV files (docs/scale.md), so DuckDB, DataFusion, Spark or PostgreSQL
//! (through an FDW) read a region without parsing text. Row groups of a million amounts,
//! dictionary-encoded strings, Snappy pages.

use crate::data::{LongData, NodeLevel, NodeRow};
use crate::plan::{cell_key, key_col, key_row, key_table, Plan};
use parquet::basic::Compression;
use parquet::column::reader::ColumnReader;
use parquet::data_type::{ByteArray, ByteArrayType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

const NODES_SCHEMA: &str = "message nodes {
  required int32 node;
  optional int32 parent;
  required binary level (STRING);
  required binary name (STRING);
  required binary code (STRING);
}";

const AMOUNTS_SCHEMA: &str = "message amounts {
  required int32 node;
  required binary tbl (STRING);
  required binary row (STRING);
  required binary col (STRING);
  required int64 amount;
}";

/// Amount records per row group.
const GROUP: usize = 1 << 20;

fn err(path: &Path) -> impl Fn(parquet::errors::ParquetError) -> String + '_ {
    move |e| format!("{}：{e}", path.display())
}

/// One row group's columns, in schema order.
enum Column {
    I32(Vec<i32>, Option<Vec<i16>>),
    I64(Vec<i64>),
    Bytes(Vec<ByteArray>),
}

fn write_file(
    path: &Path,
    schema: &str,
    groups: impl Iterator<Item = Vec<Column>>,
) -> Result<(), String> {
    let e = err(path);
    let file =
        std::fs::File::create(path).map_err(|x| format!("无法写入 {}：{x}", path.display()))?;
    let schema = Arc::new(parse_message_type(schema).map_err(&e)?);
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build(),
    );
    let mut w = SerializedFileWriter::new(file, schema, props).map_err(&e)?;
    for columns in groups {
        let mut rg = w.next_row_group().map_err(&e)?;
        for c in columns {
            let mut col = rg.next_column().map_err(&e)?.ok_or("列数与模式不符")?;
            match c {
                Column::I32(v, def) => {
                    col.typed::<Int32Type>()
                        .write_batch(&v, def.as_deref(), None)
                        .map_err(&e)?;
                }
                Column::I64(v) => {
                    col.typed::<Int64Type>()
                        .write_batch(&v, None, None)
                        .map_err(&e)?;
                }
                Column::Bytes(v) => {
                    col.typed::<ByteArrayType>()
                        .write_batch(&v, None, None)
                        .map_err(&e)?;
                }
            }
            col.close().map_err(&e)?;
        }
        rg.close().map_err(&e)?;
    }
    w.close().map_err(&e)?;
    Ok(())
}

impl LongData {
    /// Writes `nodes.parquet` and `amounts.parquet` into `dir`.
    pub fn write_parquet(&self, dir: &Path, plan: &Plan) -> Result<(), String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("无法创建 {}：{e}", dir.display()))?;
        let n = self.nodes.len();
        let mut parents = Vec::with_capacity(n);
        let mut def = Vec::with_capacity(n);
        for p in self.nodes.iter().map(|x| x.parent) {
            def.push(p.is_some() as i16);
            if let Some(p) = p {
                parents.push(p as i32);
            }
        }
        let text = |f: &dyn Fn(&NodeRow) -> &str| {
            Column::Bytes(self.nodes.iter().map(|x| ByteArray::from(f(x))).collect())
        };
        let nodes = vec![
            Column::I32((0..n as i32).collect(), None),
            Column::I32(parents, Some(def)),
            text(&|x| x.level.chinese()),
            text(&|x| &x.name),
            text(&|x| &x.code),
        ];
        write_file(
            &dir.join("nodes.parquet"),
            NODES_SCHEMA,
            std::iter::once(nodes),
        )?;

        // The symbols as byte arrays once; pages are dictionary-encoded from them.
        let tables: Vec<ByteArray> = plan
            .tables
            .iter()
            .map(|t| ByteArray::from(t.id.as_str()))
            .collect();
        let names: Vec<ByteArray> = (0..plan.dict.len() as u32)
            .map(|i| ByteArray::from(plan.dict.name(i)))
            .collect();
        // One row group at a time: the copy for the writer never exceeds GROUP records.
        let mut records = self
            .cells
            .iter()
            .enumerate()
            .flat_map(|(node, cells)| cells.iter().map(move |(k, v)| (node as i32, *k, *v)))
            .peekable();
        let mut first = true;
        let groups = std::iter::from_fn(|| {
            if records.peek().is_none() && !first {
                return None;
            }
            first = false;
            Some(
                records
                    .by_ref()
                    .take(GROUP)
                    .collect::<Vec<(i32, u64, i64)>>(),
            )
        });
        let columns = groups.map(|g| {
            vec![
                Column::I32(g.iter().map(|r| r.0).collect(), None),
                Column::Bytes(
                    g.iter()
                        .map(|r| tables[key_table(r.1) as usize].clone())
                        .collect(),
                ),
                Column::Bytes(
                    g.iter()
                        .map(|r| names[key_row(r.1) as usize].clone())
                        .collect(),
                ),
                Column::Bytes(
                    g.iter()
                        .map(|r| names[key_col(r.1) as usize].clone())
                        .collect(),
                ),
                Column::I64(g.iter().map(|r| r.2).collect()),
            ]
        });
        write_file(&dir.join("amounts.parquet"), AMOUNTS_SCHEMA, columns)
    }

    /// Reads `nodes.parquet` and `amounts.parquet` from `dir`, with the CSV reader's checks
    /// (node ids in order, parents before children, every table, row and column known).
    pub fn read_parquet(dir: &Path, plan: &Plan) -> Result<LongData, String> {
        let path = dir.join("nodes.parquet");
        let columns = read_columns(&path, 5)?;
        let [node, parent, level, name, code] = columns.as_slice() else {
            return Err(format!(
                "{}：应有 5 列：node,parent,level,name,code",
                path.display()
            ));
        };
        let mut nodes = Vec::with_capacity(node.len());
        for i in 0..node.len() {
            let bad = |what: &str| format!("nodes.parquet 第{}条：{what}", i + 1);
            if node.int(i) != Some(i as i64) {
                return Err(bad("node 应从 0 起连续编号"));
            }
            let parent = match parent.int(i) {
                None => None,
                Some(p) if p >= 0 && (p as usize) < nodes.len() => Some(p as u32),
                Some(_) => return Err(bad("parent 应为前面出现过的 node")),
            };
            nodes.push(NodeRow {
                parent,
                level: NodeLevel::parse(level.text(i).unwrap_or(""))
                    .ok_or_else(|| bad("level 应为 地区、部门 或 单位"))?,
                name: name.text(i).unwrap_or("").to_string(),
                code: code.text(i).unwrap_or("").to_string(),
            });
        }

        let path = dir.join("amounts.parquet");
        let e = err(&path);
        let file =
            std::fs::File::open(&path).map_err(|x| format!("无法读取 {}：{x}", path.display()))?;
        let reader = SerializedFileReader::new(file).map_err(&e)?;
        let tables: Vec<&str> = plan.tables.iter().map(|t| t.id.as_str()).collect();
        let mut cells: Vec<Vec<(u64, i64)>> = vec![Vec::new(); nodes.len()];
        let mut seen = 0usize;
        for g in 0..reader.num_row_groups() {
            let rg = reader.get_row_group(g).map_err(&e)?;
            let rows = rg.metadata().num_rows() as usize;
            let cols: Vec<Values> = (0..5)
                .map(|j| read_column(rg.get_column_reader(j).map_err(&e)?, rows, &path))
                .collect::<Result<_, _>>()?;
            // strings repeat: resolve each distinct one once
            let mut memo: HashMap<&[u8], Option<u32>> = HashMap::new();
            let (
                Values::Int(node),
                Values::Bytes(tbl),
                Values::Bytes(row),
                Values::Bytes(col),
                Values::Int(amount),
            ) = (&cols[0], &cols[1], &cols[2], &cols[3], &cols[4])
            else {
                return Err(format!(
                    "{}：列的类型应为 node INT32, tbl/row/col 文本, amount INT64",
                    path.display()
                ));
            };
            for i in 0..rows {
                let bad = |what: &str| format!("amounts.parquet 第{}条：{what}", seen + i + 1);
                let n = node[i]
                    .filter(|n| *n >= 0 && (*n as usize) < nodes.len())
                    .ok_or_else(|| bad("未知的 node"))?;
                let t = std::str::from_utf8(tbl[i].data())
                    .ok()
                    .and_then(|t| tables.iter().position(|x| *x == t))
                    .ok_or_else(|| bad("未知的表"))?;
                let r = symbol(&mut memo, &row[i], plan)
                    .ok_or_else(|| bad("未知的行（科目编码或项目）"))?;
                let c = symbol(&mut memo, &col[i], plan).ok_or_else(|| bad("未知的栏目"))?;
                let a = amount[i].ok_or_else(|| bad("amount 不能为空"))?;
                cells[n as usize].push((cell_key(t as u8, r, c), a));
            }
            seen += rows;
        }
        use rayon::prelude::*;
        cells.par_iter_mut().for_each(|c| c.sort_unstable());
        Ok(LongData { nodes, cells })
    }
}

fn symbol<'a>(
    memo: &mut HashMap<&'a [u8], Option<u32>>,
    b: &'a ByteArray,
    plan: &Plan,
) -> Option<u32> {
    *memo.entry(b.data()).or_insert_with(|| {
        std::str::from_utf8(b.data())
            .ok()
            .and_then(|s| plan.dict.get(s))
    })
}

/// A column's values; `None` where the value is null.
enum Values {
    Int(Vec<Option<i64>>),
    Bytes(Vec<ByteArray>),
}

impl Values {
    fn len(&self) -> usize {
        match self {
            Values::Int(v) => v.len(),
            Values::Bytes(v) => v.len(),
        }
    }

    fn int(&self, i: usize) -> Option<i64> {
        match self {
            Values::Int(v) => v.get(i).copied().flatten(),
            Values::Bytes(_) => None,
        }
    }

    fn text(&self, i: usize) -> Option<&str> {
        match self {
            Values::Bytes(v) => v.get(i).and_then(|b| std::str::from_utf8(b.data()).ok()),
            Values::Int(_) => None,
        }
    }
}

fn read_columns(path: &Path, n: usize) -> Result<Vec<Values>, String> {
    let e = err(path);
    let file =
        std::fs::File::open(path).map_err(|x| format!("无法读取 {}：{x}", path.display()))?;
    let reader = SerializedFileReader::new(file).map_err(&e)?;
    let mut out: Vec<Values> = Vec::new();
    for g in 0..reader.num_row_groups() {
        let rg = reader.get_row_group(g).map_err(&e)?;
        if rg.num_columns() != n {
            return Err(format!("{}：应有 {n} 列", path.display()));
        }
        let rows = rg.metadata().num_rows() as usize;
        for j in 0..n {
            let v = read_column(rg.get_column_reader(j).map_err(&e)?, rows, path)?;
            match (out.get_mut(j), v) {
                (None, v) => out.push(v),
                (Some(Values::Int(a)), Values::Int(b)) => a.extend(b),
                (Some(Values::Bytes(a)), Values::Bytes(b)) => a.extend(b),
                _ => return Err(format!("{}：第 {} 列的类型不一致", path.display(), j + 1)),
            }
        }
    }
    Ok(out)
}

/// All `rows` values of one column chunk, nulls as `None` (integer columns).
fn read_column(reader: ColumnReader, rows: usize, path: &Path) -> Result<Values, String> {
    let e = err(path);
    let mut def: Vec<i16> = Vec::with_capacity(rows);
    Ok(match reader {
        ColumnReader::Int32ColumnReader(mut r) => {
            let mut v: Vec<i32> = Vec::with_capacity(rows);
            r.read_records(rows, Some(&mut def), None, &mut v)
                .map_err(&e)?;
            Values::Int(spread(v.into_iter().map(i64::from), &def, rows))
        }
        ColumnReader::Int64ColumnReader(mut r) => {
            let mut v: Vec<i64> = Vec::with_capacity(rows);
            r.read_records(rows, Some(&mut def), None, &mut v)
                .map_err(&e)?;
            Values::Int(spread(v.into_iter(), &def, rows))
        }
        ColumnReader::ByteArrayColumnReader(mut r) => {
            let mut v: Vec<ByteArray> = Vec::with_capacity(rows);
            r.read_records(rows, Some(&mut def), None, &mut v)
                .map_err(&e)?;
            if v.len() != rows {
                // nulls (other engines write optional columns) read as empty text
                let mut values = v.into_iter();
                v = def
                    .iter()
                    .map(|d| match *d > 0 {
                        true => values.next().unwrap_or_default(),
                        false => ByteArray::from(""),
                    })
                    .collect();
            }
            Values::Bytes(v)
        }
        _ => return Err(format!("{}：不支持的列类型", path.display())),
    })
}

/// Values of the non-null slots placed by the definition levels (all present when a column
/// is required and has no levels).
fn spread(values: impl Iterator<Item = i64>, def: &[i16], rows: usize) -> Vec<Option<i64>> {
    if def.is_empty() {
        return values.map(Some).take(rows).collect();
    }
    let mut values = values;
    def.iter()
        .map(|d| if *d > 0 { values.next() } else { None })
        .collect()
}
