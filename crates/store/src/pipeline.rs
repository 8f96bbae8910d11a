//! The seam between the pipeline and a store backend: what one ingest batch
//! reads (candidate entities, stories and near-duplicates, found through
//! indexes) and writes (articles, mentions, links, story changes). The
//! pipeline calls [`PipelineStore::begin`] before a batch and
//! [`PipelineStore::commit`] after it, so a batch is stored whole or not at
//! all. Nothing here scans the whole store: every read is bounded by the
//! batch's own keys.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::filter::FingerprintFilter;
use chrono::NaiveDate;
use storyline_model::{Entity, Event, Figure, Mention, Quote};

use crate::{Inserted, MentionLink, NewArticle, Result};

/// An article as the story stage sees it: its own date (never one borrowed
/// from its story), its title and its hashed feature counts.
/// One article's coded events and figures, as the pipeline writes them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticleEvents {
    /// The article.
    pub article: String,
    /// Its events, in text order.
    pub events: Vec<Event>,
    /// Its figures, in text order.
    pub figures: Vec<Figure>,
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| crate::StoreError::Encode(e.to_string()))
}

#[derive(Debug, Clone, PartialEq)]
pub struct FeatureDoc {
    /// Article id.
    pub id: String,
    /// Its own date.
    pub date: Option<NaiveDate>,
    /// Its headline.
    pub title: Option<String>,
    /// (feature hash, count), sorted by hash.
    pub counts: Vec<(u64, f32)>,
    /// Its story, when it has one.
    pub story: Option<String>,
}

/// A story's summary: what candidate scoring reads instead of its members.
#[derive(Debug, Clone, PartialEq)]
pub struct StorySummary {
    /// Story id.
    pub id: String,
    /// Number of members.
    pub size: usize,
    /// Earliest and latest member date.
    pub start: Option<NaiveDate>,
    /// Latest member date.
    pub end: Option<NaiveDate>,
    /// The members' mean unit vector, cut to its heaviest features, sorted by hash.
    pub vector: Vec<(u64, f32)>,
}

/// One story as a batch leaves it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryUpdate {
    /// Story id (existing or new).
    pub id: String,
    /// Its headline.
    pub title: Option<String>,
    /// Members that (re)join it in this batch; members not listed keep their story.
    pub members: Vec<String>,
    /// Its new summary.
    pub summary: StorySummary,
    /// Features that find it, from its members' strongest.
    pub terms: Vec<u64>,
}

/// Everything the story stage changes in one batch.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoryChanges {
    /// Stories created or changed.
    pub updates: Vec<StoryUpdate>,
    /// Stories merged away: (old id, the id it now points to).
    pub merged: Vec<(String, String)>,
}

/// Near-duplicate links and shared passages found for a batch.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OverlapChanges {
    /// (article, original): set when the article has none yet.
    pub duplicates: Vec<(String, String)>,
    /// (article, other, start, end) in characters of the article's text.
    pub passages: Vec<(String, String, usize, usize)>,
}

/// What the pipeline needs of a store. SQLite implements it (`Store`); a
/// PostgreSQL backend implements the same methods.
pub trait PipelineStore {
    /// Starts the batch's transaction.
    fn begin(&mut self) -> Result<()>;
    /// Commits the batch.
    fn commit(&mut self) -> Result<()>;
    /// Drops the batch.
    fn rollback(&mut self) -> Result<()>;

    /// Stores articles; content already present only gains a source.
    fn put_articles(&mut self, batch: &[NewArticle]) -> Result<Vec<Inserted>>;
    /// Stores the mentions found in articles.
    fn put_mentions(&mut self, found: &[(String, Vec<Mention>)]) -> Result<()>;

    /// Stores articles' attributions (replacing any) and marks the articles
    /// as read for quotes.
    fn put_quotes(&mut self, found: &[(String, Vec<Quote>)]) -> Result<()>;
    /// Up to `limit` articles never read for quotes (stored by an older version).
    fn articles_without_quotes(&self, limit: usize) -> Result<Vec<String>>;

    /// Stores articles' coded events and figures (replacing any) and marks
    /// the articles as coded.
    fn put_events(&mut self, found: &[ArticleEvents]) -> Result<()>;
    /// Up to `limit` articles never coded for events (stored by an older version).
    fn articles_without_events(&self, limit: usize) -> Result<Vec<String>>;

    /// Entities indexed under any of these keys (at most `per_key` a key).
    fn entities_by_keys(&self, keys: &[String], per_key: usize) -> Result<Vec<Entity>>;
    /// Creates or replaces entities and adds index keys (key, entity id).
    fn put_entities(&mut self, entities: &[Entity], keys: &[(String, String)]) -> Result<()>;
    /// Sets the entity of mentions, each named by its article and span.
    fn link_mentions(&mut self, assignment: &[MentionLink]) -> Result<()>;

    /// Stores articles' feature counts and counts their features in the
    /// document frequencies; returns the number of articles with features.
    fn put_features(&mut self, docs: &[FeatureDoc]) -> Result<u64>;
    /// Document frequencies of features (absent ones are 0).
    fn document_frequencies(&self, features: &[u64]) -> Result<HashMap<u64, u32>>;
    /// For each feature, the stories it finds, most recently joined first
    /// (at most `per_feature`).
    fn stories_by_feature(&self, features: &[u64], per_feature: usize) -> Result<Vec<Vec<String>>>;
    /// Summaries of stories.
    fn story_summaries(&self, ids: &[String]) -> Result<Vec<StorySummary>>;
    /// Members of stories with their features, the most recent `per_story` of each.
    fn story_members(&self, ids: &[String], per_story: usize) -> Result<Vec<FeatureDoc>>;
    /// Applies a batch's story changes, recomputes the changed stories'
    /// dates and the dates their undated members borrow.
    fn put_story_changes(&mut self, changes: &StoryChanges) -> Result<()>;

