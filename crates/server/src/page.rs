//! The page frame and small HTML helpers. Every text from data goes through `esc`.

use crate::auth::{Role, User};
use axum::http::header;
use axum::response::IntoResponse;

pub fn esc(s: &str) -> String {
    juesuan_html::escape(s)
}

/// A whole page: header, navigation (by role), the body.
pub fn layout(title: &str, user: Option<&User>, body: &str) -> String {
    let mut nav = String::from(r#"<a href="/">公开目录</a>"#);
    let mut who = String::new();
    match user {
        Some(u) => {
            if u.role != Role::Admin {
                nav.push_str(r#"<a href="/work">工作台</a>"#);
            }
            if matches!(u.role, Role::Finance | Role::Admin) {
                nav.push_str(r#"<a href="/audit">审计日志</a>"#);
            }
            if u.role == Role::Admin {
                nav.push_str(
                    r#"<a href="/admin/users">用户管理</a><a href="/admin/orgs">机构管理</a>"#,
                );
            }
            who = format!(
                r#"<span class="who">{}（{}）</span><form method="post" action="/logout" class="inline">{}<button>退出</button></form>"#,
                esc(&u.display_name),
                u.role.label(),
                csrf_field(u)
            );
        }
        None => nav.push_str(r#"<a href="/login">登录</a>"#),
    }
    format!(
        r#"<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t} · 预决算公开平台</title><link rel="stylesheet" href="/static/app.css"></head>
<body><header><a class="brand" href="/">预决算公开平台</a><nav>{nav}</nav><div class="user">{who}</div></header>
<main><h1>{t}</h1>
{body}
</main><footer>部门预决算公开平台 · juesuan</footer></body></html>"#,
        t = esc(title)
    )
}

pub fn csrf_field(u: &User) -> String {
    format!(
        r#"<input type="hidden" name="csrf" value="{}">"#,
        esc(&u.csrf)
    )
}

pub fn state_label(s: &str) -> &'static str {
    match s {
        "draft" => "草稿",
        "submitted" => "已提交",
        "returned" => "已退回",
        "approved" => "已审核",
        "published" => "已公开",
        _ => "未知",
    }
}

pub fn html(title: &str, user: Option<&User>, body: &str) -> axum::response::Html<String> {
    axum::response::Html(layout(title, user, body))
}

pub async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
}

const CSS: &str = r#"
body{margin:0;font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;color:#1d2733;background:#f6f7f9}
header{display:flex;align-items:center;gap:1.5em;background:#9b1c1c;color:#fff;padding:.6em 1.2em}
header a{color:#fff;text-decoration:none}header nav a{margin-right:1em}
.brand{font-weight:bold;font-size:1.2em}.user{margin-left:auto}.who{margin-right:.6em}
main{max-width:1200px;margin:0 auto;padding:1em 1.2em;background:#fff;min-height:70vh}
footer{text-align:center;color:#777;font-size:.85em;padding:1em}
h1{font-size:1.5em;border-bottom:2px solid #9b1c1c;padding-bottom:.3em}
table{border-collapse:collapse;margin:.6em 0}th,td{border:1px solid #c8ccd2;padding:.25em .5em;text-align:left}
th{background:#eef0f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
.grid input{width:7em;text-align:right;font:inherit}
td.bad{background:#fde2e2}td.bad input{border:2px solid #c62828}
.error{color:#b71c1c}.warning{color:#8a5a00}.ok{color:#1b5e20}
.box{border:1px solid #c8ccd2;padding:.6em 1em;margin:.8em 0;background:#fafbfc}
form.inline{display:inline}button{cursor:pointer}
.state{display:inline-block;padding:.1em .5em;border-radius:3px;background:#e3e7ee}
.state-published{background:#d7f0dc}.state-returned{background:#fde2e2}.state-submitted{background:#fff2cc}
iframe.doc{width:100%;height:80vh;border:1px solid #c8ccd2}
.sev{white-space:nowrap}.draft{color:#34495e;background:#eef4fb;padding:.3em .6em;border-left:3px solid #5b8bd0}table.tables a{margin-right:.7em}table.tables th{font-weight:normal}
.del{background:#fde2e2}.ins{background:#d7f0dc}
label{display:inline-block;margin:.2em .8em .2em 0}textarea{width:100%;min-height:4em;font:inherit}
"#;
