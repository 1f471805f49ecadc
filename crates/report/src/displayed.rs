//! 舍位平衡: the figures as printed. Every amount is rounded to 0.01 万元 so that printed items
//! add up to printed totals along rows (code hierarchy and `row_sums`) and across columns
//! (`column_sums`).
//!
//! Method: in each column that is not a column total, each tree of row sums is balanced top
//! down (the root rounded half-up, its parts by largest remainder to the rounded root, and so
//! on down); column totals are then the sums of the printed parts. Each printed part is within
//! one cent of its exact value; a column total within one cent per part. Data already in
//! 万元 with two decimals comes out unchanged.
//!
//! A table whose figures are all whole cents (data published in 万元) is printed as given:
//! those are the figures the department reported, the check has accepted any rounding
//! difference between them, and moving one to make a sum foot would break its agreement with
//! the same figure in another table.

use juesuan_model::{
    largest_remainder, round_half_up, CodeBook, Layout, Table, TableDef, TableSet, Template,
    FEN_PER_WAN_CENT,
};
use std::collections::{BTreeMap, HashMap};

/// The printed version of every table in `set` (tables the template does not know are copied).
pub fn displayed(set: &TableSet, template: &Template) -> TableSet {
    let mut out = TableSet::default();
    for (id, table) in &set.tables {
        let shown = match template.table(id) {
            Some(def) if id != "F" && !in_whole_cents(table) => balance_table(table, def),
            _ => table.clone(),
        };
        out.tables.insert(id.clone(), shown);
    }
    out
}

/// Which row each row is a part of, with its sign (always + along rows).
fn row_parents(table: &Table, def: &TableDef) -> HashMap<String, String> {
    let mut parent = HashMap::new();
    let keys: Vec<&str> = table.rows().iter().map(|r| r.key.as_str()).collect();
    if matches!(def.layout, Layout::Functional | Layout::Economic) {
        for k in &keys {
            if def.row_def(k).is_some() || *k == "合计" {
                continue;
            }
            match CodeBook::parent_code(k) {
                Some(p) => {
                    parent.insert(k.to_string(), p.to_string());
                }
                None if def.layout == Layout::Functional => {
                    parent.insert(k.to_string(), "合计".to_string());
                }
                None => {}
            }
        }
    }
    for sum in &def.row_sums {
        for part in &sum.parts {
            match part.strip_prefix('@') {
                Some(group) => {
                    for r in def
                        .rows
                        .iter()
                        .filter(|r| r.group.as_deref() == Some(group))
                    {
                        parent.insert(r.key.clone(), sum.total.clone());
                    }
                }
                None => {
                    parent.insert(part.clone(), sum.total.clone());
                }
            }
        }
    }
    parent
}

fn balance_table(table: &Table, def: &TableDef) -> Table {
    let parent = row_parents(table, def);
    let mut children: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let index: HashMap<&str, usize> = table
        .rows()
        .iter()
        .enumerate()
        .map(|(i, r)| (r.key.as_str(), i))
        .collect();
    for (i, r) in table.rows().iter().enumerate() {
        if let Some(p) = parent.get(&r.key) {
            if index.contains_key(p.as_str()) {
                children.entry(p.as_str()).or_default().push(i);
            }
        }
    }
    let roots: Vec<usize> = table
        .rows()
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            parent
                .get(&r.key)
                .is_none_or(|p| !index.contains_key(p.as_str()))
        })
        .map(|(i, _)| i)
        .collect();
    let derived: Vec<&str> = def.column_sums.iter().map(|s| s.total.as_str()).collect();

    let mut out = table.clone();
    for (c, column) in table.columns.iter().enumerate() {
        if derived.contains(&column.as_str()) {
            continue;
        }
        let exact: Vec<Option<i64>> = table.rows().iter().map(|r| r.values[c]).collect();
        let mut shown: Vec<Option<i64>> = vec![None; exact.len()];
        let mut stack: Vec<usize> = Vec::new();
        for &r in &roots {
            shown[r] = exact[r].map(round_to_cent);
            stack.push(r);
        }
        while let Some(p) = stack.pop() {
            let Some(kids) = children.get(table.rows()[p].key.as_str()) else {
                continue;
            };
            let parts: Option<Vec<i64>> = kids.iter().map(|&k| exact[k]).collect();
            let spread = match (parts, shown[p]) {
                (Some(parts), Some(total)) => {
                    largest_remainder(&parts, FEN_PER_WAN_CENT, total / FEN_PER_WAN_CENT)
                }
                _ => None,
            };
            for (j, &k) in kids.iter().enumerate() {
                shown[k] = match &spread {
                    Some(v) => Some(v[j] * FEN_PER_WAN_CENT),
                    None => exact[k].map(round_to_cent),
                };
                stack.push(k);
            }
        }
        for (i, v) in shown.into_iter().enumerate() {
            let key = table.rows()[i].key.clone();
            out.set(&key, column, v);
        }
    }
    for sum in &def.column_sums {
        for i in 0..out.rows().len() {
            let key = out.rows()[i].key.clone();
            let mut total = Some(0i64);
            for part in &sum.parts {
                let (sign, name) = match part.strip_prefix('-') {
                    Some(n) => (-1, n),
                    None => (1, part.as_str()),
                };
                total = match (total, out.get(&key, name)) {
                    (Some(t), Some(v)) => Some(t + sign * v),
                    _ => None,
                };
            }
            let value = total.or_else(|| table.get(&key, &sum.total).map(round_to_cent));
            out.set(&key, &sum.total, value);
        }
    }
    out
}