    /// Indexes articles' shingle fingerprints.
    fn put_fingerprints(&mut self, items: &[(String, Vec<u64>)]) -> Result<()>;
    /// Articles sharing at least `min_shared` of these fingerprints, with how
    /// many they share, most first, at most `limit`.
    fn articles_by_fingerprints(&self, hashes: &[u64], min_shared: usize, limit: usize)
        -> Result<Vec<(String, usize)>>;
    /// (id, own date, text) of articles.
    fn texts(&self, ids: &[String]) -> Result<Vec<(String, Option<NaiveDate>, String)>>;
    /// Adds near-duplicate links and shared passages.
    fn put_overlaps(&mut self, changes: &OverlapChanges) -> Result<()>;

    /// For a full recluster: forgets everything derived from the articles
    /// and their mentions (entities and their keys, mention links, stories
    /// and their index, features, fingerprints, near-duplicates, borrowed
    /// dates); articles, sources and mentions stay.
    fn reset_derived(&mut self) -> Result<()>;
    /// Every article id, in the order stored.
    fn article_ids(&self) -> Result<Vec<String>>;
    /// Articles by id (ids not stored are left out).
    fn articles_by_id(&self, ids: &[String]) -> Result<Vec<storyline_model::Article>>;
    /// Which of these article ids are stored (a cheap read: the pipeline
    /// reads ahead only the articles it does not hold yet).
    fn stored_ids(&self, ids: &[String]) -> Result<HashSet<String>>;
    /// The stored mentions of articles (None when never looked for).
    fn mentions_of(&self, ids: &[String]) -> Result<Vec<Option<Vec<Mention>>>>;
    /// Sets a fact about the store (`last_recluster`, `time_window_days`).
    fn set_fact(&mut self, key: &str, value: &str) -> Result<()>;
    /// Articles the incremental indexes do not know (stored by an older
    /// version): a recluster indexes them.
    fn unindexed_articles(&self) -> Result<u64>;

    /// Starts a transaction that writes articles and what is read from each
    /// of them alone (mentions, attributions, events), never the derived
    /// tables: distributed workers run these side by side. A store where
    /// every batch is indexed at once needs nothing else than [`Self::begin`].
    fn begin_articles(&mut self) -> Result<()> {
        self.begin()
    }
    /// Starts the transaction that links and clusters stored articles if no
    /// other process is doing it; false (and no transaction) when one is.
    fn try_begin_index(&mut self) -> Result<bool> {
        self.begin().map(|()| true)
    }
    /// Up to `limit` stored articles that still wait for linking and story
    /// assignment, oldest stored first (always none where every batch is
    /// indexed when it is written).
    fn pending_index(&self, _limit: usize) -> Result<Vec<String>> {
        Ok(Vec::new())
    }
    /// Marks articles as linked and assigned to stories.
    fn mark_indexed(&mut self, _ids: &[String]) -> Result<()> {
        Ok(())
    }
}

