//! Reading a region directory: `region.toml` (name, code, year) and one subdirectory per
//! child, either a region (it has `region.toml`) or a department dataset (`disclosure.toml`).
//! Other entries are ignored; children are read in name order.

use crate::{load_dataset, DISCLOSURE_FILE};
use juesuan_model::{Problem, Region, RegionChild};
use std::path::Path;

/// The metadata file of a region directory.
pub const REGION_FILE: &str = "region.toml";

/// Whether a directory is a region (holds `region.toml`).
pub fn is_region(dir: &Path) -> bool {
    dir.join(REGION_FILE).is_file()
}

/// Loads a region and everything under it. Problems of every dataset are collected, each
/// with its file prefixed by the dataset's path below `dir`.
pub fn load_region(dir: &Path) -> Result<Region, Vec<Problem>> {
    let mut problems = Vec::new();
    let region = read_region(dir, Path::new(""), &mut problems);
    match region {
        Some(r) if problems.is_empty() => Ok(r),
        _ => Err(problems),
    }
}

fn read_region(dir: &Path, rel: &Path, problems: &mut Vec<Problem>) -> Option<Region> {
    let file = rel.join(REGION_FILE).display().to_string();
    let text = match std::fs::read(dir.join(REGION_FILE)) {
        Ok(b) => match crate::decode(&b) {
            Ok(t) => t,
            Err(e) => {
                problems.push(Problem::in_file(file, e.in_line()).at(e.line, None));
                return None;
            }
        },
        Err(e) => {
            problems.push(Problem::in_file(file, format!("无法读取地区文件：{e}")));
            return None;
        }
    };
    let meta = text
        .parse::<toml::Table>()
        .map_err(|e| e.to_string())
        .and_then(|t| {
            let r = t
                .get("region")
                .and_then(|r| r.as_table())
                .ok_or("缺少 [region]")?;
            let name = r.get("name").and_then(|v| v.as_str()).ok_or("缺少 name")?;
            let year = r
                .get("year")
                .and_then(|v| v.as_integer())
                .ok_or("缺少 year")?;
            let code = r.get("code").and_then(|v| v.as_str()).unwrap_or_default();
            Ok::<_, String>((name.to_string(), code.to_string(), year as i32))
        });
    let (name, code, year) = match meta {
        Ok(m) => m,
        Err(e) => {
            problems.push(Problem::in_file(
                file,
                format!("地区文件格式有误（需要 [region] name、year，可选 code）：{e}"),
            ));
            return None;
        }
    };
    let mut entries: Vec<_> = match std::fs::read_dir(dir) {
        Ok(d) => d
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect(),
        Err(e) => {
            problems.push(Problem::in_file(
                rel.display().to_string(),
                format!("无法读取目录：{e}"),
            ));
            return None;
        }
    };
    entries.sort();
    let mut children = Vec::new();
    for path in entries {
        let name = path.file_name().map(|n| n.to_owned()).unwrap_or_default();
        let child_rel = rel.join(&name);
        if is_region(&path) {
            if let Some(r) = read_region(&path, &child_rel, problems) {
                children.push(RegionChild::Region(r));
            }
        } else if path.join(DISCLOSURE_FILE).is_file() {
            match load_dataset(&path) {
                Ok(d) => {
                    if d.entity.year != year {
                        problems.push(Problem::in_file(
                            child_rel.join(DISCLOSURE_FILE).display().to_string(),
                            format!("年度 {} 与所属地区的年度 {} 不一致", d.entity.year, year),
                        ));
                    }
                    children.push(RegionChild::Department(Box::new(d)));
                }
                Err(ps) => problems.extend(ps.into_iter().map(|mut p| {
                    p.file = child_rel.join(&p.file).display().to_string();
                    p
                })),
            }
        }
    }
    Some(Region {
        name,
        code,
        year,
        children,
    })
}
