//! `eval entities-dwie`: cross-document entity merging on English news
//! (`dwie-train`: 702 Deutsche Welle articles with their mentions linked to
//! Wikipedia). Recognition and linking run as the product runs them over
//! every article at once; two gold mentions (of person, organisation,
//! location or GPE concepts with a link) in different articles denote the
//! same entity iff their concepts share a link, and the system's do iff the
//! mentions it found there (the longest overlapping one) belong to one
//! entity. Pairwise precision and recall over pairs of mentions in
//! different articles; a gold mention the recogniser misses is an entity of
//! its own. Mention recall (gold mentions overlapped by a system mention)
//! is printed beside.

use std::collections::HashMap;
use std::io::BufRead;

use anyhow::{Context, Result};
use rayon::prelude::*;
use storyline_entities::{link, ArticleMentions};
use storyline_ner::Recognizer;

use crate::{dataset, read_maybe_gz, EvalContext, Report};

/// The entity types scored.
const TYPES: &[&str] = &["type::person", "type::organization", "type::location", "type::gpe"];

struct GoldMention {
    article: usize,
    start: usize,
    end: usize,
    link: String,
}

/// Pairs of items in different articles, from per-article counts.
fn cross_pairs(per_article: &HashMap<usize, u64>) -> u64 {
    let n: u64 = per_article.values().sum();
    let same: u64 = per_article.values().map(|c| c * c).sum();
    (n * n - same) / 2
}

fn pairs_by<K: std::hash::Hash + Eq>(items: impl Iterator<Item = (K, usize)>) -> u64 {
    let mut groups: HashMap<K, HashMap<usize, u64>> = HashMap::new();
    for (key, article) in items {
        *groups.entry(key).or_default().entry(article).or_default() += 1;
    }
    groups.values().map(cross_pairs).sum()
}

