//! Cross-checks on synthetic pairs of years built from the example: a consistent pair gives no
//! finding; every injected difference is found (recall 100%), where it was injected and nowhere
//! else, also across renamed, merged, split and moved codes.

use juesuan_explain::{crosscheck_budget, crosscheck_prior, Mapping, Report, Severity};
use juesuan_model::{CodeBook, Disclosure, Row, Table, Template};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/chifeng-sfj-2024")
}

fn example() -> Disclosure {
    juesuan_load::load_dataset(&example_dir()).unwrap()
}

/// A small deterministic generator (xorshift), so every case can be replayed by its seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const WAN_CENT: i64 = 10_000;

/// Copies a table with extra columns (blank) and a transformation of each row.
fn rebuild(t: &Table, extra: &[&str], rows: impl IntoIterator<Item = Row>) -> Table {
    let mut columns = t.columns.clone();
    columns.extend(extra.iter().map(|c| c.to_string()));
    let mut out = Table::new(&t.id, columns, t.file.clone());
    for r in rows {
        out.push_row(r).unwrap();
    }
    out
}

/// Gives this year's 部门 表5 a 上年决算 column: random 项 amounts, 款/类/合计 their sums.
/// The 项 list includes the codes the mapping turns old codes into.
fn with_prior_t5(d: &mut Disclosure, rng: &mut Rng) {
    let dept = d.department.as_mut().unwrap();
    let t5 = dept.get("T5").unwrap().clone();
    let mut prior: BTreeMap<String, i64> = BTreeMap::new();
    for r in t5.rows() {
        if r.key.len() == 7 {
            prior.insert(r.key.clone(), rng.below(300_000) as i64 * WAN_CENT);
        }
    }
    let leaves: Vec<(String, i64)> = prior.clone().into_iter().collect();
    for (code, v) in leaves {
        for parent in [&code[..5], &code[..3], "合计"] {
            *prior.entry(parent.to_string()).or_insert(0) += v;
        }
    }
    let rows: Vec<Row> = t5
        .rows()
        .iter()
        .map(|r| {
            let mut r = r.clone();
            r.values.push(Some(prior.get(&r.key).copied().unwrap_or(0)));
            r
        })
        .collect();
    let t = rebuild(&t5, &["上年决算"], rows);
    dept.insert(t);
}

/// Last year's dataset that agrees with every 上年决算 figure of `this`: each 部门 table's
/// 决算 column holds this year's 上年决算; in 表5 the new codes of `pairs` (old, new) are
/// turned back into the old ones (groups' amounts spread over their old codes) and 款/类/合计
/// recomputed.
fn last_year(this: &Disclosure, pairs: &[(&str, &str)]) -> Disclosure {
    let template = Template::for_year(2024).unwrap();
    let mut last = this.clone();
    last.entity.year = 2023;
    let current = |id: &str| match id {
        "T1" | "T6" | "T7" => "决算数",
        "T2" => "本年收入合计",
        "T3" | "T8" | "T9" => "本年支出合计",
        _ => "合计",
    };
    let dept = last.department.as_mut().unwrap();
    for (id, t) in &this.department.as_ref().unwrap().tables {
        let (Some(p), Some(c)) = (t.column_index("上年决算"), t.column_index(current(id)))
        else {
            continue;
        };
        if id != "T5" {
            let rows = t.rows().iter().map(|r| {
                let mut r = r.clone();
                if r.values[p].is_some() {
                    r.values[c] = r.values[p];
                }
                r
            });
            dept.insert(rebuild(t, &[], rows));
            continue;
        }
        // 表5: leaves under last year's codes
        let mapping = Mapping {
            pairs: pairs
                .iter()
                .enumerate()
                .map(|(i, (o, n))| juesuan_explain::MappingPair {
                    old: o.to_string(),
                    new: n.to_string(),
                    note: None,
                    line: i + 1,
                })
                .collect(),
        };
        let mut leaves: BTreeMap<String, i64> = BTreeMap::new();
        let news: Vec<&str> = pairs.iter().map(|(_, n)| *n).collect();
        for r in t.rows().iter().filter(|r| r.key.len() == 7) {
            if !news.contains(&r.key.as_str()) {
                leaves.insert(r.key.clone(), r.values[p].unwrap());
            }
        }
        for (olds, news) in groups(&mapping) {
            let total: i64 = news.iter().map(|n| t.get(n, "上年决算").unwrap()).sum();
            // spread over the old codes: all but the last get a whole-cent share
            let share = total / olds.len() as i64 / WAN_CENT * WAN_CENT;
            for (i, o) in olds.iter().enumerate() {
                let v = if i + 1 == olds.len() {
                    total - share * (olds.len() as i64 - 1)
                } else {
                    share
                };
                *leaves.entry(o.clone()).or_insert(0) += v;
            }
        }
        let mut all: BTreeMap<String, i64> = BTreeMap::new();
        for (code, v) in &leaves {
            for k in [code.as_str(), &code[..5], &code[..3], "合计"] {
                *all.entry(k.to_string()).or_insert(0) += v;
            }
        }
        let mut out = Table::new("T5", t.columns.clone(), t.file.clone());
        let c = t.column_index("合计").unwrap();
        for (k, v) in &all {
            let mut values = vec![Some(0); t.columns.len()];
            values[c] = Some(*v);
            let name = template
                .functional
                .get(k)
                .map(|e| e.name.clone())
                .unwrap_or_else(|| k.clone());
            out.push_row(Row {
                key: k.clone(),
                name,
                values,
                line: None,
            })
            .unwrap();
        }
        dept.insert(out);
    }
    for r in this.facts.rows() {
        if let Some(v) = this.facts.get(&r.key, "上年决算") {
            last.facts.set(&r.key, "本年", Some(v));
        }
    }
    last
}

