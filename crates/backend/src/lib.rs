//! The store `--db` names, whichever backend it is: a path opens the SQLite
//! file, a `postgres://` URL the PostgreSQL store. [`AnyStore`] implements
//! both seams ([`PipelineStore`] for the pipeline, [`StoreRead`] for the
//! commands, the export and the server) by handing each call to its backend,
//! so nothing above this crate knows which one it has.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;
use storyline_model::{Article, Entity, Figure, Mention, Quote, Story};
use storyline_store::{
    ArticleEvents, ArticleMentions, EntityRow, FeatureDoc, Inserted, Lookup, MentionLink, NewArticle, OverlapChanges,
    PipelineStore, Result, SearchHit, Store, StoreRead, StoreStats, StoredEvent, StoredQuote, StoryChanges,
    StoryFilter, StoryRow, StorySummary,
};
use storyline_store_pg::PgStore;

pub use storyline_store_pg::{is_postgres_url, redact};

/// An open store of either backend.
pub enum AnyStore {
    /// The SQLite file.
    Sqlite(Store),
    /// A PostgreSQL database.
    Postgres(Box<PgStore>),
}

impl AnyStore {
    /// Opens (creating and migrating if needed) the store `db` names.
    pub fn open(db: &Path) -> Result<AnyStore> {
        match db.to_str().filter(|d| is_postgres_url(d)) {
            Some(url) => Ok(AnyStore::Postgres(Box::new(PgStore::connect(url)?))),
            None => Ok(AnyStore::Sqlite(Store::open(db)?)),
        }
    }

    /// How to name the store in messages (a URL's password hidden).
    pub fn display_name(db: &Path) -> String {
        match db.to_str().filter(|d| is_postgres_url(d)) {
            Some(url) => redact(url),
            None => db.display().to_string(),
        }
    }
}

/// Hands a call to the backend.
macro_rules! each {
    ($self:ident, $s:ident => $call:expr) => {
        match $self {
            AnyStore::Sqlite($s) => $call,
            AnyStore::Postgres($s) => $call,
        }
    };
}

impl PipelineStore for AnyStore {
    fn begin(&mut self) -> Result<()> {
        each!(self, s => s.begin())
    }
    fn commit(&mut self) -> Result<()> {
        each!(self, s => s.commit())
    }
    fn rollback(&mut self) -> Result<()> {
        each!(self, s => s.rollback())
    }
    fn put_articles(&mut self, batch: &[NewArticle]) -> Result<Vec<Inserted>> {
        each!(self, s => s.put_articles(batch))
    }
    fn put_mentions(&mut self, found: &[(String, Vec<Mention>)]) -> Result<()> {
        each!(self, s => s.put_mentions(found))
    }
    fn put_quotes(&mut self, found: &[(String, Vec<Quote>)]) -> Result<()> {
        each!(self, s => s.put_quotes(found))
    }
    fn articles_without_quotes(&self, limit: usize) -> Result<Vec<String>> {
        each!(self, s => s.articles_without_quotes(limit))
    }
    fn put_events(&mut self, found: &[ArticleEvents]) -> Result<()> {
        each!(self, s => s.put_events(found))
    }
    fn articles_without_events(&self, limit: usize) -> Result<Vec<String>> {
        each!(self, s => s.articles_without_events(limit))
    }
    fn entities_by_keys(&self, keys: &[String], per_key: usize) -> Result<Vec<Entity>> {
        each!(self, s => s.entities_by_keys(keys, per_key))
    }
    fn put_entities(&mut self, entities: &[Entity], keys: &[(String, String)]) -> Result<()> {
        each!(self, s => s.put_entities(entities, keys))
    }
    fn link_mentions(&mut self, assignment: &[MentionLink]) -> Result<()> {
        each!(self, s => s.link_mentions(assignment))
    }
    fn put_features(&mut self, docs: &[FeatureDoc]) -> Result<u64> {
        each!(self, s => s.put_features(docs))
    }
    fn document_frequencies(&self, features: &[u64]) -> Result<HashMap<u64, u32>> {
        each!(self, s => s.document_frequencies(features))
    }
    fn stories_by_feature(&self, features: &[u64], per_feature: usize) -> Result<Vec<Vec<String>>> {
        each!(self, s => s.stories_by_feature(features, per_feature))
    }
    fn story_summaries(&self, ids: &[String]) -> Result<Vec<StorySummary>> {
        each!(self, s => s.story_summaries(ids))
    }
    fn story_members(&self, ids: &[String], per_story: usize) -> Result<Vec<FeatureDoc>> {
        each!(self, s => s.story_members(ids, per_story))
    }
    fn put_story_changes(&mut self, changes: &StoryChanges) -> Result<()> {
        each!(self, s => s.put_story_changes(changes))
    }
    fn put_fingerprints(&mut self, items: &[(String, Vec<u64>)]) -> Result<()> {
        each!(self, s => s.put_fingerprints(items))
    }
    fn articles_by_fingerprints(
        &self,
        hashes: &[u64],
        min_shared: usize,
        limit: usize,
    ) -> Result<Vec<(String, usize)>> {
        each!(self, s => s.articles_by_fingerprints(hashes, min_shared, limit))
    }
    fn texts(&self, ids: &[String]) -> Result<Vec<(String, Option<NaiveDate>, String)>> {
        each!(self, s => s.texts(ids))
    }
    fn put_overlaps(&mut self, changes: &OverlapChanges) -> Result<()> {
        each!(self, s => s.put_overlaps(changes))
    }
    fn reset_derived(&mut self) -> Result<()> {
        each!(self, s => s.reset_derived())
    }
    fn article_ids(&self) -> Result<Vec<String>> {
        each!(self, s => s.article_ids())
    }
    fn stored_ids(&self, ids: &[String]) -> Result<HashSet<String>> {
        each!(self, s => s.stored_ids(ids))
    }
    fn articles_by_id(&self, ids: &[String]) -> Result<Vec<Article>> {
        each!(self, s => s.articles_by_id(ids))
    }
    fn mentions_of(&self, ids: &[String]) -> Result<Vec<Option<Vec<Mention>>>> {
        each!(self, s => s.mentions_of(ids))
    }
    fn set_fact(&mut self, key: &str, value: &str) -> Result<()> {
        each!(self, s => s.set_fact(key, value))
    }
    fn unindexed_articles(&self) -> Result<u64> {
        each!(self, s => s.unindexed_articles())
    }
    fn begin_articles(&mut self) -> Result<()> {
        each!(self, s => s.begin_articles())
    }
    fn try_begin_index(&mut self) -> Result<bool> {
        each!(self, s => s.try_begin_index())
    }
    fn pending_index(&self, limit: usize) -> Result<Vec<String>> {
        each!(self, s => s.pending_index(limit))
    }
    fn mark_indexed(&mut self, ids: &[String]) -> Result<()> {
        each!(self, s => s.mark_indexed(ids))
    }
}

