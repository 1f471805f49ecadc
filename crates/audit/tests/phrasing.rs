//! Each extraction pattern with the variants of phrasing other provinces and years use: the
//! consistent sentence is quiet, the same sentence with one wrong number is found.

use juesuan_audit::{audit_source, read, Report, Severity};

fn audit(text: &str) -> Report {
    let src = read::Source::from_text("t.txt", text);
    audit_source(&src, 2024).unwrap()
}

fn rules(text: &str) -> Vec<String> {
    audit(text)
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Style)
        .map(|f| f.rule.clone())
        .collect()
}

/// `good` audits clean; `bad` (the same with one number changed) raises `rule`.
fn pair(good: &str, bad: &str, rule: &str) {
    assert!(rules(good).is_empty(), "{good}: {:?}", rules(good));
    let found = rules(bad);
    assert!(found.iter().any(|r| r == rule), "{bad}: {found:?}");
}

#[test]
fn rates_against_the_prior_year() {
    for (good, bad) in [
        (
            "本年收入合计4007.03万元。与上年决算相比，减少390.78万元，下降8.89%。",
            "本年收入合计4007.03万元。与上年决算相比，减少390.78万元，下降9.89%。",
        ),
        (
            "本年收入合计4007.03万元，较上年决算减少390.78万元，降低8.89%。",
            "本年收入合计4007.03万元，较上年决算减少390.78万元，降低7.89%。",
        ),
        (
            "本年收入合计 4007.03 万元，比上年减少 390.78 万元，下降 8.89 %。",
            "本年收入合计 4007.03 万元，比上年减少 390.78 万元，下降 8.98 %。",
        ),
        (
            "本年收入合计４００７．０３万元，比上年减少３９０．７８万元，下降８．８９％。",
            "本年收入合计４００７．０３万元，比上年减少３９０．７８万元，下降８．９９％。",
        ),
    ] {
        pair(good, bad, "audit.rate");
    }
}

/// The base printed in brackets before the change (江苏省政协办公厅2017 p.6): the rate is of it.
#[test]
fn a_bracketed_base_is_the_base() {
    pair(
        "2017年度部门支出预算安排9146.79万元。2017年度部门支出预算安排与2016年度相比（2016年度部门支出预算安排为8,648.07万元），增加498.72万元，增长5.77%。",
        "2017年度部门支出预算安排9146.79万元。2017年度部门支出预算安排与2016年度相比（2016年度部门支出预算安排为8,648.07万元），增加498.72万元，增长6.77%。",
        "audit.rate",
    );
}

#[test]
fn changes_against_a_stated_budget() {
    pair(
        "住房保障支出（类）决算数为195.52万元，年初预算为210.35万元，减少14.83万元，下降7.05%，完成年初预算的92.95%。",
        "住房保障支出（类）决算数为195.52万元，年初预算为210.35万元，减少14.83万元，下降8.05%，完成年初预算的92.95%。",
        "audit.rate",
    );
    pair(
        "1. 住房改革支出（款）住房公积金（项）。年初预算210.35万元，支出决算195.52万元。决算数较年初预算数减少14.83万元，下降7.05%。",
        "1. 住房改革支出（款）住房公积金（项）。年初预算210.35万元，支出决算195.52万元。决算数较年初预算数减少16.83万元，下降8.00%。",
        "audit.change",
    );
}

#[test]
fn completion_rates() {
    for (good, bad) in [
        (
            "年初预算58万元，支出决算37.41万元，完成年初预算的64.5%。",
            "年初预算58万元，支出决算37.41万元，完成年初预算的65.5%。",
        ),
        (
            "全年预算数为58.00万元，决算数为37.41万元，为年初预算的64.50%。",
            "全年预算数为58.00万元，决算数为37.41万元，为年初预算的46.50%。",
        ),
        (
            "年初预算6.54万元，支出决算6.54万元，完成年初预算的100%。",
            "年初预算6.54万元，支出决算6.65万元，完成年初预算的100%。",
        ),
    ] {
        pair(good, bad, "audit.completion");
    }
}

