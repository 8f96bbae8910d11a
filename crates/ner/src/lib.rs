//! Named-entity recognition: people, places, organisations and other names in
//! French and English text, with character spans and the roles written beside
//! people.
//!
//! - [`tokenize`]: word tokens with character offsets, elisions split off.
//! - [`gazetteer`]: countries (iso-codes), cities (GeoNames), demonyms, title
//!   and organisation words, all from `resources/<lang>/`.
//! - [`classes`]: distributional word classes from CC0 word vectors.
//! - [`perceptron`] and [`tagger`]: a greedy averaged-perceptron BIO tagger
//!   over hashed features (shape, context, gazetteer hits, titles).
//! - [`recognize`]: the whole chain on article text.
//! - [`corpus`]: readers for the tagged corpora it is trained and scored on.

pub mod classes;
pub mod corpus;
pub mod gazetteer;
pub mod perceptron;
pub mod recognize;
pub mod tagger;
pub mod tokenize;
pub mod training;

pub use recognize::Recognizer;
