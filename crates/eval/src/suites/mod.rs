//! One module per suite.

pub mod dates;
pub mod entities_dwie;
pub mod entity_linking;
pub mod events;
pub mod extraction;
pub mod extraction_fr;
pub mod extraction_wcxb;
pub mod languages;
pub mod ner_fr;
pub mod quotes;
pub mod seeds;
pub mod stories;
pub mod time_fr;

use storyline_model::{ContentKind, RawDocument, SourceHints};

/// An in-memory HTML document with an optional URL hint.
pub(crate) fn html_doc(name: &str, bytes: Vec<u8>, url: Option<&str>) -> RawDocument {
    RawDocument {
        source: name.to_string(),
        external_id: None,
        kind: ContentKind::Html,
        bytes,
        hints: SourceHints { url: url.map(str::to_string), ..SourceHints::default() },
    }
}
