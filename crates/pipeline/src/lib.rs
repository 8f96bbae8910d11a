//! The storyline pipeline: raw documents through every stage into a store.
//!
//! [`Pipeline::ingest_batch`] takes one batch of [`RawDocument`]s end to
//! end (decode, extract, language, mentions, entity linking, story
//! assignment, near-duplicates) and writes it through a [`PipelineStore`]
//! in one transaction. Its cost follows the batch: linking, stories and
//! near-duplicates read only what the store's indexes find for the batch.
//! [`Pipeline::ingest_paths`] reads files into batches; [`recluster`]
//! recomputes the canonical partition of the whole store from scratch.
//! The CLI, the server and the workers all call this crate.
//!
//! Containment: every document is extracted and analysed on a worker
//! thread with a large stack, inside `catch_unwind`, so a page that
//! recurses deeply or trips a bug becomes that document's error line and
//! the rest of the batch is stored.

mod link;
mod overlaps;
mod recluster;
mod stories;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use rayon::prelude::*;
use storyline_cluster::ClusterDoc;
use storyline_extract::{BatchLines, Extractor, HtmlOptions};
use storyline_model::{ContentKind, Extraction, Mention, RawDocument};
use storyline_sources::{expand_inputs, read_file, SourceError, SourceOptions};
use storyline_store::{Inserted, NewArticle, PipelineStore};

pub use link::{link_batch, NewMentions};
pub use overlaps::{find_overlaps, NewText};
pub use recluster::{recluster, ReclusterSummary};
pub use stories::StoryStage;

/// Documents extracted and written together: one store transaction, and
/// the "batch" whose repeated short lines count as site furniture.
pub const BATCH: usize = 256;

/// Stack of each worker thread: deep enough for the deepest tree a page
/// can hold within the size limits (html5ever and the extractors recurse).
const WORKER_STACK_BYTES: usize = 512 * 1024 * 1024;

/// Time spent per stage over a run.
#[derive(Debug, Clone, Copy, Default)]
pub struct StageTimes {
    /// Decode, extraction, cleaning, language, dates.
    pub extract: Duration,
    /// Entity mentions.
    pub mentions: Duration,
    /// Entity linking.
    pub linking: Duration,
    /// Story assignment.
    pub stories: Duration,
    /// Near-duplicates and shared passages.
    pub overlaps: Duration,
    /// Writing articles and mentions, and the commit.
    pub store: Duration,
}

impl StageTimes {
    fn add(&mut self, other: &StageTimes) {
        self.extract += other.extract;
        self.mentions += other.mentions;
        self.linking += other.linking;
        self.stories += other.stories;
        self.overlaps += other.overlaps;
        self.store += other.store;
    }
}

/// What a batch or a run did.
#[derive(Debug, Default)]
pub struct Summary {
    /// Files read.
    pub files: usize,
    /// Documents found.
    pub documents: usize,
    /// Newly stored articles.
    pub stored: usize,
    /// Documents whose content was already stored.
    pub duplicates: usize,
    /// Failures, in order, each naming its document.
    pub failed: Vec<SourceError>,
    /// Stories created or changed.
    pub stories_changed: usize,
    /// Stories merged into others.
    pub stories_merged: usize,
    /// Time per stage.
    pub times: StageTimes,
    /// Articles of an older store indexed (by a recluster) before the run.
    pub reindexed: u64,
    /// Seconds spent.
    pub seconds: f64,
}

impl Summary {
    fn absorb(&mut self, other: Summary) {
        self.documents += other.documents;
        self.stored += other.stored;
        self.duplicates += other.duplicates;
        self.failed.extend(other.failed);
        self.stories_changed += other.stories_changed;
        self.stories_merged += other.stories_merged;
        self.times.add(&other.times);
    }
}

/// What the caller hears while a run goes on.
pub trait Progress {
    /// A document failed (it is also in the summary).
    fn failed(&mut self, _error: &SourceError) {}
    /// A file was read whole; `summary` is the run so far.
    fn file_done(&mut self, _summary: &Summary) {}
}

/// A progress sink that says nothing.
pub struct Silent;

impl Progress for Silent {}

/// The pipeline and its settings.
pub struct Pipeline {
    extractor: Extractor,
    stories: StoryStage,
    workers: rayon::ThreadPool,
}

