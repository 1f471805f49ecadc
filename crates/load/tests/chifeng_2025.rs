//! examples/chifeng-sfj-2025's tables are exactly what its generator derives from the 2024
//! example (crates/load/examples/chifeng_2025): regenerate with
//! `cargo run -p juesuan-load --example chifeng_2025` after changing either.

#[path = "../examples/chifeng_2025/derive.rs"]
mod derive;

use std::path::Path;

#[test]
fn the_committed_2025_tables_are_the_generator_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let src = derive::read_2024(&root.join("chifeng-sfj-2024")).unwrap();
    let files = derive::derive(&src).unwrap();
    assert_eq!(
        files.len(),
        27,
        "nine tables for the department and each unit"
    );
    for (rel, text) in &files {
        let committed = std::fs::read_to_string(root.join("chifeng-sfj-2025").join(rel))
            .unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(
            &committed, text,
            "{rel} differs from the generator's output"
        );
    }
}

/// The 上年决算 columns are last year's 决算: a changed 2024 figure moves them.
#[test]
fn the_prior_year_columns_follow_the_2024_figures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut src = derive::read_2024(&root.join("chifeng-sfj-2024")).unwrap();
    let t7 = src.get_mut("department/t7.csv").unwrap();
    *t7 = t7.replace("公务接待费,6.00,1.23,1.08", "公务接待费,6.00,1.24,1.08");
    let files = derive::derive(&src).unwrap();
    assert!(files["department/t7.csv"].contains("\n公务接待费,6.00,1.00,1.24\n"));
}
