//! Item 9: a fuzz harness over real inputs. Each case is a mutated real file — bytes flipped,
//! inserted or cut off, or a cell's text edited — of the example dataset's CSV and TOML
//! (load → check → build), its exported workbook (import), its Word and PDF documents and a
//! text version (audit), and a zip of the dataset (the server's upload). Every case must end
//! without a panic, and every rejection must be a Chinese message that names its file (and,
//! for data files, where in it). The seed is fixed, so a failure repeats.
//!
//! `cargo test -p juesuan --test fuzz` runs a few hundred cases; `bench/fuzz` (FUZZ_CASES=N)
//! runs more and prints cases, panics and messages without a location.

use std::io::{Read, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/chifeng-sfj-2024")
}

/// SplitMix64 with a fixed seed: the same cases on every run and machine.
struct TestRng(u64);

impl TestRng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `range` (empty ranges give their start).
    fn below(&mut self, range: std::ops::Range<usize>) -> usize {
        let n = range.end.saturating_sub(range.start);
        if n == 0 {
            return range.start;
        }
        range.start + (self.next() % n as u64) as usize
    }
}

fn chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[derive(Default, Debug)]
struct Stats {
    cases: usize,
    rejected: usize,
    panics: Vec<String>,
    not_chinese: Vec<String>,
    without_location: Vec<String>,
}

/// One mutation of `bytes`: flips, an insertion, a cut, or a digit/character edit of text.
fn mutate(rng: &mut TestRng, bytes: &[u8]) -> Vec<u8> {
    let mut b = bytes.to_vec();
    if b.is_empty() {
        return vec![rng.next() as u8];
    }
    match rng.below(0..5) {
        0 => {
            for _ in 0..rng.below(1..4) {
                let i = rng.below(0..b.len());
                b[i] ^= 1 << rng.below(0..8);
            }
        }
        1 => {
            let i = rng.below(0..b.len() + 1);
            let pick: &[&[u8]] = &[
                b",",
                b"\n",
                b"\"",
                b"\xff",
                b"-",
                b"9999999999999999",
                b"=1+1",
                "－".as_bytes(),
                b"[",
                b"1.005",
            ];
            let s = pick[rng.below(0..pick.len())];
            b.splice(i..i, s.iter().copied());
        }
        2 => b.truncate(rng.below(0..b.len())),
        3 => {
            // a digit of an amount changed, as a typo would
            let digits: Vec<usize> = (0..b.len()).filter(|&i| b[i].is_ascii_digit()).collect();
            if let Some(&i) = digits.get(rng.below(0..digits.len().max(1))) {
                b[i] = b'0' + rng.below(0..10) as u8;
            }
        }
        _ => {
            let i = rng.below(0..b.len());
            let n = rng.below(1..16).min(b.len() - i);
            b.drain(i..i + n);
        }
    }
    b
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dst = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &dst);
        } else {
            std::fs::copy(e.path(), dst).unwrap();
        }
    }
}

impl Stats {
    fn case(&mut self, what: &str, f: impl FnOnce() -> Result<(), Vec<(String, bool)>>) {
        self.cases += 1;
        match catch_unwind(AssertUnwindSafe(f)) {
            Err(_) => self.panics.push(what.to_string()),
            Ok(Ok(())) => {}
            Ok(Err(messages)) => {
                self.rejected += 1;
                for (m, located) in messages {
                    if !chinese(&m) {
                        self.not_chinese.push(format!("{what}: {m}"));
                    }
                    if !located {
                        self.without_location.push(format!("{what}: {m}"));
                    }
                }
            }
        }
    }
}

fn problems(p: Vec<juesuan_model::Problem>) -> Vec<(String, bool)> {
    p.into_iter()
        .map(|p| {
            // A problem inside a CSV or TOML file names its line (or its header column); one
            // about the file as a whole (missing, empty, of another dataset) says so.
            let inside = p.file.ends_with(".csv") || p.file.ends_with(".toml");
            let located = !p.file.is_empty()
                && (!inside || p.row.is_some() || p.column.is_some() || whole_file(&p.message));
            (p.to_string(), located)
        })
        .collect()
}

/// A message about a file as a whole, which has no line to name.
fn whole_file(message: &str) -> bool {
    ["文件", "缺少", "没有", "为空", "空的", "编码"]
        .iter()
        .any(|w| message.contains(w))
}

/// load → check → build (HTML) of the dataset in `dir`.
fn dataset(dir: &Path) -> Result<(), Vec<(String, bool)>> {
    let d = juesuan_load::load_dataset(dir).map_err(problems)?;
    juesuan_check::check_disclosure(&d).map_err(|e| vec![(e, true)])?;
    let doc = juesuan_report::build(&d).map_err(|e| vec![(e, true)])?;
    let _ = juesuan_html::render(&doc, true);
    Ok(())
}

