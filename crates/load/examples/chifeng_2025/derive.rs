//! The synthetic 2025 决算 of 赤峰市司法局 (examples/chifeng-sfj-2025), derived exactly from
//! the 2024 example: each unit's 2025 figures are its 2024 figures changed by the rules below
//! (in whole 0.01 万元, rounded half up), every total is the sum of its items, the department
//! is the sum of its units, and the 上年决算 columns are the 2024 department's 决算 figures.
//! The texts (disclosure.toml, unit.toml, NOTES.md) are written by hand beside the tables.
//! Shared by the generator (main.rs) and the test that the committed tables are its output.

use std::collections::BTreeMap;
use std::path::Path;

/// Relative path → file content.
pub type Files = BTreeMap<String, String>;

/// An amount in 0.01 万元.
type Cents = i64;

pub const UNITS: [&str; 2] = ["benji", "jiedusuo"];

/// 基本支出 by 项: ‰ of 2024 (default 1030: the 2025 pay and contribution rise). 死亡抚恤 and
/// 公务员医疗补助 end (no death benefit paid; the unit no longer pays the 医疗补助 itself);
/// 离退休 falls with retirees. 行政运行 is what 表6 leaves (`ADMIN`).
const BASIC_PERMILLE: &[(&str, i64)] = &[("2080501", 960), ("2080801", 0), ("2101103", 0)];
const ADMIN: &[&str] = &["2040601", "2040801"];

/// 项目支出 by unit and 项 in 2025; a 2024 project row not listed is an error.
const PROJECTS: &[(&str, &str, Cents)] = &[
    ("benji", "2013699", 410),
    ("benji", "2040602", 680),
    ("benji", "2040604", 5260),
    ("benji", "2040605", 5530),
    ("benji", "2040607", 16840),
    ("benji", "2040610", 1520),
    ("benji", "2040612", 4190),
    ("benji", "2040613", 7860),
    ("benji", "2040699", 18650),
    ("jiedusuo", "2019999", 0),
    ("jiedusuo", "2040802", 4580),
];

/// 项目支出 not from 财政拨款 (表3 only): the 场所迁建 works paid from the carried-over
/// 土地置换款; no new 其他收入 in 2025.
const NON_FISCAL: &[(&str, &str, Cents)] = &[("jiedusuo", "2040806", 30000)];

/// 表6 items: ‰ of 2024 by 类 (301 pay rise; 302 prices), and the items that differ.
const CLASS_PERMILLE: &[(&str, i64)] =
    &[("301", 1030), ("302", 1020), ("303", 1000), ("310", 1000)];
const ITEM_PERMILLE: &[(&str, i64)] = &[("30111", 0), ("30302", 960), ("30304", 0)];
/// 公务接待费 and 公务用车运行维护费 by unit (they are 表7's 决算数 too).
const ITEM_FIXED: &[(&str, &str, Cents)] = &[
    ("benji", "30217", 52),
    ("benji", "30231", 1036),
    ("jiedusuo", "30217", 48),
    ("jiedusuo", "30231", 1502),
];

/// 年初预算 of the department's 表5 by 项: ‰ of the 2025 决算 (default 1040), or the amount.
const BUDGET_PERMILLE: i64 = 1040;
const BUDGET_FIXED: &[(&str, Cents)] = &[
    ("2040604", 5800),
    ("2040605", 6300),
    ("2040607", 19930),
    ("2040699", 15000),
    ("2040802", 6200),
];

/// 表7 预算数 of each unit: 公务用车运行维护费 and 公务接待费 (as in 2024).
const T7_BUDGET: (Cents, Cents) = (3000, 300);

const T1_PRIOR_ROWS: &[&str] = &[
    "本年收入合计",
    "使用非财政拨款结余",
    "年初结转和结余",
    "收入总计",
    "本年支出合计",
    "结余分配",
    "年末结转和结余",
    "支出总计",
];
const T7_ROWS: [&str; 6] = [
    "合计",
    "因公出国（境）费",
    "公务用车购置及运行维护费",
    "公务用车购置费",
    "公务用车运行维护费",
    "公务接待费",
];

fn cents(s: &str, at: &str) -> Result<Cents, String> {
    let (int, frac) = s.trim().split_once('.').unwrap_or((s.trim(), "00"));
    let ok = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.len() == 2
        && frac.bytes().all(|b| b.is_ascii_digit());
    if !ok {
        return Err(format!("{at}：“{s}”不是两位小数的金额"));
    }
    Ok(int.parse::<i64>().map_err(|e| format!("{at}：{e}"))? * 100
        + frac.parse::<i64>().unwrap_or(0))
}

