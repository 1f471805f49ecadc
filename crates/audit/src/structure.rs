//! Checks on the structure of the text: lists and their totals ("其中：", "包括：", "主要包括："),
//! shares ("占P%"), 类 totals against their 项, chart data against the text, project lists and
//! heading numbers.

use crate::engine::{g, pct, re, wan, At, Auditor, Share, StatedRow, NUM};
use crate::figure::{percent_of, sum, Figure};
use crate::text::is_heading;
use juesuan_check::Severity;
use juesuan_model::{normalize_name, Interval, Ratio};
use regex::Regex;
use std::sync::OnceLock;

#[derive(Clone, Debug)]
struct Item {
    label: String,
    fig: Figure,
    at: At,
    share: Option<(Figure, At)>,
}

/// How a list relates to its head.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
enum Kind {
    /// 包括 / enumerated breakdown / shares adding to 100%: items add up to the head
    Exhaustive,
    /// 主要包括 / 其中: items are part of the head
    Partial,
}

fn enumerator_style(t: &str) -> Option<&'static str> {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &R,
        r"^(?:(（[一二三四五六七八九十]+）)|(\d+[.．、])|(（\d+）|\(\d+\)))",
    );
    let c = r.captures(t)?;
    if c.get(1).is_some() {
        Some("（一）")
    } else if c.get(2).is_some() {
        Some("1.")
    } else {
        Some("（1）")
    }
}

fn is_change(label: &str) -> bool {
    ["增加", "减少", "相比", "增长", "下降"]
        .iter()
        .any(|w| label.contains(w))
}

/// Enumerator depth: （一） above 1. above （1）.
fn depth(style: &str) -> u8 {
    match style {
        "（一）" => 0,
        "1." => 1,
        _ => 2,
    }
}

fn share_after(text: &str, end: usize) -> Option<(Figure, usize)> {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &R,
        &format!(
            r"^[，,]?(?:占|所占比重为?|所占比例为?)(?:比为?|[^，。；%]{{0,20}}的(?:比重|比例)?为?)?{NUM}%"
        ),
    );
    let c = r.captures(&text[end..])?;
    let g = c.get(1)?;
    Some((Figure::percent(g.as_str())?, end + g.start()))
}

