//! `bench stories`: clustering speed on a synthetic corpus growing from
//! 10k to 100k articles.
//!
//! The corpus is generated, deterministically, from templates and
//! vocabularies: each event has two actors drawn from 5,000 generated
//! person names, a place from 2,000 generated place names, one of 40
//! actions, a topic noun and a date; 1 to 5 articles report it, each built
//! from 4 to 7 sentences that mix the event's facts with filler drawn from a
//! 3,000-word generated vocabulary, in a random order. Look-alike events
//! reuse actors and actions at other dates.

use std::time::Instant;

use chrono::NaiveDate;
use storyline_cluster::{cluster_vectors, ClusterDoc, ClusterParams, Featurizer};

use crate::peak_memory_mb;

/// xorshift64*: a small deterministic generator (no dependency needed).
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A generated word of `syllables` syllables.
pub(crate) fn word(rng: &mut Rng, syllables: usize, capital: bool) -> String {
    const PARTS: &[&str] =
        &["ka", "lo", "ri", "ta", "men", "sor", "vi", "dan", "el", "po", "gar", "tu", "ne", "sha", "bri", "ost"];
    let mut w: String = (0..syllables).map(|_| PARTS[rng.below(PARTS.len())]).collect();
    if capital {
        w[..1].make_ascii_uppercase();
    }
    w
}

const ACTIONS: &[&str] = &[
    "signed an agreement with",
    "met",
    "criticised",
    "sued",
    "appointed",
    "dismissed",
    "visited",
    "accused",
    "congratulated",
    "warned",
    "negotiated with",
    "endorsed",
    "challenged",
    "hosted",
    "replaced",
    "thanked",
    "attacked",
    "supported",
    "interviewed",
    "condemned",
    "welcomed",
    "defeated",
    "joined",
    "left",
    "invited",
    "questioned",
    "praised",
    "blamed",
    "hired",
    "fined",
    "rescued",
    "arrested",
    "released",
    "elected",
    "honoured",
    "sanctioned",
    "funded",
    "merged with",
    "acquired",
    "outbid",
];

/// Generates `n` articles.
pub fn synthetic_corpus(n: usize, seed: u64) -> Vec<ClusterDoc> {
    let mut rng = Rng(seed | 1);
    let people: Vec<String> =
        (0..5000).map(|_| format!("{} {}", word(&mut rng, 2, true), word(&mut rng, 3, true))).collect();
    let places: Vec<String> = (0..2000).map(|_| word(&mut rng, 3, true)).collect();
    let nouns: Vec<String> = (0..3000).map(|_| word(&mut rng, 3, false)).collect();
    let start = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap();
    let mut docs = Vec::with_capacity(n);
    while docs.len() < n {
        let a = &people[rng.below(people.len())];
        let b = &people[rng.below(people.len())];
        let place = &places[rng.below(places.len())];
        let action = ACTIONS[rng.below(ACTIONS.len())];
        let topic = &nouns[rng.below(nouns.len())];
        let date = start + chrono::Days::new(rng.below(3650) as u64);
        for _ in 0..1 + rng.below(5) {
            if docs.len() >= n {
                break;
            }
            let mut sentences = vec![
                format!("{a} {action} {b} in {place} on the {topic} question."),
                format!("The {topic} talks in {place} drew attention from observers."),
                format!("{b} said the {topic} issue would be settled soon."),
            ];
            for _ in 0..1 + rng.below(4) {
                let filler: Vec<&str> =
                    (0..8 + rng.below(10)).map(|_| nouns[rng.below(nouns.len())].as_str()).collect();
                sentences.push(format!("The {} of the {} remained {}.", filler[0], filler[1], filler[2..].join(" ")));
            }
            for i in (1..sentences.len()).rev() {
                sentences.swap(i, rng.below(i + 1));
            }
            docs.push(ClusterDoc {
                id: format!("a{:07}", docs.len()),
                lang: Some("en".into()),
                title: Some(format!("{a} {action} {b}")),
                text: sentences.join(" "),
                date: Some(date + chrono::Days::new(rng.below(3) as u64)),
                entities: Vec::new(),
            });
        }
    }
    docs
}

/// Runs the benchmark at each size; returns the lines to print.
pub fn bench_stories(sizes: &[usize]) -> Vec<String> {
    let mut lines = vec![
        "synthetic corpus: template sentences over generated names, places and a 3,000-word vocabulary; 1-5 articles per event".to_string(),
        format!("{:>8} {:>10} {:>12} {:>14} {:>10}", "articles", "seconds", "articles/s", "µs/article", "stories"),
    ];
    let params = ClusterParams::default();
    let mut first_cost: Option<f64> = None;
    for &n in sizes {
        let docs = synthetic_corpus(n, 42);
        eprintln!("bench stories: {n} articles...");
        let start = Instant::now();
        let vectors = Featurizer::new(params).vectors(&docs);
        let groups = cluster_vectors(&docs, &vectors, &params);
        let seconds = start.elapsed().as_secs_f64();
        let cost = seconds * 1e6 / n as f64;
        first_cost.get_or_insert(cost);
        lines.push(format!("{n:>8} {seconds:>10.2} {:>12.0} {cost:>14.1} {:>10}", n as f64 / seconds, groups.len()));
    }
    if let (Some(first), Some(last)) = (first_cost, lines.last()) {
        let last_cost: f64 = last.split_whitespace().nth(3).and_then(|c| c.parse().ok()).unwrap_or(first);
        lines.push(format!("cost per article at the largest size / at the smallest: {:.2}x", last_cost / first));
    }
    if let Some(mb) = peak_memory_mb() {
        lines.push(format!("peak memory: {mb:.0} MB"));
    }
    lines
}