fn run(cases: usize) -> Stats {
    let rng = &mut TestRng(16);
    let mut stats = Stats::default();
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().join("base");
    copy_dir(&example(), &base);
    let d = juesuan_load::load_dataset(&base).unwrap();
    let doc = juesuan_report::build(&d).unwrap();
    let book = juesuan_import::export_workbook(&base, &doc).unwrap();
    let docx = juesuan_docx::write_docx(&doc, false).unwrap();
    let text = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../audit/tests/data/chifeng-sfj-2024.txt"),
    )
    .unwrap();
    let pdf = juesuan_pdf::Fonts::discover()
        .ok()
        .and_then(|f| juesuan_pdf::render(&doc, false, &f).ok());
    let mut zip = Vec::new();
    {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(&mut zip));
        for rel in [
            "disclosure.toml",
            "units/benji/t1.csv",
            "units/benji/t2.csv",
        ] {
            w.start_file(rel, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(&std::fs::read(base.join(rel)).unwrap())
                .unwrap();
        }
        w.finish().unwrap();
    }
    let files = [
        "disclosure.toml",
        "units/benji/unit.toml",
        "units/benji/t1.csv",
        "units/benji/t3.csv",
        "units/jiedusuo/t5.csv",
        "units/jiedusuo/t7.csv",
        "department/t6.csv",
    ];
    let work = tmp.path().join("case");
    for i in 0..cases {
        match i % 6 {
            0 | 1 => {
                let _ = std::fs::remove_dir_all(&work);
                copy_dir(&base, &work);
                let rel = files[rng.below(0..files.len())];
                let m = mutate(rng, &std::fs::read(base.join(rel)).unwrap());
                std::fs::write(work.join(rel), m).unwrap();
                stats.case(rel, || dataset(&work));
            }
            2 => {
                let m = mutate_workbook(rng, &book);
                stats.case("xlsx", || {
                    juesuan_import::read_bytes(&m, "x.xlsx", "x", &Default::default())
                        .map(|_| ())
                        .map_err(problems)
                });
            }
            3 => {
                let m = mutate(rng, &zip);
                stats.case("zip", || {
                    juesuan_server::store::from_zip(&m)
                        .map(|_| ())
                        .map_err(|e| vec![(e, true)])
                });
            }
            4 => {
                let (ext, src) = match (rng.below(0..3), &pdf) {
                    (0, Some(p)) if cases < 10_000 || rng.below(0..4) == 0 => ("pdf", p),
                    (1, _) => ("txt", &text),
                    _ => ("docx", &docx),
                };
                let m = if ext == "docx" {
                    mutate_zip_part(rng, src)
                } else {
                    mutate(rng, src)
                };
                let path = tmp.path().join(format!("doc.{ext}"));
                std::fs::write(&path, m).unwrap();
                stats.case(ext, || {
                    juesuan_audit::audit_file(&path, 2024)
                        .map(|_| ())
                        .map_err(|e| vec![(e, true)])
                });
            }
            _ => {
                let m = mutate_zip_part(rng, &book);
                stats.case("xlsx-part", || {
                    juesuan_import::read_bytes(&m, "x.xlsx", "x", &Default::default())
                        .map(|_| ())
                        .map_err(problems)
                });
            }
        }
    }
    stats
}

/// A workbook's bytes mutated as a whole (mostly a broken package).
fn mutate_workbook(rng: &mut TestRng, book: &[u8]) -> Vec<u8> {
    mutate(rng, book)
}

/// One part of a zip package (a sheet, the shared strings, document.xml) mutated and the
/// package written again: the cell edits a user or a program makes.
fn mutate_zip_part(rng: &mut TestRng, bytes: &[u8]) -> Vec<u8> {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return bytes.to_vec();
    };
    let target = rng.below(0..zip.len());
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let Ok(mut f) = zip.by_index(i) else { continue };
        let name = f.name().unwrap_or_default().to_string();
        let mut buf = Vec::new();
        if f.read_to_end(&mut buf).is_err() {
            continue;
        }
        if i == target {
            buf = mutate(rng, &buf);
        }
        if out
            .start_file(name, zip::write::SimpleFileOptions::default())
            .is_ok()
        {
            let _ = out.write_all(&buf);
        }
    }
    out.finish().map(|c| c.into_inner()).unwrap_or_default()
}

#[test]
fn mutated_real_inputs_never_panic_and_are_refused_in_chinese() {
    let cases = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(180);
    let s = run(cases);
    println!(
        "fuzz: {} cases, {} rejected, {} panics, {} messages not in Chinese, {} without location",
        s.cases,
        s.rejected,
        s.panics.len(),
        s.not_chinese.len(),
        s.without_location.len()
    );
    for m in s.not_chinese.iter().chain(&s.without_location).take(20) {
        println!("  {m}");
    }
    assert!(s.panics.is_empty(), "panics: {:?}", s.panics);
    assert!(s.not_chinese.is_empty(), "{:#?}", s.not_chinese);
    assert!(s.without_location.is_empty(), "{:#?}", s.without_location);
    assert!(
        s.rejected > 0,
        "no case was rejected: the mutations do nothing"
    );
}