impl Pipeline {
    /// A pipeline extracting HTML with these options, using every core.
    pub fn new(html: HtmlOptions) -> Result<Self> {
        let workers = rayon::ThreadPoolBuilder::new()
            .stack_size(WORKER_STACK_BYTES)
            .thread_name(|i| format!("storyline-worker-{i}"))
            .build()
            .context("cannot start the worker threads")?;
        Ok(Pipeline { extractor: Extractor::new(html), stories: StoryStage::default(), workers })
    }

    /// The extractor (for `storyline extract`).
    pub fn extractor(&self) -> &Extractor {
        &self.extractor
    }

    /// The story stage.
    pub fn story_stage(&self) -> &StoryStage {
        &self.stories
    }

    /// Reads every input and ingests it batch by batch. A store error stops
    /// the run (every earlier batch is stored); a bad document never does.
    pub fn ingest_paths(
        &self,
        store: &mut impl PipelineStore,
        inputs: &[PathBuf],
        options: &SourceOptions,
        progress: &mut dyn Progress,
    ) -> Result<Summary> {
        let started = Instant::now();
        let (files, missing) = expand_inputs(inputs);
        let mut summary = Summary { files: files.len(), ..Summary::default() };
        // A store written before ingest was incremental has articles the
        // indexes do not know: index them first, or no batch would find them.
        let unindexed = store.unindexed_articles()?;
        if unindexed > 0 {
            recluster(self, store)?;
            summary.reindexed = unindexed;
        }
        for error in missing {
            progress.failed(&error);
            summary.failed.push(error);
        }
        let mut batch: Vec<RawDocument> = Vec::with_capacity(BATCH);
        let mut fatal: Option<anyhow::Error> = None;
        for file in &files {
            read_file(file, options, &mut |item| {
                if fatal.is_some() {
                    return;
                }
                match item {
                    Ok(doc) => {
                        batch.push(doc);
                        if batch.len() >= BATCH {
                            match self.ingest_batch(store, std::mem::take(&mut batch)) {
                                Ok(done) => {
                                    done.failed.iter().for_each(|e| progress.failed(e));
                                    summary.absorb(done);
                                }
                                Err(err) => fatal = Some(err),
                            }
                        }
                    }
                    Err(error) => {
                        progress.failed(&error);
                        summary.failed.push(error);
                    }
                }
            });
            if let Some(err) = fatal.take() {
                return Err(err.context(
                    "writing to the store failed; everything before this batch is stored, re-run to complete",
                ));
            }
            summary.seconds = started.elapsed().as_secs_f64();
            progress.file_done(&summary);
        }
        let done = self.ingest_batch(store, batch)?;
        done.failed.iter().for_each(|e| progress.failed(e));
        summary.absorb(done);
        summary.seconds = started.elapsed().as_secs_f64();
        Ok(summary)
    }

    /// Extracts documents in parallel, each contained: a panic becomes its
    /// error. Plain-text documents of the batch share a furniture count.
    pub fn extract_batch(&self, docs: &[RawDocument]) -> Vec<std::result::Result<Extraction, String>> {
        self.workers.install(|| {
            let decoded: Vec<_> = docs
                .par_iter()
                .map(|doc| contained(|| self.extractor.decode(doc).map_err(|e| e.to_string())))
                .collect();
            let batch = BatchLines::from_texts(
                docs.iter()
                    .zip(&decoded)
                    .filter(|(d, _)| d.kind == ContentKind::Text)
                    .filter_map(|(_, r)| r.as_ref().ok())
                    .map(|d| d.content.as_str()),
            );
            docs.par_iter()
                .zip(decoded.par_iter())
                .map(|(doc, dec)| match dec {
                    Ok(d) => contained(|| self.extractor.extract_decoded(doc, d, &batch).map_err(|e| e.to_string())),
                    Err(e) => Err(e.clone()),
                })
                .collect()
        })
    }

    /// Finds entity mentions in texts, in parallel, each contained (a
    /// failure leaves that text without mentions).
    pub fn mentions(&self, texts: &[(&str, Option<&str>)]) -> Vec<Vec<Mention>> {
        let recognizer = storyline_ner::Recognizer::shared();
        self.workers.install(|| {
            texts
                .par_iter()
                .map(|(text, lang)| contained(|| Ok(recognizer.mentions(text, *lang))).unwrap_or_default())
                .collect()
        })
    }

