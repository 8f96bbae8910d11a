//! The reads of the commands, the export and the server on PostgreSQL: the
//! SQLite file's queries (`storyline_store::StoreRead`) in PostgreSQL's
//! dialect, with the same orders and the same bounds. Where SQLite counts an
//! entity's "most recent" mentions by rowid, this counts them by their
//! article's insertion order and then their position, which is the same
//! order.

use std::collections::{HashMap, HashSet};

use postgres::Row;
use storyline_model::{Article, Entity, EntityType, Figure, Mention, Story};
use storyline_store::{
    parse_date, ArticleMentions, EntityRow, Lookup, Result, SearchHit, StoreRead, StoreStats, StoredEvent, StoredQuote,
    StoryFilter, StoryRow, RANKED, SAMPLE,
};

use crate::{article_from_row, entity_from_row, PgStore};

fn story_row(r: &Row) -> StoryRow {
    let langs: Option<Vec<String>> = r.get(5);
    StoryRow {
        id: r.get(0),
        title: r.get(1),
        start: parse_date(r.get(2)),
        end: parse_date(r.get(3)),
        sources: r.get::<_, i64>(4) as usize,
        langs: langs.unwrap_or_default(),
    }
}

fn story_from_row(r: &Row) -> Story {
    Story {
        id: r.get(0),
        title: r.get(1),
        articles: Vec::new(),
        start: parse_date(r.get(2)),
        end: parse_date(r.get(3)),
    }
}

fn mention_from(r: &Row, at: usize) -> Mention {
    let kind: String = r.get(at + 3);
    Mention {
        start: r.get::<_, i64>(at) as usize,
        end: r.get::<_, i64>(at + 1) as usize,
        text: r.get(at + 2),
        kind: EntityType::parse(&kind).unwrap_or(EntityType::Misc),
        role: r.get(at + 4),
        role_country: r.get(at + 5),
    }
}

/// The first byte after every id with this prefix (ids are ASCII), so a
/// prefix is a range on the index, as in SQLite.
fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{7f}")
}

fn lookup<T>(mut found: Vec<T>) -> Lookup<T> {
    match found.len() {
        0 => Lookup::Missing,
        1 => Lookup::Found(found.remove(0)),
        n => Lookup::Ambiguous(n),
    }
}