impl Auditor<'_> {
    fn item(&self, para: usize, i: usize) -> Item {
        let a = &self.amounts[para][i];
        let share = share_after(&self.paras[para].text, a.end)
            .map(|(f, off)| (f, At { para, offset: off }));
        Item {
            label: a.label.clone(),
            fig: a.fig.clone(),
            at: a.at,
            share,
        }
    }

    pub(crate) fn lists(&mut self) {
        static M: OnceLock<Regex> = OnceLock::new();
        let marker = re(&M, r"(主要包括|包括|其中)[：:]");
        for pi in 0..self.paras.len() {
            let text = self.paras[pi].text.clone();
            let mut in_list = vec![false; self.amounts[pi].len()];
            for m in marker.captures_iter(&text) {
                let (mstart, mend) = (
                    m.get(0).map(|g| g.start()).unwrap_or(0),
                    m.get(0).map(|g| g.end()).unwrap_or(0),
                );
                let word = m.get(1).map(|g| g.as_str()).unwrap_or("");
                let Some(mut hi) = self.amounts[pi].iter().rposition(|a| a.end <= mstart) else {
                    continue;
                };
                // "…A万元，占P%；B万元，占Q%。其中：" — the list belongs to the run's head
                while hi > 0 && share_after(&text, self.amounts[pi][hi].end).is_some() {
                    hi -= 1;
                }
                let head = self.item(pi, hi);
                // a change ("与年初预算相比减少3.59万元") heads no list, and 类 paragraphs are
                // checked against their 项 by `classes`
                if is_change(&head.label) || text.contains("（类）") || text.contains("类决算数")
                {
                    continue;
                }
                // items in the same paragraph, up to the full stop (items are separated by ；)
                // or the next marker
                let full_stop = text[mend..]
                    .find('。')
                    .map(|i| mend + i)
                    .unwrap_or(text.len());
                let stop = marker
                    .find_at(&text, mend)
                    .map(|n| n.start())
                    .unwrap_or(text.len())
                    .min(full_stop);
                // an item's 预算 ("X全年预算6.00万元，支出决算1.23万元") is not an item
                let inline: Vec<usize> = (0..self.amounts[pi].len())
                    .filter(|&i| {
                        let a = &self.amounts[pi][i];
                        // nor its change ("其中：财政拨款收入17,192万元，比2024年预算减少990万元")
                        a.start >= mend
                            && a.end <= stop
                            && self.spec.column(&a.label) != Some("预算")
                            && !is_change(&a.label)
                    })
                    .collect();
                let (items, enumerated) = if !inline.is_empty() {
                    for &i in &inline {
                        in_list[i] = true;
                    }
                    (inline.iter().map(|&i| self.item(pi, i)).collect(), false)
                } else if text[mend..].trim().is_empty() {
                    self.following_items(pi)
                } else {
                    continue;
                };
                if items.len() < 2 && word != "包括" {
                    continue;
                }
                let kind = match word {
                    "包括" => Kind::Exhaustive,
                    "主要包括" => Kind::Partial,
                    _ if enumerated => Kind::Exhaustive,
                    _ if shares_complete(&items) => Kind::Exhaustive,
                    _ => Kind::Partial,
                };
                self.check_list(&head, &items, kind, word);
            }
            // a run of "X万元，占P%" without a marker: the amount before the run is the head
            let n = self.amounts[pi].len();
            let mut i = 0;
            while i < n {
                if in_list[i] || share_after(&text, self.amounts[pi][i].end).is_none() || i == 0 {
                    i += 1;
                    continue;
                }
                let start = i;
                while i < n && !in_list[i] && share_after(&text, self.amounts[pi][i].end).is_some()
                {
                    i += 1;
                }
                let before = start - 1;
                if !in_list[before] && share_after(&text, self.amounts[pi][before].end).is_some() {
                    // "A万元，占“三公”经费的P%；B万元，占Q%…": the amount before the run is its
                    // first member, and the whole they are shares of is not printed here
                    let items: Vec<Item> = (before..i).map(|k| self.item(pi, k)).collect();
                    self.shares_of_one_whole(&items);
                } else if i - start >= 2 {
                    let head = self.item(pi, before);
                    let items: Vec<Item> = (start..i).map(|k| self.item(pi, k)).collect();
                    let kind = if shares_complete(&items) {
                        Kind::Exhaustive
                    } else {
                        Kind::Partial
                    };
                    self.check_list(&head, &items, kind, "");
                }
            }
        }
    }

    /// Shares of one whole that is not printed beside them: each item's amount ÷ its share
    /// gives the whole, and all of them must give the same one. The item whose whole differs
    /// from the others' is the one found.
    fn shares_of_one_whole(&mut self, items: &[Item]) {
        let hundred = Interval::point(Ratio::int(100));
        let wholes: Vec<Option<Interval>> = items
            .iter()
            .map(|it| {
                let (p, _) = it.share.as_ref()?;
                if p.iv.contains_zero() {
                    return None;
                }
                it.fig.iv.checked_mul(&hundred)?.checked_div(&p.iv)
            })
            .collect();
        let known: Vec<(usize, &Interval)> = wholes
            .iter()
            .enumerate()
            .filter_map(|(k, w)| w.as_ref().map(|w| (k, w)))
            .collect();
        if known.len() < 2 {
            return;
        }
        self.evaluated += 1;
        let meet = |ws: &mut dyn Iterator<Item = &Interval>| -> Option<Interval> {
            let mut acc: Option<Interval> = None;
            for w in ws {
                acc = Some(match acc {
                    None => *w,
                    Some(a) => {
                        let (lo, hi) = (a.lo().max(w.lo()), a.hi().min(w.hi()));
                        if lo > hi {
                            return None;
                        }
                        Interval::between(lo, hi)
                    }
                });
            }
            acc
        };
        if meet(&mut known.iter().map(|(_, w)| *w)).is_some() {
            return;
        }
        // the one item without which the others agree
        let odd: Vec<usize> = known
            .iter()
            .filter(|(k, _)| {
                let mut rest = known.iter().filter(|(j, _)| j != k).map(|(_, w)| *w);
                meet(&mut rest).is_some()
            })
            .map(|(k, _)| *k)
            .collect();
        let [k] = odd[..] else { return };
        let mut others = known.iter().filter(|(j, _)| *j != k).map(|(_, w)| *w);
        let Some(whole) = meet(&mut others) else {
            return;
        };
        let it = &items[k];
        let Some((p, pat)) = &it.share else { return };
        let Some(expected) = percent_of(&it.fig.iv, &whole) else {
            return;
        };
        let related: Vec<At> = items
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != k)
            .map(|(_, i)| i.at)
            .collect();
        self.report(
            "audit.share",
            Severity::Error,
            format!(
                "占比与金额不符：其余各项按金额与占比推算的总数为{}，{}{}万元应占{}，写的是{}",
                wan(&whole),
                it.label,
                it.fig.printed,
                pct(&expected),
                p.printed
            ),
            *pat,
            Some(p.printed.clone()),
            Some(pct(&expected)),
            &related,
            None,
        );
    }

    /// Items in the paragraphs after a list head that ends with its marker: enumerated items
    /// of one style, or share lines ("本年其他收入566万元，占14.13%；").
    fn following_items(&self, pi: usize) -> (Vec<Item>, bool) {
        let mut items = Vec::new();
        let mut style: Option<&str> = None;
        for q in pi + 1..self.paras.len() {
            let t = &self.paras[q].text;
            if is_heading(t) {
                break;
            }
            // once enumerated, an item runs on over paragraphs without an enumerator ("1．…
            // 20702.25万元。" / "一般公共预算收入20702.25万元，…" / "2．…"), until a list
            // starts again at 1
            let restart = !items.is_empty()
                && enumerator_style(t) == style
                && ["1.", "1．", "1、", "（1）"]
                    .iter()
                    .any(|p| t.starts_with(p));
            if restart {
                break;
            }
            if self.amounts[q].is_empty() || (style.is_some() && enumerator_style(t).is_none()) {
                if style.is_some() {
                    continue;
                }
                break;
            }
            let first_end = self.amounts[q][0].end;
            let is_share = share_after(t, first_end).is_some() && self.amounts[q].len() == 1;
            match (enumerator_style(t), style) {
                (Some(s), None) if items.is_empty() => style = Some(s),
                (Some(s), Some(cur)) if s == cur => {}
                // a sub-item ("（1）" under "2.") belongs to its item, not to this list
                (Some(s), Some(cur)) if depth(s) > depth(cur) => continue,
                (None, None) if is_share => {}
                _ => break,
            }
            // the item's own figure: not its 年初预算 / 全年预算
            let i = (0..self.amounts[q].len())
                .find(|&i| self.spec.column(&self.amounts[q][i].label) != Some("预算"))
                .unwrap_or(0);
            items.push(self.item(q, i));
        }
        (items, style.is_some())
    }

    fn check_list(&mut self, head: &Item, items: &[Item], kind: Kind, word: &str) {
        self.evaluated += 1;
        // shares printed to add up to exactly 100% (舍位平衡): one unit of the last digit off
        // the rounded value is that adjustment, a note, not an error
        let balanced = items
            .iter()
            .try_fold(Ratio::int(0), |acc, i| {
                acc.checked_add(i.share.as_ref()?.0.value)
            })
            .is_some_and(|total| total == Ratio::int(100));
        for it in items {
            if let Some((p, pat)) = &it.share {
                self.shares.push(Share {
                    label: it.label.clone(),
                    fig: p.clone(),
                    at: *pat,
                });
                self.evaluated += 1;
                if let Some(rate) = percent_of(&it.fig.iv, &head.fig.iv) {
                    let one_unit_off = || {
                        let widened = p
                            .iv
                            .half_width()
                            .and_then(|h| Interval::around(p.value, h.checked_mul(Ratio::int(3))?));
                        widened.is_some_and(|w| rate.overlaps(&w))
                    };
                    if !rate.overlaps(&p.iv) && balanced && one_unit_off() {
                        self.report(
                            "audit.share",
                            Severity::Style,
                            format!(
                                "占比为凑足100%作了舍位调整：{}{}万元 ÷ {}{}万元 = {}，写的是{}",
                                it.label,
                                it.fig.printed,
                                head.label,
                                head.fig.printed,
                                pct(&rate),
                                p.printed
                            ),
                            *pat,
                            Some(p.printed.clone()),
                            Some(pct(&rate)),
                            &[head.at],
                            None,
                        );
                    } else if !rate.overlaps(&p.iv) {
                        self.report(
                            "audit.share",
                            Severity::Error,
                            format!(
                                "占比与金额不符：{}{}万元 ÷ {}{}万元 = {}，写的是{}",
                                it.label,
                                it.fig.printed,
                                head.label,
                                head.fig.printed,
                                pct(&rate),
                                p.printed
                            ),
                            *pat,
                            Some(p.printed.clone()),
                            Some(pct(&rate)),
                            &[head.at],
                            None,
                        );
                    }
                }
            }
        }
        let Some(total) = sum(items.iter().map(|i| &i.fig.iv)) else {
            return;
        };
        let related: Vec<At> = items.iter().map(|i| i.at).collect();
        // "总计17996.68万元。包括：1.公共安全（类）支出13656.34万元" and no item 2: one item
        // is no breakdown (the list is incomplete, not wrong); it may still not exceed
        let single = items.len() == 1;
        let partial = matches!(kind, Kind::Partial) || single;
        match kind {
            Kind::Exhaustive if !single && !total.overlaps(&head.fig.iv) => {
                let message = format!(
                    "“{}”为{}万元，但{}所列{}项合计{}",
                    head.label,
                    head.fig.printed,
                    if word.is_empty() { "" } else { word },
                    items.len(),
                    wan(&total)
                );
                self.report(
                    "audit.list_sum",
                    Severity::Error,
                    message,
                    head.at,
                    Some(format!("{}万元", head.fig.printed)),
                    Some(wan(&total)),
                    &related,
                    None,
                );
            }
            _ if partial && total.lo() > head.fig.iv.hi() => {
                let message = format!(
                    "所列{}{}，超过了“{}”{}万元",
                    if single { "一项" } else { "各项合计" },
                    wan(&total),
                    head.label,
                    head.fig.printed
                );
                self.report(
                    "audit.list_exceeds",
                    Severity::Error,
                    message,
                    head.at,
                    Some(format!("{}万元", head.fig.printed)),
                    Some(format!("不少于{}", wan(&total))),
                    &related,
                    None,
                );
            }
            _ => {}
        }
    }

    /// 类 totals in the 一般公共预算 section against their 项, the 项 against the code book.
    pub(crate) fn classes(&mut self) {
        static CLASS: OnceLock<Regex> = OnceLock::new();
        let class_re = re(
            &CLASS,
            &format!(
                r"^(?:（[一二三四五六七八九十]+）)?(.+?)(?:支出)?(?:（类）|类)决算数?为?{NUM}万元"
            ),
        );
        static BUDGET: OnceLock<Regex> = OnceLock::new();
        let budget_re = re(
            &BUDGET,
            &format!(
                r"(?:与年初预算相比|较年初预算)(增加|减少){NUM}万元|(?:年初|全年)预算数?为{NUM}万元"
            ),
        );
        static ITEM: OnceLock<Regex> = OnceLock::new();
        let item_re = re(
            &ITEM,
            &format!(
                r"^\d+[.．、]\s*(?:(.+?)（款）)?(.+?)（项）.*?年初预算数?为?{NUM}万元[，,](?:支出决算|决算支出|决算数)为?{NUM}万元"
            ),
        );
        let mut class_totals: Vec<(Interval, At)> = Vec::new();
        let mut overall: Option<(Figure, At)> = None;
        for pi in 0..self.paras.len() {
            let section = self.ctx[pi].section.clone();
            if !section.contains("一般公共预算财政拨款支出")
                || section.contains("基本支出")
                || section.contains("项目支出")
            {
                continue;
            }
            if overall.is_none() {
                if let Some(a) = self.amounts[pi]
                    .iter()
                    .find(|a| a.label.ends_with("一般公共预算财政拨款支出决算"))
                {
                    overall = Some((a.fig.clone(), a.at));
                }
            }
            let text = self.paras[pi].text.clone();
            let Some(c) = class_re.captures(&text) else {
                continue;
            };
            let Some(total) = Figure::amount(g(&c, 2), false) else {
                continue;
            };
            let cat = At {
                para: pi,
                offset: c.get(2).map(|g| g.start()).unwrap_or(0),
            };
            class_totals.push((total.iv, cat));
            let class_name = g(&c, 1).to_string();
            let class_budget: Option<Interval> = budget_re.captures(&text).and_then(|b| {
                if let Some(v) = b.get(3) {
                    return Figure::amount(v.as_str(), false).map(|f| f.iv);
                }
                let d = Figure::amount(g(&b, 2), false)?;
                if g(&b, 1) == "增加" {
                    total.iv.checked_sub(&d.iv)
                } else {
                    total.iv.checked_add(&d.iv)
                }
            });
            let mut actuals = Vec::new();
            let mut budgets = Vec::new();
            let mut related = Vec::new();
            for q in pi + 1..self.paras.len() {
                let t = self.paras[q].text.clone();
                if is_heading(&t) || class_re.is_match(&t) {
                    break;
                }
                let Some(m) = item_re.captures(&t) else {
                    continue;
                };
                let (Some(b), Some(a)) = (
                    Figure::amount(g(&m, 3), false),
                    Figure::amount(g(&m, 4), false),
                ) else {
                    continue;
                };
                self.stated_items.push(StatedRow {
                    kuan: m.get(1).map(|k| k.as_str().to_string()),
                    name: g(&m, 2).to_string(),
                    actual: a.clone(),
                    budget: Some(b.iv),
                    at: At {
                        para: q,
                        offset: m.get(4).map(|g| g.start()).unwrap_or(0),
                    },
                });
                budgets.push(b.iv);
                actuals.push(a.iv);
                related.push(At {
                    para: q,
                    offset: m.get(4).map(|g| g.start()).unwrap_or(0),
                });
                if let (Some(k), Some(x)) = (m.get(1), m.get(2)) {
                    self.code_pair(k.as_str(), x.as_str(), At { para: q, offset: 0 });
                }
            }
            self.stated_classes.push(StatedRow {
                kuan: None,
                name: class_name,
                actual: total.clone(),
                budget: class_budget,
                at: cat,
            });
            if actuals.is_empty() {
                continue;
            }
            self.evaluated += 1;
            let class = g(&c, 1).to_string();
            if let Some(s) = sum(actuals.iter()) {
                if !s.overlaps(&total.iv) {
                    self.report(
                        "audit.class_sum",
                        Severity::Error,
                        format!(
                            "{class}类决算数为{}万元，但下列{}个项的支出决算合计{}",
                            total.printed,
                            actuals.len(),
                            wan(&s)
                        ),
                        cat,
                        Some(format!("{}万元", total.printed)),
                        Some(wan(&s)),
                        &related,
                        None,
                    );
                }
            }
            if let (Some(cb), Some(s)) = (class_budget, sum(budgets.iter())) {
                self.evaluated += 1;
                if !s.overlaps(&cb) {
                    self.report(
                        "audit.class_budget",
                        Severity::Warning,
                        format!(
                            "{class}类年初预算应为{}（按决算数与变动额推算），但所列各项年初预算合计{}，可能漏列了项或金额有误",
                            wan(&cb),
                            wan(&s)
                        ),
                        cat,
                        Some(wan(&s)),
                        Some(wan(&cb)),
                        &related,
                        None,
                    );
                }
            }
        }
        if let (Some((o, oat)), false) = (overall, class_totals.is_empty()) {
            self.evaluated += 1;
            if let Some(s) = sum(class_totals.iter().map(|(iv, _)| iv)) {
                if !s.overlaps(&o.iv) {
                    let related: Vec<At> = class_totals.iter().map(|(_, a)| *a).collect();
                    self.report(
                        "audit.class_total",
                        Severity::Error,
                        format!(
                            "一般公共预算财政拨款支出{}万元，但各类决算数合计{}",
                            o.printed,
                            wan(&s)
                        ),
                        oat,
                        Some(format!("{}万元", o.printed)),
                        Some(wan(&s)),
                        &related,
                        None,
                    );
                }
            }
        }
    }

    /// "A（款）B（项）": B must be a 项 of 款 A in the 功能分类 code book, when both are known.
    fn code_pair(&mut self, kuan: &str, xiang: &str, at: At) {
        let bare = |s: &str| normalize_name(s).trim_end_matches("支出").to_string();
        let k = bare(kuan);
        let x = bare(xiang);
        let items: Vec<_> = self
            .codes
            .iter()
            .filter(|e| e.code.len() == 7 && bare(&e.name) == x)
            .collect();
        if items.is_empty() {
            return;
        }
        self.evaluated += 1;
        let parents: Vec<String> = items
            .iter()
            .filter_map(|e| self.codes.get(&e.code[..5]))
            .map(|p| p.name.clone())
            .collect();
        if parents.iter().any(|p| bare(p) == k)
            || !self
                .codes
                .iter()
                .any(|e| e.code.len() == 5 && bare(&e.name) == k)
        {
            return;
        }
        let right = parents.first().cloned().unwrap_or_default();
        self.report(
            "audit.code_name",
            Severity::Warning,
            format!(
                "“{xiang}”项不属于“{kuan}”款，按支出功能分类科目应在“{right}”款下（{}）",
                items[0].code
            ),
            at,
            Some(format!("{kuan}（款）")),
            Some(format!("{right}（款）")),
            &[],
            None,
        );
    }

    /// "X万元，占政府采购支出总额的P%": P = X ÷ the quantity named, as the text states it.
    pub(crate) fn named_shares(&mut self) {
        static S: OnceLock<Regex> = OnceLock::new();
        let r = re(
            &S,
            &format!(r"{NUM}万元[，,]占([^，。；%\d]{{2,20}}?)的(?:比重|比例)?为?{NUM}%"),
        );
        for pi in 0..self.paras.len() {
            let text = self.paras[pi].text.clone();
            let section = self.ctx[pi].section.clone();
            for m in r.captures_iter(&text) {
                let (Some(part), Some(p)) =
                    (Figure::amount(g(&m, 1), false), Figure::percent(g(&m, 3)))
                else {
                    continue;
                };
                let Some(q) = self.spec.quantity(g(&m, 2), &section) else {
                    continue;
                };
                let Some(base) = self
                    .claims
                    .iter()
                    .find(|c| c.quantity == q.name && c.column == "决算" && c.derived.is_none())
                    .cloned()
                else {
                    continue;
                };
                let Some(rate) = percent_of(&part.iv, &base.iv) else {
                    continue;
                };
                self.evaluated += 1;
                if !rate.overlaps(&p.iv) {
                    let at = At {
                        para: pi,
                        offset: m.get(3).map_or(0, |g| g.start()),
                    };
                    self.report(
                        "audit.share",
                        Severity::Error,
                        format!(
                            "占比与金额不符：{}万元 ÷ {}{} = {}，写的是{}",
                            part.printed,
                            q.name,
                            base.printed,
                            pct(&rate),
                            p.printed
                        ),
                        at,
                        Some(p.printed.clone()),
                        Some(pct(&rate)),
                        &[base.at],
                        None,
                    );
                }
            }
        }
    }

    /// "“甲”、“乙”等N个项目 … 共M个项目": listed names against N, duplicates, M = N + K.
    pub(crate) fn projects(&mut self) {
        static L: OnceLock<Regex> = OnceLock::new();
        let list = re(
            &L,
            r"((?:“[^”]{1,40}”[、，,\s]*)+)等\s*(\d+)\s*个([^，。；]{0,20}?)项目",
        );
        static Q: OnceLock<Regex> = OnceLock::new();
        let quoted = re(&Q, r"“([^”]{1,40})”");
        static T: OnceLock<Regex> = OnceLock::new();
        let total = re(&T, r"共\s*(\d+)\s*个(?:项目)?");
        static K: OnceLock<Regex> = OnceLock::new();
        let fund = re(&K, r"以及\s*(\d+)\s*个政府性基金");
        static E: OnceLock<Regex> = OnceLock::new();
        let exact = re(&E, r"((?:“[^”]{1,40}”[、，,\s]*)+)共\s*(\d+)\s*个");
        static Z: OnceLock<Regex> = OnceLock::new();
        let zero_share = re(
            &Z,
            &format!(r"涉及资金{NUM}万元[，,]占[^，。；]{{0,30}}的{NUM}%"),
        );
        for pi in 0..self.paras.len() {
            let text = self.paras[pi].text.clone();
            for m in list.captures_iter(&text) {
                let names: Vec<String> = quoted
                    .captures_iter(g(&m, 1))
                    .map(|c| g(&c, 1).to_string())
                    .collect();
                let Ok(n) = g(&m, 2).parse::<usize>() else {
                    continue;
                };
                let at = At {
                    para: pi,
                    offset: m.get(2).map(|g| g.start()).unwrap_or(0),
                };
                self.evaluated += 1;
                let mut seen = std::collections::BTreeSet::new();
                for name in &names {
                    if !seen.insert(normalize_name(name)) {
                        self.report(
                            "audit.duplicate",
                            Severity::Warning,
                            format!("项目“{name}”在同一句中列了两次"),
                            at,
                            Some(format!("“{name}”")),
                            None,
                            &[],
                            None,
                        );
                    }
                }
                if seen.len() > n {
                    self.report(
                        "audit.count",
                        Severity::Error,
                        format!("列出了{}个不同的项目名称，却说“等{n}个”", seen.len()),
                        at,
                        Some(n.to_string()),
                        Some(format!("不少于{}", seen.len())),
                        &[],
                        None,
                    );
                }
                let end =
                    crate::engine::sentence_end(&text, m.get(0).map(|g| g.end()).unwrap_or(0));
                let rest = &text[m.get(0).map(|g| g.end()).unwrap_or(0)..end];
                if let Some(t) = total.captures(rest) {
                    let k = fund
                        .captures(rest)
                        .and_then(|c| g(&c, 1).parse::<usize>().ok())
                        .unwrap_or(0);
                    if let Ok(mtot) = g(&t, 1).parse::<usize>() {
                        self.evaluated += 1;
                        if mtot != n + k {
                            let tat = At {
                                para: pi,
                                offset: m.get(0).map(|g| g.end()).unwrap_or(0)
                                    + t.get(1).map(|g| g.start()).unwrap_or(0),
                            };
                            self.report(
                                "audit.count",
                                Severity::Error,
                                format!(
                                    "项目个数前后不符：{n}个一般公共预算项目{}，合计应为{}个，写的是“共{mtot}个”",
                                    if k > 0 { format!("和{k}个政府性基金项目") } else { String::new() },
                                    n + k
                                ),
                                tat,
                                Some(mtot.to_string()),
                                Some((n + k).to_string()),
                                &[at],
                                None,
                            );
                        }
                    }
                }
            }
            // "“甲”、“乙”共N个项目": the names are the whole list
            for m in exact.captures_iter(&text) {
                let names: std::collections::BTreeSet<String> = quoted
                    .captures_iter(g(&m, 1))
                    .map(|c| normalize_name(g(&c, 1)))
                    .collect();
                let Ok(n) = g(&m, 2).parse::<usize>() else {
                    continue;
                };
                self.evaluated += 1;
                if names.len() != n {
                    self.report(
                        "audit.count",
                        Severity::Error,
                        format!("列出了{}个项目名称，却说“共{n}个”", names.len()),
                        At {
                            para: pi,
                            offset: m.get(2).map(|g| g.start()).unwrap_or(0),
                        },
                        Some(n.to_string()),
                        Some(names.len().to_string()),
                        &[],
                        None,
                    );
                }
            }
            for m in zero_share.captures_iter(&text) {
                let (Some(a), Some(p)) =
                    (Figure::amount(g(&m, 1), false), Figure::percent(g(&m, 2)))
                else {
                    continue;
                };
                self.evaluated += 1;
                if a.is_zero() && !p.is_zero() {
                    self.report(
                        "audit.zero_share",
                        Severity::Warning,
                        format!("涉及资金为0，却写占比{}", p.printed),
                        At {
                            para: pi,
                            offset: m.get(2).map(|g| g.start()).unwrap_or(0),
                        },
                        Some(p.printed.clone()),
                        Some("0%（或写明无此类项目）".to_string()),
                        &[],
                        None,
                    );
                }
            }
        }
    }

    /// Chart data left in the text (labels and fractions on one line, as Word charts export
    /// them) against the shares the text states for the same items.
    pub(crate) fn charts(&mut self) {
        for pi in 0..self.paras.len() {
            let text = self.paras[pi].text.clone();
            if !text.contains('\t') {
                continue;
            }
            let tokens: Vec<&str> = text
                .split('\t')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .collect();
            let numbers: Vec<(usize, Figure)> = tokens
                .iter()
                .enumerate()
                .filter_map(|(i, t)| {
                    let f = Figure::fraction_as_percent(t)?;
                    (f.value >= Ratio::ZERO && f.value <= Ratio::int(100)).then_some((i, f))
                })
                .collect();
            let labels: Vec<&str> = tokens
                .iter()
                .filter(|t| Figure::fraction_as_percent(t).is_none() && !t.ends_with('%'))
                .copied()
                .collect();
            if numbers.len() < 2 || labels.len() != numbers.len() {
                continue;
            }
            let Some(total) = sum(numbers.iter().map(|(_, f)| &f.iv)) else {
                continue;
            };
            if !total.contains(Ratio::int(100)) || numbers.iter().all(|(_, f)| f.decimals == 0) {
                continue;
            }
            for (label, (ti, fig)) in labels.iter().zip(&numbers) {
                if fig.is_zero() {
                    continue;
                }
                let key = normalize_name(label);
                let Some(share) = self
                    .shares
                    .iter()
                    .find(|s| {
                        let l = normalize_name(&s.label);
                        !key.is_empty() && (l.ends_with(&key) || key.ends_with(&l))
                    })
                    .cloned()
                else {
                    continue;
                };
                self.evaluated += 1;
                if !fig.iv.overlaps(&share.fig.iv) {
                    let offset = text
                        .match_indices(tokens[*ti])
                        .next()
                        .map(|(i, _)| i)
                        .unwrap_or(0);
                    self.report(
                        "audit.chart",
                        Severity::Error,
                        format!(
                            "图表数据与正文不符：图中“{label}”为{}（{}），正文写占{}",
                            fig.printed,
                            pct(&fig.iv),
                            share.fig.printed
                        ),
                        At { para: pi, offset },
                        Some(fig.printed.clone()),
                        Some(share.fig.printed.clone()),
                        &[share.at],
                        None,
                    );
                }
            }
        }
    }

    /// Level-2 headings count 一、二、三 … in one style within each 部分: a gap, or a heading in
    /// the other style than most of its siblings, is a style finding.
    pub(crate) fn numbering(&mut self) {
        static H: OnceLock<Regex> = OnceLock::new();
        let h = re(&H, r"^([一二三四五六七八九十]+|\d+)、");
        let mut parts: Vec<Vec<(usize, String, usize, bool)>> = vec![Vec::new()];
        for pi in 0..self.paras.len() {
            let t = &self.paras[pi].text;
            if t.starts_with('第') && t.contains("部分") {
                parts.push(Vec::new());
                continue;
            }
            if !is_heading(t) || self.paras[pi].table.is_some() {
                continue;
            }
            let Some(c) = h.captures(t) else { continue };
            if t[c.get(0).map_or(0, |m| m.end())..].chars().count() < 2 {
                continue;
            }
            let n = g(&c, 1).to_string();
            let arabic = n.chars().all(|c| c.is_ascii_digit());
            let value = if arabic {
                n.parse().unwrap_or(0)
            } else {
                chinese_value(&n)
            };
            if let Some(part) = parts.last_mut() {
                part.push((pi, n, value, arabic));
            }
        }
        for part in parts {
            self.number_part(&part);
        }
    }

    /// One 部分's headings: 一、二、三 … is one level; a run of 1、2、3 … under one of them is
    /// the next level and counts from 1 again. A lone "1、" where the next 汉字 number was due
    /// ("一、" … "1、收入决算" … "三、") took that heading's place in the wrong style.
    fn number_part(&mut self, part: &[(usize, String, usize, bool)]) {
        let mut due = 1;
        let mut run: Option<usize> = None;
        for (i, (pi, n, value, arabic)) in part.iter().enumerate() {
            self.evaluated += 1;
            let at = At {
                para: *pi,
                offset: 0,
            };
            let next_arabic = part.get(i + 1).is_some_and(|h| h.3);
            let (expected, slot) = match (arabic, run) {
                (false, _) => (due, true),
                (true, Some(prev)) => (prev + 1, false),
                (true, None) if *value == due && !next_arabic => {
                    self.report(
                        "audit.numbering",
                        Severity::Style,
                        "同一级标题的编号样式不一致（汉字与阿拉伯数字混用）".to_string(),
                        at,
                        Some(format!("{n}、")),
                        Some(format!("{}、", chinese_numeral(due))),
                        &[],
                        None,
                    );
                    (due, true)
                }
                (true, None) => (1, false),
            };
            if *value != expected {
                let which = if slot {
                    "这一级的第"
                } else {
                    "这一组的第"
                };
                self.report(
                    "audit.numbering",
                    Severity::Style,
                    format!("标题编号不连续：按顺序这是{which}{expected}个标题，编号却是“{n}、”"),
                    at,
                    Some(format!("{n}、")),
                    Some(if *arabic && !slot {
                        format!("{expected}、")
                    } else {
                        format!("{}、", chinese_numeral(expected))
                    }),
                    &[],
                    None,
                );
            }
            if slot {
                due = value.max(&expected) + 1;
                run = None;
            } else {
                run = Some(*value);
            }
        }
    }
}

