//! `eval stories`: story clustering on ECB+ (topics 1-35; each topic holds
//! two look-alike events). All documents of a split are clustered together;
//! gold = subtopic. Parameters are chosen by a grid search on the train
//! topics and the dev topics are scored with them (B-cubed, pairwise,
//! CEAF-e). ECB+ has no publication dates, so time enters only through the
//! years the texts mention.

use anyhow::{Context, Result};
use std::path::Path;
use storyline_cluster::{absorb_small_stories, cluster_vectors, ClusterDoc, ClusterParams, Featurizer};

use crate::metrics::{cluster_scores, ClusterScores};
use crate::{dataset, read_maybe_gz, EvalContext, Report};

struct Split {
    docs: Vec<ClusterDoc>,
    gold: Vec<usize>,
}

fn load(ctx: &EvalContext) -> Result<(Split, Split)> {
    let dir = dataset(ctx, "ecbplus")?;
    let bytes = read_maybe_gz(&dir.join("docs.jsonl"))?;
    let text = String::from_utf8(bytes).context("docs.jsonl is not UTF-8")?;
    let mut train = Split { docs: Vec::new(), gold: Vec::new() };
    let mut dev = Split { docs: Vec::new(), gold: Vec::new() };
    let mut labels: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).context("bad line in docs.jsonl")?;
        let subtopic = v["subtopic"].as_str().unwrap_or("").to_string();
        let next = labels.len();
        let label = *labels.entry(subtopic).or_insert(next);
        // ECB+ text is tokenised with spaces around punctuation; rejoin the
        // common cases so sentence and name detection see normal text.
        let body = v["text"].as_str().unwrap_or("").replace(" .", ".").replace(" ,", ",").replace(" 's", "'s");
        let doc = ClusterDoc {
            id: v["doc_id"].as_str().unwrap_or("").to_string(),
            lang: Some("en".into()),
            title: None,
            text: body,
            date: None,
            entities: Vec::new(),
        };
        let split = if v["split"].as_str() == Some("dev") { &mut dev } else { &mut train };
        split.docs.push(doc);
        split.gold.push(label);
    }
    Ok((train, dev))
}

fn score(split: &Split, params: &ClusterParams) -> ClusterScores {
    let vectors = Featurizer::new(*params).vectors(&split.docs);
    let groups = cluster_vectors(&split.docs, &vectors, params);
    let mut predicted = vec![0usize; split.docs.len()];
    for (g, members) in groups.iter().enumerate() {
        for &m in members {
            predicted[m] = g;
        }
    }
    cluster_scores(&predicted, &split.gold)
}

/// Partition of a split built through the pipeline's incremental story
/// stage and a real (in-memory SQLite) store, `batch` articles at a time in
/// file order; `batch` = the split's size gives one batch.
fn incremental(split: &Split, params: &ClusterParams, batch: usize) -> Result<Vec<usize>> {
    use storyline_store::{Inserted, NewArticle, PipelineStore, Store};
    let mut store = Store::in_memory()?;
    let stage = storyline_pipeline::StoryStage::new(*params);
    let mut ids = Vec::with_capacity(split.docs.len());
    for chunk in split.docs.chunks(batch.max(1)) {
        store.begin()?;
        let articles: Vec<NewArticle> = chunk
            .iter()
            .map(|d| NewArticle {
                source: d.id.clone(),
                external_id: None,
                extraction: storyline_model::Extraction {
                    text: d.text.clone(),
                    lang: d.lang.clone(),
                    ..Default::default()
                },
            })
            .collect();
        let mut fresh = Vec::new();
        for (outcome, doc) in store.put_articles(&articles)?.into_iter().zip(chunk) {
            match outcome {
                Inserted::New(id) => {
                    fresh.push(ClusterDoc { id: id.clone(), ..doc.clone() });
                    ids.push(id);
                }
                Inserted::Duplicate(id) => ids.push(id),
            }
        }
        stage.assign(&mut store, &fresh)?;
        store.commit()?;
    }
    let story_of: std::collections::HashMap<String, String> =
        store.articles()?.into_iter().filter_map(|a| a.story.map(|s| (a.id, s))).collect();
    let mut labels: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    Ok(ids
        .iter()
        .map(|id| {
            let next = labels.len();
            *labels.entry(story_of.get(id).map(String::as_str).unwrap_or(id.as_str())).or_insert(next)
        })
        .collect())
}

/// The first sentence of a document, as a lead-only brief would carry it.
/// Lines that are not prose are skipped first: a URL (ECB+ puts the page's
/// address on the first line of half its documents) and a line of fewer
/// than four words of letters (a date stamp, a byline). The sentence is then
/// the first one the pipeline's sentence splitter finds in the line (it
/// keeps abbreviations such as "Dr." and "U.S." inside).
fn first_sentence(text: &str) -> String {
    let is_prose = |line: &&str| {
        let line = line.trim();
        !line.starts_with("http")
            && line.split_whitespace().filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2).count() >= 4
    };
    let line = text.lines().find(is_prose).or_else(|| text.lines().find(|l| !l.trim().is_empty())).unwrap_or(text);
    let tokens = storyline_ner::tokenize::tokenize(line);
    match storyline_ner::tokenize::sentences(&tokens).first() {
        Some(range) if !range.is_empty() => line
            .chars()
            .skip(tokens[range.start].start)
            .take(tokens[range.end - 1].end - tokens[range.start].start)
            .collect(),
        _ => line.trim().to_string(),
    }
}

