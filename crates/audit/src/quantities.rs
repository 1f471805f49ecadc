//! The same quantity stated more than once (text vs text, and values derived from comparisons)
//! and the identities between quantities. When the statements of a quantity disagree, the
//! value that more statements and more identities support is taken as right and each other
//! statement is the finding, with the supporting ones as `related`.

use crate::engine::{wan, At, Auditor, Claim};
use crate::figure::sum;
use juesuan_check::Severity;
use juesuan_model::DocKind;
use juesuan_model::Interval;
use std::collections::BTreeMap;

type Key = (String, String);

impl Auditor<'_> {
    pub(crate) fn quantities(&mut self) {
        let mut groups: BTreeMap<Key, Vec<Claim>> = BTreeMap::new();
        for c in &self.claims {
            groups
                .entry((c.quantity.clone(), c.column.clone()))
                .or_default()
                .push(c.clone());
        }
        // clusters of agreeing statements per quantity and column
        let mut clusters: BTreeMap<Key, Vec<Vec<Claim>>> = BTreeMap::new();
        for (k, claims) in &groups {
            let mut cs: Vec<Vec<Claim>> = Vec::new();
            for c in claims {
                match cs
                    .iter_mut()
                    .find(|cl| cl.iter().all(|o| o.iv.overlaps(&c.iv)))
                {
                    Some(cl) => cl.push(c.clone()),
                    None => cs.push(vec![c.clone()]),
                }
            }
            // largest first; among equals, the one printed first
            cs.sort_by_key(|cl| std::cmp::Reverse(cl.len()));
            clusters.insert(k.clone(), cs);
        }
        let default_value =
            |clusters: &BTreeMap<Key, Vec<Vec<Claim>>>, k: &Key| -> Option<Interval> {
                clusters.get(k).and_then(|cs| cs.first()).map(|cl| cl[0].iv)
            };
        let columns = ["决算", "预算", "上年决算"];
        let identities = self.spec.identities.clone();
        // holds(identity, column, override) with the default value of every other quantity
        let holds = |clusters: &BTreeMap<Key, Vec<Vec<Claim>>>,
                     id: &crate::spec::Identity,
                     col: &str,
                     over: Option<(&Key, &Interval)>|
         -> Option<bool> {
            let value = |q: &str| -> Option<Interval> {
                let k = (q.to_string(), col.to_string());
                match over {
                    Some((ok, v)) if *ok == k => Some(*v),
                    _ => default_value(clusters, &k),
                }
            };
            let total = value(&id.total)?;
            let parts: Option<Vec<Interval>> = id.parts.iter().map(|p| value(p)).collect();
            let s = sum(parts?.iter())?;
            Some(s.overlaps(&total))
        };

        let mut chosen: BTreeMap<Key, usize> = BTreeMap::new();
        for (k, cs) in &clusters {
            if cs.len() < 2 {
                continue;
            }
            self.evaluated += 1;
            let support: Vec<usize> = cs
                .iter()
                .map(|cl| {
                    let v = &cl[0].iv;
                    let agreeing = identities
                        .iter()
                        .filter(|id| id.total == k.0 || id.parts.contains(&k.0))
                        .filter(|id| holds(&clusters, id, &k.1, Some((k, v))) == Some(true))
                        .count();
                    cl.len() + agreeing
                })
                .collect();
            let best = support.iter().copied().max().unwrap_or(0);
            let winners: Vec<usize> = (0..cs.len()).filter(|&i| support[i] == best).collect();
            if let [w] = winners.as_slice() {
                chosen.insert(k.clone(), *w);
                let right = cs[*w].clone();
                for (i, cl) in cs.iter().enumerate() {
                    if i == *w {
                        continue;
                    }
                    for c in cl {
                        self.same_quantity_finding(k, c, &right, support[*w], support[i]);
                    }
                }
            } else {
                // no majority: report the disagreement once, without a culprit
                let first = cs[0][0].clone();
                let other = cs[1][0].clone();
                let related: Vec<At> = cs
                    .iter()
                    .flatten()
                    .map(|c| c.at)
                    .filter(|a| *a != first.at)
                    .collect();
                self.report(
                    "audit.same_quantity",
                    Severity::Error,
                    format!(
                        "“{}”{}前后不一致：这里{}，另一处{}，无法判断哪个正确",
                        k.0,
                        column_words(&k.1, self.document.kind),
                        describe(&first),
                        describe(&other)
                    ),
                    first.at,
                    Some(first.printed.clone()),
                    Some(other.printed.clone()),
                    &related,
                    None,
                );
            }
        }
        // identities over the values taken as right
        let value_of = |k: &Key| -> Option<(Interval, Vec<At>)> {
            let cs = clusters.get(k)?;
            let cl = &cs[*chosen.get(k).unwrap_or(&0)];
            Some((cl[0].iv, cl.iter().map(|c| c.at).collect()))
        };
        for id in &identities {
            for col in columns {
                let tk = (id.total.clone(), col.to_string());
                let Some((total, tat)) = value_of(&tk) else {
                    continue;
                };
                let parts: Option<Vec<(Interval, Vec<At>)>> = id
                    .parts
                    .iter()
                    .map(|p| value_of(&(p.clone(), col.to_string())))
                    .collect();
                let Some(parts) = parts else { continue };
                self.evaluated += 1;
                let Some(s) = sum(parts.iter().map(|(iv, _)| iv)) else {
                    continue;
                };
                if s.overlaps(&total) {
                    continue;
                }
                let pick = |k: &Key| clusters[k][*chosen.get(k).unwrap_or(&0)].clone();
                let total_claims = pick(&tk);
                let part_keys: Vec<Key> = id
                    .parts
                    .iter()
                    .map(|p| (p.clone(), col.to_string()))
                    .collect();
                let terms: Vec<String> = id
                    .parts
                    .iter()
                    .zip(&parts)
                    .map(|(p, (iv, _))| format!("{p}{}", wan(iv)))
                    .collect();
                // the member that, corrected alone, makes the identity hold with a plausible
                // (non-negative) value and has the fewest statements behind it
                let mut candidates: Vec<(usize, Key, Interval)> = Vec::new();
                candidates.push((total_claims.len(), tk.clone(), s));
                for (i, k) in part_keys.iter().enumerate() {
                    let others = parts
                        .iter()
                        .enumerate()
                        .filter(|(j, _)| *j != i)
                        .map(|(_, (iv, _))| *iv)
                        .collect::<Vec<_>>();
                    if let Some(solved) = sum(others.iter()).and_then(|o| total.checked_sub(&o)) {
                        if solved.hi() >= juesuan_model::Ratio::ZERO {
                            candidates.push((pick(k).len(), k.clone(), solved));
                        }
                    }
                }
                candidates.sort_by_key(|c| c.0);
                let unique = candidates.len() == 1 || candidates[0].0 < candidates[1].0;
                let all_related: Vec<At> = std::iter::once(&tat)
                    .chain(parts.iter().map(|(_, a)| a))
                    .flatten()
                    .copied()
                    .collect();
                if unique {
                    let (_, k, solved) = &candidates[0];
                    let claim = pick(k)[0].clone();
                    let related: Vec<At> = all_related
                        .iter()
                        .copied()
                        .filter(|a| *a != claim.at)
                        .collect();
                    self.report(
                        "audit.identity",
                        Severity::Error,
                        format!(
                            "“{}”{}{}，但按“{} = {}”（{}＝{}），它应为{}",
                            k.0,
                            column_words(col, self.document.kind),
                            describe(&claim),
                            id.total,
                            id.parts.join("＋"),
                            wan(&total),
                            terms.join("＋"),
                            wan(solved)
                        ),
                        claim.at,
                        Some(claim.printed.clone()),
                        Some(wan(solved)),
                        &related,
                        Some((claim.at, claim.printed.clone(), wan(solved))),
                    );
                } else {
                    let claim = total_claims[0].clone();
                    let related: Vec<At> = all_related
                        .iter()
                        .copied()
                        .filter(|a| *a != claim.at)
                        .collect();
                    self.report(
                        "audit.identity",
                        Severity::Error,
                        format!(
                            "“{}”{}应等于{}，即{}；但文中{}",
                            id.total,
                            column_words(col, self.document.kind),
                            id.parts.join("＋"),
                            wan(&s),
                            describe(&claim),
                        ),
                        claim.at,
                        Some(claim.printed.clone()),
                        Some(format!("{}（{}）", wan(&s), terms.join("＋"))),
                        &related,
                        None,
                    );
                }
            }
        }
    }

    fn same_quantity_finding(
        &mut self,
        k: &Key,
        c: &Claim,
        right: &[Claim],
        for_right: usize,
        for_this: usize,
    ) {
        let r = &right[0];
        let related: Vec<At> = right.iter().map(|x| x.at).collect();
        let message = format!(
            "“{}”{}前后不一致：这里{}，另有{}处{}；按{}项相互印证的依据（{}比{}）应为{}",
            k.0,
            column_words(&k.1, self.document.kind),
            describe(c),
            right.len(),
            describe(r),
            for_right,
            for_right,
            for_this,
            r.printed
        );
        self.report(
            "audit.same_quantity",
            Severity::Error,
            message,
            c.at,
            Some(c.printed.clone()),
            Some(r.printed.clone()),
            &related,
            Some((c.at, c.printed.clone(), r.printed.clone())),
        );
    }
}

fn column_words(col: &str, kind: DocKind) -> &'static str {
    match (col, kind) {
        ("预算", _) => "的预算数",
        ("上年决算", DocKind::Final) => "的上年决算数",
        ("上年决算", DocKind::Budget) => "的上年预算数",
        _ => "",
    }
}

fn describe(c: &Claim) -> String {
    match &c.derived {
        Some(how) => format!("推算为{}（{}）", c.printed, how),
        None => format!("写{}", c.printed),
    }
}
