//! What the commands, the export and the server read, as a trait: the
//! SQLite file implements it here, the PostgreSQL store in
//! `storyline-store-pg`, so every reading command works on both backends.

use std::collections::HashSet;

use chrono::NaiveDate;

use storyline_model::{Article, Entity, Figure, Mention, Story};

use crate::{
    ArticleMentions, EntityRow, Lookup, PipelineStore, Result, SearchHit, StoreStats, StoredEvent, StoredQuote,
    StoryFilter, StoryRow,
};

/// Reads of a store (see the SQLite `Store`'s methods of the same names
/// for what each returns and in which order).
pub trait StoreRead: PipelineStore {
    /// Counts for `storyline stats`.
    fn stats(&self) -> Result<StoreStats>;
    /// Number of stored articles.
    fn article_count(&self) -> Result<u64>;
    /// Number of stories.
    fn story_count(&self) -> Result<u64>;
    /// A fact about the store.
    fn fact(&self, key: &str) -> Result<Option<String>>;
    /// A number that changes whenever another connection commits a change
    /// (read twice on the same connection), or None when the backend has no
    /// such cheap marker: the server's response cache keys on it.
    fn change_marker(&self) -> Result<Option<i64>> {
        Ok(None)
    }
    /// Every article in insertion order, one at a time.
    fn for_each_article(&self, f: &mut dyn FnMut(Article)) -> Result<()>;
    /// Every article in insertion order.
    fn articles(&self) -> Result<Vec<Article>> {
        let mut all = Vec::new();
        self.for_each_article(&mut |a| all.push(a))?;
        Ok(all)
    }
    /// One article by id or unique id prefix.
    fn article(&self, id: &str) -> Result<Option<Article>>;
    /// An article's publication date (exact id), without reading its text.
    fn article_published(&self, id: &str) -> Result<Option<NaiveDate>> {
        Ok(self.article(id)?.and_then(|a| a.published))
    }
    /// The article this one is a near-duplicate of (exact id), without
    /// reading its text.
    fn duplicate_of(&self, id: &str) -> Result<Option<String>> {
        Ok(self.article(id)?.and_then(|a| a.duplicate_of))
    }
    /// The sources an article was read from, first first.
    fn sources_of(&self, id: &str) -> Result<Vec<String>>;
    /// Stories with their members, oldest first, undated last.
    fn stories(&self) -> Result<Vec<Story>>;
    /// Articles whose date was borrowed from their story.
    fn borrowed_dates(&self) -> Result<HashSet<String>>;
    /// Passages of an article found in others: (other, start, end).
    fn shared_passages_of(&self, id: &str) -> Result<Vec<(String, usize, usize)>>;
    /// Every mention by article in store order, with its entity.
    fn mentions(&self) -> Result<Vec<ArticleMentions>>;
    /// Every entity with its articles and stories counted.
    fn entities(&self) -> Result<Vec<(Entity, usize, usize)>>;
    /// Where a merged-away story id points.
    fn story_redirect(&self, id: &str) -> Result<Option<String>>;
    /// Attributions of these articles (all when None).
    fn quotes(&self, articles: Option<&[String]>) -> Result<Vec<StoredQuote>>;
    /// Events of these articles (all when None).
    fn events(&self, articles: Option<&[String]>) -> Result<Vec<StoredEvent>>;
    /// Figures of these articles (all when None).
    fn figures(&self, articles: Option<&[String]>) -> Result<Vec<(String, Figure)>>;
    /// A page of stories under filters, newest first.
    fn story_page(&self, filter: &StoryFilter, limit: usize, offset: usize) -> Result<Vec<StoryRow>>;
    /// A story by id or unique prefix, with its members.
    fn story_by_prefix(&self, prefix: &str) -> Result<Lookup<Story>>;
    /// An article by id or unique prefix.
    fn article_by_prefix(&self, prefix: &str) -> Result<Lookup<Article>>;
    /// An entity by id or unique prefix.
    fn entity_by_prefix(&self, prefix: &str) -> Result<Lookup<Entity>>;
    /// A page of entities by name prefix and type, most mentioned first.
    fn entity_page(&self, q: Option<&str>, kind: Option<&str>, limit: usize, offset: usize) -> Result<Vec<EntityRow>>;
    /// The stories of an entity's most recent articles.
    fn entity_stories(&self, entity: &str, limit: usize) -> Result<Vec<StoryRow>>;
    /// Every story an entity is in, oldest first.
    fn entity_story_ids(&self, entity: &str) -> Result<Vec<String>>;
    /// An entity's stories by starting month.
    fn entity_story_months(&self, entity: &str) -> Result<Vec<(String, usize)>>;
    /// Entities sharing articles with `entity`, most first.
    fn cooccurring(&self, entity: &str, limit: usize) -> Result<Vec<(Entity, usize)>>;
    /// Full-text search with snippets, newest first.
    fn search_snippets(&self, text: &str, limit: usize) -> Result<Vec<SearchHit>>;
    /// An article's mentions with their entities.
    fn mentions_of_article(&self, article: &str) -> Result<Vec<(Mention, Option<String>)>>;
    /// (id, name, type) of entities by id.
    fn entity_names(&self, ids: &[String]) -> Result<Vec<(String, String, String)>>;
}

