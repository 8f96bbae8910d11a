//! `eval quotes`: attributions (source, cue, content) on PolNeAR (English
//! political news, BRAT spans; tune on train, report dev), scored span by
//! span for each label as CofeNet does: exact (same first and last word) and
//! at a word overlap of at least half the longer span; and the speed of the
//! finder in sentences per second on one core.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use rayon::prelude::*;
use storyline_model::Mention;

use crate::{dataset, EvalContext, Report};

/// One labelled span, in characters.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
}

/// An article's gold spans per label.
#[derive(Default)]
struct Gold {
    source: Vec<Span>,
    cue: Vec<Span>,
    content: Vec<Span>,
}

/// Matches and counts for one label.
#[derive(Default, Clone, Copy)]
struct Counts {
    gold: usize,
    predicted: usize,
    exact: usize,
    overlap: usize,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.gold += other.gold;
        self.predicted += other.predicted;
        self.exact += other.exact;
        self.overlap += other.overlap;
    }
    fn f1(&self, matched: usize) -> (f64, f64, f64) {
        let p = matched as f64 / self.predicted.max(1) as f64;
        let r = matched as f64 / self.gold.max(1) as f64;
        let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        (p, r, f)
    }
}

/// Parses one BRAT file: text-bound spans labelled Source, Cue or Content
/// (a discontinuous span counts from its earliest offset to its latest).
fn read_gold(path: &Path) -> Result<Gold> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut gold = Gold::default();
    for line in text.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() < 2 || !fields[0].starts_with('T') {
            continue;
        }
        let mut parts = fields[1].split([' ', ';']);
        let label = parts.next().unwrap_or("");
        let offsets: Vec<usize> = parts.filter_map(|p| p.parse().ok()).collect();
        let (Some(&start), Some(&end)) = (offsets.iter().min(), offsets.iter().max()) else { continue };
        let span = Span { start, end };
        match label {
            "Source" => gold.source.push(span),
            "Cue" => gold.cue.push(span),
            "Content" => gold.content.push(span),
            _ => {}
        }
    }
    Ok(gold)
}

/// Word index ranges of spans over a text's words.
struct Words {
    /// Start character of every word.
    starts: Vec<usize>,
    ends: Vec<usize>,
}

impl Words {
    fn new(chars: &[char]) -> Words {
        let (mut starts, mut ends) = (Vec::new(), Vec::new());
        let mut i = 0;
        while i < chars.len() {
            if chars[i].is_alphanumeric() {
                let s = i;
                while i < chars.len() && chars[i].is_alphanumeric() {
                    i += 1;
                }
                starts.push(s);
                ends.push(i);
            } else {
                i += 1;
            }
        }
        Words { starts, ends }
    }
    /// The words a span covers (a word counts when it lies inside).
    fn of(&self, span: Span) -> std::ops::Range<usize> {
        let a = self.starts.partition_point(|&s| s < span.start);
        let b = self.ends.partition_point(|&e| e <= span.end);
        a..b.max(a)
    }
}

