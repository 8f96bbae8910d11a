//! Date expressions resolved against a reference date.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let reference = chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        let _ = storyline_nlp::time::find_time_expressions(text, reference);
    }
});
