//! `eval extraction-wcxb`: body, title, author and date extraction on the
//! WCXB development split's article pages (`wcxb-dev`: 711 pages from
//! about 700 domains), with the benchmark's own metric: word F1 per page
//! (`\w+` tokens of the lowercased text as multisets; an empty gold body
//! scores 1 only when the extraction is empty too), averaged over pages.
//!
//! Scored side by side in the same run: storyline (its extraction with its
//! own layers), the plain `trafilatura` crate it builds on (the crate's
//! default options), `rs-trafilatura` when this build has it (`--features
//! compare-extractors`) and Python trafilatura when the bench virtualenv
//! exists (`target/bench-venv`, made by `storyline bench extract`); dates
//! also beside htmldate (Python, installed on first use).
//! Titles and dates compare folded; authors as sets of names (the
//! separator between several authors is a convention, not a name).

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};
use rayon::prelude::*;
use storyline_extract::{Extractor, HtmlEngine, HtmlOptions};

use super::html_doc;
use crate::{dataset, read_json, read_maybe_gz, EvalContext, Report};

/// One page's gold.
struct Page {
    id: String,
    url: Option<String>,
    html: Vec<u8>,
    body: String,
    title: Option<String>,
    author: Option<String>,
    date: Option<String>,
}

/// What one extractor gives for a page.
#[derive(Default, Clone)]
struct Output {
    text: String,
    title: Option<String>,
    author: Option<String>,
    date: Option<String>,
}

/// WCXB's tokens: `\w+` of the lowercased text, as a multiset.
fn tokens(text: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    let lower = text.to_lowercase();
    let mut word = String::new();
    for c in lower.chars().chain(std::iter::once(' ')) {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else if !word.is_empty() {
            *counts.entry(std::mem::take(&mut word)).or_insert(0) += 1;
        }
    }
    counts
}

/// WCXB's per-page word F1.
fn word_f1(gold: &str, predicted: &str) -> f64 {
    let (g, p) = (tokens(gold), tokens(predicted));
    if g.is_empty() {
        return if p.is_empty() { 1.0 } else { 0.0 };
    }
    let shared: usize = g.iter().map(|(w, n)| (*n).min(p.get(w).copied().unwrap_or(0))).sum();
    let (gn, pn) = (g.values().sum::<usize>(), p.values().sum::<usize>());
    if shared == 0 || pn == 0 {
        return 0.0;
    }
    let (precision, recall) = (shared as f64 / pn as f64, shared as f64 / gn as f64);
    2.0 * precision * recall / (precision + recall)
}

