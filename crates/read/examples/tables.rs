//! Prints the tables the reader finds in documents: `cargo run -p juesuan-read --example tables -- FILE…`.
//! A developer's view of what the reader saw; `juesuan audit --format json` is the user's.

fn main() {
    let verbose = std::env::var_os("VERBOSE").is_some();
    for arg in std::env::args().skip(1) {
        let t0 = std::time::Instant::now();
        let src = match juesuan_read::read(std::path::Path::new(&arg)) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("{e}");
                continue;
            }
        };
        let pages = src.lines.iter().filter_map(|l| l.page).max().unwrap_or(0);
        println!(
            "== {arg}: {pages} pages, {} lines, {} tables, {:.2}s",
            src.lines.len(),
            src.tables.len(),
            t0.elapsed().as_secs_f64()
        );
        if std::env::var_os("SHOW_LINES").is_some() {
            for l in &src.lines {
                let mark = l.table.map_or("  ".to_string(), |t| format!("T{t}"));
                println!("{mark} p{}:{} {}", l.page.unwrap_or(0), l.line, l.text);
            }
        }
        for t in &src.tables {
            let rows: Vec<usize> = t.sides.iter().map(|s| s.rows.len()).collect();
            println!(
                "  [{}] {} {:?} p{:?} sides/rows {:?} cols {} empty {}{}",
                t.number.as_deref().unwrap_or("-"),
                t.title,
                t.unit,
                t.pages,
                rows,
                t.columns.len(),
                t.is_empty(),
                if t.empty_note { " (空表说明)" } else { "" }
            );
            if verbose {
                for (i, c) in t.columns.iter().enumerate() {
                    println!("      col{i} {:?} {}", c.role, c.header.join("/"));
                }
                for s in &t.sides {
                    for r in s.rows.iter().take(40) {
                        let v: Vec<&str> = r.values.iter().map(|v| v.text.as_str()).collect();
                        println!(
                            "      {} {} | {}",
                            r.code.as_deref().unwrap_or(""),
                            r.name,
                            v.join(" | ")
                        );
                    }
                }
            }
        }
    }
}