pub fn run(ctx: &EvalContext) -> Result<Report> {
    let dir = dataset(ctx, "dwie-train")?;
    let bytes = read_maybe_gz(&dir.join("dwie-train.jsonl.gz"))?;
    let mut texts = Vec::new();
    let mut gold = Vec::new();
    for (n, line) in bytes.lines().enumerate() {
        let line = line.context("reading dwie-train.jsonl.gz")?;
        if line.trim().is_empty() {
            continue;
        }
        let doc: serde_json::Value =
            serde_json::from_str(&line).with_context(|| format!("dwie-train.jsonl.gz:{}: not JSON", n + 1))?;
        let article = texts.len();
        texts.push(doc["content"].as_str().unwrap_or("").to_string());
        let links: HashMap<i64, String> = doc["concepts"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| {
                c["tags"].as_array().is_some_and(|t| t.iter().any(|t| t.as_str().is_some_and(|t| TYPES.contains(&t))))
            })
            .filter_map(|c| Some((c["concept"].as_i64()?, c["link"].as_str()?.to_string())))
            .collect();
        for m in doc["mentions"].as_array().into_iter().flatten() {
            let (Some(concept), Some(start), Some(end)) =
                (m["concept"].as_i64(), m["begin"].as_u64(), m["end"].as_u64())
            else {
                continue;
            };
            if let Some(link) = links.get(&concept) {
                gold.push(GoldMention { article, start: start as usize, end: end as usize, link: link.clone() });
            }
        }
    }
    let recognizer = Recognizer::shared();
    let input: Vec<ArticleMentions> = texts
        .par_iter()
        .enumerate()
        .map(|(i, text)| ArticleMentions {
            article: format!("dwie-{i}"),
            lang: Some("en".into()),
            mentions: recognizer.mentions(text, Some("en")),
        })
        .collect();
    let linked = link(&input);
    // Each gold mention's system entity: the longest system mention overlapping it.
    let mut found = 0usize;
    let system: Vec<String> = gold
        .iter()
        .enumerate()
        .map(|(g, m)| {
            let best = input[m.article]
                .mentions
                .iter()
                .enumerate()
                .filter(|(_, s)| s.start < m.end && m.start < s.end)
                .max_by_key(|(_, s)| s.end.min(m.end) - s.start.max(m.start));
            match best {
                Some((i, _)) => {
                    found += 1;
                    linked.entities[linked.assignment[m.article][i]].id.clone()
                }
                None => format!("missed:{g}"),
            }
        })
        .collect();
    let gold_pairs = pairs_by(gold.iter().map(|m| (m.link.as_str(), m.article)));
    let system_pairs = pairs_by(system.iter().zip(&gold).map(|(s, m)| (s.as_str(), m.article)));
    let both = pairs_by(system.iter().zip(&gold).map(|(s, m)| ((s.as_str(), m.link.as_str()), m.article)));
    let precision = both as f64 / system_pairs.max(1) as f64;
    let recall = both as f64 / gold_pairs.max(1) as f64;
    let f1 = if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
    let mention_recall = found as f64 / gold.len().max(1) as f64;
    let mut report = Report::new("entities-dwie");
    report.line(format!(
        "DWIE train: {} articles, {} gold mentions of linked people, organisations, places ({} found by the recogniser, {:.3})",
        texts.len(),
        gold.len(),
        found,
        mention_recall
    ));
    report.line(format!(
        "cross-document pairs: gold {gold_pairs}, system {system_pairs}, both {both}; precision {precision:.4}, recall {recall:.4}, F1 {f1:.4}"
    ));
    report.metric("precision", precision);
    report.metric("recall", recall);
    report.metric("f1", f1);
    report.metric("mention_recall", mention_recall);
    if ctx.verbose {
        // The gold entities most split by the system, and the system entities most merged.
        let mut splits: HashMap<&str, std::collections::HashSet<&str>> = HashMap::new();
        for (s, m) in system.iter().zip(&gold) {
            splits.entry(m.link.as_str()).or_default().insert(s.as_str());
        }
        // Ranked by the cross-document pairs each split costs recall.
        let mut lost: HashMap<&str, u64> = HashMap::new();
        let mut parts: HashMap<(&str, &str), HashMap<usize, u64>> = HashMap::new();
        let mut whole: HashMap<&str, HashMap<usize, u64>> = HashMap::new();
        for (s, m) in system.iter().zip(&gold) {
            *parts.entry((m.link.as_str(), s.as_str())).or_default().entry(m.article).or_default() += 1;
            *whole.entry(m.link.as_str()).or_default().entry(m.article).or_default() += 1;
        }
        for (l, counts) in &whole {
            lost.insert(l, cross_pairs(counts));
        }
        for ((l, _), counts) in &parts {
            *lost.get_mut(l).expect("every part has its whole") -= cross_pairs(counts);
        }
        let mut worst: Vec<(&str, usize)> = splits.iter().map(|(l, s)| (*l, s.len())).collect();
        worst.sort_by_key(|(l, _)| std::cmp::Reverse(lost[l]));
        for (l, n) in worst.iter().take(30) {
            let mut texts: HashMap<String, usize> = HashMap::new();
            for (s, _) in system.iter().zip(&gold).filter(|(_, m)| m.link == *l) {
                let name = if s.starts_with("missed:") {
                    "(missed)".to_string()
                } else {
                    linked.entities.iter().find(|e| &e.id == s).map(|e| e.name.clone()).unwrap_or_default()
                };
                *texts.entry(name).or_default() += 1;
            }
            let mut texts: Vec<(String, usize)> = texts.into_iter().collect();
            texts.sort_by_key(|(_, c)| std::cmp::Reverse(*c));
            let shown: Vec<String> = texts
                .iter()
                .take(if std::env::var_os("DWIE_ALL").is_some() { 100 } else { 6 })
                .map(|(t, c)| format!("{t} x{c}"))
                .collect();
            report.line(format!("  split: {l} in {n} system entities, {} pairs lost: {}", lost[l], shown.join(", ")));
        }
        // System entities joining mentions of different gold entities, ranked by the wrong pairs they make.
        let mut by_system: HashMap<&str, HashMap<usize, u64>> = HashMap::new();
        let mut links_of: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
        for (s, m) in system.iter().zip(&gold) {
            *by_system.entry(s.as_str()).or_default().entry(m.article).or_default() += 1;
            *links_of.entry(s.as_str()).or_default().entry(m.link.as_str()).or_default() += 1;
        }
        let mut wrong: Vec<(&str, u64)> = by_system
            .iter()
            .map(|(s, counts)| {
                let right: u64 = parts.iter().filter(|((_, p), _)| p == s).map(|(_, c)| cross_pairs(c)).sum();
                (*s, cross_pairs(counts) - right)
            })
            .filter(|(_, w)| *w > 0)
            .collect();
        wrong.sort_by_key(|(_, w)| std::cmp::Reverse(*w));
        for (s, w) in wrong.iter().take(15) {
            let entity = linked.entities.iter().find(|e| e.id == *s);
            let name = entity.map(|e| e.name.clone()).unwrap_or_default();
            let aliases = entity.map(|e| e.aliases.iter().take(12).cloned().collect::<Vec<_>>().join(" | "));
            let mut links: Vec<(&str, usize)> = links_of[s].iter().map(|(l, c)| (*l, *c)).collect();
            links.sort_by_key(|(_, c)| std::cmp::Reverse(*c));
            let shown: Vec<String> = links.iter().take(5).map(|(l, c)| format!("{l} x{c}")).collect();
            report.line(format!("  merged: {name:?} makes {w} wrong pairs: {}", shown.join(", ")));
            report.line(format!("          aliases: {}", aliases.unwrap_or_default()));
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_counted_across_articles_only() {
        // Three mentions of one key: two in article 0, one in article 1: two cross pairs.
        assert_eq!(pairs_by([("a", 0), ("a", 0), ("a", 1)].into_iter()), 2);
        assert_eq!(pairs_by([("a", 0), ("b", 1)].into_iter()), 0);
    }
}
