//! Sources: turn paths (files, folders, `-` for stdin) into [`RawDocument`]s.
//!
//! Every input is streamed: a folder is walked, a file is read (and
//! gunzipped when it starts with the gzip magic bytes, whatever its name),
//! and containers (WARC, JSONL) are split into one document per record or
//! line. Problems never stop the batch: each one is reported as a
//! [`SourceError`] naming the file (and record or line) and the reason, and
//! reading goes on with the next record or file.

mod feed;
mod jsonl;
mod warc;

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use storyline_model::{ContentKind, RawDocument, SourceHints};

/// A problem with one input (a file, a WARC record or a JSONL line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    /// The file, or `file#record` / `file:line`, the problem is in.
    pub source: String,
    /// What is wrong, in plain words.
    pub reason: String,
}

impl std::fmt::Display for SourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.source, self.reason)
    }
}

/// One item produced while reading inputs.
pub type SourceItem = Result<RawDocument, SourceError>;

/// How files are read.
#[derive(Debug, Clone)]
pub struct SourceOptions {
    /// Largest single document (a page, a text file, a WARC or JSONL record)
    /// accepted, in bytes after decompression. Containers themselves may be
    /// larger: they are streamed record by record.
    pub max_document_bytes: u64,
}

impl Default for SourceOptions {
    fn default() -> Self {
        SourceOptions { max_document_bytes: 32 * 1024 * 1024 }
    }
}

/// The container format of a file, from its name (after any `.gz`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// One HTML page.
    Html,
    /// One plain-text article.
    Text,
    /// A WARC archive of many pages.
    Warc,
    /// JSON Lines, one article per line.
    Jsonl,
    /// An RSS or Atom feed, one article per item.
    Feed,
    /// Unknown extension: decided by sniffing the content.
    Sniff,
}

/// Decides the format from a file name; `.gz` is looked through.
pub fn format_of(path: &Path) -> FileFormat {
    let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext {
        "html" | "htm" | "xhtml" | "shtml" => FileFormat::Html,
        "txt" | "text" => FileFormat::Text,
        "warc" | "arc" => FileFormat::Warc,
        "jsonl" | "ndjson" => FileFormat::Jsonl,
        "rss" | "atom" | "rdf" => FileFormat::Feed,
        _ => FileFormat::Sniff,
    }
}

/// Expands inputs into the list of files to read. Folders are walked
/// recursively, keeping only files with a known extension (so images and
/// hidden files in a folder are not reported as failures); files named
/// explicitly are always kept. `-` stands for standard input. Paths that do
/// not exist are returned as errors.
pub fn expand_inputs(inputs: &[PathBuf]) -> (Vec<PathBuf>, Vec<SourceError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            files.push(input.clone());
        } else if input.is_dir() {
            let walker = walkdir::WalkDir::new(input).follow_links(true).sort_by_file_name();
            for entry in walker {
                match entry {
                    Ok(entry) => {
                        let hidden = entry.file_name().to_string_lossy().starts_with('.');
                        if entry.file_type().is_file() && !hidden && format_of(entry.path()) != FileFormat::Sniff {
                            files.push(entry.into_path());
                        }
                    }
                    Err(err) => errors.push(SourceError {
                        source: err.path().unwrap_or(input).display().to_string(),
                        reason: format!("cannot read folder entry: {err}"),
                    }),
                }
            }
        } else if input.exists() {
            files.push(input.clone());
        } else {
            errors.push(SourceError { source: input.display().to_string(), reason: "no such file or folder".into() });
        }
    }
    (files, errors)
}

/// Reads one file (or `-`) and hands every document or error to `sink`.
pub fn read_file(path: &Path, options: &SourceOptions, sink: &mut dyn FnMut(SourceItem)) {
    let name = if path.as_os_str() == "-" { "-".to_string() } else { path.display().to_string() };
    let opened: io::Result<Box<dyn Read>> = if name == "-" {
        Ok(Box::new(io::stdin().lock()))
    } else {
        File::open(path).map(|f| Box::new(f) as Box<dyn Read>)
    };
    let reader = match opened {
        Ok(r) => r,
        Err(err) => return sink(Err(SourceError { source: name, reason: format!("cannot open: {err}") })),
    };
    let mut reader = BufReader::with_capacity(256 * 1024, reader);
    let gzipped = match reader.fill_buf() {
        Ok(head) => head.starts_with(&[0x1f, 0x8b]),
        Err(err) => return sink(Err(SourceError { source: name, reason: format!("cannot read: {err}") })),
    };
    let reader: Box<dyn BufRead> = if gzipped {
        Box::new(BufReader::with_capacity(256 * 1024, flate2::bufread::MultiGzDecoder::new(reader)))
    } else {
        Box::new(reader)
    };
    let mut format = if name == "-" { FileFormat::Sniff } else { format_of(path) };
    read_stream(&name, reader, &mut format, options, sink);
}