/// Groups of a mapping as (olds, news), through the public API's behaviour: a code on the same
/// side links pairs.
fn groups(m: &Mapping) -> Vec<(Vec<String>, Vec<String>)> {
    let mut out: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    for p in &m.pairs {
        match out
            .iter_mut()
            .find(|(o, n)| o.contains(&p.old) || n.contains(&p.new))
        {
            Some((o, n)) => {
                if !o.contains(&p.old) {
                    o.push(p.old.clone());
                }
                if !n.contains(&p.new) {
                    n.push(p.new.clone());
                }
            }
            None => out.push((vec![p.old.clone()], vec![p.new.clone()])),
        }
    }
    out
}

fn errors(r: &Report) -> Vec<&juesuan_explain::Finding> {
    r.findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect()
}

fn mapping(pairs: &[(&str, &str)]) -> Mapping {
    let text: String = pairs.iter().map(|(o, n)| format!("{o},{n}\n")).collect();
    Mapping::parse(&format!("old_code,new_code\n{text}"), "map.csv").unwrap()
}

/// Renamed 2040603 → 2040613; 2040606 split into 2040605 + 2040610; 2040608 and 2040612
/// merged into 2040612; 2080599 moved to another 类 as 2101103.
const PAIRS: &[(&str, &str)] = &[
    ("2040603", "2040613"),
    ("2040606", "2040605"),
    ("2040606", "2040610"),
    ("2040608", "2040612"),
    ("2040612", "2040612"),
    ("2080599", "2101103"),
];

/// Every cell of `d` that states a 上年决算 figure: (table, row).
fn prior_cells(d: &Disclosure) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (id, t) in &d.department.as_ref().unwrap().tables {
        for r in t.rows() {
            if t.get(&r.key, "上年决算").is_some() {
                out.push((id.clone(), r.key.clone()));
            }
        }
    }
    for r in d.facts.rows() {
        if d.facts.get(&r.key, "上年决算").is_some() {
            out.push(("F".to_string(), r.key.clone()));
        }
    }
    out
}

fn bump(d: &mut Disclosure, table: &str, row: &str, column: &str, delta: i64) {
    let t = if table == "F" {
        &mut d.facts
    } else {
        d.department.as_mut().unwrap().get_mut(table).unwrap()
    };
    let v = t.get(row, column).unwrap();
    t.set(row, column, Some(v + delta));
}

