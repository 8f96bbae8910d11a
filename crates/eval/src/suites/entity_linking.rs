//! `eval entity-linking`: the repository's own cross-document test set
//! (`examples/entity-linking/`: French and English articles naming the same
//! people and places in different romanisations, with distractors). Runs
//! recognition and linking as the product does and scores mention-to-entity
//! merging pairwise over the gold mentions; a gold mention the recogniser
//! misses counts as an entity of its own.

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use storyline_entities::{link, ArticleMentions};
use storyline_ner::Recognizer;

use crate::{EvalContext, Report};

/// Where the test set lives in the repository.
fn set_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/entity-linking")
}

/// Runs the suite.
pub fn run(ctx: &EvalContext) -> Result<Report> {
    let dir = set_dir();
    let gold_text = std::fs::read_to_string(dir.join("gold.tsv")).with_context(|| format!("{}", dir.display()))?;
    let mut gold: Vec<(String, String, String)> = Vec::new();
    for (n, line) in gold_text.lines().enumerate().filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 3 {
            bail!("gold.tsv:{}: expected article, mention and entity", n + 1);
        }
        gold.push((cols[0].into(), cols[1].into(), cols[2].into()));
    }
    let mut files: Vec<String> = gold.iter().map(|g| g.0.clone()).collect();
    files.sort();
    files.dedup();
    let recognizer = Recognizer::shared();
    let mut input = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(dir.join(f)).with_context(|| format!("cannot read {f}"))?;
        let lang = if f.starts_with("fr") { "fr" } else { "en" };
        input.push(ArticleMentions {
            article: f.clone(),
            lang: Some(lang.into()),
            mentions: recognizer.mentions(&text, Some(lang)),
        });
    }
    let linked = link(&input);
    // System entity of each gold mention: the first unused system mention
    // with the same text in that article.
    let mut used: HashMap<(usize, usize), bool> = HashMap::new();
    let mut system: Vec<String> = Vec::new();
    let mut missed = Vec::new();
    for (i, (f, text, _)) in gold.iter().enumerate() {
        let a = files.iter().position(|x| x == f).unwrap();
        let hit = input[a]
            .mentions
            .iter()
            .enumerate()
            .find(|(m, mention)| mention.text == *text && !used.contains_key(&(a, *m)));
        match hit {
            Some((m, _)) => {
                used.insert((a, m), true);
                system.push(linked.entities[linked.assignment[a][m]].id.clone());
            }
            None => {
                missed.push(format!("{f}: {text}"));
                system.push(format!("missed-{i}"));
            }
        }
    }
    let held_out: Vec<String> = std::fs::read_to_string(dir.join("held_out.txt"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.trim().to_string())
        .collect();
    let all = pairwise(&gold, &system, |_| true);
    let held = pairwise(&gold, &system, |f| held_out.iter().any(|h| h == f));
    let (p, r) = (all.precision(), all.recall());
    let (wrong, split) = (all.wrong, all.split);
    let entities: std::collections::BTreeSet<&str> = gold.iter().map(|g| g.2.as_str()).collect();
    let mut report = Report::new("entity-linking");
    report.line(format!(
        "{} gold mentions of {} entities in {} articles; recognised {}",
        gold.len(),
        entities.len(),
        files.len(),
        gold.len() - missed.len()
    ));
    report.line(format!(
        "pairwise precision {p:.4}  recall {r:.4}  ({} of {} gold pairs, {} system pairs)",
        all.tp, all.gold_pairs, all.sys_pairs
    ));
    report.metric("precision", p);
    report.metric("recall", r);
    if held.gold_pairs > 0 {
        report.line(format!(
            "held-out articles only ({}): precision {:.4}  recall {:.4}  ({} of {} gold pairs)",
            held_out.join(", "),
            held.precision(),
            held.recall(),
            held.tp,
            held.gold_pairs
        ));
        report.metric("held_out.precision", held.precision());
        report.metric("held_out.recall", held.recall());
    }
    let show = |report: &mut Report, title: &str, list: &[String]| {
        if !list.is_empty() {
            report.line(format!("{title} ({}): {}", list.len(), list.join("; ")));
        }
    };
    show(&mut report, "wrongly merged", &wrong);
    show(&mut report, "not merged", &split);
    show(&mut report, "not recognised", &missed);
    if ctx.verbose {
        for e in &linked.entities {
            report.line(format!("  {} {} {:?}", e.kind.as_str(), e.name, e.aliases));
        }
    }
    Ok(report)
}

/// Pairwise counts over the gold mentions of the articles `keep` accepts.
struct Pairs {
    tp: usize,
    sys_pairs: usize,
    gold_pairs: usize,
    wrong: Vec<String>,
    split: Vec<String>,
}

impl Pairs {
    fn precision(&self) -> f64 {
        self.tp as f64 / self.sys_pairs.max(1) as f64
    }
    fn recall(&self) -> f64 {
        self.tp as f64 / self.gold_pairs.max(1) as f64
    }
}

fn pairwise(gold: &[(String, String, String)], system: &[String], keep: impl Fn(&str) -> bool) -> Pairs {
    let mut out = Pairs { tp: 0, sys_pairs: 0, gold_pairs: 0, wrong: Vec::new(), split: Vec::new() };
    let kept: Vec<usize> = (0..gold.len()).filter(|&i| keep(&gold[i].0)).collect();
    for (n, &i) in kept.iter().enumerate() {
        for &j in &kept[n + 1..] {
            let same_gold = gold[i].2 == gold[j].2;
            let same_sys = system[i] == system[j];
            out.gold_pairs += usize::from(same_gold);
            out.sys_pairs += usize::from(same_sys);
            out.tp += usize::from(same_gold && same_sys);
            if same_sys && !same_gold {
                out.wrong.push(format!("{} + {}", gold[i].1, gold[j].1));
            }
            if same_gold && !same_sys && !system[i].starts_with("missed") && !system[j].starts_with("missed") {
                out.split.push(format!("{} / {}", gold[i].1, gold[j].1));
            }
        }
    }
    out
}
