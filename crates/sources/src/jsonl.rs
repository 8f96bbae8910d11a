//! JSON Lines input: one article per line with `id`, `text` or `html`, and
//! optional `title`, `url`, `published`, `lang`.

use std::io::BufRead;

use chrono::NaiveDate;
use serde_json::Value;
use storyline_model::{ContentKind, RawDocument, SourceHints};

use crate::{describe_io, human_bytes, SourceError, SourceItem, SourceOptions};

/// Reads one document per non-blank line; a bad line is reported with its
/// number and the rest of the file goes on.
pub(crate) fn read_jsonl(
    name: &str,
    reader: Box<dyn BufRead>,
    options: &SourceOptions,
    sink: &mut dyn FnMut(SourceItem),
) {
    let mut buf = Vec::new();
    let mut reader = reader;
    let mut number = 0usize;
    loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => return,
            Ok(_) => number += 1,
            Err(err) => {
                return sink(Err(SourceError { source: format!("{name}:{}", number + 1), reason: describe_io(&err) }))
            }
        }
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let source = format!("{name}:{number}");
        if buf.len() as u64 > options.max_document_bytes {
            sink(Err(SourceError {
                source,
                reason: format!(
                    "line of {} is larger than the {} limit",
                    human_bytes(buf.len() as u64),
                    human_bytes(options.max_document_bytes)
                ),
            }));
            continue;
        }
        sink(parse_line(&buf, &source));
    }
}

/// Parses one JSONL line into a document.
pub fn parse_line(line: &[u8], source: &str) -> SourceItem {
    let fail = |reason: String| Err(SourceError { source: source.to_string(), reason });
    let value: Value = match serde_json::from_slice(line) {
        Ok(v) => v,
        Err(err) if std::str::from_utf8(line).is_err() => return fail(format!("line is not valid UTF-8 JSON ({err})")),
        Err(err) => return fail(format!("invalid JSON: {err}")),
    };
    let Some(object) = value.as_object() else {
        return fail("expected a JSON object per line".into());
    };
    let text_field =
        |key: &str| object.get(key).and_then(Value::as_str).map(str::to_string).filter(|s| !s.trim().is_empty());
    let id = match object.get("id") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let (kind, body) = match (text_field("html"), text_field("text"), text_field("title")) {
        (Some(html), _, _) => (ContentKind::Html, html),
        (None, Some(text), _) => (ContentKind::Text, text),
        // A headline alone (a feed item, a wire flash) is a brief: its title is its text.
        (None, None, Some(title)) => (ContentKind::Text, title),
        (None, None, None) => return fail("no non-empty \"text\", \"html\" or \"title\" field".into()),
    };
    // "date" is what most feed and scraper exports call it; "published" wins when both are there.
    let date_key = ["published", "date"].into_iter().find(|k| text_field(k).is_some());
    let published = match date_key.and_then(|k| text_field(k).map(|p| (k, p))) {
        Some((key, p)) => match parse_date(&p) {
            Some(d) => Some(d),
            None => return fail(format!("\"{key}\" is not a date (YYYY-MM-DD or RFC 3339): {p:?}")),
        },
        None => None,
    };
    let url = text_field("url");
    Ok(RawDocument {
        source: url.clone().unwrap_or_else(|| source.to_string()),
        external_id: id,
        kind,
        bytes: body.into_bytes(),
        hints: SourceHints {
            url,
            title: text_field("title"),
            published,
            lang: text_field("lang"),
            charset: Some("utf-8".into()),
        },
    })
}

/// Accepts `YYYY-MM-DD` and anything that starts with it (RFC 3339 stamps).
fn parse_date(text: &str) -> Option<NaiveDate> {
    let head = text.trim().get(..10)?;
    NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()
}
