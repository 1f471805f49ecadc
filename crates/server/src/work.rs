//! Preparation and review: datasets, tables with their findings, cell and reason edits,
//! uploads, the workflow, versions and diffs. Every handler checks the role and scope.

use crate::auth::{require_csrf, Auth, Role, User};
use crate::data::{
    self, can_edit_file, can_view, editable_state, visible_file, Dataset, SaveError,
};
use crate::db::format_time;
use crate::page::{csrf_field, esc, html, state_label};
use crate::store::{self, Change, Files, Grid};
use crate::{AppError, AppState};
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use juesuan_check::{Finding, Severity};
use sqlx::Row;

type Fields = Vec<(String, String)>;

fn field<'a>(f: &'a Fields, name: &str) -> Option<&'a str> {
    f.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn parse_i64(v: Option<&str>, what: &str) -> Result<i64, AppError> {
    v.and_then(|s| s.trim().parse().ok())
        .ok_or_else(|| AppError::BadRequest(format!("缺少或无效的{what}")))
}

async fn viewable(state: &AppState, u: &User, id: i64) -> Result<Dataset, AppError> {
    let d = data::dataset(&state.db, id).await?;
    if !can_view(u, &d) {
        return Err(AppError::Forbidden);
    }
    Ok(d)
}

fn severity_label(s: Severity) -> (&'static str, &'static str) {
    match s {
        Severity::Error => ("错误", "error"),
        Severity::Warning => ("警告", "warning"),
        Severity::Style => ("规范", "warning"),
    }
}

/// The findings this user may see.
fn visible_findings<'a>(u: &User, findings: &'a [Finding]) -> Vec<&'a Finding> {
    findings
        .iter()
        .filter(|f| match u.role {
            Role::Unit => f.location.unit.as_deref() == Some(u.unit_key.as_str()),
            _ => true,
        })
        .collect()
}

/// Where a finding's cell is edited, if it is in a table file.
fn finding_link(d: &Dataset, f: &Finding) -> Option<String> {
    let l = &f.location;
    let t = l.table.as_deref()?;
    if !(t.starts_with('T') || t.starts_with('Y')) {
        return None;
    }
    let unit = match l.unit.as_deref()? {
        "部门" => "department",
        u => u,
    };
    Some(format!(
        "/work/d/{}/table/{}/{}",
        d.id,
        esc(unit),
        esc(&t.to_lowercase())
    ))
}

fn findings_html(d: &Dataset, list: &[&Finding]) -> String {
    if list.is_empty() {
        return r#"<p class="ok">检查未发现问题。</p>"#.into();
    }
    let mut s = String::from(
        "<table><tr><th class=\"sev\">级别</th><th>位置（表 / 行 / 列）</th><th>问题</th><th>规则</th></tr>",
    );
    for f in list {
        let (label, class) = severity_label(f.severity);
        let loc = f.location.describe(None);
        let loc = match finding_link(d, f) {
            Some(href) => format!(r#"<a href="{href}">{}</a>"#, esc(&loc)),
            None => esc(&loc),
        };
        s.push_str(&format!(
            r#"<tr><td class="{class} sev">{label}</td><td>{loc}</td><td>{}</td><td>{}</td></tr>"#,
            esc(&f.message),
            esc(&f.rule)
        ));
    }
    s.push_str("</table>");
    s
}

pub async fn home(State(state): State<AppState>, Auth(u): Auth) -> Result<Html<String>, AppError> {
    if u.role == Role::Admin {
        return Err(AppError::Forbidden);
    }
    let list: Vec<Dataset> = data::all_datasets(&state.db)
        .await?
        .into_iter()
        .filter(|d| can_view(&u, d))
        .collect();
    let mut body = String::new();
    if list.is_empty() {
        body.push_str("<p>暂无数据集。</p>");
    } else {
        body.push_str("<table><tr><th>年度</th><th>类别</th><th>部门</th><th>名称</th><th>状态</th><th>版本</th><th>更新时间</th></tr>");
        for d in &list {
            body.push_str(&format!(
                r#"<tr><td>{}</td><td>部门{}</td><td>{}</td><td><a href="/work/d/{}">{}</a></td><td><span class="state state-{}">{}</span></td><td>{}</td><td>{}</td></tr>"#,
                d.year,
                d.kind.chinese(),
                esc(&d.dept_name),
                d.id,
                esc(&d.name),
                esc(&d.state),
                state_label(&d.state),
                d.current_version,
                format_time(d.updated_at)
            ));
        }
        body.push_str("</table>");
    }
    if u.role == Role::Dept {
        body.push_str(&format!(
            r#"<div class="box"><h2>新建数据集</h2><p>上传部门决算或部门预算数据集目录的 zip 压缩包（disclosure.toml 与各单位九张表 CSV，格式见 docs/dataset.md），或九张表的 Excel 工作簿（.xlsx；旧版 .xls 请先另存为 .xlsx）。不超过 8 MB。年度和类别（决算或预算）取自数据。</p>
<form method="post" action="/work/new" enctype="multipart/form-data">{}<input type="file" name="file" accept=".zip,.xlsx" required> <button>上传</button></form></div>"#,
            csrf_field(&u)
        ));
    }
    Ok(html("工作台", Some(&u), &body))
}

/// Reads the multipart fields: text fields and at most one file.
async fn read_multipart(
    mut mp: Multipart,
) -> Result<(Fields, Option<(String, Vec<u8>)>), AppError> {
    let mut fields = Vec::new();
    let mut file = None;
    loop {
        let next = mp
            .next_field()
            .await
            .map_err(|_| AppError::BadRequest("上传的内容无法读取，或超过 8 MB 的上限".into()))?;
        let Some(f) = next else { break };
        let name = f.name().unwrap_or("").to_string();
        if name == "file" {
            let fname = f.file_name().unwrap_or("upload").to_string();
            let bytes = f.bytes().await.map_err(|_| {
                AppError::BadRequest("上传的文件无法读取，或超过 8 MB 的上限".into())
            })?;
            if bytes.len() > store::MAX_UPLOAD {
                return Err(AppError::BadRequest("上传的文件超过 8 MB 的上限".into()));
            }
            file = Some((fname, bytes.to_vec()));
        } else {
            let v = f
                .text()
                .await
                .map_err(|_| AppError::BadRequest("表单内容无法读取".into()))?;
            fields.push((name, v));
        }
    }
    Ok((fields, file))
}

fn problems_page(title: &str, problems: &[String]) -> AppError {
    let mut s = format!("<p>{}</p><ul>", esc(title));
    for p in problems.iter().take(200) {
        s.push_str(&format!("<li>{}</li>", esc(p)));
    }
    if problems.len() > 200 {
        s.push_str(&format!("<li>……另有 {} 个问题</li>", problems.len() - 200));
    }
    s.push_str("</ul><p>数据未保存。请修正后重新上传或提交。</p>");
    AppError::Unprocessable(s)
}

enum Upload {
    Zip,
    Workbook,
}

fn upload_kind(name: &str) -> Result<Upload, AppError> {
    let lower = name.to_lowercase();
    if lower.ends_with(".zip") {
        Ok(Upload::Zip)
    } else if lower.ends_with(".xlsx") || lower.ends_with(".xls") {
        Ok(Upload::Workbook)
    } else {
        Err(AppError::BadRequest(
            "只接受 .zip（数据集目录）或 .xlsx（九张表工作簿）文件".into(),
        ))
    }
}

fn read_upload(name: &str, bytes: &[u8]) -> Result<Files, AppError> {
    match upload_kind(name)? {
        Upload::Zip => store::from_zip(bytes)
            .map(|(f, _)| f)
            .map_err(|e| problems_page("压缩包无法读取：", &[e])),
        Upload::Workbook => store::from_workbook(bytes, name).map_err(|p| {
            problems_page(
                "工作簿无法导入：",
                &p.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
            )
        }),
    }
}

/// Loads on the calling (blocking) thread; files that do not load are refused, listing every
/// problem.
fn load_now(files: &Files) -> Result<juesuan_model::Disclosure, AppError> {
    store::load(files).map_err(|p| {
        problems_page(
            "数据无法读取：",
            &p.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
        )
    })
}

/// Refuses files that do not load, listing every problem.
async fn must_load(files: &Files) -> Result<juesuan_model::Disclosure, AppError> {
    let f = files.clone();
    tokio::task::spawn_blocking(move || store::load(&f))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|p| {
            problems_page(
                "数据无法读取：",
                &p.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
            )
        })
}