#[test]
fn a_consistent_pair_of_years_has_no_finding() {
    let this = example();
    let last = last_year(&this, &[]);
    let r = crosscheck_prior(
        &last,
        Path::new("last"),
        &this,
        Path::new("this"),
        &Mapping::default(),
    )
    .unwrap();
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
    // T1 6 rows + T4 2 + T7 6 + T8 + T9 + 机构运行经费
    assert!(r.summary.evaluated >= 15, "{:?}", r.summary);
}

#[test]
fn mapped_code_changes_raise_no_false_alarm() {
    for seed in 1..=20u64 {
        let mut rng = Rng(seed * 7919);
        let mut this = example();
        with_prior_t5(&mut this, &mut rng);
        let last = last_year(&this, PAIRS);
        let r = crosscheck_prior(
            &last,
            Path::new("l"),
            &this,
            Path::new("t"),
            &mapping(PAIRS),
        )
        .unwrap();
        assert!(r.findings.is_empty(), "seed {seed}: {:#?}", r.findings);
        // without the mapping the same pair is full of differences
        let unmapped = crosscheck_prior(
            &last,
            Path::new("l"),
            &this,
            Path::new("t"),
            &Mapping::default(),
        )
        .unwrap();
        assert!(errors(&unmapped).len() >= 5, "seed {seed}");
    }
}

#[test]
fn every_injected_difference_is_found_where_it_was_injected() {
    let map = mapping(PAIRS);
    let in_group = |row: &str| -> Option<Vec<&str>> {
        groups(&map)
            .into_iter()
            .find(|(_, n)| n.iter().any(|x| x == row))
            .map(|(_, n)| {
                PAIRS
                    .iter()
                    .map(|(_, x)| *x)
                    .filter(|x| n.iter().any(|y| y == x))
                    .collect()
            })
    };
    let (mut injected, mut found, mut extra) = (0, 0, 0);
    for seed in 1..=12u64 {
        let mut rng = Rng(seed * 104_729);
        let mut this = example();
        with_prior_t5(&mut this, &mut rng);
        let last = last_year(&this, PAIRS);
        let cells = prior_cells(&this);
        for _ in 0..25 {
            let (table, row) = &cells[rng.below(cells.len() as u64) as usize];
            // 0.02 万元 .. 500 万元 either way: beyond the ±0.01 two printed figures allow
            let size = (2 + rng.below(50_000)) as i64 * WAN_CENT;
            let delta = if rng.below(2) == 0 { size } else { -size };
            // half the time on this year's side, half on last year's
            let this_side = rng.below(2) == 0 || in_group(row).is_some();
            let (mut t, mut l) = (this.clone(), last.clone());
            if this_side {
                bump(&mut t, table, row, "上年决算", delta);
            } else {
                let col = match table.as_str() {
                    "T1" | "T7" => "决算数",
                    "T8" | "T9" => "本年支出合计",
                    "F" => "本年",
                    _ => "合计",
                };
                bump(&mut l, table, row, col, delta);
            }
            injected += 1;
            let r = crosscheck_prior(&l, Path::new("l"), &t, Path::new("t"), &map).unwrap();
            let errs = errors(&r);
            let hit = errs.iter().any(|f| {
                f.location.table.as_deref() == Some(table.as_str())
                    && match (f.location.row.as_deref(), in_group(row)) {
                        (Some(x), Some(g)) => g.contains(&x),
                        (Some(x), None) => x == row,
                        _ => false,
                    }
            });
            assert!(
                hit,
                "seed {seed}: {table}/{row} {delta} not found: {errs:#?}"
            );
            found += 1;
            extra += errs.len() - 1;
            assert_eq!(errs.len(), 1, "seed {seed}: {table}/{row}: {errs:#?}");
        }
    }
    assert_eq!((found, extra), (injected, 0));
    eprintln!("injected {injected}, found {found}, extra findings {extra}");
}

