//! Reading a store for the commands and the server: entities by name, a
//! story's statements (the same quote reported by several sources), and the
//! sentence a dated fact comes from.

use std::collections::HashMap;

use anyhow::Result;
use storyline_model::Entity;
use storyline_quotes::{group_statements, Statement, StatementSource};
use storyline_store::{StoreRead, StoredQuote};

/// The entities a name designates: its canonical name or an alias, folded,
/// else the same transliteration key ("Zelensky" finds the entity seen as
/// "Volodymyr Zelenski"), or that key as a surname.
pub fn entities_named(store: &dyn StoreRead, name: &str) -> Result<Vec<Entity>> {
    use storyline_nlp::fold::fold;
    let wanted = fold(name);
    let key = |s: &str| -> String {
        s.split_whitespace().map(storyline_entities::translit::key).collect::<Vec<_>>().join(" ")
    };
    let wanted_key = key(name);
    let all: Vec<Entity> = store.entities()?.into_iter().map(|(e, _, _)| e).collect();
    let forms =
        |e: &Entity| -> Vec<String> { std::iter::once(e.name.clone()).chain(e.aliases.iter().cloned()).collect() };
    let exact: Vec<_> = all.iter().filter(|e| forms(e).iter().any(|f| fold(f) == wanted)).cloned().collect();
    if !exact.is_empty() {
        return Ok(exact);
    }
    Ok(all
        .into_iter()
        .filter(|e| {
            forms(e).iter().any(|f| {
                let fk = key(f);
                fk == wanted_key || fk.split(' ').next_back() == Some(wanted_key.as_str())
            })
        })
        .collect())
}

/// A statement of a story, ready to show: the grouped reports, each
/// report's stored attribution, and the speaker's canonical name.
#[derive(Debug, Clone)]
pub struct StatementView {
    /// The grouped reports.
    pub statement: Statement,
    /// The attribution of each report, in the order of `statement.sources`.
    pub quotes: Vec<StoredQuote>,
    /// The speaker's canonical name, else the speaker as written.
    pub speaker_name: Option<String>,
}

/// The statements of these articles (a story's), most reported first:
/// reports of the same words by the same speaker are one statement, and
/// articles that share passages (wire copy) or are near-duplicates count
/// as one independent source.
pub fn statements(store: &dyn StoreRead, articles: &[String]) -> Result<Vec<StatementView>> {
    let quotes = store.quotes(Some(articles))?;
    let wire = crate::facts::wire_copies(store, articles)?;
    let speakers: Vec<String> = {
        let mut ids: Vec<String> = quotes.iter().filter_map(|q| q.speaker.clone()).collect();
        ids.sort();
        ids.dedup();
        ids
    };
    let names: HashMap<String, String> =
        store.entity_names(&speakers)?.into_iter().map(|(id, name, _)| (id, name)).collect();
    let reports: Vec<StatementSource> = quotes
        .iter()
        .map(|q| StatementSource {
            article: q.article.clone(),
            start: q.quote.start,
            end: q.quote.end,
            speaker: q
                .speaker
                .clone()
                .or_else(|| q.quote.speaker_text.as_ref().map(|t| format!("text:{}", t.to_lowercase()))),
            text: q.quote.text.clone(),
        })
        .collect();
    let mut views: Vec<StatementView> = group_statements(reports, &wire)
        .into_iter()
        .map(|statement| {
            let quotes: Vec<StoredQuote> = statement
                .sources
                .iter()
                .filter_map(|s| quotes.iter().find(|q| q.article == s.article && q.quote.start == s.start).cloned())
                .collect();
            let speaker_name = match &statement.speaker {
                Some(id) if names.contains_key(id) => Some(names[id].clone()),
                _ => quotes.first().and_then(|q| q.quote.speaker_text.clone()),
            };
            StatementView { statement, quotes, speaker_name }
        })
        .collect();
    views.sort_by_key(|v| std::cmp::Reverse(v.statement.independent_sources));
    Ok(views)
}

/// Why a story's articles are together, with names for the entities.
#[derive(Debug, Clone)]
pub struct StoryExplanation {
    /// The features the members share most, entities by their canonical name.
    pub shared: Vec<String>,
    /// Per member: article id, average similarity to the others, days from the first date.
    pub members: Vec<(String, f32, Option<i64>)>,
    /// The closest article left out: id, title, why.
    pub closest_outside: Option<(String, Option<String>, String)>,
    /// The clustering parameters the explanation used.
    pub params: storyline_cluster::ClusterParams,
}

