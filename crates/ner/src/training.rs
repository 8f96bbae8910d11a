//! The training recipe of the shipped model: only redistributable data.
//!
//! - Europeana Newspapers French (CC0), the whole file: no suite scores on
//!   it, so its README's proposed test part is not held out.
//! - HIPE-2022 NewsEye French dev and dev2 (CC BY 4.0); its test file is
//!   kept for `eval ner-fr`.
//!
//! WikiNEuRal and the other HIPE parts are CC BY-NC-SA: evaluation only.

use std::path::Path;

use crate::corpus::{read_europeana, read_hipe, TaggedSentence};
use crate::perceptron::{tag_index, Model};
use crate::tagger::{train, TrainingSentence};

/// The number of passes over the training data.
pub const EPOCHS: usize = 8;

/// Reads the redistributable training sentences from the shared data folder.
pub fn redistributable_corpus(data: &Path) -> Result<Vec<TaggedSentence>, String> {
    let ner = data.join("ner-fr");
    let mut out = read_europeana(&ner.join("europeana-fr/enp_FR.bnf.bio"), 0, usize::MAX)?;
    for part in ["newseye-dev", "newseye-dev2"] {
        out.extend(read_hipe(&ner.join(format!("hipe2022-fr/HIPE-2022-v2.1-{part}-fr.tsv")))?);
    }
    Ok(out)
}

/// Trains a model on tagged sentences.
pub fn train_model(sentences: &[TaggedSentence], epochs: usize, progress: impl FnMut(usize, f64)) -> Model {
    let data: Vec<TrainingSentence> =
        sentences.iter().map(|s| (s.words.clone(), s.tags.iter().map(|t| tag_index(t)).collect())).collect();
    train(&data, crate::gazetteer::shared(), epochs, progress)
}

/// The words the corpus writes in lowercase: the common words
/// of the language (`common_words.txt.gz`), which a capital at the start of
/// a sentence does not make a name. OCR noise only adds rare junk words.
pub fn common_words(sentences: &[TaggedSentence]) -> Vec<String> {
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for s in sentences {
        for w in &s.words {
            if w.chars().count() >= 2 && w.chars().all(|c| c.is_alphabetic() && !c.is_uppercase()) {
                *counts.entry(w.as_str()).or_default() += 1;
            }
        }
    }
    let mut words: Vec<String> = counts.into_iter().filter(|(_, n)| *n >= 1).map(|(w, _)| w.to_string()).collect();
    words.sort_unstable();
    words
}

/// Writes a word list gzipped, with a header line, byte-for-byte the same
/// for the same words.
pub fn write_word_list(words: &[String], header: &str, out: impl std::io::Write) -> std::io::Result<()> {
    use std::io::Write;
    let mut gz = flate2::GzBuilder::new().mtime(0).write(out, flate2::Compression::best());
    writeln!(gz, "# {header}")?;
    for w in words {
        writeln!(gz, "{w}")?;
    }
    gz.finish()?.flush()
}
