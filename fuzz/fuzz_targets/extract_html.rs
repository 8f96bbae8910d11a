//! HTML pages: decoding, the html5ever parse, trafilatura and our rules.
#![no_main]
use libfuzzer_sys::fuzz_target;
use storyline_model::{ContentKind, RawDocument, SourceHints};

fuzz_target!(|data: &[u8]| {
    let extractor = storyline_extract::Extractor::default();
    let doc = RawDocument {
        source: "fuzz.html".into(),
        external_id: None,
        kind: ContentKind::Html,
        bytes: data.to_vec(),
        hints: SourceHints::default(),
    };
    let _ = extractor.extract(&doc);
});
