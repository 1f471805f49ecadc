//! Uploads are parsed off the async workers, a bounded number at a time and with a time
//! limit: while large workbooks are being parsed, the portal and the login page still answer.

mod common;

use common::{Client, Server};
use juesuan_server::ParseLimits;
use std::io::Write;
use std::time::{Duration, Instant};

/// The slow workbook: about 5 s to parse in a debug build.
const ROWS: usize = 10_000;
const COLS: usize = 12;

/// A valid .xlsx whose one sheet has `rows` × `cols` numbers (within the upload extent):
/// slow to parse, and no 决算 table in it.
fn big_workbook(rows: usize, cols: usize) -> Vec<u8> {
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for r in 1..=rows {
        sheet.push_str(&format!(r#"<row r="{r}">"#));
        for c in 0..cols {
            let col = if c < 26 {
                ((b'A' + c as u8) as char).to_string()
            } else {
                format!(
                    "{}{}",
                    (b'A' + (c / 26 - 1) as u8) as char,
                    (b'A' + (c % 26) as u8) as char
                )
            };
            sheet.push_str(&format!(r#"<c r="{col}{r}"><v>{}</v></c>"#, r * 7 + c));
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    let parts: [(&str, &[u8]); 5] = [
        ("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#),
        ("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
        ("xl/workbook.xml", br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
        ("xl/_rels/workbook.xml.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ];
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        for (name, data) in parts {
            z.start_file(name, opts).unwrap();
            z.write_all(data).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

/// A second client with the same session.
fn same_session(s: &Server, c: &Client) -> Client {
    let mut other = s.client();
    other.cookies = c.cookies.clone();
    other
}

async fn wait_for_parses(s: &Server, n: usize) {
    let start = Instant::now();
    while s.state.parses_running() < n {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "only {} parses running",
            s.state.parses_running()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_portal_answers_while_large_uploads_are_parsed() {
    let s = common::start_limited(ParseLimits {
        slots: 2,
        wait: Duration::from_secs(120),
        timeout: Duration::from_secs(120),
    })
    .await;
    let mut dept = s.login("bumen").await;
    let csrf = dept.csrf().await;
    let book = big_workbook(ROWS, COLS);
    assert!(book.len() < 8 * 1024 * 1024, "{} bytes", book.len());
    // Three uploads on two async workers: two are parsed, one waits for a slot.
    let mut uploads = Vec::new();
    for _ in 0..3 {
        let mut c = same_session(&s, &dept);
        let (csrf, book) = (csrf.clone(), book.clone());
        uploads.push(tokio::spawn(async move {
            c.post_file("/work/new", &[("csrf", &csrf)], Some(("big.xlsx", book)))
                .await
        }));
    }
    wait_for_parses(&s, 2).await;
    let mut anon = s.client();
    for path in ["/static/app.css", "/login", "/"] {
        let t = Instant::now();
        let r = anon.get(path).await;
        let took = t.elapsed();
        assert_eq!(r.status, 200, "{path}");
        assert!(took < Duration::from_secs(2), "{path} took {took:?}");
    }
    // The parses were still running: the answers above did not wait for them.
    assert!(s.state.parses_running() > 0, "the uploads ended too soon");
    assert!(uploads.iter().any(|u| !u.is_finished()));
    for u in uploads {
        let r = u.await.unwrap();
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.body.contains("工作簿无法导入"), "{}", r.body);
    }
    assert_eq!(s.state.parses_running(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_beyond_the_slots_is_told_the_server_is_busy() {
    let s = common::start_limited(ParseLimits {
        slots: 1,
        wait: Duration::from_millis(200),
        timeout: Duration::from_secs(120),
    })
    .await;
    let mut dept = s.login("bumen").await;
    let csrf = dept.csrf().await;
    let mut c = same_session(&s, &dept);
    let (csrf2, book) = (csrf.clone(), big_workbook(ROWS, COLS));
    let slow = tokio::spawn(async move {
        c.post_file("/work/new", &[("csrf", &csrf2)], Some(("big.xlsx", book)))
            .await
    });
    wait_for_parses(&s, 1).await;
    let zip = common::example_zip(|_, t| t);
    let r = dept
        .post_file("/work/new", &[("csrf", &csrf)], Some(("example.zip", zip)))
        .await;
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(r.body.contains("服务器繁忙，请稍后再试"), "{}", r.body);
    assert!(!slow.is_finished(), "the first upload ended too soon");
    assert_eq!(slow.await.unwrap().status, 422);
    // A slot free again: the same upload is read (the dataset of that year exists: 409).
    let zip = common::example_zip(|_, t| t);
    let r = dept
        .post_file("/work/new", &[("csrf", &csrf)], Some(("example.zip", zip)))
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parse_that_takes_too_long_is_answered_and_keeps_its_slot() {
    let s = common::start_limited(ParseLimits {
        slots: 2,
        wait: Duration::from_secs(10),
        timeout: Duration::from_millis(300),
    })
    .await;
    let mut dept = s.login("bumen").await;
    let csrf = dept.csrf().await;
    let book = big_workbook(ROWS, COLS);
    let t = Instant::now();
    let r = dept
        .post_file("/work/new", &[("csrf", &csrf)], Some(("big.xlsx", book)))
        .await;
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(r.body.contains("处理超时"), "{}", r.body);
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    // The parse goes on on its thread and holds its slot until it ends.
    assert_eq!(s.state.parses_running(), 1);
    let start = Instant::now();
    while s.state.parses_running() > 0 {
        assert!(start.elapsed() < Duration::from_secs(120));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    eprintln!("parse took {:?}", t.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_xls_and_far_cells_are_refused_in_chinese() {
    let s = common::start().await;
    let mut dept = s.login("bumen").await;
    let csrf = dept.csrf().await;
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(8192, 0);
    let r = dept
        .post_file("/work/new", &[("csrf", &csrf)], Some(("old.xls", ole)))
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("另存为"), "{}", r.body);
    let r = dept
        .post_file(
            "/work/new",
            &[("csrf", &csrf)],
            Some(("wide.xlsx", big_workbook(2, 201))),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("超出上传限制") && r.body.contains("GS1"),
        "{}",
        r.body
    );
}
