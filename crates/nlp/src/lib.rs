//! Text analysis: language identification, absolute dates, time
//! expressions resolved against a reference date, and the text folding the
//! matchers share. Entities and quotes will live here too.

pub mod dates;
pub mod estimate;
pub mod fold;
pub mod lang;
pub mod time;

pub use lang::{detect_language, LanguageGuess};
