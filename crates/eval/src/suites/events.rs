//! `eval events`: who did what to whom. Scored as triples (source
//! overlaps, target overlaps, same PLOVER root type) on
//!
//! - PLV (English source-target pairs, `plover-plv`, train part): triple
//!   precision and recall, root accuracy on the pairs whose actors were
//!   found, and over-coding (coded events no gold pair supports, per gold
//!   pair; a coded event is supported when its source and target overlap a
//!   gold pair's, whatever its type);
//! - the PLOVER gold standard records (`plover-gsr`, English, categories of
//!   PLOVER 0.5 mapped to today's root types), the same figures;
//! - our written French set (`examples/events/`: `written.tsv`, and the
//!   part written after the rules were fixed, `held_out.tsv`), the same
//!   figures plus the mode: negated and denied events must never be coded
//!   as asserted;
//!
//! and the coder's speed in sentences per second on one core.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use rayon::prelude::*;
use storyline_model::{Event, Mention};

use crate::{dataset, EvalContext, Report};

/// One gold event of a sentence: spans in characters of the sentence.
#[derive(Debug, Clone)]
struct GoldPair {
    sources: Vec<[usize; 2]>,
    targets: Vec<[usize; 2]>,
    root: String,
    /// The gold mode, where the set gives one.
    mode: Option<String>,
}

/// A sentence with its gold events.
struct Item {
    text: String,
    gold: Vec<GoldPair>,
}

#[derive(Default, Clone, Copy)]
struct Counts {
    gold: usize,
    coded: usize,
    /// Coded events whose triple matches a gold pair.
    correct: usize,
    /// Gold pairs some coded event's triple matches.
    recalled: usize,
    /// Gold pairs some coded event's actors match.
    actors_found: usize,
    /// Of those, the pairs where such an event also has the right type.
    root_right: usize,
    /// Coded events whose actors match no gold pair.
    unsupported: usize,
    /// Gold negated or denied events coded as asserted.
    denials_asserted: usize,
    /// Gold events with a mode whose actors were found.
    modes_seen: usize,
    /// Of those, coded with the same mode.
    modes_right: usize,
}

impl Counts {
    fn precision(&self) -> f64 {
        self.correct as f64 / self.coded.max(1) as f64
    }
    fn recall(&self) -> f64 {
        self.recalled as f64 / self.gold.max(1) as f64
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        }
    }
    fn root_accuracy(&self) -> f64 {
        self.root_right as f64 / self.actors_found.max(1) as f64
    }
    fn overcoding(&self) -> f64 {
        self.unsupported as f64 / self.gold.max(1) as f64
    }
}

fn overlaps(a: [usize; 2], b: [usize; 2]) -> bool {
    a[0] < b[1] && b[0] < a[1]
}

/// Whether an actor overlaps a gold span, by its phrase or by the mention it
/// resolves to (a pronoun's antecedent).
fn actor_overlaps(actor: &storyline_model::EventActor, gold: &[[usize; 2]]) -> bool {
    gold.iter().any(|g| overlaps(actor.span, *g) || actor.mention.is_some_and(|m| overlaps(m, *g)))
}

fn actors_match(e: &Event, g: &GoldPair) -> bool {
    actor_overlaps(&e.source, &g.sources) && actor_overlaps(&e.target, &g.targets)
}

/// Scores one sentence's coded events against its gold pairs.
fn score(item: &Item, events: &[Event]) -> Counts {
    let mut c = Counts { gold: item.gold.len(), coded: events.len(), ..Counts::default() };
    for e in events {
        if item.gold.iter().any(|g| actors_match(e, g) && g.root == e.kind) {
            c.correct += 1;
        }
        if !item.gold.iter().any(|g| actors_match(e, g)) {
            c.unsupported += 1;
        }
    }
    for g in &item.gold {
        let found: Vec<&Event> = events.iter().filter(|e| actors_match(e, g)).collect();
        if found.is_empty() {
            continue;
        }
        c.actors_found += 1;
        if found.iter().any(|e| e.kind == g.root) {
            c.root_right += 1;
            c.recalled += 1;
        }
        if let Some(mode) = &g.mode {
            c.modes_seen += 1;
            if found.iter().any(|e| e.mode.as_str() == mode) {
                c.modes_right += 1;
            }
            if matches!(mode.as_str(), "negated" | "denied") && found.iter().any(|e| e.mode.as_str() == "asserted") {
                c.denials_asserted += 1;
            }
        }
    }
    c
}

