//! A small streaming WARC reader.
//!
//! Written here rather than taken from the `warc` crate because a damaged
//! archive must not end the batch: after a malformed record we report it and
//! resynchronise on the next `WARC/` version line.

use std::io::{BufRead, Read};

use storyline_model::{ContentKind, RawDocument, SourceHints};

use crate::{describe_io, human_bytes, SourceError, SourceItem, SourceOptions};

/// Reads every record; HTML responses become documents, other records
/// (requests, metadata, images) are skipped silently.
pub(crate) fn read_warc(
    name: &str,
    mut reader: Box<dyn BufRead>,
    options: &SourceOptions,
    sink: &mut dyn FnMut(SourceItem),
) {
    let mut index = 0usize;
    let mut line = Vec::new();
    let mut resyncing = false;
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => return,
            Ok(_) => {}
            Err(err) => return sink(Err(SourceError { source: name.to_string(), reason: describe_io(&err) })),
        }
        if line.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        if !line.starts_with(b"WARC/") {
            if !resyncing {
                resyncing = true;
                sink(Err(SourceError {
                    source: format!("{name}#{}", index + 1),
                    reason: "malformed WARC record: expected a 'WARC/' version line; skipping to the next record"
                        .into(),
                }));
            }
            continue;
        }
        resyncing = false;
        index += 1;
        let record = format!("{name}#{index}");
        let headers = match read_headers(&mut reader) {
            Ok(h) => h,
            Err(reason) => return sink(Err(SourceError { source: record, reason })),
        };
        let header = |key: &str| headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v.as_str());
        let Some(length) = header("Content-Length").and_then(|v| v.trim().parse::<u64>().ok()) else {
            sink(Err(SourceError {
                source: record,
                reason: "malformed WARC record: missing or invalid Content-Length; skipping to the next record".into(),
            }));
            resyncing = true;
            continue;
        };
        if length > options.max_document_bytes {
            sink(Err(SourceError {
                source: record,
                reason: format!(
                    "record of {} is larger than the {} limit",
                    human_bytes(length),
                    human_bytes(options.max_document_bytes)
                ),
            }));
            if let Err(err) = std::io::copy(&mut (&mut reader).take(length), &mut std::io::sink()) {
                return sink(Err(SourceError { source: name.to_string(), reason: describe_io(&err) }));
            }
            continue;
        }
        let mut body = vec![0u8; length as usize];
        if let Err(err) = reader.read_exact(&mut body) {
            let reason = if err.kind() == std::io::ErrorKind::UnexpectedEof {
                "truncated WARC record: the file ends inside the record".to_string()
            } else {
                describe_io(&err)
            };
            return sink(Err(SourceError { source: record, reason }));
        }
        let warc_type = header("WARC-Type").unwrap_or("").to_ascii_lowercase();
        let url = header("WARC-Target-URI").map(|u| u.trim_matches(|c| c == '<' || c == '>').to_string());
        let payload = match warc_type.as_str() {
            "response" => match http_payload(&body) {
                Ok(Some(p)) => p,
                Ok(None) => continue,
                Err(reason) => {
                    sink(Err(SourceError { source: record, reason }));
                    continue;
                }
            },
            "resource" if header("Content-Type").is_some_and(|t| t.contains("html")) => {
                HttpPayload { body, charset: header("Content-Type").and_then(charset_of) }
            }
            _ => continue,
        };
        sink(Ok(RawDocument {
            source: record,
            external_id: None,
            kind: ContentKind::Html,
            bytes: payload.body,
            hints: SourceHints { url, charset: payload.charset, ..SourceHints::default() },
        }));
    }
}

/// Reads `Name: value` lines up to the blank line that ends a header block.
fn read_headers(reader: &mut dyn BufRead) -> Result<Vec<(String, String)>, String> {
    let mut headers = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => return Err("truncated WARC record: the file ends inside the headers".into()),
            Ok(_) => {}
            Err(err) => return Err(describe_io(&err)),
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            return Ok(headers);
        }
        if let Some((key, value)) = text.split_once(':') {
            headers.push((key.trim().to_string(), value.trim().to_string()));
        }
    }
}

struct HttpPayload {
    body: Vec<u8>,
    charset: Option<String>,
}

/// Splits an HTTP response into headers and body; `Ok(None)` for responses
/// that are not successful HTML pages.
fn http_payload(block: &[u8]) -> Result<Option<HttpPayload>, String> {
    let Some(split) = find(block, b"\r\n\r\n").map(|i| (i, 4)).or_else(|| find(block, b"\n\n").map(|i| (i, 2))) else {
        return Err("malformed HTTP response in WARC record: no end of headers".into());
    };
    let head = String::from_utf8_lossy(&block[..split.0]);
    let mut lines = head.lines();
    let status = lines.next().unwrap_or("");
    let code: u16 = status.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    if !(200..300).contains(&code) {
        return Ok(None);
    }
    let fields: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let field = |key: &str| fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    let content_type = field("content-type").unwrap_or("text/html");
    if !content_type.to_ascii_lowercase().contains("html") {
        return Ok(None);
    }
    let mut body = block[split.0 + split.1..].to_vec();
    if field("transfer-encoding").is_some_and(|t| t.eq_ignore_ascii_case("chunked")) {
        body = dechunk(&body).ok_or("malformed chunked HTTP body in WARC record")?;
    }
    if field("content-encoding").is_some_and(|t| t.contains("gzip")) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&body[..])
            .read_to_end(&mut out)
            .map_err(|e| format!("HTTP body in WARC record: {}", describe_io(&e)))?;
        body = out;
    }
    Ok(Some(HttpPayload { body, charset: charset_of(content_type) }))
}

/// The `charset=` parameter of a Content-Type value.
fn charset_of(content_type: &str) -> Option<String> {
    let lower = content_type.to_ascii_lowercase();
    let at = lower.find("charset=")?;
    let value = lower[at + 8..].split(';').next()?.trim().trim_matches('"');
    (!value.is_empty()).then(|| value.to_string())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Decodes HTTP/1.1 chunked transfer encoding.
fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len());
    loop {
        let end = find(data, b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..).unwrap_or(&[]);
    }
}
