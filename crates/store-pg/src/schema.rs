//! Versioned migrations of the PostgreSQL schema. Each entry moves the
//! schema from version `index` to `index + 1`; never edit a released entry,
//! append a new one. The tables mirror the SQLite file's (same names, same
//! meaning), so the pipeline sees one store whatever the backend; ids sort
//! by byte (`COLLATE "C"`) as SQLite's do, so both backends order alike.

/// Migrations in order.
pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: everything the SQLite schema has at its version 8, plus what a team
    // store needs: articles waiting for linking and stories (workers write
    // articles side by side; one process at a time indexes them), the
    // workers seen and the documents they could not read.
    r#"CREATE TABLE articles (
         seq BIGSERIAL PRIMARY KEY,
         id TEXT COLLATE "C" NOT NULL UNIQUE,
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
         story TEXT COLLATE "C",
         duplicate_of TEXT COLLATE "C",
         ingested_at TEXT NOT NULL,
         date_from_story BOOLEAN NOT NULL DEFAULT false,
         tsv tsvector GENERATED ALWAYS AS (to_tsvector(
             CASE lang WHEN 'fr' THEN 'french'::regconfig WHEN 'en' THEN 'english'::regconfig
                 ELSE 'simple'::regconfig END,
             coalesce(title, '') || ' ' || text)) STORED
     );
     CREATE INDEX articles_story ON articles(story);
     CREATE INDEX articles_tsv ON articles USING gin(tsv);
     CREATE TABLE article_sources (
         seq BIGSERIAL,
         article_id TEXT COLLATE "C" NOT NULL REFERENCES articles(id),
         source TEXT NOT NULL,
         external_id TEXT,
         PRIMARY KEY (article_id, source)
     );
     CREATE TABLE stories (id TEXT COLLATE "C" PRIMARY KEY, title TEXT, start TEXT, "end" TEXT);
     CREATE INDEX stories_end ON stories("end" DESC, id);
     CREATE TABLE shared_passages (
         article_id TEXT COLLATE "C" NOT NULL,
         other_id TEXT COLLATE "C" NOT NULL,
         start BIGINT NOT NULL,
         "end" BIGINT NOT NULL,
         PRIMARY KEY (article_id, other_id, start, "end")
     );
     CREATE INDEX shared_passages_other ON shared_passages(other_id);
     CREATE TABLE mentions (
         article_id TEXT COLLATE "C" NOT NULL REFERENCES articles(id),
         start BIGINT NOT NULL,
         "end" BIGINT NOT NULL,
         text TEXT NOT NULL,
         type TEXT NOT NULL,
         role TEXT,
         role_country TEXT,
         entity_id TEXT COLLATE "C",
         PRIMARY KEY (article_id, start)
     );
     CREATE INDEX mentions_entity ON mentions(entity_id);
     CREATE TABLE mentions_done (article_id TEXT COLLATE "C" PRIMARY KEY);
     CREATE TABLE entities (
         id TEXT COLLATE "C" PRIMARY KEY,
         name TEXT NOT NULL,
         type TEXT NOT NULL,
         aliases TEXT NOT NULL,
         roles TEXT NOT NULL
     );
     CREATE TABLE article_features (article_id TEXT COLLATE "C" PRIMARY KEY, date TEXT, features BYTEA NOT NULL);
     CREATE TABLE feature_df (feature BIGINT PRIMARY KEY, df BIGINT NOT NULL);
     CREATE TABLE story_summaries (story TEXT COLLATE "C" PRIMARY KEY, size BIGINT NOT NULL, vector BYTEA NOT NULL);
     CREATE TABLE story_terms (
         feature BIGINT NOT NULL,
         story TEXT COLLATE "C" NOT NULL,
         batch BIGINT NOT NULL,
         PRIMARY KEY (feature, story)
     );
     CREATE INDEX story_terms_recent ON story_terms(feature, batch);
     CREATE INDEX story_terms_story ON story_terms(story);
     CREATE TABLE fingerprints (hash BIGINT NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY (hash, seq));
     CREATE TABLE entity_keys (key TEXT COLLATE "C" NOT NULL, entity_id TEXT COLLATE "C" NOT NULL,
         PRIMARY KEY (key, entity_id));
     CREATE TABLE story_redirects (old TEXT COLLATE "C" PRIMARY KEY, new TEXT COLLATE "C" NOT NULL);
     CREATE INDEX story_redirects_new ON story_redirects(new);
     CREATE TABLE store_facts (key TEXT PRIMARY KEY, value TEXT NOT NULL);
     CREATE TABLE quotes (
         article_id TEXT COLLATE "C" NOT NULL,
         seq BIGINT NOT NULL,
         speaker_start BIGINT,
         speaker_end BIGINT,
         data TEXT NOT NULL,
         PRIMARY KEY (article_id, seq)
     );
     CREATE TABLE quotes_done (article_id TEXT COLLATE "C" PRIMARY KEY);
     CREATE TABLE events (
         article_id TEXT COLLATE "C" NOT NULL,
         seq BIGINT NOT NULL,
         type TEXT NOT NULL,
         source_start BIGINT,
         source_end BIGINT,
         target_start BIGINT,
         target_end BIGINT,
         data TEXT NOT NULL,
         PRIMARY KEY (article_id, seq)
     );
     CREATE TABLE figures (
         article_id TEXT COLLATE "C" NOT NULL,
         seq BIGINT NOT NULL,
         quantity TEXT NOT NULL,
         value BIGINT NOT NULL,
         data TEXT NOT NULL,
         PRIMARY KEY (article_id, seq)
     );
     CREATE TABLE events_done (article_id TEXT COLLATE "C" PRIMARY KEY);
     CREATE TABLE index_pending (seq BIGSERIAL PRIMARY KEY, article_id TEXT COLLATE "C" NOT NULL UNIQUE);
     CREATE TABLE workers (
         id TEXT PRIMARY KEY,
         host TEXT NOT NULL,
         started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
         last_seen TIMESTAMPTZ NOT NULL DEFAULT now(),
         documents BIGINT NOT NULL DEFAULT 0,
         failures BIGINT NOT NULL DEFAULT 0,
         indexed BIGINT NOT NULL DEFAULT 0
     );
     CREATE TABLE ingest_failures (
         id BIGSERIAL PRIMARY KEY,
         source TEXT NOT NULL,
         reason TEXT NOT NULL,
         worker TEXT,
         at TIMESTAMPTZ NOT NULL DEFAULT now()
     );"#,
    // 2: as SQLite's 9: the latest day an undated article reports without a
    // year ("MM-DD"), below which the date it borrows from its story does not go.
    "ALTER TABLE articles ADD COLUMN reported_day TEXT;",
    // 3: as SQLite's 14: a mention is keyed by its whole span (an
    // organisation named after its country holds the country's mention at
    // the same start).
    r#"ALTER TABLE mentions DROP CONSTRAINT mentions_pkey;
       ALTER TABLE mentions ADD PRIMARY KEY (article_id, start, "end");"#,
];
