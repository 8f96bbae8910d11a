//! `eval languages`: articles in languages storyline has few or no
//! resources for must be kept, with their language said, never lost. On
//! MEANTIME (`../shared/data/meantime`: 120 English Wikinews articles and
//! their Spanish, Italian and Dutch translations, rebuilt from the CoNLL
//! tokens, one sentence a line) the whole set goes through the pipeline in
//! one batch: per language, the share stored and the share whose detected
//! language is right; and, since each article exists in four languages, how
//! well the stories keep an article's translations together (B-cubed against
//! "same source article").

use std::collections::{BTreeMap, HashMap};

use anyhow::{Context, Result};
use storyline_model::{ContentKind, RawDocument, SourceHints};

use crate::metrics::cluster_scores;
use crate::{dataset, EvalContext, Report};

const LANGUAGES: [&str; 4] = ["en", "es", "it", "nl"];

/// The documents of one language: (document key, text).
fn read_language(dir: &std::path::Path, lang: &str) -> Result<Vec<(String, String)>> {
    let path = dir.join(lang).join("meantime.conll");
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut docs: Vec<(String, BTreeMap<usize, Vec<String>>)> = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() < 4 {
            continue;
        }
        let sentence: usize = fields[1].parse().unwrap_or(0);
        if docs.last().is_none_or(|(key, _)| key != fields[0]) {
            docs.push((fields[0].to_string(), BTreeMap::new()));
        }
        docs.last_mut().unwrap().1.entry(sentence).or_default().push(fields[3].to_string());
    }
    Ok(docs
        .into_iter()
        .map(|(key, sentences)| {
            let lines: Vec<String> = sentences.into_values().map(|tokens| tokens.join(" ")).collect();
            (key, lines.join("\n"))
        })
        .collect())
}

/// Runs the suite.
pub fn run(ctx: &EvalContext) -> Result<Report> {
    let dir = dataset(ctx, "meantime")?;
    let mut docs: Vec<RawDocument> = Vec::new();
    let mut gold: Vec<(String, String)> = Vec::new();
    for lang in LANGUAGES {
        for (key, text) in read_language(&dir, lang)? {
            docs.push(RawDocument {
                source: format!("{lang}/{key}"),
                external_id: None,
                kind: ContentKind::Text,
                bytes: text.into_bytes(),
                hints: SourceHints::default(),
            });
            gold.push((lang.to_string(), key));
        }
    }
    let pipeline = storyline_pipeline::Pipeline::new(ctx.html)?;
    let mut store = storyline_store::Store::in_memory()?;
    let summary = pipeline.ingest_batch(&mut store, docs)?;
    let articles: HashMap<String, storyline_model::Article> =
        store.articles()?.into_iter().map(|a| (a.source.clone(), a)).collect();
    let mut report = Report::new("languages");
    report.line(format!("{:<5} {:>9} {:>9} {:>10}", "lang", "documents", "stored", "lang right"));
    for lang in LANGUAGES {
        let mine: Vec<&(String, String)> = gold.iter().filter(|(l, _)| l == lang).collect();
        let stored: Vec<&storyline_model::Article> =
            mine.iter().filter_map(|(l, key)| articles.get(&format!("{l}/{key}"))).collect();
        let right = stored.iter().filter(|a| a.lang.as_deref() == Some(lang)).count();
        let (stored_share, right_share) =
            (stored.len() as f64 / mine.len().max(1) as f64, right as f64 / mine.len().max(1) as f64);
        report.line(format!("{lang:<5} {:>9} {stored_share:>9.4} {right_share:>10.4}", mine.len()));
        report.metric(&format!("{lang}.stored"), stored_share);
        report.metric(&format!("{lang}.lang"), right_share);
    }
    for failure in summary.failed.iter().take(10) {
        report.line(format!("  not stored: {}: {}", failure.source, failure.reason));
    }
    // Translations of one article: one story.
    let mut story_labels: HashMap<String, usize> = HashMap::new();
    let mut gold_labels: HashMap<String, usize> = HashMap::new();
    let (mut predicted, mut expected, mut langs) = (Vec::new(), Vec::new(), Vec::new());
    for (lang, key) in &gold {
        let Some(a) = articles.get(&format!("{lang}/{key}")) else { continue };
        let story = a.story.clone().unwrap_or_else(|| a.id.clone());
        let n = story_labels.len();
        predicted.push(*story_labels.entry(story).or_insert(n));
        let n = gold_labels.len();
        expected.push(*gold_labels.entry(key.clone()).or_insert(n));
        langs.push(lang.as_str());
    }
    // Within one language every article is a story of its own: what merges
    // there merges different events.
    for lang in LANGUAGES {
        let (mut p, mut e) = (Vec::new(), Vec::new());
        for (i, l) in langs.iter().enumerate() {
            if *l == lang {
                p.push(predicted[i]);
                e.push(expected[i]);
            }
        }
        let (bp, br, bf) = cluster_scores(&p, &e).bcubed;
        report.line(format!("{lang} alone ({} articles): B3 precision {bp:.4} recall {br:.4} F1 {bf:.4}", p.len()));
        report.metric(&format!("{lang}.bcubed.f1"), bf);
    }
    let scores = cluster_scores(&predicted, &expected);
    let (p, r, f) = scores.bcubed;
    report.line(format!(
        "translations together (gold: one story per source article, {} articles in {} stories): B3 precision {p:.4} recall {r:.4} F1 {f:.4}",
        predicted.len(),
        story_labels.len()
    ));
    report.metric("translations.bcubed.f1", f);
    Ok(report)
}