/// Partition of a split ingested in one batch through the whole pipeline
/// (extraction, mentions, entity linking, story stage with its default
/// parameters) into an in-memory store: what `storyline ingest` makes of
/// these documents. A document whose text another one repeats is that
/// article (one article, two sources).
fn through_pipeline(ctx: &EvalContext, split: &Split) -> Result<Vec<usize>> {
    use storyline_model::{ContentKind, RawDocument, SourceHints};
    let docs: Vec<RawDocument> = split
        .docs
        .iter()
        .map(|d| RawDocument {
            source: d.id.clone(),
            external_id: None,
            kind: ContentKind::Text,
            bytes: d.text.clone().into_bytes(),
            hints: SourceHints::default(),
        })
        .collect();
    let pipeline = storyline_pipeline::Pipeline::new(ctx.html)?;
    let mut store = storyline_store::Store::in_memory()?;
    pipeline.ingest_batch(&mut store, docs)?;
    let articles = store.articles()?;
    // Every source of an article: a document whose text repeats another's
    // (the content hash folds case and spacing) is one of its sources.
    let mut by_source: std::collections::HashMap<String, &storyline_model::Article> = std::collections::HashMap::new();
    for article in &articles {
        for source in store.sources_of(&article.id)? {
            by_source.insert(source, article);
        }
    }
    let mut labels: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    Ok(split
        .docs
        .iter()
        .map(|d| {
            let article = by_source.get(d.id.as_str());
            let key = article.map_or_else(|| d.id.clone(), |a| a.story.clone().unwrap_or_else(|| a.id.clone()));
            let next = labels.len();
            *labels.entry(key).or_insert(next)
        })
        .collect())
}

fn row(name: &str, s: &ClusterScores) -> String {
    format!(
        "{name:<6} {:>7.4} {:>7.4} {:>7.4}   {:>7.4} {:>7.4} {:>7.4}   {:>7.4} {:>7.4} {:>7.4}",
        s.bcubed.0,
        s.bcubed.1,
        s.bcubed.2,
        s.pairwise.0,
        s.pairwise.1,
        s.pairwise.2,
        s.ceaf_e.0,
        s.ceaf_e.1,
        s.ceaf_e.2
    )
}

