//! Attributions: quote marks, cues, speakers, in both languages, with the
//! recogniser's mentions as the pipeline gives them.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let lang = if data.first().is_some_and(|b| b % 2 == 0) { "fr" } else { "en" };
        let mentions = storyline_ner::Recognizer::shared().mentions(text, Some(lang));
        let reference = chrono::NaiveDate::from_ymd_opt(2024, 2, 29);
        let _ = storyline_quotes::find_quotes(text, Some(lang), &mentions, reference);
    }
});