/// Packs (hash, weight) pairs: 12 bytes each, little-endian.
pub fn pack_vector(v: &[(u64, f32)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(v.len() * 12);
    for (h, w) in v {
        out.extend_from_slice(&h.to_le_bytes());
        out.extend_from_slice(&w.to_le_bytes());
    }
    out
}

/// Unpacks [`pack_vector`]'s bytes (a damaged tail is ignored).
pub fn unpack_vector(bytes: &[u8]) -> Vec<(u64, f32)> {
    bytes
        .chunks_exact(12)
        .map(|c| (u64::from_le_bytes(c[..8].try_into().unwrap()), f32::from_le_bytes(c[8..].try_into().unwrap())))
        .collect()
}

fn date_text(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

impl PipelineStore for crate::Store {
    fn begin(&mut self) -> Result<()> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        Ok(())
    }

    fn commit(&mut self) -> Result<()> {
        self.conn.execute_batch("COMMIT")?;
        Ok(())
    }

    fn rollback(&mut self) -> Result<()> {
        if !self.conn.is_autocommit() {
            self.conn.execute_batch("ROLLBACK")?;
        }
        Ok(())
    }

    fn put_articles(&mut self, batch: &[NewArticle]) -> Result<Vec<Inserted>> {
        crate::insert_articles(&self.conn, batch)
    }

    fn put_mentions(&mut self, found: &[(String, Vec<Mention>)]) -> Result<()> {
        crate::insert_mentions_in(&self.conn, found)
    }

    fn put_quotes(&mut self, found: &[(String, Vec<Quote>)]) -> Result<()> {
        let mut clear = self.conn.prepare_cached("DELETE FROM quotes WHERE article_id = ?1")?;
        let mut add = self.conn.prepare_cached(
            "INSERT INTO quotes (article_id, seq, speaker_start, speaker_end, data) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut done = self.conn.prepare_cached("INSERT OR IGNORE INTO quotes_done (article_id) VALUES (?1)")?;
        for (id, quotes) in found {
            clear.execute([id])?;
            for (seq, q) in quotes.iter().enumerate() {
                let data = serde_json::to_string(q).map_err(|e| crate::StoreError::Encode(e.to_string()))?;
                let speaker = q.speaker_mention.map(|[a, b]| (a as i64, b as i64));
                add.execute(rusqlite::params![id, seq as i64, speaker.map(|s| s.0), speaker.map(|s| s.1), data])?;
            }
            done.execute([id])?;
        }
        Ok(())
    }

    fn put_events(&mut self, found: &[ArticleEvents]) -> Result<()> {
        let mut clear_events = self.conn.prepare_cached("DELETE FROM events WHERE article_id = ?1")?;
        let mut clear_figures = self.conn.prepare_cached("DELETE FROM figures WHERE article_id = ?1")?;
        let mut add_event = self.conn.prepare_cached(
            "INSERT INTO events (article_id, seq, type, source_start, source_end, target_start, target_end, data)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        let mut add_figure = self.conn.prepare_cached(
            "INSERT INTO figures (article_id, seq, quantity, value, data) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut done = self.conn.prepare_cached("INSERT OR IGNORE INTO events_done (article_id) VALUES (?1)")?;
        for found in found {
            let id = &found.article;
            clear_events.execute([id])?;
            clear_figures.execute([id])?;
            for (seq, e) in found.events.iter().enumerate() {
                let span = |m: Option<[usize; 2]>| m.map(|[a, b]| (a as i64, b as i64));
                let (s, t) = (span(e.source.mention), span(e.target.mention));
                add_event.execute(rusqlite::params![
                    id,
                    seq as i64,
                    e.kind,
                    s.map(|s| s.0),
                    s.map(|s| s.1),
                    t.map(|t| t.0),
                    t.map(|t| t.1),
                    to_json(e)?
                ])?;
            }
            for (seq, f) in found.figures.iter().enumerate() {
                add_figure.execute(rusqlite::params![id, seq as i64, f.quantity, f.value as i64, to_json(f)?])?;
            }
            done.execute([id])?;
        }
        Ok(())
    }

    fn articles_without_events(&self, limit: usize) -> Result<Vec<String>> {
        self.articles_not_in("events_done", EVENTS_DONE_THROUGH, limit)
    }

    fn articles_without_quotes(&self, limit: usize) -> Result<Vec<String>> {
        self.articles_not_in("quotes_done", QUOTES_DONE_THROUGH, limit)
    }

    fn entities_by_keys(&self, keys: &[String], per_key: usize) -> Result<Vec<Entity>> {
        let mut ids = std::collections::BTreeSet::new();
        // Limits are written into the statement: a bound LIMIT makes SQLite prepare it again at every use.
        let mut stmt =
            self.conn.prepare_cached(&format!("SELECT entity_id FROM entity_keys WHERE key = ?1 LIMIT {per_key}"))?;
        for key in keys {
            for id in stmt.query_map([key], |r| r.get::<_, String>(0))? {
                ids.insert(id?);
            }
        }
        let mut get = self.conn.prepare_cached("SELECT id, name, type, aliases, roles FROM entities WHERE id = ?1")?;
        let mut out = Vec::new();
        for id in ids {
            if let Some(e) = rusqlite::OptionalExtension::optional(get.query_row([&id], crate::entity_from_row))? {
                out.push(e);
            }
        }
        Ok(out)
    }

    fn put_entities(&mut self, entities: &[Entity], keys: &[(String, String)]) -> Result<()> {
        let mut put = self.conn.prepare_cached(
            "INSERT INTO entities (id, name, type, aliases, roles) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(id) DO UPDATE SET name = ?2, type = ?3, aliases = ?4, roles = ?5",
        )?;
        for e in entities {
            let aliases = serde_json::to_string(&e.aliases).unwrap_or_default();
            let roles = serde_json::to_string(&e.roles).unwrap_or_default();
            put.execute(rusqlite::params![e.id, e.name, e.kind.as_str(), aliases, roles])?;
        }
        let mut key = self.conn.prepare_cached("INSERT OR IGNORE INTO entity_keys (key, entity_id) VALUES (?1, ?2)")?;
        for (k, id) in keys {
            key.execute([k, id])?;
        }
        Ok(())
    }

    fn link_mentions(&mut self, assignment: &[MentionLink]) -> Result<()> {
        let mut set = self
            .conn
            .prepare_cached("UPDATE mentions SET entity_id = ?4 WHERE article_id = ?1 AND start = ?2 AND end = ?3")?;
        // In key order: neighbouring pages of the mentions table.
        let mut sorted: Vec<&MentionLink> = assignment.iter().collect();
        sorted.sort_unstable();
        for (article, start, end, entity) in sorted {
            set.execute(rusqlite::params![article, *start as i64, *end as i64, entity])?;
        }
        Ok(())
    }

    fn put_features(&mut self, docs: &[FeatureDoc]) -> Result<u64> {
        let mut put = self.conn.prepare_cached(
            "INSERT INTO article_features (article_id, date, features) VALUES (?1, ?2, ?3)
             ON CONFLICT(article_id) DO NOTHING",
        )?;
        let mut df = self.conn.prepare_cached(
            "INSERT INTO feature_df (feature, df) VALUES (?1, ?2) ON CONFLICT(feature) DO UPDATE SET df = df + ?2",
        )?;
        let mut added = 0i64;
        // Documents per feature over the batch, written once per feature in
        // key order: one statement instead of one per document, on
        // neighbouring pages of the index.
        let mut counts: BTreeMap<i64, i64> = BTreeMap::new();
        for d in docs {
            if put.execute(rusqlite::params![d.id, date_text(d.date), pack_vector(&d.counts)])? == 1 {
                added += 1;
                for (h, _) in &d.counts {
                    *counts.entry(*h as i64).or_default() += 1;
                }
            }
        }
        for (feature, n) in counts {
            df.execute([feature, n])?;
        }
        // The count is kept as a fact: COUNT(*) reads the whole table.
        Ok(self.add_to_counter("feature_docs", added)? as u64)
    }

    fn document_frequencies(&self, features: &[u64]) -> Result<HashMap<u64, u32>> {
        let mut stmt = self.conn.prepare_cached("SELECT df FROM feature_df WHERE feature = ?1")?;
        let mut out = HashMap::with_capacity(features.len());
        for &h in features {
            if out.contains_key(&h) {
                continue;
            }
            let df: Option<i64> = rusqlite::OptionalExtension::optional(stmt.query_row([h as i64], |r| r.get(0)))?;
            out.insert(h, df.unwrap_or(0) as u32);
        }
        Ok(out)
    }

    fn stories_by_feature(&self, features: &[u64], per_feature: usize) -> Result<Vec<Vec<String>>> {
        // A story merged away keeps its postings, skipped here: finding them
        // to delete would read the whole index (keyed by feature) once per
        // merge. Rows come in index order and are read only as far as needed.
        let merged_away = self.merged_away_stories()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT story, batch FROM story_terms WHERE feature = ?1 ORDER BY batch DESC, story DESC",
        )?;
        let mut mid = self.conn.prepare_cached(
            "SELECT story, batch FROM story_terms_mid WHERE feature = ?1 ORDER BY batch DESC, story DESC",
        )?;
        let mut pending = self.conn.prepare_cached(
            "SELECT story, batch FROM story_terms_pending WHERE feature = ?1 ORDER BY batch DESC, story DESC",
        )?;
        let mut out = Vec::with_capacity(features.len());
        for &h in features {
            // The first `per_feature` of each table hold the first of all
            // three: a story ahead in the union is ahead in the table its
            // latest posting is in, and a story's older posting only counts once.
            let mut latest: HashMap<String, i64> = HashMap::new();
            for stmt in [&mut stmt, &mut mid, &mut pending] {
                let mut rows = stmt.query([h as i64])?;
                let mut taken = 0;
                while taken < per_feature {
                    let Some(row) = rows.next()? else { break };
                    let story: String = row.get(0)?;
                    if merged_away.contains(&story) {
                        continue;
                    }
                    let batch: i64 = row.get(1)?;
                    taken += 1;
                    let at = latest.entry(story).or_insert(batch);
                    *at = (*at).max(batch);
                }
            }
            let mut ranked: Vec<(String, i64)> = latest.into_iter().collect();
            ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| b.0.cmp(&a.0)));
            ranked.truncate(per_feature);
            out.push(ranked.into_iter().map(|(story, _)| story).collect());
        }
        Ok(out)
    }

    fn story_summaries(&self, ids: &[String]) -> Result<Vec<StorySummary>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.id, m.size, s.start, s.end, m.vector FROM stories s JOIN story_summaries m ON m.story = s.id
             WHERE s.id = ?1",
        )?;
        let mut out = Vec::new();
        for id in ids {
            let row = stmt.query_row([id], |r| {
                Ok(StorySummary {
                    id: r.get(0)?,
                    size: r.get::<_, i64>(1)? as usize,
                    start: crate::parse_date(r.get(2)?),
                    end: crate::parse_date(r.get(3)?),
                    vector: unpack_vector(&r.get::<_, Vec<u8>>(4)?),
                })
            });
            if let Some(s) = rusqlite::OptionalExtension::optional(row)? {
                out.push(s);
            }
        }
        Ok(out)
    }

    fn story_members(&self, ids: &[String], per_story: usize) -> Result<Vec<FeatureDoc>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT a.id, f.date, a.title, f.features, a.story FROM articles a JOIN article_features f ON f.article_id = a.id
             WHERE a.story = ?1 ORDER BY a.seq DESC LIMIT {per_story}"
        ))?;
        let mut out = Vec::new();
        for id in ids {
            let rows = stmt.query_map([id], |r| {
                Ok(FeatureDoc {
                    id: r.get(0)?,
                    date: crate::parse_date(r.get(1)?),
                    title: r.get(2)?,
                    counts: unpack_vector(&r.get::<_, Vec<u8>>(3)?),
                    story: r.get(4)?,
                })
            })?;
            for row in rows {
                out.push(row?);
            }
        }
        Ok(out)
    }

    fn put_story_changes(&mut self, changes: &StoryChanges) -> Result<()> {
        let c = &self.conn;
        let batch: i64 = self.add_to_counter("story_batch", 1)?;
        let mut posted = 0i64;
        {
            let mut story = c.prepare_cached(
                "INSERT INTO stories (id, title) VALUES (?1, ?2) ON CONFLICT(id) DO UPDATE SET title = ?2",
            )?;
            let mut member = c.prepare_cached("UPDATE articles SET story = ?1 WHERE id = ?2")?;
            let mut summary = c.prepare_cached(
                "INSERT INTO story_summaries (story, size, vector) VALUES (?1, ?2, ?3)
                 ON CONFLICT(story) DO UPDATE SET size = ?2, vector = ?3",
            )?;
            let mut term = c.prepare_cached(
                "INSERT INTO story_terms_pending (feature, story, batch) VALUES (?1, ?2, ?3)
                 ON CONFLICT(feature, story) DO UPDATE SET batch = ?3",
            )?;
            let mut postings: Vec<(i64, &str)> = Vec::new();
            for u in &changes.updates {
                story.execute(rusqlite::params![u.id, u.title])?;
                for m in &u.members {
                    member.execute([&u.id, m])?;
                }
                summary.execute(rusqlite::params![u.id, u.summary.size as i64, pack_vector(&u.summary.vector)])?;
                postings.extend(u.terms.iter().map(|t| (*t as i64, u.id.as_str())));
            }
            // In key order: neighbouring pages of the postings index.
            postings.sort_unstable();
            for (feature, id) in postings {
                posted += term.execute(rusqlite::params![feature, id, batch])? as i64;
            }
        }
        {
            let mut redirect = c.prepare_cached(
                "INSERT INTO story_redirects (old, new) VALUES (?1, ?2) ON CONFLICT(old) DO UPDATE SET new = ?2",
            )?;
            let mut chain = c.prepare_cached("UPDATE story_redirects SET new = ?2 WHERE new = ?1")?;
            let mut drop_story = c.prepare_cached("DELETE FROM stories WHERE id = ?1")?;
            let mut drop_summary = c.prepare_cached("DELETE FROM story_summaries WHERE story = ?1")?;
            let mut move_rest = c.prepare_cached("UPDATE articles SET story = ?2 WHERE story = ?1")?;
            for (old, new) in &changes.merged {
                move_rest.execute([old, new])?;
                drop_story.execute([old])?;
                drop_summary.execute([old])?;
                chain.execute([old, new])?;
                redirect.execute([old, new])?;
            }
        }
        // Dates of the changed stories, and the dates their undated members borrow.
        let mut dates = c.prepare_cached(
            "UPDATE stories SET
                 start = (SELECT MIN(f.date) FROM articles a JOIN article_features f ON f.article_id = a.id
                          WHERE a.story = stories.id),
                 end = (SELECT MAX(f.date) FROM articles a JOIN article_features f ON f.article_id = a.id
                        WHERE a.story = stories.id)
             WHERE id = ?1",
        )?;
        let mut unborrow = c.prepare_cached(
            "UPDATE articles SET published = NULL, published_source = NULL, published_min = NULL,
                 published_max = NULL, date_from_story = 0 WHERE story = ?1 AND date_from_story = 1",
        )?;
        let mut borrow = c.prepare_cached(
            "UPDATE articles SET published = (SELECT start FROM stories WHERE id = ?1), published_source = 'estimated',
                 published_min = (SELECT start FROM stories WHERE id = ?1),
                 published_max = (SELECT end FROM stories WHERE id = ?1), date_from_story = 1
             WHERE story = ?1 AND published IS NULL AND (SELECT start FROM stories WHERE id = ?1) IS NOT NULL",
        )?;
        // A borrowed date is never before the latest day the article itself
        // reports: that day in the year nearest the story's start.
        let mut floor = c.prepare_cached(
            "WITH placed AS (
                 SELECT id, published AS start, date(substr(published, 1, 4) || '-' || reported_day) AS day
                 FROM articles WHERE story = ?1 AND date_from_story = 1 AND reported_day IS NOT NULL),
             floors AS (
                 SELECT id, CASE WHEN julianday(day) - julianday(start) > 183 THEN date(day, '-1 year')
                                 WHEN julianday(day) - julianday(start) < -183 THEN date(day, '+1 year')
                                 ELSE day END AS day
                 FROM placed WHERE day IS NOT NULL)
             UPDATE articles SET published = floors.day, published_min = floors.day,
                 published_max = MAX(published_max, floors.day)
             FROM floors WHERE articles.id = floors.id AND floors.day > articles.published",
        )?;
        for u in &changes.updates {
            dates.execute([&u.id])?;
            unborrow.execute([&u.id])?;
            borrow.execute([&u.id])?;
            floor.execute([&u.id])?;
        }
        drop((dates, unborrow, borrow, floor));
        let pending = self.add_to_counter(PENDING_TERMS, posted)?;
        if pending >= self.merge_threshold(MERGED_TERMS, "story_terms", TERMS_MERGE_AT_LEAST, TERMS_MERGE_AT_MOST)? {
            self.merge_story_terms(pending)?;
        }
        Ok(())
    }

    fn put_fingerprints(&mut self, items: &[(String, Vec<u64>)]) -> Result<()> {
        let mut rows: Vec<(i64, i64)> = Vec::new();
        {
            let mut seq = self.conn.prepare_cached("SELECT seq FROM articles WHERE id = ?1")?;
            for (id, hashes) in items {
                let Some(seq): Option<i64> = rusqlite::OptionalExtension::optional(seq.query_row([id], |r| r.get(0)))?
                else {
                    continue;
                };
                rows.extend(hashes.iter().map(|h| (*h as i64, seq)));
            }
        }
        // In key order, so consecutive statements read and write neighbouring
        // pages of the indexes instead of one random page each; a hash's
        // rows keep their article order (seq), so the 64 kept are the same.
        rows.sort_unstable();
        let filtered = self.fingerprint_filter_for(rows.len())?;
        let filter = self.fingerprint_filter.as_ref().filter(|_| filtered);
        // A fingerprint already carried by 64 articles is
        // boilerplate, not wire copy: it is not indexed again, so a lookup
        // reads a bounded list whatever the size of the store.
        let mut put = self.conn.prepare_cached(
            "INSERT OR IGNORE INTO fingerprints_recent (hash, seq) SELECT ?1, ?2
             WHERE (SELECT COUNT(*) FROM (SELECT 1 FROM fingerprints WHERE hash = ?1 LIMIT 64))
                 + (SELECT COUNT(*) FROM (SELECT 1 FROM fingerprints_mid WHERE hash = ?1 LIMIT 64))
                 + (SELECT COUNT(*) FROM (SELECT 1 FROM fingerprints_recent WHERE hash = ?1 LIMIT 64)) < 64
               AND NOT EXISTS (SELECT 1 FROM fingerprints WHERE hash = ?1 AND seq = ?2)
               AND NOT EXISTS (SELECT 1 FROM fingerprints_mid WHERE hash = ?1 AND seq = ?2)",
        )?;
        // One the filter rules out of the merged index is only counted in
        // the recent table, whose pages stay in memory.
        let mut put_unmerged = self.conn.prepare_cached(
            "INSERT OR IGNORE INTO fingerprints_recent (hash, seq) SELECT ?1, ?2
             WHERE (SELECT COUNT(*) FROM (SELECT 1 FROM fingerprints_recent WHERE hash = ?1 LIMIT 64)) < 64",
        )?;
        let mut added = 0i64;
        for (hash, seq) in rows {
            let stmt = if filter.is_none_or(|f| f.may_contain(hash)) { &mut put } else { &mut put_unmerged };
            added += stmt.execute(rusqlite::params![hash, seq])? as i64;
        }
        drop((put, put_unmerged));
        let recent = self.add_to_counter(RECENT_FINGERPRINTS, added)?;
        if recent >= self.merge_threshold(MERGED_FINGERPRINTS, "fingerprints", MERGE_AT_LEAST, MERGE_AT_MOST)? {
            self.merge_fingerprints(recent)?;
        }
        Ok(())
    }

    fn articles_by_fingerprints(
        &self,
        hashes: &[u64],
        min_shared: usize,
        limit: usize,
    ) -> Result<Vec<(String, usize)>> {
        // One statement per article: the fingerprints as a JSON array, counted per article.
        let all: Vec<i64> = hashes.iter().map(|h| *h as i64).collect();
        let list = serde_json::to_string(&all).unwrap_or_default();
        // The merged index is asked only for what the filter lets through.
        let merged_list = match self.current_fingerprint_filter()? {
            Some(filter) => serde_json::to_string(&all.iter().filter(|h| filter.may_contain(**h)).collect::<Vec<_>>())
                .unwrap_or_default(),
            None => list.clone(),
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            // Counted per article before the join: only the articles that
            // share enough are read for their id, not one row per fingerprint.
            "SELECT a.id, g.shared FROM (
                 SELECT seq, COUNT(*) AS shared FROM (
                     SELECT seq FROM fingerprints WHERE hash IN (SELECT value FROM json_each(?2))
                     UNION ALL SELECT seq FROM fingerprints_mid WHERE hash IN (SELECT value FROM json_each(?2))
                     UNION ALL SELECT seq FROM fingerprints_recent WHERE hash IN (SELECT value FROM json_each(?1))
                 ) GROUP BY seq HAVING COUNT(*) >= {min_shared}
             ) g JOIN articles a ON a.seq = g.seq
             ORDER BY g.shared DESC, a.id LIMIT {limit}"
        ))?;
        let rows =
            stmt.query_map([list, merged_list], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize)))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    fn texts(&self, ids: &[String]) -> Result<Vec<(String, Option<NaiveDate>, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.id, f.date, a.text FROM articles a LEFT JOIN article_features f ON f.article_id = a.id
             WHERE a.id = ?1",
        )?;
        let mut out = Vec::new();
        for id in ids {
            let row = stmt.query_row([id], |r| Ok((r.get(0)?, crate::parse_date(r.get(1)?), r.get(2)?)));
            if let Some(row) = rusqlite::OptionalExtension::optional(row)? {
                out.push(row);
            }
        }
        Ok(out)
    }

    fn put_overlaps(&mut self, changes: &OverlapChanges) -> Result<()> {
        let mut dup =
            self.conn.prepare_cached("UPDATE articles SET duplicate_of = ?2 WHERE id = ?1 AND duplicate_of IS NULL")?;
        for (id, original) in &changes.duplicates {
            dup.execute([id, original])?;
        }
        let mut add = self.conn.prepare_cached(
            "INSERT INTO shared_passages (article_id, other_id, start, end)
             SELECT ?1, ?2, ?3, ?4 WHERE NOT EXISTS (SELECT 1 FROM shared_passages
                 WHERE article_id = ?1 AND other_id = ?2 AND start = ?3 AND end = ?4)",
        )?;
        for (id, other, start, end) in &changes.passages {
            add.execute(rusqlite::params![id, other, *start as i64, *end as i64])?;
        }
        Ok(())
    }
    fn reset_derived(&mut self) -> Result<()> {
        self.reset_derived_tables()
    }

    fn article_ids(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("SELECT id FROM articles ORDER BY seq")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    fn stored_ids(&self, ids: &[String]) -> Result<HashSet<String>> {
        let mut stmt = self.conn.prepare_cached("SELECT 1 FROM articles WHERE id = ?1")?;
        let mut found = HashSet::new();
        for id in ids {
            if stmt.exists([id])? {
                found.insert(id.clone());
            }
        }
        Ok(found)
    }

    fn articles_by_id(&self, ids: &[String]) -> Result<Vec<storyline_model::Article>> {
        let mut stmt =
            self.conn.prepare_cached(&format!("SELECT {} FROM articles WHERE id = ?1", crate::ARTICLE_COLUMNS))?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(a) = rusqlite::OptionalExtension::optional(stmt.query_row([id], crate::article_from_row))? {
                out.push(a);
            }
        }
        Ok(out)
    }

    fn mentions_of(&self, ids: &[String]) -> Result<Vec<Option<Vec<Mention>>>> {
        let mut done = self.conn.prepare_cached("SELECT 1 FROM mentions_done WHERE article_id = ?1")?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT start, end, text, type, role, role_country FROM mentions WHERE article_id = ?1 ORDER BY start",
        )?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if !done.exists([id])? {
                out.push(None);
                continue;
            }
            let rows = stmt.query_map([id], |r| {
                let kind: String = r.get(3)?;
                Ok(Mention {
                    start: r.get::<_, i64>(0)? as usize,
                    end: r.get::<_, i64>(1)? as usize,
                    text: r.get(2)?,
                    kind: storyline_model::EntityType::parse(&kind).unwrap_or(storyline_model::EntityType::Misc),
                    role: r.get(4)?,
                    role_country: r.get(5)?,
                })
            })?;
            out.push(Some(rows.collect::<std::result::Result<_, _>>()?));
        }
        Ok(out)
    }

    fn unindexed_articles(&self) -> Result<u64> {
        let articles: i64 = self.conn.query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0))?;
        let indexed: i64 = self
            .conn
            .query_row("SELECT CAST(value AS INTEGER) FROM store_facts WHERE key = 'feature_docs'", [], |r| r.get(0))
            .unwrap_or(0);
        Ok((articles - indexed).max(0) as u64)
    }

    fn set_fact(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO store_facts (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2",
            [key, value],
        )?;
        Ok(())
    }
}