#[test]
fn a_difference_within_rounding_is_not_reported() {
    let this = example();
    let mut last = last_year(&this, &[]);
    // 0.01 万元 between two printed figures: each may be 0.005 off
    bump(&mut last, "T1", "收入总计", "决算数", WAN_CENT);
    let r = crosscheck_prior(
        &last,
        Path::new("l"),
        &this,
        Path::new("t"),
        &Mapping::default(),
    )
    .unwrap();
    assert!(errors(&r).is_empty(), "{:#?}", r.findings);
    bump(&mut last, "T1", "收入总计", "决算数", WAN_CENT);
    let r = crosscheck_prior(
        &last,
        Path::new("l"),
        &this,
        Path::new("t"),
        &Mapping::default(),
    )
    .unwrap();
    assert_eq!(errors(&r).len(), 1);
}

#[test]
fn findings_name_both_sources() {
    let this = example();
    let mut last = last_year(&this, &[]);
    bump(&mut last, "T7", "公务接待费", "决算数", 20 * WAN_CENT);
    let r = crosscheck_prior(
        &last,
        Path::new("2023"),
        &this,
        Path::new("2024"),
        &Mapping::default(),
    )
    .unwrap();
    let e = errors(&r);
    assert_eq!(e.len(), 1);
    let f = e[0];
    assert_eq!(f.rule, "X.prior");
    assert_eq!(f.location.file.as_deref(), Some("2024/department/t7.csv"));
    assert_eq!(f.location.column.as_deref(), Some("上年决算"));
    assert_eq!(f.location.line, Some(7));
    assert_eq!(f.related[0].file.as_deref(), Some("2023/department/t7.csv"));
    assert_eq!(f.related[0].column.as_deref(), Some("决算数"));
    assert_eq!(f.stated.as_deref(), Some("1.08"));
    assert_eq!(f.expected.as_deref(), Some("1.28"));
    assert!(f.message.contains("表7 公务接待费"), "{}", f.message);
    assert!(f.message.contains("相差 -0.20"), "{}", f.message);
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["findings"][0]["location"]["table"], "T7");
    assert_eq!(json["summary"]["errors"], 1);
}

#[test]
fn budget_figures_are_checked_against_the_budget_dataset() {
    let fin = example();
    // the budget dataset: 决算 columns hold this year's 年初预算 (表7: 预算数)
    let mut budget = fin.clone();
    let mut sets: Vec<&mut juesuan_model::TableSet> = vec![budget.department.as_mut().unwrap()];
    sets.extend(budget.units.iter_mut().map(|u| &mut u.tables));
    for set in sets {
        for (id, comp, cur) in [
            ("T1", "年初预算", "决算数"),
            ("T4", "年初预算", "合计"),
            ("T5", "年初预算", "合计"),
            ("T7", "预算数", "决算数"),
        ] {
            let t = set.get_mut(id).unwrap();
            let keys: Vec<String> = t.rows().iter().map(|r| r.key.clone()).collect();
            for k in keys {
                if let Some(v) = t.get(&k, comp) {
                    t.set(&k, cur, Some(v));
                }
            }
        }
    }
    let r = crosscheck_budget(&budget, Path::new("b"), &fin, Path::new("f")).unwrap();
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
    assert!(r.summary.evaluated >= 40, "{:?}", r.summary);
    let mut rng = Rng(99);
    let cells: Vec<(String, String, &str)> = ["T1", "T4", "T5", "T7"]
        .iter()
        .flat_map(|id| {
            let comp = if *id == "T7" {
                "预算数"
            } else {
                "年初预算"
            };
            let t = fin.department.as_ref().unwrap().get(id).unwrap();
            t.rows()
                .iter()
                .filter(|r| t.get(&r.key, comp).is_some())
                .map(|r| (id.to_string(), r.key.clone(), comp))
                .collect::<Vec<_>>()
        })
        .collect();
    for _ in 0..100 {
        let (table, row, comp) = &cells[rng.below(cells.len() as u64) as usize];
        let mut f = fin.clone();
        bump(
            &mut f,
            table,
            row,
            comp,
            (2 + rng.below(10_000)) as i64 * WAN_CENT,
        );
        let r = crosscheck_budget(&budget, Path::new("b"), &f, Path::new("f")).unwrap();
        let e = errors(&r);
        assert_eq!(e.len(), 1, "{table}/{row}: {e:#?}");
        assert_eq!(e[0].rule, "X.budget");
        assert_eq!(e[0].location.row.as_deref(), Some(row.as_str()));
        assert_eq!(e[0].location.column.as_deref(), Some(*comp));
    }
}

