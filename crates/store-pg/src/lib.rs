//! The storyline store on PostgreSQL, for a team that shares one store and
//! feeds it from many worker processes.
//!
//! It implements the same seam as the SQLite file
//! ([`storyline_store::PipelineStore`]), with the same rules: an article's
//! id is the hash of its normalised body, a batch is one transaction, ids
//! are stable. What changes is who writes: workers store articles and what
//! is read from each of them in transactions of their own, side by side
//! ([`PipelineStore::begin_articles`]); linking and story assignment, which
//! need a consistent view, run in one process at a time, chosen by a
//! transaction-level advisory lock ([`PipelineStore::try_begin_index`]), over
//! the articles waiting in `index_pending`.
//!
//! Every statement that touches many rows sends them as arrays (`unnest`,
//! `= ANY`), so a batch costs a few round trips per table, not one per row.

mod read;
mod schema;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use postgres::{Client, NoTls, Row, Statement};
use storyline_model::{Article, Entity, EntityType, Mention, PublishedSource, Quote};
use storyline_store::{
    article_id, pack_vector, parse_date, unpack_vector, ArticleEvents, FeatureDoc, Inserted, MentionLink, NewArticle,
    OverlapChanges, PipelineStore, Result, StoreError, StoreStats, StoryChanges, StorySummary,
};

/// The advisory lock key of the indexing transaction ("STLN" and 1).
const INDEX_LOCK: i64 = 0x5354_4c4e_0001;
/// The advisory lock key of migrations, so processes starting together
/// migrate once.
const MIGRATE_LOCK: i64 = 0x5354_4c4e_0002;

/// True when `db` names a PostgreSQL database rather than a file.
pub fn is_postgres_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// The URL with its password hidden, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let user_info = &url[scheme + 3..at];
            match user_info.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

fn backend(err: postgres::Error) -> StoreError {
    match err.as_db_error() {
        Some(db) => StoreError::Backend(format!("PostgreSQL {}: {}", db.code().code(), db.message())),
        None => StoreError::Backend(format!("PostgreSQL: {err}")),
    }
}

fn encode<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Encode(e.to_string()))
}

/// A storyline store in a PostgreSQL database.
pub struct PgStore {
    client: RefCell<Client>,
    statements: RefCell<HashMap<&'static str, Statement>>,
}

impl PgStore {
    /// Connects to `url` (`postgres://user:password@host/db`) and applies
    /// pending migrations; refuses a database that holds other tables and
    /// no storyline schema, or a schema newer than this build.
    pub fn connect(url: &str) -> Result<PgStore> {
        let client = Client::connect(url, NoTls)
            .map_err(|e| StoreError::Backend(format!("cannot connect to {}: {e}", redact(url))))?;
        let store = PgStore { client: RefCell::new(client), statements: RefCell::new(HashMap::new()) };
        store.migrate(url)?;
        Ok(store)
    }

    fn migrate(&self, url: &str) -> Result<()> {
        let mut c = self.client.borrow_mut();
        c.execute("SELECT pg_advisory_lock($1)", &[&MIGRATE_LOCK]).map_err(backend)?;
        let result = (|| -> Result<()> {
            let has_schema: bool =
                c.query_one("SELECT to_regclass('storyline_schema') IS NOT NULL", &[]).map_err(backend)?.get(0);
            if !has_schema {
                let tables: i64 = c
                    .query_one(
                        "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()",
                        &[],
                    )
                    .map_err(backend)?
                    .get(0);
                if tables > 0 {
                    return Err(StoreError::Foreign(redact(url)));
                }
                c.batch_execute(
                    "CREATE TABLE storyline_schema (version BIGINT NOT NULL); INSERT INTO storyline_schema VALUES (0);",
                )
                .map_err(backend)?;
            }
            let version: i64 = c.query_one("SELECT version FROM storyline_schema", &[]).map_err(backend)?.get(0);
            let latest = schema::MIGRATIONS.len() as i64;
            if version > latest {
                return Err(StoreError::TooNew { path: redact(url), found: version, supported: latest });
            }
            for (index, sql) in schema::MIGRATIONS.iter().enumerate().skip(version as usize) {
                let mut tx = c.transaction().map_err(backend)?;
                tx.batch_execute(sql).map_err(backend)?;
                tx.execute("UPDATE storyline_schema SET version = $1", &[&(index as i64 + 1)]).map_err(backend)?;
                tx.commit().map_err(backend)?;
            }
            Ok(())
        })();
        c.execute("SELECT pg_advisory_unlock($1)", &[&MIGRATE_LOCK]).map_err(backend)?;
        result
    }

    /// A prepared statement, prepared once per connection.
    fn prepared(&self, sql: &'static str) -> Result<Statement> {
        if let Some(s) = self.statements.borrow().get(sql) {
            return Ok(s.clone());
        }
        let s = self.client.borrow_mut().prepare(sql).map_err(backend)?;
        self.statements.borrow_mut().insert(sql, s.clone());
        Ok(s)
    }

    pub(crate) fn query(&self, sql: &'static str, params: &[&(dyn postgres::types::ToSql + Sync)]) -> Result<Vec<Row>> {
        let s = self.prepared(sql)?;
        self.client.borrow_mut().query(&s, params).map_err(backend)
    }

    fn execute(&self, sql: &'static str, params: &[&(dyn postgres::types::ToSql + Sync)]) -> Result<u64> {
        let s = self.prepared(sql)?;
        self.client.borrow_mut().execute(&s, params).map_err(backend)
    }

    fn batch(&self, sql: &str) -> Result<()> {
        self.client.borrow_mut().batch_execute(sql).map_err(backend)
    }

