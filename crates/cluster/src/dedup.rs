//! Near-duplicates and shared passages (wire copy evidence).
//!
//! Texts are compared as sequences of normalised tokens: case and accents
//! folded, quote marks and punctuation ignored, and numbers written without
//! their grouping separators, so "1 250", "1.250" and "1,250" are the same
//! token. Shingles of [`SHINGLE`] tokens are hashed and indexed; two
//! articles sharing shingles are compared, never all pairs.
//!
//! - A near-duplicate shares at least [`DUPLICATE_JACCARD`] of its shingles
//!   with an earlier article (the same dispatch republished with a changed
//!   header or number format); it points to that article.
//! - A shared passage is a maximal run of consecutive shingles found in
//!   another article: the wire copy two outlets carry with different cuts.

use std::collections::{BTreeMap, HashMap, HashSet};

use storyline_nlp::fold::fold;

/// Tokens per shingle: long enough that sharing one is not chance.
pub const SHINGLE: usize = 8;

/// Share of shingles (Jaccard) above which two texts are near-duplicates.
pub const DUPLICATE_JACCARD: f64 = 0.9;

/// Shortest shared passage reported, in tokens.
pub const MIN_PASSAGE_TOKENS: usize = 12;

/// A token with its character span in the original text.
struct Token {
    text: String,
    start: usize,
    end: usize,
}

/// Normalised tokens; digit groups separated by a space, dot or comma
/// followed by exactly three digits are joined ("1 250" → "1250").
fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens: Vec<Token> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_alphanumeric() {
            i += 1;
        }
        let mut word: String = chars[start..i].iter().collect();
        if word.chars().all(|c| c.is_ascii_digit()) {
            // Join thousands groups: separator then exactly three digits.
            while i < chars.len()
                && matches!(chars[i], ' ' | '.' | ',' | '\u{a0}' | '\u{202f}')
                && chars.get(i + 1..i + 4).is_some_and(|g| g.iter().all(|c| c.is_ascii_digit()))
                && chars.get(i + 4).is_none_or(|c| !c.is_ascii_digit())
            {
                word.extend(&chars[i + 1..i + 4]);
                i += 4;
            }
        }
        tokens.push(Token { text: fold(&word), start, end: i });
    }
    tokens
}

fn shingle_hashes(tokens: &[Token]) -> Vec<u64> {
    tokens
        .windows(SHINGLE)
        .map(|w| {
            let mut hasher = blake3::Hasher::new();
            for t in w {
                hasher.update(t.text.as_bytes());
                hasher.update(b" ");
            }
            u64::from_le_bytes(hasher.finalize().as_bytes()[..8].try_into().unwrap())
        })
        .collect()
}

/// Shingle hashes per winnowing window: any run of this many consecutive
/// shingles two texts share has a fingerprint in both. Five shingles of
/// eight tokens span [`MIN_PASSAGE_TOKENS`], so no reportable passage is
/// missed, while about a third of the shingles are kept.
pub const WINNOW_WINDOW: usize = MIN_PASSAGE_TOKENS - SHINGLE + 1;

/// The winnowed fingerprints of a text (Schleimer, Wilkerson and Aiken
/// 2003): the smallest shingle hash of every window of
/// [`WINNOW_WINDOW`] shingles, deduplicated and sorted. Two texts that
/// share a passage of [`MIN_PASSAGE_TOKENS`] tokens, or nearly duplicate
/// each other, share a fingerprint, so a store indexes these instead of
/// every shingle. Values fit in 63 bits (SQLite integers). Only one in
/// [`FINGERPRINT_SAMPLE`] is kept, so the guarantee holds for passages
/// about twice that long (and a store asks for two shared fingerprints:
/// a passage of some thirty tokens, any near-duplicate).
pub fn fingerprints(text: &str) -> Vec<u64> {
    let hashes: Vec<u64> = shingle_hashes(&tokenize(text)).into_iter().map(|h| h >> 1).collect();
    let mut out: Vec<u64> = if hashes.len() <= WINNOW_WINDOW {
        hashes.iter().min().copied().into_iter().collect()
    } else {
        hashes.windows(WINNOW_WINDOW).filter_map(|w| w.iter().min().copied()).collect()
    };
    // Half of them, chosen by value (so the same in every text): each is a
    // random insert into the store's index, the costliest write of a batch.
    out.retain(|h| h % FINGERPRINT_SAMPLE == 0);
    out.sort_unstable();
    out.dedup();
    out
}

/// One winnowed fingerprint in this many is kept (by value).
pub const FINGERPRINT_SAMPLE: u64 = 2;