#[test]
fn shares_of_a_list() {
    for (good, bad) in [
        (
            "本年收入合计4007.03万元，其中：一般公共预算财政拨款收入3441.03万元，占85.87%；其他收入566.00万元，占14.13%。",
            "本年收入合计4007.03万元，其中：一般公共预算财政拨款收入3441.03万元，占85.87%；其他收入566.00万元，占15.13%。",
        ),
        (
            "本年收入合计4007.03万元，其中：一般公共预算财政拨款收入3441.03万元，占比85.87%；其他收入566.00万元，占比14.13%。",
            "本年收入合计4007.03万元，其中：一般公共预算财政拨款收入3441.03万元，占比85.87%；其他收入566.00万元，占比41.13%。",
        ),
        (
            "本年收入合计4007.03万元，其中：一般公共预算财政拨款收入3441.03万元，所占比重为85.87%；其他收入566.00万元，所占比重为14.13%。",
            "本年收入合计4007.03万元，其中：一般公共预算财政拨款收入3441.03万元，所占比重为85.87%；其他收入566.00万元，所占比重为14.31%。",
        ),
    ] {
        let bad_rules = rules(bad);
        assert!(rules(good).is_empty(), "{good}: {:?}", rules(good));
        assert!(
            bad_rules.iter().any(|r| r == "audit.share" || r == "audit.list_sum"),
            "{bad}: {bad_rules:?}"
        );
    }
}

#[test]
fn lists_that_must_add_up() {
    pair(
        "（一）收入决算总计4328.25万元。包括：\n1. 本年收入决算合计4007.03万元。\n2. 使用非财政拨款结余0.00万元。\n3. 年初结转和结余321.22万元。",
        "（一）收入决算总计4328.25万元。包括：\n1. 本年收入决算合计4007.03万元。\n2. 使用非财政拨款结余0.00万元。\n3. 年初结转和结余312.22万元。",
        "audit.list_sum",
    );
    // one item is no breakdown (江苏省检察院2017 p.19), but it may not exceed the total
    pair(
        "（二）支出预算总计17996.68万元。包括：\n1．公共安全（类）支出13656.34万元，主要用于检察院行政支出。",
        "（二）支出预算总计17996.68万元。包括：\n1．公共安全（类）支出19656.34万元，主要用于检察院行政支出。",
        "audit.list_exceeds",
    );
}

#[test]
fn amounts_in_yuan_and_wan_are_the_same_quantity() {
    pair(
        "1. 本年收入决算合计4007.03万元。\n本年收入合计40,070,300.00元，与上年决算相比，减少390.78万元，下降8.89%。",
        "1. 本年收入决算合计4007.03万元。\n本年收入合计40,170,300.00元，与上年决算相比，减少390.78万元，下降8.89%。",
        "audit.same_quantity",
    );
}

#[test]
fn project_counts() {
    pair(
        "反映“法治建设经费”、“普法宣传经费”共2个项目的绩效自评结果。",
        "反映“法治建设经费”、“普法宣传经费”共3个项目的绩效自评结果。",
        "audit.count",
    );
    pair(
        "反映“甲项目”、“乙项目”等2个一般公共预算项目，共2个项目的绩效自评结果。",
        "反映“甲项目”、“乙项目”等2个一般公共预算项目，共1个项目的绩效自评结果。",
        "audit.count",
    );
}

