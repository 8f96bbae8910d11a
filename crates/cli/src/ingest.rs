//! `storyline ingest` and `storyline extract`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use storyline_pipeline::{HtmlOptions, Pipeline, Progress, Summary};
use storyline_sources::{SourceError, SourceOptions};
use storyline_store::PipelineStore;

/// Prints the end-of-run summary to stderr (failures were printed as they happened).
pub fn print_summary(summary: &Summary, db: &str, total: u64, stories: u64) {
    if summary.reindexed > 0 {
        eprintln!(
            "the store was written by an older storyline: its {} article(s) were indexed for incremental ingest first",
            summary.reindexed
        );
    }
    if summary.quotes_backfilled > 0 {
        eprintln!("{} article(s) stored by an older storyline were read for quotes first", summary.quotes_backfilled);
    }
    if summary.events_backfilled > 0 {
        eprintln!("{} article(s) stored by an older storyline were coded for events first", summary.events_backfilled);
    }
    let memory = storyline_pipeline::peak_memory_mb().map(|mb| format!(", peak memory {mb:.0} MB")).unwrap_or_default();
    eprintln!(
        "read {} document(s) from {} file(s) in {:.1} s: {} stored, {} already stored (skipped), {} failed; \
         {} attribution(s) found, {} event(s) coded{memory}",
        summary.documents,
        summary.files,
        summary.seconds,
        summary.stored,
        summary.duplicates,
        summary.failed.len(),
        summary.quotes,
        summary.events
    );
    if !summary.failed.is_empty() {
        let mut by_reason: BTreeMap<String, usize> = BTreeMap::new();
        for f in &summary.failed {
            let key = f.reason.split(" (").next().unwrap_or(&f.reason).to_string();
            *by_reason.entry(key).or_default() += 1;
        }
        eprintln!("failures by reason:");
        for (reason, count) in by_reason {
            eprintln!("  {count:>6}  {reason}");
        }
    }
    eprintln!(
        "store {}: {total} article(s) in {stories} story(ies); this run changed {} story(ies), merged {}",
        db, summary.stories_changed, summary.stories_merged
    );
}

/// A progress bar over files; failures are printed above it as they happen.
struct Bar(ProgressBar);

impl Progress for Bar {
    fn failed(&mut self, error: &SourceError) {
        self.0.suspend(|| eprintln!("error: {error}"));
    }

    fn file_done(&mut self, summary: &Summary) {
        self.0.inc(1);
        self.0.set_message(format!("{} stored, {} failed", summary.stored, summary.failed.len()));
    }
}

/// Reads every input into the store through the pipeline.
pub fn ingest(
    store: &mut impl PipelineStore,
    inputs: &[PathBuf],
    options: &SourceOptions,
    html: HtmlOptions,
    budget: Option<std::time::Duration>,
    quiet: bool,
) -> Result<Summary> {
    let pipeline = Pipeline::new(html)?.with_time_budget(budget);
    let (files, _) = storyline_sources::expand_inputs(inputs);
    let bar = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(Some(files.len() as u64), ProgressDrawTarget::stderr())
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} files, {msg} ({eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut progress = Bar(bar);
    let summary = pipeline.ingest_paths(store, inputs, options, &mut progress);
    progress.0.finish_and_clear();
    summary
}

/// `storyline extract FILE`: prints the extraction of each document in the
/// file as JSON (one object, or an array when the file holds several).
/// `storyline analyze`: reads the input, prints one JSON line per document;
/// a bad line is reported and the others go on (exit 1 if any failed).
pub fn analyze_command(file: &Path) -> Result<ExitCode> {
    let (input, name) = if file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).context("reading standard input")?;
        (text, "-".to_string())
    } else {
        let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        let text = String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("{}: not UTF-8 text", file.display()))?;
        (text, file.display().to_string())
    };
    let mut failed = false;
    let mut out = std::io::stdout().lock();
    for doc in storyline_pipeline::standalone::read_input(&input, &name) {
        match doc {
            Ok(doc) => writeln!(out, "{}", storyline_pipeline::standalone::analyze_document(&doc))?,
            Err(err) => {
                eprintln!("error: {err}");
                failed = true;
            }
        }
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

pub fn extract_command(file: &Path, html: HtmlOptions, explain: bool) -> Result<ExitCode> {
    let found = storyline_pipeline::standalone::extract_file(file, html, explain);
    for err in &found.errors {
        eprintln!("error: {err}");
    }
    let mut outputs = found.outputs;
    let out = if outputs.len() == 1 { outputs.pop().unwrap() } else { serde_json::Value::Array(outputs) };
    if found.documents > 0 {
        // writeln, not println: a closed pipe is an error to end on, not a panic.
        writeln!(std::io::stdout().lock(), "{}", serde_json::to_string_pretty(&out)?)?;
    }
    Ok(if found.errors.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
