//! The server over real HTTP on 127.0.0.1 against a fresh database per test.

mod common;

use common::{example_zip, field_value, start, Client, Server};
use juesuan_server::auth::Role;

const REGION: &str = "内蒙古自治区赤峰市";

/// A second department in the same region with its own dept and unit users, and a draft
/// dataset uploaded through the browser route. Returns (dept id, dataset id).
async fn draft_department(
    s: &Server,
    name: &str,
    benji_t1_edit: Option<(&str, &str)>,
) -> (i64, i64) {
    let dept = juesuan_server::create_department(&s.state.db, name, REGION)
        .await
        .unwrap();
    let prefix = format!("d{dept}");
    s.add_user(&format!("{prefix}-dept"), Role::Dept, dept, "", "")
        .await;
    s.add_user(&format!("{prefix}-benji"), Role::Unit, dept, "benji", "")
        .await;
    s.add_user(
        &format!("{prefix}-jiedusuo"),
        Role::Unit,
        dept,
        "jiedusuo",
        "",
    )
    .await;
    let mut c = login_as(s, &format!("{prefix}-dept")).await;
    let csrf = c.csrf().await;
    let zip = example_zip(|rel, text| match benji_t1_edit {
        Some((from, to)) if rel == "units/benji/t1.csv" => text.replace(from, to),
        _ => text,
    });
    let r = c
        .post_file("/work/new", &[("csrf", &csrf)], Some(("chifeng.zip", zip)))
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id: i64 = r.location().trim_start_matches("/work/d/").parse().unwrap();
    (dept, id)
}

async fn post(c: &mut Client, id: i64, action: &str, base: &str, comment: &str) -> common::Resp {
    let csrf = c.csrf().await;
    c.post(
        &format!("/work/d/{id}/transition"),
        &[
            ("csrf", &csrf),
            ("action", action),
            ("base", base),
            ("comment", comment),
        ],
    )
    .await
}

