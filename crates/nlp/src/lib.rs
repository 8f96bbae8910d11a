//! Text analysis: language identification, absolute dates, time
//! expressions resolved against a reference date, and the text folding the
//! matchers share, and regular verb forms for the verb lexicons.

pub mod dates;
pub mod estimate;
pub mod fold;
pub mod lang;
pub mod time;
pub mod verbs;

pub use lang::{detect_language, LanguageGuess};
