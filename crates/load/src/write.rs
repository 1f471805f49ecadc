//! Writing the dataset format back: one table as the loader's CSV, TOML string literals.
//! Shared by `juesuan import` and `juesuan synth` so that what they write is what
//! [`crate::load_dataset`] reads.

use juesuan_model::{AmountUnit, Layout, Money, Table, TableDef, Template};

/// A TOML basic string literal.
pub fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One table as the loader's CSV: 合计 first, then codes in code order, then the fixed rows
/// (人员经费合计 …); fixed tables in template order. Amounts in `unit`.
pub fn table_csv(def: &TableDef, template: &Template, table: &Table, unit: AmountUnit) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let classified = def.layout != Layout::Fixed;
    let mut header: Vec<String> = if classified {
        vec!["科目编码".into(), "科目名称".into()]
    } else {
        vec!["项目".into()]
    };
    header.extend(table.columns.iter().cloned());
    let _ = w.write_record(&header);
    let mut rows: Vec<_> = table.rows().iter().collect();
    if classified {
        rows.sort_by_key(|r| {
            (
                r.key != "合计",
                def.row_def(&r.key).is_some(),
                r.key.clone(),
            )
        });
    } else {
        rows.sort_by_key(|r| def.rows.iter().position(|d| d.key == r.key));
    }
    for r in rows {
        let mut rec: Vec<String> = if classified {
            if r.key == "合计" || def.row_def(&r.key).is_some() {
                vec![String::new(), r.key.clone()]
            } else {
                vec![r.key.clone(), template.row_name(def, &r.key)]
            }
        } else if r.key.bytes().all(|b| b.is_ascii_digit()) {
            vec![format!("{} {}", r.key, template.row_name(def, &r.key))]
        } else {
            vec![r.key.clone()]
        };
        rec.extend(r.values.iter().map(|v| {
            v.map(|v| unit.format(Money::from_fen(v)))
                .unwrap_or_default()
        }));
        let _ = w.write_record(&rec);
    }
    w.into_inner().unwrap_or_default()
}

/// Refuses to write `path` unless it resolves inside `root` (the `-o` directory, which must
/// exist): `path`'s parent directory, with symbolic links resolved, must be `root` or below
/// it, its last component a plain name, and an existing `path` must resolve there too (no
/// symbolic link out). File names made from data go through
/// [`juesuan_model::safe::file_stem`] first; this is the check that nothing slipped past.
pub fn ensure_inside(root: &std::path::Path, path: &std::path::Path) -> Result<(), String> {
    use std::path::Component;
    let refuse = || {
        format!(
            "拒绝写入 {}：不在输出目录 {} 之内",
            path.display(),
            root.display()
        )
    };
    let root_real = std::fs::canonicalize(root)
        .map_err(|e| format!("无法访问输出目录 {}：{e}", root.display()))?;
    let (Some(parent), Some(Component::Normal(_))) = (path.parent(), path.components().next_back())
    else {
        return Err(refuse());
    };
    let parent = if parent.as_os_str().is_empty() {
        std::path::Path::new(".")
    } else {
        parent
    };
    let parent_real = std::fs::canonicalize(parent).map_err(|_| refuse())?;
    if !parent_real.starts_with(&root_real) {
        return Err(refuse());
    }
    if std::fs::symlink_metadata(path).is_ok() {
        let real = std::fs::canonicalize(path).map_err(|_| refuse())?;
        if !real.starts_with(&root_real) {
            return Err(refuse());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::ensure_inside;

    #[test]
    fn inside_and_outside() {
        let base = std::env::temp_dir().join(format!("juesuan-inside-{}", std::process::id()));
        let out = base.join("out");
        std::fs::create_dir_all(out.join("sub")).unwrap();
        assert!(ensure_inside(&out, &out.join("a.html")).is_ok());
        assert!(ensure_inside(&out, &out.join("sub").join("a.html")).is_ok());
        let e = ensure_inside(&out, &out.join("..").join("a.html")).unwrap_err();
        assert!(e.contains("不在输出目录"), "{e}");
        assert!(ensure_inside(&out, &out.join("sub").join("..").join("..").join("x")).is_err());
        assert!(ensure_inside(&out, std::path::Path::new("/tmp/x-.html")).is_err());
        assert!(ensure_inside(&out, &out.join("sub").join("..")).is_err());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&base, out.join("link")).unwrap();
            assert!(ensure_inside(&out, &out.join("link").join("x")).is_err());
            std::os::unix::fs::symlink(base.join("elsewhere"), out.join("f.html")).unwrap();
            assert!(ensure_inside(&out, &out.join("f.html")).is_err());
        }
        let _ = std::fs::remove_dir_all(&base);
    }
}
