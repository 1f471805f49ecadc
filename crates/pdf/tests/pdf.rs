//! The example's PDF opened by real tools (poppler's pdfinfo, pdffonts, pdftotext; installed
//! by scripts/setup): A4 pages, the CJK font embedded as a subset, the text extractable, page
//! numbers on the body pages, and the 草稿 mark on every page of a draft.

use std::path::{Path, PathBuf};
use std::process::Command;

fn document() -> juesuan_report::Document {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/chifeng-sfj-2024");
    let d = juesuan_load::load_dataset(&dir).expect("example loads");
    juesuan_report::build(&d).expect("builds")
}

fn render(draft: bool) -> (tempfile::TempDir, PathBuf) {
    let fonts = juesuan_pdf::Fonts::discover().expect("CJK font installed by scripts/setup");
    let pdf = juesuan_pdf::render(&document(), draft, &fonts).expect("typesets");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    (dir, path)
}

fn tool(name: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(name)
        .args(args)
        .arg(pdf)
        .args(if name == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{name} (poppler-utils, scripts/setup): {e}"));
    assert!(out.status.success(), "{name} failed");
    String::from_utf8(out.stdout).unwrap()
}

fn pages(pdf: &Path) -> usize {
    let info = tool("pdfinfo", &[], pdf);
    assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn a4_with_embedded_cjk_font_and_the_text_of_the_document() {
    let (_keep, pdf) = render(false);
    let n = pages(&pdf);
    assert!((15..60).contains(&n), "{n} pages");

    let fonts = tool("pdffonts", &[], &pdf);
    let cjk: Vec<&str> = fonts.lines().filter(|l| l.contains("CJK")).collect();
    assert!(!cjk.is_empty(), "{fonts}");
    for line in &cjk {
        // columns: name type encoding emb sub uni
        let cols: Vec<&str> = line.split_whitespace().collect();
        let flags = &cols[cols.len() - 5..cols.len() - 2];
        assert_eq!(
            flags,
            ["yes", "yes", "yes"],
            "embedded subset with ToUnicode: {line}"
        );
    }

    let text = tool("pdftotext", &["-layout"], &pdf);
    for needle in [
        "赤峰市司法局2024年度部门决算",
        "目录",
        "第一部分 部门概况",
        "第五部分 2024年度部门决算表",
        "表1 收入支出决算总表",
        "表9 国有资本经营预算财政拨款收入支出决算表",
        "单位：万元",
        "收入、支出决算总计4328.25万元",
        "本年收入决算合计4007.03万元",
        "4328.25",
    ] {
        assert!(text.contains(needle), "PDF text lacks {needle}");
    }
    assert!(!text.contains("草稿"), "a final PDF has no draft mark");

    // body pages are numbered 1, 2, …; cover and 目录 are not
    let last = tool(
        "pdftotext",
        &["-f", &n.to_string(), "-l", &n.to_string(), "-layout"],
        &pdf,
    );
    let number = (n - 2).to_string();
    assert!(
        last.lines().any(|l| l.trim() == number),
        "last page should show page number {number}"
    );
}

#[test]
fn every_page_of_a_draft_says_so() {
    let (_keep, pdf) = render(true);
    let n = pages(&pdf);
    for p in 1..=n {
        let p = p.to_string();
        let text = tool("pdftotext", &["-f", &p, "-l", &p], &pdf);
        assert!(text.contains("草稿"), "page {p} has no 草稿 mark");
    }
}

#[test]
fn dataset_text_cannot_inject_markup() {
    let mut doc = document();
    doc.blocks.push(juesuan_report::Block::paragraph(
        "#set page(paper: \"a5\") $x$ *强调* \\ \"引号\" ]) [",
    ));
    let fonts = juesuan_pdf::Fonts::discover().unwrap();
    let pdf = juesuan_pdf::render(&doc, false, &fonts).expect("special characters are text");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    pages(&path); // still A4
    let text = tool("pdftotext", &[], &path);
    assert!(
        text.contains("#set page(paper: \"a5\") $x$ *强调*"),
        "text kept verbatim"
    );
}