/// The `store_facts` counters of fingerprints waiting in
/// `fingerprints_recent`, of those merged into `fingerprints_mid` or
/// `fingerprints` (what the filter covers), and of those in the middle tier.
const RECENT_FINGERPRINTS: &str = "fingerprints_recent";
const MERGED_FINGERPRINTS: &str = "fingerprints_merged";
const MID_FINGERPRINTS: &str = "fingerprints_mid";
/// Bounds on the recent fingerprints that start a merge: about 2,500
/// and 20,000 articles' worth (some 100 fingerprints each).
const MERGE_AT_LEAST: i64 = 1 << 18;
const MERGE_AT_MOST: i64 = 1 << 21;

/// The `store_facts` counters of story postings written to
/// `story_terms_pending` (an upper bound: a posting updated counts again)
/// and of those merged into `story_terms`.
const PENDING_TERMS: &str = "story_terms_pending";
const MERGED_TERMS: &str = "story_terms_merged";
/// The counter of postings in the middle tier `story_terms_mid` (also
/// counted in [`MERGED_TERMS`]).
const MID_TERMS: &str = "story_terms_mid";
/// Bounds on the pending postings that start a merge: about 8 and 130
/// batches of 256 articles (some 30 postings each).
const TERMS_MERGE_AT_LEAST: i64 = 1 << 16;
const TERMS_MERGE_AT_MOST: i64 = 1 << 20;