fn normalize(text: &str) -> String {
    storyline_nlp::fold::fold(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Several authors as a set: the separator ("; ", ", ", " and ") is a
/// convention of the writer, not part of the names.
fn author_set(text: &str) -> Vec<String> {
    let folded = normalize(text).replace(" and ", ";").replace(" et ", ";").replace(" & ", ";");
    let mut names: Vec<String> = folded
        .split([';', ','])
        .map(|n| n.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
        .filter(|n| !n.is_empty())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Share of the pages whose gold gives the field where the extraction gives
/// it equal (case, accents and spaces folded; dates by their day).
fn field_accuracy(
    pages: &[Page],
    outputs: &[Output],
    field: fn(&Output) -> Option<&str>,
    gold: fn(&Page) -> Option<&str>,
    same: fn(&str, &str) -> bool,
) -> (f64, usize) {
    let mut right = 0;
    let mut total = 0;
    for (page, out) in pages.iter().zip(outputs) {
        let Some(g) = gold(page).filter(|g| !g.trim().is_empty()) else { continue };
        total += 1;
        if field(out).is_some_and(|o| same(o, g)) {
            right += 1;
        }
    }
    (right as f64 / total.max(1) as f64, total)
}

fn read_pages(dir: &Path) -> Result<Vec<Page>> {
    let mut ids: Vec<String> = std::fs::read_dir(dir.join("ground-truth"))
        .with_context(|| format!("reading {}", dir.join("ground-truth").display()))?
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".json")).map(str::to_string))
        .collect();
    ids.sort();
    ids.into_par_iter()
        .map(|id| {
            let truth = read_json(&dir.join("ground-truth").join(format!("{id}.json")))?;
            let g = &truth["ground_truth"];
            let text = |k: &str| g[k].as_str().map(str::to_string).filter(|s| !s.trim().is_empty());
            Ok(Page {
                url: truth["url"].as_str().map(str::to_string),
                html: read_maybe_gz(&dir.join("html").join(format!("{id}.html.gz")))?,
                body: g["main_content"].as_str().unwrap_or("").to_string(),
                title: text("title"),
                author: text("author"),
                date: text("publish_date").map(|d| d.chars().take(10).collect()),
                id,
            })
        })
        .collect()
}

fn with_extractor(pages: &[Page], options: HtmlOptions) -> Vec<Output> {
    let extractor = Extractor::new(options);
    pages
        .par_iter()
        .map(|p| match extractor.extract(&html_doc(&p.id, p.html.clone(), p.url.as_deref())) {
            Ok(e) => {
                Output { text: e.text, title: e.title, author: e.author, date: e.published.map(|d| d.to_string()) }
            }
            Err(_) => Output::default(),
        })
        .collect()
}

/// The `trafilatura` crate alone, with its default options.
fn with_plain_trafilatura(pages: &[Page]) -> Vec<Output> {
    pages
        .par_iter()
        .map(|p| {
            let Ok(html) = storyline_extract::decode::decode(&p.html, None, true) else { return Output::default() };
            let mut options = trafilatura::Options::default();
            if let Some(url) = p.url.as_deref().and_then(|u| u.parse().ok()) {
                options = options.with_url(url);
            }
            match trafilatura::extract(&html, &options) {
                Ok(r) => {
                    let some = |s: String| Some(s).filter(|s| !s.trim().is_empty());
                    Output {
                        text: r.content_text,
                        title: some(r.metadata.title),
                        author: some(r.metadata.author),
                        date: r.metadata.date.map(|d| d.to_string()),
                    }
                }
                Err(_) => Output::default(),
            }
        })
        .collect()
}

/// Python trafilatura through the bench virtualenv, when it exists.
fn with_python(dir: &Path, pages: &[Page]) -> Result<Option<(String, Vec<Output>)>> {
    let venv = std::env::var_os("STORYLINE_BENCH_VENV")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from("target/bench-venv"));
    let python = venv.join("bin/python");
    if !python.exists() {
        return Ok(None);
    }
    let version = Command::new(&python).args(["-c", "import trafilatura; print(trafilatura.__version__)"]).output()?;
    if !version.status.success() {
        return Ok(None);
    }
    let script = std::env::temp_dir().join("storyline_wcxb_trafilatura.py");
    std::fs::write(&script, include_str!("../../python/wcxb_trafilatura.py"))?;
    let out =
        Command::new(&python).arg(&script).arg(dir.join("html")).output().context("running Python trafilatura")?;
    let mut by_id: HashMap<String, Output> = HashMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        let s = |k: &str| v[k].as_str().map(str::to_string).filter(|s| !s.trim().is_empty());
        by_id.insert(
            s("id").unwrap_or_default(),
            Output { text: s("text").unwrap_or_default(), title: s("title"), author: s("author"), date: s("date") },
        );
    }
    let outputs = pages.iter().map(|p| by_id.remove(&p.id).unwrap_or_default()).collect();
    Ok(Some((String::from_utf8_lossy(&version.stdout).trim().to_string(), outputs)))
}

fn score(report: &mut Report, key: &str, name: &str, pages: &[Page], outputs: &[Output]) {
    let f1: f64 =
        pages.iter().zip(outputs).map(|(p, o)| word_f1(&p.body, &o.text)).sum::<f64>() / pages.len().max(1) as f64;
    let equal = |a: &str, b: &str| normalize(a) == normalize(b);
    let (title, nt) = field_accuracy(pages, outputs, |o| o.title.as_deref(), |p| p.title.as_deref(), equal);
    let authors = |a: &str, b: &str| author_set(a) == author_set(b);
    let (author, na) = field_accuracy(pages, outputs, |o| o.author.as_deref(), |p| p.author.as_deref(), authors);
    let (date, nd) = field_accuracy(pages, outputs, |o| o.date.as_deref(), |p| p.date.as_deref(), equal);
    report.line(format!("{name:<30} {f1:>8.4} {title:>8.4} {author:>8.4} {date:>8.4}"));
    report.metric(&format!("{key}.f1"), f1);
    report.metric(&format!("{key}.title.accuracy"), title);
    report.metric(&format!("{key}.author.accuracy"), author);
    report.metric(&format!("{key}.date.accuracy"), date);
    if key == "storyline" {
        report.line(format!("  (pages with a gold title {nt}, author {na}, date {nd})"));
    }
}