impl Auditor<'_> {
    /// A template's placeholder left in the text: "XX局", "××万元", "某某", "（单位名称）".
    pub(crate) fn placeholders(&mut self) {
        static P: OnceLock<Regex> = OnceLock::new();
        let p = re(
            &P,
            r"(?:^|\p{Han})([XxＸｘ×]{2,}|某某)|([XxＸｘ×]{2,}|某某)(?:[\p{Han}（]|$)|([（(【\[](?:单位|部门|项目)名称[）)】\]])",
        );
        for pi in 0..self.paras.len() {
            if self.paras[pi].table.is_some() {
                continue;
            }
            self.evaluated += 1;
            let Some(m) = p
                .captures(&self.paras[pi].text)
                .and_then(|c| c.iter().skip(1).flatten().next())
            else {
                continue;
            };
            let found = m.as_str().to_string();
            self.report(
                "audit.placeholder",
                Severity::Warning,
                format!("模板占位符“{found}”未替换为实际内容"),
                At {
                    para: pi,
                    offset: m.start(),
                },
                Some(found),
                None,
                &[],
                None,
            );
        }
    }
}

impl Auditor<'_> {
    /// Years that contradict the document's own: a 决算 of 2024 counts its assets
    /// 截至2024年12月31日, and its headings speak of 2024 (a comparison "与2023年度相比" is
    /// not a heading). A 预算 often counts assets at the end of the year before, so only its
    /// headings are checked.
    pub(crate) fn years(&mut self) {
        let Some(year) = self.document.year else {
            return;
        };
        let kind = self.document.kind.chinese();
        static D: OnceLock<Regex> = OnceLock::new();
        let date = re(&D, r"截至\s*(20\d{2})\s*年\s*(?:12\s*月\s*31\s*日|底|末)");
        static H: OnceLock<Regex> = OnceLock::new();
        let heading_year = re(&H, r"(20\d{2})\s*年");
        for pi in 0..self.paras.len() {
            if self.paras[pi].table.is_some() {
                continue;
            }
            let text = self.paras[pi].text.clone();
            let mut found: Option<(usize, i32, String)> = None;
            if kind == "决算" {
                if let Some(c) = date.captures(&text) {
                    self.evaluated += 1;
                    let y: i32 = c[1].parse().unwrap_or(year);
                    if y != year {
                        let m = c.get(1).map_or(0, |g| g.start());
                        found = Some((
                            m,
                            y,
                            format!(
                                "{year}年度决算的统计时点应为截至{year}年12月31日，写的是截至{y}年"
                            ),
                        ));
                    }
                }
            }
            if found.is_none()
                && crate::text::is_heading(&text)
                && !["上年", "相比", "比", "较", "同期"]
                    .iter()
                    .any(|w| text.contains(w))
            {
                if let Some(c) = heading_year.captures(&text) {
                    self.evaluated += 1;
                    let y: i32 = c[1].parse().unwrap_or(year);
                    if y != year {
                        let m = c.get(1).map_or(0, |g| g.start());
                        found = Some((
                            m,
                            y,
                            format!("标题中的年份{y}年与本文件（{year}年度{kind}）不符"),
                        ));
                    }
                }
            }
            if let Some((offset, y, message)) = found {
                self.report(
                    "audit.year",
                    Severity::Warning,
                    message,
                    At { para: pi, offset },
                    Some(format!("{y}年")),
                    Some(format!("{year}年")),
                    &[],
                    None,
                );
            }
        }
    }
}

