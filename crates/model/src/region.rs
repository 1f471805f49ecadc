//! 地区: a region and what it contains, to any depth: regions, then departments (each a
//! [`Disclosure`] of its units).

use crate::Disclosure;

/// A region (省/市/县) of one year.
#[derive(Clone, Debug)]
pub struct Region {
    pub name: String,
    /// 行政区划代码, e.g. 150400.
    pub code: String,
    pub year: i32,
    pub children: Vec<RegionChild>,
}

#[derive(Clone, Debug)]
pub enum RegionChild {
    Region(Region),
    Department(Box<Disclosure>),
}

impl Region {
    /// Every department under this region, depth first, with the names of the regions above
    /// it (this region first).
    pub fn departments(&self) -> Vec<(Vec<&str>, &Disclosure)> {
        let mut out = Vec::new();
        self.walk(&mut vec![], &mut out);
        out
    }

    fn walk<'a>(&'a self, path: &mut Vec<&'a str>, out: &mut Vec<(Vec<&'a str>, &'a Disclosure)>) {
        path.push(&self.name);
        for c in &self.children {
            match c {
                RegionChild::Region(r) => r.walk(path, out),
                RegionChild::Department(d) => out.push((path.clone(), d)),
            }
        }
        path.pop();
    }

    /// How many units the region holds.
    pub fn unit_count(&self) -> usize {
        self.departments().iter().map(|(_, d)| d.units.len()).sum()
    }
}
