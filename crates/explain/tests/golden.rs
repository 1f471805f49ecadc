//! The drafts of the example, as a reviewed golden file. Bless with
//! `JUESUAN_BLESS=1 cargo test -p juesuan-explain --test golden`.

use std::path::{Path, PathBuf};

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/chifeng-sfj-2024")
}

fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("JUESUAN_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; bless with JUESUAN_BLESS=1", path.display()));
    assert_eq!(
        expected, actual,
        "drafts changed; review and bless with JUESUAN_BLESS=1"
    );
}

#[test]
fn the_examples_drafts_match_the_reviewed_golden_file() {
    let d = juesuan_load::load_dataset(&example()).unwrap();
    let e = juesuan_explain::explain(&d).unwrap();
    golden("chifeng-sfj-2024.txt", &e.to_human());
}