/// The derived tables a full recluster empties (see [`PipelineStore::reset_derived`]).
const DERIVED: &str = "
    DELETE FROM entities; DELETE FROM entity_keys; UPDATE mentions SET entity_id = NULL WHERE entity_id IS NOT NULL;
    DELETE FROM entity_mention_counts;
    DELETE FROM stories; DELETE FROM story_summaries; DELETE FROM story_terms; DELETE FROM story_terms_mid;
    DELETE FROM story_terms_pending;
    UPDATE articles SET story = NULL WHERE story IS NOT NULL;
    DELETE FROM article_features; DELETE FROM feature_df; DELETE FROM fingerprints; DELETE FROM fingerprints_mid; DELETE FROM fingerprints_recent;
    DELETE FROM fingerprint_filter;
    DELETE FROM shared_passages; UPDATE articles SET duplicate_of = NULL WHERE duplicate_of IS NOT NULL;
    UPDATE articles SET published = NULL, published_source = NULL, published_min = NULL, published_max = NULL,
        date_from_story = 0 WHERE date_from_story = 1;";

impl crate::Store {
    /// Whether the fingerprint filter (in `fingerprint_filter`) serves a batch of `probes` fingerprints: read
    /// (or first built) when the cold index pages it saves would outweigh
    /// reading it: about one page of 4 KB a probe, against its size. None
    /// when the merged index is empty or the batch too small to pay for it.
    fn fingerprint_filter_for(&mut self, probes: usize) -> Result<bool> {
        let merged = self.counter_or_count(MERGED_FINGERPRINTS, "fingerprints")?.max(0) as u64;
        if merged == 0 {
            return Ok(false);
        }
        if self.current_fingerprint_filter()?.is_some() {
            return Ok(true);
        }
        let worth = |bytes: usize| probes.saturating_mul(4096 * 4) >= bytes;
        match crate::filter::stored_version(&self.conn)? {
            Some((bits, _)) => {
                if !worth(bits.div_ceil(8) as usize) {
                    return Ok(false);
                }
                self.fingerprint_filter = FingerprintFilter::load(&self.conn)?;
            }
            None => {
                if !worth(FingerprintFilter::sized_for(merged).bytes()) {
                    return Ok(false);
                }
                self.fingerprint_filter = Some(self.build_fingerprint_filter(merged)?);
            }
        }
        Ok(self.fingerprint_filter.is_some())
    }