fn show(c: Cents) -> String {
    format!("{}.{:02}", c / 100, c % 100)
}

fn permille(c: Cents, p: i64) -> Cents {
    (c * p + 500).div_euclid(1000)
}

/// A CSV's rows: label cells, amounts.
type Rows = Vec<(Vec<String>, Vec<Cents>)>;

/// The rows of a CSV after its header: the label cells and the amounts after `labels` cells.
fn rows(files: &Files, rel: &str, labels: usize) -> Result<Rows, String> {
    let text = files.get(rel).ok_or_else(|| format!("缺少 {rel}"))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let at = format!("{rel} 第{}行", i + 1);
        let mut values = Vec::new();
        for c in cells.iter().skip(labels) {
            values.push(if c.is_empty() { 0 } else { cents(c, &at)? });
        }
        out.push((
            cells.iter().take(labels).map(|s| s.to_string()).collect(),
            values,
        ));
    }
    Ok(out)
}

fn header(files: &Files, rel: &str) -> Result<String, String> {
    let text = files.get(rel).ok_or_else(|| format!("缺少 {rel}"))?;
    Ok(text.lines().next().unwrap_or_default().to_string())
}

fn value(rows: &Rows, label: &str, col: usize) -> Result<Cents, String> {
    rows.iter()
        .find(|(l, _)| l[0] == label)
        .and_then(|(_, v)| v.get(col).copied())
        .ok_or_else(|| format!("没有“{label}”行"))
}

/// What one unit (or the department, summed) spends and carries, before layout.
#[derive(Default, Clone)]
struct Figures {
    /// 表5 by 项: (基本, 项目).
    t5: BTreeMap<String, (Cents, Cents)>,
    /// 表3 项目支出 not from 财政拨款, by 项.
    non_fiscal: BTreeMap<String, Cents>,
    /// 表6 by 款.
    t6: BTreeMap<String, Cents>,
    /// 年初结转和结余: all funds, 财政拨款.
    carry: (Cents, Cents),
}

