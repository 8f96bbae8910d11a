//! Pages and feeds over HTTP: `storyline ingest URL` and `storyline watch`.
//!
//! [`Fetcher`] is the careful client (address rule, robots.txt, pace,
//! retries, caps). [`documents_from_url`] turns one URL into documents (a
//! page, or a feed's items as they are). [`poll_once`] polls feeds with
//! conditional requests, fetches the page of each item it has not seen,
//! ingests them through the pipeline and records, in a [`WatchState`] the
//! caller saves after the batch is committed, what it has fetched, so a
//! restart fetches nothing twice.

mod http;
mod robots;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use storyline_model::{ContentKind, RawDocument};
use storyline_pipeline::{Pipeline, BATCH};
use storyline_sources::{looks_like_html, read_reader, FileFormat, SourceError, SourceOptions};
use storyline_store::PipelineStore;

pub use http::{is_private, FetchOptions, Fetched, Fetcher, Validators, USER_AGENT};
pub use robots::Robots;

/// True when an input names a URL rather than a file.
pub fn is_url(input: &str) -> bool {
    input.starts_with("http://") || input.starts_with("https://")
}

fn charset_of(content_type: Option<&str>) -> Option<String> {
    content_type?
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("charset="))
        .map(|c| c.trim_matches('"').to_ascii_lowercase())
        .next()
}

/// The documents of one URL: the page, or every item of a feed as the feed
/// gives it; failures name the URL.
pub fn documents_from_url(
    fetcher: &mut Fetcher,
    url: &str,
    options: &SourceOptions,
) -> (Vec<RawDocument>, Vec<SourceError>) {
    let (mut docs, mut failed) = (Vec::new(), Vec::new());
    match fetcher.get(url, &Validators::default()) {
        Err(reason) => failed.push(SourceError { source: url.to_string(), reason }),
        Ok(Fetched::NotModified) => {}
        Ok(Fetched::Body { bytes, url: final_url, content_type, .. }) => {
            let charset = charset_of(content_type.as_deref());
            read_reader(&final_url, Box::new(Cursor::new(bytes)), FileFormat::Sniff, options, &mut |item| match item {
                Ok(mut doc) => {
                    if doc.hints.url.is_none() {
                        doc.hints.url = Some(final_url.clone());
                    }
                    if doc.hints.charset.is_none() {
                        doc.hints.charset = charset.clone();
                    }
                    docs.push(doc);
                }
                Err(e) => failed.push(e),
            });
        }
    }
    (docs, failed)
}

/// What a watcher remembers between polls and restarts.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct WatchState {
    /// Per feed: the validators of its last response.
    pub feeds: BTreeMap<String, Validators>,
    /// Items already fetched (their link, or id).
    pub seen: BTreeSet<String>,
}

