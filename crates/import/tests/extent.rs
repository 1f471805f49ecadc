//! D9: a workbook with one cell far outside the tables is refused before any dense grid is
//! built (the reproducers of issue 16, read from ../shared/repro/ when present).

use std::path::Path;
use std::time::Instant;

#[test]
fn far_cell_is_refused_quickly_with_the_sheet_named() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/repro");
    for (file, cell) in [
        ("import_oom_min.xlsx", "XFD1048576"),
        ("import_mem_mid.xlsx", "AX1048576"),
    ] {
        let path = dir.join(file);
        if !path.exists() {
            eprintln!("skipped: {} is absent", path.display());
            continue;
        }
        let t = Instant::now();
        let err =
            juesuan_import::read_file(&path, &Default::default()).expect_err("must be refused");
        let elapsed = t.elapsed();
        let text = err
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(text.contains("超出限制"), "{text}");
        assert!(text.contains(cell), "{text}");
        assert!(text.contains("工作表“"), "{text}");
        assert!(elapsed.as_secs_f64() < 1.0, "{file}: {elapsed:?}");
    }
}
