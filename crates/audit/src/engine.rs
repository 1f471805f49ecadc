//! The auditor: reads the paragraphs once to collect what they state (amounts with the
//! quantity their words name, comparisons, rates, lists, chart data, project lists), then
//! checks every statement that can be checked against the others, over intervals.
//!
//! Every check here is about the meaning of standard phrasing ("与上年决算相比，增加X万元，
//! 增长Y%", "年初预算A万元，支出决算B万元，完成年初预算的C%", "…其中：…占P%"), never about
//! one document's wording; the quantities and identities are data (data/audit/<year>.toml).

use crate::document::Identified;
use crate::figure::{percent_of, show, Figure};
use crate::read::Source;
use crate::spec::Spec;
use crate::text::{is_heading, paragraphs, Paragraph};
use juesuan_check::{Culprit, Finding, Location, Severity};
use juesuan_model::DocKind;
use juesuan_model::{CodeBook, Interval, Ratio};
use regex::Regex;
use std::sync::OnceLock;

/// A place in the paragraphs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct At {
    pub para: usize,
    pub offset: usize,
}

#[derive(Clone, Debug)]
pub(crate) struct Amount {
    pub(crate) fig: Figure,
    pub(crate) at: At,
    /// Byte range of the number and its unit.
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) label: String,
}

/// "this quantity, in this column, is this much" — stated or derived.
#[derive(Clone, Debug)]
pub(crate) struct Claim {
    pub(crate) quantity: String,
    pub(crate) column: String,
    pub(crate) iv: Interval,
    pub(crate) printed: String,
    pub(crate) at: At,
    /// How the value was derived from other figures; `None` when printed.
    pub(crate) derived: Option<String>,
}

/// A share stated in the text ("本年其他收入566万元，占14.13%").
#[derive(Clone, Debug)]
pub(crate) struct Share {
    pub(crate) label: String,
    pub(crate) fig: Figure,
    pub(crate) at: At,
}

/// A 类 or 项 of the 一般公共预算财政拨款支出 section as the text states it.
#[derive(Clone, Debug)]
pub(crate) struct StatedRow {
    /// The 款 a 项 is written under, when the text names it.
    pub(crate) kuan: Option<String>,
    pub(crate) name: String,
    pub(crate) actual: Figure,
    pub(crate) budget: Option<Interval>,
    pub(crate) at: At,
}

pub(crate) struct Ctx {
    pub(crate) section: String,
}

pub struct Auditor<'a> {
    pub(crate) src: &'a Source,
    pub(crate) paras: Vec<Paragraph>,
    pub(crate) ctx: Vec<Ctx>,
    pub(crate) spec: &'a Spec,
    pub(crate) codes: &'a CodeBook,
    /// What the document is (决算 or 预算, its year).
    pub(crate) document: &'a Identified,
    pub(crate) amounts: Vec<Vec<Amount>>,
    pub(crate) claims: Vec<Claim>,
    pub(crate) shares: Vec<Share>,
    pub(crate) stated_classes: Vec<StatedRow>,
    pub(crate) stated_items: Vec<StatedRow>,
    pub findings: Vec<Finding>,
    pub evaluated: usize,
    /// Per table read (`Source::tables`): its identities evaluated and how many hold.
    pub identities: Vec<(usize, usize)>,
}

pub(crate) fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("a valid built-in pattern"))
}

/// A capture group's text, empty when the group did not take part (never panics).
pub(crate) fn g<'t>(c: &regex::Captures<'t>, i: usize) -> &'t str {
    c.get(i).map_or("", |m| m.as_str())
}

pub(crate) const NUM: &str = r"(-?\d[\d,]*(?:\.\d+)?)";

fn amount_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, &format!(r"{NUM}(万元|元)"))
}

/// Byte index of the start of the sentence holding `offset` (after the last 。；).
pub(crate) fn sentence_start(text: &str, offset: usize) -> usize {
    text[..offset]
        .char_indices()
        .rev()
        .find(|(_, c)| matches!(c, '。' | '；' | ';' | '！' | '？'))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0)
}

pub(crate) fn sentence_end(text: &str, offset: usize) -> usize {
    text[offset..]
        .char_indices()
        .find(|(_, c)| matches!(c, '。' | '；' | ';'))
        .map(|(i, c)| offset + i + c.len_utf8())
        .unwrap_or(text.len())
}

