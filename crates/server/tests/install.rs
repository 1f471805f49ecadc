//! A fresh install taken from nothing to a published 决算 through the admin pages: the first
//! administrator is made as `juesuan admin add-user` makes it (the same `setup::admin`), then
//! everything else is done over HTTP: regions, departments, users, a password reset, the
//! upload, 单位报送, 提交, 审核, 公开, and the public portal.

mod common;

use common::{example_zip, start_empty, Client, Server};
use juesuan_server::auth::Role;
use juesuan_server::setup::{admin, AdminOp};

async fn signed_in(s: &Server, user: &str, password: &str) -> Client {
    let mut c = s.client();
    let r = c.login(user, password).await;
    assert_eq!(r.status, 303, "login {user}: {}", r.body);
    c
}

async fn form(c: &mut Client, path: &str, fields: &[(&str, &str)]) -> common::Resp {
    let csrf = c.csrf().await;
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    c.post(path, &all).await
}

async fn transition(c: &mut Client, id: i64, action: &str, base: &str) -> u16 {
    form(
        c,
        &format!("/work/d/{id}/transition"),
        &[("action", action), ("base", base), ("comment", "")],
    )
    .await
    .status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fresh_install_takes_a_final_account_from_upload_to_the_portal() {
    let s = start_empty().await;
    let users: i64 = s.scalar(sqlx::query("SELECT COUNT(*) FROM users")).await;
    assert_eq!(users, 0, "a fresh install has no users");
    let root_pw = "root-password-0001";
    admin(
        &s.state.db,
        None,
        AdminOp::AddUser {
            username: "root".into(),
            role: Role::Admin,
            department: None,
            unit: None,
            region: None,
            display_name: Some("管理员".into()),
            password: root_pw.into(),
        },
    )
    .await
    .unwrap();
    let mut root = signed_in(&s, "root", root_pw).await;

    // 机构管理: a region, then a department in it; a department needs an existing region.
    let orgs = root.get("/admin/orgs").await;
    assert_eq!(orgs.status, 200);
    assert!(orgs.body.contains("创建地区"));
    let r = form(
        &mut root,
        "/admin/departments",
        &[("name", "赤峰市司法局"), ("region", "赤峰市")],
    )
    .await;
    assert_eq!(r.status, 400, "no region yet: {}", r.body);
    assert!(r.body.contains("地区“赤峰市”不存在"), "{}", r.body);
    let r = form(&mut root, "/admin/regions", &[("name", "赤峰市")]).await;
    assert_eq!((r.status, r.location().as_str()), (303, "/admin/orgs"));
    let r = form(&mut root, "/admin/regions", &[("name", "赤峰市")]).await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("已存在"));
    let r = form(
        &mut root,
        "/admin/departments",
        &[("name", "赤峰市司法局"), ("region", "赤峰市")],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let orgs = root.get("/admin/orgs").await;
    assert!(orgs.body.contains("赤峰市司法局"), "{}", orgs.body);
    let dept: i64 = s
        .scalar(sqlx::query("SELECT id FROM departments WHERE name = $1").bind("赤峰市司法局"))
        .await;
    let dept = dept.to_string();

    // 用户管理: the department's, its two units' and the region's 财政 user.
    let page = root.get("/admin/users").await;
    assert!(
        page.body.contains(r#"<option value="赤峰市">"#),
        "{}",
        page.body
    );
    for (user, role, unit, region) in [
        ("bumen", "dept", "", ""),
        ("benji", "unit", "benji", ""),
        ("jiedusuo", "unit", "jiedusuo", ""),
        ("caizheng", "finance", "", "赤峰市"),
    ] {
        let r = form(
            &mut root,
            "/admin/users",
            &[
                ("username", user),
                ("display_name", user),
                ("password", "first-password-1"),
                ("role", role),
                ("dept_id", if role == "finance" { "0" } else { &dept }),
                ("unit_key", unit),
                ("region", region),
            ],
        )
        .await;
        assert_eq!(r.status, 303, "{user}: {}", r.body);
    }
    // The rules of the command line hold on the page: a short password, a region not set up.
    let r = form(
        &mut root,
        "/admin/users",
        &[
            ("username", "x"),
            ("display_name", "x"),
            ("password", "short"),
            ("role", "admin"),
        ],
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("至少 10 个字符"), "{}", r.body);
    let r = form(
        &mut root,
        "/admin/users",
        &[
            ("username", "y"),
            ("display_name", "y"),
            ("password", "long-enough-password"),
            ("role", "finance"),
            ("region", "没有的地区"),
        ],
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("不存在"), "{}", r.body);

    // 重置密码 on the page: the user's session ends and only the new password works.
    let mut bumen = signed_in(&s, "bumen", "first-password-1").await;
    let r = form(
        &mut root,
        "/admin/password",
        &[("username", "bumen"), ("password", "second-password-2")],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        bumen.get("/work").await.status,
        303,
        "the old session ended"
    );
    assert_eq!(
        s.client().login("bumen", "first-password-1").await.status,
        401
    );
    let mut bumen = signed_in(&s, "bumen", "second-password-2").await;

    // The department uploads its 决算; the units report; 财政 approves and publishes.
    let csrf = bumen.csrf().await;
    let r = bumen
        .post_file(
            "/work/new",
            &[("csrf", &csrf)],
            Some(("chifeng.zip", example_zip(|_, t| t))),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id: i64 = r.location().trim_start_matches("/work/d/").parse().unwrap();
    for unit in ["benji", "jiedusuo"] {
        let mut c = signed_in(&s, unit, "first-password-1").await;
        assert_eq!(transition(&mut c, id, "report", "1").await, 303, "{unit}");
    }
    assert_eq!(transition(&mut bumen, id, "submit", "1").await, 303);
    let mut fin = signed_in(&s, "caizheng", "first-password-1").await;
    assert_eq!(transition(&mut fin, id, "approve", "1").await, 303);
    assert_eq!(s.client().get(&format!("/p/{id}")).await.status, 404);
    assert_eq!(transition(&mut fin, id, "publish", "1").await, 303);

    let mut anon = s.client();
    let list = anon.get("/").await;
    assert!(list.body.contains(&format!("/p/{id}")), "{}", list.body);
    let page = anon.get(&format!("/p/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("赤峰市司法局"));
    assert_eq!(anon.get(&format!("/p/{id}/document")).await.status, 200);

    // Every step of the administrator is in the audit log under its name.
    let log = root.get("/audit").await;
    for action in ["新建地区", "新建部门", "新建用户", "重置密码"] {
        assert!(
            log.body
                .contains(&format!("<td>root</td><td>{action}</td>")),
            "{action} by root missing from the log"
        );
    }
}
