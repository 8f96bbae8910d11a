//! RSS 2.0, Atom and RSS 1.0 feeds (the `feed-rs` parser): each item is a
//! document. An item with content (`content:encoded`, Atom `content`) is an
//! HTML page holding its title and content; one with a summary only is a
//! text of its title and summary; one with a title only is a brief. The
//! item's link, date and title are hints, its id the external id.

use std::io::BufRead;

use storyline_model::{ContentKind, RawDocument, SourceHints};

use crate::{read_limited, SourceError, SourceItem, SourceOptions};

/// Escapes text placed inside HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Reads a feed and hands each item to `sink`.
pub fn read_feed(name: &str, reader: Box<dyn BufRead>, options: &SourceOptions, sink: &mut dyn FnMut(SourceItem)) {
    let bytes = match read_limited(reader, options.max_document_bytes) {
        Ok(b) => b,
        Err(reason) => return sink(Err(SourceError { source: name.to_string(), reason })),
    };
    let feed = match feed_rs::parser::parse(&bytes[..]) {
        Ok(f) => f,
        Err(err) => {
            return sink(Err(SourceError { source: name.to_string(), reason: format!("not a readable feed: {err}") }))
        }
    };
    if feed.entries.is_empty() {
        return sink(Err(SourceError { source: name.to_string(), reason: "the feed has no items".into() }));
    }
    for (i, entry) in feed.entries.into_iter().enumerate() {
        let source = format!("{name}#item-{}", i + 1);
        let title = entry.title.map(|t| t.content.trim().to_string()).filter(|t| !t.is_empty());
        let url = entry.links.first().map(|l| l.href.clone());
        let published = entry.published.or(entry.updated).map(|d| d.date_naive());
        let content = entry.content.and_then(|c| c.body).filter(|b| !b.trim().is_empty());
        let summary = entry.summary.map(|s| s.content).filter(|s| !s.trim().is_empty());
        let heading = title.as_deref().map(escape).unwrap_or_default();
        let (kind, body) = match (content, summary, &title) {
            (Some(html), _, _) => (
                ContentKind::Html,
                format!("<html><head><title>{heading}</title></head><body><h1>{heading}</h1><article>{html}</article></body></html>"),
            ),
            // A summary may hold markup too (many RSS feeds escape HTML in <description>).
            (None, Some(summary), _) if summary.contains('<') => (
                ContentKind::Html,
                format!("<html><head><title>{heading}</title></head><body><h1>{heading}</h1><article>{summary}</article></body></html>"),
            ),
            (None, Some(summary), Some(t)) => (ContentKind::Text, format!("{t}\n\n{}", summary.trim())),
            (None, Some(summary), None) => (ContentKind::Text, summary.trim().to_string()),
            (None, None, Some(t)) => (ContentKind::Text, t.clone()),
            (None, None, None) => {
                sink(Err(SourceError { source, reason: "feed item with no title, summary or content".into() }));
                continue;
            }
        };
        sink(Ok(RawDocument {
            source: url.clone().unwrap_or(source),
            external_id: Some(entry.id).filter(|id| !id.is_empty()),
            kind,
            bytes: body.into_bytes(),
            hints: SourceHints { url, title, published, lang: feed.language.clone(), charset: Some("utf-8".into()) },
        }));
    }
}
