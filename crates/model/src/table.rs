//! Table data: rows × columns of exact values.

use std::collections::{BTreeMap, HashMap};

/// One row. Values are in the row kind's base unit: 分 for money, units for counts,
/// hundredths for scores. `None` is a value not given (a fact left out); a blank CSV cell is
/// zero, not `None`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// A classification code, or the item name of a fixed row.
    pub key: String,
    pub name: String,
    pub values: Vec<Option<i64>>,
    /// 1-based line of the source file the row came from.
    pub line: Option<usize>,
}

/// One table of one unit (or of a consolidation).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    /// T1 … T9, F.
    pub id: String,
    /// The columns present: the required ones, then any optional ones given.
    pub columns: Vec<String>,
    /// Source file, relative to the dataset directory, when read from one.
    pub file: Option<String>,
    /// Whether a row that is not present reads as zero (the nine tables list only rows with
    /// amounts) or as not given (the facts table F).
    pub absent_rows_are_zero: bool,
    rows: Vec<Row>,
    index: HashMap<String, usize>,
}

impl Table {
    pub fn new(id: &str, columns: Vec<String>, file: Option<String>) -> Table {
        Table {
            id: id.to_string(),
            columns,
            file,
            absent_rows_are_zero: id != "F",
            rows: Vec::new(),
            index: HashMap::new(),
        }
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    pub fn row(&self, key: &str) -> Option<&Row> {
        self.index.get(key).map(|&i| &self.rows[i])
    }

    pub fn column_index(&self, column: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == column)
    }

    pub fn has_column(&self, column: &str) -> bool {
        self.column_index(column).is_some()
    }

    /// The value of a cell, `None` when not given: the column is absent, the cell was left
    /// out, or the row is absent from a table whose absent rows are not zero.
    pub fn get(&self, row: &str, column: &str) -> Option<i64> {
        let c = self.column_index(column)?;
        match self.row(row) {
            Some(r) => r.values[c],
            None if self.absent_rows_are_zero => Some(0),
            None => None,
        }
    }

    /// Adds a row, or returns the existing row with this key (an error for loaders).
    pub fn push_row(&mut self, row: Row) -> Result<(), &Row> {
        if let Some(&i) = self.index.get(&row.key) {
            return Err(&self.rows[i]);
        }
        self.index.insert(row.key.clone(), self.rows.len());
        self.rows.push(row);
        Ok(())
    }

    /// Adds `value` to a cell, creating the row (after the existing ones) if needed. Adding a
    /// value not given makes the cell not given: a sum with an unknown part is unknown.
    pub fn add(&mut self, key: &str, name: &str, column: &str, value: Option<i64>) {
        let Some(c) = self.column_index(column) else {
            return;
        };
        let i = match self.index.get(key) {
            Some(&i) => i,
            None => {
                self.index.insert(key.to_string(), self.rows.len());
                self.rows.push(Row {
                    key: key.to_string(),
                    name: name.to_string(),
                    values: vec![Some(0); self.columns.len()],
                    line: None,
                });
                self.rows.len() - 1
            }
        };
        let cell = &mut self.rows[i].values[c];
        *cell = match (*cell, value) {
            (Some(a), Some(b)) => Some(a + b),
            _ => None,
        };
    }

    /// Overwrites a cell if the row and column exist.
    pub fn set(&mut self, key: &str, column: &str, value: Option<i64>) {
        if let (Some(c), Some(&i)) = (self.column_index(column), self.index.get(key)) {
            self.rows[i].values[c] = value;
        }
    }
}

/// The nine tables of one unit, department or region, keyed by table id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableSet {
    pub tables: BTreeMap<String, Table>,
}

impl TableSet {
    pub fn get(&self, id: &str) -> Option<&Table> {
        self.tables.get(id)
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut Table> {
        self.tables.get_mut(id)
    }

    pub fn insert(&mut self, table: Table) {
        self.tables.insert(table.id.clone(), table);
    }
}