    /// One batch end to end, written in one transaction.
    pub fn ingest_batch(&self, store: &mut impl PipelineStore, docs: Vec<RawDocument>) -> Result<Summary> {
        let mut summary = Summary { documents: docs.len(), ..Summary::default() };
        if docs.is_empty() {
            return Ok(summary);
        }
        let clock = Instant::now();
        let results = self.extract_batch(&docs);
        summary.times.extract = clock.elapsed();
        let mut articles = Vec::new();
        for (doc, result) in docs.into_iter().zip(results) {
            match result {
                Ok(extraction) => {
                    articles.push(NewArticle { source: doc.source, external_id: doc.external_id, extraction })
                }
                Err(reason) => summary.failed.push(SourceError { source: doc.source, reason }),
            }
        }
        store.begin()?;
        match self.write_batch(store, &articles, &mut summary) {
            Ok(()) => {
                let clock = Instant::now();
                store.commit()?;
                summary.times.store += clock.elapsed();
                Ok(summary)
            }
            Err(err) => {
                let _ = store.rollback();
                Err(err)
            }
        }
    }

    fn write_batch(
        &self,
        store: &mut impl PipelineStore,
        articles: &[NewArticle],
        summary: &mut Summary,
    ) -> Result<()> {
        let clock = Instant::now();
        let outcomes = store.put_articles(articles)?;
        let mut fresh: Vec<(String, &Extraction)> = Vec::new();
        for (outcome, article) in outcomes.into_iter().zip(articles) {
            match outcome {
                Inserted::New(id) => {
                    summary.stored += 1;
                    fresh.push((id, &article.extraction));
                }
                Inserted::Duplicate(_) => summary.duplicates += 1,
            }
        }
        summary.times.store += clock.elapsed();

        let clock = Instant::now();
        let texts: Vec<(&str, Option<&str>)> =
            fresh.iter().map(|(_, e)| (e.text.as_str(), e.lang.as_deref())).collect();
        let mentions = self.mentions(&texts);
        summary.times.mentions += clock.elapsed();
        let clock = Instant::now();
        let found: Vec<(String, Vec<Mention>)> =
            fresh.iter().zip(&mentions).map(|((id, _), m)| (id.clone(), m.clone())).collect();
        store.put_mentions(&found)?;
        summary.times.store += clock.elapsed();

        let clock = Instant::now();
        let batch: Vec<NewMentions<'_>> = fresh
            .iter()
            .zip(&mentions)
            .map(|((id, e), m)| NewMentions { article: id, lang: e.lang.as_deref(), mentions: m })
            .collect();
        let entity_ids = link_batch(store, &batch)?;
        summary.times.linking += clock.elapsed();

        let clock = Instant::now();
        let docs: Vec<ClusterDoc> = fresh
            .iter()
            .zip(entity_ids)
            .map(|((id, e), entities)| ClusterDoc {
                id: id.clone(),
                lang: e.lang.clone(),
                title: e.title.clone(),
                text: e.text.clone(),
                date: e.published,
                entities,
            })
            .collect();
        let changes = self.stories.assign(store, &docs)?;
        summary.stories_changed += changes.updates.len();
        summary.stories_merged += changes.merged.len();
        summary.times.stories += clock.elapsed();

        let clock = Instant::now();
        let texts: Vec<NewText<'_>> =
            fresh.iter().map(|(id, e)| NewText { id, date: e.published, text: &e.text }).collect();
        find_overlaps(store, &texts)?;
        summary.times.overlaps += clock.elapsed();
        Ok(())
    }
}

/// Runs `f`, turning a panic into an error naming it.
fn contained<T>(f: impl FnOnce() -> std::result::Result<T, String>) -> std::result::Result<T, String> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            Err(format!("internal error while processing this document ({what}); it was skipped"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::contained;

    #[test]
    fn a_panic_becomes_the_documents_error() {
        let result: Result<(), String> = contained(|| panic!("boom"));
        let message = result.unwrap_err();
        assert!(message.contains("boom") && message.contains("skipped"), "{message}");
        assert_eq!(contained(|| Ok::<_, String>(3)), Ok(3));
    }
}