    /// The filter in memory if it is the stored one (another process may
    /// have merged fingerprints and written a new one since it was read).
    fn current_fingerprint_filter(&self) -> Result<Option<&FingerprintFilter>> {
        let Some(filter) = &self.fingerprint_filter else { return Ok(None) };
        Ok(match crate::filter::stored_version(&self.conn)? {
            Some((_, epoch)) if epoch == filter.epoch => Some(filter),
            _ => None,
        })
    }

    /// Reads every merged fingerprint (main index and middle tier) into a
    /// new filter and stores it.
    fn build_fingerprint_filter(&mut self, rows: u64) -> Result<FingerprintFilter> {
        let mut filter = FingerprintFilter::sized_for(rows);
        filter.add_and_save(&self.conn, &["fingerprints", "fingerprints_mid"])?;
        Ok(filter)
    }

    /// Keeps a stored filter whole after the recent fingerprints were
    /// merged (`merged` rows now): they are added, or the filter is made
    /// again, larger, when it has filled. A store without one is left so.
    fn add_to_filter(&mut self, merged: i64) -> Result<()> {
        if crate::filter::stored_version(&self.conn)?.is_none() {
            return Ok(());
        }
        let current = self.current_fingerprint_filter()?.is_some();
        if !current {
            self.fingerprint_filter = FingerprintFilter::load(&self.conn)?;
        }
        let merged = merged.max(0) as u64;
        match self.fingerprint_filter.take() {
            Some(mut filter) if filter.holds(merged) => {
                filter.add_and_save(&self.conn, &["fingerprints_recent"])?;
                self.fingerprint_filter = Some(filter);
            }
            _ => self.fingerprint_filter = Some(self.build_fingerprint_filter(merged)?),
        }
        Ok(())
    }