    /// The schema version of the database.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.query("SELECT version FROM storyline_schema", &[])?[0].get(0))
    }

    /// Articles the query `sql` finds missing from a `*_done` table after
    /// the watermark `key` (a `store_facts` entry: every article up to that
    /// `seq` is marked, since each batch marks its articles in the
    /// transaction that stores them); when none is, the watermark moves to
    /// the last article, so the check costs what was added since.
    fn articles_not_done(&self, sql: &'static str, key: &'static str, limit: usize) -> Result<Vec<String>> {
        let through: i64 = self.fact(key)?.and_then(|v| v.parse().ok()).unwrap_or(0);
        let ids: Vec<String> = self.query(sql, &[&through, &(limit as i64)])?.iter().map(|r| r.get(0)).collect();
        if ids.is_empty() {
            self.execute(
                "INSERT INTO store_facts (key, value) SELECT $1, COALESCE(MAX(seq), 0)::text FROM articles
                 ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                &[&key],
            )?;
        }
        Ok(ids)
    }

    /// Adds to a counter kept in `store_facts`; returns its new value.
    fn add_to_counter(&self, key: &str, delta: i64) -> Result<i64> {
        let rows = self.query(
            "INSERT INTO store_facts (key, value) VALUES ($1, $2::bigint::text)
             ON CONFLICT (key) DO UPDATE SET value = (store_facts.value::bigint + $2)::text
             RETURNING value::bigint",
            &[&key, &delta],
        )?;
        Ok(rows[0].get(0))
    }

    /// A fact about the store.
    pub fn fact(&self, key: &str) -> Result<Option<String>> {
        Ok(self.query("SELECT value FROM store_facts WHERE key = $1", &[&key])?.first().map(|r| r.get(0)))
    }

    /// Counts for `storyline stats`.
    pub fn stats(&self) -> Result<StoreStats> {
        let count = |sql: &'static str| -> Result<u64> { Ok(self.query(sql, &[])?[0].get::<_, i64>(0) as u64) };
        Ok(StoreStats {
            articles: count("SELECT count(*) FROM articles")?,
            sources: count("SELECT count(*) FROM article_sources")?,
            stories: count("SELECT count(*) FROM stories")?,
            merged_stories: count("SELECT count(*) FROM story_redirects")?,
            entities: count("SELECT count(*) FROM entities")?,
            mentions: count("SELECT count(*) FROM mentions")?,
            near_duplicates: count("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL")?,
            bytes: count("SELECT pg_database_size(current_database())")?,
            schema_version: self.schema_version()?,
            last_recluster: self.fact("last_recluster")?,
        })
    }

    /// Articles waiting for linking and story assignment.
    pub fn pending_count(&self) -> Result<u64> {
        Ok(self.query("SELECT count(*) FROM index_pending", &[])?[0].get::<_, i64>(0) as u64)
    }

    /// Records that a worker is alive and what it has done since it started.
    pub fn heartbeat(&self, worker: &str, host: &str, documents: u64, failures: u64, indexed: u64) -> Result<()> {
        self.execute(
            "INSERT INTO workers (id, host, documents, failures, indexed) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (id) DO UPDATE SET last_seen = now(), documents = $3, failures = $4, indexed = $5",
            &[&worker, &host, &(documents as i64), &(failures as i64), &(indexed as i64)],
        )?;
        Ok(())
    }

    /// Records documents a worker could not read (source, reason).
    pub fn record_failures(&self, worker: &str, failures: &[(String, String)]) -> Result<()> {
        let (sources, reasons): (Vec<&str>, Vec<&str>) = failures.iter().map(|(s, r)| (s.as_str(), r.as_str())).unzip();
        self.execute(
            "INSERT INTO ingest_failures (source, reason, worker) SELECT s, r, $3 FROM unnest($1::text[], $2::text[]) u(s, r)",
            &[&sources, &reasons, &worker],
        )?;
        Ok(())
    }

    /// Workers seen: (id, host, seconds since last seen, documents, failures, articles indexed).
    pub fn workers(&self) -> Result<Vec<WorkerRow>> {
        let rows = self.query(
            "SELECT id, host, EXTRACT(EPOCH FROM now() - last_seen)::float8,
                    EXTRACT(EPOCH FROM last_seen - started_at)::float8, documents, failures, indexed
             FROM workers ORDER BY id",
            &[],
        )?;
        Ok(rows
            .iter()
            .map(|r| WorkerRow {
                id: r.get(0),
                host: r.get(1),
                idle_seconds: r.get(2),
                running_seconds: r.get(3),
                documents: r.get::<_, i64>(4) as u64,
                failures: r.get::<_, i64>(5) as u64,
                indexed: r.get::<_, i64>(6) as u64,
            })
            .collect())
    }

    /// Failures by reason (the reason's first words, so per-document details
    /// group), most frequent first.
    pub fn failures_by_reason(&self, limit: i64) -> Result<Vec<(String, u64)>> {
        let rows = self.query(
            "SELECT split_part(reason, ':', 1) AS kind, count(*) FROM ingest_failures
             GROUP BY kind ORDER BY count(*) DESC, kind LIMIT $1",
            &[&limit],
        )?;
        Ok(rows.iter().map(|r| (r.get(0), r.get::<_, i64>(1) as u64)).collect())
    }

    /// Articles stored in the last `seconds` seconds.
    pub fn stored_since(&self, seconds: f64) -> Result<u64> {
        let since = (chrono::Utc::now() - chrono::Duration::milliseconds((seconds * 1000.0) as i64)).to_rfc3339();
        Ok(self.query("SELECT count(*) FROM articles WHERE ingested_at >= $1", &[&since])?[0].get::<_, i64>(0) as u64)
    }

    /// Article ids matching a full-text query (French, English and plain
    /// configurations), best first.
    pub fn search(&self, query: &str, limit: i64) -> Result<Vec<String>> {
        let rows = self.query(
            "WITH q AS (SELECT websearch_to_tsquery('french', $1) || websearch_to_tsquery('english', $1)
                          || websearch_to_tsquery('simple', $1) AS q)
             SELECT id FROM articles, q WHERE tsv @@ q.q ORDER BY ts_rank(tsv, q.q) DESC, id LIMIT $2",
            &[&query, &limit],
        )?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    /// (producer id, story) of every article, in id order.
    pub fn story_assignments(&self) -> Result<Vec<(Option<String>, Option<String>)>> {
        let rows = self.query("SELECT external_id, story FROM articles ORDER BY id", &[])?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    /// A canonical snapshot of what the pipeline stored, for comparing two
    /// stores: article ids with their sources' count, mention count, the
    /// entities (id, name) and the story partition (sorted member lists).
    pub fn snapshot(&self) -> Result<Snapshot> {
        let articles =
            self.query("SELECT id FROM articles ORDER BY id", &[])?.iter().map(|r| r.get::<_, String>(0)).collect();
        let mentions = self.query("SELECT count(*) FROM mentions", &[])?[0].get::<_, i64>(0) as u64;
        let entities = self
            .query("SELECT id, name FROM entities ORDER BY id", &[])?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        let mut stories: Vec<Vec<String>> = self
            .query("SELECT array_agg(id ORDER BY id) FROM articles WHERE story IS NOT NULL GROUP BY story", &[])?
            .iter()
            .map(|r| r.get(0))
            .collect();
        stories.sort();
        Ok(Snapshot { articles, mentions, entities, stories })
    }
}