/// The words a number is the value of: the clause up to it, without the entity and year,
/// enumerators and connecting words.
pub(crate) fn label_before(text: &str, pos: usize) -> String {
    let before = &text[..pos];
    let mut cut = 0;
    for (i, c) in before.char_indices().rev() {
        if matches!(c, '，' | '。' | '；' | '：' | ',' | ';' | ':') {
            cut = i + c.len_utf8();
            break;
        }
        if c == '、' {
            // 收入、支出 and 收、支 are one label
            let head = &before[..i];
            let tail = &before[i + c.len_utf8()..];
            if (head.ends_with("收入") || head.ends_with('收')) && tail.starts_with('支') {
                continue;
            }
            cut = i + c.len_utf8();
            break;
        }
    }
    let mut label = before[cut..]
        .replace("收入、支出", "收入支出")
        .replace("收、支", "收支");
    if let Some(i) = label.rfind("年度") {
        label = label[i + "年度".len()..].to_string();
    }
    static ENUM: OnceLock<Regex> = OnceLock::new();
    let enumerator = re(
        &ENUM,
        r"^(?:（[一二三四五六七八九十\d]+）|\([一二三四五六七八九十\d]+\)|\d+[.、．]|[一二三四五六七八九十]+、)",
    );
    let label = enumerator.replace(&label, "").to_string();
    let label = label
        .trim_start_matches("其中")
        .trim_start_matches("包括")
        .trim_start_matches("主要包括")
        .trim_start_matches("本部门")
        .trim_end_matches('为')
        .trim_end_matches("共计")
        .trim();
    label.to_string()
}

/// A ratio on a zero base: "增长100%" where last year was 0 (新增) or a 完成率 of a 0 budget
/// states a meaning the figures do not have (a warning); "0%" is only a poor phrasing.
fn zero_base_severity(stated: &Figure) -> Severity {
    if stated.is_zero() {
        Severity::Style
    } else {
        Severity::Warning
    }
}

pub(crate) fn wan(iv: &Interval) -> String {
    format!("{}万元", show(iv, 2))
}

pub(crate) fn pct(iv: &Interval) -> String {
    format!("{}%", show(iv, 2))
}

