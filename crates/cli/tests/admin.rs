//! A real install set up only with `juesuan admin`: an empty SQLite database, the first
//! administrator, a region, a department and a 财政 user; backed up, wiped, restored; then
//! `juesuan serve` on the restored database and the administrator signs in over HTTP.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn juesuan(db: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .arg("admin")
        .args(args)
        .args(["--db", db])
        .env_remove("DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

fn ok(db: &str, args: &[&str], stdin: Option<&str>) -> String {
    let out = juesuan(db, args, stdin);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{args:?}: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

fn refused(db: &str, args: &[&str], stdin: Option<&str>) -> String {
    let out = juesuan(db, args, stdin);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    String::from_utf8_lossy(&out.stderr).to_string()
}

struct Resp {
    status: u16,
    cookies: Vec<String>,
    location: String,
    body: String,
}

/// One HTTP/1.1 request on its own connection.
fn http(addr: SocketAddr, method: &str, path: &str, cookie: &str, form: &str) -> Resp {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nCookie: {cookie}\r\n"
    );
    if method == "POST" {
        req.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            form.len()
        ));
    }
    req.push_str("\r\n");
    req.push_str(form);
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let (mut cookies, mut location) = (Vec::new(), String::new());
    for l in lines {
        if let Some((k, v)) = l.split_once(':') {
            match k.to_ascii_lowercase().as_str() {
                "set-cookie" => cookies.push(v.trim().split(';').next().unwrap().to_string()),
                "location" => location = v.trim().to_string(),
                _ => {}
            }
        }
    }
    Resp {
        status,
        cookies,
        location,
        body: body.to_string(),
    }
}

fn csrf_field(html: &str) -> String {
    let needle = r#"name="csrf" value=""#;
    let i = html.find(needle).expect("no csrf field") + needle.len();
    let j = html[i..].find('"').unwrap();
    html[i..i + j].to_string()
}

/// Signs in; the session cookie, or the failed answer's status.
fn login(addr: SocketAddr, user: &str, password: &str) -> Result<String, u16> {
    let page = http(addr, "GET", "/login", "", "");
    assert_eq!(page.status, 200);
    let cookie = page.cookies.join("; ");
    let form = format!(
        "username={user}&password={password}&csrf={}",
        csrf_field(&page.body)
    );
    let r = http(addr, "POST", "/login", &cookie, &form);
    if r.status != 303 {
        return Err(r.status);
    }
    assert_eq!(r.location, "/admin/users");
    Ok(r.cookies.join("; "))
}

fn remove_db(path: &Path) {
    for ext in ["", "-wal", "-shm"] {
        let p = format!("{}{ext}", path.display());
        let _ = std::fs::remove_file(p);
    }
}

#[test]
fn a_fresh_install_set_up_with_admin_commands_backed_up_restored_and_signed_in() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("juesuan.db");
    let db = format!("sqlite:{}", path.display());
    ok(&db, &["init"], None);
    assert!(path.is_file());
    ok(&db, &["add-region", "赤峰市"], None);
    assert!(refused(&db, &["add-region", "赤峰市"], None).contains("已存在"));
    assert!(refused(
        &db,
        &["add-department", "某局", "--region", "没有的地区"],
        None
    )
    .contains("add-region"));
    let dept = ok(
        &db,
        &["add-department", "赤峰市司法局", "--region", "赤峰市"],
        None,
    );
    assert!(dept.contains("编号"), "{dept}");
    let pw = "first-admin-password-1";
    ok(
        &db,
        &["add-user", "root", "--role", "admin", "--password-stdin"],
        Some(&format!("{pw}\n")),
    );
    // A short password, a missing department, a password on the command line: refused.
    assert!(refused(
        &db,
        &["add-user", "x1", "--role", "admin", "--password-stdin"],
        Some("short\n")
    )
    .contains("至少 10 个字符"));
    assert!(refused(
        &db,
        &["add-user", "x2", "--role", "dept", "--password-stdin"],
        Some("long-enough-password\n")
    )
    .contains("--department"));
    assert_eq!(
        juesuan(&db, &["add-user", "x3", "--role", "admin"], None)
            .status
            .code(),
        Some(2)
    );
    ok(
        &db,
        &[
            "add-user",
            "bumen",
            "--role",
            "dept",
            "--department",
            "赤峰市司法局",
            "--password-stdin",
        ],
        Some("dept-user-password-2\n"),
    );
    ok(
        &db,
        &[
            "add-user",
            "caizheng",
            "--role",
            "finance",
            "--region",
            "赤峰市",
            "--password-stdin",
        ],
        Some("finance-password-3\n"),
    );
    let users = ok(&db, &["list-users"], None);
    assert!(
        users.contains("root\t管理员")
            && users.contains("bumen\t部门")
            && users.contains("共 3 个用户"),
        "{users}"
    );
    assert!(!users.contains(pw));

    // Back up, wipe, restore from the copy.
    let backup = tmp.path().join("backup.db");
    ok(&db, &["backup", &backup.display().to_string()], None);
    assert!(refused(&db, &["backup", &backup.display().to_string()], None).contains("已存在"));
    remove_db(&path);
    assert!(!path.exists());
    std::fs::copy(&backup, &path).unwrap();

    // Serve the restored database.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let mut server = Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(["serve", "--db", &db, "--addr", &addr.to_string()])
        .env_remove("DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while TcpStream::connect(addr).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "serve did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let result = std::panic::catch_unwind(|| {
        assert_eq!(login(addr, "root", "wrong-password-000"), Err(401));
        let session = login(addr, "root", pw).expect("the first administrator signs in");
        let page = http(addr, "GET", "/admin/users", &session, "");
        assert_eq!(page.status, 200, "{}", page.body);
        for text in ["root", "bumen", "caizheng", "赤峰市司法局"] {
            assert!(page.body.contains(text), "{text} missing after restore");
        }
    });
    // A new password ends the sessions and the old one no longer works.
    let reset = std::panic::catch_unwind(|| {
        ok(
            &db,
            &["reset-password", "root", "--password-stdin"],
            Some("second-admin-password-4\n"),
        );
        assert_eq!(login(addr, "root", pw), Err(401));
        login(addr, "root", "second-admin-password-4").expect("the new password works");
    });
    let _ = server.kill();
    let _ = server.wait();
    result.unwrap();
    reset.unwrap();
}

#[test]
fn serve_demo_runs_away_from_the_source_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let db = format!("sqlite:{}", tmp.path().join("demo.db").display());
    // An empty working directory, no JUESUAN_DEMO_DIR: the example compiled in is used.
    let mut server = Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(["serve", "--demo", "--db", &db, "--addr", &addr.to_string()])
        .current_dir(tmp.path())
        .env_remove("DATABASE_URL")
        .env_remove("JUESUAN_DEMO_DIR")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let page = loop {
        if TcpStream::connect(addr).is_ok() {
            break http(addr, "GET", "/", "", "");
        }
        if start.elapsed() > Duration::from_secs(60) || server.try_wait().unwrap().is_some() {
            let _ = server.kill();
            panic!("serve --demo did not start away from the source tree");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(page.status, 200);
    assert!(page.body.contains("赤峰市司法局"), "{}", page.body);
    // And no path of the build machine's source tree is what it relies on.
    let binary = std::fs::read(env!("CARGO_BIN_EXE_juesuan")).unwrap();
    let needle = b"crates/server/../../examples";
    assert!(!binary.windows(needle.len()).any(|w| w == needle));
}