/// What `storyline status` prints of one worker.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerRow {
    /// Worker id (host and process).
    pub id: String,
    /// Host name.
    pub host: String,
    /// Seconds since its last heartbeat.
    pub idle_seconds: f64,
    /// Seconds it has been running (at its last heartbeat).
    pub running_seconds: f64,
    /// Documents it has read.
    pub documents: u64,
    /// Documents it could not read.
    pub failures: u64,
    /// Articles it linked and assigned to stories while it held the lock.
    pub indexed: u64,
}

/// A store's content in canonical order (see [`PgStore::snapshot`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// Article ids, sorted.
    pub articles: Vec<String>,
    /// Number of mentions.
    pub mentions: u64,
    /// (id, name) of entities, sorted by id.
    pub entities: Vec<(String, String)>,
    /// Story member lists, each sorted, sorted.
    pub stories: Vec<Vec<String>>,
}

/// An article from a row of `articles_by_id`'s columns.
pub(crate) fn article_from_row(r: &Row) -> Article {
    let (min, max): (Option<String>, Option<String>) = (r.get(7), r.get(8));
    let has_range = min.is_some() || max.is_some();
    Article {
        id: r.get(0),
        source: r.get(1),
        external_id: r.get(2),
        title: r.get(3),
        lang: r.get(4),
        published: parse_date(r.get(5)),
        published_source: r.get::<_, Option<String>>(6).as_deref().and_then(PublishedSource::parse),
        published_range: has_range.then(|| [parse_date(min), parse_date(max)]),
        author: r.get(9),
        site_name: r.get(10),
        url: r.get(11),
        text: r.get(12),
        story: r.get(13),
        duplicate_of: r.get(14),
    }
}

pub(crate) fn entity_from_row(r: &Row) -> Entity {
    let kind: String = r.get(2);
    let (aliases, roles): (String, String) = (r.get(3), r.get(4));
    Entity {
        id: r.get(0),
        name: r.get(1),
        kind: EntityType::parse(&kind).unwrap_or(EntityType::Misc),
        aliases: serde_json::from_str(&aliases).unwrap_or_default(),
        roles: serde_json::from_str(&roles).unwrap_or_default(),
    }
}

