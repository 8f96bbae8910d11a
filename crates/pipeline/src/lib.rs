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

mod contain;
pub mod facts;
mod link;
mod overlaps;
pub mod query;
mod recluster;
pub mod standalone;
mod stories;
pub mod training;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;
use storyline_cluster::ClusterDoc;
use storyline_extract::{BatchLines, Extractor};
use storyline_model::{ContentKind, Extraction, Mention, Quote, RawDocument};
use storyline_sources::{expand_inputs, read_file, SourceError, SourceOptions};
use storyline_store::{article_id, ArticleEvents, Inserted, NewArticle, PipelineStore};

pub use contain::run_contained;
pub use link::{link_batch, NewMentions};
pub use overlaps::{find_overlaps, NewText};
pub use recluster::{recluster, ReclusterSummary};
pub use stories::StoryStage;
pub use storyline_extract::{Focus, HtmlEngine, HtmlOptions};

/// Documents extracted and written together: one store transaction, and
/// the "batch" whose repeated short lines count as site furniture.
pub const BATCH: usize = 256;

/// Default time budget of one document's extraction, and of its mentions.
pub const DEFAULT_DOC_SECONDS: f64 = 10.0;

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
    /// Attributions found in the new articles.
    pub quotes: usize,
    /// Events coded in the new articles.
    pub events: usize,
    /// Stories created or changed.
    pub stories_changed: usize,
    /// Stories merged into others.
    pub stories_merged: usize,
    /// Time per stage.
    pub times: StageTimes,
    /// Articles of an older store indexed (by a recluster) before the run.
    pub reindexed: u64,
    /// Articles of an older store read for quotes before the run.
    pub quotes_backfilled: u64,
    /// Articles of an older store coded for events before the run.
    pub events_backfilled: u64,
    /// Seconds spent.
    pub seconds: f64,
}

impl Summary {
    /// Adds another run's counts to this one.
    pub fn absorb(&mut self, other: Summary) {
        self.documents += other.documents;
        self.stored += other.stored;
        self.duplicates += other.duplicates;
        self.failed.extend(other.failed);
        self.quotes += other.quotes;
        self.events += other.events;
        self.stories_changed += other.stories_changed;
        self.stories_merged += other.stories_merged;
        self.times.add(&other.times);
    }
}

/// A batch extracted and read for mentions, quotes and events, not yet
/// written.
struct ReadAhead {
    articles: Vec<NewArticle>,
    /// By article id, for the articles the store did not hold when read.
    analyses: HashMap<String, Analysis>,
    /// Documents, failures and times so far.
    summary: Summary,
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

/// The stories' time window in days: an article further from a story's
/// dates needs far more similarity to join it.
pub fn time_window_days() -> i64 {
    storyline_cluster::ClusterParams::default().max_gap_days
}

/// The process's peak resident memory in MB (Linux `VmHWM`), if known.
pub fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// CPU seconds this process has used so far, user and system, over all its
/// threads (None where the platform does not say).
pub fn cpu_seconds() -> Option<f64> {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a whole `rusage` into the pointer it is given
    // and reads nothing from it; the value is used only when it returns 0.
    let usage = unsafe {
        if libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) != 0 {
            return None;
        }
        usage.assume_init()
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Some(seconds(usage.ru_utime) + seconds(usage.ru_stime))
}

/// A stored article with its stored mentions, read again by a backfill.
type StoredArticle = (storyline_model::Article, Vec<Mention>);

/// Stored articles with their stored mentions, in the order of `ids`
/// (None for an id no longer stored), for the backfills.
fn stored_with_mentions(store: &impl PipelineStore, ids: &[String]) -> Result<Vec<Option<StoredArticle>>> {
    let articles = store.articles_by_id(ids)?;
    let mentions = store.mentions_of(ids)?;
    let by_id: std::collections::HashMap<&str, &storyline_model::Article> =
        articles.iter().map(|a| (a.id.as_str(), a)).collect();
    Ok(ids
        .iter()
        .zip(mentions)
        .map(|(id, m)| by_id.get(id.as_str()).map(|a| ((*a).clone(), m.unwrap_or_default())))
        .collect())
}

/// Runs one write in its own transaction, rolled back on failure.
fn in_transaction<S: PipelineStore>(
    store: &mut S,
    write: impl FnOnce(&mut S) -> storyline_store::Result<()>,
) -> Result<()> {
    store.begin()?;
    match write(store) {
        Ok(()) => Ok(store.commit()?),
        Err(err) => {
            let _ = store.rollback();
            Err(err.into())
        }
    }
}

/// What the per-article analysis finds in one extraction.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Entity mentions.
    pub mentions: Vec<Mention>,
    /// Attributions (quotes and reported speech), their speakers as mention spans.
    pub quotes: Vec<Quote>,
    /// Coded events (who did what to whom), their actors as mention spans.
    pub events: Vec<storyline_model::Event>,
    /// Figures (counts of the dead, the wounded, ...).
    pub figures: Vec<storyline_model::Figure>,
}

