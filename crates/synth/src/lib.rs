//! `juesuan synth`: a realistic synthetic region of 决算 datasets for tests, the audit corpus
//! and benchmarks at province scale.
//!
//! A region (省 → 市 → 县 when large) holds departments of 1–60 units (most small, a few
//! large); each department spends on the 项 codes of its sector drawn from the year's
//! 支出功能分类, with skewed amounts and many zero cells. Every unit's nine tables and the
//! department's supplementary facts are consistent by construction, so `juesuan check` finds
//! nothing until errors are injected (`inject`), whose ground truth is returned. The same seed
//! gives the same region. This crate does not check, consolidate or render anything; amounts
//! are exact 元 (分), as the accounts have them.

mod facts;
mod inject;
mod rng;
mod unit;
mod write;

pub use inject::{inject, Injected};
pub use write::write_region;

use juesuan_model::{
    AmountUnit, CodeLevel, Contact, Disclosure, DocKind, Entity, EntityKind, Overview, Reasons,
    Region, RegionChild, Table, Template, Unit,
};
use rng::Rng;

/// What to generate.
#[derive(Clone, Debug)]
pub struct Options {
    /// Total number of units (单位) across all departments.
    pub units: usize,
    pub seed: u64,
    pub year: i32,
}

/// The sectors departments are drawn from: a 类 of 支出功能分类 and department names.
const SECTORS: &[(&str, &[&str])] = &[
    (
        "201",
        &[
            "发展和改革委员会",
            "财政局",
            "统计局",
            "审计局",
            "市场监督管理局",
        ],
    ),
    ("204", &["公安局", "司法局", "人民检察院", "人民法院"]),
    ("205", &["教育局"]),
    ("206", &["科学技术局"]),
    ("207", &["文化旅游体育局", "广播电视台"]),
    ("208", &["人力资源和社会保障局", "民政局", "退役军人事务局"]),
    ("210", &["卫生健康委员会", "医疗保障局"]),
    ("211", &["生态环境局"]),
    ("212", &["住房和城乡建设局", "城市管理综合执法局"]),
    ("213", &["农牧局", "水利局", "林业和草原局"]),
    ("214", &["交通运输局"]),
    ("215", &["工业和信息化局"]),
    ("220", &["自然资源局", "气象局"]),
    ("224", &["应急管理局"]),
];

/// 项 codes every department has: pensions, health insurance, housing fund.
const COMMON_ITEMS: &[&str] = &["2080501", "2080505", "2101101", "2101102", "2210201"];

/// 政府性基金 项 codes (国有土地使用权出让收入安排的支出, 彩票公益金).
const FUND_PREFIXES: &[&str] = &["21208", "22960"];

/// Department sizes: most have one to five units, a few up to sixty.
fn department_size(rng: &mut Rng) -> usize {
    match rng.range(0, 99) {
        0..=39 => 1,
        40..=74 => rng.range(2, 5) as usize,
        75..=94 => rng.range(6, 20) as usize,
        _ => rng.range(21, 60) as usize,
    }
}

fn profile(rng: &mut Rng, template: &Template, class: &str) -> unit::Profile {
    let candidates: Vec<&str> = template
        .functional
        .iter()
        .filter(|e| e.level == CodeLevel::Item && e.code.starts_with(class))
        .map(|e| e.code.as_str())
        .collect();
    let mut items: Vec<String> = Vec::new();
    for _ in 0..rng.range(3, 8) {
        let c = candidates[rng.index(candidates.len())].to_string();
        if !items.contains(&c) {
            items.push(c);
        }
    }
    for c in COMMON_ITEMS {
        if template.functional.get(c).is_some() && rng.chance(70) && !items.iter().any(|i| i == c) {
            items.push(c.to_string());
        }
    }
    let fund_items = if rng.chance(20) {
        template
            .functional
            .iter()
            .filter(|e| {
                e.level == CodeLevel::Item && FUND_PREFIXES.iter().any(|p| e.code.starts_with(p))
            })
            .map(|e| e.code.clone())
            .take(6)
            .collect()
    } else {
        Vec::new()
    };
    unit::Profile { items, fund_items }
}

/// A department to generate: where it sits and what it is. Generating it depends only on
/// the seed and the slot, so departments can be generated one at a time or in parallel.
#[derive(Clone, Debug)]
pub struct Slot {
    pub index: usize,
    /// Number of units.
    pub size: usize,
    /// The region the department belongs to.
    pub region: String,
    pub name: String,
    sector: usize,
    base: usize,
}

/// The region tree before any amounts: regions and department slots.
#[derive(Clone, Debug)]
pub struct Shape {
    pub name: String,
    pub code: String,
    pub children: Vec<ShapeChild>,
}

#[derive(Clone, Debug)]
pub enum ShapeChild {
    Region(Shape),
    Department(Slot),
}