#[test]
fn table_rows_foot_across_and_down() {
    let table = |cell: &str| {
        format!(
            "表5 一般公共预算财政拨款支出决算表\n编制单位：某局\t单位：万元\n\t合计\t121.03\t121.03\t0.00\n210\t卫生健康支出\t121.03\t121.03\t0.00\n21011\t行政事业单位医疗\t121.03\t121.03\t0.00\n2101101\t行政单位医疗\t116.15\t{cell}\t0.00\n2101102\t事业单位医疗\t4.88\t4.88\t0.00\n"
        )
    };
    pair(&table("116.15"), &table("161.15"), "audit.table_sum");
    // the same table laid out by pdftotext -layout: columns separated by runs of spaces
    let layout = table("116.15").replace('\t', "    ");
    assert!(rules(&layout).is_empty(), "{:?}", rules(&layout));
    let layout = table("161.15").replace('\t', "    ");
    assert!(rules(&layout).contains(&"audit.table_sum".to_string()));
}

#[test]
fn never_panics_on_arbitrary_text() {
    use proptest::prelude::*;
    let alphabet = "0123456789.,%万元年初预算决算增加减少占比其中：；。、“”（）表图\t 共个合计类款项与上年相比增长下降完成的";
    let chars: Vec<char> = alphabet.chars().collect();
    proptest!(ProptestConfig::with_cases(300), |(idx in proptest::collection::vec(0..chars.len(), 0..400))| {
        let text: String = idx.iter().map(|&i| chars[i]).collect();
        let _ = audit(&text);
    });
}

/// The rule catalogue runs over the tables the document prints: 表5 (一般公共预算财政拨款)
/// cannot exceed 表3 (all funds) on a row — a rule no sentence states.
#[test]
fn catalogue_rules_run_over_the_printed_tables() {
    let doc = |t5: &str| {
        format!(
            "表3 支出决算表\n\t合计\t100.00\t100.00\t0.00\t0.00\t0.00\t0.00\n210\t卫生健康支出\t100.00\t100.00\t0.00\t0.00\t0.00\t0.00\n21011\t行政事业单位医疗\t100.00\t100.00\t0.00\t0.00\t0.00\t0.00\n2101101\t行政单位医疗\t100.00\t100.00\t0.00\t0.00\t0.00\t0.00\n表5 一般公共预算财政拨款支出决算表\n\t合计\t{t5}\t{t5}\t0.00\n210\t卫生健康支出\t{t5}\t{t5}\t0.00\n21011\t行政事业单位医疗\t{t5}\t{t5}\t0.00\n2101101\t行政单位医疗\t{t5}\t{t5}\t0.00\n"
        )
    };
    assert!(
        rules(&doc("100.00")).is_empty(),
        "{:?}",
        rules(&doc("100.00"))
    );
    let found = rules(&doc("120.00"));
    assert!(found.iter().any(|r| r.starts_with("X.")), "{found:?}");
}

fn numbering_notes(text: &str) -> Vec<String> {
    audit(text)
        .findings
        .iter()
        .filter(|f| f.rule == "audit.numbering")
        .map(|f| f.stated.clone().unwrap_or_default())
        .collect()
}

#[test]
fn headings_are_numbered_per_level() {
    // a 1、2、3 list under 一、 counts from 1 again under 二、; list items ending in 。are no headings
    let nested = "一、主要职能\n1、依法审判刑事案件\n2、依法审判民事案件\n二、机构设置\n1、内设机构\n2、所属单位\n3、人员编制\n三、收支情况";
    assert!(
        numbering_notes(nested).is_empty(),
        "{:?}",
        numbering_notes(nested)
    );
    let items = "一、主要职能\n1、依法审判刑事案件。\n3、依法审判民事案件。\n二、机构设置";
    assert!(
        numbering_notes(items).is_empty(),
        "{:?}",
        numbering_notes(items)
    );
    // a lone 1、 where 一、 was due took its place in the wrong style
    assert_eq!(
        numbering_notes("第二部分 部门决算情况说明\n1、收入支出决算总体情况说明\n二、收入决算情况说明\n三、支出决算情况说明"),
        ["1、"]
    );
    // a gap in either level
    assert_eq!(numbering_notes("一、概况\n二、收入\n四、支出"), ["四、"]);
    assert_eq!(
        numbering_notes("一、概况\n1、职能\n3、机构\n二、收入"),
        ["3、"]
    );
}