fn add(total: &mut Counts, c: Counts) {
    total.gold += c.gold;
    total.coded += c.coded;
    total.correct += c.correct;
    total.recalled += c.recalled;
    total.actors_found += c.actors_found;
    total.root_right += c.root_right;
    total.unsupported += c.unsupported;
    total.denials_asserted += c.denials_asserted;
    total.modes_seen += c.modes_seen;
    total.modes_right += c.modes_right;
}

/// Strips PLV's `<s>..</s>` and `<t>..</t>` marks; the clean sentence and
/// the source and target spans in its characters.
fn unmark(marked: &str) -> (String, Vec<[usize; 2]>, Vec<[usize; 2]>) {
    let mut text = String::new();
    let (mut sources, mut targets) = (Vec::new(), Vec::new());
    let (mut open_s, mut open_t) = (None, None);
    let mut rest = marked;
    let mut len = 0usize;
    while !rest.is_empty() {
        let tag = ["<s>", "</s>", "<t>", "</t>"].into_iter().find(|t| rest.starts_with(t));
        match tag {
            Some("<s>") => open_s = Some(len),
            Some("</s>") => sources.extend(open_s.take().map(|s| [s, len])),
            Some("<t>") => open_t = Some(len),
            Some("</t>") => targets.extend(open_t.take().map(|s| [s, len])),
            _ => {
                let c = rest.chars().next().unwrap_or(' ');
                text.push(c);
                len += 1;
                rest = &rest[c.len_utf8()..];
                continue;
            }
        }
        rest = &rest[tag.map(str::len).unwrap_or(0)..];
    }
    (text, sources, targets)
}

fn read_plv(dir: &Path) -> Result<Vec<Item>> {
    let path = dir.join("PLV_train.tsv");
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name);
    let (Some(marked), Some(root), Some(id)) = (col("marked_sentence"), col("gold_root"), col("sentence_id")) else {
        anyhow::bail!("{}: missing columns marked_sentence, gold_root or sentence_id", path.display());
    };
    let mut items: Vec<(String, Item)> = Vec::new();
    for line in lines {
        let fields: Vec<&str> = line.split('\t').collect();
        let (Some(m), Some(r), Some(i)) = (fields.get(marked), fields.get(root), fields.get(id)) else { continue };
        let (sentence, sources, targets) = unmark(m);
        if sources.is_empty() || targets.is_empty() {
            continue;
        }
        let pair = GoldPair { sources, targets, root: r.to_string(), mode: None };
        match items.iter_mut().find(|(key, item)| key == i && item.text == sentence) {
            Some((_, item)) => item.gold.push(pair),
            None => items.push((i.to_string(), Item { text: sentence, gold: vec![pair] })),
        }
    }
    Ok(items.into_iter().map(|(_, item)| item).collect())
}

/// PLOVER 0.5 category names in today's root types (POLECAT).
fn gsr_root(category: &str) -> Option<&'static str> {
    Some(match category {
        "DEMAND" => "REQUEST",
        "FIGHT" => "ASSAULT",
        "DISAPPROVE" | "INVESTIGATE" => "ACCUSE",
        "RETREAT" | "CONCEDE" => "YIELD",
        other => storyline_events::Root::parse(other)?.as_str(),
    })
}

/// Every occurrence span of `needle` in `text`, in characters.
fn find_all(text: &str, needle: &str) -> Vec<[usize; 2]> {
    let needle = needle.trim();
    if needle.is_empty() {
        return Vec::new();
    }
    text.match_indices(needle)
        .map(|(b, m)| {
            let s = text[..b].chars().count();
            [s, s + m.chars().count()]
        })
        .collect()
}