impl Auditor<'_> {
    /// Tables the 目录 lists that the document does not print. Only when the document prints
    /// tables at all and some of the listed ones: a 公开文件 whose tables are published as a
    /// file of their own lists them too.
    pub(crate) fn contents(&mut self) {
        let lines = &self.src.lines;
        let Some(start) = lines
            .iter()
            .take(200)
            .position(|l| l.table.is_none() && juesuan_read::table::squeeze(&l.text) == "目录")
        else {
            return;
        };
        let mut entries: Vec<(usize, String)> = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        for (i, l) in lines.iter().enumerate().skip(start + 1).take(80) {
            let t = juesuan_read::table::squeeze(&l.text);
            if t.is_empty() {
                continue;
            }
            // the 目录 ends where the text starts: prose, or the first entry again as a heading
            if l.table.is_some() || t.contains('。') || t.chars().count() > 60 || seen.contains(&t)
            {
                break;
            }
            seen.push(t.clone());
            if let Some(name) = juesuan_read::table::contents_entry(&t) {
                entries.push((i, name));
            }
        }
        if entries.is_empty() || self.src.tables.is_empty() {
            return;
        }
        // names vary between the 目录 and the title ("政府采购支出预算表" / "2017年政府采购预算
        // 表"): compared without the year and the words regions add or drop
        static Y: OnceLock<Regex> = OnceLock::new();
        let filler = re(&Y, r"^.*?20\d{2}年度?|支出|情况|部门|单位|公开|[“”\x22]");
        let core = |t: &str| filler.replace_all(t, "").to_string();
        // a part of the document ("五、单位预算表", "第二部分 部门预算表") is no table
        entries.retain(|(_, name)| core(name).chars().count() > 4);
        let printed: Vec<String> = self.src.tables.iter().map(|t| core(&t.title)).collect();
        let missing: Vec<&(usize, String)> = entries
            .iter()
            .filter(|(_, name)| {
                let e = core(name);
                !printed
                    .iter()
                    .any(|p| p.ends_with(&e) || e.ends_with(p.as_str()))
            })
            .collect();
        self.evaluated += entries.len();
        if missing.len() == entries.len() {
            return;
        }
        for (line, name) in missing.into_iter().cloned().collect::<Vec<_>>() {
            let Some(at) = self.line_at(line) else {
                continue;
            };
            self.report(
                "audit.contents",
                Severity::Warning,
                format!("目录列出了“{name}”，但文件中没有这张表"),
                at,
                Some(name.clone()),
                None,
                &[],
                None,
            );
        }
    }
}

