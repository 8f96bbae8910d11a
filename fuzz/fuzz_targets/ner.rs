//! The tokenizer, sentence splitter and entity recogniser, in both languages.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let tokens = storyline_ner::tokenize::tokenize(text);
        let _ = storyline_ner::tokenize::sentences(&tokens);
        let recognizer = storyline_ner::Recognizer::shared();
        let lang = if data.first().is_some_and(|b| b % 2 == 0) { "fr" } else { "en" };
        let _ = recognizer.mentions(text, Some(lang));
    }
});
