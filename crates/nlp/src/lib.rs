//! Text analysis. For now: language identification.
//!
//! Later stages (sentences, entities, time expressions, quotes) will live in
//! their own modules here.

pub mod dates;
pub mod lang;

pub use lang::{detect_language, LanguageGuess};