/// Generates one department of a slot.
pub fn department(opts: &Options, slot: &Slot) -> Result<Disclosure, String> {
    let template = Template::for_year(opts.year)?;
    let mut rng = Rng::new(opts.seed).fork(1000 + slot.index as u64);
    let (class, names) = SECTORS[slot.sector];
    let base = names[slot.base];
    let (name, size, index, region, year) =
        (&slot.name, slot.size, slot.index, &slot.region, opts.year);
    let rng = &mut rng;
    let profile = profile(rng, template, class);
    let mut units = Vec::with_capacity(size);
    for i in 0..size {
        let tables = unit::generate(rng, template, &profile, i == 0);
        let (id, uname, nature) = if i == 0 {
            (
                "benji".to_string(),
                format!("{name}本级"),
                "财政拨款的行政单位",
            )
        } else {
            (
                format!("u{i:02}"),
                format!("{name}所属第{i}中心"),
                "财政补助的事业单位",
            )
        };
        units.push(Unit {
            id,
            name: uname,
            nature: nature.to_string(),
            parent: (i > 0).then(|| "benji".to_string()),
            tables,
        });
    }
    let facts: Table = facts::generate(rng, template, &units);
    Ok(Disclosure {
        entity: Entity {
            name: name.clone(),
            year,
            kind: EntityKind::Department,
            unit: AmountUnit::Yuan,
            region: Some(region.to_string()),
            doc: DocKind::Final,
        },
        units,
        department: None,
        facts,
        projects: Vec::new(),
        reasons: Reasons::default(),
        overview: Overview {
            functions: vec![format!("负责{base}职责范围内的各项工作（合成数据）")],
            institutions: format!("合成数据：{name}共{size}个预算单位。"),
            work: vec![format!("合成数据，编号{index}。")],
        },
        contact: Contact {
            person: "合成数据".into(),
            phone: "0000-0000000".into(),
        },
        materiality_percent: 10,
    })
}

/// The shape of the region: 省 → 市 (→ 县 for large regions) → departments, 20–80
/// departments per leaf region, department sizes from a skewed distribution.
pub fn shape(opts: &Options) -> Shape {
    let mut rng = Rng::new(opts.seed).fork(1);
    let mut sizes = Vec::new();
    let mut left = opts.units.max(1);
    while left > 0 {
        let s = department_size(&mut rng).min(left);
        sizes.push(s);
        left -= s;
    }
    let leaves = sizes.len().div_ceil(40).max(1);
    let cities = leaves.min(14);
    let counties_per_city = leaves.div_ceil(cities);
    let per_leaf = sizes.len().div_ceil(leaves);
    let mut province = Shape {
        name: "合成省".into(),
        code: "990000".into(),
        children: Vec::new(),
    };
    let mut next = 0usize;
    for c in 0..cities {
        let mut city = Shape {
            name: format!("第{}市", c + 1),
            code: format!("99{:02}00", c + 1),
            children: Vec::new(),
        };
        for k in 0..counties_per_city {
            if next >= sizes.len() {
                break;
            }
            let (name, code) = if counties_per_city == 1 {
                (city.name.clone(), city.code.clone())
            } else {
                (
                    format!("第{}市第{}县", c + 1, k + 1),
                    format!("99{:02}{:02}", c + 1, k + 1),
                )
            };
            let mut leaf = Vec::new();
            let mut used = std::collections::HashSet::new();
            for &size in sizes.iter().skip(next).take(per_leaf) {
                let sector = rng.index(SECTORS.len());
                let base = rng.index(SECTORS[sector].1.len());
                let mut dname = format!("{name}{}", SECTORS[sector].1[base]);
                if !used.insert(dname.clone()) {
                    dname = format!("{dname}（{next}）");
                    used.insert(dname.clone());
                }
                leaf.push(ShapeChild::Department(Slot {
                    index: next,
                    size,
                    region: name.clone(),
                    name: dname,
                    sector,
                    base,
                }));
                next += 1;
            }
            if counties_per_city == 1 {
                city.children = leaf;
            } else {
                city.children.push(ShapeChild::Region(Shape {
                    name,
                    code,
                    children: leaf,
                }));
            }
        }
        if !city.children.is_empty() {
            province.children.push(ShapeChild::Region(city));
        }
    }
    province
}

/// Generates a region of exactly `opts.units` units.
pub fn generate(opts: &Options) -> Result<Region, String> {
    fn build(opts: &Options, s: &Shape) -> Result<Region, String> {
        let children = s
            .children
            .iter()
            .map(|c| match c {
                ShapeChild::Region(r) => build(opts, r).map(RegionChild::Region),
                ShapeChild::Department(slot) => {
                    department(opts, slot).map(|d| RegionChild::Department(Box::new(d)))
                }
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Region {
            name: s.name.clone(),
            code: s.code.clone(),
            year: opts.year,
            children,
        })
    }
    build(opts, &shape(opts))
}
