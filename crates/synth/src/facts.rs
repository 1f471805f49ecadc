//! The department's supplementary facts (三公 counts, 机构运行经费, 政府采购, 车辆, 绩效),
//! derived from its units' tables so that every F rule holds.

use crate::rng::Rng;
use juesuan_model::{Table, Template, Unit};

fn total(units: &[Unit], table: &str, row: &str, col: &str) -> i64 {
    units
        .iter()
        .filter_map(|u| u.tables.get(table)?.get(row, col))
        .sum()
}

pub fn generate(rng: &mut Rng, template: &Template, units: &[Unit]) -> Table {
    let def = template.table("F").expect("table F");
    let mut f = Table::new("F", vec![def.columns[0].clone()], None);
    let mut put = |key: &str, v: i64| f.add(key, "", "本年", Some(v));
    let public = total(units, "T6", "公用经费合计", "决算数");
    let reception = total(units, "T7", "公务接待费", "决算数");
    let running = total(units, "T7", "公务用车运行维护费", "决算数");
    let purchase = total(units, "T7", "公务用车购置费", "决算数");
    let abroad = total(units, "T7", "因公出国（境）费", "决算数");
    let projects = total(units, "T5", "合计", "项目支出");
    let fund_projects = total(units, "T8", "合计", "项目支出");

    put("机构运行经费", public);
    let groups = if abroad > 0 { rng.range(1, 3) } else { 0 };
    put("三公.出国团组", groups);
    put("三公.出国人次", groups * rng.range(2, 5));
    put(
        "三公.购置车辆数",
        if purchase > 0 { rng.range(1, 2) } else { 0 },
    );
    let stock = if running > 0 { rng.range(1, 20) } else { 0 };
    put("三公.保有量", stock);
    put("三公.国内接待费", reception);
    let batches = if reception > 0 { rng.range(1, 60) } else { 0 };
    put("三公.国内接待批次", batches);
    put("三公.国内接待人次", batches * rng.range(3, 8));
    put("三公.国外接待费", 0);
    put("三公.国外接待批次", 0);
    put("三公.国外接待人次", 0);

    let vehicles = stock + rng.range(0, 3);
    put("资产.车辆合计", vehicles);
    let kinds = [
        "资产.副部级及以上领导用车",
        "资产.主要负责人用车",
        "资产.机要通信用车",
        "资产.应急保障用车",
        "资产.执法执勤用车",
        "资产.特种专业技术用车",
        "资产.离退休干部服务用车",
        "资产.其他用车",
    ];
    let by_kind = rng.split(vehicles, kinds.len());
    for (k, v) in kinds.iter().zip(by_kind) {
        put(k, v);
    }
    put("资产.百万元以上设备", rng.range(0, 3));

    // 政府采购: a share of 项目支出, split by kind; 中小企业 within each kind
    let procurement = projects * rng.range(0, 60) / 100;
    let parts = rng.split(procurement, 3);
    let mut sme_total = 0;
    for (kind, v) in ["货物", "工程", "服务"].iter().zip(&parts) {
        let sme = v * rng.range(40, 100) / 100;
        sme_total += sme;
        put(&format!("采购.{kind}"), *v);
        put(&format!("采购.中小企业{kind}"), sme);
    }
    put("采购.合计", procurement);
    put("采购.中小企业", sme_total);
    put("采购.小微企业", sme_total * rng.range(30, 100) / 100);

    let count = units
        .iter()
        .filter_map(|u| u.tables.get("T5"))
        .map(|t| {
            t.rows()
                .iter()
                .filter(|r| r.key.len() == 7 && t.get(&r.key, "项目支出").unwrap_or(0) > 0)
                .count() as i64
        })
        .sum::<i64>();
    put("绩效.一般公共预算项目数", count);
    put(
        "绩效.一般公共预算项目资金",
        projects * rng.range(50, 100) / 100,
    );
    put(
        "绩效.政府性基金项目数",
        if fund_projects > 0 { 1 } else { 0 },
    );
    put("绩效.政府性基金项目资金", fund_projects);
    f
}