pub async fn create(
    State(state): State<AppState>,
    Auth(u): Auth,
    mp: Multipart,
) -> Result<Response, AppError> {
    if u.role != Role::Dept {
        return Err(AppError::Forbidden);
    }
    let (fields, file) = read_multipart(mp).await?;
    require_csrf(&u, field(&fields, "csrf"))?;
    let (name, bytes) = file.ok_or_else(|| AppError::BadRequest("请选择要上传的文件".into()))?;
    upload_kind(&name)?;
    let (files, d) = state
        .parse_blocking(move || {
            let files = read_upload(&name, &bytes)?;
            let d = load_now(&files)?;
            Ok((files, d))
        })
        .await?;
    let id = data::create_dataset(
        &state.db,
        u.dept_id,
        i64::from(d.entity.year),
        d.entity.doc,
        &d.entity.name,
        &files,
        Some(&u),
    )
    .await?
    .ok_or_else(|| {
        AppError::Conflict(format!(
            "<p>本部门 {} 年度的部门{}数据集已经存在。请在工作台打开它，上传新版本。</p>",
            d.entity.year,
            d.entity.doc.chinese()
        ))
    })?;
    Ok(Redirect::to(&format!("/work/d/{id}")).into_response())
}

async fn transitions_html(state: &AppState, d: &Dataset) -> Result<String, AppError> {
    let rows = sqlx::query(
        "SELECT t.from_state, t.to_state, t.at, t.comment, t.version_no, u.display_name FROM transitions t \
         JOIN users u ON u.id = t.user_id WHERE t.dataset_id = $1 ORDER BY t.id",
    )
    .bind(d.id)
    .fetch_all(&state.db.pool)
    .await?;
    if rows.is_empty() {
        return Ok("<p>尚无流转记录。</p>".into());
    }
    let mut s = String::from(
        "<table><tr><th>时间</th><th>操作人</th><th>状态变化</th><th>版本</th><th>意见</th></tr>",
    );
    for r in rows {
        let from: String = r.try_get("from_state")?;
        let to: String = r.try_get("to_state")?;
        s.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{} → {}</td><td>{}</td><td>{}</td></tr>",
            format_time(r.try_get("at")?),
            esc(&r.try_get::<String, _>("display_name")?),
            state_label(&from),
            state_label(&to),
            r.try_get::<i64, _>("version_no")?,
            esc(&r.try_get::<String, _>("comment")?)
        ));
    }
    s.push_str("</table>");
    Ok(s)
}