/// Runs the suite.
pub fn run(ctx: &EvalContext) -> Result<Report> {
    let (train, dev) = load(ctx)?;
    let base = ClusterParams::default();
    let mut best = (base, score(&train, &base));
    for name_weight in [1.5, 2.0, 3.0] {
        for year_weight in [4.0, 6.0, 9.0] {
            for number_weight in [1.0, 2.0, 3.0, 4.0] {
                let params = ClusterParams { name_weight, year_weight, number_weight, ..base };
                let vectors = Featurizer::new(params).vectors(&train.docs);
                for t in 14..=30 {
                    let threshold = t as f32 * 0.01;
                    // The absorb pass runs last, so cluster once without it
                    // and try each absorb threshold on that result.
                    let unabsorbed = ClusterParams { threshold, absorb_threshold: threshold, ..params };
                    let first = cluster_vectors(&train.docs, &vectors, &unabsorbed);
                    for a in (2..=t).step_by(2) {
                        let params = ClusterParams { absorb_threshold: a as f32 * 0.01, ..unabsorbed };
                        let groups = absorb_small_stories(&train.docs, &vectors, &params, first.clone());
                        let mut predicted = vec![0usize; train.docs.len()];
                        for (g, members) in groups.iter().enumerate() {
                            for &m in members {
                                predicted[m] = g;
                            }
                        }
                        let s = cluster_scores(&predicted, &train.gold);
                        // A tie (within rounding) keeps the setting found first.
                        if s.bcubed.2 > best.1.bcubed.2 + 1e-9 {
                            best = (params, s);
                        }
                    }
                }
            }
        }
    }
    let (params, train_scores) = best;
    let dev_scores = score(&dev, &params);
    let default_dev = score(&dev, &base);
    let mut report = Report::new("stories");
    report.line(format!("ECB+ topics 1-35: train {} documents, dev {} documents", train.docs.len(), dev.docs.len()));
    report.line(format!(
        "tuned on train: threshold {:.2}, absorb threshold {:.2}, name weight {}, year weight {}, number weight {}",
        params.threshold, params.absorb_threshold, params.name_weight, params.year_weight, params.number_weight
    ));
    report.line(format!(
        "{:<6} {:>7} {:>7} {:>7}   {:>7} {:>7} {:>7}   {:>7} {:>7} {:>7}",
        "split", "B3-P", "B3-R", "B3-F1", "pw-P", "pw-R", "pw-F1", "CEAF-P", "CEAF-R", "CEAF-F1"
    ));
    report.line(row("train", &train_scores));
    report.line(row("dev", &dev_scores));
    report.line(format!(
        "dev with the built-in defaults (threshold {:.2}): B3-F1 {:.4}",
        base.threshold, default_dev.bcubed.2
    ));
    report
        .line("reference: TF-IDF average-link B3-F1 0.870 on the standard test topics (not included here)".to_string());
    // The incremental path: the pipeline's story stage through a store.
    report.line("incremental ingest through the store (pipeline story stage), same parameters:".to_string());
    for (name, split) in [("train", &train), ("dev", &dev)] {
        let one_batch = incremental(split, &params, split.docs.len())?;
        let one_by_one = incremental(split, &params, 1)?;
        let batch_scores = cluster_scores(&one_batch, &split.gold);
        let single_scores = cluster_scores(&one_by_one, &split.gold);
        let between = cluster_scores(&one_by_one, &one_batch);
        report.line(row(&format!("{name}-b"), &batch_scores));
        report.line(row(&format!("{name}-1"), &single_scores));
        report.line(format!(
            "{name}: one batch B3-F1 {:.4}, one article at a time {:.4} (difference {:+.4}); B3-F1 between the two partitions {:.4}",
            batch_scores.bcubed.2,
            single_scores.bcubed.2,
            single_scores.bcubed.2 - batch_scores.bcubed.2,
            between.bcubed.2
        ));
        report.metric(&format!("{name}.incremental.bcubed.f1"), single_scores.bcubed.2);
        report.metric(&format!("{name}.batch.bcubed.f1"), batch_scores.bcubed.2);
        report.metric(&format!("{name}.order.bcubed.f1"), between.bcubed.2);
    }
    // Lead-only briefs: each document cut to its first sentence, as a
    // headline or a flash would come, clustered with the same parameters.
    let leads = |split: &Split| Split {
        docs: split.docs.iter().map(|d| ClusterDoc { text: first_sentence(&d.text), ..d.clone() }).collect(),
        gold: split.gold.clone(),
    };
    let (train_leads, dev_leads) = (leads(&train), leads(&dev));
    let (train_lead_scores, dev_lead_scores) = (score(&train_leads, &params), score(&dev_leads, &params));
    report.line(format!(
        "leads (first sentence of each document only): train B3-F1 {:.4}, dev {:.4} (full text: train {:.4}, dev {:.4}; goal on dev >= 0.85)",
        train_lead_scores.bcubed.2, dev_lead_scores.bcubed.2, train_scores.bcubed.2, dev_scores.bcubed.2
    ));
    report.line(row("lead-t", &train_lead_scores));
    report.line(row("lead-d", &dev_lead_scores));
    // The same briefs through `storyline ingest`'s path: names are the
    // linked entities and the parameters the built-in defaults.
    let mut through = Vec::new();
    for (name, split) in [("train", &train_leads), ("dev", &dev_leads)] {
        let predicted = through_pipeline(ctx, split)?;
        if ctx.verbose {
            // Gold and found story of every brief, sorted by gold story, for error analysis.
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../target/leads-pipeline-{name}.tsv"));
            let mut rows: Vec<(usize, usize, &ClusterDoc)> =
                split.gold.iter().zip(&predicted).zip(&split.docs).map(|((g, p), d)| (*g, *p, d)).collect();
            rows.sort_by_key(|(g, p, _)| (*g, *p));
            let lines: Vec<String> = rows
                .iter()
                .map(|(g, p, d)| format!("{g}\t{p}\t{}\t{}", d.id, d.text.replace(['\t', '\n'], " ")))
                .collect();
            std::fs::write(&path, lines.join("\n")).with_context(|| format!("writing {}", path.display()))?;
            report.line(format!("leads with their gold and found stories written to {}", path.display()));
        }
        let scores = cluster_scores(&predicted, &split.gold);
        report.metric(&format!("{name}.leads.pipeline.bcubed.f1"), scores.bcubed.2);
        through.push((name, scores));
    }
    report.line(format!(
        "leads through the whole pipeline (entities linked, built-in parameters, one batch): train B3-F1 {:.4}, dev {:.4}",
        through[0].1.bcubed.2, through[1].1.bcubed.2
    ));
    for (name, scores) in &through {
        report.line(row(&format!("lp-{}", &name[..1]), scores));
    }
    report.metric("train.leads.bcubed.f1", train_lead_scores.bcubed.2);
    report.metric("dev.leads.bcubed.f1", dev_lead_scores.bcubed.2);
    report.metric("dev.bcubed.f1", dev_scores.bcubed.2);
    report.metric("dev.pairwise.f1", dev_scores.pairwise.2);
    report.metric("dev.ceaf_e.f1", dev_scores.ceaf_e.2);
    report.metric("train.bcubed.f1", train_scores.bcubed.2);
    Ok(report)
}
