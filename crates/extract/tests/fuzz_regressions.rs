//! Inputs that crashed a fuzz target (`fuzz/`, `scripts/fuzz.sh`), kept so
//! they never crash again: each is extracted as HTML and as plain text, and
//! must give a result or an error, never a panic.

use storyline_extract::Extractor;
use storyline_model::{ContentKind, RawDocument, SourceHints};

#[test]
fn inputs_that_crashed_the_fuzzer_extract_or_fail_cleanly() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let extractor = Extractor::default();
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("fixtures/fuzz exists") {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        for kind in [ContentKind::Html, ContentKind::Text] {
            let doc = RawDocument {
                source: path.display().to_string(),
                external_id: None,
                kind,
                bytes: bytes.clone(),
                hints: SourceHints::default(),
            };
            // Either outcome is fine; a panic fails the test.
            let _ = extractor.extract(&doc);
        }
        seen += 1;
    }
    assert!(seen >= 1, "no regression inputs in {}", dir.display());
}

#[test]
fn a_damaged_iso_date_is_no_date_rather_than_a_panic() {
    assert_eq!(storyline_extract::pubdate::parse_date_value("2023-10-1ÿÿ2T16:20:00Z"), None);
}
