//! `eval dates`: publication dates on the htmldate evaluation corpus
//! (800 BBAW pages + 200 Media Cloud news pages), scored as htmldate does:
//! precision = correct / returned, recall = correct / (correct + missed),
//! F1 of the two, accuracy = correct / all.

use anyhow::{Context, Result};
use rayon::prelude::*;
use storyline_extract::decode::decode;
use storyline_extract::html::publication_date;

use crate::metrics::Counts;
use crate::{dataset, read_json, read_maybe_gz, EvalContext, Report};

/// Runs the suite.
pub fn run(ctx: &EvalContext) -> Result<Report> {
    let dir = dataset(ctx, "htmldate-eval")?;
    let mut report = Report::new("dates");
    report
        .line(format!("{:<12} {:>6} {:>9} {:>9} {:>9} {:>9}", "set", "pages", "precision", "recall", "f1", "accuracy"));
    let mut total = Counts::default();
    for (name, file) in [("default", "eval_default.json"), ("mediacloud", "eval_mediacloud_2020.json")] {
        let gold = read_json(&dir.join(file))?;
        let gold = gold.as_object().context("gold is not an object")?;
        let mut items: Vec<(&String, &serde_json::Value)> = gold.iter().collect();
        items.sort_by_key(|(url, _)| *url);
        let counts: Vec<Counts> = items
            .par_iter()
            .map(|(url, item)| {
                let file = item["file"].as_str().context("item without file")?;
                let expected = item["date"].as_str().filter(|d| !d.is_empty());
                let bytes = read_maybe_gz(&dir.join("html").join(format!("{file}.gz")))?;
                let found = decode(&bytes, None, true).ok().and_then(|html| publication_date(&html, Some(url)));
                let found = found.map(|(d, _)| d.to_string());
                let mut c = Counts::default();
                match (found.as_deref(), expected) {
                    (None, None) => c.tn = 1.0,
                    (None, Some(_)) => c.fn_ = 1.0,
                    (Some(f), Some(e)) if f == e => c.tp = 1.0,
                    (Some(_), _) => c.fp = 1.0,
                }
                if ctx.verbose && c.tp == 0.0 {
                    eprintln!("  miss {file}: found {found:?}, expected {expected:?}");
                }
                Ok(c)
            })
            .collect::<Result<_>>()?;
        let mut set = Counts::default();
        counts.iter().for_each(|c| set.add(*c));
        total.add(set);
        report.line(format!(
            "{name:<12} {:>6} {:>9.4} {:>9.4} {:>9.4} {:>9.4}",
            counts.len(),
            set.precision(),
            set.recall(),
            set.f1(),
            set.accuracy()
        ));
    }
    report.line(format!(
        "{:<12} {:>6} {:>9.4} {:>9.4} {:>9.4} {:>9.4}",
        "all",
        (total.tp + total.fp + total.fn_ + total.tn) as u64,
        total.precision(),
        total.recall(),
        total.f1(),
        total.accuracy()
    ));
    report.metric("precision", total.precision());
    report.metric("recall", total.recall());
    report.metric("f1", total.f1());
    report.metric("accuracy", total.accuracy());
    Ok(report)
}