/// Greedy one-to-one matching of predicted spans to gold spans.
fn score(words: &Words, gold: &[Span], predicted: &[Span]) -> Counts {
    let g: Vec<_> = gold.iter().map(|s| words.of(*s)).filter(|r| !r.is_empty()).collect();
    let p: Vec<_> = predicted.iter().map(|s| words.of(*s)).filter(|r| !r.is_empty()).collect();
    let mut counts = Counts { gold: g.len(), predicted: p.len(), ..Counts::default() };
    let mut used_exact = vec![false; g.len()];
    for pr in &p {
        if let Some(k) = (0..g.len()).find(|&k| !used_exact[k] && g[k] == *pr) {
            used_exact[k] = true;
            counts.exact += 1;
        }
    }
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, pr) in p.iter().enumerate() {
        for (k, gr) in g.iter().enumerate() {
            let shared = pr.end.min(gr.end).saturating_sub(pr.start.max(gr.start));
            let ratio = shared as f64 / pr.len().max(gr.len()) as f64;
            if ratio >= 0.5 {
                pairs.push((ratio, i, k));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut used_p, mut used_g) = (vec![false; p.len()], vec![false; g.len()]);
    for (_, i, k) in pairs {
        if !used_p[i] && !used_g[k] {
            used_p[i] = true;
            used_g[k] = true;
            counts.overlap += 1;
        }
    }
    counts
}

struct Article {
    /// The file name without annotator and extension.
    name: String,
    text: String,
    gold: Gold,
}

fn read_split(dir: &Path) -> Result<Vec<Article>> {
    let mut files: Vec<_> = std::fs::read_dir(dir.join("attributions"))
        .with_context(|| format!("reading {}", dir.join("attributions").display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "ann"))
        .collect();
    files.sort();
    let mut seen = std::collections::HashSet::new();
    let mut articles = Vec::new();
    for file in files {
        let stem = file.file_stem().unwrap().to_string_lossy().to_string();
        // NAME_ANNOTATOR.ann: one annotator per article, the first by name.
        let name = stem.rsplit_once('_').map_or(stem.as_str(), |(n, _)| n).to_string();
        if !seen.insert(name.clone()) {
            continue;
        }
        let text = std::fs::read_to_string(dir.join("text").join(format!("{name}.txt")))
            .with_context(|| format!("reading the text of {name}"))?;
        articles.push(Article { name, text, gold: read_gold(&file)? });
    }
    Ok(articles)
}

/// One gold attribution of the hand-written set.
struct Written {
    article: String,
    speaker: Option<String>,
    denial: bool,
    content: String,
}

fn word_set(text: &str) -> Vec<String> {
    storyline_nlp::fold::token_slices(&storyline_nlp::fold::fold(text)).map(str::to_string).collect()
}

/// Words shared over the longer's count.
fn word_overlap(a: &[String], b: &[String]) -> f64 {
    let shared = a.iter().filter(|w| b.contains(w)).count().min(b.iter().filter(|w| a.contains(w)).count());
    shared as f64 / a.len().max(b.len()).max(1) as f64
}

/// The hand-written set in `examples/quotes` (`gold.tsv`): content F1 (a
/// found attribution matches when it shares half of the longer's words),
/// speaker accuracy and denial agreement over the matched, for all
/// articles and for those written after the rules were fixed.
fn written_set(report: &mut Report, verbose: bool) -> Result<()> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/quotes");
    let gold_text = std::fs::read_to_string(dir.join("gold.tsv")).context("reading examples/quotes/gold.tsv")?;
    let list = |file: &str| -> Vec<String> {
        std::fs::read_to_string(dir.join(file))
            .unwrap_or_default()
            .lines()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    };
    // Written after the rules of their time; `blind.txt`: no rule has been changed while looking at them yet.
    let held_out = list("held_out.txt");
    let blind = list("blind.txt");
    let gold: Vec<Written> = gold_text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f.len() >= 5).then(|| Written {
                article: f[0].to_string(),
                speaker: (f[1] != "-").then(|| f[1].to_string()),
                denial: f[3] == "yes",
                content: f[4].to_string(),
            })
        })
        .collect();
    let mut articles: Vec<String> = gold.iter().map(|g| g.article.clone()).collect();
    articles.dedup();
    report.line(format!(
        "{:<10} {:>5} {:>5} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "written", "gold", "found", "P", "R", "F1", "speaker", "denial"
    ));
    for (label, part) in [("all", None), ("held_out", Some(&held_out)), ("blind", Some(&blind))] {
        let only_held_out = part.is_some();
        if part.is_some_and(|p| p.is_empty()) {
            continue;
        }
        let (mut n_gold, mut n_found, mut matched, mut speaker_ok, mut denial_ok) = (0, 0, 0, 0, 0);
        for name in articles.iter().filter(|a| part.is_none_or(|p| p.contains(a))) {
            // The blind part's errors are never printed: reading them would be tuning on it.
            let quiet = only_held_out || blind.contains(name);
            let text = std::fs::read_to_string(dir.join(name)).with_context(|| format!("reading {name}"))?;
            let lang = if name.starts_with("en") { "en" } else { "fr" };
            let mentions = storyline_ner::Recognizer::shared().mentions(&text, Some(lang));
            let found = storyline_quotes::find_quotes(&text, Some(lang), &mentions, None);
            let golds: Vec<&Written> = gold.iter().filter(|g| &g.article == name).collect();
            n_gold += golds.len();
            n_found += found.len();
            let mut used = vec![false; found.len()];
            for g in golds {
                let gw = word_set(&g.content);
                let best = (0..found.len())
                    .filter(|&i| !used[i])
                    .map(|i| (word_overlap(&gw, &word_set(&found[i].text)), i))
                    .max_by(|a, b| a.0.total_cmp(&b.0));
                let Some((overlap, i)) = best.filter(|(o, _)| *o >= 0.5) else {
                    if verbose && !quiet {
                        report.line(format!("  missed in {name}: {:?} ({:?})", g.content, g.speaker));
                    }
                    continue;
                };
                let _ = overlap;
                used[i] = true;
                matched += 1;
                let q = &found[i];
                let said: String =
                    q.speaker_mention.map(|[a, b]| text.chars().skip(a).take(b - a).collect()).unwrap_or_default();
                let right = match &g.speaker {
                    Some(name) => {
                        let (said, name) = (storyline_nlp::fold::fold(&said), storyline_nlp::fold::fold(name));
                        !said.is_empty() && (said.contains(&name) || name.contains(&said))
                    }
                    None => true,
                };
                if !right && !quiet {
                    report
                        .line(format!("  wrong speaker in {name}: {:?} by {said:?}, gold {:?}", g.content, g.speaker));
                }
                speaker_ok += right as usize;
                denial_ok += (q.denial == g.denial) as usize;
            }
            if verbose && !quiet {
                for (q, _) in found.iter().zip(&used).filter(|(_, used)| !**used) {
                    report.line(format!("  extra in {name}: {:?} [{}] by {:?}", q.text, q.cue, q.speaker_text));
                }
            }
        }
        let p = matched as f64 / n_found.max(1) as f64;
        let r = matched as f64 / n_gold.max(1) as f64;
        let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        let speaker = speaker_ok as f64 / matched.max(1) as f64;
        let denial = denial_ok as f64 / matched.max(1) as f64;
        report.line(format!(
            "{label:<10} {n_gold:>5} {n_found:>5} {p:>8.4} {r:>8.4} {f:>8.4} {speaker:>8.4} {denial:>8.4}"
        ));
        report.metric(&format!("written.{label}.content.f1"), f);
        report.metric(&format!("written.{label}.speaker.accuracy"), speaker);
    }
    Ok(())
}