/// The per-article analysis of one extraction (mentions, then the
/// attributions that use them, then the events that use both), uncontained: callers that need
/// containment run it through [`run_contained`].
pub fn analyze(extraction: &Extraction) -> Analysis {
    let lang = extraction.lang.as_deref();
    let mentions = storyline_ner::Recognizer::shared().mentions(&extraction.text, lang);
    let quotes = storyline_quotes::find_quotes(&extraction.text, lang, &mentions, extraction.published);
    let events = storyline_events::code_events(&extraction.text, lang, &mentions, &quotes, extraction.published);
    let figures = storyline_events::find_figures(&extraction.text, lang, extraction.published);
    Analysis { mentions, quotes, events, figures }
}

/// The pipeline and its settings.
pub struct Pipeline {
    extractor: Arc<Extractor>,
    stories: StoryStage,
    threads: usize,
    budget: Option<Duration>,
}

impl Pipeline {
    /// A pipeline extracting HTML with these options, using every core,
    /// with the default time budget per document.
    pub fn new(html: HtmlOptions) -> Result<Self> {
        let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        Ok(Pipeline {
            extractor: Arc::new(Extractor::new(html)),
            stories: StoryStage::default(),
            threads,
            budget: Some(Duration::from_secs_f64(DEFAULT_DOC_SECONDS)),
        })
    }

    /// Loads the language models and lexicons (tagger, gazetteer, speech
    /// and event words) now rather than on the first document or page that
    /// needs them: a server calls it before it listens, so no request pays
    /// for the loading.
    pub fn warm_up(&self) {
        for (lang, text) in [
            ("fr", "Le ministre Jean Martin a déclaré lundi à Paris que l'accord était signé."),
            ("en", "Minister John Martin said on Monday in London that the deal was signed."),
        ] {
            let extraction =
                Extraction { text: text.to_string(), lang: Some(lang.to_string()), ..Extraction::default() };
            let _ = analyze(&extraction);
        }
    }

    /// Sets how many worker threads extraction and analysis use (at least one).
    pub fn with_threads(mut self, threads: usize) -> Self {
        self.threads = threads.max(1);
        self
    }