    /// The ids of stories merged away (and not made again): their postings
    /// are left in the index and skipped. Read again after this connection
    /// writes stories (the story batch counter moves) or another commits
    /// anything (SQLite's data version moves).
    fn merged_away_stories(&self) -> Result<std::sync::Arc<HashSet<String>>> {
        let batch: i64 = rusqlite::OptionalExtension::optional(self.conn.query_row(
            "SELECT CAST(value AS INTEGER) FROM store_facts WHERE key = 'story_batch'",
            [],
            |r| r.get(0),
        ))?
        .unwrap_or(0);
        let version: i64 = self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        let at = (version, batch);
        let mut kept = self.merged_away.borrow_mut();
        if let Some((kept_at, ids)) = kept.as_ref() {
            if *kept_at == at {
                return Ok(ids.clone());
            }
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT old FROM story_redirects r WHERE NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = r.old)",
        )?;
        let ids: HashSet<String> = stmt.query_map([], |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
        let ids = std::sync::Arc::new(ids);
        *kept = Some((at, ids.clone()));
        Ok(ids)
    }

    fn reset_derived_tables(&mut self) -> Result<()> {
        self.conn.execute_batch(DERIVED)?;
        self.conn.execute(
            "DELETE FROM store_facts WHERE key IN ('feature_docs', 'story_batch', ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            [
                RECENT_FINGERPRINTS,
                MERGED_FINGERPRINTS,
                MID_FINGERPRINTS,
                PENDING_TERMS,
                MERGED_TERMS,
                MID_TERMS,
                crate::filter::SIZE_KEY,
            ],
        )?;
        // The epoch stays, so a copy of the old filter is never taken for a new one.
        self.fingerprint_filter = None;
        self.merged_away.take();
        Ok(())
    }

    /// How many waiting rows start a merge into a main table (`table`,
    /// whose size the counter `merged` keeps): an eighth of it, between
    /// `at_least` and `at_most`. Inserted in key order, they touch each
    /// page of the main index at most once per merge instead of once per
    /// row, and every row is rewritten a bounded number of times whatever
    /// the size of the store.
    fn merge_threshold(&mut self, merged: &str, table: &str, at_least: i64, at_most: i64) -> Result<i64> {
        Ok((self.counter_or_count(merged, table)? / 8).clamp(at_least, at_most))
    }

    /// A counter of `store_facts`; after a reset (the fact is gone with
    /// the tables) the rows of `table` are counted again.
    fn counter_or_count(&mut self, key: &str, table: &str) -> Result<i64> {
        let value: Option<i64> = rusqlite::OptionalExtension::optional(self.conn.query_row(
            "SELECT CAST(value AS INTEGER) FROM store_facts WHERE key = ?1",
            [key],
            |r| r.get(0),
        ))?;
        match value {
            Some(n) => Ok(n),
            None => {
                let n: i64 = self.conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))?;
                self.add_to_counter(key, n)
            }
        }
    }

    /// Moves the story postings waiting in `story_terms_pending` into the
    /// middle tier `story_terms_mid`, and the middle tier into `story_terms`
    /// once it holds an eighth of it, in key order (inside the caller's
    /// transaction): each merge rewrites the pages of the table it goes
    /// into once instead of once per posting, and the large table only once
    /// per eighth of its size added. A posting already there takes the
    /// newer batch, as an upsert into the large table did.
    pub(crate) fn merge_story_terms(&mut self, pending: i64) -> Result<()> {
        // Counted before the rows come in (a store of an older version has no counter yet).
        self.counter_or_count(MID_TERMS, "story_terms_mid")?;
        self.conn.execute_batch(
            "INSERT INTO story_terms_mid (feature, story, batch)
                 SELECT feature, story, batch FROM story_terms_pending WHERE true ORDER BY feature, story
                 ON CONFLICT(feature, story) DO UPDATE SET batch = MAX(batch, excluded.batch);
             DELETE FROM story_terms_pending;",
        )?;
        let merged = self.add_to_counter(MERGED_TERMS, pending)?;
        self.add_to_counter(PENDING_TERMS, -pending)?;
        self.grow_middle_tier(
            MID_TERMS,
            pending,
            merged,
            TERMS_MERGE_AT_LEAST,
            "INSERT INTO story_terms (feature, story, batch)
                 SELECT feature, story, batch FROM story_terms_mid WHERE true ORDER BY feature, story
                 ON CONFLICT(feature, story) DO UPDATE SET batch = MAX(batch, excluded.batch);
             DELETE FROM story_terms_mid;",
        )
    }

    /// Moves the `recent` fingerprints waiting in `fingerprints_recent`
    /// into the middle tier `fingerprints_mid`, and the middle tier into
    /// `fingerprints` once it holds an eighth of it (inside the caller's
    /// transaction). Each merge rewrites the pages of the table it goes
    /// into, so the large main index is rewritten once per eighth of its
    /// size added, however large the store, instead of once per 2^21 rows.
    pub(crate) fn merge_fingerprints(&mut self, recent: i64) -> Result<()> {
        // Counted before the rows come in (a store of an older version has no counter yet).
        self.counter_or_count(MID_FINGERPRINTS, "fingerprints_mid")?;
        self.conn.execute_batch(
            "INSERT OR IGNORE INTO fingerprints_mid (hash, seq) SELECT hash, seq FROM fingerprints_recent ORDER BY hash, seq;",
        )?;
        let merged = self.add_to_counter(MERGED_FINGERPRINTS, recent)?;
        self.add_to_filter(merged)?;
        self.conn.execute_batch("DELETE FROM fingerprints_recent;")?;
        self.add_to_counter(RECENT_FINGERPRINTS, -recent)?;
        self.grow_middle_tier(
            MID_FINGERPRINTS,
            recent,
            merged,
            MERGE_AT_LEAST,
            "INSERT OR IGNORE INTO fingerprints (hash, seq) SELECT hash, seq FROM fingerprints_mid ORDER BY hash, seq;
             DELETE FROM fingerprints_mid;",
        )
    }

    /// Counts `added` rows into a middle tier (counter `mid_key`) and, once
    /// it holds an eighth of the main table (`merged` counts both, and at
    /// least `at_least`), moves it there whole with `move_whole`.
    fn grow_middle_tier(
        &mut self,
        mid_key: &str,
        added: i64,
        merged: i64,
        at_least: i64,
        move_whole: &str,
    ) -> Result<()> {
        let mid = self.add_to_counter(mid_key, added)?;
        if mid >= ((merged - mid) / 8).max(at_least) {
            self.conn.execute_batch(move_whole)?;
            self.add_to_counter(mid_key, -mid)?;
        }
        Ok(())
    }

    /// Adds to a counter kept in `store_facts`; returns its new value.
    fn add_to_counter(&self, key: &str, delta: i64) -> Result<i64> {
        let mut add = self.conn.prepare_cached(
            "INSERT INTO store_facts (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + ?2",
        )?;
        add.execute(rusqlite::params![key, delta])?;
        Ok(self.conn.query_row("SELECT CAST(value AS INTEGER) FROM store_facts WHERE key = ?1", [key], |r| r.get(0))?)
    }
}

