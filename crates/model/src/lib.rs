//! The 决算公开 data model, the one source of truth every other crate reads.
//!
//! What is here: exact money ([`Money`], integer 分), printed-figure intervals ([`Interval`]
//! over exact [`Ratio`]s), the classification code books ([`CodeBook`]), the per-year table
//! template ([`Template`], read from `data/tables/<year>.toml`), table data ([`Table`]) and the
//! [`Disclosure`] of one entity and year.
//!
//! What is not: reading files (`juesuan-load`), rules (`juesuan-check`), summing units
//! (`juesuan-consolidate`). This crate does no I/O beyond parsing the data embedded in it.

mod balance;
pub mod changes;
mod codes;
mod disclosure;
mod interval;
mod money;
mod problem;
mod region;
pub mod safe;
mod table;
mod template;

pub use balance::{largest_remainder, round_half_up};
pub use codes::{normalize_name, CodeBook, CodeEntry, CodeLevel};
pub use disclosure::{
    AmountUnit, Contact, Disclosure, DocKind, Entity, EntityKind, Overview, Project, Reasons, Unit,
};
pub use interval::{Interval, Ratio};
pub use money::{normalize_number, Money, MoneyError, FEN_PER_WAN, FEN_PER_WAN_CENT};
pub use problem::Problem;
pub use region::{Region, RegionChild};
pub use table::{Row, Table, TableSet};
pub use template::{Layout, RowDef, SumDef, TableDef, Template, ValueKind};
