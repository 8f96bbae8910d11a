//! The training recipe of the shipped model: only redistributable data.
//!
//! - Europeana Newspapers French (CC0), pseudo-sentences [0, 9997): the
//!   train part of the split proposed in the data set's README.
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
    let mut out = read_europeana(&ner.join("europeana-fr/enp_FR.bnf.bio"), 0, 9997)?;
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