impl<'a> Auditor<'a> {
    pub fn new(
        src: &'a Source,
        spec: &'a Spec,
        codes: &'a CodeBook,
        document: &'a Identified,
    ) -> Auditor<'a> {
        let join = src.file.to_lowercase().ends_with(".pdf");
        let paras = paragraphs(src, join);
        let mut ctx = Vec::new();
        let mut section = String::new();
        for p in &paras {
            if p.table.is_none() && is_heading(&p.text) {
                let level2 = p.text.chars().take(4).any(|c| c == '、') || p.text.starts_with('第');
                if level2 {
                    section = p.text.clone();
                }
            }
            ctx.push(Ctx {
                section: section.clone(),
            });
        }
        let mut a = Auditor {
            src,
            paras,
            ctx,
            spec,
            codes,
            document,
            amounts: Vec::new(),
            claims: Vec::new(),
            shares: Vec::new(),
            stated_classes: Vec::new(),
            stated_items: Vec::new(),
            findings: Vec::new(),
            evaluated: 0,
            identities: Vec::new(),
        };
        a.collect_amounts();
        a
    }

    /// What "上年" is in this document: last year's 决算, or last year's budget in a 预算.
    pub(crate) fn last_year(&self) -> &'static str {
        match self.document.kind {
            DocKind::Final => "上年决算",
            DocKind::Budget => "上年预算",
        }
    }

    /// Runs every check.
    pub fn run(&mut self) {
        self.rates();
        self.completions();
        self.lists();
        self.named_shares();
        self.classes();
        self.tables();
        self.read_tables();
        self.projects();
        self.charts();
        self.numbering();
        self.placeholders();
        self.years();
        self.contents();
        self.quantities();
        self.findings.sort_by_key(|f| {
            (
                f.location.page.unwrap_or(0),
                f.location.line.unwrap_or(0),
                f.severity,
            )
        });
    }

    fn collect_amounts(&mut self) {
        for (pi, p) in self.paras.iter().enumerate() {
            let mut list = Vec::new();
            for m in amount_re().captures_iter(&p.text) {
                let (Some(num), Some(unit)) = (m.get(1), m.get(2)) else {
                    continue;
                };
                // "单价100万元（含）以上" is a threshold, not a figure
                if p.text[unit.end()..].starts_with("（含）")
                    || p.text[unit.end()..].starts_with("以上")
                {
                    continue;
                }
                let Some(fig) = Figure::amount(num.as_str(), unit.as_str() == "元") else {
                    continue;
                };
                list.push(Amount {
                    fig,
                    at: At {
                        para: pi,
                        offset: num.start(),
                    },
                    start: num.start(),
                    end: unit.end(),
                    label: label_before(&p.text, num.start()),
                });
            }
            self.amounts.push(list);
        }
        // claims: a label that names a quantity, or a column word after one
        for pi in 0..self.paras.len() {
            let section = self.ctx[pi].section.clone();
            let mut subject: Option<(String, usize)> = None;
            for a in self.amounts[pi].clone() {
                let q = self
                    .spec
                    .quantity(&a.label, &section)
                    .map(|q| q.name.clone());
                let column = self.spec.column(&a.label).unwrap_or("决算").to_string();
                let sentence = sentence_start(&self.paras[pi].text, a.start);
                let quantity = match q {
                    Some(q) => Some(q),
                    None if self.spec.column(&a.label).is_some() => subject
                        .as_ref()
                        .filter(|(_, s)| *s == sentence)
                        .map(|(q, _)| q.clone()),
                    None => None,
                };
                if let Some(q) = quantity {
                    subject = Some((q.clone(), sentence));
                    self.claims.push(Claim {
                        quantity: q,
                        column,
                        iv: a.fig.iv,
                        printed: format!("{}万元", a.fig.printed),
                        at: a.at,
                        derived: None,
                    });
                }
            }
        }
    }

    // ---- locations and findings ----

    pub(crate) fn location(&self, at: At) -> Location {
        let p = &self.paras[at.para];
        let line = &self.src.lines[p.line_at(at.offset)];
        Location {
            file: Some(self.src.file.clone()),
            line: Some(line.line),
            page: line.page,
            ..Location::default()
        }
    }

    /// The sentence around a place, for quoting.
    pub(crate) fn excerpt(&self, at: At) -> String {
        let t = &self.paras[at.para].text;
        let off = at.offset.min(t.len());
        let s = sentence_start(t, off);
        let e = sentence_end(t, off);
        let mut text: String = t[s..e].to_string();
        if text.chars().count() > 90 {
            // keep the part around the figure
            let before: String = t[s..off]
                .chars()
                .rev()
                .take(45)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let after: String = t[off..e].chars().take(45).collect();
            text = format!("…{before}{after}…");
        }
        text
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn report(
        &mut self,
        rule: &str,
        severity: Severity,
        message: String,
        at: At,
        stated: Option<String>,
        expected: Option<String>,
        related: &[At],
        culprit: Option<(At, String, String)>,
    ) {
        let message = format!("{message}。原文：“{}”", self.excerpt(at));
        let related = related.iter().map(|&r| self.location(r)).collect();
        let culprit = culprit.map(|(at, stated, suggested)| Culprit {
            location: self.location(at),
            stated,
            suggested,
        });
        self.findings.push(Finding {
            rule: rule.to_string(),
            severity,
            message,
            location: self.location(at),
            stated,
            expected,
            tolerance: None,
            related,
            culprit,
        });
    }

    /// The amount whose number starts at or covers byte `offset` of paragraph `para`.
    pub(crate) fn amount_before(&self, para: usize, offset: usize) -> Option<&Amount> {
        self.amounts[para].iter().rev().find(|a| a.end <= offset)
    }

    /// The subject of a comparison: the last amount of the sentence before it, else the first
    /// amount of the paragraph (an item's "3. 公务接待费支出1.23万元。…与上年决算相比…").
    pub(crate) fn subject_of(&self, para: usize, offset: usize) -> Option<&Amount> {
        let s = sentence_start(&self.paras[para].text, offset);
        self.amount_before(para, offset)
            .filter(|a| a.start >= s)
            .or_else(|| self.amounts[para].first().filter(|a| a.end <= offset))
    }

    fn claim_at(&self, at: At) -> Option<&Claim> {
        self.claims
            .iter()
            .find(|c| c.at == at && c.derived.is_none())
    }

    // ---- checks ----

    /// "与上年决算相比，增加X万元，增长Y%" and "年初预算为A万元，减少X万元，下降Y%": Y = X /
    /// base, where the base is the 预算 figure the paragraph states or else current − X; the
    /// change X equals the difference of the two figures when both are stated; direction words
    /// agree; no "增加0.00万元，增长0%" for no change, no ratio for a zero base. Records the base
    /// it implies.
    fn rates(&mut self) {
        static R: OnceLock<Regex> = OnceLock::new();
        let r = re(
            &R,
            &format!(
                r"(增加|减少|增长|下降|降低|上升){NUM}万元(?:[，,](增长|增加|减少|下降|降低|上升){NUM}%)?"
            ),
        );
        for pi in 0..self.paras.len() {
            let text = self.paras[pi].text.clone();
            for m in r.captures_iter(&text) {
                let whole = m.get(0).map(|g| g.start()).unwrap_or(0);
                // What it is compared with: the words of the sentence before the change.
                let context = &text[sentence_start(&text, whole)..whole];
                // a budget compares with last year's budget, whatever words it uses
                let budget_doc = self.document.kind == DocKind::Budget;
                let base_word =
                    if context.contains("上年") || (budget_doc && context.contains("预算")) {
                        "上年决算"
                    } else if context.contains("预算") {
                        "年初预算"
                    } else {
                        continue;
                    };
                let shown_base = if base_word == "上年决算" {
                    self.last_year()
                } else {
                    base_word
                };
                let up1 = matches!(g(&m, 1), "增加" | "增长" | "上升");
                let Some(delta) = Figure::amount(g(&m, 2), false) else {
                    continue;
                };
                let at = At {
                    para: pi,
                    offset: m.get(2).map(|g| g.start()).unwrap_or(whole),
                };
                self.evaluated += 1;
                if let Some(d2) = m.get(3) {
                    let up2 = matches!(d2.as_str(), "增长" | "增加" | "上升");
                    if up1 != up2 && !delta.is_zero() {
                        self.report(
                            "audit.direction",
                            Severity::Warning,
                            format!(
                                "变动方向前后矛盾：先说“{}”，后说“{}”",
                                g(&m, 1),
                                d2.as_str()
                            ),
                            at,
                            None,
                            None,
                            &[],
                            None,
                        );
                    }
                }
                let stated_base = if base_word == "年初预算" {
                    self.stated_budget(pi, whole)
                } else {
                    None
                };
                if let Some(base) = stated_base {
                    self.change_against_stated(pi, whole, &base, &delta, up1, at, &m);
                    continue;
                }
                let Some(cur) = self.subject_of(pi, whole).cloned() else {
                    continue;
                };
                // "与2016年度相比（2016年度…为8,648.07万元），增加498.72万元": the figure in
                // brackets before the change is the base itself
                let open = text[..cur.at.offset].rfind('（');
                let bracketed = open.is_some_and(|o| !text[o..cur.at.offset].contains('）'))
                    && text[cur.at.offset..whole].contains('）');
                let base = if bracketed {
                    Some(cur.fig.iv)
                } else if up1 {
                    cur.fig.iv.checked_sub(&delta.iv)
                } else {
                    cur.fig.iv.checked_add(&delta.iv)
                };
                let Some(base) = base else { continue };
                let column = if base_word.contains("预算") {
                    "预算"
                } else {
                    "上年决算"
                };
                if let Some(c) = self.claim_at(cur.at).cloned().filter(|_| !bracketed) {
                    self.claims.push(Claim {
                        quantity: c.quantity.clone(),
                        column: column.to_string(),
                        iv: base,
                        printed: wan(&base),
                        at,
                        derived: Some(format!(
                            "{}{}万元{}{}万元",
                            c.quantity,
                            cur.fig.printed,
                            if up1 { "−" } else { "＋" },
                            delta.printed
                        )),
                    });
                }
                let zero_rate = m
                    .get(4)
                    .is_some_and(|p| Figure::percent(p.as_str()).is_some_and(|f| f.is_zero()));
                if delta.is_zero() && zero_rate {
                    self.report(
                        "audit.zero_change",
                        Severity::Style,
                        "没有变化却写作“增加0.00万元，增长0%”，应写“与上年持平”或“本年无此项”"
                            .to_string(),
                        at,
                        Some(format!("{}{}万元", g(&m, 1), g(&m, 2))),
                        Some("持平".to_string()),
                        &[],
                        None,
                    );
                    continue;
                }
                let Some(p) = m.get(4) else { continue };
                let Some(stated) = Figure::percent(p.as_str()) else {
                    continue;
                };
                let pat = At {
                    para: pi,
                    offset: p.start(),
                };
                self.evaluated += 1;
                match percent_of(&delta.iv, &base) {
                    None => self.report(
                        "audit.zero_base",
                        zero_base_severity(&stated),
                        format!(
                            "{shown_base}为0，不存在变动率（本年为新增），却写了{}",
                            stated.printed
                        ),
                        pat,
                        Some(stated.printed.clone()),
                        None,
                        &[],
                        None,
                    ),
                    Some(rate) if truncated(&rate, &stated) => {
                        self.truncation_note(pat, &rate, &stated)
                    }
                    Some(rate) if !rate.overlaps(&stated.iv) => {
                        let message = format!(
                            "变动率与金额不符：{}{}万元，变动{}万元，{}应为{}万元，变动率应为{}，写的是{}",
                            cur.label,
                            cur.fig.printed,
                            delta.printed,
                            shown_base,
                            show(&base, 2),
                            pct(&rate),
                            stated.printed
                        );
                        self.report(
                            "audit.rate",
                            Severity::Error,
                            message,
                            pat,
                            Some(stated.printed.clone()),
                            Some(pct(&rate)),
                            &[cur.at, at],
                            None,
                        )
                    }
                    Some(_) => {}
                }
            }
        }
    }

    /// "决算数大于/小于/等于预算数" after a budget A and a final B: the word must fit the numbers.
    fn budget_direction(&mut self, pi: usize, start: usize, tail: &str, a: &Figure, b: &Figure) {
        static D: OnceLock<Regex> = OnceLock::new();
        let d = re(
            &D,
            r"决算数?(大于|高于|超过|超出|多于|小于|低于|少于|等于|持平于|与预算数?持平)(?:年初|全年)?预算",
        );
        let Some(m) = d.captures(tail) else { return };
        let word = g(&m, 1);
        self.evaluated += 1;
        let (wrong, truth) = match word {
            "大于" | "高于" | "超过" | "超出" | "多于" => {
                (!a.iv.possibly_lt(&b.iv), "不大于")
            }
            "小于" | "低于" | "少于" => (!b.iv.possibly_lt(&a.iv), "不小于"),
            _ => (!a.iv.overlaps(&b.iv), "不等于"),
        };
        if !wrong {
            return;
        }
        let actual = if a.iv.overlaps(&b.iv) {
            "等于"
        } else if b.iv.possibly_lt(&a.iv) {
            "小于"
        } else {
            "大于"
        };
        let pos = start + m.get(1).map_or(0, |x| x.start());
        self.report(
            "audit.direction",
            Severity::Error,
            format!(
                "写“决算数{word}预算数”，但决算{}万元{truth}预算{}万元",
                b.printed, a.printed
            ),
            At {
                para: pi,
                offset: pos,
            },
            Some(word.to_string()),
            Some(actual.to_string()),
            &[],
            None,
        );
    }

    /// A rate cut off after its last digit instead of rounded (10.158% printed 10.15%): the
    /// numbers agree, the rounding rule does not — a note, not an error.
    fn truncation_note(&mut self, at: At, rate: &Interval, stated: &Figure) {
        self.report(
            "audit.rate",
            Severity::Style,
            format!(
                "变动率按截尾取数：按四舍五入应为{}，写的是{}",
                pct(rate),
                stated.printed
            ),
            at,
            Some(stated.printed.clone()),
            Some(pct(rate)),
            &[],
            None,
        );
    }

    /// The 年初预算 figure a comparison at `offset` is made against, when the paragraph states
    /// it before: the last amount labelled 年初预算/全年预算.
    fn stated_budget(&self, para: usize, offset: usize) -> Option<Amount> {
        self.amounts[para]
            .iter()
            .rev()
            .filter(|a| a.end <= offset)
            .find(|a| self.spec.column(&a.label) == Some("预算"))
            .cloned()
    }

    /// A change against a stated 年初预算: the rate is change ÷ budget, and the change is the
    /// difference between the budget and the 决算 stated with it.
    #[allow(clippy::too_many_arguments)]
    fn change_against_stated(
        &mut self,
        pi: usize,
        offset: usize,
        base: &Amount,
        delta: &Figure,
        up: bool,
        at: At,
        m: &regex::Captures,
    ) {
        let text = &self.paras[pi].text;
        let from = sentence_start(text, base.start);
        let actual = self.amounts[pi]
            .iter()
            .rev()
            .filter(|a| a.end <= offset && a.start >= from && a.start != base.start)
            .find(|a| self.spec.column(&a.label) != Some("预算"))
            .cloned();
        if let Some(actual) = actual {
            let diff = if up {
                actual.fig.iv.checked_sub(&base.fig.iv)
            } else {
                base.fig.iv.checked_sub(&actual.fig.iv)
            };
            if let Some(diff) = diff {
                self.evaluated += 1;
                if !diff.overlaps(&delta.iv) {
                    let verb = if up { "增加" } else { "减少" };
                    self.report(
                        "audit.change",
                        Severity::Error,
                        format!(
                            "变动额与两数之差不符：决算{}万元、年初预算{}万元，应{verb}{}，写的是{verb}{}万元",
                            actual.fig.printed,
                            base.fig.printed,
                            wan(&diff),
                            delta.printed
                        ),
                        at,
                        Some(format!("{}万元", delta.printed)),
                        Some(wan(&diff)),
                        &[actual.at, base.at],
                        None,
                    );
                }
            }
        }
        let Some(p) = m.get(4) else { return };
        let Some(stated) = Figure::percent(p.as_str()) else {
            return;
        };
        let pat = At {
            para: pi,
            offset: p.start(),
        };
        self.evaluated += 1;
        match percent_of(&delta.iv, &base.fig.iv) {
            None => self.report(
                "audit.zero_base",
                zero_base_severity(&stated),
                format!("年初预算为0，不存在变动率，却写了{}", stated.printed),
                pat,
                Some(stated.printed.clone()),
                None,
                &[],
                None,
            ),
            Some(rate) if truncated(&rate, &stated) => self.truncation_note(pat, &rate, &stated),
            Some(rate) if !rate.overlaps(&stated.iv) => self.report(
                "audit.rate",
                Severity::Error,
                format!(
                    "变动率与金额不符：变动{}万元 ÷ 年初预算{}万元 = {}，写的是{}",
                    delta.printed,
                    base.fig.printed,
                    pct(&rate),
                    stated.printed
                ),
                pat,
                Some(stated.printed.clone()),
                Some(pct(&rate)),
                &[base.at, at],
                None,
            ),
            Some(_) => {}
        }
    }

    /// "年初预算A万元，支出决算B万元，完成年初预算的C%" (and 全年预算/执行数, and "与年初预算A
    /// 万元相比，完成…"): C = B / A, "100%" only when A = B, no ratio for A = 0, and "无差异"
    /// only when A = B.
    fn completions(&mut self) {
        static A: OnceLock<Regex> = OnceLock::new();
        let pair = re(
            &A,
            &format!(
                r"(?:年初预算|全年预算)数?(?:为)?{NUM}万元[，,](?:支出决算|决算支出|决算数|执行数|支出)(?:为)?{NUM}万元(?:[，,](?:完成|为|占)(?:年初|全年)?预算数?的{NUM}%)?"
            ),
        );
        static C: OnceLock<Regex> = OnceLock::new();
        let against = re(
            &C,
            &format!(r"与年初预算数?{NUM}万元相比[，,](?:完成|为)年初预算数?的{NUM}%"),
        );
        static SAME: OnceLock<Regex> = OnceLock::new();
        let same = re(&SAME, r"(?:无差异|没有差异|一致|相等)");
        for pi in 0..self.paras.len() {
            let text = self.paras[pi].text.clone();
            // (budget, actual, stated rate and its offset, sentence offset)
            type Case = (Figure, Figure, Option<(Figure, usize)>, usize);
            let mut cases: Vec<Case> = Vec::new();
            for m in pair.captures_iter(&text) {
                let (Some(a), Some(b)) = (
                    Figure::amount(g(&m, 1), false),
                    Figure::amount(g(&m, 2), false),
                ) else {
                    continue;
                };
                let c = m
                    .get(3)
                    .and_then(|g| Figure::percent(g.as_str()).map(|f| (f, g.start())));
                cases.push((a, b, c, m.get(0).map(|g| g.start()).unwrap_or(0)));
            }
            for m in against.captures_iter(&text) {
                let start = m.get(0).map(|g| g.start()).unwrap_or(0);
                let Some(b) = self.subject_of(pi, start).map(|a| a.fig.clone()) else {
                    continue;
                };
                let (Some(a), Some(c)) =
                    (Figure::amount(g(&m, 1), false), Figure::percent(g(&m, 2)))
                else {
                    continue;
                };
                let cpos = m.get(2).map(|g| g.start()).unwrap_or(start);
                cases.push((a, b, Some((c, cpos)), start));
            }
            for (a, b, c, start) in cases {
                self.evaluated += 1;
                let at = At {
                    para: pi,
                    offset: start,
                };
                let differ = !a.iv.overlaps(&b.iv);
                if let Some((c, cpos)) = c {
                    let cat = At {
                        para: pi,
                        offset: cpos,
                    };
                    match percent_of(&b.iv, &a.iv) {
                        None => self.report(
                            "audit.zero_base",
                            zero_base_severity(&c),
                            format!(
                                "预算为0，不存在完成率（若有调整预算或全年预算，应与之相比），却写了“完成预算的{}”",
                                c.printed
                            ),
                            cat,
                            Some(c.printed.clone()),
                            None,
                            &[],
                            None,
                        ),
                        Some(rate) => {
                            let hundred = c.decimals == 0 && c.value == Ratio::int(100);
                            if hundred && differ {
                                self.report(
                                    "audit.completion",
                                    Severity::Error,
                                    format!(
                                        "预算{}万元、决算{}万元并不相等，不能写“完成100%”，应为{}",
                                        a.printed,
                                        b.printed,
                                        pct(&rate)
                                    ),
                                    cat,
                                    Some(c.printed.clone()),
                                    Some(pct(&rate)),
                                    &[],
                                    None,
                                );
                            } else if !rate.overlaps(&c.iv) {
                                self.report(
                                    "audit.completion",
                                    Severity::Error,
                                    format!(
                                        "完成率与金额不符：决算{}万元 ÷ 预算{}万元 = {}，写的是{}",
                                        b.printed,
                                        a.printed,
                                        pct(&rate),
                                        c.printed
                                    ),
                                    cat,
                                    Some(c.printed.clone()),
                                    Some(pct(&rate)),
                                    &[],
                                    None,
                                );
                            }
                        }
                    }
                }
                // "决算数与年初预算数无差异" in the rest of the sentence group
                let end = text[start..]
                    .find("。")
                    .map(|i| {
                        let after = start + i + "。".len();
                        sentence_end(&text, after)
                    })
                    .unwrap_or(text.len());
                let tail = &text[start..end];
                self.budget_direction(pi, start, tail, &a, &b);
                if differ && tail.contains("差异") {
                    if let Some(sm) = same.find(tail) {
                        let pos = start + sm.start();
                        let before = &text[sentence_start(&text, pos)..pos];
                        if !before.contains("原因") {
                            self.report(
                                "audit.no_difference",
                                Severity::Error,
                                format!(
                                    "写“{}”，但预算{}万元与决算{}万元不同",
                                    sm.as_str(),
                                    a.printed,
                                    b.printed
                                ),
                                At {
                                    para: pi,
                                    offset: pos,
                                },
                                Some(sm.as_str().to_string()),
                                Some(format!(
                                    "差额{}",
                                    wan(&b.iv.checked_sub(&a.iv).unwrap_or(b.iv))
                                )),
                                &[at],
                                None,
                            );
                        }
                    }
                }
            }
        }
    }
}

/// Whether a stated (non-negative) rate is the exact one cut off rather than rounded: the rate
/// lies in [stated, stated + one unit of its last digit) and not in its rounding interval.
fn truncated(rate: &Interval, stated: &Figure) -> bool {
    let Some(half) = stated.iv.half_width() else {
        return false;
    };
    if rate.overlaps(&stated.iv) || rate.lo() < Ratio::int(0) {
        return false;
    }
    let shifted = stated.iv.checked_add(&Interval::point(half));
    shifted.is_some_and(|cut| rate.overlaps(&cut))
}
