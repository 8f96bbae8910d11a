//! Versioned schema migrations. Each entry moves the schema from version
//! `index` to `index + 1`; never edit a released entry, append a new one.

use rusqlite::Connection;

use crate::{Result, StoreError};

/// `PRAGMA application_id` of storyline stores ("STLN").
pub const APPLICATION_ID: i64 = 0x5354_4c4e;

/// The triggers that keep `entity_mention_counts` (migration 12), made
/// again when migration 14 rebuilds `mentions`.
macro_rules! mention_count_triggers {
    () => {
        "
     CREATE TRIGGER mentions_counted_on_insert AFTER INSERT ON mentions WHEN NEW.entity_id IS NOT NULL BEGIN
         INSERT INTO entity_mention_counts (entity_id, n) VALUES (NEW.entity_id, 1)
             ON CONFLICT (entity_id) DO UPDATE SET n = n + 1;
     END;
     CREATE TRIGGER mentions_counted_on_update AFTER UPDATE OF entity_id ON mentions
         WHEN OLD.entity_id IS NOT NEW.entity_id BEGIN
         UPDATE entity_mention_counts SET n = n - 1 WHERE entity_id = OLD.entity_id;
         INSERT INTO entity_mention_counts (entity_id, n) SELECT NEW.entity_id, 1 WHERE NEW.entity_id IS NOT NULL
             ON CONFLICT (entity_id) DO UPDATE SET n = n + 1;
     END;
     CREATE TRIGGER mentions_counted_on_delete AFTER DELETE ON mentions WHEN OLD.entity_id IS NOT NULL BEGIN
         UPDATE entity_mention_counts SET n = n - 1 WHERE entity_id = OLD.entity_id;
     END;"
    };
}