    /// Sets the time budget of one document's extraction and of its
    /// mentions (None: unbounded); a document past it is reported and skipped.
    pub fn with_time_budget(mut self, budget: Option<Duration>) -> Self {
        self.budget = budget;
        self
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
        summary.quotes_backfilled = self.backfill_quotes(store)?;
        summary.events_backfilled = self.backfill_events(store)?;
        for error in missing {
            progress.failed(&error);
            summary.failed.push(error);
        }
        let mut batch: Vec<RawDocument> = Vec::with_capacity(BATCH);
        let mut ahead: Option<ReadAhead> = None;
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
                            match self.write_reading_ahead(store, ahead.take(), std::mem::take(&mut batch)) {
                                Ok((done, next)) => {
                                    if let Some(done) = done {
                                        done.failed.iter().for_each(|e| progress.failed(e));
                                        summary.absorb(done);
                                    }
                                    ahead = Some(next);
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
        let fatal = |err: anyhow::Error| {
            err.context("writing to the store failed; everything before this batch is stored, re-run to complete")
        };
        let (done, last) = self.write_reading_ahead(store, ahead, batch).map_err(fatal)?;
        for done in done.into_iter().chain([self.write_read_ahead(store, last).map_err(fatal)?]) {
            done.failed.iter().for_each(|e| progress.failed(e));
            summary.absorb(done);
        }
        summary.seconds = started.elapsed().as_secs_f64();
        Ok(summary)
    }

    /// Extracts documents in parallel, each contained (a panic or a
    /// document past the time budget becomes its error). Plain-text
    /// documents of the batch share a furniture count.
    pub fn extract_batch(
        &self,
        docs: Vec<RawDocument>,
    ) -> (Vec<RawDocument>, Vec<std::result::Result<Extraction, String>>) {
        let docs = Arc::new(docs);
        let (extractor, input) = (Arc::clone(&self.extractor), Arc::clone(&docs));
        let decoded = run_contained(docs.len(), self.threads, self.budget, move |i| {
            extractor.decode(&input[i]).map_err(|e| e.to_string())
        });
        let batch = Arc::new(BatchLines::from_texts(
            docs.iter()
                .zip(&decoded)
                .filter(|(d, _)| d.kind == ContentKind::Text)
                .filter_map(|(_, r)| r.as_ref().ok())
                .map(|d| d.content.as_str()),
        ));
        let decoded = Arc::new(decoded);
        let (extractor, input, decoded_in) = (Arc::clone(&self.extractor), Arc::clone(&docs), Arc::clone(&decoded));
        let results = run_contained(docs.len(), self.threads, self.budget, move |i| match &decoded_in[i] {
            Ok(d) => extractor.extract_decoded(&input[i], d, &batch).map_err(|e| e.to_string()),
            Err(e) => Err(e.clone()),
        });
        // Threads abandoned past the budget may still hold the inputs: copy them back only then.
        drop(decoded);
        let docs = Arc::try_unwrap(docs).unwrap_or_else(|shared| shared.as_ref().clone());
        (docs, results)
    }

    /// Finds entity mentions in texts (text, language), in parallel, each
    /// contained (a failure leaves that text without mentions).
    pub fn mentions(&self, texts: Vec<(String, Option<String>)>) -> Vec<Vec<Mention>> {
        let texts = Arc::new(texts);
        let input = Arc::clone(&texts);
        run_contained(texts.len(), self.threads, self.budget, move |i| {
            let (text, lang) = &input[i];
            Ok(storyline_ner::Recognizer::shared().mentions(text, lang.as_deref()))
        })
        .into_iter()
        .map(|r| r.unwrap_or_default())
        .collect()
    }

    /// The per-article analysis (mentions, attributions) of extractions, in
    /// parallel, each contained (a failure leaves that article without them).
    pub fn analyze_batch(&self, extractions: Vec<Extraction>) -> Vec<Analysis> {
        let input = Arc::new(extractions);
        run_contained(input.len(), self.threads, self.budget, move |i| Ok(analyze(&input[i])))
            .into_iter()
            .map(|r| r.unwrap_or_default())
            .collect()
    }

    /// Reads for quotes the stored articles an older version never read,
    /// from their stored text and mentions, in batches; returns how many.
    pub fn backfill_quotes(&self, store: &mut impl PipelineStore) -> Result<u64> {
        let mut done = 0u64;
        loop {
            let ids = store.articles_without_quotes(BATCH * 4)?;
            if ids.is_empty() {
                return Ok(done);
            }
            let found: Vec<(String, Vec<Quote>)> = ids
                .iter()
                .zip(stored_with_mentions(store, &ids)?)
                .map(|(id, stored)| {
                    let quotes = stored.map_or_else(Vec::new, |(a, mentions)| {
                        storyline_quotes::find_quotes(&a.text, a.lang.as_deref(), &mentions, a.published)
                    });
                    (id.clone(), quotes)
                })
                .collect();
            in_transaction(store, |s| s.put_quotes(&found))?;
            done += ids.len() as u64;
        }
    }

    /// Codes for events and figures the stored articles an older version
    /// never coded, from their stored text and mentions (quotes are found
    /// again in memory), in batches; returns how many.
    pub fn backfill_events(&self, store: &mut impl PipelineStore) -> Result<u64> {
        let mut done = 0u64;
        loop {
            let ids = store.articles_without_events(BATCH * 4)?;
            if ids.is_empty() {
                return Ok(done);
            }
            // Each article is coded inside the containment the ingest uses: a
            // failure leaves that article without events, marked done.
            let inputs: Arc<Vec<Option<StoredArticle>>> = Arc::new(stored_with_mentions(store, &ids)?);
            let input = Arc::clone(&inputs);
            let coded = run_contained(inputs.len(), self.threads, self.budget, move |i| {
                let Some((a, mentions)) = &input[i] else { return Ok((Vec::new(), Vec::new())) };
                let lang = a.lang.as_deref();
                let quotes = storyline_quotes::find_quotes(&a.text, lang, mentions, a.published);
                let events = storyline_events::code_events(&a.text, lang, mentions, &quotes, a.published);
                Ok((events, storyline_events::find_figures(&a.text, lang, a.published)))
            });
            let found: Vec<ArticleEvents> = ids
                .iter()
                .zip(coded)
                .map(|(id, result)| {
                    let (events, figures) = result.unwrap_or_default();
                    ArticleEvents { article: id.clone(), events, figures }
                })
                .collect();
            in_transaction(store, |s| s.put_events(&found))?;
            done += ids.len() as u64;
        }
    }

    /// One batch end to end, written in one transaction.
    pub fn ingest_batch(&self, store: &mut impl PipelineStore, docs: Vec<RawDocument>) -> Result<Summary> {
        self.run_batch(store, docs, true)
    }

    /// The first half of a batch, for distributed workers: extraction and
    /// what is read from each article alone (mentions, attributions, events)
    /// written in a transaction that never touches the derived tables, so
    /// many workers run it side by side. The articles wait in the store
    /// until [`Pipeline::index_pending`] links and clusters them.
    pub fn store_batch(&self, store: &mut impl PipelineStore, docs: Vec<RawDocument>) -> Result<Summary> {
        self.run_batch(store, docs, false)
    }

    /// The second half, run by one process at a time: links and clusters up
    /// to `limit` stored articles that wait for it, oldest first, in one
    /// transaction. None when another process holds the indexing lock.
    pub fn index_pending(&self, store: &mut impl PipelineStore, limit: usize) -> Result<Option<Summary>> {
        if !store.try_begin_index()? {
            return Ok(None);
        }
        let mut summary = Summary::default();
        let result = (|| -> Result<()> {
            let ids = store.pending_index(limit)?;
            if ids.is_empty() {
                return Ok(());
            }
            let clock = Instant::now();
            let articles = store.articles_by_id(&ids)?;
            // Read for the articles found (a pending id is always stored:
            // both are written in one transaction); mentions never looked
            // for count as none.
            let found_ids: Vec<String> = articles.iter().map(|a| a.id.clone()).collect();
            let mentions = store.mentions_of(&found_ids)?;
            summary.times.store += clock.elapsed();
            let mut texts = Vec::with_capacity(articles.len());
            let mut found = Vec::with_capacity(articles.len());
            for (article, mentions) in articles.into_iter().zip(mentions) {
                found.push(mentions.unwrap_or_default());
                texts.push(IndexItem {
                    id: article.id,
                    lang: article.lang,
                    title: article.title.map(Cow::Owned),
                    text: Cow::Owned(article.text),
                    date: article.published,
                });
            }
            self.index(store, &texts, &found, &mut summary)?;
            store.mark_indexed(&ids)?;
            summary.stored = ids.len();
            Ok(())
        })();
        match result {
            Ok(()) => {
                store.commit()?;
                Ok(Some(summary))
            }
            Err(err) => {
                let _ = store.rollback();
                Err(err)
            }
        }
    }

    fn run_batch(&self, store: &mut impl PipelineStore, docs: Vec<RawDocument>, index: bool) -> Result<Summary> {
        let (articles, summary) = self.extract_articles(docs);
        self.write_articles(store, articles, HashMap::new(), summary, index)
    }

    /// Extracts a batch into articles; the summary holds the documents,
    /// the failures and the time.
    fn extract_articles(&self, docs: Vec<RawDocument>) -> (Vec<NewArticle>, Summary) {
        let mut summary = Summary { documents: docs.len(), ..Summary::default() };
        if docs.is_empty() {
            return (Vec::new(), summary);
        }
        let clock = Instant::now();
        let (docs, results) = self.extract_batch(docs);
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
        (articles, summary)
    }

    /// Extracts `docs` and reads the articles the store does not hold yet
    /// (mentions, quotes, events) on the worker threads while `previous`
    /// is written and indexed on this one: the store stages run on one
    /// core, and the reading of the next batch fills the others. Returns
    /// what `previous` wrote and the new batch, read and not written.
    fn write_reading_ahead(
        &self,
        store: &mut impl PipelineStore,
        previous: Option<ReadAhead>,
        docs: Vec<RawDocument>,
    ) -> Result<(Option<Summary>, ReadAhead)> {
        let (articles, mut summary) = self.extract_articles(docs);
        let ids: Vec<String> = articles.iter().map(|a| article_id(&a.extraction.text)).collect();
        let stored = if ids.is_empty() { HashSet::new() } else { store.stored_ids(&ids)? };
        let mut seen: HashSet<&str> = HashSet::new();
        let (read_ids, extractions): (Vec<String>, Vec<Extraction>) = ids
            .iter()
            .zip(&articles)
            .filter(|(id, _)| !stored.contains(*id) && seen.insert(id.as_str()))
            .map(|(id, a)| (id.clone(), a.extraction.clone()))
            .unzip();
        let (written, read) = std::thread::scope(|scope| {
            let reader = scope.spawn(|| {
                let clock = Instant::now();
                let analyses = self.analyze_batch(extractions);
                (analyses, clock.elapsed())
            });
            let written = previous.map(|p| self.write_read_ahead(store, p)).transpose();
            // A reader that died leaves nothing read: the write reads them.
            (written, reader.join().unwrap_or_default())
        });
        let (analyses, took) = read;
        summary.times.mentions += took;
        let analyses: HashMap<String, Analysis> = read_ids.into_iter().zip(analyses).collect();
        Ok((written?, ReadAhead { articles, analyses, summary }))
    }

    /// Writes and indexes a batch read ahead.
    fn write_read_ahead(&self, store: &mut impl PipelineStore, batch: ReadAhead) -> Result<Summary> {
        if batch.summary.documents == 0 {
            return Ok(batch.summary);
        }
        self.write_articles(store, batch.articles, batch.analyses, batch.summary, true)
    }

    /// Writes extracted articles in one transaction: the analyses given
    /// by article id are used, the other new articles are read here.
    fn write_articles(
        &self,
        store: &mut impl PipelineStore,
        articles: Vec<NewArticle>,
        analyses: HashMap<String, Analysis>,
        mut summary: Summary,
        index: bool,
    ) -> Result<Summary> {
        if summary.documents == 0 {
            return Ok(summary);
        }
        if index {
            store.begin()?;
        } else {
            store.begin_articles()?;
        }
        match self.write_batch(store, &articles, analyses, &mut summary, index) {
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
        mut analyses: HashMap<String, Analysis>,
        summary: &mut Summary,
        index: bool,
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
        let unread: Vec<&(String, &Extraction)> = fresh.iter().filter(|(id, _)| !analyses.contains_key(id)).collect();
        let read = self.analyze_batch(unread.iter().map(|(_, e)| (*e).clone()).collect());
        analyses.extend(unread.iter().map(|(id, _)| id.clone()).zip(read));
        let analyses: Vec<Analysis> = fresh.iter().map(|(id, _)| analyses.remove(id).unwrap_or_default()).collect();
        summary.times.mentions += clock.elapsed();
        let clock = Instant::now();
        let found: Vec<(String, Vec<Mention>)> =
            fresh.iter().zip(&analyses).map(|((id, _), a)| (id.clone(), a.mentions.clone())).collect();
        store.put_mentions(&found)?;
        let quotes: Vec<(String, Vec<Quote>)> =
            fresh.iter().zip(&analyses).map(|((id, _), a)| (id.clone(), a.quotes.clone())).collect();
        store.put_quotes(&quotes)?;
        summary.quotes += quotes.iter().map(|(_, q)| q.len()).sum::<usize>();
        let events: Vec<ArticleEvents> = fresh
            .iter()
            .zip(&analyses)
            .map(|((id, _), a)| ArticleEvents {
                article: id.clone(),
                events: a.events.clone(),
                figures: a.figures.clone(),
            })
            .collect();
        store.put_events(&events)?;
        summary.events += events.iter().map(|e| e.events.len()).sum::<usize>();
        let mentions: Vec<Vec<Mention>> = analyses.into_iter().map(|a| a.mentions).collect();
        summary.times.store += clock.elapsed();
        if !index {
            return Ok(());
        }
        let items: Vec<IndexItem> = fresh
            .iter()
            .map(|(id, e)| IndexItem {
                id: id.clone(),
                lang: e.lang.clone(),
                title: e.title.as_deref().map(Cow::Borrowed),
                text: Cow::Borrowed(e.text.as_str()),
                date: e.published,
            })
            .collect();
        self.index(store, &items, &mentions, summary)?;
        let ids: Vec<String> = items.into_iter().map(|i| i.id).collect();
        store.mark_indexed(&ids)?;
        Ok(())
    }

    /// Links, clusters and compares stored articles with the store (the
    /// caller holds the transaction).
    fn index(
        &self,
        store: &mut impl PipelineStore,
        items: &[IndexItem<'_>],
        mentions: &[Vec<Mention>],
        summary: &mut Summary,
    ) -> Result<()> {
        let clock = Instant::now();
        let batch: Vec<NewMentions<'_>> = items
            .iter()
            .zip(mentions)
            .map(|(item, m)| NewMentions { article: &item.id, lang: item.lang.as_deref(), mentions: m })
            .collect();
        let entity_ids = link_batch(store, &batch)?;
        summary.times.linking += clock.elapsed();

        let clock = Instant::now();
        let docs: Vec<ClusterDoc> = items
            .iter()
            .zip(entity_ids)
            .map(|(item, entities)| ClusterDoc {
                id: item.id.clone(),
                lang: item.lang.clone(),
                title: item.title.as_deref().map(str::to_string),
                text: item.text.to_string(),
                date: item.date,
                entities,
            })
            .collect();
        let changes = self.stories.assign(store, &docs)?;
        summary.stories_changed += changes.updates.len();
        summary.stories_merged += changes.merged.len();
        summary.times.stories += clock.elapsed();

        let clock = Instant::now();
        let texts: Vec<NewText<'_>> =
            items.iter().map(|item| NewText { id: &item.id, date: item.date, text: &item.text }).collect();
        find_overlaps(store, &texts)?;
        summary.times.overlaps += clock.elapsed();
        Ok(())
    }
}

/// A stored article as linking and story assignment read it (borrowed from
/// the batch's extractions when it was just extracted, so texts are not
/// copied one more time).
struct IndexItem<'a> {
    id: String,
    lang: Option<String>,
    title: Option<Cow<'a, str>>,
    text: Cow<'a, str>,
    date: Option<chrono::NaiveDate>,
}