pub fn run(ctx: &EvalContext) -> Result<Report> {
    let dir = dataset(ctx, "wcxb-dev")?;
    let pages = read_pages(&dir)?;
    let mut report = Report::new("extraction-wcxb");
    report.line(format!(
        "WCXB dev, article pages: {} pages; word F1 (WCXB's), then title, author and date accuracy",
        pages.len()
    ));
    report.line(format!("{:<30} {:>8} {:>8} {:>8} {:>8}", "extractor", "word.f1", "title", "author", "date"));
    let ours = with_extractor(&pages, ctx.html);
    score(&mut report, "storyline", "storyline", &pages, &ours);
    if ctx.verbose {
        for (page, out) in pages.iter().zip(&ours) {
            let Some(gold) = page.date.as_deref() else { continue };
            if out.date.as_deref() != Some(gold) {
                eprintln!("  date miss {}: found {:?}, expected {gold}", page.id, out.date);
            }
        }
    }
    let plain = with_plain_trafilatura(&pages);
    score(&mut report, "trafilatura", "trafilatura crate (plain)", &pages, &plain);
    let rs = HtmlOptions { engine: HtmlEngine::RsTrafilatura, ..ctx.html };
    if rs.engine.available() {
        let outputs = with_extractor(&pages, rs);
        score(&mut report, "rs_trafilatura", "rs-trafilatura (storyline engine)", &pages, &outputs);
    } else {
        report.line("rs-trafilatura                 not in this build (build with --features compare-extractors)");
    }
    match with_python(&dir, &pages)? {
        Some((version, outputs)) => {
            score(&mut report, "python", &format!("Python trafilatura {version}"), &pages, &outputs)
        }
        None => report.line(
            "Python trafilatura             no bench virtualenv (storyline bench extract makes target/bench-venv)",
        ),
    }
    // htmldate, the reference for dates alone, on the same pages.
    let inputs: Vec<(Option<String>, std::path::PathBuf)> =
        pages.iter().map(|p| (p.url.clone(), dir.join("html").join(format!("{}.html.gz", p.id)))).collect();
    match crate::htmldate::htmldate_dates(&inputs, &std::env::temp_dir()) {
        Ok(h) => {
            let equal = |a: &str, b: &str| normalize(a) == normalize(b);
            let outputs: Vec<Output> =
                h.dates.into_iter().map(|(date, _)| Output { date, ..Output::default() }).collect();
            let (date, _) = field_accuracy(&pages, &outputs, |o| o.date.as_deref(), |p| p.date.as_deref(), equal);
            let name = format!("htmldate {} (dates only)", h.version);
            report.line(format!("{name:<30} {:>8} {:>8} {:>8} {date:>8.4}", "-", "-", "-"));
            report.metric("htmldate.date.accuracy", date);
        }
        Err(e) => report.line(format!("htmldate not run: {e:#}")),
    }
    // Where our layers lose against the crate they build on: the pages that
    // score lowest against it.
    let mut losses: Vec<(f64, &str)> = pages
        .iter()
        .zip(ours.iter().zip(&plain))
        .map(|(p, (o, t))| (word_f1(&p.body, &t.text) - word_f1(&p.body, &o.text), p.id.as_str()))
        .collect();
    losses.sort_by(|a, b| b.0.total_cmp(&a.0));
    let lost = losses.iter().filter(|(d, _)| *d > 0.05).count();
    let won = losses.iter().filter(|(d, _)| *d < -0.05).count();
    report.line(format!("pages where storyline is 0.05 or more below the plain crate: {lost}; above it: {won}"));
    if ctx.verbose {
        for (d, id) in losses.iter().take(20) {
            report.line(format!("  {id}: -{d:.3}"));
        }
        // Every page's word F1, ours and the plain crate's, for a closer look.
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/wcxb-pages.tsv");
        let rows: String = pages
            .iter()
            .zip(ours.iter().zip(&plain))
            .map(|(p, (o, t))| {
                let words = |s: &str| s.split_whitespace().count();
                format!(
                    "{}\t{:.4}\t{:.4}\t{}\t{}\t{}\n",
                    p.id,
                    word_f1(&p.body, &o.text),
                    word_f1(&p.body, &t.text),
                    words(&p.body),
                    words(&o.text),
                    words(&t.text)
                )
            })
            .collect();
        std::fs::write(&path, format!("page\tstoryline\tplain\tgold_words\tstoryline_words\tplain_words\n{rows}"))?;
        eprintln!("word F1 per page written to {}", path.display());
        // The texts themselves, to look at what a layer keeps or drops.
        let texts = path.with_file_name("wcxb-texts.jsonl");
        let lines: String = pages
            .iter()
            .zip(ours.iter().zip(&plain))
            .map(|(p, (o, t))| {
                serde_json::json!({"page": p.id, "storyline": o.text, "plain": t.text, "title": o.title, "author": o.author, "date": o.date})
                    .to_string()
                    + "\n"
            })
            .collect();
        std::fs::write(&texts, lines)?;
        eprintln!("extracted texts written to {}", texts.display());
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_authors_compare_as_a_set() {
        assert_eq!(author_set("Mark SubbaRao and Jonas Jaegermeyer"), author_set("Jonas Jaegermeyer; Mark SubbaRao"));
        assert_ne!(author_set("Liz Kenny"), author_set("Liz Kenny Former McKinsey Consultant"));
    }

    #[test]
    fn word_f1_counts_words_as_a_multiset() {
        assert!((word_f1("the cat, the hat", "The cat") - (2.0 * 1.0 * 0.5 / 1.5)).abs() < 1e-9);
        assert_eq!(word_f1("", ""), 1.0);
        assert_eq!(word_f1("", "text"), 0.0);
        assert_eq!(word_f1("a b", ""), 0.0);
    }
}
