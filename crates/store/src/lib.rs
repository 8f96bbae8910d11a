//! The store: one SQLite file (WAL mode, FTS5 full-text index).
//!
//! Invariants:
//! - an article's id is derived from its normalised body, so the same
//!   content read twice (from any source) is stored once; every source it
//!   was read from is kept in `article_sources`;
//! - writes go in one transaction per batch, so a killed process leaves the
//!   store as of the last finished batch and a re-run completes it;
//! - the schema carries its version (`PRAGMA user_version`) and an
//!   application id; opening applies pending migrations in order and refuses
//!   files of other applications or of a newer storyline.

mod filter;
mod migrations;
mod pipeline;
mod read;
mod reader;

pub use pipeline::{
    pack_vector, unpack_vector, ArticleEvents, FeatureDoc, OverlapChanges, PipelineStore, StoryChanges, StorySummary,
    StoryUpdate,
};
pub use read::{fts_query, EntityRow, Lookup, SearchHit, StoryFilter, StoryRow, RANKED, SAMPLE};
pub use reader::StoreRead;

use std::path::Path;

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use storyline_model::{Article, Entity, EntityType, Extraction, Mention, PublishedSource, Story};

/// An article id and its mentions, each with its entity id once linked.
pub type ArticleMentions = (String, Vec<(Mention, Option<String>)>);

/// A mention's entity: (article id, mention start, mention end, entity id).
/// A span, not a start, names a mention: an organisation named after its
/// country holds the country's mention at the same start.
pub type MentionLink = (String, usize, usize, String);

/// Errors from the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused something.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The file is a SQLite database of another application.
    #[error("{0} is not a storyline store (another application's SQLite file)")]
    Foreign(String),
    /// The file was written by a newer storyline.
    #[error("{path} has schema version {found}, newer than this storyline ({supported}); upgrade storyline")]
    TooNew {
        /// The store path.
        path: String,
        /// Version found in the file.
        found: i64,
        /// Latest version this build knows.
        supported: i64,
    },
    /// Another backend (PostgreSQL) refused something.
    #[error("database error: {0}")]
    Backend(String),
    /// A record could not be encoded for storage.
    #[error("cannot encode a record: {0}")]
    Encode(String),
}

/// Result alias for store operations.
pub type Result<T> = std::result::Result<T, StoreError>;

/// An article to store: its extraction plus where it was read from.
#[derive(Debug, Clone)]
pub struct NewArticle {
    /// Path, `file#record`, or URL.
    pub source: String,
    /// The producer's identifier.
    pub external_id: Option<String>,
    /// What extraction found.
    pub extraction: Extraction,
}

/// What happened to one article of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inserted {
    /// Stored under this id.
    New(String),
    /// Same content already stored under this id (its source was recorded).
    Duplicate(String),
}

/// What `storyline stats` prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreStats {
    /// Stored articles.
    pub articles: u64,
    /// Sources they were read from.
    pub sources: u64,
    /// Stories.
    pub stories: u64,
    /// Story ids merged into others (they redirect).
    pub merged_stories: u64,
    /// Canonical entities.
    pub entities: u64,
    /// Entity mentions.
    pub mentions: u64,
    /// Articles that nearly duplicate another.
    pub near_duplicates: u64,
    /// Size of the store file in bytes (without its write-ahead log).
    pub bytes: u64,
    /// Schema version.
    pub schema_version: i64,
    /// When the store was last reclustered from scratch (RFC 3339), if ever.
    pub last_recluster: Option<String>,
}

/// The SQLite store.
pub struct Store {
    conn: Connection,
    /// Stories merged away, kept with the (data version, story batch) they
    /// were read at.
    merged_away: std::cell::RefCell<Option<MergedAway>>,
    /// The fingerprint filter, once read (see `filter`).
    fingerprint_filter: Option<filter::FingerprintFilter>,
}

/// Story ids merged away, with the (data version, story batch) they were read at.
type MergedAway = ((i64, i64), std::sync::Arc<std::collections::HashSet<String>>);