impl StoreRead for AnyStore {
    fn stats(&self) -> Result<StoreStats> {
        each!(self, s => s.stats())
    }
    fn article_count(&self) -> Result<u64> {
        each!(self, s => s.article_count())
    }
    fn story_count(&self) -> Result<u64> {
        each!(self, s => s.story_count())
    }
    fn fact(&self, key: &str) -> Result<Option<String>> {
        each!(self, s => s.fact(key))
    }
    fn change_marker(&self) -> Result<Option<i64>> {
        each!(self, s => s.change_marker())
    }
    fn for_each_article(&self, f: &mut dyn FnMut(Article)) -> Result<()> {
        each!(self, s => s.for_each_article(f))
    }
    fn article(&self, id: &str) -> Result<Option<Article>> {
        each!(self, s => s.article(id))
    }
    fn sources_of(&self, id: &str) -> Result<Vec<String>> {
        each!(self, s => s.sources_of(id))
    }
    fn stories(&self) -> Result<Vec<Story>> {
        each!(self, s => s.stories())
    }
    fn borrowed_dates(&self) -> Result<HashSet<String>> {
        each!(self, s => s.borrowed_dates())
    }
    fn shared_passages_of(&self, id: &str) -> Result<Vec<(String, usize, usize)>> {
        each!(self, s => s.shared_passages_of(id))
    }
    fn mentions(&self) -> Result<Vec<ArticleMentions>> {
        each!(self, s => s.mentions())
    }
    fn entities(&self) -> Result<Vec<(Entity, usize, usize)>> {
        each!(self, s => s.entities())
    }
    fn story_redirect(&self, id: &str) -> Result<Option<String>> {
        each!(self, s => s.story_redirect(id))
    }
    fn quotes(&self, articles: Option<&[String]>) -> Result<Vec<StoredQuote>> {
        each!(self, s => s.quotes(articles))
    }
    fn events(&self, articles: Option<&[String]>) -> Result<Vec<StoredEvent>> {
        each!(self, s => s.events(articles))
    }
    fn figures(&self, articles: Option<&[String]>) -> Result<Vec<(String, Figure)>> {
        each!(self, s => s.figures(articles))
    }
    fn story_page(&self, filter: &StoryFilter, limit: usize, offset: usize) -> Result<Vec<StoryRow>> {
        each!(self, s => s.story_page(filter, limit, offset))
    }
    fn story_by_prefix(&self, prefix: &str) -> Result<Lookup<Story>> {
        each!(self, s => s.story_by_prefix(prefix))
    }
    fn article_by_prefix(&self, prefix: &str) -> Result<Lookup<Article>> {
        each!(self, s => s.article_by_prefix(prefix))
    }
    fn entity_by_prefix(&self, prefix: &str) -> Result<Lookup<Entity>> {
        each!(self, s => s.entity_by_prefix(prefix))
    }
    fn entity_page(&self, q: Option<&str>, kind: Option<&str>, limit: usize, offset: usize) -> Result<Vec<EntityRow>> {
        each!(self, s => s.entity_page(q, kind, limit, offset))
    }
    fn entity_stories(&self, entity: &str, limit: usize) -> Result<Vec<StoryRow>> {
        each!(self, s => s.entity_stories(entity, limit))
    }
    fn entity_story_ids(&self, entity: &str) -> Result<Vec<String>> {
        each!(self, s => s.entity_story_ids(entity))
    }
    fn entity_story_months(&self, entity: &str) -> Result<Vec<(String, usize)>> {
        each!(self, s => s.entity_story_months(entity))
    }
    fn cooccurring(&self, entity: &str, limit: usize) -> Result<Vec<(Entity, usize)>> {
        each!(self, s => s.cooccurring(entity, limit))
    }
    fn search_snippets(&self, text: &str, limit: usize) -> Result<Vec<SearchHit>> {
        each!(self, s => s.search_snippets(text, limit))
    }
    fn mentions_of_article(&self, article: &str) -> Result<Vec<(Mention, Option<String>)>> {
        each!(self, s => s.mentions_of_article(article))
    }
    fn entity_names(&self, ids: &[String]) -> Result<Vec<(String, String, String)>> {
        each!(self, s => s.entity_names(ids))
    }
}
