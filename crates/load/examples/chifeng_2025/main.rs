//! Writes the tables of examples/chifeng-sfj-2025 from examples/chifeng-sfj-2024 (derive.rs
//! says how). `cargo run -p juesuan-load --example chifeng_2025`; the test
//! `crates/load/tests/chifeng_2025.rs` fails when the committed tables are not its output.

mod derive;

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let written = derive::read_2024(&root.join("chifeng-sfj-2024"))
        .and_then(|src| derive::derive(&src))
        .and_then(|files| {
            let dst = root.join("chifeng-sfj-2025");
            for (rel, text) in &files {
                let path = dst.join(rel);
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).map_err(|e| format!("{}：{e}", dir.display()))?;
                }
                std::fs::write(&path, text).map_err(|e| format!("{}：{e}", path.display()))?;
            }
            Ok(files.len())
        });
    match written {
        Ok(n) => {
            println!("已写出 {n} 张表");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}