const MIGRATIONS: &[&str] = &[
    // 1: articles, their sources, full-text index, stories.
    "CREATE TABLE articles (
         seq INTEGER PRIMARY KEY AUTOINCREMENT,
         id TEXT NOT NULL UNIQUE,
         source TEXT NOT NULL,
         external_id TEXT,
         title TEXT,
         lang TEXT,
         published TEXT,
         published_source TEXT,
         published_min TEXT,
         published_max TEXT,
         author TEXT,
         site_name TEXT,
         url TEXT,
         text TEXT NOT NULL,
         story TEXT,
         duplicate_of TEXT,
         ingested_at TEXT NOT NULL
     );
     CREATE TABLE article_sources (
         article_id TEXT NOT NULL REFERENCES articles(id),
         source TEXT NOT NULL,
         external_id TEXT,
         PRIMARY KEY (article_id, source)
     );
     CREATE TABLE stories (
         id TEXT PRIMARY KEY,
         title TEXT,
         start TEXT,
         end TEXT
     );
     CREATE INDEX articles_story ON articles(story);
     CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='seq');
     CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
         INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
     END;
     CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
         INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
     END;
     CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
         INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
         INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
     END;",
    // 2: publication dates borrowed from the article's story (re-clustering
    // starts from each article's own evidence, so they must be told apart).
    "ALTER TABLE articles ADD COLUMN date_from_story INTEGER NOT NULL DEFAULT 0;",
    // 3: passages an article shares with another (wire copy evidence).
    "CREATE TABLE shared_passages (
         article_id TEXT NOT NULL REFERENCES articles(id),
         other_id TEXT NOT NULL REFERENCES articles(id),
         start INTEGER NOT NULL,
         end INTEGER NOT NULL
     );
     CREATE INDEX shared_passages_article ON shared_passages(article_id);",
    // 4: entity mentions (found once per article, at its first rebuild) and
    // canonical entities (re-linked over the whole store at each rebuild).
    "CREATE TABLE mentions (
         article_id TEXT NOT NULL REFERENCES articles(id),
         start INTEGER NOT NULL,
         end INTEGER NOT NULL,
         text TEXT NOT NULL,
         type TEXT NOT NULL,
         role TEXT,
         role_country TEXT,
         entity_id TEXT,
         PRIMARY KEY (article_id, start)
     );
     CREATE INDEX mentions_entity ON mentions(entity_id);
     CREATE TABLE mentions_done (article_id TEXT PRIMARY KEY REFERENCES articles(id));
     CREATE TABLE entities (
         id TEXT PRIMARY KEY,
         name TEXT NOT NULL,
         type TEXT NOT NULL,
         aliases TEXT NOT NULL,
         roles TEXT NOT NULL
     );",
    // 5: indexes for incremental ingest. Each article's hashed feature
    // counts and own date (stories are re-scored from them, never from the
    // text), document frequencies, the stories' summary vectors and the
    // features that find them, winnowed shingle fingerprints (near-duplicate
    // candidates), the keys that find an entity, story ids merged away, and
    // the store's own facts (when it was last reclustered).
    "CREATE TABLE article_features (
         article_id TEXT PRIMARY KEY REFERENCES articles(id),
         date TEXT,
         features BLOB NOT NULL
     );
     CREATE TABLE feature_df (feature INTEGER PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
     CREATE TABLE story_summaries (
         story TEXT PRIMARY KEY,
         size INTEGER NOT NULL,
         vector BLOB NOT NULL
     );
     CREATE TABLE story_terms (
         feature INTEGER NOT NULL,
         story TEXT NOT NULL,
         batch INTEGER NOT NULL,
         PRIMARY KEY (feature, story)
     ) WITHOUT ROWID;
     CREATE INDEX story_terms_recent ON story_terms(feature, batch);
     CREATE TABLE fingerprints (hash INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (hash, seq)) WITHOUT ROWID;
     CREATE TABLE entity_keys (key TEXT NOT NULL, entity_id TEXT NOT NULL, PRIMARY KEY (key, entity_id)) WITHOUT ROWID;
     CREATE TABLE story_redirects (old TEXT PRIMARY KEY, new TEXT NOT NULL);
     CREATE TABLE store_facts (key TEXT PRIMARY KEY, value TEXT NOT NULL);
     CREATE INDEX shared_passages_other ON shared_passages(other_id);",
    // 6: attributions (quotes and reported speech) per article, each as its
    // JSON record; the speaker's mention span joins `mentions` for the
    // speaker's entity, so relinking never rewrites quotes. `quotes_done`
    // marks articles already read for quotes (older stores are backfilled).
    "CREATE TABLE quotes (
         article_id TEXT NOT NULL REFERENCES articles(id),
         seq INTEGER NOT NULL,
         speaker_start INTEGER,
         speaker_end INTEGER,
         data TEXT NOT NULL,
         PRIMARY KEY (article_id, seq)
     ) WITHOUT ROWID;
     CREATE TABLE quotes_done (article_id TEXT PRIMARY KEY REFERENCES articles(id));",
    // 7: stories newest first, for the paged story list of the server.
    "CREATE INDEX stories_end ON stories(end DESC, id);",
    // 8: coded events and figures per article, each as its JSON record; the
    // actors' mention spans join `mentions` for their entities (as quotes'
    // speakers do). `events_done` marks articles already coded (older
    // stores are backfilled).
    "CREATE TABLE events (
         article_id TEXT NOT NULL REFERENCES articles(id),
         seq INTEGER NOT NULL,
         type TEXT NOT NULL,
         source_start INTEGER,
         source_end INTEGER,
         target_start INTEGER,
         target_end INTEGER,
         data TEXT NOT NULL,
         PRIMARY KEY (article_id, seq)
     ) WITHOUT ROWID;
     CREATE TABLE figures (
         article_id TEXT NOT NULL REFERENCES articles(id),
         seq INTEGER NOT NULL,
         quantity TEXT NOT NULL,
         value INTEGER NOT NULL,
         data TEXT NOT NULL,
         PRIMARY KEY (article_id, seq)
     ) WITHOUT ROWID;
     CREATE TABLE events_done (article_id TEXT PRIMARY KEY REFERENCES articles(id));",
    // 9: the latest day an undated article reports without a year ("MM-DD"),
    // below which the date it borrows from its story does not go. Older
    // articles have none and borrow the story's start, as before.
    "ALTER TABLE articles ADD COLUMN reported_day TEXT;",
    // 10: new fingerprints go to a small table first and are merged into
    // `fingerprints` in key order now and then (`Store::put_fingerprints`):
    // random inserts into the large index dirtied one page each.
    "CREATE TABLE fingerprints_recent (hash INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (hash, seq))
         WITHOUT ROWID;
     INSERT INTO store_facts (key, value) SELECT 'fingerprints_merged', COUNT(*) FROM fingerprints;",
    // 11: a batch's story postings go to a small table first and are merged
    // into `story_terms` in key order now and then, as fingerprints are: at
    // 100k articles the postings of one batch dirtied 9,400 pages of the
    // large table and its index (45 % of what a batch wrote to the log).
    "CREATE TABLE story_terms_pending (
         feature INTEGER NOT NULL,
         story TEXT NOT NULL,
         batch INTEGER NOT NULL,
         PRIMARY KEY (feature, story)
     ) WITHOUT ROWID;
     INSERT INTO store_facts (key, value) SELECT 'story_terms_merged', COUNT(*) FROM story_terms;",
    // 12: how many mentions each entity has, kept by triggers on `mentions`
    // so that the entity list (most mentioned first) reads an index instead
    // of counting every mention of every entity (1.3 s at 468k articles).
    concat!(
        "CREATE TABLE entity_mention_counts (entity_id TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
     INSERT INTO entity_mention_counts (entity_id, n)
         SELECT entity_id, COUNT(*) FROM mentions WHERE entity_id IS NOT NULL GROUP BY entity_id;
     CREATE INDEX entity_mention_counts_n ON entity_mention_counts(n DESC, entity_id);",
        mention_count_triggers!()
    ),
    // 13: an article's story (and its language) read from an index: the
    // columns sit after the text in the row, so reading them from the table
    // followed the text's overflow pages (an entity page read 100 articles
    // for their stories, a story row every member for its languages).
    "CREATE INDEX articles_id_story ON articles(id, story);
     CREATE INDEX articles_story_lang ON articles(story, lang);
     DROP INDEX articles_story;",
    // 14: a mention is keyed by its whole span: an organisation named after
    // its country ("US State Department") holds the country's mention at the
    // same start. The table is rebuilt (SQLite cannot change a primary key);
    // its index and the count triggers of 12 are made again, and the counts
    // hold since the same rows are copied.
    concat!(
        "CREATE TABLE mentions_by_span (
         article_id TEXT NOT NULL REFERENCES articles(id),
         start INTEGER NOT NULL,
         end INTEGER NOT NULL,
         text TEXT NOT NULL,
         type TEXT NOT NULL,
         role TEXT,
         role_country TEXT,
         entity_id TEXT,
         PRIMARY KEY (article_id, start, end)
     );
     INSERT INTO mentions_by_span SELECT article_id, start, end, text, type, role, role_country, entity_id FROM mentions;
     DROP TABLE mentions;
     ALTER TABLE mentions_by_span RENAME TO mentions;
     CREATE INDEX mentions_entity ON mentions(entity_id);",
        mention_count_triggers!()
    ),
    // 15: a membership filter over `fingerprints` (`filter.rs`), in blobs,
    // written in the transaction that merges into the index.
    "CREATE TABLE fingerprint_filter (chunk INTEGER PRIMARY KEY, bits BLOB NOT NULL);",
    // 16: which article a near-duplicate copies, read from an index: the
    // column sits after the text, and a story's independent sources asked it
    // of every member (a page of an entity's facts, of 100 articles). Partial,
    // so it holds only the few duplicates.
    "CREATE INDEX articles_duplicate_of ON articles(id, duplicate_of) WHERE duplicate_of IS NOT NULL;",
    // 17: a middle tier between `fingerprints_recent` and `fingerprints`
    // (`PipelineStore::put_fingerprints`): past 2^21 waiting rows, recent
    // fingerprints merge into it, and it merges into the main index only
    // when it holds an eighth of it, so a large store rewrites its main
    // index rarely instead of every 20,000 articles.
    "CREATE TABLE fingerprints_mid (hash INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (hash, seq)) WITHOUT ROWID;",
    // 18: the same middle tier for story postings: `story_terms_pending`
    // merges into it, and it into `story_terms` once it holds an eighth of
    // it (a merge into the 20 M postings of a 1M store took 9 s).
    "CREATE TABLE story_terms_mid (
         feature INTEGER NOT NULL,
         story TEXT NOT NULL,
         batch INTEGER NOT NULL,
         PRIMARY KEY (feature, story)
     ) WITHOUT ROWID;
     CREATE INDEX story_terms_mid_recent ON story_terms_mid(feature, batch);",
];

