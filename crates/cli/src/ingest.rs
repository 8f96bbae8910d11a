//! `storyline ingest` and `storyline extract`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde_json::json;
use storyline_extract::{BatchLines, Extractor, HtmlOptions};
use storyline_model::{ContentKind, RawDocument};
use storyline_sources::{expand_inputs, read_file, SourceError, SourceOptions};
use storyline_store::{Inserted, NewArticle, Store};

/// Documents extracted and written together: one store transaction, and
/// the "batch" whose repeated short lines count as site furniture.
const CHUNK: usize = 256;

/// What an ingest run did.
#[derive(Debug, Default)]
pub struct Summary {
    /// Files read.
    pub files: usize,
    /// Documents found in them.
    pub documents: usize,
    /// Newly stored articles.
    pub stored: usize,
    /// Documents whose content was already stored.
    pub duplicates: usize,
    /// Failures, in order.
    pub failed: Vec<SourceError>,
    /// Seconds spent.
    pub seconds: f64,
}

impl Summary {
    /// Prints the end-of-run summary to stderr (failures were printed as they happened).
    pub fn print(&self, db: &Path, total: u64, stories: usize) {
        eprintln!(
            "read {} document(s) from {} file(s) in {:.1} s: {} stored, {} already stored (skipped), {} failed",
            self.documents,
            self.files,
            self.seconds,
            self.stored,
            self.duplicates,
            self.failed.len()
        );
        if !self.failed.is_empty() {
            let mut by_reason: BTreeMap<String, usize> = BTreeMap::new();
            for f in &self.failed {
                let key = f.reason.split(" (").next().unwrap_or(&f.reason).to_string();
                *by_reason.entry(key).or_default() += 1;
            }
            eprintln!("failures by reason:");
            for (reason, count) in by_reason {
                eprintln!("  {count:>6}  {reason}");
            }
        }
        eprintln!("store {}: {total} article(s) in {stories} story(ies)", db.display());
    }
}

/// Reads every input into the store.
pub fn ingest(
    store: &mut Store,
    inputs: &[PathBuf],
    options: &SourceOptions,
    html: HtmlOptions,
    quiet: bool,
) -> Result<Summary> {
    let started = Instant::now();
    let extractor = Extractor::new(html);
    let (files, missing) = expand_inputs(inputs);
    let progress = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(Some(files.len() as u64), ProgressDrawTarget::stderr())
    };
    progress.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} files, {msg} ({eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut summary = Summary { files: files.len(), ..Summary::default() };
    let report = |summary: &mut Summary, progress: &ProgressBar, error: SourceError| {
        progress.suspend(|| eprintln!("error: {error}"));
        summary.failed.push(error);
    };
    for error in missing {
        report(&mut summary, &progress, error);
    }
    let mut chunk: Vec<RawDocument> = Vec::with_capacity(CHUNK);
    let mut fatal: Option<anyhow::Error> = None;
    for file in &files {
        read_file(file, options, &mut |item| {
            if fatal.is_some() {
                return;
            }
            match item {
                Ok(doc) => {
                    summary.documents += 1;
                    chunk.push(doc);
                    if chunk.len() >= CHUNK {
                        if let Err(err) = process_chunk(&mut chunk, &extractor, store, &mut summary, &progress) {
                            fatal = Some(err);
                        }
                    }
                }
                Err(error) => report(&mut summary, &progress, error),
            }
        });
        if let Some(err) = fatal.take() {
            progress.finish_and_clear();
            return Err(
                err.context("writing to the store failed; everything before this batch is stored, re-run to complete")
            );
        }
        progress.inc(1);
        progress.set_message(format!("{} stored, {} failed", summary.stored, summary.failed.len()));
    }
    process_chunk(&mut chunk, &extractor, store, &mut summary, &progress)?;
    progress.finish_and_clear();
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Extracts a chunk in parallel and stores it in one transaction.
fn process_chunk(
    chunk: &mut Vec<RawDocument>,
    extractor: &Extractor,
    store: &mut Store,
    summary: &mut Summary,
    progress: &ProgressBar,
) -> Result<()> {
    if chunk.is_empty() {
        return Ok(());
    }
    let decoded: Vec<_> = chunk.par_iter().map(|doc| extractor.decode(doc)).collect();
    let batch = BatchLines::from_texts(
        chunk
            .iter()
            .zip(&decoded)
            .filter(|(d, _)| d.kind == ContentKind::Text)
            .filter_map(|(_, r)| r.as_ref().ok())
            .map(|d| d.content.as_str()),
    );
    let results: Vec<_> = chunk
        .par_iter()
        .zip(decoded.par_iter())
        .map(|(doc, dec)| match dec {
            Ok(d) => extractor.extract_decoded(doc, d, &batch),
            Err(e) => Err(e.clone()),
        })
        .collect();
    let mut new = Vec::new();
    for (doc, result) in chunk.drain(..).zip(results) {
        match result {
            Ok(extraction) => new.push(NewArticle { source: doc.source, external_id: doc.external_id, extraction }),
            Err(err) => {
                let error = SourceError { source: doc.source, reason: err.to_string() };
                progress.suspend(|| eprintln!("error: {error}"));
                summary.failed.push(error);
            }
        }
    }
    for outcome in store.insert_batch(&new)? {
        match outcome {
            Inserted::New(_) => summary.stored += 1,
            Inserted::Duplicate(_) => summary.duplicates += 1,
        }
    }
    Ok(())
}

/// `storyline extract FILE`: prints the extraction of each document in the
/// file as JSON (one object, or an array when the file holds several).
pub fn extract_command(file: &Path, html: HtmlOptions, explain: bool) -> Result<ExitCode> {
    let extractor = Extractor::new(html);
    let mut docs = Vec::new();
    let mut failed = false;
    read_file(file, &SourceOptions::default(), &mut |item| match item {
        Ok(doc) => docs.push(doc),
        Err(err) => {
            eprintln!("error: {err}");
            failed = true;
        }
    });
    let mut outputs = Vec::new();
    for doc in &docs {
        let decoded = match extractor.decode(doc) {
            Ok(d) => d,
            Err(err) => {
                eprintln!("error: {}: {err}", doc.source);
                failed = true;
                continue;
            }
        };
        match extractor.extract_decoded(doc, &decoded, &BatchLines::default()) {
            Ok(extraction) => {
                let mut value = serde_json::to_value(&extraction)?;
                value["source"] = json!(doc.source);
                value["mentions"] = serde_json::to_value(
                    storyline_ner::Recognizer::shared().mentions(&extraction.text, extraction.lang.as_deref()),
                )?;
                if let Some(id) = &doc.external_id {
                    value["external_id"] = json!(id);
                }
                if explain && doc.kind == ContentKind::Text {
                    let clean =
                        extractor.cleaner().clean(&decoded.content, extraction.lang.as_deref(), &BatchLines::default());
                    value["lines"] = clean
                        .lines
                        .iter()
                        .map(|l| json!({"role": l.role.name(), "kept": l.role.is_kept(), "doubtful": l.doubtful, "text": l.text}))
                        .collect();
                }
                outputs.push(value);
            }
            Err(err) => {
                eprintln!("error: {}: {err}", doc.source);
                failed = true;
            }
        }
    }
    let out = if outputs.len() == 1 { outputs.pop().unwrap() } else { serde_json::Value::Array(outputs) };
    if !docs.is_empty() {
        println!("{}", serde_json::to_string_pretty(&out)?);
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