/// `store_facts` keys: every article up to this `seq` is in `quotes_done`
/// (`events_done`). Every batch marks its articles in the transaction that
/// stores them, so once a backfill finds none missing, only later articles
/// need looking at: the check costs what was added since, not the store.
pub(crate) const QUOTES_DONE_THROUGH: &str = "quotes_done_through";
const EVENTS_DONE_THROUGH: &str = "events_done_through";

impl crate::Store {
    /// Articles (in `seq` order, at most `limit`) missing from the marks of
    /// `done` (a `*_done` table), looked for after the watermark `key`; when
    /// none is missing, the watermark moves to the last article.
    fn articles_not_in(&self, done: &str, key: &str, limit: usize) -> Result<Vec<String>> {
        let through: i64 = rusqlite::OptionalExtension::optional(self.conn.query_row(
            "SELECT CAST(value AS INTEGER) FROM store_facts WHERE key = ?1",
            [key],
            |r| r.get(0),
        ))?
        .unwrap_or(0);
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT id FROM articles WHERE seq > ?1 AND id NOT IN (SELECT article_id FROM {done}) ORDER BY seq LIMIT {limit}"
        ))?;
        let ids: Vec<String> =
            stmt.query_map([through], |r| r.get::<_, String>(0))?.collect::<std::result::Result<_, _>>()?;
        if ids.is_empty() {
            let last: i64 = self.conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM articles", [], |r| r.get(0))?;
            if last > through {
                self.conn.execute(
                    "INSERT INTO store_facts (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2",
                    rusqlite::params![key, last.to_string()],
                )?;
            }
        }
        Ok(ids)
    }
}
