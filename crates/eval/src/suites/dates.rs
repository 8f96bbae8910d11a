//! `eval dates`: publication dates on the htmldate evaluation corpus
//! (800 BBAW pages + 200 Media Cloud news pages), scored as htmldate does:
//! precision = correct / returned, recall = correct / (correct + missed),
//! F1 of the two, accuracy = correct / all. htmldate itself (Python,
//! extensive and fast modes) is scored beside storyline in the same run
//! when it can be installed (see `crate::htmldate`).

use anyhow::{Context, Result};
use rayon::prelude::*;
use storyline_extract::decode::decode;
use storyline_extract::html::publication_date;

use crate::metrics::Counts;
use crate::{dataset, read_json, read_maybe_gz, EvalContext, Report};

/// One page of the corpus.
struct Page {
    set: &'static str,
    url: String,
    file: String,
    expected: Option<String>,
}

/// A page's outcome, as htmldate's evaluation counts it.
fn count(found: Option<&str>, expected: Option<&str>) -> Counts {
    let mut c = Counts::default();
    match (found, expected) {
        (None, None) => c.tn = 1.0,
        (None, Some(_)) => c.fn_ = 1.0,
        (Some(f), Some(e)) if f == e => c.tp = 1.0,
        (Some(_), _) => c.fp = 1.0,
    }
    c
}

fn row(report: &mut Report, set: &str, system: &str, pages: usize, c: &Counts) {
    report.line(format!(
        "{set:<12} {system:<27} {pages:>6} {:>9.4} {:>9.4} {:>9.4} {:>9.4}",
        c.precision(),
        c.recall(),
        c.f1(),
        c.accuracy()
    ));
}

/// Scores one system's dates per set and over all pages; returns the total.
fn score(report: &mut Report, system: &str, pages: &[Page], found: &[Option<String>]) -> Counts {
    let mut total = Counts::default();
    for set in ["default", "mediacloud"] {
        let mut counts = Counts::default();
        let mut n = 0;
        for (page, found) in pages.iter().zip(found).filter(|(p, _)| p.set == set) {
            counts.add(count(found.as_deref(), page.expected.as_deref()));
            n += 1;
        }
        total.add(counts);
        row(report, set, system, n, &counts);
    }
    row(report, "all", system, pages.len(), &total);
    total
}

/// Runs the suite.
pub fn run(ctx: &EvalContext) -> Result<Report> {
    let dir = dataset(ctx, "htmldate-eval")?;
    let mut report = Report::new("dates");
    let mut pages: Vec<Page> = Vec::new();
    for (set, file) in [("default", "eval_default.json"), ("mediacloud", "eval_mediacloud_2020.json")] {
        let gold = read_json(&dir.join(file))?;
        let gold = gold.as_object().context("gold is not an object")?;
        let mut items: Vec<(&String, &serde_json::Value)> = gold.iter().collect();
        items.sort_by_key(|(url, _)| *url);
        for (url, item) in items {
            pages.push(Page {
                set,
                url: url.clone(),
                file: item["file"].as_str().context("item without file")?.to_string(),
                expected: item["date"].as_str().filter(|d| !d.is_empty()).map(str::to_string),
            });
        }
    }
    let path = |p: &Page| dir.join("html").join(format!("{}.gz", p.file));
    let ours: Vec<Option<String>> = pages
        .par_iter()
        .map(|p| {
            let bytes = read_maybe_gz(&path(p))?;
            let dated = decode(&bytes, None, true).ok().and_then(|html| publication_date(&html, Some(&p.url)));
            let found = dated.as_ref().map(|(d, _)| d.to_string());
            if ctx.verbose && found != p.expected {
                let evidence = dated.map(|(_, e)| format!(" from {e:?}")).unwrap_or_default();
                eprintln!("  miss {}: found {found:?}{evidence}, expected {:?}", p.file, p.expected);
            }
            Ok(found)
        })
        .collect::<Result<_>>()?;
    report.line(format!(
        "{:<12} {:<27} {:>6} {:>9} {:>9} {:>9} {:>9}",
        "set", "system", "pages", "precision", "recall", "f1", "accuracy"
    ));
    let total = score(&mut report, "storyline", &pages, &ours);
    report.metric("precision", total.precision());
    report.metric("recall", total.recall());
    report.metric("f1", total.f1());
    report.metric("accuracy", total.accuracy());
    let inputs: Vec<(Option<String>, std::path::PathBuf)> =
        pages.iter().map(|p| (Some(p.url.clone()), path(p))).collect();
    match crate::htmldate::htmldate_dates(&inputs, &std::env::temp_dir()) {
        Ok(h) => {
            let (extensive, fast): (Vec<Option<String>>, Vec<Option<String>>) = h.dates.into_iter().unzip();
            let total = score(&mut report, &format!("htmldate {} extensive", h.version), &pages, &extensive);
            report.metric("htmldate.f1", total.f1());
            let total = score(&mut report, &format!("htmldate {} fast", h.version), &pages, &fast);
            report.metric("htmldate.fast.f1", total.f1());
            if ctx.verbose {
                // Where the two disagree and one of them is right.
                for ((p, o), x) in pages.iter().zip(&ours).zip(&extensive) {
                    if o != x && (*o == p.expected || *x == p.expected) {
                        let right = if *o == p.expected { "storyline" } else { "htmldate" };
                        eprintln!(
                            "  {right} right on {}: storyline {o:?}, htmldate {x:?}, expected {:?}",
                            p.file, p.expected
                        );
                    }
                }
            }
        }
        Err(e) => report.line(format!("htmldate not run: {e:#}")),
    }
    Ok(report)
}