async fn login_as(s: &Server, user: &str) -> Client {
    let mut c = s.client();
    let r = c.login(user, &format!("{user}-password-123")).await;
    assert_eq!(r.status, 303, "login {user}: {}", r.body);
    c
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_logout_and_security_headers() {
    let s = start().await;
    let mut c = s.client();
    let page = c.get("/login").await;
    assert_eq!(page.status, 200);
    let csp = page
        .headers
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(
        page.headers.get("x-content-type-options").unwrap(),
        "nosniff"
    );
    assert_eq!(page.headers.get("x-frame-options").unwrap(), "DENY");
    assert!(page.headers.get("referrer-policy").is_some());

    let wrong = c.login("bumen", "not-the-password").await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.body.contains("用户名或密码错误"));
    assert!(!c.cookies.contains_key("js"));

    let ok = c.login("bumen", &s.password("bumen")).await;
    assert_eq!(ok.status, 303);
    let set = ok
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect::<Vec<_>>();
    let session = set
        .iter()
        .find(|v| v.starts_with("js="))
        .expect("session cookie");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Strict"),
        "{session}"
    );
    let work = c.get("/work").await;
    assert_eq!(work.status, 200);
    assert!(work.body.contains("赤峰市司法局财务人员"));

    // The session token is stored hashed: the cookie value is not in the database.
    let token = c.cookies["js"].clone();
    let n: i64 = s
        .scalar(
            sqlx::query("SELECT COUNT(*) AS n FROM sessions WHERE token_hash = $1").bind(&token),
        )
        .await;
    assert_eq!(n, 0);

    let csrf = work.csrf();
    let out = c.post("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, 303);
    // The old cookie no longer opens a session even if replayed.
    let mut replay = s.client();
    replay.cookies.insert("js".into(), token);
    assert_eq!(replay.get("/work").await.status, 303);
    assert_eq!(c.get("/work").await.status, 303);
    assert_eq!(c.get("/work").await.location(), "/login");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csrf_is_required_on_every_post() {
    let s = start().await;
    let (dept, id) = draft_department(&s, "测试局", None).await;
    let dept_user = format!("d{dept}-dept");
    let mut c = login_as(&s, &dept_user).await;
    let path = format!("/work/d/{id}/transition");
    let no = c.post(&path, &[("action", "submit"), ("base", "1")]).await;
    assert_eq!(no.status, 403);
    assert!(no.body.contains("表单校验码"));
    let mut other = s.login("bumen").await;
    let foreign = other.csrf().await;
    let wrong = c
        .post(
            &path,
            &[("action", "submit"), ("base", "1"), ("csrf", &foreign)],
        )
        .await;
    assert_eq!(wrong.status, 403);
    let page = c.get(&format!("/work/d/{id}")).await;
    assert!(page.body.contains("草稿"), "state must be unchanged");
    // With its own token the same request goes through.
    let csrf = c.csrf().await;
    let ok = c
        .post(
            &path,
            &[("action", "submit"), ("base", "1"), ("csrf", &csrf)],
        )
        .await;
    // Past the token check, the workflow's own rule answers: the units have not reported.
    assert_eq!(ok.status, 422, "{}", ok.body);
    assert!(ok.body.contains("尚未报送"), "{}", ok.body);

    // Logout and login need the token too.
    assert_eq!(c.post("/logout", &[]).await.status, 403);
    assert_eq!(c.get("/work").await.status, 200);
    let mut anon = s.client();
    let r = anon
        .post(
            "/login",
            &[
                ("username", "bumen"),
                ("password", &s.password("bumen")),
                ("csrf", "x"),
            ],
        )
        .await;
    assert_eq!(r.status, 403);
    // Multipart forms too.
    let up = c
        .post_file("/work/new", &[], Some(("a.zip", example_zip(|_, t| t))))
        .await;
    assert_eq!(up.status, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_is_rate_limited_per_user_and_address() {
    let s = start().await;
    let mut c = s.client();
    for _ in 0..5 {
        assert_eq!(c.login("bumen", "wrong-password").await.status, 401);
    }
    let limited = c.login("bumen", &s.password("bumen")).await;
    assert_eq!(limited.status, 429, "{}", limited.body);
    assert!(limited.body.contains("15 分钟"));
    assert!(!c.cookies.contains_key("js"));
    // Another user from the same address, and the same user from another address, still can.
    let mut other_user = s.client();
    assert_eq!(
        other_user
            .login("caizheng", &s.password("caizheng"))
            .await
            .status,
        303
    );
    let mut other_ip = Client::new(s.addr, Some("127.0.0.2".parse().unwrap()));
    assert_eq!(
        other_ip.login("bumen", &s.password("bumen")).await.status,
        303
    );
}

/// D1: 50 guesses for one account from 10 addresses are not all evaluated, and even the
/// right password is refused while the account backs off.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guesses_from_many_addresses_back_the_account_off() {
    let s = start().await;
    let mut evaluated = 0;
    let mut limited = 0;
    for i in 0..50 {
        let ip = format!("127.0.0.{}", 10 + i % 10);
        let mut c = Client::new(s.addr, Some(ip.parse().unwrap()));
        match c.login("bumen", &format!("guess-{i}")).await.status {
            401 => evaluated += 1,
            429 => limited += 1,
            other => panic!("unexpected {other}"),
        }
    }
    assert!(evaluated < 50 && limited > 0, "{evaluated} evaluated");
    assert!(
        evaluated <= juesuan_server::auth::ACCOUNT_FREE_FAILURES + 2,
        "{evaluated} evaluated"
    );
    // The owner's right password, from a fresh address, while backing off: refused, not checked.
    let mut owner = Client::new(s.addr, Some("127.0.0.99".parse().unwrap()));
    let r = owner.login("bumen", &s.password("bumen")).await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.body.contains("秒后再试"), "{}", r.body);
    // Another account is not affected.
    let mut other = Client::new(s.addr, Some("127.0.0.99".parse().unwrap()));
    assert_eq!(
        other
            .login("caizheng", &s.password("caizheng"))
            .await
            .status,
        303
    );
    // Unknown user names are limited the same way (and answer like a wrong password).
    let mut ghost = Client::new(s.addr, Some("127.0.0.50".parse().unwrap()));
    let first = ghost.login("no-such-user", "whatever-1").await;
    assert_eq!(first.status, 401);
    assert!(first.body.contains("用户名或密码错误"));
    for i in 0..4 {
        ghost.login("no-such-user", &format!("x{i}")).await;
    }
    assert_eq!(ghost.login("no-such-user", "again").await.status, 429);
    // Rows older than the window are pruned at the next failure.
    let old = juesuan_server::db::now() - juesuan_server::auth::FAILURE_WINDOW - 10;
    sqlx::query("INSERT INTO login_failures (username, ip, at) VALUES ('old', '10.0.0.1', $1)")
        .bind(old)
        .execute(&s.state.db.pool)
        .await
        .unwrap();
    let mut c = Client::new(s.addr, Some("127.0.0.51".parse().unwrap()));
    assert_eq!(c.login("caizheng", "wrong-password").await.status, 401);
    let n: i64 = s
        .scalar(sqlx::query("SELECT COUNT(*) AS n FROM login_failures WHERE at <= $1").bind(old))
        .await;
    assert_eq!(n, 0);
}

/// D1 behind a reverse proxy: clients are told apart by `X-Forwarded-For` from a trusted
/// proxy, so one wrong-guessing client does not lock out another; from an untrusted peer the
/// header is ignored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trusted_proxy_tells_clients_apart_and_spoofing_is_ignored() {
    let s = common::start_with(vec![
        juesuan_server::auth::Cidr::parse("127.0.0.1/32").unwrap()
    ])
    .await;
    let mut attacker = s.client();
    attacker
        .headers
        .push(("x-forwarded-for".into(), "203.0.113.7".into()));
    for _ in 0..5 {
        assert_eq!(attacker.login("bumen", "wrong-password").await.status, 401);
    }
    assert_eq!(
        attacker.login("bumen", &s.password("bumen")).await.status,
        429
    );
    let mut owner = s.client();
    owner
        .headers
        .push(("x-forwarded-for".into(), "198.51.100.20".into()));
    assert_eq!(owner.login("bumen", &s.password("bumen")).await.status, 303);
    let ips: Vec<String> = sqlx::query_scalar("SELECT DISTINCT ip FROM login_failures")
        .fetch_all(&s.state.db.pool)
        .await
        .unwrap();
    assert_eq!(ips, vec!["203.0.113.7".to_string()]);

    // 127.0.0.2 is not a trusted proxy: its X-Forwarded-For, new on every try, is ignored.
    for i in 0..5 {
        let mut spoof = Client::new(s.addr, Some("127.0.0.2".parse().unwrap()));
        spoof
            .headers
            .push(("x-forwarded-for".into(), format!("192.0.2.{i}")));
        assert_eq!(spoof.login("caizheng", "wrong-password").await.status, 401);
    }
    let mut spoof = Client::new(s.addr, Some("127.0.0.2".parse().unwrap()));
    spoof
        .headers
        .push(("x-forwarded-for".into(), "192.0.2.200".into()));
    assert_eq!(
        spoof
            .login("caizheng", &s.password("caizheng"))
            .await
            .status,
        429
    );
}

