//! End to end in a real browser (headless Chromium through chromedriver): a unit uploads its
//! workbook with an error, sees the finding, fixes the cell, reports; the department submits;
//! 财政 returns it with a comment; the department answers and resubmits; 财政 approves and
//! publishes; an anonymous visitor finds the disclosure in the portal and downloads the PDF.
//! Every page on the way is saved as a screenshot under
//! `$CARGO_TARGET_TMPDIR/browser/` (the path is printed).

mod common;

use common::webdriver::Browser;
use common::{example_dir, example_zip, start};
use juesuan_server::auth::Role;
use std::path::Path;

const REGION: &str = "内蒙古自治区赤峰市";
const DEPT: &str = "赤峰市测试司法局";

/// The 本级 unit's nine tables as a workbook, the way finance staff keep them, with one error
/// typed in: 年初结转和结余 80.00 → 85.00 and 收入总计 with it, so 表1 still adds up within
/// its columns but 收入总计 no longer equals 支出总计.
fn unit_workbook_with_an_error(out: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let src = example_dir();
    let toml = std::fs::read_to_string(src.join("disclosure.toml")).unwrap();
    let only_benji = toml.replace(
        "[[units]]\nid = \"jiedusuo\"\nname = \"赤峰市强制隔离戒毒所\"\nnature = \"财政拨款的行政单位\"\n",
        "",
    );
    assert_ne!(only_benji, toml, "the example lists the 戒毒所 as a unit");
    std::fs::write(dir.path().join("disclosure.toml"), only_benji).unwrap();
    let unit = dir.path().join("units/benji");
    std::fs::create_dir_all(&unit).unwrap();
    for e in std::fs::read_dir(src.join("units/benji"))
        .unwrap()
        .flatten()
    {
        let text = std::fs::read_to_string(e.path()).unwrap();
        let text = if e.file_name() == "t1.csv" {
            let edited = text
                .replace("年初结转和结余,80.00", "年初结转和结余,85.00")
                .replace("收入总计,1972.94", "收入总计,1977.94");
            assert_ne!(edited, text);
            edited
        } else {
            text
        };
        std::fs::write(unit.join(e.file_name()), text).unwrap();
    }
    let disclosure = juesuan_load::load_dataset(dir.path()).unwrap();
    let doc = juesuan_report::build(&disclosure).unwrap();
    std::fs::write(out, juesuan_xlsx::write_xlsx(&doc).unwrap()).unwrap();
}

async fn login(b: &Browser, base: &str, user: &str) {
    b.forget_cookies().await;
    b.goto(&format!("{base}/login")).await;
    b.fill("input[name=username]", user).await;
    b.fill("input[name=password]", &format!("{user}-password-123"))
        .await;
    b.click("form[action='/login'] button").await;
    b.find("form[action='/logout']").await;
}

async fn logout(b: &Browser) {
    b.click("form[action='/logout'] button").await;
    b.find("a[href='/login']").await;
}

/// Presses the workflow button of `action` (submit, report, return, approve, publish).
async fn transition(b: &Browser, action: &str, comment: &str) {
    let form = format!("form:has(input[name=action][value={action}])");
    if !comment.is_empty() {
        b.fill(&format!("{form} textarea[name=comment]"), comment)
            .await;
    }
    b.click(&format!("{form} button")).await;
}