/// Runs the suite.
pub fn run(ctx: &EvalContext) -> Result<Report> {
    let mut report = Report::new("quotes");
    written_set(&mut report, ctx.verbose)?;
    let dir = dataset(ctx, "polnear")?;
    report.line("PolNeAR (English political news): span F1 per label, exact (same first and last word) and at >= 50 % word overlap".to_string());
    report.line(format!(
        "{:<6} {:<8} {:>6} {:>6} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}",
        "split", "label", "gold", "found", "P.ex", "R.ex", "F1.ex", "P.50", "R.50", "F1.50"
    ));
    for split in ["train", "dev"] {
        let articles = read_split(&dir.join(split))?;
        let recognizer = storyline_ner::Recognizer::shared();
        let mentions: Vec<Vec<Mention>> =
            articles.par_iter().map(|a| recognizer.mentions(&a.text, Some("en"))).collect();
        let sentences: usize = articles
            .iter()
            .map(|a| storyline_ner::tokenize::sentences(&storyline_ner::tokenize::tokenize(&a.text)).len())
            .sum();
        let clock = Instant::now();
        let found: Vec<Vec<storyline_model::Quote>> = articles
            .iter()
            .zip(&mentions)
            .map(|(a, m)| storyline_quotes::find_quotes(&a.text, Some("en"), m, None))
            .collect();
        let seconds = clock.elapsed().as_secs_f64();
        let (mut source, mut cue, mut content) = (Counts::default(), Counts::default(), Counts::default());
        if ctx.verbose {
            // Every article's found attributions, for error analysis beside the BRAT files.
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../target/polnear-{split}-found.jsonl"));
            let lines: Vec<String> = articles
                .iter()
                .zip(&found)
                .map(|(a, quotes)| serde_json::json!({"name": a.name, "quotes": quotes}).to_string())
                .collect();
            std::fs::write(&path, lines.join("\n")).with_context(|| format!("writing {}", path.display()))?;
            report.line(format!("found attributions written to {}", path.display()));
        }
        for (article, quotes) in articles.iter().zip(&found) {
            let chars: Vec<char> = article.text.chars().collect();
            let words = Words::new(&chars);
            let spans = |f: &dyn Fn(&storyline_model::Quote) -> Option<[usize; 2]>| -> Vec<Span> {
                let mut out: Vec<Span> = quotes.iter().filter_map(f).map(|[s, e]| Span { start: s, end: e }).collect();
                out.sort_by_key(|s| (s.start, s.end));
                out.dedup_by_key(|s| (s.start, s.end));
                out
            };
            content.add(score(&words, &article.gold.content, &spans(&|q| Some([q.start, q.end]))));
            source.add(score(&words, &article.gold.source, &spans(&|q| q.speaker_span)));
            cue.add(score(&words, &article.gold.cue, &spans(&|q| q.cue_span)));
            if ctx.verbose && split == "train" {
                // Gold cues with no predicted cue overlapping: what the lexicon misses.
                for q in quotes {
                    let overlaps = article.gold.content.iter().any(|g| g.start < q.end && g.end > q.start);
                    for g in article.gold.content.iter().filter(|g| g.start < q.end && g.end > q.start) {
                        let (gw, pw) = (words.of(*g), words.of(Span { start: q.start, end: q.end }));
                        let shared = gw.end.min(pw.end).saturating_sub(gw.start.max(pw.start));
                        if (shared as f64) < 0.5 * gw.len().max(pw.len()) as f64 {
                            let gt: String = chars[g.start..g.end].iter().collect();
                            let pt: String = chars[q.start..q.end].iter().collect();
                            report.line(format!("  boundary: gold {:?}\n            ours {:?}", gt, pt));
                        }
                    }
                    if !overlaps {
                        let text: String = chars[q.start..q.end].iter().collect();
                        report.line(format!(
                            "  spurious: [{}] {} <- {:?}",
                            q.cue,
                            text.replace('\n', " "),
                            q.speaker_text
                        ));
                    }
                }
                let predicted = spans(&|q| q.cue_span);
                for g in &article.gold.cue {
                    if !predicted.iter().any(|p| p.start < g.end && p.end > g.start) {
                        let cue: String = chars[g.start..g.end].iter().collect();
                        let before: String = chars[g.start.saturating_sub(100)..g.start].iter().collect();
                        let after: String = chars[g.end..(g.end + 100).min(chars.len())].iter().collect();
                        report.line(format!(
                            "  missed cue: {} | {}[[{cue}]]{}",
                            cue.to_lowercase(),
                            before.replace('\n', " "),
                            after.replace('\n', " ")
                        ));
                        let (a, b) = (g.start.saturating_sub(150), (g.end + 100).min(chars.len()));
                        let context: String = chars[a..g.start]
                            .iter()
                            .chain(['[', '['].iter())
                            .chain(&chars[g.start..g.end])
                            .chain([']', ']'].iter())
                            .chain(&chars[g.end..b])
                            .collect();
                        report.line(format!("  missed in: {}", context.replace('\n', " ")));
                    }
                }
            }
        }
        for (label, counts) in [("content", content), ("source", source), ("cue", cue)] {
            let (pe, re, fe) = counts.f1(counts.exact);
            let (po, ro, fo) = counts.f1(counts.overlap);
            report.line(format!(
                "{split:<6} {label:<8} {:>6} {:>6} {pe:>7.4} {re:>7.4} {fe:>7.4} {po:>7.4} {ro:>7.4} {fo:>7.4}",
                counts.gold, counts.predicted
            ));
            report.metric(&format!("{split}.{label}.exact.f1"), fe);
            report.metric(&format!("{split}.{label}.overlap.f1"), fo);
        }
        let speed = sentences as f64 / seconds.max(1e-9);
        report.line(format!(
            "{split}: {} articles, {sentences} sentences, finder {speed:.0} sentences/s on one core (mentions found beforehand)",
            articles.len()
        ));
        report.metric(&format!("{split}.sentences_per_second"), speed);
    }
    Ok(report)
}