/// A passage of one article also found in another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedPassage {
    /// Index of the article holding the passage.
    pub article: usize,
    /// Index of the other article that carries it too.
    pub other: usize,
    /// Character offsets in the article's text.
    pub start: usize,
    /// End offset (exclusive).
    pub end: usize,
}

/// What deduplication finds for a batch of texts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overlaps {
    /// For each text, the earlier text it nearly duplicates.
    pub duplicate_of: Vec<Option<usize>>,
    /// Every shared passage.
    pub passages: Vec<SharedPassage>,
}

/// Finds near-duplicates and shared passages among `texts`, taken in the
/// given order (an earlier text is the original of a later copy).
pub fn overlaps(texts: &[&str]) -> Overlaps {
    let tokens: Vec<Vec<Token>> = texts.iter().map(|t| tokenize(t)).collect();
    let shingles: Vec<Vec<u64>> = tokens.iter().map(|t| shingle_hashes(t)).collect();
    let sets: Vec<HashSet<u64>> = shingles.iter().map(|s| s.iter().copied().collect()).collect();
    let mut index: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, set) in sets.iter().enumerate() {
        for h in set {
            index.entry(*h).or_default().push(i);
        }
    }
    let mut out = Overlaps { duplicate_of: vec![None; texts.len()], passages: Vec::new() };
    for i in 0..texts.len() {
        // Shared shingle counts with every article that has any.
        let mut shared: BTreeMap<usize, usize> = BTreeMap::new();
        for h in &sets[i] {
            for &j in &index[h] {
                if j != i {
                    *shared.entry(j).or_default() += 1;
                }
            }
        }
        for (&j, &count) in &shared {
            let union = sets[i].len() + sets[j].len() - count;
            let jaccard = count as f64 / union.max(1) as f64;
            if j < i && jaccard >= DUPLICATE_JACCARD && out.duplicate_of[i].is_none() {
                out.duplicate_of[i] = Some(j);
            }
            // Maximal runs of this article's shingles found in the other.
            let mut run_start: Option<usize> = None;
            // One position past the end closes a run that reaches the end.
            let hits = shingles[i].iter().map(|h| sets[j].contains(h)).chain(std::iter::once(false));
            for (k, hit) in hits.enumerate() {
                match (hit, run_start) {
                    (true, None) => run_start = Some(k),
                    (false, Some(s)) => {
                        let last_token = k - 1 + SHINGLE - 1;
                        if last_token + 1 - s >= MIN_PASSAGE_TOKENS {
                            out.passages.push(SharedPassage {
                                article: i,
                                other: j,
                                start: tokens[i][s].start,
                                end: tokens[i][last_token].end,
                            });
                        }
                        run_start = None;
                    }
                    _ => {}
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIRE: &str = "Le ministre a annoncé samedi que plus de 1 250 personnes avaient été évacuées après les crues, \
        a indiqué la préfecture dans un communiqué publié dans la soirée. Les secours restent mobilisés dans toute la vallée.";

    #[test]
    fn number_formats_do_not_hide_a_copy() {
        let copy = WIRE.replace("1 250", "1.250").replace("samedi", "Samedi");
        let other = "Le conseil municipal a voté le budget de la commune pour l'année prochaine après un long débat.";
        let found = overlaps(&[WIRE, &format!("Mis à jour. {copy}"), other]);
        assert_eq!(found.duplicate_of, vec![None, Some(0), None]);
    }

    #[test]
    fn different_cuts_share_passages_without_being_duplicates() {
        let a =
            format!("Un premier paragraphe propre au premier journal, écrit par sa rédaction locale ce matin. {WIRE}");
        let b =
            format!("{WIRE} Un dernier paragraphe ajouté par le second journal sur la réaction des élus de la région.");
        let found = overlaps(&[&a, &b]);
        assert_eq!(found.duplicate_of, vec![None, None]);
        let (fa, fb) = (fingerprints(&a), fingerprints(&b));
        assert!(fa.iter().any(|h| fb.binary_search(h).is_ok()), "a shared passage shares a fingerprint");
        assert!(fa.len() < shingle_hashes(&tokenize(&a)).len(), "fewer fingerprints than shingles");
        let passage = found.passages.iter().find(|p| p.article == 0).unwrap();
        let text: String = a.chars().skip(passage.start).take(passage.end - passage.start).collect();
        assert!(text.starts_with("Le ministre a annoncé"), "{text}");
        assert!(text.ends_with("toute la vallée"), "{text}");
        assert!(found.passages.iter().any(|p| p.article == 1 && p.other == 0));
    }
}