fn read_gsr(dir: &Path) -> Result<(Vec<Item>, usize)> {
    let records = crate::read_json(&dir.join("PLOVER_GSR_CAMEO.json"))?;
    let mut items = Vec::new();
    let mut skipped = 0;
    for r in records.as_array().into_iter().flatten() {
        let (Some(text), Some(root)) = (r["text"].as_str(), r["event"].as_str().and_then(gsr_root)) else {
            continue;
        };
        let spans = |side: &str| -> Vec<[usize; 2]> {
            r[side]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| a["actorText"].as_str())
                .flat_map(|a| find_all(text, a))
                .collect()
        };
        let (sources, targets) = (spans("source"), spans("target"));
        if sources.is_empty() || targets.is_empty() {
            skipped += 1;
            continue;
        }
        items.push(Item {
            text: text.to_string(),
            gold: vec![GoldPair { sources, targets, root: root.into(), mode: None }],
        });
    }
    Ok((items, skipped))
}

/// Our written French set: `id<TAB>sentence<TAB>type<TAB>source<TAB>target<TAB>mode`,
/// one row per event (a sentence without events has type `-`); source and
/// target are written as they appear in the sentence.
fn read_written(path: &Path) -> Result<Vec<Item>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut items: Vec<(String, Item)> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 3 {
            anyhow::bail!("{}:{}: expected id, sentence, type[, source, target, mode]", path.display(), n + 1);
        }
        let (id, sentence) = (f[0], f[1]);
        let item = match items.iter_mut().position(|(k, _)| k == id) {
            Some(p) => &mut items[p].1,
            None => {
                items.push((id.to_string(), Item { text: sentence.to_string(), gold: Vec::new() }));
                &mut items.last_mut().expect("just pushed").1
            }
        };
        if f[2] == "-" {
            continue;
        }
        let (sources, targets) =
            (find_all(sentence, f.get(3).unwrap_or(&"")), find_all(sentence, f.get(4).unwrap_or(&"")));
        if sources.is_empty() || targets.is_empty() {
            anyhow::bail!("{}:{}: source or target not found in the sentence", path.display(), n + 1);
        }
        let mode = f.get(5).map(|m| m.trim().to_string()).filter(|m| !m.is_empty());
        item.gold.push(GoldPair { sources, targets, root: f[2].to_string(), mode });
    }
    Ok(items.into_iter().map(|(_, item)| item).collect())
}

/// Codes every item; the events per item and the coder's seconds (mentions
/// found beforehand, in parallel, are not timed).
fn code_all(items: &[Item], lang: &str) -> (Vec<Vec<Event>>, f64) {
    let recognizer = storyline_ner::Recognizer::shared();
    let mentions: Vec<Vec<Mention>> = items.par_iter().map(|i| recognizer.mentions(&i.text, Some(lang))).collect();
    let quotes: Vec<Vec<storyline_model::Quote>> = items
        .par_iter()
        .zip(&mentions)
        .map(|(i, m)| storyline_quotes::find_quotes(&i.text, Some(lang), m, None))
        .collect();
    let clock = Instant::now();
    let events = items
        .iter()
        .zip(mentions.iter().zip(&quotes))
        .map(|(i, (m, q))| storyline_events::code_events(&i.text, Some(lang), m, q, None))
        .collect();
    (events, clock.elapsed().as_secs_f64())
}

fn report_set(report: &mut Report, name: &str, items: &[Item], lang: &str, verbose: bool) -> Counts {
    let (events, _) = code_all(items, lang);
    let mut total = Counts::default();
    for (item, coded) in items.iter().zip(&events) {
        let c = score(item, coded);
        if verbose && (c.correct < c.coded || c.recalled < c.gold) {
            let show = |s: &[[usize; 2]]| -> String {
                s.iter()
                    .map(|[a, b]| item.text.chars().skip(*a).take(b - a).collect::<String>())
                    .collect::<Vec<_>>()
                    .join("|")
            };
            let gold: Vec<String> = item
                .gold
                .iter()
                .map(|g| format!("{} [{}] -> [{}]", g.root, show(&g.sources), show(&g.targets)))
                .collect();
            let found: Vec<String> = coded
                .iter()
                .map(|e| {
                    format!(
                        "{} [{}] -> [{}] ({}, {})",
                        e.kind,
                        e.source.text,
                        e.target.text,
                        e.trigger,
                        e.mode.as_str()
                    )
                })
                .collect();
            report.line(format!(
                "  {name} | {}\n    gold:  {}\n    coded: {}",
                item.text,
                gold.join("; "),
                found.join("; ")
            ));
        }
        add(&mut total, c);
    }
    report.line(format!(
        "{:<22} {:>5} {:>6} {:>7} {:>7} {:>7} {:>8} {:>9}",
        name,
        total.gold,
        total.coded,
        format!("{:.3}", total.precision()),
        format!("{:.3}", total.recall()),
        format!("{:.3}", total.f1()),
        format!("{:.3}", total.root_accuracy()),
        format!("{:.3}", total.overcoding()),
    ));
    let key = name.split_whitespace().next().unwrap_or(name).to_lowercase();
    report.metric(&format!("{key}.triple.precision"), total.precision());
    report.metric(&format!("{key}.triple.recall"), total.recall());
    report.metric(&format!("{key}.triple.f1"), total.f1());
    report.metric(&format!("{key}.root.accuracy"), total.root_accuracy());
    report.metric(&format!("{key}.overcoding"), total.overcoding());
    // Higher is better, for floors: the share of coded events a gold pair supports.
    report.metric(&format!("{key}.supported"), 1.0 - total.unsupported as f64 / total.coded.max(1) as f64);
    total
}

