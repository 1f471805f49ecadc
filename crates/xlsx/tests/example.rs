//! The shipped example (赤峰市司法局 2024) end to end: its document's nine tables, as the
//! report crate lays them out, write without error and read back as displayed.

mod common;

use std::path::Path;

#[test]
fn example_dataset_nine_tables() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/chifeng-sfj-2024");
    let disclosure = juesuan_load::load_dataset(&dir).expect("example loads");
    let doc = juesuan_report::build(&disclosure).expect("document builds");
    let tables: Vec<_> = juesuan_xlsx::standard_tables(&doc).collect();
    assert_eq!(tables.len(), 9, "表1 … 表9");

    let bytes = juesuan_xlsx::write_xlsx(&doc).expect("workbook");
    let book = Path::new(env!("CARGO_TARGET_TMPDIR")).join("chifeng-sfj-2024.xlsx");
    std::fs::write(&book, bytes).expect("write workbook");
    common::assert_reads_back(&book, tables);
}