impl StoreRead for crate::Store {
    fn stats(&self) -> Result<StoreStats> {
        crate::Store::stats(self)
    }
    fn article_count(&self) -> Result<u64> {
        crate::Store::article_count(self)
    }
    fn story_count(&self) -> Result<u64> {
        crate::Store::story_count(self)
    }
    fn fact(&self, key: &str) -> Result<Option<String>> {
        crate::Store::fact(self, key)
    }
    fn change_marker(&self) -> Result<Option<i64>> {
        Ok(Some(self.conn.pragma_query_value(None, "data_version", |r| r.get(0))?))
    }
    fn for_each_article(&self, f: &mut dyn FnMut(Article)) -> Result<()> {
        crate::Store::for_each_article(self, f)
    }
    fn article(&self, id: &str) -> Result<Option<Article>> {
        crate::Store::article(self, id)
    }
    fn article_published(&self, id: &str) -> Result<Option<NaiveDate>> {
        crate::Store::article_published(self, id)
    }
    fn duplicate_of(&self, id: &str) -> Result<Option<String>> {
        crate::Store::duplicate_of(self, id)
    }
    fn sources_of(&self, id: &str) -> Result<Vec<String>> {
        crate::Store::sources_of(self, id)
    }
    fn stories(&self) -> Result<Vec<Story>> {
        crate::Store::stories(self)
    }
    fn borrowed_dates(&self) -> Result<HashSet<String>> {
        crate::Store::borrowed_dates(self)
    }
    fn shared_passages_of(&self, id: &str) -> Result<Vec<(String, usize, usize)>> {
        crate::Store::shared_passages_of(self, id)
    }
    fn mentions(&self) -> Result<Vec<ArticleMentions>> {
        crate::Store::mentions(self)
    }
    fn entities(&self) -> Result<Vec<(Entity, usize, usize)>> {
        crate::Store::entities(self)
    }
    fn story_redirect(&self, id: &str) -> Result<Option<String>> {
        crate::Store::story_redirect(self, id)
    }
    fn quotes(&self, articles: Option<&[String]>) -> Result<Vec<StoredQuote>> {
        crate::Store::quotes(self, articles)
    }
    fn events(&self, articles: Option<&[String]>) -> Result<Vec<StoredEvent>> {
        crate::Store::events(self, articles)
    }
    fn figures(&self, articles: Option<&[String]>) -> Result<Vec<(String, Figure)>> {
        crate::Store::figures(self, articles)
    }
    fn story_page(&self, filter: &StoryFilter, limit: usize, offset: usize) -> Result<Vec<StoryRow>> {
        crate::Store::story_page(self, filter, limit, offset)
    }
    fn story_by_prefix(&self, prefix: &str) -> Result<Lookup<Story>> {
        crate::Store::story_by_prefix(self, prefix)
    }
    fn article_by_prefix(&self, prefix: &str) -> Result<Lookup<Article>> {
        crate::Store::article_by_prefix(self, prefix)
    }
    fn entity_by_prefix(&self, prefix: &str) -> Result<Lookup<Entity>> {
        crate::Store::entity_by_prefix(self, prefix)
    }
    fn entity_page(&self, q: Option<&str>, kind: Option<&str>, limit: usize, offset: usize) -> Result<Vec<EntityRow>> {
        crate::Store::entity_page(self, q, kind, limit, offset)
    }
    fn entity_stories(&self, entity: &str, limit: usize) -> Result<Vec<StoryRow>> {
        crate::Store::entity_stories(self, entity, limit)
    }
    fn entity_story_ids(&self, entity: &str) -> Result<Vec<String>> {
        crate::Store::entity_story_ids(self, entity)
    }
    fn entity_story_months(&self, entity: &str) -> Result<Vec<(String, usize)>> {
        crate::Store::entity_story_months(self, entity)
    }
    fn cooccurring(&self, entity: &str, limit: usize) -> Result<Vec<(Entity, usize)>> {
        crate::Store::cooccurring(self, entity, limit)
    }
    fn search_snippets(&self, text: &str, limit: usize) -> Result<Vec<SearchHit>> {
        crate::Store::search_snippets(self, text, limit)
    }
    fn mentions_of_article(&self, article: &str) -> Result<Vec<(Mention, Option<String>)>> {
        crate::Store::mentions_of_article(self, article)
    }
    fn entity_names(&self, ids: &[String]) -> Result<Vec<(String, String, String)>> {
        crate::Store::entity_names(self, ids)
    }
}
