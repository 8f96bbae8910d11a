//! Metrics, each re-implemented as its benchmark defines it.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use regex::Regex;

/// True/false positives and negatives, as fractions or counts.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    /// True positives.
    pub tp: f64,
    /// False positives.
    pub fp: f64,
    /// False negatives.
    pub fn_: f64,
    /// True negatives.
    pub tn: f64,
}

impl Counts {
    /// Adds another count.
    pub fn add(&mut self, other: Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
        self.tn += other.tn;
    }

    /// tp / (tp + fp), 0 when undefined.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// tp / (tp + fn), 0 when undefined.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        f1(self.precision(), self.recall())
    }

    /// (tp + tn) / all.
    pub fn accuracy(&self) -> f64 {
        ratio(self.tp + self.tn, self.tp + self.tn + self.fp + self.fn_)
    }
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        0.0
    }
}

/// Harmonic mean.
pub fn f1(p: f64, r: f64) -> f64 {
    if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    }
}

/// Unicode `\w+` tokens, as the Scrapinghub benchmark tokenises.
pub fn word_tokens(text: &str) -> Vec<&str> {
    static WORD: OnceLock<Regex> = OnceLock::new();
    WORD.get_or_init(|| Regex::new(r"\w+").unwrap()).find_iter(text).map(|m| m.as_str()).collect()
}

/// The Scrapinghub article-extraction benchmark's per-page score: multiset
/// of 4-token shingles, tp/fp/fn normalised by their sum so each page
/// weighs the same.
pub fn shingle_counts(truth: &str, predicted: &str) -> Counts {
    fn shingles<'a>(tokens: &[&'a str]) -> HashMap<Vec<&'a str>, usize> {
        let mut counts = HashMap::new();
        let n = 4;
        for i in 0..tokens.len().saturating_sub(n - 1).max(1) {
            let shingle: Vec<&str> = tokens[i..(i + n).min(tokens.len())].to_vec();
            if !shingle.is_empty() {
                *counts.entry(shingle).or_insert(0) += 1;
            }
        }
        counts
    }
    let (t_tokens, p_tokens) = (word_tokens(truth), word_tokens(predicted));
    let (t, p) = (shingles(&t_tokens), shingles(&p_tokens));
    let mut c = Counts::default();
    for key in t.keys().chain(p.keys().filter(|k| !t.contains_key(*k))) {
        let (tc, pc) = (*t.get(key).unwrap_or(&0) as f64, *p.get(key).unwrap_or(&0) as f64);
        c.tp += tc.min(pc);
        c.fp += (pc - tc).max(0.0);
        c.fn_ += (tc - pc).max(0.0);
    }
    let sum = c.tp + c.fp + c.fn_;
    if sum > 0.0 {
        c.tp /= sum;
        c.fp /= sum;
        c.fn_ /= sum;
    }
    c
}

/// Benchmark-level precision, recall and F1 from per-page counts: the mean
/// of per-page precision over pages that predicted something, the mean of
/// per-page recall over pages that have gold text, F1 of the two means.
pub fn shingle_scores(pages: &[Counts]) -> (f64, f64, f64) {
    let page_precision = |c: &Counts| if c.fp == 0.0 && c.fn_ == 0.0 { 1.0 } else { ratio(c.tp, c.tp + c.fp) };
    let page_recall = |c: &Counts| if c.fp == 0.0 && c.fn_ == 0.0 { 1.0 } else { ratio(c.tp, c.tp + c.fn_) };
    let precisions: Vec<f64> = pages.iter().filter(|c| c.tp + c.fp > 0.0).map(page_precision).collect();
    let recalls: Vec<f64> = pages.iter().filter(|c| c.tp + c.fn_ > 0.0).map(page_recall).collect();
    let mean = |v: &[f64]| if v.is_empty() { 0.0 } else { v.iter().sum::<f64>() / v.len() as f64 };
    let (p, r) = (mean(&precisions), mean(&recalls));
    (p, r, f1(p, r))
}

