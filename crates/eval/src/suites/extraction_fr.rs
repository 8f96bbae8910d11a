//! `eval extraction-fr`: the trafilatura evaluation corpus (990 pages,
//! must-include and must-exclude segments), overall and for French pages,
//! with title, author and date accuracy.

use anyhow::{Context, Result};
use rayon::prelude::*;
use storyline_extract::Extractor;

use super::html_doc;
use crate::metrics::{segment_counts, Counts};
use crate::{dataset, read_json, read_maybe_gz, EvalContext, Report};

struct PageResult {
    counts: Counts,
    french: bool,
    dev: bool,
    title: Option<bool>,
    author: Option<bool>,
    date: Option<bool>,
}

fn strings(value: &serde_json::Value) -> Vec<String> {
    value.as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

/// Same text once case, white space, soft hyphens and typographic quotes
/// and dashes are folded.
fn same_text(a: &str, b: &str) -> bool {
    storyline_extract::html::title_key(a) == storyline_extract::html::title_key(b)
}

/// Which pages a subset line of the report covers.
type PageFilter = fn(&PageResult) -> bool;

/// The corpus has no split of its own; a page belongs to the dev half (where
/// rules and word lists may be tuned) when the FNV-1a hash of its file name
/// is even, else to the test half (reported, never tuned on).
fn is_dev_page(file: &str) -> bool {
    let hash = file.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    hash % 2 == 0
}

/// Runs the suite.
pub fn run(ctx: &EvalContext) -> Result<Report> {
    let dir = dataset(ctx, "trafilatura-eval")?;
    let gold = read_json(&dir.join("evaldata.json"))?;
    let gold = gold.as_object().context("evaldata.json is not an object")?;
    let langs = read_json(&dir.join("languages_guess.json")).unwrap_or_default();
    let extractor = Extractor::new(ctx.html);
    let mut urls: Vec<&String> = gold.keys().collect();
    urls.sort();
    let results: Vec<PageResult> = urls
        .par_iter()
        .map(|url| {
            let item = &gold[*url];
            let file = item["file"].as_str().context("item without file")?;
            let bytes = read_maybe_gz(&dir.join("html").join(format!("{file}.gz")))?;
            let extraction = extractor.extract(&html_doc(file, bytes, Some(url))).ok();
            let text = extraction.as_ref().map(|e| e.text.as_str()).unwrap_or("");
            let counts = segment_counts(text, &strings(&item["with"]), &strings(&item["without"]));
            // Errors are shown for dev pages only: the test half is for reporting.
            if ctx.verbose && is_dev_page(file) {
                let squashed = crate::metrics::squash_spaces(text);
                for seg in strings(&item["without"]) {
                    if squashed.contains(&crate::metrics::squash_spaces(&seg)) {
                        eprintln!("  included {file}: {seg:?}");
                    }
                }
                for seg in strings(&item["with"]) {
                    if !squashed.contains(&crate::metrics::squash_spaces(&seg)) {
                        eprintln!("  missing {file}: {seg:?}");
                    }
                }
            }
            let gold_field = |key: &str| item[key].as_str().filter(|s| !s.trim().is_empty());
            let title = gold_field("title")
                .map(|g| extraction.as_ref().and_then(|e| e.title.as_deref()).is_some_and(|t| same_text(t, g)));
            let author = gold_field("author")
                .map(|g| extraction.as_ref().and_then(|e| e.author.as_deref()).is_some_and(|a| same_text(a, g)));
            let date = gold_field("date")
                .map(|g| extraction.as_ref().and_then(|e| e.published).map(|d| d.to_string()).as_deref() == Some(g));
            if ctx.verbose && is_dev_page(file) {
                for (name, found, gold, ok) in [
                    ("title", extraction.as_ref().and_then(|e| e.title.clone()), gold_field("title"), title),
                    ("author", extraction.as_ref().and_then(|e| e.author.clone()), gold_field("author"), author),
                ] {
                    if ok == Some(false) {
                        eprintln!("  {name} {file}: found {found:?}, expected {gold:?}");
                    }
                }
            }
            let french = langs[file].as_str() == Some("fr");
            Ok(PageResult { counts, french, dev: is_dev_page(file), title, author, date })
        })
        .collect::<Result<_>>()?;

    let mut report = Report::new("extraction-fr");
    report.line(format!("engine: {:?}, fallback {}, focus {:?}", ctx.html.engine, ctx.html.fallback, ctx.html.focus));
    report.line(format!(
        "{:<10} {:>6} {:>9} {:>9} {:>9} {:>9}",
        "subset", "pages", "precision", "recall", "f1", "accuracy"
    ));
    let subsets: [(&str, PageFilter); 4] =
        [("all", |_| true), ("french", |r| r.french), ("dev", |r| r.dev), ("test", |r| !r.dev)];
    for (name, keep) in subsets {
        let mut total = Counts::default();
        let mut pages = 0;
        for r in results.iter().filter(|r| keep(r)) {
            total.add(r.counts);
            pages += 1;
        }
        report.line(format!(
            "{name:<10} {pages:>6} {:>9.4} {:>9.4} {:>9.4} {:>9.4}",
            total.precision(),
            total.recall(),
            total.f1(),
            total.accuracy()
        ));
        report.metric(&format!("{name}.f1"), total.f1());
        report.metric(&format!("{name}.precision"), total.precision());
        report.metric(&format!("{name}.recall"), total.recall());
    }
    for (name, pick) in [
        ("title", (|r: &PageResult| r.title) as fn(&PageResult) -> Option<bool>),
        ("author", |r: &PageResult| r.author),
        ("date", |r: &PageResult| r.date),
    ] {
        let judged: Vec<bool> = results.iter().filter_map(pick).collect();
        let accuracy = judged.iter().filter(|b| **b).count() as f64 / judged.len().max(1) as f64;
        report.line(format!("{name:<10} accuracy {accuracy:.4} over {} pages with gold", judged.len()));
        report.metric(&format!("{name}.accuracy"), accuracy);
    }
    Ok(report)
}