/// The words of a search, each required (as SQLite's quoted FTS5 words),
/// for `plainto_tsquery`.
fn search_words(text: &str) -> Option<String> {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .take(16)
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

impl PgStore {
    fn members(&self, story: &str) -> Result<Vec<String>> {
        Ok(self
            .query("SELECT id FROM articles WHERE story = $1 ORDER BY seq", &[&story])?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }

    fn by_article<T>(
        &self,
        articles: Option<&[String]>,
        one: &'static str,
        all: &'static str,
        mut row: impl FnMut(&Row) -> Option<T>,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        match articles {
            Some(ids) => {
                for id in ids {
                    out.extend(self.query(one, &[id])?.iter().filter_map(&mut row));
                }
            }
            None => out.extend(self.query(all, &[])?.iter().filter_map(&mut row)),
        }
        Ok(out)
    }
}

impl StoreRead for PgStore {
    fn stats(&self) -> Result<StoreStats> {
        PgStore::stats(self)
    }

    fn article_count(&self) -> Result<u64> {
        Ok(self.query("SELECT count(*) FROM articles", &[])?[0].get::<_, i64>(0) as u64)
    }

    fn story_count(&self) -> Result<u64> {
        Ok(self.query("SELECT count(*) FROM stories", &[])?[0].get::<_, i64>(0) as u64)
    }

    fn fact(&self, key: &str) -> Result<Option<String>> {
        PgStore::fact(self, key)
    }

    fn for_each_article(&self, f: &mut dyn FnMut(Article)) -> Result<()> {
        // Pages by insertion order, so a million articles never sit in memory at once.
        let mut after = 0i64;
        loop {
            let rows = self.query(
                "SELECT id, source, external_id, title, lang, published, published_source, published_min,
                     published_max, author, site_name, url, text, story, duplicate_of, seq
                 FROM articles WHERE seq > $1 ORDER BY seq LIMIT 1000",
                &[&after],
            )?;
            let Some(last) = rows.last() else { return Ok(()) };
            after = last.get(15);
            for r in &rows {
                f(article_from_row(r));
            }
        }
    }

    fn article(&self, id: &str) -> Result<Option<Article>> {
        let found = self.article_by_prefix(id)?;
        Ok(match found {
            Lookup::Found(a) => Some(a),
            _ => None,
        })
    }

    fn article_published(&self, id: &str) -> Result<Option<chrono::NaiveDate>> {
        let rows = self.query("SELECT published FROM articles WHERE id = $1", &[&id])?;
        Ok(rows.first().and_then(|r| crate::parse_date(r.get(0))))
    }

    fn duplicate_of(&self, id: &str) -> Result<Option<String>> {
        let rows = self.query("SELECT duplicate_of FROM articles WHERE id = $1", &[&id])?;
        Ok(rows.first().and_then(|r| r.get(0)))
    }

    fn sources_of(&self, id: &str) -> Result<Vec<String>> {
        Ok(self
            .query("SELECT source FROM article_sources WHERE article_id = $1 ORDER BY seq", &[&id])?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }

    fn stories(&self) -> Result<Vec<Story>> {
        let mut stories: Vec<Story> = self
            .query(r#"SELECT id, title, start, "end" FROM stories ORDER BY start IS NULL, start, id"#, &[])?
            .iter()
            .map(story_from_row)
            .collect();
        let mut members: HashMap<String, Vec<String>> = HashMap::new();
        for r in self.query("SELECT story, id FROM articles WHERE story IS NOT NULL ORDER BY seq", &[])? {
            members.entry(r.get(0)).or_default().push(r.get(1));
        }
        for s in &mut stories {
            s.articles = members.remove(&s.id).unwrap_or_default();
        }
        Ok(stories)
    }

    fn borrowed_dates(&self) -> Result<HashSet<String>> {
        Ok(self.query("SELECT id FROM articles WHERE date_from_story", &[])?.iter().map(|r| r.get(0)).collect())
    }

    fn shared_passages_of(&self, id: &str) -> Result<Vec<(String, usize, usize)>> {
        let rows = self.query(
            r#"SELECT other_id, start, "end" FROM shared_passages WHERE article_id = $1 ORDER BY start, other_id"#,
            &[&id],
        )?;
        Ok(rows.iter().map(|r| (r.get(0), r.get::<_, i64>(1) as usize, r.get::<_, i64>(2) as usize)).collect())
    }

    fn mentions(&self) -> Result<Vec<ArticleMentions>> {
        let rows = self.query(
            r#"SELECT m.article_id, m.start, m."end", m.text, m.type, m.role, m.role_country, m.entity_id
               FROM mentions m JOIN articles a ON a.id = m.article_id ORDER BY a.seq, m.start, m."end" DESC"#,
            &[],
        )?;
        let mut out: Vec<ArticleMentions> = Vec::new();
        for r in &rows {
            let article: String = r.get(0);
            let item = (mention_from(r, 1), r.get::<_, Option<String>>(7));
            match out.last_mut() {
                Some((a, list)) if *a == article => list.push(item),
                _ => out.push((article, vec![item])),
            }
        }
        Ok(out)
    }

    fn entities(&self) -> Result<Vec<(Entity, usize, usize)>> {
        let rows = self.query(
            r#"SELECT e.id, e.name, e.type, e.aliases, e.roles,
                      COUNT(DISTINCT m.article_id), COUNT(DISTINCT a.story)
               FROM entities e LEFT JOIN mentions m ON m.entity_id = e.id LEFT JOIN articles a ON a.id = m.article_id
               GROUP BY e.id ORDER BY COUNT(DISTINCT m.article_id) DESC, e.name COLLATE "C", e.id"#,
            &[],
        )?;
        Ok(rows
            .iter()
            .map(|r| (entity_from_row(r), r.get::<_, i64>(5) as usize, r.get::<_, i64>(6) as usize))
            .collect())
    }

    fn story_redirect(&self, id: &str) -> Result<Option<String>> {
        let rows = self.query(
            "SELECT new FROM story_redirects WHERE old >= $1 AND old < $2 ORDER BY old LIMIT 1",
            &[&id, &prefix_end(id)],
        )?;
        Ok(rows.first().map(|r| r.get(0)))
    }

    fn quotes(&self, articles: Option<&[String]>) -> Result<Vec<StoredQuote>> {
        self.by_article(
            articles,
            r#"SELECT q.article_id, q.data, m.entity_id FROM quotes q
               LEFT JOIN mentions m ON m.article_id = q.article_id AND m.start = q.speaker_start AND m."end" = q.speaker_end
               WHERE q.article_id = $1 ORDER BY q.seq"#,
            r#"SELECT q.article_id, q.data, m.entity_id FROM quotes q
               LEFT JOIN mentions m ON m.article_id = q.article_id AND m.start = q.speaker_start AND m."end" = q.speaker_end
               ORDER BY q.article_id, q.seq"#,
            |r| {
                let data: String = r.get(1);
                serde_json::from_str(&data).ok().map(|quote| StoredQuote { article: r.get(0), quote, speaker: r.get(2) })
            },
        )
    }

    fn events(&self, articles: Option<&[String]>) -> Result<Vec<StoredEvent>> {
        self.by_article(
            articles,
            r#"SELECT e.article_id, e.seq, e.data, s.entity_id, t.entity_id FROM events e
               LEFT JOIN mentions s ON s.article_id = e.article_id AND s.start = e.source_start AND s."end" = e.source_end
               LEFT JOIN mentions t ON t.article_id = e.article_id AND t.start = e.target_start AND t."end" = e.target_end
               WHERE e.article_id = $1 ORDER BY e.seq"#,
            r#"SELECT e.article_id, e.seq, e.data, s.entity_id, t.entity_id FROM events e
               LEFT JOIN mentions s ON s.article_id = e.article_id AND s.start = e.source_start AND s."end" = e.source_end
               LEFT JOIN mentions t ON t.article_id = e.article_id AND t.start = e.target_start AND t."end" = e.target_end
               ORDER BY e.article_id, e.seq"#,
            |r| {
                let data: String = r.get(2);
                serde_json::from_str(&data).ok().map(|event| StoredEvent {
                    article: r.get(0),
                    index: r.get::<_, i64>(1) as usize,
                    event,
                    source: r.get(3),
                    target: r.get(4),
                })
            },
        )
    }

    fn figures(&self, articles: Option<&[String]>) -> Result<Vec<(String, Figure)>> {
        self.by_article(
            articles,
            "SELECT article_id, data FROM figures WHERE article_id = $1 ORDER BY seq",
            "SELECT article_id, data FROM figures ORDER BY article_id, seq",
            |r| {
                let data: String = r.get(1);
                serde_json::from_str(&data).ok().map(|f| (r.get(0), f))
            },
        )
    }

    fn story_page(&self, filter: &StoryFilter, limit: usize, offset: usize) -> Result<Vec<StoryRow>> {
        let q = filter.q.as_deref().and_then(search_words);
        let (from, to) = (filter.from.map(|d| d.to_string()), filter.to.map(|d| d.to_string()));
        let rows = self.query(
            r#"SELECT s.id, s.title, s.start, s."end",
                   (SELECT count(*) FROM articles a WHERE a.story = s.id),
                   (SELECT array_agg(l.lang ORDER BY l.first) FROM (SELECT a.lang, min(a.seq) AS first FROM articles a
                    WHERE a.story = s.id AND a.lang IS NOT NULL GROUP BY a.lang) l)
               FROM stories s JOIN (
                   SELECT t.id FROM stories t
                   WHERE ($1::text IS NULL OR t.id IN (
                             SELECT a.story FROM articles a
                             WHERE a.tsv @@ (plainto_tsquery('french', $1) || plainto_tsquery('english', $1)
                                             || plainto_tsquery('simple', $1))
                             ORDER BY a.seq DESC LIMIT $6))
                     AND ($2::text IS NULL OR t.id IN (SELECT a.story FROM mentions m JOIN articles a ON a.id = m.article_id
                                                      WHERE m.entity_id = $2))
                     AND ($3::text IS NULL OR t."end" >= $3)
                     AND ($4::text IS NULL OR t.start <= $4)
                     AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM articles a WHERE a.story = t.id AND a.lang = $5))
                   ORDER BY t."end" DESC NULLS LAST, t.id LIMIT $7 OFFSET $8) page ON page.id = s.id
               ORDER BY s."end" DESC NULLS LAST, s.id"#,
            &[&q, &filter.entity, &from, &to, &filter.lang, &(RANKED as i64), &(limit as i64), &(offset as i64)],
        )?;
        Ok(rows.iter().map(story_row).collect())
    }

    fn story_by_prefix(&self, prefix: &str) -> Result<Lookup<Story>> {
        let found: Vec<Story> = self
            .query(
                r#"SELECT id, title, start, "end" FROM stories WHERE id >= $1 AND id < $2 ORDER BY id LIMIT 2"#,
                &[&prefix, &prefix_end(prefix)],
            )?
            .iter()
            .map(story_from_row)
            .collect();
        Ok(match lookup(found) {
            Lookup::Found(mut story) => {
                story.articles = self.members(&story.id)?;
                Lookup::Found(story)
            }
            other => other,
        })
    }

    fn article_by_prefix(&self, prefix: &str) -> Result<Lookup<Article>> {
        const SQL: &str = "SELECT id, source, external_id, title, lang, published, published_source, published_min,
             published_max, author, site_name, url, text, story, duplicate_of FROM articles
             WHERE id >= $1 AND id < $2 ORDER BY id LIMIT 2";
        let rows = self.query(SQL, &[&prefix, &prefix_end(prefix)])?;
        Ok(lookup(rows.iter().map(article_from_row).collect()))
    }

    fn entity_by_prefix(&self, prefix: &str) -> Result<Lookup<Entity>> {
        let rows = self.query(
            "SELECT id, name, type, aliases, roles FROM entities WHERE id >= $1 AND id < $2 ORDER BY id LIMIT 2",
            &[&prefix, &prefix_end(prefix)],
        )?;
        Ok(lookup(rows.iter().map(entity_from_row).collect()))
    }

    fn entity_page(&self, q: Option<&str>, kind: Option<&str>, limit: usize, offset: usize) -> Result<Vec<EntityRow>> {
        let rows = self.query(
            r#"SELECT e.id, e.name, e.type, e.aliases, e.roles,
                      (SELECT count(*) FROM mentions m WHERE m.entity_id = e.id) AS n
               FROM entities e
               WHERE EXISTS (SELECT 1 FROM mentions m WHERE m.entity_id = e.id)
                 AND ($1::text IS NULL OR e.name ILIKE $1 || '%' OR e.aliases ILIKE '%"' || $1 || '%')
                 AND ($2::text IS NULL OR e.type = $2)
               ORDER BY n DESC, e.id LIMIT $3 OFFSET $4"#,
            &[&q, &kind, &(limit as i64), &(offset as i64)],
        )?;
        Ok(rows
            .iter()
            .map(|r| EntityRow { entity: entity_from_row(r), mentions: r.get::<_, i64>(5) as usize })
            .collect())
    }

    fn entity_stories(&self, entity: &str, limit: usize) -> Result<Vec<StoryRow>> {
        let rows = self.query(
            r#"SELECT s.id, s.title, s.start, s."end",
                   (SELECT count(*) FROM articles a WHERE a.story = s.id),
                   (SELECT array_agg(l.lang ORDER BY l.first) FROM (SELECT a.lang, min(a.seq) AS first FROM articles a
                    WHERE a.story = s.id AND a.lang IS NOT NULL GROUP BY a.lang) l)
               FROM stories s
               WHERE s.id IN (SELECT a.story FROM articles a WHERE a.id IN (
                   SELECT m.article_id FROM mentions m JOIN articles b ON b.id = m.article_id
                   WHERE m.entity_id = $1 ORDER BY b.seq DESC, m.start DESC LIMIT $2))
               ORDER BY s.start DESC NULLS LAST, s.id LIMIT $3"#,
            &[&entity, &(SAMPLE as i64), &(limit as i64)],
        )?;
        Ok(rows.iter().map(story_row).collect())
    }

    fn entity_story_ids(&self, entity: &str) -> Result<Vec<String>> {
        Ok(self
            .query(
                "SELECT s.id FROM stories s WHERE s.id IN
                     (SELECT a.story FROM articles a JOIN mentions m ON m.article_id = a.id WHERE m.entity_id = $1)
                 ORDER BY s.start NULLS FIRST, s.id",
                &[&entity],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }

    fn entity_story_months(&self, entity: &str) -> Result<Vec<(String, usize)>> {
        let rows = self.query(
            "SELECT substr(s.start, 1, 7) AS month, count(*) FROM stories s
             WHERE s.start IS NOT NULL AND s.id IN (SELECT a.story FROM articles a WHERE a.id IN (
                 SELECT m.article_id FROM mentions m JOIN articles b ON b.id = m.article_id
                 WHERE m.entity_id = $1 ORDER BY b.seq DESC, m.start DESC LIMIT $2))
             GROUP BY month ORDER BY month",
            &[&entity, &(SAMPLE as i64)],
        )?;
        Ok(rows.iter().map(|r| (r.get(0), r.get::<_, i64>(1) as usize)).collect())
    }

    fn cooccurring(&self, entity: &str, limit: usize) -> Result<Vec<(Entity, usize)>> {
        let rows = self.query(
            "SELECT e.id, e.name, e.type, e.aliases, e.roles, c.n FROM (
                 SELECT m2.entity_id, count(DISTINCT m2.article_id) AS n
                 FROM (SELECT DISTINCT article_id FROM (
                           SELECT m.article_id FROM mentions m JOIN articles b ON b.id = m.article_id
                           WHERE m.entity_id = $1 ORDER BY b.seq DESC, m.start DESC LIMIT $2) recent) m1
                 JOIN mentions m2 ON m2.article_id = m1.article_id
                 WHERE m2.entity_id IS NOT NULL AND m2.entity_id != $1
                 GROUP BY m2.entity_id ORDER BY n DESC, m2.entity_id LIMIT $3) c
             JOIN entities e ON e.id = c.entity_id ORDER BY c.n DESC, e.id",
            &[&entity, &(SAMPLE as i64), &(limit as i64)],
        )?;
        Ok(rows.iter().map(|r| (entity_from_row(r), r.get::<_, i64>(5) as usize)).collect())
    }

    fn search_snippets(&self, text: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let Some(words) = search_words(text) else { return Ok(Vec::new()) };
        let rows = self.query(
            "SELECT a.id, a.story, a.title,
                    '…' || ts_headline(c.config, a.text, plainto_tsquery(c.config, $1),
                                       'StartSel=[, StopSel=], MaxFragments=1, MaxWords=16, MinWords=8') || '…'
             FROM articles a
             CROSS JOIN LATERAL (SELECT CASE a.lang WHEN 'fr' THEN 'french'::regconfig
                                     WHEN 'en' THEN 'english'::regconfig ELSE 'simple'::regconfig END AS config) c
             WHERE a.tsv @@ (plainto_tsquery('french', $1) || plainto_tsquery('english', $1) || plainto_tsquery('simple', $1))
             ORDER BY a.seq DESC LIMIT $2",
            &[&words, &(limit as i64)],
        )?;
        Ok(rows
            .iter()
            .map(|r| SearchHit { article: r.get(0), story: r.get(1), title: r.get(2), snippet: r.get(3) })
            .collect())
    }

    fn mentions_of_article(&self, article: &str) -> Result<Vec<(Mention, Option<String>)>> {
        let rows = self.query(
            r#"SELECT start, "end", text, type, role, role_country, entity_id FROM mentions
               WHERE article_id = $1 ORDER BY start"#,
            &[&article],
        )?;
        Ok(rows.iter().map(|r| (mention_from(r, 0), r.get(6))).collect())
    }

    fn entity_names(&self, ids: &[String]) -> Result<Vec<(String, String, String)>> {
        let rows = self.query("SELECT id, name, type FROM entities WHERE id = ANY($1)", &[&ids])?;
        let mut found: HashMap<String, (String, String, String)> = rows
            .iter()
            .map(|r| {
                let id: String = r.get(0);
                (id.clone(), (id, r.get(1), r.get(2)))
            })
            .collect();
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_keep_words_only() {
        assert_eq!(search_words("Grève, à Lyon !").as_deref(), Some("Grève à Lyon"));
        assert_eq!(search_words("  ;; "), None);
    }

    #[test]
    fn a_prefix_is_a_range() {
        assert!("abc12".as_bytes() < prefix_end("abc").as_bytes());
        assert!("abd".as_bytes() > prefix_end("abc").as_bytes());
    }
}