async fn page_text(b: &Browser) -> String {
    b.text("body").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn from_a_units_upload_with_an_error_to_the_portal_download() {
    let s = start().await;
    let base = format!("http://{}", s.addr);
    let dept = juesuan_server::create_department(&s.state.db, DEPT, REGION)
        .await
        .unwrap();
    s.add_user("bj-dept", Role::Dept, dept, "", "").await;
    s.add_user("bj-benji", Role::Unit, dept, "benji", "").await;
    s.add_user("bj-caizheng", Role::Finance, 0, "", REGION)
        .await;

    let files = tempfile::tempdir().unwrap();
    let zip = files.path().join("chifeng.zip");
    std::fs::write(&zip, example_zip(|_, t| t)).unwrap();
    let workbook = files.path().join("本级决算表.xlsx");
    unit_workbook_with_an_error(&workbook);

    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser");
    let _ = std::fs::remove_dir_all(&shots);
    let mut b = Browser::start(&shots).await;

    // 部门 opens the year's dataset from the example.
    login(&b, &base, "bj-dept").await;
    b.fill(
        "form[action='/work/new'] input[type=file]",
        zip.to_str().unwrap(),
    )
    .await;
    b.click("form[action='/work/new'] button").await;
    b.find("form[action$='/upload']").await;
    let overview = b.url().await;
    let id: i64 = overview.rsplit('/').next().unwrap().parse().unwrap();
    assert!(page_text(&b).await.contains("草稿"));
    b.screenshot("部门-新建数据集").await;
    logout(&b).await;

    // 单位 uploads its workbook: the check finds the error in its 表1.
    login(&b, &base, "bj-benji").await;
    b.click(&format!("a[href='/work/d/{id}']")).await;
    b.fill(
        "form[action$='/upload'] input[type=file]",
        workbook.to_str().unwrap(),
    )
    .await;
    b.click("form[action$='/upload'] button").await;
    b.find_xpath("//*[contains(text(), '本单位的表有错误')]")
        .await;
    let text = page_text(&b).await;
    assert!(text.contains("T1.balance"), "{text}");
    // The workbook replaced the unit's nine tables, not its own unit.toml.
    let files: String = s
        .scalar(sqlx::query("SELECT files FROM versions WHERE dataset_id = $1 AND no = 2").bind(id))
        .await;
    let files: std::collections::BTreeMap<String, String> = serde_json::from_str(&files).unwrap();
    assert!(
        files.contains_key("units/benji/unit.toml"),
        "{:?}",
        files.keys()
    );
    assert!(text.contains("收入总计应等于支出总计"), "{text}");
    assert!(
        !text.contains("强制隔离戒毒所"),
        "a unit sees only its own part: {text}"
    );
    b.screenshot("单位-上传后的检查结果").await;

    // The finding links to the table; the wrong cells are marked; the unit corrects them.
    b.click(&format!("a[href='/work/d/{id}/table/benji/t1']"))
        .await;
    let carry = b
        .find_xpath("//tr[td[normalize-space()='年初结转和结余']]//input")
        .await;
    assert_eq!(b.value(&carry).await, "85.00");
    let total = b
        .find_xpath("//tr[td[normalize-space()='收入总计']]//input")
        .await;
    let marked = b
        .find_xpath("//tr[td[normalize-space()='收入总计']]/td[contains(@class, 'bad')]")
        .await;
    assert!(b
        .attribute(&marked, "title")
        .await
        .contains("收入总计应等于支出总计"));
    b.screenshot("单位-表1标出错误").await;
    b.type_into(&carry, "80.00").await;
    b.type_into(&total, "1972.94").await;
    b.fill("input[name=note]", "更正年初结转和结余").await;
    b.click("form[action$='/table/benji/t1'] button").await;
    b.find_xpath("//*[contains(text(), '已保存为版本 3')]")
        .await;
    assert!(page_text(&b).await.contains("检查未发现问题"));
    b.screenshot("单位-改正后保存").await;

    // Reported to the department.
    b.click(&format!("a[href='/work/d/{id}']")).await;
    transition(&b, "report", "").await;
    b.find_xpath("//*[contains(text(), '本单位已报送：版本 3')]")
        .await;
    b.screenshot("单位-已报送").await;
    logout(&b).await;

    // 部门 sees the report and submits.
    login(&b, &base, "bj-dept").await;
    b.goto(&overview).await;
    let text = page_text(&b).await;
    assert!(text.contains("已报送版本 3"), "{text}");
    assert!(text.contains("无单位账号，由部门填报"), "{text}");
    b.screenshot("部门-单位已报送").await;
    transition(&b, "submit", "").await;
    b.find("span.state-submitted").await;
    b.screenshot("部门-已提交").await;
    logout(&b).await;

    // 财政 returns it with a comment.
    login(&b, &base, "bj-caizheng").await;
    b.click(&format!("a[href='/work/d/{id}']")).await;
    transition(&b, "return", "请补充本年支出合计与上年相比的变动原因").await;
    b.find("span.state-returned").await;
    b.screenshot("财政-退回").await;
    logout(&b).await;

    // 部门 reads the comment, edits the reason, resubmits.
    login(&b, &base, "bj-dept").await;
    b.goto(&overview).await;
    assert!(page_text(&b)
        .await
        .contains("请补充本年支出合计与上年相比的变动原因"));
    b.screenshot("部门-看到退回意见").await;
    b.click(&format!("a[href='/work/d/{id}/reasons']")).await;
    let reason = "支出减少主要是上年一次性项目本年未再安排。";
    b.fill(
        "form:has(input[name=key][value='T1/本年支出合计']):has(input[name=kind][value='上年决算']) textarea",
        reason,
    )
    .await;
    b.click(
        "form:has(input[name=key][value='T1/本年支出合计']):has(input[name=kind][value='上年决算']) button",
    )
    .await;
    b.find_xpath(&format!("//textarea[contains(., '{reason}')]"))
        .await;
    b.screenshot("部门-修改变动原因").await;
    b.goto(&overview).await;
    transition(&b, "submit", "已补充变动原因").await;
    b.find("span.state-submitted").await;
    logout(&b).await;

    // 财政 approves and publishes.
    login(&b, &base, "bj-caizheng").await;
    b.goto(&overview).await;
    transition(&b, "approve", "").await;
    b.find("span.state-approved").await;
    transition(&b, "publish", "").await;
    b.find("span.state-published").await;
    b.screenshot("财政-已公开").await;
    b.goto(&format!("{base}/audit?dataset={id}")).await;
    let log = page_text(&b).await;
    for step in ["单位报送", "提交", "退回", "审核通过", "公开"] {
        assert!(log.contains(step), "audit log lacks {step}: {log}");
    }
    b.screenshot("财政-审计日志").await;
    logout(&b).await;

    // An anonymous visitor finds it and downloads the PDF.
    b.forget_cookies().await;
    b.goto(&format!("{base}/")).await;
    b.fill("input[name=q]", "测试司法局").await;
    b.click("form[action='/'] button").await;
    b.find(&format!("a[href='/p/{id}']")).await;
    b.screenshot("公众-搜索").await;
    b.click(&format!("a[href='/p/{id}']")).await;
    b.find("iframe").await;
    b.screenshot("公众-公开页").await;
    b.click(&format!("a[href='/p/{id}/download/pdf']")).await;
    let pdf = b.downloaded("pdf").await;
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF"), "{}", pdf.display());
    let text = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (scripts/setup installs poppler-utils)");
    // Lines wrap anywhere in Chinese text: compare without white space.
    let text: String = String::from_utf8_lossy(&text.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(text.contains("赤峰市司法局"), "{text}");
    assert!(
        text.contains(reason),
        "the published PDF carries the new reason"
    );
    drop(b);
    println!("screenshots: {}", shots.display());
}

/// A 部门预算 in the browser: the department uploads it beside nothing else, submits; 财政
/// approves and publishes; the public filters the portal to 部门预算, opens it and downloads
/// the DOCX, whose text is the budget's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_budget_from_upload_to_the_portal_in_a_browser() {
    let s = start().await;
    let base = format!("http://{}", s.addr);
    let dept = juesuan_server::create_department(&s.state.db, "赤峰市预算司法局", REGION)
        .await
        .unwrap();
    s.add_user("ys-dept", Role::Dept, dept, "", "").await;
    s.add_user("ys-caizheng", Role::Finance, 0, "", REGION)
        .await;
    let files = tempfile::tempdir().unwrap();
    let zip = files.path().join("yusuan.zip");
    let budget = example_dir().with_file_name("chifeng-sfj-yusuan-2024");
    std::fs::write(&zip, common::dir_zip(&budget, |_, t| t)).unwrap();

    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-yusuan");
    let _ = std::fs::remove_dir_all(&shots);
    let mut b = Browser::start(&shots).await;

    login(&b, &base, "ys-dept").await;
    b.fill(
        "form[action='/work/new'] input[type=file]",
        zip.to_str().unwrap(),
    )
    .await;
    b.click("form[action='/work/new'] button").await;
    b.find("form[action$='/upload']").await;
    let overview = b.url().await;
    let id: i64 = overview.rsplit('/').next().unwrap().parse().unwrap();
    let text = page_text(&b).await;
    assert!(text.contains("2024年度部门预算"), "{text}");
    assert!(text.contains("检查未发现问题"), "{text}");
    assert!(text.contains("无需单位报送"), "{text}");
    b.click(&format!("a[href='/work/d/{id}/table/department/y7']"))
        .await;
    let car = b
        .find_xpath("//tr[td[normalize-space()='公务用车运行维护费']]//input")
        .await;
    assert_eq!(b.value(&car).await, "60.00");
    b.screenshot("部门-预算表7").await;
    b.goto(&overview).await;
    transition(&b, "submit", "").await;
    b.find("span.state-submitted").await;
    logout(&b).await;

    login(&b, &base, "ys-caizheng").await;
    b.goto(&overview).await;
    transition(&b, "approve", "").await;
    b.find("span.state-approved").await;
    transition(&b, "publish", "").await;
    b.find("span.state-published").await;
    b.screenshot("财政-预算已公开").await;
    logout(&b).await;

    b.forget_cookies().await;
    b.goto(&format!("{base}/")).await;
    b.click_xpath("//select[@name='kind']/option[@value='预算']")
        .await;
    b.click("form[action='/'] button").await;
    b.find(&format!("a[href='/p/{id}']")).await;
    let list = page_text(&b).await;
    assert!(list.contains("部门预算 1 份，部门决算 0 份"), "{list}");
    b.screenshot("公众-部门预算目录").await;
    b.click(&format!("a[href='/p/{id}']")).await;
    b.find("iframe").await;
    b.click(&format!("a[href='/p/{id}/download/docx']")).await;
    let docx = b.downloaded("docx").await;
    let xml = std::process::Command::new("unzip")
        .args(["-p", docx.to_str().unwrap(), "word/document.xml"])
        .output()
        .expect("unzip (scripts/setup installs it)");
    let xml = String::from_utf8_lossy(&xml.stdout);
    assert!(xml.contains("部门预算"), "the DOCX is the budget's");
    assert!(xml.contains("4105.38"), "with its total");
    drop(b);
    println!("screenshots: {}", shots.display());
}
