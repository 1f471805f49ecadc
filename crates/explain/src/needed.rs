//! Which comparisons need a 变动原因: exactly those `juesuan build` refuses without.
//!
//! The rule catalogue decides (`explained(…)` formulas of the `R.*` rules, with the dataset's
//! materiality). We run the check on a copy of the disclosure with no reasons at all and read
//! the missing-reason findings; a rule that combines two comparisons with `and` reports only
//! one at a time, so each one found is given a placeholder reason and the check runs again
//! until nothing new appears.

use crate::Against;
use juesuan_check::Severity;
use juesuan_model::{Disclosure, Reasons};

/// One comparison the catalogue requires a reason for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Needed {
    pub against: Against,
    pub table: String,
    pub row: String,
    pub current_column: String,
    pub base_column: String,
}

/// Every comparison of the entity whose change is material, in the check's order (by table).
pub fn needed(d: &Disclosure) -> Result<Vec<Needed>, String> {
    let mut probe = d.clone();
    probe.reasons = Reasons::default();
    let mut out: Vec<Needed> = Vec::new();
    // each round finds at least one more comparison or stops; the catalogue has few `and`s
    for _ in 0..32 {
        let report = juesuan_check::check_disclosure(&probe)?;
        let mut found = false;
        for f in &report.findings {
            if f.severity != Severity::Error || !f.rule.starts_with("R.") {
                continue;
            }
            let l = &f.location;
            let (Some(table), Some(row), Some(col)) = (&l.table, &l.row, &l.column) else {
                continue;
            };
            let Some(base) = f.related.first().and_then(|r| r.column.clone()) else {
                continue;
            };
            // a 预算 compares with 上年预算, kept with the 上年决算 reasons (Reasons::against)
            let against = if base == "上年决算" || base == "上年预算" {
                Against::Prior
            } else {
                Against::Budget
            };
            let map = match against {
                Against::Budget => &mut probe.reasons.budget,
                Against::Prior => &mut probe.reasons.prior,
            };
            if map
                .insert(format!("{table}/{row}"), "待填写".to_string())
                .is_none()
            {
                found = true;
                out.push(Needed {
                    against,
                    table: table.clone(),
                    row: row.clone(),
                    current_column: col.clone(),
                    base_column: base,
                });
            }
        }
        if !found {
            break;
        }
    }
    Ok(out)
}
