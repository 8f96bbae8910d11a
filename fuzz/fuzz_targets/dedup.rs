//! Near-duplicates and shared passages: tokens, number joining, fingerprints.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let (a, b) = text.split_at(text.char_indices().nth(text.chars().count() / 2).map_or(0, |(i, _)| i));
        let _ = storyline_cluster::dedup::overlaps(&[a, b, text]);
        let _ = storyline_cluster::dedup::fingerprints(text);
    }
});