#[test]
fn shares_of_a_whole_not_printed_beside_them() {
    // 江苏省政协办公厅 2019 部门预算 p.15–16: shares of the 三公 total 660.1 万元, which the
    // sentence does not print; the first item is no head
    let good = "江苏省政协办公厅2019年度一般公共预算拨款安排的“三公”经费预算支出中，因公出国（境）费支出106万元，占“三公”经费的16.06%；公务用车购置及运行维护费支出156.6万元，占“三公”经费的23.72%；公务接待费支出397.5万元，占“三公”经费的60.22%。";
    let bad = good.replace("23.72%", "33.72%");
    pair(good, &bad, "audit.share");
    let found = audit(&bad);
    let f = found
        .findings
        .iter()
        .find(|f| f.rule == "audit.share")
        .unwrap();
    assert_eq!(f.stated.as_deref(), Some("33.72%"), "{}", f.message);
}

#[test]
fn a_rate_cut_off_instead_of_rounded_is_a_note() {
    // 江苏省人民检察院 2019: 2228.78 ÷ 21940.96 = 10.158%, printed 10.15%
    let cut = "一般公共预算收入预算24,169.74万元，与上年相比增加2228.78万元，增长10.15%。";
    pair(cut, &cut.replace("10.15%", "10.06%"), "audit.rate");
    let notes: Vec<_> = audit(cut)
        .findings
        .into_iter()
        .filter(|f| f.rule == "audit.rate")
        .collect();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].severity, Severity::Style);
    assert_eq!(notes[0].expected.as_deref(), Some("10.16%"));
}

#[test]
fn the_comparison_word_must_fit_budget_and_final() {
    let less = "一般公共服务支出年初预算为120.50万元，支出决算为118.20万元，完成年初预算的98.09%。决算数小于预算数的主要原因是厉行节约。";
    pair(
        less,
        &less.replace("决算数小于", "决算数大于"),
        "audit.direction",
    );
    pair(
        less,
        &less.replace("决算数小于", "决算数等于"),
        "audit.direction",
    );
    let equal =
        "公务接待费全年预算6.00万元，支出决算6.00万元，完成预算的100%，决算数与预算数持平。";
    pair(
        equal,
        &equal
            .replace(
                "支出决算6.00万元，完成预算的100%",
                "支出决算5.00万元，完成预算的83.33%",
            )
            .replace("与预算数持平", "等于预算数"),
        "audit.direction",
    );
}

#[test]
fn template_placeholders_left_in() {
    let found = |t: &str| -> Vec<String> {
        audit(t)
            .findings
            .iter()
            .filter(|f| f.rule == "audit.placeholder")
            .map(|f| f.stated.clone().unwrap_or_default())
            .collect()
    };
    assert_eq!(found("XX局2024年度收入总计100.00万元。"), ["XX"]);
    assert_eq!(found("本部门共有车辆××辆。"), ["××"]);
    assert_eq!(found("（单位名称）2024年度部门决算"), ["（单位名称）"]);
    assert_eq!(found("某某单位负责本项工作。"), ["某某"]);
    // Roman numerals, English words and 3×4 are not placeholders
    assert!(found("完成第XII项任务，共3×4批次，使用Excel表格。").is_empty());
}

#[test]
fn a_change_after_a_list_item_is_no_item() {
    // 上海市财政局 2025 预算 p.6
    let good = "2025年，上海市财政局收入预算17,192万元，其中：财政拨款收入17,000万元，比2024年预算减少990万元；其他收入192万元。";
    pair(
        good,
        &good.replace("其他收入192", "其他收入500"),
        "audit.list_exceeds",
    );
}