impl Figures {
    fn add(&mut self, o: &Figures) {
        for (k, (b, p)) in &o.t5 {
            let e = self.t5.entry(k.clone()).or_default();
            *e = (e.0 + b, e.1 + p);
        }
        for (k, v) in &o.non_fiscal {
            *self.non_fiscal.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &o.t6 {
            *self.t6.entry(k.clone()).or_default() += v;
        }
        self.carry = (self.carry.0 + o.carry.0, self.carry.1 + o.carry.1);
    }
    fn t6_sum(&self, classes: &[&str]) -> Cents {
        self.t6
            .iter()
            .filter(|(k, _)| classes.contains(&&k[..3]))
            .map(|(_, v)| v)
            .sum()
    }
}

fn unit_figures(src: &Files, unit: &str) -> Result<Figures, String> {
    let dir = format!("units/{unit}");
    let mut f = Figures::default();
    for (labels, v) in rows(src, &format!("{dir}/t6.csv"), 2)? {
        let code = &labels[0];
        if code.len() != 5 {
            continue;
        }
        let p = ITEM_PERMILLE
            .iter()
            .chain(CLASS_PERMILLE)
            .find(|(c, _)| code.starts_with(c));
        let mut new = permille(v[0], p.map_or(1000, |(_, p)| *p));
        if let Some((_, _, fixed)) = ITEM_FIXED.iter().find(|(u, c, _)| *u == unit && c == code) {
            new = *fixed;
        }
        if new != 0 {
            f.t6.insert(code.clone(), new);
        }
    }
    let mut admin = None;
    for (labels, v) in rows(src, &format!("{dir}/t5.csv"), 2)? {
        let code = &labels[0];
        if code.len() != 7 {
            continue;
        }
        let basic = match BASIC_PERMILLE.iter().find(|(c, _)| c == code) {
            Some((_, p)) => permille(v[1], *p),
            None => permille(v[1], 1030),
        };
        let project = match PROJECTS.iter().find(|(u, c, _)| *u == unit && c == code) {
            Some((_, _, p)) => *p,
            None if v[2] == 0 => 0,
            None => return Err(format!("{dir}/t5.csv：{code} 的 2025 年项目支出未给出")),
        };
        if ADMIN.contains(&code.as_str()) {
            admin = Some(code.clone());
        }
        if basic != 0 || project != 0 {
            f.t5.insert(code.clone(), (basic, project));
        }
    }
    // 基本支出 = 人员经费 + 公用经费 (表6); 行政运行 takes what the other 项 leave.
    let admin = admin.ok_or_else(|| format!("{dir}/t5.csv：没有行政运行"))?;
    let basic = f.t6_sum(&["301", "302", "303", "310"]);
    let others: Cents =
        f.t5.iter()
            .filter(|(k, _)| **k != admin)
            .map(|(_, v)| v.0)
            .sum();
    let entry = f.t5.entry(admin).or_default();
    entry.0 = basic - others;
    if entry.0 < 0 {
        return Err(format!("{dir}：行政运行为负数"));
    }
    for (u, code, p) in NON_FISCAL {
        if *u == unit {
            f.non_fiscal.insert(code.to_string(), *p);
        }
    }
    let t1 = rows(src, &format!("{dir}/t1.csv"), 1)?;
    let t4 = rows(src, &format!("{dir}/t4.csv"), 1)?;
    f.carry = (
        value(&t1, "年末结转和结余", 0)?,
        value(&t4, "年末财政拨款结转和结余", 0)?,
    );
    Ok(f)
}

/// 合计, then every 类, 款 and 项 with the sums of the 项 below, in code order.
fn rollup(leaves: &BTreeMap<String, Vec<Cents>>, width: usize) -> Vec<(String, Vec<Cents>)> {
    let mut sums: BTreeMap<String, Vec<Cents>> = BTreeMap::new();
    for (code, v) in leaves {
        for key in ["", &code[..3], &code[..5], code] {
            let e = sums
                .entry(key.to_string())
                .or_insert_with(|| vec![0; width]);
            for (a, b) in e.iter_mut().zip(v) {
                *a += b;
            }
        }
    }
    sums.into_iter().collect()
}

fn line(labels: &[&str], values: impl IntoIterator<Item = Option<Cents>>) -> String {
    let mut cells: Vec<String> = labels.iter().map(|s| s.to_string()).collect();
    cells.extend(values.into_iter().map(|v| v.map(show).unwrap_or_default()));
    cells.join(",") + "\n"
}

fn coded(
    head: &str,
    rows: &[(String, Vec<Cents>)],
    names: &BTreeMap<String, String>,
) -> Result<String, String> {
    let mut out = format!("{head}\n");
    for (code, v) in rows {
        let name = if code.is_empty() {
            "合计"
        } else {
            names.get(code).ok_or_else(|| format!("{code} 没有名称"))?
        };
        out += &line(&[code, name], v.iter().map(|&c| Some(c)));
    }
    Ok(out)
}

/// The 2024 department's 决算 figures that are this year's 上年决算, and the 年初预算.
struct Department {
    t1_prior: BTreeMap<String, Cents>,
    t4_prior: Cents,
    t7_prior: Vec<Cents>,
}

/// What every table of a unit or the department is laid out with.
struct Context<'a> {
    src: &'a Files,
    names: BTreeMap<String, String>,
    /// 类 in 表1/表4 order.
    class_order: Vec<String>,
}

