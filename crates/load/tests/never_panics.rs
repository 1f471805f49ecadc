//! Whatever bytes a table file holds, reading it returns a table or problems, never a panic.

use juesuan_load::read_table;
use juesuan_model::{AmountUnit, Template};
use proptest::prelude::*;

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("合计".to_string()),
        Just("2040601 行政运行".to_string()),
        Just("－".to_string()),
        "[0-9０-９,.，．\\- ]{0,12}",
        "\\PC{0,8}",
    ]
}

proptest! {
    #[test]
    fn any_csv_reads_without_panic(
        table in prop::sample::select(vec!["T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9"]),
        rows in prop::collection::vec(prop::collection::vec(cell(), 0..10), 0..8),
        keep_header in any::<bool>(),
    ) {
        let t = Template::for_year(2024).unwrap();
        let def = t.table(table).unwrap();
        let mut text = String::new();
        if keep_header {
            let mut h = vec!["科目编码".to_string(), "科目名称".to_string()];
            if def.layout == juesuan_model::Layout::Fixed { h = vec!["项目".to_string()]; }
            h.extend(def.columns.iter().cloned());
            text.push_str(&h.join(","));
            text.push('\n');
        }
        for r in &rows {
            text.push_str(&r.join(","));
            text.push('\n');
        }
        let mut problems = Vec::new();
        let _ = read_table(text.as_bytes(), "t.csv", def, t, AmountUnit::Wan, &mut problems);
        for p in &problems {
            prop_assert!(!p.message.is_empty());
            prop_assert_eq!(&p.file, "t.csv");
        }
    }

    #[test]
    fn arbitrary_bytes_read_without_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let t = Template::for_year(2024).unwrap();
        let mut problems = Vec::new();
        let _ = read_table(&bytes, "t.csv", t.table("T5").unwrap(), t, AmountUnit::Yuan, &mut problems);
    }
}