fn in_whole_cents(t: &Table) -> bool {
    t.rows()
        .iter()
        .flat_map(|r| r.values.iter().flatten())
        .all(|v| v % FEN_PER_WAN_CENT == 0)
}

fn round_to_cent(fen: i64) -> i64 {
    round_half_up(fen, FEN_PER_WAN_CENT) * FEN_PER_WAN_CENT
}

#[cfg(test)]
mod tests {
    use super::*;
    use juesuan_model::Row;
    use proptest::prelude::*;

    fn t5(rows: &[(&str, [i64; 2])]) -> Table {
        let mut t = Table::new(
            "T5",
            vec!["合计".into(), "基本支出".into(), "项目支出".into()],
            None,
        );
        let mut total = [0i64; 2];
        for (code, v) in rows {
            if code.len() == 3 {
                total[0] += v[0];
                total[1] += v[1];
            }
        }
        let mut push = |key: &str, v: [i64; 2]| {
            t.push_row(Row {
                key: key.into(),
                name: key.into(),
                values: vec![Some(v[0] + v[1]), Some(v[0]), Some(v[1])],
                line: None,
            })
            .unwrap();
        };
        push("合计", total);
        for (code, v) in rows {
            push(code, *v);
        }
        t
    }

    fn shown(t: &Table) -> Table {
        let template = Template::for_year(2024).unwrap();
        balance_table(t, template.table("T5").unwrap())
    }

    #[test]
    fn published_wan_figures_are_never_moved() {
        // 基本 + 项目 = 3441.05 but 合计 says 3441.04, as in the seed: print what was reported
        let mut t = t5(&[("204", [2_809_280_000, 631_770_000])]);
        t.set("合计", "合计", Some(3_441_040_000));
        t.set("204", "合计", Some(3_441_040_000));
        let template = Template::for_year(2024).unwrap();
        let mut set = TableSet::default();
        set.tables.insert("T5".into(), t.clone());
        assert_eq!(displayed(&set, template).tables["T5"], t);
    }

    #[test]
    fn wan_data_is_unchanged() {
        let t = t5(&[
            ("204", [10_000, 20_000]),
            ("20406", [10_000, 20_000]),
            ("2040601", [10_000, 20_000]),
        ]);
        assert_eq!(shown(&t), t);
    }

    #[test]
    fn three_thirds_foot_to_the_rounded_total() {
        // a third of 1 万元 three times: half-up would print 0.33 × 3 = 0.99 under a 1.00 total
        let third = 333_333;
        let t = t5(&[
            ("204", [3 * third + 1, 0]),
            ("20406", [3 * third + 1, 0]),
            ("2040601", [third + 1, 0]),
            ("2040602", [third, 0]),
            ("2040603", [third, 0]),
        ]);
        let s = shown(&t);
        let v = |k: &str| s.get(k, "基本支出").unwrap() / FEN_PER_WAN_CENT;
        assert_eq!(v("204"), 100);
        assert_eq!((v("2040601"), v("2040602"), v("2040603")), (34, 33, 33));
        assert_eq!(s.get("2040601", "合计"), Some(340_000));
    }

    proptest! {
        /// Printed tables foot along rows and across columns, and no printed figure is more
        /// than a cent (part) or two cents (合计 column, two parts) from its exact value.
        #[test]
        fn printed_tables_foot(items in proptest::collection::vec((0i64..5_000_000, 0i64..5_000_000), 1..12)) {
            let mut rows = Vec::new();
            let mut class = [0i64; 2];
            let codes: Vec<String> = (0..items.len()).map(|i| format!("20406{:02}", i + 1)).collect();
            for (b, p) in &items { class[0] += b; class[1] += p; }
            rows.push(("204", class));
            rows.push(("20406", class));
            for (i, (b, p)) in items.iter().enumerate() { rows.push((codes[i].as_str(), [*b, *p])); }
            let t = t5(&rows);
            let s = shown(&t);
            for col in ["合计", "基本支出", "项目支出"] {
                let kids: i64 = codes.iter().map(|c| s.get(c, col).unwrap()).sum();
                prop_assert_eq!(kids, s.get("20406", col).unwrap());
                prop_assert_eq!(s.get("204", col), s.get("合计", col));
                for r in s.rows() {
                    let c = s.column_index(col).unwrap();
                    let v = r.values[c].unwrap();
                    prop_assert_eq!(v % FEN_PER_WAN_CENT, 0);
                    let limit = if col == "合计" { 2 } else { 1 } * FEN_PER_WAN_CENT;
                    prop_assert!((v - t.row(&r.key).unwrap().values[c].unwrap()).abs() < limit);
                }
            }
            for r in s.rows() {
                prop_assert_eq!(r.values[0].unwrap(), r.values[1].unwrap() + r.values[2].unwrap());
            }
        }
    }
}