#[test]
fn shares_adjusted_to_add_up_to_100_are_a_note() {
    // 江苏省人民检察院 2018 p.25: 21940.96 ÷ 21955.35 = 99.93%, 14.39 ÷ 21955.35 = 0.07%,
    // printed 99.94% and 0.06% so that they add up to 100%
    let good = "本年收入预算合计21,955.35万元，其中：一般公共预算收入21,940.96万元，占99.94%；其他资金14.39万元，占0.06%。";
    pair(
        good,
        &good.replace("99.94%", "99.84%").replace("0.06%", "0.16%"),
        "audit.share",
    );
    let notes = audit(good)
        .findings
        .iter()
        .filter(|f| f.rule == "audit.share" && f.severity == Severity::Style)
        .count();
    assert_eq!(notes, 2);
    // not adding up to 100%, one hundredth off is an error as before
    let exact = good.replace("99.94%", "99.93%").replace("0.06%", "0.07%");
    pair(&exact, &exact.replace("99.93%", "99.92%"), "audit.share");
}

#[test]
fn an_enumerated_item_runs_on_over_unnumbered_paragraphs() {
    // 江苏省委办公厅 2017 p.6: item 1's detail is a paragraph of its own
    let good = "（一）收入预算总计20849.45万元。包括：\n1．财政拨款收入预算总计20702.25万元。\n一般公共预算收入20702.25万元，与上年相比增加2043.58万元，增长10.95%。\n2．财政专户管理资金收入预算总计147.20万元。与上年保持一致。\n（二）支出预算总计20849.45万元。";
    pair(
        good,
        &good.replace("147.20万元", "247.20万元"),
        "audit.list_sum",
    );
}

/// "增长100%" on a zero base (last year 0: 新增) and a 完成率 of a zero budget are warnings;
/// the same sentence without the ratio is quiet.
#[test]
fn ratios_on_a_zero_base() {
    let warned = |t: &str| {
        audit(t)
            .findings
            .iter()
            .any(|f| f.rule == "audit.zero_base" && f.severity == Severity::Warning)
    };
    assert!(warned(
        "公务用车购置费支出决算25.00万元，与上年决算相比增加25.00万元，增长100%。"
    ));
    assert!(!warned(
        "公务用车购置费支出决算25.00万元，与上年决算相比增加25.00万元。"
    ));
    assert!(!warned(
        "公务用车购置费支出决算25.00万元，与上年决算相比增加5.00万元，增长25%。"
    ));
}

/// A 2024 决算 counts its assets 截至2024年12月31日 and its headings speak of 2024.
#[test]
fn years_that_contradict_the_document() {
    let years = |t: &str| -> Vec<String> {
        audit(t)
            .findings
            .iter()
            .filter(|f| f.rule == "audit.year")
            .map(|f| f.stated.clone().unwrap_or_default())
            .collect()
    };
    let doc = "赤峰市司法局2024年度部门决算\n一、2024年度收入支出决算总体情况说明\n与2023年度相比，减少390.78万元。\n截至2024年12月31日，本部门共有车辆4辆。";
    assert!(years(doc).is_empty(), "{:?}", years(doc));
    assert_eq!(
        years(&doc.replace("截至2024年12月31日", "截至2023年12月31日")),
        ["2023年"]
    );
    assert_eq!(
        years(&doc.replace("一、2024年度收入", "一、2023年度收入")),
        ["2023年"]
    );
    // a 预算 counts assets at the end of the year before
    let budget = "江苏省人民检察院2019年度部门预算\n一、2019年度部门预算公开说明\n截至2018年12月31日，本部门共有车辆20辆。";
    assert!(years(budget).is_empty(), "{:?}", years(budget));
}