/// Folds a body for identity: case, white space and quote styles do not
/// make a different article.
pub fn normalize_body(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            match c {
                '’' | '‘' | '`' | 'ʼ' => out.push('\''),
                '“' | '”' | '«' | '»' | '„' => out.push('"'),
                _ => out.extend(c.to_lowercase()),
            }
        }
    }
    out
}

/// The article id for a body: 16 hex digits of the BLAKE3 hash of its
/// normalised form.
pub fn article_id(text: &str) -> String {
    blake3::hash(normalize_body(text).as_bytes()).to_hex()[..16].to_string()
}

impl Store {
    /// Opens (creating if needed) the store at `path` and migrates it.
    pub fn open(path: &Path) -> Result<Store> {
        let conn = Connection::open(path)?;
        Self::init(conn, &path.display().to_string())
    }

    /// An in-memory store, for tests and one-off runs.
    pub fn in_memory() -> Result<Store> {
        Self::init(Connection::open_in_memory()?, ":memory:")
    }

    fn init(conn: Connection, name: &str) -> Result<Store> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // A batch reads and writes many index pages: a page cache of 64 MB
        // keeps them from spilling to the log mid-transaction, memory-mapped
        // reads save a system call per page, and the statements of a batch
        // (about forty) stay prepared.
        conn.pragma_update(None, "cache_size", -65536)?;
        conn.pragma_update(None, "mmap_size", 268_435_456)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        // Checkpoint the log every 64 MB instead of every 4 MB: a batch
        // dirties pages all over the indexes, and pages dirtied by several
        // batches are then copied to the file once.
        conn.pragma_update(None, "wal_autocheckpoint", 16384)?;
        conn.set_prepared_statement_cache_capacity(128);
        migrations::migrate(&conn, name)?;
        Ok(Store { conn, merged_away: Default::default(), fingerprint_filter: None })
    }

    /// The schema version of the open store.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// Stores a batch in one transaction; content already present is not
    /// stored again but its new source is recorded.
    pub fn insert_batch(&mut self, batch: &[NewArticle]) -> Result<Vec<Inserted>> {
        let tx = self.conn.savepoint()?;
        let outcomes = insert_articles(&tx, batch)?;
        tx.commit()?;
        Ok(outcomes)
    }

    /// Number of stored articles.
    pub fn article_count(&self) -> Result<u64> {
        Ok(self.conn.query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0))?)
    }

    /// Calls `f` for every article in insertion order, without loading them
    /// all at once.
    pub fn for_each_article(&self, mut f: impl FnMut(Article)) -> Result<()> {
        let mut stmt = self.conn.prepare(&format!("SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY seq"))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            f(article_from_row(row)?);
        }
        Ok(())
    }

    /// All articles in insertion order.
    pub fn articles(&self) -> Result<Vec<Article>> {
        let mut all = Vec::new();
        self.for_each_article(|a| all.push(a))?;
        Ok(all)
    }

    /// One article by id (a unique id prefix also works).
    pub fn article(&self, id: &str) -> Result<Option<Article>> {
        // A range on the id (its index), not LIKE, which scans the table.
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles WHERE id >= ?1 AND id < ?1 || x'ff' ORDER BY id LIMIT 2"
        ))?;
        let found: Vec<Article> = stmt.query_map([id], article_from_row)?.collect::<std::result::Result<_, _>>()?;
        Ok(if found.len() == 1 { found.into_iter().next() } else { None })
    }

    /// An article's publication date (exact id): the column sits before the
    /// text, so its overflow pages are not read.
    pub fn article_published(&self, id: &str) -> Result<Option<NaiveDate>> {
        let mut stmt = self.conn.prepare_cached("SELECT published FROM articles WHERE id = ?1")?;
        let found: Option<Option<String>> = stmt.query_row([id], |r| r.get(0)).optional()?;
        Ok(parse_date(found.flatten()))
    }

    /// The article this one is a near-duplicate of (exact id), from the
    /// partial index of duplicates rather than the row behind the text.
    pub fn duplicate_of(&self, id: &str) -> Result<Option<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT duplicate_of FROM articles INDEXED BY articles_duplicate_of
             WHERE id = ?1 AND duplicate_of IS NOT NULL",
        )?;
        Ok(stmt.query_row([id], |r| r.get(0)).optional()?)
    }

    /// Every source an article was read from, first one first.
    pub fn sources_of(&self, id: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("SELECT source FROM article_sources WHERE article_id = ?1 ORDER BY rowid")?;
        let rows = stmt.query_map([id], |r| r.get(0))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Full-text search over titles and bodies (FTS5 query syntax); ids of
    /// the best matches first.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT a.id FROM articles_fts f JOIN articles a ON a.seq = f.rowid
             WHERE articles_fts MATCH ?1 ORDER BY rank LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![query, limit as i64], |r| r.get(0))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Stories (filled by the clustering stage; empty until it has run).
    pub fn stories(&self) -> Result<Vec<Story>> {
        let mut stmt =
            self.conn.prepare("SELECT id, title, start, end FROM stories ORDER BY start IS NULL, start, id")?;
        let mut members = self.conn.prepare("SELECT id FROM articles WHERE story = ?1 ORDER BY seq")?;
        let mut stories: Vec<Story> = stmt.query_map([], story_from_row)?.collect::<std::result::Result<_, _>>()?;
        for story in &mut stories {
            story.articles = members.query_map([&story.id], |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
        }
        Ok(stories)
    }

    /// Ids of articles whose publication date was borrowed from their story.
    pub fn borrowed_dates(&self) -> Result<std::collections::HashSet<String>> {
        let mut stmt = self.conn.prepare("SELECT id FROM articles WHERE date_from_story = 1")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Replaces all stories in one transaction: every article's `story` is
    /// reset, then set from `stories`; dates borrowed from the old stories
    /// are dropped and `borrowed` ones (article id, date, earliest, latest)
    /// written, marked as estimated.
    pub fn replace_stories(
        &mut self,
        stories: &[Story],
        borrowed: &[(String, NaiveDate, NaiveDate, NaiveDate)],
    ) -> Result<()> {
        let tx = self.conn.savepoint()?;
        tx.execute(
            "UPDATE articles SET published = NULL, published_source = NULL, published_min = NULL,
                 published_max = NULL, date_from_story = 0 WHERE date_from_story = 1",
            [],
        )?;
        {
            let mut set = tx.prepare(
                "UPDATE articles SET published = ?2, published_source = 'estimated', published_min = ?3,
                     published_max = ?4, date_from_story = 1 WHERE id = ?1 AND published IS NULL",
            )?;
            for (id, date, earliest, latest) in borrowed {
                set.execute(params![id, date.to_string(), earliest.to_string(), latest.to_string()])?;
            }
        }
        tx.execute("UPDATE articles SET story = NULL WHERE story IS NOT NULL", [])?;
        tx.execute("DELETE FROM stories", [])?;
        {
            let mut insert = tx.prepare("INSERT INTO stories (id, title, start, end) VALUES (?1, ?2, ?3, ?4)")?;
            let mut assign = tx.prepare("UPDATE articles SET story = ?1 WHERE id = ?2")?;
            for story in stories {
                insert.execute(params![
                    story.id,
                    story.title,
                    story.start.map(|d| d.to_string()),
                    story.end.map(|d| d.to_string())
                ])?;
                for article in &story.articles {
                    assign.execute(params![story.id, article])?;
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Replaces near-duplicate links and shared passages in one transaction.
    /// `duplicates` are (article, original) pairs; `passages` are (article,
    /// other article, start, end) with character offsets in the article's text.
    pub fn replace_overlaps(
        &mut self,
        duplicates: &[(String, String)],
        passages: &[(String, String, usize, usize)],
    ) -> Result<()> {
        let tx = self.conn.savepoint()?;
        tx.execute("UPDATE articles SET duplicate_of = NULL WHERE duplicate_of IS NOT NULL", [])?;
        tx.execute("DELETE FROM shared_passages", [])?;
        {
            let mut dup = tx.prepare("UPDATE articles SET duplicate_of = ?2 WHERE id = ?1")?;
            for (id, original) in duplicates {
                dup.execute(params![id, original])?;
            }
            let mut add =
                tx.prepare("INSERT INTO shared_passages (article_id, other_id, start, end) VALUES (?1, ?2, ?3, ?4)")?;
            for (id, other, start, end) in passages {
                add.execute(params![id, other, *start as i64, *end as i64])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Passages of an article also found in others: (other id, start, end).
    pub fn shared_passages_of(&self, id: &str) -> Result<Vec<(String, usize, usize)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT other_id, start, end FROM shared_passages WHERE article_id = ?1 ORDER BY start, other_id",
        )?;
        let rows =
            stmt.query_map([id], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as usize, r.get::<_, i64>(2)? as usize)))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Every stored mention, grouped by article (in store order), each with
    /// its entity id once linked.
    pub fn mentions(&self) -> Result<Vec<ArticleMentions>> {
        let mut stmt = self.conn.prepare(
            "SELECT m.article_id, m.start, m.end, m.text, m.type, m.role, m.role_country, m.entity_id
             FROM mentions m JOIN articles a ON a.id = m.article_id ORDER BY a.seq, m.start, m.end DESC",
        )?;
        let mut out: Vec<ArticleMentions> = Vec::new();
        let rows = stmt.query_map([], |r| {
            let kind: String = r.get(4)?;
            Ok((
                r.get::<_, String>(0)?,
                Mention {
                    start: r.get::<_, i64>(1)? as usize,
                    end: r.get::<_, i64>(2)? as usize,
                    text: r.get(3)?,
                    kind: EntityType::parse(&kind).unwrap_or(EntityType::Misc),
                    role: r.get(5)?,
                    role_country: r.get(6)?,
                },
                r.get::<_, Option<String>>(7)?,
            ))
        })?;
        for row in rows {
            let (article, mention, entity) = row?;
            match out.last_mut() {
                Some((a, list)) if *a == article => list.push((mention, entity)),
                _ => out.push((article, vec![(mention, entity)])),
            }
        }
        Ok(out)
    }

    /// Replaces the canonical entities and the entity of every mention
    /// ((article id, mention start, entity id)), in one transaction.
    pub fn replace_entities(&mut self, entities: &[Entity], assignment: &[MentionLink]) -> Result<()> {
        let tx = self.conn.savepoint()?;
        tx.execute("DELETE FROM entities", [])?;
        tx.execute("UPDATE mentions SET entity_id = NULL", [])?;
        {
            let mut add =
                tx.prepare("INSERT INTO entities (id, name, type, aliases, roles) VALUES (?1, ?2, ?3, ?4, ?5)")?;
            for e in entities {
                let aliases = serde_json::to_string(&e.aliases).unwrap_or_default();
                let roles = serde_json::to_string(&e.roles).unwrap_or_default();
                add.execute(params![e.id, e.name, e.kind.as_str(), aliases, roles])?;
            }
            let mut set =
                tx.prepare("UPDATE mentions SET entity_id = ?4 WHERE article_id = ?1 AND start = ?2 AND end = ?3")?;
            for (article, start, end, entity) in assignment {
                set.execute(params![article, *start as i64, *end as i64, entity])?;
            }
        }
        // The triggers left a zero count for every entity replaced.
        tx.execute("DELETE FROM entity_mention_counts WHERE n <= 0", [])?;
        tx.commit()?;
        Ok(())
    }

    /// Every entity with the number of articles and stories it appears in,
    /// most articles first.
    pub fn entities(&self) -> Result<Vec<(Entity, usize, usize)>> {
        let mut stmt = self.conn.prepare(
            "SELECT e.id, e.name, e.type, e.aliases, e.roles,
                    COUNT(DISTINCT m.article_id), COUNT(DISTINCT a.story)
             FROM entities e LEFT JOIN mentions m ON m.entity_id = e.id LEFT JOIN articles a ON a.id = m.article_id
             GROUP BY e.id ORDER BY COUNT(DISTINCT m.article_id) DESC, e.name, e.id",
        )?;
        let rows = stmt.query_map([], |r| {
            let kind: String = r.get(2)?;
            let aliases: String = r.get(3)?;
            let roles: String = r.get(4)?;
            Ok((
                Entity {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    kind: EntityType::parse(&kind).unwrap_or(EntityType::Misc),
                    aliases: serde_json::from_str(&aliases).unwrap_or_default(),
                    roles: serde_json::from_str(&roles).unwrap_or_default(),
                },
                r.get::<_, i64>(5)? as usize,
                r.get::<_, i64>(6)? as usize,
            ))
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// A fact about the store (see [`PipelineStore::set_fact`]).
    pub fn fact(&self, key: &str) -> Result<Option<String>> {
        Ok(self.conn.query_row("SELECT value FROM store_facts WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    /// The story a merged-away story id now points to (following the chain).
    pub fn story_redirect(&self, id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT new FROM story_redirects WHERE old LIKE ?1 || '%' LIMIT 1", [id], |r| r.get(0))
            .optional()?)
    }

    /// (external id, story) of every article, in the order stored: for
    /// scoring a partition against a known one without reading texts.
    pub fn story_assignments(&self) -> Result<Vec<(Option<String>, Option<String>)>> {
        let mut stmt = self.conn.prepare("SELECT external_id, story FROM articles ORDER BY seq")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Number of stories.
    pub fn story_count(&self) -> Result<u64> {
        Ok(self.conn.query_row("SELECT COUNT(*) FROM stories", [], |r| r.get::<_, i64>(0))? as u64)
    }

    /// Counts for `storyline stats`.
    pub fn stats(&self) -> Result<StoreStats> {
        let count = |sql: &str| -> Result<u64> { Ok(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64) };
        Ok(StoreStats {
            articles: count("SELECT COUNT(*) FROM articles")?,
            sources: count("SELECT COUNT(*) FROM article_sources")?,
            stories: count("SELECT COUNT(*) FROM stories")?,
            merged_stories: count("SELECT COUNT(*) FROM story_redirects")?,
            entities: count("SELECT COUNT(*) FROM entities")?,
            mentions: count("SELECT COUNT(*) FROM mentions")?,
            near_duplicates: count("SELECT COUNT(*) FROM articles WHERE duplicate_of IS NOT NULL")?,
            bytes: count("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")?,
            schema_version: self.schema_version()?,
            last_recluster: self.fact("last_recluster")?,
        })
    }

    /// True when an article with this id is stored.
    pub fn contains(&self, id: &str) -> Result<bool> {
        Ok(self.conn.query_row("SELECT 1 FROM articles WHERE id = ?1", [id], |_| Ok(())).optional()?.is_some())
    }
}

/// Inserts articles on an open connection (the caller holds the transaction).
fn insert_articles(conn: &Connection, batch: &[NewArticle]) -> Result<Vec<Inserted>> {
    let mut outcomes = Vec::with_capacity(batch.len());
    let mut insert = conn.prepare_cached(
        "INSERT INTO articles (id, source, external_id, title, lang, published, published_source,
             published_min, published_max, author, site_name, url, text, ingested_at, reported_day)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?13, ?14, ?8, ?9, ?10, ?11, ?12, ?15)
         ON CONFLICT(id) DO NOTHING",
    )?;
    let mut add_source = conn.prepare_cached(
        "INSERT INTO article_sources (article_id, source, external_id) VALUES (?1, ?2, ?3)
         ON CONFLICT(article_id, source) DO NOTHING",
    )?;
    let now = chrono::Utc::now().to_rfc3339();
    for item in batch {
        let e = &item.extraction;
        let id = article_id(&e.text);
        let changed = insert.execute(params![
            id,
            item.source,
            item.external_id,
            e.title,
            e.lang,
            e.published.map(|d| d.to_string()),
            e.published_source.map(PublishedSource::as_str),
            e.author,
            e.site_name,
            e.url,
            e.text,
            now,
            e.published_range.and_then(|r| r[0]).map(|d| d.to_string()),
            e.published_range.and_then(|r| r[1]).map(|d| d.to_string()),
            e.reported_day,
        ])?;
        add_source.execute(params![id, item.source, item.external_id])?;
        outcomes.push(if changed == 1 { Inserted::New(id) } else { Inserted::Duplicate(id) });
    }
    Ok(outcomes)
}

/// Inserts mentions and marks their articles done, on an open connection.
/// A stored attribution with its article and the speaker's entity.
#[derive(Debug, Clone)]
pub struct StoredQuote {
    /// The article it was found in.
    pub article: String,
    /// The attribution.
    pub quote: storyline_model::Quote,
    /// The entity of the speaker's mention, once linked.
    pub speaker: Option<String>,
}

impl Store {
    /// Attributions of these articles (every article's when None), in
    /// article order then text order, with each speaker's entity.
    pub fn quotes(&self, articles: Option<&[String]>) -> Result<Vec<StoredQuote>> {
        let select = "SELECT q.article_id, q.data, m.entity_id FROM quotes q
             LEFT JOIN mentions m ON m.article_id = q.article_id AND m.start = q.speaker_start AND m.end = q.speaker_end";
        let mut one = self.conn.prepare_cached(&format!("{select} WHERE q.article_id = ?1 ORDER BY q.seq"))?;
        let mut all = self.conn.prepare_cached(&format!("{select} ORDER BY q.article_id, q.seq"))?;
        let mut out = Vec::new();
        let mut read = |id: Option<&str>| -> Result<()> {
            let row = |r: &rusqlite::Row<'_>| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?))
            };
            let rows: Vec<_> = match id {
                Some(id) => one.query_map([id], row)?.collect(),
                None => all.query_map([], row)?.collect(),
            };
            for row in rows {
                let (article, data, speaker) = row?;
                if let Ok(quote) = serde_json::from_str(&data) {
                    out.push(StoredQuote { article, quote, speaker });
                }
            }
            Ok(())
        };
        match articles {
            Some(ids) => ids.iter().try_for_each(|id| read(Some(id)))?,
            None => read(None)?,
        }
        Ok(out)
    }
}

/// A stored event with its article and its actors' entities.
#[derive(Debug, Clone)]
pub struct StoredEvent {
    /// The article it was coded in.
    pub article: String,
    /// Its index among the article's events.
    pub index: usize,
    /// The event.
    pub event: storyline_model::Event,
    /// The entity of the source's mention, once linked.
    pub source: Option<String>,
    /// The entity of the target's mention, once linked.
    pub target: Option<String>,
}

impl Store {
    /// Events of these articles (every article's when None), in article
    /// order then text order, with each actor's entity.
    pub fn events(&self, articles: Option<&[String]>) -> Result<Vec<StoredEvent>> {
        let select = "SELECT e.article_id, e.seq, e.data, s.entity_id, t.entity_id FROM events e
             LEFT JOIN mentions s ON s.article_id = e.article_id AND s.start = e.source_start AND s.end = e.source_end
             LEFT JOIN mentions t ON t.article_id = e.article_id AND t.start = e.target_start AND t.end = e.target_end";
        let mut one = self.conn.prepare_cached(&format!("{select} WHERE e.article_id = ?1 ORDER BY e.seq"))?;
        let mut all = self.conn.prepare_cached(&format!("{select} ORDER BY e.article_id, e.seq"))?;
        let mut out = Vec::new();
        let mut read = |id: Option<&str>| -> Result<()> {
            let row = |r: &rusqlite::Row<'_>| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            };
            let rows: Vec<_> = match id {
                Some(id) => one.query_map([id], row)?.collect(),
                None => all.query_map([], row)?.collect(),
            };
            for row in rows {
                let (article, seq, data, source, target) = row?;
                if let Ok(event) = serde_json::from_str(&data) {
                    out.push(StoredEvent { article, index: seq as usize, event, source, target });
                }
            }
            Ok(())
        };
        match articles {
            Some(ids) => ids.iter().try_for_each(|id| read(Some(id)))?,
            None => read(None)?,
        }
        Ok(out)
    }

    /// Figures of these articles (every article's when None), with their article.
    pub fn figures(&self, articles: Option<&[String]>) -> Result<Vec<(String, storyline_model::Figure)>> {
        let mut one =
            self.conn.prepare_cached("SELECT article_id, data FROM figures WHERE article_id = ?1 ORDER BY seq")?;
        let mut all = self.conn.prepare_cached("SELECT article_id, data FROM figures ORDER BY article_id, seq")?;
        let mut out = Vec::new();
        let mut read = |id: Option<&str>| -> Result<()> {
            let row = |r: &rusqlite::Row<'_>| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?));
            let rows: Vec<_> = match id {
                Some(id) => one.query_map([id], row)?.collect(),
                None => all.query_map([], row)?.collect(),
            };
            for row in rows {
                let (article, data) = row?;
                if let Ok(figure) = serde_json::from_str(&data) {
                    out.push((article, figure));
                }
            }
            Ok(())
        };
        match articles {
            Some(ids) => ids.iter().try_for_each(|id| read(Some(id)))?,
            None => read(None)?,
        }
        Ok(out)
    }
}

fn insert_mentions_in(conn: &Connection, found: &[(String, Vec<Mention>)]) -> Result<()> {
    let mut add = conn.prepare_cached(
        "INSERT OR REPLACE INTO mentions (article_id, start, end, text, type, role, role_country)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut done = conn.prepare_cached("INSERT OR IGNORE INTO mentions_done (article_id) VALUES (?1)")?;
    for (id, mentions) in found {
        for m in mentions {
            add.execute(params![id, m.start as i64, m.end as i64, m.text, m.kind.as_str(), m.role, m.role_country])?;
        }
        done.execute([id])?;
    }
    Ok(())
}

/// An entity from a row of (id, name, type, aliases, roles).
fn entity_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Entity> {
    let kind: String = r.get(2)?;
    let aliases: String = r.get(3)?;
    let roles: String = r.get(4)?;
    Ok(Entity {
        id: r.get(0)?,
        name: r.get(1)?,
        kind: EntityType::parse(&kind).unwrap_or(EntityType::Misc),
        aliases: serde_json::from_str(&aliases).unwrap_or_default(),
        roles: serde_json::from_str(&roles).unwrap_or_default(),
    })
}

pub(crate) const ARTICLE_COLUMNS: &str = "id, source, external_id, title, lang, published, published_source, published_min,
     published_max, author, site_name, url, text, story, duplicate_of, (published_min IS NOT NULL OR published_max IS NOT NULL)";

/// A story, without its members, from a row of (id, title, start, end).
pub(crate) fn story_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Story> {
    Ok(Story {
        id: r.get(0)?,
        title: r.get(1)?,
        articles: Vec::new(),
        start: parse_date(r.get(2)?),
        end: parse_date(r.get(3)?),
    })
}

/// A date as the stores write it (`YYYY-MM-DD`), or None.
pub fn parse_date(text: Option<String>) -> Option<NaiveDate> {
    text.and_then(|t| NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok())
}

pub(crate) fn article_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Article> {
    let has_range: bool = row.get(15)?;
    Ok(Article {
        id: row.get(0)?,
        source: row.get(1)?,
        external_id: row.get(2)?,
        title: row.get(3)?,
        lang: row.get(4)?,
        published: parse_date(row.get(5)?),
        published_source: row.get::<_, Option<String>>(6)?.as_deref().and_then(PublishedSource::parse),
        published_range: has_range
            .then(|| [parse_date(row.get(7).ok().flatten()), parse_date(row.get(8).ok().flatten())]),
        author: row.get(9)?,
        site_name: row.get(10)?,
        url: row.get(11)?,
        text: row.get(12)?,
        story: row.get(13)?,
        duplicate_of: row.get(14)?,
    })
}

#[cfg(test)]
mod tests;