fn tables(
    cx: &Context,
    dir: &str,
    f: &Figures,
    t7_budget: (Cents, Cents),
    dept: Option<&Department>,
    out: &mut Files,
) -> Result<(), String> {
    let (src, names, class_order) = (cx.src, &cx.names, &cx.class_order);
    let budget = |code: &str, total: Cents| {
        BUDGET_FIXED
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(permille(total, BUDGET_PERMILLE), |(_, b)| *b)
    };
    // 表5 (with the department's 年初预算 per 项)
    let t5_leaves: BTreeMap<String, Vec<Cents>> =
        f.t5.iter()
            .map(|(k, &(b, p))| {
                let mut v = vec![b + p, b, p];
                if dept.is_some() {
                    v.push(budget(k, b + p));
                }
                (k.clone(), v)
            })
            .collect();
    let t5 = rollup(&t5_leaves, if dept.is_some() { 4 } else { 3 });
    let head = header(src, &format!("{dir}/t5.csv"))?;
    out.insert(format!("{dir}/t5.csv"), coded(&head, &t5, names)?);
    let t5_total = t5[0].1.clone();
    let fiscal_by_class: BTreeMap<&str, Cents> = t5
        .iter()
        .filter(|(k, _)| k.len() == 3)
        .map(|(k, v)| (k.as_str(), v[0]))
        .collect();
    // 表3: 表5 plus what other money paid
    let mut t3_leaves: BTreeMap<String, Vec<Cents>> =
        f.t5.iter()
            .map(|(k, &(b, p))| (k.clone(), vec![b + p, b, p, 0, 0, 0]))
            .collect();
    for (k, p) in &f.non_fiscal {
        let e = t3_leaves.entry(k.clone()).or_insert_with(|| vec![0; 6]);
        e[0] += p;
        e[2] += p;
    }
    let t3 = rollup(&t3_leaves, 6);
    let head = header(src, &format!("{dir}/t3.csv"))?;
    out.insert(format!("{dir}/t3.csv"), coded(&head, &t3, names)?);
    let spent = t3[0].1[0];
    let by_class: BTreeMap<&str, Cents> = t3
        .iter()
        .filter(|(k, _)| k.len() == 3)
        .map(|(k, v)| (k.as_str(), v[0]))
        .collect();
    // 表2: all income is 财政拨款, by the 项 it paid for
    let t2_leaves: BTreeMap<String, Vec<Cents>> =
        f.t5.iter()
            .map(|(k, &(b, p))| (k.clone(), vec![b + p, b + p, 0, 0, 0, 0, 0]))
            .collect();
    let t2 = rollup(&t2_leaves, 7);
    let head = header(src, &format!("{dir}/t2.csv"))?;
    out.insert(format!("{dir}/t2.csv"), coded(&head, &t2, names)?);
    let income = t2[0].1[0];
    // 表1
    let class_name = |c: &str| names.get(c).cloned().unwrap_or_default();
    let total = income + f.carry.0;
    let mut t1: Vec<(String, Cents)> = vec![
        ("一般公共预算财政拨款收入".into(), income),
        ("其他收入".into(), 0),
        ("本年收入合计".into(), income),
        ("使用非财政拨款结余".into(), 0),
        ("年初结转和结余".into(), f.carry.0),
        ("收入总计".into(), total),
    ];
    for c in class_order
        .iter()
        .filter(|c| by_class.contains_key(c.as_str()))
    {
        t1.push((class_name(c), by_class[c.as_str()]));
    }
    t1.extend([
        ("本年支出合计".into(), spent),
        ("结余分配".into(), 0),
        ("年末结转和结余".into(), total - spent),
        ("支出总计".into(), total),
    ]);
    let mut text = header(src, &format!("{dir}/t1.csv"))? + "\n";
    for (label, v) in &t1 {
        let mut cells = vec![Some(*v)];
        if let Some(d) = dept {
            let grand = matches!(label.as_str(), "收入总计" | "支出总计");
            cells.push(grand.then_some(t5_total[3]));
            cells.push(d.t1_prior.get(label).copied());
        }
        text += &line(&[label], cells);
    }
    out.insert(format!("{dir}/t1.csv"), text);
    // 表4: 财政拨款 only, all of it 一般公共预算
    let fiscal = t5_total[0];
    let mut t4: Vec<(String, Cents)> = vec![
        ("本年收入合计".into(), income),
        ("年初财政拨款结转和结余".into(), f.carry.1),
        ("收入总计".into(), income + f.carry.1),
    ];
    for c in class_order
        .iter()
        .filter(|c| fiscal_by_class.contains_key(c.as_str()))
    {
        t4.push((class_name(c), fiscal_by_class[c.as_str()]));
    }
    t4.extend([
        ("本年支出合计".into(), fiscal),
        ("年末财政拨款结转和结余".into(), income + f.carry.1 - fiscal),
        ("支出总计".into(), income + f.carry.1),
    ]);
    let mut text = header(src, &format!("{dir}/t4.csv"))? + "\n";
    for (label, v) in &t4 {
        let mut cells = vec![Some(*v), Some(*v), Some(0), Some(0)];
        if let Some(d) = dept {
            let grand = matches!(label.as_str(), "收入总计" | "支出总计");
            cells.push(grand.then_some(t5_total[3]));
            cells.push(grand.then_some(d.t4_prior));
        }
        text += &line(&[label], cells);
    }
    out.insert(format!("{dir}/t4.csv"), text);
    // 表6: 款, 类 sums, 人员经费 = 301 + 303, 公用经费 = 302 + 310
    let mut text = header(src, &format!("{dir}/t6.csv"))? + "\n";
    let mut t6: BTreeMap<String, Cents> = f.t6.clone();
    for (k, v) in &f.t6 {
        *t6.entry(k[..3].to_string()).or_default() += v;
    }
    for (code, v) in &t6 {
        let name = names.get(code).ok_or_else(|| format!("{code} 没有名称"))?;
        text += &line(&[code, name], [Some(*v)]);
    }
    text += &line(&["", "人员经费合计"], [Some(f.t6_sum(&["301", "303"]))]);
    text += &line(&["", "公用经费合计"], [Some(f.t6_sum(&["302", "310"]))]);
    out.insert(format!("{dir}/t6.csv"), text);
    // 表7: 决算数 from 表6
    let (car, reception) = (
        f.t6.get("30231").copied().unwrap_or(0),
        f.t6.get("30217").copied().unwrap_or(0),
    );
    let spent7 = [car + reception, 0, car, 0, car, reception];
    let budget7 = [
        t7_budget.0 + t7_budget.1,
        0,
        t7_budget.0,
        0,
        t7_budget.0,
        t7_budget.1,
    ];
    let mut text = header(src, &format!("{dir}/t7.csv"))? + "\n";
    for (i, label) in T7_ROWS.iter().enumerate() {
        let mut cells = vec![Some(budget7[i]), Some(spent7[i])];
        if let Some(d) = dept {
            cells.push(d.t7_prior.get(i).copied());
        }
        text += &line(&[label], cells);
    }
    out.insert(format!("{dir}/t7.csv"), text);
    // 表8, 表9: no 政府性基金 or 国有资本经营 money, as in 2024
    for t in ["t8.csv", "t9.csv"] {
        let rel = format!("{dir}/{t}");
        out.insert(
            format!("{dir}/{t}"),
            src.get(&rel).cloned().ok_or(format!("缺少 {rel}"))?,
        );
    }
    Ok(())
}

