//! A problem with input data, located precisely enough for a person to fix it.

use std::fmt;

/// One problem in an input file: where it is and, in Chinese, what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// 1-based line (CSV/TOML) or sheet row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    /// Header name or cell column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// A workbook cell in A1 notation ("E12"), for problems read from a spreadsheet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    pub message: String,
}

impl Problem {
    pub fn in_file(file: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            file: file.into(),
            sheet: None,
            row: None,
            column: None,
            cell: None,
            message: message.into(),
        }
    }

    pub fn at(mut self, row: usize, column: Option<&str>) -> Problem {
        self.row = Some(row);
        self.column = column.map(str::to_string);
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, " 工作表“{sheet}”")?;
        }
        if let Some(cell) = &self.cell {
            write!(f, " {cell}")?;
        } else {
            if let Some(row) = self.row {
                write!(f, " 第{row}行")?;
            }
            if let Some(col) = &self.column {
                write!(f, " “{col}”列")?;
            }
        }
        write!(f, "：{}", self.message)
    }
}