#[test]
fn parent_codes_are_prefixes() {
    // the cross-check's hierarchy relies on it
    let t = Template::for_year(2024).unwrap();
    for e in t.functional.iter() {
        if let Some(p) = CodeBook::parent_code(&e.code) {
            assert!(e.code.starts_with(p));
        }
    }
}

fn budget_example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/chifeng-sfj-yusuan-2024")
}

#[test]
fn the_final_accounts_budgets_agree_with_the_budget_document_and_a_changed_one_is_found() {
    // a first-class 部门预算 dataset (Y1 … Y9): each 年初预算 against the cell it restates
    let fin = example();
    let dir = budget_example_dir();
    let budget = juesuan_load::load_dataset(&dir).unwrap();
    let r = crosscheck_budget(&budget, &dir, &fin, &example_dir()).unwrap();
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
    // 表1 and 表4 totals, every 表5 row with a 年初预算, the six 表7 预算数
    let t5 = fin.department.as_ref().unwrap().get("T5").unwrap();
    let t5_rows = t5
        .rows()
        .iter()
        .filter(|r| t5.get(&r.key, "年初预算").is_some())
        .count();
    assert_eq!(r.summary.evaluated, 2 + 2 + t5_rows + 6, "{:?}", r.summary);

    let mut rng = Rng(17);
    let restating = [
        ("T1", "收入总计", "年初预算", "Y1", "收入总计"),
        ("T4", "支出总计", "年初预算", "Y4", "支出总计"),
        ("T5", "2040804", "年初预算", "Y5", "2040804"),
        ("T5", "合计", "年初预算", "Y5", "合计"),
        ("T7", "公务接待费", "预算数", "Y7", "公务接待费"),
    ];
    for (table, row, comp, btable, brow) in restating {
        let mut f = fin.clone();
        let delta = (2 + rng.below(10_000)) as i64 * WAN_CENT;
        bump(&mut f, table, row, comp, delta);
        let r = crosscheck_budget(&budget, &dir, &f, &example_dir()).unwrap();
        let e = errors(&r);
        assert_eq!(e.len(), 1, "{table}/{row}: {e:#?}");
        assert_eq!(e[0].rule, "X.budget");
        assert_eq!(e[0].location.table.as_deref(), Some(table));
        assert_eq!(e[0].location.row.as_deref(), Some(row));
        assert_eq!(e[0].location.column.as_deref(), Some(comp));
        let there = &e[0].related[0];
        assert_eq!(there.table.as_deref(), Some(btable));
        assert_eq!(there.row.as_deref(), Some(brow));
        assert!(
            there
                .file
                .as_deref()
                .is_some_and(|p| p.ends_with(&format!("department/{}.csv", btable.to_lowercase()))),
            "{there:?}"
        );
    }

    // the budget's own figure changed: found at the 决算's 年初预算 that restates it
    let mut b = budget.clone();
    let y5 = b.department.as_mut().unwrap().get_mut("Y5").unwrap();
    let v = y5.get("2040601", "合计").unwrap();
    y5.set("2040601", "合计", Some(v + 3 * WAN_CENT));
    let r = crosscheck_budget(&b, &dir, &fin, &example_dir()).unwrap();
    let e = errors(&r);
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(e[0].location.row.as_deref(), Some("2040601"));
    assert!(e[0].message.contains("相差 -0.03"), "{}", e[0].message);

    // the sides are the wrong way round: a 预算 is not a 决算 to check
    let err = crosscheck_budget(&fin, &example_dir(), &budget, &dir).unwrap_err();
    assert!(err.contains("部门决算"), "{err}");
    let err = crosscheck_prior(&budget, &dir, &fin, &example_dir(), &Mapping::default());
    assert!(err.unwrap_err().contains("部门预算"));
}
