//! Plain text: charset decoding, the line-level furniture cleaner, language and dates.
#![no_main]
use libfuzzer_sys::fuzz_target;
use storyline_model::{ContentKind, RawDocument, SourceHints};

fuzz_target!(|data: &[u8]| {
    let extractor = storyline_extract::Extractor::default();
    let doc = RawDocument {
        source: "fuzz.txt".into(),
        external_id: None,
        kind: ContentKind::Text,
        bytes: data.to_vec(),
        hints: SourceHints::default(),
    };
    let _ = extractor.extract(&doc);
});