/// L1: a 财政 reviewer of another region sees neither this region's login rows (with their
/// addresses) nor the administrator's 新建用户 rows in /audit; the region's own reviewer does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_log_rows_stay_in_their_region() {
    let s = start().await;
    s.add_user("fin-other", Role::Finance, 0, "", "另一个地区")
        .await;
    let mut fin = s.login("caizheng").await;
    let mut admin = s.login("admin").await;
    let csrf = admin.csrf().await;
    let r = admin
        .post(
            "/admin/users",
            &[
                ("csrf", csrf.as_str()),
                ("username", "new-finance"),
                ("password", "new-finance-password-1"),
                ("role", "finance"),
                ("dept_id", "0"),
                ("unit_key", ""),
                ("region", REGION),
                ("display_name", "新审核员"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut other = login_as(&s, "fin-other").await;
    let mine = fin.get("/audit").await;
    assert_eq!(mine.status, 200);
    assert!(
        mine.body.contains("<td>caizheng</td><td>登录</td>"),
        "{}",
        mine.body
    );
    let theirs = other.get("/audit").await;
    assert_eq!(theirs.status, 200);
    assert!(
        !theirs.body.contains("<td>caizheng</td>"),
        "{}",
        theirs.body
    );
    assert!(!theirs.body.contains("<td>admin</td>"), "{}", theirs.body);
    assert!(!theirs.body.contains("new-finance"), "{}", theirs.body);
    assert!(admin.get("/audit").await.body.contains("new-finance"));
    assert!(theirs.body.contains("<td>fin-other</td><td>登录</td>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workflow_from_upload_with_an_error_to_the_portal() {
    let s = start().await;
    // 其他收入 of 本级 raised by 5.00: 本年收入合计 no longer adds up.
    let (dept, id) = draft_department(&s, "测试局", Some(("其他收入,0.00", "其他收入,5.00"))).await;
    let mut dept_c = login_as(&s, &format!("d{dept}-dept")).await;
    let mut unit_c = login_as(&s, &format!("d{dept}-benji")).await;
    let mut other_unit = login_as(&s, &format!("d{dept}-jiedusuo")).await;
    let mut fin = s.login("caizheng").await;

    let ov = dept_c.get(&format!("/work/d/{id}")).await;
    assert_eq!(ov.status, 200);
    assert!(
        ov.body.contains("检查有错误，修正后才能提交"),
        "{}",
        ov.body
    );
    assert!(ov.body.contains(&format!("/work/d/{id}/table/benji/t1")));

    // A dataset with errors cannot be submitted.
    let csrf = dept_c.csrf().await;
    let r = dept_c
        .post(
            &format!("/work/d/{id}/transition"),
            &[("csrf", &csrf), ("action", "submit"), ("base", "1")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);

    // The unit sees the finding beside the cell and fixes it.
    // A unit with an error in its own tables cannot report; one without can.
    let r = post(&mut unit_c, id, "report", "1", "").await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        post(&mut other_unit, id, "report", "1", "").await.status,
        303
    );
    let t1 = unit_c.get(&format!("/work/d/{id}/table/benji/t1")).await;
    assert_eq!(t1.status, 200);
    assert!(t1.body.contains("num bad"), "a cell is marked: {}", t1.body);
    assert!(t1.body.contains(r#"name="c1_1" value="5.00""#));
    let csrf = unit_c.csrf().await;
    let r = unit_c
        .post(
            &format!("/work/d/{id}/table/benji/t1"),
            &[
                ("csrf", &csrf),
                ("base", "1"),
                ("c1_1", "0.00"),
                ("note", "更正其他收入"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r.location().ends_with("saved=2"));
    let t1 = unit_c.get(&r.location()).await;
    assert!(!t1.body.contains("num bad"));
    assert!(t1.body.contains("已保存为版本 2"));
    // L2: the other unit's version list does not show benji's note; benji's and the
    // department's do.
    let v = other_unit.get(&format!("/work/d/{id}/versions")).await;
    assert_eq!(v.status, 200);
    assert!(!v.body.contains("更正其他收入"), "{}", v.body);
    assert!(unit_c
        .get(&format!("/work/d/{id}/versions"))
        .await
        .body
        .contains("更正其他收入"));
    assert!(dept_c
        .get(&format!("/work/d/{id}/versions"))
        .await
        .body
        .contains("更正其他收入"));

    // The diff between the versions is the one cell.
    let d = unit_c.get(&format!("/work/d/{id}/diff?a=1&b=2")).await;
    assert_eq!(d.status, 200);
    assert!(d.body.contains("1 处不同"), "{}", d.body);
    assert!(d.body.contains("其他收入") && d.body.contains("5.00") && d.body.contains("0.00"));

    // Finance cannot approve a draft; the unit cannot submit.
    assert_eq!(post(&mut fin, id, "approve", "2", "").await.status, 409);
    assert_eq!(post(&mut unit_c, id, "submit", "2", "").await.status, 403);
    // 单位报送: the department's submission waits for every unit with an account. The
    // jiedusuo report of version 1 still stands: its tables did not change.
    let r = post(&mut dept_c, id, "submit", "2", "").await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("benji") && !r.body.contains("jiedusuo"),
        "{}",
        r.body
    );
    assert_eq!(post(&mut dept_c, id, "report", "2", "").await.status, 403);
    assert_eq!(post(&mut unit_c, id, "report", "1", "").await.status, 409);
    assert_eq!(post(&mut unit_c, id, "report", "2", "").await.status, 303);
    let ov = unit_c.get(&format!("/work/d/{id}")).await;
    assert!(ov.body.contains("本单位已报送：版本 2"), "{}", ov.body);
    let ov = dept_c.get(&format!("/work/d/{id}")).await;
    assert!(ov.body.contains("单位报送情况"));
    assert!(ov.body.contains("已报送版本 1") && ov.body.contains("已报送版本 2"));
    assert_eq!(post(&mut dept_c, id, "submit", "2", "").await.status, 303);
    assert!(dept_c
        .get(&format!("/work/d/{id}"))
        .await
        .body
        .contains("已提交"));

    // Submitted: no edits.
    let csrf = unit_c.csrf().await;
    let r = unit_c
        .post(
            &format!("/work/d/{id}/table/benji/t1"),
            &[("csrf", &csrf), ("base", "2"), ("c1_1", "1.00")],
        )
        .await;
    assert_eq!(r.status, 409);

    // Return needs a comment; then it is shown with who returned it.
    assert_eq!(post(&mut fin, id, "return", "2", "").await.status, 400);
    assert_eq!(
        post(&mut fin, id, "return", "2", "请补充本年收入合计的变动原因")
            .await
            .status,
        303
    );
    let ov = dept_c.get(&format!("/work/d/{id}")).await;
    assert!(ov.body.contains("已退回"));
    assert!(ov.body.contains("请补充本年收入合计的变动原因"));
    assert!(ov.body.contains("审核员"));

    // The department edits a reason: version 3.
    let csrf = dept_c.csrf().await;
    let r = dept_c
        .post(
            &format!("/work/d/{id}/reasons"),
            &[
                ("csrf", &csrf),
                ("base", "2"),
                ("kind", "上年决算"),
                ("key", "T1/本年收入合计"),
                ("text", "测试：收入减少的原因"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let reasons = dept_c.get(&format!("/work/d/{id}/reasons")).await;
    assert!(reasons.body.contains("测试：收入减少的原因"));
    assert_eq!(post(&mut dept_c, id, "submit", "3", "").await.status, 303);
    assert_eq!(post(&mut fin, id, "approve", "3", "").await.status, 303);
    // Not yet published: the portal does not have it.
    assert_eq!(s.client().get(&format!("/p/{id}")).await.status, 404);
    assert_eq!(post(&mut fin, id, "publish", "3", "").await.status, 303);

    // An anonymous visitor finds it and downloads it.
    let mut anon = s.client();
    let list = anon.get("/?q=%E8%B5%A4%E5%B3%B0&year=2024").await;
    assert!(list.body.contains(&format!("/p/{id}")), "{}", list.body);
    let none = anon.get("/?q=%E4%B8%8D%E5%AD%98%E5%9C%A8").await;
    assert!(!none.body.contains(&format!("/p/{id}")));
    let page = anon.get(&format!("/p/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&format!("/p/{id}/download/pdf")));
    let doc = anon.get(&format!("/p/{id}/document")).await;
    assert_eq!(doc.status, 200);
    assert!(doc.body.contains("<svg"), "the document has charts");
    assert!(doc
        .headers
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'self'"));
    let csv = anon.get(&format!("/p/{id}/download/csv")).await;
    assert_eq!(csv.status, 200);
    assert!(csv.body.lines().count() > 100);
    let json = anon.get(&format!("/p/{id}/download/json")).await;
    let v: serde_json::Value = serde_json::from_slice(&json.bytes).unwrap();
    assert!(v.as_array().is_some_and(|a| !a.is_empty()));
    for f in ["xlsx", "docx"] {
        let r = anon.get(&format!("/p/{id}/download/{f}")).await;
        assert_eq!(r.status, 200, "{f}");
        assert!(r.bytes.starts_with(b"PK"), "{f}");
        assert!(r
            .headers
            .get("content-disposition")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("attachment"));
    }
    if juesuan_pdf::Fonts::discover().is_ok() {
        let pdf = anon.get(&format!("/p/{id}/download/pdf")).await;
        assert_eq!(pdf.status, 200);
        assert!(pdf.bytes.starts_with(b"%PDF"));
    }
    assert_eq!(anon.get(&format!("/p/{id}/download/exe")).await.status, 404);
    let cmp = anon.get(&format!("/compare/{dept}")).await;
    assert_eq!(cmp.status, 200);
    assert!(cmp.body.contains("本年收入合计"));
    // The cross-year check runs when last year is on the platform; here it says it is not.
    assert!(cmp.body.contains("上年决算数据核对"));
    assert!(
        cmp.body.contains("平台上没有 2023 年度的公开决算"),
        "{}",
        cmp.body
    );

    // Every step is in the audit log, with the comment.
    let log = fin.get("/audit").await;
    assert_eq!(log.status, 200);
    for word in [
        "创建数据集",
        "保存",
        "单位报送",
        "提交",
        "退回",
        "请补充本年收入合计的变动原因",
        "审核通过",
        "公开",
    ] {
        assert!(log.body.contains(word), "audit log lacks {word}");
    }
    let transitions: i64 = s
        .scalar(sqlx::query("SELECT COUNT(*) AS n FROM transitions WHERE dataset_id = $1").bind(id))
        .await;
    assert_eq!(transitions, 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_save_gets_409_with_the_diff_and_loses_nothing() {
    let s = start().await;
    let (dept, id) = draft_department(&s, "测试局", None).await;
    let mut a = login_as(&s, &format!("d{dept}-benji")).await;
    let mut b = login_as(&s, &format!("d{dept}-dept")).await;
    let path = format!("/work/d/{id}/table/benji/t1");
    // Both open version 1.
    let pa = a.get(&path).await;
    let pb = b.get(&path).await;
    assert_eq!(field_value(&pa.body, "base").as_deref(), Some("1"));
    assert_eq!(field_value(&pb.body, "base").as_deref(), Some("1"));
    let ra = a
        .post(
            &path,
            &[("csrf", &pa.csrf()), ("base", "1"), ("c1_1", "1.00")],
        )
        .await;
    assert_eq!(ra.status, 303);
    let rb = b
        .post(
            &path,
            &[("csrf", &pb.csrf()), ("base", "1"), ("c0_1", "999.99")],
        )
        .await;
    assert_eq!(rb.status, 409, "{}", rb.body);
    assert!(rb.body.contains("保存失败"));
    assert!(rb.body.contains("已被更新为版本 2"));
    // The other's change (0.00 → 1.00 in 其他收入) and one's own unsaved change are shown.
    assert!(rb.body.contains("其他收入") && rb.body.contains("1.00"));
    assert!(rb.body.contains("999.99"));
    let now = b.get(&path).await;
    assert!(now.body.contains(r#"name="c1_1" value="1.00""#));
    assert!(!now.body.contains("999.99"));

    // Ten saves racing on the same base: exactly one wins.
    let base = "2";
    let csrf = a.csrf().await;
    let mut handles = Vec::new();
    for i in 0..10 {
        let mut c = Client::new(s.addr, None);
        c.cookies = a.cookies.clone();
        let csrf = csrf.clone();
        let path = path.clone();
        handles.push(tokio::spawn(async move {
            let v = format!("{}.00", 10 + i);
            c.post(&path, &[("csrf", &csrf), ("base", base), ("c1_1", &v)])
                .await
                .status
        }));
    }
    let mut codes = Vec::new();
    for h in handles {
        codes.push(h.await.unwrap());
    }
    assert_eq!(codes.iter().filter(|c| **c == 303).count(), 1, "{codes:?}");
    assert_eq!(codes.iter().filter(|c| **c == 409).count(), 9, "{codes:?}");
    let versions: i64 = s
        .scalar(sqlx::query("SELECT COUNT(*) AS n FROM versions WHERE dataset_id = $1").bind(id))
        .await;
    assert_eq!(versions, 3);
}

/// Every route × every role: the exact status, and no unit sees another unit's data.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn role_route_matrix() {
    let s = start().await;
    let (dept, draft) = draft_department(&s, "测试局", None).await;
    let (_, other_draft) = draft_department(&s, "另一局", None).await;
    let other_dept_id: i64 = s
        .scalar(sqlx::query("SELECT dept_id FROM datasets WHERE id = $1").bind(other_draft))
        .await;
    s.add_user("fin-other", Role::Finance, 0, "", "另一个地区")
        .await;
    let published: i64 = s
        .scalar(sqlx::query(
            "SELECT id FROM datasets WHERE published_version > 0",
        ))
        .await;

    let roles = [
        "anon",
        "unit-benji",
        "unit-jiedusuo",
        "dept",
        "dept-other",
        "finance",
        "finance-other",
        "admin",
    ];
    let mut clients = Vec::new();
    for r in roles {
        let c = match r {
            "anon" => s.client(),
            "unit-benji" => login_as(&s, &format!("d{dept}-benji")).await,
            "unit-jiedusuo" => login_as(&s, &format!("d{dept}-jiedusuo")).await,
            "dept" => login_as(&s, &format!("d{dept}-dept")).await,
            "dept-other" => login_as(&s, &format!("d{other_dept_id}-dept")).await,
            "finance" => s.login("caizheng").await,
            "finance-other" => login_as(&s, "fin-other").await,
            _ => s.login("admin").await,
        };
        clients.push(c);
    }

    // (method, route pattern, concrete path, body kind, expected per role in `roles` order).
    // 303 for anon on protected routes is the redirect to /login.
    let d = draft;
    let p = published;
    let all200 = [200; 8];
    let viewers = [303, 200, 200, 200, 403, 200, 403, 403];
    let benji_only = [303, 200, 403, 200, 403, 200, 403, 403];
    let jiedusuo_only = [303, 403, 200, 200, 403, 200, 403, 403];
    let dept_fin = [303, 403, 403, 200, 403, 200, 403, 403];
    type Case = (&'static str, &'static str, String, &'static str, [u16; 8]);
    let cases: Vec<Case> = vec![
        ("GET", "/", "/".into(), "", all200),
        ("GET", "/p/{id}", format!("/p/{p}"), "", all200),
        ("GET", "/p/{id}", format!("/p/{d}"), "", [404; 8]),
        (
            "GET",
            "/p/{id}/document",
            format!("/p/{p}/document"),
            "",
            all200,
        ),
        (
            "GET",
            "/p/{id}/document",
            format!("/p/{d}/document"),
            "",
            [404; 8],
        ),
        (
            "GET",
            "/p/{id}/download/{format}",
            format!("/p/{p}/download/csv"),
            "",
            all200,
        ),
        (
            "GET",
            "/p/{id}/download/{format}",
            format!("/p/{d}/download/csv"),
            "",
            [404; 8],
        ),
        (
            "GET",
            "/compare/{dept}",
            format!("/compare/{dept}"),
            "",
            [404; 8],
        ),
        (
            "GET",
            "/static/app.css",
            "/static/app.css".into(),
            "",
            all200,
        ),
        ("GET", "/login", "/login".into(), "", all200),
        ("POST", "/login", "/login".into(), "login", [401; 8]),
        (
            "GET",
            "/work",
            "/work".into(),
            "",
            [303, 200, 200, 200, 200, 200, 200, 403],
        ),
        (
            "POST",
            "/work/new",
            "/work/new".into(),
            "multipart",
            [303, 403, 403, 400, 400, 403, 403, 403],
        ),
        ("GET", "/work/d/{id}", format!("/work/d/{d}"), "", viewers),
        (
            "GET",
            "/work/d/{id}",
            format!("/work/d/{other_draft}"),
            "",
            [303, 403, 403, 403, 200, 200, 403, 403],
        ),
        (
            "GET",
            "/work/d/{id}/table/{unit}/{table}",
            format!("/work/d/{d}/table/benji/t1"),
            "",
            benji_only,
        ),
        (
            "GET",
            "/work/d/{id}/table/{unit}/{table}",
            format!("/work/d/{d}/table/jiedusuo/t3"),
            "",
            jiedusuo_only,
        ),
        (
            "GET",
            "/work/d/{id}/table/{unit}/{table}",
            format!("/work/d/{d}/table/department/t1"),
            "",
            dept_fin,
        ),
        (
            "POST",
            "/work/d/{id}/table/{unit}/{table}",
            format!("/work/d/{d}/table/benji/t1"),
            "nochange",
            [303, 303, 403, 303, 403, 403, 403, 403],
        ),
        (
            "POST",
            "/work/d/{id}/table/{unit}/{table}",
            format!("/work/d/{d}/table/jiedusuo/t1"),
            "nochange",
            [303, 403, 303, 303, 403, 403, 403, 403],
        ),
        (
            "GET",
            "/work/d/{id}/reasons",
            format!("/work/d/{d}/reasons"),
            "",
            dept_fin,
        ),
        (
            "POST",
            "/work/d/{id}/reasons",
            format!("/work/d/{d}/reasons"),
            "badreason",
            [303, 403, 403, 400, 403, 403, 403, 403],
        ),
        (
            "POST",
            "/work/d/{id}/upload",
            format!("/work/d/{d}/upload"),
            "multipart",
            [303, 400, 400, 400, 403, 403, 403, 403],
        ),
        (
            "POST",
            "/work/d/{id}/transition",
            format!("/work/d/{d}/transition"),
            "approve",
            [303, 403, 403, 403, 403, 409, 403, 403],
        ),
        (
            "POST",
            "/work/d/{id}/transition",
            format!("/work/d/{d}/transition"),
            "stalesubmit",
            [303, 403, 403, 409, 403, 403, 403, 403],
        ),
        (
            "GET",
            "/work/d/{id}/versions",
            format!("/work/d/{d}/versions"),
            "",
            viewers,
        ),
        (
            "GET",
            "/work/d/{id}/diff",
            format!("/work/d/{d}/diff?a=1&b=1"),
            "",
            viewers,
        ),
        (
            "GET",
            "/work/d/{id}/preview",
            format!("/work/d/{d}/preview"),
            "",
            dept_fin,
        ),
        (
            "GET",
            "/audit",
            "/audit".into(),
            "",
            [303, 403, 403, 403, 403, 200, 200, 200],
        ),
        (
            "GET",
            "/admin/users",
            "/admin/users".into(),
            "",
            [303, 403, 403, 403, 403, 403, 403, 200],
        ),
        (
            "POST",
            "/admin/users",
            "/admin/users".into(),
            "baduser",
            [303, 403, 403, 403, 403, 403, 403, 400],
        ),
        (
            "POST",
            "/admin/password",
            "/admin/password".into(),
            "baduser",
            [303, 403, 403, 403, 403, 403, 403, 400],
        ),
        (
            "GET",
            "/admin/orgs",
            "/admin/orgs".into(),
            "",
            [303, 403, 403, 403, 403, 403, 403, 200],
        ),
        (
            "POST",
            "/admin/regions",
            "/admin/regions".into(),
            "baduser",
            [303, 403, 403, 403, 403, 403, 403, 400],
        ),
        (
            "POST",
            "/admin/departments",
            "/admin/departments".into(),
            "baduser",
            [303, 403, 403, 403, 403, 403, 403, 400],
        ),
        ("POST", "/logout", "/logout".into(), "csrf", [303; 8]),
    ];
    // Every route of the server is in the matrix.
    for (m, route) in juesuan_server::ROUTES {
        assert!(
            cases.iter().any(|c| c.0 == *m && c.1 == *route),
            "route {m} {route} not in the matrix"
        );
    }
    // No published dataset of this department yet: its comparison page is 404 for all.
    let mut failures = Vec::new();
    for (method, _, path, body, expected) in &cases {
        for (i, role) in roles.iter().enumerate() {
            let c = &mut clients[i];
            let csrf = if *body == "login" {
                c.get("/login").await.csrf()
            } else if *role == "anon" {
                "x".to_string()
            } else {
                c.csrf().await
            };
            let nobody = format!("nobody-{i}");
            let r = match (*method, *body) {
                ("GET", _) => c.get(path).await,
                (_, "multipart") => {
                    c.post_file(path, &[("csrf", &csrf), ("base", "1")], None)
                        .await
                }
                (_, "login") => {
                    c.post(
                        path,
                        &[("csrf", &csrf), ("username", &nobody), ("password", "y")],
                    )
                    .await
                }
                (_, "nochange") => c.post(path, &[("csrf", &csrf), ("base", "1")]).await,
                (_, "badreason") => {
                    c.post(
                        path,
                        &[
                            ("csrf", &csrf),
                            ("base", "1"),
                            ("kind", "其他"),
                            ("key", "T1/x"),
                            ("text", "t"),
                        ],
                    )
                    .await
                }
                (_, "approve") => {
                    c.post(
                        path,
                        &[("csrf", &csrf), ("base", "1"), ("action", "approve")],
                    )
                    .await
                }
                (_, "stalesubmit") => {
                    c.post(
                        path,
                        &[("csrf", &csrf), ("base", "99"), ("action", "submit")],
                    )
                    .await
                }
                (_, "baduser") => {
                    c.post(
                        path,
                        &[("csrf", &csrf), ("role", "nobody"), ("username", "x")],
                    )
                    .await
                }
                (_, "csrf") if *role == "anon" => c.post(path, &[("csrf", &csrf)]).await,
                (_, "csrf") => {
                    // Logging out ends this client's session; the matrix is over by then.
                    c.post(path, &[("csrf", &csrf)]).await
                }
                _ => unreachable!(),
            };
            if r.status != expected[i] {
                failures.push(format!(
                    "{method} {path} as {role}: {} (expected {})",
                    r.status, expected[i]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // A unit's pages show nothing of the other unit.
    let mut benji = login_as(&s, &format!("d{dept}-benji")).await;
    let ov = benji.get(&format!("/work/d/{d}")).await;
    assert!(ov.body.contains("/table/benji/t1"));
    assert!(!ov.body.contains("jiedusuo"), "{}", ov.body);
    assert!(!ov.body.contains("/table/department/"));
    // The published dataset of the demo is not the test department's either.
    assert_eq!(benji.get(&format!("/work/d/{p}")).await.status, 403);
    // Nothing changed by the matrix: the draft is still at version 1 and a draft.
    let st = benji.get(&format!("/work/d/{d}")).await;
    assert!(st.body.contains("当前版本 1") && st.body.contains("草稿"));
}

/// Beside each reason the comparison and a drafted driver sentence (juesuan explain); a
/// missing reason's field starts from the draft, and nothing is saved until the person saves.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reasons_page_offers_drafted_drivers() {
    let s = start().await;
    let (dept, id) = draft_department(&s, "测试局", None).await;
    let mut c = login_as(&s, &format!("d{dept}-dept")).await;
    let page = c.get(&format!("/work/d/{id}/reasons")).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("需要补充的变动原因（0）"),
        "{}",
        page.body
    );
    assert!(page.body.contains("系统起草"), "{}", page.body);
    assert!(page.body.contains("表4 收入总计"), "{}", page.body);

    // Clearing a reason deletes it: now it is missing, and its field holds the draft.
    let csrf = c.csrf().await;
    let r = c
        .post(
            &format!("/work/d/{id}/reasons"),
            &[
                ("csrf", &csrf),
                ("base", "1"),
                ("kind", "年初预算"),
                ("key", "T4/收入总计"),
                ("text", ""),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = c.get(&format!("/work/d/{id}/reasons")).await;
    assert!(
        page.body.contains("需要补充的变动原因（1）"),
        "{}",
        page.body
    );
    let missing = &page.body[page.body.find("需要补充的变动原因（1）").unwrap()
        ..page.body.find("已填写的变动原因").unwrap()];
    let textarea =
        &missing[missing.find("<textarea").unwrap()..missing.find("</textarea>").unwrap()];
    assert!(textarea.contains("主要是"), "{missing}");
    assert!(textarea.contains("万元"), "{textarea}");
    // The draft is only offered: the dataset still lacks the reason and cannot be submitted.
    let ov = c.get(&format!("/work/d/{id}")).await;
    assert!(
        ov.body.contains("检查有错误，修正后才能提交"),
        "{}",
        ov.body
    );
}

/// The example's department 历年对比 page on a fresh server where `datasets` are published,
/// after replacing `from` with `to` in one file of one of them.
async fn compare_page_with_edit(
    mut datasets: Vec<juesuan_server::store::Files>,
    (i, file): (usize, &str),
    (from, to): (&str, &str),
) -> common::Resp {
    let s = common::start().await;
    let text = datasets[i].get_mut(file).unwrap();
    let changed = text.replace(from, to);
    assert_ne!(&changed, text);
    *text = changed;
    juesuan_server::seed_demo_years(&s.state.db, datasets)
        .await
        .unwrap();
    let dept: i64 = s
        .scalar(sqlx::query("SELECT id FROM departments WHERE name = $1").bind("赤峰市司法局"))
        .await;
    let cmp = s.client().get(&format!("/compare/{dept}")).await;
    assert_eq!(cmp.status, 200);
    cmp
}

/// Both years of the example published (as `serve --demo` does): `/compare` runs the
/// cross-year check on the real pair, clean; a 2025 disclosure restating a 2024 figure
/// differently is shown with both sources.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_portal_checks_2025_against_the_published_2024() {
    let s = common::start().await;
    juesuan_server::seed_demo_years(&s.state.db, juesuan_server::demo_datasets())
        .await
        .unwrap();
    let dept: i64 = s
        .scalar(sqlx::query("SELECT id FROM departments WHERE name = $1").bind("赤峰市司法局"))
        .await;
    let mut anon = s.client();
    // The portal lists both kinds; the filter keeps one.
    let list = anon.get("/").await;
    assert!(
        list.body.contains("部门预算 1 份，部门决算 2 份"),
        "{}",
        list.body
    );
    assert!(list.body.contains("赤峰市司法局2024年度部门预算"));
    let budgets = anon.get("/?kind=%E9%A2%84%E7%AE%97").await;
    assert!(budgets.body.contains("共 1 份"), "{}", budgets.body);
    assert!(!budgets.body.contains("2025年度部门决算"));
    let cmp = anon.get(&format!("/compare/{dept}")).await;
    assert_eq!(cmp.status, 200);
    // The 2024 预算 against the 2024 决算's 年初预算: clean.
    assert!(
        cmp.body
            .contains("2024年度决算中的年初预算数与 2024 年度公开的部门预算一致"),
        "{}",
        cmp.body
    );
    assert!(cmp.body.contains("各年度部门预算全文"));
    assert!(
        cmp.body.contains("<th>2024年</th><th>2025年</th>"),
        "{}",
        cmp.body
    );
    assert!(
        cmp.body
            .contains("2025年度决算列示的上年决算数与 2024 年度公开的决算数一致"),
        "{}",
        cmp.body
    );
    assert!(!cmp.body.contains("平台上没有"), "{}", cmp.body);

    // Another department publishes the same pair, its 2025 表7 公务接待费 上年决算 stated as
    // 1.33 where 2024 published 1.23.
    let cmp = compare_page_with_edit(
        juesuan_server::demo_years(),
        (1, "department/t7.csv"),
        ("公务接待费,6.00,1.00,1.23", "公务接待费,6.00,1.00,1.33"),
    )
    .await;
    assert!(
        cmp.body.contains("有 1 处与 2024 年度公开的决算数不一致"),
        "{}",
        cmp.body
    );
    assert!(cmp.body.contains("公务接待费"), "{}", cmp.body);
    assert!(
        cmp.body
            .contains(r#"<td class="num">1.33</td><td class="num">1.23</td>"#),
        "{}",
        cmp.body
    );
    assert!(
        cmp.body.contains("平台上没有 2025 年度的公开部门预算"),
        "{}",
        cmp.body
    );

    // A published 预算 whose 2013699 其他共产党事务支出 is 3.93 where the 决算 says it was
    // budgeted at 3.83: the one difference, with both figures.
    let cmp = compare_page_with_edit(
        juesuan_server::demo_datasets(),
        (0, "department/y5.csv"),
        (
            "2013699,其他共产党事务支出,3.83,0.00,3.83,3.83",
            "2013699,其他共产党事务支出,3.93,0.00,3.93,3.83",
        ),
    )
    .await;
    assert!(
        cmp.body
            .contains("2024年度决算中的年初预算数有 1 处与 2024 年度公开的部门预算不一致"),
        "{}",
        cmp.body
    );
    assert!(cmp.body.contains("2013699"), "{}", cmp.body);
}

/// A 部门预算 goes through the same workflow as a 决算, beside the department's 决算 of the
/// same year: uploaded, checked, submitted, approved, published, listed as a 预算.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_budget_is_uploaded_reviewed_and_published_beside_the_final() {
    let s = start().await;
    let (dept, fin_id) = draft_department(&s, "预算测试局", None).await;
    let mut dept_c = login_as(&s, &format!("d{dept}-dept")).await;
    let budget_dir = common::example_dir().with_file_name("chifeng-sfj-yusuan-2024");
    let zip = common::dir_zip(&budget_dir, |_, t| t);
    let csrf = dept_c.csrf().await;
    let r = dept_c
        .post_file(
            "/work/new",
            &[("csrf", &csrf)],
            Some(("yusuan.zip", zip.clone())),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id: i64 = r.location().trim_start_matches("/work/d/").parse().unwrap();
    assert_ne!(id, fin_id);
    // One 预算 per department and year.
    let csrf = dept_c.csrf().await;
    let r = dept_c
        .post_file("/work/new", &[("csrf", &csrf)], Some(("yusuan.zip", zip)))
        .await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("部门预算数据集已经存在"), "{}", r.body);
    let home = dept_c.get("/work").await;
    assert!(home.body.contains("部门预算") && home.body.contains("部门决算"));
    let ov = dept_c.get(&format!("/work/d/{id}")).await;
    assert!(ov.body.contains("2024年度部门预算"), "{}", ov.body);
    assert!(!ov.body.contains("检查有错误"), "{}", ov.body);
    assert!(ov.body.contains("/table/department/y1"), "{}", ov.body);
    // A 决算 zip uploaded as a new version of the 预算 is refused.
    let csrf = dept_c.csrf().await;
    let r = dept_c
        .post_file(
            &format!("/work/d/{id}/upload"),
            &[("csrf", &csrf), ("base", "1")],
            Some(("chifeng.zip", example_zip(|_, t| t))),
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(
        r.body
            .contains("上传的是 2024 年度部门决算，本数据集是 2024 年度部门预算"),
        "{}",
        r.body
    );
    // A budget's reasons are for 上年预算.
    let reasons = dept_c.get(&format!("/work/d/{id}/reasons")).await;
    assert_eq!(reasons.status, 200);
    assert!(reasons.body.contains("上年预算"), "{}", reasons.body);
    let csrf = dept_c.csrf().await;
    let r = dept_c
        .post(
            &format!("/work/d/{id}/reasons"),
            &[
                ("csrf", &csrf),
                ("base", "1"),
                ("kind", "上年决算"),
                ("key", "Y5/210"),
                ("text", "t"),
            ],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("本数据集可用：上年预算"), "{}", r.body);

    assert_eq!(post(&mut dept_c, id, "submit", "1", "").await.status, 303);
    let mut fin = s.login("caizheng").await;
    assert_eq!(post(&mut fin, id, "approve", "1", "").await.status, 303);
    assert_eq!(post(&mut fin, id, "publish", "1", "").await.status, 303);
    let mut anon = s.client();
    let page = anon.get(&format!("/p/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("赤峰市司法局2024年度部门预算"),
        "{}",
        page.body
    );
    let doc = anon.get(&format!("/p/{id}/document")).await;
    assert!(
        doc.body.contains("部门预算"),
        "the document is the budget's"
    );
    let xlsx = anon.get(&format!("/p/{id}/download/xlsx")).await;
    assert!(xlsx.bytes.starts_with(b"PK"));
    let disposition = xlsx.headers["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    // …2024年度部门预算.xlsx, percent-encoded
    assert!(
        disposition.ends_with("2024%E5%B9%B4%E5%BA%A6%E9%83%A8%E9%97%A8%E9%A2%84%E7%AE%97.xlsx"),
        "{disposition}"
    );
    // The department's 决算 of 2024 is still a draft: the comparison says it awaits it.
    let cmp = anon.get(&format!("/compare/{dept}")).await;
    assert_eq!(cmp.status, 200);
    assert!(
        cmp.body
            .contains("2024 年度部门预算的执行结果待 2024 年度决算公开后核对"),
        "{}",
        cmp.body
    );
}

/// A database made before 预算 existed (migrations 1–4, one 决算 dataset with a version)
/// upgrades in place: its dataset is a 决算, still found with its versions, and the same
/// department can then hold a 预算 of the same year but not a second 决算.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_older_database_upgrades_to_datasets_of_two_kinds() {
    let s = start().await;
    let url = common::fresh_database_url().await;
    let old = juesuan_server::db::Db::open_at(&url.0, 4).await.unwrap();
    let dept = juesuan_server::create_department(&old, "旧库局", REGION)
        .await
        .unwrap();
    for sql in [
        "INSERT INTO datasets (id, dept_id, year, name, state, current_version, published_version, published_at, updated_at) VALUES (900001, $1, 2024, '旧库局', 'draft', 1, 0, 0, 0)",
        "INSERT INTO versions (dataset_id, no, files, author_id, created_at, note) VALUES (900001, 1, '{}', 0, 0, '首次上传')",
    ] {
        sqlx::query(sql).bind(dept).execute(&old.pool).await.unwrap();
    }
    old.pool.close().await;
    let db = juesuan_server::db::Db::open(&url.0).await.unwrap();
    let row = sqlx::query("SELECT kind FROM datasets WHERE id = 900001")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(sqlx::Row::get::<String, _>(&row, "kind"), "决算");
    let files = std::collections::BTreeMap::new();
    use juesuan_model::DocKind;
    let budget =
        juesuan_server::create_dataset(&db, dept, 2024, DocKind::Budget, "旧库局", &files, None)
            .await
            .unwrap();
    assert!(budget.is_some(), "a 预算 beside the 决算 of the same year");
    let again =
        juesuan_server::create_dataset(&db, dept, 2024, DocKind::Final, "旧库局", &files, None)
            .await
            .unwrap();
    assert!(again.is_none(), "a second 决算 of the year is refused");
    // The database's own constraint holds too, and the old version still points at its dataset.
    let dup = sqlx::query("INSERT INTO datasets (id, dept_id, year, kind, name, state, current_version, published_version, published_at, updated_at) VALUES (900003, $1, 2024, '决算', 'x', 'draft', 1, 0, 0, 0)")
        .bind(dept)
        .execute(&db.pool)
        .await;
    assert!(dup.is_err());
    let orphan = sqlx::query("INSERT INTO versions (dataset_id, no, files, author_id, created_at, note) VALUES (123456789, 1, '{}', 0, 0, 'x')")
        .execute(&db.pool)
        .await;
    assert!(orphan.is_err(), "foreign keys still hold after the rebuild");
    let n: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) AS n FROM versions WHERE dataset_id = 900001")
            .fetch_one(&db.pool)
            .await
            .unwrap(),
        "n",
    );
    assert_eq!(n, 1);
    drop(s);
    drop(url);
}