/// The written French set's folder in the repository.
fn written_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/events")
}

pub fn run(ctx: &EvalContext) -> Result<Report> {
    let mut report = Report::new("events");
    report.line("triples: source overlaps, target overlaps, same PLOVER root type; root accuracy on pairs whose actors were found; over-coding: coded events no gold pair supports, per gold pair");
    report.line(format!(
        "{:<22} {:>5} {:>6} {:>7} {:>7} {:>7} {:>8} {:>9}",
        "set", "gold", "coded", "P", "R", "F1", "root.acc", "overcode"
    ));
    let dir = written_dir();
    for (file, name) in [("written.tsv", "written (fr)"), ("held_out.tsv", "held_out (fr)")] {
        let path = dir.join(file);
        if !path.exists() {
            continue;
        }
        let items = read_written(&path)?;
        let c = report_set(&mut report, name, &items, "fr", ctx.verbose);
        let key = name.split_whitespace().next().unwrap_or(name);
        report.line(format!(
            "{:<22} modes right {}/{}, negated or denied coded as asserted: {}",
            "", c.modes_right, c.modes_seen, c.denials_asserted
        ));
        report.metric(&format!("{key}.denials_as_asserted"), c.denials_asserted as f64);
        report.metric(&format!("{key}.denials_never_asserted"), if c.denials_asserted == 0 { 1.0 } else { 0.0 });
        report.metric(&format!("{key}.mode.accuracy"), c.modes_right as f64 / c.modes_seen.max(1) as f64);
    }
    let plv = read_plv(&dataset(ctx, "plover-plv")?)?;
    report_set(&mut report, "plv (en, train)", &plv, "en", ctx.verbose);
    let (gsr, skipped) = read_gsr(&dataset(ctx, "plover-gsr")?)?;
    report_set(&mut report, "gsr (en)", &gsr, "en", ctx.verbose);
    report.line(format!("  gsr: {skipped} record(s) without both a source and a target in the sentence left out"));
    // Speed: the coder alone, on one core, over the PLV sentences repeated.
    let repeated: Vec<Item> =
        (0..10).flat_map(|_| plv.iter().map(|i| Item { text: i.text.clone(), gold: Vec::new() })).collect();
    let (_, seconds) = code_all(&repeated, "en");
    let rate = repeated.len() as f64 / seconds.max(1e-9);
    report.line(format!("speed: {:.0} sentences/s on one core (coder only, {} sentences)", rate, repeated.len()));
    report.metric("speed.sentences_per_second", rate);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plv_marks_become_character_spans() {
        let (text, s, t) = unmark("<s>Ukraine</s> accuses <t>Russia</t> of it.");
        assert_eq!(text, "Ukraine accuses Russia of it.");
        assert_eq!(s, vec![[0, 7]]);
        assert_eq!(t, vec![[16, 22]]);
    }

    #[test]
    fn old_plover_categories_map_to_root_types() {
        assert_eq!(gsr_root("DEMAND"), Some("REQUEST"));
        assert_eq!(gsr_root("RETREAT"), Some("YIELD"));
        assert_eq!(gsr_root("ASSAULT"), Some("ASSAULT"));
        assert_eq!(gsr_root("DOCUMENT"), None);
    }
}