/// Collapses white space runs to one space.
pub fn squash_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The trafilatura evaluation's segment score for one page: each "with"
/// segment found is a true positive (else a false negative), each
/// "without" segment found a false positive (else a true negative).
pub fn segment_counts(output: &str, with: &[String], without: &[String]) -> Counts {
    let output = squash_spaces(output);
    let found = |s: &String| output.contains(&squash_spaces(s));
    let mut c = Counts::default();
    for s in with {
        if found(s) {
            c.tp += 1.0
        } else {
            c.fn_ += 1.0
        }
    }
    for s in without {
        if found(s) {
            c.fp += 1.0
        } else {
            c.tn += 1.0
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_texts_score_one_and_disjoint_zero() {
        let same = shingle_counts("one two three four five", "one two three four five");
        assert_eq!((same.tp, same.fp, same.fn_), (1.0, 0.0, 0.0));
        let none = shingle_counts("one two three four five", "six seven eight nine ten");
        assert_eq!(none.tp, 0.0);
        let (p, r, f) = shingle_scores(&[same, none]);
        assert_eq!((p, r, f), (0.5, 0.5, 0.5));
    }

    #[test]
    fn empty_predictions_count_for_recall_only() {
        let empty = shingle_counts("one two three four", "");
        assert_eq!((empty.tp, empty.fp, empty.fn_), (0.0, 0.0, 1.0));
        let (p, r, _) = shingle_scores(&[empty, shingle_counts("a b c d", "a b c d")]);
        assert_eq!(p, 1.0);
        assert_eq!(r, 0.5);
    }

    #[test]
    fn segments_match_after_squashing_spaces() {
        let c = segment_counts(
            "Body  text here.\nFooter",
            &["Body text".into(), "missing".into()],
            &["Footer".into(), "Menu".into()],
        );
        assert_eq!((c.tp, c.fn_, c.fp, c.tn), (1.0, 1.0, 1.0, 1.0));
        assert_eq!(c.accuracy(), 0.5);
    }
}

/// Precision, recall and F1 of a clustering against gold, with the three
/// usual coreference views. Items are indices; `predicted[i]` and `gold[i]`
/// are cluster labels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClusterScores {
    /// B-cubed (per item, averaged).
    pub bcubed: (f64, f64, f64),
    /// Pairwise (over pairs of items).
    pub pairwise: (f64, f64, f64),
    /// CEAF-e (entity-level, optimal one-to-one alignment, φ4 similarity).
    pub ceaf_e: (f64, f64, f64),
}

fn groups(labels: &[usize]) -> Vec<Vec<usize>> {
    let mut by_label: std::collections::BTreeMap<usize, Vec<usize>> = std::collections::BTreeMap::new();
    for (i, l) in labels.iter().enumerate() {
        by_label.entry(*l).or_default().push(i);
    }
    by_label.into_values().collect()
}

/// Scores a clustering.
pub fn cluster_scores(predicted: &[usize], gold: &[usize]) -> ClusterScores {
    assert_eq!(predicted.len(), gold.len());
    let n = predicted.len().max(1) as f64;
    // Ordered maps: sums in a fixed order give the same last bits on every
    // run, so grid searches that compare these scores break ties the same way.
    let mut joint: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    let mut pred_size: BTreeMap<usize, f64> = BTreeMap::new();
    let mut gold_size: BTreeMap<usize, f64> = BTreeMap::new();
    for (p, g) in predicted.iter().zip(gold) {
        *joint.entry((*p, *g)).or_default() += 1.0;
        *pred_size.entry(*p).or_default() += 1.0;
        *gold_size.entry(*g).or_default() += 1.0;
    }
    // B-cubed: every item in cell (p, g) has precision |p∩g|/|p| and recall |p∩g|/|g|.
    let (mut bp, mut br) = (0.0, 0.0);
    for ((p, g), c) in &joint {
        bp += c * c / pred_size[p];
        br += c * c / gold_size[g];
    }
    let (bp, br) = (bp / n, br / n);
    let pairs = |x: f64| x * (x - 1.0) / 2.0;
    let both: f64 = joint.values().map(|c| pairs(*c)).sum();
    let pred_pairs: f64 = pred_size.values().map(|c| pairs(*c)).sum();
    let gold_pairs: f64 = gold_size.values().map(|c| pairs(*c)).sum();
    let (pp, pr) = (ratio(both, pred_pairs), ratio(both, gold_pairs));
    let (pred_groups, gold_groups) = (groups(predicted), groups(gold));
    let sim = |a: &Vec<usize>, b: &Vec<usize>| {
        let inter = a.iter().filter(|i| b.binary_search(i).is_ok()).count() as f64;
        2.0 * inter / (a.len() + b.len()) as f64
    };
    let (rows, cols, transpose) = if pred_groups.len() <= gold_groups.len() {
        (&pred_groups, &gold_groups, false)
    } else {
        (&gold_groups, &pred_groups, true)
    };
    let mut weights = pathfinding::matrix::Matrix::new(rows.len(), cols.len(), 0i64);
    for (r, a) in rows.iter().enumerate() {
        for (c, b) in cols.iter().enumerate() {
            let s = if transpose { sim(b, a) } else { sim(a, b) };
            weights[(r, c)] = (s * 1e6).round() as i64;
        }
    }
    let total = if rows.is_empty() { 0.0 } else { pathfinding::kuhn_munkres::kuhn_munkres(&weights).0 as f64 / 1e6 };
    let (cp, cr) = (ratio(total, pred_groups.len() as f64), ratio(total, gold_groups.len() as f64));
    ClusterScores { bcubed: (bp, br, f1(bp, br)), pairwise: (pp, pr, f1(pp, pr)), ceaf_e: (cp, cr, f1(cp, cr)) }
}

#[cfg(test)]
mod cluster_tests {
    use super::*;

    #[test]
    fn perfect_and_lumped_clusterings() {
        let gold = [0, 0, 1, 1];
        let perfect = cluster_scores(&[5, 5, 7, 7], &gold);
        assert_eq!(perfect.bcubed.2, 1.0);
        assert_eq!(perfect.pairwise.2, 1.0);
        assert!((perfect.ceaf_e.2 - 1.0).abs() < 1e-9);
        let lumped = cluster_scores(&[0, 0, 0, 0], &gold);
        assert_eq!(lumped.bcubed.0, 0.5);
        assert_eq!(lumped.bcubed.1, 1.0);
        assert_eq!(lumped.pairwise.0, 2.0 / 6.0);
        let singletons = cluster_scores(&[0, 1, 2, 3], &gold);
        assert_eq!(singletons.pairwise.2, 0.0);
        assert_eq!(singletons.bcubed.0, 1.0);
    }
}