pub async fn overview(
    State(state): State<AppState>,
    Auth(u): Auth,
    Path(id): Path<i64>,
) -> Result<Html<String>, AppError> {
    let d = viewable(&state, &u, id).await?;
    let files = data::version_files(&state.db, d.id, d.current_version).await?;
    let checked = data::checked(&state, d.id, d.current_version).await?;
    let mut body = format!(
        r#"<p>{} · {} · {}年度部门{} · 状态：<span class="state state-{}">{}</span> · 当前版本 {} · 更新于 {}</p>"#,
        esc(&d.region),
        esc(&d.dept_name),
        d.year,
        d.kind.chinese(),
        esc(&d.state),
        state_label(&d.state),
        d.current_version,
        format_time(d.updated_at)
    );
    // One row per unit (the 部门's published tables first), one link per table.
    let mut rows: Vec<(String, String, Vec<String>)> = Vec::new();
    for rel in store::table_files(&files) {
        if !visible_file(&u, &rel) {
            continue;
        }
        let Some((unit, table)) = store::unit_table(&rel) else {
            continue;
        };
        let (unit_path, unit_label) = if unit == "部门" {
            ("department".to_string(), "部门（公开表）".to_string())
        } else {
            let name = checked
                .as_ref()
                .as_ref()
                .ok()
                .and_then(|c| c.disclosure.unit(&unit).map(|x| x.name.clone()))
                .unwrap_or_else(|| unit.clone());
            (unit.clone(), name)
        };
        let link = format!(
            r#"<a href="/work/d/{}/table/{}/{}">表{}</a>"#,
            d.id,
            esc(&unit_path),
            esc(&table.to_lowercase()),
            esc(&table[1..])
        );
        match rows.last_mut() {
            Some((p, _, links)) if *p == unit_path => links.push(link),
            _ => rows.push((unit_path, unit_label, vec![link])),
        }
    }
    body.push_str(r#"<h2>表格</h2><table class="tables">"#);
    for (_, label, links) in &rows {
        body.push_str(&format!(
            "<tr><th>{}</th><td>{}</td></tr>",
            esc(label),
            links.join(" ")
        ));
    }
    body.push_str("</table>");
    let errors = match checked.as_ref() {
        Ok(c) => {
            let list = visible_findings(&u, &c.report.findings);
            let errors = list
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .count();
            body.push_str(&format!(
                "<h2>检查结果</h2><p>{} 个错误，{} 个警告或规范问题。</p>",
                errors,
                list.len() - errors
            ));
            body.push_str(&findings_html(&d, &list));
            if u.role == Role::Unit {
                errors
            } else {
                c.errors()
            }
        }
        Err(p) => {
            body.push_str("<h2>检查结果</h2><p class=\"error\">数据无法读取：</p><ul>");
            for x in p {
                body.push_str(&format!("<li>{}</li>", esc(x)));
            }
            body.push_str("</ul>");
            usize::MAX
        }
    };
    let reports = data::unit_reports(&state.db, &d, &files).await?;
    let unit_name = |key: &str| {
        checked
            .as_ref()
            .as_ref()
            .ok()
            .and_then(|c| c.disclosure.unit(key).map(|x| x.name.clone()))
            .unwrap_or_else(|| key.to_string())
    };
    if u.role != Role::Unit {
        body.push_str(&reports_html(&reports, &unit_name));
    }
    body.push_str("<h2>操作</h2>");
    let editable = editable_state(&d.state);
    let waiting: Vec<String> = data::waiting_units(&reports)
        .into_iter()
        .map(|r| unit_name(&r.unit))
        .collect();
    match u.role {
        Role::Dept => {
            body.push_str(&format!(
                r#"<p><a href="/work/d/{0}/reasons">变动原因</a> · <a href="/work/d/{0}/preview">预览全文（草稿）</a> · <a href="/work/d/{0}/versions">版本与差异</a></p>"#,
                d.id
            ));
            if editable {
                body.push_str(&upload_form(
                    &u,
                    &d,
                    "上传新版本：数据集 zip，或（单一单位时）九张表工作簿",
                ));
                if errors != 0 {
                    body.push_str(r#"<p class="error">检查有错误，修正后才能提交。</p>"#);
                } else if !waiting.is_empty() {
                    body.push_str(&format!(
                        r#"<p class="error">以下单位尚未报送（或报送后数据又有改动）：{}。各单位报送后才能提交。</p>"#,
                        esc(&waiting.join("、"))
                    ));
                } else {
                    body.push_str(&transition_form(&u, &d, "submit", "提交财政审核", false));
                }
            }
        }
        Role::Unit => {
            body.push_str(&format!(
                r#"<p><a href="/work/d/{}/versions">版本与差异</a></p>"#,
                d.id
            ));
            let mine = reports.iter().find(|r| r.unit == u.unit_key);
            body.push_str(&match mine.and_then(|r| r.reported.clone().map(|x| (x, r.current))) {
                Some(((no, who, at), true)) => format!(
                    r#"<p class="ok">本单位已报送：版本 {no}，{} 于 {}。</p>"#,
                    esc(&who),
                    format_time(at)
                ),
                Some(((no, _, _), false)) => format!(
                    r#"<p class="error">本单位曾报送版本 {no}，其后本单位的表有改动，需要重新报送。</p>"#
                ),
                None => r#"<p>本单位尚未报送。</p>"#.to_string(),
            });
            if editable {
                body.push_str(&upload_form(
                    &u,
                    &d,
                    "上传本单位九张表工作簿（.xlsx），替换本单位的表",
                ));
                if errors != 0 {
                    body.push_str(r#"<p class="error">本单位的表有错误，修正后才能报送部门。</p>"#);
                } else if mine.is_some_and(|r| !r.current) {
                    body.push_str(&transition_form(&u, &d, "report", "报送部门", false));
                }
            }
        }
        Role::Finance => {
            body.push_str(&format!(
                r#"<p><a href="/work/d/{0}/preview">预览全文</a> · <a href="/work/d/{0}/versions">版本与差异</a> · <a href="/audit?dataset={0}">审计日志</a></p>"#,
                d.id
            ));
            if d.state == "submitted" || d.state == "approved" {
                body.push_str(&transition_form(&u, &d, "return", "退回修改", true));
            }
            if d.state == "submitted" && errors == 0 {
                body.push_str(&transition_form(&u, &d, "approve", "审核通过", false));
            }
            if d.state == "approved" {
                body.push_str(&transition_form(&u, &d, "publish", "公开", false));
            }
        }
        Role::Admin => {}
    }
    if d.published_version > 0 {
        body.push_str(&format!(
            r#"<p>已公开版本 {}：<a href="/p/{}">在公开目录中查看</a></p>"#,
            d.published_version, d.id
        ));
    }
    body.push_str("<h2>流转记录</h2>");
    body.push_str(&transitions_html(&state, &d).await?);
    Ok(html(
        &format!("{} {}年度部门{}", d.name, d.year, d.kind.chinese()),
        Some(&u),
        &body,
    ))
}

/// 单位报送情况, for the department and the reviewer.
fn reports_html(reports: &[data::UnitReport], name: &dyn Fn(&str) -> String) -> String {
    if reports.is_empty() {
        return "<h2>单位报送情况</h2><p>本数据集只有部门的表（没有 units/ 下的单位表），由部门填报，无需单位报送。</p>".into();
    }
    let mut s = String::from(
        "<h2>单位报送情况</h2><table><tr><th>单位</th><th>报送</th><th>说明</th></tr>",
    );
    for r in reports {
        let (status, class) = match (&r.reported, r.current) {
            (Some((no, who, at)), true) => (
                format!("已报送版本 {no}（{}，{}）", esc(who), format_time(*at)),
                "ok",
            ),
            (Some((no, _, _)), false) => (format!("报送版本 {no} 后有改动，待重新报送"), "error"),
            (None, _) if r.has_account => ("未报送".to_string(), "error"),
            (None, _) => ("—".to_string(), ""),
        };
        let note = if r.has_account {
            "由单位填报并报送"
        } else {
            "无单位账号，由部门填报"
        };
        s.push_str(&format!(
            r#"<tr><td>{}</td><td class="{class}">{status}</td><td>{note}</td></tr>"#,
            esc(&name(&r.unit))
        ));
    }
    s.push_str("</table>");
    s
}

fn upload_form(u: &User, d: &Dataset, label: &str) -> String {
    format!(
        r#"<form method="post" action="/work/d/{}/upload" enctype="multipart/form-data" class="box">{}<input type="hidden" name="base" value="{}"><p>{}（不超过 8 MB）</p><input type="file" name="file" accept=".zip,.xlsx" required> <button>上传</button></form>"#,
        d.id,
        csrf_field(u),
        d.current_version,
        esc(label)
    )
}

fn transition_form(
    u: &User,
    d: &Dataset,
    action: &str,
    label: &str,
    comment_required: bool,
) -> String {
    format!(
        r#"<form method="post" action="/work/d/{}/transition" class="box">{}<input type="hidden" name="action" value="{action}"><input type="hidden" name="base" value="{}"><label>意见{}<textarea name="comment"{}></textarea></label><button>{label}</button></form>"#,
        d.id,
        csrf_field(u),
        d.current_version,
        if comment_required {
            "（必填）"
        } else {
            "（可选）"
        },
        if comment_required { " required" } else { "" },
    )
}

fn table_rel(unit: &str, table: &str) -> Result<String, AppError> {
    let rel = if unit == "department" {
        format!("department/{table}.csv")
    } else {
        format!("units/{unit}/{table}.csv")
    };
    if store::allowed_path(&rel) {
        Ok(rel)
    } else {
        Err(AppError::NotFound)
    }
}

#[derive(serde::Deserialize, Default)]
pub struct TableQuery {
    #[serde(default)]
    saved: Option<i64>,
}

pub async fn table(
    State(state): State<AppState>,
    Auth(u): Auth,
    Path((id, unit, t)): Path<(i64, String, String)>,
    Query(q): Query<TableQuery>,
) -> Result<Html<String>, AppError> {
    let d = viewable(&state, &u, id).await?;
    let rel = table_rel(&unit, &t)?;
    if !visible_file(&u, &rel) {
        return Err(AppError::Forbidden);
    }
    let files = data::version_files(&state.db, d.id, d.current_version).await?;
    let text = files.get(&rel).ok_or(AppError::NotFound)?;
    let grid = Grid::parse(text).map_err(AppError::BadRequest)?;
    let checked = data::checked(&state, d.id, d.current_version).await?;
    let findings: &[Finding] = match checked.as_ref() {
        Ok(c) => &c.report.findings,
        Err(_) => &[],
    };
    let can_edit = can_edit_file(&u, &d, &rel) && editable_state(&d.state);
    let mut body = String::new();
    if let Some(v) = q.saved {
        body.push_str(&format!(
            r#"<p class="ok">已保存为版本 {v}，检查结果已更新。</p>"#
        ));
    }
    body.push_str(&format!(
        r#"<p><a href="/work/d/{}">返回数据集</a> · {} · 版本 {} · 金额单位见 disclosure.toml</p>"#,
        d.id,
        esc(&rel),
        d.current_version
    ));
    if !can_edit {
        body.push_str(&format!(
            "<p>当前状态为“{}”，或您无权修改此表：只读。</p>",
            state_label(&d.state)
        ));
    }
    let k = grid.key_columns();
    let mut here: Vec<&Finding> = Vec::new();
    let mut t_html = String::from(r#"<table class="grid"><tr>"#);
    for h in &grid.header {
        t_html.push_str(&format!("<th>{}</th>", esc(h)));
    }
    t_html.push_str("</tr>");
    for r in 0..grid.rows.len() {
        t_html.push_str("<tr>");
        for c in 0..grid.header.len().max(grid.rows[r].len()) {
            let v = grid.rows[r].get(c).map(String::as_str).unwrap_or("");
            if c < k {
                t_html.push_str(&format!("<td>{}</td>", esc(v)));
                continue;
            }
            let at = store::findings_at(findings, &rel, &grid, r, c);
            let bad = at.iter().any(|f| f.severity == Severity::Error);
            let title = at
                .iter()
                .map(|f| f.message.as_str())
                .collect::<Vec<_>>()
                .join("；");
            for f in at {
                if !here.contains(&f) {
                    here.push(f);
                }
            }
            let class = if bad { " bad" } else { "" };
            if can_edit {
                t_html.push_str(&format!(
                    r#"<td class="num{class}" title="{}"><input name="c{r}_{c}" value="{}" maxlength="40"></td>"#,
                    esc(&title),
                    esc(v)
                ));
            } else {
                t_html.push_str(&format!(
                    r#"<td class="num{class}" title="{}">{}</td>"#,
                    esc(&title),
                    esc(v)
                ));
            }
        }
        t_html.push_str("</tr>");
    }
    t_html.push_str("</table>");
    body.push_str("<h2>本表的检查结果</h2>");
    body.push_str(&findings_html(&d, &here));
    if can_edit {
        body.push_str(&format!(
            r#"<form method="post" action="/work/d/{}/table/{}/{}">{}<input type="hidden" name="base" value="{}">{t_html}<label>修改说明 <input name="note" maxlength="200"></label><button>保存为新版本</button></form>"#,
            d.id,
            esc(&unit),
            esc(&t),
            csrf_field(&u),
            d.current_version
        ));
    } else {
        body.push_str(&t_html);
    }
    let title = match store::unit_table(&rel) {
        Some((unit, table)) => format!("{} · {} · 表{}", d.name, unit, &table[1..]),
        None => d.name.clone(),
    };
    Ok(html(&title, Some(&u), &body))
}

/// The 409 page: what others saved since `base`, and what this save would have changed.
async fn conflict(
    state: &AppState,
    u: &User,
    d: &Dataset,
    base: i64,
    current: i64,
    mine: &[Change],
) -> AppError {
    let base_files = data::version_files(&state.db, d.id, base).await;
    let cur_files = data::version_files(&state.db, d.id, current).await;
    let who = sqlx::query(
        "SELECT u.display_name, v.created_at FROM versions v JOIN users u ON u.id = v.author_id WHERE v.dataset_id = $1 AND v.no = $2",
    )
    .bind(d.id)
    .bind(current)
    .fetch_optional(&state.db.pool)
    .await
    .ok()
    .flatten()
    .and_then(|r| Some((r.try_get::<String, _>("display_name").ok()?, r.try_get::<i64, _>("created_at").ok()?)));
    let mut s = format!(
        r#"<p class="error">保存失败：您是在版本 {base} 的基础上修改的，但此数据集已被更新为版本 {current}{}。为避免覆盖他人的修改，您的修改没有保存。</p>
<p>请<a href="/work/d/{}">打开最新版本</a>，核对下面的差异后重新修改。</p>"#,
        match &who {
            Some((name, at)) => format!("（{} 于 {} 保存）", esc(name), format_time(*at)),
            None => String::new(),
        },
        d.id
    );
    if let (Ok(a), Ok(b)) = (base_files, cur_files) {
        let changes: Vec<Change> = store::diff(&a, &b)
            .into_iter()
            .filter(|c| visible_file(u, &c.file))
            .collect();
        s.push_str(&format!("<h2>他人的修改（版本 {base} → {current}）</h2>"));
        s.push_str(&changes_html(&changes));
    } else if d.state != "draft" && d.state != "returned" {
        s.push_str(&format!(
            "<p>数据集当前状态为“{}”，不能修改。</p>",
            state_label(&d.state)
        ));
    }
    s.push_str("<h2>您未保存的修改</h2>");
    s.push_str(&changes_html(mine));
    AppError::Conflict(s)
}

fn changes_html(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "<p>没有差异。</p>".into();
    }
    let mut s = String::from(
        "<table><tr><th>文件</th><th>行</th><th>列</th><th>原值</th><th>新值</th></tr>",
    );
    for c in changes {
        s.push_str(&format!(
            r#"<tr><td>{}</td><td>{}</td><td>{}</td><td class="del">{}</td><td class="ins">{}</td></tr>"#,
            esc(&c.file),
            esc(&c.row),
            esc(&c.column),
            esc(&c.old),
            esc(&c.new)
        ));
    }
    s.push_str("</table>");
    s
}

/// Saves `files` as a new version on top of `base`, or explains why not.
async fn save(
    state: &AppState,
    u: &User,
    d: &Dataset,
    base: i64,
    base_files: &Files,
    files: Files,
    note: &str,
) -> Result<i64, AppError> {
    let mine: Vec<Change> = store::diff(base_files, &files);
    if !editable_state(&d.state) {
        return Err(AppError::Conflict(format!(
            "<p>数据集当前状态为“{}”，不能修改。只有草稿或已退回的数据集可以修改。</p>",
            state_label(&d.state)
        )));
    }
    if base != d.current_version {
        return Err(conflict(state, u, d, base, d.current_version, &mine).await);
    }
    must_load(&files).await?;
    match data::save_version(&state.db, d.id, base, &files, u, note).await {
        Ok(v) => Ok(v),
        Err(SaveError::Stale(cur)) => Err(conflict(state, u, d, base, cur, &mine).await),
        Err(SaveError::Db(e)) => Err(e.into()),
    }
}

pub async fn save_table(
    State(state): State<AppState>,
    Auth(u): Auth,
    Path((id, unit, t)): Path<(i64, String, String)>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    require_csrf(&u, field(&fields, "csrf"))?;
    let d = viewable(&state, &u, id).await?;
    let rel = table_rel(&unit, &t)?;
    if !can_edit_file(&u, &d, &rel) {
        return Err(AppError::Forbidden);
    }
    let base = parse_i64(field(&fields, "base"), "版本号")?;
    let base_files = data::version_files(&state.db, d.id, base).await?;
    let text = base_files.get(&rel).ok_or(AppError::NotFound)?;
    let mut grid = Grid::parse(text).map_err(AppError::BadRequest)?;
    let k = grid.key_columns();
    for (name, value) in &fields {
        let Some((r, c)) = name
            .strip_prefix('c')
            .and_then(|s| s.split_once('_'))
            .and_then(|(r, c)| Some((r.parse::<usize>().ok()?, c.parse::<usize>().ok()?)))
        else {
            continue;
        };
        if c < k || c >= grid.header.len() || r >= grid.rows.len() {
            return Err(AppError::BadRequest("单元格位置无效".into()));
        }
        let value = value.trim();
        if value.chars().count() > 40 || value.contains(['\n', '\r']) {
            return Err(AppError::BadRequest(format!(
                "第{}行“{}”列的内容过长或含换行",
                r + 2,
                grid.header[c]
            )));
        }
        let row = &mut grid.rows[r];
        if row.len() <= c {
            row.resize(c + 1, String::new());
        }
        if row[c].trim() != value {
            row[c] = value.to_string();
        }
    }
    let mut files = base_files.clone();
    files.insert(rel.clone(), grid.write());
    if store::diff(&base_files, &files).is_empty() {
        return Ok(Redirect::to(&format!("/work/d/{id}/table/{unit}/{t}")).into_response());
    }
    let note = field(&fields, "note").unwrap_or("").trim();
    let note = if note.is_empty() {
        format!("修改 {rel}")
    } else {
        format!("修改 {rel}：{}", note.chars().take(200).collect::<String>())
    };
    let v = save(&state, &u, &d, base, &base_files, files, &note).await?;
    Ok(Redirect::to(&format!("/work/d/{id}/table/{unit}/{t}?saved={v}")).into_response())
}

/// (kind, key) of the reason a finding asks for.
fn reason_wanted(f: &Finding) -> Option<(String, String)> {
    if !f.rule.starts_with("R.") {
        return None;
    }
    let kind = store::REASON_KINDS
        .iter()
        .find(|k| f.message.contains(&format!("reasons.{k}")))?;
    let key = format!(
        "{}/{}",
        f.location.table.as_deref()?,
        f.location.row.as_deref()?
    );
    Some((kind.to_string(), key))
}

pub async fn reasons(
    State(state): State<AppState>,
    Auth(u): Auth,
    Path(id): Path<i64>,
) -> Result<Html<String>, AppError> {
    let d = viewable(&state, &u, id).await?;
    if !matches!(u.role, Role::Dept | Role::Finance) {
        return Err(AppError::Forbidden);
    }
    let files = data::version_files(&state.db, d.id, d.current_version).await?;
    let toml = files
        .get("disclosure.toml")
        .map(String::as_str)
        .unwrap_or("");
    let checked = data::checked(&state, d.id, d.current_version).await?;
    let can_edit = u.role == Role::Dept && editable_state(&d.state);
    // The comparison each reason explains, with the drafted drivers (juesuan explain): which
    // lines moved and by how much, from the printed figures. People write the why.
    let explained = match checked.as_ref() {
        Ok(c) => juesuan_explain::explain(&c.disclosure).ok(),
        Err(_) => None,
    };
    let comparison = |kind: &str, key: &str| {
        explained.as_ref().and_then(|e| {
            e.comparisons
                .iter()
                .find(|c| c.against.chinese() == kind && c.key == key)
        })
    };
    let form = |kind: &str, key: &str, text: &str, button: &str| {
        let c = comparison(kind, key);
        let head = match c {
            Some(c) => format!(
                "<p><b>{}</b>：{} {}万元，{} {}万元，{}（与{}相比）</p>",
                esc(&c.label),
                esc(&c.current_column),
                c.current.format_wan(),
                esc(&c.base_column),
                c.base.format_wan(),
                esc(&c.phrase),
                esc(kind)
            ),
            None => format!("<p>与{}相比：{}</p>", esc(kind), esc(key)),
        };
        let draft = c.and_then(|c| c.draft.as_ref());
        let draft_html = match (c, draft) {
            (_, Some(dr)) => format!(
                r#"<p class="draft">系统起草（依据表内数字，只说明哪些明细变动、金额多少；原因请自行补充）：{}</p>"#,
                esc(&dr.sentence)
            ),
            (Some(c), None) => c
                .note
                .as_ref()
                .map(|n| format!(r#"<p class="draft">{}</p>"#, esc(n)))
                .unwrap_or_default(),
            (None, None) => String::new(),
        };
        if can_edit {
            // A missing reason starts from the draft; nothing is saved until the person does.
            let text = match (text.is_empty(), draft) {
                (true, Some(dr)) => dr.sentence.as_str(),
                _ => text,
            };
            format!(
                r#"<form method="post" action="/work/d/{}/reasons" class="box">{}<input type="hidden" name="base" value="{}"><input type="hidden" name="kind" value="{}"><input type="hidden" name="key" value="{}">{head}{draft_html}<textarea name="text" maxlength="2000">{}</textarea><button>{button}</button></form>"#,
                d.id,
                csrf_field(&u),
                d.current_version,
                esc(kind),
                esc(key),
                esc(text)
            )
        } else {
            format!(
                r#"<div class="box">{head}{draft_html}<p>{}</p></div>"#,
                esc(text)
            )
        }
    };
    let mut body = format!(r#"<p><a href="/work/d/{}">返回数据集</a></p>"#, d.id);
    let missing: Vec<(&Finding, (String, String))> = match checked.as_ref() {
        Ok(c) => c
            .report
            .findings
            .iter()
            .filter_map(|f| reason_wanted(f).map(|w| (f, w)))
            .collect(),
        Err(_) => Vec::new(),
    };
    body.push_str(&format!("<h2>需要补充的变动原因（{}）</h2>", missing.len()));
    if missing.is_empty() {
        body.push_str(r#"<p class="ok">没有缺少的变动原因。</p>"#);
    }
    for (f, (kind, key)) in &missing {
        body.push_str(&format!(r#"<p class="error">{}</p>"#, esc(&f.message)));
        body.push_str(&form(kind, key, "", "保存原因"));
    }
    let existing = store::reasons(toml);
    body.push_str(&format!(
        "<h2>已填写的变动原因（{}）</h2><p>清空内容并保存即删除该条原因。</p>",
        existing.len()
    ));
    for (kind, key, text) in &existing {
        body.push_str(&form(kind, key, text, "保存修改"));
    }
    Ok(html(&format!("{} · 变动原因", d.name), Some(&u), &body))
}

pub async fn save_reason(
    State(state): State<AppState>,
    Auth(u): Auth,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    require_csrf(&u, field(&fields, "csrf"))?;
    let d = viewable(&state, &u, id).await?;
    if !can_edit_file(&u, &d, "disclosure.toml") {
        return Err(AppError::Forbidden);
    }
    let base = parse_i64(field(&fields, "base"), "版本号")?;
    let kind = field(&fields, "kind").unwrap_or("");
    let key = field(&fields, "key").unwrap_or("").trim();
    let text = field(&fields, "text").unwrap_or("");
    if text.chars().count() > 2000 {
        return Err(AppError::BadRequest("变动原因不超过 2000 字".into()));
    }
    let base_files = data::version_files(&state.db, d.id, base).await?;
    let toml = base_files
        .get("disclosure.toml")
        .cloned()
        .unwrap_or_default();
    let new_toml = store::set_reason(&toml, kind, key, text).map_err(AppError::BadRequest)?;
    let mut files = base_files.clone();
    files.insert("disclosure.toml".into(), new_toml);
    let note = format!("变动原因（与{kind}相比）{key}");
    save(&state, &u, &d, base, &base_files, files, &note).await?;
    Ok(Redirect::to(&format!("/work/d/{id}/reasons")).into_response())
}

pub async fn upload(
    State(state): State<AppState>,
    Auth(u): Auth,
    Path(id): Path<i64>,
    mp: Multipart,
) -> Result<Response, AppError> {
    let (fields, file) = read_multipart(mp).await?;
    require_csrf(&u, field(&fields, "csrf"))?;
    let d = viewable(&state, &u, id).await?;
    if !matches!(u.role, Role::Dept | Role::Unit) {
        return Err(AppError::Forbidden);
    }
    let base = parse_i64(field(&fields, "base"), "版本号")?;
    let (name, bytes) = file.ok_or_else(|| AppError::BadRequest("请选择要上传的文件".into()))?;
    let base_files = data::version_files(&state.db, d.id, base).await?;
    let kind = upload_kind(&name)?;
    let (uploaded, amount_units) = {
        let (name, base_files) = (name.clone(), base_files.clone());
        let workbook = matches!(kind, Upload::Workbook);
        state
            .parse_blocking(move || {
                let uploaded = read_upload(&name, &bytes)?;
                let units = if workbook {
                    Some((
                        load_now(&uploaded)?.entity.unit,
                        load_now(&base_files)?.entity.unit,
                    ))
                } else {
                    None
                };
                Ok((uploaded, units))
            })
            .await?
    };
    let unit_ids: Vec<String> = store::unit_ids(&base_files).into_iter().collect();
    let files = match (kind, u.role) {
        (Upload::Zip, Role::Dept) => {
            if let Some((year, doc)) = store::year_and_kind(&uploaded) {
                if (i64::from(year), doc) != (d.year, d.kind) {
                    return Err(AppError::BadRequest(format!(
                        "上传的是 {year} 年度部门{}，本数据集是 {} 年度部门{}：请在工作台新建数据集上传",
                        doc.chinese(),
                        d.year,
                        d.kind.chinese()
                    )));
                }
            }
            uploaded
        }
        (Upload::Workbook, _) => {
            // The workbook's tables replace one unit's: the user's own, or the only unit.
            let target =
                match u.role {
                    Role::Unit => u.unit_key.clone(),
                    _ if unit_ids.len() == 1 => unit_ids[0].clone(),
                    _ => return Err(AppError::BadRequest(
                        "本部门有多个单位：请上传整个数据集的 zip，或由各单位上传本单位的工作簿"
                            .into(),
                    )),
                };
            let (imported, current) =
                amount_units.ok_or_else(|| AppError::Internal("工作簿未读取".into()))?;
            if imported != current {
                return Err(AppError::BadRequest(format!(
                    "工作簿的金额单位是{}，数据集的是{}；请使用相同的单位",
                    imported.chinese(),
                    current.chinese()
                )));
            }
            let mut files = base_files.clone();
            let prefix = format!("units/{target}/");
            // The workbook holds the nine tables; the unit's unit.toml stays.
            files.retain(|k, _| !(k.starts_with(&prefix) && k.ends_with(".csv")));
            for (k, v) in uploaded {
                if let Some(t) = k.strip_prefix(&format!("units/{}/", juesuan_import::UNIT_ID)) {
                    files.insert(format!("{prefix}{t}"), v);
                }
            }
            files
        }
        (Upload::Zip, _) => {
            return Err(AppError::BadRequest(
                "单位用户请上传本单位九张表的工作簿（.xlsx）".into(),
            ))
        }
    };
    for k in store::diff(&base_files, &files).iter().map(|c| &c.file) {
        if !can_edit_file(&u, &d, k) {
            return Err(AppError::Forbidden);
        }
    }
    let v = save(
        &state,
        &u,
        &d,
        base,
        &base_files,
        files,
        &format!("上传 {name}"),
    )
    .await?;
    let _ = v;
    Ok(Redirect::to(&format!("/work/d/{id}")).into_response())
}

pub async fn transition(
    State(state): State<AppState>,
    Auth(u): Auth,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    require_csrf(&u, field(&fields, "csrf"))?;
    let d = viewable(&state, &u, id).await?;
    let action = field(&fields, "action").unwrap_or("");
    if action == "report" {
        return report(&state, &u, &d, &fields).await;
    }
    let (role, from, to, label) =
        data::step(action).ok_or_else(|| AppError::BadRequest("未知的操作".into()))?;
    if u.role != role {
        return Err(AppError::Forbidden);
    }
    let base = parse_i64(field(&fields, "base"), "版本号")?;
    let comment: String = field(&fields, "comment")
        .unwrap_or("")
        .trim()
        .chars()
        .take(2000)
        .collect();
    if action == "return" && comment.is_empty() {
        return Err(AppError::BadRequest("退回时必须填写意见".into()));
    }
    if !from.contains(&d.state.as_str()) {
        return Err(AppError::Conflict(format!(
            "<p>数据集当前状态为“{}”，不能执行“{label}”。</p>",
            state_label(&d.state)
        )));
    }
    if base != d.current_version {
        return Err(AppError::Conflict(format!(
            r#"<p>您看到的是版本 {base}，数据集已更新为版本 {}。请<a href="/work/d/{}">查看最新版本</a>后再操作。</p>"#,
            d.current_version, d.id
        )));
    }
    if matches!(action, "submit" | "approve" | "publish") {
        let checked = data::checked(&state, d.id, d.current_version).await?;
        match checked.as_ref() {
            Ok(c) if c.errors() == 0 => {}
            Ok(c) => {
                return Err(AppError::Unprocessable(format!(
                    r#"<p class="error">检查发现 {} 个错误，不能{label}。</p><p><a href="/work/d/{}">查看检查结果</a></p>"#,
                    c.errors(),
                    d.id
                )))
            }
            Err(p) => return Err(problems_page("数据无法读取：", p)),
        }
    }
    if action == "submit" {
        let files = data::version_files(&state.db, d.id, d.current_version).await?;
        let reports = data::unit_reports(&state.db, &d, &files).await?;
        let waiting: Vec<&str> = data::waiting_units(&reports)
            .into_iter()
            .map(|r| r.unit.as_str())
            .collect();
        if !waiting.is_empty() {
            return Err(AppError::Unprocessable(format!(
                r#"<p class="error">以下单位尚未报送当前数据：{}。各单位报送后才能提交。</p><p><a href="/work/d/{}">返回</a></p>"#,
                esc(&waiting.join("、")),
                d.id
            )));
        }
    }
    if !data::apply_transition(&state.db, &d, &d.state, to, base, &u, label, &comment).await? {
        return Err(AppError::Conflict(
            "<p>数据集的状态或版本刚刚被他人改变，操作未执行。请刷新后重试。</p>".into(),
        ));
    }
    Ok(Redirect::to(&format!("/work/d/{id}")).into_response())
}

/// 单位报送: a unit user states that its own tables, as of the version it saw, are ready.
async fn report(
    state: &AppState,
    u: &User,
    d: &Dataset,
    fields: &Fields,
) -> Result<Response, AppError> {
    if u.role != Role::Unit || u.unit_key.is_empty() {
        return Err(AppError::Forbidden);
    }
    if !editable_state(&d.state) {
        return Err(AppError::Conflict(format!(
            "<p>数据集当前状态为“{}”，不能报送。</p>",
            state_label(&d.state)
        )));
    }
    let base = parse_i64(field(fields, "base"), "版本号")?;
    if base != d.current_version {
        return Err(AppError::Conflict(format!(
            r#"<p>您看到的是版本 {base}，数据集已更新为版本 {}。请<a href="/work/d/{}">查看最新版本</a>后再报送。</p>"#,
            d.current_version, d.id
        )));
    }
    let files = data::version_files(&state.db, d.id, base).await?;
    if !store::table_files(&files)
        .iter()
        .any(|rel| rel.starts_with(&format!("units/{}/", u.unit_key)))
    {
        return Err(AppError::BadRequest("数据集中没有本单位的表".into()));
    }
    let checked = data::checked(state, d.id, base).await?;
    match checked.as_ref() {
        Ok(c) => {
            let errors = visible_findings(u, &c.report.findings)
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .count();
            if errors > 0 {
                return Err(AppError::Unprocessable(format!(
                    r#"<p class="error">本单位的表有 {errors} 个错误，不能报送。</p><p><a href="/work/d/{}">查看检查结果</a></p>"#,
                    d.id
                )));
            }
        }
        Err(p) => return Err(problems_page("数据无法读取：", p)),
    }
    if !data::report_unit(&state.db, d, &u.unit_key, base, u).await? {
        return Err(AppError::Conflict(
            "<p>数据集的状态或版本刚刚被他人改变，未能报送。请刷新后重试。</p>".into(),
        ));
    }
    Ok(Redirect::to(&format!("/work/d/{}", d.id)).into_response())
}

pub async fn versions(
    State(state): State<AppState>,
    Auth(u): Auth,
    Path(id): Path<i64>,
) -> Result<Html<String>, AppError> {
    let d = viewable(&state, &u, id).await?;
    let rows = sqlx::query(
        "SELECT v.no, v.created_at, v.note, u.display_name, u.role AS author_role, u.unit_key AS author_unit FROM versions v LEFT JOIN users u ON u.id = v.author_id \
         WHERE v.dataset_id = $1 ORDER BY v.no DESC",
    )
    .bind(d.id)
    .fetch_all(&state.db.pool)
    .await?;
    let mut body = format!(r#"<p><a href="/work/d/{}">返回数据集</a></p>"#, d.id);
    body.push_str(&format!(
        r#"<form method="get" action="/work/d/{}/diff" class="box">比较版本 <input name="a" size="4" value="{}"> 与 <input name="b" size="4" value="{}"> <button>查看差异</button></form>"#,
        d.id,
        (d.current_version - 1).max(1),
        d.current_version
    ));
    body.push_str("<table><tr><th>版本</th><th>时间</th><th>作者</th><th>说明</th><th></th></tr>");
    for r in rows {
        let no: i64 = r.try_get("no")?;
        let author: Option<String> = r.try_get("display_name").ok();
        let author_role: Option<String> = r.try_get("author_role").ok().flatten();
        let author_unit: Option<String> = r.try_get("author_unit").ok().flatten();
        // L2: a unit reads the notes of its own unit's versions only; others' notes may
        // describe other units' figures.
        let own = u.role != Role::Unit
            || (author_role.as_deref() == Some("unit")
                && author_unit.as_deref() == Some(u.unit_key.as_str()));
        let note = if own {
            esc(&r.try_get::<String, _>("note")?)
        } else {
            "（其他用户保存的版本）".to_string()
        };
        body.push_str(&format!(
            r#"<tr><td>{no}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
            format_time(r.try_get("created_at")?),
            esc(author.as_deref().unwrap_or("系统")),
            note,
            if no > 1 {
                format!(
                    r#"<a href="/work/d/{}/diff?a={}&amp;b={no}">与上一版本的差异</a>"#,
                    d.id,
                    no - 1
                )
            } else {
                String::new()
            }
        ));
    }
    body.push_str("</table>");
    Ok(html(&format!("{} · 版本", d.name), Some(&u), &body))
}

#[derive(serde::Deserialize)]
pub struct DiffQuery {
    a: i64,
    b: i64,
}

pub async fn diff(
    State(state): State<AppState>,
    Auth(u): Auth,
    Path(id): Path<i64>,
    Query(q): Query<DiffQuery>,
) -> Result<Html<String>, AppError> {
    let d = viewable(&state, &u, id).await?;
    let a = data::version_files(&state.db, d.id, q.a).await?;
    let b = data::version_files(&state.db, d.id, q.b).await?;
    let changes: Vec<Change> = store::diff(&a, &b)
        .into_iter()
        .filter(|c| visible_file(&u, &c.file))
        .collect();
    let body = format!(
        r#"<p><a href="/work/d/{}/versions">返回版本列表</a></p><p>版本 {} → 版本 {}：{} 处不同。</p>{}"#,
        d.id,
        q.a,
        q.b,
        changes.len(),
        changes_html(&changes)
    );
    Ok(html(&format!("{} · 差异", d.name), Some(&u), &body))
}

/// The document of the current version, with 草稿 unless published.
pub async fn preview(
    State(state): State<AppState>,
    Auth(u): Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let d = viewable(&state, &u, id).await?;
    if !matches!(u.role, Role::Dept | Role::Finance) {
        return Err(AppError::Forbidden);
    }
    let files = data::version_files(&state.db, d.id, d.current_version).await?;
    let draft = d.state != "published";
    let html_doc = tokio::task::spawn_blocking(move || -> Result<String, String> {
        let dis = store::load(&files).map_err(|p| {
            p.iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("；")
        })?;
        let doc = juesuan_report::build(&dis)?;
        Ok(juesuan_html::render(&doc, draft))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(|e| problems_page("无法生成全文：", &[e]))?;
    let mut res = (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html_doc,
    )
        .into_response();
    res.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    Ok(res)
}