/// Explains a story against every stored article (the canonical features,
/// as `recluster` computes them); reads the whole store, for one story.
pub fn explain(store: &dyn StoreRead, story: &storyline_model::Story) -> Result<StoryExplanation> {
    use storyline_cluster::{ClusterDoc, ClusterParams, Featurizer};
    let articles = store.articles()?;
    let borrowed = store.borrowed_dates()?;
    let mut entities_of: HashMap<String, Vec<String>> = HashMap::new();
    for (article, mentions) in store.mentions()? {
        entities_of.insert(article, mentions.into_iter().filter_map(|(_, e)| e).collect());
    }
    // Dates borrowed from a story are not evidence: each article counts with its own.
    let docs: Vec<ClusterDoc> = articles
        .iter()
        .map(|a| ClusterDoc {
            id: a.id.clone(),
            lang: a.lang.clone(),
            title: a.title.clone(),
            text: a.text.clone(),
            date: if borrowed.contains(&a.id) { None } else { a.published },
            entities: entities_of.remove(&a.id).unwrap_or_default(),
        })
        .collect();
    let params = ClusterParams::default();
    let (vectors, names) = Featurizer::new(params).vectors_with_names(&docs);
    let members: Vec<usize> =
        story.articles.iter().filter_map(|id| articles.iter().position(|a| &a.id == id)).collect();
    let why = storyline_cluster::explain(&docs, &vectors, &names, &members, &params);
    let ids: Vec<String> = why.shared.iter().filter_map(|f| f.strip_prefix("name:").map(str::to_string)).collect();
    let entity_names: HashMap<String, String> =
        store.entity_names(&ids)?.into_iter().map(|(id, name, _)| (id, name)).collect();
    let shared = why
        .shared
        .iter()
        .map(|f| match f.strip_prefix("name:").and_then(|id| entity_names.get(id)) {
            Some(name) => name.clone(),
            None => f.clone(),
        })
        .collect();
    Ok(StoryExplanation {
        shared,
        members: why.members.iter().map(|(m, sim, days)| (articles[*m].id.clone(), *sim, *days)).collect(),
        closest_outside: why
            .closest_outside
            .map(|(i, _, reason)| (articles[i].id.clone(), articles[i].title.clone(), reason)),
        params,
    })
}

/// An article's sentences as the tokenizer cuts them (a stop between digits,
/// "6.9", or after an abbreviation ends none), for the sentence a dated fact
/// comes from.
pub struct Sentences {
    chars: Vec<char>,
    /// Character bounds of each sentence, in order.
    bounds: Vec<(usize, usize)>,
}

impl Sentences {
    /// Cuts `text` once.
    pub fn new(text: &str) -> Sentences {
        let tokens = storyline_ner::tokenize::tokenize(text);
        let bounds = storyline_ner::tokenize::sentences(&tokens)
            .into_iter()
            .filter(|r| !r.is_empty())
            .map(|r| (tokens[r.start].start, tokens[r.end - 1].end))
            .collect();
        Sentences { chars: text.chars().collect(), bounds }
    }

    /// The sentence holding the character span `start..end`, trimmed; the
    /// span's own characters when no sentence holds it.
    pub fn at(&self, start: usize, end: usize) -> String {
        let len = self.chars.len();
        let (start, end) = (start.min(len), end.min(len).max(start.min(len)));
        let holding = self.bounds.iter().find(|&&(a, b)| a <= start && start < b.max(a + 1));
        let (from, to) = holding.map_or((start, end), |&(a, b)| (a, b.max(end)));
        self.chars[from..to].iter().collect::<String>().trim().to_string()
    }
}

/// Fewest words of letters a dated sentence needs besides its date
/// expression to be shown on a timeline.
const TIMELINE_MIN_WORDS: usize = 3;

/// An article's dated sentences for a timeline: each date expression of
/// `text` (resolved against the article's date, `published`; none without
/// one) with the sentence holding it, in text order. A sentence that is little more than its date (a dateline,
/// "February 6, 2024", "ROTTERDAM, Feb. 6") says nothing and is left out.
pub fn dated_sentences(text: &str, published: Option<chrono::NaiveDate>) -> Vec<(chrono::NaiveDate, String)> {
    let Some(reference) = published else { return Vec::new() };
    let times = storyline_nlp::time::find_time_expressions(text, reference);
    if times.is_empty() {
        return Vec::new();
    }
    let sentences = Sentences::new(text);
    times
        .into_iter()
        .filter_map(|t| {
            let sentence = sentences.at(t.start, t.end);
            let words = sentence
                .replace(t.text.as_str(), " ")
                .split_whitespace()
                .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
                .count();
            (words >= TIMELINE_MIN_WORDS).then_some((t.value, sentence))
        })
        .collect()
}

/// The sentence of `text` holding the character span `start..end` (see [`Sentences`]).
pub fn sentence_at(text: &str, start: usize, end: usize) -> String {
    Sentences::new(text).at(start, end)
}

#[cfg(test)]
mod tests {
    use super::sentence_at;

    #[test]
    fn a_decimal_point_ends_no_sentence() {
        let text = "Markets were calm. A magnitude 6.9 earthquake struck northern Chile on Tuesday. Two were hurt.";
        let start = text.find("Tuesday").unwrap();
        assert_eq!(sentence_at(text, start, start + 7), "A magnitude 6.9 earthquake struck northern Chile on Tuesday.");
        assert_eq!(sentence_at("", 0, 0), "");
    }

    #[test]
    fn a_dateline_is_no_timeline_sentence() {
        let text = "February 6, 2024\n\nThe company said on Tuesday it would cut 300 jobs.";
        let dated = super::dated_sentences(text, "2024-02-06".parse().ok());
        assert_eq!(dated.len(), 1, "{dated:?}");
        assert_eq!(dated[0].1, "The company said on Tuesday it would cut 300 jobs.");
    }
}
