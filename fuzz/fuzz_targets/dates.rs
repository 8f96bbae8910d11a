//! Absolute dates in running text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = storyline_nlp::dates::find_dates(text, false);
        let _ = storyline_nlp::dates::find_dates(text, true);
    }
});