/// A table the 目录 lists and the document does not print; a 公开文件 without any tables (they
/// are published as a file of their own) is quiet.
#[test]
fn tables_the_contents_list() {
    let warned = |t: &str| -> Vec<String> {
        audit(t)
            .findings
            .iter()
            .filter(|f| f.rule == "audit.contents")
            .map(|f| f.stated.clone().unwrap_or_default())
            .collect()
    };
    let contents = "目录\n第一部分 部门概况\n第二部分 部门预算表\n一、收支预算总表\n二、政府采购支出预算表\n第一部分 部门概况\n本部门主要职能是……。\n";
    let table = "一、收支预算总表\n单位：万元\n项目\t金额\t项目\t金额\n一、财政拨款\t10.00\t一、一般公共服务支出\t10.00\n收入合计\t10.00\t支出合计\t10.00\n";
    let purchase = "二、2019年政府采购预算表\n单位：万元\n采购品目\t金额\n合计\t5.00\n";
    assert_eq!(
        warned(&format!("{contents}{table}")),
        ["政府采购支出预算表"]
    );
    // the title may name it a little differently
    assert!(warned(&format!("{contents}{table}{purchase}")).is_empty());
    assert!(warned(contents).is_empty());
}

/// A 部门预算 is told from its title and checked in its own words: "与上年相比" is last year's
/// budget; its 三公 and 政府采购 breakdowns add up; a 决算 title keeps the 决算 wording.
#[test]
fn a_budget_is_audited_as_a_budget() {
    let head = "江苏省人民检察院\n2019年度部门预算公开\n";
    let r = audit(&format!(
        "{head}一、收支预算总体情况说明\n本部门2019年度收入、支出预算总计24,169.74万元，与上年相比增加2214.39万元，增长10.06%。\n"
    ));
    let d = r.document.as_ref().expect("the kind is reported");
    assert_eq!((d.kind.as_str(), d.year), ("预算", Some(2019)));
    assert!(d.basis.contains("2019年度部门预算公开"), "{}", d.basis);
    let rate = r
        .findings
        .iter()
        .find(|f| f.rule == "audit.rate")
        .expect("10.09%");
    assert!(
        rate.message.contains("上年预算应为21955.35万元"),
        "{}",
        rate.message
    );
    assert!(!rate.message.contains("决算"), "{}", rate.message);

    let final_doc =
        audit("某局2024年度部门决算\n支出决算100.00万元，与上年相比增加10.00万元，增长12.00%。\n");
    assert_eq!(final_doc.document.as_ref().unwrap().kind, "决算");
    let rate = final_doc
        .findings
        .iter()
        .find(|f| f.rule == "audit.rate")
        .expect("11.11%");
    assert!(
        rate.message.contains("上年决算应为90.00万元"),
        "{}",
        rate.message
    );

    // breakdowns of a budget, found only with its quantities
    pair(
        &format!("{head}十二、政府采购预算情况说明\n2017年度部门政府采购预算总金额为1,271.22万元。其中，货物类政府采购支出预算259.32万元,占20.40%；服务类政府采购支出预算1,011.90万元,占79.60%；工程类政府采购支出预算0万元。\n"),
        &format!("{head}十二、政府采购预算情况说明\n2017年度部门政府采购预算总金额为1,271.22万元。其中，货物类政府采购支出预算259.32万元；服务类政府采购支出预算1,021.90万元；工程类政府采购支出预算0万元。\n"),
        "audit.identity",
    );
    pair(
        &format!("{head}九、“三公”经费预算情况说明\n2025年“三公”经费预算数为346.30万元，与2024年预算持平。其中：（一）因公出国（境）费288.70万元。（二）公务用车购置及运行费32.20万元。其中：公务用车购置费0.00万元；公务用车运行费32.20万元。（三）公务接待费25.40万元。\n"),
        &format!("{head}九、“三公”经费预算情况说明\n2025年“三公”经费预算数为346.30万元，与2024年预算持平。其中：（一）因公出国（境）费288.70万元。（二）公务用车购置及运行费32.20万元。其中：公务用车购置费0.00万元；公务用车运行费32.20万元。（三）公务接待费26.40万元。\n"),
        "audit.identity",
    );
}