fn date_text(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// Keeps the last item of each key, in first-seen order (what SQLite's
/// `INSERT OR REPLACE` row by row leaves; PostgreSQL refuses a statement
/// that touches one row twice).
fn last_per_key<T, K: std::hash::Hash + Eq>(items: Vec<T>, key: impl Fn(&T) -> K) -> Vec<T> {
    let mut slot: HashMap<K, usize> = HashMap::new();
    let mut out: Vec<Option<T>> = Vec::with_capacity(items.len());
    for item in items {
        match slot.get(&key(&item)) {
            Some(&i) => out[i] = Some(item),
            None => {
                slot.insert(key(&item), out.len());
                out.push(Some(item));
            }
        }
    }
    out.into_iter().flatten().collect()
}

impl PipelineStore for PgStore {
    fn begin(&mut self) -> Result<()> {
        self.batch("BEGIN")?;
        // A whole batch (the CLI's ingest, recluster) indexes too: it waits
        // for any worker that is indexing.
        self.execute("SELECT pg_advisory_xact_lock($1)", &[&INDEX_LOCK])?;
        Ok(())
    }

    fn begin_articles(&mut self) -> Result<()> {
        self.batch("BEGIN")
    }

    fn try_begin_index(&mut self) -> Result<bool> {
        self.batch("BEGIN")?;
        let got: bool = self.query("SELECT pg_try_advisory_xact_lock($1)", &[&INDEX_LOCK])?[0].get(0);
        if !got {
            self.batch("ROLLBACK")?;
        }
        Ok(got)
    }

    fn commit(&mut self) -> Result<()> {
        self.batch("COMMIT")
    }

    fn rollback(&mut self) -> Result<()> {
        if !self.client.borrow().is_closed() {
            self.batch("ROLLBACK")?;
        }
        Ok(())
    }

    fn put_articles(&mut self, batch: &[NewArticle]) -> Result<Vec<Inserted>> {
        // Rows go in id order, so two workers storing the same articles
        // wait for each other instead of deadlocking, but their insertion
        // order (`seq`, which the reads follow) is the batch's, as in SQLite;
        // among equal ids the first of the batch is the one stored.
        let ids: Vec<String> = batch.iter().map(|a| article_id(&a.extraction.text)).collect();
        let mut first: HashMap<&str, usize> = HashMap::new();
        for (i, id) in ids.iter().enumerate() {
            first.entry(id.as_str()).or_insert(i);
        }
        let mut rows: Vec<usize> = first.values().copied().collect();
        rows.sort_unstable();
        let numbers: Vec<i64> = self
            .query(
                "SELECT nextval(pg_get_serial_sequence('articles', 'seq')) FROM generate_series(1::bigint, $1::bigint)",
                &[&(rows.len() as i64)],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let seq_of: HashMap<usize, i64> = rows.iter().copied().zip(numbers).collect();
        rows.sort_by(|&a, &b| ids[a].cmp(&ids[b]));
        let seq: Vec<i64> = rows.iter().map(|i| seq_of[i]).collect();
        let now = chrono::Utc::now().to_rfc3339();
        let column = |f: &dyn Fn(&NewArticle) -> Option<String>| -> Vec<Option<String>> {
            rows.iter().map(|&i| f(&batch[i])).collect()
        };
        let id: Vec<&str> = rows.iter().map(|&i| ids[i].as_str()).collect();
        let source = column(&|a| Some(a.source.clone()));
        let external = column(&|a| a.external_id.clone());
        let title = column(&|a| a.extraction.title.clone());
        let lang = column(&|a| a.extraction.lang.clone());
        let published = column(&|a| date_text(a.extraction.published));
        let published_source = column(&|a| a.extraction.published_source.map(|p| p.as_str().to_string()));
        let min = column(&|a| a.extraction.published_range.and_then(|r| r[0]).map(|d| d.to_string()));
        let max = column(&|a| a.extraction.published_range.and_then(|r| r[1]).map(|d| d.to_string()));
        let author = column(&|a| a.extraction.author.clone());
        let site = column(&|a| a.extraction.site_name.clone());
        let url = column(&|a| a.extraction.url.clone());
        let reported_day = column(&|a| a.extraction.reported_day.clone());
        let text: Vec<&str> = rows.iter().map(|&i| batch[i].extraction.text.as_str()).collect();
        let inserted: std::collections::HashSet<String> = self
            .query(
                "INSERT INTO articles (id, source, external_id, title, lang, published, published_source,
                     published_min, published_max, author, site_name, url, text, seq, reported_day, ingested_at)
                 SELECT u.*, $15 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                     $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[],
                     $14::bigint[], $16::text[]) u
                 ON CONFLICT (id) DO NOTHING RETURNING id",
                &[
                    &id,
                    &source,
                    &external,
                    &title,
                    &lang,
                    &published,
                    &published_source,
                    &min,
                    &max,
                    &author,
                    &site,
                    &url,
                    &text,
                    &seq,
                    &now,
                    &reported_day,
                ],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let mut sources: Vec<(&str, &str, Option<&str>)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (i, a) in batch.iter().enumerate() {
            if seen.insert((ids[i].as_str(), a.source.as_str())) {
                sources.push((ids[i].as_str(), a.source.as_str(), a.external_id.as_deref()));
            }
        }
        // By article, each article's sources in batch order (the first is its first).
        sources.sort_by(|a, b| a.0.cmp(b.0));
        let s_id: Vec<&str> = sources.iter().map(|s| s.0).collect();
        let s_source: Vec<&str> = sources.iter().map(|s| s.1).collect();
        let s_external: Vec<Option<&str>> = sources.iter().map(|s| s.2).collect();
        self.execute(
            "INSERT INTO article_sources (article_id, source, external_id)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (article_id, source) DO NOTHING",
            &[&s_id, &s_source, &s_external],
        )?;
        let mut fresh: Vec<&str> = inserted.iter().map(String::as_str).collect();
        fresh.sort_by_key(|id| seq_of[&first[id]]);
        self.execute(
            "INSERT INTO index_pending (article_id) SELECT * FROM unnest($1::text[]) ON CONFLICT DO NOTHING",
            &[&fresh],
        )?;
        Ok(ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                if first[id.as_str()] == i && inserted.contains(id) {
                    Inserted::New(id.clone())
                } else {
                    Inserted::Duplicate(id.clone())
                }
            })
            .collect())
    }

    fn put_mentions(&mut self, found: &[(String, Vec<Mention>)]) -> Result<()> {
        let rows: Vec<(&str, &Mention)> =
            found.iter().flat_map(|(id, ms)| ms.iter().map(move |m| (id.as_str(), m))).collect();
        let rows = last_per_key(rows, |(id, m)| (*id, m.start, m.end));
        let article: Vec<&str> = rows.iter().map(|r| r.0).collect();
        let start: Vec<i64> = rows.iter().map(|r| r.1.start as i64).collect();
        let end: Vec<i64> = rows.iter().map(|r| r.1.end as i64).collect();
        let text: Vec<&str> = rows.iter().map(|r| r.1.text.as_str()).collect();
        let kind: Vec<&str> = rows.iter().map(|r| r.1.kind.as_str()).collect();
        let role: Vec<Option<&str>> = rows.iter().map(|r| r.1.role.as_deref()).collect();
        let country: Vec<Option<&str>> = rows.iter().map(|r| r.1.role_country.as_deref()).collect();
        self.execute(
            r#"INSERT INTO mentions (article_id, start, "end", text, type, role, role_country)
               SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[])
               ON CONFLICT (article_id, start, "end") DO UPDATE SET text = EXCLUDED.text,
                   type = EXCLUDED.type, role = EXCLUDED.role, role_country = EXCLUDED.role_country, entity_id = NULL"#,
            &[&article, &start, &end, &text, &kind, &role, &country],
        )?;
        let done: Vec<&str> = found.iter().map(|(id, _)| id.as_str()).collect();
        self.execute(
            "INSERT INTO mentions_done (article_id) SELECT * FROM unnest($1::text[]) ON CONFLICT DO NOTHING",
            &[&done],
        )?;
        Ok(())
    }

    fn put_quotes(&mut self, found: &[(String, Vec<Quote>)]) -> Result<()> {
        let ids: Vec<&str> = found.iter().map(|(id, _)| id.as_str()).collect();
        self.execute("DELETE FROM quotes WHERE article_id = ANY($1)", &[&ids])?;
        let (mut article, mut seq, mut start, mut end, mut data) = (vec![], vec![], vec![], vec![], vec![]);
        for (id, quotes) in found {
            for (i, q) in quotes.iter().enumerate() {
                article.push(id.as_str());
                seq.push(i as i64);
                start.push(q.speaker_mention.map(|[a, _]| a as i64));
                end.push(q.speaker_mention.map(|[_, b]| b as i64));
                data.push(encode(q)?);
            }
        }
        self.execute(
            "INSERT INTO quotes (article_id, seq, speaker_start, speaker_end, data)
             SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[])",
            &[&article, &seq, &start, &end, &data],
        )?;
        self.execute(
            "INSERT INTO quotes_done (article_id) SELECT * FROM unnest($1::text[]) ON CONFLICT DO NOTHING",
            &[&ids],
        )?;
        Ok(())
    }

    fn articles_without_quotes(&self, limit: usize) -> Result<Vec<String>> {
        self.articles_not_done(
            "SELECT id FROM articles a WHERE a.seq > $1
               AND NOT EXISTS (SELECT 1 FROM quotes_done d WHERE d.article_id = a.id)
             ORDER BY seq LIMIT $2",
            "quotes_done_through",
            limit,
        )
    }

    fn put_events(&mut self, found: &[ArticleEvents]) -> Result<()> {
        let ids: Vec<&str> = found.iter().map(|f| f.article.as_str()).collect();
        self.execute("DELETE FROM events WHERE article_id = ANY($1)", &[&ids])?;
        self.execute("DELETE FROM figures WHERE article_id = ANY($1)", &[&ids])?;
        let (mut article, mut seq, mut kind, mut data) = (vec![], vec![], vec![], vec![]);
        let (mut ss, mut se, mut ts, mut te) = (vec![], vec![], vec![], vec![]);
        let (mut f_article, mut f_seq, mut f_quantity, mut f_value, mut f_data) =
            (vec![], vec![], vec![], vec![], vec![]);
        for f in found {
            for (i, e) in f.events.iter().enumerate() {
                article.push(f.article.as_str());
                seq.push(i as i64);
                kind.push(e.kind.as_str());
                ss.push(e.source.mention.map(|[a, _]| a as i64));
                se.push(e.source.mention.map(|[_, b]| b as i64));
                ts.push(e.target.mention.map(|[a, _]| a as i64));
                te.push(e.target.mention.map(|[_, b]| b as i64));
                data.push(encode(e)?);
            }
            for (i, fig) in f.figures.iter().enumerate() {
                f_article.push(f.article.as_str());
                f_seq.push(i as i64);
                f_quantity.push(fig.quantity.as_str());
                f_value.push(fig.value as i64);
                f_data.push(encode(fig)?);
            }
        }
        self.execute(
            "INSERT INTO events (article_id, seq, type, source_start, source_end, target_start, target_end, data)
             SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[],
                                  $7::bigint[], $8::text[])",
            &[&article, &seq, &kind, &ss, &se, &ts, &te, &data],
        )?;
        self.execute(
            "INSERT INTO figures (article_id, seq, quantity, value, data)
             SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[], $5::text[])",
            &[&f_article, &f_seq, &f_quantity, &f_value, &f_data],
        )?;
        self.execute(
            "INSERT INTO events_done (article_id) SELECT * FROM unnest($1::text[]) ON CONFLICT DO NOTHING",
            &[&ids],
        )?;
        Ok(())
    }

    fn articles_without_events(&self, limit: usize) -> Result<Vec<String>> {
        self.articles_not_done(
            "SELECT id FROM articles a WHERE a.seq > $1
               AND NOT EXISTS (SELECT 1 FROM events_done d WHERE d.article_id = a.id)
             ORDER BY seq LIMIT $2",
            "events_done_through",
            limit,
        )
    }

    fn entities_by_keys(&self, keys: &[String], per_key: usize) -> Result<Vec<Entity>> {
        let rows = self.query(
            "SELECT e.id, e.name, e.type, e.aliases, e.roles FROM entities e
             WHERE e.id IN (SELECT k.entity_id FROM unnest($1::text[]) u(key)
                            CROSS JOIN LATERAL (SELECT entity_id FROM entity_keys WHERE key = u.key LIMIT $2) k)
             ORDER BY e.id",
            &[&keys, &(per_key as i64)],
        )?;
        Ok(rows.iter().map(entity_from_row).collect())
    }

    fn put_entities(&mut self, entities: &[Entity], keys: &[(String, String)]) -> Result<()> {
        let entities = last_per_key(entities.iter().collect(), |e| e.id.clone());
        let id: Vec<&str> = entities.iter().map(|e| e.id.as_str()).collect();
        let name: Vec<&str> = entities.iter().map(|e| e.name.as_str()).collect();
        let kind: Vec<&str> = entities.iter().map(|e| e.kind.as_str()).collect();
        let aliases: Vec<String> = entities.iter().map(|e| encode(&e.aliases)).collect::<Result<_>>()?;
        let roles: Vec<String> = entities.iter().map(|e| encode(&e.roles)).collect::<Result<_>>()?;
        self.execute(
            "INSERT INTO entities (id, name, type, aliases, roles)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
             ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, type = EXCLUDED.type, aliases = EXCLUDED.aliases,
                 roles = EXCLUDED.roles",
            &[&id, &name, &kind, &aliases, &roles],
        )?;
        let (key, entity): (Vec<&str>, Vec<&str>) = keys.iter().map(|(k, e)| (k.as_str(), e.as_str())).unzip();
        self.execute(
            "INSERT INTO entity_keys (key, entity_id) SELECT * FROM unnest($1::text[], $2::text[])
             ON CONFLICT DO NOTHING",
            &[&key, &entity],
        )?;
        Ok(())
    }

    fn link_mentions(&mut self, assignment: &[MentionLink]) -> Result<()> {
        let rows = last_per_key(assignment.iter().collect(), |(a, s, e, _)| (a.clone(), *s, *e));
        let article: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
        let start: Vec<i64> = rows.iter().map(|r| r.1 as i64).collect();
        let end: Vec<i64> = rows.iter().map(|r| r.2 as i64).collect();
        let entity: Vec<&str> = rows.iter().map(|r| r.3.as_str()).collect();
        self.execute(
            r#"UPDATE mentions m SET entity_id = u.e
               FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[]) u(a, s, n, e)
               WHERE m.article_id = u.a AND m.start = u.s AND m."end" = u.n"#,
            &[&article, &start, &end, &entity],
        )?;
        Ok(())
    }

    fn put_features(&mut self, docs: &[FeatureDoc]) -> Result<u64> {
        let docs = last_per_key(docs.iter().collect(), |d| d.id.clone());
        let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        let dates: Vec<Option<String>> = docs.iter().map(|d| date_text(d.date)).collect();
        let vectors: Vec<Vec<u8>> = docs.iter().map(|d| pack_vector(&d.counts)).collect();
        let inserted: std::collections::HashSet<String> = self
            .query(
                "INSERT INTO article_features (article_id, date, features)
                 SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[])
                 ON CONFLICT (article_id) DO NOTHING RETURNING article_id",
                &[&ids, &dates, &vectors],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let mut df: HashMap<i64, i64> = HashMap::new();
        for d in docs.iter().filter(|d| inserted.contains(&d.id)) {
            for (h, _) in &d.counts {
                *df.entry(*h as i64).or_default() += 1;
            }
        }
        let mut df: Vec<(i64, i64)> = df.into_iter().collect();
        df.sort_unstable();
        let (feature, count): (Vec<i64>, Vec<i64>) = df.into_iter().unzip();
        self.execute(
            "INSERT INTO feature_df (feature, df) SELECT * FROM unnest($1::bigint[], $2::bigint[])
             ON CONFLICT (feature) DO UPDATE SET df = feature_df.df + EXCLUDED.df",
            &[&feature, &count],
        )?;
        Ok(self.add_to_counter("feature_docs", inserted.len() as i64)? as u64)
    }

    fn document_frequencies(&self, features: &[u64]) -> Result<HashMap<u64, u32>> {
        let list: Vec<i64> = features.iter().map(|&h| h as i64).collect();
        let mut out: HashMap<u64, u32> = features.iter().map(|&h| (h, 0)).collect();
        for r in self.query("SELECT feature, df FROM feature_df WHERE feature = ANY($1)", &[&list])? {
            out.insert(r.get::<_, i64>(0) as u64, r.get::<_, i64>(1) as u32);
        }
        Ok(out)
    }

    fn stories_by_feature(&self, features: &[u64], per_feature: usize) -> Result<Vec<Vec<String>>> {
        let list: Vec<i64> = features.iter().map(|&h| h as i64).collect();
        let rows = self.query(
            "SELECT u.i, t.story FROM unnest($1::bigint[]) WITH ORDINALITY u(f, i)
             CROSS JOIN LATERAL (SELECT story, batch FROM story_terms WHERE feature = u.f
                                 ORDER BY batch DESC, story DESC LIMIT $2) t
             ORDER BY u.i, t.batch DESC, t.story DESC",
            &[&list, &(per_feature as i64)],
        )?;
        let mut out = vec![Vec::new(); features.len()];
        for r in rows {
            out[r.get::<_, i64>(0) as usize - 1].push(r.get(1));
        }
        Ok(out)
    }

    fn story_summaries(&self, ids: &[String]) -> Result<Vec<StorySummary>> {
        let rows = self.query(
            r#"SELECT s.id, m.size, s.start, s."end", m.vector FROM stories s JOIN story_summaries m ON m.story = s.id
               WHERE s.id = ANY($1)"#,
            &[&ids],
        )?;
        let mut found: HashMap<String, StorySummary> = rows
            .iter()
            .map(|r| {
                let s = StorySummary {
                    id: r.get(0),
                    size: r.get::<_, i64>(1) as usize,
                    start: parse_date(r.get(2)),
                    end: parse_date(r.get(3)),
                    vector: unpack_vector(r.get::<_, &[u8]>(4)),
                };
                (s.id.clone(), s)
            })
            .collect();
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    fn story_members(&self, ids: &[String], per_story: usize) -> Result<Vec<FeatureDoc>> {
        let rows = self.query(
            // Lateral lookups all the way down: a plain join lets the planner
            // scan every article's features once per story.
            "SELECT m.id, m.date, m.title, m.features, m.story FROM unnest($1::text[]) WITH ORDINALITY u(s, i)
             CROSS JOIN LATERAL (SELECT a.id, f.date, a.title, f.features, a.story, a.seq FROM articles a
                                 CROSS JOIN LATERAL (SELECT date, features FROM article_features
                                                     WHERE article_id = a.id) f
                                 WHERE a.story = u.s ORDER BY a.seq DESC LIMIT $2) m
             ORDER BY u.i, m.seq DESC",
            &[&ids, &(per_story as i64)],
        )?;
        Ok(rows
            .iter()
            .map(|r| FeatureDoc {
                id: r.get(0),
                date: parse_date(r.get(1)),
                title: r.get(2),
                counts: unpack_vector(r.get::<_, &[u8]>(3)),
                story: r.get(4),
            })
            .collect())
    }

    fn put_story_changes(&mut self, changes: &StoryChanges) -> Result<()> {
        let batch = self.add_to_counter("story_batch", 1)?;
        // Each table gets one statement over arrays; where SQLite applies
        // the updates one after the other, the last one of a key wins here too.
        let updates = last_per_key(changes.updates.iter().collect(), |u| u.id.clone());
        let ids: Vec<&str> = updates.iter().map(|u| u.id.as_str()).collect();
        let titles: Vec<Option<&str>> = updates.iter().map(|u| u.title.as_deref()).collect();
        self.execute(
            "INSERT INTO stories (id, title) SELECT * FROM unnest($1::text[], $2::text[])
             ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title",
            &[&ids, &titles],
        )?;
        let members = last_per_key(
            changes.updates.iter().flat_map(|u| u.members.iter().map(move |m| (m.as_str(), u.id.as_str()))).collect(),
            |(m, _)| *m,
        );
        let (member, story): (Vec<&str>, Vec<&str>) = members.into_iter().unzip();
        self.execute(
            "UPDATE articles a SET story = u.s FROM unnest($1::text[], $2::text[]) u(m, s) WHERE a.id = u.m",
            &[&member, &story],
        )?;
        let sizes: Vec<i64> = updates.iter().map(|u| u.summary.size as i64).collect();
        let vectors: Vec<Vec<u8>> = updates.iter().map(|u| pack_vector(&u.summary.vector)).collect();
        self.execute(
            "INSERT INTO story_summaries (story, size, vector) SELECT * FROM unnest($1::text[], $2::bigint[], $3::bytea[])
             ON CONFLICT (story) DO UPDATE SET size = EXCLUDED.size, vector = EXCLUDED.vector",
            &[&ids, &sizes, &vectors],
        )?;
        let mut terms: Vec<(i64, &str)> =
            updates.iter().flat_map(|u| u.terms.iter().map(move |&t| (t as i64, u.id.as_str()))).collect();
        terms.sort_unstable();
        terms.dedup();
        let (feature, term_story): (Vec<i64>, Vec<&str>) = terms.into_iter().unzip();
        self.execute(
            "INSERT INTO story_terms (feature, story, batch) SELECT f, s, $3 FROM unnest($1::bigint[], $2::text[]) u(f, s)
             ON CONFLICT (feature, story) DO UPDATE SET batch = EXCLUDED.batch",
            &[&feature, &term_story, &batch],
        )?;
        for (old, new) in &changes.merged {
            self.execute("UPDATE articles SET story = $2 WHERE story = $1", &[old, new])?;
            self.execute("DELETE FROM stories WHERE id = $1", &[old])?;
            self.execute("DELETE FROM story_summaries WHERE story = $1", &[old])?;
            self.execute("DELETE FROM story_terms WHERE story = $1", &[old])?;
            self.execute("UPDATE story_redirects SET new = $2 WHERE new = $1", &[old, new])?;
            self.execute(
                "INSERT INTO story_redirects (old, new) VALUES ($1, $2) ON CONFLICT (old) DO UPDATE SET new = EXCLUDED.new",
                &[old, new],
            )?;
        }
        // Dates of the changed stories, and the dates their undated members borrow.
        self.execute(
            r#"UPDATE stories SET (start, "end") = (SELECT MIN(f.date), MAX(f.date) FROM articles a
                   CROSS JOIN LATERAL (SELECT date FROM article_features WHERE article_id = a.id) f
                   WHERE a.story = stories.id)
               WHERE id = ANY($1)"#,
            &[&ids],
        )?;
        self.execute(
            "UPDATE articles SET published = NULL, published_source = NULL, published_min = NULL,
                 published_max = NULL, date_from_story = false WHERE story = ANY($1) AND date_from_story",
            &[&ids],
        )?;
        self.execute(
            r#"UPDATE articles a SET published = s.start, published_source = 'estimated', published_min = s.start,
                   published_max = s."end", date_from_story = true
               FROM stories s WHERE s.id = ANY($1) AND a.story = s.id AND a.published IS NULL AND s.start IS NOT NULL"#,
            &[&ids],
        )?;
        // Never before the latest day the article itself reports (as in SQLite).
        self.execute(
            "WITH placed AS (
                 SELECT id, published::date AS start, (left(published, 4) || '-' || reported_day)::date AS day
                 FROM articles WHERE story = ANY($1) AND date_from_story AND reported_day IS NOT NULL),
             floors AS (
                 SELECT id, to_char(CASE WHEN day - start > 183 THEN day - interval '1 year'
                                         WHEN day - start < -183 THEN day + interval '1 year'
                                         ELSE day END, 'YYYY-MM-DD') AS day
                 FROM placed)
             UPDATE articles a SET published = f.day, published_min = f.day, published_max = GREATEST(a.published_max, f.day)
             FROM floors f WHERE a.id = f.id AND f.day > a.published",
            &[&ids],
        )?;
        Ok(())
    }

    fn put_fingerprints(&mut self, items: &[(String, Vec<u64>)]) -> Result<()> {
        for (id, hashes) in items {
            let mut list: Vec<i64> = hashes.iter().map(|&h| h as i64).collect();
            list.sort_unstable();
            list.dedup();
            // A fingerprint already carried by 64 articles is boilerplate,
            // not wire copy: it is not indexed again (as in SQLite). One
            // statement per article, so each sees the ones before it.
            self.execute(
                "INSERT INTO fingerprints (hash, seq) SELECT h, a.seq FROM unnest($1::bigint[]) h
                 JOIN articles a ON a.id = $2
                 WHERE (SELECT count(*) FROM (SELECT 1 FROM fingerprints f WHERE f.hash = h LIMIT 64) x) < 64
                 ON CONFLICT DO NOTHING",
                &[&list, id],
            )?;
        }
        Ok(())
    }

    fn articles_by_fingerprints(
        &self,
        hashes: &[u64],
        min_shared: usize,
        limit: usize,
    ) -> Result<Vec<(String, usize)>> {
        let list: Vec<i64> = hashes.iter().map(|&h| h as i64).collect();
        let rows = self.query(
            "SELECT a.id, c.n FROM (SELECT seq, count(*) AS n FROM fingerprints WHERE hash = ANY($1)
                                    GROUP BY seq HAVING count(*) >= $2) c
             CROSS JOIN LATERAL (SELECT id FROM articles WHERE seq = c.seq) a
             ORDER BY c.n DESC, a.id LIMIT $3",
            &[&list, &(min_shared as i64), &(limit as i64)],
        )?;
        Ok(rows.iter().map(|r| (r.get(0), r.get::<_, i64>(1) as usize)).collect())
    }

    fn texts(&self, ids: &[String]) -> Result<Vec<(String, Option<NaiveDate>, String)>> {
        let rows = self.query(
            "SELECT a.id, f.date, a.text FROM articles a
             LEFT JOIN LATERAL (SELECT date FROM article_features WHERE article_id = a.id) f ON true
             WHERE a.id = ANY($1)",
            &[&ids],
        )?;
        let mut found: HashMap<String, (String, Option<NaiveDate>, String)> = rows
            .iter()
            .map(|r| {
                let id: String = r.get(0);
                (id.clone(), (id, parse_date(r.get(1)), r.get(2)))
            })
            .collect();
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    fn put_overlaps(&mut self, changes: &OverlapChanges) -> Result<()> {
        for (id, original) in &changes.duplicates {
            self.execute(
                "UPDATE articles SET duplicate_of = $2 WHERE id = $1 AND duplicate_of IS NULL",
                &[id, original],
            )?;
        }
        let article: Vec<&str> = changes.passages.iter().map(|p| p.0.as_str()).collect();
        let other: Vec<&str> = changes.passages.iter().map(|p| p.1.as_str()).collect();
        let start: Vec<i64> = changes.passages.iter().map(|p| p.2 as i64).collect();
        let end: Vec<i64> = changes.passages.iter().map(|p| p.3 as i64).collect();
        self.execute(
            r#"INSERT INTO shared_passages (article_id, other_id, start, "end")
               SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) ON CONFLICT DO NOTHING"#,
            &[&article, &other, &start, &end],
        )?;
        Ok(())
    }

    fn reset_derived(&mut self) -> Result<()> {
        self.batch(
            "DELETE FROM entities; DELETE FROM entity_keys; UPDATE mentions SET entity_id = NULL WHERE entity_id IS NOT NULL;
             DELETE FROM stories; DELETE FROM story_summaries; DELETE FROM story_terms;
             UPDATE articles SET story = NULL WHERE story IS NOT NULL;
             DELETE FROM article_features; DELETE FROM feature_df; DELETE FROM fingerprints; DELETE FROM shared_passages;
             UPDATE articles SET duplicate_of = NULL WHERE duplicate_of IS NOT NULL;
             UPDATE articles SET published = NULL, published_source = NULL, published_min = NULL, published_max = NULL,
                 date_from_story = false WHERE date_from_story;
             DELETE FROM store_facts WHERE key IN ('feature_docs', 'story_batch');",
        )
    }

    fn article_ids(&self) -> Result<Vec<String>> {
        Ok(self.query("SELECT id FROM articles ORDER BY seq", &[])?.iter().map(|r| r.get(0)).collect())
    }

    fn stored_ids(&self, ids: &[String]) -> Result<HashSet<String>> {
        let rows = self.query("SELECT id FROM articles WHERE id = ANY($1)", &[&ids])?;
        Ok(rows.iter().map(|r| r.get::<_, String>(0)).collect())
    }

    fn articles_by_id(&self, ids: &[String]) -> Result<Vec<Article>> {
        let rows = self.query(
            "SELECT id, source, external_id, title, lang, published, published_source, published_min,
                 published_max, author, site_name, url, text, story, duplicate_of FROM articles WHERE id = ANY($1)",
            &[&ids],
        )?;
        let mut found: HashMap<String, Article> = rows
            .iter()
            .map(|r| {
                let a = article_from_row(r);
                (a.id.clone(), a)
            })
            .collect();
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    fn mentions_of(&self, ids: &[String]) -> Result<Vec<Option<Vec<Mention>>>> {
        let done: std::collections::HashSet<String> = self
            .query("SELECT article_id FROM mentions_done WHERE article_id = ANY($1)", &[&ids])?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let mut found: HashMap<String, Vec<Mention>> = HashMap::new();
        let rows = self.query(
            r#"SELECT article_id, start, "end", text, type, role, role_country FROM mentions
               WHERE article_id = ANY($1) ORDER BY article_id, start"#,
            &[&ids],
        )?;
        for r in rows {
            let kind: String = r.get(4);
            found.entry(r.get(0)).or_default().push(Mention {
                start: r.get::<_, i64>(1) as usize,
                end: r.get::<_, i64>(2) as usize,
                text: r.get(3),
                kind: EntityType::parse(&kind).unwrap_or(EntityType::Misc),
                role: r.get(5),
                role_country: r.get(6),
            });
        }
        Ok(ids.iter().map(|id| done.contains(id).then(|| found.remove(id).unwrap_or_default())).collect())
    }

    fn set_fact(&mut self, key: &str, value: &str) -> Result<()> {
        self.execute(
            "INSERT INTO store_facts (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            &[&key, &value],
        )?;
        Ok(())
    }

    fn unindexed_articles(&self) -> Result<u64> {
        // A PostgreSQL store never had a version without the indexes: the
        // articles waiting for them are in `index_pending`, which workers
        // (or the next ingest) work through.
        Ok(0)
    }

    fn pending_index(&self, limit: usize) -> Result<Vec<String>> {
        let rows = self.query("SELECT article_id FROM index_pending ORDER BY seq LIMIT $1", &[&(limit as i64)])?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    fn mark_indexed(&mut self, ids: &[String]) -> Result<()> {
        self.execute("DELETE FROM index_pending WHERE article_id = ANY($1)", &[&ids])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_urls_and_hides_passwords() {
        assert!(is_postgres_url("postgres://u:p@localhost/db"));
        assert!(is_postgres_url("postgresql://localhost/db"));
        assert!(!is_postgres_url("store.db"));
        assert_eq!(redact("postgres://u:secret@h:5432/db"), "postgres://u:***@h:5432/db");
        assert_eq!(redact("postgres://h/db"), "postgres://h/db");
    }

    #[test]
    fn keeps_the_last_item_of_a_key_in_first_seen_order() {
        let kept = last_per_key(vec![("a", 1), ("b", 2), ("a", 3)], |x| x.0);
        assert_eq!(kept, vec![("a", 3), ("b", 2)]);
    }
}
