//! One queued document: a line of JSON metadata (source, producer id,
//! kind, hints), a newline, then the document's bytes untouched (no
//! base64: a page costs its own size on the wire).

use serde::{Deserialize, Serialize};
use storyline_model::{ContentKind, RawDocument, SourceHints};

#[derive(Serialize, Deserialize)]
struct Meta {
    source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    external_id: Option<String>,
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    published: Option<chrono::NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    lang: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    charset: Option<String>,
}

/// The message for a document.
pub fn encode(doc: &RawDocument) -> anyhow::Result<bytes::Bytes> {
    let meta = Meta {
        source: doc.source.clone(),
        external_id: doc.external_id.clone(),
        kind: match doc.kind {
            ContentKind::Html => "html",
            ContentKind::Text => "text",
        }
        .to_string(),
        url: doc.hints.url.clone(),
        title: doc.hints.title.clone(),
        published: doc.hints.published,
        lang: doc.hints.lang.clone(),
        charset: doc.hints.charset.clone(),
    };
    let mut out = serde_json::to_vec(&meta)?;
    out.push(b'\n');
    out.extend_from_slice(&doc.bytes);
    Ok(out.into())
}

/// The document of a message, or why it is not one.
pub fn decode(payload: &[u8]) -> Result<RawDocument, String> {
    let newline = payload.iter().position(|&b| b == b'\n').ok_or("not a storyline document (no metadata line)")?;
    let meta: Meta =
        serde_json::from_slice(&payload[..newline]).map_err(|e| format!("not a storyline document (metadata: {e})"))?;
    let kind = match meta.kind.as_str() {
        "html" => ContentKind::Html,
        "text" => ContentKind::Text,
        other => return Err(format!("{}: unknown document kind {other:?}", meta.source)),
    };
    Ok(RawDocument {
        source: meta.source,
        external_id: meta.external_id,
        kind,
        bytes: payload[newline + 1..].to_vec(),
        hints: SourceHints {
            url: meta.url,
            title: meta.title,
            published: meta.published,
            lang: meta.lang,
            charset: meta.charset,
        },
    })
}

/// The stream's deduplication id: the document's source and bytes, so the
/// same file published twice is one message, and two records with the same
/// body from different sources are two (each source is kept).
pub fn message_id(doc: &RawDocument) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(doc.source.as_bytes());
    hasher.update(&[0]);
    hasher.update(&doc.bytes);
    hasher.finalize().to_hex()[..32].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_survives_the_envelope() {
        let doc = RawDocument {
            source: "feeds/a.jsonl#3".to_string(),
            external_id: Some("x-1".to_string()),
            kind: ContentKind::Text,
            bytes: "Première ligne\nseconde ligne\n".as_bytes().to_vec(),
            hints: SourceHints {
                title: Some("Un titre".to_string()),
                published: chrono::NaiveDate::from_ymd_opt(2024, 5, 1),
                ..SourceHints::default()
            },
        };
        let back = decode(&encode(&doc).unwrap()).unwrap();
        assert_eq!(back.source, doc.source);
        assert_eq!(back.external_id, doc.external_id);
        assert_eq!(back.bytes, doc.bytes);
        assert_eq!(back.hints, doc.hints);
        assert!(matches!(back.kind, ContentKind::Text));
    }

    #[test]
    fn a_foreign_message_is_refused_with_a_reason() {
        assert!(decode(b"no newline here").unwrap_err().contains("no metadata line"));
        assert!(decode(b"{\"nope\": 1}\nbody").unwrap_err().contains("metadata"));
        let unknown = decode(b"{\"source\":\"s\",\"kind\":\"pdf\"}\nbody").unwrap_err();
        assert!(unknown.contains("unknown document kind"), "{unknown}");
    }

    #[test]
    fn message_ids_follow_source_and_content() {
        let doc = |source: &str, body: &str| RawDocument {
            source: source.to_string(),
            external_id: None,
            kind: ContentKind::Html,
            bytes: body.as_bytes().to_vec(),
            hints: SourceHints::default(),
        };
        assert_eq!(message_id(&doc("a", "x")), message_id(&doc("a", "x")));
        assert_ne!(message_id(&doc("a", "x")), message_id(&doc("b", "x")));
        assert_ne!(message_id(&doc("a", "x")), message_id(&doc("a", "y")));
    }
}