/// The schema version this build writes.
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Applies pending migrations, each in its own transaction.
pub fn migrate(conn: &Connection, name: &str) -> Result<()> {
    let app: i64 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let tables: i64 = conn.query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| r.get(0))?;
    if app != APPLICATION_ID && (app != 0 || tables > 0) {
        return Err(StoreError::Foreign(name.to_string()));
    }
    if version > latest_version() {
        return Err(StoreError::TooNew { path: name.to_string(), found: version, supported: latest_version() });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_keyed_by_span_keep_their_rows_counts_and_triggers() {
        let conn = Connection::open_in_memory().unwrap();
        // A store of version 13 with one linked mention.
        for (index, sql) in MIGRATIONS.iter().enumerate().take(13) {
            conn.execute_batch(sql).unwrap();
            conn.pragma_update(None, "user_version", index as i64 + 1).unwrap();
        }
        conn.pragma_update(None, "application_id", APPLICATION_ID).unwrap();
        conn.execute_batch(
            "INSERT INTO articles (id, source, text, ingested_at) VALUES ('a1', 'a.txt', 'The US replied.', '2026-12-05');
             INSERT INTO mentions (article_id, start, end, text, type, entity_id)
                 VALUES ('a1', 4, 23, 'US State Department', 'ORG', 'org');",
        )
        .unwrap();
        migrate(&conn, "test").unwrap();
        let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        assert_eq!(count("PRAGMA user_version"), latest_version());
        assert_eq!(count("SELECT COUNT(*) FROM mentions WHERE entity_id = 'org'"), 1);
        assert_eq!(count("SELECT n FROM entity_mention_counts WHERE entity_id = 'org'"), 1);
        // The country inside, at the same start, is a row of its own, counted by the triggers.
        conn.execute(
            "INSERT INTO mentions (article_id, start, end, text, type, entity_id) VALUES ('a1', 4, 6, 'US', 'LOC', 'us')",
            [],
        )
        .unwrap();
        assert_eq!(count("SELECT COUNT(*) FROM mentions"), 2);
        assert_eq!(count("SELECT n FROM entity_mention_counts WHERE entity_id = 'us'"), 1);
    }
}