/// 1 → 一, 14 → 十四.
pub fn chinese_numeral(n: usize) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", D[n - 10]),
        20..=99 if n.is_multiple_of(10) => format!("{}十", D[n / 10]),
        20..=99 => format!("{}十{}", D[n / 10], D[n % 10]),
        _ => n.to_string(),
    }
}

fn shares_complete(items: &[Item]) -> bool {
    let shares: Vec<&Interval> = items
        .iter()
        .filter_map(|i| i.share.as_ref().map(|(f, _)| &f.iv))
        .collect();
    if shares.len() != items.len() || shares.is_empty() {
        return false;
    }
    sum(shares).is_some_and(|s| {
        s.contains(Ratio::int(100))
            || s.overlaps(&Interval::between(Ratio::int(99), Ratio::int(101)))
    })
}

/// 一 → 1, 十四 → 14, 二十 → 20.
pub fn chinese_value(s: &str) -> usize {
    let digit = |c: char| "零一二三四五六七八九".chars().position(|d| d == c);
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => 10,
        ['十', d] => 10 + digit(*d).unwrap_or(0),
        [d, '十'] => digit(*d).unwrap_or(0) * 10,
        [d, '十', e] => digit(*d).unwrap_or(0) * 10 + digit(*e).unwrap_or(0),
        [d] => digit(*d).unwrap_or(0),
        _ => 0,
    }
}