impl WatchState {
    /// Reads the state file (none yet: an empty state).
    pub fn load(path: &Path) -> Result<WatchState> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .with_context(|| format!("{}: not a storyline watch state (delete it to start over)", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(WatchState::default()),
            Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    /// Writes the state file whole (a temporary file renamed into place).
    pub fn save(&self, path: &Path) -> Result<()> {
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, serde_json::to_vec_pretty(self)?).with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
        Ok(())
    }
}

/// What one poll did.
#[derive(Debug, Default)]
pub struct PollSummary {
    /// Feeds asked.
    pub feeds: usize,
    /// Feeds that answered 304.
    pub not_modified: usize,
    /// Items not seen before.
    pub new_items: usize,
    /// Item pages fetched.
    pub pages: usize,
    /// Articles stored.
    pub stored: usize,
    /// Documents already stored.
    pub duplicates: usize,
    /// Failures, each naming its feed, page or item.
    pub failed: Vec<SourceError>,
}

/// Polls every feed once: conditional request, then each new item's page
/// (the item's own text when its page cannot be fetched), all ingested
/// through the pipeline; `state` is updated for the caller to save once
/// this returns (after the batches are committed).
pub fn poll_once(
    fetcher: &mut Fetcher,
    state: &mut WatchState,
    pipeline: &Pipeline,
    store: &mut impl PipelineStore,
    feeds: &[String],
    options: &SourceOptions,
) -> Result<PollSummary> {
    let mut summary = PollSummary { feeds: feeds.len(), ..PollSummary::default() };
    let mut docs: Vec<RawDocument> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    let mut validators: Vec<(String, Validators)> = Vec::new();
    for feed in feeds {
        let known = state.feeds.get(feed).cloned().unwrap_or_default();
        let (bytes, fresh) = match fetcher.get(feed, &known) {
            Err(reason) => {
                summary.failed.push(SourceError { source: feed.clone(), reason });
                continue;
            }
            Ok(Fetched::NotModified) => {
                summary.not_modified += 1;
                continue;
            }
            Ok(Fetched::Body { bytes, validators, .. }) => (bytes, validators),
        };
        let mut items = Vec::new();
        read_reader(feed, Box::new(Cursor::new(bytes)), FileFormat::Feed, options, &mut |item| match item {
            Ok(doc) => items.push(doc),
            Err(e) => summary.failed.push(e),
        });
        for item in items {
            let key =
                item.hints.url.clone().or_else(|| item.external_id.clone()).unwrap_or_else(|| item.source.clone());
            if state.seen.contains(&key) || keys.contains(&key) {
                continue;
            }
            summary.new_items += 1;
            let doc = match item.hints.url.clone() {
                Some(link) => match fetcher.get(&link, &Validators::default()) {
                    Ok(Fetched::Body { bytes, url, content_type, .. }) => {
                        summary.pages += 1;
                        let kind = if looks_like_html(&bytes) { ContentKind::Html } else { ContentKind::Text };
                        let mut hints = item.hints.clone();
                        hints.url = Some(url.clone());
                        hints.charset = charset_of(content_type.as_deref());
                        RawDocument { source: url, external_id: item.external_id.clone(), kind, bytes, hints }
                    }
                    Ok(Fetched::NotModified) => item,
                    Err(reason) => {
                        summary.failed.push(SourceError {
                            source: link.clone(),
                            reason: format!("{reason}; the feed item's own text is stored instead"),
                        });
                        item
                    }
                },
                None => item,
            };
            keys.push(key);
            docs.push(doc);
        }
        validators.push((feed.clone(), fresh));
    }
    while !docs.is_empty() {
        let rest = docs.split_off(docs.len().min(BATCH));
        let done = pipeline.ingest_batch(store, std::mem::replace(&mut docs, rest))?;
        summary.stored += done.stored;
        summary.duplicates += done.duplicates;
        summary.failed.extend(done.failed);
    }
    state.seen.extend(keys);
    state.feeds.extend(validators);
    Ok(summary)
}

/// `storyline ingest URL...`: fetches each URL (a page, or a feed whose
/// items are stored as the feed gives them) and ingests the documents
/// through the pipeline, batch by batch.
pub fn ingest_urls(
    fetcher: &mut Fetcher,
    pipeline: &Pipeline,
    store: &mut impl PipelineStore,
    urls: &[String],
    options: &SourceOptions,
    on_error: &mut dyn FnMut(&SourceError),
) -> Result<storyline_pipeline::Summary> {
    let mut summary = storyline_pipeline::Summary::default();
    let mut docs = Vec::new();
    for url in urls {
        let (found, failed) = documents_from_url(fetcher, url, options);
        failed.iter().for_each(&mut *on_error);
        summary.failed.extend(failed);
        docs.extend(found);
    }
    while !docs.is_empty() {
        let rest = docs.split_off(docs.len().min(BATCH));
        let done = pipeline.ingest_batch(store, std::mem::replace(&mut docs, rest))?;
        done.failed.iter().for_each(&mut *on_error);
        summary.absorb(done);
    }
    Ok(summary)
}

/// Parses an interval: `90s`, `10m`, `2h`, or seconds.
pub fn parse_interval(text: &str) -> Option<std::time::Duration> {
    let text = text.trim();
    let (number, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len()));
    let n: u64 = number.parse().ok()?;
    let seconds = match unit {
        "" | "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        _ => return None,
    };
    (seconds > 0).then(|| std::time::Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests;