/// Reads the 2024 example's tables (relative path → text).
pub fn read_2024(dir: &Path) -> Result<Files, String> {
    let mut files = Files::new();
    for sub in ["department".to_string()]
        .into_iter()
        .chain(UNITS.iter().map(|u| format!("units/{u}")))
    {
        for n in 1..=9 {
            let rel = format!("{sub}/t{n}.csv");
            let text =
                std::fs::read_to_string(dir.join(&rel)).map_err(|e| format!("{rel}：{e}"))?;
            files.insert(rel, text);
        }
    }
    Ok(files)
}

/// The 2025 tables of the department and its units, from the 2024 ones.
pub fn derive(src: &Files) -> Result<Files, String> {
    // names of codes and the 类 order of 表1, from the 2024 tables
    let mut names = BTreeMap::new();
    for (rel, _) in src
        .iter()
        .filter(|(k, _)| k.ends_with("t3.csv") || k.ends_with("t6.csv"))
    {
        for (labels, _) in rows(src, rel, 2)? {
            if !labels[0].is_empty() {
                names.insert(labels[0].clone(), labels[1].clone());
            }
        }
    }
    let class_order: Vec<String> = {
        let mut v: Vec<String> = names
            .keys()
            .filter(|k| k.len() == 3 && !k.starts_with('3'))
            .cloned()
            .collect();
        v.sort();
        v
    };
    let cx = Context {
        src,
        names,
        class_order,
    };
    let mut out = Files::new();
    let mut dept = Figures::default();
    for unit in UNITS {
        let f = unit_figures(src, unit)?;
        dept.add(&f);
        tables(&cx, &format!("units/{unit}"), &f, T7_BUDGET, None, &mut out)?;
    }
    let t1 = rows(src, "department/t1.csv", 1)?;
    let t4 = rows(src, "department/t4.csv", 1)?;
    let t7 = rows(src, "department/t7.csv", 1)?;
    let prior = Department {
        t1_prior: T1_PRIOR_ROWS
            .iter()
            .map(|r| Ok((r.to_string(), value(&t1, r, 0)?)))
            .collect::<Result<_, String>>()?,
        t4_prior: value(&t4, "收入总计", 0)?,
        t7_prior: T7_ROWS
            .iter()
            .map(|r| value(&t7, r, 1))
            .collect::<Result<_, String>>()?,
    };
    let budget = (
        T7_BUDGET.0 * UNITS.len() as i64,
        T7_BUDGET.1 * UNITS.len() as i64,
    );
    tables(&cx, "department", &dept, budget, Some(&prior), &mut out)?;
    Ok(out)
}
