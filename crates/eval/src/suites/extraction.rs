//! `eval extraction`: body extraction on the Scrapinghub article-extraction
//! benchmark (181 pages), scored with its shingle F1.

use anyhow::{Context, Result};
use rayon::prelude::*;
use storyline_extract::Extractor;

use super::html_doc;
use crate::metrics::{shingle_counts, shingle_scores, word_tokens};
use crate::{dataset, read_json, read_maybe_gz, EvalContext, Report};

/// Runs the suite.
pub fn run(ctx: &EvalContext) -> Result<Report> {
    let dir = dataset(ctx, "scrapinghub-article-extraction-benchmark")?;
    let truth = read_json(&dir.join("ground-truth.json"))?;
    let truth = truth.as_object().context("ground-truth.json is not an object")?;
    let extractor = Extractor::new(ctx.html);
    let mut ids: Vec<&String> = truth.keys().collect();
    ids.sort();
    let results: Vec<(String, crate::metrics::Counts, bool)> = ids
        .par_iter()
        .map(|id| {
            let gold = truth[*id]["articleBody"].as_str().unwrap_or("");
            let url = truth[*id]["url"].as_str();
            let bytes = read_maybe_gz(&dir.join("html").join(format!("{id}.html.gz")))?;
            let predicted = extractor.extract(&html_doc(id, bytes, url)).map(|e| e.text).unwrap_or_default();
            let exact = word_tokens(gold) == word_tokens(&predicted);
            Ok(((*id).clone(), shingle_counts(gold, &predicted), exact))
        })
        .collect::<Result<_>>()?;
    let counts: Vec<_> = results.iter().map(|r| r.1).collect();
    let (p, r, f) = shingle_scores(&counts);
    let accuracy = results.iter().filter(|r| r.2).count() as f64 / results.len().max(1) as f64;
    let mut report = Report::new("extraction");
    report.line(format!(
        "engine: {:?}, fallback {}, focus {:?}; pages: {}",
        ctx.html.engine,
        ctx.html.fallback,
        ctx.html.focus,
        results.len()
    ));
    report.line(format!("{:<12} {:>9} {:>9} {:>9} {:>9}", "suite", "precision", "recall", "f1", "accuracy"));
    report.line(format!("{:<12} {p:>9.4} {r:>9.4} {f:>9.4} {accuracy:>9.4}", "extraction"));
    if ctx.verbose {
        let mut worst: Vec<_> = results.iter().map(|(id, c, _)| (c.tp, id)).collect();
        worst.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (tp, id) in worst.iter().take(15) {
            report.line(format!("  low: {id} tp-share {tp:.3}"));
        }
    }
    report.metric("precision", p);
    report.metric("recall", r);
    report.metric("f1", f);
    report.metric("accuracy", accuracy);
    Ok(report)
}
