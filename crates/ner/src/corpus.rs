//! Readers for tagged corpora: CoNLL (WikiNEuRal: index, token, tag), HIPE
//! TSV (HIPE-2022) and token-tag pairs (Europeana). Every reader returns
//! sentences of words with BIO tags over PER, LOC, ORG and MISC.

use std::path::Path;

/// A sentence with its gold BIO tags (strings as in [`crate::perceptron::TAGS`]).
#[derive(Debug, Clone, Default)]
pub struct TaggedSentence {
    /// Words as written.
    pub words: Vec<String>,
    /// One BIO tag per word.
    pub tags: Vec<String>,
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Maps a corpus's type name to PER, LOC, ORG or MISC (None: not an entity).
fn map_type(kind: &str) -> Option<&'static str> {
    match kind.to_ascii_lowercase().as_str() {
        "per" | "pers" => Some("PER"),
        "loc" => Some("LOC"),
        "org" => Some("ORG"),
        "misc" | "prod" | "humanprod" => Some("MISC"),
        _ => None,
    }
}

/// Rewrites IOB1 or IOB2 tags of any type names as IOB2 over our four types:
/// an I- after something else starts an entity.
fn normalise(tags: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(tags.len());
    let mut prev: Option<&str> = None;
    for tag in tags {
        let (prefix, kind) = tag.split_once('-').unwrap_or(("O", ""));
        let kind = if prefix == "O" { None } else { map_type(kind) };
        match kind {
            None => {
                out.push("O".into());
                prev = None;
            }
            Some(k) => {
                let begin = prefix == "B" || prev != Some(k);
                out.push(format!("{}-{k}", if begin { "B" } else { "I" }));
                prev = Some(k);
            }
        }
    }
    out
}

/// Reads a WikiNEuRal-style CoNLL file (index, token, tag; blank line ends a
/// sentence).
pub fn read_conll(path: &Path) -> Result<Vec<TaggedSentence>, String> {
    let text = read(path)?;
    let mut out = Vec::new();
    let (mut words, mut tags): (Vec<String>, Vec<&str>) = (Vec::new(), Vec::new());
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            if !words.is_empty() {
                out.push(TaggedSentence { words: std::mem::take(&mut words), tags: normalise(&tags) });
                tags.clear();
            }
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 3 {
            return Err(format!("{}:{}: expected index, token and tag", path.display(), n + 1));
        }
        words.push(cols[1].to_string());
        tags.push(cols[2]);
    }
    if !words.is_empty() {
        out.push(TaggedSentence { words, tags: normalise(&tags) });
    }
    Ok(out)
}

/// Reads a HIPE-2022 TSV file, column NE-COARSE-LIT; documents are joined
/// at sentence ends that fall inside an entity ("M." flagged as an end).
pub fn read_hipe(path: &Path) -> Result<Vec<TaggedSentence>, String> {
    let text = read(path)?;
    let mut out = Vec::new();
    let (mut words, mut tags): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    let flush = |words: &mut Vec<String>, tags: &mut Vec<String>, out: &mut Vec<TaggedSentence>| {
        if !words.is_empty() {
            let refs: Vec<&str> = tags.iter().map(String::as_str).collect();
            out.push(TaggedSentence { words: std::mem::take(words), tags: normalise(&refs) });
            tags.clear();
        }
    };
    for (n, line) in text.lines().enumerate() {
        if line.starts_with("TOKEN\t") || line.starts_with('#') {
            continue;
        }
        if line.trim().is_empty() {
            flush(&mut words, &mut tags, &mut out);
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 10 {
            return Err(format!("{}:{}: expected 10 columns", path.display(), n + 1));
        }
        words.push(cols[0].to_string());
        tags.push(cols[1].to_string());
        if cols[9].contains("EndOfSentence") {
            // An entity straddling the flag continues in the next sentence.
            flush(&mut words, &mut tags, &mut out);
        }
    }
    flush(&mut words, &mut tags, &mut out);
    Ok(out)
}

/// Reads the Europeana "TOKEN TAG" file (no sentence breaks: cut after ".",
/// "!" or "?" tagged O) and returns the token range `[from, to)` of
/// pseudo-sentences, as the data set's README proposes for its split.
pub fn read_europeana(path: &Path, from: usize, to: usize) -> Result<Vec<TaggedSentence>, String> {
    let text = read(path)?;
    let mut out = Vec::new();
    let (mut words, mut tags): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    let mut index = 0;
    for (n, line) in text.lines().enumerate() {
        let Some((word, tag)) = line.rsplit_once(' ') else {
            return Err(format!("{}:{}: expected token and tag", path.display(), n + 1));
        };
        words.push(word.to_string());
        tags.push(tag.to_string());
        if matches!(word, "." | "!" | "?") && tag == "O" {
            if (from..to).contains(&index) {
                let refs: Vec<&str> = tags.iter().map(String::as_str).collect();
                out.push(TaggedSentence { words: std::mem::take(&mut words), tags: normalise(&refs) });
            }
            words.clear();
            tags.clear();
            index += 1;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_become_iob2_over_four_types() {
        assert_eq!(normalise(&["I-PER", "I-PER", "O", "I-LOC"]), ["B-PER", "I-PER", "O", "B-LOC"]);
        assert_eq!(normalise(&["B-pers", "I-pers", "B-time", "B-prod"]), ["B-PER", "I-PER", "O", "B-MISC"]);
    }

    #[test]
    fn readers_parse_their_formats() {
        let dir = tempfile::tempdir().unwrap();
        let conll = dir.path().join("a.conllu");
        std::fs::write(&conll, "0\tÀ\tO\n1\tParis\tB-LOC\n\n0\tBob\tB-PER\n").unwrap();
        let s = read_conll(&conll).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].tags, ["O", "B-LOC"]);
        let bio = dir.path().join("b.bio");
        std::fs::write(&bio, "Jean I-PER\nvint O\n. O\nà O\nRennes I-LOC\n. O\n").unwrap();
        let s = read_europeana(&bio, 1, 2).unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].words, ["à", "Rennes", "."]);
        assert!(read_conll(&bio).is_err());
    }
}
