//! Paged, bounded reads for the server and the commands: a page of stories
//! under filters, one story, entity or article by a unique id prefix, an
//! entity's stories and companions, and full-text search with snippets.
//! Every query is limited, so a page costs the same at 10k or 1M articles.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use storyline_model::{Article, Entity, Story};

use crate::{article_from_row, entity_from_row, parse_date, story_from_row, Result, Store, ARTICLE_COLUMNS};

/// Filters of a story list; every field optional.
#[derive(Debug, Clone, Default)]
pub struct StoryFilter {
    /// Words the story's articles contain (full text; every word must match).
    pub q: Option<String>,
    /// An entity id the story's articles mention.
    pub entity: Option<String>,
    /// Stories ending on or after this day.
    pub from: Option<NaiveDate>,
    /// Stories starting on or before this day.
    pub to: Option<NaiveDate>,
    /// Stories with an article in this language.
    pub lang: Option<String>,
}

/// One line of a story list.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryRow {
    /// The story id.
    pub id: String,
    /// Its headline.
    pub title: Option<String>,
    /// First day.
    pub start: Option<NaiveDate>,
    /// Last day.
    pub end: Option<NaiveDate>,
    /// Number of articles.
    pub sources: usize,
    /// Languages of its articles.
    pub langs: Vec<String>,
}

/// The outcome of looking something up by a unique id prefix.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup<T> {
    /// Exactly one match.
    Found(T),
    /// The prefix matches several.
    Ambiguous(usize),
    /// Nothing matches.
    Missing,
}

/// One search hit: an article, its story, and a highlighted snippet.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    /// Article id.
    pub article: String,
    /// Its story.
    pub story: Option<String>,
    /// Its title.
    pub title: Option<String>,
    /// Text around the match, matched words between `[` and `]`.
    pub snippet: String,
}

/// An entity with how often it is mentioned.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityRow {
    /// The entity.
    pub entity: Entity,
    /// Its mentions.
    pub mentions: usize,
}

/// Turns free text into an FTS5 query: each word quoted (no operator or
/// syntax error can come from user input), all required.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .take(16)
        .map(|w| format!("\"{}\"", w.replace('"', "")))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// Most recent matching articles a story filter by words looks at.
pub const RANKED: usize = 1000;

/// Most recent articles of an entity its companions are counted over.
pub const SAMPLE: usize = 100;

/// A story's row for lists: its counts, and its languages in the order of
/// their first article (as the PostgreSQL store gives them).
const STORY_ROW: &str = "SELECT s.id, s.title, s.start, s.end,
       (SELECT COUNT(*) FROM articles a WHERE a.story = s.id),
       (SELECT group_concat(lang) FROM (SELECT a.lang AS lang, MIN(a.seq) AS first FROM articles a
                                         WHERE a.story = s.id AND a.lang IS NOT NULL GROUP BY a.lang ORDER BY first))
     FROM stories s";

fn story_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoryRow> {
    let langs: Option<String> = r.get(5)?;
    Ok(StoryRow {
        id: r.get(0)?,
        title: r.get(1)?,
        start: parse_date(r.get(2)?),
        end: parse_date(r.get(3)?),
        sources: r.get::<_, i64>(4)? as usize,
        langs: langs.map(|l| l.split(',').map(str::to_string).collect()).unwrap_or_default(),
    })
}

