//! Events and figures: triggers, actors, modes and numbers in both
//! languages, with the mentions and attributions as the pipeline gives them.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let lang = if data.first().is_some_and(|b| b % 2 == 0) { "fr" } else { "en" };
        let mentions = storyline_ner::Recognizer::shared().mentions(text, Some(lang));
        let reference = chrono::NaiveDate::from_ymd_opt(2024, 2, 29);
        let quotes = storyline_quotes::find_quotes(text, Some(lang), &mentions, reference);
        let _ = storyline_events::code_events(text, Some(lang), &mentions, &quotes, reference);
        let _ = storyline_events::find_figures(text, Some(lang), reference);
    }
});