/// Reads documents from any reader in a given format (`Sniff` to guess it),
/// as [`read_file`] does after opening and decompressing a file: for
/// callers that hold the bytes already (the fuzz targets, a server).
pub fn read_reader(
    name: &str,
    reader: Box<dyn BufRead>,
    format: FileFormat,
    options: &SourceOptions,
    sink: &mut dyn FnMut(SourceItem),
) {
    let mut format = format;
    read_stream(name, reader, &mut format, options, sink);
}

/// Reads a stream whose format may still need sniffing.
fn read_stream(
    name: &str,
    mut reader: Box<dyn BufRead>,
    format: &mut FileFormat,
    options: &SourceOptions,
    sink: &mut dyn FnMut(SourceItem),
) {
    if *format == FileFormat::Sniff {
        match reader.fill_buf() {
            Ok(head) => *format = sniff(head),
            Err(err) => return sink(Err(io_error(name, &err))),
        }
    }
    match *format {
        FileFormat::Warc => warc::read_warc(name, reader, options, sink),
        FileFormat::Jsonl => jsonl::read_jsonl(name, reader, options, sink),
        FileFormat::Feed => feed::read_feed(name, reader, options, sink),
        FileFormat::Html | FileFormat::Text | FileFormat::Sniff => {
            let kind = if *format == FileFormat::Html { ContentKind::Html } else { ContentKind::Text };
            match read_limited(reader, options.max_document_bytes) {
                Ok(bytes) => {
                    // A file named .txt that is really a web page is treated as HTML.
                    let kind =
                        if kind == ContentKind::Text && looks_like_html(&bytes) { ContentKind::Html } else { kind };
                    sink(Ok(RawDocument {
                        source: name.to_string(),
                        external_id: None,
                        kind,
                        bytes,
                        hints: SourceHints::default(),
                    }))
                }
                Err(err) => sink(Err(SourceError { source: name.to_string(), reason: err })),
            }
        }
    }
}

/// Guesses a format from the first bytes of a stream.
pub fn sniff(head: &[u8]) -> FileFormat {
    let start = head.iter().position(|b| !b.is_ascii_whitespace()).map(|i| &head[i..]).unwrap_or(&[]);
    if start.starts_with(b"WARC/") {
        FileFormat::Warc
    } else if start.starts_with(b"{") {
        FileFormat::Jsonl
    } else if looks_like_feed(start) {
        FileFormat::Feed
    } else if looks_like_html(head) {
        FileFormat::Html
    } else {
        FileFormat::Text
    }
}

/// True when a stream starts with an RSS, Atom or RDF feed's root element
/// (after an XML declaration, comments or a stylesheet instruction).
pub fn looks_like_feed(start: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&start[..start.len().min(2048)]).to_lowercase();
    let mut rest = head.trim_start_matches('\u{feff}').trim_start();
    // Skip <?xml ...?>, <?xml-stylesheet ...?> and <!-- ... --> before the root.
    loop {
        if let Some(after) = rest.strip_prefix("<?") {
            match after.find("?>") {
                Some(end) => rest = after[end + 2..].trim_start(),
                None => return false,
            }
        } else if let Some(after) = rest.strip_prefix("<!--") {
            match after.find("-->") {
                Some(end) => rest = after[end + 3..].trim_start(),
                None => return false,
            }
        } else {
            break;
        }
    }
    rest.starts_with("<rss") || rest.starts_with("<feed") || rest.starts_with("<rdf:rdf")
}

/// True when the first kilobytes look like markup rather than prose.
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let lower = String::from_utf8_lossy(head).to_lowercase();
    let trimmed = lower.trim_start_matches('\u{feff}').trim_start();
    trimmed.starts_with("<!doctype html")
        || trimmed.starts_with("<html")
        || lower.contains("<body")
        || lower.contains("<head")
}

/// Reads a whole document, refusing one larger than `limit` without reading
/// it all into memory, and naming truncated gzip streams plainly.
fn read_limited(reader: impl Read, limit: u64) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let read = reader.take(limit + 1).read_to_end(&mut bytes).map_err(|e| describe_io(&e))?;
    if read as u64 > limit {
        return Err(format!("document larger than the {} limit (raise it with --max-doc-mb)", human_bytes(limit)));
    }
    Ok(bytes)
}

fn io_error(name: &str, err: &io::Error) -> SourceError {
    SourceError { source: name.to_string(), reason: describe_io(err) }
}

/// Turns low-level read errors into words a user understands.
pub(crate) fn describe_io(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::UnexpectedEof => "truncated gzip stream (file ends before the compressed data does)".into(),
        io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData => {
            format!("corrupt gzip data ({err})")
        }
        _ => format!("read error: {err}"),
    }
}

/// `12.3 MB` style sizes for messages.
pub fn human_bytes(n: u64) -> String {
    if n >= 1024 * 1024 {
        format!("{:.0} MB", n as f64 / (1024.0 * 1024.0))
    } else if n >= 1024 {
        format!("{:.0} KB", n as f64 / 1024.0)
    } else {
        format!("{n} bytes")
    }
}

#[cfg(test)]
mod tests;