impl Store {
    /// A page of stories, newest (latest day) first, undated last (in
    /// descending order SQLite puts NULL last, so the `stories_end` index
    /// serves the order), under the filters.
    pub fn story_page(&self, filter: &StoryFilter, limit: usize, offset: usize) -> Result<Vec<StoryRow>> {
        let q = filter.q.as_deref().and_then(fts_query);
        // The page's ids first, then the counts for those rows only: with the
        // counts in the filtered query, every skipped row of OFFSET computed them.
        let sql = format!(
            "{STORY_ROW}
             JOIN (SELECT t.id FROM stories t
                   WHERE (?1 IS NULL OR t.id IN (SELECT a.story FROM articles_fts f JOIN articles a ON a.seq = f.rowid
                                                 WHERE articles_fts MATCH ?1 ORDER BY f.rowid DESC LIMIT {RANKED}))
                     AND (?2 IS NULL OR t.id IN (SELECT a.story FROM mentions m JOIN articles a ON a.id = m.article_id
                                                 WHERE m.entity_id = ?2))
                     AND (?3 IS NULL OR t.end >= ?3)
                     AND (?4 IS NULL OR t.start <= ?4)
                     AND (?5 IS NULL OR EXISTS (SELECT 1 FROM articles a WHERE a.story = t.id AND a.lang = ?5))
                   ORDER BY t.end DESC, t.id
                   LIMIT {limit} OFFSET {offset}) page ON page.id = s.id
             ORDER BY s.end DESC, s.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(
            params![
                q,
                filter.entity,
                filter.from.map(|d| d.to_string()),
                filter.to.map(|d| d.to_string()),
                filter.lang
            ],
            story_row,
        )?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// The story an id or unique id prefix designates, with its members.
    pub fn story_by_prefix(&self, prefix: &str) -> Result<Lookup<Story>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, title, start, end FROM stories WHERE id >= ?1 AND id < ?1 || x'ff' ORDER BY id LIMIT 2",
        )?;
        let found: Vec<Story> = stmt.query_map([prefix], story_from_row)?.collect::<std::result::Result<_, _>>()?;
        Ok(match found.len() {
            0 => Lookup::Missing,
            1 => {
                let mut story = found.into_iter().next().unwrap();
                let mut members = self.conn.prepare_cached("SELECT id FROM articles WHERE story = ?1 ORDER BY seq")?;
                story.articles =
                    members.query_map([&story.id], |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
                Lookup::Found(story)
            }
            n => Lookup::Ambiguous(n),
        })
    }

    /// The article an id or unique id prefix designates.
    pub fn article_by_prefix(&self, prefix: &str) -> Result<Lookup<Article>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles WHERE id >= ?1 AND id < ?1 || x'ff' ORDER BY id LIMIT 2"
        ))?;
        let found: Vec<Article> = stmt.query_map([prefix], article_from_row)?.collect::<std::result::Result<_, _>>()?;
        Ok(match found.len() {
            0 => Lookup::Missing,
            1 => Lookup::Found(found.into_iter().next().unwrap()),
            n => Lookup::Ambiguous(n),
        })
    }

    /// The entity an id or unique id prefix designates.
    pub fn entity_by_prefix(&self, prefix: &str) -> Result<Lookup<Entity>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, type, aliases, roles FROM entities WHERE id >= ?1 AND id < ?1 || x'ff' ORDER BY id LIMIT 2",
        )?;
        let found: Vec<Entity> = stmt.query_map([prefix], entity_from_row)?.collect::<std::result::Result<_, _>>()?;
        Ok(match found.len() {
            0 => Lookup::Missing,
            1 => Lookup::Found(found.into_iter().next().unwrap()),
            n => Lookup::Ambiguous(n),
        })
    }

    /// A page of entities whose name starts with `q` (any case) and of this
    /// type, most mentioned first (entities without a mention left out).
    pub fn entity_page(
        &self,
        q: Option<&str>,
        kind: Option<&str>,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<EntityRow>> {
        let sql = format!(
            "SELECT e.id, e.name, e.type, e.aliases, e.roles, c.n
             FROM entity_mention_counts c JOIN entities e ON e.id = c.entity_id
             WHERE c.n > 0
               AND (?1 IS NULL OR e.name LIKE ?1 || '%' OR e.aliases LIKE '%\"' || ?1 || '%')
               AND (?2 IS NULL OR e.type = ?2)
             ORDER BY c.n DESC, c.entity_id LIMIT {limit} OFFSET {offset}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![q, kind], |r| {
            Ok(EntityRow { entity: entity_from_row(r)?, mentions: r.get::<_, i64>(5)? as usize })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// The stories of an entity's most recent articles (at most [`SAMPLE`]),
    /// newest first, undated last (at most `limit`).
    pub fn entity_stories(&self, entity: &str, limit: usize) -> Result<Vec<StoryRow>> {
        // Over its most recent articles (at most SAMPLE): a page, not a census.
        let sql = format!(
            "{STORY_ROW}
             WHERE s.id IN (SELECT a.story FROM articles a INDEXED BY articles_id_story WHERE a.id IN
                              (SELECT article_id FROM mentions WHERE entity_id = ?1 ORDER BY rowid DESC LIMIT {SAMPLE}))
             ORDER BY s.start DESC, s.id LIMIT {limit}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([entity], story_row)?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Every story an entity is mentioned in (ids, oldest first): a census,
    /// for timelines.
    pub fn entity_story_ids(&self, entity: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.id FROM stories s WHERE s.id IN
                 (SELECT a.story FROM articles a JOIN mentions m ON m.article_id = a.id WHERE m.entity_id = ?1)
             ORDER BY s.start, s.id",
        )?;
        let rows = stmt.query_map([entity], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// How many of an entity's stories (over its [`SAMPLE`] most recent
    /// articles) start in each month (YYYY-MM), in month order.
    pub fn entity_story_months(&self, entity: &str) -> Result<Vec<(String, usize)>> {
        let sql = format!(
            "SELECT substr(s.start, 1, 7) AS month, COUNT(*) FROM stories s
             WHERE s.start IS NOT NULL AND s.id IN (SELECT a.story FROM articles a INDEXED BY articles_id_story WHERE a.id IN
                 (SELECT article_id FROM mentions WHERE entity_id = ?1 ORDER BY rowid DESC LIMIT {SAMPLE}))
             GROUP BY month ORDER BY month"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([entity], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize)))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Entities mentioned in the same articles as `entity`, with how many
    /// articles they share, most first, over its most recent articles
    /// (at most [`SAMPLE`]).
    pub fn cooccurring(&self, entity: &str, limit: usize) -> Result<Vec<(Entity, usize)>> {
        // The mention rows are read and counted here: grouping them in SQL
        // (twice, in temporary B-trees) cost three times the reading.
        let sql = format!(
            "SELECT m2.article_id, m2.entity_id
             FROM (SELECT DISTINCT article_id FROM mentions WHERE entity_id = ?1 ORDER BY rowid DESC LIMIT {SAMPLE}) m1
             JOIN mentions m2 ON m2.article_id = m1.article_id
             WHERE m2.entity_id IS NOT NULL AND m2.entity_id != ?1"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut pairs: HashSet<(String, String)> = HashSet::new();
        for row in stmt.query_map([entity], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
            pairs.insert(row?);
        }
        let mut articles_of: HashMap<String, usize> = HashMap::new();
        for (_, other) in pairs {
            *articles_of.entry(other).or_default() += 1;
        }
        let mut counted: Vec<(String, usize)> = articles_of.into_iter().collect();
        counted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        counted.truncate(limit);
        let mut one = self.conn.prepare_cached("SELECT id, name, type, aliases, roles FROM entities WHERE id = ?1")?;
        let mut out = Vec::with_capacity(counted.len());
        for (id, n) in counted {
            if let Some(e) = one.query_row([&id], entity_from_row).optional()? {
                out.push((e, n));
            }
        }
        Ok(out)
    }

    /// Full-text search: the most recent articles holding every word, with
    /// a snippet each.
    pub fn search_snippets(&self, text: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let Some(q) = fts_query(text) else { return Ok(Vec::new()) };
        // Newest first: ranking every match of a common word by relevance would
        // read its whole posting list, which grows with the store.
        let sql = format!(
            "SELECT a.id, a.story, a.title, snippet(articles_fts, 1, '[', ']', '…', 16)
             FROM articles_fts f JOIN articles a ON a.seq = f.rowid
             WHERE articles_fts MATCH ?1 ORDER BY f.rowid DESC LIMIT {limit}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([q], |r| {
            Ok(SearchHit { article: r.get(0)?, story: r.get(1)?, title: r.get(2)?, snippet: r.get(3)? })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// The mentions of an article with their entity ids.
    pub fn mentions_of_article(&self, article: &str) -> Result<Vec<(storyline_model::Mention, Option<String>)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT start, end, text, type, role, role_country, entity_id FROM mentions WHERE article_id = ?1 ORDER BY start",
        )?;
        let rows = stmt.query_map([article], |r| {
            let kind: String = r.get(3)?;
            Ok((
                storyline_model::Mention {
                    start: r.get::<_, i64>(0)? as usize,
                    end: r.get::<_, i64>(1)? as usize,
                    text: r.get(2)?,
                    kind: storyline_model::EntityType::parse(&kind).unwrap_or(storyline_model::EntityType::Misc),
                    role: r.get(4)?,
                    role_country: r.get(5)?,
                },
                r.get(6)?,
            ))
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Names of entities by id (missing ids left out).
    pub fn entity_names(&self, ids: &[String]) -> Result<Vec<(String, String, String)>> {
        let mut stmt = self.conn.prepare_cached("SELECT id, name, type FROM entities WHERE id = ?1")?;
        let mut out = Vec::new();
        for id in ids {
            if let Some(row) = stmt.query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()? {
                out.push(row);
            }
        }
        Ok(out)
    }
}
